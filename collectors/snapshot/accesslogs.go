package snapshot

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/evidence/alblog"
	"github.com/fa2/fa2/telemetry"
)

// lazyALB lists the snapshot's ALB log files, found on first use. The
// requests themselves are not kept: each query streams the files and
// aggregates as it parses, so memory stays flat however many requests a
// snapshot holds (a busy load balancer writes millions an hour).
type lazyALB struct {
	once  sync.Once
	paths []string
	err   error
}

func (s *Store) loadALB() (*lazyALB, error) {
	a := &s.alb
	a.once.Do(func() { a.paths, a.err = s.files("alb", ".log") })
	return a, a.err
}

// albFileTime reads the end of the five minutes an ALB log file covers from
// its AWS name (…_20261120T0905Z_10.0.0.11_a9cf33b0.log.gz); ok is false
// for files named otherwise.
func albFileTime(path string) (t time.Time, ok bool) {
	for _, part := range strings.Split(filepath.Base(path), "_") {
		if len(part) == 14 && part[8] == 'T' && part[13] == 'Z' {
			if t, err := time.Parse("20060102T1504Z", part); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// streamALB parses one file, calling add for each request; a malformed
// line is skipped and reported (at most maxLogWarnings of them in all).
func streamALB(ctx context.Context, path string, add func(e *alblog.Entry), warn func(string), skipped *int) error {
	r, err := open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	var e alblog.Entry // one for the file: add must not keep it
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		var err error
		e, err = alblog.ParseLine(text)
		if err != nil {
			*skipped++
			warn(fmt.Sprintf("%s:%d: skipped malformed ALB log line: %v", path, line, err))
			continue
		}
		add(&e)
		if line%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("snapshot: read %s: %w", path, err)
	}
	return nil
}

// AccessLogStats implements collectors.AccessLogSource over alb/*.log files.
func (s *Store) AccessLogStats(ctx context.Context, q telemetry.AccessLogQuery) (*telemetry.AccessLogStats, error) {
	a, err := s.loadALB()
	if err != nil {
		return nil, err
	}
	agg := evidence.NewAccessLogAggregator(q)
	var scanned, matched float64
	var warnings []string
	skipped := 0
	warn := func(w string) {
		if len(warnings) < maxLogWarnings {
			warnings = append(warnings, w)
		}
	}
	add := func(e *alblog.Entry) {
		if !q.Window.Contains(e.Time) {
			return
		}
		scanned++
		if evidence.MatchAccessLog(q, e) {
			matched++
			agg.Add(e)
		}
	}
	for _, path := range a.paths {
		// A file named for five minutes that end before the window, or
		// begin well after it, holds nothing of it.
		if end, ok := albFileTime(path); ok && (end.Before(q.Window.Start) || end.Add(-15*time.Minute).After(q.Window.End)) {
			continue
		}
		if err := streamALB(ctx, path, add, warn, &skipped); err != nil {
			return nil, err
		}
	}
	warnings = append(warnings, s.skippedIn("alb")...)
	if skipped > len(warnings) {
		warnings = append(warnings, fmt.Sprintf("%d malformed ALB log lines skipped in all", skipped))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := agg.Result()
	res.Stats = telemetry.QueryStats{RecordsScanned: scanned, RecordsMatched: matched, Warnings: warnings}
	return res, nil
}
