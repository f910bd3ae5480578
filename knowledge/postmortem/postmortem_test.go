package postmortem

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/knowledge"
	"github.com/fa2/fa2/telemetry"
)

func report() *analysis.Report {
	onset := time.Date(2026, 11, 25, 14, 7, 25, 0, time.UTC)
	return &analysis.Report{
		Title: "order-api fails to create orders", Generated: time.Date(2026, 11, 25, 14, 40, 0, 0, time.UTC), Model: "test-model",
		Summary:   "POST /api/orders returns 500 since 14:07.",
		RootCause: analysis.RootCause{Text: "Terraform rewrote order-api-task's inline policy without dynamodb:PutItem.", Confidence: analysis.High, Severity: analysis.High},
		Actions:   analysis.Actions{Fix: []string{"Restore dynamodb:PutItem"}, Prevent: []string{"Policy diff check in CI"}},
		Bundle: &investigate.Bundle{
			Alarms: []investigate.AlarmRef{{Name: "order-api-5xx"}},
			Window: telemetry.Window{Start: time.Date(2026, 11, 25, 13, 47, 0, 0, time.UTC), End: time.Date(2026, 11, 25, 14, 27, 0, 0, time.UTC)},
			Onset:  &onset,
			Suspects: []investigate.Suspect{{EventName: "PutRolePolicy", EventTime: onset.Add(-25 * time.Second), Principal: "assumed-role/terraform-apply/gha",
				Resources: []string{"order-api-task"}, Likelihood: "likely", Score: 0.9}},
		},
	}
}

func TestSaveWritesASearchableDraft(t *testing.T) {
	dir := t.TempDir()
	t.Cleanup(knowledge.CloseAll)
	cfg := config.Default()
	cfg.Knowledge.Dir, cfg.Knowledge.SaveReports = dir, true
	path, err := SaveIfConfigured(&cfg, report())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, "/postmortems/2026-11-25-order-api-fails-to-create-orders.md") {
		t.Errorf("path %s", path)
	}
	b, _ := os.ReadFile(path)
	text := string(b)
	for _, want := range []string{"---\ntitle: order-api fails to create orders\n", "status: draft", "alarms:\n    - order-api-5xx", "window_start: \"2026-11-25T13:47:00Z\"",
		"root_cause: Terraform rewrote", "event: PutRolePolicy", "likelihood: likely", "- [ ] Restore dynamodb:PutItem"} {
		if !strings.Contains(text, want) {
			t.Errorf("draft lacks %q:\n%s", want, text)
		}
	}
	// A second save never overwrites the first.
	again, err := SaveIfConfigured(&cfg, report())
	if err != nil || again == path || !strings.HasSuffix(again, "-2.md") {
		t.Errorf("second save %s, %v", again, err)
	}
	// The next incident finds it.
	s, err := knowledge.ForConfig(context.Background(), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(context.Background(), "AccessDenied dynamodb:PutItem order-api-task", 3)
	if err != nil || len(res) == 0 || res[0].Title != "order-api fails to create orders" {
		t.Errorf("search after save: %+v %v", res, err)
	}
	// Off by default.
	off := config.Default()
	off.Knowledge.Dir = dir
	if p, err := SaveIfConfigured(&off, report()); p != "" || err != nil {
		t.Errorf("saved with save_reports off: %s %v", p, err)
	}
}

func TestSlugKeepsJapanese(t *testing.T) {
	if s := slug("決済 API の 5xx 増加!"); s != "決済-api-の-5xx-増加" {
		t.Errorf("slug %q", s)
	}
	if s := slug("!!!"); s != "incident" {
		t.Errorf("slug %q", s)
	}
}
