package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// Chart geometry: 8 × 5 inches at 144 DPI is 1152 × 720 pixels, wide
// enough for a Slack preview and an A4 page, with text still legible when
// the image is scaled to half its width.
const (
	chartDPI    = 144
	chartWidth  = 8 * vg.Inch
	chartHeight = 5 * vg.Inch
	// maxSuspectMarks bounds the suspect changes drawn on one chart; more
	// lines than this stop being readable.
	maxSuspectMarks = 4
)

// Mark kinds.
const (
	MarkOnset  = "onset"
	MarkChange = "change"
)

// Mark is a moment drawn as a labelled vertical line on a chart.
type Mark struct {
	Time time.Time
	Kind string // MarkOnset or MarkChange
	// Tag is the short label drawn above the line ("onset", "C1").
	Tag string
	// Legend is the longer text under the chart.
	Legend string
}

// PlacedMark is a mark and the pixel column its line was drawn at.
type PlacedMark struct {
	Mark
	X int `json:"x"`
}

// Chart is a rendered metric chart.
type Chart struct {
	// Name is a file name for it (chart-1-cpuutilization.png).
	Name  string
	Title string
	PNG   []byte
	// Width and Height are the image's size in pixels.
	Width, Height int
	// Marks are the vertical lines drawn, with their pixel columns.
	Marks []PlacedMark
}

// ChartOptions are the reader's preferences.
type ChartOptions struct {
	// Location is the reader's time zone for the time axis; nil is UTC.
	Location *time.Location
	// Font is report.font, used when labels need CJK glyphs.
	Font string
}

var (
	seriesColor    = color.RGBA{R: 0x1f, G: 0x5f, B: 0xbf, A: 0xff}
	thresholdColor = color.RGBA{R: 0xd0, G: 0x21, B: 0x21, A: 0xff}
	onsetColor     = color.RGBA{R: 0xf0, G: 0x7d, B: 0x00, A: 0xff}
	changeColor    = color.RGBA{R: 0x7b, G: 0x2f, B: 0xbe, A: 0xff}
	windowShade    = color.RGBA{R: 0xff, G: 0xf3, B: 0xd6, A: 0xff}
	textColor      = color.RGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff}
	// failRed is the failing path in the diagram (#c62828).
	failRed = color.RGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
)

// sansFontFor is Liberation Sans, or the CJK font when the chart's labels
// need one.
func sansFontFor(size vg.Length, bold, cjk bool) font.Font {
	if cjk {
		f := font.Font{Typeface: cjkTypeface, Size: size}
		if bold {
			f.Weight = stdfont.WeightBold
		}
		return f
	}
	return sansFont(size, bold)
}

func sansFont(size vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return f
}

func textStyle(size vg.Length, bold bool, c color.Color, cjk bool) text.Style {
	return text.Style{Color: c, Font: sansFontFor(size, bold, cjk), Handler: plot.DefaultTextHandler}
}

// BundleMarks are the moments worth marking on a bundle's charts: the
// onset, then the suspect changes by rank (at most maxSuspectMarks), each
// tagged C1, C2… in rank order so the legend and the report agree.
func BundleMarks(b *investigate.Bundle, loc *time.Location) []Mark {
	var marks []Mark
	if b.Onset != nil {
		l := "onset " + clock(*b.Onset, loc)
		if b.OnsetSignal != "" {
			l += ": " + b.OnsetSignal
		}
		marks = append(marks, Mark{Time: *b.Onset, Kind: MarkOnset, Tag: "onset", Legend: l})
	}
	for i, s := range rankedSuspects(b.Suspects) {
		if i == maxSuspectMarks {
			break
		}
		marks = append(marks, Mark{Time: s.EventTime, Kind: MarkChange, Tag: fmt.Sprintf("C%d", i+1),
			Legend: fmt.Sprintf("C%d %s %s (%s)", i+1, clock(s.EventTime, loc), suspectName(s), s.Likelihood)})
	}
	return marks
}

// RankedSuspects orders suspects most likely first (by score among equals):
// the order C1, C2… follow in charts, diagram and notifications.
func RankedSuspects(in []investigate.Suspect) []investigate.Suspect { return rankedSuspects(in) }

func rankedSuspects(in []investigate.Suspect) []investigate.Suspect {
	out := append([]investigate.Suspect(nil), in...)
	rank := map[string]int{investigate.Likely: 0, investigate.Possible: 1, investigate.Unlikely: 2}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank[out[i].Likelihood], rank[out[j].Likelihood]
		if ri != rj {
			return ri < rj
		}
		return out[i].Score > out[j].Score
	})
	return out
}

// suspectName is "RegisterTaskDefinition by deploy-pipeline on checkout-api:42".
func suspectName(s investigate.Suspect) string {
	n := s.EventName
	if p := shortPrincipal(s.Principal); p != "" {
		n += " by " + p
	}
	if len(s.Resources) > 0 {
		n += " on " + shortResource(s.Resources[0])
	}
	return n
}

// ShortPrincipal keeps the role or user name of a principal's ARN.
func ShortPrincipal(p string) string { return shortPrincipal(p) }

func shortPrincipal(p string) string {
	if i := strings.Index(p, ":assumed-role/"); i >= 0 {
		r := p[i+len(":assumed-role/"):]
		if j := strings.IndexByte(r, '/'); j >= 0 {
			r = r[:j]
		}
		return r
	}
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// shortResource keeps the part of an ARN a person recognises.
func shortResource(r string) string {
	if !strings.HasPrefix(r, "arn:") {
		return r
	}
	parts := strings.SplitN(r, ":", 6)
	if len(parts) < 6 {
		return r
	}
	res := parts[5]
	switch {
	case strings.HasPrefix(res, "secret:"):
		return strings.TrimPrefix(res, "secret:")
	case strings.Contains(res, "/"):
		return res[strings.LastIndexByte(res, '/')+1:]
	}
	return res
}

func clock(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("15:04")
}

// BundleCharts renders every chart series of the bundle with its marks.
func BundleCharts(b *investigate.Bundle, opts ChartOptions) ([]Chart, error) {
	marks := BundleMarks(b, opts.Location)
	span := telemetry.Window{Start: b.Baseline.Start, End: b.Window.End}
	if span.Start.IsZero() || span.Start.After(b.Window.Start) {
		span.Start = b.Window.Start
	}
	var out []Chart
	for i, s := range b.Charts {
		c, err := RenderChart(s, span, b.Window, marks, opts)
		if err != nil {
			return out, fmt.Errorf("chart %q: %w", s.Title, err)
		}
		c.Name = fmt.Sprintf("chart-%d-%s.png", i+1, slug(s.Metric.MetricName))
		out = append(out, *c)
	}
	return out, nil
}

// RenderChart draws one series over span with the incident window shaded,
// the threshold, the departure point and the marks. Marks outside span are
// left out (their legend says so).
func RenderChart(s investigate.ChartSeries, span, incident telemetry.Window, marks []Mark, opts ChartOptions) (*Chart, error) {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	all := s.Title + seriesLegend(s)
	for _, m := range marks {
		all += m.Legend
	}
	cjk := false
	if needsCJK(all) {
		_, cjk = loadCJK(opts.Font)
	}
	pts := make(plotter.XYs, 0, len(s.Points))
	for _, p := range s.Points {
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			continue
		}
		pts = append(pts, plotter.XY{X: unix(p.Timestamp), Y: p.Value})
	}
	if span.End.IsZero() || !span.End.After(span.Start) {
		if len(pts) == 0 {
			return nil, fmt.Errorf("no points and no time span to draw")
		}
		span = telemetry.Window{Start: s.Points[0].Timestamp, End: s.Points[len(s.Points)-1].Timestamp}
		if !span.End.After(span.Start) {
			span.End = span.Start.Add(time.Minute)
		}
	}

	p := plot.New()
	p.BackgroundColor = color.White
	p.X.Min, p.X.Max = unix(span.Start), unix(span.End)
	p.X.Tick.Marker = timeTicker{loc: loc}
	p.X.Label.Text = "time (" + zoneName(loc, span.Start) + ")"
	p.Y.Label.Text = yLabel(s)
	p.Y.Tick.Marker = plainTicks{}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sansFontFor(11, false, cjk)
		a.Label.TextStyle.Color = textColor
		a.Tick.Label.Font = sansFontFor(10, false, cjk)
		a.Tick.Label.Color = textColor
	}
	p.Add(plotter.NewGrid())

	// Y range: from zero for non-negative data (a rate that doubles should
	// look doubled), with room above the highest of data and threshold.
	lo, hi := 0.0, 0.0
	for i, xy := range pts {
		if i == 0 || xy.Y < lo {
			lo = xy.Y
		}
		if i == 0 || xy.Y > hi {
			hi = xy.Y
		}
	}
	if s.Threshold != nil {
		lo, hi = math.Min(lo, *s.Threshold), math.Max(hi, *s.Threshold)
	}
	if lo > 0 {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*0.08

	var legend []legendEntry
	if !incident.Start.IsZero() && incident.Start.After(span.Start) {
		p.Add(&band{x0: unix(incident.Start), x1: unix(incident.End), c: windowShade})
		legend = append(legend, legendEntry{fill: windowShade, text: "incident window " + clock(incident.Start, loc) + "–" + clock(incident.End, loc) + "; before it, the baseline"})
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	line.Color = seriesColor
	line.Width = vg.Points(1.8)
	p.Add(line)
	legend = append(legend, legendEntry{style: line.LineStyle, text: seriesLegend(s)})
	if s.Threshold != nil {
		ls := draw.LineStyle{Color: thresholdColor, Width: vg.Points(1.4), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}
		p.Add(&hline{y: *s.Threshold, style: ls})
		legend = append(legend, legendEntry{style: ls, text: "alarm threshold " + formatValue(*s.Threshold, s.Unit)})
	}
	if s.Departure != nil {
		if v, ok := valueAt(s.Points, *s.Departure); ok {
			sc, err := plotter.NewScatter(plotter.XYs{{X: unix(*s.Departure), Y: v}})
			if err == nil {
				sc.GlyphStyle = draw.GlyphStyle{Color: thresholdColor, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
				p.Add(sc)
				legend = append(legend, legendEntry{glyph: &sc.GlyphStyle, text: "departs from baseline " + clock(*s.Departure, loc)})
			}
		}
	}
	var drawn []Mark
	for _, m := range marks {
		if m.Time.Before(span.Start) || m.Time.After(span.End) {
			continue
		}
		ls := markStyle(m.Kind)
		p.Add(&vline{x: unix(m.Time), style: ls})
		legend = append(legend, legendEntry{style: ls, text: m.Legend})
		drawn = append(drawn, m)
	}

	// Layout, top to bottom: title, a strip of mark tags, the plot, the
	// legend. Text never sits on the data.
	c := vgimg.NewWith(vgimg.UseWH(chartWidth, chartHeight), vgimg.UseDPI(chartDPI))
	dc := draw.New(c)
	titleSty := textStyle(13, true, textColor, cjk)
	tagSty := textStyle(10, true, textColor, cjk)
	legendSty := textStyle(10, false, textColor, cjk)
	pad := vg.Points(8)
	lineH := legendSty.Height("Xg") + vg.Points(3)
	legendH := lineH*vg.Length(len(legend)) + pad
	tagH := tagSty.Height("Xg") + vg.Points(2)
	titleH := titleSty.Height("Xg") + pad
	// The data area's x range does not depend on its height, so the tags'
	// rows can be assigned before the plot's final size is known.
	probe := p.DataCanvas(draw.Crop(dc, pad/2, -pad, legendH, -titleH))
	tx, _ := p.Transforms(&probe)
	order := make([]int, len(drawn))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return drawn[order[a]].Time.Before(drawn[order[b]].Time) })
	rows, lefts := make([]int, len(drawn)), make([]vg.Length, len(drawn))
	var rowEnd []vg.Length
	for _, i := range order {
		x := tx(unix(drawn[i].Time))
		w := tagSty.Width(drawn[i].Tag)
		left := min(max(x-w/2, probe.Min.X), probe.Max.X-w)
		row := 0
		for row < len(rowEnd) && left < rowEnd[row]+vg.Points(4) {
			row++
		}
		if row == len(rowEnd) {
			rowEnd = append(rowEnd, 0)
		}
		rowEnd[row] = left + w
		rows[i], lefts[i] = row, left
	}
	stripH := tagH*vg.Length(max(len(rowEnd), 1)) + vg.Points(2)

	title := s.Title
	for _, d := range s.Metric.Dimensions {
		title = strings.ReplaceAll(title, d.Value, shortDimension(d.Value))
	}
	title = fitText(titleSty, title, dc.Max.X-dc.Min.X-2*pad)
	titleSty.XAlign, titleSty.YAlign = draw.XLeft, draw.YTop
	dc.FillText(titleSty, vg.Point{X: dc.Min.X + pad, Y: dc.Max.Y - pad/2}, title)

	plotArea := draw.Crop(dc, pad/2, -pad, legendH, -(titleH + stripH))
	p.Draw(plotArea)
	data := p.DataCanvas(plotArea)
	tx, _ = p.Transforms(&data)

	// Tags above the data area, staggered into rows when lines are close.
	placed := make([]PlacedMark, 0, len(drawn))
	for i, m := range drawn {
		x := tx(unix(m.Time))
		sty := tagSty
		sty.Color = markColor(m.Kind)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
		y := data.Max.Y + vg.Points(2) + tagH*vg.Length(rows[i])
		dc.FillText(sty, vg.Point{X: lefts[i], Y: y}, m.Tag)
		// Image rows run top-down; columns run left to right like vg's x.
		placed = append(placed, PlacedMark{Mark: m, X: int(math.Round(float64(x / vg.Inch * chartDPI)))})
	}
	sort.SliceStable(placed, func(a, b int) bool { return placed[a].Time.Before(placed[b].Time) })

	// Legend: a sample of each line, then its text, clipped to the width.
	y := dc.Min.Y + legendH - pad/2
	for _, e := range legend {
		y -= lineH
		x0 := dc.Min.X + 2*pad
		mid := y + lineH/2 - vg.Points(1)
		switch {
		case e.glyph != nil:
			dc.DrawGlyphNoClip(*e.glyph, vg.Point{X: x0 + vg.Points(11), Y: mid})
		case e.fill != nil:
			h := vg.Points(4)
			dc.FillPolygon(e.fill, []vg.Point{{X: x0, Y: mid - h}, {X: x0 + vg.Points(22), Y: mid - h}, {X: x0 + vg.Points(22), Y: mid + h}, {X: x0, Y: mid + h}})
		default:
			dc.StrokeLine2(e.style, x0, mid, x0+vg.Points(22), mid)
		}
		sty := legendSty
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
		dc.FillText(sty, vg.Point{X: x0 + vg.Points(30), Y: mid}, fitText(legendSty, e.text, dc.Max.X-x0-vg.Points(30)-pad))
	}

	var buf bytes.Buffer
	if err := encodePNG(&buf, c.Image()); err != nil {
		return nil, err
	}
	b := c.Image().Bounds()
	return &Chart{Title: s.Title, PNG: buf.Bytes(), Width: b.Dx(), Height: b.Dy(), Marks: placed}, nil
}

type legendEntry struct {
	fill  color.Color
	style draw.LineStyle
	glyph *draw.GlyphStyle
	text  string
}

func markStyle(kind string) draw.LineStyle {
	if kind == MarkOnset {
		return draw.LineStyle{Color: onsetColor, Width: vg.Points(2)}
	}
	return draw.LineStyle{Color: changeColor, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(3), vg.Points(3)}}
}

func markColor(kind string) color.Color {
	if kind == MarkOnset {
		return onsetColor
	}
	return changeColor
}

func seriesLegend(s investigate.ChartSeries) string {
	l := s.Metric.Namespace + " " + s.Metric.MetricName
	if s.Stat != "" {
		l += " (" + s.Stat + ")"
	}
	if len(s.Metric.Dimensions) > 0 {
		var d []string
		for _, dim := range s.Metric.Dimensions {
			d = append(d, dim.Name+"="+shortDimension(dim.Value))
		}
		l += " " + strings.Join(d, ", ")
	}
	return l
}

// shortDimension keeps the name inside load balancer and target group
// dimension values (targetgroup/checkout-api-tg/6d0e… → checkout-api-tg).
func shortDimension(v string) string {
	parts := strings.Split(v, "/")
	if len(parts) == 3 && (parts[0] == "targetgroup" || parts[0] == "app" || parts[0] == "net") {
		return parts[1]
	}
	return v
}

// plainTicks are gonum's default ticks labelled without trailing zeros.
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', 6, 64)
		}
	}
	return ticks
}

func yLabel(s investigate.ChartSeries) string {
	l := s.Stat
	if l == "" {
		l = "value"
	}
	if s.Unit != "" && s.Unit != "None" {
		l += " (" + s.Unit + ")"
	}
	return l
}

func formatValue(v float64, unit string) string {
	s := fmt.Sprintf("%.4g", v)
	if unit != "" && unit != "None" {
		s += " " + unit
	}
	return s
}

// valueAt is the series value at t, or at the nearest point before it.
func valueAt(pts []telemetry.Point, t time.Time) (float64, bool) {
	var v float64
	ok := false
	for _, p := range pts {
		if p.Timestamp.After(t) {
			break
		}
		v, ok = p.Value, true
	}
	return v, ok
}

// fitText clips s with an ellipsis so it fits in w.
func fitText(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// encodePNG favours speed over the last few percent of size: charts are
// drawn while someone waits for them.
func encodePNG(w io.Writer, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// zoneName is the location's name, with its offset when the name is an
// abbreviation people may not know.
func zoneName(loc *time.Location, at time.Time) string {
	abbr, off := at.In(loc).Zone()
	if loc == time.UTC {
		return "UTC"
	}
	h, m := off/3600, (off%3600)/60
	if m < 0 {
		m = -m
	}
	return fmt.Sprintf("%s, %s UTC%+03d:%02d", loc.String(), abbr, h, m)
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		out = "metric"
	}
	if len(out) > 40 {
		out = out[:40]
	}
	return out
}

// timeTicker puts ticks on round wall-clock times in the reader's zone:
// every 1, 2, 5, 10, 15, 30 minutes or 1, 2, 3, 6, 12 hours or a day,
// whichever gives at most eight labelled ticks.
type timeTicker struct{ loc *time.Location }

var tickSteps = []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

func (t timeTicker) Ticks(lo, hi float64) []plot.Tick {
	span := time.Duration((hi - lo) * float64(time.Second))
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= 8 {
			step = s
			break
		}
	}
	format := "15:04"
	if span > 20*time.Hour {
		format = "01-02 15:04"
	}
	minor := step / 5
	if step == 15*time.Minute || step == 3*time.Hour {
		minor = step / 3
	}
	start := time.Unix(int64(lo), 0).In(t.loc)
	// Align on the local wall clock so ticks fall on :00, :15 … in the
	// reader's zone, including zones offset by half an hour.
	_, off := start.Zone()
	offset := time.Duration(off) * time.Second
	first := start.Add(offset).Truncate(minor).Add(-offset)
	var ticks []plot.Tick
	for at := first; !at.After(time.Unix(int64(hi), 0)); at = at.Add(minor) {
		v := unix(at)
		if v < lo {
			continue
		}
		tk := plot.Tick{Value: v}
		if at.Add(offset).Truncate(step).Equal(at.Add(offset)) {
			tk.Label = at.In(t.loc).Format(format)
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// band shades an x range across the whole data area.
type band struct {
	x0, x1 float64
	c      color.Color
}

func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x0, x1 := max(tx(b.x0), c.Min.X), min(tx(b.x1), c.Max.X)
	if x1 <= x0 {
		return
	}
	c.FillPolygon(b.c, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// vline is a vertical line at x across the data area.
type vline struct {
	x     float64
	style draw.LineStyle
}

func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(v.x)
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// hline is a horizontal line at y across the data area.
type hline struct {
	y     float64
	style draw.LineStyle
}

func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}
