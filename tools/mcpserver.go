package tools

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/fa2/fa2/telemetry"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Instructions tell the calling assistant how fa2's tools fit together.
const Instructions = `fa2 investigates AWS incidents. Start from the alarm (get_alarms) to get the window, then look at what failed (query_logs mode=patterns, get_traces), what moved (select_metrics) and what changed (query_cloudtrail). Every tool is read-only. Times are UTC; start/end accept RFC 3339 or relative forms like -30m.`

// NewMCPServer serves the whole catalogue over MCP.
func NewMCPServer(env *Env, version string) *server.MCPServer {
	s := server.NewMCPServer("fa2", version,
		server.WithToolCapabilities(false),
		server.WithPromptCapabilities(false),
		server.WithInstructions(Instructions),
		server.WithRecovery(),
	)
	for _, t := range Catalogue() {
		s.AddTool(t.MCPTool(), t.mcpHandler(env))
	}
	addPrompts(s, env)
	return s
}

// MCPTool describes the tool for tools/list. The schema is passed raw (mcp-go
// would otherwise generate its own), and all four annotations are set
// explicitly because mcp-go's defaults say "destructive".
func (t Tool) MCPTool() mcp.Tool {
	yes, no := true, false
	// A costly tool changes nothing in AWS (it stays read-only) but spends
	// money and answers differently each time: it is not idempotent.
	idempotent := !t.Costly
	return mcp.Tool{
		Name:           t.Name,
		Title:          t.Title,
		Description:    t.Description,
		RawInputSchema: t.Schema,
		Annotations: mcp.ToolAnnotation{
			ReadOnlyHint:    &yes,
			DestructiveHint: &no,
			IdempotentHint:  &idempotent,
			OpenWorldHint:   &yes,
		},
	}
}

func (t Tool) mcpHandler(env *Env) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args := req.Params.RawArguments
		if len(args) == 0 && req.Params.Arguments != nil {
			b, err := json.Marshal(req.Params.Arguments)
			if err != nil {
				return mcp.NewToolResultError("arguments must be a JSON object"), nil
			}
			args = b
		}
		if req.Params.Meta != nil && req.Params.Meta.ProgressToken != nil {
			ctx = WithProgress(ctx, progressNotifier(ctx, req.Params.Meta.ProgressToken))
		}
		return t.Call(ctx, env, args)
	}
}

// progressNotifier sends notifications/progress for the call's token. The
// spec requires progress to increase, so stale reports are dropped.
func progressNotifier(ctx context.Context, token mcp.ProgressToken) telemetry.Progress {
	srv := server.ServerFromContext(ctx)
	var mu sync.Mutex
	last := -1.0
	return func(done, total float64, message string) {
		if srv == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if done <= last {
			return
		}
		last = done
		params := map[string]any{"progressToken": token, "progress": done}
		if total > 0 {
			params["total"] = total
		}
		if message != "" {
			params["message"] = message
		}
		// A client that went away cannot be told; the call itself will end.
		_ = srv.SendNotificationToClient(ctx, "notifications/progress", params)
	}
}
