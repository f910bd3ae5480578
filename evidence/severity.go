package evidence

import "strings"

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
// among its first six words (level fields come early; later words are prose), as in "2026-11-20 ERROR ...", "[warn]", "level=error"
// or "\"level\":\"error\"". Messages that name no level but carry an exception
// or a stack frame count as errors. It returns "" when nothing says.
func Severity(msg string) string {
	head := msg
	if len(head) > 200 {
		head = head[:200]
	}
	start, words := -1, 0
	for i := 0; i <= len(head) && words < 6; i++ {
		isLetter := i < len(head) && isASCIILetter(head[i])
		if isLetter && start < 0 {
			start = i
			continue
		}
		if !isLetter && start >= 0 {
			word := head[start:i]
			start = -1
			words++
			if len(word) < 3 || len(word) > 8 {
				continue
			}
			if sev, ok := severityWords[strings.ToLower(word)]; ok {
				return sev
			}
		}
	}
	if strings.Contains(msg, "Exception") || strings.HasPrefix(strings.TrimSpace(msg), "at ") ||
		strings.Contains(msg, "Traceback (most recent call last)") {
		return SevError
	}
	return ""
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
