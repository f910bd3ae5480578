package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/slackbridge"
	"github.com/fa2/fa2/tools"
)

// Pictures draws the report's metric charts and hypothesis diagram with
// the report package, as `fa2 analyze --out` writes them, for the bridge
// to upload to the thread. A picture that fails is left out; the error
// says which, and the others still go.
func (e *slackEngine) Pictures(ctx context.Context, b *investigate.Bundle, r *analysis.Report) ([]slackbridge.Picture, error) {
	if b == nil && r != nil {
		b = r.Bundle
	}
	if b == nil {
		return nil, nil
	}
	cfg := e.env.Config
	loc := cfg.Report.Location()
	var pics []slackbridge.Picture
	var errs []error
	charts, err := report.BundleCharts(b, report.ChartOptions{Location: loc, Font: cfg.Report.Font})
	if err != nil {
		errs = append(errs, fmt.Errorf("charts: %w", err))
	}
	if d := report.BuildDiagram(b, loc); d != nil {
		d.Font = cfg.Report.Font
		png, _, err := d.PNG(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("diagram: %w", err))
		} else {
			// The diagram first: it says in one picture where requests
			// fail and which changes touched what.
			pics = append(pics, slackbridge.Picture{Name: "diagram.png", Title: diagramTitle(cfg.Language), PNG: png})
		}
	}
	for _, c := range charts {
		pics = append(pics, slackbridge.Picture{Name: c.Name, Title: c.Title, PNG: c.PNG})
	}
	return pics, errors.Join(errs...)
}

func diagramTitle(lang string) string {
	if lang == "ja" {
		return "仮説図: 失敗している経路と疑わしい変更"
	}
	return "Hypothesis diagram: where requests fail and the suspect changes"
}

// FindingsReport renders the findings report (the findings_report tool,
// with the model's overview when one is configured) as a short summary,
// the Markdown and, when a font is available, a PDF.
func (e *slackEngine) FindingsReport(ctx context.Context) (*slackbridge.Document, error) {
	out, err := tools.RunFindingsReport(ctx, e.env, tools.FindingsReportInput{})
	if err != nil {
		return nil, err
	}
	r := out.FindingsReport
	cfg := e.env.Config
	md := r.Markdown()
	doc := &slackbridge.Document{Summary: findingsSummary(r), Title: r.Title, Markdown: md,
		Name: "fa2-findings-" + r.Generated.In(cfg.Report.Location()).Format("2006-01-02-1504")}
	pdf, err := report.PDF(md, report.PDFOptions{Title: r.Title, Generated: r.Generated, Location: cfg.Report.Location(), Font: cfg.Report.Font})
	if err != nil {
		// Without a font the Markdown is the report; the log says what to
		// install.
		e.env.Log.Warn().Err(err).Msg("the findings report's PDF was not made")
	} else {
		doc.PDF = pdf
	}
	return doc, nil
}

// maxSummaryFindings bounds the findings named in the Slack reply.
const maxSummaryFindings = 5

// findingsSummary is the reply to /fa2 findings: the counts and the
// findings that matter most, in the report's language.
func findingsSummary(r *report.FindingsReport) string {
	ja := r.Language == "ja"
	var b strings.Builder
	if r.Total == 0 {
		if ja {
			b.WriteString("有効な検出結果はありません。")
		} else {
			b.WriteString("No active findings.")
		}
	} else {
		var parts []string
		for _, c := range r.BySeverity {
			parts = append(parts, fmt.Sprintf("%s %d", c.Key, c.Count))
		}
		if ja {
			fmt.Fprintf(&b, "**検出結果 %d 件**（%s）、リソース %d 件", r.Total, strings.Join(parts, "、"), len(r.ByResource))
		} else {
			fmt.Fprintf(&b, "**%d findings** (%s) on %d resources", r.Total, strings.Join(parts, ", "), len(r.ByResource))
		}
		for i, it := range r.Priority {
			if i == maxSummaryFindings {
				break
			}
			fmt.Fprintf(&b, "\n• [%s] %s", it.Severity, it.Title)
			if it.Resource != "" {
				fmt.Fprintf(&b, " — `%s`", it.Resource)
			}
		}
	}
	if len(r.Actions) > 0 {
		if ja {
			b.WriteString("\n**最初の対応:** ")
		} else {
			b.WriteString("\n**First action:** ")
		}
		b.WriteString(r.Actions[0])
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "\n_%s_", w)
	}
	return b.String()
}

// The bridge uploads pictures and findings documents when the engine
// provides them.
var (
	_ slackbridge.Illustrator      = (*slackEngine)(nil)
	_ slackbridge.FindingsReporter = (*slackEngine)(nil)
)
