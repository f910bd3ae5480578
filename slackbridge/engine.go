// Package slackbridge is fa2's Slack front door: it turns AWS Chatbot / Amazon
// Q Developer alarm notifications, the /fa2 slash command and mentions into
// investigations that live in the alarm's thread. It receives Slack's events
// over Socket Mode or HTTP (signed, de-duplicated, acked before the work),
// keeps one session per thread (bbolt on disk or DynamoDB), and posts what the
// engine found: the evidence bundle first, progress updated in place, then the
// report as a Block Kit summary and a Markdown file. It never collects
// telemetry itself: everything goes through Engine, the same engine the tools
// use.
package slackbridge

import (
	"context"
	"errors"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
)

// Engine is what the bridge needs from fa2's engine. cmd/fa2 wires the real
// one; tests use a scripted one.
type Engine interface {
	// Investigate gathers and ranks the evidence (seconds, no model).
	Investigate(ctx context.Context, req investigate.Request) (*investigate.Bundle, error)
	// Analyze asks the model for the root cause of b, reporting each step.
	// It returns ErrNoModel when no model is configured.
	Analyze(ctx context.Context, b *investigate.Bundle, description string, progress func(Step)) (*analysis.Report, error)
	// FollowUp answers a question in an investigation's thread with its
	// evidence, report and conversation so far.
	FollowUp(ctx context.Context, q FollowUp) (string, error)
	// Insight answers a metrics question over the last days.
	Insight(ctx context.Context, question string, days int) (string, error)
	// Findings renders the security findings report as Markdown.
	Findings(ctx context.Context) (string, error)
}

// ErrNoModel says analysis is not enabled: the bridge then posts the bundle
// alone and says how to enable analysis.
var ErrNoModel = errors.New("no Bedrock model is configured")

// Step is one thing the analysis did, for the progress message.
type Step struct {
	// Text says what happened: "queried /ecs/api for ERROR", "found 3 suspects".
	Text string
	// Tool is the tool called, if any.
	Tool string
}

// FollowUp is a question asked in an investigation's thread.
type FollowUp struct {
	Question string
	Bundle   *investigate.Bundle
	Report   *analysis.Report
	// Conversation is the thread's earlier questions and answers, oldest first.
	Conversation []Turn
	Language     string
}

// Turn is one message of a thread's conversation.
type Turn struct {
	// Role is "user" or "fa2".
	Role string    `json:"role"`
	User string    `json:"user,omitempty"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Illustrator is implemented by engines that draw pictures for a report
// (metric charts, the hypothesis diagram). When the engine has it, the
// bridge uploads the pictures to the thread after the report; a picture
// that fails to draw never holds the report back.
type Illustrator interface {
	Pictures(ctx context.Context, b *investigate.Bundle, r *analysis.Report) ([]Picture, error)
}

// Picture is one image for the thread.
type Picture struct {
	// Name is the file name ("checkout-5xx-errors.png").
	Name  string
	Title string
	PNG   []byte
}

// FindingsReporter is implemented by engines that render the security
// findings report as documents. The bridge then answers /fa2 findings with
// the summary and shares the full report in the channel as a Markdown file,
// and as a PDF when the engine made one; engines without it answer with
// Findings' text alone.
type FindingsReporter interface {
	FindingsReport(ctx context.Context) (*Document, error)
}

// Document is a report to share: a short summary for the message and the
// files behind it.
type Document struct {
	// Summary is a few lines of Markdown (counts, the top findings).
	Summary string
	// Name is the files' base name, without extension.
	Name     string
	Title    string
	Markdown string
	// PDF is nil when no font was available.
	PDF []byte
}
