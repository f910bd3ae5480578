package tools

import (
	"context"

	"github.com/fa2/fa2/telemetry"
)

type progressKey struct{}

// WithProgress attaches a progress reporter for the current call; the MCP
// server sets one when the client asked for progress notifications.
func WithProgress(ctx context.Context, p telemetry.Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// ProgressFrom returns the call's progress reporter (nil-safe to Report on).
func ProgressFrom(ctx context.Context) telemetry.Progress {
	p, _ := ctx.Value(progressKey{}).(telemetry.Progress)
	return p
}
