package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
)

// snapshotEnv is an Env over a snapshot directory with default settings.
func snapshotEnv(t testing.TB, dir string) *Env {
	t.Helper()
	s, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	return &Env{Sources: s.Sources(), Config: &cfg, Log: zerolog.Nop()}
}

const smallSnapshot = "../collectors/snapshot/testdata/small"

// call runs a tool with JSON arguments and fails the test on a Go error.
func call(t *testing.T, env *Env, tool Tool, args string) *mcp.CallToolResult {
	t.Helper()
	res, err := tool.Call(context.Background(), env, json.RawMessage(args))
	if err != nil {
		t.Fatalf("%s(%s): %v", tool.Name, args, err)
	}
	return res
}

// text joins a result's text contents.
func text(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// structured decodes a result's structured content into v.
func structured(t *testing.T, res *mcp.CallToolResult, v any) {
	t.Helper()
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("structured content %s: %v", b, err)
	}
}
