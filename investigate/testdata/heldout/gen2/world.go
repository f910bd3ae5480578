// Command gen2 writes the second set of held-out incidents: snapshot
// directories in the fa2-snapshot/1 format, authored from AWS's own output
// shapes (CloudTrail S3 deliveries, BatchGetTraces, GetMetricStatistics,
// DescribeAlarms, ALB access logs, ASFF) without reference to the engine.
// Every incident is seeded, so the output is byte-for-byte reproducible:
//
//	go run ./investigate/testdata/heldout/gen2
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

// world accumulates one incident's telemetry before it is written out.
type world struct {
	name, title, arch, region, account string
	start, end                         time.Time
	r                                  *rand.Rand

	logs        map[string][]logEvent
	metrics     []metricFile
	alarms      []map[string]any
	history     []map[string]any
	trail       []trailRecord
	traces      []map[string]any
	alb         []albLine
	albName     string // app/<name>/<id>
	securityhub []map[string]any
	guardduty   []map[string]any
	truth       map[string]any
	ssoRoles    map[string]string // permission set → its role name in this account
}

type logEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

type trailRecord struct {
	t   time.Time
	rec map[string]any
}

type albLine struct {
	t    time.Time
	node string
	line string
}

type metricFile struct {
	Namespace  string      `json:"Namespace"`
	MetricName string      `json:"MetricName"`
	Dimensions []dimension `json:"Dimensions"`
	Label      string      `json:"Label"`
	Datapoints []datapoint `json:"Datapoints"`
}

type dimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type datapoint struct {
	Timestamp   string   `json:"Timestamp"`
	SampleCount *float64 `json:"SampleCount,omitempty"`
	Average     *float64 `json:"Average,omitempty"`
	Sum         *float64 `json:"Sum,omitempty"`
	Minimum     *float64 `json:"Minimum,omitempty"`
	Maximum     *float64 `json:"Maximum,omitempty"`
	Unit        string   `json:"Unit"`

	ExtendedStatistics map[string]float64 `json:"ExtendedStatistics,omitempty"`
}

func newWorld(name string, seed int64, region, account string, start time.Time, minutes int) *world {
	return &world{
		name: name, region: region, account: account,
		start: start, end: start.Add(time.Duration(minutes) * time.Minute),
		r:    rand.New(rand.NewSource(seed)),
		logs: map[string][]logEvent{},
	}
}

// ---------- random helpers ----------

func (w *world) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[w.r.Intn(16)]
	}
	return string(b)
}

func (w *world) upperAlnum(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[w.r.Intn(len(digits))]
	}
	return string(b)
}

func (w *world) uuid() string {
	return w.hex(8) + "-" + w.hex(4) + "-4" + w.hex(3) + "-" + string("89ab"[w.r.Intn(4)]) + w.hex(3) + "-" + w.hex(12)
}

func (w *world) pick(xs ...string) string { return xs[w.r.Intn(len(xs))] }

func (w *world) jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(w.r.Int63n(int64(d)))
}

func (w *world) ip10() string {
	return fmt.Sprintf("10.%d.%d.%d", w.r.Intn(4), w.r.Intn(16)+1, w.r.Intn(250)+2)
}

func (w *world) publicIP() string {
	first := []int{52, 54, 18, 3, 34, 91, 81, 176, 203, 98}[w.r.Intn(10)]
	return fmt.Sprintf("%d.%d.%d.%d", first, w.r.Intn(255), w.r.Intn(255), w.r.Intn(253)+1)
}

// poisson-ish: each tick of `every` emits with jitter.
func (w *world) each(from, to time.Time, every time.Duration, fn func(t time.Time)) {
	for t := from.Add(w.jitter(every)); t.Before(to); t = t.Add(every/2 + w.jitter(every)) {
		fn(t)
	}
}

// ---------- logs ----------

func (w *world) log(group, stream string, t time.Time, msg string) {
	if t.Before(w.start) || !t.Before(w.end) {
		return
	}
	ing := t.Add(300*time.Millisecond + w.jitter(2500*time.Millisecond))
	id := fmt.Sprintf("3%d%019d%036d", w.r.Intn(9), t.UnixMilli(), w.r.Int63())
	if len(id) > 56 {
		id = id[:56]
	}
	w.logs[group] = append(w.logs[group], logEvent{Timestamp: t.UnixMilli(), Message: msg, LogStreamName: stream, IngestionTime: ing.UnixMilli(), EventID: id})
}

// logLines records a multi-line message the way CloudWatch stores output
// from the awslogs driver: one event per line, a microsecond apart.
func (w *world) logLines(group, stream string, t time.Time, lines []string) {
	for i, l := range lines {
		w.log(group, stream, t.Add(time.Duration(i)*time.Millisecond/4), l)
	}
}

// ---------- metrics ----------

type stat struct{ n, sum, min, max float64 }

func countStat(v float64) stat { return stat{n: math.Max(1, v), sum: v, min: 0, max: v} }

func gaugeStat(avg, spread float64, n float64) stat {
	lo := math.Max(0, avg-spread)
	return stat{n: n, sum: avg * n, min: lo, max: avg + spread}
}

// metric writes one GetMetricStatistics series, period seconds; f returns
// ok=false for a period with no data (AWS then has no datapoint at all).
// Datapoints are left in the unspecified order GetMetricStatistics uses.
func (w *world) metric(ns, name string, dims [][2]string, unit string, period int, f func(t time.Time) (stat, bool)) {
	m := metricFile{Namespace: ns, MetricName: name, Label: name, Dimensions: []dimension{}}
	for _, d := range dims {
		m.Dimensions = append(m.Dimensions, dimension{d[0], d[1]})
	}
	for t := w.start; t.Before(w.end); t = t.Add(time.Duration(period) * time.Second) {
		s, ok := f(t)
		if !ok {
			continue
		}
		n, sum, mn, mx := round(s.n), round(s.sum), round(s.min), round(s.max)
		avg := round(s.sum / math.Max(s.n, 1))
		m.Datapoints = append(m.Datapoints, datapoint{Timestamp: t.UTC().Format("2006-01-02T15:04:05+00:00"), SampleCount: &n, Average: &avg, Sum: &sum, Minimum: &mn, Maximum: &mx, Unit: unit})
	}
	w.r.Shuffle(len(m.Datapoints), func(i, j int) { m.Datapoints[i], m.Datapoints[j] = m.Datapoints[j], m.Datapoints[i] })
	w.metrics = append(w.metrics, m)
}

// metricPercentile writes a series fetched with --extended-statistics:
// each datapoint carries only ExtendedStatistics (and the unit).
func (w *world) metricPercentile(ns, name, pct string, dims [][2]string, unit string, period int, f func(t time.Time) (float64, bool)) {
	m := metricFile{Namespace: ns, MetricName: name, Label: name, Dimensions: []dimension{}}
	for _, d := range dims {
		m.Dimensions = append(m.Dimensions, dimension{d[0], d[1]})
	}
	for t := w.start; t.Before(w.end); t = t.Add(time.Duration(period) * time.Second) {
		v, ok := f(t)
		if !ok {
			continue
		}
		m.Datapoints = append(m.Datapoints, datapoint{Timestamp: t.UTC().Format("2006-01-02T15:04:05+00:00"), Unit: unit, ExtendedStatistics: map[string]float64{pct: round(v)}})
	}
	w.r.Shuffle(len(m.Datapoints), func(i, j int) { m.Datapoints[i], m.Datapoints[j] = m.Datapoints[j], m.Datapoints[i] })
	w.metrics = append(w.metrics, m)
}

func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// ramp is 0 before a, 1 after b, linear between.
func ramp(t, a, b time.Time) float64 {
	if t.Before(a) {
		return 0
	}
	if !t.Before(b) {
		return 1
	}
	return float64(t.Sub(a)) / float64(b.Sub(a))
}

// ---------- alarms ----------

func (w *world) alarm(name, desc, ns, metric, statistic string, dims [][2]string, period, evals int, threshold float64, cmp string, okAt, alarmAt time.Time, reasonValue float64, action string) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", w.region, w.account, name)
	var ds []map[string]string
	for _, d := range dims {
		ds = append(ds, map[string]string{"Name": d[0], "Value": d[1]})
	}
	reason := fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s (%s)] was %s the threshold (%s) (minimum %d datapoint for OK -> ALARM transition).",
		evals, evals, fmtNum(reasonValue), alarmAt.Add(-time.Duration(period)*time.Second).Truncate(time.Minute).UTC().Format("02/01/06 15:04:05"), cmpWords(cmp), fmtNum(threshold), evals)
	reasonData := map[string]any{
		"version": "1.0", "queryDate": alarmAt.UTC().Format("2006-01-02T15:04:05.000+0000"),
		"startDate": alarmAt.Add(-time.Duration(period*evals) * time.Second).Truncate(time.Minute).UTC().Format("2006-01-02T15:04:05.000+0000"),
		"statistic": statistic, "period": period, "recentDatapoints": []float64{reasonValue}, "threshold": threshold, "evaluatedDatapoints": []map[string]any{{"timestamp": alarmAt.Add(-time.Duration(period) * time.Second).Truncate(time.Minute).UTC().Format("2006-01-02T15:04:05.000+0000"), "sampleCount": 3.0, "value": reasonValue}},
	}
	rd, _ := json.Marshal(reasonData)
	a := map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": desc,
		"AlarmConfigurationUpdatedTimestamp": w.start.Add(-31 * 24 * time.Hour).Add(w.jitter(time.Hour)).UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"ActionsEnabled":                     true, "OKActions": []string{action}, "AlarmActions": []string{action}, "InsufficientDataActions": []string{},
		"StateValue": "ALARM", "StateReason": reason, "StateReasonData": string(rd),
		"StateUpdatedTimestamp": alarmAt.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"MetricName":            metric, "Namespace": ns, "Dimensions": ds, "Period": period, "EvaluationPeriods": evals, "DatapointsToAlarm": evals,
		"Threshold": threshold, "ComparisonOperator": cmp, "TreatMissingData": "notBreaching",
		"StateTransitionedTimestamp": alarmAt.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
	}
	if strings.HasPrefix(statistic, "p") {
		a["ExtendedStatistic"] = statistic
	} else {
		a["Statistic"] = statistic
	}
	w.alarms = append(w.alarms, a)
	hist := func(t time.Time, from, to, why string) {
		hd, _ := json.Marshal(map[string]any{
			"version": "1.0", "oldState": map[string]any{"stateValue": from, "stateReason": "Threshold Crossed: no datapoints were received for " + fmt.Sprint(evals) + " periods and " + fmt.Sprint(evals) + " missing datapoints were treated as [NonBreaching]."},
			"newState": map[string]any{"stateValue": to, "stateReason": why, "stateReasonData": reasonData},
		})
		w.history = append(w.history, map[string]any{
			"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": t.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
			"HistoryItemType": "StateUpdate", "HistorySummary": fmt.Sprintf("Alarm updated from %s to %s", from, to), "HistoryData": string(hd),
		})
	}
	hist(alarmAt, "OK", "ALARM", reason)
	if !okAt.IsZero() {
		hist(okAt, "INSUFFICIENT_DATA", "OK", "Threshold Crossed: 1 datapoint was not greater than or equal to the threshold.")
	}
	w.history = append(w.history, map[string]any{
		"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": alarmAt.Add(40 * time.Millisecond).UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"HistoryItemType": "Action", "HistorySummary": "Successfully executed action " + action,
		"HistoryData": fmt.Sprintf(`{"actionState":"Succeeded","stateUpdateTimestamp":%d,"notificationResource":"%s","publishedMessage":"{\"AlarmName\":\"%s\",\"NewStateValue\":\"ALARM\"}"}`, alarmAt.UnixMilli(), action, name),
	})
}

// okAlarm is a standing alarm that stayed OK through the window.
func (w *world) okAlarm(name, ns, metric, statistic string, dims [][2]string, threshold float64, cmp string) {
	var ds []map[string]string
	for _, d := range dims {
		ds = append(ds, map[string]string{"Name": d[0], "Value": d[1]})
	}
	w.alarms = append(w.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", w.region, w.account, name),
		"AlarmConfigurationUpdatedTimestamp": w.start.Add(-90 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"ActionsEnabled":                     true, "OKActions": []string{}, "AlarmActions": []string{fmt.Sprintf("arn:aws:sns:%s:%s:ops-low-priority", w.region, w.account)}, "InsufficientDataActions": []string{},
		"StateValue": "OK", "StateReason": "Threshold Crossed: 1 out of the last 1 datapoints [" + fmtNum(threshold/3) + " (" + w.start.Add(-time.Hour).UTC().Format("02/01/06 15:04:05") + ")] was not " + cmpWords(cmp) + " the threshold (" + fmtNum(threshold) + ") (minimum 1 datapoint for ALARM -> OK transition).",
		"StateUpdatedTimestamp": w.start.Add(-26 * time.Hour).UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"MetricName":            metric, "Namespace": ns, "Statistic": statistic, "Dimensions": ds, "Period": 300, "EvaluationPeriods": 1, "DatapointsToAlarm": 1,
		"Threshold": threshold, "ComparisonOperator": cmp, "TreatMissingData": "missing",
		"StateTransitionedTimestamp": w.start.Add(-26 * time.Hour).UTC().Format("2006-01-02T15:04:05.000000+00:00"),
	})
}

func cmpWords(c string) string {
	switch c {
	case "GreaterThanThreshold":
		return "greater than"
	case "LessThanThreshold":
		return "less than"
	case "LessThanOrEqualToThreshold":
		return "less than or equal to"
	}
	return "greater than or equal to"
}

func fmtNum(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%g", v)
}

// ---------- CloudTrail ----------

// actor is who makes a call: identity block plus where it comes from.
type actor struct {
	id      map[string]any
	ip, ua  string
	console bool
	account string
}

func (w *world) ssoUser(permSet, user, ip string) actor {
	if w.ssoRoles == nil {
		w.ssoRoles = map[string]string{}
	}
	roleName, ok := w.ssoRoles[permSet]
	if !ok {
		roleName = "AWSReservedSSO_" + permSet + "_" + w.hex(16)
		w.ssoRoles[permSet] = roleName
	}
	key := "ASIA" + w.upperAlnum(16)
	return actor{id: map[string]any{
		"type": "AssumedRole", "principalId": "AROA" + w.upperAlnum(17) + ":" + user,
		"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", w.account, roleName, user),
		"accountId": w.account, "accessKeyId": key,
		"sessionContext": map[string]any{
			"sessionIssuer":       map[string]any{"type": "Role", "principalId": "AROA" + w.upperAlnum(17), "arn": fmt.Sprintf("arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s", w.account, roleName), "accountId": w.account, "userName": roleName},
			"webIdFederationData": map[string]any{},
			"attributes":          map[string]any{"creationDate": w.start.Add(-47 * time.Minute).UTC().Format(time.RFC3339), "mfaAuthenticated": "false"},
		},
	}, ip: ip, console: true, account: w.account,
		ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}
}

func (w *world) ssoCLI(permSet, user, ip string) actor {
	a := w.ssoUser(permSet, user, ip)
	a.console = false
	a.ua = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#" + w.pick("ec2.describe-instances", "sts.get-caller-identity")
	return a
}

// roleActor is an assumed role used by software (CI, Terraform, app task).
func (w *world) roleActor(role, session, ip, ua string) actor {
	return actor{id: map[string]any{
		"type": "AssumedRole", "principalId": "AROA" + w.upperAlnum(17) + ":" + session,
		"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", w.account, role, session),
		"accountId": w.account, "accessKeyId": "ASIA" + w.upperAlnum(16),
		"sessionContext": map[string]any{
			"sessionIssuer":       map[string]any{"type": "Role", "principalId": "AROA" + w.upperAlnum(17), "arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", w.account, role), "accountId": w.account, "userName": role},
			"webIdFederationData": map[string]any{},
			"attributes":          map[string]any{"creationDate": w.start.Add(-20 * time.Minute).UTC().Format(time.RFC3339), "mfaAuthenticated": "false"},
		},
	}, ip: ip, ua: ua, account: w.account}
}

func (w *world) iamUser(name, ip, ua string) actor {
	return actor{id: map[string]any{
		"type": "IAMUser", "principalId": "AIDA" + w.upperAlnum(17), "arn": fmt.Sprintf("arn:aws:iam::%s:user/%s", w.account, name),
		"accountId": w.account, "accessKeyId": "AKIA" + w.upperAlnum(16), "userName": name,
	}, ip: ip, ua: ua, account: w.account}
}

func serviceActor(svc string) actor {
	return actor{id: map[string]any{"type": "AWSService", "invokedBy": svc}, ip: svc, ua: svc}
}

// serviceRole is a service-linked role acting for an AWS service.
func (w *world) serviceRole(role, session, svc string) actor {
	a := w.roleActor(role, session, svc, svc)
	a.id["invokedBy"] = svc
	return a
}

type ct struct {
	source, name string
	req, resp    any
	readOnly     bool
	resources    []map[string]any
	errCode      string
	errMsg       string
	region       string
	data         bool
	eventType    string
	additional   map[string]any
}

func (w *world) call(t time.Time, a actor, c ct) {
	region := c.region
	if region == "" {
		region = w.region
	}
	host := strings.TrimSuffix(c.source, ".amazonaws.com") + "." + region + ".amazonaws.com"
	if c.source == "iam.amazonaws.com" {
		host = "iam.amazonaws.com"
	}
	rec := map[string]any{
		"eventVersion": "1.09", "userIdentity": a.id, "eventTime": t.UTC().Format("2006-01-02T15:04:05Z"),
		"eventSource": c.source, "eventName": c.name, "awsRegion": region,
		"sourceIPAddress": a.ip, "userAgent": a.ua,
		"requestParameters": c.req, "responseElements": c.resp,
		"requestID": w.uuid(), "eventID": w.uuid(), "readOnly": c.readOnly,
		"eventType": "AwsApiCall", "managementEvent": !c.data, "recipientAccountId": w.account,
		"eventCategory": "Management",
	}
	if c.data {
		rec["eventCategory"] = "Data"
	}
	if c.eventType != "" {
		rec["eventType"] = c.eventType
	}
	if c.errCode != "" {
		rec["errorCode"] = c.errCode
		rec["errorMessage"] = c.errMsg
	}
	if c.resources != nil {
		rec["resources"] = c.resources
	}
	if c.additional != nil {
		rec["additionalEventData"] = c.additional
	}
	if _, svc := a.id["invokedBy"]; !svc {
		rec["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}
	}
	if a.console {
		rec["sessionCredentialFromConsole"] = "true"
	}
	w.trail = append(w.trail, trailRecord{t, rec})
}

func (w *world) res(typ, arn string) []map[string]any {
	return []map[string]any{{"accountId": w.account, "type": typ, "ARN": arn}}
}

// routine emits background calls from a weighted menu, rate per minute,
// across the whole window plus a margin before it.
func (w *world) routine(perMinute float64, menu []func(t time.Time)) {
	from := w.start.Add(-15 * time.Minute)
	every := time.Duration(float64(time.Minute) / perMinute)
	for t := from; t.Before(w.end); t = t.Add(every/2 + w.jitter(every)) {
		menu[w.r.Intn(len(menu))](t)
	}
}

// Common routine menu items.

func (w *world) assumeRoleBySvc(svc, role string) func(t time.Time) {
	return func(t time.Time) {
		sess := w.hex(32)
		w.call(t, serviceActor(svc), ct{source: "sts.amazonaws.com", name: "AssumeRole", readOnly: true,
			req: map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", w.account, role), "roleSessionName": sess},
			resp: map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + w.upperAlnum(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + w.upperAlnum(40), "expiration": t.Add(6 * time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")},
				"assumedRoleUser": map[string]any{"assumedRoleId": "AROA" + w.upperAlnum(17) + ":" + sess, "arn": fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", w.account, role, sess)}},
			resources: []map[string]any{{"accountId": w.account, "type": "AWS::IAM::Role", "ARN": fmt.Sprintf("arn:aws:iam::%s:role/%s", w.account, role)}}})
	}
}

func (w *world) decrypt(a actor, keyID string, ctx map[string]any) func(t time.Time) {
	return func(t time.Time) {
		w.call(t, a, ct{source: "kms.amazonaws.com", name: "Decrypt", readOnly: true,
			req:       map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": ctx},
			resources: w.res("AWS::KMS::Key", fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", w.region, w.account, keyID))})
	}
}

func (w *world) getSecret(a actor, secretArn string) func(t time.Time) {
	return func(t time.Time) {
		w.call(t, a, ct{source: "secretsmanager.amazonaws.com", name: "GetSecretValue", readOnly: true, req: map[string]any{"secretId": secretArn}})
	}
}

func (w *world) readCall(a actor, source, name string, req map[string]any) func(t time.Time) {
	return func(t time.Time) {
		w.call(t, a, ct{source: source, name: name, readOnly: true, req: req})
	}
}

func (w *world) putMetricData(a actor, ns string) func(t time.Time) {
	return func(t time.Time) {
		w.call(t, a, ct{source: "monitoring.amazonaws.com", name: "PutMetricData", data: true, req: map[string]any{"namespace": ns}})
	}
}

func (w *world) createLogStream(a actor, group string) func(t time.Time) {
	return func(t time.Time) {
		w.call(t, a, ct{source: "logs.amazonaws.com", name: "CreateLogStream",
			req: map[string]any{"logGroupName": group, "logStreamName": t.UTC().Format("2006/01/02") + "/[$LATEST]" + w.hex(32)}})
	}
}

func (w *world) ecrAuth(a actor) func(t time.Time) {
	return func(t time.Time) {
		w.call(t, a, ct{source: "ecr.amazonaws.com", name: "GetAuthorizationToken", readOnly: true, req: map[string]any{"registryIds": []string{w.account}}})
	}
}

// ---------- X-Ray ----------

func (w *world) traceID(t time.Time) string { return fmt.Sprintf("1-%08x-%s", t.Unix(), w.hex(24)) }

func secs(t time.Time) float64 { return math.Round(float64(t.UnixMicro())/1e3) / 1e3 }

// trace adds one BatchGetTraces trace built from segment documents.
func (w *world) trace(id string, dur float64, docs ...map[string]any) {
	var segs []map[string]any
	for _, d := range docs {
		d["trace_id"] = id
		b, _ := json.Marshal(d)
		segs = append(segs, map[string]any{"Id": d["id"], "Document": string(b)})
	}
	w.traces = append(w.traces, map[string]any{"Id": id, "Duration": math.Round(dur*1000) / 1000, "LimitExceeded": false, "Segments": segs})
}

// ---------- output ----------

func (w *world) write(root string) {
	dir := filepath.Join(root, w.name)
	must(os.RemoveAll(dir))
	must(os.MkdirAll(dir, 0o755))
	writeJSON(filepath.Join(dir, "manifest.json"), map[string]any{
		"format": "fa2-snapshot/1", "region": w.region, "title": w.title, "architecture": w.arch,
		"window": map[string]string{"start": w.start.UTC().Format(time.RFC3339), "end": w.end.UTC().Format(time.RFC3339)},
	})
	writeJSON(filepath.Join(dir, "truth.json"), w.truth)
	if len(w.alarms) > 0 {
		writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": w.alarms, "CompositeAlarms": []any{}})
		sort.SliceStable(w.history, func(i, j int) bool { return w.history[i]["Timestamp"].(string) > w.history[j]["Timestamp"].(string) })
		writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": w.history})
	}
	// Logs: one file per group, sorted by time as FilterLogEvents pages them.
	groups := make([]string, 0, len(w.logs))
	for g := range w.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		evs := w.logs[g]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for _, e := range evs {
			must(enc.Encode(e))
		}
		name := strings.ReplaceAll(g, "/", "%2F")
		p := filepath.Join(dir, "logs", name+".jsonl")
		if buf.Len() > 200_000 {
			writeGz(p+".gz", buf.Bytes())
		} else {
			writeFile(p, buf.Bytes())
		}
	}
	for _, m := range w.metrics {
		var dims []string
		for _, d := range m.Dimensions {
			dims = append(dims, d.Value)
		}
		fn := strings.ReplaceAll(m.Namespace, "/", "_") + "__" + m.MetricName + "__" + strings.Join(dims, "_")
		if len(m.Datapoints) > 0 {
			for k := range m.Datapoints[0].ExtendedStatistics {
				fn += "__" + k
			}
		}
		fn = strings.Map(func(r rune) rune {
			if r == ':' || r == '/' || r == ' ' {
				return '-'
			}
			return r
		}, fn)
		writeJSON(filepath.Join(dir, "metrics", fn+".json"), m)
	}
	w.writeTrail(dir)
	if len(w.traces) > 0 {
		// The CLI merges BatchGetTraces pages; we store ~25 traces a file.
		sort.SliceStable(w.traces, func(i, j int) bool { return w.traces[i]["Id"].(string) < w.traces[j]["Id"].(string) })
		for i := 0; i < len(w.traces); i += 25 {
			j := min(i+25, len(w.traces))
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			must(enc.Encode(map[string]any{"Traces": w.traces[i:j], "UnprocessedTraceIds": []string{}}))
			writeGz(filepath.Join(dir, "xray", fmt.Sprintf("batch-get-traces-%03d.json.gz", i/25+1)), buf.Bytes())
		}
	}
	w.writeALB(dir)
	if w.securityhub != nil {
		writeJSON(filepath.Join(dir, "securityhub.json"), map[string]any{"Findings": w.securityhub})
	}
	if w.guardduty != nil {
		writeJSON(filepath.Join(dir, "guardduty.json"), map[string]any{"Findings": w.guardduty})
	}
}

// writeTrail groups records into the 5-minute S3 delivery files CloudTrail
// writes, by delivery time (a few minutes after the event), records in a
// file in no particular order; global-service events (IAM) are delivered
// in us-east-1 files.
func (w *world) writeTrail(dir string) {
	files := map[string][]map[string]any{}
	var keys []string
	for _, tr := range w.trail {
		deliver := tr.t.Add(2*time.Minute + w.jitter(6*time.Minute)).Truncate(5 * time.Minute)
		region := tr.rec["awsRegion"].(string)
		k := region + "|" + deliver.UTC().Format("20060102T1504Z")
		if _, ok := files[k]; !ok {
			keys = append(keys, k)
		}
		files[k] = append(files[k], tr.rec)
	}
	sort.Strings(keys)
	for _, k := range keys {
		recs := files[k]
		w.r.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		parts := strings.SplitN(k, "|", 2)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		must(enc.Encode(map[string]any{"Records": recs}))
		writeGz(filepath.Join(dir, "cloudtrail", fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", w.account, parts[0], parts[1], w.upperAlnum(16))), buf.Bytes())
	}
}

func (w *world) writeALB(dir string) {
	if len(w.alb) == 0 {
		return
	}
	sort.SliceStable(w.alb, func(i, j int) bool { return w.alb[i].t.Before(w.alb[j].t) })
	files := map[string]*bytes.Buffer{}
	var keys []string
	parts := strings.Split(w.albName, "/")
	for _, l := range w.alb {
		// ALB writes one file per load balancer node every 5 minutes, named
		// by the end of the interval.
		end := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute)
		k := fmt.Sprintf("%s_elasticloadbalancing_%s_app.%s.%s_%s_%s", w.account, w.region, parts[1], parts[2], end.UTC().Format("20060102T1504Z"), l.node)
		if files[k] == nil {
			files[k] = &bytes.Buffer{}
			keys = append(keys, k)
		}
		files[k].WriteString(l.line + "\n")
	}
	sort.Strings(keys)
	for _, k := range keys {
		writeGz(filepath.Join(dir, "alb", k+"_"+strings.ToLower(w.upperAlnum(8))+".log.gz"), files[k].Bytes())
	}
}

// albEntry formats one Application Load Balancer access log line in AWS's
// documented field order.
type albReq struct {
	t                  time.Time
	client, target     string // ip:port; target "-" when none
	reqT, tgtT, respT  float64
	elbCode, tgtCode   string
	recv, sent         int
	method, url, proto string
	ua                 string
	tg                 string
	traceID            string
	domain             string
	errReason          string
	classification     string
}

func (w *world) albLog(node string, q albReq) {
	tgtList, codeList := q.target, q.tgtCode
	if q.target == "-" {
		tgtList, codeList = "-", "-"
	}
	if q.errReason == "" {
		q.errReason = "-"
	}
	created := q.t.Add(-time.Duration((q.reqT + math.Max(q.tgtT, 0) + math.Max(q.respT, 0)) * float64(time.Second)))
	line := fmt.Sprintf(`https %s %s %s %s %.3f %.3f %.3f %s %s %d %d "%s %s %s" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "Root=%s" "%s" "arn:aws:acm:%s:%s:certificate/%s" 0 %s "forward" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		q.t.UTC().Format("2006-01-02T15:04:05.000000Z"), w.albName, q.client, q.target, q.reqT, q.tgtT, q.respT, q.elbCode, q.tgtCode, q.recv, q.sent,
		q.method, q.url, q.proto, q.ua, q.tg, q.traceID, q.domain, w.region, w.account, "3f2a9c1e-7b5d-4e08-a1c4-9d8e7f6a5b4c",
		created.UTC().Format("2006-01-02T15:04:05.000000Z"), q.errReason, tgtList, codeList, w.hex(32))
	if q.tgtT < 0 {
		line = strings.Replace(line, fmt.Sprintf(" %.3f %.3f %.3f ", q.reqT, q.tgtT, q.respT), fmt.Sprintf(" %g %g %g ", q.reqT, q.tgtT, q.respT), 1)
	}
	w.alb = append(w.alb, albLine{t: q.t, node: node, line: line})
}

// ---------- files ----------

func writeJSON(p string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	must(enc.Encode(v))
	writeFile(p, buf.Bytes())
}

func writeFile(p string, b []byte) {
	must(os.MkdirAll(filepath.Dir(p), 0o755))
	must(os.WriteFile(p, b, 0o644))
}

func writeGz(p string, b []byte) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.ModTime = time.Time{}
	_, err := zw.Write(b)
	must(err)
	must(zw.Close())
	writeFile(p, buf.Bytes())
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	must(err)
	return t
}

func main() {
	root := filepath.Join("investigate", "testdata", "heldout")
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	for _, build := range []func() *world{
		sgIngressRevoked, taskRolePolicyDetached, ecsBadDeploy, lambdaConcurrencyZero,
		dynamoProvisionedSwitch, paymentProviderLatency, secretRotationCachedPassword, consumerASGScaledToZero,
	} {
		w := build()
		if w == nil {
			continue
		}
		w.write(root)
		fmt.Printf("%s: %d log events in %d groups, %d metrics, %d CloudTrail records, %d traces, %d ALB lines\n",
			w.name, w.logCount(), len(w.logs), len(w.metrics), len(w.trail), len(w.traces), len(w.alb))
	}
}

func (w *world) logCount() int {
	n := 0
	for _, l := range w.logs {
		n += len(l)
	}
	return n
}

// ---------- shared service shapes ----------

// ecsTask names an ECS task as its awslogs stream and X-Ray metadata see it.
type ecsTask struct{ id, ip string }

func (w *world) tasks(n int) []ecsTask {
	var ts []ecsTask
	for range n {
		ts = append(ts, ecsTask{id: w.hex(32), ip: w.ip10()})
	}
	return ts
}

func (w *world) exc(typ, msg string, remote bool, stack ...string) map[string]any {
	e := map[string]any{"id": w.hex(16), "type": typ, "message": msg}
	if remote {
		e["remote"] = true
	}
	var st []map[string]any
	for _, s := range stack {
		// "label path:line"
		parts := strings.SplitN(s, " ", 2)
		pl := strings.SplitN(parts[1], ":", 2)
		line := 0
		fmt.Sscan(pl[1], &line)
		st = append(st, map[string]any{"label": parts[0], "path": pl[0], "line": line})
	}
	if st != nil {
		e["stack"] = st
	}
	return e
}

// ddbSub is an X-Ray subsegment for a DynamoDB call as the SDKs record it.
func (w *world) ddbSub(start time.Time, dur time.Duration, op, table string, status int, exc map[string]any) map[string]any {
	s := map[string]any{
		"id": w.hex(16), "name": "DynamoDB", "start_time": secs(start), "end_time": secs(start.Add(dur)), "namespace": "aws",
		"http": map[string]any{"response": map[string]any{"status": status, "content_length": 2 + w.r.Intn(300)}},
		"aws":  map[string]any{"operation": op, "region": w.region, "request_id": w.upperAlnum(52), "retries": 0, "table_name": table, "resource_names": []string{table}},
	}
	if exc != nil {
		s["error"] = true
		if status == 429 || exc["type"] == "ProvisionedThroughputExceededException" || exc["type"] == "ThrottlingException" {
			s["throttle"] = true
			s["aws"].(map[string]any)["retries"] = 2
		}
		s["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{exc}}
	}
	return s
}

// asff is a Security Hub control finding (AWS Foundational Security Best
// Practices) in the ASFF shape GetFindings returns.
func (w *world) asff(control, title, sev, resType, resID string, first time.Time) map[string]any {
	norm := map[string]int{"CRITICAL": 90, "HIGH": 70, "MEDIUM": 40, "LOW": 1}[sev]
	last := w.start.Add(-time.Duration(1+w.r.Intn(20)) * time.Hour)
	return map[string]any{
		"SchemaVersion": "2018-10-08",
		"Id":            fmt.Sprintf("arn:aws:securityhub:%s:%s:security-control/%s/finding/%s", w.region, w.account, control, w.uuid()),
		"ProductArn":    fmt.Sprintf("arn:aws:securityhub:%s::product/aws/securityhub", w.region),
		"ProductName":   "Security Hub", "CompanyName": "AWS", "Region": w.region,
		"GeneratorId":     "security-control/" + control,
		"AwsAccountId":    w.account,
		"Types":           []string{"Software and Configuration Checks/Industry and Regulatory Standards"},
		"FirstObservedAt": first.UTC().Format("2006-01-02T15:04:05.000Z"), "LastObservedAt": last.UTC().Format("2006-01-02T15:04:05.000Z"),
		"CreatedAt": first.UTC().Format("2006-01-02T15:04:05.000Z"), "UpdatedAt": last.UTC().Format("2006-01-02T15:04:05.000Z"),
		"Severity":      map[string]any{"Label": sev, "Normalized": norm, "Original": sev},
		"Title":         title,
		"Description":   "This control checks: " + title + ".",
		"Remediation":   map[string]any{"Recommendation": map[string]any{"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.", "Url": "https://docs.aws.amazon.com/console/securityhub/" + control + "/remediation"}},
		"ProductFields": map[string]any{"RelatedAWSResources:0/name": "securityhub-" + w.hex(8), "RelatedAWSResources:0/type": "AWS::Config::ConfigRule", "aws/securityhub/ProductName": "Security Hub", "aws/securityhub/CompanyName": "AWS", "aws/securityhub/FindingId": fmt.Sprintf("arn:aws:securityhub:%s::product/aws/securityhub/%s", w.region, w.uuid())},
		"Resources":     []any{map[string]any{"Type": resType, "Id": resID, "Partition": "aws", "Region": w.region}},
		"Compliance":    map[string]any{"Status": "FAILED", "SecurityControlId": control, "AssociatedStandards": []any{map[string]any{"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"}}},
		"WorkflowState": "NEW", "Workflow": map[string]any{"Status": "NEW"}, "RecordState": "ACTIVE",
		"FindingProviderFields": map[string]any{"Severity": map[string]any{"Label": sev, "Original": sev}, "Types": []string{"Software and Configuration Checks/Industry and Regulatory Standards"}},
	}
}

// gdFinding is a GuardDuty finding in the GetFindings shape.
func (w *world) gdFinding(typ, title, desc string, sev float64, resource map[string]any, action map[string]any, first, last time.Time, count int) map[string]any {
	id := w.hex(32)
	det := "d2c4b8e6f0a13579bdf2468ace013579"
	return map[string]any{
		"AccountId": w.account, "Arn": fmt.Sprintf("arn:aws:guardduty:%s:%s:detector/%s/finding/%s", w.region, w.account, det, id),
		"CreatedAt": first.UTC().Format("2006-01-02T15:04:05.000Z"), "Description": desc, "Id": id, "Partition": "aws", "Region": w.region,
		"Resource": resource, "SchemaVersion": "2.0",
		"Service":  map[string]any{"Action": action, "Archived": false, "Count": count, "DetectorId": det, "EventFirstSeen": first.UTC().Format("2006-01-02T15:04:05.000Z"), "EventLastSeen": last.UTC().Format("2006-01-02T15:04:05.000Z"), "ResourceRole": "TARGET", "ServiceName": "guardduty"},
		"Severity": sev, "Title": title, "Type": typ, "UpdatedAt": last.UTC().Format("2006-01-02T15:04:05.000Z"),
	}
}
