package slackbridge

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// Alarm is what an alarm notification says. Fields the message does not
// carry stay empty.
type Alarm struct {
	Name          string    `json:"name"`
	State         string    `json:"state"` // ALARM, OK or INSUFFICIENT_DATA
	PreviousState string    `json:"previous_state,omitempty"`
	Region        string    `json:"region,omitempty"`
	Account       string    `json:"account,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	At            time.Time `json:"at"`
}

// Key names the alarm across channels and notifications.
func (a *Alarm) Key() string { return a.Account + "#" + a.Region + "#" + a.Name }

// Fired reports whether the notification is a transition into ALARM, the
// only thing that starts an investigation. ALARM → ALARM (a reminder) is not.
func (a *Alarm) Fired() bool { return a.State == "ALARM" && a.PreviousState != "ALARM" }

// message is the part of a Slack message event the bridge reads. Blocks and
// attachments stay raw: notification layouts change, so they are walked for
// text rather than decoded into a fixed shape.
type message struct {
	Type        string          `json:"type"`
	Subtype     string          `json:"subtype"`
	Channel     string          `json:"channel"`
	User        string          `json:"user"`
	BotID       string          `json:"bot_id"`
	AppID       string          `json:"app_id"`
	BotProfile  *botProfile     `json:"bot_profile"`
	Text        string          `json:"text"`
	TS          string          `json:"ts"`
	ThreadTS    string          `json:"thread_ts"`
	EventTS     string          `json:"event_ts"`
	Attachments json.RawMessage `json:"attachments"`
	Blocks      json.RawMessage `json:"blocks"`
}

type botProfile struct {
	ID    string `json:"id"`
	AppID string `json:"app_id"`
}

// fromAlarmSource reports whether m was posted by one of the configured
// notification apps or bots.
func (m *message) fromAlarmSource(sources []string) bool {
	if m.BotID == "" && m.AppID == "" && m.BotProfile == nil {
		return false
	}
	ids := []string{m.BotID, m.AppID}
	if m.BotProfile != nil {
		ids = append(ids, m.BotProfile.AppID, m.BotProfile.ID)
	}
	for _, s := range sources {
		for _, id := range ids {
			if id != "" && id == s {
				return true
			}
		}
	}
	return false
}

// messageText flattens the message's text, attachments and blocks into
// lines, with "title: value" for attachment fields, and Slack markup (*, _,
// `, emoji codes kept) stripped.
func (m *message) messageText() string {
	var lines []string
	add := func(s string) {
		s = strings.NewReplacer("*", "", "_", " ", "`", "").Replace(s)
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
	}
	add(m.Text)
	for _, raw := range []json.RawMessage{m.Attachments, m.Blocks} {
		var v any
		if len(raw) > 0 && json.Unmarshal(raw, &v) == nil {
			walkText(v, add)
		}
	}
	return strings.Join(lines, "\n")
}

// walkText calls add for every piece of text in a decoded attachment or
// block tree. An object with a string title and value (an attachment field)
// becomes one "title: value" line; a color becomes "color: …" for the last
// resort state guess.
func walkText(v any, add func(string)) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkText(e, add)
		}
	case map[string]any:
		title, tOK := t["title"].(string)
		value, vOK := t["value"].(string)
		if tOK && vOK {
			add(title + ": " + value)
		}
		for _, k := range []string{"pretext", "author_name", "fallback", "footer"} {
			if s, ok := t[k].(string); ok {
				add(s)
			}
		}
		if !(tOK && vOK) {
			if tOK {
				add(title)
			}
		}
		if c, ok := t["color"].(string); ok {
			add("color: " + c)
		}
		for k, e := range t {
			switch k {
			case "title", "value", "pretext", "author_name", "fallback", "footer", "color":
				continue
			case "text":
				if s, ok := e.(string); ok {
					add(s)
					continue
				}
			}
			walkText(e, add)
		}
	}
}

var (
	reARN     = regexp.MustCompile(`arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:([^\s"'|>,)]+)`)
	reChatbot = regexp.MustCompile(`(?i)CloudWatch Alarm\s*\|\s*([^|\n]+?)\s*\|\s*([^|\n]+?)\s*\|\s*Account:?\s*(\d{12})`)
	// reAlarmBar is the looser "Alarm | NAME | REGION" header some
	// notification layouts use; it counts only when REGION is a region.
	reAlarmBar  = regexp.MustCompile(`(?im)\balarm\s*\|\s*([^|\n]+?)\s*\|\s*([^|\n]+?)\s*(?:\||$)`)
	reSNSSubj   = regexp.MustCompile(`(?i)\b(ALARM|OK|INSUFFICIENT_DATA):\s*"([^"]+)"\s+in\s+([^\n]+)`)
	reName      = regexp.MustCompile(`(?im)^[ \t]*(?:alarm name|name)[ \t]*(?::|\n)[ \t]*(\S[^\n]*?)[ \t]*$|^[ \t]*alarm[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$`)
	reState     = regexp.MustCompile(`(?im)^[ \t]*(?:alarm state|new state|current state|state|status)[ \t]*(?::|\n)[ \t]*(ALARM|OK|INSUFFICIENT_DATA)\b`)
	reFromTo    = regexp.MustCompile(`(?i)\bfrom\s+(OK|ALARM|INSUFFICIENT_DATA)\s+to\s+(OK|ALARM|INSUFFICIENT_DATA)\b`)
	reAccount   = regexp.MustCompile(`(?i)account(?:\s*id)?\s*:?\s*(\d{12})\b`)
	reRegion    = regexp.MustCompile(`\b((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-[a-z]+-\d)\b`)
	reReason    = regexp.MustCompile(`(?im)^[ \t]*(?:reason|state change reason|new state reason)[ \t]*(?::|\n)[ \t]*(\S[^\n]*)$`)
	reThreshold = regexp.MustCompile(`(?i)(Threshold Crossed:[^\n]+)`)
	reAt        = regexp.MustCompile(`(?im)^[ \t]*(?:state changed at|state change time|changed at|timestamp)[ \t]*(?::|\n)[ \t]*(\S[^\n]*)$`)
	reColor     = regexp.MustCompile(`(?im)^color:\s*(danger|good|warning|#?[0-9a-f]{6})\s*$`)
)

// regionNames maps the long names notifications use to region codes.
var regionNames = map[string]string{
	"us east (n. virginia)": "us-east-1", "us east (ohio)": "us-east-2",
	"us west (n. california)": "us-west-1", "us west (oregon)": "us-west-2",
	"asia pacific (tokyo)": "ap-northeast-1", "asia pacific (osaka)": "ap-northeast-3",
	"asia pacific (seoul)": "ap-northeast-2", "asia pacific (singapore)": "ap-southeast-1",
	"asia pacific (sydney)": "ap-southeast-2", "asia pacific (mumbai)": "ap-south-1",
	"europe (ireland)": "eu-west-1", "europe (london)": "eu-west-2", "europe (paris)": "eu-west-3",
	"europe (frankfurt)": "eu-central-1", "europe (stockholm)": "eu-north-1",
	"canada (central)": "ca-central-1", "eu (ireland)": "eu-west-1", "eu (frankfurt)": "eu-central-1", "eu (london)": "eu-west-2", "south america (são paulo)": "sa-east-1",
}

func regionCode(s string) string {
	s = strings.TrimSpace(s)
	if m := reRegion.FindString(s); m != "" {
		return m
	}
	return regionNames[strings.ToLower(s)]
}

// parseAlarm reads an alarm notification. It returns nil when the text
// names no alarm or no state: such a message is not acted on.
func parseAlarm(text string, postedAt time.Time) *Alarm {
	a := &Alarm{At: postedAt}
	if m := reARN.FindStringSubmatch(text); m != nil {
		a.Region, a.Account, a.Name = m[1], m[2], m[3]
	}
	if m := reChatbot.FindStringSubmatch(text); m != nil {
		a.Name = strings.TrimSpace(m[1])
		if r := regionCode(m[2]); r != "" {
			a.Region = r
		}
		a.Account = m[3]
	}
	if a.Name == "" {
		if m := reAlarmBar.FindStringSubmatch(text); m != nil {
			if r := regionCode(m[2]); r != "" {
				a.Name, a.Region = strings.TrimSpace(m[1]), r
			}
		}
	}
	if m := reSNSSubj.FindStringSubmatch(text); m != nil {
		a.State = strings.ToUpper(m[1])
		if a.Name == "" {
			a.Name = m[2]
		}
		if a.Region == "" {
			a.Region = regionCode(m[3])
		}
	}
	if a.Name == "" {
		if m := reName.FindStringSubmatch(text); m != nil {
			a.Name = strings.Trim(m[1]+m[2], `"' `)
		}
	}
	if m := reFromTo.FindStringSubmatch(text); m != nil {
		a.PreviousState, a.State = strings.ToUpper(m[1]), strings.ToUpper(m[2])
	}
	if m := reState.FindStringSubmatch(text); m != nil {
		a.State = strings.ToUpper(m[1])
	}
	if a.State == "" {
		// Last resort: the attachment's colour (danger is Chatbot's ALARM).
		if m := reColor.FindStringSubmatch(text); m != nil {
			switch strings.ToLower(m[1]) {
			case "danger":
				a.State = "ALARM"
			case "good":
				a.State = "OK"
			}
		}
	}
	if a.Account == "" {
		if m := reAccount.FindStringSubmatch(text); m != nil {
			a.Account = m[1]
		}
	}
	if a.Region == "" {
		a.Region = reRegion.FindString(text)
	}
	if m := reReason.FindStringSubmatch(text); m != nil {
		a.Reason = strings.TrimSpace(m[1])
	} else if m := reThreshold.FindStringSubmatch(text); m != nil {
		a.Reason = strings.TrimSpace(m[1])
	}
	if m := reAt.FindStringSubmatch(text); m != nil {
		if t, ok := parseAnyTime(m[1]); ok {
			a.At = t
		}
	}
	if a.Name == "" || a.State == "" {
		return nil
	}
	return a
}

func parseAnyTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05.000-0700", "2006-01-02 15:04:05 MST", "Monday 02 January, 2006 15:04:05 MST"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// tsTime reads a Slack message timestamp ("1764558600.000200").
func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	var s, us int64
	for _, c := range sec {
		if c < '0' || c > '9' {
			return time.Time{}
		}
		s = s*10 + int64(c-'0')
	}
	for i, c := range frac {
		if i >= 6 || c < '0' || c > '9' {
			break
		}
		us = us*10 + int64(c-'0')
	}
	for i := len(frac); i < 6; i++ {
		us *= 10
	}
	return time.Unix(s, us*1000).UTC()
}
