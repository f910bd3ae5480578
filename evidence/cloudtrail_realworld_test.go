package evidence

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// loadTrail reads testdata/cloudtrail/records.json (see its README).
func loadTrail(t *testing.T) []*CloudTrailRecord {
	t.Helper()
	raw, err := os.ReadFile("testdata/cloudtrail/records.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Records []json.RawMessage `json:"Records"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	var out []*CloudTrailRecord
	for i, r := range f.Records {
		rec, err := ParseCloudTrailRecord(r)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		out = append(out, rec)
	}
	return out
}

var trailWindow = telemetry.Window{Start: time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC), End: time.Date(2025, 12, 1, 10, 0, 0, 0, time.UTC)}

func trailEvents(t *testing.T, q telemetry.CloudTrailQuery) []telemetry.CloudTrailEvent {
	t.Helper()
	q.Window = trailWindow
	evs := []telemetry.CloudTrailEvent{}
	for _, r := range loadTrail(t) {
		if r.Matches(q) {
			evs = append(evs, r.Event(700))
		}
	}
	return evs
}

func byName(evs []telemetry.CloudTrailEvent, name string) (telemetry.CloudTrailEvent, bool) {
	for _, ev := range evs {
		if ev.Name == name {
			return ev, true
		}
	}
	return telemetry.CloudTrailEvent{}, false
}

// Issue 18 item 1: a person's console change (invokedBy
// signin.amazonaws.com) is a recent change, first; changes AWS services
// made stay visible, labelled, after it.
func TestConsoleChangesAreRecentChanges(t *testing.T) {
	evs := trailEvents(t, telemetry.CloudTrailQuery{OnlyMutating: true})
	rc := RecentChanges(evs, trailWindow.End, 5)
	if len(rc) == 0 || rc[0].Name != "RevokeSecurityGroupIngress" || rc[0].Actor != telemetry.ActorConsole {
		t.Fatalf("recent changes = %+v", rc)
	}
	var names []string
	for _, ev := range rc {
		names = append(names, ev.Name+"/"+ev.Actor)
	}
	// People first (console, then the cross-account grant), then services,
	// newest first; no sign-ins, data events, Insights or failures.
	want := "RevokeSecurityGroupIngress/console,CreateGrant/,UpdateAutoScalingGroup/aws-service,RotationSucceeded/aws-service"
	if strings.Join(names, ",") != want {
		t.Errorf("recent changes = %s\nwant %s", strings.Join(names, ","), want)
	}
	// A busy service keeps at most half the places when people changed things.
	var many []telemetry.CloudTrailEvent
	for i := 0; i < 10; i++ {
		many = append(many, telemetry.CloudTrailEvent{Name: "UpdateAutoScalingGroup", Time: trailWindow.End.Add(-time.Duration(i) * time.Second), Actor: telemetry.ActorAWSService})
	}
	for _, name := range []string{"PutRolePolicy", "UpdateFunctionCode", "ModifyDBInstance"} {
		many = append(many, telemetry.CloudTrailEvent{Name: name, Time: trailWindow.Start})
	}
	rc = RecentChanges(many, trailWindow.End, 4)
	if len(rc) != 4 || rc[0].Name != "PutRolePolicy" || rc[1].Name != "UpdateFunctionCode" || rc[2].Actor != telemetry.ActorAWSService {
		t.Errorf("with a busy service: %+v", rc)
	}
	// Places people leave free go to the services.
	rc = RecentChanges(many[:11], trailWindow.End, 4)
	if len(rc) != 4 || rc[0].Name != "PutRolePolicy" {
		t.Errorf("one person, busy service: %+v", rc)
	}
	if got := RecentChanges(nil, trailWindow.End, 5); got == nil || len(got) != 0 {
		t.Errorf("no changes must be an empty list, not %#v", got)
	}
}

// Issue 18 item 7: Insights events parse (name and source under
// insightDetails) and are labelled, but are not changes.
func TestInsightsEventsAreRead(t *testing.T) {
	evs := trailEvents(t, telemetry.CloudTrailQuery{})
	ev, ok := byName(evs, "RunInstances")
	if !ok || ev.Source != "ec2.amazonaws.com" || ev.Category != "Insight" || !strings.HasPrefix(ev.Insight, "ApiCallRateInsight Start: 5/min against a baseline of 0.0155") {
		t.Fatalf("insight = %+v (found %v)", ev, ok)
	}
	if ev.Principal != "CloudTrail Insights" {
		t.Errorf("principal = %q", ev.Principal)
	}
}

// Issue 18 item 7: a failed console sign-in has no errorCode but is an
// error; a successful one is not.
func TestFailedConsoleSignInIsAnError(t *testing.T) {
	errs := trailEvents(t, telemetry.CloudTrailQuery{ErrorsOnly: true})
	var names []string
	for _, ev := range errs {
		names = append(names, ev.Name+":"+ev.ErrorCode)
	}
	if strings.Join(names, ",") != "UpdateService:AccessDenied,ConsoleLogin:ConsoleLoginFailure" {
		t.Errorf("errors = %v", names)
	}
	for _, ev := range errs {
		if ev.Name == "ConsoleLogin" && (ev.ErrorMessage != "Failed authentication" || ev.Principal != "JaneDoe") {
			t.Errorf("failed sign-in = %+v", ev)
		}
	}
	groups := SummarizeCloudTrail(trailEvents(t, telemetry.CloudTrailQuery{EventNames: []string{"ConsoleLogin"}}))
	if len(groups) != 2 || groups[0].Errors+groups[1].Errors != 1 {
		t.Errorf("sign-in groups = %+v", groups)
	}
}

// Issue 18 item 7: a caller from another account shows that account and
// is found by its account id.
func TestCrossAccountCallers(t *testing.T) {
	evs := trailEvents(t, telemetry.CloudTrailQuery{Principals: []string{"444455556666"}})
	if len(evs) != 2 {
		t.Fatalf("events of account 444455556666 = %+v", evs)
	}
	for _, ev := range evs {
		if ev.Principal != "account 444455556666 (AIDAQRSTUVWXYZEXAMPLE)" || ev.CallerAccount != "444455556666" || ev.Account != "123456789012" {
			t.Errorf("cross-account event = %+v", ev)
		}
	}
	// The local account id matches the local callers, not the other account.
	for _, ev := range trailEvents(t, telemetry.CloudTrailQuery{Principals: []string{"123456789012"}}) {
		if ev.CallerAccount != "" {
			t.Errorf("local-account filter matched %+v", ev)
		}
	}
	if len(trailEvents(t, telemetry.CloudTrailQuery{Principals: []string{"AIDAQRSTUVWXYZEXAMPLE"}})) != 2 {
		t.Error("the principal id must select the cross-account caller")
	}
}

// Data events and service events parse with their resources and actors.
func TestDataAndServiceEvents(t *testing.T) {
	evs := trailEvents(t, telemetry.CloudTrailQuery{})
	inv, ok := byName(evs, "Invoke")
	if !ok || inv.Category != "Data" || inv.Actor != telemetry.ActorAWSService || inv.Principal != "apigateway.amazonaws.com" ||
		len(inv.Resources) != 1 || !strings.HasSuffix(inv.Resources[0], "function:orders") {
		t.Errorf("Invoke = %+v", inv)
	}
	get, ok := byName(evs, "GetObject")
	if !ok || !get.ReadOnly || get.Category != "Data" {
		t.Errorf("GetObject = %+v", get)
	}
	rot, ok := byName(evs, "RotationSucceeded")
	if !ok || rot.Actor != telemetry.ActorAWSService || rot.Principal != "secretsmanager.amazonaws.com" {
		t.Errorf("rotation = %+v", rot)
	}
	if len(evs) != 11 {
		t.Errorf("%d events read, want all 11", len(evs))
	}
}

// Each invokedBy value, and the other marks of the console, decide the actor.
func TestActorPerInvokedByValue(t *testing.T) {
	for _, c := range []struct {
		record, want string
	}{
		{`{"userIdentity":{"type":"AssumedRole","invokedBy":"signin.amazonaws.com"}}`, telemetry.ActorConsole},
		{`{"userIdentity":{"type":"IAMUser","invokedBy":"AWS Internal"}}`, telemetry.ActorConsole},
		{`{"sessionCredentialFromConsole":"true","userIdentity":{"type":"AssumedRole"}}`, telemetry.ActorConsole},
		{`{"userAgent":"console.ec2.amazonaws.com","userIdentity":{"type":"IAMUser"}}`, telemetry.ActorConsole},
		{`{"userIdentity":{"type":"AssumedRole","invokedBy":"cloudformation.amazonaws.com"}}`, telemetry.ActorAWSService},
		{`{"userIdentity":{"type":"AWSService","invokedBy":"secretsmanager.amazonaws.com"}}`, telemetry.ActorAWSService},
		{`{"userAgent":"aws-cli/2.22.4","userIdentity":{"type":"AssumedRole"}}`, ""},
	} {
		var r CloudTrailRecord
		if err := json.Unmarshal([]byte(c.record), &r); err != nil {
			t.Fatal(err)
		}
		if got := r.Actor(); got != c.want {
			t.Errorf("%s: actor %q, want %q", c.record, got, c.want)
		}
	}
}
