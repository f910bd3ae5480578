package tools

import (
	"strings"
	"testing"
)

func TestFindingsReportOnTheDemo(t *testing.T) {
	env := snapshotEnv(t, "../examples/demo")
	res := call(t, env, FindingsReport(), `{}`)
	if res.IsError {
		t.Fatalf("error: %s", text(res))
	}
	md := text(res)
	// The critical control comes first with the product's remediation; the
	// suppressed and archived findings are not in the report.
	crit := strings.Index(md, "[CRITICAL] Security groups should not allow unrestricted access")
	if crit < 0 || !strings.Contains(md, "https://docs.aws.amazon.com/console/securityhub/EC2.19/remediation") {
		t.Fatalf("critical finding or its remediation missing:\n%s", md)
	}
	if strings.Contains(md, "IAM.6") || strings.Contains(md, "SSHBruteForce") {
		t.Fatalf("suppressed or archived finding reported:\n%s", md)
	}
	var out struct {
		Total      int `json:"total"`
		BySeverity []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		} `json:"by_severity"`
	}
	structured(t, res, &out)
	if out.Total != 3 || len(out.BySeverity) != 3 || out.BySeverity[0].Key != "CRITICAL" {
		t.Fatalf("counts: %+v", out)
	}

	// Focusing on a resource and a product narrows the report.
	res = call(t, env, FindingsReport(), `{"product":"guardduty","resources":["i-0b7c1d2e3f4a5b6c7"],"language":"ja"}`)
	md = text(res)
	if !strings.Contains(md, "セキュリティ検出結果レポート") || !strings.Contains(md, "PortProbeUnprotectedPort") || strings.Contains(md, "EC2.19") {
		t.Fatalf("focused Japanese report:\n%s", md)
	}
}

func TestFindingsReportRejectsBadInput(t *testing.T) {
	env := snapshotEnv(t, "../examples/demo")
	for args, want := range map[string]string{
		`{"product":"inspector"}`:   "product",
		`{"min_severity":"URGENT"}`: "min_severity",
		`{"language":"fr"}`:         "language",
	} {
		res := call(t, env, FindingsReport(), args)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: want an error naming %s, got %s", args, want, text(res))
		}
	}
}
