package evidence

import (
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// ASFF is a Security Hub finding (AWS Security Finding Format), decoded
// from the GetFindings API or CLI output. encoding/json matches keys
// case-insensitively, so the SDK's structs re-encoded to JSON decode too.
type ASFF struct {
	ID              string   `json:"Id"`
	Title           string   `json:"Title"`
	AwsAccountID    string   `json:"AwsAccountId"`
	Region          string   `json:"Region"`
	GeneratorID     string   `json:"GeneratorId"`
	ProductName     string   `json:"ProductName"`
	Types           []string `json:"Types"`
	FirstObservedAt string   `json:"FirstObservedAt"`
	LastObservedAt  string   `json:"LastObservedAt"`
	CreatedAt       string   `json:"CreatedAt"`
	UpdatedAt       string   `json:"UpdatedAt"`
	RecordState     string   `json:"RecordState"`
	Severity        struct {
		Label      string `json:"Label"`
		Normalized int    `json:"Normalized"`
	} `json:"Severity"`
	Resources []struct {
		Type string `json:"Type"`
		ID   string `json:"Id"`
	} `json:"Resources"`
	Compliance *struct {
		SecurityControlID string `json:"SecurityControlId"`
		Status            string `json:"Status"`
	} `json:"Compliance"`
	ProductFields map[string]string `json:"ProductFields"`
	Description   string            `json:"Description"`
	Remediation   *struct {
		Recommendation *struct {
			Text string `json:"Text"`
			URL  string `json:"Url"`
		} `json:"Recommendation"`
	} `json:"Remediation"`
	Workflow *struct {
		Status string `json:"Status"`
	} `json:"Workflow"`
}

// GuardDutyFinding is a GuardDuty finding from GetFindings.
type GuardDutyFinding struct {
	ID          string  `json:"Id"`
	AccountID   string  `json:"AccountId"`
	Region      string  `json:"Region"`
	Type        string  `json:"Type"`
	Title       string  `json:"Title"`
	Description string  `json:"Description"`
	Severity    float64 `json:"Severity"`
	CreatedAt   string  `json:"CreatedAt"`
	UpdatedAt   string  `json:"UpdatedAt"`
	Resource    struct {
		ResourceType    string `json:"ResourceType"`
		InstanceDetails *struct {
			InstanceID string `json:"InstanceId"`
		} `json:"InstanceDetails"`
		AccessKeyDetails *struct {
			UserName    string `json:"UserName"`
			AccessKeyID string `json:"AccessKeyId"`
		} `json:"AccessKeyDetails"`
		S3BucketDetails []struct {
			Name string `json:"Name"`
		} `json:"S3BucketDetails"`
		EksClusterDetails *struct {
			Name string `json:"Name"`
		} `json:"EksClusterDetails"`
		EcsClusterDetails *struct {
			Name string `json:"Name"`
		} `json:"EcsClusterDetails"`
		LambdaDetails *struct {
			FunctionName string `json:"FunctionName"`
		} `json:"LambdaDetails"`
		RdsDbInstanceDetails *struct {
			DbInstanceIdentifier string `json:"DbInstanceIdentifier"`
		} `json:"RdsDbInstanceDetails"`
	} `json:"Resource"`
	Service struct {
		Count          int64  `json:"Count"`
		EventFirstSeen string `json:"EventFirstSeen"`
		EventLastSeen  string `json:"EventLastSeen"`
		Archived       bool   `json:"Archived"`
	} `json:"Service"`
}

// FromASFF normalises a Security Hub finding.
func FromASFF(f *ASFF) telemetry.Finding {
	out := telemetry.Finding{
		Source: telemetry.FindingSourceSecurityHub, ID: f.ID, Title: f.Title,
		Severity: strings.ToUpper(f.Severity.Label), Account: f.AwsAccountID, Region: f.Region, Count: 1,
		FirstSeen: firstTime(f.FirstObservedAt, f.CreatedAt), LastSeen: firstTime(f.LastObservedAt, f.UpdatedAt),
	}
	if out.Severity == "" {
		out.Severity = labelFromNormalized(f.Severity.Normalized)
	}
	if len(f.Types) > 0 {
		out.Type = f.Types[0]
	}
	if f.Compliance != nil {
		out.ControlID = f.Compliance.SecurityControlID
	}
	if out.ControlID == "" {
		out.ControlID = f.ProductFields["ControlId"]
	}
	if len(f.Resources) > 0 {
		out.Resource, out.ResourceType = f.Resources[0].ID, f.Resources[0].Type
	}
	if f.Workflow != nil {
		out.WorkflowStatus = f.Workflow.Status
	}
	out.Description = f.Description
	if f.Remediation != nil && f.Remediation.Recommendation != nil {
		out.Remediation, out.RemediationURL = f.Remediation.Recommendation.Text, f.Remediation.Recommendation.URL
	}
	return out
}

// FromGuardDuty normalises a GuardDuty finding.
func FromGuardDuty(f *GuardDutyFinding) telemetry.Finding {
	out := telemetry.Finding{
		Source: telemetry.FindingSourceGuardDuty, ID: f.ID, Title: f.Title, Type: f.Type, Description: f.Description,
		Severity: GuardDutyLabel(f.Severity), Account: f.AccountID, Region: f.Region,
		ResourceType: f.Resource.ResourceType, Count: f.Service.Count,
		FirstSeen: firstTime(f.Service.EventFirstSeen, f.CreatedAt), LastSeen: firstTime(f.Service.EventLastSeen, f.UpdatedAt),
		WorkflowStatus: "NEW",
	}
	if f.Service.Archived {
		out.WorkflowStatus = "ARCHIVED"
	}
	r := f.Resource
	switch {
	case r.InstanceDetails != nil && r.InstanceDetails.InstanceID != "":
		out.Resource = r.InstanceDetails.InstanceID
	case r.AccessKeyDetails != nil && r.AccessKeyDetails.UserName != "":
		out.Resource = r.AccessKeyDetails.UserName
	case len(r.S3BucketDetails) > 0:
		out.Resource = r.S3BucketDetails[0].Name
	case r.EksClusterDetails != nil:
		out.Resource = r.EksClusterDetails.Name
	case r.EcsClusterDetails != nil:
		out.Resource = r.EcsClusterDetails.Name
	case r.LambdaDetails != nil:
		out.Resource = r.LambdaDetails.FunctionName
	case r.RdsDbInstanceDetails != nil:
		out.Resource = r.RdsDbInstanceDetails.DbInstanceIdentifier
	}
	return out
}

// GuardDutyLabel maps GuardDuty's numeric severity to a label, using
// GuardDuty's documented bands (1-3.9 low, 4-6.9 medium, 7-8.9 high, 9+ critical).
func GuardDutyLabel(score float64) string {
	switch {
	case score >= 9:
		return "CRITICAL"
	case score >= 7:
		return "HIGH"
	case score >= 4:
		return "MEDIUM"
	case score >= 1:
		return "LOW"
	}
	return "INFORMATIONAL"
}

// GuardDutyMinScore is the lowest GuardDuty score with the given label.
func GuardDutyMinScore(label string) int64 {
	switch label {
	case "CRITICAL":
		return 9
	case "HIGH":
		return 7
	case "MEDIUM":
		return 4
	case "LOW":
		return 1
	}
	return 0
}

func labelFromNormalized(n int) string {
	switch {
	case n >= 90:
		return "CRITICAL"
	case n >= 70:
		return "HIGH"
	case n >= 40:
		return "MEDIUM"
	case n >= 1:
		return "LOW"
	}
	return "INFORMATIONAL"
}

// SeverityRankOf orders finding severities; unknown labels rank lowest.
func SeverityRankOf(label string) int {
	for i, l := range telemetry.SeverityLabels {
		if l == label {
			return i
		}
	}
	return -1
}

// SeverityAtLeast reports whether label is at least min ("" min passes all).
func SeverityAtLeast(label, min string) bool {
	return min == "" || SeverityRankOf(label) >= SeverityRankOf(min)
}

// LabelsAtLeast lists the labels at or above min.
func LabelsAtLeast(min string) []string {
	r := SeverityRankOf(min)
	if r < 0 {
		r = 0
	}
	return telemetry.SeverityLabels[r:]
}

// SortFindings orders findings most severe first, then most recently seen.
func SortFindings(fs []telemetry.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := SeverityRankOf(fs[i].Severity), SeverityRankOf(fs[j].Severity)
		if a != b {
			return a > b
		}
		return fs[i].LastSeen.After(fs[j].LastSeen)
	})
}

// FindingSummary counts findings by severity and by type.
type FindingSummary struct {
	BySeverity map[string]int `json:"by_severity"`
	ByType     []TypeCount    `json:"by_type"`
}

// TypeCount is the number of findings of one type (or control).
type TypeCount struct {
	Type     string `json:"type"`
	Severity string `json:"severity"`
	Count    int    `json:"count"`
}

// SummarizeFindings groups findings by severity and by control id or type.
func SummarizeFindings(fs []telemetry.Finding) FindingSummary {
	s := FindingSummary{BySeverity: map[string]int{}}
	idx := map[string]int{}
	for _, f := range fs {
		s.BySeverity[f.Severity]++
		key := f.Type
		if f.ControlID != "" {
			key = f.ControlID
		}
		i, ok := idx[key]
		if !ok {
			i = len(s.ByType)
			idx[key] = i
			s.ByType = append(s.ByType, TypeCount{Type: key, Severity: f.Severity})
		}
		s.ByType[i].Count++
		if SeverityRankOf(f.Severity) > SeverityRankOf(s.ByType[i].Severity) {
			s.ByType[i].Severity = f.Severity
		}
	}
	sort.SliceStable(s.ByType, func(i, j int) bool {
		a, b := SeverityRankOf(s.ByType[i].Severity), SeverityRankOf(s.ByType[j].Severity)
		if a != b {
			return a > b
		}
		return s.ByType[i].Count > s.ByType[j].Count
	})
	return s
}

// firstTime parses the first non-empty RFC 3339 value.
func firstTime(values ...string) time.Time {
	for _, v := range values {
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// ParseFindingTime parses an ASFF or GuardDuty timestamp.
func ParseFindingTime(s string) (time.Time, bool) {
	t := firstTime(s)
	return t, !t.IsZero()
}
