package snapshot

import (
	"context"
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// The realworld snapshot (testdata/realworld/README.md) holds every
// documented variant of each format: all of it must be read, none of it
// skipped as malformed (issue 18: Insights events used to be).
func TestRealWorldSnapshotReadsEverything(t *testing.T) {
	s, err := Open("testdata/realworld")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	w := s.Manifest().Window
	trail, err := s.CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(trail.Events) != 11 || len(trail.Stats.Warnings) != 0 {
		t.Errorf("%d CloudTrail events, warnings %q", len(trail.Events), trail.Stats.Warnings)
	}
	traces, err := s.TraceSummaries(ctx, telemetry.TraceQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(traces.Summaries) != 7 || len(traces.Warnings) != 0 {
		t.Errorf("%d traces, warnings %q", len(traces.Summaries), traces.Warnings)
	}
	for _, sum := range traces.Summaries {
		if sum.ResponseTime < 0 || sum.Duration < 0 {
			t.Errorf("negative timing: %+v", sum)
		}
	}
	alb, err := s.AccessLogStats(ctx, telemetry.AccessLogQuery{Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if alb.Totals.Requests != 16 || len(alb.Stats.Warnings) != 0 {
		t.Errorf("%d requests, warnings %q", alb.Totals.Requests, alb.Stats.Warnings)
	}
	alarms, err := s.Alarms(ctx, telemetry.AlarmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(alarms.Alarms) != 4 {
		t.Errorf("%d alarms", len(alarms.Alarms))
	}
	groups, err := s.LogGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 {
		t.Errorf("log groups = %v", groups)
	}
	evs, err := s.Events(ctx, telemetry.LogQuery{LogGroups: groups, Window: w, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs.Events) != 29 || len(evs.Stats.Warnings) != 0 {
		t.Errorf("%d log events, warnings %q", len(evs.Events), evs.Stats.Warnings)
	}
}
