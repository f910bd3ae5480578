package evidence

import (
	"iter"
	"slices"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// niceBins are the bin widths a person reads easily, smallest first.
var niceBins = []time.Duration{
	time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// HistogramBin picks the smallest readable bin width that keeps a window to
// at most 60 bins: enough resolution to see when a spike starts, small enough
// for a model's context.
func HistogramBin(window time.Duration) time.Duration {
	for _, b := range niceBins {
		if window/b <= 60 {
			return b
		}
	}
	return niceBins[len(niceBins)-1]
}

// Histogram counts events per bin and severity. Bins are aligned to the bin
// width (as Logs Insights' bin() does) and empty bins are kept, so a gap in
// the logs shows as zeros rather than disappearing.
func Histogram(events []telemetry.LogEvent, w telemetry.Window, bin time.Duration) []telemetry.HistogramBin {
	return HistogramSeq(slices.Values(events), w, bin)
}

// HistogramSeq is Histogram over events as a reader produces them, in any
// order.
func HistogramSeq(events iter.Seq[telemetry.LogEvent], w telemetry.Window, bin time.Duration) []telemetry.HistogramBin {
	first := w.Start.Truncate(bin)
	n := int(w.End.Sub(first)/bin) + 1
	if n <= 0 {
		return nil
	}
	bins := make([]telemetry.HistogramBin, n)
	for i := range bins {
		bins[i].Start = first.Add(time.Duration(i) * bin)
	}
	for ev := range events {
		i := int(ev.Timestamp.Sub(first) / bin)
		if i < 0 || i >= n {
			continue
		}
		b := &bins[i]
		b.Total++
		sev := ev.Severity
		if sev == "" {
			sev = "OTHER"
		}
		if b.BySeverity == nil {
			b.BySeverity = map[string]int64{}
		}
		b.BySeverity[sev]++
	}
	return bins
}
