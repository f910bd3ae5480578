package snapgen

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCompareTreeNamesMissingAndChangedFiles(t *testing.T) {
	gen, com := t.TempDir(), t.TempDir()
	write := func(dir, rel, body string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(gen, "same.json", "{}")
	write(com, "same.json", "{}")
	write(gen, "logs/a.jsonl", "new")
	write(com, "logs/a.jsonl", "old")
	write(gen, "only-generated.json", "{}")
	write(com, "only-committed.json", "{}")

	files, problems, err := CompareTree(gen, com)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join("logs", "a.jsonl"), "only-generated.json", "same.json"}
	if !slices.Equal(files, want) {
		t.Errorf("files = %q, want %q", files, want)
	}
	if len(problems) != 2 || !strings.HasPrefix(problems[0], filepath.Join("logs", "a.jsonl")+" differs") ||
		!strings.HasPrefix(problems[1], "only-generated.json is generated but not committed") {
		t.Errorf("problems = %q", problems)
	}
}
