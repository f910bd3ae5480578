package awslive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/xray"
	xtypes "github.com/aws/aws-sdk-go-v2/service/xray/types"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

const (
	// defaultTraceSummaryCap bounds GetTraceSummaries when the caller gives
	// no limit: enough to count and group, small enough to stay fast.
	defaultTraceSummaryCap = 10000
	// xrayMaxRange is the longest time range fa2 asks of one
	// GetTraceSummaries call. X-Ray documents trace searches of at most 6
	// hours (the console and its deep links refuse longer ranges), so longer
	// windows are read in 6-hour slices, newest first.
	xrayMaxRange = 6 * time.Hour
	// batchGetTracesIDs is the most ids BatchGetTraces takes per call.
	batchGetTracesIDs = 5
	// maxRootCauseLookups bounds the failing traces fetched in full because
	// their summary had no root cause.
	maxRootCauseLookups = 25
	// maxServiceGraphPages bounds GetServiceGraph.
	maxServiceGraphPages = 5
)

func (c *Client) xrayEnabled() error {
	if c.settings != nil && !c.settings.XRay.Enabled {
		return telemetry.Errorf(telemetry.KindUnsupported, "X-Ray is disabled in the configuration.").WithHint("Set xray.enabled: true (FA2_XRAY_ENABLED=true) to read traces.")
	}
	return nil
}

// TraceSummaries implements collectors.TraceSource with GetTraceSummaries,
// sending the filter expression to X-Ray. Failing traces whose summary has
// no root cause are fetched with BatchGetTraces, a bounded sample of them.
func (c *Client) TraceSummaries(ctx context.Context, q telemetry.TraceQuery) (*telemetry.TraceSummaries, error) {
	if err := c.xrayEnabled(); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultTraceSummaryCap
	}
	out := &telemetry.TraceSummaries{Summaries: []telemetry.TraceSummary{}}
	refine := map[string]bool{}
	if d := q.Window.Duration(); d > xrayMaxRange {
		// Only live X-Ray has this limit; a snapshot reads any window at once.
		out.Warnings = append(out.Warnings, fmt.Sprintf("X-Ray searches at most 6h per call: the %s window is read in 6h slices, newest first", d))
	}
	if _, note := c.transactionSearch(ctx); note != "" { // which path was used; see traces_spans.go
		out.Warnings = append(out.Warnings, note)
	}
slices:
	for end := q.Window.End; end.After(q.Window.Start); end = end.Add(-xrayMaxRange) {
		start := end.Add(-xrayMaxRange)
		if start.Before(q.Window.Start) {
			start = q.Window.Start
		}
		in := &xray.GetTraceSummariesInput{StartTime: aws.Time(start), EndTime: aws.Time(end), TimeRangeType: xtypes.TimeRangeTypeTraceId}
		if q.Filter != "" {
			in.FilterExpression = aws.String(q.Filter)
		}
		p := xray.NewGetTraceSummariesPaginator(c.xray, in)
		var guard stallGuard
		for p.HasMorePages() {
			if len(out.Summaries) >= limit {
				out.Partial = fmt.Sprintf("stopped after the newest %d matching traces (older ones were not read)", limit)
				break slices
			}
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, traceSummariesError(err, q.Filter)
			}
			out.Processed += aws.ToInt64(page.TracesProcessedCount)
			if guard.stalled(page.NextToken, len(page.TraceSummaries)) {
				break
			}
			for _, s := range page.TraceSummaries {
				if len(out.Summaries) >= limit {
					out.Partial = fmt.Sprintf("stopped after the newest %d matching traces (older ones were not read)", limit)
					break slices
				}
				sum, deeper := convertTraceSummary(s)
				if deeper {
					refine[sum.ID] = true
				}
				out.Summaries = append(out.Summaries, sum)
			}
		}
	}
	if err := c.lookUpRootCauses(ctx, out, refine); err != nil {
		return nil, err
	}
	return out, nil
}

// traceSummariesError maps a GetTraceSummaries failure. X-Ray answers a
// filter expression it cannot parse with a plain InvalidRequestException;
// when a filter was sent, that is what the user has to fix, so the error says
// so and quotes both the filter and X-Ray's reason.
func traceSummariesError(err error, filter string) error {
	mapped := mapError("xray:GetTraceSummaries", err)
	var invalid *xtypes.InvalidRequestException
	e, ok := telemetry.AsError(mapped)
	if !ok || filter == "" || !errors.As(err, &invalid) {
		return mapped
	}
	e.Kind = telemetry.KindInvalidInput
	e.Msg = fmt.Sprintf("X-Ray rejected the filter expression %q: %s.", filter, strings.TrimSuffix(aws.ToString(invalid.Message), "."))
	e.Hint = "Fix the filter expression (syntax: https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html), or leave filter_expression out."
	return e
}

// lookUpRootCauses fetches full traces, for at most maxRootCauseLookups
// of them: first failing summaries without root causes, then faults whose
// root cause stops at the service's own wrapper while the trace also has an
// error or throttle that X-Ray did not place under it (the downstream 4xx
// that explains the fault is then found in the full trace).
func (c *Client) lookUpRootCauses(ctx context.Context, out *telemetry.TraceSummaries, refine map[string]bool) error {
	var ids []string
	pos := map[string]int{}
	missing := 0
	for i, s := range out.Summaries {
		if (s.HasFault || s.HasError || s.HasThrottle) && len(s.RootCauses) == 0 {
			missing++
			if len(ids) < maxRootCauseLookups {
				ids = append(ids, s.ID)
				pos[s.ID] = i
			}
		}
	}
	for i, s := range out.Summaries {
		if len(ids) >= maxRootCauseLookups {
			break
		}
		if _, queued := pos[s.ID]; refine[s.ID] && !queued {
			ids = append(ids, s.ID)
			pos[s.ID] = i
		}
	}
	if len(ids) == 0 {
		return nil
	}
	traces, err := c.Traces(ctx, ids)
	if err != nil {
		return err
	}
	for _, t := range traces {
		// A trace under an id fa2 did not ask for (X-Ray may answer a W3C id
		// in its own format) belongs to no summary; index 0 is not a default.
		if i, ok := pos[t.ID]; ok {
			if rcs := evidence.SummarizeTrace(t).RootCauses; len(rcs) > 0 {
				out.Summaries[i].RootCauses = rcs
			}
		}
	}
	if missing > maxRootCauseLookups {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d failing traces had no root cause in their summary; %d were fetched in full, the rest are grouped as %s", missing, maxRootCauseLookups, evidence.UnknownCause))
	}
	return nil
}

// convertTraceSummary reduces an X-Ray summary. refine is set when the
// fault's root cause should be looked for deeper in the full trace.
func convertTraceSummary(s xtypes.TraceSummary) (out telemetry.TraceSummary, refine bool) {
	out = telemetry.TraceSummary{
		ID: aws.ToString(s.Id), Start: aws.ToTime(s.StartTime).UTC(),
		Duration: aws.ToFloat64(s.Duration), ResponseTime: aws.ToFloat64(s.ResponseTime),
		HasFault: aws.ToBool(s.HasFault), HasError: aws.ToBool(s.HasError), HasThrottle: aws.ToBool(s.HasThrottle),
	}
	if s.Http != nil {
		out.HTTPStatus = int(aws.ToInt32(s.Http.HttpStatus))
		out.HTTPMethod, out.URL = aws.ToString(s.Http.HttpMethod), aws.ToString(s.Http.HttpURL)
	}
	for _, id := range s.ServiceIds {
		if n := aws.ToString(id.Name); n != "" {
			out.Services = append(out.Services, n)
		}
	}
	var faults, milder []rootCauseInfo
	for _, rc := range s.FaultRootCauses {
		var svcs []rootCauseService
		for _, sv := range rc.Services {
			r := rootCauseService{name: aws.ToString(sv.Name), inferred: aws.ToBool(sv.Inferred)}
			for _, e := range sv.EntityPath {
				r.path = append(r.path, rootCauseEntity{aws.ToString(e.Name), e.Exceptions, aws.ToBool(e.Remote)})
			}
			svcs = append(svcs, r)
		}
		if c, ok := rootCause("fault", svcs); ok {
			faults = append(faults, c)
		}
	}
	kind := "error"
	if out.HasThrottle && !out.HasError {
		kind = "throttle"
	}
	for _, rc := range s.ErrorRootCauses {
		var svcs []rootCauseService
		for _, sv := range rc.Services {
			r := rootCauseService{name: aws.ToString(sv.Name), inferred: aws.ToBool(sv.Inferred)}
			for _, e := range sv.EntityPath {
				r.path = append(r.path, rootCauseEntity{aws.ToString(e.Name), e.Exceptions, aws.ToBool(e.Remote)})
			}
			svcs = append(svcs, r)
		}
		if c, ok := rootCause(kind, svcs); ok {
			milder = append(milder, c)
		}
	}
	// A fault explained by an error or throttle further down the same path
	// (order-api's 500 under DynamoDB's 400 AccessDenied) is that error:
	// one root cause with the deeper path and its reason, not two groups.
	used := make([]bool, len(milder))
	for i := range faults {
		f := &faults[i]
		best := -1
		for j, m := range milder {
			if !used[j] && extends(m.EntityPath, f.EntityPath) && (best < 0 || len(m.EntityPath) > len(milder[best].EntityPath)) {
				best = j
			}
		}
		if best >= 0 {
			used[best] = true
			m := milder[best]
			f.EntityPath, f.remoteEnd = m.EntityPath, m.remoteEnd
			if m.Exception != "" || m.Message != "" {
				f.Exception, f.Message = m.Exception, m.Message
			}
		}
		if !f.remoteEnd && (out.HasError || out.HasThrottle) {
			refine = true
		}
		out.RootCauses = append(out.RootCauses, f.RootCause)
	}
	for j, m := range milder {
		if !used[j] {
			out.RootCauses = append(out.RootCauses, m.RootCause)
		}
	}
	return out, refine
}

// extends reports whether path continues base further down.
func extends(path, base []string) bool {
	if len(path) <= len(base) {
		return false
	}
	for i := range base {
		if path[i] != base[i] {
			return false
		}
	}
	return true
}

type rootCauseEntity struct {
	name       string
	exceptions []xtypes.RootCauseException
	remote     bool
}

type rootCauseService struct {
	name     string
	inferred bool
	path     []rootCauseEntity
}

// rootCauseInfo is a RootCause and whether its path ends at a remote call.
type rootCauseInfo struct {
	telemetry.RootCause
	remoteEnd bool
}

// rootCause reduces X-Ray's root-cause services to one RootCause: the
// service with the longest entity path is where the failure was recorded;
// an inferred downstream service (DynamoDB) it does not name yet ends the
// path. The exception is the deepest entity's.
func rootCause(kind string, svcs []rootCauseService) (rootCauseInfo, bool) {
	if len(svcs) == 0 {
		return rootCauseInfo{}, false
	}
	best := len(svcs) - 1
	for i, sv := range svcs {
		if !sv.inferred && (svcs[best].inferred || len(sv.path) > len(svcs[best].path)) {
			best = i
		}
	}
	sv := svcs[best]
	rc := rootCauseInfo{RootCause: telemetry.RootCause{Kind: kind, Service: sv.name}}
	path := append([]rootCauseEntity(nil), sv.path...)
	for _, other := range svcs {
		if other.inferred && other.name != sv.name && (len(path) == 0 || path[len(path)-1].name != other.name) {
			path = append(path, rootCauseEntity{name: other.name, exceptions: firstExceptions(other.path), remote: true})
		}
	}
	for _, e := range path {
		rc.EntityPath = append(rc.EntityPath, e.name)
	}
	for i := len(path) - 1; i >= 0 && rc.Exception == ""; i-- {
		if ex := path[i].exceptions; len(ex) > 0 {
			rc.Exception, rc.Message = aws.ToString(ex[0].Name), aws.ToString(ex[0].Message)
		}
	}
	if len(path) > 0 {
		rc.remoteEnd = path[len(path)-1].remote
	}
	if len(rc.EntityPath) == 0 {
		rc.EntityPath = []string{sv.name}
	}
	return rc, true
}

func firstExceptions(path []rootCauseEntity) []xtypes.RootCauseException {
	for i := len(path) - 1; i >= 0; i-- {
		if len(path[i].exceptions) > 0 {
			return path[i].exceptions
		}
	}
	return nil
}

// Traces implements collectors.TraceSource with BatchGetTraces, at most
// five ids per call as the API requires.
func (c *Client) Traces(ctx context.Context, ids []string) ([]telemetry.Trace, error) {
	if err := c.xrayEnabled(); err != nil {
		return nil, err
	}
	if spans, _ := c.transactionSearch(ctx); spans {
		return c.tracesFromSpans(ctx, ids) // BatchGetTraces finds little there
	}
	var out []telemetry.Trace
	for start := 0; start < len(ids); start += batchGetTracesIDs {
		chunk := ids[start:min(start+batchGetTracesIDs, len(ids))]
		p := xray.NewBatchGetTracesPaginator(c.xray, &xray.BatchGetTracesInput{TraceIds: chunk})
		var guard stallGuard
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, mapError("xray:BatchGetTraces", err)
			}
			// Nothing caps the traces read here, so any repeated token ends
			// the listing (after this page), whether or not it had traces.
			last := guard.stalled(page.NextToken, 0)
			for _, t := range page.Traces {
				tr := telemetry.Trace{ID: aws.ToString(t.Id), Duration: aws.ToFloat64(t.Duration)}
				for _, seg := range t.Segments {
					parsed, err := evidence.ParseSegmentDocument(aws.ToString(seg.Document))
					if err != nil {
						continue // one unreadable segment should not hide the rest
					}
					tr.Segments = append(tr.Segments, parsed)
				}
				out = append(out, tr)
			}
			if last {
				break
			}
		}
	}
	return out, nil
}

// ServiceGraph implements collectors.TraceSource with GetServiceGraph.
func (c *Client) ServiceGraph(ctx context.Context, w telemetry.Window) ([]telemetry.ServiceStats, error) {
	if err := c.xrayEnabled(); err != nil {
		return nil, err
	}
	p := xray.NewGetServiceGraphPaginator(c.xray, &xray.GetServiceGraphInput{StartTime: aws.Time(w.Start), EndTime: aws.Time(w.End)})
	var out []telemetry.ServiceStats
	for pages := 0; p.HasMorePages() && pages < maxServiceGraphPages; pages++ {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapError("xray:GetServiceGraph", err)
		}
		for _, s := range page.Services {
			st := telemetry.ServiceStats{Name: aws.ToString(s.Name), Type: aws.ToString(s.Type)}
			if ss := s.SummaryStatistics; ss != nil {
				st.Total, st.OK = aws.ToInt64(ss.TotalCount), aws.ToInt64(ss.OkCount)
				if es := ss.ErrorStatistics; es != nil {
					st.Errors = aws.ToInt64(es.TotalCount) - aws.ToInt64(es.ThrottleCount)
					st.Throttle = aws.ToInt64(es.ThrottleCount)
				}
				if fs := ss.FaultStatistics; fs != nil {
					st.Faults = aws.ToInt64(fs.TotalCount)
				}
				if st.Total > 0 {
					st.AvgResp = aws.ToFloat64(ss.TotalResponseTime) / float64(st.Total)
				}
			}
			out = append(out, st)
		}
	}
	return out, nil
}
