package evidence

import (
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// Boundary tests: each pins a rule at its exact edge, with expected values
// written out from the rule's documentation, not copied from constants.

// GuardDuty documents its bands as 1.0-3.9 low, 4.0-6.9 medium, 7.0-8.9
// high, 9.0-10.0 critical ("Severity levels for GuardDuty findings").
func TestGuardDutyBandEdges(t *testing.T) {
	for score, want := range map[float64]string{
		0.5: "INFORMATIONAL", 1.0: "LOW", 3.9: "LOW", 4.0: "MEDIUM", 6.9: "MEDIUM",
		7.0: "HIGH", 8.9: "HIGH", 9.0: "CRITICAL", 10.0: "CRITICAL",
	} {
		if got := GuardDutyLabel(score); got != want {
			t.Errorf("GuardDutyLabel(%.1f) = %s, want %s", score, got, want)
		}
	}
}

// A message with no level word but an exception (Java) or a traceback
// (Python) is an error; one with neither says nothing.
func TestExceptionWithoutLevelIsAnError(t *testing.T) {
	for msg, want := range map[string]string{
		"java.lang.NullPointerException: order is null":                    SevError,
		"Traceback (most recent call last):":                               SevError,
		"    at com.shop.Checkout.pay(Checkout.java:42)":                   SevError,
		"INFO handled RetryableException after 2 attempts":                 SevInfo, // the level word wins
		"GET /health 200 3ms":                                              "",
		"exception handling is described in the design notes (lower case)": "",
	} {
		if got := Severity(msg); got != want {
			t.Errorf("Severity(%q) = %q, want %q", msg, got, want)
		}
	}
}

// Nearest-rank percentiles: the value at rank ceil(p*n). With 1..7, p50 is
// rank 4 (value 4), p90 rank 7 (6.3 rounded up), p99 rank 7.
func TestPercentilesNearestRank(t *testing.T) {
	got := Percentiles([]float64{7, 3, 1, 6, 2, 5, 4})
	if got == nil || got.P50 != 4 || got.P90 != 7 || got.P99 != 7 {
		t.Errorf("Percentiles(1..7) = %+v, want p50 4, p90 7, p99 7", got)
	}
	got = Percentiles([]float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100})
	if got.P50 != 50 || got.P90 != 90 || got.P99 != 100 {
		t.Errorf("Percentiles(10..100) = %+v, want p50 50, p90 90, p99 100", got)
	}
	if Percentiles(nil) != nil {
		t.Error("no values should give no percentiles")
	}
}

// Two candidates equal in words and alarms: the one that moved against its
// baseline ranks first, and the change counts at most 10.
func TestRankingUsesTheChangeScore(t *testing.T) {
	metric := func(name string) telemetry.MetricStat {
		return telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/ECS", MetricName: name}, Stat: "Average"}
	}
	flat := Candidate{Stat: metric("A-flat"), TextScore: 2, Summary: &SeriesSummary{Score: 0.5}}
	moved := Candidate{Stat: metric("B-moved"), TextScore: 2, Summary: &SeriesSummary{Score: 40}}
	words := Candidate{Stat: metric("C-words"), TextScore: 12.5}
	c := []Candidate{flat, words, moved}
	SortCandidates(c)
	if c[0].Stat.Metric.MetricName != "C-words" || c[1].Stat.Metric.MetricName != "B-moved" || c[2].Stat.Metric.MetricName != "A-flat" {
		t.Errorf("order = %s, %s, %s; want C-words (12.5), B-moved (2+10 = 12, change capped; uncapped it would lead), A-flat (2.5)",
			c[0].Stat.Metric.MetricName, c[1].Stat.Metric.MetricName, c[2].Stat.Metric.MetricName)
	}
	if got := moved.Score(); got != 12 {
		t.Errorf("score with a change of 40 = %v, want 2 + 10 (the cap)", got)
	}
}
