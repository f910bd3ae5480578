package bedrock

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

func candidates(n int) []evidence.Candidate {
	var out []evidence.Candidate
	for i := 0; i < n; i++ {
		out = append(out, evidence.Candidate{
			Stat:      telemetry.MetricStat{Metric: telemetry.Metric{Namespace: "AWS/X", MetricName: fmt.Sprintf("M%02d", i)}, Stat: "Sum"},
			TextScore: float64(n - i), // M00 ranks first
		})
	}
	return out
}

func TestLLMMetricSelectorPicksWhatTheModelSays(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Text: "```json\n[5, 2, 5, 99]\n```"}
	})
	c := newClient(t, fake)
	c.fastModel = "us.anthropic.claude-haiku-4-5"
	sel := MetricSelector{Client: func(context.Context) (*Client, error) { return c, nil }, Language: "en", Architecture: "ALB → ECS", Log: zerolog.Nop()}
	got, err := sel.Select(context.Background(), "why 5xx", candidates(10), 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Stat.Metric.MetricName != "M04" || got[1].Stat.Metric.MetricName != "M01" {
		t.Fatalf("picked %+v", got)
	}
	req := fake.Requests()[0]
	if req.ModelID != "us.anthropic.claude-haiku-4-5" || !strings.Contains(req.Text(), "5. AWS/X/M04") || !strings.Contains(req.Text(), "why 5xx") {
		t.Errorf("request to %s:\n%s", req.ModelID, req.Text())
	}
}

func TestLLMMetricSelectorFallsBackToRanking(t *testing.T) {
	fake := conversefake.New(t, func(call int, req *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Err: &conversefake.Error{Status: 403, Type: "AccessDeniedException", Msg: "no access"}}
	})
	c := newClient(t, fake)
	sel := MetricSelector{Client: func(context.Context) (*Client, error) { return c, nil }, Log: zerolog.Nop()}
	got, err := sel.Select(context.Background(), "why 5xx", candidates(10), 3)
	if err != nil || len(got) != 3 || got[0].Stat.Metric.MetricName != "M00" {
		t.Fatalf("%v %+v", err, got)
	}
}
