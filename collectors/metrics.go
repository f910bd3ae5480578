package collectors

// MetricSource reads CloudWatch metrics.
type MetricSource interface {
}
