package slackbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// boltStore keeps sessions in a bbolt file: one machine, survives restarts.
type boltStore struct {
	db  *bolt.DB
	now func() time.Time
	// sweepFrom is where the next sweep starts (guarded by bbolt's single
	// writer).
	sweepFrom []byte
}

var boltBucket = []byte("fa2")

// record is what both stores keep under a key: a claim's value or a
// session, and when it expires.
type record struct {
	Value   string          `json:"v,omitempty"`
	Session json.RawMessage `json:"s,omitempty"`
	Expires int64           `json:"e"` // epoch seconds
}

func (r *record) live(now time.Time) bool { return r.Expires == 0 || r.Expires > now.Unix() }

// NewBoltStore opens (or creates) the session file at path. bbolt locks the
// file: a second fa2 on the same file waits up to a few seconds, then fails
// with a message that says so.
func NewBoltStore(path string) (Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 3 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("sessions.path %s: %w (is another fa2 slack using it? give each its own file, or use sessions.backend: dynamodb)", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(boltBucket)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("sessions.path %s: %w", path, err)
	}
	return &boltStore{db: db, now: time.Now}, nil
}

func (s *boltStore) get(tx *bolt.Tx, key string) (*record, bool) {
	raw := tx.Bucket(boltBucket).Get([]byte(key))
	if raw == nil {
		return nil, false
	}
	var r record
	if json.Unmarshal(raw, &r) != nil || !r.live(s.now()) {
		return nil, false
	}
	return &r, true
}

func (s *boltStore) put(tx *bolt.Tx, key string, r record) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(boltBucket).Put([]byte(key), raw)
}

func (s *boltStore) Load(_ context.Context, id string) (*Session, error) {
	var out *Session
	err := s.db.View(func(tx *bolt.Tx) error {
		r, ok := s.get(tx, id)
		if !ok || len(r.Session) == 0 {
			return nil
		}
		out = new(Session)
		return json.Unmarshal(r.Session, out)
	})
	return out, err
}

func (s *boltStore) Save(_ context.Context, sess *Session) error {
	raw, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		s.sweep(tx)
		return s.put(tx, sess.ID, record{Session: raw, Expires: sess.Expires.Unix()})
	})
}

// sweep deletes expired records a few at a time on each write, walking the
// file from where the last sweep stopped, so the file does not grow without
// bound and no background goroutine is needed.
func (s *boltStore) sweep(tx *bolt.Tx) {
	const batch = 64
	c := tx.Bucket(boltBucket).Cursor()
	now := s.now()
	var dead [][]byte
	k, v := c.Seek(s.sweepFrom)
	for n := 0; n < batch; n++ {
		if k == nil {
			k, v = c.First() // wrap around
			if k == nil {
				break
			}
		}
		var r record
		if json.Unmarshal(v, &r) == nil && !r.live(now) {
			dead = append(dead, append([]byte(nil), k...))
		}
		k, v = c.Next()
	}
	s.sweepFrom = append(s.sweepFrom[:0], k...)
	for _, k := range dead {
		_ = tx.Bucket(boltBucket).Delete(k)
	}
}

func (s *boltStore) Claim(_ context.Context, key, value string, ttl time.Duration) (won bool, holder string, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		s.sweep(tx)
		if r, ok := s.get(tx, key); ok {
			holder = r.Value
			return nil
		}
		won, holder = true, value
		return s.put(tx, key, record{Value: value, Expires: s.now().Add(ttl).Unix()})
	})
	return won, holder, err
}

func (s *boltStore) Lookup(_ context.Context, key string) (string, error) {
	var v string
	err := s.db.View(func(tx *bolt.Tx) error {
		if r, ok := s.get(tx, key); ok {
			v = r.Value
		}
		return nil
	})
	return v, err
}

func (s *boltStore) Set(_ context.Context, key, value string, ttl time.Duration) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return s.put(tx, key, record{Value: value, Expires: s.now().Add(ttl).Unix()})
	})
}

func (s *boltStore) Release(_ context.Context, key, value string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if r, ok := s.get(tx, key); ok && r.Value == value {
			return tx.Bucket(boltBucket).Delete([]byte(key))
		}
		return nil
	})
}

func (s *boltStore) Close() error { return s.db.Close() }
