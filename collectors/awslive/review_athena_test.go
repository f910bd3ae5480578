package awslive

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
)

func reviewAthenaSettings() config.Config {
	s := config.Default()
	s.Athena = config.Athena{Database: "logs", Workgroup: "analysts", ALBTable: "alb_logs"}
	return s
}

var reviewALBWindow = collectors.Window{Start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}

// A workgroup without a result location (and no athena.output_location)
// makes StartQueryExecution fail with InvalidRequestException. The user must
// be told which setting to fill, not "fix the request".
func TestReviewAthenaMissingOutputLocationSaysWhatToConfigure(t *testing.T) {
	c, f := newReviewClient(t, reviewAthenaSettings(), func(call reviewCall) reviewAnswer {
		switch call.op {
		case "GetTableMetadata":
			return answer(map[string]any{"TableMetadata": map[string]any{"Name": "alb_logs", "Columns": []any{map[string]any{"Name": "time", "Type": "string"}}}})
		case "StartQueryExecution":
			return answerErr(http.StatusBadRequest, "InvalidRequestException",
				"No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.")
		}
		t.Errorf("unexpected call %s", call.op)
		return answer(map[string]any{})
	})
	_, err := c.AccessLogStats(context.Background(), collectors.AccessLogQuery{Window: reviewALBWindow})
	e, ok := collectors.AsError(err)
	if !ok || e.Kind != collectors.KindUnsupported {
		t.Fatalf("err = %v, want an unsupported (configuration) collectors.Error", err)
	}
	text := e.Msg + " " + e.Hint
	for _, want := range []string{"athena.output_location", `"analysts"`, "No output location provided"} {
		if !strings.Contains(text, want) {
			t.Errorf("error %q does not mention %q", text, want)
		}
	}
	if n := len(f.callsTo("StopQueryExecution")); n != 0 {
		t.Errorf("%d StopQueryExecution calls for a query that never started", n)
	}
}

// GetTableMetadata answers a missing database or table with
// MetadataException; that is a configuration error to fix, not an AWS outage
// to retry.
func TestReviewAthenaMissingTableIsNotFound(t *testing.T) {
	c, _ := newReviewClient(t, reviewAthenaSettings(), func(call reviewCall) reviewAnswer {
		return answerErr(http.StatusBadRequest, "MetadataException", "Table alb_logs not found. (Service: AWSGlue; Status Code: 400; Error Code: EntityNotFoundException)")
	})
	_, err := c.AccessLogStats(context.Background(), collectors.AccessLogQuery{Window: reviewALBWindow})
	e, ok := collectors.AsError(err)
	if !ok || e.Kind != collectors.KindNotFound {
		t.Fatalf("err = %v, want a not_found collectors.Error", err)
	}
	text := e.Msg + " " + e.Hint
	for _, want := range []string{"athena.alb_table", "athena.database", "Table alb_logs not found"} {
		if !strings.Contains(text, want) {
			t.Errorf("error %q does not mention %q", text, want)
		}
	}
}
