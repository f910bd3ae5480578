// Package describealarms turns CloudWatch DescribeAlarms output into
// telemetry alarms. The live source gets that output from the SDK and a
// snapshot stores it as the AWS CLI prints it (alarms.json), which decodes
// into the same SDK types, so both read an alarm the same way here.
package describealarms

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// MetricAlarm reads a metric alarm: a single metric with its statistic, or
// metric math / anomaly detection described by its expressions.
func MetricAlarm(m cwtypes.MetricAlarm) telemetry.Alarm {
	a := telemetry.Alarm{
		Name: aws.ToString(m.AlarmName), Kind: "metric", ARN: aws.ToString(m.AlarmArn),
		Description: aws.ToString(m.AlarmDescription), State: string(m.StateValue),
		Reason: aws.ToString(m.StateReason), ReasonData: aws.ToString(m.StateReasonData),
		StateUpdated: aws.ToTime(m.StateUpdatedTimestamp).UTC(),
		Namespace:    aws.ToString(m.Namespace), MetricName: aws.ToString(m.MetricName),
		Dimensions: Dimensions(m.Dimensions), Statistic: string(m.Statistic),
		PeriodSeconds: aws.ToInt32(m.Period), EvaluationPeriods: aws.ToInt32(m.EvaluationPeriods),
		DatapointsToAlarm: aws.ToInt32(m.DatapointsToAlarm), Threshold: m.Threshold,
		Comparison: string(m.ComparisonOperator), TreatMissingData: aws.ToString(m.TreatMissingData),
	}
	if a.Statistic == "" {
		a.Statistic = aws.ToString(m.ExtendedStatistic)
	}
	var ms []evidence.AlarmMetric
	for _, q := range m.Metrics {
		am := evidence.AlarmMetric{ID: aws.ToString(q.Id), Expression: aws.ToString(q.Expression), ReturnData: q.ReturnData, Period: aws.ToInt32(q.Period)}
		tq := telemetry.AlarmMetricQuery{ID: am.ID, Label: aws.ToString(q.Label), Expression: am.Expression, PeriodSeconds: am.Period, ReturnData: q.ReturnData}
		if st := q.MetricStat; st != nil && st.Metric != nil {
			am.Namespace, am.MetricName, am.Dimensions = aws.ToString(st.Metric.Namespace), aws.ToString(st.Metric.MetricName), Dimensions(st.Metric.Dimensions)
			am.Stat, am.Period = aws.ToString(st.Stat), aws.ToInt32(st.Period)
			tq.Metric = &telemetry.MetricStat{Metric: telemetry.Metric{Namespace: am.Namespace, MetricName: am.MetricName, Dimensions: am.Dimensions}, Stat: am.Stat}
			tq.PeriodSeconds = am.Period
		}
		ms = append(ms, am)
		a.Metrics = append(a.Metrics, tq)
	}
	var period int32
	a.ThresholdMetricID = aws.ToString(m.ThresholdMetricId)
	a.Expressions, period = evidence.DescribeAlarmMetrics(ms, a.ThresholdMetricID)
	if a.PeriodSeconds == 0 {
		// Metric-math alarms carry no top-level period.
		a.PeriodSeconds = period
	}
	return a
}

// CompositeAlarm reads a composite alarm, whose rule names other alarms.
func CompositeAlarm(c cwtypes.CompositeAlarm) telemetry.Alarm {
	return telemetry.Alarm{
		Name: aws.ToString(c.AlarmName), Kind: "composite", ARN: aws.ToString(c.AlarmArn),
		Description: aws.ToString(c.AlarmDescription), State: string(c.StateValue),
		Reason: aws.ToString(c.StateReason), ReasonData: aws.ToString(c.StateReasonData),
		StateUpdated: aws.ToTime(c.StateUpdatedTimestamp).UTC(), Rule: aws.ToString(c.AlarmRule),
	}
}

// Dimensions converts CloudWatch dimensions.
func Dimensions(ds []cwtypes.Dimension) []telemetry.Dimension {
	var out []telemetry.Dimension
	for _, d := range ds {
		out = append(out, telemetry.Dimension{Name: aws.ToString(d.Name), Value: aws.ToString(d.Value)})
	}
	return out
}
