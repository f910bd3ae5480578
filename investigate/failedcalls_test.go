package investigate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without the workload's logs, its calls that began to fail still name the
// disabled key, and the change that disabled it stays the likely cause.
func TestFailedCallsNameTheResource(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/heldout/kms-key-disabled")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "logs")); err != nil {
		t.Fatal(err)
	}
	b := investigateDir(t, dir, Request{Budget: DefaultBudget})
	md := b.Markdown()
	if !strings.Contains(md, "Decrypt → DisabledException by role/invoice-renderer-task") {
		t.Errorf("the bundle does not show the new failing calls:\n%s", md)
	}
	if len(b.Suspects) == 0 || b.Suspects[0].EventName != "DisableKey" || b.Suspects[0].Likelihood != Likely {
		t.Errorf("want DisableKey likely on top, got %+v", b.Suspects)
	}
}
