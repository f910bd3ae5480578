package main

import (
	"fmt"
	"time"
)

// apigwUsagePlan: UpdateUsagePlan lowers the gold partner plan's rate limit
// from 500 to 5 rps; only that partner's key (Meridian Freight) gets 429s.
func apigwUsagePlan() {
	onset := ts("2026-10-14T14:23:00Z")
	s := newS("apigw-usage-plan-throttle", "us-east-1", "318274650912", 9101, onset)
	s.Title = "shipments-api prod: 4XX error rate"
	s.Arch = "REST API Gateway 'shipments-api' (stage prod, id 4hq7k2m9xa) with API keys and usage plans per partner tier, proxying to an ECS Fargate service 'shipments-svc' (Python, structlog) behind an internal ALB; partners integrate by API key."
	change := ts("2026-10-14T14:22:37Z")
	s.Start = onset.Add(-45 * time.Minute) // the partner traffic is dense: a shorter baseline keeps the snapshot small
	apiID := "4hq7k2m9xa"
	keys := []struct {
		id, name string
		rate     float64
		gold     bool
	}{
		{"k3v8mz1qf2", "meridian-freight-prod", 5.8, true},
		{"p0w4hd7ty6", "harbor-line-prod", 0.8, false},
		{"c9r2xe5nb8", "mobile-app-ios", 0.7, false},
		{"j6t1qa3ls0", "mobile-app-android", 0.6, false},
		{"u2m9gk4wd5", "ops-dashboard", 0.15, false},
	}
	access := "API-Gateway-Access-Logs_shipments-api/prod"
	exec := "API-Gateway-Execution-Logs_" + apiID + "/prod"
	svc := "/ecs/shipments-svc"
	streams := []string{"shipments-svc/app/" + s.hex(32), "shipments-svc/app/" + s.hex(32), "shipments-svc/app/" + s.hex(32)}
	accStreams := []string{s.hex(32), s.hex(32), s.hex(32), s.hex(32)}
	paths := []string{"/v1/shipments", "/v1/shipments/{id}", "/v1/rates", "/v1/tracking/{trackingNumber}"}
	type minute struct {
		count, c4, c5 float64
		lat, ilat     float64
		n             int
	}
	per := map[int64]*minute{}
	tokens := 10.0
	last := s.Start
	s.seconds(func(t time.Time) {
		mn := per[t.Truncate(time.Minute).Unix()]
		if mn == nil {
			mn = &minute{}
			per[t.Truncate(time.Minute).Unix()] = mn
		}
		for _, k := range keys {
			rate := k.rate
			if k.gold && t.Hour() == 14 && t.Minute()%10 < 3 {
				rate *= 1.6 // the partner's batch sync every 10 minutes
			}
			for i := s.poissonish(rate); i > 0; i-- {
				at := t.Add(time.Duration(s.r.Intn(1000)) * time.Millisecond)
				status, errMsg := 200, "-"
				ilat := s.jit(85, 0.5)
				path := paths[s.r.Intn(len(paths))]
				method := "GET"
				if path == "/v1/shipments" || path == "/v1/rates" {
					method = "POST"
				}
				if k.gold && !at.Before(change.Add(25*time.Second)) {
					tokens += at.Sub(last).Seconds() * 5
					if tokens > 10 {
						tokens = 10
					}
					last = at
					if tokens >= 1 {
						tokens--
					} else {
						status, errMsg = 429, "Too Many Requests"
					}
				}
				// pre-existing: mobile apps burst past their own plan now and then
				if k.name == "mobile-app-ios" && s.chance(0.004) {
					status, errMsg = 429, "Too Many Requests"
				}
				if k.name == "ops-dashboard" && s.chance(0.05) {
					status, errMsg = 403, "Forbidden"
				}
				if status == 200 && s.chance(0.006) {
					status, errMsg = 502, "Internal server error"
				}
				if status == 200 && path == "/v1/tracking/{trackingNumber}" && s.chance(0.03) {
					status = 404
				}
				rid := s.uuid()
				mn.count++
				lat := 0.0
				il := "-"
				if status == 429 || status == 403 {
					mn.c4++
					lat = s.jit(3, 0.6)
				} else {
					if status >= 500 {
						mn.c5++
					} else if status >= 400 {
						mn.c4++
					}
					lat = ilat + s.jit(12, 0.4)
					mn.ilat += ilat
					mn.n++
					il = fmt.Sprintf("%.0f", ilat)
				}
				mn.lat += lat
				ip := fmt.Sprintf("%d.%d.%d.%d", []int{52, 34, 18, 100}[len(k.name)%4], 20+len(k.name), 7, 10+len(k.id))
				s.log(access, accStreams[s.r.Intn(len(accStreams))], at.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf(`{"requestId":"%s","ip":"%s","requestTime":"%s","httpMethod":"%s","resourcePath":"%s","status":"%d","protocol":"HTTP/1.1","responseLength":"%d","apiKeyId":"%s","integrationLatency":"%s","responseLatency":"%.0f","errorMessage":"%s"}`,
					rid, ip, at.Format("02/Jan/2006:15:04:05 -0700"), method, path, status, 40+s.r.Intn(2000), k.id, il, lat, errMsg))
				if status >= 500 || (status == 429 && s.chance(0.03)) || s.chance(0.004) {
					es := accStreams[0] + "/prod"
					s.log(exec, es, at, fmt.Sprintf("(%s) Extended Request Id: %s=", rid, s.alnum(14, false)))
					if status == 429 {
						s.log(exec, es, at.Add(time.Millisecond), fmt.Sprintf("(%s) API Key %s**** exceeded throttle limit for usage plan: x7k2pq", rid, k.id[:4]))
					} else if status != 403 {
						s.log(exec, es, at.Add(time.Millisecond), fmt.Sprintf("(%s) Verifying Usage Plan for request: %s. API Key: %s**** API Stage: %s/prod", rid, rid, k.id[:4], apiID))
						s.log(exec, es, at.Add(time.Millisecond*2), fmt.Sprintf("(%s) API Key %s**** authorized because method '%s %s' requires API Key and request contained API Key", rid, k.id[:4], method, path))
					}
					s.log(exec, es, at.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf("(%s) Method completed with status: %d", rid, status))
				}
				if status != 429 && status != 403 {
					st := streams[s.r.Intn(len(streams))]
					lvl := "info"
					ev := "request_completed"
					if status == 502 {
						s.log(svc, st, at.Add(time.Duration(ilat*0.8)*time.Millisecond), fmt.Sprintf(`{"event": "carrier_rate_lookup_failed", "level": "error", "timestamp": "%s", "logger": "shipments.carriers.ups", "carrier": "ups", "error": "httpx.HTTPStatusError: Server error '502 Bad Gateway' for url 'https://onlinetools.ups.com/api/rating/v2409/Shop'", "request_id": "%s"}`, at.Format("2006-01-02T15:04:05.000000Z"), rid))
						lvl, ev = "error", "request_failed"
					}
					if s.chance(0.1) || lvl == "error" {
						s.log(svc, st, at.Add(time.Duration(ilat)*time.Millisecond), fmt.Sprintf(`{"event": "%s", "level": "%s", "timestamp": "%s", "logger": "shipments.http", "method": "%s", "path": "%s", "status": %d, "duration_ms": %.1f, "partner": "%s", "request_id": "%s"}`,
							ev, lvl, at.Format("2006-01-02T15:04:05.000000Z"), method, path, status, ilat, k.name, rid))
					}
				}
			}
		}
		// background job chatter
		if t.Second() == 0 && t.Minute()%5 == 0 {
			s.log(svc, streams[0], t, fmt.Sprintf(`{"event": "tracking_poller_cycle", "level": "info", "timestamp": "%s", "logger": "shipments.jobs", "updated": %d, "carriers": ["ups", "fedex", "dhl"]}`, t.Format("2006-01-02T15:04:05.000000Z"), 200+s.r.Intn(90)))
		}
		if s.chance(0.0015) {
			s.log(svc, streams[s.r.Intn(3)], t, fmt.Sprintf(`{"event": "slow_query", "level": "warning", "timestamp": "%s", "logger": "shipments.db", "duration_ms": %d, "statement": "SELECT shipments.* FROM shipments WHERE partner_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT 100"}`, t.Format("2006-01-02T15:04:05.000000Z"), 600+s.r.Intn(900)))
		}
	})
	d := dims("ApiName", "shipments-api", "Stage", "prod")
	get := func(t time.Time) *minute {
		if m := per[t.Unix()]; m != nil {
			return m
		}
		return &minute{}
	}
	s.metric("AWS/ApiGateway", "Count", "Count", "sum", d, func(t time.Time) float64 { return get(t).count })
	s.countOf("AWS/ApiGateway", "4XXError", d, func(t time.Time) float64 { return get(t).c4 }, func(t time.Time) float64 { return get(t).count })
	s.countOf("AWS/ApiGateway", "5XXError", d, func(t time.Time) float64 { return get(t).c5 }, func(t time.Time) float64 { return get(t).count })
	s.metric("AWS/ApiGateway", "Latency", "Milliseconds", "gauge", d, func(t time.Time) float64 { m := get(t); return m.lat / (m.count + 0.001) })
	s.metric("AWS/ApiGateway", "IntegrationLatency", "Milliseconds", "gauge", d, func(t time.Time) float64 { m := get(t); return m.ilat / (float64(m.n) + 0.001) })
	s.metric("AWS/ECS", "CPUUtilization", "Percent", "gauge", dims("ClusterName", "logistics-prod", "ServiceName", "shipments-svc"), func(t time.Time) float64 {
		return float64(get(t).n)/60*1.6 + s.jit(8, 0.3)
	})
	s.metric("AWS/ECS", "MemoryUtilization", "Percent", "gauge", dims("ClusterName", "logistics-prod", "ServiceName", "shipments-svc"), func(t time.Time) float64 {
		return 48 + float64(t.Sub(s.Start).Minutes())*0.05 + s.jit(1, 1)
	})
	fire, reason := fireAt(s, func(t time.Time) float64 { return get(t).c4 }, 40, 3, onset)
	s.alarm("shipments-api-prod-4xx-high", "4XX responses on shipments-api prod above 40/min for 3 minutes. Runbook: https://wiki.example-corp.com/runbooks/shipments-api",
		"AWS/ApiGateway", "4XXError", "Sum", d, 60, 3, 40, "GreaterThanThreshold", time.Time{}, fire, reason, "notBreaching")
	s.okAlarm("shipments-api-prod-5xx", "AWS/ApiGateway", "5XXError", "Sum", d, 25, "GreaterThanThreshold")
	s.okAlarm("shipments-svc-cpu-high", "AWS/ECS", "CPUUtilization", "Average", dims("ClusterName", "logistics-prod", "ServiceName", "shipments-svc"), 80, "GreaterThanThreshold")

	// CloudTrail
	human := s.role("AWSReservedSSO_PlatformAdmin_5b1e77c0d2a94f31", "kate.obrien@example-corp.com", "198.51.100.23", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", true)
	partnerOps := s.role("AWSReservedSSO_PartnerOps_0c3d9e8a71f2b645", "tom.reyes@example-corp.com", "198.51.100.87", "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.0.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#apigateway.create-api-key", false)
	dev := s.role("AWSReservedSSO_Developer_9a7b2c4d1e0f3a58", "li.wei@example-corp.com", "198.51.100.140", "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-45-generic md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#apigateway.update-stage", false)
	s.baseNoise(520, "shipments-svc", []noiseOp{
		{p: human, source: "apigateway.amazonaws.com", name: "GetUsagePlans", ro: true, weight: 2},
		{p: human, source: "apigateway.amazonaws.com", name: "GetRestApis", ro: true, weight: 2},
		{p: partnerOps, source: "apigateway.amazonaws.com", name: "GetApiKeys", ro: true, weight: 2, req: func() any { return map[string]any{"includeValues": false} }},
		{p: s.role("apigw-usage-exporter", "usage-exporter", "10.0.9.12", "Boto3/1.35.40 md/Botocore#1.35.40 ua/2.0 os/linux#5.10.226 md/arch#x86_64 lang/python#3.12.6 exec-env/AWS_Lambda_python3.12", false), source: "apigateway.amazonaws.com", name: "GetUsage", ro: true, weight: 6,
			req: func() any {
				return map[string]any{"usageplanId": s.pick("x7k2pq", "m4n8vt", "b2c6rf"), "startDate": "2026-10-01", "endDate": "2026-10-14"}
			}},
	})
	// decoy 1: a new partner's key and plan membership
	d1 := ts("2026-10-14T14:09:12Z")
	s.trail(d1, partnerOps, "apigateway.amazonaws.com", "CreateApiKey",
		map[string]any{"name": "northwind-logistics-prod", "description": "Northwind Logistics production key (TICKET PART-882)", "enabled": true, "generateDistinctId": true},
		map[string]any{"id": "n5q1ws8ec3", "name": "northwind-logistics-prod", "enabled": true, "createdDate": "Oct 14, 2026 2:09:12 PM", "self": map[string]any{"__apiKeyId": "n5q1ws8ec3"}}, false)
	d2 := ts("2026-10-14T14:09:48Z")
	s.trail(d2, partnerOps, "apigateway.amazonaws.com", "CreateUsagePlanKey",
		map[string]any{"usagePlanId": "m4n8vt", "keyId": "n5q1ws8ec3", "keyType": "API_KEY"},
		map[string]any{"id": "n5q1ws8ec3", "type": "API_KEY", "name": "northwind-logistics-prod"}, false)
	// decoy 2: stage variable on the staging stage
	d3 := ts("2026-10-14T14:17:55Z")
	s.trail(d3, dev, "apigateway.amazonaws.com", "UpdateStage",
		map[string]any{"restApiId": apiID, "stageName": "staging", "patchOperations": []any{map[string]any{"op": "replace", "path": "/variables/backendHost", "value": "shipments-svc-staging.internal.example-corp.com"}}},
		map[string]any{"stageName": "staging", "deploymentId": "8f2kq1", "variables": map[string]any{"backendHost": "shipments-svc-staging.internal.example-corp.com"}, "lastUpdatedDate": "Oct 14, 2026 2:17:55 PM"}, false)
	// the cause: the gold plan's throttle rewritten (meant for the sandbox plan)
	s.trail(change, human, "apigateway.amazonaws.com", "UpdateUsagePlan",
		map[string]any{"usageplanId": "x7k2pq", "patchOperations": []any{
			map[string]any{"op": "replace", "path": "/throttle/rateLimit", "value": "5"},
			map[string]any{"op": "replace", "path": "/throttle/burstLimit", "value": "10"}}},
		map[string]any{"id": "x7k2pq", "name": "partner-gold", "apiStages": []any{map[string]any{"apiId": apiID, "stage": "prod"}},
			"throttle": map[string]any{"burstLimit": 10, "rateLimit": 5.0}, "quota": map[string]any{"limit": 5000000, "offset": 0, "period": "MONTH"}}, false)
	s.trail(change.Add(-50*time.Second), human, "apigateway.amazonaws.com", "GetUsagePlan", map[string]any{"usageplanId": "x7k2pq"}, nil, true)
	s.trail(change.Add(-70*time.Second), human, "apigateway.amazonaws.com", "GetUsagePlan", map[string]any{"usageplanId": "s1dbx0"}, nil, true)
	s.truth = map[string]any{"name": s.Name, "kind": "usage-plan-throttle", "alarm": "shipments-api-prod-4xx-high",
		"root_cause": map[string]any{"event_name": "UpdateUsagePlan", "event_time": change.Format(time.RFC3339), "resource": "x7k2pq"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{decoy("CreateApiKey", d1), decoy("CreateUsagePlanKey", d2), decoy("UpdateStage", d3)},
		"signals":    []string{"Too Many Requests", "UpdateUsagePlan"}}
	s.write()
}
