package tools

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/snapshot"
)

// Every free-text argument is capped before work starts, and the error
// names the argument and its size without echoing it.
func TestHostileArgumentsAreBoundedAndNotEchoed(t *testing.T) {
	env := snapshotEnv(t, demoSnapshot)
	huge := strings.Repeat("!", 1_000_000) + "fault"
	long := strings.Repeat("x", MaxTextArg+1)
	cases := []struct {
		tool Tool
		args any
		want string
	}{
		{GetTraces(), map[string]any{"filter_expression": huge}, "more than the"},
		{GetTraces(), map[string]any{"filter_expression": strings.Repeat("!", 2000) + "fault"}, "nests more than"},
		{QueryLogs(), map[string]any{"filter": long}, `argument "filter" is 2049 characters long`},
		{QueryLogs(), map[string]any{"log_groups": []string{long}}, `argument "log_groups"`},
		{QueryLogs(), map[string]any{"log_groups": make([]string, MaxListArg+1)}, "101 items"},
		{QueryCloudTrail(), map[string]any{"resource": long}, `argument "resource"`},
		{QueryLogs(), map[string]any{"start": long}, `argument "start"`},
	}
	for _, tc := range cases {
		raw, _ := json.Marshal(tc.args)
		res := call(t, env, tc.tool, string(raw))
		got := text(res)
		if !res.IsError || !strings.Contains(got, tc.want) {
			t.Errorf("%s with %d bytes of arguments: isError=%v, text %q; want an error containing %q", tc.tool.Name, len(raw), res.IsError, clip(got, 200), tc.want)
		}
		if len(got) > 2*maxErrorChars {
			t.Errorf("%s: error is %d bytes; it must not echo the input", tc.tool.Name, len(got))
		}
	}
	// A raw Logs Insights query may be longer than other text, up to AWS's own limit.
	res := call(t, env, QueryLogs(), `{"query":"`+strings.Repeat("a", 5000)+`"}`)
	if strings.Contains(text(res), "characters long") {
		t.Errorf("a 5,000-character query must pass the bound (maxlen 10000): %s", clip(text(res), 200))
	}
}

func TestArgumentsObjectOverLimit(t *testing.T) {
	env := snapshotEnv(t, demoSnapshot)
	raw := `{"filter":"` + strings.Repeat("a", MaxArgsBytes) + `"}`
	res := call(t, env, QueryLogs(), raw)
	if !res.IsError || !strings.Contains(text(res), "more than the 65536 allowed") {
		t.Errorf("a %d-byte argument object: %q", len(raw), clip(text(res), 200))
	}
}

// A cancelled call stops scanning and says so instead of finishing.
func TestCancelledCallStops(t *testing.T) {
	env := snapshotEnv(t, demoSnapshot)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tool := range []Tool{GetTraces(), QueryLogs(), QueryAccessLogs(), QueryCloudTrail()} {
		res, err := tool.Call(ctx, env, json.RawMessage(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if !res.IsError || !strings.Contains(text(res), "cancelled") {
			t.Errorf("%s on a cancelled context: isError=%v %q", tool.Name, res.IsError, clip(text(res), 200))
		}
	}
}

func TestRelativeTimesRejectNonFiniteAndOverflow(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"-NaNh", "-Infh", "-infm", "-1e30h", "-300000d", "-11y"} {
		if got, err := ParseTime(s, now); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", s, got)
		}
	}
	if got, err := ParseTime("-3650d", now); err != nil || !got.Equal(now.Add(-3650*24*time.Hour)) {
		t.Errorf("ParseTime(-3650d) = %v, %v; ten years back is allowed", got, err)
	}
}

func TestSelectMetricsValidatesStatistic(t *testing.T) {
	env := snapshotEnv(t, demoSnapshot)
	for _, stat := range []string{"bogus", "p-1", "pNaN", "p101", "average", "TM(:)", "TM(10%:200%)"} {
		res := call(t, env, SelectMetrics(), `{"metrics":[{"namespace":"AWS/ApplicationELB","metric_name":"HTTPCode_Target_5XX_Count","stat":"`+stat+`"}]}`)
		if !res.IsError || !strings.Contains(text(res), "statistic") {
			t.Errorf("stat %q: isError=%v %q", stat, res.IsError, clip(text(res), 200))
		}
	}
	for _, stat := range []string{"Sum", "p99", "p99.9", "tm90", "TM(10%:90%)", "PR(:300)", "IQM"} {
		res := call(t, env, SelectMetrics(), `{"metrics":[{"namespace":"AWS/ApplicationELB","metric_name":"HTTPCode_Target_5XX_Count","stat":"`+stat+`"}]}`)
		if res.IsError && strings.Contains(text(res), "statistic") {
			t.Errorf("stat %q is valid CloudWatch grammar but was refused: %q", stat, text(res))
		}
	}
}

// writeSnapshot makes a minimal snapshot in a temp dir with the given
// manifest window.
func writeSnapshot(t *testing.T, start, end string) string {
	t.Helper()
	dir := t.TempDir()
	m := `{"format":"fa2-snapshot/1","window":{"start":"` + start + `","end":"` + end + `"}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A snapshot's own window obeys limits.max_window like a requested one.
func TestSnapshotWindowObeysMaxWindow(t *testing.T) {
	dir := writeSnapshot(t, "1026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
	env := snapshotEnv(t, dir)
	for _, tool := range []Tool{SelectMetrics(), QueryLogs(), GetTraces()} {
		res := call(t, env, tool, `{}`)
		if !res.IsError || !strings.Contains(text(res), "limits.max_window") {
			t.Errorf("%s on a 1,000-year snapshot: %q", tool.Name, clip(text(res), 300))
		}
	}
}

// Corrupt metric values never reach a result as ±Inf (which JSON cannot
// carry); the file is named in a warning.
func TestHugeMetricValuesAreDroppedWithWarning(t *testing.T) {
	dir := writeSnapshot(t, "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z")
	os.Mkdir(filepath.Join(dir, "metrics"), 0o755)
	var pts []string
	for i := 0; i < 60; i++ {
		ts := time.Date(2026, 11, 20, 9, i, 0, 0, time.UTC).Format(time.RFC3339)
		pts = append(pts, `{"Timestamp":"`+ts+`","Sum":1e305,"SampleCount":1,"Unit":"Count"}`)
	}
	pts = append(pts, `{"Timestamp":"2026-11-20T09:30:30Z","Sum":3,"SampleCount":1,"Unit":"Count"}`)
	body := `{"Namespace":"AWS/X","MetricName":"Errors","Dimensions":[],"Datapoints":[` + strings.Join(pts, ",") + `]}`
	os.WriteFile(filepath.Join(dir, "metrics", "errors.json"), []byte(body), 0o644)
	env := snapshotEnv(t, dir)
	res := call(t, env, SelectMetrics(), `{"metrics":[{"namespace":"AWS/X","metric_name":"Errors","stat":"Sum"}]}`)
	if res.IsError {
		t.Fatalf("select_metrics: %s", text(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatalf("result does not marshal: %v", err)
	}
	if !strings.Contains(string(b), "errors.json") || !strings.Contains(string(b), "60 datapoints skipped") {
		t.Errorf("want a warning naming errors.json and the 60 skipped points: %s", clip(string(b), 600))
	}
	var out struct {
		Metrics []struct{ Max float64 } `json:"metrics"`
	}
	structured(t, res, &out)
	if len(out.Metrics) != 1 || math.IsInf(out.Metrics[0].Max, 0) || out.Metrics[0].Max != 3 {
		t.Errorf("metrics = %+v, want the one real point (max 3)", out.Metrics)
	}
}

// Snapshot files must be regular files inside the snapshot: a FIFO would
// block forever, a link out of the snapshot could leak a system file.
func TestSnapshotSkipsFIFOsAndOutsideLinks(t *testing.T) {
	dir := writeSnapshot(t, "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z")
	logs := filepath.Join(dir, "logs")
	os.Mkdir(logs, 0o755)
	os.WriteFile(filepath.Join(logs, "%2Fapp%2Fok.jsonl"), []byte(`{"timestamp":1795167000000,"message":"ERROR real line"}`+"\n"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(logs, "%2Fapp%2Ffifo.jsonl"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte("root:x:0:0:TOPSECRET\n"), 0o644)
	if err := os.Symlink(secret, filepath.Join(logs, "%2Fapp%2Fleak.jsonl")); err != nil {
		t.Fatal(err)
	}
	// A link that stays inside the snapshot is fine.
	if err := os.Symlink(filepath.Join(logs, "%2Fapp%2Fok.jsonl"), filepath.Join(logs, "%2Fapp%2Falias.jsonl")); err != nil {
		t.Fatal(err)
	}
	env := snapshotEnv(t, dir)
	done := make(chan *struct {
		text  string
		isErr bool
	}, 1)
	go func() {
		res := call(t, env, QueryLogs(), `{"mode":"events"}`)
		done <- &struct {
			text  string
			isErr bool
		}{text(res), res.IsError}
	}()
	var got *struct {
		text  string
		isErr bool
	}
	select {
	case got = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("query_logs blocked on a FIFO in logs/")
	}
	if got.isErr {
		t.Fatalf("query_logs: %s", got.text)
	}
	if strings.Contains(got.text, "TOPSECRET") {
		t.Errorf("the content of a file outside the snapshot leaked: %s", got.text)
	}
	for _, want := range []string{"fifo.jsonl: skipped: it is not a regular file", "leak.jsonl: skipped: it is a link to a file outside the snapshot", "ERROR real line"} {
		if !strings.Contains(got.text, want) {
			t.Errorf("want %q in:\n%s", want, got.text)
		}
	}
	if strings.Contains(got.text, "alias.jsonl: skipped") {
		t.Errorf("a link inside the snapshot must be read: %s", got.text)
	}
}

func TestManifestWithTrailingGarbageIsAnError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"format":"fa2-snapshot/1","window":{"start":"2026-11-20T09:00:00Z","end":"2026-11-20T10:00:00Z"}} {"format":"x"}`), 0o644)
	_, err := snapshot.Open(dir)
	if err == nil || !strings.Contains(err.Error(), "data after its JSON document") {
		t.Errorf("Open = %v, want an error about trailing data", err)
	}
}
