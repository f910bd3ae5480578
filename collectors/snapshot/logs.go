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
	groups      map[string]*logGroup
	names       []string
	warnings    []string
	streamIDs   map[string]uint32
	streamNames []string
	sevNames    []string
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
	idx := &logIndex{groups: map[string]*logGroup{}}
	for _, path := range paths {
		base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".gz"), ".jsonl")
		group, err := url.PathUnescape(base)
		if err != nil {
			return nil, fmt.Errorf("snapshot: log file %s: name is not a path-escaped log group name (write \"/\" as %%2F): %w", path, err)
		}
		g := idx.groups[group]
		if g == nil {
			g = &logGroup{name: group}
			idx.groups[group] = g
		}
		if err := readLogFile(path, g, idx); err != nil {
			return nil, err
		}
	}
	for name, g := range idx.groups {
		g.finish(idx)
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

// readLogFile parses one JSON-lines file. A malformed line is skipped and
// reported in idx.warnings with its file and line number; the rest is kept.
func readLogFile(path string, g *logGroup, idx *logIndex) error {
	r, err := open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256*1024), 16*1024*1024)
	skipped := 0
	for line := 1; sc.Scan(); line++ {
		raw := sc.Bytes()
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		ev, ok := decodeLogLine(raw, idx.internStream)
		if !ok {
			var err error
			ev, err = decodeLogLineJSON(raw, idx.internStream)
			if err != nil {
				skipped++
				if len(idx.warnings) < maxLogWarnings {
					idx.warnings = append(idx.warnings, fmt.Sprintf("%s:%d: skipped malformed log event: %v", path, line, err))
				}
				continue
			}
		}
		g.add(ev.timestamp, idx.stream(ev.stream), idx.severity(evidence.Severity(ev.message)), ev.message)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("snapshot: read %s: %w", path, err)
	}
	return nil
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

// scanLogs calls fn with the matching events of q, oldest first. Without
// messages (a histogram of every line needs none), no message is unpacked
// unless the filter must read it, and events come with Message empty.
func (s *Store) scanLogs(ctx context.Context, q telemetry.LogQuery, messages, ordered bool, fn func(telemetry.LogEvent)) (telemetry.QueryStats, error) {
	var stats telemetry.QueryStats
	idx, err := s.loadLogs()
	if err != nil {
		return stats, err
	}
	stats.Warnings = idx.warnings
	match, err := evidence.ParseFilter(q.Filter)
	if err != nil {
		return stats, telemetry.Errorf(telemetry.KindInvalidInput, "%v", err).WithHint("Fix the expression, or pass a plain substring without slashes.")
	}
	groups, err := s.resolveGroups(idx, q.LogGroups)
	if err != nil {
		return stats, err
	}
	if q.Filter != "" {
		messages = true
	}
	// Events of several groups are merged in time order when the caller
	// needs it; one group's are in order already and go straight to fn.
	merge := ordered && len(groups) > 1
	var merged []telemetry.LogEvent
	emit := fn
	if merge {
		emit = func(ev telemetry.LogEvent) { merged = append(merged, ev) }
	}
	for _, name := range groups {
		g := idx.groups[name]
		// Events are sorted, so binary search finds the window.
		lo := g.search(q.Window.Start)
		hi := lo
		for hi < g.len() && !time.UnixMilli(g.times[hi]).After(q.Window.End) {
			hi++
		}
		n := 0
		for ev := range idx.events(g, lo, hi, messages) {
			if n%4096 == 4095 && ctx.Err() != nil {
				return stats, ctx.Err()
			}
			stats.RecordsScanned++
			stats.BytesScanned += float64(g.lens[lo+n])
			n++
			if match(ev.Message) {
				stats.RecordsMatched++
				emit(ev)
			}
		}
		if err := ctx.Err(); err != nil {
			return stats, err
		}
	}
	if merge {
		sort.SliceStable(merged, func(i, j int) bool { return merged[i].Timestamp.Before(merged[j].Timestamp) })
		for _, ev := range merged {
			fn(ev)
		}
	}
	return stats, nil
}

// selectLogs returns the matching events of q, oldest first.
func (s *Store) selectLogs(ctx context.Context, q telemetry.LogQuery) ([]telemetry.LogEvent, telemetry.QueryStats, error) {
	var out []telemetry.LogEvent
	stats, err := s.scanLogs(ctx, q, true, true, func(ev telemetry.LogEvent) { out = append(out, ev) })
	if err != nil {
		return nil, stats, err
	}
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
			if telemetry.MatchLogGroup(n, g) {
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

// Events implements collectors.LogSource: the newest q.Limit matching
// events, newest first, and how many matched in all. Only the newest are
// kept while the groups are scanned, so a small limit over a large window
// costs no more memory than the limit.
func (s *Store) Events(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogEvents, error) {
	if q.Limit <= 0 {
		events, stats, err := s.selectLogs(ctx, q)
		if err != nil {
			return nil, err
		}
		res := &telemetry.LogEvents{Matched: int64(len(events)), Stats: stats, Events: make([]telemetry.LogEvent, 0, len(events))}
		for i := len(events) - 1; i >= 0; i-- {
			res.Events = append(res.Events, events[i])
		}
		return res, nil
	}
	newest := newestEvents{limit: q.Limit}
	stats, err := s.scanLogs(ctx, q, true, false, newest.add)
	if err != nil {
		return nil, err
	}
	return &telemetry.LogEvents{Matched: int64(newest.seen), Stats: stats, Events: newest.sorted()}, nil
}

// newestEvents keeps the limit newest of the events added, in a min-heap
// on (time, order added): among events of the same millisecond the one
// scanned later counts as newer, as in a merge of the groups in order.
type newestEvents struct {
	limit int
	seen  int
	heap  []seqEvent
}

type seqEvent struct {
	ev  telemetry.LogEvent
	seq int
}

func (a seqEvent) older(b seqEvent) bool {
	if !a.ev.Timestamp.Equal(b.ev.Timestamp) {
		return a.ev.Timestamp.Before(b.ev.Timestamp)
	}
	return a.seq < b.seq
}

func (n *newestEvents) add(ev telemetry.LogEvent) {
	e := seqEvent{ev, n.seen}
	n.seen++
	h := n.heap
	if len(h) < n.limit {
		h = append(h, e)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !h[i].older(h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		n.heap = h
		return
	}
	if !h[0].older(e) {
		return // older than every event kept
	}
	h[0] = e
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].older(h[m]) {
			m = l
		}
		if r < len(h) && h[r].older(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// sorted returns the events kept, newest first.
func (n *newestEvents) sorted() []telemetry.LogEvent {
	sort.Slice(n.heap, func(i, j int) bool { return n.heap[j].older(n.heap[i]) })
	out := make([]telemetry.LogEvent, len(n.heap))
	for i, e := range n.heap {
		out[i] = e.ev
	}
	return out
}

// Patterns implements collectors.LogSource with fa2's own template miner, so
// the whole window is covered like Logs Insights' pattern command does.
func (s *Store) Patterns(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogPatterns, error) {
	// The events are mined as they are unpacked, never all held at once.
	var (
		stats telemetry.QueryStats
		err   error
	)
	patterns := evidence.MinePatternsSeq(func(yield func(telemetry.LogEvent) bool) {
		stop := false
		stats, err = s.scanLogs(ctx, q, true, true, func(ev telemetry.LogEvent) {
			if !stop && !yield(ev) {
				stop = true
			}
		})
	})
	if err != nil {
		return nil, err
	}
	res := &telemetry.LogPatterns{Matched: int64(stats.RecordsMatched), TotalPatterns: len(patterns), Stats: stats}
	if q.Limit > 0 && len(patterns) > q.Limit {
		patterns = patterns[:q.Limit]
	}
	res.Patterns = patterns
	return res, nil
}

// Histogram implements collectors.LogSource.
func (s *Store) Histogram(ctx context.Context, q telemetry.LogQuery) (*telemetry.LogHistogram, error) {
	// Counting needs times and severities, not the messages, and no order.
	bin := q.Bin
	if bin <= 0 {
		bin = evidence.HistogramBin(q.Window.Duration())
	}
	var (
		stats telemetry.QueryStats
		err   error
	)
	bins := evidence.HistogramSeq(func(yield func(telemetry.LogEvent) bool) {
		stop := false
		stats, err = s.scanLogs(ctx, q, false, false, func(ev telemetry.LogEvent) {
			if !stop && !yield(ev) {
				stop = true
			}
		})
	}, q.Window, bin)
	if err != nil {
		return nil, err
	}
	return &telemetry.LogHistogram{
		Matched:    int64(stats.RecordsMatched),
		BinSeconds: int64(bin / time.Second),
		Bins:       bins,
		Stats:      stats,
	}, nil
}

// Insights implements collectors.LogSource: raw Logs Insights queries need
// the real service.
func (s *Store) Insights(ctx context.Context, q telemetry.LogQuery) (*telemetry.InsightsResult, error) {
	return nil, telemetry.Errorf(telemetry.KindUnsupported, "raw Logs Insights queries need live AWS, and this is a snapshot.").WithHint("Use filter with mode events, patterns or histogram instead; they work on snapshots.")
}
