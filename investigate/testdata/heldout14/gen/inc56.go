package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

func pyjson(t time.Time, level, name, msg string, extra map[string]any) string {
	m := map[string]any{"asctime": t.Format("2006-01-02 15:04:05,000"), "levelname": level, "name": name, "message": msg}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// esmBatch: the clickstream-enricher's Kinesis event source mapping was
// retuned (BatchSize 100 -> 10000, batching window 0 -> 300 s); each
// invocation now gets 10000 records and times out at 60 s, the same batch
// is retried and the stream backs up.
func esmBatch() *inc {
	onset := time.Date(2026, 11, 29, 16, 15, 0, 0, time.UTC)
	x := newInc("kinesis-esm-batch-window", 1405, onset, 82*time.Minute, 32*time.Minute)
	x.title = "Clickstream enrichment stalled; dashboards stale"
	x.arch = "Kinesis stream clickstream (4 shards) -> Lambda clickstream-enricher (Python 3.12, timeout 60 s, event source mapping) -> Firehose -> S3/Athena dashboards."
	change := time.Date(2026, 11, 29, 16, 8, 44, 0, time.UTC)
	codeDecoy := change.Add(-50*time.Minute - 7*time.Second)
	retDecoy := change.Add(-6*time.Minute - 13*time.Second)
	ci := role("github-actions-deploy", "GitHubActions", "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/lambda#1.62.1", "4.227.14.210")
	eng := who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_DataEngineer_3c7f1a9e5b2d4086/ravi.menon@example.com", principal: "AROAZ7M3Q1XK9P2W4RC8TB:ravi.menon@example.com", session: "AWSReservedSSO_DataEngineer_3c7f1a9e5b2d4086", agent: cliAgent + "lambda.update-event-source-mapping", ip: "198.51.100.140"}
	fnArn := "arn:aws:lambda:us-east-1:" + acct + ":function:clickstream-enricher"
	streamArn := "arn:aws:kinesis:us-east-1:" + acct + ":stream/clickstream"
	esmUUID := "8b3e1f7a-4c92-4d05-9e6a-2f7c1b8d3e54"
	x.ct(codeDecoy, ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false,
		map[string]any{"functionName": "clickstream-enricher", "s3Bucket": "artifacts-" + acct, "s3Key": "clickstream-enricher/sha-91c4e2a.zip", "publish": true},
		map[string]any{"functionName": "clickstream-enricher", "functionArn": fnArn + ":57", "runtime": "python3.12", "timeout": 60, "memorySize": 1024, "version": "57", "codeSha256": "q1W8eR5tY2uI9oP3aS6dF0gH4jK7lZ1xC8vB2nM5qE0=", "lastUpdateStatus": "InProgress"})
	x.ct(codeDecoy.Add(31*time.Second), ci, "lambda.amazonaws.com", "UpdateAlias20150331", false,
		map[string]any{"functionName": "clickstream-enricher", "name": "live", "functionVersion": "57"}, map[string]any{"aliasArn": fnArn + ":live", "functionVersion": "57"})
	eng2 := eng
	eng2.agent = cliAgent + "kinesis.increase-stream-retention-period"
	x.ct(retDecoy, eng2, "kinesis.amazonaws.com", "IncreaseStreamRetentionPeriod", false,
		map[string]any{"streamName": "clickstream", "retentionPeriodHours": 72}, nil)
	x.ct(change.Add(-90*time.Second), eng, "lambda.amazonaws.com", "ListEventSourceMappings20150331", true, map[string]any{"functionName": "clickstream-enricher"}, nil)
	x.ct(change, eng, "lambda.amazonaws.com", "UpdateEventSourceMapping20150331", false,
		map[string]any{"uUID": esmUUID, "batchSize": 10000, "maximumBatchingWindowInSeconds": 300},
		map[string]any{"uUID": esmUUID, "batchSize": 10000, "maximumBatchingWindowInSeconds": 300, "parallelizationFactor": 1, "eventSourceArn": streamArn, "functionArn": fnArn + ":live",
			"lastModified": "Nov 29, 2026, 4:08:44 PM", "lastProcessingResult": "OK", "state": "Updating", "stateTransitionReason": "USER_INITIATED",
			"maximumRecordAgeInSeconds": -1, "bisectBatchOnFunctionError": false, "maximumRetryAttempts": -1, "tumblingWindowInSeconds": 0, "startingPosition": "LATEST"})
	x.ct(change.Add(2*time.Minute), eng, "lambda.amazonaws.com", "GetEventSourceMapping20150331", true, map[string]any{"uUID": esmUUID}, nil)
	x.noise([]string{"clickstream-enricher", "sessionizer", "web-frontend"}, 400)
	x.truth = truthFile{Kind: "event-source-batching", Onset: onset,
		RootCause: &rootCause{EventName: "UpdateEventSourceMapping20150331", EventTime: change, Resource: esmUUID},
		Decoys:    []decoy{{"UpdateFunctionCode20150331v2", codeDecoy}, {"UpdateAlias20150331", codeDecoy.Add(31 * time.Second)}, {"IncreaseStreamRetentionPeriod", retDecoy}},
		Signals:   []string{"Task timed out after 60.00 seconds", "IteratorAge"}}

	eff := change.Add(22 * time.Second)
	firstBig := eff.Add(300 * time.Second) // first batch after the window fills
	g := "/aws/lambda/clickstream-enricher"
	dur := map[time.Time][]float64{}
	errs := map[time.Time]float64{}
	age := map[time.Time]float64{}
	incoming := func(m time.Time) float64 { return x.noisef(2400) * (1 + 0.25*math.Sin(float64(m.Minute())/9)) }
	x.minutes(func(m time.Time) {
		st := "2026/11/29/[57]" + x.hex(32)
		if m.Before(codeDecoy) {
			st = "2026/11/29/[56]" + x.hex(32)
		}
		if m.Before(eff.Truncate(time.Minute)) || m.Before(eff) {
			// 4 shards, a batch of up to 100 roughly every second per shard; sample the logs.
			for i := 0; i < 6; i++ {
				t := x.in(m)
				id := x.uuid()
				d := 900 + x.rng.Float64()*2400
				x.log(g, st, t, fmt.Sprintf("START RequestId: %s Version: 57", id))
				x.log(g, st, t.Add(5*time.Millisecond), pyjson(t, "INFO", "enricher", "processing batch", map[string]any{"records": 60 + x.rng.Intn(41), "shard": fmt.Sprintf("shardId-%012d", x.rng.Intn(4))}))
				if x.rng.Float64() < 0.05 {
					x.log(g, st, t.Add(300*time.Millisecond), pyjson(t, "ERROR", "enricher", "skipping malformed record", map[string]any{"exc_info": "Traceback (most recent call last):\n  File \"/var/task/enricher/handler.py\", line 41, in decode\n    return json.loads(base64.b64decode(rec[\"kinesis\"][\"data\"]))\n  File \"/var/lang/lib/python3.12/json/__init__.py\", line 346, in loads\n    return _default_decoder.decode(s)\njson.decoder.JSONDecodeError: Unterminated string starting at: line 1 column 212 (char 211)", "sequence_number": fmt.Sprintf("4965%040d", x.rng.Int63())}))
				}
				end := t.Add(time.Duration(d) * time.Millisecond)
				x.log(g, st, end, "END RequestId: "+id)
				x.log(g, st, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: %d MB\t", id, d, int(d)+1, 160+x.rng.Intn(30)))
			}
			for i := 0; i < 140; i++ {
				dur[m] = append(dur[m], 900+x.rng.Float64()*2400)
			}
			if x.rng.Float64() < 0.1 {
				errs[m]++
			}
			age[m] = 400 + x.rng.Float64()*900
			if m.Sub(x.start) > 35*time.Minute && m.Sub(x.start) < 41*time.Minute {
				age[m] = 9000 + x.rng.Float64()*6000 // a hot shard, recovered on its own
			}
			return
		}
		if m.Before(firstBig.Truncate(time.Minute)) {
			return // records accumulate in the batching window: no invocations
		}
		// One invocation per shard per cycle, each with 10000 records,
		// timing out; the same batch is retried immediately.
		for sh := 0; sh < 4; sh++ {
			for t := firstBig.Add(time.Duration(sh*7) * time.Second); ; t = t.Add(61 * time.Second) {
				if t.Truncate(time.Minute).After(m) {
					break
				}
				if !t.Truncate(time.Minute).Equal(m) {
					continue
				}
				id := x.uuid()
				x.log(g, st, t, fmt.Sprintf("START RequestId: %s Version: 57", id))
				x.log(g, st, t.Add(8*time.Millisecond), pyjson(t, "INFO", "enricher", "processing batch", map[string]any{"records": 10000, "shard": fmt.Sprintf("shardId-%012d", sh)}))
				x.log(g, st, t.Add(20*time.Second), pyjson(t.Add(20*time.Second), "WARNING", "enricher.geo", "geoip lookups slow", map[string]any{"pending": 7000 + x.rng.Intn(2000)}))
				end := t.Add(60 * time.Second).Add(time.Duration(10+x.rng.Intn(40)) * time.Millisecond)
				x.log(g, st, end, fmt.Sprintf("%s %s Task timed out after 60.00 seconds", end.Format("2006-01-02T15:04:05.000Z"), id))
				x.log(g, st, end, "END RequestId: "+id)
				x.log(g, st, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: 60000.00 ms\tBilled Duration: 60000 ms\tMemory Size: 1024 MB\tMax Memory Used: %d MB\tStatus: timeout", id, 690+x.rng.Intn(200)))
				em := end.Truncate(time.Minute)
				dur[em] = append(dur[em], 60000)
				errs[em]++
			}
		}
		age[m] = m.Sub(eff).Seconds() * 1000
	})
	fd := []dim{{"FunctionName", "clickstream-enricher"}}
	x.series("AWS/Lambda", "Duration", "Milliseconds", fd, func(m time.Time) (float64, float64, float64, float64, float64) {
		d := dur[m]
		if len(d) == 0 {
			return 0, 0, 0, 0, 0
		}
		s, lo, hi := 0.0, d[0], d[0]
		for _, v := range d {
			s += v
			lo, hi = min(lo, v), max(hi, v)
		}
		return s, s / float64(len(d)), lo, hi, float64(len(d))
	})
	x.count("AWS/Lambda", "Invocations", fd, func(m time.Time) float64 { return float64(len(dur[m])) })
	x.count("AWS/Lambda", "Errors", fd, func(m time.Time) float64 { return errs[m] })
	x.series("AWS/Lambda", "IteratorAge", "Milliseconds", fd, func(m time.Time) (float64, float64, float64, float64, float64) {
		a := age[m]
		if a == 0 {
			return 0, 0, 0, 0, 0
		}
		return a * 4, a * 0.7, a * 0.2, a, 4
	})
	sd := []dim{{"StreamName", "clickstream"}}
	x.count("AWS/Kinesis", "IncomingRecords", sd, func(m time.Time) float64 { return math.Round(incoming(m) * 60 / 10) })
	x.series("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "Milliseconds", sd, func(m time.Time) (float64, float64, float64, float64, float64) {
		a := age[m]
		if a == 0 {
			a = m.Sub(eff).Seconds() * 1000
		}
		return a * 4, a * 0.6, 0, a, 4
	})
	// sessionizer: another consumer of the same stream, healthy (logfmt).
	sg := "/aws/lambda/sessionizer"
	x.minutes(func(m time.Time) {
		for i := 0; i < 3; i++ {
			t := x.in(m)
			x.log(sg, "2026/11/29/[12]"+x.hex(32), t, fmt.Sprintf("ts=%s level=info msg=\"sessions flushed\" count=%d lag_ms=%d", t.Format(time.RFC3339), 200+x.rng.Intn(300), 300+x.rng.Intn(900)))
		}
	})
	fired := onset.Add(5*time.Minute + 27*time.Second)
	x.alarm("clickstream-enricher-iterator-age", "AWS/Lambda", "IteratorAge", fd, "Maximum", 600000, "GreaterThanThreshold", fired,
		"Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (600000.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.quiet("clickstream-enricher-errors", "AWS/Lambda", "Errors", fd)
	return x
}

// apigwPolicy: the orders-partner-api's resource policy was rewritten
// with a Deny on the partner's CIDR (meant for a different range) and
// deployed to prod; the partner's calls are refused with 403.
func apigwPolicy() *inc {
	onset := time.Date(2026, 11, 30, 13, 37, 0, 0, time.UTC)
	x := newInc("apigw-resource-policy-denies-partner", 1406, onset, 74*time.Minute, 30*time.Minute)
	x.title = "Partner Acme Logistics reports 403 on every call"
	x.arch = "REST API orders-partner-api (k7x2m9q4ab, stage prod, regional) fronts Lambda shipments-handler; partners call it from fixed egress ranges; access logs in JSON to /aws/apigateway/orders-partner-api/prod."
	change := time.Date(2026, 11, 30, 13, 36, 18, 0, time.UTC)
	deployProd := change.Add(47 * time.Second)
	devDeploy := change.Add(-12*time.Minute - 40*time.Second)
	stageDecoy := change.Add(-25*time.Minute - 9*time.Second)
	api := "k7x2m9q4ab"
	eng := who{typ: "AssumedRole", arn: "arn:aws:sts::" + acct + ":assumed-role/AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21/sofia.almeida@example.com", principal: "AROAXK3M2Q7PZ9L1WQ8RT:sofia.almeida@example.com", session: "AWSReservedSSO_PowerUser_9a8e7b6c5d4f3a21", agent: consoleAgent, ip: "198.51.100.88"}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","192.0.2.128/25"]}}}]}`
	x.ct(stageDecoy, eng, "apigateway.amazonaws.com", "UpdateStage", false,
		map[string]any{"restApiId": api, "stageName": "prod", "patchOperations": []any{map[string]any{"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}, map[string]any{"op": "replace", "path": "/*/*/logging/dataTrace", "value": "false"}}, "template": false},
		map[string]any{"stageName": "prod", "deploymentId": "t4k9p2", "methodSettings": map[string]any{"*/*": map[string]any{"loggingLevel": "ERROR", "dataTraceEnabled": false, "metricsEnabled": true}}})
	dev := role("github-actions-deploy", "GitHubActions", "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/apigateway#1.27.4", "4.227.14.210")
	x.ct(devDeploy, dev, "apigateway.amazonaws.com", "CreateDeployment", false,
		map[string]any{"restApiId": api, "stageName": "dev", "description": "ci: shipments v2 preview (sha-0f3a8c1)"},
		map[string]any{"id": "m8q3x1", "description": "ci: shipments v2 preview (sha-0f3a8c1)", "createdDate": devDeploy.Format("Jan 2, 2006, 3:04:05 PM")})
	x.ct(change.Add(-3*time.Minute), eng, "apigateway.amazonaws.com", "GetRestApi", true, map[string]any{"restApiId": api}, nil)
	x.ct(change, eng, "apigateway.amazonaws.com", "UpdateRestApi", false,
		map[string]any{"restApiId": api, "patchOperations": []any{map[string]any{"op": "replace", "path": "/policy", "value": policy}}},
		map[string]any{"id": api, "name": "orders-partner-api", "apiKeySource": "HEADER", "endpointConfiguration": map[string]any{"types": []string{"REGIONAL"}}, "policy": policy})
	x.ct(deployProd, eng, "apigateway.amazonaws.com", "CreateDeployment", false,
		map[string]any{"restApiId": api, "stageName": "prod", "description": "apply resource policy"},
		map[string]any{"id": "w2n7c5", "description": "apply resource policy", "createdDate": deployProd.Format("Jan 2, 2006, 3:04:05 PM")})
	x.noise([]string{"shipments-handler", "partner-portal", "rates-api"}, 400)
	x.truth = truthFile{Kind: "resource-policy-deny", Onset: onset,
		RootCause: &rootCause{EventName: "UpdateRestApi", EventTime: change, Resource: api},
		Decoys:    []decoy{{"CreateDeployment", devDeploy}, {"UpdateStage", stageDecoy}},
		Signals:   []string{"with an explicit deny", "203.0.113."}}

	eff := deployProd.Add(6 * time.Second)
	g := "/aws/apigateway/orders-partner-api/prod"
	routes := []struct{ m, p, r string }{{"POST", "/v1/shipments", "/v1/shipments"}, {"GET", "/v1/shipments/{id}", "/v1/shipments/%s"}, {"GET", "/v1/rates", "/v1/rates"}}
	count := map[time.Time]float64{}
	e4 := map[time.Time]float64{}
	e5 := map[time.Time]float64{}
	lat := map[time.Time]float64{}
	hg := "/aws/lambda/shipments-handler"
	x.minutes(func(m time.Time) {
		n := 30 + x.rng.Intn(8)
		for i := 0; i < n; i++ {
			t := x.in(m)
			partner := i%4 == 0
			ip := fmt.Sprintf("%d.%d.%d.%d", 34+x.rng.Intn(100), x.rng.Intn(255), x.rng.Intn(255), 1+x.rng.Intn(254))
			if partner {
				ip = fmt.Sprintf("203.0.113.%d", 10+x.rng.Intn(6))
			}
			rt := routes[x.rng.Intn(3)]
			path := rt.r
			if rt.m == "GET" && rt.p != rt.r {
				path = fmt.Sprintf(rt.r, "shp_"+x.hex(12))
			}
			status, errMsg, il := 200, "-", 40+x.rng.Intn(160)
			resp := 300 + x.rng.Intn(1200)
			switch {
			case partner && t.After(eff):
				status, il, resp = 403, 0, 189
				arnRes := fmt.Sprintf("arn:aws:execute-api:us-east-1:********%s:%s/prod/%s%s", acct[8:], api, rt.m, path)
				errMsg = "User: anonymous is not authorized to perform: execute-api:Invoke on resource: " + arnRes + " with an explicit deny"
			case x.rng.Float64() < 0.04:
				status, errMsg, il = 404, "Not Found", 12
			case x.rng.Float64() < 0.02:
				status, errMsg, il = 429, "Too Many Requests", 0
			case x.rng.Float64() < 0.012:
				status, errMsg, il = 502, "Internal server error", 29000
				e5[m]++
			case x.rng.Float64() < 0.03:
				status, errMsg = 400, "Invalid request body"
			}
			if status >= 400 && status < 500 {
				e4[m]++
			}
			count[m]++
			lat[m] += float64(il + 8)
			b, _ := json.Marshal(map[string]any{"requestId": x.uuid(), "extendedRequestId": x.upper(14) + "=", "ip": ip, "caller": "-", "user": "-",
				"requestTime": t.Format("02/Jan/2006:15:04:05 -0700"), "httpMethod": rt.m, "resourcePath": rt.p, "path": path, "status": status, "protocol": "HTTP/1.1",
				"responseLength": resp, "integrationLatency": il, "errorMessage": errMsg, "userAgent": map[bool]string{true: "AcmeTMS/5.2 (+ops@acme-logistics.example)", false: "python-requests/2.32.3"}[partner]})
			x.log(g, "c8f2a1e7b4d93056e1a7c3b9f5d2e8a4", t, string(b))
			if il > 0 && status != 429 {
				tt := t.Add(5 * time.Millisecond)
				x.log(hg, "2026/11/30/[$LATEST]"+x.hex(32), tt, fmt.Sprintf(`{"event": "request handled", "level": "info", "route": "%s %s", "status": %d, "duration_ms": %d, "timestamp": "%s"}`, rt.m, rt.p, status, il, tt.Format("2006-01-02T15:04:05.000000Z")))
			}
		}
		if x.rng.Float64() < 0.1 {
			t := x.in(m)
			x.log(hg, "2026/11/30/[$LATEST]"+x.hex(32), t, fmt.Sprintf(`{"event": "carrier quote failed", "level": "error", "carrier": "dhl", "error": "ReadTimeout", "timestamp": "%s"}`, t.Format("2006-01-02T15:04:05.000000Z")))
		}
	})
	ad := []dim{{"ApiName", "orders-partner-api"}, {"Stage", "prod"}}
	x.count("AWS/ApiGateway", "Count", ad, func(m time.Time) float64 { return count[m] })
	x.count("AWS/ApiGateway", "4XXError", ad, func(m time.Time) float64 { return e4[m] })
	x.count("AWS/ApiGateway", "5XXError", ad, func(m time.Time) float64 { return e5[m] })
	x.series("AWS/ApiGateway", "Latency", "Milliseconds", ad, func(m time.Time) (float64, float64, float64, float64, float64) {
		a := lat[m] / math.Max(count[m], 1)
		return lat[m], a, 6, a * 4, count[m]
	})
	x.count("AWS/Lambda", "Invocations", []dim{{"FunctionName", "shipments-handler"}}, func(m time.Time) float64 { return count[m] - e4[m] })
	fired := onset.Add(4*time.Minute + 50*time.Second)
	x.alarm("orders-partner-api-4xx", "AWS/ApiGateway", "4XXError", ad, "Sum", 6, "GreaterThanThreshold", fired,
		"Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (6.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.quiet("orders-partner-api-5xx", "AWS/ApiGateway", "5XXError", ad)
	return x
}
