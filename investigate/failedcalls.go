package investigate

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// A workload's AWS calls that began to fail with the incident name the
// resource that broke, even when its logs do not: ~240 kms:Decrypt →
// DisabledException by the renderer's role say which key. A failing call
// that also fails in the baseline is background.

// callFailure is one kind of failed call: the API, its error and who
// called (an assumed role's sessions count as the role).
type callFailure struct {
	source, name, code, caller string
	window, base               int
	first, last                time.Time
	resources                  map[string]bool
	message                    string
}

// minNewFailedCalls is how many window failures of a kind never seen in
// the baseline make it evidence: one or two are noise.
const minNewFailedCalls = 3

// failedCallItems lists the new kinds of failed call and implicates what
// they name: fully when the caller is a workload the failure evidence
// already names, weakly otherwise.
func (a *analysis) failedCallItems(g *gathered, sc *scope) {
	if g.failedCalls == nil {
		return
	}
	if g.failedCalls.Stats.Partial != "" {
		// The cap cut the read (newest first): unless it still reached well
		// into the baseline, every failure would look new.
		oldest := sc.window.End
		for _, ev := range g.failedCalls.Events {
			if ev.Time.Before(oldest) {
				oldest = ev.Time
			}
		}
		if oldest.After(sc.window.Start.Add(-10 * time.Minute)) {
			return
		}
	}
	byKey := map[string]*callFailure{}
	var keys []string
	for _, ev := range g.failedCalls.Events {
		if ev.ErrorCode == "" || ev.Time.Before(sc.baseline.Start) || ev.Time.After(sc.window.End) {
			continue
		}
		caller := ev.Principal
		if r := roleName(ev.Principal); r != "" {
			caller = "role/" + r
		}
		k := ev.Source + " " + ev.Name + " " + ev.ErrorCode + " " + caller
		f := byKey[k]
		if f == nil {
			f = &callFailure{source: ev.Source, name: ev.Name, code: ev.ErrorCode, caller: caller, resources: map[string]bool{}}
			byKey[k] = f
			keys = append(keys, k)
		}
		if ev.Time.Before(sc.window.Start) {
			f.base++
			continue
		}
		f.window++
		if f.first.IsZero() || ev.Time.Before(f.first) {
			f.first = ev.Time
		}
		if ev.Time.After(f.last) {
			f.last = ev.Time
		}
		for _, r := range ev.Resources {
			f.resources[r] = true
		}
		if f.message == "" {
			f.message = ev.ErrorMessage
		}
	}
	var news []*callFailure
	for _, k := range keys {
		if f := byKey[k]; f.base == 0 && f.window >= minNewFailedCalls {
			news = append(news, f)
		}
	}
	sort.SliceStable(news, func(i, j int) bool { return news[i].window > news[j].window })
	for i, f := range news {
		if i == 4 {
			break
		}
		var res []string
		for r := range f.resources {
			res = append(res, r)
		}
		sort.Strings(res)
		text := fmt.Sprintf("%d× %s %s → %s by %s, %s..%s (never in the baseline)", f.window, strings.TrimSuffix(f.source, ".amazonaws.com"), f.name, f.code, f.caller, shortTime(f.first, sc), shortTime(f.last, sc))
		if len(res) > 0 {
			text += " on " + strings.Join(clipList(res, 3), ", ")
		}
		if f.message != "" {
			text += ": " + clip(strings.TrimRight(f.message, "."), 200)
		}
		text += "."
		it := a.add(&item{source: srcChanges, title: "New failing AWS calls: " + f.name + " → " + f.code, text: text, priority: 80 - float64(i),
			reproduce: reproduce("query_cloudtrail", mergeArgs(windowArgs(sc.window), map[string]any{"event_names": []string{f.name}, "only_mutating": false}))})
		weight, what := 0.5, "new failing AWS calls"
		if len(a.im.linkTo(identifiers(f.caller))) > 0 {
			weight, what = 1, "new failing AWS calls of the failing workload"
		}
		for _, r := range res {
			a.im.add(r, it, weight, what)
		}
		if weight >= 1 {
			a.failedCallText = append(a.failedCallText, strings.TrimSuffix(f.source, ".amazonaws.com")+" "+f.code+" "+f.message)
		}
		a.timeline = append(a.timeline, timelineDraft{t: f.first, kind: "first_error", text: fmt.Sprintf("first %s → %s by %s", f.name, f.code, f.caller), ref: it})
	}
}
