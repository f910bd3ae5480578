package main

import (
	"fmt"
	"math"
	"time"
)

// paymentProviderLatency: nothing in the account changes; the external
// payment provider slows down during an evening peak and the gateway's 8 s
// client timeout starts to fire. The account still sees routine changes: a
// blue/green deploy of another service on the same ALB, a parameter edit
// under the gateway's own path, service auto scaling.
func paymentProviderLatency() *world {
	w := newWorld("payment-provider-latency", 6606, "us-east-1", "905817263449", ts("2026-12-01T19:30:00Z"), 100)
	w.title = "card payments timing out"
	w.arch = "ALB pay-edge-alb (listener rules: /payments/* → payments-gateway-tg, /ledger/* → ledger-api blue/green target groups) → ECS Fargate service payments-gateway (Go, zap JSON logs, X-Ray SDK) which calls the external PSP api.paylane-psp.com (8 s client timeout) and the internal fraud-check service; ledger-api (Kotlin) deployed by CodeDeploy blue/green. Cluster payments."
	// The provider degrades at 20:37:40 (the onset); from 20:44:10 a
	// growing share of calls hit the 8 s client timeout.
	onset := ts("2026-12-01T20:37:40Z")
	slowFrom := onset
	timeoutsFrom := ts("2026-12-01T20:44:10Z")
	alarmAt := ts("2026-12-01T20:47:04Z")
	lb := "app/pay-edge-alb/3d9a6f2c8e1b4075"
	w.albName = lb
	tg := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/payments-gateway-tg/e2a7c4b9d6f13058", w.region, w.account)
	nodes := []string{"172.20.4.33_p4y9e2dg", "172.20.21.7_p4y9e2dg"}
	tasks := w.tasks(6)
	group := "/ecs/payments-gateway"

	// PSP latency: ~300 ms, creeping from 20:37, past 8 s for a growing share after onset.
	pspLatency := func(t time.Time) time.Duration {
		base := 0.22 + w.r.Float64()*0.25
		if !t.Before(slowFrom) {
			base += 1.2 + ramp(t, slowFrom, timeoutsFrom)*(1+w.r.Float64()*4)
		}
		if !t.Before(timeoutsFrom) {
			r2 := ramp(t, timeoutsFrom, timeoutsFrom.Add(10*time.Minute))
			if w.r.Float64() < 0.15+0.35*r2 {
				base = 8.0 + w.r.Float64()*0.004 // the client gives up
			} else {
				base = 2.5 + w.r.Float64()*5
			}
		}
		return time.Duration(base * float64(time.Second))
	}
	for t := w.start; t.Before(w.end); t = t.Add(500*time.Millisecond + w.jitter(1000*time.Millisecond)) {
		task := tasks[w.r.Intn(len(tasks))]
		order := "ord_" + w.upperAlnum(14)
		fraud := time.Duration(15+w.r.Intn(30)) * time.Millisecond
		psp := pspLatency(t)
		timedOut := psp >= 8*time.Second
		declined := !timedOut && w.r.Intn(14) == 0
		dur := fraud + psp + 4*time.Millisecond
		status := 201
		ts0 := float64(t.Add(dur).UnixMilli()) / 1000
		switch {
		case timedOut:
			status = 504
			w.log(group, "payments/gateway/"+task.id, t.Add(dur), fmt.Sprintf(`{"level":"error","ts":%.4f,"caller":"psp/client.go:142","msg":"authorize failed","psp":"paylane","order_id":"%s","amount_minor":%d,"currency":"USD","latency_ms":%d,"error":"Post \"https://api.paylane-psp.com/v3/authorizations\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)","trace_id":"%s"}`, ts0, order, 500+w.r.Intn(40000), psp.Milliseconds(), w.hex(24)))
		case declined:
			status = 402
			w.log(group, "payments/gateway/"+task.id, t.Add(dur), fmt.Sprintf(`{"level":"error","ts":%.4f,"caller":"psp/client.go:158","msg":"authorize failed","psp":"paylane","order_id":"%s","amount_minor":%d,"currency":"USD","latency_ms":%d,"error":"psp: 402 card_declined (insufficient_funds)","trace_id":"%s"}`, ts0, order, 500+w.r.Intn(40000), psp.Milliseconds(), w.hex(24)))
		default:
			w.log(group, "payments/gateway/"+task.id, t.Add(dur), fmt.Sprintf(`{"level":"info","ts":%.4f,"caller":"http/handler.go:77","msg":"payment authorized","psp":"paylane","order_id":"%s","latency_ms":%d}`, ts0, order, dur.Milliseconds()))
		}
		tgtT := dur.Seconds()
		w.albLog(nodes[w.r.Intn(2)], albReq{t: t.Add(dur), client: w.publicIP() + fmt.Sprintf(":%d", 1024+w.r.Intn(60000)), target: task.ip + ":8443",
			reqT: 0.001, tgtT: tgtT, respT: 0, elbCode: fmt.Sprint(status), tgtCode: fmt.Sprint(status), recv: 900 + w.r.Intn(300), sent: 200 + w.r.Intn(300),
			method: "POST", url: "https://pay.tillpoint.io:443/payments/v1/authorize", proto: "HTTP/1.1", ua: "tillpoint-checkout/8.2.0 (+okhttp/4.12.0)",
			tg: tg, traceID: w.traceID(t), domain: "pay.tillpoint.io"})
		if w.r.Float64() < 0.07 || (timedOut && w.r.Float64() < 0.2) {
			seg := map[string]any{"id": w.hex(16), "name": "payments-gateway", "start_time": secs(t), "end_time": secs(t.Add(dur)), "origin": "AWS::ECS::Container",
				"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://pay.tillpoint.io/payments/v1/authorize", "client_ip": w.publicIP(), "x_forwarded_for": true}, "response": map[string]any{"status": status}},
				"aws":  map[string]any{"ecs": map[string]any{"container": "ip-" + task.ip}, "xray": map[string]any{"sdk_version": "1.8.4", "sdk": "X-Ray for Go"}}}
			fr := map[string]any{"id": w.hex(16), "name": "fraud-check.payments.internal", "start_time": secs(t.Add(time.Millisecond)), "end_time": secs(t.Add(fraud)), "namespace": "remote",
				"http": map[string]any{"request": map[string]any{"method": "POST", "url": "http://fraud-check.payments.internal/v1/score"}, "response": map[string]any{"status": 200, "content_length": 88}}}
			ps := map[string]any{"id": w.hex(16), "name": "api.paylane-psp.com", "start_time": secs(t.Add(fraud + 2*time.Millisecond)), "end_time": secs(t.Add(fraud + psp)), "namespace": "remote",
				"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://api.paylane-psp.com/v3/authorizations"}}}
			switch {
			case timedOut:
				ps["fault"] = true
				ps["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{w.exc("*url.Error", `Post "https://api.paylane-psp.com/v3/authorizations": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, true)}}
				seg["fault"] = true
			case declined:
				ps["http"].(map[string]any)["response"] = map[string]any{"status": 402, "content_length": 140}
				ps["error"] = true
				seg["error"] = true
			default:
				ps["http"].(map[string]any)["response"] = map[string]any{"status": 201, "content_length": 512}
			}
			seg["subsegments"] = []any{fr, ps}
			w.trace(w.traceID(t), dur.Seconds(), seg)
		}
	}
	for _, task := range tasks {
		w.each(w.start, w.end, 3*time.Minute, func(t time.Time) {
			w.log(group, "payments/gateway/"+task.id, t, fmt.Sprintf(`{"level":"warn","ts":%.4f,"caller":"webhook/retry.go:51","msg":"psp webhook delivery retried","attempt":%d,"event":"evt_%s"}`, float64(t.UnixMilli())/1000, 2+w.r.Intn(3), w.hex(16)))
		})
		w.each(w.start, w.end, 9*time.Minute, func(t time.Time) {
			w.log(group, "payments/gateway/"+task.id, t, fmt.Sprintf(`{"level":"error","ts":%.4f,"caller":"cache/redis.go:88","msg":"idempotency cache unavailable, continuing without it","error":"redis: connection pool timeout"}`, float64(t.UnixMilli())/1000))
		})
	}

	// ledger-api (Kotlin) with its blue/green deploy.
	cdStart := ts("2026-12-01T20:39:40Z")
	shift := ts("2026-12-01T20:42:30Z")
	blue, green := w.tasks(2), w.tasks(2)
	for t := w.start; t.Before(w.end); t = t.Add(1500*time.Millisecond + w.jitter(2*time.Second)) {
		set := blue
		if t.After(shift) {
			set = green
		}
		task := set[w.r.Intn(2)]
		w.log("/ecs/ledger-api", "ledger/ledger-api/"+task.id, t, fmt.Sprintf("%s INFO  [http-nio-8080-exec-%d] i.t.ledger.api.EntryController - posted entry %s (%d lines)", t.UTC().Format("2006-01-02 15:04:05.000"), 1+w.r.Intn(20), w.uuid(), 2+w.r.Intn(4)))
	}
	for _, task := range green {
		t0 := cdStart.Add(50*time.Second + w.jitter(20*time.Second))
		w.log("/ecs/ledger-api", "ledger/ledger-api/"+task.id, t0, t0.UTC().Format("2006-01-02 15:04:05.000")+" INFO  [main] i.t.ledger.LedgerApplicationKt - Started LedgerApplicationKt in 9.412 seconds (process running for 10.3)")
		w.log("/ecs/ledger-api", "ledger/ledger-api/"+task.id, t0.Add(time.Second), t0.Add(time.Second).UTC().Format("2006-01-02 15:04:05.000")+" WARN  [main] o.h.e.j.e.i.JdbcEnvironmentInitiator - HHH000342: Could not obtain connection to query metadata")
	}

	// Metrics.
	dimTG := [][2]string{{"TargetGroup", "targetgroup/payments-gateway-tg/e2a7c4b9d6f13058"}, {"LoadBalancer", lb}}
	dimLB := [][2]string{{"LoadBalancer", lb}}
	p99 := func(t time.Time) float64 {
		v := 0.9 + w.r.Float64()*0.2
		if !t.Before(slowFrom.Truncate(time.Minute)) {
			v = 2.6 + ramp(t, slowFrom, timeoutsFrom)*5
		}
		if !t.Before(timeoutsFrom.Truncate(time.Minute)) {
			v = 8.03 + w.r.Float64()*0.02
		}
		return v
	}
	w.metricPercentile("AWS/ApplicationELB", "TargetResponseTime", "p99", dimTG, "Seconds", 60, func(t time.Time) (float64, bool) { return p99(t), true })
	w.metric("AWS/ApplicationELB", "TargetResponseTime", dimTG, "Seconds", 60, func(t time.Time) (stat, bool) {
		r := ramp(t, slowFrom, timeoutsFrom.Add(8*time.Minute))
		if !t.Before(slowFrom.Truncate(time.Minute)) {
			r += 0.25
		}
		return gaugeStat(0.36+r*4.5+w.r.Float64()*0.05, 0.3+r*3.5, 95), true
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimTG, "Count", 60, func(t time.Time) (stat, bool) {
		if t.Before(timeoutsFrom.Truncate(time.Minute)) {
			return stat{}, false
		}
		r := ramp(t, timeoutsFrom, timeoutsFrom.Add(10*time.Minute))
		return countStat(math.Round(float64(80) * (0.15 + 0.35*r))), true
	})
	w.metric("AWS/ApplicationELB", "RequestCount", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		return countStat(float64(120 + w.r.Intn(20) + int(40*ramp(t, w.start, w.end)))), true
	})
	w.metric("Tillpoint/Payments", "PSPLatency", [][2]string{{"PSP", "paylane"}}, "Milliseconds", 60, func(t time.Time) (stat, bool) {
		r := ramp(t, slowFrom, timeoutsFrom.Add(8*time.Minute))
		if !t.Before(slowFrom.Truncate(time.Minute)) {
			r += 0.25
		}
		return gaugeStat(350+r*5500+w.r.Float64()*60, 200+r*2500, 80), true
	})
	w.metric("Tillpoint/Payments", "PSPLatency", [][2]string{{"PSP", "adyen-fallback"}}, "Milliseconds", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(410+w.r.Float64()*80, 150, 3), true
	})
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "payments"}, {"ServiceName", "payments-gateway"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(18+w.r.Float64()*4, 3, 6), true
	})
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "payments"}, {"ServiceName", "ledger-api"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		v := 25 + w.r.Float64()*5
		if t.After(cdStart.Add(time.Minute)) && t.Before(shift.Add(2*time.Minute)) {
			v += 40
		}
		return gaugeStat(v, 5, 2), true
	})
	w.metric("AWS/ApplicationELB", "ActiveConnectionCount", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		return countStat(float64(300 + w.r.Intn(40) + int(500*ramp(t, slowFrom, timeoutsFrom.Add(10*time.Minute))))), true
	})

	w.alarm("payments-gateway-p99-latency", "p99 latency of card authorisations", "AWS/ApplicationELB", "TargetResponseTime", "p99", dimTG, 60, 3, 5, "GreaterThanThreshold", w.start.Add(-22*time.Hour), alarmAt, 8.04, fmt.Sprintf("arn:aws:sns:%s:%s:payments-oncall", w.region, w.account))
	w.okAlarm("ledger-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", [][2]string{{"TargetGroup", "targetgroup/ledger-api-green/0c4f8e2a6b1d9357"}, {"LoadBalancer", lb}}, 10, "GreaterThanOrEqualToThreshold")

	// CloudTrail: routine, plus the changes that did not cause it.
	dev := w.ssoUser("PaymentsDeveloper", "r.castillo@tillpoint.io", "186.22.14.201")
	cp := w.roleActor("codepipeline-ledger-api-role", w.hex(20), "codepipeline.amazonaws.com", "codepipeline.amazonaws.com")
	cp.id["invokedBy"] = "codepipeline.amazonaws.com"
	cd := w.serviceRole("CodeDeployServiceRoleForECS", w.hex(32), "codedeploy.amazonaws.com")
	aas := w.serviceRole("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling", "ecs.application-autoscaling.amazonaws.com")
	gw := w.roleActor("payments-gateway-task-role", tasks[0].id, tasks[0].ip, "aws-sdk-go-v2/1.32.3 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/secretsmanager#1.34.3")
	w.routine(10, []func(time.Time){
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "payments-gateway-task-role"),
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "ledger-api-task-role"),
		w.getSecret(gw, fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/payments/paylane-api-key-Zx81Lm", w.region, w.account)),
		w.decrypt(gw, "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6", map[string]any{"service": "payments-gateway", "purpose": "pan-tokenization"}),
		w.readCall(gw, "ssm.amazonaws.com", "GetParameters", map[string]any{"names": []string{"/payments-gateway/prod/log_level", "/payments-gateway/prod/psp_timeout_ms"}, "withDecryption": false}),
		w.readCall(dev, "logs.amazonaws.com", "StartQuery", map[string]any{"logGroupNames": []string{"/ecs/payments-gateway"}, "queryString": "fields @timestamp, msg | filter level = 'error' | stats count() by bin(1m)"}),
		w.putMetricData(gw, "Tillpoint/Payments"),
		w.createLogStream(serviceActor("ecs-tasks.amazonaws.com"), "/ecs/ledger-api"),
	})
	w.call(ts("2026-12-01T20:36:05Z"), dev, ct{source: "ssm.amazonaws.com", name: "PutParameter",
		req:  map[string]any{"name": "/payments-gateway/prod/log_level", "type": "String", "overwrite": true, "tier": "Standard"},
		resp: map[string]any{"version": 7, "tier": "Standard"}})
	w.call(cdStart, cp, ct{source: "codedeploy.amazonaws.com", name: "CreateDeployment",
		req:  map[string]any{"applicationName": "AppECS-payments-ledger-api", "deploymentGroupName": "DgpECS-payments-ledger-api", "revision": map[string]any{"revisionType": "S3", "s3Location": map[string]any{"bucket": "tillpoint-pipeline-artifacts", "key": "ledger-api/BuildArtif/Kq2Xr9P", "bundleType": "zip"}}},
		resp: map[string]any{"deploymentId": "d-7QX2K9LMB"}})
	w.call(cdStart.Add(12*time.Second), cd, ct{source: "ecs.amazonaws.com", name: "CreateTaskSet",
		req:  map[string]any{"service": "ledger-api", "cluster": "payments", "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/ledger-api:66", w.region, w.account), "externalId": "ecs-svc/4822913407715561302"},
		resp: map[string]any{"taskSet": map[string]any{"id": "ecs-svc/4822913407715561302", "status": "ACTIVE", "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/ledger-api:66", w.region, w.account)}}})
	w.call(shift, cd, ct{source: "elasticloadbalancing.amazonaws.com", name: "ModifyRule",
		req:  map[string]any{"ruleArn": fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener-rule/app/pay-edge-alb/3d9a6f2c8e1b4075/8b2e4f6a1c3d5079/4a6c8e0b2d4f6183", w.region, w.account), "actions": []any{map[string]any{"type": "forward", "forwardConfig": map[string]any{"targetGroups": []any{map[string]any{"targetGroupArn": fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/ledger-api-green/0c4f8e2a6b1d9357", w.region, w.account), "weight": 100}, map[string]any{"targetGroupArn": fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/ledger-api-blue/6d1b3f5a7c9e2486", w.region, w.account), "weight": 0}}}}}},
		resp: map[string]any{"rules": []any{map[string]any{"priority": "20", "conditions": []any{map[string]any{"field": "path-pattern", "values": []string{"/ledger/*"}}}}}}})
	w.call(shift.Add(5*time.Minute), cd, ct{source: "ecs.amazonaws.com", name: "DeleteTaskSet",
		req: map[string]any{"service": "ledger-api", "cluster": "payments", "taskSet": "ecs-svc/1937466021853902114"}})
	w.call(ts("2026-12-01T20:46:30Z"), aas, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "payments", "service": "payments-gateway", "desiredCount": 8},
		resp: map[string]any{"service": map[string]any{"serviceName": "payments-gateway", "desiredCount": 8, "runningCount": 6}}})

	w.guardduty = []map[string]any{
		w.gdFinding("UnauthorizedAccess:EC2/SSHBruteForce", "172.20.9.14 is performing SSH brute force attacks against i-0d2c4b6a8e1f35079.", "172.20.9.14 is performing SSH brute force attacks against i-0d2c4b6a8e1f35079. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.", 2,
			map[string]any{"ResourceType": "Instance", "InstanceDetails": map[string]any{"InstanceId": "i-0d2c4b6a8e1f35079", "InstanceType": "t3.small"}},
			map[string]any{"ActionType": "NETWORK_CONNECTION", "NetworkConnectionAction": map[string]any{"ConnectionDirection": "INBOUND", "Protocol": "TCP", "Blocked": false, "LocalPortDetails": map[string]any{"Port": 22, "PortName": "SSH"}, "RemoteIpDetails": map[string]any{"IpAddressV4": "218.92.0.112"}}},
			w.start.Add(-4*24*time.Hour), w.start.Add(-3*time.Hour), 918),
		w.gdFinding("Discovery:S3/AnomalousBehavior", "An IAM entity invoked an S3 API in a suspicious way.", "An API commonly used to discover S3 objects was invoked by an IAM user in an anomalous way.", 5,
			map[string]any{"ResourceType": "AccessKey", "AccessKeyDetails": map[string]any{"AccessKeyId": "AKIA" + w.upperAlnum(16), "PrincipalId": "AIDA" + w.upperAlnum(17), "UserName": "legacy-reporting", "UserType": "IAMUser"}},
			map[string]any{"ActionType": "AWS_API_CALL", "AwsApiCallAction": map[string]any{"Api": "ListObjects", "CallerType": "Remote IP", "ServiceName": "s3.amazonaws.com"}},
			w.start.Add(-2*24*time.Hour), w.start.Add(-2*24*time.Hour), 3),
	}

	w.truth = map[string]any{
		"name": w.name, "kind": "dependency-latency", "alarm": "payments-gateway-p99-latency",
		"root_cause": nil, "no_change": true, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "PutParameter", "event_time": ts("2026-12-01T20:36:05Z")},
			{"event_name": "CreateDeployment", "event_time": cdStart},
			{"event_name": "ModifyRule", "event_time": shift},
			{"event_name": "UpdateService", "event_time": ts("2026-12-01T20:46:30Z")},
		},
		"signals": []string{"api.paylane-psp.com", "context deadline exceeded", "payments-gateway"},
	}
	return w
}
