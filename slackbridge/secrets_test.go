package slackbridge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/slack-go/slack"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

func TestResolveSecretFromSecretsManager(t *testing.T) {
	srv := awsfake.New(t)
	srv.Handle("GetSecretValue", func(c awsfake.Call) awsfake.Reply {
		switch c.Str("SecretId") {
		case "fa2/slack":
			return awsfake.OK(map[string]any{"Name": "fa2/slack", "SecretString": `{"bot_token":"xoxb-from-json","signing_secret":"s3cr3t"}`})
		case "fa2/bot":
			return awsfake.OK(map[string]any{"Name": "fa2/bot", "SecretString": "xoxb-plain\n"})
		}
		return awsfake.Error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	})
	api := secretsmanager.NewFromConfig(srv.Config())
	ctx := context.Background()
	for ref, want := range map[string]string{
		"xoxb-literal":                           "xoxb-literal",
		"aws-secretsmanager:fa2/bot":             "xoxb-plain",
		"aws-secretsmanager:fa2/slack#bot_token": "xoxb-from-json",
	} {
		got, err := ResolveSecret(ctx, api, "slack.bot_token", ref)
		if err != nil || got != want {
			t.Errorf("%s: %q %v", ref, got, err)
		}
	}
	_, err := ResolveSecret(ctx, api, "slack.bot_token", "aws-secretsmanager:fa2/slack#app_token")
	if err == nil || !strings.Contains(err.Error(), `no string key "app_token"`) || strings.Contains(err.Error(), "xoxb-from-json") {
		t.Errorf("missing key: %v", err)
	}
	_, err = ResolveSecret(ctx, api, "slack.signing_secret", "aws-secretsmanager:missing")
	if err == nil || !strings.Contains(err.Error(), "slack.signing_secret: cannot read secret missing") || !strings.Contains(err.Error(), "secretsmanager:GetSecretValue") {
		t.Errorf("missing secret: %v", err)
	}
}

// A bad token fails start-up with Slack's reason and what to do, and the
// message never carries the token.
func TestBadTokenMessageNeverContainsIt(t *testing.T) {
	const token = "xoxb-1111-2222-SECRETVALUE"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
	}))
	defer srv.Close()
	api := slack.New(token, slack.OptionAPIURL(srv.URL+"/"))
	_, err := CheckBotToken(context.Background(), api, token)
	if err == nil || !strings.Contains(err.Error(), "Slack rejected slack.bot_token (invalid_auth)") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), "SECRETVALUE") {
		t.Fatalf("the error leaks the token: %v", err)
	}
	// Unreachable Slack: the transport error is redacted too.
	dead := slack.New(token, slack.OptionAPIURL("http://127.0.0.1:1/"+token+"/"))
	_, err = CheckBotToken(context.Background(), dead, token)
	if err == nil || strings.Contains(err.Error(), "SECRETVALUE") || !strings.Contains(err.Error(), "slack.api_url") {
		t.Fatalf("error %v", err)
	}
}
