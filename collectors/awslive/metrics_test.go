package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
)

func TestListMetricsPaginatesEveryNamespaceWithoutRecentlyActive(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("ListMetrics", func(c awsfake.Call) awsfake.Reply {
		ns := c.Params["Namespace"].(string)
		m := map[string]any{"Metrics": []any{map[string]any{"Namespace": ns, "MetricName": fmt.Sprintf("M%v", c.Params["NextToken"]),
			"Dimensions": []any{map[string]any{"Name": "D", "Value": "v"}}}}}
		if c.Params["NextToken"] == nil {
			m["NextToken"] = "2"
		}
		return awsfake.OK(m)
	})
	got, err := fakeClient(s, nil).ListMetrics(context.Background(), telemetry.MetricListQuery{Namespaces: []string{"AWS/RDS", "AWS/SQS"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Metrics) != 4 || got.Partial != "" || got.Metrics[3].Namespace != "AWS/SQS" || got.Metrics[3].MetricName != "M2" || got.Metrics[0].Dimensions[0].Value != "v" {
		t.Fatalf("metrics = %+v", got)
	}
	for _, r := range s.Calls("ListMetrics") {
		if _, ok := r.Params["RecentlyActive"]; ok {
			t.Errorf("ListMetrics sent RecentlyActive: %v", r.Params)
		}
	}
}

func TestListMetricsStopsAtTheCap(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("ListMetrics", func(c awsfake.Call) awsfake.Reply {
		var ms []any
		for i := 0; i < 500; i++ {
			ms = append(ms, map[string]any{"Namespace": "AWS/EC2", "MetricName": fmt.Sprintf("M%d", i)})
		}
		return awsfake.OK(map[string]any{"Metrics": ms, "NextToken": "more"})
	})
	got, err := fakeClient(s, nil).ListMetrics(context.Background(), telemetry.MetricListQuery{Limit: 1200})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Metrics) != 1200 || got.Partial == "" || len(s.Calls("ListMetrics")) != 3 {
		t.Fatalf("got %d metrics, partial %q, %d calls", len(got.Metrics), got.Partial, len(s.Calls("ListMetrics")))
	}
}

func TestMetricDataBatchesAndFollowsNextToken(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	s := awsfake.New(t)
	s.Handle("GetMetricData", func(c awsfake.Call) awsfake.Reply {
		qs := c.Params["MetricDataQueries"].([]any)
		var res []any
		minute := 0
		if c.Params["NextToken"] != nil {
			minute = 1
		}
		for _, q := range qs {
			id := q.(map[string]any)["Id"].(string)
			res = append(res, map[string]any{"Id": id, "StatusCode": "Complete",
				"Timestamps": []time.Time{t0.Add(time.Duration(minute) * time.Minute)}, "Values": []float64{float64(minute + 1)}})
		}
		out := map[string]any{"MetricDataResults": res}
		if c.Params["NextToken"] == nil {
			out["NextToken"] = "page2"
		}
		return awsfake.OK(out)
	})
	var stats []telemetry.MetricStat
	for i := 0; i < 501; i++ {
		stats = append(stats, telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/EC2", MetricName: fmt.Sprintf("M%d", i),
			Dimensions: []telemetry.Dimension{{Name: "InstanceId", Value: "i-1"}}}, Stat: "p99"})
	}
	got, err := fakeClient(s, nil).MetricData(context.Background(), telemetry.MetricDataQuery{Stats: stats, Window: telemetry.Window{Start: t0, End: t0.Add(time.Hour)}, PeriodSeconds: 60})
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.Calls("GetMetricData")
	if len(reqs) != 4 { // two batches (500 + 1), two pages each
		t.Fatalf("%d GetMetricData calls, want 4", len(reqs))
	}
	if n := len(reqs[0].Params["MetricDataQueries"].([]any)); n != 500 {
		t.Errorf("first batch has %d queries, want 500", n)
	}
	if n := len(reqs[2].Params["MetricDataQueries"].([]any)); n != 1 {
		t.Errorf("second batch has %d queries, want 1", n)
	}
	q := reqs[0].Params["MetricDataQueries"].([]any)[0].(map[string]any)["MetricStat"].(map[string]any)
	if q["Stat"] != "p99" || q["Period"] != float64(60) || q["Metric"].(map[string]any)["MetricName"] != "M0" {
		t.Errorf("sent MetricStat %v", q)
	}
	if len(got.Series) != 501 || len(got.Series[500].Points) != 2 || got.Series[500].Points[1].Value != 2 || got.Series[500].Stat.Metric.MetricName != "M500" {
		t.Fatalf("series 500 = %+v", got.Series[500])
	}
}

func TestMetricDataThrottled(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("GetMetricData", awsfake.Always(awsfake.Throttled("Throttling")))
	_, err := fakeClient(s, nil).MetricData(context.Background(), telemetry.MetricDataQuery{Stats: []telemetry.MetricStat{{Stat: "Sum"}}, PeriodSeconds: 60,
		Window: telemetry.Window{Start: time.Unix(0, 0), End: time.Unix(3600, 0)}})
	if e, ok := telemetry.AsError(err); !ok || e.Kind != telemetry.KindThrottled || !strings.Contains(err.Error(), "GetMetricData") {
		t.Fatalf("err = %v", err)
	}
}

// alb5xx is a metric statistic for the GetMetricData tests below.
var alb5xx = telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count"}, Stat: "Sum"}

// CloudWatch keeps 1-minute points 15 days and 5-minute points 63 days; a
// finer period for an older start returns no points at all, silently. The
// period sent must be coarsened to what CloudWatch still holds, and the
// caller told.
func TestMetricDataCoarsensThePeriodForOldWindows(t *testing.T) {
	for _, tc := range []struct {
		age        time.Duration
		asked, min float64
	}{
		{2 * time.Hour, 60, 60},
		{10 * 24 * time.Hour, 60, 60},
		{20 * 24 * time.Hour, 60, 300},
		{20 * 24 * time.Hour, 900, 900},
		{70 * 24 * time.Hour, 300, 3600},
		{70 * 24 * time.Hour, 21600, 21600},
	} {
		s := awsfake.New(t)
		s.Handle("GetMetricData", awsfake.Always(awsfake.OK(map[string]any{"MetricDataResults": []any{}})))
		start := time.Now().Add(-tc.age).Truncate(time.Hour)
		got, err := fakeClient(s, nil).MetricData(context.Background(), telemetry.MetricDataQuery{
			Stats: []telemetry.MetricStat{alb5xx}, Window: telemetry.Window{Start: start, End: start.Add(time.Hour)}, PeriodSeconds: int32(tc.asked)})
		if err != nil {
			t.Fatal(err)
		}
		if period := s.Calls("GetMetricData")[0].Num("MetricDataQueries", 0, "MetricStat", "Period"); period != tc.min {
			t.Errorf("start %s ago, asked %.0fs: sent Period %.0f, want %.0f", tc.age, tc.asked, period, tc.min)
		}
		warned := strings.Contains(strings.Join(got.Warnings, " "), "period")
		if warned != (tc.asked != tc.min) {
			t.Errorf("start %s ago, asked %.0fs: warnings %q", tc.age, tc.asked, got.Warnings)
		}
	}
}

// A result without an Id (an optional member in the SDK) must be skipped,
// not crash the process on an out-of-range slice.
func TestMetricDataResultWithoutIDDoesNotPanic(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("GetMetricData", awsfake.Always(awsfake.OK(map[string]any{"MetricDataResults": []any{
		map[string]any{"Label": "no id", "StatusCode": "Complete", "Timestamps": []time.Time{time.Now().Add(-time.Hour)}, "Values": []float64{3}},
	}})))
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	got, err := fakeClient(s, nil).MetricData(context.Background(), telemetry.MetricDataQuery{
		Stats: []telemetry.MetricStat{alb5xx}, Window: telemetry.Window{Start: start, End: start.Add(time.Hour)}, PeriodSeconds: 60})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Series[0].Points); n != 0 {
		t.Errorf("a result without an id was attributed to series 0 (%d points)", n)
	}
}

// ListMetrics forgets metrics that have not reported for two weeks. For an
// older incident the list says so and adds what the alarms of the asked
// namespaces name (not those of other namespaces, not those listed already).
func TestListMetricsForAnOldIncidentSaysSoAndOffersTheAlarmsMetrics(t *testing.T) {
	listed := map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count",
		"Dimensions": []any{map[string]any{"Name": "TargetGroup", "Value": "targetgroup/tg/1"}}}
	for _, tc := range []struct {
		name    string
		start   time.Time
		want    int
		warning bool
	}{
		{"recent", fakeNow.Add(-13 * 24 * time.Hour), 1, false},
		{"older than two weeks", fakeNow.Add(-15 * 24 * time.Hour), 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := awsfake.New(t)
			s.Handle("ListMetrics", awsfake.Always(awsfake.OK(map[string]any{"Metrics": []any{listed}})))
			gone := metricAlarm("api-latency", "OK")
			gone["MetricName"], gone["Statistic"] = "TargetResponseTime", "Average"
			s.Handle("DescribeAlarms", awsfake.Always(awsfake.OK(map[string]any{"MetricAlarms": []any{
				metricAlarm("api-5xx", "OK"), // the listed metric: not added twice
				gone,
				map[string]any{"AlarmName": "lambda-errors", "StateValue": "OK", "Namespace": "AWS/Lambda", "MetricName": "Errors"},
			}})))
			w := telemetry.Window{Start: tc.start, End: tc.start.Add(time.Hour)}
			got, err := fakeClient(s, nil).ListMetrics(context.Background(), telemetry.MetricListQuery{Namespaces: []string{"AWS/ApplicationELB"}, Window: w})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Metrics) != tc.want {
				t.Fatalf("metrics = %+v, want %d", got.Metrics, tc.want)
			}
			warned := strings.Contains(strings.Join(got.Warnings, " "), "two weeks")
			if warned != tc.warning {
				t.Errorf("warnings %q: two-week note = %v, want %v", got.Warnings, warned, tc.warning)
			}
			if tc.warning && got.Metrics[1].MetricName != "TargetResponseTime" {
				t.Errorf("added metric = %+v, want the latency alarm's", got.Metrics[1])
			}
			if !tc.warning && len(s.Calls("DescribeAlarms")) != 0 {
				t.Error("alarms read for a recent incident")
			}
		})
	}
}
