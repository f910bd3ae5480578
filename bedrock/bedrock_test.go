package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

const model = "global.anthropic.claude-sonnet-4-6"

func newClient(t *testing.T, fake *conversefake.Server) *Client {
	t.Helper()
	cfg := config.Default()
	c := New(fake.AWSConfig(), cfg.Bedrock, zerolog.Nop())
	c.Backoff = Backoff{Attempts: 4, Base: time.Millisecond, Max: 5 * time.Millisecond}
	return c
}

// bundle is a hand-built investigation: a change that may or may not be
// the cause, errors in the logs, and a gap.
func bundle() *investigate.Bundle {
	t0 := time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)
	return &investigate.Bundle{
		Title:  "checkout-5xx fired",
		Source: "snapshot demo",
		Window: telemetry.Window{Start: t0.Add(-30 * time.Minute), End: t0.Add(30 * time.Minute)},
		Suspects: []investigate.Suspect{{EventName: "ModifyDBInstance", EventTime: t0.Add(-5 * time.Minute), Likelihood: investigate.Possible,
			Why: "5 minutes before onset", EvidenceID: "E3"}},
		Evidence: []investigate.Evidence{
			{ID: "E1", Source: "logs", Title: "new error template", Text: "connection refused to db:5432 ×412", Reproduce: `query_logs {"log_groups":["/ecs/api"],"mode":"patterns"}`},
			{ID: "E2", Source: "metrics", Title: "5xx count", Text: "HTTPCode_Target_5XX_Count 0 → 180/min at 09:31"},
			{ID: "E3", Source: "changes", Title: "ModifyDBInstance", Text: "ModifyDBInstance on prod-db by deploy-role at 09:25"},
		},
		Gaps: []investigate.Gap{{Source: "traces", What: "X-Ray returned AccessDenied", Action: "grant xray:GetTraceSummaries"}},
	}
}

// box is a toolbox that records calls; tools answer with their arguments.
type box struct {
	mu      sync.Mutex
	calls   []string
	answer  func(name string, args json.RawMessage) ToolOutput
	running atomic.Int32
	peak    atomic.Int32
	barrier *sync.WaitGroup // when set, every call waits for the others
}

func (b *box) Specs() []ToolSpec {
	obj := json.RawMessage(`{"type":"object","properties":{"filter":{"type":"string"}}}`)
	return []ToolSpec{{Name: "query_logs", Description: "logs", Schema: obj}, {Name: "get_traces", Description: "traces", Schema: obj}, {Name: "query_cloudtrail", Description: "changes", Schema: obj}}
}

func (b *box) Call(ctx context.Context, name string, args json.RawMessage) ToolOutput {
	b.mu.Lock()
	b.calls = append(b.calls, name+" "+string(args))
	b.mu.Unlock()
	n := b.running.Add(1)
	defer b.running.Add(-1)
	for {
		p := b.peak.Load()
		if n <= p || b.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if b.barrier != nil {
		b.barrier.Done()
		done := make(chan struct{})
		go func() { b.barrier.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			return ToolOutput{Text: "the other call never started: calls are not parallel", IsError: true}
		}
	}
	if b.answer != nil {
		return b.answer(name, args)
	}
	return ToolOutput{Text: fmt.Sprintf("result of %s %s: 412 errors 'connection refused'", name, args)}
}

func use(id, name, args string) conversefake.ToolUse {
	return conversefake.ToolUse{ToolUseID: id, Name: name, Input: json.RawMessage(args)}
}

const finalJSON = "Here is the report.\n```json\n" + `{
 "title": "Database unreachable after ModifyDBInstance",
 "summary": "The API lost its database connection after a DB modification.",
 "root_cause": {"text": "ModifyDBInstance rebooted prod-db (E3); the API failed to connect (E1, T1).", "confidence": "high", "severity": "high", "citations": ["E3", "E1", "T1"]},
 "hypotheses": [
  {"title": "DB change", "status": "supported", "supporting": ["E3", "T1"], "contradicting": [], "reasoning": "errors start right after"},
  {"title": "Traffic spike", "status": "refuted", "supporting": [], "contradicting": ["E2", "T2"], "reasoning": "request count flat"}
 ],
 "impact": {"users": "checkout failed for 12 minutes", "business": "lost orders"},
 "timeline": [{"time": "2026-03-04T09:31:00Z", "text": "5xx begin", "citations": ["E2"]}, {"time": "2026-03-04T09:25:00Z", "text": "DB modified", "citations": ["E3"]}],
 "actions": {"mitigate": ["fail over"], "fix": ["apply changes in the maintenance window"], "prevent": ["alarm on DB connections"]},
 "gaps": [{"source": "db logs", "what": "RDS events not read", "action": "grant rds:DescribeEvents"}],
 "reproduce": [{"what": "errors", "kind": "logs_insights", "text": "fields @message | filter @message like /refused/"}]
}` + "\n```"

// A two-step agent run: the model calls two tools at once, they run in
// parallel, both results reach the model, and its answer becomes the report.
func TestAgentTwoStepsParallelToolsReachTheModel(t *testing.T) {
	var seen []conversefake.ToolResult
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		switch call {
		case 0:
			return conversefake.Reply{Text: "Checking logs and traces.", ToolUses: []conversefake.ToolUse{
				use("tu1", "query_logs", `{"filter":"refused"}`), use("tu2", "get_traces", `{"filter":"fault"}`)}}
		default:
			seen = req.LastResults()
			return conversefake.Reply{Text: finalJSON}
		}
	})
	var barrier sync.WaitGroup
	barrier.Add(2)
	tb := &box{barrier: &barrier}
	var (
		mu       sync.Mutex // progress may come from the parallel tool calls
		progress []string
	)
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Question: "why 5xx?", Mode: ModeAgent, Tools: tb,
		Progress: func(done, total float64, msg string) { mu.Lock(); progress = append(progress, msg); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	if tb.peak.Load() != 2 {
		t.Errorf("peak concurrency %d, want 2", tb.peak.Load())
	}
	if len(seen) != 2 || seen[0].ToolUseID != "tu1" || seen[1].ToolUseID != "tu2" {
		t.Fatalf("results reaching the model: %+v", seen)
	}
	if !strings.Contains(seen[0].ResultText(), `result of query_logs {"filter":"refused"}`) || !strings.Contains(seen[0].ResultText(), "T1 query_logs") ||
		!strings.Contains(seen[1].ResultText(), "result of get_traces") || !strings.Contains(seen[1].ResultText(), "```tool_result") {
		t.Errorf("results not labelled and fenced: %q / %q", seen[0].ResultText(), seen[1].ResultText())
	}
	if r.Mode != ModeAgent || r.RootCause.Confidence != "high" || len(r.Hypotheses) != 2 || len(r.ToolCalls) != 2 {
		t.Fatalf("report: mode %s conf %s hyps %d calls %d", r.Mode, r.RootCause.Confidence, len(r.Hypotheses), len(r.ToolCalls))
	}
	if len(r.Unverified) != 0 {
		t.Errorf("valid citations marked unverified: %v", r.Unverified)
	}
	if r.Usage.ModelCalls != 2 || r.Usage.InputTokens == 0 || r.Usage.OutputTokens == 0 || r.Usage.ToolCalls != 2 {
		t.Errorf("usage %+v", r.Usage)
	}
	if !r.Timeline[0].Time.Before(r.Timeline[1].Time) {
		t.Errorf("timeline not in time order: %+v", r.Timeline)
	}
	// The bundle's gap the model did not repeat is kept.
	if !hasGap(r, "traces") || !hasGap(r, "db logs") {
		t.Errorf("gaps %+v", r.Gaps)
	}
	if !strings.Contains(strings.Join(progress, "\n"), "T1 query_logs") {
		t.Errorf("progress does not name the tool calls: %q", progress)
	}
	first := fake.Requests()[0]
	if first.InferenceConfig.TopP != nil || first.InferenceConfig.Temperature == nil {
		t.Errorf("sampling: %+v", first.InferenceConfig)
	}
	if n := len(first.System); n != 2 || first.System[1].CachePoint == nil {
		t.Errorf("no cachePoint after the system prompt: %+v", first.System)
	}
	if tools := first.ToolConfig.Tools; tools[len(tools)-1].CachePoint == nil {
		t.Error("no cachePoint after the tool definitions")
	}
	if c := first.Messages[0].Content; len(c) != 2 || c[1].CachePoint == nil {
		t.Error("no cachePoint after the question and the bundle")
	}
	if !strings.Contains(first.Text(), "```telemetry") || !strings.Contains(first.Text(), "connection refused to db:5432") {
		t.Error("the bundle did not reach the model fenced")
	}
	md := r.Markdown()
	for _, want := range []string{"# Database unreachable", "## Root cause", "**confidence:** high", "## Competing hypotheses", "Traffic spike** — refuted",
		"Contradicting: [E2, T2]", "## Impact", "## Timeline", "## Actions", "Mitigate now", "## Gaps", "grant xray:GetTraceSummaries",
		"## Reproduce by hand", `fa2 run query_logs --json '{"filter":"refused"}'`, "## Tool calls", "2 model calls"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

func hasGap(r *analysis.Report, source string) bool {
	for _, g := range r.Gaps {
		if g.Source == source {
			return true
		}
	}
	return false
}

// When the step budget runs out, the last request still carries toolConfig,
// answers every toolUse, alternates roles, and asks for the answer.
func TestStepBudgetForcesAnAnswerBedrockAccepts(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if strings.Contains(req.Text(), "No more tool calls will run") {
			return conversefake.Reply{Text: finalJSON}
		}
		// A model that never stops exploring.
		return conversefake.Reply{ToolUses: []conversefake.ToolUse{use(fmt.Sprintf("tu%d", call), "query_logs", fmt.Sprintf(`{"filter":"f%d"}`, call))}}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: &box{}, Budget: Budget{MaxSteps: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	reqs := fake.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 3 steps + the forced answer", len(reqs))
	}
	last := reqs[3]
	if last.ToolConfig == nil {
		t.Fatal("forced request has no toolConfig")
	}
	if conversefake.Validate(last) != "" {
		t.Fatal(conversefake.Validate(last))
	}
	if r.RootCause.Text == "" || len(r.ToolCalls) != 3 {
		t.Fatalf("report after forced answer: %+v", r.RootCause)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "step budget (3 turns) ran out") || !hasGap(r, "analysis") {
		t.Errorf("the budget is not reported: notes %v gaps %+v", r.Notes, r.Gaps)
	}
}

// A model that ignores the instruction and asks for tools again still gets
// every toolUse answered, and the report says it did not finish.
func TestForcedAnswerWithAStubbornModel(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: "more", ToolUses: []conversefake.ToolUse{use(fmt.Sprintf("tu%d", call), "get_traces", fmt.Sprintf(`{"filter":"%d"}`, call))}}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: &box{}, Budget: Budget{MaxSteps: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	if len(fake.Requests()) != 3 || !strings.Contains(strings.Join(r.Notes, " "), "kept asking for tools") {
		t.Fatalf("%d requests; notes %v", len(fake.Requests()), r.Notes)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "not a structured report") || r.RootCause.Confidence != "low" {
		t.Errorf("an unreadable answer is not flagged: %v", r.Notes)
	}
}

func TestRepeatedCallIsNotRunAgain(t *testing.T) {
	var second []conversefake.ToolResult
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		switch call {
		case 0:
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("a", "query_logs", `{"filter":"x","z":1}`)}}
		case 1:
			// The same call, keys in another order.
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("b", "query_logs", `{"z":1,"filter":"x"}`)}}
		}
		second = req.LastResults()
		return conversefake.Reply{Text: finalJSON}
	})
	tb := &box{}
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: tb})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.calls) != 1 {
		t.Fatalf("tool ran %d times: %v", len(tb.calls), tb.calls)
	}
	if len(second) != 1 || second[0].Status != "error" || !strings.Contains(second[0].ResultText(), "already called with exactly these arguments as T1") {
		t.Fatalf("repeat answer: %+v", second)
	}
	if !r.ToolCalls[1].Skipped || len(fake.Rejected()) > 0 {
		t.Errorf("calls %+v rejected %v", r.ToolCalls, fake.Rejected())
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		switch call {
		case 0:
			return conversefake.Reply{Err: &conversefake.Error{Status: 429, Type: "ThrottlingException", Msg: "Too many tokens, please wait before trying again."}}
		case 1:
			return conversefake.Reply{Err: &conversefake.Error{Status: 424, Type: "ModelNotReadyException", Msg: "Model is not ready"}}
		}
		return conversefake.Reply{Text: finalJSON}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeOneShot})
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.Requests()) != 3 || r.Usage.ModelCalls != 1 || r.RootCause.Confidence != "high" {
		t.Fatalf("%d requests, usage %+v", len(fake.Requests()), r.Usage)
	}
}

func TestThrottlingGivesUpWithAnActionableError(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Err: &conversefake.Error{Status: 429, Type: "ThrottlingException", Msg: "Too many requests"}}
	})
	// Without a bundle there is nothing to fall back to: the error is the answer.
	_, err := newClient(t, fake).Analyze(context.Background(), nil, Request{Mode: ModeOneShot})
	e, ok := telemetry.AsError(err)
	if !ok || e.Kind != telemetry.KindThrottled || !strings.Contains(err.Error(), "after 4 attempts") || len(fake.Requests()) != 4 {
		t.Fatalf("%v (%d requests)", err, len(fake.Requests()))
	}
}

func TestRetryWaitHonoursCancellation(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Err: &conversefake.Error{Status: 503, Type: "ServiceUnavailableException", Msg: "busy"}}
	})
	c := newClient(t, fake)
	c.Backoff = Backoff{Attempts: 5, Base: time.Hour, Max: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(fake.Requests()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Converse(ctx, Call{Messages: []types.Message{userText("hi")}}, nil)
	if e, ok := telemetry.AsError(err); !ok || e.Kind != telemetry.KindTimeout || len(fake.Requests()) != 1 {
		t.Fatalf("%v after %d requests", err, len(fake.Requests()))
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		typ, msg string
		status   int
		kind     telemetry.Kind
		want     []string
	}{
		{"AccessDeniedException", "You don't have access to the model with the specified model ID.", 403, telemetry.KindAccessDenied,
			[]string{model, "us-east-1", "Enable access to this model in the Amazon Bedrock console", "bedrock:InvokeModel"}},
		{"ValidationException", "Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.", 400, telemetry.KindInvalidInput,
			[]string{"inference profile id", "bedrock.model_id"}},
		{"ValidationException", "The provided model identifier is invalid.", 400, telemetry.KindNotFound,
			[]string{"does not know model", "list-inference-profiles"}},
		{"ServiceQuotaExceededException", "quota exceeded", 400, telemetry.KindLimit, []string{"Service Quotas"}},
		{"ValidationException", "max_tokens: 8192 > 4096, which is the maximum allowed number of output tokens for claude-3-haiku", 400, telemetry.KindInvalidInput, []string{"Lower bedrock.max_tokens"}},
	} {
		fake := conversefake.New(t, func(int, *conversefake.Request) conversefake.Reply {
			return conversefake.Reply{Err: &conversefake.Error{Status: tc.status, Type: tc.typ, Msg: tc.msg}}
		})
		_, err := newClient(t, fake).Analyze(context.Background(), nil, Request{Mode: ModeOneShot})
		e, ok := telemetry.AsError(err)
		if !ok || e.Kind != tc.kind {
			t.Errorf("%s: %v", tc.typ, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tc.typ, err, w)
			}
		}
		if len(fake.Requests()) != 1 {
			t.Errorf("%s was retried", tc.typ)
		}
	}
}

func TestJapanese(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: "```json\n" + `{"title":"DB 変更後の接続障害","summary":"DB の変更で API が DB に接続できなくなった。","root_cause":{"text":"ModifyDBInstance による再起動","confidence":"medium","severity":"high","citations":["E3"]},"hypotheses":[{"title":"DB 変更","status":"supported","supporting":["E3"],"contradicting":[]}]}` + "\n```"}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeOneShot, Language: "ja", Architecture: "ALB → ECS → RDS"})
	if err != nil {
		t.Fatal(err)
	}
	req := fake.Requests()[0]
	sys := *req.System[0].Text
	if !strings.Contains(sys, "シニア SRE") || !strings.Contains(sys, "```architecture\nALB → ECS → RDS\n```") {
		t.Errorf("system prompt not Japanese or lacks the architecture:\n%s", sys)
	}
	if !strings.Contains(req.Text(), "証拠バンドル") || req.ToolConfig != nil {
		t.Errorf("one-shot request: tools %v\n%s", req.ToolNames(), req.Text())
	}
	md := r.Markdown()
	for _, w := range []string{"# DB 変更後の接続障害", "## 根本原因", "**確信度:** 中", "## 競合する仮説", "支持", "## ギャップ"} {
		if !strings.Contains(md, w) {
			t.Errorf("Japanese Markdown lacks %q:\n%s", w, md)
		}
	}
}

func TestNonexistentCitationIsMarkedUnverified(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: strings.Replace(finalJSON, `"citations": ["E3", "E1", "T1"]`, `"citations": ["E3", "E99"]`, 1)}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeOneShot})
	if err != nil {
		t.Fatal(err)
	}
	// E99 does not exist; T1 and T2 are cited but no tool ran in one shot.
	if strings.Join(r.Unverified, ",") != "E99,T1,T2" {
		t.Fatalf("unverified %v", r.Unverified)
	}
	md := r.Markdown()
	if !strings.Contains(md, "[E3, E99 ⚠unverified]") || !strings.Contains(md, "name no evidence of the bundle") {
		t.Errorf("unverified citation not marked:\n%s", md)
	}
}

func TestOversizedResultIsCutWithANarrowingHint(t *testing.T) {
	var got []conversefake.ToolResult
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if call == 0 {
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("a", "query_logs", `{}`)}}
		}
		got = req.LastResults()
		return conversefake.Reply{Text: finalJSON}
	})
	tb := &box{answer: func(string, json.RawMessage) ToolOutput {
		return ToolOutput{Text: strings.Repeat("ERROR connection refused to db\n", 2000)}
	}}
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: tb, Budget: Budget{MaxResultTokens: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	text := got[0].ResultText()
	if EstimateTokens(text) > 1300 || !strings.Contains(text, "over the cap of 1000") || !strings.Contains(text, "Narrow the call") {
		t.Fatalf("%d tokens: ...%s", EstimateTokens(text), text[len(text)-300:])
	}
	if !r.ToolCalls[0].Cut {
		t.Error("the call is not flagged as cut")
	}
}

func TestOlderResultsAreCompacted(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if call < 3 {
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use(fmt.Sprintf("u%d", call), "query_logs", fmt.Sprintf(`{"filter":"%d"}`, call))}}
		}
		return conversefake.Reply{Text: finalJSON}
	})
	tb := &box{answer: func(_ string, args json.RawMessage) ToolOutput {
		return ToolOutput{Text: "rows for " + string(args) + "\n" + strings.Repeat("x", 4000)}
	}}
	_, err := newClient(t, fake).Analyze(context.Background(), nil, Request{Mode: ModeAgent, Tools: tb, Budget: Budget{CompactAt: 2500}})
	if err != nil {
		t.Fatal(err)
	}
	last := fake.Requests()[3]
	if len(fake.Rejected()) > 0 {
		t.Fatal(fake.Rejected())
	}
	// Messages: user, asst, results(T1), asst, results(T2), asst, results(T3).
	older := last.Messages[2].Content[0].ToolResult.ResultText()
	newest := last.Messages[6].Content[0].ToolResult.ResultText()
	if !strings.Contains(older, "T1 query_logs: result of about") || strings.Contains(older, "xxxx") {
		t.Errorf("oldest result not compacted: %.200s", older)
	}
	if !strings.Contains(newest, strings.Repeat("x", 4000)) {
		t.Error("the latest result was compacted")
	}
}

func TestAutoMode(t *testing.T) {
	b := bundle()
	if m := ChooseMode(ModeAuto, b, true); m != ModeAgent {
		t.Errorf("gaps and no likely suspect: %s", m)
	}
	b.Gaps = nil
	b.Suspects[0].Likelihood = investigate.Likely
	if m := ChooseMode(ModeAuto, b, true); m != ModeOneShot {
		t.Errorf("a likely suspect, no gaps: %s", m)
	}
	if m := ChooseMode(ModeAgent, b, false); m != ModeOneShot {
		t.Errorf("no tools: %s", m)
	}
	if m := ChooseMode("", nil, true); m != ModeAgent {
		t.Errorf("no bundle: %s", m)
	}
}

func TestParseAnswerIsLenient(t *testing.T) {
	a, err := parseAnswer("draft ```json\n{\"summary\":\"old\"}\n```\nfinal:\n```json\n{\"summary\":\"s\",\"root_cause\":{\"text\":\"t\",\"confidence\":\"High\",\"citations\":\"E1, E2\"},\"timeline\":[{\"time\":\"09:31\",\"text\":\"x\"}]}\n```")
	if err != nil {
		t.Fatal(err)
	}
	if a.Summary != "s" || level(a.RootCause.Confidence) != "high" || strings.Join(a.RootCause.Citations, "|") != "E1|E2" {
		t.Fatalf("%+v", a)
	}
	if _, err := parseAnswer("I think it was the database."); err == nil {
		t.Fatal("prose parsed as a report")
	}
	if _, err := parseAnswer(`{"summary": "bare JSON works too"}`); err != nil {
		t.Fatal(err)
	}
	a, err = parseAnswer("```json\n{\"summary\": \"s\", \"root_cause\": {\"text\": \"t\", \"citations\": [{\"id\": \"E4\", \"why\": \"x\"}, \"T2\",],},}\n```")
	if err != nil || strings.Join(a.RootCause.Citations, ",") != "E4,T2" {
		t.Fatalf("trailing commas and cited objects: %v %+v", err, a)
	}
	a, err = parseAnswer(`{"summary":"s","root_cause":"the rotation","impact":"checkout down","actions":["restart"],"timeline":["03:13 rotation"],"gaps":["no traces"]}`)
	if err != nil || a.RootCause.Text != "the rotation" || a.Impact.Users != "checkout down" || a.Actions.Fix[0] != "restart" ||
		a.Timeline[0].Text != "03:13 rotation" || a.Gaps[0].What != "no traces" {
		t.Fatalf("strings where objects belong: %v %+v", err, a)
	}
}

// The input-token budget counts what Bedrock reports; past it the agent
// answers, in the analysis' language, and an unknown tool gets an error
// result naming the real ones.
func TestTokenBudgetAndUnknownToolInJapanese(t *testing.T) {
	var unknown []conversefake.ToolResult
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if strings.Contains(req.Text(), "入力トークンの上限（60000 トークン）に達しました。") {
			return conversefake.Reply{Text: finalJSON, InputTokens: 40_000}
		}
		if call == 1 {
			unknown = req.LastResults()
		}
		return conversefake.Reply{InputTokens: 40_000, ToolUses: []conversefake.ToolUse{use(fmt.Sprintf("u%d", call), "describe_everything", fmt.Sprintf(`{"n":%d}`, call))}}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Language: "ja", Tools: &box{}, Budget: Budget{MaxInputTokens: 60_000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.Rejected()) > 0 {
		t.Fatal(fake.Rejected())
	}
	if len(fake.Requests()) != 3 || r.Usage.InputTokens != 120_000 {
		t.Fatalf("%d requests, usage %+v", len(fake.Requests()), r.Usage)
	}
	// The unknown toolUse stays out of the history (toolConfig does not
	// define it); the next user turn says so and names the real tools.
	second := fake.Requests()[1]
	if len(unknown) != 0 || second.Messages[1].Content[0].ToolUse != nil {
		t.Fatalf("unknown toolUse kept in history: %+v", second.Messages[1])
	}
	if note := second.Text(); !strings.Contains(note, "describe_everything という名前のツールはありません") ||
		!strings.Contains(note, "query_logs, get_traces, query_cloudtrail") {
		t.Fatalf("unknown tool not explained: %s", note)
	}
	if !strings.Contains(r.Markdown(), "入力トークンの上限") {
		t.Errorf("the budget is not reported:\n%s", r.Markdown())
	}
}

// A model whose context is smaller than the compaction threshold assumed
// says the input is too long; the agent compacts older results and retries.
func TestInputTooLongCompactsAndRetries(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if len(req.Messages) > 3 && strings.Contains(req.Messages[2].Content[0].ToolResult.ResultText(), strings.Repeat("y", 3000)) {
			return conversefake.Reply{Err: &conversefake.Error{Status: 400, Type: "ValidationException", Msg: "Input is too long for requested model."}}
		}
		if len(req.Messages) < 5 {
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use(fmt.Sprintf("u%d", call), "query_logs", fmt.Sprintf(`{"filter":"%d"}`, call))}}
		}
		return conversefake.Reply{Text: finalJSON}
	})
	tb := &box{answer: func(_ string, args json.RawMessage) ToolOutput {
		return ToolOutput{Text: "rows " + string(args) + "\n" + strings.Repeat("y", 3000)}
	}}
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: tb})
	if err != nil {
		t.Fatal(err)
	}
	if r.RootCause.Confidence != "high" || len(fake.Rejected()) > 0 {
		t.Fatalf("%+v %v", r.RootCause, fake.Rejected())
	}
}

// A model may cite a call by its toolUseId or, when the tool ran once, by
// the tool's name: both resolve to the call's id.
func TestCitationsByToolUseIDOrToolName(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if call == 0 {
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("tooluse_Ab1", "query_logs", `{}`), use("tooluse_Cd2", "get_traces", `{}`)}}
		}
		return conversefake.Reply{Text: "```json\n" + `{"summary":"s","root_cause":{"text":"r","confidence":"low","severity":"low","citations":["tooluse_Ab1","get_traces","E2","nothing_here"]}}` + "\n```"}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: &box{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.RootCause.Citations, ","); got != "T1,T2,E2,nothing_here" {
		t.Fatalf("citations %s", got)
	}
	if strings.Join(r.Unverified, ",") != "nothing_here" {
		t.Fatalf("unverified %v", r.Unverified)
	}
}

// With the time budget spent before the first turn, the agent asks for the
// answer at once, still with its tools defined.
func TestTimeBudgetForcesTheFirstTurn(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: finalJSON}
	})
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: &box{}, Budget: Budget{MaxWallTime: time.Nanosecond}})
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || len(reqs[0].Messages) != 1 || reqs[0].ToolConfig == nil || !strings.Contains(reqs[0].Text(), "The time budget (1ns) ran out.") {
		t.Fatalf("%d requests: %s", len(reqs), reqs[0].Text())
	}
	if len(fake.Rejected()) > 0 || !hasGap(r, "analysis") {
		t.Fatalf("%v %+v", fake.Rejected(), r.Gaps)
	}
}

func TestCachePointsOnlyWhereSupported(t *testing.T) {
	for model, want := range map[string]bool{
		"global.anthropic.claude-sonnet-4-6":          true,
		"us.anthropic.claude-haiku-4-5-20251001-v1:0": true,
		"anthropic.claude-3-haiku-20240307-v1:0":      false,
		"us.amazon.nova-pro-v1:0":                     true,
		"meta.llama3-70b-instruct-v1:0":               false,
	} {
		if got := SupportsCaching(model); got != want {
			t.Errorf("%s: %v", model, got)
		}
	}
	c := &Client{model: "meta.llama3-70b-instruct-v1:0", maxTokens: 100}
	in := c.input(c.model, Call{System: "s", Tools: (&box{}).Specs()})
	if len(in.System) != 1 || len(in.ToolConfig.Tools) != 3 || in.InferenceConfig.TopP != nil {
		t.Errorf("cache points sent to a model without caching: %d system, %d tools", len(in.System), len(in.ToolConfig.Tools))
	}
	c.model = "us.amazon.nova-pro-v1:0"
	if in := c.input(c.model, Call{System: "s", Tools: (&box{}).Specs()}); len(in.System) != 2 || len(in.ToolConfig.Tools) != 3 {
		t.Errorf("Nova: %d system blocks, %d tools (no tool cache point)", len(in.System), len(in.ToolConfig.Tools))
	}
}

// Models other than Claude and Nova reject toolResult.status: errors then
// say so in their text.
func TestToolResultStatusOnlyWhereSupported(t *testing.T) {
	var got []conversefake.ToolResult
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if call == 0 {
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("a", "query_logs", `{}`), use("b", "get_traces", `{}`)}}
		}
		got = req.LastResults()
		return conversefake.Reply{Text: finalJSON}
	})
	cfg := config.Default()
	cfg.Bedrock.ModelID = "meta.llama3-3-70b-instruct-v1:0"
	c := New(fake.AWSConfig(), cfg.Bedrock, zerolog.Nop())
	tb := &box{answer: func(name string, _ json.RawMessage) ToolOutput {
		return ToolOutput{Text: name + " said no", IsError: name == "get_traces"}
	}}
	if _, err := c.Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: tb}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Status != "" || got[1].Status != "" || !strings.HasPrefix(got[1].ResultText(), "ERROR: ") || strings.HasPrefix(got[0].ResultText(), "ERROR") {
		t.Fatalf("results %+v", got)
	}
	if !SupportsToolStatus(model) || SupportsToolStatus("meta.llama3-3-70b-instruct-v1:0") || !SupportsToolStatus("us.amazon.nova-lite-v1:0") {
		t.Error("SupportsToolStatus")
	}
}
