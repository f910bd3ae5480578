package snapshot

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/evidence/xrayfilter"
	"github.com/fa2/fa2/telemetry"
)

// maxTraceWarnings bounds how many malformed-segment messages are kept.
const maxTraceWarnings = 5

// traceIndex is every trace of xray/*.json, newest first. Full traces are
// not kept: a busy service records tens of thousands an hour, and what
// queries need of most of them is their summary and their requests per
// service. A trace asked for by id is read again from its file.
type traceIndex struct {
	summaries []telemetry.TraceSummary
	tallies   [][]evidence.ServiceTally // per trace, for ServiceGraph
	locs      []traceLoc
	paths     []string
	byID      map[string]int
	warnings  []string
}

// traceLoc is where a trace is: its file (an index in paths) and its
// position in that file's Traces array.
type traceLoc struct{ file, pos int }

// rawTrace is one trace of BatchGetTraces output.
type rawTrace struct {
	ID       string          `json:"Id"`
	Duration float64         `json:"Duration"`
	Segments []rawSegmentRef `json:"Segments"`
}

// rawSegmentRef is one segment of a trace, its document still a string.
type rawSegmentRef struct {
	ID       string `json:"Id"`
	Document string `json:"Document"`
}

// rawBatchGetTraces is BatchGetTraces output.
type rawBatchGetTraces struct {
	Traces []rawTrace `json:"Traces"`
}

func (s *Store) loadTraces() (*traceIndex, error) {
	s.tracesOnce.Do(func() { s.traces, s.tracesErr = s.readTraces() })
	return s.traces, s.tracesErr
}

// eachTrace calls fn with every element of a BatchGetTraces file's Traces
// array, in order. It streams the file, so the whole document is never in
// memory at once: by hand for the plain shape (scanTraces), else with
// json.Decoder; on anything unusual (a key json would match only
// case-insensitively, a repeated Traces, a syntax error) it starts over
// with decodeJSONFile, whose result and errors are the reference. restart
// is called before each new pass, so fn can drop what it kept.
func eachTrace(path string, fn func(pos int, rt *rawTrace), restart func()) error {
	if r, err := open(path); err == nil {
		err = scanTraces(r, fn)
		r.Close()
		if err == nil {
			return nil
		}
		restart()
	}
	if streamTraces(path, fn) == nil {
		return nil
	}
	restart()
	var raw rawBatchGetTraces
	if err := decodeJSONFile(path, &raw); err != nil {
		return err
	}
	for i := range raw.Traces {
		fn(i, &raw.Traces[i])
	}
	return nil
}

var errUnusualTraces = errors.New("unusual BatchGetTraces file")

func streamTraces(path string, fn func(pos int, rt *rawTrace)) error {
	r, err := open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(r, 256*1024))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errUnusualTraces
	}
	seen := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if key != "Traces" {
			if strings.EqualFold(key, "Traces") {
				return errUnusualTraces
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if seen {
			return errUnusualTraces
		}
		seen = true
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return errUnusualTraces
		}
		for pos := 0; dec.More(); pos++ {
			var rt rawTrace
			if err := dec.Decode(&rt); err != nil {
				return err
			}
			fn(pos, &rt)
		}
		if t, err := dec.Token(); err != nil || t != json.Delim(']') {
			return errUnusualTraces
		}
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return errUnusualTraces
	}
	if _, err := dec.Token(); err != io.EOF {
		return errUnusualTraces
	}
	return nil
}

// parseTrace turns a raw trace into a trace, skipping (and reporting to
// warn, when given) the segments that do not parse.
func parseTrace(path string, pos int, rt *rawTrace, warn func(format string, args ...any)) telemetry.Trace {
	t := telemetry.Trace{ID: rt.ID, Duration: rt.Duration}
	for j, seg := range rt.Segments {
		parsed, err := evidence.ParseSegmentDocument(seg.Document)
		if err != nil {
			if warn != nil {
				warn("%s: trace %d (%s) segment %d: skipped: %v", path, pos, rt.ID, j, err)
			}
			continue
		}
		t.Segments = append(t.Segments, parsed)
	}
	return t
}

func (s *Store) readTraces() (*traceIndex, error) {
	paths, err := s.files("xray", ".json")
	if err != nil {
		return nil, err
	}
	idx := &traceIndex{byID: map[string]int{}, paths: paths}
	warn := func(format string, args ...any) {
		if len(idx.warnings) < maxTraceWarnings {
			idx.warnings = append(idx.warnings, fmt.Sprintf(format, args...))
		}
	}
	for _, w := range s.skippedIn("xray") {
		warn("%s", w)
	}
	names := map[string]string{}
	intern := func(s string) string {
		if c, ok := names[s]; ok {
			return c
		}
		names[s] = s
		return s
	}
	for f, path := range paths {
		// What one file adds is kept apart until the file has been read
		// through, so a second pass starts from a clean slate.
		var (
			sums     []telemetry.TraceSummary
			tallies  [][]evidence.ServiceTally
			locs     []traceLoc
			ids      map[string]bool
			warnings []string
		)
		fileWarn := func(format string, args ...any) {
			warnings = append(warnings, fmt.Sprintf(format, args...))
		}
		restart := func() { sums, tallies, locs, ids, warnings = nil, nil, nil, nil, nil }
		err := eachTrace(path, func(pos int, rt *rawTrace) {
			if _, dup := idx.byID[rt.ID]; dup || ids[rt.ID] || rt.ID == "" {
				return
			}
			t := parseTrace(path, pos, rt, fileWarn)
			if len(t.Segments) == 0 {
				return
			}
			if ids == nil {
				ids = map[string]bool{}
			}
			ids[t.ID] = true
			// Names repeat across thousands of traces: keep one copy of
			// each rather than the one every parsed document made.
			sum := evidence.SummarizeTrace(t)
			sum.HTTPMethod = intern(sum.HTTPMethod)
			for k := range sum.Services {
				sum.Services[k] = intern(sum.Services[k])
			}
			tl := evidence.ServiceTalliesOf(t)
			for k := range tl {
				tl[k].Name, tl[k].Type = intern(tl[k].Name), intern(tl[k].Type)
			}
			sums = append(sums, sum)
			tallies = append(tallies, tl)
			locs = append(locs, traceLoc{f, pos})
		}, restart)
		if err != nil {
			return nil, err
		}
		for _, w := range warnings {
			warn("%s", w)
		}
		for i := range sums {
			idx.byID[sums[i].ID] = len(idx.summaries)
			idx.summaries = append(idx.summaries, sums[i])
			idx.tallies = append(idx.tallies, tallies[i])
			idx.locs = append(idx.locs, locs[i])
		}
	}
	// Newest first, as X-Ray returns them.
	order := make([]int, len(idx.summaries))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return idx.summaries[order[a]].Start.After(idx.summaries[order[b]].Start) })
	sums := make([]telemetry.TraceSummary, len(order))
	tallies := make([][]evidence.ServiceTally, len(order))
	locs := make([]traceLoc, len(order))
	for i, o := range order {
		sums[i], tallies[i], locs[i] = idx.summaries[o], idx.tallies[o], idx.locs[o]
		idx.byID[sums[i].ID] = i
	}
	idx.summaries, idx.tallies, idx.locs = sums, tallies, locs
	return idx, nil
}

func (s *Store) tracesOrUnsupported() (*traceIndex, error) {
	idx, err := s.loadTraces()
	if err != nil {
		return nil, err
	}
	if len(idx.summaries) == 0 {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "this snapshot has no X-Ray traces.").WithHint("Add xray/*.json (aws xray batch-get-traces output) to the snapshot.")
	}
	return idx, nil
}

// TraceSummaries implements collectors.TraceSource, evaluating the filter
// expression locally.
func (s *Store) TraceSummaries(ctx context.Context, q telemetry.TraceQuery) (*telemetry.TraceSummaries, error) {
	expr, err := xrayfilter.Parse(q.Filter)
	if err != nil {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "%v.", err).WithHint("Rewrite the filter with the supported forms, or use live AWS for the full X-Ray syntax.")
	}
	idx, err := s.tracesOrUnsupported()
	if err != nil {
		return nil, err
	}
	out := &telemetry.TraceSummaries{Summaries: []telemetry.TraceSummary{}, Warnings: idx.warnings}
	for i, sum := range idx.summaries {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !q.Window.Contains(sum.Start) {
			continue
		}
		out.Processed++
		if !expr.Eval(evidence.FilterFields(sum)) {
			continue
		}
		if q.Limit > 0 && len(out.Summaries) >= q.Limit {
			out.Partial = fmt.Sprintf("stopped after the newest %d matching traces", q.Limit)
			break
		}
		out.Summaries = append(out.Summaries, sum)
	}
	return out, nil
}

// Traces implements collectors.TraceSource, reading the files that hold
// the traces asked for again.
func (s *Store) Traces(ctx context.Context, ids []string) ([]telemetry.Trace, error) {
	idx, err := s.tracesOrUnsupported()
	if err != nil {
		return nil, err
	}
	want := map[traceLoc]int{} // where each wanted trace is → its index in idx
	var files []int
	for _, id := range ids {
		if i, ok := idx.byID[id]; ok {
			loc := idx.locs[i]
			if _, dup := want[loc]; !dup {
				want[loc] = i
				files = append(files, loc.file)
			}
		}
	}
	sort.Ints(files)
	found := map[int]telemetry.Trace{}
	for k, f := range files {
		if k > 0 && files[k-1] == f {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path := idx.paths[f]
		keep := map[int]telemetry.Trace{}
		err := eachTrace(path, func(pos int, rt *rawTrace) {
			if i, ok := want[traceLoc{f, pos}]; ok {
				keep[i] = parseTrace(path, pos, rt, nil)
			}
		}, func() { clear(keep) })
		if err != nil {
			return nil, err
		}
		for i, t := range keep {
			found[i] = t
		}
	}
	var out []telemetry.Trace
	for _, id := range ids {
		if i, ok := idx.byID[id]; ok {
			if t, ok := found[i]; ok {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// ServiceGraph implements collectors.TraceSource from the traces that
// started in the window.
func (s *Store) ServiceGraph(ctx context.Context, w telemetry.Window) ([]telemetry.ServiceStats, error) {
	idx, err := s.tracesOrUnsupported()
	if err != nil {
		return nil, err
	}
	var g evidence.ServiceGraphSum
	for i, sum := range idx.summaries {
		if w.Contains(sum.Start) {
			g.Add(idx.tallies[i])
		}
	}
	return g.Result(), nil
}
