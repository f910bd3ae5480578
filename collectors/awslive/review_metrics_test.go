package awslive

import (
	"context"
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
