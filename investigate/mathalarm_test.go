package investigate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
)

// mathAlarmSnapshot writes a snapshot whose only metric alarm is a
// metric-math 5xx rate over one target group (no top-level metric or
// dimensions), with a composite alarm over it and over a database alarm
// that never fired. The target group's 5xx count departs at 09:30; a
// decoy queue metric rises later on its own.
func mathAlarmSnapshot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, v any) {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("manifest.json", map[string]any{"format": "fa2-snapshot/1", "region": "eu-west-1", "title": "math alarm",
		"window": map[string]string{"start": "2026-11-20T08:00:00Z", "end": "2026-11-20T10:00:00Z"}})
	tg := []map[string]string{{"Name": "TargetGroup", "Value": "targetgroup/orders-tg/5e1f"}, {"Name": "LoadBalancer", "Value": "app/edge/9a0b"}}
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	series := func(file, ns, name string, dims []map[string]string, value func(min int) float64) {
		var dps []map[string]any
		for i := 0; i < 120; i++ {
			v := value(i)
			dps = append(dps, map[string]any{"Timestamp": t0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), "SampleCount": 1,
				"Sum": v, "Average": v, "Minimum": v, "Maximum": v, "Unit": "Count"})
		}
		write("metrics/"+file+".json", map[string]any{"Namespace": ns, "MetricName": name, "Dimensions": dims, "Label": name, "Datapoints": dps})
	}
	series("5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, func(m int) float64 {
		if m >= 90 {
			return 40
		}
		return 0
	})
	series("requests", "AWS/ApplicationELB", "RequestCount", tg, func(m int) float64 { return 1000 + float64(m%3) })
	series("queue", "AWS/SQS", "ApproximateAgeOfOldestMessage", []map[string]string{{"Name": "QueueName", "Value": "reports"}}, func(m int) float64 {
		if m >= 110 {
			return 900
		}
		return 5
	})
	f, tr := false, true
	write("alarms.json", map[string]any{
		"MetricAlarms": []any{
			map[string]any{
				"AlarmName": "orders-5xx-rate", "StateValue": "ALARM", "StateUpdatedTimestamp": "2026-11-20T09:33:00Z",
				"StateReason":       "Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (2.0).",
				"EvaluationPeriods": 3, "Threshold": 2.0, "ComparisonOperator": "GreaterThanThreshold",
				"Metrics": []any{
					map[string]any{"Id": "e1", "Expression": "100*m1/m2", "Label": "5xx rate", "ReturnData": tr},
					map[string]any{"Id": "m1", "ReturnData": f, "MetricStat": map[string]any{"Period": 60, "Stat": "Sum",
						"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": tg}}},
					map[string]any{"Id": "m2", "ReturnData": f, "MetricStat": map[string]any{"Period": 60, "Stat": "Sum",
						"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": tg}}},
				},
			},
			map[string]any{
				"AlarmName": "orders-db-cpu", "StateValue": "OK", "StateUpdatedTimestamp": "2026-11-18T10:00:00Z",
				"Namespace": "AWS/RDS", "MetricName": "CPUUtilization", "Statistic": "Average", "Period": 300, "EvaluationPeriods": 3,
				"Threshold": 80.0, "ComparisonOperator": "GreaterThanThreshold",
				"Dimensions": []map[string]string{{"Name": "DBClusterIdentifier", "Value": "orders-db"}},
			},
		},
		"CompositeAlarms": []any{map[string]any{
			"AlarmName": "orders-degraded", "StateValue": "ALARM", "StateUpdatedTimestamp": "2026-11-20T09:33:10Z",
			"AlarmRule": `ALARM("orders-5xx-rate") OR ALARM("orders-db-cpu")`,
		}},
	})
	return dir
}

// The investigation of a metric-math alarm reads the metrics it combines,
// ranks them as the alarm's own and implicates their target group and load
// balancer; the threshold (on the expression) is not drawn on the count.
func TestMathAlarmMetricsAreTheAlarms(t *testing.T) {
	s, err := snapshot.Open(mathAlarmSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	for _, name := range []string{"orders-5xx-rate", "orders-degraded"} {
		t.Run(name, func(t *testing.T) {
			b, err := Run(context.Background(), s.Sources(), &cfg, Request{AlarmName: name})
			if err != nil {
				t.Fatal(err)
			}
			if os.Getenv("SHOW_MD") != "" {
				t.Log(b.Markdown())
			}
			var watched *Evidence
			for i, e := range b.Evidence {
				if e.Source == srcMetrics && strings.Contains(e.Text, "HTTPCode_Target_5XX_Count") {
					watched = &b.Evidence[i]
					break
				}
			}
			if watched == nil || !strings.Contains(watched.Text, "Watched by alarm orders-5xx-rate") {
				t.Fatalf("the math alarm's 5xx count is not its metric: %+v\n%s", watched, b.Markdown())
			}
			for _, r := range []string{"targetgroup/orders-tg/5e1f", "app/edge/9a0b"} {
				if !slices.Contains(b.Implicated, r) {
					t.Errorf("%s is not implicated: %q", r, b.Implicated)
				}
			}
			// The composite's other alarm never fired: its database is not
			// implicated.
			if slices.Contains(b.Implicated, "orders-db") {
				t.Errorf("orders-db implicated through an alarm that never fired: %q", b.Implicated)
			}
			if len(b.Charts) == 0 || b.Charts[0].Metric.MetricName != "HTTPCode_Target_5XX_Count" || b.Charts[0].Threshold != nil {
				t.Errorf("first chart %+v: want the 5xx count without the expression's threshold", b.Charts)
			}
			if b.Onset == nil || b.Onset.Format("15:04") != "09:30" {
				t.Errorf("onset %v (%s), want 09:30 when the 5xx count departed", b.Onset, b.OnsetSignal)
			}
			if name == "orders-degraded" {
				if md := b.Markdown(); !strings.Contains(md, "Stands for orders-5xx-rate.") {
					t.Errorf("the composite item does not name the alarm behind it:\n%s", md)
				}
				return
			}
			if len(b.Alarms) != 1 || len(b.Alarms[0].Metrics) != 2 || !strings.HasPrefix(b.Alarms[0].Measure, `100*m1/m2 ("5xx rate") where m1 = AWS/ApplicationELB HTTPCode_Target_5XX_Count`) {
				t.Errorf("alarm ref %+v", b.Alarms)
			}
			if md := b.Markdown(); !strings.Contains(md, `100*m1/m2 ("5xx rate") where m1`) {
				t.Errorf("the alarm item does not say what it measures:\n%s", md)
			}
		})
	}
}
