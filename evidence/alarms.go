package evidence

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// AlarmDatapoint is a datapoint an alarm evaluated.
type AlarmDatapoint struct {
	Timestamp time.Time `json:"t"`
	Value     float64   `json:"v"`
	// Breaching is set when the value crosses the threshold.
	Breaching bool `json:"breaching,omitempty"`
}

// ReasonData is the part of an alarm's StateReasonData fa2 uses.
type ReasonData struct {
	Statistic     string           `json:"statistic,omitempty"`
	PeriodSeconds int              `json:"period,omitempty"`
	Threshold     *float64         `json:"threshold,omitempty"`
	StartDate     time.Time        `json:"start_date,omitempty"`
	QueryDate     time.Time        `json:"query_date,omitempty"`
	Datapoints    []AlarmDatapoint `json:"datapoints,omitempty"`
	// Triggering are the alarms that put a composite alarm in its state.
	Triggering []TriggeringAlarm `json:"triggering_alarms,omitempty"`
}

// TriggeringAlarm is one of a composite alarm's triggeringAlarms.
type TriggeringAlarm struct {
	Name  string    `json:"name"`
	ARN   string    `json:"arn,omitempty"`
	State string    `json:"state,omitempty"`
	Since time.Time `json:"since,omitempty"`
}

type rawReasonData struct {
	QueryDate           string   `json:"queryDate"`
	StartDate           string   `json:"startDate"`
	Statistic           string   `json:"statistic"`
	Period              int      `json:"period"`
	Threshold           *float64 `json:"threshold"`
	EvaluatedDatapoints []struct {
		Timestamp string   `json:"timestamp"`
		Value     *float64 `json:"value"`
		// Threshold is the band's edge at this datapoint (anomaly detection).
		Threshold *float64 `json:"threshold"`
	} `json:"evaluatedDatapoints"`
	// Anomaly-detection alarms give the band instead of one threshold.
	RecentDatapoints      []float64 `json:"recentDatapoints"`
	RecentLowerThresholds []float64 `json:"recentLowerThresholds"`
	RecentUpperThresholds []float64 `json:"recentUpperThresholds"`
	// Composite alarms name the alarms that triggered them.
	TriggeringAlarms []struct {
		ARN   string `json:"arn"`
		State struct {
			Value     string `json:"value"`
			Timestamp string `json:"timestamp"`
		} `json:"state"`
	} `json:"triggeringAlarms"`
}

// parseAWSTime reads the timestamps of alarm reason data, which CloudWatch
// writes as 2026-11-20T09:25:00.000+0000.
func parseAWSTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// ParseReasonData reads StateReasonData (a JSON document, as a string or
// raw JSON). Datapoints are marked breaching with comparison; it returns
// nil when data is empty or unreadable.
func ParseReasonData(data []byte, comparison string) *ReasonData {
	if len(data) == 0 {
		return nil
	}
	var raw rawReasonData
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil
	}
	rd := &ReasonData{Statistic: raw.Statistic, PeriodSeconds: raw.Period, Threshold: raw.Threshold,
		StartDate: parseAWSTime(raw.StartDate), QueryDate: parseAWSTime(raw.QueryDate)}
	for _, dp := range raw.EvaluatedDatapoints {
		if dp.Value == nil {
			continue // missing data
		}
		p := AlarmDatapoint{Timestamp: parseAWSTime(dp.Timestamp), Value: *dp.Value}
		switch {
		case dp.Threshold != nil && isBand(comparison):
			// One edge of the band is given per datapoint; on a two-sided
			// band it is the edge nearest the value, crossed or not, so
			// the value must lie beyond it the way the alarm watches.
			t := *dp.Threshold
			switch comparison {
			case "GreaterThanUpperThreshold":
				p.Breaching = p.Value > t
			case "LessThanLowerThreshold":
				p.Breaching = p.Value < t
			default:
				p.Breaching = p.Value != t
			}
		case raw.Threshold != nil:
			p.Breaching = Breaches(p.Value, *raw.Threshold, comparison)
		}
		rd.Datapoints = append(rd.Datapoints, p)
	}
	// CloudWatch lists the newest datapoint first; oldest first reads better.
	for i, j := 0, len(rd.Datapoints)-1; i < j; i, j = i+1, j-1 {
		rd.Datapoints[i], rd.Datapoints[j] = rd.Datapoints[j], rd.Datapoints[i]
	}
	// An anomaly-detection alarm without evaluated datapoints: the recent
	// ones, oldest first from startDate one period apart, against the band.
	if len(rd.Datapoints) == 0 && len(raw.RecentDatapoints) > 0 {
		for i, v := range raw.RecentDatapoints {
			p := AlarmDatapoint{Value: v}
			if !rd.StartDate.IsZero() {
				p.Timestamp = rd.StartDate.Add(time.Duration(i*raw.Period) * time.Second)
			}
			p.Breaching = outsideBand(v, nth(raw.RecentLowerThresholds, i), nth(raw.RecentUpperThresholds, i), comparison)
			rd.Datapoints = append(rd.Datapoints, p)
		}
	}
	for _, ta := range raw.TriggeringAlarms {
		rd.Triggering = append(rd.Triggering, TriggeringAlarm{Name: alarmNameOf(ta.ARN), ARN: ta.ARN, State: ta.State.Value, Since: parseAWSTime(ta.State.Timestamp)})
	}
	return rd
}

// isBand reports whether a ComparisonOperator compares with an
// anomaly-detection band rather than a threshold.
func isBand(comparison string) bool {
	return strings.Contains(comparison, "LowerThreshold") || strings.Contains(comparison, "UpperThreshold")
}

func nth(xs []float64, i int) *float64 {
	if i < len(xs) {
		return &xs[i]
	}
	return nil
}

// outsideBand reports whether v leaves the band the way the comparison
// alarms on (below the lower edge, above the upper, or either).
func outsideBand(v float64, lower, upper *float64, comparison string) bool {
	below := lower != nil && v < *lower
	above := upper != nil && v > *upper
	switch comparison {
	case "LessThanLowerThreshold":
		return below
	case "GreaterThanUpperThreshold":
		return above
	}
	return below || above
}

// alarmNameOf is the name in an alarm ARN
// ("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-5xx" → "orders-5xx").
func alarmNameOf(arn string) string {
	if _, name, ok := strings.Cut(arn, ":alarm:"); ok {
		return name
	}
	return arn
}

// Breaches reports whether v crosses threshold under a CloudWatch
// ComparisonOperator.
func Breaches(v, threshold float64, comparison string) bool {
	switch comparison {
	case "GreaterThanOrEqualToThreshold":
		return v >= threshold
	case "GreaterThanThreshold":
		return v > threshold
	case "LessThanThreshold":
		return v < threshold
	case "LessThanOrEqualToThreshold":
		return v <= threshold
	}
	return false // anomaly-detection bands are not evaluated here
}

// Transition is an alarm state change from its history.
type Transition struct {
	Alarm      string           `json:"alarm"`
	Time       time.Time        `json:"time"`
	From       string           `json:"from"`
	To         string           `json:"to"`
	Reason     string           `json:"reason,omitempty"`
	Datapoints []AlarmDatapoint `json:"datapoints,omitempty"`
}

type rawHistoryData struct {
	OldState struct {
		StateValue string `json:"stateValue"`
	} `json:"oldState"`
	NewState struct {
		StateValue      string          `json:"stateValue"`
		StateReason     string          `json:"stateReason"`
		StateReasonData json.RawMessage `json:"stateReasonData"`
	} `json:"newState"`
}

// ParseTransition reads a StateUpdate history item. comparison is the
// alarm's ComparisonOperator ("" when unknown).
func ParseTransition(item telemetry.AlarmHistoryItem, comparison string) Transition {
	tr := Transition{Alarm: item.AlarmName, Time: item.Timestamp.UTC(), Reason: item.Summary}
	var raw rawHistoryData
	if err := json.Unmarshal([]byte(item.Data), &raw); err == nil {
		tr.From, tr.To = raw.OldState.StateValue, raw.NewState.StateValue
		if raw.NewState.StateReason != "" {
			tr.Reason = raw.NewState.StateReason
		}
		data := raw.NewState.StateReasonData
		// Some writers embed the reason data as a JSON string.
		var s string
		if json.Unmarshal(data, &s) == nil {
			data = []byte(s)
		}
		if rd := ParseReasonData(data, comparison); rd != nil {
			tr.Datapoints = rd.Datapoints
		}
	}
	if tr.To == "" {
		// "Alarm updated from OK to ALARM" is all some items carry.
		if i := strings.Index(item.Summary, " from "); i >= 0 {
			if parts := strings.Fields(item.Summary[i+6:]); len(parts) >= 3 && parts[1] == "to" {
				tr.From, tr.To = parts[0], parts[2]
			}
		}
	}
	return tr
}

// Window slack around an alarm: the investigation starts a little before
// the first breaching datapoint and ends a little after recovery.
const (
	slackBefore = 15 * time.Minute
	slackAfter  = 10 * time.Minute
)

// SuggestedWindow is the window other tools should look at, with why.
type SuggestedWindow struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Reason string    `json:"reason"`
}

// SuggestWindow covers every alarm that is in ALARM now or went into
// ALARM in the history: from shortly before its first breaching datapoint
// (or its change to ALARM) to now if it still fires, or to shortly after
// it recovered. It returns nil when no alarm fired.
func SuggestWindow(alarms []telemetry.Alarm, transitions []Transition, now time.Time) *SuggestedWindow {
	var start, end time.Time
	var names []string
	extend := func(name string, s, e time.Time) {
		if start.IsZero() || s.Before(start) {
			start = s
		}
		if e.After(end) {
			end = e
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	byName := map[string]telemetry.Alarm{}
	for _, a := range alarms {
		byName[a.Name] = a
	}
	// Transitions oldest first, per alarm.
	sorted := append([]Transition(nil), transitions...)
	sortTransitions(sorted)
	for _, tr := range sorted {
		a, known := byName[tr.Alarm]
		if !known || tr.To != telemetry.AlarmStateAlarm {
			continue
		}
		s := firstBreach(tr.Datapoints, tr.Time, a)
		e := now
		for _, later := range sorted {
			if later.Alarm == tr.Alarm && later.Time.After(tr.Time) && later.From == telemetry.AlarmStateAlarm {
				e = later.Time.Add(slackAfter)
				break
			}
		}
		extend(tr.Alarm, s.Add(-slackBefore), e)
	}
	for _, a := range alarms {
		if a.State != telemetry.AlarmStateAlarm || slices.Contains(names, a.Name) {
			continue
		}
		var dps []AlarmDatapoint
		changed := a.StateUpdated
		if rd := ParseReasonData([]byte(a.ReasonData), a.Comparison); rd != nil {
			dps = rd.Datapoints
			// A composite alarm fired when the first of its triggering
			// alarms did.
			for _, ta := range rd.Triggering {
				if !ta.Since.IsZero() && ta.Since.Before(changed) {
					changed = ta.Since
				}
			}
		}
		extend(a.Name, firstBreach(dps, changed, a).Add(-slackBefore), now)
	}
	if len(names) == 0 {
		return nil
	}
	if end.After(now) {
		end = now
	}
	return &SuggestedWindow{Start: start, End: end,
		Reason: "from 15 min before the first breaching datapoint to 10 min after recovery (or now) of " + strings.Join(names, ", ")}
}

// firstBreach is the earliest breaching datapoint, else the change time
// less the evaluation range (Period × EvaluationPeriods; a metric-math
// alarm's period is its metrics', see DescribeAlarmMetrics).
func firstBreach(dps []AlarmDatapoint, changed time.Time, a telemetry.Alarm) time.Time {
	for _, dp := range dps {
		if dp.Breaching && !dp.Timestamp.IsZero() {
			return dp.Timestamp
		}
	}
	evalRange := time.Duration(a.PeriodSeconds) * time.Duration(max(a.EvaluationPeriods, 1)) * time.Second
	return changed.Add(-evalRange)
}

func sortTransitions(ts []Transition) {
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Time.Before(ts[j].Time) })
}
