package investigate

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// charsPerToken is how densely telemetry text packs into tokens.
const charsPerToken = 2.5

// EstimateTokens estimates the tokens of s as fa2 does everywhere.
func EstimateTokens(s string) int { return int(math.Ceil(float64(len(s)) / charsPerToken)) }

// bundle renders the analysis within the budget: items in order of
// priority get ids E1, E2, …; the least important are dropped until the
// Markdown fits, and ids of the kept ones never change.
func (a *analysis) bundle(src collectors.Sources, sc *scope, g *gathered, req Request, lang string, budget int) *Bundle {
	sort.SliceStable(a.items, func(i, j int) bool { return a.items[i].priority > a.items[j].priority })
	for i, it := range a.items {
		it.id = fmt.Sprintf("E%d", i+1)
	}
	b := &Bundle{
		Title:    title(req, sc),
		Source:   src.Name,
		Language: lang,
		Alarms:   a.alarms,
		Window:   sc.window,
		Baseline: sc.baseline,
		Onset:    a.onset,
		Gaps:     g.gaps,
		Budget:   budget,
		Notes:    append([]string(nil), sc.notes...),
	}
	if b.Alarms == nil {
		b.Alarms = []AlarmRef{}
	}
	if b.Gaps == nil {
		b.Gaps = []Gap{}
	}
	if a.onset != nil {
		b.OnsetSignal = a.onsetBy
	}
	b.Implicated = a.im.names(10)
	for _, w := range dedupe(g.warnings, 3) {
		b.Notes = append(b.Notes, "Source warning: "+w)
	}
	kept := len(a.items)
	maxSuspectRows, maxTimeline := maxSuspects, 20
	// Over budget, give up in order: the least important evidence down to
	// a core of six items, then timeline and suspect rows beyond the
	// first few, then the rest of the evidence, then notes.
	const core = 6
	for {
		a.fill(b, kept, maxSuspectRows, maxTimeline)
		md := b.Markdown()
		b.Tokens = EstimateTokens(md)
		if b.Tokens <= budget {
			break
		}
		b.Truncated = true
		switch {
		case kept > core:
			kept--
			a.items[kept].id = ""
		case maxTimeline > 8:
			maxTimeline = 8
		case maxSuspectRows > 4:
			maxSuspectRows = 4
		case kept > 2:
			kept--
			a.items[kept].id = ""
		case maxTimeline > 4:
			maxTimeline = 4
		case len(b.Implicated) > 5:
			b.Implicated = b.Implicated[:5]
		case maxSuspectRows > 2:
			maxSuspectRows = 2
		case len(b.Notes) > 0:
			b.Notes = b.Notes[:len(b.Notes)-1]
		case maxSuspectRows > 1:
			maxSuspectRows = 1
		case kept > 0:
			kept--
			a.items[kept].id = ""
		default:
			return b // as small as it gets
		}
	}
	return b
}

// fill sets the parts of the bundle that depend on which items are kept.
func (a *analysis) fill(b *Bundle, kept, maxSuspectRows, maxTimeline int) {
	b.Evidence = make([]Evidence, 0, kept)
	for _, it := range a.items[:kept] {
		b.Evidence = append(b.Evidence, Evidence{ID: it.id, Source: it.source, Title: it.title, Text: it.text, Reproduce: it.reproduce})
	}
	b.Suspects = []Suspect{}
	for i, s := range a.suspects {
		if i >= maxSuspectRows || (s.likely == Unlikely && i >= 3) {
			break
		}
		sus := Suspect{EventName: s.ev.Name, EventSource: s.ev.Source, EventTime: s.ev.Time, EventID: s.ev.ID, Principal: s.ev.Principal,
			Resources: s.ev.Resources, Parameters: suspectParameters(s.ev), Likelihood: s.likely, Score: s.score, Why: s.why(a.onset)}
		if sus.Resources == nil {
			sus.Resources = []string{}
		}
		if sus.Parameters == nil {
			sus.Parameters = []string{}
		}
		if s.ref != nil {
			sus.EvidenceID = s.ref.id
		}
		b.Suspects = append(b.Suspects, sus)
	}
	b.Timeline = []TimelineEntry{}
	for i, t := range a.timeline {
		if i >= maxTimeline {
			break
		}
		e := TimelineEntry{Time: t.t, Kind: t.kind, Text: t.text}
		if t.ref != nil {
			e.EvidenceID = t.ref.id
		}
		b.Timeline = append(b.Timeline, e)
	}
	b.Charts = a.charts(kept)
	b.Verdict = a.verdictText()
}

// verdictText resolves the verdict's references to the kept evidence.
func (a *analysis) verdictText() string {
	v := a.verdict
	if strings.Contains(v, "{why:0}") {
		for _, s := range a.suspects {
			if s.likely == Likely {
				w := s.why(a.onset)
				if s.ref != nil && s.ref.id != "" {
					w += " [" + s.ref.id + "]"
				}
				v = strings.Replace(v, "{why:0}", w, 1)
				break
			}
		}
	}
	if strings.Contains(v, "{what}") && a.whatFailed != nil {
		w := a.whatFailed.title + ": " + clip(a.whatFailed.text, 300)
		if a.whatFailed.id != "" {
			w += " [" + a.whatFailed.id + "]"
		}
		v = strings.Replace(v, "{what}", w, 1)
	}
	if m := a.mechanism; m != nil && strings.Contains(v, "{mechanism}") {
		w := fmt.Sprintf("%s %s fell from a baseline of %.4g to %.4g from %s", evidence.MetricKey(m.stat.Metric), m.stat.Stat, *m.summary.BaselineMean, m.summary.Min, rfc(m.dep.Start))
		if m.dep.Direction == "above" {
			w = fmt.Sprintf("%s %s rose from a baseline of %.4g to %.4g from %s", evidence.MetricKey(m.stat.Metric), m.stat.Stat, *m.summary.BaselineMean, m.dep.Peak, rfc(m.dep.Start))
		}
		if a.onset != nil && m.dep.Start.Before(*a.onset) {
			w += fmt.Sprintf(", %s before the onset", humanDur(a.onset.Sub(m.dep.Start)))
		}
		if exhaustionMetric.MatchString(m.stat.Metric.MetricName) {
			w += ": it ran out"
		}
		if m.ref != nil && m.ref.id != "" {
			w += " [" + m.ref.id + "]"
		}
		v = strings.Replace(v, "{mechanism}", w, 1)
	}
	return v
}

// charts carries the alarm's metric and the top departed metrics.
func (a *analysis) charts(kept int) []ChartSeries {
	var out []ChartSeries
	for i, m := range a.moves {
		if len(out) >= 3 {
			break
		}
		if i >= 3 && m.alarmed == nil {
			continue
		}
		dep := m.dep.Start
		c := ChartSeries{Title: fmt.Sprintf("%s %s", m.stat.Metric.MetricName, dimSummary(m.stat.Metric)), Metric: m.stat.Metric, Stat: m.stat.Stat, Unit: m.unit, Points: m.points, Departure: &dep}
		if m.alarmed != nil && evidence.WatchesDirectly(*m.alarmed, m.stat.Metric) {
			// A metric-math alarm's threshold is on its expression.
			c.Threshold = m.alarmed.Threshold
		}
		for _, it := range a.items[:kept] {
			if it.source == srcMetrics && strings.Contains(it.text, evidence.MetricKey(m.stat.Metric)) {
				c.EvidenceID = it.id
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// suspectParameters are the request parameters that matter, then what the
// response said the call did.
func suspectParameters(ev telemetry.CloudTrailEvent) []string {
	out := clipList(ev.Request, 8)
	for i, r := range ev.Response {
		if i == 6 {
			break
		}
		out = append(out, "response."+r)
	}
	return out
}

func title(req Request, sc *scope) string {
	switch {
	case req.AlarmName != "":
		return "Investigation of alarm " + req.AlarmName
	case len(sc.fired) > 0:
		return "Investigation of " + strings.Join(clipList(sc.fired, 3), ", ")
	case req.Description != "":
		return "Investigation: " + clip(req.Description, 100)
	}
	return "Investigation of " + rfc(sc.window.Start) + " .. " + rfc(sc.window.End)
}

func dedupe(list []string, n int) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] && len(out) < n {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// headings in each supported language.
var headings = map[string]map[string]string{
	"en": {"window": "Window", "baseline": "baseline", "onset": "Onset", "none": "none found", "verdict": "Verdict", "suspects": "Suspect changes",
		"timeline": "Timeline", "evidence": "Evidence", "gaps": "Gaps", "notes": "Notes", "alarms": "Alarms", "source": "Source",
		"implicated": "Implicated resources", "nosuspects": "No change in the window or baseline.", "budget": "Budget", "truncated": "truncated: less important evidence was left out", "reproduce": "reproduce"},
	"ja": {"window": "調査期間", "baseline": "ベースライン", "onset": "発生時刻", "none": "検出なし", "verdict": "判定", "suspects": "疑わしい変更",
		"timeline": "タイムライン", "evidence": "証拠", "gaps": "取得できなかった情報", "notes": "注記", "alarms": "アラーム", "source": "データソース",
		"implicated": "関係するリソース", "nosuspects": "期間内およびベースラインに変更はありません。", "budget": "予算", "truncated": "省略あり: 重要度の低い証拠を省きました", "reproduce": "再現"},
}

// Markdown renders the bundle for models and people; it states the same
// facts as the JSON.
func (b *Bundle) Markdown() string {
	h := headings[b.Language]
	if h == nil {
		h = headings["en"]
	}
	var s strings.Builder
	fmt.Fprintf(&s, "# %s\n\n", b.Title)
	fmt.Fprintf(&s, "- %s: %s .. %s (%s %s .. %s)\n", h["window"], rfc(b.Window.Start), rfc(b.Window.End), h["baseline"], rfc(b.Baseline.Start), rfc(b.Baseline.End))
	if b.Onset != nil {
		fmt.Fprintf(&s, "- %s: %s — %s\n", h["onset"], rfc(*b.Onset), b.OnsetSignal)
	} else {
		fmt.Fprintf(&s, "- %s: %s\n", h["onset"], h["none"])
	}
	fmt.Fprintf(&s, "- %s: %s\n", h["source"], b.Source)
	for _, al := range b.Alarms {
		fmt.Fprintf(&s, "- %s: %s (%s", h["alarms"], al.Name, al.State)
		if !al.FiredAt.IsZero() {
			fmt.Fprintf(&s, ", ALARM at %s", rfc(al.FiredAt))
		}
		s.WriteString(")\n")
	}
	if len(b.Implicated) > 0 {
		fmt.Fprintf(&s, "- %s: %s\n", h["implicated"], strings.Join(b.Implicated, ", "))
	}
	if b.Verdict != "" {
		fmt.Fprintf(&s, "\n**%s:** %s\n", h["verdict"], b.Verdict)
	}
	fmt.Fprintf(&s, "\n## %s\n\n", h["suspects"])
	if len(b.Suspects) == 0 {
		fmt.Fprintf(&s, "%s\n", h["nosuspects"])
	}
	for i, su := range b.Suspects {
		fmt.Fprintf(&s, "%d. **%s** %.2f — %s %s by %s at %s", i+1, su.Likelihood, su.Score, su.EventSource, su.EventName, su.Principal, rfc(su.EventTime))
		if len(su.Resources) > 0 {
			fmt.Fprintf(&s, " on %s", strings.Join(clipList(su.Resources, 3), ", "))
		}
		fmt.Fprintf(&s, ": %s", su.Why)
		if su.EvidenceID != "" {
			fmt.Fprintf(&s, " [%s]", su.EvidenceID)
		}
		s.WriteString("\n")
	}
	if len(b.Timeline) > 0 {
		fmt.Fprintf(&s, "\n## %s\n\n", h["timeline"])
		for _, t := range b.Timeline {
			fmt.Fprintf(&s, "- %s %s: %s", rfc(t.Time), t.Kind, t.Text)
			if t.EvidenceID != "" {
				fmt.Fprintf(&s, " [%s]", t.EvidenceID)
			}
			s.WriteString("\n")
		}
	}
	if len(b.Evidence) > 0 {
		fmt.Fprintf(&s, "\n## %s\n", h["evidence"])
		for _, e := range b.Evidence {
			fmt.Fprintf(&s, "\n### %s · %s · %s\n%s\n", e.ID, e.Source, e.Title, e.Text)
			if e.Reproduce != "" {
				fmt.Fprintf(&s, "%s: `%s`\n", h["reproduce"], e.Reproduce)
			}
		}
	}
	if len(b.Gaps) > 0 {
		fmt.Fprintf(&s, "\n## %s\n\n", h["gaps"])
		for _, g := range b.Gaps {
			fmt.Fprintf(&s, "- %s: %s %s\n", g.Source, g.What, g.Action)
		}
	}
	if len(b.Notes) > 0 {
		fmt.Fprintf(&s, "\n## %s\n\n", h["notes"])
		for _, n := range b.Notes {
			fmt.Fprintf(&s, "- %s\n", n)
		}
	}
	fmt.Fprintf(&s, "\n%s: ~%d / %d tokens", h["budget"], b.Tokens, b.Budget)
	if b.Truncated {
		fmt.Fprintf(&s, "; %s", h["truncated"])
	}
	s.WriteString("\n")
	return s.String()
}
