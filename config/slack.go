package config

// Slack configures the Slack bridge (`fa2 slack`).
type Slack struct {
	BotToken      string `yaml:"bot_token" secret:"true" doc:"bot token (xoxb-...)"`
	AppToken      string `yaml:"app_token" secret:"true" doc:"app-level token for Socket Mode (xapp-...)"`
	SigningSecret string `yaml:"signing_secret" secret:"true" doc:"signing secret for HTTP events"`
	Channel       string `yaml:"channel" doc:"channel id where alarms arrive"`
}

func defaultSlack() Slack { return Slack{} }

// validate reports bad values through bad, naming the key.
func (s *Slack) validate(bad func(key, format string, args ...any)) {}
