package snapshot

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reading X-Ray files is mostly reading segment documents: JSON held as
// escaped strings inside BatchGetTraces' JSON, where encoding/json's
// byte-by-byte scanner spends most of its time. scanTraces reads the plain
// shape
//
//	{"Traces":[{"Id":"…","Duration":0.5,"Segments":[{"Id":"…","Document":"…"}]}],
//	 "UnprocessedTraceIds":[],"NextToken":null}
//
// by hand, finding quotes with bufio's IndexByte and unescaping the common
// escapes itself. On anything else it gives up with errUnusualTraces and
// the caller reads the file with encoding/json, the reference.

type traceScanner struct {
	r   *bufio.Reader
	buf []byte
}

func scanTraces(r io.Reader, fn func(pos int, rt *rawTrace)) error {
	sc := &traceScanner{r: bufio.NewReaderSize(r, 256*1024)}
	if c, err := sc.next(); err != nil || c != '{' {
		return errUnusualTraces
	}
	seen := false
	for first := true; ; first = false {
		c, err := sc.next()
		if err != nil {
			return errUnusualTraces
		}
		if c == '}' && first {
			break
		}
		key, err := sc.key(c)
		if err != nil {
			return err
		}
		switch {
		case key == "Traces" && !seen:
			seen = true
			if err := sc.traces(fn); err != nil {
				return err
			}
			if c, err = sc.next(); err != nil {
				return errUnusualTraces
			}
		case strings.EqualFold(key, "Traces"):
			return errUnusualTraces
		default:
			if c, err = sc.skipValue(); err != nil {
				return err
			}
		}
		if c == '}' {
			break
		}
		if c != ',' {
			return errUnusualTraces
		}
	}
	// Nothing but white space may follow the document.
	if _, err := sc.next(); err != io.EOF {
		return errUnusualTraces
	}
	return nil
}

// next returns the next byte that is not JSON white space.
func (sc *traceScanner) next() (byte, error) {
	for {
		c, err := sc.r.ReadByte()
		if err != nil {
			return 0, err
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c, nil
		}
	}
}

// key reads an object key (c is its opening quote) and the colon after it.
func (sc *traceScanner) key(c byte) (string, error) {
	if c != '"' {
		return "", errUnusualTraces
	}
	k, err := sc.str()
	if err != nil {
		return "", err
	}
	if c, err := sc.next(); err != nil || c != ':' {
		return "", errUnusualTraces
	}
	return k, nil
}

// str reads a string whose opening quote has been read.
func (sc *traceScanner) str() (string, error) {
	sc.buf = sc.buf[:0]
	for {
		chunk, err := sc.r.ReadSlice('"')
		sc.buf = append(sc.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return "", errUnusualTraces
		}
		// The quote ends the string unless an odd number of backslashes
		// escapes it.
		n := 0
		for i := len(sc.buf) - 2; i >= 0 && sc.buf[i] == '\\'; i-- {
			n++
		}
		if n%2 == 0 {
			break
		}
	}
	return unquote(sc.buf[:len(sc.buf)-1])
}

// unquote turns the inside of a JSON string into its value, as
// encoding/json would; what it does not handle itself (\u escapes) it asks
// encoding/json about, and what json would rewrite (invalid UTF-8) or
// reject (control characters) makes it give up.
func unquote(b []byte) (string, error) {
	ascii := true
	esc := false
	for _, c := range b {
		if c < 0x20 {
			return "", errUnusualTraces
		}
		if c >= 0x80 {
			ascii = false
		}
		if c == '\\' {
			esc = true
		}
	}
	if !ascii && !utf8.Valid(b) {
		return "", errUnusualTraces
	}
	if !esc {
		return string(b), nil
	}
	var out strings.Builder // one allocation: its String does not copy
	out.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out.WriteByte(c)
			continue
		}
		i++
		if i >= len(b) {
			return "", errUnusualTraces
		}
		switch b[i] {
		case '"', '\\', '/':
			out.WriteByte(b[i])
		case 'n':
			out.WriteByte('\n')
		case 't':
			out.WriteByte('\t')
		case 'r':
			out.WriteByte('\r')
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		default:
			// \u (surrogate pairs and all) is encoding/json's to decode.
			quoted := make([]byte, 0, len(b)+2)
			quoted = append(append(append(quoted, '"'), b...), '"')
			var s string
			if json.Unmarshal(quoted, &s) != nil {
				return "", errUnusualTraces
			}
			return s, nil
		}
	}
	return out.String(), nil
}

// number reads a JSON number that starts with c and the byte after it.
func (sc *traceScanner) number(c byte) (float64, byte, error) {
	sc.buf = append(sc.buf[:0], c)
	var err error
	for {
		if c, err = sc.r.ReadByte(); err != nil {
			return 0, 0, errUnusualTraces
		}
		if (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' {
			sc.buf = append(sc.buf, c)
			continue
		}
		break
	}
	if !validNumber(sc.buf) {
		return 0, 0, errUnusualTraces
	}
	f, perr := strconv.ParseFloat(string(sc.buf), 64)
	if perr != nil {
		return 0, 0, errUnusualTraces
	}
	if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
		if c, err = sc.next(); err != nil {
			return 0, 0, errUnusualTraces
		}
	}
	return f, c, nil
}

// validNumber checks JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i - s
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// skipValue skips a value of the kinds BatchGetTraces puts beside the
// fields fa2 reads (null, a boolean, a number, a string or an array of
// strings) and returns the byte after it; other values are json's.
func (sc *traceScanner) skipValue() (byte, error) {
	c, err := sc.next()
	if err != nil {
		return 0, errUnusualTraces
	}
	literal := func(rest string) error {
		b := make([]byte, len(rest))
		if _, err := io.ReadFull(sc.r, b); err != nil || string(b) != rest {
			return errUnusualTraces
		}
		return nil
	}
	switch {
	case c == '"':
		_, err = sc.str()
	case c == 'n':
		err = literal("ull")
	case c == 't':
		err = literal("rue")
	case c == 'f':
		err = literal("alse")
	case c == '-' || (c >= '0' && c <= '9'):
		_, c, err = sc.number(c)
		return c, err
	case c == '[':
		err = sc.strings()
	default:
		return 0, errUnusualTraces
	}
	if err != nil {
		return 0, err
	}
	return sc.next()
}

// strings skips an array of strings whose bracket has been read.
func (sc *traceScanner) strings() error {
	for first := true; ; first = false {
		c, err := sc.next()
		if err != nil {
			return errUnusualTraces
		}
		if c == ']' && first {
			return nil
		}
		if c != '"' {
			return errUnusualTraces
		}
		if _, err := sc.str(); err != nil {
			return err
		}
		if c, err = sc.next(); err != nil {
			return errUnusualTraces
		}
		if c == ']' {
			return nil
		}
		if c != ',' {
			return errUnusualTraces
		}
	}
}

// traces reads the Traces array, calling fn for each trace.
func (sc *traceScanner) traces(fn func(pos int, rt *rawTrace)) error {
	if c, err := sc.next(); err != nil || c != '[' {
		return errUnusualTraces
	}
	for pos := 0; ; pos++ {
		c, err := sc.next()
		if err != nil {
			return errUnusualTraces
		}
		if c == ']' && pos == 0 {
			return nil
		}
		if c != '{' {
			return errUnusualTraces
		}
		var rt rawTrace
		if err := sc.trace(&rt); err != nil {
			return err
		}
		fn(pos, &rt)
		if c, err = sc.next(); err != nil {
			return errUnusualTraces
		}
		if c == ']' {
			return nil
		}
		if c != ',' {
			return errUnusualTraces
		}
	}
}

// trace reads one trace object after its opening brace.
func (sc *traceScanner) trace(rt *rawTrace) error {
	var seen [3]bool
	return sc.object(func(key string) (byte, error) {
		k := -1
		for i, name := range []string{"Id", "Duration", "Segments"} {
			if key == name {
				k = i
			} else if strings.EqualFold(key, name) {
				return 0, errUnusualTraces
			}
		}
		if k < 0 {
			return sc.skipValue() // LimitExceeded, say
		}
		if seen[k] {
			return 0, errUnusualTraces
		}
		seen[k] = true
		c, err := sc.next()
		if err != nil {
			return 0, errUnusualTraces
		}
		switch k {
		case 0:
			if c != '"' {
				return 0, errUnusualTraces
			}
			if rt.ID, err = sc.str(); err != nil {
				return 0, err
			}
		case 1:
			var f float64
			if f, c, err = sc.number(c); err != nil {
				return 0, err
			}
			rt.Duration = f
			return c, nil
		case 2:
			if c != '[' {
				return 0, errUnusualTraces
			}
			if err := sc.segments(rt); err != nil {
				return 0, err
			}
		}
		return sc.next()
	})
}

func (sc *traceScanner) segments(rt *rawTrace) error {
	rt.Segments = []rawSegmentRef{} // [] decodes to an empty slice, not nil
	for first := true; ; first = false {
		c, err := sc.next()
		if err != nil {
			return errUnusualTraces
		}
		if c == ']' && first {
			return nil
		}
		if c != '{' {
			return errUnusualTraces
		}
		var seg rawSegmentRef
		var seen [2]bool
		err = sc.object(func(key string) (byte, error) {
			k := -1
			for i, name := range []string{"Id", "Document"} {
				if key == name {
					k = i
				} else if strings.EqualFold(key, name) {
					return 0, errUnusualTraces
				}
			}
			if k < 0 {
				return sc.skipValue()
			}
			if seen[k] {
				return 0, errUnusualTraces
			}
			seen[k] = true
			if c, err := sc.next(); err != nil || c != '"' {
				return 0, errUnusualTraces
			}
			s, err := sc.str()
			if err != nil {
				return 0, err
			}
			if k == 0 {
				seg.ID = s
			} else {
				seg.Document = s
			}
			return sc.next()
		})
		if err != nil {
			return err
		}
		rt.Segments = append(rt.Segments, seg)
		if c, err = sc.next(); err != nil {
			return errUnusualTraces
		}
		if c == ']' {
			return nil
		}
		if c != ',' {
			return errUnusualTraces
		}
	}
}

// object reads the members of an object whose brace has been read; member
// reads a member's value after its key and returns the byte after it.
func (sc *traceScanner) object(member func(key string) (byte, error)) error {
	for first := true; ; first = false {
		c, err := sc.next()
		if err != nil {
			return errUnusualTraces
		}
		if c == '}' && first {
			return nil
		}
		key, err := sc.key(c)
		if err != nil {
			return err
		}
		if c, err = member(key); err != nil {
			return err
		}
		if c == '}' {
			return nil
		}
		if c != ',' {
			return errUnusualTraces
		}
	}
}
