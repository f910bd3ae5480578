package slackbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/fa2/fa2/config"
)

// Options wires a Bridge.
type Options struct {
	Config *config.Config
	Engine Engine
	Store  Store
	// API is the Web API client with the bot token (and slack.api_url).
	API *slack.Client
	Log zerolog.Logger
	// BotUserID is the bot's own user id (auth.test), to recognise mentions
	// and ignore its own messages.
	BotUserID string
	// ProgressEvery is the least time between two updates of a progress
	// message (Slack allows about one chat.update per second per channel);
	// 0 means 2 s.
	ProgressEvery time.Duration
	// Tick is how often a running investigation refreshes its elapsed time
	// and looks for a Cancel pressed on another replica; 0 means 15 s.
	Tick time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Bridge is the running Slack bridge. Its handlers (HTTP, Socket Mode)
// acknowledge Slack at once and do the work on goroutines it tracks, so
// Shutdown can tell running investigations they were interrupted.
type Bridge struct {
	cfg    *config.Config
	sc     *config.Slack
	engine Engine
	store  Store
	api    *slack.Client
	log    zerolog.Logger
	botID  string
	every  time.Duration
	tick   time.Duration
	now    func() time.Time

	ctx  context.Context // cancelled by Shutdown
	stop context.CancelCauseFunc
	wg   sync.WaitGroup

	limits *limiter

	mu   sync.Mutex
	runs map[string]*run // by session id, investigations on this replica
}

// errShutdown is the cause given to running investigations on Shutdown.
var errShutdown = errors.New("fa2 is shutting down")

// New builds a bridge; it starts nothing.
func New(o Options) (*Bridge, error) {
	if o.Config == nil || o.Engine == nil || o.Store == nil || o.API == nil {
		return nil, errors.New("slackbridge: Config, Engine, Store and API are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ProgressEvery == 0 {
		o.ProgressEvery = 2 * time.Second
	}
	if o.Tick == 0 {
		o.Tick = 15 * time.Second
	}
	ctx, stop := context.WithCancelCause(context.Background())
	b := &Bridge{
		cfg: o.Config, sc: &o.Config.Slack, engine: o.Engine, store: o.Store, api: o.API, log: o.Log,
		botID: o.BotUserID, every: o.ProgressEvery, tick: o.Tick, now: o.Now,
		ctx: ctx, stop: stop, runs: map[string]*run{},
	}
	b.limits = newLimiter(o.Config.Slack, o.Now)
	return b, nil
}

func (b *Bridge) lang() string { return b.cfg.Language }

func (b *Bridge) t(key string, args ...any) string { return tr(b.cfg.Language, key, args...) }

// goWork runs f on a tracked goroutine with the bridge's context, so a
// handler can ack Slack first and Shutdown can wait for the work.
func (b *Bridge) goWork(what string, f func(ctx context.Context)) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				b.log.Error().Str("work", what).Interface("panic", r).Msg("recovered from a panic in Slack work")
			}
		}()
		f(b.ctx)
	}()
}

// Shutdown interrupts running investigations (their progress messages say
// so) and waits for the work to finish until ctx ends.
func (b *Bridge) Shutdown(ctx context.Context) error {
	b.stop(errShutdown)
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("slack bridge: work still running at shutdown: %w", ctx.Err())
	}
}

// Healthy reports whether the bridge still accepts work.
func (b *Bridge) Healthy() bool { return b.ctx.Err() == nil }

// eventCallback is the envelope of an Events API delivery.
type eventCallback struct {
	Type    string          `json:"type"`
	EventID string          `json:"event_id"`
	Event   json.RawMessage `json:"event"`
}

// dedupeTTL is how long an event id is remembered: Slack retries for about
// an hour at most.
const dedupeTTL = 2 * time.Hour

// firstDelivery claims an event id; false means another delivery (a retry,
// or another replica) already has it. retry is X-Slack-Retry-Num or Socket
// Mode's retry_attempt.
func (b *Bridge) firstDelivery(ctx context.Context, eventID string, retry int) bool {
	if eventID == "" {
		return retry == 0
	}
	won, _, err := b.store.Claim(ctx, "event#"+eventID, "1", dedupeTTL)
	if err != nil {
		// Without the store we cannot tell; a first delivery goes ahead,
		// a retry does not, so an outage never doubles investigations.
		b.log.Warn().Err(err).Str("event_id", eventID).Msg("cannot record the event id")
		return retry == 0
	}
	if !won {
		b.log.Debug().Str("event_id", eventID).Int("retry", retry).Msg("duplicate delivery ignored")
	}
	return won
}

// onEventCallback handles one Events API callback after it was acked.
func (b *Bridge) onEventCallback(ctx context.Context, raw []byte, retry int) {
	var cb eventCallback
	if err := json.Unmarshal(raw, &cb); err != nil || cb.Type != "event_callback" {
		return
	}
	if !b.firstDelivery(ctx, cb.EventID, retry) {
		return
	}
	var m message
	if err := json.Unmarshal(cb.Event, &m); err != nil {
		b.log.Debug().Err(err).Msg("event is not a message")
		return
	}
	switch m.Type {
	case "app_mention":
		b.goWork("mention", func(ctx context.Context) { b.onMention(ctx, &m) })
	case "message":
		b.goWork("message", func(ctx context.Context) { b.onMessage(ctx, &m) })
	}
}

// onMessage acts on alarm notifications; every other message is ignored
// (mentions arrive as app_mention).
func (b *Bridge) onMessage(ctx context.Context, m *message) {
	if m.Subtype == "message_changed" || m.Subtype == "message_deleted" || (b.botID != "" && m.User == b.botID) {
		return
	}
	if !m.fromAlarmSource(b.sc.AlarmSources) {
		return
	}
	if !b.limits.channelAllowed(m.Channel) || (b.sc.Channel != "" && m.Channel != b.sc.Channel) {
		b.log.Debug().Str("channel", m.Channel).Msg("alarm in a channel outside slack.allowed_channels ignored")
		return
	}
	a := parseAlarm(m.messageText(), tsTime(m.TS))
	if a == nil {
		b.log.Debug().Str("channel", m.Channel).Str("ts", m.TS).Msg("message from the alarm app names no alarm and state; ignored")
		return
	}
	b.log.Info().Str("alarm", a.Name).Str("state", a.State).Str("channel", m.Channel).Msg("alarm notification")
	switch {
	case a.State == "OK":
		b.onRecovered(ctx, a)
	case a.Fired():
		thread := m.TS
		if m.ThreadTS != "" {
			thread = m.ThreadTS
		}
		b.onFired(ctx, m.Channel, thread, a)
	}
}

// onFired starts what slack.on_alarm says for a new ALARM.
func (b *Bridge) onFired(ctx context.Context, channel, thread string, a *Alarm) {
	switch b.sc.OnAlarmFor(channel) {
	case "ignore":
		return
	case "investigate":
		b.start(ctx, startRequest{Channel: channel, ThreadTS: thread, Alarm: a, Description: alarmDescription(a)})
	default:
		// No form while the alarm's investigation runs: point at it.
		if holder, _ := b.store.Lookup(ctx, "running#"+a.Key()); holder != "" {
			if s, _ := b.store.Load(ctx, holder); s != nil {
				b.post(ctx, channel, thread, b.t("alarm.running", a.Name, b.permalink(ctx, s.Channel, s.ThreadTS)))
				return
			}
		}
		b.postForm(ctx, channel, thread, a)
	}
}

// onRecovered posts "recovered at …" in the thread of the alarm's latest
// investigation, if it has one.
func (b *Bridge) onRecovered(ctx context.Context, a *Alarm) {
	id, err := b.store.Lookup(ctx, "alarm#"+a.Key())
	if err != nil || id == "" {
		return
	}
	s, err := b.store.Load(ctx, id)
	if err != nil || s == nil {
		return
	}
	b.post(ctx, s.Channel, s.ThreadTS, b.t("alarm.recovered", a.Name, slackTime(a.At)))
}

func alarmDescription(a *Alarm) string {
	d := fmt.Sprintf("CloudWatch alarm %s went from %s to ALARM", a.Name, orUnknown(a.PreviousState))
	if a.Region != "" {
		d += " in " + a.Region
	}
	if a.Account != "" {
		d += " (account " + a.Account + ")"
	}
	d += "."
	if a.Reason != "" {
		d += " " + a.Reason
	}
	return d
}

func orUnknown(s string) string {
	if s == "" {
		return "OK"
	}
	return s
}

// post posts text in a thread and returns the message ts ("" on failure,
// which is logged: a post that fails must not stop the investigation).
func (b *Bridge) post(ctx context.Context, channel, thread, text string, blocks ...slack.Block) string {
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if len(blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	_, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		b.log.Warn().Err(err).Str("channel", channel).Msg("chat.postMessage failed")
		return ""
	}
	return ts
}

// update replaces a message's text and blocks.
func (b *Bridge) update(ctx context.Context, channel, ts, text string, blocks ...slack.Block) {
	if ts == "" {
		return
	}
	opts := []slack.MsgOption{slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...)}
	if _, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, opts...); err != nil {
		b.log.Warn().Err(err).Str("channel", channel).Msg("chat.update failed")
	}
}

// ephemeral tells one user something only they see.
func (b *Bridge) ephemeral(ctx context.Context, channel, thread, user, text string) {
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if _, err := b.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
		b.log.Warn().Err(err).Str("channel", channel).Msg("chat.postEphemeral failed")
	}
}

// permalink links to a thread; it falls back to a plain reference.
func (b *Bridge) permalink(ctx context.Context, channel, ts string) string {
	link, err := b.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: channel, Ts: ts})
	if err != nil || link == "" {
		return "#" + channel + "/" + ts
	}
	return link
}

// mentionsBot reports whether text mentions the bot.
func (b *Bridge) mentionsBot(text string) bool {
	return b.botID != "" && strings.Contains(text, "<@"+b.botID+">")
}

// stripMention removes the bot's mention from a question.
func (b *Bridge) stripMention(text string) string {
	if b.botID != "" {
		text = strings.ReplaceAll(text, "<@"+b.botID+">", "")
	}
	return strings.TrimSpace(text)
}
