package config

import (
	"os"
	"time"
)

// Report configures reports: PDF fonts, charts, the time zone people read.
type Report struct {
	Font     string `yaml:"font" doc:"TrueType font file for PDFs (Japanese needs a CJK font); empty finds DejaVu, IPA or Noto on the system"`
	TimeZone string `yaml:"timezone" doc:"IANA time zone for times in reports and charts, e.g. Asia/Tokyo (default UTC)"`
}

func defaultReport() Report { return Report{TimeZone: "UTC"} }

// Location is the reader's time zone; validation has already checked it.
func (s *Report) Location() *time.Location {
	if s.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// validate reports bad values through bad, naming the key.
func (s *Report) validate(bad func(key, format string, args ...any)) {
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil {
			bad("report.timezone", "%q is not an IANA time zone (e.g. UTC, Europe/Paris, Asia/Tokyo)", s.TimeZone)
		}
	}
	if s.Font != "" {
		if st, err := os.Stat(s.Font); err != nil || st.IsDir() {
			bad("report.font", "%q is not a readable font file; give the path of a .ttf file", s.Font)
		}
	}
}
