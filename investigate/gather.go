package investigate

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// Source names, as gaps, evidence and progress name them.
const (
	srcAlarms     = "alarms"
	srcLogs       = "logs"
	srcTraces     = "traces"
	srcMetrics    = "metrics"
	srcChanges    = "changes"
	srcAccessLogs = "access_logs"
	srcFindings   = "findings"
)

// Bounds on what one investigation reads from a source.
const (
	maxPatterns       = 2000
	maxTraceSummaries = 5000
	maxMetricList     = 2000
	// maxMetricFetch bounds the series read to find departures: the
	// alarms' metrics and the best candidates first.
	maxMetricFetch = 300
	maxTrailEvents = 5000
	// maxDelayedEvents bounds the delayed-effect changes read.
	maxDelayedEvents = 200
	// changeLookback is the least time before the window that changes are
	// read for.
	changeLookback = 2 * time.Hour
	// delayedLookback is how far back the changes that act only later
	// (delayedEffect: lifecycle expirations, scheduled actions, key
	// deletions) are read: a day-old lifecycle rule expires objects now, a
	// scheduled action set last week scales tonight.
	delayedLookback = 7 * 24 * time.Hour
	// maxFailedCalls bounds the failed calls read (LookupEvents reads every
	// call to find them; Athena filters them).
	maxFailedCalls = 1000
	maxMinutes     = 2000
	maxFindings    = 200
	// maxGroupQueries is how many log groups are mined one by one; more
	// are mined together.
	maxGroupQueries = 16
)

// patternSet is the templates of one log group (or of all, group "") in
// the window and in the baseline.
type patternSet struct {
	group     string
	win, base *telemetry.LogPatterns
}

// logGroups lists the groups to read: the snapshot's, or the configured
// names with prefixes expanded; nil lets the source choose.
func logGroups(ctx context.Context, src collectors.Sources, cfg *config.Config) ([]string, error) {
	if strings.HasPrefix(src.Name, "snapshot") {
		return src.Logs.LogGroups(ctx, "")
	}
	var out []string
	for _, n := range cfg.Logs.Groups {
		if !strings.HasSuffix(n, "*") {
			out = append(out, n)
			continue
		}
		names, err := src.Logs.LogGroups(ctx, strings.TrimSuffix(n, "*"))
		if err != nil && len(names) == 0 {
			return nil, err
		}
		out = append(out, names...)
	}
	return out, nil
}

// gathered is everything read from the sources, before reduction.
type gathered struct {
	logSets []patternSet
	logHist *telemetry.LogHistogram

	traceWin, traceBase *telemetry.TraceSummaries
	graphWin, graphBase []telemetry.ServiceStats

	metricStats  []telemetry.MetricStat
	metricData   *telemetry.MetricData
	metricPeriod int32

	trail *telemetry.CloudTrailEvents
	// failedCalls are the calls that failed, reads included, over the
	// baseline and the window.
	failedCalls *telemetry.CloudTrailEvents

	accessMinutes *telemetry.AccessLogStats
	// accessStatus groups the window's failed requests by status code,
	// with the newest of them; read only when failures or refusals rose.
	accessStatus *telemetry.AccessLogStats

	findings *telemetry.FindingList

	// gaps are the sources (or parts) that failed; warnings are what a
	// source said it skipped.
	gaps     []Gap
	warnings []string
	// read counts the sources that answered.
	read []string
}

type sourceTask struct {
	name string
	run  func(ctx context.Context, g *gathered, mu *sync.Mutex) error
}

// gather reads every configured source in parallel, at most
// cfg.Investigate.Concurrency at once, each under its own deadline. A source
// that fails becomes a gap; the others still come back.
func gather(ctx context.Context, src collectors.Sources, cfg *config.Config, sc *scope, req Request) *gathered {
	g := &gathered{}
	span := telemetry.Window{Start: sc.baseline.Start, End: sc.window.End}
	var tasks []sourceTask
	add := func(name string, present bool, run func(ctx context.Context, g *gathered, mu *sync.Mutex) error) {
		if !present {
			g.gaps = append(g.gaps, gapFor(name, telemetry.Errorf(telemetry.KindUnsupported, "this source offers no %s.", sourceNoun(name))))
			return
		}
		tasks = append(tasks, sourceTask{name, run})
	}
	add(srcLogs, src.Logs != nil, func(ctx context.Context, g *gathered, mu *sync.Mutex) error {
		groups, err := logGroups(ctx, src, cfg)
		if err != nil {
			return err
		}
		// Per group when there are few, so a template says where it
		// comes from (a log group often names the service).
		perGroup := [][]string{groups}
		if len(groups) > 0 && len(groups) <= maxGroupQueries {
			perGroup = perGroup[:0]
			for _, name := range groups {
				perGroup = append(perGroup, []string{name})
			}
		}
		// The groups are mined side by side: on a snapshot the logs are
		// the longest source to reduce.
		sets := make([]patternSet, len(perGroup))
		errs := make([]error, len(perGroup)+1)
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2)
		for i, gs := range perGroup {
			wg.Add(1)
			go func(i int, gs []string) {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				defer func() {
					if p := recover(); p != nil {
						errs[i] = fmt.Errorf("internal error mining %v: %v", gs, p)
					}
				}()
				win, err := src.Logs.Patterns(ctx, telemetry.LogQuery{LogGroups: gs, Window: sc.window, Limit: maxPatterns})
				if err != nil {
					errs[i] = err
					return
				}
				base, err := src.Logs.Patterns(ctx, telemetry.LogQuery{LogGroups: gs, Window: sc.baseline, Limit: maxPatterns})
				if err != nil {
					errs[i] = err
					return
				}
				sets[i] = patternSet{win: win, base: base}
				if len(gs) == 1 {
					sets[i].group = gs[0]
				}
			}(i, gs)
		}
		var hist *telemetry.LogHistogram
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[len(perGroup)] = fmt.Errorf("internal error counting log lines: %v", p)
				}
			}()
			hist, errs[len(perGroup)] = src.Logs.Histogram(ctx, telemetry.LogQuery{LogGroups: groups, Window: span, Bin: binFor(sc.window)})
		}()
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		mu.Lock()
		g.logSets, g.logHist = sets, hist
		for _, set := range sets {
			g.warnings = append(g.warnings, set.win.Stats.Warnings...)
		}
		mu.Unlock()
		return nil
	})
	add(srcTraces, src.Traces != nil, func(ctx context.Context, g *gathered, mu *sync.Mutex) error {
		win, err := src.Traces.TraceSummaries(ctx, telemetry.TraceQuery{Window: sc.window, Limit: maxTraceSummaries})
		if err != nil {
			return err
		}
		base, err := src.Traces.TraceSummaries(ctx, telemetry.TraceQuery{Window: sc.baseline, Limit: maxTraceSummaries})
		if err != nil {
			return err
		}
		// Per-service counts are a refinement: without them the failure
		// groups still stand.
		gw, errW := src.Traces.ServiceGraph(ctx, sc.window)
		gb, errB := src.Traces.ServiceGraph(ctx, sc.baseline)
		mu.Lock()
		defer mu.Unlock()
		g.traceWin, g.traceBase = win, base
		g.warnings = append(g.warnings, win.Warnings...)
		if errW == nil && errB == nil {
			g.graphWin, g.graphBase = gw, gb
		}
		return nil
	})
	add(srcMetrics, src.Metrics != nil, func(ctx context.Context, g *gathered, mu *sync.Mutex) error {
		stats, err := metricCandidates(ctx, src, cfg, sc, req.Description)
		if err != nil {
			return err
		}
		period := evidence.MetricPeriod(sc.window.Duration())
		var data *telemetry.MetricData
		if len(stats) > 0 {
			data, err = src.Metrics.MetricData(ctx, telemetry.MetricDataQuery{Stats: stats, Window: span, PeriodSeconds: period})
			if err != nil {
				return err
			}
		}
		mu.Lock()
		g.metricStats, g.metricData, g.metricPeriod = stats, data, period
		if data != nil {
			g.warnings = append(g.warnings, data.Warnings...)
		}
		mu.Unlock()
		return nil
	})
	add(srcChanges, src.CloudTrail != nil, func(ctx context.Context, g *gathered, mu *sync.Mutex) error {
		// Causes can precede their effects by hours (a change that only
		// bites when caches expire or traffic peaks): read changes from at
		// least two hours before the window, as well as during it.
		lookback := max(sc.window.Duration(), changeLookback)
		ev, err := src.CloudTrail.CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: telemetry.Window{Start: sc.window.Start.Add(-lookback), End: sc.window.End}, OnlyMutating: true, Limit: maxTrailEvents})
		if err != nil {
			return err
		}
		// Changes that act hours later, from further back; optional.
		if lookback < delayedLookback {
			older := telemetry.Window{Start: sc.window.Start.Add(-delayedLookback), End: sc.window.Start.Add(-lookback)}
			if late, lerr := src.CloudTrail.CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: older, EventNames: delayedEffectCalls, OnlyMutating: true, Limit: maxDelayedEvents}); lerr == nil {
				ev.Events = append(ev.Events, late.Events...)
			} else {
				mu.Lock()
				g.warnings = append(g.warnings, "changes that act later (lifecycle rules, scheduled actions) could not be read from further back: "+lerr.Error())
				mu.Unlock()
			}
		}
		// Failed calls, reads included, over the baseline and the window:
		// a workload's calls that began to fail (kms:Decrypt →
		// DisabledException) name the resource that broke. Bounded, and
		// optional: without them the changes still stand.
		failed, ferr := src.CloudTrail.CloudTrailEvents(ctx, telemetry.CloudTrailQuery{Window: span, ErrorsOnly: true, Limit: maxFailedCalls})
		mu.Lock()
		g.trail = ev
		g.warnings = append(g.warnings, ev.Stats.Warnings...)
		if ferr != nil {
			g.warnings = append(g.warnings, "failed API calls could not be read from CloudTrail: "+ferr.Error())
		} else {
			g.failedCalls = failed
			g.warnings = append(g.warnings, failed.Stats.Warnings...)
		}
		mu.Unlock()
		return nil
	})
	add(srcAccessLogs, src.AccessLogs != nil, func(ctx context.Context, g *gathered, mu *sync.Mutex) error {
		// One pass over baseline and window, by minute: it dates the 5xx,
		// and its top failing paths and targets are the incident's (the
		// baseline's failures, if any, are counted apart below).
		minutes, err := src.AccessLogs.AccessLogStats(ctx, telemetry.AccessLogQuery{Window: span, GroupBy: telemetry.GroupByMinute, Limit: maxMinutes})
		if err != nil {
			return err
		}
		mu.Lock()
		g.accessMinutes = minutes
		g.warnings = append(g.warnings, minutes.Stats.Warnings...)
		mu.Unlock()
		// Which codes, and who answered them, only when users got more
		// failures than before: on a live account it is a second query.
		if s := splitAccess(minutes, sc.window.Start); s.failuresRose() || s.refusalsRose() {
			st, err := src.AccessLogs.AccessLogStats(ctx, telemetry.AccessLogQuery{Window: sc.window, GroupBy: telemetry.GroupByStatus, StatusMin: 400, Limit: 50, IncludeRows: accessStatusRows})
			mu.Lock()
			if err != nil {
				g.warnings = append(g.warnings, "status codes could not be read from the access logs: "+err.Error())
			} else {
				g.accessStatus = st
				g.warnings = append(g.warnings, st.Stats.Warnings...)
			}
			mu.Unlock()
		}
		return nil
	})
	add(srcFindings, src.Findings != nil, func(ctx context.Context, g *gathered, mu *sync.Mutex) error {
		// Findings are standing state: every active one, whatever its update time.
		f, err := src.Findings.SecurityFindings(ctx, telemetry.FindingQuery{Limit: maxFindings})
		if err != nil {
			return err
		}
		mu.Lock()
		g.findings = f
		mu.Unlock()
		return nil
	})

	conc := cfg.Investigate.Concurrency
	if conc < 1 {
		conc = 4
	}
	timeout := time.Duration(cfg.Investigate.SourceTimeout)
	if timeout <= 0 {
		timeout = 90 * time.Second
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sem  = make(chan struct{}, conc)
		done int
	)
	for _, t := range tasks {
		wg.Add(1)
		go func(t sourceTask) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			tctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			err := runTask(tctx, t, g, &mu)
			if err != nil && tctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
				err = telemetry.Errorf(telemetry.KindTimeout, "%s took longer than %s.", t.name, timeout)
			}
			mu.Lock()
			done++
			msg := t.name + " read"
			if err != nil {
				g.gaps = append(g.gaps, gapFor(t.name, err))
				msg = t.name + " failed"
			} else {
				g.read = append(g.read, t.name)
			}
			n := done
			mu.Unlock()
			req.Progress.Report(float64(n), float64(len(tasks)), msg)
		}(t)
	}
	wg.Wait()
	sort.Strings(g.read)
	sort.SliceStable(g.gaps, func(i, j int) bool { return g.gaps[i].Source < g.gaps[j].Source })
	return g
}

// runTask runs one source, turning a panic into a gap: one bad source must
// not take the investigation down.
func runTask(ctx context.Context, t sourceTask, g *gathered, mu *sync.Mutex) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error reading %s: %v", t.name, p)
		}
	}()
	return t.run(ctx, g, mu)
}

// binFor is the histogram bin that dates an onset to the minute on windows
// up to a few hours.
func binFor(w telemetry.Window) time.Duration {
	if w.Duration() <= 6*time.Hour {
		return time.Minute
	}
	return evidence.HistogramBin(w.Duration())
}

// metricCandidates picks the metrics to read: every metric the fired alarms
// watch, then those sharing their dimensions, those the description and
// architecture name, and the rest, up to maxMetricFetch.
func metricCandidates(ctx context.Context, src collectors.Sources, cfg *config.Config, sc *scope, description string) ([]telemetry.MetricStat, error) {
	list, err := src.Metrics.ListMetrics(ctx, telemetry.MetricListQuery{Limit: maxMetricList})
	if err != nil {
		return nil, err
	}
	fired := sc.watchingAlarms()
	text := description + " " + cfg.Architecture
	nsHint := map[string]bool{}
	for _, ns := range evidence.NamespacesFor(text) {
		nsHint[ns] = true
	}
	type cand struct {
		stat  telemetry.MetricStat
		score float64
	}
	cands := make([]cand, 0, len(list.Metrics))
	for _, m := range list.Metrics {
		s, _ := evidence.ScoreAlarms(m, fired)
		t, _ := evidence.ScoreText(description, m)
		if nsHint[m.Namespace] {
			s++
		}
		cands = append(cands, cand{telemetry.MetricStat{Metric: m, Stat: evidence.DefaultStat(m.MetricName)}, s + t})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return evidence.MetricKey(cands[i].stat.Metric) < evidence.MetricKey(cands[j].stat.Metric)
	})
	// The alarms' own metrics come first, with the alarm's statistic: they
	// may not be listed (ListMetrics shows only recently active metrics).
	// A metric-math alarm has several, a composite alarm those of the
	// alarms its rule names.
	var out []telemetry.MetricStat
	seen := map[string]bool{}
	for _, a := range fired {
		for _, ms := range evidence.AlarmMetricStats(a) {
			if k := statKey(ms); !seen[k] {
				seen[k] = true
				out = append(out, ms)
			}
		}
	}
	for _, c := range cands {
		if len(out) >= maxMetricFetch {
			break
		}
		if k := statKey(c.stat); !seen[k] {
			seen[k] = true
			out = append(out, c.stat)
		}
	}
	return out, nil
}

func statKey(s telemetry.MetricStat) string { return evidence.MetricKey(s.Metric) + " " + s.Stat }
