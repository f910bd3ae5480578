package bedrock

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/fa2/fa2/prompts"
	"github.com/fa2/fa2/telemetry"
)

// FindingsRequest asks for a security findings overview.
type FindingsRequest struct {
	// Language is en or ja.
	Language     string
	Architecture string
	// Question narrows the review ("" for none).
	Question string
	// Findings are the findings as text, each with an id to cite.
	Findings string
}

// FindingsOverview writes a review of security findings with the prompts'
// findings template, in one call to the main model. The answer is
// Markdown; its headings are nested one level under "##" so it can sit
// inside a report's overview section.
func (c *Client) FindingsOverview(ctx context.Context, req FindingsRequest) (string, error) {
	lang := req.Language
	if lang != "ja" {
		lang = "en"
	}
	data := promptData{Architecture: req.Architecture, Language: lang, Question: req.Question, Evidence: req.Findings}
	reply, err := c.Converse(ctx, Call{System: prompts.MustRender(lang, prompts.System, data),
		Messages: []types.Message{userText(prompts.MustRender(lang, prompts.Findings, data))}}, nil)
	if err != nil {
		return "", err
	}
	text := strings.TrimSpace(reply.Text)
	if text == "" {
		return "", telemetry.Errorf(telemetry.KindUnavailable, "%s answered with no text.", c.model)
	}
	return nestHeadings(text), nil
}

// nestHeadings pushes every Markdown heading down two levels (# → ###),
// outside code fences, so a model's document fits under a section.
func nestHeadings(md string) string {
	lines := strings.Split(md, "\n")
	fenced := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
			continue
		}
		if !fenced && strings.HasPrefix(t, "#") {
			level := len(t) - len(strings.TrimLeft(t, "#"))
			if level <= 6 && (len(t) == level || t[level] == ' ') {
				lines[i] = strings.Repeat("#", min(level+2, 6)) + t[level:]
			}
		}
	}
	return strings.Join(lines, "\n")
}
