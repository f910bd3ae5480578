package snapshot

import (
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
