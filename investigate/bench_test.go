package investigate

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/examples/incidents/gen"
)

// BenchmarkInvestigate runs the whole engine on the scaled benchmark
// incident (scale 1: ~26k log lines, ~23k requests, ~4k traces, ~2k
// CloudTrail events), opening the snapshot afresh each time as a CLI run
// does.
func BenchmarkInvestigate(b *testing.B) {
	// FA2_BENCH_DIR reuses a snapshot written by TestWriteBenchmarkSnapshot.
	dir := os.Getenv("FA2_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
		if _, err := gen.WriteBenchmark(dir, 1); err != nil {
			b.Fatal(err)
		}
	}
	cfg := config.Default()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := snapshot.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), s.Sources(), &cfg, Request{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWriteBenchmarkSnapshot writes the scaled benchmark incident to
// $FA2_BENCH_DIR at scale $FA2_BENCH_SCALE, for measuring the CLI with
// /usr/bin/time (see the README's benchmark section). Skipped otherwise.
func TestWriteBenchmarkSnapshot(t *testing.T) {
	dir := os.Getenv("FA2_BENCH_DIR")
	if dir == "" {
		t.Skip("set FA2_BENCH_DIR (and FA2_BENCH_SCALE) to write the benchmark snapshot")
	}
	scale, err := strconv.Atoi(os.Getenv("FA2_BENCH_SCALE"))
	if err != nil || scale < 1 {
		scale = 1
	}
	if _, err := gen.WriteBenchmark(dir, scale); err != nil {
		t.Fatal(err)
	}
}
