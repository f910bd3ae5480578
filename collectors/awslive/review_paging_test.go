package awslive

import (
	"context"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
)

// The SDK's paginators follow a NextToken handed back unchanged forever
// unless told to stop (StopOnDuplicateToken defaults to false). Listings
// bounded only by the number of items read never end on empty pages, so
// every paginator fa2 uses must stop on a repeated token.
func TestReviewPaginatorsStopOnARepeatedToken(t *testing.T) {
	c, f := newReviewClient(t, config.Default(), func(call reviewCall) reviewAnswer {
		switch call.op {
		case "DescribeLogGroups":
			return answer(map[string]any{"logGroups": []any{}, "nextToken": "same"})
		case "POST /TraceSummaries":
			return answer(map[string]any{"TraceSummaries": []any{}, "NextToken": "same"})
		case "POST /Traces":
			// BatchGetTraces has no item cap: even a page with traces must not
			// be followed again under the same token.
			return answer(map[string]any{"Traces": []any{map[string]any{"Id": "1-aaaaaaaa-000000000000000000000001", "Duration": 0.1}}, "NextToken": "same"})
		}
		t.Errorf("unexpected call %s", call.op)
		return answer(map[string]any{})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := c.LogGroups(ctx, "/ecs/"); err != nil {
		t.Errorf("LogGroups: %v", err)
	}
	w := collectors.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	if _, err := c.TraceSummaries(ctx, collectors.TraceQuery{Window: w}); err != nil {
		t.Errorf("TraceSummaries: %v", err)
	}
	if traces, err := c.Traces(ctx, []string{"1-aaaaaaaa-000000000000000000000001"}); err != nil || len(traces) != 2 {
		t.Errorf("Traces: %d traces, %v; want the 2 pages read", len(traces), err)
	}
	for _, op := range []string{"DescribeLogGroups", "POST /TraceSummaries", "POST /Traces"} {
		if n := len(f.callsTo(op)); n != 2 {
			t.Errorf("%s called %d times, want 2 (the second answers with the token it was given)", op, n)
		}
	}
}
