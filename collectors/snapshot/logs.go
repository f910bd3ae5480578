package snapshot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// maxLogWarnings bounds how many malformed-line messages are kept.
const maxLogWarnings = 5

// logIndex is every log event of the snapshot, per group, oldest first.
type logIndex struct {
	groups   map[string][]telemetry.LogEvent
	names    []string
	warnings []string
	interned map[string]string // stream names, one copy each
}

// rawLogEvent is one line of logs/<group>.jsonl, as FilterLogEvents returns it.
type rawLogEvent struct {
	Timestamp     *int64 `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
}

func (s *Store) loadLogs() (*logIndex, error) {
	s.logsOnce.Do(func() {
		s.logs, s.logsErr = s.readLogs()
	})
	return s.logs, s.logsErr
}

func (s *Store) readLogs() (*logIndex, error) {
	paths, err := s.files("logs", ".jsonl")
	if err != nil {
		return nil, err
	}
	idx := &logIndex{groups: map[string][]telemetry.LogEvent{}}
	for _, path := range paths {
		base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".gz"), ".jsonl")
		group, err := url.PathUnescape(base)
		if err != nil {
			return nil, fmt.Errorf("snapshot: log file %s: name is not a path-escaped log group name (write \"/\" as %%2F): %w", path, err)
		}
		events, err := readLogFile(path, group, idx)
		if err != nil {
			return nil, err
		}
		idx.groups[group] = append(idx.groups[group], events...)
	}
	for name, events := range idx.groups {
		// Files are usually in time order already; checking is linear.
		if !sort.SliceIsSorted(events, func(i, j int) bool { return events[i].Timestamp.Before(events[j].Timestamp) }) {
			sort.SliceStable(events, func(i, j int) bool { return events[i].Timestamp.Before(events[j].Timestamp) })
		}
		idx.names = append(idx.names, name)
	}
	sort.Strings(idx.names)
	idx.warnings = append(idx.warnings, s.skippedIn("logs")...)
	return idx, nil
}

// decodeLogLineJSON is the general path for a line the hand decoder left
// alone, with encoding/json's verdict on it.
func decodeLogLineJSON(raw []byte, intern func([]byte) string) (fastLogLine, error) {
	var ev rawLogEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return fastLogLine{}, err
	}
	if ev.Timestamp == nil {
		return fastLogLine{}, fmt.Errorf("no \"timestamp\" field")
	}
	return fastLogLine{timestamp: *ev.Timestamp, message: ev.Message, stream: intern([]byte(ev.LogStreamName))}, nil
}

// intern returns one shared string per distinct stream name: a stream has
// thousands of events, and each would otherwise hold its own copy.
func (idx *logIndex) intern(b []byte) string {
	if s, ok := idx.interned[string(b)]; ok {
		return s
	}
	if idx.interned == nil {
		idx.interned = map[string]string{}
	}
	s := string(b)
	idx.interned[s] = s
	return s
}

// readLogFile parses one JSON-lines file. A malformed line is skipped and
// reported in idx.warnings with its file and line number; the rest is kept.
func readLogFile(path, group string, idx *logIndex) ([]telemetry.LogEvent, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256*1024), 16*1024*1024)
	var events []telemetry.LogEvent
	skipped := 0
	for line := 1; sc.Scan(); line++ {
		raw := sc.Bytes()
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		ev, ok := decodeLogLine(raw, idx.intern)
		if !ok {
			var err error
			ev, err = decodeLogLineJSON(raw, idx.intern)
			if err != nil {
				skipped++
				if len(idx.warnings) < maxLogWarnings {
					idx.warnings = append(idx.warnings, fmt.Sprintf("%s:%d: skipped malformed log event: %v", path, line, err))
				}
				continue
			}
		}
		events = append(events, telemetry.LogEvent{
			Timestamp: time.UnixMilli(ev.timestamp).UTC(),
			LogGroup:  group,
			LogStream: ev.stream,
			Severity:  evidence.Severity(ev.message),
			Message:   ev.message,
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("snapshot: read %s: %w", path, err)
	}
	return events, nil
}

// LogGroups implements collectors.LogSource.
func (s *Store) LogGroups(ctx context.Context, prefix string) ([]string, error) {
	idx, err := s.loadLogs()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range idx.names {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	return out, nil
}

// selectLogs returns the matching events of q, oldest first.
func (s *Store) selectLogs(ctx context.Context, q telemetry.LogQuery) ([]telemetry.LogEvent, telemetry.QueryStats, error) {
	var stats telemetry.QueryStats
	idx, err := s.loadLogs()
	if err != nil {
		return nil, stats, err
	}
	stats.Warnings = idx.warnings
	match, err := evidence.ParseFilter(q.Filter)
	if err != nil {
		return nil, stats, telemetry.Errorf(telemetry.KindInvalidInput, "%v", err).WithHint("Fix the expression, or pass a plain substring without slashes.")
	}
	groups, err := s.resolveGroups(idx, q.LogGroups)
	if err != nil {
		return nil, stats, err
	}
	var out []telemetry.LogEvent
	for _, g := range groups {
		events := idx.groups[g]
		// Events are sorted, so binary search finds the window.
		lo := sort.Search(len(events), func(i int) bool { return !events[i].Timestamp.Before(q.Window.Start) })
		// While every event matches, the result of a single group is a
		// window of the index itself: it is shared, read-only (capped so an
		// append copies), rather than copied event by event.
		shared := len(groups) == 1
		hi := lo
		for i := lo; i < len(events) && !events[i].Timestamp.After(q.Window.End); i++ {
			if (i-lo)%4096 == 4095 && ctx.Err() != nil {
				return nil, stats, ctx.Err()
			}
			stats.RecordsScanned++
			stats.BytesScanned += float64(len(events[i].Message))
			hi = i + 1
			if match(events[i].Message) {
				if !shared {
					out = append(out, events[i])
				}
			} else if shared {
				shared = false
				out = append(out, events[lo:i]...)
			}
		}
		if shared {
			out = events[lo:hi:hi]
		}
		if err := ctx.Err(); err != nil {
			return nil, stats, err
		}
	}
	if len(groups) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Timestamp.Before(out[j].Timestamp) })
	}
	stats.RecordsMatched = float64(len(out))
	return out, stats, nil
}

// resolveGroups expands names and "prefix*" patterns against the snapshot's
// log groups; no names means all groups.
func (s *Store) resolveGroups(idx *logIndex, names []string) ([]string, error) {
	if len(names) == 0 {
		return idx.names, nil
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		matched := false
		for _, g := range idx.names {
			if g == n || (strings.HasSuffix(n, "*") && strings.HasPrefix(g, strings.TrimSuffix(n, "*"))) {
				matched = true
				if !seen[g] {
					seen[g] = true
					out = append(out, g)
				}
			}
		}
		if !matched {
			return nil, telemetry.Errorf(telemetry.KindNotFound, "log group %q is not in this snapshot.", n).WithHint(fmt.Sprintf("Use one of the snapshot's log groups: %s (or a prefix ending in *).", strings.Join(idx.names, ", ")))
		}
	}
	return out, nil
}

// Events implements collectors.LogSource.
func (s *Store) Events(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogEvents, error) {
	events, stats, err := s.selectLogs(ctx, q)
	if err != nil {
		return nil, err
	}
	res := &telemetry.LogEvents{Matched: int64(len(events)), Stats: stats}
	limit := q.Limit
	if limit <= 0 || limit > len(events) {
		limit = len(events)
	}
	res.Events = make([]telemetry.LogEvent, 0, limit)
	for i := len(events) - 1; i >= 0 && len(res.Events) < limit; i-- {
		res.Events = append(res.Events, events[i])
	}
	return res, nil
}

// Patterns implements collectors.LogSource with fa2's own template miner, so
// the whole window is covered like Logs Insights' pattern command does.
func (s *Store) Patterns(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogPatterns, error) {
	events, stats, err := s.selectLogs(ctx, q)
	if err != nil {
		return nil, err
	}
	patterns := evidence.MinePatterns(events)
	res := &telemetry.LogPatterns{Matched: int64(len(events)), TotalPatterns: len(patterns), Stats: stats}
	if q.Limit > 0 && len(patterns) > q.Limit {
		patterns = patterns[:q.Limit]
	}
	res.Patterns = patterns
	return res, nil
}

// Histogram implements collectors.LogSource.
func (s *Store) Histogram(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogHistogram, error) {
	events, stats, err := s.selectLogs(ctx, q)
	if err != nil {
		return nil, err
	}
	bin := q.Bin
	if bin <= 0 {
		bin = evidence.HistogramBin(q.Window.Duration())
	}
	return &telemetry.LogHistogram{
		Matched:    int64(len(events)),
		BinSeconds: int64(bin / time.Second),
		Bins:       evidence.Histogram(events, q.Window, bin),
		Stats:      stats,
	}, nil
}

// Insights implements collectors.LogSource: raw Logs Insights queries need
// the real service.
func (s *Store) Insights(ctx context.Context, q telemetry.LogQuery) (*telemetry.InsightsResult, error) {
	return nil, telemetry.Errorf(telemetry.KindUnsupported, "raw Logs Insights queries need live AWS, and this is a snapshot.").WithHint("Use filter with mode events, patterns or histogram instead; they work on snapshots.")
}
