package report

import (
	"os"
	"unicode"

	"github.com/fa2/fa2/telemetry"
)

// FontSet is the TrueType files a PDF is written with. fpdf embeds (and
// subsets) them, so the PDF shows the same on every reader.
type FontSet struct {
	Regular, Bold, Mono string
	// CJK is set when the fonts cover Japanese (and Chinese, Korean) text.
	CJK bool
}

// Where Debian, Ubuntu and Amazon Linux packages put fonts fpdf can read
// (TrueType, not collections). fonts-dejavu-core for Latin text,
// fonts-ipafont-gothic (or fonts-ipaexfont-gothic) for Japanese.
var (
	latinCandidates = []FontSet{{
		Regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		Bold:    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		Mono:    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
	}, {
		Regular: "/usr/share/fonts/dejavu/DejaVuSans.ttf",
		Bold:    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
		Mono:    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
	}, {
		Regular: "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
		Bold:    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
		Mono:    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
	}, {
		Regular: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
		Bold:    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
		Mono:    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
	}}
	cjkCandidates = []string{
		"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
		"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
		"/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
		"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
		"/usr/share/fonts/ipa-gothic/ipag.ttf",
		"/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
	}
	cjkMonoCandidates = []string{
		"/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
		"/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
		"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
	}
)

// FindFonts picks the fonts for a document. A configured font (report.font)
// is used for everything. Otherwise, when the text needs CJK glyphs, an IPA
// (or Takao) Gothic font found on the system; else DejaVu, Noto or
// Liberation. It fails with a sentence saying what to install when
// nothing fits.
func FindFonts(configured string, needCJK bool) (FontSet, error) {
	if configured != "" {
		if !readable(configured) {
			return FontSet{}, telemetry.Errorf(telemetry.KindInvalidInput, "report.font %q is not a readable TrueType file.", configured).WithHint("Give the path of a .ttf file (for Japanese, e.g. /usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf).")
		}
		return FontSet{Regular: configured, Bold: configured, Mono: configured, CJK: needCJK}, nil
	}
	if needCJK {
		for _, c := range cjkCandidates {
			if readable(c) {
				mono := c
				for _, m := range cjkMonoCandidates {
					if readable(m) {
						mono = m
						break
					}
				}
				return FontSet{Regular: c, Bold: c, Mono: mono, CJK: true}, nil
			}
		}
		return FontSet{}, telemetry.Errorf(telemetry.KindUnsupported, "no Japanese (CJK) TrueType font was found, so the PDF cannot show this text.").
			WithHint("Install one (Debian/Ubuntu: apt-get install fonts-ipafont-gothic) or set report.font to a CJK .ttf file; the Markdown report is complete without it.")
	}
	for _, c := range latinCandidates {
		if readable(c.Regular) {
			if !readable(c.Bold) {
				c.Bold = c.Regular
			}
			if !readable(c.Mono) {
				c.Mono = c.Regular
			}
			return c, nil
		}
	}
	return FontSet{}, telemetry.Errorf(telemetry.KindUnsupported, "no TrueType font was found for the PDF.").
		WithHint("Install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set report.font to a .ttf file; the Markdown report is complete without it.")
}

func readable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// needsCJK reports whether text holds Han, Hiragana, Katakana or Hangul.
func needsCJK(text string) bool {
	for _, r := range text {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// isCJK covers the scripts and the full-width punctuation of CJK text.
func isCJK(r rune) bool {
	return r >= 0x3000 && (unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef))
}
