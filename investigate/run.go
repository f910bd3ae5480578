package investigate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

// Run investigates req over src. It returns an error only when nothing can
// be investigated (bad input, no data at all); a source that fails becomes
// a Gap in the bundle.
func Run(ctx context.Context, src collectors.Sources, cfg *config.Config, req Request) (*Bundle, error) {
	if cfg == nil {
		c := config.Default()
		cfg = &c
	}
	budget := req.Budget
	if budget == 0 {
		budget = cfg.Investigate.Budget
		if budget == 0 {
			budget = DefaultBudget
		}
	}
	if budget < MinBudget {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "a budget of %d tokens is too small for an evidence bundle.", budget).WithHint(fmt.Sprintf("Use a budget of at least %d tokens (default %d).", MinBudget, DefaultBudget))
	}
	lang := req.Language
	if lang == "" {
		lang = cfg.Language
	}
	switch lang {
	case "", "en":
		lang = "en"
	case "ja":
	default:
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "language %q is not supported.", req.Language).WithHint("Use en or ja.")
	}
	if src.Prefetch != nil {
		src.Prefetch()
	}
	sc, err := resolveScope(ctx, src, cfg, req)
	if err != nil {
		return nil, err
	}
	g := gather(ctx, src, cfg, sc, req)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if sc.alarmErr != nil {
		g.gaps = append([]Gap{gapFor(srcAlarms, sc.alarmErr)}, g.gaps...)
	}
	if err := checkData(g, sc, src); err != nil {
		return nil, err
	}
	a := analyse(g, sc, req, cfg.Architecture)
	a.knowledgeItems(ctx, cfg, g) // runbooks and past incidents, lowest priority
	b := a.bundle(src, sc, g, req, lang, budget)
	// For the report's hypothesis diagram.
	b.Architecture, b.Topology = cfg.Architecture, topology(g, b.Evidence)
	return b, nil
}

// checkData refuses a window where no source has anything: an empty
// bundle would read as "all is well". Sources that answered with nothing
// become gaps.
func checkData(g *gathered, sc *scope, src collectors.Sources) error {
	has := map[string]bool{}
	for _, s := range g.logSets {
		if s.win != nil && s.win.Matched > 0 || s.base != nil && s.base.Matched > 0 {
			has[srcLogs] = true
		}
	}
	if g.traceWin != nil && len(g.traceWin.Summaries) > 0 || g.traceBase != nil && len(g.traceBase.Summaries) > 0 {
		has[srcTraces] = true
	}
	if g.metricData != nil {
		for _, s := range g.metricData.Series {
			if len(s.Points) > 0 {
				has[srcMetrics] = true
				break
			}
		}
	}
	if g.trail != nil && len(g.trail.Events) > 0 {
		has[srcChanges] = true
	}
	if g.accessMinutes != nil && g.accessMinutes.Totals.Requests > 0 {
		has[srcAccessLogs] = true
	}
	for _, name := range g.read {
		if !has[name] && name != srcFindings && name != srcChanges {
			g.gaps = append(g.gaps, noDataGap(name))
		}
	}
	if len(has) > 0 {
		return nil
	}
	span := telemetry.Window{Start: sc.baseline.Start, End: sc.window.End}
	hint := "Widen the window, or check that the sources are configured."
	if strings.HasPrefix(src.Name, "snapshot") && src.DefaultWindow != nil {
		dw := src.DefaultWindow()
		hint = fmt.Sprintf("The snapshot covers %s to %s; give a window inside it.", rfc(dw.Start), rfc(dw.End))
	}
	var failed []string
	for _, gp := range g.gaps {
		failed = append(failed, gp.Source+": "+strings.TrimSuffix(gp.What, "."))
	}
	msg := fmt.Sprintf("no source has any telemetry between %s and %s", rfc(span.Start), rfc(span.End))
	if len(failed) > 0 {
		msg += " (" + strings.Join(failed, "; ") + ")"
	}
	return telemetry.Errorf(telemetry.KindNotFound, "%s.", msg).WithHint(hint)
}

// shortTime renders a time for text: the clock when the day is the
// window's, RFC 3339 otherwise.
func shortTime(t time.Time, sc *scope) string {
	if t.Format("2006-01-02") == sc.window.Start.Format("2006-01-02") {
		return t.UTC().Format("15:04:05")
	}
	return rfc(t)
}
