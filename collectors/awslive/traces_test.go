package awslive_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

var t9 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func epochF(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

// faultSummary is a failing trace; with root causes when rc is true.
func faultSummary(i int, rc bool) map[string]any {
	s := map[string]any{
		"Id": fmt.Sprintf("1-6b0017ae-%024d", i), "StartTime": epochF(t9.Add(time.Duration(i) * time.Second)),
		"Duration": 0.06, "ResponseTime": 0.05, "HasFault": true, "HasError": false, "HasThrottle": false,
		"Http":       map[string]any{"HttpMethod": "POST", "HttpURL": "https://shop/api/checkout", "HttpStatus": 500},
		"ServiceIds": []any{map[string]any{"Name": "checkout-api"}, map[string]any{"Name": "checkout-db"}},
	}
	if rc {
		s["FaultRootCauses"] = []any{map[string]any{"Services": []any{
			map[string]any{"Name": "checkout-api", "EntityPath": []any{
				map[string]any{"Name": "checkout-api"},
				map[string]any{"Name": "HikariPool-1.getConnection"},
				map[string]any{"Name": "checkout-db", "Exceptions": []any{map[string]any{"Name": "PSQLException", "Message": "FATAL: password authentication failed"}}},
			}},
		}}}
	}
	return s
}

func segmentDoc(id string) string {
	return fmt.Sprintf(`{"id":"%s","name":"orders","origin":"AWS::ECS::Container","start_time":%f,"end_time":%f,"fault":true,
		"subsegments":[{"id":"b%s","name":"DynamoDB","namespace":"aws","aws":{"operation":"PutItem"},"start_time":%f,"end_time":%f,"fault":true,
		"cause":{"exceptions":[{"type":"InternalServerError","message":"boom"}]}}]}`, id, epochF(t9), epochF(t9)+0.1, id, epochF(t9), epochF(t9)+0.05)
}

func TestTraceSummariesSendsFilterPaginatesAndLooksUpRootCauses(t *testing.T) {
	s := awsfake.XRay(t, map[string]awsfake.Handler{
		"/TraceSummaries": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			if b["NextToken"] == nil {
				var sums []any
				for i := 0; i < 3; i++ {
					sums = append(sums, faultSummary(i, true))
				}
				return map[string]any{"TraceSummaries": sums, "TracesProcessedCount": 40, "NextToken": "p2"}, nil
			}
			var sums []any
			for i := 3; i < 10; i++ {
				sums = append(sums, faultSummary(i, false))
			}
			return map[string]any{"TraceSummaries": sums, "TracesProcessedCount": 60}, nil
		},
		"/Traces": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			var traces []any
			for _, id := range b["TraceIds"].([]any) {
				traces = append(traces, map[string]any{"Id": id, "Duration": 0.1, "Segments": []any{map[string]any{"Id": "a", "Document": segmentDoc("a1")}}})
			}
			return map[string]any{"Traces": traces}, nil
		},
	})
	w := collectors.Window{Start: t9, End: t9.Add(time.Hour)}
	got, err := newClient(s).TraceSummaries(context.Background(), collectors.TraceQuery{Window: w, Filter: `fault AND service("checkout-api")`})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Summaries) != 10 || got.Processed != 100 {
		t.Fatalf("%d summaries, processed %d", len(got.Summaries), got.Processed)
	}
	first := got.Summaries[0]
	if first.HTTPStatus != 500 || len(first.RootCauses) != 1 || first.RootCauses[0].Exception != "PSQLException" ||
		strings.Join(first.RootCauses[0].EntityPath, ">") != "checkout-api>HikariPool-1.getConnection>checkout-db" || first.Services[1] != "checkout-db" {
		t.Errorf("first summary = %+v", first)
	}
	last := got.Summaries[9]
	if len(last.RootCauses) != 1 || strings.Join(last.RootCauses[0].EntityPath, ">") != "orders>DynamoDB PutItem" || last.RootCauses[0].Exception != "InternalServerError" {
		t.Errorf("looked-up root cause = %+v", last.RootCauses)
	}
	sumReqs := s.Requests("/TraceSummaries")
	if len(sumReqs) != 2 || sumReqs[0].Body["FilterExpression"] != `fault AND service("checkout-api")` || sumReqs[1].Body["NextToken"] != "p2" {
		t.Fatalf("GetTraceSummaries requests = %+v", sumReqs)
	}
	if sumReqs[0].Body["StartTime"] != epochF(w.Start) || sumReqs[0].Body["EndTime"] != epochF(w.End) {
		t.Errorf("time range sent = %v..%v", sumReqs[0].Body["StartTime"], sumReqs[0].Body["EndTime"])
	}
	// 7 traces lacked root causes: BatchGetTraces with 5 then 2 ids.
	batch := s.Requests("/Traces")
	if len(batch) != 2 || len(batch[0].Body["TraceIds"].([]any)) != 5 || len(batch[1].Body["TraceIds"].([]any)) != 2 {
		t.Fatalf("BatchGetTraces requests = %+v", batch)
	}
}

func TestTraceSummariesSplitsLongWindowsAndStopsAtTheCap(t *testing.T) {
	n := 0
	s := awsfake.XRay(t, map[string]awsfake.Handler{
		"/TraceSummaries": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			var sums []any
			for i := 0; i < 100; i++ {
				n++
				s := faultSummary(n, true)
				s["HasFault"] = false
				delete(s, "FaultRootCauses")
				sums = append(sums, s)
			}
			return map[string]any{"TraceSummaries": sums, "NextToken": "more"}, nil
		},
	})
	w := collectors.Window{Start: t9, End: t9.Add(50 * time.Hour)}
	// Only the first slice is read before the cap: it is the newest 6h.
	got, err := newClient(s).TraceSummaries(context.Background(), collectors.TraceQuery{Window: w, Limit: 250})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Summaries) != 250 || got.Partial == "" {
		t.Fatalf("%d summaries, partial %q", len(got.Summaries), got.Partial)
	}
	r := s.Requests("/TraceSummaries")[0].Body
	if r["EndTime"] != epochF(w.End) || r["StartTime"] != epochF(w.End.Add(-6*time.Hour)) {
		t.Errorf("first slice %v..%v, want the newest 6h", r["StartTime"], r["EndTime"])
	}

	// Without a cap every slice is read: 8 × 6h + 2h.
	var ranges []string
	s2 := awsfake.XRay(t, map[string]awsfake.Handler{
		"/TraceSummaries": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			ranges = append(ranges, fmt.Sprintf("%.0f", (b["EndTime"].(float64)-b["StartTime"].(float64))/3600))
			return map[string]any{"TraceSummaries": []any{}}, nil
		},
	})
	if _, err := newClient(s2).TraceSummaries(context.Background(), collectors.TraceQuery{Window: w}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ranges, ",") != "6,6,6,6,6,6,6,6,2" {
		t.Errorf("slices of %s hours, want 6,6,6,6,6,6,6,6,2", strings.Join(ranges, ","))
	}
}

func TestXRayErrorsAreActionable(t *testing.T) {
	for _, tc := range []struct {
		err  *awsfake.APIError
		kind collectors.Kind
		hint string
	}{
		{awsfake.Throttled("ThrottledException"), collectors.KindThrottled, "wait"},
		{awsfake.Denied(), collectors.KindAccessDenied, "xray:GetTraceSummaries"},
		{&awsfake.APIError{Status: 400, Code: "InvalidRequestException", Message: "Invalid filter expression"}, collectors.KindInvalidInput, "Invalid filter expression"},
	} {
		s := awsfake.XRay(t, map[string]awsfake.Handler{
			"/TraceSummaries": func(map[string]any) (map[string]any, *awsfake.APIError) { return nil, tc.err },
		})
		_, err := newClient(s).TraceSummaries(context.Background(), collectors.TraceQuery{Window: collectors.Window{Start: t9, End: t9.Add(time.Hour)}})
		e, ok := collectors.AsError(err)
		if !ok || e.Kind != tc.kind || !strings.Contains(e.Error(), tc.hint) {
			t.Errorf("%s: got %v, want kind %s with %q", tc.err.Code, err, tc.kind, tc.hint)
		}
	}
}

func TestServiceGraph(t *testing.T) {
	s := awsfake.XRay(t, map[string]awsfake.Handler{
		"/ServiceGraph": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			return map[string]any{"Services": []any{map[string]any{"Name": "checkout-api", "Type": "AWS::ECS::Container",
				"SummaryStatistics": map[string]any{"TotalCount": 100, "OkCount": 60, "TotalResponseTime": 5.0,
					"ErrorStatistics": map[string]any{"TotalCount": 10, "ThrottleCount": 4}, "FaultStatistics": map[string]any{"TotalCount": 30}}}}}, nil
		},
	})
	got, err := newClient(s).ServiceGraph(context.Background(), collectors.Window{Start: t9, End: t9.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	want := collectors.ServiceStats{Name: "checkout-api", Type: "AWS::ECS::Container", Total: 100, OK: 60, Errors: 6, Throttle: 4, Faults: 30, AvgResp: 0.05}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
