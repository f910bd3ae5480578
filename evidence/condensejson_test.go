package evidence

import (
	"strings"
	"testing"
)

// A CDN access record in JSON leads with the client's address, cookie and
// user agent; condensed, it shows its status and result type first.
func TestCondenseJSONKeepsTellingMembers(t *testing.T) {
	rec := `{"DistributionId":"<*>","c-ip":"<ip>","c-port":"<num>","cs(Cookie)":"-","cs(Referer)":"https://www.example.com/","cs(User-Agent)":"Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/131.0","cs-method":"GET","cs-uri-stem":"<path>","time-taken":"<num>","sc-bytes":"<num>","x-edge-location":"FRA56-P3","x-edge-request-id":"<*>","sc-status":<num>,"x-edge-detailed-result-type":"OriginCommError","x-edge-result-type":"Error","ssl-protocol":"TLSv1.3","ssl-cipher":"TLS_AES_128_GCM_SHA256"}`
	got := Condense(rec, 200)
	for _, want := range []string{`"sc-status":<num>`, `"x-edge-detailed-result-type":"OriginCommError"`, `"x-edge-result-type":"Error"`, "members)"} {
		if !strings.Contains(got, want) {
			t.Errorf("condensed record lacks %s: %s", want, got)
		}
	}
	if strings.Contains(got, "User-Agent") || len(got) > 200+len(" (+99 members)") {
		t.Errorf("noise kept or too long (%d): %s", len(got), got)
	}
	if short := `{"level":"error","msg":"boom"}`; Condense(short, 200) != short {
		t.Errorf("a short record changed: %s", Condense(short, 200))
	}
	if m := topMembers(`{"a":{"b":[1,2,{"c":"d,e"}]},"f":<num>,"g":"h\"i"}`); len(m) != 3 || m[0].key != "a" || m[1].raw != `"f":<num>` || m[2].key != "g" {
		t.Errorf("topMembers = %+v", m)
	}
}
