package snapshot

import (
	"encoding/json"
	"reflect"
	"testing"

	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fa2/fa2/collectors/describealarms"
	"github.com/fa2/fa2/telemetry"
)

// TestMathAlarmsSurviveCapture writes the real-world metric-math and
// anomaly-detection alarms as a capture does and reads them back: each
// metric with its dimensions and statistic, the expressions with their
// labels and the band's id must come through, or a captured snapshot loses
// what its alarms watch.
func TestMathAlarmsSurviveCapture(t *testing.T) {
	s, err := Open("testdata/realworld")
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.Alarms(ctx, telemetry.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	metric, composite := alarmDocuments(list.Alarms)
	doc, _ := json.Marshal(map[string]any{"MetricAlarms": metric, "CompositeAlarms": composite})
	var raw struct {
		MetricAlarms    []cwtypes.MetricAlarm
		CompositeAlarms []cwtypes.CompositeAlarm
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		t.Fatal(err)
	}
	back := map[string]telemetry.Alarm{}
	for _, m := range raw.MetricAlarms {
		a := describealarms.MetricAlarm(m)
		back[a.Name] = a
	}
	for _, c := range raw.CompositeAlarms {
		a := describealarms.CompositeAlarm(c)
		back[a.Name] = a
	}
	math := 0
	for _, a := range list.Alarms {
		b, ok := back[a.Name]
		if !ok {
			t.Errorf("%s lost", a.Name)
			continue
		}
		if len(a.Metrics) > 0 {
			math++
		}
		if !reflect.DeepEqual(a.Metrics, b.Metrics) || a.ThresholdMetricID != b.ThresholdMetricID || !reflect.DeepEqual(a.Expressions, b.Expressions) || a.Rule != b.Rule {
			t.Errorf("%s changed:\n%+v\n%+v", a.Name, a, b)
		}
	}
	if math < 2 {
		t.Fatalf("%d math alarms in the fixture, want the rate and the anomaly alarms", math)
	}
}
