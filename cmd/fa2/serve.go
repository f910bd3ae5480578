package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/tools"
)

// cmdServe runs the MCP server on stdio, or on Streamable HTTP with --http.
func cmdServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 serve", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	addr := fs.String("http", "", "serve Streamable HTTP on `addr` (endpoint /mcp) instead of stdio; a bare :PORT binds to loopback")
	tokenFile := fs.String("http-token-file", "", "read the bearer token HTTP clients must send from `file` (or set FA2_HTTP_TOKEN)")
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	srv := tools.NewMCPServer(env, version)
	// A long-running server also takes alarm events when a queue is set.
	if err := startEventPoller(ctx, env); err != nil {
		return fail(stderr, err)
	}
	if *addr == "" {
		*addr = env.Config.HTTP.Addr
	}
	if *addr == "" {
		env.Log.Info().Str("source", env.Sources.Name).Msg("fa2 MCP server on stdio")
		if err := serveStdio(ctx, srv, stdin, stdout, env.Log); err != nil {
			return fail(stderr, err)
		}
		return 0
	}
	if *tokenFile == "" {
		*tokenFile = os.Getenv("FA2_HTTP_TOKEN_FILE")
	}
	token := env.Config.HTTP.Token
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return fail(stderr, fmt.Errorf("--http-token-file: %w", err))
		}
		token = strings.TrimSpace(string(b))
		if token == "" {
			return fail(stderr, fmt.Errorf("--http-token-file %s is empty", *tokenFile))
		}
	}
	listenAddr, err := httpListenAddr(*addr, token != "")
	if err != nil {
		return fail(stderr, err)
	}
	if err := serveHTTP(ctx, srv, listenAddr, token, env.Log, nil); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// serveStdio speaks MCP over stdin/stdout until stdin closes or ctx ends.
func serveStdio(ctx context.Context, srv *server.MCPServer, stdin io.Reader, stdout io.Writer, log zerolog.Logger) error {
	stdio := server.NewStdioServer(srv)
	stdio.SetErrorLogger(zerologStd(log))
	err := stdio.Listen(ctx, stdin, stdout)
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// httpListenAddr applies the network policy: a bare ":PORT" means loopback,
// and a non-loopback address is refused unless a token protects it.
func httpListenAddr(addr string, haveToken bool) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--http %q: want HOST:PORT or :PORT (%v)", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if !isLoopback(host) && !haveToken {
		return "", fmt.Errorf("refusing to serve on %s without a token: anyone who can reach it could read your telemetry. Set FA2_HTTP_TOKEN or --http-token-file, or bind to 127.0.0.1", net.JoinHostPort(host, port))
	}
	return net.JoinHostPort(host, port), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveHTTP serves Streamable HTTP at /mcp until ctx ends, then shuts down
// gracefully. ready, when set, receives the bound address (tests use :0).
func serveHTTP(ctx context.Context, srv *server.MCPServer, addr, token string, log zerolog.Logger, ready chan<- string) error {
	mcpHandler := server.NewStreamableHTTPServer(srv, server.WithEndpointPath("/mcp"))
	mux := http.NewServeMux()
	mux.Handle("/mcp", requireToken(token, mcpHandler))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Info().Str("url", "http://"+ln.Addr().String()+"/mcp").Bool("token", token != "").Msg("fa2 MCP server on Streamable HTTP")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info().Msg("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// requireToken rejects requests without "Authorization: Bearer <token>". The
// comparison is constant-time over hashes, so neither content nor length of
// the token leaks through timing. An empty token disables the check.
func requireToken(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fa2"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <token>", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
