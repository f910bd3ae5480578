package slackbridge

import (
	"context"
	"errors"

	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// startRequest asks for an investigation in a thread.
type startRequest struct {
	Channel, ThreadTS string
	// User started it; "" for an alarm in investigate mode.
	User        string
	Alarm       *Alarm
	Description string
	// Window is zero when the engine should derive it from the alarm.
	Window telemetry.Window
	// ProgressTS reuses a message (the form) as the progress message.
	ProgressTS string
}

// run is an investigation running on this replica.
type run struct {
	cancel context.CancelCauseFunc
}

// cancelledBy is the cause of a Cancel press.
type cancelledBy struct{ user string }

func (c cancelledBy) Error() string { return "cancelled by " + c.user }

// runningTTL bounds the claim that keeps an alarm from being investigated
// twice, so a replica that dies mid-run does not block its alarm forever.
func (b *Bridge) runningTTL() time.Duration { return time.Duration(b.sc.Timeout) + 5*time.Minute }

func (b *Bridge) sessionTTL() time.Duration { return time.Duration(b.cfg.Sessions.TTL) }

// start checks the controls and runs an investigation in req's thread. It
// blocks until the investigation ends; callers run it on a goroutine.
func (b *Bridge) start(ctx context.Context, req startRequest) {
	id := ThreadKey(req.Channel, req.ThreadTS)
	title := b.titleOf(req)
	var alarmKey string
	if req.Alarm != nil {
		alarmKey = "running#" + req.Alarm.Key()
		won, holder, err := b.store.Claim(ctx, alarmKey, id, b.runningTTL())
		if err != nil {
			b.log.Warn().Err(err).Msg("cannot claim the alarm; investigating anyway")
		} else if !won {
			if s, _ := b.store.Load(ctx, holder); s != nil {
				b.post(ctx, req.Channel, req.ThreadTS, b.t("alarm.running", req.Alarm.Name, b.permalink(ctx, s.Channel, s.ThreadTS)))
			}
			return
		}
		defer b.store.Release(context.WithoutCancel(ctx), alarmKey, id)
		_ = b.store.Set(ctx, "alarm#"+req.Alarm.Key(), id, b.sessionTTL())
	}
	// The rate counts investigations, so it is checked after the claim: a
	// repeated alarm that starts nothing does not use up the channel's hour.
	if ok, next := b.limits.allowStart(req.Channel); !ok {
		b.post(ctx, req.Channel, req.ThreadTS, b.t("refuse.rate", b.sc.RatePerHour, elapsed(next)))
		return
	}
	now := b.now()
	s := &Session{ID: id, Channel: req.Channel, ThreadTS: req.ThreadTS, State: StateQueued, Alarm: req.Alarm,
		Description: req.Description, Window: req.Window, StartedBy: req.User, Created: now, Updated: now,
		Expires: now.Add(b.sessionTTL()), ProgressTS: req.ProgressTS}
	if old, _ := b.store.Load(ctx, id); old != nil {
		// A new investigation in an old thread keeps the conversation.
		s.Conversation, s.Created = old.Conversation, old.Created
	}
	ticket, ok := b.limits.enter()
	if !ok {
		running, waiting := b.limits.load()
		b.post(ctx, req.Channel, req.ThreadTS, b.t("refuse.busy", running, waiting))
		return
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	b.mu.Lock()
	b.runs[id] = &run{cancel: cancel}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.runs, id)
		b.mu.Unlock()
	}()

	p := &progress{b: b, s: s, title: title, started: now}
	if ticket.queued {
		p.queued(ctx, ticket.ahead)
	} else {
		p.show(ctx, b.t("progress.gathering"))
	}
	b.save(ctx, s)
	if err := ticket.wait(ctx); err != nil {
		p.finish(b.endText(ctx, p, err))
		b.save(context.WithoutCancel(ctx), s)
		return
	}
	defer ticket.leave()
	p.started = b.now()
	s.State = StateRunning
	b.save(ctx, s)
	b.investigate(ctx, s, p)
}

// titleOf names the investigation in messages.
func (b *Bridge) titleOf(req startRequest) string {
	if req.Alarm != nil {
		return req.Alarm.Name
	}
	d := strings.TrimSpace(req.Description)
	if r := []rune(d); len(r) > 60 {
		d = string(r[:59]) + "…"
	}
	if d == "" {
		d = "fa2"
	}
	return d
}

// investigate runs the engine: the bundle first, then the analysis.
func (b *Bridge) investigate(ctx context.Context, s *Session, p *progress) {
	runCtx, cancel := context.WithTimeoutCause(ctx, time.Duration(b.sc.Timeout), context.DeadlineExceeded)
	defer cancel()
	go p.tick(runCtx, b.tick)
	p.show(runCtx, b.t("progress.gathering"))
	req := investigate.Request{Description: s.Description, Window: s.Window, Language: b.lang(),
		Progress: func(done, total float64, msg string) { p.step(runCtx, msg) }}
	if s.Alarm != nil {
		req.AlarmName = s.Alarm.Name
	}
	bundle, err := b.engine.Investigate(runCtx, req)
	if err != nil {
		b.end(runCtx, s, p, err)
		return
	}
	s.Bundle = bundle
	b.postBundle(runCtx, s, bundle)
	b.save(ctx, s)

	p.show(runCtx, b.t("progress.analyzing"))
	report, err := b.engine.Analyze(runCtx, bundle, s.Description, func(st Step) { p.step(runCtx, st.Text) })
	if errors.Is(err, ErrNoModel) {
		s.State = StateDone
		b.save(ctx, s)
		b.post(runCtx, s.Channel, s.ThreadTS, b.t("no_model"))
		p.finish(b.t("progress.evidence", elapsed(b.now().Sub(p.started))))
		b.save(ctx, s)
		return
	}
	if err != nil {
		if runCtx.Err() == nil {
			// The evidence stands; only the model's part failed.
			b.post(runCtx, s.Channel, s.ThreadTS, b.t("analysis.failed", b.userError(err)))
		}
		b.end(runCtx, s, p, err)
		return
	}
	// Saved before it is posted: a question asked the moment the report
	// appears must find the session done, with its report.
	s.Report = report
	s.State = StateDone
	b.save(ctx, s)
	b.postReport(runCtx, s, report)
	if report.Degraded != "" {
		p.finish(b.t("progress.degraded", elapsed(b.now().Sub(p.started))))
	} else {
		p.finish(b.t("progress.done", elapsed(b.now().Sub(p.started))))
	}
	b.save(ctx, s)
}

// end records why an investigation stopped and says so in place of the
// progress.
func (b *Bridge) end(ctx context.Context, s *Session, p *progress, err error) {
	p.finish(b.endText(ctx, p, err))
	switch {
	case errors.Is(context.Cause(ctx), errShutdown):
		s.State = StateInterrupted
	case errors.As(context.Cause(ctx), new(cancelledBy)):
		s.State = StateCancelled
	default:
		s.State = StateFailed
	}
	b.save(context.WithoutCancel(ctx), s)
}

func (b *Bridge) endText(ctx context.Context, p *progress, err error) string {
	took := elapsed(b.now().Sub(p.started))
	var cb cancelledBy
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errShutdown):
		return b.t("progress.interrupted", took)
	case errors.As(cause, &cb):
		return b.t("progress.cancelled", cb.user, took)
	case errors.Is(cause, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return b.t("progress.timeout", took)
	}
	msg := err.Error()
	if te, ok := telemetry.AsError(err); ok {
		msg = te.Error()
	} else {
		// A plain error is a bug; its text may hold internals, so the
		// thread gets a short form and the log the rest.
		b.log.Error().Err(err).Str("session", p.s.ID).Msg("investigation failed")
		msg = "an internal error (see fa2's log)"
	}
	return b.t("progress.failed", took, msg)
}

func (b *Bridge) save(ctx context.Context, s *Session) {
	s.Updated = b.now()
	if err := b.store.Save(ctx, s); err != nil {
		b.log.Warn().Err(err).Str("session", s.ID).Msg("cannot save the session; follow-ups in this thread will not find it")
	}
}

// cancelRun stops a running investigation; false when it runs nowhere here.
func (b *Bridge) cancelRun(id, user string) bool {
	b.mu.Lock()
	r := b.runs[id]
	b.mu.Unlock()
	if r == nil {
		return false
	}
	r.cancel(cancelledBy{user: user})
	return true
}

// progress is the one message that shows an investigation's progress,
// updated in place at most every b.every, always on the last word.
type progress struct {
	b       *Bridge
	s       *Session
	title   string
	started time.Time

	mu      sync.Mutex
	steps   []string
	status  string
	last    time.Time
	pending bool
	done    bool
}

// maxSteps is how many recent steps the message lists.
const maxSteps = 8

func (p *progress) blocks(final bool) []slack.Block {
	var sb strings.Builder
	sb.WriteString(p.b.t("progress.title", p.title))
	sb.WriteString("\n" + p.status)
	for _, st := range p.steps {
		sb.WriteString("\n• " + st)
	}
	blocks := []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(sb.String(), 2900), false, false), nil, nil)}
	if !final {
		blocks = append(blocks,
			slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, p.footer(), false, false)),
			slack.NewActionBlock("fa2_progress", slack.NewButtonBlockElement(actionCancel, p.s.ID,
				slack.NewTextBlockObject(slack.PlainTextType, p.b.t("progress.cancel"), false, false)).WithStyle(slack.StyleDanger)))
	}
	return blocks
}

func (p *progress) footer() string {
	f := p.b.t("progress.elapsed", elapsed(p.b.now().Sub(p.started)))
	if p.s.StartedBy != "" {
		f += " · " + p.b.t("progress.by", p.s.StartedBy)
	}
	return f
}

// queued shows the place in line.
func (p *progress) queued(ctx context.Context, ahead int) {
	p.mu.Lock()
	p.status = p.b.t("progress.queued", ahead)
	p.mu.Unlock()
	p.flush(ctx, true)
}

// show sets the status line and updates now (unless it says the same).
func (p *progress) show(ctx context.Context, status string) {
	p.mu.Lock()
	same := p.status == status && p.s.ProgressTS != ""
	p.status = status
	p.mu.Unlock()
	if !same {
		p.flush(ctx, true)
	}
}

// tick refreshes the elapsed time while nothing else moves (a long model
// call), until ctx ends.
func (p *progress) tick(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.flush(ctx, false)
		}
	}
}

// step adds a line; the message is updated when enough time has passed.
func (p *progress) step(ctx context.Context, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	p.mu.Lock()
	p.steps = append(p.steps, truncate(text, 200))
	if len(p.steps) > maxSteps {
		p.steps = p.steps[len(p.steps)-maxSteps:]
	}
	p.mu.Unlock()
	p.flush(ctx, false)
}

// flush posts or updates the message. Without force it skips updates that
// come too soon after the last; the next one carries them.
func (p *progress) flush(ctx context.Context, force bool) {
	p.mu.Lock()
	if p.done || (!force && p.b.now().Sub(p.last) < p.b.every) {
		p.mu.Unlock()
		return
	}
	p.last = p.b.now()
	blocks := p.blocks(false)
	text := p.b.t("progress.title", p.title) + " — " + p.status
	ts := p.s.ProgressTS
	p.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	if p.b.checkRemoteCancel(ctx, p.s.ID) {
		return // the investigation stops; finish writes the last word
	}
	if ts == "" {
		ts = p.b.post(ctx, p.s.Channel, p.s.ThreadTS, text, blocks...)
		p.mu.Lock()
		p.s.ProgressTS = ts
		p.mu.Unlock()
		return
	}
	p.b.update(ctx, p.s.Channel, ts, text, blocks...)
}

// finish writes the last word and removes the Cancel button. It uses a
// context of its own: it must run after cancellation and on shutdown.
func (p *progress) finish(status string) {
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return
	}
	p.done = true
	p.status = status
	blocks := p.blocks(true)
	text := p.b.t("progress.title", p.title) + " — " + status
	ts := p.s.ProgressTS
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if ts == "" {
		ts = p.b.post(ctx, p.s.Channel, p.s.ThreadTS, text, blocks...)
		p.mu.Lock()
		p.s.ProgressTS = ts
		p.mu.Unlock()
		return
	}
	p.b.update(ctx, p.s.Channel, ts, text, blocks...)
}

// truncate cuts s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// asTelemetry returns the user-facing sentence of a *telemetry.Error.
func asTelemetry(err error) (string, bool) {
	if te, ok := telemetry.AsError(err); ok {
		return te.Error(), true
	}
	return "", false
}

// checkRemoteCancel applies a Cancel pressed on a message another replica
// received (it leaves a cancel# key in the shared store).
func (b *Bridge) checkRemoteCancel(ctx context.Context, id string) bool {
	if user, err := b.store.Lookup(ctx, "cancel#"+id); err == nil && user != "" {
		_ = b.store.Release(ctx, "cancel#"+id, user)
		return b.cancelRun(id, user)
	}
	return false
}
