package tools

import (
	"context"
	"strings"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/telemetry"
)

// FindingsReportInput is the input of findings_report.
type FindingsReportInput struct {
	TimeRange
	Product     string   `json:"product,omitempty" jsonschema:"enum=securityhub,enum=guardduty,enum=both" jsonschema_description:"Default both."`
	MinSeverity string   `json:"min_severity,omitempty" jsonschema:"enum=LOW,enum=MEDIUM,enum=HIGH,enum=CRITICAL" jsonschema_description:"Lowest severity included."`
	Language    string   `json:"language,omitempty" jsonschema:"enum=en,enum=ja"`
	Resources   []string `json:"resources,omitempty" jsonschema_description:"Only findings on these (ARN, id or name parts)."`
}

// FindingsReportOutput is the result of findings_report: the report as
// data, and as Markdown in the text content.
type FindingsReportOutput struct {
	Page
	*report.FindingsReport
}

// FindingsReport is the findings_report tool.
func FindingsReport() Tool {
	return New("findings_report", "Security findings report",
		"Security Hub and GuardDuty findings as a report to read: counts by severity, type and resource, the high-severity ones with why they matter and how to fix them, actions and next steps (Markdown).",
		RunFindingsReport)
}

// RunFindingsReport builds the report; `fa2 report findings` calls it too.
func RunFindingsReport(ctx context.Context, env *Env, in FindingsReportInput) (*FindingsReportOutput, error) {
	if env.Sources.Findings == nil {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "this source has no security findings.").WithHint("Use a snapshot with securityhub.json or guardduty.json, or live AWS.")
	}
	w, err := in.Window(env)
	if err != nil {
		return nil, err
	}
	product := strings.ToLower(in.Product)
	var sources []string
	switch product {
	case "", "both", "all":
		product = "both"
	case telemetry.FindingSourceSecurityHub, telemetry.FindingSourceGuardDuty:
		sources = []string{product}
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "product %q is not known.", in.Product).WithHint("Use securityhub, guardduty or both.")
	}
	min := strings.ToUpper(in.MinSeverity)
	if min != "" && evidence.SeverityRankOf(min) < 1 {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "min_severity %q is not known.", in.MinSeverity).WithHint("Use LOW, MEDIUM, HIGH or CRITICAL.")
	}
	lang := in.Language
	if lang == "" {
		lang = env.Config.Language
	}
	if lang != "en" && lang != "ja" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "language %q is not supported.", in.Language).WithHint("Use en or ja.")
	}
	list, err := env.Sources.Findings.SecurityFindings(ctx, telemetry.FindingQuery{Sources: sources, MinSeverity: min, Window: w, Limit: 500, Progress: ProgressFrom(ctx)})
	if err != nil {
		return nil, err
	}
	r := report.BuildFindings(list, report.FindingsInput{Window: w, Source: env.Sources.Name, Product: product, MinSeverity: min,
		Resources: in.Resources, Language: lang, Location: env.Config.Report.Location()})
	r.Narrate(ctx, env.FindingsNarrator)
	return &FindingsReportOutput{FindingsReport: r}, nil
}

// Text is the report in Markdown.
func (o *FindingsReportOutput) Text() string {
	md := o.Markdown()
	if o.Truncated {
		md += "\n(truncated) " + o.Hint + "\n"
	}
	return md
}

// Shrink drops the briefly listed findings first, then the explained ones.
func (o *FindingsReportOutput) Shrink() bool {
	return halve(&o.Others) || halve(&o.Priority) || halve(&o.ByResource)
}
