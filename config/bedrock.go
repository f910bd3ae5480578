package config

// Bedrock configures the LLM (Amazon Bedrock Converse) and the agent that uses it.
type Bedrock struct {
	ModelID string `yaml:"model_id" doc:"Bedrock model or inference-profile id"`
	Region  string `yaml:"region" doc:"Bedrock region when it differs from region"`
}

func defaultBedrock() Bedrock { return Bedrock{ModelID: "global.anthropic.claude-sonnet-4-6"} }

// validate reports bad values through bad, naming the key.
func (s *Bedrock) validate(bad func(key, format string, args ...any)) {}
