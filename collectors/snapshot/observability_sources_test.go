package snapshot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

func openObs(t *testing.T) *Store {
	t.Helper()
	s, err := Open("testdata/obs")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	nine      = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	obsWindow = telemetry.Window{Start: nine, End: nine.Add(time.Hour)}
	ctx       = context.Background()
)

func TestAlarmsFilterLikeDescribeAlarms(t *testing.T) {
	s := openObs(t)
	for _, tc := range []struct {
		q    telemetry.AlarmQuery
		want string
	}{
		{telemetry.AlarmQuery{}, "api-5xx,api-down,api-p99"},
		{telemetry.AlarmQuery{State: "ALARM"}, "api-5xx,api-down"},
		{telemetry.AlarmQuery{Names: []string{"api-p99", "nope"}}, "api-p99"},
		{telemetry.AlarmQuery{NamePrefix: "api-d"}, "api-down"},
		{telemetry.AlarmQuery{State: "INSUFFICIENT_DATA"}, ""},
	} {
		got, err := s.Alarms(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range got.Alarms {
			names = append(names, a.Name)
		}
		if strings.Join(names, ",") != tc.want {
			t.Errorf("%+v: got %v, want %s", tc.q, names, tc.want)
		}
	}
	all, _ := s.Alarms(ctx, telemetry.AlarmQuery{})
	a5, comp, p99 := all.Alarms[0], all.Alarms[1], all.Alarms[2]
	if a5.Kind != "metric" || *a5.Threshold != 1 || a5.Dimensions[0].Value != "targetgroup/api/1" || !a5.StateUpdated.Equal(time.Date(2026, 11, 20, 9, 41, 0, 120e6, time.UTC)) || !strings.Contains(a5.ReasonData, "evaluatedDatapoints") {
		t.Errorf("metric alarm = %+v", a5)
	}
	if comp.Kind != "composite" || comp.Rule != `ALARM("api-5xx")` {
		t.Errorf("composite = %+v", comp)
	}
	if p99.Statistic != "p99" || strings.Join(p99.Expressions, "; ") != "m1: AWS/ApplicationELB TargetResponseTime p99 60s; e1: m1*1000" {
		t.Errorf("metric-math alarm = %+v", p99)
	}
}

func TestAlarmHistoryKeepsStateUpdatesInTheWindow(t *testing.T) {
	s := openObs(t)
	h, err := s.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Window: telemetry.Window{Start: nine.Add(-48 * time.Hour), End: nine.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Items) != 2 || h.Items[0].AlarmName != "api-5xx" || h.Items[1].AlarmName != "api-p99" {
		t.Fatalf("items = %+v", h.Items)
	}
	h, _ = s.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Names: []string{"api-p99"}, Window: obsWindow})
	if len(h.Items) != 0 {
		t.Errorf("out-of-obsWindow item returned: %+v", h.Items)
	}
	h, _ = s.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Limit: 1})
	if len(h.Items) != 1 || h.Partial == "" {
		t.Errorf("limit: %+v", h)
	}
}

func TestTraceSummariesEvaluateFiltersLocally(t *testing.T) {
	s := openObs(t)
	for _, tc := range []struct {
		filter string
		want   int
	}{
		{"", 6}, {"fault", 3}, {"!fault", 3}, {"http.status = 500 AND service(\"DynamoDB\")", 3},
		{"responsetime > 0.5", 2}, {"ok AND duration >= 1.5", 1}, {`service("nope")`, 0},
	} {
		got, err := s.TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow, Filter: tc.filter})
		if err != nil {
			t.Fatalf("%q: %v", tc.filter, err)
		}
		if len(got.Summaries) != tc.want || got.Processed != 6 {
			t.Errorf("%q: %d summaries of %d processed, want %d of 6", tc.filter, len(got.Summaries), got.Processed, tc.want)
		}
	}
	got, _ := s.TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow, Filter: "fault"})
	rc := got.Summaries[0].RootCauses
	if !got.Summaries[0].Start.After(got.Summaries[1].Start) || len(rc) != 1 || strings.Join(rc[0].EntityPath, " > ") != "api > DynamoDB PutItem" || rc[0].Exception != "InternalServerError" {
		t.Errorf("newest fault = %+v", got.Summaries[0])
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "traces.json: trace 1") {
		t.Errorf("warnings = %v, want one naming the malformed segment", got.Warnings)
	}
	lim, _ := s.TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow, Limit: 2})
	if len(lim.Summaries) != 2 || lim.Partial == "" {
		t.Errorf("limit: %d summaries, partial %q", len(lim.Summaries), lim.Partial)
	}
}

func TestTraceFilterErrorsSayWhatIsSupported(t *testing.T) {
	_, err := openObs(t).TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow, Filter: `annotation.tier = "gold"`})
	e, ok := telemetry.AsError(err)
	if !ok || e.Kind != telemetry.KindInvalidInput || !strings.Contains(e.Error(), "position 1") || !strings.Contains(e.Error(), "supported:") {
		t.Fatalf("err = %v", err)
	}
}

func TestTracesAndServiceGraph(t *testing.T) {
	s := openObs(t)
	traces, err := s.Traces(ctx, []string{"1-late", "missing"})
	if err != nil || len(traces) != 1 || traces[0].ID != "1-late" {
		t.Fatalf("traces = %+v, %v", traces, err)
	}
	g, err := s.ServiceGraph(ctx, obsWindow)
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 2 || g[0].Name != "api" || g[0].Total != 6 || g[0].Faults != 3 || g[1].Name != "DynamoDB" || g[1].Type != "AWS::DynamoDB" {
		t.Errorf("graph = %+v", g)
	}
}

func TestListMetricsAreTheFiles(t *testing.T) {
	s := openObs(t)
	all, err := s.ListMetrics(ctx, telemetry.MetricListQuery{})
	if err != nil || len(all.Metrics) != 3 {
		t.Fatalf("metrics = %+v, %v", all, err)
	}
	rds, _ := s.ListMetrics(ctx, telemetry.MetricListQuery{Namespaces: []string{"AWS/RDS"}})
	if len(rds.Metrics) != 1 || rds.Metrics[0].MetricName != "CPUUtilization" {
		t.Errorf("AWS/RDS = %+v", rds.Metrics)
	}
	one, _ := s.ListMetrics(ctx, telemetry.MetricListQuery{Limit: 1})
	if len(one.Metrics) != 1 || one.Partial == "" {
		t.Errorf("limit = %+v", one)
	}
}

func TestMetricDataReaggregatesToThePeriod(t *testing.T) {
	s := openObs(t)
	tg := []telemetry.Dimension{{Name: "TargetGroup", Value: "targetgroup/api/1"}}
	fivexx := telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: tg}
	lat := telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "TargetResponseTime", Dimensions: tg}
	got, err := s.MetricData(ctx, telemetry.MetricDataQuery{Window: obsWindow, PeriodSeconds: 300, Stats: []telemetry.MetricStat{
		{Metric: fivexx, Stat: "Sum"}, {Metric: lat, Stat: "Average"}, {Metric: lat, Stat: "Maximum"}, {Metric: lat, Stat: "p99"},
		{Metric: lat, Stat: "p50"}, {Metric: telemetry.Metric{Namespace: "AWS/X", MetricName: "Nope"}, Stat: "Sum"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sum := got.Series[0]
	if len(sum.Points) != 12 || sum.Points[8].Value != 35 || !sum.Points[8].Timestamp.Equal(nine.Add(40*time.Minute)) || sum.Points[7].Value != 0 || sum.Unit != "Count" {
		t.Errorf("5xx sums = %+v", sum.Points)
	}
	if avg := got.Series[1].Points[0].Value; avg < 0.1039 || avg > 0.1041 { // (0.1,0.11,0.1,0.11,0.1) weighted
		t.Errorf("average = %v", avg)
	}
	if max := got.Series[2].Points[0].Value; max < 0.3399 || max > 0.3401 {
		t.Errorf("maximum = %v", max)
	}
	if p := got.Series[3]; p.Points[0].Value != 0.25 || !strings.Contains(p.Note, "approximated") {
		t.Errorf("p99 = %+v", p)
	}
	if p := got.Series[4]; len(p.Points) != 0 || !strings.Contains(p.Note, "no p50") {
		t.Errorf("p50 = %+v", p)
	}
	if p := got.Series[5]; !strings.Contains(p.Note, "no file") {
		t.Errorf("missing metric = %+v", p)
	}
}

func TestSourcesWithoutDataSaySo(t *testing.T) {
	s, err := Open("../../examples/demo")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeManifest(t, dir)
	bare, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bare.Alarms(ctx, telemetry.AlarmQuery{}); !isKind(err, telemetry.KindUnsupported) {
		t.Errorf("alarms: %v", err)
	}
	if _, err := bare.TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow}); !isKind(err, telemetry.KindUnsupported) {
		t.Errorf("traces: %v", err)
	}
	if m, err := bare.ListMetrics(ctx, telemetry.MetricListQuery{}); err != nil || len(m.Metrics) != 0 {
		t.Errorf("metrics: %+v %v", m, err)
	}
	// The demo has all three sources.
	if a, err := s.Alarms(ctx, telemetry.AlarmQuery{}); err != nil || len(a.Alarms) < 5 {
		t.Errorf("demo alarms: %v", err)
	}
}

func isKind(err error, k telemetry.Kind) bool {
	e, ok := telemetry.AsError(err)
	return ok && e.Kind == k
}

func writeManifest(t *testing.T, dir string) {
	t.Helper()
	m := `{"format":"fa2-snapshot/1","window":{"start":"2026-11-20T09:00:00Z","end":"2026-11-20T10:00:00Z"}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
}
