package awslive

import (
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/config"
)

// fakeClient is a Client whose every service talks to the fake endpoint s.
// It lives here, not in awsfake, because it shortens fields only this
// package can reach: the polling of asynchronous queries (Logs Insights,
// Athena) and CloudTrail's pacing and throttling backoff, all down to
// milliseconds so the tests stay fast. nil settings mean config.Default().
func fakeClient(s *awsfake.Server, settings *config.Config) *Client {
	if settings == nil {
		d := config.Default()
		settings = &d
	}
	c := New(s.Config(), settings)
	c.now = func() time.Time { return fakeNow }
	c.pollInterval, c.maxPollInterval = time.Millisecond, 4*time.Millisecond
	c.trail.interval, c.trail.backoff = time.Millisecond, time.Millisecond
	return c
}

// fakeNow is the fake client's present: the tests' incidents (20 November
// 2026) are recent, inside CloudTrail's 90 days and ListMetrics' two weeks.
var fakeNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
