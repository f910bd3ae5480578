package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/events"
)

// drafts lists the post-mortem drafts saved under dir.
func drafts(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "postmortems", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fa2 analyze with knowledge.save_reports saves the report as a draft in
// the knowledge folder; a folder that cannot be written is a warning, and
// the report is still printed.
func TestAnalyzeSavesAPostmortemDraft(t *testing.T) {
	fake := conversefake.New(t, scriptedModel)
	pointBedrockAt(t, fake)
	dir := t.TempDir()
	t.Setenv("FA2_KNOWLEDGE_DIR", dir)
	t.Setenv("FA2_KNOWLEDGE_SAVE_REPORTS", "true")
	var stdout, stderr bytes.Buffer
	analyze := func() int {
		return run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--description", "checkout returns 5xx", "--mode", "agent"}, nil, &stdout, &stderr)
	}
	code := analyze()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	ds := drafts(t, dir)
	if len(ds) != 1 {
		t.Fatalf("drafts %v; stderr %s", ds, stderr.String())
	}
	body, _ := os.ReadFile(ds[0])
	if !strings.Contains(string(body), "status: draft") || !strings.Contains(string(body), "checkout-api fails after task definition checkout-api:42") {
		t.Errorf("draft:\n%s", body)
	}

	blocked := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(blocked, []byte("not a folder"), 0o644)
	t.Setenv("FA2_KNOWLEDGE_DIR", blocked)
	stdout.Reset()
	stderr.Reset()
	code = analyze()
	if code != 0 || !strings.Contains(stdout.String(), "## Root cause") {
		t.Fatalf("a draft that cannot be saved must not fail the analysis: exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "WRN") || !strings.Contains(stderr.String(), "post-mortem draft was not saved") {
		t.Errorf("no warning about the draft:\n%s", stderr.String())
	}
}

// handleDemoAlarm runs the alarm-event handler, configured from the
// environment, on the demo's alarm going to ALARM; it returns the log.
func handleDemoAlarm(t *testing.T) (events.Outcome, string, error) {
	t.Helper()
	cf := commonFlags{snapshot: demoSnapshot, logLevel: "info"}
	var stderr bytes.Buffer
	env, err := cf.env(context.Background(), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	h, err := eventsHandler(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	changed := time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC)
	out, err := h.HandleAlarm(context.Background(), events.Alarm{Name: "checkout-api-5xx-high", State: "ALARM", Previous: "OK", Changed: changed, EventTime: changed})
	return out, stderr.String(), err
}

// The alarm-event handler (fa2 lambda, fa2 events) analyses through the
// same path and saves the draft too.
func TestAlarmEventsSaveAPostmortemDraft(t *testing.T) {
	fake := conversefake.New(t, scriptedModel)
	pointBedrockAt(t, fake)
	dir := t.TempDir()
	t.Setenv("FA2_KNOWLEDGE_DIR", dir)
	t.Setenv("FA2_KNOWLEDGE_SAVE_REPORTS", "true")
	t.Setenv("FA2_BEDROCK_MODEL_ID", "global.anthropic.claude-sonnet-4-6")
	out, logs, err := handleDemoAlarm(t)
	if err != nil {
		t.Fatalf("%v; log %s", err, logs)
	}
	if ds := drafts(t, dir); len(ds) != 1 {
		t.Fatalf("drafts %v; outcome %+v; log %s", ds, out, logs)
	}
}

// With slack.bot_token and slack.channel and no SNS topic, alarm events
// are posted to the channel through the Slack app.
func TestAlarmEventsPostToSlackWithoutSNS(t *testing.T) {
	api := newSlackAPI(t)
	t.Setenv("FA2_BEDROCK_MODEL_ID", "")
	t.Setenv("FA2_OUTPUT_SNS_TOPIC_ARN", "")
	t.Setenv("FA2_OUTPUT_S3_URI", "")
	t.Setenv("FA2_SLACK_BOT_TOKEN", "xoxb-1-2-events")
	t.Setenv("FA2_SLACK_CHANNEL", "C0ALARMS")
	t.Setenv("FA2_SLACK_API_URL", api.URL)
	out, logs, err := handleDemoAlarm(t)
	if err != nil || !out.Published {
		t.Fatalf("outcome %+v, err %v; log %s", out, err, logs)
	}
	posts := api.methods("chat.postMessage")
	if len(posts) != 1 || posts[0].Get("channel") != "C0ALARMS" || !strings.Contains(posts[0].Get("text"), "checkout-api-5xx-high") ||
		!strings.Contains(posts[0].Get("blocks"), "RegisterTaskDefinition") {
		t.Fatalf("posts %v", posts)
	}
	if strings.Contains(logs, "xoxb-1-2-events") || !strings.Contains(logs, "posted to Slack") {
		t.Errorf("log:\n%s", logs)
	}
}
