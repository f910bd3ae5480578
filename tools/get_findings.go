package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// GetFindingsInput is the input of get_findings.
type GetFindingsInput struct {
	TimeRange
	Source      string `json:"source,omitempty" jsonschema:"enum=securityhub,enum=guardduty,enum=all" jsonschema_description:"Which service (default all)."`
	MinSeverity string `json:"min_severity,omitempty" jsonschema:"enum=LOW,enum=MEDIUM,enum=HIGH,enum=CRITICAL" jsonschema_description:"Lowest severity returned (default: all)."`
	Limit       int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=500" jsonschema_description:"Max findings (default 50)."`
}

// GetFindingsOutput is the result of get_findings.
type GetFindingsOutput struct {
	Page
	Source string `json:"source"`
	// Window is the update-time filter; zero when every active finding counts.
	Window   telemetry.Window        `json:"window,omitzero"`
	Matched  int                     `json:"matched"`
	Summary  evidence.FindingSummary `json:"summary"`
	Findings []telemetry.Finding     `json:"findings"`
	Stats    telemetry.QueryStats    `json:"stats"`
}

// GetFindings is the get_findings tool.
func GetFindings() Tool {
	return New("get_findings", "Get security findings",
		"Active Security Hub and GuardDuty findings (all of them by default; start/end keep those updated in that window), in one shape (severity, type or control, resource, first/last seen), most severe first, with counts by severity and type. Tells a security event apart from an operational failure.",
		getFindings).Needs(SourceFindings)
}

func getFindings(ctx context.Context, env *Env, in GetFindingsInput) (*GetFindingsOutput, error) {
	// Findings are standing state, not events: without start or end every
	// active finding counts, whatever its update time.
	var w telemetry.Window
	if in.Start != "" || in.End != "" {
		var err error
		if w, err = in.Window(env); err != nil {
			return nil, err
		}
	}
	var sources []string
	switch strings.ToLower(in.Source) {
	case "", "all":
	case telemetry.FindingSourceSecurityHub, telemetry.FindingSourceGuardDuty:
		sources = []string{strings.ToLower(in.Source)}
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "source %q is not known.", in.Source).WithHint("Use securityhub, guardduty or all.")
	}
	min := strings.ToUpper(in.MinSeverity)
	if min != "" && (evidence.SeverityRankOf(min) < 1) {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "min_severity %q is not known.", in.MinSeverity).WithHint("Use LOW, MEDIUM, HIGH or CRITICAL.")
	}
	limit, err := countArg("limit", in.Limit, 50, 500)
	if err != nil {
		return nil, err
	}
	r, err := env.Sources.Findings.SecurityFindings(ctx, telemetry.FindingQuery{Sources: sources, MinSeverity: min, Window: w, Limit: limit, Progress: ProgressFrom(ctx)})
	if err != nil {
		return nil, err
	}
	out := &GetFindingsOutput{Source: env.Sources.Name, Window: w, Matched: len(r.Findings), Summary: evidence.SummarizeFindings(r.Findings), Findings: r.Findings, Stats: r.Stats}
	if len(out.Findings) > limit {
		out.Findings = out.Findings[:limit]
		out.Truncate(fmt.Sprintf("Showing the %d most severe of %d findings; raise min_severity or limit.", limit, out.Matched))
	}
	if r.Stats.Partial != "" {
		out.Truncate(r.Stats.Partial)
	}
	return out, nil
}

// Shrink drops the least severe half of the findings, then the type list.
func (o *GetFindingsOutput) Shrink() bool {
	return halve(&o.Findings) || halve(&o.Summary.ByType)
}

// Text renders the result compactly.
func (o *GetFindingsOutput) Text() string {
	var b strings.Builder
	if o.Window.Start.IsZero() {
		fmt.Fprintf(&b, "get_findings active, any update time (%s): %d findings", o.Source, o.Matched)
	} else {
		fmt.Fprintf(&b, "get_findings updated %s..%s (%s): %d findings", o.Window.Start.Format(time.RFC3339), o.Window.End.Format(time.RFC3339), o.Source, o.Matched)
	}
	for i := len(telemetry.SeverityLabels) - 1; i >= 0; i-- {
		if n := o.Summary.BySeverity[telemetry.SeverityLabels[i]]; n > 0 {
			fmt.Fprintf(&b, " %s=%d", telemetry.SeverityLabels[i], n)
		}
	}
	b.WriteByte('\n')
	for _, f := range o.Findings {
		kind := f.Type
		if f.ControlID != "" {
			kind = f.ControlID
		}
		fmt.Fprintf(&b, "  %-8s %-11s %s: %s [%s] last seen %s", f.Severity, f.Source, kind, clip(f.Title, 160), f.Resource, f.LastSeen.Format(time.RFC3339))
		if f.Count > 1 {
			fmt.Fprintf(&b, " ×%d", f.Count)
		}
		b.WriteByte('\n')
	}
	for _, w := range o.Stats.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Truncated {
		fmt.Fprintf(&b, "(truncated) %s\n", o.Hint)
	}
	return b.String()
}
