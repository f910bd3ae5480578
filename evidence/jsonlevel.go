package evidence

import "strings"

// jsonLevel reads the level a JSON object line states in its top-level
// "level" member (or levelname, severity, log.level, lvl, loglevel): a level word ("level":"warn"), or the number pino and
// bunyan write (10 trace, 20 debug, 30 info, 40 warn, 50 error,
// 60 fatal). A number is read only when it is one of those six and the
// object also has a member a log record has ("msg", "message" or
// "time"): a "level" of 3 or 75, or one nested in another member (a
// game's or a battery's), is not a severity. It reports whether the line
// states a level. Members past the first 4 KiB are not looked at.
func jsonLevel(msg string) (string, bool) {
	s := strings.TrimLeft(msg, " \t")
	if len(s) < 2 || s[0] != '{' {
		return "", false
	}
	if len(s) > 4096 {
		s = s[:4096]
	}
	var sev string
	num, record := false, false
	depth := 0
	key := true // the next string at depth 1 is a key
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '{', '[':
			depth++
			if depth == 1 {
				key = true
			}
		case '}', ']':
			depth--
			if depth <= 0 {
				i = len(s)
			}
		case ',':
			if depth == 1 {
				key = true
			}
		case '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				i = len(s)
				break
			}
			str := s[i+1 : j]
			i = j
			if depth != 1 || !key {
				break
			}
			key = false
			switch str {
			case "msg", "message", "time":
				record = true
			case "level", "levelname", "severity", "log.level", "lvl", "loglevel", "log_level", "severity_text", "levelName":
				// pino, zap and logrus write level; python-json-logger
				// levelname; structlog and GCP-style loggers severity;
				// ECS-format loggers log.level.
				v, n := memberValue(s, j+1)
				if lv, ok := severityWords[strings.ToLower(strings.Trim(v, `"`))]; ok && v != "" && v[0] == '"' {
					return lv, true
				}
				if lv, ok := pinoLevels[v]; ok {
					sev, num = lv, true
				}
				i = n - 1
			}
			if num && record {
				return sev, true
			}
		}
	}
	if num && record {
		return sev, true
	}
	return "", false
}

// pinoLevels are pino's and bunyan's numeric levels.
var pinoLevels = map[string]string{"10": SevDebug, "20": SevDebug, "30": SevInfo, "40": SevWarn, "50": SevError, "60": SevFatal}

// memberValue returns the scalar value after the colon that follows a
// key ending at i (a quoted string with its quotes, a number or a word;
// "" for an object or array) and the index just past it.
func memberValue(s string, i int) (string, int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || s[i] != ':' {
		return "", i
	}
	i++
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	st := i
	if i < len(s) && s[i] == '"' {
		i++
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			return "", len(s)
		}
		return s[st : i+1], i + 1
	}
	for i < len(s) && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '{' && s[i] != '[' {
		i++
	}
	return s[st:i], i
}
