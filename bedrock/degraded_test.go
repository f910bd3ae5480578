package bedrock

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// suspectBundle is bundle() with a verdict and three ranked suspects, held
// out of rank order: a likely deploy, the possible DB change, an unlikely
// tag edit.
func suspectBundle() *investigate.Bundle {
	b := bundle()
	t0 := time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)
	b.Verdict = "UpdateFunctionConfiguration on checkout-fn 3 minutes before the errors is the likely cause."
	b.Evidence = append(b.Evidence,
		investigate.Evidence{ID: "E4", Source: "changes", Title: "UpdateFunctionConfiguration", Text: "DB_HOST changed on checkout-fn"},
		investigate.Evidence{ID: "E5", Source: "changes", Title: "TagResource", Text: "tags on the log group"})
	b.Suspects = append([]investigate.Suspect{
		{EventName: "TagResource", EventTime: t0.Add(-20 * time.Minute), Likelihood: investigate.Unlikely, Score: 0.1,
			Why: "tags change no behaviour", EvidenceID: "E5"},
	}, b.Suspects...)
	b.Suspects = append(b.Suspects, investigate.Suspect{EventName: "UpdateFunctionConfiguration", EventTime: t0.Add(-3 * time.Minute),
		Principal: "arn:aws:sts::123456789012:assumed-role/deploy-role/ci-4711", Resources: []string{"checkout-fn"},
		Likelihood: investigate.Likely, Score: 0.9, Why: "changed DB_HOST 3 minutes before the first connection error", EvidenceID: "E4"})
	b.Timeline = []investigate.TimelineEntry{{Time: t0.Add(-3 * time.Minute), Kind: "change", Text: "UpdateFunctionConfiguration checkout-fn", EvidenceID: "E4"},
		{Time: t0, Kind: "first_error", Text: "connection refused", EvidenceID: "E1"}}
	return b
}

func gap(r *analysis.Report, source string) *investigate.Gap {
	for i := range r.Gaps {
		if r.Gaps[i].Source == source {
			return &r.Gaps[i]
		}
	}
	return nil
}

// The first call is denied: the user gets the engine's answer, marked, with
// the top likely suspect as a low-confidence root cause and a gap saying
// what to grant.
func TestOneShotDeniedGivesTheEnginesAnswer(t *testing.T) {
	fake := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, conversefake.Sequence(conversefake.Reply{Text: finalJSON})))
	r, err := newClient(t, fake).Analyze(context.Background(), suspectBundle(), Request{Mode: ModeOneShot, Question: "why 5xx?"})
	if err != nil {
		t.Fatalf("a bundle was there to fall back to, got error %v", err)
	}
	if len(fake.Requests()) != 1 {
		t.Errorf("access denied was retried: %d requests", len(fake.Requests()))
	}
	if !strings.HasPrefix(r.Degraded, "⚠ Degraded report") || !strings.Contains(r.Degraded, "Bedrock denied access to model "+model) {
		t.Errorf("Degraded does not say the model failed and why: %q", r.Degraded)
	}
	if !strings.HasPrefix(r.DegradedReason, "Bedrock denied access to model "+model) || strings.Contains(r.DegradedReason, "Degraded") {
		t.Errorf("DegradedReason is not the failure alone: %q", r.DegradedReason)
	}
	if r.Summary != suspectBundle().Verdict {
		t.Errorf("summary is not the engine's verdict: %q", r.Summary)
	}
	rc := r.RootCause
	if !strings.Contains(rc.Text, "UpdateFunctionConfiguration by deploy-role on checkout-fn") || rc.Confidence != analysis.Low ||
		len(rc.Citations) != 1 || rc.Citations[0] != "E4" {
		t.Errorf("root cause is not the top likely suspect at low confidence: %+v", rc)
	}
	want := map[string]struct{ status, cite string }{
		"UpdateFunctionConfiguration": {"supported", "E4"}, "ModifyDBInstance": {"open", "E3"}, "TagResource": {"refuted", "E5"}}
	if len(r.Hypotheses) != 3 || !strings.HasPrefix(r.Hypotheses[0].Title, "UpdateFunctionConfiguration") {
		t.Fatalf("hypotheses are not the suspects, likely first: %+v", r.Hypotheses)
	}
	for _, h := range r.Hypotheses {
		w := want[strings.Fields(h.Title)[0]]
		cites := append(append([]string{}, h.Supporting...), h.Contradicting...)
		if h.Status != w.status || len(cites) != 1 || cites[0] != w.cite || h.Reasoning == "" {
			t.Errorf("hypothesis %q: %s %v, want %s [%s] with the suspect's why", h.Title, h.Status, cites, w.status, w.cite)
		}
	}
	g := gap(r, "analysis")
	if g == nil || !strings.Contains(g.What, "Bedrock denied access") || !strings.Contains(g.Action, "bedrock:InvokeModel on "+model) ||
		!strings.Contains(g.Action, "Model access") {
		t.Errorf("no actionable analysis gap: %+v", r.Gaps)
	}
	if gap(r, "traces") == nil {
		t.Error("the bundle's own gaps were dropped")
	}
	if len(r.Timeline) != 2 || r.Timeline[0].Citations[0] != "E4" {
		t.Errorf("timeline is not the bundle's: %+v", r.Timeline)
	}
	if len(r.Unverified) != 0 || r.Usage.ModelCalls != 0 || r.Mode != ModeOneShot {
		t.Errorf("unverified %v, usage %+v, mode %s", r.Unverified, r.Usage, r.Mode)
	}
	md := r.Markdown()
	if !strings.HasPrefix(md, "# checkout-5xx fired\n\n> **⚠ Degraded report") {
		t.Errorf("the notice is not at the top of the Markdown:\n%s", md)
	}
}

// Throttled past every retry, with no likely suspect: the root cause says it
// is not determined and why, and the gap says to wait or spread the load.
func TestThrottledWithoutALikelySuspect(t *testing.T) {
	fake := conversefake.New(t, conversefake.FailFrom(0, conversefake.Throttling, conversefake.Sequence()))
	r, err := newClient(t, fake).Analyze(context.Background(), bundle(), Request{Mode: ModeOneShot})
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.Requests()) != 4 {
		t.Errorf("%d requests, want the 4 attempts of the backoff", len(fake.Requests()))
	}
	if !strings.HasPrefix(r.RootCause.Text, "Not determined") || !strings.Contains(r.RootCause.Text, "kept throttling") || len(r.RootCause.Citations) != 0 {
		t.Errorf("root cause: %+v", r.RootCause)
	}
	if g := gap(r, "analysis"); g == nil || !strings.Contains(g.Action, "in a few minutes") || !strings.Contains(g.Action, "Service Quotas") {
		t.Errorf("gap: %+v", r.Gaps)
	}
	if len(r.Hypotheses) != 1 || r.Hypotheses[0].Status != "open" || len(r.Actions.Mitigate) != 0 {
		t.Errorf("a possible suspect is an open hypothesis, and no action is invented: %+v %+v", r.Hypotheses, r.Actions)
	}
	if r.Summary == "" {
		t.Error("no summary without a verdict")
	}
}

// The agent ran two steps (two tool calls, paid for), then the model went
// away at step 3: the report keeps both calls, citable and reproducible.
func TestAgentFailingAtStepThreeKeepsItsToolCalls(t *testing.T) {
	script := func(call int, req *conversefake.Request) conversefake.Reply {
		switch call {
		case 0:
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("tu1", "query_logs", `{"filter":"refused"}`)}}
		default:
			return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("tu2", "get_traces", `{"filter":"fault"}`)}}
		}
	}
	fake := conversefake.New(t, conversefake.FailFrom(2, conversefake.ModelNotReady, script))
	tb := &box{}
	r, err := newClient(t, fake).Analyze(context.Background(), suspectBundle(), Request{Mode: ModeAgent, Tools: tb})
	if err != nil {
		t.Fatal(err)
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	if len(tb.calls) != 2 || len(r.ToolCalls) != 2 {
		t.Fatalf("tools ran %v; report keeps %+v", tb.calls, r.ToolCalls)
	}
	for i, c := range r.ToolCalls {
		if c.ID != fmt.Sprintf("T%d", i+1) || c.Step != i+1 || !strings.Contains(c.Summary, "412 errors") {
			t.Errorf("tool call %d: %+v", i, c)
		}
	}
	if r.Usage.ModelCalls != 2 || r.Usage.ToolCalls != 2 || r.Mode != ModeAgent {
		t.Errorf("usage %+v mode %s", r.Usage, r.Mode)
	}
	if !strings.Contains(r.Degraded, "after 2 tool call(s)") || !strings.Contains(r.Degraded, "ModelNotReadyException") {
		t.Errorf("notice: %q", r.Degraded)
	}
	if g := gap(r, "analysis"); g == nil || !strings.Contains(g.Action, "AWS Health Dashboard") {
		t.Errorf("gap: %+v", r.Gaps)
	}
	var redo []string
	for _, p := range r.Reproduce {
		redo = append(redo, p.What)
	}
	if s := strings.Join(redo, "|"); !strings.Contains(s, "T1 query_logs") || !strings.Contains(s, "T2 get_traces") {
		t.Errorf("the tool calls cannot be redone by hand: %v", redo)
	}
	md := r.Markdown()
	for _, w := range []string{"## Tool calls", "**T1** `query_logs`", "**T2** `get_traces`"} {
		if !strings.Contains(md, w) {
			t.Errorf("Markdown lacks %q", w)
		}
	}
}

// The forced final answer after a budget is a model call too.
func TestForcedAnswerFailingIsDegraded(t *testing.T) {
	script := func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("tu1", "query_cloudtrail", `{"filter":"x"}`)}}
	}
	fake := conversefake.New(t, conversefake.FailFrom(1, conversefake.AccessDenied, script))
	r, err := newClient(t, fake).Analyze(context.Background(), suspectBundle(), Request{Mode: ModeAgent, Tools: &box{}, Budget: Budget{MaxSteps: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Degraded == "" || len(r.ToolCalls) != 1 || r.ToolCalls[0].Tool != "query_cloudtrail" {
		t.Fatalf("degraded %q, calls %+v", r.Degraded, r.ToolCalls)
	}
}

// With no bundle there is nothing to fall back to: the error stands, in
// one-shot and agent mode alike.
func TestNoBundleIsStillAnError(t *testing.T) {
	for _, mode := range []string{ModeOneShot, ModeAgent} {
		fake := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, conversefake.Sequence()))
		r, err := newClient(t, fake).Analyze(context.Background(), nil, Request{Mode: mode, Tools: &box{}, BundleErr: fmt.Errorf("logs: access denied")})
		if e, ok := telemetry.AsError(err); !ok || e.Kind != telemetry.KindAccessDenied || r != nil {
			t.Errorf("%s: report %v, error %v", mode, r != nil, err)
		}
	}
}

// The caller cancelling is not a failure to paper over: no report.
func TestCancelledContextIsStillAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		if call == 1 {
			cancel() // the user pressed Cancel while the model thought
			return conversefake.Reply{Err: conversefake.Unavailable}
		}
		return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("tu1", "query_logs", `{"filter":"refused"}`)}}
	})
	r, err := newClient(t, fake).Analyze(ctx, suspectBundle(), Request{Mode: ModeAgent, Tools: &box{}})
	if err == nil || r != nil {
		t.Fatalf("cancelled analysis returned report %v, error %v", r != nil, err)
	}
}

// In Japanese the notice, the root cause and the gap read in Japanese; the
// AWS error itself stays as AWS wrote it.
func TestDegradedInJapanese(t *testing.T) {
	fake := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, conversefake.Sequence()))
	r, err := newClient(t, fake).Analyze(context.Background(), suspectBundle(), Request{Mode: ModeOneShot, Language: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Degraded, "【縮退レポート】") || !strings.Contains(r.Degraded, "理由：Bedrock denied access") {
		t.Errorf("notice: %q", r.Degraded)
	}
	if !strings.Contains(r.RootCause.Text, "エンジンが最も疑う変更") {
		t.Errorf("root cause: %q", r.RootCause.Text)
	}
	if g := gap(r, "analysis"); g == nil || !strings.Contains(g.Action, "モデルアクセス") {
		t.Errorf("gap: %+v", r.Gaps)
	}
	md := r.Markdown()
	if !strings.HasPrefix(md, "# checkout-5xx fired\n\n> **【縮退レポート】") {
		t.Errorf("the notice is not at the top:\n%s", md)
	}
}

// The root cause is the engine's top likely suspect — the first likely one
// the bundle lists — even when a later likely one scores higher.
func TestDegradedRootCauseFollowsTheEnginesRanking(t *testing.T) {
	b := suspectBundle()
	t0 := b.Suspects[len(b.Suspects)-1].EventTime
	b.Suspects = append([]investigate.Suspect{{EventName: "DetachRolePolicy", EventTime: t0.Add(time.Minute), Likelihood: investigate.Likely,
		Score: 0.5, Why: "the kind of change the AccessDenied message points at", EvidenceID: "E2"}}, b.Suspects...)
	fake := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, conversefake.Sequence()))
	r, err := newClient(t, fake).Analyze(context.Background(), b, Request{Mode: ModeOneShot})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.RootCause.Text, "DetachRolePolicy") || r.RootCause.Citations[0] != "E2" {
		t.Errorf("root cause is not the engine's first likely suspect: %+v", r.RootCause)
	}
	var order []string
	for _, h := range r.Hypotheses {
		order = append(order, strings.Fields(h.Title)[0]+"/"+h.Status)
	}
	if got := strings.Join(order, " "); got != "DetachRolePolicy/supported UpdateFunctionConfiguration/supported ModifyDBInstance/open TagResource/refuted" {
		t.Errorf("hypotheses: %s", got)
	}
}
