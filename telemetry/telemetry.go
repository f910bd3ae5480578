// Package telemetry holds the raw telemetry types every layer shares: time
// windows, log events and patterns, traces, metric series, alarms, change
// events, access-log summaries, findings and the error model. It imports
// nothing of fa2, so evidence (pure reductions), collectors (where the data
// comes from) and everything above can use it without import cycles.
package telemetry

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
