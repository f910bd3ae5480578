package tools

import (
	"strings"
	"testing"
)

func TestQueryLogsModes(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	q := QueryLogs()

	var out QueryLogsOutput
	res := call(t, env, q, `{"mode":"events","limit":1}`)
	structured(t, res, &out)
	if out.Matched != 7 || len(out.Events) != 1 || !out.Truncated || !strings.Contains(out.Hint, "newest 1 of 7") {
		t.Errorf("events: matched=%d events=%d truncated=%v hint=%q", out.Matched, len(out.Events), out.Truncated, out.Hint)
	}
	if !strings.Contains(text(res), "retrying order 18") {
		t.Errorf("text lacks the newest event: %s", text(res))
	}

	out = QueryLogsOutput{}
	structured(t, call(t, env, q, `{}`), &out)
	if out.Mode != "patterns" || len(out.Patterns) == 0 || out.Patterns[0].Severity != "ERROR" {
		t.Errorf("default mode: %+v", out)
	}

	out = QueryLogsOutput{}
	structured(t, call(t, env, q, `{"mode":"histogram","filter":"ERROR","start":"2026-03-01T12:00:00Z","end":"2026-03-01T12:30:00Z"}`), &out)
	if out.BinSeconds != 30 || out.Matched != 2 || len(out.Histogram) != 61 {
		t.Errorf("histogram: bin=%d matched=%d bins=%d", out.BinSeconds, out.Matched, len(out.Histogram))
	}
}

func TestQueryLogsBadInput(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	cases := map[string]string{
		`{"mode":"tail"}`:                 `mode "tail" is not known`,
		`{"limit":5000}`:                  "limit 5000 is out of range",
		`{"filter":"/[a-/"}`:              "not a valid regular expression",
		`{"log_groups":["/app/missing"]}`: "is not in this snapshot",
		`{"query":"fields @message"}`:     "need live AWS",
		`{"start":"-1h","end":"-2h"}`:     "before start",
		`{"start":"2026-03-01T12:00:00Z","end":"2026-03-20T12:00:00Z"}`: "allowed",
		`{"log_groups":"/app/api"}`:                                     "must be of JSON type array",
	}
	for args, want := range cases {
		res := call(t, env, QueryLogs(), args)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: isError=%v text=%q, want %q", args, res.IsError, text(res), want)
		}
	}
}

func TestClip(t *testing.T) {
	if got := clip("héllo wörld", 2); !strings.HasPrefix(got, "h…") {
		t.Errorf("clip cut inside a rune: %q", got)
	}
	if got := clip("short", 10); got != "short" {
		t.Errorf("clip changed a short string: %q", got)
	}
}
