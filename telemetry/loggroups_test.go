package telemetry

import "testing"

func TestLogGroupPatterns(t *testing.T) {
	for _, c := range []struct {
		pattern, group string
		match, valid   bool
	}{
		{"/ecs/checkout", "/ecs/checkout", true, true},
		{"/ecs/checkout", "/ecs/checkout-worker", false, true},
		{"/ecs/*", "/ecs/checkout", true, true},
		{"/ecs/*", "/lambda/checkout", false, true},
		{"*", "/anything", true, true},
		{"/ecs/*/app", "/ecs/x/app", false, false},
		{"/ecs/**", "/ecs/x", false, false},
	} {
		if got := MatchLogGroup(c.pattern, c.group); got != c.match {
			t.Errorf("MatchLogGroup(%q, %q) = %v", c.pattern, c.group, got)
		}
		if got := WildcardOnlyAtEnd(c.pattern); got != c.valid {
			t.Errorf("WildcardOnlyAtEnd(%q) = %v", c.pattern, got)
		}
	}
	if p, ok := LogGroupPrefix("/ecs/*"); !ok || p != "/ecs/" {
		t.Errorf("LogGroupPrefix(/ecs/*) = %q, %v", p, ok)
	}
	if p, ok := LogGroupPrefix("/ecs/app"); ok || p != "/ecs/app" {
		t.Errorf("LogGroupPrefix(/ecs/app) = %q, %v", p, ok)
	}
}
