// Package awslive implements the collector interfaces against live AWS with
// aws-sdk-go-v2. It only ever calls read-only APIs. Errors from AWS are
// mapped to telemetry.Error so tools can tell the user what to do next.
package awslive

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/xray"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/awslive/internal/ownbody"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// Client holds one narrow API per service fa2 reads.
type Client struct {
	settings *config.Config
	region   string

	// One narrow interface per service (api.go).
	logs        logsAPI
	cloudwatch  cloudwatchAPI
	xray        xrayAPI
	cloudtrail  cloudtrailAPI
	athena      athenaAPI
	securityhub securityhubAPI
	guardduty   guarddutyAPI

	// pollInterval is the first wait between polls of an asynchronous query
	// (Logs Insights, Athena); it doubles up to maxPollInterval. Tests shorten it.
	pollInterval    time.Duration
	maxPollInterval time.Duration

	// logSlots bounds Logs Insights queries in flight across all calls
	// (logs.max_concurrent_queries); see logSlotsChan.
	logSlotsOnce sync.Once
	logSlots     chan struct{}

	// now is the clock (UTC); tests fix it so windows that depend on the
	// present (CloudTrail's 90 days, ListMetrics' two weeks) stay stable.
	now func() time.Time

	// traceDest caches whether X-Ray Transaction Search is on.
	traceDest traceDestination

	// trail paces LookupEvents; athenaState caches table metadata.
	trail       trailLimits
	athenaState athenaState
}

// LoadAWSConfig resolves credentials and region through the SDK's default
// chain (environment, shared config and SSO, container and instance roles),
// honouring the configured region and profile. AWS_ENDPOINT_URL_<SERVICE>
// variables are read by the SDK itself.
func LoadAWSConfig(ctx context.Context, settings *config.Config) (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if settings.Region != "" {
		opts = append(opts, awsconfig.WithRegion(settings.Region))
	}
	if settings.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(settings.Profile))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w (check --profile and ~/.aws/config)", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("no AWS region: set --region, FA2_REGION or AWS_REGION")
	}
	// The SDK closes a request body while net/http may still read it, which
	// can kill the connection under a 200 response; see package ownbody.
	cfg.HTTPClient = ownbody.Wrap(cfg.HTTPClient)
	return cfg, nil
}

// New builds the service clients from an aws.Config. Tests pass a config
// whose BaseEndpoint points at an httptest server.
func New(cfg aws.Config, settings *config.Config) *Client {
	return &Client{
		settings:        settings,
		region:          cfg.Region,
		logs:            cloudwatchlogs.NewFromConfig(cfg),
		cloudwatch:      cloudwatch.NewFromConfig(cfg),
		xray:            xray.NewFromConfig(cfg),
		cloudtrail:      cloudtrail.NewFromConfig(cfg),
		athena:          athena.NewFromConfig(cfg),
		securityhub:     securityhub.NewFromConfig(cfg),
		guardduty:       guardduty.NewFromConfig(cfg),
		now:             func() time.Time { return time.Now().UTC() },
		pollInterval:    500 * time.Millisecond,
		maxPollInterval: 5 * time.Second,
	}
}

// Sources returns the live collectors.
func (c *Client) Sources() collectors.Sources {
	return collectors.Sources{
		Name: "aws " + c.region,
		Now:  c.now,
		DefaultWindow: func() telemetry.Window {
			now := c.now()
			return telemetry.Window{Start: now.Add(-time.Hour), End: now}
		},
		Logs:       c,
		Traces:     c,
		Metrics:    c,
		Alarms:     c,
		CloudTrail: c,
		AccessLogs: c,
		Findings:   c,
	}
}
