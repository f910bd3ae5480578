package slackbridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkEventAck measures how long Slack waits for its answer to a
// signed alarm delivery (verification, parsing, the ack); the
// investigation runs after it.
func BenchmarkEventAck(b *testing.B) {
	h := newHarness(b, nil)
	h.cfg.Slack.OnAlarm = "ignore" // measure the ack, not Slack calls
	handler := h.bridge.HTTPHandler(signingSecret)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		body := event(fmt.Sprintf("EvB%d", i), chatbotAlarm("checkout-5xx", "ALARM", alarmTS))
		req := httptest.NewRequest("POST", "/slack/events", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		sign(req.Header, body, time.Now(), signingSecret)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	b.StopTimer()
	h.settle()
}

// BenchmarkParseAlarm measures reading an AWS Chatbot notification.
func BenchmarkParseAlarm(b *testing.B) {
	var m message
	json.Unmarshal([]byte(chatbotAlarm("checkout-5xx", "ALARM", alarmTS)), &m)
	b.ReportAllocs()
	for b.Loop() {
		if parseAlarm(m.messageText(), time.Time{}) == nil {
			b.Fatal("no alarm")
		}
	}
}
