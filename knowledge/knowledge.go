// Package knowledge finds runbooks and past incidents that match what an
// investigation sees. Two backends answer the same Search: a local folder
// of Markdown and text files indexed in memory with bleve (English and
// Japanese alike: CJK text is indexed as overlapping character pairs, so
// words need no dictionary), re-indexed when its files change, and an
// Amazon Bedrock knowledge base for teams that already keep one. It does
// not decide what to search for: the engine, the agent or a person does.
package knowledge

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Result is one match: where it is, the passage that matched and how well.
type Result struct {
	Title string `json:"title"`
	// Path is the file under the knowledge folder; URI is where a
	// Bedrock knowledge base found it (s3://, https://).
	Path    string  `json:"path,omitempty"`
	URI     string  `json:"uri,omitempty"`
	Passage string  `json:"passage"`
	Score   float64 `json:"score"`
	// Source is "local" or "bedrock".
	Source string `json:"source"`
}

// Searcher answers a free-text query with at most limit results, best first.
type Searcher interface {
	Search(ctx context.Context, query string, limit int) ([]Result, error)
}

// Multi asks every searcher and merges their answers. Scores of different
// backends are not comparable, so results alternate between backends, each
// in its own order; a backend that fails is reported in the error while
// the others' results are still returned.
type Multi []Searcher

// Search implements Searcher.
func (m Multi) Search(ctx context.Context, query string, limit int) ([]Result, error) {
	var lists [][]Result
	var errs []string
	for _, s := range m {
		res, err := s.Search(ctx, query, limit)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		lists = append(lists, res)
	}
	var out []Result
	for i := 0; len(out) < limit; i++ {
		added := false
		for _, l := range lists {
			if i < len(l) && len(out) < limit {
				out = append(out, l[i])
				added = true
			}
		}
		if !added {
			break
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}

// sortResults orders by score, then title, so equal scores are stable.
func sortResults(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Score != rs[j].Score {
			return rs[i].Score > rs[j].Score
		}
		return rs[i].Title < rs[j].Title
	})
}

// Related searches with each of several texts — an incident's new error
// templates, its suspect changes, the resources they touch — and merges
// the answers: one result per document, the best passage and score it
// got, best first, at most limit. This is how an investigation asks "has
// any of this happened before?" in one call; texts that find nothing or
// fail are skipped, and an error is returned only when every search failed.
func Related(ctx context.Context, s Searcher, texts []string, limit int) ([]Result, error) {
	best := map[string]Result{}
	var firstErr error
	failed := 0
	asked := 0
	for _, text := range texts {
		if strings.TrimSpace(text) == "" {
			continue
		}
		asked++
		res, err := s.Search(ctx, text, limit)
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
		}
		for _, r := range res {
			key := r.Source + "\x00" + r.Path + "\x00" + r.URI
			if old, ok := best[key]; !ok || r.Score > old.Score {
				best[key] = r
			}
		}
	}
	if asked > 0 && failed == asked {
		return nil, firstErr
	}
	out := make([]Result, 0, len(best))
	for _, r := range best {
		out = append(out, r)
	}
	sortResults(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
