package snapshot

import (
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// This file turns what the collectors return back into the JSON shapes
// AWS returns, so a written snapshot reads like one built with the AWS CLI.
// Fields fa2 does not read are not captured, and say so by their absence.

// logLine is one line of logs/<group>.jsonl (FilterLogEvents' event shape).
type logLine struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName,omitempty"`
	IngestionTime int64  `json:"ingestionTime"`
}

func logLineOf(e telemetry.LogEvent, red *Redactor) logLine {
	ms := e.Timestamp.UnixMilli()
	return logLine{Timestamp: ms, Message: red.String(e.Message), LogStreamName: red.String(e.LogStream), IngestionTime: ms}
}

// segmentDocument is a segment as X-Ray stores it (the Document string).
func segmentDocument(s telemetry.Segment, traceID string, top bool, red *Redactor) map[string]any {
	d := map[string]any{"id": s.ID, "name": red.String(s.Name), "start_time": s.StartTime}
	if top {
		d["trace_id"] = traceID
	}
	if s.EndTime != 0 {
		d["end_time"] = s.EndTime
	}
	set := func(k string, v any, ok bool) {
		if ok {
			d[k] = v
		}
	}
	set("parent_id", s.ParentID, s.ParentID != "")
	set("origin", s.Origin, s.Origin != "")
	set("namespace", s.Namespace, s.Namespace != "")
	set("in_progress", true, s.InProgress)
	set("fault", true, s.Fault)
	set("error", true, s.Error)
	set("throttle", true, s.Throttle)
	set("annotations", s.Annotations, len(s.Annotations) > 0)
	if s.Operation != "" {
		d["aws"] = map[string]any{"operation": s.Operation}
	}
	if s.HTTPMethod != "" || s.URL != "" || s.HTTPStatus != 0 {
		h := map[string]any{}
		if s.HTTPMethod != "" || s.URL != "" {
			h["request"] = map[string]any{"method": s.HTTPMethod, "url": red.String(s.URL)}
		}
		if s.HTTPStatus != 0 {
			h["response"] = map[string]any{"status": s.HTTPStatus}
		}
		d["http"] = h
	}
	if s.SQL != "" {
		typ, url, _ := strings.Cut(s.SQL, " ")
		d["sql"] = map[string]any{"database_type": typ, "url": red.String(url)}
	}
	if len(s.Exceptions) > 0 {
		var ex []map[string]any
		for _, e := range s.Exceptions {
			m := map[string]any{"type": e.Type, "message": red.String(e.Message)}
			if e.Remote {
				m["remote"] = true
			}
			ex = append(ex, m)
		}
		d["cause"] = map[string]any{"exceptions": ex}
	}
	if len(s.Subsegments) > 0 {
		var subs []map[string]any
		for _, sub := range s.Subsegments {
			subs = append(subs, segmentDocument(sub, traceID, false, red))
		}
		d["subsegments"] = subs
	}
	return d
}

// trailRecord is a CloudTrail record rebuilt from an event. Request
// parameters come back as fa2 flattened them ("a.b[0]=v" becomes key
// "a.b[0]"), which is how fa2 reads them again.
func trailRecord(e telemetry.CloudTrailEvent, red *Redactor) map[string]any {
	id := map[string]any{"type": e.PrincipalType}
	if strings.HasPrefix(e.Principal, "arn:") {
		id["arn"] = e.Principal
	} else if e.Principal != "" && e.Principal != e.InvokedBy && e.Principal != e.PrincipalType {
		id["userName"] = e.Principal
	}
	if e.InvokedBy != "" {
		id["invokedBy"] = e.InvokedBy
	}
	if e.Account != "" {
		id["accountId"] = e.Account
	}
	rec := map[string]any{
		"eventVersion": "1.11", "userIdentity": id, "eventTime": e.Time.UTC().Format(time.RFC3339),
		"eventSource": e.Source, "eventName": e.Name, "awsRegion": e.Region,
		"sourceIPAddress": red.String(e.SourceIP), "userAgent": e.UserAgent,
		"readOnly": e.ReadOnly, "eventID": e.ID, "recipientAccountId": e.Account,
	}
	if e.Category != "" {
		rec["eventCategory"] = e.Category
	}
	if e.ErrorCode != "" {
		rec["errorCode"] = e.ErrorCode
		rec["errorMessage"] = red.String(e.ErrorMessage)
	}
	// What the call returned comes back in Response (older readers put it
	// in Request with a "response." prefix); it goes back where it came from.
	params, response := map[string]any{}, map[string]any{}
	for _, kv := range e.Request {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue // "…N more parameters": already cut by the collector
		}
		if rest, isResponse := strings.CutPrefix(k, "response."); isResponse {
			response[rest] = red.String(v)
			continue
		}
		params[k] = red.String(v)
	}
	for _, kv := range e.Response {
		if k, v, ok := strings.Cut(kv, "="); ok {
			response[k] = red.String(v)
		}
	}
	rec["requestParameters"] = nil
	if len(params) > 0 {
		rec["requestParameters"] = params
	}
	if len(response) > 0 {
		rec["responseElements"] = response
	}
	var res []map[string]string
	for _, arn := range e.Resources {
		res = append(res, map[string]string{"ARN": arn})
	}
	if len(res) > 0 {
		rec["resources"] = res
	}
	return rec
}

// albLine rebuilds an access-log entry in AWS's field order from a row.
// Times the collector does not return (request and response processing,
// bytes) are written as 0; the rest round-trips.
func albLine(row telemetry.AccessLogRow, red *Redactor) string {
	q := func(s string) string {
		if s == "" {
			return "-"
		}
		return strings.ReplaceAll(s, `"`, `\"`)
	}
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	client := red.String(row.Client)
	if !strings.Contains(client, ":") {
		client += ":0"
	}
	target := red.String(row.Target)
	if target == "" {
		target = "-"
	}
	targetTime := fmt.Sprintf("%.3f", row.TargetTime)
	if row.TargetTime < 0 {
		targetTime = "-1"
	}
	typ := "https"
	ts := row.Time.UTC().Format("2006-01-02T15:04:05.000000Z")
	return fmt.Sprintf(`%s %s app/captured/0 %s %s 0.000 %s 0.000 %d %s 0 0 "%s %s HTTP/1.1" "%s" - - %s "%s" "-" "-" 0 %s "%s" "%s" "%s" "%s" "-" "%s" "-" "-"`,
		typ, ts, client, target, targetTime, row.ELBStatus, dash(row.TargetStatus), row.Method, red.String(row.URL), q(row.UserAgent),
		dash(row.TargetGroup), dash(row.TraceID), ts, dash(row.ActionsExecuted), dash(row.ErrorReason), target, dash(row.TargetStatus), dash(row.Classification))
}

// findingDocument rebuilds a Security Hub (ASFF) or GuardDuty finding.
func findingDocument(f telemetry.Finding, red *Redactor) map[string]any {
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	if f.Source == telemetry.FindingSourceGuardDuty {
		sev := map[string]float64{"CRITICAL": 9, "HIGH": 8, "MEDIUM": 5, "LOW": 2}[f.Severity]
		res := map[string]any{"ResourceType": f.ResourceType}
		switch f.ResourceType {
		case "AccessKey":
			res["AccessKeyDetails"] = map[string]any{"UserName": f.Resource}
		case "S3Bucket":
			res["S3BucketDetails"] = []map[string]any{{"Name": f.Resource}}
		case "Lambda":
			res["LambdaDetails"] = map[string]any{"FunctionName": f.Resource}
		default:
			res["InstanceDetails"] = map[string]any{"InstanceId": f.Resource}
		}
		return map[string]any{
			"Id": f.ID, "AccountId": f.Account, "Region": f.Region, "Type": f.Type, "Title": red.String(f.Title),
			"Severity": sev, "CreatedAt": ts(f.FirstSeen), "UpdatedAt": ts(f.LastSeen), "Resource": res,
			"Service": map[string]any{"Archived": f.WorkflowStatus == "ARCHIVED", "Count": f.Count,
				"EventFirstSeen": ts(f.FirstSeen), "EventLastSeen": ts(f.LastSeen)},
		}
	}
	doc := map[string]any{
		"SchemaVersion": "2018-10-08", "Id": f.ID, "Title": red.String(f.Title), "AwsAccountId": f.Account, "Region": f.Region,
		"FirstObservedAt": ts(f.FirstSeen), "LastObservedAt": ts(f.LastSeen), "CreatedAt": ts(f.FirstSeen), "UpdatedAt": ts(f.LastSeen),
		"Severity": map[string]any{"Label": f.Severity}, "RecordState": "ACTIVE",
		"Resources": []map[string]any{{"Type": f.ResourceType, "Id": red.String(f.Resource)}},
	}
	if f.Type != "" {
		doc["Types"] = []string{f.Type}
	}
	if f.ControlID != "" {
		doc["Compliance"] = map[string]any{"SecurityControlId": f.ControlID, "Status": "FAILED"}
	}
	if f.WorkflowStatus != "" {
		doc["Workflow"] = map[string]any{"Status": f.WorkflowStatus}
	}
	return doc
}

// alarmDocuments splits alarms into DescribeAlarms' MetricAlarms and
// CompositeAlarms.
func alarmDocuments(alarms []telemetry.Alarm) (metric, composite []map[string]any) {
	metric, composite = []map[string]any{}, []map[string]any{}
	for _, a := range alarms {
		common := map[string]any{
			"AlarmName": a.Name, "AlarmArn": a.ARN, "AlarmDescription": a.Description,
			"StateValue": a.State, "StateReason": a.Reason, "StateReasonData": a.ReasonData,
			"StateUpdatedTimestamp": a.StateUpdated.UTC().Format(time.RFC3339Nano),
		}
		if a.Kind == "composite" {
			common["AlarmRule"] = a.Rule
			composite = append(composite, common)
			continue
		}
		var dims []map[string]string
		for _, d := range a.Dimensions {
			dims = append(dims, map[string]string{"Name": d.Name, "Value": d.Value})
		}
		common["Namespace"], common["MetricName"], common["Dimensions"] = a.Namespace, a.MetricName, dims
		if strings.HasPrefix(a.Statistic, "p") {
			common["ExtendedStatistic"] = a.Statistic
		} else {
			common["Statistic"] = a.Statistic
		}
		common["Period"], common["EvaluationPeriods"], common["DatapointsToAlarm"] = a.PeriodSeconds, a.EvaluationPeriods, a.DatapointsToAlarm
		if a.Threshold != nil {
			common["Threshold"] = *a.Threshold
		}
		common["ComparisonOperator"], common["TreatMissingData"] = a.Comparison, a.TreatMissingData
		if a.ThresholdMetricID != "" {
			common["ThresholdMetricId"] = a.ThresholdMetricID
		}
		if len(a.Metrics) > 0 {
			common["Metrics"] = metricDataQueries(a.Metrics)
			metric = append(metric, common)
			continue
		}
		// An alarm from a source that kept only the expression lines.
		var exprs []map[string]any
		for i, e := range a.Expressions {
			id, expr, ok := strings.Cut(e, ": ")
			if !ok {
				id, expr = fmt.Sprintf("e%d", i+1), e
			}
			exprs = append(exprs, map[string]any{"Id": id, "Expression": expr})
		}
		if len(exprs) > 0 {
			common["Metrics"] = exprs
		}
		metric = append(metric, common)
	}
	return metric, composite
}

// metricDataQueries writes a metric-math alarm's queries as DescribeAlarms'
// MetricDataQuery list, each metric with its dimensions and statistic.
func metricDataQueries(qs []telemetry.AlarmMetricQuery) []map[string]any {
	out := make([]map[string]any, 0, len(qs))
	for _, q := range qs {
		d := map[string]any{"Id": q.ID}
		if q.Label != "" {
			d["Label"] = q.Label
		}
		if q.ReturnData != nil {
			d["ReturnData"] = *q.ReturnData
		}
		switch {
		case q.Metric != nil:
			dims := []map[string]string{}
			for _, dim := range q.Metric.Metric.Dimensions {
				dims = append(dims, map[string]string{"Name": dim.Name, "Value": dim.Value})
			}
			d["MetricStat"] = map[string]any{
				"Metric": map[string]any{"Namespace": q.Metric.Metric.Namespace, "MetricName": q.Metric.Metric.MetricName, "Dimensions": dims},
				"Period": q.PeriodSeconds, "Stat": q.Metric.Stat,
			}
		default:
			d["Expression"] = q.Expression
			if q.PeriodSeconds > 0 {
				d["Period"] = q.PeriodSeconds
			}
		}
		out = append(out, d)
	}
	return out
}
