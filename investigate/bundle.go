// Package investigate is fa2's investigation engine. From an alarm, a
// description or a window it gathers every configured source in parallel,
// compares the incident window with a baseline, correlates what it finds
// (onset, suspect changes, timeline) and renders a token-budgeted evidence
// bundle whose items carry stable ids (E1, E2, …) that a model can cite and
// a person can trace back. It is deterministic: it never calls an LLM.
package investigate

import (
	"time"

	"github.com/fa2/fa2/telemetry"
)

// DefaultBudget is the bundle's size in estimated tokens when the request
// gives none; MinBudget is the smallest budget that can hold a useful bundle.
const (
	DefaultBudget = 8000
	MinBudget     = 1000
)

// Likelihood of a suspect change.
const (
	Likely   = "likely"
	Possible = "possible"
	Unlikely = "unlikely"
)

// Request says what to investigate. Every field is optional: with neither an
// alarm nor a window the engine picks the alarms in ALARM (on a snapshot,
// those that fired in its window) and says so.
type Request struct {
	AlarmName   string
	Description string
	// Window is the incident window; zero means derive it from the alarm
	// (its suggested window) or the source's default window.
	Window telemetry.Window
	// Budget is the bundle's size in estimated tokens (~2.5 chars/token);
	// 0 means DefaultBudget.
	Budget int
	// Language is "en" or "ja" for headings; "" means the configuration's.
	Language string
	// Progress receives one report as each source completes.
	Progress telemetry.Progress
}

// Bundle is the result of an investigation: what happened, ranked and cited.
type Bundle struct {
	Title    string           `json:"title"`
	Source   string           `json:"source"`
	Language string           `json:"language"`
	Alarms   []AlarmRef       `json:"alarms"`
	Window   telemetry.Window `json:"window"`
	Baseline telemetry.Window `json:"baseline"`
	// Onset is when the incident began (nil when no signal departed), and
	// OnsetSignal which signal set it.
	Onset       *time.Time      `json:"onset"`
	OnsetSignal string          `json:"onset_signal,omitempty"`
	Timeline    []TimelineEntry `json:"timeline"`
	Suspects    []Suspect       `json:"suspects"`
	Evidence    []Evidence      `json:"evidence"`
	Gaps        []Gap           `json:"gaps"`
	// Implicated are the resources the failure evidence points at (tables,
	// functions, roles, security groups, secrets, services, …).
	Implicated []string `json:"implicated,omitempty"`
	// Charts carries the series worth drawing (the alarm's metric and the
	// top departed metrics over baseline + window) for the report package.
	Charts    []ChartSeries `json:"charts,omitempty"`
	Tokens    int           `json:"tokens"`
	Budget    int           `json:"budget"`
	Truncated bool          `json:"truncated"`
	// Notes say what the engine decided on the caller's behalf (which
	// alarms it picked, which window), in plain sentences.
	Notes []string `json:"notes,omitempty"`
	// Verdict says in one sentence what the evidence points at, or that
	// nothing in the account changed and what failed instead.
	Verdict string `json:"verdict"`
	// Architecture is the configured description of the workload (or the
	// snapshot's), which the hypothesis diagram reads for components X-Ray
	// does not see.
	Architecture string `json:"architecture,omitempty"`
	// Topology is what X-Ray saw of the workload: services, calls between
	// them and the paths failing traces took; nil when traces were not read.
	Topology *Topology `json:"topology,omitempty"`
}

// Topology is the workload's call graph in the incident window, for the
// hypothesis diagram: X-Ray's service graph plus its trace failure groups.
type Topology struct {
	Services []telemetry.ServiceStats `json:"services,omitempty"`
	// Calls are edges of the service graph (caller → callee).
	Calls []Call `json:"calls,omitempty"`
	// Failures are the trace failure groups, largest first.
	Failures []FailurePath `json:"failures,omitempty"`
}

// Call is one edge of the service graph.
type Call struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Requests int64  `json:"requests,omitempty"`
	Faults   int64  `json:"faults,omitempty"`
	Errors   int64  `json:"errors,omitempty"`
}

// FailurePath is a group of failing traces sharing a root cause: the
// services the requests went through, then the entity path inside the
// failing service down to the failing call.
type FailurePath struct {
	Kind      string   `json:"kind"` // fault, error or throttle
	Services  []string `json:"services,omitempty"`
	Service   string   `json:"service"`
	Path      []string `json:"path,omitempty"`
	Exception string   `json:"exception,omitempty"`
	Count     int      `json:"count"`
	// EvidenceID is the bundle item that shows this group.
	EvidenceID string `json:"evidence_id,omitempty"`
}

// AlarmRef is an alarm the investigation is about.
type AlarmRef struct {
	Name       string            `json:"name"`
	State      string            `json:"state"`
	Reason     string            `json:"reason,omitempty"`
	FiredAt    time.Time         `json:"fired_at,omitzero"`
	Metric     *telemetry.Metric `json:"metric,omitempty"`
	Threshold  *float64          `json:"threshold,omitempty"`
	Comparison string            `json:"comparison,omitempty"`
	// Metrics are what a metric-math or anomaly-detection alarm reads
	// (Metric is nil then); Measure is its expression over them.
	Metrics []telemetry.MetricStat `json:"metrics,omitempty"`
	Measure string                 `json:"measure,omitempty"`
}

// TimelineEntry is one moment of the incident, in time order.
type TimelineEntry struct {
	Time time.Time `json:"time"`
	// Kind is change, onset, first_error, alarm, recovery or note.
	Kind       string `json:"kind"`
	Text       string `json:"text"`
	EvidenceID string `json:"evidence_id,omitempty"`
}

// Suspect is a change that may have caused the incident.
type Suspect struct {
	EventName   string    `json:"event_name"`
	EventSource string    `json:"event_source,omitempty"`
	EventTime   time.Time `json:"event_time"`
	EventID     string    `json:"event_id,omitempty"`
	Principal   string    `json:"principal"`
	Resources   []string  `json:"resources"`
	Parameters  []string  `json:"parameters"`
	Likelihood  string    `json:"likelihood"`
	Score       float64   `json:"score"`
	Why         string    `json:"why"`
	EvidenceID  string    `json:"evidence_id,omitempty"`
}

// Evidence is one citable item of the bundle.
type Evidence struct {
	ID     string `json:"id"`
	Source string `json:"source"` // logs, traces, metrics, changes, access_logs, findings, alarms, knowledge
	Title  string `json:"title"`
	Text   string `json:"text"`
	// Reproduce is the fa2 tool call (name and JSON arguments) that shows
	// the same data, so a person can trace the item back.
	Reproduce string `json:"reproduce,omitempty"`
}

// Gap is a source that could not be read, and what would let fa2 read it.
type Gap struct {
	Source string `json:"source"`
	What   string `json:"what"`
	Action string `json:"action"`
}

// ChartSeries is a metric series worth drawing, with what to mark on it.
type ChartSeries struct {
	Title      string            `json:"title"`
	Metric     telemetry.Metric  `json:"metric"`
	Stat       string            `json:"stat"`
	Unit       string            `json:"unit,omitempty"`
	Points     []telemetry.Point `json:"points"`
	Threshold  *float64          `json:"threshold,omitempty"`
	Departure  *time.Time        `json:"departure,omitempty"`
	EvidenceID string            `json:"evidence_id,omitempty"`
}
