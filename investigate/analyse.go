package investigate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// Sizes of what the bundle lists before the budget trims it.
const (
	maxTemplateItems = 12
	maxTraceItems    = 6
	maxMetricItems   = 8
	maxSuspectItems  = 8
	maxSuspects      = 8
)

// analysis is the reduced, correlated investigation before rendering.
type analysis struct {
	items      []*item
	templates  []logTemplate
	tmplRefs   map[int]*item
	groups     []traceGroup
	slow       []slowService
	moves      []metricMove
	changes    []telemetry.CloudTrailEvent
	failedCall int
	suspects   []suspect
	im         *implicated
	onset      *time.Time
	onsetBy    string
	signals    []signal
	alarms     []AlarmRef
	timeline   []timelineDraft
	verdict    string
	whatFailed *item
	mechanism  *metricMove
	firstError *logTemplate
	arch       architecture
	// signatures are the kinds of failure the evidence shows.
	signatures map[string]bool
	// failedCallText: the failing workload's new failed AWS calls (service,
	// error code, message), for the signatures.
	failedCallText []string
}

type timelineDraft struct {
	t    time.Time
	kind string
	text string
	ref  *item
}

func (a *analysis) add(it *item) *item {
	a.items = append(a.items, it)
	return it
}

// analyse reduces what was gathered, finds the onset and ranks the suspects.
func analyse(g *gathered, sc *scope, req Request, architectureText string) *analysis {
	a := &analysis{im: newImplicated(), tmplRefs: map[int]*item{}, arch: parseArchitecture(architectureText)}
	a.alarmItems(sc)
	a.traceItems(g, sc)
	a.logItems(g, sc)
	a.moves = metricDepartures(g, sc)
	a.accessItems(g, sc)
	// Metrics join the implicated set by their dimensions; the onset then
	// orders them.
	a.signals = onsetSignals(g, sc, a.templates, a.moves, a.im)
	a.findOnset(sc)
	a.refineOnset()
	rankMoves(a.moves, a.onset)
	a.metricItems(sc)
	a.findingItems(g)
	a.failedCallItems(g, sc)
	a.changeItems(g, sc)
	a.buildTimeline(sc)
	a.buildVerdict(g)
	return a
}

// findOnset picks the onset among the signals, or from the alarm when no
// failure signal is sustained.
func (a *analysis) findOnset(sc *scope) {
	a.onset, a.onsetBy = pickOnset(a.signals)
	if !anyPrimary(a.signals) {
		// No failure signal is sustained: a one-off failure. The first new
		// error before the alarm dates it better than a metric that merely
		// moved; with neither, the alarm's own datapoints do.
		if t, by := a.alarmOnset(sc); t != nil && (a.onset == nil || strings.HasPrefix(by, "first new error") && !a.linkedNear(*t)) {
			a.onset, a.onsetBy = t, by
		}
	}
}

func anyPrimary(sigs []signal) bool {
	for _, s := range sigs {
		if s.primary {
			return true
		}
	}
	return false
}

// linkedNear reports whether the onset already picked comes from a metric
// the failure evidence names, leading t by at most five minutes (a queue
// filling before the first error): it then stands.
func (a *analysis) linkedNear(t time.Time) bool {
	if a.onset == nil {
		return false
	}
	for _, s := range a.signals {
		if s.start.Equal(*a.onset) && s.linked && !s.start.After(t) && t.Sub(s.start) <= 5*time.Minute {
			return true
		}
	}
	return false
}

// alarmOnset dates a failure that nothing sustained shows (a batch run
// that failed once, a single timeout): when an alarm fired, the first new
// error in the half hour before it, else the alarm's first breaching
// datapoint, else the time it fired.
func (a *analysis) alarmOnset(sc *scope) (*time.Time, string) {
	var fired time.Time
	var firing *telemetry.Alarm
	for _, al := range sc.firedAlarms() {
		for _, ref := range a.alarms {
			if ref.Name == al.Name && !ref.FiredAt.IsZero() && (fired.IsZero() || ref.FiredAt.Before(fired)) {
				fired, firing = ref.FiredAt, &al
			}
		}
	}
	if firing == nil {
		return nil, ""
	}
	var first *logTemplate
	for i := range a.templates {
		t := &a.templates[i]
		ft := t.p.FirstSeen
		if t.status != statusNew || !t.errorLike() || ft.IsZero() || ft.After(fired) || fired.Sub(ft) > 30*time.Minute {
			continue
		}
		if first == nil || ft.Before(first.p.FirstSeen) {
			first = t
		}
	}
	if first != nil {
		t := first.p.FirstSeen
		return &t, "first new error " + quoteClip(first.p.Template, 80) + " before alarm " + firing.Name
	}
	if rd := evidence.ParseReasonData([]byte(firing.ReasonData), firing.Comparison); rd != nil {
		for _, p := range rd.Datapoints {
			if p.Breaching && !p.Timestamp.IsZero() && !p.Timestamp.After(fired) {
				t := p.Timestamp
				for _, q := range rd.Datapoints {
					if q.Breaching && !q.Timestamp.IsZero() && q.Timestamp.Before(t) {
						t = q.Timestamp
					}
				}
				return &t, "the first breaching datapoint of alarm " + firing.Name
			}
		}
	}
	t := fired
	return &t, "alarm " + firing.Name + " went to ALARM"
}

// refineOnset dates an onset found per minute to the first failing event
// inside that minute, when one is known (a new error line, a failing
// trace).
func (a *analysis) refineOnset() {
	if a.onset == nil || a.onset.Second() != 0 || a.onset.Nanosecond() != 0 {
		return
	}
	end := a.onset.Add(time.Minute)
	var first time.Time
	consider := func(t time.Time) {
		if !t.Before(*a.onset) && t.Before(end) && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	for _, t := range a.templates {
		if t.status == statusNew && t.errorLike() {
			consider(t.p.FirstSeen)
		}
	}
	for _, g := range a.groups {
		if g.isNew {
			consider(g.First)
		}
	}
	if !first.IsZero() {
		a.onset = &first
	}
}

// alarmItems describes the fired alarms; their dimensions implicate
// resources.
func (a *analysis) alarmItems(sc *scope) {
	for _, al := range sc.firedAlarms() {
		ref := AlarmRef{Name: al.Name, State: al.State, Reason: clip(al.Reason, 300), Threshold: al.Threshold, Comparison: al.Comparison}
		if al.MetricName != "" {
			m := telemetry.Metric{Namespace: al.Namespace, MetricName: al.MetricName, Dimensions: al.Dimensions}
			ref.Metric = &m
		} else if al.Kind == "metric" {
			ref.Metrics, ref.Measure = evidence.AlarmMetricStats(al), evidence.DescribeMeasure(al)
		}
		var fired, recovered time.Time
		for _, t := range sc.transitions {
			if t.Alarm != al.Name {
				continue
			}
			if t.To == telemetry.AlarmStateAlarm && (fired.IsZero() || t.Time.Before(fired)) && !t.Time.Before(sc.baseline.Start) {
				fired = t.Time
			}
		}
		for _, t := range sc.transitions {
			if t.Alarm == al.Name && t.From == telemetry.AlarmStateAlarm && !fired.IsZero() && t.Time.After(fired) && (recovered.IsZero() || t.Time.Before(recovered)) {
				recovered = t.Time
			}
		}
		if fired.IsZero() && al.State == telemetry.AlarmStateAlarm {
			fired = al.StateUpdated
		}
		ref.FiredAt = fired
		a.alarms = append(a.alarms, ref)
		var b strings.Builder
		if al.Kind == "composite" {
			fmt.Fprintf(&b, "composite: %s. ", al.Rule)
			if behind := sc.alarmsBehind([]telemetry.Alarm{al})[1:]; len(behind) > 0 {
				fmt.Fprintf(&b, "Stands for %s. ", strings.Join(clipList(evidence.AlarmNames(behind), 5), ", "))
			}
		} else if measure := evidence.DescribeMeasure(al); measure != "" && al.MetricName == "" {
			fmt.Fprintf(&b, "%s; %s", clip(measure, 400), al.Comparison)
			if al.Threshold != nil {
				fmt.Fprintf(&b, " %g", *al.Threshold)
			}
			b.WriteString(". ")
		} else if al.MetricName != "" {
			fmt.Fprintf(&b, "%s %s %s", evidence.MetricKey(telemetry.Metric{Namespace: al.Namespace, MetricName: al.MetricName, Dimensions: al.Dimensions}), al.Statistic, al.Comparison)
			if al.Threshold != nil {
				fmt.Fprintf(&b, " %g", *al.Threshold)
			}
			b.WriteString(". ")
		}
		fmt.Fprintf(&b, "Now %s", al.State)
		if !fired.IsZero() {
			fmt.Fprintf(&b, "; went to ALARM at %s", rfc(fired))
		}
		if !recovered.IsZero() {
			fmt.Fprintf(&b, ", back to %s at %s", "OK", rfc(recovered))
		}
		b.WriteString(".")
		if al.Reason != "" {
			fmt.Fprintf(&b, " Reason: %s", clip(al.Reason, 240))
		}
		it := a.add(&item{source: srcAlarms, title: "Alarm " + al.Name, text: b.String(), priority: 88,
			reproduce: reproduce("get_alarms", map[string]any{"names": []string{al.Name}, "include_history": true})})
		// Every metric the alarm reads implicates its resources; a
		// composite alarm's are those of the alarms its rule names.
		var dims []telemetry.Dimension
		for _, w := range sc.alarmsBehind([]telemetry.Alarm{al}) {
			for _, d := range evidence.AlarmDimensions(w) {
				if !slices.Contains(dims, d) {
					dims = append(dims, d)
				}
			}
		}
		for _, d := range dims {
			w := 0.7 * dimensionWeight(d.Name, dims)
			a.im.addName(d.Value, it, w, "the alarm's dimensions")
			a.im.add(d.Value, it, w, "the alarm's dimensions")
		}
		if !fired.IsZero() {
			a.timeline = append(a.timeline, timelineDraft{t: fired, kind: "alarm", text: al.Name + " went to ALARM", ref: it})
		}
		if !recovered.IsZero() {
			a.timeline = append(a.timeline, timelineDraft{t: recovered, kind: "recovery", text: al.Name + " back to OK", ref: it})
		}
	}
}

// traceItems lists the failure groups, new ones first, down to the deepest
// failing call, and the services that slowed down.
func (a *analysis) traceItems(g *gathered, sc *scope) {
	a.groups = compareFailures(g.traceWin, g.traceBase)
	for i, tg := range a.groups {
		if i >= maxTraceItems {
			break
		}
		weight, what := 1.0, "failing traces"
		prio := 90 - float64(i)
		status := "new: not in the baseline"
		if !tg.isNew {
			weight, what = 0.2, "failing traces (also in the baseline)"
			prio = 32 - float64(i)
			status = fmt.Sprintf("also in the baseline (%d there)", tg.baseCount)
		}
		text := fmt.Sprintf("%s. %s..%s, %s", tg.describe(), shortTime(tg.First, sc), shortTime(tg.Last, sc), status)
		if len(tg.Requests) > 0 {
			text += "; requests " + strings.Join(tg.Requests, ", ")
		}
		if len(tg.ExampleIDs) > 0 {
			text += "; e.g. trace " + tg.ExampleIDs[0]
		}
		text += "."
		it := a.add(&item{source: srcTraces, title: "Traces fail at " + clip(lastHop(tg.Path), 80), text: text, priority: prio,
			reproduce: reproduce("get_traces", mergeArgs(windowArgs(sc.window), map[string]any{"filter_expression": "fault OR error OR throttle"}))})
		a.im.addName(tg.Service, it, weight, what)
		for _, hop := range strings.Split(tg.Path, " > ") {
			a.im.addName(entityName(hop), it, weight, what)
			a.im.add(hop, it, weight, what)
		}
		a.im.add(tg.Message, it, weight, what)
		if tg.isNew && awsCallHop(lastHop(tg.Path)) {
			a.im.awsCallsFail = true
		}
		if i == 0 && tg.isNew {
			a.whatFailed = it
		}
	}
	a.slow = slowServices(g.graphWin, g.graphBase)
	for i, s := range a.slow {
		if i >= 3 {
			break
		}
		text := fmt.Sprintf("%s answers in %.3fs on average, %.3fs in the baseline (%.0f× slower); %d calls, %d failing.", s.name, s.avg, s.baseAvg, s.avg/s.baseAvg, s.total, s.faults)
		it := a.add(&item{source: srcTraces, title: s.name + " slowed down", text: text, priority: 84 - float64(i),
			reproduce: reproduce("get_traces", mergeArgs(windowArgs(sc.window), map[string]any{"filter_expression": fmt.Sprintf("service(%q) AND responsetime > %.2f", s.name, 2*s.baseAvg)}))})
		a.im.addName(s.name, it, 0.9, "slowed service")
		if a.whatFailed == nil {
			a.whatFailed = it
		}
	}
}

// lastHop is the deepest entity of a failure path.
func lastHop(path string) string {
	parts := strings.Split(path, " > ")
	return parts[len(parts)-1]
}

// entityName is the name part of an entity label such as
// "checkout-db (SQL PostgreSQL)" or "DynamoDB PutItem".
func entityName(label string) string {
	if i := strings.Index(label, " ("); i > 0 {
		label = label[:i]
	}
	return strings.TrimSpace(label)
}

// logItems compares the window's templates with the baseline's.
func (a *analysis) logItems(g *gathered, sc *scope) {
	templates, gone := compareTemplates(g.logSets, sc.window.Duration(), sc.baselineSpan())
	a.templates = templates
	n := 0
	for i := range templates {
		t := &templates[i]
		if !t.notable() {
			continue
		}
		if n >= maxTemplateItems {
			break
		}
		n++
		var b strings.Builder
		fmt.Fprintf(&b, "%d× %s", t.p.Count, strings.ToUpper(t.status))
		if t.p.Severity != "" {
			fmt.Fprintf(&b, " %s", t.p.Severity)
		}
		switch t.status {
		case statusNew:
			b.WriteString(" (never in the baseline)")
		case statusRisen:
			fmt.Fprintf(&b, " (%.0f× the baseline rate; %d there)", t.ratio, t.baseCount)
		case statusSteady:
			fmt.Fprintf(&b, " (as often as in the baseline: %d there)", t.baseCount)
		}
		if !t.p.FirstSeen.IsZero() {
			fmt.Fprintf(&b, ", %s..%s", shortTime(t.p.FirstSeen, sc), shortTime(t.p.LastSeen, sc))
		}
		if t.group != "" {
			fmt.Fprintf(&b, " in %s", t.group)
		}
		fmt.Fprintf(&b, ": %s", evidence.Condense(t.p.Template, 400))
		b.WriteString(sampleNote(t))
		if code := evidence.HTTPStatus(t.p.Sample); code > 0 && !strings.Contains(t.p.Template, strconv.Itoa(code)) {
			// The template hides the status among its numbers; it is
			// what an access log's line is about.
			fmt.Fprintf(&b, " (status %d)", code)
		}
		prio := 50 + 7*t.score
		if prio > 87 {
			prio = 87
		}
		args := mergeArgs(windowArgs(sc.window), map[string]any{"mode": "patterns"})
		if t.group != "" {
			args["log_groups"] = []string{t.group}
		}
		if f := filterFor(t.p.Template); f != "" {
			args["filter"] = f
		}
		kind := "log template"
		if t.errorLike() {
			kind = "error log template"
		}
		title := strings.ToUpper(t.status[:1]) + t.status[1:] + " " + kind
		if t.group != "" {
			title += " in " + t.group
		}
		it := a.add(&item{source: srcLogs, title: title, text: b.String(), priority: prio, reproduce: reproduce("query_logs", args)})
		a.tmplRefs[i] = it
		weight, what := 0.3, "a log template"
		if t.failureLike() && (t.status == statusNew || t.status == statusRisen) {
			weight, what = 1.0, "a new or risen error template"
		} else if t.status == statusNew || t.status == statusRisen {
			weight, what = 0.5, "a new log template"
		}
		text := t.p.Template + " " + t.p.Sample
		if stackTrace.MatchString(t.p.Sample) {
			// A multi-line event (a stack trace): its indented lines are
			// frames and source code, whose variable names name nothing.
			text = messageLines(t.p.Sample)
		}
		if d, ok := parseDenial(t.p.Sample); ok && weight >= 1 {
			a.im.denials = append(a.im.denials, d)
			if d.policy == "resource" {
				// The resource's policy refused the caller: the caller is
				// not what changed, and names it only weakly.
				text = strings.ReplaceAll(text, d.principal, " ")
				a.im.add(d.principal, it, 0.5, "the denied caller")
			}
			a.im.add(d.resource, it, 1, "the denied resource")
		}
		a.im.add(text, it, weight, what)
		if t.group != "" && weight >= 1 {
			a.im.add(t.group, it, 0.9, "the log group of a new error")
		}
		if t.status == statusNew && t.errorLike() && !t.p.FirstSeen.IsZero() && a.firstError == nil {
			a.firstError = t
			a.timeline = append(a.timeline, timelineDraft{t: t.p.FirstSeen, kind: "first_error", text: "first " + quoteClip(t.p.Template, 100), ref: it})
		}
		if a.whatFailed == nil && t.errorLike() && t.status != statusSteady {
			a.whatFailed = it
		}
	}
	if len(gone) > 0 {
		var lines []string
		for i, v := range gone {
			if i == 4 {
				break
			}
			where := ""
			if v.group != "" {
				where = " in " + v.group
			}
			lines = append(lines, fmt.Sprintf("%d× in the baseline%s: %s", v.count, where, evidence.Condense(v.template, 200)))
		}
		a.add(&item{source: srcLogs, title: "Log templates that stopped", text: strings.Join(lines, "; "), priority: 45,
			reproduce: reproduce("query_logs", mergeArgs(windowArgs(sc.baseline), map[string]any{"mode": "patterns"}))})
	}
}

// sampleNote adds what a template hides about the failure: the innermost
// cause of a stack trace, the last line of a multi-line event (a Python
// traceback's exception, cut off the template's head), or, for a new or
// risen error whose template turned the message into placeholders
// (logfmt err="…"), one sample line.
func sampleNote(t *logTemplate) string {
	cause := evidence.RootCause(t.p.Sample)
	if cause == "" {
		cause = evidence.FinalLine(t.p.Sample)
	}
	if cause != "" && !strings.Contains(t.p.Template, cause) {
		return " ↳ " + clip(cause, 300)
	}
	if r := jsonReason(t.p.Template, t.p.Sample); r != "" {
		return " ↳ " + clip(r, 300)
	}
	// An AccessDenied whose action or resource the template hid: say what
	// was refused on what.
	if d, ok := parseDenial(t.p.Sample); ok && (!strings.Contains(t.p.Template, d.action) || d.resource != "" && !strings.Contains(t.p.Template, d.resource)) {
		note := " ↳ denied " + d.action
		if d.resource != "" {
			note += " on " + d.resource
		}
		return clip(note, 300)
	}
	if t.severity < 4 || t.status != statusNew && t.status != statusRisen {
		return ""
	}
	first, _, _ := strings.Cut(strings.TrimSpace(t.p.Sample), "\n")
	first = strings.TrimSpace(first)
	if strings.Contains(t.p.Template, "<*>") {
		v, aligned := hiddenValue(t.p.Template, t.p.Sample)
		if v != "" {
			return " e.g. <*> = " + quoteClip(v, 240)
		}
		if aligned {
			return "" // the placeholders hide only ids and numbers
		}
		if first != "" && first != t.p.Template {
			return " e.g. " + quoteClip(first, 300)
		}
		return ""
	}
	// A short error whose number or duration is the point ("Task timed out
	// after 3.00 seconds" right after the timeout was set to 3): one line.
	if (strings.Contains(t.p.Template, "<dur>") || strings.Contains(t.p.Template, "<num>")) && len(first) <= 200 && first != t.p.Template {
		return " e.g. " + quoteClip(first, 200)
	}
	return ""
}

// reasonKeys are the fields of a structured event that say why: an ECS
// task's stoppedReason, a deployment's statusReason, an error's message.
var reasonKeys = []string{"stoppedreason", "statusreason", "reason", "errorcode", "errormessage", "error", "err", "failure", "cause", "stopcode"}

// exceptionHead is the line that names an exception: "psycopg2.Operational
// Error: could not connect to server: Connection refused".
var exceptionHead = regexp.MustCompile(`^\s*[\w.$]*(Error|Exception|Fault)\b[^:]*:`)

// lastException is a traceback's last exception with the lines that
// continue its message (a driver's hint on the next line), or its final
// line when no line names an exception.
func lastException(tb string) string {
	lines := strings.Split(strings.TrimSpace(tb), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if exceptionHead.MatchString(lines[i]) {
			parts := make([]string, 0, len(lines)-i)
			for _, l := range lines[i:] {
				if l = strings.TrimSpace(l); l != "" {
					parts = append(parts, l)
				}
			}
			return strings.Join(parts, " ")
		}
	}
	return evidence.FinalLine(tb)
}

// traceKeys hold a whole traceback in one field (python-json-logger's
// exc_info, pino's err.stack, ECS's error.stack_trace).
var traceKeys = map[string]bool{"exc_info": true, "exception": true, "stack": true, "stacktrace": true, "stack_trace": true, "error.stack_trace": true, "traceback": true}

// jsonReason finds, in a JSON event's sample, the fields that say why (an
// EventBridge "ECS Task State Change" holds its stoppedReason deep inside,
// past where the template is clipped) when the template does not show
// them: "stoppedReason: Task failed container health checks".
func jsonReason(template, sample string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(sample), "\n")
	if !strings.HasPrefix(first, "{") {
		return ""
	}
	var v any
	if json.Unmarshal([]byte(first), &v) != nil {
		return ""
	}
	found := map[string]string{}
	var walk func(any, int)
	walk = func(x any, depth int) {
		if depth > 6 {
			return
		}
		switch x := x.(type) {
		case map[string]any:
			for k, val := range x {
				lk := strings.ToLower(k)
				if str, ok := val.(string); ok && traceKeys[lk] && found["trace"] == "" {
					// A traceback kept as one field: its last word is the error.
					if last := evidence.RootCause(str); last != "" {
						found["trace"] = k + ": " + last
					} else if last := lastException(str); last != "" {
						found["trace"] = k + ": " + last
					}
				}
				if str, ok := val.(string); ok && str != "" && len(str) <= 300 {
					for _, rk := range reasonKeys {
						if lk == rk && found[rk] == "" {
							found[rk] = k + ": " + str
						}
					}
				}
				walk(val, depth+1)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
	var parts []string
	for _, rk := range append([]string{"trace"}, reasonKeys...) {
		if f := found[rk]; f != "" && len(parts) < 3 {
			_, val, _ := strings.Cut(f, ": ")
			if !strings.Contains(evidence.Condense(template, 300), val) {
				parts = append(parts, f)
			}
		}
	}
	return strings.Join(parts, "; ")
}

// stackTrace recognises a Python, Java/JVM, Node or Go stack trace.
var stackTrace = regexp.MustCompile(`Traceback \(most recent call last\)|\n\s+at \S+[(:]|\ngoroutine \d+ \[`)

// messageLines keeps the lines of a multi-line event that are messages,
// not indented stack frames or source lines.
func messageLines(sample string) string {
	var keep []string
	for _, l := range strings.Split(sample, "\n") {
		if l != "" && l[0] != ' ' && l[0] != '\t' {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// filterFor picks the longest constant piece of a template as a substring
// filter that finds its lines again.
func filterFor(template string) string {
	best := ""
	for _, p := range globPieces(template) {
		p = strings.TrimSpace(p)
		if len(p) > len(best) {
			best = p
		}
	}
	if len(best) < 6 {
		return ""
	}
	if len(best) > 60 {
		best = best[:60]
		for len(best) > 0 && best[len(best)-1]&0xC0 == 0x80 {
			best = best[:len(best)-1]
		}
	}
	if strings.HasPrefix(best, "/") {
		best = strings.TrimLeft(best, "/") // a leading slash reads as a regex
	}
	return best
}

// metricItems lists the departed metrics, closest to the onset first.
func (a *analysis) metricItems(sc *scope) {
	for i, m := range a.moves {
		if i >= maxMetricItems {
			break
		}
		s := m.summary
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s went %s its baseline from %s to %s (peak %.4g", evidence.MetricKey(m.stat.Metric), m.stat.Stat, dirWord(m.dep.Direction), shortTime(m.dep.Start, sc), shortTime(m.dep.End, sc), m.dep.Peak)
		if s.BaselineMean != nil {
			fmt.Fprintf(&b, ", baseline mean %.4g", *s.BaselineMean)
		}
		fmt.Fprintf(&b, "; window mean %.4g, min %.4g, max %.4g", s.Mean, s.Min, s.Max)
		if a.onset != nil {
			d := m.dep.Start.Sub(*a.onset)
			switch {
			case d < -time.Minute:
				fmt.Fprintf(&b, "; starts %s before the onset", humanDur(-d))
			case d > time.Minute:
				fmt.Fprintf(&b, "; starts %s after the onset", humanDur(d))
			default:
				b.WriteString("; starts at the onset")
			}
		}
		b.WriteString(").")
		if m.alarmed != nil {
			fmt.Fprintf(&b, " Watched by alarm %s.", m.alarmed.Name)
		}
		dims := map[string]string{}
		for _, d := range m.stat.Metric.Dimensions {
			dims[d.Name] = d.Value
		}
		spec := map[string]any{"namespace": m.stat.Metric.Namespace, "metric_name": m.stat.Metric.MetricName, "stat": m.stat.Stat}
		if len(dims) > 0 {
			spec["dimensions"] = dims
		}
		it := a.add(&item{source: srcMetrics, title: fmt.Sprintf("%s %s %s", m.stat.Metric.MetricName, dirWord(m.dep.Direction), dimSummary(m.stat.Metric)), text: b.String(), priority: 60 + 25*m.rank - float64(i)*0.5,
			reproduce: reproduce("select_metrics", mergeArgs(windowArgs(sc.window), map[string]any{"metrics": []any{spec}}))})
		a.moves[i].ref = it
		if m.dep.Direction == "above" && failureMetric(m.stat.Metric.MetricName) {
			a.im.failingMetrics = append(a.im.failingMetrics, m.stat.Metric.MetricName)
		}
		weight, what := 0.8, "departed metric"
		switch {
		case a.onset != nil && absDur(m.dep.Start.Sub(*a.onset)) > 15*time.Minute:
			weight = 0.4 // moved, but not with the failure
		case m.dep.Direction == "above" && m.alarmed == nil && !symptomMetric(m.stat.Metric.MetricName) && !a.namedByFailure(m.stat.Metric):
			// CPU, capacity or traffic rising on a resource no failure
			// names is load or a reaction (another service's deploy, a
			// scheduled scale-out), not the failure: it must not tie a
			// change of that resource to the incident.
			weight, what = 0.4, "a rising non-failure metric"
		}
		for _, d := range m.stat.Metric.Dimensions {
			w := weight * dimensionWeight(d.Name, m.stat.Metric.Dimensions)
			a.im.addName(d.Value, it, w, what)
			a.im.add(d.Value, it, w, what)
		}
	}
}

// namedByFailure reports whether the failure evidence itself (failing
// traces, new errors, alarms; not other metrics) names the metric's most
// specific resource.
func (a *analysis) namedByFailure(m telemetry.Metric) bool {
	for _, d := range m.Dimensions {
		if dimensionWeight(d.Name, m.Dimensions) < 1 {
			continue
		}
		if a.im.strongly(append(identifiers(d.Value), strings.ToLower(d.Value))) {
			return true
		}
	}
	return false
}

// sharedDimensions hold a value many resources share (every service of a
// cluster, every target group of a load balancer): next to a more
// specific dimension they say little about which resource failed.
var sharedDimensions = map[string]bool{
	"ClusterName": true, "LoadBalancer": true, "AutoScalingGroupName": true, "AvailabilityZone": true,
	"Environment": true, "Env": true, "Stage": true, "Region": true, "Namespace": true,
	"EngineName": true, "DatabaseClass": true, "Role": true,
}

// dimensionWeight is how much a dimension value names the failing
// resource: fully when it is the most specific dimension (a service, a
// target group, a function, a table, a queue), half when it is shared and
// a more specific one sits beside it — so that a change to another
// service of the same cluster is not tied to the failure by the cluster.
func dimensionWeight(name string, dims []telemetry.Dimension) float64 {
	if !sharedDimensions[name] {
		return 1
	}
	for _, d := range dims {
		if !sharedDimensions[d.Name] {
			return 0.5
		}
	}
	return 1
}

func dirWord(d string) string {
	if d == "below" {
		return "below"
	}
	return "above"
}

func dimSummary(m telemetry.Metric) string {
	var parts []string
	for _, d := range m.Dimensions {
		parts = append(parts, d.Value)
	}
	return clip(strings.Join(parts, ","), 80)
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func pct(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// findingItems shows the active findings on implicated resources, and
// counts the rest.
func (a *analysis) findingItems(g *gathered) {
	if g.findings == nil {
		return
	}
	var touching []telemetry.Finding
	for _, f := range g.findings.Findings {
		if f.Resource != "" && len(a.im.linkTo(identifiers(f.Resource))) > 0 {
			touching = append(touching, f)
		}
	}
	bySev := map[string]int{}
	for _, f := range g.findings.Findings {
		bySev[f.Severity]++
	}
	var counts []string
	for i := len(telemetry.SeverityLabels) - 1; i >= 0; i-- {
		if n := bySev[telemetry.SeverityLabels[i]]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", telemetry.SeverityLabels[i], n))
		}
	}
	if len(g.findings.Findings) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d active findings (%s)", len(g.findings.Findings), strings.Join(counts, ", "))
	prio := 15.0
	if len(touching) > 0 {
		prio = 70
		b.WriteString("; on implicated resources: ")
		for i, f := range touching {
			if i == 4 {
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s %s %s [%s]", f.Severity, f.Source, clip(f.Title, 120), f.Resource)
		}
	} else {
		b.WriteString("; none on the resources the failure evidence names")
	}
	b.WriteString(".")
	a.add(&item{source: srcFindings, title: "Security findings", text: b.String(), priority: prio, reproduce: reproduce("get_findings", map[string]any{})})
}

// changeItems scores every change against the onset and the implicated
// resources, and lists the suspects.
func (a *analysis) changeItems(g *gathered, sc *scope) {
	if g.trail == nil {
		return
	}
	a.changes, a.failedCall = changeEvents(g.trail.Events)
	lookbackStart := sc.window.Start.Add(-max(sc.window.Duration(), changeLookback))
	routine := routineCalls(a.changes, lookbackStart, sc.window)
	var candidates []telemetry.CloudTrailEvent
	routineCount := map[routineKey]int{}
	var routineOrder []routineKey
	for _, ev := range a.changes {
		k := routineKey{ev.Name, ev.Principal}
		if routine[k] {
			if routineCount[k] == 0 {
				routineOrder = append(routineOrder, k)
			}
			routineCount[k]++
			continue
		}
		candidates = append(candidates, ev)
	}
	a.signatures = a.failureSignatures()
	a.suspects = scoreSuspects(candidates, a.im, a.arch, a.signatures, a.onset, sc)
	if m := a.exhaustion(); m != nil {
		notBeforeRunningOut(a.suspects, m, runningOutSince(m))
	}
	if m := a.loadRise(); m != nil {
		loadExplains(a.suspects, m)
	}
	a.spreadBeyond()
	if m := a.dependencySlowed(); m != nil {
		dependencyExplains(a.suspects, m)
	}
	shown := 0
	var rest []suspect
	for i := range a.suspects {
		s := &a.suspects[i]
		if shown >= maxSuspectItems || (s.likely == Unlikely && s.linkScore < 0.7) {
			rest = append(rest, *s)
			continue
		}
		shown++
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s by %s", rfc(s.ev.Time), s.ev.Source, s.ev.Name, s.ev.Principal)
		if s.ev.InvokedBy != "" {
			fmt.Fprintf(&b, " (invoked by %s)", s.ev.InvokedBy)
		}
		if len(s.ev.Resources) > 0 {
			fmt.Fprintf(&b, "; resources %s", strings.Join(clipList(s.ev.Resources, 3), ", "))
		}
		if len(s.ev.Request) > 0 {
			fmt.Fprintf(&b, "; %s", clip(strings.Join(clipList(s.ev.Request, 8), " "), 700))
		}
		if len(s.ev.Response) > 0 {
			fmt.Fprintf(&b, "; response: %s", clip(strings.Join(clipList(s.ev.Response, 6), " "), 400))
		}
		b.WriteString(".")
		prio := 95 - float64(shown)
		switch s.likely {
		case Possible:
			prio = 65 - float64(shown)
		case Unlikely:
			prio = 35 - float64(shown)
		}
		args := mergeArgs(windowArgs(telemetry.Window{Start: s.ev.Time.Add(-time.Minute), End: s.ev.Time.Add(time.Minute)}), map[string]any{"event_names": []string{s.ev.Name}})
		s.ref = a.add(&item{source: srcChanges, title: fmt.Sprintf("Change %s (%s, score %.2f)", s.ev.Name, s.likely, s.score), text: b.String(), priority: prio,
			reproduce: reproduce("query_cloudtrail", args)})
		if s.likely != Unlikely || (s.linkScore >= 0.7 && !s.automatic) {
			a.timeline = append(a.timeline, timelineDraft{t: s.ev.Time, kind: "change", text: fmt.Sprintf("%s by %s (%s)", s.ev.Name, shortPrincipal(s.ev.Principal), s.likely), ref: s.ref})
		}
	}
	if len(rest) > 0 || a.failedCall > 0 || len(routineOrder) > 0 {
		byName := map[string]int{}
		var names []string
		for _, s := range rest {
			if byName[s.ev.Name] == 0 {
				names = append(names, s.ev.Name)
			}
			byName[s.ev.Name]++
		}
		sort.SliceStable(names, func(i, j int) bool { return byName[names[i]] > byName[names[j]] })
		var parts []string
		for i, n := range names {
			if i == 10 {
				parts = append(parts, fmt.Sprintf("… %d more kinds", len(names)-10))
				break
			}
			parts = append(parts, fmt.Sprintf("%s ×%d", n, byName[n]))
		}
		text := fmt.Sprintf("%d other changes since %s, none tied to the failure: %s.", len(rest), rfc(lookbackStart), strings.Join(parts, ", "))
		if len(rest) == 0 {
			text = ""
		}
		if len(routineOrder) > 0 {
			sort.SliceStable(routineOrder, func(i, j int) bool { return routineCount[routineOrder[i]] > routineCount[routineOrder[j]] })
			var rs []string
			for i, k := range routineOrder {
				if i == 5 {
					rs = append(rs, fmt.Sprintf("… %d more", len(routineOrder)-5))
					break
				}
				rs = append(rs, fmt.Sprintf("%s ×%d by %s", k.name, routineCount[k], shortPrincipal(k.principal)))
			}
			text = strings.TrimSpace(text + " Routine calls, as frequent before the window as in it (not suspects): " + strings.Join(rs, ", ") + ".")
		}
		if a.failedCall > 0 {
			text += fmt.Sprintf(" %d write calls failed (changed nothing).", a.failedCall)
		}
		a.add(&item{source: srcChanges, title: "Other changes", text: text, priority: 25,
			reproduce: reproduce("query_cloudtrail", windowArgs(telemetry.Window{Start: sc.window.Start.Add(-max(sc.window.Duration(), changeLookback)), End: sc.window.End}))})
	}
}

// failureSignatures are the kinds of failure the new failure evidence
// shows (see mechanism.go): new trace failures, new or risen error
// templates, slowed services, the fired alarms' metrics and failure
// metrics that rose.
func (a *analysis) failureSignatures() map[string]bool {
	seen := map[string]bool{}
	generic := false
	mark := func(text string) {
		for _, k := range signaturesOf(text) {
			seen[k] = true
		}
		generic = generic || genericFailure.MatchString(text)
	}
	for _, g := range a.groups {
		if g.isNew {
			mark(g.Exception + " " + g.Message)
		}
	}
	for _, t := range a.templates {
		if t.errorLike() && (t.status == statusNew || t.status == statusRisen) {
			mark(t.p.Template + " " + evidence.FinalLine(t.p.Sample))
			// A denial quoted deep in a structured record (a Step Functions
			// task's cause) past what the template and last line show.
			if _, ok := parseDenial(t.p.Sample); ok {
				seen[sigAuthorization] = true
			}
		}
	}
	for _, t := range a.failedCallText {
		mark(t)
	}
	if len(a.slow) > 0 {
		seen[sigLatency] = true
	}
	for _, al := range a.alarms {
		if al.Metric != nil {
			mark(al.Metric.MetricName)
		}
	}
	for _, m := range a.moves {
		if m.dep.Direction == "above" && (m.alarmed != nil || symptomMetric(m.stat.Metric.MetricName)) {
			mark(m.stat.Metric.MetricName)
		}
		// Messages, events or invocations that all but stopped: work no
		// longer reaching what should do it (a filter, a rule, a mapping).
		if m.dep.Direction == "below" && trafficMetric.MatchString(m.stat.Metric.MetricName) && collapsed(&m.dep, m.summary) {
			seen[sigStarved] = true
		}
	}
	// Exceptions that say nothing more are crashes only when no evidence
	// names a specific failure (slowness and unhealthy targets are
	// consequences, not causes).
	specific := false
	for k := range seen {
		specific = specific || k != sigLatency && k != sigUnhealthy
	}
	if generic && !specific {
		seen[sigCrash] = true
	}
	return seen
}

func shortPrincipal(p string) string {
	if i := strings.Index(p, ":assumed-role/"); i >= 0 {
		return "assumed-role/" + p[i+len(":assumed-role/"):]
	}
	if i := strings.LastIndex(p, ":"); i >= 0 && strings.HasPrefix(p, "arn:") {
		return p[i+1:]
	}
	return p
}

func mergeArgs(a, b map[string]any) map[string]any {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// buildTimeline puts changes, the first error, the onset, alarms and
// recovery in order.
func (a *analysis) buildTimeline(sc *scope) {
	if a.onset != nil {
		a.timeline = append(a.timeline, timelineDraft{t: *a.onset, kind: "onset", text: a.onsetBy})
	}
	sort.SliceStable(a.timeline, func(i, j int) bool { return a.timeline[i].t.Before(a.timeline[j].t) })
}

// buildVerdict says in one sentence what the evidence points at — or,
// when no change is tied to the failure, that nothing changed and what
// failed instead.
func (a *analysis) buildVerdict(g *gathered) {
	for _, s := range a.suspects {
		if s.likely == Likely {
			a.verdict = fmt.Sprintf("Likely cause: %s by %s at %s — %s.", s.ev.Name, shortPrincipal(s.ev.Principal), rfc(s.ev.Time), "{why:0}")
			return
		}
	}
	switch {
	case g.trail == nil:
		a.verdict = "Changes are unknown: CloudTrail could not be read (see the gaps)."
	case len(a.changes) == 0:
		a.verdict = "Nothing changed in the account: CloudTrail shows no successful write call in the window or the hours before it."
	case a.touchedButImplausible():
		// Something changed on a failing resource, but nothing that could
		// cause this kind of failure (a log level beside a timeout).
		a.verdict = fmt.Sprintf("No change in the account is tied to the failure: %s in the window and the hours before it, none both on the resources the failure evidence names and of a kind that causes what failed (%s).", plural(len(a.changes), "change", "changes"), describeSignatures(a.signatures))
	default:
		a.verdict = fmt.Sprintf("No change in the account is tied to the failure: %s in the window and the hours before it, none touching the resources the failure evidence names.", plural(len(a.changes), "change", "changes"))
	}
	if a.whatFailed != nil {
		a.verdict += " What failed: {what}."
	}
	if m := a.exhaustion(); m != nil {
		a.mechanism = m
		a.verdict += " Mechanism: {mechanism}."
	} else if m := a.collapse(); m != nil {
		a.mechanism = m
		a.verdict += " At the onset: {mechanism}."
	} else if m := a.dependencySlowed(); m != nil {
		// Measured on AWS's side: the dependency itself slowed down.
		a.mechanism = m
		a.verdict += " At the onset, on AWS's side: {mechanism}."
	}
}

// touchedButImplausible reports a suspect tied to the failing resources
// whose kind of change cannot cause what failed.
func (a *analysis) touchedButImplausible() bool {
	for _, s := range a.suspects {
		if s.linkScore >= 0.7 && s.mech == fitMismatch {
			return true
		}
	}
	return false
}

// collapse is a metric that fell to nearly nothing as the failures began
// (a database's connections during a failover, a service's traffic while
// it restarts): what gave way, when no change explains it.
func (a *analysis) collapse() *metricMove {
	if a.onset == nil {
		return nil
	}
	for i := range a.moves {
		m := &a.moves[i]
		if collapsed(&m.dep, m.summary) && absDur(m.dep.Start.Sub(*a.onset)) <= 2*time.Minute {
			return m
		}
	}
	return nil
}

// exhaustionMetric names a finite resource's remaining amount: CPU or
// burst credits, free memory or storage, available connections.
var exhaustionMetric = regexp.MustCompile(`(?i)(balance|^free|^available|remaining|credits?$)`)

// exhaustion is the finite resource that ran out first, when nothing
// changed: a balance or free amount that fell to nearly nothing, starting
// before the failures (or with them). Running out is then the mechanism.
func (a *analysis) exhaustion() *metricMove {
	var best *metricMove
	for i := range a.moves {
		m := &a.moves[i]
		s := m.summary
		if m.dep.Direction != "below" || !exhaustionMetric.MatchString(m.stat.Metric.MetricName) || s.BaselineMean == nil || *s.BaselineMean <= 0 {
			continue
		}
		if s.Min > 0.05**s.BaselineMean {
			continue // lower, not exhausted
		}
		if a.onset != nil && runningOutSince(m).After(a.onset.Add(2*time.Minute)) {
			continue // a consequence
		}
		if best == nil || m.dep.Start.Before(best.dep.Start) {
			best = m
		}
	}
	return best
}

// loadRise is a count of requests, invocations or messages that rose to
// at least half again its baseline, starting at least a minute and at
// most an hour before the onset and lasting past it: more work arriving,
// which a rate limit or a pool answers with throttling and waits. (A count
// that rises with the onset is as often the failure's echo: redeliveries,
// retries.)
func (a *analysis) loadRise() *metricMove {
	if a.onset == nil {
		return nil
	}
	var best *metricMove
	for i := range a.moves {
		m := &a.moves[i]
		s := m.summary
		if m.dep.Direction != "above" || !trafficMetric.MatchString(m.stat.Metric.MetricName) || failureMetric(m.stat.Metric.MetricName) ||
			s.BaselineMean == nil || *s.BaselineMean <= 0 || m.dep.Peak < 1.5**s.BaselineMean {
			continue
		}
		if d := a.onset.Sub(m.dep.Start); d > time.Hour || d < time.Minute || m.dep.End.Before(*a.onset) {
			continue
		}
		if best == nil || m.dep.Start.Before(best.dep.Start) {
			best = m
		}
	}
	return best
}

// dependencySlowed is an AWS service's own latency for a resource that
// rose with the failures (DynamoDB's SuccessfulRequestLatency, RDS's
// ReadLatency): measured on AWS's side, it says the dependency slowed
// down, which no client's deploy does to it.
func (a *analysis) dependencySlowed() *metricMove {
	if a.onset == nil {
		return nil
	}
	for i := range a.moves {
		m := &a.moves[i]
		n := m.stat.Metric.MetricName
		if !strings.HasPrefix(m.stat.Metric.Namespace, "AWS/") || m.dep.Direction != "above" || !strings.Contains(n, "Latency") ||
			m.stat.Metric.Namespace == "AWS/ApplicationELB" || m.stat.Metric.Namespace == "AWS/ApiGateway" || m.stat.Metric.Namespace == "AWS/Lambda" {
			continue // a load balancer's or an API's latency is the application's
		}
		if s := m.summary; s.BaselineMean == nil || m.dep.Peak < 3**s.BaselineMean {
			continue
		}
		if absDur(m.dep.Start.Sub(*a.onset)) <= 3*time.Minute {
			return m
		}
	}
	return nil
}

// spreadBeyond makes possible a likely change that can but does not
// typically cause what failed when new errors show in three services or
// more and the errors of at most one of them name what the change touched:
// a lock held by a migration times out every service that writes the
// table, not only the one deployed before it. (A deploy whose failures
// cascade to its callers is named in their errors, and stays.)
func (a *analysis) spreadBeyond() {
	byGroup := map[string][]string{}
	for _, t := range a.templates {
		if t.group != "" && t.failureLike() && (t.status == statusNew || t.status == statusRisen) {
			byGroup[t.group] = append(byGroup[t.group], strings.ToLower(t.p.Template+" "+clip(t.p.Sample, 2000)))
		}
	}
	if len(byGroup) < 3 {
		return
	}
	changed := false
	for i := range a.suspects {
		s := &a.suspects[i]
		if s.likely != Likely || s.mech != fitPlausible {
			continue
		}
		// What the change touched: its own names and, for a rollout, the
		// names its staged change's request held (a secret, a user).
		names := append(append([]string(nil), s.stagedNames...), s.tokens...)
		named := 0
		for g, texts := range byGroup {
			hit := false
			for _, n := range names {
				if !usefulIdentifier(n) {
					continue
				}
				hit = hit || partOf(n, strings.ToLower(g))
				for _, tx := range texts {
					hit = hit || partOf(n, tx)
				}
			}
			if hit {
				named++
			}
		}
		if named <= 1 {
			s.likely = Possible
			s.note = fmt.Sprintf("new errors show in %d services, and those of %d name what this change touched", len(byGroup), named)
			changed = true
		}
	}
	if changed {
		sortSuspects(a.suspects)
	}
}

// runningOutSince is when a finite resource began to run out: where its
// series was already falling through the baseline (free storage eaten for
// hours crosses no threshold until it is nearly gone), else where it left
// its baseline.
func runningOutSince(m *metricMove) time.Time {
	var base []telemetry.Point
	for _, p := range m.points {
		if p.Timestamp.Before(m.dep.Start) {
			base = append(base, p)
		}
	}
	if len(base) < 8 {
		return m.dep.Start
	}
	q := len(base) / 4
	head, tail := meanOf(base[:q]), meanOf(base[len(base)-q:])
	if head > 0 && tail <= 0.8*head {
		return base[0].Timestamp // falling since the data begins, at least
	}
	return m.dep.Start
}

func meanOf(ps []telemetry.Point) float64 {
	sum := 0.0
	for _, p := range ps {
		sum += p.Value
	}
	return sum / float64(len(ps))
}
