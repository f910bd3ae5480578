package main

import (
	"testing"

	"github.com/fa2/fa2/examples/internal/snapgen"
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
	files, problems, err := snapgen.CompareTree(out, "..")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s; rerun go run ./examples/demo/gen", p)
	}
	if n := len(files); n < 10 {
		t.Errorf("only %d files generated", n)
	}
}
