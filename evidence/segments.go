package evidence

import (
	"bytes"
	"fmt"
	"strings"

	json "github.com/segmentio/encoding/json"

	"github.com/fa2/fa2/telemetry"
)

// rawSegment is the part of an X-Ray segment document fa2 reads.
type rawSegment struct {
	ID         string  `json:"id"`
	ParentID   string  `json:"parent_id"`
	Name       string  `json:"name"`
	Origin     string  `json:"origin"`
	Namespace  string  `json:"namespace"`
	StartTime  float64 `json:"start_time"`
	EndTime    float64 `json:"end_time"`
	InProgress bool    `json:"in_progress"`
	Inferred   bool    `json:"inferred"`
	Fault      bool    `json:"fault"`
	Error      bool    `json:"error"`
	Throttle   bool    `json:"throttle"`
	HTTP       *struct {
		Request *struct {
			Method string `json:"method"`
			URL    string `json:"url"`
		} `json:"request"`
		Response *struct {
			Status int `json:"status"`
		} `json:"response"`
	} `json:"http"`
	AWS *struct {
		Operation string `json:"operation"`
	} `json:"aws"`
	SQL *struct {
		DatabaseType string `json:"database_type"`
		URL          string `json:"url"`
	} `json:"sql"`
	Annotations map[string]any `json:"annotations"`
	// Cause is an object with exceptions, or the id of an exception
	// recorded elsewhere (a string).
	Cause       json.RawMessage `json:"cause"`
	Subsegments []rawSegment    `json:"subsegments"`
}

type rawCause struct {
	Exceptions []struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Message string `json:"message"`
		Remote  bool   `json:"remote"`
		Cause   string `json:"cause"`
	} `json:"exceptions"`
}

// ParseSegmentDocument parses a segment's Document (the JSON string that
// BatchGetTraces returns) into a tree of segments and subsegments.
func ParseSegmentDocument(doc string) (telemetry.Segment, error) {
	var raw rawSegment
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return telemetry.Segment{}, fmt.Errorf("segment document is not valid JSON: %w", err)
	}
	if raw.ID == "" {
		return telemetry.Segment{}, fmt.Errorf("segment document has no id")
	}
	return convertSegment(raw), nil
}

func convertSegment(r rawSegment) telemetry.Segment {
	s := telemetry.Segment{
		ID: r.ID, ParentID: r.ParentID, Name: r.Name, Origin: r.Origin, Namespace: r.Namespace,
		StartTime: r.StartTime, EndTime: r.EndTime, InProgress: r.InProgress, Inferred: r.Inferred,
		Fault: r.Fault, Error: r.Error, Throttle: r.Throttle, Annotations: r.Annotations,
	}
	// A segment sent before it ended has in_progress and no end_time; an
	// end before the start is as good as none. Its duration is unknown, not
	// negative.
	if s.InProgress || s.EndTime < s.StartTime || s.EndTime == 0 {
		s.InProgress, s.EndTime = true, 0
	}
	if r.HTTP != nil {
		if r.HTTP.Request != nil {
			s.HTTPMethod, s.URL = r.HTTP.Request.Method, r.HTTP.Request.URL
		}
		if r.HTTP.Response != nil {
			s.HTTPStatus = r.HTTP.Response.Status
		}
	}
	if r.AWS != nil {
		s.Operation = r.AWS.Operation
	}
	if r.SQL != nil {
		s.SQL = strings.TrimSpace(r.SQL.DatabaseType + " " + r.SQL.URL)
	}
	switch c := bytes.TrimSpace(r.Cause); {
	case len(c) > 0 && c[0] == '{':
		var rc rawCause
		if json.Unmarshal(c, &rc) == nil {
			for _, e := range rc.Exceptions {
				s.Exceptions = append(s.Exceptions, telemetry.TraceException{Type: e.Type, Message: e.Message, Remote: e.Remote, ID: e.ID, Cause: e.Cause})
			}
		}
	case len(c) > 0 && c[0] == '"':
		// The id of an exception recorded in another subsegment.
		_ = json.Unmarshal(c, &s.CauseRef)
	}
	for _, sub := range r.Subsegments {
		s.Subsegments = append(s.Subsegments, convertSegment(sub))
	}
	return s
}

// Duration is a segment's duration in seconds; ok is false while it is
// in progress.
func Duration(s *telemetry.Segment) (float64, bool) {
	if s.InProgress || s.EndTime < s.StartTime {
		return 0, false
	}
	return s.EndTime - s.StartTime, true
}

// InnermostException is the exception at the bottom of the first
// exception's cause chain: "DynamoDbException: Failed to create order"
// caused by "AccessDeniedException: … not authorized …" gives the latter,
// which says why. ok is false when the segment recorded none.
func InnermostException(s *telemetry.Segment) (telemetry.TraceException, bool) {
	if len(s.Exceptions) == 0 {
		return telemetry.TraceException{}, false
	}
	byID := map[string]int{}
	for i, e := range s.Exceptions {
		if e.ID != "" {
			byID[e.ID] = i
		}
	}
	cur := 0
	visited := map[int]bool{0: true}
	for {
		next, ok := byID[s.Exceptions[cur].Cause]
		if !ok || visited[next] || s.Exceptions[next].Type+s.Exceptions[next].Message == "" {
			break
		}
		visited[next] = true
		cur = next
	}
	return s.Exceptions[cur], true
}

// EntityLabel names a segment in an entity path: AWS calls get their
// operation ("DynamoDB PutItem"), SQL calls their database type.
func EntityLabel(s telemetry.Segment) string {
	switch {
	case s.Operation != "":
		return s.Name + " " + s.Operation
	case s.SQL != "":
		return s.Name + " (SQL " + strings.Fields(s.SQL)[0] + ")"
	}
	return s.Name
}
