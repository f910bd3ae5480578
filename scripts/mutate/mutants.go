package main

// mutant is one small bug: from, which must occur exactly once in file,
// becomes to; pkgs are the packages whose tests should notice.
type mutant struct {
	name, why string
	file      string
	from, to  string
	pkgs      []string
}

var (
	awslive  = []string{"./collectors/awslive/..."}
	evidence = []string{"./evidence/", "./collectors/...", "./tools/"}
	toolsPkg = []string{"./tools/"}
	windows  = []string{"./telemetry/", "./evidence/", "./collectors/...", "./tools/"}
)

// mutants lists bugs in code whose mistakes reach an on-call engineer as a
// wrong answer: severities, windows, percentiles, filters and escaping,
// bounds, ranking, error kinds and AWS request shapes.
var mutants = []mutant{
	// Severity.
	{"severity/exception-is-error", "an exception without a level no longer counts as ERROR",
		"evidence/severity.go", `if strings.Contains(msg, "Exception") ||`, `if false && strings.Contains(msg, "Exception") ||`, evidence},
	{"severity/guardduty-7-is-high", "a GuardDuty score of 7.0 labelled MEDIUM",
		"evidence/findings.go", "case score >= 7:", "case score > 7:", evidence},
	{"severity/findings-order", "findings sorted least severe first",
		"evidence/findings.go", "if a != b {\n\t\t\treturn a > b\n\t\t}\n\t\treturn fs[i].LastSeen", "if a != b {\n\t\t\treturn a < b\n\t\t}\n\t\treturn fs[i].LastSeen", evidence},
	{"severity/histogram-exception-field", "histogram ignores the exception marker",
		"collectors/awslive/logs.go", "histogramSeverity(f[histogramLevelField], f[histogramExcField])", `histogramSeverity(f[histogramLevelField], "")`, awslive},

	// Windows.
	{"window/contains-end", "Window.Contains excludes its end",
		"telemetry/telemetry.go", "!t.After(w.End)", "t.Before(w.End)", windows},
	{"window/contains-start", "Window.Contains excludes its start",
		"telemetry/telemetry.go", "!t.Before(w.Start)", "t.After(w.Start)", windows},
	{"window/max-window-inclusive", "a window of exactly max_window rejected",
		"tools/timerange.go", "end.Sub(start) > max", "end.Sub(start) >= max", toolsPkg},
	{"window/athena-partition-end", "Athena partition upper bound from the start day",
		"collectors/awslive/athena.go", `sqlString(w.End.UTC().Format("2006/01/02"))`, `sqlString(w.Start.UTC().Format("2006/01/02"))`, awslive},
	{"window/insights-end-rounding", "StartQuery end time rounded down, losing the last second",
		"collectors/awslive/logs_insights.go", "if t.Nanosecond() > 0 {\n\t\ts++", "if t.Nanosecond() > 0 {\n\t\ts += 0", awslive},
	{"window/cloudtrail-90-days", "CloudTrail's 90-day limit taken as 120 days",
		"collectors/awslive/cloudtrail.go", "lookupRetention = 90 * 24 * time.Hour", "lookupRetention = 120 * 24 * time.Hour", awslive},
	{"window/listmetrics-two-weeks", "ListMetrics' memory taken as 16 days",
		"collectors/awslive/metrics.go", "listMetricsMemory = 14 * 24 * time.Hour", "listMetricsMemory = 16 * 24 * time.Hour", awslive},

	// Percentiles.
	{"percentile/nearest-rank", "nearest rank rounded instead of ceiled",
		"evidence/accesslogs.go", "i := int(math.Ceil(p*float64(len(v)))) - 1", "i := int(math.Round(p*float64(len(v)))) - 1", evidence},

	// Filters and escaping.
	{"escape/backslash", "a backslash in a filter no longer escaped",
		"collectors/awslive/logs_querytext.go", `if r == '\\' || r == '"' {`, `if r == '"' {`, awslive},
	{"escape/regex-slash", "a / inside a /regex/ filter ends the literal",
		"collectors/awslive/logs_querytext.go", "b.WriteString(`\\/`)", `b.WriteString("/")`, awslive},

	// Bounding.
	{"bound/insights-row-cap", "a result that fills 10,000 rows not flagged as cut",
		"collectors/awslive/logs_insights.go", "if len(b.rows) >= maxInsightsRows {", "if len(b.rows) > maxInsightsRows {", awslive},
	{"bound/batch-of-50", "51 log groups sent to one StartQuery",
		"collectors/awslive/logs_insights.go", "for len(groups) > n {", "for len(groups) > n+1 {", awslive},
	{"bound/histogram-shrink", "histogram shrinking drops a neighbour bin's total",
		"tools/query_logs.go", "b.Total += nb.Total", "b.Total += 0", toolsPkg},

	// Ranking.
	{"rank/candidate-order", "metric candidates ranked lowest score first",
		"evidence/metricselect.go", "return si > sj", "return si < sj", evidence},
	{"rank/change-score", "the change against baseline no longer counts",
		"evidence/metricselect.go", "change = math.Min(c.Summary.Score, 10)", "change = math.Min(c.Summary.Score, 0)", evidence},

	// Error kinds and AWS request shapes.
	{"errors/securityhub-limit-is-throttling", "Security Hub's LimitExceededException read as the query quota",
		"collectors/awslive/errors.go", "case \"LimitExceededException\":\n\t\treturn classThrottled", "case \"LimitExceededException\":\n\t\treturn classQueryQuota", awslive},
	{"errors/cloudtrail-switch", "CloudTrail's declared errors fall to the default",
		"collectors/awslive/errors.go", "case \"cloudtrail\":\n\t\treturn cloudtrailErrorClass(code)", "case \"cloudtrail\":\n\t\treturn classUnknown", awslive},
	{"aws/log-alarms", "DescribeAlarms no longer asks for log alarms",
		"collectors/awslive/alarms.go", "cwtypes.AlarmTypeCompositeAlarm, cwtypes.AlarmTypeLogAlarm}", "cwtypes.AlarmTypeCompositeAlarm}", awslive},
	{"aws/arn-identifiers", "log group ARNs sent as logGroupNames",
		"collectors/awslive/logs_insights.go", "if hasARN(groups) {", "if false && hasARN(groups) {", awslive},
	{"aws/transaction-search", "Transaction Search never detected",
		"collectors/awslive/traces_spans.go", "out.Status == xtypes.TraceSegmentDestinationStatusActive:", "out.Status == xtypes.TraceSegmentDestinationStatusActive && false:", awslive},
	{"aws/own-request-body", "the transport shares the SDK's request body again",
		"collectors/awslive/internal/ownbody/ownbody.go", "\treturn c.Next.Do(clone)\n", "\t_ = clone\n\treturn c.Next.Do(req)\n", []string{"./collectors/awslive/internal/ownbody/"}},

	// Front door.
	{"http/token-required", "an empty Authorization header lets requests through",
		"cmd/fa2/serve.go", "if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {", "if ok && subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {", []string{"./cmd/fa2/"}},
}
