// Command gen writes the heldout10 incidents: six fa2-snapshot/1
// directories with a truth.json each, deterministic per incident seed.
//
//	go run ./investigate/testdata/heldout10/gen
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

func main() {
	out := "investigate/testdata/heldout10"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	for _, inc := range []struct {
		name string
		seed int64
		fn   func(*snap)
	}{
		{"cognito-client-scope-dropped", 1001, cognito},
		{"apigw-prod-deploy-bad-vpclink", 1002, apigw},
		{"pg-instance-resized-down", 1003, dbResize},
		{"ddb-stream-disabled-stale-search", 1004, ddbStream},
		{"partner-cert-expired", 1005, partnerCert},
		{"asg-refresh-bad-launch-template", 1006, asgRefresh},
	} {
		s := &snap{name: inc.name, dir: filepath.Join(out, inc.name), rng: rand.New(rand.NewSource(inc.seed)),
			logs: map[string][]logEvent{}}
		inc.fn(s)
		if err := s.write(); err != nil {
			fmt.Fprintln(os.Stderr, inc.name, err)
			os.Exit(1)
		}
	}
}

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

type metric struct {
	Namespace  string      `json:"Namespace"`
	MetricName string      `json:"MetricName"`
	Dimensions []dim       `json:"Dimensions"`
	Label      string      `json:"Label"`
	Datapoints []datapoint `json:"Datapoints"`
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

type rootCause struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
	Resource  string    `json:"resource"`
}

type decoy struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
}

// snap accumulates one incident's telemetry and writes it in the
// fa2-snapshot/1 layout.
type snap struct {
	name, dir       string
	rng             *rand.Rand
	region, account string
	title, arch     string
	start, end      time.Time
	logs            map[string][]logEvent
	metrics         []metric
	records         []map[string]any
	alb             map[string][]albEntry // load balancer id -> lines
	traces          []map[string]any
	alarms          []map[string]any
	history         []map[string]any
	truth           truth
}

type albEntry struct {
	t    time.Time
	line string
}

func (s *snap) setup(region, account string, start time.Time, minutes int, title, arch string) {
	s.region, s.account, s.start, s.end = region, account, start, start.Add(time.Duration(minutes)*time.Minute)
	s.title, s.arch = title, arch
	s.alb = map[string][]albEntry{}
}

// minutes calls f for every minute of the window.
func (s *snap) minutes(f func(m time.Time)) {
	for m := s.start; m.Before(s.end); m = m.Add(time.Minute) {
		f(m)
	}
}

// at returns a random instant inside minute m.
func (s *snap) at(m time.Time) time.Time {
	return m.Add(time.Duration(s.rng.Int63n(int64(time.Minute))))
}

func (s *snap) log(group, stream string, t time.Time, msg string) {
	ms := t.UnixMilli()
	s.logs[group] = append(s.logs[group], logEvent{ms, msg, stream, ms + 200 + s.rng.Int63n(1800)})
}

func (s *snap) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[s.rng.Intn(16)]
	}
	return string(b)
}

func (s *snap) alnum(n int) string {
	const h = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[s.rng.Intn(len(h))]
	}
	return string(b)
}

func (s *snap) uuid() string {
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-" + "89ab"[s.rng.Intn(4):][:1] + s.hex(3) + "-" + s.hex(12)
}

func (s *snap) traceID(t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24))
}

func (s *snap) pick(xs ...string) string { return xs[s.rng.Intn(len(xs))] }

func (s *snap) jitter(v, frac float64) float64 { return v * (1 + frac*(2*s.rng.Float64()-1)) }

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// --- metrics ---

// series adds one metric with a datapoint per minute from f; f returns ok=false for a gap.
// samples is the SampleCount per minute used for Sum/Average consistency.
func (s *snap) series(ns, name, unit string, dims []dim, f func(m time.Time) (avg, samples float64, ok bool)) {
	mt := metric{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	s.minutes(func(m time.Time) {
		avg, n, ok := f(m)
		if !ok {
			return
		}
		if n <= 0 {
			n = 1
		}
		spread := math.Abs(avg) * 0.3
		mt.Datapoints = append(mt.Datapoints, datapoint{Timestamp: m.Format(time.RFC3339), SampleCount: n, Average: round(avg),
			Sum: round(avg * n), Minimum: round(math.Max(0, avg-spread*s.rng.Float64())), Maximum: round(avg + spread*s.rng.Float64()), Unit: unit})
	})
	s.metrics = append(s.metrics, mt)
}

// counter adds a count metric (Sum per minute).
func (s *snap) counter(ns, name string, dims []dim, f func(m time.Time) (float64, bool)) {
	mt := metric{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	s.minutes(func(m time.Time) {
		v, ok := f(m)
		if !ok {
			return
		}
		v = math.Round(v)
		if v < 0 {
			v = 0
		}
		mt.Datapoints = append(mt.Datapoints, datapoint{Timestamp: m.Format(time.RFC3339), SampleCount: math.Max(v, 1), Average: 1,
			Sum: v, Minimum: 1, Maximum: 1, Unit: "Count"})
		if v == 0 {
			mt.Datapoints[len(mt.Datapoints)-1].Average = 0
			mt.Datapoints[len(mt.Datapoints)-1].Minimum = 0
			mt.Datapoints[len(mt.Datapoints)-1].Maximum = 0
		}
	})
	s.metrics = append(s.metrics, mt)
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// --- alarms ---

// alarm records one metric alarm that went OK -> ALARM at fired.
func (s *snap) alarm(name, ns, metricName, stat string, dims []dim, threshold float64, op string, evals int, fired time.Time, reason string) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, name)
	ts := fired.Format("2006-01-02T15:04:05.000Z")
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": "Managed by terraform (monitoring stack)",
		"AlarmConfigurationUpdatedTimestamp": s.start.Add(-30 * 24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"ActionsEnabled":                     true, "OKActions": []string{}, "InsufficientDataActions": []string{},
		"AlarmActions": []string{fmt.Sprintf("arn:aws:sns:%s:%s:oncall-pager", s.region, s.account)},
		"StateValue":   "ALARM", "StateReason": reason,
		"StateReasonData":            js(map[string]any{"version": "1.0", "queryDate": ts, "statistic": stat, "period": 60, "threshold": threshold}),
		"StateUpdatedTimestamp":      ts,
		"StateTransitionedTimestamp": ts,
		"MetricName":                 metricName, "Namespace": ns, "Statistic": stat, "Dimensions": dims,
		"Period": 60, "EvaluationPeriods": evals, "DatapointsToAlarm": evals, "Threshold": threshold,
		"ComparisonOperator": op, "TreatMissingData": "missing",
	})
	s.history = append(s.history, map[string]any{
		"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": ts, "HistoryItemType": "StateUpdate",
		"HistorySummary": "Alarm updated from OK to ALARM",
		"HistoryData": js(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed: no datapoints were breaching."},
			"newState": map[string]any{"stateValue": "ALARM", "stateReason": reason}}),
	})
}

// okAlarm adds an alarm that stays OK (context the engine must not chase).
func (s *snap) okAlarm(name, ns, metricName string, dims []dim, threshold float64) {
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, name),
		"ActionsEnabled": true, "StateValue": "OK", "StateReason": "Threshold Crossed: 1 out of the last 1 datapoints was not greater than the threshold.",
		"StateUpdatedTimestamp": s.start.Add(-6 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"MetricName":            metricName, "Namespace": ns, "Statistic": "Average", "Dimensions": dims, "Period": 300,
		"EvaluationPeriods": 1, "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing",
	})
}

// --- CloudTrail ---

type principal struct {
	kind      string // AssumedRole, IAMUser, AWSService, Root
	role      string // role name for AssumedRole
	session   string
	user      string
	invokedBy string
	ip, ua    string
	roleID    string
	keyID     string
}

func (s *snap) role(role, session, ip, ua string) principal {
	return principal{kind: "AssumedRole", role: role, session: session, ip: ip, ua: ua,
		roleID: "AROA" + s.alnum(17), keyID: "ASIA" + s.alnum(16)}
}

func (s *snap) service(svc string) principal {
	return principal{kind: "AWSService", invokedBy: svc, ip: svc, ua: svc}
}

func (s *snap) identity(p principal, t time.Time) map[string]any {
	switch p.kind {
	case "AWSService":
		return map[string]any{"type": "AWSService", "invokedBy": p.invokedBy}
	case "IAMUser":
		return map[string]any{"type": "IAMUser", "principalId": "AIDA" + s.alnum(17), "arn": fmt.Sprintf("arn:aws:iam::%s:user/%s", s.account, p.user),
			"accountId": s.account, "accessKeyId": "AKIA" + s.alnum(16), "userName": p.user}
	}
	return map[string]any{
		"type": "AssumedRole", "principalId": p.roleID + ":" + p.session,
		"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.account, p.role, p.session),
		"accountId": s.account, "accessKeyId": p.keyID,
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]any{"type": "Role", "principalId": p.roleID, "arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, roleArnPath(p.role)), "accountId": s.account, "userName": p.role},
			"attributes":    map[string]any{"creationDate": t.Add(-time.Duration(5+s.rng.Intn(50)) * time.Minute).UTC().Format("2006-01-02T15:04:05Z"), "mfaAuthenticated": "false"},
		},
	}
}

func roleArnPath(role string) string {
	if strings.HasPrefix(role, "AWSReservedSSO_") {
		return "aws-reserved/sso.amazonaws.com/" + role
	}
	return role
}

// ct appends one CloudTrail management event.
func (s *snap) ct(t time.Time, p principal, source, name string, readOnly bool, req, resp any, resources ...map[string]any) map[string]any {
	r := map[string]any{
		"eventVersion": "1.10", "userIdentity": s.identity(p, t), "eventTime": t.UTC().Format("2006-01-02T15:04:05Z"),
		"eventSource": source, "eventName": name, "awsRegion": s.region, "sourceIPAddress": p.ip, "userAgent": p.ua,
		"requestParameters": req, "responseElements": resp, "requestID": s.uuid(), "eventID": s.uuid(),
		"readOnly": readOnly, "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": s.account,
		"eventCategory": "Management",
	}
	if p.kind != "AWSService" {
		host := strings.TrimSuffix(source, ".amazonaws.com") + "." + s.region + ".amazonaws.com"
		if source == "iam.amazonaws.com" || source == "sts.amazonaws.com" && false {
			host = source
		}
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}
	}
	if p.ua == "AWS Internal" || strings.Contains(p.ua, "Mozilla") {
		r["sessionCredentialFromConsole"] = "true"
	}
	if len(resources) > 0 {
		r["resources"] = resources
	}
	s.records = append(s.records, r)
	return r
}

// noise adds routine CloudTrail traffic: reads, role assumptions, log
// streams, image pushes, console logins, SSM heartbeats.
func (s *snap) noise(n int, roles []string, buckets []string) {
	ci := s.role("github-actions-deployer", "GitHubActions", "4.208.26."+fmt.Sprint(10+s.rng.Intn(200)), "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#ecr.put-image")
	graf := s.role("grafana-cloudwatch-read", "grafana", "34.89.12.77", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)")
	dd := s.role("DatadogIntegrationRole", "DatadogAWSIntegration", "3.233.147.19", "Datadog")
	cfg := s.service("config.amazonaws.com")
	for i := 0; i < n; i++ {
		t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
		role := roles[s.rng.Intn(len(roles))]
		switch k := s.rng.Intn(20); {
		case k < 4:
			s.ct(t, s.service("ecs-tasks.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", true,
				map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, role), "roleSessionName": s.hex(32)},
				map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + s.alnum(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + s.alnum(40), "expiration": t.Add(6 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}})
		case k < 7:
			p := s.role(role, s.hex(32), "10.0."+fmt.Sprint(s.rng.Intn(30))+"."+fmt.Sprint(s.rng.Intn(250)), "aws-sdk-java/2.28.11 Linux/5.10.227-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS")
			s.ct(t, p, "logs.amazonaws.com", "CreateLogStream", false,
				map[string]any{"logGroupName": "/ecs/" + role, "logStreamName": "ecs/app/" + s.hex(32)}, nil)
		case k < 10:
			s.ct(t, graf, "monitoring.amazonaws.com", s.pick("GetMetricData", "DescribeAlarms", "ListMetrics"), true,
				map[string]any{"startTime": t.Add(-3 * time.Hour).Format(time.RFC3339), "endTime": t.Format(time.RFC3339)}, nil)
		case k < 12:
			s.ct(t, dd, s.pick("ec2.amazonaws.com", "elasticloadbalancing.amazonaws.com", "tag.amazonaws.com"), s.pick("DescribeInstances", "DescribeTargetHealth", "GetResources", "DescribeLoadBalancers"), true,
				map[string]any{"maxResults": 1000}, nil)
		case k < 13:
			repo := strings.TrimSuffix(strings.TrimSuffix(roles[s.rng.Intn(2)], "-task"), "-ec2")
			s.ct(t, ci, "ecr.amazonaws.com", "PutImage", false,
				map[string]any{"repositoryName": repo, "imageTag": "sha-" + s.hex(7), "registryId": s.account},
				map[string]any{"image": map[string]any{"repositoryName": repo, "registryId": s.account, "imageId": map[string]any{"imageDigest": "sha256:" + s.hex(64), "imageTag": "sha-" + s.hex(7)}}})
		case k < 14:
			s.ct(t, s.role("AWSReservedSSO_ReadOnly_"+s.hex(16), s.pick("tomasz.wojcik@", "mei.lin@", "d.okafor@")+"corp-example.com", "198.51.100."+fmt.Sprint(s.rng.Intn(250)), "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
				"signin.amazonaws.com", "GetSigninToken", false, nil, map[string]any{"GetSigninToken": "Success"})
		case k < 16:
			s.ct(t, s.role(role, "i-0"+s.hex(16), "10.0.12."+fmt.Sprint(s.rng.Intn(250)), "aws-sdk-go-v2/1.32.4 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/ssm#1.55.4"),
				"ssm.amazonaws.com", s.pick("GetParameters", "GetParameter"), true,
				map[string]any{"names": []string{"/" + strings.TrimSuffix(role, "-task") + "/config"}, "withDecryption": true}, nil)
		case k < 18:
			s.ct(t, s.role(role, s.hex(32), "10.0.9."+fmt.Sprint(s.rng.Intn(250)), "aws-sdk-java/2.28.11"), "kms.amazonaws.com", s.pick("Decrypt", "GenerateDataKey"), true,
				map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "keyId": fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", s.region, s.account, s.uuid())}, nil)
		case k < 19:
			b := buckets[s.rng.Intn(len(buckets))]
			s.ct(t, cfg, "s3.amazonaws.com", s.pick("GetBucketAcl", "GetBucketPolicy", "GetBucketEncryption"), true,
				map[string]any{"bucketName": b, "Host": b + ".s3." + s.region + ".amazonaws.com"}, nil)
		default:
			s.ct(t, s.role("AWSReservedSSO_ReadOnly_"+s.hex(16), "oncall@corp-example.com", "198.51.100.23", "AWS Internal"),
				s.pick("cloudtrail.amazonaws.com", "logs.amazonaws.com", "ecs.amazonaws.com"), s.pick("LookupEvents", "DescribeLogGroups", "DescribeServices", "ListTasks"), true,
				map[string]any{"maxResults": 50}, nil)
		}
	}
}

// --- ALB ---

type albReq struct {
	t                    time.Time
	client, target       string
	reqT, tgtT, respT    float64
	elb, tgt             int
	rcvd, sent           int
	method, url, ua      string
	actions, errorReason string
}

func (s *snap) albLog(lb, tgARN, domain, certARN string, r albReq) {
	targ, tcode, tlist, tstat := r.target, fmt.Sprint(r.tgt), `"`+r.target+`"`, `"`+fmt.Sprint(r.tgt)+`"`
	tt := fmt.Sprintf("%.3f", r.tgtT)
	if r.tgtT < 0 {
		tt = "-1"
	}
	if r.tgt == 0 {
		tcode = "-"
		tstat = `"-"`
		if r.target == "" {
			targ, tlist = "-", `"-"`
			tt = "-1"
		}
	}
	if r.actions == "" {
		r.actions = "forward"
	}
	if r.errorReason == "" {
		r.errorReason = "-"
	}
	created := r.t.Add(-time.Duration((r.reqT+r.tgtT+r.respT)*1e9) - 3*time.Millisecond)
	line := fmt.Sprintf(`https %s %s %s %s %.3f %s %.3f %d %s %d %d "%s %s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "Root=%s" "%s" "%s" 0 %s "%s" "-" "%s" %s %s "-" "-" TID_%s`,
		r.t.UTC().Format("2006-01-02T15:04:05.000000Z"), lb, r.client, targ, r.reqT, tt, r.respT, r.elb, tcode, r.rcvd, r.sent,
		r.method, r.url, r.ua, tgARN, s.traceID(r.t), domain, certARN, created.UTC().Format("2006-01-02T15:04:05.000000Z"),
		r.actions, r.errorReason, tlist, tstat, s.hex(32))
	s.alb[lb] = append(s.alb[lb], albEntry{r.t, line})
}

func (s *snap) clientIP() string {
	return fmt.Sprintf("%d.%d.%d.%d:%d", 60+s.rng.Intn(140), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(253), 1024+s.rng.Intn(60000))
}

var browserUAs = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
}

func (s *snap) browser() string { return browserUAs[s.rng.Intn(len(browserUAs))] }

// --- X-Ray ---

func (s *snap) trace(t time.Time, dur float64, segs ...map[string]any) {
	id := s.traceID(t)
	var out []map[string]any
	for _, seg := range segs {
		seg["trace_id"] = id
		if _, ok := seg["id"]; !ok {
			seg["id"] = s.hex(16)
		}
		if _, ok := seg["start_time"]; !ok {
			seg["start_time"] = float64(t.UnixMicro()) / 1e6
			seg["end_time"] = float64(t.UnixMicro())/1e6 + dur
		}
		out = append(out, map[string]any{"Id": seg["id"], "Document": js(seg)})
	}
	s.traces = append(s.traces, map[string]any{"Id": id, "Duration": dur, "LimitExceeded": false, "Segments": out})
}

// --- writing ---

func (s *snap) write() error {
	if err := os.RemoveAll(s.dir); err != nil {
		return err
	}
	for _, d := range []string{"logs", "metrics", "cloudtrail", "alb", "xray"} {
		if err := os.MkdirAll(filepath.Join(s.dir, d), 0o755); err != nil {
			return err
		}
	}
	if err := writeJSON(filepath.Join(s.dir, "manifest.json"), map[string]any{"format": "fa2-snapshot/1", "region": s.region,
		"window": map[string]any{"start": s.start.Format(time.RFC3339), "end": s.end.Format(time.RFC3339)}, "title": s.title, "architecture": s.arch}); err != nil {
		return err
	}
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
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		if err := writeGz(filepath.Join(s.dir, "logs", url.PathEscape(g)+".jsonl.gz"), b.Bytes()); err != nil {
			return err
		}
	}
	for _, m := range s.metrics {
		name := m.Namespace + "_" + m.MetricName
		for _, d := range m.Dimensions {
			name += "_" + d.Value
		}
		name = strings.NewReplacer("/", "-", ":", "-", " ", "-").Replace(name)
		if err := writeJSON(filepath.Join(s.dir, "metrics", name+".json"), m); err != nil {
			return err
		}
	}
	if err := writeJSON(filepath.Join(s.dir, "alarms.json"), map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(s.dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": s.history}); err != nil {
		return err
	}
	// CloudTrail: one delivery file per 5 minutes, records in arrival order.
	sort.SliceStable(s.records, func(i, j int) bool { return s.records[i]["eventTime"].(string) < s.records[j]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	for _, r := range s.records {
		t, _ := time.Parse("2006-01-02T15:04:05Z", r["eventTime"].(string))
		k := t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
		files[k] = append(files[k], r)
	}
	for _, k := range sortedKeys(files) {
		rs := files[k]
		b, _ := json.Marshal(map[string]any{"Records": rs})
		fn := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", s.account, s.region, k, s.alnum(16))
		if err := writeGz(filepath.Join(s.dir, "cloudtrail", fn), b); err != nil {
			return err
		}
	}
	for _, lb := range sortedKeys(s.alb) {
		entries := s.alb[lb]
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].t.Before(entries[j].t) })
		parts := map[string]*bytes.Buffer{}
		for _, e := range entries {
			k := e.t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
			if parts[k] == nil {
				parts[k] = &bytes.Buffer{}
			}
			parts[k].WriteString(e.line + "\n")
		}
		for _, k := range sortedKeys(parts) {
			b := parts[k]
			fn := fmt.Sprintf("%s_elasticloadbalancing_%s_%s_%s_10.0.1.%d_%s.log.gz", s.account, s.region, strings.ReplaceAll(lb, "/", "."), k, 10+len(k)%200, strings.ToLower(s.alnum(8)))
			if err := writeGz(filepath.Join(s.dir, "alb", fn), b.Bytes()); err != nil {
				return err
			}
		}
	}
	if len(s.traces) > 0 {
		b, _ := json.Marshal(map[string]any{"Traces": s.traces})
		if err := writeGz(filepath.Join(s.dir, "xray", "traces.json.gz"), b); err != nil {
			return err
		}
	}
	for _, d := range []string{"alb", "xray"} {
		if es, _ := os.ReadDir(filepath.Join(s.dir, d)); len(es) == 0 {
			os.Remove(filepath.Join(s.dir, d))
		}
	}
	s.truth.Name = s.name
	b, _ := json.MarshalIndent(s.truth, "", "  ")
	return os.WriteFile(filepath.Join(s.dir, "truth.json"), append(b, '\n'), 0o644)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeGz(path string, data []byte) error {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.ModTime = time.Time{}
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
