package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// GetTracesInput is the input of get_traces.
type GetTracesInput struct {
	TimeRange
	FilterExpression string   `json:"filter_expression,omitempty" jsonschema_description:"X-Ray filter expression, e.g. fault AND service(\"api\"), http.status >= 500, responsetime > 2."`
	TraceIDs         []string `json:"trace_ids,omitempty" jsonschema_description:"Show these traces (at most 10) as trees of segments with timings, status and exceptions."`
	Limit            int      `json:"limit,omitempty" jsonschema:"minimum=1,maximum=10000" jsonschema_description:"Max traces read (default 5000), newest first."`
}

// SlowTrace is one of the slowest traces.
type SlowTrace struct {
	ID           string    `json:"id"`
	Start        time.Time `json:"start"`
	ResponseTime float64   `json:"response_time"`
	Request      string    `json:"request,omitempty"`
	Status       string    `json:"status,omitempty"`
	Services     []string  `json:"services,omitempty"`
}

// TraceDetail is one trace as a tree.
type TraceDetail struct {
	ID       string              `json:"id"`
	Duration float64             `json:"duration"`
	Tree     []evidence.TreeNode `json:"tree"`
}

// GetTracesOutput is the result of get_traces.
type GetTracesOutput struct {
	Page
	Source string           `json:"source"`
	Window telemetry.Window `json:"window"`
	Filter string           `json:"filter_expression,omitempty"`
	evidence.TraceCounts
	// Processed counts traces X-Ray looked at, matching or not.
	Processed     int64                    `json:"processed,omitempty"`
	FailureGroups []evidence.FailureGroup  `json:"failure_groups,omitempty"`
	Slowest       []SlowTrace              `json:"slowest,omitempty"`
	Services      []telemetry.ServiceStats `json:"services,omitempty"`
	Traces        []TraceDetail            `json:"traces,omitempty"`
	Warnings      []string                 `json:"warnings,omitempty"`
}

const (
	defaultTraceLimit = 5000
	maxTraceLimit     = 10000
	maxTraceIDs       = 10
	maxTreeNodes      = 40
	slowestTraces     = 5
	traceExamples     = 3
)

// GetTraces is the get_traces tool.
func GetTraces() Tool {
	return New("get_traces", "Get X-Ray traces",
		"Summarise X-Ray traces in a window: counts of faults/errors/throttles, failures grouped by root cause (service, entity path down to the failing subsegment, exception) with counts and example ids, the slowest traces, per-service counts. filter_expression is X-Ray's syntax. trace_ids shows those traces as trees.",
		getTraces).Needs(SourceTraces)
}

func getTraces(ctx context.Context, env *Env, in GetTracesInput) (*GetTracesOutput, error) {
	src := env.Sources.Traces
	w, err := in.Window(env)
	if err != nil {
		return nil, err
	}
	limit, err := countArg("limit", in.Limit, defaultTraceLimit, maxTraceLimit)
	if err != nil {
		return nil, err
	}
	out := &GetTracesOutput{Source: env.Sources.Name, Window: w, Filter: in.FilterExpression}
	if len(in.TraceIDs) > 0 {
		return traceDetails(ctx, src, in.TraceIDs, out)
	}
	sums, err := src.TraceSummaries(ctx, telemetry.TraceQuery{Window: w, Filter: in.FilterExpression, Limit: limit})
	if err != nil {
		return nil, err
	}
	out.Warnings = append(out.Warnings, sums.Warnings...)
	if sums.Partial != "" {
		out.Truncate(sums.Partial + "; counts cover only the traces read — narrow the window or add a filter_expression.")
	}
	out.TraceCounts = evidence.CountTraces(sums.Summaries)
	out.Processed = sums.Processed
	out.FailureGroups = evidence.GroupFailures(sums.Summaries, traceExamples)
	for _, s := range evidence.SlowestTraces(sums.Summaries, slowestTraces) {
		st := SlowTrace{ID: s.ID, Start: s.Start, ResponseTime: s.ResponseTime, Services: s.Services}
		if s.URL != "" {
			st.Request = strings.TrimSpace(s.HTTPMethod + " " + s.URL)
		}
		switch {
		case s.HasFault:
			st.Status = "fault"
		case s.HasError:
			st.Status = "error"
		case s.HasThrottle:
			st.Status = "throttle"
		}
		if s.HTTPStatus != 0 {
			st.Status = strings.TrimSpace(fmt.Sprintf("%s %d", st.Status, s.HTTPStatus))
		}
		out.Slowest = append(out.Slowest, st)
	}
	if graph, err := src.ServiceGraph(ctx, w); err != nil {
		out.Warnings = append(out.Warnings, "per-service counts unavailable: "+err.Error())
	} else {
		out.Services = graph
	}
	if out.Matched == 0 {
		out.Hint = "No trace matched; widen the window, check the filter_expression, or check that X-Ray tracing is on for the services."
	}
	return out, nil
}

func traceDetails(ctx context.Context, src collectors.TraceSource, ids []string, out *GetTracesOutput) (*GetTracesOutput, error) {
	if len(ids) > maxTraceIDs {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "at most %d trace_ids, not %d.", maxTraceIDs, len(ids)).WithHint("Ask for the few traces you need, such as a failure group's example ids.")
	}
	traces, err := src.Traces(ctx, ids)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	var sums []telemetry.TraceSummary
	sources := map[string]bool{}
	for _, t := range traces {
		if t.Source != "" && !sources[t.Source] { // say which path was used when not X-Ray
			sources[t.Source] = true
			out.Warnings = append(out.Warnings, "traces read from the "+t.Source)
		}
		sums = append(sums, evidence.SummarizeTrace(t))
		found[t.ID] = true
		out.Traces = append(out.Traces, TraceDetail{ID: t.ID, Duration: t.Duration, Tree: evidence.TraceTree(t, maxTreeNodes)})
	}
	for _, id := range ids {
		if !found[id] {
			// The reason is not known here: X-Ray keeps traces 30 days, and with
			// Transaction Search spans live as long as the aws/spans log group keeps them.
			out.Warnings = append(out.Warnings, fmt.Sprintf("trace %s was not found: it may be past its retention (X-Ray keeps traces 30 days; with Transaction Search, the aws/spans log group's retention applies)", id))
		}
	}
	out.TraceCounts = evidence.CountTraces(sums)
	return out, nil
}

// Shrink drops the least important rows: trees, then services, slowest
// traces and finally the smallest failure groups.
func (o *GetTracesOutput) Shrink() bool {
	return halve(&o.Traces) || halve(&o.Services) || halve(&o.Slowest) || halve(&o.FailureGroups) || halve(&o.Warnings)
}

// Text renders the result compactly.
func (o *GetTracesOutput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "get_traces %s..%s (%s)", o.Window.Start.Format(time.RFC3339), o.Window.End.Format(time.RFC3339), o.Source)
	if o.Filter != "" {
		fmt.Fprintf(&b, " filter %q", o.Filter)
	}
	fmt.Fprintf(&b, ": %d traces, %d faults, %d errors, %d throttles\n", o.Matched, o.Faults, o.Errors, o.Throttles)
	for _, g := range o.FailureGroups {
		fmt.Fprintf(&b, "%5d× %-5s %s..%s %s", g.Count, g.Kind, g.First.Format("15:04:05"), g.Last.Format("15:04:05"), g.Path)
		if g.Exception != "" {
			fmt.Fprintf(&b, " — %s: %s", g.Exception, clip(g.Message, 200))
		}
		fmt.Fprintf(&b, " e.g. %s\n", strings.Join(g.ExampleIDs, ", "))
	}
	if len(o.Slowest) > 0 {
		b.WriteString("slowest:\n")
		for _, s := range o.Slowest {
			fmt.Fprintf(&b, "  %.3fs %s %s %s\n", s.ResponseTime, s.ID, s.Request, s.Status)
		}
	}
	if len(o.Services) > 0 {
		b.WriteString("services:\n")
		for _, s := range o.Services {
			fmt.Fprintf(&b, "  %-20s total=%d ok=%d errors=%d faults=%d avg=%.3fs\n", s.Name, s.Total, s.OK, s.Errors, s.Faults, s.AvgResp)
		}
	}
	for _, t := range o.Traces {
		fmt.Fprintf(&b, "trace %s (%.3fs)\n", t.ID, t.Duration)
		for _, n := range t.Tree {
			writeTree(&b, n, 1)
		}
	}
	for _, w := range o.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Truncated || o.Hint != "" {
		fmt.Fprintf(&b, "(note) %s\n", o.Hint)
	}
	return b.String()
}

func writeTree(b *strings.Builder, n evidence.TreeNode, depth int) {
	fmt.Fprintf(b, "%s%s +%.0fms", strings.Repeat("  ", depth), n.Name, n.StartMs)
	if !strings.HasPrefix(n.Status, "in progress") {
		fmt.Fprintf(b, " %.1fms", n.DurationMs) // an unfinished segment has no duration yet
	}
	if n.HTTP != "" {
		fmt.Fprintf(b, " [%s]", n.HTTP)
	}
	if n.Status != "" {
		fmt.Fprintf(b, " %s", strings.ToUpper(n.Status))
	}
	if n.Exception != "" {
		fmt.Fprintf(b, " %s", clip(n.Exception, 200))
	}
	b.WriteByte('\n')
	for _, c := range n.Children {
		writeTree(b, c, depth+1)
	}
	if n.Omitted > 0 {
		fmt.Fprintf(b, "%s… %d more\n", strings.Repeat("  ", depth+1), n.Omitted)
	}
}
