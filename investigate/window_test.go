package investigate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/snapshot"
)

// A snapshot captured with its baseline holds data before its window; the
// engine compares with that data instead of cutting the window.
func TestSnapshotBaselineBeforeWindowIsUsed(t *testing.T) {
	src := "testdata/heldout/s3-bucket-policy"
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	// The data starts at 01:30; the manifest now says the incident is
	// 01:50..02:10, as `fa2 snapshot --baseline` would write it.
	m["window"] = map[string]string{"start": "2026-12-05T01:50:00Z", "end": "2026-12-05T02:10:00Z"}
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 5, 1, 30, 0, 0, time.UTC)
	if got := snapshotDataStart(context.Background(), s.Sources(), s.Manifest().Window); !got.Equal(want) {
		t.Errorf("data start %s, want the captured baseline's start %s", got, want)
	}
	// Without logs before the window, the window's start is where data begins.
	if err := os.RemoveAll(filepath.Join(dir, "logs")); err != nil {
		t.Fatal(err)
	}
	bare, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshotDataStart(context.Background(), bare.Sources(), bare.Manifest().Window); !got.Equal(bare.Manifest().Window.Start) {
		t.Errorf("data start %s, want the window's start %s", got, bare.Manifest().Window.Start)
	}
}
