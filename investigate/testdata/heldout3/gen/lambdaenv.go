package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// lambdaEnvWrongTable: a developer edits profile-api's environment in the
// console to point TABLE_NAME at the table of the upcoming v2 schema, which
// exists only in staging. CloudTrail hides environment values, so the
// record shows only that the environment changed. Forty minutes earlier the
// same developer raised the timeout of the same function: harmless.
func lambdaEnvWrongTable() *Inc {
	in := newInc("lambda-env-wrong-table", 306, "us-east-2", "873006512944", time.Date(2026, 7, 28, 10, 0, 0, 0, time.UTC), 95)
	in.Title = "profile-api errors"
	in.Arch = "HTTP API (API Gateway v2, id 5tq2w8e1ra) routes /profiles/* to Lambda profile-api (Node.js 20, JSON log format, X-Ray active) which reads " +
		"and writes DynamoDB table profiles-prod. avatar-resizer (Lambda) handles S3 uploads; email-sender (Lambda, async) sends notifications."
	fnArn := "arn:aws:lambda:us-east-2:873006512944:function:profile-api"
	timeoutChange := in.at("10:12:37")
	publish := in.at("10:50:05")
	change := in.at("10:52:37")
	eic := in.at("10:54:12")
	onset := in.at("10:52:58")

	dev := in.role("AWSReservedSSO_Developer_5e7a9c1b3d2f4068", "l.fernandes@acme-social.io", "177.92.30.14",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36")
	dev.console = true
	sam := in.role("cdk-hnb659fds-cfn-exec-role-873006512944-us-east-2", "AWSCloudFormation", "cloudformation.amazonaws.com", "cloudformation.amazonaws.com")
	profileRole := in.role("profile-api-role", "profile-api", "3.14.2.9", "aws-sdk-nodejs/3.600.0 linux/v20.15.0 exec-env/AWS_Lambda_nodejs20.x")
	avatarRole := in.role("avatar-resizer-role", "avatar-resizer", "3.14.7.1", "aws-sdk-nodejs/3.600.0 linux/v20.15.0 exec-env/AWS_Lambda_nodejs20.x")
	monitor := in.role("LumigoIntegrationRole", "lumigo-"+in.digits(8), "52.14.1.201", "aws-sdk-js/3.600.0 lumigo")
	ci := in.role("github-actions-deploy", "GitHubActions", "140.82.112.30", "aws-sdk-js/3.590.0")
	in.routineCT(routine{
		appRoles: []*Principal{profileRole, avatarRole}, kmsKey: "9d1b3f5a-7c2e-4a6b-8d0f-2a4c6e8b0d1f",
		params:  []string{"/social/prod/profile/feature-flags", "/social/prod/avatar/sizes"},
		secrets: []string{"social/prod/sendgrid-Kz91"}, monitor: monitor, ci: ci,
		lambdaFns: []string{"profile-api", "avatar-resizer", "email-sender"}, assumeFrom: "lambda.amazonaws.com",
		assumeRoles: []string{"profile-api-role", "avatar-resizer-role", "email-sender-role"}, readsPerMin: 5,
	})
	cfgResp := func(timeout int, rev string) map[string]any {
		return map[string]any{"functionName": "profile-api", "functionArn": fnArn, "runtime": "nodejs20.x", "role": "arn:aws:iam::873006512944:role/profile-api-role", "handler": "dist/index.handler",
			"codeSize": 1843221, "description": "profiles HTTP API", "timeout": timeout, "memorySize": 1024, "lastModified": "", "codeSha256": "q2Vx0yYF7eKx9mR3s8nP4tW1uZ6aB5cD7eF9gH1jK2L=", "version": "$LATEST",
			"environment": map[string]any{}, "tracingConfig": map[string]any{"mode": "Active"}, "revisionId": rev, "state": "Active", "lastUpdateStatus": "InProgress",
			"lastUpdateStatusReason": "The function is being created.", "lastUpdateStatusReasonCode": "Creating", "packageType": "Zip", "architectures": []string{"arm64"},
			"ephemeralStorage": map[string]any{"size": 512}, "snapStart": map[string]any{"applyOn": "None", "optimizationStatus": "Off"},
			"loggingConfig": map[string]any{"logFormat": "JSON", "applicationLogLevel": "INFO", "systemLogLevel": "INFO", "logGroup": "/aws/lambda/profile-api"}}
	}
	for _, d := range []time.Duration{-70, -40, -15} {
		in.ev(timeoutChange.Add(d*time.Second), dev, "lambda", "GetFunction20150331v2", map[string]any{"functionName": "profile-api"}, nil)
	}
	r1 := cfgResp(15, in.uuid())
	r1["lastModified"] = timeoutChange.Format("2006-01-02T15:04:05.000+0000")
	in.ev(timeoutChange, dev, "lambda", "UpdateFunctionConfiguration20150331v2", map[string]any{"functionName": "profile-api", "timeout": 15}, r1)
	for _, d := range []time.Duration{-95, -60, -30, -12} {
		in.ev(change.Add(d*time.Second), dev, "lambda", map[bool]string{true: "GetFunctionConfiguration20150331v2", false: "GetFunction20150331v2"}[d == -30], map[string]any{"functionName": "profile-api"}, nil)
	}
	r2 := cfgResp(15, in.uuid())
	r2["lastModified"] = change.Format("2006-01-02T15:04:05.000+0000")
	in.ev(change, dev, "lambda", "UpdateFunctionConfiguration20150331v2", map[string]any{"functionName": "profile-api", "environment": map[string]any{}}, r2)
	in.ev(change.Add(25*time.Second), dev, "lambda", "GetFunction20150331v2", map[string]any{"functionName": "profile-api"}, nil)
	// CDK deploy of the avatar stack publishes a new version.
	in.ev(publish.Add(-40*time.Second), sam, "lambda", "UpdateFunctionCode20150331v2", map[string]any{"functionName": "avatar-resizer", "s3Bucket": "cdk-hnb659fds-assets-873006512944-us-east-2", "s3Key": in.hex(64) + ".zip"},
		map[string]any{"functionName": "avatar-resizer", "version": "$LATEST", "runtime": "nodejs20.x"}, map[string]any{"sourceIPAddress": "cloudformation.amazonaws.com", "userAgent": "cloudformation.amazonaws.com"})
	in.ev(publish, sam, "lambda", "PublishVersion20150331", map[string]any{"functionName": "avatar-resizer", "codeSha256": in.alnum(43) + "="},
		map[string]any{"functionName": "avatar-resizer", "functionArn": "arn:aws:lambda:us-east-2:873006512944:function:avatar-resizer:23", "version": "23", "runtime": "nodejs20.x"},
		map[string]any{"sourceIPAddress": "cloudformation.amazonaws.com", "userAgent": "cloudformation.amazonaws.com"})
	in.ev(publish.Add(6*time.Second), sam, "lambda", "UpdateAlias20150331", map[string]any{"functionName": "avatar-resizer", "name": "live", "functionVersion": "23"},
		map[string]any{"aliasArn": "arn:aws:lambda:us-east-2:873006512944:function:avatar-resizer:live", "functionVersion": "23"},
		map[string]any{"sourceIPAddress": "cloudformation.amazonaws.com", "userAgent": "cloudformation.amazonaws.com"})
	in.ev(eic, dev, "lambda", "PutFunctionEventInvokeConfig", map[string]any{"functionName": "email-sender", "qualifier": "$LATEST", "maximumRetryAttempts": 1, "maximumEventAgeInSeconds": 3600,
		"destinationConfig": map[string]any{"onFailure": map[string]any{"destination": "arn:aws:sqs:us-east-2:873006512944:email-sender-failures"}}},
		map[string]any{"functionArn": "arn:aws:lambda:us-east-2:873006512944:function:email-sender:$LATEST", "maximumRetryAttempts": 1, "maximumEventAgeInSeconds": 3600, "lastModified": "Jul 28, 2026, 10:54:12 AM"})

	// ---- profile-api logs: JSON log format ----
	lg := "/aws/lambda/profile-api"
	var streams []string
	for i := 0; i < 5; i++ {
		streams = append(streams, "2026/07/28/[$LATEST]"+in.hex(32))
	}
	var newStreams []string
	for i := 0; i < 5; i++ {
		newStreams = append(newStreams, "2026/07/28/[$LATEST]"+in.hex(32))
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	routes := [][2]string{{"GET", "/profiles/{id}"}, {"PATCH", "/profiles/{id}"}, {"GET", "/profiles/{id}/followers"}, {"PUT", "/profiles/{id}/avatar"}}
	in.every(in.Start, in.End, 1700*time.Millisecond, func(t time.Time) {
		broken := !t.Before(onset)
		var s string
		if !t.Before(change.Add(2 * time.Second)) {
			s = newStreams[in.rng.IntN(5)]
		} else {
			s = streams[in.rng.IntN(5)]
		}
		rid := in.uuid()
		trace := in.traceID(t)
		r := routes[in.rng.IntN(len(routes))]
		uid := "usr_" + in.alnum(10)
		dur := 30 + in.rng.ExpFloat64()*25
		in.log(lg, s, t, js(map[string]any{"time": iso(t), "type": "platform.start", "record": map[string]any{"requestId": rid, "version": "$LATEST", "tracing": map[string]any{"spanId": in.hex(16), "type": "X-Amzn-Trace-Id", "value": "Root=" + trace + ";Parent=" + in.hex(16) + ";Sampled=1"}}}))
		status := 200
		if broken {
			dur = 12 + in.rng.Float64()*10
			status = 500
			em := js(map[string]any{"timestamp": iso(t.Add(time.Duration(dur) * time.Millisecond)), "level": "ERROR", "requestId": rid, "message": map[string]any{
				"errorType": "ResourceNotFoundException", "errorMessage": "Requested resource not found", "name": "ResourceNotFoundException", "$fault": "client",
				"$metadata":  map[string]any{"httpStatusCode": 400, "requestId": in.alnum(52), "attempts": 1, "totalRetryDelay": 0},
				"stackTrace": []string{"ResourceNotFoundException: Requested resource not found", "    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)", "    at /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:847:5", "    at async getProfile (/var/task/dist/repo.js:44:22)", "    at async Runtime.handler (/var/task/dist/index.js:71:18)"}}})
			in.log(lg, s, t.Add(time.Duration(dur)*time.Millisecond), em)
		} else {
			in.log(lg, s, t.Add(time.Duration(dur)*time.Millisecond), js(map[string]any{"timestamp": iso(t.Add(time.Duration(dur) * time.Millisecond)), "level": "INFO", "requestId": rid, "message": map[string]any{"route": r[0] + " " + r[1], "user": uid, "status": status, "ms": int(dur)}}))
		}
		end := t.Add(time.Duration(dur+2) * time.Millisecond)
		in.log(lg, s, end, js(map[string]any{"time": iso(end), "type": "platform.report", "record": map[string]any{"requestId": rid, "metrics": map[string]any{"durationMs": round(dur+2, 2), "billedDurationMs": int(dur + 3), "memorySizeMB": 1024, "maxMemoryUsedMB": 96 + in.rng.IntN(20)}, "tracing": map[string]any{"spanId": in.hex(16), "type": "X-Amzn-Trace-Id", "value": "Root=" + trace}, "status": map[bool]string{true: "error", false: "success"}[broken]}}))
		if in.chance(0.1) {
			fnSeg := map[string]any{"id": in.hex(16), "name": "profile-api", "start_time": epoch(t), "end_time": epoch(end), "origin": "AWS::Lambda::Function",
				"aws": map[string]any{"function_arn": fnArn, "resource_names": []string{"profile-api"}, "account_id": in.Account}}
			op := map[string]string{"GET": "GetItem", "PATCH": "UpdateItem", "PUT": "UpdateItem"}[r[0]]
			if r[1] == "/profiles/{id}/followers" {
				op = "Query"
			}
			table := "profiles-prod"
			ddb := map[string]any{"id": in.hex(16), "name": "DynamoDB", "namespace": "aws", "start_time": epoch(t.Add(4 * time.Millisecond)), "end_time": epoch(t.Add(time.Duration(dur-2) * time.Millisecond)),
				"aws": map[string]any{"operation": op, "region": "us-east-2", "request_id": in.alnum(52), "retries": 0, "table_name": table, "resource_names": []string{table}}, "http": map[string]any{"response": map[string]any{"status": 200}}}
			svc := map[string]any{"id": in.hex(16), "name": "profile-api", "start_time": epoch(t.Add(-2 * time.Millisecond)), "end_time": epoch(end.Add(time.Millisecond)), "origin": "AWS::Lambda",
				"http": map[string]any{"response": map[string]any{"status": 200}}, "aws": map[string]any{"request_id": rid}}
			if broken {
				// The SDK subsegment names the table the function actually asked for.
				ddb["aws"].(map[string]any)["table_name"] = "profiles-prod-v2"
				ddb["aws"].(map[string]any)["resource_names"] = []string{"profiles-prod-v2"}
				ddb["http"] = map[string]any{"response": map[string]any{"status": 400}}
				ddb["error"] = true
				ddb["cause"] = map[string]any{"working_directory": "/var/task", "exceptions": []map[string]any{{"id": in.hex(16), "message": "Requested resource not found", "type": "ResourceNotFoundException", "remote": true}}}
				fnSeg["fault"] = true
				fnSeg["cause"] = map[string]any{"working_directory": "/var/task", "exceptions": []map[string]any{{"id": in.hex(16), "message": "Requested resource not found", "type": "ResourceNotFoundException"}}}
				svc["fault"] = true
			}
			fnSeg["subsegments"] = []map[string]any{{"id": in.hex(16), "name": "Invocation", "start_time": epoch(t), "end_time": epoch(end), "subsegments": []map[string]any{ddb}}}
			apiSeg := map[string]any{"id": in.hex(16), "name": "5tq2w8e1ra/$default", "start_time": epoch(t.Add(-5 * time.Millisecond)), "end_time": epoch(end.Add(3 * time.Millisecond)), "origin": "AWS::ApiGateway::Stage",
				"http": map[string]any{"request": map[string]any{"method": r[0], "url": "https://api.acme-social.io" + r[1]}, "response": map[string]any{"status": status}}}
			if broken {
				apiSeg["fault"] = true
			}
			in.addTrace(trace, end.Sub(t), apiSeg, svc, fnSeg)
		}
	})
	// Chronic noise in profile-api: expired tokens and a deprecation warning.
	in.every(in.Start, in.End, 5*time.Second, func(t time.Time) {
		s := streams[in.rng.IntN(5)]
		if !t.Before(change) {
			s = newStreams[in.rng.IntN(5)]
		}
		in.log(lg, s, t, js(map[string]any{"timestamp": iso(t), "level": "ERROR", "requestId": in.uuid(), "message": map[string]any{"errorType": "TokenExpiredError", "errorMessage": "jwt expired", "expiredAt": iso(t.Add(-time.Duration(in.rng.IntN(3600)) * time.Second))}}))
	})
	in.every(in.Start, in.End, 19*time.Second, func(t time.Time) {
		s := streams[in.rng.IntN(5)]
		if !t.Before(change) {
			s = newStreams[in.rng.IntN(5)]
		}
		in.log(lg, s, t, js(map[string]any{"timestamp": iso(t), "level": "WARN", "requestId": in.uuid(), "message": "(node:8) [DEP0040] DeprecationWarning: The `punycode` module is deprecated."}))
	})
	// Cold starts after the configuration change: platform.initStart.
	for _, s := range newStreams {
		t := change.Add(time.Duration(21000+in.rng.IntN(9000)) * time.Millisecond)
		in.log(lg, s, t, js(map[string]any{"time": iso(t), "type": "platform.initStart", "record": map[string]any{"initializationType": "on-demand", "phase": "init", "runtimeVersion": "nodejs:20.v31", "runtimeVersionArn": "arn:aws:lambda:us-east-2::runtime:" + in.hex(64), "functionName": "profile-api", "functionVersion": "$LATEST"}}))
	}
	// avatar-resizer and email-sender: plain text Node logs.
	in.every(in.Start, in.End, 9*time.Second, func(t time.Time) {
		ver := "22"
		if t.After(publish.Add(10 * time.Second)) {
			ver = "23"
		}
		s := "2026/07/28/[" + ver + "]" + "a1b2c3d4e5f60718293a4b5c6d7e8f90"
		rid := in.uuid()
		in.log("/aws/lambda/avatar-resizer", s, t, "START RequestId: "+rid+" Version: "+ver)
		in.log("/aws/lambda/avatar-resizer", s, t.Add(300*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tresized avatars/%s.png to 3 sizes", iso(t), rid, in.hex(16)))
		if in.chance(0.15) {
			in.log("/aws/lambda/avatar-resizer", s, t.Add(310*time.Millisecond), fmt.Sprintf("%s\t%s\tERROR\tInput file contains unsupported image format", iso(t), rid))
		}
		in.log("/aws/lambda/avatar-resizer", s, t.Add(320*time.Millisecond), "END RequestId: "+rid)
		in.log("/aws/lambda/avatar-resizer", s, t.Add(320*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1536 MB\tMax Memory Used: 402 MB\t", rid, 318.0, 319))
	})
	in.every(in.Start, in.End, 30*time.Second, func(t time.Time) {
		s := "2026/07/28/[$LATEST]0f9e8d7c6b5a49382716f5e4d3c2b1a0"
		rid := in.uuid()
		in.log("/aws/lambda/email-sender", s, t, "START RequestId: "+rid+" Version: $LATEST")
		in.log("/aws/lambda/email-sender", s, t.Add(200*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tsent template=%s to=%d recipients", iso(t), rid, in.pick("welcome", "new-follower", "digest"), 1+in.rng.IntN(3)))
		in.log("/aws/lambda/email-sender", s, t.Add(210*time.Millisecond), "END RequestId: "+rid)
	})

	// ---- metrics ----
	br := func(t time.Time) float64 { return ramp(t, onset.Add(-10*time.Second), onset.Add(50*time.Second)) }
	one := func(time.Time) float64 { return 1 }
	fn := func(n string) [][2]string { return [][2]string{{"FunctionName", n}} }
	in.metric(series{ns: "AWS/Lambda", name: "Errors", unit: "Count", dims: fn("profile-api"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(int(in.noise(95, 0.1) * br(t))) }})
	in.metric(series{ns: "AWS/Lambda", name: "Invocations", unit: "Count", dims: fn("profile-api"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(100, 0.08) }})
	in.metric(series{ns: "AWS/Lambda", name: "Duration", unit: "Milliseconds", dims: fn("profile-api"), stats: []string{"Average", "Maximum"}, fn: func(t time.Time) float64 { return in.noise(55, 0.1) * (1 - 0.6*br(t)) }})
	in.metric(series{ns: "AWS/Lambda", name: "Duration", unit: "Milliseconds", dims: fn("avatar-resizer"), stats: []string{"Average"}, fn: func(t time.Time) float64 {
		return in.noise(320, 0.08) - 110*ramp(t, publish, publish.Add(2*time.Minute))
	}})
	in.metric(series{ns: "AWS/ApiGateway", name: "5xx", unit: "Count", dims: [][2]string{{"ApiId", "5tq2w8e1ra"}, {"Stage", "$default"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(in.rng.IntN(2)) + 95*br(t) }})
	in.metric(series{ns: "AWS/DynamoDB", name: "ConsumedReadCapacityUnits", unit: "Count", dims: [][2]string{{"TableName", "profiles-prod"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(140, 0.1) * (1 - 0.97*br(t)) }})
	in.metric(series{ns: "AWS/DynamoDB", name: "UserErrors", unit: "Count", dims: nil, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(in.rng.IntN(3)) + 94*br(t) }})

	// ---- alarms ----
	at := in.at("10:55:09")
	in.metricAlarm(map[string]any{"AlarmName": "profile-api-errors", "Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": dims("FunctionName", "profile-api"), "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 2, "DatapointsToAlarm": 2, "Threshold": 10.0, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"},
		"ALARM", at, "Threshold Crossed: 2 out of the last 2 datapoints [96.0 (28/07/26 10:54:00), 91.0 (28/07/26 10:53:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).", nil)
	in.stateChange("profile-api-errors", "MetricAlarm", at, "OK", "ALARM", "Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (10.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "dynamodb-account-user-errors", "Namespace": "AWS/DynamoDB", "MetricName": "UserErrors", "Dimensions": []map[string]any{}, "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 200.0, "ComparisonOperator": "GreaterThanThreshold"},
		"ALARM", in.at("11:00:14"), "Threshold Crossed: 1 datapoint [471.0 (28/07/26 10:55:00)] was greater than the threshold (200.0).", nil)
	in.stateChange("dynamodb-account-user-errors", "MetricAlarm", in.at("11:00:14"), "OK", "ALARM", "Threshold Crossed: 1 datapoint was greater than the threshold (200.0).", nil)

	in.setTruth("configuration", "profile-api-errors", "UpdateFunctionConfiguration20150331v2", change, "profile-api", onset,
		[][2]any{{"UpdateFunctionConfiguration20150331v2", timeoutChange}, {"PublishVersion20150331", publish}, {"PutFunctionEventInvokeConfig", eic}},
		"UpdateFunctionConfiguration20150331v2", "ResourceNotFoundException", "Requested resource not found", "profile-api")
	return in
}
