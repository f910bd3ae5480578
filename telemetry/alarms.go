package telemetry

import (
	"time"
)

// Alarm states, as CloudWatch spells them.
const (
	AlarmStateAlarm            = "ALARM"
	AlarmStateOK               = "OK"
	AlarmStateInsufficientData = "INSUFFICIENT_DATA"
)

// AlarmQuery selects alarms. Empty fields do not filter.
type AlarmQuery struct {
	State      string
	Names      []string
	NamePrefix string
}

// Alarm is a metric, composite or log alarm, reduced to what an
// investigation needs. Metric-only fields are empty for the other kinds, and
// so on. A log alarm evaluates a scheduled CloudWatch Logs Insights query.
type Alarm struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"` // "metric", "composite" or "log"
	ARN         string `json:"arn,omitempty"`
	Description string `json:"description,omitempty"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	// ReasonData is StateReasonData, a JSON document with the evaluated
	// datapoints; evidence.ParseReasonData reads it.
	ReasonData   string    `json:"-"`
	StateUpdated time.Time `json:"state_updated"`

	Namespace         string      `json:"namespace,omitempty"`
	MetricName        string      `json:"metric_name,omitempty"`
	Dimensions        []Dimension `json:"dimensions,omitempty"`
	Statistic         string      `json:"statistic,omitempty"`
	PeriodSeconds     int32       `json:"period_seconds,omitempty"`
	EvaluationPeriods int32       `json:"evaluation_periods,omitempty"`
	DatapointsToAlarm int32       `json:"datapoints_to_alarm,omitempty"`
	Threshold         *float64    `json:"threshold,omitempty"`
	Comparison        string      `json:"comparison,omitempty"`
	TreatMissingData  string      `json:"treat_missing_data,omitempty"`
	// Expressions describe metric-math and anomaly-detection alarms:
	// "id: expression" or "id: Namespace MetricName Dim=Value stat period",
	// marked "(evaluated)" for the series the alarm evaluates and
	// "(threshold)" for its anomaly-detection band.
	Expressions []string `json:"expressions,omitempty"`
	// ThresholdMetricID is the id, among the expressions, of the
	// anomaly-detection band the alarm compares with (no Threshold then).
	ThresholdMetricID string `json:"threshold_metric_id,omitempty"`
	// Metrics are a metric-math or anomaly-detection alarm's queries, as
	// DescribeAlarms gives them: what it reads (each metric with its
	// dimensions and statistic) and how it combines them.
	Metrics []AlarmMetricQuery `json:"metrics,omitempty"`

	// Rule is a composite alarm's rule, e.g. ALARM("a") OR ALARM("b").
	Rule string `json:"rule,omitempty"`

	// Query and LogGroups are a log alarm's scheduled Logs Insights query
	// (with its aggregation appended) and the log groups it reads.
	Query     string   `json:"query,omitempty"`
	LogGroups []string `json:"log_groups,omitempty"`
}

// AlarmMetricQuery is one entry of a metric alarm's Metrics (a CloudWatch
// MetricDataQuery): a metric with its statistic, or an expression over the
// other entries (metric math, ANOMALY_DETECTION_BAND, a Metrics Insights
// query).
type AlarmMetricQuery struct {
	ID         string      `json:"id"`
	Label      string      `json:"label,omitempty"`
	Expression string      `json:"expression,omitempty"`
	Metric     *MetricStat `json:"metric,omitempty"`
	// PeriodSeconds is the metric's period, or the expression's when set.
	PeriodSeconds int32 `json:"period_seconds,omitempty"`
	// ReturnData is nil when absent (CloudWatch then returns the series).
	ReturnData *bool `json:"return_data,omitempty"`
}

// AlarmList is the result of AlarmSource.Alarms.
type AlarmList struct {
	Alarms []Alarm `json:"alarms"`
	// Partial says why the list may be incomplete (a cap was reached).
	Partial  string   `json:"partial,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// AlarmHistoryQuery selects alarm state transitions.
type AlarmHistoryQuery struct {
	Names  []string
	Window Window
	// Limit bounds the items returned; 0 means the source's default.
	Limit int
}

// AlarmHistoryItem is one StateUpdate history item.
type AlarmHistoryItem struct {
	AlarmName string    `json:"alarm_name"`
	Timestamp time.Time `json:"timestamp"`
	Summary   string    `json:"summary"`
	// Data is HistoryData, a JSON document with oldState and newState;
	// evidence.ParseHistoryData reads it.
	Data string `json:"-"`
}

// AlarmHistory is the result of AlarmSource.AlarmHistory.
type AlarmHistory struct {
	Items    []AlarmHistoryItem `json:"items"`
	Partial  string             `json:"partial,omitempty"`
	Warnings []string           `json:"warnings,omitempty"`
}
