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
		r.ParseForm()
		method := strings.TrimPrefix(r.URL.Path, "/")
		v := url.Values{"method": {method}}
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

// fa2 slack --http --snapshot examples/demo: a signed Chatbot alarm for the
// demo's alarm is investigated by the real engine in its thread.
func TestSlackHTTPOnTheDemoSnapshot(t *testing.T) {
	api := newSlackAPI(t)
	const secret = "demo-signing-secret"
	t.Setenv("FA2_SLACK_BOT_TOKEN", "xoxb-1-2-demo")
	t.Setenv("FA2_SLACK_SIGNING_SECRET", secret)
	t.Setenv("FA2_SLACK_API_URL", api.URL)
	t.Setenv("FA2_SLACK_ON_ALARM", "investigate")
	t.Setenv("FA2_SESSIONS_PATH", filepath.Join(t.TempDir(), "s.db"))
	t.Setenv("FA2_BEDROCK_MODEL_ID", "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"slack", "--http", addr, "--snapshot", demoSnapshot}, strings.NewReader(""), io.Discard, &stderr)
	}()
	var up bool
	for i := 0; i < 200 && !up; i++ {
		if r, err := http.Get("http://" + addr + "/healthz"); err == nil && r.StatusCode == 200 {
			up = true
		} else {
			time.Sleep(25 * time.Millisecond)
		}
	}
	if !up {
		cancel()
		t.Fatalf("fa2 slack did not come up: %s", stderr.String())
	}
	alarm := `{"type":"message","subtype":"bot_message","channel":"C0ALARMS","bot_id":"B1","app_id":"A6L22LZNH","ts":"1796094660.000100",
	  "attachments":[{"color":"danger","title":"CloudWatch Alarm | checkout-api-5xx-high | us-east-1 | Account: 123456789012","fields":[{"title":"State","value":"ALARM"}]}]}`
	body := []byte(`{"type":"event_callback","event_id":"Ev1","event":` + alarm + `}`)
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("event: %v %v", resp, err)
	}
	var texts []string
	for i := 0; i < 400; i++ {
		texts = texts[:0]
		for _, c := range api.methods("chat.postMessage") {
			texts = append(texts, c.Get("text"))
		}
		if strings.Contains(strings.Join(texts, "\n"), "Analysis is not enabled") {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, "Evidence for") || !strings.Contains(all, "Analysis is not enabled") {
		t.Fatalf("thread posts:\n%s\nlog:\n%s", all, stderr.String())
	}
	for _, c := range api.methods("chat.postMessage") {
		if c.Get("thread_ts") != "1796094660.000100" {
			t.Errorf("a post outside the alarm's thread: %v", c)
		}
	}
	var blocks string
	for _, c := range api.methods("chat.postMessage") {
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
}
