package describealarms

import (
	"encoding/json"
	"testing"
	"time"

	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// cliOutput is `aws cloudwatch describe-alarms` output, as a snapshot
// stores it: it must decode into the SDK's types with nothing lost.
const cliOutput = `{
  "MetricAlarms": [
    {"AlarmName": "checkout-5xx", "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-5xx",
     "StateValue": "ALARM", "StateReason": "Threshold Crossed", "StateReasonData": "{\"version\":\"1.0\"}",
     "StateUpdatedTimestamp": "2026-11-20T09:23:00.000+09:00",
     "Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count",
     "Dimensions": [{"Name": "LoadBalancer", "Value": "app/prod/1"}],
     "ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 3, "DatapointsToAlarm": 2,
     "Threshold": 10.0, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"},
    {"AlarmName": "error-rate", "StateValue": "OK", "StateUpdatedTimestamp": "2026-11-20T08:00:00Z",
     "EvaluationPeriods": 1, "Threshold": 5, "ComparisonOperator": "GreaterThanThreshold",
     "Metrics": [
       {"Id": "e1", "Expression": "100*m1/m2", "Label": "error %", "ReturnData": true},
       {"Id": "m1", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": [{"Name": "FunctionName", "Value": "pay"}]}, "Period": 300, "Stat": "Sum"}},
       {"Id": "m2", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Invocations"}, "Period": 120, "Stat": "Sum"}}
     ]},
    {"AlarmName": "duration-band", "StateValue": "ALARM", "StateUpdatedTimestamp": "2026-11-20T09:10:00Z",
     "EvaluationPeriods": 1, "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold", "ThresholdMetricId": "ad1",
     "Metrics": [
       {"Id": "m1", "ReturnData": true, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Duration", "Dimensions": [{"Name": "FunctionName", "Value": "pay"}]}, "Period": 60, "Stat": "Average"}},
       {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "Label": "Duration (expected)", "ReturnData": true}
     ]}
  ],
  "CompositeAlarms": [
    {"AlarmName": "checkout-down", "AlarmRule": "ALARM(checkout-5xx) OR ALARM(error-rate)", "StateValue": "ALARM",
     "StateUpdatedTimestamp": "2026-11-20T09:24:00Z"}
  ]
}`

func TestCLIOutputConverts(t *testing.T) {
	var raw struct {
		MetricAlarms    []cwtypes.MetricAlarm
		CompositeAlarms []cwtypes.CompositeAlarm
	}
	if err := json.Unmarshal([]byte(cliOutput), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.MetricAlarms) != 3 || len(raw.CompositeAlarms) != 1 {
		t.Fatalf("decoded %d metric and %d composite alarms", len(raw.MetricAlarms), len(raw.CompositeAlarms))
	}
	a := MetricAlarm(raw.MetricAlarms[0])
	if a.Name != "checkout-5xx" || a.Kind != "metric" || a.State != "ALARM" || a.Statistic != "p99" || a.PeriodSeconds != 60 ||
		a.EvaluationPeriods != 3 || a.DatapointsToAlarm != 2 || a.Threshold == nil || *a.Threshold != 10 ||
		a.Comparison != "GreaterThanThreshold" || a.TreatMissingData != "notBreaching" || a.ReasonData != `{"version":"1.0"}` {
		t.Errorf("metric alarm: %+v", a)
	}
	if want := time.Date(2026, 11, 20, 0, 23, 0, 0, time.UTC); !a.StateUpdated.Equal(want) || a.StateUpdated.Location() != time.UTC {
		t.Errorf("state updated %v, want %v in UTC", a.StateUpdated, want)
	}
	if len(a.Dimensions) != 1 || a.Dimensions[0].Name != "LoadBalancer" || a.Dimensions[0].Value != "app/prod/1" {
		t.Errorf("dimensions %+v", a.Dimensions)
	}
	m := MetricAlarm(raw.MetricAlarms[1])
	if m.PeriodSeconds != 300 {
		t.Errorf("metric-math alarm period %d, want the longest of its metrics (300)", m.PeriodSeconds)
	}
	if len(m.Expressions) != 3 || m.Expressions[0] != "e1: 100*m1/m2 (evaluated)" || m.Expressions[1] != "m1: AWS/Lambda Errors FunctionName=pay Sum 300s" {
		t.Errorf("expressions %q", m.Expressions)
	}
	// The structured queries: what the alarm reads, for the engine.
	if len(m.Metrics) != 3 || m.Metrics[0].ID != "e1" || m.Metrics[0].Label != "error %" || m.Metrics[0].ReturnData == nil || !*m.Metrics[0].ReturnData {
		t.Fatalf("metric-math queries %+v", m.Metrics)
	}
	if q := m.Metrics[1]; q.Metric == nil || q.Metric.Metric.Namespace != "AWS/Lambda" || q.Metric.Metric.MetricName != "Errors" || q.Metric.Stat != "Sum" ||
		q.PeriodSeconds != 300 || len(q.Metric.Metric.Dimensions) != 1 || q.Metric.Metric.Dimensions[0].Value != "pay" {
		t.Errorf("m1 = %+v", q)
	}
	if q := m.Metrics[2]; q.Metric == nil || q.Metric.Metric.MetricName != "Invocations" || q.PeriodSeconds != 120 || len(q.Metric.Metric.Dimensions) != 0 {
		t.Errorf("m2 = %+v", q)
	}
	band := MetricAlarm(raw.MetricAlarms[2])
	if band.ThresholdMetricID != "ad1" || band.Threshold != nil || len(band.Metrics) != 2 || band.Metrics[1].Expression != "ANOMALY_DETECTION_BAND(m1, 2)" ||
		band.Metrics[0].Metric == nil || band.Metrics[0].Metric.Stat != "Average" || band.PeriodSeconds != 60 {
		t.Errorf("anomaly alarm %+v", band)
	}
	c := CompositeAlarm(raw.CompositeAlarms[0])
	if c.Kind != "composite" || c.Rule != "ALARM(checkout-5xx) OR ALARM(error-rate)" || c.State != "ALARM" {
		t.Errorf("composite: %+v", c)
	}
}
