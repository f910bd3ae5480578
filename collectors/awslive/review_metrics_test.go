package awslive

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/config"
)

func reviewCloudWatchClient(t *testing.T, handlers map[string]awsfake.Handler) (*Client, *awsfake.Server) {
	t.Helper()
	s := awsfake.CloudWatch(t, handlers)
	cfg := config.Default()
	return New(s.Config(), &cfg), s
}

var reviewStat = collectors.MetricStat{Metric: collectors.Metric{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count"}, Stat: "Sum"}

// CloudWatch keeps 1-minute points 15 days and 5-minute points 63 days; a
// finer period for an older start returns no points at all, silently. The
// period sent must be coarsened to what CloudWatch still holds, and the
// caller told.
func TestReviewMetricDataCoarsensThePeriodForOldWindows(t *testing.T) {
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
		c, s := reviewCloudWatchClient(t, map[string]awsfake.Handler{
			"GetMetricData": func(b map[string]any) (map[string]any, *awsfake.APIError) {
				return map[string]any{"MetricDataResults": []any{}}, nil
			},
		})
		start := time.Now().Add(-tc.age).Truncate(time.Hour)
		got, err := c.MetricData(context.Background(), collectors.MetricDataQuery{
			Stats: []collectors.MetricStat{reviewStat}, Window: collectors.Window{Start: start, End: start.Add(time.Hour)}, PeriodSeconds: int32(tc.asked)})
		if err != nil {
			t.Fatal(err)
		}
		q := s.Requests("GetMetricData")[0].Body["MetricDataQueries"].([]any)[0].(map[string]any)
		period := q["MetricStat"].(map[string]any)["Period"].(float64)
		if period != tc.min {
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
func TestReviewMetricDataResultWithoutIDDoesNotPanic(t *testing.T) {
	c, _ := reviewCloudWatchClient(t, map[string]awsfake.Handler{
		"GetMetricData": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			return map[string]any{"MetricDataResults": []any{
				map[string]any{"Label": "no id", "StatusCode": "Complete", "Timestamps": []time.Time{time.Now().Add(-time.Hour)}, "Values": []float64{3}},
			}}, nil
		},
	})
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	got, err := c.MetricData(context.Background(), collectors.MetricDataQuery{
		Stats: []collectors.MetricStat{reviewStat}, Window: collectors.Window{Start: start, End: start.Add(time.Hour)}, PeriodSeconds: 60})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Series[0].Points); n != 0 {
		t.Errorf("a result without an id was attributed to series 0 (%d points)", n)
	}
}
