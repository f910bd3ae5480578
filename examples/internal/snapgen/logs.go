package snapgen

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path/filepath"
	"sort"
	"time"
)

// LogEvent is one line of a logs/<group>.jsonl file, as FilterLogEvents returns it.
type LogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
}

// LogBook collects log events per log group.
type LogBook map[string][]LogEvent

// Add records one event; it is ingested 700 ms after it happened.
func (b LogBook) Add(group, stream string, t time.Time, msg string) {
	b[group] = append(b[group], LogEvent{Timestamp: t.UnixMilli(), Message: msg, LogStreamName: stream, IngestionTime: t.Add(700 * time.Millisecond).UnixMilli()})
}

// Lines is the number of events in all groups.
func (b LogBook) Lines() int {
	n := 0
	for _, evs := range b {
		n += len(evs)
	}
	return n
}

// Write writes each group, oldest event first, to
// dir/logs/<escaped group>.jsonl.gz.
func (b LogBook) Write(dir string) error {
	for group, events := range b {
		sort.SliceStable(events, func(i, j int) bool { return events[i].Timestamp < events[j].Timestamp })
		var buf bytes.Buffer
		for _, ev := range events {
			line, _ := json.Marshal(ev)
			buf.Write(line)
			buf.WriteByte('\n')
		}
		if err := WriteGzip(filepath.Join(dir, "logs", url.PathEscape(group)+".jsonl.gz"), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
