package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// mermaidGraph is what checkMermaid read back from a flowchart.
type mermaidGraph struct {
	nodes   map[string]string // id → label
	edges   [][3]string       // from, arrow, to
	classes map[string]string // id → class
}

// checkMermaid parses the subset of Mermaid's flowchart grammar fa2 emits
// and fails on anything else: a header, node declarations with quoted
// labels in [..] or {{..}}, edges (-->, ==>, -.->) with optional |"label"|,
// classDef, class and linkStyle lines whose references all exist.
func checkMermaid(t *testing.T, src string) mermaidGraph {
	t.Helper()
	var (
		quoted  = `"([^"]*)"`
		nodeRe  = regexp.MustCompile(`^([A-Za-z][\w]*)(?:\[` + quoted + `\]|\{\{` + quoted + `\}\})$`)
		edgeRe  = regexp.MustCompile(`^([A-Za-z]\w*) (-->|==>|-\.->)(?:\|` + quoted + `\|)? ([A-Za-z]\w*)$`)
		classDf = regexp.MustCompile(`^classDef (\w+) ([\w-]+:[#\w.]+)(,[\w-]+:[#\w.]+)*$`)
		classRe = regexp.MustCompile(`^class ([\w,]+) (\w+)$`)
		linkRe  = regexp.MustCompile(`^linkStyle (\d+) ([\w-]+:[#\w.]+)(,[\w-]+:[#\w.]+)*$`)
	)
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	if len(lines) == 0 || !regexp.MustCompile(`^flowchart (LR|TD|TB|RL|BT)$`).MatchString(lines[0]) {
		t.Fatalf("mermaid: bad header %q", lines[0])
	}
	g := mermaidGraph{nodes: map[string]string{}, classes: map[string]string{}}
	defs := map[string]bool{}
	for i, raw := range lines[1:] {
		l := strings.TrimSpace(raw)
		if !strings.HasPrefix(raw, "  ") {
			t.Fatalf("mermaid line %d not indented: %q", i+2, raw)
		}
		switch {
		case nodeRe.MatchString(l):
			m := nodeRe.FindStringSubmatch(l)
			if _, dup := g.nodes[m[1]]; dup {
				t.Fatalf("mermaid: node %s declared twice", m[1])
			}
			g.nodes[m[1]] = m[2] + m[3]
		case edgeRe.MatchString(l):
			m := edgeRe.FindStringSubmatch(l)
			for _, id := range []string{m[1], m[4]} {
				if _, ok := g.nodes[id]; !ok {
					t.Fatalf("mermaid: edge %q uses undeclared node %s", l, id)
				}
			}
			g.edges = append(g.edges, [3]string{m[1], m[2], m[4]})
		case classDf.MatchString(l):
			defs[classDf.FindStringSubmatch(l)[1]] = true
		case classRe.MatchString(l):
			m := classRe.FindStringSubmatch(l)
			if !defs[m[2]] {
				t.Fatalf("mermaid: class %s used before classDef", m[2])
			}
			for _, id := range strings.Split(m[1], ",") {
				if _, ok := g.nodes[id]; !ok {
					t.Fatalf("mermaid: class on undeclared node %s", id)
				}
				g.classes[id] = m[2]
			}
		case linkRe.MatchString(l):
			var n int
			fmt.Sscan(linkRe.FindStringSubmatch(l)[1], &n)
			if n >= len(g.edges) {
				t.Fatalf("mermaid: linkStyle %d but only %d edges", n, len(g.edges))
			}
		default:
			t.Fatalf("mermaid line %d is not valid flowchart syntax: %q", i+2, l)
		}
	}
	return g
}

func idOf(g mermaidGraph, labelPrefix string) string {
	for id, l := range g.nodes {
		if strings.HasPrefix(l, labelPrefix) {
			return id
		}
	}
	return ""
}

func TestDiagramOfTheDemo(t *testing.T) {
	d := BuildDiagram(demoBundle(t), time.UTC)
	g := checkMermaid(t, d.Mermaid())
	db, api, sm := idOf(g, "checkout-db"), idOf(g, "checkout-api"), idOf(g, "Secrets Manager")
	if db == "" || api == "" || sm == "" {
		t.Fatalf("components missing: %v", g.nodes)
	}
	if g.classes[db] != "failing" {
		t.Fatalf("checkout-db is not the failing component: %v", g.classes)
	}
	has := func(from, arrow, to string) bool {
		for _, e := range g.edges {
			if e == [3]string{from, arrow, to} {
				return true
			}
		}
		return false
	}
	if !has(api, "==>", db) {
		t.Fatalf("no failing edge checkout-api ==> checkout-db: %v", g.edges)
	}
	// The deploy that swapped the secret points at the secret, and it is
	// highlighted as a likely suspect; the rollback is not.
	c2 := idOf(g, "C2 09:20 RegisterTaskDefinition")
	if c2 == "" || !has(c2, "-.->", sm) || g.classes[c2] != "suspect" || g.classes[sm] != "suspect" {
		t.Fatalf("suspect change not linked to Secrets Manager: nodes %v edges %v classes %v", g.nodes, g.edges, g.classes)
	}
	if c3 := idOf(g, "C3"); c3 == "" || g.classes[c3] == "suspect" {
		t.Fatalf("the unlikely rollback is highlighted: %v", g.classes)
	}
	// From the architecture text: the ALB in front, the queue behind.
	if !has(idOf(g, "prod-web"), "-.->", api) || !has(idOf(g, "order-events"), "-.->", idOf(g, "order-notifier")) {
		t.Fatalf("architecture flows missing: %v", g.edges)
	}
	// Deterministic: the same bundle gives the same text and picture.
	again := BuildDiagram(demoBundle(t), time.UTC)
	if again.Mermaid() != d.Mermaid() {
		t.Fatal("the diagram is not deterministic")
	}
	p1, r1, err := d.PNG(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p2, _, _ := again.PNG(context.Background())
	if !bytes.Equal(p1, p2) {
		t.Fatal("the same diagram rendered two different pictures")
	}
	img := decodePNG(t, p1)
	if img.Bounds() != r1 || r1.Dx() < 800 || r1.Dy() < 300 {
		t.Fatalf("diagram size %v", r1)
	}
	// The failing box's red is in the picture.
	red := 0
	for y := 0; y < r1.Dy(); y += 2 {
		for x := 0; x < r1.Dx(); x += 2 {
			if near(img.At(x, y), failRed) {
				red++
			}
		}
	}
	if red < 200 {
		t.Fatalf("only %d red pixels: the failing path is not drawn", red)
	}
}

func TestDiagramOfAnotherIncident(t *testing.T) {
	// A Lambda timing out on DynamoDB after a table change; no architecture.
	b := &investigate.Bundle{
		Title: "orders-fn errors",
		Topology: &investigate.Topology{
			Services: []telemetry.ServiceStats{{Name: "api-gw", Total: 900}, {Name: "orders-fn", Total: 900, Faults: 310}, {Name: "orders-table", Total: 600}},
			Calls:    []investigate.Call{{From: "api-gw", To: "orders-fn", Requests: 900}, {From: "orders-fn", To: "orders-table", Requests: 600, Faults: 310}},
			Failures: []investigate.FailurePath{{Kind: "fault", Services: []string{"api-gw", "orders-fn"}, Service: "orders-fn", Path: []string{"orders-fn", "DynamoDB.PutItem", "orders-table"}, Exception: "ProvisionedThroughputExceededException", Count: 310}},
		},
		Suspects: []investigate.Suspect{{EventName: "UpdateTable", EventTime: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC), Principal: "arn:aws:iam::1:user/bob",
			Resources: []string{"arn:aws:dynamodb:us-east-1:1:table/orders-table"}, Likelihood: investigate.Likely}},
	}
	d := BuildDiagram(b, time.UTC)
	g := checkMermaid(t, d.Mermaid())
	if g.classes[idOf(g, "orders-table")] != "failing" {
		t.Fatalf("orders-table should fail: %v %v", g.nodes, g.classes)
	}
	if len(g.nodes) != 4 {
		t.Fatalf("want api-gw, orders-fn, orders-table and the change; got %v", g.nodes)
	}
	other, _, err := d.PNG(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	demo, _, _ := BuildDiagram(demoBundle(t), time.UTC).PNG(context.Background())
	if bytes.Equal(other, demo) {
		t.Fatal("two incidents gave the same diagram")
	}
}

func TestMermaidEscapesLabels(t *testing.T) {
	d := &Diagram{Nodes: []Node{{ID: "n1", Name: `say "hi" <b>|x|`, Kind: NodeComponent}, {ID: "n2", Name: "ok", Kind: NodeComponent}},
		Edges: []Edge{{From: "n1", To: "n2", Label: `a "b"` + "\nc", Style: EdgeFailing}}}
	g := checkMermaid(t, d.Mermaid())
	if g.nodes["n1"] != "say #quot;hi#quot; #lt;b#gt;#124;x#124;" {
		t.Fatalf("label %q", g.nodes["n1"])
	}
}

func TestArchitectureFlows(t *testing.T) {
	got := architectureFlows("Users hit CloudFront. api-gateway routes to orders-fn and billing-fn; orders-fn writes to orders-table, consumed by stream-fn. Deploys by role ci-deployer.")
	want := map[flow]bool{{"api-gateway", "orders-fn"}: true, {"api-gateway", "billing-fn"}: true, {"orders-fn", "orders-table"}: true, {"orders-table", "stream-fn"}: true}
	if len(got) != len(want) {
		t.Fatalf("flows %v", got)
	}
	for _, f := range got {
		if !want[f] {
			t.Fatalf("unexpected flow %v in %v", f, got)
		}
	}
}

func TestWriteSetWritesEverything(t *testing.T) {
	dir := t.TempDir()
	set, err := WriteSet(context.Background(), dir, nil, demoBundle(t), Options{Generated: time.Date(2026, 11, 20, 10, 5, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range set.Files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, " ") != "report.md report.pdf chart-1-httpcode-target-5xx-count.png chart-2-databaseconnections.png diagram.png" {
		t.Fatalf("files %v, warnings %v", names, set.Warnings)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	start := strings.Index(string(md), "```mermaid\n")
	end := strings.Index(string(md[start+11:]), "```")
	if start < 0 || end < 0 {
		t.Fatal("no mermaid block in report.md")
	}
	checkMermaid(t, string(md[start+11:start+11+end]))
	if !strings.Contains(string(md), "![checkout-api target 5xx (alarm checkout-api-5xx-high)](chart-1-httpcode-target-5xx-count.png)") {
		t.Fatal("charts not linked from report.md")
	}
	pdf, _ := os.ReadFile(filepath.Join(dir, "report.pdf"))
	txt, pages := pdfText(t, pdf)
	if pages < 2 || !strings.Contains(txt, "Suspect changes") || !strings.Contains(txt, "Hypothesis diagram") {
		t.Fatalf("PDF: %d pages\n%s", pages, txt)
	}
}

// BenchmarkDemoChartsAndDiagram measures what an investigation adds for
// pictures: both charts and the diagram of the demo (the first iteration
// includes compiling Graphviz's WebAssembly once per process).
func BenchmarkDemoChartsAndDiagram(b *testing.B) {
	bundle := demoBundle(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := BundleCharts(bundle, ChartOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, _, err := BuildDiagram(bundle, time.UTC).PNG(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// Japanese labels are drawn with the CJK font when one is installed: the
// built-in fonts have no such glyphs and would draw empty boxes, which
// look the same for every character.
func TestJapaneseLabelsUseACJKFont(t *testing.T) {
	if _, err := FindFonts("", true); err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	draw := func(name string) []byte {
		d := &Diagram{Title: "t", Nodes: []Node{{ID: "n1", Name: name, Kind: NodeComponent, Failing: true}}}
		png, _, err := d.PNG(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return png
	}
	// Two different words of the same length: with real glyphs the
	// pictures differ; with missing-glyph boxes they would be identical.
	if bytes.Equal(draw("決済サービス"), draw("注文キュー一")) {
		t.Fatal("Japanese labels render as missing-glyph boxes")
	}
	if _, ok := loadCJK(""); !ok {
		t.Fatal("the CJK font was found but not loaded")
	}
}
