package evidence

import (
	"slices"
	"testing"

	"github.com/fa2/fa2/telemetry"
)

func TestRuleAlarms(t *testing.T) {
	for _, c := range []struct {
		rule string
		want []string
	}{
		{`ALARM("a") AND ALARM("b")`, []string{"a", "b"}},
		{`ALARM(cpu-high) AND NOT ALARM(deploy-in-progress)`, []string{"cpu-high", "deploy-in-progress"}},
		{`(ALARM("a") OR OK("b")) AND INSUFFICIENT_DATA( "c" )`, []string{"a", "b", "c"}},
		{`ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders 5xx") OR ALARM("a")`, []string{"orders 5xx", "a"}},
		{`AT_LEAST(2, ALARM, ("x", y, "z")) OR ALARM(w)`, []string{"x", "y", "z", "w"}},
		{`AT_LEAST(60%, NOT OK, (p, q))`, []string{"p", "q"}},
		{`ALARM("name (with parens)") OR TRUE`, []string{"name (with parens)"}},
		{`ALARM(a) OR ALARM(a)`, []string{"a"}},
		{`TRUE`, nil},
		{`ALARM("unterminated`, nil},
		{``, nil},
	} {
		if got := RuleAlarms(c.rule); !slices.Equal(got, c.want) {
			t.Errorf("RuleAlarms(%q) = %q, want %q", c.rule, got, c.want)
		}
	}
}

func ptrBool(b bool) *bool { return &b }

func mathAlarm() telemetry.Alarm {
	tg := []telemetry.Dimension{{Name: "TargetGroup", Value: "targetgroup/orders/7"}, {Name: "LoadBalancer", Value: "app/edge/3"}}
	return telemetry.Alarm{Name: "orders-5xx-rate", Kind: "metric", State: "ALARM", Metrics: []telemetry.AlarmMetricQuery{
		{ID: "e1", Expression: "100*m1/m2", Label: "5xx rate", ReturnData: ptrBool(true)},
		{ID: "m1", Metric: &telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: tg}, Stat: "Sum"}, PeriodSeconds: 60, ReturnData: ptrBool(false)},
		{ID: "m2", Metric: &telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "RequestCount", Dimensions: tg}}, PeriodSeconds: 60, ReturnData: ptrBool(false)},
	}}
}

func TestAlarmMetricStatsOfAMathAlarm(t *testing.T) {
	a := mathAlarm()
	ms := AlarmMetricStats(a)
	if len(ms) != 2 || ms[0].Metric.MetricName != "HTTPCode_Target_5XX_Count" || ms[0].Stat != "Sum" ||
		ms[1].Metric.MetricName != "RequestCount" || ms[1].Stat != DefaultStat("RequestCount") {
		t.Errorf("metric stats %+v", ms)
	}
	if d := AlarmDimensions(a); len(d) != 2 || d[0].Value != "targetgroup/orders/7" || d[1].Value != "app/edge/3" {
		t.Errorf("dimensions %+v", d)
	}
	if WatchesDirectly(a, ms[0].Metric) {
		t.Error("a math alarm's threshold is on its expression, not on m1")
	}
	plain := telemetry.Alarm{Namespace: "AWS/Lambda", MetricName: "Errors", Statistic: "Sum", Dimensions: []telemetry.Dimension{{Name: "FunctionName", Value: "pay"}}}
	if ms := AlarmMetricStats(plain); len(ms) != 1 || ms[0].Stat != "Sum" || !WatchesDirectly(plain, ms[0].Metric) {
		t.Errorf("plain alarm %+v", ms)
	}
	if ms := AlarmMetricStats(telemetry.Alarm{Kind: "composite", Rule: `ALARM(a)`}); len(ms) != 0 {
		t.Errorf("composite reads %+v", ms)
	}
	// A metric the math alarm combines scores as watched, one sharing its
	// target group as related.
	if s, why := ScoreAlarms(ms[0].Metric, []telemetry.Alarm{a}); s != 4 {
		t.Errorf("m1 scores %g %v", s, why)
	}
	other := telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "UnHealthyHostCount", Dimensions: []telemetry.Dimension{{Name: "TargetGroup", Value: "targetgroup/orders/7"}}}
	if s, _ := ScoreAlarms(other, []telemetry.Alarm{a}); s != 2 {
		t.Errorf("a metric sharing the target group scores %g", s)
	}
}

func TestDescribeMeasure(t *testing.T) {
	want := `100*m1/m2 ("5xx rate") where m1 = AWS/ApplicationELB HTTPCode_Target_5XX_Count (TargetGroup=targetgroup/orders/7, LoadBalancer=app/edge/3) Sum 60s, m2 = AWS/ApplicationELB RequestCount (TargetGroup=targetgroup/orders/7, LoadBalancer=app/edge/3) 60s`
	if got := DescribeMeasure(mathAlarm()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Nested expressions and no ReturnData marks: the first entry that is
	// not the band is evaluated, the others are listed.
	nested := telemetry.Alarm{Metrics: []telemetry.AlarmMetricQuery{
		{ID: "e2", Expression: "e1*2"}, {ID: "e1", Expression: "SUM(METRICS())"},
		{ID: "q", Expression: `SELECT AVG(CPUUtilization) FROM "AWS/EC2"`},
	}}
	if got := DescribeMeasure(nested); got != `e1*2 where e1 = SUM(METRICS()), q = SELECT AVG(CPUUtilization) FROM "AWS/EC2"` {
		t.Errorf("nested %q", got)
	}
	if DescribeMeasure(telemetry.Alarm{MetricName: "Errors"}) != "" {
		t.Error("a plain alarm has no measure line")
	}
}

func TestAlarmsBehindAComposite(t *testing.T) {
	rate := mathAlarm()
	db := telemetry.Alarm{Name: "db-cpu", Kind: "metric", State: "OK", Namespace: "AWS/RDS", MetricName: "CPUUtilization", Dimensions: []telemetry.Dimension{{Name: "DBClusterIdentifier", Value: "orders-db"}}}
	top := telemetry.Alarm{Name: "orders-down", Kind: "composite", State: "ALARM", Rule: `ALARM("orders-degraded") AND NOT ALARM(maintenance)`}
	mid := telemetry.Alarm{Name: "orders-degraded", Kind: "composite", State: "ALARM", Rule: `ALARM("orders-5xx-rate") OR ALARM("db-cpu") OR ALARM("orders-down")`}
	all := []telemetry.Alarm{top, mid, rate, db}
	firing := func(a telemetry.Alarm) bool { return a.State == "ALARM" }
	got := AlarmNames(AlarmsBehind([]telemetry.Alarm{top}, all, firing))
	// db-cpu did not fire, maintenance is not known, and the cycle back to
	// orders-down stops.
	if !slices.Equal(got, []string{"orders-down", "orders-degraded", "orders-5xx-rate"}) {
		t.Errorf("behind orders-down: %q", got)
	}
	if got := AlarmNames(AlarmsBehind([]telemetry.Alarm{mid}, all, nil)); !slices.Equal(got, []string{"orders-degraded", "orders-5xx-rate", "db-cpu", "orders-down"}) {
		t.Errorf("every named alarm: %q", got)
	}
	// Nothing is known to have fired (no history): all the named alarms.
	quiet := []telemetry.Alarm{mid, {Name: "orders-5xx-rate", State: "OK"}, db}
	if got := AlarmNames(AlarmsBehind([]telemetry.Alarm{mid}, quiet, firing)); !slices.Equal(got, []string{"orders-degraded", "orders-5xx-rate", "db-cpu"}) {
		t.Errorf("no history: %q", got)
	}
	// The composite's reason data names its triggering alarm.
	mid.ReasonData = `{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:db-cpu","state":{"value":"ALARM","timestamp":"2026-11-20T09:20:00.000+0000"}}]}`
	if got := AlarmNames(AlarmsBehind([]telemetry.Alarm{mid}, quiet, firing)); !slices.Equal(got, []string{"orders-degraded", "db-cpu"}) {
		t.Errorf("triggering: %q", got)
	}
}
