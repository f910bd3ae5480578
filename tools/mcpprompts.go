package tools

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/fa2/fa2/prompts"
)

// addPrompts registers fa2's ready-made investigations (prompts/list), so
// Claude Desktop and IDEs offer them as one-click starting points. Their
// text lives in the prompts package, in English and Japanese.
func addPrompts(s *server.MCPServer, env *Env) {
	lang := func(req mcp.GetPromptRequest) string {
		if l := req.Params.Arguments["language"]; l == "ja" || l == "en" {
			return l
		}
		if env.Config != nil && env.Config.Language == "ja" {
			return "ja"
		}
		return "en"
	}
	langArg := mcp.WithArgument("language", mcp.ArgumentDescription("en or ja (default: the server's configuration)"))
	s.AddPrompt(mcp.NewPrompt("investigate-alarm",
		mcp.WithPromptDescription("Investigate a CloudWatch alarm with fa2's tools: competing hypotheses tested against the evidence, a cited root cause, actions and gaps."),
		mcp.WithArgument("alarm_name", mcp.ArgumentDescription("the alarm to investigate (default: the alarms in ALARM)")),
		mcp.WithArgument("description", mcp.ArgumentDescription("what you already know, in words")),
		langArg,
	), func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		a := req.Params.Arguments
		text, err := prompts.Render(lang(req), prompts.InvestigateMCP, map[string]any{"Alarm": strings.TrimSpace(a["alarm_name"]), "Question": strings.TrimSpace(a["description"])})
		if err != nil {
			return nil, err
		}
		return mcp.NewGetPromptResult("Investigate an alarm", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))}), nil
	})
	s.AddPrompt(mcp.NewPrompt("security-review",
		mcp.WithPromptDescription("Review Security Hub and GuardDuty findings with the CloudTrail activity and access logs around them."),
		mcp.WithArgument("focus", mcp.ArgumentDescription("a resource, principal or concern to focus on")),
		mcp.WithArgument("window", mcp.ArgumentDescription("the period to review, e.g. the last 24 hours")),
		langArg,
	), func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		a := req.Params.Arguments
		text, err := prompts.Render(lang(req), prompts.SecurityReview, map[string]any{"Question": strings.TrimSpace(a["focus"]), "Window": strings.TrimSpace(a["window"])})
		if err != nil {
			return nil, err
		}
		return mcp.NewGetPromptResult("Security review", []mcp.PromptMessage{mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))}), nil
	})
}
