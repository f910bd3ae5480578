package telemetry

import (
	"time"
)

// Dimension is a CloudWatch dimension.
type Dimension struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Metric identifies a CloudWatch metric.
type Metric struct {
	Namespace  string      `json:"namespace"`
	MetricName string      `json:"metric_name"`
	Dimensions []Dimension `json:"dimensions,omitempty"`
}

// MetricListQuery selects metrics to list.
type MetricListQuery struct {
	Namespaces []string
	// Window is the incident the list is for; zero when unknown. A source
	// whose listing forgets metrics that stopped reporting (CloudWatch
	// ListMetrics keeps two weeks) uses it to say so.
	Window Window
	// Limit caps the metrics returned; 0 means the source's default.
	Limit int
}

// MetricList is the result of ListMetrics.
type MetricList struct {
	Metrics  []Metric `json:"metrics"`
	Partial  string   `json:"partial,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// MetricStat is a metric with the statistic to fetch: Sum, Average,
// Minimum, Maximum, SampleCount or a percentile such as p99.
type MetricStat struct {
	Metric Metric `json:"metric"`
	Stat   string `json:"stat"`
}

// MetricDataQuery asks for series over a window.
type MetricDataQuery struct {
	Stats  []MetricStat
	Window Window
	// PeriodSeconds is the width of each point.
	PeriodSeconds int32
}

// Point is one datapoint of a series.
type Point struct {
	Timestamp time.Time `json:"t"`
	Value     float64   `json:"v"`
}

// MetricSeries is the data of one MetricStat, oldest point first.
type MetricSeries struct {
	Stat   MetricStat `json:"stat"`
	Points []Point    `json:"points"`
	Unit   string     `json:"unit,omitempty"`
	// Note says why the series is missing or incomplete.
	Note string `json:"note,omitempty"`
}

// MetricData is the result of MetricData, one series per query, in order.
type MetricData struct {
	Series   []MetricSeries `json:"series"`
	Warnings []string       `json:"warnings,omitempty"`
}
