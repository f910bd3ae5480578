package evidence

import (
	"fmt"
	"regexp"
	"strings"
)

// Matcher decides whether a log message matches a user's filter.
type Matcher func(msg string) bool

// ParseFilter turns a filter into a Matcher: "" matches everything, "/re/"
// is a regular expression (RE2 syntax; "/re/i" is case-insensitive), and
// anything else is a case-sensitive substring, as in CloudWatch's console.
func ParseFilter(filter string) (Matcher, error) {
	if filter == "" {
		return func(string) bool { return true }, nil
	}
	if expr, flags, ok := splitRegex(filter); ok {
		if flags == "i" {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("filter %q is not a valid regular expression: %v", filter, err)
		}
		return re.MatchString, nil
	}
	return func(msg string) bool { return strings.Contains(msg, filter) }, nil
}

// splitRegex recognises /expr/ and /expr/i.
func splitRegex(s string) (expr, flags string, ok bool) {
	if len(s) < 2 || s[0] != '/' {
		return "", "", false
	}
	switch {
	case strings.HasSuffix(s, "/i") && len(s) >= 3:
		return s[1 : len(s)-2], "i", true
	case strings.HasSuffix(s, "/"):
		return s[1 : len(s)-1], "", true
	}
	return "", "", false
}

// IsRegexFilter reports whether filter is written as /regex/.
func IsRegexFilter(filter string) bool {
	_, _, ok := splitRegex(filter)
	return ok
}

// RegexBody returns the expression and flags of a /regex/ filter.
func RegexBody(filter string) (expr string, caseInsensitive bool) {
	e, f, _ := splitRegex(filter)
	return e, f == "i"
}
