package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"github.com/fa2/fa2/telemetry"
)

// SlackPoster is the part of slack-go's client SlackPublisher uses.
type SlackPoster interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
}

// SlackPublisher posts notifications straight to a Slack channel with the
// bot token, for teams that run the Slack bridge's app instead of Amazon Q
// Developer's SNS channel. It posts the same notification SNS would carry,
// as Block Kit: the title, the description and the next steps.
type SlackPublisher struct {
	API     SlackPoster
	Channel string
}

// Slack's limits: a section's text, and the blocks of one message.
const (
	maxSectionText = 3000
	maxSlackBlocks = 50
)

// Publish implements Publisher: message is a Notification as JSON.
func (p SlackPublisher) Publish(ctx context.Context, message []byte) error {
	var n Notification
	if err := json.Unmarshal(message, &n); err != nil {
		return fmt.Errorf("the notification for Slack is not valid JSON: %w", err)
	}
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, clip(n.Content.Title, 150), false, false))}
	for _, chunk := range chunks(slackMarkdown(n.Content.Description), maxSectionText) {
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, chunk, false, false), nil, nil))
	}
	if len(n.Content.NextSteps) > 0 {
		text := "*Next steps*\n• " + strings.Join(n.Content.NextSteps, "\n• ")
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, clip(slackMarkdown(text), maxSectionText), false, false), nil, nil))
	}
	if len(blocks) > maxSlackBlocks {
		blocks = blocks[:maxSlackBlocks]
	}
	_, _, err := p.API.PostMessageContext(ctx, p.Channel, slack.MsgOptionText(n.Content.Title, false), slack.MsgOptionBlocks(blocks...))
	if err != nil {
		var se slack.SlackErrorResponse
		hint := "Check slack.bot_token and that Slack is reachable."
		if errors.As(err, &se) {
			switch se.Err {
			case "not_in_channel", "channel_not_found":
				hint = "Invite the fa2 app to the channel (/invite @fa2), and check that slack.channel is a channel id (C…)."
			case "missing_scope":
				hint = "Add the chat:write scope to the Slack app and reinstall it."
			case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
				hint = "Set slack.bot_token to the app's current Bot User OAuth Token (xoxb-…)."
			}
		}
		return telemetry.Errorf(telemetry.KindUnavailable, "posting the investigation to Slack channel %s failed: %v.", p.Channel, err).WithHint(hint)
	}
	return nil
}

var (
	reMDBold = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	reMDLink = regexp.MustCompile(`\[([^\]\n]+)\]\((https?://[^)\s]+)\)`)
)

// slackMarkdown turns the notification's client-markdown (bold, links)
// into Slack's mrkdwn.
func slackMarkdown(s string) string {
	s = reMDBold.ReplaceAllString(s, "*$1*")
	return reMDLink.ReplaceAllString(s, "<$2|$1>")
}

// chunks cuts s into pieces of at most n bytes, at line ends when it can.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := strings.LastIndex(s[:n], "\n")
		if cut <= 0 {
			cut = n
			for cut > 0 && !utf8RuneStart(s[cut]) {
				cut--
			}
		}
		out = append(out, s[:cut])
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
