package awslive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

func metricAlarm(name, state string) map[string]any {
	return map[string]any{
		"AlarmName": name, "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name,
		"StateValue": state, "StateReason": "Threshold Crossed", "StateReasonData": `{"threshold":5.0,"evaluatedDatapoints":[{"timestamp":"2026-11-20T09:25:00.000+0000","value":48.0}]}`,
		"StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC),
		"Namespace":             "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Statistic": "Sum",
		"Dimensions": []any{map[string]any{"Name": "TargetGroup", "Value": "targetgroup/tg/1"}},
		"Period":     60, "EvaluationPeriods": 3, "Threshold": 5.0, "ComparisonOperator": "GreaterThanThreshold",
	}
}

func TestAlarmsPaginatesAndSendsFilters(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("DescribeAlarms", func(c awsfake.Call) awsfake.Reply {
		if c.Params["NextToken"] == nil {
			return awsfake.OK(map[string]any{"MetricAlarms": []any{metricAlarm("b-5xx", "ALARM")}, "NextToken": "p2"})
		}
		return awsfake.OK(map[string]any{"CompositeAlarms": []any{map[string]any{
			"AlarmName": "a-composite", "AlarmRule": `ALARM("b-5xx")`, "StateValue": "ALARM",
			"StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 26, 1, 0, time.UTC),
		}}})
	})
	got, err := fakeClient(s, nil).Alarms(context.Background(), telemetry.AlarmQuery{State: "ALARM", NamePrefix: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Alarms) != 2 || got.Alarms[0].Name != "a-composite" || got.Alarms[0].Rule != `ALARM("b-5xx")` || got.Alarms[0].Kind != "composite" {
		t.Fatalf("alarms = %+v", got.Alarms)
	}
	a := got.Alarms[1]
	if a.Threshold == nil || *a.Threshold != 5 || a.PeriodSeconds != 60 || a.Dimensions[0].Value != "targetgroup/tg/1" || !strings.Contains(a.ReasonData, "evaluatedDatapoints") {
		t.Errorf("metric alarm = %+v", a)
	}
	reqs := s.Calls("DescribeAlarms")
	if len(reqs) != 2 || reqs[1].Params["NextToken"] != "p2" {
		t.Fatalf("requests = %+v", reqs)
	}
	b := reqs[0].Params
	if b["StateValue"] != "ALARM" || b["AlarmNamePrefix"] != "b" || fmt.Sprint(b["AlarmTypes"]) != "[MetricAlarm CompositeAlarm LogAlarm]" {
		t.Errorf("sent %v", b)
	}
}

// A log alarm, shaped as DescribeAlarms returns it (LogAlarms, members of
// cloudwatch/types.LogAlarm): listed with its query and log groups. Without
// LogAlarm in AlarmTypes AWS would leave it out, so the request is checked
// too, for the list and for the history.
func TestLogAlarmsAreAskedForAndRead(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("DescribeAlarms", func(c awsfake.Call) awsfake.Reply {
		if !strings.Contains(fmt.Sprint(c.Params["AlarmTypes"]), "LogAlarm") {
			return awsfake.OK(map[string]any{}) // what AWS does: metric alarms only, and there are none
		}
		return awsfake.OK(map[string]any{"LogAlarms": []any{map[string]any{
			"AlarmName": "checkout-errors", "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors",
			"StateValue": "ALARM", "StateReason": "Threshold Crossed: 3 out of the last 3 query results were greater than the threshold (10.0)",
			"StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 27, 0, 0, time.UTC),
			"ComparisonOperator":    "GreaterThanThreshold", "Threshold": 10.0, "QueryResultsToEvaluate": 3, "QueryResultsToAlarm": 3,
			"ScheduledQueryConfiguration": map[string]any{
				"QueryString":           `filter @message like "ERROR"`,
				"AggregationExpression": "count(*)",
				"LogGroupIdentifiers":   []any{"/ecs/checkout", "arn:aws:logs:us-east-1:210987654321:log-group:/ecs/payments"},
				"ScheduledQueryRoleARN": "arn:aws:iam::123456789012:role/alarm-query",
				"ScheduleConfiguration": map[string]any{},
			},
		}}})
	})
	s.Handle("DescribeAlarmHistory", func(c awsfake.Call) awsfake.Reply {
		if !strings.Contains(fmt.Sprint(c.Params["AlarmTypes"]), "LogAlarm") {
			return awsfake.OK(map[string]any{})
		}
		return awsfake.OK(map[string]any{"AlarmHistoryItems": []any{map[string]any{
			"AlarmName": "checkout-errors", "AlarmType": "LogAlarm", "Timestamp": time.Date(2026, 11, 20, 9, 27, 0, 0, time.UTC),
			"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": `{"newState":{"stateValue":"ALARM"}}`,
		}}})
	})
	c := fakeClient(s, nil)
	got, err := c.Alarms(context.Background(), telemetry.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Alarms) != 1 {
		t.Fatalf("alarms = %+v, want the log alarm", got.Alarms)
	}
	a := got.Alarms[0]
	if a.Kind != "log" || a.State != "ALARM" || a.Query != `filter @message like "ERROR" | count(*)` || len(a.LogGroups) != 2 ||
		a.Threshold == nil || *a.Threshold != 10 || a.EvaluationPeriods != 3 || a.Comparison != "GreaterThanThreshold" {
		t.Errorf("log alarm = %+v", a)
	}
	h, err := c.AlarmHistory(context.Background(), telemetry.AlarmHistoryQuery{Names: []string{"checkout-errors"}})
	if err != nil || len(h.Items) != 1 {
		t.Fatalf("history = %+v, %v; want the log alarm's state change", h, err)
	}
}

func TestAlarmHistoryAsksPerAlarmWithinTheWindow(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("DescribeAlarmHistory", func(c awsfake.Call) awsfake.Reply {
		return awsfake.OK(map[string]any{"AlarmHistoryItems": []any{map[string]any{
			"AlarmName": c.Params["AlarmName"], "Timestamp": time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC),
			"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": `{"newState":{"stateValue":"ALARM"}}`,
		}}})
	})
	w := telemetry.Window{Start: time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	got, err := fakeClient(s, nil).AlarmHistory(context.Background(), telemetry.AlarmHistoryQuery{Names: []string{"x", "y"}, Window: w, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 {
		t.Fatalf("items = %+v", got.Items)
	}
	reqs := s.Calls("DescribeAlarmHistory")
	if len(reqs) != 2 || reqs[0].Params["AlarmName"] != "x" || reqs[1].Params["AlarmName"] != "y" {
		t.Fatalf("requests = %+v", reqs)
	}
	b := reqs[0].Params
	if b["HistoryItemType"] != "StateUpdate" || b["ScanBy"] != "TimestampDescending" || !b["StartDate"].(time.Time).Equal(w.Start) || !b["EndDate"].(time.Time).Equal(w.End) {
		t.Errorf("sent %v", b)
	}
}

func TestCloudWatchErrorsAreActionable(t *testing.T) {
	checkErrors(t, "DescribeAlarms", []errorCase{
		{awsfake.Throttled("Throttling"), telemetry.KindThrottled, "wait"},
		{awsfake.Denied(), telemetry.KindAccessDenied, "cloudwatch:DescribeAlarms"},
		{awsfake.Error("InvalidParameterValue", "bad state"), telemetry.KindInvalidInput, "Fix the request"},
	}, func(c *Client) error {
		_, err := c.Alarms(context.Background(), telemetry.AlarmQuery{})
		return err
	})
}

// History is read per alarm for a few alarms; one flapping alarm must not use
// up the whole item limit so that the others show no history at all (get_alarms
// dates a recovered alarm's incident from it).
func TestAlarmHistoryGivesEachNamedAlarmItsShare(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	item := func(name string, i int) map[string]any {
		return map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "HistoryItemType": "StateUpdate",
			"Timestamp": now.Add(-time.Duration(i) * time.Minute), "HistorySummary": fmt.Sprintf("Alarm updated %d", i), "HistoryData": "{}"}
	}
	s := awsfake.New(t)
	s.Handle("DescribeAlarmHistory", func(c awsfake.Call) awsfake.Reply {
		name := c.Str("AlarmName")
		if name == "a-flapping" {
			var items []any
			for i := 0; i < 100; i++ {
				items = append(items, item(name, i))
			}
			return awsfake.OK(map[string]any{"AlarmHistoryItems": items, "NextToken": "more"})
		}
		return awsfake.OK(map[string]any{"AlarmHistoryItems": []any{item(name, 200), item(name, 300)}})
	})
	got, err := fakeClient(s, nil).AlarmHistory(context.Background(), telemetry.AlarmHistoryQuery{
		Names: []string{"a-flapping", "b-checkout-5xx"}, Window: telemetry.Window{Start: now.Add(-24 * time.Hour), End: now}, Limit: 100})
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

// Issue 18 item 8: an anomaly-detection alarm's ThresholdMetricId, its
// metrics' dimensions and period come through DescribeAlarms.
func TestAnomalyDetectionAlarm(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("DescribeAlarms", awsfake.Always(awsfake.OK(map[string]any{"MetricAlarms": []any{map[string]any{
		"AlarmName": "latency-band", "StateValue": "ALARM", "StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC),
		"EvaluationPeriods": 2, "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold", "ThresholdMetricId": "ad1",
		"Metrics": []any{
			map[string]any{"Id": "m1", "ReturnData": true, "MetricStat": map[string]any{"Period": 60, "Stat": "p99",
				"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime",
					"Dimensions": []any{map[string]any{"Name": "LoadBalancer", "Value": "app/orders-alb/1"}}}}},
			map[string]any{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": true},
		},
	}}})))
	got, err := fakeClient(s, nil).Alarms(context.Background(), telemetry.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	a := got.Alarms[0]
	if a.ThresholdMetricID != "ad1" || a.PeriodSeconds != 60 || len(a.Expressions) != 2 ||
		a.Expressions[0] != "m1: AWS/ApplicationELB TargetResponseTime LoadBalancer=app/orders-alb/1 p99 60s (evaluated)" ||
		a.Expressions[1] != "ad1: ANOMALY_DETECTION_BAND(m1, 2) (threshold)" {
		t.Errorf("alarm = %+v", a)
	}
}

// A metric-math alarm read live keeps each metric it combines (namespace,
// name, dimensions, statistic, period) and each expression with its label,
// so the alarm can be linked to the load balancer and target group it
// watches; an anomaly-detection alarm keeps its band's id; a composite
// alarm's rule names its alarms, by name or ARN.
func TestMetricMathAndCompositeAlarmsLive(t *testing.T) {
	tg := []any{map[string]any{"Name": "TargetGroup", "Value": "targetgroup/orders/7"}, map[string]any{"Name": "LoadBalancer", "Value": "app/edge/3"}}
	s := awsfake.New(t)
	s.Handle("DescribeAlarms", awsfake.Always(awsfake.OK(map[string]any{
		"MetricAlarms": []any{
			map[string]any{
				"AlarmName": "orders-5xx-rate", "StateValue": "ALARM", "StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC),
				"EvaluationPeriods": 3, "Threshold": 2.0, "ComparisonOperator": "GreaterThanThreshold",
				"Metrics": []any{
					map[string]any{"Id": "e1", "Expression": "100*m1/m2", "Label": "5xx rate", "ReturnData": true},
					map[string]any{"Id": "m1", "ReturnData": false, "MetricStat": map[string]any{"Period": 60, "Stat": "Sum",
						"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": tg}}},
					map[string]any{"Id": "m2", "ReturnData": false, "MetricStat": map[string]any{"Period": 60, "Stat": "Sum",
						"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": tg}}},
				},
			},
			map[string]any{
				"AlarmName": "orders-latency-band", "StateValue": "OK", "StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
				"EvaluationPeriods": 2, "ComparisonOperator": "GreaterThanUpperThreshold", "ThresholdMetricId": "ad1",
				"Metrics": []any{
					map[string]any{"Id": "m1", "ReturnData": true, "MetricStat": map[string]any{"Period": 300, "Stat": "p99",
						"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime", "Dimensions": tg}}},
					map[string]any{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "Label": "TargetResponseTime (expected)", "ReturnData": true},
				},
			},
		},
		"CompositeAlarms": []any{map[string]any{
			"AlarmName": "orders-degraded", "StateValue": "ALARM", "StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 27, 0, 0, time.UTC),
			"AlarmRule": `ALARM("orders-5xx-rate") OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-latency-band)`,
		}},
	})))
	got, err := fakeClient(s, nil).Alarms(context.Background(), telemetry.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]telemetry.Alarm{}
	for _, a := range got.Alarms {
		byName[a.Name] = a
	}
	rate := byName["orders-5xx-rate"]
	if len(rate.Metrics) != 3 || rate.Metrics[0].Label != "5xx rate" || rate.Metrics[0].Expression != "100*m1/m2" || rate.Metrics[0].Metric != nil {
		t.Fatalf("math alarm metrics = %+v", rate.Metrics)
	}
	m1 := rate.Metrics[1]
	if m1.Metric == nil || m1.Metric.Metric.MetricName != "HTTPCode_Target_5XX_Count" || m1.Metric.Stat != "Sum" || m1.PeriodSeconds != 60 ||
		len(m1.Metric.Metric.Dimensions) != 2 || m1.Metric.Metric.Dimensions[0] != (telemetry.Dimension{Name: "TargetGroup", Value: "targetgroup/orders/7"}) ||
		m1.ReturnData == nil || *m1.ReturnData {
		t.Errorf("m1 = %+v %+v", m1, m1.Metric)
	}
	if want := `100*m1/m2 ("5xx rate") where m1 = AWS/ApplicationELB HTTPCode_Target_5XX_Count (TargetGroup=targetgroup/orders/7, LoadBalancer=app/edge/3) Sum 60s, m2 = AWS/ApplicationELB RequestCount (TargetGroup=targetgroup/orders/7, LoadBalancer=app/edge/3) Sum 60s`; evidence.DescribeMeasure(rate) != want {
		t.Errorf("measure\n%s\nwant\n%s", evidence.DescribeMeasure(rate), want)
	}
	band := byName["orders-latency-band"]
	if band.ThresholdMetricID != "ad1" || band.PeriodSeconds != 300 || len(band.Metrics) != 2 || band.Metrics[1].Expression != "ANOMALY_DETECTION_BAND(m1, 2)" {
		t.Errorf("anomaly alarm = %+v", band)
	}
	if want := "m1 against ANOMALY_DETECTION_BAND(m1, 2) where m1 = AWS/ApplicationELB TargetResponseTime (TargetGroup=targetgroup/orders/7, LoadBalancer=app/edge/3) p99 300s"; evidence.DescribeMeasure(band) != want {
		t.Errorf("band measure %q", evidence.DescribeMeasure(band))
	}
	comp := byName["orders-degraded"]
	if names := evidence.RuleAlarms(comp.Rule); len(names) != 2 || names[0] != "orders-5xx-rate" || names[1] != "orders-latency-band" {
		t.Errorf("composite %q names %q", comp.Rule, names)
	}
}
