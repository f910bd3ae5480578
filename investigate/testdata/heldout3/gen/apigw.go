package main

import (
	"fmt"
	"time"
)

// apigwStageThrottle: an engineer meant to lower the throttling of the
// staging stage for a load test and ran the command against prod: every
// method of orders-public/prod is limited to 5 requests per second. The
// edge answers 429 within seconds; the partner sync retries and gives up.
// The backend Lambda is quieter than usual, not failing.
func apigwStageThrottle() *Inc {
	in := newInc("apigw-stage-throttle", 303, "us-east-1", "745120398861", time.Date(2026, 4, 22, 15, 0, 0, 0, time.UTC), 100)
	in.Title = "orders-public degraded"
	in.Arch = "REST API orders-public (id k7x2m9q4zt, stage prod, custom domain api.acme-orders.com) fronted by WAF web ACL orders-public-acl, " +
		"Lambda proxy integration orders-handler (Node.js 20) reading DynamoDB table orders. Mobile apps and partner-sync (ECS service, Java) " +
		"call the API. internal-admin is a second REST API (id 3hq8v1n6re) for the back office."
	apiID, otherAPI := "k7x2m9q4zt", "3hq8v1n6re"

	deployOther := in.at("15:44:50")
	waf := in.at("15:46:20")
	change := in.at("15:48:13")
	onset := in.at("15:48:36")
	staging := in.at("15:52:05")

	tanaka := in.role("platform-engineer", "m.tanaka", "203.0.113.77", "aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#apigateway.update-stage")
	secops := in.role("security-automation", "waf-rules-pipeline", "54.86.12.200", "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 api/wafv2#1.48.0")
	codebuild := in.role("codebuild-internal-admin-service-role", "AWSCodeBuild-"+in.uuid(), "34.228.4.208", "aws-sdk-java/2.25.30 Linux/5.10.215 OpenJDK_64-Bit_Server_VM/17 exec-env/AWS_ECS_EC2")
	handler := in.role("orders-handler-role", "orders-handler", "3.92.44.1", "aws-sdk-nodejs/3.556.0 linux/v20.12.2 exec-env/AWS_Lambda_nodejs20.x")
	partner := in.role("partner-sync-task-role", in.hex(32), "10.30.12.9", "aws-sdk-java/2.25.30 Linux/5.10 OpenJDK_64-Bit_Server_VM/17")
	monitor := in.role("DatadogIntegrationRole", "DatadogAWSIntegration", "3.233.146.17", "Datadog")
	ci := in.role("github-actions-deploy", "GitHubActions", "140.82.112.9", "aws-sdk-js/3.590.0 api/ecs#3.590.0")
	in.routineCT(routine{
		appRoles: []*Principal{handler, partner}, kmsKey: "c0a1e2d3-4b5c-4d6e-8f70-8192a3b4c5d6",
		params:  []string{"/orders/prod/feature-flags", "/orders/prod/partner-endpoints"},
		secrets: []string{"orders/prod/partner-api-keys-Zx81", "orders/prod/jwt-signing-Pq02"}, monitor: monitor, ci: ci,
		ciDeploys: []deploy{{in.at("15:13:40"), "partner-sync", "partner-sync", 233}},
		lambdaFns: []string{"orders-handler"}, ecsCluster: "orders", assumeFrom: "lambda.amazonaws.com",
		assumeRoles: []string{"orders-handler-role", "internal-admin-handler-role"}, readsPerMin: 4, metricSpaces: []string{"Orders/Partner"},
	})
	patch := func(ops ...[3]string) []map[string]any {
		var out []map[string]any
		for _, o := range ops {
			out = append(out, map[string]any{"op": o[0], "path": o[1], "value": o[2]})
		}
		return out
	}
	in.ev(change.Add(-95*time.Second), tanaka, "apigateway", "GetStage", map[string]any{"restApiId": apiID, "stageName": "staging"}, nil)
	in.ev(change.Add(-40*time.Second), tanaka, "apigateway", "GetStages", map[string]any{"restApiId": apiID}, nil)
	in.ev(change, tanaka, "apigateway", "UpdateStage",
		map[string]any{"restApiId": apiID, "stageName": "prod", "template": false, "patch": map[string]any{"patchOperations": patch([3]string{"replace", "/*/*/throttling/rateLimit", "5"}, [3]string{"replace", "/*/*/throttling/burstLimit", "10"})}},
		map[string]any{"stageName": "prod", "deploymentId": "w3v9k1", "description": "production", "cacheClusterEnabled": false, "cacheClusterStatus": "NOT_AVAILABLE", "tracingEnabled": true,
			"methodSettings":  map[string]any{"*/*": map[string]any{"metricsEnabled": true, "loggingLevel": "ERROR", "dataTraceEnabled": false, "throttlingBurstLimit": 10, "throttlingRateLimit": 5.0, "cachingEnabled": false, "cacheTtlInSeconds": 300, "cacheDataEncrypted": false, "requireAuthorizationForCacheControl": true, "unauthorizedCacheControlHeaderStrategy": "SUCCEED_WITH_RESPONSE_HEADER"}},
			"lastUpdatedDate": change.Format("Jan 2, 2006, 3:04:05 PM"), "self": map[string]any{"__recursiveReference__": true}},
		map[string]any{"resources": []map[string]any{{"ARN": "arn:aws:apigateway:us-east-1::/restapis/" + apiID + "/stages/prod", "type": "AWS::ApiGateway::Stage"}}})
	in.ev(staging.Add(-30*time.Second), tanaka, "apigateway", "GetStage", map[string]any{"restApiId": apiID, "stageName": "staging"}, nil)
	in.ev(staging, tanaka, "apigateway", "UpdateStage",
		map[string]any{"restApiId": apiID, "stageName": "staging", "template": false, "patch": map[string]any{"patchOperations": patch([3]string{"replace", "/*/*/throttling/rateLimit", "5"}, [3]string{"replace", "/*/*/throttling/burstLimit", "10"})}},
		map[string]any{"stageName": "staging", "deploymentId": "p4t2z8", "methodSettings": map[string]any{"*/*": map[string]any{"throttlingBurstLimit": 10, "throttlingRateLimit": 5.0}}},
		map[string]any{"resources": []map[string]any{{"ARN": "arn:aws:apigateway:us-east-1::/restapis/" + apiID + "/stages/staging", "type": "AWS::ApiGateway::Stage"}}})
	in.ev(deployOther, codebuild, "apigateway", "CreateDeployment",
		map[string]any{"restApiId": otherAPI, "createDeploymentInput": map[string]any{"stageName": "prod", "description": "build 1187"}, "template": false},
		map[string]any{"id": "h2n7c4", "description": "build 1187", "createdDate": deployOther.Format("Jan 2, 2006, 3:04:05 PM")},
		map[string]any{"resources": []map[string]any{{"ARN": "arn:aws:apigateway:us-east-1::/restapis/" + otherAPI + "/deployments", "type": "AWS::ApiGateway::Deployment"}}})
	in.ev(waf.Add(-15*time.Second), secops, "wafv2", "GetWebACL", map[string]any{"name": "orders-public-acl", "scope": "REGIONAL", "id": "6f2d9a1c-3b4e-4f50-a7c8-9d0e1f2a3b4c"}, nil)
	in.ev(waf, secops, "wafv2", "UpdateWebACL",
		map[string]any{"name": "orders-public-acl", "scope": "REGIONAL", "id": "6f2d9a1c-3b4e-4f50-a7c8-9d0e1f2a3b4c", "defaultAction": map[string]any{"allow": map[string]any{}},
			"rules": []map[string]any{
				{"name": "AWS-AWSManagedRulesCommonRuleSet", "priority": 0, "statement": map[string]any{"managedRuleGroupStatement": map[string]any{"vendorName": "AWS", "name": "AWSManagedRulesCommonRuleSet"}}, "overrideAction": map[string]any{"none": map[string]any{}}, "visibilityConfig": map[string]any{"sampledRequestsEnabled": true, "cloudWatchMetricsEnabled": true, "metricName": "CommonRuleSet"}},
				{"name": "rate-limit-per-ip", "priority": 1, "statement": map[string]any{"rateBasedStatement": map[string]any{"limit": 2000, "aggregateKeyType": "IP"}}, "action": map[string]any{"block": map[string]any{}}, "visibilityConfig": map[string]any{"sampledRequestsEnabled": true, "cloudWatchMetricsEnabled": true, "metricName": "RateLimitPerIp"}},
				{"name": "bad-bots-ua", "priority": 2, "statement": map[string]any{"byteMatchStatement": map[string]any{"searchString": "python-requests", "fieldToMatch": map[string]any{"singleHeader": map[string]any{"name": "user-agent"}}, "textTransformations": []map[string]any{{"priority": 0, "type": "LOWERCASE"}}, "positionalConstraint": "CONTAINS"}}, "action": map[string]any{"count": map[string]any{}}, "visibilityConfig": map[string]any{"sampledRequestsEnabled": true, "cloudWatchMetricsEnabled": true, "metricName": "BadBotsUA"}},
			},
			"visibilityConfig": map[string]any{"sampledRequestsEnabled": true, "cloudWatchMetricsEnabled": true, "metricName": "orders-public-acl"}, "lockToken": in.uuid()},
		map[string]any{"nextLockToken": in.uuid()})

	// ---- traffic: API Gateway access logs, Lambda, partner-sync ----
	access := "/aws/apigateway/orders-public-prod-access"
	resources := [][2]string{{"GET", "/orders/{orderId}"}, {"GET", "/orders"}, {"POST", "/orders"}, {"GET", "/orders/{orderId}/status"}, {"PUT", "/orders/{orderId}/items"}}
	accessStreams := []string{in.hex(32), in.hex(32)}
	fnStreams := []string{"2026/04/22/[$LATEST]" + in.hex(32), "2026/04/22/[$LATEST]" + in.hex(32), "2026/04/22/[$LATEST]" + in.hex(32)}
	// Sampled access traffic: one line here stands for the traffic of the
	// whole API (the file would be 25 lines a second otherwise).
	in.every(in.Start, in.End, 1400*time.Millisecond, func(t time.Time) {
		r := resources[in.rng.IntN(len(resources))]
		path := r[1]
		oid := fmt.Sprintf("ord_%s", in.alnum(12))
		reqPath := map[string]string{"/orders/{orderId}": "/orders/" + oid, "/orders": "/orders", "/orders/{orderId}/status": "/orders/" + oid + "/status", "/orders/{orderId}/items": "/orders/" + oid + "/items"}[path]
		rid := in.uuid()
		trace := in.traceID(t)
		throttled := !t.Before(onset) && in.chance(0.78)
		status, integ, lat, errMsg, errType := "200", "200", 40+in.rng.IntN(80), "-", "-"
		if !throttled && in.chance(0.03) {
			status, integ = "400", "400"
		}
		partnerCall := in.chance(0.35)
		ip := fmt.Sprintf("%d.%d.%d.%d", 60+in.rng.IntN(120), in.rng.IntN(255), in.rng.IntN(255), in.rng.IntN(255))
		ua := in.pick("AcmeOrders/5.12.0 (iPhone; iOS 17.4.1)", "AcmeOrders/5.12.0 (Android 14)", "okhttp/4.12.0")
		if partnerCall {
			ip, ua = "44.211.90.12", "partner-sync/2.31.0 Apache-HttpClient/5.3.1 (Java/17.0.10)"
		}
		if throttled {
			status, integ, lat, errMsg, errType = "429", "-", 1+in.rng.IntN(3), "Too Many Requests", "THROTTLED"
		}
		in.log(access, accessStreams[in.rng.IntN(2)], t.Add(time.Duration(lat)*time.Millisecond),
			fmt.Sprintf(`{"requestId":"%s","extendedRequestId":"%s=","ip":"%s","userAgent":"%s","requestTime":"%s","httpMethod":"%s","resourcePath":"%s","path":"%s","status":"%s","protocol":"HTTP/1.1","responseLength":"%d","responseLatency":"%d","integrationStatus":"%s","integrationLatency":"%s","errorMessage":"%s","errorResponseType":"%s","xrayTraceId":"%s","domainName":"api.acme-orders.com"}`,
				rid, in.alnum(15), ip, ua, t.Format("02/Jan/2006:15:04:05 -0700"), r[0], path, reqPath, status, 29+in.rng.IntN(2000), lat, integ, map[bool]string{true: "-", false: fmt.Sprint(lat - 8)}[throttled], errMsg, errType, trace))
		if !throttled {
			s := fnStreams[in.rng.IntN(3)]
			lrid := in.uuid()
			in.log("/aws/lambda/orders-handler", s, t.Add(5*time.Millisecond), "START RequestId: "+lrid+" Version: $LATEST")
			if status == "400" {
				in.log("/aws/lambda/orders-handler", s, t.Add(9*time.Millisecond), fmt.Sprintf("%s\t%s\tERROR\tValidationError: customerId is required\n    at validateOrder (/var/task/src/validate.js:41:11)\n    at Runtime.handler (/var/task/src/index.js:77:5)", iso(t), lrid))
			} else {
				in.log("/aws/lambda/orders-handler", s, t.Add(9*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\t%s %s -> %s in %dms", iso(t), lrid, r[0], reqPath, status, lat-8))
			}
			in.log("/aws/lambda/orders-handler", s, t.Add(time.Duration(lat)*time.Millisecond), "END RequestId: "+lrid)
			in.log("/aws/lambda/orders-handler", s, t.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", lrid, lat-8, in.rng.IntN(100), lat-7, 101+in.rng.IntN(9)))
		}
		if in.chance(0.04) {
			seg := map[string]any{"id": in.hex(16), "name": "orders-public/prod", "start_time": epoch(t), "end_time": epoch(t.Add(time.Duration(lat) * time.Millisecond)), "origin": "AWS::ApiGateway::Stage",
				"resource_arn": "arn:aws:apigateway:us-east-1::/restapis/" + apiID + "/stages/prod",
				"http":         map[string]any{"request": map[string]any{"url": "https://api.acme-orders.com" + reqPath, "method": r[0], "user_agent": ua, "client_ip": ip, "x_forwarded_for": true}, "response": map[string]any{"status": atoi(status), "content_length": 0}},
				"aws":          map[string]any{"api_gateway": map[string]any{"account_id": in.Account, "rest_api_id": apiID, "stage": "prod", "request_id": rid}},
				"annotations":  map[string]any{"aws:api_id": apiID, "aws:api_stage": "prod"}}
			if throttled {
				seg["error"] = true
				seg["throttle"] = true
				in.addTrace(trace, time.Duration(lat)*time.Millisecond, seg)
			} else {
				seg["subsegments"] = []map[string]any{{"id": in.hex(16), "name": "Lambda", "namespace": "aws", "start_time": epoch(t.Add(2 * time.Millisecond)), "end_time": epoch(t.Add(time.Duration(lat-2) * time.Millisecond)),
					"aws": map[string]any{"function_name": "orders-handler", "region": "us-east-1", "operation": "Invoke", "resource_names": []string{"orders-handler"}}, "http": map[string]any{"request": map[string]any{"url": "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:745120398861:function:orders-handler/invocations", "method": "POST"}, "response": map[string]any{"status": 200, "content_length": 0}}}}
				if status == "400" {
					seg["error"] = true
				}
				in.addTrace(trace, time.Duration(lat)*time.Millisecond, seg)
			}
		}
		if partnerCall {
			ps := "partner-sync/partner-sync/6d0f2b9c1e4a47f3b8c2d5e6f7a8b9c0"
			if throttled {
				attempt := 1 + in.rng.IntN(5)
				if attempt < 5 {
					in.log("/ecs/partner-sync", ps, t.Add(4*time.Millisecond), fmt.Sprintf("%s  WARN 1 --- [pool-3-thread-%d] c.a.partner.sync.OrdersClient           : HTTP 429 Too Many Requests from https://api.acme-orders.com%s (x-amzn-ErrorType: ThrottlingException), retry %d/5 in %dms",
						t.Format("2006-01-02 15:04:05.000"), 1+in.rng.IntN(8), reqPath, attempt, 200<<attempt))
				} else {
					in.log("/ecs/partner-sync", ps, t.Add(4*time.Millisecond), fmt.Sprintf("%s ERROR 1 --- [pool-3-thread-%d] c.a.partner.sync.SyncJob                : Giving up on batch %d after 5 attempts: 429 Too Many Requests from orders-public",
						t.Format("2006-01-02 15:04:05.000"), 1+in.rng.IntN(8), 8000+in.rng.IntN(2000)))
				}
			} else {
				in.log("/ecs/partner-sync", ps, t.Add(time.Duration(lat+3)*time.Millisecond), fmt.Sprintf("%s  INFO 1 --- [pool-3-thread-%d] c.a.partner.sync.OrdersClient           : %s %s -> %s (%d ms)", t.Format("2006-01-02 15:04:05.000"), 1+in.rng.IntN(8), r[0], reqPath, status, lat+3))
			}
		}
	})
	in.every(in.Start, in.End, 9*time.Second, func(t time.Time) {
		in.log("/ecs/partner-sync", "partner-sync/partner-sync/6d0f2b9c1e4a47f3b8c2d5e6f7a8b9c0", t, fmt.Sprintf("%s ERROR 1 --- [edi-push-%d] c.a.partner.edi.EdiPusher                : EDI push to https://edi.partner-x.com/inbound failed: 500 Internal Server Error (will retry next cycle)", t.Format("2006-01-02 15:04:05.000"), 1+in.rng.IntN(3)))
	})

	// ---- metrics ----
	th := func(t time.Time) float64 { return ramp(t, onset.Add(-20*time.Second), onset.Add(40*time.Second)) }
	api := [][2]string{{"ApiName", "orders-public"}, {"Stage", "prod"}}
	one := func(time.Time) float64 { return 1 }
	in.metric(series{ns: "AWS/ApiGateway", name: "Count", unit: "Count", dims: api, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(1500, 0.06) * (1 + 0.45*th(t)) }})
	in.metric(series{ns: "AWS/ApiGateway", name: "4XXError", unit: "Count", dims: api, stats: []string{"Sum", "Average"}, samples: one, fn: func(t time.Time) float64 { return in.noise(40, 0.2) + 1700*th(t) }})
	in.metric(series{ns: "AWS/ApiGateway", name: "5XXError", unit: "Count", dims: api, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(in.rng.IntN(3)) }})
	in.metric(series{ns: "AWS/ApiGateway", name: "Latency", unit: "Milliseconds", dims: api, stats: []string{"Average", "Maximum"}, fn: func(t time.Time) float64 { return in.noise(95, 0.1) * (1 - 0.6*th(t)) }})
	in.metric(series{ns: "AWS/ApiGateway", name: "Count", unit: "Count", dims: [][2]string{{"ApiName", "internal-admin"}, {"Stage", "prod"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 {
		return in.noise(30, 0.2) + 60*ramp(t, deployOther, deployOther.Add(3*time.Minute))
	}})
	in.metric(series{ns: "AWS/Lambda", name: "Invocations", unit: "Count", dims: [][2]string{{"FunctionName", "orders-handler"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(1480, 0.06) * (1 - 0.8*th(t)) }})
	in.metric(series{ns: "AWS/Lambda", name: "ConcurrentExecutions", unit: "Count", dims: [][2]string{{"FunctionName", "orders-handler"}}, stats: []string{"Maximum"}, fn: func(t time.Time) float64 { return in.noise(14, 0.2) * (1 - 0.75*th(t)) }})
	in.metric(series{ns: "AWS/WAFV2", name: "CountedRequests", unit: "Count", dims: [][2]string{{"WebACL", "orders-public-acl"}, {"Region", "us-east-1"}, {"Rule", "BadBotsUA"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 {
		if t.Before(waf) {
			return nanv()
		}
		return in.noise(85, 0.3)
	}})
	in.metric(series{ns: "AWS/DynamoDB", name: "ConsumedReadCapacityUnits", unit: "Count", dims: [][2]string{{"TableName", "orders"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(2400, 0.08) * (1 - 0.7*th(t)) }})

	// ---- alarms ----
	rateAt := in.at("15:51:40")
	in.metricAlarm(map[string]any{
		"AlarmName": "orders-public-4xx-rate", "AlarmDescription": "Share of 4xx responses on orders-public/prod above 10%", "EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": 10.0, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
		"Metrics": []map[string]any{
			{"Id": "e1", "Expression": "100 * m1 / m2", "Label": "4xx rate", "ReturnData": true},
			{"Id": "m1", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApiGateway", "MetricName": "4XXError", "Dimensions": dims("ApiName", "orders-public", "Stage", "prod")}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
			{"Id": "m2", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApiGateway", "MetricName": "Count", "Dimensions": dims("ApiName", "orders-public", "Stage", "prod")}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
		}}, "ALARM", rateAt, "Threshold Crossed: 3 out of the last 3 datapoints [78.1 (22/04/26 15:50:00), 77.6 (22/04/26 15:49:00), 41.3 (22/04/26 15:48:00)] were greater than the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition).", nil)
	in.stateChange("orders-public-4xx-rate", "MetricAlarm", rateAt, "OK", "ALARM", "Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (10.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "orders-public-latency-p99", "Namespace": "AWS/ApiGateway", "MetricName": "Latency", "Dimensions": dims("ApiName", "orders-public", "Stage", "prod"), "ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 5, "Threshold": 2500.0, "ComparisonOperator": "GreaterThanThreshold"},
		"OK", in.Start.Add(-26*time.Hour), "Threshold Crossed: 1 datapoint [412.3] was not greater than the threshold (2500.0).", nil)
	in.compositeAlarm("orders-public-degraded", `ALARM("orders-public-4xx-rate") OR ALARM("orders-public-latency-p99")`, "Customer-facing orders API degraded",
		"ALARM", rateAt.Add(900*time.Millisecond), "arn:aws:cloudwatch:us-east-1:745120398861:alarm:orders-public-4xx-rate transitioned to ALARM at Wednesday 22 April, 2026 15:51:40 UTC")
	in.stateChange("orders-public-degraded", "CompositeAlarm", rateAt.Add(900*time.Millisecond), "OK", "ALARM", "arn:aws:cloudwatch:us-east-1:745120398861:alarm:orders-public-4xx-rate transitioned to ALARM", nil)

	in.setTruth("throttling", "orders-public-degraded", "UpdateStage", change, apiID+"/prod", onset,
		[][2]any{{"CreateDeployment", deployOther}, {"UpdateWebACL", waf}, {"UpdateStage", staging}},
		"UpdateStage", "429", "Too Many Requests", "orders-public")
	return in
}
