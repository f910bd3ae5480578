package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/investigate"
)

func report() *Report {
	return &Report{
		Title: "DB password rotated", Language: "en", Mode: "agent", Model: "m",
		Summary:    "The password changed (E1); see E7.",
		RootCause:  RootCause{Text: "rotation without a restart", Confidence: High, Severity: Medium, Citations: []string{"E1", "E7"}},
		Hypotheses: []Hypothesis{{Title: "rotation", Status: "supported", Supporting: []string{"E1"}}, {Title: "network", Status: "refuted", Contradicting: []string{"T1"}}},
		Timeline:   []Event{{Time: time.Date(2026, 11, 28, 3, 13, 0, 0, time.UTC), Text: "RotateSecret", Citations: []string{"E1"}}},
		Actions:    Actions{Mitigate: []string{"restart the workers"}},
		Gaps:       []investigate.Gap{{Source: "traces", What: "none", Action: "enable X-Ray"}},
		Reproduce:  []Reproduction{{What: "```odd```", Kind: "cli", Text: "aws logs tail x\n--since 1h ```"}},
		ToolCalls:  []ToolCall{{ID: "T1", Tool: "query_logs", Summary: "12 patterns"}, {ID: "T2", Tool: "x", Skipped: true, Summary: "unknown tool"}},
		Unverified: []string{"E7"},
		Usage:      Usage{ModelCalls: 3, InputTokens: 1000, OutputTokens: 200, CacheReadTokens: 500, ToolCalls: 2, ModelMillis: 2500, WallMillis: 4000},
	}
}

func TestMarkdownMarksUnverifiedCitationsEverywhere(t *testing.T) {
	md := report().Markdown()
	for _, want := range []string{"see E7 ⚠unverified.", "[E1, E7 ⚠unverified]", "name no evidence of the bundle", "The password changed (E1);",
		"`2026-11-28 03:13:00` RotateSecret [E1]", "**T2** `x`  (not run)", "(cache: 500 read, 0 written)", "3 model calls", "total 4.0s"} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	// A fence inside a reproduction cannot close the block around it.
	if !strings.Contains(md, "````sh\n  aws logs tail x\n  --since 1h ```\n  ````") {
		t.Errorf("reproduction fence:\n%s", md)
	}
}

func TestMarkdownJapaneseAndInsight(t *testing.T) {
	r := report()
	r.Language = "ja"
	md := r.Markdown()
	for _, want := range []string{"## 根本原因", "**確信度:** 高", "E7 ⚠未検証", "棄却", "モデル呼び出し 3 回", "（キャッシュ：読み込み 500、書き込み 0）", "## ギャップ"} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	r.Language, r.Mode = "en", "insight"
	md = r.Markdown()
	if !strings.Contains(md, "## Answer\n\nThe password changed") || strings.Contains(md, "## Root cause") || strings.Contains(md, "## Competing") {
		t.Errorf("insight:\n%s", md)
	}
}

// A degraded report says so before anything else; a model's report does not.
func TestMarkdownPutsTheDegradedNoticeFirst(t *testing.T) {
	r := report()
	r.Question = "why 5xx?"
	if strings.Contains(r.Markdown(), "> **") {
		t.Fatal("a model's report carries a degraded banner")
	}
	r.Degraded = "⚠ Degraded report: the model (m) failed, so this is the engine's answer.\nWhy: access denied."
	md := r.Markdown()
	want := "# DB password rotated\n\n> **⚠ Degraded report: the model (m) failed, so this is the engine's answer. Why: access denied.**\n\n**Question:**"
	if !strings.HasPrefix(md, want) {
		t.Errorf("the notice is not first, on one line:\n%s", md)
	}
}
