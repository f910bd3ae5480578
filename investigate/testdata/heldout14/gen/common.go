// Command gen writes the heldout14 incidents: six snapshots in the
// fa2-snapshot/1 format, each with a truth.json. Every incident is seeded
// so the output is reproducible: go run ./investigate/testdata/heldout14/gen
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const acct = "418295730614"

var outRoot = "investigate/testdata/heldout14"

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

type decoy struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
}

type rootCause struct {
	EventName string    `json:"event_name"`
	EventTime time.Time `json:"event_time"`
	Resource  string    `json:"resource"`
}

type truthFile struct {
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	Alarm     string     `json:"alarm"`
	RootCause *rootCause `json:"root_cause,omitempty"`
	NoChange  bool       `json:"no_change,omitempty"`
	Onset     time.Time  `json:"onset"`
	Decoys    []decoy    `json:"decoys"`
	Signals   []string   `json:"signals"`
}

// inc accumulates one incident's telemetry.
type inc struct {
	name, title, arch string
	rng               *rand.Rand
	start, end, onset time.Time
	logs              map[string][]logEvent
	metrics           []metric
	records           []map[string]any
	alarms            []map[string]any
	history           []map[string]any
	alb               []string
	traces            []map[string]any
	truth             truthFile
}

func newInc(name string, seed int64, onset time.Time, before, after time.Duration) *inc {
	return &inc{name: name, rng: rand.New(rand.NewSource(seed)), onset: onset,
		start: onset.Add(-before).Truncate(time.Minute), end: onset.Add(after).Truncate(time.Minute),
		logs: map[string][]logEvent{}}
}

func (x *inc) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[x.rng.Intn(16)]
	}
	return string(b)
}

func (x *inc) uuid() string {
	return x.hex(8) + "-" + x.hex(4) + "-4" + x.hex(3) + "-a" + x.hex(3) + "-" + x.hex(12)
}

func (x *inc) upper(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[x.rng.Intn(len(a))]
	}
	return string(b)
}

// jitter returns a time within the minute m.
func (x *inc) in(m time.Time) time.Time {
	return m.Add(time.Duration(x.rng.Intn(59000)) * time.Millisecond)
}

func (x *inc) log(group, stream string, t time.Time, msg string) {
	x.logs[group] = append(x.logs[group], logEvent{Timestamp: t.UnixMilli(), Message: msg, LogStreamName: stream,
		IngestionTime: t.Add(time.Duration(300+x.rng.Intn(2500)) * time.Millisecond).UnixMilli()})
}

// minutes calls f for every minute of the window.
func (x *inc) minutes(f func(m time.Time)) {
	for m := x.start; m.Before(x.end); m = m.Add(time.Minute) {
		f(m)
	}
}

// series adds a per-minute metric; f returns the minute's samples' sum,
// average, min, max and sample count.
func (x *inc) series(ns, name, unit string, dims []dim, f func(m time.Time) (sum, avg, min, max, n float64)) {
	mt := metric{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	x.minutes(func(m time.Time) {
		s, a, lo, hi, n := f(m)
		if n <= 0 {
			return
		}
		mt.Datapoints = append(mt.Datapoints, datapoint{Timestamp: m.Format(time.RFC3339), SampleCount: n, Average: r2(a), Sum: r2(s), Minimum: r2(lo), Maximum: r2(hi), Unit: unit})
	})
	x.metrics = append(x.metrics, mt)
}

// count is a Count metric where every sample is 1 per event (Sum = n).
func (x *inc) count(ns, name string, dims []dim, f func(m time.Time) float64) {
	x.series(ns, name, "Count", dims, func(m time.Time) (float64, float64, float64, float64, float64) {
		v := f(m)
		if v < 0 {
			v = 0
		}
		return v, v, v, v, 1
	})
}

// gauge is a per-minute value reported once (SampleCount 1).
func (x *inc) gauge(ns, name, unit string, dims []dim, f func(m time.Time) (avg, max float64)) {
	x.series(ns, name, unit, dims, func(m time.Time) (float64, float64, float64, float64, float64) {
		a, hi := f(m)
		return a, a, a * 0.8, hi, 1
	})
}

func r2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

func (x *inc) noisef(base float64) float64 { return base * (0.85 + 0.3*x.rng.Float64()) }

type who struct {
	typ, arn, principal, session, agent, ip, invokedBy string
}

func role(name, session, agent, ip string) who {
	return who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/" + name + "/" + session,
		principal: "AROA" + strings.ToUpper(fmt.Sprintf("%x", len(name)*7919))[:4] + "Q7XK2M4PZ9:" + session, session: name, agent: agent, ip: ip}
}

func service(svc string) who {
	return who{typ: "AWSService", invokedBy: svc, ip: svc, agent: svc}
}

func (x *inc) ct(t time.Time, w who, source, event string, readOnly bool, req, resp any) map[string]any {
	ui := map[string]any{"type": w.typ}
	if w.typ == "AWSService" {
		ui["invokedBy"] = w.invokedBy
	} else {
		ui["principalId"] = w.principal
		ui["arn"] = w.arn
		ui["accountId"] = acct
		ui["accessKeyId"] = "ASIA" + x.upper(16)
		if w.typ == "AssumedRole" {
			ui["sessionContext"] = map[string]any{
				"sessionIssuer": map[string]any{"type": "Role", "principalId": strings.Split(w.principal, ":")[0],
					"arn": "arn:aws:iam::" + acct + ":role/" + w.session, "accountId": acct, "userName": w.session},
				"attributes": map[string]any{"creationDate": t.Add(-17 * time.Minute).UTC().Format(time.RFC3339), "mfaAuthenticated": "false"}}
		}
	}
	r := map[string]any{
		"eventVersion": "1.09", "userIdentity": ui, "eventTime": t.UTC().Format(time.RFC3339),
		"eventSource": source, "eventName": event, "awsRegion": "us-east-1",
		"sourceIPAddress": w.ip, "userAgent": w.agent, "requestParameters": req, "responseElements": resp,
		"requestID": x.uuid(), "eventID": x.uuid(), "readOnly": readOnly, "eventType": "AwsApiCall",
		"managementEvent": true, "recipientAccountId": acct, "eventCategory": "Management",
	}
	if w.invokedBy != "" && w.typ != "AWSService" {
		ui["invokedBy"] = w.invokedBy
	}
	if !strings.HasPrefix(w.ip, "10.") && w.typ != "AWSService" && !strings.Contains(w.ip, "amazonaws") {
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": strings.Split(source, ".")[0] + ".us-east-1.amazonaws.com"}
	}
	x.records = append(x.records, r)
	return r
}

var (
	ciAgent      = "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ecr#1.32.0"
	consoleAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	cliAgent     = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1019-aws md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#"
)

// noise adds routine CloudTrail traffic: reads by monitoring and
// Terraform plans, console sessions, CI image pushes to the services' own
// repositories, log stream creation, role assumptions.
func (x *inc) noise(repos []string, n int) {
	span := x.end.Sub(x.start)
	at := func() time.Time { return x.start.Add(time.Duration(x.rng.Int63n(int64(span)))) }
	readers := []who{
		role("datadog-integration", "DatadogAWSIntegration", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)", "44.192.28.17"),
		role("terraform-plan", "GitHubActions", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 aws-sdk-go-v2/1.32.5", "20.57.79.4"),
		role("AWSReservedSSO_ReadOnly_5d1c2e8a9b3f4c71", "priya.natarajan@example.com", consoleAgent, "198.51.100.23"),
	}
	reads := []struct{ src, ev string }{
		{"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "DescribeSecurityGroups"}, {"ec2.amazonaws.com", "DescribeSubnets"},
		{"ec2.amazonaws.com", "DescribeNetworkInterfaces"}, {"lambda.amazonaws.com", "ListFunctions20150331"}, {"lambda.amazonaws.com", "GetFunction20150331v2"},
		{"monitoring.amazonaws.com", "DescribeAlarms"}, {"logs.amazonaws.com", "DescribeLogGroups"}, {"dynamodb.amazonaws.com", "DescribeTable"},
		{"elasticloadbalancing.amazonaws.com", "DescribeTargetHealth"}, {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers"},
		{"iam.amazonaws.com", "GetRole"}, {"s3.amazonaws.com", "GetBucketPolicy"}, {"ecs.amazonaws.com", "DescribeServices"},
		{"kms.amazonaws.com", "DescribeKey"}, {"ssm.amazonaws.com", "GetParameter"}, {"tagging.amazonaws.com", "GetResources"},
		{"autoscaling.amazonaws.com", "DescribeAutoScalingGroups"}, {"apigateway.amazonaws.com", "GetRestApis"},
	}
	for i := 0; i < n; i++ {
		r := reads[x.rng.Intn(len(reads))]
		w := readers[x.rng.Intn(len(readers))]
		x.ct(at(), w, r.src, r.ev, true, map[string]any{}, nil)
	}
	// KMS Decrypt and STS by services.
	for i := 0; i < n/4; i++ {
		x.ct(at(), service("ecs-tasks.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", true,
			map[string]any{"roleArn": "arn:aws:iam::" + acct + ":role/ecs-task-" + repos[x.rng.Intn(len(repos))], "roleSessionName": x.hex(32)},
			map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + x.upper(16), "expiration": "Dec 2, 2026, 11:00:00 AM"}})
	}
	// CI pushes images to the services' own repositories.
	ci := role("github-actions-ecr-push", "GitHubActions", ciAgent, "4.227.14.210")
	for i := 0; i < 4; i++ {
		t := at()
		repo := repos[x.rng.Intn(len(repos))]
		x.ct(t, ci, "ecr.amazonaws.com", "InitiateLayerUpload", false, map[string]any{"registryId": acct, "repositoryName": repo}, map[string]any{"uploadId": x.uuid(), "partSize": 10485760})
		x.ct(t.Add(9*time.Second), ci, "ecr.amazonaws.com", "CompleteLayerUpload", false, map[string]any{"registryId": acct, "repositoryName": repo, "layerDigests": []string{"sha256:" + x.hex(64)}}, map[string]any{"registryId": acct, "repositoryName": repo})
		x.ct(t.Add(12*time.Second), ci, "ecr.amazonaws.com", "PutImage", false,
			map[string]any{"registryId": acct, "repositoryName": repo, "imageTag": "sha-" + x.hex(7)},
			map[string]any{"image": map[string]any{"registryId": acct, "repositoryName": repo, "imageId": map[string]any{"imageDigest": "sha256:" + x.hex(64), "imageTag": "sha-" + x.hex(7)}}})
	}
	// Console logins.
	for _, u := range []string{"priya.natarajan@example.com", "marcus.oyelaran@example.com"} {
		t := at()
		r := x.ct(t, who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21/" + u, principal: "AROAXK3M2Q7PZ9L1WQ8RT:" + u, session: "AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21", agent: consoleAgent, ip: "198.51.100." + fmt.Sprint(20+x.rng.Intn(30))},
			"signin.amazonaws.com", "ConsoleLogin", false, nil, map[string]any{"ConsoleLogin": "Success"})
		r["eventType"] = "AwsConsoleSignIn"
		r["additionalEventData"] = map[string]any{"MobileVersion": "No", "MFAUsed": "No"}
		r["eventCategory"] = "Management"
	}
	// Log streams created by running services.
	for i := 0; i < n/6; i++ {
		x.ct(at(), service("lambda.amazonaws.com"), "logs.amazonaws.com", "CreateLogStream", false,
			map[string]any{"logGroupName": "/aws/lambda/" + repos[x.rng.Intn(len(repos))], "logStreamName": x.start.Format("2006/01/02") + "/[$LATEST]" + x.hex(32)}, nil)
	}
}

func (x *inc) alarm(name, ns, metricName string, dims []dim, stat string, threshold float64, op string, fired time.Time, reason string) {
	arn := "arn:aws:cloudwatch:us-east-1:" + acct + ":alarm:" + name
	x.alarms = append(x.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": "Pages the on-call of " + x.name,
		"ActionsEnabled": true, "AlarmActions": []string{"arn:aws:sns:us-east-1:" + acct + ":oncall-pager"},
		"StateValue": "ALARM", "StateReason": reason,
		"StateUpdatedTimestamp": fired.UTC().Format("2006-01-02T15:04:05.000Z"), "StateTransitionedTimestamp": fired.UTC().Format("2006-01-02T15:04:05.000Z"),
		"MetricName": metricName, "Namespace": ns, "Statistic": stat, "Dimensions": dims, "Period": 60, "EvaluationPeriods": 3, "DatapointsToAlarm": 3,
		"Threshold": threshold, "ComparisonOperator": op, "TreatMissingData": "notBreaching",
	})
	hd, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK"}, "newState": map[string]any{"stateValue": "ALARM", "stateReason": reason}})
	x.history = append(x.history, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": fired.UTC().Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": string(hd)})
	x.truth.Alarm = name
}

// quiet adds an alarm that stays OK (part of the account's alarm set).
func (x *inc) quiet(name, ns, metricName string, dims []dim) {
	x.alarms = append(x.alarms, map[string]any{"AlarmName": name, "AlarmArn": "arn:aws:cloudwatch:us-east-1:" + acct + ":alarm:" + name,
		"StateValue": "OK", "StateReason": "Threshold Crossed: 3 datapoints were not greater than the threshold.",
		"StateUpdatedTimestamp": x.start.Add(-72 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"MetricName":            metricName, "Namespace": ns, "Statistic": "Sum", "Dimensions": dims, "Period": 60, "EvaluationPeriods": 3, "Threshold": 10, "ComparisonOperator": "GreaterThanThreshold"})
}

func writeGz(path string, data []byte) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.ModTime = time.Unix(0, 0)
	zw.Write(data)
	zw.Close()
	must(os.WriteFile(path+".gz", b.Bytes(), 0o644))
}

func writeJSON(path string, v any, gz bool) {
	data, err := json.MarshalIndent(v, "", " ")
	must(err)
	if gz {
		writeGz(path, data)
		return
	}
	must(os.WriteFile(path, append(data, '\n'), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func (x *inc) write() {
	dir := filepath.Join(outRoot, x.name)
	must(os.RemoveAll(dir))
	for _, d := range []string{"logs", "metrics", "cloudtrail", "alb", "xray"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	writeJSON(filepath.Join(dir, "manifest.json"), map[string]any{"format": "fa2-snapshot/1", "region": "us-east-1",
		"window": map[string]string{"start": x.start.Format(time.RFC3339), "end": x.end.Format(time.RFC3339)}, "title": x.title, "architecture": x.arch}, false)
	for g, evs := range x.logs {
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
		var b bytes.Buffer
		for _, e := range evs {
			line, _ := json.Marshal(e)
			b.Write(line)
			b.WriteByte('\n')
		}
		writeGz(filepath.Join(dir, "logs", url.PathEscape(g)+".jsonl"), b.Bytes())
	}
	for i, m := range x.metrics {
		var parts []string
		for _, d := range m.Dimensions {
			parts = append(parts, d.Value)
		}
		fn := fmt.Sprintf("%02d_%s_%s_%s.json", i, strings.ReplaceAll(m.Namespace, "/", "-"), m.MetricName, strings.Join(parts, "_"))
		fn = strings.NewReplacer("/", "-", ":", "-", " ", "").Replace(fn)
		writeJSON(filepath.Join(dir, "metrics", fn), m, false)
	}
	sort.SliceStable(x.records, func(i, j int) bool { return x.records[i]["eventTime"].(string) < x.records[j]["eventTime"].(string) })
	// CloudTrail delivers roughly every 5 minutes, one file per delivery.
	byFile := map[string][]map[string]any{}
	for _, r := range x.records {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		slot := t.Truncate(5 * time.Minute).Add(5 * time.Minute)
		key := slot.Format("20060102T1504Z")
		byFile[key] = append(byFile[key], r)
	}
	keys := make([]string, 0, len(byFile))
	for k := range byFile {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		recs := byFile[key]
		data, _ := json.Marshal(map[string]any{"Records": recs})
		writeGz(filepath.Join(dir, "cloudtrail", acct+"_CloudTrail_us-east-1_"+key+"_"+x.upper(16)+".json"), data)
	}
	if len(x.alarms) > 0 {
		writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": x.alarms, "CompositeAlarms": []any{}}, false)
		writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": x.history}, false)
	}
	if len(x.alb) > 0 {
		sort.Strings(x.alb)
		writeGz(filepath.Join(dir, "alb", acct+"_elasticloadbalancing_us-east-1_"+x.name+".log"), []byte(strings.Join(x.alb, "\n")+"\n"))
	}
	if len(x.traces) > 0 {
		writeJSON(filepath.Join(dir, "xray", "traces.json"), map[string]any{"Traces": x.traces}, true)
	}
	x.truth.Name = x.name
	writeJSON(filepath.Join(dir, "truth.json"), x.truth, false)
	for _, d := range []string{"alb", "xray"} {
		os.Remove(filepath.Join(dir, d)) // only removes empty dirs
	}
}

func main() {
	for _, f := range []func() *inc{lambdaVPC, albCert, ddbMax, natPorts, esmBatch, apigwPolicy} {
		x := f()
		x.write()
		fmt.Println("wrote", x.name)
	}
}
