package investigate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

const demoDir = "../examples/demo"

func demoSources(t *testing.T) (collectors.Sources, *config.Config) {
	t.Helper()
	s, err := snapshot.Open(demoDir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Architecture = s.Manifest().Architecture
	return s.Sources(), &cfg
}

// On the demo the deploy of checkout-api:42, whose task definition points
// at the staging database secret, is the likely cause; the engine finds the
// onset, the failing call and the change from the alarms alone.
func TestDemoPointsAtTheDeploy(t *testing.T) {
	src, cfg := demoSources(t)
	var reports []string
	var mu sync.Mutex
	b, err := Run(context.Background(), src, cfg, Request{Progress: func(done, total float64, msg string) {
		mu.Lock()
		reports = append(reports, msg)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Suspects) == 0 {
		t.Fatal("no suspects")
	}
	top := b.Suspects[0]
	if (top.EventName != "RegisterTaskDefinition" && top.EventName != "UpdateService") || top.Likelihood != Likely {
		t.Errorf("top suspect %s (%s): %s", top.EventName, top.Likelihood, top.Why)
	}
	for _, s := range b.Suspects {
		if s.Likelihood == Likely && !strings.Contains(s.Principal, "deploy-pipeline") {
			t.Errorf("only the pipeline's deploy is likely, not %s by %s", s.EventName, s.Principal)
		}
	}
	md := b.Markdown()
	for _, want := range []string{"staging/checkout/db", "password authentication failed", "checkout-api:42", "HTTPCode_Target_5XX_Count", "/api/checkout"} {
		if !strings.Contains(md, want) {
			t.Errorf("the bundle lacks %q", want)
		}
	}
	truthOnset := time.Date(2026, 11, 20, 9, 22, 43, 0, time.UTC)
	if b.Onset == nil || b.Onset.Sub(truthOnset).Abs() > 2*time.Minute {
		t.Errorf("onset %v (%s), want about %s", b.Onset, b.OnsetSignal, truthOnset)
	}
	if len(reports) != 6 {
		t.Errorf("progress reports %v, want one per source (6)", reports)
	}
	if b.Window.Start.IsZero() || !b.Baseline.End.Equal(b.Window.Start) {
		t.Errorf("window %v, baseline %v: the baseline must end where the window starts", b.Window, b.Baseline)
	}
	if !strings.Contains(strings.Join(b.Notes, " "), "checkout-api-5xx-high") {
		t.Errorf("the notes must say which alarms were picked: %v", b.Notes)
	}
}

// The bundle stays within its budget, most important first, with ids in
// order; the Markdown states what the JSON holds.
func TestBundleFitsItsBudgetAndCitesConsistently(t *testing.T) {
	src, cfg := demoSources(t)
	for _, budget := range []int{1000, 2500, 8000, 30000} {
		b, err := Run(context.Background(), src, cfg, Request{Budget: budget})
		if err != nil {
			t.Fatal(err)
		}
		md := b.Markdown()
		if b.Tokens > budget || EstimateTokens(md) > budget {
			t.Errorf("budget %d: bundle is %d tokens (Markdown %d)", budget, b.Tokens, EstimateTokens(md))
		}
		if budget == 1000 && !b.Truncated {
			t.Error("a 1000-token bundle of the demo must say it was truncated")
		}
		if budget == 30000 && b.Truncated {
			t.Errorf("a 30000-token bundle of the demo needs no truncation (%d tokens)", b.Tokens)
		}
		ids := map[string]bool{}
		for i, e := range b.Evidence {
			if want := "E" + itoa(i+1); e.ID != want {
				t.Errorf("budget %d: evidence %d has id %s, want %s", budget, i, e.ID, want)
			}
			ids[e.ID] = true
			if !strings.Contains(md, "### "+e.ID+" · "+e.Source+" · "+e.Title) || !strings.Contains(md, e.Text) {
				t.Errorf("budget %d: the Markdown lacks evidence %s", budget, e.ID)
			}
			if !strings.HasPrefix(e.Reproduce, "fa2 run ") {
				t.Errorf("budget %d: %s has no fa2 run call: %q", budget, e.ID, e.Reproduce)
			}
		}
		for _, s := range b.Suspects {
			if s.EvidenceID != "" && !ids[s.EvidenceID] {
				t.Errorf("budget %d: suspect %s cites %s, which is not in the bundle", budget, s.EventName, s.EvidenceID)
			}
			if !strings.Contains(md, s.Why) || !strings.Contains(md, "**"+s.Likelihood+"**") {
				t.Errorf("budget %d: the Markdown lacks suspect %s", budget, s.EventName)
			}
		}
		for _, ref := range regexp.MustCompile(`\[(E\d+)\]`).FindAllStringSubmatch(md, -1) {
			if !ids[ref[1]] {
				t.Errorf("budget %d: the Markdown cites %s, which is not in the bundle", budget, ref[1])
			}
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var generic map[string]any
		json.Unmarshal(raw, &generic)
		for _, key := range []string{"window", "baseline", "onset", "timeline", "suspects", "evidence", "gaps", "tokens", "budget", "truncated"} {
			if _, ok := generic[key]; !ok {
				t.Errorf("the JSON lacks %q", key)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestJapaneseHeadings(t *testing.T) {
	src, cfg := demoSources(t)
	b, err := Run(context.Background(), src, cfg, Request{Language: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	md := b.Markdown()
	for _, h := range []string{"## 疑わしい変更", "## タイムライン", "## 証拠", "調査期間"} {
		if !strings.Contains(md, h) {
			t.Errorf("Japanese bundle lacks %q", h)
		}
	}
	if strings.Contains(md, "## Suspect changes") {
		t.Error("Japanese bundle still has English headings")
	}
}

func TestBadInput(t *testing.T) {
	src, cfg := demoSources(t)
	cases := []struct {
		name string
		req  Request
		kind telemetry.Kind
		says string
	}{
		{"unknown alarm", Request{AlarmName: "no-such-alarm"}, telemetry.KindNotFound, "checkout-api-5xx-high"},
		{"window with no data", Request{Window: telemetry.Window{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)}}, telemetry.KindNotFound, "The snapshot covers"},
		{"inverted window", Request{Window: telemetry.Window{Start: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}}, telemetry.KindInvalidInput, "before it starts"},
		{"budget below 1000", Request{Budget: 999}, telemetry.KindInvalidInput, "at least 1000"},
		{"unknown language", Request{Language: "fr"}, telemetry.KindInvalidInput, "en or ja"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Run(context.Background(), src, cfg, c.req)
			if err == nil {
				t.Fatalf("want an error, got a bundle of %d evidence items", len(b.Evidence))
			}
			e, ok := telemetry.AsError(err)
			if !ok || e.Kind != c.kind || !strings.Contains(e.Error(), c.says) {
				t.Errorf("error %v (kind %v), want kind %s saying %q", err, e, c.kind, c.says)
			}
		})
	}
}

// A snapshot that lacks whole sources still gives a bundle, with each
// missing source named as a gap and what to add; a snapshot with nothing
// in it is an error, not an empty success.
func TestSnapshotMissingSources(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, filepath.Join(demoDir, "logs"), filepath.Join(dir, "logs"))
	copyFile(t, filepath.Join(demoDir, "manifest.json"), filepath.Join(dir, "manifest.json"))
	s, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	b, err := Run(context.Background(), s.Sources(), &cfg, Request{})
	if err != nil {
		t.Fatal(err)
	}
	gaps := map[string]Gap{}
	for _, g := range b.Gaps {
		gaps[g.Source] = g
	}
	for _, src := range []string{srcTraces, srcMetrics, srcAccessLogs} {
		g, ok := gaps[src]
		if !ok || g.What == "" || g.Action == "" {
			t.Errorf("gap for %s = %+v, want what failed and what to do (gaps %+v)", src, g, b.Gaps)
		}
	}
	if !strings.Contains(gaps[srcTraces].Action, "xray") {
		t.Errorf("the traces gap must say how to add traces: %+v", gaps[srcTraces])
	}
	if b.Onset == nil || !strings.Contains(b.Markdown(), "password authentication failed") {
		t.Errorf("the logs alone still date the incident and show the error: onset %v", b.Onset)
	}
	if !strings.Contains(b.Verdict, "Changes are unknown") && !strings.Contains(b.Verdict, "Nothing changed") {
		t.Errorf("with no CloudTrail the verdict must not claim a cause: %s", b.Verdict)
	}

	empty := t.TempDir()
	copyFile(t, filepath.Join(demoDir, "manifest.json"), filepath.Join(empty, "manifest.json"))
	s2, err := snapshot.Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), s2.Sources(), &cfg, Request{}); err == nil || !strings.Contains(err.Error(), "no source has any telemetry") {
		t.Errorf("an empty snapshot must be an error naming the missing telemetry, got %v", err)
	}
}

// failingTraces is a trace source that fails every call with err, or
// blocks until the deadline when err is nil.
type failingTraces struct{ err error }

func (f failingTraces) wait(ctx context.Context) error {
	if f.err != nil {
		return f.err
	}
	<-ctx.Done()
	return ctx.Err()
}
func (f failingTraces) TraceSummaries(ctx context.Context, q telemetry.TraceQuery) (*telemetry.TraceSummaries, error) {
	return nil, f.wait(ctx)
}
func (f failingTraces) Traces(ctx context.Context, ids []string) ([]telemetry.Trace, error) {
	return nil, f.wait(ctx)
}
func (f failingTraces) ServiceGraph(ctx context.Context, w telemetry.Window) ([]telemetry.ServiceStats, error) {
	return nil, f.wait(ctx)
}

// A source that is denied or too slow becomes a gap saying what to grant or
// set, and everything else still comes back.
func TestFailingSourcesBecomeGaps(t *testing.T) {
	for _, c := range []struct {
		name   string
		err    error
		action string
	}{
		{"access denied", telemetry.Errorf(telemetry.KindAccessDenied, "not authorized to perform xray:GetTraceSummaries."), "xray:GetTraceSummaries"},
		{"throttled", telemetry.Errorf(telemetry.KindThrottled, "X-Ray throttled the request."), "retry"},
		{"timeout", nil, "investigate.source_timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src, cfg := demoSources(t)
			src.Traces = failingTraces{c.err}
			cfg.Investigate.SourceTimeout = config.Duration(time.Second)
			b, err := Run(context.Background(), src, cfg, Request{})
			if err != nil {
				t.Fatal(err)
			}
			var gap *Gap
			for i := range b.Gaps {
				if b.Gaps[i].Source == srcTraces {
					gap = &b.Gaps[i]
				}
			}
			if gap == nil || !strings.Contains(gap.Action, c.action) {
				t.Fatalf("traces gap %+v, want an action mentioning %q", gap, c.action)
			}
			if !strings.Contains(b.Markdown(), "## Gaps") {
				t.Error("the Markdown must list the gaps")
			}
			if len(b.Suspects) == 0 || b.Suspects[0].Likelihood != Likely {
				t.Errorf("the other sources still find the deploy: %+v", b.Suspects)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
	}
}
