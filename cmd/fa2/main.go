// Command fa2 is the Failure Analysis Assistant: an MCP server, a CLI and a
// Slack bridge over one engine that collects AWS telemetry around an
// incident and reduces it to evidence. This package only parses flags,
// loads configuration and wires the pieces together.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/fa2/fa2/knowledge"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `fa2 — Failure Analysis Assistant for AWS incidents

Usage:
  fa2 demo                         investigate the bundled demo incident
  fa2 investigate [--alarm NAME]   gather, correlate and rank the evidence of an incident
  fa2 serve [--http ADDR]          MCP server on stdio (default) or Streamable HTTP at ADDR/mcp
  fa2 run TOOL --json '{...}'      call one tool and print its result as JSON
  fa2 tools                        list the tools with their input schemas
  fa2 snapshot --out DIR [--alarm NAME | --start T --end T] [--redact]   capture an incident offline
  fa2 patterns [FILE]              mine log templates from a file or stdin
  fa2 config [--keys]              print the effective configuration (secrets masked)
  fa2 version

Common flags (serve, run, investigate, tools, config, demo):
  --config FILE     YAML configuration (default: ./fa2.yaml if present)
  --snapshot DIR    read a snapshot directory instead of live AWS
  --region, --profile   AWS region and shared-config profile
  --log-level LEVEL     debug, info, warn or error (logs go to stderr)

Run "fa2 COMMAND --help" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal cancels the work in progress; restoring the
		// default handling lets a second one end fa2 at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	knowledge.CloseAll() // removes the knowledge index's temporary folder
	stop()
	os.Exit(code)
}

// exitInterrupted is the exit code of a command stopped by a signal, as
// shells report 128+SIGINT.
const exitInterrupted = 130

// run dispatches a command line and returns the process exit code: 0 on
// success, 1 when the work failed, 2 for a usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdin, stdout, stderr)
	case "run":
		return cmdRun(ctx, rest, stdout, stderr)
	case "investigate":
		return cmdInvestigate(ctx, rest, stdout, stderr)
	case "tools":
		return cmdTools(ctx, rest, stdout, stderr)
	case "config":
		return cmdConfig(ctx, rest, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "patterns":
		return cmdPatterns(rest, stdin, stdout, stderr)
	case "snapshot":
		return cmdSnapshot(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "fa2", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "fa2: unknown command %q\n\n%s", cmd, usage)
	return 2
}
