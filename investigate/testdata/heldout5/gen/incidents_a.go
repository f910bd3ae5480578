package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// js renders a structured log line the way Node's JSON.stringify and Go's
// zap do: no HTML escaping of <, > and &.
func js(v map[string]any) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

func (x *X) ecsStreams(svc string, n int) []string {
	var s []string
	for i := 0; i < n; i++ {
		s = append(s, svc+"/"+svc+"/"+x.hex(32))
	}
	return s
}

func decoy(name string, t time.Time) map[string]any {
	return map[string]any{"event_name": name, "event_time": t.Format(time.RFC3339)}
}

// route53Shift: a weighted record set is flipped 0/100 towards a standby
// region whose ALB has no registered targets.
func route53Shift(base string) *X {
	x := newX(base, "route53-weighted-shift", "us-east-1", "582910374615", time.Date(2026, 11, 17, 13, 0, 0, 0, time.UTC), 100, 501)
	change, onset, fired := x.at("14:03:12"), x.at("14:04:20"), x.at("14:07:00")
	host := "api.paygate.example.com"
	x.manifest = map[string]any{"format": "fa2-snapshot/1", "region": x.region,
		"window": map[string]any{"start": x.t0.Format(time.RFC3339), "end": x.t1.Format(time.RFC3339)},
		"title":  "checkout-api: payment authorization failures",
		"architecture": "checkout-api (ECS Fargate, us-east-1) authorizes card payments by calling the paygate API at https://" + host +
			". The paygate hostname is a Route 53 weighted alias record in hosted zone example.com: set 'use1-primary' points at ALB paygate-use1 (us-east-1), set 'usw2-standby' at ALB paygate-usw2 (us-west-2), kept as a warm-standby shell whose Auto Scaling group is at zero outside DR drills. TTL 60s. checkout-api also writes orders to DynamoDB and publishes analytics events to Kinesis; order-notifier (Lambda) sends confirmation e-mails.",
	}
	streams := x.ecsStreams("checkout-api", 4)
	ua := "paygate-client-go/2.4.1"
	sku := func() string { return fmt.Sprintf("SKU-%05d", x.r.Intn(90000)) }
	x.each(x.t0, x.t1, flat(40), func(t time.Time) {
		s := streams[x.r.Intn(len(streams))]
		oid := "ord_" + x.alnum(12)
		tid := x.traceID(t)
		seg := map[string]any{"id": x.hex(16), "trace_id": tid, "name": "checkout-api", "origin": "AWS::ECS::Container", "start_time": secs(t),
			"http":    map[string]any{"request": map[string]any{"method": "POST", "url": "https://shop.example.com/api/checkout", "client_ip": x.ip()}},
			"aws":     map[string]any{"ecs": map[string]any{"container": "ip-" + x.privIP(), "cluster": "arn:aws:ecs:us-east-1:" + x.acct + ":cluster/shop"}},
			"service": map[string]any{"version": "2026.11.14-3"}}
		ddb := map[string]any{"id": x.hex(16), "name": "DynamoDB", "namespace": "aws", "start_time": secs(t.Add(3 * time.Millisecond)), "end_time": secs(t.Add(11 * time.Millisecond)),
			"http": map[string]any{"response": map[string]any{"status": 200}}, "aws": map[string]any{"operation": "PutItem", "table_name": "orders", "region": "us-east-1", "retries": 0}}
		var pay map[string]any
		var end time.Time
		status := 200
		if t.Before(onset) {
			d := time.Duration(120+x.r.Intn(160)) * time.Millisecond
			pay = map[string]any{"id": x.hex(16), "name": host, "namespace": "remote", "start_time": secs(t.Add(12 * time.Millisecond)), "end_time": secs(t.Add(12*time.Millisecond + d)),
				"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://" + host + "/v1/authorize"}, "response": map[string]any{"status": 200, "content_length": 412}}}
			end = t.Add(20*time.Millisecond + d)
			x.log("/ecs/checkout-api", s, end, js(map[string]any{"level": "info", "ts": end.Format(time.RFC3339Nano), "msg": "checkout completed", "order_id": oid, "payment_ms": d.Milliseconds(), "trace_id": tid}))
		} else if x.r.Float64() < 0.85 {
			d := time.Duration(70+x.r.Intn(40)) * time.Millisecond
			pay = map[string]any{"id": x.hex(16), "name": host, "namespace": "remote", "start_time": secs(t.Add(12 * time.Millisecond)), "end_time": secs(t.Add(12*time.Millisecond + d)), "fault": true,
				"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://" + host + "/v1/authorize"}, "response": map[string]any{"status": 503, "content_length": 162}}}
			end, status = t.Add(20*time.Millisecond+d), 502
			x.log("/ecs/checkout-api", s, end, js(map[string]any{"level": "error", "ts": end.Format(time.RFC3339Nano), "msg": "payment authorization failed", "order_id": oid, "error": "POST https://" + host + "/v1/authorize: unexpected status 503 Service Unavailable", "trace_id": tid}))
		} else {
			d := 5 * time.Second
			pay = map[string]any{"id": x.hex(16), "name": host, "namespace": "remote", "start_time": secs(t.Add(12 * time.Millisecond)), "end_time": secs(t.Add(12*time.Millisecond + d)), "fault": true,
				"http":  map[string]any{"request": map[string]any{"method": "POST", "url": "https://" + host + "/v1/authorize"}},
				"cause": map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": x.hex(16), "type": "*url.Error", "message": "Post \"https://" + host + "/v1/authorize\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "remote": true}}}}
			end, status = t.Add(20*time.Millisecond+d), 504
			x.log("/ecs/checkout-api", s, end, js(map[string]any{"level": "error", "ts": end.Format(time.RFC3339Nano), "msg": "payment authorization failed", "order_id": oid, "error": "Post \"https://" + host + "/v1/authorize\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "trace_id": tid}))
		}
		seg["end_time"] = secs(end)
		seg["subsegments"] = []any{ddb, pay}
		seg["http"].(map[string]any)["response"] = map[string]any{"status": status}
		if status >= 500 {
			seg["fault"] = true
		}
		if x.r.Intn(6) == 0 {
			x.trace(tid, end.Sub(t).Seconds(), seg)
		}
		// paygate's own ALBs: the primary sees checkout's calls until the
		// shift, the standby answers 503 with no target after it.
		if x.r.Intn(3) == 0 {
			if t.Before(onset) {
				x.albReq("app.paygate-use1.9c2e71d04ab3f518", "us-east-1", req{t: t, client: x.ip(), target: x.privIP() + ":8443", reqT: 0.001, tgtT: 0.15, respT: 0, elb: "200", tgt: "200",
					method: "POST", url: "https://" + host + ":443/v1/authorize", ua: ua, host: host, tg: "arn:aws:elasticloadbalancing:us-east-1:" + x.acct + ":targetgroup/paygate-api-use1/6d0ecf831eec9f09", actions: "forward", rcv: 890, sent: 612})
			} else if status == 502 {
				x.albReq("app.paygate-usw2.41f7a0c2e85d93b6", "us-west-2", req{t: t, client: x.ip(), target: "-", reqT: -1, tgtT: -1, respT: -1, elb: "503", tgt: "-",
					method: "POST", url: "https://" + host + ":443/v1/authorize", ua: ua, host: host, tg: "arn:aws:elasticloadbalancing:us-west-2:" + x.acct + ":targetgroup/paygate-api-usw2/0b71f3c9d2a4e6f8", actions: "forward", reason: "-", rcv: 890, sent: 345})
			}
		}
	})
	// Pre-existing noise and errors at the same rate before and during.
	x.noise("/ecs/checkout-api", streams, 6,
		func() string {
			return js(map[string]any{"level": "warn", "msg": "inventory cache miss, falling back to DynamoDB", "sku": sku()})
		},
		func() string {
			return js(map[string]any{"level": "error", "msg": "failed to publish analytics event", "error": "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000003 in stream checkout-analytics under account " + x.acct + "."})
		},
		func() string {
			return js(map[string]any{"level": "info", "msg": "health check ok", "path": "/healthz"})
		})
	w := x.ecsStreams("checkout-worker", 2)
	x.noise("/ecs/checkout-worker", w, 8,
		func() string { return "INFO reconcile: batch of 25 orders settled" },
		func() string {
			return "WARN reconcile: order " + "ord_" + x.alnum(12) + " still pending settlement after 30m"
		},
		func() string {
			return "ERROR kinesis consumer: lease lost for shard shardId-000000000001, re-acquiring"
		})
	x.lambdaNoise("order-notifier", step(onset.Add(30*time.Second), 30, 6), flat(180), func(t time.Time, r string) []string {
		if x.r.Intn(40) == 0 {
			return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tWARN\tSES throttled, retrying in 200ms"}
		}
		return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tINFO\tconfirmation sent"}
	})

	// Metrics.
	x.metric("Checkout", "PaymentGatewayErrors", "Count", []string{"Service", "checkout-api"}, func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return -1
		}
		return x.wobble(38, 0.15)
	})
	x.metric("AWS/ApplicationELB", "RequestCount", "Count", []string{"LoadBalancer", "app/paygate-use1/9c2e71d04ab3f518"}, func(t time.Time) float64 {
		if t.After(onset) {
			return x.wobble(3, 0.6)
		}
		return x.wobble(180, 0.1)
	})
	x.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Count", []string{"LoadBalancer", "app/paygate-usw2/41f7a0c2e85d93b6"}, func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return -1
		}
		return x.wobble(34, 0.15)
	})
	x.metric("AWS/ApplicationELB", "HealthyHostCount", "Count", []string{"TargetGroup", "targetgroup/paygate-api-usw2/0b71f3c9d2a4e6f8", "LoadBalancer", "app/paygate-usw2/41f7a0c2e85d93b6"}, flat(0))
	x.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", []string{"LoadBalancer", "app/shop-public/77ab30e1c9d24f5e"}, func(t time.Time) float64 {
		if t.After(onset) {
			return x.wobble(0.95, 0.2)
		}
		return x.wobble(0.24, 0.1)
	})
	x.metric("AWS/RDS", "CPUUtilization", "Percent", []string{"DBInstanceIdentifier", "reporting-db"}, func(t time.Time) float64 {
		if t.After(x.at("13:30:00")) && t.Before(x.at("13:52:00")) {
			return x.wobble(78, 0.1)
		}
		return x.wobble(22, 0.15)
	})
	x.metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", "Count", []string{"StreamName", "checkout-analytics"}, func(time.Time) float64 { return x.wobble(4, 0.5) })

	x.alarm("checkout-payment-errors", "Payment authorization errors from checkout-api (EMF metric)", "Checkout", "PaymentGatewayErrors", "Sum", []string{"Service", "checkout-api"}, 20, "GreaterThanThreshold", 2, fired,
		"Threshold Crossed: 2 out of the last 2 datapoints [39.0 (17/11/26 14:05:00), 36.0 (17/11/26 14:04:00)] were greater than the threshold (20.0) (minimum 2 datapoints for OK -> ALARM transition).")
	x.alarm("reporting-db-cpu-high", "reporting-db CPU", "AWS/RDS", "CPUUtilization", "Average", []string{"DBInstanceIdentifier", "reporting-db"}, 90, "GreaterThanThreshold", 5, time.Time{}, "")

	// CloudTrail.
	x.routineTrail(420, 90)
	net := x.sso("NetworkAdmin", "ravi.kumar@example.com")
	zone := "Z07381422QK8XHMF1DRA"
	rrs := func(id, dns, hz string, w int) map[string]any {
		return map[string]any{"name": host + ".", "type": "A", "setIdentifier": id, "weight": w,
			"aliasTarget": map[string]any{"hostedZoneId": hz, "dNSName": dns, "evaluateTargetHealth": false}}
	}
	resp := func(t time.Time, c string) map[string]any {
		return map[string]any{"changeInfo": map[string]any{"id": "/change/C0" + x.upper(19), "status": "PENDING", "submittedAt": t.Format("Jan 2, 2006, 3:04:05 PM"), "comment": c}}
	}
	d1 := x.at("13:51:37")
	x.ev(d1, net, "route53.amazonaws.com", "ChangeResourceRecordSets", map[string]any{"hostedZoneId": zone, "changeBatch": map[string]any{"changes": []any{
		map[string]any{"action": "UPSERT", "resourceRecordSet": map[string]any{"name": "example.com.", "type": "TXT", "tTL": 300, "resourceRecords": []any{
			map[string]any{"value": "\"v=spf1 include:amazonses.com include:_spf.google.com ~all\""}, map[string]any{"value": "\"google-site-verification=" + x.alnum(43) + "\""}}}}}}}, resp(d1, ""), false)
	d2 := x.at("13:58:04")
	x.ev(d2, net, "route53.amazonaws.com", "ChangeResourceRecordSets", map[string]any{"hostedZoneId": zone, "changeBatch": map[string]any{"comment": "lower TTL before statuspage vendor move", "changes": []any{
		map[string]any{"action": "UPSERT", "resourceRecordSet": map[string]any{"name": "status.example.com.", "type": "CNAME", "tTL": 60, "resourceRecords": []any{map[string]any{"value": "example.statuspage.io"}}}}}}}, resp(d2, "lower TTL before statuspage vendor move"), false)
	x.ev(change, net, "route53.amazonaws.com", "ChangeResourceRecordSets", map[string]any{"hostedZoneId": zone, "changeBatch": map[string]any{"comment": "DR drill prep: shift paygate to usw2", "changes": []any{
		map[string]any{"action": "UPSERT", "resourceRecordSet": rrs("use1-primary", "dualstack.paygate-use1-1938475621.us-east-1.elb.amazonaws.com.", "Z35SXDOTRQ7X7K", 0)},
		map[string]any{"action": "UPSERT", "resourceRecordSet": rrs("usw2-standby", "dualstack.paygate-usw2-802716354.us-west-2.elb.amazonaws.com.", "Z1H1FL5HABSF5", 100)}}}}, resp(change, "DR drill prep: shift paygate to usw2"), false)
	for _, t := range []string{"13:49:10", "13:51:02", "14:02:40", "14:09:55", "14:12:31"} {
		x.ev(x.at(t), net, "route53.amazonaws.com", x.pick("ListResourceRecordSets", "GetHostedZone", "ListHostedZones"), map[string]any{"hostedZoneId": zone}, nil, true)
	}
	x.ev(x.at("14:13:40"), net, "route53.amazonaws.com", "GetChange", map[string]any{"id": "C0" + x.upper(19)}, nil, true)
	x.ev(x.at("14:01:55"), net, "elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", map[string]any{"targetGroupArn": "arn:aws:elasticloadbalancing:us-west-2:" + x.acct + ":targetgroup/paygate-api-usw2/0b71f3c9d2a4e6f8"}, nil, true)

	x.truth = map[string]any{"kind": "route53-weighted-shift", "alarm": "checkout-payment-errors",
		"root_cause": map[string]any{"event_name": "ChangeResourceRecordSets", "event_time": change.Format(time.RFC3339), "resource": host},
		"no_change":  false, "onset": onset.Format(time.RFC3339),
		"decoys":  []any{decoy("ChangeResourceRecordSets", d1), decoy("ChangeResourceRecordSets", d2)},
		"signals": []string{"ChangeResourceRecordSets", host, "503"},
	}
	return x
}

// wafRateBlock: a rate-based rule in Block mode with a limit far below what
// partner integrations and carrier-NATed mobile users send.
func wafRateBlock(base string) *X {
	x := newX(base, "waf-rate-rule-block", "us-east-1", "730194826551", time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC), 100, 502)
	countRule, change, onset, fired := x.at("15:41:18"), x.at("16:01:33"), x.at("16:02:40"), x.at("16:06:00")
	acl := "storefront-web-acl"
	aclID := "a1b2c3d4-5e6f-4a7b-8c9d-" + x.hex(12)
	x.manifest = map[string]any{"format": "fa2-snapshot/1", "region": x.region,
		"window":       map[string]any{"start": x.t0.Format(time.RFC3339), "end": x.t1.Format(time.RFC3339)},
		"title":        "storefront: customers and partner integrations report 403 Forbidden",
		"architecture": "Public ALB storefront-alb fronts storefront-web (ECS) for browsers, the mobile app and B2B partner integrations (partners call /api/v2/* from a few fixed egress IPs). AWS WAF web ACL storefront-web-acl (REGIONAL) is associated with the ALB: AWS managed common rule set plus team rules; WAF logs go to CloudWatch Logs group aws-waf-logs-storefront. A separate web ACL admin-web-acl protects the internal admin ALB using the IP set office-allowlist.",
	}
	lb := "app.storefront-alb.3f9a12c7e4b08d61"
	tg := "arn:aws:elasticloadbalancing:us-east-1:" + x.acct + ":targetgroup/storefront-web/8e4d1b7a09c3f256"
	partners := []string{"198.51.100.17", "198.51.100.18", "203.0.113.40", "192.0.2.77"}
	paths := []string{"/", "/api/v2/catalog/items", "/api/v2/cart", "/api/v2/orders", "/static/app.js", "/api/v2/inventory/availability"}
	streams := x.ecsStreams("storefront-web", 4)
	wafStreams := []string{"us-east-1_" + acl + "_0", "us-east-1_" + acl + "_1"}
	x.each(x.t0, x.t1, flat(90), func(t time.Time) {
		partner := x.r.Intn(3) == 0
		client := x.ip()
		ua := "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
		path := paths[x.r.Intn(len(paths))]
		if partner {
			client, ua, path = partners[x.r.Intn(len(partners))], "partner-sync/3.2 (+https://partners.example.com)", "/api/v2/inventory/availability"
		} else if x.r.Intn(4) == 0 {
			client, ua = "172.58."+fmt.Sprint(120+x.r.Intn(4))+".9", "StorefrontApp/7.12.0 (Android 15; Pixel 8)"
		}
		blocked := !t.Before(onset) && (partner || client[:7] == "172.58." && x.r.Intn(3) > 0)
		if blocked {
			x.albReq(lb, x.region, req{t: t, client: client, target: "-", reqT: -1, tgtT: -1, respT: -1, elb: "403", tgt: "-", method: "GET", url: "https://shop.example.com:443" + path, ua: ua, host: "shop.example.com", tg: "-", actions: "waf", rcv: 310, sent: 349})
			if x.r.Intn(2) == 0 {
				x.log("aws-waf-logs-storefront", wafStreams[x.r.Intn(2)], t, js(map[string]any{"timestamp": t.UnixMilli(), "formatVersion": 1, "webaclId": "arn:aws:wafv2:us-east-1:" + x.acct + ":regional/webacl/" + acl + "/" + aclID,
					"terminatingRuleId": "api-rate-limit", "terminatingRuleType": "RATE_BASED", "action": "BLOCK", "terminatingRuleMatchDetails": []any{}, "httpSourceName": "ALB", "httpSourceId": x.acct + "-app/storefront-alb/3f9a12c7e4b08d61",
					"ruleGroupList":               []any{map[string]any{"ruleGroupId": "AWS#AWSManagedRulesCommonRuleSet", "terminatingRule": nil, "nonTerminatingMatchingRules": []any{}, "excludedRules": nil}},
					"rateBasedRuleList":           []any{map[string]any{"rateBasedRuleId": x.uuid(), "rateBasedRuleName": "api-rate-limit", "limitKey": "IP", "maxRateAllowed": 20, "evaluationWindowSec": "300", "limitValue": client}},
					"nonTerminatingMatchingRules": []any{}, "requestHeadersInserted": nil, "responseCodeSent": nil,
					"httpRequest": map[string]any{"clientIp": client, "country": "US", "headers": []any{map[string]any{"name": "Host", "value": "shop.example.com"}, map[string]any{"name": "User-Agent", "value": ua}}, "uri": path, "args": "", "httpVersion": "HTTP/1.1", "httpMethod": "GET", "requestId": x.alnum(20)},
					"labels":      []any{map[string]any{"name": "awswaf:" + x.acct + ":webacl:" + acl + ":api-rate-limit"}}}))
			}
			return
		}
		code := "200"
		if x.r.Intn(150) == 0 {
			code = "500"
		} else if x.r.Intn(40) == 0 {
			code = "404"
		}
		x.albReq(lb, x.region, req{t: t, client: client, target: x.privIP() + ":3000", reqT: 0.001, tgtT: 0.02 + 0.1*x.r.Float64(), respT: 0, elb: code, tgt: code, method: "GET", url: "https://shop.example.com:443" + path, ua: ua, host: "shop.example.com", tg: tg, actions: "waf,forward", rcv: 310, sent: 2400 + x.r.Intn(9000)})
		if x.r.Intn(3) == 0 {
			lvl := "info"
			if code == "500" {
				lvl = "error"
			}
			x.log("/ecs/storefront-web", streams[x.r.Intn(4)], t, js(map[string]any{"level": lvl, "time": t.UnixMilli(), "msg": "request completed", "method": "GET", "path": path, "status": code}))
		}
	})
	x.noise("/ecs/storefront-web", streams, 3,
		func() string {
			return js(map[string]any{"level": "warn", "msg": "slow query on inventory availability", "ms": 900 + x.r.Intn(600)})
		},
		func() string {
			return js(map[string]any{"level": "error", "msg": "recommendation service timeout, serving defaults"})
		})
	x.each(x.t0, x.t1, flat(4), func(t time.Time) { // managed rules blocking scanners, as every day
		c := x.ip()
		x.log("aws-waf-logs-storefront", wafStreams[x.r.Intn(2)], t, js(map[string]any{"timestamp": t.UnixMilli(), "formatVersion": 1, "webaclId": "arn:aws:wafv2:us-east-1:" + x.acct + ":regional/webacl/" + acl + "/" + aclID,
			"terminatingRuleId": "AWS-AWSManagedRulesCommonRuleSet", "terminatingRuleType": "MANAGED_RULE_GROUP", "action": "BLOCK", "httpSourceName": "ALB", "httpSourceId": x.acct + "-app/storefront-alb/3f9a12c7e4b08d61",
			"ruleGroupList":     []any{map[string]any{"ruleGroupId": "AWS#AWSManagedRulesCommonRuleSet", "terminatingRule": map[string]any{"ruleId": x.pick("GenericLFI_URIPATH", "SizeRestrictions_BODY", "NoUserAgent_HEADER"), "action": "BLOCK"}}},
			"rateBasedRuleList": []any{}, "nonTerminatingMatchingRules": []any{},
			"httpRequest": map[string]any{"clientIp": c, "country": x.pick("RU", "CN", "NL", "US"), "headers": []any{}, "uri": x.pick("/../../etc/passwd", "/wp-login.php", "/.env"), "args": "", "httpVersion": "HTTP/1.1", "httpMethod": "GET", "requestId": x.alnum(20)}}))
		x.albReq(lb, x.region, req{t: t, client: c, target: "-", reqT: -1, tgtT: -1, respT: -1, elb: "403", tgt: "-", method: "GET", url: "https://shop.example.com:443/.env", ua: "-", host: "shop.example.com", tg: "-", actions: "waf", rcv: 120, sent: 349})
	})
	x.lambdaNoise("search-indexer", flat(10), flat(420), func(t time.Time, r string) []string {
		return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tINFO\tindexed 50 documents"}
	})

	wafDims := func(rule string) []string { return []string{"WebACL", acl, "Region", "us-east-1", "Rule", rule} }
	x.metric("AWS/WAFV2", "BlockedRequests", "Count", wafDims("api-rate-limit"), func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return -1
		}
		return x.wobble(45, 0.15)
	})
	x.metric("AWS/WAFV2", "BlockedRequests", "Count", wafDims("ALL"), func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return x.wobble(4, 0.5)
		}
		return x.wobble(49, 0.15)
	})
	x.metric("AWS/WAFV2", "CountedRequests", "Count", wafDims("login-rate-count"), func(t time.Time) float64 {
		if t.Before(countRule) {
			return -1
		}
		return x.wobble(3, 0.6)
	})
	x.metric("AWS/WAFV2", "AllowedRequests", "Count", wafDims("ALL"), func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return x.wobble(86, 0.1)
		}
		return x.wobble(41, 0.1)
	})
	x.metric("AWS/ApplicationELB", "HTTPCode_ELB_4XX_Count", "Count", []string{"LoadBalancer", "app/storefront-alb/3f9a12c7e4b08d61"}, func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return x.wobble(5, 0.5)
		}
		return x.wobble(50, 0.15)
	})
	x.metric("AWS/ApplicationELB", "RequestCount", "Count", []string{"TargetGroup", "targetgroup/storefront-web/8e4d1b7a09c3f256", "LoadBalancer", "app/storefront-alb/3f9a12c7e4b08d61"}, func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return x.wobble(86, 0.1)
		}
		return x.wobble(41, 0.1)
	})
	x.metric("AWS/ECS", "CPUUtilization", "Percent", []string{"ClusterName", "storefront", "ServiceName", "storefront-web"}, func(t time.Time) float64 {
		if t.Before(onset) {
			return x.wobble(46, 0.1)
		}
		return x.wobble(27, 0.1)
	})
	x.metric("AWS/Lambda", "Duration", "Milliseconds", []string{"FunctionName", "search-indexer"}, func(t time.Time) float64 {
		if t.After(x.at("15:20:00")) && t.Before(x.at("15:35:00")) {
			return x.wobble(1900, 0.1)
		}
		return x.wobble(420, 0.1)
	})
	x.alarm("storefront-alb-4xx-spike", "ELB-generated 4XX on storefront-alb (includes WAF blocks)", "AWS/ApplicationELB", "HTTPCode_ELB_4XX_Count", "Sum", []string{"LoadBalancer", "app/storefront-alb/3f9a12c7e4b08d61"}, 30, "GreaterThanThreshold", 3, fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [51.0 (24/11/26 16:04:00), 47.0 (24/11/26 16:03:00), 52.0 (24/11/26 16:02:00)] were greater than the threshold (30.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.alarm("storefront-target-5xx", "Target 5XX on storefront-web", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", []string{"LoadBalancer", "app/storefront-alb/3f9a12c7e4b08d61"}, 10, "GreaterThanThreshold", 3, time.Time{}, "")

	x.routineTrail(380, 80)
	sec := x.sso("SecurityEngineer", "dana.whitfield@example.com")
	vis := func(n string) map[string]any {
		return map[string]any{"sampledRequestsEnabled": true, "cloudWatchMetricsEnabled": true, "metricName": n}
	}
	common := map[string]any{"name": "AWS-AWSManagedRulesCommonRuleSet", "priority": 0, "statement": map[string]any{"managedRuleGroupStatement": map[string]any{"vendorName": "AWS", "name": "AWSManagedRulesCommonRuleSet"}}, "overrideAction": map[string]any{"none": map[string]any{}}, "visibilityConfig": vis("AWS-AWSManagedRulesCommonRuleSet")}
	login := map[string]any{"name": "login-rate-count", "priority": 1, "statement": map[string]any{"rateBasedStatement": map[string]any{"limit": 50, "evaluationWindowSec": 300, "aggregateKeyType": "IP",
		"scopeDownStatement": map[string]any{"byteMatchStatement": map[string]any{"searchString": "/api/v2/login", "fieldToMatch": map[string]any{"uriPath": map[string]any{}}, "textTransformations": []any{map[string]any{"priority": 0, "type": "NONE"}}, "positionalConstraint": "STARTS_WITH"}}}},
		"action": map[string]any{"count": map[string]any{}}, "visibilityConfig": vis("login-rate-count")}
	api := map[string]any{"name": "api-rate-limit", "priority": 2, "statement": map[string]any{"rateBasedStatement": map[string]any{"limit": 20, "evaluationWindowSec": 300, "aggregateKeyType": "IP"}},
		"action": map[string]any{"block": map[string]any{}}, "visibilityConfig": vis("api-rate-limit")}
	upd := func(t time.Time, rules []any) {
		x.ev(t, sec, "wafv2.amazonaws.com", "UpdateWebACL", map[string]any{"name": acl, "scope": "REGIONAL", "id": aclID, "defaultAction": map[string]any{"allow": map[string]any{}},
			"description": "storefront public ALB", "rules": rules, "visibilityConfig": vis(acl), "lockToken": x.uuid()}, map[string]any{"nextLockToken": x.uuid()}, false)
	}
	upd(countRule, []any{common, login})
	upd(change, []any{common, login, api})
	ipset := x.at("15:52:09")
	x.ev(ipset, sec, "wafv2.amazonaws.com", "UpdateIPSet", map[string]any{"name": "office-allowlist", "scope": "REGIONAL", "id": x.uuid(), "description": "HQ and VPN egress",
		"addresses": []string{"203.0.113.0/28", "198.18.40.0/24", "198.18.41.16/28"}, "lockToken": x.uuid()}, map[string]any{"nextLockToken": x.uuid()}, false)
	for _, t := range []string{"15:39:02", "15:40:51", "15:59:47", "16:00:58", "16:08:30", "16:09:12"} {
		x.ev(x.at(t), sec, "wafv2.amazonaws.com", x.pick("GetWebACL", "ListWebACLs", "GetRateBasedStatementManagedKeys", "ListIPSets"), map[string]any{"name": acl, "scope": "REGIONAL", "id": aclID}, nil, true)
	}
	x.truth = map[string]any{"kind": "waf-rule-block", "alarm": "storefront-alb-4xx-spike",
		"root_cause": map[string]any{"event_name": "UpdateWebACL", "event_time": change.Format(time.RFC3339), "resource": acl},
		"no_change":  false, "onset": onset.Format(time.RFC3339),
		"decoys":  []any{decoy("UpdateWebACL", countRule), decoy("UpdateIPSet", ipset)},
		"signals": []string{"UpdateWebACL", acl, "BlockedRequests", "403"},
	}
	return x
}
