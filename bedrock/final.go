package bedrock

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
)

// answer is the final report as the model writes it, read leniently:
// models put a string where a list belongs, or a date in another format.
type answer struct {
	Title     string `json:"title"`
	Summary   string `json:"summary"`
	RootCause struct {
		Text       string     `json:"text"`
		Confidence string     `json:"confidence"`
		Severity   string     `json:"severity"`
		Citations  stringList `json:"citations"`
	} `json:"root_cause"`
	Hypotheses []struct {
		Title         string     `json:"title"`
		Status        string     `json:"status"`
		Supporting    stringList `json:"supporting"`
		Contradicting stringList `json:"contradicting"`
		Reasoning     string     `json:"reasoning"`
	} `json:"hypotheses"`
	Impact struct {
		Users    string `json:"users"`
		Business string `json:"business"`
	} `json:"impact"`
	Timeline []struct {
		Time      string     `json:"time"`
		Text      string     `json:"text"`
		Citations stringList `json:"citations"`
	} `json:"timeline"`
	Actions struct {
		Mitigate stringList `json:"mitigate"`
		Fix      stringList `json:"fix"`
		Prevent  stringList `json:"prevent"`
	} `json:"actions"`
	Gaps []struct {
		Source string `json:"source"`
		What   string `json:"what"`
		Action string `json:"action"`
	} `json:"gaps"`
	Reproduce []struct {
		What string `json:"what"`
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"reproduce"`
}

// stringList accepts a JSON list of strings, a single string, or null.
type stringList []string

func (s *stringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		for _, p := range strings.Split(one, ",") {
			if p = strings.TrimSpace(p); p != "" {
				*s = append(*s, p)
			}
		}
		return nil
	}
	var many []any
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	for _, v := range many {
		switch x := v.(type) {
		case string:
			if x = strings.TrimSpace(x); x != "" {
				*s = append(*s, x)
			}
		case nil:
		case map[string]any:
			// {"id": "E1", "why": "..."}: the id is the citation.
			if id, ok := x["id"].(string); ok && id != "" {
				*s = append(*s, id)
			} else if j, err := json.Marshal(x); err == nil {
				*s = append(*s, string(j))
			}
		default:
			if j, err := json.Marshal(x); err == nil {
				*s = append(*s, string(j))
			}
		}
	}
	return nil
}

var trailingComma = regexp.MustCompile(`,\s*([}\]])`)

// meaningful: the JSON holds a report, not some other object.
func (a *answer) meaningful() bool {
	return a.Summary != "" || a.RootCause.Text != "" || len(a.Hypotheses) > 0
}

var fencedJSON = regexp.MustCompile("(?s)```+[ \t]*(?:json|JSON)?[ \t]*\n(.*?)\n[ \t]*```+")

// decodeAnswer reads one JSON candidate, first reshaping the forms models
// write instead of the asked one: a string where an object or a list of
// objects belongs ("impact": "checkout down", "root_cause": "…", a list of
// strings as the timeline).
func decodeAnswer(text string, a *answer) error {
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return err
	}
	asObject := func(key, field string) {
		if v, ok := m[key].(string); ok {
			m[key] = map[string]any{field: v}
		}
	}
	asObjects := func(key, field string) {
		switch v := m[key].(type) {
		case string:
			m[key] = []any{map[string]any{field: v}}
		case []any:
			for i, e := range v {
				if str, ok := e.(string); ok {
					v[i] = map[string]any{field: str}
				}
			}
		}
	}
	asObject("root_cause", "text")
	asObject("impact", "users")
	if v, ok := m["actions"].([]any); ok {
		m["actions"] = map[string]any{"fix": v}
	}
	asObject("actions", "fix")
	asObjects("hypotheses", "title")
	asObjects("timeline", "text")
	asObjects("gaps", "what")
	asObjects("reproduce", "text")
	for _, k := range []string{"title", "summary"} {
		if v, ok := m[k]; ok {
			if _, isString := v.(string); !isString {
				b, _ := json.Marshal(v)
				m[k] = string(b)
			}
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, a)
}

// parseAnswer finds the report in the model's text: the last fenced JSON
// block that decodes, else the outermost braces.
func parseAnswer(text string) (*answer, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("the answer was empty")
	}
	var candidates []string
	for _, m := range fencedJSON.FindAllStringSubmatch(text, -1) {
		candidates = append(candidates, m[1])
	}
	// Last block first: models draft, then answer.
	for i, j := 0, len(candidates)-1; i < j; i, j = i+1, j-1 {
		candidates[i], candidates[j] = candidates[j], candidates[i]
	}
	if i, j := strings.Index(text, "{"), strings.LastIndex(text, "}"); i >= 0 && j > i {
		candidates = append(candidates, text[i:j+1])
	}
	var firstErr error
	for _, c := range candidates {
		var a answer
		if err := decodeAnswer(c, &a); err != nil {
			// Trailing commas are the commonest slip; forgive them once.
			if decodeAnswer(trailingComma.ReplaceAllString(c, "$1"), &a) == nil && a.meaningful() {
				return &a, nil
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if !a.meaningful() {
			if firstErr == nil {
				firstErr = errors.New("the JSON has no summary, root_cause or hypotheses")
			}
			continue
		}
		return &a, nil
	}
	if firstErr == nil {
		firstErr = errors.New("no JSON object in the answer")
	}
	return nil, firstErr
}

// fill copies the answer into the report.
func (a *answer) fill(r *analysis.Report) {
	if a.Title != "" {
		r.Title = a.Title
	}
	r.Summary = strings.TrimSpace(a.Summary)
	r.RootCause = analysis.RootCause{Text: strings.TrimSpace(a.RootCause.Text), Confidence: level(a.RootCause.Confidence),
		Severity: level(a.RootCause.Severity), Citations: ids(a.RootCause.Citations)}
	for _, h := range a.Hypotheses {
		if strings.TrimSpace(h.Title) == "" {
			continue
		}
		r.Hypotheses = append(r.Hypotheses, analysis.Hypothesis{Title: h.Title, Status: status(h.Status),
			Supporting: ids(h.Supporting), Contradicting: ids(h.Contradicting), Reasoning: h.Reasoning})
	}
	r.Impact = analysis.Impact{Users: a.Impact.Users, Business: a.Impact.Business}
	for _, e := range a.Timeline {
		ev := analysis.Event{Text: e.Text, Citations: ids(e.Citations)}
		if t, ok := parseTime(e.Time); ok {
			ev.Time = t
		} else if e.Time != "" {
			ev.Text = e.Time + " — " + e.Text
		}
		r.Timeline = append(r.Timeline, ev)
	}
	sort.SliceStable(r.Timeline, func(i, j int) bool {
		ti, tj := r.Timeline[i].Time, r.Timeline[j].Time
		return !ti.IsZero() && !tj.IsZero() && ti.Before(tj)
	})
	r.Actions = analysis.Actions{Mitigate: nonEmpty(a.Actions.Mitigate), Fix: nonEmpty(a.Actions.Fix), Prevent: nonEmpty(a.Actions.Prevent)}
	for _, g := range a.Gaps {
		if g.Source != "" || g.What != "" {
			r.Gaps = append(r.Gaps, investigate.Gap{Source: g.Source, What: g.What, Action: g.Action})
		}
	}
	for _, p := range a.Reproduce {
		if strings.TrimSpace(p.Text) != "" {
			r.Reproduce = append(r.Reproduce, analysis.Reproduction{What: p.What, Kind: p.Kind, Text: p.Text})
		}
	}
}

func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func level(s string) string {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case analysis.High, analysis.Medium, analysis.Low:
		return v
	case "高":
		return analysis.High
	case "中":
		return analysis.Medium
	case "低":
		return analysis.Low
	}
	return ""
}

func status(s string) string {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "supported", "refuted", "open":
		return v
	case "confirmed", "likely":
		return "supported"
	case "rejected", "ruled out", "unlikely":
		return "refuted"
	}
	return "open"
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// citeID matches an evidence id (E12) or a tool call id (T3).
var citeID = regexp.MustCompile(`\b[ET][0-9]{1,4}\b`)

// ids normalises citations: "E3 (logs)" becomes E3; a citation that names
// no id is kept as written, and later marked unverified.
func ids(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.Trim(strings.TrimSpace(s), "[]()")
		if m := citeID.FindString(s); m != "" && strings.HasPrefix(s, m) {
			s = m
		}
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// checkCitations lists the ids the report cites, in lists or inline in
// its prose, that are neither evidence of the bundle nor a tool call made.
func checkCitations(r *analysis.Report) []string {
	valid := map[string]bool{}
	if r.Bundle != nil {
		for _, e := range r.Bundle.Evidence {
			valid[e.ID] = true
		}
	}
	for _, c := range r.ToolCalls {
		valid[c.ID] = true
	}
	bad := map[string]bool{}
	check := func(list []string) {
		for _, id := range list {
			if !valid[id] {
				bad[id] = true
			}
		}
	}
	prose := func(s string) { check(citeID.FindAllString(s, -1)) }
	check(r.RootCause.Citations)
	prose(r.RootCause.Text)
	prose(r.Summary)
	for _, h := range r.Hypotheses {
		check(h.Supporting)
		check(h.Contradicting)
		prose(h.Reasoning)
		prose(h.Title)
	}
	for _, e := range r.Timeline {
		check(e.Citations)
		prose(e.Text)
	}
	out := make([]string, 0, len(bad))
	for id := range bad {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
