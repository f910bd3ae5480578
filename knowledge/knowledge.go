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
