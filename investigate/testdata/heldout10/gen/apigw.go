package main

import (
	"fmt"
	"time"
)

// apigw: an engineer repoints the orders-api proxy integration at a new
// VPC link / NLB (PutIntegration) with a typo in the NLB DNS name; the CI
// pipeline's CreateDeployment to prod then makes it live. Every proxied call
// fails fast with "Execution failed due to configuration error: Invalid
// endpoint address" and clients get 500 {"message": "Internal server error"}.
func apigw(s *snap) {
	s.setup("us-east-1", "604118337290", ts("2026-11-19T09:20:00Z"), 95,
		"orders-api prod 5XXError alarm",
		"Public REST API orders-api (k3x9w1m2pq, stage prod, custom domain api.trailcrate.com) -> {proxy+} HTTP_PROXY integration over VPC link -> internal NLB -> ECS service orders-service (Go, zap JSON logs) -> Aurora PostgreSQL. Execution logs at ERROR+INFO level in API-Gateway-Execution-Logs_k3x9w1m2pq/prod; JSON access logs in /aws/apigateway/orders-api-prod-access.")
	api, stage := "k3x9w1m2pq", "prod"
	exec := "API-Gateway-Execution-Logs_" + api + "/" + stage
	access := "/aws/apigateway/orders-api-prod-access"
	putInt := ts("2026-11-19T10:11:26Z")
	deploy := ts("2026-11-19T10:14:52Z")
	onset := ts("2026-11-19T10:14:58Z") // first 500 after the deployment
	goodURI := "http://orders-int-nlb-7f3a9c21e4b0d865.elb.us-east-1.amazonaws.com:8080/{proxy}"
	badURI := "http://orders-int-nlb-v2-5c8e1f07a9d3b246.elb.us-east-1.amazonaws.com:8080/{proxy}"
	streams := []string{"0d4b5a2c8f1e7d3b6a9c0e2f4d6b8a1c", "5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b", "a2c4e6f8b0d2f4a6c8e0b2d4f6a8c0e2"}

	reqs := map[time.Time]float64{}
	e5 := map[time.Time]float64{}
	e4 := map[time.Time]float64{}
	backend := map[time.Time]float64{}
	s.minutes(func(m time.Time) {
		n := int(s.jitter(70, 0.15))
		if m.After(ts("2026-11-19T09:50:00Z")) && m.Before(ts("2026-11-19T10:02:00Z")) {
			n = int(float64(n) * 1.5) // partner batch import
		}
		reqs[m] = float64(n)
		for i := 0; i < n; i++ {
			t := s.at(m)
			rid := s.uuid()
			method, path := "GET", fmt.Sprintf("/orders/%d", 880000+s.rng.Intn(20000))
			switch s.rng.Intn(6) {
			case 0:
				method, path = "POST", "/orders"
			case 1:
				path = "/orders?customerId=c_" + s.hex(10)
			case 2:
				method, path = "PATCH", fmt.Sprintf("/orders/%d/status", 880000+s.rng.Intn(20000))
			}
			status, ilat, lat, ierr := 200, 20+s.rng.ExpFloat64()*40, 0.0, "-"
			broken := !t.Before(deploy.Add(6 * time.Second))
			stream := streams[s.rng.Intn(len(streams))]
			p := func(msg string, dt float64) {
				s.log(exec, stream, t.Add(time.Duration(dt*float64(time.Millisecond))), "("+rid+") "+msg)
			}
			switch {
			case broken:
				status, ilat, ierr = 500, 0, "Invalid endpoint address"
			case s.rng.Float64() < 0.012:
				status, ilat, ierr = 504, 29000, "Execution failed due to a timeout error"
			case s.rng.Float64() < 0.03:
				status = 429
			case s.rng.Float64() < 0.05:
				status = 404
			case method == "POST" && s.rng.Float64() < 0.04:
				status = 422
			}
			lat = ilat + 3 + s.rng.Float64()*6
			if status == 429 {
				ilat, lat = 0, 1
			}
			if status >= 500 {
				e5[m]++
			} else if status >= 400 {
				e4[m]++
			}
			if !broken && status != 429 {
				backend[m]++
			}
			// Execution log: full INFO only for failures and a sample of successes.
			if status == 500 || status == 504 || s.rng.Float64() < 0.08 {
				p("Extended Request Id: "+s.alnum(6)+"HFj"+s.alnum(4)+"=", 0)
				p(fmt.Sprintf("Verifying Usage Plan for request: %s. API Key: **********%s API Stage: %s/%s", rid, s.alnum(4), api, stage), 1)
				p("Starting execution for request: "+rid, 2)
				p(fmt.Sprintf("HTTP Method: %s, Resource Path: %s", method, path), 2)
				if status == 500 {
					p("Execution failed due to configuration error: Invalid endpoint address", 4)
					p("Method completed with status: 500", 4)
				} else if status == 504 {
					p(fmt.Sprintf("Sending request to %s", "http://orders-int-nlb-7f3a9c21e4b0d865.elb.us-east-1.amazonaws.com:8080"+path), 3)
					p("Execution failed due to a timeout error", 29003)
					p("Method completed with status: 504", 29004)
				} else if status != 429 {
					p(fmt.Sprintf("Sending request to %s", "http://orders-int-nlb-7f3a9c21e4b0d865.elb.us-east-1.amazonaws.com:8080"+path), 3)
					p(fmt.Sprintf("Received response. Status: %d, Integration latency: %d ms", status, int(ilat)), 3+ilat)
					p(fmt.Sprintf("Method completed with status: %d", status), 4+ilat)
				}
			}
			s.log(access, stream, t.Add(time.Duration(lat)*time.Millisecond), js(map[string]any{
				"requestId": rid, "ip": fmt.Sprintf("%d.%d.%d.%d", 20+s.rng.Intn(180), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(250)),
				"caller": "-", "user": "-", "requestTime": t.Format("02/Jan/2006:15:04:05 -0700"), "httpMethod": method, "resourcePath": "/{proxy+}",
				"status": fmt.Sprint(status), "protocol": "HTTP/1.1", "responseLength": fmt.Sprint(map[bool]int{true: 36, false: 200 + s.rng.Intn(3000)}[status == 500]),
				"integrationStatus": map[bool]string{true: "-", false: fmt.Sprint(status)}[status == 500 || status == 429], "integrationError": ierr,
				"integrationLatency": fmt.Sprint(int(ilat)), "responseLatency": fmt.Sprint(int(lat)),
			}))
			// Backend (zap) only sees what reached it.
			if !broken && status != 429 && status != 504 && s.rng.Float64() < 0.5 {
				lvl, msg := "info", "request handled"
				rec := map[string]any{"ts": float64(t.UnixMicro()) / 1e6, "caller": "httpapi/middleware.go:71", "method": method, "path": path, "status": status, "duration_ms": int(ilat)}
				if status == 422 {
					lvl, msg = "warn", "order validation failed"
					rec["caller"], rec["error"] = "orders/validate.go:118", "line_items[0].sku: unknown SKU"
				}
				rec["level"], rec["msg"] = lvl, msg
				s.log("/ecs/orders-service", "orders/app/"+s.pick("6f2a8c1d0e3b4a5f9c7d2e1b0a3f5c6d", "b1c2d3e4f5a60718293a4b5c6d7e8f90"), t.Add(time.Millisecond), js(rec))
			}
		}
		// Backend pre-existing errors and health checks.
		for i := 0; i < 6; i++ {
			t := s.at(m)
			s.log("/ecs/orders-service", "orders/app/6f2a8c1d0e3b4a5f9c7d2e1b0a3f5c6d", t, js(map[string]any{"level": "debug", "ts": float64(t.UnixMicro()) / 1e6, "caller": "httpapi/health.go:22", "msg": "health check ok", "path": "/healthz"}))
		}
		if s.rng.Float64() < 0.12 {
			t := s.at(m)
			s.log("/ecs/orders-service", "orders/app/b1c2d3e4f5a60718293a4b5c6d7e8f90", t, js(map[string]any{"level": "error", "ts": float64(t.UnixMicro()) / 1e6, "caller": "store/pg.go:204",
				"msg": "query failed", "error": "ERROR: canceling statement due to statement timeout (SQLSTATE 57014)", "query": "ListOrdersByCustomer",
				"stacktrace": "github.com/trailcrate/orders/store.(*PG).ListOrdersByCustomer\n\t/src/store/pg.go:204\ngithub.com/trailcrate/orders/httpapi.(*Server).listOrders\n\t/src/httpapi/orders.go:88"}))
		}
	})

	ad := []dim{{"ApiName", "orders-api"}, {"Stage", stage}}
	s.counter("AWS/ApiGateway", "Count", ad, func(m time.Time) (float64, bool) { return reqs[m], true })
	s.counter("AWS/ApiGateway", "5XXError", ad, func(m time.Time) (float64, bool) { return e5[m], true })
	s.counter("AWS/ApiGateway", "4XXError", ad, func(m time.Time) (float64, bool) { return e4[m], true })
	s.series("AWS/ApiGateway", "Latency", "Milliseconds", ad, func(m time.Time) (float64, float64, bool) {
		if !m.Before(onset) {
			return s.jitter(9, 0.2), reqs[m], true
		}
		return s.jitter(58, 0.25), reqs[m], true
	})
	s.series("AWS/ApiGateway", "IntegrationLatency", "Milliseconds", ad, func(m time.Time) (float64, float64, bool) {
		if !m.Before(onset) {
			return 0, 1, false
		}
		return s.jitter(47, 0.25), reqs[m], true
	})
	s.counter("AWS/NetworkELB", "NewFlowCount", []dim{{"LoadBalancer", "net/orders-int-nlb/7f3a9c21e4b0d865"}}, func(m time.Time) (float64, bool) {
		return backend[m]*0.3 + s.jitter(40, 0.2), true // health checks keep flows alive
	})
	s.series("AWS/RDS", "CPUUtilization", "Percent", []dim{{"DBClusterIdentifier", "orders-aurora"}}, func(m time.Time) (float64, float64, bool) {
		v := s.jitter(22, 0.15)
		if m.After(ts("2026-11-19T09:50:00Z")) && m.Before(ts("2026-11-19T10:05:00Z")) {
			v = s.jitter(61, 0.1)
		}
		if !m.Before(onset) {
			v = s.jitter(6, 0.3)
		}
		return v, 1, true
	})
	s.alarm("orders-api-prod-5xx", "AWS/ApiGateway", "5XXError", "Sum", ad, 20, "GreaterThanThreshold", 2, ts("2026-11-19T10:18:12Z"),
		"Threshold Crossed: 2 out of the last 2 datapoints [71.0 (19/11/26 10:16:00), 68.0 (19/11/26 10:15:00)] were greater than the threshold (20.0) (minimum 2 datapoints for OK -> ALARM transition).")
	s.okAlarm("orders-aurora-cpu-high", "AWS/RDS", "CPUUtilization", []dim{{"DBClusterIdentifier", "orders-aurora"}}, 80)

	// CloudTrail.
	s.noise(480, []string{"orders-service-task", "ecsTaskExecutionRole", "orders-export-lambda"}, []string{"trailcrate-api-artifacts", "trailcrate-logs"})
	ana := s.role("AWSReservedSSO_PlatformEngineer_8e2d4c6a1b3f5079", "ana.folau@trailcrate.com", "73.162.40.18", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
	ci := s.role("github-actions-orders-api-deploy", "GitHubActions", "20.57.44.119", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#apigateway.create-deployment")
	raj := s.role("AWSReservedSSO_PlatformEngineer_8e2d4c6a1b3f5079", "raj.menon@trailcrate.com", "73.162.40.22", "aws-cli/2.21.1 md/awscrt#0.22.0 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#apigateway.update-stage")
	apiRes := map[string]any{"accountId": s.account, "type": "AWS::ApiGateway::RestApi", "ARN": fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s", s.region, api)}
	for _, t := range []string{"2026-11-19T10:04:10Z", "2026-11-19T10:06:33Z", "2026-11-19T10:09:50Z", "2026-11-19T10:10:41Z", "2026-11-19T10:12:02Z"} {
		s.ct(ts(t), ana, "apigateway.amazonaws.com", s.pick("GetResources", "GetIntegration", "GetVpcLinks", "GetStages", "GetMethod"), true,
			map[string]any{"restApiId": api, "resourceId": "q4w7e1", "httpMethod": "ANY"}, nil)
	}
	s.ct(ts("2026-11-19T10:08:02Z"), ana, "apigateway.amazonaws.com", "CreateVpcLink", false,
		map[string]any{"name": "orders-int-nlb-v2", "targetArns": []string{fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/net/orders-int-nlb-v2/5c8e1f07a9d3b264", s.region, s.account)}},
		map[string]any{"id": "x8m2kq", "name": "orders-int-nlb-v2", "status": "PENDING"})
	s.ct(putInt, ana, "apigateway.amazonaws.com", "PutIntegration", false, map[string]any{
		"restApiId": api, "resourceId": "q4w7e1", "httpMethod": "ANY", "type": "HTTP_PROXY", "integrationHttpMethod": "ANY",
		"uri": badURI, "connectionType": "VPC_LINK", "connectionId": "x8m2kq", "timeoutInMillis": 29000,
		"requestParameters": map[string]any{"integration.request.path.proxy": "method.request.path.proxy"}, "passthroughBehavior": "WHEN_NO_MATCH",
	}, map[string]any{"type": "HTTP_PROXY", "httpMethod": "ANY", "uri": badURI, "connectionType": "VPC_LINK", "connectionId": "x8m2kq", "timeoutInMillis": 29000, "cacheNamespace": "q4w7e1"}, apiRes)
	decoyUpdate := ts("2026-11-19T09:58:14Z")
	s.ct(decoyUpdate, raj, "apigateway.amazonaws.com", "UpdateStage", false, map[string]any{"restApiId": api, "stageName": stage,
		"patchOperations": []map[string]any{{"op": "replace", "path": "/cacheClusterEnabled", "value": "true"}, {"op": "replace", "path": "/cacheClusterSize", "value": "0.5"},
			{"op": "replace", "path": "/~1orders~1{id}/GET/caching/ttlInSeconds", "value": "60"}}},
		map[string]any{"stageName": stage, "cacheClusterEnabled": true, "cacheClusterSize": "0.5", "cacheClusterStatus": "CREATE_IN_PROGRESS", "deploymentId": "b7t2m9"}, apiRes)
	s.ct(ts("2026-11-19T10:02:40Z"), s.service("apigateway.amazonaws.com"), "apigateway.amazonaws.com", "FlushStageCache", false, map[string]any{"restApiId": api, "stageName": stage}, nil, apiRes)
	decoyDev := ts("2026-11-19T09:47:31Z")
	s.ct(decoyDev, ci, "apigateway.amazonaws.com", "CreateDeployment", false, map[string]any{"restApiId": api, "stageName": "dev", "description": "orders-api@4d1e9f2 (dev)"},
		map[string]any{"id": "n3v8p1", "description": "orders-api@4d1e9f2 (dev)", "createdDate": decoyDev.Format("Jan 2, 2006, 3:04:05 PM")}, apiRes)
	s.ct(deploy, ci, "apigateway.amazonaws.com", "CreateDeployment", false, map[string]any{"restApiId": api, "stageName": stage, "description": "orders-api@a71c03b (prod)"},
		map[string]any{"id": "r5k1w6", "description": "orders-api@a71c03b (prod)", "createdDate": deploy.Format("Jan 2, 2006, 3:04:05 PM")}, apiRes)
	s.ct(deploy.Add(4*time.Second), ci, "apigateway.amazonaws.com", "GetStage", true, map[string]any{"restApiId": api, "stageName": stage}, nil, apiRes)
	// ECS service autoscaling and an unrelated Lambda update.
	s.ct(ts("2026-11-19T09:51:30Z"), s.service("ecs.application-autoscaling.amazonaws.com"), "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "orders", "service": "orders-service", "desiredCount": 6}, nil)
	s.ct(ts("2026-11-19T10:09:30Z"), s.service("ecs.application-autoscaling.amazonaws.com"), "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "orders", "service": "orders-service", "desiredCount": 4}, nil)
	s.ct(ts("2026-11-19T10:21:05Z"), ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, map[string]any{"functionName": "orders-export", "publish": true, "s3Bucket": "trailcrate-api-artifacts", "s3Key": "orders-export/a71c03b.zip"}, nil)
	_ = goodURI

	s.truth = truth{Kind: "apigateway-deployment-bad-integration", Alarm: "orders-api-prod-5xx",
		RootCause: &rootCause{"CreateDeployment", deploy, "restapis/" + api + "/stages/prod"}, Onset: onset,
		Decoys:  []decoy{{"UpdateStage", decoyUpdate}, {"CreateDeployment", decoyDev}, {"UpdateFunctionCode20150331v2", ts("2026-11-19T10:21:05Z")}},
		Signals: []string{"Invalid endpoint address", "k3x9w1m2pq"}}
}
