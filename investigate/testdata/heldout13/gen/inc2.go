package main

import (
	"fmt"
	"net/url"
	"time"
)

// iamTypo: a new default version of a customer-managed policy misspells
// sqs:SendMessage; order-intake can no longer publish to its queue.
func iamTypo() *snap {
	onset := time.Date(2026, 9, 3, 9, 40, 21, 0, time.UTC)
	s := newSnap("iam-policy-version-action-typo", 1302, onset, 82*time.Minute, 26*time.Minute)
	s.title = "order-intake 5xx"
	s.arch = "order-intake (Java 21, Spring Boot, ECS Fargate cluster commerce, behind ALB commerce-public) accepts orders and publishes them to SQS order-events, consumed by fulfilment-worker (python). Task role order-intake-task-role has the customer-managed policy OrderIntakeQueueAccess attached."
	pol := "arn:aws:iam::" + acct + ":policy/OrderIntakeQueueAccess"
	cause := onset.Add(-9 * time.Second)
	admin := role("AWSReservedSSO_AdministratorAccess_1b2c3d4e5f607182", "lena.fischer@acme-corp.example", cliAgent+"iam.create-policy-version", "198.51.100.71")
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Publish","Effect":"Allow","Action":["sqs:SendMesage","sqs:GetQueueAttributes","sqs:GetQueueUrl"],"Resource":"arn:aws:sqs:us-east-1:` + acct + `:order-events"},{"Sid":"Dlq","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:` + acct + `:order-intake-retry"}]}`
	s.event(cause.Add(-50*time.Second), admin, "iam.amazonaws.com", "GetPolicyVersion", map[string]any{"policyArn": pol, "versionId": "v6"}, nil, true, nil)
	s.event(cause.Add(-20*time.Second), admin, "iam.amazonaws.com", "ListPolicyVersions", map[string]any{"policyArn": pol}, nil, true, nil)
	s.event(cause, admin, "iam.amazonaws.com", "CreatePolicyVersion", map[string]any{"policyArn": pol, "policyDocument": url.QueryEscape(doc), "setAsDefault": true},
		map[string]any{"policyVersion": map[string]any{"versionId": "v7", "isDefaultVersion": true, "createDate": cause.Format("Jan 2, 2006, 3:04:05 PM")}}, false, nil)
	// decoys
	d1 := time.Date(2026, 9, 3, 9, 22, 40, 0, time.UTC)
	s.event(d1, admin, "iam.amazonaws.com", "TagPolicy", map[string]any{"policyArn": pol, "tags": []map[string]string{{"key": "owner", "value": "commerce-platform"}, {"key": "cost-center", "value": "cc-4410"}}}, nil, false, nil)
	d2 := time.Date(2026, 9, 3, 9, 33, 5, 0, time.UTC)
	doc2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::acme-reports-prod","arn:aws:s3:::acme-reports-prod/*"]}]}`
	s.event(d2, s.tfUser(), "iam.amazonaws.com", "CreatePolicyVersion", map[string]any{"policyArn": "arn:aws:iam::" + acct + ":policy/ReportingBucketRead", "policyDocument": url.QueryEscape(doc2), "setAsDefault": false},
		map[string]any{"policyVersion": map[string]any{"versionId": "v3", "isDefaultVersion": false, "createDate": d2.Format("Jan 2, 2006, 3:04:05 PM")}}, false, nil)
	s.event(d2.Add(-30*time.Second), s.tfUser(), "iam.amazonaws.com", "DeletePolicyVersion", map[string]any{"policyArn": "arn:aws:iam::" + acct + ":policy/ReportingBucketRead", "versionId": "v1"}, nil, false, nil)
	s.noise([]string{"order-intake", "fulfilment-worker"}, []string{"order-intake", "fulfilment-worker"}, "commerce")
	s.aasUpdateService(time.Date(2026, 9, 3, 8, 51, 3, 0, time.UTC), "commerce", "order-intake", 5)
	s.aasUpdateService(time.Date(2026, 9, 3, 9, 55, 44, 0, time.UTC), "commerce", "order-intake", 6)

	tasks := []string{"b41c9e2f07d84f3a9e1c", "2e7a90c1f5b64d8e8a7f", "c93f1a2b4d5e6f708192", "7d6e5f4a3b2c1d0e9f8a"}
	ips := []string{"10.30.11.24", "10.30.12.57", "10.30.13.9", "10.30.11.201"}
	errCount, sent, t5 := map[time.Time]int{}, map[time.Time]int{}, map[time.Time]int{}
	total := map[time.Time]int{}
	ua := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AcmeShop/5.12.0"
	s.minutes(func(m time.Time) {
		for i := s.poisson(48); i > 0; i-- {
			t := s.in(m)
			k := s.rng.Intn(len(tasks))
			stream := "order-intake/order-intake/" + tasks[k]
			total[m]++
			thread := fmt.Sprintf("http-nio-8080-exec-%d", 1+s.rng.Intn(20))
			ts := t.Format("2006-01-02T15:04:05.000Z")
			path, method := "/api/v2/orders", "POST"
			if s.rng.Intn(3) == 0 {
				path, method = "/api/v2/orders/ord_"+s.hex(10), "GET"
				s.albLine(t, "commerce-public", "order-intake-tg", "172.56.21."+fmt.Sprint(s.rng.Intn(250)), ips[k]+":8080", 0.001, 0.01+s.rng.Float64()*0.03, 0, "200", "200", path, method, ua, "-")
				continue
			}
			oid := "ord_" + s.hex(10)
			if t.After(onset.Add(-time.Second)) {
				rid := s.hex(8) + "-" + s.hex(4) + "-" + s.hex(4) + "-" + s.hex(4) + "-" + s.hex(12)
				s.log("/ecs/order-intake", stream, t, ts+" ERROR 1 --- ["+thread+"] c.a.o.publish.OrderPublisher          : failed to publish order "+oid+" to order-events\n"+
					"software.amazon.awssdk.services.sqs.model.SqsException: User: arn:aws:sts::"+acct+":assumed-role/order-intake-task-role/"+tasks[k]+" is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:"+acct+":order-events because no identity-based policy allows the sqs:sendmessage action (Service: Sqs, Status Code: 403, Request ID: "+rid+")\n"+
					"\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n"+
					"\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleResponse(CombinedResponseHandler.java:82)\n"+
					"\tat software.amazon.awssdk.services.sqs.DefaultSqsClient.sendMessage(DefaultSqsClient.java:2421)\n"+
					"\tat com.acme.orders.publish.OrderPublisher.publish(OrderPublisher.java:57)\n"+
					"\tat com.acme.orders.api.OrderController.create(OrderController.java:94)")
				s.log("/ecs/order-intake", stream, t.Add(3*time.Millisecond), ts+" WARN 1 --- ["+thread+"] o.s.w.s.m.s.DefaultHandlerExceptionResolver : Resolved [com.acme.orders.publish.PublishFailedException: order "+oid+" not accepted]")
				errCount[m]++
				t5[m]++
				s.albLine(t, "commerce-public", "order-intake-tg", "172.56.21."+fmt.Sprint(s.rng.Intn(250)), ips[k]+":8080", 0.001, 0.03+s.rng.Float64()*0.04, 0, "500", "500", path, method, ua, "-")
				continue
			}
			code := "201"
			if s.rng.Intn(25) == 0 {
				code = "400"
				s.log("/ecs/order-intake", stream, t, ts+"  WARN 1 --- ["+thread+"] c.a.o.api.OrderController               : rejected order: basket.items[0].sku must match ^[A-Z0-9-]{6,20}$")
			} else if s.rng.Intn(150) == 0 {
				code = "502"
				s.log("/ecs/order-intake", stream, t, ts+" ERROR 1 --- ["+thread+"] c.a.o.pricing.PricingClient            : pricing lookup failed\norg.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://pricing.commerce.local:8080/v1/quote\": Read timed out\n\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:905)\n\tat com.acme.orders.pricing.PricingClient.quote(PricingClient.java:44)")
				t5[m]++
				errCount[m]++
			} else {
				s.log("/ecs/order-intake", stream, t, ts+"  INFO 1 --- ["+thread+"] c.a.o.publish.OrderPublisher          : published order "+oid+" messageId="+s.uuid())
				sent[m]++
			}
			s.albLine(t, "commerce-public", "order-intake-tg", "172.56.21."+fmt.Sprint(s.rng.Intn(250)), ips[k]+":8080", 0.001, 0.04+s.rng.Float64()*0.08, 0, code, code, path, method, ua, "-")
		}
		if m.Minute()%5 == 0 {
			s.log("/ecs/order-intake", "order-intake/order-intake/"+tasks[0], s.in(m), m.Format("2006-01-02T15:04:05.000Z")+"  INFO 1 --- [scheduling-1] c.a.o.retry.RetryDrainer                : drained 0 messages from order-intake-retry")
		}
	})
	// fulfilment-worker: python-json-logger; it just goes quiet
	s.minutes(func(m time.Time) {
		n := sent[m.Add(-time.Minute)]
		for i := 0; i < n; i++ {
			t := s.in(m)
			lvl, msg := "INFO", "order fulfilled"
			if s.rng.Intn(60) == 0 {
				lvl, msg = "WARNING", "carrier API slow, retrying"
			}
			s.log("/ecs/fulfilment-worker", "fulfilment-worker/worker/5a1b2c3d4e5f", t, fmt.Sprintf(`{"asctime": "%s", "levelname": "%s", "name": "worker.fulfil", "message": "%s", "order_id": "ord_%s"}`, t.Format("2006-01-02 15:04:05,000"), lvl, msg, s.hex(10)))
		}
	})
	lb := []dim{{"LoadBalancer", "app/commerce-public/5f3a9c1e7d2b4a60"}}
	tg := []dim{{"TargetGroup", "targetgroup/order-intake-tg/8d2e4f6a1b3c5d7e"}, {"LoadBalancer", "app/commerce-public/5f3a9c1e7d2b4a60"}}
	s.count("AWS/ApplicationELB", "RequestCount", lb, func(m time.Time) float64 { return float64(total[m]) })
	s.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, func(m time.Time) float64 { return float64(t5[m]) })
	s.series("AWS/ApplicationELB", "TargetResponseTime", "Seconds", tg, func(m time.Time) []float64 {
		v := []float64{}
		for i := 0; i < total[m]; i++ {
			v = append(v, 0.03+s.rng.Float64()*0.08)
		}
		return v
	})
	q := []dim{{"QueueName", "order-events"}}
	s.count("AWS/SQS", "NumberOfMessagesSent", q, func(m time.Time) float64 { return float64(sent[m]) })
	s.count("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, func(m time.Time) float64 { return float64(s.rng.Intn(4)) })
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "commerce"}, {"ServiceName", "order-intake"}}, func(m time.Time) []float64 {
		return []float64{31 + 8*s.rng.Float64() + 12*float64(m.Sub(s.start)/time.Minute)/100}
	})
	s.alarm("order-intake-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 10, "GreaterThanThreshold", 2, time.Date(2026, 9, 3, 9, 43, 12, 0, time.UTC), "order-intake returns 5xx")
	s.okAlarm("order-events-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", q, 300)
	s.truth = map[string]any{"kind": "iam-policy-typo", "alarm": "order-intake-target-5xx",
		"root_cause": map[string]any{"event_name": "CreatePolicyVersion", "event_time": ts(cause), "resource": pol},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "TagPolicy", "event_time": ts(d1)}, {"event_name": "CreatePolicyVersion", "event_time": ts(d2)}},
		"signals":    []string{"sqs:sendmessage"}}
	return s
}
