package logmine

import (
	"path/filepath"
	"sort"
	"testing"
)

// benchLines returns the Content lines of the loghub-2k datasets (read in
// place), or synthetic lines when they are absent.
func benchLines(b testing.TB) []string {
	var lines []string
	dir := loghubDirNoSkip()
	if dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*_structured.csv"))
		sort.Strings(files)
		for _, f := range files {
			lines = append(lines, readLoghub(b, f).content...)
		}
	}
	if len(lines) == 0 {
		lines = syntheticLines(16000)
	}
	return lines
}

// BenchmarkAdd measures the mining step in steady state: one Miner sees the
// lines over and over, as it would on a long stream.
func BenchmarkAdd(b *testing.B) {
	lines := benchLines(b)
	m := New(Config{})
	for _, l := range lines {
		m.Add(l)
	}
	bytes := 0
	for _, l := range lines {
		bytes += len(l)
	}
	b.SetBytes(int64(bytes / len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		m.Add(lines[i%len(lines)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(float64(b.N)/c.Seconds(), "lines/cpu-s")
	}
}

// BenchmarkColdStart mines each pass with a fresh Miner (template creation,
// merging and the first-sight path included).
func BenchmarkColdStart(b *testing.B) {
	lines := benchLines(b)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		m := New(Config{})
		for _, l := range lines {
			m.Add(l)
		}
		n += len(lines)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
}
