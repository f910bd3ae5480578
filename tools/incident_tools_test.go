package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/awslive"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
)

func demoEnv(t *testing.T) *Env {
	t.Helper()
	s, err := snapshot.Open("../examples/demo")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Architecture = s.Manifest().Architecture
	return &Env{Sources: s.Sources(), Config: &cfg, Log: zerolog.Nop()}
}

// callTool runs a tool by name and decodes its structured result into out; it returns
// the result so callers can check isError and the text.
func callTool(t *testing.T, env *Env, tool, args string, out any) *mcp.CallToolResult {
	t.Helper()
	tl, err := Find(tool)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tl.Call(context.Background(), env, json.RawMessage(args))
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError && out != nil {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

func structuredSize(t *testing.T, res *mcp.CallToolResult) int {
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func TestGetAlarmsOnTheDemo(t *testing.T) {
	env := demoEnv(t)
	var out GetAlarmsOutput
	res := callTool(t, env, "get_alarms", `{"include_history":true}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	w := out.SuggestedWindow
	if w == nil || !w.Start.Equal(time.Date(2026, 11, 20, 9, 8, 0, 0, time.UTC)) || !w.End.Equal(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("suggested window = %+v", w)
	}
	var alarm *AlarmView
	for i := range out.Alarms {
		if out.Alarms[i].Name == "checkout-api-5xx-high" {
			alarm = &out.Alarms[i]
		}
	}
	if alarm == nil || alarm.State != "OK" || len(alarm.History) != 2 || alarm.History[1].To != "ALARM" || !alarm.History[1].Time.Equal(time.Date(2026, 11, 20, 9, 26, 0, 312e6, time.UTC)) {
		t.Fatalf("5xx alarm = %+v", alarm)
	}
	breaching := 0
	for _, dp := range alarm.History[1].Datapoints {
		if dp.Breaching {
			breaching++
		}
	}
	if breaching != 3 || alarm.MetricName != "HTTPCode_Target_5XX_Count" || len(alarm.Dimensions) != 2 {
		t.Errorf("ALARM transition datapoints = %+v", alarm.History[1].Datapoints)
	}
	if out.Counts["OK"] != 5 || out.Counts["INSUFFICIENT_DATA"] != 1 || !strings.Contains(text(res), "suggested window: 2026-11-20T09:08:00Z") {
		t.Errorf("counts %v, text:\n%s", out.Counts, text(res))
	}

	// Without history the transitions are not shown, the window still is.
	out = GetAlarmsOutput{}
	callTool(t, env, "get_alarms", `{"names":["checkout-api-5xx-high"]}`, &out)
	if len(out.Alarms) != 1 || out.Alarms[0].History != nil || out.SuggestedWindow == nil {
		t.Errorf("names only = %+v", out)
	}
}

func TestGetAlarmsRejectsBadInput(t *testing.T) {
	env := demoEnv(t)
	for args, want := range map[string]string{
		`{"state":"FIRING"}`:                    "not an alarm state",
		`{"names":["a"],"name_prefix":"b"}`:     "cannot be combined",
		`{"state":"ALARM","include_hist":true}`: "unknown argument",
	} {
		res := callTool(t, env, "get_alarms", args, nil)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: %v %q, want an error with %q", args, res.IsError, text(res), want)
		}
	}
}

func TestGetTracesOnTheDemo(t *testing.T) {
	env := demoEnv(t)
	var out GetTracesOutput
	res := callTool(t, env, "get_traces", `{"start":"2026-11-20T09:08:00Z","filter_expression":"fault OR error"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if out.Faults == 0 || len(out.FailureGroups) == 0 {
		t.Fatalf("no faults: %+v", out)
	}
	g := out.FailureGroups[0]
	if g.Count != out.Faults || g.Exception != "PSQLException" || !strings.Contains(g.Message, `password authentication failed for user "checkout_app"`) ||
		g.Path != "checkout-api > HikariPool-1.getConnection > checkout-db (SQL PostgreSQL)" || len(g.ExampleIDs) != 3 {
		t.Errorf("top group = %+v", g)
	}
	if g.First.Before(time.Date(2026, 11, 20, 9, 22, 50, 0, time.UTC)) || g.Last.After(time.Date(2026, 11, 20, 9, 49, 40, 0, time.UTC)) {
		t.Errorf("faults outside revision 42's time: %s..%s", g.First, g.Last)
	}
	if len(out.Services) == 0 || len(out.Slowest) == 0 {
		t.Errorf("services/slowest missing: %+v", out)
	}

	// The example ids open as trees showing the revision and the exception.
	var detail GetTracesOutput
	callTool(t, env, "get_traces", fmt.Sprintf(`{"trace_ids":["%s","1-00000000-000000000000000000000000"]}`, g.ExampleIDs[0]), &detail)
	if len(detail.Traces) != 1 || len(detail.Warnings) != 1 || detail.Faults != 1 {
		t.Fatalf("detail = %+v", detail)
	}
	root := detail.Traces[0].Tree[0]
	if root.Annotations["task_revision"] != "42" || root.Status != "fault" || root.Children[0].Children[0].Exception == "" {
		t.Errorf("tree = %+v", root)
	}
}

func TestGetTracesRejectsBadInput(t *testing.T) {
	env := demoEnv(t)
	ids := strings.Repeat(`"x",`, 11)
	for args, want := range map[string]string{
		`{"filter_expression":"annotation.x = 1"}`:                      "is not supported",
		`{"filter_expression":"fault AND"}`:                             "position 10",
		`{"limit":20000}`:                                               "out of range",
		`{"trace_ids":[` + strings.TrimSuffix(ids, ",") + `]}`:          "at most 10",
		`{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T09:00:00Z"}`: "before start",
	} {
		res := callTool(t, env, "get_traces", args, nil)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: %q, want an error with %q", args, text(res), want)
		}
	}
}

func TestSelectMetricsOnTheDemo(t *testing.T) {
	env := demoEnv(t)
	var out SelectMetricsOutput
	res := callTool(t, env, "select_metrics", `{"question":"checkout-api returns 5xx errors","start":"2026-11-20T09:08:00Z","end":"2026-11-20T10:00:00Z"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if len(out.Metrics) != 8 || out.PeriodSeconds != 60 || !out.Baseline.Start.Equal(time.Date(2026, 11, 20, 8, 16, 0, 0, time.UTC)) {
		t.Fatalf("out = %+v", out)
	}
	rank := map[string]int{}
	for i, m := range out.Metrics {
		rank[m.MetricName] = i + 1
	}
	if rank["HTTPCode_Target_5XX_Count"] != 1 || rank["DatabaseConnections"] == 0 || rank["Invocations"] == 0 || rank["MemoryUtilization"] != 0 {
		t.Errorf("ranking = %v", rank)
	}
	top := out.Metrics[0]
	if top.Stat != "Sum" || len(top.Departures) != 1 || top.Departures[0].Direction != "above" || *top.BaselineMean != 0 || len(top.Sample) == 0 || len(top.Sample) > 10 {
		t.Errorf("5xx = %+v", top)
	}
	for _, m := range out.Metrics {
		if m.MetricName == "DatabaseConnections" && (len(m.Departures) == 0 || m.Departures[0].Direction != "below" || *m.ChangePct > -20) {
			t.Errorf("connections did not drop: %+v", m)
		}
	}
	if n := structuredSize(t, res); n > 20000 {
		t.Errorf("select_metrics output is %d bytes", n)
	}
}

func TestSelectMetricsExplicitAndErrors(t *testing.T) {
	env := demoEnv(t)
	var out SelectMetricsOutput
	res := callTool(t, env, "select_metrics", `{"metrics":[{"namespace":"AWS/RDS","metric_name":"DatabaseConnections","dimensions":{"DBClusterIdentifier":"checkout-db"}}],"include_points":true}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if len(out.Metrics) != 1 || out.Metrics[0].Stat != "Average" || len(out.Metrics[0].AllPoints) != 60 || out.Metrics[0].Sample != nil {
		t.Fatalf("explicit = %+v", out.Metrics)
	}
	for args, want := range map[string]string{
		`{}`:                                    "give a question or metrics",
		`{"question":"x","max_metrics":99}`:     "out of range",
		`{"metrics":[{"namespace":"AWS/RDS"}]}`: "lacks namespace or metric_name",
	} {
		res := callTool(t, env, "select_metrics", args, nil)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: %q, want an error with %q", args, text(res), want)
		}
	}
}

// liveEnv wires the live collectors to fake endpoints.
func liveEnv(t *testing.T, s *awsfake.Server) *Env {
	cfg := config.Default()
	return &Env{Sources: awslive.New(s.Config(), &cfg).Sources(), Config: &cfg, Log: zerolog.Nop()}
}

func TestGetTracesStaysSmallOnTensOfThousandsOfTraces(t *testing.T) {
	t0 := time.Now().UTC().Add(-30 * time.Minute)
	n := 0
	s := awsfake.New(t)
	s.Handle("POST /TraceSummaries", func(c awsfake.Call) awsfake.Reply {
		var sums []any
		for i := 0; i < 1000; i++ {
			n++
			// Every trace fails differently, so nothing groups.
			sums = append(sums, map[string]any{"Id": fmt.Sprintf("1-%08x-%024d", t0.Unix(), n), "StartTime": float64(t0.Unix()), "ResponseTime": float64(n%997) / 100,
				"HasFault": true, "Http": map[string]any{"HttpMethod": "GET", "HttpURL": "https://x/" + strings.Repeat("p", 100), "HttpStatus": 500},
				"FaultRootCauses": []any{map[string]any{"Services": []any{map[string]any{"Name": "svc", "EntityPath": []any{
					map[string]any{"Name": "svc"}, map[string]any{"Name": fmt.Sprintf("dep-%d", n), "Exceptions": []any{map[string]any{"Name": "E", "Message": strings.Repeat("m", 200)}}}}}}}}})
		}
		return awsfake.OK(map[string]any{"TraceSummaries": sums, "TracesProcessedCount": 1000, "NextToken": "more"})
	})
	s.Handle("POST /ServiceGraph", awsfake.Always(awsfake.OK(map[string]any{"Services": []any{}})))
	env := liveEnv(t, s)
	var out GetTracesOutput
	res := callTool(t, env, "get_traces", `{"start":"-1h","limit":10000}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if size := structuredSize(t, res); size > env.Config.Limits.MaxOutputBytes {
		t.Errorf("structured result is %d bytes, over %d", size, env.Config.Limits.MaxOutputBytes)
	}
	if !out.Truncated || out.Hint == "" || out.Matched != 10000 || len(out.FailureGroups) == 0 || len(out.FailureGroups) >= 10000 {
		t.Errorf("truncated=%v hint=%q matched=%d groups=%d", out.Truncated, out.Hint, out.Matched, len(out.FailureGroups))
	}
	if got := len(s.Calls("POST /TraceSummaries")); got != 10 {
		t.Errorf("%d GetTraceSummaries pages read, want 10 (the cap)", got)
	}
}

func TestSelectMetricsStaysSmallOnThousandsOfMetrics(t *testing.T) {
	var queries int
	s := awsfake.New(t)
	s.Handle("DescribeAlarms", awsfake.Always(awsfake.OK(nil)))
	s.Handle("ListMetrics", func(c awsfake.Call) awsfake.Reply {
		var ms []any
		for i := 0; i < 500; i++ {
			ms = append(ms, map[string]any{"Namespace": c.Params["Namespace"], "MetricName": fmt.Sprintf("Errors%d", i),
				"Dimensions": []any{map[string]any{"Name": "FunctionName", "Value": fmt.Sprintf("fn-%v-%d", c.Params["NextToken"], i)}}})
		}
		return awsfake.OK(map[string]any{"Metrics": ms, "NextToken": fmt.Sprintf("%v+", c.Params["NextToken"])})
	})
	s.Handle("GetMetricData", func(c awsfake.Call) awsfake.Reply {
		qs := c.Params["MetricDataQueries"].([]any)
		queries += len(qs)
		start := c.Params["StartTime"].(time.Time)
		var res []any
		for qi, q := range qs {
			var ts []time.Time
			var vs []float64
			for m := 0; m < 120; m++ {
				ts = append(ts, start.Add(time.Duration(m)*time.Minute))
				v := 1.0
				if m > 60+qi%50 {
					v = float64(qi)
				}
				vs = append(vs, v)
			}
			res = append(res, map[string]any{"Id": q.(map[string]any)["Id"], "Timestamps": ts, "Values": vs, "StatusCode": "Complete"})
		}
		return awsfake.OK(map[string]any{"MetricDataResults": res})
	})
	env := liveEnv(t, s)
	var out SelectMetricsOutput
	res := callTool(t, env, "select_metrics", `{"question":"lambda errors","max_metrics":30,"include_points":true}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if size := structuredSize(t, res); size > env.Config.Limits.MaxOutputBytes {
		t.Errorf("structured result is %d bytes, over %d", size, env.Config.Limits.MaxOutputBytes)
	}
	// The caps written out (2,000 candidates listed, 100 fetched), so a
	// changed constant fails here instead of moving the expectation with it.
	if !out.Truncated || out.Candidates != 2000 || out.Fetched != 100 || queries != 100 || len(out.Metrics) == 0 {
		t.Errorf("truncated=%v candidates=%d fetched=%d queries=%d metrics=%d", out.Truncated, out.Candidates, out.Fetched, queries, len(out.Metrics))
	}
	if ns := s.Calls("ListMetrics")[0].Params["Namespace"]; ns != "AWS/Lambda" {
		t.Errorf("listed namespace %v, want AWS/Lambda from the question", ns)
	}
}

func TestGetAlarmsLiveErrorsAndCaps(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("DescribeAlarms", awsfake.Always(awsfake.Denied()))
	res := callTool(t, liveEnv(t, s), "get_alarms", `{}`, nil)
	if !res.IsError || !strings.Contains(text(res), "cloudwatch:DescribeAlarms") {
		t.Errorf("access denied: %q", text(res))
	}

	n := 0
	s = awsfake.New(t)
	s.Handle("DescribeAlarms", func(awsfake.Call) awsfake.Reply {
		var as []any
		for i := 0; i < 100; i++ {
			n++
			as = append(as, map[string]any{"AlarmName": fmt.Sprintf("alarm-%05d", n), "StateValue": "ALARM", "StateReason": strings.Repeat("r", 300),
				"StateUpdatedTimestamp": time.Now().Add(-time.Hour), "Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Period": 60, "EvaluationPeriods": 1})
		}
		return awsfake.OK(map[string]any{"MetricAlarms": as, "NextToken": "more"})
	})
	s.Handle("DescribeAlarmHistory", awsfake.Always(awsfake.Throttled("Throttling")))
	env := liveEnv(t, s)
	var out GetAlarmsOutput
	res = callTool(t, env, "get_alarms", `{"state":"ALARM"}`, &out)
	if res.IsError {
		t.Fatal(text(res))
	}
	if size := structuredSize(t, res); size > env.Config.Limits.MaxOutputBytes {
		t.Errorf("structured result is %d bytes", size)
	}
	if !out.Truncated || out.Omitted == 0 || out.Counts["ALARM"] != 1000 || out.SuggestedWindow == nil || len(out.Warnings) == 0 {
		t.Errorf("truncated=%v omitted=%d counts=%v window=%v warnings=%v", out.Truncated, out.Omitted, out.Counts, out.SuggestedWindow, out.Warnings)
	}
	if st := s.Calls("DescribeAlarms")[0].Params["StateValue"]; st != "ALARM" {
		t.Errorf("StateValue sent = %v", st)
	}
}
