package knowledge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runbooks is a small knowledge folder: English and Japanese runbooks,
// a post-mortem with front matter, and files that must not be indexed.
func runbooks(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, dir, "runbooks/dynamodb-access-denied.md", "# DynamoDB AccessDenied after an IAM change\n\nWhen writes fail with AccessDeniedException and the message says the role is not authorized to perform dynamodb:PutItem, compare the role's inline policy with the last Terraform apply. Restore the statement and re-run the apply.\n")
	writeFile(t, dir, "runbooks/alb-5xx.md", "# ALB target 5xx\n\nCheck the target group's unhealthy hosts, then the application logs of the failing targets. Timeouts to the database usually show as connection pool exhaustion.\n")
	writeFile(t, dir, "runbooks/redis-timeout-ja.md", "# Redis 接続タイムアウト\n\nセッション用の ElastiCache に接続できない場合、セキュリティグループのインバウンドルールを確認してください。ポート 6379 がアプリケーションのセキュリティグループから許可されている必要があります。\n")
	writeFile(t, dir, "postmortems/2026-10-02-secret-rotation.md", "---\ntitle: \"Billing worker stopped after secret rotation\"\nalarm: invoice-jobs-backlog\n---\n\nThe scheduled rotation changed the MySQL password; the worker kept the old one and failed with Access denied for user 'billing_app'.\n")
	writeFile(t, dir, "notes.txt", "Lambda throttles: reserved concurrency set to zero stops every invocation before it runs.\n")
	writeFile(t, dir, "diagram.png", "not text")
	writeFile(t, dir, ".git/config", "# Redis 接続タイムアウト AccessDenied")
	return dir
}

func TestLocalSearchEnglish(t *testing.T) {
	l, err := NewLocal(runbooks(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if n := l.Documents(); n != 5 {
		t.Errorf("%d documents indexed, want 5 (no .png, nothing under .git)", n)
	}
	res, err := l.Search(context.Background(), "not authorized to perform dynamodb:PutItem", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) == 0 || res[0].Path != "runbooks/dynamodb-access-denied.md" || res[0].Title != "DynamoDB AccessDenied after an IAM change" {
		t.Fatalf("results: %+v", res)
	}
	if !strings.Contains(res[0].Passage, "**") || res[0].Score <= 0 || res[0].Source != "local" {
		t.Errorf("best result %+v: want a highlighted passage and a score", res[0])
	}
	// Stemming: "throttled" finds "throttles"; front matter gives the title.
	res, _ = l.Search(context.Background(), "function throttled", 1)
	if len(res) != 1 || res[0].Path != "notes.txt" {
		t.Errorf("throttled: %+v", res)
	}
	res, _ = l.Search(context.Background(), "secret rotation access denied billing_app", 1)
	if len(res) != 1 || res[0].Title != "Billing worker stopped after secret rotation" {
		t.Errorf("post-mortem: %+v", res)
	}
	if _, err := l.Search(context.Background(), "  ", 3); err == nil {
		t.Error("an empty query was accepted")
	}
}

func TestLocalSearchJapanese(t *testing.T) {
	l, err := NewLocal(runbooks(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, q := range []string{"接続タイムアウト", "セキュリティグループ", "インバウンドルールの確認"} {
		res, err := l.Search(context.Background(), q, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) == 0 || res[0].Path != "runbooks/redis-timeout-ja.md" {
			t.Errorf("%s: %+v", q, res)
			continue
		}
		if !strings.Contains(res[0].Passage, "**") {
			t.Errorf("%s: passage without a highlight: %q", q, res[0].Passage)
		}
	}
	// A Japanese query that shares no bigram with any document finds nothing.
	if res, _ := l.Search(context.Background(), "請求書", 2); len(res) != 0 {
		t.Errorf("unrelated Japanese query matched %+v", res)
	}
}

func TestLocalReindexesChangedFiles(t *testing.T) {
	dir := runbooks(t)
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	l.RefreshEvery = 0
	ctx := context.Background()
	if res, _ := l.Search(ctx, "kinesis iterator age", 3); len(res) != 0 {
		t.Fatalf("matched before the runbook exists: %+v", res)
	}
	writeFile(t, dir, "runbooks/kinesis.md", "# Kinesis consumer lag\n\nWhen the iterator age grows, check the consumer's errors.\n")
	if res, _ := l.Search(ctx, "kinesis iterator age", 3); len(res) == 0 || res[0].Path != "runbooks/kinesis.md" {
		t.Fatalf("new file not found: %+v", res)
	}
	// A changed file is searched in its new version (same size, new time).
	writeFile(t, dir, "runbooks/kinesis.md", "# Kinesis producer lag\n\nWhen the putrecord rate drops, check the producer errors!\n")
	future := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, "runbooks/kinesis.md"), future, future)
	if res, _ := l.Search(ctx, "putrecord", 3); len(res) == 0 || res[0].Title != "Kinesis producer lag" {
		t.Errorf("changed file not re-indexed: %+v", res)
	}
	if res, _ := l.Search(ctx, "iterator", 3); len(res) != 0 {
		t.Errorf("old text still found: %+v", res)
	}
	os.Remove(filepath.Join(dir, "runbooks/kinesis.md"))
	if res, _ := l.Search(ctx, "putrecord", 3); len(res) != 0 {
		t.Errorf("removed file still found: %+v", res)
	}
	// With a refresh interval, a search within it does not walk the folder.
	l.RefreshEvery = time.Hour
	l.Refresh()
	writeFile(t, dir, "runbooks/sqs.md", "# SQS dead letters\n")
	if res, _ := l.Search(ctx, "dead letters", 3); len(res) != 0 {
		t.Errorf("walked the folder within RefreshEvery: %+v", res)
	}
	if n, _ := l.Refresh(); n != 1 {
		t.Errorf("Refresh found %d changes, want 1", n)
	}
}

func TestNewLocalNamesAMissingFolder(t *testing.T) {
	if _, err := NewLocal("/does/not/exist"); err == nil || !strings.Contains(err.Error(), "knowledge.dir /does/not/exist") {
		t.Errorf("err = %v", err)
	}
}
