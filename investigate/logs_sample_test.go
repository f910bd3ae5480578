package investigate

import (
	"strings"
	"testing"
)

func TestHiddenValue(t *testing.T) {
	cases := []struct {
		template, sample, want string
		aligned                bool
	}{
		{`time=<ts> level=error msg="db connect failed" err="<*>" pool=primary attempt=<num>`,
			`time=2026-12-03T16:10:06.849Z level=error msg="db connect failed" err="dial tcp: lookup db.internal: no such host" pool=primary attempt=3`,
			"dial tcp: lookup db.internal: no such host", true},
		{`upload failed for tenant <*>`, `upload failed for tenant t-0001`, "", true},
		{`<ts> [error] <*> upstream timed out`, `2026/12/07 19:30:31 [error] 2211#2211: *194996 upstream timed out`, "", true},
		{`job <num> failed: <*>`, `something else entirely`, "", false},
	}
	for _, c := range cases {
		got, aligned := hiddenValue(c.template, c.sample)
		if got != c.want || aligned != c.aligned {
			t.Errorf("hiddenValue(%q, %q) = %q, %v; want %q, %v", c.template, c.sample, got, aligned, c.want, c.aligned)
		}
	}
}

func TestStackFramesNameNothing(t *testing.T) {
	py := "job 7 failed\nTraceback (most recent call last):\n  File \"/app/jobs.py\", line 142, in run\n    data_key = self.envelope.unwrap(job.wrapped_key)\nbotocore.errorfactory.DisabledException: key arn:aws:kms:us-east-1:1:key/abc-1234 is disabled"
	if !stackTrace.MatchString(py) {
		t.Fatal("a Python traceback is not recognised")
	}
	got := messageLines(py)
	for _, id := range identifiers(got) {
		if id == "data_key" || id == "job.wrapped_key" {
			t.Errorf("a source line's variable %q is a name", id)
		}
	}
	if !strings.Contains(got, "DisabledException") {
		t.Errorf("the exception line is lost: %q", got)
	}
	if stackTrace.MatchString("payload {\n  \"table\": \"orders\"\n}") {
		t.Error("pretty-printed JSON is taken for a stack trace")
	}
}
