package telemetry

import (
	"time"
)

// Groupings of access-log requests.
const (
	GroupByStatus = "status"
	GroupByPath   = "path"
	GroupByTarget = "target"
	GroupByMinute = "minute"
)

// AccessLogQuery selects and groups ALB requests. Zero values match all.
type AccessLogQuery struct {
	Window Window
	// StatusMin keeps requests whose elb_status_code is at least this.
	StatusMin int
	// StatusCodes keeps requests whose elb_status_code is one of these.
	StatusCodes []int
	// PathPrefix keeps requests whose URL path starts with it.
	PathPrefix string
	Method     string
	// Target is "ip" or "ip:port" of the target that served the request.
	Target   string
	ClientIP string
	// GroupBy is one of the GroupBy* constants.
	GroupBy string
	// Limit bounds the groups and the top-failing lists.
	Limit int
	// IncludeRows asks for that many raw requests, newest first.
	IncludeRows int
	Progress    Progress
}

// AccessLogCounts are request counts by class of status code.
type AccessLogCounts struct {
	Requests  int64 `json:"requests"`
	ELB4xx    int64 `json:"elb_4xx,omitempty"`
	ELB5xx    int64 `json:"elb_5xx,omitempty"`
	Target4xx int64 `json:"target_4xx,omitempty"`
	Target5xx int64 `json:"target_5xx,omitempty"`
}

// Latency holds percentiles of target_processing_time, in seconds, over
// requests a target answered (ALB writes -1 for the others).
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// AccessLogGroup is the aggregate of one group (a status, path, target or minute).
type AccessLogGroup struct {
	Key string `json:"key"`
	AccessLogCounts
	Latency *Latency `json:"latency,omitempty"`
}

// AccessLogRow is one request, with the fields an investigation reads.
type AccessLogRow struct {
	Time            time.Time `json:"time"`
	Client          string    `json:"client"`
	Target          string    `json:"target,omitempty"`
	Method          string    `json:"method"`
	URL             string    `json:"url"`
	ELBStatus       int       `json:"elb_status_code"`
	TargetStatus    string    `json:"target_status_code,omitempty"`
	TargetTime      float64   `json:"target_processing_time"`
	UserAgent       string    `json:"user_agent,omitempty"`
	ErrorReason     string    `json:"error_reason,omitempty"`
	TraceID         string    `json:"trace_id,omitempty"`
	ActionsExecuted string    `json:"actions_executed,omitempty"`
	Classification  string    `json:"classification,omitempty"`
	TargetGroup     string    `json:"target_group,omitempty"`
}

// AccessLogStats is the result of AccessLogSource.AccessLogStats.
type AccessLogStats struct {
	GroupBy string           `json:"group_by"`
	Totals  AccessLogCounts  `json:"totals"`
	Latency *Latency         `json:"latency,omitempty"`
	Groups  []AccessLogGroup `json:"groups"`
	// TotalGroups counts every group, returned or not.
	TotalGroups int `json:"total_groups"`
	// TopFailingPaths and TopFailingTargets rank by 5xx, then 4xx.
	TopFailingPaths   []AccessLogGroup `json:"top_failing_paths,omitempty"`
	TopFailingTargets []AccessLogGroup `json:"top_failing_targets,omitempty"`
	Rows              []AccessLogRow   `json:"rows,omitempty"`
	Stats             QueryStats       `json:"stats"`
}
