package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/fa2/fa2/collectors"
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
	seen := map[string]bool{}
	for _, tool := range tools {
		if seen[tool.Name] {
			t.Errorf("duplicate tool name %s", tool.Name)
		}
		seen[tool.Name] = true
		if tool.Description == "" {
			t.Errorf("%s has no description", tool.Name)
		}
		declared, err := Find(tool.Name)
		if err != nil {
			t.Fatal(err)
		}
		a := declared.Annotations
		want := map[string]bool{"readOnlyHint": a.ReadOnly, "destructiveHint": a.Destructive, "idempotentHint": a.Idempotent, "openWorldHint": a.OpenWorld}
		if a.Destructive {
			t.Errorf("%s declares itself destructive; fa2 never changes anything", tool.Name)
		}
		if declared.Costly && a.Idempotent {
			t.Errorf("%s spends money on every call but says it is idempotent", tool.Name)
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

// The adapter sends each tool's own annotations, not one fixed set: a tool
// that declares it is not idempotent says so in tools/list.
func TestAnnotationsComeFromTheTool(t *testing.T) {
	custom := echoTool().WithAnnotations(Annotations{ReadOnly: true, OpenWorld: true})
	mt := custom.MCPTool()
	if *mt.Annotations.IdempotentHint || !*mt.Annotations.ReadOnlyHint || *mt.Annotations.DestructiveHint || !*mt.Annotations.OpenWorldHint {
		t.Errorf("annotations = %+v, want readOnly, not idempotent, not destructive, open world", mt.Annotations)
	}
	if plain := echoTool().MCPTool(); !*plain.Annotations.IdempotentHint {
		t.Error("a tool that declares nothing must get ReadsTelemetry (idempotent)")
	}
}

// A tool whose source the backend lacks answers with what is missing and
// how to get it, before its handler runs.
func TestMissingSourceIsNamed(t *testing.T) {
	env := testEnv()
	env.Sources = collectors.Sources{Name: "test backend"}
	for _, tool := range Catalogue() {
		if len(tool.NeededSources()) == 0 {
			continue
		}
		res, err := tool.Call(context.Background(), env, json.RawMessage(`{}`))
		if err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		got := text(res)
		if !res.IsError || !strings.Contains(got, "test backend") || !strings.Contains(got, "has none") {
			t.Errorf("%s with no sources: isError=%v %q", tool.Name, res.IsError, got)
		}
	}
}

// Every limit-like argument's bounds in the schema are the bounds the
// handler enforces: the schema's maximum is accepted, one more is refused
// with a message naming the argument.
func TestSchemaLimitsAgreeWithHandlers(t *testing.T) {
	env := snapshotEnv(t, "../examples/demo")
	checked := 0
	for _, tool := range Catalogue() {
		var schema struct {
			Properties map[string]struct {
				Type    string   `json:"type"`
				Maximum *float64 `json:"maximum"`
				Minimum *float64 `json:"minimum"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(tool.Schema, &schema); err != nil {
			t.Fatal(err)
		}
		for name, p := range schema.Properties {
			if p.Type != "integer" || p.Maximum == nil {
				continue
			}
			checked++
			max := int(*p.Maximum)
			ok := call(t, env, tool, fmt.Sprintf(`{%q:%d}`, name, max))
			if ok.IsError && strings.Contains(text(ok), name) {
				t.Errorf("%s: %s=%d is the schema's maximum but the handler refuses it: %s", tool.Name, name, max, text(ok))
			}
			over := call(t, env, tool, fmt.Sprintf(`{%q:%d}`, name, max+1))
			if !over.IsError || !strings.Contains(text(over), name) {
				t.Errorf("%s: %s=%d is over the schema's maximum but the handler accepts it (isError=%v %q)", tool.Name, name, max+1, over.IsError, clip(text(over), 200))
			}
		}
	}
	if checked == 0 {
		t.Fatal("no integer argument with a maximum was found; the test checks nothing")
	}
}
