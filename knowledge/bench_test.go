package knowledge

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// corpus writes n runbooks and post-mortems, a quarter in Japanese, of
// about 2 KB each, from a vocabulary of AWS failure terms.
func corpus(b *testing.B, n int) string {
	dir := b.TempDir()
	r := rand.New(rand.NewSource(1))
	en := strings.Fields("lambda dynamodb throttling timeout connection refused security group ingress rotation secret password deploy rollback task definition alarm latency p99 queue backlog iam policy denied putitem getitem autoscaling capacity desired count health check target unhealthy certificate expired dns resolution nat gateway memory leak cpu saturation retries exponential backoff circuit breaker")
	ja := []string{"接続", "タイムアウト", "権限", "拒否", "デプロイ", "ロールバック", "遅延", "スロットリング", "セキュリティグループ", "ローテーション", "パスワード", "キュー", "滞留", "メモリ", "枯渇", "再起動", "証明書", "期限切れ"}
	for i := 0; i < n; i++ {
		var sb strings.Builder
		japanese := i%4 == 0
		fmt.Fprintf(&sb, "# Runbook %d: ", i)
		for w := 0; w < 300; w++ {
			if japanese {
				sb.WriteString(ja[r.Intn(len(ja))])
				if w%8 == 7 {
					sb.WriteString("。\n")
				}
			} else {
				sb.WriteString(en[r.Intn(len(en))] + " ")
				if w%12 == 11 {
					sb.WriteString(".\n")
				}
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("team%d", i%10), fmt.Sprintf("doc-%04d.md", i))
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte(sb.String()), 0o644)
	}
	return dir
}

// BenchmarkSearch1000Docs is the latency of one search over 1,000
// documents (about 2 MB), index built; the folder walk that notices
// changed files runs at most every RefreshEvery and is measured apart:
//
//	go test ./knowledge -run '^$' -bench 'Search1000|Index1000' -benchmem
func BenchmarkSearch1000Docs(b *testing.B) {
	for _, c := range []struct {
		name    string
		refresh time.Duration
	}{{"cached", time.Hour}, {"walk-every-search", 0}} {
		b.Run(c.name, func(b *testing.B) {
			l, err := NewLocal(corpus(b, 1000))
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			l.RefreshEvery = c.refresh
			queries := []string{"dynamodb putitem denied", "security group ingress timeout", "接続 タイムアウト", "secret rotation password", "スロットリング 遅延"}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := l.Search(context.Background(), queries[i%len(queries)], 5)
				if err != nil || len(res) == 0 {
					b.Fatal(err, res)
				}
			}
		})
	}
}

// BenchmarkIndex1000Docs is the time to index 1,000 documents from scratch.
func BenchmarkIndex1000Docs(b *testing.B) {
	dir := corpus(b, 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := NewLocal(dir)
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}
