package main

import (
	"fmt"
	"time"
)

// partnerCert: nothing changed in the account. The payout partner's
// server certificate for api.paynexa-partner.com expired at midnight UTC;
// every TLS handshake to it fails (Go: x509 expired; Node: CERT_HAS_EXPIRED).
// Card payments and everything else keep working. A payments-gateway deploy
// eight minutes earlier and an ACM request are red herrings.
func partnerCert(s *snap) {
	s.setup("eu-central-1", "552871904436", ts("2026-11-29T23:10:00Z"), 90,
		"Payout partner call errors",
		"payments-gateway (Go, zap JSON, X-Ray) on ECS cluster payments behind ALB payments-internal: card payments via Adyen, payouts via the partner API https://api.paynexa-partner.com/v2. payout-notifier (Node 20, plain console logs) verifies partner webhooks by calling the same host. Aurora MySQL for state.")
	expiry := ts("2026-11-30T00:00:00Z")
	onset := ts("2026-11-30T00:00:00Z")
	deployRT := ts("2026-11-29T23:51:48Z")
	deployUS := ts("2026-11-29T23:52:10Z")
	acmT := ts("2026-11-29T23:41:27Z")
	gw := "/ecs/payments-gateway"
	pstreams := func(t time.Time) string {
		if t.Before(deployUS.Add(150 * time.Second)) {
			return "gateway/app/" + s.pick("3c5e7a9b1d3f45a7c9e1b3d5f7a9c1e3", "8e0a2c4d6f8b40c2e4a6c8e0a2c4e6a8")
		}
		return "gateway/app/" + s.pick("f1a3c5e7b9d14f3a5c7e9b1d3f5a7c9e", "2b4d6f8a0c2e44b6d8f0a2c4e6b8d0f2")
	}
	perr := map[time.Time]float64{}
	pcalls := map[time.Time]float64{}
	s.minutes(func(m time.Time) {
		// Card payments (unaffected).
		for i := 0; i < 40; i++ {
			t := s.at(m)
			lvl, msg := "info", "payment authorised"
			rec := map[string]any{"ts": t.Format("2006-01-02T15:04:05.000Z0700"), "caller": "adyen/client.go:142", "psp": "adyen", "amount_minor": 500 + s.rng.Intn(30000), "currency": "EUR", "latency_ms": 180 + s.rng.Intn(300)}
			if s.rng.Float64() < 0.06 {
				lvl, msg = "warn", "payment refused"
				rec["refusal_reason"] = s.pick("Not enough balance", "CVC Declined", "Expired Card", "Acquirer Error")
			}
			rec["level"], rec["msg"] = lvl, msg
			s.log(gw, pstreams(t), t, js(rec))
		}
		// Payout calls to the partner.
		n := int(s.jitter(16, 0.2))
		pcalls[m] = float64(n)
		for i := 0; i < n; i++ {
			t := s.at(m)
			id := "po_" + s.hex(16)
			tid := s.traceID(t)
			var errMsg string
			status := 201
			switch {
			case !t.Before(expiry):
				errMsg = fmt.Sprintf(`Post "https://api.paynexa-partner.com/v2/payouts": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time %s is after 2026-11-30T00:00:00Z`, t.Format("2006-01-02T15:04:05Z07:00"))
			case s.rng.Float64() < 0.04:
				errMsg = `Post "https://api.paynexa-partner.com/v2/payouts": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
			case s.rng.Float64() < 0.03:
				status = 503
				errMsg = "partner returned 503: {\"error\":\"upstream_unavailable\",\"retry_after\":2}"
			}
			dur := 0.25 + s.rng.Float64()*0.3
			if errMsg != "" {
				perr[m]++
				if !t.Before(expiry) {
					dur = 0.02 + s.rng.Float64()*0.02
				} else if status != 503 {
					dur = 10
				}
				s.log(gw, pstreams(t), t.Add(time.Duration(dur*1e9)), js(map[string]any{"level": "error", "ts": t.Add(time.Duration(dur * 1e9)).Format("2006-01-02T15:04:05.000Z0700"), "caller": "payouts/partner.go:97",
					"msg": "payout submission failed", "payout_id": id, "attempt": 1 + s.rng.Intn(3), "error": errMsg, "xray_trace_id": tid,
					"stacktrace": "github.com/ledgerly/payments-gateway/payouts.(*PartnerClient).Submit\n\t/src/payouts/partner.go:97\ngithub.com/ledgerly/payments-gateway/payouts.(*Worker).process\n\t/src/payouts/worker.go:61"}))
			} else {
				s.log(gw, pstreams(t), t.Add(time.Duration(dur*1e9)), js(map[string]any{"level": "info", "ts": t.Add(time.Duration(dur * 1e9)).Format("2006-01-02T15:04:05.000Z0700"), "caller": "payouts/partner.go:112", "msg": "payout submitted", "payout_id": id, "partner_ref": "PNX-" + s.alnum(10)}))
			}
			if s.rng.Float64() < 0.35 {
				sub := map[string]any{"id": s.hex(16), "name": "api.paynexa-partner.com", "namespace": "remote", "start_time": float64(t.UnixMicro()) / 1e6, "end_time": float64(t.UnixMicro())/1e6 + dur,
					"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://api.paynexa-partner.com/v2/payouts"}}}
				if errMsg != "" {
					sub["fault"] = true
					sub["cause"] = map[string]any{"working_directory": "/src", "exceptions": []map[string]any{{"id": s.hex(16), "message": errMsg, "type": map[bool]string{true: "*tls.CertificateVerificationError", false: "*url.Error"}[!t.Before(expiry)], "remote": true}}}
				} else {
					sub["http"].(map[string]any)["response"] = map[string]any{"status": status, "content_length": 212}
				}
				seg := map[string]any{"name": "payments-gateway", "origin": "AWS::ECS::Container", "start_time": float64(t.UnixMicro())/1e6 - 0.002, "end_time": float64(t.UnixMicro())/1e6 + dur + 0.003,
					"aws":         map[string]any{"ecs": map[string]any{"container": "gateway", "cluster_arn": fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/payments", s.region, s.account)}},
					"annotations": map[string]any{"job": "payout", "payout_id": id}, "subsegments": []any{sub}}
				if errMsg != "" {
					seg["fault"] = true
				}
				s.trace(t, dur+0.005, seg)
			}
		}
		// payout-notifier: webhook verification calls, plain text.
		for i := 0; i < 4; i++ {
			t := s.at(m)
			if !t.Before(expiry) {
				s.log("/ecs/payout-notifier", "notifier/app/6a8c0e2b4d6f48a0c2e4b6d8f0a2c4e6", t, "Error: certificate has expired\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1677:34)\n    at TLSSocket.emit (node:events:519:28)\n    at TLSSocket._finishInit (node:_tls_wrap:1076:8)\n    at ssl.onhandshakedone (node:_tls_wrap:862:12) {\n  code: 'CERT_HAS_EXPIRED'\n}")
				s.log("/ecs/payout-notifier", "notifier/app/6a8c0e2b4d6f48a0c2e4b6d8f0a2c4e6", t.Add(time.Millisecond), "webhook "+s.hex(12)+" verification failed, will retry in 60s")
			} else {
				s.log("/ecs/payout-notifier", "notifier/app/6a8c0e2b4d6f48a0c2e4b6d8f0a2c4e6", t, "webhook "+s.hex(12)+" verified (payout.settled)")
			}
		}
		if s.rng.Float64() < 0.1 {
			t := s.at(m)
			s.log("/ecs/payout-notifier", "notifier/app/6a8c0e2b4d6f48a0c2e4b6d8f0a2c4e6", t, "(node:1) [DEP0040] DeprecationWarning: The `punycode` module is deprecated. Please use a userland alternative instead.\n(Use `node --trace-deprecation ...` to show where the warning was created)")
		}
	})
	// Deploy of payments-gateway: task churn messages.
	for i, t := range []time.Time{deployUS.Add(40 * time.Second), deployUS.Add(95 * time.Second)} {
		s.log(gw, "gateway/app/"+[]string{"f1a3c5e7b9d14f3a5c7e9b1d3f5a7c9e", "2b4d6f8a0c2e44b6d8f0a2c4e6b8d0f2"}[i], t, js(map[string]any{"level": "info", "ts": t.Format("2006-01-02T15:04:05.000Z0700"), "caller": "cmd/gateway/main.go:58", "msg": "starting payments-gateway", "version": "v2.31.0", "commit": "9f2c1ab"}))
		s.log(gw, "gateway/app/"+[]string{"3c5e7a9b1d3f45a7c9e1b3d5f7a9c1e3", "8e0a2c4d6f8b40c2e4a6c8e0a2c4e6a8"}[i], t.Add(30*time.Second), js(map[string]any{"level": "info", "ts": t.Add(30 * time.Second).Format("2006-01-02T15:04:05.000Z0700"), "caller": "cmd/gateway/main.go:91", "msg": "received SIGTERM, draining"}))
	}

	pd := []dim{{"Service", "payments-gateway"}, {"Partner", "paynexa"}}
	s.counter("Payments/Partner", "PartnerCallErrors", pd, func(m time.Time) (float64, bool) { return perr[m], true })
	s.counter("Payments/Partner", "PartnerCalls", pd, func(m time.Time) (float64, bool) { return pcalls[m], true })
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "payments"}, {"ServiceName", "payments-gateway"}}, func(m time.Time) (float64, float64, bool) {
		v := s.jitter(18, 0.15)
		if m.After(deployUS) && m.Before(deployUS.Add(4*time.Minute)) {
			v = s.jitter(33, 0.1) // task warm-up during the deploy
		}
		return v, 2, true
	})
	s.counter("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", []dim{{"LoadBalancer", "app/payments-internal/5a7c9e1b3d5f7092"}}, func(m time.Time) (float64, bool) {
		return float64(s.rng.Intn(3)), true
	})
	s.counter("AWS/ApplicationELB", "RequestCount", []dim{{"LoadBalancer", "app/payments-internal/5a7c9e1b3d5f7092"}}, func(m time.Time) (float64, bool) { return s.jitter(2400, 0.1), true })
	s.alarm("payments-partner-call-errors", "Payments/Partner", "PartnerCallErrors", "Sum", pd, 5, "GreaterThanThreshold", 2, ts("2026-11-30T00:02:31Z"),
		"Threshold Crossed: 2 out of the last 2 datapoints [17.0 (30/11/26 00:01:00), 15.0 (30/11/26 00:00:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).")
	s.okAlarm("payments-internal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", []dim{{"LoadBalancer", "app/payments-internal/5a7c9e1b3d5f7092"}}, 25)

	// CloudTrail.
	s.noise(470, []string{"payments-gateway-task", "payout-notifier-task", "ecsTaskExecutionRole"}, []string{"ledgerly-payout-files", "ledgerly-alb-logs"})
	ci := s.role("gitlab-deployer", "gitlab-ci-payments-gateway-88213", "18.197.40.12", "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/ecs#1.52.0 ecs-deploy/3.1")
	jan := s.role("AWSReservedSSO_NetworkAdmin_0c4e8a2b6d1f3957", "jan.hoffmann@ledgerly.de", "91.64.118.3", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
	s.ct(acmT, jan, "acm.amazonaws.com", "RequestCertificate", false, map[string]any{"domainName": "status.ledgerly.de", "validationMethod": "DNS", "subjectAlternativeNames": []string{"status.ledgerly.de"}, "keyAlgorithm": "RSA_2048", "idempotencyToken": "a1b2c3"},
		map[string]any{"certificateArn": fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "5e7a9c1b-3d5f-4a79-b1c3-e5f7a9b1c3d5")})
	s.ct(acmT.Add(40*time.Second), jan, "acm.amazonaws.com", "DescribeCertificate", true, map[string]any{"certificateArn": fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "5e7a9c1b-3d5f-4a79-b1c3-e5f7a9b1c3d5")}, nil)
	s.ct(ts("2026-11-29T23:44:02Z"), jan, "route53.amazonaws.com", "ChangeResourceRecordSets", false, map[string]any{"hostedZoneId": "Z0481736ABCDEF12345", "changeBatch": map[string]any{"changes": []map[string]any{{"action": "UPSERT", "resourceRecordSet": map[string]any{"name": "_3f1c9a.status.ledgerly.de.", "type": "CNAME", "tTL": 300}}}}},
		map[string]any{"changeInfo": map[string]any{"status": "PENDING", "id": "/change/C03817262ZX1QEXAMPLE"}})
	s.ct(deployRT, ci, "ecs.amazonaws.com", "RegisterTaskDefinition", false, map[string]any{"family": "payments-gateway", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "1024", "memory": "2048",
		"containerDefinitions": []map[string]any{{"name": "gateway", "image": s.account + ".dkr.ecr.eu-central-1.amazonaws.com/payments-gateway:v2.31.0", "essential": true}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/payments-gateway:214", s.region, s.account), "revision": 214, "status": "ACTIVE"}})
	s.ct(deployUS, ci, "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "payments", "service": "payments-gateway", "taskDefinition": "payments-gateway:214", "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": "payments-gateway", "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/payments-gateway:214", s.region, s.account), "desiredCount": 2}})
	for i := 0; i < 8; i++ {
		s.ct(deployUS.Add(time.Duration(15+i*20)*time.Second), ci, "ecs.amazonaws.com", "DescribeServices", true, map[string]any{"cluster": "payments", "services": []string{"payments-gateway"}}, nil)
	}
	s.ct(ts("2026-11-30T00:07:41Z"), s.role("AWSReservedSSO_ReadOnly_7d1f3b5a9c2e4680", "oncall@ledgerly.de", "91.64.118.7", "AWS Internal"), "ecs.amazonaws.com", "DescribeTaskDefinition", true, map[string]any{"taskDefinition": "payments-gateway:214"}, nil)

	s.truth = truth{Kind: "no-change-partner-certificate-expired", Alarm: "payments-partner-call-errors", NoChange: true, Onset: onset,
		Decoys:  []decoy{{"RequestCertificate", acmT}, {"RegisterTaskDefinition", deployRT}, {"UpdateService", deployUS}, {"ChangeResourceRecordSets", ts("2026-11-29T23:44:02Z")}},
		Signals: []string{"certificate has expired", "api.paynexa-partner.com"}}
}
