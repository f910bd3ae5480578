package investigate

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/collectors"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// alarmLookback is how far back alarm history is read to find the alarms
// that fired and date them, as get_alarms does.
const alarmLookback = 24 * time.Hour

// scope is what the investigation is about: its window, the baseline it is
// compared with, and the alarms that brought it here.
type scope struct {
	window   telemetry.Window
	baseline telemetry.Window
	// dataStart is where the source's data begins (a snapshot's start);
	// zero when data goes back further than the baseline.
	dataStart time.Time
	alarms    []telemetry.Alarm
	// transitions are the alarms' state changes (all alarms, lookback).
	transitions []evidence.Transition
	// fired are the names of the alarms the investigation is about.
	fired []string
	notes []string
	// alarmErr is why alarms could not be read (a gap), if they could not.
	alarmErr error
}

// resolveScope decides the window, baseline and alarms of req. It fails only
// on bad input: an unknown alarm, an inverted or oversized window.
func resolveScope(ctx context.Context, src collectors.Sources, cfg *config.Config, req Request) (*scope, error) {
	sc := &scope{}
	now := time.Now().UTC()
	if src.Now != nil {
		now = src.Now().UTC()
	}
	if strings.HasPrefix(src.Name, "snapshot") && src.DefaultWindow != nil {
		sc.dataStart = snapshotDataStart(ctx, src, src.DefaultWindow())
	}
	if err := sc.readAlarms(ctx, src, req.AlarmName, now); err != nil {
		return nil, err
	}
	w := req.Window
	switch {
	case !w.Start.IsZero() || !w.End.IsZero():
		if w.End.IsZero() {
			w.End = now
		}
		if w.Start.IsZero() {
			w.Start = w.End.Add(-time.Hour)
		}
	default:
		w = sc.alarmWindow(src, now)
	}
	if !w.End.After(w.Start) {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "the window ends (%s) before it starts (%s).", w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339)).WithHint("Give start earlier than end.")
	}
	if max := time.Duration(cfg.Limits.MaxWindow); max > 0 && w.Duration() > max {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "the window %s to %s is %s long, more than the %s allowed.",
			w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339), w.Duration(), max).WithHint("Narrow the window (the limit is limits.max_window in the configuration).")
	}
	sc.window = telemetry.Window{Start: w.Start.UTC(), End: w.End.UTC()}
	sc.baseline = telemetry.Window{Start: sc.window.Start.Add(-sc.window.Duration()), End: sc.window.Start}
	if !sc.dataStart.IsZero() && sc.dataStart.After(sc.baseline.Start) {
		covered := sc.window.Start.Sub(sc.dataStart)
		if covered < minBaseline {
			// Nothing to compare with before the window: compare with its
			// own first fifth instead, and say so. A short baseline is
			// better than that: the first fifth may hold the onset (an
			// alarm that fired late on errors that began minutes into it).
			cut := sc.window.Start.Add(sc.window.Duration() / 5)
			sc.baseline = telemetry.Window{Start: sc.window.Start, End: cut}
			sc.window.Start = cut
			sc.notes = append(sc.notes, fmt.Sprintf("The data holds nothing before %s, so the first fifth of the window (%s..%s) serves as the baseline.",
				sc.dataStart.Format(time.RFC3339), sc.baseline.Start.Format("15:04"), sc.baseline.End.Format("15:04")))
		} else if covered < sc.window.Duration() {
			sc.notes = append(sc.notes, fmt.Sprintf("The data starts at %s, so the baseline covers only %s before the window.", sc.dataStart.Format(time.RFC3339), covered.Round(time.Minute)))
		}
	}
	return sc, nil
}

// minBaseline is the least data before the window worth comparing with;
// with less, the window's own first fifth serves as the baseline.
const minBaseline = 5 * time.Minute

// snapshotDataStart is where a snapshot's data begins: its window's start,
// or, when it was captured with its baseline (`fa2 snapshot --baseline`
// keeps the equal window before), that baseline's start. Log events before
// the window tell the two apart (CloudTrail is read hours back either way).
func snapshotDataStart(ctx context.Context, src collectors.Sources, w telemetry.Window) time.Time {
	before := telemetry.Window{Start: w.Start.Add(-w.Duration()), End: w.Start}
	if src.Logs != nil {
		// A count, not the events: it needs no message unpacked.
		if h, err := src.Logs.Histogram(ctx, telemetry.LogQuery{Window: before, Bin: before.Duration()}); err == nil && h != nil && h.Matched > 0 {
			return before.Start
		}
	}
	return w.Start
}

// baselineSpan is how much of the baseline the data actually covers, for
// rates: a snapshot may start after the baseline does.
func (sc *scope) baselineSpan() time.Duration {
	start := sc.baseline.Start
	if sc.dataStart.After(start) {
		start = sc.dataStart
	}
	if d := sc.baseline.End.Sub(start); d > 0 {
		return d
	}
	return 0
}

// readAlarms reads the alarms and their recent history, and picks the
// alarms the investigation is about: the named one, or those that fired.
func (sc *scope) readAlarms(ctx context.Context, src collectors.Sources, name string, now time.Time) error {
	if src.Alarms == nil {
		if name != "" {
			return telemetry.Errorf(telemetry.KindUnsupported, "alarm %q cannot be looked up: this source has no CloudWatch alarms.", name).WithHint("Give start and end instead of alarm_name.")
		}
		sc.alarmErr = telemetry.Errorf(telemetry.KindUnsupported, "this source has no CloudWatch alarms.")
		return nil
	}
	list, err := src.Alarms.Alarms(ctx, telemetry.AlarmQuery{})
	if err != nil {
		if name != "" {
			return err
		}
		sc.alarmErr = err
		return nil
	}
	sc.alarms = list.Alarms
	byName := map[string]telemetry.Alarm{}
	var names []string
	for _, a := range list.Alarms {
		byName[a.Name] = a
		names = append(names, a.Name)
	}
	if name != "" {
		if _, ok := byName[name]; !ok {
			sort.Strings(names)
			hint := "There are no alarms in this source; give start and end instead."
			if len(names) > 0 {
				hint = "Known alarms: " + strings.Join(clipList(names, 20), ", ") + "."
			}
			return telemetry.Errorf(telemetry.KindNotFound, "there is no alarm named %q.", name).WithHint(hint)
		}
	}
	if len(names) > 0 {
		hist, err := src.Alarms.AlarmHistory(ctx, telemetry.AlarmHistoryQuery{Names: names, Window: telemetry.Window{Start: now.Add(-alarmLookback), End: now}, Limit: 200})
		if err != nil {
			sc.notes = append(sc.notes, "Alarm history could not be read, so only alarms firing now date the incident: "+err.Error())
		} else {
			for _, h := range hist.Items {
				sc.transitions = append(sc.transitions, evidence.ParseTransition(h, byName[h.AlarmName].Comparison))
			}
		}
	}
	if name != "" {
		sc.fired = []string{name}
		return nil
	}
	// The alarms that fired: in ALARM now, or went into ALARM lately.
	seen := map[string]bool{}
	for _, a := range list.Alarms {
		if a.State == telemetry.AlarmStateAlarm && !seen[a.Name] {
			seen[a.Name] = true
			sc.fired = append(sc.fired, a.Name)
		}
	}
	for _, t := range sc.transitions {
		if t.To == telemetry.AlarmStateAlarm && !seen[t.Alarm] {
			seen[t.Alarm] = true
			sc.fired = append(sc.fired, t.Alarm)
		}
	}
	sort.Strings(sc.fired)
	sc.dropStandingAlarms(list.Alarms)
	if len(sc.fired) > 0 {
		sc.notes = append(sc.notes, "No alarm was named, so the investigation covers the alarms that fired: "+strings.Join(sc.fired, ", ")+".")
	}
	return nil
}

// standingAlarm is how long before the latest alarm another must have gone
// into ALARM to be background rather than part of this incident.
const standingAlarm = time.Hour

// dropStandingAlarms leaves out of an unnamed investigation the alarms
// that went into ALARM long before the latest one did: an alarm red for
// hours (a backlog nobody fixed, a noisy threshold) is background, and
// dating the window from it would hide the incident that just began.
func (sc *scope) dropStandingAlarms(alarms []telemetry.Alarm) {
	entered := map[string]time.Time{}
	for _, a := range alarms {
		if a.State == telemetry.AlarmStateAlarm && !a.StateUpdated.IsZero() {
			entered[a.Name] = a.StateUpdated
		}
	}
	for _, t := range sc.transitions {
		if t.To == telemetry.AlarmStateAlarm && t.Time.After(entered[t.Alarm]) {
			entered[t.Alarm] = t.Time
		}
	}
	var latest time.Time
	for _, name := range sc.fired {
		if entered[name].After(latest) {
			latest = entered[name]
		}
	}
	var keep, dropped []string
	for _, name := range sc.fired {
		if e, ok := entered[name]; ok && latest.Sub(e) > standingAlarm {
			dropped = append(dropped, fmt.Sprintf("%s (in ALARM since %s)", name, e.UTC().Format(time.RFC3339)))
			continue
		}
		keep = append(keep, name)
	}
	if len(dropped) == 0 || len(keep) == 0 {
		return
	}
	sc.fired = keep
	sc.notes = append(sc.notes, "Left out as background, having gone into ALARM over an hour before the others: "+strings.Join(dropped, ", ")+". Name one as alarm_name to investigate it.")
}

// alarmWindow is the window get_alarms suggests for the fired alarms, or
// the source's default window when none fired.
func (sc *scope) alarmWindow(src collectors.Sources, now time.Time) telemetry.Window {
	var picked []telemetry.Alarm
	for _, a := range sc.alarms {
		if contains(sc.fired, a.Name) {
			picked = append(picked, a)
		}
	}
	if sw := evidence.SuggestWindow(picked, sc.transitions, now); sw != nil {
		w := telemetry.Window{Start: sw.Start, End: sw.End}
		sc.notes = append(sc.notes, "Window "+sw.Start.Format(time.RFC3339)+" .. "+sw.End.Format(time.RFC3339)+": "+sw.Reason+".")
		return w
	}
	def := telemetry.Window{Start: now.Add(-time.Hour), End: now}
	if src.DefaultWindow != nil {
		def = src.DefaultWindow()
	}
	if len(sc.fired) > 0 {
		sc.notes = append(sc.notes, "The alarm did not fire in the last 24h, so the window is the source's default.")
	} else {
		sc.notes = append(sc.notes, "No alarm fired and no window was given, so the window is the source's default.")
	}
	return def
}

// firedAlarms returns the alarms the investigation is about.
func (sc *scope) firedAlarms() []telemetry.Alarm {
	var out []telemetry.Alarm
	for _, a := range sc.alarms {
		if contains(sc.fired, a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// watchingAlarms returns the fired alarms and the alarms their composite
// rules name: every alarm whose metrics the investigation reads as the
// alarm's own.
func (sc *scope) watchingAlarms() []telemetry.Alarm {
	return sc.alarmsBehind(sc.firedAlarms())
}

// alarmsBehind returns alarms and the alarms their composite rules name
// that fired (are in ALARM or went there lately).
func (sc *scope) alarmsBehind(alarms []telemetry.Alarm) []telemetry.Alarm {
	return evidence.AlarmsBehind(alarms, sc.alarms, func(a telemetry.Alarm) bool {
		if a.State == telemetry.AlarmStateAlarm || contains(sc.fired, a.Name) {
			return true
		}
		for _, t := range sc.transitions {
			if t.Alarm == a.Name && t.To == telemetry.AlarmStateAlarm {
				return true
			}
		}
		return false
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func clipList(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(append([]string(nil), list[:n]...), fmt.Sprintf("… %d more", len(list)-n))
}
