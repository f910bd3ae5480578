package logmine

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func addAll(m *Miner, lines ...string) []int {
	ids := make([]int, len(lines))
	for i, l := range lines {
		ids[i] = m.Add(l)
	}
	for i := range ids {
		ids[i] = m.Resolve(ids[i])
	}
	return ids
}

func TestTypedValues(t *testing.T) {
	cases := []struct{ line, want string }{
		{"Connection to 10.0.0.1:5432 refused after 41 ms (pool exhausted)", "Connection to <ip> refused after <dur> (pool exhausted)"},
		{"level=info msg=\"request done\" status=200 latency=3.2s", "level=info msg=\"request done\" status=<num> latency=<dur>"},
		{`{"level":"error","ts":"2024-05-01T09:02:11Z","attempt":3}`, `{"level":"error","ts":"<ts>","attempt":<num>}`},
		{"\tat com.example.OrderHandler.handle(OrderHandler.java:123)", "at com.example.OrderHandler.handle(OrderHandler.java:<num>)"},
		{"AccessDenied: arn:aws:iam::123456789012:role/app is not authorized", "AccessDenied: <arn> is not authorized"},
		{`10.1.2.3 - - [04/Dec/2005:04:47:44 +0000] "GET /index.html HTTP/1.1" 200 1234`, `<ip> - - <*> "GET /index.html HTTP/<num>" <num> <num>`},
		{"Task 3f2a1b4c-1234-4abc-a123-0123456789ab finished in 1.25s", "Task <uuid> finished in <dur>"},
		{"connection from 1.2.3.4 (host) at Sat Jul  9 22:53:22 2005", "connection from <ip> (<*>) at <ts>"},
		{"2015-10-18 18:01:47,978 INFO Created app", "<ts> INFO Created app"},
		{"object 0xdeadbeef freed, sha deadbeef01234567 at /var/lib/foo/bar.db size 512MB", "object <hex> freed, sha <hex> at <path> size <num>"},
		{"Received connection request /10.10.34.11:45307", "Received connection request /<ip>"},
		{"peer fe80::1ff:fe23:4567:890a port 22", "peer <ip> port <num>"},
		{"GET https://example.com/a/b?x=1 took 12ms", "GET <url> took <dur>"},
		{"purge at 10.0.0.1:50010 deletes chunk_1 chunk_-2 chunk_3", "purge at <ip> deletes <*>"},
	}
	for _, c := range cases {
		m := New(Config{})
		if got := m.Template(m.Add(c.line)); got != c.want {
			t.Errorf("%q\n got %q\nwant %q", c.line, got, c.want)
		}
	}
}

func TestVariableFirstToken(t *testing.T) {
	m := New(Config{})
	ids := addAll(m,
		"10.0.0.1 connected to gateway",
		"10.0.0.2 connected to gateway",
		"user alice logged in",
		"user bob logged in",
		"user carol logged in",
		"user dave logged in",
		"cupsd startup succeeded",
		"sshd startup succeeded",
		"klogd startup succeeded",
		"2024-05-01T09:02:11Z crond restarted",
		"2024-05-01T09:02:12Z sshd restarted",
		"2024-05-01T09:02:13Z ntpd restarted",
	)
	if ids[0] != ids[1] {
		t.Error("ip in the first token split the template")
	}
	if ids[2] != ids[3] || ids[3] != ids[4] || ids[4] != ids[5] {
		t.Errorf("user names did not generalise: %v", ids)
	}
	if got := m.Template(ids[2]); got != "user <*> logged in" {
		t.Errorf("template %q", got)
	}
	// a first word names the event or its source: three daemons' startups
	// are three events (Loghub labels them so)
	if ids[6] == ids[7] || ids[7] == ids[8] || ids[6] == ids[8] {
		t.Errorf("first words merged: %v", ids)
	}
	if ids[9] == ids[10] || ids[10] == ids[11] || ids[9] == ids[11] {
		t.Errorf("first words after a timestamp merged: %v", ids)
	}
}

func TestStateWordsAreNotValues(t *testing.T) {
	m := New(Config{})
	ids := addAll(m,
		"[instance: 1] VM Started (Lifecycle Event)",
		"[instance: 2] VM Stopped (Lifecycle Event)",
		"[instance: 3] VM Paused (Lifecycle Event)",
		"[instance: 4] VM Resumed (Lifecycle Event)",
		"onReceive action: android.intent.action.SCREEN_ON",
		"onReceive action: android.intent.action.SCREEN_OFF",
		"onReceive action: android.intent.action.TIME_TICK",
		"Resolved alpha to /default-rack",
		"Resolved Beta to /default-rack",
		"Resolved gamma to /default-rack",
		"retrying PutObject after 3 ms",
		"retrying GetItem after 5 ms",
		"retrying SendMessage after 9 ms",
	)
	seen := map[int]bool{}
	for _, id := range ids[:7] {
		if seen[m.Resolve(id)] {
			t.Errorf("capitalised states merged: %v", ids)
		}
		seen[m.Resolve(id)] = true
	}
	if m.Resolve(ids[7]) != m.Resolve(ids[8]) || m.Resolve(ids[8]) != m.Resolve(ids[9]) {
		t.Errorf("names with one capitalised did not generalise: %v", ids)
	}
	if m.Resolve(ids[10]) != m.Resolve(ids[11]) || m.Resolve(ids[11]) != m.Resolve(ids[12]) {
		t.Errorf("CamelCase identifiers did not generalise: %v", ids)
	}
}

func TestConstantWordsDoNotMerge(t *testing.T) {
	m := New(Config{})
	var a, b []int
	for i := 0; i < 100; i++ {
		a = append(a, m.Add(fmt.Sprintf("Connection opened to 10.0.0.%d port %d", i, 1000+i)))
		b = append(b, m.Add(fmt.Sprintf("Connection closed to 10.0.0.%d port %d", i, 1000+i)))
	}
	if m.Resolve(a[0]) == m.Resolve(b[0]) {
		t.Fatalf("opened/closed merged: %q", m.Template(a[0]))
	}
	for i := range a {
		if m.Resolve(a[i]) != m.Resolve(a[0]) || m.Resolve(b[i]) != m.Resolve(b[0]) {
			t.Fatal("one family split")
		}
	}
	// One-word messages never generalise.
	ids := addAll(m, "Starting", "Stopping", "Restarting", "Reloading")
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[0] {
			t.Error("single-word messages merged")
		}
	}
}

func TestResolveAfterMerge(t *testing.T) {
	m := New(Config{})
	a := m.Add("Invalid user guest from 1.2.3.4")
	b := m.Add("Invalid user test from 1.2.3.5")
	if a == b {
		t.Fatal("merged on two values; want at least three")
	}
	c := m.Add("Invalid user admin from 1.2.3.6")
	if m.Resolve(a) != c || m.Resolve(b) != c {
		t.Fatalf("resolve: %d %d -> %d %d, want %d", a, b, m.Resolve(a), m.Resolve(b), c)
	}
	if got := m.Template(a); got != "Invalid user <*> from <ip>" {
		t.Errorf("template %q", got)
	}
	cl := m.Clusters()
	if len(cl) != 1 || cl[0].Count != 3 {
		t.Fatalf("clusters %+v", cl)
	}
	if len(cl[0].Vars) != 2 || len(cl[0].Vars[0].Values) != 3 {
		t.Errorf("vars %+v", cl[0].Vars)
	}
	// A number where a word was is a variable at once.
	d := m.Add("Invalid user 1234 from 1.2.3.7")
	if m.Resolve(d) != c {
		t.Errorf("numeric user split: %q", m.Template(d))
	}
	// An empty value is a value: "rhost=" and "rhost=1.2.3.4".
	x := m.Add("auth failure; rhost=")
	y := m.Add("auth failure; rhost=1.2.3.4")
	if m.Resolve(x) != m.Resolve(y) {
		t.Errorf("empty value split: %q / %q", m.Template(x), m.Template(y))
	}
}

func TestVarStats(t *testing.T) {
	m := New(Config{TopValues: 4})
	for i := 0; i < 1000; i++ {
		m.Add(fmt.Sprintf("GET /api status %d in %d ms", []int{200, 200, 200, 500}[i%4], i))
	}
	cl := m.Clusters()
	if len(cl) != 1 {
		t.Fatalf("%d clusters", len(cl))
	}
	st := cl[0].Vars[0]
	if st.Type != "<num>" || st.Values[0].Text != "200" || st.Values[0].Count != 750 || st.Values[1].Text != "500" {
		t.Errorf("status stats %+v", st)
	}
	if cl[0].Sample != "GET /api status 200 in 0 ms" {
		t.Errorf("sample %q", cl[0].Sample)
	}
}

func TestLongEmptyInvalid(t *testing.T) {
	m := New(Config{})
	long := strings.Repeat("word 12 ", 20000)
	id := m.Add(long)
	tpl := m.Template(id)
	if !strings.HasSuffix(tpl, "<...>") || len(tpl) > 1000 {
		t.Errorf("long line template %d bytes, ends %q", len(tpl), tpl[max(0, len(tpl)-20):])
	}
	if m.Add(long) != id {
		t.Error("long line not stable")
	}
	huge := strings.Repeat("x", 1<<20)
	m.Add(huge)
	e := m.Add("")
	if m.Add("   \t ") != e || m.Template(e) != "" {
		t.Error("empty and blank lines differ")
	}
	for _, l := range []string{"\xff\xfe bad \xc3", "\xc3", "a=\xff1", "\x00\x01 0x", "[", "/", "::", "1e", "-", "..1..", "arn:"} {
		m.Add(l)
	}
	for _, c := range m.Clusters() {
		for _, v := range c.Vars {
			for _, x := range v.Values {
				if len(x.Text) > maxVal {
					t.Errorf("value not bounded: %d", len(x.Text))
				}
			}
		}
	}
	if !utf8.ValidString(m.Template(m.Add("ok ü 1"))) {
		t.Error("valid utf-8 broken")
	}
}

func TestBoundedTemplates(t *testing.T) {
	m := New(Config{MaxTemplates: 32})
	for i := 0; i < 5000; i++ {
		// two distinct constant words: every line is a new template
		m.Add(fmt.Sprintf("event %s happened to %s", letters(i), letters(i*7+3)))
		m.Add("steady state message number 7")
	}
	if m.Len() > 32 {
		t.Fatalf("%d templates live, cap 32", m.Len())
	}
	cl := m.Clusters()
	total := 0
	other := false
	for _, c := range cl {
		total += c.Count
		if c.Template == "<other>" {
			other = true
		}
	}
	if total != 10000 || !other {
		t.Errorf("total %d, other cluster %v", total, other)
	}
	if cl[0].Template != "steady state message number <num>" {
		t.Errorf("busiest template evicted? first is %q", cl[0].Template)
	}
	if len(m.cache) > m.cap {
		t.Errorf("cache %d > %d", len(m.cache), m.cap)
	}
}

func letters(i int) string {
	b := []byte{'a' + byte(i%26)}
	for i /= 26; i > 0; i /= 26 {
		b = append(b, 'a'+byte(i%26))
	}
	return string(b)
}

// Memory must not grow with lines once templates are stable: no
// allocation per line, whatever the values.
func TestSteadyStateAllocs(t *testing.T) {
	m := New(Config{})
	lines := syntheticLines(2000)
	for _, l := range lines {
		m.Add(l)
	}
	i := 0
	a := testing.AllocsPerRun(5000, func() {
		m.Add(lines[i%len(lines)])
		i++
	})
	if a > 0.01 {
		t.Errorf("%.3f allocs per line", a)
	}
}

func TestSyntheticFamilies(t *testing.T) {
	lines := syntheticLines(4000)
	ids, m := mineAll(lines)
	if m.Len() != 8 {
		for _, c := range m.Clusters() {
			t.Logf("%5d %s", c.Count, c.Template)
		}
		t.Errorf("%d templates for 8 families", m.Len())
	}
	_ = ids
}

func FuzzAdd(f *testing.F) {
	for _, l := range syntheticLines(20) {
		f.Add(l)
	}
	f.Add("")
	f.Add("\xff")
	for _, l := range []string{`tag="View Lock", ws=WorkSource{1 a}, x=[1, 2`, `{"a": "b c", "d":{"e":1},`, `{"x":"\"",}`,
		"0 bytes (1.2 KB) sent, lifetime <1 sec", "a= =\" k='", "( 1 2 ) () [] '' x=(", "C:\\ \\\\a www.a.com:1 f.exe *64"} {
		f.Add(l)
	}
	// Inputs of many lines: long records with many fields that generalise
	// at different fields in different orders (the shape that once broke
	// merge), and the lines of that CloudFront log reduced to a few members.
	for seed := int64(1); seed <= 4; seed++ {
		f.Add(strings.Join(wideRecords(seed, 60), "\n"))
	}
	f.Add(strings.Join(wideRecords(7, 300), "\n")) // broke merge by line 300
	cf := func(stem, id string) string {
		return `{"c-ip":"10.0.0.1","cs-method":"GET","cs-uri-stem":"` + stem + `","sc-status":"200","x-edge-request-id":"` + id + `","x-edge-result-type":"Hit"}`
	}
	f.Add(strings.Join([]string{cf("/products/oak-desk", "OB5LX3=="), cf("/", "NFWXC=="), cf("/", "GILVM=="),
		cf("/products/linen-sofa", "BQCU4Y4=="), cf("/", "QENB6H=="), cf("/", "UUOVV=="), cf("/collections/outdoor", "GSQBK==")}, "\n"))
	f.Fuzz(func(t *testing.T, s string) {
		// a tiny miner (eviction, the "<...>" tail of long lines, each line
		// also shifted by a word) ...
		lines := strings.Split(s, "\n")
		m := New(Config{MaxTemplates: 4, MaxTokens: 8})
		for _, l := range lines {
			id := m.Add(l)
			m.Template(id)
			m.Add(l + " x")
			m.Add("x " + l)
			checkLayout(t, m)
		}
		m.Clusters()
		// ... and one that looks at every field of a long line, in order
		m = New(Config{MaxTemplates: 200})
		for _, l := range lines {
			m.Template(m.Add(l))
			checkLayout(t, m)
		}
		m.Clusters()
	})
}

// Lines of one event that differ only in value spans of different token
// lengths are one template: lists of any length, a duration in any shape.
// A value with an annotation in parentheses is another shape of event
// (Loghub labels "0 bytes sent" and "1190 bytes (1.16 KB) sent" apart).
func TestValueSpansOfAnyLength(t *testing.T) {
	m := New(Config{})
	ids := addAll(m,
		"www.example.com:443 close, 1190 bytes (1.16 KB) sent, 1720 bytes (1.67 KB) received, lifetime 00:02",
		"api.github.com:443 close, 11 bytes (1.16 KB) sent, 2345678 bytes (2.24 MB) received, lifetime <1 sec",
		"10.1.2.3:8080 close, 4003 bytes (3.9 KB) sent, 2345678 bytes (2.24 MB) received, lifetime 01:02:03",
		"mail.example.org:993 close, 12 bytes sent, 9 bytes received, lifetime 62 s",
		"Fan speeds ( 3552 )",
		"Fan speeds ( 3552 3534 3375 4245 )",
		"Revoke previously assigned partitions orders-3",
		"Revoke previously assigned partitions orders-3, payments-7, orders-11",
		"connection from 10.0.0.1 () at Sat Jul  9 22:53:22 2005",
		"connection from 10.0.0.2 (gw.example.net) at Sat Jul  9 22:54:22 2005",
		"mail.example.org:993 close, 0 bytes sent, 0 bytes received, lifetime <1 sec",
		"chrome.exe - www.example.com:443 open through proxy 10.0.0.1:3128 HTTPS",
		"git-remote-https.exe *64 - api.github.com:443 open through proxy 10.0.0.1:3128 HTTPS",
	)
	for _, g := range [][]int{{0, 1, 2}, {3, 10}, {4, 5}, {6, 7}, {8, 9}, {11, 12}} {
		for _, i := range g[1:] {
			if ids[i] != ids[g[0]] {
				t.Errorf("split:\n  %q\n  %q", m.Template(ids[g[0]]), m.Template(ids[i]))
			}
		}
	}
	if got := m.Template(ids[0]); got != "<*> close, <num> (<num>) sent, <num> (<num>) received, lifetime <*>" {
		t.Errorf("template %q", got)
	}
	if ids[0] == ids[3] || ids[0] == ids[4] || ids[4] == ids[6] {
		t.Error("different events merged")
	}
}

func TestMoreValueKinds(t *testing.T) {
	cases := []struct{ line, want string }{
		{"resolved www.example.com through proxy.corp.local", "resolved <host> through <host>"},
		{"launched com.example.app from org.apache.http", "launched com.example.app from org.apache.http"},
		{"loaded cbscore.dll from C:\\Windows\\winsxs\\x\\cbscore.dll", "loaded <path> from <path>"},
		{"Reboot mark set, reboot required: False", "Reboot mark set, reboot required: <*>"},
		{"setLightsOn(true)", "setLightsOn(<*>)"},
		{`acquire lock=1, tag="View Lock", ws=WorkSource{10023 com.example}, uid=5`, `acquire lock=<num>, tag="<*>", ws=<*>, uid=<num>`},
		{"sched: Allocate NodeList=cn[001-004] #CPUs=32", "sched: Allocate NodeList=<*> #CPUs=<num>"},
		{"GC freed 512M in 3.5e-3 s, delta -12", "GC freed <num> in <dur>, delta <num>"},
		// Java packages and dotted configuration keys name code, not values
		{"Registering class org.apache.hadoop.Foo for mapred.task.id", "Registering class org.apache.hadoop.Foo for mapred.task.id"},
		// a logfmt message keeps its words
		{`level=info msg="request done" status=200`, `level=info msg="request done" status=<num>`},
	}
	for _, c := range cases {
		m := New(Config{})
		if got := m.Template(m.Add(c.line)); got != c.want {
			t.Errorf("%q\n got %q\nwant %q", c.line, got, c.want)
		}
	}
}

// Structured (JSON) lines, such as Lambda's JSON-format system logs, keep
// their keys and type their values, however long the line (issue 18).
func TestJSONLines(t *testing.T) {
	m := New(Config{})
	var ids []int
	for i := 0; i < 20; i++ {
		ids = append(ids, m.Add(fmt.Sprintf(`{"time":"2024-05-01T09:02:%02d.123Z","type":"platform.report","record":{"requestId":"6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a%02d","metrics":{"durationMs":%d.25,"billedDurationMs":%d,"memorySizeMB":128,"maxMemoryUsedMB":%d},"status":"success"}}`, i, i, 100*i, 100*i+1, 60+i)))
	}
	start := m.Add(`{"time":"2024-05-01T09:02:11.123Z","type":"platform.start","record":{"requestId":"6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f","version":"$LATEST"}}`)
	for _, id := range ids {
		if m.Resolve(id) != m.Resolve(ids[0]) {
			t.Fatalf("platform.report split: %q / %q", m.Template(ids[0]), m.Template(id))
		}
	}
	want := `{"time":"<ts>","type":"platform.report","record":{"requestId":"<uuid>","metrics":{"durationMs":<num>,"billedDurationMs":<num>,"memorySizeMB":<num>,"maxMemoryUsedMB":<num>},"status":"success"}}`
	if got := m.Template(ids[0]); got != want {
		t.Errorf("template\n got %s\nwant %s", got, want)
	}
	if m.Resolve(start) == m.Resolve(ids[0]) {
		t.Error("platform.start merged with platform.report")
	}
	if got := m.Template(m.Add(`{"a": 1, "b": "two words", "c": null}`)); got != `{"a": <num>, "b": "two words", "c": <*>}` {
		t.Errorf("spaced JSON: %q", got)
	}
}

// A value span is counted whole, and a template has as many variable
// statistics as placeholders, whatever shapes its values came in.
func TestSpanStats(t *testing.T) {
	m := New(Config{})
	addAll(m,
		"sent 1190 bytes to 10.0.0.1 (gw) in 00:02",
		"sent 0 bytes to 10.0.0.2 (db) in <1 sec",
		"sent 7 bytes to 10.0.0.3 (gw) in 62 s",
		"status 500",
		"status 200 1234",
		"status 404 0",
	)
	cl := m.Clusters()
	if len(cl) != 2 {
		t.Fatalf("%d clusters: %+v", len(cl), cl)
	}
	for _, c := range cl {
		if n := strings.Count(c.Template, "<"); n != len(c.Vars) {
			t.Errorf("%q: %d placeholders, %d variables", c.Template, n, len(c.Vars))
		}
		if c.Template == "status <*>" {
			got := map[string]bool{}
			for _, v := range c.Vars[0].Values {
				got[v.Text] = true
			}
			if !got["200 1234"] || !got["500"] {
				t.Errorf("lists not counted whole: %+v", c.Vars[0].Values)
			}
		}
	}
}
