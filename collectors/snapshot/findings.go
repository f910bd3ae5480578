package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// lazyFindings holds the snapshot's findings, normalised, read on first use.
type lazyFindings struct {
	once     sync.Once
	bySource map[string][]findingRecord
	// present records which sources have a file at all.
	present  map[string]bool
	warnings []string
	err      error
}

// findingRecord is a normalised finding plus what the filters need.
type findingRecord struct {
	f       telemetry.Finding
	updated string
	active  bool
}

type findingsFile struct {
	Findings []json.RawMessage `json:"Findings"`
}

func (s *Store) loadFindings() (*lazyFindings, error) {
	l := &s.findings
	l.once.Do(func() {
		l.bySource = map[string][]findingRecord{}
		l.present = map[string]bool{}
		for _, src := range []string{telemetry.FindingSourceSecurityHub, telemetry.FindingSourceGuardDuty} {
			var file findingsFile
			name := src + ".json"
			found, err := s.readJSON(name, &file)
			if err != nil {
				l.warnings = append(l.warnings, fmt.Sprintf("%s skipped: %v", name, err))
				continue
			}
			l.present[src] = found
			for i, raw := range file.Findings {
				rec, err := decodeFinding(src, raw)
				if err != nil {
					if len(l.warnings) < maxLogWarnings {
						l.warnings = append(l.warnings, fmt.Sprintf("%s: finding %d: skipped malformed finding: %v", name, i+1, err))
					}
					continue
				}
				l.bySource[src] = append(l.bySource[src], rec)
			}
		}
	})
	return l, l.err
}

func decodeFinding(src string, raw json.RawMessage) (findingRecord, error) {
	if src == telemetry.FindingSourceSecurityHub {
		var a evidence.ASFF
		if err := json.Unmarshal(raw, &a); err != nil {
			return findingRecord{}, err
		}
		if a.ID == "" {
			return findingRecord{}, fmt.Errorf("no Id")
		}
		active := a.RecordState != "ARCHIVED" && (a.Workflow == nil || a.Workflow.Status != "SUPPRESSED")
		return findingRecord{f: evidence.FromASFF(&a), updated: a.UpdatedAt, active: active}, nil
	}
	var g evidence.GuardDutyFinding
	if err := json.Unmarshal(raw, &g); err != nil {
		return findingRecord{}, err
	}
	if g.ID == "" {
		return findingRecord{}, fmt.Errorf("no Id")
	}
	return findingRecord{f: evidence.FromGuardDuty(&g), updated: g.UpdatedAt, active: !g.Service.Archived}, nil
}

// SecurityFindings implements collectors.FindingSource over securityhub.json
// and guardduty.json, with the filters the live APIs apply: active records,
// not suppressed or archived, severity and last update (when q.Window is set).
func (s *Store) SecurityFindings(ctx context.Context, q telemetry.FindingQuery) (*telemetry.FindingList, error) {
	l, err := s.loadFindings()
	if err != nil {
		return nil, err
	}
	res := &telemetry.FindingList{Findings: []telemetry.Finding{}, Stats: telemetry.QueryStats{Warnings: append([]string(nil), l.warnings...)}}
	sources := q.Sources
	if len(sources) == 0 {
		sources = []string{telemetry.FindingSourceSecurityHub, telemetry.FindingSourceGuardDuty}
	}
	// Findings are standing state: a zero window means every active one.
	anyTime := q.Window.Start.IsZero() && q.Window.End.IsZero()
	for _, src := range sources {
		if !l.present[src] {
			res.Stats.Warnings = append(res.Stats.Warnings, fmt.Sprintf("%s: this snapshot has no %s.json.", src, src))
			continue
		}
		var matched []telemetry.Finding
		for _, r := range l.bySource[src] {
			res.Stats.RecordsScanned++
			t, ok := evidence.ParseFindingTime(r.updated)
			if r.active && (anyTime || ok && q.Window.Contains(t)) && evidence.SeverityAtLeast(r.f.Severity, q.MinSeverity) {
				matched = append(matched, r.f)
			}
		}
		// Like the live APIs sorted by severity, keep the most severe.
		evidence.SortFindings(matched)
		if q.Limit > 0 && len(matched) > q.Limit {
			res.Stats.Partial = fmt.Sprintf("%d %s findings matched; only the %d most severe were read. Raise min_severity or narrow the window.", len(matched), src, q.Limit)
			matched = matched[:q.Limit]
		}
		res.Findings = append(res.Findings, matched...)
	}
	evidence.SortFindings(res.Findings)
	res.Stats.RecordsMatched = float64(len(res.Findings))
	return res, ctx.Err()
}
