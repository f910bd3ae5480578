package snapshot

import (
	"context"
	"io"

	"fmt"
	"sort"
	"sync"

	json "github.com/segmentio/encoding/json"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// lazyTrail holds the snapshot's CloudTrail records, read on first use.
type lazyTrail struct {
	once     sync.Once
	records  []*evidence.CloudTrailRecord // newest first
	warnings []string
	err      error
}

// trailFile is a CloudTrail S3 delivery file.
type trailFile struct {
	Records []json.RawMessage `json:"Records"`
}

func (s *Store) loadTrail() (*lazyTrail, error) {
	t := &s.trail
	t.once.Do(func() {
		paths, err := s.files("cloudtrail", ".json")
		if err != nil {
			t.err = err
			return
		}
		for _, w := range s.skippedIn("cloudtrail") {
			t.warn(w)
		}
		names := map[string]string{}
		for _, path := range paths {
			f, err := readTrailFile(path)
			if err != nil {
				t.warn(fmt.Sprintf("%s: skipped: %v", path, err))
				continue
			}
			for i, raw := range f.Records {
				r, err := evidence.ParseCloudTrailRecord(raw)
				if err != nil {
					t.warn(fmt.Sprintf("%s: record %d: skipped malformed event: %v", path, i+1, err))
					continue
				}
				internRecord(r, names)
				t.records = append(t.records, r)
			}
		}
		sort.SliceStable(t.records, func(i, j int) bool {
			a, _ := t.records[i].Time()
			b, _ := t.records[j].Time()
			return a.After(b)
		})
	})
	return t, t.err
}

// readTrailFile decodes one delivery file. Trails are the largest JSON a
// snapshot holds (thousands of records an hour), so they go through the
// faster decoder; the file is read whole, as its records are kept anyway.
func readTrailFile(path string) (*trailFile, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("snapshot: read %s: %w", path, err)
	}
	var f trailFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("snapshot: %s is not valid JSON of the expected shape: %w", path, err)
	}
	return &f, nil
}

// internRecord makes the record's repeated names (services, regions,
// principals, agents) share one copy each: thousands of events name the
// same few, and each parsed record would otherwise hold its own.
func internRecord(r *evidence.CloudTrailRecord, names map[string]string) {
	in := func(p *string) {
		if c, ok := names[*p]; ok {
			*p = c
			return
		}
		names[*p] = *p
	}
	for _, p := range []*string{&r.EventSource, &r.EventName, &r.AWSRegion, &r.SourceIPAddress, &r.UserAgent,
		&r.EventCategory, &r.EventType, &r.SessionCredentialFromConsole, &r.RecipientAccountID,
		&r.UserIdentity.Type, &r.UserIdentity.PrincipalID, &r.UserIdentity.ARN, &r.UserIdentity.AccountID,
		&r.UserIdentity.UserName, &r.UserIdentity.InvokedBy,
		&r.UserIdentity.SessionCtxt.SessionIssuer.ARN, &r.UserIdentity.SessionCtxt.SessionIssuer.UserName,
		&r.UserIdentity.SessionCtxt.SessionCredentialFromConsole} {
		in(p)
	}
	for i := range r.Resources {
		in(&r.Resources[i].ARN)
		in(&r.Resources[i].Type)
	}
}

func (t *lazyTrail) warn(msg string) {
	if len(t.warnings) < maxLogWarnings {
		t.warnings = append(t.warnings, msg)
	}
}

// CloudTrailEvents implements collectors.CloudTrailSource over the
// snapshot's cloudtrail/*.json files (management and data events alike).
func (s *Store) CloudTrailEvents(ctx context.Context, q telemetry.CloudTrailQuery) (*telemetry.CloudTrailEvents, error) {
	t, err := s.loadTrail()
	if err != nil {
		return nil, err
	}
	res := &telemetry.CloudTrailEvents{Events: []telemetry.CloudTrailEvent{}, Stats: telemetry.QueryStats{Warnings: t.warnings}}
	matched := 0
	for i, r := range t.records {
		if i%4096 == 4095 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Stats.RecordsScanned++
		if !r.Matches(q) {
			continue
		}
		matched++
		if q.Limit > 0 && len(res.Events) >= q.Limit {
			continue
		}
		res.Events = append(res.Events, r.Event(evidence.MaxParamBytes))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Stats.RecordsMatched = float64(matched)
	if matched > len(res.Events) {
		res.Stats.Partial = fmt.Sprintf("%d events matched; only the newest %d were read. Narrow the window or add filters.", matched, len(res.Events))
	}
	return res, nil
}
