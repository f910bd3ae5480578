// Command gen writes the heldout11 incidents: six snapshots in the
// fa2-snapshot/1 format, each with a truth.json. It is deterministic: every
// incident has its own seed, so a rerun rewrites the same bytes.
//
// Run it from the repository root: go run ./investigate/testdata/heldout11/gen
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const acct = "418295730164"
const region = "us-east-1"

type logEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
}

type datapoint struct {
	Timestamp   string  `json:"Timestamp"`
	SampleCount float64 `json:"SampleCount"`
	Average     float64 `json:"Average"`
	Sum         float64 `json:"Sum"`
	Minimum     float64 `json:"Minimum"`
	Maximum     float64 `json:"Maximum"`
	Unit        string  `json:"Unit"`
}

type dim struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type metricFile struct {
	Namespace  string      `json:"Namespace"`
	MetricName string      `json:"MetricName"`
	Dimensions []dim       `json:"Dimensions"`
	Label      string      `json:"Label"`
	Datapoints []datapoint `json:"Datapoints"`
}

type decoy struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
}

type rootCause struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
	Resource  string    `json:"resource"`
}

type truth struct {
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	Alarm     string     `json:"alarm"`
	RootCause *rootCause `json:"root_cause,omitempty"`
	NoChange  bool       `json:"no_change,omitempty"`
	Onset     time.Time  `json:"onset"`
	Decoys    []decoy    `json:"decoys"`
	Signals   []string   `json:"signals"`
}

// snap accumulates one incident's telemetry before it is written out.
type snap struct {
	name, title, arch string
	rng               *rand.Rand
	start, end        time.Time
	logs              map[string][]logEvent
	metrics           []metricFile
	trail             []map[string]any
	alarms            []map[string]any
	history           []map[string]any
	alb               []albLine
	traces            []map[string]any
	seq               int
}

type albLine struct {
	t    time.Time
	line string
}

func newSnap(name string, seed int64, start, end time.Time) *snap {
	return &snap{name: name, rng: rand.New(rand.NewSource(seed)), start: start, end: end, logs: map[string][]logEvent{}}
}

func (s *snap) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[s.rng.Intn(16)]
	}
	return string(b)
}

func (s *snap) uuid() string {
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-a" + s.hex(3) + "-" + s.hex(12)
}

func (s *snap) upper(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[s.rng.Intn(len(a))]
	}
	return string(b)
}

func (s *snap) jitter(t time.Time, maxMs int) time.Time {
	return t.Add(time.Duration(s.rng.Intn(maxMs)) * time.Millisecond)
}

func (s *snap) log(group, stream string, t time.Time, msg string) {
	ms := t.UnixMilli()
	s.logs[group] = append(s.logs[group], logEvent{Timestamp: ms, Message: msg, LogStreamName: stream, IngestionTime: ms + 300 + int64(s.rng.Intn(1500))})
}

// minutes calls f for every minute of the window.
func (s *snap) minutes(f func(m time.Time)) {
	for m := s.start; m.Before(s.end); m = m.Add(time.Minute) {
		f(m)
	}
}

// poisson draws a count with the given mean (Knuth; means here are small).
func (s *snap) poisson(mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 40 {
		v := int(math.Round(mean + s.rng.NormFloat64()*math.Sqrt(mean)))
		if v < 0 {
			return 0
		}
		return v
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= s.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// metric adds a per-minute series; f returns (sum, samples, min, max) for a
// minute, or ok=false when no datapoint was published that minute.
func (s *snap) metric(ns, name string, dims []dim, unit string, f func(m time.Time) (sum, n, lo, hi float64, ok bool)) {
	mf := metricFile{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	s.minutes(func(m time.Time) {
		sum, n, lo, hi, ok := f(m)
		if !ok {
			return
		}
		avg := 0.0
		if n > 0 {
			avg = sum / n
		}
		mf.Datapoints = append(mf.Datapoints, datapoint{Timestamp: m.Format(time.RFC3339), SampleCount: n, Average: round(avg), Sum: round(sum), Minimum: round(lo), Maximum: round(hi), Unit: unit})
	})
	s.metrics = append(s.metrics, mf)
}

// count is a metric of events (Sum = count, each sample 1).
func (s *snap) count(ns, name string, dims []dim, f func(m time.Time) float64) {
	s.metric(ns, name, dims, "Count", func(m time.Time) (float64, float64, float64, float64, bool) {
		v := float64(s.poisson(f(m)))
		if v == 0 {
			return 0, 1, 0, 0, true
		}
		return v, v, 1, 1, true
	})
}

// perMinute is a count a service publishes once a minute (ElastiCache,
// SQS): one sample whose value is the minute's total.
func (s *snap) perMinute(ns, name string, dims []dim, f func(m time.Time) float64) {
	s.metric(ns, name, dims, "Count", func(m time.Time) (float64, float64, float64, float64, bool) {
		v := float64(s.poisson(f(m)))
		return v, 1, v, v, true
	})
}

// gauge is a metric sampled several times a minute around a mean.
func (s *snap) gauge(ns, name string, dims []dim, unit string, samples float64, f func(m time.Time) float64) {
	s.metric(ns, name, dims, unit, func(m time.Time) (float64, float64, float64, float64, bool) {
		mean := f(m)
		if mean < 0 {
			return 0, 0, 0, 0, false
		}
		avg := mean * (1 + s.rng.NormFloat64()*0.06)
		if avg < 0 {
			avg = 0
		}
		return avg * samples, samples, avg * (0.55 + s.rng.Float64()*0.2), avg * (1.6 + s.rng.Float64()*1.2), true
	})
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// --- CloudTrail ---------------------------------------------------------

type who struct {
	identity  map[string]any
	ip, agent string
}

func assumed(role, session, principalID string, created time.Time) map[string]any {
	return map[string]any{
		"type":        "AssumedRole",
		"principalId": principalID + ":" + session,
		"arn":         fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", acct, role, session),
		"accountId":   acct,
		"accessKeyId": "ASIA" + strings.ToUpper(principalID[4:]) + "Q7",
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": principalID, "arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, role), "accountId": acct, "userName": role},
			"attributes":    map[string]any{"creationDate": created.UTC().Format(time.RFC3339), "mfaAuthenticated": "false"},
		},
	}
}

func awsService(svc string) map[string]any {
	return map[string]any{"type": "AWSService", "invokedBy": svc}
}

// ct appends one CloudTrail record.
func (s *snap) ct(t time.Time, source, name string, w who, req, resp map[string]any, readOnly bool) map[string]any {
	rec := map[string]any{
		"eventVersion":       "1.09",
		"userIdentity":       w.identity,
		"eventTime":          t.UTC().Format(time.RFC3339),
		"eventSource":        source,
		"eventName":          name,
		"awsRegion":          region,
		"sourceIPAddress":    w.ip,
		"userAgent":          w.agent,
		"requestParameters":  req,
		"responseElements":   resp,
		"requestID":          s.uuid(),
		"eventID":            s.uuid(),
		"readOnly":           readOnly,
		"eventType":          "AwsApiCall",
		"managementEvent":    true,
		"recipientAccountId": acct,
		"eventCategory":      "Management",
	}
	if strings.HasSuffix(w.ip, ".amazonaws.com") {
		// calls made by a service on a principal's behalf
	} else {
		rec["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": strings.TrimSuffix(strings.Split(source, ".")[0], "") + "." + region + ".amazonaws.com"}
	}
	s.trail = append(s.trail, rec)
	return rec
}

// people and robots that appear in every incident's trail
func (s *snap) actors() (grafana, ci, sso, ecsSvc, lambdaSvc who) {
	day := s.start.Truncate(24 * time.Hour)
	grafana = who{assumed("grafana-cloudwatch-reader", "grafana-"+s.hex(6), "AROAWB3KJ7QF2M5NXRT4P", day.Add(-3*time.Hour)), "34.228.19.77", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)"}
	ci = who{assumed("github-actions-deploy", "GitHubActions", "AROAWB3KJ7QFCI8DEPL0Y", s.start.Add(-10*time.Minute)), "20.42.11.38", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off command/ecr.put-image"}
	sso = who{assumed("AWSReservedSSO_ReadOnly_5f1e0c2a9b7d3e41", "maria.okafor@acme.io", "AROAWB3KJ7QFRO55ONLY1", day.Add(6*time.Hour)), "81.2.69.160", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"}
	ecsSvc = who{awsService("ecs-tasks.amazonaws.com"), "ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com"}
	lambdaSvc = who{awsService("lambda.amazonaws.com"), "lambda.amazonaws.com", "lambda.amazonaws.com"}
	return
}

// noiseTrail fills the trail with the reads and benign writes an account
// makes every minute: role assumptions, log streams, dashboards, CI image
// pushes, console sign-ins, KMS and secret reads.
func (s *snap) noiseTrail(roles []string, repos []string, logGroups []string) {
	grafana, ci, sso, ecsSvc, _ := s.actors()
	reads := []struct{ src, name string }{
		{"monitoring.amazonaws.com", "GetMetricData"}, {"monitoring.amazonaws.com", "DescribeAlarms"},
		{"monitoring.amazonaws.com", "ListMetrics"}, {"logs.amazonaws.com", "DescribeLogGroups"},
		{"ec2.amazonaws.com", "DescribeInstances"}, {"ecs.amazonaws.com", "DescribeServices"},
		{"tagging.amazonaws.com", "GetResources"}, {"xray.amazonaws.com", "GetTraceSummaries"},
	}
	s.minutes(func(m time.Time) {
		for i := 0; i < s.poisson(2.2); i++ {
			r := reads[s.rng.Intn(len(reads))]
			s.ct(s.jitter(m, 60000), r.src, r.name, grafana, map[string]any{}, nil, true)
		}
		for i := 0; i < s.poisson(1.1); i++ {
			role := roles[s.rng.Intn(len(roles))]
			s.ct(s.jitter(m, 60000), "sts.amazonaws.com", "AssumeRole", ecsSvc, map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, role), "roleSessionName": s.hex(32)}, map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + s.upper(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + s.hex(20), "expiration": m.Add(6 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}, true)
		}
		if s.rng.Float64() < 0.35 {
			g := logGroups[s.rng.Intn(len(logGroups))]
			s.ct(s.jitter(m, 60000), "logs.amazonaws.com", "CreateLogStream", ecsSvc, map[string]any{"logGroupName": g, "logStreamName": "app/" + s.hex(32)}, nil, false)
		}
		if s.rng.Float64() < 0.5 {
			s.ct(s.jitter(m, 60000), "kms.amazonaws.com", "Decrypt", ecsSvc, map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"aws:ecs:clusterName": "prod-core"}}, nil, true)
		}
		if m.Minute()%17 == 3 {
			s.ct(s.jitter(m, 60000), "signin.amazonaws.com", "ConsoleLogin", sso, nil, map[string]any{"ConsoleLogin": "Success"}, false)
			s.ct(s.jitter(m.Add(time.Minute), 40000), "cloudwatch.amazonaws.com", "GetDashboard", sso, map[string]any{"dashboardName": "prod-overview"}, nil, true)
		}
		if m.Minute()%23 == 11 && len(repos) > 0 {
			repo := repos[s.rng.Intn(len(repos))]
			base := s.jitter(m, 30000)
			tag := s.hex(7)
			s.ct(base, "ecr.amazonaws.com", "GetAuthorizationToken", ci, map[string]any{}, nil, true)
			s.ct(base.Add(3*time.Second), "ecr.amazonaws.com", "BatchCheckLayerAvailability", ci, map[string]any{"repositoryName": repo, "registryId": acct}, nil, true)
			s.ct(base.Add(9*time.Second), "ecr.amazonaws.com", "InitiateLayerUpload", ci, map[string]any{"repositoryName": repo, "registryId": acct}, nil, false)
			s.ct(base.Add(14*time.Second), "ecr.amazonaws.com", "CompleteLayerUpload", ci, map[string]any{"repositoryName": repo, "registryId": acct, "layerDigests": []string{"sha256:" + s.hex(64)}}, nil, false)
			s.ct(base.Add(16*time.Second), "ecr.amazonaws.com", "PutImage", ci, map[string]any{"repositoryName": repo, "registryId": acct, "imageTag": "sha-" + tag}, map[string]any{"image": map[string]any{"repositoryName": repo, "imageId": map[string]any{"imageDigest": "sha256:" + s.hex(64), "imageTag": "sha-" + tag}}}, false)
		}
	})
}

// --- alarms -------------------------------------------------------------

func (s *snap) alarm(name, desc, ns, metric string, dims []dim, stat string, threshold float64, op string, periods int, fired time.Time, reason string, state string) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, acct, name)
	a := map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": desc,
		"AlarmConfigurationUpdatedTimestamp": s.start.Add(-240 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"ActionsEnabled":                     true,
		"OKActions":                          []string{},
		"AlarmActions":                       []string{fmt.Sprintf("arn:aws:sns:%s:%s:oncall-page", region, acct)},
		"InsufficientDataActions":            []string{},
		"StateValue":                         state, "StateReason": reason,
		"StateUpdatedTimestamp": fired.Format("2006-01-02T15:04:05.000Z"),
		"MetricName":            metric, "Namespace": ns, "Statistic": stat, "Dimensions": dims,
		"Period": 60, "EvaluationPeriods": periods, "DatapointsToAlarm": periods, "Threshold": threshold,
		"ComparisonOperator": op, "TreatMissingData": "missing", "StateTransitionedTimestamp": fired.Format("2006-01-02T15:04:05.000Z"),
	}
	s.alarms = append(s.alarms, a)
	if state == "ALARM" {
		data, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed"}, "newState": map[string]any{"stateValue": "ALARM", "stateReason": reason}})
		s.history = append(s.history, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": fired.Format("2006-01-02T15:04:05.000Z"), "HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": string(data)})
		s.history = append(s.history, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": fired.Add(800 * time.Millisecond).Format("2006-01-02T15:04:05.000Z"), "HistoryItemType": "Action", "HistorySummary": fmt.Sprintf("Successfully executed action arn:aws:sns:%s:%s:oncall-page", region, acct)})
	}
}

// --- ALB ----------------------------------------------------------------

func (s *snap) albLog(t time.Time, lb, target string, reqT, tgtT, respT float64, elb, tgt int, recv, sent int, method, url, ua, tg string) {
	tgtS := fmt.Sprint(tgt)
	tgtTs := fmt.Sprintf("%.3f", tgtT)
	targetS := target
	if tgt == 0 {
		tgtS, tgtTs, targetS = "-", "-1", "-"
	}
	line := fmt.Sprintf(`https %s app/%s/%s %d.%d.%d.%d:%d %s %.3f %s %.3f %d %s %d %d "%s %s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "Root=1-%08x-%s" "%s" "arn:aws:acm:%s:%s:certificate/%s" 0 %s "forward" "-" "-" "%s" "%s" "-" "-" TID_%s`,
		t.UTC().Format("2006-01-02T15:04:05.000000Z"), lb, "7c1f9a2be35d4e08",
		34+s.rng.Intn(150), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(250), 1024+s.rng.Intn(60000),
		targetS, reqT, tgtTs, respT, elb, tgtS, recv, sent, method, url, ua,
		tg, t.Unix(), s.hex(24), strings.Split(strings.TrimPrefix(url, "https://"), ":")[0], region, acct, s.uuid(),
		t.Add(-time.Duration((reqT+tgtT+respT)*1e9)).UTC().Format("2006-01-02T15:04:05.000000Z"), targetS, tgtS, s.hex(32))
	s.alb = append(s.alb, albLine{t, line})
}

// --- output -------------------------------------------------------------

func gz(path string, data []byte) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	must(os.WriteFile(path+".gz", b.Bytes(), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func js(v any) []byte {
	b, err := json.MarshalIndent(v, "", " ")
	must(err)
	return append(b, '\n')
}

func (s *snap) write(root string, tr truth) {
	dir := filepath.Join(root, s.name)
	must(os.RemoveAll(dir))
	for _, d := range []string{"logs", "metrics", "cloudtrail"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	must(os.WriteFile(filepath.Join(dir, "manifest.json"), js(map[string]any{
		"format": "fa2-snapshot/1", "region": region,
		"window": map[string]string{"start": s.start.Format(time.RFC3339), "end": s.end.Format(time.RFC3339)},
		"title":  s.title, "architecture": s.arch,
	}), 0o644))
	groups := make([]string, 0, len(s.logs))
	for g := range s.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		ev := s.logs[g]
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].Timestamp < ev[j].Timestamp })
		var b bytes.Buffer
		for _, e := range ev {
			line, _ := json.Marshal(e)
			b.Write(line)
			b.WriteByte('\n')
		}
		gz(filepath.Join(dir, "logs", strings.ReplaceAll(g, "/", "%2F")+".jsonl"), b.Bytes())
	}
	for _, m := range s.metrics {
		name := m.Namespace + "_" + m.MetricName
		for _, d := range m.Dimensions {
			name += "_" + d.Value
		}
		name = strings.NewReplacer("/", "-", ":", "-", " ", "-").Replace(name)
		must(os.WriteFile(filepath.Join(dir, "metrics", name+".json"), js(m), 0o644))
	}
	// CloudTrail delivers a file about every five minutes.
	sort.SliceStable(s.trail, func(i, j int) bool { return s.trail[i]["eventTime"].(string) < s.trail[j]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	var keys []string
	for _, r := range s.trail {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		k := t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
		if _, ok := files[k]; !ok {
			keys = append(keys, k)
		}
		files[k] = append(files[k], r)
	}
	for _, k := range keys {
		name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json", acct, region, k, s.upper(16))
		b, _ := json.Marshal(map[string]any{"Records": files[k]})
		gz(filepath.Join(dir, "cloudtrail", name), b)
	}
	must(os.WriteFile(filepath.Join(dir, "alarms.json"), js(map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}), 0o644))
	must(os.WriteFile(filepath.Join(dir, "alarm-history.json"), js(map[string]any{"AlarmHistoryItems": s.history}), 0o644))
	if len(s.alb) > 0 {
		must(os.MkdirAll(filepath.Join(dir, "alb"), 0o755))
		sort.SliceStable(s.alb, func(i, j int) bool { return s.alb[i].t.Before(s.alb[j].t) })
		// one file per five minutes, as the load balancer delivers them
		byKey := map[string]*bytes.Buffer{}
		var order []string
		for _, l := range s.alb {
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
			if byKey[k] == nil {
				byKey[k] = &bytes.Buffer{}
				order = append(order, k)
			}
			byKey[k].WriteString(l.line + "\n")
		}
		for _, k := range order {
			name := fmt.Sprintf("%s_elasticloadbalancing_%s_app.%s_%s_10.40.1.17_%s.log", acct, region, "prod-edge.7c1f9a2be35d4e08", k, s.hex(8))
			gz(filepath.Join(dir, "alb", name), byKey[k].Bytes())
		}
	}
	if len(s.traces) > 0 {
		must(os.MkdirAll(filepath.Join(dir, "xray"), 0o755))
		must(os.WriteFile(filepath.Join(dir, "xray", "traces.json"), js(map[string]any{"Traces": s.traces}), 0o644))
	}
	must(os.WriteFile(filepath.Join(dir, "truth.json"), js(tr), 0o644))
}

func main() {
	root := "investigate/testdata/heldout11"
	if _, err := os.Stat(root); err != nil {
		fmt.Fprintln(os.Stderr, "run from the repository root:", err)
		os.Exit(1)
	}
	for _, f := range []func(string){secretsPolicyDeny, ecsTaskRoleSwapped, lambdaURLAuthIAM, eventbridgePatternTypo, s3SlowdownBatch, elasticacheSGReplaced} {
		f(root)
	}
}
