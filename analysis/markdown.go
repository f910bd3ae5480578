package analysis

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// inlineID matches an evidence id (E3) or a tool call id (T2) in prose.
var inlineID = regexp.MustCompile(`\b[ET][0-9]{1,4}\b`)

// labels are the report's headings and words, per language.
type labels struct {
	summary, rootCause, confidence, severity, hypotheses, supporting, contradicting, impact, users, business,
	timeline, actions, mitigate, fix, prevent, gaps, reproduce, toolCalls, usage, notes, unverified, unverifiedNote,
	evidence, none, question, status, mode, toolFailed, toolSkipped, toolCut, answer string
	// usageLine formats: model, mode, calls, input, output, tool calls, model s, total s.
	usageLine, cacheLine string
	statuses             map[string]string
	levels               map[string]string
}

var english = labels{
	summary: "Summary", rootCause: "Root cause", confidence: "confidence", severity: "severity",
	hypotheses: "Competing hypotheses", supporting: "Supporting", contradicting: "Contradicting",
	impact: "Impact", users: "Users", business: "Business", timeline: "Timeline (UTC)", actions: "Actions",
	mitigate: "Mitigate now", fix: "Fix", prevent: "Prevent", gaps: "Gaps — what could not be checked",
	reproduce: "Reproduce by hand", toolCalls: "Tool calls", usage: "Usage", notes: "Notes",
	unverified: "unverified", unverifiedNote: "⚠ Citations marked unverified name no evidence of the bundle and no tool call the analysis made: %s. Check those claims before acting on them.",
	evidence: "evidence", none: "none", question: "Question", status: "status", mode: "mode",
	toolFailed: "failed", toolSkipped: "not run", toolCut: "cut to the token cap", answer: "Answer",
	usageLine: "%s · %s · %d model calls · %d input / %d output tokens%s · %d tool calls · model %.1fs, total %.1fs",
	cacheLine: " (cache: %d read, %d written)",
	statuses:  map[string]string{"supported": "supported", "refuted": "refuted", "open": "open"},
	levels:    map[string]string{High: "high", Medium: "medium", Low: "low", "": "unknown"},
}

var japanese = labels{
	summary: "概要", rootCause: "根本原因", confidence: "確信度", severity: "深刻度",
	hypotheses: "競合する仮説", supporting: "支持する証拠", contradicting: "反する証拠",
	impact: "影響", users: "ユーザー", business: "ビジネス", timeline: "タイムライン（UTC）", actions: "対応",
	mitigate: "今すぐの緩和策", fix: "修正", prevent: "再発防止", gaps: "ギャップ（確認できなかったこと）",
	reproduce: "手動での再現", toolCalls: "ツール呼び出し", usage: "使用量", notes: "補足",
	unverified: "未検証", unverifiedNote: "⚠ 未検証と記した引用は、バンドルの証拠にも分析中のツール呼び出しにも存在しない ID です：%s。これらの主張は行動の前に確認してください。",
	evidence: "証拠", none: "なし", question: "質問", status: "状態", mode: "モード",
	toolFailed: "失敗", toolSkipped: "未実行", toolCut: "トークン上限で切り詰め", answer: "回答",
	usageLine: "%s · %s · モデル呼び出し %d 回 · 入力 %d / 出力 %d トークン%s · ツール呼び出し %d 回 · モデル %.1f 秒、合計 %.1f 秒",
	cacheLine: "（キャッシュ：読み込み %d、書き込み %d）",
	statuses:  map[string]string{"supported": "支持", "refuted": "棄却", "open": "未決"},
	levels:    map[string]string{High: "高", Medium: "中", Low: "低", "": "不明"},
}

func (r *Report) labels() labels {
	if r.Language == "ja" {
		return japanese
	}
	return english
}

// Markdown renders the report for people and chat: every section, with
// citations checked — an id the analysis could not verify is marked.
func (r *Report) Markdown() string {
	l := r.labels()
	unverified := map[string]bool{}
	for _, id := range r.Unverified {
		unverified[id] = true
	}
	cite := func(ids []string) string {
		if len(ids) == 0 {
			return ""
		}
		parts := make([]string, len(ids))
		for i, id := range ids {
			if unverified[id] {
				parts[i] = fmt.Sprintf("%s ⚠%s", id, l.unverified)
			} else {
				parts[i] = id
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	// Ids cited inline in prose are marked too.
	mark := func(s string) string {
		if len(unverified) == 0 {
			return s
		}
		return inlineID.ReplaceAllStringFunc(s, func(id string) string {
			if unverified[id] {
				return id + " ⚠" + l.unverified
			}
			return id
		})
	}
	var b strings.Builder
	title := r.Title
	if title == "" {
		title = "Incident analysis"
	}
	fmt.Fprintf(&b, "# %s\n\n", oneLine(title))
	// Before anything else under the title (the PDF and the chat files
	// lead with it): what follows is not the model's analysis.
	b.WriteString(r.DegradedBanner())
	if r.Question != "" {
		fmt.Fprintf(&b, "**%s:** %s\n\n", l.question, oneLine(r.Question))
	}
	if len(r.Unverified) > 0 {
		fmt.Fprintf(&b, "> "+l.unverifiedNote+"\n\n", strings.Join(r.Unverified, ", "))
	}

	if r.Mode == "insight" {
		// A question about metrics: the answer is the report.
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", l.answer, orNone(mark(r.Summary), l))
		r.gapsAndNotes(&b, l)
		r.usage(&b, l)
		return b.String()
	}

	fmt.Fprintf(&b, "## %s\n\n%s\n\n", l.summary, orNone(mark(r.Summary), l))

	fmt.Fprintf(&b, "## %s\n\n", l.rootCause)
	fmt.Fprintf(&b, "**%s:** %s · **%s:** %s\n\n", l.confidence, l.levels[r.RootCause.Confidence], l.severity, l.levels[r.RootCause.Severity])
	fmt.Fprintf(&b, "%s", orNone(mark(r.RootCause.Text), l))
	if c := cite(r.RootCause.Citations); c != "" {
		fmt.Fprintf(&b, " %s", c)
	}
	b.WriteString("\n\n")

	if len(r.Hypotheses) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", l.hypotheses)
		for i, h := range r.Hypotheses {
			st := l.statuses[h.Status]
			if st == "" {
				st = h.Status
			}
			fmt.Fprintf(&b, "%d. **%s** — %s\n", i+1, oneLine(h.Title), st)
			if h.Reasoning != "" {
				fmt.Fprintf(&b, "   - %s\n", mark(oneLine(h.Reasoning)))
			}
			fmt.Fprintf(&b, "   - %s: %s\n", l.supporting, orNone(cite(h.Supporting), l))
			fmt.Fprintf(&b, "   - %s: %s\n", l.contradicting, orNone(cite(h.Contradicting), l))
		}
		b.WriteString("\n")
	}

	if r.Impact.Users != "" || r.Impact.Business != "" {
		fmt.Fprintf(&b, "## %s\n\n", l.impact)
		if r.Impact.Users != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", l.users, oneLine(r.Impact.Users))
		}
		if r.Impact.Business != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", l.business, oneLine(r.Impact.Business))
		}
		b.WriteString("\n")
	}

	if len(r.Timeline) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", l.timeline)
		for _, e := range r.Timeline {
			when := "—"
			if !e.Time.IsZero() {
				when = e.Time.UTC().Format(time.DateTime)
			}
			fmt.Fprintf(&b, "- `%s` %s", when, mark(oneLine(e.Text)))
			if c := cite(e.Citations); c != "" {
				fmt.Fprintf(&b, " %s", c)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}

	if len(r.Actions.Mitigate)+len(r.Actions.Fix)+len(r.Actions.Prevent) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", l.actions)
		for _, group := range []struct {
			name  string
			items []string
		}{{l.mitigate, r.Actions.Mitigate}, {l.fix, r.Actions.Fix}, {l.prevent, r.Actions.Prevent}} {
			if len(group.items) == 0 {
				continue
			}
			fmt.Fprintf(&b, "**%s**\n\n", group.name)
			for _, it := range group.items {
				fmt.Fprintf(&b, "- %s\n", oneLine(it))
			}
			b.WriteString("\n")
		}
	}

	r.gaps(&b, l)

	if len(r.Reproduce) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", l.reproduce)
		for _, p := range r.Reproduce {
			lang := map[string]string{"athena_sql": "sql", "cli": "sh", "fa2": "sh"}[p.Kind]
			fmt.Fprintf(&b, "- %s", oneLine(p.What))
			if p.Kind != "" {
				fmt.Fprintf(&b, " (%s)", p.Kind)
			}
			fence := "```"
			for strings.Contains(p.Text, fence) {
				fence += "`"
			}
			fmt.Fprintf(&b, "\n\n  %s%s\n  %s\n  %s\n\n", fence, lang, strings.ReplaceAll(strings.TrimSpace(p.Text), "\n", "\n  "), fence)
		}
	}

	if len(r.ToolCalls) > 0 {
		fmt.Fprintf(&b, "## %s\n\n", l.toolCalls)
		for _, c := range r.ToolCalls {
			flag := ""
			switch {
			case c.Skipped:
				flag = " (" + l.toolSkipped + ")"
			case c.Error:
				flag = " (" + l.toolFailed + ")"
			case c.Cut:
				flag = " (" + l.toolCut + ")"
			}
			fmt.Fprintf(&b, "- **%s** `%s` %s%s — %s\n", c.ID, c.Tool, oneLine(string(c.Input)), flag, oneLine(c.Summary))
		}
		b.WriteString("\n")
	}

	r.notes(&b, l)
	r.usage(&b, l)
	return b.String()
}

// DegradedBanner is the Markdown block that warns a degraded report is not
// the model's analysis ("" for one that is): Markdown puts it under the
// title; a reader that wants it on the very first line (an assistant
// reading a tool result) can move it there.
func (r *Report) DegradedBanner() string {
	if r.Degraded == "" {
		return ""
	}
	return "> **" + oneLine(r.Degraded) + "**\n\n"
}

// gapsAndNotes renders the gaps and the notes.
func (r *Report) gapsAndNotes(b *strings.Builder, l labels) {
	r.gaps(b, l)
	r.notes(b, l)
}

func (r *Report) gaps(b *strings.Builder, l labels) {
	fmt.Fprintf(b, "## %s\n\n", l.gaps)
	if len(r.Gaps) == 0 {
		fmt.Fprintf(b, "%s\n\n", l.none)
	} else {
		for _, g := range r.Gaps {
			line := "- **" + oneLine(g.Source) + "**"
			switch {
			case g.Source == "":
				line = "- " + oneLine(g.What)
			case g.What != "":
				line += ": " + oneLine(g.What)
			}
			if g.Action != "" {
				line += " → " + oneLine(g.Action)
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	}
}

func (r *Report) notes(b *strings.Builder, l labels) {
	if len(r.Notes) > 0 {
		fmt.Fprintf(b, "## %s\n\n", l.notes)
		for _, n := range r.Notes {
			fmt.Fprintf(b, "- %s\n", oneLine(n))
		}
		b.WriteString("\n")
	}
}

func (r *Report) usage(b *strings.Builder, l labels) {
	u := r.Usage
	cache := ""
	if u.CacheReadTokens+u.CacheWriteTokens > 0 {
		cache = fmt.Sprintf(l.cacheLine, u.CacheReadTokens, u.CacheWriteTokens)
	}
	fmt.Fprintf(b, "---\n%s: "+l.usageLine+"\n", l.usage, orDash(r.Model), orDash(r.Mode), u.ModelCalls, u.InputTokens, u.OutputTokens, cache,
		u.ToolCalls, float64(u.ModelMillis)/1000, float64(u.WallMillis)/1000)
}

// oneLine keeps a value on its line so it cannot break the list around it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func orNone(s string, l labels) string {
	if strings.TrimSpace(s) == "" {
		return "_" + l.none + "_"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
