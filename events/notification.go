package events

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/report"
)

// Notification is an Amazon Q Developer in chat applications custom
// notification ("Custom notifications" in its administrator guide):
// published to an SNS topic the chat channel subscribes to, it is shown in
// Slack, Microsoft Teams or Chime without a Slack app of fa2's own.
type Notification struct {
	Version  string   `json:"version"` // must be "1.0"
	Source   string   `json:"source"`  // must be "custom"
	ID       string   `json:"id,omitempty"`
	Content  Content  `json:"content"`
	Metadata Metadata `json:"metadata,omitempty"`
}

// Content is what the channel shows.
type Content struct {
	TextType    string   `json:"textType,omitempty"` // only "client-markdown" is supported
	Title       string   `json:"title"`
	Description string   `json:"description"`
	NextSteps   []string `json:"nextSteps,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
}

// Metadata threads and labels the notification.
type Metadata struct {
	ThreadID          string            `json:"threadId,omitempty"`
	Summary           string            `json:"summary,omitempty"`
	EventType         string            `json:"eventType,omitempty"`
	RelatedResources  []string          `json:"relatedResources,omitempty"`
	AdditionalContext map[string]string `json:"additionalContext,omitempty"`
}

// Notification limits: chat clients cut long messages badly, so fa2 cuts
// them itself, at a line, and links the full report.
const (
	maxTitle       = 250
	maxDescription = 3500
	maxNextSteps   = 5
	maxKeywords    = 8
)

// Link is a file of the report set in S3, presigned.
type Link struct {
	Name string
	URL  string
}

// Outcome is what happened to one delivery.
type Outcome struct {
	Alarm     string `json:"alarm"`
	State     string `json:"state"`
	Key       string `json:"key"`
	Skipped   string `json:"skipped,omitempty"`
	Published bool   `json:"published"`
	// Notes say what did not finish or could not be written.
	Notes []string `json:"notes,omitempty"`
	Links []string `json:"links,omitempty"`
}

// BuildNotification turns an investigation (and the analysis, when a model
// made one) into a custom notification. notes are what did not finish;
// links the presigned report set.
func BuildNotification(a Alarm, rep *analysis.Report, b *investigate.Bundle, notes []string, links []Link, loc *time.Location) Notification {
	if loc == nil {
		loc = time.UTC
	}
	n := Notification{Version: "1.0", Source: "custom", ID: a.EventID,
		Metadata: Metadata{ThreadID: a.ARN, EventType: "fa2-investigation", AdditionalContext: map[string]string{"alarm": a.Name, "state": a.State}}}
	if a.ARN != "" {
		n.Metadata.RelatedResources = []string{a.ARN}
	}
	if n.Metadata.ThreadID == "" {
		n.Metadata.ThreadID = a.Name
	}
	title := "fa2: " + a.Name + " in ALARM"
	var lines []string
	var steps []string
	switch {
	case rep != nil:
		if rep.Title != "" {
			title = "fa2: " + rep.Title
		}
		if rep.Degraded != "" {
			// The model failed: say so before anything the engine found,
			// short (chat cuts long messages; the report has the notice
			// whole), with what to fix among the next steps.
			title = "⚠ " + title + " (evidence only, the model failed)"
			lines = append(lines, "**⚠ Evidence only: the model failed, so this is the engine's answer, not the model's analysis.** "+rep.DegradedReason)
			for _, g := range rep.Gaps {
				if g.Source == "analysis" && g.Action != "" {
					steps = append(steps, g.Action)
				}
			}
		}
		// A degraded report's summary is the engine's verdict, which its
		// root cause repeats.
		if rep.Summary != "" && rep.Degraded == "" {
			lines = append(lines, rep.Summary)
		}
		if rep.RootCause.Text != "" {
			lines = append(lines, fmt.Sprintf("Root cause (%s confidence): %s", rep.RootCause.Confidence, rep.RootCause.Text))
		}
		for _, h := range rep.Hypotheses {
			if len(lines) >= 6 {
				break
			}
			lines = append(lines, fmt.Sprintf("• %s — %s", h.Title, h.Status))
		}
		steps = append(append([]string{}, rep.Actions.Mitigate...), steps...) // the incident first
		steps = append(steps, rep.Actions.Fix...)
	case b != nil:
		if b.Verdict != "" {
			lines = append(lines, b.Verdict)
		}
	}
	if b != nil {
		if b.Onset != nil {
			lines = append(lines, fmt.Sprintf("Onset: %s", b.Onset.In(loc).Format("2006-01-02 15:04:05 MST")))
		}
		for i, s := range report.RankedSuspects(b.Suspects) {
			if i == 3 {
				break
			}
			lines = append(lines, fmt.Sprintf("• Change %s %s by %s (%s)", s.EventTime.In(loc).Format("15:04"), s.EventName, report.ShortPrincipal(s.Principal), s.Likelihood))
			if rep == nil && s.Likelihood == investigate.Likely {
				steps = append(steps, fmt.Sprintf("Check %s at %s: %s", s.EventName, s.EventTime.In(loc).Format("15:04"), s.Why))
			}
		}
		for _, g := range b.Gaps {
			notes = append(notes, fmt.Sprintf("%s could not be read: %s", g.Source, g.Action))
		}
	}
	if len(lines) == 0 {
		lines = append(lines, "The alarm went into ALARM: "+a.Reason)
	}
	for _, note := range notes {
		lines = append(lines, "Note: "+note)
	}
	// Links go on one line as Markdown links (client-markdown renders them
	// in each chat client's own link syntax): the report first.
	var linkParts []string
	full := false
	for _, l := range links {
		label := strings.TrimSuffix(l.Name, ".png")
		switch l.Name {
		case "report.md":
			label, full = "full report", true
		case "report.pdf":
			label, full = "PDF", true
		}
		linkParts = append(linkParts, fmt.Sprintf("[%s](%s)", label, l.URL))
	}
	var linkLines []string
	if len(linkParts) > 0 {
		linkLines = []string{strings.Join(linkParts, " · ")}
	}
	if full {
		steps = append([]string{"Read the full report and its pictures (links above)."}, steps...)
	}
	n.Content = Content{TextType: "client-markdown", Title: clip(title, maxTitle),
		Description: fitLines(lines, linkLines, full, maxDescription), NextSteps: clipList(steps, maxNextSteps, 240)}
	n.Content.Keywords = keywords(a, b)
	n.Metadata.Summary = clip(title, 200)
	return n
}

// fitLines keeps the description under max characters: the links always,
// then as many lines as fit, in order, and a pointer to the full report
// when some were cut.
func fitLines(lines, links []string, full bool, max int) string {
	tail := strings.Join(links, "\n")
	budget := max - utf8.RuneCountInString(tail) - 2
	more := "… (cut; the full report has the rest)"
	if !full {
		more = "… (cut)"
	}
	var kept []string
	used := 0
	for i, l := range lines {
		l = clip(l, 900)
		n := utf8.RuneCountInString(l) + 1
		last := i == len(lines)-1
		if (last && used+n > budget) || (!last && used+n > budget-utf8.RuneCountInString(more)-1) {
			kept = append(kept, more)
			break
		}
		kept = append(kept, l)
		used += n
	}
	body := strings.Join(kept, "\n")
	if tail != "" {
		body += "\n\n" + tail
	}
	return clip(body, max)
}

func keywords(a Alarm, b *investigate.Bundle) []string {
	kw := []string{"fa2", a.Name, a.State}
	if a.Region != "" {
		kw = append(kw, a.Region)
	}
	if b != nil {
		for _, s := range report.RankedSuspects(b.Suspects) {
			if s.Likelihood == investigate.Likely {
				kw = append(kw, s.EventName)
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, k := range kw {
		if k != "" && !seen[k] && len(out) < maxKeywords {
			seen[k] = true
			out = append(out, clip(k, 75))
		}
	}
	return out
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func clipList(in []string, n, each int) []string {
	var out []string
	for _, s := range in {
		if len(out) == n {
			break
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, clip(s, each))
		}
	}
	return out
}
