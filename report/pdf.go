package report

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // decode PNG sizes for layout
	"os"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/fa2/fa2/telemetry"
)

// PDFOptions says how to lay out a Markdown document as PDF.
type PDFOptions struct {
	Title     string
	Generated time.Time
	// Location is the reader's time zone for the date line; nil is UTC.
	Location *time.Location
	// Font is report.font: a TrueType file used for all text. Empty finds
	// one on the system (a CJK one when the text needs it).
	Font string
	// Images resolves image links (![alt](chart-1.png)) to PNG bytes;
	// images not found are shown as their alt text.
	Images map[string][]byte
	// MermaidPNG, when set, is drawn in place of ```mermaid blocks (a PDF
	// reader cannot run Mermaid).
	MermaidPNG []byte
}

// A4 in millimetres and the text block.
const (
	pageMargin = 18.0
	bodySize   = 10.0
	lineH      = 5.0
)

// PDF renders Markdown (CommonMark with GitHub tables) to an A4 PDF with a
// title, the date, page numbers, headings, lists, tables, code blocks and
// embedded PNGs. It fails with a *telemetry.Error when no usable font is
// installed (the caller still has the Markdown).
func PDF(markdown string, opts PDFOptions) ([]byte, error) {
	fonts, err := FindFonts(opts.Font, needsCJK(markdown+opts.Title))
	if err != nil {
		return nil, err
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(true, pageMargin+4)
	for _, f := range []struct{ family, style, path string }{{"body", "", fonts.Regular}, {"body", "B", fonts.Bold}, {"mono", "", fonts.Mono}} {
		data, err := os.ReadFile(f.path)
		if err != nil {
			return nil, telemetry.Errorf(telemetry.KindInvalidInput, "cannot read the font %s: %v.", f.path, err).WithHint("Set report.font to a readable .ttf file.")
		}
		pdf.AddUTF8FontFromBytes(f.family, f.style, data)
	}
	if pdf.Err() {
		return nil, fmt.Errorf("load PDF fonts (%s): %w", fonts.Regular, pdf.Error())
	}
	pdf.SetTitle(opts.Title, true)
	pdf.SetProducer("fa2", true)
	gen := opts.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	// A fixed creation date keeps the bytes reproducible for one report.
	pdf.SetCreationDate(gen)
	pdf.SetModificationDate(gen)
	pdf.SetCatalogSort(true)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pageMargin + 4)
		pdf.SetFont("body", "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 4, fmt.Sprintf("%s — page %d of {nb}", clipRunes(opts.Title, 90), pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	r := &pdfRenderer{pdf: pdf, opts: opts}
	// Title block.
	pdf.SetFont("body", "B", 18)
	pdf.SetTextColor(20, 20, 20)
	pdf.MultiCell(0, 8, opts.Title, "", "L", false)
	pdf.SetFont("body", "", 9)
	pdf.SetTextColor(100, 100, 100)
	pdf.CellFormat(0, 5, "Generated "+gen.In(loc).Format("2006-01-02 15:04 MST")+" by fa2", "", 1, "L", false, 0, "")
	pdf.Ln(3)

	src := []byte(markdown)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	r.src = src
	skipTitle := true
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		// The document's own H1 repeats the title block.
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 && skipTitle && strings.TrimSpace(r.plain(h)) == strings.TrimSpace(opts.Title) {
			skipTitle = false
			continue
		}
		skipTitle = false
		r.block(n, 0)
	}
	if pdf.Err() {
		return nil, fmt.Errorf("render PDF: %w", pdf.Error())
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write PDF: %w", err)
	}
	return buf.Bytes(), nil
}

type pdfRenderer struct {
	pdf    *fpdf.Fpdf
	opts   PDFOptions
	src    []byte
	images int
}

func (r *pdfRenderer) body() {
	r.pdf.SetFont("body", "", bodySize)
	r.pdf.SetTextColor(25, 25, 25)
}

// ensure starts a new page when less than h millimetres are left.
func (r *pdfRenderer) ensure(h float64) {
	_, ph := r.pdf.GetPageSize()
	if r.pdf.GetY()+h > ph-pageMargin-4 {
		r.pdf.AddPage()
	}
}

func (r *pdfRenderer) block(n ast.Node, indent float64) {
	pdf := r.pdf
	left := pageMargin + indent
	pdf.SetLeftMargin(left)
	pdf.SetX(left)
	switch n := n.(type) {
	case *ast.Heading:
		size := map[int]float64{1: 16, 2: 13.5, 3: 11.5}[n.Level]
		if size == 0 {
			size = 10.5
		}
		pdf.Ln(2)
		// Keep a heading with its first lines, or with the picture that
		// follows it.
		keep := 14.0
		if next := n.NextSibling(); next != nil {
			if img := soleImage(next); img != nil {
				keep = max(keep, r.imageHeight(string(img.Destination))+4)
			}
		}
		r.ensure(size*0.5 + keep)
		pdf.SetFont("body", "B", size)
		pdf.SetTextColor(15, 40, 80)
		pdf.MultiCell(0, size*0.5, r.plain(n), "", "L", false)
		pdf.Ln(1.5)
	case *ast.Paragraph, *ast.TextBlock:
		if img := soleImage(n); img != nil {
			r.image(string(img.Destination), r.plain(img))
			return
		}
		r.body()
		r.inlines(n)
		pdf.Ln(lineH)
		if _, ok := n.(*ast.Paragraph); ok {
			pdf.Ln(1.5)
		}
	case *ast.List:
		i := n.Start
		if i == 0 {
			i = 1
		}
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			r.body()
			r.ensure(lineH)
			pdf.SetX(left)
			marker := "•"
			if n.IsOrdered() {
				marker = fmt.Sprintf("%d.", i)
				i++
			}
			pdf.CellFormat(6, lineH, marker, "", 0, "L", false, 0, "")
			for c := item.FirstChild(); c != nil; c = c.NextSibling() {
				if c == item.FirstChild() {
					// The first block continues on the marker's line.
					if p, ok := c.(*ast.TextBlock); ok {
						pdf.SetLeftMargin(left + 6)
						r.body()
						r.inlines(p)
						pdf.Ln(lineH)
						continue
					}
					if p, ok := c.(*ast.Paragraph); ok {
						pdf.SetLeftMargin(left + 6)
						r.body()
						r.inlines(p)
						pdf.Ln(lineH + 1)
						continue
					}
					pdf.Ln(lineH)
				}
				r.block(c, indent+6)
			}
			pdf.SetLeftMargin(left)
		}
		pdf.Ln(1.5)
	case *ast.FencedCodeBlock:
		lang := string(n.Language(r.src))
		if lang == "mermaid" && len(r.opts.MermaidPNG) > 0 {
			r.image("\x00mermaid", "hypothesis diagram")
			return
		}
		r.code(n)
	case *ast.CodeBlock:
		r.code(n)
	case *east.Table:
		r.table(n)
	case *ast.ThematicBreak:
		pdf.Ln(2)
		pdf.SetDrawColor(190, 190, 190)
		y := pdf.GetY()
		pdf.Line(left, y, 210-pageMargin, y)
		pdf.Ln(3)
	case *ast.Blockquote:
		y0 := pdf.GetY()
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c, indent+5)
		}
		pdf.SetDrawColor(180, 180, 200)
		pdf.SetLineWidth(0.8)
		if y1 := pdf.GetY(); y1 > y0 {
			pdf.Line(left+1.5, y0, left+1.5, y1-2)
		}
		pdf.SetLineWidth(0.2)
	case *ast.HTMLBlock:
		// Raw HTML has no PDF meaning; its text is kept as code.
		r.code(n)
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c, indent)
		}
	}
	pdf.SetLeftMargin(pageMargin)
}

// soleImage is the image a paragraph consists of, if it is only that.
func soleImage(n ast.Node) *ast.Image {
	if n.ChildCount() != 1 {
		return nil
	}
	img, _ := n.FirstChild().(*ast.Image)
	return img
}

func (r *pdfRenderer) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.inline(c, false)
	}
}

func (r *pdfRenderer) inline(n ast.Node, bold bool) {
	pdf := r.pdf
	style := ""
	if bold {
		style = "B"
	}
	switch n := n.(type) {
	case *ast.Text:
		pdf.SetFont("body", style, bodySize)
		r.write(string(n.Segment.Value(r.src)))
		switch {
		case n.HardLineBreak():
			pdf.Ln(lineH)
		case n.SoftLineBreak():
			r.write(" ")
		}
	case *ast.String:
		pdf.SetFont("body", style, bodySize)
		r.write(string(n.Value))
	case *ast.Emphasis:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.inline(c, bold || n.Level >= 2)
		}
	case *ast.CodeSpan:
		pdf.SetFont("mono", "", bodySize-1)
		pdf.SetTextColor(120, 30, 30)
		r.write(r.plain(n))
		pdf.SetTextColor(25, 25, 25)
	case *ast.Link:
		pdf.SetFont("body", style, bodySize)
		pdf.SetTextColor(20, 80, 170)
		pdf.WriteLinkString(lineH, r.plain(n), string(n.Destination))
		pdf.SetTextColor(25, 25, 25)
	case *ast.AutoLink:
		pdf.SetFont("body", style, bodySize)
		pdf.SetTextColor(20, 80, 170)
		u := string(n.URL(r.src))
		pdf.WriteLinkString(lineH, u, u)
		pdf.SetTextColor(25, 25, 25)
	case *ast.Image:
		pdf.SetFont("body", style, bodySize)
		pdf.Write(lineH, "["+r.plain(n)+"]")
	case *ast.RawHTML:
		// <br> and friends: nothing to draw.
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.inline(c, bold)
		}
	}
}

// write flows text from the current position, breaking lines between
// words and between any two CJK characters (Japanese has no spaces, and
// fpdf alone would break a mixed line at its last space, leaving it half
// empty). A word longer than a line is left to fpdf, which cuts it.
func (r *pdfRenderer) write(s string) {
	pdf := r.pdf
	left, _, right, _ := pdf.GetMargins()
	pw, _ := pdf.GetPageSize()
	limit := pw - right
	for _, tok := range wrapTokens(s) {
		w := pdf.GetStringWidth(tok)
		if pdf.GetX()+w > limit+0.01 && pdf.GetX() > left+0.01 && w <= limit-left {
			pdf.Ln(lineH)
			tok = strings.TrimLeft(tok, " ")
			if tok == "" {
				continue
			}
		}
		pdf.Write(lineH, tok)
	}
}

// wrapTokens splits text where a line may break: after spaces, and
// around every CJK character.
func wrapTokens(s string) []string {
	var out []string
	start := 0
	for i, c := range s {
		switch {
		case isCJK(c):
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, string(c))
			start = i + len(string(c))
		case c == ' ' && i > start:
			out = append(out, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// plain is the text of a node's inline children.
func (r *pdfRenderer) plain(n ast.Node) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(r.src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
			return
		case *ast.String:
			b.Write(t.Value)
			return
		case *ast.AutoLink:
			b.Write(t.URL(r.src))
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func (r *pdfRenderer) code(n ast.Node) {
	pdf := r.pdf
	pdf.SetFont("mono", "", 8.5)
	pdf.SetTextColor(30, 30, 30)
	pdf.SetFillColor(243, 244, 247)
	left := pdf.GetX()
	w := 210 - pageMargin - left
	lines := n.Lines()
	pdf.Ln(1)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(strings.ReplaceAll(string(seg.Value(r.src)), "\t", "    "), "\n")
		parts := pdf.SplitText(line, w-4)
		if len(parts) == 0 {
			parts = []string{""}
		}
		for _, p := range parts {
			r.ensure(4.2)
			pdf.SetX(left)
			pdf.CellFormat(w, 4.2, "  "+p, "", 1, "L", true, 0, "")
		}
	}
	pdf.Ln(2.5)
}

// imageHeight is the height image will take on the page, 0 if unknown.
func (r *pdfRenderer) imageHeight(dest string) float64 {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(r.opts.Images[dest]))
	if err != nil || cfg.Width == 0 {
		return 0
	}
	w := min(210-2*pageMargin, float64(cfg.Width)/144*25.4)
	return w * float64(cfg.Height) / float64(cfg.Width)
}

// image draws a PNG scaled to the text width (or its natural size at 144
// DPI if smaller), on a new page when it does not fit.
func (r *pdfRenderer) image(dest, alt string) {
	pdf := r.pdf
	data := r.opts.Images[dest]
	if dest == "\x00mermaid" {
		data = r.opts.MermaidPNG
	}
	if len(data) == 0 {
		r.body()
		pdf.Write(lineH, "[image: "+alt+"]")
		pdf.Ln(lineH + 1)
		return
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width == 0 {
		r.body()
		pdf.Write(lineH, "[image "+alt+" could not be read]")
		pdf.Ln(lineH + 1)
		return
	}
	r.images++
	name := fmt.Sprintf("img%d", r.images)
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(data))
	maxW := 210 - 2*pageMargin
	w := min(maxW, float64(cfg.Width)/144*25.4)
	h := w * float64(cfg.Height) / float64(cfg.Width)
	_, ph := pdf.GetPageSize()
	if maxH := ph - 2*pageMargin - 12; h > maxH {
		h, w = maxH, maxH*float64(cfg.Width)/float64(cfg.Height)
	}
	r.ensure(h + 2)
	x := pageMargin + (maxW-w)/2
	pdf.ImageOptions(name, x, pdf.GetY(), w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetY(pdf.GetY() + h + 3)
}

// table draws a GFM table: column widths follow the content, cells wrap,
// the header repeats after a page break.
func (r *pdfRenderer) table(t *east.Table) {
	pdf := r.pdf
	var rows [][]string
	header := 0
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, strings.TrimSpace(r.plain(c)))
		}
		if _, ok := row.(*east.TableHeader); ok {
			header = 1
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	size := 8.5
	pdf.SetFont("body", "", size)
	total := 210 - 2*pageMargin
	// Each column gets at least its longest word (no word is split) and
	// shares the rest of the page in proportion to its natural width, so
	// one long column cannot starve the short ones.
	natural, least := make([]float64, cols), make([]float64, cols)
	for ri, row := range rows {
		style := ""
		if ri < header {
			style = "B"
		}
		pdf.SetFont("body", style, size)
		for i, c := range row {
			natural[i] = max(natural[i], min(pdf.GetStringWidth(c)+4, total*0.6))
			for _, w := range strings.Fields(c) {
				least[i] = max(least[i], min(pdf.GetStringWidth(w)+4, total*0.3))
			}
		}
	}
	sumN, sumL := 0.0, 0.0
	for i := range natural {
		natural[i] = max(natural[i], least[i], 8)
		sumN += natural[i]
		sumL += least[i]
	}
	widths := make([]float64, cols)
	for i := range widths {
		switch {
		case sumN <= total:
			widths[i] = natural[i] // a narrow table stays narrow
		case sumL >= total:
			widths[i] = least[i] * total / sumL
		default:
			widths[i] = least[i] + (natural[i]-least[i])*(total-sumL)/(sumN-sumL)
		}
	}
	lh := 4.4
	// SplitText keeps the cell margin free on both sides; the cells here
	// draw their own padding.
	cm := pdf.GetCellMargin()
	pdf.SetCellMargin(0)
	defer pdf.SetCellMargin(cm)
	drawRow := func(row []string, isHeader bool) {
		style := ""
		if isHeader {
			style = "B"
			pdf.SetFillColor(230, 235, 243)
		} else {
			pdf.SetFillColor(255, 255, 255)
		}
		pdf.SetFont("body", style, size)
		lines := make([][]string, cols)
		n := 1
		for i := 0; i < cols; i++ {
			c := ""
			if i < len(row) {
				c = row[i]
			}
			lines[i] = pdf.SplitText(c, widths[i]-2.5)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lh + 1.5
		r.ensure(h)
		x, y := pageMargin, pdf.GetY()
		pdf.SetDrawColor(200, 205, 215)
		for i := 0; i < cols; i++ {
			pdf.Rect(x, y, widths[i], h, "DF")
			for j, l := range lines[i] {
				pdf.SetXY(x+1.2, y+0.75+float64(j)*lh)
				pdf.CellFormat(widths[i]-2.4, lh, l, "", 0, "L", false, 0, "")
			}
			x += widths[i]
		}
		pdf.SetXY(pageMargin, y+h)
	}
	page := pdf.PageNo()
	for i, row := range rows {
		if i >= header && header == 1 && i > 0 {
			// Repeat the header when the row will start a new page.
			_, ph := pdf.GetPageSize()
			if pdf.GetY()+lh*2 > ph-pageMargin-4 {
				pdf.AddPage()
			}
			if pdf.PageNo() != page {
				page = pdf.PageNo()
				drawRow(rows[0], true)
			}
		}
		drawRow(row, i < header)
	}
	pdf.SetTextColor(25, 25, 25)
	pdf.Ln(3)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
