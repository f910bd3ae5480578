// Command gen writes the held-out set 8 incidents: fa2-snapshot/1
// directories built from the shapes AWS emits, each with a truth.json.
// Every incident is seeded on its own so the output is deterministic.
//
//	go run ./investigate/testdata/heldout8/gen
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

type incident struct {
	name  string
	seed  int64
	build func(s *snap)
}

var incidents = []incident{
	{"lambda-timeout-slow-path", 8101, lambdaTimeout},
	{"ecs-container-healthcheck-404", 8102, ecsHealthcheck},
	{"secret-rotation-half-done", 8103, secretRotation},
	{"saas-429-campaign-no-change", 8104, saasThrottle},
	{"s3-ownership-acl-legacy-upload", 8105, s3Ownership},
	{"sg-egress-443-revoked", 8106, sgEgress},
}

func main() {
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(self))
	for _, inc := range incidents {
		s := &snap{name: inc.name, rng: rand.New(rand.NewSource(inc.seed)), logs: map[string][]logEvent{}}
		inc.build(s)
		dir := filepath.Join(root, inc.name)
		if err := os.RemoveAll(dir); err != nil {
			panic(err)
		}
		s.write(dir)
		fmt.Printf("%s: %d cloudtrail, %d log lines, %d traces, %d alb lines, %d metrics\n", inc.name, len(s.ct), s.logCount(), len(s.traces), len(s.alb), len(s.metrics))
	}
}

// snap accumulates one incident's telemetry.
type snap struct {
	name, title, arch string
	region, account   string
	albID             string // app/NAME/ID of the load balancer whose logs are in alb/
	start, end        time.Time
	rng               *rand.Rand

	ct      []map[string]any
	logs    map[string][]logEvent
	metrics []map[string]any
	traces  []map[string]any
	alb     []albLine
	alarms  []map[string]any
	history []map[string]any
	truth   map[string]any
}

type logEvent struct {
	ts     time.Time
	stream string
	msg    string
}

type albLine struct {
	ts   time.Time
	line string
}

func (s *snap) logCount() int {
	n := 0
	for _, l := range s.logs {
		n += len(l)
	}
	return n
}

func (s *snap) log(group, stream string, ts time.Time, msg string) {
	if ts.Before(s.start) || !ts.Before(s.end) {
		return
	}
	s.logs[group] = append(s.logs[group], logEvent{ts, stream, msg})
}

// every calls f for each step in [start, end).
func (s *snap) every(step time.Duration, f func(t time.Time)) {
	for t := s.start; t.Before(s.end); t = t.Add(step) {
		f(t)
	}
}

// sim calls f for each step from two hours before the window (the
// metrics' baseline) to its end; logs and traces outside the window are dropped.
func (s *snap) sim(step time.Duration, f func(t time.Time)) {
	for t := s.start.Add(-baseline); t.Before(s.end); t = t.Add(step) {
		f(t)
	}
}

const baseline = 2 * time.Hour

// jitter returns t plus a random offset in [0, d).
func (s *snap) jitter(t time.Time, d time.Duration) time.Time {
	return t.Add(time.Duration(s.rng.Int63n(int64(d))))
}

func (s *snap) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[s.rng.Intn(16)]
	}
	return string(b)
}

func (s *snap) uuid() string {
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-" + string("89ab"[s.rng.Intn(4)]) + s.hex(3) + "-" + s.hex(12)
}

func (s *snap) pick(xs ...string) string { return xs[s.rng.Intn(len(xs))] }

// poisson draws a count with mean lambda (Knuth for small, normal for large).
func (s *snap) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		v := int(math.Round(lambda + s.rng.NormFloat64()*math.Sqrt(lambda)))
		if v < 0 {
			return 0
		}
		return v
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= s.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (s *snap) lognormal(median, sigma float64) float64 {
	return median * math.Exp(s.rng.NormFloat64()*sigma)
}

func iso(t time.Time) string   { return t.UTC().Format("2006-01-02T15:04:05Z") }
func isoMs(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// ---- metrics ----

// dp is one GetMetricStatistics datapoint's statistics.
type dp struct {
	n, sum, min, max float64
	p99              float64 // 0: no extended statistic
}

// count is a datapoint for a counter (every sample is 1, as AWS/ELB counts are).
func count(v float64) dp {
	v = math.Round(v)
	if v < 0 {
		v = 0
	}
	return dp{n: v, sum: v, min: 1, max: 1}
}

// gauge is a datapoint for a value sampled n times.
func gauge(n, avg, min, max float64) dp { return dp{n: n, sum: avg * n, min: min, max: max} }

// metric adds one metric file of 60-second datapoints; f returns ok=false to skip a minute (no data).
func (s *snap) metric(ns, name string, dims [][2]string, unit string, f func(t time.Time) (dp, bool)) {
	var points []map[string]any
	s.sim(time.Minute, func(t time.Time) {
		d, ok := f(t)
		if !ok {
			return
		}
		p := map[string]any{"Timestamp": iso(t), "Unit": unit, "SampleCount": d.n, "Sum": round3(d.sum), "Minimum": round3(d.min), "Maximum": round3(d.max)}
		if d.n > 0 {
			p["Average"] = round3(d.sum / d.n)
		} else {
			p["Average"] = 0.0
		}
		if d.p99 > 0 {
			p["ExtendedStatistics"] = map[string]any{"p99": round3(d.p99)}
		}
		points = append(points, p)
	})
	ds := []map[string]string{}
	for _, d := range dims {
		ds = append(ds, map[string]string{"Name": d[0], "Value": d[1]})
	}
	s.metrics = append(s.metrics, map[string]any{"Namespace": ns, "MetricName": name, "Dimensions": ds, "Label": name, "Datapoints": points})
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// ---- alarms ----

type alarmSpec struct {
	name, desc, ns, metric, stat, op, unit string
	dims                                   [][2]string
	period, evals, toAlarm                 int
	threshold                              float64
	firedAt                                time.Time
	recent                                 []float64 // the breaching datapoints, oldest first
	actions                                []string
}

func (s *snap) alarm(a alarmSpec) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, a.name)
	var dims []map[string]string
	for _, d := range a.dims {
		dims = append(dims, map[string]string{"Name": d[0], "Value": d[1]})
	}
	opWord := map[string]string{"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to", "LessThanThreshold": "less than"}[a.op]
	var parts []string
	for i, v := range a.recent {
		parts = append(parts, fmt.Sprintf("%g (%s)", v, a.firedAt.Truncate(time.Minute).Add(-time.Duration(len(a.recent)-i)*time.Duration(a.period)*time.Second).UTC().Format("02/01/06 15:04:05")))
	}
	reason := fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the threshold (%g) (minimum %d datapoint for OK -> ALARM transition).", a.toAlarm, a.evals, strings.Join(parts, ", "), opWord, a.threshold, a.toAlarm)
	queryDate := a.firedAt.UTC().Format("2006-01-02T15:04:05.000+0000")
	startDate := a.firedAt.Truncate(time.Minute).Add(-time.Duration(len(a.recent)) * time.Duration(a.period) * time.Second).UTC().Format("2006-01-02T15:04:05.000+0000")
	reasonData := mustJSON(map[string]any{"version": "1.0", "queryDate": queryDate, "startDate": startDate, "statistic": a.stat, "period": a.period, "recentDatapoints": a.recent, "threshold": a.threshold, "evaluatedDatapoints": []any{}})
	fired := a.firedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": a.name, "AlarmArn": arn, "AlarmDescription": a.desc, "AlarmConfigurationUpdatedTimestamp": "2026-06-11T09:14:22.081Z",
		"ActionsEnabled": true, "OKActions": a.actions, "AlarmActions": a.actions, "InsufficientDataActions": []string{},
		"StateValue": "ALARM", "StateReason": reason, "StateReasonData": reasonData, "StateUpdatedTimestamp": fired, "StateTransitionedTimestamp": fired,
		"MetricName": a.metric, "Namespace": a.ns, "Statistic": a.stat, "Dimensions": dims, "Period": a.period, "Unit": a.unit,
		"EvaluationPeriods": a.evals, "DatapointsToAlarm": a.toAlarm, "Threshold": a.threshold, "ComparisonOperator": a.op, "TreatMissingData": "notBreaching",
	})
	s.history = append(s.history, map[string]any{
		"AlarmName": a.name, "AlarmType": "MetricAlarm", "Timestamp": fired, "HistoryItemType": "StateUpdate",
		"HistorySummary": "Alarm updated from OK to ALARM",
		"HistoryData": mustJSON(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK", "stateReason": fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints were not %s the threshold (%g).", a.toAlarm, a.evals, opWord, a.threshold)},
			"newState": map[string]any{"stateValue": "ALARM", "stateReason": reason, "stateReasonData": json.RawMessage(reasonData)}}),
	})
}

// okAlarm is an alarm that stays OK through the window (context for the reader).
func (s *snap) okAlarm(name, ns, metric, stat, op string, dims [][2]string, threshold float64) {
	ds := []map[string]string{}
	for _, d := range dims {
		ds = append(ds, map[string]string{"Name": d[0], "Value": d[1]})
	}
	ts := s.start.Add(-26 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, name), "ActionsEnabled": true,
		"StateValue": "OK", "StateReason": fmt.Sprintf("Threshold Crossed: 1 out of the last 1 datapoints was not %s the threshold (%g).", op, threshold),
		"StateUpdatedTimestamp": ts, "StateTransitionedTimestamp": ts, "MetricName": metric, "Namespace": ns, "Statistic": stat, "Dimensions": ds,
		"Period": 300, "EvaluationPeriods": 1, "DatapointsToAlarm": 1, "Threshold": threshold, "ComparisonOperator": op, "TreatMissingData": "missing",
	})
}

// ---- X-Ray ----

func (s *snap) traceID(t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24))
}

// trace adds one trace made of segment documents (maps with start_time/end_time).
func (s *snap) trace(id string, segs ...map[string]any) {
	if t := time.UnixMicro(int64(segs[0]["start_time"].(float64) * 1e6)); t.Before(s.start) || !t.Before(s.end) {
		return
	}
	var start, end float64 = math.MaxFloat64, 0
	var out []map[string]any
	for _, sg := range segs {
		sg["trace_id"] = id
		if v := sg["start_time"].(float64); v < start {
			start = v
		}
		if v, ok := sg["end_time"].(float64); ok && v > end {
			end = v
		}
		out = append(out, map[string]any{"Id": sg["id"], "Document": mustJSON(sg)})
	}
	s.traces = append(s.traces, map[string]any{"Id": id, "Duration": round3(end - start), "LimitExceeded": false, "Segments": out})
}

func epoch(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

// ---- writing ----

func (s *snap) write(dir string) {
	must(os.MkdirAll(dir, 0o755))
	writeJSON(filepath.Join(dir, "manifest.json"), map[string]any{
		"format": "fa2-snapshot/1", "region": s.region, "title": s.title, "architecture": s.arch,
		"window": map[string]string{"start": iso(s.start), "end": iso(s.end)},
	}, false)

	// CloudTrail: one delivery file per 15 minutes, as S3 delivery batches them.
	sort.SliceStable(s.ct, func(i, j int) bool { return s.ct[i]["eventTime"].(string) < s.ct[j]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	for _, r := range s.ct {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		key := t.Truncate(15 * time.Minute).Add(15 * time.Minute).UTC().Format("20060102T1504Z")
		files[key] = append(files[key], r)
	}
	for _, key := range sortedKeys(files) {
		recs := files[key]
		name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", s.account, s.region, key, s.hex(16))
		writeJSON(filepath.Join(dir, "cloudtrail", name), map[string]any{"Records": recs}, true)
	}

	for _, group := range sortedKeys(s.logs) {
		evs := s.logs[group]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].ts.Before(evs[j].ts) })
		var b bytes.Buffer
		for _, e := range evs {
			b.WriteString(mustJSON(map[string]any{"timestamp": e.ts.UnixMilli(), "message": e.msg, "logStreamName": e.stream, "ingestionTime": e.ts.UnixMilli() + 300 + int64(s.rng.Intn(1500))}))
			b.WriteByte('\n')
		}
		writeFile(filepath.Join(dir, "logs", url.PathEscape(group)+".jsonl.gz"), b.Bytes(), true)
	}

	if len(s.traces) > 0 {
		writeJSON(filepath.Join(dir, "xray", "traces.json.gz"), map[string]any{"Traces": s.traces}, true)
	}
	for _, m := range s.metrics {
		var dv []string
		for _, d := range m["Dimensions"].([]map[string]string) {
			dv = append(dv, d["Value"])
		}
		name := strings.NewReplacer("/", "_", ":", "_", " ", "_").Replace(fmt.Sprintf("%s__%s__%s", m["Namespace"], m["MetricName"], strings.Join(dv, "_")))
		writeJSON(filepath.Join(dir, "metrics", name+".json.gz"), m, true)
	}
	if len(s.alarms) > 0 {
		writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}, false)
		writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": s.history}, false)
	}
	if len(s.alb) > 0 {
		// ALB writes one file per node per 5 minutes.
		sort.SliceStable(s.alb, func(i, j int) bool { return s.alb[i].ts.Before(s.alb[j].ts) })
		byFile := map[string][]string{}
		for _, l := range s.alb {
			k := l.ts.Truncate(5 * time.Minute).Add(5 * time.Minute).UTC().Format("20060102T1504Z")
			byFile[k] = append(byFile[k], l.line)
		}
		for _, k := range sortedKeys(byFile) {
			lines := byFile[k]
			name := fmt.Sprintf("%s_elasticloadbalancing_%s_%s_%s_%s.log.gz", s.account, s.region, strings.ReplaceAll(s.albID, "/", "."), k, "10.20.1.17_"+s.hex(8))
			writeFile(filepath.Join(dir, "alb", name), []byte(strings.Join(lines, "\n")+"\n"), true)
		}
	}
	writeJSON(filepath.Join(dir, "truth.json"), s.truth, false)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeJSON(path string, v any, gz bool) {
	b, err := json.MarshalIndent(v, "", " ")
	must(err)
	if gz {
		b, err = json.Marshal(v)
		must(err)
	}
	writeFile(path, append(b, '\n'), gz)
}

func writeFile(path string, b []byte, gz bool) {
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	if gz {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.ModTime = time.Time{}
		_, err := w.Write(b)
		must(err)
		must(w.Close())
		b = buf.Bytes()
	}
	must(os.WriteFile(path, b, 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
