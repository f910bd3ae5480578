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
// expression, and what parse leaves in a field when its group takes no part
// in a match is not documented (absent or ""). So the query only extracts
// text and groups by it — "stats count(*) by bin(5m), field" is the
// documented shape (CWL_QuerySyntax-Stats.html) — and fa2 maps the extracted
// words to severities here, in Go, with evidence.Severity. Whatever AWS puts
// in a field for an event without a level word, the event counts once, as
// OTHER. The only inline flag used is a leading (?i), the form the filter
// documentation shows (CWL_QuerySyntax-Filter.html: /(?i)Exception/).
//
// histogramLevelField holds the first level word of a message, matched
// whole ("information" is not "info"); histogramExcField holds an exception
// or traceback marker, which may end a class name (NullPointerException).
// The alternation stops at the first match, so one of the two is set per
// matching event. Grouping by both keeps the words apart from the markers
// without relying on which value an unset field has.
const (
	histogramLevelField = "fa2level"
	histogramExcField   = "fa2exc"
	// histogramLevelWords are evidence.Severity's level words; longer
	// spellings come first so "error" is not read as "err".
	histogramLevelWords = "critical|fatal|crit|panic|emerg|alert|error|severe|err|warning|warn|info|notice|debug|trace|fine"
)

// severityParse is the parse command that fills the two histogram fields.
func severityParse() string {
	return fmt.Sprintf(`parse @message /(?i)(?:^|[^a-z])(?<%s>%s)(?:[^a-z]|$)|(?<%s>exception|traceback \(most recent call last\))/`,
		histogramLevelField, histogramLevelWords, histogramExcField)
}

// histogramQuery counts matching events per bin and extracted level.
func histogramQuery(filter string, bin time.Duration) (string, error) {
	f, err := filterClause(filter)
	if err != nil {
		return "", err
	}
	stats := fmt.Sprintf("stats count(*) as total by bin(%s), %s, %s", binPeriod(bin), histogramLevelField, histogramExcField)
	return pipeline(f, severityParse(), stats), nil
}

// histogramSeverity maps one row's extracted fields to a severity. The
// regex matched case-insensitively; evidence.Severity decides with its own
// rules (a lower-case "exception" is not an error marker there), and
// anything it cannot place is OTHER.
func histogramSeverity(level, exc string) string {
	for _, text := range []string{level, exc} {
		if sev := evidence.Severity(strings.TrimSpace(text)); sev != "" {
			return sev
		}
	}
	return histogramOther
}

// histogramOther is the bucket for events with no level fa2 recognises.
const histogramOther = "OTHER"

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
