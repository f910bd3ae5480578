package investigate

import (
	"strings"

	"github.com/fa2/fa2/evidence"
)

// topology is what the report's hypothesis diagram draws from: X-Ray's
// per-service counts in the window and the window's failure groups with
// the entity path each failed on. Nil when no trace was read.
func topology(g *gathered, evidenceItems []Evidence) *Topology {
	if g.traceWin == nil && len(g.graphWin) == 0 {
		return nil
	}
	t := &Topology{Services: g.graphWin}
	traceID := ""
	for _, e := range evidenceItems {
		if e.Source == "traces" {
			traceID = e.ID
			break
		}
	}
	if g.traceWin != nil {
		for _, f := range evidence.GroupFailures(g.traceWin.Summaries, 1) {
			if f.Path == evidence.UnknownCause {
				continue
			}
			t.Failures = append(t.Failures, FailurePath{Kind: f.Kind, Service: f.Service, Path: strings.Split(f.Path, " > "),
				Exception: f.Exception, Count: f.Count, EvidenceID: traceID})
		}
	}
	if len(t.Services) == 0 && len(t.Failures) == 0 {
		return nil
	}
	return t
}
