package investigate

import (
	"math"
	"sort"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// metricMove is a metric that departed from its baseline.
type metricMove struct {
	stat    telemetry.MetricStat
	unit    string
	summary evidence.SeriesSummary
	// dep is the departure that matters: the longest, earliest on ties.
	dep     evidence.Interval
	points  []telemetry.Point // baseline and window, for charts
	alarmed *telemetry.Alarm  // the fired alarm that watches it, if any
	rank    float64
	ref     *item // its evidence item, once listed
}

// metricDepartures summarises every fetched series against its baseline
// and keeps those that departed for at least a few periods.
func metricDepartures(g *gathered, sc *scope) []metricMove {
	if g.metricData == nil {
		return nil
	}
	period := time.Duration(g.metricPeriod) * time.Second
	minPoints := max(2, int(3*time.Minute/period))
	fired := sc.watchingAlarms()
	var out []metricMove
	seen := map[string]bool{}
	for i, s := range g.metricData.Series {
		if i >= len(g.metricStats) {
			break
		}
		stat := g.metricStats[i]
		key := evidence.MetricKey(stat.Metric)
		if seen[key] {
			continue // the alarm's statistic came first
		}
		var cur, base []telemetry.Point
		for _, p := range s.Points {
			switch {
			case p.Timestamp.Before(sc.window.Start):
				if !p.Timestamp.Before(sc.baseline.Start) {
					base = append(base, p)
				}
			case !p.Timestamp.After(sc.window.End):
				cur = append(cur, p)
			}
		}
		// A count that stops reporting went to zero (CloudWatch publishes
		// no Invocations for a function nothing invokes): with a baseline
		// it is a series that collapsed, not one without data.
		if st := stat.Stat; (st == "Sum" || st == "SampleCount") && len(base)+len(cur) > 0 {
			cur = evidence.FillZeros(cur, sc.window, period)
			bw := sc.baseline
			if sc.dataStart.After(bw.Start) {
				bw.Start = sc.dataStart
			}
			if bw.End.After(bw.Start) {
				base = evidence.FillZeros(base, bw, period)
			}
		}
		if len(cur) == 0 {
			continue
		}
		sum := evidence.SummarizeSeries(cur, base, period, 8)
		var best *evidence.Interval
		for j := range sum.Departures {
			d := &sum.Departures[j]
			if (d.Points >= minPoints || collapsed(d, sum)) && (best == nil || d.Points > best.Points) {
				best = d
			}
		}
		isStop := false
		if best == nil {
			// A busy baseline (a burst of retries) can hide a series that
			// went to nothing: judged by its median instead, a run of
			// near-zero points to the end is a stop.
			best = stopped(cur, base, minPoints)
			isStop = best != nil
		}
		if best == nil || sum.Score < 1 && !collapsed(best, sum) && !isStop {
			continue
		}
		seen[key] = true
		dep := *best
		if !dep.Start.After(cur[0].Timestamp.Add(period)) {
			dep = startedInBaseline(dep, base, minPoints)
		}
		m := metricMove{stat: stat, unit: s.Unit, summary: sum, dep: dep, points: append(base, cur...)}
		for k := range fired {
			a := fired[k]
			for _, ms := range evidence.AlarmMetricStats(a) {
				if m.alarmed == nil && evidence.MetricKey(ms.Metric) == key {
					m.alarmed = &a
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// startedInBaseline dates a departure the window opens with by where it
// began in the baseline's tail, when the baseline's last minutes already
// sit at the window's level: the window, suggested by an alarm that fired
// late, began after the failure did.
func startedInBaseline(dep evidence.Interval, base []telemetry.Point, minPoints int) evidence.Interval {
	// Half the baseline at least stays before the tail, to judge it by.
	k := evidence.DepartedTail(base, dep.Direction, max(len(base)/2, 5))
	if tail := len(base) - k; tail >= minPoints {
		dep.Start = base[k].Timestamp
		dep.Points += tail
	}
	return dep
}

// stopped finds a count that fell to a tenth of its baseline's median or
// less and stayed there to the end of the window, for at least minPoints:
// invocations of a function whose event source was switched off.
func stopped(cur, base []telemetry.Point, minPoints int) *evidence.Interval {
	if len(base) < 5 || len(cur) < minPoints {
		return nil
	}
	vals := make([]float64, len(base))
	for i, p := range base {
		vals[i] = p.Value
	}
	sort.Float64s(vals)
	median := vals[len(vals)/2]
	if median < 1 {
		return nil
	}
	i := len(cur)
	for i > 0 && cur[i-1].Value <= 0.1*median {
		i--
	}
	if n := len(cur) - i; n < minPoints || i == 0 {
		return nil // not low, or low all along
	}
	peak := cur[i].Value
	for _, p := range cur[i:] {
		peak = math.Min(peak, p.Value)
	}
	return &evidence.Interval{Start: cur[i].Timestamp, End: cur[len(cur)-1].Timestamp, Direction: "below", Peak: peak, Points: len(cur) - i}
}

// collapsed reports a brief departure that is a collapse: two periods or
// more at a fifth of the baseline or less (connections dropping to nearly
// none as a database fails over, throughput stopping while a service
// restarts). Too short to count as sustained, too deep to be noise.
func collapsed(d *evidence.Interval, sum evidence.SeriesSummary) bool {
	return d.Points >= 2 && d.Direction == "below" && sum.BaselineMean != nil && *sum.BaselineMean > 0 && d.Peak <= 0.2**sum.BaselineMean
}

// rankMoves orders departed metrics by how close their departure starts to
// the onset and by its size; a drop counts as much as a rise.
func rankMoves(moves []metricMove, onset *time.Time) {
	for i := range moves {
		m := &moves[i]
		size := math.Min(m.summary.Score, 10) / 10
		closeness := 0.5
		if onset != nil {
			d := math.Abs(m.dep.Start.Sub(*onset).Minutes())
			closeness = math.Exp(-d / 10)
		}
		m.rank = 0.5*closeness + 0.4*size
		if m.alarmed != nil {
			m.rank += 0.1
		}
	}
	sort.SliceStable(moves, func(i, j int) bool {
		if moves[i].rank != moves[j].rank {
			return moves[i].rank > moves[j].rank
		}
		return evidence.MetricKey(moves[i].stat.Metric) < evidence.MetricKey(moves[j].stat.Metric)
	})
}

// failureMetric reports metrics that count failures or ill health: their
// rise is a symptom, so it can date the onset on its own.
func failureMetric(name string) bool {
	n := lower(name)
	for _, w := range []string{"5xx", "error", "fault", "throttle", "unhealthy", "failed", "failure", "rejected", "dead", "timeout", "blocked"} {
		if contains1(n, w) {
			return true
		}
	}
	return false
}

// symptomMetric reports metrics whose rise is itself a symptom: failures,
// and waiting (latency, queue age and depth, stream lag). A rise of
// anything else (CPU, capacity, traffic, connections) is load or a
// reaction, which says little about which resource failed.
func symptomMetric(name string) bool {
	if failureMetric(name) {
		return true
	}
	n := lower(name)
	for _, w := range []string{"latency", "responsetime", "duration", "ageofoldest", "messagesvisible", "iteratorage", "lag", "backlog", "queuelength", "queuedepth", "spillover", "surgequeue", "rejected"} {
		if contains1(n, w) {
			return true
		}
	}
	return false
}
