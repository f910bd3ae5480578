package evidence

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// A drop to zero at the onset outranks a metric that matches the question
// by name but stayed flat, and a rise far from the onset ranks below one
// at the onset.
func TestScoreDeparturesRanksDropsAtTheOnset(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	series := func(f func(i int) float64) []telemetry.Point {
		var ps []telemetry.Point
		for i := 0; i < 30; i++ {
			ps = append(ps, telemetry.Point{Timestamp: t0.Add(time.Duration(i) * time.Minute), Value: f(i)})
		}
		return ps
	}
	base := func(v float64) []telemetry.Point {
		var ps []telemetry.Point
		for i := 1; i <= 30; i++ {
			ps = append(ps, telemetry.Point{Timestamp: t0.Add(-time.Duration(i) * time.Minute), Value: v + float64(i%3)})
		}
		return ps
	}
	sum := func(cur, b []telemetry.Point) *SeriesSummary {
		s := SummarizeSeries(cur, b, time.Minute, 5)
		return &s
	}
	m := func(name string) telemetry.MetricStat {
		return telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "X", MetricName: name}, Stat: "Average"}
	}
	cands := []Candidate{
		{Stat: m("HTTPCode_ELB_5XX_Count"), TextScore: 3, Summary: sum(series(func(int) float64 { return 1 }), base(0))},
		{Stat: m("Target5xx"), AlarmScore: 4, Summary: sum(series(func(i int) float64 { return map[bool]float64{true: 50, false: 0}[i >= 10] }), base(0))},
		{Stat: m("DatabaseConnections"), Summary: sum(series(func(i int) float64 { return map[bool]float64{true: 0, false: 40}[i >= 10] }), base(40))},
		{Stat: m("BatchCPU"), Summary: sum(series(func(i int) float64 { return map[bool]float64{true: 90, false: 10}[i >= 25] }), base(10))},
	}
	onset := ScoreDepartures(cands)
	if want := t0.Add(10 * time.Minute); !onset.Equal(want) {
		t.Errorf("onset %s, want %s (the alarm's metric departing)", onset, want)
	}
	byName := map[string]Candidate{}
	for _, c := range cands {
		byName[c.Stat.Metric.MetricName] = c
	}
	if byName["DatabaseConnections"].Score() <= byName["HTTPCode_ELB_5XX_Count"].Score() {
		t.Errorf("connections falling to 0 at the onset (%.2f) must outrank a flat 5xx count matched by name (%.2f)",
			byName["DatabaseConnections"].Score(), byName["HTTPCode_ELB_5XX_Count"].Score())
	}
	if byName["DatabaseConnections"].DepartureScore <= byName["BatchCPU"].DepartureScore {
		t.Errorf("a departure at the onset (%.2f) must score above one 15 minutes later (%.2f)",
			byName["DatabaseConnections"].DepartureScore, byName["BatchCPU"].DepartureScore)
	}
	if ScoreDepartures(nil) != (time.Time{}) {
		t.Error("no candidates, no onset")
	}
}
