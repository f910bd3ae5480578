package tools

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// AnalyzeFailureInput is the input of analyze_failure.
type AnalyzeFailureInput struct {
	Description string `json:"description,omitempty" jsonschema_description:"What is wrong, in words, or a question (e.g. checkout returns 5xx since 09:30)."`
	AlarmName   string `json:"alarm_name,omitempty" jsonschema_description:"The CloudWatch alarm to start from; its window is used when start/end are not given."`
	TimeRange
	Mode     string `json:"mode,omitempty" jsonschema:"enum=auto,enum=oneshot,enum=agent,enum=insight" jsonschema_description:"oneshot: one model call over the evidence; agent: the model also calls fa2's tools; insight: answer a question from metrics; auto (default): agent when the evidence leaves the cause open, insight for a question over a day-scale window with no alarm."`
	Language string `json:"language,omitempty" jsonschema:"enum=en,enum=ja" jsonschema_description:"Language of the report (default: the configuration's)."`
	MaxSteps int    `json:"max_steps,omitempty" jsonschema:"minimum=1,maximum=30" jsonschema_description:"Most model turns in agent mode (default: bedrock.agent.max_steps)."`
}

// AnalyzeFailureOutput is the result of analyze_failure.
type AnalyzeFailureOutput struct {
	Page
	*analysis.Report
}

// Text implements Result: the report as Markdown. A degraded report's
// warning moves above the title, so the calling assistant reads it first.
func (o *AnalyzeFailureOutput) Text() string {
	md := o.Report.Markdown()
	if banner := o.Report.DegradedBanner(); banner != "" {
		md = banner + strings.Replace(md, banner, "", 1)
	}
	return md
}

// Shrink drops the evidence bundle (the report cites it; investigate shows
// it whole), then the tool-call list.
func (o *AnalyzeFailureOutput) Shrink() bool {
	switch {
	case o.Report.Bundle != nil:
		o.Report.Bundle = nil
		return true
	case len(o.Report.ToolCalls) > 0:
		o.Report.ToolCalls = nil
		return true
	}
	return false
}

// AnalyzeFailure is the analyze_failure tool.
func AnalyzeFailure() Tool {
	t := New("analyze_failure", "Root-cause analysis with Amazon Bedrock",
		"Find the root cause of an incident with an LLM on Amazon Bedrock: investigates the alarm or description, then reasons over the evidence (and, in agent mode, calls fa2's tools) to a report with competing hypotheses, cited evidence, impact, timeline, actions and gaps. Each call invokes a Bedrock model and costs money.",
		analyzeFailure).WithAnnotations(Annotations{ReadOnly: true, OpenWorld: true})
	// It reads telemetry through the other tools, each of which needs
	// its own source; the model is what this tool needs, checked in
	// RunAnalysis with a message on how to configure it.
	t.Costly = true
	return t
}

func analyzeFailure(ctx context.Context, env *Env, in AnalyzeFailureInput) (*AnalyzeFailureOutput, error) {
	r, err := RunAnalysis(ctx, env, in)
	if err != nil {
		return nil, err
	}
	if r.Degraded != "" {
		// Not an error: the evidence-based answer is worth having, and its
		// first line says what it is. The calling assistant is a model
		// too, and can do the reasoning Bedrock could not.
		r.Notes = append(r.Notes, degradedAssistantNote)
	}
	return &AnalyzeFailureOutput{Report: r}, nil
}

// degradedAssistantNote tells the calling assistant what it can do with a
// degraded report.
const degradedAssistantNote = "Bedrock failed, so no model reasoned over this evidence. The calling assistant can: read the suspects and evidence above (investigate returns the whole bundle), test the top suspect with query_cloudtrail, query_logs, get_traces and select_metrics, and call analyze_failure again once the analysis gap is fixed."

// RunAnalysis investigates and analyses as analyze_failure does; `fa2
// analyze` calls it to print the whole report. Progress goes to the
// context's reporter (WithProgress).
func RunAnalysis(ctx context.Context, env *Env, in AnalyzeFailureInput) (*analysis.Report, error) {
	start := time.Now()
	switch in.Mode {
	case "", bedrock.ModeAuto, bedrock.ModeOneShot, bedrock.ModeAgent, bedrock.ModeInsight:
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "mode %q is not auto, oneshot, agent or insight.", in.Mode)
	}
	lang := in.Language
	if lang == "" {
		lang = env.Config.Language
	}
	if lang != "en" && lang != "ja" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "language %q is not en or ja.", in.Language)
	}
	if in.MaxSteps < 0 || in.MaxSteps > 30 {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "max_steps %d is out of range 1-30.", in.MaxSteps)
	}
	mode := in.Mode
	if mode == "" {
		mode = env.Config.Bedrock.Mode
	}
	if mode == bedrock.ModeInsight && strings.TrimSpace(in.Description) == "" {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "insight mode answers a question about metrics, and description is empty.").WithHint("Put the question in description, e.g. \"how did checkout latency change today?\".")
	}
	req, err := InvestigateRequest(ctx, env, InvestigateInput{AlarmName: in.AlarmName, Description: in.Description, TimeRange: in.TimeRange, Language: lang})
	if err != nil {
		return nil, err
	}
	client, err := env.BedrockClient(ctx)
	if err != nil {
		return nil, noModel(err)
	}
	progress := ProgressFrom(ctx)
	progress.Report(0, 0, "gathering evidence")
	b, bundleErr := investigate.Run(ctx, env.Sources, env.Config, req)
	if bundleErr != nil {
		if e, ok := telemetry.AsError(bundleErr); ok && (e.Kind == telemetry.KindInvalidInput || e.Kind == telemetry.KindNotFound) {
			return nil, bundleErr
		}
		if ctx.Err() != nil {
			return nil, bundleErr
		}
		env.Log.Warn().Err(bundleErr).Msg("investigation failed; the analysis starts from the tools alone")
		b = nil
	}
	var report *analysis.Report
	if mode == bedrock.ModeInsight || (mode == bedrock.ModeAuto && metricsQuestion(in, b)) {
		report, err = metricsInsight(ctx, env, client, in, b, lang)
	} else {
		budget := bedrock.BudgetFrom(env.Config.Bedrock.Agent)
		if in.MaxSteps > 0 {
			budget.MaxSteps = in.MaxSteps
		}
		report, err = client.Analyze(ctx, b, bedrock.Request{Question: in.Description, Alarm: in.AlarmName, Mode: mode, Language: lang,
			Architecture: env.Config.Architecture, Tools: AgentToolbox(env), Budget: budget, Progress: progress, BundleErr: bundleErr})
	}
	if err != nil {
		return nil, noModel(err)
	}
	// Wall time covers the investigation too: what the user waited for.
	report.Usage.WallMillis = time.Since(start).Milliseconds()
	SavePostmortem(env, report)
	return report, nil
}

// insightWindow is the window from which a question without an alarm is
// read as a question about metrics rather than an incident.
const insightWindow = 12 * time.Hour

// metricsQuestion: a description over a day-scale window with no alarm
// asks about metrics, not about a failure, when it is phrased as a
// question or nothing departed from its baseline.
func metricsQuestion(in AnalyzeFailureInput, b *investigate.Bundle) bool {
	d := strings.TrimSpace(in.Description)
	asked := strings.HasSuffix(d, "?") || strings.HasSuffix(d, "？")
	return in.AlarmName == "" && d != "" && b != nil &&
		b.Window.Duration() >= insightWindow && (b.Onset == nil || asked)
}

// metricsInsight answers a question from the metrics select_metrics picks
// for it over the window (the original's /insight).
func metricsInsight(ctx context.Context, env *Env, client *bedrock.Client, in AnalyzeFailureInput, b *investigate.Bundle, lang string) (*analysis.Report, error) {
	args := map[string]any{"question": in.Description, "max_metrics": 12}
	if b != nil && !b.Window.Start.IsZero() {
		args["start"], args["end"] = b.Window.Start.Format(time.RFC3339), b.Window.End.Format(time.RFC3339)
	} else {
		args["start"], args["end"] = in.Start, in.End
	}
	raw, _ := json.Marshal(args)
	ProgressFrom(ctx).Report(1, 0, "selecting metrics for the question")
	res, err := SelectMetrics().Call(ctx, env, raw)
	if err != nil {
		return nil, err
	}
	metrics := callText(res)
	if res.IsError {
		metrics = "select_metrics failed: " + metrics
	}
	ProgressFrom(ctx).Report(2, 0, "asking "+client.Model())
	return client.Insight(ctx, bedrock.InsightRequest{Question: in.Description, Language: lang, Architecture: env.Config.Architecture, Metrics: metrics, Bundle: b})
}

// LLMMetricSelector is select_metrics' selector when metrics.selector is
// llm: the fast Bedrock model picks, the ranking stands in when it cannot.
func LLMMetricSelector(env *Env) evidence.Selector {
	return bedrock.MetricSelector{Client: env.BedrockClient, Language: env.Config.Language, Architecture: env.Config.Architecture, Log: env.Log}
}

// noModel says what the calling assistant can do without Bedrock: it has
// the same evidence through investigate and can reason over it itself.
func noModel(err error) error {
	fallback := "The calling assistant can call investigate and reason over its evidence bundle itself, testing hypotheses with query_logs, get_traces, select_metrics and query_cloudtrail."
	var e *telemetry.Error
	if errors.As(err, &e) {
		out := telemetry.Errorf(e.Kind, "analyze_failure could not use Amazon Bedrock: %s", e.Msg)
		out.Err = e.Err
		hint := fallback
		if e.Hint != "" {
			hint = e.Hint + " " + fallback
		}
		if e.Kind == telemetry.KindUnsupported {
			hint = fallback + " To enable analysis: " + bedrock.ConfigureHint
		}
		return out.WithHint(hint)
	}
	return telemetry.Errorf(telemetry.KindUnavailable, "analyze_failure could not use Amazon Bedrock: %v.", err).WithHint(fallback + " " + bedrock.ConfigureHint)
}

// BedrockClient returns env.Model, or builds a client from the
// configuration; it fails when no model is configured.
func (env *Env) BedrockClient(ctx context.Context) (*bedrock.Client, error) {
	if env.Model != nil {
		return env.Model, nil
	}
	if env.Config == nil || env.Config.Bedrock.ModelID == "" {
		return nil, telemetry.Errorf(telemetry.KindUnsupported, "no Bedrock model is configured (bedrock.model_id is empty).")
	}
	return bedrock.Load(ctx, env.Config, env.Log)
}
