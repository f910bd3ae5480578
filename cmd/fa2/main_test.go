package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const demoSnapshot = "../../examples/demo"

// runCLI runs fa2 with args and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunPrintsStructuredJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "run", "query_logs", "--snapshot", demoSnapshot, "--json", `{"mode":"patterns","limit":3}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Matched  int `json:"matched"`
		Patterns []struct {
			Template string `json:"template"`
		} `json:"patterns"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if len(res.Patterns) != 3 || !strings.Contains(res.Patterns[0].Template, "password authentication failed") {
		t.Errorf("patterns = %+v", res.Patterns)
	}
}

func TestRunErrors(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"run", "query_logs", "--snapshot", demoSnapshot, "--json", `{"mode":"nope"}`}, 1, `mode "nope" is not known`},
		{[]string{"run", "query_logs", "--snapshot", demoSnapshot, "--json", `{"mode":`}, 2, "not valid JSON"},
		{[]string{"run", "no_such_tool", "--snapshot", demoSnapshot}, 2, `no tool named "no_such_tool"`},
		{[]string{"run"}, 2, "Usage: fa2 run TOOL"},
		{[]string{"run", "query_logs", "--snapshot", "/does/not/exist"}, 1, "snapshot directory"},
		{[]string{"run", "query_logs", "--snapshot", demoSnapshot, "--log-level", "loud"}, 1, "--log-level"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{}, 2, "Usage:"},
	}
	for _, tc := range cases {
		code, out, errOut := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.inStderr) {
			t.Errorf("fa2 %v: exit %d stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.inStderr)
		}
		if tc.code != 0 && out != "" {
			t.Errorf("fa2 %v wrote to stdout on failure: %q", tc.args, out)
		}
	}
}

func TestToolsListsSchemas(t *testing.T) {
	code, out, _ := runCLI(t, "tools")
	if code != 0 || !strings.Contains(out, `"name": "query_logs"`) || !strings.Contains(out, `"inputSchema"`) {
		t.Errorf("exit %d: %s", code, out)
	}
}

func TestConfigMasksSecrets(t *testing.T) {
	t.Setenv("FA2_SLACK_BOT_TOKEN", "xoxb-secret")
	t.Setenv("FA2_LOGS_GROUPS", "/ecs/a,/ecs/b")
	code, out, errOut := runCLI(t, "config", "--region", "eu-central-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "xoxb-secret") || !strings.Contains(out, "bot_token: '***'") || !strings.Contains(out, "region: eu-central-1") || !strings.Contains(out, "- /ecs/b") {
		t.Errorf("config output:\n%s", out)
	}
	code, out, _ = runCLI(t, "config", "--keys")
	if code != 0 || !strings.Contains(out, "FA2_ATHENA_ALB_TABLE") {
		t.Errorf("config --keys: exit %d\n%s", code, out)
	}
}

func TestDemoFindsTheRootCause(t *testing.T) {
	code, out, errOut := runCLI(t, "demo", "--snapshot", demoSnapshot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Each line below is computed by a tool from the demo incident's data
	// (not echoed from the static step list): the alarms' suggested window,
	// the first error bin of the histogram, the top failure pattern with its
	// count, and the failing traces' root cause.
	for _, want := range []string{
		"suggested window: 2026-11-20T09:08:00Z .. 2026-11-20T10:00:00Z",
		"2026-11-20T09:22     14 FATAL=7 ERROR=7",
		`1593× FATAL 09:22:43..09:49:36`,
		`FATAL: password authentication failed for user "checkout_app"`,
		"141× fault 09:22:57..09:49:34 checkout-api > HikariPool-1.getConnection > checkout-db",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	// The root cause must lead: the first pattern is the database login failure.
	if i, j := strings.Index(out, "1593× FATAL"), strings.Index(out, "3718× INFO"); i < 0 || j < 0 || i > j {
		t.Errorf("the password failure pattern should come before the INFO noise")
	}
}

func TestPatternsCommand(t *testing.T) {
	path := t.TempDir() + "/app.log"
	lines := "Connection to 10.0.0.1 refused after 30 ms\nConnection to 10.0.0.2 refused after 41 ms\nuser alice logged in\n"
	if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "patterns", "--format", "jsonl", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 3 || !strings.Contains(rows[0], `"line":1`) || !strings.Contains(rows[0], "Connection to <ip> refused after <dur>") {
		t.Errorf("jsonl output:\n%s", out)
	}
	if code, _, errOut := runCLI(t, "patterns", "--format", "xml", path); code != 2 || errOut == "" {
		t.Errorf("bad format: exit %d, stderr %q", code, errOut)
	}
}

func TestReportFindingsAndInvestigateCharts(t *testing.T) {
	code, out, errOut := runCLI(t, "report", "findings", "--snapshot", demoSnapshot, "--min-severity", "MEDIUM")
	if code != 0 || !strings.Contains(out, "# Security findings report") || strings.Contains(out, "PortProbe") {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	if code, _, errOut := runCLI(t, "report", "findings", "--snapshot", demoSnapshot, "--format", "pdf"); code != 2 || !strings.Contains(errOut, "--out") {
		t.Fatalf("pdf without --out: exit %d, %s", code, errOut)
	}
	dir := t.TempDir()
	pdf := dir + "/findings.pdf"
	if code, _, errOut := runCLI(t, "report", "findings", "--snapshot", demoSnapshot, "--format", "pdf", "--out", pdf); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("no PDF written: %v", err)
	}
	set := dir + "/set"
	if code, _, errOut := runCLI(t, "investigate", "--snapshot", demoSnapshot, "--quiet", "--charts", set); code != 0 {
		t.Fatalf("investigate --charts: exit %d: %s", code, errOut)
	}
	for _, f := range []string{"report.md", "report.pdf", "diagram.png", "chart-1-httpcode-target-5xx-count.png"} {
		if _, err := os.Stat(set + "/" + f); err != nil {
			t.Errorf("investigate --charts did not write %s", f)
		}
	}
}
