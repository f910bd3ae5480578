package slackbridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
)

// postBundle posts the evidence as soon as the engine has it: a short
// summary people can read in the thread, and the whole bundle as a file.
func (b *Bridge) postBundle(ctx context.Context, s *Session, bd *investigate.Bundle) {
	// The alarm (or the request) names the thread's investigation better
	// than the bundle's generated title.
	title := b.titleOfSession(s)
	var lines []string
	lines = append(lines, b.t("bundle.header", title))
	if !bd.Window.Start.IsZero() {
		lines = append(lines, b.t("bundle.window", slackTime(bd.Window.Start), slackTime(bd.Window.End)))
	}
	if bd.Onset != nil {
		lines = append(lines, b.t("bundle.onset", slackTime(*bd.Onset), bd.OnsetSignal))
	} else {
		lines = append(lines, b.t("bundle.noonset"))
	}
	blocks := []slack.Block{section(strings.Join(lines, "\n"))}
	if len(bd.Suspects) > 0 {
		var sb strings.Builder
		sb.WriteString(b.t("bundle.suspects"))
		for i, sp := range bd.Suspects {
			if i == 3 {
				break
			}
			sb.WriteString("\n• " + b.t("bundle.suspect", sp.EventName, shortPrincipal(sp.Principal), slackTime(sp.EventTime), b.t(orDefault(sp.Likelihood, "possible"))))
			if sp.EvidenceID != "" {
				fmt.Fprintf(&sb, " [%s]", sp.EvidenceID)
			}
		}
		blocks = append(blocks, section(sb.String()))
	}
	if len(bd.Evidence) > 0 {
		var sb strings.Builder
		sb.WriteString(b.t("bundle.evidence"))
		for i, e := range bd.Evidence {
			if i == 5 {
				break
			}
			fmt.Fprintf(&sb, "\n• [%s] %s", e.ID, e.Title)
		}
		blocks = append(blocks, section(sb.String()))
	}
	if len(bd.Gaps) > 0 {
		var sb strings.Builder
		sb.WriteString(b.t("bundle.gaps"))
		for _, g := range bd.Gaps {
			fmt.Fprintf(&sb, "\n• %s: %s %s", g.Source, g.What, g.Action)
		}
		blocks = append(blocks, section(sb.String()))
	}
	b.post(ctx, s.Channel, s.ThreadTS, b.t("bundle.header", title), blocks...)
	b.upload(ctx, s, "fa2-evidence-"+slug(title)+".md", b.t("bundle.file"), bd.Markdown())
}

// postReport posts the analysis as a Block Kit summary (root cause,
// confidence, top actions, suspects) and the full Markdown as a file.
func (b *Bridge) postReport(ctx context.Context, s *Session, r *analysis.Report) {
	title := b.titleOfSession(s)
	header := b.t("report.header", title)
	if r.Degraded != "" {
		header = b.t("report.header.degraded", title)
	}
	blocks := []slack.Block{section(header)}
	if r.Degraded != "" {
		// The warning before the root cause: the model did not make it.
		blocks = append(blocks, section(":warning: "+mrkdwn(strings.TrimSpace(strings.TrimPrefix(r.Degraded, "⚠")))))
	}
	rc := b.t("report.rootcause", b.t("conf."+strings.ToLower(orDefault(r.RootCause.Confidence, "low"))))
	rc += "\n" + mrkdwn(r.RootCause.Text)
	if len(r.RootCause.Citations) > 0 {
		rc += " " + cite(r.RootCause.Citations)
	}
	blocks = append(blocks, section(rc))
	if acts := topActions(r.Actions, 3); len(acts) > 0 {
		blocks = append(blocks, section(b.t("report.actions")+"\n• "+strings.Join(acts, "\n• ")))
	}
	if r.Bundle != nil && len(r.Bundle.Suspects) > 0 {
		var sb strings.Builder
		sb.WriteString(b.t("report.suspects"))
		for i, sp := range r.Bundle.Suspects {
			if i == 3 {
				break
			}
			sb.WriteString("\n• " + b.t("report.suspect", sp.EventName, shortPrincipal(sp.Principal), b.t(orDefault(sp.Likelihood, "possible"))))
		}
		blocks = append(blocks, section(sb.String()))
	}
	foot := b.t("report.file")
	if b.botID != "" {
		foot += " " + b.t("report.followup", b.botID)
	}
	if n := len(r.Unverified); n > 0 {
		foot += "\n" + b.t("report.unverified", n)
	}
	blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, foot, false, false)))
	text := header + " — " + truncate(r.RootCause.Text, 200)
	b.post(ctx, s.Channel, s.ThreadTS, text, blocks...)
	b.upload(ctx, s, "fa2-report-"+slug(title)+".md", b.t("report.file"), r.Markdown())
	b.postPictures(ctx, s, r)
}

// maxPictures bounds the images one report adds to a thread.
const maxPictures = 6

// postPictures uploads the engine's pictures of the report, if it draws any.
func (b *Bridge) postPictures(ctx context.Context, s *Session, r *analysis.Report) {
	ill, ok := b.engine.(Illustrator)
	if !ok {
		return
	}
	pics, err := ill.Pictures(ctx, s.Bundle, r)
	if err != nil {
		b.log.Warn().Err(err).Str("session", s.ID).Msg("the report's pictures could not be drawn")
	}
	for i, p := range pics {
		if i == maxPictures || len(p.PNG) == 0 {
			break
		}
		_, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Filename: p.Name, Title: orDefault(p.Title, p.Name), Reader: bytes.NewReader(p.PNG), FileSize: len(p.PNG),
			Channel: s.Channel, ThreadTimestamp: s.ThreadTS, AltTxt: p.Title,
		})
		if err != nil {
			b.log.Warn().Err(err).Str("file", p.Name).Msg("picture upload failed")
		}
	}
}

// upload shares content as a file in the thread (files upload v2).
func (b *Bridge) upload(ctx context.Context, s *Session, name, comment, content string) {
	if strings.TrimSpace(content) == "" {
		return
	}
	_, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: name, Title: name, Content: content, FileSize: len(content),
		Channel: s.Channel, ThreadTimestamp: s.ThreadTS, InitialComment: comment, SnippetType: "markdown",
	})
	if err != nil {
		b.log.Warn().Err(err).Str("file", name).Msg("file upload failed (does the app have files:write?)")
	}
}

func (b *Bridge) titleOfSession(s *Session) string {
	return b.titleOf(startRequest{Alarm: s.Alarm, Description: s.Description})
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(text, 2900), false, false), nil, nil)
}

func topActions(a analysis.Actions, n int) []string {
	var out []string
	for _, list := range [][]string{a.Mitigate, a.Fix, a.Prevent} {
		for _, s := range list {
			if len(out) == n {
				return out
			}
			out = append(out, mrkdwn(s))
		}
	}
	return out
}

func cite(ids []string) string { return "[" + strings.Join(ids, ", ") + "]" }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// shortPrincipal keeps the readable end of an ARN: the role session or user.
func shortPrincipal(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	return orDefault(p, "?")
}

var (
	reBold    = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	reLink    = regexp.MustCompile(`\[([^\]\n]+)\]\((https?://[^)\s]+)\)`)
	reHeading = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*$`)
)

// mrkdwn turns the little Markdown a model writes (bold, links, headings)
// into Slack's mrkdwn.
func mrkdwn(s string) string {
	s = reBold.ReplaceAllString(s, "*$1*")
	s = reLink.ReplaceAllString(s, "<$2|$1>")
	return reHeading.ReplaceAllString(s, "*$1*")
}

var reSlug = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func slug(s string) string {
	s = strings.Trim(reSlug.ReplaceAllString(s, "-"), "-")
	if len(s) > 60 {
		s = s[:60]
	}
	return orDefault(s, "investigation")
}

// postFindingsReport answers /fa2 findings with the report's summary and
// shares the report itself in the channel: Markdown, and PDF when the
// engine made one. A failed upload is logged; the summary still stands.
func (b *Bridge) postFindingsReport(ctx context.Context, fr FindingsReporter, responseURL, channel string) {
	doc, err := fr.FindingsReport(ctx)
	if err == nil && doc == nil {
		err = errors.New("the engine returned no findings report")
	}
	if err != nil {
		b.respondResult(ctx, responseURL, b.t("cmd.findings"), "", err)
		return
	}
	summary := doc.Summary
	if channel != "" {
		summary += "\n\n" + b.t("cmd.findings.files")
	}
	b.respondResult(ctx, responseURL, b.t("cmd.findings"), summary, nil)
	if channel == "" {
		return
	}
	name := slug(orDefault(doc.Name, "fa2-findings"))
	s := &Session{Channel: channel}
	b.upload(ctx, s, name+".md", orDefault(doc.Title, name), doc.Markdown)
	if len(doc.PDF) > 0 {
		_, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Filename: name + ".pdf", Title: orDefault(doc.Title, name) + " (PDF)", Reader: bytes.NewReader(doc.PDF), FileSize: len(doc.PDF),
			Channel: channel,
		})
		if err != nil {
			b.log.Warn().Err(err).Str("file", name+".pdf").Msg("file upload failed (does the app have files:write and is it in the channel?)")
		}
	}
}
