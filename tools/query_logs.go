package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// QueryLogsInput is the input of query_logs.
type QueryLogsInput struct {
	TimeRange
	LogGroups []string `json:"log_groups,omitempty" jsonschema_description:"Log group names, or prefixes ending in *. Default: the configured groups (a snapshot: all)."`
	Filter    string   `json:"filter,omitempty" jsonschema_description:"Plain substring, or /regex/ (/regex/i ignores case)."`
	Query     string   `json:"query,omitempty" maxlen:"10000" jsonschema_description:"Raw Logs Insights query; live AWS only; mode is ignored."`
	Mode      string   `json:"mode,omitempty" jsonschema:"enum=events,enum=patterns,enum=histogram" jsonschema_description:"events: newest matching events; patterns (default): templates with counts covering the whole window; histogram: counts per time bin and severity."`
	Limit     int      `json:"limit,omitempty" jsonschema:"minimum=1,maximum=1000" jsonschema_description:"Max events or patterns returned (default 50)."`
}

// QueryLogsOutput is the result of query_logs; one of its parts is filled
// according to the mode.
type QueryLogsOutput struct {
	Page
	Source    string                 `json:"source"`
	Window    telemetry.Window       `json:"window"`
	LogGroups []string               `json:"log_groups,omitempty"`
	Mode      string                 `json:"mode"`
	Matched   int64                  `json:"matched"`
	Events    []telemetry.LogEvent   `json:"events,omitempty"`
	Patterns  []telemetry.LogPattern `json:"patterns,omitempty"`
	// TotalPatterns counts every pattern found, returned or not.
	TotalPatterns int                      `json:"total_patterns,omitempty"`
	BinSeconds    int64                    `json:"bin_seconds,omitempty"`
	Histogram     []telemetry.HistogramBin `json:"histogram,omitempty"`
	Rows          []map[string]string      `json:"rows,omitempty"`
	Stats         telemetry.QueryStats     `json:"stats"`
}

const (
	defaultLogLimit = 50
	maxLogLimit     = 1000
	// maxMessageChars clips single messages: a 1 MB stack dump must not eat
	// the whole budget, and its head says what it is.
	maxMessageChars = 2000
)

// QueryLogs is the query_logs tool.
func QueryLogs() Tool {
	return New("query_logs", "Query CloudWatch Logs",
		"Search CloudWatch Logs in a time window. mode=patterns (default) reduces every matching line to templates with counts, severity and first/last seen — start here; mode=events returns the newest matching lines with the total matched; mode=histogram shows when errors started. Filter with a substring or /regex/.",
		queryLogs).Needs(SourceLogs)
}

func queryLogs(ctx context.Context, env *Env, in QueryLogsInput) (*QueryLogsOutput, error) {
	w, err := in.Window(env)
	if err != nil {
		return nil, err
	}
	mode := in.Mode
	switch {
	case in.Query != "":
		mode = "query"
	case mode == "":
		mode = "patterns"
	case mode != "events" && mode != "patterns" && mode != "histogram":
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "mode %q is not known.", in.Mode).WithHint("Use events, patterns or histogram.")
	}
	limit, err := countArg("limit", in.Limit, defaultLogLimit, maxLogLimit)
	if err != nil {
		return nil, err
	}
	if _, err := evidence.ParseFilter(in.Filter); err != nil {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "%v.", err).WithHint("Fix the expression, or pass a plain substring without slashes.")
	}
	groups := in.LogGroups
	if len(groups) == 0 && !strings.HasPrefix(env.Sources.Name, "snapshot") {
		groups = env.Config.Logs.Groups
	}
	q := telemetry.LogQuery{LogGroups: groups, Window: w, Filter: in.Filter, Query: in.Query, Limit: limit, Progress: ProgressFrom(ctx)}
	out := &QueryLogsOutput{Source: env.Sources.Name, Window: w, LogGroups: groups, Mode: mode}
	switch mode {
	case "events":
		r, err := env.Sources.Logs.Events(ctx, q)
		if err != nil {
			return nil, err
		}
		out.Matched, out.Events, out.Stats = r.Matched, r.Events, r.Stats
		for i := range out.Events {
			out.Events[i].Message = clip(out.Events[i].Message, maxMessageChars)
		}
		if r.Matched > int64(len(r.Events)) {
			out.Truncate(fmt.Sprintf("Showing the newest %d of %d matching events; use mode=patterns to see all of them summarised, or narrow the filter.", len(r.Events), r.Matched))
		}
	case "patterns":
		r, err := env.Sources.Logs.Patterns(ctx, q)
		if err != nil {
			return nil, err
		}
		out.Matched, out.Patterns, out.TotalPatterns, out.Stats = r.Matched, r.Patterns, r.TotalPatterns, r.Stats
		for i := range out.Patterns {
			out.Patterns[i].Template = clip(out.Patterns[i].Template, maxMessageChars)
			out.Patterns[i].Sample = clip(out.Patterns[i].Sample, maxMessageChars)
		}
		if r.TotalPatterns > len(r.Patterns) {
			out.Truncate(fmt.Sprintf("Showing %d of %d patterns, most significant first; raise limit or add a filter to see others.", len(r.Patterns), r.TotalPatterns))
		}
	case "histogram":
		r, err := env.Sources.Logs.Histogram(ctx, q)
		if err != nil {
			return nil, err
		}
		out.Matched, out.BinSeconds, out.Histogram, out.Stats = r.Matched, r.BinSeconds, r.Bins, r.Stats
	case "query":
		r, err := env.Sources.Logs.Insights(ctx, q)
		if err != nil {
			return nil, err
		}
		out.Rows, out.Stats = r.Rows, r.Stats
		out.Matched = int64(len(r.Rows))
	}
	if out.Stats.Partial != "" {
		out.Truncate(out.Stats.Partial)
	}
	return out, nil
}

// Shrink drops the least significant half of the rows.
func (o *QueryLogsOutput) Shrink() bool {
	if halve(&o.Events) || halve(&o.Patterns) || halve(&o.Rows) {
		return true
	}
	if len(o.Histogram) > 1 {
		o.Histogram = mergeBins(o.Histogram)
		o.BinSeconds *= 2
		return true
	}
	return false
}

// mergeBins halves a histogram's resolution by adding neighbouring bins.
func mergeBins(bins []telemetry.HistogramBin) []telemetry.HistogramBin {
	out := make([]telemetry.HistogramBin, 0, (len(bins)+1)/2)
	for i := 0; i < len(bins); i += 2 {
		b := bins[i]
		if i+1 < len(bins) {
			nb := bins[i+1]
			b.Total += nb.Total
			if b.BySeverity == nil && len(nb.BySeverity) > 0 {
				b.BySeverity = map[string]int64{}
			}
			for k, v := range nb.BySeverity {
				b.BySeverity[k] += v
			}
		}
		out = append(out, b)
	}
	return out
}

// Text renders the result compactly for a model or a terminal.
func (o *QueryLogsOutput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "query_logs %s %s..%s (%s): %d matched\n", o.Mode, o.Window.Start.Format(time.RFC3339), o.Window.End.Format(time.RFC3339), o.Source, o.Matched)
	for _, p := range o.Patterns {
		sev := p.Severity
		if sev == "" {
			sev = "-"
		}
		fmt.Fprintf(&b, "%6d× %-5s %s  %s\n", p.Count, sev, seenSpan(p.FirstSeen, p.LastSeen), evidence.Condense(p.Template, 300))
		// Long traces outgrow the template; their innermost cause is what matters.
		if cause := evidence.RootCause(p.Sample); cause != "" && !strings.Contains(p.Template, cause) {
			fmt.Fprintf(&b, "%38s %s\n", "↳", clip(cause, 300))
		}
	}
	for _, e := range o.Events {
		fmt.Fprintf(&b, "%s %s %s\n", e.Timestamp.Format("2006-01-02T15:04:05.000Z"), e.LogGroup, evidence.Condense(e.Message, 400))
	}
	for i := 0; i < len(o.Histogram); i++ {
		h := o.Histogram[i]
		// A run of empty bins is one line: quiet time matters, not its length.
		if h.Total == 0 {
			j := i
			for j+1 < len(o.Histogram) && o.Histogram[j+1].Total == 0 {
				j++
			}
			if j > i {
				fmt.Fprintf(&b, "%s..%s      0\n", h.Start.Format("2006-01-02T15:04"), o.Histogram[j].Start.Format("15:04"))
				i = j
				continue
			}
		}
		fmt.Fprintf(&b, "%s %6d", h.Start.Format("2006-01-02T15:04"), h.Total)
		for _, sev := range []string{evidence.SevFatal, evidence.SevError, evidence.SevWarn} {
			if n := h.BySeverity[sev]; n > 0 {
				fmt.Fprintf(&b, " %s=%d", sev, n)
			}
		}
		b.WriteByte('\n')
	}
	for _, r := range o.Rows {
		fmt.Fprintf(&b, "%v\n", r)
	}
	for _, w := range o.Stats.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Truncated {
		fmt.Fprintf(&b, "(truncated) %s\n", o.Hint)
	}
	return b.String()
}

// seenSpan renders first..last seen; Logs Insights' pattern command reports
// no times, and a blank says so better than midnight.
func seenSpan(first, last time.Time) string {
	if first.IsZero() {
		return fmt.Sprintf("%-18s", "(times n/a)")
	}
	return first.Format("15:04:05") + ".." + last.Format("15:04:05")
}

// clip shortens s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…[%d more bytes]", len(s)-cut)
}
