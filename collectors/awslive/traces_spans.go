package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/xray"
	xtypes "github.com/aws/aws-sdk-go-v2/service/xray/types"

	"github.com/fa2/fa2/telemetry"
)

// X-Ray Transaction Search. When an account turns it on, X-Ray sends every
// span to the CloudWatch Logs group aws/spans (OpenTelemetry semantic
// conventions, W3C trace ids) and indexes only a share of them (1% by
// default) as trace summaries ("Enable transaction search", CloudWatch User
// Guide). BatchGetTraces then finds little, and GetTraceSummaries is a
// sample. GetTraceSegmentDestination says which mode the account is in:
// destination CloudWatchLogs, status ACTIVE means Transaction Search.

const (
	// spansLogGroup is where Transaction Search keeps spans.
	spansLogGroup = "aws/spans"
	// spanPathName names the spans path in output.
	spanPathName = "aws/spans log group (X-Ray Transaction Search)"
	// spanWindowBefore and spanWindowAfter bound the Logs Insights window
	// around the start time a trace id carries: a trace's spans start at or
	// after it and rarely last an hour.
	spanWindowBefore = 5 * time.Minute
	spanWindowAfter  = time.Hour
)

// traceDestination caches GetTraceSegmentDestination for the client.
type traceDestination struct {
	once sync.Once
	// spans: Transaction Search is active and spans are read from aws/spans.
	spans bool
	// note tells the user about the mode, or that it could not be checked.
	note string
}

// transactionSearch reports whether Transaction Search is active, asking
// X-Ray once per client. A failed check (a missing permission) keeps the
// X-Ray path and says so, rather than failing the trace read.
func (c *Client) transactionSearch(ctx context.Context) (spans bool, note string) {
	d := &c.traceDest
	d.once.Do(func() {
		out, err := c.xray.GetTraceSegmentDestination(ctx, &xray.GetTraceSegmentDestinationInput{})
		switch {
		case err != nil:
			d.note = fmt.Sprintf("could not check whether X-Ray Transaction Search is on (%v); traces were read from X-Ray. If it is on, grant xray:GetTraceSegmentDestination so fa2 reads spans from %s.", mapError("xray:GetTraceSegmentDestination", err), spansLogGroup)
		case out.Destination == xtypes.TraceSegmentDestinationCloudWatchLogs && out.Status == xtypes.TraceSegmentDestinationStatusActive:
			d.spans = true
			d.note = "X-Ray Transaction Search is on: trace summaries come from X-Ray and cover only the spans it indexes (1% by default), so counts are a sample; full traces are read from the aws/spans log group, which query_logs can search too."
		case out.Destination == xtypes.TraceSegmentDestinationCloudWatchLogs:
			d.note = "X-Ray Transaction Search is being enabled (destination CloudWatchLogs, status " + string(out.Status) + "); traces were read from X-Ray and may be incomplete."
		}
	})
	return d.spans, d.note
}

// xrayTraceID matches an X-Ray trace id: version 1, the start time in epoch
// seconds (8 hex digits) and 96 random bits (X-Ray developer guide, "Tracing
// header"). Its W3C form is the time and random parts joined.
var (
	xrayTraceID = regexp.MustCompile(`^1-([0-9a-f]{8})-([0-9a-f]{24})$`)
	w3cTraceID  = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// w3cID converts a trace id to the W3C form aws/spans stores, and reads the
// start time its first 8 hex digits carry.
func w3cID(id string) (w3c string, start time.Time, ok bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	if m := xrayTraceID.FindStringSubmatch(id); m != nil {
		id = m[1] + m[2]
	} else if !w3cTraceID.MatchString(id) {
		return "", time.Time{}, false
	}
	secs, err := strconv.ParseInt(id[:8], 16, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return id, time.Unix(secs, 0).UTC(), true
}

// tracesFromSpans reads the spans of ids from aws/spans with one Logs
// Insights query and rebuilds each trace as segments. Ids that are not
// trace ids, or whose spans are gone, are simply not returned.
func (c *Client) tracesFromSpans(ctx context.Context, ids []string) ([]telemetry.Trace, error) {
	asked := map[string]string{} // W3C id -> id as the caller wrote it
	var quoted []string
	var w telemetry.Window
	for _, id := range ids {
		w3c, start, ok := w3cID(id)
		if !ok || asked[w3c] != "" {
			continue
		}
		asked[w3c] = id
		quoted = append(quoted, quoteString(w3c))
		if w.Start.IsZero() || start.Add(-spanWindowBefore).Before(w.Start) {
			w.Start = start.Add(-spanWindowBefore)
		}
		if end := start.Add(spanWindowAfter); end.After(w.End) {
			w.End = end
		}
	}
	if len(quoted) == 0 {
		return nil, nil
	}
	if now := c.now(); w.End.After(now) {
		w.End = now
	}
	if !w.End.After(w.Start) {
		return nil, nil
	}
	// "in" is Logs Insights set membership (CWL_QuerySyntax-Filter.html:
	// filter statusCode in [300,400]); ids are validated hex, quoted anyway.
	text := pipeline("fields @timestamp, @message", "filter traceId in ["+strings.Join(quoted, ", ")+"]", fmt.Sprintf("limit %d", maxInsightsRows))
	res, err := c.runInsights(ctx, insightsQuery{groups: []string{spansLogGroup}, window: w, text: text, limit: maxInsightsRows, what: "span query"})
	if err != nil {
		return nil, err
	}
	byTrace := map[string][]otelSpan{}
	for _, b := range res.batches {
		for _, row := range b.rows {
			var sp otelSpan
			if json.Unmarshal([]byte(rowFields(row)["@message"]), &sp) != nil || asked[sp.TraceID] == "" {
				continue
			}
			byTrace[sp.TraceID] = append(byTrace[sp.TraceID], sp)
		}
	}
	var out []telemetry.Trace
	for _, id := range ids {
		w3c, _, _ := w3cID(id)
		spans := byTrace[w3c]
		if len(spans) == 0 || asked[w3c] != id {
			continue
		}
		out = append(out, spansToTrace(id, spans))
	}
	return out, nil
}

// otelSpan is a span as aws/spans stores it: OpenTelemetry's span fields in
// JSON, attributes under their semantic-convention names. Times are Unix
// nanoseconds, written as numbers or strings.
type otelSpan struct {
	TraceID      string  `json:"traceId"`
	SpanID       string  `json:"spanId"`
	ParentSpanID string  `json:"parentSpanId"`
	Name         string  `json:"name"`
	Kind         string  `json:"kind"`
	Start        flexInt `json:"startTimeUnixNano"`
	End          flexInt `json:"endTimeUnixNano"`
	Status       struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"status"`
	Attributes map[string]any `json:"attributes"`
	Resource   struct {
		Attributes map[string]any `json:"attributes"`
	} `json:"resource"`
	Events []struct {
		Name       string         `json:"name"`
		Attributes map[string]any `json:"attributes"`
	} `json:"events"`
}

// flexInt reads an integer written as a JSON number or string.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	*f = flexInt(v)
	return err
}

// attr reads the first present attribute among keys, whether the map is
// flat ("http.response.status_code": 500) or nested by dots.
func attr(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
		cur := any(m)
		for _, part := range strings.Split(k, ".") {
			mm, ok := cur.(map[string]any)
			if !ok {
				cur = nil
				break
			}
			cur = mm[part]
		}
		if cur != nil {
			return cur
		}
	}
	return nil
}

func attrString(m map[string]any, keys ...string) string {
	switch v := attr(m, keys...).(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func attrInt(m map[string]any, keys ...string) int {
	switch v := attr(m, keys...).(type) {
	case float64:
		return int(v)
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// spansToTrace rebuilds a trace: spans become segments, nested under their
// parents; spans whose parent is missing are top-level segments.
func spansToTrace(id string, spans []otelSpan) telemetry.Trace {
	segs := make(map[string]*telemetry.Segment, len(spans))
	order := make([]string, 0, len(spans))
	var first, last int64
	for _, sp := range spans {
		s := spanSegment(sp)
		segs[sp.SpanID] = &s
		order = append(order, sp.SpanID)
		if first == 0 || int64(sp.Start) < first {
			first = int64(sp.Start)
		}
		if int64(sp.End) > last {
			last = int64(sp.End)
		}
	}
	children := map[string][]string{}
	var roots []string
	for _, sp := range spans {
		if _, ok := segs[sp.ParentSpanID]; ok && sp.ParentSpanID != sp.SpanID {
			children[sp.ParentSpanID] = append(children[sp.ParentSpanID], sp.SpanID)
		} else {
			roots = append(roots, sp.SpanID)
		}
	}
	var build func(id string, depth int) telemetry.Segment
	build = func(id string, depth int) telemetry.Segment {
		s := *segs[id]
		if depth < 64 { // a parent cycle in bad data must not recurse forever
			for _, c := range children[id] {
				s.Subsegments = append(s.Subsegments, build(c, depth+1))
			}
		}
		sort.SliceStable(s.Subsegments, func(i, j int) bool { return s.Subsegments[i].StartTime < s.Subsegments[j].StartTime })
		return s
	}
	tr := telemetry.Trace{ID: id, Source: spanPathName}
	for _, r := range roots {
		tr.Segments = append(tr.Segments, build(r, 0))
	}
	sort.SliceStable(tr.Segments, func(i, j int) bool { return tr.Segments[i].StartTime < tr.Segments[j].StartTime })
	if last > first {
		tr.Duration = float64(last-first) / 1e9
	}
	return tr
}

// spanSegment maps one span to the segment fields fa2 reads. A span with
// status ERROR is a fault (5xx or no status), a throttle (429) or an error
// (other 4xx), as X-Ray classifies segments.
func spanSegment(sp otelSpan) telemetry.Segment {
	a := sp.Attributes
	service := attrString(sp.Resource.Attributes, "service.name")
	if service == "" {
		service = attrString(a, "aws.local.service")
	}
	s := telemetry.Segment{
		ID: sp.SpanID, ParentID: sp.ParentSpanID, Name: sp.Name, Operation: sp.Name,
		StartTime:  float64(sp.Start) / 1e9,
		EndTime:    float64(sp.End) / 1e9,
		HTTPMethod: attrString(a, "http.request.method", "http.method"),
		URL:        attrString(a, "url.full", "http.url", "url.path", "http.target"),
		HTTPStatus: attrInt(a, "http.response.status_code", "http.status_code"),
	}
	switch strings.ToUpper(strings.TrimPrefix(sp.Kind, "SPAN_KIND_")) {
	case "SERVER", "CONSUMER":
		if service != "" {
			s.Name = service
		}
	case "CLIENT", "PRODUCER":
		s.Namespace = "remote"
		if attrString(a, "rpc.system") == "aws-api" {
			s.Namespace = "aws"
		}
		if remote := attrString(a, "aws.remote.service", "rpc.service", "peer.service"); remote != "" {
			s.Name = remote
		}
	default:
		if sp.ParentSpanID == "" && service != "" {
			s.Name = service
		}
	}
	if strings.EqualFold(strings.TrimPrefix(sp.Status.Code, "STATUS_CODE_"), "ERROR") {
		switch st := s.HTTPStatus; {
		case st == 429:
			s.Throttle, s.Error = true, true
		case st >= 400 && st < 500:
			s.Error = true
		default:
			s.Fault = true
		}
	}
	for _, ev := range sp.Events {
		if ev.Name != "exception" {
			continue
		}
		s.Exceptions = append(s.Exceptions, telemetry.TraceException{
			Type:    attrString(ev.Attributes, "exception.type"),
			Message: attrString(ev.Attributes, "exception.message"),
		})
	}
	if len(s.Exceptions) == 0 && (s.Fault || s.Error) && sp.Status.Message != "" {
		s.Exceptions = []telemetry.TraceException{{Message: sp.Status.Message}}
	}
	return s
}
