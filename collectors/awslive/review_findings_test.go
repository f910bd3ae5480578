package awslive

import (
	"context"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
)

// GuardDuty and Security Hub end a listing with an empty nextToken rather
// than none. Exactly limit findings on the last page is the whole answer, not
// a partial one telling the user to narrow the query.
func TestReviewFindingsEmptyNextTokenIsTheEnd(t *testing.T) {
	settings := config.Default()
	settings.GuardDuty.DetectorID = "det-1"
	finding := func(id string) map[string]any {
		return map[string]any{"id": id, "accountId": "123456789012", "region": "us-east-1", "severity": 8.0, "title": "t " + id,
			"type": "Recon:EC2/PortProbeUnprotectedPort", "createdAt": "2026-11-20T09:00:00Z", "updatedAt": "2026-11-20T09:30:00Z",
			"resource": map[string]any{"resourceType": "Instance"}, "service": map[string]any{"archived": false}}
	}
	asffFinding := func(id string) map[string]any {
		return map[string]any{"SchemaVersion": "2018-10-08", "Id": id, "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
			"GeneratorId": "g", "AwsAccountId": "123456789012", "CreatedAt": "2026-11-20T09:00:00Z", "UpdatedAt": "2026-11-20T09:30:00Z",
			"Severity": map[string]any{"Label": "HIGH"}, "Title": "t " + id, "Description": "d", "Types": []string{"x"},
			"Resources": []any{map[string]any{"Type": "Other", "Id": "r"}}}
	}
	c, _ := newReviewClient(t, settings, func(call reviewCall) reviewAnswer {
		switch call.op {
		case "POST /detector/det-1/findings":
			return answer(map[string]any{"findingIds": []string{"f1", "f2"}, "nextToken": ""})
		case "POST /detector/det-1/findings/get":
			return answer(map[string]any{"findings": []any{finding("f1"), finding("f2")}})
		case "POST /findings":
			return answer(map[string]any{"Findings": []any{asffFinding("s1"), asffFinding("s2")}, "NextToken": ""})
		}
		t.Errorf("unexpected call %s", call.op)
		return answer(map[string]any{})
	})
	w := collectors.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	for _, src := range []string{collectors.FindingSourceGuardDuty, collectors.FindingSourceSecurityHub} {
		got, err := c.SecurityFindings(context.Background(), collectors.FindingQuery{Sources: []string{src}, Window: w, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Findings) != 2 || got.Stats.Partial != "" {
			t.Errorf("%s: %d findings, partial %q; want 2 and not partial", src, len(got.Findings), got.Stats.Partial)
		}
	}
}
