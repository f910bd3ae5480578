package evidence

import (
	"fmt"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// AlarmMetricStats returns the metrics an alarm reads, each with the
// statistic it reads them with: a plain alarm's one metric, or every
// metric a metric-math or anomaly-detection alarm combines. A composite or
// log alarm reads none itself.
func AlarmMetricStats(a telemetry.Alarm) []telemetry.MetricStat {
	var out []telemetry.MetricStat
	seen := map[string]bool{}
	add := func(m telemetry.Metric, stat string) {
		if m.MetricName == "" {
			return
		}
		if stat == "" {
			stat = DefaultStat(m.MetricName)
		}
		if k := MetricKey(m) + " " + stat; !seen[k] {
			seen[k] = true
			out = append(out, telemetry.MetricStat{Metric: m, Stat: stat})
		}
	}
	add(telemetry.Metric{Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions}, a.Statistic)
	for _, q := range a.Metrics {
		if q.Metric != nil {
			add(q.Metric.Metric, q.Metric.Stat)
		}
	}
	return out
}

// AlarmDimensions returns the dimensions of every metric an alarm reads,
// once each: the resources (load balancer, target group, function) it
// watches.
func AlarmDimensions(a telemetry.Alarm) []telemetry.Dimension {
	var out []telemetry.Dimension
	seen := map[telemetry.Dimension]bool{}
	for _, ms := range AlarmMetricStats(a) {
		for _, d := range ms.Metric.Dimensions {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// WatchesDirectly reports whether m is the metric an alarm compares with
// its threshold (a plain alarm's metric), so the threshold applies to m's
// values. A metric-math alarm's threshold applies to its expression.
func WatchesDirectly(a telemetry.Alarm, m telemetry.Metric) bool {
	return a.MetricName != "" && a.Namespace == m.Namespace && a.MetricName == m.MetricName && sameDims(a.Dimensions, m.Dimensions)
}

// DescribeMeasure says what a metric-math or anomaly-detection alarm
// evaluates, in one line: `100*m1/m2 ("5xx rate") where m1 = AWS/ApplicationELB
// HTTPCode_Target_5XX_Count (TargetGroup=tg) Sum 60s, m2 = …`, or `m1 against
// ANOMALY_DETECTION_BAND(m1, 2) where m1 = …`. It is "" for an alarm without
// Metrics.
func DescribeMeasure(a telemetry.Alarm) string {
	if len(a.Metrics) == 0 {
		return ""
	}
	var eval, band *telemetry.AlarmMetricQuery
	for i := range a.Metrics {
		q := &a.Metrics[i]
		switch {
		case a.ThresholdMetricID != "" && q.ID == a.ThresholdMetricID:
			band = q
		case eval == nil && q.ReturnData != nil && *q.ReturnData:
			eval = q
		}
	}
	if eval == nil {
		// No entry is marked: CloudWatch evaluates the one that returns data
		// by default, the first that is not the band.
		for i := range a.Metrics {
			if &a.Metrics[i] != band {
				eval = &a.Metrics[i]
				break
			}
		}
	}
	var b strings.Builder
	var where []string
	if eval != nil {
		if eval.Expression != "" {
			b.WriteString(eval.Expression)
		} else {
			b.WriteString(eval.ID)
		}
		if eval.Label != "" && eval.Label != eval.Expression {
			fmt.Fprintf(&b, " (%q)", eval.Label)
		}
	}
	if band != nil {
		if eval != nil {
			b.WriteString(" against ")
		}
		b.WriteString(band.Expression)
	}
	for i := range a.Metrics {
		q := &a.Metrics[i]
		switch {
		case q.Metric != nil:
			where = append(where, q.ID+" = "+describeQueryMetric(q))
		case q != eval && q != band && q.Expression != "":
			where = append(where, q.ID+" = "+q.Expression)
		}
	}
	if len(where) > 0 {
		b.WriteString(" where " + strings.Join(where, ", "))
	}
	return b.String()
}

// describeQueryMetric is "Namespace MetricName (Dim=Value, …) Stat 60s".
func describeQueryMetric(q *telemetry.AlarmMetricQuery) string {
	m := q.Metric.Metric
	s := m.Namespace + " " + m.MetricName
	if len(m.Dimensions) > 0 {
		var ds []string
		for _, d := range m.Dimensions {
			ds = append(ds, d.Name+"="+d.Value)
		}
		s += " (" + strings.Join(ds, ", ") + ")"
	}
	if q.Metric.Stat != "" {
		s += " " + q.Metric.Stat
	}
	if q.PeriodSeconds > 0 {
		s += fmt.Sprintf(" %ds", q.PeriodSeconds)
	}
	return s
}

// RuleAlarms returns the names of the alarms a composite alarm's rule
// names, once each, in order: ALARM("a"), OK(b), INSUFFICIENT_DATA(c) and
// the lists of AT_LEAST(2, ALARM, (a, b, c)). Names may be quoted and may
// be ARNs (the name is then read from the ARN).
func RuleAlarms(rule string) []string {
	toks := ruleTokens(rule)
	var out []string
	seen := map[string]bool{}
	add := func(t ruleToken) {
		if t.kind != tokWord && t.kind != tokQuoted {
			return
		}
		name := alarmNameOf(t.text)
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind != tokWord {
			continue
		}
		switch strings.ToUpper(t.text) {
		case telemetry.AlarmStateAlarm, telemetry.AlarmStateOK, telemetry.AlarmStateInsufficientData:
			// STATE ( name )
			if i+3 < len(toks) && toks[i+1].kind == tokOpen && toks[i+3].kind == tokClose {
				add(toks[i+2])
				i += 3
			}
		case "AT_LEAST":
			// AT_LEAST ( n , [NOT] STATE , ( name , name … ) )
			depth := 0
			for j := i + 1; j < len(toks); j++ {
				switch toks[j].kind {
				case tokOpen:
					depth++
				case tokClose:
					depth--
				default:
					if depth == 2 {
						add(toks[j])
					}
				}
				if depth == 0 {
					i = j
					break
				}
			}
		}
	}
	return out
}

type ruleTokenKind int

const (
	tokWord ruleTokenKind = iota
	tokQuoted
	tokOpen
	tokClose
	tokComma
)

type ruleToken struct {
	kind ruleTokenKind
	text string
}

// ruleTokens splits an alarm rule into words, quoted names, parentheses
// and commas.
func ruleTokens(rule string) []ruleToken {
	var out []ruleToken
	for i := 0; i < len(rule); {
		c := rule[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, ruleToken{tokOpen, "("})
			i++
		case c == ')':
			out = append(out, ruleToken{tokClose, ")"})
			i++
		case c == ',':
			out = append(out, ruleToken{tokComma, ","})
			i++
		case c == '"':
			j := strings.IndexByte(rule[i+1:], '"')
			if j < 0 {
				out = append(out, ruleToken{tokQuoted, rule[i+1:]})
				return out
			}
			out = append(out, ruleToken{tokQuoted, rule[i+1 : i+1+j]})
			i += j + 2
		default:
			j := i
			for j < len(rule) && !strings.ContainsRune(" \t\n\r(),\"", rune(rule[j])) {
				j++
			}
			out = append(out, ruleToken{tokWord, rule[i:j]})
			i = j
		}
	}
	return out
}

// AlarmsBehind returns picked and, for each composite alarm among them,
// the alarms its rule names (and theirs, for composites of composites)
// that are in all and fired: the alarms whose metrics and resources a
// composite alarm stands for. An alarm fired when fired says so (nil: every
// named alarm counts) or when the composite's reason data lists it among
// its triggering alarms; a composite none of whose named alarms fired (its
// history unknown) stands for all of them, since one of them must have.
// Each alarm appears once, picked first.
func AlarmsBehind(picked, all []telemetry.Alarm, fired func(telemetry.Alarm) bool) []telemetry.Alarm {
	byName := map[string]telemetry.Alarm{}
	for _, a := range all {
		byName[a.Name] = a
	}
	out := make([]telemetry.Alarm, 0, len(picked))
	seen := map[string]bool{}
	for _, a := range picked {
		if !seen[a.Name] {
			seen[a.Name] = true
			out = append(out, a)
		}
	}
	// Breadth first; seen stops a rule cycle.
	for i := 0; i < len(out); i++ {
		if out[i].Kind != "composite" {
			continue
		}
		triggering := map[string]bool{}
		if rd := ParseReasonData([]byte(out[i].ReasonData), ""); rd != nil {
			for _, t := range rd.Triggering {
				triggering[t.Name] = true
			}
		}
		var named, firing []telemetry.Alarm
		for _, name := range RuleAlarms(out[i].Rule) {
			child, ok := byName[name]
			if !ok {
				continue
			}
			named = append(named, child)
			if fired == nil || triggering[name] || fired(child) {
				firing = append(firing, child)
			}
		}
		if len(firing) == 0 {
			firing = named
		}
		for _, child := range firing {
			if !seen[child.Name] {
				seen[child.Name] = true
				out = append(out, child)
			}
		}
	}
	return out
}
