package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
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
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", func(c awsfake.Call) awsfake.Reply {
		if c.Params["NextToken"] == nil {
			var sums []any
			for i := 0; i < 3; i++ {
				sums = append(sums, faultSummary(i, true))
			}
			return awsfake.OK(map[string]any{"TraceSummaries": sums, "TracesProcessedCount": 40, "NextToken": "p2"})
		}
		var sums []any
		for i := 3; i < 10; i++ {
			sums = append(sums, faultSummary(i, false))
		}
		return awsfake.OK(map[string]any{"TraceSummaries": sums, "TracesProcessedCount": 60})
	})
	s.Handle("POST /Traces", func(c awsfake.Call) awsfake.Reply {
		var traces []any
		for _, id := range c.Params["TraceIds"].([]any) {
			traces = append(traces, map[string]any{"Id": id, "Duration": 0.1, "Segments": []any{map[string]any{"Id": "a", "Document": segmentDoc("a1")}}})
		}
		return awsfake.OK(map[string]any{"Traces": traces})
	})
	w := telemetry.Window{Start: t9, End: t9.Add(time.Hour)}
	got, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: w, Filter: `fault AND service("checkout-api")`})
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
	sumReqs := s.Calls("POST /TraceSummaries")
	if len(sumReqs) != 2 || sumReqs[0].Params["FilterExpression"] != `fault AND service("checkout-api")` || sumReqs[1].Params["NextToken"] != "p2" {
		t.Fatalf("GetTraceSummaries requests = %+v", sumReqs)
	}
	if sumReqs[0].Params["StartTime"] != epochF(w.Start) || sumReqs[0].Params["EndTime"] != epochF(w.End) {
		t.Errorf("time range sent = %v..%v", sumReqs[0].Params["StartTime"], sumReqs[0].Params["EndTime"])
	}
	// 7 traces lacked root causes: BatchGetTraces with 5 then 2 ids.
	batch := s.Calls("POST /Traces")
	if len(batch) != 2 || len(batch[0].Params["TraceIds"].([]any)) != 5 || len(batch[1].Params["TraceIds"].([]any)) != 2 {
		t.Fatalf("BatchGetTraces requests = %+v", batch)
	}
}

func TestTraceSummariesSplitsLongWindowsAndStopsAtTheCap(t *testing.T) {
	n := 0
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", func(c awsfake.Call) awsfake.Reply {
		var sums []any
		for i := 0; i < 100; i++ {
			n++
			s := faultSummary(n, true)
			s["HasFault"] = false
			delete(s, "FaultRootCauses")
			sums = append(sums, s)
		}
		return awsfake.OK(map[string]any{"TraceSummaries": sums, "NextToken": "more"})
	})
	w := telemetry.Window{Start: t9, End: t9.Add(50 * time.Hour)}
	// Only the first slice is read before the cap: it is the newest 6h.
	got, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: w, Limit: 250})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Summaries) != 250 || got.Partial == "" {
		t.Fatalf("%d summaries, partial %q", len(got.Summaries), got.Partial)
	}
	r := s.Calls("POST /TraceSummaries")[0].Params
	if r["EndTime"] != epochF(w.End) || r["StartTime"] != epochF(w.End.Add(-6*time.Hour)) {
		t.Errorf("first slice %v..%v, want the newest 6h", r["StartTime"], r["EndTime"])
	}

	// Without a cap every slice is read: 8 × 6h + 2h.
	var ranges []string
	s2 := awsfake.New(t)
	s2.Handle("POST /TraceSummaries", func(c awsfake.Call) awsfake.Reply {
		ranges = append(ranges, fmt.Sprintf("%.0f", (c.Params["EndTime"].(float64)-c.Params["StartTime"].(float64))/3600))
		return awsfake.OK(map[string]any{"TraceSummaries": []any{}})
	})
	if _, err := fakeClient(s2, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: w}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ranges, ",") != "6,6,6,6,6,6,6,6,2" {
		t.Errorf("slices of %s hours, want 6,6,6,6,6,6,6,6,2", strings.Join(ranges, ","))
	}
}

func TestXRayErrorsAreActionable(t *testing.T) {
	checkErrors(t, "POST /TraceSummaries", []errorCase{
		{awsfake.Throttled("ThrottledException"), telemetry.KindThrottled, "wait"},
		{awsfake.Denied(), telemetry.KindAccessDenied, "xray:GetTraceSummaries"},
		{awsfake.Error("InvalidRequestException", "Invalid filter expression"), telemetry.KindInvalidInput, "Invalid filter expression"},
	}, func(c *Client) error {
		_, err := c.TraceSummaries(context.Background(), telemetry.TraceQuery{Window: telemetry.Window{Start: t9, End: t9.Add(time.Hour)}})
		return err
	})
}

func TestServiceGraph(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("POST /ServiceGraph", func(c awsfake.Call) awsfake.Reply {
		return awsfake.OK(map[string]any{"Services": []any{map[string]any{"Name": "checkout-api", "Type": "AWS::ECS::Container",
			"SummaryStatistics": map[string]any{"TotalCount": 100, "OkCount": 60, "TotalResponseTime": 5.0,
				"ErrorStatistics": map[string]any{"TotalCount": 10, "ThrottleCount": 4}, "FaultStatistics": map[string]any{"TotalCount": 30}}}}})
	})
	got, err := fakeClient(s, nil).ServiceGraph(context.Background(), telemetry.Window{Start: t9, End: t9.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	want := telemetry.ServiceStats{Name: "checkout-api", Type: "AWS::ECS::Container", Total: 100, OK: 60, Errors: 6, Throttle: 4, Faults: 30, AvgResp: 0.05}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// epochTime reads an X-Ray timestamp as sent: epoch seconds, a JSON number.
func epochTime(f float64) time.Time { return time.Unix(0, int64(f*1e9)).UTC() }

// X-Ray documents a 6-hour maximum time range for trace searches; every
// GetTraceSummaries call must stay within it, and the slices must cover the
// window without gaps, newest first.
func TestTraceSummariesSlicesLongWindowsIntoSixHours(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.OK(map[string]any{"TraceSummaries": []any{}, "TracesProcessedCount": 0})))
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	w := telemetry.Window{Start: start, End: start.Add(13 * time.Hour)}
	got, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	// The live source says so (a snapshot, which has no such limit, does not).
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "6h slices") {
		t.Errorf("warnings = %q", got.Warnings)
	}
	calls := s.Calls("POST /TraceSummaries")
	if len(calls) != 3 {
		t.Fatalf("%d GetTraceSummaries calls for a 13h window, want 3 slices of at most 6h", len(calls))
	}
	end := w.End
	for i, call := range calls {
		from, to := epochTime(call.Num("StartTime")), epochTime(call.Num("EndTime"))
		if to.Sub(from) > 6*time.Hour {
			t.Errorf("call %d covers %s, more than X-Ray's 6h", i, to.Sub(from))
		}
		if !to.Equal(end) {
			t.Errorf("call %d ends at %s, want %s (contiguous, newest first)", i, to, end)
		}
		end = from
	}
	if !end.Equal(w.Start) {
		t.Errorf("slices stop at %s, want the window start %s", end, w.Start)
	}
}

// A filter expression X-Ray cannot parse must come back as "the filter is
// invalid" with AWS's own words, not a generic request failure.
func TestTraceSummariesInvalidFilterExpression(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.Error("InvalidRequestException", "Invalid Filter Expression: unexpected token 'AND' at position 6")))
	_, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: telemetry.Window{Start: t9, End: t9.Add(time.Hour)}, Filter: `fault AND AND`})
	e, ok := telemetry.AsError(err)
	if !ok || e.Kind != telemetry.KindInvalidInput {
		t.Fatalf("err = %v, want an invalid_input telemetry.Error", err)
	}
	text := e.Msg + " " + e.Hint
	for _, want := range []string{"filter expression", "fault AND AND", "unexpected token 'AND' at position 6", "filter"} {
		if !strings.Contains(text, want) {
			t.Errorf("error %q does not mention %q", text, want)
		}
	}
	if !strings.Contains(e.Hint, "https://docs.aws.amazon.com/xray/") {
		t.Errorf("hint %q does not point at X-Ray's filter syntax", e.Hint)
	}
}

// BatchGetTraces may answer with an id fa2 did not ask for (X-Ray accepts
// W3C-format ids and answers in its own format): its root causes must not be
// pinned on whichever summary happens to come first.
func TestRootCauseLookupIgnoresUnknownTraceIDs(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.OK(map[string]any{"TraceSummaries": []any{
		map[string]any{"Id": "1-aaaaaaaa-000000000000000000000001", "HasFault": false, "HasError": false},
		map[string]any{"Id": "1-aaaaaaaa-000000000000000000000002", "HasFault": true},
	}})))
	s.Handle("POST /Traces", awsfake.Always(awsfake.OK(map[string]any{"Traces": []any{map[string]any{
		"Id": "1-bbbbbbbb-999999999999999999999999", "Duration": 0.1,
		"Segments": []any{map[string]any{"Id": "a", "Document": `{"id":"a1","name":"orders","start_time":1,"end_time":2,"fault":true,"cause":{"exceptions":[{"type":"Boom","message":"x"}]}}`}},
	}}})))
	got, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: telemetry.Window{Start: t9, End: t9.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if rc := got.Summaries[0].RootCauses; len(rc) != 0 {
		t.Errorf("the healthy first trace got root causes %+v from a trace nobody asked for", rc)
	}
}

// Issue 9: a fault whose explanation is a 4xx of a downstream AWS call.
// X-Ray reports the wrapper as the fault root cause and the 400 as an
// error root cause under it; fa2 reports one root cause, the 400. When
// the summary places no error under the fault, the full trace is read.
func TestFaultRootCauseFollowsTheDownstreamError(t *testing.T) {
	denied := "User: arn:aws:sts::123456789012:assumed-role/order-api-task/x is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders"
	wrapper := map[string]any{"Name": "order-api", "Exceptions": []any{map[string]any{"Name": "DynamoDbException", "Message": "Failed to create order"}}}
	merged := map[string]any{
		"Id": "1-6b0017ae-000000000000000000000001", "StartTime": epochF(t9), "HasFault": true, "HasError": true,
		"Http":            map[string]any{"HttpMethod": "POST", "HttpURL": "https://api/orders", "HttpStatus": 500},
		"FaultRootCauses": []any{map[string]any{"Services": []any{map[string]any{"Name": "order-api", "EntityPath": []any{wrapper}}}}},
		"ErrorRootCauses": []any{map[string]any{"Services": []any{
			map[string]any{"Name": "order-api", "EntityPath": []any{
				map[string]any{"Name": "order-api"},
				map[string]any{"Name": "DynamoDB", "Remote": true, "Exceptions": []any{map[string]any{"Name": "AccessDeniedException", "Message": denied}}},
			}},
			map[string]any{"Name": "DynamoDB", "Inferred": true, "EntityPath": []any{map[string]any{"Name": "DynamoDB"}}},
		}}},
	}
	// Same failure, but X-Ray's summary has only the wrapper.
	lookup := map[string]any{
		"Id": "1-6b0017ae-000000000000000000000002", "StartTime": epochF(t9), "HasFault": true, "HasError": true,
		"FaultRootCauses": []any{map[string]any{"Services": []any{map[string]any{"Name": "order-api", "EntityPath": []any{wrapper}}}}},
	}
	doc := fmt.Sprintf(`{"id":"a1","name":"order-api","origin":"AWS::ECS::Container","start_time":%f,"end_time":%f,"fault":true,
		"cause":{"exceptions":[{"type":"DynamoDbException","message":"Failed to create order"}]},
		"subsegments":[{"id":"b1","name":"DynamoDB","namespace":"aws","aws":{"operation":"PutItem"},"start_time":%f,"end_time":%f,"error":true,
		"http":{"response":{"status":400}},"cause":{"exceptions":[{"type":"AccessDeniedException","message":%q,"remote":true}]}}]}`,
		epochF(t9), epochF(t9)+0.2, epochF(t9), epochF(t9)+0.1, denied)
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.OK(map[string]any{"TraceSummaries": []any{merged, lookup}})))
	s.Handle("POST /Traces", awsfake.Always(awsfake.OK(map[string]any{"Traces": []any{map[string]any{
		"Id": "1-6b0017ae-000000000000000000000002", "Duration": 0.2, "Segments": []any{map[string]any{"Id": "a1", "Document": doc}},
	}}})))
	got, err := fakeClient(s, nil).TraceSummaries(context.Background(), telemetry.TraceQuery{Window: telemetry.Window{Start: t9, End: t9.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	m := got.Summaries[0].RootCauses
	if len(m) != 1 || m[0].Kind != "fault" || strings.Join(m[0].EntityPath, " > ") != "order-api > DynamoDB" || m[0].Exception != "AccessDeniedException" || m[0].Message != denied {
		t.Errorf("merged root causes = %+v", m)
	}
	l := got.Summaries[1].RootCauses
	if len(l) != 1 || strings.Join(l[0].EntityPath, " > ") != "order-api > DynamoDB PutItem (400)" || l[0].Exception != "AccessDeniedException" {
		t.Errorf("looked-up root causes = %+v", l)
	}
	if calls := s.Calls("POST /Traces"); len(calls) != 1 || len(calls[0].Params["TraceIds"].([]any)) != 1 {
		t.Errorf("BatchGetTraces calls = %+v", calls)
	}
}
