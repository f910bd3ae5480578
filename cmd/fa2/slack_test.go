package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

// slackAPI is a minimal recording Slack Web API for the command's tests.
type slackAPI struct {
	*httptest.Server
	mu    sync.Mutex
	calls []url.Values
	seq   int
	auth  string // auth.test's error, "" for ok
}

func newSlackAPI(t *testing.T) *slackAPI {
	s := &slackAPI{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		r.ParseForm()
		method := strings.TrimPrefix(r.URL.Path, "/")
		v := url.Values{"method": {method}, "body": {string(raw)}}
		for k, vals := range r.Form {
			v[k] = vals
		}
		s.mu.Lock()
		s.calls = append(s.calls, v)
		s.seq++
		ts := fmt.Sprintf("1796094700.%06d", s.seq)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch method {
		case "auth.test":
			if s.auth != "" {
				fmt.Fprintf(w, `{"ok":false,"error":%q}`, s.auth)
				return
			}
			io.WriteString(w, `{"ok":true,"user_id":"U0FA2BOT","user":"fa2","team":"Test"}`)
		case "chat.postMessage":
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, r.Form.Get("channel"), ts)
		case "files.getUploadURLExternal":
			fmt.Fprintf(w, `{"ok":true,"upload_url":"%s/upload","file_id":"F1"}`, s.URL)
		case "files.completeUploadExternal":
			io.WriteString(w, `{"ok":true,"files":[{"id":"F1"}]}`)
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *slackAPI) methods(name string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []url.Values
	for _, c := range s.calls {
		if c.Get("method") == name {
			out = append(out, c)
		}
	}
	return out
}

func TestSlackBadTokenFailsWithoutEchoingIt(t *testing.T) {
	api := newSlackAPI(t)
	api.auth = "invalid_auth"
	t.Setenv("FA2_SLACK_BOT_TOKEN", "xoxb-999-888-TOPSECRET")
	t.Setenv("FA2_SLACK_APP_TOKEN", "xapp-1-A1-TOPSECRETAPP")
	t.Setenv("FA2_SLACK_API_URL", api.URL)
	t.Setenv("FA2_SESSIONS_PATH", filepath.Join(t.TempDir(), "s.db"))
	code, out, errOut := runCLI(t, "slack", "--snapshot", demoSnapshot)
	if code != 1 || !strings.Contains(errOut, "Slack rejected slack.bot_token (invalid_auth)") {
		t.Fatalf("exit %d stderr %q", code, errOut)
	}
	if strings.Contains(errOut+out, "TOPSECRET") {
		t.Fatalf("the token leaked: %q", errOut)
	}
}

func TestSlackNamesMissingSettings(t *testing.T) {
	t.Setenv("FA2_SLACK_BOT_TOKEN", "")
	code, _, errOut := runCLI(t, "slack", "--snapshot", demoSnapshot)
	if code != 1 || !strings.Contains(errOut, "slack.bot_token (FA2_SLACK_BOT_TOKEN)") || !strings.Contains(errOut, "slack.app_token (FA2_SLACK_APP_TOKEN)") {
		t.Fatalf("exit %d stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "slack", "--http", "127.0.0.1:0", "--snapshot", demoSnapshot)
	if code != 1 || !strings.Contains(errOut, "slack.signing_secret (FA2_SLACK_SIGNING_SECRET)") {
		t.Fatalf("exit %d stderr %q", code, errOut)
	}
}

// startSlack runs `fa2 slack --http` on the demo snapshot against api and
// returns its address and a function that stops it and returns its exit
// code and log.
func startSlack(t *testing.T, api *slackAPI, secret string) (string, func() (int, string)) {
	t.Helper()
	t.Setenv("FA2_SLACK_BOT_TOKEN", "xoxb-1-2-demo")
	t.Setenv("FA2_SLACK_SIGNING_SECRET", secret)
	t.Setenv("FA2_SLACK_API_URL", api.URL)
	t.Setenv("FA2_SLACK_ON_ALARM", "investigate")
	t.Setenv("FA2_SESSIONS_PATH", filepath.Join(t.TempDir(), "s.db"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr syncBuffer
	go func() {
		done <- run(ctx, []string{"slack", "--http", addr, "--snapshot", demoSnapshot}, strings.NewReader(""), io.Discard, &stderr)
	}()
	stop := func() (int, string) { cancel(); return <-done, stderr.String() }
	for i := 0; i < 200; i++ {
		if r, err := http.Get("http://" + addr + "/healthz"); err == nil && r.StatusCode == 200 {
			return addr, stop
		}
		time.Sleep(25 * time.Millisecond)
	}
	_, log := stop()
	t.Fatalf("fa2 slack did not come up: %s", log)
	return "", nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// sendSigned posts a signed Events API callback.
func sendSigned(t *testing.T, addr, secret, eventID, inner string) {
	t.Helper()
	body := `{"type":"event_callback","event_id":"` + eventID + `","event":` + inner + `}`
	postSigned(t, addr, secret, "application/json", []byte(body))
}

// sendSignedForm posts a signed slash command.
func sendSignedForm(t *testing.T, addr, secret string, form url.Values) {
	t.Helper()
	postSigned(t, addr, secret, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// postSigned posts body to /slack/events signed with secret, as Slack does.
func postSigned(t *testing.T, addr, secret, contentType string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s post: %v %v", contentType, resp, err)
	}
}

// waitPost waits until a chat.postMessage text contains want, and returns
// every text posted so far.
func (s *slackAPI) waitPost(want string) string {
	var all string
	for i := 0; i < 600; i++ {
		var texts []string
		for _, c := range s.methods("chat.postMessage") {
			texts = append(texts, c.Get("text"))
		}
		all = strings.Join(texts, "\n")
		if strings.Contains(all, want) {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	return all
}

const demoAlarm = `{"type":"message","subtype":"bot_message","channel":"C0ALARMS","bot_id":"B1","app_id":"A6L22LZNH","ts":"1796094660.000100",
  "attachments":[{"color":"danger","title":"CloudWatch Alarm | checkout-api-5xx-high | us-east-1 | Account: 123456789012","fields":[{"title":"State","value":"ALARM"}]}]}`

// fa2 slack --http --snapshot examples/demo: a signed Chatbot alarm for the
// demo's alarm is investigated by the real engine in its thread; without a
// model the thread says how to enable analysis.
func TestSlackHTTPOnTheDemoSnapshot(t *testing.T) {
	api := newSlackAPI(t)
	t.Setenv("FA2_BEDROCK_MODEL_ID", "")
	addr, stop := startSlack(t, api, "demo-signing-secret")
	sendSigned(t, addr, "demo-signing-secret", "Ev1", demoAlarm)
	all := api.waitPost("Analysis is not enabled")
	// /fa2 insight without a model: select_metrics' ranking, through the
	// command's response_url.
	form := url.Values{"command": {"/fa2"}, "text": {"insight why does checkout fail 2"}, "user_id": {"W1"},
		"channel_id": {"C0ALARMS"}, "response_url": {api.URL + "/response"}}
	sendSignedForm(t, addr, "demo-signing-secret", form)
	var answer string
	for i := 0; i < 400 && answer == ""; i++ {
		for _, c := range api.methods("response") {
			answer = c.Get("body")
		}
		time.Sleep(25 * time.Millisecond)
	}
	code, log := stop()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	if strings.Contains(log, "xoxb-1-2-demo") || strings.Contains(log, "demo-signing-secret") || !strings.Contains(log, "fa2 slack started") {
		t.Errorf("the log must show the start and never a secret:\n%s", log)
	}
	if !strings.Contains(all, "Evidence for") || !strings.Contains(all, "Analysis is not enabled") {
		t.Fatalf("thread posts:\n%s", all)
	}
	var blocks string
	for _, c := range api.methods("chat.postMessage") {
		if c.Get("thread_ts") != "1796094660.000100" {
			t.Errorf("a post outside the alarm's thread: %v", c)
		}
		if strings.Contains(c.Get("text"), "Evidence for") {
			blocks = c.Get("blocks")
		}
	}
	var parsed []map[string]any
	if err := json.Unmarshal([]byte(blocks), &parsed); err != nil || len(parsed) < 2 {
		t.Fatalf("evidence blocks: %s", blocks)
	}
	if testing.Verbose() {
		t.Logf("evidence message blocks: %s", blocks)
	}
	if len(api.methods("files.completeUploadExternal")) == 0 {
		t.Error("the evidence bundle was not uploaded as a file")
	}
	if !strings.Contains(answer, "why does checkout fail") || !strings.Contains(answer, "in_channel") || !strings.Contains(answer, "5XX") {
		t.Errorf("insight answer: %s", answer)
	}
	if testing.Verbose() {
		t.Logf("insight answer: %s", answer)
	}
}

// With a model (the strict Converse fake): the report is posted and
// uploaded, and a mention in the thread is answered with the earlier
// conclusion in the model's prompt.
func TestSlackAnalysisAndFollowUpWithConverseFake(t *testing.T) {
	model := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if strings.Contains(req.Text(), "Follow-up question") {
			return conversefake.Reply{Text: "```json\n" + `{"title":"follow-up","summary":"Yes: task definition checkout-api:42 changed the DB secret ARN (E1).","root_cause":{"text":"checkout-api:42 points at the wrong secret","confidence":"high","severity":"high","citations":["E1"]}}` + "\n```"}
		}
		return conversefake.Reply{Text: "```json\n" + `{"title":"checkout-api 5xx","summary":"The deploy of checkout-api:42 broke DB logins.","root_cause":{"text":"Task definition checkout-api:42 reads the wrong DB secret, so every login fails","confidence":"high","severity":"high","citations":["E1"]},"actions":{"mitigate":["Roll back to checkout-api:41"],"fix":[],"prevent":[]}}` + "\n```"}
	})
	t.Setenv("FA2_BEDROCK_MODEL_ID", "test-model")
	t.Setenv("FA2_BEDROCK_MODE", "oneshot")
	pointBedrockAt(t, model)
	knowledgeDir := t.TempDir()
	t.Setenv("FA2_KNOWLEDGE_DIR", knowledgeDir)
	t.Setenv("FA2_KNOWLEDGE_SAVE_REPORTS", "true")
	api := newSlackAPI(t)
	addr, stop := startSlack(t, api, "s3")
	sendSigned(t, addr, "s3", "Ev1", demoAlarm)
	all := api.waitPost("Root-cause analysis")
	if !strings.Contains(all, "Root-cause analysis") {
		_, log := stop()
		t.Fatalf("no report; posts:\n%s\nlog:\n%s", all, log)
	}
	sendSigned(t, addr, "s3", "Ev2", `{"type":"app_mention","user":"W1","channel":"C0ALARMS","ts":"1796095000.000001","thread_ts":"1796094660.000100","text":"<@U0FA2BOT> did the deploy change the secret?"}`)
	all = api.waitPost("changed the DB secret ARN")
	// The pictures follow the report; drawing them takes a moment.
	var diagram bool
	for i := 0; i < 600 && !diagram; i++ {
		for _, c := range api.methods("files.completeUploadExternal") {
			diagram = diagram || strings.Contains(c.Get("files"), "Hypothesis diagram") && c.Get("thread_ts") == "1796094660.000100"
		}
		time.Sleep(25 * time.Millisecond)
	}
	if code, log := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	if !strings.Contains(all, "changed the DB secret ARN") {
		t.Fatalf("no follow-up answer:\n%s", all)
	}
	if rej := model.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	reqs := model.Requests()
	last := reqs[len(reqs)-1].Text()
	if !strings.Contains(last, "Earlier conclusion (high confidence): Task definition checkout-api:42 reads the wrong DB secret") || !strings.Contains(last, "did the deploy change the secret?") {
		t.Errorf("the follow-up prompt lacks the earlier context:\n%s", last)
	}
	if testing.Verbose() {
		for _, m := range []string{"chat.postMessage", "chat.update"} {
			for _, c := range api.methods(m) {
				t.Logf("%s ts=%s\n%s", m, c.Get("ts"), strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\n`, "\n").Replace(c.Get("blocks")))
			}
		}
	}
	var uploaded bool
	for _, c := range api.methods("files.completeUploadExternal") {
		uploaded = uploaded || strings.Contains(c.Get("files"), "fa2-report-")
	}
	if !uploaded {
		t.Error("the report was not uploaded")
	}
	// The analysis is saved as a post-mortem draft; the follow-up is not.
	if ds := drafts(t, knowledgeDir); len(ds) != 1 {
		t.Errorf("post-mortem drafts %v, want the one analysis", ds)
	}
	if !diagram {
		t.Error("the hypothesis diagram was not uploaded to the thread")
	}
}

// Bedrock denies the model: the thread still gets a report, under a
// warning that says why; no post-mortem draft is saved; a follow-up says
// the model failed instead of passing the engine's verdict off as an answer.
func TestSlackDegradedReportWhenBedrockFails(t *testing.T) {
	model := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, conversefake.Sequence()))
	t.Setenv("FA2_BEDROCK_MODEL_ID", "test-model")
	t.Setenv("FA2_BEDROCK_MODE", "oneshot")
	pointBedrockAt(t, model)
	knowledgeDir := t.TempDir()
	t.Setenv("FA2_KNOWLEDGE_DIR", knowledgeDir)
	t.Setenv("FA2_KNOWLEDGE_SAVE_REPORTS", "true")
	api := newSlackAPI(t)
	addr, stop := startSlack(t, api, "s4")
	sendSigned(t, addr, "s4", "Ev1", demoAlarm)
	all := api.waitPost("Evidence-based answer, the model failed")
	sendSigned(t, addr, "s4", "Ev2", `{"type":"app_mention","user":"W1","channel":"C0ALARMS","ts":"1796095000.000001","thread_ts":"1796094660.000100","text":"<@U0FA2BOT> did the deploy change the secret?"}`)
	all = api.waitPost("I could not answer")
	if code, log := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	var report string
	for _, c := range api.methods("chat.postMessage") {
		if strings.Contains(c.Get("text"), "Evidence-based answer, the model failed") {
			report = c.Get("blocks")
		}
	}
	for _, want := range []string{":warning: Degraded report", "Bedrock denied access to model test-model", "(low confidence)"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report post lacks %q:\n%s\nall posts:\n%s", want, report, all)
		}
	}
	if !strings.Contains(all, "I could not answer: the model failed, so there is no answer: Bedrock denied access") {
		t.Errorf("the follow-up does not say the model failed:\n%s", all)
	}
	if ds := drafts(t, knowledgeDir); len(ds) != 0 {
		t.Errorf("a degraded report was saved as a post-mortem draft: %v", ds)
	}
}

// fa2 slack in its default mode, Socket Mode, through slacktest's
// websocket: an alarm envelope becomes posts in the alarm's thread.
func TestSlackSocketModeOnTheDemoSnapshot(t *testing.T) {
	var mu sync.Mutex
	var posts []url.Values
	srv := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			mu.Lock()
			posts = append(posts, r.Form)
			n := len(posts)
			mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1796094800.%06d"}`, r.Form.Get("channel"), n)
		})
		c.Handle("/chat.update", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"ok":true}`) })
		c.Handle("/files.getUploadURLExternal", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"ok":false,"error":"not_allowed_in_test"}`)
		})
	})
	srv.Start()
	defer srv.Stop()
	go func() {
		for range srv.SeenFeed { // acks; slacktest blocks until they are read
		}
	}()
	t.Setenv("FA2_SLACK_BOT_TOKEN", "xoxb-1-2-demo")
	t.Setenv("FA2_SLACK_APP_TOKEN", "xapp-1-A1-demo")
	t.Setenv("FA2_SLACK_API_URL", srv.GetAPIURL())
	t.Setenv("FA2_SLACK_ON_ALARM", "investigate")
	t.Setenv("FA2_BEDROCK_MODEL_ID", "")
	t.Setenv("FA2_SESSIONS_PATH", filepath.Join(t.TempDir(), "s.db"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr syncBuffer
	go func() {
		done <- run(ctx, []string{"slack", "--snapshot", demoSnapshot}, strings.NewReader(""), io.Discard, &stderr)
	}()
	env, _ := json.Marshal(map[string]any{"envelope_id": "env-1", "type": "events_api",
		"payload": json.RawMessage(`{"type":"event_callback","event_id":"Ev1","event":` + demoAlarm + `}`)})
	srv.SendToWebsocket(string(env))
	var texts string
	for i := 0; i < 600 && !strings.Contains(texts, "Analysis is not enabled"); i++ {
		time.Sleep(25 * time.Millisecond)
		mu.Lock()
		texts = ""
		for _, p := range posts {
			texts += p.Get("text") + "\n"
		}
		mu.Unlock()
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(texts, "Evidence for *checkout-api-5xx-high*") || !strings.Contains(texts, "Analysis is not enabled") {
		t.Fatalf("posts:\n%s\nlog:\n%s", texts, stderr.String())
	}
	if !strings.Contains(stderr.String(), "connected to Slack over Socket Mode") {
		t.Errorf("log: %s", stderr.String())
	}
}

// Tokens given as aws-secretsmanager: references are read at start, through
// the SDK's endpoint settings; a rejected token is still never printed.
func TestSlackResolvesSecretsManagerReferences(t *testing.T) {
	sm := awsfake.New(t)
	sm.Handle("GetSecretValue", func(c awsfake.Call) awsfake.Reply {
		return awsfake.OK(map[string]any{"Name": c.Str("SecretId"), "SecretString": `{"bot":"xoxb-77-88-FROMSECRETS","app":"xapp-1-A-FROMSECRETS"}`})
	})
	api := newSlackAPI(t)
	api.auth = "token_revoked"
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", sm.URL)
	t.Setenv("AWS_REGION", "us-east-1")
	offlineAWS(t)
	t.Setenv("FA2_SLACK_BOT_TOKEN", "aws-secretsmanager:prod/fa2-slack#bot")
	t.Setenv("FA2_SLACK_APP_TOKEN", "aws-secretsmanager:prod/fa2-slack#app")
	t.Setenv("FA2_SLACK_API_URL", api.URL)
	t.Setenv("FA2_SESSIONS_PATH", filepath.Join(t.TempDir(), "s.db"))
	code, out, errOut := runCLI(t, "slack", "--snapshot", demoSnapshot)
	if code != 1 || !strings.Contains(errOut, "Slack rejected slack.bot_token (token_revoked)") || strings.Contains(errOut+out, "FROMSECRETS") {
		t.Fatalf("exit %d stderr %q", code, errOut)
	}
	calls := sm.Calls("GetSecretValue")
	if len(calls) != 2 || calls[0].Str("SecretId") != "prod/fa2-slack" {
		t.Fatalf("GetSecretValue calls: %+v", calls)
	}
	auth := api.methods("auth.test")
	if len(auth) != 1 || !strings.Contains(auth[0].Get("body")+auth[0].Get("token"), "xoxb-77-88-FROMSECRETS") {
		t.Fatalf("auth.test was not called with the resolved token: %v", auth)
	}
}
