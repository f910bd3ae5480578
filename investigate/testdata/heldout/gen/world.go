// Command gen writes the held-out incident snapshots under
// investigate/testdata/heldout/<name>/: incidents written apart from
// examples/incidents, in other services, log formats, principals and
// timings, to measure whether the investigation engine generalises.
//
//	go run ./investigate/testdata/heldout/gen [-out investigate/testdata/heldout]
//
// Output is deterministic: each incident draws from its own seeded source.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const account = "123456789012"

// world accumulates one incident's telemetry before it is written.
type world struct {
	name  string
	rng   *rand.Rand
	start time.Time // the window
	end   time.Time
	from  time.Time // first datum: one window-length before start
	title string
	arch  string

	logs    map[string][]logEvent
	metrics []metricFile
	trail   []map[string]any
	alb     []albLine
	alarms  []map[string]any
	history []map[string]any
	truth   truth
}

type logEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
}

type metricFile struct {
	Namespace  string           `json:"Namespace"`
	MetricName string           `json:"MetricName"`
	Dimensions []dim            `json:"Dimensions"`
	Label      string           `json:"Label"`
	Datapoints []map[string]any `json:"Datapoints"`
}

type dim struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type albLine struct {
	t    time.Time
	text string
}

type event struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
	Resource  string    `json:"resource,omitempty"`
}

type truth struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Alarm     string   `json:"alarm"`
	RootCause *event   `json:"root_cause"`
	NoChange  bool     `json:"no_change"`
	Onset     string   `json:"onset"`
	Decoys    []event  `json:"decoys"`
	Signals   []string `json:"signals"`
}

func newWorld(name string, start, end time.Time) *world {
	h := fnv.New64a()
	h.Write([]byte(name))
	return &world{
		name: name, rng: rand.New(rand.NewSource(int64(h.Sum64()))),
		start: start, end: end, from: start.Add(-end.Sub(start)),
		logs: map[string][]logEvent{},
	}
}

// at parses a clock time on the incident's day.
func at(day, clock string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", day+" "+clock)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func (w *world) log(group, stream string, t time.Time, msg string) {
	ms := t.UnixMilli()
	w.logs[group] = append(w.logs[group], logEvent{ms, msg, stream, ms + 400 + int64(w.rng.Intn(900))})
}

// poisson calls fn at the times of a Poisson process with the given mean
// gap between from and to.
func (w *world) poisson(from, to time.Time, gap time.Duration, fn func(t time.Time)) {
	for t := from.Add(time.Duration(w.rng.ExpFloat64() * float64(gap))); t.Before(to); t = t.Add(time.Duration(w.rng.ExpFloat64() * float64(gap))) {
		fn(t)
	}
}

func (w *world) pick(s ...string) string { return s[w.rng.Intn(len(s))] }

func (w *world) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[w.rng.Intn(16)]
	}
	return string(b)
}

func (w *world) uuid() string {
	return w.hex(8) + "-" + w.hex(4) + "-4" + w.hex(3) + "-a" + w.hex(3) + "-" + w.hex(12)
}

// metric adds a one-minute series from w.from to w.end; f gives the value
// of the minute starting at t, and jitter a relative noise.
func (w *world) metric(ns, name, unit string, dims []dim, jitter float64, f func(t time.Time) float64) {
	m := metricFile{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	for t := w.from.Truncate(time.Minute); t.Before(w.end); t = t.Add(time.Minute) {
		v := f(t) * (1 + jitter*(w.rng.Float64()*2-1))
		if unit == "Count" {
			v = math.Round(v)
		}
		if v < 0 {
			v = 0
		}
		m.Datapoints = append(m.Datapoints, map[string]any{
			"Timestamp": t.Format(time.RFC3339), "SampleCount": 1.0, "Average": round3(v), "Sum": round3(v),
			"Minimum": round3(v * 0.8), "Maximum": round3(v * 1.2), "Unit": unit,
		})
	}
	w.metrics = append(w.metrics, m)
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// ramp is 0 before a, 1 after b and linear between.
func ramp(t, a, b time.Time) float64 {
	switch {
	case !t.After(a):
		return 0
	case !t.Before(b):
		return 1
	}
	return float64(t.Sub(a)) / float64(b.Sub(a))
}

// Principals, as CloudTrail's userIdentity.
type who struct {
	identity map[string]any
	ip       string
	agent    string
	console  bool
}

func consoleUser(name, ip string) who {
	return who{identity: map[string]any{"type": "IAMUser", "principalId": "AIDA" + strings.ToUpper(name[:3]) + "Q7XK2M9PLZ", "arn": "arn:aws:iam::" + account + ":user/" + name,
		"accountId": account, "userName": name, "sessionContext": map[string]any{"attributes": map[string]any{"mfaAuthenticated": "true", "creationDate": "2026-01-01T00:00:00Z"}}},
		ip: ip, agent: "AWS Internal", console: true}
}

func role(roleName, session, ip, agent string) who {
	return who{identity: map[string]any{"type": "AssumedRole", "principalId": "AROAZX3" + strings.ToUpper(roleName[:min(4, len(roleName))]) + "K1:" + session,
		"arn": "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session, "accountId": account,
		"sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role", "arn": "arn:aws:iam::" + account + ":role/" + roleName, "userName": roleName, "accountId": account},
			"attributes": map[string]any{"mfaAuthenticated": "false", "creationDate": "2026-01-01T00:00:00Z"}}},
		ip: ip, agent: agent}
}

func ssoUser(permSet, user, ip string) who {
	r := "AWSReservedSSO_" + permSet + "_4f1c2a9be3d07a65"
	w := role(r, user, ip, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15")
	w.console = true
	return w
}

func service(host string) who {
	return who{identity: map[string]any{"type": "AWSService", "invokedBy": host}, ip: host, agent: host}
}

// serviceRole is a service-linked role session the service itself drives.
func serviceRole(roleName, session, host string) who {
	w := role(roleName, session, host, host)
	w.identity["invokedBy"] = host
	return w
}

// ct records one CloudTrail event; readOnly and error are optional via opts.
func (w *world) ct(t time.Time, source, name string, p who, params map[string]any, opts ...func(map[string]any)) {
	rec := map[string]any{
		"eventVersion": "1.10", "userIdentity": p.identity, "eventTime": t.UTC().Format(time.RFC3339),
		"eventSource": source, "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": p.ip,
		"userAgent": p.agent, "requestParameters": params, "responseElements": nil,
		"requestID": w.uuid(), "eventID": w.uuid(), "readOnly": false, "eventType": "AwsApiCall",
		"managementEvent": true, "recipientAccountId": account, "eventCategory": "Management",
	}
	if p.console {
		rec["sessionCredentialFromConsole"] = "true"
	}
	for _, o := range opts {
		o(rec)
	}
	w.trail = append(w.trail, rec)
}

func readOnly(rec map[string]any) { rec["readOnly"] = true }

func failed(code, msg string) func(map[string]any) {
	return func(rec map[string]any) { rec["errorCode"] = code; rec["errorMessage"] = msg }
}

func response(v map[string]any) func(map[string]any) {
	return func(rec map[string]any) { rec["responseElements"] = v }
}

func resources(arns ...string) func(map[string]any) {
	return func(rec map[string]any) {
		var rs []map[string]any
		for _, a := range arns {
			rs = append(rs, map[string]any{"ARN": a, "accountId": account})
		}
		rec["resources"] = rs
	}
}

// routineTrail fills three hours before the window to its end with what
// an account does all day: agents checking in, tasks writing logs, reads,
// role sessions, key use, and a few harmless changes hours earlier.
func (w *world) routineTrail(instanceRole string, instances []string, taskRoles []string) {
	from := w.start.Add(-3 * time.Hour)
	w.poisson(from, w.end, 40*time.Second, func(t time.Time) {
		i := instances[w.rng.Intn(len(instances))]
		w.ct(t, "ssm.amazonaws.com", "UpdateInstanceInformation", role(instanceRole, i, "10.0."+fmt.Sprint(w.rng.Intn(4))+"."+fmt.Sprint(10+w.rng.Intn(200)), "aws-sdk-go/1.55.5 amazon-ssm-agent/3.3.1142.0"),
			map[string]any{"instanceId": i, "agentName": "amazon-ssm-agent", "agentVersion": "3.3.1142.0", "agentStatus": "Active", "platformName": "Amazon Linux"})
	})
	w.poisson(from, w.end, 25*time.Second, func(t time.Time) {
		r := taskRoles[w.rng.Intn(len(taskRoles))]
		switch w.rng.Intn(4) {
		case 0:
			w.ct(t, "kms.amazonaws.com", "Decrypt", role(r, w.hex(32), "10.0.2.77", "aws-sdk-java/2.25.11"), map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, readOnly)
		case 1:
			w.ct(t, "sts.amazonaws.com", "AssumeRole", service("ecs-tasks.amazonaws.com"), map[string]any{"roleArn": "arn:aws:iam::" + account + ":role/" + r, "roleSessionName": w.hex(32)}, readOnly)
		case 2:
			w.ct(t, "secretsmanager.amazonaws.com", "GetSecretValue", role(r, w.hex(32), "10.0.1.14", "aws-sdk-go-v2/1.30.3"), map[string]any{"secretId": "prod/shared/datadog-api-key"}, readOnly)
		default:
			w.ct(t, "ec2.amazonaws.com", "DescribeInstances", role("datadog-integration", "DatadogAWSIntegration", "3.233.147.12", "datadog-aws-integration/1.0"), map[string]any{"maxResults": 1000}, readOnly)
		}
	})
	// Harmless changes well before the window.
	dev := consoleUser("k.tanaka", "198.51.100.77")
	w.ct(w.start.Add(-150*time.Minute), "iam.amazonaws.com", "CreateAccessKey", dev, map[string]any{"userName": "k.tanaka"})
	w.ct(w.start.Add(-131*time.Minute), "cloudwatch.amazonaws.com", "PutDashboard", dev, map[string]any{"dashboardName": "team-overview"})
	w.ct(w.start.Add(-97*time.Minute), "ssm.amazonaws.com", "PutParameter", role("gha-deploy", "GitHubActions-"+w.hex(8), "140.82.112.4", "aws-cli/2.15.30"),
		map[string]any{"name": "/feature-flags/new-checkout-banner", "type": "String", "overwrite": true})
}

func (w *world) alarm(name, desc, ns, metricName, stat string, dims []dim, threshold float64, evalPeriods int, fired time.Time, recent []float64) {
	reason := fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints %s were greater than the threshold (%g) (minimum %d datapoints for OK -> ALARM transition).",
		evalPeriods, evalPeriods, fmtPoints(recent, fired), threshold, evalPeriods)
	ts := fired.UTC().Format("2006-01-02T15:04:05.000Z")
	w.alarms = append(w.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": "arn:aws:cloudwatch:us-east-1:" + account + ":alarm:" + name, "AlarmDescription": desc,
		"ActionsEnabled": true, "AlarmActions": []string{"arn:aws:sns:us-east-1:" + account + ":pagerduty-primary"}, "OKActions": []string{}, "InsufficientDataActions": []string{},
		"Namespace": ns, "MetricName": metricName, "Dimensions": dims, "Statistic": stat, "Period": 60, "EvaluationPeriods": evalPeriods,
		"DatapointsToAlarm": evalPeriods, "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing",
		"StateValue": "ALARM", "StateReason": reason, "StateUpdatedTimestamp": ts, "StateTransitionedTimestamp": ts,
	})
	hd, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed: no datapoints were breaching the threshold."},
		"newState": map[string]any{"stateValue": "ALARM", "stateReason": reason}})
	w.history = append(w.history, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "HistoryItemType": "StateUpdate",
		"HistorySummary": "Alarm updated from OK to ALARM", "Timestamp": ts, "HistoryData": string(hd)})
}

func fmtPoints(vals []float64, fired time.Time) string {
	var parts []string
	last := fired.Truncate(time.Minute).Add(-time.Minute)
	for i, v := range vals {
		parts = append(parts, fmt.Sprintf("%g (%s)", v, last.Add(-time.Duration(i)*time.Minute).Format("02/01/06 15:04:05")))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (w *world) write(root string) error {
	dir := filepath.Join(root, w.name)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, sub := range []string{"logs", "metrics", "cloudtrail", "alb"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	manifest := map[string]any{"format": "fa2-snapshot/1", "region": "us-east-1", "title": w.title, "architecture": w.arch,
		"window": map[string]string{"start": w.start.Format(time.RFC3339), "end": w.end.Format(time.RFC3339)}}
	if err := writeJSON(filepath.Join(dir, "manifest.json"), manifest, false); err != nil {
		return err
	}
	for group, evs := range w.logs {
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
		var b strings.Builder
		for _, e := range evs {
			line, _ := json.Marshal(e)
			b.Write(line)
			b.WriteByte('\n')
		}
		if err := writeGz(filepath.Join(dir, "logs", url.PathEscape(group)+".jsonl.gz"), []byte(b.String())); err != nil {
			return err
		}
	}
	for _, m := range w.metrics {
		name := strings.ReplaceAll(m.Namespace, "/", "_") + "-" + m.MetricName
		for _, d := range m.Dimensions {
			v := d.Value
			if i := strings.LastIndex(v, "/"); i >= 0 && strings.Count(v, "/") > 1 {
				v = strings.Split(v, "/")[1]
			}
			name += "-" + strings.NewReplacer("/", "_", ":", "_").Replace(v)
		}
		if err := writeJSON(filepath.Join(dir, "metrics", name+".json.gz"), m, true); err != nil {
			return err
		}
	}
	// CloudTrail delivers a file about every five minutes.
	files := map[time.Time][]map[string]any{}
	for _, rec := range w.trail {
		t, _ := time.Parse(time.RFC3339, rec["eventTime"].(string))
		k := t.Truncate(5 * time.Minute).Add(5 * time.Minute)
		files[k] = append(files[k], rec)
	}
	for _, k := range sortedKeys(files) {
		recs := files[k]
		sort.SliceStable(recs, func(i, j int) bool { return recs[i]["eventTime"].(string) < recs[j]["eventTime"].(string) })
		name := fmt.Sprintf("%s_CloudTrail_us-east-1_%s_%s.json.gz", account, k.Format("20060102T1504Z"), w.hex(16))
		if err := writeJSON(filepath.Join(dir, "cloudtrail", name), map[string]any{"Records": recs}, true); err != nil {
			return err
		}
	}
	if len(w.alb) > 0 {
		sort.SliceStable(w.alb, func(i, j int) bool { return w.alb[i].t.Before(w.alb[j].t) })
		byFile := map[time.Time][]string{}
		for _, l := range w.alb {
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute)
			byFile[k] = append(byFile[k], l.text)
		}
		for _, k := range sortedKeys(byFile) {
			lines := byFile[k]
			name := fmt.Sprintf("%s_elasticloadbalancing_us-east-1_app.web-public.2b7e40c1d9f3a856_%s_10.0.0.21_%s.log.gz", account, k.Format("20060102T1504Z"), w.hex(8))
			if err := writeGz(filepath.Join(dir, "alb", name), []byte(strings.Join(lines, "\n")+"\n")); err != nil {
				return err
			}
		}
	} else if err := os.Remove(filepath.Join(dir, "alb")); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": w.alarms, "CompositeAlarms": []any{}}, false); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": w.history}, false); err != nil {
		return err
	}
	w.truth.Name = w.name
	if w.truth.Decoys == nil {
		w.truth.Decoys = []event{}
	}
	return writeJSON(filepath.Join(dir, "truth.json"), w.truth, false)
}

// sortedKeys orders file times so the random parts of file names are drawn
// in the same order on every run.
func sortedKeys[V any](m map[time.Time]V) []time.Time {
	keys := make([]time.Time, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Before(keys[j]) })
	return keys
}

func writeJSON(path string, v any, gz bool) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if gz {
		return writeGz(path, b)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeGz(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

var incidents = []func() *world{
	kmsKeyDisabled, sqsVisibilityTimeout, lambdaMemoryReduced, targetGroupHealthCheck,
	route53Record, s3BucketPolicy, auroraFailover, cpuCredits,
}

func main() {
	out := flag.String("out", "investigate/testdata/heldout", "directory to write the incidents into")
	flag.Parse()
	for _, mk := range incidents {
		w := mk()
		if err := w.write(*out); err != nil {
			log.Fatalf("%s: %v", w.name, err)
		}
		n := 0
		for _, evs := range w.logs {
			n += len(evs)
		}
		fmt.Fprintf(os.Stderr, "%s: %d log lines, %d metrics, %d CloudTrail records, %d ALB lines\n", w.name, n, len(w.metrics), len(w.trail), len(w.alb))
	}
}
