package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedDemoMatchesTheStory regenerates the demo and compares it
// with the committed snapshot, so the data and the story cannot drift apart:
// after changing a generator, run `go run ./examples/demo/gen`.
func TestCommittedDemoMatchesTheStory(t *testing.T) {
	out := t.TempDir()
	if err := writeManifest(out); err != nil {
		t.Fatal(err)
	}
	for _, g := range generators {
		if err := g.run(out); err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
	}
	committed := filepath.Join("..")
	n := 0
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		want, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s is generated but not committed: %v", rel, err)
			return nil
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator writes; rerun go run ./examples/demo/gen", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("only %d files generated", n)
	}
}
