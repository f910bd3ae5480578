package investigate

import (
	"context"
	"errors"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// iamActions are the read permissions each source needs, for the gap that
// says what to grant.
var iamActions = map[string]string{
	srcAlarms:     "cloudwatch:DescribeAlarms and cloudwatch:DescribeAlarmHistory",
	srcLogs:       "logs:DescribeLogGroups, logs:StartQuery, logs:GetQueryResults and logs:StopQuery",
	srcTraces:     "xray:GetTraceSummaries, xray:BatchGetTraces and xray:GetServiceGraph",
	srcMetrics:    "cloudwatch:ListMetrics and cloudwatch:GetMetricData",
	srcChanges:    "cloudtrail:LookupEvents (or, with cloudtrail.backend athena, athena:StartQueryExecution, athena:GetQueryResults, glue:GetTable and s3:GetObject on the trail bucket)",
	srcAccessLogs: "athena:StartQueryExecution, athena:GetQueryExecution, athena:GetQueryResults, athena:GetTableMetadata and glue:GetTable, with s3:GetObject on the ALB log bucket and s3:PutObject on the results location",
	srcFindings:   "securityhub:GetFindings, guardduty:ListDetectors, guardduty:ListFindings and guardduty:GetFindings",
}

// settings say what to configure when a source is not set up.
var settings = map[string]string{
	srcAlarms:     "Read live AWS, or add alarms.json and alarm-history.json to the snapshot.",
	srcLogs:       "Set logs.groups (FA2_LOGS_GROUPS), or add logs/<group>.jsonl to the snapshot.",
	srcTraces:     "Set xray.enabled and turn on X-Ray tracing in the services, or add xray/*.json to the snapshot.",
	srcMetrics:    "Read live AWS, or add metrics/*.json to the snapshot.",
	srcChanges:    "Set cloudtrail.backend (api or athena), or add cloudtrail/*.json to the snapshot.",
	srcAccessLogs: "Set athena.database and athena.alb_table (and athena.output_location), or add alb/*.log to the snapshot.",
	srcFindings:   "Enable Security Hub or GuardDuty in the region, or add securityhub.json / guardduty.json to the snapshot.",
}

func sourceNoun(name string) string {
	switch name {
	case srcLogs:
		return "CloudWatch Logs"
	case srcTraces:
		return "X-Ray traces"
	case srcMetrics:
		return "CloudWatch metrics"
	case srcChanges:
		return "CloudTrail events"
	case srcAccessLogs:
		return "ALB access logs"
	case srcFindings:
		return "Security Hub or GuardDuty findings"
	case srcAlarms:
		return "CloudWatch alarms"
	}
	return name
}

// gapFor turns a source's failure into what failed and what to do.
func gapFor(source string, err error) Gap {
	g := Gap{Source: source, What: strings.TrimSpace(err.Error())}
	e, ok := telemetry.AsError(err)
	switch {
	case ok && e.Kind == telemetry.KindAccessDenied:
		g.What = e.Msg
		g.Action = "Grant " + iamActions[source] + " to the role fa2 runs as."
	case ok && (e.Kind == telemetry.KindThrottled || e.Kind == telemetry.KindLimit):
		g.What = e.Msg
		g.Action = "AWS limited the calls: retry in a minute, lower investigate.concurrency, or narrow the window."
	case ok && e.Kind == telemetry.KindTimeout, errors.Is(err, context.DeadlineExceeded):
		g.Action = "Raise investigate.source_timeout, or narrow the window."
	case ok && e.Kind == telemetry.KindUnsupported:
		g.What = e.Msg
		g.Action = settings[source]
	case ok && e.Kind == telemetry.KindNotFound:
		g.What = e.Msg
		g.Action = e.Hint
		if g.Action == "" {
			g.Action = settings[source]
		}
	case ok && e.Hint != "":
		g.What = e.Msg
		g.Action = e.Hint
	default:
		g.Action = "Check fa2's log (stderr) and the AWS service health, then retry."
	}
	return g
}

// noDataGap names a source that answered with nothing for the window or
// its baseline: not a failure, but a hole in the evidence all the same.
func noDataGap(source string) Gap {
	return Gap{Source: source, What: "no " + sourceNoun(source) + " in the window or its baseline.", Action: settings[source]}
}
