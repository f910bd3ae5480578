package telemetry

import (
	"testing"
	"time"
)

// Contains includes both ends, as documented: an event stamped exactly at
// the end of an incident window belongs to it.
func TestWindowContainsBothEnds(t *testing.T) {
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	w := Window{Start: start, End: start.Add(time.Hour)}
	for at, want := range map[time.Time]bool{
		start.Add(-time.Nanosecond): false,
		start:                       true,
		start.Add(30 * time.Minute): true,
		w.End:                       true,
		w.End.Add(time.Nanosecond):  false,
	} {
		if got := w.Contains(at); got != want {
			t.Errorf("Contains(%s) = %v, want %v", at.Format(time.RFC3339Nano), got, want)
		}
	}
}
