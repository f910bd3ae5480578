package awslive

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
)

// X-Ray documents a 6-hour maximum time range for trace searches; every
// GetTraceSummaries call must stay within it, and the slices must cover the
// window without gaps, newest first.
func TestReviewTraceSummariesSlicesLongWindowsIntoSixHours(t *testing.T) {
	c, f := newReviewClient(t, config.Default(), func(call reviewCall) reviewAnswer {
		if call.op != "POST /TraceSummaries" {
			t.Errorf("unexpected call %s", call.op)
		}
		return answer(map[string]any{"TraceSummaries": []any{}, "TracesProcessedCount": 0})
	})
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	w := collectors.Window{Start: start, End: start.Add(13 * time.Hour)}
	if _, err := c.TraceSummaries(context.Background(), collectors.TraceQuery{Window: w}); err != nil {
		t.Fatal(err)
	}
	calls := f.callsTo("POST /TraceSummaries")
	if len(calls) != 3 {
		t.Fatalf("%d GetTraceSummaries calls for a 13h window, want 3 slices of at most 6h", len(calls))
	}
	end := w.End
	for i, call := range calls {
		s, e := epochSeconds(call.body["StartTime"]), epochSeconds(call.body["EndTime"])
		if e.Sub(s) > 6*time.Hour {
			t.Errorf("call %d covers %s, more than X-Ray's 6h", i, e.Sub(s))
		}
		if !e.Equal(end) {
			t.Errorf("call %d ends at %s, want %s (contiguous, newest first)", i, e, end)
		}
		end = s
	}
	if !end.Equal(w.Start) {
		t.Errorf("slices stop at %s, want the window start %s", end, w.Start)
	}
}

// A filter expression X-Ray cannot parse must come back as "the filter is
// invalid" with AWS's own words, not a generic request failure.
func TestReviewTraceSummariesInvalidFilterExpression(t *testing.T) {
	c, _ := newReviewClient(t, config.Default(), func(call reviewCall) reviewAnswer {
		return answerErr(http.StatusBadRequest, "InvalidRequestException", "Invalid Filter Expression: unexpected token 'AND' at position 6")
	})
	w := collectors.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	_, err := c.TraceSummaries(context.Background(), collectors.TraceQuery{Window: w, Filter: `fault AND AND`})
	e, ok := collectors.AsError(err)
	if !ok || e.Kind != collectors.KindInvalidInput {
		t.Fatalf("err = %v, want an invalid_input collectors.Error", err)
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
func TestReviewRootCauseLookupIgnoresUnknownTraceIDs(t *testing.T) {
	c, _ := newReviewClient(t, config.Default(), func(call reviewCall) reviewAnswer {
		switch call.op {
		case "POST /TraceSummaries":
			return answer(map[string]any{"TraceSummaries": []any{
				map[string]any{"Id": "1-aaaaaaaa-000000000000000000000001", "HasFault": false, "HasError": false},
				map[string]any{"Id": "1-aaaaaaaa-000000000000000000000002", "HasFault": true},
			}})
		case "POST /Traces":
			return answer(map[string]any{"Traces": []any{map[string]any{
				"Id": "1-bbbbbbbb-999999999999999999999999", "Duration": 0.1,
				"Segments": []any{map[string]any{"Id": "a", "Document": `{"id":"a1","name":"orders","start_time":1,"end_time":2,"fault":true,"cause":{"exceptions":[{"type":"Boom","message":"x"}]}}`}},
			}}})
		}
		t.Errorf("unexpected call %s", call.op)
		return answer(map[string]any{})
	})
	w := collectors.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	got, err := c.TraceSummaries(context.Background(), collectors.TraceQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if rc := got.Summaries[0].RootCauses; len(rc) != 0 {
		t.Errorf("the healthy first trace got root causes %+v from a trace nobody asked for", rc)
	}
}
