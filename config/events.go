package config

// Events configures alarm events as a trigger (EventBridge through Lambda or SQS).
type Events struct {
}

func defaultEvents() Events { return Events{} }

// validate reports bad values through bad, naming the key.
func (s *Events) validate(bad func(key, format string, args ...any)) {}
