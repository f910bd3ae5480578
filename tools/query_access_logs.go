package tools

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// QueryAccessLogsInput is the input of query_access_logs.
type QueryAccessLogsInput struct {
	TimeRange
	StatusMin   int    `json:"status_min,omitempty" jsonschema:"minimum=100,maximum=599" jsonschema_description:"Only requests with elb_status_code >= this, e.g. 500."`
	StatusCodes []int  `json:"status_codes,omitempty" jsonschema_description:"Only these elb_status_code values."`
	Path        string `json:"path,omitempty" jsonschema_description:"URL path prefix, e.g. /api/checkout."`
	Method      string `json:"method,omitempty" jsonschema_description:"HTTP method, e.g. POST."`
	Target      string `json:"target,omitempty" jsonschema_description:"Target ip or ip:port, tg/NAME for a target group (Lambda targets have no ip), or a key group_by target shows: (redirect), (fixed-response), -."`
	ClientIP    string `json:"client_ip,omitempty" jsonschema_description:"Client IP address."`
	GroupBy     string `json:"group_by,omitempty" jsonschema:"enum=status,enum=path,enum=target,enum=minute" jsonschema_description:"Grouping (default status). Path segments holding digits show as *."`
	Limit       int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=1000" jsonschema_description:"Max groups (default 20; minute: 60)."`
	IncludeRows int    `json:"include_rows,omitempty" jsonschema:"minimum=0,maximum=50" jsonschema_description:"Also return this many raw requests, newest first."`
}

// QueryAccessLogsOutput is the result of query_access_logs.
type QueryAccessLogsOutput struct {
	Page
	Source string           `json:"source"`
	Window telemetry.Window `json:"window"`
	telemetry.AccessLogStats
}

// QueryAccessLogs is the query_access_logs tool.
func QueryAccessLogs() Tool {
	return New("query_access_logs", "Query ALB access logs",
		"ALB access logs in a window: request counts grouped by status, path, target or minute, ELB and target 4xx/5xx, target latency p50/p90/p99, the top failing paths and targets, and optionally raw rows. Live AWS uses Athena (bytes scanned are reported).",
		queryAccessLogs).Needs(SourceAccessLogs)
}

func queryAccessLogs(ctx context.Context, env *Env, in QueryAccessLogsInput) (*QueryAccessLogsOutput, error) {
	w, err := in.Window(env)
	if err != nil {
		return nil, err
	}
	groupBy := in.GroupBy
	switch groupBy {
	case "":
		groupBy = telemetry.GroupByStatus
	case telemetry.GroupByStatus, telemetry.GroupByPath, telemetry.GroupByTarget, telemetry.GroupByMinute:
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "group_by %q is not known.", in.GroupBy).WithHint("Use status, path, target or minute.")
	}
	defaultLimit := 20
	if groupBy == telemetry.GroupByMinute {
		defaultLimit = 60
	}
	limit, err := countArg("limit", in.Limit, defaultLimit, 1000)
	if err != nil {
		return nil, err
	}
	bad := func(format string, args ...any) error {
		return telemetry.Errorf(telemetry.KindInvalidInput, format, args...).WithHint("Check the input schema of query_access_logs.")
	}
	if in.IncludeRows < 0 || in.IncludeRows > 50 {
		return nil, bad("include_rows %d is out of range 0-50.", in.IncludeRows)
	}
	if in.StatusMin != 0 && (in.StatusMin < 100 || in.StatusMin > 599) {
		return nil, bad("status_min %d is not an HTTP status.", in.StatusMin)
	}
	for _, c := range in.StatusCodes {
		if c < 100 || c > 599 {
			return nil, bad("status code %d is not an HTTP status.", c)
		}
	}
	if in.Method != "" && !isToken(in.Method) {
		return nil, bad("method %q is not an HTTP method.", in.Method)
	}
	if in.Path != "" && !strings.HasPrefix(in.Path, "/") {
		return nil, bad("path %q must start with /.", in.Path)
	}
	if in.ClientIP != "" && net.ParseIP(in.ClientIP) == nil {
		return nil, bad("client_ip %q is not an IP address.", in.ClientIP)
	}
	if in.Target != "" && !strings.HasPrefix(in.Target, "tg/") && in.Target != evidence.TargetRedirect &&
		in.Target != evidence.TargetFixedResponse && in.Target != evidence.TargetNone {
		host := in.Target
		if h, _, err := net.SplitHostPort(in.Target); err == nil {
			host = h
		}
		if net.ParseIP(host) == nil {
			return nil, bad("target %q is not an ip, ip:port, tg/NAME (a target group, e.g. a Lambda function's), (redirect), (fixed-response) or -.", in.Target)
		}
	}
	q := telemetry.AccessLogQuery{
		Window: w, StatusMin: in.StatusMin, StatusCodes: in.StatusCodes, PathPrefix: in.Path, Method: strings.ToUpper(in.Method),
		Target: in.Target, ClientIP: in.ClientIP, GroupBy: groupBy, Limit: limit, IncludeRows: in.IncludeRows, Progress: ProgressFrom(ctx),
	}
	r, err := env.Sources.AccessLogs.AccessLogStats(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &QueryAccessLogsOutput{Source: env.Sources.Name, Window: w, AccessLogStats: *r}
	if r.TotalGroups > len(r.Groups) {
		out.Truncate(fmt.Sprintf("Showing %d of %d groups; raise limit or filter.", len(r.Groups), r.TotalGroups))
	}
	for i := range out.Rows {
		out.Rows[i].URL = clip(out.Rows[i].URL, 300)
	}
	if r.Stats.Partial != "" {
		out.Truncate(r.Stats.Partial)
	}
	return out, nil
}

func isToken(s string) bool {
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return len(s) <= 16
}

// Shrink drops raw rows, then groups, then the failing lists.
func (o *QueryAccessLogsOutput) Shrink() bool {
	if len(o.Rows) > 0 { // raw rows are optional: they may all go
		o.Rows = o.Rows[:len(o.Rows)/2]
		return true
	}
	return halve(&o.Groups) || halve(&o.TopFailingPaths) || halve(&o.TopFailingTargets)
}

// Text renders the result compactly.
func (o *QueryAccessLogsOutput) Text() string {
	var b strings.Builder
	t := o.Totals
	fmt.Fprintf(&b, "query_access_logs %s..%s (%s): %d requests, ELB 4xx=%d 5xx=%d, target 4xx=%d 5xx=%d%s\n",
		o.Window.Start.Format(time.RFC3339), o.Window.End.Format(time.RFC3339), o.Source, t.Requests, t.ELB4xx, t.ELB5xx, t.Target4xx, t.Target5xx, latencyText(o.Latency))
	fmt.Fprintf(&b, "By %s:\n", o.GroupBy)
	for _, g := range o.Groups {
		writeGroup(&b, g)
	}
	if len(o.TopFailingPaths) > 0 {
		b.WriteString("Top failing paths:\n")
		for _, g := range o.TopFailingPaths {
			writeGroup(&b, g)
		}
	}
	if len(o.TopFailingTargets) > 0 {
		b.WriteString("Top failing targets:\n")
		for _, g := range o.TopFailingTargets {
			writeGroup(&b, g)
		}
	}
	for _, r := range o.Rows {
		fmt.Fprintf(&b, "%s %s %s %s -> %s elb=%d target=%s %.3fs\n", r.Time.Format("2006-01-02T15:04:05.000Z"), r.Client, r.Method, r.URL, r.Target, r.ELBStatus, r.TargetStatus, r.TargetTime)
	}
	for _, w := range o.Stats.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Stats.BytesScanned > 0 {
		fmt.Fprintf(&b, "Athena scanned %.0f bytes\n", o.Stats.BytesScanned)
	}
	if o.Truncated {
		fmt.Fprintf(&b, "(truncated) %s\n", o.Hint)
	}
	return b.String()
}

func writeGroup(b *strings.Builder, g telemetry.AccessLogGroup) {
	fmt.Fprintf(b, "  %-28s %7d  elb4xx=%d elb5xx=%d t4xx=%d t5xx=%d%s\n", g.Key, g.Requests, g.ELB4xx, g.ELB5xx, g.Target4xx, g.Target5xx, latencyText(g.Latency))
}

func latencyText(l *telemetry.Latency) string {
	if l == nil {
		return ""
	}
	return fmt.Sprintf(" p50=%.3fs p90=%.3fs p99=%.3fs", l.P50, l.P90, l.P99)
}
