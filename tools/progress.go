package tools

import (
	"context"

	"github.com/fa2/fa2/collectors"
)

type progressKey struct{}

// WithProgress attaches a progress reporter for the current call; the MCP
// server sets one when the client asked for progress notifications.
func WithProgress(ctx context.Context, p collectors.Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// ProgressFrom returns the call's progress reporter (nil-safe to Report on).
func ProgressFrom(ctx context.Context) collectors.Progress {
	p, _ := ctx.Value(progressKey{}).(collectors.Progress)
	return p
}
