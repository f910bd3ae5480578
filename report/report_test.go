package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// pdfText extracts a PDF's text and page count with poppler-utils (CI
// installs it); the test is skipped, saying so, where it is missing.
func pdfText(t *testing.T, pdf []byte) (string, int) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	p := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	txt, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext cannot read the PDF: %v", err)
	}
	info, err := exec.Command("pdfinfo", p).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("no page count in %s", info)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return string(txt), n
}

func findings(n int) *telemetry.FindingList {
	l := &telemetry.FindingList{}
	sev := []string{"CRITICAL", "HIGH", "MEDIUM", "LOW"}
	for i := 0; i < n; i++ {
		l.Findings = append(l.Findings, telemetry.Finding{
			Source: telemetry.FindingSourceSecurityHub, ID: fmt.Sprint("f", i), Title: fmt.Sprintf("Finding number %d about bucket-%d", i, i%7),
			Severity: sev[i%4], ControlID: fmt.Sprintf("S3.%d", i%5+1), Resource: fmt.Sprintf("arn:aws:s3:::bucket-%d", i%7),
			Description: "Buckets should block public access.", Remediation: fmt.Sprintf("Turn on block public access for bucket-%d.", i%7),
			RemediationURL: "https://docs.aws.amazon.com/console/securityhub/S3.1/remediation",
			LastSeen:       time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Count: 1,
		})
	}
	return l
}

var window = telemetry.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}

func TestFindingsReportOrdersCountsAndExplains(t *testing.T) {
	list := findings(12)
	list.Findings = append(list.Findings, telemetry.Finding{Source: telemetry.FindingSourceGuardDuty, ID: "g1", Title: "Bitcoin mining on i-1",
		Severity: "HIGH", Type: "CryptoCurrency:EC2/BitcoinTool.B!DNS", Resource: "i-1"})
	r := BuildFindings(list, FindingsInput{Window: window, Source: "test", Language: "en"})
	if r.Total != 13 || r.BySeverity[0] != (Count{"CRITICAL", 3}) || r.BySeverity[1] != (Count{"HIGH", 4}) {
		t.Fatalf("counts: %+v", r.BySeverity)
	}
	if len(r.Priority) != 7 || r.Priority[0].Severity != "CRITICAL" || r.Priority[len(r.Priority)-1].Severity != "HIGH" {
		t.Fatalf("priority: %+v", r.Priority)
	}
	var miner *FindingItem
	for i := range r.Priority {
		if r.Priority[i].Source == telemetry.FindingSourceGuardDuty {
			miner = &r.Priority[i]
		}
	}
	if miner == nil || !strings.Contains(miner.Why, "compromised") || !strings.Contains(miner.Remediation, "Isolate") || !strings.Contains(miner.RemediationURL, "guardduty") {
		t.Fatalf("the GuardDuty finding is not explained: %+v", miner)
	}
	if !strings.Contains(r.Priority[0].Remediation, "Turn on block public access for bucket-0.") {
		t.Fatalf("ASFF remediation not used: %q", r.Priority[0].Remediation)
	}
	md := r.Markdown()
	for _, want := range []string{"## Recommended actions", "## Next steps", "Isolate and replace", "query_cloudtrail", "| arn:aws:s3:::bucket-0 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}

	// Resources and severity narrow it.
	r = BuildFindings(list, FindingsInput{Window: window, Resources: []string{"bucket-3"}, MinSeverity: "MEDIUM"})
	for _, it := range append(items(r.Priority), r.Others...) {
		if !strings.Contains(it.Resource, "bucket-3") || it.Severity == "LOW" {
			t.Fatalf("filter let %s (%s) through", it.Resource, it.Severity)
		}
	}
	if r.Total == 0 || r.Total != len(r.Priority)+len(r.Others) {
		t.Fatalf("filtered total %d", r.Total)
	}
	// Nothing found is said plainly, with something to do.
	r = BuildFindings(&telemetry.FindingList{}, FindingsInput{Window: window})
	if !strings.Contains(r.Markdown(), "No active finding matches") || len(r.Actions) != 1 {
		t.Fatalf("empty report:\n%s", r.Markdown())
	}
}

type fakeNarrator struct {
	text string
	err  error
}

func (f fakeNarrator) NarrateFindings(ctx context.Context, r *FindingsReport) (string, error) {
	return f.text + fmt.Sprintf(" (%d findings)", r.Total), f.err
}

func TestFindingsNarratorHook(t *testing.T) {
	r := BuildFindings(findings(4), FindingsInput{Window: window})
	r.Narrate(context.Background(), fakeNarrator{text: "The model says fix S3 first."})
	if !strings.Contains(r.Markdown(), "The model says fix S3 first. (4 findings)") {
		t.Fatal("narrative not in the report")
	}
	r = BuildFindings(findings(4), FindingsInput{Window: window})
	r.Narrate(context.Background(), fakeNarrator{err: fmt.Errorf("throttled")})
	if r.Narrative != "" || !strings.Contains(r.Markdown(), "throttled") || !strings.Contains(r.Markdown(), "## Recommended actions") {
		t.Fatal("a failing narrator must leave the deterministic report and say why")
	}
}

func TestPDFHasPagesTitleAndText(t *testing.T) {
	r := BuildFindings(findings(60), FindingsInput{Window: window, Source: "test"})
	md := r.Markdown() + "\n```\ncode line one\n" + strings.Repeat("x", 300) + "\n```\n"
	pdf, err := PDF(md, PDFOptions{Title: r.Title, Generated: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	txt, pages := pdfText(t, pdf)
	if pages < 3 {
		t.Fatalf("60 findings fit on %d pages; the report lost content", pages)
	}
	for _, want := range []string{"Security findings report", "Generated 2026-11-20 10:00 UTC", "High-severity issues first",
		"Turn on block public access for bucket-0.", "code line one", fmt.Sprintf("page %d of %d", pages, pages)} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// A smaller report is shorter: the page count follows the content.
	small, err := PDF(BuildFindings(findings(2), FindingsInput{Window: window}).Markdown(), PDFOptions{Title: "small"})
	if err != nil {
		t.Fatal(err)
	}
	if _, n := pdfText(t, small); n >= pages {
		t.Fatalf("two findings take %d pages, sixty %d", n, pages)
	}
}

func TestPDFJapanese(t *testing.T) {
	if _, err := FindFonts("", true); err != nil {
		t.Skipf("no CJK font on this machine: %v", err)
	}
	r := BuildFindings(findings(3), FindingsInput{Window: window, Language: "ja"})
	pdf, err := PDF(r.Markdown(), PDFOptions{Title: r.Title})
	if err != nil {
		t.Fatal(err)
	}
	txt, _ := pdfText(t, pdf)
	for _, want := range []string{"セキュリティ検出結果レポート", "推奨アクション", "重要な理由"} {
		if !strings.Contains(txt, want) {
			t.Errorf("Japanese PDF lacks %q", want)
		}
	}
}

func TestPDFWithoutCJKFontSaysWhatToInstall(t *testing.T) {
	saved := cjkCandidates
	cjkCandidates = []string{"/nonexistent/ipag.ttf"}
	defer func() { cjkCandidates = saved }()
	_, err := PDF("# 日本語のレポート\n", PDFOptions{Title: "日本語"})
	e, ok := telemetry.AsError(err)
	if !ok || !strings.Contains(e.Error(), "fonts-ipafont-gothic") || !strings.Contains(e.Error(), "Markdown") {
		t.Fatalf("want an error naming the package to install, got %v", err)
	}
	// The report set is still written, with the Markdown and a warning.
	dir := t.TempDir()
	b := demoBundle(t)
	b.Title = "日本語のインシデント"
	set, err := WriteSet(context.Background(), dir, nil, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.md")); err != nil || len(set.Warnings) == 0 || !strings.Contains(set.Warnings[0], "PDF") {
		t.Fatalf("set without a CJK font: %+v", set)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.pdf")); err == nil {
		t.Fatal("a PDF without the glyphs was written")
	}
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// near reports whether c is within a small distance of want.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) int { x := int(a>>8) - int(w); return x * x }
	return d(r, want.R)+d(g, want.G)+d(b, want.B) < 40*40
}

// columnCount counts pixels of a colour in column x.
func columnCount(img image.Image, x int, want color.RGBA) int {
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		if near(img.At(x, y), want) {
			n++
		}
	}
	return n
}

func TestChartsMarkTheOnsetWhereItIs(t *testing.T) {
	b := demoBundle(t)
	charts, err := BundleCharts(b, ChartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 2 {
		t.Fatalf("%d charts", len(charts))
	}
	c := charts[0]
	img := decodePNG(t, c.PNG)
	if img.Bounds().Dx() != 1152 || img.Bounds().Dy() != 720 || c.Width != 1152 {
		t.Fatalf("chart is %v", img.Bounds())
	}
	x := map[string]int{}
	for _, m := range c.Marks {
		x[m.Tag] = m.X
	}
	// The marks sit on a linear time axis: the onset (09:22) lies between
	// C2 (09:20:05) and C3 (09:47:30) in proportion to time.
	t2, to, t3 := b.Suspects[1].EventTime, *b.Onset, b.Suspects[2].EventTime
	want := float64(x["C2"]) + float64(x["C3"]-x["C2"])*to.Sub(t2).Seconds()/t3.Sub(t2).Seconds()
	if d := float64(x["onset"]) - want; d < -1.5 || d > 1.5 {
		t.Fatalf("onset drawn at x=%d, want %.1f (marks %v)", x["onset"], want, x)
	}
	// And the onset line is really there: a tall orange column, not beside it.
	if n := columnCount(img, x["onset"], onsetColor); n < 200 {
		t.Fatalf("only %d onset-coloured pixels at x=%d", n, x["onset"])
	}
	if n := columnCount(img, x["onset"]+25, onsetColor); n > 20 {
		t.Fatalf("%d onset-coloured pixels 25px right of the onset", n)
	}

	// Another incident: other data, another onset → another picture, the
	// line moved right.
	other := demoBundle(t)
	later := to.Add(15 * time.Minute)
	other.Onset = &later
	for i := range other.Charts[0].Points {
		other.Charts[0].Points[i].Value *= 2
	}
	oc, err := BundleCharts(other, ChartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(oc[0].PNG, c.PNG) {
		t.Fatal("two incidents drew the same chart")
	}
	for _, m := range oc[0].Marks {
		if m.Tag == "onset" && m.X <= x["onset"]+50 {
			t.Fatalf("the later onset is at x=%d, the earlier at %d", m.X, x["onset"])
		}
	}
}

func TestChartTimeAxisUsesTheReadersZone(t *testing.T) {
	b := demoBundle(t)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tzdata")
	}
	utc, _ := BundleCharts(b, ChartOptions{})
	jst, _ := BundleCharts(b, ChartOptions{Location: tokyo})
	if bytes.Equal(utc[0].PNG, jst[0].PNG) {
		t.Fatal("the time zone changed nothing in the chart")
	}
	ticks := timeTicker{loc: tokyo}.Ticks(float64(window.Start.Unix()), float64(window.End.Unix()))
	var labels []string
	for _, tk := range ticks {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if len(labels) < 4 || len(labels) > 9 || labels[0] != "18:00" || labels[len(labels)-1] != "19:00" {
		t.Fatalf("ticks over 09:00–10:00 UTC in Tokyo: %v", labels)
	}
}

func items(its []FindingItem) []telemetry.Finding {
	var out []telemetry.Finding
	for _, it := range its {
		out = append(out, it.Finding)
	}
	return out
}
