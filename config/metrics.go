package config

// Metrics configures how select_metrics picks metrics.
type Metrics struct {
}

func defaultMetrics() Metrics { return Metrics{} }

// validate reports bad values through bad, naming the key.
func (s *Metrics) validate(bad func(key, format string, args ...any)) {}
