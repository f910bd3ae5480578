package awslive

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// This file writes the Logs Insights query strings fa2 sends. User input only
// ever enters a query through filterClause, which quotes or delimits it, so a
// filter cannot end the string early and smuggle in commands of its own.

// filterClause turns a user's filter into a Logs Insights filter command, or
// "" when there is none. A plain substring becomes a double-quoted string
// literal (backslash and double quote escaped with a backslash); /regex/ and
// /regex/i become a /.../ literal with every unescaped "/" escaped, and the
// i flag written as (?i), the inline form Logs Insights documents.
func filterClause(filter string) (string, error) {
	if filter == "" {
		return "", nil
	}
	for _, r := range filter {
		if unicode.IsControl(r) {
			return "", telemetry.Errorf(telemetry.KindInvalidInput, "the filter %q contains a control character, which cannot be written inside a Logs Insights string.", filter).WithHint(`Remove newlines and tabs from the filter; to match them use a /regex/ such as /a\nb/ or /a\s+b/.`)
		}
	}
	if evidence.IsRegexFilter(filter) {
		expr, fold := evidence.RegexBody(filter)
		if expr == "" {
			return "", telemetry.Errorf(telemetry.KindInvalidInput, "the filter %q is an empty regular expression.", filter).WithHint("Put an expression between the slashes, or pass a plain substring.")
		}
		if fold {
			expr = "(?i)" + expr
		}
		return "filter @message like /" + escapeRegexLiteral(expr) + "/", nil
	}
	return "filter @message like " + quoteString(filter), nil
}

// quoteString writes s as a double-quoted Logs Insights string literal.
func quoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		if r == '\\' || r == '"' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// escapeRegexLiteral prepares a regular expression for /.../ delimiters: a
// bare "/" would end the literal, so it becomes "\/"; escape sequences the
// user wrote (including an already escaped "\/") are kept as they are.
func escapeRegexLiteral(expr string) string {
	var b strings.Builder
	b.Grow(len(expr) + 4)
	for i := 0; i < len(expr); i++ {
		switch ch := expr[i]; {
		case ch == '\\' && i+1 < len(expr):
			b.WriteByte(ch)
			b.WriteByte(expr[i+1])
			i++
		case ch == '\\':
			// A trailing lone backslash would escape the closing slash.
			b.WriteString(`\\`)
		case ch == '/':
			b.WriteString(`\/`)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// pipeline joins non-empty commands with " | ".
func pipeline(commands ...string) string {
	var parts []string
	for _, c := range commands {
		if c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " | ")
}

// eventsQuery returns the newest limit matching events of each batch; fa2
// merges batches and cuts to limit again.
func eventsQuery(filter string, limit int) (string, error) {
	f, err := filterClause(filter)
	if err != nil {
		return "", err
	}
	return pipeline("fields @timestamp, @message, @logStream, @log", f, "sort @timestamp desc", fmt.Sprintf("limit %d", limit)), nil
}

// patternsQuery clusters every matching event of the window server-side with
// the pattern command, so no event is left out the way sampling would.
func patternsQuery(filter string) (string, error) {
	f, err := filterClause(filter)
	if err != nil {
		return "", err
	}
	return pipeline(f, "pattern @message"), nil
}

// Severity classification for histograms. Logs Insights has no case
// expression, so one regex parse captures the first level word (or exception
// marker) of each message into a named group per severity; a group that did
// not take part in the match leaves its field absent, and count(field) counts
// only events that have the field. Each event therefore counts under at most
// one severity, like evidence.Severity, though it looks at the whole message
// rather than its first six words.
var histogramLevels = []struct {
	field, severity, words string
}{
	{"fa2fatal", evidence.SevFatal, "fatal|critical|crit|panic|emerg|alert"},
	{"fa2error", evidence.SevError, "error|err|severe"},
	{"fa2warn", evidence.SevWarn, "warning|warn"},
	{"fa2info", evidence.SevInfo, "info|notice"},
	{"fa2debug", evidence.SevDebug, "debug|trace|fine"},
}

// histogramExceptionField counts messages whose first marker is an exception
// or a Python traceback; evidence.Severity calls those errors too.
const histogramExceptionField = "fa2exc"

// severityParse is the parse command that fills the histogram level fields.
func severityParse() string {
	alts := make([]string, len(histogramLevels))
	for i, l := range histogramLevels {
		alts[i] = fmt.Sprintf("(?<%s>%s)", l.field, l.words)
	}
	// Level words must stand alone ("information" is not "info"); the
	// exception marker is case-sensitive and may end a class name.
	return fmt.Sprintf(`parse @message /(?i)(?:^|[^A-Za-z])(?:%s)(?:[^A-Za-z]|$)|(?<%s>(?-i:Exception|Traceback \(most recent call last\)))/`,
		strings.Join(alts, "|"), histogramExceptionField)
}

// histogramQuery counts matching events per bin: a total and one count per
// severity field.
func histogramQuery(filter string, bin time.Duration) (string, error) {
	f, err := filterClause(filter)
	if err != nil {
		return "", err
	}
	counts := []string{"count(*) as total"}
	for _, l := range histogramLevels {
		counts = append(counts, fmt.Sprintf("count(%s) as %s", l.field, l.field))
	}
	counts = append(counts, fmt.Sprintf("count(%s) as %s", histogramExceptionField, histogramExceptionField))
	stats := fmt.Sprintf("stats %s by bin(%s)", strings.Join(counts, ", "), binPeriod(bin))
	return pipeline(f, severityParse(), stats), nil
}

// wholeSeconds rounds a bin width up to whole seconds, at least one: bin()
// takes no smaller unit, and fa2 lays out the bins with the width it sent.
func wholeSeconds(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return (d + time.Second - 1) / time.Second * time.Second
}

// binPeriod writes a bin width (whole seconds) in the units bin() accepts.
func binPeriod(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	default:
		return fmt.Sprintf("%ds", d/time.Second)
	}
}
