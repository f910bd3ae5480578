package slackbridge

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/fa2/fa2/telemetry"
)

// Block and action ids of the form, the progress message and the modal.
const (
	blockStart    = "fa2_start"
	blockEnd      = "fa2_end"
	blockDesc     = "fa2_desc"
	actionStart   = "start"
	actionEnd     = "end"
	actionDesc    = "desc"
	actionSubmit  = "fa2_submit"
	actionDismiss = "fa2_dismiss"
	actionCancel  = "fa2_cancel"
	callbackModal = "fa2_form"
)

// suggestedWindow is the window the form proposes for an alarm: from 30
// minutes before it fired (room for the cause and the baseline's edge) to
// 10 minutes after (the first minutes of impact).
func suggestedWindow(a *Alarm, now time.Time) telemetry.Window {
	at := a.At
	if at.IsZero() {
		at = now
	}
	return telemetry.Window{Start: at.Add(-30 * time.Minute).Truncate(time.Minute), End: at.Add(10 * time.Minute).Truncate(time.Minute)}
}

// formInputs are the inputs shared by the thread form and the modal.
// Slack's datetimepicker shows each person their own time zone and returns
// epoch seconds, so no time zone is assumed here.
func (b *Bridge) formInputs(w telemetry.Window, desc string) []slack.Block {
	start := slack.NewDateTimePickerBlockElement(actionStart)
	end := slack.NewDateTimePickerBlockElement(actionEnd)
	if !w.Start.IsZero() {
		start.InitialDateTime, end.InitialDateTime = w.Start.Unix(), w.End.Unix()
	}
	descIn := slack.NewPlainTextInputBlockElement(nil, actionDesc)
	descIn.Multiline = true
	descIn.InitialValue = truncate(desc, 2900)
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	return []slack.Block{
		slack.NewInputBlock(blockStart, plain(b.t("form.start")), nil, start),
		slack.NewInputBlock(blockEnd, plain(b.t("form.end")), nil, end),
		slack.NewInputBlock(blockDesc, plain(b.t("form.desc")), plain(b.t("form.desc.hint")), descIn),
	}
}

// postForm posts the form in the alarm's thread, prefilled with the
// suggested window and a description, and keeps it as a session so the
// button finds the alarm again on any replica.
func (b *Bridge) postForm(ctx context.Context, channel, thread string, a *Alarm) {
	id := ThreadKey(channel, thread)
	w := suggestedWindow(a, b.now())
	desc := alarmDescription(a)
	blocks := []slack.Block{section(b.t("form.intro", a.Name))}
	blocks = append(blocks, b.formInputs(w, desc)...)
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	blocks = append(blocks, slack.NewActionBlock("fa2_form_actions",
		slack.NewButtonBlockElement(actionSubmit, id, plain(b.t("form.submit"))).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(actionDismiss, id, plain(b.t("form.dismiss")))))
	ts := b.post(ctx, channel, thread, b.t("form.intro", a.Name), blocks...)
	now := b.now()
	b.save(ctx, &Session{ID: id, Channel: channel, ThreadTS: thread, ProgressTS: ts, State: StateForm, Alarm: a,
		Description: desc, Window: w, Created: now, Updated: now, Expires: now.Add(b.sessionTTL())})
	_ = b.store.Set(ctx, "alarm#"+a.Key(), id, b.sessionTTL())
}

// formValues reads the window and description from a form's state.
func formValues(values map[string]map[string]slack.BlockAction) (telemetry.Window, string, bool) {
	var w telemetry.Window
	if v := values[blockStart][actionStart].SelectedDateTime; v > 0 {
		w.Start = time.Unix(v, 0).UTC()
	}
	if v := values[blockEnd][actionEnd].SelectedDateTime; v > 0 {
		w.End = time.Unix(v, 0).UTC()
	}
	desc := strings.TrimSpace(values[blockDesc][actionDesc].Value)
	ok := w.Start.IsZero() || w.End.IsZero() || w.End.After(w.Start)
	return w, desc, ok
}

// onFormSubmit starts the investigation the thread form asks for; the form
// message becomes the progress message.
func (b *Bridge) onFormSubmit(ctx context.Context, cb *slack.InteractionCallback, act *slack.BlockAction) {
	s, err := b.store.Load(ctx, act.Value)
	if err != nil || s == nil || s.State != StateForm {
		b.ephemeral(ctx, cb.Channel.ID, "", cb.User.ID, b.t("progress.not_running"))
		return
	}
	var values map[string]map[string]slack.BlockAction
	if cb.BlockActionState != nil {
		values = cb.BlockActionState.Values
	}
	w, desc, ok := formValues(values)
	if !ok {
		b.ephemeral(ctx, s.Channel, s.ThreadTS, cb.User.ID, b.t("form.bad_window"))
		return
	}
	if w.Start.IsZero() || w.End.IsZero() {
		w = s.Window
	}
	if desc == "" {
		desc = s.Description
	}
	b.update(ctx, s.Channel, s.ProgressTS, b.t("form.started", cb.User.ID), section(b.t("form.started", cb.User.ID)))
	b.start(ctx, startRequest{Channel: s.Channel, ThreadTS: s.ThreadTS, User: cb.User.ID, Alarm: s.Alarm,
		Description: desc, Window: w, ProgressTS: s.ProgressTS})
}

func (b *Bridge) onFormDismiss(ctx context.Context, cb *slack.InteractionCallback, act *slack.BlockAction) {
	s, err := b.store.Load(ctx, act.Value)
	if err != nil || s == nil || s.State != StateForm {
		return
	}
	s.State = StateCancelled
	b.update(ctx, s.Channel, s.ProgressTS, b.t("form.dismissed", cb.User.ID), section(b.t("form.dismissed", cb.User.ID)))
	b.save(ctx, s)
}

// modalMeta travels in the modal's private_metadata.
type modalMeta struct {
	Channel string `json:"c"`
}

// openModal opens the /fa2 form.
func (b *Bridge) openModal(ctx context.Context, triggerID, channel string) error {
	meta, _ := json.Marshal(modalMeta{Channel: channel})
	now := b.now()
	blocks := append([]slack.Block{section(b.t("form.intro.cmd"))},
		b.formInputs(telemetry.Window{Start: now.Add(-time.Hour).Truncate(time.Minute), End: now.Truncate(time.Minute)}, "")...)
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callbackModal, PrivateMetadata: string(meta),
		Title: plain(truncate(b.t("form.title"), 24)), Submit: plain(b.t("form.submit")),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
	_, err := b.api.OpenViewContext(ctx, triggerID, view)
	return err
}

// onModalSubmit validates the modal; a bad window keeps it open with the
// error next to the field. The investigation gets a message of its own in
// the channel, and runs in that message's thread.
func (b *Bridge) onModalSubmit(cb *slack.InteractionCallback) *slack.ViewSubmissionResponse {
	w, desc, ok := formValues(cb.View.State.Values)
	if !ok {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{blockEnd: b.t("form.bad_window")})
	}
	var meta modalMeta
	_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta)
	user := cb.User.ID
	b.goWork("modal", func(ctx context.Context) {
		channel := meta.Channel
		text := b.t("form.requested", user, orDefault(desc, "—"))
		ts := b.post(ctx, channel, "", text)
		if ts == "" {
			// The bot is not in that channel (or it is someone else's
			// DM): run in a DM with the user instead.
			ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
			if err != nil {
				b.log.Warn().Err(err).Msg("cannot open a DM for the investigation")
				return
			}
			channel = ch.ID
			if ts = b.post(ctx, channel, "", text); ts == "" {
				return
			}
		}
		b.start(ctx, startRequest{Channel: channel, ThreadTS: ts, User: user, Description: desc, Window: w})
	})
	return nil
}
