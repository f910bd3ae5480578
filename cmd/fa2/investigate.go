package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
	"github.com/fa2/fa2/tools"
)

// cmdInvestigate runs the investigation engine and prints the evidence
// bundle: Markdown (default) or JSON on stdout, progress on stderr.
func cmdInvestigate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 investigate", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	alarm := fs.String("alarm", "", "alarm `name` to investigate (default: the alarms that fired)")
	description := fs.String("description", "", "what people see, in `words`")
	start := fs.String("start", "", "window start: RFC 3339 or relative (-30m) (default: from the alarm)")
	end := fs.String("end", "", "window end: RFC 3339, now or relative (default: from the alarm)")
	budget := fs.Int("budget", 0, "bundle size in estimated `tokens` (default 8000, at least 1000)")
	language := fs.String("language", "", "headings `language`: en or ja (default: the configuration's)")
	format := fs.String("format", "markdown", "output `format`: markdown or json")
	quiet := fs.Bool("quiet", false, "do not report progress on stderr")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: fa2 investigate [flags]\n\nGathers every source around an alarm or a window, compares it with the window before and prints a ranked, cited evidence bundle.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "fa2 investigate: unexpected argument %q (flags only)\n", fs.Arg(0))
		return 2
	}
	if *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "fa2 investigate: --format %q: use markdown or json\n", *format)
		return 2
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	return runInvestigate(ctx, env, investigateArgs{alarm: *alarm, description: *description, start: *start, end: *end, budget: *budget, language: *language, format: *format, quiet: *quiet}, stdout, stderr)
}

type investigateArgs struct {
	alarm, description, start, end string
	budget                         int
	language, format               string
	quiet                          bool
}

func runInvestigate(ctx context.Context, env *tools.Env, a investigateArgs, stdout, stderr io.Writer) int {
	in := tools.InvestigateInput{AlarmName: a.alarm, Description: a.description, Budget: a.budget, Language: a.language}
	in.Start, in.End = a.start, a.end
	req, err := tools.InvestigateRequest(ctx, env, in)
	if err == nil {
		if !a.quiet {
			began := time.Now()
			req.Progress = func(done, total float64, msg string) {
				fmt.Fprintf(stderr, "[%d/%d %5.1fs] %s\n", int(done), int(total), time.Since(began).Seconds(), msg)
			}
		}
		var b *investigate.Bundle
		if b, err = investigate.Run(ctx, env.Sources, env.Config, req); err == nil {
			if a.format == "json" {
				return printJSON(stdout, stderr, b)
			}
			fmt.Fprint(stdout, b.Markdown())
			return 0
		}
	}
	if e, ok := telemetry.AsError(err); ok {
		fmt.Fprintf(stderr, "fa2 investigate: %s\n", e.Error())
		return 1
	}
	return fail(stderr, err)
}
