package gen

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/examples/internal/snapgen"
	"github.com/fa2/fa2/tools"
)

// TestCommittedIncidentsMatchTheGenerator regenerates every incident and
// compares it with the committed fixtures, so stories and data cannot
// drift apart: after changing a story, run `go run ./examples/incidents/gen/cmd`.
func TestCommittedIncidentsMatchTheGenerator(t *testing.T) {
	for _, inc := range Incidents() {
		t.Run(inc.Name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), inc.Name)
			if err := inc.Write(out); err != nil {
				t.Fatal(err)
			}
			committed := filepath.Join("..", inc.Name)
			files, problems, err := snapgen.CompareTree(out, committed)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("%s; rerun go run ./examples/incidents/gen/cmd", p)
			}
			generated := map[string]bool{}
			for _, f := range files {
				generated[f] = true
			}
			// A committed file the generator no longer writes is stale.
			filepath.WalkDir(committed, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(committed, path)
				if !generated[rel] {
					t.Errorf("%s is committed but no longer generated", rel)
				}
				return nil
			})
		})
	}
}

// TestIncidentsAreUsableFixtures opens each committed incident with the
// snapshot reader, runs every tool of the catalogue on it, and checks that
// its truth.json agrees with the data: the root cause and decoys are in
// CloudTrail, the alarm exists and fired after the onset, every signal
// occurs in the telemetry, and each incident has a baseline and decoys.
func TestIncidentsAreUsableFixtures(t *testing.T) {
	for _, inc := range Incidents() {
		t.Run(inc.Name, func(t *testing.T) {
			dir := filepath.Join("..", inc.Name)
			var truth Truth
			b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatal(err)
			}
			store, err := snapshot.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			w := store.Manifest().Window
			onset, err := time.Parse(time.RFC3339, truth.Onset)
			if err != nil || onset.Before(w.Start) || !onset.Before(w.End) {
				t.Fatalf("onset %q is not inside the window %v", truth.Onset, w)
			}
			if (truth.RootCause == nil) != truth.NoChange {
				t.Errorf("no_change=%v but root_cause=%v", truth.NoChange, truth.RootCause)
			}
			if len(truth.Decoys) < 2 {
				t.Errorf("%d decoys, want at least 2", len(truth.Decoys))
			}

			cfg := config.Default()
			env := &tools.Env{Sources: store.Sources(), Config: &cfg, Log: zerolog.Nop()}
			args := map[string]string{
				"select_metrics":   `{"question":"` + store.Manifest().Title + `"}`,
				"query_cloudtrail": `{"start":"` + w.Start.Add(-40*time.Minute).Format(time.RFC3339) + `","end":"` + w.End.Format(time.RFC3339) + `","limit":500}`,
			}
			results := map[string]string{}
			for _, tool := range tools.Catalogue() {
				if tool.Costly {
					continue // calls a model: not a fixture check, and never from a test
				}
				a := args[tool.Name]
				if a == "" {
					a = "{}"
				}
				res, err := tool.Call(context.Background(), env, json.RawMessage(a))
				if err != nil {
					t.Fatalf("%s: %v", tool.Name, err)
				}
				results[tool.Name] = resultText(res)
				// Every incident has logs, metrics, alarms and CloudTrail;
				// traces and access logs only where its architecture has them.
				optional := (tool.Name == "get_traces" && !exists(dir, "xray")) || (tool.Name == "query_access_logs" && !exists(dir, "alb")) || tool.Name == "get_findings" || tool.Name == "search_knowledge"
				if res.IsError && !optional {
					t.Errorf("%s returned an error on this incident: %s", tool.Name, results[tool.Name])
				}
			}

			changes := append([]Change{}, truth.Decoys...)
			if truth.RootCause != nil {
				changes = append(changes, *truth.RootCause)
			}
			trail, _ := tools.Find("query_cloudtrail")
			for _, c := range changes {
				q := `{"event_names":["` + c.EventName + `"],"start":"` + w.Start.Format(time.RFC3339) + `","end":"` + w.End.Format(time.RFC3339) + `"}`
				res, err := trail.Call(context.Background(), env, json.RawMessage(q))
				if err != nil {
					t.Fatal(err)
				}
				if text := resultText(res); !strings.Contains(text, c.EventTime) {
					t.Errorf("query_cloudtrail does not show %s at %s:\n%s", c.EventName, c.EventTime, text)
				}
			}
			if !strings.Contains(results["get_alarms"], "ALARM") || !strings.Contains(results["get_alarms"], truth.Alarm) {
				t.Errorf("get_alarms does not show %s firing:\n%s", truth.Alarm, results["get_alarms"])
			}
			raw := rawTelemetry(t, dir)
			for _, s := range truth.Signals {
				if !strings.Contains(raw, s) {
					t.Errorf("signal %q occurs nowhere in the snapshot", s)
				}
			}
			// A healthy baseline: data starts well before the window.
			if !strings.Contains(results["select_metrics"], "baseline") {
				t.Errorf("select_metrics found no baseline:\n%s", results["select_metrics"])
			}
		})
	}
}

// TestBenchmarkSnapshotHasTheAdvertisedSize writes the scale-1 benchmark
// snapshot and counts what it holds.
func TestBenchmarkSnapshotHasTheAdvertisedSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 4 MB snapshot")
	}
	dir := t.TempDir()
	truth, err := WriteBenchmark(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if truth.RootCause == nil || truth.RootCause.EventName != "PutRolePolicy" {
		t.Errorf("benchmark truth: %+v", truth)
	}
	raw := rawTelemetry(t, dir)
	count := func(sub string) int { return strings.Count(raw, sub) }
	got := map[string][2]int{
		"log lines":         {count(`"ingestionTime"`), BenchmarkCounts.LogLines},
		"ALB requests":      {count(" app/orders-prod/"), BenchmarkCounts.Requests},
		"traces":            {count(`"Duration"`), BenchmarkCounts.Traces},
		"CloudTrail events": {count(`"eventVersion"`), BenchmarkCounts.CloudTrail},
	}
	for what, n := range got {
		if float64(n[0]) < 0.85*float64(n[1]) || float64(n[0]) > 1.15*float64(n[1]) {
			t.Errorf("%s: %d, want about %d", what, n[0], n[1])
		}
	}
	if _, err := snapshot.Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteBenchmark(dir, 0); err == nil {
		t.Error("scale 0 was accepted")
	}
}

func exists(dir, sub string) bool {
	_, err := os.Stat(filepath.Join(dir, sub))
	return err == nil
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// rawTelemetry is every file of a snapshot but truth.json, decompressed
// and concatenated.
func rawTelemetry(t *testing.T, dir string) string {
	t.Helper()
	var sb strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "truth.json" {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		var r io.Reader = f
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				return err
			}
			r = zr
		}
		_, err = io.Copy(&sb, r)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String()
}
