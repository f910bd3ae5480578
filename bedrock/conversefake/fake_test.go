package conversefake_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/fa2/fa2/bedrock/conversefake"
)

func text(s string) types.ContentBlock { return &types.ContentBlockMemberText{Value: s} }

func toolUse(id string) types.ContentBlock {
	return &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String(id), Name: aws.String("query_logs"), Input: document.NewLazyDocument(map[string]any{})}}
}

func toolResult(id, body string, status types.ToolResultStatus) types.ContentBlock {
	content := []types.ToolResultContentBlock{} // empty, not nil: the SDK checks nil itself
	if body != "" {
		content = append(content, &types.ToolResultContentBlockMemberText{Value: body})
	}
	return &types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String(id), Content: content, Status: status}}
}

func msg(role types.ConversationRole, blocks ...types.ContentBlock) types.Message {
	return types.Message{Role: role, Content: blocks}
}

var tools = &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
	Name: aws.String("query_logs"), Description: aws.String("logs"),
	InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{"type": "object"})}}}}}

const (
	user      = types.ConversationRoleUser
	assistant = types.ConversationRoleAssistant
)

// Each request goes through the real SDK client; the fake must refuse the
// ones Bedrock refuses, with a ValidationException the SDK decodes.
func TestFakeRejectsWhatBedrockRejects(t *testing.T) {
	temp, topP := float32(0.2), float32(0.9)
	history := []types.Message{msg(user, text("q")), msg(assistant, text("looking"), toolUse("a")), msg(user, toolResult("a", "rows", types.ToolResultStatusSuccess))}
	for _, tc := range []struct {
		name string
		in   bedrockruntime.ConverseInput
		want string
	}{
		{"valid", bedrockruntime.ConverseInput{Messages: history, ToolConfig: tools}, ""},
		{"tool blocks without toolConfig", bedrockruntime.ConverseInput{Messages: history}, "toolConfig field must be defined"},
		{"unanswered toolUse", bedrockruntime.ConverseInput{ToolConfig: tools, Messages: []types.Message{msg(user, text("q")), msg(assistant, toolUse("a")), msg(user, text("go on"))}}, "Expected toolResult blocks"},
		{"error result without content", bedrockruntime.ConverseInput{ToolConfig: tools, Messages: []types.Message{msg(user, text("q")), msg(assistant, toolUse("a")), msg(user, toolResult("a", "", types.ToolResultStatusError))}}, "must not be empty"},
		{"roles do not alternate", bedrockruntime.ConverseInput{Messages: []types.Message{msg(user, text("q")), msg(user, text("again"))}}, "alternate"},
		{"starts with assistant", bedrockruntime.ConverseInput{Messages: []types.Message{msg(assistant, text("hi")), msg(user, text("q"))}}, "start with a user message"},
		{"text after toolUse", bedrockruntime.ConverseInput{ToolConfig: tools, Messages: []types.Message{msg(user, text("q")), msg(assistant, toolUse("a"), text("then")), msg(user, toolResult("a", "rows", ""))}}, "text must come before toolUse"},
		{"blank text", bedrockruntime.ConverseInput{Messages: []types.Message{msg(user, text("  "))}}, "is blank"},
		{"temperature and topP", bedrockruntime.ConverseInput{Messages: []types.Message{msg(user, text("q"))}, InferenceConfig: &types.InferenceConfiguration{Temperature: &temp, TopP: &topP}}, "temperature and top_p"},
		{"result for an unknown id", bedrockruntime.ConverseInput{ToolConfig: tools, Messages: []types.Message{msg(user, text("q")), msg(assistant, toolUse("a")), msg(user, toolResult("a", "x", ""), toolResult("b", "y", ""))}}, "does not match any toolUse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := conversefake.New(t, func(int, *conversefake.Request) conversefake.Reply { return conversefake.Reply{Text: "ok"} })
			client := bedrockruntime.NewFromConfig(fake.AWSConfig())
			in := tc.in
			in.ModelId = aws.String("global.anthropic.claude-sonnet-4-6")
			out, err := client.Converse(context.Background(), &in)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				m := out.Output.(*types.ConverseOutputMemberMessage)
				if m.Value.Content[0].(*types.ContentBlockMemberText).Value != "ok" || aws.ToInt32(out.Usage.InputTokens) == 0 {
					t.Fatalf("reply %+v", out)
				}
				if r := fake.Requests(); len(r) != 1 || r[0].ModelID != "global.anthropic.claude-sonnet-4-6" {
					t.Fatalf("requests %+v", r)
				}
				return
			}
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" || !strings.Contains(api.ErrorMessage(), tc.want) {
				t.Fatalf("got %v, want ValidationException with %q", err, tc.want)
			}
		})
	}
}

func TestFakeRepliesWithToolUse(t *testing.T) {
	fake := conversefake.New(t, func(int, *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: "let me look", ToolUses: []conversefake.ToolUse{{ToolUseID: "t1", Name: "query_logs", Input: json.RawMessage(`{"filter":"x"}`)}}}
	})
	client := bedrockruntime.NewFromConfig(fake.AWSConfig())
	out, err := client.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("m"), Messages: []types.Message{msg(user, text("q"))}, ToolConfig: tools})
	if err != nil {
		t.Fatal(err)
	}
	if out.StopReason != types.StopReasonToolUse {
		t.Fatalf("stop %s", out.StopReason)
	}
	blocks := out.Output.(*types.ConverseOutputMemberMessage).Value.Content
	u := blocks[1].(*types.ContentBlockMemberToolUse).Value
	b, _ := u.Input.MarshalSmithyDocument()
	if aws.ToString(u.ToolUseId) != "t1" || string(b) != `{"filter":"x"}` {
		t.Fatalf("toolUse %+v %s", u, b)
	}
}
