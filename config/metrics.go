package config

// Metrics configures how select_metrics picks metrics.
type Metrics struct {
	// Selector is ranking (deterministic scores) or llm (the fast Bedrock
	// model picks among the best-ranked candidates, falling back to ranking).
	Selector string `yaml:"selector" doc:"how select_metrics picks metrics: ranking or llm (bedrock.fast_model_id)"`
}

func defaultMetrics() Metrics { return Metrics{Selector: "ranking"} }

// validate reports bad values through bad, naming the key.
func (s *Metrics) validate(bad func(key, format string, args ...any)) {
	switch s.Selector {
	case "ranking", "llm":
	default:
		bad("metrics.selector", "%q is not a selector; use ranking or llm", s.Selector)
	}
}
