// Command gen writes the heldout12 incident snapshots (fa2-snapshot/1).
// Every incident is seeded on its own so the output is deterministic.
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

type snap struct {
	name, dir, title, arch string
	account, region        string
	start, end             time.Time
	rng                    *rand.Rand
	logs                   map[string][]logEvent
	metrics                []metric
	records                []map[string]any
	alarms                 []map[string]any
	history                []map[string]any
	alb                    []albLine
	traces                 []map[string]any
	albName, albID, certID string
}

type albLine struct {
	t    time.Time
	line string
}

func newSnap(name string, seed int64, account, region string, start, end time.Time) *snap {
	return &snap{name: name, account: account, region: region, start: start, end: end,
		rng: rand.New(rand.NewSource(seed)), logs: map[string][]logEvent{}}
}

func (s *snap) log(group, stream string, t time.Time, msg string) {
	if t.Before(s.start) || !t.Before(s.end) {
		return
	}
	s.logs[group] = append(s.logs[group], logEvent{Timestamp: t.UnixMilli(), Message: msg, LogStreamName: stream,
		IngestionTime: t.Add(time.Duration(200+s.rng.Intn(1800)) * time.Millisecond).UnixMilli()})
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
	return s.hex(8) + "-" + s.hex(4) + "-4" + s.hex(3) + "-" + "a" + s.hex(3) + "-" + s.hex(12)
}

func (s *snap) upper(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[s.rng.Intn(len(a))]
	}
	return string(b)
}

func (s *snap) jitter(d time.Duration) time.Duration {
	return time.Duration(s.rng.Int63n(int64(d)))
}

// every calls f at roughly period intervals (exponential gaps) across the window.
func (s *snap) every(period time.Duration, f func(t time.Time)) {
	t := s.start.Add(s.jitter(period))
	for t.Before(s.end) {
		f(t)
		gap := time.Duration(s.rng.ExpFloat64() * float64(period))
		if gap < time.Millisecond {
			gap = time.Millisecond
		}
		t = t.Add(gap)
	}
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// ---- metrics ----

// series builds one-minute datapoints; f returns (value, ok) per minute
// and samples is the sample count for averages.
func (s *snap) series(ns, name string, dims []dim, unit string, f func(t time.Time) (float64, float64, bool)) {
	m := metric{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	for t := s.start.Truncate(time.Minute); t.Before(s.end); t = t.Add(time.Minute) {
		v, n, ok := f(t)
		if !ok {
			continue
		}
		if n <= 0 {
			n = 1
		}
		v = math.Round(v*1000) / 1000
		dp := datapoint{Timestamp: t.UTC().Format(time.RFC3339), SampleCount: n, Unit: unit}
		switch unit {
		case "Count", "Bytes":
			dp.Sum, dp.Average, dp.Minimum, dp.Maximum = v, v/n, 0, v
			if n == 1 {
				dp.Minimum = v
			} else {
				dp.Average = math.Round(v/n*1000) / 1000
				dp.Maximum = math.Round(v/n*2*1000) / 1000
				if dp.Maximum > v {
					dp.Maximum = v
				}
				dp.Minimum = 0
			}
		default:
			dp.Average, dp.Sum = v, math.Round(v*n*1000)/1000
			dp.Minimum = math.Round(v*0.6*1000) / 1000
			dp.Maximum = math.Round(v*1.7*1000) / 1000
		}
		m.Datapoints = append(m.Datapoints, dp)
	}
	s.metrics = append(s.metrics, m)
}

func (s *snap) noise(base, frac float64) float64 {
	return base * (1 + frac*(s.rng.Float64()*2-1))
}

// ---- alarms ----

func (s *snap) alarm(name, desc, ns, metricName, stat string, dims []dim, threshold float64, op string, periods int, okSince, fired time.Time, reason string) {
	arn := fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, name)
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": desc,
		"AlarmConfigurationUpdatedTimestamp": s.start.AddDate(0, -2, -3).Format("2006-01-02T15:04:05.000Z"),
		"ActionsEnabled":                     true,
		"OKActions":                          []string{},
		"AlarmActions":                       []string{fmt.Sprintf("arn:aws:sns:%s:%s:oncall-pager", s.region, s.account)},
		"InsufficientDataActions":            []string{},
		"StateValue":                         "ALARM", "StateReason": reason,
		"StateReasonData":            js(map[string]any{"version": "1.0", "queryDate": fired.Format("2006-01-02T15:04:05.000+0000"), "statistic": stat, "period": 60, "recentDatapoints": []float64{threshold + 1}, "threshold": threshold}),
		"StateUpdatedTimestamp":      fired.Format("2006-01-02T15:04:05.000Z"),
		"StateTransitionedTimestamp": fired.Format("2006-01-02T15:04:05.000Z"),
		"MetricName":                 metricName, "Namespace": ns, "Statistic": stat, "Dimensions": dims,
		"Period": 60, "EvaluationPeriods": periods, "DatapointsToAlarm": periods, "Threshold": threshold,
		"ComparisonOperator": op, "TreatMissingData": "missing",
	})
	s.history = append(s.history,
		map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": fired.Format("2006-01-02T15:04:05.000Z"), "HistoryItemType": "StateUpdate",
			"HistorySummary": "Alarm updated from OK to ALARM",
			"HistoryData":    js(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK"}, "newState": map[string]any{"stateValue": "ALARM", "stateReason": reason}})},
		map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": okSince.Format("2006-01-02T15:04:05.000Z"), "HistoryItemType": "StateUpdate",
			"HistorySummary": "Alarm updated from ALARM to OK",
			"HistoryData":    js(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "ALARM"}, "newState": map[string]any{"stateValue": "OK"}})})
}

// okAlarm is an alarm that stayed OK, as most of an account's do.
func (s *snap) okAlarm(name, ns, metricName, stat string, dims []dim, threshold float64, op string) {
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", s.region, s.account, name),
		"ActionsEnabled": true, "AlarmActions": []string{fmt.Sprintf("arn:aws:sns:%s:%s:oncall-pager", s.region, s.account)},
		"StateValue": "OK", "StateReason": "Threshold Crossed: 1 datapoint was not greater than or equal to the threshold.",
		"StateUpdatedTimestamp": s.start.Add(-26 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"MetricName":            metricName, "Namespace": ns, "Statistic": stat, "Dimensions": dims, "Period": 300,
		"EvaluationPeriods": 1, "DatapointsToAlarm": 1, "Threshold": threshold, "ComparisonOperator": op, "TreatMissingData": "missing",
	})
}

// ---- CloudTrail ----

type who struct {
	kind, arn, principal, session, roleARN, ip, ua, accessKey string
	console                                                   bool
}

func (s *snap) role(roleName, session, ip, ua string) who {
	return who{kind: "AssumedRole", arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.account, roleName, session),
		principal: "AROA" + s.upper(17) + ":" + session, session: session,
		roleARN: fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, roleName), ip: ip, ua: ua}
}

func (s *snap) sso(permSet, user, ip string) who {
	r := fmt.Sprintf("AWSReservedSSO_%s_%s", permSet, s.hex(16))
	w := who{kind: "AssumedRole", arn: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", s.account, r, user),
		principal: "AROA" + s.upper(17) + ":" + user, session: user,
		roleARN: fmt.Sprintf("arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s", s.account, r), ip: ip,
		ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", console: true}
	return w
}

func (s *snap) service(svc string) who {
	return who{kind: "AWSService", principal: svc, ip: svc, ua: svc}
}

func (s *snap) trail(t time.Time, w who, source, name string, readOnly bool, req, resp any, extra map[string]any) {
	if t.Before(s.start) || !t.Before(s.end) {
		return
	}
	r := map[string]any{
		"eventVersion": "1.09", "eventTime": t.UTC().Format("2006-01-02T15:04:05Z"), "eventSource": source,
		"eventName": name, "awsRegion": s.region, "sourceIPAddress": w.ip, "userAgent": w.ua,
		"requestParameters": req, "responseElements": resp, "requestID": s.uuid(), "eventID": s.uuid(),
		"readOnly": readOnly, "eventType": "AwsApiCall", "managementEvent": true,
		"recipientAccountId": s.account, "eventCategory": "Management",
	}
	switch w.kind {
	case "AWSService":
		r["userIdentity"] = map[string]any{"type": "AWSService", "invokedBy": w.principal}
	default:
		ak := "ASIA" + s.upper(16)
		attrs := map[string]any{"creationDate": t.Add(-time.Duration(5+s.rng.Intn(50)) * time.Minute).UTC().Format("2006-01-02T15:04:05Z"), "mfaAuthenticated": "false"}
		r["userIdentity"] = map[string]any{"type": "AssumedRole", "principalId": w.principal, "arn": w.arn, "accountId": s.account, "accessKeyId": ak,
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role", "principalId": strings.Split(w.principal, ":")[0], "arn": w.roleARN, "accountId": s.account, "userName": filepath.Base(w.roleARN)}, "attributes": attrs}}
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": strings.TrimSuffix(source, ".amazonaws.com") + "." + s.region + ".amazonaws.com"}
		if w.console {
			r["sessionCredentialFromConsole"] = "true"
		}
	}
	for k, v := range extra {
		r[k] = v
	}
	s.records = append(s.records, r)
}

// routineTrail adds the reads and benign writes every account emits.
func (s *snap) routineTrail(roles []string, ecrRepos []string, people []who) {
	grafana := s.role("grafana-cloudwatch-reader", "grafana-"+s.hex(6), "3.121.44.18", "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/cloudwatch#1.40.2")
	s.every(40*time.Second, func(t time.Time) {
		ops := []string{"GetMetricData", "DescribeAlarms", "ListMetrics", "GetMetricData"}
		op := ops[s.rng.Intn(len(ops))]
		s.trail(t, grafana, "monitoring.amazonaws.com", op, true, map[string]any{"maxRecords": 100}, nil, nil)
	})
	s.every(25*time.Second, func(t time.Time) {
		r := roles[s.rng.Intn(len(roles))]
		s.trail(t, s.service("ecs-tasks.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", true,
			map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", s.account, r), "roleSessionName": s.hex(32)},
			map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + s.upper(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + s.hex(20), "expiration": t.Add(6 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}, nil)
	})
	s.every(3*time.Minute, func(t time.Time) {
		r := roles[s.rng.Intn(len(roles))]
		w := s.role(r, s.hex(32), "10.20."+fmt.Sprint(s.rng.Intn(60))+"."+fmt.Sprint(s.rng.Intn(250)), "aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64")
		s.trail(t, w, "logs.amazonaws.com", "CreateLogStream", false, map[string]any{"logGroupName": "/ecs/" + strings.TrimSuffix(r, "-task"), "logStreamName": "ecs/app/" + s.hex(32)}, nil, nil)
	})
	s.every(90*time.Second, func(t time.Time) {
		r := roles[s.rng.Intn(len(roles))]
		w := s.role(r, s.hex(32), "10.20."+fmt.Sprint(s.rng.Intn(60))+"."+fmt.Sprint(s.rng.Intn(250)), "aws-sdk-go-v2/1.30.3 api/ssm#1.52.1")
		s.trail(t, w, "ssm.amazonaws.com", "GetParameters", true, map[string]any{"names": []string{"/prod/" + strings.TrimSuffix(r, "-task") + "/db-password"}, "withDecryption": true}, nil, nil)
		s.trail(t.Add(80*time.Millisecond), s.service("ssm.amazonaws.com"), "kms.amazonaws.com", "Decrypt", true, map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"PARAMETER_ARN": fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/prod/x", s.region, s.account)}}, nil, nil)
	})
	ci := s.role("github-actions-deploy", "GitHubActions", "20.85.126."+fmt.Sprint(s.rng.Intn(250)), "aws-sdk-js/3.637.0 ua/2.0 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/ecr#3.637.0")
	for i := 0; i < 6; i++ {
		t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
		repo := ecrRepos[s.rng.Intn(len(ecrRepos))]
		s.trail(t, ci, "ecr.amazonaws.com", "GetAuthorizationToken", true, map[string]any{}, nil, nil)
		s.trail(t.Add(4*time.Second), ci, "ecr.amazonaws.com", "InitiateLayerUpload", false, map[string]any{"repositoryName": repo}, nil, nil)
		s.trail(t.Add(31*time.Second), ci, "ecr.amazonaws.com", "CompleteLayerUpload", false, map[string]any{"repositoryName": repo, "layerDigests": []string{"sha256:" + s.hex(64)}}, nil, nil)
		s.trail(t.Add(33*time.Second), ci, "ecr.amazonaws.com", "PutImage", false, map[string]any{"repositoryName": repo, "imageTag": "sha-" + s.hex(7)},
			map[string]any{"image": map[string]any{"repositoryName": repo, "imageId": map[string]any{"imageDigest": "sha256:" + s.hex(64), "imageTag": "sha-" + s.hex(7)}}}, nil)
	}
	for _, p := range people {
		t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
		s.trail(t, p, "signin.amazonaws.com", "ConsoleLogin", false, nil, map[string]any{"ConsoleLogin": "Success"},
			map[string]any{"eventType": "AwsConsoleSignIn", "additionalEventData": map[string]any{"MobileVersion": "No", "MFAUsed": "No"}})
		for i := 0; i < 12; i++ {
			tt := t.Add(time.Duration(s.rng.Intn(1800)) * time.Second)
			reads := [][2]string{{"ec2.amazonaws.com", "DescribeInstances"}, {"ecs.amazonaws.com", "DescribeServices"}, {"logs.amazonaws.com", "DescribeLogGroups"}, {"cloudtrail.amazonaws.com", "LookupEvents"}, {"s3.amazonaws.com", "ListBuckets"}, {"iam.amazonaws.com", "ListRoles"}, {"monitoring.amazonaws.com", "DescribeAlarms"}}
			r := reads[s.rng.Intn(len(reads))]
			s.trail(tt, p, r[0], r[1], true, map[string]any{}, nil, nil)
		}
	}
	// Target tracking moves capacity up and down all day.
	for i := 0; i < 3; i++ {
		t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
		svc := strings.TrimSuffix(roles[s.rng.Intn(len(roles))], "-task")
		s.trail(t, s.service("ecs.application-autoscaling.amazonaws.com"), "ecs.amazonaws.com", "UpdateService", false,
			map[string]any{"cluster": "prod", "service": svc, "desiredCount": 3 + s.rng.Intn(3)}, nil,
			map[string]any{"userIdentity": map[string]any{"type": "AssumedRole", "arn": fmt.Sprintf("arn:aws:sts::%s:assumed-role/AWSServiceRoleForApplicationAutoScaling_ECSService/AutoScaling", s.account), "invokedBy": "ecs.application-autoscaling.amazonaws.com"},
				"sourceIPAddress": "ecs.application-autoscaling.amazonaws.com", "userAgent": "ecs.application-autoscaling.amazonaws.com"})
	}
}

// ---- ALB ----

func (s *snap) albLog(t time.Time, client, target string, reqT, tgtT, respT float64, elb, tgt string, rb, sb int, method, host, path, ua, tg, errReason string) {
	if t.Before(s.start) || !t.Before(s.end) {
		return
	}
	f := func(v float64) string {
		if v < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", v)
	}
	total := math.Max(reqT, 0) + math.Max(tgtT, 0) + math.Max(respT, 0)
	created := t.Add(-time.Duration(total * float64(time.Second)))
	if reqT < 0 && elb == "504" { // target connect timeout: ten seconds, all times -1
		created = t.Add(-10 * time.Second)
	}
	tl, ts := target, tgt
	if target == "-" {
		tl, ts = "-", "-"
	}
	line := fmt.Sprintf(`h2 %s app/%s %s %s %s %s %s %s %s %d %d "%s https://%s:443%s HTTP/2.0" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 %s "Root=1-%08x-%s" "%s" "arn:aws:acm:%s:%s:certificate/%s" 0 %s "forward" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		t.UTC().Format("2006-01-02T15:04:05.000000Z"), s.albName, client, target, f(reqT), f(tgtT), f(respT), elb, tgt, rb, sb,
		method, host, path, ua, tg, t.Unix(), s.hex(24), host, s.region, s.account, s.certID, created.UTC().Format("2006-01-02T15:04:05.000000Z"), errReason, tl, ts, s.hex(32))
	s.alb = append(s.alb, albLine{t, line})
}

// ---- X-Ray ----

func (s *snap) traceID(t time.Time) string { return fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24)) }

func (s *snap) addTrace(t time.Time, name, origin string, dur float64, status int, http map[string]any, subs []map[string]any, annotations map[string]any) {
	if t.Before(s.start) || !t.Before(s.end) {
		return
	}
	id := s.traceID(t)
	start := float64(t.UnixNano()) / 1e9
	seg := map[string]any{"id": s.hex(16), "name": name, "start_time": start, "end_time": start + dur, "trace_id": id, "origin": origin,
		"http": map[string]any{"request": http, "response": map[string]any{"status": status}},
		"aws":  map[string]any{"xray": map[string]any{"sdk_version": "3.5.3", "sdk": "X-Ray for Node.js"}}}
	if status >= 500 {
		seg["fault"] = true
	} else if status >= 400 {
		seg["error"] = true
	}
	for _, sub := range subs {
		sub["id"] = s.hex(16)
		if _, ok := sub["start_time"]; !ok {
			sub["start_time"] = start + 0.002
		}
	}
	if len(subs) > 0 {
		seg["subsegments"] = subs
	}
	if annotations != nil {
		seg["annotations"] = annotations
	}
	s.traces = append(s.traces, map[string]any{"Id": id, "Duration": math.Round(dur*1000) / 1000,
		"Segments": []map[string]any{{"Id": seg["id"], "Document": js(seg)}}})
}

// ---- writing ----

func writeFile(path string, data []byte, gz bool) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		panic(err)
	}
	if gz {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(data)
		w.Close()
		data = b.Bytes()
		path += ".gz"
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		panic(err)
	}
}

func indent(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func (s *snap) write(root string, truth map[string]any) {
	dir := filepath.Join(root, s.name)
	os.RemoveAll(dir)
	writeFile(filepath.Join(dir, "manifest.json"), indent(map[string]any{"format": "fa2-snapshot/1", "region": s.region,
		"window": map[string]any{"start": s.start.Format(time.RFC3339), "end": s.end.Format(time.RFC3339)}, "title": s.title, "architecture": s.arch}), false)
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
			b.WriteString(js(e))
			b.WriteByte('\n')
		}
		writeFile(filepath.Join(dir, "logs", url.PathEscape(g)+".jsonl"), b.Bytes(), true)
	}
	for _, m := range s.metrics {
		name := m.Namespace + "_" + m.MetricName
		for _, d := range m.Dimensions {
			name += "_" + d.Value
		}
		name = strings.NewReplacer("/", "-", ":", "-", " ", "-").Replace(name)
		if len(name) > 150 {
			name = name[:150]
		}
		writeFile(filepath.Join(dir, "metrics", name+".json"), indent(m), false)
	}
	if len(s.alarms) > 0 {
		writeFile(filepath.Join(dir, "alarms.json"), indent(map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}), false)
		sort.SliceStable(s.history, func(i, j int) bool { return s.history[i]["Timestamp"].(string) > s.history[j]["Timestamp"].(string) })
		writeFile(filepath.Join(dir, "alarm-history.json"), indent(map[string]any{"AlarmHistoryItems": s.history}), false)
	}
	// CloudTrail delivers about every five minutes, one file per delivery.
	sort.SliceStable(s.records, func(i, j int) bool { return s.records[i]["eventTime"].(string) < s.records[j]["eventTime"].(string) })
	byFile := map[string][]map[string]any{}
	for _, r := range s.records {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		k := t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
		byFile[k] = append(byFile[k], r)
	}
	for _, k := range sortedKeys(byFile) {
		recs := byFile[k]
		fn := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json", s.account, s.region, k, s.hex(16))
		writeFile(filepath.Join(dir, "cloudtrail", fn), []byte(js(map[string]any{"Records": recs})), true)
	}
	if len(s.alb) > 0 {
		sort.SliceStable(s.alb, func(i, j int) bool { return s.alb[i].t.Before(s.alb[j].t) })
		byFile := map[string][]string{}
		for _, l := range s.alb {
			k := l.t.Truncate(5 * time.Minute).Add(5 * time.Minute).Format("20060102T1504Z")
			byFile[k] = append(byFile[k], l.line)
		}
		for _, k := range sortedKeys(byFile) {
			ls := byFile[k]
			fn := fmt.Sprintf("%s_elasticloadbalancing_%s_app.%s.%s_%s_10.20.%d.%d_%s.log", s.account, s.region, s.albName, s.albID, k, s.rng.Intn(60), s.rng.Intn(250), s.hex(8))
			writeFile(filepath.Join(dir, "alb", fn), []byte(strings.Join(ls, "\n")+"\n"), true)
		}
	}
	if len(s.traces) > 0 {
		sort.SliceStable(s.traces, func(i, j int) bool { return s.traces[i]["Id"].(string) < s.traces[j]["Id"].(string) })
		writeFile(filepath.Join(dir, "xray", "traces.json"), []byte(js(map[string]any{"Traces": s.traces})), true)
	}
	truth["name"] = s.name
	writeFile(filepath.Join(dir, "truth.json"), indent(truth), false)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func main() {
	root := "investigate/testdata/heldout12"
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	sqsKMS(root)
	sfnRole(root)
	albEgress(root)
	firehosePolicy(root)
	mysqlLock(root)
	lambdaQueueURL(root)
}

// sortedKeys keeps file naming (which draws random digits) deterministic.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
