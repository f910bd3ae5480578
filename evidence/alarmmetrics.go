package evidence

import (
	"fmt"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// AlarmMetric is one entry of a metric-math or anomaly-detection alarm's
// Metrics (a MetricDataQuery), as both alarm readers decode it.
type AlarmMetric struct {
	ID         string
	Expression string
	Namespace  string
	MetricName string
	Dimensions []telemetry.Dimension
	Stat       string
	Period     int32
	// ReturnData is nil when absent (CloudWatch then returns the series).
	ReturnData *bool
}

// DescribeAlarmMetrics renders an alarm's metrics for reading, keeping
// each metric's dimensions (which load balancer, which function), and
// returns the period the alarm evaluates: the longest period among them,
// since metric-math alarms carry no top-level Period.
func DescribeAlarmMetrics(ms []AlarmMetric, thresholdID string) (exprs []string, period int32) {
	for _, m := range ms {
		var line string
		switch {
		case m.Expression != "":
			line = m.ID + ": " + m.Expression
		case m.MetricName != "":
			line = fmt.Sprintf("%s: %s %s", m.ID, m.Namespace, m.MetricName)
			for _, d := range m.Dimensions {
				line += " " + d.Name + "=" + d.Value
			}
			line += " " + m.Stat
			if m.Period > 0 {
				line += fmt.Sprintf(" %ds", m.Period)
			}
		default:
			continue
		}
		switch {
		case m.ID == thresholdID && thresholdID != "":
			line += " (threshold)"
		case m.ReturnData != nil && *m.ReturnData && len(ms) > 1:
			line += " (evaluated)"
		}
		exprs = append(exprs, strings.TrimSpace(line))
		period = max(period, m.Period)
	}
	return exprs, period
}
