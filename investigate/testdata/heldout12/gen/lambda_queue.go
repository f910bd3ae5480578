package main

import (
	"fmt"
	"time"
)

// lambdaQueueURL: someone "fixes" returns-processor's QUEUE_URL to point at
// the staging account's queue in eu-west-1. Only refunds that need manual
// review send to that queue, so a few percent of invocations fail with
// AWS.SimpleQueueService.NonExistentQueue. CloudTrail hides the variables.
func lambdaQueueURL(root string) {
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	at := func(h, m, sec int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
	}
	s := newSnap("lambda-env-queue-url-wrong-account", 1206, "735118402266", "us-east-1", at(8, 25, 0), at(10, 15, 0))
	s.title = "returns-processor errors"
	s.arch = "API Gateway POST /returns invokes Lambda returns-processor (Python 3.12, Powertools logger). Refunds above 500 USD are sent to SQS queue refund-review (env QUEUE_URL) for a person to approve; the rest are refunded directly through payments-api. label-printer (Node.js Lambda) prints return labels."
	codeT := at(9, 3, 10)
	change := at(9, 28, 22)
	concT := at(9, 33, 40)
	fired := at(9, 36, 0)
	fnArn := "arn:aws:lambda:us-east-1:735118402266:function:returns-processor"
	dev := s.sso("Developer", "oskar.l@returnly.co", "62.30.145.7")
	ci := s.role("github-actions-deploy", "GitHubActions", "20.84.3.119", "aws-cli/2.17.50 Python/3.12.6 Linux/6.5.0-1025-azure exe/x86_64.ubuntu.22 command/lambda.update-function-code")
	s.routineTrail([]string{"payments-api-task", "returns-web-task"}, []string{"payments-api", "returns-web"}, []who{dev, s.sso("Support", "mia.k@returnly.co", "86.12.77.140")})
	cfgResp := func(t time.Time, sha string) map[string]any {
		return map[string]any{"functionName": "returns-processor", "functionArn": fnArn, "runtime": "python3.12", "role": "arn:aws:iam::735118402266:role/returns-processor-role", "handler": "app.handler",
			"codeSize": 48211, "timeout": 15, "memorySize": 512, "lastModified": t.Format("2006-01-02T15:04:05.000+0000"), "codeSha256": sha, "version": "$LATEST",
			"environment": map[string]any{"variables": "HIDDEN_DUE_TO_SECURITY_REASONS"}, "tracingConfig": map[string]any{"mode": "Active"}, "revisionId": s.uuid(), "state": "Active", "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": []string{"arm64"}}
	}
	s.trail(codeT, ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, map[string]any{"functionName": "returns-processor", "publish": false, "dryRun": false}, cfgResp(codeT, "q3Yx0mK1c7Zf5Jr2bT8uWnP4eL6sD9vAhGiCoQyN1Rk="), nil)
	s.trail(change, dev, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false, map[string]any{"functionName": "returns-processor", "environment": map[string]any{"variables": "HIDDEN_DUE_TO_SECURITY_REASONS"}}, cfgResp(change, "q3Yx0mK1c7Zf5Jr2bT8uWnP4eL6sD9vAhGiCoQyN1Rk="), nil)
	s.trail(concT, dev, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", false, map[string]any{"functionName": "label-printer", "reservedConcurrentExecutions": 5}, map[string]any{"reservedConcurrentExecutions": 5}, nil)
	for i := 0; i < 10; i++ {
		s.trail(at(9, 20, 0).Add(time.Duration(i*53)*time.Second), dev, "lambda.amazonaws.com", []string{"GetFunction20150331v2", "ListFunctions20150331", "GetFunctionConfiguration20150331v2", "ListVersionsByFunction20150331"}[i%4], true, map[string]any{"functionName": "returns-processor"}, nil, nil)
	}

	inv, errs, dur := map[int64]int{}, map[int64]int{}, map[int64][]float64{}
	g := "/aws/lambda/returns-processor"
	env := "2026/11/22/[$LATEST]" + s.hex(32)
	envStart := s.start
	badURL := "https://sqs.eu-west-1.amazonaws.com/210987654321/refund-review"
	pt := func(t time.Time, lvl, loc, msg, rid string, cold bool, extra map[string]any) string {
		f := map[string]any{"level": lvl, "location": loc, "message": msg, "timestamp": t.Format("2006-01-02 15:04:05.000") + "+0000", "service": "returns-processor", "cold_start": cold,
			"function_name": "returns-processor", "function_memory_size": "512", "function_arn": fnArn, "function_request_id": rid, "xray_trace_id": s.traceID(t)}
		for k, v := range extra {
			f[k] = v
		}
		return js(f)
	}
	s.every(1900*time.Millisecond, func(t time.Time) {
		rid := s.uuid()
		m := t.Truncate(time.Minute).Unix()
		inv[m]++
		cold := false
		// new execution environments after each update, and every ~40 minutes
		if (t.After(codeT) && envStart.Before(codeT)) || (t.After(change) && envStart.Before(change)) || t.Sub(envStart) > 40*time.Minute {
			env = "2026/11/22/[$LATEST]" + s.hex(32)
			envStart = t
			cold = true
		}
		d := 120 + s.rng.Float64()*180
		amount := 20 + s.rng.Float64()*480
		if s.rng.Intn(22) == 0 {
			amount = 500 + s.rng.Float64()*1400
		}
		s.log(g, env, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
		var failMsg string
		switch {
		case s.rng.Intn(400) == 0:
			failMsg = fmt.Sprintf("[ERROR] KeyError: 'order_id'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 31, in handler\n    order_id = body[\"order_id\"]")
		case amount >= 500:
			s.log(g, env, t.Add(40*time.Millisecond), pt(t.Add(40*time.Millisecond), "INFO", "handler:44", "refund needs manual review", rid, cold, map[string]any{"amount_usd": fmt.Sprintf("%.2f", amount)}))
			if t.After(change.Add(2 * time.Second)) {
				exc := "Traceback (most recent call last):\n  File \"/var/task/review.py\", line 22, in send_to_review\n    sqs.send_message(QueueUrl=os.environ[\"QUEUE_URL\"], MessageBody=json.dumps(refund))\n  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 569, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 1023, in _make_api_call\n    raise error_class(parsed_response, operation_name)\nbotocore.errorfactory.QueueDoesNotExist: An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the SendMessage operation: The specified queue does not exist."
				s.log(g, env, t.Add(90*time.Millisecond), pt(t.Add(90*time.Millisecond), "ERROR", "send_to_review:25", "could not queue refund for review", rid, cold, map[string]any{"exception": exc, "exception_name": "QueueDoesNotExist"}))
				failMsg = "[ERROR] QueueDoesNotExist: An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the SendMessage operation: The specified queue does not exist.\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 52, in handler\n    review.send_to_review(refund)\n  File \"/var/task/review.py\", line 22, in send_to_review\n    sqs.send_message(QueueUrl=os.environ[\"QUEUE_URL\"], MessageBody=json.dumps(refund))"
				_ = badURL
			} else {
				s.log(g, env, t.Add(80*time.Millisecond), pt(t.Add(80*time.Millisecond), "INFO", "send_to_review:27", "queued for review", rid, cold, map[string]any{"message_id": s.uuid()}))
			}
		default:
			s.log(g, env, t.Add(60*time.Millisecond), pt(t.Add(60*time.Millisecond), "INFO", "handler:58", "refund issued", rid, cold, map[string]any{"amount_usd": fmt.Sprintf("%.2f", amount), "payment_ref": "pr_" + s.hex(10)}))
		}
		if failMsg != "" {
			s.log(g, env, t.Add(100*time.Millisecond), failMsg)
			errs[m]++
			d = 110
		}
		s.log(g, env, t.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
		rep := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", rid, d, int(d)+1, 88+s.rng.Intn(20))
		if cold {
			rep += fmt.Sprintf("Init Duration: %.2f ms\t", 600+s.rng.Float64()*300)
		}
		s.log(g, env, t.Add(time.Duration(d)*time.Millisecond), rep)
		dur[m] = append(dur[m], d)
	})
	// label-printer: Node, its own intermittent failures.
	lp := "/aws/lambda/label-printer"
	lpEnv := "2026/11/22/[$LATEST]" + s.hex(32)
	s.every(11*time.Second, func(t time.Time) {
		rid := s.uuid()
		s.log(lp, lpEnv, t, fmt.Sprintf("START RequestId: %s Version: 14", rid))
		if s.rng.Intn(30) == 0 {
			s.log(lp, lpEnv, t.Add(3*time.Second), fmt.Sprintf("%s\t%s\tERROR\tInvoke Error \t{\"errorType\":\"Error\",\"errorMessage\":\"connect ECONNREFUSED 10.12.4.31:9100\",\"code\":\"ECONNREFUSED\",\"errno\":-111,\"syscall\":\"connect\",\"address\":\"10.12.4.31\",\"port\":9100,\"stack\":[\"Error: connect ECONNREFUSED 10.12.4.31:9100\",\"    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)\"]}", t.Add(3*time.Second).Format("2006-01-02T15:04:05.000Z"), rid))
		} else {
			s.log(lp, lpEnv, t.Add(200*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tlabel printed {\"carrier\":\"ups\",\"pages\":1}", t.Add(200*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), rid))
		}
		s.log(lp, lpEnv, t.Add(400*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
		s.log(lp, lpEnv, t.Add(400*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: 398.12 ms\tBilled Duration: 399 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\t", rid))
	})
	fn := []dim{{"FunctionName", "returns-processor"}}
	s.series("AWS/Lambda", "Invocations", fn, "Count", func(t time.Time) (float64, float64, bool) { return float64(inv[t.Unix()]), 1, true })
	s.series("AWS/Lambda", "Errors", fn, "Count", func(t time.Time) (float64, float64, bool) { return float64(errs[t.Unix()]), 1, true })
	s.series("AWS/Lambda", "Duration", fn, "Milliseconds", func(t time.Time) (float64, float64, bool) {
		l := dur[t.Unix()]
		if len(l) == 0 {
			return 0, 0, false
		}
		sum := 0.0
		for _, x := range l {
			sum += x
		}
		return sum / float64(len(l)), float64(len(l)), true
	})
	s.series("AWS/Lambda", "ConcurrentExecutions", []dim{{"FunctionName", "label-printer"}}, "Count", func(t time.Time) (float64, float64, bool) {
		v := s.noise(2, 0.5)
		if t.After(concT) {
			v = minf(v, 5)
		}
		return v, 1, true
	})
	s.series("AWS/Lambda", "Throttles", []dim{{"FunctionName", "label-printer"}}, "Count", func(t time.Time) (float64, float64, bool) {
		if t.After(at(9, 50, 0)) && t.Before(at(9, 54, 0)) {
			return float64(1 + s.rng.Intn(3)), 1, true
		}
		return 0, 1, true
	})
	api := []dim{{"ApiName", "returns-api"}, {"Stage", "prod"}}
	s.series("AWS/ApiGateway", "5XXError", api, "Count", func(t time.Time) (float64, float64, bool) {
		return float64(errs[t.Unix()]), float64(inv[t.Unix()]), true
	})
	s.series("AWS/ApiGateway", "Count", api, "Count", func(t time.Time) (float64, float64, bool) { return float64(inv[t.Unix()]), 1, true })
	s.alarm("returns-processor-errors", "returns-processor: 2 or more errors a minute, twice running", "AWS/Lambda", "Errors", "Sum", fn, 2, "GreaterThanOrEqualToThreshold", 2, at(7, 40, 0), fired,
		"Threshold Crossed: 2 out of the last 2 datapoints [3.0 (22/11/26 09:35:00), 2.0 (22/11/26 09:34:00)] were greater than or equal to the threshold (2.0) (minimum 2 datapoints for OK -> ALARM transition).")
	s.okAlarm("label-printer-throttles", "AWS/Lambda", "Throttles", "Sum", []dim{{"FunctionName", "label-printer"}}, 20, "GreaterThanOrEqualToThreshold")
	// first failing invocation after the change
	var onset time.Time
	for _, e := range s.logs[g] {
		if e.Timestamp > change.UnixMilli() && contains(e.Message, "NonExistentQueue") {
			onset = time.UnixMilli(e.Timestamp).UTC().Truncate(time.Second)
			break
		}
	}
	s.write(root, map[string]any{
		"kind": "lambda-env-misconfigured", "alarm": "returns-processor-errors",
		"root_cause": map[string]any{"event_name": "UpdateFunctionConfiguration20150331v2", "event_time": ts(change), "resource": "returns-processor"},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "UpdateFunctionCode20150331v2", "event_time": ts(codeT)}, {"event_name": "PutFunctionConcurrency20171031", "event_time": ts(concT)}},
		"signals":    []string{"AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist"},
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
