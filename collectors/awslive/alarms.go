package awslive

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fa2/fa2/collectors/describealarms"
	"github.com/fa2/fa2/telemetry"
)

const (
	// maxAlarmPages bounds DescribeAlarms (100 alarms a page).
	maxAlarmPages = 10
	// maxHistoryPages bounds DescribeAlarmHistory (100 items a page).
	maxHistoryPages = 5
	// perAlarmHistory: up to this many alarms, history is asked per alarm
	// (exact); above it, one account-wide scan is filtered locally.
	perAlarmHistory = 5
	// defaultHistoryLimit caps the items when the caller gives no limit.
	defaultHistoryLimit = 200
)

// allAlarmTypes is what fa2 asks DescribeAlarms and DescribeAlarmHistory
// for. Without AlarmTypes both return metric alarms only; log alarms (alarms
// on a scheduled Logs Insights query) come back only when LogAlarm is asked
// for (DescribeAlarmsInput.AlarmTypes in the SDK's API docs).
var allAlarmTypes = []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm, cwtypes.AlarmTypeLogAlarm}

// Alarms implements collectors.AlarmSource with DescribeAlarms, passing the
// filters to the API and asking for metric, composite and log alarms.
func (c *Client) Alarms(ctx context.Context, q telemetry.AlarmQuery) (*telemetry.AlarmList, error) {
	in := &cloudwatch.DescribeAlarmsInput{
		AlarmTypes: allAlarmTypes,
		MaxRecords: aws.Int32(100),
	}
	if q.State != "" {
		in.StateValue = cwtypes.StateValue(q.State)
	}
	if len(q.Names) > 0 {
		in.AlarmNames = q.Names
	}
	if q.NamePrefix != "" {
		in.AlarmNamePrefix = aws.String(q.NamePrefix)
	}
	out := &telemetry.AlarmList{Alarms: []telemetry.Alarm{}}
	p := cloudwatch.NewDescribeAlarmsPaginator(c.cloudwatch, in)
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxAlarmPages {
			out.Partial = fmt.Sprintf("stopped after %d alarms; use name_prefix or state to narrow", len(out.Alarms))
			break
		}
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapError("cloudwatch:DescribeAlarms", err)
		}
		for _, m := range page.MetricAlarms {
			out.Alarms = append(out.Alarms, convertMetricAlarm(m))
		}
		for _, ca := range page.CompositeAlarms {
			out.Alarms = append(out.Alarms, describealarms.CompositeAlarm(ca))
		}
		for _, la := range page.LogAlarms {
			out.Alarms = append(out.Alarms, convertLogAlarm(la))
		}
	}
	sort.SliceStable(out.Alarms, func(i, j int) bool { return out.Alarms[i].Name < out.Alarms[j].Name })
	return out, nil
}

// convertMetricAlarm is the converter the snapshot source uses too.
func convertMetricAlarm(m cwtypes.MetricAlarm) telemetry.Alarm { return describealarms.MetricAlarm(m) }

// convertLogAlarm reads a log alarm: its scheduled query (the query with
// its aggregation, as the alarm evaluates it) and the log groups it reads,
// which may be ARNs in other accounts.
func convertLogAlarm(la cwtypes.LogAlarm) telemetry.Alarm {
	a := telemetry.Alarm{
		Name: aws.ToString(la.AlarmName), Kind: "log", ARN: aws.ToString(la.AlarmArn),
		Description: aws.ToString(la.AlarmDescription), State: string(la.StateValue),
		Reason: aws.ToString(la.StateReason), ReasonData: aws.ToString(la.StateReasonData),
		StateUpdated: aws.ToTime(la.StateUpdatedTimestamp).UTC(),
		Threshold:    la.Threshold, Comparison: string(la.ComparisonOperator), TreatMissingData: aws.ToString(la.TreatMissingData),
		EvaluationPeriods: aws.ToInt32(la.QueryResultsToEvaluate), DatapointsToAlarm: aws.ToInt32(la.QueryResultsToAlarm),
	}
	if sq := la.ScheduledQueryConfiguration; sq != nil {
		a.Query = aws.ToString(sq.QueryString)
		if agg := aws.ToString(sq.AggregationExpression); agg != "" {
			a.Query += " | " + agg
		}
		a.LogGroups = sq.LogGroupIdentifiers
	}
	return a
}

func fromCWDims(ds []cwtypes.Dimension) []telemetry.Dimension {
	var out []telemetry.Dimension
	for _, d := range ds {
		out = append(out, telemetry.Dimension{Name: aws.ToString(d.Name), Value: aws.ToString(d.Value)})
	}
	return out
}

// AlarmHistory implements collectors.AlarmSource with DescribeAlarmHistory
// (StateUpdate items, newest first, bounded).
func (c *Client) AlarmHistory(ctx context.Context, q telemetry.AlarmHistoryQuery) (*telemetry.AlarmHistory, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultHistoryLimit
	}
	out := &telemetry.AlarmHistory{Items: []telemetry.AlarmHistoryItem{}}
	// scan reads up to max items of one alarm (name) or of all alarms.
	scan := func(name string, keep func(string) bool, max int) error {
		read := 0
		in := &cloudwatch.DescribeAlarmHistoryInput{
			AlarmTypes:      allAlarmTypes,
			HistoryItemType: cwtypes.HistoryItemTypeStateUpdate,
			ScanBy:          cwtypes.ScanByTimestampDescending,
			MaxRecords:      aws.Int32(100),
		}
		if name != "" {
			in.AlarmName = aws.String(name)
		}
		if !q.Window.Start.IsZero() {
			in.StartDate, in.EndDate = aws.Time(q.Window.Start), aws.Time(q.Window.End)
		}
		cut := func() {
			out.Partial = fmt.Sprintf("read only the newest %d state changes", read)
			if name != "" {
				out.Partial += " of " + name
			}
		}
		p := cloudwatch.NewDescribeAlarmHistoryPaginator(c.cloudwatch, in)
		for pages := 0; p.HasMorePages(); pages++ {
			if pages == maxHistoryPages || read >= max {
				cut()
				return nil
			}
			page, err := p.NextPage(ctx)
			if err != nil {
				return mapError("cloudwatch:DescribeAlarmHistory", err)
			}
			for _, h := range page.AlarmHistoryItems {
				if !keep(aws.ToString(h.AlarmName)) {
					continue
				}
				if read >= max {
					cut()
					return nil
				}
				read++
				out.Items = append(out.Items, telemetry.AlarmHistoryItem{
					AlarmName: aws.ToString(h.AlarmName), Timestamp: aws.ToTime(h.Timestamp).UTC(),
					Summary: aws.ToString(h.HistorySummary), Data: aws.ToString(h.HistoryData),
				})
			}
		}
		return nil
	}
	all := func(string) bool { return true }
	switch {
	case len(q.Names) > 0 && len(q.Names) <= perAlarmHistory:
		// Each alarm gets an equal share of the limit, so one flapping alarm
		// cannot leave the others without history.
		share := (limit + len(q.Names) - 1) / len(q.Names)
		for _, n := range q.Names {
			if err := scan(n, all, share); err != nil {
				return nil, err
			}
		}
	case len(q.Names) > perAlarmHistory:
		want := map[string]bool{}
		for _, n := range q.Names {
			want[n] = true
		}
		if err := scan("", func(n string) bool { return want[n] }, limit); err != nil {
			return nil, err
		}
	default:
		if err := scan("", all, limit); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out.Items, func(i, j int) bool { return out.Items[i].Timestamp.After(out.Items[j].Timestamp) })
	if len(out.Items) > limit { // shares rounded up
		out.Items = out.Items[:limit]
	}
	return out, nil
}
