package evidence

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/fa2/fa2/telemetry"
)

// namespaceWords maps words of a question (or of the workload's
// description) to the CloudWatch namespaces worth listing.
var namespaceWords = []struct {
	words      []string
	namespaces []string
}{
	{[]string{"5xx", "4xx", "500", "502", "503", "504", "alb", "elb", "load", "balancer", "target", "latency", "http", "unhealthy"}, []string{"AWS/ApplicationELB"}},
	{[]string{"db", "rds", "database", "aurora", "postgres", "postgresql", "mysql", "connections", "connection", "sql"}, []string{"AWS/RDS"}},
	{[]string{"cpu", "memory", "ecs", "fargate", "container", "containers", "task", "tasks", "oom"}, []string{"AWS/ECS", "ECS/ContainerInsights"}},
	{[]string{"lambda", "function", "invocations", "cold"}, []string{"AWS/Lambda"}},
	{[]string{"queue", "sqs", "backlog", "messages"}, []string{"AWS/SQS"}},
	{[]string{"dynamodb", "dynamo", "table"}, []string{"AWS/DynamoDB"}},
	{[]string{"gateway", "apigateway", "apigw"}, []string{"AWS/ApiGateway"}},
	{[]string{"elasticache", "redis", "memcached", "cache"}, []string{"AWS/ElastiCache"}},
	{[]string{"ec2", "instance", "instances"}, []string{"AWS/EC2"}},
}

// Words splits text into lower-case words, keeping digits and dashes
// inside words ("checkout-api", "5xx").
func Words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_'
	})
}

// NamespacesFor returns the namespaces that text refers to, in a stable order.
func NamespacesFor(text string) []string {
	words := map[string]bool{}
	for _, w := range Words(text) {
		words[w] = true
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '_' }) {
			words[part] = true
		}
	}
	var out []string
	for _, nw := range namespaceWords {
		for _, w := range nw.words {
			if words[w] {
				for _, ns := range nw.namespaces {
					if !slices.Contains(out, ns) {
						out = append(out, ns)
					}
				}
				break
			}
		}
	}
	return out
}

// concepts link question words to fragments of metric names.
var concepts = []struct {
	name    string
	words   []string
	metrics []string
}{
	{"5xx/errors", []string{"5xx", "500", "502", "503", "504", "error", "errors", "fail", "fails", "failing", "failure", "failures", "fault", "faults", "exception", "exceptions"}, []string{"5xx", "error", "fault", "failed"}},
	{"4xx", []string{"4xx", "400", "401", "403", "404", "429"}, []string{"4xx"}},
	{"latency", []string{"latency", "slow", "slowness", "response", "duration", "timeout", "timeouts", "p99", "p95"}, []string{"latency", "responsetime", "duration", "iteratorage"}},
	{"throttles", []string{"throttle", "throttled", "throttles", "throttling", "429", "rate"}, []string{"throttle"}},
	{"cpu", []string{"cpu", "load"}, []string{"cpu"}},
	{"memory", []string{"memory", "oom", "ram", "heap"}, []string{"memory"}},
	{"connections", []string{"connection", "connections", "db", "database", "pool", "connect"}, []string{"connections"}},
	{"queue depth", []string{"queue", "backlog", "messages", "depth", "sqs"}, []string{"approximatenumberofmessages", "ageofoldestmessage", "numberofmessages"}},
	{"traffic", []string{"traffic", "requests", "throughput", "volume", "orders", "invocations", "drop", "dropped"}, []string{"requestcount", "invocations", "count"}},
	{"health", []string{"unhealthy", "health", "healthy", "targets", "down"}, []string{"unhealthyhostcount", "healthyhostcount"}},
}

// Candidate is a metric considered by select_metrics, with its scores.
type Candidate struct {
	Stat telemetry.MetricStat
	// TextScore: how well it matches the question's words.
	TextScore float64
	// AlarmScore: shares dimensions with an alarm in ALARM.
	AlarmScore float64
	// Summary is filled once the candidate's data was fetched.
	Summary *SeriesSummary
	// DepartureScore rates the candidate's departure from its baseline by
	// how close its start is to the incident's onset and by its size; a
	// drop counts as much as a rise (see ScoreDepartures).
	DepartureScore float64
	Reasons        []string
}

// Score combines the parts: words and alarms say what is relevant, the
// change against baseline and a departure starting at the onset say what
// moved. A metric whose data shows it did not move keeps only a third of
// its name match: a flat 5xx count says less than connections falling to
// zero at the onset.
func (c Candidate) Score() float64 {
	change := 0.0
	relevance := c.TextScore + c.AlarmScore
	if c.Summary != nil {
		change = math.Min(c.Summary.Score, 10)
		if c.Summary.BaselinePoints > 0 && len(c.Summary.Departures) == 0 && c.Summary.Score < 1 {
			relevance *= 0.3
		}
	}
	return relevance + change + c.DepartureScore
}

// ScoreDepartures sets each candidate's DepartureScore once summaries are
// known. The onset is estimated as the earliest departure of a metric an
// alarm watches, else the median start of the clear departures; a
// departure starting within minutes of it scores up to 4, scaled by size.
// It returns the estimated onset (zero when nothing departed).
func ScoreDepartures(cands []Candidate) time.Time {
	first := func(s *SeriesSummary) *Interval {
		var best *Interval
		for i := range s.Departures {
			d := &s.Departures[i]
			if best == nil || d.Points > best.Points {
				best = d
			}
		}
		return best
	}
	var onset time.Time
	for _, c := range cands {
		if c.AlarmScore >= 4 && c.Summary != nil {
			if d := first(c.Summary); d != nil && (onset.IsZero() || d.Start.Before(onset)) {
				onset = d.Start
			}
		}
	}
	if onset.IsZero() {
		var starts []time.Time
		for _, c := range cands {
			if c.Summary != nil && c.Summary.Score >= 2 {
				if d := first(c.Summary); d != nil && d.Points >= 2 {
					starts = append(starts, d.Start)
				}
			}
		}
		if len(starts) == 0 {
			return time.Time{}
		}
		sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
		onset = starts[len(starts)/2]
	}
	for i := range cands {
		c := &cands[i]
		if c.Summary == nil {
			continue
		}
		d := first(c.Summary)
		if d == nil || d.Points < 2 {
			continue
		}
		closeness := math.Exp(-math.Abs(d.Start.Sub(onset).Minutes()) / 10)
		size := math.Min(c.Summary.Score, 10) / 10
		c.DepartureScore = round4(4 * closeness * (0.5 + 0.5*size))
		if closeness >= 0.7 {
			word := "rose"
			if d.Direction == "below" {
				word = "fell"
			}
			c.Reasons = append(c.Reasons, fmt.Sprintf("%s at %s, with the other departures", word, d.Start.UTC().Format("15:04")))
		}
	}
	return onset
}

// Selector picks the metrics to show from scored candidates. The default is
// RankingSelector; an LLM-backed selector can replace it.
type Selector interface {
	Select(ctx context.Context, question string, candidates []Candidate, max int) ([]Candidate, error)
}

// RankingSelector picks the highest scores, deterministically.
type RankingSelector struct{}

// Select implements Selector.
func (RankingSelector) Select(_ context.Context, _ string, cands []Candidate, max int) ([]Candidate, error) {
	c := append([]Candidate(nil), cands...)
	SortCandidates(c)
	if len(c) > max {
		c = c[:max]
	}
	return c, nil
}

// SortCandidates orders by score, then by name for stable output.
func SortCandidates(c []Candidate) {
	sort.SliceStable(c, func(i, j int) bool {
		si, sj := c[i].Score(), c[j].Score()
		if si != sj {
			return si > sj
		}
		return MetricKey(c[i].Stat.Metric) < MetricKey(c[j].Stat.Metric)
	})
}

// MetricKey identifies a metric in text: Namespace/Name{k=v,...}.
func MetricKey(m telemetry.Metric) string {
	dims := make([]string, len(m.Dimensions))
	for i, d := range m.Dimensions {
		dims[i] = d.Name + "=" + d.Value
	}
	sort.Strings(dims)
	return m.Namespace + "/" + m.MetricName + "{" + strings.Join(dims, ",") + "}"
}

// ScoreText rates how well a metric matches the question: 2 per concept
// the question names that the metric measures, 1 per question word found
// in its name or dimension values.
func ScoreText(question string, m telemetry.Metric) (float64, []string) {
	words := Words(question)
	if len(words) == 0 {
		return 0, nil
	}
	name := strings.ToLower(m.MetricName)
	var score float64
	var reasons []string
	for _, c := range concepts {
		asked := false
		for _, w := range words {
			if slices.Contains(c.words, w) {
				asked = true
				break
			}
		}
		if !asked {
			continue
		}
		for _, frag := range c.metrics {
			if strings.Contains(name, frag) {
				score += 2
				reasons = append(reasons, "measures "+c.name)
				break
			}
		}
	}
	hay := name + " " + strings.ToLower(m.Namespace)
	for _, d := range m.Dimensions {
		hay += " " + strings.ToLower(d.Value)
	}
	for _, w := range words {
		if len(w) < 3 || stopWords[w] {
			continue
		}
		if strings.Contains(hay, w) {
			score++
			reasons = append(reasons, fmt.Sprintf("mentions %q", w))
		}
	}
	return score, reasons
}

var stopWords = map[string]bool{"the": true, "and": true, "why": true, "what": true, "does": true, "are": true, "was": true,
	"with": true, "for": true, "from": true, "that": true, "this": true, "else": true, "changed": true, "api": true, "aws": true}

// ScoreAlarms rates a metric by the alarms in ALARM: 4 when an alarm
// watches this very metric (alone or in its metric math), 2 when it shares
// a dimension with one.
func ScoreAlarms(m telemetry.Metric, firing []telemetry.Alarm) (float64, []string) {
	best, why := 0.0, ""
	for _, a := range firing {
		for _, ms := range AlarmMetricStats(a) {
			if ms.Metric.Namespace == m.Namespace && ms.Metric.MetricName == m.MetricName && sameDims(ms.Metric.Dimensions, m.Dimensions) {
				return 4, []string{"watched by alarm " + a.Name}
			}
		}
		for _, ad := range AlarmDimensions(a) {
			for _, md := range m.Dimensions {
				if ad == md && best < 2 {
					best, why = 2, "shares "+ad.Name+" with alarm "+a.Name
				}
			}
		}
	}
	if best == 0 {
		return 0, nil
	}
	return best, []string{why}
}

func sameDims(a, b []telemetry.Dimension) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}
