package report

import (
	"os"
	"sync"

	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
)

// Pictures use fonts compiled into the binary (Liberation for charts, Go
// for the diagram), which have no Japanese glyphs. When a picture's text
// needs them, the CJK TrueType font the PDF would use is loaded once and
// used for that picture instead.

const cjkTypeface = "fa2-cjk"

var (
	cjkOnce  sync.Map // font path → *cjkFonts
	cjkMutex sync.Mutex
)

type cjkFonts struct {
	tt  *truetype.Font // for the diagram (gg)
	ok  bool
	err error
}

// loadCJK finds and parses a CJK font (configured first), registering it
// with gonum/plot's font cache. It reports false when none is usable; the
// picture is then drawn with the built-in fonts (and missing glyphs).
func loadCJK(configured string) (*truetype.Font, bool) {
	fs, err := FindFonts(configured, true)
	if err != nil {
		return nil, false
	}
	if v, ok := cjkOnce.Load(fs.Regular); ok {
		c := v.(*cjkFonts)
		return c.tt, c.ok
	}
	cjkMutex.Lock()
	defer cjkMutex.Unlock()
	if v, ok := cjkOnce.Load(fs.Regular); ok {
		c := v.(*cjkFonts)
		return c.tt, c.ok
	}
	c := &cjkFonts{}
	defer cjkOnce.Store(fs.Regular, c)
	data, err := os.ReadFile(fs.Regular)
	if err != nil {
		return nil, false
	}
	otf, err := opentype.Parse(data)
	if err != nil {
		return nil, false
	}
	tt, err := truetype.Parse(data)
	if err != nil {
		return nil, false
	}
	face := font.Face{Font: font.Font{Typeface: cjkTypeface}, Face: otf}
	bold := face
	bold.Font.Weight = 700
	font.DefaultCache.Add(font.Collection{face, bold})
	c.tt, c.ok = tt, true
	return tt, true
}
