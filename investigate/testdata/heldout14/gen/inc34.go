package main

import (
	"fmt"
	"math"
	"time"
)

// ddbMax: a cost-cutting Terraform change lowered the orders table's
// write auto scaling maximum from 4000 to 400; forty minutes later the
// evening peak needs more than 400 WCU and writes are throttled.
func ddbMax() *inc {
	onset := time.Date(2026, 11, 20, 18, 42, 0, 0, time.UTC)
	x := newInc("dynamodb-autoscaling-max-lowered", 1403, onset, 88*time.Minute, 30*time.Minute)
	x.title = "Order submissions failing at evening peak"
	x.arch = "checkout-api (Python, ECS) calls order-writer (Java 17 Spring Boot, ECS) which writes to DynamoDB table orders (provisioned, auto scaling on reads and writes, target 70%)."
	change := time.Date(2026, 11, 20, 18, 2, 9, 0, time.UTC)
	streamDecoy := onset.Add(-15*time.Minute - 22*time.Second)
	policyDecoy := onset.Add(-8*time.Minute - 5*time.Second)
	tf := role("terraform-apply", "GitHubActions", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 aws-sdk-go-v2/1.32.5 api/applicationautoscaling#1.33.5", "20.57.79.4")
	x.ct(change.Add(-4*time.Second), tf, "application-autoscaling.amazonaws.com", "DescribeScalableTargets", true, map[string]any{"serviceNamespace": "dynamodb", "resourceIds": []string{"table/orders"}}, nil)
	x.ct(change, tf, "application-autoscaling.amazonaws.com", "RegisterScalableTarget", false,
		map[string]any{"serviceNamespace": "dynamodb", "resourceId": "table/orders", "scalableDimension": "dynamodb:table:WriteCapacityUnits", "minCapacity": 100, "maxCapacity": 400},
		map[string]any{"scalableTargetARN": "arn:aws:application-autoscaling:us-east-1:" + acct + ":scalable-target/0d9f3c7e1a5b4f82b6e0c4a8d2f7b1e3"})
	x.ct(change.Add(3*time.Second), tf, "application-autoscaling.amazonaws.com", "RegisterScalableTarget", false,
		map[string]any{"serviceNamespace": "dynamodb", "resourceId": "table/orders", "scalableDimension": "dynamodb:table:ReadCapacityUnits", "minCapacity": 100, "maxCapacity": 2000},
		map[string]any{"scalableTargetARN": "arn:aws:application-autoscaling:us-east-1:" + acct + ":scalable-target/5a1e9c3f7b2d4086a4c8e2f6b0d3a7c9"})
	x.ct(streamDecoy, tf, "dynamodb.amazonaws.com", "UpdateTable", false,
		map[string]any{"tableName": "sessions", "streamSpecification": map[string]any{"streamEnabled": true, "streamViewType": "NEW_AND_OLD_IMAGES"}},
		map[string]any{"tableDescription": map[string]any{"tableName": "sessions", "tableStatus": "UPDATING", "streamSpecification": map[string]any{"streamEnabled": true, "streamViewType": "NEW_AND_OLD_IMAGES"}, "latestStreamArn": "arn:aws:dynamodb:us-east-1:" + acct + ":table/sessions/stream/2026-11-20T18:26:38.114"}})
	x.ct(policyDecoy, tf, "application-autoscaling.amazonaws.com", "PutScalingPolicy", false,
		map[string]any{"policyName": "DynamoDBReadCapacityUtilization:table/orders", "serviceNamespace": "dynamodb", "resourceId": "table/orders", "scalableDimension": "dynamodb:table:ReadCapacityUnits", "policyType": "TargetTrackingScaling",
			"targetTrackingScalingPolicyConfiguration": map[string]any{"targetValue": 60.0, "predefinedMetricSpecification": map[string]any{"predefinedMetricType": "DynamoDBReadCapacityUtilization"}}},
		map[string]any{"policyARN": "arn:aws:autoscaling:us-east-1:" + acct + ":scalingPolicy:5a1e9c3f-7b2d-4086-a4c8-e2f6b0d3a7c9:resource/dynamodb/table/orders:policyName/DynamoDBReadCapacityUtilization:table/orders"})
	// Auto scaling raises write capacity as the load climbs.
	asRole := who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable/AutoScaling", principal: "AROAQ4ZP8M2K7XN3WC1TB:AutoScaling",
		session: "aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", agent: "application-autoscaling.amazonaws.com", ip: "application-autoscaling.amazonaws.com", invokedBy: "application-autoscaling.amazonaws.com"}
	demand := func(t time.Time) float64 { // WCU per second wanted
		h := t.Sub(time.Date(2026, 11, 20, 17, 0, 0, 0, time.UTC)).Minutes()
		base := 210 + h*1.6
		peak := 420 * math.Exp(-math.Pow((h-122)/28, 2))
		return base + peak
	}
	prov := map[time.Time]float64{}
	p := 320.0
	x.minutes(func(m time.Time) {
		want := math.Ceil(demand(m)/0.7/10) * 10
		if (want > p+25 && m.Minute()%6 == 0) || (!m.Before(change.Truncate(time.Minute).Add(time.Minute)) && p > 400) {
			np := want
			if !m.Before(change) && np > 400 {
				np = 400
			}
			if np != p {
				t := m.Add(time.Duration(10+x.rng.Intn(40)) * time.Second)
				x.ct(t, asRole, "dynamodb.amazonaws.com", "UpdateTable", false,
					map[string]any{"tableName": "orders", "provisionedThroughput": map[string]any{"readCapacityUnits": 900, "writeCapacityUnits": int(np)}},
					map[string]any{"tableDescription": map[string]any{"tableName": "orders", "tableStatus": "UPDATING", "provisionedThroughput": map[string]any{"readCapacityUnits": 900, "writeCapacityUnits": int(p), "numberOfDecreasesToday": 1}}})
				p = np
			}
		}
		prov[m] = p
	})
	x.noise([]string{"order-writer", "checkout-api", "sessions-api"}, 450)
	x.truth = truthFile{Kind: "capacity-limit", Onset: onset,
		RootCause: &rootCause{EventName: "RegisterScalableTarget", EventTime: change, Resource: "table/orders"},
		Decoys:    []decoy{{"UpdateTable", streamDecoy}, {"PutScalingPolicy", policyDecoy}},
		Signals:   []string{"ProvisionedThroughputExceededException", "WriteThrottleEvents"}}

	consumed := map[time.Time]float64{}
	throttled := map[time.Time]float64{}
	burst := 300.0 * 400 // seconds of unused capacity retained (approximation)
	burstLeft := 0.0
	x.minutes(func(m time.Time) {
		d := demand(m) * (0.97 + 0.06*x.rng.Float64())
		cap := prov[m]
		if d <= cap {
			burstLeft = math.Min(burstLeft+(cap-d)*60, burst)
			consumed[m] = d * 60
			return
		}
		over := (d - cap) * 60
		if burstLeft >= over {
			burstLeft -= over
			consumed[m] = d * 60
			return
		}
		use := burstLeft
		burstLeft = 0
		consumed[m] = cap*60 + use
		throttled[m] = (over - use) / 1.4 // requests (items average 1.4 WCU)
	})
	for m := range throttled {
		if m.Before(onset) {
			panic(fmt.Sprintf("%s: throttling at %s, before the onset", x.name, m))
		}
	}
	if throttled[onset] == 0 {
		panic(x.name + ": no throttling at the onset")
	}
	td := []dim{{"TableName", "orders"}}
	x.series("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Count", td, func(m time.Time) (float64, float64, float64, float64, float64) {
		n := consumed[m] / 1.4
		return consumed[m], 1.4, 1, 4, n
	})
	x.gauge("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", "Count", td, func(m time.Time) (float64, float64) { return prov[m], prov[m] })
	x.count("AWS/DynamoDB", "WriteThrottleEvents", td, func(m time.Time) float64 { return math.Round(throttled[m]) })
	x.count("AWS/DynamoDB", "ThrottledRequests", []dim{{"TableName", "orders"}, {"Operation", "PutItem"}}, func(m time.Time) float64 { return math.Round(throttled[m] / 3) })
	x.series("AWS/DynamoDB", "ConsumedReadCapacityUnits", "Count", td, func(m time.Time) (float64, float64, float64, float64, float64) {
		v := demand(m) * 1.3 * 60 * (0.9 + 0.2*x.rng.Float64())
		return v, 0.5, 0.5, 4, v * 2
	})
	x.series("AWS/DynamoDB", "SuccessfulRequestLatency", "Milliseconds", []dim{{"TableName", "orders"}, {"Operation", "PutItem"}}, func(m time.Time) (float64, float64, float64, float64, float64) {
		a := x.noisef(4.2)
		return a * 100, a, 2.1, a * 5, 100
	})
	x.count("AWS/DynamoDB", "UserErrors", nil, func(m time.Time) float64 { return float64(2 + x.rng.Intn(9)) })

	// order-writer: Spring Boot default console format, Java stack traces.
	g := "/ecs/order-writer"
	streams := []string{"order-writer/app/2b7e4f1a9c3d4e58", "order-writer/app/9d1c5a3e7f2b4096", "order-writer/app/e4a8c2f6b0d34179"}
	thr := []string{"http-nio-8080-exec-3", "http-nio-8080-exec-7", "http-nio-8080-exec-12", "http-nio-8080-exec-5"}
	x.minutes(func(m time.Time) {
		for i := 0; i < 6; i++ {
			t := x.in(m)
			st := streams[x.rng.Intn(3)]
			ts := t.Format("2006-01-02T15:04:05.000Z")
			x.log(g, st, t, fmt.Sprintf("%s  INFO 1 --- [order-writer] [%s] c.e.orders.OrderController          : order accepted orderId=%d items=%d", ts, thr[x.rng.Intn(4)], 88000000+x.rng.Intn(999999), 1+x.rng.Intn(6)))
		}
		if x.rng.Float64() < 0.18 {
			t := x.in(m)
			x.log(g, streams[x.rng.Intn(3)], t, t.Format("2006-01-02T15:04:05.000Z")+"  WARN 1 --- [order-writer] ["+thr[x.rng.Intn(4)]+"] c.e.orders.OrderRepository          : duplicate submission ignored\n"+
				"software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException: The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: "+x.upper(52)+")\n"+
				"\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n"+
				"\tat software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient.putItem(DefaultDynamoDbClient.java:4360)\n"+
				"\tat com.example.orders.OrderRepository.save(OrderRepository.java:71)")
		}
		n := int(math.Min(throttled[m]/40, 9))
		for i := 0; i < n; i++ {
			t := x.in(m)
			x.log(g, streams[x.rng.Intn(3)], t, t.Format("2006-01-02T15:04:05.000Z")+" ERROR 1 --- [order-writer] ["+thr[x.rng.Intn(4)]+"] c.e.orders.OrderController          : failed to persist order, returning 503\n"+
				"software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API. (Service: DynamoDb, Status Code: 400, Request ID: "+x.upper(52)+")\n"+
				"\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n"+
				"\tat software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage.execute(RetryableStage.java:73)\n"+
				"\tat software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient.putItem(DefaultDynamoDbClient.java:4360)\n"+
				"\tat com.example.orders.OrderRepository.save(OrderRepository.java:71)\n"+
				"\tat com.example.orders.OrderController.submit(OrderController.java:48)")
		}
	})
	// checkout-api: python-json-logger.
	cg := "/ecs/checkout-api"
	x.minutes(func(m time.Time) {
		for i := 0; i < 5; i++ {
			t := x.in(m)
			msg := `"levelname": "INFO", "name": "checkout.views", "message": "checkout completed", "duration_ms": ` + fmt.Sprint(80+x.rng.Intn(200))
			switch {
			case throttled[m] > 0 && i < 3:
				msg = `"levelname": "ERROR", "name": "checkout.orders", "message": "order submit failed", "upstream": "order-writer", "status": 503, "attempts": 3`
			case x.rng.Float64() < 0.05:
				msg = `"levelname": "WARNING", "name": "checkout.payments", "message": "card declined", "decline_code": "insufficient_funds"`
			}
			x.log(cg, "checkout-api/web/"+x.hex(16), t, fmt.Sprintf(`{"asctime": "%s", %s}`, t.Format("2006-01-02 15:04:05,000"), msg))
		}
	})
	fired := onset.Add(3*time.Minute + 41*time.Second)
	x.alarm("orders-write-throttles", "AWS/DynamoDB", "WriteThrottleEvents", td, "Sum", 0, "GreaterThanThreshold", fired,
		"Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (0.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.quiet("TargetTracking-table/orders-AlarmLow-7c2e9a41-3f5b-4d86-b1e0-9a4c6e2f8d17", "AWS/DynamoDB", "ConsumedWriteCapacityUnits", td)
	return x
}

// natPorts: nothing changed; a retry storm of webhook deliveries to one
// partner endpoint exhausts the NAT gateway's ports to that destination,
// and every service's outbound connections start timing out.
func natPorts() *inc {
	onset := time.Date(2026, 11, 26, 11, 17, 0, 0, time.UTC)
	x := newInc("nat-gateway-port-exhaustion", 1404, onset, 76*time.Minute, 30*time.Minute)
	x.title = "Intermittent timeouts calling external APIs"
	x.arch = "Private subnets egress through NAT gateway nat-0c5e8a1f3b7d92046. notify-worker (Node.js, ECS) delivers webhooks to partners; payments (Python, ECS) calls api.stripe.com; search-api (Go, ECS) is internal."
	deploy := onset.Add(-6*time.Minute - 14*time.Second)
	sgDecoy := onset.Add(-19*time.Minute - 31*time.Second)
	ci := role("github-actions-deploy", "GitHubActions", "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ecs#1.45.2", "4.227.14.210")
	x.ct(deploy.Add(-8*time.Second), ci, "ecs.amazonaws.com", "RegisterTaskDefinition", false,
		map[string]any{"family": "search-api", "containerDefinitions": []any{map[string]any{"name": "search-api", "image": acct + ".dkr.ecr.us-east-1.amazonaws.com/search-api:sha-4e1b7c9"}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:us-east-1:" + acct + ":task-definition/search-api:214", "revision": 214}})
	x.ct(deploy, ci, "ecs.amazonaws.com", "UpdateService", false,
		map[string]any{"cluster": "prod", "service": "search-api", "taskDefinition": "search-api:214", "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": "search-api", "taskDefinition": "arn:aws:ecs:us-east-1:" + acct + ":task-definition/search-api:214", "desiredCount": 6}})
	eng := who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21/lena.hoffmann@example.com", principal: "AROAXK3M2Q7PZ9L1WQ8RT:lena.hoffmann@example.com", session: "AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21", agent: consoleAgent, ip: "198.51.100.77"}
	x.ct(sgDecoy, eng, "ec2.amazonaws.com", "AuthorizeSecurityGroupEgress", false,
		map[string]any{"groupId": "sg-0e4b8d2f6a1c93570", "ipPermissions": map[string]any{"items": []any{map[string]any{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "ipRanges": map[string]any{"items": []any{map[string]any{"cidrIp": "10.60.0.0/16", "description": "reporting-etl to analytics RDS"}}}}}}},
		map[string]any{"_return": true, "securityGroupRuleSet": map[string]any{"items": []any{map[string]any{"groupId": "sg-0e4b8d2f6a1c93570", "securityGroupRuleId": "sgr-0" + x.hex(16), "isEgress": true}}}})
	x.noise([]string{"notify-worker", "payments", "search-api"}, 420)
	x.truth = truthFile{Kind: "nat-port-exhaustion", NoChange: true, Onset: onset,
		Decoys:  []decoy{{"UpdateService", deploy}, {"RegisterTaskDefinition", deploy.Add(-8 * time.Second)}, {"AuthorizeSecurityGroupEgress", sgDecoy}},
		Signals: []string{"ErrorPortAllocation", "connect ETIMEDOUT"}}
	// Partner endpoint slows from 10:58; notify-worker retries pile up.
	slowFrom := onset.Add(-19 * time.Minute)
	storm := func(m time.Time) float64 { // 0..1 severity
		if m.Before(slowFrom) {
			return 0
		}
		return math.Min(1, m.Sub(slowFrom).Minutes()/19)
	}
	nd := []dim{{"NatGatewayId", "nat-0c5e8a1f3b7d92046"}}
	portErr := map[time.Time]float64{}
	x.minutes(func(m time.Time) {
		if !m.Before(onset) {
			portErr[m] = 180 + float64(x.rng.Intn(900)) + 60*m.Sub(onset).Minutes()
		}
	})
	x.gauge("AWS/NATGateway", "ActiveConnectionCount", "Count", nd, func(m time.Time) (float64, float64) {
		v := 7200 + 800*x.rng.Float64() + 47000*storm(m)
		if !m.Before(onset) {
			v = 54100 + 800*x.rng.Float64()
		}
		return v * 0.93, v
	})
	x.count("AWS/NATGateway", "ErrorPortAllocation", nd, func(m time.Time) float64 { return math.Round(portErr[m]) })
	x.count("AWS/NATGateway", "ConnectionAttemptCount", nd, func(m time.Time) float64 { return math.Round(x.noisef(2600) * (1 + 5*storm(m))) })
	x.count("AWS/NATGateway", "ConnectionEstablishedCount", nd, func(m time.Time) float64 {
		v := x.noisef(2590) * (1 + 5*storm(m))
		return math.Round(v - portErr[m])
	})
	x.count("AWS/NATGateway", "IdleTimeoutCount", nd, func(m time.Time) float64 { return math.Round(x.noisef(40) * (1 + 10*storm(m))) })
	x.count("AWS/NATGateway", "PacketsDropCount", nd, func(m time.Time) float64 {
		if m.Sub(x.start) > 12*time.Minute && m.Sub(x.start) < 16*time.Minute {
			return float64(40 + x.rng.Intn(30)) // a blip nobody noticed
		}
		return float64(x.rng.Intn(3))
	})
	x.series("AWS/NATGateway", "BytesOutToDestination", "Bytes", nd, func(m time.Time) (float64, float64, float64, float64, float64) {
		v := x.noisef(3.1e8) * (1 + 0.8*storm(m))
		return v, v, v, v, 1
	})
	// ECS CPU of search-api moves with its deploy (unrelated).
	x.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "prod"}, {"ServiceName", "search-api"}}, func(m time.Time) (float64, float64, float64, float64, float64) {
		a := x.noisef(31)
		if m.After(deploy) && m.Before(deploy.Add(5*time.Minute)) {
			a = x.noisef(58)
		}
		return a, a, a * 0.7, a * 1.4, 1
	})
	// notify-worker: pino.
	g := "/ecs/notify-worker"
	x.minutes(func(m time.Time) {
		s := storm(m)
		n := 8 + int(12*s)
		for i := 0; i < n; i++ {
			t := x.in(m)
			st := "notify-worker/worker/" + []string{"7c3e1a9f5b2d4086", "0a4f8c2e6b1d3957", "b5d9e3a7c1f24068"}[i%3]
			r := x.rng.Float64()
			switch {
			case !m.Before(onset) && r < 0.45:
				ip := []string{"52.84.150.12", "52.84.150.77", "18.160.41.9"}[x.rng.Intn(3)]
				host := "hooks.partner-crm.example"
				if x.rng.Float64() < 0.3 {
					host, ip = "api.sendgrid.com", "149.72.154.232"
				}
				x.log(g, st, t, pino(50, t, map[string]any{"msg": "webhook delivery failed", "host": host, "attempt": 1 + x.rng.Intn(5), "err": map[string]any{"type": "Error", "message": "connect ETIMEDOUT " + ip + ":443", "code": "ETIMEDOUT", "errno": -110, "syscall": "connect", "address": ip, "port": 443}}))
			case s > 0 && r < 0.3+0.3*s:
				x.log(g, st, t, pino(40, t, map[string]any{"msg": "webhook delivery failed, will retry", "host": "hooks.partner-crm.example", "status": 503, "elapsedMs": 8000 + x.rng.Intn(20000)}))
			case r > 0.985:
				x.log(g, st, t, pino(50, t, map[string]any{"msg": "webhook delivery failed", "host": "hooks.tinyshop.example", "attempt": 5, "err": map[string]any{"type": "Error", "message": "connect ETIMEDOUT 203.0.113.50:443", "code": "ETIMEDOUT"}}))
			case r > 0.96:
				x.log(g, st, t, pino(40, t, map[string]any{"msg": "webhook rejected", "host": "hooks.partner-crm.example", "status": 410}))
			default:
				x.log(g, st, t, pino(30, t, map[string]any{"msg": "webhook delivered", "host": "hooks.partner-crm.example", "status": 200, "elapsedMs": 90 + x.rng.Intn(400)}))
			}
		}
	})
	// payments: Python tracebacks, only some calls hit a starved port.
	pg := "/ecs/payments"
	x.minutes(func(m time.Time) {
		for i := 0; i < 4; i++ {
			t := x.in(m)
			x.log(pg, "payments/app/"+x.hex(16), t, fmt.Sprintf("%s INFO [payments.charge] charge created id=ch_%s amount=%d", t.Format("2006-01-02 15:04:05,000"), x.hex(24), 500+x.rng.Intn(20000)))
		}
		if !m.Before(onset) && x.rng.Float64() < 0.6 {
			t := x.in(m)
			x.log(pg, "payments/app/"+x.hex(16), t, t.Format("2006-01-02 15:04:05,000")+" ERROR [payments.charge] charge failed\nTraceback (most recent call last):\n  File \"/app/.venv/lib/python3.12/site-packages/urllib3/connection.py\", line 198, in _new_conn\n    sock = connection.create_connection(\nTimeoutError: timed out\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/app/payments/charge.py\", line 64, in create_charge\n    resp = self.session.post(STRIPE_URL, data=payload, timeout=(10, 30))\nrequests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.stripe.com', port=443): Max retries exceeded with url: /v1/payment_intents (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f3c2a1e4d10>, 'Connection to api.stripe.com timed out. (connect timeout=10)'))")
		} else if x.rng.Float64() < 0.04 {
			t := x.in(m)
			x.log(pg, "payments/app/"+x.hex(16), t, t.Format("2006-01-02 15:04:05,000")+" WARNING [payments.charge] card_declined code=do_not_honor")
		}
	})
	// search-api (zap, logfmt-like console) restarts with its deploy.
	sg := "/ecs/search-api"
	x.minutes(func(m time.Time) {
		for i := 0; i < 3; i++ {
			t := x.in(m)
			x.log(sg, "search-api/app/"+x.hex(16), t, fmt.Sprintf(`time=%s level=info msg="query served" index=products took_ms=%d hits=%d`, t.Format(time.RFC3339Nano), 5+x.rng.Intn(60), x.rng.Intn(400)))
		}
		if m.Equal(deploy.Truncate(time.Minute).Add(time.Minute)) {
			t := x.in(m)
			x.log(sg, "search-api/app/"+x.hex(16), t, fmt.Sprintf(`time=%s level=warn msg="index warmup slow" index=products took_ms=4211`, t.Format(time.RFC3339Nano)))
			x.log(sg, "search-api/app/"+x.hex(16), t.Add(time.Second), fmt.Sprintf(`time=%s level=error msg="shutdown: context canceled while draining" inflight=3`, t.Format(time.RFC3339Nano)))
		}
	})
	fired := onset.Add(4*time.Minute + 12*time.Second)
	x.alarm("nat-egress-port-allocation-errors", "AWS/NATGateway", "ErrorPortAllocation", nd, "Sum", 100, "GreaterThanThreshold", fired,
		"Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (100.0) (minimum 3 datapoints for OK -> ALARM transition).")
	return x
}
