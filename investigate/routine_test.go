package investigate

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func TestRoutineCalls(t *testing.T) {
	start := time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)
	win := telemetry.Window{Start: start.Add(2 * time.Hour), End: start.Add(2*time.Hour + 40*time.Minute)}
	var evs []telemetry.CloudTrailEvent
	// An agent's heartbeat every 40 s for the whole span.
	for t := start; t.Before(win.End); t = t.Add(40 * time.Second) {
		evs = append(evs, telemetry.CloudTrailEvent{Time: t, Name: "UpdateInstanceInformation", Principal: "arn:aws:sts::1:assumed-role/ssm/i-1"})
	}
	// A deploy role that changed a service once before and twelve times in the window.
	evs = append(evs, telemetry.CloudTrailEvent{Time: start.Add(10 * time.Minute), Name: "UpdateService", Principal: "ci"})
	for i := 0; i < 12; i++ {
		evs = append(evs, telemetry.CloudTrailEvent{Time: win.Start.Add(time.Duration(i) * time.Minute), Name: "UpdateService", Principal: "ci"})
	}
	// A principal calling steadily before, then ten times as often.
	for i := 0; i < 4; i++ {
		evs = append(evs, telemetry.CloudTrailEvent{Time: start.Add(time.Duration(i) * 30 * time.Minute), Name: "PutParameter", Principal: "cron"})
	}
	for i := 0; i < 30; i++ {
		evs = append(evs, telemetry.CloudTrailEvent{Time: win.Start.Add(time.Duration(i) * time.Minute), Name: "PutParameter", Principal: "cron"})
	}
	// A scheduled apply every 10 minutes whose last run set a new value.
	for t := start; t.Before(win.End); t = t.Add(10 * time.Minute) {
		v := "timeout=30"
		if t.After(win.Start.Add(5 * time.Minute)) {
			v = "timeout=3"
		}
		evs = append(evs, telemetry.CloudTrailEvent{Time: t, Name: "UpdateFunctionConfiguration", Principal: "atlantis", Request: []string{v}})
	}
	got := routineCalls(evs, start, win)
	if got[routineKey{"UpdateFunctionConfiguration", "atlantis"}] {
		t.Error("a scheduled apply that changed a value is routine")
	}
	if !got[routineKey{"UpdateInstanceInformation", "arn:aws:sts::1:assumed-role/ssm/i-1"}] {
		t.Error("the heartbeat is not routine")
	}
	if got[routineKey{"UpdateService", "ci"}] {
		t.Error("a burst of deploys in the window is routine")
	}
	if got[routineKey{"PutParameter", "cron"}] {
		t.Error("a call that sped up tenfold in the window is routine")
	}
}
