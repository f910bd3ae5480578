package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/prompts"
	"github.com/fa2/fa2/telemetry"
)

// Modes of analysis.
const (
	ModeAuto    = "auto"
	ModeOneShot = "oneshot"
	ModeAgent   = "agent"
	// ModeInsight answers a question about metrics rather than an incident.
	ModeInsight = "insight"
)

// Request is what an analysis is asked.
type Request struct {
	Question string
	// Alarm is the alarm the analysis starts from, when there is one.
	Alarm string
	// Mode is auto, oneshot or agent ("" = auto).
	Mode     string
	Language string
	// Architecture describes the workload (configuration or snapshot manifest).
	Architecture string
	// Tools are what the agent may call; nil restricts the analysis to one shot.
	Tools  Toolbox
	Budget Budget
	// Progress receives a report per step (nil-safe).
	Progress telemetry.Progress
	// BundleErr is why there is no bundle, when the investigation failed:
	// the analysis still runs (agent mode, from the tools alone) and the
	// failure becomes a gap.
	BundleErr error
}

// ChooseMode resolves auto: the agent when the bundle leaves the cause
// open (no likely suspect, or gaps to work around), one shot otherwise.
func ChooseMode(mode string, b *investigate.Bundle, haveTools bool) string {
	if !haveTools {
		return ModeOneShot
	}
	switch mode {
	case ModeOneShot, ModeAgent:
		return mode
	}
	if b == nil || len(b.Evidence) == 0 || len(b.Gaps) > 0 {
		return ModeAgent
	}
	for _, s := range b.Suspects {
		if s.Likelihood == investigate.Likely {
			return ModeOneShot
		}
	}
	return ModeAgent
}

// Analyze turns an investigation bundle into a report. An answer the model
// garbles still yields a report that says so, and a model call that fails
// (access denied, throttled past the retries, the endpoint down), first or
// in the middle of an agent run, yields a degraded report built from the
// bundle alone, with the tool calls already made (see degrade and
// Report.Degraded). It returns an error only when there is no bundle to
// fall back to, or when ctx is done: the caller stopped waiting.
//
// The context rule covers a deadline too: a caller whose time ran out
// (the Slack bridge's slack.timeout, say) can no longer post a report
// with it, and says so itself.
func (c *Client) Analyze(ctx context.Context, b *investigate.Bundle, req Request) (*analysis.Report, error) {
	start := time.Now()
	lang := req.Language
	if lang != "ja" {
		lang = "en"
	}
	mode := ChooseMode(req.Mode, b, req.Tools != nil)
	r := &analysis.Report{Language: lang, Mode: mode, Model: c.model, Question: req.Question, Bundle: b,
		Generated: time.Now().UTC()}
	if b != nil {
		r.Title = b.Title
	}
	if req.Mode == "" || req.Mode == ModeAuto {
		r.Notes = append(r.Notes, autoNote(lang, mode, b))
	} else if req.Mode != mode {
		r.Notes = append(r.Notes, note(lang, "note_no_tools", map[string]any{"Mode": req.Mode}))
	}
	if req.BundleErr != nil {
		r.Notes = append(r.Notes, note(lang, "note_no_bundle", map[string]any{"Error": req.BundleErr.Error()}))
	}
	meter := &Meter{}
	budget := req.Budget.withDefaults()
	data := promptData{Architecture: req.Architecture, Language: lang, Question: req.Question, Alarm: req.Alarm, Evidence: evidenceText(b, req.BundleErr), MaxSteps: budget.MaxSteps}
	var text, stop string
	var aliases map[string]string // other names the model may cite a call by
	if mode == ModeOneShot {
		data.Tools = nil
		req.Progress.Report(0, 1, "asking "+c.model+" (one shot)")
		reply, err := c.Converse(ctx, Call{System: prompts.MustRender(lang, prompts.System, data),
			Messages: []types.Message{userText(prompts.MustRender(lang, prompts.OneShot, data))}}, meter)
		if err != nil {
			if !c.canDegrade(ctx, b, err) {
				return nil, err
			}
			req.Progress.Report(1, 1, "the model failed: the report is the engine's evidence alone")
			c.degrade(r, b, nil, err)
			return c.finish(r, b, nil, meter, start), nil
		}
		req.Progress.Report(1, 1, "answered")
		text, stop = reply.Text, reply.StopReason
	} else {
		reports := 0
		specs := req.Tools.Specs()
		for _, s := range specs {
			data.Tools = append(data.Tools, s.Name)
		}
		a := &Agent{Client: c, Tools: req.Tools, Budget: budget, Language: lang, Meter: meter,
			System: prompts.MustRender(lang, prompts.System, data),
			Progress: func(step, max int, msg string) {
				// MCP wants progress to grow with every report, and a step
				// reports once per tool call: count reports, say the step.
				reports++
				req.Progress.Report(float64(reports), 0, fmt.Sprintf("step %d/%d: %s", step, max, msg))
			}}
		out, err := a.Run(ctx, prompts.MustRender(lang, prompts.Agent, data))
		if err != nil {
			if !c.canDegrade(ctx, b, err) {
				return nil, err
			}
			var calls []ToolCall
			if out != nil {
				calls = out.Calls
			}
			req.Progress.Report(float64(reports+1), 0, fmt.Sprintf("the model failed after %d tool call(s): the report is the engine's evidence alone", len(calls)))
			c.degrade(r, b, calls, err)
			return c.finish(r, b, nil, meter, start), nil
		}
		text, stop = out.Text, out.StopReason
		aliases = callAliases(out.Calls)
		r.ToolCalls = append(r.ToolCalls, reportCalls(out.Calls)...)
		if out.Forced != "" {
			reason := map[string]any{"Reason": out.Forced}
			r.Notes = append(r.Notes, note(lang, "note_forced", reason))
			r.Gaps = append(r.Gaps, investigate.Gap{Source: "analysis", What: note(lang, "gap_forced", reason), Action: note(lang, "gap_forced_action", nil)})
		}
		if out.Unfinished {
			r.Notes = append(r.Notes, note(lang, "note_unfinished", nil))
		}
	}
	if ans, err := parseAnswer(text); err == nil {
		ans.fill(r)
	} else {
		r.Summary = prompts.MustRender(lang, prompts.MalformedAnswer, map[string]any{"Problem": err.Error()}) + "\n\n" + strings.TrimSpace(text)
		r.RootCause.Confidence = analysis.Low
		r.Notes = append(r.Notes, note(lang, "note_unstructured", map[string]any{"Error": err.Error()}))
		if stop == "max_tokens" {
			r.Notes = append(r.Notes, note(lang, "note_cut", nil))
		}
	}
	return c.finish(r, b, aliases, meter, start), nil
}

// finish completes a report, the model's or a degraded one: the bundle's
// gaps and timeline where the answer has none, how to reproduce what it
// cites, which citations match nothing, and what it cost.
func (c *Client) finish(r *analysis.Report, b *investigate.Bundle, aliases map[string]string, meter *Meter, start time.Time) *analysis.Report {
	resolveCitations(r, aliases)
	if r.Title == "" {
		r.Title = "Incident analysis"
	}
	r.Gaps = mergeGaps(r.Gaps, b)
	r.Reproduce = append(r.Reproduce, reproductions(r, b)...)
	if len(r.Timeline) == 0 && b != nil {
		for _, e := range b.Timeline {
			ev := analysis.Event{Time: e.Time, Text: e.Text}
			if e.EvidenceID != "" {
				ev.Citations = []string{e.EvidenceID}
			}
			r.Timeline = append(r.Timeline, ev)
		}
	}
	r.Unverified = checkCitations(r)
	r.Usage = meter.Usage()
	r.Usage.ToolCalls = len(r.ToolCalls)
	r.Usage.WallMillis = time.Since(start).Milliseconds()
	return r
}

// reportCalls are the agent's tool calls as the report lists them.
func reportCalls(calls []ToolCall) []analysis.ToolCall {
	var out []analysis.ToolCall
	for _, call := range calls {
		out = append(out, analysis.ToolCall{ID: call.ID, Tool: call.Tool, Input: call.Input, Step: call.Step,
			Error: call.Error, Skipped: call.Skipped, Cut: call.Cut, Summary: call.Summary})
	}
	return out
}

// canDegrade says whether a failed model call becomes a degraded report:
// only with a bundle to build it from, and only while the caller still
// waits (a cancelled or expired ctx is the caller's decision, not a
// failure to paper over).
func (c *Client) canDegrade(ctx context.Context, b *investigate.Bundle, err error) bool {
	if b == nil || ctx.Err() != nil {
		return false
	}
	kind := errorCode(err)
	if e, ok := telemetry.AsError(err); ok {
		kind = string(e.Kind)
	}
	c.log.Warn().Str("model", c.model).Str("error", kind).Msg("the Bedrock call failed; the report is built from the evidence bundle alone")
	return true
}

func autoNote(lang, mode string, b *investigate.Bundle) string {
	switch {
	case mode == ModeOneShot:
		return note(lang, "note_auto_oneshot", nil)
	case b == nil:
		return note(lang, "note_auto_no_bundle", nil)
	case len(b.Gaps) > 0:
		return note(lang, "note_auto_gaps", map[string]any{"Count": len(b.Gaps)})
	}
	return note(lang, "note_auto_no_suspect", nil)
}

// note renders a sentence about the analysis for the report's reader.
func note(lang, name string, data any) string { return prompts.MustRender(lang, name, data) }

// promptData is what the templates read.
type promptData struct {
	Architecture, Language, Question, Alarm, Evidence string
	Tools                                             []string
	MaxSteps                                          int
}

// evidenceText is the bundle as the model reads it: its Markdown, or its
// JSON when it renders none.
func evidenceText(b *investigate.Bundle, bundleErr error) string {
	if b == nil {
		if bundleErr != nil {
			return "No evidence bundle: " + bundleErr.Error()
		}
		return "No evidence bundle."
	}
	if md := strings.TrimSpace(b.Markdown()); md != "" {
		return md
	}
	view := *b
	view.Charts = nil // points are for drawing, not for reading
	j, err := json.MarshalIndent(view, "", " ")
	if err != nil {
		return "The evidence bundle could not be rendered: " + err.Error()
	}
	return string(j)
}

// mergeGaps adds the bundle's gaps the model did not repeat.
func mergeGaps(gaps []investigate.Gap, b *investigate.Bundle) []investigate.Gap {
	if b == nil {
		return gaps
	}
	have := map[string]bool{}
	for _, g := range gaps {
		have[strings.ToLower(g.Source+"|"+g.What)] = true
	}
	for _, g := range b.Gaps {
		if !have[strings.ToLower(g.Source+"|"+g.What)] {
			gaps = append(gaps, g)
		}
	}
	return gaps
}

// reproductions says how to redo, by hand, each cited evidence item and
// each tool call the agent made.
func reproductions(r *analysis.Report, b *investigate.Bundle) []analysis.Reproduction {
	cited := map[string]bool{}
	for _, id := range r.RootCause.Citations {
		cited[id] = true
	}
	for _, h := range r.Hypotheses {
		for _, id := range append(append([]string{}, h.Supporting...), h.Contradicting...) {
			cited[id] = true
		}
	}
	have := map[string]bool{}
	for _, p := range r.Reproduce {
		have[p.Text] = true
	}
	var out []analysis.Reproduction
	add := func(p analysis.Reproduction) {
		if !have[p.Text] {
			have[p.Text] = true
			out = append(out, p)
		}
	}
	if b != nil {
		for _, e := range b.Evidence {
			if cited[e.ID] && e.Reproduce != "" {
				add(analysis.Reproduction{What: e.ID + " " + e.Title, Kind: "fa2", Text: fa2Command(e.Reproduce)})
			}
		}
	}
	for _, c := range r.ToolCalls {
		if !c.Skipped && !c.Error { // a failed call shows nothing to redo
			add(analysis.Reproduction{What: c.ID + " " + c.Tool, Kind: "fa2", Text: fmt.Sprintf("fa2 run %s --json '%s'", c.Tool, shellQuoted(string(c.Input)))})
		}
	}
	return out
}

// fa2Command turns an evidence item's "tool {json}" into a command line.
func fa2Command(reproduce string) string {
	if strings.HasPrefix(reproduce, "fa2 ") {
		return reproduce
	}
	name, args, ok := strings.Cut(reproduce, " ")
	if !ok || !json.Valid([]byte(strings.TrimSpace(args))) {
		return reproduce
	}
	return fmt.Sprintf("fa2 run %s --json '%s'", name, shellQuoted(strings.TrimSpace(args)))
}

// shellQuoted escapes single quotes for a single-quoted shell word.
func shellQuoted(s string) string { return strings.ReplaceAll(s, "'", `'\''`) }

// InsightRequest is a question about metrics.
type InsightRequest struct {
	Question, Language, Architecture string
	// Metrics is select_metrics' answer for the question, as text.
	Metrics string
	Bundle  *investigate.Bundle
}

// Insight answers a question from metrics in one call: the report's
// summary is the answer, in Markdown.
func (c *Client) Insight(ctx context.Context, req InsightRequest) (*analysis.Report, error) {
	start := time.Now()
	lang := req.Language
	if lang != "ja" {
		lang = "en"
	}
	meter := &Meter{}
	data := promptData{Architecture: req.Architecture, Language: lang, Question: req.Question, Evidence: req.Metrics}
	reply, err := c.Converse(ctx, Call{System: prompts.MustRender(lang, prompts.System, data),
		Messages: []types.Message{userText(prompts.MustRender(lang, prompts.MetricsInsight, data))}}, meter)
	if err != nil {
		return nil, err
	}
	r := &analysis.Report{Title: req.Question, Language: lang, Mode: ModeInsight, Model: c.model, Question: req.Question,
		Generated: time.Now().UTC(), Summary: strings.TrimSpace(reply.Text), Bundle: req.Bundle}
	if r.Summary == "" {
		r.Summary = prompts.MustRender(lang, prompts.MalformedAnswer, map[string]any{"Problem": "the answer was empty"})
	}
	if req.Bundle != nil {
		r.Gaps = req.Bundle.Gaps
	}
	r.Usage = meter.Usage()
	r.Usage.WallMillis = time.Since(start).Milliseconds()
	return r, nil
}

// callAliases maps what a model may cite a tool call by, other than its id:
// its toolUseId, and the tool's name when the tool ran once.
func callAliases(calls []ToolCall) map[string]string {
	out := map[string]string{}
	count := map[string]int{}
	for _, c := range calls {
		if !c.Skipped {
			count[c.Tool]++
		}
	}
	for _, c := range calls {
		if c.UseID != "" {
			out[c.UseID] = c.ID
		}
		if count[c.Tool] == 1 && !c.Skipped {
			out[c.Tool] = c.ID
		}
	}
	return out
}

// resolveCitations rewrites aliases of tool calls to their ids.
func resolveCitations(r *analysis.Report, aliases map[string]string) {
	if len(aliases) == 0 {
		return
	}
	fix := func(list []string) {
		for i, c := range list {
			if id, ok := aliases[c]; ok {
				list[i] = id
			}
		}
	}
	fix(r.RootCause.Citations)
	for i := range r.Hypotheses {
		fix(r.Hypotheses[i].Supporting)
		fix(r.Hypotheses[i].Contradicting)
	}
	for i := range r.Timeline {
		fix(r.Timeline[i].Citations)
	}
}
