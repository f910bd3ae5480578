package evidence

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

const reasonJSON = `{"version":"1.0","queryDate":"2026-11-20T09:26:00.312+0000","startDate":"2026-11-20T09:23:00.000+0000","statistic":"Sum","period":60,"threshold":5.0,
 "evaluatedDatapoints":[{"timestamp":"2026-11-20T09:25:00.000+0000","value":48.0},{"timestamp":"2026-11-20T09:24:00.000+0000","value":49.0},{"timestamp":"2026-11-20T09:23:00.000+0000","value":3.0},{"timestamp":"2026-11-20T09:22:00.000+0000"}]}`

func at(h, m int) time.Time { return time.Date(2026, 11, 20, h, m, 0, 0, time.UTC) }

func TestParseReasonData(t *testing.T) {
	rd := ParseReasonData([]byte(reasonJSON), "GreaterThanThreshold")
	if rd == nil || rd.Statistic != "Sum" || rd.PeriodSeconds != 60 || *rd.Threshold != 5 || !rd.QueryDate.Equal(at(9, 26).Add(312*time.Millisecond)) {
		t.Fatalf("reason data = %+v", rd)
	}
	want := []AlarmDatapoint{{at(9, 23), 3, false}, {at(9, 24), 49, true}, {at(9, 25), 48, true}}
	if len(rd.Datapoints) != 3 {
		t.Fatalf("datapoints = %+v", rd.Datapoints)
	}
	for i, w := range want {
		if !rd.Datapoints[i].Timestamp.Equal(w.Timestamp) || rd.Datapoints[i].Value != w.Value || rd.Datapoints[i].Breaching != w.Breaching {
			t.Errorf("datapoint %d = %+v, want %+v", i, rd.Datapoints[i], w)
		}
	}
	if ParseReasonData(nil, "") != nil || ParseReasonData([]byte("not json"), "") != nil {
		t.Error("empty or bad data should give nil")
	}
}

func TestBreaches(t *testing.T) {
	for _, c := range []struct {
		v, th float64
		op    string
		want  bool
	}{{5, 5, "GreaterThanOrEqualToThreshold", true}, {5, 5, "GreaterThanThreshold", false}, {4, 5, "LessThanThreshold", true},
		{5, 5, "LessThanOrEqualToThreshold", true}, {9, 5, "LessThanLowerOrGreaterThanUpperThreshold", false}} {
		if got := Breaches(c.v, c.th, c.op); got != c.want {
			t.Errorf("Breaches(%v, %v, %s) = %v", c.v, c.th, c.op, got)
		}
	}
}

func TestParseTransition(t *testing.T) {
	item := telemetry.AlarmHistoryItem{AlarmName: "a", Timestamp: at(9, 26), Summary: "Alarm updated from OK to ALARM",
		Data: `{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"Threshold Crossed","stateReasonData":` + reasonJSON + `}}`}
	tr := ParseTransition(item, "GreaterThanThreshold")
	if tr.From != "OK" || tr.To != "ALARM" || tr.Reason != "Threshold Crossed" || len(tr.Datapoints) != 3 || !tr.Datapoints[1].Breaching {
		t.Errorf("transition = %+v", tr)
	}
	tr = ParseTransition(telemetry.AlarmHistoryItem{AlarmName: "a", Summary: "Alarm updated from ALARM to OK"}, "")
	if tr.From != "ALARM" || tr.To != "OK" {
		t.Errorf("summary-only transition = %+v", tr)
	}
}

func TestSuggestWindow(t *testing.T) {
	now := at(10, 0)
	alarm := telemetry.Alarm{Name: "a", State: "OK", PeriodSeconds: 60, EvaluationPeriods: 3, Comparison: "GreaterThanThreshold"}
	fired := ParseTransition(telemetry.AlarmHistoryItem{AlarmName: "a", Timestamp: at(9, 26),
		Data: `{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReasonData":` + reasonJSON + `}}`}, alarm.Comparison)
	cleared := Transition{Alarm: "a", Time: at(9, 40), From: "ALARM", To: "OK"}

	w := SuggestWindow([]telemetry.Alarm{alarm}, []Transition{cleared, fired}, now)
	if w == nil || !w.Start.Equal(at(9, 9)) || !w.End.Equal(at(9, 50)) {
		t.Fatalf("recovered alarm: window = %+v, want 09:09 (first breach 09:24 - 15m) .. 09:50", w)
	}
	// Still firing, no history: from the change less the evaluation range, to now.
	firing := alarm
	firing.State, firing.StateUpdated = "ALARM", at(9, 30)
	w = SuggestWindow([]telemetry.Alarm{firing}, nil, now)
	if w == nil || !w.Start.Equal(at(9, 12)) || !w.End.Equal(now) {
		t.Fatalf("firing alarm: window = %+v", w)
	}
	if SuggestWindow([]telemetry.Alarm{alarm}, nil, now) != nil {
		t.Error("quiet alarms should suggest no window")
	}
}
