package investigate

import (
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// When nothing changed and a finite resource ran out before the failures,
// the verdict names it; an incident caused by a change gets no mechanism.
func TestExhaustionIsTheMechanism(t *testing.T) {
	b := investigateDir(t, "testdata/heldout/cpu-credits-exhausted", Request{Budget: DefaultBudget})
	if !strings.Contains(b.Verdict, "Mechanism: AWS/EC2/CPUCreditBalance") || !strings.Contains(b.Verdict, "ran out") {
		t.Errorf("the verdict does not name the exhausted credits: %s", b.Verdict)
	}
	b = investigateDir(t, "testdata/heldout/aurora-failover", Request{Budget: DefaultBudget})
	if !strings.Contains(b.Verdict, "At the onset: AWS/RDS/DatabaseConnections{DBClusterIdentifier=catalog-aurora}") {
		t.Errorf("the verdict does not name the database whose connections collapsed: %s", b.Verdict)
	}
	b = investigateDir(t, "testdata/heldout13/dynamodb-latency-one-az-no-change", Request{Budget: DefaultBudget})
	if !strings.Contains(b.Verdict, "on AWS's side: AWS/DynamoDB/SuccessfulRequestLatency") || !strings.Contains(b.Verdict, "rose from a baseline") {
		t.Errorf("the verdict does not say the table slowed down on AWS's side: %s", b.Verdict)
	}
	b = investigateDir(t, "testdata/heldout/kms-key-disabled", Request{Budget: DefaultBudget})
	if strings.Contains(b.Verdict, "Mechanism") || strings.Contains(b.Verdict, "At the onset") {
		t.Errorf("a change's incident got a mechanism: %s", b.Verdict)
	}
}

func TestCollapsed(t *testing.T) {
	mean := 64.0
	sum := evidence.SeriesSummary{BaselineMean: &mean}
	if !collapsed(&evidence.Interval{Points: 2, Direction: "below", Peak: 3}, sum) {
		t.Error("connections from 64 to 3 for two minutes is not a collapse")
	}
	if collapsed(&evidence.Interval{Points: 2, Direction: "below", Peak: 40}, sum) {
		t.Error("a dip from 64 to 40 is a collapse")
	}
	if collapsed(&evidence.Interval{Points: 1, Direction: "below", Peak: 0}, sum) {
		t.Error("one missing point is a collapse")
	}
}

// Free storage eaten for hours is running out since the data began, though
// it leaves its baseline only near the end; a change made after it began
// to run out is possible, one made before keeps its standing.
func TestRunningOutSince(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	var pts []telemetry.Point
	for i := 0; i < 150; i++ {
		pts = append(pts, telemetry.Point{Timestamp: t0.Add(time.Duration(i) * time.Minute), Value: 2e9 - float64(i)*1.3e7})
	}
	m := &metricMove{stat: telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/RDS", MetricName: "FreeStorageSpace"}}, points: pts, dep: evidence.Interval{Start: t0.Add(140 * time.Minute), Direction: "below"}}
	if since := runningOutSince(m); !since.Equal(t0) {
		t.Errorf("falling since %s, want %s", since, t0)
	}
	flat := &metricMove{points: append(make([]telemetry.Point, 0), pts[:8]...), dep: evidence.Interval{Start: t0.Add(140 * time.Minute)}}
	for i := range flat.points {
		flat.points[i].Value = 2e9
	}
	if since := runningOutSince(flat); !since.Equal(flat.dep.Start) {
		t.Errorf("a flat baseline runs out since %s, want the departure %s", since, flat.dep.Start)
	}
	ss := []suspect{
		{ev: telemetry.CloudTrailEvent{Name: "UpdateService", Time: t0.Add(148 * time.Minute)}, likely: Likely},
		{ev: telemetry.CloudTrailEvent{Name: "ModifyDBInstance", Time: t0.Add(-time.Hour)}, likely: Likely},
	}
	notBeforeRunningOut(ss, m, t0)
	for _, s := range ss {
		want := map[string]string{"UpdateService": Possible, "ModifyDBInstance": Likely}[s.ev.Name]
		if s.likely != want {
			t.Errorf("%s is %s (%s), want %s", s.ev.Name, s.likely, s.note, want)
		}
	}
}

// Traffic that began to rise before a deploy explains the upstream's 429s
// the deploy could only plausibly cause; a capacity cut that typically
// causes throttling, or a change made before the rise, keeps its standing.
func TestLoadExplainsThrottling(t *testing.T) {
	onset := time.Date(2026, 11, 26, 14, 13, 0, 0, time.UTC)
	mean := 141.9
	m := &metricMove{stat: telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/SQS", MetricName: "NumberOfMessagesReceived", Dimensions: []telemetry.Dimension{{Name: "QueueName", Value: "notify-email-jobs"}}}},
		summary: evidence.SeriesSummary{BaselineMean: &mean}, dep: evidence.Interval{Start: onset.Add(-28 * time.Minute), End: onset.Add(time.Hour), Direction: "above", Peak: 1389}}
	a := &analysis{onset: &onset, moves: []metricMove{*m}}
	if a.loadRise() == nil {
		t.Fatal("messages rising from 142 to 1389 a minute, from 28 minutes before the onset, is not a load rise")
	}
	echo := *m
	echo.dep.Start = onset
	if (&analysis{onset: &onset, moves: []metricMove{echo}}).loadRise() != nil {
		t.Error("a count rising with the onset (redeliveries) read as load that explains it")
	}
	ss := []suspect{
		{ev: telemetry.CloudTrailEvent{Name: "UpdateFunctionCode", Time: onset.Add(-10 * time.Minute)}, likely: Likely, mech: fitPlausible, matched: sigThrottling},
		{ev: telemetry.CloudTrailEvent{Name: "PutFunctionConcurrency", Time: onset.Add(-5 * time.Minute)}, likely: Likely, mech: fitMatch, matched: sigThrottling},
		// Before the rise, on the queue whose load rose: it may have caused it.
		{ev: telemetry.CloudTrailEvent{Name: "UpdateFunctionConfiguration", Time: onset.Add(-40 * time.Minute)}, likely: Likely, mech: fitPlausible, matched: sigThrottling, tokens: []string{"notify-email-jobs"}},
		// Before the rise, elsewhere: the load is not its doing.
		{ev: telemetry.CloudTrailEvent{Name: "UpdateService", Time: onset.Add(-40 * time.Minute)}, likely: Likely, mech: fitPlausible, matched: sigThrottling, tokens: []string{"media-uploader"}},
	}
	loadExplains(ss, a.loadRise())
	for _, s := range ss {
		want := map[string]string{"UpdateFunctionCode": Possible, "PutFunctionConcurrency": Likely, "UpdateFunctionConfiguration": Likely, "UpdateService": Possible}[s.ev.Name]
		if s.likely != want {
			t.Errorf("%s is %s (%s), want %s", s.ev.Name, s.likely, s.note, want)
		}
	}
}

// A new error that began quietly long before the others and runs on past
// them dates the onset; one that came and went early is noise.
func TestQuietEarlyErrorDatesTheOnset(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 18, 11, 0, 0, time.UTC)
	sigs := func(until time.Time) []signal {
		return []signal{
			{name: "new log template", start: t0.Add(-26 * time.Minute), primary: true, until: until},
			{name: "alarm metric", start: t0, primary: true},
			{name: "error log lines", start: t0.Add(time.Minute), primary: true},
		}
	}
	if on, by := pickOnset(sigs(t0.Add(40 * time.Minute))); !on.Equal(t0.Add(-26*time.Minute)) || by != "new log template" {
		t.Errorf("onset %s by %s; want the quiet new error 26 minutes earlier", on, by)
	}
	if on, _ := pickOnset(sigs(t0.Add(-20 * time.Minute))); !on.Equal(t0) {
		t.Errorf("onset %s; an early error that stopped before the others began is noise", on)
	}
}

// Invocations that stop after a busy baseline (a burst of retries inflates
// its spread) are a stop; a count that was low all along, or dips and
// recovers, is not.
func TestStoppedSeries(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 15, 40, 0, 0, time.UTC)
	pts := func(start time.Time, vals ...float64) []telemetry.Point {
		out := make([]telemetry.Point, len(vals))
		for i, v := range vals {
			out[i] = telemetry.Point{Timestamp: start.Add(time.Duration(i) * time.Minute), Value: v}
		}
		return out
	}
	base := pts(t0, 19, 13, 13, 9, 15, 13, 52, 38, 52, 39, 42, 11, 12, 14, 13)
	cur := pts(t0.Add(15*time.Minute), 13, 14, 12, 0, 0, 0, 0, 0)
	d := stopped(cur, base, 3)
	if d == nil || !d.Start.Equal(t0.Add(18*time.Minute)) || d.Points != 5 || d.Direction != "below" {
		t.Fatalf("stopped = %+v, want below from the fourth window point for 5 points", d)
	}
	if stopped(pts(t0.Add(15*time.Minute), 13, 0, 0, 0, 14), base, 3) != nil {
		t.Error("a dip that recovered read as a stop")
	}
	if stopped(pts(t0.Add(15*time.Minute), 0, 0, 0, 0), base, 3) != nil {
		t.Error("a series low all window long read as a stop within it")
	}
	if stopped(cur, pts(t0, 0, 1, 0, 0, 0, 0), 3) != nil {
		t.Error("a series that hardly ran read as stopped")
	}
}
