package tools

import (
	"fmt"
	"sort"
	"strings"
)

// Catalogue returns every fa2 tool. Add a tool here and it is served over
// MCP, listed by `fa2 tools` and callable with `fa2 run`.
func Catalogue() []Tool {
	return []Tool{
		Investigate(),
		QueryLogs(),
		GetAlarms(),
		GetTraces(),
		SelectMetrics(),
		QueryCloudTrail(),
		QueryAccessLogs(),
		GetFindings(),
		SearchKnowledge(),
	}
}

// Find returns the tool with the given name.
func Find(name string) (Tool, error) {
	var names []string
	for _, t := range Catalogue() {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	sort.Strings(names)
	return Tool{}, fmt.Errorf("no tool named %q; the tools are: %v", name, names)
}

// MarkdownTable renders the catalogue as the README's tool table, so the
// README says what the code serves (a test checks they agree).
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| tool | what it does | needs |\n|---|---|---|\n")
	for _, t := range Catalogue() {
		var needs []string
		for _, s := range t.NeededSources() {
			needs = append(needs, string(s))
		}
		note := ""
		if !t.Annotations.Idempotent {
			note = " *(not idempotent: each call does new work)*"
		}
		fmt.Fprintf(&b, "| `%s` | %s%s | %s |\n", t.Name, strings.ReplaceAll(t.Description, "|", "\\|"), note, strings.Join(needs, ", "))
	}
	return b.String()
}
