package config

import (
	"strings"
	"time"
)

// Events configures alarm events as a trigger (EventBridge through Lambda or SQS).
type Events struct {
	QueueURL string   `yaml:"queue_url" doc:"SQS queue of EventBridge alarm events for long-running hosts (fa2 events); empty: none"`
	Timeout  Duration `yaml:"timeout" doc:"longest one alarm's investigation and analysis may run (Lambda: also bounded by its own timeout, less a margin)"`
	// Margin is kept back from the Lambda deadline to publish what finished.
	Margin Duration `yaml:"margin" doc:"time kept before the Lambda deadline to publish what finished"`
}

func defaultEvents() Events {
	return Events{Timeout: Duration(10 * time.Minute), Margin: Duration(30 * time.Second)}
}

// validate reports bad values through bad, naming the key.
func (s *Events) validate(bad func(key, format string, args ...any)) {
	if s.QueueURL != "" && !strings.HasPrefix(s.QueueURL, "https://") {
		bad("events.queue_url", "%q is not an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)", s.QueueURL)
	}
	if s.Timeout <= 0 {
		bad("events.timeout", "must be positive, e.g. 10m")
	}
	if s.Margin < 0 || time.Duration(s.Margin) > 5*time.Minute {
		bad("events.margin", "%s is out of range 0-5m", time.Duration(s.Margin))
	}
}
