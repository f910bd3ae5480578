// Package awsfake is a recording fake AWS endpoint FOR TESTS ONLY: an
// httptest server on localhost that never reaches the network. The real
// aws-sdk-go-v2 clients of package awslive are pointed at it, so tests run the
// SDK's own serializers and error deserializers against protocol-correct
// answers, and then assert on what the SDK sent.
//
// One server speaks the three wire protocols fa2's services use, telling them
// apart by the request:
//   - JSON 1.0/1.1 (Logs, CloudTrail, Athena): POST / with X-Amz-Target
//     "Prefix.Operation"; the operation is "Operation".
//   - Smithy RPC v2 CBOR (CloudWatch): POST /service/S/operation/Operation with
//     Smithy-Protocol: rpc-v2-cbor; the operation is "Operation".
//   - REST-JSON (X-Ray, Security Hub, GuardDuty): the operation is
//     "METHOD /path", e.g. "POST /TraceSummaries".
//
// Usage:
//
//	s := awsfake.New(t)
//	s.Handle("StartQuery", func(c awsfake.Call) awsfake.Reply {
//		return awsfake.OK(map[string]any{"queryId": "q1"})
//	})
//	s.Handle("DescribeAlarms", awsfake.Always(awsfake.Throttled("Throttling")))
//	client := awslive.New(s.Config(), &settings)
//	... s.Calls("StartQuery")[0].Str("queryString") ...
//
// Logs and Athena both have a GetQueryResults: where one test needs both,
// name the operation with its service, "Logs_20140328.GetQueryResults" and
// "AmazonAthena.GetQueryResults", in Handle and Calls.
//
// awsfake cannot build an awslive.Client itself: awslive's own tests import
// it, and the import would be a cycle. It hands out an aws.Config instead.
package awsfake

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/fa2/fa2/collectors/awslive/internal/ownbody"
)

// Handler answers one call.
type Handler func(c Call) Reply

// Always is a handler that gives the same reply to every call.
func Always(r Reply) Handler {
	return func(Call) Reply { return r }
}

// Server is the fake endpoint. It records every call, answered or not.
type Server struct {
	*httptest.Server
	t testing.TB

	mu       sync.Mutex
	handlers map[string]Handler
	calls    []Call
}

// New starts a fake endpoint; it is closed when the test ends.
//
// One operation has a default answer, because fa2 calls it before any trace
// read and most tests do not care: GetTraceSegmentDestination answers what
// an account without Transaction Search answers (destination XRay, status
// ACTIVE; X-Ray API reference, GetTraceSegmentDestination). Handle replaces it.
func New(t testing.TB) *Server {
	s := &Server{t: t, handlers: map[string]Handler{
		"POST /GetTraceSegmentDestination": Always(OK(map[string]any{"Destination": "XRay", "Status": "ACTIVE"})),
	}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Handle sets the handler of an operation, replacing any earlier one, so a
// test can override one operation of a prepared fake. A call to an operation
// without a handler fails the test.
func (s *Server) Handle(op string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[op] = h
}

// Calls returns the calls made to op in order; "" returns every call.
func (s *Server) Calls(op string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if op == "" || c.is(op) {
			out = append(out, c)
		}
	}
	return out
}

// Ops lists the operations called, in order: a compact view of Calls("")
// for failure messages and call-order checks.
func (s *Server) Ops() []string {
	var out []string
	for _, c := range s.Calls("") {
		out = append(out, c.Op)
	}
	return out
}

// Config points every SDK client at the fake: static credentials (the SDK
// signs requests, so it needs some) and no retries, so a test sees each
// error reply exactly once and counts calls exactly. Without retries the
// SDK's own request-body race (see package ownbody) would surface as a
// flaky "use of closed network connection"; the HTTP client is wrapped as
// production's is (awslive.LoadAWSConfig), which removes the race instead
// of retrying it — a retry would record the call twice.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   ownbody.Wrap(s.Client()),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := protocolOf(r)
	call, err := p.decode(r)
	if err != nil {
		s.t.Errorf("awsfake: %v", err)
	}
	if p == awsQuery {
		// The XML answer is named after the operation.
		r.Header.Set("X-Awsfake-Action", call.Op)
	}
	h := s.record(&call)
	var reply Reply
	if h == nil {
		s.t.Errorf("awsfake: no handler for %s (params %v)", call.Op, call.Params)
		reply = Error("UnknownOperationException", "awsfake has no handler for "+call.Op)
	} else {
		reply = h(call)
	}
	if err := p.write(w, r, reply); err != nil {
		s.t.Errorf("awsfake: answer %s: %v", call.Op, err)
	}
}

// record appends the call, numbering it among the calls to its operation,
// and returns the operation's handler.
func (s *Server) record(c *Call) Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, prev := range s.calls {
		if prev.Op == c.Op && prev.Service == c.Service {
			c.N++
		}
	}
	c.N++
	s.calls = append(s.calls, *c)
	if h, ok := s.handlers[c.Service+"."+c.Op]; ok {
		return h
	}
	if h, ok := s.handlers[c.Op]; ok {
		return h
	}
	// REST operations name a resource in the path: "PUT *" answers every
	// PUT (S3 objects under any key).
	if method, _, ok := strings.Cut(c.Op, " "); ok {
		return s.handlers[method+" *"]
	}
	return nil
}
