package evidence

import (
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

var t9 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func pt(min int, v float64) telemetry.Point {
	return telemetry.Point{Timestamp: t9.Add(time.Duration(min) * time.Minute), Value: v}
}

func TestSplitBaselineBoundsBothSides(t *testing.T) {
	w := telemetry.Window{Start: t9, End: t9.Add(10 * time.Minute)}
	base := BaselineOf(w)
	if !base.Start.Equal(t9.Add(-10*time.Minute)) || !base.End.Equal(t9) {
		t.Fatalf("baseline %v", base)
	}
	// before the baseline, baseline, window start, window end (included), after
	cur, b := SplitBaseline([]telemetry.Point{pt(-11, 1), pt(-10, 2), pt(-1, 3), pt(0, 4), pt(10, 5), pt(11, 6)}, w, base)
	if len(b) != 2 || b[0].Value != 2 || b[1].Value != 3 {
		t.Errorf("base = %v, want the points 2 and 3", b)
	}
	if len(cur) != 2 || cur[0].Value != 4 || cur[1].Value != 5 {
		t.Errorf("cur = %v, want the points 4 and 5", cur)
	}
}

func TestAgainstBaselineZeroFillsCountsOnly(t *testing.T) {
	w := telemetry.Window{Start: t9, End: t9.Add(10 * time.Minute)}
	base := BaselineOf(w)
	// A 5xx count that CloudWatch reports only for the minutes with errors.
	points := []telemetry.Point{pt(-5, 1), pt(2, 40), pt(3, 50)}
	cur, sum := AgainstBaseline("Sum", points, w, base, time.Minute, 5)
	if len(cur) != 10 || sum.Points != 10 || sum.BaselinePoints != 10 {
		t.Fatalf("Sum: %d window points, summary %d/%d; want every minute filled (10/10)", len(cur), sum.Points, sum.BaselinePoints)
	}
	if sum.Mean != 9 || sum.Last != 0 {
		t.Errorf("Sum: mean %v last %v, want 9 and 0 (missing minutes are zeros)", sum.Mean, sum.Last)
	}
	if len(sum.Departures) == 0 || sum.Departures[0].Direction != "above" {
		t.Errorf("Sum: departures %+v, want one above the baseline", sum.Departures)
	}
	// An average is not a count: a gap stays a gap.
	cur, sum = AgainstBaseline("Average", points, w, base, time.Minute, 5)
	if len(cur) != 2 || sum.Points != 2 || sum.BaselinePoints != 1 {
		t.Errorf("Average: %d window points, summary %d/%d; want 2/2/1", len(cur), sum.Points, sum.BaselinePoints)
	}
	// No data at all is not a flat zero.
	cur, sum = AgainstBaseline("Sum", nil, w, base, time.Minute, 5)
	if len(cur) != 0 || sum.Points != 0 {
		t.Errorf("empty Sum filled to %d points", len(cur))
	}
	// An empty baseline (data starts at the window) is not filled.
	_, sum = AgainstBaseline("Sum", points[1:], w, telemetry.Window{Start: t9, End: t9}, time.Minute, 5)
	if sum.BaselinePoints != 0 {
		t.Errorf("empty baseline filled with %d points", sum.BaselinePoints)
	}
}

func TestSummarizeCandidatesKeysWindowPointsAndScores(t *testing.T) {
	w := telemetry.Window{Start: t9, End: t9.Add(30 * time.Minute)}
	base := BaselineOf(w)
	flat, moved := telemetry.MetricSeries{}, telemetry.MetricSeries{Unit: "Count"}
	for m := -30; m < 30; m++ {
		flat.Points = append(flat.Points, pt(m, 10+float64(m%2)))
		v := 10 + float64(m%2)
		if m >= 12 {
			v = 80
		}
		moved.Points = append(moved.Points, pt(m, v))
	}
	cands := []Candidate{
		{Stat: telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "N", MetricName: "Flat"}, Stat: "Average"}},
		{Stat: telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "N", MetricName: "Moved"}, Stat: "Average"}},
		{Stat: telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "N", MetricName: "Unread"}, Stat: "Average"}},
	}
	series := SummarizeCandidates(cands, []telemetry.MetricSeries{flat, moved}, w, base, time.Minute, 5)
	if cands[2].Summary != nil {
		t.Error("a candidate without a series got a summary")
	}
	if cands[0].Summary == nil || cands[1].Summary == nil {
		t.Fatal("fetched candidates lack summaries")
	}
	if cands[1].DepartureScore <= cands[0].DepartureScore || cands[1].Score() <= cands[0].Score() {
		t.Errorf("the moved metric scores %v (departure %v), not above the flat one %v (%v)", cands[1].Score(), cands[1].DepartureScore, cands[0].Score(), cands[0].DepartureScore)
	}
	got := series[StatKey(cands[1].Stat)]
	if len(got.Points) != 30 || got.Unit != "Count" || !got.Points[0].Timestamp.Equal(t9) {
		t.Errorf("window series: %d points from %v, unit %q; want 30 from 09:00, unit Count", len(got.Points), got.Points[0].Timestamp, got.Unit)
	}
	if _, ok := series[StatKey(cands[2].Stat)]; ok {
		t.Error("an unread candidate has a series")
	}
}

func TestMetricFromMapSortsDimensions(t *testing.T) {
	a := MetricFromMap("AWS/ApplicationELB", "RequestCount", map[string]string{"TargetGroup": "tg", "LoadBalancer": "lb"})
	if len(a.Dimensions) != 2 || a.Dimensions[0].Name != "LoadBalancer" || a.Dimensions[1].Name != "TargetGroup" {
		t.Fatalf("dimensions %+v, want LoadBalancer then TargetGroup", a.Dimensions)
	}
	if MetricKey(a) != "AWS/ApplicationELB/RequestCount{LoadBalancer=lb,TargetGroup=tg}" {
		t.Errorf("key %q", MetricKey(a))
	}
}

func TestSelectionNamespacesOrderAndUniqueness(t *testing.T) {
	firing := []telemetry.Alarm{{Namespace: "Custom/Checkout"}, {Namespace: ""}, {Namespace: "Custom/Checkout"}}
	got := SelectionNamespaces("checkout returns 5xx", "an ALB in front of a lambda function", firing)
	seen := map[string]int{}
	for i, ns := range got {
		if _, dup := seen[ns]; dup {
			t.Errorf("%s listed twice in %v", ns, got)
		}
		seen[ns] = i
	}
	q := NamespacesFor("checkout returns 5xx")
	if len(q) == 0 || seen[q[0]] != 0 {
		t.Errorf("%v does not start with the question's namespaces %v", got, q)
	}
	ci, ok := seen["Custom/Checkout"]
	if !ok {
		t.Fatalf("the firing alarm's namespace is missing from %v", got)
	}
	if li, ok := seen["AWS/Lambda"]; !ok || li < ci {
		t.Errorf("%v: the workload's AWS/Lambda should follow the alarms' namespaces", got)
	}
	if _, ok := seen[""]; ok {
		t.Errorf("an empty namespace in %v", got)
	}
}

func TestRankCandidatesPutsAlarmedAndNamedFirst(t *testing.T) {
	lb := []telemetry.Dimension{{Name: "LoadBalancer", Value: "app/prod/1"}}
	metrics := []telemetry.Metric{
		{Namespace: "AWS/ApplicationELB", MetricName: "ActiveConnectionCount", Dimensions: lb},
		{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: lb},
	}
	firing := []telemetry.Alarm{{Name: "5xx", Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: lb}}
	c := RankCandidates("5xx errors", metrics, firing)
	if len(c) != 2 || c[0].Stat.Metric.MetricName != "HTTPCode_Target_5XX_Count" {
		t.Fatalf("ranking %+v, want the alarmed 5xx count first", c)
	}
	if c[0].Stat.Stat != "Sum" || c[0].AlarmScore == 0 || len(c[0].Reasons) == 0 {
		t.Errorf("first candidate %+v: want stat Sum, an alarm score and reasons", c[0])
	}
}
