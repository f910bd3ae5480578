package main

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/tools"
)

func demoSlackEngine(t *testing.T) *slackEngine {
	t.Helper()
	s, err := snapshot.Open(demoSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Architecture = s.Manifest().Architecture
	return &slackEngine{env: &tools.Env{Sources: s.Sources(), Config: &cfg, Log: zerolog.Nop()}}
}

// The Slack engine draws the report package's pictures for the bridge:
// the hypothesis diagram first, then the metric charts, all real PNGs.
func TestSlackEngineDrawsTheReportPictures(t *testing.T) {
	e := demoSlackEngine(t)
	b, err := e.Investigate(context.Background(), investigate.Request{})
	if err != nil {
		t.Fatal(err)
	}
	pics, err := e.Pictures(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pics) < 2 || pics[0].Name != "diagram.png" || !strings.Contains(pics[0].Title, "Hypothesis diagram") {
		t.Fatalf("pictures %d, first %q: want the diagram then the charts", len(pics), pics[0].Name)
	}
	names := map[string]bool{}
	for _, p := range pics {
		img, err := png.Decode(bytes.NewReader(p.PNG))
		if err != nil || img.Bounds().Dx() < 200 || p.Title == "" || names[p.Name] {
			t.Errorf("picture %q (%q): decode %v, size %v, duplicate %v", p.Name, p.Title, err, img.Bounds(), names[p.Name])
		}
		names[p.Name] = true
	}
	if want := len(b.Charts); len(pics) != want+1 {
		t.Errorf("%d pictures for %d chart series and a diagram", len(pics), want)
	}
	// No bundle, no pictures and no error.
	if pics, err := e.Pictures(context.Background(), nil, nil); len(pics) != 0 || err != nil {
		t.Errorf("nil bundle: %d pictures, %v", len(pics), err)
	}
}

// /fa2 findings gets the report package's findings report: a summary with
// the counts and the critical finding, the full Markdown, and a PDF when
// the machine has a font for it.
func TestSlackEngineFindingsReport(t *testing.T) {
	e := demoSlackEngine(t)
	doc, err := e.FindingsReport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**3 findings**", "CRITICAL 1", "[CRITICAL] Security groups should not allow unrestricted access", "First action:"} {
		if !strings.Contains(doc.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, doc.Summary)
		}
	}
	if !strings.HasPrefix(doc.Markdown, "# Security findings report") || !strings.Contains(doc.Markdown, "https://docs.aws.amazon.com/console/securityhub/EC2.19/remediation") {
		t.Errorf("markdown:\n%s", doc.Markdown)
	}
	if !strings.HasPrefix(doc.Name, "fa2-findings-") {
		t.Errorf("name %q", doc.Name)
	}
	if _, ferr := report.FindFonts("", false); ferr == nil {
		if !bytes.HasPrefix(doc.PDF, []byte("%PDF-")) {
			t.Errorf("a font is installed but no PDF was made (%d bytes)", len(doc.PDF))
		}
	} else if doc.PDF != nil {
		t.Errorf("no font, yet a PDF of %d bytes", len(doc.PDF))
	}
	md, err := e.Findings(context.Background())
	if err != nil || md != doc.Markdown {
		t.Errorf("Findings must be the same report's Markdown (err %v)", err)
	}
}
