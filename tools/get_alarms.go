package tools

import (
	"context"
	"fmt"
	"sort"
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
	History    []evidence.Transition     `json:"history,omitempty"`
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
		getAlarms)
}

func getAlarms(ctx context.Context, env *Env, in GetAlarmsInput) (*GetAlarmsOutput, error) {
	src := env.Sources.Alarms
	if src == nil {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "this source has no CloudWatch alarms.").WithHint("Use a snapshot with alarms.json, or live AWS.")
	}
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
	now := time.Now().UTC()
	if env.Sources.Now != nil {
		now = env.Sources.Now().UTC()
	}
	out := &GetAlarmsOutput{Source: env.Sources.Name, Counts: map[string]int{}, Alarms: []AlarmView{}, Warnings: list.Warnings}
	if list.Partial != "" {
		out.Truncate(list.Partial)
	}
	var names []string
	comparison := map[string]string{}
	for _, a := range list.Alarms {
		out.Counts[a.State]++
		names = append(names, a.Name)
		comparison[a.Name] = a.Comparison
	}
	// History is read even when not shown: it dates the last incident for
	// the suggested window when an alarm has already recovered.
	var transitions []evidence.Transition
	if len(names) > 0 {
		hist, err := src.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Names: names, Window: telemetry.Window{Start: now.Add(-alarmHistoryLookback), End: now}, Limit: alarmHistoryLimit})
		if err != nil {
			if !in.IncludeHistory {
				out.Warnings = append(out.Warnings, "alarm history unavailable, so the suggested window only covers alarms firing now: "+err.Error())
			} else {
				return nil, err
			}
		} else {
			out.Warnings = append(out.Warnings, hist.Warnings...)
			if hist.Partial != "" && in.IncludeHistory {
				out.Truncate(hist.Partial)
			}
			for _, h := range hist.Items {
				transitions = append(transitions, evidence.ParseTransition(h, comparison[h.AlarmName]))
			}
		}
	}
	out.SuggestedWindow = evidence.SuggestWindow(list.Alarms, transitions, now)
	for _, a := range list.Alarms {
		v := AlarmView{Alarm: a}
		v.Reason = clip(v.Reason, maxReasonChars)
		if rd := evidence.ParseReasonData([]byte(a.ReasonData), a.Comparison); rd != nil {
			v.Datapoints = rd.Datapoints
		}
		if in.IncludeHistory {
			for _, t := range transitions {
				if t.Alarm == a.Name {
					t.Reason = clip(t.Reason, maxReasonChars)
					v.History = append(v.History, t)
				}
			}
		}
		out.Alarms = append(out.Alarms, v)
	}
	// Firing alarms first, then the most recently changed.
	rank := map[string]int{telemetry.AlarmStateAlarm: 0, telemetry.AlarmStateInsufficientData: 1, telemetry.AlarmStateOK: 2}
	sort.SliceStable(out.Alarms, func(i, j int) bool {
		a, b := out.Alarms[i], out.Alarms[j]
		if rank[a.State] != rank[b.State] {
			return rank[a.State] < rank[b.State]
		}
		return a.StateUpdated.After(b.StateUpdated)
	})
	if len(out.Alarms) == 0 {
		out.Hint = "No alarm matched; drop state or name filters to see every alarm."
	}
	return out, nil
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
		if a.Kind == "composite" {
			fmt.Fprintf(&b, " composite: %s", a.Rule)
		} else if a.Kind == "log" {
			fmt.Fprintf(&b, " log query over %s: %s", strings.Join(a.LogGroups, ", "), clip(a.Query, 300))
			if a.Threshold != nil {
				fmt.Fprintf(&b, " %s %g", a.Comparison, *a.Threshold)
			}
		} else if a.MetricName != "" {
			fmt.Fprintf(&b, " %s %s %s", a.Namespace, a.MetricName, a.Statistic)
			if a.Threshold != nil {
				fmt.Fprintf(&b, " %s %g", a.Comparison, *a.Threshold)
			}
		}
		b.WriteByte('\n')
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
