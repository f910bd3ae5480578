package tools

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// slowLogs is a LogSource that reports progress the way a polled Logs
// Insights query does.
type slowLogs struct{ collectors.LogSource }

func (slowLogs) Events(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogEvents, error) {
	for i := 1; i <= 3; i++ {
		q.Progress.Report(float64(i), 3, "polling")
	}
	return &telemetry.LogEvents{Matched: 1, Events: []telemetry.LogEvent{{Timestamp: time.Unix(0, 0).UTC(), Message: "hello"}}}, nil
}

func startClient(t *testing.T, env *Env) *client.Client {
	return startClientAt(t, env, mcp.LATEST_PROTOCOL_VERSION)
}

// startClientAt initialises an in-process client that asks for the given
// protocol revision, so both the stateless 2026-07-28 revision and the
// 2025-11-25 one that today's clients negotiate are exercised.
func startClientAt(t *testing.T, env *Env, version string) *client.Client {
	t.Helper()
	c, err := client.NewInProcessClient(NewMCPServer(env, "test"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = version
	init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	got, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	if got.ProtocolVersion != version {
		t.Fatalf("negotiated %s, asked for %s", got.ProtocolVersion, version)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestServerInProcess(t *testing.T) {
	c := startClient(t, snapshotEnv(t, smallSnapshot))
	ctx := context.Background()
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != len(Catalogue()) {
		t.Errorf("listed %d tools, want %d", len(list.Tools), len(Catalogue()))
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "query_logs"
	req.Params.Arguments = map[string]any{"mode": "events", "filter": "refused"}
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || !strings.Contains(text(res), "10.0.0.7:5432") {
		t.Errorf("call: isError=%v %q", res.IsError, text(res))
	}
	req.Params.Arguments = map[string]any{"mode": "events", "bogus": true}
	res, err = c.CallTool(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError || !strings.Contains(text(res), `unknown argument "bogus"`) {
		t.Errorf("bad call: isError=%v %q", res.IsError, text(res))
	}
}

func TestServerSendsProgress(t *testing.T) {
	for _, version := range []string{mcp.LATEST_PROTOCOL_VERSION, "2025-11-25"} {
		t.Run(version, func(t *testing.T) { testProgress(t, version) })
	}
}

func testProgress(t *testing.T, version string) {
	cfg := config.Default()
	env := &Env{Config: &cfg, Log: zerolog.Nop(), Sources: collectors.Sources{Name: "fake", Logs: slowLogs{}}}
	c := startClientAt(t, env, version)
	var mu sync.Mutex
	var got []float64
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method != "notifications/progress" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if p, ok := n.Params.AdditionalFields["progress"].(float64); ok {
			got = append(got, p)
		}
	})
	req := mcp.CallToolRequest{}
	req.Params.Name = "query_logs"
	req.Params.Arguments = map[string]any{"mode": "events"}
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-1"}
	res, err := c.CallTool(context.Background(), req)
	if err != nil || res.IsError {
		t.Fatalf("call: %v %v", err, res)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Errorf("progress notifications = %v, want 1, 2, 3", got)
	}
}
