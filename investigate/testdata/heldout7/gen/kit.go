// Command gen writes the seventh held-out incident set (investigate/testdata/heldout7):
// six snapshots in the fa2-snapshot/1 format, each with a truth.json. Every
// incident is seeded on its own, so the output is the same on every run:
//
//	go run ./investigate/testdata/heldout7/gen
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// root is where the incidents are written, relative to the module root.
const root = "investigate/testdata/heldout7"

// snap accumulates one incident's telemetry and writes it out.
type snap struct {
	name, region, account string
	start, end            time.Time
	rng                   *rand.Rand
	logs                  map[string][]logEvent
	metrics               []map[string]any
	trail                 []map[string]any
	alarms                []map[string]any
	history               []map[string]any
	traces                []map[string]any
	alb                   map[string][]albLine // load balancer id -> lines
}

type logEvent struct {
	ts     int64
	stream string
	msg    string
}

type albLine struct {
	t    time.Time
	line string
}

func newSnap(name, region, account string, start, end time.Time) *snap {
	h := fnv.New64a()
	h.Write([]byte(name))
	return &snap{name: name, region: region, account: account, start: start, end: end,
		rng: rand.New(rand.NewSource(int64(h.Sum64()))), logs: map[string][]logEvent{}, alb: map[string][]albLine{}}
}

func (s *snap) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[s.rng.Intn(16)]
	}
	return string(b)
}

func (s *snap) upperAlnum(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[s.rng.Intn(len(digits))]
	}
	return string(b)
}

func (s *snap) uuid() string {
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-a" + s.hex(3) + "-" + s.hex(12)
}

// jitter returns t plus a random offset in [0, d).
func (s *snap) jitter(t time.Time, d time.Duration) time.Time {
	return t.Add(time.Duration(s.rng.Int63n(int64(d))))
}

// log adds one CloudWatch Logs event; ingestion lags a little behind.
func (s *snap) log(group, stream string, t time.Time, msg string) {
	s.logs[group] = append(s.logs[group], logEvent{ts: t.UnixMilli(), stream: stream, msg: msg})
}

// every calls f at a Poisson-ish cadence: perMin events per minute on average,
// with rate(t) scaling it.
func (s *snap) every(from, to time.Time, perMin func(time.Time) float64, f func(time.Time)) {
	t := from
	for t.Before(to) {
		r := perMin(t)
		if r <= 0 {
			t = t.Add(10 * time.Second)
			continue
		}
		gap := s.rng.ExpFloat64() * 60 / r
		t = t.Add(time.Duration(gap * float64(time.Second)))
		if t.Before(to) {
			f(t)
		}
	}
}

func flat(v float64) func(time.Time) float64 { return func(time.Time) float64 { return v } }

// ---- metrics ----

type dim struct{ Name, Value string }

// gauge writes one metric whose per-minute value comes from f (ok=false: no datapoint).
func (s *snap) gauge(ns, name string, dims []dim, unit string, f func(t time.Time) (float64, bool)) {
	var dps []map[string]any
	for t := s.start.Truncate(time.Minute); t.Before(s.end); t = t.Add(time.Minute) {
		v, ok := f(t)
		if !ok {
			continue
		}
		v = math.Round(v*1000) / 1000
		dps = append(dps, map[string]any{"Timestamp": t.Format(time.RFC3339), "SampleCount": 1.0, "Average": v, "Sum": v, "Minimum": v, "Maximum": v, "Unit": unit})
	}
	s.addMetric(ns, name, dims, dps)
}

// counter writes a count metric: f returns the per-minute sum and the sample count.
func (s *snap) counter(ns, name string, dims []dim, unit string, f func(t time.Time) (float64, bool)) {
	var dps []map[string]any
	for t := s.start.Truncate(time.Minute); t.Before(s.end); t = t.Add(time.Minute) {
		v, ok := f(t)
		if !ok {
			continue
		}
		v = math.Round(v)
		n := math.Max(1, math.Round(v))
		dps = append(dps, map[string]any{"Timestamp": t.Format(time.RFC3339), "SampleCount": n, "Average": 1.0, "Sum": v, "Minimum": 1.0, "Maximum": 1.0, "Unit": unit})
	}
	s.addMetric(ns, name, dims, dps)
}

func (s *snap) addMetric(ns, name string, dims []dim, dps []map[string]any) {
	d := make([]map[string]string, 0, len(dims))
	for _, x := range dims {
		d = append(d, map[string]string{"Name": x.Name, "Value": x.Value})
	}
	if dps == nil {
		dps = []map[string]any{}
	}
	s.metrics = append(s.metrics, map[string]any{"Namespace": ns, "MetricName": name, "Dimensions": d, "Label": name, "Datapoints": dps})
}

// noisy returns base scaled by a slow wave and random noise.
func (s *snap) noisy(base, rel float64) float64 {
	return math.Max(0, base*(1+rel*(s.rng.Float64()*2-1)))
}

// ---- alarms ----

type alarmSpec struct {
	name, desc, ns, metric, stat, cmp, unit string
	dims                                    []dim
	threshold                               float64
	period, evals                           int
	state                                   string
	at                                      time.Time // when it entered state
	reason                                  string
	topic                                   string
}

// fire dates an alarm from the metric it watches: the first minute whose
// last evals datapoints all breach, and a state reason quoting them as
// CloudWatch does. The metric must already have been added.
func (s *snap) fire(a alarmSpec) alarmSpec {
	var dps []map[string]any
	for _, m := range s.metrics {
		if m["Namespace"] != a.ns || m["MetricName"] != a.metric {
			continue
		}
		d := m["Dimensions"].([]map[string]string)
		if len(d) != len(a.dims) {
			continue
		}
		same := true
		for i := range d {
			if d[i]["Name"] != a.dims[i].Name || d[i]["Value"] != a.dims[i].Value {
				same = false
			}
		}
		if same {
			dps = m["Datapoints"].([]map[string]any)
		}
	}
	if dps == nil {
		panic("alarm " + a.name + ": its metric is not in the snapshot")
	}
	stat := map[string]string{"Sum": "Sum", "Average": "Average", "Maximum": "Maximum"}[a.stat]
	breach := func(v float64) bool {
		if a.cmp == "GreaterThanOrEqualToThreshold" {
			return v >= a.threshold
		}
		return v > a.threshold
	}
	run := 0
	for i, dp := range dps {
		if !breach(dp[stat].(float64)) {
			run = 0
			continue
		}
		run++
		if run < a.evals {
			continue
		}
		last, _ := time.Parse(time.RFC3339, dp["Timestamp"].(string))
		a.at = last.Add(time.Duration(a.period)*time.Second + time.Duration(8+s.rng.Intn(50))*time.Second)
		var parts []string
		for j := i; j > i-a.evals; j-- {
			t, _ := time.Parse(time.RFC3339, dps[j]["Timestamp"].(string))
			parts = append(parts, fmt.Sprintf("%.1f (%s)", dps[j][stat].(float64), t.Format("02/01/06 15:04:05")))
		}
		op := map[string]string{"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to"}[a.cmp]
		pl := "s"
		if a.evals == 1 {
			pl = ""
		}
		verb := "were"
		if a.evals == 1 {
			verb = "was"
		}
		a.reason = fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoint%s [%s] %s %s the threshold (%.1f) (minimum %d datapoint%s for OK -> ALARM transition).",
			a.evals, a.evals, pl, strings.Join(parts, ", "), verb, op, a.threshold, a.evals, pl)
		return a
	}
	panic("alarm " + a.name + " never breaches")
}

func (s *snap) alarm(a alarmSpec) {
	if a.state == "ALARM" {
		a = s.fire(a)
		fmt.Printf("%-30s alarm %s at %s\n", s.name, a.name, a.at.Format(time.RFC3339))
	}
	d := []map[string]string{}
	for _, x := range a.dims {
		d = append(d, map[string]string{"Name": x.Name, "Value": x.Value})
	}
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, a.name)
	m := map[string]any{
		"AlarmName": a.name, "AlarmArn": arn, "AlarmDescription": a.desc,
		"AlarmConfigurationUpdatedTimestamp": a.at.Add(-61 * 24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"ActionsEnabled":                     true, "OKActions": []string{a.topic}, "AlarmActions": []string{a.topic}, "InsufficientDataActions": []string{},
		"StateValue": a.state, "StateReason": a.reason,
		"StateUpdatedTimestamp": a.at.Format("2006-01-02T15:04:05.000Z"), "StateTransitionedTimestamp": a.at.Format("2006-01-02T15:04:05.000Z"),
		"MetricName": a.metric, "Namespace": a.ns, "Statistic": a.stat, "Dimensions": d,
		"Period": a.period, "EvaluationPeriods": a.evals, "DatapointsToAlarm": a.evals, "Threshold": a.threshold,
		"ComparisonOperator": a.cmp, "TreatMissingData": "missing",
	}
	if a.unit != "" {
		m["Unit"] = a.unit
	}
	s.alarms = append(s.alarms, m)
	if a.state == "ALARM" {
		data, _ := json.Marshal(map[string]any{
			"version":  "1.0",
			"oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching]."},
			"newState": map[string]any{"stateValue": "ALARM", "stateReason": a.reason},
		})
		s.history = append(s.history, map[string]any{
			"AlarmName": a.name, "AlarmType": "MetricAlarm", "Timestamp": a.at.Format("2006-01-02T15:04:05.000Z"),
			"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": string(data),
		})
		s.history = append(s.history, map[string]any{
			"AlarmName": a.name, "AlarmType": "MetricAlarm", "Timestamp": a.at.Add(80 * time.Millisecond).Format("2006-01-02T15:04:05.000Z"),
			"HistoryItemType": "Action", "HistorySummary": "Successfully executed action " + a.topic,
			"HistoryData": fmt.Sprintf(`{"actionState":"Succeeded","stateUpdateTimestamp":%d,"notificationResource":"%s","publishedMessage":"{\"AlarmName\":\"%s\",\"NewStateValue\":\"ALARM\"}"}`, a.at.UnixMilli(), a.topic, a.name),
		})
	}
}

// ---- CloudTrail ----

type who struct {
	kind, arn, principalID, issuerArn, issuerName, account, invokedBy, ua, ip, session string
}

func (s *snap) role(roleName, path, session, ua, ip string) who {
	pid := "AROA" + s.upperAlnum(17)
	return who{kind: "AssumedRole", arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.account, roleName, session),
		principalID: pid + ":" + session, issuerArn: fmt.Sprintf("arn:aws:iam::%s:role/%s%s", s.account, path, roleName), issuerName: roleName,
		account: s.account, ua: ua, ip: ip, session: session}
}

func service(name string) who { return who{kind: "AWSService", invokedBy: name, ua: name, ip: name} }

// viaService marks a role session used by an AWS service (service-linked roles).
func (w who) viaService(svc string) who { w.invokedBy = svc; w.ip = svc; w.ua = svc; return w }

func (w who) identity(t time.Time, s *snap) map[string]any {
	if w.kind == "AWSService" {
		return map[string]any{"type": "AWSService", "invokedBy": w.invokedBy}
	}
	id := map[string]any{
		"type": w.kind, "principalId": w.principalID, "arn": w.arn, "accountId": w.account,
		"accessKeyId": "ASIA" + s.upperAlnum(16),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": strings.Split(w.principalID, ":")[0], "arn": w.issuerArn, "accountId": w.account, "userName": w.issuerName},
			"attributes":    map[string]any{"creationDate": t.Add(-time.Duration(5+s.rng.Intn(40)) * time.Minute).Format(time.RFC3339), "mfaAuthenticated": "false"},
		},
	}
	if w.invokedBy != "" {
		id["invokedBy"] = w.invokedBy
	}
	return id
}

// ct adds one management event and returns it for extra fields.
func (s *snap) ct(t time.Time, source, name string, w who, readOnly bool, req, resp any) map[string]any {
	r := map[string]any{
		"eventVersion": "1.09", "userIdentity": w.identity(t, s), "eventTime": t.UTC().Format(time.RFC3339),
		"eventSource": source, "eventName": name, "awsRegion": s.region, "sourceIPAddress": w.ip, "userAgent": w.ua,
		"requestParameters": req, "responseElements": resp, "requestID": s.uuid(), "eventID": s.uuid(),
		"readOnly": readOnly, "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": s.account,
		"eventCategory": "Management",
	}
	if w.kind != "AWSService" && !strings.HasSuffix(w.ip, ".amazonaws.com") {
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": strings.TrimSuffix(source, ".amazonaws.com") + "." + s.region + ".amazonaws.com"}
	}
	s.trail = append(s.trail, r)
	return r
}

// consoleLogin adds an IAM Identity Center console sign-in.
func (s *snap) consoleLogin(t time.Time, w who) {
	r := s.ct(t, "signin.amazonaws.com", "ConsoleLogin", w, false, nil, map[string]any{"ConsoleLogin": "Success"})
	delete(r, "readOnly")
	delete(r, "requestID")
	r["eventType"] = "AwsConsoleSignIn"
	r["eventCategory"] = "Management"
	r["additionalEventData"] = map[string]any{"MobileVersion": "No", "MFAUsed": "No"}
}

// noiseSpec names what routine activity in one account looks like.
type noiseSpec struct {
	taskRoles  []string // ECS task roles assuming credentials
	logGroups  []string
	monitor    who // a monitoring integration doing read-only calls
	ci         who // CI pushing images
	repos      []string
	humans     []who
	perMinute  float64
	extraReads []string // "source:EventName" reads the humans do
}

// noise adds routine reads and benign writes across the window.
func (s *snap) noise(n noiseSpec) {
	ecsTasks := service("ecs-tasks.amazonaws.com")
	s.every(s.start, s.end, flat(n.perMinute), func(t time.Time) {
		switch k := s.rng.Intn(20); {
		case k < 6:
			r := n.taskRoles[s.rng.Intn(len(n.taskRoles))]
			s.ct(t, "sts.amazonaws.com", "AssumeRole", ecsTasks, true,
				map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, r), "roleSessionName": s.hex(32)},
				map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + s.upperAlnum(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + s.upperAlnum(12), "expiration": t.Add(6 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}})
		case k < 9:
			i := s.rng.Intn(len(n.taskRoles))
			r := n.taskRoles[i]
			g := n.logGroups[i%len(n.logGroups)]
			w := s.role(r, "", s.hex(32), "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64", fmt.Sprintf("10.%d.%d.%d", 10+s.rng.Intn(40), s.rng.Intn(8), 2+s.rng.Intn(250)))
			s.ct(t, "logs.amazonaws.com", "CreateLogStream", w, false, map[string]any{"logGroupName": g, "logStreamName": "fluentbit-" + s.hex(12)}, nil)
		case k < 13:
			calls := []string{"monitoring.amazonaws.com:DescribeAlarms", "monitoring.amazonaws.com:GetMetricData", "monitoring.amazonaws.com:ListMetrics", "ec2.amazonaws.com:DescribeInstances", "elasticloadbalancing.amazonaws.com:DescribeTargetHealth", "tag.amazonaws.com:GetResources", "ecs.amazonaws.com:DescribeServices"}
			c := strings.SplitN(calls[s.rng.Intn(len(calls))], ":", 2)
			s.ct(t, c[0], c[1], n.monitor, true, nil, nil)
		case k < 15:
			s.ct(t, "kms.amazonaws.com", "Decrypt", service("secretsmanager.amazonaws.com"), true,
				map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"SecretARN": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/app-%s", s.region, s.account, s.hex(6))}}, nil)
		case k < 16:
			s.ct(t, "secretsmanager.amazonaws.com", "GetSecretValue", s.role(n.taskRoles[0], "", s.hex(32), "aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64", "10.20.4.18"), true,
				map[string]any{"secretId": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/app-%s", s.region, s.account, s.hex(6))}, nil)
		case k < 17 && len(n.repos) > 0:
			repo := n.repos[s.rng.Intn(len(n.repos))]
			s.ct(t, "ecr.amazonaws.com", "GetAuthorizationToken", n.ci, true, map[string]any{"registryIds": []string{s.account}}, nil)
			if s.rng.Intn(3) == 0 {
				s.ct(t.Add(40*time.Second), "ecr.amazonaws.com", "PutImage", n.ci, false,
					map[string]any{"repositoryName": repo, "imageTag": "sha-" + s.hex(7), "registryId": s.account, "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"},
					map[string]any{"image": map[string]any{"repositoryName": repo, "registryId": s.account, "imageId": map[string]any{"imageDigest": "sha256:" + s.hex(64)}}})
			}
		default:
			if len(n.humans) == 0 {
				return
			}
			h := n.humans[s.rng.Intn(len(n.humans))]
			reads := append([]string{"cloudtrail.amazonaws.com:LookupEvents", "logs.amazonaws.com:DescribeLogGroups", "logs.amazonaws.com:StartQuery", "logs.amazonaws.com:GetQueryResults", "monitoring.amazonaws.com:GetMetricData", "health.amazonaws.com:DescribeEvents"}, n.extraReads...)
			c := strings.SplitN(reads[s.rng.Intn(len(reads))], ":", 2)
			s.ct(t, c[0], c[1], h, true, nil, nil)
		}
	})
	for _, h := range n.humans {
		s.consoleLogin(s.jitter(s.start, 40*time.Minute), h)
	}
}

// ---- ALB access logs ----

type albReq struct {
	t                      time.Time
	proto                  string
	client                 string
	target                 string // "-" when no target answered
	reqT, tgtT, respT      float64
	elbStatus, tgtStatus   string
	recv, sent             int
	method, url, ua, tgArn string
	rulePriority           string
	actions, errorReason   string
	cert                   string
}

func (s *snap) albLog(lbID string, r albReq) {
	trace := fmt.Sprintf("Root=1-%08x-%s", r.t.Unix(), s.hex(24))
	host := strings.SplitN(strings.SplitN(r.url, "://", 2)[1], "/", 2)[0]
	host = strings.Split(host, ":")[0]
	tl := r.target
	if tl == "" {
		tl = "-"
	}
	ts := "-"
	if r.tgtStatus != "" {
		ts = r.tgtStatus
	}
	f := func(v float64) string {
		if v < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", v)
	}
	tgtStatus := r.tgtStatus
	if tgtStatus == "" {
		tgtStatus = "-"
	}
	tls, cert := "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2", r.cert
	if r.proto == "http" {
		tls, cert = "- -", "-"
	}
	line := fmt.Sprintf(`%s %s %s %s %s %s %s %s %s %s %d %d "%s %s HTTP/1.1" "%s" %s %s "%s" "%s" "%s" %s %s "%s" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		r.proto, r.t.UTC().Format("2006-01-02T15:04:05.000000Z"), lbID, r.client, tl, f(r.reqT), f(r.tgtT), f(r.respT), r.elbStatus, tgtStatus,
		r.recv, r.sent, r.method, r.url, r.ua, tls, r.tgArn, trace, host, cert, r.rulePriority,
		r.t.Add(-time.Duration(float64(time.Second)*(math.Max(0, r.reqT)+math.Max(0, r.tgtT)))).UTC().Format("2006-01-02T15:04:05.000000Z"),
		r.actions, orDash(r.errorReason), tl, ts, s.hex(32))
	s.alb[lbID] = append(s.alb[lbID], albLine{t: r.t, line: line})
}

func orDash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}

// ---- X-Ray ----

func (s *snap) traceID(t time.Time) string { return fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24)) }

func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// addTrace adds one trace made of the given segment documents.
func (s *snap) addTrace(id string, docs ...map[string]any) {
	var segs []map[string]any
	lo, hi := math.MaxFloat64, 0.0
	for _, d := range docs {
		d["trace_id"] = id
		b, _ := json.Marshal(d)
		segs = append(segs, map[string]any{"Id": d["id"], "Document": string(b)})
		lo = math.Min(lo, d["start_time"].(float64))
		hi = math.Max(hi, d["end_time"].(float64))
	}
	s.traces = append(s.traces, map[string]any{"Id": id, "Duration": math.Round((hi-lo)*1000) / 1000, "LimitExceeded": false, "Segments": segs})
}

// ---- writing ----

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

type rootCause struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
	Resource  string    `json:"resource"`
}

type decoy struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
	Why       string    `json:"why"`
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func writeFile(path string, data []byte, gz bool) {
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	if gz {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(data)
		w.Close()
		data = buf.Bytes()
		path += ".gz"
	}
	must(os.WriteFile(path, data, 0o644))
}

func writeJSON(path string, v any, gz bool) {
	b, err := json.MarshalIndent(v, "", " ")
	must(err)
	writeFile(path, append(b, '\n'), gz)
}

func (s *snap) write(title, arch string, tr truth) {
	dir := filepath.Join(root, s.name)
	must(os.RemoveAll(dir))
	writeJSON(filepath.Join(dir, "manifest.json"), map[string]any{
		"format": "fa2-snapshot/1", "region": s.region,
		"window": map[string]string{"start": s.start.Format(time.RFC3339), "end": s.end.Format(time.RFC3339)},
		"title":  title, "architecture": arch,
	}, false)
	groups := make([]string, 0, len(s.logs))
	for g := range s.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		evs := s.logs[g]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].ts < evs[j].ts })
		var buf bytes.Buffer
		for _, e := range evs {
			b, _ := json.Marshal(map[string]any{"timestamp": e.ts, "message": e.msg, "logStreamName": e.stream, "ingestionTime": e.ts + 300 + int64(s.rng.Intn(2500))})
			buf.Write(b)
			buf.WriteByte('\n')
		}
		writeFile(filepath.Join(dir, "logs", strings.ReplaceAll(g, "/", "%2F")+".jsonl"), buf.Bytes(), true)
	}
	for _, m := range s.metrics {
		var parts []string
		for _, d := range m["Dimensions"].([]map[string]string) {
			parts = append(parts, d["Value"])
		}
		fn := strings.NewReplacer("/", "_", ":", "_", " ", "_").Replace(m["Namespace"].(string) + "--" + m["MetricName"].(string) + "--" + strings.Join(parts, "--"))
		writeJSON(filepath.Join(dir, "metrics", fn+".json"), m, false)
	}
	if len(s.alarms) > 0 {
		writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}, false)
		sort.SliceStable(s.history, func(i, j int) bool { return s.history[i]["Timestamp"].(string) > s.history[j]["Timestamp"].(string) })
		writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": s.history}, false)
	}
	// CloudTrail delivers roughly every five minutes per region; one file per 15 minutes here.
	sort.SliceStable(s.trail, func(i, j int) bool { return s.trail[i]["eventTime"].(string) < s.trail[j]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	var keys []string
	for _, r := range s.trail {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		k := t.Truncate(15 * time.Minute).Add(15 * time.Minute).Format("20060102T1504Z")
		if _, ok := files[k]; !ok {
			keys = append(keys, k)
		}
		files[k] = append(files[k], r)
	}
	for _, k := range keys {
		fn := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json", s.account, s.region, k, s.upperAlnum(16))
		b, _ := json.Marshal(map[string]any{"Records": files[k]})
		writeFile(filepath.Join(dir, "cloudtrail", fn), b, true)
	}
	lbs := make([]string, 0, len(s.alb))
	for lb := range s.alb {
		lbs = append(lbs, lb)
	}
	sort.Strings(lbs)
	for _, lb := range lbs {
		lines := s.alb[lb]
		sort.SliceStable(lines, func(i, j int) bool { return lines[i].t.Before(lines[j].t) })
		byFile := map[string]*bytes.Buffer{}
		var order []string
		for _, l := range lines {
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
			if byFile[k] == nil {
				byFile[k] = &bytes.Buffer{}
				order = append(order, k)
			}
			byFile[k].WriteString(l.line + "\n")
		}
		name := strings.ReplaceAll(strings.TrimPrefix(lb, "app/"), "/", ".")
		for _, k := range order {
			fn := fmt.Sprintf("%s_elasticloadbalancing_%s_app.%s_%s_10.%d.%d.%d_%s.log", s.account, s.region, name, k, s.rng.Intn(60), s.rng.Intn(8), s.rng.Intn(250), strings.ToLower(s.upperAlnum(8)))
			writeFile(filepath.Join(dir, "alb", fn), byFile[k].Bytes(), true)
		}
	}
	if len(s.traces) > 0 {
		for i := 0; i < len(s.traces); i += 50 {
			j := min(i+50, len(s.traces))
			writeJSON(filepath.Join(dir, "xray", fmt.Sprintf("traces-%03d.json", i/50+1)), map[string]any{"Traces": s.traces[i:j], "UnprocessedTraceIds": []string{}}, true)
		}
	}
	tr.Name = s.name
	writeJSON(filepath.Join(dir, "truth.json"), tr, false)
}

func main() {
	for _, f := range []func(){albRuleEmptyTargetGroup, ssmParamWrongHost, vpcePolicyS3Deny, esmDisabledQueueAge, rdsMaxConnections, cloudfrontOriginSSL} {
		f()
	}
}
