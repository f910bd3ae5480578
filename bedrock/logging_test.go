package bedrock

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/config"
)

// Prompts, answers and tool outputs carry customer telemetry: they reach
// the log only at debug level and only with bedrock.debug_prompts.
func TestPromptsAreLoggedOnlyWhenAskedAtDebug(t *testing.T) {
	for _, tc := range []struct {
		name  string
		debug bool
		level zerolog.Level
		want  bool
	}{
		{"default at debug", false, zerolog.DebugLevel, false},
		{"debug_prompts at info", true, zerolog.InfoLevel, false},
		{"debug_prompts at debug", true, zerolog.DebugLevel, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
				switch call {
				case 0:
					return conversefake.Reply{Err: &conversefake.Error{Status: 429, Type: "ThrottlingException", Msg: "slow down"}}
				case 1:
					return conversefake.Reply{ToolUses: []conversefake.ToolUse{use("a", "query_logs", `{"filter":"x"}`)}}
				}
				return conversefake.Reply{Text: finalJSON}
			})
			var logs bytes.Buffer
			cfg := config.Default()
			cfg.Bedrock.DebugPrompts = tc.debug
			c := New(fake.AWSConfig(), cfg.Bedrock, zerolog.New(&logs).Level(tc.level))
			c.Backoff = Backoff{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}
			if _, err := c.Analyze(context.Background(), bundle(), Request{Mode: ModeAgent, Tools: &box{}}); err != nil {
				t.Fatal(err)
			}
			got := logs.String()
			if !strings.Contains(got, "ThrottlingException") {
				t.Errorf("the retry is not logged: %s", got)
			}
			for _, secret := range []string{"connection refused to db:5432", "412 errors", "Database unreachable"} {
				if strings.Contains(got, secret) != tc.want {
					t.Errorf("log contains %q = %v, want %v:\n%s", secret, !tc.want, tc.want, got)
				}
			}
		})
	}
}
