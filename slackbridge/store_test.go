package slackbridge

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	bolt "go.etcd.io/bbolt"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

func sampleSession(now time.Time) *Session {
	return &Session{ID: ThreadKey("C0ALARMS", alarmTS), Channel: "C0ALARMS", ThreadTS: alarmTS, State: StateDone,
		Alarm:  &Alarm{Name: "checkout-5xx", State: "ALARM", Region: "us-east-1", Account: "123456789012"},
		Bundle: demoBundle(), Conversation: []Turn{{Role: "user", User: "W1", Text: "why?", At: now}},
		Created: now, Updated: now, Expires: now.Add(time.Hour)}
}

// storeContract runs the behaviour every Store must have.
func storeContract(t *testing.T, s Store, setNow func(time.Time)) {
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	setNow(now)
	if got, err := s.Load(ctx, "thread#none"); err != nil || got != nil {
		t.Fatalf("missing session: %v %v", got, err)
	}
	sess := sampleSession(now)
	if err := s.Save(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, sess.ID)
	if err != nil || got == nil {
		t.Fatalf("load: %v %v", got, err)
	}
	if got.Alarm.Name != "checkout-5xx" || got.Bundle.Suspects[0].EvidenceID != "E3" || got.Conversation[0].Text != "why?" || !got.Bundle.Onset.Equal(*sess.Bundle.Onset) {
		t.Fatalf("round trip lost data: %+v", got)
	}
	won, holder, err := s.Claim(ctx, "running#x", "thread#1", time.Minute)
	if err != nil || !won || holder != "thread#1" {
		t.Fatalf("first claim: %v %q %v", won, holder, err)
	}
	won, holder, err = s.Claim(ctx, "running#x", "thread#2", time.Minute)
	if err != nil || won || holder != "thread#1" {
		t.Fatalf("second claim must lose to thread#1: %v %q %v", won, holder, err)
	}
	if err := s.Release(ctx, "running#x", "thread#2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Lookup(ctx, "running#x"); v != "thread#1" {
		t.Fatalf("a release by a non-holder removed the claim (%q)", v)
	}
	if err := s.Release(ctx, "running#x", "thread#1"); err != nil {
		t.Fatal(err)
	}
	if won, _, _ := s.Claim(ctx, "running#x", "thread#3", time.Minute); !won {
		t.Fatal("a released claim cannot be taken again")
	}
	// Time passes: claims and sessions expire even before the backend
	// deletes them.
	setNow(now.Add(2 * time.Hour))
	if won, _, _ := s.Claim(ctx, "running#x", "thread#4", time.Minute); !won {
		t.Fatal("an expired claim still blocks")
	}
	if got, _ := s.Load(ctx, sess.ID); got != nil {
		t.Fatal("an expired session is still returned")
	}
	if err := s.Set(ctx, "alarm#k", "thread#9", time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Lookup(ctx, "alarm#k"); v != "thread#9" {
		t.Fatalf("lookup %q", v)
	}
}

func TestBoltStoreContractAndRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	s, err := NewBoltStore(path)
	if err != nil {
		t.Fatal(err)
	}
	bs := s.(*boltStore)
	storeContract(t, s, func(t time.Time) { bs.now = func() time.Time { return t } })

	// Across a restart: what one process saved, the next one reads.
	now := time.Now()
	bs.now = time.Now
	sess := sampleSession(now)
	sess.ID = ThreadKey("C0ALARMS", "1796099999.000001")
	if err := s.Save(context.Background(), sess); err != nil {
		t.Fatal(err)
	}
	if won, _, _ := s.Claim(context.Background(), "event#Ev1", "1", time.Hour); !won {
		t.Fatal("claim")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := NewBoltStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Load(context.Background(), sess.ID)
	if err != nil || got == nil || got.Bundle == nil || got.Bundle.Title != "checkout-5xx" {
		t.Fatalf("after restart: %+v %v", got, err)
	}
	if won, _, _ := s2.Claim(context.Background(), "event#Ev1", "1", time.Hour); won {
		t.Fatal("an event id seen before the restart was accepted again")
	}
}

// fakeDynamo is a DynamoDB table behind awsfake: the real SDK client talks
// JSON 1.0 to it. It evaluates the condition expressions the store sends
// and fails the test on any other.
type fakeDynamo struct {
	mu    sync.Mutex
	items map[string]map[string]any
	now   func() time.Time
}

func newFakeDynamo(t *testing.T) (*awsfake.Server, *fakeDynamo) {
	srv := awsfake.New(t)
	f := &fakeDynamo{items: map[string]map[string]any{}, now: time.Now}
	table := func(c awsfake.Call) *awsfake.Reply {
		if c.Str("TableName") != "fa2-sessions" {
			r := awsfake.Error("ResourceNotFoundException", "Requested resource not found")
			return &r
		}
		return nil
	}
	pkOf := func(m any) string {
		k, _ := m.(map[string]any)["pk"].(map[string]any)
		s, _ := k["S"].(string)
		return s
	}
	srv.Handle("GetItem", func(c awsfake.Call) awsfake.Reply {
		if r := table(c); r != nil {
			return *r
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if it, ok := f.items[pkOf(c.Get("Key"))]; ok {
			return awsfake.OK(map[string]any{"Item": it})
		}
		return awsfake.OK(map[string]any{})
	})
	cond := func(c awsfake.Call, existing map[string]any) bool {
		switch expr := c.Str("ConditionExpression"); expr {
		case "":
			return true
		case "attribute_not_exists(pk) OR #e <= :now":
			if existing == nil {
				return true
			}
			if c.Str("ExpressionAttributeNames", "#e") != "expires" {
				t.Errorf("#e = %q", c.Str("ExpressionAttributeNames", "#e"))
			}
			e, _ := strconv.ParseInt(existing["expires"].(map[string]any)["N"].(string), 10, 64)
			now, _ := strconv.ParseInt(c.Str("ExpressionAttributeValues", ":now", "N"), 10, 64)
			return e <= now
		case "v = :v":
			if existing == nil {
				return false
			}
			v, _ := existing["v"].(map[string]any)["S"].(string)
			return v == c.Str("ExpressionAttributeValues", ":v", "S")
		default:
			t.Errorf("fake DynamoDB cannot evaluate %q", expr)
			return false
		}
	}
	failed := awsfake.Error("ConditionalCheckFailedException", "The conditional request failed")
	srv.Handle("PutItem", func(c awsfake.Call) awsfake.Reply {
		if r := table(c); r != nil {
			return *r
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		item := c.Get("Item").(map[string]any)
		pk := pkOf(item)
		if !cond(c, f.items[pk]) {
			return failed
		}
		f.items[pk] = item
		return awsfake.OK(map[string]any{})
	})
	srv.Handle("DeleteItem", func(c awsfake.Call) awsfake.Reply {
		if r := table(c); r != nil {
			return *r
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		pk := pkOf(c.Get("Key"))
		if !cond(c, f.items[pk]) {
			return failed
		}
		delete(f.items, pk)
		return awsfake.OK(map[string]any{})
	})
	return srv, f
}

func TestDynamoStoreAgainstFakeEndpoint(t *testing.T) {
	srv, f := newFakeDynamo(t)
	client := dynamodb.NewFromConfig(srv.Config())
	s := NewDynamoStore(client, "fa2-sessions")
	ds := s.(*dynamoStore)
	storeContract(t, s, func(t time.Time) { ds.now = func() time.Time { return t } })

	// The wire: the session is gzipped binary with the TTL attribute.
	var sessionPut awsfake.Call
	for _, c := range srv.Calls("PutItem") {
		if strings.HasPrefix(c.Str("Item", "pk", "S"), "thread#") {
			sessionPut = c
		}
	}
	if sessionPut.Str("Item", "s", "B") == "" || sessionPut.Str("Item", "expires", "N") == "" || sessionPut.Str("TableName") != "fa2-sessions" {
		t.Fatalf("session item: %v", sessionPut.Params)
	}
	claim := srv.Calls("PutItem")[1]
	if claim.Str("ConditionExpression") == "" {
		t.Fatal("a claim must be a conditional put, or replicas could both win")
	}
	if len(f.items) == 0 {
		t.Fatal("nothing stored")
	}
	// A missing table says which setting to fix.
	bad := NewDynamoStore(client, "nope")
	_, err := bad.Load(context.Background(), "thread#x")
	if err == nil || !strings.Contains(err.Error(), "sessions table nope") || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Fatalf("error %v", err)
	}
}

// Two bridges sharing one DynamoDB table see one event id once.
func TestDynamoClaimsAcrossReplicas(t *testing.T) {
	srv, _ := newFakeDynamo(t)
	a := NewDynamoStore(dynamodb.NewFromConfig(srv.Config()), "fa2-sessions")
	b := NewDynamoStore(dynamodb.NewFromConfig(srv.Config()), "fa2-sessions")
	w1, _, _ := a.Claim(context.Background(), "event#Ev1", "1", time.Hour)
	w2, _, _ := b.Claim(context.Background(), "event#Ev1", "1", time.Hour)
	if !w1 || w2 {
		t.Fatalf("replica a won %v, replica b won %v", w1, w2)
	}
}

// Expired records are deleted by later writes, wherever they sit in the
// file, so a busy bridge's file does not grow without bound.
func TestBoltStoreSweepsExpiredRecords(t *testing.T) {
	s, err := NewBoltStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bs := s.(*boltStore)
	now := time.Now()
	bs.now = func() time.Time { return now }
	ctx := context.Background()
	// Long-lived records first in key order, then many short-lived ones.
	for i := 0; i < 100; i++ {
		bs.Set(ctx, fmt.Sprintf("alarm#%03d", i), "x", 24*time.Hour)
	}
	for i := 0; i < 300; i++ {
		bs.Claim(ctx, fmt.Sprintf("event#%03d", i), "1", time.Hour)
	}
	now = now.Add(2 * time.Hour)
	for i := 0; i < 20; i++ {
		bs.Claim(ctx, fmt.Sprintf("event#new%02d", i), "1", time.Hour)
	}
	var keys int
	bs.db.View(func(tx *bolt.Tx) error { keys = tx.Bucket(boltBucket).Stats().KeyN; return nil })
	if keys > 100+20+64 {
		t.Fatalf("%d records left; the 300 expired event ids should be mostly swept", keys)
	}
	if v, _ := bs.Lookup(ctx, "alarm#050"); v != "x" {
		t.Fatal("a live record was swept")
	}
}
