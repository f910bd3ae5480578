package evidence

import (
	"encoding/json"
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
	} `json:"evaluatedDatapoints"`
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
		if raw.Threshold != nil {
			p.Breaching = Breaches(p.Value, *raw.Threshold, comparison)
		}
		rd.Datapoints = append(rd.Datapoints, p)
	}
	// CloudWatch lists the newest datapoint first; oldest first reads better.
	for i, j := 0, len(rd.Datapoints)-1; i < j; i, j = i+1, j-1 {
		rd.Datapoints[i], rd.Datapoints[j] = rd.Datapoints[j], rd.Datapoints[i]
	}
	return rd
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
		if !contains(names, name) {
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
		if a.State != telemetry.AlarmStateAlarm || contains(names, a.Name) {
			continue
		}
		var dps []AlarmDatapoint
		if rd := ParseReasonData([]byte(a.ReasonData), a.Comparison); rd != nil {
			dps = rd.Datapoints
		}
		extend(a.Name, firstBreach(dps, a.StateUpdated, a).Add(-slackBefore), now)
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
// less the evaluation range.
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
