package evidence

import (
	"fmt"
	"strings"
)

// Condense shortens a log message for a one-line listing while keeping what
// explains it: the first line, and for a stack trace every "Caused by:"
// line — the root cause sits at the bottom of a Java trace, and cutting the
// message at a fixed length would lose exactly that. The result is at most
// about max bytes.
func Condense(msg string, max int) string {
	lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	parts := []string{strings.TrimSpace(lines[0])}
	omitted := 0
	for _, l := range lines[1:] {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "Caused by:") {
			parts = append(parts, t)
		} else if t != "" {
			omitted++
		}
	}
	out := strings.Join(parts, " | ")
	if omitted > 0 {
		out += fmt.Sprintf(" (+%d lines)", omitted)
	}
	if len(out) <= max {
		return out
	}
	// Too long still: keep the head and the last cause, which matter most.
	tail := parts[len(parts)-1]
	if len(parts) == 1 || len(tail) > max/2 {
		return cut(out, max)
	}
	const sep = " | "
	return cut(parts[0], max-len(tail)-len(sep)) + sep + tail
}

// cut shortens s to at most n bytes on a rune boundary, the "…" that marks
// the cut included.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n -= len("…")
	if n < 0 {
		n = 0
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// RootCause returns the last "Caused by:" line of a stack trace, the
// innermost exception, or "" when the message has none.
func RootCause(msg string) string {
	i := strings.LastIndex(msg, "Caused by:")
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(msg[i:], "\n")
	return strings.TrimSpace(line)
}
