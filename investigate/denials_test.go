package investigate

import (
	"testing"

	"github.com/fa2/fa2/telemetry"
)

func TestParseDenial(t *testing.T) {
	cases := []struct {
		msg                          string
		principal, action, res, kind string
	}{
		{`S3Exception: User: arn:aws:sts::123456789012:assumed-role/reports-export-job/e51f is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::acme-exports/a/b.csv" with an explicit deny in a resource-based policy (Service: S3, Status Code: 403)`,
			"arn:aws:sts::123456789012:assumed-role/reports-export-job/e51f", "s3:PutObject", "arn:aws:s3:::acme-exports/a/b.csv", "resource"},
		{`AccessDeniedException: User: arn:aws:sts::1:assumed-role/checkout-task/abc is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:1:table/orders because no identity-based policy allows the dynamodb:PutItem action`,
			"arn:aws:sts::1:assumed-role/checkout-task/abc", "dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:1:table/orders", "identity"},
		{`User: arn:aws:iam::1:user/ci is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:1:jobs.`,
			"arn:aws:iam::1:user/ci", "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:jobs", ""},
	}
	for _, c := range cases {
		d, ok := parseDenial(c.msg)
		if !ok {
			t.Errorf("no denial found in %q", c.msg)
			continue
		}
		if d.principal != c.principal || d.action != c.action || d.resource != c.res || d.policy != c.kind {
			t.Errorf("parseDenial(%q) = %+v", c.msg, d)
		}
	}
	if _, ok := parseDenial("connection refused to db"); ok {
		t.Error("a denial found in a message without one")
	}
}

func TestFitsDenial(t *testing.T) {
	res := denial{principal: "arn:aws:sts::1:assumed-role/reports-export-job/x", resource: "arn:aws:s3:::acme-exports/k.csv", policy: "resource"}
	bucketPolicy := telemetry.CloudTrailEvent{Name: "PutBucketPolicy", Source: "s3.amazonaws.com"}
	if !fitsDenial(bucketPolicy, []string{"acme-exports"}, res) {
		t.Error("a bucket-policy change on the denied bucket does not fit a resource-based deny")
	}
	if fitsDenial(bucketPolicy, []string{"acme-exports-logs"}, res) {
		t.Error("a policy change on a sibling bucket fits")
	}
	role := telemetry.CloudTrailEvent{Name: "PutRolePolicy", Source: "iam.amazonaws.com"}
	if fitsDenial(role, []string{"reports-export-job"}, res) {
		t.Error("a role change fits a resource-based deny")
	}
	res.policy = "identity"
	if !fitsDenial(role, []string{"reports-export-job"}, res) {
		t.Error("a change to the caller's role does not fit an identity-based deny")
	}
}
