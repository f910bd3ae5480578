package config

import "regexp"

// Snapshot configures `fa2 snapshot` (capture caps, redaction).
type Snapshot struct {
	MaxLogEvents     int      `yaml:"max_log_events" doc:"newest log events kept per log group"`
	MaxLogGroups     int      `yaml:"max_log_groups" doc:"log groups captured when logs.groups is empty or uses prefixes"`
	MaxTraces        int      `yaml:"max_traces" doc:"X-Ray traces captured"`
	MaxMetrics       int      `yaml:"max_metrics" doc:"metrics captured (each at 1-minute resolution)"`
	MaxCloudTrail    int      `yaml:"max_cloudtrail_events" doc:"CloudTrail events captured"`
	MaxAccessLogRows int      `yaml:"max_access_log_rows" doc:"ALB access log entries captured"`
	MaxFindings      int      `yaml:"max_findings" doc:"Security Hub and GuardDuty findings captured"`
	Namespaces       []string `yaml:"namespaces" doc:"metric namespaces captured (empty: all)"`
	// RedactPatterns are masked by --redact on top of IP and e-mail
	// addresses and access key ids: customer ids, internal host names.
	RedactPatterns []string `yaml:"redact_patterns" doc:"extra regular expressions whose matches --redact masks"`
}

func defaultSnapshot() Snapshot {
	return Snapshot{MaxLogEvents: 50000, MaxLogGroups: 50, MaxTraces: 5000, MaxMetrics: 300,
		MaxCloudTrail: 10000, MaxAccessLogRows: 100000, MaxFindings: 500}
}

// validate reports bad values through bad, naming the key.
func (s *Snapshot) validate(bad func(key, format string, args ...any)) {
	for _, f := range []struct {
		key string
		v   int
	}{{"max_log_events", s.MaxLogEvents}, {"max_log_groups", s.MaxLogGroups}, {"max_traces", s.MaxTraces},
		{"max_metrics", s.MaxMetrics}, {"max_cloudtrail_events", s.MaxCloudTrail}, {"max_access_log_rows", s.MaxAccessLogRows}, {"max_findings", s.MaxFindings}} {
		if f.v < 1 {
			bad("snapshot."+f.key, "must be at least 1, not %d", f.v)
		}
	}
	for _, p := range s.RedactPatterns {
		if err := compileCheck(p); err != nil {
			bad("snapshot.redact_patterns", "%q is not a valid regular expression: %v", p, err)
		}
	}
}

// compileCheck compiles a regular expression to validate it.
func compileCheck(p string) error {
	_, err := regexp.Compile(p)
	return err
}
