package tools

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

const demoSnapshot = "../examples/demo"

func TestAnalyzeFailureWithoutAModelPointsAtInvestigate(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	env.Config.Bedrock.ModelID = ""
	res := call(t, env, AnalyzeFailure(), `{"description":"api errors"}`)
	if !res.IsError {
		t.Fatalf("no error: %s", text(res))
	}
	msg := text(res)
	for _, want := range []string{"no Bedrock model is configured", "call investigate and reason over its evidence bundle itself", "bedrock.model_id", "bedrock:InvokeModel"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
}

func TestAnalyzeFailureRejectsBadInput(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	for _, args := range []string{`{"mode":"deep"}`, `{"language":"fr"}`, `{"max_steps":99}`, `{"start":"yesterday"}`} {
		if res := call(t, env, AnalyzeFailure(), args); !res.IsError {
			t.Errorf("%s accepted", args)
		}
	}
}

// The whole tool over the demo snapshot with a scripted model: the agent
// calls real catalogue tools, their text reaches the model, progress is
// reported per step, and the report comes back as Markdown and JSON.
func TestAnalyzeFailureOverTheDemo(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if call == 0 {
			return conversefake.Reply{Text: "Checking alarms and logs.", ToolUses: []conversefake.ToolUse{
				{ToolUseID: "a", Name: "get_alarms", Input: json.RawMessage(`{}`)},
				{ToolUseID: "b", Name: "query_logs", Input: json.RawMessage(`{"log_groups":["/ecs/checkout-api"],"mode":"patterns"}`)}}}
		}
		return conversefake.Reply{Text: "```json\n" + `{"title":"checkout-api cannot read its DB secret","summary":"s","root_cause":{"text":"r","confidence":"medium","severity":"high","citations":["T1","T2"]},"hypotheses":[{"title":"h","status":"open","supporting":["T2"],"contradicting":[]}]}` + "\n```"}
	})
	env := snapshotEnv(t, demoSnapshot)
	env.Config.Architecture = "ALB → checkout-api → Aurora"
	env.Model = bedrock.New(fake.AWSConfig(), env.Config.Bedrock, zerolog.Nop())
	// Progress comes from every source the investigation reads in
	// parallel, so the recorder must be safe for concurrent use, as the
	// Progress contract requires of every implementation.
	var (
		mu       sync.Mutex
		progress []string
	)
	ctx := WithProgress(context.Background(), func(done, total float64, msg string) {
		mu.Lock()
		defer mu.Unlock()
		progress = append(progress, msg)
	})
	res, err := AnalyzeFailure().Call(ctx, env, json.RawMessage(`{"description":"checkout returns 5xx","mode":"agent","max_steps":4}`))
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("tool error: %s", text(res))
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	second := fake.Requests()[1]
	results := second.LastResults()
	if len(results) != 2 || results[0].Status == "error" || !strings.Contains(results[0].ResultText(), "T1 get_alarms") ||
		!strings.Contains(results[1].ResultText(), "checkout") {
		t.Fatalf("tool results reaching the model: %+v", results)
	}
	if names := strings.Join(second.ToolNames(), ","); strings.Contains(names, "analyze_failure") || !strings.Contains(names, "query_logs") {
		t.Errorf("tools offered to the model: %s", names)
	}
	if !strings.Contains(*second.System[0].Text, "ALB → checkout-api → Aurora") {
		t.Error("the architecture is not in the system prompt")
	}
	md := text(res)
	if !strings.Contains(md, "# checkout-api cannot read its DB secret") || !strings.Contains(md, "## Tool calls") {
		t.Errorf("Markdown:\n%s", md)
	}
	var out struct {
		Usage struct {
			ModelCalls int `json:"model_calls"`
		} `json:"usage"`
		ToolCalls []any `json:"tool_calls"`
	}
	structured(t, res, &out)
	if out.Usage.ModelCalls != 2 || len(out.ToolCalls) != 2 {
		t.Errorf("structured: %+v", out)
	}
	joined := strings.Join(progress, "\n")
	if !strings.Contains(joined, "step 1/4: T1 get_alarms") || !strings.Contains(joined, "step 1/4: T2 query_logs") {
		t.Errorf("progress: %s", joined)
	}
}

func TestMCPPrompts(t *testing.T) {
	cfg := snapshotEnv(t, smallSnapshot)
	srv := NewMCPServer(cfg, "test")
	ctx := context.Background()
	srv.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	list, _ := json.Marshal(srv.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":2,"method":"prompts/list"}`)))
	for _, want := range []string{`"investigate-alarm"`, `"security-review"`, `"alarm_name"`} {
		if !strings.Contains(string(list), want) {
			t.Errorf("prompts/list lacks %s: %s", want, list)
		}
	}
	got, _ := json.Marshal(srv.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{"name":"investigate-alarm","arguments":{"alarm_name":"checkout-5xx","language":"ja"}}}`)))
	if !strings.Contains(string(got), "checkout-5xx") || !strings.Contains(string(got), "根本原因") {
		t.Errorf("prompts/get: %s", got)
	}
}

func TestAgentToolboxReportsToolErrors(t *testing.T) {
	env := snapshotEnv(t, smallSnapshot)
	box := AgentToolbox(env)
	out := box.Call(context.Background(), "query_logs", json.RawMessage(`{"log_groups":["/nope"],"start":"2020-01-01T00:00:00Z","end":"2020-01-01T01:00:00Z"}`))
	if !out.IsError || strings.TrimSpace(out.Text) == "" {
		t.Fatalf("%+v", out)
	}
	if out := box.Call(context.Background(), "analyze_failure", nil); !out.IsError {
		t.Error("the agent can call analyze_failure")
	}
}

// BenchmarkAnalyzeFailureDemo measures one analysis of the demo incident
// with a scripted model: its calls and tokens, and fa2's own time (wall
// time minus the time spent waiting for the model).
//
//	go test -run '^$' -bench AnalyzeFailureDemo -benchtime 5x ./tools/
func BenchmarkAnalyzeFailureDemo(b *testing.B) {
	for _, mode := range []string{"oneshot", "agent"} {
		b.Run(mode, func(b *testing.B) {
			fake := conversefake.New(b, func(call int, req *conversefake.Request) conversefake.Reply {
				if req.ToolConfig != nil && len(req.Messages) == 1 {
					return conversefake.Reply{Text: "Checking.", ToolUses: []conversefake.ToolUse{
						{ToolUseID: "a", Name: "get_alarms", Input: json.RawMessage(`{}`)},
						{ToolUseID: "b", Name: "query_logs", Input: json.RawMessage(`{"mode":"patterns"}`)},
						{ToolUseID: "c", Name: "query_cloudtrail", Input: json.RawMessage(`{}`)}}}
				}
				return conversefake.Reply{Text: "```json\n" + `{"summary":"s","root_cause":{"text":"r","confidence":"medium","severity":"high","citations":["E1"]}}` + "\n```"}
			})
			env := snapshotEnv(b, demoSnapshot)
			env.Model = bedrock.New(fake.AWSConfig(), env.Config.Bedrock, zerolog.Nop())
			var calls, in, out, own int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := RunAnalysis(context.Background(), env, AnalyzeFailureInput{Description: "checkout returns 5xx", Mode: mode})
				if err != nil {
					b.Fatal(err)
				}
				calls += int64(r.Usage.ModelCalls)
				in += int64(r.Usage.InputTokens)
				out += int64(r.Usage.OutputTokens)
				own += r.Usage.WallMillis - r.Usage.ModelMillis
			}
			n := float64(b.N)
			b.ReportMetric(float64(calls)/n, "model-calls/op")
			b.ReportMetric(float64(in)/n, "input-tokens/op")
			b.ReportMetric(float64(out)/n, "output-tokens/op")
			b.ReportMetric(float64(own)/n, "ms-without-model/op")
		})
	}
}

// A question about metrics is answered from the metrics select_metrics
// picks for it, in one call without tools.
func TestAnalyzeFailureInsight(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: "Checkout latency rose from 0.1 s to 2.4 s at 09:31 while cart-api stayed flat."}
	})
	env := snapshotEnv(t, demoSnapshot)
	env.Model = bedrock.New(fake.AWSConfig(), env.Config.Bedrock, zerolog.Nop())
	r, err := RunAnalysis(context.Background(), env, AnalyzeFailureInput{Description: "How did checkout response time behave?", Mode: "insight"})
	if err != nil {
		t.Fatal(err)
	}
	req := fake.Requests()[0]
	if len(fake.Requests()) != 1 || req.ToolConfig != nil || !strings.Contains(req.Text(), "TargetResponseTime") || !strings.Contains(req.Text(), "How did checkout response time behave?") {
		t.Fatalf("%d requests; tools %v\n%s", len(fake.Requests()), req.ToolNames(), req.Text())
	}
	md := r.Markdown()
	if r.Mode != "insight" || !strings.Contains(md, "## Answer\n\nCheckout latency rose") || strings.Contains(md, "## Root cause") {
		t.Errorf("insight report:\n%s", md)
	}
	if _, err := RunAnalysis(context.Background(), env, AnalyzeFailureInput{Mode: "insight"}); err == nil {
		t.Error("insight without a question accepted")
	}
}

func TestAutoTakesADayScaleQuestionForMetrics(t *testing.T) {
	day := telemetry.Window{Start: time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	onset := day.End.Add(-time.Hour)
	q := AnalyzeFailureInput{Description: "how busy was the API yesterday?"}
	if !metricsQuestion(q, &investigate.Bundle{Window: day}) {
		t.Error("a question over a quiet day is not a metrics question")
	}
	if metricsQuestion(AnalyzeFailureInput{Description: "checkout fails"}, &investigate.Bundle{Window: day, Onset: &onset}) {
		t.Error("a statement over a day with an onset is an incident")
	}
	if !metricsQuestion(q, &investigate.Bundle{Window: day, Onset: &onset}) {
		t.Error("a question over a day is about metrics even with an onset")
	}
	if metricsQuestion(AnalyzeFailureInput{Description: "x", AlarmName: "a"}, &investigate.Bundle{Window: day}) {
		t.Error("an alarm makes it an incident")
	}
	if metricsQuestion(q, &investigate.Bundle{Window: telemetry.Window{Start: day.End.Add(-time.Hour), End: day.End}}) {
		t.Error("an hour is incident-scale")
	}
}

// Bedrock denies the model in the middle of an agent run over the demo:
// analyze_failure still answers (not isError), the notice first, with the
// engine's suspects, the tool call already made, and the gap to fix.
func TestAnalyzeFailureDegradesWhenBedrockFails(t *testing.T) {
	fake := conversefake.New(t, conversefake.FailFrom(1, conversefake.AccessDenied, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{ToolUses: []conversefake.ToolUse{{ToolUseID: "a", Name: "get_alarms", Input: json.RawMessage(`{}`)}}}
	}))
	env := snapshotEnv(t, demoSnapshot)
	env.Model = bedrock.New(fake.AWSConfig(), env.Config.Bedrock, zerolog.Nop())
	res, err := AnalyzeFailure().Call(context.Background(), env, json.RawMessage(`{"description":"checkout returns 5xx","mode":"agent"}`))
	if err != nil {
		t.Fatal(err)
	}
	md := text(res)
	if res.IsError {
		t.Fatalf("a degraded report came back as a tool error: %s", md)
	}
	if !strings.HasPrefix(md, "> **⚠ Degraded report: the model ("+env.Config.Bedrock.ModelID+") failed after 1 tool call(s)") ||
		!strings.Contains(strings.SplitN(md, "\n", 2)[0], "Bedrock denied access") {
		t.Errorf("the result does not start with the notice:\n%s", md)
	}
	if strings.Count(md, "⚠ Degraded report") != 1 || !strings.Contains(md, "**\n\n# ") {
		t.Errorf("the notice should move above the title, not repeat:\n%s", md)
	}
	for _, want := range []string{"**T1** `get_alarms`", "**analysis**:", "bedrock:InvokeModel", "The calling assistant can"} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	var out struct {
		Degraded  string `json:"degraded"`
		RootCause struct {
			Confidence string   `json:"confidence"`
			Citations  []string `json:"citations"`
		} `json:"root_cause"`
		Hypotheses []any `json:"hypotheses"`
		ToolCalls  []any `json:"tool_calls"`
	}
	structured(t, res, &out)
	if out.Degraded == "" || out.RootCause.Confidence != "low" || len(out.ToolCalls) != 1 || len(out.Hypotheses) == 0 {
		t.Errorf("structured: %+v", out)
	}
}
