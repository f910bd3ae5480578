package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The load test runs in CI at a small size (seconds) and, with
// FA2_LOAD=long, at the size the hardening issue asks figures for. It only
// ever talks to its own server on loopback, and every loop is bounded.
type loadSize struct {
	clients, requestsPerClient, idleConns int
}

func loadSizeFromEnv() loadSize {
	if os.Getenv("FA2_LOAD") == "long" {
		return loadSize{clients: 50, requestsPerClient: 200, idleConns: 2000}
	}
	return loadSize{clients: 50, requestsPerClient: 8, idleConns: 300}
}

// TestHTTPUnderLoad drives tools/list and a tool call from 50 concurrent
// clients: every answer must be a correct one, and the figures (requests/s,
// p99) are logged for the closing note.
func TestHTTPUnderLoad(t *testing.T) {
	size := loadSizeFromEnv()
	url := startHTTP(t, httpOptions{MaxConnections: 512})
	transport := &http.Transport{MaxIdleConnsPerHost: size.clients, MaxConnsPerHost: size.clients}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport, Timeout: 60 * time.Second}

	bodies := map[string]string{
		"tools/list": `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		"tools/call": `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_alarms","arguments":{}}}`,
	}
	want := map[string]string{"tools/list": `"query_logs"`, "tools/call": `"alarms"`}
	lat := map[string][]time.Duration{}
	var mu sync.Mutex
	var failures []string
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < size.clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			session := ""
			if resp, err := hc.Post(url, "application/json", strings.NewReader(initBody)); err == nil {
				session = resp.Header.Get("Mcp-Session-Id")
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			for i := 0; i < size.requestsPerClient; i++ {
				method := "tools/list"
				if i%2 == 1 {
					method = "tools/call"
				}
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(bodies[method]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				req.Header.Set("Mcp-Protocol-Version", "2025-11-25")
				if session != "" {
					req.Header.Set("Mcp-Session-Id", session)
				}
				t0 := time.Now()
				resp, err := hc.Do(req)
				var body []byte
				if err == nil {
					body, _ = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				lat[method] = append(lat[method], d)
				switch {
				case err != nil:
					failures = append(failures, fmt.Sprintf("client %d %s: %v", c, method, err))
				case resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want[method]):
					failures = append(failures, fmt.Sprintf("client %d %s: status %d %.200s", c, method, resp.StatusCode, body))
				}
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(failures) > 0 {
		t.Fatalf("%d of %d requests failed; first: %s", len(failures), size.clients*size.requestsPerClient, failures[0])
	}
	total := size.clients * size.requestsPerClient
	t.Logf("%d clients x %d requests: %.0f requests/s overall", size.clients, size.requestsPerClient, float64(total)/elapsed.Seconds())
	for method, ds := range lat {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-10s n=%d p50=%v p99=%v max=%v", method, len(ds), ds[len(ds)/2], ds[len(ds)*99/100], ds[len(ds)-1])
	}
	t.Logf("peak RSS of the test process: %s", peakRSS())
}

// TestHTTPSlowClientsAreBounded opens many connections that never finish
// their headers: the server holds at most MaxConnections of them, cuts
// them at the header timeout, and then serves a normal client.
func TestHTTPSlowClientsAreBounded(t *testing.T) {
	size := loadSizeFromEnv()
	const maxConns = 100
	url := startHTTP(t, httpOptions{MaxConnections: maxConns, ReadHeaderTimeout: time.Second})
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/mcp")

	goroutinesBefore := runtime.NumGoroutine()
	heapBefore := heapInUse()
	var conns []net.Conn
	for i := 0; i < size.idleConns; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		// A trickling client: part of a request line, then nothing.
		fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: %s\r\n", addr)
		conns = append(conns, c)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	time.Sleep(300 * time.Millisecond)
	held := runtime.NumGoroutine() - goroutinesBefore
	t.Logf("%d slow connections: %d more goroutines, %.1f MB more heap in use", size.idleConns, held, float64(heapInUse()-heapBefore)/1e6)
	// Each connection served costs the server a goroutine (and the test
	// one more for nothing: the client side is plain sockets). Beyond the
	// cap, connections wait in the kernel's backlog and cost nothing here.
	if held > maxConns+20 {
		t.Errorf("%d slow connections made %d goroutines; the cap is %d connections", size.idleConns, held, maxConns)
	}
	// The header timeout cuts them, so a real client gets through.
	hc := &http.Client{Timeout: 30 * time.Second}
	resp, err := hc.Post(url, "application/json", strings.NewReader(initBody))
	if err != nil {
		t.Fatalf("a normal client behind %d slow ones: %v", size.idleConns, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a normal client behind %d slow ones: status %d", size.idleConns, resp.StatusCode)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// peakRSS reads VmHWM from /proc (Linux); elsewhere it says so.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}
