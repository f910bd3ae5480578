package evidence

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// A structured log record too long to show whole is cut to the members
// that say what happened — its status, error, result, message — not to its
// first members, which are often a client's address, port, cookie and user
// agent (a CDN's access log in JSON leads with twenty of those before the
// status and the error type).

// jsonMember is one top-level member of a JSON object, as written.
type jsonMember struct{ key, raw string }

// topMembers splits a JSON object's text into its top-level members. It is
// tolerant: a template's unquoted placeholders (<num>) are values like
// any other. It returns nil for text that is not an object.
func topMembers(s string) []jsonMember {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' {
		return nil
	}
	var out []jsonMember
	depth, start := 0, 1
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if m, ok := member(s[start:i]); ok {
					out = append(out, m)
				}
				return out
			}
		case ',':
			if depth == 1 {
				if m, ok := member(s[start:i]); ok {
					out = append(out, m)
				}
				start = i + 1
			}
		}
	}
	return out // cut short: the members read so far
}

func member(raw string) (jsonMember, bool) {
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, `"`) {
		return jsonMember{}, false
	}
	end := strings.Index(raw[1:], `"`)
	if end < 0 {
		return jsonMember{}, false
	}
	return jsonMember{key: raw[1 : end+1], raw: raw}, true
}

var (
	// tellingMember names members that say what happened.
	tellingMember = regexp.MustCompile(`(?i)(status|error|err$|reason|result|exception|message|^msg$|code$|level|severity|detail|fault|fail)`)
	// contextMember names members that say to what.
	contextMember = regexp.MustCompile(`(?i)(path|uri|url|method|host|operation|action|event|type|name|service|function|table|queue|bucket)`)
	// noiseMember names members that rarely explain a failure.
	noiseMember = regexp.MustCompile(`(?i)(user-?agent|cookie|refer+er|port$|^c-ip$|client.?ip|remote|time|^ts$|date|pid|hostname|request.?id|trace|span|bytes|size|^x-forwarded|protocol|ssl|tls|cipher|fle-|encrypt)`)
)

// condenseJSON shows a long JSON record by its telling members first,
// then its context, then the rest while they fit; what is left out is
// counted. ok is false when s is not a JSON object.
func condenseJSON(s string, max int) (string, bool) {
	ms := topMembers(s)
	if len(ms) < 2 {
		return "", false
	}
	rank := func(m jsonMember) int {
		switch {
		case tellingMember.MatchString(m.key) && !noiseMember.MatchString(m.key):
			return 0
		case contextMember.MatchString(m.key) && !noiseMember.MatchString(m.key):
			return 1
		case noiseMember.MatchString(m.key):
			return 3
		}
		return 2
	}
	order := make([]int, len(ms))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(ms[order[a]]) < rank(ms[order[b]]) })
	var parts []string
	used, left := 2, 0
	for _, i := range order {
		raw := ms[i].raw
		if len(raw) > max/2 {
			raw = cut(raw, max/2)
		}
		if used+len(raw)+1 > max-16 {
			left++
			continue
		}
		parts = append(parts, raw)
		used += len(raw) + 1
	}
	out := "{" + strings.Join(parts, ",") + "}"
	if left > 0 {
		out += fmt.Sprintf(" (+%d members)", left)
	}
	return out, true
}
