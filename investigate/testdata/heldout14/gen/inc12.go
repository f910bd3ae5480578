package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

func pino(level int, t time.Time, fields map[string]any) string {
	m := map[string]any{"level": level, "time": t.UnixMilli(), "pid": 8, "hostname": "169.254.61.137"}
	for k, v := range fields {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// lambdaVPC: the quote-sync function was moved to private subnets whose
// route table has no NAT route; calls to the rates provider never connect.
func lambdaVPC() *inc {
	onset := time.Date(2026, 11, 18, 14, 23, 0, 0, time.UTC)
	x := newInc("lambda-vpc-subnets-without-nat", 1401, onset, 78*time.Minute, 32*time.Minute)
	x.title = "quote-sync Lambda failing; quotes stale"
	x.arch = "quote-sync (Node.js 20 Lambda, SQS-triggered, in VPC vpc-0a71c3e5d9b2f4680) fetches FX quotes from api.ratesfeed.net and writes them to DynamoDB; quote-api (Python, ECS) serves them."
	change := time.Date(2026, 11, 18, 14, 21, 12, 0, time.UTC)
	memChange := change.Add(-30*time.Minute - 41*time.Second)
	tf := role("terraform-apply", "GitHubActions", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 aws-sdk-go-v2/1.32.5 api/lambda#1.64.0", "20.57.79.4")
	fnArn := "arn:aws:lambda:us-east-1:" + acct + ":function:quote-sync"
	cfg := func(mem int, subnets []string, state string) map[string]any {
		return map[string]any{"functionName": "quote-sync", "functionArn": fnArn, "runtime": "nodejs20.x", "role": "arn:aws:iam::" + acct + ":role/quote-sync-exec",
			"handler": "index.handler", "codeSize": 2384711, "timeout": 30, "memorySize": mem, "lastModified": "2026-11-18T14:21:12.000+0000",
			"vpcConfig": map[string]any{"subnetIds": subnets, "securityGroupIds": []string{"sg-03f9a2c71e8d4b560"}, "vpcId": "vpc-0a71c3e5d9b2f4680"},
			"state":     state, "lastUpdateStatus": "InProgress", "architectures": []string{"arm64"}}
	}
	oldSubnets := []string{"subnet-0b1f7a3c9e2d58461", "subnet-04e8c2d6a1f9b7305"}
	newSubnets := []string{"subnet-09d3e7b1c5a2f8640", "subnet-0f62a8c4e1b9d3757"}
	x.ct(memChange, tf, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false,
		map[string]any{"functionName": "quote-sync", "memorySize": 768}, cfg(768, oldSubnets, "Active"))
	x.ct(change, tf, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false,
		map[string]any{"functionName": "quote-sync", "vpcConfig": map[string]any{"subnetIds": newSubnets, "securityGroupIds": []string{"sg-03f9a2c71e8d4b560"}}}, cfg(768, newSubnets, "Pending"))
	lambdaSvc := who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSServiceRoleForLambda/quote-sync", principal: "AROAWN2Q8K4ZP7M1XC3TB:quote-sync",
		session: "aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda", agent: "lambda.amazonaws.com", ip: "lambda.amazonaws.com", invokedBy: "lambda.amazonaws.com"}
	var eniTimes []time.Time
	for i, s := range newSubnets {
		t := change.Add(time.Duration(14+i*9) * time.Second)
		eniTimes = append(eniTimes, t)
		x.ct(t, lambdaSvc, "ec2.amazonaws.com", "CreateNetworkInterface", false,
			map[string]any{"subnetId": s, "description": "AWS Lambda VPC ENI-quote-sync-" + x.uuid(), "groupSet": map[string]any{"items": []any{map[string]any{"groupId": "sg-03f9a2c71e8d4b560"}}}},
			map[string]any{"networkInterface": map[string]any{"networkInterfaceId": "eni-0" + x.hex(16), "subnetId": s, "vpcId": "vpc-0a71c3e5d9b2f4680", "status": "pending", "requesterId": "560394756293", "requesterManaged": true, "interfaceType": "lambda"}})
	}
	// Lambda also reaps the old ENIs some minutes later; and a routine ENI earlier.
	x.ct(change.Add(-52*time.Minute), lambdaSvc, "ec2.amazonaws.com", "CreateNetworkInterface", false,
		map[string]any{"subnetId": oldSubnets[0], "description": "AWS Lambda VPC ENI-quote-sync-" + x.uuid()}, map[string]any{"networkInterface": map[string]any{"networkInterfaceId": "eni-0" + x.hex(16), "interfaceType": "lambda"}})
	x.ct(change.Add(19*time.Minute), lambdaSvc, "ec2.amazonaws.com", "DeleteNetworkInterface", false, map[string]any{"networkInterfaceId": "eni-0" + x.hex(16)}, nil)
	for i := 0; i < 6; i++ {
		x.ct(x.in(change.Add(time.Duration(-70+i*13)*time.Minute)), tf, "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", true, map[string]any{"functionName": "quote-sync"}, nil)
	}
	// Unrelated benign write: SQS redrive policy on another queue.
	x.ct(change.Add(-61*time.Minute), tf, "sqs.amazonaws.com", "SetQueueAttributes", false,
		map[string]any{"queueUrl": "https://sqs.us-east-1.amazonaws.com/" + acct + "/invoice-render", "attributes": map[string]any{"VisibilityTimeout": "120"}}, nil)
	x.noise([]string{"quote-sync", "quote-api", "invoice-render"}, 380)

	x.truth = truthFile{Kind: "lambda-vpc-egress", Onset: onset,
		RootCause: &rootCause{EventName: "UpdateFunctionConfiguration20150331v2", EventTime: change, Resource: "quote-sync"},
		Decoys:    []decoy{{"UpdateFunctionConfiguration20150331v2", memChange}, {"CreateNetworkInterface", eniTimes[0]}, {"CreateNetworkInterface", eniTimes[1]}},
		Signals:   []string{"Task timed out after 30.0", "UND_ERR_CONNECT_TIMEOUT"}}

	// Lambda logs. Before the change the provider answers in 150-700 ms;
	// the update lands at about 14:22:30, after which every call hangs.
	effective := change.Add(78 * time.Second)
	g := "/aws/lambda/quote-sync"
	stream := func(t time.Time) string {
		if t.Before(effective) {
			return "2026/11/18/[$LATEST]8c1f0e5a3b7d42c6a9e1f0b2d4c6e8a1"
		}
		return "2026/11/18/[$LATEST]f3a9c2e7b1d5460889e2c4a6b8d0f1e3"
	}
	durs := map[time.Time][]float64{}
	errs := map[time.Time]float64{}
	x.minutes(func(m time.Time) {
		n := 9 + x.rng.Intn(4)
		if m.Hour() == 14 && m.Minute() >= 0 && m.Minute() < 10 {
			n += 4 // top-of-hour batch of quote requests
		}
		for i := 0; i < n; i++ {
			t := x.in(m)
			id := x.uuid()
			s := stream(t)
			x.log(g, s, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
			mem := 768
			if t.Before(memChange) {
				mem = 512
			}
			if t.Before(effective) {
				d := 150 + x.rng.Float64()*550
				x.log(g, s, t.Add(20*time.Millisecond), pino(30, t.Add(20*time.Millisecond), map[string]any{"reqId": id, "msg": "fetching quotes", "provider": "ratesfeed", "pairs": 24 + x.rng.Intn(20)}))
				if x.rng.Float64() < 0.035 {
					x.log(g, s, t.Add(time.Duration(d)*time.Millisecond), pino(50, t.Add(time.Duration(d)*time.Millisecond), map[string]any{"reqId": id, "msg": "provider request failed", "err": map[string]any{"type": "HTTPError", "message": "Response code 429 (Too Many Requests)", "stack": "HTTPError: Response code 429 (Too Many Requests)\n    at Request.<anonymous> (/var/task/node_modules/got/dist/source/as-promise/index.js:118:42)"}}))
					errs[m]++
				} else {
					x.log(g, s, t.Add(time.Duration(d)*time.Millisecond), pino(30, t.Add(time.Duration(d)*time.Millisecond), map[string]any{"reqId": id, "msg": "quotes stored", "written": 24 + x.rng.Intn(20), "ms": int(d)}))
				}
				end := t.Add(time.Duration(d+8) * time.Millisecond)
				x.log(g, s, end, "END RequestId: "+id)
				x.log(g, s, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t", id, d+8, int(d+9), mem, 138+x.rng.Intn(20)))
				durs[m] = append(durs[m], d+8)
				if i%4 == 0 {
					x.lambdaTrace(t, id, d+8, false)
				}
				continue
			}
			x.log(g, s, t.Add(20*time.Millisecond), pino(30, t.Add(20*time.Millisecond), map[string]any{"reqId": id, "msg": "fetching quotes", "provider": "ratesfeed", "pairs": 24 + x.rng.Intn(20)}))
			if x.rng.Float64() < 0.25 {
				tt := t.Add(10020 * time.Millisecond)
				x.log(g, s, tt, pino(40, tt, map[string]any{"reqId": id, "msg": "provider request failed, retrying", "attempt": 1, "err": map[string]any{"type": "TypeError", "message": "fetch failed", "cause": map[string]any{"name": "ConnectTimeoutError", "code": "UND_ERR_CONNECT_TIMEOUT", "message": "Connect Timeout Error (attempted address: api.ratesfeed.net:443, timeout: 10000ms)"}}}))
			}
			end := t.Add(30 * time.Second).Add(time.Duration(20+x.rng.Intn(30)) * time.Millisecond)
			x.log(g, s, end, fmt.Sprintf("%s %s Task timed out after 30.0%d seconds", end.Format("2006-01-02T15:04:05.000Z"), id, 1+x.rng.Intn(4)))
			x.log(g, s, end, "END RequestId: "+id)
			x.log(g, s, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: 30000.00 ms\tBilled Duration: 30000 ms\tMemory Size: 768 MB\tMax Memory Used: %d MB\tStatus: timeout", id, 121+x.rng.Intn(12)))
			if i%4 == 0 {
				x.lambdaTrace(t, id, 30000, true)
			}
			em := end.Truncate(time.Minute)
			durs[em] = append(durs[em], 30000)
			errs[em]++
		}
	})
	// quote-api (structlog JSON) serves quotes; it notices staleness late.
	ga := "/ecs/quote-api"
	x.minutes(func(m time.Time) {
		for i := 0; i < 6; i++ {
			t := x.in(m)
			lvl, ev := "info", "quote served"
			extra := ""
			if x.rng.Float64() < 0.03 {
				lvl, ev, extra = "warning", "currency pair not supported", `, "pair": "XAU/TRY"`
			}
			if m.After(onset.Add(9*time.Minute)) && i < 2 {
				lvl, ev, extra = "warning", "quote older than freshness budget", fmt.Sprintf(`, "age_s": %d, "budget_s": 300`, int(t.Sub(effective).Seconds())+60)
			}
			x.log(ga, "quote-api/app/4f0c2b9e8d7a41c6b3e5f7a9c1d3e5f7", t, fmt.Sprintf(`{"event": "%s", "level": "%s", "timestamp": "%s", "logger": "quote_api.handlers", "path": "/v1/quotes"%s}`, ev, lvl, t.Format("2006-01-02T15:04:05.000000Z"), extra))
		}
	})
	fd := []dim{{"FunctionName", "quote-sync"}}
	x.series("AWS/Lambda", "Duration", "Milliseconds", fd, func(m time.Time) (float64, float64, float64, float64, float64) {
		d := durs[m]
		if len(d) == 0 {
			return 0, 0, 0, 0, 0
		}
		s, lo, hi := 0.0, d[0], d[0]
		for _, v := range d {
			s += v
			lo, hi = min(lo, v), max(hi, v)
		}
		return s, s / float64(len(d)), lo, hi, float64(len(d))
	})
	x.count("AWS/Lambda", "Errors", fd, func(m time.Time) float64 { return errs[m] })
	x.count("AWS/Lambda", "Invocations", fd, func(m time.Time) float64 { return float64(len(durs[m])) })
	x.gauge("AWS/Lambda", "ConcurrentExecutions", "Count", fd, func(m time.Time) (float64, float64) {
		if m.Before(effective) {
			return x.noisef(1.2), 3
		}
		return x.noisef(6), 9
	})
	x.gauge("AWS/SQS", "ApproximateAgeOfOldestMessage", "Seconds", []dim{{"QueueName", "quote-sync-requests"}}, func(m time.Time) (float64, float64) {
		if m.Before(onset) {
			v := x.noisef(4)
			return v, v
		}
		v := 30 + m.Sub(onset).Minutes()*45
		return v, v
	})
	// An unrelated Lambda's errors move on their own.
	x.count("AWS/Lambda", "Errors", []dim{{"FunctionName", "invoice-render"}}, func(m time.Time) float64 {
		if m.Sub(x.start) > 20*time.Minute && m.Sub(x.start) < 27*time.Minute {
			return float64(3 + x.rng.Intn(5))
		}
		return float64(x.rng.Intn(2))
	})
	fired := onset.Add(4*time.Minute + 38*time.Second)
	x.alarm("quote-sync-errors", "AWS/Lambda", "Errors", fd, "Sum", 3, "GreaterThanThreshold", fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [8.0 (18/11/26 14:26:00), 9.0 (18/11/26 14:25:00), 7.0 (18/11/26 14:24:00)] were greater than the threshold (3.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.quiet("invoice-render-errors", "AWS/Lambda", "Errors", []dim{{"FunctionName", "invoice-render"}})
	return x
}

// albCert: the api-public HTTPS listener's default certificate was
// replaced with the old *.old.example certificate instead of the newly
// imported api.example.com one.
func albCert() *inc {
	onset := time.Date(2026, 11, 24, 9, 42, 0, 0, time.UTC)
	x := newInc("alb-listener-wrong-certificate", 1402, onset, 72*time.Minute, 30*time.Minute)
	x.title = "api.example.com unreachable for most clients; canary failing"
	x.arch = "api.example.com is served by ALB api-public (HTTPS :443) in front of ECS service orders-api; mobile-bff (Go, ECS) calls it through its public name; a CloudWatch Synthetics canary checks /v1/health every minute."
	change := time.Date(2026, 11, 24, 9, 41, 37, 0, time.UTC)
	imp := change.Add(-10*time.Minute - 12*time.Second)
	tgMod := change.Add(-3*time.Minute - 50*time.Second)
	lb := "app/api-public/5c2f8e1a9d3b7046"
	lbArn := "arn:aws:elasticloadbalancing:us-east-1:" + acct + ":loadbalancer/" + lb
	lis := "arn:aws:elasticloadbalancing:us-east-1:" + acct + ":listener/" + lb + "/9e3d1c7b5a2f4086"
	oldCert := "arn:aws:acm:us-east-1:" + acct + ":certificate/1d7e4b2a-9c3f-4e85-b061-7a2c9d5e3f18"
	goodCert := "arn:aws:acm:us-east-1:" + acct + ":certificate/c4a81f6e-2b7d-4390-a5e2-8f1b3d6c9e07"
	curCert := "arn:aws:acm:us-east-1:" + acct + ":certificate/7f2b9d41-6e3a-4c18-8d05-b9e1a4c7f263"
	eng := who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21/tomasz.wielgosz@example.com", principal: "AROAXK3M2Q7PZ9L1WQ8RT:tomasz.wielgosz@example.com", session: "AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21", agent: consoleAgent, ip: "198.51.100.41"}
	x.ct(imp, eng, "acm.amazonaws.com", "ImportCertificate", false,
		map[string]any{"certificate": "HIDDEN_DUE_TO_SECURITY_REASONS", "privateKey": "HIDDEN_DUE_TO_SECURITY_REASONS", "tags": []any{map[string]any{"key": "domain", "value": "api.example.com"}}},
		map[string]any{"certificateArn": goodCert})
	x.ct(imp.Add(40*time.Second), eng, "acm.amazonaws.com", "DescribeCertificate", true, map[string]any{"certificateArn": goodCert}, nil)
	x.ct(change.Add(-70*time.Second), eng, "acm.amazonaws.com", "ListCertificates", true, map[string]any{"includes": map[string]any{"keyTypes": []string{"RSA_2048", "EC_prime256v1"}}}, nil)
	x.ct(change.Add(-25*time.Second), eng, "elasticloadbalancing.amazonaws.com", "DescribeListeners", true, map[string]any{"loadBalancerArn": lbArn}, nil)
	x.ct(tgMod, eng, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", false,
		map[string]any{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:" + acct + ":targetgroup/admin-portal-tg/3b8e1f5c7a9d2046", "attributes": []any{map[string]any{"key": "deregistration_delay.timeout_seconds", "value": "30"}}},
		map[string]any{"attributes": []any{map[string]any{"key": "deregistration_delay.timeout_seconds", "value": "30"}}})
	x.ct(change, eng, "elasticloadbalancing.amazonaws.com", "ModifyListener", false,
		map[string]any{"listenerArn": lis, "certificates": []any{map[string]any{"certificateArn": oldCert}}},
		map[string]any{"listeners": []any{map[string]any{"listenerArn": lis, "loadBalancerArn": lbArn, "port": 443, "protocol": "HTTPS", "certificates": []any{map[string]any{"certificateArn": oldCert}}, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:" + acct + ":targetgroup/orders-api-tg/6a0d2c4e8f1b3957"}}}}})
	x.ct(change.Add(3*time.Minute), eng, "elasticloadbalancing.amazonaws.com", "DescribeListenerCertificates", true, map[string]any{"listenerArn": lis}, nil)
	x.noise([]string{"orders-api", "mobile-bff", "admin-portal"}, 420)
	x.truth = truthFile{Kind: "tls-certificate", Onset: onset,
		RootCause: &rootCause{EventName: "ModifyListener", EventTime: change, Resource: lis},
		Decoys:    []decoy{{"ImportCertificate", imp}, {"ModifyTargetGroupAttributes", tgMod}},
		Signals:   []string{"certificate is valid for *.old.example, old.example, not api.example.com", "ERR_CERT_COMMON_NAME_INVALID"}}
	eff := change.Add(15 * time.Second)

	// ALB access logs.
	paths := []string{"GET /v1/orders?limit=20", "GET /v1/orders/%d", "POST /v1/orders", "GET /v1/health", "GET /v1/customers/%d/orders"}
	reqs := map[time.Time]float64{}
	x5 := map[time.Time]float64{}
	tlsErr := map[time.Time]float64{}
	x.minutes(func(m time.Time) {
		n := 38 + x.rng.Intn(10)
		if m.After(eff) {
			n = 2 + x.rng.Intn(3) // clients that skip verification (internal monitors)
		}
		for i := 0; i < n; i++ {
			t := x.in(m)
			p := paths[x.rng.Intn(len(paths))]
			if strings.Contains(p, "%d") {
				p = fmt.Sprintf(p, 100000+x.rng.Intn(899999))
			}
			code, tcode, tp := 200, "200", 0.004+x.rng.Float64()*0.08
			if x.rng.Float64() < 0.02 {
				code, tcode = 404, "404"
			}
			if x.rng.Float64() < 0.006 {
				code, tcode, tp = 502, "-", -1
				x5[m]++
			}
			cert := curCert
			if t.After(eff) {
				cert = oldCert
			}
			ua := "okhttp/4.12.0"
			if i%3 == 0 {
				ua = "Go-http-client/2.0"
			}
			if t.After(eff) {
				ua = "curl/8.5.0"
			}
			target := fmt.Sprintf("10.40.%d.%d:8080", 10+x.rng.Intn(3), 20+x.rng.Intn(200))
			tpS := fmt.Sprintf("%.3f", tp)
			if tp < 0 {
				tpS = "-1"
			}
			sp := "-1"
			if tp >= 0 {
				sp = "0.000"
			}
			x.alb = append(x.alb, fmt.Sprintf(`https %s %s %s:%d %s 0.000 %s %s %d %s %d %d "%s https://api.example.com:443%s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/orders-api-tg/6a0d2c4e8f1b3957 "Root=1-%08x-%s" "api.example.com" "%s" 0 %s "forward" "-" "-" "%s" "%s" "-" "-" TID_%s`,
				t.Format("2006-01-02T15:04:05.000000Z"), lb, fmt.Sprintf("%d.%d.%d.%d", 30+x.rng.Intn(180), x.rng.Intn(255), x.rng.Intn(255), 1+x.rng.Intn(254)), 1024+x.rng.Intn(60000), target, tpS, sp, code, tcode, 250+x.rng.Intn(900), 300+x.rng.Intn(4000),
				p[:indexSpace(p)-1], p[indexSpace(p):], ua, acct, t.Unix(), x.hex(24), cert, t.Add(-time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), target, tcode, x.hex(32)))
			reqs[m]++
		}
		if m.After(eff) {
			tlsErr[m] = 310 + float64(x.rng.Intn(80))
		} else {
			tlsErr[m] = float64(x.rng.Intn(4))
		}
	})
	ld := []dim{{"LoadBalancer", lb}}
	x.count("AWS/ApplicationELB", "RequestCount", ld, func(m time.Time) float64 { return reqs[m] * 9 })
	x.count("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", ld, func(m time.Time) float64 { return tlsErr[m] })
	x.count("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ld, func(m time.Time) float64 { return x5[m] * 9 })
	x.series("AWS/ApplicationELB", "TargetResponseTime", "Seconds", ld, func(m time.Time) (float64, float64, float64, float64, float64) {
		a := x.noisef(0.045)
		if m.Sub(x.start) > 30*time.Minute && m.Sub(x.start) < 38*time.Minute {
			a = x.noisef(0.19) // a slow report query, unrelated
		}
		n := reqs[m] * 9
		return a * n, a, 0.002, a * 6, n
	})
	cd := []dim{{"CanaryName", "api-example-com-health"}}
	x.gauge("CloudWatchSynthetics", "SuccessPercent", "Percent", cd, func(m time.Time) (float64, float64) {
		if m.After(eff) {
			return 0, 0
		}
		if m.Sub(x.start) == 17*time.Minute {
			return 0, 0 // one flaky run, an hour earlier
		}
		return 100, 100
	})
	// Canary logs (Synthetics Node.js runtime).
	cg := "/aws/lambda/cwsyn-api-example-com-health-5e1f3a7c-9b2d-4c60-8e14-a3f7b9d2c5e8"
	x.minutes(func(m time.Time) {
		t := m.Add(3*time.Second + time.Duration(x.rng.Intn(900))*time.Millisecond)
		st := "2026/11/24/[$LATEST]" + x.hex(32)
		x.log(cg, st, t, t.Format("2006-01-02T15:04:05.000Z")+"\t"+x.uuid()+"\tINFO\tStart Canary")
		x.log(cg, st, t.Add(200*time.Millisecond), t.Format("2006-01-02T15:04:05.000Z")+"\t"+x.uuid()+"\tINFO\tRequest: https://api.example.com/v1/health")
		fail := m.After(eff) || m.Sub(x.start) == 17*time.Minute
		if !fail {
			x.log(cg, st, t.Add(600*time.Millisecond), t.Format("2006-01-02T15:04:05.000Z")+"\t"+x.uuid()+"\tINFO\tResponse: 200 OK")
			x.log(cg, st, t.Add(700*time.Millisecond), t.Format("2006-01-02T15:04:05.000Z")+"\t"+x.uuid()+"\tINFO\tCanary successful")
			return
		}
		msg := "Error: net::ERR_CERT_COMMON_NAME_INVALID at https://api.example.com/v1/health"
		if !m.After(eff) {
			msg = "TimeoutError: Navigation timeout of 30000 ms exceeded"
		}
		x.log(cg, st, t.Add(900*time.Millisecond), t.Format("2006-01-02T15:04:05.000Z")+"\t"+x.uuid()+"\tERROR\tCanary error: \n"+msg)
		x.log(cg, st, t.Add(950*time.Millisecond), t.Format("2006-01-02T15:04:05.000Z")+"\t"+x.uuid()+"\tERROR\tCanary failed.")
	})
	// mobile-bff: zap JSON.
	bg := "/ecs/mobile-bff"
	x.minutes(func(m time.Time) {
		for i := 0; i < 7; i++ {
			t := x.in(m)
			ts := float64(t.UnixNano()) / 1e9
			st := "mobile-bff/bff/" + []string{"a61f3c0e9b2d4e78", "d04b7e2a5c8f4193"}[i%2]
			switch {
			case t.After(eff) && i < 4:
				x.log(bg, st, t, fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"orders/client.go:88","msg":"orders call failed","route":"/home","error":"Get \"https://api.example.com/v1/orders?limit=20\": tls: failed to verify certificate: x509: certificate is valid for *.old.example, old.example, not api.example.com"}`, ts))
			case x.rng.Float64() < 0.04:
				x.log(bg, st, t, fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"promo/client.go:51","msg":"promo call failed","route":"/home","error":"Get \"http://promo.internal:8080/v2/banners\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"}`, ts))
			default:
				x.log(bg, st, t, fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"http/server.go:142","msg":"request","route":"/home","status":200,"dur_ms":%d}`, ts, 30+x.rng.Intn(120)))
			}
		}
	})
	fired := onset.Add(3*time.Minute + 5*time.Second)
	x.alarm("api-example-com-canary", "CloudWatchSynthetics", "SuccessPercent", cd, "Average", 90, "LessThanThreshold", fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [0.0 (24/11/26 09:44:00), 0.0 (24/11/26 09:43:00), 0.0 (24/11/26 09:42:00)] were less than the threshold (90.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.quiet("api-public-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ld)
	return x
}

func indexSpace(s string) int {
	for i, c := range s {
		if c == ' ' {
			return i + 1
		}
	}
	return 0
}

// lambdaTrace adds an X-Ray trace of one quote-sync invocation: the
// Lambda service segment, the function segment and its call to the
// rates provider (which never connects once the function is in the
// NAT-less subnets).
func (x *inc) lambdaTrace(t time.Time, reqID string, durMs float64, timeout bool) {
	tid := fmt.Sprintf("1-%08x-%s", t.Unix(), x.hex(24))
	st := float64(t.UnixMicro()) / 1e6
	en := st + durMs/1000
	svc := map[string]any{"id": x.hex(16), "trace_id": tid, "name": "quote-sync", "start_time": st, "end_time": en, "origin": "AWS::Lambda",
		"resource_arn": "arn:aws:lambda:us-east-1:" + acct + ":function:quote-sync", "aws": map[string]any{"request_id": reqID},
		"http": map[string]any{"response": map[string]any{"status": 200}}}
	fnID := x.hex(16)
	fn := map[string]any{"id": fnID, "trace_id": tid, "name": "quote-sync", "start_time": st + 0.002, "end_time": en, "origin": "AWS::Lambda::Function", "parent_id": svc["id"],
		"aws": map[string]any{"account_id": acct, "function_arn": "arn:aws:lambda:us-east-1:" + acct + ":function:quote-sync", "resource_names": []string{"quote-sync"}}}
	call := map[string]any{"id": x.hex(16), "name": "api.ratesfeed.net", "namespace": "remote", "start_time": st + 0.01,
		"http": map[string]any{"request": map[string]any{"method": "GET", "url": "https://api.ratesfeed.net/v2/quotes"}}}
	if timeout {
		svc["fault"] = true
		svc["error"] = false
		delete(svc, "http")
		fn["fault"] = true
		fn["cause"] = map[string]any{"exceptions": []any{map[string]any{"id": x.hex(16), "message": "Task timed out after 30.03 seconds", "type": "Sandbox.Timedout"}}}
		call["end_time"] = st + 10.02
		call["fault"] = true
		call["cause"] = map[string]any{"working_directory": "/var/task", "exceptions": []any{map[string]any{"id": x.hex(16), "message": "Connect Timeout Error (attempted address: api.ratesfeed.net:443, timeout: 10000ms)", "type": "ConnectTimeoutError", "remote": true}}}
	} else {
		call["end_time"] = en - 0.02
		call["http"].(map[string]any)["response"] = map[string]any{"status": 200, "content_length": 8214}
	}
	fn["subsegments"] = []any{call}
	var segs []any
	for _, sg := range []map[string]any{svc, fn} {
		b, _ := json.Marshal(sg)
		segs = append(segs, map[string]any{"Id": sg["id"], "Document": string(b)})
	}
	x.traces = append(x.traces, map[string]any{"Id": tid, "Duration": r2(durMs / 1000), "LimitExceeded": false, "Segments": segs})
}
