package investigate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/knowledge"
)

// srcKnowledge is the evidence source of runbooks and past incidents.
const srcKnowledge = "knowledge"

// Sizes of the knowledge lookup: how many results join the bundle and how
// many templates and suspects are asked about.
const (
	maxKnowledgeItems     = 3
	maxKnowledgeTemplates = 3
	maxKnowledgeSuspects  = 3
	// knowledgePriority sits below every item about the incident (the
	// lowest, "Other changes", is 25): a runbook informs the reading of
	// the evidence but is not evidence of this incident, so the budget
	// drops it first. Only findings on resources the failure does not
	// touch (15) rank lower.
	knowledgePriority = 20
)

// knowledgeItems adds the runbooks and past incidents that match the
// incident's new or risen error templates, its top suspects and the
// resources the failure implicates. Without knowledge.dir or
// knowledge.bedrock_kb_id it does nothing; a knowledge base that cannot be
// read becomes a gap, like any other source.
func (a *analysis) knowledgeItems(ctx context.Context, cfg *config.Config, g *gathered) {
	texts := a.knowledgeQueries()
	if len(texts) == 0 {
		return
	}
	// The local index is built on first use; bound it as a source is.
	if d := time.Duration(cfg.Investigate.SourceTimeout); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	s, err := knowledge.ForConfig(ctx, cfg)
	if errors.Is(err, knowledge.ErrNotConfigured) {
		return
	}
	if err == nil {
		var res []knowledge.Result
		res, err = knowledge.Related(ctx, s, texts, maxKnowledgeItems)
		for i, r := range res {
			a.add(knowledgeItem(r, knowledgePriority-float64(i)))
		}
	}
	if err != nil {
		g.gaps = append(g.gaps, Gap{Source: srcKnowledge, What: "runbooks and past incidents could not be searched: " + strings.TrimSpace(err.Error()),
			Action: "Check that knowledge.dir is a readable folder, and that fa2's role may call bedrock:Retrieve on knowledge.bedrock_kb_id."})
	}
}

// knowledgeQueries are the texts a past incident would share with this
// one: the samples of the top new or risen error templates (the templates
// are ranked), each top suspect as "EventName resources", and the
// implicated resources.
func (a *analysis) knowledgeQueries() []string {
	var texts []string
	n := 0
	for _, t := range a.templates {
		if n >= maxKnowledgeTemplates {
			break
		}
		if !t.errorLike() || (t.status != statusNew && t.status != statusRisen) {
			continue
		}
		text := t.p.Sample
		if strings.TrimSpace(text) == "" {
			text = placeholder.ReplaceAllString(t.p.Template, " ")
		}
		texts = append(texts, clip(text, 300))
		n++
	}
	n = 0
	for _, s := range a.suspects {
		if n >= maxKnowledgeSuspects {
			break
		}
		if s.likely == Unlikely {
			continue
		}
		texts = append(texts, strings.TrimSpace(s.ev.Name+" "+strings.Join(clipList(s.ev.Resources, 3), " ")))
		n++
	}
	if names := a.im.names(5); len(names) > 0 {
		texts = append(texts, strings.Join(names, " "))
	}
	return texts
}

// knowledgeItem shows one match: the document, the passage that matched
// and where it is, with the search that finds it again.
func knowledgeItem(r knowledge.Result, priority float64) *item {
	where := r.Path
	if where == "" {
		where = r.URI
	}
	title := r.Title
	if title == "" {
		title = where
	}
	text := fmt.Sprintf("%s (%s, %s, score %.2f): %s", title, where, r.Source, r.Score, clip(strings.Join(strings.Fields(r.Passage), " "), 500))
	return &item{source: srcKnowledge, title: "Runbook or past incident: " + clip(title, 100), text: text, priority: priority,
		reproduce: reproduce("search_knowledge", map[string]any{"query": title})}
}
