package awsfake_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/xray"
	"github.com/aws/smithy-go"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

// TestEachProtocolRecordsParamsAndDecodesErrors pins the toolkit's contract
// with the real SDK clients, one per wire protocol: a call is recorded under
// its operation name with decoded params and its number, a reply reaches
// the SDK, and an error arrives as a smithy.APIError with code and message.
func TestEachProtocolRecordsParamsAndDecodesErrors(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	s := awsfake.New(t)
	cfg := s.Config()
	// Qualified by its service, as a test faking Logs and Athena at once must.
	s.Handle("Logs_20140328.StartQuery", func(c awsfake.Call) awsfake.Reply {
		if c.N == 1 {
			return awsfake.OK(map[string]any{"queryId": "q1"})
		}
		return awsfake.Error("LimitExceededException", "too many")
	})
	s.Handle("DescribeAlarmHistory", awsfake.Always(awsfake.Throttled("Throttling")))
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.Denied().WithStatus(403)))

	logs := cloudwatchlogs.NewFromConfig(cfg)
	in := &cloudwatchlogs.StartQueryInput{LogGroupNames: []string{"/a", "/b"}, QueryString: aws.String("q"), StartTime: aws.Int64(10), EndTime: aws.Int64(20), Limit: aws.Int32(5)}
	out, err := logs.StartQuery(ctx, in)
	if err != nil || aws.ToString(out.QueryId) != "q1" {
		t.Fatalf("JSON reply: %v, %v", out, err)
	}
	_, err = logs.StartQuery(ctx, in)
	wantAPIError(t, "JSON", err, "LimitExceededException", "too many")
	calls := s.Calls("StartQuery")
	if len(calls) != 2 || len(s.Calls("Logs_20140328.StartQuery")) != 2 || calls[1].N != 2 || calls[1].Service != "Logs_20140328" || calls[0].Str("queryString") != "q" || calls[0].Num("limit") != 5 ||
		calls[0].Str("endTime") != "20" || calls[0].Strings("logGroupNames")[1] != "/b" || calls[0].Str("logGroupNames", 0) != "/a" {
		t.Errorf("JSON calls = %+v", calls)
	}

	_, err = cloudwatch.NewFromConfig(cfg).DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("x"), StartDate: &start})
	wantAPIError(t, "CBOR", err, "Throttling", "Rate exceeded")
	if c := s.Calls("DescribeAlarmHistory"); len(c) != 1 || c[0].Str("AlarmName") != "x" || !c[0].Get("StartDate").(time.Time).Equal(start) {
		t.Errorf("CBOR calls = %+v", c)
	}

	_, err = xray.NewFromConfig(cfg).GetTraceSummaries(ctx, &xray.GetTraceSummariesInput{StartTime: &start, EndTime: aws.Time(start.Add(time.Hour)), FilterExpression: aws.String("fault")})
	wantAPIError(t, "REST-JSON", err, "AccessDeniedException", "not authorized")
	if c := s.Calls("POST /TraceSummaries"); len(c) != 1 || c[0].Str("FilterExpression") != "fault" {
		t.Errorf("REST-JSON calls = %+v", c)
	}

	if ops := s.Ops(); len(ops) != 4 || ops[3] != "POST /TraceSummaries" {
		t.Errorf("ops = %v", ops)
	}
}

func wantAPIError(t *testing.T, proto string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Errorf("%s error = %v, want %s with %q", proto, err, code, msg)
	}
}
