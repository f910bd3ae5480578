// Package evidence reduces raw telemetry (the types of package telemetry)
// to compact, ranked evidence. It is pure: no I/O, no clock, no AWS types,
// so the sources (collectors/…), the tools and the investigation engine
// all call the same reductions and get the same answers.
//
// What it holds, by kind of telemetry:
//
//   - Logs: severities (severity.go), substring and /regex/ filters
//     (filter.go), templates mined with logmine (patterns.go), histograms
//     (histogram.go) and message condensing (condense.go).
//   - Traces: X-Ray segment documents parsed (segments.go), traces
//     summarised, failures grouped, the slowest picked (traces.go), call
//     trees and service graphs (tracetree.go); xrayfilter evaluates X-Ray
//     filter expressions.
//   - Metrics: statistics checked (statistic.go), periods chosen, series
//     summarised with departures (metricstats.go), a series split at the
//     window into window and baseline, counts zero-filled, candidates
//     summarised against their baseline (baseline.go), and which metrics
//     matter to a question ranked by words, alarms and departures
//     (metricselect.go, baseline.go).
//   - Alarms: reason data and history parsed, the incident window
//     suggested (alarms.go), metric-math alarms described
//     (alarmmetrics.go), alarms counted, ordered by urgency and their
//     history read per alarm (alarmlist.go).
//   - CloudTrail: records parsed, parameters flattened, events summarised
//     and recent changes picked (cloudtrail.go).
//   - ALB access logs: rows matched and aggregated (accesslogs.go); alblog
//     parses the log format.
//   - Findings: Security Hub (ASFF) and GuardDuty findings in one shape,
//     severities ranked and summarised (findings.go).
//
// A tool handler validates its input, calls its source, calls evidence,
// and shapes the output; reduction logic written in a handler belongs here.
package evidence
