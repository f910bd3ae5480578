package evidence

import "testing"

// FuzzURLPathMatchesTheParser holds the fast path of URLPath to what the
// URL parser says of the same request URL.
func FuzzURLPathMatchesTheParser(f *testing.F) {
	for _, s := range []string{
		"https://shop.example.com:443/api/checkout?x=1",
		"http://10.0.0.5:80/health",
		"https://h:443/a%2Fb/c",
		"https://h:443/caf\u00e9/x#frag",
		"https://h:443",
		"https://h?q=/x",
		"h2://[2001:db8::1]:443/grpc.Service/Call",
		"-",
		"/relative/path?x",
		"https://h:443/a b",
		"https://h:443//double//slash",
		"wss://h:443/socket;jsessionid=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if got, want := URLPath(raw), parsedURLPath(raw); got != want {
			t.Errorf("URLPath(%q) = %q, the parser says %q", raw, got, want)
		}
	})
}
