package tools

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkQueryLogsPatternsDemo times a patterns call over the whole demo
// window (about 22,500 events), logs already loaded:
//
//	go test ./tools -run '^$' -bench QueryLogsPatternsDemo -benchmem
func BenchmarkQueryLogsPatternsDemo(b *testing.B) {
	t := &testing.T{}
	env := snapshotEnv(t, "../examples/demo")
	tool := QueryLogs()
	args := json.RawMessage(`{"mode":"patterns"}`)
	if _, err := tool.Call(context.Background(), env, args); err != nil { // load the snapshot once
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := tool.Call(context.Background(), env, args)
		if err != nil || res.IsError {
			b.Fatal(err, res)
		}
	}
}
