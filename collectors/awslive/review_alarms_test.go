package awslive

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

// History is read per alarm for a few alarms; one flapping alarm must not use
// up the whole item limit so that the others show no history at all (get_alarms
// dates a recovered alarm's incident from it).
func TestReviewAlarmHistoryGivesEachNamedAlarmItsShare(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	item := func(name string, i int) map[string]any {
		return map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "HistoryItemType": "StateUpdate",
			"Timestamp": now.Add(-time.Duration(i) * time.Minute), "HistorySummary": fmt.Sprintf("Alarm updated %d", i), "HistoryData": "{}"}
	}
	c, _ := reviewCloudWatchClient(t, map[string]awsfake.Handler{
		"DescribeAlarmHistory": func(b map[string]any) (map[string]any, *awsfake.APIError) {
			name, _ := b["AlarmName"].(string)
			if name == "a-flapping" {
				var items []any
				for i := 0; i < 100; i++ {
					items = append(items, item(name, i))
				}
				return map[string]any{"AlarmHistoryItems": items, "NextToken": "more"}, nil
			}
			return map[string]any{"AlarmHistoryItems": []any{item(name, 200), item(name, 300)}}, nil
		},
	})
	got, err := c.AlarmHistory(context.Background(), collectors.AlarmHistoryQuery{
		Names: []string{"a-flapping", "b-checkout-5xx"}, Window: collectors.Window{Start: now.Add(-24 * time.Hour), End: now}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, it := range got.Items {
		per[it.AlarmName]++
	}
	if per["b-checkout-5xx"] != 2 {
		t.Errorf("b-checkout-5xx has %d history items, want its 2: %v", per["b-checkout-5xx"], per)
	}
	if len(got.Items) > 100 || got.Partial == "" {
		t.Errorf("%d items, partial %q: want at most the limit, and partial since a-flapping had more", len(got.Items), got.Partial)
	}
}
