package evidence

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// TestMinePatternsIsDeterministic feeds lines the miner first keeps apart
// and later merges into one template: the merged pattern's sample must not
// depend on map iteration order.
func TestMinePatternsIsDeterministic(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var events []telemetry.LogEvent
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}
	for i := 0; i < 400; i++ {
		events = append(events, telemetry.LogEvent{
			Timestamp: t0.Add(time.Duration(i) * time.Second),
			Message:   fmt.Sprintf("POST /api/%s status=200 duration=%dms cart=crt-%04x user %s", words[i%len(words)], 100+i%37, i*7919%65536, words[(i/3)%len(words)]),
		})
	}
	first := MinePatterns(events)
	for i := 0; i < 30; i++ {
		if got := MinePatterns(events); !reflect.DeepEqual(got, first) {
			t.Fatalf("run %d differs from the first:\n%+v\nvs\n%+v", i, got, first)
		}
	}
}
