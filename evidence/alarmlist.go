package evidence

import (
	"sort"

	"github.com/fa2/fa2/telemetry"
)

// CountAlarmStates counts alarms by state.
func CountAlarmStates(alarms []telemetry.Alarm) map[string]int {
	counts := map[string]int{}
	for _, a := range alarms {
		counts[a.State]++
	}
	return counts
}

// AlarmNames returns the alarms' names, in order.
func AlarmNames(alarms []telemetry.Alarm) []string {
	var names []string
	for _, a := range alarms {
		names = append(names, a.Name)
	}
	return names
}

// ParseHistory parses alarm state changes, each read against its alarm's
// comparison operator (which decides what "breaching" means for the
// datapoints it carries).
func ParseHistory(items []telemetry.AlarmHistoryItem, alarms []telemetry.Alarm) []Transition {
	comparison := map[string]string{}
	for _, a := range alarms {
		comparison[a.Name] = a.Comparison
	}
	var out []Transition
	for _, h := range items {
		out = append(out, ParseTransition(h, comparison[h.AlarmName]))
	}
	return out
}

// TransitionsOf returns the transitions of one alarm, in order.
func TransitionsOf(ts []Transition, alarm string) []Transition {
	var out []Transition
	for _, t := range ts {
		if t.Alarm == alarm {
			out = append(out, t)
		}
	}
	return out
}

// alarmUrgency orders states: firing, then unknown, then fine.
var alarmUrgency = map[string]int{telemetry.AlarmStateAlarm: 0, telemetry.AlarmStateInsufficientData: 1, telemetry.AlarmStateOK: 2}

// SortAlarmsByUrgency puts firing alarms first, then those without data,
// then the rest; within a state the most recently changed first. The sort
// is stable, so equal alarms keep the source's order.
func SortAlarmsByUrgency(alarms []telemetry.Alarm) {
	sort.SliceStable(alarms, func(i, j int) bool {
		a, b := alarms[i], alarms[j]
		if alarmUrgency[a.State] != alarmUrgency[b.State] {
			return alarmUrgency[a.State] < alarmUrgency[b.State]
		}
		return a.StateUpdated.After(b.StateUpdated)
	})
}
