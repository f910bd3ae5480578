package awslive

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// The fakes answer whatever query they are sent, so they cannot tell a query
// Logs Insights or Athena would reject. These tests check the query text
// itself: a small lexer for the Logs Insights grammar, and golden texts that
// were read against the documentation (the references are in each golden
// file's header) and must be read again when they change.

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the query builders")

// insightsCommands are the Logs Insights commands fa2 may send, from
// "CloudWatch Logs Insights language query syntax" (CWL_QuerySyntax.html).
var insightsCommands = map[string]bool{
	"fields": true, "filter": true, "stats": true, "sort": true, "limit": true,
	"parse": true, "pattern": true, "display": true, "dedup": true,
}

// lexInsights splits a query into its commands at the pipes that are not
// inside a "string" or a /regex/ literal, and fails on an unterminated
// literal. Inside both, a backslash escapes the next character (the escaping
// quoteString and escapeRegexLiteral rely on).
func lexInsights(q string) ([]string, error) {
	var cmds []string
	var cur strings.Builder
	var in byte // 0, '"' or '/'
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch {
		case in != 0 && ch == '\\':
			if i+1 == len(q) {
				return nil, fmt.Errorf("a backslash ends the query")
			}
			cur.WriteByte(ch)
			i++
			cur.WriteByte(q[i])
			continue
		case in != 0 && ch == in:
			in = 0
		case in == 0 && ch == '"':
			in = '"'
		case in == 0 && ch == '/' && endsWithKeyword(cur.String()):
			// A slash opens a regex literal after like, =~, parse @field, etc.
			in = '/'
		case in == 0 && ch == '|':
			cmds = append(cmds, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(ch)
	}
	if in != 0 {
		return nil, fmt.Errorf("unterminated %c literal", in)
	}
	return append(cmds, strings.TrimSpace(cur.String())), nil
}

// endsWithKeyword reports whether a regex literal may start here: after
// "like", "=~", or "parse <field>".
func endsWithKeyword(s string) bool {
	s = strings.TrimSpace(s)
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	last := words[len(words)-1]
	return last == "like" || strings.HasSuffix(last, "=~") || (len(words) == 2 && words[0] == "parse")
}

// checkInsights fails unless q lexes into documented commands only.
func checkInsights(t *testing.T, name, q string) []string {
	t.Helper()
	cmds, err := lexInsights(q)
	if err != nil {
		t.Errorf("%s: %v in %q", name, err, q)
		return nil
	}
	for _, c := range cmds {
		word, _, _ := strings.Cut(c, " ")
		if !insightsCommands[word] {
			t.Errorf("%s: %q is not a Logs Insights command (query %q)", name, word, q)
		}
	}
	return cmds
}

// hostileFilters try to end the string or regex early and add commands.
var hostileFilters = []string{
	`timeout`, `say "hi" | stats count(*)`, `a\"b`, `trailing\`, `C:\temp\`,
	`/5\d\d/`, `/a|b/i`, `/x/ | stats count(*) by bin(1m) | filter /y/`, `/path/to/file/`, `/ends in \/`,
	`/"quoted"/`, `| display @message`,
}

func TestBuiltQueriesLexAsDocumentedCommands(t *testing.T) {
	for _, f := range hostileFilters {
		builders := map[string]func() (string, error){
			"events":    func() (string, error) { return eventsQuery(f, 50) },
			"patterns":  func() (string, error) { return patternsQuery(f) },
			"histogram": func() (string, error) { return histogramQuery(f, 5*time.Minute) },
		}
		for name, build := range builders {
			q, err := build()
			if err != nil {
				continue // rejected filters never reach AWS
			}
			cmds := checkInsights(t, name+" "+f, q)
			// The filter is one command however hostile it is: the
			// command count is the builder's own.
			want := map[string]int{"events": 4, "patterns": 2, "histogram": 3}[name]
			if len(cmds) != want {
				t.Errorf("%s with filter %q: %d commands %q, want %d — the filter escaped its literal", name, f, len(cmds), cmds, want)
			}
		}
	}
	spans := pipeline("fields @timestamp, @message", "filter traceId in ["+quoteString("6b0010c04f3b2a1c9d8e7f6a5b4c3d2e")+"]", "limit 10000")
	checkInsights(t, "spans", spans)
}

// The lexer must itself catch what it is for.
func TestInsightsLexerRejectsBrokenQueries(t *testing.T) {
	for _, q := range []string{
		`filter @message like "unterminated`,
		`filter @message like /open | stats count(*)`,
		`filter @message like "a" | drop table`,
	} {
		cmds, err := lexInsights(q)
		bad := err != nil
		for _, c := range cmds {
			word, _, _ := strings.Cut(c, " ")
			bad = bad || !insightsCommands[word]
		}
		if !bad {
			t.Errorf("lexInsights accepted %q as %q", q, cmds)
		}
	}
}

// Golden query texts. Each file's header says which documentation it was
// read against; go test -run Golden -update-golden rewrites the bodies
// (keeping the headers) after a deliberate change, which then needs the
// same reading again.
func TestQueryTextsMatchTheReviewedGoldenFiles(t *testing.T) {
	events, _ := eventsQuery(`/time(out|d out)/i`, 50)
	patterns, _ := patternsQuery(`ERROR`)
	hist, _ := histogramQuery(``, 5*time.Minute)
	w := telemetry.Window{Start: time.Date(2026, 11, 18, 22, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 1, 30, 0, 0, time.UTC)}
	clauses, params := partitionFilter(&tableInfo{partitions: map[string]string{"day": "string"}}, w, "us-east-1")
	for name, text := range map[string]string{
		"events.insights":      events,
		"patterns.insights":    patterns,
		"histogram.insights":   hist,
		"alb_aggregate.sql":    albAggregateSQL(`"logs"."alb_logs"`, strings.Join(clauses, " AND "), telemetry.GroupByTarget, 20),
		"partition_params.txt": strings.Join(params, "\n"),
		"spans_by_id.insights": pipeline("fields @timestamp, @message", "filter traceId in [\"6b0010c04f3b2a1c9d8e7f6a5b4c3d2e\"]", "limit 10000"),
	} {
		path := filepath.Join("testdata", "golden", name)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (write the header by hand, then run with -update-golden)", name, err)
			continue
		}
		header, body, ok := strings.Cut(string(raw), "\n--- query ---\n")
		if !ok {
			t.Errorf("%s: no \"--- query ---\" line after the review header", name)
			continue
		}
		if *updateGolden {
			if err := os.WriteFile(path, []byte(header+"\n--- query ---\n"+text+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if body != text+"\n" {
			t.Errorf("%s changed; read it against the documentation in its header, then run with -update-golden.\ngot:\n%s\nreviewed:\n%s", name, text, body)
		}
	}
}
