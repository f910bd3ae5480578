package evidence

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func TestFlattenParamsKeepsTellingKeysWithinBudget(t *testing.T) {
	raw := json.RawMessage(`{"family":"checkout-api","containerDefinitions":[{"environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
		"image":"repo/checkout:2.14.0","secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:us-east-1:1:secret:staging/db"}],
		"cpu":256,"essential":true,"mountPoints":[]}],"tags":null}`)
	got := FlattenParams(raw, 200)
	if len(got) < 2 || got[0] != "containerDefinitions[0].secrets[0].name=DB_PASSWORD" || !strings.HasSuffix(got[1], "secret:staging/db") {
		t.Errorf("secrets must come first: %q", got)
	}
	if last := got[len(got)-1]; !strings.HasPrefix(last, "…") || !strings.Contains(last, "more parameters") {
		t.Errorf("a cut must be counted: %q", got)
	}
	if all := FlattenParams(raw, 10000); len(all) != 10 || !containsString(all, "containerDefinitions[0].cpu=256") {
		t.Errorf("all leaves = %q", all)
	}
	if FlattenParams(json.RawMessage(`null`), 100) != nil || FlattenParams(nil, 100) != nil || FlattenParams(json.RawMessage(`{bad`), 100) != nil {
		t.Error("empty or invalid parameters must flatten to nothing")
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestPrincipalMatching(t *testing.T) {
	rec := func(identity string) *CloudTrailRecord {
		r, err := ParseCloudTrailRecord([]byte(`{"eventTime":"2026-11-20T09:20:05Z","eventSource":"ecs.amazonaws.com","eventName":"UpdateService","userIdentity":` + identity + `}`))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	role := rec(`{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/deploy-pipeline/codebuild-7781","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/deploy-pipeline","userName":"deploy-pipeline"}}}`)
	user := rec(`{"type":"IAMUser","arn":"arn:aws:iam::1:user/ops/alice","userName":"alice"}`)
	cases := []struct {
		r    *CloudTrailRecord
		p    string
		want bool
	}{
		{role, "deploy-pipeline", true},
		{role, "Deploy-Pipeline", true},
		{role, "arn:aws:iam::1:role/deploy-pipeline", true},
		{role, "arn:aws:sts::1:assumed-role/deploy-pipeline/codebuild-7781", true},
		{role, "arn:aws:sts::1:assumed-role/deploy-pipeline/other-session", false},
		{role, "codebuild-7781", true},
		{role, "deploy", false},
		{user, "alice", true},
		{user, "arn:aws:iam::1:user/ops/alice", true},
		{user, "arn:aws:iam::1:user/bob", false},
		{user, "deploy-pipeline", false},
	}
	for _, tc := range cases {
		if got := tc.r.principalIs(tc.p); got != tc.want {
			t.Errorf("principalIs(%q) on %s = %v, want %v", tc.p, tc.r.Principal(), got, tc.want)
		}
	}
}

func TestRecentChangesAndSummary(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 20, 9, m, 0, 0, time.UTC) }
	events := []telemetry.CloudTrailEvent{
		{Time: at(50), Name: "UpdateService", Source: "ecs", Principal: "alice"},
		{Time: at(40), Name: "RegisterTargets", Source: "elb", Principal: "ecs-role", InvokedBy: "ecs.amazonaws.com"},
		{Time: at(31), Name: "ConsoleLogin", Source: "signin", Principal: "alice"},
		{Time: at(25), Name: "PutObject", Source: "s3", Principal: "export", Category: "Data"},
		{Time: at(21), Name: "UpdateService", Source: "ecs", Principal: "deploy"},
		{Time: at(20), Name: "RegisterTaskDefinition", Source: "ecs", Principal: "deploy"},
		{Time: at(15), Name: "DescribeServices", Source: "ecs", Principal: "deploy", ReadOnly: true},
		{Time: at(7), Name: "PutParameter", Source: "ssm", Principal: "ci", ErrorCode: "AccessDenied"},
	}
	got := RecentChanges(events, at(26), 5)
	if len(got) != 2 || got[0].Name != "UpdateService" || got[1].Name != "RegisterTaskDefinition" {
		t.Errorf("recent changes before 09:26 = %+v", got)
	}
	sum := SummarizeCloudTrail(events)
	if len(sum) != 8 || !sum[0].Mutating || sum[len(sum)-1].Name != "DescribeServices" {
		t.Errorf("summary = %+v, want write calls first", sum)
	}
	for _, g := range sum {
		if g.Name == "PutParameter" && g.Errors != 1 {
			t.Errorf("errors not counted: %+v", g)
		}
	}
}

func TestPercentilesAndPathKeys(t *testing.T) {
	var v []float64
	for i := 1; i <= 100; i++ {
		v = append(v, float64(i)/1000)
	}
	p := Percentiles(v)
	if p.P50 != 0.05 || p.P90 != 0.09 || p.P99 != 0.099 {
		t.Errorf("percentiles = %+v", p)
	}
	if Percentiles(nil) != nil {
		t.Error("no values, no percentiles")
	}
	for in, want := range map[string]string{
		"https://shop.example.com:443/api/cart/crt-3fa2b1/items?x=1": "/api/cart/*/items",
		"https://shop.example.com:443/api/checkout":                  "/api/checkout",
		"https://shop.example.com:443":                               "/",
		"*":                                                          "*",
	} {
		if got := PathKey(URLPath(in)); got != want {
			t.Errorf("PathKey(URLPath(%q)) = %q, want %q", in, got, want)
		}
	}
}

func TestFindingSeverities(t *testing.T) {
	for score, want := range map[float64]string{0.5: "INFORMATIONAL", 2: "LOW", 3.9: "LOW", 4: "MEDIUM", 7.5: "HIGH", 9: "CRITICAL"} {
		if got := GuardDutyLabel(score); got != want {
			t.Errorf("GuardDutyLabel(%v) = %s, want %s", score, got, want)
		}
	}
	if !SeverityAtLeast("HIGH", "MEDIUM") || SeverityAtLeast("LOW", "MEDIUM") || !SeverityAtLeast("LOW", "") {
		t.Error("SeverityAtLeast is wrong")
	}
	fs := []telemetry.Finding{
		{Severity: "LOW", Type: "Recon:EC2/PortProbeUnprotectedPort"},
		{Severity: "CRITICAL", ControlID: "EC2.19"},
		{Severity: "MEDIUM", ControlID: "S3.1"},
		{Severity: "LOW", Type: "Recon:EC2/PortProbeUnprotectedPort"},
	}
	SortFindings(fs)
	s := SummarizeFindings(fs)
	if fs[0].ControlID != "EC2.19" || s.BySeverity["LOW"] != 2 || s.ByType[0].Type != "EC2.19" || s.ByType[2].Count != 2 {
		t.Errorf("sorted %+v summary %+v", fs, s)
	}
}
