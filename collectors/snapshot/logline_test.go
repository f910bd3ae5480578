package snapshot

import (
	"testing"
)

// The hand decoder must either agree with encoding/json or step aside.
func TestDecodeLogLineAgreesWithEncodingJSON(t *testing.T) {
	lines := []struct {
		line string
		fast bool // the hand decoder is expected to take it
	}{
		{`{"timestamp":1795612020809,"message":"INFO order created","logStreamName":"ecs/a/1","ingestionTime":1795612021509}`, true},
		{` { "logStreamName" : "s" , "timestamp" : 5 , "message" : "m" } `, true},
		{`{"timestamp":-5,"message":"m"}`, true},
		{`{"timestamp":0,"message":"","eventId":"3745"}`, true},
		{`{"timestamp":1,"message":"quote \" tab \t uni \u00e9 \ud83d\ude00 lone \ud800 slash \/"}`, true},
		{`{"timestamp":1,"message":"caf` + "\xc3\xa9" + `","logStreamName":"s\u0041"}`, true},
		// Left to encoding/json.
		{`{"timestamp":1,"message":"bad utf8 ` + "\xff" + `"}`, false},
		{`{"timestamp":1,"Message":"case-insensitive key"}`, false},
		{`{"timestamp":1,"message":"a","message":"dup"}`, false},
		{`{"timestamp":null,"message":"m"}`, false},
		{`{"message":"no timestamp"}`, false},
		{`{"timestamp":1.5,"message":"m"}`, false},
		{`{"timestamp":1e3,"message":"m"}`, false},
		{`{"timestamp":01,"message":"m"}`, false},
		{`{"timestamp":99999999999999999999,"message":"m"}`, false},
		{`{"timestamp":1,"message":"m"} trailing`, false},
		{`{"timestamp":1,"message":"m"}{"timestamp":2}`, false},
		{`{"timestamp":1,"message":"ctl ` + "\x01" + `"}`, false},
		{`{"timestamp":1,"message":"m","extra":{"nested":true}}`, false},
		{`{"timestamp":1,"message":"unterminated}`, false},
		{`{"timestamp":1,"message":"m",}`, false},
		{`{"timestamp":1,"message":"bad escape \q"}`, false},
		{`{}`, false},
		{`[1,2]`, false},
		{`not json`, false},
	}
	intern := func(b []byte) string { return string(b) }
	for _, c := range lines {
		fast, ok := decodeLogLine([]byte(c.line), intern)
		if ok != c.fast {
			t.Errorf("%s: hand decoder took it = %v, want %v", c.line, ok, c.fast)
		}
		want, err := decodeLogLineJSON([]byte(c.line), intern)
		if ok {
			if err != nil {
				t.Errorf("%s: hand decoder accepted a line encoding/json rejects: %v", c.line, err)
			} else if fast != want {
				t.Errorf("%s: hand decoder gave %+v, encoding/json %+v", c.line, fast, want)
			}
		}
	}
}

func BenchmarkDecodeLogLine(b *testing.B) {
	line := []byte(`{"timestamp":1795612020811,"message":"2026-11-25T13:07:00.811Z  INFO 1 --- [order-api] [nio-8080-exec-10] [2ebeeba515ca3d424de0215c-f1f78c00e0a56718] c.a.orders.web.AccessLog                 : POST /api/orders 201 59ms","logStreamName":"ecs/order-api/a7d3f1c9e8b24b6a9c5d3e1f0a2b4c68","ingestionTime":1795612021511}`)
	idx := &logIndex{}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, ok := decodeLogLine(line, idx.internStream); !ok {
			b.Fatal("plain line not decoded")
		}
	}
}
