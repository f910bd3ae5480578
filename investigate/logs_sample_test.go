package investigate

import "testing"

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
