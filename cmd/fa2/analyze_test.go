package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fa2/fa2/bedrock/conversefake"
)

// scriptedModel investigates like a careful model would: first it reads
// alarms, log patterns and changes in one turn, then it answers, citing the
// evidence ids it was shown and its own tool calls.
func scriptedModel(call int, req *conversefake.Request) conversefake.Reply {
	if req.ToolConfig != nil && len(req.Messages) == 1 {
		return conversefake.Reply{Text: "I will check the alarms, the error patterns and recent changes.", ToolUses: []conversefake.ToolUse{
			{ToolUseID: "tooluse_1", Name: "get_alarms", Input: json.RawMessage(`{}`)},
			{ToolUseID: "tooluse_2", Name: "query_logs", Input: json.RawMessage(`{"mode":"patterns"}`)},
			{ToolUseID: "tooluse_3", Name: "query_cloudtrail", Input: json.RawMessage(`{}`)},
		}}
	}
	cites := []string{"T2", "T3"}
	// Evidence ids come from the bundle only, not from the format example.
	if m := regexp.MustCompile("(?s)```+telemetry\n(.*?)\n```").FindStringSubmatch(req.Text()); m != nil {
		if ids := regexp.MustCompile(`\bE[0-9]+\b`).FindAllString(m[1], 2); len(ids) > 0 {
			cites = append(ids, cites...)
		}
	}
	c, _ := json.Marshal(cites)
	return conversefake.Reply{Text: "```json\n" + fmt.Sprintf(`{
 "title": "checkout-api fails after task definition checkout-api:42",
 "summary": "checkout-api returns 5xx since the deploy of revision 42.",
 "root_cause": {"text": "Revision 42 changed how checkout-api reaches its database.", "confidence": "medium", "severity": "high", "citations": %s},
 "hypotheses": [
  {"title": "The deploy of revision 42", "status": "supported", "supporting": ["T3"], "contradicting": [], "reasoning": "errors begin after the deploy"},
  {"title": "Database overload", "status": "refuted", "supporting": [], "contradicting": ["T1"], "reasoning": "no DB alarm fired"}
 ],
 "impact": {"users": "checkout fails", "business": "orders lost"},
 "timeline": [{"time": "2026-11-20T09:30:00Z", "text": "deploy", "citations": ["T3"]}],
 "actions": {"mitigate": ["roll back to revision 41"], "fix": ["correct the task definition"], "prevent": ["canary deploys"]},
 "gaps": [],
 "reproduce": [{"what": "errors", "kind": "logs_insights", "text": "fields @timestamp, @message | filter @message like /ERROR/"}]
}`, c) + "\n```"}
}

func pointBedrockAt(t *testing.T, fake *conversefake.Server) {
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.URL)
	t.Setenv("AWS_REGION", "us-east-1")
	offlineAWS(t)
}

// offlineAWS gives the SDK static test credentials and nothing from this
// machine: no config or credentials files, no instance metadata.
func offlineAWS(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestAnalyzeDemoPrintsACompleteReport(t *testing.T) {
	fake := conversefake.New(t, scriptedModel)
	pointBedrockAt(t, fake)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--description", "checkout returns 5xx", "--mode", "agent"}, nil, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if rej := fake.Rejected(); len(rej) > 0 {
		t.Fatalf("Bedrock would reject: %v", rej)
	}
	out := stdout.String()
	if testing.Verbose() {
		t.Log("\n" + out)
	}
	for _, want := range []string{"# checkout-api fails after task definition checkout-api:42", "## Summary", "## Root cause", "**confidence:** medium",
		"## Competing hypotheses", "Database overload** — refuted", "## Impact", "## Timeline", "## Actions", "roll back to revision 41",
		"## Gaps", "## Reproduce by hand", "fa2 run query_logs --json '{\"mode\":\"patterns\"}'", "## Tool calls", "**T3** `query_cloudtrail`", "2 model calls"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "unverified") {
		t.Errorf("a citation was not verified:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "step 1/12: T1 get_alarms") || strings.Contains(out, "step 1/12") {
		t.Errorf("progress belongs on stderr: %s", stderr.String())
	}
	// The model saw the architecture from the snapshot manifest and the
	// demo's own telemetry through the tools.
	second := fake.Requests()[1]
	if !strings.Contains(*second.System[0].Text, "Public ALB prod-web") || !strings.Contains(second.Text(), "checkout") {
		t.Error("the manifest's architecture or the tool results did not reach the model")
	}
}

func TestAnalyzeJSONCarriesUsage(t *testing.T) {
	fake := conversefake.New(t, scriptedModel)
	pointBedrockAt(t, fake)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--description", "checkout returns 5xx", "--format", "json", "--language", "ja"}, nil, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var r struct {
		Language string `json:"language"`
		Usage    struct {
			ModelCalls   int   `json:"model_calls"`
			InputTokens  int   `json:"input_tokens"`
			OutputTokens int   `json:"output_tokens"`
			ModelMillis  int64 `json:"model_ms"`
			WallMillis   int64 `json:"wall_ms"`
		} `json:"usage"`
		RootCause struct {
			Confidence string `json:"confidence"`
		} `json:"root_cause"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	if r.Language != "ja" || r.Usage.ModelCalls < 1 || r.Usage.InputTokens == 0 || r.Usage.OutputTokens == 0 || r.RootCause.Confidence != "medium" {
		t.Fatalf("%+v", r)
	}
	if !strings.Contains(*fake.Requests()[0].System[0].Text, "シニア SRE") {
		t.Error("--language ja did not reach the prompt")
	}
	// The figures the closing note quotes.
	t.Logf("demo, scripted model: %d model calls, %d input / %d output tokens, wall %d ms of which model %d ms",
		r.Usage.ModelCalls, r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.WallMillis, r.Usage.ModelMillis)
}

func TestAnalyzeErrors(t *testing.T) {
	fake := conversefake.New(t, func(int, *conversefake.Request) conversefake.Reply {
		return conversefake.Reply{Err: &conversefake.Error{Status: 403, Type: "AccessDeniedException", Msg: "You don't have access to the model with the specified model ID."}}
	})
	pointBedrockAt(t, fake)
	var stdout, stderr bytes.Buffer
	// A denied model still leaves the evidence: a degraded report, exit 3.
	if code := run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--mode", "oneshot"}, nil, &stdout, &stderr); code != 3 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stderr.String(), "Bedrock denied access") || !strings.Contains(stdout.String(), "Amazon Bedrock console") {
		t.Errorf("stderr %s / stdout %s", stderr.String(), stdout.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--format", "pdf"}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "markdown or json") {
		t.Errorf("bad --format: %d %s", code, stderr.String())
	}
}

func TestAnalyzeOutWritesTheReportSet(t *testing.T) {
	fake := conversefake.New(t, scriptedModel)
	pointBedrockAt(t, fake)
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--description", "checkout returns 5xx", "--mode", "agent", "--out", dir}, nil, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	md, err := os.ReadFile(dir + "/report.md")
	if err != nil {
		t.Fatal(err)
	}
	// The model's report, then the bundle's charts and the diagram.
	for _, want := range []string{"# checkout-api fails after task definition checkout-api:42", "## Charts", "```mermaid", "diagram.png"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, f := range []string{"report.pdf", "diagram.png", "chart-1-httpcode-target-5xx-count.png"} {
		if _, err := os.Stat(dir + "/" + f); err != nil {
			t.Errorf("--out did not write %s", f)
		}
	}
}

// chaoticModel calls every tool it is offered at once, then the same calls
// again plus a tool that does not exist, and never stops on its own: every
// request it gets must still be one Bedrock accepts, and the budget must
// force an answer, which it gives as prose citing an id that does not exist.
func chaoticModel(call int, req *conversefake.Request) conversefake.Reply {
	if req.ToolConfig == nil {
		return conversefake.Reply{Text: "It was probably the network (E999)."}
	}
	if strings.Contains(req.Text(), "No more tool calls will run") {
		return conversefake.Reply{Text: "It was probably the network (E999), see T1."}
	}
	var uses []conversefake.ToolUse
	for i, name := range req.ToolNames() {
		uses = append(uses, conversefake.ToolUse{ToolUseID: fmt.Sprintf("tooluse_%d_%d", call, i), Name: name, Input: json.RawMessage(`{}`)})
	}
	uses = append(uses, conversefake.ToolUse{ToolUseID: fmt.Sprintf("tooluse_%d_x", call), Name: "aws.delete_everything", Input: json.RawMessage(`{"really":true}`)})
	return conversefake.Reply{Text: "Looking at everything.", ToolUses: uses}
}

func TestAnalyzeEveryIncidentWithAChaoticModel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every incident")
	}
	dirs, _ := filepath.Glob("../../examples/incidents/*/manifest.json")
	if len(dirs) == 0 {
		t.Skip("no incident fixtures")
	}
	for _, m := range dirs {
		dir := filepath.Dir(m)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			fake := conversefake.New(t, chaoticModel)
			pointBedrockAt(t, fake)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"analyze", "--snapshot", dir, "--mode", "agent", "--max-steps", "2"}, nil, &stdout, &stderr)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if rej := fake.Rejected(); len(rej) > 0 {
				t.Fatalf("Bedrock would reject: %v", rej)
			}
			out := stdout.String()
			if testing.Verbose() && strings.Contains(dir, "rotated") {
				t.Log("\n" + out)
			}
			for _, want := range []string{"## Summary", "probably the network", "E999 ⚠unverified", "step budget (2 turns) ran out", "## Tool calls", "(not run)"} {
				if !strings.Contains(out, want) {
					t.Errorf("report lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// metrics.selector: llm wires the fast model into select_metrics.
func TestLLMMetricSelectorIsWired(t *testing.T) {
	fake := conversefake.New(t, conversefake.Sequence(conversefake.Reply{Text: "```json\n[2, 1]\n```"}))
	pointBedrockAt(t, fake)
	t.Setenv("FA2_METRICS_SELECTOR", "llm")
	t.Setenv("FA2_BEDROCK_FAST_MODEL_ID", "us.anthropic.claude-haiku-4-5-20251001-v1:0")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "select_metrics", "--snapshot", demoSnapshot, "--json", `{"question":"checkout returns 5xx","max_metrics":2}`}, nil, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].ModelID != "us.anthropic.claude-haiku-4-5-20251001-v1:0" {
		t.Fatalf("requests %+v", reqs)
	}
	if strings.Count(stdout.String(), "picked by the model for the question") != 2 {
		t.Errorf("the model's picks are not the result:\n%s", stdout.String())
	}
}

func TestAnalyzeWithoutCredentialsSaysSo(t *testing.T) {
	fake := conversefake.New(t, conversefake.Sequence(conversefake.Reply{Text: "unreachable"}))
	pointBedrockAt(t, fake)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"analyze", "--snapshot", demoSnapshot, "--mode", "oneshot"}, nil, &stdout, &stderr); code != 3 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stderr.String(), "no AWS credentials to call Bedrock") || len(fake.Requests()) != 0 {
		t.Errorf("%s (%d requests)", stderr.String(), len(fake.Requests()))
	}
}

// Bedrock denies the model: fa2 analyze still prints a report, the notice
// right under its title, says so on stderr in one line, and exits 3 so scripts
// can tell it from the model's analysis (0) and from nothing (1).
func TestAnalyzeDegradedReportExitsThree(t *testing.T) {
	fake := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, scriptedModel))
	pointBedrockAt(t, fake)
	code, out, errOut := runCLI(t, "analyze", "--snapshot", demoSnapshot, "--description", "checkout returns 5xx", "--mode", "oneshot")
	if code != exitDegraded || exitDegraded != 3 {
		t.Fatalf("exit %d, want 3: %s", code, errOut)
	}
	if !strings.Contains(strings.SplitN(out, "\n## ", 2)[0], "> **⚠ Degraded report") || !strings.Contains(out, "## Root cause") || !strings.Contains(out, "**analysis**:") {
		t.Errorf("stdout is not the degraded report:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "fa2 analyze: degraded: ") || !strings.Contains(last, "(exit 3): Bedrock denied access to model") {
		t.Errorf("stderr's last line: %q", last)
	}

	code, out, _ = runCLI(t, "analyze", "--snapshot", demoSnapshot, "--description", "checkout returns 5xx", "--mode", "oneshot", "--format", "json", "--language", "ja")
	var r struct {
		Degraded  string `json:"degraded"`
		RootCause struct {
			Confidence string `json:"confidence"`
		} `json:"root_cause"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 3 {
		t.Fatalf("exit %d, JSON %v:\n%s", code, err, out)
	}
	if !strings.HasPrefix(r.Degraded, "【縮退レポート】") || r.RootCause.Confidence != "low" {
		t.Errorf("JSON: %+v", r)
	}
}

func TestAnalyzeHelpDocumentsTheExitStatus(t *testing.T) {
	_, _, errOut := runCLI(t, "analyze", "--help")
	if !strings.Contains(errOut, "Exit status:") || !strings.Contains(errOut, "  3  the model failed") {
		t.Errorf("help:\n%s", errOut)
	}
}
