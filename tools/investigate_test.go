package tools

import (
	"encoding/json"
	"strings"
	"testing"
)

// investigate over MCP: the bundle as structured content, its Markdown as
// text, bad input as isError with what to do.
func TestInvestigateToolOnDemo(t *testing.T) {
	env := demoEnv(t)
	var out struct {
		Onset    *string `json:"onset"`
		Suspects []struct {
			EventName  string  `json:"event_name"`
			Likelihood string  `json:"likelihood"`
			Score      float64 `json:"score"`
			Why        string  `json:"why"`
		} `json:"suspects"`
		Evidence []struct {
			ID        string `json:"id"`
			Reproduce string `json:"reproduce"`
		} `json:"evidence"`
		Tokens    int  `json:"tokens"`
		Budget    int  `json:"budget"`
		Truncated bool `json:"truncated"`
	}
	res := callTool(t, env, "investigate", `{"budget":5000}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if out.Budget != 5000 || out.Tokens > 5000 || out.Onset == nil {
		t.Errorf("budget %d tokens %d onset %v", out.Budget, out.Tokens, out.Onset)
	}
	if len(out.Suspects) == 0 || out.Suspects[0].Likelihood != "likely" || !strings.Contains(text(res), out.Suspects[0].Why) {
		t.Errorf("suspects %+v must lead with the likely deploy, shown in the text too", out.Suspects)
	}
	if len(out.Evidence) == 0 || out.Evidence[0].ID != "E1" || !strings.HasPrefix(out.Evidence[0].Reproduce, "fa2 run ") {
		t.Errorf("evidence %+v", out.Evidence)
	}
	b, _ := json.Marshal(res.StructuredContent)
	if len(b) > env.Config.Limits.MaxOutputBytes {
		t.Errorf("structured content is %d bytes, over the %d limit", len(b), env.Config.Limits.MaxOutputBytes)
	}
	// A window given as relative times resolves against the snapshot.
	if res := callTool(t, env, "investigate", `{"start":"-40m","end":"now","language":"ja"}`, nil); res.IsError || !strings.Contains(text(res), "疑わしい変更") {
		t.Errorf("relative window, Japanese: %s", clip(text(res), 300))
	}
	for args, says := range map[string]string{
		`{"alarm_name":"nope"}`: "no alarm named",
		`{"budget":500}`:        "at least 1000",
		`{"start":"2026-12-01T00:00:00Z","end":"2026-12-01T01:00:00Z"}`: "no source has any telemetry",
		`{"start":"yesterday"}`:             "RFC 3339",
		`{"language":"fr"}`:                 "en or ja",
		`{"alarm":"checkout-api-5xx-high"}`: "unknown argument",
	} {
		res := callTool(t, env, "investigate", args, nil)
		if !res.IsError || !strings.Contains(text(res), says) {
			t.Errorf("%s: isError %v %q, want it to say %q", args, res.IsError, clip(text(res), 200), says)
		}
	}
}

// select_metrics ranks by what moved at the onset: the database
// connections falling on the demo outrank a flat load-balancer 5xx count
// that only matches the question's words.
func TestSelectMetricsRanksTheDropAboveAFlatNameMatch(t *testing.T) {
	env := demoEnv(t)
	var out SelectMetricsOutput
	res := callTool(t, env, "select_metrics", `{"question":"checkout-api returns 5xx errors","start":"2026-11-20T09:08:00Z","end":"2026-11-20T10:00:00Z","max_metrics":30}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	rank := map[string]int{}
	for i, m := range out.Metrics {
		rank[m.MetricName] = i + 1
	}
	if rank["DatabaseConnections"] == 0 || rank["HTTPCode_ELB_5XX_Count"] != 0 && rank["DatabaseConnections"] > rank["HTTPCode_ELB_5XX_Count"] {
		t.Errorf("DatabaseConnections ranks %d, the flat HTTPCode_ELB_5XX_Count %d", rank["DatabaseConnections"], rank["HTTPCode_ELB_5XX_Count"])
	}
	if rank["DatabaseConnections"] > 8 {
		t.Errorf("DatabaseConnections ranks %d, outside the default 8", rank["DatabaseConnections"])
	}
}
