// Package bedrock is fa2's LLM half: a Converse client for Amazon Bedrock
// with retries, actionable errors and usage accounting; a bounded tool-use
// agent loop; and the one-shot and agentic root-cause analyses that turn an
// investigation bundle into an analysis.Report. It knows nothing of MCP or
// Slack, and sees fa2's tools only through the narrow Toolbox interface.
package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// API is the part of the SDK client fa2 uses; tests may replace it.
type API interface {
	Converse(ctx context.Context, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (*bedrockruntime.ConverseOutput, error)
}

// Backoff says how often and how long to retry throttling and transient
// failures: up to Attempts calls, waiting Base, 2×Base, … (capped at Max)
// with full jitter between them.
type Backoff struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// DefaultBackoff suits Bedrock's per-minute token quotas.
var DefaultBackoff = Backoff{Attempts: 6, Base: 500 * time.Millisecond, Max: 20 * time.Second}

// Client calls Converse for fa2.
type Client struct {
	api         API
	model       string
	fastModel   string
	region      string
	maxTokens   int32
	temperature *float32
	// Backoff may be changed before the first call (tests shorten it).
	Backoff Backoff
	log     zerolog.Logger
	debug   bool
}

// Load resolves AWS credentials through the SDK's default chain (so
// AWS_ENDPOINT_URL_BEDROCK_RUNTIME, profiles, SSO and roles work as for the
// other services) and builds a client for settings.Bedrock.
func Load(ctx context.Context, settings *config.Config, log zerolog.Logger) (*Client, error) {
	if settings.Bedrock.ModelID == "" {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "no Bedrock model is configured.").WithHint(ConfigureHint)
	}
	var opts []func(*awsconfig.LoadOptions) error
	if r := Region(settings); r != "" {
		opts = append(opts, awsconfig.WithRegion(r))
	}
	if settings.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(settings.Profile))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "cannot load the AWS configuration for Bedrock: %v.", err).WithHint("Check --profile and ~/.aws/config.")
	}
	if cfg.Region == "" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "no region for Bedrock.").WithHint("Set bedrock.region (FA2_BEDROCK_REGION), region or AWS_REGION.")
	}
	return New(cfg, settings.Bedrock, log), nil
}

// ConfigureHint says how to switch analysis on.
const ConfigureHint = "Set bedrock.model_id (FA2_BEDROCK_MODEL_ID, e.g. global.anthropic.claude-sonnet-4-6) and bedrock.region, give fa2 AWS credentials allowed bedrock:InvokeModel, and enable access to the model in the Bedrock console."

// Region is the region Bedrock is called in: bedrock.region, else region.
func Region(settings *config.Config) string {
	if settings.Bedrock.Region != "" {
		return settings.Bedrock.Region
	}
	return settings.Region
}

// New builds a client from an aws.Config. The SDK's own retries are off:
// the client retries itself so that it can also retry ModelNotReady and
// report what it waited for.
func New(cfg aws.Config, s config.Bedrock, log zerolog.Logger) *Client {
	region := cfg.Region
	if s.Region != "" {
		region = s.Region
	}
	api := bedrockruntime.NewFromConfig(cfg, func(o *bedrockruntime.Options) {
		o.Region = region
		o.Retryer = aws.NopRetryer{}
	})
	return NewWithAPI(api, region, s, log)
}

// NewWithAPI builds a client over any API implementation.
func NewWithAPI(api API, region string, s config.Bedrock, log zerolog.Logger) *Client {
	c := &Client{api: api, model: s.ModelID, fastModel: s.FastModelID, region: region,
		maxTokens: int32(s.MaxTokens), Backoff: DefaultBackoff, log: log, debug: s.DebugPrompts}
	if c.fastModel == "" {
		c.fastModel = c.model
	}
	if c.maxTokens <= 0 {
		c.maxTokens = 4096
	}
	if s.Temperature >= 0 {
		t := float32(s.Temperature)
		c.temperature = &t
	}
	return c
}

// Model is the main model id; FastModel the one for cheap sub-tasks.
func (c *Client) Model() string     { return c.model }
func (c *Client) FastModel() string { return c.fastModel }
func (c *Client) Region() string    { return c.region }

// ToolSpec describes a tool the model may call.
type ToolSpec struct {
	Name        string
	Description string
	Schema      json.RawMessage
}

// Call is one Converse request.
type Call struct {
	// Model overrides the client's model ("" = the main model).
	Model    string
	System   string
	Messages []types.Message
	// Tools, when set, become toolConfig. Converse requires toolConfig
	// whenever Messages hold toolUse or toolResult blocks, so the agent keeps
	// passing them even when it wants no more calls.
	Tools     []ToolSpec
	MaxTokens int32
}

// Reply is the model's answer.
type Reply struct {
	Message    types.Message
	Text       string
	ToolUses   []ToolUse
	StopReason string
}

// ToolUse is a tool call the model asked for.
type ToolUse struct {
	ID    string
	Name  string
	Input json.RawMessage
}

// Meter accumulates usage across calls; it is safe for concurrent use.
type Meter struct {
	mu sync.Mutex
	u  analysis.Usage
}

// Usage returns the totals so far.
func (m *Meter) Usage() analysis.Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.u
}

func (m *Meter) add(u *types.TokenUsage, latency time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.u.ModelCalls++
	m.u.ModelMillis += latency.Milliseconds()
	if u == nil {
		return
	}
	m.u.InputTokens += int(aws.ToInt32(u.InputTokens))
	m.u.OutputTokens += int(aws.ToInt32(u.OutputTokens))
	m.u.CacheReadTokens += int(aws.ToInt32(u.CacheReadInputTokens))
	m.u.CacheWriteTokens += int(aws.ToInt32(u.CacheWriteInputTokens))
}

// Converse sends call, retrying throttling and transient failures with
// backoff, and adds what it cost to meter (which may be nil).
func (c *Client) Converse(ctx context.Context, call Call, meter *Meter) (*Reply, error) {
	model := call.Model
	if model == "" {
		model = c.model
	}
	in := c.input(model, call)
	if c.debug {
		if b, err := json.Marshal(debugView(call)); err == nil {
			c.log.Debug().Str("model", model).RawJSON("request", b).Msg("bedrock request")
		}
	}
	attempts := max(c.Backoff.Attempts, 1)
	var lastErr error
	for attempt := 0; attempt < attempts; attempt++ {
		if attempt > 0 {
			wait := c.backoff(attempt)
			c.log.Info().Str("model", model).Int("attempt", attempt+1).Dur("wait", wait).Str("error", errorCode(lastErr)).Msg("Bedrock call failed; retrying")
			if err := sleep(ctx, wait); err != nil {
				return nil, telemetry.Errorf(telemetry.KindTimeout, "gave up on Bedrock while waiting to retry: %v (last error: %v).", err, lastErr)
			}
		}
		start := time.Now()
		out, err := c.api.Converse(ctx, in)
		latency := time.Since(start)
		if err == nil {
			if meter != nil {
				meter.add(out.Usage, latency)
			}
			reply := toReply(out)
			if c.debug {
				c.log.Debug().Str("model", model).Str("stop", reply.StopReason).Str("text", reply.Text).Int("tool_uses", len(reply.ToolUses)).Msg("bedrock reply")
			}
			return reply, nil
		}
		if ctx.Err() != nil {
			return nil, telemetry.Errorf(telemetry.KindTimeout, "the Bedrock call was cancelled or ran out of time: %v.", ctx.Err())
		}
		lastErr = err
		if !retryable(err) {
			return nil, c.explain(model, err)
		}
	}
	return nil, c.explain(model, lastErr)
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.Backoff.Base << (attempt - 1)
	if c.Backoff.Max > 0 && (d > c.Backoff.Max || d <= 0) {
		d = c.Backoff.Max
	}
	if d <= 0 {
		return 0
	}
	// Full jitter: spread retries of parallel analyses over the interval.
	return time.Duration(rand.Int64N(int64(d))) + d/4
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// input builds the Converse request. Temperature is sent alone: Claude 4.5+
// rejects temperature together with top_p, so top_p is never set.
func (c *Client) input(model string, call Call) *bedrockruntime.ConverseInput {
	maxTokens := call.MaxTokens
	if maxTokens <= 0 {
		maxTokens = c.maxTokens
	}
	in := &bedrockruntime.ConverseInput{
		ModelId:         aws.String(model),
		Messages:        call.Messages,
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(maxTokens), Temperature: c.temperature},
	}
	caching := SupportsCaching(model)
	if strings.TrimSpace(call.System) != "" {
		in.System = []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: call.System}}
		if caching {
			in.System = append(in.System, &types.SystemContentBlockMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}})
		}
	}
	if len(call.Tools) > 0 {
		tc := &types.ToolConfiguration{}
		for _, t := range call.Tools {
			var schema any
			if err := json.Unmarshal(t.Schema, &schema); err != nil || schema == nil {
				schema = map[string]any{"type": "object"}
			}
			tc.Tools = append(tc.Tools, &types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name:        aws.String(t.Name),
				Description: aws.String(t.Description),
				InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(schema)},
			}})
		}
		if caching && toolCaching(model) {
			tc.Tools = append(tc.Tools, &types.ToolMemberCachePoint{Value: types.CachePointBlock{Type: types.CachePointTypeDefault}})
		}
		in.ToolConfig = tc
	}
	return in
}

// SupportsCaching reports whether Bedrock accepts cachePoint blocks for the
// model: Claude 3.5 Haiku, 3.7 Sonnet and every Claude 4 or later, and
// Amazon Nova. Ids may carry a geography prefix (us., eu., global., …) or
// be ARNs; older models would reject the blocks, so they get none.
func SupportsCaching(model string) bool {
	m := strings.ToLower(model)
	if strings.Contains(m, "amazon.nova") {
		return true
	}
	if !strings.Contains(m, "anthropic.claude") {
		return false
	}
	for _, old := range []string{"claude-v2", "claude-instant", "claude-3-haiku", "claude-3-sonnet", "claude-3-opus", "claude-3-5-sonnet"} {
		if strings.Contains(m, old) {
			return false
		}
	}
	return true
}

// toolCaching: Nova caches system and messages but not tool definitions.
func toolCaching(model string) bool {
	return strings.Contains(strings.ToLower(model), "anthropic.claude")
}

func toReply(out *bedrockruntime.ConverseOutput) *Reply {
	r := &Reply{StopReason: string(out.StopReason)}
	msg, ok := out.Output.(*types.ConverseOutputMemberMessage)
	if !ok {
		r.Message = types.Message{Role: types.ConversationRoleAssistant}
		return r
	}
	r.Message = msg.Value
	var texts []string
	for _, b := range msg.Value.Content {
		switch v := b.(type) {
		case *types.ContentBlockMemberText:
			texts = append(texts, v.Value)
		case *types.ContentBlockMemberToolUse:
			u := ToolUse{ID: aws.ToString(v.Value.ToolUseId), Name: aws.ToString(v.Value.Name), Input: json.RawMessage("{}")}
			if v.Value.Input != nil {
				if b, err := v.Value.Input.MarshalSmithyDocument(); err == nil && len(b) > 0 && string(b) != "null" {
					u.Input = b
				}
			}
			r.ToolUses = append(r.ToolUses, u)
		}
	}
	r.Text = strings.Join(texts, "\n")
	return r
}

// debugView is what debug_prompts logs: the text of the request.
func debugView(call Call) map[string]any {
	var msgs []string
	for _, m := range call.Messages {
		for _, b := range m.Content {
			switch v := b.(type) {
			case *types.ContentBlockMemberText:
				msgs = append(msgs, string(m.Role)+": "+v.Value)
			case *types.ContentBlockMemberToolUse:
				msgs = append(msgs, fmt.Sprintf("%s: toolUse %s", m.Role, aws.ToString(v.Value.Name)))
			case *types.ContentBlockMemberToolResult:
				for _, c := range v.Value.Content {
					if t, ok := c.(*types.ToolResultContentBlockMemberText); ok {
						msgs = append(msgs, fmt.Sprintf("%s: toolResult %s: %s", m.Role, aws.ToString(v.Value.ToolUseId), t.Value))
					}
				}
			}
		}
	}
	return map[string]any{"system": call.System, "messages": msgs, "tools": len(call.Tools)}
}
