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

	bridge, err := slackbridge.New(slackbridge.Options{Config: cfg, Engine: &slackEngine{env: env}, Store: store, API: api, Log: log, BotUserID: auth.UserID})
	if err != nil {
		return fail(stderr, err)
	}
	log.Info().Str("team", auth.Team).Str("bot", auth.User).Str("source", env.Sources.Name).Str("sessions", cfg.Sessions.Backend).Msg("fa2 slack started")
	if cfg.Bedrock.ModelID == "" || !analysisEnabled {
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

// analysisEnabled is false until the bedrock package is wired in.
const analysisEnabled = false

// slackEngine is the engine the Slack bridge calls: the same investigation
// and tools as the MCP server and the CLI.
type slackEngine struct {
	env *tools.Env
}

func (e *slackEngine) Investigate(ctx context.Context, req investigate.Request) (*investigate.Bundle, error) {
	return investigate.Run(ctx, e.env.Sources, e.env.Config, req)
}

func (e *slackEngine) Analyze(ctx context.Context, b *investigate.Bundle, desc string, progress func(slackbridge.Step)) (*analysis.Report, error) {
	return nil, slackbridge.ErrNoModel
}

func (e *slackEngine) FollowUp(ctx context.Context, q slackbridge.FollowUp) (string, error) {
	return "", slackbridge.ErrNoModel
}

// Insight answers with select_metrics: the metrics the question points at,
// ranked by how far they moved over the last days.
func (e *slackEngine) Insight(ctx context.Context, question string, days int) (string, error) {
	return e.callTool(ctx, "select_metrics", map[string]any{"question": question, "start": fmt.Sprintf("-%dd", days)})
}

// Findings lists the active Security Hub and GuardDuty findings.
func (e *slackEngine) Findings(ctx context.Context) (string, error) {
	return e.callTool(ctx, "get_findings", map[string]any{})
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
	return resultText(res), nil
}
