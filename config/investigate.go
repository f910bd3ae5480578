package config

// Investigate configures the investigation engine (gathering, baseline, the evidence bundle).
type Investigate struct {
}

func defaultInvestigate() Investigate { return Investigate{} }

// validate reports bad values through bad, naming the key.
func (s *Investigate) validate(bad func(key, format string, args ...any)) {}
