package collectors

import (
	"testing"
	"time"
)

func TestClockPrefersTheSourcesNowInUTC(t *testing.T) {
	end := time.Date(2026, 11, 20, 19, 0, 0, 0, time.FixedZone("JST", 9*3600))
	if got := (Sources{Now: func() time.Time { return end }}).Clock(); !got.Equal(end) || got.Location() != time.UTC {
		t.Errorf("Clock() = %v, want %v in UTC", got, end.UTC())
	}
	before := time.Now()
	if got := (Sources{}).Clock(); got.Before(before) || got.Location() != time.UTC {
		t.Errorf("Clock() without Now = %v, want the wall clock in UTC", got)
	}
}
