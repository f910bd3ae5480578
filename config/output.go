package config

// Output configures where results go without a Slack app (SNS, S3).
type Output struct {
}

func defaultOutput() Output { return Output{} }

// validate reports bad values through bad, naming the key.
func (s *Output) validate(bad func(key, format string, args ...any)) {}
