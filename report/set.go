package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// Options are the reader's preferences for a report set.
type Options struct {
	// Location is the reader's time zone (report.timezone); nil is UTC.
	Location *time.Location
	// Font is report.font; empty finds one on the system.
	Font string
	// Generated stamps the report; zero is now.
	Generated time.Time
}

// Set is what WriteSet wrote.
type Set struct {
	Dir string `json:"dir"`
	// Files are the paths written, report.md first.
	Files []string `json:"files"`
	// Warnings say what could not be produced and why (no font for the
	// PDF, a chart that failed); the rest of the set is still written.
	Warnings []string `json:"warnings,omitempty"`
}

// Rendered is a report set in memory: the Markdown and its pictures.
type Rendered struct {
	Title    string
	Markdown string
	Charts   []Chart
	Diagram  *Diagram
	// DiagramPNG is the diagram as a picture (nil without a diagram).
	DiagramPNG []byte
	PDF        []byte
	Warnings   []string
}

// Render builds the report for an analysis, or for a bare investigation
// bundle when rep is nil: Markdown with the diagram as a ```mermaid block,
// the charts, the diagram's PNG and the PDF. Only an unusable input is an
// error; a missing font or a failed picture becomes a warning.
func Render(ctx context.Context, rep *analysis.Report, b *investigate.Bundle, opts Options) (*Rendered, error) {
	if rep == nil && b == nil {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "there is nothing to report: neither an analysis nor an investigation was given.")
	}
	if b == nil {
		b = rep.Bundle
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	gen := opts.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	out := &Rendered{}
	var body string
	switch {
	case rep != nil:
		out.Title = rep.Title
		body = rep.Markdown()
	default:
		out.Title = b.Title
		body = b.Markdown()
		if strings.TrimSpace(body) == "" {
			body = BundleSummary(b, loc)
		}
	}
	if out.Title == "" {
		out.Title = "Incident report"
	}
	var md strings.Builder
	if !strings.HasPrefix(strings.TrimSpace(body), "# ") {
		fmt.Fprintf(&md, "# %s\n\n", out.Title)
	}
	md.WriteString(strings.TrimSpace(body))
	md.WriteString("\n")

	if b != nil {
		charts, err := BundleCharts(b, ChartOptions{Location: loc, Font: opts.Font})
		if err != nil {
			out.Warnings = append(out.Warnings, "charts: "+err.Error())
		}
		out.Charts = charts
		if len(charts) > 0 {
			md.WriteString("\n## Charts\n\n")
			for _, c := range charts {
				fmt.Fprintf(&md, "![%s](%s)\n\n", mdAlt(c.Title), c.Name)
			}
		}
		if d := BuildDiagram(b, loc); d != nil {
			d.Font = opts.Font
			out.Diagram = d
			md.WriteString("\n## Hypothesis diagram\n\n")
			md.WriteString("Red: where requests fail. Purple: the suspect changes and what they touched. Dashed grey: calls named in the architecture but not seen by X-Ray.\n\n")
			md.WriteString("```mermaid\n" + d.Mermaid() + "```\n\n")
			png, _, err := d.PNG(ctx)
			if err != nil {
				out.Warnings = append(out.Warnings, "diagram picture: "+err.Error())
			} else {
				out.DiagramPNG = png
				md.WriteString("The same diagram as a picture: [diagram.png](diagram.png).\n")
			}
		}
	}
	out.Markdown = md.String()
	images := map[string][]byte{}
	for _, c := range out.Charts {
		images[c.Name] = c.PNG
	}
	pdf, err := PDF(out.Markdown, PDFOptions{Title: out.Title, Generated: gen, Location: loc, Font: opts.Font, Images: images, MermaidPNG: out.DiagramPNG})
	if err != nil {
		out.Warnings = append(out.Warnings, "PDF not written: "+err.Error())
	} else {
		out.PDF = pdf
	}
	return out, nil
}

// WriteSet renders the report (see Render) and writes it into dir:
// report.md, report.pdf, chart-N-<metric>.png and diagram.png. fa2
// analyze --out and fa2 investigate --charts call it.
func WriteSet(ctx context.Context, dir string, rep *analysis.Report, b *investigate.Bundle, opts Options) (*Set, error) {
	r, err := Render(ctx, rep, b, opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "cannot create the output directory %s: %v.", dir, err).WithHint("Choose a directory you can write to.")
	}
	set := &Set{Dir: dir, Warnings: r.Warnings}
	write := func(name string, data []byte) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return telemetry.Errorf(telemetry.KindInvalidInput, "cannot write %s: %v.", p, err).WithHint("Check the directory's permissions and free space.")
		}
		set.Files = append(set.Files, p)
		return nil
	}
	if err := write("report.md", []byte(r.Markdown)); err != nil {
		return nil, err
	}
	if r.PDF != nil {
		if err := write("report.pdf", r.PDF); err != nil {
			return nil, err
		}
	}
	for _, c := range r.Charts {
		if err := write(c.Name, c.PNG); err != nil {
			return nil, err
		}
	}
	if r.DiagramPNG != nil {
		if err := write("diagram.png", r.DiagramPNG); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func mdAlt(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(s)
}

// BundleSummary is a Markdown rendering of a bundle for people, used until
// (and wherever) the engine's own Bundle.Markdown is empty: what fired,
// when it began, the suspects, the timeline, the gaps.
func BundleSummary(b *investigate.Bundle, loc *time.Location) string {
	var s strings.Builder
	fmt.Fprintf(&s, "# %s\n\n", b.Title)
	fmt.Fprintf(&s, "- **Window:** %s – %s (%s)\n", b.Window.Start.In(loc).Format("2006-01-02 15:04"), b.Window.End.In(loc).Format("15:04"), zoneName(loc, b.Window.Start))
	if b.Onset != nil {
		fmt.Fprintf(&s, "- **Onset:** %s", b.Onset.In(loc).Format("15:04:05"))
		if b.OnsetSignal != "" {
			fmt.Fprintf(&s, " (%s)", b.OnsetSignal)
		}
		s.WriteString("\n")
	}
	for _, a := range b.Alarms {
		fmt.Fprintf(&s, "- **Alarm:** %s is %s", a.Name, a.State)
		if !a.FiredAt.IsZero() {
			fmt.Fprintf(&s, " since %s", a.FiredAt.In(loc).Format("15:04"))
		}
		s.WriteString("\n")
	}
	if b.Source != "" {
		fmt.Fprintf(&s, "- **Source:** %s\n", b.Source)
	}
	if len(b.Suspects) > 0 {
		s.WriteString("\n## Suspect changes\n\n| | time | change | likelihood | why |\n|---|---|---|---|---|\n")
		for i, c := range rankedSuspects(b.Suspects) {
			fmt.Fprintf(&s, "| C%d | %s | %s | %s | %s |\n", i+1, c.EventTime.In(loc).Format("15:04:05"), cell(suspectName(c)), c.Likelihood, cell(c.Why))
		}
	}
	if len(b.Timeline) > 0 {
		s.WriteString("\n## Timeline\n\n")
		for _, t := range b.Timeline {
			fmt.Fprintf(&s, "- %s %s", t.Time.In(loc).Format("15:04:05"), t.Text)
			if t.EvidenceID != "" {
				fmt.Fprintf(&s, " [%s]", t.EvidenceID)
			}
			s.WriteString("\n")
		}
	}
	if t := b.Topology; t != nil && len(t.Failures) > 0 {
		s.WriteString("\n## Failing requests (X-Ray)\n\n")
		for _, f := range t.Failures {
			fmt.Fprintf(&s, "- %d× %s in %s: `%s`", f.Count, f.Kind, f.Service, strings.Join(f.Path, " > "))
			if f.Exception != "" {
				fmt.Fprintf(&s, " — %s", f.Exception)
			}
			s.WriteString("\n")
		}
	}
	if len(b.Evidence) > 0 {
		s.WriteString("\n## Evidence\n\n")
		for _, e := range b.Evidence {
			fmt.Fprintf(&s, "- **%s** (%s) %s\n", e.ID, e.Source, e.Title)
		}
	}
	if len(b.Gaps) > 0 {
		s.WriteString("\n## What could not be checked\n\n")
		for _, g := range b.Gaps {
			fmt.Fprintf(&s, "- **%s:** %s %s\n", g.Source, g.What, g.Action)
		}
	}
	return s.String()
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
