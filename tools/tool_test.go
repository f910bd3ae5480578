package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

type echoInput struct {
	N    int    `json:"n,omitempty"`
	Word string `json:"word,omitempty"`
}

type echoOutput struct {
	Page
	Rows []string `json:"rows"`
}

func (o *echoOutput) Text() string { return strings.Join(o.Rows, "\n") }
func (o *echoOutput) Shrink() bool {
	if len(o.Rows) <= 1 {
		return false
	}
	o.Rows = o.Rows[:len(o.Rows)/2]
	return true
}

// echoTool returns n rows of 100 bytes, or fails the way word asks.
func echoTool() Tool {
	return New("echo", "Echo", "test tool", func(ctx context.Context, env *Env, in echoInput) (*echoOutput, error) {
		switch in.Word {
		case "actionable":
			return nil, telemetry.Errorf(telemetry.KindThrottled, "AWS said slow down.").WithHint("Wait a minute.")
		case "plain":
			return nil, errors.New("socket closed")
		case "panic":
			panic("boom")
		case "deadline":
			return nil, fmt.Errorf("waiting: %w", context.DeadlineExceeded)
		}
		out := &echoOutput{}
		for i := 0; i < in.N; i++ {
			out.Rows = append(out.Rows, strings.Repeat("x", 100))
		}
		return out, nil
	})
}

func testEnv() *Env {
	cfg := config.Default()
	cfg.Limits.MaxOutputBytes = 2000
	return &Env{Config: &cfg}
}

func TestCallBoundsOutput(t *testing.T) {
	res := call(t, testEnv(), echoTool(), `{"n":100}`)
	if res.IsError {
		t.Fatal(text(res))
	}
	raw := res.StructuredContent.(json.RawMessage)
	if len(raw) > 2000 {
		t.Errorf("structured result is %d bytes, over the 2000 limit", len(raw))
	}
	var out echoOutput
	structured(t, res, &out)
	if !out.Truncated || out.Hint == "" || len(out.Rows) == 0 || len(out.Rows) >= 100 {
		t.Errorf("truncated=%v hint=%q rows=%d", out.Truncated, out.Hint, len(out.Rows))
	}
	small := call(t, testEnv(), echoTool(), `{"n":3}`)
	structured(t, small, &out)
	if out.Truncated || len(out.Rows) != 3 {
		t.Errorf("a small result was changed: truncated=%v rows=%d", out.Truncated, len(out.Rows))
	}
}

func TestCallErrorsBecomeActionableResults(t *testing.T) {
	cases := map[string]string{
		`{"word":"actionable"}`: "AWS said slow down. Wait a minute.",
		`{"word":"plain"}`:      "echo failed: socket closed",
		`{"word":"deadline"}`:   "ran out of time",
		`{"nn":1}`:              `unknown argument "nn"`,
		`{"n":"five"}`:          `argument "n" must be of JSON type number, not string`,
		`[1,2]`:                 "invalid arguments",
	}
	for args, want := range cases {
		res := call(t, testEnv(), echoTool(), args)
		if !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: isError=%v text=%q, want %q", args, res.IsError, text(res), want)
		}
	}
	// Null or empty arguments are an empty object.
	// The echo tool runs (an empty result, not an error) and its input is
	// the zero value: no word, no rows.
	for _, args := range []string{``, `null`, `{}`} {
		res := call(t, testEnv(), echoTool(), args)
		if res.IsError || res.StructuredContent == nil {
			t.Errorf("%q: isError=%v structured=%v %s", args, res.IsError, res.StructuredContent, text(res))
			continue
		}
		if b, _ := json.Marshal(res.StructuredContent); strings.Contains(string(b), "xxx") {
			t.Errorf("%q: rows were produced from an empty input: %s", args, b)
		}
	}
}

func TestCallRecoversPanicsAsGoErrors(t *testing.T) {
	res, err := echoTool().Call(context.Background(), testEnv(), json.RawMessage(`{"word":"panic"}`))
	if err == nil || res != nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("res=%v err=%v, want a Go error naming the panic", res, err)
	}
}

func TestHalve(t *testing.T) {
	rows := []int{1, 2, 3, 4, 5}
	if !halve(&rows) || len(rows) != 2 || rows[0] != 1 {
		t.Errorf("halve kept %v, want the first two", rows)
	}
	one := []int{1}
	if halve(&one) || len(one) != 1 {
		t.Errorf("halve must leave a last row: %v", one)
	}
	var none []string
	if halve(&none) {
		t.Error("halve of nothing reported progress")
	}
}
