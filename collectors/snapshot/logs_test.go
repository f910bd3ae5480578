package snapshot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func openSmall(t *testing.T) *Store {
	t.Helper()
	s, err := Open("testdata/small")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpenReadsManifest(t *testing.T) {
	s := openSmall(t)
	m := s.Manifest()
	if m.Region != "eu-west-1" || m.Window.Start != time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) {
		t.Errorf("manifest = %+v", m)
	}
	src := s.Sources()
	if got := src.DefaultWindow(); got != m.Window {
		t.Errorf("default window = %v", got)
	}
	if !src.Now().Equal(m.Window.End) {
		t.Errorf("now = %v, want the snapshot's end", src.Now())
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		d := t.TempDir()
		if body != "" {
			if err := os.WriteFile(filepath.Join(d, "manifest.json"), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	cases := map[string]struct{ dir, want string }{
		"missing dir":   {filepath.Join(dir, "nope"), "no such file"},
		"a file":        {"testdata/small/manifest.json", "not a directory"},
		"no manifest":   {write(""), "no manifest.json"},
		"wrong format":  {write(`{"format":"fa2-snapshot/9","window":{"start":"2026-01-01T00:00:00Z","end":"2026-01-01T01:00:00Z"}}`), "fa2-snapshot/9"},
		"bad window":    {write(`{"format":"fa2-snapshot/1","window":{"start":"2026-01-01T02:00:00Z","end":"2026-01-01T01:00:00Z"}}`), "start before its end"},
		"invalid JSON":  {write(`{"format":`), "not valid JSON"},
		"missing times": {write(`{"format":"fa2-snapshot/1"}`), "window"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Open(tc.dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open(%s) error = %v, want it to mention %q", tc.dir, err, tc.want)
			}
		})
	}
}

func window(s *Store) telemetry.Window { return s.Manifest().Window }

func TestEventsNewestFirstWithTotalAndWarnings(t *testing.T) {
	s := openSmall(t)
	res, err := s.Events(context.Background(), telemetry.LogQuery{Window: window(s), Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	// 5 valid api events in the window + 2 worker events (gzip) = 7; one api event is after the window.
	if res.Matched != 7 {
		t.Errorf("matched = %d, want 7", res.Matched)
	}
	if len(res.Events) != 2 || !strings.Contains(res.Events[0].Message, "retrying order 18") {
		t.Fatalf("events = %+v, want the newest first", res.Events)
	}
	if res.Events[0].Severity != "WARN" || res.Events[0].LogGroup != "/app/api" {
		t.Errorf("event = %+v", res.Events[0])
	}
	if len(res.Stats.Warnings) != 2 || !strings.Contains(res.Stats.Warnings[0], "api.jsonl:4") || !strings.Contains(res.Stats.Warnings[1], `no "timestamp"`) {
		t.Errorf("warnings = %q, want the malformed lines with file:line", res.Stats.Warnings)
	}
}

func TestFiltersAndGroups(t *testing.T) {
	s := openSmall(t)
	ctx := context.Background()
	cases := []struct {
		name   string
		q      telemetry.LogQuery
		want   int64
		errStr string
	}{
		{"substring", telemetry.LogQuery{Filter: "refused"}, 2, ""},
		{"substring is case-sensitive", telemetry.LogQuery{Filter: "REFUSED"}, 0, ""},
		{"regex", telemetry.LogQuery{Filter: `/10\.0\.0\.7/`}, 1, ""},
		{"regex ignoring case", telemetry.LogQuery{Filter: `/job DONE/i`}, 2, ""},
		{"one group", telemetry.LogQuery{LogGroups: []string{"/app/worker"}}, 2, ""},
		{"prefix", telemetry.LogQuery{LogGroups: []string{"/app/*"}}, 7, ""},
		{"unknown group", telemetry.LogQuery{LogGroups: []string{"/app/nope"}}, 0, `"/app/nope" is not in this snapshot`},
		{"bad regex", telemetry.LogQuery{Filter: "/(unclosed/"}, 0, "not a valid regular expression"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Window = window(s)
			res, err := s.Events(ctx, tc.q)
			if tc.errStr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errStr) {
					t.Fatalf("error = %v, want %q", err, tc.errStr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Matched != tc.want {
				t.Errorf("matched = %d, want %d", res.Matched, tc.want)
			}
		})
	}
}

func TestPatternsRankErrorsFirst(t *testing.T) {
	s := openSmall(t)
	res, err := s.Patterns(context.Background(), telemetry.LogQuery{Window: window(s)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Patterns) == 0 {
		t.Fatal("no patterns")
	}
	top := res.Patterns[0]
	if top.Count != 2 || top.Severity != "ERROR" || !strings.Contains(top.Template, "refused") {
		t.Errorf("top pattern = %+v, want the two refused connections", top)
	}
	if !top.FirstSeen.Equal(time.Date(2026, 3, 1, 12, 10, 0, 0, time.UTC)) || !top.LastSeen.Equal(time.Date(2026, 3, 1, 12, 11, 0, 0, time.UTC)) {
		t.Errorf("first/last = %v %v", top.FirstSeen, top.LastSeen)
	}
	var total int64
	for _, p := range res.Patterns {
		total += p.Count
	}
	if total != res.Matched {
		t.Errorf("patterns cover %d events, want all %d", total, res.Matched)
	}
}

func TestHistogramBinsTheWindow(t *testing.T) {
	s := openSmall(t)
	res, err := s.Histogram(context.Background(), telemetry.LogQuery{Window: window(s), Bin: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.BinSeconds != 600 || len(res.Bins) != 7 {
		t.Fatalf("bins = %d of %ds, want 7 of 600s", len(res.Bins), res.BinSeconds)
	}
	if res.Bins[1].BySeverity["ERROR"] != 2 || res.Bins[0].Total != 4 {
		t.Errorf("bins[0]=%+v bins[1]=%+v", res.Bins[0], res.Bins[1])
	}
}

func TestInsightsUnsupported(t *testing.T) {
	s := openSmall(t)
	_, err := s.Insights(context.Background(), telemetry.LogQuery{Query: "fields @message"})
	e, ok := telemetry.AsError(err)
	if !ok || e.Kind != telemetry.KindUnsupported || e.Hint == "" {
		t.Errorf("err = %v, want an unsupported error with a hint", err)
	}
}

// TestEventsLimitKeepsTheNewestAcrossGroups checks the bounded scan behind
// a limit against the whole result: for every limit, the events are the
// first of the unlimited answer (newest first, across four groups, ties
// included) and the total is the same.
func TestEventsLimitKeepsTheNewestAcrossGroups(t *testing.T) {
	s, err := Open("../../examples/demo")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, filter := range []string{"", "ERROR", "/(?i)timeout|refused|health/"} {
		all, err := s.Events(ctx, telemetry.LogQuery{Window: window(s), Filter: filter})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Events) < 20 {
			t.Fatalf("filter %q: %d events; the demo should have more", filter, len(all.Events))
		}
		for _, limit := range []int{1, 2, 7, 100, len(all.Events) + 5} {
			got, err := s.Events(ctx, telemetry.LogQuery{Window: window(s), Filter: filter, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if got.Matched != all.Matched {
				t.Errorf("filter %q limit %d: matched %d, want %d", filter, limit, got.Matched, all.Matched)
			}
			want := all.Events[:min(limit, len(all.Events))]
			if len(got.Events) != len(want) {
				t.Fatalf("filter %q limit %d: %d events, want %d", filter, limit, len(got.Events), len(want))
			}
			for i := range want {
				if got.Events[i] != want[i] {
					t.Fatalf("filter %q limit %d: event %d is %+v, want %+v", filter, limit, i, got.Events[i], want[i])
				}
			}
		}
	}
}
