package snapshot_test

import (
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fa2/fa2/collectors/snapshot"
)

func TestRedactorMasksConsistently(t *testing.T) {
	r, err := snapshot.NewRedactor([]string{`cus_[a-z0-9]{8}`})
	if err != nil {
		t.Fatal(err)
	}
	in := "login from 10.0.1.88 by alice@example.com key AKIAIOSFODNN7EXAMPLE customer cus_ab12cd34; retry from 10.0.1.88, then 10.0.2.57; lib 1.2.3.400"
	out := r.String(in)
	for _, secret := range []string{"10.0.1.88", "10.0.2.57", "alice@example.com", "AKIAIOSFODNN7EXAMPLE", "cus_ab12cd34"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q survived redaction: %s", secret, out)
		}
	}
	ips := regexp.MustCompile(`198\.1[89]\.\d+\.\d+`).FindAllString(out, -1)
	if len(ips) != 3 || ips[0] != ips[1] || ips[0] == ips[2] {
		t.Errorf("IP masks %v: the same address must get the same mask, different ones different masks", ips)
	}
	if !strings.Contains(out, "1.2.3.400") {
		t.Errorf("a string that is not an address was masked: %s", out)
	}
	if again := r.String("peer 10.0.2.57 and " + out); !strings.HasPrefix(again, "peer "+ips[2]) || !strings.HasSuffix(again, out) {
		t.Errorf("a second pass changed masks: %s", again)
	}
	if key := regexp.MustCompile(`AKIA[A-Z0-9]{16}`).FindString(out); key == "" {
		t.Errorf("the key mask lost the shape of a key id: %s", out)
	}
	if m := r.Masked(); m["ip"] != 2 || m["email"] != 1 || m["key"] != 1 || m["pattern1"] != 1 {
		t.Errorf("masked counts %v", m)
	}
	if _, err := snapshot.NewRedactor([]string{"("}); err == nil || !strings.Contains(err.Error(), `"("`) {
		t.Errorf("a bad pattern: %v", err)
	}
}

// TestRedactedCaptureKeepsTheAnalysis captures the demo with redaction: no
// private address of the original is left in any file, and the tools
// still find the same failing target and counts, under its mask.
func TestRedactedCaptureKeepsTheAnalysis(t *testing.T) {
	orig, err := snapshot.Open("../../examples/demo")
	if err != nil {
		t.Fatal(err)
	}
	red, _ := snapshot.NewRedactor(nil)
	out := filepath.Join(t.TempDir(), "red")
	m, err := snapshot.Capture(context.Background(), orig.Sources(), out, snapshot.CaptureOptions{Window: orig.Manifest().Window, Redactor: red})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Redacted || m.RedactedValues["ip"] == 0 {
		t.Errorf("manifest: redacted=%v values=%v", m.Redacted, m.RedactedValues)
	}
	badTarget := "10.0.1.88" // a revision-42 task: the failing target
	mask := red.String(badTarget)
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b := readMaybeGzip(t, path)
		for _, ip := range []string{badTarget, "10.0.2.57", "198.51.100.24", "3.91.171.22"} {
			if strings.Contains(b, ip) {
				t.Errorf("%s still holds %s", path, ip)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	back, err := snapshot.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	want, have := runTools(t, orig.Sources()), runTools(t, back.Sources())
	k := `query_access_logs {"group_by":"target"}`
	if !strings.Contains(want[k], badTarget+":8080") || !strings.Contains(have[k], mask+":8080") {
		t.Fatalf("failing target not found under its mask %s:\n%s", mask, have[k])
	}
	if strings.ReplaceAll(want[k], badTarget, mask) == have[k] {
		return // identical apart from the mask
	}
	// Counts per target are the same; only addresses differ.
	digits := regexp.MustCompile(`\d+\.\d+\.\d+\.\d+:\d+ *`)
	if digits.ReplaceAllString(want[k], "IP ") != digits.ReplaceAllString(have[k], "IP ") {
		t.Errorf("access log statistics changed under redaction:\n--- original\n%s\n--- redacted\n%s", want[k], have[k])
	}
	// The same task's address is masked the same way in CloudTrail.
	if ct := have[`query_cloudtrail {"limit":50}`]; !strings.Contains(ct, "targets[0].id="+mask) {
		t.Errorf("CloudTrail does not show the failing target under the same mask %s", mask)
	}
}

func readMaybeGzip(t *testing.T, path string) string {
	t.Helper()
	if !strings.HasSuffix(path, ".gz") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	b, err := gunzipFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzipFile(t *testing.T, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(zr)
	return string(b), err
}
