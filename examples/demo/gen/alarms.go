package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

func init() { generators = append(generators, generator{"alarms", genAlarms}) }

const (
	alarmThreshold = 5.0
	alarmPeriods   = 3
	compositeName  = "checkout-degraded"
)

// alarmEvaluation is the 5xx alarm evaluated at t over the three minutes
// before it, as CloudWatch does; it reports whether all three breach.
func alarmEvaluation(t time.Time) (breach, recovered bool, reason string, data snapgen.ReasonData) {
	var pts []minute
	for _, m := range minutes() {
		if !m.start.Before(t.Add(-alarmPeriods*time.Minute)) && m.start.Before(t) {
			pts = append(pts, m)
		}
	}
	data = snapgen.ReasonData{Version: "1.0", QueryDate: snapgen.ReasonTime(t.Add(312 * time.Millisecond)), StartDate: snapgen.ReasonTime(pts[0].start),
		Statistic: "Sum", Period: 60, Threshold: alarmThreshold}
	breach, recovered = true, true
	var shown []string
	for i := len(pts) - 1; i >= 0; i-- {
		p := pts[i]
		data.EvaluatedDatapoints = append(data.EvaluatedDatapoints, snapgen.Evaluated{Timestamp: snapgen.ReasonTime(p.start), SampleCount: p.errors5x, Value: p.errors5x})
		shown = append(shown, fmt.Sprintf("%.1f (%s)", p.errors5x, p.start.Format("02/01/06 15:04:05")))
		breach = breach && p.errors5x > alarmThreshold
		recovered = recovered && p.errors5x <= alarmThreshold
	}
	for _, p := range pts {
		data.RecentDatapoints = append(data.RecentDatapoints, p.errors5x)
	}
	verb := "were greater than"
	if !breach {
		verb = "were not greater than"
	}
	reason = fmt.Sprintf("Threshold Crossed: 3 out of the last 3 datapoints [%s] %s the threshold (5.0) (minimum 3 datapoints for %s transition).",
		strings.Join(shown, ", "), verb, map[bool]string{true: "OK -> ALARM", false: "ALARM -> OK"}[breach])
	return breach, recovered, reason, data
}

func genAlarms(dir string) error {
	// Find when the alarm fired and recovered from the metric itself, and
	// check it is the story's time: the story and the data must agree.
	var firedAt, okAt time.Time
	var fireReason, okReason string
	var fireData, okData snapgen.ReasonData
	for t := windowStart; !t.After(windowEnd); t = t.Add(time.Minute) {
		breach, recovered, reason, data := alarmEvaluation(t)
		switch {
		case firedAt.IsZero() && breach:
			firedAt, fireReason, fireData = t, reason, data
		case !firedAt.IsZero() && okAt.IsZero() && recovered:
			okAt, okReason, okData = t, reason, data
		}
	}
	if !firedAt.Equal(alarmAt) || !okAt.Equal(alarmOKAt) {
		return fmt.Errorf("the generated 5xx metric fires the alarm at %s and clears it at %s, but the story says %s and %s", firedAt, okAt, alarmAt, alarmOKAt)
	}
	fired, cleared := alarmAt.Add(312*time.Millisecond), alarmOKAt.Add(288*time.Millisecond)
	arn := func(name string) string { return "arn:aws:cloudwatch:" + region + ":" + accountID + ":alarm:" + name }
	topic := "arn:aws:sns:" + region + ":" + accountID + ":oncall"
	longAgo := time.Date(2026, 11, 18, 14, 2, 11, 0, time.UTC)
	okReasonFor := func(v, threshold float64, stat, unit string) (string, string) {
		t := windowEnd.Add(-time.Minute)
		return fmt.Sprintf("Threshold Crossed: 1 datapoint [%g (%s)] was not greater than the threshold (%g).", v, t.Format("02/01/06 15:04:05"), threshold),
			mustJSON(snapgen.ReasonData{Version: "1.0", QueryDate: snapgen.ReasonTime(longAgo), StartDate: snapgen.ReasonTime(longAgo.Add(-5 * time.Minute)), Statistic: stat, Period: 300, RecentDatapoints: []float64{v}, Threshold: threshold,
				EvaluatedDatapoints: []snapgen.Evaluated{{Timestamp: snapgen.ReasonTime(longAgo.Add(-5 * time.Minute)), SampleCount: 5, Value: v}}})
	}
	metricAlarm := func(name, desc, state, reason, data string, updated time.Time, ns, metric string, d []snapgen.Dimension, stat string, period, evals int, threshold float64) map[string]any {
		return map[string]any{
			"AlarmName": name, "AlarmArn": arn(name), "AlarmDescription": desc, "ActionsEnabled": true,
			"OKActions": []string{topic}, "AlarmActions": []string{topic}, "InsufficientDataActions": []string{},
			"StateValue": state, "StateReason": reason, "StateReasonData": data,
			"StateUpdatedTimestamp": updated.Format(time.RFC3339Nano), "StateTransitionedTimestamp": updated.Format(time.RFC3339Nano),
			"MetricName": metric, "Namespace": ns, "Statistic": stat, "Dimensions": d,
			"Period": period, "EvaluationPeriods": evals, "DatapointsToAlarm": evals, "Threshold": threshold,
			"ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
		}
	}
	cartReason, cartData := okReasonFor(0.017, 0.5, "Average", "Seconds")
	dbReason, dbData := okReasonFor(12.4, 80, "Average", "Percent")
	fnReason, fnData := okReasonFor(0, 0, "Sum", "Count")
	alarms := map[string]any{
		"MetricAlarms": []any{
			metricAlarm(alarmName, "checkout-api targets return 5xx: more than 5 a minute for 3 minutes. Runbook: https://wiki.example.com/runbooks/checkout-5xx",
				"OK", okReason, mustJSON(okData), cleared, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
				snapgen.Dims("TargetGroup", targetGroup, "LoadBalancer", loadBalancer), "Sum", 60, alarmPeriods, alarmThreshold),
			metricAlarm("cart-api-latency-high", "cart-api average response time above 500 ms", "OK", cartReason, cartData, longAgo,
				"AWS/ApplicationELB", "TargetResponseTime", snapgen.Dims("TargetGroup", cartTG, "LoadBalancer", loadBalancer), "Average", 300, 3, 0.5),
			metricAlarm("checkout-db-cpu-high", "Aurora checkout-db CPU above 80%", "OK", dbReason, dbData, longAgo.Add(3*time.Minute),
				"AWS/RDS", "CPUUtilization", snapgen.Dims("DBClusterIdentifier", dbCluster), "Average", 300, 3, 80),
			metricAlarm("order-notifier-errors", "order-notifier Lambda reports errors", "OK", fnReason, fnData, longAgo.Add(7*time.Minute),
				"AWS/Lambda", "Errors", snapgen.Dims("FunctionName", notifierFn), "Sum", 300, 1, 0),
			metricAlarm("nightly-report-duration", "nightly-report Lambda runs longer than 10 minutes", "INSUFFICIENT_DATA",
				"Insufficient Data: 1 datapoint was unknown.", `{"version":"1.0","queryDate":"2026-11-20T02:05:00.000+0000","statistic":"Maximum","period":86400,"recentDatapoints":[],"threshold":600000.0,"evaluatedDatapoints":[]}`,
				time.Date(2026, 11, 20, 2, 5, 0, 0, time.UTC), "AWS/Lambda", "Duration", snapgen.Dims("FunctionName", "nightly-report"), "Maximum", 86400, 1, 600000),
		},
		"CompositeAlarms": []any{map[string]any{
			"AlarmName": compositeName, "AlarmArn": arn(compositeName), "AlarmDescription": "Checkout is degraded: page the on-call engineer.",
			"AlarmRule": fmt.Sprintf("ALARM(%q) OR ALARM(%q)", alarmName, "checkout-db-cpu-high"), "ActionsEnabled": true,
			"AlarmActions": []string{topic}, "OKActions": []string{topic},
			"StateValue": "OK", "StateReason": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-high transitioned to OK at Friday 20 November, 2026 09:53:00 UTC",
			"StateReasonData":       `{"triggeringAlarms":[]}`,
			"StateUpdatedTimestamp": cleared.Add(700 * time.Millisecond).Format(time.RFC3339Nano),
		}},
	}
	if err := writeJSON(filepath.Join(dir, "alarms.json"), alarms); err != nil {
		return err
	}
	state := func(value, reason string, data any) map[string]any {
		m := map[string]any{"stateValue": value, "stateReason": reason}
		if data != nil {
			m["stateReasonData"] = data
		}
		return m
	}
	item := func(name, typ string, t time.Time, from, to map[string]any) map[string]any {
		return map[string]any{
			"AlarmName": name, "AlarmType": typ, "Timestamp": t.Format(time.RFC3339Nano), "HistoryItemType": "StateUpdate",
			"HistorySummary": fmt.Sprintf("Alarm updated from %s to %s", from["stateValue"], to["stateValue"]),
			"HistoryData":    mustJSON(map[string]any{"version": "1.0", "oldState": from, "newState": to}),
		}
	}
	compositeFired := "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-high transitioned to ALARM at Friday 20 November, 2026 09:26:00 UTC"
	history := map[string]any{"AlarmHistoryItems": []any{
		item(compositeName, "CompositeAlarm", cleared.Add(700*time.Millisecond), state("ALARM", compositeFired, nil), state("OK", "checkout-api-5xx-high transitioned to OK", nil)),
		item(alarmName, "MetricAlarm", cleared, state("ALARM", fireReason, fireData), state("OK", okReason, okData)),
		item(compositeName, "CompositeAlarm", fired.Add(650*time.Millisecond), state("OK", "no alarm in the rule is firing", nil), state("ALARM", compositeFired, nil)),
		item(alarmName, "MetricAlarm", fired, state("OK", "Threshold Crossed: 3 out of the last 3 datapoints [0.0 (20/11/26 09:22:00), 0.0 (20/11/26 09:21:00), 0.0 (20/11/26 09:20:00)] were not greater than the threshold (5.0) (minimum 3 datapoints for ALARM -> OK transition).", nil), state("ALARM", fireReason, fireData)),
		item("nightly-report-duration", "MetricAlarm", time.Date(2026, 11, 20, 2, 5, 0, 0, time.UTC), state("OK", "Threshold Crossed: 1 datapoint [312000.0] was not greater than the threshold (600000.0).", nil), state("INSUFFICIENT_DATA", "Insufficient Data: 1 datapoint was unknown.", nil)),
	}}
	return writeJSON(filepath.Join(dir, "alarm-history.json"), history)
}
