package gen

import (
	"fmt"
	"time"
)

// BenchmarkCounts are the approximate sizes of a scale-1 benchmark
// snapshot; scale n holds n times as much.
var BenchmarkCounts = struct{ LogLines, Requests, Traces, CloudTrail int }{26000, 23000, 4000, 2000}

// WriteBenchmark writes the permission-change incident at a larger scale
// to dir (replacing it): scale 1 holds about 26k log lines, 23k ALB
// requests, 4k traces and 2k CloudTrail events over the 80 minutes of
// baseline and incident; scale 10 holds ten times that in the same window.
// It returns the truth of the scaled incident. Benchmarks write it to a
// temporary directory; it is never committed.
func WriteBenchmark(dir string, scale int) (Truth, error) {
	if scale < 1 {
		return Truth{}, fmt.Errorf("benchmark scale must be at least 1, not %d", scale)
	}
	inc := Incident{Name: fmt.Sprintf("benchmark-x%d", scale), Kind: "permission", story: func(w *world) {
		onset := time.Date(2026, 11, 25, 14, 7, 20, 0, time.UTC)
		w.init(2020, onset)
		w.title = fmt.Sprintf("order-api fails to create orders (HTTP 500), benchmark scale %d", scale)
		w.architecture = "As examples/incidents/permission-change, with more traffic and a busier account."
		// Traffic 3.7 times the fixture's rate-1 story gives ~23k requests
		// in 80 minutes; the account's background adds ~2k trail events.
		permissionStory(w, onset.Add(-20*time.Second), 3.7)
		w.trailNoise(18)
		w.truth.Signals = []string{"not authorized to perform: dynamodb:PutItem", "order-api-task", "PutRolePolicy", "orders"}
	}}
	return inc.write(dir, float64(scale))
}
