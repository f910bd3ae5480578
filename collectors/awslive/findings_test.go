package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

func asff(id, control, label, updated string) map[string]any {
	return map[string]any{
		"SchemaVersion": "2018-10-08", "Id": id, "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub", "GeneratorId": "g",
		"AwsAccountId": "123456789012", "Region": "us-east-1", "Types": []string{"Software and Configuration Checks"},
		"CreatedAt": "2026-10-01T00:00:00Z", "UpdatedAt": updated, "FirstObservedAt": "2026-10-01T00:00:00Z", "LastObservedAt": updated,
		"Severity": map[string]any{"Label": label}, "Title": control + " failed", "Description": "d",
		"Resources":  []any{map[string]any{"Type": "AwsEc2SecurityGroup", "Id": "sg-1"}},
		"Compliance": map[string]any{"Status": "FAILED", "SecurityControlId": control}, "Workflow": map[string]any{"Status": "NEW"}, "RecordState": "ACTIVE",
	}
}

func gdFinding(id string, severity float64) map[string]any {
	return map[string]any{
		"accountId": "123456789012", "arn": "arn:aws:guardduty:us-east-1:123456789012:detector/det-1/finding/" + id, "id": id,
		"createdAt": "2026-11-19T22:14:08Z", "updatedAt": "2026-11-20T09:41:09Z", "region": "us-east-1", "schemaVersion": "2.0",
		"severity": severity, "title": "probe " + id, "type": "Recon:EC2/PortProbeUnprotectedPort",
		"resource": map[string]any{"resourceType": "Instance", "instanceDetails": map[string]any{"instanceId": "i-0b7c"}},
		"service":  map[string]any{"count": 37, "eventFirstSeen": "2026-11-19T22:14:08Z", "eventLastSeen": "2026-11-20T09:41:07Z", "archived": false},
	}
}

func TestSecurityFindingsBothSourcesWithFiltersPushedDown(t *testing.T) {
	var gdIDs []string
	for i := 0; i < 60; i++ {
		gdIDs = append(gdIDs, fmt.Sprintf("f%02d", i))
	}
	rs := awsfake.New(t)
	rs.Handle("POST /findings", func(call awsfake.Call) awsfake.Reply {
		if call.Str("NextToken") == "" {
			return awsfake.OK(map[string]any{"Findings": []any{asff("sh-1", "EC2.19", "CRITICAL", "2026-11-20T09:12:44Z")}, "NextToken": "n2"})
		}
		return awsfake.OK(map[string]any{"Findings": []any{asff("sh-2", "S3.1", "HIGH", "2026-11-20T09:12:51Z")}})
	})
	rs.Handle("GET /detector", awsfake.Always(awsfake.OK(map[string]any{"detectorIds": []string{"det-1"}})))
	rs.Handle("POST /detector/det-1/findings", func(call awsfake.Call) awsfake.Reply {
		if call.Str("nextToken") == "" {
			return awsfake.OK(map[string]any{"findingIds": gdIDs[:50], "nextToken": "g2"})
		}
		return awsfake.OK(map[string]any{"findingIds": gdIDs[50:]})
	})
	rs.Handle("POST /detector/det-1/findings/get", func(call awsfake.Call) awsfake.Reply {
		var fs []any
		for _, id := range call.Strings("findingIds") {
			fs = append(fs, gdFinding(id, 7.5))
		}
		return awsfake.OK(map[string]any{"findings": fs})
	})
	res, err := fakeClient(rs, nil).SecurityFindings(context.Background(), telemetry.FindingQuery{MinSeverity: "HIGH", Window: trailWindow, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 62 || res.Findings[0].ControlID != "EC2.19" || res.Findings[0].Severity != "CRITICAL" {
		t.Fatalf("got %d findings, first %+v", len(res.Findings), res.Findings[0])
	}
	var gd telemetry.Finding
	for _, f := range res.Findings {
		if f.Source == telemetry.FindingSourceGuardDuty {
			gd = f
			break
		}
	}
	if gd.Severity != "HIGH" || gd.Resource != "i-0b7c" || gd.Count != 37 || gd.LastSeen.IsZero() {
		t.Errorf("GuardDuty finding not normalised: %+v", gd)
	}
	sh := rs.Calls("POST /findings")
	if len(sh) != 2 {
		t.Fatalf("Security Hub pages = %d, want 2", len(sh))
	}
	f := func(path ...any) string { return sh[0].Str(append([]any{"Filters"}, path...)...) }
	if f("RecordState", 0, "Value") != "ACTIVE" || f("WorkflowStatus", 0, "Comparison") != "NOT_EQUALS" || f("WorkflowStatus", 0, "Value") != "SUPPRESSED" ||
		f("SeverityLabel", 0, "Value") != "HIGH" || f("SeverityLabel", 1, "Value") != "CRITICAL" || f("SeverityLabel", 2, "Value") != "" ||
		f("UpdatedAt", 0, "Start") != "2026-11-20T09:00:00Z" || f("UpdatedAt", 0, "End") != "2026-11-20T10:00:00Z" {
		t.Errorf("Security Hub filters = %v", sh[0].Get("Filters"))
	}
	list := rs.Calls("POST /detector/det-1/findings")[0]
	crit := func(path ...any) string { return list.Str(append([]any{"findingCriteria", "criterion"}, path...)...) }
	if crit("severity", "greaterThanOrEqual") != "7" || crit("updatedAt", "greaterThanOrEqual") != fmt.Sprint(trailWindow.Start.UnixMilli()) ||
		crit("service.archived", "equals", 0) != "false" {
		t.Errorf("GuardDuty criteria = %v", list.Get("findingCriteria", "criterion"))
	}
	gets := rs.Calls("POST /detector/det-1/findings/get")
	if len(gets) != 2 || len(gets[0].Strings("findingIds")) != 50 || len(gets[1].Strings("findingIds")) != 10 {
		t.Errorf("GetFindings batches wrong: %d calls", len(gets))
	}
}

func TestSecurityFindingsOneSourceFailingIsAWarning(t *testing.T) {
	s := config.Default()
	s.GuardDuty.DetectorID = "det-9"
	rs := awsfake.New(t)
	rs.Handle("POST /findings", awsfake.Always(awsfake.Error("InvalidAccessException", "Account 123456789012 is not subscribed to AWS Security Hub").WithStatus(401)))
	rs.Handle("POST /detector/det-9/findings", awsfake.Always(awsfake.OK(map[string]any{"findingIds": []string{"a"}})))
	rs.Handle("POST /detector/det-9/findings/get", awsfake.Always(awsfake.OK(map[string]any{"findings": []any{gdFinding("a", 2)}})))
	res, err := fakeClient(rs, &s).SecurityFindings(context.Background(), telemetry.FindingQuery{Window: trailWindow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Severity != "LOW" {
		t.Errorf("findings = %+v, want the GuardDuty one", res.Findings)
	}
	if len(res.Stats.Warnings) != 1 || !strings.Contains(res.Stats.Warnings[0], "securityhub") || !strings.Contains(res.Stats.Warnings[0], "not subscribed") {
		t.Errorf("warnings = %v, want the Security Hub failure", res.Stats.Warnings)
	}
	for _, op := range rs.Ops() {
		if op == "GET /detector" {
			t.Error("a configured detector id must not be looked up")
		}
	}

	// When every requested source fails, the call fails.
	rs = awsfake.New(t)
	rs.Handle("POST /findings", awsfake.Always(awsfake.Error("AccessDeniedException", "not allowed").WithStatus(403)))
	_, err = fakeClient(rs, &s).SecurityFindings(context.Background(), telemetry.FindingQuery{Window: trailWindow, Sources: []string{telemetry.FindingSourceSecurityHub}})
	if e, isErr := telemetry.AsError(err); !isErr || e.Kind != telemetry.KindAccessDenied {
		t.Fatalf("err = %v, want access denied", err)
	}
}

// GuardDuty and Security Hub end a listing with an empty nextToken rather
// than none. Exactly limit findings on the last page is the whole answer, not
// a partial one telling the user to narrow the query.
func TestFindingsEmptyNextTokenIsTheEnd(t *testing.T) {
	settings := config.Default()
	settings.GuardDuty.DetectorID = "det-1"
	rs := awsfake.New(t)
	rs.Handle("POST /detector/det-1/findings", awsfake.Always(awsfake.OK(map[string]any{"findingIds": []string{"f1", "f2"}, "nextToken": ""})))
	rs.Handle("POST /detector/det-1/findings/get", awsfake.Always(awsfake.OK(map[string]any{"findings": []any{gdFinding("f1", 8), gdFinding("f2", 8)}})))
	rs.Handle("POST /findings", awsfake.Always(awsfake.OK(map[string]any{"Findings": []any{
		asff("s1", "EC2.19", "HIGH", "2026-11-20T09:30:00Z"), asff("s2", "S3.1", "HIGH", "2026-11-20T09:30:00Z")}, "NextToken": ""})))
	for _, src := range []string{telemetry.FindingSourceGuardDuty, telemetry.FindingSourceSecurityHub} {
		got, err := fakeClient(rs, &settings).SecurityFindings(context.Background(), telemetry.FindingQuery{Sources: []string{src}, Window: trailWindow, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Findings) != 2 || got.Stats.Partial != "" {
			t.Errorf("%s: %d findings, partial %q; want 2 and not partial", src, len(got.Findings), got.Stats.Partial)
		}
	}
}
