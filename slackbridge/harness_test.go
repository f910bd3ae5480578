package slackbridge

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// apiCall is one Web API request the bridge made.
type apiCall struct {
	Method string
	Form   url.Values
	Body   string // raw body for uploads and response_url posts
}

// BlocksText is the blocks parameter with JSON's HTML escapes undone, for
// searching what people read.
func (c apiCall) BlocksText() string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(c.Form.Get("blocks"))
}

// Blocks decodes the call's blocks parameter.
func (c apiCall) Blocks() []map[string]any {
	var out []map[string]any
	json.Unmarshal([]byte(c.Form.Get("blocks")), &out)
	return out
}

// fakeSlack is slacktest's server with the Web API methods the bridge uses
// answered and recorded (slacktest tracks RTM traffic, not Web API posts).
type fakeSlack struct {
	*slacktest.Server
	mu    sync.Mutex
	calls []apiCall
	seq   int
	// failPost makes chat.postMessage to these channels fail.
	failPost map[string]string
}

const botUser = "U0FA2BOT"

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{failPost: map[string]string{}}
	record := func(method string, r *http.Request) apiCall {
		raw, _ := io.ReadAll(r.Body)
		c := apiCall{Method: method, Body: string(raw), Form: r.URL.Query()}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			form, _ := url.ParseQuery(string(raw))
			for k, v := range form {
				c.Form[k] = v
			}
		}
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
		return c
	}
	ok := func(w http.ResponseWriter, v map[string]any) {
		v["ok"] = true
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	f.Server = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			call := record("chat.postMessage", r)
			ch := call.Form.Get("channel")
			if e, bad := f.failPost[ch]; bad {
				json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": e})
				return
			}
			f.mu.Lock()
			f.seq++
			ts := fmt.Sprintf("1796094700.%06d", f.seq)
			f.mu.Unlock()
			ok(w, map[string]any{"channel": ch, "ts": ts, "message": map[string]any{"text": call.Form.Get("text"), "ts": ts}})
		})
		c.Handle("/chat.update", func(w http.ResponseWriter, r *http.Request) {
			call := record("chat.update", r)
			ok(w, map[string]any{"channel": call.Form.Get("channel"), "ts": call.Form.Get("ts"), "text": call.Form.Get("text")})
		})
		c.Handle("/chat.postEphemeral", func(w http.ResponseWriter, r *http.Request) {
			record("chat.postEphemeral", r)
			ok(w, map[string]any{"message_ts": "1796094799.000001"})
		})
		c.Handle("/chat.getPermalink", func(w http.ResponseWriter, r *http.Request) {
			call := record("chat.getPermalink", r)
			ok(w, map[string]any{"channel": call.Form.Get("channel"),
				"permalink": "https://example.slack.com/archives/" + call.Form.Get("channel") + "/p" + strings.ReplaceAll(call.Form.Get("message_ts"), ".", "")})
		})
		c.Handle("/views.open", func(w http.ResponseWriter, r *http.Request) {
			record("views.open", r)
			ok(w, map[string]any{"view": map[string]any{"id": "V0FORM"}})
		})
		c.Handle("/conversations.open", func(w http.ResponseWriter, r *http.Request) {
			record("conversations.open", r)
			ok(w, map[string]any{"channel": map[string]any{"id": "D0USER"}})
		})
		c.Handle("/files.getUploadURLExternal", func(w http.ResponseWriter, r *http.Request) {
			call := record("files.getUploadURLExternal", r)
			ok(w, map[string]any{"upload_url": "http://" + f.ServerAddr + "/upload/" + call.Form.Get("filename"), "file_id": "F" + call.Form.Get("length")})
		})
		c.Handle("/upload/", func(w http.ResponseWriter, r *http.Request) {
			record("upload", r)
			io.WriteString(w, "OK")
		})
		c.Handle("/files.completeUploadExternal", func(w http.ResponseWriter, r *http.Request) {
			call := record("files.completeUploadExternal", r)
			var files []map[string]any
			json.Unmarshal([]byte(call.Form.Get("files")), &files)
			ok(w, map[string]any{"files": files})
		})
		c.Handle("/response/", func(w http.ResponseWriter, r *http.Request) {
			record("response_url", r)
			io.WriteString(w, "ok")
		})
	})
	f.Start()
	t.Cleanup(f.Stop)
	return f
}

// Calls returns the recorded calls of method ("" for all).
func (f *fakeSlack) Calls(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Posts returns the texts of chat.postMessage calls in a thread.
func (f *fakeSlack) threadPosts(channel, thread string) []apiCall {
	var out []apiCall
	for _, c := range f.Calls("chat.postMessage") {
		if c.Form.Get("channel") == channel && c.Form.Get("thread_ts") == thread {
			out = append(out, c)
		}
	}
	return out
}

// engineScript is a scripted Engine: a realistic bundle and report, with
// knobs for the cases under test.
type engineScript struct {
	mu           sync.Mutex
	investigated []investigate.Request
	analyzed     int
	followUps    []FollowUp
	insights     []string
	noModel      bool
	// degraded, when set, makes Analyze answer as bedrock does when the
	// model fails: the engine's report, marked with this notice.
	degraded string
	// hold, when set, makes Investigate wait for it (or the context).
	hold chan struct{}
	// started is signalled when Investigate begins.
	started chan string
}

func (e *engineScript) Investigate(ctx context.Context, req investigate.Request) (*investigate.Bundle, error) {
	e.mu.Lock()
	e.investigated = append(e.investigated, req)
	hold, started := e.hold, e.started
	e.mu.Unlock()
	if started != nil {
		started <- req.AlarmName + req.Description
	}
	req.Progress.Report(1, 3, "logs: 412 ERROR lines in /ecs/checkout, 1 new template")
	req.Progress.Report(2, 3, "cloudtrail: 3 changes, 1 likely suspect")
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	req.Progress.Report(3, 3, "metrics: 5XXError departed at 03:09:40")
	return demoBundle(), nil
}

func demoBundle() *investigate.Bundle {
	onset := time.Date(2026, 12, 1, 3, 9, 40, 0, time.UTC)
	return &investigate.Bundle{
		Title: "checkout-5xx", Source: "snapshot", Language: "en",
		Window: telemetry.Window{Start: onset.Add(-30 * time.Minute), End: onset.Add(15 * time.Minute)},
		Onset:  &onset, OnsetSignal: "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
		Suspects: []investigate.Suspect{{EventName: "UpdateFunctionConfiguration", EventTime: onset.Add(-40 * time.Second),
			Principal: "arn:aws:sts::123456789012:assumed-role/deploy/ci-pipeline", Likelihood: investigate.Likely, EvidenceID: "E3"}},
		Evidence: []investigate.Evidence{
			{ID: "E1", Source: "logs", Title: "New ERROR template: AccessDeniedException calling secretsmanager:GetSecretValue (412×)"},
			{ID: "E2", Source: "metrics", Title: "HTTPCode_Target_5XX_Count rose from 0 to 240/min at 03:09:40"},
			{ID: "E3", Source: "changes", Title: "UpdateFunctionConfiguration on checkout-api changed its role at 03:09:00"},
		},
		Gaps: []investigate.Gap{{Source: "traces", What: "X-Ray returned AccessDenied.", Action: "Grant xray:GetTraceSummaries."}},
	}
}

func (e *engineScript) Analyze(ctx context.Context, b *investigate.Bundle, desc string, progress func(Step)) (*analysis.Report, error) {
	e.mu.Lock()
	e.analyzed++
	noModel := e.noModel
	e.mu.Unlock()
	if noModel {
		return nil, ErrNoModel
	}
	progress(Step{Text: "query_logs /ecs/checkout AccessDenied → 412 lines (E1)", Tool: "query_logs"})
	progress(Step{Text: "query_cloudtrail UpdateFunctionConfiguration → role changed (E3)", Tool: "query_cloudtrail"})
	e.mu.Lock()
	degraded := e.degraded
	e.mu.Unlock()
	if degraded != "" {
		return &analysis.Report{Title: "checkout-5xx", Language: "en", Mode: "oneshot", Model: "test-model", Degraded: degraded,
			Summary:   "UpdateFunctionConfiguration is the likely cause.",
			RootCause: analysis.RootCause{Text: "UpdateFunctionConfiguration by deploy — the engine's top suspect.", Confidence: analysis.Low, Citations: []string{"E3"}},
			Bundle:    b}, nil
	}
	return &analysis.Report{
		Title: "checkout-5xx", Language: "en", Mode: "agent", Model: "test-model",
		Summary: "Checkout failed because the new role cannot read its database secret.",
		RootCause: analysis.RootCause{Text: "The 03:09 deploy switched checkout-api to role **checkout-v2**, which lacks secretsmanager:GetSecretValue; every request then failed.",
			Confidence: analysis.High, Severity: analysis.High, Citations: []string{"E1", "E3"}},
		Actions: analysis.Actions{Mitigate: []string{"Roll back checkout-api to the previous role"}, Fix: []string{"Grant secretsmanager:GetSecretValue on the DB secret to checkout-v2"}, Prevent: []string{"Add a permission check to the deploy pipeline"}},
		Bundle:  b,
	}, nil
}

func (e *engineScript) FollowUp(ctx context.Context, q FollowUp) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.followUps = append(e.followUps, q)
	if e.noModel {
		return "", ErrNoModel
	}
	return fmt.Sprintf("Yes: the deploy at 03:09 changed the role (%s, %d earlier turns).", q.Bundle.Suspects[0].EvidenceID, len(q.Conversation)), nil
}

func (e *engineScript) Insight(ctx context.Context, question string, days int) (string, error) {
	e.mu.Lock()
	e.insights = append(e.insights, fmt.Sprintf("%s/%d", question, days))
	e.mu.Unlock()
	return "p99 latency of **checkout** doubled on 2026-11-28 after the cache node was replaced.", nil
}

func (e *engineScript) Findings(ctx context.Context) (string, error) {
	return "", telemetry.Errorf(telemetry.KindAccessDenied, "GuardDuty denied ListFindings.").WithHint("Grant guardduty:ListFindings.")
}

func (e *engineScript) investigations() []investigate.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]investigate.Request(nil), e.investigated...)
}

// harness is a bridge served over HTTP against the fake Slack.
type harness struct {
	t      testing.TB
	slack  *fakeSlack
	engine *engineScript
	bridge *Bridge
	store  Store
	srv    *httptest.Server
	cfg    *config.Config
	// noWait makes send return once Slack has its answer, without waiting
	// for the work (for tests that hold the engine).
	noWait bool
}

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"

func newHarness(t testing.TB, mutate func(*config.Config)) *harness {
	t.Helper()
	cfg := config.Default()
	cfg.Slack.OnAlarm = "investigate"
	cfg.Slack.SigningSecret = signingSecret
	if mutate != nil {
		mutate(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	fs := newFakeSlack(t)
	store, err := NewBoltStore(filepath.Join(t.TempDir(), "sessions.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	eng := &engineScript{}
	api := slack.New("xoxb-test-token", slack.OptionAPIURL(fs.GetAPIURL()))
	log := zerolog.Nop()
	if testing.Verbose() {
		log = zerolog.New(zerolog.ConsoleWriter{Out: testWriter{t}, NoColor: true}).Level(zerolog.DebugLevel)
	}
	b, err := New(Options{Config: &cfg, Engine: eng, Store: store, API: api, Log: log, BotUserID: botUser, ProgressEvery: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.HTTPHandler(signingSecret))
	t.Cleanup(srv.Close)
	h := &harness{t: t, slack: fs, engine: eng, bridge: b, store: store, srv: srv, cfg: &cfg}
	t.Cleanup(func() { h.bridge.Shutdown(context.Background()) })
	return h
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// sign signs body as Slack does, at ts.
func sign(h http.Header, body []byte, ts time.Time, secret string) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	h.Set("X-Slack-Request-Timestamp", stamp)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// send posts a signed request to /slack/events and waits for the work it
// started to finish.
func (h *harness) send(contentType string, body []byte, headers map[string]string) *http.Response {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	sign(req.Header, body, time.Now(), signingSecret)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if !h.noWait {
		h.settle()
	}
	return resp
}

// waitFor polls cond (work runs on the bridge's goroutines) for up to 10 s.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	for i := 0; i < 1000; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.t.Fatalf("timed out waiting for %s", what)
}

// settle waits for every piece of work the bridge started.
func (h *harness) settle() { h.bridge.wg.Wait() }

// event wraps an inner event in an Events API callback.
func event(id string, inner string) []byte {
	return []byte(fmt.Sprintf(`{"token":"x","team_id":"T1","api_app_id":"A0FA2","type":"event_callback","event_id":%q,"event_time":1796094661,"event":%s}`, id, inner))
}

func (h *harness) sendEvent(id, inner string, headers map[string]string) *http.Response {
	return h.send("application/json", event(id, inner), headers)
}

func (h *harness) sendForm(v url.Values) *http.Response {
	return h.send("application/x-www-form-urlencoded", []byte(v.Encode()), nil)
}

// chatbotAlarm is an AWS Chatbot notification posted at ts in C0ALARMS.
func chatbotAlarm(name, state, ts string) string {
	color, emoji := "danger", ":rotating_light:"
	if state == "OK" {
		color, emoji = "good", ":white_check_mark:"
	}
	return fmt.Sprintf(`{"type":"message","subtype":"bot_message","channel":"C0ALARMS","bot_id":"B0CHATBOT","app_id":"A6L22LZNH","ts":%q,"text":"",
	  "attachments":[{"color":%q,"title":"%s CloudWatch Alarm | %s | us-east-1 | Account: 123456789012",
	   "text":"Threshold Crossed: 1 datapoint [12.0] was greater than or equal to the threshold (5.0).",
	   "fields":[{"title":"State","value":%q}]}]}`, ts, color, emoji, name, state)
}

// dump prints the messages a test posted, as people would read them.
func (h *harness) dump() {
	if !testing.Verbose() {
		return
	}
	for _, c := range h.slack.Calls("") {
		switch c.Method {
		case "chat.postMessage", "chat.update", "chat.postEphemeral":
			var texts []string
			for _, b := range c.Blocks() {
				if t, ok := b["text"].(map[string]any); ok {
					texts = append(texts, fmt.Sprint(t["text"]))
				}
				if els, ok := b["elements"].([]any); ok {
					for _, e := range els {
						if m, ok := e.(map[string]any); ok {
							if m["type"] == "button" {
								texts = append(texts, "[button: "+fmt.Sprint(m["text"].(map[string]any)["text"])+"]")
							} else if m["text"] != nil {
								texts = append(texts, fmt.Sprint(m["text"]))
							}
						}
					}
				}
				if b["type"] == "input" {
					texts = append(texts, fmt.Sprintf("[input %v: %v]", b["label"].(map[string]any)["text"], b["element"].(map[string]any)["type"]))
				}
			}
			if len(texts) == 0 {
				texts = []string{c.Form.Get("text")}
			}
			h.t.Logf("%s ch=%s thread=%s ts=%s\n    %s", c.Method, c.Form.Get("channel"), c.Form.Get("thread_ts"), c.Form.Get("ts"), strings.ReplaceAll(strings.Join(texts, "\n"), "\n", "\n    "))
		case "files.completeUploadExternal":
			h.t.Logf("file upload ch=%s thread=%s files=%s comment=%q", c.Form.Get("channel_id"), c.Form.Get("thread_ts"), c.Form.Get("files"), c.Form.Get("initial_comment"))
		case "response_url":
			h.t.Logf("response_url %s", c.Body)
		}
	}
}
