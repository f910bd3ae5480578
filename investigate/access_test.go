package investigate

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// The load balancer's own refusals are counted apart from the 4xx targets
// answer, and only a clear rise over the baseline counts as one.
func TestSplitAccessCountsRefusalsNoTargetAnswered(t *testing.T) {
	start := time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)
	minute := func(d time.Duration, c telemetry.AccessLogCounts) telemetry.AccessLogGroup {
		return telemetry.AccessLogGroup{Key: start.Add(d).Format("2006-01-02T15:04"), AccessLogCounts: c}
	}
	m := &telemetry.AccessLogStats{Groups: []telemetry.AccessLogGroup{
		// Baseline: targets answer 404s (passed on as the load balancer's 4xx too), 3 refusals.
		minute(-2*time.Minute, telemetry.AccessLogCounts{Requests: 100, ELB4xx: 12, Target4xx: 10}),
		minute(-time.Minute, telemetry.AccessLogCounts{Requests: 100, ELB4xx: 11, Target4xx: 10}),
		// Window: the same 404s, and 60 refusals a minute.
		minute(0, telemetry.AccessLogCounts{Requests: 100, ELB4xx: 70, Target4xx: 10, ELB5xx: 1}),
		minute(time.Minute, telemetry.AccessLogCounts{Requests: 100, ELB4xx: 70, Target4xx: 10}),
	}}
	s := splitAccess(m, start)
	if s.refused != 120 || s.baseRefused != 3 || !s.refusalsRose() {
		t.Errorf("refused %d (baseline %d), rose %v; want 120, 3, true", s.refused, s.baseRefused, s.refusalsRose())
	}
	if s.fails != 1 || s.baseFails != 0 || !s.failuresRose() || !s.first.Equal(start) {
		t.Errorf("5xx %d from %s; want 1 from %s", s.fails, s.first, start)
	}
	// A handful more refusals is clients' noise, not a rise.
	few := &telemetry.AccessLogStats{Groups: []telemetry.AccessLogGroup{
		minute(-time.Minute, telemetry.AccessLogCounts{Requests: 100, ELB4xx: 1}),
		minute(0, telemetry.AccessLogCounts{Requests: 100, ELB4xx: 6}),
	}}
	if s := splitAccess(few, start); s.refusalsRose() {
		t.Errorf("6 refusals after 1 read as a rise")
	}
}

// Status codes say who answered them and what the load balancer did: a
// WAF's 403s are the load balancer's, a target's 500s are the target's.
func TestAccessCodesSayWhoAnswered(t *testing.T) {
	st := &telemetry.AccessLogStats{
		Groups: []telemetry.AccessLogGroup{
			{Key: "500", AccessLogCounts: telemetry.AccessLogCounts{Requests: 17}},
			{Key: "403", AccessLogCounts: telemetry.AccessLogCounts{Requests: 1656}},
			{Key: "502", AccessLogCounts: telemetry.AccessLogCounts{Requests: 4}},
		},
		Rows: []telemetry.AccessLogRow{
			{ELBStatus: 403, TargetStatus: "", ActionsExecuted: "waf"},
			{ELBStatus: 403, TargetStatus: "-", ActionsExecuted: "waf,forward"},
			{ELBStatus: 500, TargetStatus: "500", ActionsExecuted: "forward"},
			{ELBStatus: 502, TargetStatus: "", ActionsExecuted: "forward"},
			{ELBStatus: 502, TargetStatus: "502", ActionsExecuted: "forward"},
		},
	}
	codes := accessCodes(st)
	if len(codes) != 3 {
		t.Fatalf("codes = %+v", codes)
	}
	want := []string{"403 ×1656 (from the load balancer, actions waf)", "500 ×17 (from targets)", "502 ×4 (1 of the newest from the load balancer, 1 from targets)"}
	for i, w := range want {
		if codes[i].text != w {
			t.Errorf("code %d = %q, want %q", i, codes[i].text, w)
		}
	}
	if !codes[0].fromLB || codes[1].fromLB {
		t.Errorf("fromLB = %v, %v; want true, false", codes[0].fromLB, codes[1].fromLB)
	}
}

// A WAF's BLOCK records and a flow log's REJECTs carry no level, yet they
// are refusals: warnings at least, so new ones are failure evidence.
func TestRefusalLinesAreWarnings(t *testing.T) {
	for _, line := range []string{
		`{"action":"BLOCK","formatVersion":1,"terminatingRuleId":"api-rate-limit"}`,
		`{"action": "DENY", "rule": "egress"}`,
		`ts=2026-11-24T16:02:40Z action=DROP src=10.0.1.5`,
		`2 123456789012 eni-0a1b <ip> <ip> 443 49152 6 3 180 1700000000 1700000060 REJECT OK`,
	} {
		if !refusalLine.MatchString(line) {
			t.Errorf("not a refusal: %s", line)
		}
	}
	for _, line := range []string{
		`{"action":"ALLOW","formatVersion":1}`,
		`2 123456789012 eni-0a1b <ip> <ip> 443 49152 6 3 180 1700000000 1700000060 ACCEPT OK`,
		`user clicked "Reject all cookies"`,
	} {
		if refusalLine.MatchString(line) {
			t.Errorf("read as a refusal: %s", line)
		}
	}
}
