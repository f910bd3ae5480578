package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
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
	c, rs := newFakeClient(t, config.Default(), func(call recordedCall, n int) fakeReply {
		switch call.Op {
		case "POST /findings":
			if str(call.Body, "NextToken") == "" {
				return ok(map[string]any{"Findings": []any{asff("sh-1", "EC2.19", "CRITICAL", "2026-11-20T09:12:44Z")}, "NextToken": "n2"})
			}
			return ok(map[string]any{"Findings": []any{asff("sh-2", "S3.1", "HIGH", "2026-11-20T09:12:51Z")}})
		case "GET /detector":
			return ok(map[string]any{"detectorIds": []string{"det-1"}})
		case "POST /detector/det-1/findings":
			if str(call.Body, "nextToken") == "" {
				return ok(map[string]any{"findingIds": gdIDs[:50], "nextToken": "g2"})
			}
			return ok(map[string]any{"findingIds": gdIDs[50:]})
		case "POST /detector/det-1/findings/get":
			ids, _ := call.Body["findingIds"].([]any)
			var fs []any
			for _, id := range ids {
				fs = append(fs, gdFinding(id.(string), 7.5))
			}
			return ok(map[string]any{"findings": fs})
		}
		t.Errorf("unexpected call %s", call.Op)
		return ok(map[string]any{})
	})
	res, err := c.SecurityFindings(context.Background(), collectors.FindingQuery{MinSeverity: "HIGH", Window: trailWindow, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 62 || res.Findings[0].ControlID != "EC2.19" || res.Findings[0].Severity != "CRITICAL" {
		t.Fatalf("got %d findings, first %+v", len(res.Findings), res.Findings[0])
	}
	var gd collectors.Finding
	for _, f := range res.Findings {
		if f.Source == collectors.FindingSourceGuardDuty {
			gd = f
			break
		}
	}
	if gd.Severity != "HIGH" || gd.Resource != "i-0b7c" || gd.Count != 37 || gd.LastSeen.IsZero() {
		t.Errorf("GuardDuty finding not normalised: %+v", gd)
	}
	sh := rs.callsTo("POST /findings")
	if len(sh) != 2 {
		t.Fatalf("Security Hub pages = %d, want 2", len(sh))
	}
	f := sh[0].Body["Filters"]
	if str(f, "RecordState", 0, "Value") != "ACTIVE" || str(f, "WorkflowStatus", 0, "Comparison") != "NOT_EQUALS" || str(f, "WorkflowStatus", 0, "Value") != "SUPPRESSED" ||
		str(f, "SeverityLabel", 0, "Value") != "HIGH" || str(f, "SeverityLabel", 1, "Value") != "CRITICAL" || str(f, "SeverityLabel", 2, "Value") != "" ||
		str(f, "UpdatedAt", 0, "Start") != "2026-11-20T09:00:00Z" || str(f, "UpdatedAt", 0, "End") != "2026-11-20T10:00:00Z" {
		t.Errorf("Security Hub filters = %v", f)
	}
	list := rs.callsTo("POST /detector/det-1/findings")[0].Body
	crit := list["findingCriteria"].(map[string]any)["criterion"]
	if str(crit, "severity", "greaterThanOrEqual") != "7" || str(crit, "updatedAt", "greaterThanOrEqual") != fmt.Sprint(trailWindow.Start.UnixMilli()) ||
		str(crit, "service.archived", "equals", 0) != "false" {
		t.Errorf("GuardDuty criteria = %v", crit)
	}
	gets := rs.callsTo("POST /detector/det-1/findings/get")
	if len(gets) != 2 || len(gets[0].Body["findingIds"].([]any)) != 50 || len(gets[1].Body["findingIds"].([]any)) != 10 {
		t.Errorf("GetFindings batches wrong: %d calls", len(gets))
	}
}

func TestSecurityFindingsOneSourceFailingIsAWarning(t *testing.T) {
	s := config.Default()
	s.GuardDuty.DetectorID = "det-9"
	c, rs := newFakeClient(t, s, func(call recordedCall, n int) fakeReply {
		switch call.Op {
		case "POST /findings":
			return fakeAPIError(401, "InvalidAccessException", "Account 123456789012 is not subscribed to AWS Security Hub")
		case "POST /detector/det-9/findings":
			return ok(map[string]any{"findingIds": []string{"a"}})
		case "POST /detector/det-9/findings/get":
			return ok(map[string]any{"findings": []any{gdFinding("a", 2)}})
		}
		t.Errorf("unexpected call %s", call.Op)
		return ok(map[string]any{})
	})
	res, err := c.SecurityFindings(context.Background(), collectors.FindingQuery{Window: trailWindow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Severity != "LOW" {
		t.Errorf("findings = %+v, want the GuardDuty one", res.Findings)
	}
	if len(res.Stats.Warnings) != 1 || !strings.Contains(res.Stats.Warnings[0], "securityhub") || !strings.Contains(res.Stats.Warnings[0], "not subscribed") {
		t.Errorf("warnings = %v, want the Security Hub failure", res.Stats.Warnings)
	}
	for _, op := range rs.ops() {
		if op == "GET /detector" {
			t.Error("a configured detector id must not be looked up")
		}
	}

	// When every requested source fails, the call fails.
	c, _ = newFakeClient(t, s, func(call recordedCall, n int) fakeReply {
		return fakeAPIError(403, "AccessDeniedException", "not allowed")
	})
	_, err = c.SecurityFindings(context.Background(), collectors.FindingQuery{Window: trailWindow, Sources: []string{collectors.FindingSourceSecurityHub}})
	if e, isErr := collectors.AsError(err); !isErr || e.Kind != collectors.KindAccessDenied {
		t.Fatalf("err = %v, want access denied", err)
	}
}
