package snapshot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// obsWithXRay is the obs snapshot with the X-Ray file given.
func obsWithXRay(t *testing.T, xray string) *Store {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"manifest.json"} {
		b, err := os.ReadFile(filepath.Join("testdata/obs", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "xray"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "xray", "traces.json"), []byte(xray), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// X-Ray files are streamed; a file the stream does not expect is read
// whole, as before, so both give the same traces and the same errors.
func TestXRayFilesReadTheSameStreamedOrWhole(t *testing.T) {
	orig, err := os.ReadFile("testdata/obs/xray/traces.json")
	if err != nil {
		t.Fatal(err)
	}
	plain := obsWithXRay(t, string(orig))
	want, err := plain.TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow})
	if err != nil || len(want.Summaries) == 0 {
		t.Fatalf("plain file: %+v, %v", want, err)
	}
	// encoding/json matches keys case-insensitively and ignores unknown
	// ones: the streaming reader steps aside for the first.
	lower := strings.Replace(string(orig), `"Traces"`, `"traces"`, 1)
	extra := strings.Replace(string(orig), `{`, `{"UnprocessedTraceIds":[],"NextToken":null,`, 1)
	for name, text := range map[string]string{"lower-case key": lower, "extra keys": extra} {
		got, err := obsWithXRay(t, text).TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow})
		if err != nil || !reflect.DeepEqual(got.Summaries, want.Summaries) {
			t.Errorf("%s: summaries differ from the plain file's (err %v)", name, err)
		}
	}
	for name, text := range map[string]string{
		"trailing data": string(orig) + ` {"Traces":[]}`,
		"truncated":     string(orig[:len(orig)/2]),
	} {
		_, err := obsWithXRay(t, text).TraceSummaries(ctx, telemetry.TraceQuery{Window: obsWindow})
		if err == nil || !strings.Contains(err.Error(), "traces.json") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
	// A trace asked for by id is read again from its file: the same trace
	// as a whole-file parse gives.
	var raw rawBatchGetTraces
	if err := decodeJSONFile("testdata/obs/xray/traces.json", &raw); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := range raw.Traces {
		full := parseTrace("", i, &raw.Traces[i], nil)
		if len(full.Segments) == 0 || seen[full.ID] {
			continue
		}
		seen[full.ID] = true
		got, err := plain.Traces(ctx, []string{full.ID})
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], full) {
			t.Errorf("trace %s read again = %+v, %v; want %+v", full.ID, got, err, full)
		}
	}
}

// The hand scanner gives exactly what encoding/json gives, or steps aside.
func TestScanTracesAgreesWithEncodingJSON(t *testing.T) {
	whole := func(text string) ([]rawTrace, error) {
		var raw rawBatchGetTraces
		err := json.Unmarshal([]byte(text), &raw)
		return raw.Traces, err
	}
	scan := func(text string) ([]rawTrace, error) {
		var got []rawTrace
		err := scanTraces(strings.NewReader(text), func(pos int, rt *rawTrace) {
			if pos != len(got) {
				t.Fatalf("position %d, want %d", pos, len(got))
			}
			got = append(got, *rt)
		})
		return got, err
	}
	var files []string
	for _, dir := range []string{"testdata/obs/xray", "testdata/realworld/xray"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, string(b))
		}
	}
	if len(files) < 2 {
		t.Fatal("no X-Ray test files")
	}
	doc := `{\"id\":\"a1\",\"name\":\"api\",\"start_time\":1.5,\"end_time\":2,\"cause\":{\"exceptions\":[{\"message\":\"tab\\there \\\"q\\\" \\\\ \\/ caf\u00e9 \ud83d\ude00 é\"}]}}`
	cases := []struct {
		text string
		fast bool
	}{
		{`{"Traces":[{"Id":"1-a","Duration":0.25,"Segments":[{"Id":"s","Document":"` + doc + `"}]}],"UnprocessedTraceIds":["x"],"NextToken":null}`, true},
		{` { "Traces" : [ ] , "NextToken" : "t" } ` + "\n", true},
		{`{"Traces":[{"Id":"1-b","Duration":-0,"Segments":[]},{"Segments":[{"Document":"{}","Id":"z"}],"Duration":12e-1,"Id":"1-c"}]}`, true},
		{`{}`, true},
		{`{"traces":[{"Id":"1-a"}]}`, false},
		{`{"Traces":[{"id":"1-a"}]}`, false},
		{`{"Traces":[{"Id":"1-a","Id":"1-b"}]}`, false},
		{`{"Traces":[{"Id":"1-a","Duration":01}]}`, false},
		{`{"Traces":[{"Id":"1-a","Duration":null}]}`, false},
		{`{"Traces":[{"Id":"1-a","Annotations":{}}]}`, false},
		{`{"Traces":[{"Id":"bad ` + "\xff" + `"}]}`, false},
		{`{"Traces":[{"Id":"ctl ` + "\x01" + `"}]}`, false},
		{`{"Traces":[{"Id":"bad escape \q"}]}`, false},
		{`{"Traces":[]} trailing`, false},
		{`{"Traces":[],"Traces":[]}`, false},
		{`{"Traces":[{"Id":"1-a"}`, false},
		{`[]`, false},
	}
	for _, f := range files {
		cases = append(cases, struct {
			text string
			fast bool
		}{f, true})
	}
	for _, c := range cases {
		got, err := scan(c.text)
		if (err == nil) != c.fast {
			t.Errorf("%.80s: scanned = %v (%v), want %v", c.text, err == nil, err, c.fast)
			continue
		}
		if err != nil {
			continue
		}
		want, werr := whole(c.text)
		if werr != nil {
			t.Errorf("%.80s: scanned a file encoding/json rejects: %v", c.text, werr)
		} else if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("%.80s: scanned %+v, encoding/json %+v", c.text, got, want)
		}
	}
}
