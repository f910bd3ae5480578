package tools

import (
	"testing"
	"time"
)

// FuzzParseTime: any string is a time or an error, never a panic, and a
// relative time never lands after now.
func FuzzParseTime(f *testing.F) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"now", "-30m", "-1.5h", "-1d", "-NaNh", "-Infh", "-1e300h", "2026-11-20T09:00:00Z", "-", "-9999999999999999999w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s, now)
		if err == nil && len(s) > 0 && s[0] == '-' && got.After(now) {
			t.Fatalf("ParseTime(%q) = %v, after now", s, got)
		}
	})
}
