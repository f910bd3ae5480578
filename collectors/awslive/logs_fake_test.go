package awslive

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// logsFake is a fake Logs Insights on an awsfake.Server: StartQuery hands out
// ids q1, q2..., GetQueryResults answers "Running" polls times and then the
// final status with the rows and statistics the test chose for that query,
// and StopQuery is recorded. Tests may still override any handler.
type logsFake struct {
	*awsfake.Server

	// polls is how many "Running" answers precede the final one.
	polls int
	// final is the last status (default "Complete").
	final string
	// rows chooses a query's result rows (field -> value).
	rows func(q *fakeQuery) []map[string]string
	// stats chooses a query's statistics (default: matched = rows).
	stats func(q *fakeQuery) map[string]float64

	mu         sync.Mutex
	queries    []*fakeQuery
	running    int
	maxRunning int
}

// fakeQuery is one StartQuery the fake received.
type fakeQuery struct {
	ID     string
	Groups []string
	Query  string
	Start  int64
	End    int64
	Limit  int
	polls  int
	done   bool
}

func newLogsFake(t *testing.T) *logsFake {
	f := &logsFake{Server: awsfake.New(t), final: "Complete"}
	f.Handle("StartQuery", f.startQuery)
	f.Handle("GetQueryResults", f.getQueryResults)
	f.Handle("StopQuery", func(c awsfake.Call) awsfake.Reply {
		f.finish(c.Str("queryId"))
		return awsfake.OK(map[string]any{"success": true})
	})
	return f
}

func (f *logsFake) startQuery(c awsfake.Call) awsfake.Reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := &fakeQuery{
		ID:     fmt.Sprintf("q%d", len(f.queries)+1),
		Groups: c.Strings("logGroupNames"),
		Query:  c.Str("queryString"),
		Start:  int64(c.Num("startTime")),
		End:    int64(c.Num("endTime")),
		Limit:  int(c.Num("limit")),
	}
	f.queries = append(f.queries, q)
	f.running++
	if f.running > f.maxRunning {
		f.maxRunning = f.running
	}
	return awsfake.OK(map[string]any{"queryId": q.ID})
}

func (f *logsFake) query(id string) *fakeQuery {
	for _, q := range f.queries {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// finish marks a query as no longer running.
func (f *logsFake) finish(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if q := f.query(id); q != nil && !q.done {
		q.done = true
		f.running--
	}
}

func (f *logsFake) getQueryResults(c awsfake.Call) awsfake.Reply {
	f.mu.Lock()
	q := f.query(c.Str("queryId"))
	f.mu.Unlock()
	if q == nil {
		return awsfake.Error("ResourceNotFoundException", "no query "+c.Str("queryId"))
	}
	var rows []map[string]string
	if f.rows != nil {
		rows = f.rows(q)
	}
	stats := map[string]float64{"recordsMatched": float64(len(rows)), "recordsScanned": 100, "bytesScanned": 1000}
	if f.stats != nil {
		stats = f.stats(q)
	}
	f.mu.Lock()
	q.polls++
	status := f.final
	if q.polls <= f.polls {
		status = "Running"
	}
	f.mu.Unlock()
	if status == "Running" {
		return awsfake.OK(map[string]any{"status": status, "results": [][]any{}, "statistics": stats})
	}
	f.finish(q.ID)
	return awsfake.OK(map[string]any{"status": status, "results": resultRows(rows), "statistics": stats})
}

// startedQueries returns the queries started so far, sorted by id number.
func (f *logsFake) startedQueries() []*fakeQuery {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]*fakeQuery(nil), f.queries...)
	sort.Slice(out, func(i, j int) bool {
		return len(out[i].ID) < len(out[j].ID) || len(out[i].ID) == len(out[j].ID) && out[i].ID < out[j].ID
	})
	return out
}

// resultRows encodes rows as GetQueryResults does: a list of
// [{"field":..., "value":...}] lists, fields in a stable order.
func resultRows(rows []map[string]string) [][]map[string]string {
	out := make([][]map[string]string, 0, len(rows))
	for _, r := range rows {
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fields := make([]map[string]string, 0, len(r))
		for _, k := range keys {
			fields = append(fields, map[string]string{"field": k, "value": r[k]})
		}
		out = append(out, fields)
	}
	return out
}

// settingsWith returns default settings with the given configured groups.
func settingsWith(groups ...string) *config.Config {
	s := config.Default()
	s.Logs.Groups = groups
	return &s
}

// testWindow is a fixed one-hour window.
var testWindow = telemetry.Window{
	Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
	End:   time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
}

// groupNames returns n names like /svc/000.
func groupNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("/svc/%03d", i)
	}
	return out
}
