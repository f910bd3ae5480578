package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/awslive"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/tools"
)

// commonFlags are shared by every command that reads telemetry.
type commonFlags struct {
	configFile string
	snapshot   string
	region     string
	profile    string
	logLevel   string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configFile, "config", "", "YAML configuration `file` (default: ./fa2.yaml if present)")
	fs.StringVar(&c.snapshot, "snapshot", "", "read telemetry from a snapshot `dir` instead of live AWS")
	fs.StringVar(&c.region, "region", "", "AWS `region`")
	fs.StringVar(&c.profile, "profile", "", "AWS shared-config `profile`")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level` on stderr: debug, info, warn, error")
}

// notConfigEnv are FA2_* variables read directly rather than as settings.
var notConfigEnv = []string{"FA2_HTTP_TOKEN_FILE", "FA2_SNAPSHOT"}

// loadConfig merges the file, FA2_* variables and flags.
func (c *commonFlags) loadConfig(log zerolog.Logger) (*config.Config, error) {
	flags := map[string]string{}
	if c.region != "" {
		flags["region"] = c.region
	}
	if c.profile != "" {
		flags["profile"] = c.profile
	}
	return config.Load(config.Sources{File: c.configFile, Environ: os.Environ(), Flags: flags, NotConfig: notConfigEnv,
		Warn: func(msg string) { log.Warn().Msg(msg) }})
}

// logger writes human-readable logs to stderr: stdout belongs to MCP.
func (c *commonFlags) logger(stderr io.Writer) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(strings.ToLower(c.logLevel))
	if err != nil || c.logLevel == "" {
		return zerolog.Nop(), fmt.Errorf("--log-level %q: use debug, info, warn or error", c.logLevel)
	}
	return zerolog.New(zerolog.ConsoleWriter{Out: stderr, NoColor: true, TimeFormat: "15:04:05"}).
		Level(lvl).With().Timestamp().Logger(), nil
}

// env builds the tool environment: configuration, logger and sources.
func (c *commonFlags) env(ctx context.Context, stderr io.Writer) (*tools.Env, error) {
	log, err := c.logger(stderr)
	if err != nil {
		return nil, err
	}
	cfg, err := c.loadConfig(log)
	if err != nil {
		return nil, err
	}
	if c.snapshot == "" {
		c.snapshot = os.Getenv("FA2_SNAPSHOT")
	}
	var src collectors.Sources
	if c.snapshot != "" {
		store, err := snapshot.Open(c.snapshot)
		if err != nil {
			return nil, err
		}
		if cfg.Architecture == "" {
			cfg.Architecture = store.Manifest().Architecture
		}
		src = store.Sources()
	} else {
		awsCfg, err := awslive.LoadAWSConfig(ctx, cfg)
		if err != nil {
			return nil, err
		}
		src = awslive.New(awsCfg, cfg).Sources()
	}
	log.Debug().Str("source", src.Name).Msg("sources ready")
	env := &tools.Env{Sources: src, Config: cfg, Log: log}
	if cfg.Metrics.Selector == "llm" {
		env.MetricSelector = tools.LLMMetricSelector(env)
	}
	// With a model, findings reports get its overview; without, they stay
	// deterministic.
	env.FindingsNarrator = tools.FindingsNarratorFor(env)
	return env, nil
}

// parseFlags parses args, printing usage errors the same way everywhere.
// It returns false when the command should exit with code.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (ok bool, code int) {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return false, 0
		}
		return false, 2
	}
	return true, 0
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "fa2: %v\n", err)
	return 1
}
