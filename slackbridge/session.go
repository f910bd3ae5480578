package slackbridge

import (
	"context"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// Session states.
const (
	StateForm        = "form"        // the form is posted, nothing runs yet
	StateQueued      = "queued"      // waiting for a free slot
	StateRunning     = "running"     // investigating or analysing
	StateDone        = "done"        // the report is posted
	StateFailed      = "failed"      // the engine failed; the thread says why
	StateCancelled   = "cancelled"   // someone pressed Cancel
	StateInterrupted = "interrupted" // fa2 shut down while it ran
)

// Session is one investigation and its thread. It is what a follow-up needs:
// the evidence, the report and the conversation.
type Session struct {
	// ID is the thread's key, ThreadKey(Channel, ThreadTS).
	ID       string `json:"id"`
	Channel  string `json:"channel"`
	ThreadTS string `json:"thread_ts"`
	// ProgressTS is the progress message updated in place.
	ProgressTS   string              `json:"progress_ts,omitempty"`
	State        string              `json:"state"`
	Alarm        *Alarm              `json:"alarm,omitempty"`
	Description  string              `json:"description,omitempty"`
	Window       telemetry.Window    `json:"window"`
	StartedBy    string              `json:"started_by,omitempty"`
	Bundle       *investigate.Bundle `json:"bundle,omitempty"`
	Report       *analysis.Report    `json:"report,omitempty"`
	Conversation []Turn              `json:"conversation,omitempty"`
	Created      time.Time           `json:"created"`
	Updated      time.Time           `json:"updated"`
	// Expires is when the store may forget the session.
	Expires time.Time `json:"expires"`
}

// ThreadKey names a thread in the store.
func ThreadKey(channel, threadTS string) string { return "thread#" + channel + "#" + threadTS }

// maxTurns bounds the conversation kept in a session: the oldest turns go
// first, so a long thread never outgrows a DynamoDB item (400 KB).
const maxTurns = 24

func (s *Session) addTurn(t Turn) {
	s.Conversation = append(s.Conversation, t)
	if n := len(s.Conversation); n > maxTurns {
		s.Conversation = append([]Turn(nil), s.Conversation[n-maxTurns:]...)
	}
}

// Store keeps sessions and the small claims that keep replicas from doing
// the same work twice. Implementations: NewBoltStore (one machine) and
// NewDynamoStore (shared by replicas).
type Store interface {
	// Load returns the session with id, or nil when there is none or it
	// has expired.
	Load(ctx context.Context, id string) (*Session, error)
	// Save writes s, replacing any earlier version; it expires at s.Expires.
	Save(ctx context.Context, s *Session) error
	// Claim sets key to value for ttl unless an unexpired claim exists; it
	// returns whether this call won and the value now held. It is atomic
	// across replicas sharing the store.
	Claim(ctx context.Context, key, value string, ttl time.Duration) (won bool, holder string, err error)
	// Lookup returns the unexpired value of key, or "".
	Lookup(ctx context.Context, key string) (string, error)
	// Set writes key=value for ttl unconditionally.
	Set(ctx context.Context, key, value string, ttl time.Duration) error
	// Release deletes key if it still holds value.
	Release(ctx context.Context, key, value string) error
	Close() error
}
