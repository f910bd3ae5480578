package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
)

// trailEvent is one LookupEvents entry with its CloudTrailEvent JSON.
func trailEvent(id, name string, at time.Time) map[string]any {
	rec := fmt.Sprintf(`{"eventVersion":"1.10","eventTime":%q,"eventSource":"ecs.amazonaws.com","eventName":%q,"awsRegion":"us-east-1","eventID":%q,"readOnly":false,"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/deploy/s"}}`,
		at.Format(time.RFC3339), name, id)
	return map[string]any{"EventId": id, "EventName": name, "EventTime": float64(at.Unix()), "CloudTrailEvent": rec}
}

// LookupEvents cannot filter on error codes (or principals given by plain
// name, or resources), so such filters run locally over every page. In a busy
// account that is an unbounded scan at 2 calls a second; fa2 must stop after
// a bounded number of pages and say the answer is partial.
func TestReviewLookupEventsStopsAfterAPageBudget(t *testing.T) {
	at := trailWindow.Start.Add(30 * time.Minute)
	page := 0
	c, f := newReviewClient(t, config.Default(), func(call reviewCall) reviewAnswer {
		page++
		// Small pages keep the test fast; the budget counts pages.
		events := []any{trailEvent(fmt.Sprintf("ok-%d", page), "DescribeServices", at)}
		token, _ := call.body["NextToken"].(string)
		return answer(map[string]any{"Events": events, "NextToken": token + "x"})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := c.CloudTrailEvents(ctx, collectors.CloudTrailQuery{Window: trailWindow, ErrorsOnly: true, Limit: 10})
	if err != nil {
		t.Fatalf("err = %v; an endless page chain must end with a partial answer, not run until the deadline", err)
	}
	calls := len(f.callsTo("LookupEvents"))
	if calls > maxLookupPages {
		t.Errorf("%d LookupEvents calls, want at most %d", calls, maxLookupPages)
	}
	if len(got.Events) != 0 || !strings.Contains(got.Stats.Partial, "pages") {
		t.Errorf("events %d, partial %q: want none and a partial note about the pages read", len(got.Events), got.Stats.Partial)
	}
}

// A NextToken that comes back unchanged would make the loop ask for the same
// page forever; it must end the listing.
func TestReviewLookupEventsStopsOnARepeatedNextToken(t *testing.T) {
	at := trailWindow.Start.Add(30 * time.Minute)
	c, f := newReviewClient(t, config.Default(), func(call reviewCall) reviewAnswer {
		return answer(map[string]any{"Events": []any{trailEvent("e1", "UpdateService", at)}, "NextToken": "same"})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := c.CloudTrailEvents(ctx, collectors.CloudTrailQuery{Window: trailWindow, EventNames: []string{"UpdateService"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.callsTo("LookupEvents")); n != 2 {
		t.Errorf("%d LookupEvents calls, want 2 (the second returns the token it was given)", n)
	}
	if len(got.Events) != 1 {
		t.Errorf("%d events, want 1", len(got.Events))
	}
}
