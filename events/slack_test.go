package events

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/fa2/fa2/analysis"
)

// slackChat is a Slack Web API that records chat.postMessage and answers
// with reply (an error code, or "" for ok).
type slackChat struct {
	mu    sync.Mutex
	posts []url.Values
	reply string
}

func (s *slackChat) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/chat.postMessage" {
			io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
			return
		}
		r.ParseForm()
		s.mu.Lock()
		s.posts = append(s.posts, r.PostForm)
		s.mu.Unlock()
		if s.reply != "" {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, s.reply)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1796094700.000100"}`, r.PostForm.Get("channel"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The notification SNS would carry is posted to the channel as Block Kit,
// with Markdown bold and links in Slack's own syntax.
func TestSlackPublisherPostsTheNotification(t *testing.T) {
	chat := &slackChat{}
	srv := chat.server(t)
	p := SlackPublisher{API: slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/")), Channel: "C0ALARMS"}
	a := Alarm{Name: "checkout-api-5xx-high", State: "ALARM", Previous: "OK", Changed: time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC)}
	rep := &analysis.Report{Title: "checkout-api cannot log in to its database", Summary: "The **deploy** of checkout-api:42 points at the staging secret.",
		RootCause: analysis.RootCause{Text: "task definition checkout-api:42", Confidence: "high"}, Actions: analysis.Actions{Mitigate: []string{"Roll back to checkout-api:41"}}}
	n := BuildNotification(a, rep, nil, nil, []Link{{Name: "report.md", URL: "https://bucket.s3.amazonaws.com/report.md?X-Amz-Signature=abc"}}, nil)
	msg, _ := json.Marshal(n)
	if err := p.Publish(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if len(chat.posts) != 1 {
		t.Fatalf("%d posts", len(chat.posts))
	}
	post := chat.posts[0]
	if post.Get("channel") != "C0ALARMS" || post.Get("text") != "fa2: checkout-api cannot log in to its database" {
		t.Errorf("channel %q text %q", post.Get("channel"), post.Get("text"))
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(post.Get("blocks")), &blocks); err != nil || len(blocks) < 3 || blocks[0]["type"] != "header" {
		t.Fatalf("blocks %s (%v)", post.Get("blocks"), err)
	}
	all := post.Get("blocks")
	for _, want := range []string{"The *deploy* of checkout-api:42", "\\u003chttps://bucket.s3.amazonaws.com/report.md?X-Amz-Signature=abc|full report\\u003e", "Next steps", "Roll back to checkout-api:41", "high confidence"} {
		if !strings.Contains(all, want) {
			t.Errorf("blocks lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "**deploy**") || strings.Contains(all, "](https://") {
		t.Errorf("Markdown left unconverted:\n%s", all)
	}
}

// A channel the app is not in is an error that says what to do, so the
// delivery is retried and the log explains.
func TestSlackPublisherSaysWhatToFix(t *testing.T) {
	chat := &slackChat{reply: "not_in_channel"}
	srv := chat.server(t)
	p := SlackPublisher{API: slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/")), Channel: "C0ALARMS"}
	msg, _ := json.Marshal(BuildNotification(Alarm{Name: "a", State: "ALARM"}, nil, nil, nil, nil, nil))
	err := p.Publish(context.Background(), msg)
	if err == nil || !strings.Contains(err.Error(), "C0ALARMS") || !strings.Contains(err.Error(), "Invite the fa2 app") {
		t.Fatalf("error %v", err)
	}
	if err := p.Publish(context.Background(), []byte("{not json")); err == nil {
		t.Error("a broken notification was accepted")
	}
}

func TestChunksCutAtLines(t *testing.T) {
	s := strings.Repeat("abcdefghi\n", 10) // 100 bytes
	cs := chunks(s, 35)
	if len(cs) != 4 || cs[0] != strings.Repeat("abcdefghi\n", 3)[:29] {
		t.Fatalf("chunks %q", cs)
	}
	for _, c := range cs {
		if len(c) > 35 {
			t.Errorf("chunk of %d bytes", len(c))
		}
	}
	if cs := chunks(strings.Repeat("日本", 20), 10); strings.Join(cs, "") != strings.Repeat("日本", 20) {
		t.Errorf("multibyte text cut inside a character: %q", cs)
	}
}
