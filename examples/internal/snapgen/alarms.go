package snapgen

import (
	"fmt"
	"strings"
	"time"
)

// Alarm is a CloudWatch metric alarm on one minute-resolution series.
type Alarm struct {
	Name, Description string
	Series            *Series
	Statistic         string  // "Sum" or "Average"
	Threshold         float64 // compared with GreaterThanThreshold, or LessThanThreshold when Below
	Below             bool
	Periods           int // evaluation periods of one minute, all must breach
	Actions           []string
}

// Evaluated is one datapoint of an alarm's StateReasonData.
type Evaluated struct {
	Timestamp   string  `json:"timestamp"`
	SampleCount float64 `json:"sampleCount"`
	Value       float64 `json:"value"`
}

// ReasonData is an alarm's StateReasonData: the datapoints it evaluated.
type ReasonData struct {
	Version             string      `json:"version"`
	QueryDate           string      `json:"queryDate"`
	StartDate           string      `json:"startDate"`
	Statistic           string      `json:"statistic"`
	Period              int         `json:"period"`
	RecentDatapoints    []float64   `json:"recentDatapoints"`
	Threshold           float64     `json:"threshold"`
	EvaluatedDatapoints []Evaluated `json:"evaluatedDatapoints"`
}

// ReasonTime is the timestamp format of StateReasonData.
func ReasonTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000+0000") }

// evaluate is the alarm evaluated at t over the Periods minutes before it.
func (a Alarm) evaluate(t time.Time) (breach bool, reason string, data ReasonData) {
	data = ReasonData{Version: "1.0", QueryDate: ReasonTime(t.Add(312 * time.Millisecond)), StartDate: ReasonTime(t.Add(-time.Duration(a.Periods) * time.Minute)),
		Statistic: a.Statistic, Period: 60, Threshold: a.Threshold}
	breach = true
	var shown []string
	for i := 1; i <= a.Periods; i++ {
		m := t.Add(-time.Duration(i) * time.Minute)
		v, ok := a.Series.Value(m)
		if !ok {
			breach = false
			continue
		}
		v = Round3(v)
		data.EvaluatedDatapoints = append(data.EvaluatedDatapoints, Evaluated{ReasonTime(m), 1, v})
		data.RecentDatapoints = append([]float64{v}, data.RecentDatapoints...)
		shown = append(shown, fmt.Sprintf("%g (%s)", v, m.Format("02/01/06 15:04:05")))
		if a.Below {
			breach = breach && v < a.Threshold
		} else {
			breach = breach && v > a.Threshold
		}
	}
	cmp := "greater than"
	if a.Below {
		cmp = "less than"
	}
	verb := "were " + cmp
	if !breach {
		verb = "were not " + cmp
	}
	reason = fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] %s the threshold (%g) (minimum %d datapoints for OK -> ALARM transition).",
		a.Periods, a.Periods, strings.Join(shown, ", "), verb, a.Threshold, a.Periods)
	return breach, reason, data
}

// FiresAt is the first minute boundary in [from, to) at which the alarm
// goes to ALARM, with its reason; zero when it never fires.
func (a Alarm) FiresAt(from, to time.Time) (time.Time, string, string) {
	for t := from.Truncate(time.Minute); t.Before(to); t = t.Add(time.Minute) {
		if breach, reason, data := a.evaluate(t); breach {
			return t, reason, MustJSON(data)
		}
	}
	return time.Time{}, "", ""
}

// DescribeAlarm is the alarm as DescribeAlarms returns it at the end of the
// snapshot: in ALARM since firedAt, or OK when it never fired.
func (a Alarm) DescribeAlarm(account, region string, from, to time.Time) (alarm map[string]any, history []map[string]any) {
	firedAt, reason, data := a.FiresAt(from, to)
	state, updated := "ALARM", firedAt.Add(312*time.Millisecond)
	if firedAt.IsZero() {
		var d ReasonData
		_, reason, d = a.evaluate(to.Truncate(time.Minute))
		data = MustJSON(d)
		state, updated = "OK", from.Add(-72*time.Hour)
	}
	f := a.Series.File
	cmp := "GreaterThanThreshold"
	if a.Below {
		cmp = "LessThanThreshold"
	}
	alarm = map[string]any{
		"AlarmName": a.Name, "AlarmArn": "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + a.Name,
		"AlarmDescription": a.Description, "ActionsEnabled": true,
		"OKActions": a.Actions, "AlarmActions": a.Actions, "InsufficientDataActions": []string{},
		"StateValue": state, "StateReason": reason, "StateReasonData": data,
		"StateUpdatedTimestamp": updated.Format(time.RFC3339Nano), "StateTransitionedTimestamp": updated.Format(time.RFC3339Nano),
		"MetricName": f.MetricName, "Namespace": f.Namespace, "Statistic": a.Statistic, "Dimensions": f.Dimensions,
		"Period": 60, "EvaluationPeriods": a.Periods, "DatapointsToAlarm": a.Periods, "Threshold": a.Threshold,
		"ComparisonOperator": cmp, "TreatMissingData": "notBreaching",
	}
	if state == "ALARM" {
		history = append(history, map[string]any{
			"AlarmName": a.Name, "AlarmType": "MetricAlarm", "Timestamp": updated.Format(time.RFC3339Nano), "HistoryItemType": "StateUpdate",
			"HistorySummary": "Alarm updated from OK to ALARM",
			"HistoryData": MustJSON(map[string]any{"version": "1.0",
				"oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed: no datapoints were breaching the threshold."},
				"newState": map[string]any{"stateValue": "ALARM", "stateReason": reason, "stateReasonData": data}}),
		})
	}
	return alarm, history
}

// WriteAlarms writes alarms.json and alarm-history.json for the alarms,
// evaluated over [from, to).
func WriteAlarms(dir, account, region string, from, to time.Time, alarms []Alarm) error {
	var metric []map[string]any
	var history []map[string]any
	for _, a := range alarms {
		m, h := a.DescribeAlarm(account, region, from, to)
		metric = append(metric, m)
		history = append(h, history...)
	}
	if err := WriteJSON(dir+"/alarms.json", map[string]any{"MetricAlarms": metric, "CompositeAlarms": []any{}}); err != nil {
		return err
	}
	return WriteJSON(dir+"/alarm-history.json", map[string]any{"AlarmHistoryItems": history})
}
