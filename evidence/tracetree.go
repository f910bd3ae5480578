package evidence

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// TreeNode is one segment or subsegment in a compact trace tree. Times are
// milliseconds from the start of the trace.
type TreeNode struct {
	Name        string         `json:"name"`
	StartMs     float64        `json:"start_ms"`
	DurationMs  float64        `json:"duration_ms"`
	Status      string         `json:"status,omitempty"` // fault, error, throttle, in progress
	HTTP        string         `json:"http,omitempty"`   // "POST /api/checkout 500"
	Exception   string         `json:"exception,omitempty"`
	Annotations map[string]any `json:"annotations,omitempty"`
	Children    []TreeNode     `json:"children,omitempty"`
	// Omitted counts descendants left out to keep the tree small.
	Omitted int `json:"omitted,omitempty"`
}

// TraceTree renders a trace as trees of at most maxNodes nodes in total.
// Failing branches are kept first when nodes must be dropped.
func TraceTree(t telemetry.Trace, maxNodes int) []TreeNode {
	roots := traceForest(t)
	start := math.Inf(1)
	for _, r := range roots {
		start = math.Min(start, r.seg.StartTime)
	}
	budget := maxNodes
	var render func(n *node) TreeNode
	render = func(n *node) TreeNode {
		budget--
		s := n.seg
		tn := TreeNode{
			Name:    EntityLabel(*s),
			StartMs: round1((s.StartTime - start) * 1000),
		}
		if d, ok := Duration(s); ok {
			tn.DurationMs = round1(d * 1000)
		}
		switch {
		case n.fault:
			tn.Status = "fault"
		case n.err:
			tn.Status = "error"
		case n.throttle:
			tn.Status = "throttle"
		}
		if s.InProgress {
			tn.Status = strings.TrimSpace("in progress " + tn.Status)
		}
		tn.HTTP = httpLine(s.HTTPMethod, s.URL, n.status)
		if e, ok := InnermostException(&telemetry.Segment{Exceptions: n.exceptions}); ok {
			tn.Exception = clipText(strings.TrimPrefix(e.Type+": "+e.Message, ": "), 300)
		}
		if n.parent == nil || s.Origin != "" {
			tn.Annotations = s.Annotations
		}
		kids := append([]*node(nil), n.children...)
		// Failing children first when there is not room for all.
		sort.SliceStable(kids, func(i, j int) bool { return failing(kids[i]) && !failing(kids[j]) })
		for i, c := range kids {
			if budget <= 0 {
				tn.Omitted += countNodes(kids[i:]...)
				break
			}
			tn.Children = append(tn.Children, render(c))
		}
		sort.SliceStable(tn.Children, func(i, j int) bool { return tn.Children[i].StartMs < tn.Children[j].StartMs })
		return tn
	}
	var out []TreeNode
	for _, r := range roots {
		if budget <= 0 {
			break
		}
		out = append(out, render(r))
	}
	return out
}

// httpLine is "POST /api/checkout 500", or as much of it as was recorded:
// a response without a request is "500", never " 500".
func httpLine(method, url string, status int) string {
	line := requestLine(telemetry.TraceSummary{HTTPMethod: method, URL: url})
	if line == "" {
		line = method
	}
	if status != 0 {
		line = strings.TrimSpace(fmt.Sprintf("%s %d", line, status))
	}
	return line
}

func failing(n *node) bool {
	if n.failing() {
		return true
	}
	for _, c := range n.children {
		if failing(c) {
			return true
		}
	}
	return false
}

func countNodes(ns ...*node) int {
	c := 0
	for _, n := range ns {
		c += 1 + countNodes(n.children...)
	}
	return c
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// ServiceGraph counts requests per service over full traces the way X-Ray's
// service graph does: each service segment is a request to that service,
// each remote or AWS call a request to the downstream it names (once: the
// segment X-Ray infers for it is the same request). Average response times
// cover the requests that ended.
func ServiceGraph(traces []telemetry.Trace) []telemetry.ServiceStats {
	var g ServiceGraphSum
	for _, t := range traces {
		g.Add(ServiceTalliesOf(t))
	}
	return g.Result()
}

// ServiceTally is one request a trace makes to a service: what
// ServiceGraph counts. A reader can keep a trace's tallies instead of the
// trace itself and still build the graph of any set of traces.
type ServiceTally struct {
	Name, Type             string
	Fault, Error, Throttle bool
	Duration               float64
	Ended                  bool // Duration is known
}

// ServiceTalliesOf lists the requests of one trace, in the order
// ServiceGraph meets them.
func ServiceTalliesOf(t telemetry.Trace) []ServiceTally {
	var out []ServiceTally
	count := func(name, typ string, n *node) {
		st := ServiceTally{Name: name, Type: typ, Fault: n.fault, Error: n.err, Throttle: n.throttle}
		st.Duration, st.Ended = Duration(n.seg)
		out = append(out, st)
	}
	var walk func(n *node)
	walk = func(n *node) {
		s := n.seg
		if n.doc {
			count(s.Name, s.Origin, n)
		} else if !n.internal && (s.Namespace == "remote" || s.Namespace == "aws") {
			typ := "remote"
			if s.SQL != "" {
				typ = "Database::SQL"
			} else if s.Namespace == "aws" {
				typ = "AWS::" + s.Name
			}
			count(s.Name, typ, n)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	for _, r := range traceForest(t) {
		walk(r)
	}
	return out
}

// ServiceGraphSum adds tallies up into a service graph.
type ServiceGraphSum struct {
	stats   map[string]*telemetry.ServiceStats
	respSum map[string]float64
	respN   map[string]int
}

// Add counts one trace's tallies.
func (g *ServiceGraphSum) Add(tallies []ServiceTally) {
	if g.stats == nil {
		g.stats, g.respSum, g.respN = map[string]*telemetry.ServiceStats{}, map[string]float64{}, map[string]int{}
	}
	for _, t := range tallies {
		st, ok := g.stats[t.Name]
		if !ok {
			st = &telemetry.ServiceStats{Name: t.Name, Type: t.Type}
			g.stats[t.Name] = st
		}
		st.Total++
		switch {
		case t.Fault:
			st.Faults++
		case t.Error:
			st.Errors++
		case t.Throttle:
			st.Throttle++
		default:
			st.OK++
		}
		if t.Ended {
			g.respSum[t.Name] += t.Duration
			g.respN[t.Name]++
		}
	}
}

// Result is the graph, busiest service first.
func (g *ServiceGraphSum) Result() []telemetry.ServiceStats {
	out := make([]telemetry.ServiceStats, 0, len(g.stats))
	for name, st := range g.stats {
		if g.respN[name] > 0 {
			st.AvgResp = math.Round(g.respSum[name]/float64(g.respN[name])*10000) / 10000
		}
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Name < out[j].Name
	})
	return out
}
