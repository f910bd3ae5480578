// Command gen writes the sixth set of held-out incidents: snapshot
// directories in the fa2-snapshot/1 format plus a truth.json each. It is
// deterministic: every incident draws from its own seeded source.
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
	"runtime"
	"sort"
	"strings"
	"time"
)

// inc accumulates one incident's telemetry before it is written.
type inc struct {
	name, region, account string
	start, end            time.Time
	title, arch           string
	r                     *rand.Rand

	logs    map[string][]logEvent
	trail   []map[string]any
	metrics []metricFile
	alarms  []map[string]any
	history []map[string]any
	traces  []map[string]any
	alb     map[string][]albLine // load balancer id → lines
	truth   map[string]any
}

type logEvent struct {
	t      time.Time
	stream string
	msg    string
}

type albLine struct {
	t    time.Time
	line string
}

type metricFile struct {
	Namespace  string
	MetricName string
	Dimensions []dim
	Label      string
	Datapoints []datapoint
}

type dim struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
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

func newInc(name string, seed int64, region, account string, start, end time.Time, title, arch string) *inc {
	return &inc{name: name, region: region, account: account, start: start, end: end, title: title, arch: arch,
		r: rand.New(rand.NewSource(seed)), logs: map[string][]logEvent{}, alb: map[string][]albLine{}}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func (i *inc) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for k := range b {
		b[k] = h[i.r.Intn(16)]
	}
	return string(b)
}

func (i *inc) alnum(n int) string {
	const a = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for k := range b {
		b[k] = a[i.r.Intn(len(a))]
	}
	return string(b)
}

func (i *inc) upper(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	for k := range b {
		b[k] = a[i.r.Intn(len(a))]
	}
	return string(b)
}

func (i *inc) uuid() string {
	return i.hex(8) + "-" + i.hex(4) + "-4" + i.hex(3) + "-" + "89ab"[i.r.Intn(4):][:1] + i.hex(3) + "-" + i.hex(12)
}

func (i *inc) pick(xs ...string) string { return xs[i.r.Intn(len(xs))] }

// jitter returns t plus a uniform random offset in [0, d).
func (i *inc) jitter(t time.Time, d time.Duration) time.Time {
	return t.Add(time.Duration(i.r.Int63n(int64(d))))
}

func (i *inc) log(group, stream string, t time.Time, msg string) {
	i.logs[group] = append(i.logs[group], logEvent{t: t, stream: stream, msg: msg})
}

// everyMinute calls f for each minute of the window.
func (i *inc) everyMinute(f func(m time.Time)) {
	for m := i.start; m.Before(i.end); m = m.Add(time.Minute) {
		f(m)
	}
}

// ---- CloudTrail ----

type who map[string]any

func (i *inc) role(account, roleName, session string) who {
	pid := "AROA" + i.upper(17)
	return who{
		"type":        "AssumedRole",
		"principalId": pid + ":" + session,
		"arn":         fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, roleName, session),
		"accountId":   account,
		"accessKeyId": "ASIA" + i.upper(16),
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": pid,
				"arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", account, roleName), "accountId": account, "userName": roleName},
			"attributes": map[string]any{"creationDate": "", "mfaAuthenticated": "false"},
		},
	}
}

// sso is a person through IAM Identity Center.
func (i *inc) sso(permSet, email string) who {
	return i.role(i.account, "aws-reserved/sso.amazonaws.com/AWSReservedSSO_"+permSet+"_"+i.hex(16), email)
}

func service(principal string) who {
	return who{"type": "AWSService", "invokedBy": principal}
}

type ev struct {
	t         time.Time
	who       who
	source    string
	name      string
	req, resp any
	readOnly  bool
	ip, agent string
	errCode   string
	errMsg    string
	evType    string
	extra     map[string]any
}

func (i *inc) ct(e ev) {
	id := map[string]any{}
	for k, v := range e.who {
		id[k] = v
	}
	if sc, ok := id["sessionContext"].(map[string]any); ok {
		// a copy with the session's creation time shortly before the call
		attrs := map[string]any{"creationDate": e.t.Add(-time.Duration(5+i.r.Intn(50)) * time.Minute).Format("2006-01-02T15:04:05Z"), "mfaAuthenticated": "false"}
		id["sessionContext"] = map[string]any{"sessionIssuer": sc["sessionIssuer"], "attributes": attrs}
	}
	ip, agent := e.ip, e.agent
	if inv, ok := e.who["invokedBy"].(string); ok && ip == "" {
		ip, agent = inv, inv
	}
	if ip == "" {
		ip = fmt.Sprintf("10.%d.%d.%d", 20+i.r.Intn(3), i.r.Intn(255), 1+i.r.Intn(250))
	}
	if agent == "" {
		agent = "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.24.4 md/GOOS#linux md/GOARCH#amd64 api/" + strings.Split(e.source, ".")[0] + "#1.44.0"
	}
	region := i.region
	if e.source == "iam.amazonaws.com" || e.source == "signin.amazonaws.com" {
		region = "us-east-1"
	}
	evType := e.evType
	if evType == "" {
		evType = "AwsApiCall"
	}
	acct := i.account
	rec := map[string]any{
		"eventVersion":       "1.11",
		"userIdentity":       id,
		"eventTime":          e.t.UTC().Format("2006-01-02T15:04:05Z"),
		"eventSource":        e.source,
		"eventName":          e.name,
		"awsRegion":          region,
		"sourceIPAddress":    ip,
		"userAgent":          agent,
		"requestParameters":  e.req,
		"responseElements":   e.resp,
		"requestID":          i.uuid(),
		"eventID":            i.uuid(),
		"readOnly":           e.readOnly,
		"eventType":          evType,
		"managementEvent":    true,
		"recipientAccountId": acct,
		"eventCategory":      "Management",
	}
	if e.errCode != "" {
		rec["errorCode"] = e.errCode
		rec["errorMessage"] = e.errMsg
	}
	if evType == "AwsApiCall" {
		rec["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
			"clientProvidedHostHeader": strings.Split(e.source, ".")[0] + "." + region + ".amazonaws.com"}
	}
	for k, v := range e.extra {
		rec[k] = v
	}
	i.trail = append(i.trail, rec)
}

// noise adds the account's routine CloudTrail: monitoring reads, service
// role assumptions, log streams, SSM heartbeats, CI image pushes, console
// logins and KMS/Secrets reads, spread over the window.
type noiseCfg struct {
	lambdaRoles []string // execution roles of the workload's functions
	taskRoles   []string // ECS task roles
	ecrRepos    []string
	secrets     []string
	perMinute   int
}

func (i *inc) noise(c noiseCfg) {
	dd := i.role(i.account, "DatadogIntegrationRole", "DatadogAWSIntegration")
	ci := i.role(i.account, "github-actions-deploy", "GitHubActions")
	ssm := i.role(i.account, "ec2-ssm-core", "i-0"+i.hex(16))
	human := i.sso("ReadOnlyAccess", "j.lindqvist@northwind-retail.com")
	reads := []struct{ src, name string }{
		{"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "DescribeVolumes"},
		{"ec2.amazonaws.com", "DescribeSecurityGroups"}, {"rds.amazonaws.com", "DescribeDBInstances"},
		{"lambda.amazonaws.com", "ListFunctions20150331"}, {"monitoring.amazonaws.com", "GetMetricData"},
		{"monitoring.amazonaws.com", "ListMetrics"}, {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers"},
		{"elasticloadbalancing.amazonaws.com", "DescribeTargetHealth"}, {"tagging.amazonaws.com", "GetResources"},
		{"ecs.amazonaws.com", "ListClusters"}, {"ecs.amazonaws.com", "DescribeServices"},
		{"kinesis.amazonaws.com", "ListStreams"}, {"states.amazonaws.com", "ListStateMachines"},
	}
	per := c.perMinute
	if per == 0 {
		per = 3
	}
	i.everyMinute(func(m time.Time) {
		for k := 0; k < per+i.r.Intn(3); k++ {
			rd := reads[i.r.Intn(len(reads))]
			i.ct(ev{t: i.jitter(m, time.Minute), who: dd, source: rd.src, name: rd.name, readOnly: true,
				ip: "44.196." + fmt.Sprint(i.r.Intn(255)) + "." + fmt.Sprint(i.r.Intn(255)), agent: "Datadog",
				req: map[string]any{"maxResults": 100}})
		}
		// service role sessions
		if i.r.Intn(2) == 0 && len(c.lambdaRoles) > 0 {
			rn := c.lambdaRoles[i.r.Intn(len(c.lambdaRoles))]
			t := i.jitter(m, time.Minute)
			i.ct(ev{t: t, who: service("lambda.amazonaws.com"), source: "sts.amazonaws.com", name: "AssumeRole", readOnly: true,
				req:  map[string]any{"roleArn": "arn:aws:iam::" + i.account + ":role/" + rn, "roleSessionName": rn + "-" + i.hex(6)},
				resp: map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + i.upper(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + i.alnum(12), "expiration": t.Add(12 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}})
			i.ct(ev{t: t.Add(900 * time.Millisecond), who: i.role(i.account, rn, rn), source: "logs.amazonaws.com", name: "CreateLogStream",
				req: map[string]any{"logGroupName": "/aws/lambda/" + strings.TrimSuffix(rn, "-role"), "logStreamName": t.Format("2006/01/02") + "/[$LATEST]" + i.hex(32)}})
		}
		if i.r.Intn(3) == 0 && len(c.taskRoles) > 0 {
			rn := c.taskRoles[i.r.Intn(len(c.taskRoles))]
			t := i.jitter(m, time.Minute)
			i.ct(ev{t: t, who: service("ecs-tasks.amazonaws.com"), source: "sts.amazonaws.com", name: "AssumeRole", readOnly: true,
				req: map[string]any{"roleArn": "arn:aws:iam::" + i.account + ":role/" + rn, "roleSessionName": i.hex(32)}})
		}
		if i.r.Intn(4) == 0 {
			i.ct(ev{t: i.jitter(m, time.Minute), who: ssm, source: "ssm.amazonaws.com", name: "UpdateInstanceInformation",
				agent: "aws-sdk-go/1.55.6 (go1.23.4; linux; amd64) amazon-ssm-agent/3.3.1957.0",
				req:   map[string]any{"instanceId": "i-0" + i.hex(16), "agentVersion": "3.3.1957.0", "agentStatus": "Active", "platformType": "Linux"}})
		}
		if i.r.Intn(3) == 0 && len(c.secrets) > 0 {
			rn := c.taskRoles
			if len(rn) == 0 {
				rn = c.lambdaRoles
			}
			w := i.role(i.account, rn[i.r.Intn(len(rn))], i.hex(32))
			sec := c.secrets[i.r.Intn(len(c.secrets))]
			t := i.jitter(m, time.Minute)
			i.ct(ev{t: t, who: w, source: "secretsmanager.amazonaws.com", name: "GetSecretValue", readOnly: true,
				req: map[string]any{"secretId": sec}})
			i.ct(ev{t: t.Add(40 * time.Millisecond), who: service("secretsmanager.amazonaws.com"), source: "kms.amazonaws.com", name: "Decrypt", readOnly: true,
				req: map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"SecretARN": "arn:aws:secretsmanager:" + i.region + ":" + i.account + ":secret:" + sec + "-" + i.alnum(6)}}})
		}
		// a person browsing the console now and then
		if i.r.Intn(9) == 0 {
			i.ct(ev{t: i.jitter(m, time.Minute), who: human, source: "monitoring.amazonaws.com", name: i.pick("DescribeAlarms", "GetMetricData", "DescribeAlarmHistory"), readOnly: true,
				ip: "81.226.14.77", agent: "AWS Internal", req: map[string]any{"maxRecords": 100}})
		}
	})
	// CI image pushes every ~25 minutes
	for t := i.start.Add(time.Duration(3+i.r.Intn(10)) * time.Minute); t.Before(i.end); t = t.Add(time.Duration(18+i.r.Intn(15)) * time.Minute) {
		if len(c.ecrRepos) == 0 {
			break
		}
		repo := c.ecrRepos[i.r.Intn(len(c.ecrRepos))]
		i.ct(ev{t: t, who: who{"type": "WebIdentityUser", "principalId": "arn:aws:iam::" + i.account + ":oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:northwind/" + repo + ":ref:refs/heads/main", "userName": "repo:northwind/" + repo + ":ref:refs/heads/main", "identityProvider": "arn:aws:iam::" + i.account + ":oidc-provider/token.actions.githubusercontent.com"},
			source: "sts.amazonaws.com", name: "AssumeRoleWithWebIdentity", readOnly: true, ip: "20.55.14.201", agent: "aws-sdk-js/3.701.0",
			req: map[string]any{"roleArn": "arn:aws:iam::" + i.account + ":role/github-actions-deploy", "roleSessionName": "GitHubActions"}})
		digest := "sha256:" + i.hex(64)
		steps := []string{"GetAuthorizationToken", "BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "PutImage"}
		for k, s := range steps {
			ro := s == "GetAuthorizationToken" || s == "BatchCheckLayerAvailability"
			req := map[string]any{"repositoryName": repo, "registryId": i.account}
			if s == "PutImage" {
				req["imageTag"] = i.hex(7)
				req["imageManifestMediaType"] = "application/vnd.oci.image.manifest.v1+json"
			}
			i.ct(ev{t: t.Add(time.Duration(2+k*3) * time.Second), who: ci, source: "ecr.amazonaws.com", name: s, readOnly: ro, ip: "20.55.14.201",
				agent: "docker/27.3.1 go/go1.22.7 git-commit/41ca978 kernel/6.5.0-1025-azure os/linux arch/amd64", req: req,
				resp: map[string]any{"image": map[string]any{"imageId": map[string]any{"imageDigest": digest}}}})
		}
	}
	// two console logins
	for k := 0; k < 2; k++ {
		t := i.jitter(i.start, i.end.Sub(i.start))
		u := i.pick("j.lindqvist@northwind-retail.com", "a.mensah@northwind-retail.com", "r.tanaka@northwind-retail.com")
		i.ct(ev{t: t, who: i.sso(i.pick("ReadOnlyAccess", "PowerUserAccess"), u), source: "signin.amazonaws.com", name: "ConsoleLogin",
			evType: "AwsConsoleSignIn", ip: "81.226.14." + fmt.Sprint(10+i.r.Intn(200)), agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
			resp: map[string]any{"ConsoleLogin": "Success"}, extra: map[string]any{"additionalEventData": map[string]any{"MobileVersion": "No", "MFAUsed": "No"}}})
	}
}

// ---- metrics ----

// metric adds a one-minute series; f returns the per-minute sum and the
// number of samples (avg = sum / n, min/max spread around it).
func (i *inc) metric(ns, name, unit string, dims []dim, f func(m time.Time) (sum, n float64)) {
	mf := metricFile{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	i.everyMinute(func(m time.Time) {
		s, n := f(m)
		if n <= 0 {
			return // no datapoint this minute
		}
		avg := s / n
		mn, mx := avg, avg
		if n > 1 {
			mn = avg * (0.4 + 0.5*i.r.Float64())
			mx = avg * (1.3 + i.r.Float64())
		}
		mf.Datapoints = append(mf.Datapoints, datapoint{Timestamp: m.Format("2006-01-02T15:04:05Z"), SampleCount: n,
			Average: round(avg), Sum: round(s), Minimum: round(mn), Maximum: round(mx), Unit: unit})
	})
	i.metrics = append(i.metrics, mf)
}

// gauge is a metric whose every statistic is the same value (one sample).
func (i *inc) gauge(ns, name, unit string, dims []dim, f func(m time.Time) float64) {
	i.metric(ns, name, unit, dims, func(m time.Time) (float64, float64) { return f(m), 1 })
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }

func dims(kv ...string) []dim {
	var d []dim
	for k := 0; k+1 < len(kv); k += 2 {
		d = append(d, dim{kv[k], kv[k+1]})
	}
	return d
}

// noisy returns base scaled by a small random wobble.
func (i *inc) noisy(base, spread float64) float64 {
	return math.Max(0, base*(1+spread*(2*i.r.Float64()-1)))
}

// poisson draws a small count with mean lambda.
func (i *inc) poisson(lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*i.r.NormFloat64()))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= i.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// ---- alarms ----

type alarmSpec struct {
	name, desc, ns, metric, stat, cmp, unit string
	dims                                    []dim
	threshold                               float64
	period, evalPeriods, datapoints         int
	fired                                   time.Time
	value                                   float64
	actions                                 []string
}

func (i *inc) alarm(a alarmSpec) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", i.region, i.account, a.name)
	cmpWord := map[string]string{"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to", "LessThanThreshold": "less than"}[a.cmp]
	last := a.fired.Truncate(time.Minute).Add(-time.Duration(a.period) * time.Second)
	reason := fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%g (%s)] was %s the threshold (%g) (minimum %d datapoint for OK -> ALARM transition).",
		a.datapoints, a.evalPeriods, a.value, last.Format("02/01/06 15:04:05"), cmpWord, a.threshold, a.datapoints)
	reasonData := fmt.Sprintf(`{"version":"1.0","queryDate":"%s","startDate":"%s","statistic":"%s","period":%d,"recentDatapoints":[%g],"threshold":%g,"evaluatedDatapoints":[{"timestamp":"%s","sampleCount":1.0,"value":%g}]}`,
		a.fired.Format("2006-01-02T15:04:05.000+0000"), last.Format("2006-01-02T15:04:05.000+0000"), a.stat, a.period, a.value, a.threshold, last.Format("2006-01-02T15:04:05.000+0000"), a.value)
	i.alarms = append(i.alarms, map[string]any{
		"AlarmName": a.name, "AlarmArn": arn, "AlarmDescription": a.desc,
		"AlarmConfigurationUpdatedTimestamp": a.fired.Add(-41 * 24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"ActionsEnabled":                     true, "OKActions": []string{}, "AlarmActions": a.actions, "InsufficientDataActions": []string{},
		"StateValue": "ALARM", "StateReason": reason, "StateReasonData": reasonData,
		"StateUpdatedTimestamp": a.fired.Format("2006-01-02T15:04:05.000Z"), "StateTransitionedTimestamp": a.fired.Format("2006-01-02T15:04:05.000Z"),
		"MetricName": a.metric, "Namespace": a.ns, "Statistic": a.stat, "Dimensions": a.dims, "Period": a.period, "Unit": a.unit,
		"EvaluationPeriods": a.evalPeriods, "DatapointsToAlarm": a.datapoints, "Threshold": a.threshold,
		"ComparisonOperator": a.cmp, "TreatMissingData": "missing",
	})
	hd, _ := json.Marshal(map[string]any{"version": "1.0",
		"oldState": map[string]any{"stateValue": "OK", "stateReason": fmt.Sprintf("Threshold Crossed: %d datapoints were not %s the threshold (%g).", a.evalPeriods, cmpWord, a.threshold)},
		"newState": map[string]any{"stateValue": "ALARM", "stateReason": reason, "stateReasonData": json.RawMessage(reasonData)}})
	i.history = append(i.history, map[string]any{"AlarmName": a.name, "AlarmType": "MetricAlarm", "Timestamp": a.fired.Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": string(hd)})
}

// okHistory records an earlier, resolved flap of an alarm.
func (i *inc) flap(name string, at time.Time, back time.Duration) {
	for _, s := range []struct {
		t        time.Time
		from, to string
	}{{at, "OK", "ALARM"}, {at.Add(back), "ALARM", "OK"}} {
		hd, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": s.from}, "newState": map[string]any{"stateValue": s.to}})
		i.history = append(i.history, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": s.t.Format("2006-01-02T15:04:05.000Z"),
			"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from " + s.from + " to " + s.to, "HistoryData": string(hd)})
	}
}

// ---- X-Ray ----

func (i *inc) traceID(t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), i.hex(24))
}

func epoch(t time.Time) float64 { return float64(t.UnixNano()/1e3) / 1e6 }

// trace adds a trace of one segment (with subsegments) and returns its id.
func (i *inc) trace(t time.Time, seg map[string]any, extra ...map[string]any) string {
	id := i.traceID(t)
	seg["trace_id"] = id
	if _, ok := seg["id"]; !ok {
		seg["id"] = i.hex(16)
	}
	var segs []map[string]any
	var dur float64
	for _, s := range append([]map[string]any{seg}, extra...) {
		s["trace_id"] = id
		if _, ok := s["id"]; !ok {
			s["id"] = i.hex(16)
		}
		doc, _ := json.Marshal(s)
		segs = append(segs, map[string]any{"Id": s["id"], "Document": string(doc)})
		if d := s["end_time"].(float64) - seg["start_time"].(float64); d > dur {
			dur = d
		}
	}
	i.traces = append(i.traces, map[string]any{"Id": id, "Duration": round(dur), "LimitExceeded": false, "Segments": segs})
	return id
}

func (i *inc) sub(name, ns string, start time.Time, d time.Duration, fields map[string]any) map[string]any {
	s := map[string]any{"id": i.hex(16), "name": name, "start_time": epoch(start), "end_time": epoch(start.Add(d))}
	if ns != "" {
		s["namespace"] = ns
	}
	for k, v := range fields {
		s[k] = v
	}
	return s
}

// ---- ALB ----

func (i *inc) albLog(lbID string, reqStart time.Time, client, target string, reqT, tgtT, respT float64, elb, tgt int, rx, tx int, request, ua, tgARN, traceID, domain, certARN string, actions, errReason string) {
	tgtField, tgtStatus, tStr := target, fmt.Sprint(tgt), fmt.Sprintf("%.3f", tgtT)
	if target == "" {
		tgtField, tgtStatus, tStr = "-", "-", "-1"
	}
	end := reqStart.Add(time.Duration((reqT + math.Max(tgtT, 0) + respT) * float64(time.Second)))
	line := fmt.Sprintf(`https %s %s %s %s %.3f %s %.3f %d %s %d %d "%s" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 %s "Root=%s" "%s" "%s" 0 %s "%s" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		end.Format("2006-01-02T15:04:05.000000Z"), lbID, client, tgtField, reqT, tStr, respT, elb, tgtStatus, rx, tx, request, ua, tgARN,
		strings.TrimPrefix(traceID, ""), domain, certARN, reqStart.Format("2006-01-02T15:04:05.000000Z"), actions, errReason, tgtField, tgtStatus, i.hex(32))
	i.alb[lbID] = append(i.alb[lbID], albLine{t: end, line: line})
}

// ---- writing ----

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func writeJSON(path string, v any, zip bool) {
	b, err := json.MarshalIndent(v, "", " ")
	must(err)
	b = append(b, '\n')
	if zip {
		b = gz(b)
		path += ".gz"
	}
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	must(os.WriteFile(path, b, 0o644))
}

func (i *inc) write(root string) {
	dir := filepath.Join(root, i.name)
	must(os.RemoveAll(dir))
	must(os.MkdirAll(dir, 0o755))
	writeJSON(filepath.Join(dir, "manifest.json"), map[string]any{"format": "fa2-snapshot/1", "region": i.region,
		"window": map[string]string{"start": i.start.Format(time.RFC3339), "end": i.end.Format(time.RFC3339)},
		"title":  i.title, "architecture": i.arch}, false)

	groups := make([]string, 0, len(i.logs))
	for g := range i.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, group := range groups {
		evs := i.logs[group]
		sort.SliceStable(evs, func(a, b int) bool { return evs[a].t.Before(evs[b].t) })
		var buf bytes.Buffer
		for _, e := range evs {
			line, _ := json.Marshal(map[string]any{"timestamp": e.t.UnixMilli(), "message": e.msg, "logStreamName": e.stream,
				"ingestionTime": e.t.Add(time.Duration(300+i.r.Intn(1500)) * time.Millisecond).UnixMilli(), "eventId": fmt.Sprintf("%d", e.t.UnixMilli()) + i.hex(12)})
			buf.Write(line)
			buf.WriteByte('\n')
		}
		p := filepath.Join(dir, "logs", url.PathEscape(group)+".jsonl.gz")
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, gz(buf.Bytes()), 0o644))
	}

	// CloudTrail: one delivery file per 15 minutes, records in time order
	sort.SliceStable(i.trail, func(a, b int) bool { return i.trail[a]["eventTime"].(string) < i.trail[b]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	for _, rec := range i.trail {
		t := ts(rec["eventTime"].(string)).Truncate(15 * time.Minute)
		k := rec["recipientAccountId"].(string) + "_CloudTrail_" + rec["awsRegion"].(string) + "_" + t.Add(15*time.Minute).Format("20060102T1504Z")
		files[k] = append(files[k], rec)
	}
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		writeJSON(filepath.Join(dir, "cloudtrail", fmt.Sprintf("%s_%s.json", k, i.alnum(16))), map[string]any{"Records": files[k]}, true)
	}

	for _, m := range i.metrics {
		name := m.Namespace + "_" + m.MetricName
		for _, d := range m.Dimensions {
			name += "_" + d.Value
		}
		name = strings.NewReplacer("/", "-", ":", "-", " ", "-", "$", "").Replace(name)
		writeJSON(filepath.Join(dir, "metrics", name+".json"), m, true)
	}
	if len(i.alarms) > 0 {
		writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": i.alarms, "CompositeAlarms": []any{}}, false)
		sort.SliceStable(i.history, func(a, b int) bool { return i.history[a]["Timestamp"].(string) > i.history[b]["Timestamp"].(string) })
		writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": i.history}, false)
	}
	if len(i.traces) > 0 {
		sort.SliceStable(i.traces, func(a, b int) bool { return i.traces[a]["Id"].(string) < i.traces[b]["Id"].(string) })
		for k := 0; k < len(i.traces); k += 100 {
			e := min(k+100, len(i.traces))
			writeJSON(filepath.Join(dir, "xray", fmt.Sprintf("traces-%03d.json", k/100)), map[string]any{"Traces": i.traces[k:e], "UnprocessedTraceIds": []string{}}, true)
		}
	}
	lbs := make([]string, 0, len(i.alb))
	for lb := range i.alb {
		lbs = append(lbs, lb)
	}
	sort.Strings(lbs)
	for _, lb := range lbs {
		lines := i.alb[lb]
		sort.SliceStable(lines, func(a, b int) bool { return lines[a].t.Before(lines[b].t) })
		byFile := map[time.Time][]string{}
		for _, l := range lines {
			k := l.t.Truncate(5 * time.Minute)
			byFile[k] = append(byFile[k], l.line)
		}
		fkeys := make([]time.Time, 0, len(byFile))
		for k := range byFile {
			fkeys = append(fkeys, k)
		}
		sort.Slice(fkeys, func(a, b int) bool { return fkeys[a].Before(fkeys[b]) })
		for _, k := range fkeys {
			ls := byFile[k]
			p := filepath.Join(dir, "alb", fmt.Sprintf("%s_elasticloadbalancing_%s_%s_%s_%d.%d.%d.%d_%s.log.gz", i.account, i.region,
				strings.ReplaceAll(lb, "/", "."), k.Add(5*time.Minute).Format("20060102T1504Z"), 10+i.r.Intn(200), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255), i.alnum(8)))
			must(os.MkdirAll(filepath.Dir(p), 0o755))
			must(os.WriteFile(p, gz([]byte(strings.Join(ls, "\n")+"\n")), 0o644))
		}
	}
	i.truth["name"] = i.name
	writeJSON(filepath.Join(dir, "truth.json"), i.truth, false)
}

func change(name string, t time.Time) map[string]any {
	return map[string]any{"event_name": name, "event_time": t.Format(time.RFC3339)}
}

func main() {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	for _, build := range []func() *inc{natRouteDeleted, lambdaLayerImport, sfnBadDefinition, kinesisScaleDown, iamTrustDropped, rdsStorageFull} {
		i := build()
		if i == nil {
			continue
		}
		i.write(root)
		fmt.Printf("%s: %d trail records, %d log groups, %d metrics, %d traces\n", i.name, len(i.trail), len(i.logs), len(i.metrics), len(i.traces))
	}
}
