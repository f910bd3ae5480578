package main

import (
	"fmt"
	"math"
	"time"
)

// natRouteDeleted: a network admin tidying a private route table deletes a
// stale transit-gateway route and then, by mistake, the default route to
// the AZ-b NAT gateway. Tasks and Lambda environments in AZ b can no longer
// reach the internet: calls to Stripe and HubSpot hang until their client
// timeouts. Only a third of the capacity is affected, so the error rate is
// partial and nothing says "denied".
func natRouteDeleted() *inc {
	start, end := ts("2026-11-18T09:20:00Z"), ts("2026-11-18T10:45:00Z")
	i := newInc("nat-default-route-deleted", 6101, "eu-west-1", "318244096512", start, end,
		"checkout-api: payment requests failing with 502",
		"checkout-api (ECS Fargate, cluster storefront-prod, 6 tasks spread over private subnets in eu-west-1a/b/c) serves the checkout behind ALB checkout-alb and authorizes card payments with Stripe (https://api.stripe.com) and computes tax with TaxJar (https://api.taxjar.com). invoice-sync (Lambda, Python 3.12, VPC-attached to the same private subnets) pushes paid orders to HubSpot (api.hubapi.com) from SQS. Each private subnet's route table (one per AZ) sends 0.0.0.0/0 to the NAT gateway of its AZ; the cluster also runs notifications-api and checkout-worker.")
	change := ts("2026-11-18T10:12:05Z")
	var onset time.Time // the first payment that failed
	rtbB := "rtb-07d1b2e4c95a3f610"
	natA, natB, natC := "nat-03a9e4c1d27f5b860", "nat-0b58d2f6a1c9e7034", "nat-0e17c3b9a5d4f2618"
	lbID := "app/checkout-alb/50dc6c495c0c9188"
	tg := "arn:aws:elasticloadbalancing:eu-west-1:318244096512:targetgroup/checkout-api-tg/6d0ecf831eec9f09"
	cert := "arn:aws:acm:eu-west-1:318244096512:certificate/7e1c3a52-9b0d-4f7e-a2c1-5d8b6e03f914"

	i.noise(noiseCfg{lambdaRoles: []string{"invoice-sync-role", "cart-expiry-role"}, taskRoles: []string{"checkout-api-task", "notifications-api-task"},
		ecrRepos: []string{"checkout-api", "notifications-api", "checkout-worker"}, secrets: []string{"prod/checkout/stripe", "prod/checkout/taxjar", "prod/invoice-sync/hubspot"}})

	// the change, its decoys
	admin := i.sso("NetworkAdministrator", "d.ferreira@northwind-retail.com")
	console := func(t time.Time, name string, req, resp any) {
		i.ct(ev{t: t, who: admin, source: "ec2.amazonaws.com", name: name, req: req, resp: resp, ip: "81.226.14.52", agent: "AWS Internal"})
	}
	for _, t := range []string{"10:09:31", "10:10:02", "10:11:12", "10:11:40", "10:12:30"} {
		console(ts("2026-11-18T"+t+"Z"), "DescribeRouteTables", map[string]any{"routeTableIdSet": map[string]any{}, "filterSet": map[string]any{"items": []any{map[string]any{"name": "vpc-id", "valueSet": map[string]any{"items": []any{map[string]any{"value": "vpc-0c2f8a61d94e37b15"}}}}}}}, nil)
	}
	console(ts("2026-11-18T10:11:48Z"), "DeleteRoute", map[string]any{"routeTableId": rtbB, "destinationCidrBlock": "10.60.0.0/16"}, map[string]any{"requestId": i.uuid(), "_return": true})
	console(change, "DeleteRoute", map[string]any{"routeTableId": rtbB, "destinationCidrBlock": "0.0.0.0/0"}, map[string]any{"requestId": i.uuid(), "_return": true})
	console(ts("2026-11-18T10:27:02Z"), "CreateTags", map[string]any{"resourcesSet": map[string]any{"items": []any{map[string]any{"resourceId": natB}}}, "tagSet": map[string]any{"items": []any{map[string]any{"key": "owner", "value": "network-team"}}}}, map[string]any{"requestId": i.uuid(), "_return": true})
	ci := i.role(i.account, "github-actions-deploy", "GitHubActions")
	deploy := ts("2026-11-18T10:12:11Z")
	i.ct(ev{t: deploy.Add(-3 * time.Second), who: ci, source: "ecs.amazonaws.com", name: "RegisterTaskDefinition", ip: "20.55.14.201",
		req:  map[string]any{"family": "notifications-api", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "512", "memory": "1024"},
		resp: map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:eu-west-1:318244096512:task-definition/notifications-api:214", "revision": 214}}})
	i.ct(ev{t: deploy, who: ci, source: "ecs.amazonaws.com", name: "UpdateService", ip: "20.55.14.201",
		req:  map[string]any{"cluster": "storefront-prod", "service": "notifications-api", "taskDefinition": "arn:aws:ecs:eu-west-1:318244096512:task-definition/notifications-api:214", "forceNewDeployment": false},
		resp: map[string]any{"service": map[string]any{"serviceName": "notifications-api", "serviceArn": "arn:aws:ecs:eu-west-1:318244096512:service/storefront-prod/notifications-api", "desiredCount": 2}}})
	i.ct(ev{t: ts("2026-11-18T09:41:27Z"), who: ci, source: "ecs.amazonaws.com", name: "UpdateService", ip: "20.55.14.201",
		req:  map[string]any{"cluster": "storefront-prod", "service": "checkout-worker", "taskDefinition": "arn:aws:ecs:eu-west-1:318244096512:task-definition/checkout-worker:88"},
		resp: map[string]any{"service": map[string]any{"serviceName": "checkout-worker", "desiredCount": 2}}})
	i.truth = map[string]any{"kind": "network", "alarm": "checkout-api-target-5xx",
		"root_cause": map[string]any{"event_name": "DeleteRoute", "event_time": change.Format(time.RFC3339), "resource": rtbB},
		"decoys":     []any{change0("DeleteRoute", "2026-11-18T10:11:48Z"), change0("UpdateService", "2026-11-18T10:12:11Z"), change0("CreateTags", "2026-11-18T10:27:02Z"), change0("UpdateService", "2026-11-18T09:41:27Z")},
		"signals":    []string{"Request aborted due to timeout being reached", "api.stripe.com", rtbB}}

	// tasks: two per AZ; the AZ-b ones lose the internet at the change
	type task struct{ id, ip, az string }
	var tasks []task
	for k, az := range []string{"a", "a", "b", "b", "c", "c"} {
		third := map[string]int{"a": 11, "b": 12, "c": 13}[az]
		tasks = append(tasks, task{i.hex(32), fmt.Sprintf("10.40.%d.%d", third, 20+k*7), az})
	}
	group := "/ecs/checkout-api"
	cutoff := func(t time.Time, az string) bool { return az == "b" && !t.Before(change) }
	failed := map[time.Time]float64{}
	total := map[time.Time]float64{}
	slow := map[time.Time]float64{}
	pino := func(t time.Time, tk task, level int, body string) {
		i.log(group, "checkout-api/checkout-api/"+tk.id, t, fmt.Sprintf(`{"level":%d,"time":%d,"pid":1,"hostname":"ip-%s.eu-west-1.compute.internal",%s}`, level, t.UnixMilli(), dash(tk.ip), body))
	}
	i.everyMinute(func(m time.Time) {
		// card payments
		n := int(i.poisson(26 + 8*math.Sin(float64(m.Sub(start).Minutes())/14)))
		for k := 0; k < n; k++ {
			tk := tasks[i.r.Intn(len(tasks))]
			t0 := i.jitter(m, time.Minute)
			req := "req-" + i.alnum(6)
			pi := "pi_3Q" + i.alnum(22)
			client := fmt.Sprintf("%d.%d.%d.%d:%d", 80+i.r.Intn(100), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255), 30000+i.r.Intn(30000))
			traceRoot := i.traceID(t0)
			tax := time.Duration(60+i.r.Intn(90)) * time.Millisecond
			total[m]++
			if cutoff(t0.Add(tax), tk.az) {
				// the tax call may hang first (5 s axios timeout), then stripe (10 s)
				d := 10 * time.Second
				msg := `"reqId":"` + req + `","err":{"type":"StripeConnectionError","message":"Request aborted due to timeout being reached (10000ms)","stack":"StripeConnectionError: Request aborted due to timeout being reached (10000ms)\n    at ClientRequest.<anonymous> (/app/node_modules/stripe/cjs/net/NodeHttpClient.js:82:24)\n    at ClientRequest.emit (node:events:519:28)\n    at TLSSocket.emitRequestTimeout (node:_http_client:847:9)","rawType":"api_connection_error","code":"ETIMEDOUT"},"provider":"stripe","host":"api.stripe.com","msg":"payment authorization failed"`
				if i.r.Intn(3) == 0 {
					d = 5 * time.Second
					msg = `"reqId":"` + req + `","err":{"type":"AxiosError","message":"timeout of 5000ms exceeded","code":"ECONNABORTED","stack":"AxiosError: timeout of 5000ms exceeded\n    at RedirectableRequest.handleRequestTimeout (/app/node_modules/axios/dist/node/axios.cjs:3308:16)"},"provider":"taxjar","host":"api.taxjar.com","msg":"tax calculation failed"`
				}
				tEnd := t0.Add(tax + d)
				if onset.IsZero() || tEnd.Before(onset) {
					onset = tEnd
				}
				pino(tEnd, tk, 50, msg)
				pino(tEnd.Add(2*time.Millisecond), tk, 50, fmt.Sprintf(`"reqId":"%s","res":{"statusCode":502},"responseTime":%d,"msg":"request errored"`, req, (tax+d).Milliseconds()))
				fm := tEnd.Truncate(time.Minute)
				failed[fm]++
				slow[fm] += (tax + d).Seconds()
				i.albLog(lbID, t0, client, tk.ip+":8080", 0.001, (tax + d).Seconds(), 0, 502, 502, 1180, 312, "POST https://checkout.northwind-retail.com:443/v1/payments HTTP/2.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15", tg, traceRoot, "checkout.northwind-retail.com", cert, "forward", "-")
				if i.r.Intn(3) == 0 {
					remote := "api.stripe.com"
					url := "https://api.stripe.com/v1/payment_intents"
					exc := map[string]any{"id": i.hex(16), "message": "Request aborted due to timeout being reached (10000ms)", "type": "StripeConnectionError", "remote": true}
					if d == 5*time.Second {
						remote, url = "api.taxjar.com", "https://api.taxjar.com/v2/taxes"
						exc = map[string]any{"id": i.hex(16), "message": "timeout of 5000ms exceeded", "type": "AxiosError", "remote": true}
					}
					i.trace(t0, map[string]any{"name": "checkout-api", "start_time": epoch(t0), "end_time": epoch(tEnd), "origin": "AWS::ECS::Container", "fault": true,
						"http":  map[string]any{"request": map[string]any{"method": "POST", "url": "https://checkout.northwind-retail.com/v1/payments", "client_ip": client}, "response": map[string]any{"status": 502}},
						"aws":   map[string]any{"ecs": map[string]any{"container": "ip-" + dash(tk.ip), "availability_zone": "eu-west-1" + tk.az}},
						"cause": map[string]any{"working_directory": "/app", "exceptions": []any{exc}},
						"subsegments": []any{i.sub(remote, "remote", t0.Add(tax), d, map[string]any{"fault": true, "http": map[string]any{"request": map[string]any{"method": "POST", "url": url}},
							"cause": map[string]any{"working_directory": "/app", "exceptions": []any{exc}}})}})
				}
				continue
			}
			stripeD := time.Duration(250+i.r.Intn(500)) * time.Millisecond
			tEnd := t0.Add(tax + stripeD + 12*time.Millisecond)
			status, msg, subErr := 201, "payment authorized", false
			if i.r.Intn(14) == 0 { // a decline, before and during
				status, msg, subErr = 402, "card declined", true
				pino(tEnd, tk, 40, fmt.Sprintf(`"reqId":"%s","paymentIntent":"%s","decline_code":"%s","msg":"%s"`, req, pi, i.pick("insufficient_funds", "do_not_honor", "expired_card"), msg))
			} else {
				pino(tEnd, tk, 30, fmt.Sprintf(`"reqId":"%s","paymentIntent":"%s","provider":"stripe","durationMs":%d,"msg":"%s"`, req, pi, stripeD.Milliseconds(), msg))
			}
			pino(tEnd.Add(time.Millisecond), tk, 30, fmt.Sprintf(`"reqId":"%s","res":{"statusCode":%d},"responseTime":%d,"msg":"request completed"`, req, status, tEnd.Sub(t0).Milliseconds()))
			slow[tEnd.Truncate(time.Minute)] += tEnd.Sub(t0).Seconds()
			i.albLog(lbID, t0, client, tk.ip+":8080", 0.001, tEnd.Sub(t0).Seconds(), 0, status, status, 1180, 640, "POST https://checkout.northwind-retail.com:443/v1/payments HTTP/2.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", tg, traceRoot, "checkout.northwind-retail.com", cert, "forward", "-")
			if i.r.Intn(5) == 0 {
				sub := i.sub("api.stripe.com", "remote", t0.Add(tax), stripeD, map[string]any{"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://api.stripe.com/v1/payment_intents"}, "response": map[string]any{"status": map[bool]int{true: 402, false: 200}[subErr]}}, "error": subErr})
				i.trace(t0, map[string]any{"name": "checkout-api", "start_time": epoch(t0), "end_time": epoch(tEnd), "origin": "AWS::ECS::Container", "error": subErr,
					"http":        map[string]any{"request": map[string]any{"method": "POST", "url": "https://checkout.northwind-retail.com/v1/payments", "client_ip": client}, "response": map[string]any{"status": status}},
					"aws":         map[string]any{"ecs": map[string]any{"container": "ip-" + dash(tk.ip), "availability_zone": "eu-west-1" + tk.az}},
					"subsegments": []any{i.sub("api.taxjar.com", "remote", t0, tax, map[string]any{"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://api.taxjar.com/v2/taxes"}, "response": map[string]any{"status": 200}}}), sub}})
			}
		}
		// cart reads (no external calls) and health checks
		for k := 0; k < int(i.poisson(40)); k++ {
			tk := tasks[i.r.Intn(len(tasks))]
			t0 := i.jitter(m, time.Minute)
			d := time.Duration(8+i.r.Intn(40)) * time.Millisecond
			st := 200
			if i.r.Intn(60) == 0 {
				st = 404
			}
			pino(t0.Add(d), tk, 30, fmt.Sprintf(`"reqId":"req-%s","res":{"statusCode":%d},"responseTime":%d,"msg":"request completed"`, i.alnum(6), st, d.Milliseconds()))
			i.albLog(lbID, t0, fmt.Sprintf("%d.%d.%d.%d:%d", 80+i.r.Intn(100), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255), 30000+i.r.Intn(30000)), tk.ip+":8080", 0.001, d.Seconds(), 0, st, st, 420, 2210, "GET https://checkout.northwind-retail.com:443/v1/cart HTTP/2.0", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0.0.0 Mobile Safari/537.36", tg, i.traceID(t0), "checkout.northwind-retail.com", cert, "forward", "-")
			slow[(t0.Add(d)).Truncate(time.Minute)] += d.Seconds()
			total[m]++
		}
		// pre-existing: redis reconnects and a slow-query warning
		if i.r.Intn(7) == 0 {
			tk := tasks[i.r.Intn(len(tasks))]
			pino(i.jitter(m, time.Minute), tk, 40, `"err":{"type":"Error","message":"read ECONNRESET","code":"ECONNRESET"},"msg":"redis connection lost, reconnecting"`)
		}
		if i.r.Intn(11) == 0 {
			tk := tasks[i.r.Intn(len(tasks))]
			pino(i.jitter(m, time.Minute), tk, 50, `"err":{"type":"IdempotencyError","message":"Keys for idempotent requests can only be used with the same parameters they were first used with.","statusCode":400},"provider":"stripe","msg":"payment intent rejected"`)
		}
	})

	// invoice-sync Lambda: environments in AZ b time out to HubSpot
	lg := "/aws/lambda/invoice-sync"
	envs := []struct{ stream, az string }{}
	for _, az := range []string{"a", "b", "c", "b"} {
		envs = append(envs, struct{ stream, az string }{"2026/11/18/[$LATEST]" + i.hex(32), az})
	}
	lerr := map[time.Time]float64{}
	ldur := map[time.Time]float64{}
	linv := map[time.Time]float64{}
	i.everyMinute(func(m time.Time) {
		for k := 0; k < int(i.poisson(6)); k++ {
			e := envs[i.r.Intn(len(envs))]
			t0 := i.jitter(m, time.Minute)
			rid := i.uuid()
			deal := 9100000000 + i.r.Intn(99999999)
			i.log(lg, e.stream, t0, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			d := time.Duration(180+i.r.Intn(400)) * time.Millisecond
			linv[m]++
			if e.az == "b" && !t0.Before(change) {
				d = 5*time.Second + time.Duration(i.r.Intn(40))*time.Millisecond
				i.log(lg, e.stream, t0.Add(d), fmt.Sprintf("[ERROR]\t%s\t%s\tHubSpot sync failed for deal %d\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 58, in handler\n    push_deal(record)\n  File \"/var/task/hubspot_client.py\", line 31, in push_deal\n    resp = session.patch(url, json=payload, timeout=(5, 10))\nrequests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.hubapi.com', port=443): Max retries exceeded with url: /crm/v3/objects/deals/%d (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f3a1c2b9e50>, 'Connection to api.hubapi.com timed out. (connect timeout=5)'))", t0.Add(d).Format("2006-01-02T15:04:05.000Z"), rid, deal, deal))
				lerr[m]++
			} else if i.r.Intn(12) == 0 {
				i.log(lg, e.stream, t0.Add(d), fmt.Sprintf("[WARNING]\t%s\t%s\tHubSpot returned 429 for deal %d (You have reached your secondly limit.), message will be retried", t0.Add(d).Format("2006-01-02T15:04:05.000Z"), rid, deal))
			} else {
				i.log(lg, e.stream, t0.Add(d), fmt.Sprintf("[INFO]\t%s\t%s\tsynced deal %d stage=closedwon", t0.Add(d).Format("2006-01-02T15:04:05.000Z"), rid, deal))
			}
			ldur[m] += float64(d.Milliseconds())
			i.log(lg, e.stream, t0.Add(d+time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
			i.log(lg, e.stream, t0.Add(d+2*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: %d MB", rid, d.Milliseconds(), i.r.Intn(100), d.Milliseconds()+1, 88+i.r.Intn(6)))
		}
	})

	i.truth["onset"] = onset.Format(time.RFC3339)
	alb := dims("LoadBalancer", lbID)
	i.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", alb, func(m time.Time) (float64, float64) {
		return failed[m] + i.poisson(0.15), 1
	})
	i.metric("AWS/ApplicationELB", "RequestCount", "Count", alb, func(m time.Time) (float64, float64) { return total[m], 1 })
	i.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", alb, func(m time.Time) (float64, float64) {
		return slow[m], math.Max(total[m], 1)
	})
	for _, nat := range []string{natA, natB, natC} {
		nat := nat
		i.metric("AWS/NATGateway", "ActiveConnectionCount", "Count", dims("NatGatewayId", nat), func(m time.Time) (float64, float64) {
			if nat == natB && !m.Before(change.Truncate(time.Minute)) {
				return i.poisson(1), 1
			}
			return i.noisy(140, 0.15), 1
		})
		i.metric("AWS/NATGateway", "BytesOutToDestination", "Bytes", dims("NatGatewayId", nat), func(m time.Time) (float64, float64) {
			if nat == natB && m.After(change) {
				return 0, 1
			}
			return i.noisy(3.1e6, 0.3), 1
		})
	}
	i.metric("AWS/ECS", "CPUUtilization", "Percent", dims("ClusterName", "storefront-prod", "ServiceName", "checkout-api"), func(m time.Time) (float64, float64) {
		base := 22.0
		if m.After(ts("2026-11-18T09:48:00Z")) && m.Before(ts("2026-11-18T10:03:00Z")) {
			base = 47 // the nightly cart-expiry sweep hits the same service
		}
		return i.noisy(base, 0.1), 1
	})
	fn := dims("FunctionName", "invoice-sync")
	i.metric("AWS/Lambda", "Errors", "Count", fn, func(m time.Time) (float64, float64) { return lerr[m], 1 })
	i.metric("AWS/Lambda", "Invocations", "Count", fn, func(m time.Time) (float64, float64) { return linv[m], 1 })
	i.metric("AWS/Lambda", "Duration", "Milliseconds", fn, func(m time.Time) (float64, float64) { return ldur[m], math.Max(linv[m], 1) })
	i.alarm(alarmSpec{name: "checkout-api-target-5xx", desc: "checkout-api returns 5xx through checkout-alb. Runbook: https://wiki.northwind-retail.com/oncall/checkout",
		ns: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", stat: "Sum", cmp: "GreaterThanOrEqualToThreshold", unit: "Count", dims: alb,
		threshold: 5, period: 60, evalPeriods: 3, datapoints: 3, fired: ts("2026-11-18T10:16:37Z"), value: 9, actions: []string{"arn:aws:sns:eu-west-1:318244096512:oncall-checkout"}})
	i.alarm(alarmSpec{name: "invoice-sync-errors", desc: "invoice-sync Lambda errors", ns: "AWS/Lambda", metric: "Errors", stat: "Sum", cmp: "GreaterThanThreshold", unit: "Count", dims: fn,
		threshold: 3, period: 300, evalPeriods: 1, datapoints: 1, fired: ts("2026-11-18T10:20:41Z"), value: 7, actions: []string{"arn:aws:sns:eu-west-1:318244096512:oncall-checkout"}})
	return i
}

func change0(name, t string) map[string]any { return change(name, ts(t)) }

func dash(ip string) string {
	b := []byte(ip)
	for k := range b {
		if b[k] == '.' {
			b[k] = '-'
		}
	}
	return string(b)
}
