package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
)

// realworldEnv opens the snapshot of fixtures written from AWS's
// documented formats (collectors/snapshot/testdata/realworld/README.md).
func realworldEnv(t *testing.T) *Env {
	t.Helper()
	s, err := snapshot.Open("../collectors/snapshot/testdata/realworld")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	return &Env{Sources: s.Sources(), Config: &cfg, Log: zerolog.Nop()}
}

// Issue 9 and issue 18 items 5-6 through get_traces on a snapshot.
func TestGetTracesOnRealWorldFormats(t *testing.T) {
	env := realworldEnv(t)
	var out GetTracesOutput
	res := callTool(t, env, "get_traces", `{"start":"2025-12-01T09:00:00Z","end":"2025-12-01T21:00:00Z"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	for _, w := range out.Warnings {
		if strings.Contains(w, "6h") {
			t.Errorf("a snapshot has no X-Ray 6h limit, yet: %s", w)
		}
	}
	if len(out.FailureGroups) == 0 || out.FailureGroups[0].Count != 2 || out.FailureGroups[0].Path != "order-api > DynamoDB PutItem (400)" ||
		out.FailureGroups[0].Exception != "AccessDeniedException" {
		t.Fatalf("failure groups = %+v", out.FailureGroups)
	}
	txt := text(res)
	if !strings.Contains(txt, "order-api > DynamoDB PutItem (400) — AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/order-api-task/4f2c9b1e is not authorized to perform: dynamodb:PutItem") {
		t.Errorf("text lacks the deepest failing call:\n%s", txt)
	}
	for _, s := range out.Slowest {
		if s.ResponseTime < 0 {
			t.Errorf("negative response time %+v", s)
		}
	}
	for _, s := range out.Services {
		if s.AvgResp < 0 || (s.Name == "DynamoDB" && s.Total != 3) {
			t.Errorf("service %+v", s)
		}
	}
	res = callTool(t, env, "get_traces", `{"filter_expression":"fault = true AND http.status = 503"}`, &out)
	if res.IsError || out.Matched != 1 {
		t.Errorf("fault = true: %d matched: %s", out.Matched, text(res))
	}
	res = callTool(t, env, "get_traces", `{"trace_ids":["1-692d6924-0123456789abcdef0123456b","1-692d6921-0123456789abcdef01234568"]}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	txt = text(res)
	if strings.Contains(txt, "[ 400]") || !strings.Contains(txt, "[400]") || !strings.Contains(txt, "IN PROGRESS") || strings.Contains(txt, "ms -") {
		t.Errorf("trees:\n%s", txt)
	}
}

// Issue 18 items 1 and 7 through query_cloudtrail.
func TestQueryCloudTrailOnRealWorldFormats(t *testing.T) {
	env := realworldEnv(t)
	var out QueryCloudTrailOutput
	res := callTool(t, env, "query_cloudtrail", `{"start":"2025-12-01T09:00:00Z","end":"2025-12-01T10:00:00Z"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if len(out.RecentChanges) == 0 || out.RecentChanges[0].Name != "RevokeSecurityGroupIngress" {
		t.Fatalf("recent changes = %+v", out.RecentChanges)
	}
	txt := text(res)
	for _, want := range []string{"RevokeSecurityGroupIngress by assumed-role/AdminAccess/jane.doe in the console", "[AWS service autoscaling.amazonaws.com]",
		"INSIGHT ApiCallRateInsight Start", "by account 444455556666 (AIDAQRSTUVWXYZEXAMPLE)"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	res = callTool(t, env, "query_cloudtrail", `{"principals":["444455556666"],"only_mutating":false,"start":"2025-12-01T09:00:00Z","end":"2025-12-01T10:00:00Z"}`, &out)
	if res.IsError || out.Matched != 2 {
		t.Errorf("by account id: %d: %s", out.Matched, text(res))
	}
	res = callTool(t, env, "query_cloudtrail", `{"errors_only":true,"start":"2025-12-01T09:00:00Z","end":"2025-12-01T10:00:00Z"}`, &out)
	if res.IsError || out.Matched != 2 {
		t.Errorf("errors: %d: %s", out.Matched, text(res))
	}
	// Nothing matched: lists are empty, never null.
	res = callTool(t, env, "query_cloudtrail", `{"event_names":["NoSuchCall"],"start":"2025-12-01T09:00:00Z","end":"2025-12-01T10:00:00Z"}`, nil)
	raw := structuredJSON(t, res)
	for _, key := range []string{`"recent_changes":[]`, `"events":[]`, `"summary":[]`} {
		if !strings.Contains(raw, key) {
			t.Errorf("empty result lacks %s: %s", key, raw)
		}
	}
}

// structuredJSON is a result's structured content as JSON text.
func structuredJSON(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	if res.IsError {
		t.Fatal(text(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Issue 18 item 4 through query_access_logs.
func TestQueryAccessLogsOnRealWorldFormats(t *testing.T) {
	env := realworldEnv(t)
	var out QueryAccessLogsOutput
	res := callTool(t, env, "query_access_logs", `{"start":"2025-12-01T09:00:00Z","end":"2025-12-01T11:00:00Z","group_by":"target"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	txt := text(res)
	for _, want := range []string{"tg/orders-fn (Lambda)", "(redirect)", "(fixed-response)", "tg/orders-ecs (no target)"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	res = callTool(t, env, "query_access_logs", `{"start":"2025-12-01T09:00:00Z","end":"2025-12-01T11:00:00Z","target":"tg/orders-fn"}`, &out)
	if res.IsError || out.Totals.Requests != 2 || out.Latency == nil {
		t.Errorf("Lambda target group: %+v: %s", out.Totals, text(res))
	}
}

// Issue 18 item 8 through get_alarms.
func TestGetAlarmsOnRealWorldFormats(t *testing.T) {
	env := realworldEnv(t)
	var out GetAlarmsOutput
	res := callTool(t, env, "get_alarms", `{}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	byName := map[string]AlarmView{}
	for _, a := range out.Alarms {
		byName[a.Name] = a
	}
	if a := byName["orders-latency-anomaly"]; a.ThresholdMetricID != "ad1" || a.PeriodSeconds != 60 || len(a.Datapoints) != 2 || !a.Datapoints[1].Breaching {
		t.Errorf("anomaly alarm = %+v", a)
	}
	if c := byName["orders-degraded"]; len(c.Triggering) != 2 {
		t.Errorf("composite = %+v", c)
	}
	txt := text(res)
	for _, want := range []string{
		"orders-5xx-rate since 2025-12-01T10:05:30Z metric math GreaterThanThreshold 5 over 2×300s",
		`measures 100 * m2 / m1 ("5xx %") where m1 = AWS/ApplicationELB RequestCount (LoadBalancer=app/orders-alb/50dc6c495c0c9188) Sum 300s, m2 = AWS/ApplicationELB HTTPCode_Target_5XX_Count (LoadBalancer=app/orders-alb/50dc6c495c0c9188) Sum 300s`,
		"measures m1 against ANOMALY_DETECTION_BAND(m1, 2) where m1 = AWS/ApplicationELB TargetResponseTime (LoadBalancer=app/orders-alb/50dc6c495c0c9188, TargetGroup=targetgroup/orders-ecs/73e2d6bc24d8a067) p99 60s",
		"rule names orders-5xx-rate: ALARM since 2025-12-01T10:05:30Z, 100 * m2 / m1",
		"anomaly detection LessThanLowerOrGreaterThanUpperThreshold band ad1 over 2×60s",
		"triggered by orders-latency-anomaly (ALARM since 2025-12-01T10:03:04Z)",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	if w := out.SuggestedWindow; w == nil || w.Start.Format("15:04") != "09:40" {
		t.Errorf("suggested window = %+v", w)
	}
}
