package evidence

import (
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// BenchmarkSummarizeTrace summarises the six documented trace shapes of
// testdata/xray (SDK-internal subsegments, inferred segments, in progress).
func BenchmarkSummarizeTrace(b *testing.B) {
	t := &testing.T{}
	var traces []telemetry.Trace
	for _, tr := range loadBatchGetTraces(t) {
		traces = append(traces, tr)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, tr := range traces {
			SummarizeTrace(tr)
		}
	}
}
