package main

import (
	"fmt"
	"time"
)

// taskRolePolicyDetached: a platform engineer cleaning up "duplicate"
// managed policies detaches the DynamoDB policy from profile-svc's ECS task
// role. Every DynamoDB call the service makes is denied from then on.
func taskRolePolicyDetached() *world {
	w := newWorld("task-role-policy-detached", 2202, "eu-west-1", "730512694381", ts("2026-09-03T08:40:00Z"), 80)
	w.title = "profile pages fail for logged-in users"
	w.arch = "ALB web-public → ECS Fargate service profile-svc (Node.js 20, AWS SDK v3, X-Ray SDK) in cluster web → DynamoDB table user-profiles (GetItem/Query/UpdateItem); avatars in S3 bucket acme-avatars-euw1. search-svc (Python, FastAPI) shares the ALB and the cluster. IAM task role profile-svc-task-role; execution role profile-svc-exec-role."
	change := ts("2026-09-03T09:31:12Z")
	onset := ts("2026-09-03T09:31:38Z")
	alarmAt := ts("2026-09-03T09:34:03Z")
	role := "profile-svc-task-role"
	policyArn := fmt.Sprintf("arn:aws:iam::%s:policy/profile-svc-dynamodb-rw", w.account)
	table := "user-profiles"
	tableArn := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", w.region, w.account, table)
	lb := "app/web-public/4e8b1d6f2a9c7035"
	w.albName = lb
	tgProfile := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/profile-svc/8c1e4a7b3d2f6905", w.region, w.account)
	tgSearch := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/search-svc/1f6d9b3e8a4c2750", w.region, w.account)
	tasks := w.tasks(4)
	group := "/ecs/profile-svc"
	stream := func(t ecsTask) string { return "ecs/profile-svc/" + t.id }
	nodes := []string{"10.8.0.14_7rk2mx0q", "10.8.16.201_7rk2mx0q"}

	ops := []struct{ m, path, op string }{{"GET", "/profile/%s", "GetItem"}, {"GET", "/profile/%s/preferences", "GetItem"}, {"PATCH", "/profile/%s", "UpdateItem"}, {"GET", "/profile/%s/devices", "Query"}}
	for t := w.start; t.Before(w.end); t = t.Add(700*time.Millisecond + w.jitter(1400*time.Millisecond)) {
		task := tasks[w.r.Intn(len(tasks))]
		o := ops[w.r.Intn(len(ops))]
		uid := "u_" + w.hex(10)
		path := fmt.Sprintf(o.path, uid)
		denied := !t.Before(onset)
		dur := time.Duration(8+w.r.Intn(40)) * time.Millisecond
		status := 200
		if o.m == "PATCH" {
			status = 204
		}
		reqID := w.upperAlnum(52)
		if denied {
			dur = time.Duration(12+w.r.Intn(20)) * time.Millisecond
			status = 500
			sess := task.id[:32]
			msg := fmt.Sprintf("AccessDeniedException: User: arn:aws:sts::%s:assumed-role/%s/%s is not authorized to perform: dynamodb:%s on resource: %s because no identity-based policy allows the dynamodb:%s action", w.account, role, sess, o.op, tableArn, o.op)
			w.logLines(group, stream(task), t.Add(dur), []string{
				fmt.Sprintf("[%s] ERROR (profile-svc/1 on ip-%s): %s %s failed userId=%s", t.Add(dur).UTC().Format("2006-01-02T15:04:05.000Z"), task.ip, o.m, path, uid),
				"    " + msg,
				"    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)",
				"    at /app/node_modules/@smithy/smithy-client/dist-cjs/index.js:876:5",
				"    at de_CommandError (/app/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:2297:14)",
				"    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
				"    at async /app/node_modules/@smithy/middleware-serde/dist-cjs/index.js:35:20",
				"    at async /app/node_modules/@aws-sdk/lib-dynamodb/dist-cjs/index.js:174:30",
				"    at async ProfileRepository.get (/app/dist/repository/profile.js:41:22)",
				fmt.Sprintf("    $metadata: { httpStatusCode: 400, requestId: '%s', attempts: 1, totalRetryDelay: 0 }", reqID),
			})
		} else {
			w.log(group, stream(task), t.Add(dur), fmt.Sprintf("[%s] INFO (profile-svc/1 on ip-%s): request completed method=%s url=%s statusCode=%d responseTime=%d", t.Add(dur).UTC().Format("2006-01-02T15:04:05.000Z"), task.ip, o.m, path, status, dur.Milliseconds()))
		}
		tid := w.traceID(t)
		w.albLog(nodes[w.r.Intn(2)], albReq{t: t.Add(dur), client: w.publicIP() + fmt.Sprintf(":%d", 1024+w.r.Intn(60000)), target: task.ip + ":3000",
			reqT: 0.001, tgtT: dur.Seconds(), respT: 0, elbCode: fmt.Sprint(status), tgtCode: fmt.Sprint(status), recv: 420 + w.r.Intn(600), sent: 300 + w.r.Intn(2000),
			method: o.m, url: "https://www.acme-social.eu:443/api" + path, proto: "HTTP/2.0", ua: w.pick("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"),
			tg: tgProfile, traceID: tid, domain: "www.acme-social.eu"})
		if w.r.Float64() < 0.08 || (denied && w.r.Float64() < 0.2) {
			seg := map[string]any{"id": w.hex(16), "name": "profile-svc", "start_time": secs(t), "end_time": secs(t.Add(dur)), "origin": "AWS::ECS::Container",
				"http":    map[string]any{"request": map[string]any{"method": o.m, "url": "https://www.acme-social.eu/api" + path, "client_ip": w.publicIP(), "x_forwarded_for": true}, "response": map[string]any{"status": status}},
				"aws":     map[string]any{"ecs": map[string]any{"container": "ip-" + task.ip, "container_id": task.id + "-2531" + w.hex(6)}, "xray": map[string]any{"sdk_version": "3.10.1", "sdk": "X-Ray for Node.js", "package": "aws-xray-sdk"}},
				"service": map[string]any{"version": "4.18.2", "runtime": "node", "runtime_version": "v20.17.0"}}
			var exc map[string]any
			st := 200
			if denied {
				st = 400
				exc = w.exc("AccessDeniedException", fmt.Sprintf("User: arn:aws:sts::%s:assumed-role/%s/%s is not authorized to perform: dynamodb:%s on resource: %s because no identity-based policy allows the dynamodb:%s action", w.account, role, task.id[:32], o.op, tableArn, o.op), true)
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{w.exc("AccessDeniedException", exc["message"].(string), false, "ProfileRepository.get /app/dist/repository/profile.js:41", "Layer.handle /app/node_modules/express/lib/router/layer.js:95")}}
			}
			seg["subsegments"] = []any{w.ddbSub(t.Add(2*time.Millisecond), dur-3*time.Millisecond, o.op, table, st, exc)}
			w.trace(tid, dur.Seconds(), seg)
		}
	}
	// Routine profile-svc noise: missing avatars (old, loud) and a Node warning.
	for _, task := range tasks {
		w.each(w.start, w.end, 40*time.Second, func(t time.Time) {
			w.log(group, stream(task), t, fmt.Sprintf("[%s] ERROR (profile-svc/1 on ip-%s): avatar fetch failed key=avatars/u_%s.webp NoSuchKey: The specified key does not exist.", t.UTC().Format("2006-01-02T15:04:05.000Z"), task.ip, w.hex(10)))
		})
		w.each(w.start, w.end, 15*time.Minute, func(t time.Time) {
			w.log(group, stream(task), t, "(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 error listeners added to [TLSSocket]. Use emitter.setMaxListeners() to increase limit")
		})
		w.each(w.start, w.end, 30*time.Second, func(t time.Time) {
			w.log(group, stream(task), t, fmt.Sprintf("[%s] INFO (profile-svc/1 on ip-%s): request completed method=GET url=/healthz statusCode=200 responseTime=1", t.UTC().Format("2006-01-02T15:04:05.000Z"), task.ip))
		})
	}

	// search-svc (Python/uvicorn) and its deploy (decoy).
	ciDeploy := ts("2026-09-03T09:30:05Z")
	oldS, newS := w.tasks(2), w.tasks(2)
	for t := w.start; t.Before(w.end); t = t.Add(900*time.Millisecond + w.jitter(1800*time.Millisecond)) {
		set := oldS
		if t.After(ciDeploy.Add(80 * time.Second)) {
			set = newS
		}
		task := set[w.r.Intn(2)]
		q := w.pick("shoes", "jacket", "lamp", "desk", "bike+helmet", "tent")
		dur := time.Duration(20+w.r.Intn(150)) * time.Millisecond
		w.log("/ecs/search-svc", "ecs/search-svc/"+task.id, t.Add(dur), fmt.Sprintf(`INFO:     %s:%d - "GET /search?q=%s HTTP/1.1" 200 OK`, w.ip10(), 30000+w.r.Intn(30000), q))
		w.albLog(nodes[w.r.Intn(2)], albReq{t: t.Add(dur), client: w.publicIP() + fmt.Sprintf(":%d", 1024+w.r.Intn(60000)), target: task.ip + ":8000",
			reqT: 0.001, tgtT: dur.Seconds(), respT: 0, elbCode: "200", tgtCode: "200", recv: 380, sent: 900 + w.r.Intn(9000),
			method: "GET", url: "https://www.acme-social.eu:443/api/search?q=" + q, proto: "HTTP/2.0", ua: "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
			tg: tgSearch, traceID: w.traceID(t), domain: "www.acme-social.eu"})
	}
	for _, task := range newS {
		t0 := ciDeploy.Add(55*time.Second + w.jitter(15*time.Second))
		for i, l := range []string{"INFO:     Started server process [1]", "INFO:     Waiting for application startup.", "WARNING:  opensearch index 'products-v7' has 1 unassigned replica shard", "INFO:     Application startup complete.", "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)"} {
			w.log("/ecs/search-svc", "ecs/search-svc/"+task.id, t0.Add(time.Duration(i)*400*time.Millisecond), l)
		}
	}
	for _, task := range append(oldS, newS...) {
		w.each(w.start, w.end, 3*time.Minute, func(t time.Time) {
			w.logLines("/ecs/search-svc", "ecs/search-svc/"+task.id, t, []string{
				"ERROR:    Exception in ASGI application",
				"Traceback (most recent call last):",
				`  File "/usr/local/lib/python3.12/site-packages/uvicorn/protocols/http/h11_impl.py", line 406, in run_asgi`,
				"    result = await app(  # type: ignore[func-returns-value]",
				`  File "/app/search/api.py", line 88, in suggest`,
				"    return await client.suggest(prefix)",
				"opensearchpy.exceptions.ConnectionTimeout: ConnectionTimeout caused by - TimeoutError()",
			})
		})
	}

	// Metrics.
	dimLB := [][2]string{{"LoadBalancer", lb}}
	dimTG := [][2]string{{"TargetGroup", "targetgroup/profile-svc/8c1e4a7b3d2f6905"}, {"LoadBalancer", lb}}
	on := func(t time.Time) bool { return !t.Before(onset.Truncate(time.Minute)) }
	w.metric("AWS/ApplicationELB", "RequestCount", dimTG, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(50 + w.r.Intn(12))), true })
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimTG, "Count", 60, func(t time.Time) (stat, bool) {
		if !on(t) {
			return stat{}, false
		}
		return countStat(float64(50 + w.r.Intn(12))), true
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(3 + w.r.Intn(9))), true })
	w.metric("AWS/ApplicationELB", "TargetResponseTime", dimLB, "Seconds", 60, func(t time.Time) (stat, bool) { return gaugeStat(0.06+w.r.Float64()*0.02, 0.04, 90), true })
	w.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", [][2]string{{"TableName", table}}, "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return stat{}, false
		}
		return countStat(float64(180 + w.r.Intn(40))), true
	})
	w.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", [][2]string{{"TableName", table}}, "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return stat{}, false
		}
		return countStat(float64(14 + w.r.Intn(8))), true
	})
	w.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", [][2]string{{"TableName", "sessions"}}, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(400 + w.r.Intn(90))), true })
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "web"}, {"ServiceName", "search-svc"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		v := 30 + w.r.Float64()*8
		if t.After(ciDeploy) && t.Before(ciDeploy.Add(5*time.Minute)) {
			v += 35
		}
		return gaugeStat(v, 5, 2), true
	})
	w.metric("AWS/ECS", "MemoryUtilization", [][2]string{{"ClusterName", "web"}, {"ServiceName", "profile-svc"}}, "Percent", 60, func(t time.Time) (stat, bool) { return gaugeStat(41+w.r.Float64()*3, 2, 4), true })

	// The alarm is a metric-math alarm on the 5xx rate (DescribeAlarms then
	// has Metrics, not MetricName).
	w.alarm("profile-svc-5xx-rate", "profile-svc 5xx > 5% of requests", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", dimTG, 60, 2, 5, "GreaterThanThreshold", w.start.Add(-3*24*time.Hour), alarmAt, 100, fmt.Sprintf("arn:aws:sns:%s:%s:web-oncall", w.region, w.account))
	a := w.alarms[len(w.alarms)-1]
	for _, k := range []string{"MetricName", "Namespace", "Statistic", "Dimensions", "Period"} {
		delete(a, k)
	}
	mdims := []map[string]string{{"Name": "TargetGroup", "Value": "targetgroup/profile-svc/8c1e4a7b3d2f6905"}, {"Name": "LoadBalancer", "Value": lb}}
	a["Metrics"] = []any{
		map[string]any{"Id": "e1", "Expression": "100*m1/m2", "Label": "5xx rate (%)", "ReturnData": true},
		map[string]any{"Id": "m1", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": mdims}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
		map[string]any{"Id": "m2", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": mdims}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
	}
	w.okAlarm("user-profiles-read-throttles", "AWS/DynamoDB", "ReadThrottleEvents", "Sum", [][2]string{{"TableName", table}}, 1, "GreaterThanOrEqualToThreshold")

	// CloudTrail.
	eng := w.ssoUser("PlatformEngineer", "j.lindqvist@acme-social.eu", "194.14.71.88")
	gha := w.roleActor("gha-deploy-search-svc", "GitHubActions", "4.175.92.16", "aws-sdk-js/3.654.0 ua/2.0 os/linux#6.8.0-1014-azure lang/js md/nodejs#20.17.0 api/ecs#3.654.0")
	taskActor := w.roleActor(role, tasks[0].id[:32], tasks[0].ip, "aws-sdk-js/3.637.0 ua/2.0 os/linux#5.10.224-212.876.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/dynamodb#3.637.0")
	backupR := w.serviceRole("AWSServiceRoleForBackup", "AWSBackup-AWSServiceRoleForBackup", "backup.amazonaws.com")
	access := w.serviceRole("AWSServiceRoleForAccessAnalyzer", "access-analyzer", "access-analyzer.amazonaws.com")
	w.routine(8, []func(time.Time){
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", role),
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "search-svc-task-role"),
		w.readCall(taskActor, "dynamodb.amazonaws.com", "DescribeTable", map[string]any{"tableName": table}),
		w.decrypt(serviceActor("dynamodb.amazonaws.com"), "0d6a8f42-3c1b-4e97-a5d2-7f8e9b0c1a23", map[string]any{"aws:dynamodb:tableName": table, "aws:dynamodb:subscriberId": w.account}),
		w.readCall(access, "iam.amazonaws.com", "GetRole", map[string]any{"roleName": w.pick(role, "search-svc-task-role", "billing-worker-task-role")}),
		w.readCall(access, "iam.amazonaws.com", "ListAttachedRolePolicies", map[string]any{"roleName": w.pick(role, "search-svc-task-role")}),
		w.putMetricData(taskActor, "profile-svc"),
		w.ecrAuth(gha),
		w.createLogStream(serviceActor("ecs-tasks.amazonaws.com"), "/ecs/search-svc"),
		w.readCall(eng, "iam.amazonaws.com", "ListPolicies", map[string]any{"scope": "Local", "onlyAttached": false, "policyUsageFilter": "PermissionsPolicy"}),
	})
	// IAM events carry awsRegion us-east-1 (global service).
	iam := func(t time.Time, name string, req map[string]any) {
		w.call(t, eng, ct{source: "iam.amazonaws.com", name: name, region: "us-east-1", req: req})
	}
	w.call(ts("2026-09-03T09:24:13Z"), eng, ct{source: "iam.amazonaws.com", name: "ListEntitiesForPolicy", region: "us-east-1", readOnly: true, req: map[string]any{"policyArn": policyArn}})
	// Decoy: same engineer, another role's inline policy.
	iam(ts("2026-09-03T09:28:40Z"), "PutRolePolicy", map[string]any{"roleName": "billing-worker-task-role", "policyName": "sqs-consume",
		"policyDocument": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"sqs:ReceiveMessage\", \"sqs:DeleteMessage\", \"sqs:GetQueueAttributes\"],\n      \"Resource\": \"arn:aws:sqs:eu-west-1:730512694381:billing-events\"\n    }\n  ]\n}"})
	// Decoy: similarly named role (the execution role) gets a policy.
	iam(ts("2026-09-03T09:25:50Z"), "AttachRolePolicy", map[string]any{"roleName": "profile-svc-exec-role", "policyArn": "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"})
	// Root cause.
	iam(change, "DetachRolePolicy", map[string]any{"roleName": role, "policyArn": policyArn})
	w.call(change.Add(41*time.Second), eng, ct{source: "iam.amazonaws.com", name: "ListAttachedRolePolicies", region: "us-east-1", readOnly: true, req: map[string]any{"roleName": role}})
	// Decoy: CI deploys search-svc 93 s before onset.
	w.call(ciDeploy.Add(-4*time.Second), gha, ct{source: "ecs.amazonaws.com", name: "RegisterTaskDefinition",
		req:  map[string]any{"family": "search-svc", "taskRoleArn": fmt.Sprintf("arn:aws:iam::%s:role/search-svc-task-role", w.account), "containerDefinitions": []any{map[string]any{"name": "app", "image": w.account + ".dkr.ecr.eu-west-1.amazonaws.com/search-svc:9c41e7a"}}},
		resp: map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/search-svc:77", w.region, w.account), "revision": 77}}})
	w.call(ciDeploy, gha, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "web", "service": "search-svc", "taskDefinition": "search-svc:77"},
		resp: map[string]any{"service": map[string]any{"serviceName": "search-svc", "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/search-svc:77", w.region, w.account), "desiredCount": 2}}})
	w.call(ts("2026-09-03T08:55:00Z"), backupR, ct{source: "dynamodb.amazonaws.com", name: "CreateBackup",
		req:  map[string]any{"tableName": "sessions", "backupName": "awsbackup:job-" + w.uuid()},
		resp: map[string]any{"backupDetails": map[string]any{"backupArn": fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/sessions/backup/01725350100000-%s", w.region, w.account, w.hex(8)), "backupStatus": "CREATING", "backupType": "AWS_BACKUP"}}})

	// GuardDuty: standing findings.
	w.guardduty = []map[string]any{
		w.gdFinding("Recon:EC2/PortProbeUnprotectedPort", "Unprotected port on EC2 instance i-0a7c3e9f1b2d48065 is being probed.", "EC2 instance has an unprotected port which is being probed by a known malicious host.", 2,
			map[string]any{"ResourceType": "Instance", "InstanceDetails": map[string]any{"InstanceId": "i-0a7c3e9f1b2d48065", "InstanceType": "t3.micro", "Tags": []any{map[string]any{"Key": "Name", "Value": "bastion-euw1"}}}},
			map[string]any{"ActionType": "PORT_PROBE", "PortProbeAction": map[string]any{"Blocked": false, "PortProbeDetails": []any{map[string]any{"LocalPortDetails": map[string]any{"Port": 22, "PortName": "SSH"}, "RemoteIpDetails": map[string]any{"IpAddressV4": "45.148.10.81"}}}}},
			w.start.Add(-9*24*time.Hour), w.start.Add(20*time.Minute), 4412),
		w.gdFinding("Policy:IAMUser/RootCredentialUsage", "API ListBuckets was invoked using root credentials.", "API ListBuckets was invoked using root credentials from IP address 194.14.71.3.", 2,
			map[string]any{"ResourceType": "AccessKey", "AccessKeyDetails": map[string]any{"AccessKeyId": "ASIA" + w.upperAlnum(16), "PrincipalId": w.account, "UserName": "Root", "UserType": "Root"}},
			map[string]any{"ActionType": "AWS_API_CALL", "AwsApiCallAction": map[string]any{"Api": "ListBuckets", "CallerType": "Remote IP", "ServiceName": "s3.amazonaws.com"}},
			w.start.Add(-30*24*time.Hour), w.start.Add(-30*24*time.Hour), 1),
	}

	w.truth = map[string]any{
		"name": w.name, "kind": "iam-permission", "alarm": "profile-svc-5xx-rate",
		"root_cause": map[string]any{"event_name": "DetachRolePolicy", "event_time": change, "resource": role},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "PutRolePolicy", "event_time": ts("2026-09-03T09:28:40Z")},
			{"event_name": "AttachRolePolicy", "event_time": ts("2026-09-03T09:25:50Z")},
			{"event_name": "UpdateService", "event_time": ciDeploy},
		},
		"signals": []string{"DetachRolePolicy", role, "AccessDeniedException", "user-profiles"},
	}
	return w
}
