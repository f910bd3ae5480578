package tools

import (
	"context"
	"errors"
	"fmt"
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
	Mode     string `json:"mode,omitempty" jsonschema:"enum=auto,enum=oneshot,enum=agent" jsonschema_description:"oneshot: one model call over the evidence; agent: the model also calls fa2's tools; auto (default): agent when the evidence leaves the cause open."`
	Language string `json:"language,omitempty" jsonschema:"enum=en,enum=ja" jsonschema_description:"Language of the report (default: the configuration's)."`
	MaxSteps int    `json:"max_steps,omitempty" jsonschema:"minimum=1,maximum=30" jsonschema_description:"Most model turns in agent mode (default: bedrock.agent.max_steps)."`
}

// AnalyzeFailureOutput is the result of analyze_failure.
type AnalyzeFailureOutput struct {
	Page
	*analysis.Report
}

// Text implements Result: the report as Markdown.
func (o *AnalyzeFailureOutput) Text() string { return o.Report.Markdown() }

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
		analyzeFailure)
	t.Costly = true
	return t
}

func analyzeFailure(ctx context.Context, env *Env, in AnalyzeFailureInput) (*AnalyzeFailureOutput, error) {
	r, err := RunAnalysis(ctx, env, in)
	if err != nil {
		return nil, err
	}
	return &AnalyzeFailureOutput{Report: r}, nil
}

// RunAnalysis investigates and analyses as analyze_failure does; `fa2
// analyze` calls it to print the whole report. Progress goes to the
// context's reporter (WithProgress).
func RunAnalysis(ctx context.Context, env *Env, in AnalyzeFailureInput) (*analysis.Report, error) {
	start := time.Now()
	switch in.Mode {
	case "", bedrock.ModeAuto, bedrock.ModeOneShot, bedrock.ModeAgent:
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "mode %q is not auto, oneshot or agent.", in.Mode)
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
	var window telemetry.Window
	if in.Start != "" || in.End != "" {
		w, err := in.Window(env)
		if err != nil {
			return nil, err
		}
		window = w
	}
	client, err := env.BedrockClient(ctx)
	if err != nil {
		return nil, noModel(err)
	}
	progress := ProgressFrom(ctx)
	progress.Report(0, 0, "gathering evidence")
	b, bundleErr := investigate.Run(ctx, env.Sources, env.Config, investigate.Request{
		AlarmName: in.AlarmName, Description: in.Description, Window: window, Language: lang, Progress: progress})
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
	budget := bedrock.BudgetFrom(env.Config.Bedrock.Agent)
	if in.MaxSteps > 0 {
		budget.MaxSteps = in.MaxSteps
	}
	mode := in.Mode
	if mode == "" {
		mode = env.Config.Bedrock.Mode
	}
	question := in.Description
	if question == "" && in.AlarmName != "" {
		question = fmt.Sprintf("Why did the alarm %s fire, and what should we do?", in.AlarmName)
	}
	report, err := client.Analyze(ctx, b, bedrock.Request{Question: question, Mode: mode, Language: lang,
		Architecture: env.Config.Architecture, Tools: AgentToolbox(env), Budget: budget, Progress: progress, BundleErr: bundleErr})
	if err != nil {
		return nil, noModel(err)
	}
	// Wall time covers the investigation too: what the user waited for.
	report.Usage.WallMillis = time.Since(start).Milliseconds()
	return report, nil
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
