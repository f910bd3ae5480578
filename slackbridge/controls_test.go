package slackbridge

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// Graceful shutdown: a running investigation's progress message says it
// was interrupted, and its session says so.
func TestShutdownTellsRunningInvestigations(t *testing.T) {
	h := newHarness(t, nil)
	h.engine.hold = make(chan struct{}) // never released
	h.engine.started = make(chan string, 1)
	h.noWait = true
	h.sendEvent("Ev700", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	<-h.engine.started
	if err := h.bridge.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.dump()
	ups := h.slack.Calls("chat.update")
	last := ups[len(ups)-1]
	if !strings.Contains(last.Form.Get("text"), "Interrupted after") || strings.Contains(last.Form.Get("blocks"), actionCancel) {
		t.Fatalf("last progress update: %s", last.Form.Get("text"))
	}
	s, _ := h.store.Load(context.Background(), ThreadKey("C0ALARMS", alarmTS))
	if s == nil || s.State != StateInterrupted {
		t.Fatalf("session %+v", s)
	}
	// The claim on the alarm is released: after a restart it can run again.
	if v, _ := h.store.Lookup(context.Background(), "running#123456789012#us-east-1#checkout-5xx"); v != "" {
		t.Fatalf("the alarm is still claimed by %q", v)
	}
}

func TestCancelButtonStopsTheInvestigation(t *testing.T) {
	h := newHarness(t, nil)
	h.engine.hold = make(chan struct{})
	h.engine.started = make(chan string, 1)
	h.noWait = true
	h.sendEvent("Ev710", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	<-h.engine.started
	h.sendForm(url.Values{"payload": {blockAction("W0ONCALL", actionCancel, ThreadKey("C0ALARMS", alarmTS), 0, 0, "")}})
	h.settle()
	defer h.dump()
	ups := h.slack.Calls("chat.update")
	if last := ups[len(ups)-1].Form.Get("text"); !strings.Contains(last, "Cancelled by <@W0ONCALL>") {
		t.Fatalf("last update %q", last)
	}
	if h.engine.analyzed != 0 {
		t.Fatal("a cancelled investigation went on to analysis")
	}
	s, _ := h.store.Load(context.Background(), ThreadKey("C0ALARMS", alarmTS))
	if s.State != StateCancelled {
		t.Fatalf("state %s", s.State)
	}
}

// One slot and a queue of one: the second investigation says it is
// queued (in its progress message, later updated in place), the third is
// refused politely.
func TestConcurrencyLimitQueuesThenRefuses(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Slack.MaxConcurrent = 1; c.Slack.QueueSize = 1 })
	h.engine.hold = make(chan struct{})
	h.engine.started = make(chan string, 3)
	h.noWait = true
	h.sendEvent("Ev720", chatbotAlarm("alarm-a", "ALARM", "1796094001.000001"), nil)
	<-h.engine.started
	h.sendEvent("Ev721", chatbotAlarm("alarm-b", "ALARM", "1796094002.000001"), nil)
	h.waitFor("the queued message", func() bool { return len(h.slack.threadPosts("C0ALARMS", "1796094002.000001")) == 1 })
	h.sendEvent("Ev722", chatbotAlarm("alarm-c", "ALARM", "1796094003.000001"), nil)
	h.waitFor("the refusal", func() bool { return len(h.slack.threadPosts("C0ALARMS", "1796094003.000001")) == 1 })
	close(h.engine.hold)
	h.settle()
	defer h.dump()
	queued := h.slack.threadPosts("C0ALARMS", "1796094002.000001")[0]
	if !strings.Contains(queued.Form.Get("text"), "Queued: 1 investigation(s) ahead") {
		t.Errorf("queued message %q", queued.Form.Get("text"))
	}
	refused := h.slack.threadPosts("C0ALARMS", "1796094003.000001")[0]
	if !strings.Contains(refused.Form.Get("text"), "Sorry, fa2 is busy: 1 investigations are running and 1 are waiting") {
		t.Errorf("refusal %q", refused.Form.Get("text"))
	}
	if n := len(h.engine.investigations()); n != 2 {
		t.Fatalf("%d investigations, want 2 (one ran, one waited its turn)", n)
	}
	// The queued one's message was later updated in place to its result.
	var done bool
	for _, u := range h.slack.Calls("chat.update") {
		done = done || (u.Form.Get("ts") == queued.Form.Get("ts") || strings.HasPrefix(u.Form.Get("text"), ":mag: Investigating *alarm-b*")) && strings.Contains(u.Form.Get("text"), "Done in")
	}
	if !done {
		t.Error("the queued investigation's message never said done")
	}
}

func TestPerChannelRateLimit(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Slack.RatePerHour = 1 })
	h.sendEvent("Ev730", chatbotAlarm("alarm-a", "ALARM", "1796094001.000001"), nil)
	h.sendEvent("Ev731", chatbotAlarm("alarm-b", "ALARM", "1796094002.000001"), nil)
	h.sendEvent("Ev732", strings.Replace(chatbotAlarm("alarm-c", "ALARM", "1796094003.000001"), "C0ALARMS", "C0OTHER", 1), nil)
	defer h.dump()
	if n := len(h.engine.investigations()); n != 2 {
		t.Fatalf("%d investigations, want 2 (one per channel)", n)
	}
	p := h.slack.threadPosts("C0ALARMS", "1796094002.000001")
	if len(p) != 1 || !strings.Contains(p[0].Form.Get("text"), "limit (`slack.rate_per_hour`)") || !strings.Contains(p[0].Form.Get("text"), "can start in 1h00m") && !strings.Contains(p[0].Form.Get("text"), "59m") {
		t.Fatalf("rate refusal: %+v", p)
	}
}

func TestWithoutModelTheBundleIsPostedWithHowToEnable(t *testing.T) {
	h := newHarness(t, nil)
	h.engine.noModel = true
	h.sendEvent("Ev740", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	mention := `{"type":"app_mention","user":"W0ONCALL","channel":"C0ALARMS","ts":"1796095000.000001","thread_ts":"` + alarmTS + `","text":"<@` + botUser + `> why?"}`
	h.sendEvent("Ev741", mention, nil)
	defer h.dump()
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	var texts []string
	for _, p := range posts {
		texts = append(texts, p.Form.Get("text"))
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Evidence for *checkout-5xx*", "set `bedrock.model_id`", "Follow-up questions need analysis"} {
		if !strings.Contains(all, want) {
			t.Errorf("thread lacks %q:\n%s", want, all)
		}
	}
	ups := h.slack.Calls("chat.update")
	if last := ups[len(ups)-1].Form.Get("text"); !strings.Contains(last, "Evidence ready in") {
		t.Errorf("last progress %q", last)
	}
}

func TestSlashCommands(t *testing.T) {
	h := newHarness(t, nil)
	cmd := func(text string) (string, []apiCall) {
		before := len(h.slack.Calls("response_url"))
		resp := h.sendForm(url.Values{"command": {"/fa2"}, "text": {text}, "user_id": {"W0ONCALL"}, "channel_id": {"C0ALARMS"},
			"trigger_id": {"trig"}, "response_url": {"http://" + h.slack.ServerAddr + "/response/1"}})
		b, _ := io.ReadAll(resp.Body)
		return string(b), h.slack.Calls("response_url")[before:]
	}
	body, _ := cmd("help")
	if !strings.Contains(body, "/fa2 insight") || !strings.Contains(body, "ephemeral") {
		t.Errorf("help: %s", body)
	}
	body, resp := cmd("insight why is checkout slow 14")
	if !strings.Contains(body, "Working on it") || len(resp) != 1 {
		t.Fatalf("insight ack %s, %d responses", body, len(resp))
	}
	if got := h.engine.insights; len(got) != 1 || got[0] != "why is checkout slow/14" {
		t.Errorf("insight asked %v", got)
	}
	var msg map[string]any
	json.Unmarshal([]byte(resp[0].Body), &msg)
	if msg["response_type"] != "in_channel" || !strings.Contains(msg["text"].(string), "*checkout* doubled") {
		t.Errorf("insight answer %v", msg)
	}
	_, resp = cmd("findings")
	json.Unmarshal([]byte(resp[0].Body), &msg)
	if !strings.Contains(msg["text"].(string), "GuardDuty denied ListFindings. Grant guardduty:ListFindings.") {
		t.Errorf("findings failure should say what to grant: %v", msg)
	}
	body, _ = cmd("")
	if body != "" || len(h.slack.Calls("views.open")) != 1 {
		t.Fatalf("/fa2 should open the form: body %q", body)
	}
	view := h.slack.Calls("views.open")[0].Body // views.open is a JSON call
	if !strings.Contains(view, `"type":"datetimepicker"`) || !strings.Contains(view, `"callback_id":"fa2_form"`) || !strings.Contains(view, `"trigger_id":"trig"`) {
		t.Errorf("modal: %s", view)
	}
	body, _ = cmd("frobnicate")
	if !strings.Contains(body, "I don't know `frobnicate`") {
		t.Errorf("unknown: %s", body)
	}
	h.dump()
}

// The /fa2 modal: a bad window keeps it open with the error on the field;
// a good one posts a message in the channel and investigates in its thread.
func TestModalSubmission(t *testing.T) {
	h := newHarness(t, nil)
	view := func(start, end int64) string {
		p := map[string]any{"type": "view_submission", "user": map[string]any{"id": "W0ONCALL"},
			"view": map[string]any{"callback_id": callbackModal, "private_metadata": `{"c":"C0OPS"}`,
				"state": map[string]any{"values": map[string]any{
					blockStart: map[string]any{actionStart: map[string]any{"type": "datetimepicker", "selected_date_time": start}},
					blockEnd:   map[string]any{actionEnd: map[string]any{"type": "datetimepicker", "selected_date_time": end}},
					blockDesc:  map[string]any{actionDesc: map[string]any{"type": "plain_text_input", "value": "checkout is slow for EU users"}},
				}}}}
		b, _ := json.Marshal(p)
		return string(b)
	}
	resp := h.sendForm(url.Values{"payload": {view(1796094000, 1796090000)}})
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"response_action":"errors"`) || !strings.Contains(string(b), blockEnd) {
		t.Fatalf("bad window: %s", b)
	}
	if len(h.engine.investigations()) != 0 {
		t.Fatal("a bad window started an investigation")
	}
	resp = h.sendForm(url.Values{"payload": {view(1796090000, 1796094000)}})
	b, _ = io.ReadAll(resp.Body)
	if len(b) != 0 {
		t.Fatalf("a good submission should close the modal with an empty 200: %s", b)
	}
	defer h.dump()
	inv := h.engine.investigations()
	if len(inv) != 1 || inv[0].Description != "checkout is slow for EU users" || inv[0].Window.Start.Unix() != 1796090000 {
		t.Fatalf("investigations %+v", inv)
	}
	root := h.slack.Calls("chat.postMessage")[0]
	if root.Form.Get("channel") != "C0OPS" || root.Form.Get("thread_ts") != "" || !strings.Contains(root.Form.Get("text"), "<@W0ONCALL> asked fa2 to investigate") {
		t.Fatalf("root message %v", root.Form)
	}
	if len(h.slack.threadPosts("C0OPS", "1796094700.000001")) < 2 {
		t.Fatal("the investigation did not run in the root message's thread")
	}
}

// /fa2 from a channel fa2 is not in: the investigation runs in a DM with
// the person who asked, not nowhere.
func TestModalFallsBackToADM(t *testing.T) {
	h := newHarness(t, nil)
	h.slack.failPost["C0PRIVATE"] = "not_in_channel"
	p, _ := json.Marshal(map[string]any{"type": "view_submission", "user": map[string]any{"id": "W0ONCALL"},
		"view": map[string]any{"callback_id": callbackModal, "private_metadata": `{"c":"C0PRIVATE"}`,
			"state": map[string]any{"values": map[string]any{
				blockDesc: map[string]any{actionDesc: map[string]any{"type": "plain_text_input", "value": "cart is slow"}}}}}})
	h.sendForm(url.Values{"payload": {string(p)}})
	defer h.dump()
	if len(h.slack.Calls("conversations.open")) != 1 {
		t.Fatal("no DM opened")
	}
	var inDM int
	for _, c := range h.slack.Calls("chat.postMessage") {
		if c.Form.Get("channel") == "D0USER" {
			inDM++
		}
	}
	if inDM < 3 || len(h.engine.investigations()) != 1 {
		t.Fatalf("%d posts in the DM, %d investigations", inDM, len(h.engine.investigations()))
	}
}

// Cancel pressed on a message that reached another replica: that replica
// leaves word in the shared store, and the one running the investigation
// stops at its next tick.
func TestCancelAcrossReplicas(t *testing.T) {
	a := newHarness(t, nil)
	a.bridge.tick = 20 * time.Millisecond
	a.engine.hold = make(chan struct{})
	a.engine.started = make(chan string, 1)
	a.noWait = true
	// Replica b shares a's store and Slack, with an engine of its own.
	bBridge, err := New(Options{Config: a.cfg, Engine: &engineScript{}, Store: a.store, API: a.bridge.api, BotUserID: botUser, ProgressEvery: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	bSrv := httptest.NewServer(bBridge.HTTPHandler(signingSecret))
	defer bSrv.Close()
	a.sendEvent("Ev750", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	<-a.engine.started
	b := &harness{t: t, slack: a.slack, engine: a.engine, bridge: bBridge, store: a.store, srv: bSrv, cfg: a.cfg}
	b.sendForm(url.Values{"payload": {blockAction("W0ONCALL", actionCancel, ThreadKey("C0ALARMS", alarmTS), 0, 0, "")}})
	a.settle()
	defer a.dump()
	ups := a.slack.Calls("chat.update")
	if last := ups[len(ups)-1].Form.Get("text"); !strings.Contains(last, "Cancelled by <@W0ONCALL>") {
		t.Fatalf("last update %q", last)
	}
	if len(a.slack.Calls("chat.postEphemeral")) != 0 {
		t.Fatal("replica b told the user nothing was running")
	}
}

func TestTimeoutSaysWhichLimit(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { c.Slack.Timeout = config.Duration(50 * time.Millisecond) })
	h.engine.hold = make(chan struct{}) // never released: the timeout ends it
	h.sendEvent("Ev760", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	ups := h.slack.Calls("chat.update")
	if last := ups[len(ups)-1].Form.Get("text"); !strings.Contains(last, "the limit set by `slack.timeout`") {
		t.Fatalf("last update %q", last)
	}
	if s, _ := h.store.Load(context.Background(), ThreadKey("C0ALARMS", alarmTS)); s.State != StateFailed {
		t.Fatalf("state %s", s.State)
	}
}

// failingModel fails the analysis the way Bedrock does without access.
type failingModel struct{ *engineScript }

func (failingModel) Analyze(ctx context.Context, b *investigate.Bundle, desc string, progress func(Step)) (*analysis.Report, error) {
	return nil, telemetry.Errorf(telemetry.KindAccessDenied, "Bedrock denied InvokeModel on test-model.").WithHint("Grant bedrock:InvokeModel.")
}

func TestAnalysisFailureKeepsTheEvidence(t *testing.T) {
	h := newHarness(t, nil)
	h.bridge.engine = failingModel{h.engine}
	h.sendEvent("Ev770", chatbotAlarm("checkout-5xx", "ALARM", alarmTS), nil)
	defer h.dump()
	posts := h.slack.threadPosts("C0ALARMS", alarmTS)
	var texts []string
	for _, p := range posts {
		texts = append(texts, p.Form.Get("text"))
	}
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, "Evidence for") || !strings.Contains(all, "The analysis failed: Bedrock denied InvokeModel on test-model. Grant bedrock:InvokeModel.") {
		t.Fatalf("thread:\n%s", all)
	}
}
