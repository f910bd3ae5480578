package events

import (
	"context"
	"encoding/json"
)

// LambdaHandler adapts h to aws-lambda-go: the payload is the EventBridge
// event (a rule targeting the function) or an SQS batch (an event source
// mapping). An error makes Lambda retry the delivery; a repeat is then
// recognised and skipped.
func LambdaHandler(h *Handler) func(ctx context.Context, payload json.RawMessage) ([]Outcome, error) {
	return func(ctx context.Context, payload json.RawMessage) ([]Outcome, error) {
		return h.Handle(ctx, payload)
	}
}
