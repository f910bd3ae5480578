package snapshot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// fixtureWindow is the window of testdata/changes.
var fixtureWindow = telemetry.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}

func openFixture(t *testing.T) *Store {
	t.Helper()
	s, err := Open("testdata/changes")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAccessLogStatsReadsPlainAndGzipAndReportsMalformedLines(t *testing.T) {
	s := openFixture(t)
	res, err := s.AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: fixtureWindow, GroupBy: telemetry.GroupByTarget, IncludeRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	// 3 good lines in the plain file, 2 in the gzip file inside the window
	// (one is at 11:00, outside), one malformed line in each.
	if res.Totals.Requests != 5 || res.Totals.ELB5xx != 2 || res.Totals.Target5xx != 2 || res.Totals.ELB4xx != 2 || res.Totals.Target4xx != 1 {
		t.Errorf("totals = %+v", res.Totals)
	}
	if len(res.Stats.Warnings) < 2 || !strings.Contains(res.Stats.Warnings[0], "prod-web_0905.log:3:") || !strings.Contains(res.Stats.Warnings[1], "prod-web_0935.log.gz:3:") ||
		!strings.Contains(res.Stats.Warnings[1], "elb_status_code") {
		t.Errorf("warnings = %q, want both malformed lines with file and line", res.Stats.Warnings)
	}
	if len(res.TopFailingTargets) == 0 || res.TopFailingTargets[0].Key != "10.0.1.88:8080" || res.TopFailingTargets[0].Target5xx != 2 {
		t.Errorf("top failing targets = %+v", res.TopFailingTargets)
	}
	if len(res.Rows) != 2 || res.Rows[0].URL != "https://shop.example.com:443/.env" || res.Rows[0].Target != "" || res.Rows[0].TargetTime != -1 {
		t.Errorf("rows = %+v, want the two newest, the fixed-response first", res.Rows)
	}
	bad := res.TopFailingTargets[0].Latency
	if bad == nil || bad.P50 != 0.05 || bad.P99 != 0.06 {
		t.Errorf("latency of the failing target = %+v", bad)
	}
}

func TestAccessLogStatsFilters(t *testing.T) {
	s := openFixture(t)
	cases := []struct {
		q    telemetry.AccessLogQuery
		want int64
	}{
		{telemetry.AccessLogQuery{StatusMin: 500}, 2},
		{telemetry.AccessLogQuery{StatusCodes: []int{404, 200}}, 3},
		{telemetry.AccessLogQuery{PathPrefix: "/api/cart"}, 1},
		{telemetry.AccessLogQuery{Method: "POST"}, 3},
		{telemetry.AccessLogQuery{Target: "10.0.1.88:8080"}, 2},
		{telemetry.AccessLogQuery{Target: "10.0.1.88"}, 2},
		{telemetry.AccessLogQuery{ClientIP: "45.148.10.2"}, 1},
		{telemetry.AccessLogQuery{Window: telemetry.Window{Start: fixtureWindow.Start, End: fixtureWindow.Start.Add(30 * time.Minute)}}, 3},
	}
	for i, tc := range cases {
		if tc.q.Window.Start.IsZero() {
			tc.q.Window = fixtureWindow
		}
		tc.q.GroupBy = telemetry.GroupByPath
		res, err := s.AccessLogStats(context.Background(), tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Totals.Requests != tc.want {
			t.Errorf("case %d: %d requests, want %d", i, res.Totals.Requests, tc.want)
		}
	}
	res, err := s.AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: fixtureWindow, GroupBy: telemetry.GroupByPath})
	if err != nil {
		t.Fatal(err)
	}
	// Busiest first; equal counts in key order, so the order is fixed.
	var got []string
	for _, g := range res.Groups {
		got = append(got, fmt.Sprintf("%s=%d", g.Key, g.Requests))
	}
	if strings.Join(got, " ") != "/api/checkout=3 /.env=1 /api/cart/*=1" {
		t.Errorf("path groups = %v, want /api/checkout=3 /.env=1 /api/cart/*=1", got)
	}
}

func TestCloudTrailEventsFromDeliveryFiles(t *testing.T) {
	s := openFixture(t)
	res, err := s.CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: fixtureWindow, OnlyMutating: true})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ev := range res.Events {
		names = append(names, ev.ID)
	}
	if strings.Join(names, ",") != "e-rollback,e-login,e-update,e-register,e-denied" {
		t.Errorf("mutating events = %v (newest first, reads left out)", names)
	}
	warn := strings.Join(res.Stats.Warnings, "\n")
	if !strings.Contains(warn, "trail_0915.json: record 3") || !strings.Contains(warn, "truncated.json") {
		t.Errorf("warnings = %q, want the bad record and the truncated file", warn)
	}
	var register telemetry.CloudTrailEvent
	for _, ev := range res.Events {
		if ev.ID == "e-register" {
			register = ev
		}
	}
	if len(register.Request) < 2 || !strings.Contains(strings.Join(register.Request[:2], " "), "staging/checkout/db") {
		t.Errorf("the secret should lead the request parameters: %v", register.Request)
	}

	for _, tc := range []struct {
		q    telemetry.CloudTrailQuery
		want string
	}{
		{telemetry.CloudTrailQuery{Principals: []string{"deploy-pipeline"}}, "e-update,e-register"},
		{telemetry.CloudTrailQuery{Principals: []string{"arn:aws:iam::123456789012:role/deploy-pipeline"}}, "e-update,e-register"},
		{telemetry.CloudTrailQuery{Principals: []string{"alice"}, EventNames: []string{"updateservice"}}, "e-rollback"},
		{telemetry.CloudTrailQuery{Resource: "staging/checkout"}, "e-secret,e-register"},
		{telemetry.CloudTrailQuery{ErrorsOnly: true}, "e-denied"},
		{telemetry.CloudTrailQuery{EventSources: []string{"secretsmanager.amazonaws.com"}}, "e-secret"},
		{telemetry.CloudTrailQuery{Limit: 2}, "e-rollback,e-login"},
	} {
		tc.q.Window = fixtureWindow
		res, err := s.CloudTrailEvents(context.Background(), tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ev := range res.Events {
			got = append(got, ev.ID)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%+v: got %v, want %s", tc.q, got, tc.want)
		}
		if tc.q.Limit == 2 && res.Stats.Partial == "" {
			t.Error("a limit that cuts events must say so")
		}
	}
}

func TestSecurityFindingsFromSnapshot(t *testing.T) {
	s := openFixture(t)
	res, err := s.SecurityFindings(context.Background(), telemetry.FindingQuery{Window: fixtureWindow})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.ID)
	}
	// Suppressed, archived, out-of-window and malformed findings are left out.
	if strings.Join(ids, ",") != "sh-ec2-19,sh-s3-1,gd-probe" {
		t.Errorf("findings = %v", ids)
	}
	if w := strings.Join(res.Stats.Warnings, "\n"); !strings.Contains(w, "securityhub.json: finding 6") {
		t.Errorf("warnings = %q, want the finding without an id", w)
	}
	gd := res.Findings[2]
	if gd.Severity != "LOW" || gd.Count != 37 || gd.Resource != "i-0b7c" || gd.Type != "Recon:EC2/PortProbeUnprotectedPort" {
		t.Errorf("GuardDuty finding = %+v", gd)
	}
	res, _ = s.SecurityFindings(context.Background(), telemetry.FindingQuery{Window: fixtureWindow, MinSeverity: "MEDIUM", Sources: []string{telemetry.FindingSourceSecurityHub}})
	if len(res.Findings) != 2 {
		t.Errorf("MEDIUM+ Security Hub findings = %+v", res.Findings)
	}
}
