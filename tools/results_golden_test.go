package tools

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"regexp"
	"testing"
)

var updateResults = flag.Bool("update-results", false, "rewrite tools/testdata/results/*.json from the tools run on examples/demo")

// TestDemoResultsMatchGoldenFiles runs every tool with no arguments (and a few
// with arguments) on the demo snapshot and compares the whole result (text, structured content,
// isError) with a file. It pins behaviour across refactors: moving work
// between packages must not change a byte a client sees. After a deliberate
// change: go test ./tools -run DemoResults -update-results
func TestDemoResultsMatchGoldenFiles(t *testing.T) {
	g := newGoldenDir(t, filepath.Join("testdata", "results"), *updateResults, "go test ./tools -run DemoResults -update-results")
	env := snapshotEnv(t, demoSnapshot)
	type run struct{ name, tool, args string }
	var runs []run
	for _, tool := range Catalogue() {
		runs = append(runs, run{tool.Name, tool.Name, `{}`})
	}
	// select_metrics needs a question and get_alarms hides history by
	// default: these runs cover the reduction work behind them too.
	runs = append(runs,
		run{"select_metrics.question", "select_metrics", `{"question":"checkout returns 5xx"}`},
		run{"select_metrics.points", "select_metrics", `{"question":"database connections","max_metrics":3,"include_points":true}`},
		run{"select_metrics.explicit", "select_metrics", `{"metrics":[{"namespace":"AWS/ApplicationELB","metric_name":"HTTPCode_Target_5XX_Count","dimensions":{"TargetGroup":"targetgroup/checkout-api-tg/6d0ecf831eec9f09","LoadBalancer":"app/prod-web/50dc6c495c0c9188"}},{"namespace":"AWS/RDS","metric_name":"DatabaseConnections","dimensions":{"DBClusterIdentifier":"checkout-db"},"stat":"Maximum"},{"namespace":"AWS/Lambda","metric_name":"Errors"}]}`},
		run{"get_alarms.history", "get_alarms", `{"include_history":true}`},
		run{"get_alarms.firing", "get_alarms", `{"state":"ALARM"}`},
	)
	for _, r := range runs {
		tool, err := Find(r.tool)
		if err != nil {
			t.Fatal(err)
		}
		res := call(t, env, tool, r.args)
		got, err := json.MarshalIndent(struct {
			IsError    bool   `json:"isError"`
			Text       string `json:"text"`
			Structured any    `json:"structured"`
		}{res.IsError, text(res), res.StructuredContent}, "", "  ")
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		got = append(wallClock.ReplaceAll(got, []byte(`$1"<wall clock>"`)), '\n')
		g.check(r.name+".json", r.tool+" "+r.args+" on examples/demo", got)
	}
	g.stale()
}

// wallClock matches fields that hold when a result was made (a report's
// "generated" time), not what it says: they differ on every run, so the
// comparison masks them.
var wallClock = regexp.MustCompile(`("generated": )"[^"]*"`)
