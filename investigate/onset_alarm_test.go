package investigate

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// A failure that happens once sustains nothing: the first new error before
// the alarm dates it, not a metric that merely moved half an hour before.
func TestOneOffFailureOnset(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC)
	errAt := t0.Add(50*time.Minute + 41*time.Second)
	sc := &scope{alarms: []telemetry.Alarm{{Name: "job-failed", State: telemetry.AlarmStateAlarm}}, fired: []string{"job-failed"}}
	newErr := logTemplate{status: statusNew, severity: 4, p: telemetry.LogPattern{Template: "upload failed: <*>", FirstSeen: errAt, LastSeen: errAt, Count: 1}}
	fired := []AlarmRef{{Name: "job-failed", FiredAt: errAt.Add(2 * time.Minute)}}

	a := &analysis{templates: []logTemplate{newErr}, alarms: fired,
		signals: []signal{{name: "CPUUtilization went below its baseline", start: t0.Add(20 * time.Minute)}}}
	a.findOnset(sc)
	if a.onset == nil || !a.onset.Equal(errAt) {
		t.Errorf("onset %v (%s), want the first new error at %s", a.onset, a.onsetBy, errAt)
	}

	// Nothing but the alarm: its firing dates the failure.
	a = &analysis{alarms: fired}
	a.findOnset(sc)
	if a.onset == nil || !a.onset.Equal(fired[0].FiredAt) {
		t.Errorf("onset %v (%s), want the alarm's %s", a.onset, a.onsetBy, fired[0].FiredAt)
	}

	// A sustained failure signal stands.
	a = &analysis{templates: []logTemplate{newErr}, alarms: fired,
		signals: []signal{{name: "error log lines", start: t0.Add(49 * time.Minute), primary: true}}}
	a.findOnset(sc)
	if a.onset == nil || !a.onset.Equal(t0.Add(49*time.Minute)) {
		t.Errorf("onset %v (%s), want the sustained signal's", a.onset, a.onsetBy)
	}
}
