package alblog

import (
	"strings"
	"testing"
	"time"
)

// docLine follows the documented field order, with every field present.
const docLine = `https 2026-11-20T09:23:01.123456Z app/prod-web/50dc6c495c0c9188 203.0.113.7:51234 10.0.1.88:8080 0.001 0.052 0.000 500 500 412 287 "POST https://shop.example.com:443/api/checkout?x=1 HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64) \"quoted\" \\ back" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/checkout-api-tg/6d0ecf831eec9f09 "Root=1-673da1e5-0a1b2c3d4e5f60718293a4b5" "shop.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/abc" 10 2026-11-20T09:23:01.070000Z "forward" "-" "-" "10.0.1.88:8080" "500" "-" "-" TID_0a1b2c3d4e5f`

func TestParseLineDocumentedFields(t *testing.T) {
	e, err := ParseLine(docLine)
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]any{
		"type":         {e.Type, "https"},
		"elb":          {e.ELB, "app/prod-web/50dc6c495c0c9188"},
		"client":       {e.ClientIP, "203.0.113.7"},
		"client port":  {e.ClientPort, 51234},
		"target":       {e.Target(), "10.0.1.88:8080"},
		"target time":  {e.TargetProcessingTime, 0.052},
		"elb status":   {e.ELBStatusCode, 500},
		"target code":  {e.TargetStatusCode, "500"},
		"received":     {e.ReceivedBytes, int64(412)},
		"sent":         {e.SentBytes, int64(287)},
		"method":       {e.Method, "POST"},
		"url":          {e.URL, "https://shop.example.com:443/api/checkout?x=1"},
		"proto":        {e.Protocol, "HTTP/1.1"},
		"agent":        {e.UserAgent, `Mozilla/5.0 (X11; Linux x86_64) "quoted" \ back`},
		"tg":           {e.TargetGroupARN, "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/checkout-api-tg/6d0ecf831eec9f09"},
		"trace":        {e.TraceID, "Root=1-673da1e5-0a1b2c3d4e5f60718293a4b5"},
		"domain":       {e.DomainName, "shop.example.com"},
		"priority":     {e.MatchedRulePriority, "10"},
		"actions":      {e.ActionsExecuted, "forward"},
		"redirect":     {e.RedirectURL, ""},
		"port list":    {e.TargetPortList, "10.0.1.88:8080"},
		"code list":    {e.TargetStatusCodeList, "500"},
		"conn trace":   {e.ConnTraceID, "TID_0a1b2c3d4e5f"},
		"created year": {e.RequestCreationTime.Year(), 2026},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %#v, want %#v", name, c[0], c[1])
		}
	}
	if want := time.Date(2026, 11, 20, 9, 23, 1, 123456000, time.UTC); !e.Time.Equal(want) {
		t.Errorf("time = %v, want %v", e.Time, want)
	}
}

func TestParseLineDashesAndMinusOne(t *testing.T) {
	// A request ALB could not send to any target: no target, -1 times, "-" target status.
	line := `http 2026-11-20T09:25:00.000000Z app/prod-web/50dc6c495c0c9188 198.51.100.2:40000 - -1 -1 -1 503 - 120 326 "GET http://shop.example.com:80/api/checkout HTTP/1.1" "curl/8.5.0" - - - "Root=1-1-1" "-" "-" 0 2026-11-20T09:25:00.000000Z "forward" "-" "-" "-" "-" "-" "-" -`
	e, err := ParseLine(line)
	if err != nil {
		t.Fatal(err)
	}
	if e.TargetIP != "" || e.Target() != "" || e.TargetProcessingTime != -1 || e.TargetStatusCode != "" || e.ELBStatusCode != 503 || e.SSLCipher != "" {
		t.Errorf("dash handling wrong: %+v", e)
	}
	// Exporters that reformat the numbers write ALB's -1 as -1.000.
	e, err = ParseLine(strings.Replace(line, " -1 -1 -1 ", " -1.000 -1.000 -1.000 ", 1))
	if err != nil || e.TargetProcessingTime != -1 {
		t.Errorf("-1.000: %v, target time %v", err, e.TargetProcessingTime)
	}
	if _, err := ParseLine(strings.Replace(line, " -1 -1 -1 ", " -1 -0.5 -1 ", 1)); err == nil {
		t.Error("a negative time other than -1 parsed")
	}
}

func TestParseLineOlderAndNewerFormats(t *testing.T) {
	// Old load balancers stop after a few fields; new ones add fields AWS
	// says to ignore. Both must parse.
	old := `http 2018-07-02T22:23:00.186641Z app/my-lb/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - -`
	if e, err := ParseLine(old); err != nil || e.URL != "http://www.example.com:80/" || e.SSLProtocol != "" {
		t.Fatalf("old format: %v %+v", err, e)
	}
	if _, err := ParseLine(docLine + ` "new-field" another`); err != nil {
		t.Fatalf("trailing unknown fields must be ignored: %v", err)
	}
	// An unparseable request line is "- - - ".
	odd := strings.Replace(docLine, `"POST https://shop.example.com:443/api/checkout?x=1 HTTP/1.1"`, `"- - - "`, 1)
	if e, err := ParseLine(odd); err != nil || e.Method != "" || e.URL != "" {
		t.Fatalf("dash request: %v %+v", err, e)
	}
}

func TestParseLineRejectsMalformed(t *testing.T) {
	cases := map[string]string{
		"too few fields":   `http 2026-11-20T09:23:01Z app/x 1.2.3.4:5 - 0 0 0 200 200 1 2`,
		"bad time":         strings.Replace(docLine, "2026-11-20T09:23:01.123456Z", "yesterday", 1),
		"bad client":       strings.Replace(docLine, "203.0.113.7:51234", "203.0.113.7", 1),
		"bad status":       strings.Replace(docLine, " 500 500 ", " 5x0 500 ", 1),
		"bad target code":  strings.Replace(docLine, " 500 500 ", " 500 abc ", 1),
		"bad seconds":      strings.Replace(docLine, " 0.052 ", " fast ", 1),
		"unterminated":     `http 2026-11-20T09:23:01Z app/x 1.2.3.4:5 - 0 0 0 200 200 1 2 "GET / HTTP/1.1`,
		"glued quote":      strings.Replace(docLine, `HTTP/1.1" "Mozilla`, `HTTP/1.1"x "Mozilla`, 1),
		"double space":     strings.Replace(docLine, "https ", "https  ", 1),
		"empty line":       ``,
		"negative bytes":   strings.Replace(docLine, " 412 287 ", " -412 287 ", 1),
		"bad port":         strings.Replace(docLine, "10.0.1.88:8080 0.001", "10.0.1.88:99999 0.001", 1),
		"bad request time": strings.Replace(docLine, "2026-11-20T09:23:01.070000Z", "soon", 1),
	}
	for name, line := range cases {
		if _, err := ParseLine(line); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
	_, err := ParseLine(strings.Replace(docLine, " 500 500 ", " 5x0 500 ", 1))
	if err == nil || !strings.Contains(err.Error(), "elb_status_code") {
		t.Errorf("error should name the field: %v", err)
	}
}

// FuzzParseALBLine checks that no input panics and that whatever parses
// is self-consistent.
func FuzzParseALBLine(f *testing.F) {
	f.Add(docLine)
	f.Add(`http 2018-07-02T22:23:00.186641Z app/my-lb/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - -`)
	f.Add(`http 2026-11-20T09:25:00Z app/x 198.51.100.2:40000 - -1 -1 -1 503 - 120 326 "- - - " "\"\\" - -`)
	f.Add(`h2 2026-11-20T09:25:00Z app/x [2001:db8::1]:443 - -1 -1 -1 400 - 0 0 "GET / HTTP/2.0" "a\"b" - -`)
	f.Add(`"unterminated`)
	// Issue 17 item 10: Go parses this as the zero time.
	f.Add(`http 0001-01-01T0:00:00Z app/x 198.51.100.2:40000 - -1 -1 -1 503 - 120 326 "- - - " "-" - -`)
	f.Fuzz(func(t *testing.T, line string) {
		e, err := ParseLine(line)
		if err != nil {
			return
		}
		if e.Type == "" || e.ClientIP == "" || e.Time.IsZero() {
			t.Fatalf("parsed entry lacks required fields: %+v", e)
		}
		if e.TargetIP == "" && e.TargetPort != 0 {
			t.Fatalf("port without target: %+v", e)
		}
		if e.ELBStatusCode != 0 && (e.ELBStatusCode < 100 || e.ELBStatusCode > 999) {
			t.Fatalf("status out of range: %d", e.ELBStatusCode)
		}
	})
}
