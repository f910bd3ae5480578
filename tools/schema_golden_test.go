package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateSchemas = flag.Bool("update-schemas", false, "rewrite tools/testdata/schemas/*.json from the catalogue")

// TestSchemasMatchGoldenFiles keeps every tool's input schema in a file, so
// renaming or retyping an argument fails here instead of in a user's
// client. After a deliberate change: go test ./tools -run Golden -update-schemas
func TestSchemasMatchGoldenFiles(t *testing.T) {
	dir := filepath.Join("testdata", "schemas")
	seen := map[string]bool{}
	for _, tool := range Catalogue() {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, tool.Schema, "", "  "); err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		pretty.WriteByte('\n')
		path := filepath.Join(dir, tool.Name+".json")
		seen[tool.Name+".json"] = true
		if *updateSchemas {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s has no golden schema (%v); if the tool is new, run: go test ./tools -run Golden -update-schemas", tool.Name, err)
			continue
		}
		if !bytes.Equal(want, pretty.Bytes()) {
			t.Errorf("%s: input schema changed from %s. Clients may break: if this is deliberate, run go test ./tools -run Golden -update-schemas and say so in the commit.\ngot:\n%s", tool.Name, path, pretty.Bytes())
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !seen[e.Name()] {
			t.Errorf("%s: golden schema of a tool that is no longer in the catalogue; delete it", e.Name())
		}
	}
}
