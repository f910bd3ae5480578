package investigate

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// Records of failures written with no level — a Step Functions history
// event, a Firehose delivery error — are failure evidence; other typed
// records are not.
func TestFailedRecordsAreWarnings(t *testing.T) {
	for _, line := range []string{
		`{"details":{"cause":"<*>","error":"Lambda.AWSLambdaException"},"id":"<num>","type":"TaskFailed"}`,
		`{"type":"ExecutionTimedOut","execution_arn":"<arn>"}`,
		`{"deliveryStreamARN":"<arn>","errorCode":"<*>","message":"<*>."}`,
	} {
		if !failedRecord.MatchString(line) {
			t.Errorf("not a failed record: %s", line)
		}
	}
	for _, line := range []string{
		`{"type":"TaskSucceeded","id":"<num>"}`,
		`{"errorCode":"","message":"ok"}`,
		`{"type":"ExecutionStarted"}`,
	} {
		if failedRecord.MatchString(line) {
			t.Errorf("read as a failed record: %s", line)
		}
	}
}

// A log group silent in the baseline while others logged is new in the
// window; with no baseline data anywhere there is nothing to compare with.
func TestSilentGroupIsNew(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 6, 52, 0, 0, time.UTC)
	errLine := telemetry.LogPattern{Template: `{"deliveryStreamARN":"<arn>","errorCode":"<*>","message":"<*>."}`, Count: 13, FirstSeen: t0, LastSeen: t0.Add(20 * time.Minute)}
	chatty := telemetry.LogPattern{Template: "GET /health 200", Count: 900}
	sets := []patternSet{
		{group: "/aws/kinesisfirehose/clickstream-to-s3", win: &telemetry.LogPatterns{Matched: 13, Patterns: []telemetry.LogPattern{errLine}}, base: &telemetry.LogPatterns{}},
		{group: "/ecs/collector", win: &telemetry.LogPatterns{Matched: 900, Patterns: []telemetry.LogPattern{chatty}}, base: &telemetry.LogPatterns{Matched: 900, Patterns: []telemetry.LogPattern{chatty}}},
	}
	ts, _ := compareTemplates(sets, time.Hour, time.Hour)
	for _, tmpl := range ts {
		if tmpl.group == "/aws/kinesisfirehose/clickstream-to-s3" && (tmpl.status != statusNew || !tmpl.errorLike() || !tmpl.failureLike()) {
			t.Errorf("the delivery error in a group silent before: status %s, error-like %v, failure-like %v", tmpl.status, tmpl.errorLike(), tmpl.failureLike())
		}
	}
	ts, _ = compareTemplates(sets[:1], time.Hour, time.Hour)
	if ts[0].status != statusSteady {
		t.Errorf("with no baseline data anywhere, status %s, want steady", ts[0].status)
	}
}

// A lock wait is contention, whatever else its words say.
func TestLockWaitIsContention(t *testing.T) {
	sigs := signaturesOf("Error 1205 (HY000): Lock wait timeout exceeded; try restarting transaction")
	if !contains(sigs, sigContention) {
		t.Errorf("signatures %v lack %s", sigs, sigContention)
	}
	if contains(signaturesOf("dial tcp 10.0.3.4:5432: i/o timeout"), sigContention) {
		t.Error("a network timeout read as lock contention")
	}
	if sigs := signaturesOf("Error: getaddrinfo ENOTFOUND orders.internal.example"); !contains(sigs, sigDNS) || contains(sigs, sigNotFound) {
		t.Errorf("ENOTFOUND read as %v; want name resolution, not a missing object", sigs)
	}
}
