package bedrock

import (
	"sort"
	"strconv"
	"strings"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// degrade fills r from the evidence bundle alone after a model call failed:
// at 3 a.m. the engine's evidence-based answer, marked as such, beats an
// error. The engine's verdict becomes the summary, its suspects the
// hypotheses (the suspect's reason as reasoning, its evidence id as the
// citation), the top likely suspect the root cause at low confidence; the
// agent's tool calls made before the failure are kept; a gap says what
// failed and what to do. The rest of the report (timeline, gaps of the
// bundle, reproductions, usage) is finished by Analyze as for any report.
func (c *Client) degrade(r *analysis.Report, b *investigate.Bundle, calls []ToolCall, cause error) {
	lang := r.Language
	why, kind, hint := cause.Error(), telemetry.Kind(""), ""
	if e, ok := telemetry.AsError(cause); ok {
		why, kind, hint = e.Msg, e.Kind, e.Hint
	}
	why = strings.TrimSpace(why)
	r.ToolCalls = append(r.ToolCalls, reportCalls(calls)...)
	made := 0
	for _, call := range calls {
		if !call.Skipped {
			made++
		}
	}
	r.Degraded = note(lang, "note_degraded", map[string]any{"Model": c.model, "Calls": made, "Error": why})
	r.DegradedReason = why

	r.Summary = strings.TrimSpace(b.Verdict)
	if r.Summary == "" {
		r.Summary = note(lang, "degraded_no_verdict", nil)
	}
	var top *investigate.Suspect
	for _, s := range rankSuspects(b.Suspects) {
		h := analysis.Hypothesis{Title: suspectChange(s), Reasoning: s.Why}
		var cite []string
		if s.EvidenceID != "" {
			cite = []string{s.EvidenceID}
		}
		switch s.Likelihood {
		case investigate.Likely:
			h.Status, h.Supporting = "supported", cite
			if top == nil {
				top = &s
			}
		case investigate.Unlikely:
			// The item shows the change; its reason says why it is not
			// the cause.
			h.Status, h.Contradicting = "refuted", cite
		default:
			h.Status, h.Supporting = "open", cite
		}
		r.Hypotheses = append(r.Hypotheses, h)
	}
	r.RootCause = analysis.RootCause{Confidence: analysis.Low}
	if top != nil {
		data := map[string]any{"Change": suspectChange(*top), "Why": strings.TrimSuffix(strings.TrimSpace(top.Why), ".")}
		r.RootCause.Text = note(lang, "degraded_root_cause", data)
		if top.EvidenceID != "" {
			r.RootCause.Citations = []string{top.EvidenceID}
		}
		r.Actions.Mitigate = []string{note(lang, "degraded_action", data)}
	} else {
		r.RootCause.Text = note(lang, "degraded_no_root_cause", map[string]any{"Error": why})
	}

	action := note(lang, degradedAction(kind), map[string]any{"Model": c.model, "Region": c.region})
	if degradedAction(kind) == "gap_degraded_other" && hint != "" {
		action = hint // explain's hint names the setting to change
	}
	r.Gaps = append(r.Gaps, investigate.Gap{Source: "analysis", What: note(lang, "gap_degraded", map[string]any{"Error": why}), Action: action})
}

// degradedAction names the template saying what to do about a failure of
// this kind.
func degradedAction(kind telemetry.Kind) string {
	switch kind {
	case telemetry.KindAccessDenied:
		return "gap_degraded_access"
	case telemetry.KindThrottled, telemetry.KindLimit:
		return "gap_degraded_throttled"
	case telemetry.KindUnavailable, telemetry.KindTimeout:
		return "gap_degraded_unavailable"
	case telemetry.KindNotFound:
		return "gap_degraded_model"
	}
	return "gap_degraded_other"
}

// rankSuspects orders suspects likely, possible, unlikely, keeping the
// engine's order within each: its ranking weighs more than the score (a
// change the failure's own message points at comes first), so the top
// likely suspect is the first likely one the bundle lists.
func rankSuspects(in []investigate.Suspect) []investigate.Suspect {
	out := append([]investigate.Suspect(nil), in...)
	rank := map[string]int{investigate.Likely: 0, investigate.Possible: 1, investigate.Unlikely: 2}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Likelihood] < rank[out[j].Likelihood] })
	return out
}

// suspectChange names a change on one line: "UpdateFunctionConfiguration
// by deploy-role on checkout-fn at 2026-03-04 09:25 UTC".
func suspectChange(s investigate.Suspect) string {
	n := s.EventName
	if n == "" {
		n = "a change"
	}
	if p := s.Principal; p != "" {
		if _, role, ok := strings.Cut(p, ":assumed-role/"); ok {
			p, _, _ = strings.Cut(role, "/") // the role, not the session
		} else if i := strings.LastIndexByte(p, '/'); i >= 0 && i < len(p)-1 {
			p = p[i+1:]
		}
		n += " by " + p
	}
	if len(s.Resources) > 0 {
		n += " on " + s.Resources[0]
		if len(s.Resources) > 1 {
			n += " (+" + strconv.Itoa(len(s.Resources)-1) + ")"
		}
	}
	if !s.EventTime.IsZero() {
		n += " at " + s.EventTime.UTC().Format("2006-01-02 15:04 UTC")
	}
	return n
}
