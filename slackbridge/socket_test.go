package slackbridge

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// Socket Mode through slacktest's websocket: an alarm envelope is acked
// with its envelope_id and investigated in its thread; a slash command is
// acked with its answer.
func TestSocketModeThroughSlacktest(t *testing.T) {
	h := newHarness(t, nil)
	appAPI := slack.New("xoxb-test-token", slack.OptionAppLevelToken("xapp-1-test"), slack.OptionAPIURL(h.slack.GetAPIURL()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bridge.RunSocketMode(ctx, appAPI) }()

	acks := make(chan map[string]any, 10)
	go func() {
		for m := range h.slack.SeenFeed {
			var v map[string]any
			if json.Unmarshal([]byte(m), &v) == nil && v["envelope_id"] != nil {
				acks <- v
			}
		}
	}()
	waitAck := func(id string) map[string]any {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case a := <-acks:
				if a["envelope_id"] == id {
					return a
				}
			case <-timeout:
				t.Fatalf("no ack for %s", id)
			}
		}
	}

	env, _ := json.Marshal(map[string]any{"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": false,
		"payload": json.RawMessage(event("EvS1", chatbotAlarm("checkout-5xx", "ALARM", alarmTS)))})
	h.slack.SendToWebsocket(string(env))
	waitAck("env-1")
	h.waitFor("the report in the alarm's thread", func() bool {
		for _, p := range h.slack.threadPosts("C0ALARMS", alarmTS) {
			if strings.Contains(p.Form.Get("text"), "Root-cause analysis") {
				return true
			}
		}
		return false
	})
	// Slack redelivers the same event (retry_attempt 1): acked, not rerun.
	env, _ = json.Marshal(map[string]any{"envelope_id": "env-2", "type": "events_api", "retry_attempt": 1, "retry_reason": "timeout",
		"payload": json.RawMessage(event("EvS1", chatbotAlarm("checkout-5xx", "ALARM", alarmTS)))})
	h.slack.SendToWebsocket(string(env))
	waitAck("env-2")

	cmd, _ := json.Marshal(map[string]any{"envelope_id": "env-3", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"command": "/fa2", "text": "help", "user_id": "W0ONCALL", "channel_id": "C0ALARMS", "trigger_id": "t"}})
	h.slack.SendToWebsocket(string(cmd))
	ack := waitAck("env-3")
	if p, _ := json.Marshal(ack["payload"]); !strings.Contains(string(p), "/fa2 insight") {
		t.Errorf("slash command ack payload: %s", p)
	}
	h.settle()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunSocketMode: %v", err)
	}
	if n := len(h.engine.investigations()); n != 1 {
		t.Fatalf("%d investigations over Socket Mode, want 1", n)
	}
	h.dump()
}
