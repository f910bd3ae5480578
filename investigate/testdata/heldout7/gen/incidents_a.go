package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	must(err)
	return t
}

func jsonLine(v map[string]any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// 1. A person cleaning up after a blue/green cut-over edits the /checkout/*
// listener rule and swaps the weights: the rule forwards to the drained blue
// target group, and the ALB answers 503 with no target on those paths only.
func albRuleEmptyTargetGroup() {
	s := newSnap("alb-rule-empty-target-group", "us-west-2", "503849271660", at("2026-11-18T13:20:00Z"), at("2026-11-18T14:50:00Z"))
	change := at("2026-11-18T14:21:37Z")
	lb := "app/storefront-prod/8f3a21c94be07d15"
	tgARN := func(name, id string) string {
		return fmt.Sprintf("arn:aws:elasticloadbalancing:us-west-2:503849271660:targetgroup/%s/%s", name, id)
	}
	green, blue := tgARN("checkout-svc-green", "4be1c07a9d3f2e68"), tgARN("checkout-svc-blue", "91d6a3e0f7c24b15")
	cart, catalog, bff := tgARN("cart-svc", "2a7f5e9c1b03d846"), tgARN("catalog-svc", "c3e8b1f0a5d79264"), tgARN("storefront-bff", "7e0d4c2a9f1b6358")
	cert := "arn:aws:acm:us-west-2:503849271660:certificate/6f1e2d3c-9a8b-4c7d-b6e5-0f4a3b2c1d9e"
	human := s.role("AWSReservedSSO_PlatformAdmin_5c2e9f1a7b3d4e60", "aws-reserved/sso.amazonaws.com/us-west-2/", "dana.okafor@lumenwear.com", "AWS Internal", "73.162.41.208")
	ci := s.role("gha-terraform-apply", "", "GitHubActions", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/elasticloadbalancingv2#1.43.1", "52.14.201.77")
	onset := at("2026-11-18T14:21:54Z") // the first /checkout/ request after the change

	// Traffic through the ALB: every request is one access-log line.
	hostURL := "https://shop.lumenwear.com:443"
	uas := []string{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"}
	type minute struct{ req, elb5, elb503, tgt5 int }
	perMin := map[time.Time]*minute{}
	bump := func(t time.Time) *minute {
		k := t.Truncate(time.Minute)
		if perMin[k] == nil {
			perMin[k] = &minute{}
		}
		return perMin[k]
	}
	ip := func() string {
		return fmt.Sprintf("%d.%d.%d.%d:%d", 24+s.rng.Intn(180), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(254), 20000+s.rng.Intn(40000))
	}
	targets := map[string][]string{green: {"10.40.1.23:8080", "10.40.2.87:8080", "10.40.3.141:8080", "10.40.1.202:8080"}, cart: {"10.40.1.54:8080", "10.40.2.19:8080"}, catalog: {"10.40.3.66:8080", "10.40.2.233:8080", "10.40.1.97:8080"}, bff: {"10.40.2.150:3000", "10.40.3.12:3000"}}
	skus := []string{"merino-crew-navy", "trail-jacket-olive", "linen-shirt-white", "wool-beanie-rust", "chino-slim-stone"}
	s.every(s.start, s.end, func(t time.Time) float64 { return 70 + 10*float64(t.Sub(s.start).Minutes())/90 }, func(t time.Time) {
		m := bump(t)
		m.req++
		p := s.rng.Float64()
		r := albReq{t: t, proto: "https", client: ip(), ua: uas[s.rng.Intn(len(uas))], cert: cert, actions: "forward", recv: 300 + s.rng.Intn(500), method: "GET"}
		var tg string
		switch {
		case p < 0.38:
			tg, r.url, r.rulePriority = catalog, hostURL+"/products/"+skus[s.rng.Intn(len(skus))], "20"
		case p < 0.55:
			tg, r.url, r.rulePriority = cart, hostURL+"/cart/items", "10"
			if s.rng.Intn(3) == 0 {
				r.method = "POST"
			}
		case p < 0.68:
			tg, r.rulePriority = green, "5"
			paths := []string{"/checkout/session", "/checkout/shipping-options", "/checkout/payment-intent", "/checkout/confirm"}
			r.url = hostURL + paths[s.rng.Intn(len(paths))]
			if s.rng.Intn(2) == 0 {
				r.method = "POST"
			}
		default:
			tg, r.url, r.rulePriority = bff, hostURL+"/api/"+[]string{"session", "recommendations", "search?q=jacket", "checkout/summary"}[s.rng.Intn(4)], "0"
		}
		r.tgArn = tg
		r.target = targets[tg][s.rng.Intn(len(targets[tg]))]
		r.reqT, r.tgtT, r.respT = 0.001, 0.02+s.rng.Float64()*0.2, 0.0
		r.elbStatus, r.tgtStatus, r.sent = "200", "200", 800+s.rng.Intn(9000)
		if tg == green && !t.Before(change) {
			// The rule now forwards to the blue group, which has no registered targets.
			r.tgArn, r.target, r.reqT, r.tgtT, r.respT = blue, "-", -1, -1, -1
			r.elbStatus, r.tgtStatus, r.sent = "503", "", 345
			m.elb5++
			m.elb503++
		} else if tg == catalog && s.rng.Intn(90) == 0 {
			r.elbStatus, r.tgtStatus = "500", "500"
			m.tgt5++
		} else if tg == cart && s.rng.Intn(160) == 0 {
			// An idle keep-alive race the team has lived with for months.
			r.elbStatus, r.tgtStatus, r.tgtT, r.respT, r.sent = "502", "", -1, -1, 272
			r.errorReason = ""
			m.elb5++
		}
		s.albLog(lb, r)

		// Service logs for the requests that reached a target.
		switch {
		case r.target == "-":
		case tg == green:
			th := fmt.Sprintf("nio-8080-exec-%d", 1+s.rng.Intn(10))
			path := strings.TrimPrefix(r.url, hostURL)
			s.log("/ecs/checkout-svc", "checkout/checkout-svc/"+[]string{"0b7c4e2f19d84a63a1e5c9f07d2b6e48", "5e91a0c3d7f24b8e9c16a2f0b4d7e395"}[s.rng.Intn(2)], t,
				fmt.Sprintf("%s  INFO 1 --- [%s] c.l.checkout.web.CheckoutController      : %s %s completed status=200 in %dms", t.Format("2006-01-02 15:04:05.000"), th, r.method, path, int(r.tgtT*1000)))
		case tg == cart:
			lvl, msg := "info", "request"
			if r.elbStatus == "502" {
				lvl, msg = "warn", "client connection reset"
			}
			s.log("/ecs/cart-svc", "cart/cart-svc/"+[]string{"a1f3c5e7092b4d6f8e0a1c3e5f7092b4", "9d8c7b6a5f4e3d2c1b0a99887766554a"}[s.rng.Intn(2)], t,
				jsonLine(map[string]any{"level": lvl, "ts": float64(t.UnixMilli()) / 1000, "caller": "httpapi/handler.go:88", "msg": msg, "method": r.method, "path": "/cart/items", "status": 200, "latency": fmt.Sprintf("%.1fms", r.tgtT*1000)}))
		case tg == bff:
			st := 200
			path := strings.TrimPrefix(r.url, hostURL)
			if strings.HasPrefix(path, "/api/checkout/summary") && !t.Before(change) {
				// The BFF calls checkout back through the same listener.
				s.log("/ecs/storefront-bff", "bff/storefront-bff/3c5a7e9b1d2f4a6c8e0b2d4f6a8c0e1f", t, jsonLine(map[string]any{"level": 50, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-40-2-150.us-west-2.compute.internal",
					"reqId": "req-" + s.hex(6), "upstream": "checkout", "err": map[string]any{"type": "AxiosError", "message": "Request failed with status code 503", "code": "ERR_BAD_RESPONSE", "stack": "AxiosError: Request failed with status code 503\n    at settle (/app/node_modules/axios/dist/node/axios.cjs:2019:12)\n    at IncomingMessage.handleStreamEnd (/app/node_modules/axios/dist/node/axios.cjs:3135:11)"},
					"msg": "upstream call failed"}))
				st = 502
			} else if strings.HasPrefix(path, "/api/search") && s.rng.Intn(25) == 0 {
				s.log("/ecs/storefront-bff", "bff/storefront-bff/3c5a7e9b1d2f4a6c8e0b2d4f6a8c0e1f", t, jsonLine(map[string]any{"level": 50, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-40-2-150.us-west-2.compute.internal",
					"reqId": "req-" + s.hex(6), "upstream": "search", "err": map[string]any{"type": "AxiosError", "message": "timeout of 1500ms exceeded", "code": "ECONNABORTED"}, "msg": "upstream call failed"}))
				st = 504
			}
			s.log("/ecs/storefront-bff", "bff/storefront-bff/3c5a7e9b1d2f4a6c8e0b2d4f6a8c0e1f", t.Add(time.Duration(r.tgtT*float64(time.Second))), jsonLine(map[string]any{"level": 30, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-40-2-150.us-west-2.compute.internal",
				"req": map[string]any{"method": r.method, "url": path}, "res": map[string]any{"statusCode": st}, "responseTime": int(r.tgtT * 1000), "msg": "request completed"}))
		}
	})
	// checkout-svc background lines and its long-standing payment-provider timeouts.
	s.every(s.start, s.end, flat(0.5), func(t time.Time) {
		s.log("/ecs/checkout-svc", "checkout/checkout-svc/0b7c4e2f19d84a63a1e5c9f07d2b6e48", t, fmt.Sprintf("%s DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Pool stats (total=10, active=%d, idle=%d, waiting=0)", t.Format("2006-01-02 15:04:05.000"), s.rng.Intn(4), 10-s.rng.Intn(4)))
	})
	s.every(s.start, s.end, flat(0.08), func(t time.Time) {
		s.log("/ecs/checkout-svc", "checkout/checkout-svc/5e91a0c3d7f24b8e9c16a2f0b4d7e395", t, t.Format("2006-01-02 15:04:05.000")+` ERROR 1 --- [nio-8080-exec-4] c.l.checkout.payment.PaymentClient      : authorize failed, will retry
org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://api.paylane-partner.com/v2/authorize": Read timed out
	at org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)
	at org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:895)
	at com.lumenwear.checkout.payment.PaymentClient.authorize(PaymentClient.java:71)
Caused by: java.net.SocketTimeoutException: Read timed out
	at java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)`)
	})
	s.every(s.start, s.end, flat(0.15), func(t time.Time) {
		s.log("/ecs/cart-svc", "cart/cart-svc/a1f3c5e7092b4d6f8e0a1c3e5f7092b4", t, jsonLine(map[string]any{"level": "error", "ts": float64(t.UnixMilli()) / 1000, "caller": "store/redis.go:142", "msg": "cart read failed", "error": "redis: connection pool timeout", "stacktrace": "github.com/lumenwear/cart/store.(*Redis).Get\n\t/src/store/redis.go:142"}))
	})

	// Metrics.
	lbDim := dim{"LoadBalancer", lb}
	get := func(t time.Time) *minute {
		if m := perMin[t]; m != nil {
			return m
		}
		return &minute{}
	}
	s.counter("AWS/ApplicationELB", "RequestCount", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { return float64(get(t).req), true })
	s.counter("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.elb5), m.elb5 > 0 })
	s.counter("AWS/ApplicationELB", "HTTPCode_ELB_503_Count", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.elb503), m.elb503 > 0 })
	s.counter("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.tgt5), m.tgt5 > 0 })
	s.gauge("AWS/ApplicationELB", "TargetResponseTime", []dim{lbDim}, "Seconds", func(t time.Time) (float64, bool) { return s.noisy(0.11, 0.25), true })
	for _, tg := range []struct {
		arn     string
		healthy func(time.Time) float64
	}{
		{green, func(time.Time) float64 { return 4 }},
		{blue, func(t time.Time) float64 {
			if t.Before(at("2026-11-18T14:11:00Z")) {
				return 4
			}
			return 0
		}},
		{cart, func(time.Time) float64 { return 2 }},
	} {
		d := []dim{{"TargetGroup", tg.arn[strings.Index(tg.arn, "targetgroup/"):]}, lbDim}
		s.gauge("AWS/ApplicationELB", "HealthyHostCount", d, "Count", func(t time.Time) (float64, bool) { return tg.healthy(t), true })
	}
	s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "storefront-prod"}, {"ServiceName", "checkout-svc-green"}}, "Percent", func(t time.Time) (float64, bool) {
		if !t.Before(change.Truncate(time.Minute)) {
			return s.noisy(3.1, 0.2), true
		}
		return s.noisy(21, 0.2), true
	})
	s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "storefront-prod"}, {"ServiceName", "cart-svc"}}, "Percent", func(t time.Time) (float64, bool) {
		if t.After(at("2026-11-18T13:55:00Z")) && t.Before(at("2026-11-18T14:12:00Z")) {
			return s.noisy(64, 0.1), true // a cache warm-up job, unrelated
		}
		return s.noisy(18, 0.2), true
	})

	s.alarm(alarmSpec{name: "storefront-prod-alb-elb-5xx", desc: "ALB-generated 5xx on shop.lumenwear.com. Runbook: https://wiki.lumenwear.com/oncall/storefront#alb-5xx",
		ns: "AWS/ApplicationELB", metric: "HTTPCode_ELB_5XX_Count", stat: "Sum", cmp: "GreaterThanThreshold", dims: []dim{lbDim}, threshold: 5, period: 60, evals: 3,
		state: "ALARM", at: at("2026-11-18T14:25:12Z"), topic: "arn:aws:sns:us-west-2:503849271660:storefront-oncall",
		reason: "Threshold Crossed: 3 out of the last 3 datapoints [11.0 (18/11/26 14:24:00), 10.0 (18/11/26 14:23:00), 9.0 (18/11/26 14:22:00)] were greater than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition)."})
	s.alarm(alarmSpec{name: "storefront-prod-target-5xx", desc: "Targets answering 5xx", ns: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", stat: "Sum", cmp: "GreaterThanThreshold",
		dims: []dim{lbDim}, threshold: 20, period: 60, evals: 3, state: "OK", at: at("2026-11-16T09:12:40Z"), topic: "arn:aws:sns:us-west-2:503849271660:storefront-oncall",
		reason: "Threshold Crossed: 3 datapoints [1.0 (16/11/26 09:11:00), 0.0 (16/11/26 09:10:00), 2.0 (16/11/26 09:09:00)] were not greater than the threshold (20.0)."})

	// CloudTrail.
	s.noise(noiseSpec{taskRoles: []string{"checkout-svc-task", "cart-svc-task", "catalog-svc-task", "storefront-bff-task"},
		logGroups: []string{"/ecs/checkout-svc", "/ecs/cart-svc", "/ecs/catalog-svc", "/ecs/storefront-bff"},
		monitor:   s.role("DatadogIntegrationRole", "", "DatadogAWSIntegration", "Datadog/1.0 aws-sdk-go/1.44.327", "3.233.147.21"),
		ci:        s.role("gha-ecr-push", "", "GitHubActions", "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#ecr.put-image", "20.57.91.143"),
		repos:     []string{"checkout-svc", "cart-svc", "catalog-svc", "storefront-bff"},
		humans:    []who{human, s.role("AWSReservedSSO_ReadOnly_1a2b3c4d5e6f7a8b", "aws-reserved/sso.amazonaws.com/us-west-2/", "marco.bellini@lumenwear.com", "AWS Internal", "88.147.22.9")},
		perMinute: 4.5, extraReads: []string{"elasticloadbalancing.amazonaws.com:DescribeRules", "elasticloadbalancing.amazonaws.com:DescribeTargetGroups", "elasticloadbalancing.amazonaws.com:DescribeListeners"}})
	tgName := func(arn string) string { return arn[strings.Index(arn, "targetgroup/"):] }
	_ = tgName
	elb := "elasticloadbalancing.amazonaws.com"
	s.ct(at("2026-11-18T14:08:44Z"), elb, "ModifyTargetGroupAttributes", human, false,
		map[string]any{"targetGroupArn": green, "attributes": []any{map[string]any{"key": "deregistration_delay.timeout_seconds", "value": "30"}}},
		map[string]any{"attributes": []any{map[string]any{"key": "deregistration_delay.timeout_seconds", "value": "30"}, map[string]any{"key": "stickiness.enabled", "value": "false"}, map[string]any{"key": "load_balancing.algorithm.type", "value": "round_robin"}}})
	s.ct(at("2026-11-18T14:10:30Z"), elb, "DeregisterTargets", human, false,
		map[string]any{"targetGroupArn": blue, "targets": []any{map[string]any{"id": "10.40.1.118", "port": 8080}, map[string]any{"id": "10.40.2.44", "port": 8080}, map[string]any{"id": "10.40.3.9", "port": 8080}, map[string]any{"id": "10.40.3.175", "port": 8080}}}, nil)
	s.ct(at("2026-11-18T14:19:02Z"), elb, "ModifyLoadBalancerAttributes", ci, false,
		map[string]any{"loadBalancerArn": "arn:aws:elasticloadbalancing:us-west-2:503849271660:loadbalancer/" + lb, "attributes": []any{map[string]any{"key": "idle_timeout.timeout_seconds", "value": "120"}}},
		map[string]any{"attributes": []any{map[string]any{"key": "idle_timeout.timeout_seconds", "value": "120"}, map[string]any{"key": "routing.http2.enabled", "value": "true"}, map[string]any{"key": "access_logs.s3.enabled", "value": "true"}}})
	ruleARN := "arn:aws:elasticloadbalancing:us-west-2:503849271660:listener-rule/app/storefront-prod/8f3a21c94be07d15/2c7d9e0a41b6f382/7d5e1a3b9c0f4e21"
	s.ct(change, elb, "ModifyRule", human, false,
		map[string]any{"ruleArn": ruleARN, "actions": []any{map[string]any{"type": "forward", "forwardConfig": map[string]any{"targetGroups": []any{map[string]any{"targetGroupArn": green, "weight": 0}, map[string]any{"targetGroupArn": blue, "weight": 100}}, "targetGroupStickinessConfig": map[string]any{"enabled": false}}}}},
		map[string]any{"rules": []any{map[string]any{"ruleArn": ruleARN, "priority": "5", "conditions": []any{map[string]any{"field": "path-pattern", "values": []string{"/checkout/*"}, "pathPatternConfig": map[string]any{"values": []string{"/checkout/*"}}}},
			"actions": []any{map[string]any{"type": "forward", "forwardConfig": map[string]any{"targetGroups": []any{map[string]any{"targetGroupArn": green, "weight": 0}, map[string]any{"targetGroupArn": blue, "weight": 100}}}}}, "isDefault": false}}})
	s.ct(at("2026-11-18T14:23:15Z"), elb, "RegisterTargets", service("ecs.amazonaws.com"), false,
		map[string]any{"targetGroupArn": cart, "targets": []any{map[string]any{"id": "10.40.3.201", "port": 8080}}}, nil)
	s.ct(at("2026-11-18T14:24:40Z"), elb, "DescribeRules", human, true, map[string]any{"listenerArn": "arn:aws:elasticloadbalancing:us-west-2:503849271660:listener/app/storefront-prod/8f3a21c94be07d15/2c7d9e0a41b6f382"}, nil)

	s.write("shop.lumenwear.com checkout returns 503", "shop.lumenwear.com is one internet-facing ALB (storefront-prod, HTTPS :443) in us-west-2 with path rules: /checkout/* (priority 5, blue/green weighted forward between checkout-svc-green and checkout-svc-blue), /cart/* to cart-svc, /products/* to catalog-svc, default to storefront-bff (Node.js BFF that calls checkout back through the ALB). Services run on ECS Fargate; checkout-svc is Spring Boot, cart-svc Go (zap), the BFF Node.js (pino). Access logs go to S3.",
		truth{Kind: "alb-listener-rule", Alarm: "storefront-prod-alb-elb-5xx",
			RootCause: &rootCause{EventName: "ModifyRule", EventTime: change, Resource: ruleARN},
			Onset:     onset,
			Decoys: []decoy{
				{"ModifyTargetGroupAttributes", at("2026-11-18T14:08:44Z"), "same person, the green group's deregistration delay; no traffic effect"},
				{"DeregisterTargets", at("2026-11-18T14:10:30Z"), "same person drains the blue group while it carries no traffic; it becomes harmful only once the rule points at it"},
				{"ModifyLoadBalancerAttributes", at("2026-11-18T14:19:02Z"), "Terraform raises the idle timeout on the same ALB 2.5 minutes before the onset"},
				{"RegisterTargets", at("2026-11-18T14:23:15Z"), "ECS registers a cart-svc task after the onset"},
			},
			Signals: []string{"checkout-svc-blue", "/checkout/"}})
}
