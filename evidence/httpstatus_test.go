package evidence

import "testing"

// TestHTTPStatusOfAccessLogLines reads the status from the access log
// shapes services write, and makes a 5xx or a 429 an error.
func TestHTTPStatusOfAccessLogLines(t *testing.T) {
	cases := []struct {
		line string
		code int
		sev  string
	}{
		{`{"requestId":"c6","httpMethod":"GET","path":"/orders/1","status":"429","errorMessage":"Too Many Requests"}`, 429, SevError},
		{`{"requestId":"c6","status":200,"responseLatency":"12"}`, 200, ""},
		{`{"statusCode":503,"path":"/x"}`, 503, SevError},
		{`method=GET path=/health status=502 duration=3ms`, 502, SevError},
		{`10.0.0.1 - - [22/Apr/2026:15:48:38 +0000] "GET /orders HTTP/1.1" 504 0 "-" "curl/8"`, 504, SevError},
		{`10.0.0.1 - - [22/Apr/2026:15:48:38 +0000] "GET /orders HTTP/1.1" 404 0 "-" "curl/8"`, 404, ""},
		{`processed 503 orders in 12 ms`, 0, ""},
	}
	for _, c := range cases {
		if got := HTTPStatus(c.line); got != c.code {
			t.Errorf("HTTPStatus(%q) = %d, want %d", c.line, got, c.code)
		}
		if got := Severity(c.line); got != c.sev {
			t.Errorf("Severity(%q) = %q, want %q", c.line, got, c.sev)
		}
	}
}
