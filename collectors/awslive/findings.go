package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

const (
	defaultFindingLimit = 100
	// guardDutyBatch is GetFindings' maximum number of ids per call.
	guardDutyBatch = 50
)

// SecurityFindings implements collectors.FindingSource. Each source is
// read on its own; one failing (Security Hub not enabled, a missing
// permission) becomes a warning, and only when every requested source
// fails is the call an error.
func (c *Client) SecurityFindings(ctx context.Context, q telemetry.FindingQuery) (*telemetry.FindingList, error) {
	if q.Limit <= 0 {
		q.Limit = defaultFindingLimit
	}
	sources := q.Sources
	if len(sources) == 0 {
		sources = []string{telemetry.FindingSourceSecurityHub, telemetry.FindingSourceGuardDuty}
	}
	res := &telemetry.FindingList{Findings: []telemetry.Finding{}}
	var firstErr error
	failed := 0
	for i, src := range sources {
		q.Progress.Report(float64(i), float64(len(sources)), "reading "+src+" findings")
		var fs []telemetry.Finding
		var partial bool
		var err error
		switch src {
		case telemetry.FindingSourceSecurityHub:
			fs, partial, err = c.securityHubFindings(ctx, q)
		case telemetry.FindingSourceGuardDuty:
			fs, partial, err = c.guardDutyFindings(ctx, q)
		default:
			err = telemetry.Errorf(telemetry.KindInvalidInput, "unknown finding source %q.", src).WithHint("Use securityhub, guardduty or all.")
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			failed++
			if firstErr == nil {
				firstErr = err
			}
			res.Stats.Warnings = append(res.Stats.Warnings, fmt.Sprintf("%s: %v", src, err))
			continue
		}
		if partial {
			res.Stats.Partial = fmt.Sprintf("more than %d %s findings matched; raise min_severity or narrow the window.", q.Limit, src)
		}
		res.Findings = append(res.Findings, fs...)
	}
	if failed == len(sources) {
		return nil, firstErr
	}
	evidence.SortFindings(res.Findings)
	res.Stats.RecordsMatched = float64(len(res.Findings))
	return res, nil
}

// securityHubFindings calls GetFindings with every filter pushed to the
// API: active records, not suppressed, severity labels, update window.
func (c *Client) securityHubFindings(ctx context.Context, q telemetry.FindingQuery) ([]telemetry.Finding, bool, error) {
	filters := &shtypes.AwsSecurityFindingFilters{
		RecordState:    []shtypes.StringFilter{{Comparison: shtypes.StringFilterComparisonEquals, Value: aws.String("ACTIVE")}},
		WorkflowStatus: []shtypes.StringFilter{{Comparison: shtypes.StringFilterComparisonNotEquals, Value: aws.String("SUPPRESSED")}},
	}
	if !anyTime(q.Window) {
		filters.UpdatedAt = []shtypes.DateFilter{{
			Start: aws.String(q.Window.Start.UTC().Format(time.RFC3339)),
			End:   aws.String(q.Window.End.UTC().Format(time.RFC3339)),
		}}
	}
	if q.MinSeverity != "" {
		for _, l := range evidence.LabelsAtLeast(q.MinSeverity) {
			filters.SeverityLabel = append(filters.SeverityLabel, shtypes.StringFilter{Comparison: shtypes.StringFilterComparisonEquals, Value: aws.String(l)})
		}
	}
	in := &securityhub.GetFindingsInput{
		Filters:      filters,
		MaxResults:   aws.Int32(int32(min(q.Limit, 100))),
		SortCriteria: []shtypes.SortCriterion{{Field: aws.String("UpdatedAt"), SortOrder: shtypes.SortOrderDescending}},
	}
	var out []telemetry.Finding
	for {
		page, err := c.securityhub.GetFindings(ctx, in)
		if err != nil {
			return nil, false, mapError("securityhub:GetFindings", err)
		}
		for i, f := range page.Findings {
			if len(out) >= q.Limit {
				return out, true, nil
			}
			var a evidence.ASFF
			if err := reencode(f, &a); err != nil {
				continue
			}
			out = append(out, evidence.FromASFF(&a))
			if len(out) >= q.Limit && i == len(page.Findings)-1 {
				return out, aws.ToString(page.NextToken) != "", nil
			}
		}
		// Security Hub, like GuardDuty, may end a listing with an empty token.
		if aws.ToString(page.NextToken) == "" || len(page.Findings) == 0 {
			return out, false, nil
		}
		in.NextToken = page.NextToken
	}
}

// guardDutyFindings lists finding ids with the criteria pushed to the API
// (severity, update window, not archived), then fetches them in batches of
// at most 50, GetFindings' limit.
func (c *Client) guardDutyFindings(ctx context.Context, q telemetry.FindingQuery) ([]telemetry.Finding, bool, error) {
	detector, err := c.guardDutyDetector(ctx)
	if err != nil {
		return nil, false, err
	}
	criteria := map[string]gdtypes.Condition{
		"service.archived": {Equals: []string{"false"}},
	}
	if !anyTime(q.Window) {
		criteria["updatedAt"] = gdtypes.Condition{GreaterThanOrEqual: aws.Int64(q.Window.Start.UnixMilli()), LessThanOrEqual: aws.Int64(q.Window.End.UnixMilli())}
	}
	if s := evidence.GuardDutyMinScore(q.MinSeverity); s > 0 {
		criteria["severity"] = gdtypes.Condition{GreaterThanOrEqual: aws.Int64(s)}
	}
	in := &guardduty.ListFindingsInput{
		DetectorId:      aws.String(detector),
		FindingCriteria: &gdtypes.FindingCriteria{Criterion: criteria},
		SortCriteria:    &gdtypes.SortCriteria{AttributeName: aws.String("severity"), OrderBy: gdtypes.OrderByDesc},
		MaxResults:      aws.Int32(50),
	}
	var ids []string
	partial := false
	for {
		page, err := c.guardduty.ListFindings(ctx, in)
		if err != nil {
			return nil, false, mapError("guardduty:ListFindings", err)
		}
		ids = append(ids, page.FindingIds...)
		if len(ids) >= q.Limit {
			// GuardDuty ends a listing with an empty nextToken, not none.
			partial = len(ids) > q.Limit || aws.ToString(page.NextToken) != ""
			ids = ids[:q.Limit]
			break
		}
		if aws.ToString(page.NextToken) == "" || len(page.FindingIds) == 0 {
			break
		}
		in.NextToken = page.NextToken
	}
	var out []telemetry.Finding
	for start := 0; start < len(ids); start += guardDutyBatch {
		batch := ids[start:min(start+guardDutyBatch, len(ids))]
		page, err := c.guardduty.GetFindings(ctx, &guardduty.GetFindingsInput{DetectorId: aws.String(detector), FindingIds: batch})
		if err != nil {
			return nil, false, mapError("guardduty:GetFindings", err)
		}
		for _, f := range page.Findings {
			var g evidence.GuardDutyFinding
			if err := reencode(f, &g); err != nil {
				continue
			}
			out = append(out, evidence.FromGuardDuty(&g))
		}
	}
	return out, partial, nil
}

// guardDutyDetector is the configured detector, or the region's only one.
func (c *Client) guardDutyDetector(ctx context.Context) (string, error) {
	if id := c.settings.GuardDuty.DetectorID; id != "" {
		return id, nil
	}
	out, err := c.guardduty.ListDetectors(ctx, &guardduty.ListDetectorsInput{})
	if err != nil {
		return "", mapError("guardduty:ListDetectors", err)
	}
	if len(out.DetectorIds) == 0 {
		return "", telemetry.Errorf(telemetry.KindUnsupported, "GuardDuty has no detector in %s.", c.region).WithHint("Enable GuardDuty in this region, or leave guardduty out of the request.")
	}
	return out.DetectorIds[0], nil
}

// reencode copies an SDK struct into fa2's decoding struct through JSON:
// the SDK's Go field names are the API's member names, and encoding/json
// matches them to the API-named tags case-insensitively.
func reencode(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// anyTime reports a zero window: findings are standing state, so without a
// window every active finding counts, whatever its update time.
func anyTime(w telemetry.Window) bool { return w.Start.IsZero() && w.End.IsZero() }
