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
	// Principals are IAM user or role names, or ARNs (user, role, assumed role).
	Principals []string
	// Resource is a resource name or ARN; it matches the event's resources
	// and its request parameters.
	Resource string
	// OnlyMutating keeps write events (readOnly=false).
	OnlyMutating bool
	// ErrorsOnly keeps failed calls (with an error code).
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
}

// CloudTrailEvents is the result of CloudTrailSource.CloudTrailEvents.
type CloudTrailEvents struct {
	Events []CloudTrailEvent `json:"events"`
	Stats  QueryStats        `json:"stats"`
}
