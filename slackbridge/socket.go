package slackbridge

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// RunSocketMode receives events over Socket Mode (no public endpoint) until
// ctx ends. api must carry the app-level token (slack.OptionAppLevelToken).
// Each request is acked first and handled after, like the HTTP path.
func (b *Bridge) RunSocketMode(ctx context.Context, api *slack.Client) error {
	client := socketmode.New(api)
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			switch code := err.Error(); code {
			case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
				return fmt.Errorf("Slack rejected slack.app_token (%s): create an app-level token (xapp-…) with connections:write under Basic Information, and enable Socket Mode", code)
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt, ok := <-client.Events:
			if !ok {
				return nil
			}
			b.onSocketEvent(client, evt)
		}
	}
}

func (b *Bridge) onSocketEvent(client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		b.log.Info().Msg("connected to Slack over Socket Mode")
	case socketmode.EventTypeInvalidAuth:
		b.log.Error().Msg("Slack rejected slack.app_token (invalid_auth); create an app-level token with connections:write")
	case socketmode.EventTypeConnectionError:
		b.log.Warn().Msg("Socket Mode connection failed; retrying")
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		b.ack(client, evt.Request, nil)
		raw := evt.Request.Payload
		retry := evt.Request.RetryAttempt
		b.goWork("event", func(ctx context.Context) { b.onEventCallback(ctx, raw, retry) })
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		if m := b.onCommand(cmd); m != nil {
			b.ack(client, evt.Request, m)
			return
		}
		b.ack(client, evt.Request, nil)
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			return
		}
		b.ack(client, evt.Request, b.onInteraction(cb))
	}
}

func (b *Bridge) ack(client *socketmode.Client, req *socketmode.Request, payload any) {
	var err error
	if payload == nil {
		err = client.Ack(*req)
	} else {
		err = client.Ack(*req, payload)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		b.log.Warn().Err(err).Msg("socket mode ack failed")
	}
}
