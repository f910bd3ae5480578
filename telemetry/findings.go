package telemetry

import (
	"time"
)

// Finding sources.
const (
	FindingSourceSecurityHub = "securityhub"
	FindingSourceGuardDuty   = "guardduty"
)

// Severity labels, least severe first.
var SeverityLabels = []string{"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}

// FindingQuery selects findings.
type FindingQuery struct {
	// Sources lists FindingSource* values; empty means all.
	Sources []string
	// MinSeverity is one of SeverityLabels; "" means all.
	MinSeverity string
	// Window bounds the findings' last update.
	Window Window
	// Limit bounds the findings read per source; 0 means the default.
	Limit    int
	Progress Progress
}

// Finding is a Security Hub or GuardDuty finding in one shape.
type Finding struct {
	Source   string `json:"source"`
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Type is the GuardDuty finding type or the first ASFF type.
	Type string `json:"type,omitempty"`
	// ControlID is the Security Hub control (S3.1, EC2.19...).
	ControlID      string    `json:"control_id,omitempty"`
	Resource       string    `json:"resource,omitempty"`
	ResourceType   string    `json:"resource_type,omitempty"`
	Account        string    `json:"account,omitempty"`
	Region         string    `json:"region,omitempty"`
	FirstSeen      time.Time `json:"first_seen"`
	LastSeen       time.Time `json:"last_seen"`
	Count          int64     `json:"count"`
	WorkflowStatus string    `json:"workflow_status,omitempty"`
	// Description says what the finding means (ASFF and GuardDuty
	// Description); Remediation and RemediationURL are ASFF's
	// Remediation.Recommendation, when the product gives one.
	Description    string `json:"description,omitempty"`
	Remediation    string `json:"remediation,omitempty"`
	RemediationURL string `json:"remediation_url,omitempty"`
}

// FindingList is the result of FindingSource.SecurityFindings.
type FindingList struct {
	Findings []Finding  `json:"findings"`
	Stats    QueryStats `json:"stats"`
}
