package evidence

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence/xrayfilter"
	"github.com/fa2/fa2/telemetry"
)

// node is a segment in a trace-wide tree: documents of downstream services
// hang under the subsegment that called them. Its outcome (flags, status,
// exceptions) is the segment's own plus what was folded into it: the
// segment X-Ray inferred for the resource it called, and the SDK's
// internal subsegments (attempt, wait, marshal, …) of an AWS call.
type node struct {
	seg      *telemetry.Segment
	service  string
	parent   *node
	children []*node
	// doc is set for a segment document (a service's own segment).
	doc bool
	// internal is set for a subsegment inside an AWS, remote or SQL call
	// that is not itself a call: the SDK's plumbing of that call.
	internal bool

	fault, err, throttle bool
	status               int
	exceptions           []telemetry.TraceException
}

func (n *node) failing() bool { return n.fault || n.err || n.throttle }

// isCall reports whether the node is a call to something downstream.
func (n *node) isCall() bool {
	s := n.seg
	return !n.doc && (s.Namespace == "aws" || s.Namespace == "remote" || s.SQL != "")
}

// sdkInternalNames are subsegments AWS SDKs and their X-Ray
// instrumentation record inside one call. They are folded into the call
// even when they carry a namespace, so retries never split a failure.
var sdkInternalNames = map[string]bool{
	"attempt": true, "wait": true, "marshal": true, "unmarshal": true, "connect": true, "dns": true,
	"dial": true, "tls": true, "request": true, "response": true, "retry": true, "sign": true,
}

// traceForest links a trace's segment documents into trees and returns
// the roots (segments whose parent is not in the trace).
func traceForest(t telemetry.Trace) []*node {
	total := 0
	for i := range t.Segments {
		total += countSegments(&t.Segments[i])
	}
	// One allocation for every node; the capacity keeps pointers stable.
	store := make([]node, 0, total)
	byID := make(map[string]*node, total)
	var excByID map[string]telemetry.TraceException
	all := make([]*node, 0, total)
	var build func(s *telemetry.Segment, service string, parent *node) *node
	build = func(s *telemetry.Segment, service string, parent *node) *node {
		store = append(store, node{seg: s, service: service, parent: parent, doc: parent == nil, fault: s.Fault, err: s.Error, throttle: s.Throttle, status: s.HTTPStatus, exceptions: s.Exceptions})
		n := &store[len(store)-1]
		if parent != nil && (parent.internal || parent.isCall()) && (s.Namespace == "" || sdkInternalNames[strings.ToLower(s.Name)] ||
			// The HTTP request that carries an AWS call (as OpenTelemetry
			// instrumentation records it) is the call, not a further one.
			(parent.seg.Namespace == "aws" && s.Namespace == "remote" && s.Operation == "" && s.SQL == "")) {
			n.internal = true
		}
		byID[s.ID] = n
		all = append(all, n)
		for _, e := range s.Exceptions {
			if e.ID != "" {
				if excByID == nil {
					excByID = map[string]telemetry.TraceException{}
				}
				excByID[e.ID] = e
			}
		}
		if len(s.Subsegments) > 0 {
			n.children = make([]*node, 0, len(s.Subsegments))
		}
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
		if p, ok := byID[n.seg.ParentID]; ok && n.seg.ParentID != "" && !descendsFrom(p, n) {
			if n.seg.Inferred {
				// X-Ray inferred this segment from the subsegment p, which
				// already is the call: fold it in rather than count it twice.
				absorb(p, n)
				continue
			}
			n.parent = p
			p.children = append(p.children, n)
			continue
		}
		roots = append(roots, n)
	}
	for _, n := range all {
		if len(n.exceptions) == 0 && n.seg.CauseRef != "" {
			if e, ok := excByID[n.seg.CauseRef]; ok {
				n.exceptions = []telemetry.TraceException{e}
			}
		}
	}
	// Fold SDK-internal subsegments into their call, deepest first.
	for i := len(all) - 1; i >= 0; i-- {
		if n := all[i]; n.internal && n.parent != nil {
			absorb(n.parent, n)
		}
	}
	byStart := func(a, b *node) int { return cmp.Compare(a.seg.StartTime, b.seg.StartTime) }
	slices.SortStableFunc(roots, byStart)
	for _, n := range all {
		if len(n.children) > 1 {
			slices.SortStableFunc(n.children, byStart)
		}
	}
	return roots
}

// descendsFrom reports whether p is n or lies below it: linking n under p
// would then make a cycle (a document naming its own subsegment, or two
// naming each other, as corrupt or hostile input can).
func descendsFrom(p, n *node) bool {
	for a := p; a != nil; a = a.parent {
		if a == n {
			return true
		}
	}
	return false
}

func countSegments(s *telemetry.Segment) int {
	n := 1
	for i := range s.Subsegments {
		n += countSegments(&s.Subsegments[i])
	}
	return n
}

// absorb gives dst what src says about the outcome of the same call:
// failure flags, and the status and exceptions dst lacks.
func absorb(dst, src *node) {
	dst.fault = dst.fault || src.fault
	dst.err = dst.err || src.err
	dst.throttle = dst.throttle || src.throttle
	if dst.status == 0 {
		dst.status = src.status
	}
	if len(dst.exceptions) == 0 {
		dst.exceptions = src.exceptions
	}
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
	sum.HTTPStatus, sum.HTTPMethod, sum.URL = root.HTTPStatus, root.HTTPMethod, root.URL
	first, last := math.Inf(1), math.Inf(-1)
	seen := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		s := n.seg
		sum.HasFault = sum.HasFault || n.fault
		sum.HasError = sum.HasError || n.err
		sum.HasThrottle = sum.HasThrottle || n.throttle
		first = math.Min(first, s.StartTime)
		if !s.InProgress {
			last = math.Max(last, s.EndTime)
		}
		name := ""
		if n.parent == nil || n.seg.Origin != "" || n.parent.service != n.service {
			name = n.service // a service's own segment
		} else if !n.internal && (s.Namespace == "remote" || s.Namespace == "aws") {
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
	// An in-progress root has no response time yet: the latest end seen in
	// the trace bounds it from below.
	if d, ok := Duration(root); ok {
		sum.ResponseTime = d
	} else if last > root.StartTime {
		sum.ResponseTime = last - root.StartTime
	}
	if sum.Duration <= 0 && last > first {
		sum.Duration = last - first
	}
	sum.RootCauses = rootCauses(roots)
	return sum
}

// rootCauses finds where each failure started. For the trace's worst kind
// (faults win over errors, errors over throttles) it takes every failing
// node none of whose calls fails the same way, then follows the failure
// further down into failing calls of a milder kind: a 500 from order-api
// whose DynamoDB PutItem got a 400 AccessDeniedException is that 400, not
// the wrapper exception order-api threw.
func rootCauses(roots []*node) []telemetry.RootCause {
	for ki, kind := range []string{"fault", "error", "throttle"} {
		is := func(n *node) bool {
			switch kind {
			case "fault":
				return n.fault
			case "error":
				return n.err
			}
			return n.throttle
		}
		// milder reports a failure the kind may be followed into.
		milder := func(n *node) bool {
			return (ki <= 0 && n.fault) || (ki <= 1 && n.err) || n.throttle
		}
		var out []telemetry.RootCause
		var seen map[string]bool
		// walk reports whether n's subtree holds a node of this kind; a
		// node of this kind with none below it (the SDK's internal
		// subsegments are part of their call, not below it) is a root cause.
		var walk func(n *node) bool
		walk = func(n *node) bool {
			deeper := false
			for _, c := range n.children {
				if !c.internal && walk(c) {
					deeper = true
				}
			}
			if !is(n) || deeper {
				return deeper
			}
			rc := followDown(n, kind, milder)
			key := strings.Join(rc.EntityPath, ">") + rc.Exception + rc.Message
			if seen == nil {
				seen = map[string]bool{}
			}
			if !seen[key] {
				seen[key] = true
				out = append(out, rc)
			}
			return true
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

// followDown walks from a failing node into its failing calls, the one
// that ended last at each step (the failure the caller reacted to), and
// describes the deepest: its path, labelled with a failing call's HTTP
// status, and the nearest exception, innermost cause first.
func followDown(n *node, kind string, milder func(*node) bool) telemetry.RootCause {
	deepest := n
	for {
		var next *node
		for _, c := range deepest.children {
			if !c.internal && milder(c) && (next == nil || endOf(c) >= endOf(next)) {
				next = c
			}
		}
		if next == nil {
			break
		}
		deepest = next
	}
	rc := telemetry.RootCause{Kind: kind, Service: deepest.service}
	var path []string
	for p := deepest; p != nil; p = p.parent {
		label := EntityLabel(*p.seg)
		if p.isCall() && p.status >= 400 {
			label += " (" + strconv.Itoa(p.status) + ")"
		}
		path = append([]string{label}, path...)
		if rc.Exception == "" && rc.Message == "" {
			if e, ok := InnermostException(&telemetry.Segment{Exceptions: p.exceptions}); ok {
				rc.Exception, rc.Message = e.Type, e.Message
			}
		}
	}
	rc.EntityPath = path
	return rc
}

// endOf is when a node ended; in-progress nodes have not, so they sort last.
func endOf(n *node) float64 {
	if d, ok := Duration(n.seg); ok {
		return n.seg.StartTime + d
	}
	return math.Inf(1)
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
		if r := requestLine(s); r != "" && len(g.Requests) < 3 && !slices.Contains(g.Requests, r) {
			g.Requests = append(g.Requests, r)
		}
		if s.HTTPStatus != 0 && len(g.Statuses) < 5 && !slices.Contains(g.Statuses, s.HTTPStatus) {
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
