package awslive

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
)

// sdkErrorCodes reads the error codes a service's SDK module declares, from
// the module's own types/errors.go (each error type's ErrorCode returns its
// code), so an SDK upgrade that adds an error fails the test below until
// the error is mapped.
func sdkErrorCodes(t *testing.T, service string) []string {
	t.Helper()
	module := "github.com/aws/aws-sdk-go-v2/service/" + service
	// go list resolves the version go.mod requires, from the module cache.
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", module, err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "types", "errors.go"))
	if err != nil {
		t.Fatalf("read the SDK's declared errors: %v", err)
	}
	re := regexp.MustCompile(`ErrorCode\(\) string \{\n\s*if e == nil \|\| e\.ErrorCodeOverride == nil \{\n\s*return "(\w+)"`)
	var codes []string
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		codes = append(codes, m[1])
	}
	if len(codes) < 3 {
		t.Fatalf("found only %d error codes in %s's errors.go; the file's layout changed", len(codes), service)
	}
	return codes
}

// Every error a service declares lands in a deliberate class, never in the
// "unexpected" default.
func TestEveryDeclaredErrorIsMapped(t *testing.T) {
	for service, op := range map[string]string{
		"cloudwatchlogs": "logs:StartQuery",
		"cloudwatch":     "cloudwatch:DescribeAlarms",
		"xray":           "xray:GetTraceSummaries",
		"athena":         "athena:StartQueryExecution",
		"securityhub":    "securityhub:GetFindings",
		"guardduty":      "guardduty:ListFindings",
	} {
		for _, code := range sdkErrorCodes(t, service) {
			if classify(op, code) == classUnknown {
				t.Errorf("%s declares %s, which maps to the unexpected-error default", service, code)
			}
		}
	}
	// CloudTrail declares ~80 errors for its many operations; fa2 calls only
	// LookupEvents, whose API reference lists these (LookupEvents, "Errors").
	lookupEvents := []string{"InvalidEventCategoryException", "InvalidLookupAttributesException", "InvalidMaxResultsException",
		"InvalidNextTokenException", "InvalidTimeRangeException", "OperationNotPermittedException", "UnsupportedOperationException"}
	declared := strings.Join(sdkErrorCodes(t, "cloudtrail"), " ")
	for _, code := range lookupEvents {
		if !strings.Contains(declared, code) {
			t.Errorf("the CloudTrail SDK no longer declares %s", code)
		}
		if classify("cloudtrail:LookupEvents", code) == classUnknown {
			t.Errorf("LookupEvents declares %s, which maps to the unexpected-error default", code)
		}
	}
}

// Codes whose meaning differs between services, or that a reviewer found
// reported as "unavailable, retry": each to its kind.
func TestErrorClassesThatDependOnTheService(t *testing.T) {
	for _, tc := range []struct {
		op, code string
		want     telemetry.Kind
	}{
		{"securityhub:GetFindings", "LimitExceededException", telemetry.KindThrottled},
		{"logs:StartQuery", "LimitExceededException", telemetry.KindLimit},
		{"securityhub:GetFindings", "InvalidAccessException", telemetry.KindUnsupported},
		{"cloudtrail:LookupEvents", "InvalidTimeRangeException", telemetry.KindInvalidInput},
		{"cloudtrail:LookupEvents", "InvalidLookupAttributesException", telemetry.KindInvalidInput},
		{"cloudtrail:LookupEvents", "OperationNotPermittedException", telemetry.KindUnsupported},
		{"cloudwatch:DescribeAlarms", "ValidationError", telemetry.KindInvalidInput},
		{"cloudwatch:DescribeAlarms", "ExpiredToken", telemetry.KindAccessDenied},
		{"xray:GetTraceSummaries", "ThrottledException", telemetry.KindThrottled},
		{"athena:GetQueryExecution", "TooManyRequestsException", telemetry.KindThrottled},
		{"guardduty:ListDetectors", "SignatureDoesNotMatch", telemetry.KindAccessDenied},
		{"logs:StartQuery", "InvalidSignatureException", telemetry.KindAccessDenied},
		{"cloudwatch:GetMetricData", "RequestExpired", telemetry.KindAccessDenied},
		{"cloudtrail:LookupEvents", "TrailNotFoundException", telemetry.KindUnavailable}, // not LookupEvents': unexpected
	} {
		if got, _ := classify(tc.op, tc.code).explain(tc.op); got != tc.want {
			t.Errorf("%s %s = %s, want %s", tc.op, tc.code, got, tc.want)
		}
	}
}

// End to end through each service's wire protocol: the SDK's own error
// deserializer reads the fake's error shape, and mapError sees what a real
// account's answer would give it. Op is a field, not part of Msg.
func TestErrorsPerServiceThroughTheSDK(t *testing.T) {
	type call func(*Client) error
	alarms := func(c *Client) error { _, err := c.Alarms(context.Background(), telemetry.AlarmQuery{}); return err }
	trail := func(c *Client) error {
		_, err := c.CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: recentWindow()})
		return err
	}
	findings := func(c *Client) error {
		_, err := c.SecurityFindings(context.Background(), telemetry.FindingQuery{Window: recentWindow(), Sources: []string{"securityhub"}})
		return err
	}
	for _, tc := range []struct {
		name, op string
		reply    awsfake.Reply
		call     call
		kind     telemetry.Kind
		wantOp   string
		mention  string
	}{
		{"cloudwatch query-protocol validation", "DescribeAlarms",
			awsfake.QueryCompatible("ValidationError", "ValidationError", "Sender", "1 validation error detected"),
			alarms, telemetry.KindInvalidInput, "cloudwatch:DescribeAlarms", "ValidationError"},
		{"cloudwatch expired token", "DescribeAlarms",
			awsfake.QueryCompatible("ExpiredTokenException", "ExpiredToken", "Sender", "The security token included in the request is expired").WithStatus(403),
			alarms, telemetry.KindAccessDenied, "cloudwatch:DescribeAlarms", "refresh"},
		{"cloudwatch clock skew", "DescribeAlarms",
			awsfake.QueryCompatible("RequestExpired", "RequestExpired", "Sender", "Request has expired").WithStatus(400),
			alarms, telemetry.KindAccessDenied, "cloudwatch:DescribeAlarms", "clock"},
		{"cloudtrail invalid time range", "LookupEvents",
			awsfake.Error("InvalidTimeRangeException", "Start time must be before end time"),
			trail, telemetry.KindInvalidInput, "cloudtrail:LookupEvents", "Start time"},
		{"cloudtrail signature", "LookupEvents",
			awsfake.Error("InvalidSignatureException", "Signature expired: 20261120T090000Z is now earlier than 20261120T091000Z").WithStatus(403),
			trail, telemetry.KindAccessDenied, "cloudtrail:LookupEvents", "credentials"},
		{"security hub throttling", "POST /findings",
			awsfake.Error("LimitExceededException", "Rate exceeded").WithStatus(429),
			findings, telemetry.KindThrottled, "securityhub:GetFindings", "wait"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := awsfake.New(t)
			s.Handle(tc.op, awsfake.Always(tc.reply))
			err := tc.call(fakeClient(s, nil))
			e, ok := telemetry.AsError(err)
			if !ok || e.Kind != tc.kind || e.Op != tc.wantOp || !strings.Contains(e.Error(), tc.mention) {
				t.Fatalf("got %v (%#v), want kind %s, Op %s, mentioning %q", err, e, tc.kind, tc.wantOp, tc.mention)
			}
			if strings.Contains(e.Msg, tc.wantOp) {
				t.Errorf("Msg %q repeats the operation, which belongs in Op", e.Msg)
			}
			if !strings.HasPrefix(e.Error(), tc.wantOp+": ") {
				t.Errorf("Error() = %q, want it to start with the operation", e.Error())
			}
		})
	}
}

// recentWindow is the fake client's last hour.
func recentWindow() telemetry.Window {
	return telemetry.Window{Start: fakeNow.Add(-time.Hour), End: fakeNow}
}
