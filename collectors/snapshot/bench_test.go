package snapshot_test

import (
	"context"
	"os"
	"testing"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/examples/incidents/gen"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// The benchmarks read the scaled benchmark incident (scale 1: ~26k log
// lines, ~23k requests, ~4k traces, ~2k CloudTrail events), or the one in
// $FA2_BENCH_DIR (see TestWriteBenchmarkSnapshot in investigate). Each
// iteration opens the snapshot afresh, as a CLI run does.
func benchSnapshot(b *testing.B) string {
	if dir := os.Getenv("FA2_BENCH_DIR"); dir != "" {
		return dir
	}
	dir := b.TempDir()
	if _, err := gen.WriteBenchmark(dir, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkInvestigateRun is investigate.Run over the snapshot: what
// `fa2 investigate --snapshot` costs apart from starting the process.
func BenchmarkInvestigateRun(b *testing.B) {
	dir := benchSnapshot(b)
	cfg := config.Default()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := snapshot.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		bundle, err := investigate.Run(context.Background(), s.Sources(), &cfg, investigate.Request{})
		if err != nil {
			b.Fatal(err)
		}
		if len(bundle.Gaps) > 0 {
			b.Fatalf("a source failed: %+v", bundle.Gaps)
		}
	}
}

// BenchmarkReadSources is the reader alone: each source read once over
// the snapshot's window, as the engine's first query of it does.
func BenchmarkReadSources(b *testing.B) {
	dir := benchSnapshot(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := snapshot.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		w := s.Manifest().Window
		if _, err := s.Histogram(ctx, telemetry.LogQuery{Window: w}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.TraceSummaries(ctx, telemetry.TraceQuery{Window: w}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: w}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.AccessLogStats(ctx, telemetry.AccessLogQuery{Window: w}); err != nil {
			b.Fatal(err)
		}
	}
}
