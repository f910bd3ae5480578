package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// demoBundle builds the bundle the engine would give for the bundled demo
// incident from the demo snapshot itself: the alarm's metric and the
// database connections over baseline + window, X-Ray's failure groups, the
// deploy's CloudTrail events as suspects. The onset and the suspects'
// ranking are what the demo's story says; the series come from the data.
func demoBundle(t testing.TB) *investigate.Bundle {
	t.Helper()
	store, err := snapshot.Open(filepath.Join("..", "examples", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	src := store.Sources()
	ctx := context.Background()
	m := store.Manifest()
	w := telemetry.Window{Start: m.Window.Start, End: m.Window.End}
	base := telemetry.Window{Start: w.Start.Add(-time.Hour), End: w.Start}
	threshold := 5.0
	tg := []telemetry.Dimension{{Name: "TargetGroup", Value: "targetgroup/checkout-api-tg/6d0ecf831eec9f09"}, {Name: "LoadBalancer", Value: "app/prod-web/50dc6c495c0c9188"}}
	stats := []telemetry.MetricStat{
		{Metric: telemetry.Metric{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: tg}, Stat: "Sum"},
		{Metric: telemetry.Metric{Namespace: "AWS/RDS", MetricName: "DatabaseConnections", Dimensions: []telemetry.Dimension{{Name: "DBClusterIdentifier", Value: "checkout-db"}}}, Stat: "Average"},
	}
	data, err := src.Metrics.MetricData(ctx, telemetry.MetricDataQuery{Stats: stats, Window: telemetry.Window{Start: base.Start, End: w.End}, PeriodSeconds: 60})
	if err != nil {
		t.Fatal(err)
	}
	onset := time.Date(2026, 11, 20, 9, 22, 0, 0, time.UTC)
	dep := onset.Add(time.Minute)
	var charts []investigate.ChartSeries
	for i, s := range data.Series {
		if len(s.Points) == 0 {
			t.Fatalf("demo metric %s has no points", s.Stat.Metric.MetricName)
		}
		c := investigate.ChartSeries{Title: "checkout-api target 5xx (alarm checkout-api-5xx-high)", Metric: s.Stat.Metric, Stat: s.Stat.Stat, Unit: s.Unit, Points: s.Points, EvidenceID: "E1"}
		if i == 0 {
			c.Threshold, c.Departure = &threshold, &dep
		} else {
			c.Title = "checkout-db connections"
			c.EvidenceID = "E4"
		}
		charts = append(charts, c)
	}
	sums, err := src.Traces.TraceSummaries(ctx, telemetry.TraceQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	graph, err := src.Traces.ServiceGraph(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	topo := &investigate.Topology{Services: graph}
	for _, g := range evidence.GroupFailures(sums.Summaries, 3) {
		topo.Failures = append(topo.Failures, investigate.FailurePath{Kind: g.Kind, Service: g.Service, Services: []string{g.Service}, Path: strings.Split(g.Path, " > "), Exception: g.Exception, Count: g.Count, EvidenceID: "E2"})
	}
	return &investigate.Bundle{
		Title:    m.Title,
		Source:   "snapshot examples/demo",
		Language: "en",
		Alarms: []investigate.AlarmRef{{Name: "checkout-api-5xx-high", State: "ALARM", FiredAt: time.Date(2026, 11, 20, 9, 24, 0, 0, time.UTC),
			Metric: &stats[0].Metric, Threshold: &threshold, Comparison: "GreaterThanThreshold"}},
		Window: w, Baseline: base, Onset: &onset, OnsetSignal: "HTTPCode_Target_5XX_Count departed from its baseline",
		Suspects: []investigate.Suspect{
			{EventName: "UpdateService", EventSource: "ecs.amazonaws.com", EventTime: time.Date(2026, 11, 20, 9, 20, 41, 0, time.UTC),
				Principal: "arn:aws:sts::123456789012:assumed-role/deploy-pipeline/codebuild-checkout-api-7781", Resources: []string{"checkout-api"},
				Parameters: []string{"taskDefinition=checkout-api:42"}, Likelihood: investigate.Likely, Score: 0.9, Why: "deploys checkout-api:42 two minutes before the onset", EvidenceID: "E5"},
			{EventName: "RegisterTaskDefinition", EventSource: "ecs.amazonaws.com", EventTime: time.Date(2026, 11, 20, 9, 20, 5, 0, time.UTC),
				Principal:  "arn:aws:sts::123456789012:assumed-role/deploy-pipeline/codebuild-checkout-api-7781",
				Resources:  []string{"arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/checkout/db-Lm71Pc"},
				Parameters: []string{"containerDefinitions[0].secrets[0].valueFrom=arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/checkout/db-Lm71Pc"},
				Likelihood: investigate.Likely, Score: 0.8, Why: "the new task definition reads the staging database secret", EvidenceID: "E5"},
			{EventName: "UpdateService", EventSource: "ecs.amazonaws.com", EventTime: time.Date(2026, 11, 20, 9, 47, 30, 0, time.UTC),
				Principal: "arn:aws:iam::123456789012:user/alice", Resources: []string{"checkout-api"}, Parameters: []string{"taskDefinition=checkout-api:41"},
				Likelihood: investigate.Unlikely, Score: 0.1, Why: "rolls back to checkout-api:41 after the onset", EvidenceID: "E6"},
		},
		Implicated:   []string{"checkout-api", "checkout-db", "arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/checkout/db-Lm71Pc"},
		Charts:       charts,
		Architecture: m.Architecture,
		Topology:     topo,
	}
}
