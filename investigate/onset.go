package investigate

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// signal is one signal's departure: when it started and what it is.
type signal struct {
	name  string
	start time.Time
	// primary signals are failures themselves (errors, 5xx, faults, the
	// alarm's metric); secondary ones are other metrics that moved, linked
	// when the failure evidence names one of their dimensions.
	primary bool
	linked  bool
	// traffic: a count of requests or bytes, which says how much came,
	// not that anything failed; it never leads the failures.
	traffic bool
	// precursor: a secondary signal that may date the onset when it leads
	// the failures by minutes (a queue filling, connections draining).
	precursor bool
	// until is when a new error template was last seen (zero for other
	// signals): one that runs on past the others' start is the failure
	// beginning quietly, not early noise.
	until time.Time
}

// onsetSignals lists when each failure signal left its baseline.
func onsetSignals(g *gathered, sc *scope, templates []logTemplate, moves []metricMove, im *implicated) []signal {
	span := telemetry.Window{Start: sc.baseline.Start, End: sc.window.End}
	dataStart := sc.dataStart
	if dataStart.IsZero() || dataStart.Before(sc.baseline.Start) {
		dataStart = sc.baseline.Start
	}
	var out []signal
	addBins := func(name string, b *bins) {
		if b == nil {
			return
		}
		if d := b.sustainedRise(sc.window, dataStart); d != nil {
			out = append(out, signal{name: fmt.Sprintf("%s (%.0f per %s at peak, baseline %.1f)", name, d.peak, shortDur(b.width), d.base), start: d.start, primary: true})
		}
	}
	addBins("error log lines", histogramErrors(g.logHist, span))
	if g.accessMinutes != nil {
		addBins("ALB 5xx responses", accessLogMinutes(g.accessMinutes, span, fivexx))
		addBins("ALB requests refused by the load balancer (4xx)", accessLogMinutes(g.accessMinutes, span, lbRefused))
	}
	if g.traceWin != nil {
		var base []telemetry.TraceSummary
		if g.traceBase != nil {
			base = g.traceBase.Summaries
		}
		addBins("failing traces", traceFailures(base, g.traceWin.Summaries)(span))
		if lat := traceLatency(span, base, g.traceWin.Summaries); lat != nil {
			if d := lat.latencyRise(sc.window, dataStart); d != nil {
				out = append(out, signal{name: fmt.Sprintf("trace response time (%.2fs per request, baseline %.2fs)", d.peak, d.base), start: d.start, primary: true})
			}
		}
	}
	for _, t := range templates {
		if t.status == statusNew && t.errorLike() && t.sustained && !t.p.FirstSeen.IsZero() && sc.window.Contains(t.p.FirstSeen) {
			sig := signal{name: "new log template " + quoteClip(t.p.Template, 80), start: t.p.FirstSeen.Truncate(time.Minute), primary: true}
			if t.p.Count >= quietOnsetLines {
				sig.until = t.p.LastSeen
			}
			out = append(out, sig)
			break // the best-ranked one speaks for them
		}
	}
	for _, m := range moves {
		failing := failureMetric(m.stat.Metric.MetricName) && m.dep.Direction == "above"
		linked := false
		// Linked: the failure evidence names the metric's resource with
		// weight; a service named only by a new INFO line at its start-up
		// (another service's deploy) is not part of the failure.
		for _, d := range m.stat.Metric.Dimensions {
			if dimensionWeight(d.Name, m.stat.Metric.Dimensions) == 1 && im.strongly(append(identifiers(d.Value), strings.ToLower(d.Value))) {
				linked = true
			}
		}
		// A failure metric dates the onset on its own when the alarm
		// watches it, when the failure evidence names its resource, or
		// when it names none (an account-wide count); another resource's
		// errors are a secondary signal.
		primary := m.alarmed != nil || failing && (linked || !specificDimensions(m.stat.Metric))
		out = append(out, signal{name: fmt.Sprintf("%s %s went %s its baseline", evidence.MetricKey(m.stat.Metric), m.stat.Stat, m.dep.Direction), start: m.dep.Start, primary: primary, linked: linked,
			traffic: !failing && trafficMetric.MatchString(m.stat.Metric.MetricName),
			// A rise of load (CPU, memory) precedes failures without being
			// one; a symptom rising, or something draining, may lead them.
			precursor: m.dep.Direction != "above" || symptomMetric(m.stat.Metric.MetricName)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out
}

// quietOnsetLines is how many lines a new error needs to date the onset
// by itself when it begins long before the other signals: a handful is as
// likely a routine error's rare variant (another value the miner split
// into a template of its own).
const quietOnsetLines = 10

// trafficMetric names counts of requests, messages or bytes (a WAF rule's
// counted requests, a load balancer's request count).
var trafficMetric = regexp.MustCompile(`(?i)(requests?(count)?$|invocations$|counted|allowedrequests|passedrequests|incoming|bytes|packets|numberofmessages(sent|received|published)|consumed(read|write)capacity|^count$)`)

// specificDimensions reports a metric of one resource (a function, a
// table, a target group), not of a whole load balancer or account.
func specificDimensions(m telemetry.Metric) bool {
	for _, d := range m.Dimensions {
		if dimensionWeight(d.Name, m.Dimensions) == 1 && !sharedDimensions[d.Name] {
			return true
		}
	}
	return false
}

// pickOnset is the earliest sustained departure among the failure signals.
// A primary signal far earlier than every other is an outlier (routine
// noise that happens to start early), and a secondary metric counts only
// when it leads the failures by a few minutes — a pool draining or a queue
// filling just before errors — or when nothing else departed.
func pickOnset(sigs []signal) (*time.Time, string) {
	var primary, secondary []signal
	for _, s := range sigs {
		if s.primary {
			primary = append(primary, s)
		} else {
			secondary = append(secondary, s)
		}
	}
	if len(primary) == 0 {
		if len(secondary) == 0 {
			return nil, ""
		}
		// Secondary only: the earliest departure that others confirm
		// within ten minutes, else the earliest.
		pick := secondary[0]
		for i, s := range secondary {
			if i+1 < len(secondary) && secondary[i+1].start.Sub(s.start) <= 10*time.Minute {
				pick = s
				break
			}
		}
		t := pick.start
		return &t, pick.name
	}
	first := primary[0]
	if len(primary) >= 3 {
		// Drop a leader that starts more than 15 minutes before the
		// median of the rest.
		median := primary[len(primary)/2].start
		for _, s := range primary {
			// A new error that started early and runs on past the others'
			// start is the failure beginning quietly (a few failed uploads
			// a minute before the alarm's count crossed its threshold).
			if median.Sub(s.start) <= 15*time.Minute || s.until.After(median) {
				first = s
				break
			}
		}
	}
	for _, s := range secondary {
		if s.linked && s.precursor && !s.traffic && s.start.Before(first.start) && first.start.Sub(s.start) <= 5*time.Minute {
			first = s
			break
		}
	}
	t := first.start
	return &t, first.name
}

func shortDur(d time.Duration) string {
	switch d {
	case time.Minute:
		return "min"
	case time.Hour:
		return "hour"
	}
	return d.String()
}

func quoteClip(s string, n int) string { return "“" + clip(s, n) + "”" }
