package tools

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

// A composite alarm listed alone (by name, or because a state filter hid
// the rest) still shows the state and measure of each alarm its rule
// names; an alarm the source does not have is said to be missing.
func TestGetAlarmsShowsACompositesAlarms(t *testing.T) {
	env := snapshotEnv(t, "../examples/demo")
	var out GetAlarmsOutput
	res := callTool(t, env, "get_alarms", `{"names":["checkout-degraded"]}`, &out)
	if res.IsError || len(out.Alarms) != 1 {
		t.Fatalf("%d alarms: %s", len(out.Alarms), text(res))
	}
	ra := out.Alarms[0].RuleAlarms
	if len(ra) != 2 || ra[0].Name != "checkout-api-5xx-high" || ra[0].State != "OK" || ra[1].Name != "checkout-db-cpu-high" ||
		!strings.Contains(ra[1].Measure, "AWS/RDS CPUUtilization DBClusterIdentifier=checkout-db Average") {
		t.Errorf("rule alarms %+v", ra)
	}
	if txt := text(res); !strings.Contains(txt, "    rule names checkout-db-cpu-high: OK since 2026-11-18T14:05:11Z, AWS/RDS CPUUtilization DBClusterIdentifier=checkout-db Average\n") {
		t.Errorf("text:\n%s", txt)
	}

	dir := t.TempDir()
	for name, body := range map[string]string{
		"manifest.json": `{"format":"fa2-snapshot/1","region":"us-east-1","window":{"start":"2026-11-20T09:00:00Z","end":"2026-11-20T10:00:00Z"}}`,
		"alarms.json": `{"MetricAlarms":[{"AlarmName":"api-errors","StateValue":"ALARM","StateUpdatedTimestamp":"2026-11-20T09:20:00Z",
		  "EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold",
		  "Metrics":[{"Id":"e1","Expression":"m1+m2","ReturnData":true},
		    {"Id":"m1","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Errors","Dimensions":[{"Name":"FunctionName","Value":"api"}]},"Period":60,"Stat":"Sum"}},
		    {"Id":"m2","ReturnData":false,"MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Throttles","Dimensions":[{"Name":"FunctionName","Value":"api"}]},"Period":60,"Stat":"Sum"}}]}],
		  "CompositeAlarms":[{"AlarmName":"api-down","StateValue":"ALARM","StateUpdatedTimestamp":"2026-11-20T09:21:00Z",
		  "AlarmRule":"AT_LEAST(1, ALARM, (\"api-errors\", \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:gone\"))"}]}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res = callTool(t, snapshotEnv(t, dir), "get_alarms", `{"names":["api-down"]}`, &out)
	txt := text(res)
	for _, want := range []string{
		"ALARM             api-down since 2026-11-20T09:21:00Z composite: AT_LEAST(1, ALARM,",
		"    rule names api-errors: ALARM since 2026-11-20T09:20:00Z, m1+m2 where m1 = AWS/Lambda Errors (FunctionName=api) Sum 60s, m2 = AWS/Lambda Throttles (FunctionName=api) Sum 60s\n",
		"    rule names gone (not found in this source)\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	res = callTool(t, snapshotEnv(t, dir), "get_alarms", `{"names":["api-errors"]}`, &out)
	if txt := text(res); !strings.Contains(txt, "api-errors since 2026-11-20T09:20:00Z metric math GreaterThanThreshold 1 over 1×60s\n    measures m1+m2 where m1 = AWS/Lambda Errors (FunctionName=api) Sum 60s") {
		t.Errorf("math alarm text:\n%s", txt)
	}
	if len(out.Alarms) != 1 || len(out.Alarms[0].Metrics) != 3 || out.Alarms[0].Metrics[1].Metric == nil {
		t.Errorf("structured metrics %+v", out.Alarms)
	}
}

// Live, the alarms a composite names are read by name when the state
// filter hid them; when that read is denied, the rule is still shown and
// the warning says what failed.
func TestGetAlarmsLiveReadsACompositesAlarms(t *testing.T) {
	for _, deny := range []bool{false, true} {
		s := awsfake.New(t)
		s.Handle("DescribeAlarms", func(c awsfake.Call) awsfake.Reply {
			if c.Params["AlarmNames"] != nil {
				if deny {
					return awsfake.Denied()
				}
				return awsfake.OK(map[string]any{"MetricAlarms": []any{map[string]any{"AlarmName": "db-cpu", "StateValue": "OK",
					"StateUpdatedTimestamp": time.Date(2026, 11, 18, 14, 5, 0, 0, time.UTC), "Namespace": "AWS/RDS", "MetricName": "CPUUtilization", "Statistic": "Average"}}})
			}
			return awsfake.OK(map[string]any{"CompositeAlarms": []any{map[string]any{"AlarmName": "shop-down", "StateValue": "ALARM",
				"StateUpdatedTimestamp": time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC), "AlarmRule": `ALARM(db-cpu) OR ALARM("shop-5xx")`}}})
		})
		s.Handle("DescribeAlarmHistory", awsfake.Always(awsfake.OK(map[string]any{"AlarmHistoryItems": []any{}})))
		var out GetAlarmsOutput
		res := callTool(t, liveEnv(t, s), "get_alarms", `{"state":"ALARM"}`, &out)
		if res.IsError || len(out.Alarms) != 1 {
			t.Fatalf("deny=%v: %s", deny, text(res))
		}
		calls := s.Calls("DescribeAlarms")
		if len(calls) != 2 || fmt.Sprint(calls[1].Params["AlarmNames"]) != "[db-cpu shop-5xx]" {
			t.Errorf("deny=%v: DescribeAlarms calls %+v", deny, calls)
		}
		ra := out.Alarms[0].RuleAlarms
		switch {
		case len(ra) != 2:
			t.Errorf("deny=%v: rule alarms %+v", deny, ra)
		case deny && (ra[0].State != "" || len(out.Warnings) == 0 || !strings.Contains(strings.Join(out.Warnings, " "), "composite rules name could not be read")):
			t.Errorf("denied: rule alarms %+v warnings %q", ra, out.Warnings)
		case !deny && (ra[0].State != "OK" || ra[0].Measure != "AWS/RDS CPUUtilization Average" || ra[1].State != ""):
			t.Errorf("rule alarms %+v", ra)
		}
	}
}
