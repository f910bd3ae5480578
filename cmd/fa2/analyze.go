package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sync"

	"github.com/fa2/fa2/telemetry"
	"github.com/fa2/fa2/tools"
)

// exitDegraded is fa2 analyze's exit code when the model failed and the
// report printed is the engine's evidence alone: distinct from 0 (the
// model's analysis) so scripts can tell, and from 1 (nothing printed).
const exitDegraded = 3

// cmdAnalyze runs a root-cause analysis with Bedrock: progress on stderr as
// it goes, the report on stdout (Markdown or JSON).
func cmdAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 analyze", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	var in tools.AnalyzeFailureInput
	fs.StringVar(&in.AlarmName, "alarm", "", "CloudWatch alarm `name` to start from")
	fs.StringVar(&in.Description, "description", "", "what is wrong, or a question, in `words`")
	fs.StringVar(&in.Start, "start", "", "window start: RFC 3339 or relative (-30m)")
	fs.StringVar(&in.End, "end", "", "window end: RFC 3339, now, or relative")
	fs.StringVar(&in.Mode, "mode", "", "auto, oneshot, agent or insight (a question about metrics) (default: bedrock.mode)")
	fs.IntVar(&in.MaxSteps, "max-steps", 0, "most model turns in agent mode (default: bedrock.agent.max_steps)")
	fs.StringVar(&in.Language, "language", "", "report language: en or ja (default: language)")
	format := fs.String("format", "markdown", "output `format`: markdown or json")
	out := fs.String("out", "", "also write the report set (report.md, report.pdf, chart and diagram PNGs) into `dir`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: fa2 analyze [--alarm NAME] [--description TEXT] [--start T --end T] [flags]\n\nFinds the root cause with Amazon Bedrock (bedrock.model_id); progress goes to stderr, the report to stdout.\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nExit status:\n  0  the model's analysis was printed\n  1  the analysis failed; nothing was printed\n  2  bad usage\n  %d  the model failed (access, throttling, outage) and the report printed is the\n     engine's evidence-based answer, marked as degraded, with what to fix\n", exitDegraded)
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "fa2 analyze: unexpected argument %q (quote the description: --description \"...\")\n", fs.Arg(0))
		return 2
	}
	if *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "fa2 analyze: --format %q: use markdown or json\n", *format)
		return 2
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	var mu sync.Mutex
	ctx = tools.WithProgress(ctx, func(_, _ float64, msg string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stderr, "… %s\n", msg)
	})
	report, err := tools.RunAnalysis(ctx, env, in)
	if err != nil {
		if e, ok := telemetry.AsError(err); ok {
			fmt.Fprintf(stderr, "fa2 analyze: %s\nWithout a model, `fa2 investigate` prints the same evidence bundle for you to read.\n", e.Error())
			return 1
		}
		return fail(stderr, err)
	}
	if *out != "" {
		if code := writeReportSet(ctx, env, *out, report, nil, stderr); code != 0 {
			return code
		}
	}
	code := 0
	if *format == "json" {
		code = printJSON(stdout, stderr, report)
	} else {
		fmt.Fprint(stdout, report.Markdown())
	}
	if report.Degraded != "" && code == 0 {
		fmt.Fprintf(stderr, "fa2 analyze: degraded: the model failed, so the report is the engine's evidence alone (exit %d): %s\n", exitDegraded, report.DegradedReason)
		return exitDegraded
	}
	return code
}
