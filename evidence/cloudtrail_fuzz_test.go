package evidence

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/fa2/fa2/telemetry"
)

// FuzzCloudTrailRecord: any record either fails to parse or reduces to an
// event with a name, a source and a principal, without panicking.
func FuzzCloudTrailRecord(f *testing.F) {
	if raw, err := os.ReadFile("testdata/cloudtrail/records.json"); err == nil {
		var file struct{ Records []json.RawMessage }
		if json.Unmarshal(raw, &file) == nil {
			for _, r := range file.Records {
				f.Add(string(r))
			}
		}
	}
	f.Add(`{"eventTime":"2025-12-01T09:00:00Z","insightDetails":{"eventName":"X","eventSource":"y"},"responseElements":"Failure"}`)
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := ParseCloudTrailRecord([]byte(raw))
		if err != nil {
			return
		}
		ev := r.Event(200)
		if ev.Name == "" || ev.Source == "" {
			t.Fatalf("event without name or source: %+v", ev)
		}
		r.Matches(telemetry.CloudTrailQuery{Window: telemetry.Window{Start: ev.Time.Add(-1), End: ev.Time.Add(1)}, Principals: []string{"123456789012", "arn:aws:iam::1:role/x"}, ErrorsOnly: true})
		RecentChanges([]telemetry.CloudTrailEvent{ev}, ev.Time, 3)
	})
}
