package main

import (
	"fmt"
	"time"
)

// eventbridgePatternTypo: a rule's event pattern is edited to add a channel
// filter and the detail-type is misspelt; orders are still published but
// the fulfilment worker never hears of them again. Nothing errors.
func eventbridgePatternTypo(root string) {
	start := time.Date(2026, 11, 21, 9, 40, 0, 0, time.UTC)
	end := time.Date(2026, 11, 21, 11, 45, 0, 0, time.UTC)
	s := newSnap("eventbridge-rule-pattern-typo", 1104, start, end)
	s.title = "no shipments created"
	s.arch = "orders-api (Python, ECS) publishes OrderPlaced events to the EventBridge bus commerce. Rule order-placed-to-fulfilment targets the Lambda fulfilment-worker, which books shipments with carriers; rule order-placed-to-analytics targets the Lambda order-analytics-sink."
	desc := time.Date(2026, 11, 21, 10, 52, 18, 0, time.UTC)
	change := time.Date(2026, 11, 21, 11, 17, 26, 0, time.UTC)
	onset := time.Date(2026, 11, 21, 11, 17, 31, 0, time.UTC)
	targets := time.Date(2026, 11, 21, 11, 20, 3, 0, time.UTC)
	fired := time.Date(2026, 11, 21, 11, 23, 40, 0, time.UTC)
	ruleArn := "arn:aws:events:us-east-1:" + acct + ":rule/commerce/order-placed-to-fulfilment"
	dev := who{assumed("AWSReservedSSO_Developer_7e3b2d91a0c4f56e", "tomasz.wojcik@acme.io", "AROAWB3KJ7QFDEVLPR03", desc.Add(-20*time.Minute)), "81.2.69.201", "console.amazonaws.com"}
	oldPattern := `{"source":["com.acme.orders"],"detail-type":["OrderPlaced"]}`
	newPattern := `{"source":["com.acme.orders"],"detail-type":["OrderPlacd"],"detail":{"channel":["web","app","pos"]}}`
	s.ct(desc.Add(-25*time.Second), "events.amazonaws.com", "DescribeRule", dev, map[string]any{"name": "order-placed-to-fulfilment", "eventBusName": "commerce"}, nil, true)
	s.ct(desc, "events.amazonaws.com", "PutRule", dev, map[string]any{"name": "order-placed-to-fulfilment", "eventBusName": "commerce", "eventPattern": oldPattern, "state": "ENABLED", "description": "OrderPlaced → fulfilment-worker (owner: logistics, runbook FUL-12)"}, map[string]any{"ruleArn": ruleArn}, false)
	s.ct(change.Add(-70*time.Second), "events.amazonaws.com", "ListTargetsByRule", dev, map[string]any{"rule": "order-placed-to-fulfilment", "eventBusName": "commerce"}, nil, true)
	s.ct(change.Add(-12*time.Second), "events.amazonaws.com", "TestEventPattern", dev, map[string]any{"eventPattern": newPattern}, nil, true)
	s.ct(change, "events.amazonaws.com", "PutRule", dev, map[string]any{"name": "order-placed-to-fulfilment", "eventBusName": "commerce", "eventPattern": newPattern, "state": "ENABLED", "description": "OrderPlaced → fulfilment-worker (owner: logistics, runbook FUL-12)"}, map[string]any{"ruleArn": ruleArn}, false)
	data := who{assumed("AWSReservedSSO_DataEngineer_2c9d4e6f8a1b3c5d", "ines.ferreira@acme.io", "AROAWB3KJ7QFDATAENG4", targets.Add(-15*time.Minute)), "81.2.69.212", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 command/events.put-targets"}
	s.ct(targets, "events.amazonaws.com", "PutTargets", data, map[string]any{"rule": "order-placed-to-analytics", "eventBusName": "commerce", "targets": []any{map[string]any{"id": "analytics-sink", "arn": "arn:aws:lambda:us-east-1:" + acct + ":function:order-analytics-sink", "deadLetterConfig": map[string]any{"arn": "arn:aws:sqs:us-east-1:" + acct + ":order-analytics-dlq"}, "retryPolicy": map[string]any{"maximumRetryAttempts": 8, "maximumEventAgeInSeconds": 3600}}}}, map[string]any{"failedEntryCount": 0, "failedEntries": []any{}}, false)
	ebSvc := who{awsService("events.amazonaws.com"), "events.amazonaws.com", "events.amazonaws.com"}
	_ = ebSvc

	orders := "/ecs/orders-api"
	ful := "/aws/lambda/fulfilment-worker"
	ana := "/aws/lambda/order-analytics-sink"
	matchedF := map[time.Time]float64{}
	matchedA := map[time.Time]float64{}
	shipped := map[time.Time]float64{}
	placed := map[time.Time]float64{}
	ostream := "orders-api/app/4d1e7a9c2b6f4e08a3c5d7e9f1b2c4d6"
	fstream := s.lambdaStream(start, "$LATEST")
	astream := s.lambdaStream(start, "$LATEST")
	iso := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.000000Z") }
	s.minutes(func(m time.Time) {
		rate := 34.0
		if m.After(time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC)) {
			rate = 47 // the promo mail went out at 10:30
		}
		for i := 0; i < s.poisson(rate); i++ {
			t := s.jitter(m, 60000)
			if m.Equal(onset.Truncate(time.Minute)) && i == 0 {
				t = onset
			}
			oid := fmt.Sprintf("ord_%s", s.hex(12))
			if s.rng.Float64() < 0.03 {
				s.log(orders, ostream, t, fmt.Sprintf(`{"event": "payment declined", "order_id": "%s", "psp_code": "card_declined", "level": "warning", "logger": "orders.checkout", "timestamp": "%s"}`, oid, iso(t)))
				continue
			}
			placed[m]++
			s.log(orders, ostream, t, fmt.Sprintf(`{"event": "order placed", "order_id": "%s", "channel": "%s", "total_cents": %d, "level": "info", "logger": "orders.checkout", "timestamp": "%s"}`, oid, []string{"web", "app", "web", "pos"}[s.rng.Intn(4)], 1500+s.rng.Intn(40000), iso(t)))
			if s.rng.Float64() < 0.25 {
				s.log(orders, ostream, t.Add(30*time.Millisecond), fmt.Sprintf(`{"event": "published", "detail_type": "OrderPlaced", "event_bus": "commerce", "failed_entry_count": 0, "order_id": "%s", "level": "debug", "logger": "orders.events", "timestamp": "%s"}`, oid, iso(t.Add(30*time.Millisecond))))
			}
			matchedA[m]++
			if s.rng.Float64() < 0.15 {
				s.log(ana, astream, t.Add(900*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tbatched order %s into firehose stream orders-analytics", iso(t.Add(900*time.Millisecond)), s.uuid(), oid))
			}
			if !t.Before(change) {
				continue
			}
			matchedF[m]++
			ft := t.Add(time.Duration(600+s.rng.Intn(900)) * time.Millisecond)
			req := s.uuid()
			s.log(ful, fstream, ft, "START RequestId: "+req+" Version: $LATEST")
			d := 300 + s.rng.ExpFloat64()*500
			switch r := s.rng.Float64(); {
			case r < 0.05:
				s.log(ful, fstream, ft.Add(200*time.Millisecond), fmt.Sprintf(`time=%s level=warn msg="carrier rate limited, retrying" carrier=dhl status=429 attempt=%d order_id=%s request_id=%s`, iso(ft.Add(200*time.Millisecond)), 1+s.rng.Intn(3), oid, req))
				fallthrough
			default:
				shipped[m]++
				s.log(ful, fstream, ft.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf(`time=%s level=info msg="shipment booked" order_id=%s carrier=%s label_id=lbl_%s request_id=%s`, iso(ft.Add(time.Duration(d)*time.Millisecond)), oid, []string{"ups", "dhl", "dpd"}[s.rng.Intn(3)], s.hex(10), req))
			}
			s.log(ful, fstream, ft.Add(time.Duration(d+2)*time.Millisecond), "END RequestId: "+req)
			s.lambdaReport(ful, fstream, ft.Add(time.Duration(d+3)*time.Millisecond), req, d, 512, 110+s.rng.Intn(20), 0, "")
		}
		if s.rng.Float64() < 0.05 {
			t := s.jitter(m, 60000)
			s.log(orders, ostream, t, fmt.Sprintf("{\"event\": \"unhandled error in request\", \"path\": \"/v1/cart/merge\", \"level\": \"error\", \"logger\": \"orders.http\", \"timestamp\": \"%s\", \"exception\": \"Traceback (most recent call last):\\n  File \\\"/app/orders/http/cart.py\\\", line 142, in merge\\n    guest = carts[guest_id]\\n            ~~~~~^^^^^^^^^^\\nKeyError: 'gst_%s'\"}", iso(t), s.hex(8)))
		}
	})
	bus := func(rule string) []dim { return []dim{{"EventBusName", "commerce"}, {"RuleName", rule}} }
	s.count("AWS/Events", "MatchedEvents", bus("order-placed-to-fulfilment"), func(m time.Time) float64 { return matchedF[m] })
	s.count("AWS/Events", "Invocations", bus("order-placed-to-fulfilment"), func(m time.Time) float64 { return matchedF[m] })
	s.count("AWS/Events", "FailedInvocations", bus("order-placed-to-fulfilment"), func(m time.Time) float64 { return 0 })
	s.count("AWS/Events", "MatchedEvents", bus("order-placed-to-analytics"), func(m time.Time) float64 { return matchedA[m] })
	s.count("AWS/Events", "Invocations", bus("order-placed-to-analytics"), func(m time.Time) float64 { return matchedA[m] })
	s.count("AWS/Lambda", "Invocations", []dim{{"FunctionName", "fulfilment-worker"}}, func(m time.Time) float64 { return matchedF[m] })
	s.count("AWS/Lambda", "Errors", []dim{{"FunctionName", "fulfilment-worker"}}, func(m time.Time) float64 { return 0.03 })
	s.count("Fulfilment", "ShipmentsCreated", []dim{{"Environment", "prod"}}, func(m time.Time) float64 { return shipped[m] })
	s.count("Orders", "OrdersPlaced", []dim{{"Environment", "prod"}}, func(m time.Time) float64 { return placed[m] })
	s.alarm("fulfilment-shipments-created-low", "fewer than 10 shipments booked per minute for 5 minutes", "Fulfilment", "ShipmentsCreated", []dim{{"Environment", "prod"}}, "Sum", 10, "LessThanThreshold", 5, fired,
		"Threshold Crossed: 5 out of the last 5 datapoints [0.0 (21/11/26 11:22:00), 0.0 (21/11/26 11:21:00), 0.0 (21/11/26 11:20:00), 0.0 (21/11/26 11:19:00), 0.0 (21/11/26 11:18:00)] were less than the threshold (10.0) (minimum 5 datapoints for OK -> ALARM transition).", "ALARM")
	s.alarm("fulfilment-worker-errors", "fulfilment-worker errors", "AWS/Lambda", "Errors", []dim{{"FunctionName", "fulfilment-worker"}}, "Sum", 5, "GreaterThanThreshold", 3, start, "Threshold Crossed: no datapoints above the threshold", "OK")
	s.noiseTrail([]string{"orders-api-task", "fulfilment-worker-role", "order-analytics-sink-role"}, []string{"orders-api", "fulfilment-worker"}, []string{orders, ful, ana})
	s.write(root, truth{
		Name: s.name, Kind: "eventbridge-rule-pattern-typo", Alarm: "fulfilment-shipments-created-low",
		RootCause: &rootCause{"PutRule", change, ruleArn},
		Onset:     onset,
		Decoys:    []decoy{{"PutRule", desc}, {"PutTargets", targets}},
		Signals:   []string{"order-placed-to-fulfilment", "PutRule", "MatchedEvents"},
	})
}
