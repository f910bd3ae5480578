package snapgen

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Datapoint is one GetMetricStatistics datapoint.
type Datapoint struct {
	Timestamp   string  `json:"Timestamp"`
	SampleCount float64 `json:"SampleCount"`
	Average     float64 `json:"Average"`
	Sum         float64 `json:"Sum"`
	Minimum     float64 `json:"Minimum"`
	Maximum     float64 `json:"Maximum"`
	Unit        string  `json:"Unit"`
}

// Dimension is a metric dimension.
type Dimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// Dims builds dimensions from name, value pairs.
func Dims(kv ...string) []Dimension {
	var out []Dimension
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Dimension{kv[i], kv[i+1]})
	}
	return out
}

// MetricFile is GetMetricStatistics output plus the metric's identity.
type MetricFile struct {
	Namespace  string      `json:"Namespace"`
	MetricName string      `json:"MetricName"`
	Dimensions []Dimension `json:"Dimensions"`
	Label      string      `json:"Label"`
	Datapoints []Datapoint `json:"Datapoints"`
}

// AWSTime is the timestamp format of the CLI's metric output.
func AWSTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// CountPoint is a datapoint of a count metric whose value is the Sum.
func CountPoint(t time.Time, v float64, unit string) Datapoint {
	return Datapoint{Timestamp: AWSTime(t), SampleCount: math.Max(v, 1), Average: 1, Sum: v, Minimum: 1, Maximum: 1, Unit: unit}
}

// GaugePoint is a datapoint of a sampled metric.
func GaugePoint(t time.Time, avg, spread, samples float64, unit string) Datapoint {
	avg = Round3(avg)
	return Datapoint{Timestamp: AWSTime(t), SampleCount: samples, Average: avg, Sum: Round3(avg * samples),
		Minimum: Round3(math.Max(0, avg-spread)), Maximum: Round3(avg + spread), Unit: unit}
}

// Series accumulates one metric minute by minute from individual
// observations (a request, a throttle, a latency sample).
type Series struct {
	File  MetricFile
	Count bool // a count metric: minutes without observations are 0
	Unit  string
	bins  map[time.Time]*bin
}

type bin struct{ n, sum, min, max float64 }

// Add observes v at t.
func (s *Series) Add(t time.Time, v float64) {
	if s.bins == nil {
		s.bins = map[time.Time]*bin{}
	}
	k := t.Truncate(time.Minute)
	b := s.bins[k]
	if b == nil {
		b = &bin{min: v, max: v}
		s.bins[k] = b
	}
	b.n++
	b.sum += v
	b.min = math.Min(b.min, v)
	b.max = math.Max(b.max, v)
}

// Value is the minute's statistic the alarms evaluate: Sum for counts,
// Average otherwise; ok is false when the minute has no data.
func (s *Series) Value(minute time.Time) (v float64, ok bool) {
	b := s.bins[minute.Truncate(time.Minute)]
	if b == nil {
		return 0, s.Count
	}
	if s.Count {
		return b.sum, true
	}
	return b.sum / b.n, true
}

// Finish turns the observations from start to end into datapoints.
func (s *Series) Finish(start, end time.Time) MetricFile {
	f := s.File
	f.Datapoints = nil
	if f.Label == "" {
		f.Label = f.MetricName
	}
	for t := start.Truncate(time.Minute); t.Before(end); t = t.Add(time.Minute) {
		b := s.bins[t]
		switch {
		case b == nil && s.Count:
			f.Datapoints = append(f.Datapoints, CountPoint(t, 0, s.Unit))
		case b == nil:
		case s.Count:
			f.Datapoints = append(f.Datapoints, Datapoint{Timestamp: AWSTime(t), SampleCount: b.n, Average: Round3(b.sum / b.n), Sum: Round3(b.sum), Minimum: Round3(b.min), Maximum: Round3(b.max), Unit: s.Unit})
		default:
			f.Datapoints = append(f.Datapoints, Datapoint{Timestamp: AWSTime(t), SampleCount: b.n, Average: Round3(b.sum / b.n), Sum: Round3(b.sum), Minimum: Round3(b.min), Maximum: Round3(b.max), Unit: s.Unit})
		}
	}
	return f
}

// MetricFileName names a metric's file after its namespace, name and
// dimension values.
func MetricFileName(f MetricFile) string {
	name := strings.NewReplacer("/", "_").Replace(f.Namespace) + "-" + f.MetricName
	for _, d := range f.Dimensions {
		v := d.Value
		if parts := strings.Split(v, "/"); len(parts) == 3 { // targetgroup/NAME/id, app/NAME/id
			v = parts[1]
		}
		name += "-" + strings.NewReplacer("/", "_", ":", "_", " ", "_").Replace(v)
	}
	return name + ".json.gz"
}

// WriteMetrics writes each file gzipped under dir/metrics; two metrics
// that would share a file name are an error.
func WriteMetrics(dir string, files []MetricFile) error {
	seen := map[string]bool{}
	sort.SliceStable(files, func(i, j int) bool { return MetricFileName(files[i]) < MetricFileName(files[j]) })
	for _, f := range files {
		name := MetricFileName(f)
		if seen[name] {
			return fmt.Errorf("two metrics write %s", name)
		}
		seen[name] = true
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if err := WriteGzip(filepath.Join(dir, "metrics", name), b); err != nil {
			return err
		}
	}
	return nil
}
