package tools

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock"
)

// An incident's analysis is saved as a draft when save_reports is on; an
// answer about metrics is not, nor anything when saving is off.
func TestSavePostmortemOnlyForIncidents(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	dir := t.TempDir()
	var logs bytes.Buffer
	env.Log = zerolog.New(&logs)
	count := func() int {
		m, _ := filepath.Glob(filepath.Join(dir, "postmortems", "*.md"))
		return len(m)
	}
	r := &analysis.Report{Title: "orders fail", Mode: bedrock.ModeOneShot, Generated: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	env.Config.Knowledge.Dir = dir
	SavePostmortem(env, r)
	if count() != 0 {
		t.Fatal("saved with knowledge.save_reports off")
	}
	env.Config.Knowledge.SaveReports = true
	SavePostmortem(env, &analysis.Report{Title: "how did latency change?", Mode: bedrock.ModeInsight})
	if count() != 0 {
		t.Fatal("an insight was saved as a post-mortem")
	}
	SavePostmortem(env, &analysis.Report{Title: "orders fail", Mode: bedrock.ModeOneShot, Degraded: "⚠ Degraded report: the model failed."})
	if count() != 0 {
		t.Fatal("a degraded report (the engine's unconfirmed guess) was saved as a post-mortem")
	}
	SavePostmortem(env, r)
	if count() != 1 || !strings.Contains(logs.String(), "post-mortem draft saved") {
		t.Fatalf("%d drafts; log %s", count(), logs.String())
	}
}
