package logmine

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
	tTail        // everything after MaxTokens fields
	nTypes
)

var typeNames = [nTypes]string{"", "<*>", "<num>", "<dur>", "<hex>", "<ip>", "<uuid>", "<ts>", "<path>", "<url>", "<arn>", "<...>"}

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
		for j < n && cls[line[j]]&cSpace == 0 {
			j++
		}
		if t.field(line, i, j) {
			months = true
		}
		i = j
	}
	if months {
		t.timestamps(line)
	}
}

// bare reports whether field f is one variable and nothing else: such a
// field is a wildcard position of its template (its hash is genHash).
func (f *ftok) bare() bool { return f.whole && f.cs == f.s && f.ce == f.e }

// field tokenises line[s:e]; it reports whether the field may be part of a
// multi-field timestamp (month or weekday name).
func (t *tokenizer) field(line string, s, e int) bool {
	v0 := int32(len(t.vars))
	if e-s > maxFieldLen {
		t.vars = append(t.vars, vtok{int32(s), int32(e), tAny})
		t.push(line, ftok{s: int32(s), e: int32(e), cs: int32(s), ce: int32(e), v0: v0, v1: v0 + 1, whole: true})
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
			t.push(line, ftok{s: int32(s), e: int32(e), cs: int32(cs), ce: int32(ce), v0: v0, v1: v0 + 1, whole: true})
			return false
		}
	}
	// Segment-wise: runs of word characters that contain a digit are
	// variables; everything else is constant text.
	h := uint64(fnvOffset)
	k := s
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
			h = t.segment(line, k, m, saved)
		}
		k = m
	}
	v1 := int32(len(t.vars))
	if v1 == v0+1 && t.vars[v0].s == int32(s) && t.vars[v0].e == int32(e) {
		t.push(line, ftok{s: int32(s), e: int32(e), cs: int32(s), ce: int32(e), v0: v0, v1: v1, whole: true})
		return false
	}
	f := ftok{s: int32(s), e: int32(e), cs: int32(cs), ce: int32(ce), h: h, v0: v0, v1: v1}
	if v1 == v0 && isUnit(line[cs:ce]) && len(t.fields) > 0 {
		// "41 ms", "3.5 KB,": the unit joins the number before it.
		p := &t.fields[len(t.fields)-1]
		if p.bare() && p.v1 == p.v0+1 && t.vars[p.v0].typ == tNum && cs == s {
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
// the same type fold into one ("delete chunk_1 chunk_2 chunk_3" -> "delete <*>",
// "2015-10-18 18:01:47,978" -> "<ts>"), so that lists of values of any
// length give one template. Numbers do not fold: adjacent numbers are
// usually distinct fields ("200 1234": status and size).
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

func isUnit(s string) bool {
	switch s {
	case "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "kB", "bytes",
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
func (t *tokenizer) segment(line string, k, m int, h uint64) uint64 {
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
		}
		for q < m && line[q] == '.' {
			h = (h ^ '.') * fnvPrime
			q++
		}
		p = q
	}
	return h
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

var monthDay = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
	"january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func isMonthOrDay(s string) bool {
	if len(s) < 3 || len(s) > 9 {
		return false
	}
	var b [9]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		} else if c < 'a' || c > 'z' {
			return false
		}
		b[i] = c
	}
	w := string(b[:len(s)])
	for _, m := range monthDay {
		if m == w {
			return true
		}
	}
	return false
}

var (
	tailHash = hashBytes(fnvOffset, "\x02")
)
