package config

// Snapshot configures `fa2 snapshot` (capture caps, redaction).
type Snapshot struct {
}

func defaultSnapshot() Snapshot { return Snapshot{} }

// validate reports bad values through bad, naming the key.
func (s *Snapshot) validate(bad func(key, format string, args ...any)) {}
