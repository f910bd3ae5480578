package awslive

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// The live log source: every mode is one Logs Insights query (per batch of
// 50 log groups) whose rows are turned into fa2's types here.

// defaultEventLimit applies when a query gives no limit.
const defaultEventLimit = 50

// insightsTimeLayout is how Logs Insights writes @timestamp and bin() values (UTC).
const insightsTimeLayout = "2006-01-02 15:04:05.000"

// Events implements collectors.LogSource. Each batch returns its newest
// limit events; merged, the newest limit of all of them are the answer.
// Matched is Logs Insights' recordsMatched: every event that matched in the
// window, not just those returned.
func (c *Client) Events(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogEvents, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultEventLimit
	}
	if limit > maxInsightsRows {
		limit = maxInsightsRows
	}
	text, err := eventsQuery(q.Filter, limit)
	if err != nil {
		return nil, err
	}
	res, err := c.query(ctx, q, insightsQuery{text: text, limit: limit, what: "events query"})
	if err != nil {
		return nil, err
	}
	var events []telemetry.LogEvent
	for _, b := range res.batches {
		for _, row := range b.rows {
			f := rowFields(row)
			ev := telemetry.LogEvent{
				Timestamp: parseInsightsTime(f["@timestamp"]),
				LogGroup:  logGroupOf(f["@log"], b.groups),
				LogStream: f["@logStream"],
				Message:   f["@message"],
			}
			ev.Severity = evidence.Severity(ev.Message)
			events = append(events, ev)
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Timestamp.After(events[j].Timestamp) })
	if len(events) > limit {
		events = events[:limit]
	}
	if events == nil {
		events = []telemetry.LogEvent{}
	}
	matched := int64(res.stats.RecordsMatched)
	if matched < int64(len(events)) {
		matched = int64(len(events)) // statistics missing: at least what came back
	}
	return &telemetry.LogEvents{Matched: matched, Events: events, Stats: res.stats}, nil
}

// Patterns implements collectors.LogSource with Logs Insights' pattern
// command, which clusters every matching event of the window server-side.
// The command reports @pattern, @sampleCount, @ratio and @severityLabel (and,
// undocumented, @logSamples); it reports no times, so FirstSeen and LastSeen
// stay zero rather than being guessed.
func (c *Client) Patterns(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogPatterns, error) {
	text, err := patternsQuery(q.Filter)
	if err != nil {
		return nil, err
	}
	res, err := c.query(ctx, q, insightsQuery{text: text, limit: maxInsightsRows, what: "pattern query",
		// pattern is a newer command that some log groups cannot run.
		modeHint: "Log groups in the Infrequent Access class cannot run the pattern command; use mode=events or histogram for them."})
	if err != nil {
		return nil, err
	}
	type merged struct {
		p     telemetry.LogPattern
		rank  int
		ratio float64
	}
	byTemplate := map[string]*merged{}
	var order []*merged
	var counted int64
	for _, b := range res.batches {
		for _, row := range b.rows {
			f := rowFields(row)
			tmpl := f["@pattern"]
			count, _ := strconv.ParseInt(strings.TrimSpace(f["@sampleCount"]), 10, 64)
			ratio, _ := strconv.ParseFloat(strings.TrimSpace(f["@ratio"]), 64)
			sample := firstLogSample(f["@logSamples"])
			// Prefer AWS's label ("Error", "Warning"...); fall back to fa2's guess.
			sev := evidence.Severity(f["@severityLabel"])
			if sev == "" {
				sev = evidence.Severity(sample)
			}
			counted += count
			m := byTemplate[tmpl]
			if m == nil {
				// Batches cluster independently; the same template from two
				// batches is one pattern.
				m = &merged{p: telemetry.LogPattern{Template: tmpl, Sample: sample}}
				byTemplate[tmpl] = m
				order = append(order, m)
			}
			m.p.Count += count
			m.ratio += ratio
			if m.p.Sample == "" {
				m.p.Sample = sample
			}
			if r := evidence.SeverityRank(sev); r > m.rank {
				m.rank, m.p.Severity = r, sev
			}
		}
	}
	matched := int64(res.stats.RecordsMatched)
	if matched == 0 {
		matched = counted
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].rank != order[j].rank {
			return order[i].rank > order[j].rank
		}
		return order[i].p.Count > order[j].p.Count
	})
	patterns := make([]telemetry.LogPattern, len(order))
	for i, m := range order {
		if m.p.Sample == "" {
			m.p.Sample = m.p.Template
		}
		switch {
		case matched > 0:
			m.p.Ratio = float64(m.p.Count) / float64(matched)
		case len(res.batches) == 1:
			m.p.Ratio = m.ratio
		}
		patterns[i] = m.p
	}
	out := &telemetry.LogPatterns{Matched: matched, TotalPatterns: len(patterns), Stats: res.stats}
	if q.Limit > 0 && len(patterns) > q.Limit {
		patterns = patterns[:q.Limit]
	}
	out.Patterns = patterns
	return out, nil
}

// Histogram implements collectors.LogSource with one stats query binned by
// bin(); empty bins are filled in so gaps show as zeros, like the snapshot.
func (c *Client) Histogram(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogHistogram, error) {
	bin := q.Bin
	if bin <= 0 {
		bin = evidence.HistogramBin(q.Window.Duration())
	}
	bin = wholeSeconds(bin)
	text, err := histogramQuery(q.Filter, bin)
	if err != nil {
		return nil, err
	}
	res, err := c.query(ctx, q, insightsQuery{text: text, limit: maxInsightsRows, what: "histogram query"})
	if err != nil {
		return nil, err
	}
	first := q.Window.Start.Truncate(bin)
	n := int(q.Window.End.Sub(first)/bin) + 1
	bins := make([]telemetry.HistogramBin, n)
	for i := range bins {
		bins[i].Start = first.Add(time.Duration(i) * bin)
	}
	var matched int64
	for _, b := range res.batches {
		for _, row := range b.rows {
			f := rowFields(row)
			start, ok := binStart(f)
			if !ok {
				continue
			}
			i := int(start.Sub(first) / bin)
			if i < 0 || i >= n {
				continue
			}
			total := atoi(f["total"])
			if total == 0 {
				continue
			}
			hb := &bins[i]
			hb.Total += total
			matched += total
			if hb.BySeverity == nil {
				hb.BySeverity = map[string]int64{}
			}
			hb.BySeverity[histogramSeverity(f[histogramLevelField], f[histogramExcField])] += total
		}
	}
	return &telemetry.LogHistogram{Matched: matched, BinSeconds: int64(bin / time.Second), Bins: bins, Stats: res.stats}, nil
}

// Insights implements collectors.LogSource: the user's query runs as given
// on every batch; rows come back as field maps without the internal @ptr.
func (c *Client) Insights(ctx context.Context, q telemetry.LogQuery) (*telemetry.InsightsResult, error) {
	if strings.TrimSpace(q.Query) == "" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "the query is empty.").WithHint("Pass a Logs Insights query, such as: fields @timestamp, @message | limit 20.")
	}
	res, err := c.query(ctx, q, insightsQuery{text: q.Query, limit: maxInsightsRows, raw: true})
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]string, 0, res.rowCount())
	for _, b := range res.batches {
		for _, row := range b.rows {
			m := rowFields(row)
			delete(m, "@ptr")
			rows = append(rows, m)
		}
	}
	if len(res.batches) > 1 {
		res.stats.Warnings = append(res.stats.Warnings,
			"The query ran as "+strconv.Itoa(len(res.batches))+" queries of at most 50 log groups each; rows are concatenated, so stats, sort and limit apply per query, not overall.")
	}
	return &telemetry.InsightsResult{Rows: rows, Stats: res.stats}, nil
}

// query resolves the log groups of q and runs iq (text, limit, hints) over
// them in q's window.
func (c *Client) query(ctx context.Context, q telemetry.LogQuery, iq insightsQuery) (*insightsResult, error) {
	groups, err := c.resolveLogGroups(ctx, q.LogGroups)
	if err != nil {
		return nil, err
	}
	iq.groups, iq.window, iq.progress, iq.filter = groups, q.Window, q.Progress, q.Filter
	return c.runInsights(ctx, iq)
}

// rowFields turns one result row into a field map.
func rowFields(row []types.ResultField) map[string]string {
	m := make(map[string]string, len(row))
	for _, f := range row {
		m[aws.ToString(f.Field)] = aws.ToString(f.Value)
	}
	return m
}

// parseInsightsTime reads a Logs Insights time value; zero when unreadable.
func parseInsightsTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation(insightsTimeLayout, s, time.UTC); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// binStart finds the bin(...) field of a histogram row.
func binStart(f map[string]string) (time.Time, bool) {
	for k, v := range f {
		if strings.HasPrefix(k, "bin(") {
			t := parseInsightsTime(v)
			return t, !t.IsZero()
		}
	}
	return time.Time{}, false
}

// logGroupOf reads the group from @log, which Logs Insights writes as
// "account-id:log-group-name" (group names cannot hold ":"). With no @log,
// a single-group batch still knows its group.
func logGroupOf(log string, batch []string) string {
	if log != "" {
		return log[strings.LastIndexByte(log, ':')+1:]
	}
	if len(batch) == 1 {
		return batch[0]
	}
	return ""
}

// firstLogSample reads one example message from @logSamples. Its shape is
// not documented, so a JSON list of strings or of objects holding the
// message under a likely key is accepted, and anything else is used as is.
func firstLogSample(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var list []json.RawMessage
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return s
	}
	for _, item := range list {
		var str string
		if json.Unmarshal(item, &str) == nil && str != "" {
			return str
		}
		var obj map[string]any
		if json.Unmarshal(item, &obj) == nil {
			for _, k := range []string{"logEvent", "@message", "message"} {
				if v, ok := obj[k].(string); ok && v != "" {
					return v
				}
			}
		}
	}
	return ""
}

// atoi reads a count, which Logs Insights may write as "12" or "12.0".
func atoi(s string) int64 {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	f, _ := strconv.ParseFloat(s, 64)
	return int64(f)
}
