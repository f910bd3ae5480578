package evidence

import "testing"

// Level lines as the Lambda runtimes and common loggers write them
// (Lambda formats: docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html,
// java-logging.html, python-logging.html, monitoring-cloudwatchlogs-advanced.html).
func TestSeverityRuntimeLines(t *testing.T) {
	cases := []struct{ msg, want string }{
		// Node.js: time, request id, level, message, tab separated
		{"2024-05-01T09:02:11.123Z\t6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f\tERROR\tInvoke Error \t{\"errorType\":\"Error\",\"errorMessage\":\"boom\"}", SevError},
		{"2024-05-01T09:02:11.123Z\t6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f\tWARN\tretrying GetItem after 200 ms", SevWarn},
		{"2024-05-01T09:02:11.123Z\t6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f\tINFO\torder stored", SevInfo},
		// Java (log4j2 layout of the Lambda Java runtime)
		{"2024-05-01 09:02:11 6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f INFO  Handler - processed 12 records", SevInfo},
		{"2024-05-01 09:02:11 6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f ERROR Handler - could not write", SevError},
		// Python
		{"[ERROR]\t2024-05-01T09:02:11.123Z\t6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f\tboom", SevError},
		// the platform's own failure lines carry no level
		{"2024-05-01T09:02:14.130Z 6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f Task timed out after 3.00 seconds", SevError},
		{"Task timed out after 900.10 seconds", SevError},
		{`{"time":"2024-05-01T09:02:14.130Z","type":"platform.report","record":{"requestId":"6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f","metrics":{"durationMs":3000.0},"status":"timeout"}}`, SevError},
		// JSON application logs: the level after a timestamp member
		{`{"timestamp":"2024-05-01T09:02:11.123Z","level":"WARN","message":"slow","requestId":"6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f"}`, SevWarn},
		{"level=error msg=\"request failed\"", SevError},
		// no level: prose words past the sixth do not count
		{"START RequestId: 6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f Version: $LATEST", ""},
		{"the job ran for a while and then reported an error", ""},
		{`{"time":"2024-05-01T09:02:11.123Z","type":"platform.report","record":{"status":"success"}}`, ""},
	}
	for _, c := range cases {
		if got := Severity(c.msg); got != c.want {
			t.Errorf("Severity(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}

// A level the line states wins: pino's and bunyan's numeric levels in a
// JSON record, a level word in the record's own member, a late level=,
// uvicorn's "INFO:" prefix — over the message's words and over a guess
// from a 5xx status. Numbers in a member called level that is not a
// logger's (a game's, a battery's, a nested one) are not levels.
func TestSeverityStatedLevelWins(t *testing.T) {
	cases := []struct{ msg, want string }{
		// pino (Node.js) defaults: level, time, pid, hostname, msg
		{`{"level":30,"time":1764612000000,"pid":7,"hostname":"web-1","msg":"request completed","res":{"statusCode":500},"responseTime":12}`, SevInfo},
		{`{"level":40,"time":1764612000000,"pid":7,"hostname":"web-1","msg":"pool nearly exhausted"}`, SevWarn},
		{`{"level":50,"time":1764612000000,"pid":7,"hostname":"web-1","msg":"connect ECONNREFUSED 10.0.3.4:5432"}`, SevError},
		{`{"level":60,"time":1764612000000,"pid":7,"hostname":"web-1","msg":"uncaught exception, exiting"}`, SevFatal},
		{`{"level":20,"time":1764612000000,"msg":"cache miss"}`, SevDebug},
		{`{"level":10,"time":1764612000000,"msg":"entering handler"}`, SevDebug},
		{`{ "level" : 50 , "msg" : "spaced" }`, SevError},
		// the message says "error", the record says info
		{`{"level":30,"time":1764612000000,"msg":"error budget at 98%"}`, SevInfo},
		// bunyan: level after name, hostname and pid
		{`{"name":"orders","hostname":"ip-10-0-1-23","pid":41,"level":50,"msg":"payment failed","time":"2026-12-01T18:15:00.000Z","v":0}`, SevError},
		// a level word in the record's member, far from the start, beats a status
		{`{"requestId":"6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f","path":"/api/v1/orders/checkout/confirm","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36","status":503,"level":"info","msg":"upstream answered"}`, SevInfo},
		// logfmt with the level after a long message
		{`time=2026-12-01T18:15:00Z msg="proxied request to the upstream pool" path=/checkout status=502 level=warn`, SevWarn},
		// uvicorn access lines: INFO whatever the status
		{`INFO:     10.0.1.5:53422 - "GET /health HTTP/1.1" 200 OK`, SevInfo},
		{`INFO:     10.0.1.5:53422 - "POST /orders HTTP/1.1" 500 Internal Server Error`, SevInfo},
		{`ERROR:    Exception in ASGI application`, SevError},
		// no level at all: a 5xx access line is still a failed request
		{`10.0.1.5 - - [01/Dec/2026:18:15:00 +0000] "GET /orders HTTP/1.1" 500 123`, SevError},
		// python-json-logger, structlog/GCP-style and ECS-format loggers
		{`{"asctime":"2026-12-01 08:54:02,114","name":"claims.worker","levelname":"ERROR","message":"ConnectTimeoutError: Connect timeout on endpoint URL"}`, SevError},
		{`{"timestamp":"2026-12-01T08:54:02Z","severity":"WARNING","message":"retrying","error":"timeout"}`, SevWarn},
		{`{"@timestamp":"2026-12-01T08:54:02Z","log.level":"info","message":"served","http.response.status_code":500}`, SevInfo},
		// not loggers' levels
		{`{"player":"ann","level":3,"time":1764612000000,"msg":"level up"}`, ""},
		{`{"device":"sensor-4","level":30,"unit":"percent"}`, ""},
		{`{"time":1764612000000,"msg":"battery","battery":{"level":50}}`, ""},
		{`{"level":35,"time":1764612000000,"msg":"custom"}`, ""},
		{`{"msg":"the key \"level\":50 in a string","time":1}`, ""},
		{`the operator ran the script that then set loglevel=error`, ""},
	}
	for _, c := range cases {
		if got := Severity(c.msg); got != c.want {
			t.Errorf("Severity(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}

// BenchmarkSeverity: the level of every line is read when a snapshot is
// indexed; JSON records now have their members walked.
func BenchmarkSeverity(b *testing.B) {
	lines := []string{
		`{"level":30,"time":1764612000000,"pid":7,"hostname":"web-1","msg":"request completed","res":{"statusCode":200},"responseTime":12}`,
		`2024-05-01T09:02:11.123Z	6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f	INFO	order stored`,
		`10.1.2.3 - - [04/Dec/2005:04:47:44 +0000] "GET /index.html HTTP/1.1" 200 1234`,
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Severity(lines[i%len(lines)])
	}
}

// FuzzSeverity: any line, JSON-looking or cut anywhere, gets a level or
// none, never a panic; a JSON record's stated numeric level is one of
// the six levels.
func FuzzSeverity(f *testing.F) {
	for _, s := range []string{
		`{"level":30,"time":1764612000000,"pid":7,"hostname":"web-1","msg":"request completed","res":{"statusCode":500}}`,
		`{"name":"orders","hostname":"h","pid":41,"level":50,"msg":"x\"y","time":"2026-12-01T18:15:00.000Z","v":0}`,
		`{ "level" : "warn" , "msg" : "spaced" }`, `{"level":`, `{"level"`, `{"a":{"level":50},"level":[1,{"x":"}"}]}`,
		`time=2026 msg="a b" level=warn`, `level=`, `INFO:     10.0.1.5:53422 - "GET /health HTTP/1.1" 200 OK`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch sev := Severity(s); sev {
		case "", SevFatal, SevError, SevWarn, SevInfo, SevDebug:
		default:
			t.Fatalf("Severity(%q) = %q", s, sev)
		}
		jsonLevel(s)
	})
}
