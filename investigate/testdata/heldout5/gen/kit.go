// Command gen writes the fifth held-out incident set: six snapshot
// directories in the fa2-snapshot/1 format, each with a truth.json, written
// from AWS's documented shapes by an author who did not read the engine.
// The output is deterministic: every incident seeds its own generator.
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

// X accumulates one incident's telemetry before it is written.
type X struct {
	name, dir, region, acct string
	t0, t1                  time.Time
	r                       *rand.Rand
	logs                    map[string][]logEv
	metrics                 []map[string]any
	trail                   []map[string]any
	alarms, hist            []map[string]any
	traces                  []map[string]any
	alb                     map[string][]albLine // load balancer id ("app.name.hex") -> lines
	albRegion               map[string]string
	manifest                map[string]any
	truth                   map[string]any
}

type logEv struct {
	ts     time.Time
	msg    string
	stream string
}

type albLine struct {
	t    time.Time
	line string
}

func newX(base, name, region, acct string, t0 time.Time, minutes int, seed int64) *X {
	return &X{name: name, dir: filepath.Join(base, name), region: region, acct: acct, t0: t0,
		t1: t0.Add(time.Duration(minutes) * time.Minute), r: rand.New(rand.NewSource(seed)),
		logs: map[string][]logEv{}, alb: map[string][]albLine{}, albRegion: map[string]string{}}
}

func (x *X) at(hhmmss string) time.Time {
	t, err := time.Parse("15:04:05", hhmmss)
	if err != nil {
		panic(err)
	}
	return time.Date(x.t0.Year(), x.t0.Month(), x.t0.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func (x *X) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[x.r.Intn(16)]
	}
	return string(b)
}

func (x *X) alnum(n int) string {
	const h = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[x.r.Intn(len(h))]
	}
	return string(b)
}

func (x *X) upper(n int) string {
	const h = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[x.r.Intn(len(h))]
	}
	return string(b)
}

func (x *X) uuid() string {
	return x.hex(8) + "-" + x.hex(4) + "-4" + x.hex(3) + "-a" + x.hex(3) + "-" + x.hex(12)
}

func (x *X) pick(s ...string) string { return s[x.r.Intn(len(s))] }

func (x *X) ip() string {
	return fmt.Sprintf("%d.%d.%d.%d", 3+x.r.Intn(200), x.r.Intn(256), x.r.Intn(256), 1+x.r.Intn(254))
}

func (x *X) privIP() string {
	return fmt.Sprintf("10.%d.%d.%d", x.r.Intn(4), x.r.Intn(256), 1+x.r.Intn(254))
}

// each calls f at random instants whose rate (per minute) may vary in time.
func (x *X) each(from, to time.Time, perMin func(time.Time) float64, f func(time.Time)) {
	for t := from; t.Before(to); t = t.Add(time.Second) {
		p := perMin(t) / 60
		for p > 0 {
			if x.r.Float64() < math.Min(p, 1) {
				f(t.Add(time.Duration(x.r.Intn(1000)) * time.Millisecond))
			}
			p--
		}
	}
}

func flat(v float64) func(time.Time) float64 { return func(time.Time) float64 { return v } }

// step is a rate that is a before the instant and b from it on.
func step(at time.Time, a, b float64) func(time.Time) float64 {
	return func(t time.Time) float64 {
		if t.Before(at) {
			return a
		}
		return b
	}
}

func (x *X) log(group, stream string, t time.Time, msg string) {
	x.logs[group] = append(x.logs[group], logEv{t, msg, stream})
}

// noise writes routine lines at a steady rate into a group.
func (x *X) noise(group string, streams []string, perMin float64, lines ...func() string) {
	x.each(x.t0, x.t1, flat(perMin), func(t time.Time) {
		x.log(group, streams[x.r.Intn(len(streams))], t, lines[x.r.Intn(len(lines))]())
	})
}

// lambdaNoise writes START/END/REPORT triples for a function's invocations.
func (x *X) lambdaNoise(fn string, perMin func(time.Time) float64, dur func(time.Time) float64, body func(t time.Time, req string) []string) {
	group := "/aws/lambda/" + fn
	streams := []string{}
	for i := 0; i < 4; i++ {
		streams = append(streams, x.t0.Format("2006/01/02")+"/[$LATEST]"+x.hex(32))
	}
	x.each(x.t0, x.t1, perMin, func(t time.Time) {
		req := x.uuid()
		s := streams[x.r.Intn(len(streams))]
		d := dur(t) * (0.7 + 0.6*x.r.Float64())
		x.log(group, s, t, "START RequestId: "+req+" Version: $LATEST")
		for i, l := range body(t, req) {
			x.log(group, s, t.Add(time.Duration(i+1)*time.Millisecond), l)
		}
		end := t.Add(time.Duration(d) * time.Millisecond)
		x.log(group, s, end, "END RequestId: "+req)
		x.log(group, s, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", req, d, int(math.Ceil(d)), 90+x.r.Intn(40)))
	})
}

// ---- CloudTrail ----

func (x *X) role(role, session string) map[string]any {
	rid := "AROA" + x.upper(17)
	return map[string]any{"type": "AssumedRole", "principalId": rid + ":" + session,
		"arn": "arn:aws:sts::" + x.acct + ":assumed-role/" + role + "/" + session, "accountId": x.acct,
		"accessKeyId": "ASIA" + x.upper(16),
		"sessionContext": map[string]any{
			"sessionIssuer":       map[string]any{"type": "Role", "principalId": rid, "arn": "arn:aws:iam::" + x.acct + ":role/" + strings.TrimPrefix(role, "aws-reserved/sso.amazonaws.com/"), "accountId": x.acct, "userName": role[strings.LastIndex(role, "/")+1:]},
			"webIdFederationData": map[string]any{},
			"attributes":          map[string]any{"creationDate": x.t0.Add(-time.Duration(x.r.Intn(50)) * time.Minute).Format(time.RFC3339), "mfaAuthenticated": "false"}}}
}

func (x *X) sso(permset, email string) map[string]any {
	return x.role("AWSReservedSSO_"+permset+"_"+x.hex(16), email)
}

func (x *X) iamUser(name, key string) map[string]any {
	return map[string]any{"type": "IAMUser", "principalId": "AIDA" + x.upper(17), "arn": "arn:aws:iam::" + x.acct + ":user/" + name,
		"accountId": x.acct, "accessKeyId": key, "userName": name}
}

// ev appends a CloudTrail management event and returns it for extra fields.
func (x *X) ev(t time.Time, who map[string]any, source, name string, req, resp any, readOnly bool) map[string]any {
	region := x.region
	if source == "iam.amazonaws.com" || source == "route53.amazonaws.com" || source == "sts.amazonaws.com" && x.r.Intn(2) == 0 {
		region = "us-east-1"
	}
	ua := x.pick("aws-cli/2.17.41 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe command/"+strings.ToLower(name),
		"aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/"+strings.Split(source, ".")[0]+"#1.33.2",
		"Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144")
	if strings.HasPrefix(fmt.Sprint(who["arn"]), "arn:aws:sts::"+x.acct+":assumed-role/AWSReservedSSO") && !readOnly {
		ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	}
	if strings.Contains(fmt.Sprint(who["arn"]), "terraform") {
		ua = "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.62.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5"
	}
	endpoint := strings.Split(source, ".")[0] + "." + region + ".amazonaws.com"
	if source == "iam.amazonaws.com" || source == "route53.amazonaws.com" {
		endpoint = source
	}
	rec := map[string]any{"eventVersion": "1.10", "userIdentity": who, "eventTime": t.UTC().Format(time.RFC3339),
		"eventSource": source, "eventName": name, "awsRegion": region, "sourceIPAddress": x.ip(), "userAgent": ua,
		"requestParameters": req, "responseElements": resp, "requestID": x.uuid(), "eventID": x.uuid(),
		"readOnly": readOnly, "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": x.acct,
		"eventCategory": "Management",
		"tlsDetails":    map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": endpoint}}
	x.trail = append(x.trail, rec)
	return rec
}

// routineTrail adds the background every account has: monitoring and
// console reads, task roles fetching secrets and keys, CI deploys of other
// services, log streams created by Lambda, sessions assumed.
func (x *X) routineTrail(reads, writes int) {
	dd := x.role("DatadogIntegrationRole", "DatadogAWSIntegration")
	tfro := x.role("terraform-plan-readonly", "atlantis-plan")
	task := x.role("ecsTaskExecutionRole", x.hex(32))
	human := x.sso("ReadOnlyAccess", "maria.gonzalez@example.com")
	readers := []map[string]any{dd, tfro, task, human, dd, dd}
	type op struct{ src, name string }
	ops := []op{{"ec2.amazonaws.com", "DescribeInstances"}, {"ecs.amazonaws.com", "DescribeServices"}, {"ecs.amazonaws.com", "ListTasks"},
		{"monitoring.amazonaws.com", "DescribeAlarms"}, {"logs.amazonaws.com", "DescribeLogGroups"}, {"ssm.amazonaws.com", "GetParameters"},
		{"kms.amazonaws.com", "Decrypt"}, {"secretsmanager.amazonaws.com", "GetSecretValue"}, {"elasticloadbalancing.amazonaws.com", "DescribeTargetHealth"},
		{"autoscaling.amazonaws.com", "DescribeAutoScalingGroups"}, {"dynamodb.amazonaws.com", "DescribeTable"}, {"lambda.amazonaws.com", "ListFunctions20150331"},
		{"tagging.amazonaws.com", "GetResources"}, {"rds.amazonaws.com", "DescribeDBInstances"}, {"ec2.amazonaws.com", "DescribeSecurityGroups"},
		{"iam.amazonaws.com", "GetRole"}, {"s3.amazonaws.com", "GetBucketPolicy"}, {"ecr.amazonaws.com", "BatchGetImage"}}
	for i := 0; i < reads; i++ {
		o := ops[x.r.Intn(len(ops))]
		t := x.t0.Add(time.Duration(x.r.Int63n(int64(x.t1.Sub(x.t0)))))
		var req any
		switch o.name {
		case "GetParameters":
			req = map[string]any{"names": []string{"/prod/shared/feature-flags"}, "withDecryption": true}
		case "Decrypt":
			req = map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
		case "GetSecretValue":
			req = map[string]any{"secretId": "prod/shared/datadog-api-key"}
		case "DescribeAlarms":
			req = map[string]any{"maxRecords": 100}
		}
		x.ev(t, readers[x.r.Intn(len(readers))], o.src, o.name, req, nil, true)
	}
	ci := x.role("github-actions-deploy", "GitHubActions")
	lam := x.role("catalog-sync-lambda-role", "catalog-sync")
	for i := 0; i < writes; i++ {
		t := x.t0.Add(time.Duration(x.r.Int63n(int64(x.t1.Sub(x.t0)))))
		switch x.r.Intn(6) {
		case 0, 1:
			x.ev(t, lam, "logs.amazonaws.com", "CreateLogStream", map[string]any{"logGroupName": "/aws/lambda/catalog-sync", "logStreamName": t.Format("2006/01/02") + "/[$LATEST]" + x.hex(32)}, nil, false)
		case 2:
			x.ev(t, x.role("github-oidc-provider", "GitHubActions"), "sts.amazonaws.com", "AssumeRoleWithWebIdentity", map[string]any{"roleArn": "arn:aws:iam::" + x.acct + ":role/github-actions-deploy", "roleSessionName": "GitHubActions"}, map[string]any{"subjectFromWebIdentityToken": "repo:example-org/internal-tools:ref:refs/heads/main"}, true)
		case 3:
			x.ev(t, ci, "ecr.amazonaws.com", "PutImage", map[string]any{"repositoryName": "internal-tools", "imageTag": "sha-" + x.hex(7)}, nil, false)
		case 4:
			x.ev(t, dd, "sts.amazonaws.com", "AssumeRole", map[string]any{"roleArn": "arn:aws:iam::" + x.acct + ":role/DatadogIntegrationRole", "roleSessionName": "DatadogAWSIntegration", "externalId": x.hex(32)}, map[string]any{"assumedRoleUser": map[string]any{"assumedRoleId": "AROA" + x.upper(17) + ":DatadogAWSIntegration"}}, true)
		case 5:
			x.ev(t, x.role("AWSServiceRoleForECS", "ecs-service-scheduler"), "ec2.amazonaws.com", "CreateNetworkInterface", map[string]any{"subnetId": "subnet-0" + x.hex(16), "description": "arn:aws:ecs:" + x.region + ":" + x.acct + ":attachment/" + x.uuid()}, nil, false)
		}
	}
}

// ---- metrics ----

// metric writes a one-minute GetMetricStatistics series; f < 0 means no datapoint.
func (x *X) metric(ns, name, unit string, dims []string, f func(time.Time) float64) {
	var ds []map[string]any
	for i := 0; i+1 < len(dims); i += 2 {
		ds = append(ds, map[string]any{"Name": dims[i], "Value": dims[i+1]})
	}
	var pts []map[string]any
	for t := x.t0; t.Before(x.t1); t = t.Add(time.Minute) {
		v := f(t)
		if v < 0 {
			continue
		}
		p := map[string]any{"Timestamp": t.Format("2006-01-02T15:04:05+00:00"), "Unit": unit}
		if unit == "Count" {
			n := math.Max(math.Round(v), 0)
			sc := math.Max(n, 1)
			p["SampleCount"], p["Sum"], p["Average"], p["Minimum"], p["Maximum"] = sc, n, n/sc, math.Min(n, 1), math.Min(n, 1)
		} else {
			p["SampleCount"], p["Average"], p["Sum"], p["Minimum"], p["Maximum"] = 60.0, v, v*60, v*0.8, v*1.25
		}
		pts = append(pts, p)
	}
	x.metrics = append(x.metrics, map[string]any{"Namespace": ns, "MetricName": name, "Dimensions": ds, "Label": name, "Datapoints": pts})
}

// wobble is a value around v with a little noise, deterministic per minute.
func (x *X) wobble(v, frac float64) float64 { return v * (1 + frac*(2*x.r.Float64()-1)) }

// ---- alarms ----

func (x *X) alarm(name, desc, ns, metric, stat string, dims []string, threshold float64, op string, periods int, fired time.Time, reason string) {
	var ds []map[string]any
	for i := 0; i+1 < len(dims); i += 2 {
		ds = append(ds, map[string]any{"Name": dims[i], "Value": dims[i+1]})
	}
	state, upd := "OK", x.t0.Add(-26*time.Hour)
	sreason := fmt.Sprintf("Threshold Crossed: %d datapoints [%.1f, %.1f] were not %s the threshold (%.1f).", periods, threshold/4, threshold/5, strings.TrimSuffix(strings.TrimSuffix(op, "Threshold"), "OrEqualTo"), threshold)
	if !fired.IsZero() {
		state, upd, sreason = "ALARM", fired, reason
	}
	arn := "arn:aws:cloudwatch:" + x.region + ":" + x.acct + ":alarm:" + name
	x.alarms = append(x.alarms, map[string]any{"AlarmName": name, "AlarmArn": arn, "AlarmDescription": desc,
		"AlarmConfigurationUpdatedTimestamp": x.t0.Add(-40 * 24 * time.Hour).Format("2006-01-02T15:04:05.000000+00:00"),
		"ActionsEnabled":                     true, "OKActions": []string{"arn:aws:sns:" + x.region + ":" + x.acct + ":oncall-pager"},
		"AlarmActions": []string{"arn:aws:sns:" + x.region + ":" + x.acct + ":oncall-pager"}, "InsufficientDataActions": []string{},
		"StateValue": state, "StateReason": sreason, "StateUpdatedTimestamp": upd.Format("2006-01-02T15:04:05.000000+00:00"),
		"StateTransitionedTimestamp": upd.Format("2006-01-02T15:04:05.000000+00:00"),
		"MetricName":                 metric, "Namespace": ns, "Statistic": stat, "Dimensions": ds, "Period": 60,
		"EvaluationPeriods": periods, "DatapointsToAlarm": periods, "Threshold": threshold, "ComparisonOperator": op, "TreatMissingData": "notBreaching"})
	if !fired.IsZero() {
		data, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed: no datapoints were received for " + fmt.Sprint(periods) + " periods and " + fmt.Sprint(periods) + " missing datapoints were treated as [NonBreaching]."},
			"newState": map[string]any{"stateValue": "ALARM", "stateReason": reason, "stateReasonData": map[string]any{"version": "1.0", "queryDate": fired.Format("2006-01-02T15:04:05.000+0000"), "statistic": stat, "period": 60, "threshold": threshold, "evaluatedDatapoints": []any{}}}})
		x.hist = append(x.hist, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": fired.Format("2006-01-02T15:04:05.000000+00:00"),
			"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": string(data)})
	}
}

// ---- ALB ----

type req struct {
	t                     time.Time
	client, target        string
	reqT, tgtT, respT     float64
	elb, tgt              string // status codes; "-" when none
	method, url, ua, host string
	tg, actions, reason   string
	rcv, sent             int
}

func (x *X) albReq(lb, region string, q req) {
	x.albRegion[lb] = region
	created := q.t
	done := q.t.Add(time.Duration((math.Max(q.reqT, 0) + math.Max(q.tgtT, 0) + math.Max(q.respT, 0)) * float64(time.Second)))
	f := func(v float64) string {
		if v < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", v)
	}
	tlist, slist := "-", "-"
	if q.target != "-" {
		tlist, slist = q.target, q.tgt
	}
	if q.reason == "" {
		q.reason = "-"
	}
	tr := fmt.Sprintf("Root=1-%08x-%s", created.Unix(), x.hex(24))
	parts := strings.Split(lb, ".")
	line := fmt.Sprintf(`https %s app/%s/%s %s:%d %s %s %s %s %s %s %d %d "%s %s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "%s" "%s" "arn:aws:acm:%s:%s:certificate/%s" 0 %s "%s" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		done.Format("2006-01-02T15:04:05.000000Z"), parts[1], parts[2], q.client, 1024+x.r.Intn(60000), q.target, f(q.reqT), f(q.tgtT), f(q.respT),
		q.elb, q.tgt, q.rcv, q.sent, q.method, q.url, q.ua, q.tg, tr, q.host, region, x.acct, "5e1c7a2d-0b9e-4c3f-a8d1-"+x.hex(12),
		created.Format("2006-01-02T15:04:05.000000Z"), q.actions, q.reason, tlist, slist, x.hex(32))
	x.alb[lb] = append(x.alb[lb], albLine{done, line})
}

// ---- X-Ray ----

func (x *X) traceID(t time.Time) string { return fmt.Sprintf("1-%08x-%s", t.Unix(), x.hex(24)) }

func secs(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func (x *X) trace(id string, dur float64, docs ...map[string]any) {
	var segs []map[string]any
	for _, d := range docs {
		b, _ := json.Marshal(d)
		segs = append(segs, map[string]any{"Id": d["id"], "Document": string(b)})
	}
	x.traces = append(x.traces, map[string]any{"Id": id, "Duration": math.Round(dur*1000) / 1000, "LimitExceeded": false, "Segments": segs})
}

// ---- writing ----

func writeFile(path string, data []byte) {
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	if strings.HasSuffix(path, ".gz") {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.ModTime = time.Time{}
		_, err := w.Write(data)
		must(err)
		must(w.Close())
		data = b.Bytes()
	}
	must(os.WriteFile(path, data, 0o644))
}

func writeJSON(path string, v any) {
	b, err := json.MarshalIndent(v, "", " ")
	must(err)
	writeFile(path, append(b, '\n'))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func (x *X) write() {
	must(os.RemoveAll(x.dir))
	writeJSON(filepath.Join(x.dir, "manifest.json"), x.manifest)
	x.truth["name"] = x.name
	writeJSON(filepath.Join(x.dir, "truth.json"), x.truth)
	writeJSON(filepath.Join(x.dir, "alarms.json"), map[string]any{"MetricAlarms": x.alarms, "CompositeAlarms": []any{}})
	writeJSON(filepath.Join(x.dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": x.hist})
	for _, g := range sortedKeys(x.logs) {
		evs := x.logs[g]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].ts.Before(evs[j].ts) })
		var b bytes.Buffer
		for _, e := range evs {
			l, _ := json.Marshal(map[string]any{"timestamp": e.ts.UnixMilli(), "message": e.msg, "logStreamName": e.stream, "ingestionTime": e.ts.UnixMilli() + 300 + int64(x.r.Intn(1500))})
			b.Write(append(l, '\n'))
		}
		name := "logs/" + url.PathEscape(g) + ".jsonl"
		if b.Len() > 200000 {
			name += ".gz"
		}
		writeFile(filepath.Join(x.dir, name), b.Bytes())
	}
	for i, m := range x.metrics {
		var dims []string
		for _, d := range m["Dimensions"].([]map[string]any) {
			dims = append(dims, fmt.Sprint(d["Value"]))
		}
		fn := fmt.Sprintf("%02d_%s_%s_%s.json", i, strings.ReplaceAll(m["Namespace"].(string), "/", "-"), m["MetricName"], strings.NewReplacer("/", "-", ":", "-", " ", "-").Replace(strings.Join(dims, "_")))
		writeJSON(filepath.Join(x.dir, "metrics", fn), m)
	}
	// CloudTrail delivers roughly every five minutes, one file per delivery.
	sort.SliceStable(x.trail, func(i, j int) bool { return x.trail[i]["eventTime"].(string) < x.trail[j]["eventTime"].(string) })
	files := map[time.Time][]map[string]any{}
	for _, r := range x.trail {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		k := t.Truncate(5 * time.Minute).Add(5 * time.Minute)
		files[k] = append(files[k], r)
	}
	for _, k := range sortedTimes(files) {
		recs := files[k]
		writeFile(filepath.Join(x.dir, "cloudtrail", fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", x.acct, x.region, k.Format("20060102T1504Z"), x.alnum(16))), mustJSON(map[string]any{"Records": recs}))
	}
	for _, lb := range sortedKeys(x.alb) {
		lines := x.alb[lb]
		sort.Slice(lines, func(i, j int) bool { return lines[i].t.Before(lines[j].t) })
		per := map[time.Time][]string{}
		for _, l := range lines {
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute)
			per[k] = append(per[k], l.line)
		}
		for _, k := range sortedTimes(per) {
			ls := per[k]
			fn := fmt.Sprintf("%s_elasticloadbalancing_%s_%s_%s_%s_%s.log.gz", x.acct, x.albRegion[lb], lb, k.Format("20060102T1504Z"), x.ip(), x.alnum(8))
			writeFile(filepath.Join(x.dir, "alb", fn), []byte(strings.Join(ls, "\n")+"\n"))
		}
	}
	for i := 0; i*200 < len(x.traces); i++ {
		end := min((i+1)*200, len(x.traces))
		writeFile(filepath.Join(x.dir, "xray", fmt.Sprintf("traces-%03d.json.gz", i+1)), mustJSON(map[string]any{"Traces": x.traces[i*200 : end], "UnprocessedTraceIds": []string{}}))
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	must(err)
	return b
}

func main() {
	base := "investigate/testdata/heldout5"
	if len(os.Args) > 1 {
		base = os.Args[1]
	}
	for _, build := range []func(string) *X{route53Shift, wafRateBlock, sqsRedrive, redisNoEviction, promoSpike, accessKeyDeactivated} {
		x := build(base)
		x.write()
		fmt.Println("wrote", x.dir)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedTimes[V any](m map[time.Time]V) []time.Time {
	var ks []time.Time
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].Before(ks[j]) })
	return ks
}

// noiseT is noise whose lines carry their own timestamp.
func (x *X) noiseT(group string, streams []string, perMin float64, lines ...func(time.Time) string) {
	x.each(x.t0, x.t1, flat(perMin), func(t time.Time) {
		x.log(group, streams[x.r.Intn(len(streams))], t, lines[x.r.Intn(len(lines))](t))
	})
}
