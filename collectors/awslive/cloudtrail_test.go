package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
)

var trailWindow = telemetry.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}

// lookupEvent is one entry of a LookupEvents response, with its
// CloudTrailEvent JSON as CloudTrail embeds it (a string).
func lookupEvent(id, name, roleSession string, at time.Time, readOnly bool) map[string]any {
	role, session, _ := strings.Cut(roleSession, "/")
	rec := map[string]any{
		"eventVersion": "1.10", "eventTime": at.Format(time.RFC3339), "eventSource": "ecs.amazonaws.com", "eventName": name,
		"awsRegion": "us-east-1", "sourceIPAddress": "3.91.171.22", "userAgent": "aws-cli/2", "eventID": id, "readOnly": readOnly,
		"recipientAccountId": "123456789012", "eventCategory": "Management",
		"userIdentity": map[string]any{"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/" + role + "/" + session,
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{"arn": "arn:aws:iam::123456789012:role/" + role, "userName": role}}},
		"requestParameters": map[string]any{"cluster": "prod", "service": "checkout-api", "taskDefinition": "checkout-api:42"},
	}
	b, _ := json.Marshal(rec)
	return map[string]any{"EventId": id, "EventName": name, "EventTime": float64(at.Unix()), "ReadOnly": fmt.Sprint(readOnly), "CloudTrailEvent": string(b)}
}

func TestLookupEventsOneAttributePerCallPaginatesMergesAndFilters(t *testing.T) {
	at := func(m int) time.Time { return trailWindow.Start.Add(time.Duration(m) * time.Minute) }
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", func(call awsfake.Call) awsfake.Reply {
		if attrs, _ := call.Get("LookupAttributes").([]any); len(attrs) != 1 || call.Str("LookupAttributes", 0, "AttributeKey") != "EventName" {
			t.Errorf("want exactly one EventName attribute per call, got %v", attrs)
		}
		switch value, token := call.Str("LookupAttributes", 0, "AttributeValue"), call.Str("NextToken"); {
		case value == "UpdateService" && token == "":
			return awsfake.OK(map[string]any{"Events": []any{
				lookupEvent("e3", "UpdateService", "deploy-pipeline/cb-1", at(20), false),
				lookupEvent("e9", "UpdateService", "someone-else/s", at(19), false),
			}, "NextToken": "page-2"})
		case value == "UpdateService" && token == "page-2":
			return awsfake.OK(map[string]any{"Events": []any{lookupEvent("e1", "UpdateService", "deploy-pipeline/cb-1", at(5), false)}})
		case value == "RegisterTaskDefinition":
			return awsfake.OK(map[string]any{"Events": []any{
				lookupEvent("e2", "RegisterTaskDefinition", "deploy-pipeline/cb-1", at(10), false),
				lookupEvent("e3", "UpdateService", "deploy-pipeline/cb-1", at(20), false), // duplicate across calls
			}})
		}
		t.Errorf("unexpected lookup %v", call.Params)
		return awsfake.OK(nil)
	})
	res, err := fakeClient(rs, nil).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{
		Window: trailWindow, EventNames: []string{"UpdateService", "RegisterTaskDefinition"}, Principals: []string{"deploy-pipeline"}, OnlyMutating: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rs.Calls("LookupEvents")); got != 3 {
		t.Errorf("LookupEvents calls = %d, want 3 (two pages + one)", got)
	}
	var ids []string
	for _, ev := range res.Events {
		ids = append(ids, ev.ID)
	}
	if strings.Join(ids, ",") != "e3,e2,e1" {
		t.Errorf("events = %v, want e3,e2,e1 (newest first, deduplicated, other principals dropped)", ids)
	}
	first := rs.Calls("LookupEvents")[0]
	if first.Str("StartTime") == "" || first.Str("EndTime") == "" || first.Str("MaxResults") != "50" {
		t.Errorf("window and page size not sent: %v", first.Params)
	}
}

func TestLookupEventsBacksOffOnThrottling(t *testing.T) {
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", func(call awsfake.Call) awsfake.Reply {
		if call.N <= 2 {
			return awsfake.Throttled("ThrottlingException")
		}
		return awsfake.OK(map[string]any{"Events": []any{lookupEvent("e1", "UpdateService", "r/s", trailWindow.Start.Add(time.Minute), false)}})
	})
	res, err := fakeClient(rs, nil).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: trailWindow, OnlyMutating: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Ops()) != 3 || len(res.Events) != 1 {
		t.Fatalf("calls %v, events %d: want two throttled calls then one success", rs.Ops(), len(res.Events))
	}
	if first := rs.Calls("LookupEvents")[0]; first.Str("LookupAttributes", 0, "AttributeKey") != "ReadOnly" || first.Str("LookupAttributes", 0, "AttributeValue") != "false" {
		t.Errorf("only_mutating alone should look up ReadOnly=false, sent %v", first.Get("LookupAttributes"))
	}

	rs = awsfake.New(t)
	rs.Handle("LookupEvents", awsfake.Always(awsfake.Throttled("ThrottlingException")))
	_, err = fakeClient(rs, nil).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: trailWindow})
	if e, isErr := telemetry.AsError(err); !isErr || e.Kind != telemetry.KindThrottled {
		t.Fatalf("err = %v, want a throttled error", err)
	}
	// Written out, not maxThrottleRetries+1, so a changed bound fails here:
	// the first call and 4 retries.
	if got := len(rs.Ops()); got != 5 {
		t.Errorf("calls = %d, want 5 (the first and 4 retries)", got)
	}
}

func TestLookupEventsAccessDenied(t *testing.T) {
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", awsfake.Always(awsfake.Error("AccessDeniedException", "User is not authorized to perform: cloudtrail:LookupEvents")))
	_, err := fakeClient(rs, nil).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: trailWindow})
	e, isErr := telemetry.AsError(err)
	if !isErr || e.Kind != telemetry.KindAccessDenied || !strings.Contains(e.Error(), "cloudtrail:LookupEvents") {
		t.Fatalf("err = %v, want access denied naming cloudtrail:LookupEvents", err)
	}
}

func TestPlanLookupPicksAnExactSelectiveAttribute(t *testing.T) {
	cases := []struct {
		q    telemetry.CloudTrailQuery
		key  cttypes.LookupAttributeKey
		vals string
	}{
		{telemetry.CloudTrailQuery{EventNames: []string{"A", "B", "A"}, EventSources: []string{"ecs.amazonaws.com"}}, "EventName", "A,B"},
		{telemetry.CloudTrailQuery{Principals: []string{"arn:aws:iam::1:user/alice", "arn:aws:sts::1:assumed-role/deploy/cb-7"}}, "Username", "alice,cb-7"},
		// A plain name could be a role, whose events carry session names: filter locally.
		{telemetry.CloudTrailQuery{Principals: []string{"deploy-pipeline"}, EventSources: []string{"ecs.amazonaws.com"}}, "EventSource", "ecs.amazonaws.com"},
		{telemetry.CloudTrailQuery{Resource: "checkout-api", OnlyMutating: true}, "ReadOnly", "false"},
		{telemetry.CloudTrailQuery{}, "", ""},
	}
	for i, tc := range cases {
		p := planLookup(tc.q)
		if p.key != tc.key || strings.Join(p.values, ",") != tc.vals {
			t.Errorf("case %d: plan %s=%v, want %s=%s", i, p.key, p.values, tc.key, tc.vals)
		}
	}
}

func TestPacerSpacesCalls(t *testing.T) {
	p := &pacer{every: 15 * time.Millisecond}
	start := time.Now()
	for i := 0; i < 4; i++ {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 45*time.Millisecond {
		t.Errorf("4 paced calls took %s, want at least 45ms", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p.next = time.Now().Add(time.Hour)
	if err := p.wait(ctx); err == nil {
		t.Error("wait must give up when the context ends")
	}
}

// LookupEvents cannot filter on error codes (or principals given by plain
// name, or resources), so such filters run locally over every page. In a busy
// account that is an unbounded scan at 2 calls a second; fa2 must stop after
// a bounded number of pages and say the answer is partial.
func TestLookupEventsStopsAfterAPageBudget(t *testing.T) {
	at := trailWindow.Start.Add(30 * time.Minute)
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", func(call awsfake.Call) awsfake.Reply {
		// Small pages keep the test fast; the budget counts pages.
		events := []any{lookupEvent(fmt.Sprintf("ok-%d", call.N), "DescribeServices", "deploy/s", at, true)}
		return awsfake.OK(map[string]any{"Events": events, "NextToken": call.Str("NextToken") + "x"})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := fakeClient(rs, nil).CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: trailWindow, ErrorsOnly: true, Limit: 10})
	if err != nil {
		t.Fatalf("err = %v; an endless page chain must end with a partial answer, not run until the deadline", err)
	}
	if calls := len(rs.Calls("LookupEvents")); calls != 100 {
		t.Errorf("%d LookupEvents calls, want the budget of 100 pages", calls)
	}
	if len(got.Events) != 0 || !strings.Contains(got.Stats.Partial, "pages") {
		t.Errorf("events %d, partial %q: want none and a partial note about the pages read", len(got.Events), got.Stats.Partial)
	}
}

// A NextToken that comes back unchanged would make the loop ask for the same
// page forever; it must end the listing.
func TestLookupEventsStopsOnARepeatedNextToken(t *testing.T) {
	at := trailWindow.Start.Add(30 * time.Minute)
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", awsfake.Always(awsfake.OK(map[string]any{
		"Events": []any{lookupEvent("e1", "UpdateService", "deploy/s", at, false)}, "NextToken": "same"})))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := fakeClient(rs, nil).CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: trailWindow, EventNames: []string{"UpdateService"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rs.Calls("LookupEvents")); n != 2 {
		t.Errorf("%d LookupEvents calls, want 2 (the second returns the token it was given)", n)
	}
	if len(got.Events) != 1 {
		t.Errorf("%d events, want 1", len(got.Events))
	}
}

// LookupEvents answers an older window with no events (API reference:
// "the last 90 days"); fa2 says so and points to the Athena backend instead
// of reporting a quiet account, and never sends the call.
func TestLookupEventsBeyondNinetyDaysIsAClearError(t *testing.T) {
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", awsfake.Always(awsfake.OK(map[string]any{"Events": []any{}})))
	old := telemetry.Window{Start: fakeNow.AddDate(0, 0, -120), End: fakeNow.AddDate(0, 0, -100)}
	_, err := fakeClient(rs, nil).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: old})
	e := wantKind(t, err, telemetry.KindUnsupported)
	if !strings.Contains(e.Error(), "90 days") || !strings.Contains(e.Hint, "cloudtrail.backend: athena") {
		t.Errorf("error %q should name the 90-day limit and the athena backend", e.Error())
	}
	if n := len(rs.Calls("LookupEvents")); n != 0 {
		t.Errorf("%d LookupEvents calls for a window LookupEvents cannot cover", n)
	}
}

// A window that starts before the 90 days is cut to them, with a warning.
func TestLookupEventsStraddlingNinetyDaysIsCutAndSaysSo(t *testing.T) {
	rs := awsfake.New(t)
	rs.Handle("LookupEvents", awsfake.Always(awsfake.OK(map[string]any{"Events": []any{}})))
	oldest := fakeNow.Add(-90 * 24 * time.Hour)
	w := telemetry.Window{Start: oldest.Add(-24 * time.Hour), End: oldest.Add(time.Hour)}
	res, err := fakeClient(rs, nil).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	calls := rs.Calls("LookupEvents")
	if len(calls) != 1 || int64(calls[0].Num("StartTime")) != oldest.Unix() {
		t.Fatalf("LookupEvents calls = %+v, want one starting at %s", calls, oldest)
	}
	if !strings.Contains(strings.Join(res.Stats.Warnings, " "), "were not read") {
		t.Errorf("warnings %q do not say older events were not read", res.Stats.Warnings)
	}
}
