package tools

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// goldenDir compares files in dir with what the code produces, or rewrites
// them when update is set; regen is the command that does so, for the
// failure messages.
type goldenDir struct {
	t      *testing.T
	dir    string
	update bool
	regen  string
	seen   map[string]bool
}

func newGoldenDir(t *testing.T, dir string, update bool, regen string) *goldenDir {
	return &goldenDir{t: t, dir: dir, update: update, regen: regen, seen: map[string]bool{}}
}

// check compares name's file with got, what names it in messages.
func (g *goldenDir) check(name, what string, got []byte) {
	g.t.Helper()
	path := filepath.Join(g.dir, name)
	g.seen[name] = true
	if g.update {
		if err := os.MkdirAll(g.dir, 0o755); err != nil {
			g.t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			g.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		g.t.Errorf("%s has no golden file (%v); if it is new, run: %s", what, err, g.regen)
		return
	}
	if !bytes.Equal(want, got) {
		g.t.Errorf("%s differs from %s. If this is deliberate, run %s and say why in the commit.\ngot:\n%s", what, path, g.regen, got)
	}
}

// stale fails on files no check asked for: what they pinned is gone.
func (g *goldenDir) stale() {
	g.t.Helper()
	entries, _ := os.ReadDir(g.dir)
	for _, e := range entries {
		if !g.seen[e.Name()] {
			g.t.Errorf("%s: golden file of something no longer produced; delete it", filepath.Join(g.dir, e.Name()))
		}
	}
}
