// Command gen writes the heldout9 incidents: six snapshots in the
// fa2-snapshot/1 format, each with the truth.json the held-out test reads.
// Every incident has its own seed, so the output is byte-for-byte stable.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const root = "investigate/testdata/heldout9"

type LogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
}

type Dim struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type Datapoint struct {
	Timestamp   string  `json:"Timestamp"`
	SampleCount float64 `json:"SampleCount"`
	Average     float64 `json:"Average"`
	Sum         float64 `json:"Sum"`
	Minimum     float64 `json:"Minimum"`
	Maximum     float64 `json:"Maximum"`
	Unit        string  `json:"Unit"`
}

type Metric struct {
	Namespace  string      `json:"Namespace"`
	MetricName string      `json:"MetricName"`
	Dimensions []Dim       `json:"Dimensions"`
	Label      string      `json:"Label"`
	Datapoints []Datapoint `json:"Datapoints"`
}

type traceSeg struct {
	ID  string
	Doc map[string]any
}

type trace struct {
	ID       string
	Duration float64
	Segs     []traceSeg
}

type albLine struct {
	t    time.Time
	line string
}

// S is one snapshot being built.
type S struct {
	Name, Region, Account, Title, Arch string
	Start, End                         time.Time
	r                                  *rand.Rand
	logs                               map[string][]LogEvent
	metrics                            []Metric
	traces                             []trace
	ct                                 []map[string]any
	alb                                map[string][]albLine
	albID                              map[string]string
	alarms                             []map[string]any
	hist                               []map[string]any
	truth                              map[string]any
	conns                              map[string]string
}

func newS(name, region, account string, seed int64, onset time.Time) *S {
	return &S{Name: name, Region: region, Account: account,
		Start: onset.Add(-60 * time.Minute).Truncate(time.Minute), End: onset.Add(25 * time.Minute).Truncate(time.Minute),
		r: rand.New(rand.NewSource(seed)), logs: map[string][]LogEvent{}, alb: map[string][]albLine{}, albID: map[string]string{}}
}

func (s *S) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[s.r.Intn(16)]
	}
	return string(b)
}

func (s *S) alnum(n int, upper bool) string {
	h := "abcdefghijklmnopqrstuvwxyz0123456789"
	if upper {
		h = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = h[s.r.Intn(len(h))]
	}
	return string(b)
}

func (s *S) uuid() string {
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-" + []string{"8", "9", "a", "b"}[s.r.Intn(4)] + s.hex(3) + "-" + s.hex(12)
}

func (s *S) pick(xs ...string) string { return xs[s.r.Intn(len(xs))] }

// jit returns base ± frac.
func (s *S) jit(base, frac float64) float64 { return base * (1 + frac*(2*s.r.Float64()-1)) }

func (s *S) chance(p float64) bool { return s.r.Float64() < p }

func ms(t time.Time) int64 { return t.UnixNano() / 1e6 }

func (s *S) log(group, stream string, t time.Time, msg string) {
	s.logs[group] = append(s.logs[group], LogEvent{Timestamp: ms(t), Message: msg, LogStreamName: stream,
		IngestionTime: ms(t) + 150 + int64(s.r.Intn(900))})
}

// seconds walks the window one second at a time.
func (s *S) seconds(f func(t time.Time)) {
	for t := s.Start; t.Before(s.End); t = t.Add(time.Second) {
		f(t)
	}
}

// poissonish returns how many events happen in one second at rate per second.
func (s *S) poissonish(rate float64) int {
	n := int(rate)
	if s.r.Float64() < rate-float64(n) {
		n++
	}
	return n
}

// metricKind: "sum" series (counts) or "gauge" series (averages).
func (s *S) metric(ns, name, unit, kind string, dims []Dim, f func(t time.Time) float64) {
	m := Metric{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	for t := s.Start; t.Before(s.End); t = t.Add(time.Minute) {
		v := f(t)
		if math.IsNaN(v) {
			continue
		}
		v = math.Round(v*1000) / 1000
		dp := Datapoint{Timestamp: t.Format(time.RFC3339), Unit: unit}
		if kind == "single" { // one aggregated sample per minute (SQS)
			dp.SampleCount, dp.Sum, dp.Average, dp.Minimum, dp.Maximum = 1, v, v, v, v
			m.Datapoints = append(m.Datapoints, dp)
			continue
		}
		if kind == "cycles" { // one PutMetricData value per 20 s poll cycle
			dp.SampleCount, dp.Sum = 3, v
			dp.Average = math.Round(v/3*1000) / 1000
			dp.Minimum, dp.Maximum = math.Floor(v/3*0.7), math.Ceil(v/3*1.3)
			m.Datapoints = append(m.Datapoints, dp)
			continue
		}
		if kind == "sum" {
			dp.Sum, dp.SampleCount = v, math.Max(v, 1)
			dp.Average, dp.Minimum, dp.Maximum = 0, 0, 0
			if v > 0 {
				dp.Average, dp.Minimum, dp.Maximum = 1, 1, 1
			}
			if unit != "Count" {
				dp.SampleCount = 60
				dp.Average = math.Round(v/60*1000) / 1000
				dp.Minimum, dp.Maximum = 0, math.Round(v/60*2.5*1000)/1000
			}
		} else {
			dp.SampleCount = 60
			dp.Average = v
			dp.Sum = math.Round(v*60*1000) / 1000
			dp.Minimum = math.Round(v*0.55*1000) / 1000
			dp.Maximum = math.Round(v*(1.6+s.r.Float64())*1000) / 1000
		}
		m.Datapoints = append(m.Datapoints, dp)
	}
	s.metrics = append(s.metrics, m)
}

func dims(kv ...string) []Dim {
	var d []Dim
	for i := 0; i+1 < len(kv); i += 2 {
		d = append(d, Dim{kv[i], kv[i+1]})
	}
	return d
}

// ---- CloudTrail ----

// P is a principal in CloudTrail's userIdentity.
type P struct {
	identity map[string]any
	ip, ua   string
	console  bool
	invoked  string
}

func (s *S) role(roleName, session, ip, ua string, console bool) P {
	rid := "AROA" + s.alnum(17, true)
	path := "role/"
	if strings.HasPrefix(roleName, "AWSReservedSSO_") {
		path = "role/aws-reserved/sso.amazonaws.com/" + s.Region + "/"
	}
	if strings.HasPrefix(roleName, "AWSServiceRole") {
		path = "role/aws-service-role/" + strings.SplitN(ua, "/", 2)[0] + "/"
	}
	id := map[string]any{
		"type": "AssumedRole", "principalId": rid + ":" + session,
		"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.Account, roleName, session),
		"accountId": s.Account, "accessKeyId": "ASIA" + s.alnum(16, true),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": rid,
				"arn": fmt.Sprintf("arn:aws:iam::%s:%s%s", s.Account, path, roleName), "accountId": s.Account, "userName": roleName},
			"attributes": map[string]any{"creationDate": s.Start.Add(-time.Duration(s.r.Intn(3000)) * time.Second).Format(time.RFC3339), "mfaAuthenticated": "false"},
		},
	}
	return P{identity: id, ip: ip, ua: ua, console: console}
}

func (s *S) service(host string) P {
	return P{identity: map[string]any{"type": "AWSService", "invokedBy": host}, ip: host, ua: host, invoked: host}
}

func (s *S) trail(t time.Time, p P, source, name string, req, resp any, ro bool) map[string]any {
	rec := map[string]any{
		"eventVersion": "1.10", "userIdentity": p.identity, "eventTime": t.UTC().Format(time.RFC3339),
		"eventSource": source, "eventName": name, "awsRegion": s.Region, "sourceIPAddress": p.ip, "userAgent": p.ua,
		"requestParameters": req, "responseElements": resp, "requestID": s.uuid(), "eventID": s.uuid(),
		"readOnly": ro, "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": s.Account,
		"eventCategory": "Management",
	}
	if p.invoked == "" && !strings.HasSuffix(p.ip, ".amazonaws.com") {
		rec["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": strings.SplitN(source, ".", 2)[0] + "." + s.Region + ".amazonaws.com"}
	}
	if p.console {
		rec["sessionCredentialFromConsole"] = "true"
	}
	s.ct = append(s.ct, rec)
	return rec
}

type noiseOp struct {
	p      P
	source string
	name   string
	ro     bool
	weight int
	req    func() any
	resp   func() any
}

// noise spreads n routine calls over the window, weighted.
func (s *S) noise(n int, ops []noiseOp) {
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	span := s.End.Sub(s.Start)
	for i := 0; i < n; i++ {
		t := s.Start.Add(time.Duration(s.r.Int63n(int64(span))))
		k := s.r.Intn(total)
		for _, o := range ops {
			if k < o.weight {
				var req, resp any
				if o.req != nil {
					req = o.req()
				}
				if o.resp != nil {
					resp = o.resp()
				}
				s.trail(t, o.p, o.source, o.name, req, resp, o.ro)
				break
			}
			k -= o.weight
		}
	}
}

// baseNoise is what every account emits all day: role sessions, log
// streams, monitoring reads, CI image pushes, console logins.
func (s *S) baseNoise(n int, ciRepo string, extra []noiseOp) {
	sdkUA := "aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/sts#1.33.2"
	ecsAgent := s.service("ecs-tasks.amazonaws.com")
	grafana := s.role("grafana-cloudwatch-read", "grafana-"+s.hex(8), "34.201.18."+fmt.Sprint(10+s.r.Intn(200)), "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) grafana/11.3.0", false)
	ci := s.role("github-actions-ecr-push", "GitHubActions", "20.85.12."+fmt.Sprint(s.r.Intn(250)), "aws-sdk-js/3.682.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/ecr#3.682.0", false)
	lambdaSvc := s.service("lambda.amazonaws.com")
	ops := []noiseOp{
		{p: ecsAgent, source: "sts.amazonaws.com", name: "AssumeRole", ro: true, weight: 30, req: func() any {
			return map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.Account, s.pick("ecs-task-app", "ecs-task-exec", "otel-collector-task")), "roleSessionName": s.hex(32), "durationSeconds": 3600}
		}},
		{p: lambdaSvc, source: "sts.amazonaws.com", name: "AssumeRole", ro: true, weight: 12, req: func() any {
			return map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.Account, s.pick("log-shipper-lambda", "slack-notifier-lambda")), "roleSessionName": s.pick("log-shipper", "slack-notifier")}
		}},
		{p: s.role("ecs-task-exec", s.hex(32), "10.0.14."+fmt.Sprint(s.r.Intn(250)), "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ecs-agent/1.88.0", false), source: "logs.amazonaws.com", name: "CreateLogStream", ro: false, weight: 10, req: func() any {
			return map[string]any{"logGroupName": s.pick("/ecs/otel-collector", "/ecs/fluent-bit"), "logStreamName": "ecs/" + s.pick("otel", "fluent-bit") + "/" + s.hex(32)}
		}},
		{p: grafana, source: "monitoring.amazonaws.com", name: "GetMetricData", ro: true, weight: 40},
		{p: grafana, source: "monitoring.amazonaws.com", name: "ListMetrics", ro: true, weight: 8, req: func() any {
			return map[string]any{"namespace": s.pick("AWS/ECS", "AWS/ApplicationELB", "AWS/RDS", "AWS/Lambda")}
		}},
		{p: grafana, source: "monitoring.amazonaws.com", name: "DescribeAlarms", ro: true, weight: 10},
		{p: ci, source: "ecr.amazonaws.com", name: "GetAuthorizationToken", ro: true, weight: 4},
		{p: ci, source: "ecr.amazonaws.com", name: "InitiateLayerUpload", ro: false, weight: 2, req: func() any { return map[string]any{"repositoryName": ciRepo, "registryId": s.Account} }},
		{p: ci, source: "ecr.amazonaws.com", name: "PutImage", ro: false, weight: 2, req: func() any {
			return map[string]any{"repositoryName": ciRepo, "imageTag": "sha-" + s.hex(7), "registryId": s.Account}
		}},
		{p: s.service("ssm.amazonaws.com"), source: "kms.amazonaws.com", name: "Decrypt", ro: true, weight: 12, req: func() any {
			return map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
		}},
		{p: s.role("ecs-task-app", s.hex(32), "10.0.22."+fmt.Sprint(s.r.Intn(250)), "aws-sdk-java/2.28.11 Linux/5.10.226-214.880.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5", false), source: "secretsmanager.amazonaws.com", name: "GetSecretValue", ro: true, weight: 8, req: func() any {
			return map[string]any{"secretId": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/%s-%s", s.Region, s.Account, s.pick("db/app", "partner/signing-key", "redis/auth"), s.alnum(6, false))}
		}},
		{p: s.role("ssm-managed-instance", "i-0"+s.hex(16), "10.0.3."+fmt.Sprint(s.r.Intn(250)), "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.1142.0", false), source: "ssm.amazonaws.com", name: "UpdateInstanceInformation", ro: false, weight: 6},
		{p: s.role("platform-inventory", "inventory-"+s.hex(6), "10.0.9.44", "Boto3/1.35.40 md/Botocore#1.35.40 ua/2.0 os/linux#5.10.226 md/arch#x86_64 lang/python#3.12.6", false), source: "ec2.amazonaws.com", name: s.pick("DescribeInstances", "DescribeSecurityGroups"), ro: true, weight: 10},
		{p: s.role("github-actions-deploy", "GitHubActions", "20.85.13."+fmt.Sprint(s.r.Intn(250)), sdkUA, false), source: "sts.amazonaws.com", name: "GetCallerIdentity", ro: true, weight: 3},
	}
	s.noise(n, append(ops, extra...))
	// console logins a few times an hour
	for i := 0; i < 4; i++ {
		t := s.Start.Add(time.Duration(s.r.Int63n(int64(s.End.Sub(s.Start)))))
		who := s.pick("a.silva", "m.kowalski", "j.tanaka", "r.osei")
		p := s.role("AWSReservedSSO_ReadOnly_"+s.hex(16), who+"@example-corp.com", "203.0.113."+fmt.Sprint(s.r.Intn(250)), "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", true)
		rec := s.trail(t, p, "signin.amazonaws.com", "ConsoleLogin", nil, map[string]any{"ConsoleLogin": "Success"}, false)
		rec["eventType"] = "AwsConsoleSignIn"
		rec["additionalEventData"] = map[string]any{"MobileVersion": "No", "MFAUsed": "No"}
		delete(rec, "readOnly")
	}
}

// ---- X-Ray ----

func (s *S) traceID(t time.Time) string { return fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24)) }

func fsec(t time.Time) float64 { return float64(t.UnixNano()/1e3) / 1e6 }

// seg builds a segment document; subs are subsegments.
func (s *S) seg(tid, name, origin string, start time.Time, dur time.Duration, status int, extra map[string]any, subs ...map[string]any) map[string]any {
	d := map[string]any{"id": s.hex(16), "trace_id": tid, "name": name, "start_time": fsec(start), "end_time": fsec(start.Add(dur))}
	if origin != "" {
		d["origin"] = origin
	}
	if status > 0 {
		d["http"] = map[string]any{"response": map[string]any{"status": status}}
		switch {
		case status == 429:
			d["throttle"], d["error"] = true, true
		case status >= 500:
			d["fault"] = true
		case status >= 400:
			d["error"] = true
		}
	}
	for k, v := range extra {
		d[k] = v
	}
	if len(subs) > 0 {
		d["subsegments"] = subs
	}
	return d
}

func (s *S) sub(name, ns string, start time.Time, dur time.Duration, fault bool, exType, exMsg string, extra map[string]any) map[string]any {
	d := map[string]any{"id": s.hex(16), "name": name, "start_time": fsec(start), "end_time": fsec(start.Add(dur))}
	if ns != "" {
		d["namespace"] = ns
	}
	if fault {
		d["fault"] = true
		d["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": s.hex(16), "type": exType, "message": exMsg, "remote": ns == "remote"}}}
	}
	for k, v := range extra {
		d[k] = v
	}
	return d
}

func (s *S) addTrace(tid string, dur time.Duration, docs ...map[string]any) {
	tr := trace{ID: tid, Duration: math.Round(dur.Seconds()*1000) / 1000}
	for _, d := range docs {
		tr.Segs = append(tr.Segs, traceSeg{ID: d["id"].(string), Doc: d})
	}
	s.traces = append(s.traces, tr)
}

// ---- ALB ----

// conn names the client connection: front proxies keep a few connections
// alive, so trace ids of connections repeat.
func (s *S) conn(client string) string {
	if s.conns == nil {
		s.conns = map[string]string{}
	}
	if s.conns[client] == "" {
		s.conns[client] = s.hex(32)
	}
	return s.conns[client]
}

func (s *S) albLog(lb string, reqT time.Time, client, target string, reqP, tgtP, respP float64, elb, tgt int, method, u, ua, tg, tid, errReason string, sent int) {
	if s.albID[lb] == "" {
		s.albID[lb] = s.hex(16)
	}
	end := reqT.Add(time.Duration((math.Max(reqP, 0) + math.Max(tgtP, 0) + math.Max(respP, 0)) * float64(time.Second)))
	tgtS, tgtCode, tgtList, tgtCodes := target, fmt.Sprint(tgt), `"`+target+`"`, `"`+fmt.Sprint(tgt)+`"`
	if target == "-" {
		tgtList, tgtCodes = `"-"`, `"-"`
	}
	if tgt == 0 {
		tgtCode, tgtCodes = "-", `"-"`
	}
	f := func(v float64) string {
		if v < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", v)
	}
	host := strings.SplitN(strings.TrimPrefix(u, "https://"), ":", 2)[0]
	line := fmt.Sprintf(`https %s app/%s/%s %s %s %s %s %s %d %s %d %d "%s %s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "Root=%s" "%s" "arn:aws:acm:%s:%s:certificate/%s" 0 %s "forward" "-" "%s" %s %s "-" "-" TID_%s`,
		end.UTC().Format("2006-01-02T15:04:05.000000Z"), lb, s.albID[lb], client, tgtS, f(reqP), f(tgtP), f(respP), elb, tgtCode,
		200+s.r.Intn(900), sent, method, u, ua, tg, tid, host, s.Region, s.Account, "7c2f1e9a-4b3d-4e8a-9f61-2d5c8b0a1e34",
		reqT.UTC().Format("2006-01-02T15:04:05.000000Z"), errReason, tgtList, tgtCodes, s.conn(client))
	s.alb[lb] = append(s.alb[lb], albLine{end, line})
}

// ---- alarms ----

func (s *S) alarm(name, desc, ns, metric, stat string, d []Dim, period, evals int, threshold float64, cmp string, okAt, firedAt time.Time, reason string, missing string) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.Region, s.Account, name)
	a := map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": desc, "ActionsEnabled": true,
		"OKActions": []string{}, "AlarmActions": []string{fmt.Sprintf("arn:aws:sns:%s:%s:oncall-pager", s.Region, s.Account)},
		"InsufficientDataActions": []string{}, "StateValue": "ALARM", "StateReason": reason,
		"StateReasonData":                    fmt.Sprintf(`{"version":"1.0","queryDate":"%s","statistic":"%s","period":%d,"threshold":%g}`, firedAt.Format("2006-01-02T15:04:05.000+0000"), stat, period, threshold),
		"StateUpdatedTimestamp":              firedAt.Format(time.RFC3339),
		"StateTransitionedTimestamp":         firedAt.Format(time.RFC3339),
		"AlarmConfigurationUpdatedTimestamp": s.Start.Add(-400 * time.Hour).Format(time.RFC3339),
		"MetricName":                         metric, "Namespace": ns, "Statistic": stat, "Dimensions": d, "Period": period,
		"EvaluationPeriods": evals, "DatapointsToAlarm": evals, "Threshold": threshold, "ComparisonOperator": cmp,
		"TreatMissingData": missing,
	}
	s.alarms = append(s.alarms, a)
	s.hist = append(s.hist, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": firedAt.Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM",
		"HistoryData": fmt.Sprintf(`{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":%q}}`, reason)})
	if !okAt.IsZero() {
		s.hist = append(s.hist, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": okAt.Format("2006-01-02T15:04:05.000Z"),
			"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from ALARM to OK",
			"HistoryData": `{"version":"1.0","oldState":{"stateValue":"ALARM"},"newState":{"stateValue":"OK"}}`})
	}
}

// okAlarm adds an alarm that stays OK (context, not the trigger).
func (s *S) okAlarm(name, ns, metric, stat string, d []Dim, threshold float64, cmp string) {
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.Region, s.Account, name),
		"ActionsEnabled": true, "StateValue": "OK", "StateReason": "Threshold Crossed: no datapoints were breaching the threshold.",
		"StateUpdatedTimestamp": s.Start.Add(-30 * time.Hour).Format(time.RFC3339), "MetricName": metric, "Namespace": ns,
		"Statistic": stat, "Dimensions": d, "Period": 60, "EvaluationPeriods": 5, "DatapointsToAlarm": 5, "Threshold": threshold,
		"ComparisonOperator": cmp, "TreatMissingData": "missing",
	})
}

// ---- writing ----

func writeJSON(path string, v any, gz bool) {
	raw, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		panic(err)
	}
	writeBytes(path, raw, gz)
}

func writeBytes(path string, raw []byte, gz bool) {
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	if gz {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(raw)
		w.Close()
		raw = b.Bytes()
		path += ".gz"
	}
	must(os.WriteFile(path, raw, 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func (s *S) write() {
	dir := filepath.Join(root, s.Name)
	must(os.RemoveAll(dir))
	writeJSON(filepath.Join(dir, "manifest.json"), map[string]any{"format": "fa2-snapshot/1", "region": s.Region,
		"window": map[string]string{"start": s.Start.Format(time.RFC3339), "end": s.End.Format(time.RFC3339)},
		"title":  s.Title, "architecture": s.Arch}, false)
	groups := make([]string, 0, len(s.logs))
	for g := range s.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		evs := s.logs[g]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, e := range evs {
			if e.Timestamp < ms(s.Start) || e.Timestamp >= ms(s.End) {
				continue
			}
			must(enc.Encode(e))
		}
		writeBytes(filepath.Join(dir, "logs", url.PathEscape(g)+".jsonl"), b.Bytes(), true)
	}
	for _, m := range s.metrics {
		var parts []string
		for _, d := range m.Dimensions {
			parts = append(parts, d.Value)
		}
		fn := strings.NewReplacer("/", "_", ":", "_", " ", "_").Replace(m.Namespace + "__" + m.MetricName + "__" + strings.Join(parts, "_"))
		writeJSON(filepath.Join(dir, "metrics", fn+".json"), m, false)
	}
	if len(s.traces) > 0 {
		sort.SliceStable(s.traces, func(i, j int) bool { return s.traces[i].ID < s.traces[j].ID })
		var out []map[string]any
		for _, tr := range s.traces {
			var segs []map[string]any
			for _, sg := range tr.Segs {
				raw, _ := json.Marshal(sg.Doc)
				segs = append(segs, map[string]any{"Id": sg.ID, "Document": string(raw)})
			}
			out = append(out, map[string]any{"Id": tr.ID, "Duration": tr.Duration, "Segments": segs})
		}
		writeJSON(filepath.Join(dir, "xray", "traces.json"), map[string]any{"Traces": out, "UnprocessedTraceIds": []string{}}, true)
	}
	if len(s.alarms) > 0 {
		writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}, false)
		sort.SliceStable(s.hist, func(i, j int) bool { return s.hist[i]["Timestamp"].(string) > s.hist[j]["Timestamp"].(string) })
		writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": s.hist}, false)
	}
	// CloudTrail: one delivery file per 15 minutes, as S3 delivery batches them.
	sort.SliceStable(s.ct, func(i, j int) bool { return s.ct[i]["eventTime"].(string) < s.ct[j]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	var keys []string
	for _, rec := range s.ct {
		t, _ := time.Parse(time.RFC3339, rec["eventTime"].(string))
		if t.Before(s.Start) || !t.Before(s.End) {
			continue
		}
		k := t.Truncate(15 * time.Minute).Add(15 * time.Minute).Format("20060102T1504Z")
		if _, ok := files[k]; !ok {
			keys = append(keys, k)
		}
		files[k] = append(files[k], rec)
	}
	for _, k := range keys {
		name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json", s.Account, s.Region, k, s.alnum(16, false))
		writeJSON(filepath.Join(dir, "cloudtrail", name), map[string]any{"Records": files[k]}, true)
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
			if l.t.Before(s.Start) || !l.t.Before(s.End) {
				continue
			}
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
			if byFile[k] == nil {
				byFile[k] = &bytes.Buffer{}
				order = append(order, k)
			}
			byFile[k].WriteString(l.line + "\n")
		}
		for _, k := range order {
			name := fmt.Sprintf("%s_elasticloadbalancing_%s_app.%s.%s_%s_10.0.%d.%d_%s.log", s.Account, s.Region, lb, s.albID[lb], k, s.r.Intn(3), 10+s.r.Intn(200), s.alnum(8, false))
			writeBytes(filepath.Join(dir, "alb", name), byFile[k].Bytes(), true)
		}
	}
	writeJSON(filepath.Join(dir, "truth.json"), s.truth, false)
	fmt.Printf("%s: %d log groups, %d metrics, %d traces, %d trail records\n", s.Name, len(s.logs), len(s.metrics), len(s.traces), len(s.ct))
}

func main() {
	for _, f := range []func(){apigwUsagePlan, elasticacheDownsize, lambdaProvisionedConcurrency, snsFilterPolicy, fargateSpot, routeTableAssociation} {
		f()
	}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	must(err)
	return t
}

func decoy(name string, t time.Time) map[string]any {
	return map[string]any{"event_name": name, "event_time": t.Format(time.RFC3339)}
}

// fireAt finds when an alarm "value > threshold for n consecutive minutes"
// first fires after from, and its StateReason.
func fireAt(s *S, f func(t time.Time) float64, threshold float64, n int, from time.Time) (time.Time, string) {
	run := 0
	for t := from.Truncate(time.Minute); t.Before(s.End); t = t.Add(time.Minute) {
		if f(t) > threshold {
			run++
		} else {
			run = 0
		}
		if run == n {
			var parts []string
			for i := 0; i < n; i++ {
				m := t.Add(-time.Duration(i) * time.Minute)
				parts = append(parts, fmt.Sprintf("%.1f (%s)", f(m), m.Format("02/01/06 15:04:05")))
			}
			return t.Add(time.Minute + 40*time.Second), fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] were greater than the threshold (%g) (minimum %d datapoints for OK -> ALARM transition).", n, n, strings.Join(parts, ", "), threshold, n)
		}
	}
	panic(s.Name + ": the alarm never fires")
}

func jsonMarshalNoEscape(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

// setMax overwrites the Maximum of the last metric added with f.
func (s *S) setMax(f func(t time.Time) float64) {
	m := &s.metrics[len(s.metrics)-1]
	for i := range m.Datapoints {
		t, _ := time.Parse(time.RFC3339, m.Datapoints[i].Timestamp)
		m.Datapoints[i].Maximum = math.Round(f(t)*1000) / 1000
	}
}

// fireMofN finds when "value > threshold in m of the last n minutes" first
// holds after from.
func fireMofN(s *S, f func(t time.Time) float64, threshold float64, m, n int, from time.Time) (time.Time, string) {
	for t := from.Truncate(time.Minute); t.Before(s.End); t = t.Add(time.Minute) {
		var parts []string
		hits := 0
		for i := 0; i < n; i++ {
			x := t.Add(-time.Duration(i) * time.Minute)
			v := f(x)
			if v > threshold {
				hits++
			}
			parts = append(parts, fmt.Sprintf("%.1f (%s)", v, x.Format("02/01/06 15:04:05")))
		}
		if hits >= m && f(t) > threshold {
			return t.Add(time.Minute + 40*time.Second), fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] were greater than the threshold (%g) (minimum %d datapoints for OK -> ALARM transition).", hits, n, strings.Join(parts, ", "), threshold, m)
		}
	}
	panic(s.Name + ": the alarm never fires")
}

// countOf is a count metric published once per request as 0 or 1 (API
// Gateway 4XXError/5XXError, Lambda Errors): Sum is the count, SampleCount
// the requests, Average the rate.
func (s *S) countOf(ns, name string, d []Dim, f, requests func(t time.Time) float64) {
	m := Metric{Namespace: ns, MetricName: name, Dimensions: d, Label: name}
	for t := s.Start; t.Before(s.End); t = t.Add(time.Minute) {
		n := requests(t)
		if n == 0 {
			continue
		}
		v := math.Min(f(t), n)
		max := 0.0
		if v > 0 {
			max = 1
		}
		m.Datapoints = append(m.Datapoints, Datapoint{Timestamp: t.Format(time.RFC3339), SampleCount: n, Sum: v,
			Average: math.Round(v/n*10000) / 10000, Minimum: 0, Maximum: max, Unit: "Count"})
	}
	s.metrics = append(s.metrics, m)
}

// albCount is an ALB HTTPCode_* or similar count: published only for
// minutes with a non-zero count; Sum is the count, the other statistics 1.
func (s *S) albCount(name string, d []Dim, f func(t time.Time) float64) {
	m := Metric{Namespace: "AWS/ApplicationELB", MetricName: name, Dimensions: d, Label: name}
	for t := s.Start; t.Before(s.End); t = t.Add(time.Minute) {
		v := math.Round(f(t))
		if v <= 0 {
			continue
		}
		m.Datapoints = append(m.Datapoints, Datapoint{Timestamp: t.Format(time.RFC3339), SampleCount: v, Sum: v, Average: 1, Minimum: 1, Maximum: 1, Unit: "Count"})
	}
	s.metrics = append(s.metrics, m)
}
