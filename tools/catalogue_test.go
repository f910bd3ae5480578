package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fa2/fa2/config"
	"github.com/rs/zerolog"
)

// listTools asks a real server for tools/list, as a client would.
func listTools(t *testing.T) []byte {
	t.Helper()
	cfg := config.Default()
	srv := NewMCPServer(&Env{Config: &cfg, Log: zerolog.Nop()}, "test")
	ctx := context.Background()
	srv.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	resp := srv.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`))
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCatalogue(t *testing.T) {
	raw := listTools(t)
	var resp struct {
		Result struct {
			Tools []struct {
				Name        string                     `json:"name"`
				Description string                     `json:"description"`
				InputSchema map[string]json.RawMessage `json:"inputSchema"`
				Annotations map[string]any             `json:"annotations"`
			} `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	tools := resp.Result.Tools
	if len(tools) != len(Catalogue()) || len(tools) == 0 {
		t.Fatalf("tools/list has %d tools, the catalogue %d: %s", len(tools), len(Catalogue()), raw)
	}
	t.Logf("tools/list: %d tools, %d bytes", len(tools), len(raw))
	if len(raw) >= 16*1024 {
		t.Errorf("tools/list is %d bytes, over the 16 KB budget", len(raw))
	}
	costly := map[string]bool{"analyze_failure": true}
	seen := map[string]bool{}
	for _, tool := range tools {
		if seen[tool.Name] {
			t.Errorf("duplicate tool name %s", tool.Name)
		}
		seen[tool.Name] = true
		if tool.Description == "" {
			t.Errorf("%s has no description", tool.Name)
		}
		want := map[string]bool{"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
		if costly[tool.Name] {
			// Spends money on a model call and answers differently each time.
			want["idempotentHint"] = false
		}
		for k, v := range want {
			got, ok := tool.Annotations[k].(bool)
			if !ok || got != v {
				t.Errorf("%s: annotation %s = %v, want explicit %v", tool.Name, k, tool.Annotations[k], v)
			}
		}
		for _, k := range []string{"oneOf", "anyOf", "allOf", "$ref", "$defs"} {
			if _, ok := tool.InputSchema[k]; ok {
				t.Errorf("%s: input schema has top-level %s", tool.Name, k)
			}
		}
		if string(tool.InputSchema["type"]) != `"object"` {
			t.Errorf("%s: input schema type = %s", tool.Name, tool.InputSchema["type"])
		}
	}
	if strings.Contains(string(raw), `"$ref"`) {
		t.Error("a schema uses $ref somewhere")
	}
}

func TestFind(t *testing.T) {
	if _, err := Find("query_logs"); err != nil {
		t.Error(err)
	}
	if _, err := Find("drop_tables"); err == nil || !strings.Contains(err.Error(), "query_logs") {
		t.Errorf("err = %v, want one listing the tools", err)
	}
}
