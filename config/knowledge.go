package config

// Knowledge configures runbooks and past incidents (search_knowledge).
type Knowledge struct {
}

func defaultKnowledge() Knowledge { return Knowledge{} }

// validate reports bad values through bad, naming the key.
func (s *Knowledge) validate(bad func(key, format string, args ...any)) {}
