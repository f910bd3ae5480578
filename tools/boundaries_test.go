package tools

import (
	"reflect"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// Boundary tests: each pins a limit at its exact edge, where an off-by-one
// (">" written ">=") would otherwise pass every test.

// A window of exactly limits.max_window is allowed; one second more is not.
func TestWindowOfExactlyMaxWindowIsAccepted(t *testing.T) {
	cfg := config.Default()
	cfg.Limits.MaxWindow = config.Duration(6 * time.Hour)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	env := &Env{Config: &cfg, Sources: collectors.Sources{Now: func() time.Time { return now }}}

	w, err := TimeRange{Start: "2026-11-20T06:00:00Z", End: "2026-11-20T12:00:00Z"}.Window(env)
	if err != nil {
		t.Fatalf("a window of exactly max_window was rejected: %v", err)
	}
	if w.Duration() != 6*time.Hour {
		t.Errorf("window = %s, want 6h", w.Duration())
	}
	_, err = TimeRange{Start: "2026-11-20T05:59:59Z", End: "2026-11-20T12:00:00Z"}.Window(env)
	if e, ok := telemetry.AsError(err); !ok || e.Kind != telemetry.KindInvalidInput {
		t.Errorf("a window one second over max_window: %v, want an invalid-input error", err)
	}
}

// Halving a histogram adds each pair of neighbouring bins: no event may be
// lost, totals and severities alike, and an odd last bin stays as it is.
func TestHistogramShrinkKeepsEveryBinsTotal(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	bin := func(min int, total int64, sev map[string]int64) telemetry.HistogramBin {
		return telemetry.HistogramBin{Start: t0.Add(time.Duration(min) * time.Minute), Total: total, BySeverity: sev}
	}
	o := &QueryLogsOutput{BinSeconds: 60, Histogram: []telemetry.HistogramBin{
		bin(0, 5, map[string]int64{"ERROR": 2, "OTHER": 3}),
		bin(1, 7, map[string]int64{"ERROR": 7}),
		bin(2, 0, nil),
		bin(3, 4, map[string]int64{"WARN": 4}),
		bin(4, 1, map[string]int64{"INFO": 1}),
	}}
	if !o.Shrink() {
		t.Fatal("Shrink reported nothing to drop")
	}
	want := []telemetry.HistogramBin{
		bin(0, 12, map[string]int64{"ERROR": 9, "OTHER": 3}),
		bin(2, 4, map[string]int64{"WARN": 4}),
		bin(4, 1, map[string]int64{"INFO": 1}),
	}
	if !reflect.DeepEqual(o.Histogram, want) || o.BinSeconds != 120 {
		t.Errorf("after Shrink: bin %ds, %+v\nwant 120s, %+v", o.BinSeconds, o.Histogram, want)
	}
}
