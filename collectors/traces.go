package collectors

// TraceSource reads X-Ray traces.
type TraceSource interface {
}
