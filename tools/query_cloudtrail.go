package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// QueryCloudTrailInput is the input of query_cloudtrail.
type QueryCloudTrailInput struct {
	TimeRange
	EventNames   []string `json:"event_names,omitempty" jsonschema_description:"API names, e.g. UpdateService, RegisterTaskDefinition."`
	EventSources []string `json:"event_sources,omitempty" jsonschema_description:"Service hosts, e.g. ecs.amazonaws.com."`
	Principals   []string `json:"principals,omitempty" jsonschema_description:"IAM user or role names, ARNs, or 12-digit account ids (every caller of that account); a role matches all its sessions."`
	Resource     string   `json:"resource,omitempty" jsonschema_description:"Resource name or ARN, matched in resources and request parameters."`
	OnlyMutating *bool    `json:"only_mutating,omitempty" jsonschema_description:"Only calls that change something (readOnly=false). Default true."`
	ErrorsOnly   bool     `json:"errors_only,omitempty" jsonschema_description:"Only failed calls (AccessDenied...)."`
	Limit        int      `json:"limit,omitempty" jsonschema:"minimum=1,maximum=500" jsonschema_description:"Max events listed (default 30); the summary covers more."`
}

// QueryCloudTrailOutput is the result of query_cloudtrail.
type QueryCloudTrailOutput struct {
	Page
	Source string           `json:"source"`
	Window telemetry.Window `json:"window"`
	// Matched counts the events read; the summary covers all of them.
	Matched int `json:"matched"`
	// RecentChanges are the write calls nearest before the window's end,
	// the first suspects: people's and pipelines' first, then those AWS
	// services made (actor "aws-service").
	RecentChanges []telemetry.CloudTrailEvent `json:"recent_changes"`
	Summary       []evidence.CloudTrailGroup  `json:"summary"`
	Events        []telemetry.CloudTrailEvent `json:"events"`
	Stats         telemetry.QueryStats        `json:"stats"`
}

const (
	defaultTrailLimit = 30
	maxTrailLimit     = 500
	// trailScan is how many events the source reads for the summary.
	trailScan     = 600
	recentChanges = 5
	// eventParamBytes bounds the request parameters of each listed event.
	eventParamBytes = 250
	maxSummary      = 40
)

// QueryCloudTrail is the query_cloudtrail tool.
func QueryCloudTrail() Tool {
	return New("query_cloudtrail", "Query CloudTrail",
		"What changed, and who called: CloudTrail events in a window, newest first, with request parameters, a summary by service/API/caller and the changes nearest before the window's end (the first suspects). Default: only write calls; set only_mutating=false for reads.",
		queryCloudTrail).Needs(SourceCloudTrail)
}

func queryCloudTrail(ctx context.Context, env *Env, in QueryCloudTrailInput) (*QueryCloudTrailOutput, error) {
	w, err := in.Window(env)
	if err != nil {
		return nil, err
	}
	limit, err := countArg("limit", in.Limit, defaultTrailLimit, maxTrailLimit)
	if err != nil {
		return nil, err
	}
	q := telemetry.CloudTrailQuery{
		Window: w, EventNames: trimAll(in.EventNames), EventSources: trimAll(in.EventSources), Principals: trimAll(in.Principals),
		Resource: strings.TrimSpace(in.Resource), OnlyMutating: in.OnlyMutating == nil || *in.OnlyMutating, ErrorsOnly: in.ErrorsOnly,
		Limit: max(trailScan, limit), Progress: ProgressFrom(ctx),
	}
	r, err := env.Sources.CloudTrail.CloudTrailEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &QueryCloudTrailOutput{
		Source: env.Sources.Name, Window: w, Matched: len(r.Events), Stats: r.Stats,
		RecentChanges: evidence.RecentChanges(r.Events, w.End, recentChanges),
		Summary:       evidence.SummarizeCloudTrail(r.Events),
		Events:        r.Events,
	}
	// The suspects keep their parameters whole; the listed events keep the
	// most telling ones, which come first.
	out.Events = append(make([]telemetry.CloudTrailEvent, 0, len(out.Events)), out.Events...)
	for i := range out.Events {
		out.Events[i].Request = trimRequest(out.Events[i].Request, eventParamBytes)
	}
	if len(out.Summary) > maxSummary {
		out.Summary = out.Summary[:maxSummary]
		out.Truncate(fmt.Sprintf("The summary shows the first %d groups; filter by event_sources or principals to see others.", maxSummary))
	}
	if len(out.Events) > limit {
		out.Events = out.Events[:limit]
		out.Truncate(fmt.Sprintf("Showing the newest %d of %d events (the summary covers all); add event_names, principals or resource, or raise limit.", limit, out.Matched))
	}
	if r.Stats.Partial != "" {
		out.Truncate(r.Stats.Partial)
	}
	return out, nil
}

// trimRequest keeps leading parameters within n bytes, counting the rest.
func trimRequest(params []string, n int) []string {
	used := 0
	for i, p := range params {
		if used+len(p) > n && i > 0 {
			return append(append([]string(nil), params[:i]...), fmt.Sprintf("…%d more parameters", len(params)-i))
		}
		used += len(p)
	}
	return params
}

// trimAll drops blank entries and surrounding spaces.
func trimAll(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Shrink drops events first, then summary groups, then parameters.
func (o *QueryCloudTrailOutput) Shrink() bool {
	switch {
	case len(o.Events) > 1:
		o.Events = o.Events[:len(o.Events)/2]
	case len(o.Summary) > 5:
		o.Summary = o.Summary[:len(o.Summary)/2]
	case len(o.Events) == 1:
		o.Events = nil
	default:
		cut := false
		for i := range o.RecentChanges {
			if n := len(o.RecentChanges[i].Request); n > 3 {
				o.RecentChanges[i].Request = o.RecentChanges[i].Request[:3]
				cut = true
			}
		}
		if !cut && len(o.RecentChanges) > 1 {
			o.RecentChanges = o.RecentChanges[:len(o.RecentChanges)/2]
			cut = true
		}
		return cut
	}
	return true
}

// Text renders the result compactly.
func (o *QueryCloudTrailOutput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "query_cloudtrail %s..%s (%s): %d events\n", o.Window.Start.Format(time.RFC3339), o.Window.End.Format(time.RFC3339), o.Source, o.Matched)
	if len(o.RecentChanges) > 0 {
		b.WriteString("Changes nearest before the end (first suspects):\n")
		for _, ev := range o.RecentChanges {
			writeTrailEvent(&b, ev, true)
		}
	}
	if len(o.Summary) > 0 {
		b.WriteString("Summary (source name principal: count):\n")
		for _, g := range o.Summary {
			errs := ""
			if g.Errors > 0 {
				errs = fmt.Sprintf(" errors=%d", g.Errors)
			}
			fmt.Fprintf(&b, "  %s %s %s: %d%s %s..%s\n", g.Source, g.Name, shortPrincipal(g.Principal), g.Count, errs, g.FirstSeen.Format("15:04:05"), g.LastSeen.Format("15:04:05"))
		}
	}
	if len(o.Events) > 0 {
		b.WriteString("Events, newest first:\n")
		for _, ev := range o.Events {
			writeTrailEvent(&b, ev, false)
		}
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

func writeTrailEvent(b *strings.Builder, ev telemetry.CloudTrailEvent, full bool) {
	fmt.Fprintf(b, "  %s %s %s by %s", ev.Time.Format("2006-01-02T15:04:05Z"), ev.Source, ev.Name, shortPrincipal(ev.Principal))
	if ev.CallerAccount != "" && !strings.Contains(shortPrincipal(ev.Principal), ev.CallerAccount) {
		fmt.Fprintf(b, " (account %s)", ev.CallerAccount)
	}
	switch ev.Actor {
	case telemetry.ActorConsole:
		b.WriteString(" in the console")
	case telemetry.ActorAWSService:
		if ev.InvokedBy != "" {
			fmt.Fprintf(b, " [AWS service %s]", ev.InvokedBy)
		} else {
			b.WriteString(" [AWS service]")
		}
	}
	if ev.SourceIP != "" {
		fmt.Fprintf(b, " from %s", ev.SourceIP)
	}
	if ev.Insight != "" {
		fmt.Fprintf(b, " INSIGHT %s", ev.Insight)
	}
	if ev.ErrorCode != "" {
		fmt.Fprintf(b, " ERROR %s: %s", ev.ErrorCode, clip(ev.ErrorMessage, 160))
	}
	b.WriteByte('\n')
	if len(ev.Request) > 0 {
		// Changes get room for their parameters; other events a glimpse.
		n := 200
		if full {
			n = 600
		}
		fmt.Fprintf(b, "    %s\n", clip(strings.Join(ev.Request, " "), n))
	}
}

// shortPrincipal drops the "arn:aws:iam::123456789012:" prefix for reading.
func shortPrincipal(p string) string {
	if parts := strings.SplitN(p, ":", 6); len(parts) == 6 && parts[0] == "arn" {
		return parts[5]
	}
	return p
}
