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
)

// Request is what an analysis is asked.
type Request struct {
	Question string
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

// Analyze turns an investigation bundle into a report. It returns an error
// only when no report can be made (the model cannot be called); an answer
// the model garbles still yields a report that says so.
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
		r.Notes = append(r.Notes, autoNote(mode, b))
	} else if req.Mode != mode {
		r.Notes = append(r.Notes, fmt.Sprintf("%s mode was asked for, but no tools are available to the model: the analysis is one-shot.", req.Mode))
	}
	if req.BundleErr != nil {
		r.Notes = append(r.Notes, "The investigation engine failed, so the analysis started from the tools alone: "+req.BundleErr.Error())
	}
	meter := &Meter{}
	budget := req.Budget.withDefaults()
	data := promptData{Architecture: req.Architecture, Language: lang, Question: req.Question, Evidence: evidenceText(b, req.BundleErr), MaxSteps: budget.MaxSteps}
	var text, stop string
	if mode == ModeOneShot {
		data.Tools = nil
		req.Progress.Report(0, 1, "asking "+c.model+" (one shot)")
		reply, err := c.Converse(ctx, Call{System: prompts.MustRender(lang, prompts.System, data),
			Messages: []types.Message{userText(prompts.MustRender(lang, prompts.OneShot, data))}}, meter)
		if err != nil {
			return nil, err
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
			return nil, err
		}
		text, stop = out.Text, out.StopReason
		for _, call := range out.Calls {
			r.ToolCalls = append(r.ToolCalls, analysis.ToolCall{ID: call.ID, Tool: call.Tool, Input: call.Input, Step: call.Step,
				Error: call.Error, Skipped: call.Skipped, Cut: call.Cut, Summary: call.Summary})
		}
		if out.Forced != "" {
			r.Notes = append(r.Notes, out.Forced+" The model was asked for its final answer with the evidence it had.")
			r.Gaps = append(r.Gaps, investigate.Gap{Source: "analysis", What: out.Forced + " The agent may have stopped before checking every hypothesis.",
				Action: "Raise bedrock.agent.max_steps (or --max-steps), bedrock.agent.max_wall_time or bedrock.agent.max_input_tokens."})
		}
		if out.Unfinished {
			r.Notes = append(r.Notes, "The model kept asking for tools after being told to answer; its last text is used.")
		}
	}
	if ans, err := parseAnswer(text); err == nil {
		ans.fill(r)
	} else {
		r.Summary = prompts.MustRender(lang, prompts.MalformedAnswer, map[string]any{"Problem": err.Error()}) + "\n\n" + strings.TrimSpace(text)
		r.RootCause.Confidence = analysis.Low
		r.Notes = append(r.Notes, "The model's answer was not a structured report: "+err.Error()+".")
		if stop == "max_tokens" {
			r.Notes = append(r.Notes, "The answer was cut at the output limit (bedrock.max_tokens); raise it and run the analysis again.")
		}
	}
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
	return r, nil
}

func autoNote(mode string, b *investigate.Bundle) string {
	if mode == ModeOneShot {
		return "Mode auto chose one shot: the evidence names a likely suspect and nothing is missing."
	}
	switch {
	case b == nil:
		return "Mode auto chose the agent: there is no evidence bundle to reason over alone."
	case len(b.Gaps) > 0:
		return fmt.Sprintf("Mode auto chose the agent: the evidence has %d gap(s) to work around.", len(b.Gaps))
	}
	return "Mode auto chose the agent: the evidence names no likely suspect."
}

// promptData is what the templates read.
type promptData struct {
	Architecture, Language, Question, Evidence string
	Tools                                      []string
	MaxSteps                                   int
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
		if !c.Skipped {
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
