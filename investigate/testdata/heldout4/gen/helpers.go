package main

import (
	"fmt"
	"time"
)

// LambdaInvoke writes the START/END/REPORT lines Lambda adds around an
// invocation, with the function's own lines in between.
func (s *Snap) LambdaInvoke(group, stream string, t time.Time, durMs float64, memMB, usedMB int, body func(reqID string, t time.Time)) {
	id := s.uuid()
	s.Log(group, stream, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
	if body != nil {
		body(id, t.Add(2*time.Millisecond))
	}
	e := t.Add(time.Duration(durMs * float64(time.Millisecond)))
	s.Log(group, stream, e, fmt.Sprintf("END RequestId: %s", id))
	s.Log(group, stream, e.Add(time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t", id, durMs, int(durMs)+1, memMB, usedMB))
}

// SimpleAlarm is a single-metric alarm as DescribeAlarms returns it.
func (s *Snap) SimpleAlarm(name, desc, ns, metric, stat string, dims [][2]string, period, evals, dta int, thr float64, op, state string, updated time.Time, reason string, topic string) {
	var ds []any
	for _, d := range dims {
		ds = append(ds, map[string]string{"Name": d[0], "Value": d[1]})
	}
	s.MetricAlarm(map[string]any{"AlarmName": name, "AlarmDescription": desc, "ActionsEnabled": true, "OKActions": []string{topic}, "AlarmActions": []string{topic},
		"InsufficientDataActions": []string{}, "StateValue": state, "StateReason": reason, "StateUpdatedTimestamp": updated.Format("2006-01-02T15:04:05.000Z"),
		"StateTransitionedTimestamp": updated.Format("2006-01-02T15:04:05.000Z"), "AlarmConfigurationUpdatedTimestamp": "2026-05-11T08:30:12.090Z",
		"MetricName": metric, "Namespace": ns, "Statistic": stat, "Dimensions": ds, "Period": period, "EvaluationPeriods": evals, "DatapointsToAlarm": dta,
		"Threshold": thr, "ComparisonOperator": op, "TreatMissingData": "missing"})
}

func (s *Snap) FireAlarm(name string, t time.Time, reason string, vals []float64, thr float64, topic string) {
	s.StateChange(name, "MetricAlarm", t, "OK", "ALARM", reason, map[string]any{"version": "1.0", "queryDate": t.Format("2006-01-02T15:04:05.000+0000"),
		"statistic": "Sum", "period": 60, "recentDatapoints": vals, "threshold": thr})
	s.Action(name, "MetricAlarm", t, topic)
}

// Seg is an X-Ray segment or subsegment document.
func (s *Snap) Seg(name string, t time.Time, dur time.Duration) map[string]any {
	return map[string]any{"id": s.hex(16), "name": name, "start_time": epoch(t), "end_time": epoch(t.Add(dur))}
}

// AWSSub is an AWS SDK subsegment (namespace aws).
func (s *Snap) AWSSub(svc, op string, t time.Time, dur time.Duration, status int, extra map[string]any) map[string]any {
	sub := s.Seg(svc, t, dur)
	sub["namespace"] = "aws"
	aws := map[string]any{"operation": op, "region": s.Region, "request_id": s.alnum(52, true)[:36], "retries": 0}
	for k, v := range extra {
		aws[k] = v
	}
	sub["aws"] = aws
	sub["http"] = map[string]any{"response": map[string]any{"status": status, "content_length": 120 + s.R.Intn(300)}}
	return sub
}

func (s *Snap) Cause(sub map[string]any, typ, msg string, remote bool) {
	sub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": s.hex(16), "type": typ, "message": msg, "remote": remote}}}
}

func (s *Snap) LogStreamECS(prefix, container string) string {
	return prefix + "/" + container + "/" + s.hex(32)
}
