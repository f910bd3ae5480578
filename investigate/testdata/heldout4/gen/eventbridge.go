package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// eventBridgeRuleDisabled: an engineer disables the prod rule that routes
// OrderPlaced events to order-reconciler (they meant the staging one). Nothing
// errors: the function simply stops being invoked and orders pile up in
// PENDING until the backlog alarm fires 25 minutes later.
func eventBridgeRuleDisabled(root string) {
	start, end := T("2026-09-08T08:10:00Z"), T("2026-09-08T09:50:00Z")
	s := NewSnap(root, "eventbridge-rule-disabled", "eu-west-1", "660214397582", 402, start, end)
	s.Title = "orders-pending-backlog-high in ALARM"
	s.Arch = "order-api (Lambda behind API Gateway) writes orders as PENDING to DynamoDB table orders and puts an OrderPlaced event on the custom bus orders-bus. " +
		"The rule order-placed-to-reconciler on orders-bus invokes the Lambda order-reconciler, which reserves stock and marks the order CONFIRMED. " +
		"A second rule order-placed-to-analytics sends the same events to a Firehose stream. Scheduled rules on the default bus run nightly-report and stock-sync. " +
		"A metrics job publishes Shop/Orders PendingOrders every minute."
	ruleArn := fmt.Sprintf("arn:aws:events:%s:%s:rule/orders-bus/order-placed-to-reconciler", s.Region, s.Acct)
	fnArn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:order-reconciler", s.Region, s.Acct)

	putRule := T("2026-09-08T08:39:12Z")
	tag := T("2026-09-08T08:44:27Z")
	cause := T("2026-09-08T08:47:13Z")
	onset := T("2026-09-08T08:48:00Z") // first minute without an invocation
	putTargets := T("2026-09-08T08:52:48Z")
	alarmAt := T("2026-09-08T09:12:41Z")

	s.CTStart = start.Add(-15 * time.Minute)
	s.RoutineCT(Routine{PerMin: 2.6, KeyID: "5d0c7a1e-93b2-4f6e-a8d4-61c2e0f7b935",
		Monitor: s.RoleActor("datadog-integration", "DatadogAWSIntegration", "Datadog/1.0 aws-sdk-go/1.55.5", "54.76.201.9"),
		Workloads: []Workload{
			{Role: "order-api-lambda", Principal: "lambda.amazonaws.com", Params: []string{"/orders/api/config"}, LogGroup: "/aws/lambda/order-api"},
			{Role: "order-reconciler-lambda", Principal: "lambda.amazonaws.com", Params: []string{"/orders/reconciler/config"}, LogGroup: "/aws/lambda/order-reconciler"},
			{Role: "analytics-forwarder-lambda", Principal: "lambda.amazonaws.com", Params: []string{"/analytics/forwarder/config"}},
		}})
	// EventBridge invoking Lambda does not log; what it does log is the
	// scheduler's own work and people's console reads.
	person := s.SSOActor("PlatformEngineer", "marta.kowalski@shopfront.eu", "185.31.42.77")
	person2 := s.SSOActor("Developer", "tom.becker@shopfront.eu", "91.64.12.198")
	for i, t := range []time.Time{cause.Add(-3 * time.Minute), cause.Add(-2*time.Minute - 10*time.Second), cause.Add(-70 * time.Second)} {
		name := []string{"ListRules", "DescribeRule", "ListTargetsByRule"}[i]
		req := map[string]any{"eventBusName": "orders-bus"}
		if i > 0 {
			req = map[string]any{"name": "order-placed-to-reconciler", "eventBusName": "orders-bus"}
			if i == 2 {
				req = map[string]any{"rule": "order-placed-to-reconciler", "eventBusName": "orders-bus"}
			}
		}
		s.CT(t, person, "events.amazonaws.com", name, req, nil, ReadOnly)
	}
	s.CT(cause, person, "events.amazonaws.com", "DisableRule", map[string]any{"name": "order-placed-to-reconciler", "eventBusName": "orders-bus"}, nil, Res("AWS::Events::Rule", ruleArn))
	s.CT(cause.Add(4*time.Second), person, "events.amazonaws.com", "DescribeRule", map[string]any{"name": "order-placed-to-reconciler", "eventBusName": "orders-bus"}, nil, ReadOnly)
	s.CT(cause.Add(48*time.Second), person, "events.amazonaws.com", "ListRules", map[string]any{"eventBusName": "default", "namePrefix": "order"}, nil, ReadOnly)
	tf := s.RoleActor("terraform-apply", "atlantis-"+s.hex(8), "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.72.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/eventbridge#1.35.2", "52.49.118.30")
	s.CT(putRule, tf, "events.amazonaws.com", "PutRule",
		map[string]any{"name": "nightly-report-schedule", "scheduleExpression": "cron(30 1 * * ? *)", "state": "ENABLED", "description": "Nightly sales report (moved from 01:00 to 01:30 UTC)"},
		map[string]any{"ruleArn": fmt.Sprintf("arn:aws:events:%s:%s:rule/nightly-report-schedule", s.Region, s.Acct)})
	s.CT(putRule.Add(3*time.Second), tf, "events.amazonaws.com", "ListTargetsByRule", map[string]any{"rule": "nightly-report-schedule"}, nil, ReadOnly)
	s.CT(tag, person2, "lambda.amazonaws.com", "TagResource20170331v2", map[string]any{"resource": fnArn, "tags": map[string]string{"cost-centre": "cc-4410", "owner": "orders-team"}}, nil)
	s.CT(putTargets, tf, "events.amazonaws.com", "PutTargets",
		map[string]any{"rule": "order-placed-to-analytics", "eventBusName": "orders-bus", "targets": []any{map[string]any{"id": "firehose-orders", "arn": fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/orders-analytics", s.Region, s.Acct),
			"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/eventbridge-to-firehose", s.Acct), "inputTransformer": map[string]any{"inputPathsMap": map[string]string{"id": "$.detail.orderId"}, "inputTemplate": "{\"order\": <id>}"}}}},
		map[string]any{"failedEntryCount": 0, "failedEntries": []any{}})
	// Another team's CI ships stock-sync (on a schedule) during the window.
	ci := s.RoleActor("gitlab-ci-deployer", "gitlab-"+s.hex(6), "aws-cli/2.17.50 md/awscrt#0.21.5 ua/2.0 os/linux#5.15.0 md/arch#x86_64 lang/python#3.11.9 md/command#lambda.update-function-code", "35.231.147.226")
	s.CT(T("2026-09-08T08:24:05Z"), ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
		map[string]any{"functionName": "stock-sync", "s3Bucket": "shopfront-builds-euw1", "s3Key": "stock-sync/7f3e91.zip"},
		map[string]any{"functionName": "stock-sync", "functionArn": fmt.Sprintf("arn:aws:lambda:%s:%s:function:stock-sync", s.Region, s.Acct), "runtime": "nodejs20.x", "lastUpdateStatus": "InProgress", "codeSha256": "Xq3" + s.alnum(40, false)})
	s.CT(T("2026-09-08T09:31:40Z"), ci, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
		map[string]any{"functionName": "analytics-forwarder", "timeout": 60},
		map[string]any{"functionName": "analytics-forwarder", "timeout": 60, "lastUpdateStatus": "InProgress"})

	// ---- traffic: orders placed per minute, shaped by the morning ramp
	ordersPerMin := func(t time.Time) float64 {
		return 22 + 10*float64(t.Sub(start))/float64(end.Sub(start)) + 3*math.Sin(float64(t.Unix())/480)
	}
	apiStreams := []string{s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start)}
	recStreams := []string{s.LambdaStream(start), s.LambdaStream(start)}
	placed := map[time.Time]float64{}
	confirmed := map[time.Time]float64{}
	s.Every(start.Add(-time.Minute), end, 22, func(t time.Time) {
		placed[t.Truncate(time.Minute)]++
		order := fmt.Sprintf("ord_%s", s.alnum(12, false))
		st := apiStreams[s.R.Intn(len(apiStreams))]
		s.LambdaInvoke("/aws/lambda/order-api", st, t, s.jitter(48, 0.4), 512, 96+s.R.Intn(10), func(id string, t time.Time) {
			j := func(level, msg string, kv ...any) string {
				m := map[string]any{"timestamp": t.Format("2006-01-02T15:04:05.000Z"), "level": level, "message": msg, "service": "order-api", "xray_trace_id": s.TraceID(t), "function_request_id": id}
				for i := 0; i+1 < len(kv); i += 2 {
					m[kv[i].(string)] = kv[i+1]
				}
				b, _ := json.Marshal(m)
				return string(b)
			}
			switch k := s.R.Intn(20); {
			case k < 2:
				s.Log("/aws/lambda/order-api", st, t, j("ERROR", "Payment authorisation declined", "order_id", order, "error", "card_declined: insufficient_funds", "psp", "adyen"))
			case k < 3:
				s.Log("/aws/lambda/order-api", st, t, j("WARN", "Idempotent replay, order already exists", "order_id", order, "error", "ConditionalCheckFailedException: The conditional request failed"))
			default:
				s.Log("/aws/lambda/order-api", st, t, j("INFO", "Order placed", "order_id", order, "items", 1+s.R.Intn(5), "status", "PENDING"))
				s.Log("/aws/lambda/order-api", st, t.Add(20*time.Millisecond), j("INFO", "Published OrderPlaced", "order_id", order, "event_bus", "orders-bus", "failed_entry_count", 0))
			}
		})
		if t.Before(cause) {
			rt := t.Add(time.Duration(300+s.R.Intn(500)) * time.Millisecond)
			confirmed[rt.Truncate(time.Minute)]++
			rs := recStreams[s.R.Intn(len(recStreams))]
			s.LambdaInvoke("/aws/lambda/order-reconciler", rs, rt, s.jitter(140, 0.3), 256, 71+s.R.Intn(6), func(id string, t time.Time) {
				s.Log("/aws/lambda/order-reconciler", rs, t, fmt.Sprintf("%s\t%s\tINFO\treserving stock for %s (%d lines)", t.Format("2006-01-02T15:04:05.000Z"), id, order, 1+s.R.Intn(5)))
				if s.R.Intn(25) == 0 {
					s.Log("/aws/lambda/order-reconciler", rs, t.Add(60*time.Millisecond), fmt.Sprintf("%s\t%s\tWARN\twarehouse api slow (1.8s) for %s, retrying once", t.Format("2006-01-02T15:04:05.000Z"), id, order))
				}
				s.Log("/aws/lambda/order-reconciler", rs, t.Add(110*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\t%s PENDING -> CONFIRMED", t.Format("2006-01-02T15:04:05.000Z"), id, order))
			})
		}
	})
	fwStream := s.LambdaStream(start)
	s.Every(start, end, 4, func(t time.Time) {
		s.LambdaInvoke("/aws/lambda/analytics-forwarder", fwStream, t, s.jitter(900, 0.3), 1024, 300+s.R.Intn(40), func(id string, t time.Time) {
			s.Log("/aws/lambda/analytics-forwarder", fwStream, t, fmt.Sprintf("[INFO]\t%s\t%s\tforwarded batch of %d records to orders-analytics", t.Format("2006-01-02T15:04:05.000Z"), id, 20+s.R.Intn(80)))
			if s.R.Intn(4) == 0 {
				s.Log("/aws/lambda/analytics-forwarder", fwStream, t.Add(300*time.Millisecond), fmt.Sprintf("[ERROR]\t%s\t%s\tServiceUnavailableException: Slow down. (PutRecordBatch, 3 records failed, will retry)", t.Format("2006-01-02T15:04:05.000Z"), id))
			}
		})
	})
	ssStream := s.LambdaStream(start)
	for t := start.Add(90 * time.Second); t.Before(end); t = t.Add(5 * time.Minute) {
		s.LambdaInvoke("/aws/lambda/stock-sync", ssStream, t, s.jitter(4200, 0.2), 512, 180, func(id string, t time.Time) {
			s.Log("/aws/lambda/stock-sync", ssStream, t, fmt.Sprintf("%s\t%s\tINFO\tsynced %d SKUs from warehouse", t.Format("2006-01-02T15:04:05.000Z"), id, 1800+s.R.Intn(200)))
		})
	}

	// ---- metrics
	nan := math.NaN()
	s.Metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", "order-api"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return placed[t] })
	s.Metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", "order-reconciler"}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if confirmed[t] == 0 {
			return nan
		}
		return confirmed[t]
	})
	s.Metric("AWS/Lambda", "Errors", [][2]string{{"FunctionName", "order-reconciler"}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if confirmed[t] == 0 {
			return nan
		}
		return 0
	})
	s.Metric("AWS/Lambda", "Duration", [][2]string{{"FunctionName", "order-reconciler"}}, "Milliseconds", []string{"Average", "Maximum"}, func(t time.Time) float64 {
		if confirmed[t] == 0 {
			return nan
		}
		return s.jitter(140, 0.1)
	})
	ruleDims := [][2]string{{"EventBusName", "orders-bus"}, {"RuleName", "order-placed-to-reconciler"}}
	s.Metric("AWS/Events", "Invocations", ruleDims, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if confirmed[t] == 0 {
			return nan
		}
		return confirmed[t]
	})
	s.Metric("AWS/Events", "MatchedEvents", ruleDims, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if confirmed[t] == 0 {
			return nan
		}
		return confirmed[t]
	})
	s.Metric("AWS/Events", "Invocations", [][2]string{{"EventBusName", "orders-bus"}, {"RuleName", "order-placed-to-analytics"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return placed[t] })
	s.Metric("AWS/Lambda", "Errors", [][2]string{{"FunctionName", "order-api"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return float64(s.R.Intn(2)) })
	s.Metric("AWS/Lambda", "Duration", [][2]string{{"FunctionName", "analytics-forwarder"}}, "Milliseconds", []string{"Average", "Maximum"}, func(t time.Time) float64 {
		if t.After(T("2026-09-08T09:05:00Z")) && t.Before(T("2026-09-08T09:25:00Z")) {
			return s.jitter(2400, 0.2) // a Firehose slowdown, unrelated
		}
		return s.jitter(900, 0.15)
	})
	pending := 6.0
	pendingAt := map[time.Time]float64{}
	for t := start.Add(-time.Hour); t.Before(end); t = t.Add(time.Minute) {
		if t.Before(onset) {
			pending = float64(3 + s.R.Intn(8))
		} else {
			pending += ordersPerMin(t) * s.jitter(1, 0.1)
		}
		pendingAt[t] = math.Round(pending)
	}
	s.Metric("Shop/Orders", "PendingOrders", [][2]string{{"Environment", "prod"}}, "Count", []string{"Maximum", "Average"}, func(t time.Time) float64 { return pendingAt[t] })
	s.Metric("Shop/Orders", "OrdersPlaced", [][2]string{{"Environment", "prod"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return placed[t] })
	s.Metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", [][2]string{{"TableName", "orders"}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		return math.Round((placed[t] + confirmed[t]) * 2)
	})

	// ---- alarms
	topic := fmt.Sprintf("arn:aws:sns:%s:%s:orders-alerts", s.Region, s.Acct)
	reason := "Threshold Crossed: 3 out of the last 3 datapoints [612.0 (08/09/26 09:11:00), 583.0 (08/09/26 09:10:00), 553.0 (08/09/26 09:09:00)] were greater than the threshold (500.0) (minimum 3 datapoints for OK -> ALARM transition)."
	s.SimpleAlarm("orders-pending-backlog-high", "More than 500 orders waiting in PENDING", "Shop/Orders", "PendingOrders", "Maximum", [][2]string{{"Environment", "prod"}}, 60, 3, 3, 500, "GreaterThanThreshold", "ALARM", alarmAt, reason, topic)
	s.FireAlarm("orders-pending-backlog-high", alarmAt, reason, []float64{553, 583, 612}, 500, topic)
	s.SimpleAlarm("order-reconciler-errors", "order-reconciler failures", "AWS/Lambda", "Errors", "Sum", [][2]string{{"FunctionName", "order-reconciler"}}, 60, 5, 3, 5, "GreaterThanOrEqualToThreshold", "OK", T("2026-09-02T11:20:10Z"), "Threshold Crossed: no datapoints were received for 5 periods and 5 missing datapoints were treated as [NonBreaching].", topic)
	s.SimpleAlarm("firehose-orders-analytics-throttled", "Firehose throttling the forwarder", "AWS/Lambda", "Duration", "Average", [][2]string{{"FunctionName", "analytics-forwarder"}}, 300, 2, 2, 2000, "GreaterThanThreshold", "OK", T("2026-09-08T09:30:00Z"), "Threshold Crossed: 2 datapoints [912.4, 948.0] were not greater than the threshold (2000.0).", topic)
	s.StateChange("firehose-orders-analytics-throttled", "MetricAlarm", T("2026-09-08T09:20:00Z"), "OK", "ALARM", "Threshold Crossed: 2 datapoints [2388.1, 2441.7] were greater than the threshold (2000.0).", nil)
	s.StateChange("firehose-orders-analytics-throttled", "MetricAlarm", T("2026-09-08T09:30:00Z"), "ALARM", "OK", "Threshold Crossed: 2 datapoints [912.4, 948.0] were not greater than the threshold (2000.0).", nil)

	s.Truth = truth(s.Name, "eventbridge-rule-disabled", "orders-pending-backlog-high",
		map[string]any{"event_name": "DisableRule", "event_time": cause.Format(ts), "resource": "order-placed-to-reconciler"}, onset,
		[][2]any{{"PutRule", putRule}, {"PutTargets", putTargets}, {"TagResource20170331v2", tag}, {"UpdateFunctionCode20150331v2", T("2026-09-08T08:24:05Z")}},
		"DisableRule", "order-placed-to-reconciler", "PendingOrders", "order-reconciler")
	s.Write()
}
