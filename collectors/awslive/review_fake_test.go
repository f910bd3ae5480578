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

// The review tests use this small, self-contained fake so they do not depend
// on the shared test helpers while those are being reworked. It speaks both
// JSON protocols (operation from X-Amz-Target) and REST-JSON (operation is
// "METHOD /path"); errors carry X-Amzn-ErrorType and a __type body member,
// which is what the SDK deserializers read for either protocol.

type reviewCall struct {
	op   string
	body map[string]any
}

// reviewAnswer is a handler's reply: errCode set means an AWS error.
type reviewAnswer struct {
	status  int
	errCode string
	body    any
}

func answer(body any) reviewAnswer { return reviewAnswer{status: http.StatusOK, body: body} }

func answerErr(status int, code, msg string) reviewAnswer {
	return reviewAnswer{status: status, errCode: code, body: map[string]any{"__type": code, "message": msg, "Message": msg}}
}

type reviewFake struct {
	t      *testing.T
	mu     sync.Mutex
	calls  []reviewCall
	handle func(call reviewCall) reviewAnswer
}

func (f *reviewFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	call := reviewCall{op: r.Method + " " + r.URL.Path, body: map[string]any{}}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		call.op = t[strings.LastIndexByte(t, '.')+1:]
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &call.body); err != nil {
			f.t.Errorf("%s: body is not JSON: %v", call.op, err)
		}
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	a := f.handle(call)
	if a.errCode != "" {
		w.Header().Set("X-Amzn-ErrorType", a.errCode)
	}
	if r.Header.Get("X-Amz-Target") != "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

func (f *reviewFake) callsTo(op string) []reviewCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []reviewCall
	for _, c := range f.calls {
		if c.op == op {
			out = append(out, c)
		}
	}
	return out
}

// newReviewClient returns a Client whose every service talks to handle,
// with polling, pacing and backoff shortened so tests stay fast.
func newReviewClient(t *testing.T, settings config.Config, handle func(call reviewCall) reviewAnswer) (*Client, *reviewFake) {
	t.Helper()
	f := &reviewFake{t: t, handle: handle}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	c := New(reviewAWSConfig(ts), &settings)
	c.pollInterval, c.maxPollInterval = time.Millisecond, 4*time.Millisecond
	c.trail.interval, c.trail.backoff = time.Millisecond, time.Millisecond
	return c, f
}

func reviewAWSConfig(ts *httptest.Server) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(ts.URL),
		HTTPClient:   ts.Client(),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// epochSeconds reads a JSON timestamp member (epoch seconds, as X-Ray and
// CloudTrail serialize them).
func epochSeconds(v any) time.Time {
	f, _ := v.(float64)
	return time.Unix(0, int64(f*1e9)).UTC()
}
