package tools

import (
	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/telemetry"
)

// Annotations are what a tool tells MCP clients about its behaviour, so a
// client can decide what to run without asking the user. Every field is
// sent explicitly: mcp-go's defaults would call a tool destructive.
type Annotations struct {
	ReadOnly    bool // changes nothing anywhere
	Destructive bool // may delete or overwrite (never true in fa2)
	Idempotent  bool // the same call twice has no further effect
	OpenWorld   bool // reaches outside systems (AWS, a model)
}

// ReadsTelemetry is how every telemetry reader behaves: it reads AWS (or a
// snapshot), changes nothing, and can be repeated freely. New gives it to
// every tool; a tool that differs (one that spends model money, say)
// declares its own with WithAnnotations.
var ReadsTelemetry = Annotations{ReadOnly: true, Idempotent: true, OpenWorld: true}

// Source names a kind of telemetry a tool needs.
type Source string

// The sources of collectors.Sources.
const (
	SourceLogs       Source = "logs"
	SourceTraces     Source = "traces"
	SourceMetrics    Source = "metrics"
	SourceAlarms     Source = "alarms"
	SourceCloudTrail Source = "cloudtrail"
	SourceAccessLogs Source = "access_logs"
	SourceFindings   Source = "findings"
)

// sourceInfo says how to tell whether a backend offers a source, and what
// a user does when it does not.
var sourceInfo = map[Source]struct {
	present func(collectors.Sources) bool
	what    string
	hint    string
}{
	SourceLogs:       {func(s collectors.Sources) bool { return s.Logs != nil }, "CloudWatch Logs", "Use a snapshot with a logs/ folder, or live AWS."},
	SourceTraces:     {func(s collectors.Sources) bool { return s.Traces != nil }, "X-Ray traces", "Use a snapshot with an xray/ folder, or live AWS."},
	SourceMetrics:    {func(s collectors.Sources) bool { return s.Metrics != nil }, "CloudWatch metrics", "Use a snapshot with a metrics/ folder, or live AWS."},
	SourceAlarms:     {func(s collectors.Sources) bool { return s.Alarms != nil }, "CloudWatch alarms", "Use a snapshot with alarms.json, or live AWS."},
	SourceCloudTrail: {func(s collectors.Sources) bool { return s.CloudTrail != nil }, "CloudTrail", "Use a snapshot with a cloudtrail/ folder, or live AWS."},
	SourceAccessLogs: {func(s collectors.Sources) bool { return s.AccessLogs != nil }, "ALB access logs", "Use a snapshot with an alb/ folder, or live AWS with athena.alb_table."},
	SourceFindings:   {func(s collectors.Sources) bool { return s.Findings != nil }, "security findings", "Use a snapshot with securityhub.json or guardduty.json, or live AWS."},
}

// Needs declares the sources the tool cannot work without. The adapter
// answers for a missing one, so handlers need no nil checks.
func (t Tool) Needs(sources ...Source) Tool {
	t.needs = append(append([]Source(nil), t.needs...), sources...)
	return t
}

// WithAnnotations replaces the tool's behaviour hints.
func (t Tool) WithAnnotations(a Annotations) Tool {
	t.Annotations = a
	return t
}

// NeededSources lists what the tool needs, for catalogues and docs.
func (t Tool) NeededSources() []Source { return append([]Source(nil), t.needs...) }

// missingSource returns an error naming the first needed source the
// environment lacks, or nil.
func (t Tool) missingSource(env *Env) error {
	for _, s := range t.needs {
		info := sourceInfo[s]
		if info.present == nil || info.present(env.Sources) {
			continue
		}
		return telemetry.Errorf(telemetry.KindUnsupported, "%s needs %s, and this source (%s) has none.", t.Name, info.what, env.Sources.Name).WithHint(info.hint)
	}
	return nil
}
