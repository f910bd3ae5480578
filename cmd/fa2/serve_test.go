package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/tools"
)

func TestHTTPListenAddrPolicy(t *testing.T) {
	cases := []struct {
		addr      string
		token     bool
		want, err string
	}{
		{":8080", false, "127.0.0.1:8080", ""},
		{"127.0.0.1:9000", false, "127.0.0.1:9000", ""},
		{"localhost:9000", false, "localhost:9000", ""},
		{"[::1]:9000", false, "[::1]:9000", ""},
		{"0.0.0.0:8080", false, "", "refusing to serve on 0.0.0.0:8080 without a token"},
		{"0.0.0.0:8080", true, "0.0.0.0:8080", ""},
		{"10.1.2.3:8080", false, "", "without a token"},
		{"8080", false, "", "want HOST:PORT"},
	}
	for _, tc := range cases {
		got, err := httpListenAddr(tc.addr, tc.token)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.addr, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.addr, got, err, tc.want)
		}
	}
}

func TestRequireToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := requireToken("s3cret", ok)
	for header, want := range map[string]int{
		"":               http.StatusUnauthorized,
		"Bearer":         http.StatusUnauthorized,
		"Bearer s3cre":   http.StatusUnauthorized,
		"Bearer s3cret!": http.StatusUnauthorized,
		"Basic s3cret":   http.StatusUnauthorized,
		"bearer s3cret":  http.StatusUnauthorized,
		"Bearer s3cret":  http.StatusTeapot,
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/mcp", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Authorization %q: status %d, want %d", header, rec.Code, want)
		}
		if want == http.StatusUnauthorized && rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("401 without WWW-Authenticate")
		}
	}
	// No token configured: every request passes, with or without a header.
	open := requireToken("", ok)
	for _, header := range []string{"", "Bearer anything"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/mcp", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		open.ServeHTTP(rec, req)
		if rec.Code != http.StatusTeapot {
			t.Errorf("no token configured, Authorization %q: status %d, want the handler's %d", header, rec.Code, http.StatusTeapot)
		}
	}
}

func demoEnv(t *testing.T) *tools.Env {
	t.Helper()
	s, err := snapshot.Open(demoSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	return &tools.Env{Sources: s.Sources(), Config: &cfg, Log: zerolog.Nop()}
}

func TestServeHTTPWithTokenAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveHTTP(ctx, tools.NewMCPServer(demoEnv(t), "test"), "127.0.0.1:0", "tok", zerolog.Nop(), ready)
	}()
	addr := <-ready
	url := "http://" + addr + "/mcp"

	resp, err := http.Post(url, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: status %d", resp.StatusCode)
	}

	c, err := client.NewStreamableHttpClient(url, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer tok"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "query_logs"
	req.Params.Arguments = map[string]any{"mode": "events", "filter": "FATAL:", "limit": 1}
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || len(res.Content) == 0 || !strings.Contains(res.Content[0].(mcp.TextContent).Text, "password authentication failed") {
		t.Errorf("call over HTTP: %+v", res)
	}
	c.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("server did not shut down")
	}
}

func TestServeStdioKeepsStdoutForProtocol(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- serveStdio(ctx, tools.NewMCPServer(demoEnv(t), "test"), inR, outW, zerolog.Nop())
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	lines.Buffer(make([]byte, 1<<20), 1<<22)
	send := func(msg string) map[string]any {
		t.Helper()
		if _, err := io.WriteString(inW, msg+"\n"); err != nil {
			t.Fatal(err)
		}
		if !lines.Scan() {
			t.Fatalf("no response to %s", msg)
		}
		var resp map[string]any
		if err := json.Unmarshal(lines.Bytes(), &resp); err != nil {
			t.Fatalf("stdout carried a non-JSON line %q: %v", lines.Text(), err)
		}
		return resp
	}
	resp := send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if resp["result"].(map[string]any)["protocolVersion"] != "2025-11-25" {
		t.Errorf("initialize: %v", resp)
	}
	io.WriteString(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	resp = send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"query_logs","arguments":{"mode":"bogus"}}}`)
	result := resp["result"].(map[string]any)
	if result["isError"] != true {
		t.Errorf("bad call is not isError: %v", resp)
	}
	inW.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveStdio: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("stdio server did not stop when stdin closed")
	}
}
