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
