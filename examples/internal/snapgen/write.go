// Package snapgen holds what the example snapshot generators share: writing
// files deterministically, seeded random identifiers and counts, and the AWS
// shapes of each source (CloudTrail records, X-Ray documents, metric files,
// ALB log lines, alarms). A generator tells a story with these; snapgen only
// knows the formats.
package snapgen

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
)

// WriteJSON writes v as indented JSON, creating parent folders.
func WriteJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteGzip writes data gzipped with a fixed header (no name, no time), so
// reruns produce identical bytes.
func WriteGzip(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// MustJSON marshals v compactly; the generators only marshal maps and
// structs of plain values, so an error is a bug.
func MustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
