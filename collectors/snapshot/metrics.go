package snapshot

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// defaultMetricListLimit caps ListMetrics when the caller gives no limit.
const defaultMetricListLimit = 5000

// metricIndex is every metrics/*.json file, by metric key.
type metricIndex struct {
	metrics  []telemetry.Metric
	data     map[string]*metricFile
	warnings []string
}

// maxMetricValue bounds a datapoint's values. Larger ones are corrupt (no
// CloudWatch metric reaches it) and would overflow to ±Inf when summed,
// which no JSON result can carry.
const maxMetricValue = 1e300

// metricFile is GetMetricStatistics output plus the metric's identity.
type metricFile struct {
	Namespace  string         `json:"Namespace"`
	MetricName string         `json:"MetricName"`
	Dimensions []rawDimension `json:"Dimensions"`
	Label      string         `json:"Label"`
	Datapoints []struct {
		Timestamp          time.Time          `json:"Timestamp"`
		SampleCount        *float64           `json:"SampleCount"`
		Average            *float64           `json:"Average"`
		Sum                *float64           `json:"Sum"`
		Minimum            *float64           `json:"Minimum"`
		Maximum            *float64           `json:"Maximum"`
		Unit               string             `json:"Unit"`
		ExtendedStatistics map[string]float64 `json:"ExtendedStatistics"`
	} `json:"Datapoints"`
}

func (s *Store) loadMetrics() (*metricIndex, error) {
	s.metricsOnce.Do(func() { s.metrics, s.metricsErr = s.readMetrics() })
	return s.metrics, s.metricsErr
}

func (s *Store) readMetrics() (*metricIndex, error) {
	paths, err := s.files("metrics", ".json")
	if err != nil {
		return nil, err
	}
	idx := &metricIndex{data: map[string]*metricFile{}}
	for _, path := range paths {
		f := &metricFile{}
		if err := decodeJSONFile(path, f); err != nil {
			return nil, err
		}
		if f.Namespace == "" || f.MetricName == "" {
			return nil, fmt.Errorf("snapshot: %s has no Namespace or MetricName: metric files are GetMetricStatistics output plus the metric's Namespace, MetricName and Dimensions", path)
		}
		m := telemetry.Metric{Namespace: f.Namespace, MetricName: f.MetricName, Dimensions: convertDims(f.Dimensions)}
		if n := f.dropNonFinite(); n > 0 {
			idx.warnings = append(idx.warnings, fmt.Sprintf("%s: %d datapoints skipped: values beyond ±%g are not real metric values", path, n, maxMetricValue))
		}
		sort.SliceStable(f.Datapoints, func(i, j int) bool { return f.Datapoints[i].Timestamp.Before(f.Datapoints[j].Timestamp) })
		key := evidence.MetricKey(m)
		if _, dup := idx.data[key]; !dup {
			idx.metrics = append(idx.metrics, m)
		}
		idx.data[key] = f
	}
	sort.SliceStable(idx.metrics, func(i, j int) bool { return evidence.MetricKey(idx.metrics[i]) < evidence.MetricKey(idx.metrics[j]) })
	idx.warnings = append(idx.warnings, s.skippedIn("metrics")...)
	return idx, nil
}

// dropNonFinite removes datapoints with a value beyond maxMetricValue and
// returns how many it removed.
func (f *metricFile) dropNonFinite() int {
	ok := func(v *float64) bool { return v == nil || math.Abs(*v) <= maxMetricValue }
	kept := f.Datapoints[:0]
	for _, dp := range f.Datapoints {
		good := ok(dp.SampleCount) && ok(dp.Average) && ok(dp.Sum) && ok(dp.Minimum) && ok(dp.Maximum)
		for _, v := range dp.ExtendedStatistics {
			good = good && ok(&v)
		}
		if good {
			kept = append(kept, dp)
		}
	}
	n := len(f.Datapoints) - len(kept)
	f.Datapoints = kept
	return n
}

// ListMetrics implements collectors.MetricSource: the metrics are the files.
func (s *Store) ListMetrics(ctx context.Context, q telemetry.MetricListQuery) (*telemetry.MetricList, error) {
	idx, err := s.loadMetrics()
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultMetricListLimit
	}
	out := &telemetry.MetricList{Metrics: []telemetry.Metric{}}
	for _, m := range idx.metrics {
		if len(q.Namespaces) > 0 && !slices.Contains(q.Namespaces, m.Namespace) {
			continue
		}
		if len(out.Metrics) >= limit {
			out.Partial = fmt.Sprintf("listed the first %d metrics only", limit)
			break
		}
		out.Metrics = append(out.Metrics, m)
	}
	return out, nil
}

// MetricData implements collectors.MetricSource by re-aggregating the
// file's datapoints into periods aligned like CloudWatch's.
func (s *Store) MetricData(ctx context.Context, q telemetry.MetricDataQuery) (*telemetry.MetricData, error) {
	idx, err := s.loadMetrics()
	if err != nil {
		return nil, err
	}
	period := time.Duration(q.PeriodSeconds) * time.Second
	if period <= 0 {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "period %d is not positive.", q.PeriodSeconds).WithHint("Use a period of 60 seconds or a multiple of it.")
	}
	out := &telemetry.MetricData{Warnings: idx.warnings}
	for _, st := range q.Stats {
		series := telemetry.MetricSeries{Stat: st, Points: []telemetry.Point{}}
		f, ok := idx.data[evidence.MetricKey(st.Metric)]
		if !ok {
			series.Note = "the snapshot has no file for this metric"
			out.Series = append(out.Series, series)
			continue
		}
		type bucket struct {
			vals  []float64
			sum   float64
			count float64
		}
		buckets := map[time.Time]*bucket{}
		var keys []time.Time
		missing := false
		for _, dp := range f.Datapoints {
			t := dp.Timestamp.UTC()
			if t.Before(q.Window.Start) || !t.Before(q.Window.End) {
				continue
			}
			if series.Unit == "" {
				series.Unit = dp.Unit
			}
			var v *float64
			switch st.Stat {
			case "Sum":
				v = dp.Sum
			case "Average":
				v = dp.Average
			case "Minimum":
				v = dp.Minimum
			case "Maximum":
				v = dp.Maximum
			case "SampleCount":
				v = dp.SampleCount
			default:
				if x, ok := dp.ExtendedStatistics[st.Stat]; ok {
					v = &x
				}
			}
			if v == nil {
				missing = true
				continue
			}
			k := t.Truncate(period)
			b, ok := buckets[k]
			if !ok {
				b = &bucket{}
				buckets[k] = b
				keys = append(keys, k)
			}
			b.vals = append(b.vals, *v)
			if dp.Sum != nil && dp.SampleCount != nil {
				b.sum += *dp.Sum
				b.count += *dp.SampleCount
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].Before(keys[j]) })
		merged := false
		for _, k := range keys {
			merged = merged || len(buckets[k].vals) > 1
			series.Points = append(series.Points, telemetry.Point{Timestamp: k, Value: aggregate(st.Stat, buckets[k].vals, buckets[k].sum, buckets[k].count)})
		}
		if missing && len(series.Points) == 0 {
			series.Note = fmt.Sprintf("the snapshot's datapoints have no %s statistic", st.Stat)
		} else if strings.HasPrefix(st.Stat, "p") && merged {
			series.Note = "percentiles merged across datapoints are approximated by their maximum"
		}
		out.Series = append(out.Series, series)
	}
	return out, nil
}

// aggregate merges the values of one period. Averages are weighted by
// sample count when Sum and SampleCount are known.
func aggregate(stat string, vals []float64, sum, count float64) float64 {
	switch stat {
	case "Sum", "SampleCount":
		t := 0.0
		for _, v := range vals {
			t += v
		}
		return t
	case "Minimum":
		m := math.Inf(1)
		for _, v := range vals {
			m = math.Min(m, v)
		}
		return m
	case "Average":
		if count > 0 {
			return math.Round(sum/count*1e6) / 1e6 // hide float noise of the division
		}
		t := 0.0
		for _, v := range vals {
			t += v
		}
		return t / float64(len(vals))
	}
	m := math.Inf(-1) // Maximum, and percentiles approximated
	for _, v := range vals {
		m = math.Max(m, v)
	}
	return m
}
