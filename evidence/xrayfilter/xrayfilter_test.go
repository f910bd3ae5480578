package xrayfilter

import (
	"errors"
	"strings"
	"testing"
)

func TestEval(t *testing.T) {
	faulty := Fields{Fault: true, HTTPStatus: 500, HTTPMethod: "POST", URL: "https://shop.example.com/api/checkout", ResponseTime: 0.05, Duration: 0.06, Services: []string{"checkout-api", "checkout-db"}}
	slow := Fields{HTTPStatus: 200, HTTPMethod: "GET", URL: "https://shop.example.com/api/cart/1", ResponseTime: 1.4, Duration: 1.5, Services: []string{"cart-api"}}
	notFound := Fields{Error: true, HTTPStatus: 404, ResponseTime: 0.01, Duration: 0.01, Services: []string{"cart-api"}}
	tests := []struct {
		expr string
		f    Fields
		want bool
	}{
		{"", slow, true},
		{"fault", faulty, true},
		{"fault", slow, false},
		{"FAULT", faulty, true},
		{"error", notFound, true},
		{"ok", slow, true},
		{"ok", notFound, false},
		{"throttle", faulty, false},
		{`service("checkout-db")`, faulty, true},
		{`service("checkout-db")`, slow, false},
		{"http.status = 500", faulty, true},
		{"http.status != 500", faulty, false},
		{"http.status >= 400", notFound, true},
		{"http.status < 400", notFound, false},
		{"http.status <= 404", notFound, true},
		{"http.status > 404", notFound, false},
		{"http.status = 200", Fields{}, false},
		{"responsetime > 1", slow, true},
		{"responsetime > 1", faulty, false},
		{"duration >= 1.5", slow, true},
		{"duration >= .5", faulty, false},
		{`http.method = "POST"`, faulty, true},
		{`http.url CONTAINS "/checkout"`, faulty, true},
		{`http.url BEGINSWITH "https://shop"`, slow, true},
		{`http.url ENDSWITH "/1"`, slow, true},
		{`http.url != "x"`, slow, true},
		// Precedence: ! binds tighter than AND, AND tighter than OR.
		{"fault OR error AND throttle", faulty, true},     // fault OR (error AND throttle)
		{"(fault OR error) AND throttle", faulty, false},  // parentheses override
		{"!fault AND error", notFound, true},              // (!fault) AND error
		{"!(fault OR error)", notFound, false},            // negated group
		{"!!fault", faulty, true},                         // double negation
		{"ok OR fault AND !error", faulty, true},          // ok OR (fault AND !error)
		{"fault and http.status = 500 or ok", slow, true}, // lower-case keywords
		{`service("cart-api") AND responsetime > 1`, slow, true},
		{`service("cart-api") AND responsetime > 1`, notFound, false},
	}
	for _, tt := range tests {
		e, err := Parse(tt.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.expr, err)
			continue
		}
		if got := e.Eval(tt.f); got != tt.want {
			t.Errorf("%q on %+v = %v, want %v", tt.expr, tt.f, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		expr string
		pos  int // 1-based, as the message shows
		msg  string
	}{
		{"fault AND", 10, "expected a keyword"},
		{"(fault", 7, "expected )"},
		{"fault error", 7, "expected AND, OR"},
		{"http.status", 12, "expected a comparison"},
		{`http.status = "500"`, 15, "compares with a number"},
		{`http.method = 5`, 15, "compares with a quoted string"},
		{`annotation.tier = "gold"`, 1, `"annotation.tier" is not supported`},
		{`service(checkout)`, 9, "quoted name"},
		{`service("a") { fault }`, 14, "blocks are not supported"},
		{`fault # x`, 7, "unexpected character"},
		{`service("a`, 9, "unterminated string"},
		{`OR fault`, 1, "OR needs an expression"},
		{`edge("a", "b")`, 1, `"edge" is not supported`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.expr)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a ParseError", tt.expr, err)
			continue
		}
		if pe.Pos+1 != tt.pos || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("Parse(%q): position %d %q, want position %d containing %q", tt.expr, pe.Pos+1, pe.Msg, tt.pos, tt.msg)
		}
		if !strings.Contains(err.Error(), "supported: fault") {
			t.Errorf("error %q does not list what is supported", err)
		}
	}
}

// Issue 18 item 6: X-Ray documents boolean keywords compared with true or
// false (https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html,
// "Boolean keywords"): "fault = true", "ok = false", "error != true".
func TestBooleanKeywordComparisons(t *testing.T) {
	faulty := Fields{Fault: true, HTTPStatus: 500}
	healthy := Fields{HTTPStatus: 200}
	for _, tt := range []struct {
		expr string
		f    Fields
		want bool
	}{
		{"fault = true", faulty, true},
		{"fault = true", healthy, false},
		{"fault = false", healthy, true},
		{"ok = false", faulty, true},
		{"ok = false", healthy, false},
		{"OK = TRUE", healthy, true},
		{"error != true", healthy, true},
		{"throttle != false", faulty, false},
		{"fault = true AND http.status = 500", faulty, true},
		{"!(ok = true) OR error", faulty, true},
	} {
		e, err := Parse(tt.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.expr, err)
			continue
		}
		if got := e.Eval(tt.f); got != tt.want {
			t.Errorf("%q on %+v = %v, want %v", tt.expr, tt.f, got, tt.want)
		}
	}
	for _, bad := range []string{"fault = 1", "fault > true", "ok =", `fault = "true"`} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
