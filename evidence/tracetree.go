package evidence

import (
	"fmt"
	"math"
	"sort"

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
			Name:       EntityLabel(*s),
			StartMs:    round1((s.StartTime - start) * 1000),
			DurationMs: round1((s.EndTime - s.StartTime) * 1000),
		}
		switch {
		case s.InProgress:
			tn.Status = "in progress"
		case s.Fault:
			tn.Status = "fault"
		case s.Error:
			tn.Status = "error"
		case s.Throttle:
			tn.Status = "throttle"
		}
		if s.HTTPStatus != 0 || s.URL != "" {
			tn.HTTP = requestLine(telemetry.TraceSummary{HTTPMethod: s.HTTPMethod, URL: s.URL})
			if s.HTTPStatus != 0 {
				tn.HTTP = fmt.Sprintf("%s %d", tn.HTTP, s.HTTPStatus)
			}
		}
		if len(s.Exceptions) > 0 {
			tn.Exception = clipText(s.Exceptions[0].Type+": "+s.Exceptions[0].Message, 300)
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

func failing(n *node) bool {
	if n.seg.Fault || n.seg.Error || n.seg.Throttle {
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
// each remote or AWS subsegment a request to the downstream it names.
func ServiceGraph(traces []telemetry.Trace) []telemetry.ServiceStats {
	stats := map[string]*telemetry.ServiceStats{}
	respSum := map[string]float64{}
	count := func(name, typ string, s *telemetry.Segment) {
		st, ok := stats[name]
		if !ok {
			st = &telemetry.ServiceStats{Name: name, Type: typ}
			stats[name] = st
		}
		st.Total++
		switch {
		case s.Fault:
			st.Faults++
		case s.Error:
			st.Errors++
		case s.Throttle:
			st.Throttle++
		default:
			st.OK++
		}
		respSum[name] += s.EndTime - s.StartTime
	}
	var walk func(s *telemetry.Segment, top bool)
	walk = func(s *telemetry.Segment, top bool) {
		if top {
			count(s.Name, s.Origin, s)
		} else if s.Namespace == "remote" || s.Namespace == "aws" {
			typ := "remote"
			if s.SQL != "" {
				typ = "Database::SQL"
			} else if s.Namespace == "aws" {
				typ = "AWS::" + s.Name
			}
			count(s.Name, typ, s)
		}
		for i := range s.Subsegments {
			walk(&s.Subsegments[i], false)
		}
	}
	for _, t := range traces {
		for i := range t.Segments {
			walk(&t.Segments[i], true)
		}
	}
	out := make([]telemetry.ServiceStats, 0, len(stats))
	for name, st := range stats {
		st.AvgResp = math.Round(respSum[name]/float64(st.Total)*10000) / 10000
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
