package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSnapshotCommandCapturesAnAlarmsIncident re-captures the demo around
// its alarm with redaction, as a user would, and reads the result back.
func TestSnapshotCommandCapturesAnAlarmsIncident(t *testing.T) {
	out := filepath.Join(t.TempDir(), "incident")
	code, stdout, stderr := runCLI(t, "snapshot", "--snapshot", demoSnapshot, "--alarm", "checkout-api-5xx-high", "--out", out, "--redact", "--max-traces", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote "+out) || !strings.Contains(stdout, "redacted distinct values: ip=") {
		t.Errorf("stdout:\n%s", stdout)
	}
	// Progress goes to stderr, one line per source when not on a terminal.
	for _, src := range []string{"alarms", "logs", "traces", "metrics", "cloudtrail", "access_logs", "findings"} {
		if !strings.Contains(stderr, src) {
			t.Errorf("no progress for %s on stderr:\n%s", src, stderr)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Window   struct{ Start, End string }
		Title    string
		Redacted bool
		Captured []struct {
			Source string
			Items  int
			Cut    string
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	// The alarm fired at 09:26; its suggested window starts 15 minutes
	// before the first breaching datapoint.
	if m.Window.Start != "2026-11-20T09:08:00Z" || !m.Redacted || m.Title != "alarm checkout-api-5xx-high" {
		t.Errorf("manifest %s", b)
	}
	for _, c := range m.Captured {
		if c.Source == "traces" && (c.Items != 100 || c.Cut == "") {
			t.Errorf("--max-traces 100: traces %+v", c)
		}
	}
	code, stdout, stderr = runCLI(t, "run", "get_alarms", "--snapshot", out, "--text")
	if code != 0 || !strings.Contains(stdout, "checkout-api-5xx-high") {
		t.Errorf("the captured snapshot does not read back: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestSnapshotCommandErrors(t *testing.T) {
	existing := t.TempDir()
	cases := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"snapshot", "--snapshot", demoSnapshot}, 2, "--out DIR is required"},
		{[]string{"snapshot", "--snapshot", demoSnapshot, "--out", existing}, 1, "already exists"},
		{[]string{"snapshot", "--snapshot", demoSnapshot, "--out", existing + "/x", "--alarm", "nope"}, 1, `no alarm named "nope"`},
		{[]string{"snapshot", "--snapshot", demoSnapshot, "--out", existing + "/x", "--alarm", "a", "--start", "-1h"}, 2, "not both"},
		{[]string{"snapshot", "--snapshot", demoSnapshot, "--out", existing + "/x", "--start", "yesterday-ish"}, 1, "--start"},
		{[]string{"snapshot", "--snapshot", demoSnapshot, "--out", existing + "/x", "--start", "-10m", "--end", "-20m"}, 1, "is not before"},
	}
	for _, tc := range cases {
		code, _, errOut := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.inStderr) {
			t.Errorf("fa2 %v: exit %d stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.inStderr)
		}
	}
	if _, err := os.Stat(existing + "/x"); err == nil {
		t.Error("a failed capture left its folder behind")
	}
}
