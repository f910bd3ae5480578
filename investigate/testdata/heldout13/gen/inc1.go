package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// cfnHandler: an UpdateStack renames a Lambda handler; CloudFormation
// itself calls UpdateFunctionConfiguration and every invocation then
// fails with Runtime.HandlerNotFound.
func cfnHandler() *snap {
	onset := time.Date(2026, 10, 14, 14, 21, 44, 0, time.UTC)
	s := newSnap("cfn-update-renames-lambda-handler", 1301, onset, 78*time.Minute, 27*time.Minute)
	s.title = "billing-webhook-handler errors"
	s.arch = "Stripe webhooks reach API Gateway (REST) and the Lambda billing-webhook-handler (python3.12, stack billing-webhooks), which writes to the ledger via the ECS service billing-api (node, pino). reporting-etl is a separate stack of Lambdas run on a schedule."
	fn := "billing-webhook-handler"
	group := "/aws/lambda/" + fn
	cfnUser := role("AWSReservedSSO_PowerUser_9a2e71b0c4d5e6f7", "marek.novak@acme-corp.example", cliAgent+"cloudformation.update-stack", "198.51.100.23")
	stackArn := func(n string) string {
		return "arn:aws:cloudformation:" + region + ":" + acct + ":stack/" + n + "/" + s.uuid()
	}
	upd := onset.Add(-73 * time.Second) // 14:20:31
	cfnSvc := who{kind: "AssumedRole", name: "cfn-exec-billing-webhooks", session: "AWSCloudFormation", agent: "cloudformation.amazonaws.com", ip: "cloudformation.amazonaws.com", invokedBy: "cloudformation.amazonaws.com"}
	s.event(upd, cfnUser, "cloudformation.amazonaws.com", "UpdateStack", map[string]any{"stackName": "billing-webhooks", "templateURL": "https://acme-cfn-artifacts.s3.amazonaws.com/billing-webhooks/2026-10-14/template.yaml",
		"parameters": []map[string]any{{"parameterKey": "Stage", "usePreviousValue": true}, {"parameterKey": "CodeS3Key", "parameterValue": "billing-webhooks/b7c1e20.zip"}}, "capabilities": []string{"CAPABILITY_IAM"}, "roleARN": "arn:aws:iam::" + acct + ":role/cfn-exec-billing-webhooks"},
		map[string]any{"stackId": stackArn("billing-webhooks")}, false, nil)
	s.event(upd.Add(38*time.Second), cfnSvc, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", map[string]any{"functionName": fn, "s3Bucket": "acme-cfn-artifacts", "s3Key": "billing-webhooks/b7c1e20.zip", "publish": false},
		map[string]any{"functionName": fn, "functionArn": "arn:aws:lambda:" + region + ":" + acct + ":function:" + fn, "runtime": "python3.12", "handler": "app.handler", "lastUpdateStatus": "InProgress"}, false, nil)
	s.event(upd.Add(69*time.Second), cfnSvc, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", map[string]any{"functionName": fn, "handler": "app.handle_webhook", "timeout": 15, "memorySize": 512,
		"environment": map[string]any{}},
		map[string]any{"functionName": fn, "functionArn": "arn:aws:lambda:" + region + ":" + acct + ":function:" + fn, "runtime": "python3.12", "handler": "app.handle_webhook", "lastUpdateStatus": "InProgress", "state": "Active"}, false, nil)
	for _, n := range []string{"DescribeStackEvents", "DescribeStacks", "DescribeStackEvents", "DescribeStackEvents", "DescribeStackResources"} {
		upd = upd.Add(time.Duration(9+s.rng.Intn(20)) * time.Second)
		s.event(upd, cfnUser, "cloudformation.amazonaws.com", n, map[string]any{"stackName": "billing-webhooks"}, nil, true, nil)
	}
	// decoy 1: UpdateStack of reporting-etl with its own child changes
	d1 := time.Date(2026, 10, 14, 13, 58, 9, 0, time.UTC)
	tf := role("github-actions-deploy", "GitHubActions", "aws-cli/2.17.42 md/command#cloudformation.deploy", "20.85.12.47")
	s.event(d1.Add(-4*time.Second), tf, "cloudformation.amazonaws.com", "CreateChangeSet", map[string]any{"stackName": "reporting-etl", "changeSetName": "awscli-cloudformation-package-deploy-1760450285", "changeSetType": "UPDATE"}, map[string]any{"id": "arn:aws:cloudformation:" + region + ":" + acct + ":changeSet/awscli-cloudformation-package-deploy-1760450285/" + s.uuid()}, false, nil)
	s.event(d1, tf, "cloudformation.amazonaws.com", "UpdateStack", map[string]any{"stackName": "reporting-etl", "usePreviousTemplate": false, "templateURL": "https://acme-cfn-artifacts.s3.amazonaws.com/reporting-etl/template.yaml"}, map[string]any{"stackId": stackArn("reporting-etl")}, false, nil)
	s.event(d1.Add(41*time.Second), who{kind: "AssumedRole", name: "cfn-exec-reporting-etl", session: "AWSCloudFormation", agent: "cloudformation.amazonaws.com", ip: "cloudformation.amazonaws.com", invokedBy: "cloudformation.amazonaws.com"},
		"lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", map[string]any{"functionName": "reporting-etl-nightly", "timeout": 900, "memorySize": 2048}, map[string]any{"functionName": "reporting-etl-nightly", "handler": "etl.main", "lastUpdateStatus": "InProgress"}, false, nil)
	s.event(d1.Add(47*time.Second), who{kind: "AssumedRole", name: "cfn-exec-reporting-etl", session: "AWSCloudFormation", agent: "cloudformation.amazonaws.com", ip: "cloudformation.amazonaws.com", invokedBy: "cloudformation.amazonaws.com"},
		"events.amazonaws.com", "PutRule", map[string]any{"name": "reporting-etl-nightly-schedule", "scheduleExpression": "cron(15 2 * * ? *)", "state": "ENABLED"}, map[string]any{"ruleArn": "arn:aws:events:" + region + ":" + acct + ":rule/reporting-etl-nightly-schedule"}, false, nil)
	// decoy 2: a change set on billing-webhooks, reviewed and never executed
	d2 := time.Date(2026, 10, 14, 14, 9, 52, 0, time.UTC)
	s.event(d2, cfnUser, "cloudformation.amazonaws.com", "CreateChangeSet", map[string]any{"stackName": "billing-webhooks", "changeSetName": "bump-memory-512", "changeSetType": "UPDATE", "usePreviousTemplate": true,
		"parameters": []map[string]any{{"parameterKey": "MemorySize", "parameterValue": "512"}}},
		map[string]any{"id": "arn:aws:cloudformation:" + region + ":" + acct + ":changeSet/bump-memory-512/" + s.uuid(), "stackId": stackArn("billing-webhooks")}, false, nil)
	s.event(d2.Add(20*time.Second), cfnUser, "cloudformation.amazonaws.com", "DescribeChangeSet", map[string]any{"changeSetName": "bump-memory-512", "stackName": "billing-webhooks"}, nil, true, nil)
	s.noise([]string{"billing-api", "reporting-etl"}, []string{"billing-api"}, "billing")
	s.event(time.Date(2026, 10, 14, 13, 31, 12, 0, time.UTC), s.tfUser(), "logs.amazonaws.com", "PutRetentionPolicy", map[string]any{"logGroupName": "/aws/lambda/reporting-etl-nightly", "retentionInDays": 30}, nil, false, nil)

	// Lambda traffic: webhooks at ~14/min
	broken := onset.Add(-2 * time.Second)
	var first time.Time
	errs := map[time.Time]int{}
	inv := map[time.Time]int{}
	s.minutes(func(m time.Time) {
		n := s.poisson(14)
		for i := 0; i < n; i++ {
			t := s.in(m)
			rid := s.uuid()
			stream := "2026/10/14/[$LATEST]" + "3c9f1e0b7a2d4c5e8f6a1b2c3d4e5f60"
			if t.After(upd.Add(80 * time.Second)) {
				stream = "2026/10/14/[$LATEST]" + "a81f02c7d93e4b6f9e0d1c2b3a495867"
			}
			inv[m]++
			if t.After(broken) {
				if first.IsZero() || t.Before(first) {
					first = t
				}
				errs[m]++
				if s.rng.Intn(3) == 0 || t.Before(onset.Add(3*time.Minute)) {
					s.log(group, stream, t, "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:8c1fe9b3e3a1c6a4f0d6e7c1b9d2a3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0")
				}
				s.log(group, stream, t.Add(2*time.Millisecond), "[ERROR] Runtime.HandlerNotFound: Handler 'handle_webhook' missing on module 'app'\nTraceback (most recent call last):")
				s.log(group, stream, t.Add(3*time.Millisecond), "START RequestId: "+rid+" Version: $LATEST")
				s.log(group, stream, t.Add(4*time.Millisecond), "END RequestId: "+rid)
				s.log(group, stream, t.Add(5*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: 41 MB\t", rid, 1.5+s.rng.Float64(), 2))
				continue
			}
			s.log(group, stream, t, "START RequestId: "+rid+" Version: $LATEST")
			ev := []string{"invoice.paid", "invoice.payment_failed", "customer.subscription.updated", "charge.refunded"}[s.rng.Intn(4)]
			line, _ := json.Marshal(map[string]any{"event": "webhook received", "stripe_event": ev, "stripe_id": "evt_1Q" + s.hex(22), "level": "info", "logger": "app", "timestamp": t.Add(5 * time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), "aws_request_id": rid})
			s.log(group, stream, t.Add(5*time.Millisecond), string(line))
			d := 80 + s.rng.Float64()*220
			if s.rng.Intn(45) == 0 {
				l2, _ := json.Marshal(map[string]any{"event": "signature verification failed", "error": "No signatures found matching the expected signature for payload", "level": "warning", "logger": "app.stripe", "timestamp": t.Add(9 * time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), "aws_request_id": rid})
				s.log(group, stream, t.Add(9*time.Millisecond), string(l2))
			} else if s.rng.Intn(120) == 0 {
				s.log(group, stream, t.Add(time.Duration(d)*time.Millisecond), "[ERROR] ReadTimeout: HTTPConnectionPool(host='billing-api.billing.local', port=8080): Read timed out. (read timeout=5)\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 88, in handler\n    ledger.post(entry)\n  File \"/var/task/ledger.py\", line 41, in post\n    r = session.post(url, json=entry, timeout=5)")
				errs[m]++
			} else {
				l2, _ := json.Marshal(map[string]any{"event": "ledger entry posted", "status": 201, "level": "info", "logger": "app.ledger", "timestamp": t.Add(time.Duration(d) * time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), "aws_request_id": rid})
				s.log(group, stream, t.Add(time.Duration(d)*time.Millisecond), string(l2))
			}
			s.log(group, stream, t.Add(time.Duration(d+2)*time.Millisecond), "END RequestId: "+rid)
			s.log(group, stream, t.Add(time.Duration(d+3)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", rid, d, int(d)+1, 88+s.rng.Intn(9)))
		}
	})
	// billing-api (pino) — its own noise; it is not called when the Lambda fails
	s.minutes(func(m time.Time) {
		for i := s.poisson(25); i > 0; i-- {
			t := s.in(m)
			lvl, msg, code := 30, "request completed", 200
			if s.rng.Intn(70) == 0 {
				lvl, msg, code = 50, "upstream ledger-db: Connection terminated due to connection timeout", 500
			} else if s.rng.Intn(30) == 0 {
				lvl, msg, code = 40, "invoice not found", 404
			}
			b, _ := json.Marshal(map[string]any{"level": lvl, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-40-12-88.ec2.internal", "reqId": "req-" + s.hex(6), "req": map[string]any{"method": []string{"GET", "POST"}[s.rng.Intn(2)], "url": "/v1/invoices/in_" + s.hex(14)}, "res": map[string]any{"statusCode": code}, "responseTime": 12 + s.rng.Intn(80), "msg": msg})
			s.log("/ecs/billing-api", "billing-api/billing-api/"+s.hex(32)[:32], t, string(b))
		}
	})
	fd := []dim{{"FunctionName", fn}}
	s.count("AWS/Lambda", "Invocations", fd, func(m time.Time) float64 { return float64(inv[m]) })
	s.count("AWS/Lambda", "Errors", fd, func(m time.Time) float64 { return float64(errs[m]) })
	s.count("AWS/Lambda", "Throttles", fd, func(m time.Time) float64 { return 0 })
	s.series("AWS/Lambda", "Duration", "Milliseconds", fd, func(m time.Time) []float64 {
		v := []float64{}
		for i := 0; i < inv[m]; i++ {
			if m.Add(time.Minute).After(broken) && m.After(broken.Add(-time.Minute)) && s.rng.Intn(2) == 0 || m.After(broken) {
				v = append(v, 1.5+s.rng.Float64())
			} else {
				v = append(v, 80+s.rng.Float64()*220)
			}
		}
		return v
	})
	s.count("AWS/Lambda", "ConcurrentExecutions", fd, func(m time.Time) float64 { return float64(1 + s.rng.Intn(3)) })
	s.series("AWS/ApiGateway", "5XXError", "Count", []dim{{"ApiName", "billing-webhooks"}, {"Stage", "prod"}}, func(m time.Time) []float64 {
		v := make([]float64, inv[m])
		for i := 0; i < errs[m] && i < len(v); i++ {
			v[i] = 1
		}
		return v
	})
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "billing"}, {"ServiceName", "billing-api"}}, func(m time.Time) []float64 {
		return []float64{22 + 6*s.rng.Float64() + 10*float64((m.Minute()/10)%2)}
	})
	s.alarm("billing-webhook-handler-errors", "AWS/Lambda", "Errors", "Sum", fd, 5, "GreaterThanThreshold", 3, time.Date(2026, 10, 14, 14, 25, 31, 0, time.UTC), "Stripe webhook Lambda errors")
	s.okAlarm("billing-api-cpu-high", "AWS/ECS", "CPUUtilization", "Average", []dim{{"ClusterName", "billing"}, {"ServiceName", "billing-api"}}, 80)
	s.truth = map[string]any{"kind": "cloudformation-lambda-handler", "alarm": "billing-webhook-handler-errors",
		"root_cause": map[string]any{"event_name": "UpdateStack", "event_time": ts(onset.Add(-73 * time.Second)), "resource": "billing-webhooks"},
		"onset":      ts(first.Truncate(time.Second)),
		"decoys":     []map[string]any{{"event_name": "UpdateStack", "event_time": ts(d1)}, {"event_name": "CreateChangeSet", "event_time": ts(d2)}},
		"signals":    []string{"Runtime.HandlerNotFound"}}
	return s
}

func (s *snap) tfUser() who {
	return role("terraform-apply", "terraform", tfAgent, "10.40.0.12")
}
