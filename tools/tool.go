// Package tools is fa2's tool catalogue. A tool is written once — a typed
// input struct, a handler and its metadata — and the generic adapter here
// turns it into an MCP tool, a CLI command (`fa2 run`) and, later, a tool
// for the Bedrock agent loop. Tools read telemetry only through the
// collector interfaces; they never call the AWS SDK.
package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/invopop/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/telemetry"
)

// Env is what every handler may use: the telemetry sources and settings.
type Env struct {
	Sources collectors.Sources
	Config  *config.Config
	Log     zerolog.Logger
	// MetricSelector picks select_metrics' metrics; nil means the
	// deterministic evidence.RankingSelector.
	MetricSelector evidence.Selector
	// FindingsNarrator writes findings_report's overview (Bedrock); nil
	// keeps the report deterministic.
	FindingsNarrator report.Narrator
	// Model is the Bedrock client for analyze_failure; nil means build one
	// from Config on each call (see BedrockClient).
	Model *bedrock.Client
}

// Tool is one entry of the catalogue, independent of its input type.
type Tool struct {
	Name        string
	Title       string
	Description string
	// Schema is the input's JSON schema, generated from the input struct.
	Schema json.RawMessage
	// Annotations are the behaviour hints sent to MCP clients.
	Annotations Annotations
	needs       []Source
	// Costly marks a tool that spends money on every call (a model
	// invocation) and answers differently each time: MCP clients are told
	// it is not idempotent (it still changes nothing in AWS), and the agent
	// loop never offers it to the model. The zero value is fa2's default:
	// a read-only, idempotent telemetry read.
	Costly bool
	call   func(ctx context.Context, env *Env, args json.RawMessage) (any, error)
}

// Result is implemented by every tool output. Text is the compact rendering
// shown to models that ignore structuredContent; Paging gives the adapter the
// truncation flag; Shrink drops the least important part of the output and
// reports false when nothing is left to drop.
type Result interface {
	Text() string
	Paging() *Page
	Shrink() bool
}

// Page is embedded in every tool output.
type Page struct {
	// Truncated is set when rows were left out; Hint says how to narrow.
	Truncated bool   `json:"truncated"`
	Hint      string `json:"hint,omitempty"`
	// EmptyHint is set when nothing was found: why that may be, and what
	// to try.
	EmptyHint string `json:"empty_hint,omitempty"`
}

// Paging implements Result.
func (p *Page) Paging() *Page { return p }

// Truncate marks the output as truncated with a hint on narrowing it.
func (p *Page) Truncate(hint string) {
	p.Truncated = true
	if p.Hint == "" {
		p.Hint = hint
	}
}

// New builds a catalogue entry from a typed handler. In must be a struct
// whose JSON schema describes the tool's arguments.
func New[In any, Out Result](name, title, description string, handler func(ctx context.Context, env *Env, in In) (Out, error)) Tool {
	return Tool{
		Name:        name,
		Title:       title,
		Description: description,
		Schema:      schemaFor[In](),
		Annotations: ReadsTelemetry,
		call: func(ctx context.Context, env *Env, args json.RawMessage) (any, error) {
			var in In
			if err := decodeArgs(args, &in); err != nil {
				return nil, err
			}
			return handler(ctx, env, in)
		},
	}
}

// schemaFor reflects In into a self-contained schema: no $ref (several MCP
// clients cannot follow them), only fields tagged required are required.
func schemaFor[In any]() json.RawMessage {
	r := jsonschema.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
	}
	var zero In
	s := r.Reflect(&zero)
	s.Version = ""
	s.ID = ""
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("tools: schema for %T: %v", zero, err)) // a bug in an input struct
	}
	return b
}

// decodeArgs strictly decodes tool arguments, so a misspelt argument is an
// error rather than silently ignored.
func decodeArgs(args json.RawMessage, in any) error {
	if len(bytes.TrimSpace(args)) == 0 || string(bytes.TrimSpace(args)) == "null" {
		args = []byte("{}")
	}
	if len(args) > MaxArgsBytes {
		return telemetry.Errorf(telemetry.KindInvalidInput, "the arguments are %d bytes, more than the %d allowed.", len(args), MaxArgsBytes).
			WithHint("Send shorter filters, queries and lists.")
	}
	dec := json.NewDecoder(bytes.NewReader(args))
	dec.DisallowUnknownFields()
	if err := dec.Decode(in); err != nil {
		msg := err.Error()
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			msg = fmt.Sprintf("argument %q must be of JSON type %s, not %s", typeErr.Field, jsonType(typeErr.Type.Kind().String()), typeErr.Value)
		} else if strings.HasPrefix(msg, "json: unknown field ") {
			msg = "unknown argument " + strings.TrimPrefix(msg, "json: unknown field ")
		}
		return telemetry.Errorf(telemetry.KindInvalidInput, "invalid arguments: %s.", clip(msg, 300)).WithHint("Check the tool's input schema for argument names and types.")
	}
	return checkArgBounds(in)
}

func jsonType(goKind string) string {
	switch goKind {
	case "int", "int64", "int32", "float64", "uint":
		return "number"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	}
	return goKind
}

// Call runs the tool with JSON arguments and shapes the outcome the way
// every front door presents it: a bounded structured result plus text, or an
// isError result whose text says what to do next. A non-nil error means a
// bug (a recovered panic), not a problem with the request.
func (t Tool) Call(ctx context.Context, env *Env, args json.RawMessage) (res *mcp.CallToolResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			env.Log.Error().Str("tool", t.Name).Interface("panic", p).Bytes("stack", debug.Stack()).Msg("tool panicked")
			res, err = nil, fmt.Errorf("internal error in tool %s: %v", t.Name, p)
		}
	}()
	if err := t.missingSource(env); err != nil {
		return errorResult(env, t.Name, err), nil
	}
	out, callErr := t.call(ctx, env, args)
	if callErr != nil {
		return errorResult(env, t.Name, callErr), nil
	}
	r, ok := out.(Result)
	if !ok {
		return nil, fmt.Errorf("tool %s returned %T, which does not implement tools.Result", t.Name, out)
	}
	text := ""
	if h, ok := r.(emptyHinter); ok {
		if hint := h.emptyHint(); hint != "" {
			r.Paging().EmptyHint = hint
			text = "\n" + hint
		}
	}
	structured, err := bound(r, env.Config.Limits.MaxOutputBytes)
	if err != nil {
		return nil, err
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{mcp.NewTextContent(r.Text() + text)},
		StructuredContent: json.RawMessage(structured),
	}, nil
}

// bound marshals r, shrinking it until it fits in maxBytes.
func bound(r Result, maxBytes int) ([]byte, error) {
	for {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("marshal result: %w", err)
		}
		if len(b) <= maxBytes {
			return b, nil
		}
		if !r.Shrink() {
			// Nothing more can go: return what there is, flagged.
			r.Paging().Truncate("The result is still large; narrow the time window or the filter.")
			return json.Marshal(r)
		}
		r.Paging().Truncate("Narrow the time window, add a filter, or lower limit to see the rest.")
	}
}

// errorResult turns a handler's error into an isError result.
func errorResult(env *Env, tool string, err error) *mcp.CallToolResult {
	if e, ok := telemetry.AsError(err); ok {
		env.Log.Debug().Str("tool", tool).Str("kind", string(e.Kind)).Err(err).Msg("tool error")
		return mcp.NewToolResultError(clip(e.Error(), maxErrorChars))
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return mcp.NewToolResultError("The call ran out of time before the data arrived. Narrow the time window or the log groups and try again.")
	case errors.Is(err, context.Canceled):
		return mcp.NewToolResultError("The call was cancelled.")
	}
	// Unclassified errors still reach the caller: an AWS outage or a network
	// failure is something a person can act on even if fa2 cannot name it.
	env.Log.Warn().Str("tool", tool).Err(err).Msg("tool failed")
	return mcp.NewToolResultError(fmt.Sprintf("%s failed: %s. If this persists, check the fa2 logs (stderr) and the AWS service health.", tool, clip(err.Error(), maxErrorChars)))
}

// maxErrorChars bounds an error result: errors may quote input (a log group
// name, a filter), and a result must never echo a large input back.
const maxErrorChars = 1000

// halve keeps the first half of *rows, which outputs sort most important
// first. It reports false when one row or none is left, so Shrink methods
// read as a list of what to give up, in order:
//
//	return halve(&o.Details) || halve(&o.Groups)
func halve[T any](rows *[]T) bool {
	if len(*rows) <= 1 {
		return false
	}
	*rows = (*rows)[:len(*rows)/2]
	return true
}
