package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fa2/fa2/knowledge"
)

func TestSearchKnowledge(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "runbooks"), 0o755)
	os.WriteFile(filepath.Join(dir, "runbooks", "iam.md"), []byte("# IAM policy regressions\n\nAccessDeniedException on dynamodb:PutItem after a Terraform apply: restore the statement.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "runbooks", "secrets.md"), []byte("# シークレットのローテーション\n\nローテーション後にデータベースへの接続が拒否された場合、アプリケーションを再起動して新しいパスワードを読み込みます。\n"), 0o644)
	t.Cleanup(knowledge.CloseAll)
	env := snapshotEnv(t, smallSnapshot)
	env.Config.Knowledge.Dir = dir

	res := call(t, env, SearchKnowledge(), `{"query":"AccessDeniedException dynamodb:PutItem"}`)
	var out SearchKnowledgeOutput
	structured(t, res, &out)
	if res.IsError || len(out.Results) == 0 || out.Results[0].Path != "runbooks/iam.md" || out.Results[0].Title != "IAM policy regressions" {
		t.Fatalf("english: %s", text(res))
	}
	if !strings.Contains(text(res), "runbooks/iam.md") || !strings.Contains(out.Results[0].Passage, "**") {
		t.Errorf("text or passage: %s", text(res))
	}
	res = call(t, env, SearchKnowledge(), `{"query":"ローテーション 接続 拒否","limit":1}`)
	structured(t, res, &out)
	if res.IsError || len(out.Results) != 1 || out.Results[0].Path != "runbooks/secrets.md" {
		t.Errorf("japanese: %s", text(res))
	}
	res = call(t, env, SearchKnowledge(), `{"query":"kubernetes etcd quorum"}`)
	structured(t, res, &out)
	if res.IsError || len(out.Results) != 0 || out.Hint == "" {
		t.Errorf("no match should be an empty result with a hint: %s", text(res))
	}
	for args, want := range map[string]string{
		`{"query":"  "}`:           "query is empty",
		`{"query":"x","limit":99}`: "limit 99 is out of range",
	} {
		if res := call(t, env, SearchKnowledge(), args); !res.IsError || !strings.Contains(text(res), want) {
			t.Errorf("%s: %s", args, text(res))
		}
	}
	env.Config.Knowledge.Dir = ""
	if res := call(t, env, SearchKnowledge(), `{"query":"x"}`); !res.IsError || !strings.Contains(text(res), "knowledge.dir") {
		t.Errorf("not configured: %s", text(res))
	}
}
