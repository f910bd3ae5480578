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
	listenAddr, err := httpListenAddr(*addr, token)
	if err != nil {
		return fail(stderr, err)
	}
	opts := httpOptions{Token: token, AllowedOrigins: env.Config.HTTP.AllowedOrigins, MaxConnections: env.Config.HTTP.MaxConnections}
	if err := serveHTTP(ctx, srv, listenAddr, opts, env.Log, nil); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// serveStdio speaks MCP over stdin/stdout until stdin closes or ctx ends.
// On a signal the running calls are cancelled; if one still does not
// return within stdioGrace, fa2 exits anyway rather than hang the client.
func serveStdio(ctx context.Context, srv *server.MCPServer, stdin io.Reader, stdout io.Writer, log zerolog.Logger) error {
	stdio := server.NewStdioServer(srv)
	stdio.SetErrorLogger(zerologStd(log))
	done := make(chan error, 1)
	go func() { done <- stdio.Listen(ctx, stdin, stdout) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		select {
		case err = <-done:
		case <-time.After(stdioGrace):
			log.Warn().Msg("calls still running after the shutdown grace period; exiting")
			return nil
		}
	}
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// stdioGrace is how long a stdio server waits for cancelled calls to end.
const stdioGrace = 2 * time.Second

// httpListenAddr applies the network policy: a bare ":PORT" means loopback,
// and a non-loopback address is refused unless a token of at least
// minTokenLen characters protects it.
func httpListenAddr(addr, token string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--http %q: want HOST:PORT or :PORT (%v)", addr, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if !isLoopback(host) {
		if strings.TrimSpace(token) == "" {
			return "", fmt.Errorf("refusing to serve on %s without a token: anyone who can reach it could read your telemetry. Set FA2_HTTP_TOKEN or --http-token-file, or bind to 127.0.0.1", net.JoinHostPort(host, port))
		}
		if len(token) < minTokenLen {
			return "", fmt.Errorf("refusing to serve on %s with a %d-character token: use at least %d random characters (openssl rand -hex 32)", net.JoinHostPort(host, port), len(token), minTokenLen)
		}
	}
	return net.JoinHostPort(host, port), nil
}

// minTokenLen is the shortest token accepted on a non-loopback address.
const minTokenLen = 16

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// httpOptions are the protections of the HTTP server.
type httpOptions struct {
	Token          string
	AllowedOrigins []string
	MaxConnections int
	// SessionIdleTTL ends sessions idle this long; 0 means sessionIdleTTL.
	SessionIdleTTL time.Duration
	// ReadHeaderTimeout cuts clients that do not finish their headers; 0
	// means readHeaderTimeout (tests shorten it).
	ReadHeaderTimeout time.Duration
}

// HTTP limits. Request bodies are JSON-RPC messages whose arguments the
// tools cap at 64 KiB, so 1 MiB is generous; reading one must not take
// longer than a slow network needs. Responses are not timed: a tool call
// streams progress for as long as it runs, and is bounded by its own
// deadlines.
const (
	maxBodyBytes      = 1 << 20
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 60 * time.Second
	sessionIdleTTL    = 15 * time.Minute
)

// serveHTTP serves Streamable HTTP at /mcp until ctx ends, then shuts down
// gracefully. ready, when set, receives the bound address (tests use :0).
func serveHTTP(ctx context.Context, srv *server.MCPServer, addr string, opts httpOptions, log zerolog.Logger, ready chan<- string) error {
	ttl := opts.SessionIdleTTL
	if ttl <= 0 {
		ttl = sessionIdleTTL
	}
	// Sessions of clients that vanish without DELETE would otherwise stay
	// in memory forever.
	mcpHandler := server.NewStreamableHTTPServer(srv, server.WithEndpointPath("/mcp"),
		server.WithSessionIdleTTL(ttl), server.WithStreamableHTTPLogger(zerologSlog(log)))
	mux := http.NewServeMux()
	mux.Handle("/mcp", checkOrigin(opts.AllowedOrigins, requireToken(opts.Token, limitBody(maxBodyBytes, mcpHandler))))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if opts.MaxConnections > 0 {
		ln = limitListener(ln, opts.MaxConnections)
	}
	headerTimeout := opts.ReadHeaderTimeout
	if headerTimeout <= 0 {
		headerTimeout = readHeaderTimeout
	}
	hs := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: headerTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info().Str("url", "http://"+ln.Addr().String()+"/mcp").Bool("token", opts.Token != "").Msg("fa2 MCP server on Streamable HTTP")
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
		// The scheme is case-insensitive (RFC 9110 section 11.1).
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fa2"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <token>", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
