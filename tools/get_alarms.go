package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// GetAlarmsInput is the input of get_alarms.
type GetAlarmsInput struct {
	State          string   `json:"state,omitempty" jsonschema:"enum=ALARM,enum=OK,enum=INSUFFICIENT_DATA" jsonschema_description:"Only alarms in this state. Default: all."`
	Names          []string `json:"names,omitempty" jsonschema_description:"Exact alarm names."`
	NamePrefix     string   `json:"name_prefix,omitempty" jsonschema_description:"Alarm name prefix (not with names)."`
	IncludeHistory bool     `json:"include_history,omitempty" jsonschema_description:"Add each alarm's state changes of the last 24h with their breaching datapoints."`
}

// AlarmView is one alarm with its parsed datapoints and transitions.
type AlarmView struct {
	telemetry.Alarm
	// Datapoints are those the current state was decided on.
	Datapoints []evidence.AlarmDatapoint `json:"datapoints,omitempty"`
	// Triggering are the alarms that put a composite alarm in its state.
	Triggering []evidence.TriggeringAlarm `json:"triggering_alarms,omitempty"`
	History    []evidence.Transition      `json:"history,omitempty"`
	// Measure is what a metric-math or anomaly-detection alarm evaluates:
	// its expression and the metrics (with dimensions) it combines.
	Measure string `json:"measure,omitempty"`
	// RuleAlarms are the alarms a composite alarm's rule names, with their
	// state when the source has them.
	RuleAlarms []RuleAlarm `json:"rule_alarms,omitempty"`
}

// RuleAlarm is an alarm a composite alarm's rule names.
type RuleAlarm struct {
	Name string `json:"name"`
	// State is "" when the alarm is not in the source (deleted, or in
	// another account).
	State string    `json:"state,omitempty"`
	Since time.Time `json:"since,omitzero"`
	// Measure is what the named alarm watches, in one line.
	Measure string `json:"measure,omitempty"`
}

// GetAlarmsOutput is the result of get_alarms.
type GetAlarmsOutput struct {
	Page
	Source  string         `json:"source"`
	Counts  map[string]int `json:"counts"`
	Alarms  []AlarmView    `json:"alarms"`
	Omitted int            `json:"omitted,omitempty"`
	// SuggestedWindow is where to look with the other tools.
	SuggestedWindow *evidence.SuggestedWindow `json:"suggested_window,omitempty"`
	Warnings        []string                  `json:"warnings,omitempty"`
}

const (
	// alarmHistoryLookback is how far back state changes are read.
	alarmHistoryLookback = 24 * time.Hour
	alarmHistoryLimit    = 100
	// maxReasonChars clips long state reasons.
	maxReasonChars = 600
)

// GetAlarms is the get_alarms tool.
func GetAlarms() Tool {
	return New("get_alarms", "Get CloudWatch alarms",
		"List CloudWatch metric and composite alarms with state, reason, breaching datapoints, metric, threshold and (include_history) state changes of the last 24h. Returns suggested_window {start,end} around the firing alarms: pass it to the other tools. Start here.",
		getAlarms).Needs(SourceAlarms)
}

func getAlarms(ctx context.Context, env *Env, in GetAlarmsInput) (*GetAlarmsOutput, error) {
	src := env.Sources.Alarms
	switch in.State {
	case "", telemetry.AlarmStateAlarm, telemetry.AlarmStateOK, telemetry.AlarmStateInsufficientData:
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "state %q is not an alarm state.", in.State).WithHint("Use ALARM, OK or INSUFFICIENT_DATA.")
	}
	if len(in.Names) > 0 && in.NamePrefix != "" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "names and name_prefix cannot be combined.").WithHint("Give either names or name_prefix.")
	}
	if len(in.Names) > 100 {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "at most 100 names can be given, not %d.", len(in.Names)).WithHint("Use name_prefix for larger sets.")
	}
	list, err := src.Alarms(ctx, telemetry.AlarmQuery{State: in.State, Names: in.Names, NamePrefix: in.NamePrefix})
	if err != nil {
		return nil, err
	}
	now := env.Sources.Clock()
	out := &GetAlarmsOutput{Source: env.Sources.Name, Counts: evidence.CountAlarmStates(list.Alarms), Alarms: []AlarmView{}, Warnings: list.Warnings}
	if list.Partial != "" {
		out.Truncate(list.Partial)
	}
	// History is read even when not shown: it dates the last incident for
	// the suggested window when an alarm has already recovered.
	var transitions []evidence.Transition
	if names := evidence.AlarmNames(list.Alarms); len(names) > 0 {
		hist, err := src.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Names: names, Window: telemetry.Window{Start: now.Add(-alarmHistoryLookback), End: now}, Limit: alarmHistoryLimit})
		switch {
		case err != nil && in.IncludeHistory:
			return nil, err
		case err != nil:
			out.Warnings = append(out.Warnings, "alarm history unavailable, so the suggested window only covers alarms firing now: "+err.Error())
		default:
			out.Warnings = append(out.Warnings, hist.Warnings...)
			if hist.Partial != "" && in.IncludeHistory {
				out.Truncate(hist.Partial)
			}
			transitions = evidence.ParseHistory(hist.Items, list.Alarms)
		}
	}
	out.SuggestedWindow = evidence.SuggestWindow(list.Alarms, transitions, now)
	// A copy: the source may keep and hand out its slice again.
	alarms := slices.Clone(list.Alarms)
	evidence.SortAlarmsByUrgency(alarms)
	known := ruleAlarmsKnown(ctx, env, list.Alarms, out)
	for _, a := range alarms {
		out.Alarms = append(out.Alarms, alarmView(a, transitions, in.IncludeHistory, known))
	}
	if len(out.Alarms) == 0 {
		out.Hint = "No alarm matched; drop state or name filters to see every alarm."
	}
	return out, nil
}

// ruleAlarmsKnown returns the listed alarms by name, with the alarms that
// composite alarms' rules name but a filter left out (state=ALARM hides a
// child in OK), read by name. A failed read is a warning: the rule is
// still shown.
func ruleAlarmsKnown(ctx context.Context, env *Env, listed []telemetry.Alarm, out *GetAlarmsOutput) map[string]telemetry.Alarm {
	known := map[string]telemetry.Alarm{}
	for _, a := range listed {
		known[a.Name] = a
	}
	var missing []string
	for _, a := range listed {
		if a.Kind != "composite" {
			continue
		}
		for _, name := range evidence.RuleAlarms(a.Rule) {
			if _, ok := known[name]; !ok && !slices.Contains(missing, name) && len(missing) < maxRuleAlarmLookups {
				missing = append(missing, name)
			}
		}
	}
	if len(missing) == 0 {
		return known
	}
	more, err := env.Sources.Alarms.Alarms(ctx, telemetry.AlarmQuery{Names: missing})
	if err != nil {
		out.Warnings = append(out.Warnings, "the states of the alarms composite rules name could not be read: "+err.Error())
		return known
	}
	for _, a := range more.Alarms {
		known[a.Name] = a
	}
	return known
}

// maxRuleAlarmLookups bounds the alarms looked up for composite rules
// (DescribeAlarms takes at most 100 names).
const maxRuleAlarmLookups = 100

// alarmView shapes one alarm for the output: its reason clipped, the
// datapoints its state was decided on, what a metric-math alarm measures,
// the alarms a composite rule names, and its history when asked for.
func alarmView(a telemetry.Alarm, transitions []evidence.Transition, withHistory bool, known map[string]telemetry.Alarm) AlarmView {
	v := AlarmView{Alarm: a, Measure: evidence.DescribeMeasure(a)}
	if len(a.Metrics) > 0 {
		// The measure line and the structured metrics say all the
		// expression lines do.
		v.Expressions = nil
	}
	if a.Kind == "composite" {
		for _, name := range evidence.RuleAlarms(a.Rule) {
			ra := RuleAlarm{Name: name}
			if k, ok := known[name]; ok {
				ra.State, ra.Since = k.State, k.StateUpdated
				ra.Measure = alarmMeasure(k)
			}
			v.RuleAlarms = append(v.RuleAlarms, ra)
		}
	}
	v.Reason = clip(v.Reason, maxReasonChars)
	if rd := evidence.ParseReasonData([]byte(a.ReasonData), a.Comparison); rd != nil {
		v.Datapoints, v.Triggering = rd.Datapoints, rd.Triggering
	}
	if withHistory {
		for _, t := range evidence.TransitionsOf(transitions, a.Name) {
			t.Reason = clip(t.Reason, maxReasonChars)
			v.History = append(v.History, t)
		}
	}
	return v
}

// alarmMeasure is what an alarm watches in one line: its metric, its
// metric math, its rule or its query.
func alarmMeasure(a telemetry.Alarm) string {
	switch {
	case a.Kind == "composite":
		return "composite: " + a.Rule
	case a.Kind == "log":
		return "log query over " + strings.Join(a.LogGroups, ", ")
	case a.MetricName != "":
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s", a.Namespace, a.MetricName)
		for _, d := range a.Dimensions {
			fmt.Fprintf(&b, " %s=%s", d.Name, d.Value)
		}
		fmt.Fprintf(&b, " %s", a.Statistic)
		return b.String()
	}
	return evidence.DescribeMeasure(a)
}

// Shrink drops history of the least important alarms first, then alarms.
func (o *GetAlarmsOutput) Shrink() bool {
	for i := len(o.Alarms) - 1; i >= 0; i-- {
		if len(o.Alarms[i].History) > 0 {
			o.Alarms[i].History = nil
			return true
		}
	}
	if len(o.Alarms) > 1 {
		keep := len(o.Alarms) / 2
		o.Omitted += len(o.Alarms) - keep
		o.Alarms = o.Alarms[:keep]
		return true
	}
	return false
}

// Text renders the alarms compactly.
func (o *GetAlarmsOutput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "get_alarms (%s): %d alarms", o.Source, len(o.Alarms)+o.Omitted)
	for _, st := range []string{telemetry.AlarmStateAlarm, telemetry.AlarmStateInsufficientData, telemetry.AlarmStateOK} {
		if n := o.Counts[st]; n > 0 {
			fmt.Fprintf(&b, " %s=%d", st, n)
		}
	}
	b.WriteByte('\n')
	if w := o.SuggestedWindow; w != nil {
		fmt.Fprintf(&b, "suggested window: %s .. %s (%s)\n", w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339), w.Reason)
	}
	for _, a := range o.Alarms {
		fmt.Fprintf(&b, "%-17s %s since %s", a.State, a.Name, a.StateUpdated.Format(time.RFC3339))
		switch {
		case a.Kind == "composite":
			fmt.Fprintf(&b, " composite: %s", a.Rule)
		case a.Kind == "log":
			fmt.Fprintf(&b, " log query over %s: %s", strings.Join(a.LogGroups, ", "), clip(a.Query, 300))
		case a.MetricName != "":
			fmt.Fprintf(&b, " %s %s", a.Namespace, a.MetricName)
			for _, d := range a.Dimensions {
				fmt.Fprintf(&b, " %s=%s", d.Name, d.Value)
			}
			fmt.Fprintf(&b, " %s", a.Statistic)
		case len(a.Expressions) > 0 || len(a.Metrics) > 0:
			// Metric math or anomaly detection: what is evaluated is in
			// the expressions, listed below.
			if a.ThresholdMetricID != "" {
				b.WriteString(" anomaly detection")
			} else {
				b.WriteString(" metric math")
			}
		}
		if a.Kind != "composite" {
			switch {
			case a.Threshold != nil:
				fmt.Fprintf(&b, " %s %g", a.Comparison, *a.Threshold)
			case a.ThresholdMetricID != "":
				fmt.Fprintf(&b, " %s band %s", a.Comparison, a.ThresholdMetricID)
			}
			if a.PeriodSeconds > 0 {
				fmt.Fprintf(&b, " over %d×%ds", max(a.EvaluationPeriods, 1), a.PeriodSeconds)
			}
		}
		b.WriteByte('\n')
		switch {
		case a.Measure != "":
			fmt.Fprintf(&b, "    measures %s\n", clip(a.Measure, 600))
		default:
			for _, e := range a.Expressions {
				fmt.Fprintf(&b, "    %s\n", clip(e, 200))
			}
		}
		for _, ra := range a.RuleAlarms {
			switch {
			case ra.State == "":
				fmt.Fprintf(&b, "    rule names %s (not found in this source)\n", ra.Name)
			default:
				fmt.Fprintf(&b, "    rule names %s: %s since %s", ra.Name, ra.State, ra.Since.Format(time.RFC3339))
				if ra.Measure != "" {
					fmt.Fprintf(&b, ", %s", clip(ra.Measure, 400))
				}
				b.WriteByte('\n')
			}
		}
		for _, ta := range a.Triggering {
			fmt.Fprintf(&b, "    triggered by %s (%s since %s)\n", ta.Name, ta.State, ta.Since.Format(time.RFC3339))
		}
		if a.Reason != "" {
			fmt.Fprintf(&b, "    %s\n", clip(a.Reason, 300))
		}
		for _, t := range a.History {
			fmt.Fprintf(&b, "    %s %s -> %s", t.Time.Format(time.RFC3339), t.From, t.To)
			for _, dp := range t.Datapoints {
				if dp.Breaching {
					fmt.Fprintf(&b, " [%s %g]", dp.Timestamp.Format("15:04"), dp.Value)
				}
			}
			b.WriteByte('\n')
		}
	}
	for _, w := range o.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Truncated {
		fmt.Fprintf(&b, "(truncated) %s\n", o.Hint)
	}
	return b.String()
}
