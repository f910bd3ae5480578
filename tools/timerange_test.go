package tools

import (
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"now":                       now,
		"-30m":                      now.Add(-30 * time.Minute),
		"-2h":                       now.Add(-2 * time.Hour),
		"-1d":                       now.Add(-24 * time.Hour),
		"-1w":                       now.Add(-7 * 24 * time.Hour),
		"-90s":                      now.Add(-90 * time.Second),
		"2026-11-20T09:00:00Z":      time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		"2026-11-20T18:00:00+09:00": time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		"2026-11-20T09:00:00.250Z":  time.Date(2026, 11, 20, 9, 0, 0, 250e6, time.UTC),
	}
	for in, want := range cases {
		got, err := ParseTime(in, now)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %v UTC", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "-30", "-m", "+30m", "-30y", "2026-11-20 09:00", "-x5m"} {
		if _, err := ParseTime(bad, now); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func liveLikeEnv(now time.Time) *Env {
	cfg := config.Default()
	cfg.Limits.MaxWindow = config.Duration(24 * time.Hour)
	return &Env{Config: &cfg, Sources: collectors.Sources{Now: func() time.Time { return now }}}
}

func TestWindowDefaultsAndLimits(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	env := liveLikeEnv(now)
	w, err := TimeRange{}.Window(env)
	if err != nil || !w.End.Equal(now) || w.Duration() != time.Hour {
		t.Errorf("default window = %v, %v; want the last hour", w, err)
	}
	w, err = TimeRange{Start: "-3h"}.Window(env)
	if err != nil || w.Duration() != 3*time.Hour {
		t.Errorf("window = %v, %v", w, err)
	}
	w, err = TimeRange{End: "-1h"}.Window(env)
	if err != nil || !w.End.Equal(now.Add(-time.Hour)) || w.Duration() != time.Hour {
		t.Errorf("end only: window = %v, %v; want the hour before end", w, err)
	}
	cases := map[string]struct {
		tr   TimeRange
		want string
	}{
		"end before start": {TimeRange{Start: "-1h", End: "-2h"}, "before start"},
		"too long":         {TimeRange{Start: "-2d"}, "more than the 24h0m0s allowed"},
		"bad start":        {TimeRange{Start: "yesterday"}, "start:"},
		"bad end":          {TimeRange{End: "soon"}, "end:"},
	}
	for name, tc := range cases {
		_, err := tc.tr.Window(env)
		e, ok := telemetry.AsError(err)
		if !ok || e.Kind != telemetry.KindInvalidInput || !strings.Contains(err.Error(), tc.want) || e.Hint == "" {
			t.Errorf("%s: err = %v, want invalid input mentioning %q with a hint", name, err, tc.want)
		}
	}
}

func TestWindowUsesSnapshotClock(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	w, err := TimeRange{Start: "-15m"}.Window(env)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 12, 45, 0, 0, time.UTC); !w.Start.Equal(want) {
		t.Errorf("start = %v, want %v (relative to the snapshot's end)", w.Start, want)
	}
}
