package logmine

import "strings"

// Token typing. A line is split into whitespace-separated fields; each field
// becomes a "skeleton" in which variable parts are replaced by a marker. The
// marker is the same for every type so that a value which looks like a number
// on one line and like a hex id on the next does not split a template: the
// type is kept only for display.

const (
	tConst uint8 = iota
	tAny         // generic variable: contains a digit, or generalised field
	tNum         // integer or decimal, optionally with a unit (41, -3.5, 512MB, 99%)
	tDur         // number with a time unit (41ms, 3.2s, 10min)
	tHex         // 0x1f, deadbeef01, sha-like ids
	tIP          // IPv4 (optional :port or /cidr) or IPv6
	tUUID        // 8-4-4-4-12 hex
	tTS          // dates, times, timestamps (several formats, also "Sat Jul 9 22:53:22 2005")
	tPath        // /absolute/unix/path
	tURL         // scheme://...
	tARN         // arn:aws:...
	tHost        // host names with a top-level domain (www.example.com, optionally :port)
	tTail        // everything after MaxTokens fields
	nTypes
)

var typeNames = [nTypes]string{"", "<*>", "<num>", "<dur>", "<hex>", "<ip>", "<uuid>", "<ts>", "<path>", "<url>", "<arn>", "<host>", "<...>"}

// maxFieldLen: a field longer than this is data (base64, serialised blobs),
// never a template word, so it becomes one variable.
const maxFieldLen = 256

// character classes
const (
	cSpace = 1 << iota
	cDigit
	cAlpha
	cWord // characters that stay inside a segment: alnum, _ - . and non-ASCII
	cHex
	cOpen  // stripped from the front of a field before whole-field typing
	cClose // stripped from the back
	cKey   // '=' and ':': a field with one may be key=value
)

var cls [256]uint8

func init() {
	for _, c := range " \t\r\n\v\f" {
		cls[c] |= cSpace
	}
	for c := '0'; c <= '9'; c++ {
		cls[c] |= cDigit | cWord | cHex
	}
	for c := 'a'; c <= 'z'; c++ {
		cls[c] |= cAlpha | cWord
		cls[c-'a'+'A'] |= cAlpha | cWord
	}
	for c := 'a'; c <= 'f'; c++ {
		cls[c] |= cHex
		cls[c-'a'+'A'] |= cHex
	}
	for c := 0x80; c < 0x100; c++ {
		cls[c] |= cAlpha | cWord
	}
	cls['_'] |= cWord
	cls['-'] |= cWord
	cls['.'] |= cWord
	for _, c := range "([{<\"'`" {
		cls[c] |= cOpen
	}
	for _, c := range ")]}>\"'`,;:.!?" {
		cls[c] |= cClose
	}
	cls['='] |= cKey
	cls[':'] |= cKey
}

// FNV-1a, inlined by hand in the hot loops.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	varMarker = 0x01 // stands for any variable inside a field hash
	tailMark  = 0x02
)

func hashBytes(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

type vtok struct {
	s, e int32 // byte range of the value in the line
	typ  uint8
}

type ftok struct {
	s, e   int32  // byte range of the field
	cs, ce int32  // core range (field without surrounding brackets/quotes) when whole
	h      uint64 // skeleton hash
	v0, v1 int32  // vars[v0:v1] belong to this field
	whole  bool   // the whole core is one typed variable
	// val: the field is a value and nothing else: it has variables and
	// its constant text is punctuation only ("(1.2 MB)", "*64", "[3,").
	val   bool
	empty bool // an empty bracket or quote pair: "()", "[]", "''"
	glue  bool // follows the previous field without white space (JSON members)
}

type tokenizer struct {
	fields []ftok
	vars   []vtok
	// scratch for the timestamp pass
	f2 []ftok
	v2 []vtok
}

// run tokenises line into t.fields and t.vars. At most maxFields fields are
// produced; the rest of the line becomes one tail variable.
func (t *tokenizer) run(line string, maxFields int) {
	t.fields = t.fields[:0]
	t.vars = t.vars[:0]
	n := len(line)
	i := 0
	months := false
	json := isJSONLine(line)
	inStr := false
	for i < n {
		for i < n && cls[line[i]]&cSpace != 0 {
			i++
		}
		if i >= n {
			break
		}
		if len(t.fields) == maxFields-1 {
			e := n
			for e > i && cls[line[e-1]]&cSpace != 0 {
				e--
			}
			t.vars = append(t.vars, vtok{int32(i), int32(e), tTail})
			t.fields = append(t.fields, ftok{s: int32(i), e: int32(e), cs: int32(i), ce: int32(e),
				h: tailHash, v0: int32(len(t.vars) - 1), v1: int32(len(t.vars)), whole: true})
			break
		}
		j := i
		var acc uint8
		if json {
			j = jsonFieldEnd(line, i, &inStr)
			acc = cKey
		} else {
			for j < n && cls[line[j]]&cSpace == 0 {
				acc |= cls[line[j]]
				j++
			}
			if c := line[j-1]; acc&cKey != 0 && c != '"' && c != '\'' && c != '}' && c != ']' {
				j = groupEnd(line, i, j)
			}
		}
		nf := len(t.fields)
		if t.field(line, i, j, acc&cKey != 0) {
			months = true
		}
		if json && i > 0 && cls[line[i-1]]&cSpace == 0 && len(t.fields) > nf {
			t.fields[len(t.fields)-1].glue = true
		}
		i = j
	}
	if months {
		t.timestamps(line)
	}
	t.fold(line)
}

// isJSONLine: a line that is one JSON object (structured logging, Lambda's
// JSON log format). Such lines are split at the commas between members as
// well as at white space, so that a compact object is not one long field:
// its template keeps the keys and types the values.
func isJSONLine(line string) bool {
	i, j := 0, len(line)
	for i < j && cls[line[i]]&cSpace != 0 {
		i++
	}
	for j > i && cls[line[j-1]]&cSpace != 0 {
		j--
	}
	return j-i >= 2 && line[i] == '{' && line[j-1] == '}'
}

// jsonFieldEnd returns the end of the field that starts at i in a JSON
// line: the next white space or just after a comma, outside strings (a
// string value is one field, however many words it has). in carries
// whether the scan is inside a string from one field to the next.
func jsonFieldEnd(line string, i int, in *bool) int {
	for j := i; j < len(line); j++ {
		c := line[j]
		if cls[c]&cSpace != 0 && !*in {
			return j
		}
		if c == '"' && (j == 0 || line[j-1] != '\\') {
			*in = !*in
		} else if c == ',' && !*in {
			return j + 1
		}
	}
	return len(line)
}

// fold turns every run of adjacent value fields into one wildcard field:
// a list "( 3552 3534 3375 )", "a-1, b-2, c-3", a date written in several
// fields, a program and its "*64". A value is not always one token, and a
// list has as many items as it has. A value in its own brackets after a
// value is an annotation of it and stays apart: "1190 bytes (1.2 KB)" is
// a count and its size, and a message that adds an annotation to a value
// writes another shape of event (Loghub's labels keep "0 bytes sent" and
// "1190 bytes (1.2 KB) sent" apart). An empty pair ("()") joins a run of
// bracketed values. A value field hashes as a wildcard whatever its
// punctuation, so "[<ip>]" and "<ip>" are one shape.
func (t *tokenizer) fold(line string) {
	f := t.fields
	w := 0
	for i := 0; i < len(f); {
		if !f[i].val {
			f[w] = f[i]
			w++
			i++
			continue
		}
		j := i + 1
		var br byte
		if j < len(f) && (f[j].val || f[j].empty) || i > 0 && f[i-1].empty {
			br = enclosed(line, &f[i]) // only when there is a run to make
		}
		for j < len(f) && (f[j].val || f[j].empty) && enclosed(line, &f[j]) == br {
			j++
		}
		if i > 0 && f[i-1].empty && w > 0 && f[w-1].s == f[i-1].s && enclosed(line, &f[i-1]) == br {
			// the run starts with an empty value already written
			w--
			i--
		}
		x := f[i]
		x.h = genHash
		if j > i+1 {
			x.e, x.v1 = f[j-1].e, f[j-1].v1
			x.cs, x.ce = x.s, x.e
			x.whole = false
			x.val = true
		}
		f[w] = x
		w++
		i = j
	}
	t.fields = f[:w]
}

// enclosed returns the opening bracket of a field that is enclosed in one
// pair of brackets ("(1.2 KB)", "[3]," and "()"), else 0.
func enclosed(line string, f *ftok) byte {
	s, e := int(f.s), int(f.e)
	for e > s && (line[e-1] == ',' || line[e-1] == ';' || line[e-1] == ':') {
		e--
	}
	if e-s >= 2 && (line[s] == '(' || line[s] == '[' || line[s] == '{') && line[e-1] == closer(line[s]) {
		return line[s]
	}
	return 0
}

func closer(c byte) byte {
	switch c {
	case '(':
		return ')'
	case '[':
		return ']'
	case '{':
		return '}'
	case '<':
		return '>'
	}
	return c
}

// bare reports whether field f is one variable and nothing else: such a
// field is a wildcard position of its template (its hash is genHash).
func (f *ftok) bare() bool { return f.whole && f.cs == f.s && f.ce == f.e }

// field tokenises line[s:e]; it reports whether the field may be part of a
// multi-field timestamp (month or weekday name).
func (t *tokenizer) field(line string, s, e int, kv bool) bool {
	v0 := int32(len(t.vars))
	if e-s > maxFieldLen {
		t.vars = append(t.vars, vtok{int32(s), int32(e), tAny})
		t.push(line, ftok{s: int32(s), e: int32(e), cs: int32(s), ce: int32(e), v0: v0, v1: v0 + 1, whole: true, val: true})
		return false
	}
	cs, ce := s, e
	for cs < ce && cls[line[cs]]&cOpen != 0 {
		cs++
	}
	for ce > cs && cls[line[ce-1]]&cClose != 0 {
		ce--
	}
	if cs < ce {
		typ, skip := classifyWhole(line[cs:ce])
		if typ != tConst {
			cs += skip
			t.vars = append(t.vars, vtok{int32(cs), int32(ce), typ})
			t.push(line, ftok{s: int32(s), e: int32(e), cs: int32(cs), ce: int32(ce), v0: v0, v1: v0 + 1, whole: true, val: skip == 0})
			return false
		}
		// key=value and "key":value: a value with a digit in it is one
		// value, whatever its punctuation ("NodeList=cn[001-004]",
		// "clientId=consumer-1", "\"id\":\"A-1001\"").
		if !kv {
			// no key=value
		} else if vs, ve, ok := groupedValue(line, s, e); ok {
			// key="a quoted text", key={a group}: one value
			t.vars = append(t.vars, vtok{int32(vs), int32(ve), tAny})
			f := ftok{s: int32(s), e: int32(e), cs: int32(vs), ce: int32(ve), v0: v0, v1: v0 + 1, whole: true}
			f.h = wholeHash(line, &f)
			t.fields = append(t.fields, f)
			return false
		}
		if !kv {
			// no key=value
		} else if k := valueStart(line, cs, ce); k > 0 && (hasDigit(line[k:ce]) || isBool(line[k:ce])) {
			vs, ve := k, ce
			if vs < ve && (line[vs] == '"' || line[vs] == '\'') {
				vs++
			}
			for ve > vs && (line[ve-1] == '"' || line[ve-1] == '\'' ||
				line[ve-1] == '}' && strings.IndexByte(line[vs:ve], '{') < 0 ||
				line[ve-1] == ']' && strings.IndexByte(line[vs:ve], '[') < 0) {
				ve--
			}
			if vs < ve && (hasDigit(line[vs:ve]) || isBool(line[vs:ve])) {
				typ, _ := classifyWhole(line[vs:ve])
				if typ == tConst {
					typ = tAny
				}
				t.vars = append(t.vars, vtok{int32(vs), int32(ve), typ})
				f := ftok{s: int32(s), e: int32(e), cs: int32(vs), ce: int32(ve), v0: v0, v1: v0 + 1, whole: true}
				f.h = wholeHash(line, &f)
				t.fields = append(t.fields, f)
				return false
			}
		}
	}
	// Segment-wise: runs of word characters that contain a digit are
	// variables; everything else is constant text.
	h := uint64(fnvOffset)
	k := s
	words := false // constant text with letters or digits in it
	for k < e {
		c := line[k]
		if cls[c]&cWord == 0 {
			h = (h ^ uint64(c)) * fnvPrime
			k++
			continue
		}
		saved := h
		m := k
		digit := false
		for m < e {
			c := line[m]
			if cls[c]&cWord == 0 {
				// a colon between digits stays inside the run, so that
				// times and ip:port values inside JSON or key=value
				// fields are typed whole
				if !(c == ':' && digit && m+1 < e && cls[line[m+1]]&cDigit != 0) {
					break
				}
			}
			if cls[c]&cDigit != 0 {
				digit = true
			}
			h = (h ^ uint64(c)) * fnvPrime
			m++
		}
		if digit {
			var w bool
			h, w = t.segment(line, k, m, saved)
			words = words || w
		} else if m-k <= 5 && isBool(line[k:m]) {
			t.vars = append(t.vars, vtok{int32(k), int32(m), tAny})
			h = (saved ^ varMarker) * fnvPrime
		} else {
			words = words || !dotsOnly(line[k:m])
		}
		k = m
	}
	v1 := int32(len(t.vars))
	if v1 == v0+1 && t.vars[v0].s == int32(s) && t.vars[v0].e == int32(e) {
		t.push(line, ftok{s: int32(s), e: int32(e), cs: int32(s), ce: int32(e), v0: v0, v1: v1, whole: true, val: true})
		return false
	}
	f := ftok{s: int32(s), e: int32(e), cs: int32(cs), ce: int32(ce), h: h, v0: v0, v1: v1, val: v1 > v0 && !words}
	if v1 == v0 && len(t.fields) > 0 && t.fields[len(t.fields)-1].val && isParenWord(line[s:e]) {
		// "8080 (http)", "<pid> (java)", "<ip> (gateway)": a word in
		// parentheses right after a value annotates that value.
		f.val = true
		f.h = genHash
		t.vars = append(t.vars, vtok{int32(s + 1), int32(ce), tAny})
		f.v1 = v0 + 1
		f.cs, f.ce = int32(s+1), int32(ce)
		t.fields = append(t.fields, f)
		return false
	}
	if v1 == v0 && isEmptyPair(line[s:e]) {
		// "()", "[]", "''": an empty value; it joins a run of values
		// ("<ip> ()" and "<ip> (<host>)") but is no variable alone.
		f.empty = true
	}
	if v1 == v0 && isUnit(line[cs:ce]) && len(t.fields) > 0 {
		// "41 ms", "3.5 KB,", "(1.2 MB)", "<1 sec": the unit joins the
		// number before it.
		p := &t.fields[len(t.fields)-1]
		if p.whole && p.ce == p.e && p.v1 == p.v0+1 && t.vars[p.v0].typ == tNum && cs == s {
			v := &t.vars[p.v0]
			if isTimeUnit(line[cs:ce]) {
				v.typ = tDur
			}
			v.e = int32(ce)
			p.ce, p.e = int32(ce), int32(e)
			p.h = wholeHash(line, p)
			return false
		}
	}
	t.fields = append(t.fields, f)
	return v1 == v0 && isMonthOrDay(line[cs:ce])
}

// wholeHash is the hash of a field that is one variable with constant
// punctuation around it; a bare variable hashes as a wildcard.
func wholeHash(line string, f *ftok) uint64 {
	if f.bare() {
		return genHash
	}
	h := hashBytes(fnvOffset, line[f.s:f.cs])
	h = (h ^ varMarker) * fnvPrime
	return hashBytes(h, line[f.ce:f.e])
}

// push appends a field that is one variable. Adjacent bare variables of
// the same type (numbers aside) fold into one value at once ("delete
// chunk_1 chunk_2" -> "delete <*>", "2015-10-18 18:01:47,978" -> "<ts>");
// fold later makes one wildcard of any run of values.
func (t *tokenizer) push(line string, f ftok) {
	if f.bare() && len(t.fields) > 0 {
		p := &t.fields[len(t.fields)-1]
		if p.bare() && p.v1 == p.v0+1 && t.vars[p.v0].typ != tTail && f.v0 == p.v1 && f.v1 == f.v0+1 {
			v, w := &t.vars[p.v0], t.vars[f.v0]
			if v.typ == w.typ && v.typ != tNum && v.typ != tDur {
				v.e = w.e
				p.e, p.ce = f.e, f.ce
				t.vars = t.vars[:f.v0]
				return
			}
		}
	}
	f.h = wholeHash(line, &f)
	t.fields = append(t.fields, f)
}

// valueStart returns where the value of a key=value or "key":value field
// core starts (0 when it is not one): after the first '=' or after the
// '":' that closes a JSON key. The key must be a word that starts with a
// letter; the value must not hold another key ("0=sup,1=usr" is not one)
// nor open a bracket ("<memory:8192," keeps its words).
func valueStart(line string, cs, ce int) int {
	letter := false
	for k := cs; k < ce; k++ {
		c := line[k]
		switch {
		case c == '=' || c == ':' && k > cs+1 && line[k-1] == '"':
			if !letter || k+1 >= ce {
				return 0
			}
			if c == ':' && line[k+1] == '{' { // a nested object: its first key
				letter = false
				continue
			}
			switch line[k+1] {
			case '<', '[', '{', '(':
				return 0
			}
			if strings.IndexByte(line[k+1:ce], '=') >= 0 {
				return 0
			}
			return k + 1
		case cls[c]&cAlpha != 0 || c == '_' || c == '@' || c == '$':
			letter = true
		case cls[c]&cWord != 0:
			if !letter {
				return 0
			}
		case c == '"' || c == '{':
		default:
			return 0
		}
	}
	return 0
}

// isParenWord: "(word)" with an optional trailing comma or semicolon; the
// word is letters, digits, '_' or '-' (a dotted or spaced text is a label,
// not a value).
func isParenWord(s string) bool {
	for len(s) > 0 && (s[len(s)-1] == ',' || s[len(s)-1] == ';') {
		s = s[:len(s)-1]
	}
	if len(s) < 4 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; cls[c]&cWord == 0 || c == '.' {
			return false
		}
	}
	return true
}

func isEmptyPair(s string) bool {
	for len(s) > 0 && (s[len(s)-1] == ',' || s[len(s)-1] == ';' || s[len(s)-1] == ':') {
		s = s[:len(s)-1]
	}
	switch s {
	case "()", "[]", "{}", `""`, "''", "<>":
		return true
	}
	return false
}

// groupEnd: for a field line[i:j] of the form key="..., key='...,
// key={... or key=[... whose quote or bracket closes in a later field,
// the end of the field where it closes (within maxFieldLen), else j.
// A quoted or bracketed value is one value however many words it has
// (tag="View Lock", ws=WorkSource{10023 com.example}).
func groupEnd(line string, i, j int) int {
	eq := strings.IndexByte(line[i:j], '=')
	if eq <= 0 || i+eq+1 >= j {
		return j
	}
	k := i + eq + 1
	for k < j-1 && cls[line[k]]&cAlpha != 0 { // WorkSource{...}
		k++
	}
	open := line[k]
	var close byte
	switch open {
	case '"', '\'':
		close = open
	case '{':
		close = '}'
	case '[':
		close = ']'
	default:
		return j
	}
	depth := 0
	for m := k; m < len(line) && m < i+maxFieldLen; m++ {
		c := line[m]
		if c == close && (close != open || m > k) {
			if depth <= 1 {
				if m < j {
					return j // closes inside the field
				}
				for m < len(line) && cls[line[m]]&cSpace == 0 {
					m++
				}
				return m
			}
			depth--
		} else if c == open {
			depth++
		}
	}
	return j
}

// groupedValue: line[s:e] is key="..." or key={...} (with trailing
// punctuation); the value's range inside the quotes or brackets. The
// quoted text of a message key (msg="...", message="...") is the
// message, not a value.
func groupedValue(line string, s, e int) (int, int, bool) {
	eq := strings.IndexByte(line[s:e], '=')
	if eq <= 0 || s+eq+2 >= e {
		return 0, 0, false
	}
	key := line[s : s+eq]
	for i := 0; i < len(key); i++ {
		if cls[key[i]]&cWord == 0 {
			return 0, 0, false
		}
	}
	switch strings.ToLower(key) {
	case "msg", "message", "error", "err", "event", "description":
		return 0, 0, false
	}
	k := s + eq + 1
	b := k
	for b < e-1 && cls[line[b]]&cAlpha != 0 {
		b++
	}
	var close byte
	switch line[b] {
	case '"', '\'':
		if b > k {
			return 0, 0, false
		}
		close = line[k]
	case '{':
		close = '}'
	case '[':
		close = ']'
	default:
		return 0, 0, false
	}
	end := e
	for end > k+1 && (line[end-1] == ',' || line[end-1] == ';') {
		end--
	}
	if end-1 <= k || line[end-1] != close {
		return 0, 0, false
	}
	if close == '"' || close == '\'' {
		return k + 1, end - 1, true
	}
	return k, end, true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if cls[s[i]]&cDigit != 0 {
			return true
		}
	}
	return false
}

func dotsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != '-' && s[i] != '_' {
			return false
		}
	}
	return true
}

func isUnit(s string) bool {
	switch s {
	case "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "bytes",
		"Kbps", "Mbps", "Gbps", "kbps", "KB/s", "MB/s", "GB/s",
		"%", "ns", "us", "µs", "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hours":
		return true
	}
	return false
}

func isTimeUnit(s string) bool {
	switch s {
	case "ns", "us", "µs", "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hours":
		return true
	}
	return false
}

// segment handles a word run line[k:m] that contains a digit, from hash
// state h. Runs of two or more dots are padding ("instruction......0") and
// split the run; each piece that contains a digit is one variable, so
// host names and dotted versions stay whole.
func (t *tokenizer) segment(line string, k, m int, h uint64) (uint64, bool) {
	words := false
	p := k
	for p < m {
		q := p
		digit := false
		for q < m && !(line[q] == '.' && q+1 < m && line[q+1] == '.') {
			if cls[line[q]]&cDigit != 0 {
				digit = true
			}
			q++
		}
		if digit {
			typ := classifySeg(line[p:q])
			if typ == tConst {
				typ = tAny
			}
			t.vars = append(t.vars, vtok{int32(p), int32(q), typ})
			h = (h ^ varMarker) * fnvPrime
		} else {
			h = hashBytes(h, line[p:q])
			words = words || !dotsOnly(line[p:q])
		}
		for q < m && line[q] == '.' {
			h = (h ^ '.') * fnvPrime
			q++
		}
		p = q
	}
	return h, words
}

// timestamps joins runs of fields that together form one timestamp
// ("Sat Jul  9 22:53:22 2005", "2015-10-18 18:01:47,978") into one <ts>
// variable, so that weekday and month names do not become template words.
func (t *tokenizer) timestamps(line string) {
	f := t.fields
	// quick check: anything to join?
	found := false
	for i := 0; i+1 < len(f); i++ {
		if tsPart(line, &f[i], t.vars) != 0 && tsPart(line, &f[i+1], t.vars) != 0 {
			found = true
			break
		}
	}
	if !found {
		return
	}
	t.f2 = t.f2[:0]
	t.v2 = t.v2[:0]
	for i := 0; i < len(f); {
		j := i
		word, ts := false, false
		for j < len(f) {
			k := tsPart(line, &f[j], t.vars)
			if k == 0 {
				break
			}
			if k == 3 {
				word = true
			}
			if k == 2 {
				ts = true
			}
			j++
		}
		// [i,j) is a candidate run. With a month/day word, numbers join
		// it; without one only explicit date/time values do.
		end := i
		if j-i >= 2 && word && (ts || hasNum(line, f[i:j], t.vars)) {
			end = j
		} else if j-i >= 2 && ts {
			// join consecutive date/time values only
			end = i
			for end < j && tsPart(line, &f[end], t.vars) == 2 {
				end++
			}
			if end-i < 2 {
				end = i
			}
		}
		if end > i {
			a, b := f[i], f[end-1]
			v := int32(len(t.v2))
			t.v2 = append(t.v2, vtok{a.cs, b.ce, tTS})
			x := ftok{s: a.s, e: b.e, cs: a.cs, ce: b.ce, v0: v, v1: v + 1, whole: true}
			x.h = wholeHash(line, &x)
			t.f2 = append(t.f2, x)
			i = end
			continue
		}
		x := f[i]
		v := int32(len(t.v2))
		t.v2 = append(t.v2, t.vars[x.v0:x.v1]...)
		x.v0, x.v1 = v, int32(len(t.v2))
		t.f2 = append(t.f2, x)
		i++
	}
	t.fields, t.f2 = t.f2, t.fields
	t.vars, t.v2 = t.v2, t.vars
}

// tsPart: 0 no, 1 small number (day, year), 2 date/time value, 3 month or
// weekday name.
func tsPart(line string, f *ftok, vars []vtok) uint8 {
	if f.whole {
		switch vars[f.v0].typ {
		case tTS:
			return 2
		case tNum:
			if f.ce-f.cs <= 4 && f.e-f.s == f.ce-f.cs {
				for _, c := range []byte(line[f.cs:f.ce]) {
					if cls[c]&cDigit == 0 {
						return 0
					}
				}
				return 1
			}
		}
		return 0
	}
	if f.v0 == f.v1 && isMonthOrDay(line[f.cs:f.ce]) {
		return 3
	}
	return 0
}

func hasNum(line string, f []ftok, vars []vtok) bool {
	for i := range f {
		if tsPart(line, &f[i], vars) == 1 {
			return true
		}
	}
	return false
}

// isMonthOrDay: an English month or weekday name, abbreviated ("Jul",
// "Sept") or in full, in any case. It runs on every word, so it looks at
// the first three letters once and compares the rest only for a match.
func isMonthOrDay(s string) bool {
	if len(s) < 3 || len(s) > 9 {
		return false
	}
	var b [3]byte
	for i := 0; i < 3; i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
		b[i] = c
	}
	var full string
	switch string(b[:]) {
	case "jan":
		full = "january"
	case "feb":
		full = "february"
	case "mar":
		full = "march"
	case "apr":
		full = "april"
	case "may":
		full = "may"
	case "jun":
		full = "june"
	case "jul":
		full = "july"
	case "aug":
		full = "august"
	case "sep":
		full = "september"
		if len(s) == 4 && s[3]|0x20 == 't' {
			return true
		}
	case "oct":
		full = "october"
	case "nov":
		full = "november"
	case "dec":
		full = "december"
	case "mon":
		full = "monday"
	case "tue":
		full = "tuesday"
	case "wed":
		full = "wednesday"
	case "thu":
		full = "thursday"
	case "fri":
		full = "friday"
	case "sat":
		full = "saturday"
	case "sun":
		full = "sunday"
	default:
		return false
	}
	if len(s) == 3 {
		return true
	}
	if len(s) != len(full) {
		return false
	}
	for i := 3; i < len(s); i++ {
		if s[i]|0x20 != full[i] || s[i] < 'A' {
			return false
		}
	}
	return true
}

var (
	tailHash = hashBytes(fnvOffset, "\x02")
)
