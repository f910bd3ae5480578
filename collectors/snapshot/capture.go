package snapshot

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/telemetry"
)

// Caps bound what a capture reads from each source. Zero means the default.
type Caps struct {
	LogEventsPerGroup int // newest events kept per log group
	LogGroups         int
	Traces            int
	Metrics           int
	CloudTrailEvents  int
	AccessLogRows     int
	Findings          int
	AlarmHistory      int
}

// DefaultCaps keep a one-hour incident of a busy service under ~50 MB.
var DefaultCaps = Caps{LogEventsPerGroup: 50000, LogGroups: 50, Traces: 5000, Metrics: 300,
	CloudTrailEvents: 10000, AccessLogRows: 100000, Findings: 500, AlarmHistory: 500}

// CaptureOptions say what to capture and how.
type CaptureOptions struct {
	// Window is the incident; with Baseline, the equal window before it is
	// captured too (logs, metrics, access logs, CloudTrail and traces).
	Window   telemetry.Window
	Baseline bool
	// LogGroups are names or prefixes ending in "*"; empty means every
	// group the source lists (up to Caps.LogGroups).
	LogGroups []string
	// Namespaces limits the metrics captured; empty means every namespace.
	Namespaces []string
	Caps       Caps
	// Redactor masks sensitive values; nil writes them as they are.
	Redactor *Redactor

	Region, Title, Architecture string
	// Progress is told as each source advances; nil is silent.
	Progress func(p CaptureProgress)
}

// CaptureProgress is one progress report: a source, how far it is, and
// whether it is done.
type CaptureProgress struct {
	Source      string
	Done, Total int
	Finished    bool
	Message     string
}

// SourceReport says what a capture got from one source: how many items,
// what was cut by a cap, and what failed and how to fix it. The manifest
// lists one per source, so a reader knows what is missing and why.
type SourceReport struct {
	Source string `json:"source"`
	Items  int    `json:"items"`
	Cut    string `json:"cut,omitempty"`
	Error  string `json:"error,omitempty"`
	Hint   string `json:"hint,omitempty"`
	// Files written for this source, relative to the snapshot.
	Files []string `json:"files,omitempty"`
}

// Capture reads every source through the collector interfaces and writes a
// fa2-snapshot/1 directory at dir. It writes into a temporary directory
// beside dir and renames it into place only when everything is written, so
// an interrupted or failed capture never leaves a directory that looks
// complete. A source that fails is recorded in the manifest (Captured) and
// the others are still written. dir must not exist yet.
func Capture(ctx context.Context, src collectors.Sources, dir string, opt CaptureOptions) (*Manifest, error) {
	if opt.Window.Start.IsZero() || !opt.Window.End.After(opt.Window.Start) {
		return nil, fmt.Errorf("capture window must have a start before its end")
	}
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("%s already exists: choose a new folder for the snapshot (fa2 never overwrites one)", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	c := &capture{src: src, dir: tmp, opt: opt, caps: opt.Caps.withDefaults()}
	c.span = opt.Window
	if opt.Baseline {
		c.span.Start = opt.Window.Start.Add(-opt.Window.Duration())
	}
	steps := []struct {
		name string
		run  func(ctx context.Context) (*SourceReport, error)
		have bool
	}{
		{"alarms", c.alarms, src.Alarms != nil},
		{"logs", c.logs, src.Logs != nil},
		{"traces", c.traces, src.Traces != nil},
		{"metrics", c.metrics, src.Metrics != nil},
		{"cloudtrail", c.cloudTrail, src.CloudTrail != nil},
		{"access_logs", c.accessLogs, src.AccessLogs != nil},
		{"findings", c.findings, src.Findings != nil},
	}
	m := Manifest{Format: FormatV1, Region: opt.Region, Window: opt.Window, Title: opt.Title, Architecture: opt.Architecture,
		CapturedAt: time.Now().UTC(), CapturedFrom: src.Name, Redacted: opt.Redactor != nil}
	for _, st := range steps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("capture interrupted before %s: %w (nothing was written to %s)", st.name, err, dir)
		}
		var rep *SourceReport
		if !st.have {
			rep = &SourceReport{Error: "this backend does not offer " + st.name}
		} else {
			rep, err = st.run(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil, fmt.Errorf("capture interrupted during %s: %w (nothing was written to %s)", st.name, ctx.Err(), dir)
				}
				rep = failed(rep, err)
			}
		}
		rep.Source = st.name
		m.Captured = append(m.Captured, *rep)
		c.progress(CaptureProgress{Source: st.name, Done: rep.Items, Total: rep.Items, Finished: true, Message: rep.Error})
	}
	if masked := opt.Redactor.Masked(); len(masked) > 0 {
		m.RedactedValues = masked
	}
	if err := writeJSONFile(filepath.Join(tmp, "manifest.json"), m, false); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("move the finished snapshot into place: %w", err)
	}
	return &m, nil
}

// failed turns a source error into a report that names what failed and,
// for fa2's own errors, what to do.
func failed(rep *SourceReport, err error) *SourceReport {
	if rep == nil {
		rep = &SourceReport{}
	}
	rep.Error = err.Error()
	var te *telemetry.Error
	if errors.As(err, &te) {
		rep.Error = te.Msg
		rep.Hint = te.Hint
	}
	return rep
}

func (c Caps) withDefaults() Caps {
	d := DefaultCaps
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Caps{pick(c.LogEventsPerGroup, d.LogEventsPerGroup), pick(c.LogGroups, d.LogGroups), pick(c.Traces, d.Traces),
		pick(c.Metrics, d.Metrics), pick(c.CloudTrailEvents, d.CloudTrailEvents), pick(c.AccessLogRows, d.AccessLogRows),
		pick(c.Findings, d.Findings), pick(c.AlarmHistory, d.AlarmHistory)}
}

type capture struct {
	src  collectors.Sources
	dir  string
	opt  CaptureOptions
	caps Caps
	span telemetry.Window // window plus baseline
}

func (c *capture) progress(p CaptureProgress) {
	if c.opt.Progress != nil {
		c.opt.Progress(p)
	}
}

func (c *capture) red() *Redactor { return c.opt.Redactor }

func (c *capture) alarms(ctx context.Context) (*SourceReport, error) {
	list, err := c.src.Alarms.Alarms(ctx, telemetry.AlarmQuery{})
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Items: len(list.Alarms), Cut: list.Partial}
	metric, composite := alarmDocuments(list.Alarms)
	if err := writeJSONFile(filepath.Join(c.dir, "alarms.json"), map[string]any{"MetricAlarms": metric, "CompositeAlarms": composite}, false); err != nil {
		return nil, err
	}
	rep.Files = append(rep.Files, "alarms.json")
	hist, err := c.src.Alarms.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Window: c.span, Limit: c.caps.AlarmHistory})
	if err != nil {
		// The alarms are written; say what is missing.
		r := failed(rep, err)
		r.Error = "alarm history: " + r.Error
		return r, nil
	}
	items := []map[string]any{}
	for _, h := range hist.Items {
		items = append(items, map[string]any{"AlarmName": h.AlarmName, "Timestamp": h.Timestamp.UTC().Format(time.RFC3339Nano),
			"HistoryItemType": "StateUpdate", "HistorySummary": h.Summary, "HistoryData": h.Data})
	}
	if hist.Partial != "" {
		rep.Cut = strings.TrimPrefix(rep.Cut+"; alarm history: "+hist.Partial, "; ")
	}
	rep.Items += len(items)
	rep.Files = append(rep.Files, "alarm-history.json")
	return rep, writeJSONFile(filepath.Join(c.dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": items}, false)
}

// logGroups resolves the configured names and prefixes into groups.
func (c *capture) logGroups(ctx context.Context) ([]string, string, error) {
	patterns := c.opt.LogGroups
	if len(patterns) == 0 {
		patterns = []string{"*"}
	}
	seen := map[string]bool{}
	var groups []string
	for _, p := range patterns {
		names := []string{p}
		if strings.HasSuffix(p, "*") {
			var err error
			names, err = c.src.Logs.LogGroups(ctx, strings.TrimSuffix(p, "*"))
			if err != nil {
				return nil, "", err
			}
		}
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				groups = append(groups, n)
			}
		}
	}
	sort.Strings(groups)
	cut := ""
	if len(groups) > c.caps.LogGroups {
		cut = fmt.Sprintf("kept %d of %d log groups (--max-log-groups)", c.caps.LogGroups, len(groups))
		groups = groups[:c.caps.LogGroups]
	}
	return groups, cut, nil
}

// maxEventsPerCall is what one Events call is asked for: Logs Insights
// returns at most 10,000 rows, so larger windows are read in slices.
const maxEventsPerCall = 10000

func (c *capture) logs(ctx context.Context) (*SourceReport, error) {
	groups, cut, err := c.logGroups(ctx)
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Cut: cut}
	var cuts, failures []string
	for i, g := range groups {
		c.progress(CaptureProgress{Source: "logs", Done: i, Total: len(groups), Message: g})
		events, matched, err := c.groupEvents(ctx, g)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			r := failed(nil, err)
			failures = append(failures, g+": "+r.Error)
			if rep.Hint == "" {
				rep.Hint = r.Hint
			}
			continue
		}
		if matched > int64(len(events)) {
			cuts = append(cuts, fmt.Sprintf("%s: kept the newest %d of %d events", g, len(events), matched))
		}
		sort.SliceStable(events, func(a, b int) bool { return events[a].Timestamp.Before(events[b].Timestamp) })
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, e := range events {
			if err := enc.Encode(logLineOf(e, c.red())); err != nil {
				return nil, err
			}
		}
		name := "logs/" + url.PathEscape(g) + ".jsonl.gz"
		if err := writeGzipFile(filepath.Join(c.dir, name), buf.Bytes()); err != nil {
			return nil, err
		}
		rep.Files = append(rep.Files, name)
		rep.Items += len(events)
	}
	rep.Cut = strings.Join(append(nonEmpty(rep.Cut), cuts...), "; ")
	if len(failures) > 0 {
		rep.Error = strings.Join(failures, "; ")
	}
	return rep, nil
}

// groupEvents reads up to the cap of a group's newest events in the span,
// splitting the window whenever one call cannot return all it matched.
func (c *capture) groupEvents(ctx context.Context, group string) ([]telemetry.LogEvent, int64, error) {
	budget := c.caps.LogEventsPerGroup
	var out []telemetry.LogEvent
	var matched int64
	var read func(w telemetry.Window, depth int) error
	read = func(w telemetry.Window, depth int) error {
		if budget <= 0 {
			return nil
		}
		limit := min(budget, maxEventsPerCall)
		res, err := c.src.Logs.Events(ctx, telemetry.LogQuery{LogGroups: []string{group}, Window: w, Limit: limit})
		if err != nil {
			return err
		}
		if res.Matched <= int64(len(res.Events)) || depth >= 12 || len(res.Events) >= budget {
			out = append(out, res.Events...)
			budget -= len(res.Events)
			if depth == 0 || res.Matched > int64(len(res.Events)) {
				matched += res.Matched
			} else {
				matched += int64(len(res.Events))
			}
			return nil
		}
		// More matched than one call returns: newer half first, so a cap
		// keeps the events nearest the end of the window.
		mid := w.Start.Add(w.Duration() / 2).Truncate(time.Millisecond)
		if err := read(telemetry.Window{Start: mid, End: w.End}, depth+1); err != nil {
			return err
		}
		if budget <= 0 {
			// The older half was not read: count what it holds.
			older, err := c.src.Logs.Histogram(ctx, telemetry.LogQuery{LogGroups: []string{group}, Window: telemetry.Window{Start: w.Start, End: mid.Add(-time.Millisecond)}, Bin: w.Duration()})
			if err == nil {
				matched += older.Matched
			}
			return nil
		}
		return read(telemetry.Window{Start: w.Start, End: mid.Add(-time.Millisecond)}, depth+1)
	}
	err := read(c.span, 0)
	return dedupeEvents(out), matched, err
}

// dedupeEvents drops events read twice at a slice boundary.
func dedupeEvents(evs []telemetry.LogEvent) []telemetry.LogEvent {
	type key struct {
		t      int64
		stream string
		msg    string
	}
	seen := make(map[key]bool, len(evs))
	out := evs[:0]
	for _, e := range evs {
		k := key{e.Timestamp.UnixNano(), e.LogStream, e.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

func (c *capture) traces(ctx context.Context) (*SourceReport, error) {
	sums, err := c.src.Traces.TraceSummaries(ctx, telemetry.TraceQuery{Window: c.span, Limit: c.caps.Traces})
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Cut: sums.Partial}
	ids := make([]string, 0, len(sums.Summaries))
	for _, s := range sums.Summaries {
		ids = append(ids, s.ID)
	}
	var docs []map[string]any
	const batch = 100
	for i := 0; i < len(ids); i += batch {
		c.progress(CaptureProgress{Source: "traces", Done: i, Total: len(ids)})
		traces, err := c.src.Traces.Traces(ctx, ids[i:min(i+batch, len(ids))])
		if err != nil {
			return nil, err
		}
		for _, t := range traces {
			var segs []map[string]any
			for _, s := range t.Segments {
				segs = append(segs, map[string]any{"Id": s.ID, "Document": mustJSON(segmentDocument(s, t.ID, true, c.red()))})
			}
			docs = append(docs, map[string]any{"Id": t.ID, "Duration": t.Duration, "Segments": segs})
		}
	}
	rep.Items = len(docs)
	if len(docs) == 0 {
		return rep, nil
	}
	rep.Files = []string{"xray/traces.json.gz"}
	return rep, writeJSONFile(filepath.Join(c.dir, "xray", "traces.json.gz"), map[string]any{"Traces": docs, "UnprocessedTraceIds": []string{}}, true)
}

// metricStats are the statistics GetMetricStatistics returns per datapoint.
var metricStats = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}

func (c *capture) metrics(ctx context.Context) (*SourceReport, error) {
	list, err := c.src.Metrics.ListMetrics(ctx, telemetry.MetricListQuery{Namespaces: c.opt.Namespaces, Limit: c.caps.Metrics})
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Cut: list.Partial}
	seen := map[string]int{}
	for i, m := range list.Metrics {
		c.progress(CaptureProgress{Source: "metrics", Done: i, Total: len(list.Metrics), Message: m.Namespace + " " + m.MetricName})
		q := telemetry.MetricDataQuery{Window: c.span, PeriodSeconds: 60}
		for _, st := range metricStats {
			q.Stats = append(q.Stats, telemetry.MetricStat{Metric: m, Stat: st})
		}
		data, err := c.src.Metrics.MetricData(ctx, q)
		if err != nil {
			return nil, err
		}
		byTime := map[time.Time]map[string]any{}
		unit := ""
		for _, s := range data.Series {
			if s.Unit != "" {
				unit = s.Unit
			}
			for _, p := range s.Points {
				dp := byTime[p.Timestamp]
				if dp == nil {
					dp = map[string]any{"Timestamp": p.Timestamp.UTC().Format(time.RFC3339)}
					byTime[p.Timestamp] = dp
				}
				dp[s.Stat.Stat] = p.Value
			}
		}
		times := make([]time.Time, 0, len(byTime))
		for t := range byTime {
			times = append(times, t)
		}
		sort.Slice(times, func(a, b int) bool { return times[a].Before(times[b]) })
		points := []map[string]any{}
		for _, t := range times {
			if unit != "" {
				byTime[t]["Unit"] = unit
			}
			points = append(points, byTime[t])
		}
		var dims []map[string]string
		name := strings.ReplaceAll(m.Namespace, "/", "_") + "-" + m.MetricName
		for _, d := range m.Dimensions {
			dims = append(dims, map[string]string{"Name": d.Name, "Value": c.red().String(d.Value)})
			name += "-" + d.Value
		}
		name = fileSafe(name)
		seen[name]++
		if seen[name] > 1 {
			name += fmt.Sprintf("-%d", seen[name])
		}
		file := "metrics/" + name + ".json.gz"
		doc := map[string]any{"Namespace": m.Namespace, "MetricName": m.MetricName, "Dimensions": dims, "Label": m.MetricName, "Datapoints": points}
		if err := writeJSONFile(filepath.Join(c.dir, file), doc, true); err != nil {
			return nil, err
		}
		rep.Items++
		rep.Files = append(rep.Files, file)
	}
	return rep, nil
}

// fileSafe keeps a metric file name portable and short.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	if len(s) > 150 {
		s = s[:150]
	}
	return s
}

func (c *capture) cloudTrail(ctx context.Context) (*SourceReport, error) {
	q := telemetry.CloudTrailQuery{Window: c.span, Limit: c.caps.CloudTrailEvents,
		Progress: func(done, total float64, msg string) {
			c.progress(CaptureProgress{Source: "cloudtrail", Done: int(done), Total: int(total), Message: msg})
		}}
	res, err := c.src.CloudTrail.CloudTrailEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Items: len(res.Events), Cut: res.Stats.Partial}
	records := make([]map[string]any, 0, len(res.Events))
	for i := len(res.Events) - 1; i >= 0; i-- { // oldest first, as delivered
		records = append(records, trailRecord(res.Events[i], c.red()))
	}
	rep.Files = []string{"cloudtrail/events.json.gz"}
	return rep, writeJSONFile(filepath.Join(c.dir, "cloudtrail", "events.json.gz"), map[string]any{"Records": records}, true)
}

func (c *capture) accessLogs(ctx context.Context) (*SourceReport, error) {
	res, err := c.src.AccessLogs.AccessLogStats(ctx, telemetry.AccessLogQuery{Window: c.span, GroupBy: telemetry.GroupByStatus, IncludeRows: c.caps.AccessLogRows,
		Progress: func(done, total float64, msg string) {
			c.progress(CaptureProgress{Source: "access_logs", Done: int(done), Total: int(total), Message: msg})
		}})
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Items: len(res.Rows), Cut: res.Stats.Partial}
	if res.Totals.Requests > int64(len(res.Rows)) {
		rep.Cut = strings.Join(append(nonEmpty(rep.Cut), fmt.Sprintf("kept %d of %d requests (--max-access-log-rows)", len(res.Rows), res.Totals.Requests)), "; ")
	}
	if len(res.Rows) == 0 {
		return rep, nil
	}
	rows := append([]telemetry.AccessLogRow(nil), res.Rows...)
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].Time.Before(rows[b].Time) })
	var buf bytes.Buffer
	for _, r := range rows {
		buf.WriteString(albLine(r, c.red()))
		buf.WriteByte('\n')
	}
	rep.Files = []string{"alb/captured.log.gz"}
	return rep, writeGzipFile(filepath.Join(c.dir, "alb", "captured.log.gz"), buf.Bytes())
}

func (c *capture) findings(ctx context.Context) (*SourceReport, error) {
	// Findings are standing state: take the active ones updated in the last
	// 90 days, not only those that changed during the incident.
	w := telemetry.Window{Start: c.span.Start.Add(-90 * 24 * time.Hour), End: c.span.End}
	res, err := c.src.Findings.SecurityFindings(ctx, telemetry.FindingQuery{Window: w, Limit: c.caps.Findings})
	if err != nil {
		return nil, err
	}
	rep := &SourceReport{Items: len(res.Findings), Cut: res.Stats.Partial}
	if len(res.Stats.Warnings) > 0 {
		rep.Error = strings.Join(res.Stats.Warnings, "; ")
	}
	by := map[string][]map[string]any{}
	for _, f := range res.Findings {
		by[f.Source] = append(by[f.Source], findingDocument(f, c.red()))
	}
	for _, source := range []string{telemetry.FindingSourceSecurityHub, telemetry.FindingSourceGuardDuty} {
		if len(by[source]) == 0 {
			continue
		}
		name := source + ".json"
		if err := writeJSONFile(filepath.Join(c.dir, name), map[string]any{"Findings": by[source]}, false); err != nil {
			return nil, err
		}
		rep.Files = append(rep.Files, name)
	}
	return rep, nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of plain values are marshalled here
	}
	return string(b)
}

// writeJSONFile writes v as JSON, gzipped when gz is set, creating folders.
func writeJSONFile(path string, v any, gz bool) error {
	var b []byte
	var err error
	if gz {
		b, err = json.Marshal(v)
	} else {
		b, err = json.MarshalIndent(v, "", "  ")
	}
	if err != nil {
		return err
	}
	if gz {
		return writeGzipFile(path, b)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeGzipFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
