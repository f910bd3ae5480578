package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/fa2/fa2/tools"
)

// demoStep is one tool call of the demo walkthrough.
type demoStep struct {
	title string
	tool  string
	args  string
}

// demoSteps follow an on-call engineer's path through the incident. Steps
// whose tool is not in the catalogue are skipped.
var demoSteps = []demoStep{
	{"Everything at once: what happened, and what changed to cause it?", "investigate", `{"budget":4000}`},
	{"Which alarms fired, and when should we look?", "get_alarms", `{"include_history":true}`},
	{"When did errors start?", "query_logs", `{"mode":"histogram","filter":"/ERROR|FATAL|Exception/"}`},
	{"What is failing, across every log line of the window?", "query_logs", `{"mode":"patterns","limit":12}`},
	{"The newest errors, verbatim", "query_logs", `{"mode":"events","filter":"ERROR","limit":5}`},
	{"Where do the failing requests fail?", "get_traces", `{"start":"2026-11-20T09:08:00Z","end":"2026-11-20T10:00:00Z","filter_expression":"fault OR error"}`},
	{"What else moved?", "select_metrics", `{"question":"checkout-api returns 5xx errors","start":"2026-11-20T09:08:00Z","end":"2026-11-20T10:00:00Z"}`},
	{"What changed just before the alarm?", "query_cloudtrail", `{"end":"2026-11-20T09:26:00Z","start":"2026-11-20T09:00:00Z","limit":5}`},
	{"Which requests failed, and on which targets?", "query_access_logs", `{"path":"/api/checkout","group_by":"target"}`},
	{"Any security findings in the window?", "get_findings", `{}`},
}

func runDemo(ctx context.Context, env *tools.Env, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "fa2 demo — %s\n\n", env.Sources.Name)
	for _, step := range demoSteps {
		tool, err := tools.Find(step.tool)
		if err != nil {
			continue
		}
		fmt.Fprintf(stdout, "== %s\n$ fa2 run %s --json '%s'\n", step.title, step.tool, step.args)
		res, err := tool.Call(ctx, env, json.RawMessage(step.args))
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stdout, resultText(res))
		if res.IsError {
			return 1
		}
	}
	return 0
}
