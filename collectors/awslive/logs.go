package awslive

import (
	"context"

	"github.com/fa2/fa2/collectors"
)

// The Logs Insights implementation is being written; until then the live
// log source says so instead of pretending.

func notYet() error {
	return collectors.Errorf(collectors.KindUnsupported, "Use --snapshot for now.", "live CloudWatch Logs is not implemented in this build.")
}

func (c *Client) LogGroups(ctx context.Context, prefix string) ([]string, error) {
	return nil, notYet()
}
func (c *Client) Events(ctx context.Context, q collectors.LogQuery) (*collectors.LogEvents, error) {
	return nil, notYet()
}
func (c *Client) Patterns(ctx context.Context, q collectors.LogQuery) (*collectors.LogPatterns, error) {
	return nil, notYet()
}
func (c *Client) Histogram(ctx context.Context, q collectors.LogQuery) (*collectors.LogHistogram, error) {
	return nil, notYet()
}
func (c *Client) Insights(ctx context.Context, q collectors.LogQuery) (*collectors.InsightsResult, error) {
	return nil, notYet()
}
