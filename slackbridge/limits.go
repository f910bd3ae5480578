package slackbridge

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/fa2/fa2/config"
)

// limiter holds the controls: who and where, how many at once, how often.
type limiter struct {
	channels, users []string
	rate            int
	now             func() time.Time

	slots chan struct{} // one token per running investigation

	mu      sync.Mutex
	waiting int
	maxWait int
	started map[string][]time.Time // channel → starts in the last hour
}

func newLimiter(s config.Slack, now func() time.Time) *limiter {
	return &limiter{
		channels: s.AllowedChannels, users: s.AllowedUsers, rate: s.RatePerHour, now: now,
		slots: make(chan struct{}, s.MaxConcurrent), maxWait: s.QueueSize, started: map[string][]time.Time{},
	}
}

func (l *limiter) channelAllowed(c string) bool {
	return len(l.channels) == 0 || slices.Contains(l.channels, c)
}

func (l *limiter) userAllowed(u string) bool {
	return len(l.users) == 0 || slices.Contains(l.users, u)
}

// allowStart counts a start against the channel's hourly rate; when the
// channel is at its limit it returns false and when the next start is due.
func (l *limiter) allowStart(channel string) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	kept := l.started[channel][:0]
	for _, t := range l.started[channel] {
		if now.Sub(t) < time.Hour {
			kept = append(kept, t)
		}
	}
	l.started[channel] = kept
	if len(kept) >= l.rate {
		return false, kept[0].Add(time.Hour).Sub(now)
	}
	l.started[channel] = append(kept, now)
	return true, 0
}

// ticket is a place in line for a slot.
type ticket struct {
	l      *limiter
	queued bool
	// ahead is how many were waiting when this ticket joined.
	ahead int
}

// enter takes a slot at once, or a place in the queue; ok is false when the
// queue is full (the caller refuses politely).
func (l *limiter) enter() (t *ticket, ok bool) {
	select {
	case l.slots <- struct{}{}:
		return &ticket{l: l}, true
	default:
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waiting >= l.maxWait {
		return nil, false
	}
	l.waiting++
	return &ticket{l: l, queued: true, ahead: l.waiting - 1 + cap(l.slots)}, true
}

// wait blocks a queued ticket until a slot frees or ctx ends.
func (t *ticket) wait(ctx context.Context) error {
	if !t.queued {
		return nil
	}
	defer func() {
		t.l.mu.Lock()
		t.l.waiting--
		t.l.mu.Unlock()
		t.queued = false
	}()
	select {
	case t.l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// leave gives the slot back.
func (t *ticket) leave() { <-t.l.slots }

// load is what runs and waits now, for the "busy" refusal.
func (l *limiter) load() (running, waiting int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.slots), l.waiting
}
