package telemetry

import (
	"time"
)

// CloudTrailQuery selects CloudTrail events. Empty lists match everything.
type CloudTrailQuery struct {
	Window Window
	// EventNames are API names such as "UpdateService".
	EventNames []string
	// EventSources are service hosts such as "ecs.amazonaws.com".
	EventSources []string
	// Principals are IAM user or role names, ARNs (user, role, assumed
	// role) or 12-digit account ids (every caller of that account).
	Principals []string
	// Resource is a resource name or ARN; it matches the event's resources
	// and its request parameters.
	Resource string
	// OnlyMutating keeps write events (readOnly=false).
	OnlyMutating bool
	// ErrorsOnly keeps failed calls (with an error code, or a failed
	// console sign-in).
	ErrorsOnly bool
	// Limit bounds the events read; 0 means the source's default.
	Limit    int
	Progress Progress
}

// CloudTrailEvent is one API call, reduced to what an investigation needs.
type CloudTrailEvent struct {
	Time   time.Time `json:"time"`
	ID     string    `json:"id,omitempty"`
	Source string    `json:"source"`
	Name   string    `json:"name"`
	// ReadOnly is false for calls that change something.
	ReadOnly bool `json:"read_only"`
	// Category is Management, Data or Insight.
	Category string `json:"category,omitempty"`
	// Principal is the caller's ARN (or user name when there is no ARN).
	Principal     string `json:"principal"`
	PrincipalType string `json:"principal_type,omitempty"`
	// InvokedBy names the AWS service that called on the principal's behalf.
	InvokedBy string   `json:"invoked_by,omitempty"`
	SourceIP  string   `json:"source_ip,omitempty"`
	UserAgent string   `json:"user_agent,omitempty"`
	Region    string   `json:"region,omitempty"`
	Account   string   `json:"account,omitempty"`
	Resources []string `json:"resources,omitempty"`
	// Request holds the request parameters flattened to "path=value", the
	// telling ones first and bounded in size.
	Request []string `json:"request,omitempty"`
	// Response holds the response elements flattened the same way: what
	// the call did when the request only names it (the rule a revoke by
	// rule id removed). The investigation engine reads it; tools do not
	// show it, so snapshots written from tool data need not carry it.
	Response     []string `json:"-"`
	ErrorCode    string   `json:"error_code,omitempty"`
	ErrorMessage string   `json:"error_message,omitempty"`
	// Actor says who made a change beyond the principal: "console" (a
	// person in the AWS Management Console), "aws-service" (an AWS service,
	// on its own or for the principal: InvokedBy names it), or "" (an API,
	// SDK or CLI call).
	Actor string `json:"actor,omitempty"`
	// CallerAccount is the caller's account when another account made the
	// call (a cross-account principal).
	CallerAccount string `json:"caller_account,omitempty"`
	// Insight describes a CloudTrail Insights event: its type and state,
	// e.g. "ApiCallRateInsight Start: 120.0/min against a baseline of 0.2".
	Insight string `json:"insight,omitempty"`
}

// Actors of a CloudTrail event.
const (
	ActorConsole    = "console"
	ActorAWSService = "aws-service"
)

// CloudTrailEvents is the result of CloudTrailSource.CloudTrailEvents.
type CloudTrailEvents struct {
	Events []CloudTrailEvent `json:"events"`
	Stats  QueryStats        `json:"stats"`
}
