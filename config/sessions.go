package config

// Sessions configures where investigation sessions (Slack threads, follow-ups) are kept.
type Sessions struct {
}

func defaultSessions() Sessions { return Sessions{} }

// validate reports bad values through bad, naming the key.
func (s *Sessions) validate(bad func(key, format string, args ...any)) {}
