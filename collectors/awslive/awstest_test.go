package awslive

import (
	"encoding/json"
	"fmt"
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

// jsonAPI is a fake AWS service speaking the JSON 1.0/1.1 protocol (Logs,
// CloudTrail, Athena...): every request is a POST to "/" whose
// X-Amz-Target header is "<TargetPrefix>.<Operation>". Tests register a
// handler per operation and read back what the real SDK client sent.
//
//	api := newJSONAPI(t, "Logs_20140328")
//	api.handle("StartQuery", func(c jsonCall) (int, any) { return 200, map[string]any{"queryId": "q1"} })
//	client := api.client(nil)
type jsonAPI struct {
	t      *testing.T
	prefix string
	srv    *httptest.Server

	mu       sync.Mutex
	handlers map[string]jsonHandler
	calls    []jsonCall
}

// jsonCall is one request the fake received.
type jsonCall struct {
	Op   string         // operation, e.g. "StartQuery"
	Body map[string]any // the decoded JSON body
	Raw  []byte
}

// str returns a string member of the body ("" when absent).
func (c jsonCall) str(key string) string {
	s, _ := c.Body[key].(string)
	return s
}

// strings returns a list-of-strings member of the body.
func (c jsonCall) strings(key string) []string {
	list, _ := c.Body[key].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

// num returns a numeric member of the body (0 when absent).
func (c jsonCall) num(key string) float64 {
	n, _ := c.Body[key].(float64)
	return n
}

// jsonHandler answers one call with a status and a body: any value is
// marshalled to JSON; a json.RawMessage or string is sent as is.
type jsonHandler func(call jsonCall) (status int, body any)

// newJSONAPI starts the fake; it is closed when the test ends.
func newJSONAPI(t *testing.T, targetPrefix string) *jsonAPI {
	t.Helper()
	api := &jsonAPI{t: t, prefix: targetPrefix, handlers: map[string]jsonHandler{}}
	api.srv = httptest.NewServer(http.HandlerFunc(api.serve))
	t.Cleanup(api.srv.Close)
	return api
}

// handle sets the handler of an operation, replacing any earlier one.
func (a *jsonAPI) handle(op string, h jsonHandler) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.handlers[op] = h
}

// reply is a handler that always answers 200 with body.
func reply(body any) jsonHandler {
	return func(jsonCall) (int, any) { return http.StatusOK, body }
}

// awsError is a protocol-correct JSON error: status 400 and a body whose
// __type names the error shape, as AWS JSON services send them.
func awsError(code, message string) (int, any) {
	return http.StatusBadRequest, map[string]any{"__type": "com.amazonaws.service#" + code, "message": message}
}

// failWith is a handler that always answers with an AWS error.
func failWith(code, message string) jsonHandler {
	return func(jsonCall) (int, any) { return awsError(code, message) }
}

// callsTo returns the calls made to op, in order.
func (a *jsonAPI) callsTo(op string) []jsonCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []jsonCall
	for _, c := range a.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

func (a *jsonAPI) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, a.prefix+".")
	if r.Method != http.MethodPost || !ok {
		a.t.Errorf("fake %s: unexpected request %s %s with X-Amz-Target %q", a.prefix, r.Method, r.URL.Path, target)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-amz-json-1.") {
		a.t.Errorf("fake %s: %s sent Content-Type %q, want application/x-amz-json-1.x", a.prefix, op, ct)
	}
	call := jsonCall{Op: op, Raw: raw, Body: map[string]any{}}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &call.Body); err != nil {
			a.t.Errorf("fake %s: %s body is not JSON: %v: %s", a.prefix, op, err, raw)
		}
	}
	a.mu.Lock()
	a.calls = append(a.calls, call)
	h := a.handlers[op]
	a.mu.Unlock()

	status, body := http.StatusBadRequest, any(map[string]any{"__type": "UnknownOperationException", "message": "no handler for " + op})
	if h == nil {
		a.t.Errorf("fake %s: no handler for %s (body %s)", a.prefix, op, raw)
	} else {
		status, body = h(call)
	}
	var out []byte
	switch b := body.(type) {
	case json.RawMessage:
		out = b
	case string:
		out = []byte(b)
	default:
		var err error
		if out, err = json.Marshal(b); err != nil {
			a.t.Errorf("fake %s: marshal response to %s: %v", a.prefix, op, err)
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// awsConfig points real SDK clients at the fake, with no retries so tests
// see every error once.
func (a *jsonAPI) awsConfig() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(a.srv.URL),
		HTTPClient:   a.srv.Client(),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// client builds an awslive.Client on the fake with millisecond polling.
// nil settings mean config.Default().
func (a *jsonAPI) client(settings *config.Config) *Client {
	if settings == nil {
		d := config.Default()
		settings = &d
	}
	c := New(a.awsConfig(), settings)
	c.pollInterval = time.Millisecond
	c.maxPollInterval = 4 * time.Millisecond
	return c
}

// mustJSON is a helper for building raw bodies in tests.
func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(fmt.Errorf("mustJSON: %w", err))
	}
	return b
}
