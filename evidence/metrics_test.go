package evidence

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func TestMetricPeriod(t *testing.T) {
	for d, want := range map[time.Duration]int32{time.Hour: 60, 150 * time.Minute: 60, 3 * time.Hour: 300, 24 * time.Hour: 900, 7 * 24 * time.Hour: 21600, 90 * 24 * time.Hour: 86400} {
		if got := MetricPeriod(d); got != want {
			t.Errorf("MetricPeriod(%s) = %d, want %d", d, got, want)
		}
	}
}

func TestDefaultStat(t *testing.T) {
	for name, want := range map[string]string{"HTTPCode_Target_5XX_Count": "Sum", "RequestCount": "Sum", "Invocations": "Sum", "Errors": "Sum",
		"TargetResponseTime": "Average", "Duration": "Average", "CPUUtilization": "Maximum", "UnHealthyHostCount": "Maximum",
		"DatabaseConnections": "Average", "ApproximateNumberOfMessagesVisible": "Maximum", "FreeStorageSpace": "Average",
		// WAF's and S3's request metrics are counts: their average is 1.
		"BlockedRequests": "Sum", "AllowedRequests": "Sum", "GetRequests": "Sum"} {
		if got := DefaultStat(name); got != want {
			t.Errorf("DefaultStat(%s) = %s, want %s", name, got, want)
		}
	}
}

func series(start time.Time, vals ...float64) []telemetry.Point {
	out := make([]telemetry.Point, len(vals))
	for i, v := range vals {
		out[i] = telemetry.Point{Timestamp: start.Add(time.Duration(i) * time.Minute), Value: v}
	}
	return out
}

// A baseline that ends already departed (the work stopped at 08:48, the
// window opens at 08:55) is dated from the tail's first point; an
// ordinary end, a lone spike or too short a head dates nothing.
func TestDepartedTail(t *testing.T) {
	t0 := time.Date(2026, 9, 8, 8, 40, 0, 0, time.UTC)
	normal := []float64{40, 42, 39, 41, 40, 43, 38, 41, 40, 42}
	stopped := series(t0, append(append([]float64(nil), normal...), 0, 0, 0, 0)...)
	if k := DepartedTail(stopped, "below", 5); k != 10 {
		t.Errorf("stopped at point 10: DepartedTail = %d", k)
	}
	if k := DepartedTail(stopped, "above", 5); k != len(stopped) {
		t.Errorf("a drop read as a rise: DepartedTail = %d", k)
	}
	rising := series(t0, append(append([]float64(nil), normal...), 41, 70, 120, 180)...)
	if k := DepartedTail(rising, "above", 5); k != 11 {
		t.Errorf("a build-up from point 11: DepartedTail = %d", k)
	}
	spikeThenNormal := series(t0, append(append([]float64(nil), normal...), 90, 41)...)
	if k := DepartedTail(spikeThenNormal, "above", 5); k != len(spikeThenNormal) {
		t.Errorf("an ordinary last point after a spike: DepartedTail = %d", k)
	}
	if k := DepartedTail(series(t0, 40, 41, 0, 0), "below", 5); k != 4 {
		t.Errorf("two points of head judged a tail: DepartedTail = %d", k)
	}
}

func TestSummarizeSeriesFindsDepartures(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	base := series(t0.Add(-10*time.Minute), 20, 22, 21, 19, 20, 21, 20, 19, 21, 20)
	cur := series(t0, 20, 21, 3, 2, 3, 21, 20, 40, 20, 19)
	s := SummarizeSeries(cur, base, time.Minute, 6)
	if s.Min != 2 || s.Max != 40 || s.Last != 19 || *s.BaselineMean != 20.3 || s.ChangePct == nil || *s.ChangePct >= 0 {
		t.Errorf("stats = %+v", s)
	}
	if len(s.Departures) != 2 || s.Departures[0].Direction != "below" || s.Departures[0].Points != 3 || s.Departures[0].Peak != 2 ||
		!s.Departures[0].Start.Equal(t0.Add(2*time.Minute)) || s.Departures[1].Direction != "above" || s.Departures[1].Peak != 40 {
		t.Errorf("departures = %+v", s.Departures)
	}
	if len(s.Sample) != 6 || !s.Sample[0].Timestamp.Equal(t0) || s.Sample[5].Value != 19 {
		t.Errorf("sample = %+v", s.Sample)
	}
	flat := SummarizeSeries(series(t0, 20, 21, 20, 19, 20), base, time.Minute, 6)
	if len(flat.Departures) != 0 || flat.Score >= s.Score || flat.Score > 1 {
		t.Errorf("flat series scored %v (moved one %v), departures %v", flat.Score, s.Score, flat.Departures)
	}
	none := SummarizeSeries(cur, nil, time.Minute, 6)
	if none.BaselineMean != nil || none.Score != 0 || len(none.Departures) != 0 {
		t.Errorf("no baseline = %+v", none)
	}
}

func TestNamespacesFor(t *testing.T) {
	got := strings.Join(NamespacesFor("Checkout returns 5xx; is the Aurora DB out of connections? Lambda order-notifier too"), ",")
	if got != "AWS/ApplicationELB,AWS/RDS,AWS/Lambda" {
		t.Errorf("namespaces = %s", got)
	}
	if NamespacesFor("what happened") != nil {
		t.Error("no namespace words should give none")
	}
}

func TestRankingPrefersRelevantMovingMetrics(t *testing.T) {
	tg := telemetry.Dimension{Name: "TargetGroup", Value: "targetgroup/checkout-tg/1"}
	fivexx := telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: []telemetry.Dimension{tg}}
	reqs := telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "RequestCount", Dimensions: []telemetry.Dimension{tg}}
	cpu := telemetry.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: []telemetry.Dimension{{Name: "InstanceId", Value: "i-1"}}}
	firing := []telemetry.Alarm{{Name: "5xx", Namespace: fivexx.Namespace, MetricName: fivexx.MetricName, Dimensions: fivexx.Dimensions}}

	q := "checkout returns 5xx errors"
	var cands []Candidate
	for _, m := range []telemetry.Metric{cpu, reqs, fivexx} {
		ts, tr := ScoreText(q, m)
		as, ar := ScoreAlarms(m, firing)
		cands = append(cands, Candidate{Stat: telemetry.MetricStat{Metric: m, Stat: DefaultStat(m.MetricName)}, TextScore: ts, AlarmScore: as, Reasons: append(tr, ar...)})
	}
	cands[0].Summary = &SeriesSummary{Score: 1} // cpu barely moved
	got, _ := RankingSelector{}.Select(context.Background(), q, cands, 2)
	if len(got) != 2 || got[0].Stat.Metric.MetricName != "HTTPCode_Target_5XX_Count" || got[1].Stat.Metric.MetricName != "RequestCount" {
		t.Fatalf("selected %+v", got)
	}
	if got[0].AlarmScore != 4 || got[1].AlarmScore != 2 || !strings.Contains(strings.Join(got[0].Reasons, ";"), "measures 5xx/errors") {
		t.Errorf("scores/reasons = %+v / %+v", got[0], got[1])
	}
}

func TestFillZeros(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	got := FillZeros([]telemetry.Point{{Timestamp: t0.Add(2 * time.Minute), Value: 7}}, telemetry.Window{Start: t0, End: t0.Add(5 * time.Minute)}, time.Minute)
	if len(got) != 5 || got[2].Value != 7 || got[0].Value != 0 || !got[4].Timestamp.Equal(t0.Add(4*time.Minute)) {
		t.Errorf("filled = %+v", got)
	}
}
