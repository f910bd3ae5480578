package investigate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/config"
)

// Down the live path, with the real SDK clients against a fake AWS: the
// alarm and its metric answer, X-Ray and Security Hub deny access,
// CloudTrail denies too, GuardDuty has no detector and Athena is not set
// up. The bundle still comes back, dated by the alarm's metric, and every
// failing source is a gap saying what to grant or set.
func TestLiveSourcesThatFailBecomeGaps(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Minute)
	fired := now.Add(-20 * time.Minute)
	s := awsfake.New(t)
	dims := []any{map[string]any{"Name": "LoadBalancer", "Value": "app/web/1"}}
	s.Handle("DescribeAlarms", awsfake.Always(awsfake.OK(map[string]any{"MetricAlarms": []any{map[string]any{
		"AlarmName": "web-5xx", "StateValue": "ALARM", "StateReason": "Threshold Crossed", "StateUpdatedTimestamp": fired,
		"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": dims, "Statistic": "Sum",
		"Period": 60, "EvaluationPeriods": 3, "Threshold": 5.0, "ComparisonOperator": "GreaterThanThreshold",
	}}})))
	s.Handle("DescribeAlarmHistory", awsfake.Always(awsfake.OK(map[string]any{"AlarmHistoryItems": []any{}})))
	s.Handle("ListMetrics", awsfake.Always(awsfake.OK(map[string]any{"Metrics": []any{}})))
	s.Handle("GetMetricData", func(c awsfake.Call) awsfake.Reply {
		var res []any
		for _, q := range c.Params["MetricDataQueries"].([]any) {
			var ts []time.Time
			var vs []float64
			for m := 90; m >= 0; m-- {
				ts = append(ts, now.Add(-time.Duration(m)*time.Minute))
				v := 0.0
				if m <= 25 {
					v = 40 // 5xx from 25 minutes ago
				}
				vs = append(vs, v)
			}
			res = append(res, map[string]any{"Id": q.(map[string]any)["Id"], "StatusCode": "Complete", "Timestamps": ts, "Values": vs})
		}
		return awsfake.OK(map[string]any{"MetricDataResults": res})
	})
	s.Handle("POST /TraceSummaries", awsfake.Always(awsfake.Denied()))
	s.Handle("LookupEvents", awsfake.Always(awsfake.Denied()))
	s.Handle("POST /findings", awsfake.Always(awsfake.Denied()))
	s.Handle("GET /detector", awsfake.Always(awsfake.OK(map[string]any{"detectorIds": []any{}})))
	s.Handle("StartQuery", awsfake.Always(awsfake.Denied()))

	cfg := config.Default()
	cfg.Logs.Groups = []string{"/ecs/web"}
	src := awslive.New(s.Config(), &cfg).Sources()
	b, err := Run(context.Background(), src, &cfg, Request{Budget: 4000})
	if err != nil {
		t.Fatalf("%v (calls %v)", err, s.Ops())
	}
	if b.Onset == nil || b.Onset.Sub(now.Add(-25*time.Minute)).Abs() > 2*time.Minute {
		t.Errorf("onset %v (%s), want about 25 minutes ago from the alarm's metric", b.Onset, b.OnsetSignal)
	}
	gaps := map[string]Gap{}
	for _, g := range b.Gaps {
		gaps[g.Source] = g
	}
	for src, want := range map[string]string{
		srcTraces:     "xray:GetTraceSummaries",
		srcLogs:       "logs:StartQuery",
		srcChanges:    "cloudtrail:LookupEvents",
		srcAccessLogs: "athena",
		srcFindings:   "",
	} {
		g, ok := gaps[src]
		if !ok || !strings.Contains(g.Action, want) {
			t.Errorf("gap for %s = %+v, want an action mentioning %q", src, g, want)
		}
	}
	if !strings.Contains(b.Verdict, "Changes are unknown") {
		t.Errorf("with CloudTrail denied the verdict must not name a cause: %s", b.Verdict)
	}
	md := b.Markdown()
	if !strings.Contains(md, "## Gaps") || !strings.Contains(md, "HTTPCode_Target_5XX_Count") {
		t.Errorf("bundle:\n%s", md)
	}
}
