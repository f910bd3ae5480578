package snapshot

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Reading logs is the longest part of opening a snapshot: a busy service
// writes hundreds of thousands of lines an hour, and encoding/json spends
// most of its time on reflection for a shape that never changes. This file
// decodes the plain FilterLogEvents line,
//
//	{"timestamp":1700000000000,"message":"…","logStreamName":"…","ingestionTime":1700000000500}
//
// by hand. Anything it is not sure about (an unknown or differently cased
// key, a repeated key, null, a fraction, invalid UTF-8, text after the
// object) is left to encoding/json, so results and error messages stay
// exactly those of json.Unmarshal.

// fastLogLine is what the hand decoder took from a line.
type fastLogLine struct {
	timestamp int64
	message   string
	stream    string
}

// logLineKeys are the keys the hand decoder knows; an unknown key that
// matches one of them case-insensitively goes to encoding/json, which
// would fill the field with it.
var logLineKeys = [...]string{"timestamp", "message", "logStreamName", "ingestionTime"}

// decodeLogLine parses b when it is a plain FilterLogEvents event; ok is
// false when encoding/json must decide. intern returns a shared copy of a
// stream name, so the many events of one stream hold one string.
func decodeLogLine(b []byte, intern func([]byte) string) (ev fastLogLine, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return ev, false
	}
	i++
	var seen [len(logLineKeys)]bool
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return ev, false // also `{}`: rare, and json says what is wrong
		}
		ks, ke, esc, okk := scanString(b, i)
		if !okk || esc {
			return ev, false
		}
		key := b[ks:ke]
		i = skipSpace(b, ke+1)
		if i >= len(b) || b[i] != ':' {
			return ev, false
		}
		i = skipSpace(b, i+1)
		k := -1
		for n, name := range logLineKeys {
			if string(key) == name {
				k = n
				break
			}
		}
		if k < 0 {
			// An extra key (FilterLogEvents also returns eventId) is
			// ignored as json would, provided it cannot be one of ours
			// and its value is a plain string.
			for _, name := range logLineKeys {
				if strings.EqualFold(string(key), name) {
					return ev, false
				}
			}
			if i >= len(b) || b[i] != '"' {
				return ev, false
			}
			_, ve, _, okv := scanString(b, i)
			if !okv {
				return ev, false
			}
			i = ve + 1
		} else {
			if seen[k] {
				return ev, false
			}
			seen[k] = true
			switch k {
			case 0, 3:
				n, end, okn := scanInt(b, i)
				if !okn {
					return ev, false
				}
				if k == 0 {
					ev.timestamp = n
				}
				i = end
			case 1, 2:
				if i >= len(b) || b[i] != '"' {
					return ev, false
				}
				vs, ve, esc, okv := scanString(b, i)
				if !okv {
					return ev, false
				}
				if k == 1 {
					if esc {
						// Escapes are common in messages (JSON inside
						// logs): let json unquote just this string.
						if json.Unmarshal(b[i:ve+1], &ev.message) != nil {
							return ev, false
						}
					} else {
						ev.message = string(b[vs:ve])
					}
				} else {
					if esc {
						var s string
						if json.Unmarshal(b[i:ve+1], &s) != nil {
							return ev, false
						}
						ev.stream = intern([]byte(s))
					} else {
						ev.stream = intern(b[vs:ve])
					}
				}
				i = ve + 1
			}
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return ev, false
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] != '}' {
			return ev, false
		}
		i++
		break
	}
	if skipSpace(b, i) != len(b) || !seen[0] {
		return ev, false
	}
	return ev, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString finds the string starting at the quote b[q]: its contents are
// b[start:end] and b[end] is the closing quote. esc reports a backslash
// inside. ok is false for anything json would reject or rewrite: a control
// character, or bytes that are not UTF-8.
func scanString(b []byte, q int) (start, end int, esc, ok bool) {
	start = q + 1
	ascii := true
	for j := start; j < len(b); j++ {
		c := b[j]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(b[start:j]) {
				return start, j, esc, false
			}
			return start, j, esc, true
		case c == '\\':
			esc = true
			j++ // the escaped byte is never the closing quote
		case c < 0x20:
			return start, j, esc, false
		case c >= 0x80:
			ascii = false
		}
	}
	return start, len(b), esc, false
}

// scanInt reads a JSON integer that fits int64 without doubt (at most 18
// digits); fractions, exponents and null are json's to judge.
func scanInt(b []byte, i int) (n int64, end int, ok bool) {
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		n = n*10 + int64(b[i]-'0')
		i++
	}
	digits := i - start
	if digits == 0 || digits > 18 || (digits > 1 && b[start] == '0') {
		return 0, i, false
	}
	if i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, i, false
	}
	if neg {
		n = -n
	}
	return n, i, true
}
