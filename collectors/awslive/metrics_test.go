package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
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
	got, err := fakeClient(s, nil).ListMetrics(context.Background(), collectors.MetricListQuery{Namespaces: []string{"AWS/RDS", "AWS/SQS"}})
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
	got, err := fakeClient(s, nil).ListMetrics(context.Background(), collectors.MetricListQuery{Limit: 1200})
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
	var stats []collectors.MetricStat
	for i := 0; i < 501; i++ {
		stats = append(stats, collectors.MetricStat{Metric: collectors.Metric{Namespace: "AWS/EC2", MetricName: fmt.Sprintf("M%d", i),
			Dimensions: []collectors.Dimension{{Name: "InstanceId", Value: "i-1"}}}, Stat: "p99"})
	}
	got, err := fakeClient(s, nil).MetricData(context.Background(), collectors.MetricDataQuery{Stats: stats, Window: collectors.Window{Start: t0, End: t0.Add(time.Hour)}, PeriodSeconds: 60})
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
	_, err := fakeClient(s, nil).MetricData(context.Background(), collectors.MetricDataQuery{Stats: []collectors.MetricStat{{Stat: "Sum"}}, PeriodSeconds: 60,
		Window: collectors.Window{Start: time.Unix(0, 0), End: time.Unix(3600, 0)}})
	if e, ok := collectors.AsError(err); !ok || e.Kind != collectors.KindThrottled || !strings.Contains(err.Error(), "GetMetricData") {
		t.Fatalf("err = %v", err)
	}
}
