package config

import (
	"net/url"
	"strings"
	"time"
)

// Slack configures the Slack bridge (`fa2 slack`).
type Slack struct {
	BotToken      string `yaml:"bot_token" secret:"true" doc:"bot token (xoxb-...), or aws-secretsmanager:NAME"`
	AppToken      string `yaml:"app_token" secret:"true" doc:"app-level token for Socket Mode (xapp-...), or aws-secretsmanager:NAME"`
	SigningSecret string `yaml:"signing_secret" secret:"true" doc:"signing secret for HTTP events, or aws-secretsmanager:NAME"`
	Channel       string `yaml:"channel" doc:"channel id where alarms arrive; when set, alarm notifications elsewhere are ignored"`
	APIURL        string `yaml:"api_url" doc:"Slack Web API base URL (default Slack's); point it at a proxy or a test server"`
	// OnAlarm is what an alarm notification starts; OnAlarmChannels
	// overrides it per channel as CHANNEL=MODE entries.
	OnAlarm         string   `yaml:"on_alarm" doc:"what an alarm notification starts: form, investigate or ignore"`
	OnAlarmChannels []string `yaml:"on_alarm_channels" doc:"per-channel on_alarm as CHANNEL_ID=form|investigate|ignore"`
	AlarmSources    []string `yaml:"alarm_sources" doc:"app or bot ids whose messages are alarm notifications (AWS Chatbot / Amazon Q Developer: A6L22LZNH)"`
	AllowedChannels []string `yaml:"allowed_channels" doc:"channel ids the bridge works in (empty: every channel it is in)"`
	AllowedUsers    []string `yaml:"allowed_users" doc:"user ids who may start investigations (empty: everyone)"`
	MaxConcurrent   int      `yaml:"max_concurrent" doc:"investigations running at once"`
	QueueSize       int      `yaml:"queue_size" doc:"investigations waiting for a free slot before new ones are refused"`
	RatePerHour     int      `yaml:"rate_per_hour" doc:"investigations a channel may start per hour (0: no limit)"`
	Timeout         Duration `yaml:"timeout" doc:"longest an investigation with its analysis may run"`
}

// ChatbotAppID is the app id AWS Chatbot / Amazon Q Developer in chat
// applications posts alarm notifications with.
const ChatbotAppID = "A6L22LZNH"

func defaultSlack() Slack {
	return Slack{
		OnAlarm:       "form",
		AlarmSources:  []string{ChatbotAppID},
		MaxConcurrent: 2,
		QueueSize:     10,
		RatePerHour:   20,
		Timeout:       Duration(15 * time.Minute),
	}
}

// OnAlarmFor is the on_alarm mode of a channel.
func (s *Slack) OnAlarmFor(channel string) string {
	for _, e := range s.OnAlarmChannels {
		if c, mode, ok := strings.Cut(e, "="); ok && strings.TrimSpace(c) == channel {
			return strings.TrimSpace(mode)
		}
	}
	return s.OnAlarm
}

// validate reports bad values through bad, naming the key.
func (s *Slack) validate(bad func(key, format string, args ...any)) {
	okMode := func(m string) bool { return m == "form" || m == "investigate" || m == "ignore" }
	if !okMode(s.OnAlarm) {
		bad("slack.on_alarm", "%q is not a mode; use form, investigate or ignore", s.OnAlarm)
	}
	for _, e := range s.OnAlarmChannels {
		c, mode, ok := strings.Cut(e, "=")
		if !ok || strings.TrimSpace(c) == "" || !okMode(strings.TrimSpace(mode)) {
			bad("slack.on_alarm_channels", "%q: write CHANNEL_ID=form, =investigate or =ignore", e)
		}
	}
	if s.APIURL != "" {
		if u, err := url.Parse(s.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("slack.api_url", "%q is not an http(s) URL", s.APIURL)
		}
	}
	if s.MaxConcurrent < 1 || s.MaxConcurrent > 50 {
		bad("slack.max_concurrent", "%d is out of range 1-50", s.MaxConcurrent)
	}
	if s.QueueSize < 0 {
		bad("slack.queue_size", "must be 0 or more")
	}
	if s.RatePerHour < 0 {
		bad("slack.rate_per_hour", "must be 0 (no limit) or more")
	}
	if s.Timeout <= 0 {
		bad("slack.timeout", "must be positive, e.g. 15m")
	}
	for _, t := range []struct{ key, v, prefix string }{
		{"slack.bot_token", s.BotToken, "xoxb-"}, {"slack.app_token", s.AppToken, "xapp-"},
	} {
		// The value is never echoed: a token in an error message ends up in logs.
		if t.v != "" && !strings.HasPrefix(t.v, t.prefix) && !strings.HasPrefix(t.v, "aws-secretsmanager:") {
			bad(t.key, "does not look like a %s token; copy it from the app's settings, or use aws-secretsmanager:NAME", t.prefix+"…")
		}
	}
}
