// Package gen writes fa2's incident fixtures: one fa2-snapshot/1 directory
// per incident under examples/incidents/<name>, each with a truth.json that
// says what caused it, when it started and which changes are decoys. The
// incidents cover the kinds of cause an engine must tell apart — a bad
// deploy, a permission change, a capacity change, a network rule, a rotated
// credential, a dependency slowing down with nothing changed in the
// account, and a cause seen only in metrics and CloudTrail — on different
// AWS architectures, with routine noise, a healthy baseline before the
// incident and unrelated changes near its onset.
//
// WriteBenchmark writes a larger snapshot of the same shape at a chosen
// scale, for benchmarks; it is never committed.
//
// Regenerate the committed fixtures from the repository root with
//
//	go run ./examples/incidents/gen/cmd
package gen

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

const (
	region  = "us-east-1"
	account = "123456789012"
)

// Truth is truth.json: what an investigation of the incident should find.
type Truth struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Alarm     string   `json:"alarm"`
	RootCause *Change  `json:"root_cause"`
	NoChange  bool     `json:"no_change"`
	Onset     string   `json:"onset"`
	Decoys    []Change `json:"decoys"`
	Signals   []string `json:"signals"`
}

// Change is a CloudTrail event of the truth: the root cause or a decoy.
type Change struct {
	EventName string `json:"event_name"`
	EventTime string `json:"event_time"`
	Resource  string `json:"resource,omitempty"`
}

// Incident is one fixture: its name and the story that builds it.
type Incident struct {
	Name  string
	Kind  string
	story func(w *world)
}

// Incidents lists every committed fixture.
func Incidents() []Incident {
	return []Incident{
		{"bad-deploy", "deploy", badDeploy},
		{"permission-change", "permission", permissionChange},
		{"capacity-change", "capacity", capacityChange},
		{"network-rule", "network", networkRule},
		{"rotated-credential", "credential", rotatedCredential},
		{"dependency-slowdown", "dependency", dependencySlowdown},
		{"throttled-before-running", "metrics-only", throttledBeforeRunning},
	}
}

// world is one incident being built: the story's clock and every source.
type world struct {
	r     *rand.Rand
	scale float64

	// dataStart is where the baseline begins: the window [start, end) is
	// the incident, [dataStart, start) the equal healthy window before it.
	dataStart, start, end, onset time.Time

	title, architecture string
	truth               Truth
	// firstFailure is the first request the cause broke: the truth's onset.
	firstFailure time.Time

	logs   snapgen.LogBook
	trail  *snapgen.Trail
	traces []snapgen.Trace
	lbs    []*snapgen.LoadBalancer
	series []*snapgen.Series
	alarms []snapgen.Alarm
	// findings are Security Hub findings (ASFF) of the account.
	findings []map[string]any
}

// newWorld sets the clock: the window is 40 minutes around onset (20
// before, 20 after) and data starts 40 minutes earlier for the baseline.
func newWorld(seed int64, onset time.Time, scale float64) *world {
	start := onset.Add(-20 * time.Minute).Truncate(time.Minute)
	return &world{
		r: snapgen.NewRand(seed), scale: scale,
		dataStart: start.Add(-40 * time.Minute), start: start, end: start.Add(40 * time.Minute), onset: onset,
		logs:  snapgen.LogBook{},
		trail: snapgen.NewTrail(seed+1, account, region),
	}
}

// seconds calls fn for every second of the data span.
func (w *world) seconds(fn func(t time.Time)) {
	for t := w.dataStart; t.Before(w.end); t = t.Add(time.Second) {
		fn(t)
	}
}

// arrivals calls fn for each of a Poisson stream of events at rate per
// second (scaled), each at a random instant.
func (w *world) arrivals(rate float64, fn func(t time.Time)) {
	rate *= w.scale
	w.seconds(func(t time.Time) {
		for n := snapgen.Poisson(w.r, rate); n > 0; n-- {
			fn(t.Add(snapgen.Jitter(w.r, time.Second)))
		}
	})
}

// every calls fn at a fixed period from offset after the data start.
func (w *world) every(period, offset time.Duration, fn func(t time.Time)) {
	for t := w.dataStart.Add(offset); t.Before(w.end); t = t.Add(period) {
		fn(t)
	}
}

// metric declares a CloudWatch metric the story fills.
func (w *world) metric(ns, name, unit string, count bool, dims ...string) *snapgen.Series {
	s := &snapgen.Series{File: snapgen.MetricFile{Namespace: ns, MetricName: name, Dimensions: snapgen.Dims(dims...)}, Count: count, Unit: unit}
	w.series = append(w.series, s)
	return s
}

// alarm declares the incident's alarm (the first one is the truth's).
func (w *world) alarm(a snapgen.Alarm) {
	a.Actions = []string{"arn:aws:sns:" + region + ":" + account + ":oncall"}
	if a.Periods == 0 {
		a.Periods = 3
	}
	w.alarms = append(w.alarms, a)
	if w.truth.Alarm == "" {
		w.truth.Alarm = a.Name
	}
}

// cause marks a CloudTrail record as the incident's root cause.
func (w *world) cause(rec *snapgen.TrailRecord, resource string) {
	w.truth.RootCause = &Change{EventName: rec.EventName, EventTime: rec.EventTime, Resource: resource}
}

// decoy marks a CloudTrail record as an unrelated change near the onset.
func (w *world) decoy(rec *snapgen.TrailRecord) {
	w.truth.Decoys = append(w.truth.Decoys, Change{EventName: rec.EventName, EventTime: rec.EventTime})
}

// fail records a request the incident broke; the earliest is the onset.
func (w *world) fail(at time.Time) {
	if w.firstFailure.IsZero() || at.Before(w.firstFailure) {
		w.firstFailure = at
	}
}

// alb declares a load balancer.
func (w *world) alb(name, id, domain string) *snapgen.LoadBalancer {
	lb := &snapgen.LoadBalancer{Account: account, Region: region, Name: name, ID: id, Domain: domain,
		CertARN: "arn:aws:acm:us-east-1:123456789012:certificate/" + snapgen.UUID(snapgen.NewRand(int64(len(name)))),
		Nodes:   []string{"10.0.0.11", "10.0.1.12"}}
	w.lbs = append(w.lbs, lb)
	return lb
}

// Write builds the incident and writes its snapshot and truth.json to dir,
// replacing what was there.
func (inc Incident) Write(dir string) error {
	_, err := inc.write(dir, 1)
	return err
}

func (inc Incident) write(dir string, scale float64) (Truth, error) {
	w := &world{scale: scale}
	inc.story(w)
	w.truth.Name, w.truth.Kind = inc.Name, inc.Kind
	onset := w.onset
	if !w.firstFailure.IsZero() {
		onset = w.firstFailure
	}
	w.truth.Onset = onset.UTC().Truncate(time.Second).Format(time.RFC3339)
	w.truth.NoChange = w.truth.RootCause == nil
	if w.truth.Decoys == nil {
		w.truth.Decoys = []Change{}
	}
	if err := os.RemoveAll(dir); err != nil {
		return Truth{}, err
	}
	if err := w.write(dir); err != nil {
		return Truth{}, fmt.Errorf("%s: %w", inc.Name, err)
	}
	return w.truth, snapgen.WriteJSON(filepath.Join(dir, "truth.json"), w.truth)
}

// init sets the world's clock and seed, keeping the scale the caller chose.
func (w *world) init(seed int64, onset time.Time) {
	scale := w.scale
	*w = *newWorld(seed, onset, scale)
}

func (w *world) write(dir string) error {
	manifest := map[string]any{
		"format": "fa2-snapshot/1", "region": region,
		"window":       map[string]string{"start": w.start.Format(time.RFC3339), "end": w.end.Format(time.RFC3339)},
		"title":        w.title,
		"architecture": w.architecture,
	}
	if err := snapgen.WriteJSON(filepath.Join(dir, "manifest.json"), manifest); err != nil {
		return err
	}
	if err := w.logs.Write(dir); err != nil {
		return err
	}
	if err := w.trail.Write(dir); err != nil {
		return err
	}
	if len(w.traces) > 0 {
		if err := snapgen.WriteTraces(dir, w.traces); err != nil {
			return err
		}
	}
	for _, lb := range w.lbs {
		if err := lb.Write(dir); err != nil {
			return err
		}
	}
	var files []snapgen.MetricFile
	for _, s := range w.series {
		files = append(files, s.Finish(w.dataStart, w.end))
	}
	if err := snapgen.WriteMetrics(dir, files); err != nil {
		return err
	}
	if len(w.alarms) > 0 {
		if err := snapgen.WriteAlarms(dir, account, region, w.dataStart, w.end, w.alarms); err != nil {
			return err
		}
		if fired, _, _ := w.alarms[0].FiresAt(w.dataStart, w.end); fired.IsZero() || fired.Before(w.onset) {
			return fmt.Errorf("alarm %s fires at %v, not after the onset %v: the story and its alarm disagree", w.alarms[0].Name, fired, w.onset)
		}
	}
	if len(w.findings) > 0 {
		sort.SliceStable(w.findings, func(i, j int) bool { return fmt.Sprint(w.findings[i]["Id"]) < fmt.Sprint(w.findings[j]["Id"]) })
		if err := snapgen.WriteJSON(filepath.Join(dir, "securityhub.json"), map[string]any{"Findings": w.findings}); err != nil {
			return err
		}
	}
	return nil
}

// WriteAll writes every incident under root (examples/incidents).
func WriteAll(root string) error {
	for _, inc := range Incidents() {
		if err := inc.Write(filepath.Join(root, inc.Name)); err != nil {
			return err
		}
	}
	return nil
}
