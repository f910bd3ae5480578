// Package events starts investigations from CloudWatch alarm state changes
// delivered by EventBridge (to Lambda directly, or through an SQS queue to
// a long-running fa2) and publishes the result where people already look:
// an Amazon Q Developer in chat applications custom notification on an SNS
// topic, with the full report, PDF and pictures in S3 behind presigned
// links. It knows nothing of the engine or the model beyond two functions
// the caller gives it, so it is tested without either.
package events

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// DetailType is EventBridge's detail-type of alarm state changes.
const DetailType = "CloudWatch Alarm State Change"

// Alarm is one alarm transition, as EventBridge reports it.
type Alarm struct {
	EventID   string
	Account   string
	Region    string
	ARN       string
	Name      string
	State     string // ALARM, OK, INSUFFICIENT_DATA
	Previous  string
	Reason    string
	Changed   time.Time // the transition's time (detail.state.timestamp)
	EventTime time.Time
	// Description is the alarm's own description, often a runbook link.
	Description string
}

// Key identifies the transition: the same alarm entering the same state at
// the same time is one transition, however often EventBridge, SQS or a
// Lambda retry delivers it.
func (a Alarm) Key() string {
	id := a.ARN
	if id == "" {
		id = a.Account + "/" + a.Region + "/" + a.Name
	}
	return id + "|" + a.State + "|" + a.Changed.UTC().Format(time.RFC3339Nano)
}

// Starts reports whether the transition should start an investigation:
// only a change into ALARM does; OK and INSUFFICIENT_DATA are noted.
func (a Alarm) Starts() bool { return a.State == "ALARM" && a.Previous != "ALARM" }

type eventJSON struct {
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

type stateJSON struct {
	Value     string `json:"value"`
	Reason    string `json:"reason"`
	Timestamp string `json:"timestamp"`
}

type detailJSON struct {
	AlarmName     string    `json:"alarmName"`
	State         stateJSON `json:"state"`
	PreviousState stateJSON `json:"previousState"`
	Configuration struct {
		Description string `json:"description"`
	} `json:"configuration"`
}

// ParseAlarm reads an EventBridge "CloudWatch Alarm State Change" event
// (metric, composite and Metrics Insights alarms share the fields used
// here). Anything else is an error saying what arrived instead.
func ParseAlarm(raw []byte) (Alarm, error) {
	var e eventJSON
	if err := json.Unmarshal(raw, &e); err != nil {
		return Alarm{}, telemetry.Errorf(telemetry.KindInvalidInput, "the event is not JSON: %v.", err).WithHint("Send EventBridge's CloudWatch Alarm State Change event as it is.")
	}
	if e.DetailType != DetailType || e.Source != "aws.cloudwatch" {
		return Alarm{}, telemetry.Errorf(telemetry.KindInvalidInput, "the event is %q from %q, not a CloudWatch alarm state change.", e.DetailType, e.Source).
			WithHint(`Match only {"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"]} in the EventBridge rule.`)
	}
	var d detailJSON
	if err := json.Unmarshal(e.Detail, &d); err != nil || d.AlarmName == "" || d.State.Value == "" {
		return Alarm{}, telemetry.Errorf(telemetry.KindInvalidInput, "the alarm event %s has no alarmName or state.", e.ID).WithHint("Send the event unchanged; an input transformer must keep detail.")
	}
	a := Alarm{EventID: e.ID, Account: e.Account, Region: e.Region, Name: d.AlarmName, State: d.State.Value, Previous: d.PreviousState.Value,
		Reason: d.State.Reason, Description: d.Configuration.Description}
	for _, r := range e.Resources {
		if strings.Contains(r, ":alarm:") {
			a.ARN = r
		}
	}
	a.EventTime, _ = parseEventTime(e.Time)
	t, err := parseEventTime(d.State.Timestamp)
	if err != nil {
		// Without the transition's time the event's time still dates it.
		t = a.EventTime
	}
	a.Changed = t
	if a.Changed.IsZero() {
		return Alarm{}, telemetry.Errorf(telemetry.KindInvalidInput, "the alarm event for %s has no usable time (state.timestamp %q).", a.Name, d.State.Timestamp).WithHint("Send the event unchanged.")
	}
	return a, nil
}

// parseEventTime reads CloudWatch's "2019-10-02T17:04:40.989+0000" and
// RFC 3339.
func parseEventTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown time format %q", s)
}

// Unwrap finds the EventBridge events in a delivery: the event itself
// (EventBridge → Lambda), an SQS batch sent to Lambda ({"Records":[{"body"}]}),
// or an SNS notification wrapping the event (EventBridge → SNS → SQS).
func Unwrap(raw []byte) [][]byte {
	var probe struct {
		Records []struct {
			Body string `json:"body"`
			Sns  *struct {
				Message string `json:"Message"`
			} `json:"Sns"`
		} `json:"Records"`
		Type    string `json:"Type"`
		Message string `json:"Message"`
	}
	if json.Unmarshal(raw, &probe) != nil {
		return [][]byte{raw}
	}
	switch {
	case len(probe.Records) > 0:
		var out [][]byte
		for _, r := range probe.Records {
			switch {
			case r.Sns != nil:
				out = append(out, Unwrap([]byte(r.Sns.Message))...)
			default:
				out = append(out, Unwrap([]byte(r.Body))...)
			}
		}
		return out
	case probe.Type == "Notification" && probe.Message != "":
		return Unwrap([]byte(probe.Message))
	}
	return [][]byte{raw}
}
