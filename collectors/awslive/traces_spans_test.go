package awslive

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
)

// spanJSON is one span as the aws/spans log group stores it: OpenTelemetry
// span fields with W3C ids and semantic-convention attributes ("Spans",
// CloudWatch Transaction Search guide).
func spanJSON(t *testing.T, span map[string]any) string {
	b, err := json.Marshal(span)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// With Transaction Search on, traces are read from aws/spans through Logs
// Insights, never from BatchGetTraces (which has no handler here, so a call
// would fail the test), and the output names the path.
func TestTransactionSearchReadsSpansFromTheLogGroup(t *testing.T) {
	const xrayID = "1-6b0010c0-4f3b2a1c9d8e7f6a5b4c3d2e" // started 2026-11-20 09:20:00 UTC
	const w3c = "6b0010c04f3b2a1c9d8e7f6a5b4c3d2e"
	start := time.Date(2026, 11, 20, 9, 20, 0, 0, time.UTC)
	nano := func(ms int) int64 { return start.Add(time.Duration(ms) * time.Millisecond).UnixNano() }
	f := newLogsFake(t)
	f.Handle("POST /GetTraceSegmentDestination", awsfake.Always(awsfake.OK(map[string]any{"Destination": "CloudWatchLogs", "Status": "ACTIVE"})))
	f.rows = func(*fakeQuery) []map[string]string {
		return []map[string]string{
			{"@timestamp": "2026-11-20 09:20:00.000", "@message": spanJSON(t, map[string]any{
				"traceId": w3c, "spanId": "a1", "parentSpanId": "", "name": "POST /checkout", "kind": "SERVER",
				"startTimeUnixNano": nano(0), "endTimeUnixNano": nano(1200), "durationNano": 1200e6,
				"status":     map[string]any{"code": "ERROR"},
				"attributes": map[string]any{"http.request.method": "POST", "http.response.status_code": 502, "url.path": "/checkout"},
				"resource":   map[string]any{"attributes": map[string]any{"service.name": "checkout-api"}},
			})},
			{"@timestamp": "2026-11-20 09:20:00.100", "@message": spanJSON(t, map[string]any{
				"traceId": w3c, "spanId": "b2", "parentSpanId": "a1", "name": "DynamoDB.PutItem", "kind": "CLIENT",
				"startTimeUnixNano": jsonNum(nano(100)), // as a string: both forms occur "endTimeUnixNano": nano(1100),
				"status":            map[string]any{"code": "ERROR", "message": "ProvisionedThroughputExceededException"},
				"attributes":        map[string]any{"rpc.system": "aws-api", "aws.remote.service": "AWS::DynamoDB", "http.response.status_code": 400},
				"events": []any{map[string]any{"name": "exception", "attributes": map[string]any{
					"exception.type": "ProvisionedThroughputExceededException", "exception.message": "Rate of requests exceeds the allowed throughput"}}},
			})},
			{"@timestamp": "2026-11-20 09:20:00.000", "@message": "not a span"},
		}
	}
	c := fakeClient(f.Server, nil)
	traces, err := c.Traces(context.Background(), []string{xrayID, "not-an-id"})
	if err != nil {
		t.Fatal(err)
	}
	q := f.startedQueries()
	if len(q) != 1 || len(q[0].Groups) != 1 || q[0].Groups[0] != "aws/spans" ||
		q[0].Query != `fields @timestamp, @message | filter traceId in ["`+w3c+`"] | limit 10000` ||
		q[0].Start != start.Add(-5*time.Minute).Unix() || q[0].End != start.Add(time.Hour).Unix() {
		t.Fatalf("queries = %+v", q)
	}
	if len(traces) != 1 {
		t.Fatalf("traces = %+v, want the one trace id asked (the other id is not a trace id)", traces)
	}
	tr := traces[0]
	if tr.ID != xrayID || !strings.Contains(tr.Source, "aws/spans") || tr.Duration != 1.2 || len(tr.Segments) != 1 {
		t.Fatalf("trace = %+v", tr)
	}
	root := tr.Segments[0]
	if root.Name != "checkout-api" || !root.Fault || root.HTTPStatus != 502 || root.HTTPMethod != "POST" || len(root.Subsegments) != 1 {
		t.Errorf("root segment = %+v", root)
	}
	sub := root.Subsegments[0]
	if sub.Name != "AWS::DynamoDB" || sub.Namespace != "aws" || !sub.Error || sub.Fault || len(sub.Exceptions) != 1 ||
		sub.Exceptions[0].Type != "ProvisionedThroughputExceededException" || sub.StartTime != float64(nano(100))/1e9 {
		t.Errorf("DynamoDB subsegment = %+v", sub)
	}

	// Summaries still come from X-Ray, and the output says they are a sample.
	f.Handle("POST /TraceSummaries", awsfake.Always(awsfake.OK(map[string]any{"TraceSummaries": []any{}, "TracesProcessedCount": 0})))
	sums, err := c.TraceSummaries(context.Background(), telemetry.TraceQuery{Window: testWindow})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(sums.Warnings, " "); !strings.Contains(w, "Transaction Search") || !strings.Contains(w, "aws/spans") {
		t.Errorf("warnings %q do not say Transaction Search is on and where traces come from", sums.Warnings)
	}
	if n := len(f.Calls("POST /GetTraceSegmentDestination")); n != 1 {
		t.Errorf("GetTraceSegmentDestination called %d times, want once per client", n)
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

// Without permission to check, traces are read from X-Ray and the output
// says what to grant.
func TestTransactionSearchCheckDeniedKeepsXRayAndSaysSo(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("POST /GetTraceSegmentDestination", awsfake.Always(awsfake.Denied().WithStatus(403)))
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.OK(map[string]any{"TraceSummaries": []any{}})))
	sums, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: testWindow})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(sums.Warnings, " "); !strings.Contains(w, "xray:GetTraceSegmentDestination") {
		t.Errorf("warnings %q should name the permission to grant", sums.Warnings)
	}
}

func TestW3CIDsFromXRayIDs(t *testing.T) {
	for id, want := range map[string]string{
		"1-6b0010c0-4f3b2a1c9d8e7f6a5b4c3d2e": "6b0010c04f3b2a1c9d8e7f6a5b4c3d2e",
		"6B0010C04F3B2A1C9D8E7F6A5B4C3D2E":    "6b0010c04f3b2a1c9d8e7f6a5b4c3d2e",
		"1-6b0010c0-short":                    "",
		`6b0010c04f3b2a1c9d8e7f6a5b4c3d2"`:    "",
	} {
		got, start, ok := w3cID(id)
		if got != want || ok != (want != "") {
			t.Errorf("w3cID(%q) = %q, %v; want %q", id, got, ok, want)
		}
		if ok && !start.Equal(time.Date(2026, 11, 20, 9, 20, 0, 0, time.UTC)) {
			t.Errorf("w3cID(%q) start = %s", id, start)
		}
	}
}
