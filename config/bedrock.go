package config

import (
	"regexp"
	"time"
)

// Bedrock configures the LLM (Amazon Bedrock Converse) and the agent that uses it.
type Bedrock struct {
	ModelID string `yaml:"model_id" doc:"Bedrock model or inference-profile id; empty switches analysis off"`
	Region  string `yaml:"region" doc:"Bedrock region when it differs from region"`
	// FastModelID serves cheap sub-tasks (picking metrics); empty means model_id.
	FastModelID string  `yaml:"fast_model_id" doc:"model or inference profile for cheap sub-tasks (default: model_id)"`
	MaxTokens   int     `yaml:"max_tokens" doc:"most tokens the model may write per call"`
	Temperature float64 `yaml:"temperature" doc:"sampling temperature 0-1 (top_p is never sent: Claude 4.5+ rejects both); negative leaves the model's default"`
	// Mode is how analyze_failure reasons: auto picks agent when the
	// evidence leaves the cause open, oneshot otherwise.
	Mode string `yaml:"mode" doc:"analysis mode: auto, oneshot, agent or insight"`
	// DebugPrompts logs prompts and tool results at debug level; off by
	// default because telemetry holds customer data.
	DebugPrompts bool  `yaml:"debug_prompts" doc:"log prompts, answers and tool results at debug level"`
	Agent        Agent `yaml:"agent"`
}

// Agent bounds the tool-use loop.
type Agent struct {
	MaxSteps       int      `yaml:"max_steps" doc:"most model turns of the agent before it must answer"`
	MaxWallTime    Duration `yaml:"max_wall_time" doc:"longest an analysis may run before it must answer"`
	MaxInputTokens int      `yaml:"max_input_tokens" doc:"input tokens an analysis may spend over all its calls before it must answer"`
	// MaxResultTokens caps one tool result; a larger one is cut and the
	// model is told to narrow the call.
	MaxResultTokens int `yaml:"max_result_tokens" doc:"largest tool result handed to the model, in estimated tokens"`
	Parallel        int `yaml:"parallel" doc:"tool calls of one turn run at once"`
}

func defaultBedrock() Bedrock {
	return Bedrock{
		ModelID:     "global.anthropic.claude-sonnet-4-6",
		MaxTokens:   8192,
		Temperature: 0.2,
		Mode:        "auto",
		Agent: Agent{
			MaxSteps:        12,
			MaxWallTime:     Duration(5 * time.Minute),
			MaxInputTokens:  400_000,
			MaxResultTokens: 6000,
			Parallel:        4,
		},
	}
}

// modelIDPattern accepts model ids, inference-profile ids and ARNs.
var modelIDPattern = regexp.MustCompile(`^[A-Za-z0-9:/._+-]+$`)

// validate reports bad values through bad, naming the key.
func (s *Bedrock) validate(bad func(key, format string, args ...any)) {
	if s.ModelID != "" && !modelIDPattern.MatchString(s.ModelID) {
		bad("bedrock.model_id", "%q is not a model id, inference-profile id or ARN", s.ModelID)
	}
	if s.FastModelID != "" && !modelIDPattern.MatchString(s.FastModelID) {
		bad("bedrock.fast_model_id", "%q is not a model id, inference-profile id or ARN", s.FastModelID)
	}
	if s.MaxTokens < 256 || s.MaxTokens > 128_000 {
		bad("bedrock.max_tokens", "%d is out of range 256-128000", s.MaxTokens)
	}
	if s.Temperature > 1 {
		bad("bedrock.temperature", "%g is above 1; use 0-1, or a negative value for the model's default", s.Temperature)
	}
	switch s.Mode {
	case "auto", "oneshot", "agent", "insight":
	default:
		bad("bedrock.mode", "%q is not a mode; use auto, oneshot, agent or insight", s.Mode)
	}
	a := s.Agent
	if a.MaxSteps < 1 || a.MaxSteps > 100 {
		bad("bedrock.agent.max_steps", "%d is out of range 1-100", a.MaxSteps)
	}
	if a.MaxWallTime < Duration(10*time.Second) {
		bad("bedrock.agent.max_wall_time", "%s is too short for a model call; use 10s or more, e.g. 5m", a.MaxWallTime)
	}
	if a.MaxInputTokens < 10_000 {
		bad("bedrock.agent.max_input_tokens", "%d is too small for one analysis; use 10000 or more", a.MaxInputTokens)
	}
	if a.MaxResultTokens < 500 {
		bad("bedrock.agent.max_result_tokens", "%d is too small to hold a tool result; use 500 or more", a.MaxResultTokens)
	}
	if a.Parallel < 1 || a.Parallel > 16 {
		bad("bedrock.agent.parallel", "%d is out of range 1-16", a.Parallel)
	}
}
