package evidence

import (
	"os"
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// FuzzSummarizeSegment: any segment document either fails to parse or
// summarises without panicking, negative times or a root cause without a
// path.
func FuzzSummarizeSegment(f *testing.F) {
	f.Add(frontDoc)
	f.Add(downstreamDoc)
	f.Add(`{"id":"a","start_time":5,"in_progress":true,"subsegments":[{"id":"a","end_time":-1,"fault":true}]}`)
	f.Add(`{"id":"x","parent_id":"x","inferred":true,"error":true,"cause":"x"}`)
	if raw, err := os.ReadFile("testdata/xray/batch-get-traces.json"); err == nil && len(raw) < 1<<16 {
		f.Add(string(raw))
	}
	f.Fuzz(func(t *testing.T, doc string) {
		seg, err := ParseSegmentDocument(doc)
		if err != nil {
			return
		}
		tr := telemetry.Trace{ID: "1-fuzz", Segments: []telemetry.Segment{seg, seg}}
		s := SummarizeTrace(tr)
		if s.ResponseTime < 0 || s.Duration < 0 {
			t.Fatalf("negative timing %v %v", s.ResponseTime, s.Duration)
		}
		for _, rc := range s.RootCauses {
			if len(rc.EntityPath) == 0 || rc.Kind == "" {
				t.Fatalf("root cause without path or kind: %+v", rc)
			}
		}
		for _, n := range TraceTree(tr, 40) {
			if n.DurationMs < 0 {
				t.Fatalf("negative duration %+v", n)
			}
		}
		ServiceGraph([]telemetry.Trace{tr})
	})
}
