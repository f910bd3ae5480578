// Package prompts holds fa2's prompt templates, English and Japanese, as
// embedded text files. Go code never carries prompt text: it renders a
// template by name with the data the template documents at its top.
// Telemetry goes into prompts only through the fence function, which wraps
// it in a code fence it cannot close, so the model can tell data from
// instructions.
package prompts

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"text/template"
)

//go:embed templates
var files embed.FS

// Languages are the languages prompts exist in.
var Languages = []string{"en", "ja"}

// Template names.
const (
	System          = "system"          // the investigator's system prompt
	OneShot         = "oneshot"         // one call: bundle + question → report
	Agent           = "agent"           // the agent's first turn: bundle + question
	Final           = "final"           // the final report's format
	ForcedFinal     = "forced_final"    // a budget ran out: answer now
	ToolTooLarge    = "tool_too_large"  // a tool result over the cap
	RepeatedCall    = "repeated_call"   // the same call again
	ToolSkipped     = "tool_skipped"    // a call not run because a budget ran out
	Compacted       = "compacted"       // an older tool result, compacted
	Findings        = "findings"        // the security findings report
	MetricsInsight  = "metrics_insight" // a question answered from metrics
	Diagram         = "diagram"         // the hypothesis diagram (Mermaid)
	SelectMetrics   = "select_metrics"  // the LLM metric selector
	InvestigateMCP  = "mcp_investigate_alarm"
	SecurityReview  = "mcp_security_review"
	MalformedAnswer = "malformed_answer" // the summary of a report whose answer could not be read
	BudgetReason    = "budget_reason"    // which budget ran out
	UnknownTool     = "unknown_tool"     // the model named a tool that does not exist
)

var (
	once sync.Once
	sets map[string]*template.Template
	err  error
)

func load() {
	sets = map[string]*template.Template{}
	for _, lang := range Languages {
		t := template.New(lang).Funcs(template.FuncMap{"fence": Fence, "join": strings.Join})
		matches, e := fs.Glob(files, path.Join("templates", lang, "*.tmpl"))
		if e != nil || len(matches) == 0 {
			err = fmt.Errorf("prompts: no templates for %s", lang)
			return
		}
		for _, m := range matches {
			b, e := files.ReadFile(m)
			if e != nil {
				err = e
				return
			}
			name := strings.TrimSuffix(path.Base(m), ".tmpl")
			if _, e := t.New(name).Parse(string(b)); e != nil {
				err = fmt.Errorf("prompts: %s: %w", m, e)
				return
			}
		}
		sets[lang] = t
	}
}

// Render executes template name in lang ("" or unknown means English) with
// data, trimming surrounding blank space.
func Render(lang, name string, data any) (string, error) {
	once.Do(load)
	if err != nil {
		return "", err
	}
	set, ok := sets[lang]
	if !ok {
		set = sets["en"]
	}
	t := set.Lookup(name)
	if t == nil {
		return "", fmt.Errorf("prompts: no template %q in %s", name, lang)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("prompts: %s/%s: %w", lang, name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// MustRender is Render for templates whose data is built in code and tested:
// a failure is a bug in fa2, not in the input.
func MustRender(lang, name string, data any) string {
	s, err := Render(lang, name, data)
	if err != nil {
		panic(err)
	}
	return s
}

// Names lists the templates of a language.
func Names(lang string) []string {
	once.Do(load)
	set, ok := sets[lang]
	if !ok {
		return nil
	}
	var out []string
	for _, t := range set.Templates() {
		if t.Name() != lang {
			out = append(out, t.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Fence wraps data in a Markdown code fence labelled label whose backtick
// run is longer than any run inside data, so nothing in the data (a log
// line written by an attacker, say) can close the fence and pass for
// instructions.
func Fence(label, data string) string {
	longest, run := 0, 0
	for _, r := range data {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	ticks := strings.Repeat("`", max(3, longest+1))
	return ticks + label + "\n" + strings.TrimRight(data, "\n") + "\n" + ticks
}
