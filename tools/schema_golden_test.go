package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"testing"
)

var updateSchemas = flag.Bool("update-schemas", false, "rewrite tools/testdata/schemas/*.json from the catalogue")

// TestSchemasMatchGoldenFiles keeps every tool's input schema in a file, so
// renaming or retyping an argument fails here instead of in a user's
// client. After a deliberate change: go test ./tools -run Golden -update-schemas
func TestSchemasMatchGoldenFiles(t *testing.T) {
	g := newGoldenDir(t, filepath.Join("testdata", "schemas"), *updateSchemas, "go test ./tools -run Golden -update-schemas")
	for _, tool := range Catalogue() {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, tool.Schema, "", "  "); err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		pretty.WriteByte('\n')
		g.check(tool.Name+".json", tool.Name+"'s input schema (clients may break)", pretty.Bytes())
	}
	g.stale()
}
