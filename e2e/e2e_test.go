// Package e2e drives the built fa2 binary with the official MCP TypeScript
// SDK client (see mcp-client.test.mjs). It needs Node.js and the npm
// packages of this folder: `make test` installs them; without them the test
// is skipped locally and fails in CI, where it must run.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestTypeScriptClient(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "@modelcontextprotocol", "sdk")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node_modules missing in CI: run `npm ci --prefix e2e` (make test does)")
		}
		t.Skip("node_modules missing: run `npm ci --prefix e2e` to run the end-to-end test")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node not found on PATH")
	}
	bin := filepath.Join(t.TempDir(), "fa2")
	build := exec.Command("go", "build", "-o", bin, "../cmd/fa2")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build fa2: %v\n%s", err, out)
	}
	demo, err := filepath.Abs(filepath.Join("..", "examples", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--test", "--test-reporter=spec", "mcp-client.test.mjs")
	cmd.Env = append(os.Environ(), "FA2_BIN="+bin, "FA2_DEMO="+demo)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test output:\n%s", out)
	if err != nil {
		t.Fatalf("TypeScript MCP client test failed: %v", err)
	}
}
