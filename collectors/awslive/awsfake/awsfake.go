// Package awsfake serves fake AWS endpoints for tests: handlers receive the
// decoded request and answer with protocol-correct bodies, so the real SDK
// clients of package awslive can be exercised without a network. CloudWatch
// speaks Smithy RPC v2 CBOR; X-Ray speaks REST-JSON.
package awsfake

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/encoding/cbor"
)

// Request is one call the fake received.
type Request struct {
	Op   string
	Body map[string]any
}

// Handler answers one operation: a response body, or an error.
type Handler func(body map[string]any) (map[string]any, *APIError)

// APIError is an AWS error response.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Throttled and Denied are the usual failures.
func Throttled(code string) *APIError {
	return &APIError{Status: 400, Code: code, Message: "Rate exceeded"}
}
func Denied() *APIError {
	return &APIError{Status: 400, Code: "AccessDeniedException", Message: "User: arn:aws:iam::123456789012:user/t is not authorized to perform this action"}
}

// Server is a fake endpoint that records requests.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	handlers map[string]Handler
}

// Requests returns the calls made to op ("" for all).
func (s *Server) Requests(op string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if op == "" || r.Op == op {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) record(op string, body map[string]any) (Handler, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{op, body})
	h, ok := s.handlers[op]
	return h, ok
}

// Config is an aws.Config that sends every service to the server.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   s.Client(),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// CloudWatch serves the CloudWatch RPC v2 CBOR protocol: POST
// /service/GraniteServiceVersion20100801/operation/<Op> with CBOR bodies.
func CloudWatch(t testing.TB, handlers map[string]Handler) *Server {
	s := &Server{handlers: handlers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := strings.LastIndex(r.URL.Path, "/operation/")
		if i < 0 || r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
			t.Errorf("not an RPC v2 CBOR request: %s %s", r.Method, r.URL.Path)
			w.WriteHeader(400)
			return
		}
		op := r.URL.Path[i+len("/operation/"):]
		raw, _ := io.ReadAll(r.Body)
		body := map[string]any{}
		if len(raw) > 0 {
			v, err := cbor.Decode(raw)
			if err != nil {
				t.Errorf("%s: request is not CBOR: %v", op, err)
			}
			if m, ok := fromCBOR(v).(map[string]any); ok {
				body = m
			}
		}
		h, ok := s.record(op, body)
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		if !ok {
			t.Errorf("unexpected CloudWatch operation %s", op)
			w.WriteHeader(500)
			return
		}
		resp, apiErr := h(body)
		if apiErr != nil {
			w.WriteHeader(apiErr.Status)
			w.Write(cbor.Encode(toCBOR(map[string]any{"__type": "com.amazonaws.cloudwatch#" + apiErr.Code, "message": apiErr.Message})))
			return
		}
		w.Write(cbor.Encode(toCBOR(resp)))
	}))
	t.Cleanup(s.Close)
	return s
}

// XRay serves X-Ray's REST-JSON protocol; ops are named by path:
// "/TraceSummaries", "/Traces", "/ServiceGraph".
func XRay(t testing.TB, handlers map[string]Handler) *Server {
	s := &Server{handlers: handlers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		body := map[string]any{}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Errorf("%s: request is not JSON: %v", r.URL.Path, err)
			}
		}
		h, ok := s.record(r.URL.Path, body)
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			t.Errorf("unexpected X-Ray path %s", r.URL.Path)
			w.WriteHeader(500)
			return
		}
		resp, apiErr := h(body)
		if apiErr != nil {
			w.Header().Set("X-Amzn-ErrorType", apiErr.Code)
			w.WriteHeader(apiErr.Status)
			json.NewEncoder(w).Encode(map[string]any{"message": apiErr.Message})
			return
		}
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(s.Close)
	return s
}

// toCBOR converts Go values to CBOR: time.Time becomes an epoch-seconds
// timestamp (tag 1), as the protocol requires.
func toCBOR(v any) cbor.Value {
	switch x := v.(type) {
	case nil:
		return &cbor.Nil{}
	case cbor.Value:
		return x
	case string:
		return cbor.String(x)
	case bool:
		return cbor.Bool(x)
	case int:
		if x < 0 {
			return cbor.NegInt(uint64(-x))
		}
		return cbor.Uint(uint64(x))
	case int64:
		return toCBOR(int(x))
	case float64:
		return cbor.Float64(x)
	case time.Time:
		return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(x.UnixMilli()) / 1000)}
	case []float64:
		l := make(cbor.List, len(x))
		for i, f := range x {
			l[i] = cbor.Float64(f)
		}
		return l
	case []time.Time:
		l := make(cbor.List, len(x))
		for i, t := range x {
			l[i] = toCBOR(t)
		}
		return l
	case []string:
		l := make(cbor.List, len(x))
		for i, s := range x {
			l[i] = cbor.String(s)
		}
		return l
	case []map[string]any:
		l := make(cbor.List, len(x))
		for i, m := range x {
			l[i] = toCBOR(m)
		}
		return l
	case []any:
		l := make(cbor.List, len(x))
		for i, e := range x {
			l[i] = toCBOR(e)
		}
		return l
	case map[string]any:
		m := cbor.Map{}
		for k, e := range x {
			m[k] = toCBOR(e)
		}
		return m
	}
	panic(fmt.Sprintf("awsfake: cannot encode %T as CBOR", v))
}

// fromCBOR converts decoded CBOR to plain Go values; timestamps become
// time.Time and numbers float64.
func fromCBOR(v cbor.Value) any {
	switch x := v.(type) {
	case cbor.String:
		return string(x)
	case cbor.Bool:
		return bool(x)
	case cbor.Uint:
		return float64(x)
	case cbor.NegInt:
		return -float64(x)
	case cbor.Float32:
		return float64(x)
	case cbor.Float64:
		return float64(x)
	case *cbor.Tag:
		if x.ID == 1 {
			f, _ := cbor.AsFloat64(x.Value)
			sec, frac := math.Modf(f)
			return time.Unix(int64(sec), int64(frac*1e9)).UTC()
		}
		return fromCBOR(x.Value)
	case cbor.List:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromCBOR(e)
		}
		return out
	case cbor.Map:
		out := map[string]any{}
		for k, e := range x {
			out[k] = fromCBOR(e)
		}
		return out
	}
	return nil
}
