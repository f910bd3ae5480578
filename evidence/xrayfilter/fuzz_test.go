package xrayfilter

import (
	"strings"
	"testing"
)

// FuzzParse: any input parses or fails with a ParseError, never panics,
// and a parsed expression evaluates without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "fault", "!fault", "(fault OR error) AND service(\"api\")", "http.status >= 500", "responsetime > 2.5", "http.url CONTAINS \"/x\"", strings.Repeat("(", 40) + "fault", "!!!!!!fault"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("Parse(%q) error %T %v, want *ParseError", src, err, err)
			}
			return
		}
		e.Eval(Fields{Fault: true, HTTPStatus: 500, Services: []string{"api"}})
	})
}
