package awslive

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fa2/fa2/config"
)

// recordedCall is one request the fake AWS endpoint received.
type recordedCall struct {
	// Op is the X-Amz-Target operation (JSON protocols) or "METHOD /path"
	// (REST protocols).
	Op   string
	Body map[string]any
}

// fakeReply is what a handler answers: a status and a JSON body.
type fakeReply struct {
	status int
	body   any
}

func ok(body any) fakeReply { return fakeReply{200, body} }

// fakeAPIError is an error reply in the shape JSON and REST-JSON services use.
func fakeAPIError(status int, code, msg string) fakeReply {
	return fakeReply{status, map[string]string{"__type": code, "message": msg}}
}

// recordingServer is an httptest server speaking AWS JSON protocols: it
// records every call and answers with the test's handler.
type recordingServer struct {
	mu     sync.Mutex
	calls  []recordedCall
	handle func(call recordedCall, n int) fakeReply
}

func (s *recordingServer) ops() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.calls {
		out = append(out, c.Op)
	}
	return out
}

func (s *recordingServer) callsTo(op string) []recordedCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []recordedCall
	for _, c := range s.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

func (s *recordingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	call := recordedCall{Op: r.Method + " " + r.URL.Path}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		call.Op = t[strings.LastIndexByte(t, '.')+1:]
	}
	_ = json.Unmarshal(raw, &call.Body)
	s.mu.Lock()
	s.calls = append(s.calls, call)
	n := 0
	for _, c := range s.calls {
		if c.Op == call.Op {
			n++
		}
	}
	s.mu.Unlock()
	reply := s.handle(call, n)
	if m, isErr := reply.body.(map[string]string); isErr && reply.status >= 400 {
		w.Header().Set("X-Amzn-Errortype", m["__type"])
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(reply.status)
	_ = json.NewEncoder(w).Encode(reply.body)
}

// newFakeClient returns a Client whose every service talks to handle, with
// polling, pacing and backoff shortened so tests stay fast.
func newFakeClient(t *testing.T, settings config.Config, handle func(call recordedCall, n int) fakeReply) (*Client, *recordingServer) {
	t.Helper()
	rs := &recordingServer{handle: handle}
	ts := httptest.NewServer(rs)
	t.Cleanup(ts.Close)
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(ts.URL),
		HTTPClient:   ts.Client(),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	c := New(cfg, &settings)
	c.pollInterval, c.maxPollInterval = time.Millisecond, 4*time.Millisecond
	c.trail.interval, c.trail.backoff = time.Millisecond, time.Millisecond
	return c, rs
}

// str digs a string out of a decoded JSON body by path.
func str(v any, path ...any) string {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return ""
			}
			v = a[k]
		}
	}
	s, _ := v.(string)
	if f, isNum := v.(float64); isNum {
		b, _ := json.Marshal(f)
		return string(b)
	}
	return s
}
