// Package collectors defines where fa2's telemetry comes from. Each kind of
// telemetry has a narrow interface with two implementations: live AWS
// (collectors/awslive) and a snapshot directory (collectors/snapshot). Tools
// talk only to these interfaces, so they never know which one they use.
package collectors

import (
	"time"
)

// Window is a closed time range, always in UTC.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration is the length of the window.
func (w Window) Duration() time.Duration { return w.End.Sub(w.Start) }

// Contains reports whether t lies inside the window (both ends included).
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.Start) && !t.After(w.End)
}

// Progress receives progress reports from long-running collections such as
// Logs Insights queries. done and total are in the same unit; total may be 0
// when unknown. Implementations must be safe to call from any goroutine.
type Progress func(done, total float64, message string)

// Report calls p if it is set, so collectors need no nil checks.
func (p Progress) Report(done, total float64, message string) {
	if p != nil {
		p(done, total, message)
	}
}

// Sources bundles every collector of one backend. A nil field means the
// backend does not offer that kind of telemetry.
type Sources struct {
	// Name says where data comes from: "aws (us-east-1)" or "snapshot DIR".
	Name string
	// Now is the reference time for relative inputs such as "-30m". For a
	// snapshot it is the end of the snapshot's window, so "the last hour"
	// means the last hour the snapshot covers.
	Now func() time.Time
	// DefaultWindow is used when a tool call gives neither start nor end.
	DefaultWindow func() Window

	Logs       LogSource
	Traces     TraceSource
	Metrics    MetricSource
	Alarms     AlarmSource
	CloudTrail CloudTrailSource
	AccessLogs AccessLogSource
	Findings   FindingSource
}
