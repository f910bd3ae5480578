package evidence

import (
	"regexp"
	"strconv"
	"strings"
)

// Severity levels, most severe first. Their order drives ranking.
const (
	SevFatal = "FATAL"
	SevError = "ERROR"
	SevWarn  = "WARN"
	SevInfo  = "INFO"
	SevDebug = "DEBUG"
)

// SeverityRank orders severities: higher is more severe; unknown is 0.
func SeverityRank(sev string) int {
	switch sev {
	case SevFatal:
		return 5
	case SevError:
		return 4
	case SevWarn:
		return 3
	case SevInfo:
		return 2
	case SevDebug:
		return 1
	}
	return 0
}

// severityWords maps the spellings found in real logs to a level. Matched as
// whole words, case-sensitively for short forms ("E", "W" are too ambiguous and
// left out) and case-insensitively for long ones.
var severityWords = map[string]string{
	"fatal": SevFatal, "critical": SevFatal, "crit": SevFatal, "panic": SevFatal, "emerg": SevFatal, "alert": SevFatal,
	"error": SevError, "err": SevError, "severe": SevError,
	"warn": SevWarn, "warning": SevWarn,
	"info": SevInfo, "notice": SevInfo,
	"debug": SevDebug, "trace": SevDebug, "fine": SevDebug,
}

// Severity guesses the level of a log message from the first level-like word
// among its first six words (level fields come early; later words are
// prose), as in "2026-11-20 ERROR ...", "[warn]", "level=error",
// "\"level\":\"error\"", or the Lambda runtimes' "<time>\t<request id>\tERROR\t..."
// and "<time> <request id> INFO  Handler - ...". Words are counted in
// white-space separated fields without digits: the letters of timestamps,
// request ids and JSON members are looked at but not counted, so a level
// after them is still found. Messages that name no level but carry an
// exception, a stack frame or a runtime failure (a Lambda timeout) count
// as errors, and so does an access line with a 5xx or 429 status — but
// only when the line states no level: a JSON record's top-level "level"
// (a word, or pino's and bunyan's numbers 10-60) and a level= anywhere
// in the line are the line's own statement and win. It returns "" when
// nothing says.
func Severity(msg string) string {
	// A level the line states is the level: a JSON record's own "level"
	// member (pino's numbers included) before any word of its message,
	// and any stated level before a guess from a status code.
	if sev, ok := jsonLevel(msg); ok {
		return sev
	}
	head := msg
	if len(head) > 200 {
		head = head[:200]
	}
	words := 0
	for i := 0; i < len(head) && words < 6; {
		for i < len(head) && isSpace(head[i]) {
			i++
		}
		j := i
		digits := false
		for j < len(head) && !isSpace(head[j]) {
			if head[j] >= '0' && head[j] <= '9' {
				digits = true
			}
			j++
		}
		// letter runs of the field
		for k := i; k < j; {
			for k < j && !isASCIILetter(head[k]) {
				k++
			}
			st := k
			for k < j && isASCIILetter(head[k]) {
				k++
			}
			if k == st {
				continue
			}
			if !digits {
				words++
			}
			if w := head[st:k]; len(w) >= 3 && len(w) <= 8 {
				if sev, ok := severityWords[strings.ToLower(w)]; ok {
					return sev
				}
			}
		}
		i = j
	}
	if sev := keyLevel(msg); sev != "" {
		return sev
	}
	for _, p := range failurePhrases {
		if strings.Contains(msg, p) {
			return SevError
		}
	}
	// An access log line has no level but a status: a 5xx, or a 429
	// (the caller was throttled), is a request that failed.
	if code := HTTPStatus(msg); code >= 500 || code == 429 {
		return SevError
	}
	if strings.Contains(msg, "Exception") || strings.HasPrefix(strings.TrimSpace(msg), "at ") ||
		strings.Contains(msg, "Traceback (most recent call last)") {
		return SevError
	}
	return ""
}

// keyLevel finds a level stated as key=value anywhere in the line
// ("... msg=\"a long message\" level=warn"): past the first six words the
// word scan stops, and a late level= is still the line's own statement.
func keyLevel(msg string) string {
	if len(msg) > 2048 {
		msg = msg[:2048]
	}
	for _, key := range []string{"level=", "lvl=", "severity="} {
		for off := 0; ; {
			i := strings.Index(msg[off:], key)
			if i < 0 {
				break
			}
			i += off
			off = i + len(key)
			if i > 0 && !isSpace(msg[i-1]) {
				continue // "loglevel=", "x.level="
			}
			v := msg[off:]
			v = strings.TrimPrefix(v, `"`)
			j := 0
			for j < len(v) && isASCIILetter(v[j]) {
				j++
			}
			if sev, ok := severityWords[strings.ToLower(v[:j])]; ok {
				return sev
			}
		}
	}
	return ""
}

// failurePhrases are what runtimes write, without a level, when an
// invocation fails: Lambda's timeout and crash lines and its JSON-format
// platform.report with a failed status.
var failurePhrases = []string{
	"Task timed out after",
	"Runtime exited with error",
	"Runtime.ExitError",
	"Process exited before completing request",
	`"status":"timeout"`,
	`"status":"error"`,
	`"status":"failure"`,
}

// statusField finds an HTTP status in an access log line: a JSON member
// ("status":"503", "statusCode":429, CloudFront's "sc-status":"502"), a key=value pair (status=503) or
// the field after the quoted request of the common log format
// ("GET / HTTP/1.1" 503).
var statusField = regexp.MustCompile(`(?i)(?:"(?:status|statusCode|status_code|httpStatus|http_status|elb_status_code|responseStatus|sc-status|sc_status|http\.response\.status_code)"\s*:\s*"?|\b(?:status|status_code|http_status)=|HTTP/[0-9.]+" )([1-5][0-9]{2})\b`)

// HTTPStatus is the HTTP status an access log line records, 0 if none.
func HTTPStatus(msg string) int {
	if len(msg) > 2048 {
		msg = msg[:2048]
	}
	m := statusField.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
