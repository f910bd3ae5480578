package analysis

import (
	"fmt"
	"strings"
)

// Markdown renders the report for people and chat. (A minimal rendering
// until the analysis issue lands its full one.)
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n## Root cause (%s confidence)\n\n%s\n", r.Title, r.Summary, r.RootCause.Confidence, r.RootCause.Text)
	return b.String()
}
