package investigate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeRunbook(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// With a knowledge folder, the runbook that matches the demo's failure
// joins the bundle as the least important evidence, below every item
// about the incident (only unrelated security findings rank lower), and a decoy about another failure ranks under it.
func TestKnowledgeJoinsTheBundleLast(t *testing.T) {
	src, cfg := demoSources(t)
	dir := t.TempDir()
	writeRunbook(t, dir, "db-password.md", "# Database password authentication failed after a deploy\n\nWhen the API logs password authentication failed for user checkout, check which secret the new task definition references: a staging secret in production is a common mistake. Roll back the service to the previous task definition.\n")
	writeRunbook(t, dir, "redis.md", "# Redis cache evictions\n\nWhen ElastiCache evicts keys, raise maxmemory or add shards. Unrelated to databases.\n")
	cfg.Knowledge.Dir = dir
	b, err := Run(context.Background(), src, cfg, Request{Budget: 20000})
	if err != nil {
		t.Fatal(err)
	}
	var kn []Evidence
	firstKnowledge := -1
	for i, e := range b.Evidence {
		if e.Source == srcKnowledge {
			kn = append(kn, e)
			if firstKnowledge < 0 {
				firstKnowledge = i
			}
		} else if firstKnowledge >= 0 && !strings.Contains(e.Text, "none on the resources the failure evidence names") {
			t.Errorf("telemetry item %s (%s) comes after knowledge: knowledge must rank lowest", e.ID, e.Title)
		}
	}
	if len(kn) == 0 {
		t.Fatalf("no knowledge evidence in the bundle; gaps %+v", b.Gaps)
	}
	if !strings.Contains(kn[0].Text, "db-password.md") || !strings.Contains(kn[0].Title, "password authentication failed") {
		t.Errorf("best knowledge item %+v, want the database password runbook", kn[0])
	}
	if !strings.Contains(kn[0].Reproduce, "search_knowledge") {
		t.Errorf("reproduce %q", kn[0].Reproduce)
	}
	for _, g := range b.Gaps {
		if g.Source == srcKnowledge {
			t.Errorf("unexpected knowledge gap %+v", g)
		}
	}
	if !strings.Contains(b.Markdown(), "db-password.md") {
		t.Error("the bundle's Markdown does not show the runbook")
	}

	// A tight budget drops the knowledge first.
	small, err := Run(context.Background(), src, cfg, Request{Budget: 2500})
	if err != nil {
		t.Fatal(err)
	}
	if !small.Truncated {
		t.Fatalf("the small budget did not truncate (%d tokens); the test needs a smaller one", small.Tokens)
	}
	for _, e := range small.Evidence {
		if e.Source == srcKnowledge {
			t.Errorf("knowledge item %s kept while telemetry was dropped", e.ID)
		}
	}
}

// Without a knowledge base nothing changes and nothing is reported; a
// folder that cannot be read is a gap that says what to check.
func TestKnowledgeNotConfiguredOrBroken(t *testing.T) {
	src, cfg := demoSources(t)
	b, err := Run(context.Background(), src, cfg, Request{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Evidence {
		if e.Source == srcKnowledge {
			t.Errorf("knowledge evidence without a knowledge base: %+v", e)
		}
	}
	for _, g := range b.Gaps {
		if g.Source == srcKnowledge {
			t.Errorf("a gap for an unconfigured knowledge base: %+v", g)
		}
	}
	cfg.Knowledge.Dir = filepath.Join(t.TempDir(), "missing")
	b, err = Run(context.Background(), src, cfg, Request{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range b.Gaps {
		if g.Source == srcKnowledge {
			found = strings.Contains(g.What, "missing") && strings.Contains(g.Action, "knowledge.dir")
		}
	}
	if !found {
		t.Errorf("no knowledge gap naming the folder and the setting: %+v", b.Gaps)
	}
}
