package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// lambdaNeighbourConcurrency: to drain a thumbnail backlog an engineer
// raises image-thumbnailer's reserved concurrency from 100 to 850 in an
// account limited to 1000. The thumbnailer's SQS pollers fill the new
// reservation within a minute and the unreserved pool left to every other
// function shrinks to 130, below cart-api's peak demand: cart-api throttles
// (429 to API Gateway, 500 to shoppers) without a single error line in its
// own log group.
func lambdaNeighbourConcurrency(root string) {
	start, end := T("2026-08-19T10:00:00Z"), T("2026-08-19T11:30:00Z")
	s := NewSnap(root, "lambda-reserved-concurrency-neighbour", "sa-east-1", "376520918443", 407, start, end)
	s.Title = "storefront-api 5XXError in ALARM"
	s.Arch = "API Gateway REST API storefront-api (stage live, execution logging at ERROR level) proxies /cart/* to the Lambda cart-api (Python 3.12, Powertools JSON logs, no reserved concurrency). " +
		"image-thumbnailer (Python) consumes the SQS queue thumbnail-jobs fed by S3 uploads and has reserved concurrency; ledger-sync has reserved concurrency too; order-webhooks is unreserved. " +
		"The account's regional Lambda concurrency limit is 1000."
	apiID := "r8d2k5x1p0"
	codeUpdate := T("2026-08-19T10:29:10Z")
	ledgerLower := T("2026-08-19T10:31:12Z")
	cause := T("2026-08-19T10:44:05Z")
	alarmAt := T("2026-08-19T10:49:27Z")

	s.CTStart = start.Add(-15 * time.Minute)
	s.RoutineCT(Routine{PerMin: 3, KeyID: "9e2d7b04-c31a-4f58-8d6e-a0b3f1c7e259",
		Monitor: s.RoleActor("lumigo-integration", "lumigo", "aws-sdk-js/3.614.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.15.1 api/cloudwatch#3.614.0", "52.67.18.204"),
		Workloads: []Workload{
			{Role: "cart-api-role", Principal: "lambda.amazonaws.com", Params: []string{"/storefront/cart/config", "/storefront/cart/pricing-url"}, LogGroup: "/aws/lambda/cart-api"},
			{Role: "image-thumbnailer-role", Principal: "lambda.amazonaws.com", Params: []string{"/media/thumbnailer/sizes"}, LogGroup: "/aws/lambda/image-thumbnailer"},
			{Role: "ledger-sync-role", Principal: "lambda.amazonaws.com", Params: []string{"/finance/ledger-sync/config"}, Secret: "finance/erp-token"},
		}})
	fnArn := func(n string) string { return "arn:aws:lambda:sa-east-1:" + s.Acct + ":function:" + n }
	ci := s.RoleActor("circleci-deploy", "circleci-"+s.alnum(8, false), "aws-sdk-js/3.637.0 ua/2.1 os/linux#5.15.0-1057-aws lang/js md/nodejs#20.17.0 api/lambda#3.637.0 exec-env/CircleCI serverless/4.4.0", "54.233.107.11")
	s.CT(codeUpdate, ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", map[string]any{"functionName": "cart-api", "s3Bucket": "storefront-deploys-sa", "s3Key": "serverless/storefront/live/1755599330/cart-api.zip"},
		map[string]any{"functionName": "cart-api", "functionArn": fnArn("cart-api"), "runtime": "python3.12", "handler": "cart.handler", "codeSize": 4821133, "timeout": 10, "memorySize": 512,
			"version": "$LATEST", "state": "Active", "lastUpdateStatus": "InProgress", "lastUpdateStatusReason": "The function is being created.", "codeSha256": s.alnum(43, false) + "="})
	s.CT(codeUpdate.Add(9*time.Second), ci, "lambda.amazonaws.com", "PublishVersion20150331", map[string]any{"functionName": "cart-api", "codeSha256": s.alnum(43, false) + "="},
		map[string]any{"functionName": "cart-api", "version": "88", "functionArn": fnArn("cart-api") + ":88"})
	s.CT(codeUpdate.Add(12*time.Second), ci, "lambda.amazonaws.com", "UpdateAlias20150331", map[string]any{"functionName": "cart-api", "name": "live", "functionVersion": "88"},
		map[string]any{"aliasArn": fnArn("cart-api") + ":live", "name": "live", "functionVersion": "88"})
	fin := s.SSOActor("FinanceEngineer", "beatriz.lima@lojaexemplo.com.br", "177.92.41.18")
	s.CT(ledgerLower.Add(-40*time.Second), fin, "lambda.amazonaws.com", "GetFunctionConcurrency", map[string]any{"functionName": "ledger-sync"}, nil, ReadOnly)
	s.CT(ledgerLower, fin, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", map[string]any{"functionName": "ledger-sync", "reservedConcurrentExecutions": 20}, map[string]any{"reservedConcurrentExecutions": 20})
	media := s.SSOActor("MediaTeamAdmin", "rafael.souza@lojaexemplo.com.br", "187.11.203.9")
	s.CT(cause.Add(-3*time.Minute), media, "lambda.amazonaws.com", "GetAccountSettings20160819", map[string]any{}, nil, ReadOnly)
	s.CT(cause.Add(-150*time.Second), media, "lambda.amazonaws.com", "GetFunction20150331v2", map[string]any{"functionName": "image-thumbnailer"}, nil, ReadOnly)
	s.CT(cause.Add(-80*time.Second), media, "lambda.amazonaws.com", "GetFunctionConcurrency", map[string]any{"functionName": "image-thumbnailer"}, nil, ReadOnly)
	s.CT(cause, media, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", map[string]any{"functionName": "image-thumbnailer", "reservedConcurrentExecutions": 850}, map[string]any{"reservedConcurrentExecutions": 850})
	s.CT(cause.Add(70*time.Second), media, "sqs.amazonaws.com", "GetQueueAttributes", map[string]any{"queueUrl": "https://sqs.sa-east-1.amazonaws.com/" + s.Acct + "/thumbnail-jobs", "attributeNames": []string{"All"}}, nil, ReadOnly)
	// Lambda's SQS pollers are AWS-made; the event source mapping itself is not changed.
	s.CT(T("2026-08-19T10:12:40Z"), ci, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", map[string]any{"functionName": "order-webhooks", "environment": map[string]any{}},
		map[string]any{"functionName": "order-webhooks", "lastUpdateStatus": "InProgress"})

	// ---- concurrency model, per second
	thumb := func(t time.Time) float64 { // concurrent executions of the thumbnailer
		if t.Before(cause.Add(12 * time.Second)) {
			return 100
		}
		if t.After(T("2026-08-19T11:18:00Z")) { // backlog drained
			return ramp(t, T("2026-08-19T11:18:00Z"), T("2026-08-19T11:22:00Z"), 845, 240)
		}
		return ramp(t, cause.Add(12*time.Second), cause.Add(50*time.Second), 100, 845)
	}
	ledger := func(t time.Time) float64 { return 12 + 6*math.Sin(float64(t.Unix())/300) }
	reserved := func(t time.Time) (float64, float64) {
		th, lg := 100.0, 50.0
		if !t.Before(ledgerLower) {
			lg = 20
		}
		if !t.Before(cause) {
			th = 850
		}
		return th, lg
	}
	demand := func(t time.Time) float64 {
		x := float64(t.Sub(start)) / float64(time.Hour)
		return 118 + 22*math.Sin(x*4.1) + 9*math.Sin(float64(t.Unix())/37)
	}
	throttleP := func(t time.Time) float64 {
		th, lg := reserved(t)
		avail := 1000 - th - lg - 14 // order-webhooks and others
		_ = thumb
		if d := demand(t); d > avail && thumb(t) > 700 {
			return (d - avail) / d
		}
		return 0
	}
	// ---- requests to cart-api
	streams := []string{s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start)}
	throttles := map[time.Time]float64{}
	inv := map[time.Time]float64{}
	api5xx := map[time.Time]float64{}
	execGroup := "API-Gateway-Execution-Logs_" + apiID + "/live"
	var first time.Time
	ver := "2.6.4"
	s.Every(start, end, 30, func(t time.Time) {
		m := t.Truncate(time.Minute)
		gwID := s.uuid()
		route := []string{"GET /cart/{id}", "POST /cart/{id}/items", "POST /cart/{id}/checkout"}[s.R.Intn(3)]
		status := 200
		if s.R.Float64() < throttleP(t) {
			if first.IsZero() {
				first = t
			}
			throttles[m] += 15
			api5xx[m]++
			status = 500
			lid := s.uuid()
			es := apiID + "-" + s.hex(8)
			s.Log(execGroup, es, t.Add(3*time.Millisecond), fmt.Sprintf("(%s) Lambda invocation failed with status: 429. Lambda request id: %s", gwID, lid))
			s.Log(execGroup, es, t.Add(3*time.Millisecond), fmt.Sprintf("(%s) Execution failed due to configuration error: Rate Exceeded.", gwID))
			s.Log(execGroup, es, t.Add(4*time.Millisecond), fmt.Sprintf("(%s) Method completed with status: 500", gwID))
		} else {
			inv[m]++
			if t.After(codeUpdate.Add(40 * time.Second)) {
				ver = "2.7.0"
			}
			st := streams[s.R.Intn(len(streams))]
			s.LambdaInvoke("/aws/lambda/cart-api", st, t.Add(5*time.Millisecond), s.jitter(85, 0.4), 512, 120+s.R.Intn(15), func(id string, t time.Time) {
				lvl, msg, extra := "INFO", "cart updated", map[string]any{"cart_id": "cart_" + s.alnum(10, false), "route": route, "items": 1 + s.R.Intn(8)}
				switch k := s.R.Intn(40); {
				case k < 2:
					lvl, msg, extra = "ERROR", "coupon service unavailable", map[string]any{"error": "HTTPError: 503 Server Error: Service Unavailable for url: https://coupons.internal/v1/validate", "route": route}
				case k < 4:
					lvl, msg = "WARNING", "price cache miss, calling pricing-api"
				}
				rec := map[string]any{"level": lvl, "location": "cart.handler:87", "message": msg, "timestamp": t.Format("2006-01-02 15:04:05,000+0000"), "service": "cart-api",
					"cold_start": s.R.Intn(50) == 0, "function_name": "cart-api", "function_memory_size": "512", "function_arn": fnArn("cart-api"), "function_request_id": id, "version": ver, "xray_trace_id": s.TraceID(t)}
				for k, v := range extra {
					rec[k] = v
				}
				b, _ := json.Marshal(rec)
				s.Log("/aws/lambda/cart-api", st, t, string(b))
				if lvl == "ERROR" {
					status = 502
				}
			})
		}
		acc, _ := json.Marshal(map[string]any{"requestId": gwID, "ip": fmt.Sprintf("%d.%d.%d.%d", 177+s.R.Intn(15), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(254)), "requestTime": t.Format("02/Jan/2006:15:04:05 -0700"),
			"routeKey": route, "status": fmt.Sprint(status), "integrationStatus": map[bool]string{true: "429", false: "200"}[status == 500], "responseLatency": fmt.Sprint(map[bool]int{true: 6, false: 95}[status == 500])})
		s.Log("/aws/apigateway/storefront-api-live-access", apiID+"_live", t.Add(90*time.Millisecond), string(acc))
		if status == 502 {
			s.Log(execGroup, apiID+"-"+s.hex(8), t.Add(90*time.Millisecond), fmt.Sprintf("(%s) Method completed with status: 502", gwID))
		}
		if s.R.Intn(25) == 0 {
			gw := s.Seg("storefront-api/live", t, 95*time.Millisecond)
			gw["origin"] = "AWS::ApiGateway::Stage"
			gw["resource_arn"] = "arn:aws:apigateway:sa-east-1::/restapis/" + apiID + "/stages/live"
			gw["http"] = map[string]any{"request": map[string]any{"method": route[:len(route)-len(route[indexSpace(route):])], "url": "https://api.lojaexemplo.com.br/cart/" + s.alnum(8, false)}, "response": map[string]any{"status": status}}
			sub := s.AWSSub("Lambda", "Invoke", t.Add(2*time.Millisecond), 90*time.Millisecond, 200, map[string]any{"function_name": "cart-api", "resource_names": []string{"cart-api"}})
			if status == 500 {
				sub["end_time"] = epoch(t.Add(5 * time.Millisecond))
				sub["http"] = map[string]any{"response": map[string]any{"status": 429}}
				sub["throttle"], sub["error"] = true, true
				s.Cause(sub, "TooManyRequestsException", "Rate Exceeded.", true)
				gw["fault"] = true
			}
			gw["subsegments"] = []any{sub}
			s.Trace(s.TraceID(t), 0.095, gw)
		}
	})
	// thumbnailer: busy, with its own long-standing decode errors; more lines once it scales out
	thStreams := []string{}
	for i := 0; i < 12; i++ {
		thStreams = append(thStreams, s.LambdaStream(start))
	}
	s.Every(start, end, 10, func(t time.Time) {
		if s.R.Float64() > thumb(t)/845*0.7+0.3 {
			return
		}
		st := thStreams[s.R.Intn(len(thStreams))]
		s.LambdaInvoke("/aws/lambda/image-thumbnailer", st, t, s.jitter(2300, 0.3), 2048, 600+s.R.Intn(300), func(id string, t time.Time) {
			if s.R.Intn(12) == 0 {
				s.Log("/aws/lambda/image-thumbnailer", st, t, fmt.Sprintf("[ERROR]\t%s\t%s\tPIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7f%s>", t.Format("2006-01-02T15:04:05.000Z"), id, s.hex(10)))
				return
			}
			s.Log("/aws/lambda/image-thumbnailer", st, t, fmt.Sprintf("[INFO]\t%s\t%s\tthumbnails written for uploads/%s.jpg (3 sizes)", t.Format("2006-01-02T15:04:05.000Z"), id, s.alnum(16, false)))
		})
	})

	// ---- metrics (per minute from the per-second model)
	avgOver := func(t time.Time, f func(time.Time) float64) float64 {
		sum := 0.0
		for i := 0; i < 60; i += 5 {
			sum += f(t.Add(time.Duration(i) * time.Second))
		}
		return sum / 12
	}
	fn := func(n string) [][2]string { return [][2]string{{"FunctionName", n}} }
	s.Metric("AWS/Lambda", "Throttles", fn("cart-api"), "Count", []string{"Sum"}, func(t time.Time) float64 {
		if throttles[t] == 0 {
			return 0
		}
		return throttles[t]
	})
	s.Metric("AWS/Lambda", "Invocations", fn("cart-api"), "Count", []string{"Sum"}, func(t time.Time) float64 { return inv[t] * 15 })
	s.Metric("AWS/Lambda", "ConcurrentExecutions", fn("cart-api"), "Count", []string{"Maximum", "Average"}, func(t time.Time) float64 {
		th, lg := reserved(t)
		return math.Min(avgOver(t, demand), 1000-th-lg-14)
	})
	s.Metric("AWS/Lambda", "Errors", fn("cart-api"), "Count", []string{"Sum"}, func(t time.Time) float64 { return 0 })
	s.Metric("AWS/Lambda", "ConcurrentExecutions", fn("image-thumbnailer"), "Count", []string{"Maximum", "Average"}, func(t time.Time) float64 { return math.Round(avgOver(t, thumb)) })
	s.Metric("AWS/Lambda", "Throttles", fn("image-thumbnailer"), "Count", []string{"Sum"}, func(t time.Time) float64 {
		if t.Before(cause) {
			return math.Round(s.jitter(340, 0.2)) // capped at its old reservation, long before
		}
		return 0
	})
	s.Metric("AWS/Lambda", "ConcurrentExecutions", nil, "Count", []string{"Maximum"}, func(t time.Time) float64 {
		return math.Round(avgOver(t, thumb) + avgOver(t, ledger) + math.Min(avgOver(t, demand), 116) + 12)
	})
	s.Metric("AWS/Lambda", "UnreservedConcurrentExecutions", nil, "Count", []string{"Maximum"}, func(t time.Time) float64 {
		th, lg := reserved(t)
		return math.Round(math.Min(avgOver(t, demand)+12, 1000-th-lg))
	})
	s.Metric("AWS/Lambda", "Duration", fn("ledger-sync"), "Milliseconds", []string{"Average"}, func(t time.Time) float64 { return s.jitter(1800, 0.2) })
	s.MetricPeriod("AWS/SQS", "ApproximateNumberOfMessagesVisible", [][2]string{{"QueueName", "thumbnail-jobs"}}, "Count", []string{"Maximum"}, 5*time.Minute, func(t time.Time) float64 {
		if t.Before(cause) {
			return math.Round(180000 + float64(t.Sub(start).Minutes())*900)
		}
		return math.Round(math.Max(0, 220000-float64(t.Sub(cause).Minutes())*6500))
	})
	api := [][2]string{{"ApiName", "storefront-api"}, {"Stage", "live"}}
	s.Metric("AWS/ApiGateway", "5XXError", api, "Count", []string{"Sum"}, func(t time.Time) float64 { return api5xx[t]*15 + float64(s.R.Intn(3)) })
	s.Metric("AWS/ApiGateway", "Count", api, "Count", []string{"Sum"}, func(t time.Time) float64 { return math.Round(s.jitter(440, 0.05)) })

	topic := "arn:aws:sns:sa-east-1:" + s.Acct + ":storefront-oncall"
	reason := "Threshold Crossed: 3 out of the last 4 datapoints [71.0 (19/08/26 10:48:00), 96.0 (19/08/26 10:47:00), 58.0 (19/08/26 10:46:00)] were greater than the threshold (20.0) (minimum 3 datapoints for OK -> ALARM transition)."
	s.SimpleAlarm("storefront-api-5xx", "storefront-api live 5XXError", "AWS/ApiGateway", "5XXError", "Sum", api, 60, 4, 3, 20, "GreaterThanThreshold", "ALARM", alarmAt, reason, topic)
	s.FireAlarm("storefront-api-5xx", alarmAt, reason, []float64{58, 96, 71}, 20, topic)
	s.SimpleAlarm("thumbnail-backlog", "thumbnail-jobs backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", [][2]string{{"QueueName", "thumbnail-jobs"}}, 300, 3, 3, 100000, "GreaterThanThreshold", "ALARM", T("2026-08-19T07:40:00Z"), "Threshold Crossed: 3 datapoints [181220.0, 179300.0, 176540.0] were greater than the threshold (100000.0).", topic)
	s.StateChange("thumbnail-backlog", "MetricAlarm", T("2026-08-19T07:40:00Z"), "OK", "ALARM", "Threshold Crossed: 3 datapoints [181220.0, 179300.0, 176540.0] were greater than the threshold (100000.0).", nil)
	s.SimpleAlarm("cart-api-errors", "cart-api function errors", "AWS/Lambda", "Errors", "Sum", fn("cart-api"), 60, 3, 3, 5, "GreaterThanThreshold", "OK", T("2026-08-18T16:00:00Z"), "Threshold Crossed: 3 datapoints [0.0, 0.0, 0.0] were not greater than the threshold (5.0).", topic)

	s.Truth = truth(s.Name, "lambda-concurrency-neighbour", "storefront-api-5xx",
		map[string]any{"event_name": "PutFunctionConcurrency20171031", "event_time": cause.Format(ts), "resource": "image-thumbnailer"}, first.Truncate(time.Second),
		[][2]any{{"UpdateFunctionCode20150331v2", codeUpdate}, {"PutFunctionConcurrency20171031", ledgerLower}, {"UpdateAlias20150331", codeUpdate.Add(12 * time.Second)}, {"UpdateFunctionConfiguration20150331v2", T("2026-08-19T10:12:40Z")}},
		"Rate Exceeded", "Throttles", "image-thumbnailer", "PutFunctionConcurrency")
	s.Write()
}
