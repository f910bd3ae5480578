package slackbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/slack-go/slack"
)

// SecretPrefix marks a setting whose value lives in AWS Secrets Manager:
// "aws-secretsmanager:NAME" takes the whole secret string,
// "aws-secretsmanager:NAME#key" one key of a JSON secret.
const SecretPrefix = "aws-secretsmanager:"

// SecretsAPI is the part of the Secrets Manager client used to resolve
// references.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// ResolveSecret returns value, or the secret it references. Errors name
// the setting and the secret, never a secret's value.
func ResolveSecret(ctx context.Context, api SecretsAPI, key, value string) (string, error) {
	ref, ok := strings.CutPrefix(value, SecretPrefix)
	if !ok {
		return value, nil
	}
	name, field, _ := strings.Cut(ref, "#")
	if name == "" {
		return "", fmt.Errorf("%s: %q names no secret; write %sNAME or %sNAME#key", key, value, SecretPrefix, SecretPrefix)
	}
	if api == nil {
		return "", fmt.Errorf("%s: cannot read secret %s: no AWS configuration", key, name)
	}
	out, err := api.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("%s: cannot read secret %s (it needs secretsmanager:GetSecretValue on it): %w", key, name, err)
	}
	s := aws.ToString(out.SecretString)
	if s == "" {
		return "", fmt.Errorf("%s: secret %s has no string value", key, name)
	}
	if field == "" {
		return strings.TrimSpace(s), nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return "", fmt.Errorf("%s: secret %s is not a JSON object, so it has no key %q", key, name, field)
	}
	v, ok := m[field].(string)
	if !ok || v == "" {
		return "", fmt.Errorf("%s: secret %s has no string key %q", key, name, field)
	}
	return v, nil
}

// CheckBotToken asks Slack who the token belongs to (auth.test). A bad
// token fails start-up with Slack's error code and what to do, and the
// message never contains the token.
func CheckBotToken(ctx context.Context, api *slack.Client, token string) (*slack.AuthTestResponse, error) {
	resp, err := api.AuthTestContext(ctx)
	if err == nil {
		return resp, nil
	}
	var se slack.SlackErrorResponse
	code := ""
	if errors.As(err, &se) {
		code = se.Err
	} else {
		code = redact(err.Error(), token)
	}
	switch code {
	case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired":
		return nil, fmt.Errorf("Slack rejected slack.bot_token (%s): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, or reinstall the app", code)
	}
	return nil, fmt.Errorf("cannot check slack.bot_token with Slack's auth.test: %s (is slack.api_url right, and Slack reachable?)", code)
}

// redact removes secrets from a message that may quote them (an URL or a
// form body in a transport error).
func redact(msg string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) >= 6 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}
