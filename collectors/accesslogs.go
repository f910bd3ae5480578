package collectors

// AccessLogSource reads ALB access logs.
type AccessLogSource interface {
}
