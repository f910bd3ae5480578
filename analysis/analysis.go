// Package analysis holds the shape of a root-cause analysis: what the model
// (or the calling assistant) concluded from an investigation bundle. The
// bedrock package fills it; report renders it (Markdown, PDF); the Slack
// bridge and the chat notifications post it. It holds types only, so every
// front door can share them without importing the LLM client.
package analysis

import (
	"encoding/json"
	"time"

	"github.com/fa2/fa2/investigate"
)

// Confidence and severity values.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Report is a finished analysis.
type Report struct {
	Title     string    `json:"title"`
	Language  string    `json:"language"`
	Generated time.Time `json:"generated"`
	// Mode is oneshot or agent: how the analysis was made.
	Mode  string `json:"mode"`
	Model string `json:"model,omitempty"`

	Summary    string       `json:"summary"`
	RootCause  RootCause    `json:"root_cause"`
	Hypotheses []Hypothesis `json:"hypotheses"`
	Impact     Impact       `json:"impact"`
	Timeline   []Event      `json:"timeline"`
	Actions    Actions      `json:"actions"`
	// Gaps are what could not be checked and what would let fa2 check it.
	Gaps      []investigate.Gap `json:"gaps"`
	Reproduce []Reproduction    `json:"reproduce"`
	// Unverified lists citations the model made that match no evidence id
	// nor tool call; they are marked in the rendered report, not dropped.
	Unverified []string `json:"unverified,omitempty"`
	Usage      Usage    `json:"usage"`
	// Question is what the analysis was asked.
	Question string `json:"question,omitempty"`
	// ToolCalls are the calls the agent made; their ids (T1, T2, …) are
	// citable like evidence ids.
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	// Notes say what happened to the analysis itself: a budget that ran
	// out, an answer that could not be read, a mode chosen on the
	// caller's behalf.
	Notes []string `json:"notes,omitempty"`
	// Bundle is the evidence the analysis started from.
	Bundle *investigate.Bundle `json:"bundle,omitempty"`
	// Degraded is set when the model failed and the report was built from
	// the evidence bundle alone (the engine's verdict and suspects, plus any
	// tool calls made before the failure): the notice to show first, in
	// the report's language, ending with the failure's reason. Empty for a
	// report the model made.
	Degraded string `json:"degraded,omitempty"`
	// DegradedReason is the model failure alone, as the error said it
	// (what failed and where), for one-line messages and logs.
	DegradedReason string `json:"degraded_reason,omitempty"`
}

// RootCause is the conclusion.
type RootCause struct {
	Text       string   `json:"text"`
	Confidence string   `json:"confidence"` // high, medium, low
	Severity   string   `json:"severity"`   // high, medium, low
	Citations  []string `json:"citations"`
}

// Hypothesis is one candidate explanation with the evidence for and against.
type Hypothesis struct {
	Title         string   `json:"title"`
	Status        string   `json:"status"`        // supported, refuted, open
	Supporting    []string `json:"supporting"`    // evidence ids or tool calls
	Contradicting []string `json:"contradicting"` // evidence ids or tool calls
	Reasoning     string   `json:"reasoning,omitempty"`
}

// Impact is who and what was hurt.
type Impact struct {
	Users    string `json:"users"`
	Business string `json:"business"`
}

// Event is a line of the report's timeline.
type Event struct {
	Time      time.Time `json:"time"`
	Text      string    `json:"text"`
	Citations []string  `json:"citations,omitempty"`
}

// Actions are what to do now, to fix, and to prevent a repeat.
type Actions struct {
	Mitigate []string `json:"mitigate"`
	Fix      []string `json:"fix"`
	Prevent  []string `json:"prevent"`
}

// Reproduction says how to see a piece of evidence by hand.
type Reproduction struct {
	What string `json:"what"`
	// Kind is logs_insights, athena_sql, cli or fa2.
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// ToolCall is a tool call made during an agentic analysis.
type ToolCall struct {
	ID    string          `json:"id"`
	Tool  string          `json:"tool"`
	Input json.RawMessage `json:"input"`
	Step  int             `json:"step"`
	// Error: the tool reported a problem; Skipped: it was not run (a
	// repeat, an unknown tool); Cut: its result was over the token cap.
	Error   bool   `json:"error,omitempty"`
	Skipped bool   `json:"skipped,omitempty"`
	Cut     bool   `json:"cut,omitempty"`
	Summary string `json:"summary"`
}

// Usage is what the analysis cost.
type Usage struct {
	ModelCalls       int   `json:"model_calls"`
	InputTokens      int   `json:"input_tokens"`
	OutputTokens     int   `json:"output_tokens"`
	CacheReadTokens  int   `json:"cache_read_tokens,omitempty"`
	CacheWriteTokens int   `json:"cache_write_tokens,omitempty"`
	ToolCalls        int   `json:"tool_calls,omitempty"`
	ModelMillis      int64 `json:"model_ms"`
	WallMillis       int64 `json:"wall_ms"`
}
