package slackbridge

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// onInteraction handles a button press or a modal submission after its
// envelope was read; the returned value, if any, is the ack's body (a
// modal's validation errors).
func (b *Bridge) onInteraction(cb slack.InteractionCallback) any {
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		if cb.View.CallbackID != callbackModal {
			return nil
		}
		if !b.limits.userAllowed(cb.User.ID) {
			return slack.NewErrorsViewSubmissionResponse(map[string]string{blockDesc: b.t("refuse.user")})
		}
		if r := b.onModalSubmit(&cb); r != nil {
			return r
		}
	case slack.InteractionTypeBlockActions:
		for _, act := range cb.ActionCallback.BlockActions {
			act := *act
			switch act.ActionID {
			case actionSubmit, actionDismiss, actionCancel:
			default:
				continue // the datetimepickers report changes too
			}
			if !b.limits.userAllowed(cb.User.ID) {
				b.goWork("refuse", func(ctx context.Context) {
					b.ephemeral(ctx, cb.Channel.ID, threadOf(&cb), cb.User.ID, b.t("refuse.user"))
				})
				return nil
			}
			cb := cb
			switch act.ActionID {
			case actionSubmit:
				b.goWork("form", func(ctx context.Context) { b.onFormSubmit(ctx, &cb, &act) })
			case actionDismiss:
				b.goWork("dismiss", func(ctx context.Context) { b.onFormDismiss(ctx, &cb, &act) })
			case actionCancel:
				b.goWork("cancel", func(ctx context.Context) { b.onCancel(ctx, &cb, act.Value) })
			}
		}
	}
	return nil
}

func threadOf(cb *slack.InteractionCallback) string {
	if cb.Message.ThreadTimestamp != "" {
		return cb.Message.ThreadTimestamp
	}
	return cb.Container.ThreadTs
}

// onCancel stops the investigation here, or asks the replica that runs it
// (it checks at its next progress update).
func (b *Bridge) onCancel(ctx context.Context, cb *slack.InteractionCallback, id string) {
	if b.cancelRun(id, cb.User.ID) {
		return
	}
	s, err := b.store.Load(ctx, id)
	if err != nil || s == nil || (s.State != StateRunning && s.State != StateQueued) {
		b.ephemeral(ctx, cb.Channel.ID, threadOf(cb), cb.User.ID, b.t("progress.not_running"))
		return
	}
	_ = b.store.Set(ctx, "cancel#"+id, cb.User.ID, b.runningTTL())
}

// onCommand handles /fa2. The returned message is the ack's body, shown
// only to the user; the work is done after the ack.
func (b *Bridge) onCommand(cmd slack.SlashCommand) *slack.Msg {
	eph := func(text string) *slack.Msg { return &slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: text} }
	if !b.limits.userAllowed(cmd.UserID) {
		return eph(b.t("refuse.user"))
	}
	// A DM is allowed wherever the user is: allowed_channels is about
	// where investigations are posted for everyone.
	if !strings.HasPrefix(cmd.ChannelID, "D") && !b.limits.channelAllowed(cmd.ChannelID) {
		return eph(b.t("refuse.channel"))
	}
	verb, rest, _ := strings.Cut(strings.TrimSpace(cmd.Text), " ")
	switch strings.ToLower(verb) {
	case "", "investigate":
		b.goWork("modal", func(ctx context.Context) {
			if err := b.openModal(ctx, cmd.TriggerID, cmd.ChannelID); err != nil {
				b.log.Warn().Err(err).Msg("views.open failed")
				b.respond(ctx, cmd.ResponseURL, b.t("cmd.failed", "Slack did not open the form; try /fa2 again."), false)
			}
		})
		return nil
	case "help":
		return eph(b.t("cmd.help"))
	case "insight":
		q, days := insightArgs(rest)
		if q == "" {
			return eph(b.t("cmd.help"))
		}
		b.goWork("insight", func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, time.Duration(b.sc.Timeout))
			defer cancel()
			ans, err := b.engine.Insight(ctx, q, days)
			b.respondResult(ctx, cmd.ResponseURL, b.t("cmd.insight", q, days), ans, err)
		})
		return eph(b.t("cmd.working"))
	case "findings":
		b.goWork("findings", func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, time.Duration(b.sc.Timeout))
			defer cancel()
			if fr, ok := b.engine.(FindingsReporter); ok {
				b.postFindingsReport(ctx, fr, cmd.ResponseURL, cmd.ChannelID)
				return
			}
			ans, err := b.engine.Findings(ctx)
			b.respondResult(ctx, cmd.ResponseURL, b.t("cmd.findings"), ans, err)
		})
		return eph(b.t("cmd.working"))
	}
	return eph(b.t("cmd.unknown", verb, b.t("cmd.help")))
}

// insightArgs splits "why is latency up 14" into the question and days
// (default 7, at most 90).
func insightArgs(s string) (string, int) {
	s = strings.TrimSpace(s)
	days := 7
	if i := strings.LastIndex(s, " "); i > 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil && n > 0 {
			days, s = min(n, 90), strings.TrimSpace(s[:i])
		}
	} else if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return "", 0
	}
	return s, days
}

// respondResult posts a command's answer where it was asked (response_url
// works in channels and DMs alike).
func (b *Bridge) respondResult(ctx context.Context, url, heading, body string, err error) {
	if err != nil {
		b.respond(ctx, url, b.t("cmd.failed", b.userError(err)), false)
		return
	}
	const limit = 2800
	text := body
	if !strings.HasPrefix(text, "```") {
		text = mrkdwn(text)
	}
	if len([]rune(text)) > limit {
		text = truncate(text, limit) + "\n" + b.t("cmd.truncated")
	}
	b.respond(ctx, url, heading+"\n"+text, true)
}

func (b *Bridge) respond(ctx context.Context, url, text string, inChannel bool) {
	if url == "" {
		return
	}
	rt := slack.ResponseTypeEphemeral
	if inChannel {
		rt = slack.ResponseTypeInChannel
	}
	if err := slack.PostWebhookContext(ctx, url, &slack.WebhookMessage{Text: text, ResponseType: rt}); err != nil {
		b.log.Warn().Err(err).Msg("posting to the command's response_url failed")
	}
}

// userError is the sentence a person may see for err: a *telemetry.Error
// says what to do; anything else is a bug whose text stays in the log.
func (b *Bridge) userError(err error) string {
	if errors.Is(err, ErrNoModel) {
		return b.t("followup.nomodel")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return b.t("cmd.timeout", elapsed(time.Duration(b.sc.Timeout)))
	}
	if te, ok := asTelemetry(err); ok {
		return te
	}
	b.log.Error().Err(err).Msg("engine error")
	return "an internal error (see fa2's log)"
}

// onMention answers a question in an investigation's thread, or restarts
// an investigation that did not finish.
func (b *Bridge) onMention(ctx context.Context, m *message) {
	if !b.limits.userAllowed(m.User) {
		b.ephemeral(ctx, m.Channel, m.ThreadTS, m.User, b.t("refuse.user"))
		return
	}
	if !strings.HasPrefix(m.Channel, "D") && !b.limits.channelAllowed(m.Channel) {
		b.ephemeral(ctx, m.Channel, m.ThreadTS, m.User, b.t("refuse.channel"))
		return
	}
	var s *Session
	if m.ThreadTS != "" {
		s, _ = b.store.Load(ctx, ThreadKey(m.Channel, m.ThreadTS))
	}
	if s == nil {
		thread := m.ThreadTS
		if thread == "" {
			thread = m.TS
		}
		b.post(ctx, m.Channel, thread, b.t("followup.nosession"))
		return
	}
	switch {
	case s.State == StateRunning || s.State == StateQueued:
		if b.isRunningSomewhere(ctx, s) {
			b.post(ctx, m.Channel, m.ThreadTS, b.t("followup.running"))
			return
		}
		fallthrough // its replica died: start again
	case s.Bundle == nil:
		b.start(ctx, startRequest{Channel: s.Channel, ThreadTS: s.ThreadTS, User: m.User, Alarm: s.Alarm,
			Description: orDefault(b.stripMention(m.Text), s.Description), Window: s.Window})
		return
	}
	b.followUp(ctx, s, m)
}

// isRunningSomewhere reports whether a running session still has a live
// claim (a replica that died leaves only an expired one).
func (b *Bridge) isRunningSomewhere(ctx context.Context, s *Session) bool {
	b.mu.Lock()
	_, here := b.runs[s.ID]
	b.mu.Unlock()
	if here {
		return true
	}
	return b.now().Sub(s.Updated) < b.runningTTL()
}

// followUp continues the conversation with the thread's evidence.
func (b *Bridge) followUp(ctx context.Context, s *Session, m *message) {
	q := b.stripMention(m.Text)
	ctx, cancel := context.WithTimeout(ctx, time.Duration(b.sc.Timeout))
	defer cancel()
	ans, err := b.engine.FollowUp(ctx, FollowUp{Question: q, Bundle: s.Bundle, Report: s.Report,
		Conversation: s.Conversation, Language: b.lang()})
	switch {
	case errors.Is(err, ErrNoModel):
		b.post(ctx, s.Channel, s.ThreadTS, b.t("followup.nomodel"))
		return
	case err != nil:
		b.post(ctx, s.Channel, s.ThreadTS, b.t("followup.failed", b.userError(err)))
		return
	}
	b.post(ctx, s.Channel, s.ThreadTS, mrkdwn(ans))
	now := b.now()
	s.addTurn(Turn{Role: "user", User: m.User, Text: q, At: now})
	s.addTurn(Turn{Role: "fa2", Text: ans, At: now})
	s.Expires = now.Add(b.sessionTTL())
	b.save(ctx, s)
}
