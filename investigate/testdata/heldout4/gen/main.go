// Command gen writes the fourth set of held-out incidents
// (investigate/testdata/heldout4). It was written from the snapshot format
// in DESIGN.md and from what AWS emits, without reading the engine, so the
// incidents test whether fa2 generalises. Output is deterministic: every
// incident draws from its own seeded random source.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
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

func main() {
	root := "investigate/testdata/heldout4"
	if _, err := os.Stat(root); err != nil {
		log.Fatalf("run from the repository root: %v", err)
	}
	for _, build := range []func(string){
		ecsMemoryOOM, eventBridgeRuleDisabled, permissionsBoundary, certExpired, s3LifecycleExpiry, dynamoGSIDeleted, lambdaNeighbourConcurrency,
	} {
		build(root)
	}
}

// Snap accumulates one incident and writes it as an fa2-snapshot/1 directory.
type Snap struct {
	Name, Dir, Region, Acct string
	Start, End              time.Time // manifest window
	CTStart, CTEnd          time.Time // what the CloudTrail files cover
	R                       *rand.Rand
	Title, Arch             string

	logs      map[string][]map[string]any
	ct        []map[string]any
	metrics   []map[string]any
	traces    []map[string]any
	alb       map[string][]albLine // file prefix -> lines
	alarms    map[string]any
	history   []map[string]any
	secHub    []map[string]any
	guardDuty []map[string]any
	Truth     map[string]any
}

type albLine struct {
	t    time.Time
	line string
}

func NewSnap(root, name, region, acct string, seed int64, start, end time.Time) *Snap {
	return &Snap{Name: name, Dir: filepath.Join(root, name), Region: region, Acct: acct,
		Start: start, End: end, CTStart: start, CTEnd: end, R: rand.New(rand.NewSource(seed)),
		logs: map[string][]map[string]any{}, alb: map[string][]albLine{}}
}

const ts = "2006-01-02T15:04:05Z"

func T(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func (s *Snap) hex(n int) string {
	const d = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = d[s.R.Intn(16)]
	}
	return string(b)
}

func (s *Snap) alnum(n int, upper bool) string {
	d := "abcdefghijklmnopqrstuvwxyz0123456789"
	if upper {
		d = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = d[s.R.Intn(len(d))]
	}
	return string(b)
}

func (s *Snap) uuid() string {
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-" + "89ab"[s.R.Intn(4):][:1] + s.hex(3) + "-" + s.hex(12)
}

// jitter returns d scaled by a random factor in [1-f, 1+f].
func (s *Snap) jitter(v, f float64) float64 { return v * (1 - f + 2*f*s.R.Float64()) }

// Poisson-ish event times: n events on average per minute between from and to.
func (s *Snap) Every(from, to time.Time, perMin float64, fn func(t time.Time)) {
	if perMin <= 0 {
		return
	}
	mean := float64(time.Minute) / perMin
	for t := from.Add(time.Duration(s.R.ExpFloat64() * mean)); t.Before(to); t = t.Add(time.Duration(s.R.ExpFloat64() * mean)) {
		fn(t)
	}
}

// ---- logs

func (s *Snap) Log(group, stream string, t time.Time, msg string) {
	ing := t.Add(time.Duration(200+s.R.Intn(1800)) * time.Millisecond)
	s.logs[group] = append(s.logs[group], map[string]any{
		"logStreamName": stream, "timestamp": t.UnixMilli(), "message": msg,
		"ingestionTime": ing.UnixMilli(), "eventId": fmt.Sprintf("%019d%019d%018d", s.R.Int63(), s.R.Int63(), s.R.Int63()%1e18),
	})
}

// LambdaStream is a Lambda log stream name as Lambda writes it.
func (s *Snap) LambdaStream(t time.Time) string {
	return t.Format("2006/01/02") + "/[$LATEST]" + s.hex(32)
}

// ---- metrics

// Metric writes one GetMetricStatistics result at 60 s resolution. f
// returns the value for the minute (Sum for counts, Average otherwise);
// NaN means CloudWatch has no datapoint for that minute.
func (s *Snap) Metric(ns, name string, dims [][2]string, unit string, stats []string, f func(t time.Time) float64) {
	s.MetricPeriod(ns, name, dims, unit, stats, time.Minute, f)
}

func (s *Snap) MetricPeriod(ns, name string, dims [][2]string, unit string, stats []string, period time.Duration, f func(t time.Time) float64) {
	var dps []map[string]any
	for t := s.Start.Truncate(period); t.Before(s.End); t = t.Add(period) {
		v := f(t)
		if math.IsNaN(v) {
			continue
		}
		dp := map[string]any{"Timestamp": t.Format(ts), "Unit": unit}
		n := math.Max(1, math.Round(s.jitter(60*period.Minutes(), 0.05)))
		for _, st := range stats {
			switch st {
			case "Sum":
				dp["Sum"] = round(v, 3)
			case "Average":
				dp["Average"] = round(v, 4)
			case "Maximum":
				dp["Maximum"] = round(v*(1+0.3*s.R.Float64()), 4)
			case "Minimum":
				dp["Minimum"] = round(v*(1-0.3*s.R.Float64()), 4)
			case "SampleCount":
				if unit == "Count" && v >= 1 {
					n = math.Round(v)
				}
				dp["SampleCount"] = n
			}
		}
		dps = append(dps, dp)
	}
	var ds []map[string]string
	for _, d := range dims {
		ds = append(ds, map[string]string{"Name": d[0], "Value": d[1]})
	}
	if ds == nil {
		ds = []map[string]string{}
	}
	s.metrics = append(s.metrics, map[string]any{"Namespace": ns, "MetricName": name, "Dimensions": ds, "Label": name, "Datapoints": dps})
}

func round(v float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(v*p) / p
}

// ramp goes from a to b linearly between t0 and t1 (a before, b after).
func ramp(t, t0, t1 time.Time, a, b float64) float64 {
	switch {
	case t.Before(t0):
		return a
	case !t.Before(t1):
		return b
	}
	return a + (b-a)*float64(t.Sub(t0))/float64(t1.Sub(t0))
}

// ---- CloudTrail

type Actor struct {
	Ident   map[string]any
	UA, IP  string
	Console bool
}

func (s *Snap) RoleActor(role, session, ua, ip string) Actor {
	rid := "AROA" + s.alnum(17, true)
	return Actor{Ident: map[string]any{
		"type": "AssumedRole", "principalId": rid + ":" + session,
		"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.Acct, role, session),
		"accountId": s.Acct, "accessKeyId": "ASIA" + s.alnum(16, true),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": rid,
				"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.Acct, role), "accountId": s.Acct, "userName": role},
			"webIdFederationData": map[string]any{},
			"attributes":          map[string]any{"creationDate": s.CTStart.Add(-time.Duration(s.R.Intn(50)) * time.Minute).Format(ts), "mfaAuthenticated": "false"},
		},
	}, UA: ua, IP: ip}
}

// ServiceRoleActor is a role AWS assumes on the account's behalf (invokedBy set).
func (s *Snap) ServiceRoleActor(role, path, session, service string) Actor {
	a := s.RoleActor(role, session, service, service)
	a.Ident["invokedBy"] = service
	sc := a.Ident["sessionContext"].(map[string]any)["sessionIssuer"].(map[string]any)
	sc["arn"] = fmt.Sprintf("arn:aws:iam::%s:role/%s%s", s.Acct, path, role)
	return a
}

func (s *Snap) SSOActor(permSet, user, ip string) Actor {
	a := s.RoleActor("AWSReservedSSO_"+permSet+"_"+s.hex(16), user, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", ip)
	sc := a.Ident["sessionContext"].(map[string]any)["sessionIssuer"].(map[string]any)
	sc["arn"] = fmt.Sprintf("arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s", s.Acct, sc["userName"])
	a.Ident["sessionContext"].(map[string]any)["attributes"].(map[string]any)["mfaAuthenticated"] = "true"
	a.Console = true
	return a
}

func (s *Snap) UserActor(name, ua, ip string) Actor {
	return Actor{Ident: map[string]any{"type": "IAMUser", "principalId": "AIDA" + s.alnum(17, true),
		"arn": fmt.Sprintf("arn:aws:iam::%s:user/%s", s.Acct, name), "accountId": s.Acct,
		"accessKeyId": "ASIA" + s.alnum(16, true), "userName": name,
		"sessionContext": map[string]any{"attributes": map[string]any{"creationDate": s.CTStart.Add(-2 * time.Hour).Format(ts), "mfaAuthenticated": "true"}},
	}, UA: ua, IP: ip, Console: true}
}

func ServiceActor(svc string) Actor {
	return Actor{Ident: map[string]any{"type": "AWSService", "invokedBy": svc}, UA: svc, IP: svc}
}

type Opt func(r map[string]any)

func ReadOnly(r map[string]any) { r["readOnly"] = true }
func Err(code, msg string) Opt {
	return func(r map[string]any) { r["errorCode"] = code; r["errorMessage"] = msg }
}
func Res(typ, arn string) Opt {
	return func(r map[string]any) {
		l, _ := r["resources"].([]map[string]any)
		r["resources"] = append(l, map[string]any{"accountId": r["recipientAccountId"], "type": typ, "ARN": arn})
	}
}
func Extra(k string, v any) Opt { return func(r map[string]any) { r[k] = v } }

// CT records one management event the way CloudTrail delivers it to S3.
func (s *Snap) CT(t time.Time, a Actor, source, name string, req, resp any, opts ...Opt) map[string]any {
	r := map[string]any{
		"eventVersion": "1.11", "userIdentity": a.Ident, "eventTime": t.UTC().Format(ts),
		"eventSource": source, "eventName": name, "awsRegion": s.Region,
		"sourceIPAddress": a.IP, "userAgent": a.UA, "requestParameters": req, "responseElements": resp,
		"requestID": s.uuid(), "eventID": s.uuid(), "readOnly": false, "eventType": "AwsApiCall",
		"managementEvent": true, "recipientAccountId": s.Acct, "eventCategory": "Management",
	}
	if !strings.HasSuffix(a.IP, ".amazonaws.com") {
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
			"clientProvidedHostHeader": strings.TrimSuffix(source, ".amazonaws.com") + "." + s.Region + ".amazonaws.com"}
	}
	if a.Console {
		r["sessionCredentialFromConsole"] = "true"
	}
	if a.Ident["type"] == "AWSService" {
		r["eventType"] = "AwsServiceEvent"
		delete(r, "tlsDetails")
	}
	for _, o := range opts {
		o(r)
	}
	s.ct = append(s.ct, r)
	return r
}

// ---- X-Ray

func (s *Snap) TraceID(t time.Time) string { return fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24)) }

func epoch(t time.Time) float64 { return round(float64(t.UnixNano())/1e9, 6) }

// Trace adds a trace made of the given segment documents (maps that
// become JSON strings as BatchGetTraces returns them).
func (s *Snap) Trace(id string, dur float64, segs ...map[string]any) {
	var out []map[string]any
	for _, d := range segs {
		d["trace_id"] = id
		b, _ := json.Marshal(d)
		out = append(out, map[string]any{"Id": d["id"], "Document": string(b)})
	}
	s.traces = append(s.traces, map[string]any{"Id": id, "Duration": round(dur, 3), "LimitExceeded": false, "Segments": out})
}

// ---- ALB

// ALB adds an access-log line; prefix is "<acct>_elasticloadbalancing_<region>_app.<name>.<id>".
func (s *Snap) ALB(lb string, t time.Time, line string) {
	s.alb[lb] = append(s.alb[lb], albLine{t, line})
}

type ALBEntry struct {
	Scheme, LB, Client, Target        string
	Req, TargetT, Resp                float64
	ELBStatus, TargetStatus           string
	Recv, Sent                        int
	Request, UA, TG, TraceID, Domain  string
	Cert, ErrorReason, Classification string
}

func (s *Snap) ALBLine(t time.Time, e ALBEntry) string {
	ssl, proto := "-", "-"
	if e.Scheme == "https" || e.Scheme == "h2" {
		ssl, proto = "ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2"
	}
	f := func(v float64) string {
		if v < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", v)
	}
	cert := e.Cert
	if cert == "" {
		cert = "-"
	}
	er := e.ErrorReason
	if er == "" {
		er = "-"
	}
	cls := e.Classification
	if cls == "" {
		cls = "-"
	}
	tgt := e.Target
	if tgt == "" {
		tgt = "-"
	}
	return fmt.Sprintf(`%s %s %s %s %s %s %s %s %s %s %d %d "%s" "%s" %s %s %s "%s" "%s" "%s" %d %s "forward" "-" "%s" "%s" "%s" "%s" "-" TID_%s`,
		e.Scheme, t.UTC().Format("2006-01-02T15:04:05.000000Z"), e.LB, e.Client, tgt, f(e.Req), f(e.TargetT), f(e.Resp),
		e.ELBStatus, e.TargetStatus, e.Recv, e.Sent, e.Request, e.UA, ssl, proto, e.TG, e.TraceID, e.Domain, cert,
		1, t.Add(-time.Duration(max(0, e.Req+e.TargetT+e.Resp)*float64(time.Second))).UTC().Format("2006-01-02T15:04:05.000000Z"),
		er, tgt, e.TargetStatus, cls, s.hex(32))
}

// ---- alarms

func (s *Snap) MetricAlarm(a map[string]any) {
	if s.alarms == nil {
		s.alarms = map[string]any{"MetricAlarms": []any{}, "CompositeAlarms": []any{}}
	}
	a["AlarmArn"] = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.Region, s.Acct, a["AlarmName"])
	s.alarms["MetricAlarms"] = append(s.alarms["MetricAlarms"].([]any), a)
}

func (s *Snap) CompositeAlarm(a map[string]any) {
	if s.alarms == nil {
		s.alarms = map[string]any{"MetricAlarms": []any{}, "CompositeAlarms": []any{}}
	}
	a["AlarmArn"] = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.Region, s.Acct, a["AlarmName"])
	s.alarms["CompositeAlarms"] = append(s.alarms["CompositeAlarms"].([]any), a)
}

// StateChange adds a StateUpdate history item like CloudWatch writes.
func (s *Snap) StateChange(alarm, typ string, t time.Time, from, to, reason string, data map[string]any) {
	hd := map[string]any{"version": "1.0",
		"oldState": map[string]any{"stateValue": from},
		"newState": map[string]any{"stateValue": to, "stateReason": reason, "stateReasonData": data}}
	if data == nil {
		delete(hd["newState"].(map[string]any), "stateReasonData")
	}
	b, _ := json.Marshal(hd)
	s.history = append(s.history, map[string]any{"AlarmName": alarm, "AlarmType": typ, "Timestamp": t.Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "StateUpdate", "HistorySummary": fmt.Sprintf("Alarm updated from %s to %s", from, to), "HistoryData": string(b)})
}

func (s *Snap) ConfigChange(alarm, typ string, t time.Time, summary string, data map[string]any) {
	b, _ := json.Marshal(data)
	s.history = append(s.history, map[string]any{"AlarmName": alarm, "AlarmType": typ, "Timestamp": t.Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "ConfigurationUpdate", "HistorySummary": summary, "HistoryData": string(b)})
}

func (s *Snap) Action(alarm, typ string, t time.Time, topic string) {
	d := map[string]any{"actionState": "Succeeded", "stateUpdateTimestamp": t.UnixMilli(), "notificationResource": topic, "publishedMessage": map[string]any{"default": "{...}"}}
	b, _ := json.Marshal(d)
	s.history = append(s.history, map[string]any{"AlarmName": alarm, "AlarmType": typ, "Timestamp": t.Add(300 * time.Millisecond).Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "Action", "HistorySummary": "Successfully executed action " + topic, "HistoryData": string(b)})
}

// ---- routine CloudTrail noise

// Routine describes who does the everyday work in the account.
type Routine struct {
	Workloads []Workload // roles that read parameters, decrypt, assume
	Monitor   Actor      // dashboards / observability reader
	KeyID     string
	PerMin    float64
}

type Workload struct {
	Role, Principal string // Principal: ecs-tasks.amazonaws.com or lambda.amazonaws.com
	Params          []string
	Secret          string
	LogGroup        string
}

func (s *Snap) RoutineCT(r Routine) {
	keyArn := fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.Region, s.Acct, r.KeyID)
	acts := map[string]Actor{}
	for _, w := range r.Workloads {
		ua := "aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/ssm#1.56.1"
		acts[w.Role] = s.RoleActor(w.Role, s.hex(32), ua, fmt.Sprintf("10.%d.%d.%d", 20+s.R.Intn(3), s.R.Intn(255), 2+s.R.Intn(250)))
	}
	s.Every(s.CTStart, s.CTEnd, r.PerMin, func(t time.Time) {
		w := r.Workloads[s.R.Intn(len(r.Workloads))]
		a := acts[w.Role]
		switch k := s.R.Intn(10); {
		case k < 2:
			sess := s.hex(32)
			s.CT(t, ServiceActor(w.Principal), "sts.amazonaws.com", "AssumeRole",
				map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.Acct, w.Role), "roleSessionName": sess, "durationSeconds": 3600},
				map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + s.alnum(16, true), "sessionToken": "IQoJb3JpZ2luX2VjE" + s.alnum(40, false), "expiration": t.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM")},
					"assumedRoleUser": map[string]any{"assumedRoleId": "AROA" + s.alnum(17, true) + ":" + sess, "arn": fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.Acct, w.Role, sess)}},
				ReadOnly, Res("AWS::IAM::Role", fmt.Sprintf("arn:aws:iam::%s:role/%s", s.Acct, w.Role)), Extra("sharedEventID", s.uuid()))
		case k < 4:
			s.CT(t, a, "kms.amazonaws.com", "Decrypt",
				map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"PARAMETER_ARN": fmt.Sprintf("arn:aws:ssm:%s:%s:parameter%s", s.Region, s.Acct, w.Params[0])}},
				nil, ReadOnly, Res("AWS::KMS::Key", keyArn))
		case k < 6 && len(w.Params) > 0:
			p := w.Params[s.R.Intn(len(w.Params))]
			s.CT(t, a, "ssm.amazonaws.com", "GetParameter", map[string]any{"name": p, "withDecryption": true}, nil, ReadOnly)
		case k < 7 && w.Secret != "":
			s.CT(t, a, "secretsmanager.amazonaws.com", "GetSecretValue", map[string]any{"secretId": w.Secret}, nil, ReadOnly)
		case k < 8 && w.LogGroup != "":
			s.CT(t, ServiceActor(w.Principal), "logs.amazonaws.com", "CreateLogStream",
				map[string]any{"logGroupName": w.LogGroup, "logStreamName": t.Format("2006/01/02") + "/" + s.hex(32)}, nil)
		case k < 9:
			s.CT(t, r.Monitor, "monitoring.amazonaws.com", []string{"DescribeAlarms", "GetMetricData", "ListMetrics"}[s.R.Intn(3)],
				map[string]any{"maxRecords": 100}, nil, ReadOnly)
		default:
			s.CT(t, r.Monitor, "ec2.amazonaws.com", []string{"DescribeInstances", "DescribeSecurityGroups", "DescribeNetworkInterfaces"}[s.R.Intn(3)],
				map[string]any{"maxResults": 1000}, nil, ReadOnly)
		}
	})
}

// ---- writing

func (s *Snap) Write() {
	must(os.RemoveAll(s.Dir))
	must(os.MkdirAll(s.Dir, 0o755))
	s.writeJSON("manifest.json", map[string]any{"format": "fa2-snapshot/1", "region": s.Region,
		"window": map[string]string{"start": s.Start.Format(ts), "end": s.End.Format(ts)}, "title": s.Title, "architecture": s.Arch}, false)
	groups := make([]string, 0, len(s.logs))
	for g := range s.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		evs := s.logs[g]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i]["timestamp"].(int64) < evs[j]["timestamp"].(int64) })
		var buf bytes.Buffer
		for _, e := range evs {
			b, _ := json.Marshal(e)
			buf.Write(b)
			buf.WriteByte('\n')
		}
		name := "logs/" + url.PathEscape(g) + ".jsonl"
		s.writeRaw(name, buf.Bytes(), buf.Len() > 150_000)
	}
	for i, m := range s.metrics {
		dims := ""
		for _, d := range m["Dimensions"].([]map[string]string) {
			dims += "_" + d["Value"]
		}
		name := fmt.Sprintf("metrics/%02d_%s_%s%s.json", i, strings.ReplaceAll(m["Namespace"].(string), "/", "-"), m["MetricName"], dims)
		s.writeJSON(strings.ReplaceAll(name, ":", "-"), m, false)
	}
	if s.alarms != nil {
		s.writeJSON("alarms.json", s.alarms, false)
	}
	if s.history != nil {
		sort.SliceStable(s.history, func(i, j int) bool { return s.history[i]["Timestamp"].(string) > s.history[j]["Timestamp"].(string) })
		s.writeJSON("alarm-history.json", map[string]any{"AlarmHistoryItems": s.history}, false)
	}
	if s.secHub != nil {
		s.writeJSON("securityhub.json", map[string]any{"Findings": s.secHub}, false)
	}
	if s.guardDuty != nil {
		s.writeJSON("guardduty.json", map[string]any{"Findings": s.guardDuty}, false)
	}
	// CloudTrail delivers roughly every five minutes per region, one file per batch.
	sort.SliceStable(s.ct, func(i, j int) bool { return s.ct[i]["eventTime"].(string) < s.ct[j]["eventTime"].(string) })
	batches := map[time.Time][]map[string]any{}
	var keys []time.Time
	for _, r := range s.ct {
		t, _ := time.Parse(ts, r["eventTime"].(string))
		k := t.Truncate(5 * time.Minute).Add(5*time.Minute + time.Duration(s.R.Intn(4))*time.Minute)
		if _, ok := batches[k]; !ok {
			keys = append(keys, k)
		}
		batches[k] = append(batches[k], r)
	}
	for _, k := range keys {
		name := fmt.Sprintf("cloudtrail/%s_CloudTrail_%s_%s_%s.json", s.Acct, s.Region, k.Format("20060102T1504Z"), s.alnum(16, false))
		s.writeJSON(name, map[string]any{"Records": batches[k]}, true)
	}
	sort.SliceStable(s.traces, func(i, j int) bool { return s.traces[i]["Id"].(string) < s.traces[j]["Id"].(string) })
	for i := 0; i < len(s.traces); i += 5 {
		j := min(i+5, len(s.traces))
		s.writeJSON(fmt.Sprintf("xray/batch-get-traces-%03d.json", i/5), map[string]any{"Traces": s.traces[i:j], "UnprocessedTraceIds": []string{}}, true)
	}
	prefixes := make([]string, 0, len(s.alb))
	for p := range s.alb {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, prefix := range prefixes {
		lines := s.alb[prefix]
		sort.SliceStable(lines, func(i, j int) bool { return lines[i].t.Before(lines[j].t) })
		files := map[time.Time]*bytes.Buffer{}
		var order []time.Time
		for _, l := range lines {
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute)
			if files[k] == nil {
				files[k] = &bytes.Buffer{}
				order = append(order, k)
			}
			files[k].WriteString(l.line + "\n")
		}
		for _, k := range order {
			ip := fmt.Sprintf("%d.%d.%d.%d", 3+s.R.Intn(50), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(250))
			s.writeRaw(fmt.Sprintf("alb/%s_%s_%s_%s.log", prefix, k.Format("20060102T1504Z"), ip, s.alnum(8, false)), files[k].Bytes(), true)
		}
	}
	s.writeJSON("truth.json", s.Truth, false)
}

func (s *Snap) writeJSON(name string, v any, gz bool) {
	b, err := json.MarshalIndent(v, "", " ")
	must(err)
	if gz {
		b, err = json.Marshal(v)
		must(err)
	}
	s.writeRaw(name, append(b, '\n'), gz)
}

func (s *Snap) writeRaw(name string, b []byte, gz bool) {
	p := filepath.Join(s.Dir, name)
	must(os.MkdirAll(filepath.Dir(p), 0o755))
	if gz {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		must(w.Close())
		b, p = buf.Bytes(), p+".gz"
	}
	must(os.WriteFile(p, b, 0o644))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// truth builds truth.json.
func truth(name, kind, alarm string, cause map[string]any, onset time.Time, decoys [][2]any, signals ...string) map[string]any {
	var ds []map[string]string
	for _, d := range decoys {
		ds = append(ds, map[string]string{"event_name": d[0].(string), "event_time": d[1].(time.Time).Format(ts)})
	}
	return map[string]any{"name": name, "kind": kind, "alarm": alarm, "root_cause": cause, "no_change": cause == nil,
		"onset": onset.Format(ts), "decoys": ds, "signals": signals}
}
