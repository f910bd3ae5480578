package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/slack-go/slack"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/collectors/awslive"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/slackbridge"
	"github.com/fa2/fa2/telemetry"
	"github.com/fa2/fa2/tools"
)

// cmdSlack runs the Slack bridge: Socket Mode by default, the Events API
// over HTTP with --http.
func cmdSlack(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 slack", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	httpAddr := fs.String("http", "", "serve the Events API at `ADDR` (POST /slack/events, GET /healthz) instead of Socket Mode")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: fa2 slack [--http ADDR] [--snapshot DIR] [flags]

Runs the Slack bridge. AWS Chatbot / Amazon Q Developer alarm notifications
become investigations in their thread; /fa2 opens a form. Socket Mode (the
default) needs slack.bot_token and slack.app_token and no public endpoint;
--http needs slack.bot_token and slack.signing_secret. Tokens may be
aws-secretsmanager:NAME references. See deploy/slack/manifest.yaml.

Flags:
`)
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	cfg, log := env.Config, env.Log

	// AWS is needed only for secret references and DynamoDB sessions; a
	// snapshot demo with tokens in the environment needs no account.
	var awsCfg *aws.Config
	needAWS := func() (aws.Config, error) {
		if awsCfg == nil {
			c, err := awslive.LoadAWSConfig(ctx, cfg)
			if err != nil {
				return aws.Config{}, err
			}
			awsCfg = &c
		}
		return *awsCfg, nil
	}
	if err := resolveSlackSecrets(ctx, cfg, needAWS); err != nil {
		return fail(stderr, err)
	}
	if err := checkSlackSettings(cfg, *httpAddr != ""); err != nil {
		return fail(stderr, err)
	}
	opts := []slack.Option{}
	if cfg.Slack.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimSuffix(cfg.Slack.APIURL, "/")+"/"))
	}
	api := slack.New(cfg.Slack.BotToken, opts...)
	checkCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	auth, err := slackbridge.CheckBotToken(checkCtx, api, cfg.Slack.BotToken)
	cancel()
	if err != nil {
		return fail(stderr, err)
	}
	store, err := openSessions(ctx, cfg, needAWS)
	if err != nil {
		return fail(stderr, err)
	}
	defer store.Close()

	engine := &slackEngine{env: env}
	if cfg.Bedrock.ModelID != "" {
		if engine.model, err = env.BedrockClient(ctx); err != nil {
			return fail(stderr, err)
		}
		env.Model = engine.model
	}
	bridge, err := slackbridge.New(slackbridge.Options{Config: cfg, Engine: engine, Store: store, API: api, Log: log, BotUserID: auth.UserID})
	if err != nil {
		return fail(stderr, err)
	}
	log.Info().Str("team", auth.Team).Str("bot", auth.User).Str("source", env.Sources.Name).Str("sessions", cfg.Sessions.Backend).Msg("fa2 slack started")
	if engine.model == nil {
		log.Info().Msg("analysis is not enabled: threads get the evidence bundle; set bedrock.model_id for root-cause reports")
	}

	var runErr error
	if *httpAddr != "" {
		runErr = serveSlackHTTP(ctx, *httpAddr, bridge, cfg.Slack.SigningSecret, log.Info().Str("addr", *httpAddr))
	} else {
		appOpts := append([]slack.Option{slack.OptionAppLevelToken(cfg.Slack.AppToken)}, opts...)
		runErr = bridge.RunSocketMode(ctx, slack.New(cfg.Slack.BotToken, appOpts...))
	}
	// Tell running investigations they were interrupted, within a bound.
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := bridge.Shutdown(shutCtx); err != nil {
		log.Warn().Err(err).Msg("shutdown")
	}
	if runErr != nil {
		return fail(stderr, runErr)
	}
	return 0
}

type infoEvent interface{ Msg(string) }

// serveSlackHTTP serves the Events API until ctx ends.
func serveSlackHTTP(ctx context.Context, addr string, bridge *slackbridge.Bridge, secret string, started infoEvent) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--http %s: %w", addr, err)
	}
	srv := &http.Server{Handler: bridge.HTTPHandler(secret), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	started.Msg("serving Slack events at POST /slack/events")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// resolveSlackSecrets replaces aws-secretsmanager: references with the
// secrets, once, at start.
func resolveSlackSecrets(ctx context.Context, cfg *config.Config, needAWS func() (aws.Config, error)) error {
	var sm slackbridge.SecretsAPI
	for _, s := range []struct {
		key string
		v   *string
	}{{"slack.bot_token", &cfg.Slack.BotToken}, {"slack.app_token", &cfg.Slack.AppToken}, {"slack.signing_secret", &cfg.Slack.SigningSecret}} {
		if !strings.HasPrefix(*s.v, slackbridge.SecretPrefix) {
			continue
		}
		if sm == nil {
			c, err := needAWS()
			if err != nil {
				return fmt.Errorf("%s references Secrets Manager, but AWS is not configured: %w", s.key, err)
			}
			sm = secretsmanager.NewFromConfig(c)
		}
		v, err := slackbridge.ResolveSecret(ctx, sm, s.key, *s.v)
		if err != nil {
			return err
		}
		*s.v = v
	}
	return nil
}

// checkSlackSettings names the settings a mode needs, never their values.
func checkSlackSettings(cfg *config.Config, overHTTP bool) error {
	var missing []string
	need := func(key, v string) {
		if v == "" {
			missing = append(missing, fmt.Sprintf("%s (%s)", key, config.EnvName(key)))
		}
	}
	need("slack.bot_token", cfg.Slack.BotToken)
	if overHTTP {
		need("slack.signing_secret", cfg.Slack.SigningSecret)
	} else {
		need("slack.app_token", cfg.Slack.AppToken)
	}
	if len(missing) > 0 {
		mode := "Socket Mode"
		if overHTTP {
			mode = "--http"
		}
		return fmt.Errorf("fa2 slack with %s needs %s; see deploy/slack/manifest.yaml and the README's Slack section", mode, strings.Join(missing, " and "))
	}
	if !strings.HasPrefix(cfg.Slack.BotToken, "xoxb-") {
		return errors.New("slack.bot_token is not a bot token (xoxb-…); copy the Bot User OAuth Token from the app's OAuth & Permissions page")
	}
	if !overHTTP && !strings.HasPrefix(cfg.Slack.AppToken, "xapp-") {
		return errors.New("slack.app_token is not an app-level token (xapp-…); create one with connections:write under Basic Information")
	}
	return nil
}

// openSessions opens the configured session store.
func openSessions(ctx context.Context, cfg *config.Config, needAWS func() (aws.Config, error)) (slackbridge.Store, error) {
	if cfg.Sessions.Backend == "dynamodb" {
		c, err := needAWS()
		if err != nil {
			return nil, fmt.Errorf("sessions.backend dynamodb: %w", err)
		}
		if cfg.Sessions.Region != "" {
			c.Region = cfg.Sessions.Region
		}
		return slackbridge.NewDynamoStore(dynamodb.NewFromConfig(c), cfg.Sessions.Table), nil
	}
	return slackbridge.NewBoltStore(cfg.Sessions.Path)
}

// slackEngine is the engine the Slack bridge calls: the same investigation,
// analysis and tools as the MCP server and the CLI.
type slackEngine struct {
	env *tools.Env
	// model is nil when bedrock.model_id is empty: the bridge then posts
	// the evidence and says how to enable analysis.
	model *bedrock.Client
}

func (e *slackEngine) Investigate(ctx context.Context, req investigate.Request) (*investigate.Bundle, error) {
	return investigate.Run(ctx, e.env.Sources, e.env.Config, req)
}

func (e *slackEngine) request(question, alarm string, progress telemetry.Progress) bedrock.Request {
	cfg := e.env.Config
	return bedrock.Request{Question: question, Alarm: alarm, Mode: cfg.Bedrock.Mode, Language: cfg.Language,
		Architecture: cfg.Architecture, Tools: tools.AgentToolbox(e.env), Budget: bedrock.BudgetFrom(cfg.Bedrock.Agent), Progress: progress}
}

func (e *slackEngine) Analyze(ctx context.Context, b *investigate.Bundle, desc string, progress func(slackbridge.Step)) (*analysis.Report, error) {
	if e.model == nil {
		return nil, slackbridge.ErrNoModel
	}
	alarm := ""
	if len(b.Alarms) > 0 {
		alarm = b.Alarms[0].Name
	}
	r, err := e.model.Analyze(ctx, b, e.request(desc, alarm, func(_, _ float64, msg string) { progress(slackbridge.Step{Text: msg}) }))
	if err == nil {
		tools.SavePostmortem(e.env, r)
	}
	return r, err
}

// FollowUp continues the analysis with the thread's evidence: the model
// gets the bundle (and its tools) and a question that carries the earlier
// conclusion and conversation.
func (e *slackEngine) FollowUp(ctx context.Context, q slackbridge.FollowUp) (string, error) {
	if e.model == nil {
		return "", slackbridge.ErrNoModel
	}
	var sb strings.Builder
	if q.Report != nil && q.Report.RootCause.Text != "" {
		fmt.Fprintf(&sb, "Earlier conclusion (%s confidence): %s\n\n", q.Report.RootCause.Confidence, q.Report.RootCause.Text)
	}
	if len(q.Conversation) > 0 {
		sb.WriteString("Earlier in this thread:\n")
		for _, t := range q.Conversation {
			fmt.Fprintf(&sb, "- %s: %s\n", t.Role, t.Text)
		}
		sb.WriteString("\n")
	}
	fmt.Fprintf(&sb, "Follow-up question: %s", q.Question)
	alarm := ""
	if q.Bundle != nil && len(q.Bundle.Alarms) > 0 {
		alarm = q.Bundle.Alarms[0].Name
	}
	r, err := e.model.Analyze(ctx, q.Bundle, e.request(sb.String(), alarm, nil))
	if err != nil {
		return "", err
	}
	if r.Degraded != "" {
		// The engine's verdict is no answer to a question: say the model
		// failed, and why.
		return "", telemetry.Errorf(telemetry.KindUnavailable, "the model failed, so there is no answer: %s", r.DegradedReason)
	}
	ans := strings.TrimSpace(r.Summary)
	if rc := strings.TrimSpace(r.RootCause.Text); rc != "" && !strings.Contains(ans, rc) {
		ans = strings.TrimSpace(ans + "\n\n" + rc)
	}
	if cites := r.RootCause.Citations; len(cites) > 0 {
		ans += " [" + strings.Join(cites, ", ") + "]"
	}
	return ans, nil
}

// Insight answers a metrics question: with a model, as `fa2 analyze
// --mode insight` does; without, select_metrics' ranking of the metrics the
// question points at over the last days.
func (e *slackEngine) Insight(ctx context.Context, question string, days int) (string, error) {
	start := fmt.Sprintf("-%dd", days)
	if e.model != nil {
		r, err := tools.RunAnalysis(ctx, e.env, tools.AnalyzeFailureInput{Description: question, Mode: bedrock.ModeInsight, TimeRange: tools.TimeRange{Start: start}})
		if err != nil {
			return "", err
		}
		return r.Summary, nil
	}
	return e.callTool(ctx, "select_metrics", map[string]any{"question": question, "start": start})
}

// fenced shows a tool's plain-text rendering as a Slack code block, cut to
// fit a message with the fence closed.
func fenced(text string) string {
	const limit = 2600
	if r := []rune(text); len(r) > limit {
		text = string(r[:limit]) + "\n…"
	}
	return "```\n" + strings.TrimSpace(text) + "\n```"
}

// Findings is the findings report as Markdown; the bridge uses
// FindingsReport (slack_report.go), which also shares it as files.
func (e *slackEngine) Findings(ctx context.Context) (string, error) {
	out, err := tools.RunFindingsReport(ctx, e.env, tools.FindingsReportInput{})
	if err != nil {
		return "", err
	}
	return out.Markdown(), nil
}

// callTool runs a catalogue tool and returns its text; a tool error comes
// back as the error the thread shows.
func (e *slackEngine) callTool(ctx context.Context, name string, args map[string]any) (string, error) {
	t, err := tools.Find(name)
	if err != nil {
		return "", err
	}
	raw, _ := json.Marshal(args)
	res, err := t.Call(ctx, e.env, raw)
	if err != nil {
		return "", err
	}
	if res.IsError {
		return "", telemetry.Errorf(telemetry.KindUnavailable, "%s", resultText(res))
	}
	return fenced(resultText(res)), nil
}
