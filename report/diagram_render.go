package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/fogleman/gg"
	"github.com/goccy/go-graphviz"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// text is every label of the diagram.
func (d *Diagram) text() string {
	var b strings.Builder
	b.WriteString(d.Title)
	for _, n := range d.Nodes {
		b.WriteString(n.Name + strings.Join(n.Lines, ""))
	}
	for _, e := range d.Edges {
		b.WriteString(e.Label)
	}
	return b.String()
}

// Mermaid renders the diagram as a Mermaid flowchart, for Markdown viewers
// that draw it (GitHub, many wikis). Labels are quoted and escaped, so any
// component name is safe.
func (d *Diagram) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, n := range d.Nodes {
		label := mermaidText(n.Name)
		for _, l := range n.Lines {
			label += "<br/>" + mermaidText(l)
		}
		open, close := "[\"", "\"]"
		if n.Kind == NodeChange {
			open, close = "{{\"", "\"}}"
		}
		fmt.Fprintf(&b, "  %s%s%s%s\n", n.ID, open, label, close)
	}
	for _, e := range d.Edges {
		arrow := "-->"
		switch e.Style {
		case EdgeFailing:
			arrow = "==>"
		case EdgeArch, EdgeChange:
			arrow = "-.->"
		}
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", e.From, arrow, mermaidText(strings.ReplaceAll(e.Label, "\n", " · ")), e.To)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", e.From, arrow, e.To)
		}
	}
	b.WriteString("  classDef failing fill:#fde2e1,stroke:#c62828,stroke-width:3px,color:#000\n")
	b.WriteString("  classDef suspect fill:#efe4fb,stroke:#7b2fbe,stroke-width:2px,color:#000\n")
	var failing, suspect []string
	for _, n := range d.Nodes {
		if n.Failing {
			failing = append(failing, n.ID)
		} else if n.Suspect {
			suspect = append(suspect, n.ID)
		}
	}
	if len(failing) > 0 {
		fmt.Fprintf(&b, "  class %s failing\n", strings.Join(failing, ","))
	}
	if len(suspect) > 0 {
		fmt.Fprintf(&b, "  class %s suspect\n", strings.Join(suspect, ","))
	}
	for i, e := range d.Edges {
		switch e.Style {
		case EdgeFailing:
			fmt.Fprintf(&b, "  linkStyle %d stroke:#c62828,stroke-width:3px\n", i)
		case EdgeChange:
			fmt.Fprintf(&b, "  linkStyle %d stroke:#7b2fbe\n", i)
		}
	}
	return b.String()
}

// mermaidText escapes a label for a quoted Mermaid string: quotes and the
// characters Mermaid reads as markup become entity codes.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;", "\n", " ")
	return r.Replace(s)
}

// DOT renders the diagram in Graphviz's language.
func (d *Diagram) DOT() string {
	var b strings.Builder
	b.WriteString("digraph hypothesis {\n")
	b.WriteString("  graph [rankdir=LR, bgcolor=white, pad=0.3, nodesep=0.35, ranksep=0.7, fontname=\"Helvetica\", fontsize=15, labelloc=t, label=" + dotQuote(d.Title) + "];\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fa\", color=\"#5b6b82\", fontname=\"Helvetica\", fontsize=12, margin=\"0.15,0.08\"];\n")
	b.WriteString("  edge [color=\"#5b6b82\", fontname=\"Helvetica\", fontsize=10, arrowsize=0.8];\n")
	for _, n := range d.Nodes {
		label := n.Name
		for _, l := range n.Lines {
			label += "\n" + l
		}
		attrs := []string{"label=" + dotQuote(label)}
		switch {
		case n.Failing:
			attrs = append(attrs, `fillcolor="#fde2e1"`, `color="#c62828"`, "penwidth=3")
		case n.Kind == NodeChange && n.Suspect:
			attrs = append(attrs, `shape=hexagon`, `style=filled`, `fillcolor="#efe4fb"`, `color="#7b2fbe"`, "penwidth=2")
		case n.Kind == NodeChange:
			attrs = append(attrs, `shape=hexagon`, `style=filled`, `fillcolor="#f7f2fc"`, `color="#a58cc4"`)
		case n.Suspect:
			attrs = append(attrs, `fillcolor="#efe4fb"`, `color="#7b2fbe"`, "penwidth=2")
		}
		fmt.Fprintf(&b, "  %s [%s];\n", n.ID, strings.Join(attrs, ", "))
	}
	for _, e := range d.Edges {
		var attrs []string
		if e.Label != "" {
			attrs = append(attrs, "label="+dotQuote(e.Label))
		}
		switch e.Style {
		case EdgeFailing:
			attrs = append(attrs, `color="#c62828"`, "penwidth=3", `fontcolor="#c62828"`)
		case EdgeArch:
			attrs = append(attrs, "style=dashed", `color="#9aa5b5"`)
		case EdgeChange:
			attrs = append(attrs, "style=dashed", `color="#7b2fbe"`, `fontcolor="#7b2fbe"`, "penwidth=1.5")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", e.From, e.To, strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.String()
}

func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// Diagram drawing: Graphviz (compiled to WebAssembly, no cgo, no network)
// lays the graph out; the boxes, arrows and text are drawn here with the
// Go fonts compiled into the binary, so the picture is the same on a
// laptop, in CI and in Lambda, and every label is measured with the font
// that draws it.
const (
	diagramScale  = 2.0 // pixels per point: 144 DPI
	nodeFontSize  = 12.0
	edgeFontSize  = 10.0
	titleFontSize = 15.0
	nodePadX      = 10.0 // points
	nodePadY      = 6.0
)

var (
	goFontsOnce         sync.Once
	goRegular, goBoldTT *truetype.Font
)

func goFonts() (*truetype.Font, *truetype.Font) {
	goFontsOnce.Do(func() {
		goRegular, _ = truetype.Parse(goregular.TTF)
		goBoldTT, _ = truetype.Parse(gobold.TTF)
	})
	return goRegular, goBoldTT
}

func face(f *truetype.Font, points float64) font.Face {
	return truetype.NewFace(f, &truetype.Options{Size: points * diagramScale, DPI: 72, Hinting: font.HintingFull})
}

// nodeSize is the box a node's label needs, in points.
func nodeSize(n Node, measure func(bold bool, s string) float64) (w, h float64) {
	lines := append([]string{n.Name}, n.Lines...)
	for i, l := range lines {
		w = math.Max(w, measure(i == 0, l))
	}
	w += 2 * nodePadX
	h = float64(len(lines))*nodeFontSize*1.25 + 2*nodePadY
	if n.Kind == NodeChange {
		w += 2 * h * 0.3 // room for the hexagon's slanted sides
	}
	return w, h
}

// layoutDOT is the DOT given to Graphviz for layout: node sizes fixed to
// what the labels measure in the Go fonts.
func (d *Diagram) layoutDOT(measure func(bold bool, s string) float64) string {
	var b strings.Builder
	b.WriteString("digraph hypothesis {\n  graph [rankdir=LR, nodesep=0.4, ranksep=0.9, splines=true];\n")
	b.WriteString("  node [shape=box, fixedsize=true, label=\"\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, n := range d.Nodes {
		w, h := nodeSize(n, measure)
		fmt.Fprintf(&b, "  %s [width=%.3f, height=%.3f];\n", n.ID, w/72, h/72)
	}
	for _, e := range d.Edges {
		if e.Label != "" {
			// An invisible label of the measured size makes room for the
			// one drawn later.
			fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", e.From, e.To, dotQuote(e.Label))
		} else {
			fmt.Fprintf(&b, "  %s -> %s;\n", e.From, e.To)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// PNG renders the diagram. It returns the image and its bounds.
func (d *Diagram) PNG(ctx context.Context) ([]byte, image.Rectangle, error) {
	regular, bold := goFonts()
	if needsCJK(d.text()) {
		if tt, ok := loadCJK(d.Font); ok {
			regular, bold = tt, tt
		}
	}
	nf, bf, ef, tf := face(regular, nodeFontSize), face(bold, nodeFontSize), face(regular, edgeFontSize), face(bold, titleFontSize)
	defer nf.Close()
	defer bf.Close()
	defer ef.Close()
	defer tf.Close()
	measureDC := gg.NewContext(1, 1)
	measure := func(isBold bool, s string) float64 {
		if isBold {
			measureDC.SetFontFace(bf)
		} else {
			measureDC.SetFontFace(nf)
		}
		w, _ := measureDC.MeasureString(s)
		return w / diagramScale
	}

	lay, err := layout(ctx, d.layoutDOT(measure))
	if err != nil {
		return nil, image.Rectangle{}, err
	}
	const margin = 18.0 // points
	titleH := titleFontSize * 2
	W := int(math.Ceil((lay.width + 2*margin) * diagramScale))
	H := int(math.Ceil((lay.height + 2*margin + titleH) * diagramScale))
	dc := gg.NewContext(W, H)
	dc.SetHexColor("#ffffff")
	dc.Clear()
	// Graphviz's y axis points up; the image's down.
	X := func(x float64) float64 { return (x + margin) * diagramScale }
	Y := func(y float64) float64 { return (lay.height - y + margin + titleH) * diagramScale }

	dc.SetFontFace(tf)
	dc.SetHexColor("#202020")
	dc.DrawStringAnchored(d.Title, float64(W)/2, margin*diagramScale, 0.5, 0.5)

	for _, e := range d.Edges {
		pts := lay.edges[e.From+"->"+e.To]
		if len(pts.spline) < 4 {
			continue
		}
		color, width := "#7d8a9c", 1.4
		var dash []float64
		switch e.Style {
		case EdgeFailing:
			color, width = "#c62828", 3
		case EdgeArch:
			color, dash = "#9aa5b5", []float64{6, 4}
		case EdgeChange:
			color, width, dash = "#7b2fbe", 1.8, []float64{5, 4}
			if e.Weak {
				color, width = "#b9a3d6", 1.2
			}
		}
		dc.SetHexColor(color)
		dc.SetLineWidth(width * diagramScale)
		dc.SetDash(scaled(dash)...)
		p := pts.spline
		dc.MoveTo(X(p[0].x), Y(p[0].y))
		for i := 1; i+2 < len(p); i += 3 {
			dc.CubicTo(X(p[i].x), Y(p[i].y), X(p[i+1].x), Y(p[i+1].y), X(p[i+2].x), Y(p[i+2].y))
		}
		dc.Stroke()
		dc.SetDash()
		if pts.end != nil {
			last := p[len(p)-1]
			arrowHead(dc, X(last.x), Y(last.y), X(pts.end.x), Y(pts.end.y))
		}
	}
	for _, e := range d.Edges {
		pts := lay.edges[e.From+"->"+e.To]
		if e.Label == "" || pts.label == nil {
			continue
		}
		color := "#404a57"
		switch e.Style {
		case EdgeFailing:
			color = "#b71c1c"
		case EdgeChange:
			color = "#6a1fae"
		}
		lines := strings.Split(e.Label, "\n")
		dc.SetFontFace(ef)
		lh := edgeFontSize * 1.25 * diagramScale
		cx, cy := X(pts.label.x), Y(pts.label.y)
		top := cy - lh*float64(len(lines))/2
		var maxW float64
		for _, l := range lines {
			w, _ := dc.MeasureString(l)
			maxW = math.Max(maxW, w)
		}
		dc.SetRGBA(1, 1, 1, 0.9)
		dc.DrawRectangle(cx-maxW/2-4, top-2, maxW+8, lh*float64(len(lines))+4)
		dc.Fill()
		dc.SetHexColor(color)
		for i, l := range lines {
			dc.DrawStringAnchored(l, cx, top+lh*(float64(i)+0.5), 0.5, 0.35)
		}
	}
	for _, n := range d.Nodes {
		box, ok := lay.nodes[n.ID]
		if !ok {
			continue
		}
		fill, stroke, pen := "#f4f6fa", "#5b6b82", 1.2
		switch {
		case n.Failing:
			fill, stroke, pen = "#fde2e1", "#c62828", 3
		case n.Suspect:
			fill, stroke, pen = "#efe4fb", "#7b2fbe", 2
		case n.Kind == NodeChange:
			fill, stroke = "#f7f2fc", "#a58cc4"
		}
		x0, y0 := X(box.x-box.w/2), Y(box.y+box.h/2)
		w, h := box.w*diagramScale, box.h*diagramScale
		if n.Kind == NodeChange {
			s := h * 0.3
			dc.MoveTo(x0+s, y0)
			dc.LineTo(x0+w-s, y0)
			dc.LineTo(x0+w, y0+h/2)
			dc.LineTo(x0+w-s, y0+h)
			dc.LineTo(x0+s, y0+h)
			dc.LineTo(x0, y0+h/2)
			dc.ClosePath()
		} else {
			dc.DrawRoundedRectangle(x0, y0, w, h, 6*diagramScale)
		}
		dc.SetHexColor(fill)
		dc.FillPreserve()
		dc.SetHexColor(stroke)
		dc.SetLineWidth(pen * diagramScale)
		dc.Stroke()
		lines := append([]string{n.Name}, n.Lines...)
		lh := nodeFontSize * 1.25 * diagramScale
		top := Y(box.y) - lh*float64(len(lines))/2
		for i, l := range lines {
			if i == 0 {
				dc.SetFontFace(bf)
				dc.SetHexColor("#111111")
			} else {
				dc.SetFontFace(nf)
				dc.SetHexColor("#3c4450")
			}
			dc.DrawStringAnchored(l, X(box.x), top+lh*(float64(i)+0.5), 0.5, 0.35)
		}
	}
	var buf bytes.Buffer
	if err := encodePNG(&buf, dc.Image()); err != nil {
		return nil, image.Rectangle{}, err
	}
	return buf.Bytes(), image.Rect(0, 0, W, H), nil
}

func scaled(d []float64) []float64 {
	out := make([]float64, len(d))
	for i, v := range d {
		out[i] = v * diagramScale
	}
	return out
}

// arrowHead draws a filled arrow from (x0,y0) to its tip (x1,y1).
func arrowHead(dc *gg.Context, x0, y0, x1, y1 float64) {
	a := math.Atan2(y1-y0, x1-x0)
	l := 9.0 * diagramScale / 2 * 1.6
	dc.MoveTo(x1, y1)
	dc.LineTo(x1-l*math.Cos(a-0.4), y1-l*math.Sin(a-0.4))
	dc.LineTo(x1-l*math.Cos(a+0.4), y1-l*math.Sin(a+0.4))
	dc.ClosePath()
	dc.Fill()
}

type point struct{ x, y float64 }

type edgeLayout struct {
	spline []point
	end    *point
	label  *point
}

type nodeLayout struct{ x, y, w, h float64 } // points; w, h full size

type graphLayout struct {
	width, height float64
	nodes         map[string]nodeLayout
	edges         map[string]edgeLayout
}

var (
	graphvizMu sync.Mutex
	graphvizRT *graphviz.Graphviz
)

// layout runs Graphviz's dot layout and reads positions back. The
// WebAssembly runtime is compiled once per process and reused: compiling
// it costs about a second, laying out a diagram a few milliseconds.
func layout(ctx context.Context, dot string) (*graphLayout, error) {
	graphvizMu.Lock()
	defer graphvizMu.Unlock()
	if graphvizRT == nil {
		g, err := graphviz.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("start graphviz: %w", err)
		}
		graphvizRT = g
	}
	graph, err := graphviz.ParseBytes([]byte(dot))
	if err != nil {
		return nil, fmt.Errorf("diagram DOT does not parse: %w", err)
	}
	defer graph.Close()
	var out bytes.Buffer
	if err := graphvizRT.Render(ctx, graph, graphviz.XDOT, &out); err != nil {
		return nil, fmt.Errorf("lay out diagram: %w", err)
	}
	laid, err := graphviz.ParseBytes(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("read diagram layout: %w", err)
	}
	defer laid.Close()
	res := &graphLayout{nodes: map[string]nodeLayout{}, edges: map[string]edgeLayout{}}
	if bb := floats(laid.GetStr("bb")); len(bb) == 4 {
		res.width, res.height = bb[2]-bb[0], bb[3]-bb[1]
	}
	for n, _ := laid.FirstNode(); n != nil; n, _ = laid.NextNode(n) {
		name, _ := n.Name()
		pos := floats(n.GetStr("pos"))
		w, _ := strconv.ParseFloat(n.GetStr("width"), 64)
		h, _ := strconv.ParseFloat(n.GetStr("height"), 64)
		if len(pos) == 2 {
			res.nodes[name] = nodeLayout{x: pos[0], y: pos[1], w: w * 72, h: h * 72}
		}
		for e, _ := laid.FirstOut(n); e != nil; e, _ = laid.NextOut(e) {
			head, _ := e.Head()
			hn, _ := head.Name()
			res.edges[name+"->"+hn] = parseEdgePos(e.GetStr("pos"), e.GetStr("lp"))
		}
	}
	return res, nil
}

// floats reads "x,y" or "x0,y0,x1,y1".
func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.Split(strings.TrimSpace(s), ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// parseEdgePos reads Graphviz's edge pos ("e,x,y x0,y0 x1,y1 …": an
// optional arrow end, then the B-spline control points) and label pos.
func parseEdgePos(pos, lp string) edgeLayout {
	var e edgeLayout
	for _, tok := range strings.Fields(strings.ReplaceAll(pos, "\\\n", "")) {
		switch {
		case strings.HasPrefix(tok, "e,"):
			if f := floats(tok[2:]); len(f) == 2 {
				e.end = &point{f[0], f[1]}
			}
		case strings.HasPrefix(tok, "s,"):
		default:
			if f := floats(tok); len(f) == 2 {
				e.spline = append(e.spline, point{f[0], f[1]})
			}
		}
	}
	if f := floats(lp); len(f) == 2 {
		e.label = &point{f[0], f[1]}
	}
	return e
}
