package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/prompts"
)

// Toolbox is what the agent needs of a tool catalogue: the specs to offer
// the model and a way to call one. fa2's tools package adapts its catalogue
// to it, so this package never imports tools.
type Toolbox interface {
	Specs() []ToolSpec
	// Call runs a tool. Problems the model can act on (bad arguments, a
	// missing permission) come back as an output with IsError set.
	Call(ctx context.Context, name string, args json.RawMessage) ToolOutput
}

// ToolOutput is a tool's answer as the model sees it.
type ToolOutput struct {
	Text    string
	IsError bool
}

// Budget bounds an agent run. When one runs out the agent is asked for
// its final answer with the evidence it has.
type Budget struct {
	MaxSteps       int
	MaxWallTime    time.Duration
	MaxInputTokens int
	// MaxResultTokens caps one tool result in estimated tokens.
	MaxResultTokens int
	// Parallel bounds tool calls of one turn run at once.
	Parallel int
	// CompactAt is the estimated conversation size, in tokens, past which
	// older tool results are compacted.
	CompactAt int
}

// BudgetFrom reads the agent's budget from configuration.
func BudgetFrom(a config.Agent) Budget {
	b := Budget{MaxSteps: a.MaxSteps, MaxWallTime: time.Duration(a.MaxWallTime), MaxInputTokens: a.MaxInputTokens,
		MaxResultTokens: a.MaxResultTokens, Parallel: a.Parallel}
	return b.withDefaults()
}

func (b Budget) withDefaults() Budget {
	if b.MaxSteps <= 0 {
		b.MaxSteps = 12
	}
	if b.MaxWallTime <= 0 {
		b.MaxWallTime = 5 * time.Minute
	}
	if b.MaxInputTokens <= 0 {
		b.MaxInputTokens = 400_000
	}
	if b.MaxResultTokens <= 0 {
		b.MaxResultTokens = 6000
	}
	if b.Parallel <= 0 {
		b.Parallel = 4
	}
	if b.CompactAt <= 0 {
		// Well under a 200k context, leaving room for the bundle, the
		// tool definitions and the answer.
		b.CompactAt = min(60_000, b.MaxInputTokens/4)
	}
	return b
}

// ToolCall is a tool call the agent made; its ID (T1, T2, …) is what the
// model cites.
type ToolCall struct {
	ID string `json:"id"`
	// UseID is the model's toolUseId, which it may cite instead of ID.
	UseID string          `json:"use_id"`
	Tool  string          `json:"tool"`
	Input json.RawMessage `json:"input"`
	Step  int             `json:"step"`
	// Error is set when the tool reported a problem, Skipped when it was not
	// run (a repeat, an unknown tool, a budget), Cut when its result was
	// over the token cap.
	Error   bool   `json:"error,omitempty"`
	Skipped bool   `json:"skipped,omitempty"`
	Cut     bool   `json:"cut,omitempty"`
	Tokens  int    `json:"tokens"`
	Summary string `json:"summary"`
}

// Outcome is the end of an agent run: the model's last text and the calls.
type Outcome struct {
	Text  string
	Calls []ToolCall
	Steps int
	// Forced says which budget ran out when the answer had to be forced,
	// in the analysis' language; Budget names it: steps, time or tokens.
	Forced string
	Budget string
	// Unfinished is set when the model still asked for tools after being
	// told to answer; Text is then whatever it wrote.
	Unfinished bool
	// StopReason is why the model's last turn ended (max_tokens: cut).
	StopReason string
}

// Agent is one bounded tool-use conversation.
type Agent struct {
	Client   *Client
	Tools    Toolbox
	Budget   Budget
	Language string
	System   string
	// Progress is told about every step (nil-safe).
	Progress func(step, maxSteps int, message string)
	Meter    *Meter
}

// EstimateTokens is fa2's token estimate: telemetry is token-dense, about
// 2.5 bytes per token.
func EstimateTokens(s string) int { return (len(s)*2 + 4) / 5 }

// Run converses from the first user message until the model answers
// without tools or a budget forces it to. When a model call fails it
// returns the error with the outcome so far: the tool calls already made.
func (a *Agent) Run(ctx context.Context, first string) (*Outcome, error) {
	a.Budget = a.Budget.withDefaults()
	if a.Meter == nil {
		a.Meter = &Meter{}
	}
	start := time.Now()
	// Tools stop at the wall-time budget; the forced answer after it still
	// gets the caller's context.
	toolCtx, cancel := context.WithTimeout(ctx, a.Budget.MaxWallTime)
	defer cancel()
	specs := a.Tools.Specs()
	known, _ := a.known()
	st := &state{seen: map[string]string{}}
	st.msgs = []types.Message{userText(first)}
	if SupportsCaching(a.Client.Model()) {
		// Every turn re-sends the question and the bundle: cache them too.
		st.msgs[0].Content = append(st.msgs[0].Content, &types.ContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}})
	}
	out := &Outcome{}
	baseInput := inputTokens(a.Meter.Usage())
	for step := 1; ; step++ {
		var kind string
		var limit any
		switch {
		case step > a.Budget.MaxSteps:
			kind, limit = "steps", a.Budget.MaxSteps
		case time.Since(start) >= a.Budget.MaxWallTime:
			kind, limit = "time", a.Budget.MaxWallTime
		case inputTokens(a.Meter.Usage())-baseInput >= a.Budget.MaxInputTokens:
			kind, limit = "tokens", a.Budget.MaxInputTokens
		}
		if kind != "" {
			out.Budget = kind
			reason := prompts.MustRender(a.Language, prompts.BudgetReason, map[string]any{"Kind": kind, "Limit": limit})
			return a.force(ctx, st, specs, out, reason)
		}
		a.compact(st, a.Budget.CompactAt)
		reply, err := a.Client.Converse(ctx, Call{System: a.System, Messages: st.msgs, Tools: specs}, a.Meter)
		if err != nil && tooLong(err) {
			// The model's context is smaller than the threshold assumed:
			// compact every older result and try once more.
			a.compact(st, 0)
			reply, err = a.Client.Converse(ctx, Call{System: a.System, Messages: st.msgs, Tools: specs}, a.Meter)
		}
		if err != nil {
			// The calls made so far are kept: the caller can still show
			// them (and what they cost) next to the evidence.
			out.Calls = st.calls
			return out, err
		}
		out.Steps = step
		st.msgs = append(st.msgs, assistantMessage(reply, known))
		if len(reply.ToolUses) == 0 {
			out.Text = reply.Text
			out.StopReason = reply.StopReason
			out.Calls = st.calls
			a.progress(step, "answered")
			return out, nil
		}
		results := a.runTools(toolCtx, st, step, reply.ToolUses)
		st.msgs = append(st.msgs, types.Message{Role: types.ConversationRoleUser, Content: results})
	}
}

// inputTokens counts every input token the model read, cached or not: the
// budget bounds how much the conversation has grown, not only its price.
func inputTokens(u analysis.Usage) int { return u.InputTokens + u.CacheReadTokens + u.CacheWriteTokens }

func (a *Agent) progress(step int, msg string) {
	if a.Progress != nil {
		a.Progress(step, a.Budget.MaxSteps, msg)
	}
}

// force asks for the final answer. The last message is a user turn (the
// first question or the latest tool results); the instruction is appended
// to it so roles still alternate, and toolConfig stays in the request
// because the history holds toolUse and toolResult blocks.
func (a *Agent) force(ctx context.Context, st *state, specs []ToolSpec, out *Outcome, reason string) (*Outcome, error) {
	out.Forced = reason
	a.progress(out.Steps, "budget exhausted, asking for the final answer: "+reason)
	text := prompts.MustRender(a.Language, prompts.ForcedFinal, map[string]any{"Reason": reason})
	known, _ := a.known()
	last := &st.msgs[len(st.msgs)-1]
	last.Content = append(last.Content, &types.ContentBlockMemberText{Value: text})
	for attempt := 0; attempt < 2; attempt++ {
		a.compact(st, a.Budget.CompactAt)
		reply, err := a.Client.Converse(ctx, Call{System: a.System, Messages: st.msgs, Tools: specs}, a.Meter)
		if err != nil {
			out.Calls = st.calls
			return out, err
		}
		out.Steps++
		st.msgs = append(st.msgs, assistantMessage(reply, known))
		out.Text = reply.Text
		out.StopReason = reply.StopReason
		if len(reply.ToolUses) == 0 {
			out.Calls = st.calls
			return out, nil
		}
		// The model asked for tools anyway: answer every toolUse with an
		// error result (Converse rejects an unanswered one) and insist.
		var blocks []types.ContentBlock
		for _, u := range reply.ToolUses {
			if known[u.Name] { // unknown ones were left out of the history
				msg := prompts.MustRender(a.Language, prompts.ToolSkipped, map[string]any{"Tool": u.Name, "Reason": reason})
				blocks = append(blocks, a.toolResult(u.ID, msg, true))
			}
		}
		blocks = append(blocks, &types.ContentBlockMemberText{Value: text})
		st.msgs = append(st.msgs, types.Message{Role: types.ConversationRoleUser, Content: blocks})
	}
	out.Unfinished = true
	out.Calls = st.calls
	return out, nil
}

// state is the conversation and what the agent remembers about it.
type state struct {
	msgs  []types.Message
	calls []ToolCall
	// seen maps a call's tool and canonical arguments to its id.
	seen map[string]string
	// results locate tool results for compaction.
	results []resultRef
}

type resultRef struct {
	msg, block int
	call       int
	compacted  bool
}

// runTools answers every toolUse of a turn, running the calls in parallel
// (bounded) and guarding against repeats. It returns the next user
// message's content: one result per known tool, in the order of the uses,
// then a note per unknown tool (whose toolUse the history leaves out, see
// assistantMessage).
func (a *Agent) runTools(ctx context.Context, st *state, step int, uses []ToolUse) []types.ContentBlock {
	known, names := a.known()
	var results, notes []types.ContentBlock
	type job struct {
		slot, call int
		use        ToolUse
	}
	var jobs []job
	first := len(st.calls)
	for _, u := range uses {
		id := fmt.Sprintf("T%d", len(st.calls)+1)
		input := canonical(u.Input)
		st.calls = append(st.calls, ToolCall{ID: id, UseID: u.ID, Tool: u.Name, Input: input, Step: step})
		ci := len(st.calls) - 1
		call := &st.calls[ci] // used before the next append only
		if !known[u.Name] {
			call.Skipped, call.Error = true, true
			call.Summary = "unknown tool"
			notes = append(notes, &types.ContentBlockMemberText{Value: prompts.MustRender(a.Language, prompts.UnknownTool, map[string]any{"Tool": u.Name, "Tools": names})})
			continue
		}
		slot := len(results)
		results = append(results, nil)
		st.results = append(st.results, resultRef{msg: len(st.msgs), block: slot, call: ci})
		key := u.Name + " " + string(input)
		if prev, repeated := st.seen[key]; repeated {
			call.Skipped, call.Error = true, true
			call.Summary = "repeat of " + prev
			results[slot] = a.toolResult(u.ID, prompts.MustRender(a.Language, prompts.RepeatedCall, map[string]any{"Tool": u.Name, "CallID": prev}), true)
			continue
		}
		st.seen[key] = id
		jobs = append(jobs, job{slot, ci, u})
	}
	// st.calls no longer grows during this turn, so pointers into it hold.
	sem := make(chan struct{}, a.Budget.Parallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[j.slot] = a.runOne(ctx, j.use, &st.calls[j.call])
		}(j)
	}
	wg.Wait()
	for _, c := range st.calls[first:] {
		a.progress(step, fmt.Sprintf("%s %s → %s", c.ID, c.Tool, c.Summary))
	}
	return append(results, notes...)
}

// known returns the names of the tools offered, as a set and a list.
func (a *Agent) known() (map[string]bool, []string) {
	set := map[string]bool{}
	var names []string
	for _, s := range a.Tools.Specs() {
		set[s.Name] = true
		names = append(names, s.Name)
	}
	return set, names
}

// runOne calls one tool and shapes its result: fenced as data, labelled
// with its call id, cut to the token cap with a note on narrowing.
func (a *Agent) runOne(ctx context.Context, u ToolUse, call *ToolCall) types.ContentBlock {
	var res ToolOutput
	func() {
		defer func() {
			if p := recover(); p != nil {
				res = ToolOutput{Text: fmt.Sprintf("%s failed inside fa2: %v.", u.Name, p), IsError: true}
			}
		}()
		res = a.Tools.Call(ctx, u.Name, call.Input)
	}()
	text := strings.TrimSpace(res.Text)
	if text == "" {
		if res.IsError {
			text = u.Name + " failed without saying why."
		} else {
			text = "(empty result)"
		}
	}
	call.Error = res.IsError
	call.Tokens = EstimateTokens(text)
	call.Summary = firstLine(text, 120)
	if call.Tokens > a.Budget.MaxResultTokens {
		call.Cut = true
		text = cut(text, a.Budget.MaxResultTokens*5/2) + "\n" +
			prompts.MustRender(a.Language, prompts.ToolTooLarge, map[string]any{"Tool": u.Name, "Tokens": call.Tokens, "Cap": a.Budget.MaxResultTokens})
	}
	body := call.ID + " " + u.Name + "\n" + prompts.Fence("tool_result", text)
	return a.toolResult(u.ID, body, res.IsError)
}

// compact replaces the content of older tool results (all but the latest
// turn's) with a one-line stub, oldest first, until the conversation is
// under the threshold. Blocks and ids stay, so Converse still sees every
// toolUse answered.
func (a *Agent) compact(st *state, threshold int) {
	size := EstimateTokens(a.System)
	for _, m := range st.msgs {
		size += messageTokens(m)
	}
	if size <= threshold {
		return
	}
	lastMsg := len(st.msgs) - 1
	for i := range st.results {
		r := &st.results[i]
		if r.compacted || r.msg >= lastMsg || size <= threshold {
			continue
		}
		tr, ok := st.msgs[r.msg].Content[r.block].(*types.ContentBlockMemberToolResult)
		if !ok {
			continue
		}
		c := st.calls[r.call]
		before := blockTokens(tr)
		stub := prompts.MustRender(a.Language, prompts.Compacted, map[string]any{"Tool": c.Tool, "CallID": c.ID, "Tokens": c.Tokens, "Head": c.Summary})
		// The stub keeps the result's status as it was sent (or not sent).
		block := a.toolResult(aws.ToString(tr.Value.ToolUseId), stub, false).(*types.ContentBlockMemberToolResult)
		block.Value.Status = tr.Value.Status
		st.msgs[r.msg].Content[r.block] = block
		r.compacted = true
		size -= before - EstimateTokens(stub)
	}
}

func messageTokens(m types.Message) int {
	n := 0
	for _, b := range m.Content {
		switch v := b.(type) {
		case *types.ContentBlockMemberText:
			n += EstimateTokens(v.Value)
		case *types.ContentBlockMemberToolResult:
			n += blockTokens(v)
		case *types.ContentBlockMemberToolUse:
			n += 30
		}
	}
	return n
}

func blockTokens(v *types.ContentBlockMemberToolResult) int {
	n := 0
	for _, c := range v.Value.Content {
		if t, ok := c.(*types.ToolResultContentBlockMemberText); ok {
			n += EstimateTokens(t.Value)
		}
	}
	return n
}

func userText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// toolResult builds a result block; content is never empty (Converse
// rejects an error result without content). Only Claude and Nova take the
// status field; for other models an error says so in its text.
func (a *Agent) toolResult(id, text string, isErr bool) types.ContentBlock {
	if strings.TrimSpace(text) == "" {
		text = "(no content)"
	}
	block := types.ToolResultBlock{
		ToolUseId: aws.String(id),
		Content:   []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: text}},
	}
	switch {
	case !SupportsToolStatus(a.Client.Model()):
		if isErr {
			block.Content = []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "ERROR: " + text}}
		}
	case isErr:
		block.Status = types.ToolResultStatusError
	default:
		block.Status = types.ToolResultStatusSuccess
	}
	return &types.ContentBlockMemberToolResult{Value: block}
}

// SupportsToolStatus reports whether the model takes toolResult.status:
// Bedrock documents it for Amazon Nova and Anthropic Claude 3 and later.
func SupportsToolStatus(model string) bool {
	m := strings.ToLower(model)
	if strings.Contains(m, "amazon.nova") {
		return true
	}
	return strings.Contains(m, "anthropic.claude") && !strings.Contains(m, "claude-v2") && !strings.Contains(m, "claude-instant")
}

// assistantMessage puts the reply back into the history in a shape
// Converse accepts: blank text dropped, text before toolUse, only known
// tools, never empty.
func assistantMessage(r *Reply, known map[string]bool) types.Message {
	var texts, uses, other []types.ContentBlock
	for _, b := range r.Message.Content {
		switch v := b.(type) {
		case *types.ContentBlockMemberText:
			if strings.TrimSpace(v.Value) != "" {
				texts = append(texts, b)
			}
		case *types.ContentBlockMemberToolUse:
			// A toolUse naming a tool toolConfig does not define may be
			// refused in history; the next user turn says it does not exist.
			if known[aws.ToString(v.Value.Name)] {
				uses = append(uses, b)
			}
		default:
			other = append(other, b)
		}
	}
	content := append(append(other, texts...), uses...)
	if len(content) == 0 {
		content = []types.ContentBlock{&types.ContentBlockMemberText{Value: "(no answer)"}}
	}
	return types.Message{Role: types.ConversationRoleAssistant, Content: content}
}

// canonical re-encodes JSON arguments with sorted keys, so the repeat
// guard sees {"a":1,"b":2} and {"b":2,"a":1} as one call.
func canonical(raw json.RawMessage) json.RawMessage {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return json.RawMessage("{}")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("{}")
	}
	return b
}

func firstLine(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return cut(s, n)
}

// cut keeps at most n bytes of s, on a rune boundary, preferring a line end.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	if i := strings.LastIndexByte(s, '\n'); i > n/2 {
		s = s[:i]
	}
	return s + " …"
}
