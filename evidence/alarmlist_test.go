package evidence

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func TestSortAlarmsByUrgency(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 20, 9, m, 0, 0, time.UTC) }
	alarms := []telemetry.Alarm{
		{Name: "ok-new", State: telemetry.AlarmStateOK, StateUpdated: at(50)},
		{Name: "firing-old", State: telemetry.AlarmStateAlarm, StateUpdated: at(10)},
		{Name: "nodata", State: telemetry.AlarmStateInsufficientData, StateUpdated: at(40)},
		{Name: "firing-new", State: telemetry.AlarmStateAlarm, StateUpdated: at(30)},
		{Name: "ok-old", State: telemetry.AlarmStateOK, StateUpdated: at(5)},
	}
	SortAlarmsByUrgency(alarms)
	want := []string{"firing-new", "firing-old", "nodata", "ok-new", "ok-old"}
	for i, a := range alarms {
		if a.Name != want[i] {
			t.Fatalf("order %v, want %v", AlarmNames(alarms), want)
		}
	}
	if c := CountAlarmStates(alarms); c[telemetry.AlarmStateAlarm] != 2 || c[telemetry.AlarmStateOK] != 2 || c[telemetry.AlarmStateInsufficientData] != 1 {
		t.Errorf("counts %v", c)
	}
}

func TestParseHistoryReadsEachAlarmsComparison(t *testing.T) {
	// The same datapoint breaches an upper threshold and not a lower one.
	data := `{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReasonData":{"version":"1.0","threshold":10,"evaluatedDatapoints":[{"timestamp":"2026-11-20T09:00:00.000+0000","value":20}],"period":60}}}`
	items := []telemetry.AlarmHistoryItem{
		{AlarmName: "high", Timestamp: t9, Data: data},
		{AlarmName: "low", Timestamp: t9, Data: data},
	}
	alarms := []telemetry.Alarm{{Name: "high", Comparison: "GreaterThanThreshold"}, {Name: "low", Comparison: "LessThanThreshold"}}
	ts := ParseHistory(items, alarms)
	if len(ts) != 2 || ts[0].To != telemetry.AlarmStateAlarm || ts[0].From != telemetry.AlarmStateOK {
		t.Fatalf("transitions %+v", ts)
	}
	hi, lo := TransitionsOf(ts, "high"), TransitionsOf(ts, "low")
	if len(hi) != 1 || len(lo) != 1 || len(hi[0].Datapoints) != 1 || len(lo[0].Datapoints) != 1 {
		t.Fatalf("per alarm: %+v / %+v", hi, lo)
	}
	if !hi[0].Datapoints[0].Breaching || lo[0].Datapoints[0].Breaching {
		t.Errorf("breaching: high %v low %v, want true and false", hi[0].Datapoints[0].Breaching, lo[0].Datapoints[0].Breaching)
	}
	if len(TransitionsOf(ts, "other")) != 0 {
		t.Error("transitions of an unknown alarm")
	}
}
