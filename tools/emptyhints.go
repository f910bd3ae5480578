package tools

import (
	"fmt"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// emptyHinter is implemented by outputs that can come back empty. A result
// with nothing in it is the most misleading one a tool can give ("no
// errors" may mean "wrong window"), so it carries why it may be empty and
// what to try.
type emptyHinter interface {
	emptyHint() string
}

func windowText(w telemetry.Window) string {
	return w.Start.Format(time.RFC3339) + " to " + w.End.Format(time.RFC3339)
}

func (o *QueryLogsOutput) emptyHint() string {
	if o.Matched > 0 || len(o.Rows) > 0 {
		return ""
	}
	return fmt.Sprintf("No log events matched from %s in %s. Widen start/end (get_alarms suggests a window), loosen or drop the filter, and check the log groups: logs.groups in the configuration, or log_groups with names or prefixes ending in *.", windowText(o.Window), o.Source)
}

func (o *GetTracesOutput) emptyHint() string {
	if o.Processed > 0 || len(o.Traces) > 0 || len(o.FailureGroups) > 0 {
		return ""
	}
	return fmt.Sprintf("No traces from %s in %s. X-Ray keeps traces 30 days and only for services instrumented and sampled; widen start/end or drop filter_expression.", windowText(o.Window), o.Source)
}

func (o *QueryCloudTrailOutput) emptyHint() string {
	if o.Matched > 0 {
		return ""
	}
	return fmt.Sprintf("No CloudTrail events from %s in %s. By default only mutating calls are listed (only_mutating=false shows reads); widen start/end or drop the name, principal and resource filters. LookupEvents covers 90 days of management events.", windowText(o.Window), o.Source)
}

func (o *QueryAccessLogsOutput) emptyHint() string {
	if o.Totals.Requests > 0 {
		return ""
	}
	return fmt.Sprintf("No ALB requests from %s in %s. Widen start/end or drop the path, method, target and client filters; live, check athena.alb_table points at the load balancer's logs.", windowText(o.Window), o.Source)
}

func (o *GetFindingsOutput) emptyHint() string {
	if o.Matched > 0 {
		return ""
	}
	return fmt.Sprintf("No active findings in %s. Lower min_severity, or check Security Hub and GuardDuty are enabled in this account and region.", o.Source)
}

func (o *GetAlarmsOutput) emptyHint() string {
	if len(o.Alarms) > 0 || o.Omitted > 0 {
		return ""
	}
	return fmt.Sprintf("No alarms matched in %s. Drop state, names or name_prefix, or check the region.", o.Source)
}

func (o *SelectMetricsOutput) emptyHint() string {
	if len(o.Metrics) > 0 {
		return ""
	}
	return fmt.Sprintf("No metrics selected from %s in %s (%d candidates listed). Name namespaces, or give metrics explicitly; CloudWatch lists only metrics that reported in the last two weeks.", windowText(o.Window), o.Source, o.Candidates)
}
