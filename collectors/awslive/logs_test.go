package awslive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
	"github.com/fa2/fa2/tools"
)

func TestEventsSendsEscapedQueryAndReturnsNewestWithMatched(t *testing.T) {
	f := newLogsFake(t)
	f.rows = func(q *fakeQuery) []map[string]string {
		return []map[string]string{
			{"@timestamp": "2026-11-20 09:10:00.000", "@message": `ERROR say "hi" \ there`, "@logStream": "s1", "@log": "123456789012:/ecs/api", "@ptr": "p1"},
			{"@timestamp": "2026-11-20 09:20:00.500", "@message": `WARN say "hi" \ again`, "@logStream": "s2", "@log": "123456789012:/ecs/api", "@ptr": "p2"},
		}
	}
	f.stats = func(*fakeQuery) map[string]float64 {
		return map[string]float64{"recordsMatched": 1234, "recordsScanned": 50000, "bytesScanned": 9e6}
	}
	c := fakeClient(f.Server, nil)
	win := telemetry.Window{Start: testWindow.Start, End: testWindow.End.Add(300 * time.Millisecond)}
	res, err := c.Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: win, Filter: `say "hi" \`, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	qs := f.startedQueries()
	if len(qs) != 1 {
		t.Fatalf("StartQuery calls = %d, want 1", len(qs))
	}
	q := qs[0]
	want := `fields @timestamp, @message, @logStream, @log | filter @message like "say \"hi\" \\" | sort @timestamp desc | limit 20`
	if q.Query != want {
		t.Errorf("query sent:\n %s\nwant:\n %s", q.Query, want)
	}
	if !reflect.DeepEqual(q.Groups, []string{"/ecs/api"}) || q.Limit != 20 {
		t.Errorf("groups %v limit %d, want [/ecs/api] 20", q.Groups, q.Limit)
	}
	if q.Start != testWindow.Start.Unix() || q.End != testWindow.End.Unix()+1 {
		t.Errorf("startTime %d endTime %d, want %d and %d (end rounded up to cover the window)", q.Start, q.End, testWindow.Start.Unix(), testWindow.End.Unix()+1)
	}
	if res.Matched != 1234 {
		t.Errorf("Matched = %d, want recordsMatched 1234", res.Matched)
	}
	if res.Stats.RecordsScanned != 50000 || res.Stats.BytesScanned != 9e6 {
		t.Errorf("stats = %+v", res.Stats)
	}
	if len(res.Events) != 2 {
		t.Fatalf("events = %+v", res.Events)
	}
	first := res.Events[0]
	if first.Message != `WARN say "hi" \ again` || first.LogGroup != "/ecs/api" || first.LogStream != "s2" || first.Severity != evidence.SevWarn ||
		!first.Timestamp.Equal(time.Date(2026, 11, 20, 9, 20, 0, 500e6, time.UTC)) {
		t.Errorf("newest event = %+v", first)
	}
	if res.Events[1].Severity != evidence.SevError {
		t.Errorf("second event severity = %q, want ERROR", res.Events[1].Severity)
	}
}

func TestFilterClauseEscaping(t *testing.T) {
	cases := []struct{ filter, want string }{
		{`timeout`, `filter @message like "timeout"`},
		{`say "hi"`, `filter @message like "say \"hi\""`},
		{`C:\temp\x`, `filter @message like "C:\\temp\\x"`},
		{`"|" fields @ptr`, `filter @message like "\"|\" fields @ptr"`},
		{`/api/v1/users/`, `filter @message like /api\/v1\/users/`},
		{`/a\/b/`, `filter @message like /a\/b/`},
		{`/timeout after \d+s/i`, `filter @message like /(?i)timeout after \d+s/`},
		{`/GET \/health|POST \/orders/`, `filter @message like /GET \/health|POST \/orders/`},
		{`/trailing\/`, `filter @message like /trailing\\/`},
		{`/not closed`, `filter @message like "/not closed"`},
	}
	for _, tc := range cases {
		got, err := filterClause(tc.filter)
		if err != nil {
			t.Errorf("filterClause(%q): %v", tc.filter, err)
			continue
		}
		if got != tc.want {
			t.Errorf("filterClause(%q)\n got  %s\n want %s", tc.filter, got, tc.want)
		}
	}
	for _, bad := range []string{"line1\nline2", "//"} {
		if _, err := filterClause(bad); err == nil {
			t.Errorf("filterClause(%q) accepted it", bad)
		} else {
			wantKind(t, err, telemetry.KindInvalidInput)
		}
	}
}

func TestBatchesOf50GroupsMergeNewestFirst(t *testing.T) {
	f := newLogsFake(t)
	groups := groupNames(60)
	f.rows = func(q *fakeQuery) []map[string]string {
		// Each batch has one event per minute from its own first group.
		var rows []map[string]string
		base := 10
		if q.Groups[0] != groups[0] {
			base = 11
		}
		for i := 0; i < 3; i++ {
			rows = append(rows, map[string]string{
				"@timestamp": fmt.Sprintf("2026-11-20 09:%02d:00.000", base+2*i),
				"@message":   "msg from " + q.Groups[0],
				"@log":       "1:" + q.Groups[0],
			})
		}
		return rows
	}
	f.stats = func(q *fakeQuery) map[string]float64 {
		return map[string]float64{"recordsMatched": float64(100 * len(q.Groups)), "recordsScanned": 1000, "bytesScanned": 10}
	}
	res, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: groups, Window: testWindow, Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	qs := f.startedQueries()
	if len(qs) != 2 {
		t.Fatalf("StartQuery calls = %d, want 2 for 60 groups", len(qs))
	}
	var sent [][]string
	for _, q := range qs {
		sent = append(sent, q.Groups)
	}
	// Batches may start in either order; compare as a set of batches.
	if !(reflect.DeepEqual(sent, [][]string{groups[:50], groups[50:]}) || reflect.DeepEqual(sent, [][]string{groups[50:], groups[:50]})) {
		t.Errorf("logGroupNames sent = %v, want the first 50 and the last 10", sent)
	}
	if res.Matched != 6000 {
		t.Errorf("Matched = %d, want 5000+1000 summed from both batches", res.Matched)
	}
	if res.Stats.RecordsScanned != 2000 || res.Stats.BytesScanned != 20 {
		t.Errorf("stats not summed: %+v", res.Stats)
	}
	var got []string
	for _, e := range res.Events {
		got = append(got, e.Timestamp.Format("15:04")+" "+e.LogGroup)
	}
	want := []string{"09:15 /svc/050", "09:14 /svc/000", "09:13 /svc/050", "09:12 /svc/000"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged events = %v, want %v (newest first, limit after merge)", got, want)
	}
}

func TestPrefixesExpandWithPaginatedDescribeLogGroups(t *testing.T) {
	f := newLogsFake(t)
	f.Handle("DescribeLogGroups", func(c awsfake.Call) awsfake.Reply {
		if c.Str("logGroupNamePrefix") != "/ecs/" {
			return awsfake.Error("InvalidParameterException", "unexpected prefix "+c.Str("logGroupNamePrefix"))
		}
		if c.Str("nextToken") == "" {
			return awsfake.OK(map[string]any{
				"logGroups": []map[string]any{{"logGroupName": "/ecs/api"}, {"logGroupName": "/ecs/worker"}},
				"nextToken": "page2",
			})
		}
		return awsfake.OK(map[string]any{"logGroups": []map[string]any{{"logGroupName": "/ecs/web"}}})
	})
	_, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{
		LogGroups: []string{"/ecs/*", "/aws/lambda/pay", "/ecs/api"}, Window: testWindow, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Calls("DescribeLogGroups")
	if len(calls) != 2 || calls[1].Str("nextToken") != "page2" {
		t.Fatalf("DescribeLogGroups calls = %+v, want 2 with the second passing nextToken page2", calls)
	}
	qs := f.startedQueries()
	want := []string{"/ecs/api", "/ecs/worker", "/ecs/web", "/aws/lambda/pay"}
	if len(qs) != 1 || !reflect.DeepEqual(qs[0].Groups, want) {
		t.Errorf("StartQuery groups = %v, want %v (expanded, deduplicated, in order)", qs[0].Groups, want)
	}
}

func TestPrefixMatchingNothingIsNotFound(t *testing.T) {
	f := newLogsFake(t)
	f.Handle("DescribeLogGroups", awsfake.Always(awsfake.OK(map[string]any{"logGroups": []any{}})))
	_, err := fakeClient(f.Server, nil).Patterns(context.Background(), telemetry.LogQuery{LogGroups: []string{"/nope/*"}, Window: testWindow})
	e := wantKind(t, err, telemetry.KindNotFound)
	if !strings.Contains(e.Msg, `"/nope/"`) {
		t.Errorf("message %q does not name the prefix", e.Msg)
	}
	if len(f.startedQueries()) != 0 {
		t.Error("a query was started although the prefix matched nothing")
	}
}

func TestGroupsComeFromConfigOrErrorSaysHowToSetThem(t *testing.T) {
	f := newLogsFake(t)
	_, err := fakeClient(f.Server, settingsWith()).Events(context.Background(), telemetry.LogQuery{Window: testWindow})
	e := wantKind(t, err, telemetry.KindInvalidInput)
	for _, word := range []string{"log_groups", "logs.groups", "FA2_LOGS_GROUPS"} {
		if !strings.Contains(e.Error(), word) {
			t.Errorf("error %q does not mention %s", e.Error(), word)
		}
	}
	if _, err := fakeClient(f.Server, settingsWith("/ecs/api")).Events(context.Background(), telemetry.LogQuery{Window: testWindow}); err != nil {
		t.Fatal(err)
	}
	if qs := f.startedQueries(); len(qs) != 1 || !reflect.DeepEqual(qs[0].Groups, []string{"/ecs/api"}) {
		t.Errorf("configured groups not used: %+v", qs)
	}
	_, err = fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/a*b"}, Window: testWindow})
	wantKind(t, err, telemetry.KindInvalidInput)
}

func TestPollsWithProgressUntilComplete(t *testing.T) {
	f := newLogsFake(t)
	f.polls = 2
	f.rows = func(*fakeQuery) []map[string]string {
		return []map[string]string{{"@timestamp": "2026-11-20 09:30:00.000", "@message": "ok"}}
	}
	f.stats = func(q *fakeQuery) map[string]float64 {
		return map[string]float64{"recordsMatched": 1, "recordsScanned": float64(1000 * (q.polls + 1))}
	}
	type report struct {
		done, total float64
		msg         string
	}
	var mu sync.Mutex
	var reports []report
	progress := telemetry.Progress(func(done, total float64, msg string) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, report{done, total, msg})
	})
	res, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow, Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Calls("GetQueryResults")); n != 3 {
		t.Errorf("GetQueryResults calls = %d, want 3 (Running, Running, Complete)", n)
	}
	if len(res.Events) != 1 || res.Events[0].LogGroup != "/ecs/api" {
		t.Errorf("events = %+v (a single-group batch names its group)", res.Events)
	}
	if len(f.Calls("StopQuery")) != 0 {
		t.Error("StopQuery sent for a query that completed")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reports) < 3 {
		t.Fatalf("progress reports = %+v, want a start, one per Running poll and a finish", reports)
	}
	last := reports[len(reports)-1]
	if last.done != 1 || last.total != 1 || !strings.Contains(last.msg, "records scanned") {
		t.Errorf("last report = %+v, want 1 of 1 with records scanned", last)
	}
	sawRunning := false
	for _, r := range reports {
		if r.done == 0 && strings.Contains(r.msg, "2000 records scanned") {
			sawRunning = true
		}
	}
	if !sawRunning {
		t.Errorf("no progress report while running with the records scanned so far: %+v", reports)
	}
}

func TestCancelledCallStopsTheQuery(t *testing.T) {
	f := newLogsFake(t)
	f.polls = 1 << 30 // never completes
	ctx, cancel := context.WithCancel(context.Background())
	f.Handle("GetQueryResults", func(c awsfake.Call) awsfake.Reply {
		cancel() // the caller gives up while the query runs
		return f.getQueryResults(c)
	})
	_, err := fakeClient(f.Server, nil).Events(ctx, telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	stops := f.Calls("StopQuery")
	if len(stops) != 1 || stops[0].Str("queryId") != "q1" {
		t.Errorf("StopQuery calls = %+v, want one for q1", stops)
	}
}

func TestDeadlineStopsTheQueryAndSaysTimeout(t *testing.T) {
	f := newLogsFake(t)
	f.polls = 1 << 30
	// The deadline passes once both batches are running (each polled once),
	// not after a fixed time: on a loaded machine a timer could fire before
	// the second batch started, and a batch never started needs no stop.
	deadline := newTestDeadline()
	var once sync.Once
	// If the second batch never runs (a batching bug), pass the deadline
	// anyway after a while, so the test fails on its checks, not by hanging.
	fallback := time.AfterFunc(10*time.Second, func() { once.Do(deadline.pass) })
	defer fallback.Stop()
	f.Handle("GetQueryResults", func(c awsfake.Call) awsfake.Reply {
		r := f.getQueryResults(c)
		if len(f.Calls("StartQuery")) == 2 && polledBoth(f) {
			once.Do(deadline.pass)
		}
		return r
	})
	_, err := fakeClient(f.Server, nil).Histogram(deadline, telemetry.LogQuery{LogGroups: groupNames(51), Window: testWindow})
	wantKind(t, err, telemetry.KindTimeout)
	var stopped []string
	for _, c := range f.Calls("StopQuery") {
		stopped = append(stopped, c.Str("queryId"))
	}
	sort.Strings(stopped)
	if !reflect.DeepEqual(stopped, []string{"q1", "q2"}) {
		t.Errorf("StopQuery sent for %v, want both running batches q1 and q2", stopped)
	}
}

// polledBoth reports whether GetQueryResults has been asked about q1 and q2.
func polledBoth(f *logsFake) bool {
	seen := map[string]bool{}
	for _, c := range f.Calls("GetQueryResults") {
		seen[c.Str("queryId")] = true
	}
	return seen["q1"] && seen["q2"]
}

// testDeadline is a context whose deadline passes when the test says so.
type testDeadline struct {
	context.Context
	done chan struct{}
}

func newTestDeadline() *testDeadline {
	return &testDeadline{Context: context.Background(), done: make(chan struct{})}
}

func (d *testDeadline) pass()                 { close(d.done) }
func (d *testDeadline) Done() <-chan struct{} { return d.done }
func (d *testDeadline) Err() error {
	select {
	case <-d.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestStartQueryErrorsBecomeActionable(t *testing.T) {
	cases := []struct {
		name, code, msg string
		raw             bool
		kind            telemetry.Kind
		mention         []string
	}{
		{"throttled", "ThrottlingException", "Rate exceeded", false, telemetry.KindThrottled, []string{"Rate exceeded", "wait"}},
		{"too many queries", "LimitExceededException", "Account maximum query concurrency limit of [30] reached", false, telemetry.KindLimit, []string{"concurrency", "Too many queries"}},
		{"malformed raw", "MalformedQueryException", "unexpected symbol found | at line 1", true, telemetry.KindInvalidInput, []string{"unexpected symbol", "Fix the query syntax"}},
		{"malformed filter", "MalformedQueryException", "invalid regex", false, telemetry.KindInvalidInput, []string{"invalid regex", "/regex/"}},
		{"unknown group", "ResourceNotFoundException", "Log group '/ecs/nope' does not exist for account ID '123456789012'", false, telemetry.KindNotFound, []string{`"/ecs/nope"`, "region"}},
		{"denied", "AccessDeniedException", "User is not authorized to perform logs:StartQuery", false, telemetry.KindAccessDenied, []string{"logs:StartQuery", "IAM"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newLogsFake(t)
			f.Handle("StartQuery", awsfake.Always(awsfake.Error(tc.code, tc.msg)))
			c := fakeClient(f.Server, nil)
			q := telemetry.LogQuery{LogGroups: []string{"/ecs/api", "/ecs/nope"}, Window: testWindow, Filter: "/x(/"}
			var err error
			if tc.raw {
				q.Query = "fields @message | | limit 5"
				_, err = c.Insights(context.Background(), q)
			} else {
				_, err = c.Events(context.Background(), q)
			}
			e := wantKind(t, err, tc.kind)
			for _, m := range tc.mention {
				if !strings.Contains(e.Error(), m) {
					t.Errorf("error %q does not mention %q", e.Error(), m)
				}
			}
		})
	}
}

func TestMalformedQueryIncludesCompileError(t *testing.T) {
	f := newLogsFake(t)
	// Logs adds queryCompileError to the error body; Body members ride along.
	f.Handle("StartQuery", awsfake.Always(awsfake.Reply{
		Code: "MalformedQueryException", Message: "Query is invalid",
		Body: map[string]any{"queryCompileError": map[string]any{
			"location": map[string]any{"startCharOffset": 16, "endCharOffset": 17},
			"message":  "mismatched input '|' expecting {COMMAND}",
		}},
	}))
	_, err := fakeClient(f.Server, nil).Insights(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow, Query: "fields @message | | limit 5"})
	e := wantKind(t, err, telemetry.KindInvalidInput)
	if !strings.Contains(e.Msg, "mismatched input '|'") || !strings.Contains(e.Msg, "Query is invalid") {
		t.Errorf("message %q lacks AWS's explanation", e.Msg)
	}
}

func TestMalformedPatternQueryMentionsInfrequentAccess(t *testing.T) {
	f := newLogsFake(t)
	f.Handle("StartQuery", awsfake.Always(awsfake.Error("MalformedQueryException", "pattern is not supported for this log group class")))
	_, err := fakeClient(f.Server, nil).Patterns(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow})
	e := wantKind(t, err, telemetry.KindInvalidInput)
	if !strings.Contains(e.Hint, "Infrequent Access") || !strings.Contains(e.Msg, "not supported") {
		t.Errorf("error %q should relay AWS and explain the pattern command's limit", e.Error())
	}
}

func TestGetQueryResultsFailureStopsQuery(t *testing.T) {
	f := newLogsFake(t)
	f.Handle("GetQueryResults", awsfake.Always(awsfake.Error("ThrottlingException", "Rate exceeded")))
	_, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow})
	wantKind(t, err, telemetry.KindThrottled)
	if stops := f.Calls("StopQuery"); len(stops) != 1 || stops[0].Str("queryId") != "q1" {
		t.Errorf("StopQuery calls = %+v, want one for q1", stops)
	}
}

func TestFinalStatusesBecomeErrors(t *testing.T) {
	for status, kind := range map[string]telemetry.Kind{
		"Failed":    telemetry.KindUnavailable,
		"Cancelled": telemetry.KindUnavailable,
		"Timeout":   telemetry.KindTimeout,
		"Unknown":   telemetry.KindUnavailable,
	} {
		t.Run(status, func(t *testing.T) {
			f := newLogsFake(t)
			f.final = status
			_, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow})
			e := wantKind(t, err, kind)
			if !strings.Contains(e.Msg, "q1") || !strings.Contains(e.Msg, "/ecs/api") {
				t.Errorf("message %q does not name the query and its groups", e.Msg)
			}
		})
	}
}

func TestOneFailedBatchStopsTheOthers(t *testing.T) {
	f := newLogsFake(t)
	f.polls = 1 << 30
	started := 0
	var mu sync.Mutex
	polled := make(chan struct{})
	var once sync.Once
	f.Handle("GetQueryResults", func(c awsfake.Call) awsfake.Reply {
		once.Do(func() { close(polled) })
		return f.getQueryResults(c)
	})
	f.Handle("StartQuery", func(c awsfake.Call) awsfake.Reply {
		mu.Lock()
		started++
		n := started
		mu.Unlock()
		if n == 2 {
			// Fail only once the first batch is running (polled), so there
			// is a query to stop whatever the scheduling.
			select {
			case <-polled:
			case <-time.After(10 * time.Second):
				t.Error("the first batch was never polled")
			}
			return awsfake.Error("LimitExceededException", "Account maximum query concurrency limit of [30] reached")
		}
		return f.startQuery(c)
	})
	_, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: groupNames(60), Window: testWindow})
	wantKind(t, err, telemetry.KindLimit)
	if stops := f.Calls("StopQuery"); len(stops) != 1 || stops[0].Str("queryId") != "q1" {
		t.Errorf("StopQuery calls = %+v, want the surviving batch q1 stopped", stops)
	}
}

func TestConcurrentQueriesStayWithinTheBound(t *testing.T) {
	f := newLogsFake(t)
	f.polls = 2
	s := settingsWith()
	s.Logs.MaxConcurrentQueries = 2
	_, err := fakeClient(f.Server, s).Events(context.Background(), telemetry.LogQuery{LogGroups: groupNames(230), Window: testWindow})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.startedQueries()); n != 5 {
		t.Errorf("queries = %d, want 5 batches for 230 groups", n)
	}
	if f.maxRunning > 2 {
		t.Errorf("%d queries ran at once, want at most logs.max_concurrent_queries = 2", f.maxRunning)
	}
}

func TestPatternsUseThePatternCommandAndRankBySeverity(t *testing.T) {
	f := newLogsFake(t)
	groups := groupNames(51)
	f.rows = func(q *fakeQuery) []map[string]string {
		if len(q.Groups) == 50 {
			return []map[string]string{
				{"@pattern": "GET /health <Number-1> ms", "@sampleCount": "900", "@ratio": "0.9", "@severityLabel": "Info",
					"@logSamples": `[{"logEvent":"GET /health 3 ms"}]`},
				{"@pattern": "connect to <IPAddress-1> refused", "@sampleCount": "40", "@ratio": "0.04", "@severityLabel": "Error",
					"@logSamples": `["connect to 10.0.1.5 refused"]`},
			}
		}
		return []map[string]string{
			{"@pattern": "GET /health <Number-1> ms", "@sampleCount": "50", "@ratio": "0.5", "@severityLabel": "Info"},
			{"@pattern": "retrying in <Number-1>s", "@sampleCount": "10", "@ratio": "0.1", "@severityLabel": "Warning"},
			{"@pattern": "cache miss <Token-1>", "@sampleCount": "40", "@ratio": "0.4", "@severityLabel": ""},
		}
	}
	f.stats = func(q *fakeQuery) map[string]float64 {
		if len(q.Groups) == 50 {
			return map[string]float64{"recordsMatched": 940}
		}
		return map[string]float64{"recordsMatched": 100}
	}
	res, err := fakeClient(f.Server, nil).Patterns(context.Background(), telemetry.LogQuery{LogGroups: groups, Window: testWindow, Filter: "GET", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range f.startedQueries() {
		if q.Query != `filter @message like "GET" | pattern @message` {
			t.Errorf("query sent = %q", q.Query)
		}
		if q.Limit != 10000 {
			t.Errorf("limit sent = %d, want 10000", q.Limit)
		}
	}
	if res.Matched != 1040 || res.TotalPatterns != 4 || len(res.Patterns) != 3 {
		t.Fatalf("matched %d total %d returned %d, want 1040, 4, 3", res.Matched, res.TotalPatterns, len(res.Patterns))
	}
	var got []string
	for _, p := range res.Patterns {
		got = append(got, fmt.Sprintf("%s %d %s", p.Severity, p.Count, p.Template))
	}
	want := []string{
		"ERROR 40 connect to <IPAddress-1> refused",
		"WARN 10 retrying in <Number-1>s",
		"INFO 950 GET /health <Number-1> ms",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("patterns = %q, want %q (severity first, then count; batches merged)", got, want)
	}
	if p := res.Patterns[0]; p.Sample != "connect to 10.0.1.5 refused" || p.Ratio != 40.0/1040 || !p.FirstSeen.IsZero() {
		t.Errorf("error pattern = %+v", p)
	}
	if p := res.Patterns[2]; p.Sample != "GET /health 3 ms" || p.Ratio != 950.0/1040 {
		t.Errorf("health pattern = %+v", p)
	}
	if p := res.Patterns[1]; p.Sample != p.Template {
		t.Errorf("a pattern without samples should show its template as sample: %+v", p)
	}
}

func TestHistogramCountsPerBinAndSeverity(t *testing.T) {
	f := newLogsFake(t)
	// Rows as "stats count(*) as total by bin(10m), fa2level, fa2exc"
	// returns them: one row per bin and distinct pair of values, the bin
	// field named after the expression (CWL_QuerySyntax-Stats.html). An
	// event the parse did not match has no value in either field; whether
	// AWS then omits the field or sends "" is not documented, so both occur.
	f.rows = func(*fakeQuery) []map[string]string {
		return []map[string]string{
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2level": "ERROR", "fa2exc": "", "total": "7"},
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2level": "err", "total": "2"},
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2exc": "Exception", "total": "3"},
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2exc": "exception", "total": "1"},
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2level": "Warning", "total": "5"},
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2level": "info", "total": "79"},
			{"bin(10m)": "2026-11-20 09:10:00.000", "fa2level": "", "fa2exc": "", "total": "3"},
			{"bin(10m)": "2026-11-20 09:40:00.000", "fa2level": "FATAL", "total": "1"},
			{"bin(10m)": "2026-11-20 09:40:00.000", "total": "19"},
		}
	}
	res, err := fakeClient(f.Server, nil).Histogram(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow, Filter: "/5\\d\\d/", Bin: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	q := f.startedQueries()[0].Query
	want := `filter @message like /5\d\d/ | parse @message /(?i)(?:^|[^a-z])(?<fa2level>` + histogramLevelWords +
		`)(?:[^a-z]|$)|(?<fa2exc>exception|traceback \(most recent call last\))/ | stats count(*) as total by bin(10m), fa2level, fa2exc`
	if q != want {
		t.Errorf("query\n%s\nwant\n%s", q, want)
	}
	if res.BinSeconds != 600 || len(res.Bins) != 7 || res.Matched != 120 {
		t.Fatalf("bin %ds, %d bins, matched %d; want 600s, 7 bins (09:00..10:00), 120", res.BinSeconds, len(res.Bins), res.Matched)
	}
	b := res.Bins[1]
	// A lower-case "exception" is not an error marker for evidence.Severity,
	// so it stays OTHER with the unmatched events.
	wantSev := map[string]int64{"ERROR": 12, "WARN": 5, "INFO": 79, "OTHER": 4}
	if !b.Start.Equal(testWindow.Start.Add(10*time.Minute)) || b.Total != 100 || !reflect.DeepEqual(b.BySeverity, wantSev) {
		t.Errorf("bin 09:10 = %+v, want total 100 and %v", b, wantSev)
	}
	if want := map[string]int64{"FATAL": 1, "OTHER": 19}; res.Bins[4].Total != 20 || !reflect.DeepEqual(res.Bins[4].BySeverity, want) {
		t.Errorf("bin 09:40 = %+v, want total 20 and %v", res.Bins[4], want)
	}
	if res.Bins[0].Total != 0 || res.Bins[0].BySeverity != nil {
		t.Errorf("empty bin should be zero: %+v", res.Bins[0])
	}
}

// TestHistogramLevelWordsAreEvidenceSeverityWords keeps the query's word
// list and Go's mapping in step: every word the regex can capture must map
// to a severity, or its events would silently count as OTHER.
func TestHistogramLevelWordsAreEvidenceSeverityWords(t *testing.T) {
	for _, w := range strings.Split(histogramLevelWords, "|") {
		for _, spelling := range []string{w, strings.ToUpper(w)} {
			if got := histogramSeverity(spelling, ""); got == histogramOther {
				t.Errorf("level word %q maps to OTHER", spelling)
			}
		}
	}
	for level, want := range map[string]string{"error": "ERROR", "ERR": "ERROR", "Warning": "WARN", "crit": "FATAL", "trace": "DEBUG", "notice": "INFO"} {
		if got := histogramSeverity(level, ""); got != want {
			t.Errorf("histogramSeverity(%q) = %q, want %q", level, got, want)
		}
	}
	if got := histogramSeverity("", "Traceback (most recent call last)"); got != "ERROR" {
		t.Errorf("traceback = %q, want ERROR", got)
	}
}

// A histogram over a plain substring: a MalformedQueryException can only be
// about the query fa2 wrote, so the user is not told to fix a regex.
func TestRejectedHistogramQueryDoesNotBlameTheUser(t *testing.T) {
	for _, tc := range []struct {
		filter      string
		blamesRegex bool
	}{{"", false}, {"timeout", false}, {"/time(out/", true}} {
		f := newLogsFake(t)
		f.Handle("StartQuery", awsfake.Always(awsfake.Error("MalformedQueryException", "unexpected symbol found ( at line 1")))
		_, err := fakeClient(f.Server, nil).Histogram(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow, Filter: tc.filter})
		e := wantKind(t, err, telemetry.KindInvalidInput)
		if got := strings.Contains(e.Error(), "regex"); got != tc.blamesRegex {
			t.Errorf("filter %q: error %q mentions regex = %v, want %v", tc.filter, e.Error(), got, tc.blamesRegex)
		}
		if !tc.blamesRegex && !strings.Contains(e.Error(), "fa2 built") {
			t.Errorf("filter %q: error %q should say the query is fa2's", tc.filter, e.Error())
		}
	}
}

func TestBinPeriods(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "1s", 30 * time.Second: "30s", 90 * time.Second: "90s", 5 * time.Minute: "5m", 2 * time.Hour: "2h", 24 * time.Hour: "24h",
	} {
		if got := binPeriod(d); got != want {
			t.Errorf("binPeriod(%s) = %s, want %s", d, got, want)
		}
	}
	if wholeSeconds(1500*time.Millisecond) != 2*time.Second || wholeSeconds(time.Millisecond) != time.Second {
		t.Error("wholeSeconds does not round up to whole seconds")
	}
}

func TestInsightsRunsRawQueryAndFlagsTheRowCap(t *testing.T) {
	f := newLogsFake(t)
	f.rows = func(*fakeQuery) []map[string]string {
		rows := make([]map[string]string, 10_000) // GetQueryResults' documented maximum
		for i := range rows {
			rows[i] = map[string]string{"@ptr": "p", "status": "500", "n": fmt.Sprint(i)}
		}
		return rows
	}
	raw := `filter status >= 500 | stats count(*) as n by status`
	res, err := fakeClient(f.Server, nil).Insights(context.Background(), telemetry.LogQuery{LogGroups: []string{"/alb"}, Window: testWindow, Query: raw})
	if err != nil {
		t.Fatal(err)
	}
	if q := f.startedQueries()[0]; q.Query != raw {
		t.Errorf("query sent = %q, want it unchanged", q.Query)
	}
	if len(res.Rows) != 10_000 {
		t.Fatalf("rows = %d", len(res.Rows))
	}
	if _, ok := res.Rows[0]["@ptr"]; ok || res.Rows[0]["status"] != "500" {
		t.Errorf("row = %v, want fields without @ptr", res.Rows[0])
	}
	if !strings.Contains(res.Stats.Partial, "10000") {
		t.Errorf("Partial = %q, want it to explain the 10000-row cap", res.Stats.Partial)
	}

	f2 := newLogsFake(t)
	f2.rows = func(*fakeQuery) []map[string]string { return []map[string]string{{"n": "1"}} }
	res, err = fakeClient(f2.Server, nil).Insights(context.Background(), telemetry.LogQuery{LogGroups: groupNames(51), Window: testWindow, Query: raw})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Partial != "" || len(res.Rows) != 2 || len(res.Stats.Warnings) != 1 {
		t.Errorf("two batches: partial %q, %d rows, warnings %v; want no partial, 2 rows, a per-batch warning", res.Stats.Partial, len(res.Rows), res.Stats.Warnings)
	}
	_, err = fakeClient(f2.Server, nil).Insights(context.Background(), telemetry.LogQuery{LogGroups: []string{"/alb"}, Window: testWindow, Query: "  "})
	wantKind(t, err, telemetry.KindInvalidInput)
}

func TestLogGroupsPaginatesAndReportsTheCap(t *testing.T) {
	f := newLogsFake(t)
	f.Handle("DescribeLogGroups", func(c awsfake.Call) awsfake.Reply {
		page := 0
		fmt.Sscanf(c.Str("nextToken"), "p%d", &page)
		var groups []map[string]any
		for i := 0; i < 50; i++ {
			groups = append(groups, map[string]any{"logGroupName": fmt.Sprintf("/g/%05d", page*50+i)})
		}
		return awsfake.OK(map[string]any{"logGroups": groups, "nextToken": fmt.Sprintf("p%d", page+1)})
	})
	names, err := fakeClient(f.Server, nil).LogGroups(context.Background(), "/g/")
	e := wantKind(t, err, telemetry.KindLimit)
	if len(names) != 1000 || names[0] != "/g/00000" || names[999] != "/g/00999" {
		t.Errorf("got %d names (%v...), want the first 1000", len(names), names[:1])
	}
	if !strings.Contains(e.Msg, "1000") {
		t.Errorf("message %q does not state the cap", e.Msg)
	}
	calls := f.Calls("DescribeLogGroups")
	if calls[0].Str("logGroupNamePrefix") != "/g/" || len(calls) > 21 {
		t.Errorf("%d DescribeLogGroups calls, first %+v", len(calls), calls[0].Params)
	}

	f2 := newLogsFake(t)
	f2.Handle("DescribeLogGroups", awsfake.Always(awsfake.OK(map[string]any{"logGroups": []map[string]any{{"logGroupName": "/ecs/api"}}})))
	names, err = fakeClient(f2.Server, nil).LogGroups(context.Background(), "")
	if err != nil || !reflect.DeepEqual(names, []string{"/ecs/api"}) {
		t.Errorf("LogGroups = %v, %v", names, err)
	}
	if _, ok := f2.Calls("DescribeLogGroups")[0].Params["logGroupNamePrefix"]; ok {
		t.Error("an empty prefix was sent; it should be left out")
	}

	f3 := newLogsFake(t)
	f3.Handle("DescribeLogGroups", awsfake.Always(awsfake.Error("AccessDeniedException", "not authorized")))
	_, err = fakeClient(f3.Server, nil).LogGroups(context.Background(), "")
	wantKind(t, err, telemetry.KindAccessDenied)
}

// TestQueryLogsToolShowsThrottlingAsToolError goes through the tool layer:
// a throttled StartQuery reaches the model as an isError result it can act on.
func TestQueryLogsToolShowsThrottlingAsToolError(t *testing.T) {
	f := newLogsFake(t)
	f.Handle("StartQuery", awsfake.Always(awsfake.Error("ThrottlingException", "Rate exceeded")))
	settings := settingsWith("/ecs/api")
	c := fakeClient(f.Server, settings)
	env := &tools.Env{Sources: c.Sources(), Config: settings, Log: zerolog.Nop()}
	args := json.RawMessage(`{"mode":"events","filter":"timeout","start":"-30m"}`)
	res, err := tools.QueryLogs().Call(context.Background(), env, args)
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError {
		t.Fatalf("result is not an error: %+v", res)
	}
	text := res.Content[0].(mcp.TextContent).Text
	if !strings.Contains(text, "Rate exceeded") || !strings.Contains(text, "throttling") {
		t.Errorf("error text %q should relay AWS's message and say what to do", text)
	}
	if qs := f.startedQueries(); len(qs) != 0 {
		t.Errorf("throttled StartQuery recorded as started: %+v", qs)
	}
	if calls := f.Calls("StartQuery"); len(calls) != 1 || !reflect.DeepEqual(calls[0].Strings("logGroupNames"), []string{"/ecs/api"}) {
		t.Errorf("StartQuery calls = %+v, want one over the configured group", calls)
	}
}

// A monitoring account names its source accounts' log groups by ARN, which
// StartQuery accepts only in logGroupIdentifiers (not with logGroupNames,
// and without the ":*" DescribeLogGroups appends).
func TestLogGroupARNsGoToLogGroupIdentifiers(t *testing.T) {
	f := newLogsFake(t)
	src := "arn:aws:logs:us-east-1:210987654321:log-group:/ecs/payments"
	_, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api", src + ":*"}, Window: testWindow})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Calls("StartQuery")
	if len(calls) != 1 {
		t.Fatalf("StartQuery calls = %d", len(calls))
	}
	if got := calls[0].Strings("logGroupIdentifiers"); !reflect.DeepEqual(got, []string{"/ecs/api", src}) {
		t.Errorf("logGroupIdentifiers = %q, want the name and the ARN without :*", got)
	}
	if _, both := calls[0].Params["logGroupNames"]; both {
		t.Error("logGroupNames sent together with logGroupIdentifiers; StartQuery rejects both")
	}

	f = newLogsFake(t)
	if _, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{"/ecs/api"}, Window: testWindow}); err != nil {
		t.Fatal(err)
	}
	if got := f.Calls("StartQuery")[0].Strings("logGroupNames"); !reflect.DeepEqual(got, []string{"/ecs/api"}) {
		t.Errorf("plain names: logGroupNames = %q", got)
	}

	for _, bad := range []string{"arn:aws:logs:us-east-1:2109:log-group:/x", "arn:aws:s3:::bucket", "arn:aws:logs:us-east-1:210987654321:log-group:/ecs/*"} {
		_, err := fakeClient(f.Server, nil).Events(context.Background(), telemetry.LogQuery{LogGroups: []string{bad}, Window: testWindow})
		if e := wantKind(t, err, telemetry.KindInvalidInput); !strings.Contains(e.Hint, "arn:aws:logs:REGION") {
			t.Errorf("%s: hint %q should show the ARN format", bad, e.Hint)
		}
	}
}
