package conversefake_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/fa2/fa2/bedrock/conversefake"
)

// A test points the real SDK client at the fake, either through
// AWSConfig() or with AWS_ENDPOINT_URL_BEDROCK_RUNTIME=fake.URL for code
// that loads its own configuration, and scripts the model's replies.
func TestSequenceScript(t *testing.T) {
	fake := conversefake.New(t, conversefake.Sequence(
		conversefake.Reply{Err: &conversefake.Error{Status: 429, Type: "ThrottlingException", Msg: "slow down"}},
		conversefake.Reply{Text: "the database password was rotated"},
	))
	client := bedrockruntime.NewFromConfig(fake.AWSConfig(), func(o *bedrockruntime.Options) { o.Retryer = aws.NopRetryer{} })
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("global.anthropic.claude-sonnet-4-6"),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "why?"}}}}}
	if _, err := client.Converse(context.Background(), in); err == nil {
		t.Fatal("the scripted throttling did not arrive")
	}
	out, err := client.Converse(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
	if got != "the database password was rotated" || len(fake.Requests()) != 2 {
		t.Fatal(fmt.Sprint(got, len(fake.Requests())))
	}
}
