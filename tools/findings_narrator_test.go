package tools

import (
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/bedrock/conversefake"
)

// With a model, findings_report asks it for the overview with the findings
// template in the report's language, shows it the findings with ids to
// cite, and nests its answer under the overview above the deterministic
// report.
func TestFindingsReportNarratedByTheModel(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: "# 概要\n\nEC2.19 のセキュリティグループが最優先です [F1]。\n\n## 今すぐすべきこと\n\n- 0.0.0.0/0 のルールを削除する"}
	})
	env := snapshotEnv(t, "../examples/demo")
	env.Config.Bedrock.ModelID = "global.anthropic.claude-sonnet-4-6"
	env.Config.Architecture = "ALB → checkout-api → Aurora"
	env.Model = bedrock.New(fake.AWSConfig(), env.Config.Bedrock, zerolog.Nop())
	env.FindingsNarrator = FindingsNarratorFor(env)
	if env.FindingsNarrator == nil {
		t.Fatal("no narrator with a model configured")
	}
	res := call(t, env, FindingsReport(), `{"language":"ja"}`)
	if res.IsError {
		t.Fatalf("error: %s", text(res))
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d model calls, want 1", len(reqs))
	}
	user := *reqs[0].Messages[0].Content[0].Text
	for _, want := range []string{"所見レポートを書いてください", "F1 [CRITICAL]", "Security groups should not allow unrestricted access", "ALB → checkout-api → Aurora", "```telemetry"} {
		if !strings.Contains(user, want) {
			t.Errorf("the prompt lacks %q:\n%s", want, user)
		}
	}
	if sys := *reqs[0].System[0].Text; !strings.Contains(sys, "日本語で書いてください") {
		t.Errorf("the system prompt does not ask for Japanese:\n%s", sys)
	}
	md := text(res)
	over := strings.Index(md, "### 概要")
	det := strings.Index(md, "[CRITICAL] Security groups should not allow unrestricted access")
	if over < 0 || det < 0 || over > det || !strings.Contains(md, "#### 今すぐすべきこと") {
		t.Fatalf("the narrative is not nested in the overview above the report:\n%s", md)
	}
	if strings.Contains(md, "\n# 概要") {
		t.Error("the model's top heading was not nested")
	}
}

// A model that fails leaves the deterministic report with a warning; with
// no model configured there is no narrator at all.
func TestFindingsReportSurvivesAFailingModel(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Err: &conversefake.Error{Status: 403, Type: "AccessDeniedException", Msg: "not authorized to invoke"}}
	})
	env := snapshotEnv(t, "../examples/demo")
	env.Config.Bedrock.ModelID = "global.anthropic.claude-sonnet-4-6"
	env.Model = bedrock.New(fake.AWSConfig(), env.Config.Bedrock, zerolog.Nop())
	env.FindingsNarrator = FindingsNarratorFor(env)
	res := call(t, env, FindingsReport(), `{}`)
	md := text(res)
	if res.IsError || !strings.Contains(md, "the model's overview is missing") || !strings.Contains(md, "[CRITICAL] Security groups") {
		t.Fatalf("want the deterministic report with a warning:\n%s", md)
	}

	plain := snapshotEnv(t, "../examples/demo")
	plain.Config.Bedrock.ModelID = ""
	if n := FindingsNarratorFor(plain); n != nil {
		t.Errorf("a narrator without bedrock.model_id: %#v", n)
	}
}
