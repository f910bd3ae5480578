package telemetry

import "strings"

// A log group pattern is a log group name, or a name prefix with a single
// "*" at its end ("/ecs/*"): the one wildcard every source can honour
// (CloudWatch's DescribeLogGroups takes a name prefix). These functions
// are the one place that rule is written.

// LogGroupPrefix returns the prefix of a pattern ending in "*", and whether
// it is one.
func LogGroupPrefix(pattern string) (prefix string, isPrefix bool) {
	return strings.CutSuffix(pattern, "*")
}

// WildcardOnlyAtEnd reports whether a pattern has no "*" or only one, as
// its last character.
func WildcardOnlyAtEnd(pattern string) bool {
	i := strings.Index(pattern, "*")
	return i < 0 || i == len(pattern)-1
}

// MatchLogGroup reports whether a log group is the one a pattern names or
// starts with its prefix.
func MatchLogGroup(pattern, group string) bool {
	if group == pattern {
		return true
	}
	prefix, ok := LogGroupPrefix(pattern)
	return ok && strings.HasPrefix(group, prefix)
}
