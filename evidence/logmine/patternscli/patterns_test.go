package patternscli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunPatterns(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

const input = "Connection to 10.0.0.1:5432 refused after 41 ms (pool exhausted)\r\n" +
	"User alice logged in\n" +
	"Connection to 10.0.0.2:5432 refused after 45 ms (pool exhausted)\n" +
	"User bob logged in\n" +
	"User carol logged in\n" +
	"Connection to 10.0.0.1:5432 refused after 12 ms (pool exhausted)\n" +
	"disk /dev/sda1 full" // no final newline

func TestSummary(t *testing.T) {
	out, errs, code := run(t, input)
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	want := []string{
		"7 lines, 3 templates",
		"       3  Connection to <ip> refused after <dur> (pool exhausted)",
		"e.g. Connection to 10.0.0.1:5432 refused after 41 ms (pool exhausted)",
		`1 <ip>: "10.0.0.1:5432" x2, "10.0.0.2:5432" x1`,
		"       3  User <*> logged in",
		"       1  disk <path> full",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("summary lacks %q:\n%s", w, out)
		}
	}
	if strings.Index(out, "Connection to") > strings.Index(out, "disk <path>") {
		t.Error("not most frequent first")
	}
}

func TestJSONL(t *testing.T) {
	out, _, code := run(t, input, "--format", "jsonl")
	if code != 0 {
		t.Fatal(code)
	}
	type rec struct {
		Line       int    `json:"line"`
		TemplateID string `json:"template_id"`
		Template   string `json:"template"`
	}
	var recs []rec
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var x rec
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		recs = append(recs, x)
	}
	if len(recs) != 7 {
		t.Fatalf("%d records", len(recs))
	}
	for i, r := range recs {
		if r.Line != i+1 {
			t.Errorf("line %d numbered %d", i+1, r.Line)
		}
	}
	// final templates: the first "User" line already has the generalised one
	if recs[1].Template != "User <*> logged in" || recs[1].TemplateID != recs[4].TemplateID {
		t.Errorf("user lines: %+v %+v", recs[1], recs[4])
	}
	if recs[0].TemplateID != recs[5].TemplateID || recs[0].TemplateID == recs[1].TemplateID {
		t.Errorf("ids: %+v", recs)
	}
}

func TestFileAndErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.log")
	os.WriteFile(p, []byte(input), 0o644)
	out, _, code := run(t, "", p, "--max-templates", "100")
	if code != 0 || !strings.HasPrefix(out, "7 lines, 3 templates") {
		t.Errorf("file: %d %q", code, out)
	}
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--bogus"},
		{"--max-templates", "x"},
		{"--max-templates", "-1"},
		{filepath.Join(dir, "missing.log")},
		{p, p},
		{dir}, // a directory cannot be read
	} {
		out, errs, code := run(t, "", args...)
		if code != 2 || errs == "" || out != "" {
			t.Errorf("%v: code %d stderr %q stdout %q", args, code, errs, out)
		}
	}
	out, _, code = run(t, "", "-h")
	if code != 0 || !strings.Contains(out, "usage: fa2 patterns") {
		t.Errorf("-h: %d %q", code, out)
	}
	out, _, code = run(t, "")
	if code != 0 || out != "0 lines, 0 templates\n" {
		t.Errorf("empty input: %d %q", code, out)
	}
}

func TestLongLine(t *testing.T) {
	long := strings.Repeat("a1 ", 1<<20) // 3 MiB, longer than the read buffer
	in := "short line\n" + long + "\nshort line\n"
	out, _, code := run(t, in, "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("code %d, %d lines", code, strings.Count(out, "\n"))
	}
	if !strings.Contains(out, `{"line":3,"template_id":"0","template":"short line"}`) {
		t.Errorf("line after the long one: %s", out[len(out)-200:])
	}
}

// BenchmarkSummary runs the whole command on the loghub-2k Content lines
// repeated (read in place, never copied), as "fa2 patterns" would see a
// big file.
func BenchmarkSummary(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "Connection to 10.0.%d.%d:5432 refused after %d ms (pool exhausted)\n", i%256, i/256, i%500)
		fmt.Fprintf(&sb, "User user%d logged in from 192.168.1.%d\n", i%50, i%256)
		fmt.Fprintf(&sb, "GET /api/v1/items/%d status=%d latency=%d.%dms\n", i, 200+i%3*100, i%90, i%10)
	}
	data := sb.String()
	lines := strings.Count(data, "\n")
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		if RunPatterns(nil, strings.NewReader(data), &out, &out) != 0 {
			b.Fatal(out.String())
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
}

// A value written in several tokens is one placeholder in the summary, and
// a Lambda JSON log line keeps its keys.
func TestSummaryValueSpansAndJSON(t *testing.T) {
	in := "chrome.exe - www.example.com:443 close, 1190 bytes (1.16 KB) sent, 18846 bytes (18.4 KB) received, lifetime 00:02\n" +
		"git-remote-https.exe *64 - api.github.com close, 2210 bytes (2.16 KB) sent, 9046 bytes (8.8 KB) received, lifetime <1 sec\n" +
		`{"time":"2024-05-01T09:02:11.123Z","type":"platform.start","record":{"requestId":"6f2a1c3e-0b7d-4c1e-9f3a-2b8e4d5c6a7f","version":"$LATEST"}}` + "\n" +
		`{"time":"2024-05-01T09:02:12.456Z","type":"platform.start","record":{"requestId":"0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","version":"$LATEST"}}` + "\n"
	out, errs, code := run(t, in)
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	for _, w := range []string{
		"4 lines, 2 templates",
		"       2  <*> - <host> close, <num> (<num>) sent, <num> (<num>) received, lifetime <*>",
		`<*>: "chrome.exe" x1, "git-remote-https.exe *64" x1`,
		`<host>: "www.example.com:443" x1, "api.github.com" x1`,
		`<*>: "00:02" x1, "<1 sec" x1`,
		`       2  {"time":"<ts>","type":"platform.start","record":{"requestId":"<uuid>","version":"$LATEST"}}`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("summary lacks %q:\n%s", w, out)
		}
	}
}

// A huge line is mined from its head, counted, and costs no more memory
// than the cap (a 200 MB line once cost 687 MB).
func TestEachLineCapsLongLines(t *testing.T) {
	huge := "ERROR " + strings.Repeat("x", 5<<20)
	in := strings.NewReader("first line\n" + huge + "\nlast line")
	var lens []int
	n, cut, err := eachLine(in, func(b []byte) { lens = append(lens, len(b)) })
	if err != nil || n != 3 || cut != 1 {
		t.Fatalf("n=%d cut=%d err=%v, want 3 lines, 1 cut", n, cut, err)
	}
	if lens[0] != len("first line") || lens[1] != maxLineBytes || lens[2] != len("last line") {
		t.Errorf("line lengths %v, want [10 %d 9]", lens, maxLineBytes)
	}
}
