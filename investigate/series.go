package investigate

import (
	"math"
	"sort"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// bins is a count per time bin over the baseline and the window.
type bins struct {
	start time.Time
	width time.Duration
	n     []float64
}

func newBins(span telemetry.Window, width time.Duration) *bins {
	if width <= 0 {
		width = time.Minute
	}
	start := span.Start.Truncate(width)
	count := int(span.End.Sub(start)/width) + 1
	if count > 100000 {
		count = 100000
	}
	return &bins{start: start, width: width, n: make([]float64, count)}
}

func (b *bins) add(t time.Time, v float64) {
	i := int(t.Sub(b.start) / b.width)
	if i >= 0 && i < len(b.n) {
		b.n[i] += v
	}
}

func (b *bins) at(i int) time.Time { return b.start.Add(time.Duration(i) * b.width) }

// departure is where a series leaves its baseline for good.
type departure struct {
	start time.Time
	peak  float64
	base  float64
	// bins is how many bins of the window exceed the threshold.
	bins int
}

// sustainedRise finds the first bin of the window from which a count stays
// above its baseline: at least two of three consecutive bins over the
// threshold. dataStart excludes bins before the data begins from the
// baseline. Counts that are rare in the baseline need a few events per
// bin, so a lone error does not set the onset.
func (b *bins) sustainedRise(win telemetry.Window, dataStart time.Time) *departure {
	var base []float64
	first := -1
	for i := range b.n {
		t := b.at(i)
		if t.Before(win.Start.Truncate(b.width)) {
			if !t.Before(dataStart.Truncate(b.width)) {
				base = append(base, b.n[i])
			}
			continue
		}
		if first < 0 {
			first = i
		}
	}
	if first < 0 {
		return nil
	}
	mean, std := meanStd(base)
	threshold := math.Max(mean+3*std, math.Max(2*mean, mean+3))
	over := func(i int) bool { return i < len(b.n) && b.n[i] > threshold }
	d := &departure{base: mean}
	for i := first; i < len(b.n); i++ {
		if !over(i) {
			continue
		}
		hits := 1
		for j := i + 1; j <= i+2 && j < len(b.n); j++ {
			if over(j) {
				hits++
			}
		}
		// The last bins of the window cannot show a second hit yet.
		if hits >= 2 || (i >= len(b.n)-2 && b.n[i] > 2*threshold) {
			if d.start.IsZero() {
				d.start = b.at(i)
			}
		}
		if !d.start.IsZero() {
			d.peak = math.Max(d.peak, b.n[i])
			d.bins++
		}
	}
	if d.start.IsZero() {
		return nil
	}
	return d
}

func meanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)))
}

// histogramErrors turns a log histogram into error-line counts per bin.
func histogramErrors(h *telemetry.LogHistogram, span telemetry.Window) *bins {
	if h == nil || len(h.Bins) == 0 {
		return nil
	}
	width := time.Duration(h.BinSeconds) * time.Second
	b := newBins(span, width)
	for _, hb := range h.Bins {
		b.add(hb.Start, float64(hb.BySeverity["FATAL"]+hb.BySeverity["ERROR"]))
	}
	return b
}

// accessLogMinutes turns per-minute access-log groups into the counts
// count picks from each minute (its 5xx, the load balancer's refusals).
func accessLogMinutes(s *telemetry.AccessLogStats, span telemetry.Window, count func(telemetry.AccessLogCounts) int64) *bins {
	if s == nil || len(s.Groups) == 0 {
		return nil
	}
	b := newBins(span, time.Minute)
	for _, g := range s.Groups {
		t, err := time.Parse("2006-01-02T15:04", g.Key)
		if err != nil {
			continue
		}
		b.add(t, float64(count(g.AccessLogCounts)))
	}
	return b
}

// fivexx counts a minute's 5xx, the load balancer's or a target's.
func fivexx(c telemetry.AccessLogCounts) int64 { return max(c.ELB5xx, c.Target5xx) }

// traceFailures counts failing traces per minute over baseline and window.
func traceFailures(sums ...[]telemetry.TraceSummary) func(span telemetry.Window) *bins {
	return func(span telemetry.Window) *bins {
		b := newBins(span, time.Minute)
		any := false
		for _, set := range sums {
			for _, s := range set {
				if s.HasFault || s.HasError || s.HasThrottle {
					b.add(s.Start, 1)
					any = true
				}
			}
		}
		if !any {
			return nil
		}
		return b
	}
}

// traceLatency is the mean response time per minute, for dependencies that
// slow down without failing.
func traceLatency(span telemetry.Window, sums ...[]telemetry.TraceSummary) *bins {
	sum := newBins(span, time.Minute)
	cnt := newBins(span, time.Minute)
	n := 0
	for _, set := range sums {
		for _, s := range set {
			sum.add(s.Start, s.ResponseTime)
			cnt.add(s.Start, 1)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	for i := range sum.n {
		if cnt.n[i] > 0 {
			sum.n[i] /= cnt.n[i]
		}
	}
	return sum
}

// latencyRise is like sustainedRise for a mean: relative to the baseline
// rather than by counts, and only bins with requests count.
func (b *bins) latencyRise(win telemetry.Window, dataStart time.Time) *departure {
	var base []float64
	for i := range b.n {
		t := b.at(i)
		if t.Before(win.Start.Truncate(b.width)) && !t.Before(dataStart.Truncate(b.width)) && b.n[i] > 0 {
			base = append(base, b.n[i])
		}
	}
	if len(base) < 3 {
		return nil
	}
	sort.Float64s(base)
	median := base[len(base)/2]
	threshold := math.Max(3*median, median+0.5)
	run := 0
	for i := range b.n {
		t := b.at(i)
		if t.Before(win.Start.Truncate(b.width)) {
			continue
		}
		if b.n[i] > threshold {
			run++
			if run == 3 {
				return &departure{start: b.at(i - 2), peak: b.n[i], base: median, bins: 3}
			}
		} else if b.n[i] > 0 {
			run = 0
		}
	}
	return nil
}
