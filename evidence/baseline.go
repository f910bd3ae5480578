package evidence

import (
	"slices"
	"sort"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// BaselineOf is the window of the same length just before w: what a metric
// did then is what "normal" means for it.
func BaselineOf(w telemetry.Window) telemetry.Window {
	return telemetry.Window{Start: w.Start.Add(-w.Duration()), End: w.Start}
}

// SplitBaseline splits a series read over baseline and window together:
// base holds the points from baseline.Start up to window.Start, cur those
// inside the window (its end included). Points outside both are dropped.
func SplitBaseline(points []telemetry.Point, window, baseline telemetry.Window) (cur, base []telemetry.Point) {
	for _, p := range points {
		switch {
		case p.Timestamp.Before(window.Start):
			if !p.Timestamp.Before(baseline.Start) {
				base = append(base, p)
			}
		case !p.Timestamp.After(window.End):
			cur = append(cur, p)
		}
	}
	return cur, base
}

// CountsEvents reports whether a statistic counts events (Sum,
// SampleCount): CloudWatch omits the periods in which nothing happened, so
// a missing point of such a series means zero, not "unknown".
func CountsEvents(stat string) bool { return stat == "Sum" || stat == "SampleCount" }

// AgainstBaseline summarises a series read over baseline and window
// together: it splits it, zero-fills the missing periods of a count that
// has any data (a 5xx count of 0 is not shown as a gap, which would hide
// the return to normal), and summarises the window against the baseline.
// It returns the window's points (zero-filled) with the summary.
func AgainstBaseline(stat string, points []telemetry.Point, window, baseline telemetry.Window, period time.Duration, samples int) ([]telemetry.Point, SeriesSummary) {
	cur, base := SplitBaseline(points, window, baseline)
	if CountsEvents(stat) && len(cur)+len(base) > 0 {
		cur = FillZeros(cur, window, period)
		if baseline.End.After(baseline.Start) {
			base = FillZeros(base, baseline, period)
		}
	}
	return cur, SummarizeSeries(cur, base, period, samples)
}

// StatKey identifies a metric and statistic in text and in maps.
func StatKey(s telemetry.MetricStat) string { return MetricKey(s.Metric) + " " + s.Stat }

// SummarizeCandidates summarises each candidate's series (series[i] was
// read for cands[i], over baseline and window together) against its
// baseline, stores the summary on the candidate, and scores how close the
// departures are to each other (ScoreDepartures). It returns each series
// with only its window points, by StatKey, for the caller to show.
func SummarizeCandidates(cands []Candidate, series []telemetry.MetricSeries, window, baseline telemetry.Window, period time.Duration, samples int) map[string]telemetry.MetricSeries {
	out := map[string]telemetry.MetricSeries{}
	for i := range cands {
		if i >= len(series) {
			break
		}
		s := series[i]
		cur, sum := AgainstBaseline(cands[i].Stat.Stat, s.Points, window, baseline, period, samples)
		cands[i].Summary = &sum
		s.Points = cur
		out[StatKey(cands[i].Stat)] = s
	}
	ScoreDepartures(cands)
	return out
}

// MetricFromMap builds a metric from a dimension map, dimensions sorted by
// name so that the same metric always has the same key.
func MetricFromMap(namespace, name string, dims map[string]string) telemetry.Metric {
	m := telemetry.Metric{Namespace: namespace, MetricName: name}
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.Dimensions = append(m.Dimensions, telemetry.Dimension{Name: k, Value: dims[k]})
	}
	return m
}

// SelectionNamespaces lists the namespaces worth listing metrics from: those
// the question's words point to, then those of the firing alarms, then
// those the workload's description (architecture) points to, each once.
func SelectionNamespaces(question, architecture string, firing []telemetry.Alarm) []string {
	namespaces := NamespacesFor(question)
	add := func(ns string) {
		if ns != "" && !slices.Contains(namespaces, ns) {
			namespaces = append(namespaces, ns)
		}
	}
	for _, a := range firing {
		add(a.Namespace)
		// A metric-math alarm's namespaces are its metrics'.
		for _, q := range a.Metrics {
			if q.Metric != nil {
				add(q.Metric.Metric.Namespace)
			}
		}
	}
	for _, ns := range NamespacesFor(architecture) {
		add(ns)
	}
	return namespaces
}

// RankCandidates scores listed metrics by the question's words and the
// firing alarms, with each metric's usual statistic, best first.
func RankCandidates(question string, metrics []telemetry.Metric, firing []telemetry.Alarm) []Candidate {
	cands := make([]Candidate, 0, len(metrics))
	for _, m := range metrics {
		ts, tr := ScoreText(question, m)
		as, ar := ScoreAlarms(m, firing)
		cands = append(cands, Candidate{
			Stat:      telemetry.MetricStat{Metric: m, Stat: DefaultStat(m.MetricName)},
			TextScore: ts, AlarmScore: as, Reasons: append(tr, ar...),
		})
	}
	SortCandidates(cands)
	return cands
}
