package main

import (
	"fmt"
	"time"
)

// lambdaTimeout: a person lowers reports-export's timeout from 30 s to 3 s.
// Status lookups (100 ms) keep working; report generation (2-9 s) times out.
// Decoys: the same person raised the memory 40 min earlier (durations fall a
// little), and CI deployed reports-notifier two minutes before the change.
func lambdaTimeout(s *snap) {
	s.region, s.account = "eu-west-1", "418295730164"
	s.start = time.Date(2026, 11, 17, 12, 30, 0, 0, time.UTC)
	s.end = s.start.Add(2 * time.Hour)
	s.title = "reports API: report generation failing"
	s.arch = "API Gateway REST API reports-api (stage prod) -> Lambda reports-export (python3.12, arm64) reading Athena results from S3 bucket tallyworks-reports-prod-eu-west-1; reports-notifier (nodejs20.x) posts finished reports to Slack. Both log to CloudWatch Logs; X-Ray active tracing on."

	fn := "reports-export"
	fnArn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.region, s.account, fn)
	human := s.sso("PowerUserAccess", "dan.whitfield@tallyworks.io", "81.2.69.160")
	priya := s.sso("PowerUserAccess", "priya.raman@tallyworks.io", "81.2.69.171")
	ci := s.role("github-actions-deploy", "GitHubActions-"+s.hex(10), "20.42.11.93", "aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#lambda.update-function-code")
	memAt := time.Date(2026, 11, 17, 13, 1, 12, 0, time.UTC)
	deployAt := time.Date(2026, 11, 17, 13, 39, 40, 0, time.UTC)
	rootAt := time.Date(2026, 11, 17, 13, 41, 37, 0, time.UTC)
	effective := rootAt.Add(3 * time.Second) // LastUpdateStatus Successful

	s.noise(noiseCfg{ci: ci, humans: []principal{human, priya},
		lambdaRoles: []string{"reports-export-role", "reports-notifier-role", "ingest-webhook-role", "billing-sync-role"},
		ecrRepos:    []string{"ingest-worker", "web-frontend", "billing-sync"}, logGroups: []string{"/aws/lambda/reports-export", "/aws/lambda/reports-notifier", "/aws/lambda/ingest-webhook"},
		instances: []string{"i-0c41f7a2b9d3e8150", "i-07d2e9a4c1b8f3a62"}, secretReads: []string{"prod/reports/athena-workgroup"}, monitoring: true, eventsPerMin: 6})

	fnConfig := func(at time.Time, timeout, mem int) map[string]any {
		return map[string]any{"functionName": fn, "functionArn": fnArn, "runtime": "python3.12", "role": fmt.Sprintf("arn:aws:iam::%s:role/reports-export-role", s.account),
			"handler": "reports.handler.lambda_handler", "codeSize": 18422311, "description": "Report listing, status and CSV generation", "timeout": timeout, "memorySize": mem,
			"lastModified": at.UTC().Format("2006-01-02T15:04:05.000+0000"), "codeSha256": "m0dL3Qk9yqf5Jz8pV1hWc4XgE2rTn7sA6uBfKo0iZ+Y=", "version": "$LATEST",
			"tracingConfig": map[string]any{"mode": "Active"}, "revisionId": s.uuid(), "state": "Active", "lastUpdateStatus": "InProgress",
			"lastUpdateStatusReason": "The function is being created.", "lastUpdateStatusReasonCode": "Creating", "packageType": "Zip", "architectures": []string{"arm64"},
			"ephemeralStorage": map[string]any{"size": 512}, "snapStart": map[string]any{"applyOn": "None", "optimizationStatus": "Off"},
			"runtimeVersionConfig": map[string]any{"runtimeVersionArn": "arn:aws:lambda:eu-west-1::runtime:5a4d8b2c9e1f"}, "loggingConfig": map[string]any{"logFormat": "Text", "logGroup": "/aws/lambda/" + fn}}
	}
	fnRes := [2]string{"AWS::Lambda::Function", fnArn}
	s.event(memAt.Add(-50*time.Second), human, "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", true, map[string]any{"functionName": fn}, nil)
	s.event(memAt, human, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false, map[string]any{"functionName": fn, "memorySize": 1536}, fnConfig(memAt, 30, 1536), fnRes)
	s.event(rootAt.Add(-70*time.Second), human, "lambda.amazonaws.com", "GetFunction20150331v2", true, map[string]any{"functionName": fn}, nil)
	s.event(rootAt, human, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false, map[string]any{"functionName": fn, "timeout": 3}, fnConfig(rootAt, 3, 1536), fnRes)
	s.event(rootAt.Add(40*time.Second), human, "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", true, map[string]any{"functionName": fn}, nil)

	// CI deploys reports-notifier: code, config (env), version, alias.
	nfn := "reports-notifier"
	nArn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.region, s.account, nfn)
	nRes := [2]string{"AWS::Lambda::Function", nArn}
	nCfg := map[string]any{"functionName": nfn, "functionArn": nArn, "runtime": "nodejs20.x", "timeout": 10, "memorySize": 256, "version": "$LATEST", "state": "Active", "lastUpdateStatus": "InProgress", "codeSha256": "Qf2kz8W1nHc0pL7xR4yT9aV3bE6mJ5sD2gU8oI1rK0c="}
	s.event(deployAt, ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, map[string]any{"functionName": nfn, "s3Bucket": "tallyworks-artifacts-eu-west-1", "s3Key": "reports-notifier/9c1e4b7.zip", "publish": false, "dryRun": false, "architectures": []string{"arm64"}}, nCfg, nRes)
	s.event(deployAt.Add(9*time.Second), ci, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false, map[string]any{"functionName": nfn, "environment": map[string]any{"variables": "HIDDEN_DUE_TO_SECURITY_REASONS"}}, nCfg, nRes)
	s.event(deployAt.Add(21*time.Second), ci, "lambda.amazonaws.com", "PublishVersion20150331", false, map[string]any{"functionName": nfn}, map[string]any{"functionName": nfn, "version": "58"}, nRes)
	s.event(deployAt.Add(24*time.Second), ci, "lambda.amazonaws.com", "UpdateAlias20150331", false, map[string]any{"functionName": nfn, "name": "live", "functionVersion": "58"}, map[string]any{"aliasArn": nArn + ":live", "functionVersion": "58"}, nRes)
	// An unrelated earlier deploy of ingest-webhook and a log retention tweak.
	s.event(s.start.Add(17*time.Minute), ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, map[string]any{"functionName": "ingest-webhook", "s3Bucket": "tallyworks-artifacts-eu-west-1", "s3Key": "ingest-webhook/41aa0d2.zip"}, nil, [2]string{"AWS::Lambda::Function", fmt.Sprintf("arn:aws:lambda:%s:%s:function:ingest-webhook", s.region, s.account)})
	s.event(s.start.Add(64*time.Minute), priya, "logs.amazonaws.com", "PutRetentionPolicy", false, map[string]any{"logGroupName": "/aws/lambda/ingest-webhook", "retentionInDays": 30}, nil)

	group := "/aws/lambda/" + fn
	access := "/aws/apigateway/reports-api/prod-access"
	inv, errs, dur, apiCount, api5, api4, apiLat := series{}, series{}, series{}, series{}, series{}, series{}, series{}
	streams := []string{}
	newStream := func(t time.Time) string {
		st := t.Format("2006/01/02") + "/[$LATEST]" + s.hex(32)
		streams = append(streams, st)
		return st
	}
	cur := []string{newStream(s.start), newStream(s.start), newStream(s.start)}
	var firstTimeout time.Time

	s.sim(time.Second, func(t time.Time) {
		hour := float64(t.Sub(s.start.Add(-baseline))) / float64(time.Hour)
		load := 0.6 + 0.2*hour // morning ramp
		for _, kind := range []string{"status", "list", "generate"} {
			rate := map[string]float64{"status": 0.5, "list": 0.17, "generate": 0.055}[kind] * load
			if s.rng.Float64() >= rate {
				continue
			}
			at := s.jitter(t, time.Second)
			if at.After(memAt.Add(5*time.Second)) && s.rng.Intn(60) == 0 || s.rng.Intn(400) == 0 {
				cur[s.rng.Intn(len(cur))] = newStream(at) // cold starts: after the memory change every environment is new
			}
			if at.After(memAt) && at.Before(memAt.Add(2*time.Minute)) || at.After(effective) && at.Before(effective.Add(2*time.Minute)) {
				cur[s.rng.Intn(len(cur))] = newStream(at)
			}
			stream := cur[s.rng.Intn(len(cur))]
			rid := s.uuid()
			mem := 1024
			speed := 1.0
			if at.After(memAt.Add(4 * time.Second)) {
				mem, speed = 1536, 0.86
			}
			var ms float64
			path, method := "", "GET"
			reportID := fmt.Sprintf("rpt_%s", s.hex(10))
			switch kind {
			case "status":
				ms = s.lognormal(95, 0.35) * speed
				path = "/reports/" + reportID + "/status"
			case "list":
				ms = s.lognormal(240, 0.3) * speed
				path = "/reports"
			case "generate":
				ms = s.lognormal(4100, 0.42) * speed
				path, method = "/reports/generate", "POST"
			}
			timeout := 30000.0
			if at.After(effective) {
				timeout = 3000
			}
			timedOut := ms > timeout
			if timedOut {
				ms = timeout + s.rng.Float64()*18
				if firstTimeout.IsZero() {
					firstTimeout = at
				}
			}
			end := at.Add(time.Duration(ms * float64(time.Millisecond)))
			s.log(group, stream, at, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			status := 200
			switch {
			case timedOut:
				s.log(group, stream, at.Add(2*time.Millisecond), mustJSON(map[string]any{"event": "generating report", "report_id": reportID, "template": s.pick("monthly-usage", "invoice-ledger", "seat-audit"), "request_id": rid, "level": "info", "logger": "reports.generate", "timestamp": at.Add(2 * time.Millisecond).UTC().Format("2006-01-02T15:04:05.000000Z")}))
				s.log(group, stream, end, fmt.Sprintf("%s %s Task timed out after 3.00 seconds", isoMs(end), rid))
				errs.inc(at)
				status = 502
			case kind == "generate":
				s.log(group, stream, at.Add(2*time.Millisecond), mustJSON(map[string]any{"event": "generating report", "report_id": reportID, "template": s.pick("monthly-usage", "invoice-ledger", "seat-audit"), "request_id": rid, "level": "info", "logger": "reports.generate", "timestamp": at.Add(2 * time.Millisecond).UTC().Format("2006-01-02T15:04:05.000000Z")}))
				s.log(group, stream, end.Add(-time.Millisecond), mustJSON(map[string]any{"event": "report generated", "report_id": reportID, "rows": 2000 + s.rng.Intn(40000), "athena_query_ms": int(ms * 0.7), "s3_key": "exports/" + reportID + ".csv", "request_id": rid, "level": "info", "logger": "reports.generate", "timestamp": end.UTC().Format("2006-01-02T15:04:05.000000Z")}))
			case kind == "status" && s.rng.Intn(100) == 0:
				// Pre-existing: clients poll reports that expired from S3.
				s.log(group, stream, end.Add(-time.Millisecond), fmt.Sprintf("[ERROR] NoSuchKey: An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.\nTraceback (most recent call last):\n  File \"/var/task/reports/handler.py\", line 61, in lambda_handler\n    return ROUTES[route](event)\n  File \"/var/task/reports/status.py\", line 28, in get_status\n    obj = s3.get_object(Bucket=BUCKET, Key=f\"exports/{report_id}.csv\")\n  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 569, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 1023, in _make_api_call\n    raise error_class(parsed_response, operation_name)"))
				errs.inc(at)
				status = 502
			case kind == "status" && s.rng.Intn(12) == 0:
				s.log(group, stream, end.Add(-time.Millisecond), mustJSON(map[string]any{"event": "report not ready", "report_id": reportID, "state": "RUNNING", "request_id": rid, "level": "warning", "logger": "reports.status", "timestamp": end.UTC().Format("2006-01-02T15:04:05.000000Z")}))
			default:
				if s.rng.Intn(3) == 0 {
					s.log(group, stream, end.Add(-time.Millisecond), mustJSON(map[string]any{"event": "request served", "route": method + " " + path, "request_id": rid, "level": "debug", "logger": "reports.handler", "timestamp": end.UTC().Format("2006-01-02T15:04:05.000000Z")}))
				}
			}
			s.log(group, stream, end.Add(time.Millisecond), "END RequestId: "+rid)
			report := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t", rid, ms, int(ms)+1, mem, 140+s.rng.Intn(300))
			if timedOut {
				report += "Status: timeout"
			}
			s.log(group, stream, end.Add(2*time.Millisecond), report)
			inv.inc(at)
			dur.add(at, ms)
			apiCount.inc(at)
			apiLat.add(at, ms+float64(8+s.rng.Intn(20)))
			if status >= 500 {
				api5.inc(at)
			}
			if kind == "status" && s.rng.Intn(80) == 0 {
				status = 404
				api4.inc(at)
			}
			s.log(access, "a1b2c3d4e5f6", end.Add(30*time.Millisecond), mustJSON(map[string]any{"requestId": s.uuid(), "ip": fmt.Sprintf("%d.%d.%d.%d", 80+s.rng.Intn(100), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(250)),
				"requestTime": at.UTC().Format("02/Jan/2006:15:04:05 -0700"), "httpMethod": method, "resourcePath": map[string]string{"status": "/reports/{id}/status", "list": "/reports", "generate": "/reports/generate"}[kind],
				"status": fmt.Sprint(status), "protocol": "HTTP/1.1", "responseLength": fmt.Sprint(map[bool]int{true: 36, false: 400 + s.rng.Intn(3000)}[status == 502]), "integrationLatency": fmt.Sprint(int(ms) + 4)}))

			// X-Ray: one trace in five.
			if s.rng.Intn(5) == 0 {
				tid := s.traceID(at)
				apiSeg := map[string]any{"id": s.hex(16), "name": "reports-api/prod", "origin": "AWS::ApiGateway::Stage", "start_time": epoch(at), "end_time": epoch(end.Add(20 * time.Millisecond)),
					"http": map[string]any{"request": map[string]any{"url": "https://api.tallyworks.io" + path, "method": method}, "response": map[string]any{"status": status}},
					"aws":  map[string]any{"api_id": "k3x9q2w7ab", "resource_path": path, "stage": "prod", "account_id": s.account}}
				lseg := map[string]any{"id": s.hex(16), "name": fn, "origin": "AWS::Lambda", "start_time": epoch(at.Add(3 * time.Millisecond)), "end_time": epoch(end),
					"http": map[string]any{"response": map[string]any{"status": 200}}, "aws": map[string]any{"request_id": rid, "resource_names": []string{fn}, "account_id": s.account}}
				segs := []map[string]any{apiSeg, lseg}
				if status >= 500 {
					apiSeg["fault"] = true
				}
				if timedOut {
					lseg["fault"] = true
				} else {
					fseg := map[string]any{"id": s.hex(16), "name": fn, "origin": "AWS::Lambda::Function", "start_time": epoch(at.Add(4 * time.Millisecond)), "end_time": epoch(end.Add(-time.Millisecond)), "parent_id": lseg["id"],
						"aws": map[string]any{"function_arn": fnArn, "resource_names": []string{fn}, "account_id": s.account}}
					if kind == "generate" {
						fseg["subsegments"] = []map[string]any{
							{"id": s.hex(16), "name": "Athena", "namespace": "aws", "start_time": epoch(at.Add(10 * time.Millisecond)), "end_time": epoch(at.Add(time.Duration(ms*0.7) * time.Millisecond)), "aws": map[string]any{"operation": "GetQueryResults", "region": s.region}, "http": map[string]any{"response": map[string]any{"status": 200}}},
							{"id": s.hex(16), "name": "S3", "namespace": "aws", "start_time": epoch(at.Add(time.Duration(ms*0.72) * time.Millisecond)), "end_time": epoch(end.Add(-5 * time.Millisecond)), "aws": map[string]any{"operation": "PutObject", "bucket_name": "tallyworks-reports-prod-eu-west-1", "region": s.region}, "http": map[string]any{"response": map[string]any{"status": 200}}},
						}
					}
					segs = append(segs, fseg)
				}
				s.trace(tid, segs...)
			}
		}
	})

	// reports-notifier: pino JSON; after its deploy, a deprecation warning per cold start.
	ngroup := "/aws/lambda/" + nfn
	nstream := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC).Format("2006/01/02") + "/[58]" + s.hex(32)
	s.sim(20*time.Second, func(t time.Time) {
		if s.rng.Intn(3) != 0 {
			return
		}
		at := s.jitter(t, 20*time.Second)
		ver := "57"
		if at.After(deployAt.Add(30 * time.Second)) {
			ver = "58"
		}
		rid := s.uuid()
		stream := nstream
		if ver == "57" {
			stream = at.Format("2006/01/02") + "/[57]4e0b1c9d2a7f48e6b3c5d1a9f0e2b7c4"
		}
		if ver == "58" && s.rng.Intn(6) == 0 {
			s.log(ngroup, stream, at.Add(-200*time.Millisecond), "INIT_START Runtime Version: nodejs:20.v48\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9")
			s.log(ngroup, stream, at.Add(-100*time.Millisecond), mustJSON(map[string]any{"level": 40, "time": at.UnixMilli() - 100, "pid": 8, "hostname": "169.254.44.153", "msg": "config key SLACK_WEBHOOK is deprecated; use NOTIFY_WEBHOOK_URL"}))
		}
		s.log(ngroup, stream, at, "START RequestId: "+rid+" Version: "+ver)
		s.log(ngroup, stream, at.Add(80*time.Millisecond), mustJSON(map[string]any{"level": 30, "time": at.UnixMilli() + 80, "pid": 8, "hostname": "169.254.44.153", "reqId": rid, "msg": "report ready notification sent", "channel": "#finance-reports", "reportId": "rpt_" + s.hex(10)}))
		s.log(ngroup, stream, at.Add(120*time.Millisecond), "END RequestId: "+rid)
		s.log(ngroup, stream, at.Add(121*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\t", rid, 118.4+s.rng.Float64()*30, 119+s.rng.Intn(30)))
	})

	dims := [][2]string{{"FunctionName", fn}}
	s.metric("AWS/Lambda", "Invocations", dims, "Count", inv.countDP)
	s.metric("AWS/Lambda", "Errors", dims, "Count", ratioDP(errs, inv))
	s.metric("AWS/Lambda", "Duration", dims, "Milliseconds", dur.statDP)
	s.metric("AWS/Lambda", "Throttles", dims, "Count", func(t time.Time) (dp, bool) { return count(0), true })
	s.metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", nfn}}, "Count", func(t time.Time) (dp, bool) { return count(float64(s.poisson(1))), true })
	s.metric("AWS/Lambda", "Errors", [][2]string{{"FunctionName", nfn}}, "Count", func(t time.Time) (dp, bool) { return count(0), true })
	apiDims := [][2]string{{"ApiName", "reports-api"}, {"Stage", "prod"}}
	s.metric("AWS/ApiGateway", "Count", apiDims, "Count", apiCount.countDP)
	s.metric("AWS/ApiGateway", "5XXError", apiDims, "Count", ratioDP(api5, apiCount))
	s.metric("AWS/ApiGateway", "4XXError", apiDims, "Count", ratioDP(api4, apiCount))
	s.metric("AWS/ApiGateway", "Latency", apiDims, "Milliseconds", apiLat.statDP)

	fired, recent := firstBreach(errs.sum, s.start, s.end, 3, 3, 3, true, 41*time.Second)
	s.alarm(alarmSpec{name: "reports-export-errors", desc: "reports-export Lambda errors >= 3/min for 3 minutes. Runbook: https://wiki.tallyworks.io/runbooks/reports", ns: "AWS/Lambda", metric: "Errors", stat: "Sum",
		op: "GreaterThanOrEqualToThreshold", dims: dims, period: 60, evals: 3, toAlarm: 3, threshold: 3, firedAt: fired, recent: recent, actions: []string{"arn:aws:sns:eu-west-1:418295730164:oncall-reports"}})
	s.okAlarm("reports-notifier-errors", "AWS/Lambda", "Errors", "Sum", "GreaterThanThreshold", [][2]string{{"FunctionName", nfn}}, 5)
	s.okAlarm("reports-api-latency-p90", "AWS/ApiGateway", "Latency", "p90", "GreaterThanThreshold", apiDims, 8000)
	s.responders(priya, fired)

	s.truth = map[string]any{"name": s.name, "kind": "config-change", "alarm": "reports-export-errors",
		"root_cause": map[string]any{"event_name": "UpdateFunctionConfiguration20150331v2", "event_time": iso(rootAt), "resource": fn},
		"onset":      iso(firstTimeout.Truncate(time.Minute)),
		"decoys": []map[string]any{
			{"event_name": "UpdateFunctionConfiguration20150331v2", "event_time": iso(memAt)},
			{"event_name": "UpdateFunctionCode20150331v2", "event_time": iso(deployAt)},
			{"event_name": "UpdateFunctionConfiguration20150331v2", "event_time": iso(deployAt.Add(9 * time.Second))},
		},
		"signals": []string{"Task timed out after 3.00 seconds", fn}}
	_ = streams
}
