package investigate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// traceGroup is a failure group of the window, compared with the baseline.
type traceGroup struct {
	evidence.FailureGroup
	baseCount int
	isNew     bool
}

// slowService is a service whose average response time rose.
type slowService struct {
	name           string
	avg, baseAvg   float64
	total, faults  int64
	baseTotal      int64
	baseFaultCount int64
}

// compareFailures groups the window's failing traces by where they fail
// (the deepest failing call, as evidence.GroupFailures reads RootCause) and
// marks the groups the baseline did not have.
func compareFailures(win, base *telemetry.TraceSummaries) []traceGroup {
	if win == nil {
		return nil
	}
	baseCounts := map[string]int{}
	if base != nil {
		for _, g := range evidence.GroupFailures(base.Summaries, 1) {
			baseCounts[groupKey(g)] += g.Count
		}
	}
	var out []traceGroup
	for _, g := range evidence.GroupFailures(win.Summaries, 3) {
		n := baseCounts[groupKey(g)]
		out = append(out, traceGroup{FailureGroup: g, baseCount: n, isNew: n == 0})
	}
	// New groups first, then by size: a failure the baseline already had is
	// background.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].isNew != out[j].isNew {
			return out[i].isNew
		}
		return out[i].Count > out[j].Count
	})
	return out
}

func groupKey(g evidence.FailureGroup) string {
	return g.Kind + "|" + g.Path + "|" + g.Exception
}

// slowServices compares per-service response times with the baseline.
func slowServices(win, base []telemetry.ServiceStats) []slowService {
	before := map[string]telemetry.ServiceStats{}
	for _, s := range base {
		before[s.Name] = s
	}
	var out []slowService
	for _, s := range win {
		b, ok := before[s.Name]
		if !ok || b.Total == 0 || s.Total == 0 {
			continue
		}
		if s.AvgResp >= 3*b.AvgResp && s.AvgResp-b.AvgResp >= 0.2 {
			out = append(out, slowService{name: s.Name, avg: s.AvgResp, baseAvg: b.AvgResp, total: s.Total, faults: s.Faults + s.Errors, baseTotal: b.Total, baseFaultCount: b.Faults + b.Errors})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].avg/out[i].baseAvg > out[j].avg/out[j].baseAvg })
	return out
}

// describe renders a failure group in one line: where it fails and why.
func (g traceGroup) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d× %s %s", g.Count, g.Kind, g.Path)
	if g.Exception != "" || g.Message != "" {
		b.WriteString(" — ")
		if g.Exception != "" {
			b.WriteString(g.Exception)
			if g.Message != "" {
				b.WriteString(": ")
			}
		}
		b.WriteString(clip(g.Message, 240))
	}
	return b.String()
}
