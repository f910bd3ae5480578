package snapshot

import (
	"context"
	"fmt"
	"sort"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/evidence/xrayfilter"
	"github.com/fa2/fa2/telemetry"
)

// maxTraceWarnings bounds how many malformed-segment messages are kept.
const maxTraceWarnings = 5

// traceIndex is every trace of xray/*.json, with its summary, newest first.
type traceIndex struct {
	traces    []telemetry.Trace
	summaries []telemetry.TraceSummary
	byID      map[string]int
	warnings  []string
}

// rawBatchGetTraces is BatchGetTraces output.
type rawBatchGetTraces struct {
	Traces []struct {
		ID       string  `json:"Id"`
		Duration float64 `json:"Duration"`
		Segments []struct {
			ID       string `json:"Id"`
			Document string `json:"Document"`
		} `json:"Segments"`
	} `json:"Traces"`
}

func (s *Store) loadTraces() (*traceIndex, error) {
	s.tracesOnce.Do(func() { s.traces, s.tracesErr = s.readTraces() })
	return s.traces, s.tracesErr
}

func (s *Store) readTraces() (*traceIndex, error) {
	paths, err := s.files("xray", ".json")
	if err != nil {
		return nil, err
	}
	idx := &traceIndex{byID: map[string]int{}}
	warn := func(format string, args ...any) {
		if len(idx.warnings) < maxTraceWarnings {
			idx.warnings = append(idx.warnings, fmt.Sprintf(format, args...))
		}
	}
	for _, w := range s.skippedIn("xray") {
		warn("%s", w)
	}
	for _, path := range paths {
		var raw rawBatchGetTraces
		if err := decodeJSONFile(path, &raw); err != nil {
			return nil, err
		}
		for i, rt := range raw.Traces {
			if _, dup := idx.byID[rt.ID]; dup || rt.ID == "" {
				continue
			}
			t := telemetry.Trace{ID: rt.ID, Duration: rt.Duration}
			for j, seg := range rt.Segments {
				parsed, err := evidence.ParseSegmentDocument(seg.Document)
				if err != nil {
					warn("%s: trace %d (%s) segment %d: skipped: %v", path, i, rt.ID, j, err)
					continue
				}
				t.Segments = append(t.Segments, parsed)
			}
			if len(t.Segments) == 0 {
				continue
			}
			idx.byID[t.ID] = len(idx.traces)
			idx.traces = append(idx.traces, t)
		}
	}
	for _, t := range idx.traces {
		idx.summaries = append(idx.summaries, evidence.SummarizeTrace(t))
	}
	// Newest first, as X-Ray returns them; keep traces in the same order.
	order := make([]int, len(idx.traces))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return idx.summaries[order[a]].Start.After(idx.summaries[order[b]].Start) })
	traces := make([]telemetry.Trace, len(order))
	sums := make([]telemetry.TraceSummary, len(order))
	for i, o := range order {
		traces[i], sums[i] = idx.traces[o], idx.summaries[o]
		idx.byID[traces[i].ID] = i
	}
	idx.traces, idx.summaries = traces, sums
	return idx, nil
}

func (s *Store) tracesOrUnsupported() (*traceIndex, error) {
	idx, err := s.loadTraces()
	if err != nil {
		return nil, err
	}
	if len(idx.traces) == 0 {
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

// Traces implements collectors.TraceSource.
func (s *Store) Traces(ctx context.Context, ids []string) ([]telemetry.Trace, error) {
	idx, err := s.tracesOrUnsupported()
	if err != nil {
		return nil, err
	}
	var out []telemetry.Trace
	for _, id := range ids {
		if i, ok := idx.byID[id]; ok {
			out = append(out, idx.traces[i])
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
	var in []telemetry.Trace
	for i, sum := range idx.summaries {
		if w.Contains(sum.Start) {
			in = append(in, idx.traces[i])
		}
	}
	return evidence.ServiceGraph(in), nil
}
