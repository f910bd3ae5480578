package config

// Report configures reports: PDF fonts, charts, the time zone people read.
type Report struct {
}

func defaultReport() Report { return Report{} }

// validate reports bad values through bad, naming the key.
func (s *Report) validate(bad func(key, format string, args ...any)) {}
