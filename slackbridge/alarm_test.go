package slackbridge

import (
	"encoding/json"
	"testing"
	"time"
)

// Notification shapes seen from AWS Chatbot / Amazon Q Developer and from
// forwarders; each must yield the same facts.
func TestParseAlarmShapes(t *testing.T) {
	posted := time.Date(2026, 12, 1, 3, 11, 0, 0, time.UTC)
	cases := []struct {
		name string
		msg  string // message event JSON
		want *Alarm
	}{
		{
			name: "Chatbot legacy attachment with fields",
			msg: `{"type":"message","subtype":"bot_message","bot_id":"B01","app_id":"A6L22LZNH","text":"",
			  "attachments":[{"color":"danger","fallback":"CloudWatch Alarm | checkout-5xx",
			   "title":":rotating_light: CloudWatch Alarm | checkout-5xx | us-east-1 | Account: 123456789012",
			   "text":"Checkout returns 5xx\nThreshold Crossed: 1 out of the last 1 datapoints [12.0 (01/12/26 03:10:00)] was greater than or equal to the threshold (5.0).",
			   "fields":[{"title":"State Change","value":"OK -> ALARM","short":true},{"title":"State","value":"ALARM","short":true}]}]}`,
			want: &Alarm{Name: "checkout-5xx", State: "ALARM", Region: "us-east-1", Account: "123456789012",
				Reason: "Threshold Crossed: 1 out of the last 1 datapoints [12.0 (01/12/26 03:10:00)] was greater than or equal to the threshold (5.0)."},
		},
		{
			name: "Amazon Q Developer blocks with label/value fields and a long region name",
			msg: `{"type":"message","bot_id":"B02","bot_profile":{"id":"B02","app_id":"A6L22LZNH"},"text":"",
			  "blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*:red_circle: CloudWatch Alarm | api-latency-p99 | Asia Pacific (Tokyo) | Account: 111122223333*"}},
			   {"type":"section","fields":[{"type":"mrkdwn","text":"*Alarm state*\nALARM"},{"type":"mrkdwn","text":"*Reason*\nThreshold Crossed: p99 latency 2.4 s > 1 s"}]},
			   {"type":"context","elements":[{"type":"mrkdwn","text":"State changed from OK to ALARM"}]}]}`,
			want: &Alarm{Name: "api-latency-p99", State: "ALARM", PreviousState: "OK", Region: "ap-northeast-1", Account: "111122223333",
				Reason: "Threshold Crossed: p99 latency 2.4 s > 1 s"},
		},
		{
			name: "plain text with the alarm ARN (a forwarder)",
			msg:  `{"type":"message","bot_id":"B03","text":"State changed from OK to ALARM for arn:aws:cloudwatch:eu-west-1:444455556666:alarm:orders-queue-depth\nReason: Threshold Crossed: ApproximateNumberOfMessagesVisible 9000 > 1000"}`,
			want: &Alarm{Name: "orders-queue-depth", State: "ALARM", PreviousState: "OK", Region: "eu-west-1", Account: "444455556666",
				Reason: "Threshold Crossed: ApproximateNumberOfMessagesVisible 9000 > 1000"},
		},
		{
			name: "SNS email-style subject",
			msg:  `{"type":"message","bot_id":"B04","text":"ALARM: \"db-cpu-high\" in EU (Ireland)"}`,
			want: &Alarm{Name: "db-cpu-high", State: "ALARM", Region: "eu-west-1"},
		},
		{
			name: "OK notification",
			msg: `{"type":"message","bot_id":"B01","app_id":"A6L22LZNH","attachments":[{"color":"good",
			  "title":":white_check_mark: CloudWatch Alarm | checkout-5xx | us-east-1 | Account: 123456789012","text":"Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (5.0)."}]}`,
			want: &Alarm{Name: "checkout-5xx", State: "OK", Region: "us-east-1", Account: "123456789012",
				Reason: "Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (5.0)."},
		},
		{
			name: "a looser header without the account, state in a context line",
			msg: `{"type":"message","bot_id":"B02","app_id":"A6L22LZNH",
			  "blocks":[{"type":"header","text":{"type":"plain_text","text":"🔴 Alarm | payments-dlq-not-empty | eu-central-1"}},
			   {"type":"context","elements":[{"type":"mrkdwn","text":"Status: ALARM"},{"type":"mrkdwn","text":"Account: 999988887777"}]}]}`,
			want: &Alarm{Name: "payments-dlq-not-empty", State: "ALARM", Region: "eu-central-1", Account: "999988887777"},
		},
		{
			name: "a bar-separated line that is no alarm header (no region)",
			msg:  `{"type":"message","bot_id":"B01","app_id":"A6L22LZNH","text":"Alarm | weekly report | ready"}`,
			want: nil,
		},
		{
			name: "a Chatbot message that is no alarm (a command's output)",
			msg:  `{"type":"message","bot_id":"B01","app_id":"A6L22LZNH","text":"@aws lambda list-functions --region us-east-1: 12 functions"}`,
			want: nil,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m message
			if err := json.Unmarshal([]byte(c.msg), &m); err != nil {
				t.Fatal(err)
			}
			got := parseAlarm(m.messageText(), posted)
			if c.want == nil {
				if got != nil {
					t.Fatalf("parsed an alarm from a non-alarm message: %+v", got)
				}
				return
			}
			if got == nil {
				t.Fatalf("no alarm found in:\n%s", m.messageText())
			}
			c.want.At = posted
			if *got != *c.want {
				t.Errorf("got  %+v\nwant %+v\ntext:\n%s", *got, *c.want, m.messageText())
			}
		})
	}
}

func TestAlarmFiredOnlyOnTransitionIntoAlarm(t *testing.T) {
	for _, c := range []struct {
		state, prev string
		fired       bool
	}{{"ALARM", "OK", true}, {"ALARM", "", true}, {"ALARM", "INSUFFICIENT_DATA", true}, {"ALARM", "ALARM", false}, {"OK", "ALARM", false}, {"INSUFFICIENT_DATA", "OK", false}} {
		a := &Alarm{Name: "x", State: c.state, PreviousState: c.prev}
		if a.Fired() != c.fired {
			t.Errorf("%s → %s: Fired() = %v", c.prev, c.state, !c.fired)
		}
	}
}

func TestFromAlarmSource(t *testing.T) {
	sources := []string{"A6L22LZNH", "B0FORWARD"}
	for _, c := range []struct {
		msg  string
		want bool
	}{
		{`{"bot_id":"B1","app_id":"A6L22LZNH"}`, true},
		{`{"bot_id":"B1","bot_profile":{"app_id":"A6L22LZNH"}}`, true},
		{`{"bot_id":"B0FORWARD"}`, true},
		{`{"bot_id":"B1","app_id":"AOTHER"}`, false},
		{`{"user":"U1","text":"CloudWatch Alarm | x | us-east-1 | Account: 123456789012 ALARM"}`, false},
	} {
		var m message
		json.Unmarshal([]byte(c.msg), &m)
		if got := m.fromAlarmSource(sources); got != c.want {
			t.Errorf("%s: got %v", c.msg, got)
		}
	}
}

func TestTSTime(t *testing.T) {
	got := tsTime("1764558600.000200")
	if want := time.Unix(1764558600, 200_000).UTC(); !got.Equal(want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if !tsTime("bogus").IsZero() {
		t.Fatal("a bad ts must give the zero time")
	}
}

func TestTextsHaveBothLanguages(t *testing.T) {
	for k, v := range texts {
		if v[0] == "" || v[1] == "" {
			t.Errorf("%s lacks a language", k)
		}
	}
	if tr("ja", "form.submit") == tr("en", "form.submit") {
		t.Error("ja must differ from en")
	}
}

func TestMrkdwn(t *testing.T) {
	in := "## Why\nThe **deploy** changed the role; see [the runbook](https://wiki.example.com/rb) and `E1`."
	want := "*Why*\nThe *deploy* changed the role; see <https://wiki.example.com/rb|the runbook> and `E1`."
	if got := mrkdwn(in); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}
