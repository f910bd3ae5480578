package evidence

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

type fixtureAlarm struct {
	AlarmName          string
	StateReasonData    string
	ComparisonOperator string
	ThresholdMetricId  string
	Metrics            []struct {
		Id, Expression string
		ReturnData     *bool
		MetricStat     *struct {
			Metric struct {
				Namespace, MetricName string
				Dimensions            []struct{ Name, Value string }
			}
			Period int32
			Stat   string
		}
	}
}

// loadAlarmFixtures reads testdata/alarms/describe-alarms.json (see its README).
func loadAlarmFixtures(t *testing.T) map[string]fixtureAlarm {
	t.Helper()
	raw, err := os.ReadFile("testdata/alarms/describe-alarms.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ MetricAlarms, CompositeAlarms []fixtureAlarm }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	out := map[string]fixtureAlarm{}
	for _, a := range append(f.MetricAlarms, f.CompositeAlarms...) {
		out[a.AlarmName] = a
	}
	return out
}

func metricsOf(a fixtureAlarm) []AlarmMetric {
	var ms []AlarmMetric
	for _, m := range a.Metrics {
		am := AlarmMetric{ID: m.Id, Expression: m.Expression, ReturnData: m.ReturnData}
		if s := m.MetricStat; s != nil {
			am.Namespace, am.MetricName, am.Stat, am.Period = s.Metric.Namespace, s.Metric.MetricName, s.Stat, s.Period
			for _, d := range s.Metric.Dimensions {
				am.Dimensions = append(am.Dimensions, telemetry.Dimension{Name: d.Name, Value: d.Value})
			}
		}
		ms = append(ms, am)
	}
	return ms
}

// Issue 18 item 8: expressions keep their dimensions, mark the evaluated
// series and the band, and give the period metric-math alarms lack.
func TestDescribeAlarmMetrics(t *testing.T) {
	fx := loadAlarmFixtures(t)
	exprs, period := DescribeAlarmMetrics(metricsOf(fx["orders-5xx-rate"]), "")
	want := []string{
		"e1: 100 * m2 / m1 (evaluated)",
		"m1: AWS/ApplicationELB RequestCount LoadBalancer=app/orders-alb/50dc6c495c0c9188 Sum 300s",
		"m2: AWS/ApplicationELB HTTPCode_Target_5XX_Count LoadBalancer=app/orders-alb/50dc6c495c0c9188 Sum 300s",
	}
	if strings.Join(exprs, "\n") != strings.Join(want, "\n") || period != 300 {
		t.Errorf("exprs = %q, period %d", exprs, period)
	}
	a := fx["orders-latency-anomaly"]
	exprs, period = DescribeAlarmMetrics(metricsOf(a), a.ThresholdMetricId)
	if period != 60 || len(exprs) != 2 || exprs[1] != "ad1: ANOMALY_DETECTION_BAND(m1, 2) (threshold)" ||
		!strings.Contains(exprs[0], "TargetGroup=targetgroup/orders-ecs/73e2d6bc24d8a067 p99 60s (evaluated)") {
		t.Errorf("anomaly exprs = %q, period %d", exprs, period)
	}
}

// Issue 18 item 8: band reason data marks the datapoints outside the band.
func TestAnomalyBandReasonData(t *testing.T) {
	fx := loadAlarmFixtures(t)
	a := fx["orders-latency-anomaly"]
	rd := ParseReasonData([]byte(a.StateReasonData), a.ComparisonOperator)
	if rd == nil || len(rd.Datapoints) != 2 || rd.Datapoints[0].Breaching || !rd.Datapoints[1].Breaching ||
		!rd.Datapoints[1].Timestamp.Equal(time.Date(2025, 12, 1, 10, 1, 0, 0, time.UTC)) {
		t.Errorf("band datapoints = %+v", rd)
	}
	b := fx["orders-upper-anomaly"]
	rd = ParseReasonData([]byte(b.StateReasonData), b.ComparisonOperator)
	if rd == nil || len(rd.Datapoints) != 1 || !rd.Datapoints[0].Breaching || rd.Datapoints[0].Value != 655 {
		t.Errorf("evaluated band datapoints = %+v", rd)
	}
}

// Issue 18 item 8: a composite alarm's triggeringAlarms are read, and the
// suggested window starts from the first of them.
func TestCompositeTriggeringAlarms(t *testing.T) {
	fx := loadAlarmFixtures(t)
	c := fx["orders-degraded"]
	rd := ParseReasonData([]byte(c.StateReasonData), "")
	if rd == nil || len(rd.Triggering) != 2 || rd.Triggering[0].Name != "orders-5xx-rate" || rd.Triggering[0].State != "ALARM" ||
		!rd.Triggering[1].Since.Equal(time.Date(2025, 12, 1, 10, 3, 4, 655e6, time.UTC)) {
		t.Fatalf("triggering = %+v", rd)
	}
	composite := telemetry.Alarm{Name: c.AlarmName, Kind: "composite", State: "ALARM", StateUpdated: time.Date(2025, 12, 1, 10, 5, 31, 0, time.UTC), ReasonData: c.StateReasonData}
	w := SuggestWindow([]telemetry.Alarm{composite}, nil, time.Date(2025, 12, 1, 11, 0, 0, 0, time.UTC))
	if w == nil || !w.Start.Equal(time.Date(2025, 12, 1, 9, 48, 4, 655e6, time.UTC)) {
		t.Errorf("composite window = %+v", w)
	}
	// A metric-math alarm without breaching datapoints still covers its
	// evaluation range, from its metrics' period.
	_, period := DescribeAlarmMetrics(metricsOf(fx["orders-5xx-rate"]), "")
	math := telemetry.Alarm{Name: "m", State: "ALARM", PeriodSeconds: period, EvaluationPeriods: 2, StateUpdated: time.Date(2025, 12, 1, 10, 5, 30, 0, time.UTC)}
	w = SuggestWindow([]telemetry.Alarm{math}, nil, time.Date(2025, 12, 1, 11, 0, 0, 0, time.UTC))
	if w == nil || !w.Start.Equal(time.Date(2025, 12, 1, 9, 40, 30, 0, time.UTC)) {
		t.Errorf("metric-math window = %+v", w)
	}
}
