package snapshot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// alarmData is alarms.json and alarm-history.json.
type alarmData struct {
	alarms  []telemetry.Alarm
	history []telemetry.AlarmHistoryItem
}

// rawDimension is a Dimension as the AWS CLI writes it.
type rawDimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

func convertDims(ds []rawDimension) []telemetry.Dimension {
	var out []telemetry.Dimension
	for _, d := range ds {
		out = append(out, telemetry.Dimension{Name: d.Name, Value: d.Value})
	}
	return out
}

// rawDescribeAlarms is DescribeAlarms output.
type rawDescribeAlarms struct {
	MetricAlarms []struct {
		AlarmName             string         `json:"AlarmName"`
		AlarmArn              string         `json:"AlarmArn"`
		AlarmDescription      string         `json:"AlarmDescription"`
		StateValue            string         `json:"StateValue"`
		StateReason           string         `json:"StateReason"`
		StateReasonData       string         `json:"StateReasonData"`
		StateUpdatedTimestamp time.Time      `json:"StateUpdatedTimestamp"`
		Namespace             string         `json:"Namespace"`
		MetricName            string         `json:"MetricName"`
		Dimensions            []rawDimension `json:"Dimensions"`
		Statistic             string         `json:"Statistic"`
		ExtendedStatistic     string         `json:"ExtendedStatistic"`
		Period                int32          `json:"Period"`
		EvaluationPeriods     int32          `json:"EvaluationPeriods"`
		DatapointsToAlarm     int32          `json:"DatapointsToAlarm"`
		Threshold             *float64       `json:"Threshold"`
		ComparisonOperator    string         `json:"ComparisonOperator"`
		TreatMissingData      string         `json:"TreatMissingData"`
		ThresholdMetricID     string         `json:"ThresholdMetricId"`
		Metrics               []struct {
			ID         string `json:"Id"`
			Expression string `json:"Expression"`
			ReturnData *bool  `json:"ReturnData"`
			Period     int32  `json:"Period"`
			MetricStat *struct {
				Metric struct {
					Namespace  string         `json:"Namespace"`
					MetricName string         `json:"MetricName"`
					Dimensions []rawDimension `json:"Dimensions"`
				} `json:"Metric"`
				Period int32  `json:"Period"`
				Stat   string `json:"Stat"`
			} `json:"MetricStat"`
		} `json:"Metrics"`
	} `json:"MetricAlarms"`
	CompositeAlarms []struct {
		AlarmName             string    `json:"AlarmName"`
		AlarmArn              string    `json:"AlarmArn"`
		AlarmDescription      string    `json:"AlarmDescription"`
		AlarmRule             string    `json:"AlarmRule"`
		StateValue            string    `json:"StateValue"`
		StateReason           string    `json:"StateReason"`
		StateReasonData       string    `json:"StateReasonData"`
		StateUpdatedTimestamp time.Time `json:"StateUpdatedTimestamp"`
	} `json:"CompositeAlarms"`
}

// rawAlarmHistory is DescribeAlarmHistory output.
type rawAlarmHistory struct {
	AlarmHistoryItems []struct {
		AlarmName       string    `json:"AlarmName"`
		Timestamp       time.Time `json:"Timestamp"`
		HistoryItemType string    `json:"HistoryItemType"`
		HistorySummary  string    `json:"HistorySummary"`
		HistoryData     string    `json:"HistoryData"`
	} `json:"AlarmHistoryItems"`
}

func (s *Store) loadAlarms() (*alarmData, error) {
	s.alarmsOnce.Do(func() { s.alarms, s.alarmsErr = s.readAlarms() })
	return s.alarms, s.alarmsErr
}

func (s *Store) readAlarms() (*alarmData, error) {
	var raw rawDescribeAlarms
	found, err := s.readJSON("alarms.json", &raw)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "this snapshot has no alarms.json.").WithHint("Add alarms.json (aws cloudwatch describe-alarms output) to the snapshot.")
	}
	d := &alarmData{}
	for _, m := range raw.MetricAlarms {
		a := telemetry.Alarm{
			Name: m.AlarmName, Kind: "metric", ARN: m.AlarmArn, Description: m.AlarmDescription,
			State: m.StateValue, Reason: m.StateReason, ReasonData: m.StateReasonData, StateUpdated: m.StateUpdatedTimestamp.UTC(),
			Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: convertDims(m.Dimensions),
			Statistic: m.Statistic, PeriodSeconds: m.Period, EvaluationPeriods: m.EvaluationPeriods,
			DatapointsToAlarm: m.DatapointsToAlarm, Threshold: m.Threshold, Comparison: m.ComparisonOperator,
			TreatMissingData: m.TreatMissingData,
		}
		if a.Statistic == "" {
			a.Statistic = m.ExtendedStatistic
		}
		var ms []evidence.AlarmMetric
		for _, q := range m.Metrics {
			am := evidence.AlarmMetric{ID: q.ID, Expression: q.Expression, ReturnData: q.ReturnData, Period: q.Period}
			if st := q.MetricStat; st != nil {
				am.Namespace, am.MetricName, am.Dimensions = st.Metric.Namespace, st.Metric.MetricName, convertDims(st.Metric.Dimensions)
				am.Stat, am.Period = st.Stat, st.Period
			}
			ms = append(ms, am)
		}
		var period int32
		a.ThresholdMetricID = m.ThresholdMetricID
		a.Expressions, period = evidence.DescribeAlarmMetrics(ms, m.ThresholdMetricID)
		if a.PeriodSeconds == 0 {
			a.PeriodSeconds = period
		}
		d.alarms = append(d.alarms, a)
	}
	for _, c := range raw.CompositeAlarms {
		d.alarms = append(d.alarms, telemetry.Alarm{
			Name: c.AlarmName, Kind: "composite", ARN: c.AlarmArn, Description: c.AlarmDescription,
			State: c.StateValue, Reason: c.StateReason, ReasonData: c.StateReasonData,
			StateUpdated: c.StateUpdatedTimestamp.UTC(), Rule: c.AlarmRule,
		})
	}
	sort.SliceStable(d.alarms, func(i, j int) bool { return d.alarms[i].Name < d.alarms[j].Name })
	var hist rawAlarmHistory
	if _, err := s.readJSON("alarm-history.json", &hist); err != nil {
		return nil, err
	}
	for _, h := range hist.AlarmHistoryItems {
		if h.HistoryItemType != "" && h.HistoryItemType != "StateUpdate" {
			continue
		}
		d.history = append(d.history, telemetry.AlarmHistoryItem{AlarmName: h.AlarmName, Timestamp: h.Timestamp.UTC(), Summary: h.HistorySummary, Data: h.HistoryData})
	}
	sort.SliceStable(d.history, func(i, j int) bool { return d.history[i].Timestamp.After(d.history[j].Timestamp) })
	return d, nil
}

// Alarms implements collectors.AlarmSource with DescribeAlarms' filters.
func (s *Store) Alarms(ctx context.Context, q telemetry.AlarmQuery) (*telemetry.AlarmList, error) {
	d, err := s.loadAlarms()
	if err != nil {
		return nil, err
	}
	out := &telemetry.AlarmList{Alarms: []telemetry.Alarm{}}
	for _, a := range d.alarms {
		if q.State != "" && a.State != q.State {
			continue
		}
		if len(q.Names) > 0 && !containsString(q.Names, a.Name) {
			continue
		}
		if q.NamePrefix != "" && !strings.HasPrefix(a.Name, q.NamePrefix) {
			continue
		}
		out.Alarms = append(out.Alarms, a)
	}
	return out, nil
}

// AlarmHistory implements collectors.AlarmSource.
func (s *Store) AlarmHistory(ctx context.Context, q telemetry.AlarmHistoryQuery) (*telemetry.AlarmHistory, error) {
	d, err := s.loadAlarms()
	if err != nil {
		return nil, err
	}
	out := &telemetry.AlarmHistory{Items: []telemetry.AlarmHistoryItem{}}
	for _, h := range d.history {
		if len(q.Names) > 0 && !containsString(q.Names, h.AlarmName) {
			continue
		}
		if !q.Window.Start.IsZero() && !q.Window.Contains(h.Timestamp) {
			continue
		}
		if q.Limit > 0 && len(out.Items) >= q.Limit {
			out.Partial = fmt.Sprintf("only the newest %d state changes were read", q.Limit)
			break
		}
		out.Items = append(out.Items, h)
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
