package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/tools"
)

// startHTTP serves the demo over Streamable HTTP for a test and returns
// its /mcp URL.
func startHTTP(t *testing.T, opts httpOptions) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveHTTP(ctx, tools.NewMCPServer(demoEnv(t), "test"), "127.0.0.1:0", opts, zerolog.Nop(), ready)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + <-ready + "/mcp"
}

func post(t *testing.T, url, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b)
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func TestHTTPBodyLimit(t *testing.T) {
	url := startHTTP(t, httpOptions{Token: "0123456789abcdef", MaxConnections: 16})
	auth := map[string]string{"Authorization": "Bearer 0123456789abcdef"}
	big := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_logs","arguments":{"filter":"` + strings.Repeat("a", 2<<20) + `"}}}`
	resp, body := post(t, url, big, auth)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB body: status %d, want 413", resp.StatusCode)
	}
	if len(body) > 200 {
		t.Errorf("413 answer is %d bytes; it must not echo the input", len(body))
	}
	// Without the token a big body is refused before it is read.
	resp, _ = post(t, url, big, nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("2 MiB body without token: status %d, want 401", resp.StatusCode)
	}
	// A normal request still works.
	resp, body = post(t, url, initBody, auth)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "protocolVersion") {
		t.Errorf("initialize: status %d %s", resp.StatusCode, body)
	}
}

func TestHTTPOriginChecked(t *testing.T) {
	url := startHTTP(t, httpOptions{AllowedOrigins: []string{"https://app.example.com"}, MaxConnections: 16})
	for origin, want := range map[string]int{
		"":                        http.StatusOK, // non-browser clients send none
		"http://localhost:3000":   http.StatusOK, // loopback page for a loopback server
		"https://app.example.com": http.StatusOK, // configured
		"https://evil.example":    http.StatusForbidden,
		"null":                    http.StatusForbidden,
	} {
		h := map[string]string{}
		if origin != "" {
			h["Origin"] = origin
		}
		resp, body := post(t, url, initBody, h)
		if resp.StatusCode != want {
			t.Errorf("Origin %q: status %d, want %d (%s)", origin, resp.StatusCode, want, body)
		}
	}
}

// Connections beyond the cap wait instead of being served at once, and are
// served when a slot frees.
func TestLimitListenerCapsConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ll := limitListener(ln, 2)
	defer ll.Close()
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := ll.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	var clients []net.Conn
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
		defer c.Close()
	}
	first := <-accepted
	<-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted with a cap of 2")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting connection was not accepted after a slot freed")
	}
}

// Sessions of clients that never come back are swept after the idle TTL:
// the memory they held is given back (without the TTL, 20,000 initialize
// calls kept ~260 MB).
func TestHTTPIdleSessionsAreSwept(t *testing.T) {
	url := startHTTP(t, httpOptions{MaxConnections: 64, SessionIdleTTL: time.Second})
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	const n = 2000
	for i := 0; i < n; i++ {
		resp, _ := post(t, url, initBody, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("initialize %d: status %d", i, resp.StatusCode)
		}
	}
	grown := heap()
	if grown <= before {
		t.Skipf("%d sessions did not grow the heap (%d -> %d): nothing to sweep", n, before, grown)
	}
	deadline := time.Now().Add(20 * time.Second)
	after := grown
	for time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		if after = heap(); after < before+(grown-before)/2 {
			t.Logf("heap: %d before, %d with %d sessions, %d after the sweep", before, grown, n, after)
			return
		}
	}
	t.Errorf("idle sessions were not swept: heap %d before, %d with %d sessions, still %d", before, grown, n, after)
}

// `fa2 run` stopped by a signal exits non-zero, whatever the tool returned.
func TestRunInterruptedExitsNonZero(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut strings.Builder
	code := run(ctx, []string{"run", "query_logs", "--snapshot", demoSnapshot, "--json", `{}`}, strings.NewReader(""), &out, &errOut)
	if code != exitInterrupted || !strings.Contains(errOut.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want %d and 'interrupted'", code, errOut.String(), exitInterrupted)
	}
	if out.Len() != 0 {
		t.Errorf("an interrupted run printed a result: %s", out.String())
	}
}

// The stdio server ends promptly on SIGTERM even with stdin still open.
func TestServeStdioStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "fa2")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--snapshot", demoSnapshot)
	stdin, _ := cmd.StdinPipe()
	defer stdin.Close()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal only once the server has answered initialize: by then main has
	// installed its handler. A fixed sleep raced a slow start under -race on a
	// busy CI machine, and the default action (death by SIGTERM) failed the test.
	fmt.Fprintln(stdin, initBody)
	answered := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && !strings.Contains(line, `"id":1`) {
			err = fmt.Errorf("unexpected first line %q", line)
		}
		answered <- err
		io.Copy(io.Discard, stdout)
	}()
	select {
	case err := <-answered:
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("no initialize answer: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no initialize answer within 60 s; stderr:\n%s", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve still running 15 s after SIGTERM; stderr:\n%s", stderr.String())
	}
}
