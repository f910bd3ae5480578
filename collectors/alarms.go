package collectors

// AlarmSource reads CloudWatch alarms and their history.
type AlarmSource interface {
}
