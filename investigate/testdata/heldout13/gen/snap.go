// Command gen writes the heldout13 incidents: six snapshots in the
// fa2-snapshot/1 format, each seeded on its own so reruns are identical.
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

const acct = "318574406121"
const region = "us-east-1"

type logEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	LogStreamName string `json:"logStreamName"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
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
	name, dir  string
	rng        *rand.Rand
	start, end time.Time
	logs       map[string][]logEvent
	metrics    []metric
	ct         []map[string]any
	alb        []string
	traces     []map[string]any
	alarms     []map[string]any
	history    []map[string]any
	title      string
	arch       string
	truth      map[string]any
}

func newSnap(name string, seed int64, onset time.Time, before, after time.Duration) *snap {
	return &snap{name: name, dir: filepath.Join("investigate/testdata/heldout13", name), rng: rand.New(rand.NewSource(seed)),
		start: onset.Add(-before).Truncate(time.Minute), end: onset.Add(after).Truncate(time.Minute), logs: map[string][]logEvent{}}
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

func (s *snap) log(group, stream string, t time.Time, msg string) {
	ms := t.UnixMilli()
	s.logs[group] = append(s.logs[group], logEvent{Timestamp: ms, Message: msg, LogStreamName: stream,
		IngestionTime: ms + 200 + int64(s.rng.Intn(900)), EventID: fmt.Sprintf("%d%s", ms, s.hex(20))})
}

// jitter returns a time inside the minute m.
func (s *snap) in(m time.Time) time.Time {
	return m.Add(time.Duration(s.rng.Intn(60000)) * time.Millisecond)
}

// minutes calls f for every minute of the window.
func (s *snap) minutes(f func(m time.Time)) {
	for m := s.start; m.Before(s.end); m = m.Add(time.Minute) {
		f(m)
	}
}

// series adds a one-minute metric; f returns the samples of each minute
// (nil: no datapoint, as CloudWatch omits minutes without data).
func (s *snap) series(ns, name, unit string, dims []dim, f func(m time.Time) []float64) {
	mt := metric{Namespace: ns, MetricName: name, Dimensions: dims, Label: name}
	s.minutes(func(m time.Time) {
		v := f(m)
		if v == nil {
			return
		}
		dp := datapoint{Timestamp: m.Format(time.RFC3339), SampleCount: float64(len(v)), Unit: unit, Minimum: math.Inf(1), Maximum: math.Inf(-1)}
		for _, x := range v {
			dp.Sum += x
			dp.Minimum = math.Min(dp.Minimum, x)
			dp.Maximum = math.Max(dp.Maximum, x)
		}
		if len(v) == 0 {
			dp.Minimum, dp.Maximum = 0, 0
		} else {
			dp.Average = dp.Sum / float64(len(v))
		}
		dp.Sum = round(dp.Sum)
		dp.Average = round(dp.Average)
		dp.Minimum = round(dp.Minimum)
		dp.Maximum = round(dp.Maximum)
		mt.Datapoints = append(mt.Datapoints, dp)
	})
	s.metrics = append(s.metrics, mt)
}

// count is a Sum-style metric: one sample holding n.
func (s *snap) count(ns, name string, dims []dim, f func(m time.Time) float64) {
	s.series(ns, name, "Count", dims, func(m time.Time) []float64 { return []float64{f(m)} })
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

func (s *snap) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	if lambda > 60 {
		return int(math.Max(0, math.Round(lambda+s.rng.NormFloat64()*math.Sqrt(lambda))))
	}
	for {
		p *= s.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// ---- CloudTrail ----

type who struct {
	kind, name, session, agent, ip, invokedBy string
}

func user(name, agent, ip string) who { return who{kind: "IAMUser", name: name, agent: agent, ip: ip} }
func role(name, session, agent, ip string) who {
	return who{kind: "AssumedRole", name: name, session: session, agent: agent, ip: ip}
}
func service(roleName, session, svc string) who {
	return who{kind: "AssumedRole", name: roleName, session: session, agent: svc, ip: svc, invokedBy: svc}
}

func (s *snap) identity(w who, t time.Time) map[string]any {
	if w.kind == "IAMUser" {
		return map[string]any{"type": "IAMUser", "principalId": "AIDA" + strings.ToUpper(s.hex(17)), "arn": "arn:aws:iam::" + acct + ":user/" + w.name,
			"accountId": acct, "accessKeyId": "AKIA" + strings.ToUpper(s.hex(16)), "userName": w.name}
	}
	if w.kind == "AWSService" {
		return map[string]any{"type": "AWSService", "invokedBy": w.invokedBy}
	}
	rolePath := "role/"
	if strings.HasPrefix(w.name, "AWSServiceRoleFor") {
		rolePath = "role/aws-service-role/" + w.invokedBy + "/"
		if strings.HasSuffix(w.name, "_ECSService") {
			rolePath = "role/aws-service-role/ecs.application-autoscaling.amazonaws.com/"
		}
	}
	pid := "AROA" + strings.ToUpper(fmt.Sprintf("%x", []byte(w.name))[:17])
	id := map[string]any{"type": "AssumedRole", "principalId": pid + ":" + w.session,
		"arn":       "arn:aws:sts::" + acct + ":assumed-role/" + w.name + "/" + w.session,
		"accountId": acct, "accessKeyId": "ASIA" + strings.ToUpper(s.hex(16)),
		"sessionContext": map[string]any{
			"sessionIssuer":       map[string]any{"type": "Role", "principalId": pid, "arn": "arn:aws:iam::" + acct + ":" + rolePath + w.name, "accountId": acct, "userName": w.name},
			"webIdFederationData": map[string]any{},
			"attributes":          map[string]any{"creationDate": t.Add(-time.Duration(5+s.rng.Intn(40)) * time.Minute).Format(time.RFC3339), "mfaAuthenticated": "false"},
		}}
	if w.invokedBy != "" {
		id["invokedBy"] = w.invokedBy
	}
	return id
}

func (s *snap) event(t time.Time, w who, source, name string, req, resp map[string]any, readOnly bool, extra map[string]any) map[string]any {
	r := map[string]any{
		"eventVersion": "1.09", "userIdentity": s.identity(w, t), "eventTime": t.UTC().Format(time.RFC3339),
		"eventSource": source, "eventName": name, "awsRegion": region, "sourceIPAddress": w.ip, "userAgent": w.agent,
		"requestParameters": req, "responseElements": resp, "requestID": s.uuid(), "eventID": s.uuid(),
		"readOnly": readOnly, "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": acct, "eventCategory": "Management",
	}
	if req == nil {
		r["requestParameters"] = nil
	}
	if strings.HasPrefix(w.ip, "1") || strings.HasPrefix(w.ip, "2") || strings.HasPrefix(w.ip, "5") || strings.HasPrefix(w.ip, "8") || strings.HasPrefix(w.ip, "9") {
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": strings.TrimSuffix(source, ".amazonaws.com") + "." + region + ".amazonaws.com"}
	}
	for k, v := range extra {
		r[k] = v
	}
	s.ct = append(s.ct, r)
	return r
}

const (
	cliAgent     = "aws-cli/2.17.42 md/awscrt#0.21.2 ua/2.0 os/linux#6.8.0-1015-aws md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#"
	consoleAgent = "AWS Internal"
	sdkGoAgent   = "aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/ecs#1.45.2"
	tfAgent      = "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.66.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64"
)

// noise writes routine CloudTrail traffic: describes from dashboards and
// operators, CI pushes to the services' own repositories, role sessions,
// console logins, KMS for SSM parameters, target-tracking scaling.
func (s *snap) noise(repos []string, ecsServices []string, cluster string) {
	readers := []who{
		role("Datadog-Integration-Role", "DatadogAWSIntegration", "aws-sdk-go/1.55.5 (go1.22.5; linux; amd64)", "44.192.28."+fmt.Sprint(10+s.rng.Intn(200))),
		role("AWSReservedSSO_ReadOnly_4f1c2d8e9a7b3c60", "priya.raman@acme-corp.example", consoleAgent, "203.0.113.54"),
		role("grafana-cloudwatch-reader", "grafana", "aws-sdk-go/1.55.5 (go1.22.5; linux; amd64) grafana", "10.40.3.17"),
		role("aws-config-recorder", "AWSConfig-Describe", "config.amazonaws.com", "config.amazonaws.com"),
	}
	reads := []struct{ src, name string }{
		{"ec2.amazonaws.com", "DescribeInstances"}, {"ec2.amazonaws.com", "DescribeSecurityGroups"}, {"ec2.amazonaws.com", "DescribeNetworkInterfaces"},
		{"ecs.amazonaws.com", "DescribeServices"}, {"ecs.amazonaws.com", "ListTasks"}, {"ecs.amazonaws.com", "DescribeTasks"},
		{"elasticloadbalancing.amazonaws.com", "DescribeTargetHealth"}, {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers"},
		{"monitoring.amazonaws.com", "DescribeAlarms"}, {"lambda.amazonaws.com", "ListFunctions20150331"}, {"s3.amazonaws.com", "ListBuckets"},
		{"dynamodb.amazonaws.com", "DescribeTable"}, {"sqs.amazonaws.com", "ListQueues"}, {"iam.amazonaws.com", "ListRoles"},
		{"cloudformation.amazonaws.com", "DescribeStacks"}, {"route53.amazonaws.com", "ListHostedZones"}, {"kms.amazonaws.com", "ListAliases"},
		{"ssm.amazonaws.com", "GetParameter"}, {"secretsmanager.amazonaws.com", "GetSecretValue"}, {"logs.amazonaws.com", "DescribeLogGroups"},
	}
	s.minutes(func(m time.Time) {
		for i := s.poisson(3.2); i > 0; i-- {
			rd := reads[s.rng.Intn(len(reads))]
			w := readers[s.rng.Intn(len(readers))]
			t := s.in(m)
			extra := map[string]any{}
			var resp map[string]any
			if s.rng.Intn(40) == 0 {
				extra["errorCode"] = "ThrottlingException"
				extra["errorMessage"] = "Rate exceeded"
			}
			s.event(t, w, rd.src, rd.name, map[string]any{}, resp, true, extra)
		}
		// task role sessions refresh
		if s.rng.Intn(4) == 0 {
			svc := ecsServices[s.rng.Intn(len(ecsServices))]
			t := s.in(m)
			s.event(t, who{kind: "AWSService", invokedBy: "ecs-tasks.amazonaws.com", agent: "ecs-tasks.amazonaws.com", ip: "ecs-tasks.amazonaws.com"}, "sts.amazonaws.com", "AssumeRole",
				map[string]any{"roleArn": "arn:aws:iam::" + acct + ":role/" + svc + "-task-role", "roleSessionName": s.hex(32)},
				map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + strings.ToUpper(s.hex(16)), "sessionToken": "IQoJb3JpZ2luX2Vj" + s.hex(24), "expiration": t.Add(6 * time.Hour).Format("Jan 2, 2006, 3:04:05 PM")}}, true,
				map[string]any{"sharedEventID": s.uuid()})
		}
		if s.rng.Intn(6) == 0 {
			t := s.in(m)
			s.event(t, role("github-actions-deploy", "GitHubActions", "aws-sdk-js/3.637.0", "20.85.12.44"), "kms.amazonaws.com", "Decrypt",
				map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"PARAMETER_ARN": "arn:aws:ssm:" + region + ":" + acct + ":parameter/ci/npm-token"}}, nil, true, nil)
		}
	})
	// CI image pushes to the services' own repositories
	for i := 0; i < 3+s.rng.Intn(3); i++ {
		repo := repos[s.rng.Intn(len(repos))]
		t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
		dg := "sha256:" + s.hex(64)
		ci := role("github-actions-ecr-push", "GitHubActions", "aws-sdk-js/3.637.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/ecr#3.637.0", "20.85.12."+fmt.Sprint(40+s.rng.Intn(20)))
		s.event(t.Add(-8*time.Second), ci, "ecr.amazonaws.com", "InitiateLayerUpload", map[string]any{"repositoryName": repo, "registryId": acct}, map[string]any{"uploadId": s.uuid(), "partSize": 10485760}, false, nil)
		s.event(t, ci, "ecr.amazonaws.com", "PutImage", map[string]any{"repositoryName": repo, "imageTag": "sha-" + s.hex(7), "registryId": acct, "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json"},
			map[string]any{"image": map[string]any{"registryId": acct, "repositoryName": repo, "imageId": map[string]any{"imageDigest": dg, "imageTag": "sha-" + s.hex(7)}, "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json"}}, false, nil)
	}
	// console logins
	for _, u := range []string{"priya.raman@acme-corp.example", "tomasz.wojcik@acme-corp.example"} {
		t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
		r := s.event(t, role("AWSReservedSSO_PowerUser_9a2e71b0c4d5e6f7", u, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36", "203.0.113."+fmt.Sprint(20+s.rng.Intn(80))),
			"signin.amazonaws.com", "ConsoleLogin", nil, map[string]any{"ConsoleLogin": "Success"}, false,
			map[string]any{"eventType": "AwsConsoleSignIn", "additionalEventData": map[string]any{"MobileVersion": "No", "MFAUsed": "No"}})
		delete(r, "readOnly")
	}
	// a log-retention tweak and a parameter refresh: benign writes
	t := s.start.Add(time.Duration(s.rng.Int63n(int64(s.end.Sub(s.start)))))
	s.event(t, role("ssm-rotation-lambda", "ssm-rotation", "Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#5.10.224-233.868.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.5 exec-env/AWS_Lambda_python3.12", "3.91.44.201"),
		"ssm.amazonaws.com", "PutParameter", map[string]any{"name": "/shared/feature-flags/refresh-token", "type": "SecureString", "overwrite": true, "tier": "Standard"}, map[string]any{"version": 412 + s.rng.Intn(30), "tier": "Standard"}, false, nil)
}

// scaleOut is a target-tracking scale of an ECS service by Application
// Auto Scaling: the service-linked role calling UpdateService.
func (s *snap) aasUpdateService(t time.Time, cluster, svc string, desired int) {
	w := service("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling-ECS-Service", "application-autoscaling.amazonaws.com")
	w.invokedBy = "application-autoscaling.amazonaws.com"
	s.event(t, w, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": cluster, "service": svc, "desiredCount": desired},
		map[string]any{"service": map[string]any{"serviceName": svc, "serviceArn": "arn:aws:ecs:" + region + ":" + acct + ":service/" + cluster + "/" + svc, "clusterArn": "arn:aws:ecs:" + region + ":" + acct + ":cluster/" + cluster, "desiredCount": desired, "status": "ACTIVE", "launchType": "FARGATE"}}, false, nil)
}

// deploy is a CI deploy of an ECS service: a new task definition revision
// and an UpdateService pointing at it.
func (s *snap) deploy(t time.Time, cluster, svc string, rev int) {
	ci := role("github-actions-deploy", "GitHubActions", "aws-sdk-js/3.637.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/ecs#3.637.0", "20.85.12.47")
	img := acct + ".dkr.ecr." + region + ".amazonaws.com/" + svc + ":sha-" + s.hex(7)
	s.event(t, ci, "ecs.amazonaws.com", "RegisterTaskDefinition", map[string]any{"family": svc, "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "512", "memory": "1024",
		"containerDefinitions": []map[string]any{{"name": svc, "image": img, "essential": true, "portMappings": []map[string]any{{"containerPort": 8080, "protocol": "tcp"}}}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", region, acct, svc, rev), "family": svc, "revision": rev, "status": "ACTIVE"}}, false, nil)
	s.event(t.Add(3*time.Second), ci, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": cluster, "service": svc, "taskDefinition": fmt.Sprintf("%s:%d", svc, rev), "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": svc, "serviceArn": "arn:aws:ecs:" + region + ":" + acct + ":service/" + cluster + "/" + svc, "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", region, acct, svc, rev), "status": "ACTIVE",
			"deployments": []map[string]any{{"id": "ecs-svc/" + fmt.Sprint(1000000000000000000+s.rng.Int63n(8000000000000000000)), "status": "PRIMARY", "rolloutState": "IN_PROGRESS"}}}}, false, nil)
}

// ---- ALB ----

func (s *snap) albLine(t time.Time, lb, tg, client, target string, reqT, tgtT, respT float64, elb, tgtCode string, path, method, ua string, errReason string) {
	tgtTime := fmt.Sprintf("%.3f", tgtT)
	if tgtT < 0 {
		tgtTime = "-1"
	}
	rq, rs := fmt.Sprintf("%.3f", reqT), fmt.Sprintf("%.3f", respT)
	if reqT < 0 {
		rq, rs = "-1", "-1"
	}
	sent := 400 + s.rng.Intn(3000)
	tlist, clist := target, tgtCode
	if target == "-" {
		tlist, clist = "-", "-"
	}
	created := t.Add(-time.Duration(math.Max(0, reqT+tgtT+respT) * float64(time.Second)))
	trace := fmt.Sprintf("Root=1-%08x-%s", t.Unix(), s.hex(24))
	line := fmt.Sprintf(`https %s app/%s/%s %s:%d %s %s %s %s %s %s %d %d "%s https://%s:443%s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s "%s" "%s" "arn:aws:acm:%s:%s:certificate/%s" 1 %s "forward" "-" "%s" "%s" "%s" "-" "-"`,
		t.UTC().Format("2006-01-02T15:04:05.000000Z"), lb, "5f3a9c1e7d2b4a60", client, 1024+s.rng.Intn(60000), target, rq, tgtTime, rs, elb, tgtCode,
		300+s.rng.Intn(900), sent, method, "api.acme-corp.example", path, ua, region, acct, tg, "8d2e4f6a1b3c5d7e", trace, "api.acme-corp.example",
		region, acct, "6b1f0c3a-9e2d-4a57-8c14-2f7e9d3b1a06", created.UTC().Format("2006-01-02T15:04:05.000000Z"), errReason, tlist, clist)
	s.alb = append(s.alb, line)
}

// ---- alarms ----

func (s *snap) alarm(name, ns, metricName, stat string, dims []dim, threshold float64, cmp string, periods int, fired time.Time, desc string) {
	arn := "arn:aws:cloudwatch:" + region + ":" + acct + ":alarm:" + name
	s.alarms = append(s.alarms, map[string]any{
		"AlarmName": name, "AlarmArn": arn, "AlarmDescription": desc, "ActionsEnabled": true,
		"AlarmActions": []string{"arn:aws:sns:" + region + ":" + acct + ":oncall-pager"}, "OKActions": []string{}, "InsufficientDataActions": []string{},
		"StateValue": "ALARM", "StateReason": fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints were %s the threshold (%g).", periods, periods, map[string]string{"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to", "LessThanThreshold": "less than"}[cmp], threshold),
		"StateUpdatedTimestamp": fired.Format("2006-01-02T15:04:05.000Z"), "StateTransitionedTimestamp": fired.Format("2006-01-02T15:04:05.000Z"),
		"MetricName": metricName, "Namespace": ns, "Statistic": stat, "Dimensions": dims, "Period": 60, "EvaluationPeriods": periods, "DatapointsToAlarm": periods,
		"Threshold": threshold, "ComparisonOperator": cmp, "TreatMissingData": "notBreaching",
		"AlarmConfigurationUpdatedTimestamp": s.start.Add(-41 * 24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
	})
	hd, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": "OK", "stateReason": "Threshold Crossed"},
		"newState": map[string]any{"stateValue": "ALARM", "stateReason": "Threshold Crossed"}})
	s.history = append(s.history, map[string]any{"AlarmName": name, "AlarmType": "MetricAlarm", "Timestamp": fired.Format("2006-01-02T15:04:05.000Z"),
		"HistoryItemType": "StateUpdate", "HistorySummary": "Alarm updated from OK to ALARM", "HistoryData": string(hd)})
}

// okAlarm is a quiet alarm the snapshot also lists.
func (s *snap) okAlarm(name, ns, metricName, stat string, dims []dim, threshold float64) {
	s.alarms = append(s.alarms, map[string]any{"AlarmName": name, "AlarmArn": "arn:aws:cloudwatch:" + region + ":" + acct + ":alarm:" + name, "ActionsEnabled": true,
		"StateValue": "OK", "StateReason": "Threshold Crossed: 1 datapoint was not greater than the threshold.", "StateUpdatedTimestamp": s.start.Add(-3 * 24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"MetricName": metricName, "Namespace": ns, "Statistic": stat, "Dimensions": dims, "Period": 60, "EvaluationPeriods": 3, "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold"})
}

// ---- writing ----

func writeFile(path string, v any, gz bool) {
	must(os.MkdirAll(filepath.Dir(path), 0o755))
	var b []byte
	switch x := v.(type) {
	case []byte:
		b = x
	default:
		var err error
		b, err = json.MarshalIndent(v, "", " ")
		must(err)
	}
	if gz {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		b = buf.Bytes()
		path += ".gz"
	}
	must(os.WriteFile(path, b, 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func (s *snap) write() {
	must(os.RemoveAll(s.dir))
	writeFile(filepath.Join(s.dir, "manifest.json"), map[string]any{"format": "fa2-snapshot/1", "region": region,
		"window": map[string]string{"start": s.start.Format(time.RFC3339), "end": s.end.Format(time.RFC3339)}, "title": s.title, "architecture": s.arch}, false)
	for g, evs := range s.logs {
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
		var b bytes.Buffer
		for _, e := range evs {
			j, _ := json.Marshal(e)
			b.Write(j)
			b.WriteByte('\n')
		}
		writeFile(filepath.Join(s.dir, "logs", url.PathEscape(g)+".jsonl"), b.Bytes(), true)
	}
	for _, m := range s.metrics {
		n := m.Namespace + "_" + m.MetricName
		for _, d := range m.Dimensions {
			n += "_" + d.Value
		}
		n = strings.NewReplacer("/", "-", ":", "-", " ", "-").Replace(n)
		writeFile(filepath.Join(s.dir, "metrics", n+".json"), m, false)
	}
	if len(s.alarms) > 0 {
		writeFile(filepath.Join(s.dir, "alarms.json"), map[string]any{"MetricAlarms": s.alarms, "CompositeAlarms": []any{}}, false)
		writeFile(filepath.Join(s.dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": s.history}, false)
	}
	// CloudTrail: one delivery file per 15 minutes, as the S3 delivery batches them.
	sort.SliceStable(s.ct, func(i, j int) bool { return s.ct[i]["eventTime"].(string) < s.ct[j]["eventTime"].(string) })
	files := map[string][]map[string]any{}
	for _, r := range s.ct {
		t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
		k := t.Truncate(15 * time.Minute).Format("20060102T1504Z")
		files[k] = append(files[k], r)
	}
	for k, rs := range files {
		writeFile(filepath.Join(s.dir, "cloudtrail", acct+"_CloudTrail_"+region+"_"+k+"_"+s.hex(16)+".json"), map[string]any{"Records": rs}, true)
	}
	if len(s.alb) > 0 {
		sort.Strings(s.alb) // same prefix "https " then time
		byFile := map[string][]string{}
		for _, l := range s.alb {
			t, _ := time.Parse("2006-01-02T15:04:05.000000Z", strings.Fields(l)[1])
			k := t.Truncate(5 * time.Minute).Format("20060102T1504Z")
			byFile[k] = append(byFile[k], l)
		}
		for k, ls := range byFile {
			writeFile(filepath.Join(s.dir, "alb", acct+"_elasticloadbalancing_"+region+"_app."+k+".log"), []byte(strings.Join(ls, "\n")+"\n"), true)
		}
	}
	if len(s.traces) > 0 {
		writeFile(filepath.Join(s.dir, "xray", "traces.json"), map[string]any{"Traces": s.traces}, true)
	}
	s.truth["name"] = s.name
	writeFile(filepath.Join(s.dir, "truth.json"), s.truth, false)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func main() {
	for _, f := range []func() *snap{cfnHandler, iamTypo, phzDisassociated, ddbAZ, s3KMS, ecsScheduled} {
		s := f()
		s.write()
		fmt.Println("wrote", s.dir)
	}
}
