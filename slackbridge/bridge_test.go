package slackbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
)

const alarmTS = "1796094660.000100"

// An alarm from AWS Chatbot, on_alarm=investigate: progress in the alarm's
// thread updated in place, the evidence first, then the report posted and
// uploaded.
func TestAlarmToReportInThread(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.sendEvent("Ev001", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	defer h.dump()

	inv := h.engine.investigations()
	if len(inv) != 1 || inv[0].AlarmName != "checkout-5xx" {
		t.Fatalf("investigations: %+v", inv)
	}
	if !strings.Contains(inv[0].Description, "us-east-1") || !strings.Contains(inv[0].Description, "Threshold Crossed") {
		t.Errorf("the description should carry the alarm's region and reason: %q", inv[0].Description)
	}
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	if len(posts) < 3 {
		t.Fatalf("want progress, evidence and report in the alarm's thread, got %d posts", len(posts))
	}
	progress := posts[0]
	if !strings.Contains(progress.Form.Get("text"), "Investigating *checkout-5xx*") || !strings.Contains(progress.Form.Get("blocks"), actionCancel) {
		t.Errorf("first post should be the progress with a Cancel button: %s", progress.Form.Get("blocks"))
	}
	progressTS := "1796094700.000001"
	updates := h.slack.Calls("chat.update")
	if len(updates) < 3 {
		t.Fatalf("progress should be updated in place several times, got %d updates", len(updates))
	}
	sawStep := false
	for _, u := range updates {
		if u.Form.Get("ts") != progressTS || u.Form.Get("channel") != "C0ALARMS" {
			t.Errorf("an update touched another message: %v", u.Form)
		}
		sawStep = sawStep || strings.Contains(u.Form.Get("blocks"), "query_cloudtrail UpdateFunctionConfiguration")
	}
	if !sawStep {
		t.Error("the progress never showed the analysis' tool calls")
	}
	last := updates[len(updates)-1]
	if !strings.Contains(last.Form.Get("text"), "Done in") || strings.Contains(last.Form.Get("blocks"), actionCancel) {
		t.Errorf("the last update should say done and drop Cancel: %s", last.Form.Get("blocks"))
	}
	// The evidence comes before the report.
	evidence, report := -1, -1
	for i, p := range posts {
		switch {
		case strings.Contains(p.Form.Get("text"), "Evidence for"):
			evidence = i
		case strings.Contains(p.Form.Get("text"), "Root-cause analysis"):
			report = i
		}
	}
	if evidence < 0 || report < 0 || evidence > report {
		t.Fatalf("evidence at %d, report at %d", evidence, report)
	}
	rb := posts[report].BlocksText()
	for _, want := range []string{"*Root cause* (high confidence)", "*checkout-v2*", "[E1, E3]", "Roll back checkout-api", "UpdateFunctionConfiguration", "ci-pipeline"} {
		if !strings.Contains(rb, want) {
			t.Errorf("report blocks lack %q: %s", want, rb)
		}
	}
	eb := posts[evidence].BlocksText()
	for _, want := range []string{"[E1] New ERROR template", "Could not read", "xray:GetTraceSummaries", "<!date^"} {
		if !strings.Contains(eb, want) {
			t.Errorf("evidence blocks lack %q: %s", want, eb)
		}
	}
	var reportUpload bool
	for _, c := range h.slack.Calls("files.completeUploadExternal") {
		if c.Form.Get("channel_id") != "C0ALARMS" || c.Form.Get("thread_ts") != alarmTS {
			t.Errorf("upload outside the thread: %v", c.Form)
		}
		reportUpload = reportUpload || strings.Contains(c.Form.Get("files"), "fa2-report-checkout-5xx.md")
	}
	var uploaded string
	for _, c := range h.slack.Calls("upload") {
		uploaded += c.Body
	}
	var evidenceUpload bool
	for _, c := range h.slack.Calls("files.completeUploadExternal") {
		evidenceUpload = evidenceUpload || strings.Contains(c.Form.Get("files"), "fa2-evidence-checkout-5xx.md")
	}
	if !evidenceUpload || !strings.Contains(uploaded, "UpdateFunctionConfiguration") {
		t.Errorf("the evidence bundle's Markdown was not uploaded")
	}
	if !reportUpload || !strings.Contains(uploaded, "secretsmanager:GetSecretValue") {
		t.Errorf("the report's Markdown was not uploaded (files upload v2): %q", uploaded)
	}
	s, _ := h.store.Load(context.Background(), ThreadKey("C0ALARMS", alarmTS))
	if s == nil || s.State != StateDone || s.Report == nil || s.Bundle == nil {
		t.Fatalf("session not kept: %+v", s)
	}
}

func TestBadSignatureAndStaleTimestampStartNothing(t *testing.T) {
	h := newHarness(t, nil)
	body := event("Ev9", chatbotAlarm("checkout-5xx", "ALARM", alarmTS))
	for name, tamper := range map[string]func(r *http.Request){
		"bad signature": func(r *http.Request) { sign(r.Header, body, time.Now(), "wrong-secret") },
		"stale timestamp": func(r *http.Request) {
			sign(r.Header, body, time.Now().Add(-6*time.Minute), signingSecret)
		},
		"no signature": func(r *http.Request) {},
	} {
		req, _ := http.NewRequest("POST", h.srv.URL+"/slack/events", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		tamper(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 401 {
			t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
		}
	}
	h.settle()
	if n := len(h.engine.investigations()); n != 0 {
		t.Errorf("%d investigations started by unsigned requests", n)
	}
	if n := len(h.slack.Calls("")); n != 0 {
		t.Errorf("%d Slack calls made for unsigned requests", n)
	}
}

func TestURLVerificationAndHealth(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.send("application/json", []byte(`{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`), nil)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(b) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("challenge: %d %q", resp.StatusCode, b)
	}
	r, _ := http.Get(h.srv.URL + "/healthz")
	if r.StatusCode != 200 {
		t.Fatalf("healthz %d", r.StatusCode)
	}
	h.bridge.Shutdown(context.Background())
	r, _ = http.Get(h.srv.URL + "/healthz")
	if r.StatusCode != 503 {
		t.Fatalf("healthz after shutdown %d, want 503", r.StatusCode)
	}
}

// Slack retries a delivery it thinks failed; the retry and a duplicate on
// another connection must not start a second investigation, nor must the
// same alarm firing again while its investigation runs.
func TestDuplicateDeliveriesStartOneInvestigation(t *testing.T) {
	h := newHarness(t, nil)
	h.engine.hold = make(chan struct{})
	h.engine.started = make(chan string, 4)
	inner := chatbotAlarm("checkout-5xx", "ALARM", alarmTS)
	h.noWait = true
	h.sendEvent("Ev100", inner, nil)
	<-h.engine.started // the first delivery is investigating, held
	h.sendEvent("Ev100", inner, map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
	h.sendEvent("Ev100", inner, nil)
	// The same alarm again, a new notification (new event id, new message).
	h.sendEvent("Ev101", chatbotAlarm("checkout-5xx", "ALARM", "1796094720.000200"), nil)
	h.waitFor("the note in the second alarm's thread", func() bool {
		return len(h.slack.threadPosts("C0ALARMS", "1796094720.000200")) > 0
	})
	h.noWait = false
	close(h.engine.hold)
	h.settle()
	defer h.dump()
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("%d investigations, want 1", n)
	}
	again := h.slack.threadPosts("C0ALARMS", "1796094720.000200")
	if len(again) != 1 || !strings.Contains(again[0].Form.Get("text"), "already being investigated") ||
		!strings.Contains(again[0].Form.Get("text"), "https://example.slack.com/archives/C0ALARMS/p1796094660000100") {
		t.Fatalf("the second alarm's thread should point at the running one: %+v", again)
	}
	// Once it has finished, the alarm firing again is a new investigation.
	h.sendEvent("Ev102", chatbotAlarm("checkout-5xx", "ALARM", "1796094900.000300"), nil)
	if n := len(h.engine.investigations()); n != 2 {
		t.Fatalf("after the first finished: %d investigations, want 2", n)
	}
}

func TestOKNotificationStartsNothingAndRecoversInThread(t *testing.T) {
	h := newHarness(t, nil)
	h.sendEvent("Ev200", chatbotAlarm("checkout-5xx", "OK", "1796094600.000001"), nil)
	if n := len(h.engine.investigations()); n != 0 {
		t.Fatalf("an OK notification started %d investigations", n)
	}
	if n := len(h.slack.Calls("chat.postMessage")); n != 0 {
		t.Fatalf("an OK for an alarm fa2 never saw posted %d messages", n)
	}
	h.sendEvent("Ev201", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	h.sendEvent("Ev202", chatbotAlarm("checkout-5xx", "OK", "1796096000.000001"), nil)
	defer h.dump()
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("%d investigations, want 1", n)
	}
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	lastText := posts[len(posts)-1].Form.Get("text")
	if !strings.Contains(lastText, "*checkout-5xx* recovered at <!date^1796096000^") {
		t.Fatalf("want the recovery in the investigation's thread, got %q", lastText)
	}
	if len(h.slack.threadPosts("C0ALARMS", "1796096000.000001")) != 0 {
		t.Fatal("the OK notification's own thread should stay quiet")
	}
}

// on_alarm=form: the form in the alarm's thread, prefilled; the button
// starts the investigation with the window chosen, and the form message
// becomes the progress message.
func TestFormInAlarmThread(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Slack.OnAlarm = "form" })
	h.sendEvent("Ev300", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	defer h.dump()
	if n := len(h.engine.investigations()); n != 0 {
		t.Fatalf("form mode started %d investigations before anyone asked", n)
	}
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	if len(posts) != 1 {
		t.Fatalf("want the form in the alarm's thread, got %d posts", len(posts))
	}
	form := posts[0]
	blocks := form.Blocks()
	var inputs []string
	var startInit float64
	var desc string
	for _, b := range blocks {
		if b["type"] == "input" {
			el := b["element"].(map[string]any)
			inputs = append(inputs, el["type"].(string))
			if b["block_id"] == blockStart {
				startInit = el["initial_date_time"].(float64)
			}
			if b["block_id"] == blockDesc {
				desc, _ = el["initial_value"].(string)
			}
		}
	}
	if strings.Join(inputs, ",") != "datetimepicker,datetimepicker,plain_text_input" {
		t.Fatalf("form inputs %v", inputs)
	}
	if want := tsTime(alarmTS).Add(-30 * time.Minute).Truncate(time.Minute).Unix(); int64(startInit) != want {
		t.Errorf("start prefilled with %v, want %d (30 min before the alarm)", startInit, want)
	}
	if !strings.Contains(desc, "checkout-5xx") || !strings.Contains(desc, "Threshold Crossed") {
		t.Errorf("description not prefilled from the alarm: %q", desc)
	}
	// The on-call engineer narrows the window and presses Investigate.
	start, end := time.Date(2026, 12, 1, 2, 50, 0, 0, time.UTC), time.Date(2026, 12, 1, 3, 20, 0, 0, time.UTC)
	payload := blockAction("W0ONCALL", actionSubmit, ThreadKey("C0ALARMS", alarmTS), start.Unix(), end.Unix(), "checkout 5xx after deploy")
	h.sendForm(url.Values{"payload": {payload}})
	inv := h.engine.investigations()
	if len(inv) != 1 {
		t.Fatalf("%d investigations after Investigate", len(inv))
	}
	if !inv[0].Window.Start.Equal(start) || !inv[0].Window.End.Equal(end) || inv[0].Description != "checkout 5xx after deploy" {
		t.Errorf("investigated %+v, want the form's window and description", inv[0])
	}
	formTS := "1796094700.000001"
	for _, u := range h.slack.Calls("chat.update") {
		if u.Form.Get("ts") != formTS {
			t.Errorf("progress should replace the form in place, updated ts %s", u.Form.Get("ts"))
		}
	}
	if n := len(h.slack.Calls("chat.update")); n < 3 {
		t.Errorf("%d updates of the form/progress message", n)
	}
	// A second press does nothing more.
	h.sendForm(url.Values{"payload": {payload}})
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("a second press started another investigation (%d)", n)
	}
}

// In form mode, the alarm firing again while its investigation runs gets a
// pointer to that investigation, not a second form.
func TestFormModeNoSecondFormWhileRunning(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Slack.OnAlarm = "form" })
	h.sendEvent("Ev310", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	h.engine.hold = make(chan struct{})
	h.engine.started = make(chan string, 1)
	h.noWait = true
	h.sendForm(url.Values{"payload": {blockAction("W0ONCALL", actionSubmit, ThreadKey("C0ALARMS", alarmTS), 0, 0, "")}})
	<-h.engine.started
	h.sendEvent("Ev311", chatbotAlarm("checkout-5xx", "ALARM", "1796094720.000200"), nil)
	h.waitFor("the pointer", func() bool { return len(h.slack.threadPosts("C0ALARMS", "1796094720.000200")) > 0 })
	close(h.engine.hold)
	h.settle()
	p := h.slack.threadPosts("C0ALARMS", "1796094720.000200")
	if len(p) != 1 || !strings.Contains(p[0].Form.Get("text"), "already being investigated") || strings.Contains(p[0].Form.Get("blocks"), "datetimepicker") {
		t.Fatalf("second alarm's thread: %+v", p)
	}
}

func blockAction(user, action, value string, start, end int64, desc string) string {
	p := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": "t1",
		"channel": map[string]any{"id": "C0ALARMS"}, "container": map[string]any{"type": "message", "message_ts": "1796094700.000001", "thread_ts": alarmTS},
		"message": map[string]any{"ts": "1796094700.000001", "thread_ts": alarmTS},
		"actions": []any{map[string]any{"action_id": action, "block_id": "fa2_form_actions", "type": "button", "value": value}},
		"state": map[string]any{"values": map[string]any{
			blockStart: map[string]any{actionStart: map[string]any{"type": "datetimepicker", "selected_date_time": start}},
			blockEnd:   map[string]any{actionEnd: map[string]any{"type": "datetimepicker", "selected_date_time": end}},
			blockDesc:  map[string]any{actionDesc: map[string]any{"type": "plain_text_input", "value": desc}},
		}},
	}
	b, _ := json.Marshal(p)
	return string(b)
}

func TestFollowUpUsesEarlierContext(t *testing.T) {
	h := newHarness(t, nil)
	h.sendEvent("Ev400", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	mention := func(id, text string) {
		h.sendEvent(id, fmt.Sprintf(`{"type":"app_mention","user":"W0ONCALL","channel":"C0ALARMS","ts":"1796095000.0000%s","thread_ts":%q,"text":"<@%s> %s"}`, id[len(id)-2:], alarmTS, botUser, text), nil)
	}
	mention("Ev401", "did the deploy at 03:09 change the role?")
	mention("Ev402", "which role did it use before?")
	defer h.dump()
	fu := h.engine.followUps
	if len(fu) != 2 {
		t.Fatalf("%d follow-ups", len(fu))
	}
	if fu[0].Question != "did the deploy at 03:09 change the role?" || fu[0].Bundle == nil || fu[0].Report == nil || len(fu[0].Conversation) != 0 {
		t.Errorf("first follow-up: %+v", fu[0])
	}
	if len(fu[1].Conversation) != 2 || fu[1].Conversation[0].Text != fu[0].Question || !strings.Contains(fu[1].Conversation[1].Text, "changed the role") {
		t.Errorf("second follow-up should carry the first exchange: %+v", fu[1].Conversation)
	}
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	if last := posts[len(posts)-1].Form.Get("text"); !strings.Contains(last, "2 earlier turns") {
		t.Errorf("the answer was not posted in the thread: %q", last)
	}
	// A mention outside any fa2 thread gets a pointer, not silence.
	h.sendEvent("Ev403", fmt.Sprintf(`{"type":"app_mention","user":"W0ONCALL","channel":"C0ALARMS","ts":"1796095100.000001","text":"<@%s> hello"}`, botUser), nil)
	p := h.slack.threadPosts("C0ALARMS", "1796095100.000001")
	if len(p) != 1 || !strings.Contains(p[0].Form.Get("text"), "/fa2") {
		t.Errorf("mention outside a thread: %+v", p)
	}
}

func TestUserOutsideAllowListIsRefusedPolitely(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Slack.AllowedUsers = []string{"W0ONCALL"}
		c.Slack.OnAlarm = "form"
	})
	// Slash command.
	resp := h.sendForm(url.Values{"command": {"/fa2"}, "text": {""}, "user_id": {"W0INTRUDER"}, "channel_id": {"C0ALARMS"}, "trigger_id": {"t"}, "response_url": {"http://x/response/1"}})
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "allowed_users") || !strings.Contains(string(body), `"response_type":"ephemeral"`) {
		t.Errorf("slash command refusal: %s", body)
	}
	// The form button.
	h.sendEvent("Ev500", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	h.sendForm(url.Values{"payload": {blockAction("W0INTRUDER", actionSubmit, ThreadKey("C0ALARMS", alarmTS), 0, 0, "")}})
	// A mention.
	h.sendEvent("Ev501", fmt.Sprintf(`{"type":"app_mention","user":"W0INTRUDER","channel":"C0ALARMS","ts":"1796095000.000001","thread_ts":%q,"text":"<@%s> why?"}`, alarmTS, botUser), nil)
	defer h.dump()
	if n := len(h.engine.investigations()); n != 0 {
		t.Fatalf("a user outside the allow-list started %d investigations", n)
	}
	if len(h.slack.Calls("views.open")) != 0 || len(h.engine.followUps) != 0 {
		t.Fatal("the refused user reached the form or the engine")
	}
	eph := h.slack.Calls("chat.postEphemeral")
	if len(eph) != 2 {
		t.Fatalf("want 2 ephemeral refusals (button, mention), got %d", len(eph))
	}
	for _, e := range eph {
		if e.Form.Get("user") != "W0INTRUDER" || !strings.Contains(e.Form.Get("text"), "Sorry") {
			t.Errorf("refusal: %v", e.Form)
		}
	}
	// The allowed user still can.
	h.sendForm(url.Values{"payload": {blockAction("W0ONCALL", actionSubmit, ThreadKey("C0ALARMS", alarmTS), 0, 0, "")}})
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("the allowed user: %d investigations", n)
	}
}

func TestAlarmsOutsideAllowedChannelsAndIgnoreMode(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Slack.AllowedChannels = []string{"C0ALARMS", "C0QUIET"}
		c.Slack.OnAlarmChannels = []string{"C0QUIET=ignore"}
	})
	h.sendEvent("Ev600", strings.Replace(chatbotAlarm("a", "ALARM", alarmTS), "C0ALARMS", "C0OTHER", 1), nil)
	h.sendEvent("Ev601", strings.Replace(chatbotAlarm("b", "ALARM", alarmTS), "C0ALARMS", "C0QUIET", 1), nil)
	if n := len(h.engine.investigations()); n != 0 || len(h.slack.Calls("")) != 0 {
		t.Fatalf("%d investigations, %d calls; want none", n, len(h.slack.Calls("")))
	}
	h.sendEvent("Ev602", chatbotAlarm("c", "ALARM", alarmTS), nil)
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("the allowed channel: %d investigations", n)
	}
}

// language: ja makes every message Japanese.
func TestJapaneseMessages(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Language = "ja"; c.Slack.OnAlarm = "form" })
	h.sendEvent("Ev800", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	h.sendForm(url.Values{"payload": {blockAction("W0ONCALL", actionSubmit, ThreadKey("C0ALARMS", alarmTS), 0, 0, "")}})
	defer h.dump()
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	if !strings.Contains(posts[0].Form.Get("text"), "が ALARM になりました") || !strings.Contains(posts[0].Form.Get("blocks"), "調査する") {
		t.Errorf("form: %s", posts[0].Form.Get("text"))
	}
	ups := h.slack.Calls("chat.update")
	if last := ups[len(ups)-1].Form.Get("text"); !strings.Contains(last, "で完了しました") {
		t.Errorf("progress: %s", last)
	}
	var report bool
	for _, p := range posts {
		report = report || strings.Contains(p.Form.Get("text"), "根本原因分析")
	}
	if !report {
		t.Error("no Japanese report header")
	}
	if inv := h.engine.investigations(); len(inv) != 1 || inv[0].Language != "ja" {
		t.Errorf("the engine was not asked for Japanese: %+v", inv)
	}
}

// slack.channel limits alarm watching to the channel alarms arrive in.
func TestAlarmChannelSetting(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Slack.Channel = "C0ALARMS" })
	h.sendEvent("Ev900", strings.Replace(chatbotAlarm("a", "ALARM", alarmTS), "C0ALARMS", "C0RANDOM", 1), nil)
	if n := len(h.engine.investigations()); n != 0 {
		t.Fatalf("an alarm outside slack.channel started %d investigations", n)
	}
	h.sendEvent("Ev901", chatbotAlarm("a", "ALARM", alarmTS), nil)
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("the alarm channel: %d investigations", n)
	}
}

// illustratedEngine draws one picture per report.
type illustratedEngine struct{ *engineScript }

func (illustratedEngine) Pictures(ctx context.Context, b *investigate.Bundle, r *analysis.Report) ([]Picture, error) {
	return []Picture{{Name: "checkout-5xx-errors.png", Title: "5xx per minute, with the deploy marked", PNG: []byte("\x89PNG\r\n\x1a\nfake")}}, nil
}

func TestReportPicturesAreUploadedToTheThread(t *testing.T) {
	h := newHarness(t, nil)
	h.bridge.engine = illustratedEngine{h.engine}
	h.sendEvent("Ev950", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	var png bool
	for _, c := range h.slack.Calls("files.completeUploadExternal") {
		if strings.Contains(c.Form.Get("files"), "5xx per minute") {
			png = c.Form.Get("thread_ts") == alarmTS
		}
	}
	var alt bool
	for _, c := range h.slack.Calls("files.getUploadURLExternal") {
		alt = alt || c.Form.Get("alt_txt") == "5xx per minute, with the deploy marked"
	}
	if !png || !alt {
		t.Fatal("the picture was not uploaded to the thread with its alt text")
	}
}

// reportingEngine renders the findings report as documents.
type reportingEngine struct {
	*engineScript
	doc *Document
}

func (e reportingEngine) FindingsReport(ctx context.Context) (*Document, error) { return e.doc, nil }

// /fa2 findings with an engine that renders the report: the reply is the
// summary, and the Markdown and PDF are shared in the command's channel.
func TestFindingsReportIsSharedAsFiles(t *testing.T) {
	h := newHarness(t, nil)
	h.bridge.engine = reportingEngine{h.engine, &Document{Summary: "**3 findings**: 1 CRITICAL\n• [CRITICAL] Security groups should not allow unrestricted access",
		Name: "fa2-findings-2026-11-20", Title: "Security findings report", Markdown: "# Security findings report\n\nbody", PDF: []byte("%PDF-1.4 fake")}}
	resp := h.sendForm(url.Values{"command": {"/fa2"}, "text": {"findings"}, "user_id": {"W0ONCALL"}, "channel_id": {"C0SEC"},
		"trigger_id": {"trig"}, "response_url": {"http://" + h.slack.ServerAddr + "/response/1"}})
	resp.Body.Close()
	replies := h.slack.Calls("response_url")
	if len(replies) != 1 {
		t.Fatalf("%d replies", len(replies))
	}
	var msg map[string]any
	json.Unmarshal([]byte(replies[0].Body), &msg)
	text, _ := msg["text"].(string)
	if !strings.Contains(text, "*3 findings*") || !strings.Contains(text, "follows in this channel as a file") || msg["response_type"] != "in_channel" {
		t.Errorf("reply %v", msg)
	}
	files := map[string]string{}
	for _, c := range h.slack.Calls("files.getUploadURLExternal") {
		files[c.Form.Get("filename")] = c.Form.Get("length")
	}
	if files["fa2-findings-2026-11-20.md"] != "32" || files["fa2-findings-2026-11-20.pdf"] != "13" {
		t.Errorf("uploads %v, want the Markdown (32 bytes) and the PDF (13 bytes)", files)
	}
	for _, c := range h.slack.Calls("files.completeUploadExternal") {
		if c.Form.Get("channel_id") != "C0SEC" {
			t.Errorf("file shared in %q, not the command's channel", c.Form.Get("channel_id"))
		}
	}
}

// The model failed and the engine answered: the report is posted, headed
// and led by a visible warning with the reason, and the progress says the
// model was not part of it.
func TestDegradedReportIsPostedUnderAWarning(t *testing.T) {
	h := newHarness(t, nil)
	h.engine.degraded = "⚠ Degraded report: the model (test-model) failed, so this is the investigation engine's evidence-based answer. Why: Bedrock denied access to model test-model in us-east-1."
	h.sendEvent("Ev900", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	defer h.dump()
	var report *apiCall
	for _, p := range h.slack.threadPosts("C0ALARMS", alarmTS) {
		if strings.Contains(p.Form.Get("text"), "the model failed") {
			report = &p
		}
	}
	if report == nil {
		t.Fatal("no report with a degraded header in the thread")
	}
	if !strings.HasPrefix(report.Form.Get("text"), ":warning: Evidence-based answer, the model failed: *checkout-5xx*") {
		t.Errorf("notification text: %s", report.Form.Get("text"))
	}
	blocks := report.Blocks()
	if len(blocks) < 3 {
		t.Fatalf("blocks: %v", blocks)
	}
	second, _ := json.Marshal(blocks[1])
	if !strings.Contains(string(second), ":warning: Degraded report") || !strings.Contains(string(second), "Bedrock denied access to model test-model") {
		t.Errorf("the block after the header is not the warning with its reason: %s", second)
	}
	if !strings.Contains(report.BlocksText(), "(low confidence)") {
		t.Errorf("root cause confidence not shown: %s", report.BlocksText())
	}
	ups := h.slack.Calls("chat.update")
	if last := ups[len(ups)-1].Form.Get("text"); !strings.Contains(last, "without the model") {
		t.Errorf("progress: %s", last)
	}
	s, _ := h.store.Load(context.Background(), ThreadKey("C0ALARMS", alarmTS))
	if s == nil || s.State != StateDone || s.Report == nil || s.Report.Degraded == "" {
		t.Fatalf("session: %+v", s)
	}
}
