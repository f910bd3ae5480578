package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
	"github.com/fa2/fa2/tools"
)

// cmdSnapshot captures an incident into a snapshot directory: live AWS by
// default, or another snapshot with --snapshot (to redact or cut one).
func cmdSnapshot(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 snapshot", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	out := fs.String("out", "", "new `dir` to write the snapshot to (must not exist)")
	alarm := fs.String("alarm", "", "capture around this `alarm`'s incident (its suggested window)")
	start := fs.String("start", "", "window start: RFC 3339 or relative (-2h)")
	end := fs.String("end", "", "window end: RFC 3339 or relative (default now)")
	baseline := fs.Bool("baseline", false, "also capture the equal window before, for comparison")
	redact := fs.Bool("redact", false, "mask IP and e-mail addresses, access key ids and snapshot.redact_patterns, consistently")
	quiet := fs.Bool("quiet", false, "no progress bars")
	title := fs.String("title", "", "title for the manifest (default: the alarm or window)")
	caps := map[string]*int{}
	for _, c := range []struct{ name, what string }{
		{"max-log-events", "newest log events per group"}, {"max-log-groups", "log groups"}, {"max-traces", "X-Ray traces"},
		{"max-metrics", "metrics"}, {"max-cloudtrail-events", "CloudTrail events"}, {"max-access-log-rows", "ALB access log entries"}, {"max-findings", "findings"},
	} {
		caps[c.name] = fs.Int(c.name, 0, "cap on "+c.what+" (default from snapshot.* settings)")
	}
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: fa2 snapshot --out DIR [--alarm NAME | --start T [--end T]] [--baseline] [--redact]\n\n"+
			"Captures an incident's telemetry into an fa2-snapshot/1 folder that fa2 reads offline (--snapshot DIR).\n"+
			"The manifest lists what each source gave, what a cap cut and what failed.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "fa2 snapshot: --out DIR is required")
		fs.Usage()
		return 2
	}
	if *alarm != "" && *start != "" {
		fmt.Fprintln(stderr, "fa2 snapshot: give --alarm or --start/--end, not both")
		return 2
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	src := env.Sources
	w, why, err := captureWindow(ctx, src, *alarm, *start, *end)
	if err != nil {
		return fail(stderr, err)
	}
	sc := env.Config.Snapshot
	opt := snapshot.CaptureOptions{
		Window: w, Baseline: *baseline, LogGroups: env.Config.Logs.Groups, Namespaces: sc.Namespaces,
		Caps: snapshot.Caps{LogEventsPerGroup: pick(*caps["max-log-events"], sc.MaxLogEvents), LogGroups: pick(*caps["max-log-groups"], sc.MaxLogGroups),
			Traces: pick(*caps["max-traces"], sc.MaxTraces), Metrics: pick(*caps["max-metrics"], sc.MaxMetrics),
			CloudTrailEvents: pick(*caps["max-cloudtrail-events"], sc.MaxCloudTrail), AccessLogRows: pick(*caps["max-access-log-rows"], sc.MaxAccessLogRows),
			Findings: pick(*caps["max-findings"], sc.MaxFindings)},
		Region: env.Config.Region, Title: *title, Architecture: env.Config.Architecture,
	}
	if opt.Title == "" {
		opt.Title = why
	}
	if *redact {
		if opt.Redactor, err = snapshot.NewRedactor(sc.RedactPatterns); err != nil {
			return fail(stderr, err)
		}
	}
	if !*quiet {
		bars := newProgressBars(stderr)
		opt.Progress = bars.report
	}
	fmt.Fprintf(stderr, "capturing %s .. %s from %s (%s)\n", w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339), src.Name, why)
	began := time.Now()
	m, err := snapshot.Capture(ctx, src, *out, opt)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "wrote %s in %s\n", *out, time.Since(began).Round(time.Millisecond))
	failedAny := false
	for _, r := range m.Captured {
		line := fmt.Sprintf("  %-12s %6d", r.Source, r.Items)
		if r.Cut != "" {
			line += "  cut: " + r.Cut
		}
		if r.Error != "" {
			line += "  FAILED: " + r.Error
			if r.Hint != "" {
				line += " — " + r.Hint
			}
			failedAny = true
		}
		fmt.Fprintln(stdout, line)
	}
	if len(m.RedactedValues) > 0 {
		kinds := make([]string, 0, len(m.RedactedValues))
		for k, n := range m.RedactedValues {
			kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
		}
		sort.Strings(kinds)
		fmt.Fprintf(stdout, "  redacted distinct values: %s\n", strings.Join(kinds, " "))
	}
	if failedAny {
		fmt.Fprintln(stdout, "Some sources failed; the snapshot holds the rest, and manifest.json says what is missing.")
	}
	return 0
}

func pick(flagValue, setting int) int {
	if flagValue > 0 {
		return flagValue
	}
	return setting
}

// captureWindow is the window to capture: the given times, or the
// alarm's suggested window, or the source's default window.
func captureWindow(ctx context.Context, src collectors.Sources, alarm, start, end string) (telemetry.Window, string, error) {
	now := src.Now()
	if alarm != "" {
		if src.Alarms == nil {
			return telemetry.Window{}, "", fmt.Errorf("this backend has no alarms: give --start and --end")
		}
		list, err := src.Alarms.Alarms(ctx, telemetry.AlarmQuery{Names: []string{alarm}})
		if err != nil {
			return telemetry.Window{}, "", err
		}
		if len(list.Alarms) == 0 {
			return telemetry.Window{}, "", fmt.Errorf("no alarm named %q: list them with fa2 run get_alarms", alarm)
		}
		var transitions []evidence.Transition
		if hist, err := src.Alarms.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Names: []string{alarm}, Window: telemetry.Window{Start: now.Add(-14 * 24 * time.Hour), End: now}}); err == nil {
			for _, h := range hist.Items {
				transitions = append(transitions, evidence.ParseTransition(h, list.Alarms[0].Comparison))
			}
		}
		sw := evidence.SuggestWindow(list.Alarms, transitions, now)
		if sw == nil {
			return telemetry.Window{}, "", fmt.Errorf("alarm %q has not fired in the last 14 days: give --start and --end", alarm)
		}
		return telemetry.Window{Start: sw.Start.UTC(), End: sw.End.UTC()}, "alarm " + alarm, nil
	}
	if start == "" {
		if end != "" {
			return telemetry.Window{}, "", fmt.Errorf("--end needs --start")
		}
		w := src.DefaultWindow()
		return w, "default window", nil
	}
	s, err := tools.ParseTime(start, now)
	if err != nil {
		return telemetry.Window{}, "", fmt.Errorf("--start: %v", err)
	}
	e := now
	if end != "" {
		if e, err = tools.ParseTime(end, now); err != nil {
			return telemetry.Window{}, "", fmt.Errorf("--end: %v", err)
		}
	}
	if !e.After(s) {
		return telemetry.Window{}, "", fmt.Errorf("--start %s is not before --end %s", s.Format(time.RFC3339), e.Format(time.RFC3339))
	}
	return telemetry.Window{Start: s.UTC(), End: e.UTC()}, "window " + s.UTC().Format(time.RFC3339) + " .. " + e.UTC().Format(time.RFC3339), nil
}

// progressBars draws one bar per source on stderr as the capture reports.
type progressBars struct {
	mu    sync.Mutex
	w     io.Writer
	plain bool
	bar   *progressbar.ProgressBar
	cur   string
}

// newProgressBars draws bars on a terminal; elsewhere (a pipe, a CI log)
// it prints one line per finished source.
func newProgressBars(w io.Writer) *progressBars {
	f, ok := w.(*os.File)
	return &progressBars{w: w, plain: !ok || !term.IsTerminal(int(f.Fd()))}
}

func (p *progressBars) report(ev snapshot.CaptureProgress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.plain {
		if ev.Finished {
			status := fmt.Sprintf("%-12s %d", ev.Source, ev.Done)
			if ev.Message != "" {
				status += "  (" + clipText(ev.Message, 100) + ")"
			}
			fmt.Fprintln(p.w, status)
		}
		return
	}
	if ev.Source != p.cur {
		if p.bar != nil {
			_ = p.bar.Finish()
			fmt.Fprintln(p.w)
		}
		p.cur = ev.Source
		p.bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(fmt.Sprintf("%-12s", ev.Source)),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	if ev.Total > 0 {
		p.bar.ChangeMax(ev.Total)
	}
	_ = p.bar.Set(ev.Done)
	if ev.Finished {
		_ = p.bar.Finish()
		status := fmt.Sprintf("%-12s %d", ev.Source, ev.Done)
		if ev.Message != "" {
			status += "  (" + clipText(ev.Message, 100) + ")"
		}
		fmt.Fprintln(p.w, status)
		p.bar, p.cur = nil, ""
	}
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
