// Package config holds fa2's settings and loads them from one YAML file,
// FA2_* environment variables and flags, in the order flags > env > file >
// defaults. Every key is known: an unknown key or a bad value is an error
// that names it, because a typo silently ignored sends an investigation to
// the wrong log group.
package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// Config is fa2's configuration. The yaml tag of each field is its key in
// the file; its environment variable is FA2_ followed by the key path in
// upper case joined by "_" (athena.database is FA2_ATHENA_DATABASE). Fields
// tagged secret:"true" are masked by `fa2 config`.
type Config struct {
	Region   string `yaml:"region" doc:"AWS region (default: the SDK's, from AWS_REGION or the profile)"`
	Profile  string `yaml:"profile" doc:"AWS shared-config profile"`
	Language string `yaml:"language" doc:"language of analyses: en or ja"`
	// Architecture describes the workload, so the model knows what talks to what.
	Architecture string `yaml:"architecture" doc:"free-text description of the workload's architecture"`

	Bedrock    Bedrock    `yaml:"bedrock"`
	Logs       Logs       `yaml:"logs"`
	Athena     Athena     `yaml:"athena"`
	XRay       XRay       `yaml:"xray"`
	CloudTrail CloudTrail `yaml:"cloudtrail"`
	GuardDuty  GuardDuty  `yaml:"guardduty"`
	Limits     Limits     `yaml:"limits"`
	HTTP       HTTP       `yaml:"http"`

	// Sections of the engine and front doors, each in its own file
	// (config/<section>.go) with its defaults and validation.
	Investigate Investigate `yaml:"investigate"`
	Metrics     Metrics     `yaml:"metrics"`
	Slack       Slack       `yaml:"slack"`
	Sessions    Sessions    `yaml:"sessions"`
	Report      Report      `yaml:"report"`
	Knowledge   Knowledge   `yaml:"knowledge"`
	Snapshot    Snapshot    `yaml:"snapshot"`
	Events      Events      `yaml:"events"`
	Output      Output      `yaml:"output"`
}

// Logs configures CloudWatch Logs.
type Logs struct {
	// Groups are log group names, or prefixes ending in "*".
	Groups []string `yaml:"groups" doc:"log groups to search by default: names, or prefixes ending in *"`
	// MaxConcurrentQueries bounds Logs Insights queries in flight, below the
	// account's quota so other users keep some.
	MaxConcurrentQueries int `yaml:"max_concurrent_queries" doc:"Logs Insights queries fa2 runs at once (1-30)"`
}

// Athena configures the Athena tables for ALB access logs and CloudTrail.
type Athena struct {
	Database        string `yaml:"database" doc:"Glue database holding the tables"`
	Workgroup       string `yaml:"workgroup" doc:"Athena workgroup"`
	OutputLocation  string `yaml:"output_location" doc:"s3:// location for query results (unless the workgroup sets one)"`
	ALBTable        string `yaml:"alb_table" doc:"table of ALB access logs"`
	CloudTrailTable string `yaml:"cloudtrail_table" doc:"table of CloudTrail logs"`
}

// XRay switches X-Ray on or off.
type XRay struct {
	Enabled bool `yaml:"enabled" doc:"read X-Ray traces"`
}

// CloudTrail chooses how CloudTrail is read.
type CloudTrail struct {
	Backend string `yaml:"backend" doc:"api (LookupEvents) or athena (cloudtrail_table)"`
}

// GuardDuty configures GuardDuty.
type GuardDuty struct {
	DetectorID string `yaml:"detector_id" doc:"GuardDuty detector id (found with ListDetectors when empty)"`
}

// Limits bounds what a single tool call may ask for.
type Limits struct {
	MaxWindow      Duration `yaml:"max_window" doc:"longest time window a tool call may cover"`
	MaxOutputBytes int      `yaml:"max_output_bytes" doc:"largest structured result of a tool call, in bytes"`
}

// HTTP configures `fa2 serve --http`.
type HTTP struct {
	Addr  string `yaml:"addr" doc:"address for Streamable HTTP, e.g. 127.0.0.1:8080"`
	Token string `yaml:"token" secret:"true" doc:"bearer token required on every HTTP request"`
	// AllowedOrigins are browser origins (https://host[:port]) allowed to
	// call the server besides its own; requests from any other Origin are
	// refused, as the MCP transport spec requires against DNS rebinding.
	AllowedOrigins []string `yaml:"allowed_origins" doc:"browser origins allowed to call the HTTP server, e.g. https://app.example.com"`
	// MaxConnections caps open connections, so idle or slow clients cannot
	// hold every file descriptor.
	MaxConnections int `yaml:"max_connections" doc:"most HTTP connections open at once (further ones wait)"`
}

// Default returns the configuration used when nothing overrides it.
func Default() Config {
	return Config{
		Language: "en",
		Bedrock:  defaultBedrock(),
		Logs:     Logs{MaxConcurrentQueries: 4},
		XRay:     XRay{Enabled: true},
		CloudTrail: CloudTrail{
			Backend: "api",
		},
		HTTP:        HTTP{MaxConnections: 512},
		Limits:      Limits{MaxWindow: Duration(7 * 24 * time.Hour), MaxOutputBytes: 40_000},
		Investigate: defaultInvestigate(),
		Metrics:     defaultMetrics(),
		Slack:       defaultSlack(),
		Sessions:    defaultSessions(),
		Report:      defaultReport(),
		Knowledge:   defaultKnowledge(),
		Snapshot:    defaultSnapshot(),
		Events:      defaultEvents(),
		Output:      defaultOutput(),
	}
}

// Validate checks values that a type alone cannot, naming the key at fault.
func (c *Config) Validate() error {
	var errs []string
	bad := func(key, format string, args ...any) {
		errs = append(errs, key+": "+fmt.Sprintf(format, args...))
	}
	switch c.Language {
	case "en", "ja":
	default:
		bad("language", "%q is not supported; use en or ja", c.Language)
	}
	switch c.CloudTrail.Backend {
	case "api":
	case "athena":
		if c.Athena.CloudTrailTable == "" || c.Athena.Database == "" {
			bad("cloudtrail.backend", "athena needs athena.database and athena.cloudtrail_table")
		}
	default:
		bad("cloudtrail.backend", "%q is not a backend; use api or athena", c.CloudTrail.Backend)
	}
	if n := c.Logs.MaxConcurrentQueries; n < 1 || n > 30 {
		bad("logs.max_concurrent_queries", "%d is out of range 1-30", n)
	}
	if c.Limits.MaxWindow <= 0 {
		bad("limits.max_window", "must be positive, e.g. 168h")
	}
	if c.Limits.MaxOutputBytes < 2000 {
		bad("limits.max_output_bytes", "%d is too small to hold a useful answer; use 2000 or more", c.Limits.MaxOutputBytes)
	}
	for _, g := range c.Logs.Groups {
		if strings.TrimSpace(g) == "" {
			bad("logs.groups", "contains an empty name")
		}
		if !telemetry.WildcardOnlyAtEnd(g) {
			bad("logs.groups", "%q: * is only allowed at the end, as a prefix", g)
		}
	}
	if loc := c.Athena.OutputLocation; loc != "" && !strings.HasPrefix(loc, "s3://") {
		bad("athena.output_location", "%q must be an s3:// URL", loc)
	}
	if n := c.HTTP.MaxConnections; n < 1 || n > 100000 {
		bad("http.max_connections", "%d is out of range 1-100000", n)
	}
	for _, o := range c.HTTP.AllowedOrigins {
		if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") {
			bad("http.allowed_origins", "%q must be an origin such as https://app.example.com", o)
		}
	}
	c.Bedrock.validate(bad)
	c.Investigate.validate(bad)
	c.Metrics.validate(bad)
	c.Slack.validate(bad)
	c.Sessions.validate(bad)
	c.Report.validate(bad)
	c.Knowledge.validate(bad)
	c.Snapshot.validate(bad)
	c.Events.validate(bad)
	c.Output.validate(bad)
	if len(errs) > 0 {
		return fmt.Errorf("invalid configuration:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// Duration is a time.Duration written as "90m", "36h" or "7d" in files and
// environment variables.
type Duration time.Duration

// ParseDuration accepts Go durations plus a "d" suffix for days.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "d") {
		var days float64
		if _, err := fmt.Sscanf(strings.TrimSuffix(s, "d"), "%g", &days); err != nil || days <= 0 {
			return 0, fmt.Errorf("%q is not a duration; use forms like 90m, 36h or 7d", s)
		}
		return Duration(time.Duration(days * float64(24*time.Hour))), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration; use forms like 90m, 36h or 7d", s)
	}
	return Duration(d), nil
}

func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalText implements encoding.TextUnmarshaler (YAML and env).
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
