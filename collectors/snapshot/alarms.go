package snapshot

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fa2/fa2/collectors/describealarms"
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

// rawDescribeAlarms is DescribeAlarms output as the AWS CLI prints it:
// its keys are the SDK's field names, so it decodes into the SDK's types
// and is read by the converter the live source uses.
type rawDescribeAlarms struct {
	MetricAlarms    []cwtypes.MetricAlarm    `json:"MetricAlarms"`
	CompositeAlarms []cwtypes.CompositeAlarm `json:"CompositeAlarms"`
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
		d.alarms = append(d.alarms, describealarms.MetricAlarm(m))
	}
	for _, c := range raw.CompositeAlarms {
		d.alarms = append(d.alarms, describealarms.CompositeAlarm(c))
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
		if len(q.Names) > 0 && !slices.Contains(q.Names, a.Name) {
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
		if len(q.Names) > 0 && !slices.Contains(q.Names, h.AlarmName) {
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
