package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/report"
)

// ModelFindingsNarrator writes findings_report's overview with Amazon
// Bedrock and the prompts' findings template, in the report's language.
// The deterministic report stays whole underneath: the model only adds
// the overview, and a failing call leaves a warning instead.
type ModelFindingsNarrator struct {
	// Client returns the Bedrock client (Env.BedrockClient), so the client
	// is built only when a report is asked for.
	Client       func(ctx context.Context) (*bedrock.Client, error)
	Architecture string
}

// FindingsNarratorFor is env's narrator: the model's when bedrock.model_id
// is set, nil (a deterministic report) otherwise.
func FindingsNarratorFor(env *Env) report.Narrator {
	if env.Model == nil && (env.Config == nil || env.Config.Bedrock.ModelID == "") {
		return nil
	}
	arch := ""
	if env.Config != nil {
		arch = env.Config.Architecture
	}
	return ModelFindingsNarrator{Client: env.BedrockClient, Architecture: arch}
}

// NarrateFindings implements report.Narrator.
func (n ModelFindingsNarrator) NarrateFindings(ctx context.Context, r *report.FindingsReport) (string, error) {
	c, err := n.Client(ctx)
	if err != nil {
		return "", err
	}
	return c.FindingsOverview(ctx, bedrock.FindingsRequest{Language: r.Language, Architecture: n.Architecture, Findings: findingsEvidence(r)})
}

// maxNarratedOthers bounds the briefly listed findings shown to the model.
const maxNarratedOthers = 30

// findingsEvidence is the report's findings as the model reads them: the
// counts, then one line per finding with an id (F1, F2, …) to cite.
func findingsEvidence(r *report.FindingsReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d findings from %s (%s), last updated %s to %s.\n", r.Total, r.Source, r.Product,
		r.Window.Start.UTC().Format("2006-01-02 15:04"), r.Window.End.UTC().Format("2006-01-02 15:04 MST"))
	counts := func(name string, cs []report.Count) {
		if len(cs) == 0 {
			return
		}
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = fmt.Sprintf("%s %d", c.Key, c.Count)
		}
		fmt.Fprintf(&b, "By %s: %s.\n", name, strings.Join(parts, ", "))
	}
	counts("severity", r.BySeverity)
	counts("type", r.ByType)
	counts("resource", r.ByResource)
	id := 0
	line := func(sev, source, kind, title, resource string, count int64, extra string) {
		id++
		fmt.Fprintf(&b, "F%d [%s] %s %s: %s; resource %s", id, sev, source, kind, title, resource)
		if count > 1 {
			fmt.Fprintf(&b, "; seen %d times", count)
		}
		b.WriteString(extra + "\n")
	}
	for _, it := range r.Priority {
		extra := ""
		if it.Description != "" {
			extra = "; " + clipText(it.Description, 300)
		}
		line(it.Severity, it.Source, it.Type, it.Title, it.Resource, it.Count, extra)
	}
	for i, f := range r.Others {
		if i == maxNarratedOthers {
			fmt.Fprintf(&b, "… and %d lower-severity findings not listed.\n", len(r.Others)-i)
			break
		}
		line(f.Severity, f.Source, f.Type, f.Title, f.Resource, f.Count, "")
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "Could not check: %s\n", w)
	}
	return b.String()
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
