package events

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/telemetry"
)

// Claimer makes a transition's handling happen once.
type Claimer interface {
	Claim(ctx context.Context, key string) (bool, error)
}

// Publisher delivers a notification: SNSPublisher to Amazon Q Developer,
// or SlackPublisher straight to a channel with the Slack app's bot token.
type Publisher interface {
	Publish(ctx context.Context, message []byte) error
}

// Store keeps the full report set and links to it.
type Store interface {
	Put(ctx context.Context, name string, data []byte, contentType string) error
	Link(ctx context.Context, name string) (string, error)
}

// Handler turns alarm events into published investigations. Investigate
// is required; the rest is optional: without Analyze there is no model's
// analysis, without Store no links, without Publisher the notification is
// only returned.
type Handler struct {
	Investigate func(ctx context.Context, a Alarm) (*investigate.Bundle, error)
	// Analyze is the root-cause analysis with a model (the bedrock
	// package through tools.RunAnalysis); nil when none is configured.
	Analyze   func(ctx context.Context, a Alarm) (*analysis.Report, error)
	Publisher Publisher
	Store     Store
	Claims    Claimer
	Report    report.Options
	// Timeout bounds one alarm's investigation and analysis; Margin is
	// kept before the caller's deadline (Lambda's) to publish.
	Timeout, Margin time.Duration
	Log             zerolog.Logger
}

// Handle processes one delivery, which may hold several events (an SQS
// batch). It returns an error only when an event that should be handled
// could not be published, so the delivery is retried.
func (h *Handler) Handle(ctx context.Context, raw []byte) ([]Outcome, error) {
	var outs []Outcome
	var firstErr error
	for _, ev := range Unwrap(raw) {
		a, err := ParseAlarm(ev)
		if err != nil {
			// Not ours to retry: say what arrived and move on.
			h.Log.Warn().Err(err).Msg("ignored an event that is not an alarm state change")
			outs = append(outs, Outcome{Skipped: err.Error()})
			continue
		}
		out, err := h.HandleAlarm(ctx, a)
		outs = append(outs, out)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return outs, firstErr
}

// HandleAlarm investigates one transition into ALARM and publishes the
// result; other transitions are noted and skipped.
func (h *Handler) HandleAlarm(ctx context.Context, a Alarm) (Outcome, error) {
	out := Outcome{Alarm: a.Name, State: a.State, Key: claimKey(a)}
	log := h.Log.With().Str("alarm", a.Name).Str("state", a.State).Time("changed", a.Changed).Logger()
	if !a.Starts() {
		out.Skipped = fmt.Sprintf("%s went from %s to %s: noted; only a change into ALARM starts an investigation.", a.Name, a.Previous, a.State)
		log.Info().Msg("alarm transition noted")
		return out, nil
	}
	if h.Claims != nil {
		ok, err := h.Claims.Claim(ctx, out.Key)
		if err != nil {
			return out, err
		}
		if !ok {
			out.Skipped = "this transition was already handled (a repeated delivery)."
			log.Info().Msg("repeated delivery skipped")
			return out, nil
		}
	}

	// The work gets Timeout, and never more than the caller's deadline
	// less the margin kept for publishing what finished.
	budget := h.Timeout
	if budget <= 0 {
		budget = 10 * time.Minute
	}
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) - h.Margin; left < budget {
			budget = left
		}
	}
	// Past the deadline already: a token moment, so the notification still says why.
	work, cancel := context.WithTimeout(ctx, max(budget, 100*time.Millisecond))
	defer cancel()

	var rep *analysis.Report
	var bundle *investigate.Bundle
	if h.Analyze != nil {
		r, err := h.Analyze(work, a)
		if err != nil {
			out.Notes = append(out.Notes, "The model's analysis did not finish: "+sentence(err)+" The evidence bundle below is what the engine found.")
		} else {
			rep, bundle = r, r.Bundle
		}
	}
	if bundle == nil {
		b, err := h.Investigate(work, a)
		if err != nil {
			out.Notes = append(out.Notes, fmt.Sprintf("The investigation did not finish within %s: %s", budget.Round(time.Second), sentence(err)))
		} else {
			bundle = b
		}
	}

	var links []Link
	if rep != nil || bundle != nil {
		r, err := report.Render(ctx, rep, bundle, h.Report)
		if err != nil {
			out.Notes = append(out.Notes, "The report could not be rendered: "+sentence(err))
		} else {
			out.Notes = append(out.Notes, r.Warnings...)
			if h.Store != nil {
				links, out.Notes = h.upload(ctx, a, r, out.Notes)
			}
		}
	}
	for _, l := range links {
		out.Links = append(out.Links, l.URL)
	}
	n := BuildNotification(a, rep, bundle, out.Notes, links, h.Report.Location)
	msg, err := json.Marshal(n)
	if err != nil {
		return out, err
	}
	if h.Publisher == nil {
		log.Warn().Msg("no output.sns_topic_arn: the notification is not published")
		return out, nil
	}
	if err := h.Publisher.Publish(ctx, msg); err != nil {
		log.Error().Err(err).Msg("publishing the notification failed")
		return out, err
	}
	out.Published = true
	log.Info().Int("links", len(links)).Msg("investigation published")
	return out, nil
}

// upload writes the report set under <date>/<alarm>-<time>/ and returns
// presigned links; failures become notes, never a lost notification.
func (h *Handler) upload(ctx context.Context, a Alarm, r *report.Rendered, notes []string) ([]Link, []string) {
	dir := a.Changed.UTC().Format("2006-01-02") + "/" + safeName(a.Name) + "-" + a.Changed.UTC().Format("150405")
	type file struct {
		name, ct string
		data     []byte
	}
	files := []file{{"report.md", "text/markdown; charset=utf-8", []byte(r.Markdown)}}
	if r.PDF != nil {
		files = append(files, file{"report.pdf", "application/pdf", r.PDF})
	}
	if r.DiagramPNG != nil {
		files = append(files, file{"diagram.png", "image/png", r.DiagramPNG})
	}
	for _, c := range r.Charts {
		files = append(files, file{c.Name, "image/png", c.PNG})
	}
	var links []Link
	for _, f := range files {
		name := dir + "/" + f.name
		if err := h.Store.Put(ctx, name, f.data, f.ct); err != nil {
			notes = append(notes, fmt.Sprintf("%s was not stored: %s", f.name, sentence(err)))
			continue
		}
		url, err := h.Store.Link(ctx, name)
		if err != nil {
			notes = append(notes, fmt.Sprintf("no link to %s: %s", f.name, sentence(err)))
			continue
		}
		links = append(links, Link{Name: f.name, URL: url})
	}
	return links, notes
}

func claimKey(a Alarm) string {
	sum := sha256.Sum256([]byte(a.Key()))
	return safeName(a.Name) + "-" + hex.EncodeToString(sum[:8])
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return clip(b.String(), 100)
}

func sentence(err error) string {
	if e, ok := telemetry.AsError(err); ok {
		return e.Error()
	}
	return err.Error() + "."
}
