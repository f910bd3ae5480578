package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // report.timezone works on hosts without tzdata (scratch, Lambda)

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/report"
	"github.com/fa2/fa2/telemetry"
	"github.com/fa2/fa2/tools"
)

// cmdReport writes reports people read. One kind for now: findings.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "findings" {
		fmt.Fprint(stderr, "Usage: fa2 report findings [flags]\n\nRun \"fa2 report findings --help\" for its flags.\n")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 2
	}
	fs := flag.NewFlagSet("fa2 report findings", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	var in tools.FindingsReportInput
	fs.StringVar(&in.Start, "start", "", "window start: RFC 3339 or relative (-24h); default 1h before end, a snapshot's whole window")
	fs.StringVar(&in.End, "end", "", "window end: RFC 3339, now or relative")
	fs.StringVar(&in.Product, "product", "both", "securityhub, guardduty or both")
	fs.StringVar(&in.MinSeverity, "min-severity", "", "lowest severity included: LOW, MEDIUM, HIGH or CRITICAL")
	fs.StringVar(&in.Language, "language", "", "en or ja (default: the configuration's language)")
	resources := fs.String("resources", "", "comma-separated resources to focus on (ARN, id or name parts)")
	format := fs.String("format", "markdown", "markdown or pdf")
	out := fs.String("out", "", "write to `file` (required for pdf; markdown goes to stdout by default)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: fa2 report findings [flags]\n\nSecurity Hub and GuardDuty findings as a report: counts, the high-severity ones with why they\nmatter and how to fix them, recommended actions and next steps.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args[1:], stderr); !ok {
		return code
	}
	if *format != "markdown" && *format != "pdf" {
		fmt.Fprintf(stderr, "fa2: --format %q: use markdown or pdf\n", *format)
		return 2
	}
	if *format == "pdf" && *out == "" {
		fmt.Fprintln(stderr, "fa2: --format pdf needs --out FILE (a PDF does not belong on a terminal)")
		return 2
	}
	for _, r := range strings.Split(*resources, ",") {
		if r = strings.TrimSpace(r); r != "" {
			in.Resources = append(in.Resources, r)
		}
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	res, err := tools.RunFindingsReport(ctx, env, in)
	if err != nil {
		return fail(stderr, err)
	}
	md := res.Markdown()
	if *format == "markdown" {
		if *out == "" {
			fmt.Fprint(stdout, md)
			return 0
		}
		return writeOut(*out, []byte(md), stderr)
	}
	pdf, err := report.PDF(md, report.PDFOptions{Title: res.Title, Generated: time.Now(), Location: env.Config.Report.Location(), Font: env.Config.Report.Font})
	if err != nil {
		// Say why, and still leave the reader the Markdown.
		mdPath := strings.TrimSuffix(*out, ".pdf") + ".md"
		if code := writeOut(mdPath, []byte(md), stderr); code != 0 {
			return code
		}
		msg := err.Error()
		if e, ok := telemetry.AsError(err); ok {
			msg = e.Error()
		}
		fmt.Fprintf(stderr, "fa2: the PDF was not written: %s\nThe Markdown report is in %s.\n", msg, mdPath)
		return 1
	}
	return writeOut(*out, pdf, stderr)
}

// writeReportSet writes report.md, report.pdf and the pictures into dir
// and says on stderr what it wrote and what it could not.
func writeReportSet(ctx context.Context, env *tools.Env, dir string, rep *analysis.Report, b *investigate.Bundle, stderr io.Writer) int {
	set, err := report.WriteSet(ctx, dir, rep, b, report.Options{Location: env.Config.Report.Location(), Font: env.Config.Report.Font})
	if err != nil {
		return fail(stderr, err)
	}
	for _, w := range set.Warnings {
		fmt.Fprintf(stderr, "fa2: %s\n", w)
	}
	fmt.Fprintf(stderr, "wrote %s\n", strings.Join(set.Files, ", "))
	return 0
}

func writeOut(path string, data []byte, stderr io.Writer) int {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stderr, "wrote %s (%d bytes)\n", path, len(data))
	return 0
}
