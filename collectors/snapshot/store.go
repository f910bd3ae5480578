// Package snapshot reads a snapshot directory in the fa2-snapshot/1 format
// (see DESIGN.md): the same JSON shapes the AWS APIs return, one folder or
// file per source, any file optionally gzipped. It implements the collector
// interfaces with the same semantics as live AWS, computed locally.
package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/telemetry"
)

// FormatV1 is the only snapshot format this version reads.
const FormatV1 = "fa2-snapshot/1"

// Manifest is manifest.json.
type Manifest struct {
	Format       string           `json:"format"`
	Region       string           `json:"region,omitempty"`
	Window       telemetry.Window `json:"window"`
	Title        string           `json:"title,omitempty"`
	Architecture string           `json:"architecture,omitempty"`

	// Written by `fa2 snapshot`: when and from where it captured, what it
	// got from each source (what a cap cut, what failed and why), and
	// whether sensitive values were masked (how many of each kind).
	CapturedAt     time.Time      `json:"captured_at,omitzero"`
	CapturedFrom   string         `json:"captured_from,omitempty"`
	Captured       []SourceReport `json:"captured,omitempty"`
	Redacted       bool           `json:"redacted,omitempty"`
	RedactedValues map[string]int `json:"redacted_values,omitempty"`
}

// Store is an opened snapshot directory. Each source's files are read on
// first use and kept in memory in a compact form (log messages compressed,
// traces as summaries; ALB logs are streamed per query instead); a Store is
// safe for concurrent use.
type Store struct {
	dir      string
	manifest Manifest

	logsOnce sync.Once
	logs     *logIndex
	logsErr  error

	trail    lazyTrail
	alb      lazyALB
	findings lazyFindings

	alarmsOnce sync.Once
	alarms     *alarmData
	alarmsErr  error

	tracesOnce sync.Once
	traces     *traceIndex
	tracesErr  error

	metricsOnce sync.Once
	metrics     *metricIndex
	metricsErr  error

	skippedMu sync.Mutex
	skipped   map[string][]string // by subfolder: entries that are not regular files inside the snapshot
}

// Open checks that dir is a readable snapshot and reads its manifest.
func Open(dir string) (*Store, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("snapshot directory %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("snapshot %s is not a directory: pass the folder that holds manifest.json", dir)
	}
	s := &Store{dir: dir}
	found, err := s.readJSON("manifest.json", &s.manifest)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("snapshot %s has no manifest.json: write one with {\"format\":%q,\"window\":{\"start\":...,\"end\":...}}", dir, FormatV1)
	}
	if s.manifest.Format != FormatV1 {
		return nil, fmt.Errorf("snapshot %s: manifest format is %q, this fa2 reads %q", dir, s.manifest.Format, FormatV1)
	}
	w := s.manifest.Window
	if w.Start.IsZero() || w.End.IsZero() || w.End.Before(w.Start) {
		return nil, fmt.Errorf("snapshot %s: manifest window must have a start before its end (RFC 3339 times)", dir)
	}
	s.manifest.Window = telemetry.Window{Start: w.Start.UTC(), End: w.End.UTC()}
	return s, nil
}

// Manifest returns the snapshot's manifest.
func (s *Store) Manifest() Manifest { return s.manifest }

// Dir returns the snapshot's directory.
func (s *Store) Dir() string { return s.dir }

// Sources returns the collectors backed by this snapshot.
func (s *Store) Sources() collectors.Sources {
	return collectors.Sources{
		Name:          "snapshot " + s.dir,
		Now:           func() time.Time { return s.manifest.Window.End },
		DefaultWindow: func() telemetry.Window { return s.manifest.Window },
		Prefetch:      s.prefetch,
		Logs:          s,
		Traces:        s,
		Metrics:       s,
		Alarms:        s,
		CloudTrail:    s,
		AccessLogs:    s,
		Findings:      s,
	}
}

// prefetch reads every indexed source at once, each in its own goroutine:
// an investigation asks all of them, and on a machine with more than one
// core the slowest then sets the pace rather than their sum. Errors stay
// in each source's once-guarded result, for the query that asks.
func (s *Store) prefetch() {
	for _, load := range []func(){
		func() { s.loadLogs() },
		func() { s.loadTraces() },
		func() { s.loadTrail() },
		func() { s.loadMetrics() },
		func() { s.loadAlarms() },
		func() { s.loadFindings() },
	} {
		go func() {
			// A reader that panics must not take the process down from a
			// goroutine nobody waits on; the query that asks for the
			// source then fails in its caller, which reports it.
			defer func() { _ = recover() }()
			load()
		}()
	}
}

// files lists the files of a snapshot folder whose names end in one of exts,
// with or without ".gz", sorted by name. A missing folder is no files. Only
// regular files inside the snapshot are read: a FIFO would block forever and
// a link leading out of the snapshot could leak a system file through
// "malformed line" warnings. What is passed over is kept for skippedIn.
func (s *Store) files(subdir string, exts ...string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, subdir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot: read %s: %w", subdir, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".gz")
		for _, ext := range exts {
			if strings.HasSuffix(name, ext) {
				path := filepath.Join(s.dir, subdir, e.Name())
				if why := s.unsafeFile(path); why != "" {
					s.skip(subdir, fmt.Sprintf("%s: skipped: %s", filepath.Join(subdir, e.Name()), why))
					break
				}
				out = append(out, path)
				break
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// unsafeFile says why path must not be read, or "" when it is a regular
// file that resolves to a place inside the snapshot directory.
func (s *Store) unsafeFile(path string) string {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "cannot be resolved (" + err.Error() + ")"
	}
	root, err := filepath.EvalSymlinks(s.dir)
	if err != nil {
		return "the snapshot directory cannot be resolved"
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "it is a link to a file outside the snapshot"
	}
	info, err := os.Stat(real)
	if err != nil {
		return err.Error()
	}
	if !info.Mode().IsRegular() {
		return "it is not a regular file (" + info.Mode().Type().String() + ")"
	}
	return ""
}

func (s *Store) skip(subdir, msg string) {
	s.skippedMu.Lock()
	defer s.skippedMu.Unlock()
	if s.skipped == nil {
		s.skipped = map[string][]string{}
	}
	s.skipped[subdir] = append(s.skipped[subdir], msg)
}

// skippedIn returns the warnings for entries of subdir that were not read.
func (s *Store) skippedIn(subdir string) []string {
	s.skippedMu.Lock()
	defer s.skippedMu.Unlock()
	return append([]string(nil), s.skipped[subdir]...)
}

// open opens a snapshot file, decompressing it when its name ends in ".gz".
func open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("snapshot: %s is not valid gzip: %w", path, err)
	}
	return gzipFile{zr, f}, nil
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g gzipFile) Close() error {
	g.Reader.Close()
	return g.f.Close()
}

// readJSON decodes the top-level snapshot file name (or name.gz) into v. It
// reports found=false when neither exists, and an error when the file is
// not a regular file inside the snapshot.
func (s *Store) readJSON(name string, v any) (found bool, err error) {
	path := filepath.Join(s.dir, name)
	if _, err := os.Lstat(path); err != nil {
		path += ".gz"
		if _, err := os.Lstat(path); err != nil {
			return false, nil
		}
	}
	if why := s.unsafeFile(path); why != "" {
		return true, fmt.Errorf("snapshot: %s cannot be read: %s", filepath.Base(path), why)
	}
	return true, decodeJSONFile(path, v)
}

// decodeJSONFile decodes one JSON document from path into v.
func decodeJSONFile(path string, v any) error {
	r, err := open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("snapshot: %s is not valid JSON of the expected shape: %w", path, err)
	}
	// One document per file: trailing data means a truncated or
	// concatenated file, which would otherwise be half-read in silence.
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("snapshot: %s has data after its JSON document; a file holds exactly one document", path)
	}
	return nil
}
