package telemetry

import (
	"time"
)

// TraceQuery selects trace summaries.
type TraceQuery struct {
	Window Window
	// Filter is an X-Ray filter expression; "" matches every trace.
	Filter string
	// Limit caps the summaries read; 0 means the source's default.
	Limit int
}

// RootCause is where a failing trace failed: the entity path from the
// service down to the failing subsegment and its exception.
type RootCause struct {
	Kind       string   `json:"kind"` // fault, error or throttle
	Service    string   `json:"service"`
	EntityPath []string `json:"entity_path,omitempty"`
	Exception  string   `json:"exception,omitempty"`
	Message    string   `json:"message,omitempty"`
}

// TraceSummary is one trace, reduced.
type TraceSummary struct {
	ID           string      `json:"id"`
	Start        time.Time   `json:"start"`
	Duration     float64     `json:"duration"`      // seconds, whole trace
	ResponseTime float64     `json:"response_time"` // seconds, root segment
	HasFault     bool        `json:"has_fault,omitempty"`
	HasError     bool        `json:"has_error,omitempty"`
	HasThrottle  bool        `json:"has_throttle,omitempty"`
	HTTPStatus   int         `json:"http_status,omitempty"`
	HTTPMethod   string      `json:"http_method,omitempty"`
	URL          string      `json:"url,omitempty"`
	Services     []string    `json:"services,omitempty"`
	RootCauses   []RootCause `json:"root_causes,omitempty"`
}

// TraceSummaries is the result of TraceSource.TraceSummaries.
type TraceSummaries struct {
	Summaries []TraceSummary `json:"summaries"`
	// Processed is how many traces the backend looked at, matching or not.
	Processed int64 `json:"processed,omitempty"`
	// Partial says why not every matching trace was read.
	Partial  string   `json:"partial,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// Trace is a full trace: its segments parsed into trees.
type Trace struct {
	ID       string    `json:"id"`
	Duration float64   `json:"duration"`
	Segments []Segment `json:"segments"`
	// Source says where the trace was read when that was not X-Ray's
	// BatchGetTraces, e.g. the aws/spans log group of Transaction Search.
	Source string `json:"source,omitempty"`
}

// Segment is an X-Ray segment or subsegment document, the fields fa2 uses.
type Segment struct {
	ID        string  `json:"id"`
	ParentID  string  `json:"parent_id,omitempty"`
	Name      string  `json:"name"`
	Origin    string  `json:"origin,omitempty"`
	Namespace string  `json:"namespace,omitempty"` // aws, remote or ""
	Operation string  `json:"operation,omitempty"` // aws.operation
	StartTime float64 `json:"start_time"`
	EndTime   float64 `json:"end_time"`
	// InProgress is set for a segment sent before it ended (no
	// end_time); its EndTime is 0 and its duration unknown.
	InProgress bool `json:"in_progress,omitempty"`
	// Inferred marks a segment X-Ray made up for a downstream AWS
	// resource from the subsegment that called it.
	Inferred    bool             `json:"inferred,omitempty"`
	Fault       bool             `json:"fault,omitempty"`
	Error       bool             `json:"error,omitempty"`
	Throttle    bool             `json:"throttle,omitempty"`
	HTTPMethod  string           `json:"http_method,omitempty"`
	URL         string           `json:"url,omitempty"`
	HTTPStatus  int              `json:"http_status,omitempty"`
	SQL         string           `json:"sql,omitempty"` // database_type and url
	Annotations map[string]any   `json:"annotations,omitempty"`
	Exceptions  []TraceException `json:"exceptions,omitempty"`
	Subsegments []Segment        `json:"subsegments,omitempty"`
	// CauseRef is the id of an exception recorded in another
	// subsegment, when the document's cause is a string.
	CauseRef string `json:"cause_ref,omitempty"`
}

// TraceException is an exception recorded in a segment's cause.
type TraceException struct {
	Type    string `json:"type,omitempty"`
	Message string `json:"message,omitempty"`
	Remote  bool   `json:"remote,omitempty"`
	// ID and Cause link an exception to the one that caused it (the
	// cause's id), as SDKs record wrapped exceptions.
	ID    string `json:"id,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// ServiceStats counts requests a service handled.
type ServiceStats struct {
	Name     string  `json:"name"`
	Type     string  `json:"type,omitempty"`
	Total    int64   `json:"total"`
	OK       int64   `json:"ok"`
	Errors   int64   `json:"errors"`
	Faults   int64   `json:"faults"`
	Throttle int64   `json:"throttles,omitempty"`
	AvgResp  float64 `json:"avg_response_time"`
}
