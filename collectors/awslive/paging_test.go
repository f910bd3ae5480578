package awslive

import (
	"context"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
)

// The SDK's paginators follow a NextToken handed back unchanged forever
// unless told to stop (StopOnDuplicateToken defaults to false). Listings
// bounded only by the number of items read never end on empty pages, so
// every paginator fa2 uses must stop on a repeated token.
func TestPaginatorsStopOnARepeatedToken(t *testing.T) {
	const id = "1-aaaaaaaa-000000000000000000000001"
	s := awsfake.New(t)
	s.Handle("DescribeLogGroups", awsfake.Always(awsfake.OK(map[string]any{"logGroups": []any{}, "nextToken": "same"})))
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.OK(map[string]any{"TraceSummaries": []any{}, "NextToken": "same"})))
	// BatchGetTraces has no item cap: even a page with traces must not be
	// followed again under the same token.
	s.Handle("POST /Traces", awsfake.Always(awsfake.OK(map[string]any{"Traces": []any{map[string]any{"Id": id, "Duration": 0.1}}, "NextToken": "same"})))
	c := fakeClient(s, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := c.LogGroups(ctx, "/ecs/"); err != nil {
		t.Errorf("LogGroups: %v", err)
	}
	if _, err := c.TraceSummaries(ctx, telemetry.TraceQuery{Window: trailWindow}); err != nil {
		t.Errorf("TraceSummaries: %v", err)
	}
	if traces, err := c.Traces(ctx, []string{id}); err != nil || len(traces) != 2 {
		t.Errorf("Traces: %d traces, %v; want the 2 pages read", len(traces), err)
	}
	for _, op := range []string{"DescribeLogGroups", "POST /TraceSummaries", "POST /Traces"} {
		if n := len(s.Calls(op)); n != 2 {
			t.Errorf("%s called %d times, want 2 (the second answers with the token it was given)", op, n)
		}
	}
}
