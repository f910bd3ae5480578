package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryCloudTrailOnDemoPointsAtTheDeploy(t *testing.T) {
	env := demoEnv(t)
	var out QueryCloudTrailOutput
	res := callTool(t, env, "query_cloudtrail", `{"start":"2026-11-20T09:00:00Z","end":"2026-11-20T09:26:00Z"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if len(out.RecentChanges) < 2 || out.RecentChanges[0].Name != "UpdateService" || out.RecentChanges[1].Name != "RegisterTaskDefinition" {
		t.Fatalf("recent changes = %+v, want the deploy's UpdateService then RegisterTaskDefinition", out.RecentChanges)
	}
	if !strings.Contains(strings.Join(out.RecentChanges[1].Request, " "), "secret:staging/checkout/db") {
		t.Errorf("the staging secret must be visible in the registered task definition: %v", out.RecentChanges[1].Request)
	}
	for _, ev := range out.Events {
		if ev.ReadOnly {
			t.Errorf("only_mutating defaults to true, got read %s", ev.Name)
		}
	}
	// Reads on request: the new task's execution role fetched the staging secret.
	res = callTool(t, env, "query_cloudtrail", `{"event_names":["GetSecretValue"],"only_mutating":false,"resource":"staging/checkout"}`, &out)
	if res.IsError || len(out.Events) != 2 {
		t.Fatalf("staging secret reads = %d: %s", len(out.Events), text(res))
	}
	if res := callTool(t, env, "query_cloudtrail", `{"limit":0.5}`, nil); !res.IsError || !strings.Contains(text(res), `"limit"`) {
		t.Error("a fractional limit must be rejected")
	}
	if res := callTool(t, env, "query_cloudtrail", `{"limit":9999}`, nil); !res.IsError || !strings.Contains(text(res), "limit") {
		t.Errorf("an out-of-range limit must be an actionable error: %s", text(res))
	}
}

func TestQueryAccessLogsOnDemoShowsTheFailingTargets(t *testing.T) {
	env := demoEnv(t)
	var out QueryAccessLogsOutput
	res := callTool(t, env, "query_access_logs", `{"path":"/api/checkout","group_by":"target","include_rows":3,"status_min":500}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if out.Totals.Requests == 0 || out.Totals.Requests != out.Totals.ELB5xx || out.Totals.Target5xx != out.Totals.ELB5xx {
		t.Errorf("every checkout 5xx comes from a target: %+v", out.Totals)
	}
	keys := map[string]bool{}
	for _, g := range out.Groups {
		keys[g.Key] = true
	}
	if len(keys) != 2 || !keys["10.0.1.88:8080"] || !keys["10.0.2.104:8080"] {
		t.Errorf("failing targets = %v, want exactly the revision 42 task IPs", keys)
	}
	if len(out.Rows) != 3 || out.Rows[0].ELBStatus != 500 {
		t.Errorf("rows = %+v", out.Rows)
	}
	var minutes QueryAccessLogsOutput
	callTool(t, env, "query_access_logs", `{"group_by":"minute","path":"/api/checkout"}`, &minutes)
	first5xx, last5xx := "", ""
	for _, g := range minutes.Groups {
		if g.ELB5xx > 0 {
			if first5xx == "" {
				first5xx = g.Key
			}
			last5xx = g.Key
		}
	}
	if first5xx != "2026-11-20T09:22" || last5xx != "2026-11-20T09:49" {
		t.Errorf("5xx minutes run %s..%s, want 09:22..09:49", first5xx, last5xx)
	}
	for _, bad := range []string{`{"group_by":"host"}`, `{"client_ip":"x' OR 1=1"}`, `{"target":"not-an-ip"}`, `{"path":"api"}`, `{"status_min":42}`} {
		if res := callTool(t, env, "query_access_logs", bad, nil); !res.IsError {
			t.Errorf("%s must be rejected", bad)
		}
	}
}

func TestGetFindingsOnDemo(t *testing.T) {
	env := demoEnv(t)
	var out GetFindingsOutput
	res := callTool(t, env, "get_findings", `{}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if out.Matched != 3 || out.Findings[0].ControlID != "EC2.19" || out.Summary.BySeverity["LOW"] != 1 {
		t.Errorf("findings = %+v summary %+v", out.Findings, out.Summary)
	}
	callTool(t, env, "get_findings", `{"source":"guardduty","min_severity":"low"}`, &out)
	if out.Matched != 1 || out.Findings[0].Type != "Recon:EC2/PortProbeUnprotectedPort" {
		t.Errorf("guardduty findings = %+v", out.Findings)
	}
	if res := callTool(t, env, "get_findings", `{"min_severity":"SEVERE"}`, nil); !res.IsError || !strings.Contains(text(res), "LOW, MEDIUM, HIGH or CRITICAL") {
		t.Errorf("an unknown severity must be rejected, naming the accepted ones: %q", text(res))
	}
}

func TestIssue4OutputsStayBounded(t *testing.T) {
	env := demoEnv(t)
	env.Config.Limits.MaxOutputBytes = 3000
	for tool, args := range map[string]string{
		"query_cloudtrail":  `{"only_mutating":false,"limit":500}`,
		"query_access_logs": `{"group_by":"minute","include_rows":50}`,
		"get_findings":      `{}`,
	} {
		res := callTool(t, env, tool, args, nil)
		b, _ := json.Marshal(res.StructuredContent)
		if res.IsError || len(b) > 3000 {
			t.Errorf("%s: %d bytes (isError %v), want at most 3000", tool, len(b), res.IsError)
		}
	}
}

// Findings are standing state: a finding last updated days before the
// incident window is still returned without start/end, and a time filter
// still works for those who ask for one.
func TestGetFindingsReturnsActiveFindingsWhateverTheirUpdateTime(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../collectors/snapshot/testdata/changes/securityhub.json")
	if err != nil {
		t.Fatal(err)
	}
	manifest := `{"format":"fa2-snapshot/1","window":{"start":"2026-11-25T09:00:00Z","end":"2026-11-25T10:00:00Z"}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "securityhub.json"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	env := snapshotEnv(t, dir)
	var all GetFindingsOutput
	if res := callTool(t, env, "get_findings", `{}`, &all); res.IsError {
		t.Fatal(text(res))
	}
	if all.Matched == 0 || !all.Window.Start.IsZero() {
		t.Fatalf("get_findings {} on a window days after the findings' updates = %d findings (window %v), want the active ones", all.Matched, all.Window)
	}
	var inWindow GetFindingsOutput
	if res := callTool(t, env, "get_findings", `{"start":"2026-11-25T09:00:00Z","end":"2026-11-25T10:00:00Z"}`, &inWindow); res.IsError {
		t.Fatal(text(res))
	}
	if inWindow.Matched != 0 {
		t.Errorf("with a time filter, findings updated days earlier must be left out: %+v", inWindow.Findings)
	}
	var older GetFindingsOutput
	callTool(t, env, "get_findings", `{"start":"2026-11-20T09:00:00Z","end":"2026-11-20T10:00:00Z"}`, &older)
	if older.Matched == 0 || older.Matched > all.Matched {
		t.Errorf("findings updated 2026-11-20 09:00..10:00 = %d of %d", older.Matched, all.Matched)
	}
}
