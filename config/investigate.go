package config

import "time"

// Investigate configures the investigation engine (gathering, baseline, the evidence bundle).
type Investigate struct {
	// Concurrency bounds the sources read at once: live AWS quotas (Logs
	// Insights, LookupEvents) are shared with everyone else in the account.
	Concurrency int `yaml:"concurrency" doc:"sources the investigation reads at once (1-16)"`
	// SourceTimeout is how long one source may take before it becomes a gap.
	SourceTimeout Duration `yaml:"source_timeout" doc:"deadline for reading one source during an investigation"`
	// Budget is the default size of the evidence bundle.
	Budget int `yaml:"budget" doc:"default size of the evidence bundle, in estimated tokens (1000-100000)"`
}

func defaultInvestigate() Investigate {
	return Investigate{Concurrency: 4, SourceTimeout: Duration(90 * time.Second), Budget: 8000}
}

// validate reports bad values through bad, naming the key.
func (s *Investigate) validate(bad func(key, format string, args ...any)) {
	if s.Concurrency < 1 || s.Concurrency > 16 {
		bad("investigate.concurrency", "%d is out of range; use 1 to 16", s.Concurrency)
	}
	if time.Duration(s.SourceTimeout) < time.Second {
		bad("investigate.source_timeout", "%s is too short; use at least 1s", s.SourceTimeout)
	}
	if s.Budget < 1000 || s.Budget > 100000 {
		bad("investigate.budget", "%d is out of range; use 1000 to 100000", s.Budget)
	}
}
