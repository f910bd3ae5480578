// Package postmortem saves finished analyses into the knowledge folder as
// post-mortem drafts, so the next similar incident finds them with
// search_knowledge. It is apart from package knowledge because it needs
// analysis.Report, and the engine, which analysis builds on, may search
// knowledge itself.
package postmortem

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
)

// frontMatter is the YAML header of a draft: what a later search or a
// person filters on.
type frontMatter struct {
	Title       string    `yaml:"title"`
	Status      string    `yaml:"status"`
	Alarms      []string  `yaml:"alarms,omitempty"`
	WindowStart string    `yaml:"window_start,omitempty"`
	WindowEnd   string    `yaml:"window_end,omitempty"`
	Onset       string    `yaml:"onset,omitempty"`
	RootCause   string    `yaml:"root_cause"`
	Confidence  string    `yaml:"confidence,omitempty"`
	Severity    string    `yaml:"severity,omitempty"`
	Suspects    []suspect `yaml:"suspects,omitempty"`
	Generated   string    `yaml:"generated"`
	Model       string    `yaml:"model,omitempty"`
}

type suspect struct {
	Event      string   `yaml:"event"`
	Time       string   `yaml:"time"`
	Principal  string   `yaml:"principal,omitempty"`
	Resources  []string `yaml:"resources,omitempty"`
	Likelihood string   `yaml:"likelihood"`
}

// Save writes r as a Markdown draft under dir and returns its path. The
// name starts with the incident's date and a slug of its title; an
// existing draft is never overwritten (a numbered name is chosen).
func Save(dir string, r *analysis.Report) (string, error) {
	if r == nil {
		return "", fmt.Errorf("no report to save")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("post-mortem folder %s: %w", dir, err)
	}
	fm := frontMatter{Title: r.Title, Status: "draft", RootCause: r.RootCause.Text, Confidence: r.RootCause.Confidence,
		Severity: r.RootCause.Severity, Model: r.Model, Generated: r.Generated.UTC().Format(time.RFC3339)}
	when := r.Generated
	if b := r.Bundle; b != nil {
		for _, a := range b.Alarms {
			fm.Alarms = append(fm.Alarms, a.Name)
		}
		if !b.Window.Start.IsZero() {
			fm.WindowStart, fm.WindowEnd = b.Window.Start.UTC().Format(time.RFC3339), b.Window.End.UTC().Format(time.RFC3339)
			when = b.Window.Start
		}
		if b.Onset != nil {
			fm.Onset = b.Onset.UTC().Format(time.RFC3339)
		}
		for _, s := range b.Suspects {
			fm.Suspects = append(fm.Suspects, suspect{Event: s.EventName, Time: s.EventTime.UTC().Format(time.RFC3339), Principal: s.Principal, Resources: s.Resources, Likelihood: s.Likelihood})
		}
	}
	if fm.Title == "" {
		fm.Title = "Incident " + when.UTC().Format("2006-01-02 15:04")
	}
	head, err := yaml.Marshal(fm)
	if err != nil {
		return "", err
	}
	var body strings.Builder
	body.WriteString("---\n")
	body.Write(head)
	body.WriteString("---\n\n")
	body.WriteString(r.Markdown())
	if len(r.Actions.Fix)+len(r.Actions.Prevent) > 0 {
		body.WriteString("\n## Follow-ups\n\n")
		for _, a := range append(append([]string{}, r.Actions.Fix...), r.Actions.Prevent...) {
			fmt.Fprintf(&body, "- [ ] %s\n", a)
		}
	}
	base := when.UTC().Format("2006-01-02") + "-" + slug(fm.Title)
	for i := 1; ; i++ {
		name := base + ".md"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.md", base, i)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := f.WriteString(body.String()); err != nil {
			f.Close()
			return "", err
		}
		return path, f.Close()
	}
}

// SaveIfConfigured saves r when knowledge.save_reports is on, into
// knowledge.dir/knowledge.reports_dir; it returns "" when saving is off.
func SaveIfConfigured(cfg *config.Config, r *analysis.Report) (string, error) {
	k := cfg.Knowledge
	if !k.SaveReports || k.Dir == "" {
		return "", nil
	}
	return Save(filepath.Join(k.Dir, k.ReportsDir), r)
}

var nonSlug = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// slug keeps letters and digits of any script, joined by dashes, short.
func slug(s string) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if r := []rune(s); len(r) > 60 {
		s = strings.TrimRight(string(r[:60]), "-")
	}
	if s == "" {
		return "incident"
	}
	return s
}
