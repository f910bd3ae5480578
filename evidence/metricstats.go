package evidence

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// standardPeriods are the periods fa2 asks CloudWatch for, in seconds.
var standardPeriods = []int32{60, 300, 900, 3600, 21600, 86400}

// MetricPeriod picks the smallest standard period that keeps a series over
// d to at most 150 points (a one-hour window gets one-minute points).
func MetricPeriod(d time.Duration) int32 {
	for _, p := range standardPeriods {
		if d/(time.Duration(p)*time.Second) <= 150 {
			return p
		}
	}
	return standardPeriods[len(standardPeriods)-1]
}

// DefaultStat chooses the statistic that answers "what happened" for a
// metric by its kind: sums for counts, averages for latency and gauges,
// maxima for utilisation and backlogs.
func DefaultStat(metricName string) string {
	n := strings.ToLower(metricName)
	switch {
	case strings.Contains(n, "utilization") || strings.Contains(n, "unhealthy") || strings.Contains(n, "approximatenumber") ||
		strings.Contains(n, "ageofoldest") || strings.Contains(n, "iteratorage") || strings.Contains(n, "concurrentexecutions"):
		return "Maximum"
	case strings.Contains(n, "latency") || strings.Contains(n, "responsetime") || strings.Contains(n, "duration") ||
		strings.Contains(n, "connections") || strings.Contains(n, "memory") || strings.Contains(n, "healthyhost"):
		return "Average"
	case strings.Contains(n, "count") || strings.Contains(n, "errors") || strings.Contains(n, "invocations") ||
		strings.Contains(n, "throttle") || strings.Contains(n, "faults") || strings.HasPrefix(n, "numberof") ||
		strings.Contains(n, "consumed") || strings.Contains(n, "bytes") || strings.HasSuffix(n, "4xx") || strings.HasSuffix(n, "5xx") ||
		strings.HasSuffix(n, "requests"): // WAF's BlockedRequests, S3's GetRequests, CloudFront's Requests: counts
		return "Sum"
	}
	return "Average"
}

// Interval is a run of points where a series departs from its baseline.
type Interval struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Direction string    `json:"direction"` // above or below
	Peak      float64   `json:"peak"`
	Points    int       `json:"points"`
}

// SeriesSummary condenses a series against its baseline.
type SeriesSummary struct {
	Points int     `json:"points"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Mean   float64 `json:"mean"`
	Last   float64 `json:"last"`
	// Baseline statistics come from a window of equal length before start.
	BaselinePoints int      `json:"baseline_points"`
	BaselineMean   *float64 `json:"baseline_mean,omitempty"`
	BaselineStd    *float64 `json:"baseline_stddev,omitempty"`
	// ChangePct is (Mean - BaselineMean) / |BaselineMean| × 100.
	ChangePct  *float64   `json:"change_pct,omitempty"`
	Departures []Interval `json:"departures,omitempty"`
	// Score is the mean distance from the baseline in baseline standard
	// deviations (capped per point): 0 is flat, above 2 has moved.
	Score  float64           `json:"change_score"`
	Sample []telemetry.Point `json:"sample,omitempty"`
}

// departureK is how many baseline deviations count as a departure.
const departureK = 3

// maxZ caps one point's contribution, so a count that goes from 0 to 1
// does not outrank a sustained shift.
const maxZ = 20

// SummarizeSeries compares points (the window) with baseline (the window of
// equal length just before). period merges departures separated by gaps.
func SummarizeSeries(points, baseline []telemetry.Point, period time.Duration, sampleSize int) SeriesSummary {
	s := SeriesSummary{Points: len(points), BaselinePoints: len(baseline)}
	if len(points) == 0 {
		return s
	}
	s.Min, s.Max = math.Inf(1), math.Inf(-1)
	sum := 0.0
	for _, p := range points {
		s.Min, s.Max = math.Min(s.Min, p.Value), math.Max(s.Max, p.Value)
		sum += p.Value
	}
	s.Mean = round4(sum / float64(len(points)))
	s.Last = points[len(points)-1].Value
	if len(baseline) > 0 {
		bm, bs := meanStd(baseline)
		bm, bs = round4(bm), round4(bs)
		s.BaselineMean, s.BaselineStd = &bm, &bs
		if bm != 0 {
			c := round4((s.Mean - bm) / math.Abs(bm) * 100)
			s.ChangePct = &c
		}
		// A floor on the deviation keeps flat baselines from flagging noise.
		scale := math.Max(bs, math.Max(0.1*math.Abs(bm), 1e-3))
		zsum := 0.0
		var cur *Interval
		for _, p := range points {
			z := (p.Value - bm) / scale
			zsum += math.Min(math.Abs(z), maxZ)
			dir := ""
			switch {
			case z > departureK:
				dir = "above"
			case z < -departureK:
				dir = "below"
			}
			if dir == "" {
				continue
			}
			if cur != nil && cur.Direction == dir && p.Timestamp.Sub(cur.End) <= 2*period {
				cur.End = p.Timestamp
				cur.Points++
				if math.Abs(p.Value-bm) > math.Abs(cur.Peak-bm) {
					cur.Peak = p.Value
				}
				continue
			}
			s.Departures = append(s.Departures, Interval{Start: p.Timestamp, End: p.Timestamp, Direction: dir, Peak: p.Value, Points: 1})
			cur = &s.Departures[len(s.Departures)-1]
		}
		s.Score = round4(zsum / float64(len(points)))
	}
	s.Sample = samplePoints(points, s.Departures, sampleSize)
	return s
}

// DepartedTail finds how far back into the baseline a departure that the
// window opens with already ran: the earliest k such that every point of
// baseline[k:] departs in direction dir ("above" or "below") from the
// points before it, judged as SummarizeSeries judges the window. It
// returns len(baseline) when the baseline's end is ordinary. At least
// minHead points must stay before the tail to judge it by.
//
// A window suggested by an alarm that fires late on a slow build-up (a
// backlog crossing its threshold half an hour after the work stopped)
// starts after the failure did; the baseline's tail holds the true start.
func DepartedTail(baseline []telemetry.Point, dir string, minHead int) int {
	minHead = max(minHead, 3)
	// The earliest start whose every later point departs from the points
	// before it: each candidate is judged by its own head, untouched by
	// the tail.
	for k := minHead; k < len(baseline); k++ {
		bm, bs := meanStd(baseline[:k])
		scale := math.Max(bs, math.Max(0.1*math.Abs(bm), 1e-3))
		ok := true
		for _, p := range baseline[k:] {
			z := (p.Value - bm) / scale
			if dir == "above" && z <= departureK || dir == "below" && z >= -departureK {
				ok = false
				break
			}
		}
		if ok {
			return k
		}
	}
	return len(baseline)
}

func meanStd(ps []telemetry.Point) (mean, std float64) {
	for _, p := range ps {
		mean += p.Value
	}
	mean /= float64(len(ps))
	for _, p := range ps {
		std += (p.Value - mean) * (p.Value - mean)
	}
	return mean, math.Sqrt(std / float64(len(ps)))
}

// samplePoints keeps a few representative points: the ends, the extremes,
// where departures start and end, then evenly spaced ones.
func samplePoints(ps []telemetry.Point, deps []Interval, n int) []telemetry.Point {
	if n <= 0 || len(ps) == 0 {
		return nil
	}
	if len(ps) <= n {
		return append([]telemetry.Point(nil), ps...)
	}
	keep := map[int]bool{0: true, len(ps) - 1: true}
	lo, hi := 0, 0
	for i, p := range ps {
		if p.Value < ps[lo].Value {
			lo = i
		}
		if p.Value > ps[hi].Value {
			hi = i
		}
	}
	keep[lo], keep[hi] = true, true
	for _, d := range deps {
		if len(keep) >= n {
			break
		}
		for i, p := range ps {
			if p.Timestamp.Equal(d.Start) || p.Timestamp.Equal(d.End) {
				keep[i] = true
			}
		}
	}
	for step := len(ps) / n; len(keep) < n && step > 0; step /= 2 {
		for i := 0; i < len(ps) && len(keep) < n; i += step {
			keep[i] = true
		}
	}
	idx := make([]int, 0, len(keep))
	for i := range keep {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	if len(idx) > n {
		idx = append(idx[:n-1], idx[len(idx)-1]) // keep the last point
	}
	out := make([]telemetry.Point, len(idx))
	for i, j := range idx {
		out[i] = ps[j]
	}
	return out
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// FillZeros adds a zero point for every period of w that has none. CloudWatch
// emits no datapoint for a count that stayed at zero (HTTPCode_Target_5XX_Count
// in a quiet minute), so for Sum and SampleCount a gap means zero.
func FillZeros(points []telemetry.Point, w telemetry.Window, period time.Duration) []telemetry.Point {
	if period <= 0 {
		return points
	}
	have := map[int64]bool{}
	for _, p := range points {
		have[p.Timestamp.Truncate(period).Unix()] = true
	}
	out := append([]telemetry.Point(nil), points...)
	for t := w.Start.Truncate(period); t.Before(w.End); t = t.Add(period) {
		if t.Before(w.Start) || have[t.Unix()] {
			continue
		}
		out = append(out, telemetry.Point{Timestamp: t})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Timestamp.Before(out[j].Timestamp) })
	return out
}
