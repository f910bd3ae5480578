package evidence

import (
	"strings"
	"testing"
)

func TestCondenseKeepsTheCause(t *testing.T) {
	trace := "ERROR request failed\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed\n\tat a.b(C.java:1)\n\tat d.e(F.java:2)\nCaused by: org.postgresql.util.PSQLException: FATAL: password authentication failed\n\tat g.h(I.java:3)\n"
	got := Condense(trace, 500)
	want := "ERROR request failed | Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed (+4 lines)"
	if got != want {
		t.Errorf("Condense = %q\nwant       %q", got, want)
	}
	short := Condense(strings.Repeat("a", 300)+"\nCaused by: the real reason", 80)
	if !strings.HasSuffix(short, "Caused by: the real reason") || len(short) > 80 {
		t.Errorf("tight budget lost the cause or overflowed: %q (%d)", short, len(short))
	}
	if got := Condense("héllo wörld", 5); got != "h…" {
		t.Errorf("cut inside a rune: %q", got)
	}
	if got := Condense("one line", 100); got != "one line" {
		t.Errorf("changed a short line: %q", got)
	}
}

func TestRootCause(t *testing.T) {
	msg := "E top\nCaused by: a.B: first\n\tat x\nCaused by: c.D: innermost\n\tat y"
	if got := RootCause(msg); got != "Caused by: c.D: innermost" {
		t.Errorf("RootCause = %q", got)
	}
	if got := RootCause("plain line"); got != "" {
		t.Errorf("RootCause of a plain line = %q", got)
	}
}

func TestFinalLine(t *testing.T) {
	py := "job 7 failed\nTraceback (most recent call last):\n  File \"/app/jobs.py\", line 142, in run\n    data_key = unwrap(k)\nbotocore.errorfactory.DisabledException: An error occurred (DisabledException) when calling the Decrypt operation: key is disabled.\n"
	if got := FinalLine(py); !strings.HasPrefix(got, "botocore.errorfactory.DisabledException") {
		t.Errorf("FinalLine(python traceback) = %q", got)
	}
	java := "request failed\njava.lang.IllegalStateException: boom\n\tat com.acme.X.y(X.java:42)\n\tat com.acme.Z.z(Z.java:7)"
	if got := FinalLine(java); got != "" {
		t.Errorf("FinalLine(java stack) = %q, want none: it ends in a frame", got)
	}
	if got := FinalLine("payload {\n  \"id\": 7\n}"); got != "" {
		t.Errorf("FinalLine(pretty JSON) = %q, want none", got)
	}
	if got := FinalLine("one line only"); got != "" {
		t.Errorf("FinalLine(one line) = %q", got)
	}
}
