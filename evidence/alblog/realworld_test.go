package alblog

import (
	"bufio"
	"os"
	"testing"
)

// readRealWorld parses testdata/realworld.log (see its README).
func readRealWorld(t *testing.T) []Entry {
	t.Helper()
	f, err := os.Open("testdata/realworld.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		e, err := ParseLine(sc.Text())
		if err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		out = append(out, e)
	}
	return out
}

func TestEveryDocumentedVariantParses(t *testing.T) {
	es := readRealWorld(t)
	if len(es) != 16 {
		t.Fatalf("%d entries", len(es))
	}
	types := ""
	for _, e := range es[:6] {
		types += e.Type + " "
	}
	if types != "http https h2 grpcs ws wss " {
		t.Errorf("types = %q", types)
	}
	lambda, failed := es[6], es[7]
	if lambda.TargetIP != "" || lambda.TargetProcessingTime != 0.245 || lambda.TargetStatusCode != "200" || lambda.TargetGroupARN == "" {
		t.Errorf("lambda = %+v", lambda)
	}
	if failed.ErrorReason != "LambdaUnhandled" || failed.ELBStatusCode != 502 || failed.TargetStatusCode != "" {
		t.Errorf("lambda failure = %+v", failed)
	}
	if r := es[8]; r.ActionsExecuted != "redirect" || r.RedirectURL != "https://api.example.com:443/orders" || r.ELBStatusCode != 301 {
		t.Errorf("redirect = %+v", r)
	}
	if r := es[10]; r.TargetProcessingTime != -1 || r.RequestProcessingTime != -1 || r.ELBStatusCode != 503 {
		t.Errorf("503 without target = %+v", r)
	}
	if r := es[11]; r.Method != "" || r.URL != "" || r.UserAgent != "" || r.TraceID != "" || r.ELBStatusCode != 400 {
		t.Errorf("unparseable request = %+v", r)
	}
	if r := es[13]; r.ClientIP != "2001:db8:85a3::8a2e:370:7334" || r.ClientPort != 40422 || r.ELBStatusCode != 504 {
		t.Errorf("ipv6 = %+v", r)
	}
	if r := es[14]; r.Classification != "Ambiguous" || r.ClassificationReason != "AmbiguousUriBadCharacters" || r.ConnTraceID != "TID_4b5c6d7e8f900112" {
		t.Errorf("classified = %+v", r)
	}
}

// Issue 17 item 10: the zero time the fuzzer found is rejected.
func TestZeroTimeIsRejected(t *testing.T) {
	for _, line := range []string{
		`http 0001-01-01T0:00:00Z app/x 198.51.100.2:40000 - -1 -1 -1 503 - 120 326 "- - - " "-" - -`,
		`http 0001-01-01T00:00:00Z app/x 198.51.100.2:40000 - -1 -1 -1 503 - 120 326 "- - - " "-" - -`,
	} {
		if e, err := ParseLine(line); err == nil {
			t.Errorf("parsed %q as %v", line, e.Time)
		}
	}
	if _, err := ParseLine(`h2 2026-11-20T09:25:00Z app/x [2001:db8::1]:443 - -1 -1 -1 400 - 0 0 "GET / HTTP/2.0" "-" - -`); err != nil {
		t.Error(err)
	}
}
