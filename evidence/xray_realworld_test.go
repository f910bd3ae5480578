package evidence

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// loadBatchGetTraces reads testdata/xray/batch-get-traces.json (see its
// README for the documentation each trace follows).
func loadBatchGetTraces(t *testing.T) map[string]telemetry.Trace {
	t.Helper()
	raw, err := os.ReadFile("testdata/xray/batch-get-traces.json")
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Traces []struct {
			ID       string  `json:"Id"`
			Duration float64 `json:"Duration"`
			Segments []struct {
				Document string `json:"Document"`
			} `json:"Segments"`
		} `json:"Traces"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	traces := map[string]telemetry.Trace{}
	for _, rt := range out.Traces {
		tr := telemetry.Trace{ID: rt.ID, Duration: rt.Duration}
		for _, s := range rt.Segments {
			seg, err := ParseSegmentDocument(s.Document)
			if err != nil {
				t.Fatalf("%s: %v", rt.ID, err)
			}
			tr.Segments = append(tr.Segments, seg)
		}
		traces[rt.ID] = tr
	}
	return traces
}

const (
	traceDeniedGoSDK = "1-692d6920-0123456789abcdef01234567"
	traceDenied      = "1-692d6921-0123456789abcdef01234568"
	traceThrottled   = "1-692d6922-0123456789abcdef01234569"
	traceSQL         = "1-692d6923-0123456789abcdef0123456a"
	traceInProgress  = "1-692d6924-0123456789abcdef0123456b"
	traceHealthySNS  = "1-692d6925-0123456789abcdef0123456c"
)

// Issue 9: a 500 whose cause is a 400 from a downstream AWS call is that
// 400, with the reason, not the caller's wrapper exception.
func TestRootCauseFollowsTheFaultIntoTheDownstream400(t *testing.T) {
	traces := loadBatchGetTraces(t)
	s := SummarizeTrace(traces[traceDenied])
	if len(s.RootCauses) != 1 {
		t.Fatalf("root causes = %+v", s.RootCauses)
	}
	rc := s.RootCauses[0]
	if rc.Kind != "fault" || rc.Service != "order-api" || strings.Join(rc.EntityPath, " > ") != "order-api > DynamoDB PutItem (400)" ||
		rc.Exception != "AccessDeniedException" || !strings.Contains(rc.Message, "not authorized to perform: dynamodb:PutItem") {
		t.Errorf("root cause = %+v", rc)
	}
	thr := SummarizeTrace(traces[traceThrottled]).RootCauses
	if len(thr) != 1 || strings.Join(thr[0].EntityPath, " > ") != "order-api > DynamoDB PutItem (400)" || thr[0].Exception != "ProvisionedThroughputExceededException" || thr[0].Kind != "fault" {
		t.Errorf("throttled root cause = %+v", thr)
	}
}

// Issue 18 item 5: the SDK's attempt/wait/marshal subsegments are part of
// the call; the trace with them and the one without fall in one group.
func TestSDKInternalSubsegmentsDoNotSplitAFailure(t *testing.T) {
	traces := loadBatchGetTraces(t)
	a, b := SummarizeTrace(traces[traceDeniedGoSDK]), SummarizeTrace(traces[traceDenied])
	g := GroupFailures([]telemetry.TraceSummary{a, b}, 3)
	if len(g) != 1 || g[0].Count != 2 || g[0].Path != "order-api > DynamoDB PutItem (400)" {
		t.Fatalf("groups = %+v", g)
	}
	for _, name := range a.Services {
		if name == "attempt" || name == "wait" {
			t.Errorf("services = %v", a.Services)
		}
	}
}

// Issue 18 item 5: an inferred segment is the call it was inferred from,
// not a second DynamoDB under the first.
func TestInferredSegmentsAreNotCountedTwice(t *testing.T) {
	traces := loadBatchGetTraces(t)
	s := SummarizeTrace(traces[traceDenied])
	if strings.Join(s.Services, ",") != "order-api,DynamoDB" {
		t.Errorf("services = %v", s.Services)
	}
	g := ServiceGraph([]telemetry.Trace{traces[traceDenied], traces[traceHealthySNS]})
	by := map[string]telemetry.ServiceStats{}
	for _, st := range g {
		by[st.Name] = st
	}
	if by["DynamoDB"].Total != 1 || by["DynamoDB"].Errors != 1 || by["SNS"].Total != 1 || by["SNS"].OK != 1 || by["order-api"].Total != 2 {
		t.Errorf("graph = %+v", g)
	}
	tree := TraceTree(traces[traceDenied], 40)
	if len(tree) != 1 || len(tree[0].Children) != 1 || len(tree[0].Children[0].Children) != 0 || tree[0].Children[0].HTTP != "400" {
		t.Errorf("tree = %+v", tree)
	}
}

// Issue 18 item 5: a segment sent before it ended has no end_time: no
// negative durations anywhere.
func TestInProgressSegmentsHaveNoNegativeDurations(t *testing.T) {
	traces := loadBatchGetTraces(t)
	tr := traces[traceInProgress]
	s := SummarizeTrace(tr)
	if s.ResponseTime < 1.39 || s.ResponseTime > 1.41 || s.Duration < 0 {
		t.Errorf("summary timing = %v %v", s.ResponseTime, s.Duration)
	}
	tree := TraceTree(tr, 40)
	var check func(n TreeNode)
	check = func(n TreeNode) {
		if n.DurationMs < 0 || n.StartMs < 0 {
			t.Errorf("negative timing in %+v", n)
		}
		for _, c := range n.Children {
			check(c)
		}
	}
	for _, n := range tree {
		check(n)
	}
	if tree[0].Status != "in progress" || tree[0].Children[1].Status != "in progress" || tree[0].Children[0].DurationMs != 1380 {
		t.Errorf("tree = %+v", tree)
	}
	for _, st := range ServiceGraph([]telemetry.Trace{tr}) {
		if st.AvgResp < 0 {
			t.Errorf("negative average for %+v", st)
		}
	}
}

// A cause given as an exception id resolves; a fault in SQL wins over a
// sibling remote 429.
func TestSQLFaultAndCauseReference(t *testing.T) {
	traces := loadBatchGetTraces(t)
	s := SummarizeTrace(traces[traceSQL])
	if len(s.RootCauses) != 1 || strings.Join(s.RootCauses[0].EntityPath, " > ") != "checkout > shopdb@db.example.internal (SQL PostgreSQL)" ||
		s.RootCauses[0].Exception != "PSQLException" {
		t.Errorf("root causes = %+v", s.RootCauses)
	}
	if !s.HasThrottle || !s.HasError {
		t.Errorf("flags = %+v", s)
	}
	tree := TraceTree(traces[traceSQL], 40)
	if !strings.HasPrefix(tree[0].Exception, "PSQLException: FATAL") || tree[0].Children[0].HTTP != "GET /v1/limits 429" {
		t.Errorf("tree = %+v", tree)
	}
}

// The innermost cause of a chained exception is the reason.
func TestInnermostException(t *testing.T) {
	s := telemetry.Segment{Exceptions: []telemetry.TraceException{
		{ID: "a", Type: "Wrapper", Message: "Failed", Cause: "b"}, {ID: "b", Type: "Inner", Message: "why", Cause: "a"}}}
	if e, ok := InnermostException(&s); !ok || e.Type != "Inner" {
		t.Errorf("innermost = %+v", e)
	}
	if _, ok := InnermostException(&telemetry.Segment{}); ok {
		t.Error("no exception found one")
	}
}

// The HTTP request an OpenTelemetry-instrumented SDK records under an AWS
// call is part of that call: the failure groups with the plain one.
func TestHTTPTransportUnderAnAWSCallIsPartOfIt(t *testing.T) {
	traces := loadBatchGetTraces(t)
	doc := `{"id":"f1","name":"order-api","start_time":1764583200,"end_time":1764583200.2,"fault":true,
	 "subsegments":[{"id":"d1","name":"DynamoDB","namespace":"aws","aws":{"operation":"PutItem"},"start_time":1764583200.01,"end_time":1764583200.1,"error":true,
	  "http":{"response":{"status":400}},
	  "subsegments":[{"id":"h1","name":"dynamodb.us-east-1.amazonaws.com","namespace":"remote","start_time":1764583200.02,"end_time":1764583200.09,"error":true,
	   "http":{"request":{"method":"POST","url":"https://dynamodb.us-east-1.amazonaws.com/"},"response":{"status":400}},
	   "cause":{"exceptions":[{"type":"AccessDeniedException","message":"not authorized to perform: dynamodb:PutItem"}]}}]}]}`
	s := SummarizeTrace(trace(t, "1-otel", doc))
	if len(s.RootCauses) != 1 || strings.Join(s.RootCauses[0].EntityPath, " > ") != "order-api > DynamoDB PutItem (400)" || s.RootCauses[0].Exception != "AccessDeniedException" {
		t.Errorf("root causes = %+v", s.RootCauses)
	}
	g := ServiceGraph([]telemetry.Trace{trace(t, "1-otel", doc), traces[traceDenied]})
	for _, st := range g {
		if st.Name == "dynamodb.us-east-1.amazonaws.com" {
			t.Errorf("the transport is counted as a service: %+v", g)
		}
	}
}

// Documents whose parent ids form a cycle (corrupt or hostile input) stay
// separate trees instead of looping forever.
func TestParentCyclesAreBroken(t *testing.T) {
	a := `{"id":"a","parent_id":"b","name":"x","start_time":1,"end_time":2,"fault":true}`
	b := `{"id":"b","parent_id":"a","name":"y","start_time":1,"end_time":2,"fault":true}`
	self := `{"id":"c","parent_id":"d","name":"z","start_time":1,"end_time":2,"fault":true,"subsegments":[{"id":"d","name":"w","start_time":1,"end_time":2,"fault":true}]}`
	s := SummarizeTrace(trace(t, "1-cycle", a, b, self))
	if len(s.RootCauses) == 0 || s.Duration < 0 {
		t.Errorf("summary = %+v", s)
	}
	if n := len(TraceTree(trace(t, "1-cycle", a, b, self), 40)); n < 2 {
		t.Errorf("%d trees", n)
	}
}

// A Lambda function's trace: the function segment hangs under the Lambda
// service segment; its failure is the S3 404 its Invocation got.
func TestLambdaTrace(t *testing.T) {
	traces := loadBatchGetTraces(t)
	s := SummarizeTrace(traces["1-692d6926-0123456789abcdef0123456d"])
	if len(s.RootCauses) != 1 || strings.Join(s.RootCauses[0].EntityPath, " > ") != "orders-report > orders-report > Invocation > S3 GetObject (404)" ||
		s.RootCauses[0].Exception != "NoSuchKey" || s.RootCauses[0].Kind != "fault" {
		t.Errorf("root causes = %+v", s.RootCauses)
	}
	if strings.Join(s.Services, ",") != "orders-report,S3" || s.ResponseTime < 0.42 {
		t.Errorf("summary = %+v", s)
	}
}
