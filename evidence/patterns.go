package evidence

import (
	"sort"
	"strings"

	"github.com/fa2/fa2/collectors"
)

// MinePatterns groups events into templates covering every event given, and
// ranks them most significant first: severity before volume, because one
// rare error matters more than a flood of routine lines.
func MinePatterns(events []collectors.LogEvent) []collectors.LogPattern {
	type group struct {
		p    collectors.LogPattern
		rank int
	}
	byKey := map[string]*group{}
	var order []*group
	for _, ev := range events {
		key := maskVariables(ev.Message)
		g := byKey[key]
		if g == nil {
			g = &group{p: collectors.LogPattern{Template: key, Sample: ev.Message, FirstSeen: ev.Timestamp}}
			byKey[key] = g
			order = append(order, g)
		}
		g.p.Count++
		if ev.Timestamp.Before(g.p.FirstSeen) {
			g.p.FirstSeen = ev.Timestamp
		}
		if ev.Timestamp.After(g.p.LastSeen) {
			g.p.LastSeen = ev.Timestamp
		}
		if r := SeverityRank(ev.Severity); r > g.rank {
			g.rank, g.p.Severity = r, ev.Severity
		}
	}
	out := make([]collectors.LogPattern, len(order))
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].rank != order[j].rank {
			return order[i].rank > order[j].rank
		}
		return order[i].p.Count > order[j].p.Count
	})
	for i, g := range order {
		g.p.Ratio = float64(g.p.Count) / float64(len(events))
		out[i] = g.p
	}
	return out
}

// maskVariables is an interim template: every token holding a digit becomes <*>.
func maskVariables(msg string) string {
	fields := strings.Fields(msg)
	for i, f := range fields {
		if strings.ContainsAny(f, "0123456789") {
			fields[i] = "<*>"
		}
	}
	return strings.Join(fields, " ")
}
