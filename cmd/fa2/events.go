package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/collectors/awslive"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/events"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/tools"
)

// cmdLambda serves alarm events as an AWS Lambda function (provided.al2023:
// the binary is bootstrap). The Lambda runtime starts fa2 without
// arguments, and fa2 then behaves as "fa2 lambda" by itself (see run).
func cmdLambda(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 lambda", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: fa2 lambda [flags]\n\nRuns as an AWS Lambda function that investigates CloudWatch alarm state changes from EventBridge\n(or an SQS event source) and publishes the result to output.sns_topic_arn (without one, to\nslack.channel with slack.bot_token). Started by the Lambda\nruntime; configure it with FA2_* environment variables.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	h, err := eventsHandler(ctx, env)
	if err != nil {
		return fail(stderr, err)
	}
	lambda.StartWithOptions(events.LambdaHandler(h), lambda.WithContext(ctx))
	return 0
}

// cmdEvents polls events.queue_url for alarm events: the same handler for
// hosts that run all the time (ECS, a VM).
func cmdEvents(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 events", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	once := fs.Bool("once", false, "read the queue once and exit")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: fa2 events [flags]\n\nReads EventBridge alarm events from the SQS queue events.queue_url, investigates each transition\ninto ALARM once, and publishes the result to output.sns_topic_arn, or without one to slack.channel\nwith slack.bot_token (reports in output.s3_uri).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if env.Config.Events.QueueURL == "" {
		fmt.Fprintln(stderr, "fa2 events: set events.queue_url (FA2_EVENTS_QUEUE_URL) to the SQS queue your EventBridge rule targets")
		return 2
	}
	h, err := eventsHandler(ctx, env)
	if err != nil {
		return fail(stderr, err)
	}
	awsCfg, err := awslive.LoadAWSConfig(ctx, env.Config)
	if err != nil {
		return fail(stderr, err)
	}
	p := &events.Poller{Client: sqs.NewFromConfig(awsCfg), QueueURL: env.Config.Events.QueueURL, Handler: h, Once: *once}
	h.Log.Info().Str("queue", p.QueueURL).Msg("reading alarm events")
	if err := p.Run(ctx); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// startEventPoller reads events.queue_url in the background of a
// long-running command (fa2 serve), when it is set.
func startEventPoller(ctx context.Context, env *tools.Env) error {
	if env.Config.Events.QueueURL == "" {
		return nil
	}
	h, err := eventsHandler(ctx, env)
	if err != nil {
		return err
	}
	awsCfg, err := awslive.LoadAWSConfig(ctx, env.Config)
	if err != nil {
		return err
	}
	p := &events.Poller{Client: sqs.NewFromConfig(awsCfg), QueueURL: env.Config.Events.QueueURL, Handler: h}
	env.Log.Info().Str("queue", p.QueueURL).Msg("reading alarm events in the background")
	go func() {
		if err := p.Run(ctx); err != nil {
			env.Log.Error().Err(err).Msg("the alarm event poller stopped")
		}
	}()
	return nil
}

// eventsHandler wires the engine, the model (when bedrock.model_id is set),
// SNS and S3 into an events.Handler.
func eventsHandler(ctx context.Context, env *tools.Env) (*events.Handler, error) {
	cfg := env.Config
	h := &events.Handler{
		Investigate: func(ctx context.Context, a events.Alarm) (*investigate.Bundle, error) {
			req, err := tools.InvestigateRequest(ctx, env, tools.InvestigateInput{AlarmName: a.Name})
			if err != nil {
				return nil, err
			}
			return investigate.Run(ctx, env.Sources, cfg, req)
		},
		Report:  report.Options{Location: cfg.Report.Location(), Font: cfg.Report.Font},
		Timeout: time.Duration(cfg.Events.Timeout),
		Margin:  time.Duration(cfg.Events.Margin),
		Log:     env.Log,
		Claims:  &events.MemoryClaims{},
	}
	if cfg.Bedrock.ModelID != "" {
		h.Analyze = func(ctx context.Context, a events.Alarm) (*analysis.Report, error) {
			return tools.RunAnalysis(ctx, env, tools.AnalyzeFailureInput{AlarmName: a.Name})
		}
	}
	if cfg.Output.SNSTopicARN == "" && cfg.Slack.BotToken != "" {
		p, err := slackEventsPublisher(ctx, cfg, env.Log)
		if err != nil {
			return nil, err
		}
		if p != nil {
			h.Publisher = p
		}
	}
	if cfg.Output.SNSTopicARN == "" && cfg.Output.S3URI == "" {
		if h.Publisher == nil {
			env.Log.Warn().Msg("output.sns_topic_arn and output.s3_uri are empty: results are only logged")
		}
		return h, nil
	}
	awsCfg, err := awslive.LoadAWSConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Output.SNSTopicARN != "" {
		h.Publisher = events.SNSPublisher{Client: sns.NewFromConfig(awsCfg), TopicARN: cfg.Output.SNSTopicARN}
	}
	if cfg.Output.S3URI != "" {
		bucket, prefix, err := events.ParseS3URI(cfg.Output.S3URI)
		if err != nil {
			return nil, err
		}
		client := s3.NewFromConfig(awsCfg)
		store := &events.S3Store{Client: client, Presign: s3.NewPresignClient(client), Bucket: bucket, Prefix: prefix, Expiry: time.Duration(cfg.Output.PresignExpiry)}
		// The bucket also records which transitions were taken, so
		// concurrent functions handle each one once.
		h.Store, h.Claims = store, store
	}
	return h, nil
}

// slackEventsPublisher posts alarm investigations to slack.channel with
// the bot token: the Slack bridge's app stands in for Amazon Q
// Developer's SNS channel when no SNS topic is configured. It returns nil
// (with a warning) when no channel is set.
func slackEventsPublisher(ctx context.Context, cfg *config.Config, log zerolog.Logger) (events.Publisher, error) {
	if cfg.Slack.Channel == "" {
		log.Warn().Msg("slack.bot_token is set but slack.channel is empty: alarm investigations are not posted to Slack; set slack.channel (FA2_SLACK_CHANNEL) to the channel id, or output.sns_topic_arn")
		return nil, nil
	}
	needAWS := func() (aws.Config, error) { return awslive.LoadAWSConfig(ctx, cfg) }
	if err := resolveSlackSecrets(ctx, cfg, needAWS); err != nil {
		return nil, err
	}
	var opts []slack.Option
	if cfg.Slack.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimSuffix(cfg.Slack.APIURL, "/")+"/"))
	}
	log.Info().Str("channel", cfg.Slack.Channel).Msg("alarm investigations are posted to Slack")
	return events.SlackPublisher{API: slack.New(cfg.Slack.BotToken, opts...), Channel: cfg.Slack.Channel}, nil
}
