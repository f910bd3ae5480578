package main

import (
	"fmt"
	"time"
)

// 2. An engineer preparing a migration overwrites the pricing API's
// INVENTORY_BASE_URL parameter with the staging host. Tasks resolve it only
// at start, so nothing happens for 45 minutes, until a routine scale-out
// starts two tasks that cannot resolve the host.
func ssmParamWrongHost() {
	s := newSnap("ssm-param-wrong-host", "eu-west-1", "771204938512", at("2026-11-24T08:35:00Z"), at("2026-11-24T10:05:00Z"))
	change := at("2026-11-24T08:47:03Z")
	scale := at("2026-11-24T09:31:52Z")
	onset := at("2026-11-24T09:33:27Z") // the first request a new task could not answer
	lb := "app/pricing-internal/3b9e6d1f0a7c2458"
	tg := "arn:aws:elasticloadbalancing:eu-west-1:771204938512:targetgroup/pricing-api/e6a1c9d3b7f02845"
	human := s.role("AWSReservedSSO_PlatformEngineer_4f1c2a9d7e3b8a60", "aws-reserved/sso.amazonaws.com/eu-west-1/", "tomasz.wojcik@kestrelgoods.eu", "aws-cli/2.22.1 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#ssm.put-parameter", "185.21.44.130")
	ci := s.role("github-actions-deploy", "", "GitHubActions", "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.8.0-1017-azure lang/js md/nodejs#20.18.0 api/ssm#3.693.0", "4.208.26.77")
	oldTasks := []struct{ id, ip string }{{"7f3a9c1e5b2d4086a4c8e1f09b3d5a72", "10.20.1.41"}, {"c2e8a4f6019b4d37b5e1a9c3f7d08e64", "10.20.2.118"}, {"19d5b7e3a0c64f28b1e9d3a7c5f02b86", "10.20.3.205"}, {"e4b0c8a2d6f14e93a7c5b1d9e3f08a27", "10.20.1.187"}}
	newTasks := []struct{ id, ip string }{{"5a8d2f6c0e1b4a97b3d5f7a9c1e3b580", "10.20.3.77"}, {"b9f1d3e5a7c04b28a6e0c2f4d8b1a396", "10.20.1.154"}}
	newUp := []time.Time{at("2026-11-24T09:33:19Z"), at("2026-11-24T09:33:34Z")}
	inventoryProd, inventoryStg := "http://inventory.prod.kestrel.internal:8080", "http://inventory.stg.kestrel.internal:8080"

	type minute struct{ req, t5 int }
	mins := map[time.Time]*minute{}
	bump := func(t time.Time) *minute {
		k := t.Truncate(time.Minute)
		if mins[k] == nil {
			mins[k] = &minute{}
		}
		return mins[k]
	}
	rate := func(t time.Time) float64 { return 90 + 60*t.Sub(s.start).Minutes()/90 } // the morning ramp that triggers the scale-out
	skus := []string{"KG-10442", "KG-20981", "KG-31877", "KG-40215", "KG-55603", "KG-61290", "KG-78834"}
	newStarted := map[int]bool{}
	s.every(s.start, s.end, rate, func(t time.Time) {
		m := bump(t)
		m.req++
		type task struct{ id, ip string }
		pool := []task{}
		for _, o := range oldTasks {
			pool = append(pool, task(o))
		}
		for i, n := range newTasks {
			if !t.Before(newUp[i]) {
				pool = append(pool, task(n))
			}
		}
		k := s.rng.Intn(len(pool))
		tk := pool[k]
		isNew := k >= len(oldTasks)
		if isNew && !newStarted[k] {
			newStarted[k] = true
		}
		sku := skus[s.rng.Intn(len(skus))]
		path := "/v1/prices/" + sku
		needsStock := s.rng.Float64() < 0.72
		status, dur := 200, 0.015+s.rng.Float64()*0.05
		stream := "pricing/pricing-api/" + tk.id
		if needsStock && isNew {
			status, dur = 503, 0.004+s.rng.Float64()*0.01
			m.t5++
			s.log("/ecs/pricing-api", stream, t, jsonLine(map[string]any{"event": "inventory lookup failed", "level": "error", "logger": "pricing.clients.inventory", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "sku": sku,
				"exception": "Traceback (most recent call last):\n  File \"/app/.venv/lib/python3.12/site-packages/httpx/_transports/default.py\", line 72, in map_httpcore_exceptions\n    yield\n  File \"/app/.venv/lib/python3.12/site-packages/httpx/_transports/default.py\", line 377, in handle_async_request\n    resp = await self._pool.handle_async_request(req)\n  File \"/app/.venv/lib/python3.12/site-packages/httpcore/_async/connection.py\", line 124, in _connect\n    stream = await self._network_backend.connect_tcp(**kwargs)\nsocket.gaierror: [Errno -2] Name or service not known\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/app/pricing/clients/inventory.py\", line 58, in stock_level\n    resp = await self._client.get(f\"/v2/stock/{sku}\")\nhttpx.ConnectError: [Errno -2] Name or service not known"}))
		} else if needsStock && s.rng.Intn(140) == 0 {
			status, dur = 504, 2.0
			m.t5++
			s.log("/ecs/pricing-api", stream, t, jsonLine(map[string]any{"event": "inventory lookup failed", "level": "error", "logger": "pricing.clients.inventory", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "sku": sku,
				"exception": "Traceback (most recent call last):\n  File \"/app/pricing/clients/inventory.py\", line 58, in stock_level\n    resp = await self._client.get(f\"/v2/stock/{sku}\")\nhttpx.ReadTimeout: timed out"}))
		} else if needsStock {
			s.log("/ecs/inventory-api", "inventory/inventory-api/0c4e8a2f6b1d4973", t, fmt.Sprintf(`time=%s level=info msg="stock lookup" sku=%s warehouse=DUB2 qty=%d dur=%.1fms`, t.Format("2006-01-02T15:04:05.000Z"), sku, s.rng.Intn(400), 2+s.rng.Float64()*6))
		}
		phrase := map[int]string{200: "OK", 503: "Service Unavailable", 504: "Gateway Timeout"}[status]
		s.log("/ecs/pricing-api", stream, t.Add(time.Duration(dur*float64(time.Second))), fmt.Sprintf(`INFO:     %s:%d - "GET %s HTTP/1.1" %d %s`, "10.20.0."+fmt.Sprint(10+s.rng.Intn(4)), 30000+s.rng.Intn(30000), path, status, phrase))
		s.albLog(lb, albReq{t: t, proto: "http", client: fmt.Sprintf("10.20.%d.%d:%d", s.rng.Intn(4), 10+s.rng.Intn(200), 30000+s.rng.Intn(30000)), target: tk.ip + ":8000",
			reqT: 0.000, tgtT: dur, respT: 0.000, elbStatus: fmt.Sprint(status), tgtStatus: fmt.Sprint(status), recv: 210, sent: 180 + s.rng.Intn(200),
			method: "GET", url: "http://pricing.internal.kestrelgoods.eu:80" + path, ua: "checkout-web/4.12.0 python-httpx/0.27.2", tgArn: tg, rulePriority: "0", actions: "forward"})
	})
	// Startup lines of the two new tasks, and the ECS agent pulling their secrets.
	for i, n := range newTasks {
		t := newUp[i].Add(-22 * time.Second)
		st := "pricing/pricing-api/" + n.id
		s.log("/ecs/pricing-api", st, t, `INFO:     Started server process [1]`)
		s.log("/ecs/pricing-api", st, t.Add(30*time.Millisecond), jsonLine(map[string]any{"event": "settings loaded", "level": "info", "logger": "pricing.settings", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "environment": "prod", "inventory_base_url": inventoryStg, "cache_ttl_s": 30, "region": "eu-west-1"}))
		s.log("/ecs/pricing-api", st, t.Add(80*time.Millisecond), `INFO:     Application startup complete.`)
		s.log("/ecs/pricing-api", st, t.Add(90*time.Millisecond), `INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)`)
		s.ct(t.Add(-25*time.Second), "ssm.amazonaws.com", "GetParameters", s.role("pricing-api-execution", "", "ecs-execution-"+n.id[:8], "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)", "ecs.amazonaws.com").viaService("ecs.amazonaws.com"), true,
			map[string]any{"names": []string{"/prod/pricing-api/INVENTORY_BASE_URL", "/prod/pricing-api/DATABASE_URL", "/prod/pricing-api/FEATURE_PROMO_BANNER"}, "withDecryption": true}, nil)
	}
	_ = inventoryProd
	// Health checks are answered by every task, including the new ones.
	s.every(s.start, s.end, flat(2), func(t time.Time) {
		s.log("/ecs/pricing-api", "pricing/pricing-api/"+oldTasks[s.rng.Intn(4)].id, t, fmt.Sprintf(`INFO:     10.20.0.%d:%d - "GET /healthz HTTP/1.1" 200 OK`, 10+s.rng.Intn(4), 30000+s.rng.Intn(30000)))
	})
	s.every(s.start, s.end, flat(0.2), func(t time.Time) {
		s.log("/ecs/inventory-api", "inventory/inventory-api/0c4e8a2f6b1d4973", t, fmt.Sprintf(`time=%s level=warn msg="slow query" query=stock_by_sku dur=%dms rows=1`, t.Format("2006-01-02T15:04:05.000Z"), 250+s.rng.Intn(600)))
	})
	s.every(s.start, s.end, flat(0.05), func(t time.Time) {
		s.log("/ecs/inventory-api", "inventory/inventory-api/0c4e8a2f6b1d4973", t, fmt.Sprintf(`time=%s level=error msg="replica lag above threshold" lag_s=%d replica=inventory-ro-2`, t.Format("2006-01-02T15:04:05.000Z"), 6+s.rng.Intn(8)))
	})
	// X-Ray: a sample of pricing traces.
	s.every(s.start, s.end, flat(1.2), func(t time.Time) {
		isNew := !t.Before(newUp[0]) && s.rng.Intn(3) == 0
		host, fault := "inventory.prod.kestrel.internal", false
		if isNew {
			host, fault = "inventory.stg.kestrel.internal", true
		}
		id := s.traceID(t)
		sub := map[string]any{"id": s.hex(16), "name": host, "namespace": "remote", "start_time": epoch(t.Add(3 * time.Millisecond)), "end_time": epoch(t.Add(12 * time.Millisecond)),
			"http": map[string]any{"request": map[string]any{"method": "GET", "url": "http://" + host + ":8080/v2/stock/KG-20981"}}}
		seg := map[string]any{"id": s.hex(16), "name": "pricing-api", "start_time": epoch(t), "end_time": epoch(t.Add(40 * time.Millisecond)), "origin": "AWS::ECS::Container",
			"http": map[string]any{"request": map[string]any{"method": "GET", "url": "http://pricing.internal.kestrelgoods.eu/v1/prices/KG-20981"}, "response": map[string]any{"status": 200}},
			"aws":  map[string]any{"ecs": map[string]any{"container": "pricing-api", "cluster": "kestrel-prod"}}, "subsegments": []any{sub}}
		if fault {
			sub["fault"] = true
			sub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": s.hex(16), "type": "ConnectError", "message": "[Errno -2] Name or service not known", "remote": true}}}
			seg["fault"] = true
			seg["http"].(map[string]any)["response"] = map[string]any{"status": 503}
		} else {
			sub["http"].(map[string]any)["response"] = map[string]any{"status": 200}
		}
		s.addTrace(id, seg)
	})

	lbDim := dim{"LoadBalancer", lb}
	get := func(t time.Time) *minute {
		if m := mins[t]; m != nil {
			return m
		}
		return &minute{}
	}
	s.counter("AWS/ApplicationELB", "RequestCount", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { return float64(get(t).req), true })
	s.counter("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.t5), m.t5 > 0 })
	s.gauge("AWS/ApplicationELB", "TargetResponseTime", []dim{lbDim}, "Seconds", func(t time.Time) (float64, bool) { return s.noisy(0.041, 0.2), true })
	svc := []dim{{"ClusterName", "kestrel-prod"}, {"ServiceName", "pricing-api"}}
	s.gauge("AWS/ECS", "CPUUtilization", svc, "Percent", func(t time.Time) (float64, bool) {
		base := 38 + 34*t.Sub(s.start).Minutes()/56
		if t.After(newUp[1]) {
			base = 52
		}
		return s.noisy(base, 0.08), true
	})
	s.gauge("ECS/ContainerInsights", "RunningTaskCount", svc, "Count", func(t time.Time) (float64, bool) {
		switch {
		case t.Before(at("2026-11-24T09:33:00Z")):
			return 4, true
		default:
			return 6, true
		}
	})
	s.gauge("AWS/ApplicationELB", "HealthyHostCount", []dim{{"TargetGroup", "targetgroup/pricing-api/e6a1c9d3b7f02845"}, lbDim}, "Count", func(t time.Time) (float64, bool) {
		if t.Before(at("2026-11-24T09:34:00Z")) {
			return 4, true
		}
		return 6, true
	})
	s.alarm(alarmSpec{name: "pricing-api-target-5xx", desc: "pricing-api answers 5xx through pricing-internal ALB", ns: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", stat: "Sum",
		cmp: "GreaterThanOrEqualToThreshold", dims: []dim{lbDim}, threshold: 15, period: 60, evals: 3, state: "ALARM", at: at("2026-11-24T09:37:14Z"), topic: "arn:aws:sns:eu-west-1:771204938512:pricing-oncall",
		reason: "Threshold Crossed: 3 out of the last 3 datapoints [31.0 (24/11/24 09:36:00), 29.0 (24/11/24 09:35:00), 24.0 (24/11/24 09:34:00)] were greater than or equal to the threshold (15.0) (minimum 3 datapoints for OK -> ALARM transition)."})
	s.alarm(alarmSpec{name: "pricing-api-cpu-high", desc: "Target tracking scale-out (managed by Application Auto Scaling)", ns: "AWS/ECS", metric: "CPUUtilization", stat: "Average",
		cmp: "GreaterThanThreshold", dims: svc, threshold: 60, period: 60, evals: 3, state: "OK", at: at("2026-11-24T09:35:40Z"), topic: "arn:aws:autoscaling:eu-west-1:771204938512:scalingPolicy:4b1e:resource/ecs/service/kestrel-prod/pricing-api:policyName/cpu60",
		reason: "Threshold Crossed: 3 datapoints were not greater than the threshold (60.0)."})

	s.noise(noiseSpec{taskRoles: []string{"pricing-api-task", "inventory-api-task", "checkout-web-task"}, logGroups: []string{"/ecs/pricing-api", "/ecs/inventory-api", "/ecs/checkout-web"},
		monitor: s.role("grafana-cloudwatch-reader", "", "grafana", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) Grafana/11.3.0", "34.240.12.88"), ci: ci,
		repos: []string{"pricing-api", "inventory-api", "checkout-web"}, humans: []who{human, s.role("AWSReservedSSO_Developer_8e2a4c6f1b3d5e70", "aws-reserved/sso.amazonaws.com/eu-west-1/", "ines.moreau@kestrelgoods.eu", "AWS Internal", "91.160.2.18")},
		perMinute: 4, extraReads: []string{"ssm.amazonaws.com:GetParametersByPath", "ssm.amazonaws.com:DescribeParameters", "ecs.amazonaws.com:DescribeTasks"}})
	ssmSrc := "ssm.amazonaws.com"
	s.ct(at("2026-11-24T08:44:50Z"), ssmSrc, "GetParameter", human, true, map[string]any{"name": "/prod/pricing-api/INVENTORY_BASE_URL"}, nil)
	s.ct(change, ssmSrc, "PutParameter", human, false, map[string]any{"name": "/prod/pricing-api/INVENTORY_BASE_URL", "type": "String", "overwrite": true, "value": "HIDDEN_DUE_TO_SECURITY_REASONS"}, map[string]any{"version": 7, "tier": "Standard"})
	s.ct(at("2026-11-24T08:48:12Z"), ssmSrc, "PutParameter", human, false, map[string]any{"name": "/prod/pricing-api/FEATURE_PROMO_BANNER", "type": "String", "overwrite": true, "value": "HIDDEN_DUE_TO_SECURITY_REASONS"}, map[string]any{"version": 12, "tier": "Standard"})
	s.ct(at("2026-11-24T09:05:31Z"), "ecs.amazonaws.com", "RegisterTaskDefinition", ci, false,
		map[string]any{"family": "pricing-api", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "512", "memory": "1024", "containerDefinitions": []any{map[string]any{"name": "pricing-api", "image": "771204938512.dkr.ecr.eu-west-1.amazonaws.com/pricing-api:sha-4e1b9c2"}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:eu-west-1:771204938512:task-definition/pricing-api:219", "revision": 219, "status": "ACTIVE"}})
	s.ct(at("2026-11-24T09:29:40Z"), ssmSrc, "PutParameter", ci, false, map[string]any{"name": "/prod/checkout-web/PAYMENT_TIMEOUT_MS", "type": "String", "overwrite": true, "value": "HIDDEN_DUE_TO_SECURITY_REASONS"}, map[string]any{"version": 4, "tier": "Standard"})
	autoscale := s.role("AWSServiceRoleForApplicationAutoScaling_ECSService", "aws-service-role/ecs.application-autoscaling.amazonaws.com/", "AutoScaling", "", "").viaService("application-autoscaling.amazonaws.com")
	s.ct(scale, "ecs.amazonaws.com", "UpdateService", autoscale, false, map[string]any{"cluster": "kestrel-prod", "service": "pricing-api", "desiredCount": 6},
		map[string]any{"service": map[string]any{"serviceName": "pricing-api", "clusterArn": "arn:aws:ecs:eu-west-1:771204938512:cluster/kestrel-prod", "desiredCount": 6, "runningCount": 4, "taskDefinition": "arn:aws:ecs:eu-west-1:771204938512:task-definition/pricing-api:218"}})
	for i, n := range newTasks {
		s.ct(newUp[i].Add(-3*time.Second), "elasticloadbalancing.amazonaws.com", "RegisterTargets", service("ecs.amazonaws.com"), false, map[string]any{"targetGroupArn": tg, "targets": []any{map[string]any{"id": n.ip, "port": 8000}}}, nil)
	}

	s.write("pricing-api 5xx after scale-out", "pricing-api (Python 3.12, FastAPI under uvicorn, structlog JSON) runs on ECS Fargate in cluster kestrel-prod behind the internal ALB pricing-internal. It reads its settings from SSM Parameter Store under /prod/pricing-api/ as ECS secrets, resolved when a task starts; INVENTORY_BASE_URL points at inventory-api (Go, logfmt). Application Auto Scaling tracks CPU at 60% between 4 and 10 tasks. Callers are checkout-web and the mobile BFF.",
		truth{Kind: "ssm-parameter", Alarm: "pricing-api-target-5xx",
			RootCause: &rootCause{EventName: "PutParameter", EventTime: change, Resource: "/prod/pricing-api/INVENTORY_BASE_URL"},
			Onset:     onset,
			Decoys: []decoy{
				{"PutParameter", at("2026-11-24T08:48:12Z"), "same person, same service's promo-banner flag, read at runtime"},
				{"RegisterTaskDefinition", at("2026-11-24T09:05:31Z"), "CI registers a revision that is never deployed"},
				{"PutParameter", at("2026-11-24T09:29:40Z"), "CI changes another service's parameter 4 minutes before the onset"},
				{"UpdateService", scale, "Application Auto Scaling's routine scale-out; it starts the tasks that read the bad value, but is not the change"},
			},
			Signals: []string{"inventory.stg.kestrel.internal", "Name or service not known"}})
}

// 3. A network pipeline replaces the S3 gateway endpoint's policy with a
// guardrail that denies buckets outside the account, forgetting that the
// invoices bucket lives in the shared storage account. Calls from inside the
// VPC fail with an explicit deny in a VPC endpoint policy; a Lambda outside
// the VPC keeps reading the same bucket.
func vpcePolicyS3Deny() {
	s := newSnap("vpce-policy-s3-deny", "us-east-1", "284619037755", at("2026-11-26T10:05:00Z"), at("2026-11-26T11:35:00Z"))
	change := at("2026-11-26T11:02:14Z")
	onset := at("2026-11-26T11:02:29Z")
	vpce, ddb := "vpce-0c7e19a2f4b6d8e31", "vpce-05b2a8c1d9e7f4a60"
	bucket := "northwind-invoices-prod"
	ci := s.role("terraform-network-apply", "", "GitHubActions-8812345", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.187.0", "20.42.17.203")
	human := s.role("AWSReservedSSO_AdministratorAccess_2d4f6a8c0e1b3d5f", "aws-reserved/sso.amazonaws.com/", "sam.whitfield@northwindpay.com", "AWS Internal", "98.207.164.12")
	rendererRole := "invoice-renderer-task"
	type minute struct{ rendered, failed, sent int }
	mins := map[time.Time]*minute{}
	bump := func(t time.Time) *minute {
		k := t.Truncate(time.Minute)
		if mins[k] == nil {
			mins[k] = &minute{}
		}
		return mins[k]
	}
	streams := []string{"renderer/invoice-renderer/8b2d4f6a0c1e4a3b9d5f7a1c3e5b7d90", "renderer/invoice-renderer/1e3c5a7b9d0f4e2a8c6b4d2f0a9e7c51"}
	s.every(s.start, s.end, flat(22), func(t time.Time) {
		m := bump(t)
		m.sent++
		inv := fmt.Sprintf("INV-2026-%06d", 310000+s.rng.Intn(90000))
		key := fmt.Sprintf("2026/11/26/%s.pdf", inv)
		st := streams[s.rng.Intn(2)]
		ts := t.Format("2006-01-02 15:04:05,000")
		th := fmt.Sprintf("sqs-listener-%d", 1+s.rng.Intn(8))
		if !t.Before(onset) {
			m.failed++
			s.log("/ecs/invoice-renderer", st, t, fmt.Sprintf(`%s ERROR [%s] n.i.render.RenderJobHandler - render job failed invoice=%s attempt=%d
software.amazon.awssdk.services.s3.model.S3Exception: User: arn:aws:sts::284619037755:assumed-role/%s/%s is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::%s/%s" with an explicit deny in a VPC endpoint policy (Service: S3, Status Code: 403, Request ID: %s, Extended Request ID: %s)
	at software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)
	at software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)
	at software.amazon.awssdk.services.s3.DefaultS3Client.putObject(DefaultS3Client.java:11325)
	at com.northwind.invoices.render.PdfStore.put(PdfStore.java:47)
	at com.northwind.invoices.render.RenderJobHandler.handle(RenderJobHandler.java:88)`, ts, th, inv, 1+s.rng.Intn(3), rendererRole, s.hex(32), bucket, key, s.upperAlnum(16), s.hex(40)))
			return
		}
		m.rendered++
		s.log("/ecs/invoice-renderer", st, t, fmt.Sprintf(`%s INFO  [%s] n.i.render.RenderJobHandler - rendered invoice=%s pages=%d bytes=%d key=s3://%s/%s in %dms`, ts, th, inv, 1+s.rng.Intn(4), 40000+s.rng.Intn(90000), bucket, key, 300+s.rng.Intn(900)))
	})
	// Pre-existing noise in the renderer: missing logos and a slow tax service.
	s.every(s.start, s.end, flat(0.25), func(t time.Time) {
		s.log("/ecs/invoice-renderer", streams[0], t, fmt.Sprintf(`%s WARN  [sqs-listener-3] n.i.render.Branding - logo not found for merchant=%d, using default: NoSuchKey: The specified key does not exist. (Service: S3, Status Code: 404)`, t.Format("2006-01-02 15:04:05,000"), 40000+s.rng.Intn(9000)))
	})
	s.every(s.start, s.end, flat(0.07), func(t time.Time) {
		s.log("/ecs/invoice-renderer", streams[1], t, t.Format("2006-01-02 15:04:05,000")+` ERROR [sqs-listener-6] n.i.tax.TaxClient - tax lookup failed, falling back to cached rate
java.net.SocketTimeoutException: Read timed out
	at java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)
	at com.northwind.invoices.tax.TaxClient.rate(TaxClient.java:62)`)
	})
	// invoice-api (in the VPC) serves downloads through GetObject.
	s.every(s.start, s.end, flat(9), func(t time.Time) {
		inv := fmt.Sprintf("INV-2026-%06d", 200000+s.rng.Intn(190000))
		if !t.Before(onset) {
			s.log("/ecs/invoice-api", "api/invoice-api/4c6e8a0b2d1f4e3c", t, fmt.Sprintf(`[%s] ERROR invoices.download: download failed for %s
Traceback (most recent call last):
  File "/srv/invoices/download.py", line 41, in fetch_pdf
    obj = s3.get_object(Bucket=BUCKET, Key=key)
  File "/usr/local/lib/python3.11/site-packages/botocore/client.py", line 1023, in _make_api_call
    raise error_class(parsed_response, operation_name)
botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::284619037755:assumed-role/invoice-api-task/%s is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::%s/2026/10/%s.pdf" with an explicit deny in a VPC endpoint policy`, t.Format("2006-01-02 15:04:05,000"), inv, s.hex(32), bucket, inv))
			s.log("/ecs/invoice-api", "api/invoice-api/4c6e8a0b2d1f4e3c", t.Add(4*time.Millisecond), fmt.Sprintf(`[%s] INFO gunicorn.access: 10.12.%d.%d "GET /v1/invoices/%s/pdf HTTP/1.1" 500 53`, t.Format("2006-01-02 15:04:05,000"), s.rng.Intn(4), s.rng.Intn(250), inv))
			return
		}
		st := 200
		if s.rng.Intn(30) == 0 {
			st = 404
		}
		s.log("/ecs/invoice-api", "api/invoice-api/4c6e8a0b2d1f4e3c", t, fmt.Sprintf(`[%s] INFO gunicorn.access: 10.12.%d.%d "GET /v1/invoices/%s/pdf HTTP/1.1" %d %d`, t.Format("2006-01-02 15:04:05,000"), s.rng.Intn(4), s.rng.Intn(250), inv, st, 20000+s.rng.Intn(80000)))
	})
	// The thumbnailer Lambda runs outside the VPC and keeps working.
	s.every(s.start, s.end, flat(3), func(t time.Time) {
		rid := s.uuid()
		g := "/aws/lambda/invoice-thumbnailer"
		st := "2026/11/26/[$LATEST]" + s.hex(32)
		s.log(g, st, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
		s.log(g, st, t.Add(150*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tthumbnail written s3://%s/thumbs/INV-2026-%06d.png", t.Format("2006-01-02T15:04:05.000Z"), rid, bucket, 300000+s.rng.Intn(99999)))
		s.log(g, st, t.Add(160*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
		s.log(g, st, t.Add(161*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: 187 MB", rid, 150+s.rng.Float64()*40, 151+s.rng.Intn(40)))
	})
	// X-Ray from the renderer.
	s.every(s.start, s.end, flat(1), func(t time.Time) {
		sub := map[string]any{"id": s.hex(16), "name": "S3", "namespace": "aws", "start_time": epoch(t.Add(400 * time.Millisecond)), "end_time": epoch(t.Add(460 * time.Millisecond)),
			"aws": map[string]any{"operation": "PutObject", "region": "us-east-1", "bucket_name": bucket, "request_id": s.upperAlnum(16)}, "http": map[string]any{"response": map[string]any{"status": 200}}}
		seg := map[string]any{"id": s.hex(16), "name": "invoice-renderer", "start_time": epoch(t), "end_time": epoch(t.Add(480 * time.Millisecond)), "origin": "AWS::ECS::Container", "subsegments": []any{sub}}
		if !t.Before(onset) {
			sub["http"] = map[string]any{"response": map[string]any{"status": 403}}
			sub["error"] = true
			sub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": s.hex(16), "type": "S3Exception", "message": "User: arn:aws:sts::284619037755:assumed-role/invoice-renderer-task/... is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::northwind-invoices-prod/...\" with an explicit deny in a VPC endpoint policy (Service: S3, Status Code: 403)", "remote": true}}}
			seg["fault"] = true
		}
		s.addTrace(s.traceID(t), seg)
	})

	get := func(t time.Time) *minute {
		if m := mins[t]; m != nil {
			return m
		}
		return &minute{}
	}
	q := []dim{{"QueueName", "invoice-render-jobs"}}
	dlq := []dim{{"QueueName", "invoice-render-jobs-dlq"}}
	s.counter("AWS/SQS", "NumberOfMessagesSent", q, "Count", func(t time.Time) (float64, bool) { return float64(get(t).sent), true })
	s.counter("AWS/SQS", "NumberOfMessagesDeleted", q, "Count", func(t time.Time) (float64, bool) { return float64(get(t).rendered), true })
	backlog := 0.0
	s.gauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", func(t time.Time) (float64, bool) {
		if !t.Before(onset.Truncate(time.Minute)) {
			backlog += float64(get(t).failed) * 0.6
		}
		return backlog + float64(s.rng.Intn(4)), true
	})
	s.gauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Count", func(t time.Time) (float64, bool) {
		if t.Before(at("2026-11-26T11:05:00Z")) {
			return 2, true // two poison messages from last week nobody has redriven
		}
		return 2 + 18*t.Sub(at("2026-11-26T11:05:00Z")).Minutes(), true
	})
	s.counter("Northwind/Invoices", "InvoicesRendered", []dim{{"Service", "invoice-renderer"}}, "Count", func(t time.Time) (float64, bool) { return float64(get(t).rendered), true })
	s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "northwind-billing"}, {"ServiceName", "invoice-renderer"}}, "Percent", func(t time.Time) (float64, bool) {
		if !t.Before(onset.Truncate(time.Minute)) {
			return s.noisy(9, 0.2), true
		}
		return s.noisy(46, 0.15), true
	})
	s.alarm(alarmSpec{name: "invoice-render-dlq-growing", desc: "Render jobs landing in the DLQ (more than the known poison messages)", ns: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", stat: "Maximum",
		cmp: "GreaterThanThreshold", dims: dlq, threshold: 10, period: 60, evals: 2, state: "ALARM", at: at("2026-11-26T11:07:45Z"), topic: "arn:aws:sns:us-east-1:284619037755:billing-oncall",
		reason: "Threshold Crossed: 2 out of the last 2 datapoints [38.0 (26/11/26 11:06:00), 20.0 (26/11/26 11:05:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."})

	s.noise(noiseSpec{taskRoles: []string{rendererRole, "invoice-api-task", "reporting-etl-task"}, logGroups: []string{"/ecs/invoice-renderer", "/ecs/invoice-api", "/ecs/reporting-etl"},
		monitor: s.role("NewRelicInfrastructure-Integrations", "", "newrelic", "aws-sdk-java/1.12.772 Linux/5.10.227-219.884.amzn2.x86_64", "162.247.241.2"),
		ci:      s.role("github-actions-ecr", "", "GitHubActions", "aws-cli/2.18.4 md/command#ecr.put-image", "52.176.10.4"), repos: []string{"invoice-renderer", "invoice-api"},
		humans: []who{human}, perMinute: 4, extraReads: []string{"ec2.amazonaws.com:DescribeVpcEndpoints", "s3.amazonaws.com:GetBucketPolicy", "iam.amazonaws.com:GetRolePolicy"}})
	s.ct(at("2026-11-26T10:41:18Z"), "iam.amazonaws.com", "PutRolePolicy", human, false,
		map[string]any{"roleName": "reporting-etl-task", "policyName": "athena-results", "policyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::northwind-athena-results/*"},{"Effect":"Allow","Action":["athena:StartQueryExecution","athena:GetQueryResults"],"Resource":"*"}]}`}, nil)
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"AllowAll","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"DenyBucketsOutsideOrgAccount","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"s3:ResourceAccount":["284619037755"]},"ForAllValues:StringNotLike":{"aws:CalledVia":["*"]}}}]}`
	s.ct(at("2026-11-26T11:01:51Z"), "ec2.amazonaws.com", "ModifyVpcEndpoint", ci, false,
		map[string]any{"ModifyVpcEndpointRequest": map[string]any{"VpcEndpointId": ddb, "AddRouteTableId": map[string]any{"tag": 1, "content": "rtb-0f2a4c6e8b1d3a5c7"}}},
		map[string]any{"ModifyVpcEndpointResponse": map[string]any{"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": s.uuid(), "return": true}})
	s.ct(change, "ec2.amazonaws.com", "ModifyVpcEndpoint", ci, false,
		map[string]any{"ModifyVpcEndpointRequest": map[string]any{"VpcEndpointId": vpce, "PolicyDocument": policy}},
		map[string]any{"ModifyVpcEndpointResponse": map[string]any{"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": s.uuid(), "return": true}})
	s.ct(at("2026-11-26T11:06:30Z"), "s3.amazonaws.com", "PutBucketLifecycle", human, false,
		map[string]any{"bucketName": "northwind-invoice-templates", "Host": "northwind-invoice-templates.s3.us-east-1.amazonaws.com", "lifecycle": ""}, nil)
	s.ct(at("2026-11-26T11:08:02Z"), "ec2.amazonaws.com", "DescribeVpcEndpoints", human, true, map[string]any{"DescribeVpcEndpointsRequest": map[string]any{"VpcEndpointId": map[string]any{"tag": 1, "content": vpce}}}, nil)

	s.write("Invoice PDFs fail to render and download", "Billing runs in VPC vpc-0a4c6e8f (us-east-1): invoice-renderer (Java 21, AWS SDK v2, logback) consumes SQS invoice-render-jobs and writes PDFs to s3://northwind-invoices-prod, a bucket owned by the shared storage account 905417263380; invoice-api (Python 3.11, gunicorn, boto3) serves downloads from the same bucket. Both reach S3 through the gateway endpoint vpce-0c7e19a2f4b6d8e31; DynamoDB through vpce-05b2a8c1d9e7f4a60. invoice-thumbnailer is a Lambda outside the VPC. The network stack (endpoints, route tables) is applied by Terraform from GitHub Actions.",
		truth{Kind: "vpc-endpoint-policy", Alarm: "invoice-render-dlq-growing",
			RootCause: &rootCause{EventName: "ModifyVpcEndpoint", EventTime: change, Resource: vpce},
			Onset:     onset,
			Decoys: []decoy{
				{"PutRolePolicy", at("2026-11-26T10:41:18Z"), "an IAM policy change on another task role (S3 permissions!) 20 minutes earlier"},
				{"ModifyVpcEndpoint", at("2026-11-26T11:01:51Z"), "same pipeline, same API, the DynamoDB endpoint's route table, 23 s before the real one"},
				{"PutBucketLifecycle", at("2026-11-26T11:06:30Z"), "a lifecycle rule on the templates bucket after the onset"},
			},
			Signals: []string{"explicit deny in a VPC endpoint policy", "northwind-invoices-prod"}})
}
