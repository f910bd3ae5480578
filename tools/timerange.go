package tools

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// TimeRange is embedded in the input of every time-ranged tool.
type TimeRange struct {
	Start string `json:"start,omitempty" jsonschema_description:"Window start: RFC 3339 (2026-11-20T09:00:00Z) or relative to now (-30m, -2h, -1d). Default: 1h before end (a snapshot: its whole window)."`
	End   string `json:"end,omitempty" jsonschema_description:"Window end: RFC 3339, now, or relative (-5m). Default: now (a snapshot: its end)."`
}

// Window resolves the range against the environment's clock and limits.
func (tr TimeRange) Window(env *Env) (telemetry.Window, error) {
	now := env.Sources.Clock()
	if tr.Start == "" && tr.End == "" && env.Sources.DefaultWindow != nil {
		w := env.Sources.DefaultWindow()
		// A snapshot's window is input too: a manifest claiming centuries
		// must not make a tool zero-fill centuries of metric points.
		if max := time.Duration(env.Config.Limits.MaxWindow); w.Duration() > max {
			return telemetry.Window{}, telemetry.Errorf(telemetry.KindInvalidInput, "the source's whole window (%s to %s) is %s long, more than the %s allowed.",
				w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339), w.Duration(), max).WithHint("Pass start and end to look at part of it (the limit is limits.max_window in the configuration).")
		}
		return w, nil
	}
	end := now
	if tr.End != "" {
		t, err := ParseTime(tr.End, now)
		if err != nil {
			return telemetry.Window{}, invalidTime("end", err)
		}
		end = t
	}
	start := end.Add(-time.Hour)
	if tr.Start != "" {
		t, err := ParseTime(tr.Start, now)
		if err != nil {
			return telemetry.Window{}, invalidTime("start", err)
		}
		start = t
	}
	if end.Before(start) {
		return telemetry.Window{}, telemetry.Errorf(telemetry.KindInvalidInput, "end (%s) is before start (%s).", end.Format(time.RFC3339), start.Format(time.RFC3339)).WithHint("Swap them, or give start earlier than end.")
	}
	if max := time.Duration(env.Config.Limits.MaxWindow); end.Sub(start) > max {
		return telemetry.Window{}, telemetry.Errorf(telemetry.KindInvalidInput, "the window %s to %s is %s long, more than the %s allowed.",
			start.Format(time.RFC3339), end.Format(time.RFC3339), end.Sub(start), max).WithHint("Narrow the window (the limit is limits.max_window in the configuration).")
	}
	return telemetry.Window{Start: start, End: end}, nil
}

func invalidTime(name string, err error) error {
	return telemetry.Errorf(telemetry.KindInvalidInput, "%s: %v.", name, err).WithHint("Use RFC 3339 (2026-11-20T09:00:00Z), now, or a relative time such as -30m, -2h, -1d.")
}

// ParseTime reads RFC 3339, "now", or a negative offset from now with a unit
// of s, m, h, d or w ("-90m", "-1d").
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "now" {
		return now, nil
	}
	if strings.HasPrefix(s, "-") {
		d, err := parseOffset(s[1:])
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a relative time", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor a relative time", s)
}

func parseOffset(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("too short")
	}
	n, err := strconv.ParseFloat(s[:len(s)-1], 64)
	if err != nil || n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("bad number")
	}
	units := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	u, ok := units[s[len(s)-1]]
	if !ok {
		return 0, fmt.Errorf("unknown unit")
	}
	// Anything past maxOffset is a typo, and past ~292 years the product
	// would overflow time.Duration into a time in the future.
	if n*float64(u) > float64(maxOffset) {
		return 0, fmt.Errorf("more than %d years back", int(maxOffset.Hours()/24/365))
	}
	return time.Duration(n * float64(u)), nil
}

// maxOffset is the furthest back a relative time may reach.
const maxOffset = 10 * 365 * 24 * time.Hour
