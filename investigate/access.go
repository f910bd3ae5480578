package investigate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// Access logs say what users got: when 5xx started and where, and — as
// often the first sign of a firewall or authentication change — requests
// the load balancer turned away itself (a WAF's 403, an authenticate
// action's 401) with no target ever seeing them.

// accessSplit is the per-minute access-log counts split into baseline and
// window.
type accessSplit struct {
	reqs, baseReqs       int64
	fails, baseFails     int64 // 5xx, from the load balancer or a target
	refused, baseRefused int64 // 4xx the load balancer answered itself
	first, last          time.Time
}

func splitAccess(m *telemetry.AccessLogStats, windowStart time.Time) accessSplit {
	var s accessSplit
	for _, grp := range m.Groups {
		t, err := time.Parse("2006-01-02T15:04", grp.Key)
		if err != nil {
			continue
		}
		f := fivexx(grp.AccessLogCounts)
		r := lbRefused(grp.AccessLogCounts)
		if t.Before(windowStart.Truncate(time.Minute)) {
			s.baseFails += f
			s.baseReqs += grp.Requests
			s.baseRefused += r
			continue
		}
		s.fails += f
		s.reqs += grp.Requests
		s.refused += r
		if f > 0 {
			if s.first.IsZero() || t.Before(s.first) {
				s.first = t
			}
			if t.After(s.last) {
				s.last = t
			}
		}
	}
	return s
}

// lbRefused counts the 4xx the load balancer answered itself: a target's
// 4xx is passed on as the load balancer's too, so the difference is what
// no target answered.
func lbRefused(c telemetry.AccessLogCounts) int64 { return max(c.ELB4xx-c.Target4xx, 0) }

// failuresRose reports 5xx at more than three times the baseline's count.
func (s accessSplit) failuresRose() bool { return s.fails > 0 && s.fails > 3*s.baseFails }

// refusalsRose reports a clear rise of requests the load balancer turned
// away: a handful more is clients' noise (a 400 here, a 460 there).
func (s accessSplit) refusalsRose() bool { return s.refused >= 10 && s.refused > 3*s.baseRefused }

// accessStatusRows is how many of the newest failed requests are read to
// say who answered them (the load balancer or a target) and why.
const accessStatusRows = 200

// accessItems says when 5xx started and where, which status codes users
// got and who answered them.
func (a *analysis) accessItems(g *gathered, sc *scope) {
	m := g.accessMinutes
	if m == nil || m.Totals.Requests == 0 {
		return
	}
	s := splitAccess(m, sc.window.Start)
	if s.reqs == 0 && s.baseReqs == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests, %d 5xx (%.1f%%) in the window; baseline %d requests, %d 5xx.", s.reqs, s.fails, pct(s.fails, s.reqs), s.baseReqs, s.baseFails)
	if !s.first.IsZero() {
		fmt.Fprintf(&b, " 5xx from %s to %s.", shortTime(s.first, sc), shortTime(s.last, sc))
	}
	if s.refusalsRose() {
		fmt.Fprintf(&b, " The load balancer itself refused %d requests with a 4xx no target answered (baseline %d).", s.refused, s.baseRefused)
	}
	codes := accessCodes(g.accessStatus)
	if len(codes) > 0 {
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = c.text
		}
		b.WriteString(" Status codes in the window: " + strings.Join(parts, ", ") + ".")
	}
	var paths, targets []string
	for _, p := range m.TopFailingPaths {
		if f := fivexx(p.AccessLogCounts); f > 0 && len(paths) < 4 {
			paths = append(paths, fmt.Sprintf("%s (%d)", p.Key, f))
		}
	}
	var refusedPaths []string
	if s.refusalsRose() {
		for _, p := range m.TopFailingPaths {
			if r := lbRefused(p.AccessLogCounts); r > 0 && len(refusedPaths) < 4 {
				refusedPaths = append(refusedPaths, fmt.Sprintf("%s (%d)", p.Key, r))
			}
		}
	}
	for _, t := range m.TopFailingTargets {
		if f := fivexx(t.AccessLogCounts); f > 0 && len(targets) < 4 {
			targets = append(targets, fmt.Sprintf("%s (%d)", t.Key, f))
		}
	}
	if len(paths) > 0 {
		fmt.Fprintf(&b, " Failing paths: %s.", strings.Join(paths, ", "))
	}
	if len(refusedPaths) > 0 {
		fmt.Fprintf(&b, " Refused paths: %s.", strings.Join(refusedPaths, ", "))
	}
	if len(targets) > 0 {
		fmt.Fprintf(&b, " Failing targets: %s.", strings.Join(targets, ", "))
	}
	if s.baseFails > 0 && (len(paths) > 0 || len(targets) > 0) {
		b.WriteString(" (Paths and targets count the baseline's 5xx too.)")
	}
	prio := 30.0
	title := "ALB requests and 5xx"
	if s.failuresRose() || s.refusalsRose() {
		prio = 78
		// What users got is failure evidence: the codes that rose and the
		// actions that answered them (a WAF's block) say what kind of
		// failure. A target's routine 404s are not part of it.
		var sig []string
		for _, c := range codes {
			if c.code >= 500 && s.failuresRose() || c.code < 500 && c.fromLB && s.refusalsRose() {
				sig = append(sig, c.text)
			}
		}
		if len(sig) > 0 {
			a.failedCallText = append(a.failedCallText, strings.Join(sig, ", "))
		}
	}
	if s.refusalsRose() && !s.failuresRose() {
		title = "ALB requests refused by the load balancer"
	}
	args := map[string]any{"status_min": 500, "group_by": "target"}
	if s.refusalsRose() {
		args = map[string]any{"status_min": 400, "group_by": "status"}
	}
	a.add(&item{source: srcAccessLogs, title: title, text: b.String(), priority: prio,
		reproduce: reproduce("query_access_logs", mergeArgs(windowArgs(sc.window), args))})
}

// accessCode is one status code users got in the window.
type accessCode struct {
	code int
	// fromLB: the load balancer answered some of the newest of them itself.
	fromLB bool
	text   string // "403 ×1656 (from the load balancer, actions waf)"
}

// accessCodes lists the window's 4xx and 5xx codes, most frequent first,
// each with who answered it in the newest failed requests (the load
// balancer itself, or a target) and the actions the load balancer took
// (waf, authenticate) when it answered.
func accessCodes(st *telemetry.AccessLogStats) []accessCode {
	if st == nil || len(st.Groups) == 0 {
		return nil
	}
	type who struct {
		lb, target int
		actions    map[string]int
	}
	byCode := map[int]*who{}
	for _, r := range st.Rows {
		w := byCode[r.ELBStatus]
		if w == nil {
			w = &who{actions: map[string]int{}}
			byCode[r.ELBStatus] = w
		}
		if r.TargetStatus == "" || r.TargetStatus == "-" {
			w.lb++
			for _, act := range strings.Split(r.ActionsExecuted, ",") {
				if act = strings.TrimSpace(act); act != "" && act != "-" && act != "forward" {
					w.actions[act]++
				}
			}
		} else {
			w.target++
		}
	}
	groups := append([]telemetry.AccessLogGroup(nil), st.Groups...)
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Requests > groups[j].Requests })
	var out []accessCode
	for _, g := range groups {
		code, err := strconv.Atoi(g.Key)
		if err != nil || code < 400 || len(out) >= 6 {
			continue
		}
		c := accessCode{code: code, text: fmt.Sprintf("%d ×%d", code, g.Requests)}
		if w := byCode[code]; w != nil {
			c.fromLB = w.lb > 0
			switch {
			case w.lb > 0 && w.target == 0:
				c.text += " (from the load balancer" + actionList(w.actions) + ")"
			case w.target > 0 && w.lb == 0:
				c.text += " (from targets)"
			default:
				c.text += fmt.Sprintf(" (%d of the newest from the load balancer%s, %d from targets)", w.lb, actionList(w.actions), w.target)
			}
		}
		out = append(out, c)
	}
	return out
}

func actionList(actions map[string]int) string {
	if len(actions) == 0 {
		return ""
	}
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return actions[names[i]] > actions[names[j]] || actions[names[i]] == actions[names[j]] && names[i] < names[j]
	})
	return ", actions " + strings.Join(names, ", ")
}
