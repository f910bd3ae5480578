package investigate

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
)

// TestPrefetchChangesNothing runs the engine on the demo twice, once with
// the snapshot reading every source ahead in the background and once
// without: the bundles must be identical, so prefetching is only a matter
// of speed.
func TestPrefetchChangesNothing(t *testing.T) {
	run := func(prefetch bool) []byte {
		s, err := snapshot.Open("../examples/demo")
		if err != nil {
			t.Fatal(err)
		}
		src := s.Sources()
		if src.Prefetch == nil {
			t.Fatal("a snapshot should offer Prefetch")
		}
		if !prefetch {
			src.Prefetch = nil
		}
		cfg := config.Default()
		cfg.Architecture = s.Manifest().Architecture
		b, err := Run(context.Background(), src, &cfg, Request{})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	with, without := run(true), run(false)
	if string(with) != string(without) {
		t.Errorf("the bundle differs with prefetch:\n%s\nwithout:\n%s", with, without)
	}
}
