package main

import (
	"fmt"
	"time"
)

// sqsKMS: the order-events queue is switched to a new customer managed key
// whose key policy does not let the orders-api task role use it; every
// SendMessage from the producer now fails with KMS.AccessDeniedException.
func sqsKMS(root string) {
	day := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)
	at := func(h, m, sec int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
	}
	s := newSnap("sqs-queue-kms-key-switch", 1201, "381492650173", "us-east-1", at(8, 55, 0), at(10, 50, 0))
	s.title = "orders-api 5xx on POST /orders"
	s.arch = "orders-api (Node.js 20, ECS Fargate, behind ALB orders-alb) writes orders to DynamoDB and publishes order-created to SQS queue order-events; fulfilment-worker (Python, ECS) consumes order-events; catalog-api (Go) serves product pages from the same cluster."
	change := at(10, 14, 21)
	onset := at(10, 14, 33)
	fired := at(10, 18, 4)
	queueURL := "https://sqs.us-east-1.amazonaws.com/381492650173/order-events"
	keyID := "6f1c2b7e-93d4-4a0e-b8c2-51e7d0a94f13"
	dana := s.sso("PlatformAdmin", "dana.kowalski@shopwave.io", "89.64.21.177")
	joe := s.sso("ReadOnly", "joe.m@shopwave.io", "73.158.9.40")

	s.routineTrail([]string{"orders-api-task", "fulfilment-worker-task", "catalog-api-task"}, []string{"orders-api", "fulfilment-worker", "catalog-api"}, []who{dana, joe})
	// Decoys: the same person tuned the queue earlier and created the key.
	visT := at(9, 38, 5)
	s.trail(visT, dana, "sqs.amazonaws.com", "SetQueueAttributes", false, map[string]any{"queueUrl": queueURL, "attributes": map[string]any{"VisibilityTimeout": "120"}}, nil, nil)
	ckT := at(10, 3, 12)
	s.trail(ckT, dana, "kms.amazonaws.com", "CreateKey", false,
		map[string]any{"description": "CMK for order-events queue (compliance ticket SEC-412)", "keyUsage": "ENCRYPT_DECRYPT", "keySpec": "SYMMETRIC_DEFAULT", "origin": "AWS_KMS", "bypassPolicyLockoutSafetyCheck": false, "multiRegion": false},
		map[string]any{"keyMetadata": map[string]any{"aWSAccountId": s.account, "keyId": keyID, "arn": "arn:aws:kms:us-east-1:381492650173:key/" + keyID, "creationDate": ckT.Format("Jan 2, 2006, 3:04:05 PM"), "enabled": true, "keyUsage": "ENCRYPT_DECRYPT", "keyState": "Enabled", "origin": "AWS_KMS", "keyManager": "CUSTOMER", "keySpec": "SYMMETRIC_DEFAULT"}}, nil)
	caT := at(10, 3, 58)
	s.trail(caT, dana, "kms.amazonaws.com", "CreateAlias", false, map[string]any{"aliasName": "alias/order-events", "targetKeyId": keyID}, nil, nil)
	s.trail(at(10, 4, 30), dana, "kms.amazonaws.com", "DescribeKey", true, map[string]any{"keyId": "alias/order-events"}, nil, nil)
	// The change.
	s.trail(change, dana, "sqs.amazonaws.com", "SetQueueAttributes", false, map[string]any{"queueUrl": queueURL, "attributes": map[string]any{"KmsMasterKeyId": "alias/order-events", "KmsDataKeyReusePeriodSeconds": "300"}}, nil, nil)
	s.trail(at(10, 15, 2), dana, "sqs.amazonaws.com", "GetQueueAttributes", true, map[string]any{"queueUrl": queueURL, "attributeNames": []string{"All"}}, nil, nil)

	orders := s.role("orders-api-task", s.hex(32), "10.20.14.77", "sqs.amazonaws.com")
	// SQS asks KMS for data keys on the producer's behalf.
	for t := s.start.Add(2 * time.Minute); t.Before(change); t = t.Add(5 * time.Minute) {
		s.trail(t, orders, "kms.amazonaws.com", "GenerateDataKey", true, map[string]any{"keyId": "alias/aws/sqs", "encryptionContext": map[string]any{"aws:sqs:arn": "arn:aws:sqs:us-east-1:381492650173:order-events"}, "keySpec": "AES_256"}, nil,
			map[string]any{"userIdentity": map[string]any{"type": "AssumedRole", "arn": orders.arn, "accountId": s.account, "invokedBy": "sqs.amazonaws.com"}})
	}

	// After the switch SQS's data-key requests for the producer are refused.
	for t := onset; t.Before(s.end); t = t.Add(time.Duration(15+s.rng.Intn(20)) * time.Second) {
		s.trail(t, orders, "kms.amazonaws.com", "GenerateDataKey", true, map[string]any{"keyId": "arn:aws:kms:us-east-1:381492650173:alias/order-events", "encryptionContext": map[string]any{"aws:sqs:arn": "arn:aws:sqs:us-east-1:381492650173:order-events"}, "keySpec": "AES_256"}, nil,
			map[string]any{"userIdentity": map[string]any{"type": "AssumedRole", "arn": orders.arn, "accountId": s.account, "invokedBy": "sqs.amazonaws.com"},
				"errorCode": "AccessDenied", "errorMessage": "User: " + orders.arn + " is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:381492650173:key/" + keyID + " because no resource-based policy allows the kms:GenerateDataKey action"})
	}
	hosts := []string{"ip-10-20-14-77.ec2.internal", "ip-10-20-31-9.ec2.internal", "ip-10-20-47-120.ec2.internal"}
	streams := []string{"ecs/orders-api/3f9c1d0a5b2e4c7d8e1f2a3b4c5d6e7f", "ecs/orders-api/8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d", "ecs/orders-api/1e2d3c4b5a69788796a5b4c3d2e1f0a9"}
	pino := func(t time.Time, h int, level int, fields map[string]any) {
		fields["level"] = level
		fields["time"] = t.UnixMilli()
		fields["pid"] = 1
		fields["hostname"] = hosts[h]
		s.log("/ecs/orders-api", streams[h], t, js(fields))
	}
	sent := map[int64]int{}
	failed := map[int64]int{}
	fivexx := map[int64]int{}
	reqs := map[int64]int{}
	s.every(2700*time.Millisecond, func(t time.Time) {
		h := s.rng.Intn(3)
		m := t.Truncate(time.Minute).Unix()
		reqs[m]++
		oid := "ord_" + s.hex(12)
		rid := "req-" + s.hex(6)
		dur := 35 + s.rng.Float64()*60
		if s.rng.Intn(60) == 0 {
			pino(t, h, 40, map[string]any{"reqId": rid, "req": map[string]any{"method": "POST", "url": "/orders"}, "res": map[string]any{"statusCode": 400}, "responseTime": 4.1, "msg": "request completed", "validation": "items[0].sku must match ^[A-Z0-9-]+$"})
			return
		}
		if s.rng.Intn(140) == 0 { // payment provider hiccups have always existed
			pino(t, h, 50, map[string]any{"reqId": rid, "orderId": oid, "err": map[string]any{"type": "FetchError", "message": "request to https://api.payhub.example/v2/charges failed, reason: socket hang up", "code": "ECONNRESET"}, "msg": "payment authorization failed"})
			pino(t.Add(5*time.Millisecond), h, 30, map[string]any{"reqId": rid, "req": map[string]any{"method": "POST", "url": "/orders"}, "res": map[string]any{"statusCode": 502}, "responseTime": 3012.4, "msg": "request completed"})
			fivexx[m]++
			return
		}
		if !t.Before(onset) {
			rq := s.uuid()
			pino(t, h, 50, map[string]any{"reqId": rid, "orderId": oid, "queueUrl": queueURL, "err": map[string]any{
				"type": "KmsAccessDenied", "name": "KmsAccessDenied", "Code": "KMS.AccessDeniedException", "Type": "Sender", "$fault": "client",
				"message":   "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.",
				"$metadata": map[string]any{"httpStatusCode": 400, "requestId": rq, "attempts": 1, "totalRetryDelay": 0},
				"stack":     "KmsAccessDenied: The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.\n    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)\n    at /app/node_modules/@smithy/smithy-client/dist-cjs/index.js:876:5\n    at de_CommandError (/app/node_modules/@aws-sdk/client-sqs/dist-cjs/index.js:1187:14)\n    at async /app/node_modules/@smithy/middleware-serde/dist-cjs/index.js:35:20\n    at async publishOrderCreated (/app/dist/events/publisher.js:41:9)\n    at async createOrder (/app/dist/routes/orders.js:88:5)"},
				"msg": "failed to publish order-created event"})
			pino(t.Add(3*time.Millisecond), h, 30, map[string]any{"reqId": rid, "req": map[string]any{"method": "POST", "url": "/orders"}, "res": map[string]any{"statusCode": 500}, "responseTime": dur + 22, "msg": "request completed"})
			failed[m]++
			fivexx[m]++
			if s.rng.Intn(4) == 0 {
				s.addTrace(t, "orders-api", "AWS::ECS::Container", (dur+22)/1000, 500, map[string]any{"method": "POST", "url": "https://api.shopwave.io/orders"}, []map[string]any{
					{"name": "DynamoDB", "namespace": "aws", "end_time": float64(t.UnixNano())/1e9 + 0.02, "aws": map[string]any{"operation": "PutItem", "table_name": "orders"}, "http": map[string]any{"response": map[string]any{"status": 200}}},
					{"name": "SQS", "namespace": "aws", "end_time": float64(t.UnixNano())/1e9 + (dur+20)/1000, "fault": false, "error": true, "aws": map[string]any{"operation": "SendMessage", "queue_url": queueURL, "region": "us-east-1", "request_id": rq},
						"http": map[string]any{"response": map[string]any{"status": 400}}, "cause": map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": s.hex(16), "type": "KmsAccessDenied", "message": "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.", "remote": true}}}},
				}, nil)
			}
			return
		}
		sent[m]++
		pino(t, h, 30, map[string]any{"reqId": rid, "req": map[string]any{"method": "POST", "url": "/orders"}, "res": map[string]any{"statusCode": 201}, "responseTime": dur, "msg": "request completed"})
		if s.rng.Intn(6) == 0 {
			s.addTrace(t, "orders-api", "AWS::ECS::Container", dur/1000, 201, map[string]any{"method": "POST", "url": "https://api.shopwave.io/orders"}, []map[string]any{
				{"name": "DynamoDB", "namespace": "aws", "end_time": float64(t.UnixNano())/1e9 + 0.02, "aws": map[string]any{"operation": "PutItem", "table_name": "orders"}, "http": map[string]any{"response": map[string]any{"status": 200}}},
				{"name": "SQS", "namespace": "aws", "end_time": float64(t.UnixNano())/1e9 + dur/1000 - 0.003, "aws": map[string]any{"operation": "SendMessage", "queue_url": queueURL, "region": "us-east-1"}, "http": map[string]any{"response": map[string]any{"status": 200}}},
			}, nil)
		}
		// the consumer picks it up
		wt := t.Add(time.Duration(300+s.rng.Intn(2000)) * time.Millisecond)
		s.log("/ecs/fulfilment-worker", "ecs/fulfilment-worker/5d1a0e", wt, js(map[string]any{"event": "order processed", "order_id": oid, "message_id": s.uuid(), "queue": "order-events", "duration_ms": 40 + s.rng.Intn(200), "level": "info", "logger": "fulfilment.consumer", "timestamp": wt.Format("2006-01-02T15:04:05.000000Z")}))
	})
	s.every(1300*time.Millisecond, func(t time.Time) {
		h := s.rng.Intn(3)
		reqs[t.Truncate(time.Minute).Unix()]++
		st := 200
		if s.rng.Intn(25) == 0 {
			st = 404
		}
		pino(t, h, 30, map[string]any{"reqId": "req-" + s.hex(6), "req": map[string]any{"method": "GET", "url": "/orders/ord_" + s.hex(12)}, "res": map[string]any{"statusCode": st}, "responseTime": 8 + s.rng.Float64()*20, "msg": "request completed"})
	})
	s.every(20*time.Second, func(t time.Time) {
		s.log("/ecs/fulfilment-worker", "ecs/fulfilment-worker/5d1a0e", t, js(map[string]any{"event": "poll", "queue": "order-events", "received": 0, "level": "debug", "logger": "fulfilment.consumer", "timestamp": t.Format("2006-01-02T15:04:05.000000Z")}))
	})
	s.every(7*time.Minute, func(t time.Time) {
		s.log("/ecs/fulfilment-worker", "ecs/fulfilment-worker/5d1a0e", t, js(map[string]any{"event": "dynamodb throttled, backing off", "table": "shipments", "error": "ProvisionedThroughputExceededException", "attempt": 1 + s.rng.Intn(3), "level": "warning", "logger": "fulfilment.store", "timestamp": t.Format("2006-01-02T15:04:05.000000Z")}))
	})
	// catalog-api: zap, its own slow minutes at 09:50 (a cache flush).
	s.every(900*time.Millisecond, func(t time.Time) {
		lat := 12 + s.rng.Float64()*15
		if t.After(at(9, 49, 0)) && t.Before(at(9, 56, 0)) {
			lat *= 9
		}
		lvl := "info"
		msg := "handled request"
		st := 200
		if s.rng.Intn(400) == 0 {
			lvl, msg, st = "error", "redis: connection pool timeout", 503
		}
		s.log("/ecs/catalog-api", "ecs/catalog-api/77a0c1", t, js(map[string]any{"level": lvl, "ts": float64(t.UnixNano()) / 1e9, "caller": "server/http.go:142", "msg": msg, "method": "GET", "path": "/products/" + fmt.Sprint(1000+s.rng.Intn(9000)), "status": st, "latency_ms": lat}))
	})

	lb := []dim{{"LoadBalancer", "app/orders-alb/4b1e0c7a9d2f3e51"}}
	s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", func(t time.Time) (float64, float64, bool) {
		v := fivexx[t.Unix()]
		return float64(v), 1, v > 0
	})
	s.series("AWS/ApplicationELB", "RequestCount", lb, "Count", func(t time.Time) (float64, float64, bool) { return float64(reqs[t.Unix()]), 1, true })
	s.series("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", func(t time.Time) (float64, float64, bool) {
		return s.noise(0.031, 0.2), float64(reqs[t.Unix()]), true
	})
	q := []dim{{"QueueName", "order-events"}}
	s.series("AWS/SQS", "NumberOfMessagesSent", q, "Count", func(t time.Time) (float64, float64, bool) { return float64(sent[t.Unix()]), 1, true })
	s.series("AWS/SQS", "NumberOfMessagesReceived", q, "Count", func(t time.Time) (float64, float64, bool) { return float64(sent[t.Unix()]), 1, true })
	s.series("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", func(t time.Time) (float64, float64, bool) { return s.noise(2, 0.5), 1, true })
	cat := []dim{{"ClusterName", "prod"}, {"ServiceName", "catalog-api"}}
	s.series("AWS/ECS", "CPUUtilization", cat, "Percent", func(t time.Time) (float64, float64, bool) {
		v := s.noise(22, 0.2)
		if t.After(at(9, 48, 0)) && t.Before(at(9, 57, 0)) {
			v = s.noise(71, 0.1)
		}
		return v, 1, true
	})
	s.series("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "prod"}, {"ServiceName", "orders-api"}}, "Percent", func(t time.Time) (float64, float64, bool) { return s.noise(18, 0.25), 1, true })
	s.alarm("orders-api-target-5xx", "orders-api returns 5xx (ALB target 5xx >= 10/min for 3 minutes)", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 10, "GreaterThanOrEqualToThreshold", 3, at(7, 2, 0), fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [21.0 (17/11/26 10:17:00), 22.0 (17/11/26 10:16:00), 20.0 (17/11/26 10:15:00)] were greater than or equal to the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.okAlarm("catalog-api-cpu-high", "AWS/ECS", "CPUUtilization", "Average", cat, 85, "GreaterThanOrEqualToThreshold")
	s.okAlarm("order-events-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", q, 600, "GreaterThanOrEqualToThreshold")

	s.write(root, map[string]any{
		"kind":       "sqs-kms-key-access",
		"alarm":      "orders-api-target-5xx",
		"root_cause": map[string]any{"event_name": "SetQueueAttributes", "event_time": ts(change), "resource": queueURL},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "SetQueueAttributes", "event_time": ts(visT)}, {"event_name": "CreateKey", "event_time": ts(ckT)}, {"event_name": "CreateAlias", "event_time": ts(caT)}},
		"signals":    []string{"KMS.AccessDeniedException", "The ciphertext refers to a customer master key"},
	})
}
