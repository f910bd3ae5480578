package snapshot_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/tools"
)

// toolCalls are the calls compared before and after a round trip: every
// tool of the catalogue, with arguments that exercise what it reads.
var toolCalls = []struct{ tool, args string }{
	{"get_alarms", `{}`},
	{"query_logs", `{"mode":"patterns"}`},
	{"query_logs", `{"mode":"events","filter":"ERROR","limit":20}`},
	{"query_logs", `{"mode":"histogram"}`},
	{"get_traces", `{}`},
	{"select_metrics", `{"question":"5xx errors"}`},
	{"query_cloudtrail", `{"limit":50}`},
	{"query_access_logs", `{"group_by":"target"}`},
	{"get_findings", `{}`},
}

// runTools calls each tool on the sources and returns its text with the
// source's name removed, so two backends can be compared.
func runTools(t *testing.T, src collectors.Sources) map[string]string {
	t.Helper()
	cfg := config.Default()
	env := &tools.Env{Sources: src, Config: &cfg, Log: zerolog.Nop()}
	out := map[string]string{}
	for _, c := range toolCalls {
		tool, err := tools.Find(c.tool)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tool.Call(context.Background(), env, json.RawMessage(c.args))
		if err != nil {
			t.Fatalf("%s %s: %v", c.tool, c.args, err)
		}
		var parts []string
		for _, ct := range res.Content {
			if tc, ok := ct.(mcp.TextContent); ok {
				parts = append(parts, tc.Text)
			}
		}
		out[c.tool+" "+c.args] = strings.ReplaceAll(strings.Join(parts, "\n"), src.Name, "SOURCE")
	}
	return out
}

// TestCaptureRoundTripGivesTheSameToolResults captures a snapshot through
// the collector interfaces of another snapshot, reads it back, and checks
// every tool says exactly the same on both: what fa2 reads survives the
// trip through the AWS shapes the writer produces.
func TestCaptureRoundTripGivesTheSameToolResults(t *testing.T) {
	for _, dir := range []string{"../../examples/demo", "../../examples/incidents/permission-change", "../../examples/incidents/network-rule"} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			orig, err := snapshot.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			m := orig.Manifest()
			out := filepath.Join(t.TempDir(), "captured")
			got, err := snapshot.Capture(context.Background(), orig.Sources(), out, snapshot.CaptureOptions{
				Window: m.Window, Baseline: true, Region: m.Region, Title: m.Title, Architecture: m.Architecture})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range got.Captured {
				if r.Error != "" && r.Source != "traces" && r.Source != "access_logs" && r.Source != "findings" {
					t.Errorf("%s failed: %s", r.Source, r.Error)
				}
			}
			back, err := snapshot.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			// The investigation engine draws the same conclusions from both.
			if w, h := investigation(t, orig.Sources()), investigation(t, back.Sources()); w != h {
				t.Errorf("investigate differs after the round trip:\n--- original\n%s\n--- captured\n%s", w, h)
			}
			want, have := runTools(t, orig.Sources()), runTools(t, back.Sources())
			for k, w := range want {
				// CloudTrail request parameters come through the collector
				// already cut to 700 bytes; only the size of the cut part
				// ("…[N more bytes]") may differ.
				if cutMarker.ReplaceAllString(have[k], "…") != cutMarker.ReplaceAllString(w, "…") {
					t.Errorf("%s differs after the round trip:\n--- original\n%s\n--- captured\n%s", k, w, have[k])
				}
			}
		})
	}
}

// investigation is the engine's bundle on src as JSON with the source's
// name removed, and with what depends on it or on the CloudTrail
// parameters cut before capture masked: the token estimate (the name's
// length counts) and the size of a cut ("… N more"). The budget is large
// enough that nothing is left out: the snapshots' paths differ in length,
// and at the default budget that alone can drop the last item of one.
func investigation(t *testing.T, src collectors.Sources) string {
	t.Helper()
	cfg := config.Default()
	b, err := investigate.Run(context.Background(), src, &cfg, investigate.Request{Budget: 64000})
	if err != nil {
		t.Fatalf("investigate: %v", err)
	}
	out, _ := json.MarshalIndent(b, "", " ")
	text := cutMarker.ReplaceAllString(strings.ReplaceAll(string(out), src.Name, "SOURCE"), "…")
	text = tokensField.ReplaceAllString(text, `"tokens": N`)
	return moreCut.ReplaceAllString(text, "… N more")
}

var (
	tokensField = regexp.MustCompile(`"tokens": \d+`)
	moreCut     = regexp.MustCompile(`… \d+ more`)
)

// TestCaptureIsAtomic checks that a capture that is interrupted leaves no
// directory behind, and that an existing directory is never overwritten.
func TestCaptureIsAtomic(t *testing.T) {
	orig, err := snapshot.Open("../../examples/demo")
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "snap")
	ctx, cancel := context.WithCancel(context.Background())
	opt := snapshot.CaptureOptions{Window: orig.Manifest().Window, Progress: func(p snapshot.CaptureProgress) {
		if p.Source == "logs" && p.Done == 1 {
			cancel()
		}
	}}
	if _, err := snapshot.Capture(ctx, orig.Sources(), out, opt); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("interrupted capture: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 0 {
		t.Errorf("an interrupted capture left %v behind", entries)
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Capture(context.Background(), orig.Sources(), out, snapshot.CaptureOptions{Window: orig.Manifest().Window}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("capture into an existing folder: %v", err)
	}
	if _, err := snapshot.Capture(context.Background(), orig.Sources(), filepath.Join(parent, "x"), snapshot.CaptureOptions{}); err == nil {
		t.Error("a capture without a window was accepted")
	}
}

var cutMarker = regexp.MustCompile(`…\[\d+ more bytes\]`)
