package evidence

import (
	"iter"
	"slices"
	"sort"

	"github.com/fa2/fa2/evidence/logmine"
	"github.com/fa2/fa2/telemetry"
)

// MinePatterns reduces every event given to templates with the log miner,
// and ranks them most significant first: severity before volume, because
// one rare error matters more than a flood of routine lines.
func MinePatterns(events []telemetry.LogEvent) []telemetry.LogPattern {
	return MinePatternsSeq(slices.Values(events))
}

// MinePatternsSeq is MinePatterns over events as a reader produces them,
// so a window of millions of lines need not be in memory at once.
func MinePatternsSeq(events iter.Seq[telemetry.LogEvent]) []telemetry.LogPattern {
	m := logmine.New(logmine.Config{})
	total := 0
	// The miner tracks templates; first/last seen and severity are ours,
	// kept per id as the lines arrive and folded together when the miner
	// has merged ids.
	byID := map[int]*group{}
	for ev := range events {
		total++
		id := m.Add(ev.Message)
		g := byID[id]
		if g == nil {
			g = &group{p: telemetry.LogPattern{Sample: ev.Message, FirstSeen: ev.Timestamp, LastSeen: ev.Timestamp}}
			byID[id] = g
		}
		g.observe(ev)
	}
	// Fold in id order, not map order: the first group of a template keeps
	// its sample, so the same lines always give the same result.
	ids := make([]int, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	merged := map[int]*group{}
	for _, id := range ids {
		g := byID[id]
		live := m.Resolve(id)
		into := merged[live]
		if into == nil {
			g.p.Template = m.Template(live)
			merged[live] = g
			continue
		}
		into.absorb(g)
	}
	out := make([]*group, 0, len(merged))
	for _, g := range merged {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].rank != out[j].rank {
			return out[i].rank > out[j].rank
		}
		if out[i].p.Count != out[j].p.Count {
			return out[i].p.Count > out[j].p.Count
		}
		return out[i].p.Template < out[j].p.Template
	})
	patterns := make([]telemetry.LogPattern, len(out))
	for i, g := range out {
		g.p.Ratio = float64(g.p.Count) / float64(total)
		patterns[i] = g.p
	}
	return patterns
}

// group accumulates one template's events.
type group struct {
	p    telemetry.LogPattern
	rank int
}

func (g *group) observe(ev telemetry.LogEvent) {
	g.p.Count++
	if ev.Timestamp.Before(g.p.FirstSeen) {
		g.p.FirstSeen = ev.Timestamp
	}
	if ev.Timestamp.After(g.p.LastSeen) {
		g.p.LastSeen = ev.Timestamp
	}
	if r := SeverityRank(ev.Severity); r > g.rank {
		// The sample shows the most severe line, which explains the group best.
		g.rank, g.p.Severity, g.p.Sample = r, ev.Severity, ev.Message
	}
}

// absorb folds another group of the same template into g.
func (g *group) absorb(o *group) {
	g.p.Count += o.p.Count
	if o.p.FirstSeen.Before(g.p.FirstSeen) {
		g.p.FirstSeen = o.p.FirstSeen
	}
	if o.p.LastSeen.After(g.p.LastSeen) {
		g.p.LastSeen = o.p.LastSeen
	}
	if o.rank > g.rank {
		g.rank, g.p.Severity, g.p.Sample = o.rank, o.p.Severity, o.p.Sample
	}
}
