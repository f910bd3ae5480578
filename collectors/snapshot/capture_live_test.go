package snapshot_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// fakeAccount is a fake AWS account behind awsfake that serves the data of
// a snapshot through the real APIs: Logs Insights, DescribeAlarms and its
// history (paginated), LookupEvents (paginated, throttled once), while
// Security Hub denies access, GuardDuty is not enabled and X-Ray, metrics
// and Athena are refused — so one capture meets pagination, throttling and
// denied sources at once.
type fakeAccount struct {
	s    *awsfake.Server
	orig *snapshot.Store

	mu        sync.Mutex
	queries   map[string]map[string]any
	throttled bool
}

func newFakeAccount(t testing.TB, dir string) *fakeAccount {
	orig, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeAccount{s: awsfake.New(t), orig: orig, queries: map[string]map[string]any{}}
	f.s.Handle("StartQuery", f.startQuery)
	f.s.Handle("GetQueryResults", f.getQueryResults)
	f.s.Handle("StopQuery", awsfake.Always(awsfake.OK(map[string]any{"success": true})))
	f.s.Handle("DescribeAlarms", f.describeAlarms(t, dir))
	f.s.Handle("DescribeAlarmHistory", f.describeAlarmHistory(t, dir))
	f.s.Handle("LookupEvents", f.lookupEvents(t, dir))
	f.s.Handle("POST /findings", awsfake.Always(awsfake.Error("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/oncall/alice is not authorized to perform: securityhub:GetFindings").WithStatus(403)))
	f.s.Handle("GET /detector", awsfake.Always(awsfake.OK(map[string]any{"detectorIds": []string{}})))
	denied := func(action string) awsfake.Handler {
		return awsfake.Always(awsfake.Error("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/oncall/alice is not authorized to perform: "+action).WithStatus(400))
	}
	f.s.Handle("POST /TraceSummaries", denied("xray:GetTraceSummaries"))
	f.s.Handle("ListMetrics", denied("cloudwatch:ListMetrics"))
	return f
}

// client is the live collector pointed at the fake, reading these groups.
func (f *fakeAccount) client(groups []string) *awslive.Client {
	cfg := config.Default()
	cfg.Logs.Groups = groups
	return awslive.New(f.s.Config(), &cfg)
}

func (f *fakeAccount) startQuery(c awsfake.Call) awsfake.Reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("q%d", len(f.queries)+1)
	f.queries[id] = c.Params
	return awsfake.OK(map[string]any{"queryId": id})
}

// getQueryResults answers the events query (fields @timestamp, @message,
// @logStream, @log | sort @timestamp desc | limit N) from the snapshot.
func (f *fakeAccount) getQueryResults(c awsfake.Call) awsfake.Reply {
	f.mu.Lock()
	p := f.queries[c.Str("queryId")]
	f.mu.Unlock()
	if p == nil {
		return awsfake.Error("ResourceNotFoundException", "no such query")
	}
	q, _ := p["queryString"].(string)
	if !strings.Contains(q, "fields @timestamp, @message, @logStream, @log") {
		return awsfake.Error("MalformedQueryException", "this fake answers only the events query, not: "+q)
	}
	limit := 10000
	if i := strings.LastIndex(q, "limit "); i >= 0 {
		limit, _ = strconv.Atoi(strings.TrimSpace(q[i+6:]))
	}
	num := func(k string) int64 { v, _ := p[k].(float64); return int64(v) }
	var groups []string
	for _, g := range p["logGroupNames"].([]any) {
		groups = append(groups, g.(string))
	}
	// Logs Insights reads whole seconds, both ends included.
	w := telemetry.Window{Start: time.Unix(num("startTime"), 0).UTC(), End: time.Unix(num("endTime"), 999_999_999).UTC()}
	res, err := f.orig.Events(context.Background(), telemetry.LogQuery{LogGroups: groups, Window: w, Limit: limit})
	if err != nil {
		return awsfake.Error("ResourceNotFoundException", err.Error())
	}
	rows := [][]map[string]string{}
	for _, e := range res.Events {
		rows = append(rows, []map[string]string{
			{"field": "@timestamp", "value": e.Timestamp.UTC().Format("2006-01-02 15:04:05.000")},
			{"field": "@message", "value": e.Message},
			{"field": "@logStream", "value": e.LogStream},
			{"field": "@log", "value": "123456789012:" + e.LogGroup},
			{"field": "@ptr", "value": "p"},
		})
	}
	return awsfake.OK(map[string]any{"status": "Complete", "results": rows,
		"statistics": map[string]float64{"recordsMatched": float64(res.Matched), "recordsScanned": float64(res.Matched), "bytesScanned": 1}})
}

// readRaw decodes a snapshot file (gzipped or not) as generic JSON.
func readRaw(t testing.TB, path string) map[string]any {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var r interface{ Read([]byte) (int, error) } = fh
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	var v map[string]any
	if err := json.NewDecoder(r).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// cborTimes turns the RFC 3339 strings of the named keys into times, as
// the CBOR protocol of CloudWatch carries them.
func cborTimes(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				m[k] = t
			}
		}
	}
	return m
}

func (f *fakeAccount) describeAlarms(t testing.TB, dir string) awsfake.Handler {
	raw := readRaw(t, filepath.Join(dir, "alarms.json"))
	var metric []any
	for _, a := range raw["MetricAlarms"].([]any) {
		m := cborTimes(a.(map[string]any), "StateUpdatedTimestamp", "StateTransitionedTimestamp")
		for _, k := range []string{"Period", "EvaluationPeriods", "DatapointsToAlarm"} {
			if v, ok := m[k].(float64); ok {
				m[k] = int(v) // CBOR carries integers as integers
			}
		}
		metric = append(metric, m)
	}
	var composite []any
	for _, a := range raw["CompositeAlarms"].([]any) {
		composite = append(composite, cborTimes(a.(map[string]any), "StateUpdatedTimestamp"))
	}
	// One alarm per page, so the capture must follow NextToken.
	return func(c awsfake.Call) awsfake.Reply {
		all := append(append([]any{}, metric...), composite...)
		i := 0
		if tok := c.Str("NextToken"); tok != "" {
			i, _ = strconv.Atoi(tok)
		}
		if names := c.Strings("AlarmNames"); len(names) > 0 {
			var out []any
			for _, a := range metric {
				for _, n := range names {
					if a.(map[string]any)["AlarmName"] == n {
						out = append(out, a)
					}
				}
			}
			return awsfake.OK(map[string]any{"MetricAlarms": out})
		}
		page := map[string]any{}
		if i < len(all) {
			a := all[i].(map[string]any)
			if _, isComposite := a["AlarmRule"]; isComposite {
				page["CompositeAlarms"] = []any{a}
			} else {
				page["MetricAlarms"] = []any{a}
			}
		}
		if i+1 < len(all) {
			page["NextToken"] = strconv.Itoa(i + 1)
		}
		return awsfake.OK(page)
	}
}

func (f *fakeAccount) describeAlarmHistory(t testing.TB, dir string) awsfake.Handler {
	raw := readRaw(t, filepath.Join(dir, "alarm-history.json"))
	var items []map[string]any
	for _, it := range raw["AlarmHistoryItems"].([]any) {
		items = append(items, cborTimes(it.(map[string]any), "Timestamp"))
	}
	return func(c awsfake.Call) awsfake.Reply {
		var out []any
		for _, it := range items {
			if name := c.Str("AlarmName"); name != "" && it["AlarmName"] != name {
				continue
			}
			out = append(out, it)
		}
		return awsfake.OK(map[string]any{"AlarmHistoryItems": out})
	}
}

// lookupEvents serves the snapshot's CloudTrail records newest first, 50
// a page, throttling the first call.
func (f *fakeAccount) lookupEvents(t testing.TB, dir string) awsfake.Handler {
	var events []map[string]any
	files, _ := filepath.Glob(filepath.Join(dir, "cloudtrail", "*.json.gz"))
	for _, path := range files {
		for _, r := range readRaw(t, path)["Records"].([]any) {
			rec := r.(map[string]any)
			b, _ := json.Marshal(rec)
			at, _ := time.Parse(time.RFC3339, rec["eventTime"].(string))
			events = append(events, map[string]any{"EventId": rec["eventID"], "EventName": rec["eventName"], "EventTime": float64(at.Unix()),
				"EventSource": rec["eventSource"], "ReadOnly": fmt.Sprint(rec["readOnly"]), "CloudTrailEvent": string(b)})
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i]["EventTime"].(float64) > events[j]["EventTime"].(float64) })
	return func(c awsfake.Call) awsfake.Reply {
		f.mu.Lock()
		first := !f.throttled
		f.throttled = true
		f.mu.Unlock()
		if first {
			return awsfake.Throttled("ThrottlingException")
		}
		start, end := c.Num("StartTime"), c.Num("EndTime")
		var in []any
		for _, e := range events {
			if at := e["EventTime"].(float64); at >= start && at <= end {
				in = append(in, e)
			}
		}
		i := 0
		if tok := c.Str("NextToken"); tok != "" {
			i, _ = strconv.Atoi(tok)
		}
		page := map[string]any{"Events": in[min(i, len(in)):min(i+50, len(in))]}
		if i+50 < len(in) {
			page["NextToken"] = strconv.Itoa(i + 50)
		}
		return awsfake.OK(page)
	}
}

// TestCaptureFromLiveAWS captures from the live collectors pointed at the
// fake account and checks what the manifest says and that the captured
// snapshot tells the same story as the data the account served.
func TestCaptureFromLiveAWS(t *testing.T) {
	const dir = "../../examples/demo"
	f := newFakeAccount(t, dir)
	groups, err := f.orig.LogGroups(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	m0 := f.orig.Manifest()
	out := filepath.Join(t.TempDir(), "live")
	caps := snapshot.Caps{CloudTrailEvents: 100, LogEventsPerGroup: 6000}
	m, err := snapshot.Capture(context.Background(), f.client(groups).Sources(), out, snapshot.CaptureOptions{
		Window: m0.Window, Baseline: true, LogGroups: groups, Caps: caps, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]snapshot.SourceReport{}
	for _, r := range m.Captured {
		reports[r.Source] = r
	}
	// Pagination: every alarm came, one page each.
	if got := len(f.s.Calls("DescribeAlarms")); got < 2 || reports["alarms"].Items < 2 {
		t.Errorf("DescribeAlarms called %d times, report %+v", got, reports["alarms"])
	}
	// Throttling was retried, and the cap cut CloudTrail and says so.
	if r := reports["cloudtrail"]; r.Error != "" || r.Items != caps.CloudTrailEvents || r.Cut == "" {
		t.Errorf("cloudtrail report %+v: want %d events, a cut and no error after a throttle", r, caps.CloudTrailEvents)
	}
	if n := len(f.s.Calls("LookupEvents")); n < 3 {
		t.Errorf("LookupEvents called %d times: want a throttled call and several pages", n)
	}
	// Denied sources are named with what failed, the others still written.
	if r := reports["findings"]; !strings.Contains(r.Error, "securityhub") {
		t.Errorf("findings report %+v: want the Security Hub denial named", r)
	}
	if r := reports["traces"]; !strings.Contains(r.Error+r.Hint, "xray:GetTraceSummaries") {
		t.Errorf("traces report %+v: want the denied action named", r)
	}
	if r := reports["metrics"]; !strings.Contains(r.Error+r.Hint, "cloudwatch:ListMetrics") {
		t.Errorf("metrics report %+v: want the denied action named", r)
	}
	// The biggest group holds more than the per-group cap: the newest were
	// kept, read in slices because one Insights query returns 10,000 rows.
	if r := reports["logs"]; !strings.Contains(r.Cut, "kept the newest 6000") {
		t.Errorf("logs report %+v: want the per-group cap reported", r)
	}
	// The manifest on disk says the same, and the snapshot opens.
	back, err := snapshot.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Manifest().Captured) != 7 {
		t.Errorf("manifest lists %d sources", len(back.Manifest().Captured))
	}

	// Round trip without caps: the captured snapshot answers every tool
	// that reads what the account served exactly as the original does.
	out2 := filepath.Join(t.TempDir(), "full")
	f.mu.Lock()
	f.throttled = false
	f.mu.Unlock()
	if _, err := snapshot.Capture(context.Background(), f.client(groups).Sources(), out2, snapshot.CaptureOptions{
		Window: m0.Window, Baseline: true, LogGroups: groups, Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	full, err := snapshot.Open(out2)
	if err != nil {
		t.Fatal(err)
	}
	want, have := runTools(t, f.orig.Sources()), runTools(t, full.Sources())
	compared := 0
	for k, w := range want {
		if strings.HasPrefix(k, "get_traces") || strings.HasPrefix(k, "select_metrics") || strings.HasPrefix(k, "get_findings") || strings.HasPrefix(k, "query_access_logs") {
			continue // denied or absent in the fake account
		}
		compared++
		if cutMarker.ReplaceAllString(have[k], "…") != cutMarker.ReplaceAllString(w, "…") {
			t.Errorf("%s differs between the served data and the capture:\n--- served\n%s\n--- captured\n%s", k, w, have[k])
		}
	}
	if compared < 5 {
		t.Errorf("compared only %d tool calls", compared)
	}
}

// BenchmarkCaptureDemoFakeAccount times `fa2 snapshot` of the demo-scale
// fake account through the live collectors (Logs Insights, paced
// LookupEvents, DescribeAlarms) and reports the snapshot's size:
//
//	go test ./collectors/snapshot -run '^$' -bench CaptureDemoFakeAccount -benchtime 3x
//
// The time is mostly what AWS imposes: LookupEvents at 2 calls a second
// and Logs Insights polling.
func BenchmarkCaptureDemoFakeAccount(b *testing.B) {
	f := newFakeAccount(b, "../../examples/demo")
	groups, _ := f.orig.LogGroups(context.Background(), "")
	w := f.orig.Manifest().Window
	var size int64
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), fmt.Sprint(i))
		f.mu.Lock()
		f.throttled = true // no deliberate throttle in the benchmark
		f.mu.Unlock()
		if _, err := snapshot.Capture(context.Background(), f.client(groups).Sources(), out, snapshot.CaptureOptions{Window: w, LogGroups: groups}); err != nil {
			b.Fatal(err)
		}
		size = dirSize(out)
	}
	b.ReportMetric(float64(size), "bytes/snapshot")
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}
