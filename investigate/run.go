package investigate

import (
	"context"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// Run investigates req over src. It returns an error only when nothing can
// be investigated (bad input, no data at all); a source that fails becomes
// a Gap in the bundle.
func Run(ctx context.Context, src collectors.Sources, cfg *config.Config, req Request) (*Bundle, error) {
	// Placeholder until the engine lands: the API above is the contract the
	// analysis, Slack and report packages build on.
	return nil, telemetry.Errorf(telemetry.KindUnsupported, "the investigation engine is not built yet.")
}

// Markdown renders the bundle for models and people; it states the same
// facts as the JSON.
func (b *Bundle) Markdown() string { return "" }
