package snapshot

import (
	"fmt"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// Events out of time order, over several compressed blocks, come back in
// order (stable for equal times), with their own message, stream and
// severity, for a window that starts and ends inside blocks.
func TestLogGroupKeepsEventsAcrossBlocksInOrder(t *testing.T) {
	idx := &logIndex{}
	g := &logGroup{name: "/app"}
	n := 3*logBlockSize + 17
	base := time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC).UnixMilli()
	type want struct {
		ms  int64
		msg string
	}
	var all []want
	for i := 0; i < n; i++ {
		// Odd events are an hour earlier: the file is out of order.
		ms := base + int64(i/2)*10
		if i%2 == 1 {
			ms -= 3600_000
		}
		msg := fmt.Sprintf("event %d %s", i, []string{"ERROR boom", "INFO ok", ""}[i%3])
		sev := []string{"ERROR", "INFO", ""}[i%3]
		g.add(ms, idx.stream(fmt.Sprintf("s%d", i%5)), idx.severity(sev), msg)
		all = append(all, want{ms, msg})
	}
	g.finish(idx)
	if g.len() != n || len(g.blocks) != (n+logBlockSize-1)/logBlockSize {
		t.Fatalf("%d events in %d blocks, want %d in %d", g.len(), len(g.blocks), n, (n+logBlockSize-1)/logBlockSize)
	}
	// Expected order: the earlier odd events, then the even ones, each
	// in input order.
	var ordered []want
	for _, odd := range []int{1, 0} {
		for i, w := range all {
			if i%2 == odd {
				ordered = append(ordered, w)
			}
		}
	}
	win := telemetry.Window{Start: time.UnixMilli(ordered[700].ms), End: time.UnixMilli(ordered[2900].ms)}
	lo := g.search(win.Start)
	if lo != 700 {
		t.Fatalf("window starts at event %d, want 700", lo)
	}
	k := lo
	for ev := range idx.events(g, lo, 2901, true) {
		w := ordered[k]
		if ev.Timestamp.UnixMilli() != w.ms || ev.Message != w.msg || ev.LogGroup != "/app" {
			t.Fatalf("event %d: got %v %q, want %v %q", k, ev.Timestamp, ev.Message, time.UnixMilli(w.ms), w.msg)
		}
		var i int
		fmt.Sscanf(w.msg, "event %d", &i)
		if ev.LogStream != fmt.Sprintf("s%d", i%5) || ev.Severity != []string{"ERROR", "INFO", ""}[i%3] {
			t.Fatalf("event %d: stream %q severity %q", k, ev.LogStream, ev.Severity)
		}
		k++
	}
	if k != 2901 {
		t.Fatalf("read %d events, want %d", k-700, 2901-700)
	}
	for ev := range idx.events(g, 10, 20, false) {
		if ev.Message != "" {
			t.Fatalf("events without messages returned %q", ev.Message)
		}
	}
}
