package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/fa2/fa2/knowledge"
	"github.com/fa2/fa2/telemetry"
)

// SearchKnowledgeInput is the input of search_knowledge.
type SearchKnowledgeInput struct {
	Query string `json:"query" jsonschema:"required" jsonschema_description:"What to look for: an error message, a resource, a symptom (English or Japanese)."`
	Limit int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=20" jsonschema_description:"Max results (default knowledge.max_results, 5)."`
}

// SearchKnowledgeOutput is the result of search_knowledge.
type SearchKnowledgeOutput struct {
	Page
	Query    string             `json:"query"`
	Results  []knowledge.Result `json:"results"`
	Warnings []string           `json:"warnings,omitempty"`
}

// SearchKnowledge is the search_knowledge tool.
func SearchKnowledge() Tool {
	return New("search_knowledge", "Search runbooks and past incidents",
		"Full-text search of the team's runbooks and post-mortems (knowledge.dir) and, when set, an Amazon Bedrock knowledge base. Returns title, path or URI, the matching passage and a score. Search with an error message, a resource name or a suspect change to find how it was handled before.",
		searchKnowledge)
}

func searchKnowledge(ctx context.Context, env *Env, in SearchKnowledgeInput) (*SearchKnowledgeOutput, error) {
	// The limit is checked first, so a bad limit is named whatever the query.
	limit, err := countArg("limit", in.Limit, env.Config.Knowledge.MaxResults, 20)
	if err != nil {
		return nil, err
	}
	q := strings.TrimSpace(in.Query)
	if q == "" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "query is empty.").WithHint("Pass the error message, resource or symptom to look for.")
	}
	s, err := knowledge.ForConfig(ctx, env.Config)
	if errors.Is(err, knowledge.ErrNotConfigured) {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "no knowledge base is configured.").
			WithHint("Set knowledge.dir (FA2_KNOWLEDGE_DIR) to a folder of Markdown runbooks, or knowledge.bedrock_kb_id to a Bedrock knowledge base.")
	}
	if err != nil {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "%v.", err).WithHint("Fix knowledge.dir or knowledge.bedrock_kb_id.")
	}
	out := &SearchKnowledgeOutput{Query: q, Results: []knowledge.Result{}}
	res, err := s.Search(ctx, q, limit)
	if err != nil {
		if len(res) == 0 {
			return nil, telemetry.Errorf(telemetry.KindUnsupported, "knowledge search failed: %v.", err).WithHint("Check knowledge.dir and, for Bedrock, bedrock:Retrieve on the knowledge base.")
		}
		out.Warnings = append(out.Warnings, err.Error()) // one backend failed, the other answered
	}
	out.Results = append(out.Results, res...)
	if len(out.Results) == 0 {
		out.Hint = "No match: try fewer or other words, such as the exception name or the resource."
	}
	return out, nil
}

// Shrink drops the lowest-ranked result, then shortens passages.
func (o *SearchKnowledgeOutput) Shrink() bool {
	if len(o.Results) > 1 {
		o.Results = o.Results[:len(o.Results)-1]
		o.Truncate("Ask for fewer results (limit) or a narrower query.")
		return true
	}
	if len(o.Results) == 1 && len(o.Results[0].Passage) > 200 {
		o.Results[0].Passage = clip(o.Results[0].Passage, 200)
		return true
	}
	return false
}

// Text renders the result compactly.
func (o *SearchKnowledgeOutput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "search_knowledge %q: %d results\n", o.Query, len(o.Results))
	for _, r := range o.Results {
		where := r.Path
		if where == "" {
			where = r.URI
		}
		fmt.Fprintf(&b, "  %.3f %s — %s (%s)\n    %s\n", r.Score, r.Title, where, r.Source, r.Passage)
	}
	for _, w := range o.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Hint != "" {
		fmt.Fprintf(&b, "%s\n", o.Hint)
	}
	return b.String()
}
