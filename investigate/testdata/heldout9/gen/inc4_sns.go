package main

import (
	"fmt"
	"math"
	"time"
)

// snsFilterPolicy: a filter policy meant for the refunds subscription is
// set on the fulfilment-intake subscription; order.created no longer
// reaches the fulfilment worker. Nothing errors; orders stop shipping.
func snsFilterPolicy() {
	onset := ts("2026-08-21T03:15:00Z")
	s := newS("sns-filter-policy-drops-orders", "ap-southeast-2", "864213507390", 9404, onset)
	s.Title = "Orders fulfilled per minute below floor"
	s.Arch = "Go service 'orders-api' (zap) publishes order events to SNS topic 'order-events' (eventType message attribute: order.created, order.paid, order.cancelled, order.refunded). SQS subscribers: 'fulfilment-intake' (Python worker 'fulfilment-worker', python-json-logger, publishes the custom metric Fulfilment/OrdersFulfilled), 'refunds-intake' (refunds-worker). The business alarm watches OrdersFulfilled."
	change := ts("2026-08-21T03:14:09Z")
	effective := ts("2026-08-21T03:14:52Z")
	api := "/ecs/orders-api"
	wk := "/ecs/fulfilment-worker"
	rf := "/ecs/refunds-worker"
	loy := "/ecs/loyalty-points"
	loyStart := ts("2026-08-21T03:10:30Z")
	apiStreams := []string{"orders-api/app/" + s.hex(32), "orders-api/app/" + s.hex(32)}
	wkStreams := []string{"fulfilment-worker/worker/" + s.hex(32), "fulfilment-worker/worker/" + s.hex(32)}
	type minute struct{ pub, created, recvF, recvR, recvL, fulfilled, filtered, lat, n float64 }
	per := map[int64]*minute{}
	get := func(t time.Time) *minute {
		k := t.Truncate(time.Minute).Unix()
		if per[k] == nil {
			per[k] = &minute{}
		}
		return per[k]
	}
	queue := []time.Time{} // order.created messages awaiting the worker
	s.seconds(func(t time.Time) {
		mn := get(t)
		// 03:00 local is mid-afternoon for ANZ shoppers? No: AEST = UTC+10, so 13:15 local.
		rate := 0.9 + 0.2*math.Sin(float64(t.Unix()%2400)/2400*2*math.Pi)
		for i := s.poissonish(rate); i > 0; i-- {
			at := t.Add(time.Duration(s.r.Intn(1000)) * time.Millisecond)
			et := "order.created"
			switch x := s.r.Float64(); {
			case x < 0.22:
				et = "order.paid"
			case x < 0.27:
				et = "order.cancelled"
			case x < 0.29:
				et = "order.refunded"
			}
			oid := fmt.Sprintf("ORD-%d", 5_800_000+s.r.Intn(99999))
			mid := s.uuid()
			lat := s.jit(0.045, 0.5)
			mn.pub++
			mn.n++
			mn.lat += lat
			st := apiStreams[s.r.Intn(2)]
			if et == "order.created" || et == "order.paid" {
				s.log(api, st, at, fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"orders/handler.go:%d","msg":"%s","order_id":"%s","items":%d,"total_cents":%d,"channel":"%s"}`, float64(at.UnixNano())/1e9, map[string]int{"order.created": 141, "order.paid": 207}[et], map[string]string{"order.created": "order created", "order.paid": "payment captured"}[et], oid, 1+s.r.Intn(5), 1500+s.r.Intn(30000), s.pick("web", "ios", "android")))
			}
			if s.chance(0.25) {
				s.log(api, st, at.Add(40*time.Millisecond), fmt.Sprintf(`{"level":"debug","ts":%.6f,"caller":"events/publisher.go:63","msg":"published event","topic":"order-events","event_type":"%s","message_id":"%s"}`, float64(at.Add(40*time.Millisecond).UnixNano())/1e9, et, mid))
			}
			toF := et == "order.created" || et == "order.paid"
			if !at.Before(effective) {
				toF = false // the new policy only lets cancelled/refunded through
				if et == "order.cancelled" || et == "order.refunded" {
					toF = true
				}
			}
			if toF {
				mn.recvF++
				if et == "order.created" {
					queue = append(queue, at.Add(time.Duration(200+s.r.Intn(3000))*time.Millisecond))
				}
			} else {
				mn.filtered++
			}
			if et == "order.cancelled" || et == "order.refunded" {
				mn.recvR++
				if s.chance(0.6) {
					s.log(rf, "refunds-worker/worker/a81c", at.Add(2*time.Second), fmt.Sprintf("%s INFO refunds.worker processed %s for %s", at.Add(2*time.Second).Format("2006-01-02 15:04:05,000"), et, oid))
				}
			} else {
				mn.filtered++
			}
			if !at.Before(loyStart) && (et == "order.paid") {
				mn.recvL++
				if s.chance(0.7) {
					s.log(loy, "loyalty-points/app/7e0b", at.Add(time.Second), fmt.Sprintf(`level=info ts=%s caller=consumer.go:88 msg="points accrued" order=%s points=%d`, at.Add(time.Second).Format(time.RFC3339Nano), oid, 10+s.r.Intn(300)))
				}
			}
			if s.chance(0.002) {
				s.log(api, st, at, fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"orders/handler.go:97","msg":"address validation failed","order_id":"%s","error":"addressfinder: 429 Too Many Requests","stacktrace":"github.com/example-corp/orders-api/orders.(*Handler).Create\n\t/src/orders/handler.go:97\nnet/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2220"}`, float64(at.UnixNano())/1e9, oid))
			}
		}
		if t.Second() == 0 {
			get(t) // make sure every minute exists
		}
		// the worker drains in 20 s long polls
		if t.Second()%20 == 0 {
			w := s.r.Intn(2)
			var batch []time.Time
			var rest []time.Time
			for _, q := range queue {
				if !q.After(t) {
					batch = append(batch, q)
				} else {
					rest = append(rest, q)
				}
			}
			queue = rest
			for _, q := range batch {
				fa := q.Add(time.Duration(800+s.r.Intn(3000)) * time.Millisecond)
				fm := get(fa)
				oid := fmt.Sprintf("ORD-%d", 5_800_000+s.r.Intn(99999))
				if s.chance(0.012) {
					s.log(wk, wkStreams[w], fa, fmt.Sprintf(`{"asctime": "%s", "levelname": "WARNING", "name": "fulfilment.warehouse", "message": "reservation conflict, will retry", "order_id": "%s", "status_code": 409, "warehouse": "%s"}`, fa.Format("2006-01-02 15:04:05,000"), oid, s.pick("SYD1", "MEL2", "BNE1")))
					continue
				}
				fm.fulfilled++
				if s.chance(0.3) {
					s.log(wk, wkStreams[w], fa, fmt.Sprintf(`{"asctime": "%s", "levelname": "INFO", "name": "fulfilment.worker", "message": "pick list created", "order_id": "%s", "warehouse": "%s", "lines": %d}`, fa.Format("2006-01-02 15:04:05,000"), oid, s.pick("SYD1", "MEL2", "BNE1"), 1+s.r.Intn(5)))
				}
			}
			if t.Second() == 0 {
				s.log(wk, wkStreams[w], t.Add(300*time.Millisecond), fmt.Sprintf(`{"asctime": "%s", "levelname": "INFO", "name": "fulfilment.worker", "message": "poll cycle", "queue": "fulfilment-intake", "received": %d, "deleted": %d}`, t.Add(300*time.Millisecond).Format("2006-01-02 15:04:05,000"), len(batch), len(batch)))
			}
		}
		if s.chance(0.0008) {
			s.log(wk, wkStreams[0], t, fmt.Sprintf(`{"asctime": "%s", "levelname": "ERROR", "name": "fulfilment.carrier", "message": "label request failed", "exc_info": "Traceback (most recent call last):\n  File \"/app/fulfilment/carrier.py\", line 58, in create_label\n    resp.raise_for_status()\n  File \"/usr/local/lib/python3.12/site-packages/requests/models.py\", line 1024, in raise_for_status\n    raise HTTPError(http_error_msg, response=self)\nrequests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://api.auspost.example/shipping/v1/labels"}`, t.Format("2006-01-02 15:04:05,000")))
		}
	})
	at := func(t time.Time) *minute {
		if m := per[t.Unix()]; m != nil {
			return m
		}
		return &minute{}
	}
	s.metric("Fulfilment", "OrdersFulfilled", "Count", "cycles", dims("Service", "fulfilment-worker"), func(t time.Time) float64 { return at(t).fulfilled })
	s.metric("AWS/SNS", "NumberOfMessagesPublished", "Count", "sum", dims("TopicName", "order-events"), func(t time.Time) float64 { return at(t).pub })
	s.metric("AWS/SNS", "NumberOfNotificationsDelivered", "Count", "sum", dims("TopicName", "order-events"), func(t time.Time) float64 { m := at(t); return m.recvF + m.recvR + m.recvL })
	s.metric("AWS/SNS", "NumberOfNotificationsFilteredOut", "Count", "sum", dims("TopicName", "order-events"), func(t time.Time) float64 { return at(t).filtered })
	s.metric("AWS/SNS", "NumberOfNotificationsFailed", "Count", "sum", dims("TopicName", "order-events"), func(t time.Time) float64 { return 0 })
	s.metric("AWS/SQS", "NumberOfMessagesReceived", "Count", "single", dims("QueueName", "fulfilment-intake"), func(t time.Time) float64 { return at(t).recvF })
	s.metric("AWS/SQS", "NumberOfMessagesSent", "Count", "single", dims("QueueName", "fulfilment-intake"), func(t time.Time) float64 { return at(t).recvF })
	s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", "gauge", dims("QueueName", "fulfilment-intake"), func(t time.Time) float64 { return math.Round(s.jit(3, 1)) })
	s.metric("AWS/SQS", "NumberOfMessagesReceived", "Count", "single", dims("QueueName", "refunds-intake"), func(t time.Time) float64 { return at(t).recvR })
	s.metric("AWS/SQS", "NumberOfMessagesReceived", "Count", "single", dims("QueueName", "loyalty-points-intake"), func(t time.Time) float64 {
		if t.Before(loyStart.Truncate(time.Minute)) {
			return math.NaN()
		}
		return at(t).recvL
	})
	lbd := dims("LoadBalancer", "app/shop-prod/3b9e0c1d7f2a4e58", "TargetGroup", "targetgroup/orders-api/9c4d1e2f3a5b6c70")
	s.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", "gauge", lbd, func(t time.Time) float64 {
		v := at(t).lat / (at(t).n + 0.001)
		if t.After(onset.Add(-35*time.Minute)) && t.Before(onset.Add(-28*time.Minute)) {
			v *= 2.2 // a GC-heavy patch of traffic, unrelated
		}
		return v
	})
	s.metric("AWS/ECS", "CPUUtilization", "Percent", "gauge", dims("ClusterName", "commerce-prod", "ServiceName", "fulfilment-worker"), func(t time.Time) float64 {
		return s.jit(4+at(t).fulfilled/60*6, 0.2)
	})
	// alarm: OrdersFulfilled < 8 for 5 consecutive minutes
	run := 0
	var fire time.Time
	var vals []string
	for t := onset.Truncate(time.Minute); t.Before(s.End); t = t.Add(time.Minute) {
		if at(t).fulfilled < 8 {
			run++
			vals = append(vals, fmt.Sprintf("%.1f (%s)", at(t).fulfilled, t.Format("02/01/06 15:04:05")))
		} else {
			run, vals = 0, nil
		}
		if run == 5 {
			fire = t.Add(time.Minute + 35*time.Second)
			break
		}
	}
	if fire.IsZero() {
		panic("sns alarm never fires")
	}
	s.alarm("fulfilment-orders-fulfilled-low", "Orders fulfilled below 8/min for 5 minutes during trading hours. Customers' orders are not being picked.", "Fulfilment", "OrdersFulfilled", "Sum", dims("Service", "fulfilment-worker"), 60, 5, 8, "LessThanThreshold", time.Time{}, fire,
		fmt.Sprintf("Threshold Crossed: 5 out of the last 5 datapoints [%s] were less than the threshold (8.0) (minimum 5 datapoints for OK -> ALARM transition).", joinRev(vals)), "breaching")
	s.okAlarm("fulfilment-intake-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", dims("QueueName", "fulfilment-intake-dlq"), 0, "GreaterThanThreshold")
	s.okAlarm("orders-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lbd, 20, "GreaterThanThreshold")

	dev := s.role("AWSReservedSSO_DeveloperAccess_4c7a9e2b1d3f5068", "p.nguyen@example-corp.com", "203.0.113.77", "aws-cli/2.17.50 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#sns.set-subscription-attributes", false)
	sre := s.role("AWSReservedSSO_SRE_1b9d3f7a5c2e4860", "h.mcallister@example-corp.com", "203.0.113.12", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36", true)
	tf := s.role("terraform-apply", "atlantis-commerce", "13.236.44.20", "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.64.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/sns#1.31.6", false)
	topic := "arn:aws:sns:ap-southeast-2:864213507390:order-events"
	s.baseNoise(450, "orders-api", []noiseOp{
		{p: dev, source: "sns.amazonaws.com", name: "ListSubscriptionsByTopic", ro: true, weight: 2, req: func() any { return map[string]any{"topicArn": topic} }},
		{p: dev, source: "sns.amazonaws.com", name: "GetSubscriptionAttributes", ro: true, weight: 2},
		{p: tf, source: "sqs.amazonaws.com", name: "GetQueueAttributes", ro: true, weight: 4, req: func() any {
			return map[string]any{"queueUrl": "https://sqs.ap-southeast-2.amazonaws.com/864213507390/" + s.pick("fulfilment-intake", "refunds-intake", "loyalty-points-intake"), "attributeNames": []string{"All"}}
		}},
		{p: tf, source: "sns.amazonaws.com", name: "GetTopicAttributes", ro: true, weight: 3, req: func() any { return map[string]any{"topicArn": topic} }},
	})
	d1 := ts("2026-08-21T03:02:40Z")
	s.trail(d1, sre, "sqs.amazonaws.com", "SetQueueAttributes",
		map[string]any{"queueUrl": "https://sqs.ap-southeast-2.amazonaws.com/864213507390/fulfilment-intake", "attributes": map[string]any{"VisibilityTimeout": "120"}}, nil, false)
	d2 := ts("2026-08-21T03:09:31Z")
	s.trail(d2.Add(-20*time.Second), tf, "sqs.amazonaws.com", "CreateQueue", map[string]any{"queueName": "loyalty-points-intake", "attributes": map[string]any{"MessageRetentionPeriod": "345600", "VisibilityTimeout": "60"}},
		map[string]any{"queueUrl": "https://sqs.ap-southeast-2.amazonaws.com/864213507390/loyalty-points-intake"}, false)
	s.trail(d2, tf, "sns.amazonaws.com", "Subscribe",
		map[string]any{"topicArn": topic, "protocol": "sqs", "endpoint": "arn:aws:sqs:ap-southeast-2:864213507390:loyalty-points-intake", "attributes": map[string]any{"RawMessageDelivery": "true", "FilterPolicy": `{"eventType":["order.paid"]}`}, "returnSubscriptionArn": true},
		map[string]any{"subscriptionArn": topic + ":0d2f6b1e-7a3c-4e59-b8d1-5c9e2a7f4b36"}, false)
	s.trail(change.Add(-40*time.Second), dev, "sns.amazonaws.com", "GetSubscriptionAttributes", map[string]any{"subscriptionArn": topic + ":7b1e4c2a-9d3f-4a68-8e05-1f6c3b9d2e47"}, nil, true)
	s.trail(change, dev, "sns.amazonaws.com", "SetSubscriptionAttributes",
		map[string]any{"subscriptionArn": topic + ":7b1e4c2a-9d3f-4a68-8e05-1f6c3b9d2e47", "attributeName": "FilterPolicy", "attributeValue": `{"eventType":["order.cancelled","order.refunded"]}`}, nil, false)
	s.truth = map[string]any{"name": s.Name, "kind": "silent-routing", "alarm": "fulfilment-orders-fulfilled-low",
		"root_cause": map[string]any{"event_name": "SetSubscriptionAttributes", "event_time": change.Format(time.RFC3339), "resource": topic + ":7b1e4c2a-9d3f-4a68-8e05-1f6c3b9d2e47"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{decoy("SetQueueAttributes", d1), decoy("CreateQueue", d2.Add(-20*time.Second)), decoy("Subscribe", d2)},
		"signals":    []string{"OrdersFulfilled", "fulfilment-intake"}}
	s.write()
}

func joinRev(v []string) string {
	out := ""
	for i := len(v) - 1; i >= 0; i-- {
		if out != "" {
			out += ", "
		}
		out += v[i]
	}
	return out
}
