package evidence

import (
	"bufio"
	"os"
	"testing"

	"github.com/fa2/fa2/evidence/alblog"
	"github.com/fa2/fa2/telemetry"
)

// Issue 18 item 4: Lambda targets, redirects, fixed responses and 503s
// without a target are told apart in group_by target and the failing
// targets, and a Lambda target has latency.
func TestAccessLogTargetsOnEveryVariant(t *testing.T) {
	f, err := os.Open("alblog/testdata/realworld.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	agg := NewAccessLogAggregator(telemetry.AccessLogQuery{GroupBy: telemetry.GroupByTarget, Limit: 50})
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		e, err := alblog.ParseLine(sc.Text())
		if err != nil {
			t.Fatal(err)
		}
		agg.Add(&e)
	}
	res := agg.Result()
	groups := map[string]telemetry.AccessLogGroup{}
	for _, g := range res.Groups {
		groups[g.Key] = g
	}
	lambda, ok := groups["tg/orders-fn (Lambda)"]
	if !ok || lambda.Requests != 2 || lambda.ELB5xx != 1 || lambda.Latency == nil || lambda.Latency.P99 != 0.61 || lambda.Latency.P50 != 0.245 {
		t.Errorf("lambda group = %+v (%+v)", lambda, lambda.Latency)
	}
	for key, want := range map[string]int64{TargetRedirect: 1, TargetFixedResponse: 1, "tg/orders-ecs (no target)": 1, TargetNone: 2, "10.0.2.57:8080": 3} {
		if g := groups[key]; g.Requests != want {
			t.Errorf("group %q = %+v, want %d requests (groups %v)", key, g, want, keys(groups))
		}
	}
	// Redirects and fixed responses log target_processing_time 0: not a latency.
	if g := groups[TargetRedirect]; g.Latency != nil {
		t.Errorf("redirect latency = %+v", g.Latency)
	}
	failing := map[string]bool{}
	for _, g := range res.TopFailingTargets {
		failing[g.Key] = true
	}
	for _, k := range []string{"tg/orders-fn (Lambda)", TargetFixedResponse, "tg/orders-ecs (no target)", "10.0.2.58:8080"} {
		if !failing[k] {
			t.Errorf("top failing targets lack %q: %v", k, res.TopFailingTargets)
		}
	}
	// The filter accepts the keys it shows, and target group names.
	e, _ := alblog.ParseLine(`https 2025-12-01T10:00:06.186641Z app/x 192.0.2.77:2900 - 0.000 0.245 0.000 200 200 34 366 "GET https://a:443/r HTTP/1.1" "c" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-fn/1a2b "Root=1-a" "-" "-" 40 2025-12-01T10:00:05.941000Z "forward" "-" "-" "-" "-" "-" "-" TID_7`)
	for _, target := range []string{"tg/orders-fn (Lambda)", "tg/orders-fn"} {
		if !MatchAccessLog(telemetry.AccessLogQuery{Target: target}, &e) {
			t.Errorf("target filter %q does not match the Lambda request", target)
		}
	}
}

func keys(m map[string]telemetry.AccessLogGroup) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
