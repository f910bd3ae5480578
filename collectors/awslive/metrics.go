package awslive

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

const (
	// defaultMetricListCap bounds ListMetrics (500 metrics a page).
	defaultMetricListCap = 5000
	// getMetricDataQueries is the most queries GetMetricData takes per call.
	getMetricDataQueries = 500
	// maxMetricDataPages bounds the NextToken pages of one batch.
	maxMetricDataPages = 20
)

// listMetricsMemory is how far back ListMetrics remembers: it lists only
// metrics that reported data in the past two weeks (the SDK's API docs of
// ListMetrics: "ListMetrics doesn't return information about metrics if those
// metrics haven't reported data in the past two weeks").
const listMetricsMemory = 14 * 24 * time.Hour

// ListMetrics implements collectors.MetricSource: every metric of each
// namespace, not only recently active ones, up to the cap. For an incident
// older than two weeks, metrics that stopped reporting since are missing
// from ListMetrics; the list then says so and adds the metrics the alarms
// of those namespaces name.
func (c *Client) ListMetrics(ctx context.Context, q telemetry.MetricListQuery) (*telemetry.MetricList, error) {
	out, err := c.listMetrics(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.Window.Start.IsZero() || !q.Window.Start.Before(c.now().Add(-listMetricsMemory)) {
		return out, nil
	}
	added, err := c.alarmMetrics(ctx, q.Namespaces, out)
	note := fmt.Sprintf("CloudWatch ListMetrics lists only metrics with data in the last two weeks and this window starts %s, so metrics that stopped reporting since are missing from the list", q.Window.Start.Format(time.RFC3339))
	switch {
	case err != nil:
		note += fmt.Sprintf("; the alarms' metrics could not be added (%v)", err)
	case added > 0:
		note += fmt.Sprintf("; %d metrics named by alarms were added", added)
	}
	out.Warnings = append(out.Warnings, note+". Pass metrics explicitly to read any other.")
	return out, nil
}

// alarmMetrics adds to out the metrics that metric alarms in namespaces
// (all when empty) name and that are not listed yet; it returns how many.
// Alarms keep their metric's name and dimensions after the metric stops
// reporting, so they remember what ListMetrics forgot.
func (c *Client) alarmMetrics(ctx context.Context, namespaces []string, out *telemetry.MetricList) (int, error) {
	alarms, err := c.Alarms(ctx, telemetry.AlarmQuery{})
	if err != nil {
		return 0, err
	}
	listed := map[string]bool{}
	for _, m := range out.Metrics {
		listed[evidence.MetricKey(m)] = true
	}
	added := 0
	for _, a := range alarms.Alarms {
		if a.MetricName == "" || (len(namespaces) > 0 && !slices.Contains(namespaces, a.Namespace)) {
			continue
		}
		m := telemetry.Metric{Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions}
		if k := evidence.MetricKey(m); !listed[k] {
			listed[k] = true
			out.Metrics = append(out.Metrics, m)
			added++
		}
	}
	return added, nil
}

func (c *Client) listMetrics(ctx context.Context, q telemetry.MetricListQuery) (*telemetry.MetricList, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultMetricListCap
	}
	out := &telemetry.MetricList{Metrics: []telemetry.Metric{}}
	namespaces := q.Namespaces
	if len(namespaces) == 0 {
		namespaces = []string{""} // all namespaces
	}
	for _, ns := range namespaces {
		in := &cloudwatch.ListMetricsInput{}
		if ns != "" {
			in.Namespace = aws.String(ns)
		}
		p := cloudwatch.NewListMetricsPaginator(c.cloudwatch, in)
		var guard stallGuard
		for p.HasMorePages() {
			if len(out.Metrics) >= limit {
				out.Partial = fmt.Sprintf("stopped listing at %d metrics; name fewer namespaces or pass metrics explicitly", limit)
				return out, nil
			}
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, mapError("cloudwatch:ListMetrics", err)
			}
			if guard.stalled(page.NextToken, len(page.Metrics)) {
				break
			}
			for _, m := range page.Metrics {
				if len(out.Metrics) >= limit {
					break
				}
				out.Metrics = append(out.Metrics, telemetry.Metric{
					Namespace: aws.ToString(m.Namespace), MetricName: aws.ToString(m.MetricName), Dimensions: fromCWDims(m.Dimensions),
				})
			}
		}
	}
	return out, nil
}

// MetricData implements collectors.MetricSource with GetMetricData, 500
// queries per call, following NextToken.
func (c *Client) MetricData(ctx context.Context, q telemetry.MetricDataQuery) (*telemetry.MetricData, error) {
	out := &telemetry.MetricData{Series: make([]telemetry.MetricSeries, len(q.Stats))}
	for i, st := range q.Stats {
		out.Series[i] = telemetry.MetricSeries{Stat: st, Points: []telemetry.Point{}}
	}
	period := retainedPeriod(q.PeriodSeconds, q.Window.Start, time.Now())
	if period != q.PeriodSeconds {
		out.Warnings = append(out.Warnings, fmt.Sprintf("period raised from %ds to %ds: the window starts %s ago, and CloudWatch keeps 1-minute points 15 days and 5-minute points 63 days",
			q.PeriodSeconds, period, time.Since(q.Window.Start).Round(time.Hour)))
	}
	for start := 0; start < len(q.Stats); start += getMetricDataQueries {
		end := min(start+getMetricDataQueries, len(q.Stats))
		queries := make([]cwtypes.MetricDataQuery, 0, end-start)
		for i := start; i < end; i++ {
			st := q.Stats[i]
			dims := make([]cwtypes.Dimension, len(st.Metric.Dimensions))
			for j, d := range st.Metric.Dimensions {
				dims[j] = cwtypes.Dimension{Name: aws.String(d.Name), Value: aws.String(d.Value)}
			}
			queries = append(queries, cwtypes.MetricDataQuery{
				Id: aws.String("m" + strconv.Itoa(i)),
				MetricStat: &cwtypes.MetricStat{
					Metric: &cwtypes.Metric{Namespace: aws.String(st.Metric.Namespace), MetricName: aws.String(st.Metric.MetricName), Dimensions: dims},
					Period: aws.Int32(period),
					Stat:   aws.String(st.Stat),
				},
				ReturnData: aws.Bool(true),
			})
		}
		in := &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(q.Window.Start), EndTime: aws.Time(q.Window.End),
			MetricDataQueries: queries, ScanBy: cwtypes.ScanByTimestampAscending,
		}
		p := cloudwatch.NewGetMetricDataPaginator(c.cloudwatch, in)
		for pages := 0; p.HasMorePages(); pages++ {
			if pages == maxMetricDataPages {
				out.Warnings = append(out.Warnings, "GetMetricData returned too many pages; some series are incomplete — narrow the window")
				break
			}
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, mapError("cloudwatch:GetMetricData", err)
			}
			for _, m := range page.Messages {
				out.Warnings = append(out.Warnings, aws.ToString(m.Code)+": "+aws.ToString(m.Value))
			}
			for _, r := range page.MetricDataResults {
				// Id is optional in the SDK's model: a result without one
				// (or not of fa2's "m<n>" form) belongs to no series.
				idx, isOurs := strings.CutPrefix(aws.ToString(r.Id), "m")
				i, err := strconv.Atoi(idx)
				if !isOurs || err != nil || i < 0 || i >= len(out.Series) {
					continue
				}
				s := &out.Series[i]
				for k := range r.Timestamps {
					if k < len(r.Values) {
						s.Points = append(s.Points, telemetry.Point{Timestamp: r.Timestamps[k].UTC(), Value: r.Values[k]})
					}
				}
				for _, m := range r.Messages {
					s.Note = aws.ToString(m.Code) + ": " + aws.ToString(m.Value)
				}
			}
		}
	}
	for i := range out.Series {
		pts := out.Series[i].Points
		sort.SliceStable(pts, func(a, b int) bool { return pts[a].Timestamp.Before(pts[b].Timestamp) })
	}
	return out, nil
}

// retainedPeriod coarsens a period to what CloudWatch still holds for a
// window starting at start: a start more than 15 days ago needs a multiple of
// 300 seconds, more than 63 days a multiple of 3600, or GetMetricData returns
// no points for the range (without an error). A small margin keeps a start
// near a boundary on the safe side while the request is in flight.
func retainedPeriod(period int32, start, now time.Time) int32 {
	const margin = 10 * time.Minute
	age := now.Sub(start)
	var multiple int32
	switch {
	case age > 63*24*time.Hour-margin:
		multiple = 3600
	case age > 15*24*time.Hour-margin:
		multiple = 300
	default:
		return period
	}
	if period <= 0 {
		return multiple
	}
	return (period + multiple - 1) / multiple * multiple
}
