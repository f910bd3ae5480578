package evidence

import (
	"math"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence/xrayfilter"
	"github.com/fa2/fa2/telemetry"
)

// node is a segment in a trace-wide tree: documents of downstream services
// hang under the subsegment that called them.
type node struct {
	seg      *telemetry.Segment
	service  string
	parent   *node
	children []*node
}

// traceForest links a trace's segment documents into trees and returns
// the roots (segments whose parent is not in the trace).
func traceForest(t telemetry.Trace) []*node {
	byID := map[string]*node{}
	var all []*node
	var build func(s *telemetry.Segment, service string, parent *node) *node
	build = func(s *telemetry.Segment, service string, parent *node) *node {
		n := &node{seg: s, service: service, parent: parent}
		byID[s.ID] = n
		all = append(all, n)
		for i := range s.Subsegments {
			n.children = append(n.children, build(&s.Subsegments[i], service, n))
		}
		return n
	}
	var tops []*node
	for i := range t.Segments {
		tops = append(tops, build(&t.Segments[i], t.Segments[i].Name, nil))
	}
	var roots []*node
	for _, n := range tops {
		if p, ok := byID[n.seg.ParentID]; ok && n.seg.ParentID != "" && p != n {
			n.parent = p
			p.children = append(p.children, n)
			continue
		}
		roots = append(roots, n)
	}
	sort.SliceStable(roots, func(i, j int) bool { return roots[i].seg.StartTime < roots[j].seg.StartTime })
	for _, n := range all {
		sort.SliceStable(n.children, func(i, j int) bool { return n.children[i].seg.StartTime < n.children[j].seg.StartTime })
	}
	return roots
}

func epoch(sec float64) time.Time {
	s, frac := math.Modf(sec)
	return time.Unix(int64(s), int64(frac*1e9)).UTC()
}

// SummarizeTrace reduces a full trace to the summary X-Ray's
// GetTraceSummaries would give, root causes included.
func SummarizeTrace(t telemetry.Trace) telemetry.TraceSummary {
	roots := traceForest(t)
	sum := telemetry.TraceSummary{ID: t.ID, Duration: t.Duration}
	if len(roots) == 0 {
		return sum
	}
	root := roots[0].seg
	sum.Start = epoch(root.StartTime)
	sum.ResponseTime = root.EndTime - root.StartTime
	sum.HTTPStatus, sum.HTTPMethod, sum.URL = root.HTTPStatus, root.HTTPMethod, root.URL
	first, last := math.Inf(1), math.Inf(-1)
	seen := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		s := n.seg
		sum.HasFault = sum.HasFault || s.Fault
		sum.HasError = sum.HasError || s.Error
		sum.HasThrottle = sum.HasThrottle || s.Throttle
		first, last = math.Min(first, s.StartTime), math.Max(last, s.EndTime)
		name := ""
		if n.parent == nil || n.seg.Origin != "" || n.parent.service != n.service {
			name = n.service // a service's own segment
		} else if s.Namespace == "remote" || s.Namespace == "aws" {
			name = s.Name // an inferred downstream service
		}
		if name != "" && !seen[name] {
			seen[name] = true
			sum.Services = append(sum.Services, name)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	if sum.Duration == 0 && last > first {
		sum.Duration = last - first
	}
	sum.RootCauses = rootCauses(roots)
	return sum
}

// rootCauses finds the deepest failing entities: a failing node none of
// whose children fails. Faults win over errors, errors over throttles.
func rootCauses(roots []*node) []telemetry.RootCause {
	for _, kind := range []string{"fault", "error", "throttle"} {
		failing := func(n *node) bool {
			switch kind {
			case "fault":
				return n.seg.Fault
			case "error":
				return n.seg.Error
			}
			return n.seg.Throttle
		}
		var out []telemetry.RootCause
		seen := map[string]bool{}
		var walk func(n *node)
		walk = func(n *node) {
			deeper := false
			for _, c := range n.children {
				if failing(c) {
					deeper = true
				}
				walk(c)
			}
			if !failing(n) || deeper {
				return
			}
			rc := telemetry.RootCause{Kind: kind}
			var path []string
			for p := n; p != nil; p = p.parent {
				path = append([]string{EntityLabel(*p.seg)}, path...)
				if rc.Exception == "" && len(p.seg.Exceptions) > 0 {
					rc.Exception, rc.Message = p.seg.Exceptions[0].Type, p.seg.Exceptions[0].Message
				}
			}
			rc.Service, rc.EntityPath = n.service, path
			key := strings.Join(path, ">") + rc.Exception + rc.Message
			if !seen[key] {
				seen[key] = true
				out = append(out, rc)
			}
		}
		for _, r := range roots {
			walk(r)
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// FilterFields exposes a summary to filter expressions.
func FilterFields(s telemetry.TraceSummary) xrayfilter.Fields {
	return xrayfilter.Fields{
		Fault: s.HasFault, Error: s.HasError, Throttle: s.HasThrottle,
		HTTPStatus: s.HTTPStatus, HTTPMethod: s.HTTPMethod, URL: s.URL,
		ResponseTime: s.ResponseTime, Duration: s.Duration, Services: s.Services,
	}
}

// FailureGroup is a set of failing traces that share a root cause.
type FailureGroup struct {
	Kind       string    `json:"kind"`
	Service    string    `json:"service"`
	Path       string    `json:"path"`
	Exception  string    `json:"exception,omitempty"`
	Message    string    `json:"message,omitempty"`
	Count      int       `json:"count"`
	First      time.Time `json:"first"`
	Last       time.Time `json:"last"`
	Requests   []string  `json:"requests,omitempty"`
	Statuses   []int     `json:"http_statuses,omitempty"`
	ExampleIDs []string  `json:"example_trace_ids"`
}

// UnknownCause names failing traces whose root cause was not looked up.
const UnknownCause = "(root cause not fetched)"

// GroupFailures groups failing traces by root cause, largest group first.
// A trace with several root causes counts in each of their groups.
func GroupFailures(sums []telemetry.TraceSummary, maxExamples int) []FailureGroup {
	groups := map[string]*FailureGroup{}
	var order []string
	add := func(s telemetry.TraceSummary, rc telemetry.RootCause) {
		path := strings.Join(rc.EntityPath, " > ")
		msg := clipText(rc.Message, 300)
		key := rc.Kind + "|" + rc.Service + "|" + path + "|" + rc.Exception + "|" + msg
		g, ok := groups[key]
		if !ok {
			g = &FailureGroup{Kind: rc.Kind, Service: rc.Service, Path: path, Exception: rc.Exception, Message: msg, First: s.Start, Last: s.Start}
			groups[key] = g
			order = append(order, key)
		}
		g.Count++
		if s.Start.Before(g.First) {
			g.First = s.Start
		}
		if s.Start.After(g.Last) {
			g.Last = s.Start
		}
		if len(g.ExampleIDs) < maxExamples {
			g.ExampleIDs = append(g.ExampleIDs, s.ID)
		}
		if r := requestLine(s); r != "" && len(g.Requests) < 3 && !contains(g.Requests, r) {
			g.Requests = append(g.Requests, r)
		}
		if s.HTTPStatus != 0 && len(g.Statuses) < 5 && !containsInt(g.Statuses, s.HTTPStatus) {
			g.Statuses = append(g.Statuses, s.HTTPStatus)
		}
	}
	for _, s := range sums {
		if !s.HasFault && !s.HasError && !s.HasThrottle {
			continue
		}
		if len(s.RootCauses) == 0 {
			kind := "fault"
			if !s.HasFault {
				kind = "error"
				if !s.HasError {
					kind = "throttle"
				}
			}
			svc := ""
			if len(s.Services) > 0 {
				svc = s.Services[0]
			}
			add(s, telemetry.RootCause{Kind: kind, Service: svc, EntityPath: []string{UnknownCause}})
			continue
		}
		for _, rc := range s.RootCauses {
			add(s, rc)
		}
	}
	out := make([]FailureGroup, 0, len(order))
	for _, k := range order {
		out = append(out, *groups[k])
	}
	rank := map[string]int{"fault": 0, "error": 1, "throttle": 2}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].Kind] != rank[out[j].Kind] {
			return rank[out[i].Kind] < rank[out[j].Kind]
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// requestLine is "METHOD /path" of a summary, without host or query.
func requestLine(s telemetry.TraceSummary) string {
	if s.URL == "" {
		return ""
	}
	p := s.URL
	if u, err := url.Parse(s.URL); err == nil && u.Path != "" {
		p = u.Path
	}
	return strings.TrimSpace(s.HTTPMethod + " " + p)
}

// SlowestTraces returns the n traces with the longest response time.
func SlowestTraces(sums []telemetry.TraceSummary, n int) []telemetry.TraceSummary {
	c := append([]telemetry.TraceSummary(nil), sums...)
	sort.SliceStable(c, func(i, j int) bool { return c[i].ResponseTime > c[j].ResponseTime })
	if len(c) > n {
		c = c[:n]
	}
	for i := range c {
		c[i].RootCauses = nil // shown in the failure groups
	}
	return c
}

// TraceCounts are totals over a set of summaries.
type TraceCounts struct {
	Matched   int `json:"matched"`
	Faults    int `json:"faults"`
	Errors    int `json:"errors"`
	Throttles int `json:"throttles"`
}

// CountTraces totals summaries by outcome.
func CountTraces(sums []telemetry.TraceSummary) TraceCounts {
	c := TraceCounts{Matched: len(sums)}
	for _, s := range sums {
		if s.HasFault {
			c.Faults++
		}
		if s.HasError {
			c.Errors++
		}
		if s.HasThrottle {
			c.Throttles++
		}
	}
	return c
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
