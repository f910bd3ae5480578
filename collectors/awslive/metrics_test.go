package awslive_test

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
	s := awsfake.CloudWatch(t, map[string]awsfake.Handler{
		"ListMetrics": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			ns := b["Namespace"].(string)
			m := map[string]any{"Metrics": []any{map[string]any{"Namespace": ns, "MetricName": fmt.Sprintf("M%v", b["NextToken"]),
				"Dimensions": []any{map[string]any{"Name": "D", "Value": "v"}}}}}
			if b["NextToken"] == nil {
				m["NextToken"] = "2"
			}
			return m, nil
		},
	})
	got, err := newClient(s).ListMetrics(context.Background(), collectors.MetricListQuery{Namespaces: []string{"AWS/RDS", "AWS/SQS"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Metrics) != 4 || got.Partial != "" || got.Metrics[3].Namespace != "AWS/SQS" || got.Metrics[3].MetricName != "M2" || got.Metrics[0].Dimensions[0].Value != "v" {
		t.Fatalf("metrics = %+v", got)
	}
	for _, r := range s.Requests("ListMetrics") {
		if _, ok := r.Body["RecentlyActive"]; ok {
			t.Errorf("ListMetrics sent RecentlyActive: %v", r.Body)
		}
	}
}

func TestListMetricsStopsAtTheCap(t *testing.T) {
	s := awsfake.CloudWatch(t, map[string]awsfake.Handler{
		"ListMetrics": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			var ms []any
			for i := 0; i < 500; i++ {
				ms = append(ms, map[string]any{"Namespace": "AWS/EC2", "MetricName": fmt.Sprintf("M%d", i)})
			}
			return map[string]any{"Metrics": ms, "NextToken": "more"}, nil
		},
	})
	got, err := newClient(s).ListMetrics(context.Background(), collectors.MetricListQuery{Limit: 1200})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Metrics) != 1200 || got.Partial == "" || len(s.Requests("ListMetrics")) != 3 {
		t.Fatalf("got %d metrics, partial %q, %d calls", len(got.Metrics), got.Partial, len(s.Requests("ListMetrics")))
	}
}

func TestMetricDataBatchesAndFollowsNextToken(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	s := awsfake.CloudWatch(t, map[string]awsfake.Handler{
		"GetMetricData": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			qs := b["MetricDataQueries"].([]any)
			var res []any
			minute := 0
			if b["NextToken"] != nil {
				minute = 1
			}
			for _, q := range qs {
				id := q.(map[string]any)["Id"].(string)
				res = append(res, map[string]any{"Id": id, "StatusCode": "Complete",
					"Timestamps": []time.Time{t0.Add(time.Duration(minute) * time.Minute)}, "Values": []float64{float64(minute + 1)}})
			}
			out := map[string]any{"MetricDataResults": res}
			if b["NextToken"] == nil {
				out["NextToken"] = "page2"
			}
			return out, nil
		},
	})
	var stats []collectors.MetricStat
	for i := 0; i < 501; i++ {
		stats = append(stats, collectors.MetricStat{Metric: collectors.Metric{Namespace: "AWS/EC2", MetricName: fmt.Sprintf("M%d", i),
			Dimensions: []collectors.Dimension{{Name: "InstanceId", Value: "i-1"}}}, Stat: "p99"})
	}
	got, err := newClient(s).MetricData(context.Background(), collectors.MetricDataQuery{Stats: stats, Window: collectors.Window{Start: t0, End: t0.Add(time.Hour)}, PeriodSeconds: 60})
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests("GetMetricData")
	if len(reqs) != 4 { // two batches (500 + 1), two pages each
		t.Fatalf("%d GetMetricData calls, want 4", len(reqs))
	}
	if n := len(reqs[0].Body["MetricDataQueries"].([]any)); n != 500 {
		t.Errorf("first batch has %d queries, want 500", n)
	}
	if n := len(reqs[2].Body["MetricDataQueries"].([]any)); n != 1 {
		t.Errorf("second batch has %d queries, want 1", n)
	}
	q := reqs[0].Body["MetricDataQueries"].([]any)[0].(map[string]any)["MetricStat"].(map[string]any)
	if q["Stat"] != "p99" || q["Period"] != float64(60) || q["Metric"].(map[string]any)["MetricName"] != "M0" {
		t.Errorf("sent MetricStat %v", q)
	}
	if len(got.Series) != 501 || len(got.Series[500].Points) != 2 || got.Series[500].Points[1].Value != 2 || got.Series[500].Stat.Metric.MetricName != "M500" {
		t.Fatalf("series 500 = %+v", got.Series[500])
	}
}

func TestMetricDataThrottled(t *testing.T) {
	s := awsfake.CloudWatch(t, map[string]awsfake.Handler{
		"GetMetricData": func(map[string]any) (map[string]any, *awsfake.APIError) { return nil, awsfake.Throttled("Throttling") },
	})
	_, err := newClient(s).MetricData(context.Background(), collectors.MetricDataQuery{Stats: []collectors.MetricStat{{Stat: "Sum"}}, PeriodSeconds: 60,
		Window: collectors.Window{Start: time.Unix(0, 0), End: time.Unix(3600, 0)}})
	if e, ok := collectors.AsError(err); !ok || e.Kind != collectors.KindThrottled || !strings.Contains(err.Error(), "GetMetricData") {
		t.Fatalf("err = %v", err)
	}
}
