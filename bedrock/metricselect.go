package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/rs/zerolog"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/prompts"
)

// maxSelectCandidates bounds what the selector shows the model: the best
// ranked, so the prompt stays small and the answer cheap.
const maxSelectCandidates = 60

// MetricSelector lets the fast model pick select_metrics' metrics among the
// best-ranked candidates. Any failure (no model, throttling, an answer it
// cannot read) falls back to the deterministic ranking and is logged: the
// tool still answers.
type MetricSelector struct {
	// Client returns the Bedrock client (built lazily by the caller).
	Client       func(ctx context.Context) (*Client, error)
	Language     string
	Architecture string
	Log          zerolog.Logger
}

// Select implements evidence.Selector.
func (s MetricSelector) Select(ctx context.Context, question string, cands []evidence.Candidate, max int) ([]evidence.Candidate, error) {
	ranked, _ := evidence.RankingSelector{}.Select(ctx, question, cands, len(cands))
	fallback := func(why string, err error) ([]evidence.Candidate, error) {
		if err != nil {
			s.Log.Warn().Err(err).Msg("LLM metric selector fell back to ranking: " + why)
		} else {
			s.Log.Debug().Msg("LLM metric selector used the ranking: " + why)
		}
		if len(ranked) > max {
			return ranked[:max], nil
		}
		return ranked, nil
	}
	if len(ranked) <= max || strings.TrimSpace(question) == "" {
		return fallback("nothing to choose", nil)
	}
	shown := ranked
	if len(shown) > maxSelectCandidates {
		shown = shown[:maxSelectCandidates]
	}
	client, err := s.Client(ctx)
	if err != nil {
		return fallback("no model", err)
	}
	var list strings.Builder
	for i, c := range shown {
		fmt.Fprintf(&list, "%d. %s (%s)", i+1, evidence.MetricKey(c.Stat.Metric), c.Stat.Stat)
		if sum := c.Summary; sum != nil && sum.Points > 0 {
			fmt.Fprintf(&list, " mean %.4g max %.4g last %.4g", sum.Mean, sum.Max, sum.Last)
			if sum.BaselineMean != nil {
				fmt.Fprintf(&list, ", baseline mean %.4g, change score %.1f", *sum.BaselineMean, sum.Score)
			}
			if n := len(sum.Departures); n > 0 {
				fmt.Fprintf(&list, ", %d departure(s)", n)
			}
		} else {
			list.WriteString(" no data in the window")
		}
		list.WriteString("\n")
	}
	lang := s.Language
	text := prompts.MustRender(lang, prompts.SelectMetrics, map[string]any{"Architecture": s.Architecture, "Question": question, "Evidence": list.String(), "Max": max})
	reply, err := client.Converse(ctx, Call{Model: client.FastModel(), Messages: []types.Message{userText(text)}, MaxTokens: 512}, nil)
	if err != nil {
		return fallback("model call failed", err)
	}
	picks, err := parsePicks(reply.Text)
	if err != nil {
		return fallback("unreadable answer", err)
	}
	var out []evidence.Candidate
	used := map[int]bool{}
	for _, n := range picks {
		if n < 1 || n > len(shown) || used[n] {
			continue
		}
		used[n] = true
		c := shown[n-1]
		c.Reasons = append(append([]string(nil), c.Reasons...), "picked by the model for the question")
		out = append(out, c)
		if len(out) == max {
			break
		}
	}
	if len(out) == 0 {
		return fallback("the model picked no listed metric", nil)
	}
	return out, nil
}

// parsePicks reads a JSON array of numbers, fenced or bare.
func parsePicks(text string) ([]int, error) {
	cands := []string{}
	for _, m := range fencedJSON.FindAllStringSubmatch(text, -1) {
		cands = append(cands, m[1])
	}
	if i, j := strings.Index(text, "["), strings.LastIndex(text, "]"); i >= 0 && j > i {
		cands = append(cands, text[i:j+1])
	}
	for _, c := range cands {
		var picks []int
		if json.Unmarshal([]byte(strings.TrimSpace(c)), &picks) == nil {
			return picks, nil
		}
	}
	return nil, fmt.Errorf("no JSON array of numbers in the answer")
}
