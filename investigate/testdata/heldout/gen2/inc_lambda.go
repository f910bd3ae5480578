package main

import (
	"fmt"
	"time"
)

// lambdaConcurrencyZero: a developer meaning to pause the staging copy sets
// reserved concurrency 0 on the production ingest-webhook function. Every
// invocation is throttled before it runs, so the function simply goes
// quiet: no error is logged anywhere; API Gateway answers 500 and the
// Throttles metric climbs.
func lambdaConcurrencyZero() *world {
	w := newWorld("lambda-concurrency-zero", 4404, "ap-southeast-2", "564738291046", ts("2026-08-19T22:10:00Z"), 70)
	w.title = "partners report webhook deliveries failing with HTTP 500"
	w.arch = "API Gateway REST API webhooks-api (stage prod, Lambda proxy integration) → Lambda ingest-webhook (Python 3.12, Powertools logger) validates and enqueues to SQS webhook-events → Lambda webhook-processor (Node.js 20) consumes batches and writes to DynamoDB partner-events. report-builder (Python) runs every 5 minutes from EventBridge Scheduler. A staging copy ingest-webhook-stg lives in the same account."
	change := ts("2026-08-19T22:52:14Z")
	onset := ts("2026-08-19T22:52:35Z")
	alarmAt := ts("2026-08-19T22:54:02Z")
	procDeploy := ts("2026-08-19T22:48:30Z")
	fnArn := func(n string) string { return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", w.region, w.account, n) }

	lambdaStream := func(t time.Time) string { return t.UTC().Format("2006/01/02") + "/[$LATEST]" + w.hex(32) }
	report := func(group, stream string, t time.Time, id string, dur float64, mem, used int, extra string) {
		billed := int(dur) + 1
		w.log(group, stream, t, fmt.Sprintf("END RequestId: %s", id))
		w.log(group, stream, t, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t%s", id, dur, billed, mem, used, extra))
	}

	// ingest-webhook: ~1.5 requests/s from partners, 3–6 warm environments.
	ig := "/aws/lambda/ingest-webhook"
	streams := []string{lambdaStream(w.start), lambdaStream(w.start), lambdaStream(w.start)}
	partners := []string{"shopify", "stripe", "xero", "zendesk", "hubspot"}
	for t := w.start; t.Before(w.end); t = t.Add(300*time.Millisecond + w.jitter(900*time.Millisecond)) {
		if !t.Before(onset) {
			break // throttled: the function never runs again
		}
		if w.r.Intn(400) == 0 {
			streams[w.r.Intn(len(streams))] = lambdaStream(t)
			s := streams[w.r.Intn(len(streams))]
			w.log(ig, s, t.Add(-400*time.Millisecond), "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:ap-southeast-2::runtime:5e8de6bd50d624376ae13237e86c698fc23138eacd8186371c6930c98779d08f")
		}
		s := streams[w.r.Intn(len(streams))]
		id := w.uuid()
		p := partners[w.r.Intn(len(partners))]
		tid := w.traceID(t)
		w.log(ig, s, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
		dur := 18 + w.r.Float64()*40
		if w.r.Intn(25) == 0 {
			w.log(ig, s, t.Add(5*time.Millisecond), fmt.Sprintf(`{"level":"WARNING","location":"verify_signature:61","message":"signature verification failed, returning 401","timestamp":"%s","service":"ingest-webhook","partner":"%s","cold_start":false,"function_request_id":"%s","xray_trace_id":"%s"}`, t.UTC().Format("2006-01-02 15:04:05,000+0000"), p, id, tid))
		} else {
			w.log(ig, s, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf(`{"level":"INFO","location":"handler:88","message":"webhook accepted","timestamp":"%s","service":"ingest-webhook","partner":"%s","event_type":"%s","sqs_message_id":"%s","cold_start":false,"function_request_id":"%s","xray_trace_id":"%s"}`, t.UTC().Format("2006-01-02 15:04:05,000+0000"), p, w.pick("order.created", "invoice.paid", "ticket.updated", "contact.merged"), w.uuid(), id, tid))
		}
		report(ig, s, t.Add(time.Duration(dur)*time.Millisecond+time.Millisecond), id, dur, 256, 71+w.r.Intn(8), "")
	}

	// webhook-processor: SQS batches, a steady trickle of timeouts, a deploy.
	wp := "/aws/lambda/webhook-processor"
	wpStreams := []string{lambdaStream(w.start), lambdaStream(w.start)}
	for t := w.start; t.Before(w.end); t = t.Add(2*time.Second + w.jitter(3*time.Second)) {
		if t.After(procDeploy.Add(20*time.Second)) && wpStreams[0][0:4] != "NEW:" {
			wpStreams = []string{"NEW:" + lambdaStream(t), "NEW:" + lambdaStream(t)}
			for _, s := range wpStreams {
				w.log(wp, s[4:], t.Add(-300*time.Millisecond), "INIT_START Runtime Version: nodejs:20.v41\tRuntime Version ARN: arn:aws:lambda:ap-southeast-2::runtime:0cdcfbdefbc5e7d3343f73c2e2dd4cba17d61dea0686b404502a0c9ce83931b9")
			}
		}
		s := wpStreams[w.r.Intn(2)]
		if s[0:4] == "NEW:" {
			s = s[4:]
		}
		n := 1 + w.r.Intn(10)
		if !t.Before(onset.Add(20 * time.Second)) {
			if w.r.Intn(8) > 0 {
				continue // the queue has dried up; only stragglers
			}
			n = 1
		}
		id := w.uuid()
		w.log(wp, s, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
		if w.r.Intn(90) == 0 {
			w.log(wp, s, t.Add(10010*time.Millisecond), fmt.Sprintf("%s %s Task timed out after 10.01 seconds", t.Add(10010*time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z"), id))
			report(wp, s, t.Add(10012*time.Millisecond), id, 10010.94, 512, 141, "Status: timeout")
			continue
		}
		w.log(wp, s, t.Add(20*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tprocessed %d records from webhook-events (partner-events writes: %d)", t.Add(20*time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z"), id, n, n))
		if w.r.Intn(12) == 0 {
			w.log(wp, s, t.Add(30*time.Millisecond), fmt.Sprintf("%s\t%s\tERROR\tInvoke Error \t{\"errorType\":\"ConditionalCheckFailedException\",\"errorMessage\":\"The conditional request failed\",\"name\":\"ConditionalCheckFailedException\",\"$fault\":\"client\",\"stack\":[\"ConditionalCheckFailedException: The conditional request failed\",\"    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:859:20)\"]}", t.Add(30*time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z"), id))
		}
		report(wp, s, t.Add(60*time.Millisecond), id, 40+w.r.Float64()*200, 512, 120+w.r.Intn(20), "")
	}

	// report-builder: every 5 minutes, now and then out of memory.
	rb := "/aws/lambda/report-builder"
	rbStream := lambdaStream(w.start)
	for n, t := 0, w.start.Add(17*time.Second); t.Before(w.end); n, t = n+1, t.Add(5*time.Minute) {
		id := w.uuid()
		w.log(rb, rbStream, t, fmt.Sprintf("START RequestId: %s Version: 14", id))
		w.log(rb, rbStream, t.Add(200*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tbuilding partner usage report for window ending %s", t.Add(200*time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z"), id, t.Truncate(time.Hour).UTC().Format(time.RFC3339)))
		if n%3 == 1 { // the big partners' reports have been OOMing for weeks
			end := t.Add(time.Duration(6000+w.r.Intn(3000)) * time.Millisecond)
			w.log(rb, rbStream, end, fmt.Sprintf("%s %s Error: Runtime exited with error: signal: killed", end.UTC().Format("2006-01-02T15:04:05.000Z"), id))
			report(rb, rbStream, end.Add(time.Millisecond), id, float64(end.Sub(t).Milliseconds()), 512, 512, "Status: error\tError Type: Runtime.OutOfMemory")
			rbStream = lambdaStream(end)
			continue
		}
		report(rb, rbStream, t.Add(4*time.Second), id, 3800+w.r.Float64()*300, 512, 430+w.r.Intn(60), "")
	}

	// Metrics: the failure is only here.
	on := func(t time.Time) bool { return !t.Before(onset.Truncate(time.Minute)) }
	fn := func(n string) [][2]string { return [][2]string{{"FunctionName", n}} }
	api := [][2]string{{"ApiName", "webhooks-api"}, {"Stage", "prod"}}
	rate := func() float64 { return float64(70 + w.r.Intn(30)) }
	w.metric("AWS/ApiGateway", "Count", api, "Count", 60, func(t time.Time) (stat, bool) { return countStat(rate()), true })
	w.metric("AWS/ApiGateway", "5XXError", api, "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			v := rate() - 2
			return stat{n: v + 2, sum: v, min: 0, max: 1}, true
		}
		return stat{n: rate(), sum: 0, min: 0, max: 0}, true
	})
	w.metric("AWS/ApiGateway", "4XXError", api, "Count", 60, func(t time.Time) (stat, bool) {
		v := float64(1 + w.r.Intn(5))
		return stat{n: 80, sum: v, min: 0, max: 1}, true
	})
	w.metric("AWS/ApiGateway", "Latency", api, "Milliseconds", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return gaugeStat(14+w.r.Float64()*4, 6, 80), true
		}
		return gaugeStat(62+w.r.Float64()*15, 30, 80), true
	})
	w.metric("AWS/Lambda", "Invocations", fn("ingest-webhook"), "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return stat{}, false
		}
		return countStat(rate()), true
	})
	w.metric("AWS/Lambda", "Throttles", fn("ingest-webhook"), "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return countStat(rate()), true
		}
		return stat{}, false
	})
	w.metric("AWS/Lambda", "Errors", fn("ingest-webhook"), "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return stat{}, false
		}
		return stat{n: rate(), sum: 0}, true
	})
	w.metric("AWS/Lambda", "Duration", fn("ingest-webhook"), "Milliseconds", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return stat{}, false
		}
		return gaugeStat(38+w.r.Float64()*6, 20, 80), true
	})
	w.metric("AWS/Lambda", "Errors", fn("webhook-processor"), "Count", 60, func(t time.Time) (stat, bool) {
		return stat{n: 20, sum: float64(w.r.Intn(3)), max: 1}, true
	})
	w.metric("AWS/Lambda", "Invocations", fn("webhook-processor"), "Count", 60, func(t time.Time) (stat, bool) {
		if !t.Before(onset.Add(time.Minute).Truncate(time.Minute)) {
			return countStat(float64(w.r.Intn(3))), true
		}
		return countStat(float64(18 + w.r.Intn(8))), true
	})
	w.metric("AWS/Lambda", "Errors", fn("report-builder"), "Count", 300, func(t time.Time) (stat, bool) {
		return stat{n: 1, sum: float64(w.r.Intn(2)), max: 1}, true
	})
	w.metric("AWS/SQS", "NumberOfMessagesSent", [][2]string{{"QueueName", "webhook-events"}}, "Count", 60, func(t time.Time) (stat, bool) {
		if on(t) {
			return countStat(0), true
		}
		return countStat(rate() * 0.95), true
	})
	w.metric("AWS/Lambda", "ConcurrentExecutions", [][2]string{}, "Count", 60, func(t time.Time) (stat, bool) {
		v := 9.0
		if on(t) {
			v = 3
		}
		return gaugeStat(v+float64(w.r.Intn(4)), 2, 60), true
	})

	w.alarm("webhooks-api-5xx", "webhooks-api prod answers 5xx (partner deliveries fail)", "AWS/ApiGateway", "5XXError", "Sum", api, 60, 1, 5, "GreaterThanOrEqualToThreshold", w.start.Add(-8*24*time.Hour), alarmAt, 84, fmt.Sprintf("arn:aws:sns:%s:%s:integrations-oncall", w.region, w.account))
	w.okAlarm("webhook-processor-errors", "AWS/Lambda", "Errors", "Sum", fn("webhook-processor"), 25, "GreaterThanOrEqualToThreshold")
	w.okAlarm("report-builder-errors", "AWS/Lambda", "Errors", "Sum", fn("report-builder"), 3, "GreaterThanOrEqualToThreshold")

	// CloudTrail.
	dev := w.ssoUser("Developer", "t.wright@partnerhub.com.au", "101.188.67.204")
	dev2 := w.ssoUser("Developer", "a.sharma@partnerhub.com.au", "120.148.9.77")
	cb := w.roleActor("codebuild-webhook-processor-service-role", "AWSCodeBuild-"+w.uuid(), "13.236.8.45", "aws-cli/2.17.51 md/awscrt#0.21.2 ua/2.0 os/linux#4.14.355-275.570.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython exec-env/AWS_ECS_EC2 cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off md/command#lambda.update-function-code")
	igRole := w.roleActor("ingest-webhook-role", "ingest-webhook", "3.104.22.90", "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.224-237.883.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.5 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145")
	sched := w.serviceRole("scheduler-report-builder-role", w.hex(32), "scheduler.amazonaws.com")
	w.routine(7, []func(time.Time){
		w.assumeRoleBySvc("lambda.amazonaws.com", "ingest-webhook-role"),
		w.assumeRoleBySvc("lambda.amazonaws.com", "webhook-processor-role"),
		w.decrypt(igRole, "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", map[string]any{"aws:lambda:FunctionArn": fnArn("ingest-webhook")}),
		w.getSecret(igRole, fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/webhooks/partner-signing-keys-7HkP2q", w.region, w.account)),
		w.readCall(dev, "lambda.amazonaws.com", "ListFunctions20150331", map[string]any{"functionVersion": "ALL", "maxItems": 50}),
		w.readCall(dev, "lambda.amazonaws.com", "GetFunction20150331v2", map[string]any{"functionName": w.pick("ingest-webhook", "ingest-webhook-stg", "webhook-processor")}),
		w.readCall(dev2, "cloudwatch.amazonaws.com", "DescribeAlarms", map[string]any{"maxRecords": 100}),
		w.createLogStream(serviceActor("lambda.amazonaws.com"), "/aws/lambda/webhook-processor"),
		func(t time.Time) {
			w.call(t, sched, ct{source: "lambda.amazonaws.com", name: "Invoke", data: true, req: map[string]any{"functionName": fnArn("report-builder"), "invocationType": "Event"}, resources: w.res("AWS::Lambda::Function", fnArn("report-builder"))})
		},
	})
	// Decoy: CI deploys webhook-processor 4 minutes before.
	w.call(procDeploy, cb, ct{source: "lambda.amazonaws.com", name: "UpdateFunctionCode20150331v2",
		req:  map[string]any{"functionName": "webhook-processor", "publish": true, "dryRun": false, "s3Bucket": "partnerhub-artifacts-apse2", "s3Key": "webhook-processor/3e91c0d.zip"},
		resp: map[string]any{"functionName": "webhook-processor", "functionArn": fnArn("webhook-processor") + ":58", "runtime": "nodejs20.x", "handler": "index.handler", "codeSize": 2418833, "version": "58", "state": "Pending", "lastUpdateStatus": "InProgress", "codeSha256": "Yk0c9tP3+" + w.upperAlnum(34) + "=", "memorySize": 512, "timeout": 10}})
	w.call(procDeploy.Add(11*time.Second), cb, ct{source: "lambda.amazonaws.com", name: "UpdateAlias20150331",
		req:  map[string]any{"functionName": "webhook-processor", "name": "live", "functionVersion": "58"},
		resp: map[string]any{"aliasArn": fnArn("webhook-processor") + ":live", "name": "live", "functionVersion": "58"}})
	// Decoy: another developer raises reserved concurrency on report-builder.
	w.call(ts("2026-08-19T22:49:12Z"), dev2, ct{source: "lambda.amazonaws.com", name: "PutFunctionConcurrency20171031",
		req: map[string]any{"functionName": "report-builder", "reservedConcurrentExecutions": 5}, resp: map[string]any{"reservedConcurrentExecutions": 5}})
	// Decoy: a tag on the same function, same developer, 76 s before.
	w.call(ts("2026-08-19T22:50:58Z"), dev, ct{source: "lambda.amazonaws.com", name: "TagResource20170331v2",
		req: map[string]any{"resource": fnArn("ingest-webhook"), "tags": map[string]any{"cost-center": "integrations", "owner": "t.wright"}}})
	// Root cause.
	w.call(change, dev, ct{source: "lambda.amazonaws.com", name: "PutFunctionConcurrency20171031",
		req: map[string]any{"functionName": "ingest-webhook", "reservedConcurrentExecutions": 0}, resp: map[string]any{"reservedConcurrentExecutions": 0}})
	// What the developer meant to do, 86 s later.
	w.call(ts("2026-08-19T22:53:40Z"), dev, ct{source: "lambda.amazonaws.com", name: "PutFunctionConcurrency20171031",
		req: map[string]any{"functionName": "ingest-webhook-stg", "reservedConcurrentExecutions": 0}, resp: map[string]any{"reservedConcurrentExecutions": 0}})

	w.truth = map[string]any{
		"name": w.name, "kind": "lambda-concurrency", "alarm": "webhooks-api-5xx",
		"root_cause": map[string]any{"event_name": "PutFunctionConcurrency20171031", "event_time": change, "resource": "ingest-webhook"},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "UpdateFunctionCode20150331v2", "event_time": procDeploy},
			{"event_name": "TagResource20170331v2", "event_time": ts("2026-08-19T22:50:58Z")},
			{"event_name": "PutFunctionConcurrency20171031", "event_time": ts("2026-08-19T22:49:12Z")},
			{"event_name": "PutFunctionConcurrency20171031", "event_time": ts("2026-08-19T22:53:40Z")},
		},
		"signals": []string{"PutFunctionConcurrency20171031", "ingest-webhook", "Throttles", "5XXError"},
	}
	return w
}
