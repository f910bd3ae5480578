package tools

import (
	"fmt"
	"sort"
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
