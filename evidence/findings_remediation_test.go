package evidence

import (
	"encoding/json"
	"testing"
)

// A Security Hub finding's Remediation.Recommendation and Description reach
// the normalised finding; a finding without them leaves the fields empty.
func TestFromASFFKeepsRemediationAndDescription(t *testing.T) {
	raw := `{"Id":"f1","Title":"S3.1","Description":"Block public access.","Severity":{"Label":"MEDIUM"},
		"Remediation":{"Recommendation":{"Text":"Turn on block public access.","Url":"https://docs.aws.amazon.com/console/securityhub/S3.1/remediation"}}}`
	var a ASFF
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		t.Fatal(err)
	}
	f := FromASFF(&a)
	if f.Remediation != "Turn on block public access." || f.RemediationURL != "https://docs.aws.amazon.com/console/securityhub/S3.1/remediation" || f.Description != "Block public access." {
		t.Fatalf("remediation not kept: %+v", f)
	}
	var b ASFF
	if err := json.Unmarshal([]byte(`{"Id":"f2","Severity":{"Label":"LOW"}}`), &b); err != nil {
		t.Fatal(err)
	}
	if g := FromASFF(&b); g.Remediation != "" || g.RemediationURL != "" {
		t.Fatalf("remediation invented: %+v", g)
	}
	var gd GuardDutyFinding
	if err := json.Unmarshal([]byte(`{"Id":"g1","Description":"Port probed.","Severity":2}`), &gd); err != nil {
		t.Fatal(err)
	}
	if FromGuardDuty(&gd).Description != "Port probed." {
		t.Fatal("GuardDuty description lost")
	}
}
