// Package collectors defines where fa2's telemetry comes from. Each kind of
// telemetry has a narrow interface with two implementations: live AWS
// (collectors/awslive) and a snapshot directory (collectors/snapshot). Tools
// talk only to these interfaces, so they never know which one they use. The
// data types themselves live in package telemetry.
package collectors

import (
	"context"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// AccessLogSource reads ALB access logs.
type AccessLogSource interface {
	// AccessLogStats aggregates the requests matching q: counts by q.GroupBy,
	// 4xx/5xx counts, latency percentiles, the top failing paths and
	// targets, and up to q.IncludeRows raw rows, newest first.
	AccessLogStats(ctx context.Context, q telemetry.AccessLogQuery) (*telemetry.AccessLogStats, error)
}

// AlarmSource reads CloudWatch alarms and their history.
type AlarmSource interface {
	// Alarms returns the metric and composite alarms that match q, sorted
	// by name. Implementations cap the list and say so in AlarmList.Partial.
	Alarms(ctx context.Context, q telemetry.AlarmQuery) (*telemetry.AlarmList, error)
	// AlarmHistory returns the state transitions (StateUpdate items) of the
	// named alarms (all alarms when q.Names is empty) inside q.Window,
	// newest first, at most q.Limit of them.
	AlarmHistory(ctx context.Context, q telemetry.AlarmHistoryQuery) (*telemetry.AlarmHistory, error)
}

// CloudTrailSource reads CloudTrail events (LookupEvents or Athena).
type CloudTrailSource interface {
	// CloudTrailEvents returns the events matching q, newest first. It reads
	// at most q.Limit events; when more matched it says so in Stats.Partial,
	// so summaries computed from the result are honest about coverage.
	CloudTrailEvents(ctx context.Context, q telemetry.CloudTrailQuery) (*telemetry.CloudTrailEvents, error)
}

// Sources bundles every collector of one backend. A nil field means the
// backend does not offer that kind of telemetry.
type Sources struct {
	// Name says where data comes from: "aws (us-east-1)" or "snapshot DIR".
	Name string
	// Now is the reference time for relative inputs such as "-30m". For a
	// snapshot it is the end of the snapshot's window, so "the last hour"
	// means the last hour the snapshot covers.
	Now func() time.Time
	// DefaultWindow is used when a tool call gives neither start nor end.
	DefaultWindow func() telemetry.Window
	// Prefetch, when set, starts reading in the background what queries
	// will need (a snapshot's files), so that one source's reading overlaps
	// another's; a query waits for it as it would for its own read. The
	// engine calls it before it reads anything. Nil where each query is its
	// own request (live AWS).
	Prefetch func()

	Logs       LogSource
	Traces     TraceSource
	Metrics    MetricSource
	Alarms     AlarmSource
	CloudTrail CloudTrailSource
	AccessLogs AccessLogSource
	Findings   FindingSource
}

// Clock returns the reference time in UTC: Now when the backend sets it
// (a snapshot's end), else the wall clock. Every tool and the engine
// resolve "now" here, so they agree on it.
func (s Sources) Clock() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// FindingSource reads Security Hub and GuardDuty findings.
type FindingSource interface {
	// SecurityFindings returns active findings updated inside q.Window (a
	// zero window: whatever their update time), most severe and most recent
	// first. A source that fails (Security Hub
	// not enabled, say) is reported in Stats.Warnings while the other's
	// findings are still returned.
	SecurityFindings(ctx context.Context, q telemetry.FindingQuery) (*telemetry.FindingList, error)
}

// LogSource reads CloudWatch Logs (or a snapshot of them).
type LogSource interface {
	// LogGroups lists the log groups this source can read whose names start
	// with prefix ("" lists all). Implementations cap the list and say so.
	LogGroups(ctx context.Context, prefix string) ([]string, error)
	// Events returns matching events, newest first, at most q.Limit of them,
	// with the total number matched.
	Events(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogEvents, error)
	// Patterns groups matching events into templates, most significant first.
	Patterns(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogPatterns, error)
	// Histogram counts matching events per time bin and severity.
	Histogram(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogHistogram, error)
	// Insights runs a raw Logs Insights query. Snapshots return KindUnsupported.
	Insights(ctx context.Context, q telemetry.LogQuery) (*telemetry.InsightsResult, error)
}

// MetricSource reads CloudWatch metrics.
type MetricSource interface {
	// ListMetrics lists the metrics that exist in the given namespaces (all
	// namespaces when empty), whether or not they were recently active, up
	// to q.Limit of them; Partial says when the cap cut the list.
	ListMetrics(ctx context.Context, q telemetry.MetricListQuery) (*telemetry.MetricList, error)
	// MetricData fetches one series per query over q.Window at q.Period,
	// oldest point first. A metric with no data gives an empty series.
	MetricData(ctx context.Context, q telemetry.MetricDataQuery) (*telemetry.MetricData, error)
}

// TraceSource reads X-Ray traces.
type TraceSource interface {
	// TraceSummaries returns a summary of every trace that started in
	// q.Window and matches q.Filter (an X-Ray filter expression), newest
	// first, at most q.Limit. Failing traces carry their root causes,
	// looked up in the full trace when the summary lacks them (bounded).
	TraceSummaries(ctx context.Context, q telemetry.TraceQuery) (*telemetry.TraceSummaries, error)
	// Traces returns the full traces with the given ids; ids that are not
	// found are left out.
	Traces(ctx context.Context, ids []string) ([]telemetry.Trace, error)
	// ServiceGraph returns request counts per service for all traffic in
	// the window (not filtered).
	ServiceGraph(ctx context.Context, w telemetry.Window) ([]telemetry.ServiceStats, error)
}
