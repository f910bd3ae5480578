package snapshot

import (
	"bufio"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/evidence/alblog"
	"github.com/fa2/fa2/telemetry"
)

// lazyALB holds the snapshot's ALB requests, oldest first, read on first use.
type lazyALB struct {
	once     sync.Once
	entries  []alblog.Entry
	warnings []string
	skipped  int
	err      error
}

func (s *Store) loadALB() (*lazyALB, error) {
	a := &s.alb
	a.once.Do(func() {
		paths, err := s.files("alb", ".log")
		if err != nil {
			a.err = err
			return
		}
		for _, path := range paths {
			if err := a.readFile(path); err != nil {
				a.err = err
				return
			}
		}
		a.warnings = append(a.warnings, s.skippedIn("alb")...)
		if a.skipped > len(a.warnings) {
			a.warnings = append(a.warnings, fmt.Sprintf("%d malformed ALB log lines skipped in all", a.skipped))
		}
		sort.SliceStable(a.entries, func(i, j int) bool { return a.entries[i].Time.Before(a.entries[j].Time) })
	})
	return a, a.err
}

// readFile parses one log file; a malformed line is skipped and reported
// with its file and line number, and the rest of the file is kept.
func (a *lazyALB) readFile(path string) error {
	r, err := open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		e, err := alblog.ParseLine(text)
		if err != nil {
			a.skipped++
			if len(a.warnings) < maxLogWarnings {
				a.warnings = append(a.warnings, fmt.Sprintf("%s:%d: skipped malformed ALB log line: %v", path, line, err))
			}
			continue
		}
		a.entries = append(a.entries, e)
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
	lo := sort.Search(len(a.entries), func(i int) bool { return !a.entries[i].Time.Before(q.Window.Start) })
	for i := lo; i < len(a.entries) && !a.entries[i].Time.After(q.Window.End); i++ {
		if (i-lo)%4096 == 4095 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		scanned++
		if evidence.MatchAccessLog(q, &a.entries[i]) {
			matched++
			agg.Add(&a.entries[i])
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := agg.Result()
	res.Stats = telemetry.QueryStats{RecordsScanned: scanned, RecordsMatched: matched, Warnings: a.warnings}
	return res, nil
}
