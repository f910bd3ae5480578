package snapgen

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"time"
)

// Trace is one trace of BatchGetTraces output.
type Trace struct {
	ID       string    `json:"Id"`
	Duration float64   `json:"Duration"`
	Segments []Segment `json:"Segments"`
	start    time.Time
}

// Segment holds a segment document as a JSON string, as X-Ray does.
type Segment struct {
	ID       string `json:"Id"`
	Document string `json:"Document"`
}

// Doc is a segment or subsegment document.
type Doc map[string]any

// TraceID is an X-Ray trace id for a trace that starts at t.
func TraceID(r *rand.Rand, t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), HexID(r, 24))
}

// Sub is a subsegment from start lasting d, with extra fields.
func Sub(r *rand.Rand, name string, start time.Time, d time.Duration, extra Doc) Doc {
	s := Doc{"id": HexID(r, 16), "name": name, "start_time": EpochSec(start), "end_time": EpochSec(start.Add(d))}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

// Cause is a segment's cause with one exception, as the SDKs record it;
// remote marks an exception returned by a downstream service.
func Cause(r *rand.Rand, workdir, typ, msg string, remote bool) Doc {
	e := Doc{"id": HexID(r, 16), "type": typ, "message": msg}
	if remote {
		e["remote"] = true
	}
	return Doc{"working_directory": workdir, "exceptions": []Doc{e}}
}

// AWSCall is an AWS SDK subsegment (namespace aws) with its HTTP status;
// awsFields holds operation, table_name, request_id and the like.
func AWSCall(r *rand.Rand, service string, start time.Time, d time.Duration, status int, awsFields Doc) Doc {
	s := Sub(r, service, start, d, Doc{"namespace": "aws", "aws": awsFields,
		"http": Doc{"response": Doc{"status": status}}})
	switch {
	case status == 429:
		s["throttle"], s["error"] = true, true
	case status >= 500:
		s["fault"] = true
	case status >= 400:
		s["error"] = true
	}
	return s
}

// NewTrace wraps segments (documents) into a trace starting at start and
// lasting d.
func NewTrace(id string, start time.Time, d time.Duration, docs ...Doc) Trace {
	tr := Trace{ID: id, Duration: Round3(d.Seconds()), start: start}
	for _, doc := range docs {
		tr.Segments = append(tr.Segments, Segment{ID: doc["id"].(string), Document: MustJSON(doc)})
	}
	return tr
}

// WriteTraces writes the traces, oldest first, as one BatchGetTraces output
// per hour under dir/xray.
func WriteTraces(dir string, traces []Trace) error {
	sort.SliceStable(traces, func(i, j int) bool { return traces[i].start.Before(traces[j].start) })
	byHour := map[time.Time][]Trace{}
	var hours []time.Time
	for _, tr := range traces {
		h := tr.start.Truncate(time.Hour)
		if _, ok := byHour[h]; !ok {
			hours = append(hours, h)
		}
		byHour[h] = append(byHour[h], tr)
	}
	for _, h := range hours {
		b, err := json.Marshal(map[string]any{"Traces": byHour[h], "UnprocessedTraceIds": []string{}})
		if err != nil {
			return err
		}
		if err := WriteGzip(filepath.Join(dir, "xray", "traces-"+h.Format("20060102T15")+".json.gz"), b); err != nil {
			return err
		}
	}
	return nil
}
