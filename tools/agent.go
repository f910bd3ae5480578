package tools

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/fa2/fa2/bedrock"
)

// agentToolbox serves the catalogue to the Bedrock agent loop: the same
// tools, schemas and error handling as MCP, minus the costly ones (a model
// calling analyze_failure would pay for a second analysis inside the first).
type agentToolbox struct {
	env   *Env
	tools []Tool
}

// AgentToolbox adapts the catalogue to bedrock.Toolbox.
func AgentToolbox(env *Env) bedrock.Toolbox {
	b := &agentToolbox{env: env}
	for _, t := range Catalogue() {
		if !t.Costly {
			b.tools = append(b.tools, t)
		}
	}
	return b
}

// Specs implements bedrock.Toolbox.
func (b *agentToolbox) Specs() []bedrock.ToolSpec {
	out := make([]bedrock.ToolSpec, len(b.tools))
	for i, t := range b.tools {
		out[i] = bedrock.ToolSpec{Name: t.Name, Description: t.Description, Schema: t.Schema}
	}
	return out
}

// Call implements bedrock.Toolbox. The model reads the compact text
// rendering, as MCP clients that ignore structured content do.
func (b *agentToolbox) Call(ctx context.Context, name string, args json.RawMessage) bedrock.ToolOutput {
	for _, t := range b.tools {
		if t.Name != name {
			continue
		}
		res, err := t.Call(ctx, b.env, args)
		if err != nil {
			return bedrock.ToolOutput{Text: err.Error(), IsError: true}
		}
		return bedrock.ToolOutput{Text: callText(res), IsError: res.IsError}
	}
	return bedrock.ToolOutput{Text: "there is no tool named " + name + ".", IsError: true}
}

// callText is a result's text content, or its structured content when it
// has no text.
func callText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok && strings.TrimSpace(t.Text) != "" {
			parts = append(parts, t.Text)
		}
	}
	if len(parts) == 0 && res.StructuredContent != nil {
		if j, err := json.Marshal(res.StructuredContent); err == nil {
			parts = append(parts, string(j))
		}
	}
	return strings.Join(parts, "\n")
}
