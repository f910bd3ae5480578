package evidence

import (
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

const frontDoc = `{"id":"f1","name":"checkout-api","origin":"AWS::ECS::Container","start_time":1700000000.0,"end_time":1700000000.08,"fault":true,
 "annotations":{"task_revision":"42"},
 "http":{"request":{"method":"POST","url":"https://shop/api/checkout"},"response":{"status":500}},
 "cause":{"exceptions":[{"type":"CannotGetJdbcConnectionException","message":"Failed to obtain JDBC Connection"}]},
 "subsegments":[
  {"id":"s1","name":"HikariPool-1.getConnection","start_time":1700000000.001,"end_time":1700000000.05,"fault":true,
   "cause":{"exceptions":[{"type":"CannotGetJdbcConnectionException","message":"Failed to obtain JDBC Connection"}]},
   "subsegments":[{"id":"s2","name":"checkout-db","namespace":"remote","start_time":1700000000.002,"end_time":1700000000.049,"fault":true,
     "sql":{"database_type":"PostgreSQL","url":"jdbc:postgresql://db:5432/checkout"},
     "cause":{"exceptions":[{"type":"PSQLException","message":"FATAL: password authentication failed"}]}}]},
  {"id":"s3","name":"inventory","namespace":"remote","start_time":1700000000.051,"end_time":1700000000.06}]}`

// A downstream service's own segment hangs under the caller's subsegment.
const downstreamDoc = `{"id":"d1","parent_id":"s3","name":"inventory","origin":"AWS::ECS::Container","start_time":1700000000.052,"end_time":1700000000.059,"error":true,"throttle":true}`

func trace(t *testing.T, id string, docs ...string) telemetry.Trace {
	t.Helper()
	tr := telemetry.Trace{ID: id}
	for _, d := range docs {
		s, err := ParseSegmentDocument(d)
		if err != nil {
			t.Fatal(err)
		}
		tr.Segments = append(tr.Segments, s)
	}
	return tr
}

func TestSummarizeTraceFindsTheDeepestFault(t *testing.T) {
	s := SummarizeTrace(trace(t, "1-a", frontDoc, downstreamDoc))
	if !s.HasFault || !s.HasError || !s.HasThrottle || s.HTTPStatus != 500 || s.HTTPMethod != "POST" {
		t.Errorf("flags/http = %+v", s)
	}
	if s.ResponseTime < 0.079 || s.ResponseTime > 0.081 || s.Duration < 0.079 || !s.Start.Equal(time.Unix(1700000000, 0).UTC()) {
		t.Errorf("timing = %v %v %v", s.Start, s.ResponseTime, s.Duration)
	}
	if strings.Join(s.Services, ",") != "checkout-api,checkout-db,inventory" {
		t.Errorf("services = %v", s.Services)
	}
	if len(s.RootCauses) != 1 {
		t.Fatalf("root causes = %+v", s.RootCauses)
	}
	rc := s.RootCauses[0]
	if rc.Kind != "fault" || rc.Service != "checkout-api" || rc.Exception != "PSQLException" ||
		strings.Join(rc.EntityPath, " > ") != "checkout-api > HikariPool-1.getConnection > checkout-db (SQL PostgreSQL)" {
		t.Errorf("root cause = %+v", rc)
	}
}

func TestSummarizeTraceErrorRootCauseInDownstreamService(t *testing.T) {
	front := strings.Replace(strings.Replace(frontDoc, `"fault":true`, `"fault":false`, -1), `"status":500`, `"status":200`, 1)
	s := SummarizeTrace(trace(t, "1-b", front, downstreamDoc))
	if s.HasFault || len(s.RootCauses) != 1 || s.RootCauses[0].Kind != "error" || s.RootCauses[0].Service != "inventory" ||
		strings.Join(s.RootCauses[0].EntityPath, ">") != "checkout-api>inventory>inventory" {
		t.Errorf("root causes = %+v", s.RootCauses)
	}
}

func TestParseSegmentDocumentRejectsGarbage(t *testing.T) {
	for _, d := range []string{"", "{", `{"name":"x"}`} {
		if _, err := ParseSegmentDocument(d); err == nil {
			t.Errorf("%q parsed", d)
		}
	}
}

func TestGroupFailures(t *testing.T) {
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	rc := telemetry.RootCause{Kind: "fault", Service: "api", EntityPath: []string{"api", "DynamoDB PutItem"}, Exception: "ISE", Message: "boom"}
	var sums []telemetry.TraceSummary
	for i := 0; i < 5; i++ {
		sums = append(sums, telemetry.TraceSummary{ID: string(rune('a' + i)), Start: base.Add(time.Duration(i) * time.Minute), HasFault: true,
			HTTPMethod: "POST", URL: "https://x/orders?id=1", HTTPStatus: 500, RootCauses: []telemetry.RootCause{rc}})
	}
	sums = append(sums,
		telemetry.TraceSummary{ID: "e", Start: base, HasError: true, Services: []string{"web"}},
		telemetry.TraceSummary{ID: "ok", Start: base},
	)
	g := GroupFailures(sums, 3)
	if len(g) != 2 {
		t.Fatalf("groups = %+v", g)
	}
	if g[0].Count != 5 || g[0].Path != "api > DynamoDB PutItem" || len(g[0].ExampleIDs) != 3 || !g[0].First.Equal(base) ||
		!g[0].Last.Equal(base.Add(4*time.Minute)) || g[0].Requests[0] != "POST /orders" || g[0].Statuses[0] != 500 {
		t.Errorf("fault group = %+v", g[0])
	}
	if g[1].Kind != "error" || g[1].Path != UnknownCause || g[1].Service != "web" {
		t.Errorf("unknown group = %+v", g[1])
	}
	c := CountTraces(sums)
	if c != (TraceCounts{Matched: 7, Faults: 5, Errors: 1}) {
		t.Errorf("counts = %+v", c)
	}
}

func TestTraceTreeKeepsFailingBranchesWithinBudget(t *testing.T) {
	tr := trace(t, "1-a", frontDoc, downstreamDoc)
	full := TraceTree(tr, 100)
	if len(full) != 1 || full[0].Name != "checkout-api" || full[0].HTTP != "POST /api/checkout 500" || full[0].Annotations["task_revision"] != "42" {
		t.Fatalf("root = %+v", full[0])
	}
	pool := full[0].Children[0]
	if pool.Status != "fault" || pool.Children[0].Name != "checkout-db (SQL PostgreSQL)" || !strings.HasPrefix(pool.Children[0].Exception, "PSQLException: FATAL") ||
		pool.StartMs != 1 || pool.DurationMs != 49 {
		t.Errorf("pool = %+v", pool)
	}
	if inv := full[0].Children[1]; len(inv.Children) != 1 || inv.Children[0].Status != "error" {
		t.Errorf("downstream not nested: %+v", inv)
	}
	small := TraceTree(tr, 3)
	if len(small[0].Children) != 1 || small[0].Children[0].Name != "HikariPool-1.getConnection" || small[0].Omitted != 2 {
		t.Errorf("budgeted tree = %+v", small[0])
	}
}

func TestServiceGraphCountsSegmentsAndInferredNodes(t *testing.T) {
	g := ServiceGraph([]telemetry.Trace{trace(t, "1-a", frontDoc, downstreamDoc)})
	byName := map[string]telemetry.ServiceStats{}
	for _, s := range g {
		byName[s.Name] = s
	}
	if byName["checkout-api"].Faults != 1 || byName["checkout-db"].Type != "Database::SQL" || byName["checkout-db"].Faults != 1 || byName["inventory"].Total != 2 {
		t.Errorf("graph = %+v", g)
	}
}
