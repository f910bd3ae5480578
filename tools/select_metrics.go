package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// MetricSpec names a metric to fetch explicitly.
type MetricSpec struct {
	Namespace  string            `json:"namespace" jsonschema_description:"e.g. AWS/ApplicationELB"`
	MetricName string            `json:"metric_name" jsonschema_description:"e.g. HTTPCode_Target_5XX_Count"`
	Dimensions map[string]string `json:"dimensions,omitempty" jsonschema_description:"Dimension name to value."`
	Stat       string            `json:"stat,omitempty" jsonschema_description:"Sum, Average, Minimum, Maximum, SampleCount or pNN. Default: by metric kind."`
}

// SelectMetricsInput is the input of select_metrics.
type SelectMetricsInput struct {
	Question string `json:"question,omitempty" jsonschema_description:"What you are investigating, in words (e.g. checkout returns 5xx); picks the namespaces and ranks metrics."`
	TimeRange
	Metrics       []MetricSpec `json:"metrics,omitempty" jsonschema_description:"Fetch exactly these metrics instead of selecting."`
	MaxMetrics    int          `json:"max_metrics,omitempty" jsonschema:"minimum=1,maximum=30" jsonschema_description:"How many metrics to return (default 8)."`
	IncludePoints bool         `json:"include_points,omitempty" jsonschema_description:"Return every datapoint, not only a sample."`
}

// MetricView is one selected metric, summarised against its baseline.
type MetricView struct {
	telemetry.Metric
	Stat          string   `json:"stat"`
	PeriodSeconds int32    `json:"period_seconds"`
	Unit          string   `json:"unit,omitempty"`
	Score         float64  `json:"score"`
	Reasons       []string `json:"reasons,omitempty"`
	evidence.SeriesSummary
	AllPoints []telemetry.Point `json:"all_points,omitempty"`
	Note      string            `json:"note,omitempty"`
}

// SelectMetricsOutput is the result of select_metrics.
type SelectMetricsOutput struct {
	Page
	Source        string           `json:"source"`
	Window        telemetry.Window `json:"window"`
	Baseline      telemetry.Window `json:"baseline"`
	PeriodSeconds int32            `json:"period_seconds"`
	Namespaces    []string         `json:"namespaces,omitempty"`
	// Candidates counts the metrics listed; Fetched those whose data was read.
	Candidates int          `json:"candidates"`
	Fetched    int          `json:"fetched"`
	Metrics    []MetricView `json:"metrics"`
	Warnings   []string     `json:"warnings,omitempty"`
}

const (
	defaultMaxMetrics = 8
	maxMaxMetrics     = 30
	// maxCandidates bounds ListMetrics.
	maxCandidates = 2000
	// maxFetched bounds the candidates whose data is read to score change,
	// picked by words and alarms first: one GetMetricData call.
	maxFetched  = 100
	maxExplicit = 50
	sampleSize  = 10
)

// SelectMetrics is the select_metrics tool.
func SelectMetrics() Tool {
	return New("select_metrics", "Select and summarise CloudWatch metrics",
		"Find the CloudWatch metrics that matter to a question and show how they moved: lists metrics in the namespaces the question, the workload and firing alarms point to, ranks them by relevance, change against the window just before start and how close their departure is to the others' (a drop counts as much as a rise), and returns min/max/mean/last, change vs baseline, departure intervals and sample points. Or pass metrics explicitly.",
		selectMetrics).Needs(SourceMetrics)
}

func selectMetrics(ctx context.Context, env *Env, in SelectMetricsInput) (*SelectMetricsOutput, error) {
	w, err := in.Window(env)
	if err != nil {
		return nil, err
	}
	max, err := countArg("max_metrics", in.MaxMetrics, defaultMaxMetrics, maxMaxMetrics)
	if err != nil {
		return nil, err
	}
	if len(in.Metrics) > maxExplicit {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "at most %d metrics, not %d.", maxExplicit, len(in.Metrics)).WithHint("Ask for fewer metrics per call.")
	}
	if strings.TrimSpace(in.Question) == "" && len(in.Metrics) == 0 {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "give a question or metrics.").WithHint("Say what you are investigating (e.g. \"checkout returns 5xx\") or list metrics.")
	}
	period := evidence.MetricPeriod(w.Duration())
	step := time.Duration(period) * time.Second
	baseline := evidence.BaselineOf(w)
	out := &SelectMetricsOutput{Source: env.Sources.Name, Window: w, Baseline: baseline, PeriodSeconds: period, Metrics: []MetricView{}}

	var cands []evidence.Candidate
	if len(in.Metrics) > 0 {
		if cands, err = explicitCandidates(in.Metrics); err != nil {
			return nil, err
		}
		max = len(cands)
	} else if cands, err = metricCandidates(ctx, env, in.Question, out); err != nil {
		return nil, err
	}
	// Fetch the most promising candidates once, window and baseline
	// together, and score how much each changed.
	fetch := cands
	if len(fetch) > maxFetched {
		fetch = fetch[:maxFetched]
		out.Warnings = append(out.Warnings, fmt.Sprintf("only the %d candidates that best match the question and alarms were fetched to score change; name the service or resource in the question to focus", maxFetched))
	}
	stats := make([]telemetry.MetricStat, len(fetch))
	for i, c := range fetch {
		stats[i] = c.Stat
	}
	data, err := env.Sources.Metrics.MetricData(ctx, telemetry.MetricDataQuery{Stats: stats, Window: telemetry.Window{Start: baseline.Start, End: w.End}, PeriodSeconds: period})
	if err != nil {
		return nil, err
	}
	out.Fetched = len(fetch)
	out.Warnings = append(out.Warnings, data.Warnings...)
	// Rank what moved by when and how much it moved, not by names alone.
	series := evidence.SummarizeCandidates(fetch, data.Series, w, baseline, step, sampleSize)
	chosen := fetch
	if len(in.Metrics) == 0 {
		selector := env.MetricSelector
		if selector == nil {
			selector = evidence.RankingSelector{}
		}
		if chosen, err = selector.Select(ctx, in.Question, fetch, max); err != nil {
			return nil, err
		}
	}
	for _, c := range chosen {
		out.Metrics = append(out.Metrics, metricView(c, series[evidence.StatKey(c.Stat)], period, in.IncludePoints))
	}
	if len(out.Metrics) == 0 {
		out.Hint = "No metric found; name the service or resource in the question, or pass metrics explicitly."
	}
	return out, nil
}

// explicitCandidates checks the metrics asked for by name.
func explicitCandidates(specs []MetricSpec) ([]evidence.Candidate, error) {
	var cands []evidence.Candidate
	for i, m := range specs {
		if m.Namespace == "" || m.MetricName == "" {
			return nil, telemetry.Errorf(telemetry.KindInvalidInput, "metrics[%d] lacks namespace or metric_name.", i).WithHint("Give namespace and metric_name for every metric.")
		}
		stat := m.Stat
		if stat == "" {
			stat = evidence.DefaultStat(m.MetricName)
		} else if err := evidence.ValidateStatistic(stat); err != nil {
			return nil, telemetry.Errorf(telemetry.KindInvalidInput, "metrics[%d]: %v.", i, err).WithHint("Fix the stat, or leave it out to use the usual one for the metric.")
		}
		metric := evidence.MetricFromMap(m.Namespace, m.MetricName, m.Dimensions)
		cands = append(cands, evidence.Candidate{Stat: telemetry.MetricStat{Metric: metric, Stat: stat}, Reasons: []string{"asked for"}})
	}
	return cands, nil
}

// metricCandidates lists the metrics of the namespaces the question, the
// workload and the firing alarms point to, scored by words and alarms.
func metricCandidates(ctx context.Context, env *Env, question string, out *SelectMetricsOutput) ([]evidence.Candidate, error) {
	var firing []telemetry.Alarm
	if env.Sources.Alarms != nil {
		list, err := env.Sources.Alarms.Alarms(ctx, telemetry.AlarmQuery{State: telemetry.AlarmStateAlarm})
		if err != nil {
			if e, ok := telemetry.AsError(err); !ok || e.Kind != telemetry.KindUnsupported {
				out.Warnings = append(out.Warnings, "alarms unavailable, so firing alarms do not guide the selection: "+err.Error())
			}
		} else {
			firing = list.Alarms
		}
	}
	out.Namespaces = evidence.SelectionNamespaces(question, env.Config.Architecture, firing)
	list, err := env.Sources.Metrics.ListMetrics(ctx, telemetry.MetricListQuery{Namespaces: out.Namespaces, Limit: maxCandidates, Window: out.Window})
	if err != nil {
		return nil, err
	}
	out.Warnings = append(out.Warnings, list.Warnings...)
	if list.Partial != "" {
		out.Truncate(list.Partial)
	}
	out.Candidates = len(list.Metrics)
	return evidence.RankCandidates(question, list.Metrics, firing), nil
}

// metricView shapes one chosen candidate for the output.
func metricView(c evidence.Candidate, s telemetry.MetricSeries, period int32, allPoints bool) MetricView {
	v := MetricView{Metric: c.Stat.Metric, Stat: c.Stat.Stat, PeriodSeconds: period, Unit: s.Unit, Score: roundScore(c.Score()), Reasons: c.Reasons, Note: s.Note}
	if c.Summary != nil {
		v.SeriesSummary = *c.Summary
		if c.Summary.Score >= 2 {
			v.Reasons = append(v.Reasons, fmt.Sprintf("moved %.1f baseline deviations on average", c.Summary.Score))
		}
		if c.Summary.BaselinePoints == 0 && c.Summary.Points > 0 {
			v.Note = strings.TrimSpace(v.Note + " no baseline data before start, so change is not scored")
		}
	}
	if allPoints {
		v.AllPoints = s.Points
		v.Sample = nil
	}
	return v
}

func roundScore(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// Shrink drops samples and points first, then the lowest-ranked metrics.
func (o *SelectMetricsOutput) Shrink() bool {
	for i := len(o.Metrics) - 1; i >= 0; i-- {
		if len(o.Metrics[i].AllPoints) > 0 {
			o.Metrics[i].AllPoints = nil
			return true
		}
	}
	if len(o.Metrics) > 1 {
		o.Metrics = o.Metrics[:len(o.Metrics)/2]
		return true
	}
	if len(o.Metrics) == 1 && len(o.Metrics[0].Sample) > 0 {
		o.Metrics[0].Sample = nil
		return true
	}
	if len(o.Warnings) > 1 {
		o.Warnings = o.Warnings[:1]
		return true
	}
	return false
}

// Text renders the metrics compactly.
func (o *SelectMetricsOutput) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "select_metrics %s..%s (%s), period %ds, baseline from %s: %d candidates, %d fetched\n",
		o.Window.Start.Format(time.RFC3339), o.Window.End.Format(time.RFC3339), o.Source, o.PeriodSeconds, o.Baseline.Start.Format(time.RFC3339), o.Candidates, o.Fetched)
	for _, m := range o.Metrics {
		fmt.Fprintf(&b, "%s %s  min=%.4g max=%.4g mean=%.4g last=%.4g", evidence.MetricKey(m.Metric), m.Stat, m.Min, m.Max, m.Mean, m.Last)
		if m.BaselineMean != nil {
			fmt.Fprintf(&b, " baseline=%.4g", *m.BaselineMean)
		}
		if m.ChangePct != nil {
			fmt.Fprintf(&b, " change=%+.0f%%", *m.ChangePct)
		}
		fmt.Fprintf(&b, " score=%.2f\n", m.Score)
		for _, d := range m.Departures {
			fmt.Fprintf(&b, "    %s %s..%s peak=%.4g (%d points)\n", d.Direction, d.Start.Format("15:04"), d.End.Format("15:04"), d.Peak, d.Points)
		}
		if m.Note != "" {
			fmt.Fprintf(&b, "    note: %s\n", m.Note)
		}
	}
	for _, w := range o.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	if o.Truncated || o.Hint != "" {
		fmt.Fprintf(&b, "(note) %s\n", o.Hint)
	}
	return b.String()
}
