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
	if len(lines) == 1 {
		if j, ok := condenseJSON(out, max); ok {
			return j
		}
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

// FinalLine returns the last line of a multi-line message when it states
// what failed — a Python traceback ends with its exception, a Node or Go
// error often with its cause — or "" when the message is one line or ends
// in a stack frame. A template cut from the head loses exactly that line.
func FinalLine(msg string) string {
	lines := strings.Split(strings.TrimRight(msg, "\n \t"), "\n")
	if len(lines) < 2 {
		return ""
	}
	last := strings.TrimSpace(lines[len(lines)-1])
	if stackFrame(last) || letters(last) < 3 {
		return "" // a frame, or a closing "}" of pretty-printed JSON
	}
	return last
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			n++
		}
	}
	return n
}

// stackFrame reports a line that is a frame of a stack trace, not a
// message: "at com.acme.X.y(X.java:42)", `File "app.py", line 3, in run`,
// "... 12 more", a Go "/src/main.go:42 +0x1d" or "goroutine 1 [running]:".
func stackFrame(line string) bool {
	for _, p := range []string{"at ", "File \"", "... ", "…", "goroutine ", "/", "^", "~"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return strings.HasSuffix(line, ")") && strings.Contains(line, ".go:") || strings.Contains(line, "+0x")
}
