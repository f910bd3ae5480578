package conversefake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// maxCachePoints is Bedrock's limit on cachePoint blocks per request.
const maxCachePoints = 4

// Validate returns what Bedrock would reject in req, or "" when it would
// accept it. The messages follow Bedrock's wording where it is known.
func Validate(req *Request) string {
	if req.InferenceConfig != nil {
		ic := req.InferenceConfig
		if ic.Temperature != nil && ic.TopP != nil {
			return "temperature and top_p cannot both be specified for this model. Please use only one."
		}
		if ic.Temperature != nil && (*ic.Temperature < 0 || *ic.Temperature > 1) {
			return fmt.Sprintf("temperature: %g is out of range [0, 1]", *ic.Temperature)
		}
		if ic.MaxTokens != nil && (*ic.MaxTokens < 1 || *ic.MaxTokens > 128000) {
			return fmt.Sprintf("maxTokens: %d is out of range", *ic.MaxTokens)
		}
	}
	if len(req.Additional) > 0 {
		var extra map[string]json.RawMessage
		if json.Unmarshal(req.Additional, &extra) == nil {
			_, tp := extra["top_p"]
			_, tmp := extra["temperature"]
			if tp && (tmp || (req.InferenceConfig != nil && req.InferenceConfig.Temperature != nil)) {
				return "temperature and top_p cannot both be specified for this model. Please use only one."
			}
		}
	}
	cachePoints := 0
	for i, s := range req.System {
		switch {
		case s.Text != nil:
			if strings.TrimSpace(*s.Text) == "" {
				return fmt.Sprintf("The text field in the SystemContentBlock object at system.%d is blank. Add text to the text field, and try again.", i)
			}
		case s.CachePoint != nil:
			if i == 0 {
				return "system.0: a cachePoint must follow content"
			}
			cachePoints++
		default:
			return fmt.Sprintf("system.%d: empty SystemContentBlock", i)
		}
	}
	tools := map[string]bool{}
	if tc := req.ToolConfig; tc != nil {
		if len(tc.Tools) == 0 {
			return "toolConfig.tools: must have at least 1 tool"
		}
		for i, t := range tc.Tools {
			switch {
			case t.ToolSpec != nil:
				n := t.ToolSpec.Name
				if !toolName.MatchString(n) {
					return fmt.Sprintf("toolConfig.tools.%d.toolSpec.name: %q must match [a-zA-Z0-9_-]{1,64}", i, n)
				}
				if tools[n] {
					return fmt.Sprintf("toolConfig.tools: the tool name %s is duplicated", n)
				}
				tools[n] = true
				var schema map[string]any
				if err := json.Unmarshal(t.ToolSpec.InputSchema.JSON, &schema); err != nil || schema["type"] != "object" {
					return fmt.Sprintf("toolConfig.tools.%d.toolSpec.inputSchema: the JSON schema must be an object with type object", i)
				}
			case t.CachePoint != nil:
				if i == 0 {
					return "toolConfig.tools.0: a cachePoint must follow a tool"
				}
				cachePoints++
			default:
				return fmt.Sprintf("toolConfig.tools.%d: empty Tool", i)
			}
		}
		if len(tools) == 0 {
			return "toolConfig.tools: must have at least 1 toolSpec"
		}
		if len(tc.ToolChoice) > 0 {
			var choice struct {
				Tool *struct {
					Name string `json:"name"`
				} `json:"tool"`
			}
			if json.Unmarshal(tc.ToolChoice, &choice) == nil && choice.Tool != nil && !tools[choice.Tool.Name] {
				return fmt.Sprintf("toolConfig.toolChoice: tool %s is not defined", choice.Tool.Name)
			}
		}
	}
	if len(req.Messages) == 0 {
		return "A conversation must start with a user message. Try again with a conversation that starts with a user message."
	}
	usesTools := false
	var pending map[string]bool // toolUse ids of the previous assistant turn
	for i, m := range req.Messages {
		want := "user"
		if i%2 == 1 {
			want = "assistant"
		}
		if m.Role != want {
			if i == 0 {
				return "A conversation must start with a user message. Try again with a conversation that starts with a user message."
			}
			return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."
		}
		if len(m.Content) == 0 {
			return fmt.Sprintf("messages.%d.content: the content must not be empty", i)
		}
		answered := map[string]bool{}
		seenUse, seenOther := false, false
		for j, c := range m.Content {
			where := fmt.Sprintf("messages.%d.content.%d", i, j)
			switch {
			case c.Other:
				seenOther = true
			case c.Text != nil:
				if strings.TrimSpace(*c.Text) == "" {
					return fmt.Sprintf("The text field in the ContentBlock object at %s is blank. Add text to the text field, and try again.", where)
				}
				if m.Role == "assistant" && seenUse {
					return fmt.Sprintf("%s: text must come before toolUse blocks in an assistant message", where)
				}
				seenOther = true
			case c.CachePoint != nil:
				if j == 0 {
					return where + ": a cachePoint must follow content"
				}
				cachePoints++
			case c.ToolUse != nil:
				usesTools = true
				if m.Role != "assistant" {
					return where + ": toolUse blocks are only allowed in assistant messages"
				}
				if c.ToolUse.ToolUseID == "" || !toolName.MatchString(c.ToolUse.ToolUseID) {
					return where + ": toolUse.toolUseId is invalid"
				}
				seenUse = true
			case c.ToolResult != nil:
				usesTools = true
				tr := c.ToolResult
				if m.Role != "user" {
					return where + ": toolResult blocks are only allowed in user messages"
				}
				if seenOther {
					return where + ": toolResult blocks must come before other content in a user message"
				}
				if !pending[tr.ToolUseID] {
					return fmt.Sprintf("%s: toolResult id %s does not match any toolUse id of the previous assistant message", where, tr.ToolUseID)
				}
				if answered[tr.ToolUseID] {
					return fmt.Sprintf("%s: duplicate toolResult for toolUse id %s", where, tr.ToolUseID)
				}
				answered[tr.ToolUseID] = true
				if tr.Status != "" && tr.Status != "success" && tr.Status != "error" {
					return fmt.Sprintf("%s: toolResult.status %q is not success or error", where, tr.Status)
				}
				if tr.Status != "" && !takesStatus(req.ModelID) {
					return fmt.Sprintf("This model doesn't support the %s.toolResult.status field. Remove toolResult.status and try again.", where)
				}
				if len(tr.Content) == 0 {
					return fmt.Sprintf("%s: toolResult.content must not be empty", where)
				}
				for k, rc := range tr.Content {
					if rc.Text != nil && strings.TrimSpace(*rc.Text) == "" {
						return fmt.Sprintf("The text field in the ToolResultContentBlock object at %s.toolResult.content.%d is blank. Add text to the text field, and try again.", where, k)
					}
					if rc.Text == nil && rc.JSON == nil {
						return fmt.Sprintf("%s.toolResult.content.%d: empty ToolResultContentBlock", where, k)
					}
				}
			default:
				return where + ": empty ContentBlock"
			}
		}
		if m.Role == "user" {
			for id := range pending {
				if !answered[id] {
					return fmt.Sprintf("Expected toolResult blocks at messages.%d.content for the following Ids: %s", i, id)
				}
			}
			pending = nil
		} else {
			pending = map[string]bool{}
			for _, c := range m.Content {
				if c.ToolUse != nil {
					if pending[c.ToolUse.ToolUseID] {
						return fmt.Sprintf("messages.%d: duplicate toolUse id %s", i, c.ToolUse.ToolUseID)
					}
					pending[c.ToolUse.ToolUseID] = true
					// Bedrock checks the name's shape, not that toolConfig
					// still defines it (a placeholder toolConfig is accepted).
					if !toolName.MatchString(c.ToolUse.Name) {
						return fmt.Sprintf("1 validation error detected: Value at 'messages.%d.member.content.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+", i)
					}
				}
			}
		}
	}
	if last := req.Messages[len(req.Messages)-1]; last.Role != "user" {
		return "A conversation must end with a user message. Try again with a conversation that ends with a user message."
	}
	if usesTools && req.ToolConfig == nil {
		return "The toolConfig field must be defined when using toolUse and toolResult content blocks."
	}
	if cachePoints > 0 && !takesStatus(req.ModelID) {
		return "This model doesn't support prompt caching (cachePoint). Remove the cachePoint blocks and try again."
	}
	if cachePoints > maxCachePoints {
		return fmt.Sprintf("A maximum of %d cachePoint blocks are allowed per request; this one has %d.", maxCachePoints, cachePoints)
	}
	return ""
}

// takesStatus: Bedrock documents toolResult.status (and prompt caching,
// roughly) for Amazon Nova and Anthropic Claude models only.
func takesStatus(model string) bool {
	m := strings.ToLower(model)
	return strings.Contains(m, "amazon.nova") || strings.Contains(m, "anthropic.claude") || model == ""
}
