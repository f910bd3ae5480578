package snapshot

import (
	"fmt"
	"net/netip"
	"regexp"
	"sync"
)

// Redactor masks what should not leave the account — IPv4 addresses,
// e-mail addresses, AWS access key ids and patterns from the configuration
// — consistently: the same value always gets the same mask within one
// snapshot, so counts, joins and "same client" reasoning still work on the
// redacted copy. Masks keep the shape of what they replace (an address is
// still an address, a key id still 20 characters) so parsers read them.
type Redactor struct {
	patterns []*regexp.Regexp

	mu    sync.Mutex
	seen  map[string]string
	masks map[string]bool
	next  map[string]int
}

var (
	ipv4Re  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	keyIDRe = regexp.MustCompile(`\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b`)
)

// NewRedactor compiles the extra patterns (Go regular expressions); a bad
// pattern is an error naming it.
func NewRedactor(patterns []string) (*Redactor, error) {
	r := &Redactor{seen: map[string]string{}, masks: map[string]bool{}, next: map[string]int{}}
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("redaction pattern %q is not a valid regular expression: %v", p, err)
		}
		r.patterns = append(r.patterns, re)
	}
	return r, nil
}

// String masks every sensitive value in s. A nil Redactor returns s.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	s = emailRe.ReplaceAllStringFunc(s, func(v string) string { return r.mask("email", v) })
	s = keyIDRe.ReplaceAllStringFunc(s, func(v string) string { return r.mask("key", v) })
	s = ipv4Re.ReplaceAllStringFunc(s, func(v string) string {
		if _, err := netip.ParseAddr(v); err != nil {
			return v // a version number such as 1.2.3.400, not an address
		}
		return r.mask("ip", v)
	})
	for i, re := range r.patterns {
		kind := fmt.Sprintf("pattern%d", i+1)
		s = re.ReplaceAllStringFunc(s, func(v string) string { return r.mask(kind, v) })
	}
	return s
}

// Strings masks each element in place and returns the slice.
func (r *Redactor) Strings(ss []string) []string {
	for i := range ss {
		ss[i] = r.String(ss[i])
	}
	return ss
}

// Masked reports how many distinct values were masked, by kind.
func (r *Redactor) Masked() map[string]int {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, n := range r.next {
		out[k] = n
	}
	return out
}

// mask returns the mask of v, allocating the next one of its kind.
func (r *Redactor) mask(kind, v string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.seen[kind+"\x00"+v]; ok {
		return m
	}
	// A value that is already a mask (a second pass) stays as it is.
	if r.masks[v] {
		return v
	}
	r.next[kind]++
	n := r.next[kind]
	var m string
	switch kind {
	case "ip":
		// 198.18.0.0/15 is reserved for benchmarking: never a real peer.
		m = fmt.Sprintf("198.%d.%d.%d", 18+(n>>16)&1, (n>>8)&255, n&255)
	case "email":
		m = fmt.Sprintf("user%d@redacted.invalid", n)
	case "key":
		m = fmt.Sprintf("%sREDACTED%08d", v[:4], n)
	default:
		m = fmt.Sprintf("[%s-%d]", kind, n)
	}
	r.seen[kind+"\x00"+v] = m
	r.masks[m] = true
	return m
}
