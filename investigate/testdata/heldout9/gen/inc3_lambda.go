package main

import (
	"fmt"
	"math"
	"time"
)

// lambdaProvisionedConcurrency: a cost-sweeper Lambda deletes the
// provisioned concurrency of quote-engine:live; the Java function now cold
// starts (7-9 s Init Duration) and API Gateway's 6 s integration timeout
// turns those into 504 "Endpoint request timed out".
func lambdaProvisionedConcurrency() {
	onset := ts("2026-11-19T16:06:50Z")
	s := newS("lambda-provisioned-concurrency-removed", "us-west-2", "559083127746", 9303, onset)
	s.Title = "pricing-api prod latency"
	s.Arch = "REST API Gateway 'pricing-api' (stage prod, Lambda proxy integration, 6000 ms integration timeout) in front of Lambda 'quote-engine' (Java 21, Spring Cloud Function, 2048 MB) through alias 'live', which had 10 provisioned concurrency; 'quote-pdf-renderer' (Node.js) renders PDFs asynchronously."
	change := ts("2026-11-19T16:05:44Z")
	effective := ts("2026-11-19T16:06:45Z")
	fn := "/aws/lambda/quote-engine"
	acc := "/aws/apigateway/pricing-api-prod-access"
	pdf := "/aws/lambda/quote-pdf-renderer"
	ver := "57"
	type env struct {
		stream string
		busyTo time.Time
		warm   bool
		idle   time.Duration
	}
	var envs []*env
	newStream := func(t time.Time) string {
		return fmt.Sprintf("%s/[%s]%s", t.Format("2006/01/02"), ver, s.hex(32))
	}
	for i := 0; i < 10; i++ {
		envs = append(envs, &env{stream: newStream(s.Start.Add(-3 * time.Hour)), warm: true})
	}
	type minute struct {
		n, c5, lat, dur, initN, spill, pcUsed, conc, maxLat float64
	}
	per := map[int64]*minute{}
	s.seconds(func(t time.Time) {
		key := t.Truncate(time.Minute).Unix()
		mn := per[key]
		if mn == nil {
			mn = &minute{}
			per[key] = mn
		}
		if t.Equal(effective) {
			envs = nil // provisioned environments are reclaimed
		}
		rate := 1.4 + 0.4*math.Sin(float64(t.Unix()%1800)/1800*2*math.Pi)
		n := s.poissonish(rate)
		burst := false
		if s.chance(1.0 / 25) { // marketplaces fan out a basket of quotes at once
			n += 2 + s.r.Intn(10)
			burst = true
		}
		for i := n; i > 0; i-- {
			at := t.Add(time.Duration(s.r.Intn(1000)) * time.Millisecond)
			if burst {
				at = t.Add(time.Duration(s.r.Intn(150)) * time.Millisecond)
			}
			var e *env
			for j := len(envs) - 1; j >= 0; j-- { // the most recently used free environment
				if !envs[j].busyTo.After(at) {
					e = envs[j]
					envs = append(envs[:j], envs[j+1:]...)
					envs = append(envs, e)
					break
				}
			}
			cold := false
			if e == nil {
				e = &env{stream: newStream(at), idle: time.Duration(30+s.r.Intn(90)) * time.Second}
				envs = append(envs, e)
				cold = true
				mn.spill++
			}
			rid := s.uuid()
			dur := s.jit(240, 0.5)
			initD := 0.0
			if cold {
				initD = s.jit(7600, 0.15)
			}
			total := initD + dur
			status := 200
			if s.chance(0.004) {
				status = 500
			}
			timedOut := total > 6000
			e.busyTo = at.Add(time.Duration(total) * time.Millisecond)
			mn.n++
			mn.dur += dur
			if !at.Before(effective) {
				mn.conc++
			} else {
				mn.pcUsed++
			}
			st := e.stream
			if cold {
				s.log(fn, st, at, "INIT_START Runtime Version: java:21.v31\tRuntime Version ARN: arn:aws:lambda:us-west-2::runtime:5f3f2a0c9c1d2b7e8a6f4e1d0c9b8a7f6e5d4c3b2a19087f6e5d4c3b2a190876")
				s.log(fn, st, at.Add(time.Duration(initD*0.9)*time.Millisecond), fmt.Sprintf("%s  INFO 8 --- [quote-engine] [           main] c.e.q.QuoteEngineApplication             : Started QuoteEngineApplication in %.3f seconds (process running for %.3f)", at.Add(time.Duration(initD*0.9)*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), initD/1000*0.85, initD/1000*0.9))
				mn.initN++
			}
			start := at.Add(time.Duration(initD) * time.Millisecond)
			s.log(fn, st, start, fmt.Sprintf("START RequestId: %s Version: %s", rid, ver))
			if status == 500 {
				s.log(fn, st, start.Add(time.Duration(dur*0.8)*time.Millisecond), fmt.Sprintf("%s ERROR 8 --- [quote-engine] [           main] o.s.c.f.a.a.FunctionInvoker              : Failed to invoke function\ncom.example.quote.RateCardNotFoundException: no rate card for lane %s\n\tat com.example.quote.rates.RateCardRepository.findActive(RateCardRepository.java:71)\n\tat com.example.quote.QuoteService.price(QuoteService.java:118)\n\tat com.example.quote.QuoteFunction.apply(QuoteFunction.java:42)\n\tat org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry$FunctionInvocationWrapper.invokeFunctionAndEnrichResultIfNecessary(SimpleFunctionRegistry.java:958)\n\t... 17 more",
					start.Format("2006-01-02T15:04:05.000Z"), s.pick("CN-SHA/US-LAX", "VN-SGN/US-LGB", "KR-PUS/CA-VAN")))
			} else if s.chance(0.05) {
				s.log(fn, st, start.Add(time.Duration(dur*0.7)*time.Millisecond), fmt.Sprintf("%s  INFO 8 --- [quote-engine] [           main] c.e.q.QuoteService                       : priced quote %s lanes=%d currency=USD in %d ms", start.Format("2006-01-02T15:04:05.000Z"), "Q-"+s.alnum(8, true), 1+s.r.Intn(6), int(dur*0.7)))
			}
			end := at.Add(time.Duration(total) * time.Millisecond)
			s.log(fn, st, end, fmt.Sprintf("END RequestId: %s", rid))
			rep := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 2048 MB\tMax Memory Used: %d MB", rid, dur, int(math.Ceil(dur)), 310+s.r.Intn(40))
			if cold {
				rep += fmt.Sprintf("\tInit Duration: %.2f ms", initD)
			}
			s.log(fn, st, end.Add(time.Millisecond), rep+"\t")
			gwStatus, gwErr, lat := status, "-", total+s.jit(25, 0.3)
			if status == 500 {
				gwErr = "-"
			}
			if timedOut {
				gwStatus, gwErr, lat = 504, "Endpoint request timed out", 6000+s.jit(15, 0.5)
			}
			if gwStatus >= 500 {
				mn.c5++
			}
			mn.lat += lat
			mn.maxLat = math.Max(mn.maxLat, lat)
			s.log(acc, "5d1e9b7c0a3f2e8d6c4b1a9f7e5d3c2b", at.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf(`{"requestId":"%s","extendedRequestId":"%s=","ip":"%s","requestTime":"%s","httpMethod":"POST","resourcePath":"/v2/quotes","status":"%d","responseLatency":"%.0f","integrationLatency":"%.0f","integrationStatus":"%s","errorMessage":"%s","integrationErrorMessage":"%s","xrayTraceId":"-"}`,
				s.uuid(), s.alnum(14, false), s.pick("44.231.7.90", "35.160.22.14", "52.89.201.7", "54.148.33.120"), at.Format("02/Jan/2006:15:04:05 -0700"), gwStatus, lat, math.Min(total, 6000), map[bool]string{true: "-", false: fmt.Sprint(status)}[timedOut], gwErr, map[bool]string{true: "Endpoint request timed out", false: "-"}[timedOut]))
			if s.chance(0.05) || (cold && s.chance(0.5)) {
				tid := s.traceID(at)
				gw := s.seg(tid, "pricing-api/prod", "AWS::ApiGateway::Stage", at, time.Duration(lat)*time.Millisecond, gwStatus, map[string]any{"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://api.pricing.example-corp.com/v2/quotes"}, "response": map[string]any{"status": gwStatus}}},
					s.sub("Lambda", "aws", at.Add(3*time.Millisecond), time.Duration(math.Min(total, 6000))*time.Millisecond, timedOut, "", "", map[string]any{"aws": map[string]any{"function_name": "quote-engine", "operation": "Invoke", "region": "us-west-2"}}))
				svc := s.seg(tid, "quote-engine", "AWS::Lambda", at.Add(4*time.Millisecond), time.Duration(total)*time.Millisecond, 0, map[string]any{"parent_id": gw["subsegments"].([]map[string]any)[0]["id"], "aws": map[string]any{"request_id": rid}})
				var subs []map[string]any
				if cold {
					subs = append(subs, s.sub("Initialization", "", at.Add(5*time.Millisecond), time.Duration(initD)*time.Millisecond, false, "", "", nil))
				}
				subs = append(subs, s.sub("Invocation", "", start, time.Duration(dur)*time.Millisecond, status == 500, "com.example.quote.RateCardNotFoundException", "no rate card for lane", nil),
					s.sub("Overhead", "", start.Add(time.Duration(dur)*time.Millisecond), 2*time.Millisecond, false, "", "", nil))
				fnSeg := s.seg(tid, "quote-engine", "AWS::Lambda::Function", at.Add(5*time.Millisecond), time.Duration(total)*time.Millisecond, 0, map[string]any{"parent_id": svc["id"]}, subs...)
				s.addTrace(tid, time.Duration(lat)*time.Millisecond, gw, svc, fnSeg)
			}
		}
		// idle environments are reclaimed after a while (on-demand ones only)
		if t.Second() == 0 {
			var keep []*env
			for _, e := range envs {
				if e.warm || t.Sub(e.busyTo) < e.idle {
					keep = append(keep, e)
				}
			}
			envs = keep
		}
		if s.chance(0.02) {
			rid := s.uuid()
			st := fmt.Sprintf("%s/[$LATEST]%s", t.Format("2006/01/02"), s.hex(32))
			d := s.jit(900, 0.4)
			s.log(pdf, st, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			s.log(pdf, st, t.Add(100*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\trendered quote pdf {\"pages\":%d,\"bytes\":%d}", t.Add(100*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), rid, 1+s.r.Intn(4), 40000+s.r.Intn(90000)))
			if s.chance(0.05) {
				s.log(pdf, st, t.Add(200*time.Millisecond), fmt.Sprintf("%s\t%s\tWARN\tfont fallback: glyph U+4E2D missing in Inter, using Noto Sans CJK", t.Add(200*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), rid))
			}
			s.log(pdf, st, t.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
			s.log(pdf, st, t.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: %d MB\t", rid, d, int(d)+1, 180+s.r.Intn(40)))
		}
	})
	get := func(t time.Time) *minute {
		if m := per[t.Unix()]; m != nil {
			return m
		}
		return &minute{}
	}
	ad := dims("ApiName", "pricing-api", "Stage", "prod")
	s.metric("AWS/ApiGateway", "Count", "Count", "sum", ad, func(t time.Time) float64 { return get(t).n })
	s.countOf("AWS/ApiGateway", "5XXError", ad, func(t time.Time) float64 { return get(t).c5 }, func(t time.Time) float64 { return get(t).n })
	s.countOf("AWS/ApiGateway", "4XXError", ad, func(t time.Time) float64 { return math.Round(s.jit(3, 1)) }, func(t time.Time) float64 { return get(t).n })
	s.metric("AWS/ApiGateway", "Latency", "Milliseconds", "gauge", ad, func(t time.Time) float64 { m := get(t); return m.lat / (m.n + 0.001) })
	s.setMax(func(t time.Time) float64 { return get(t).maxLat })
	ld := dims("FunctionName", "quote-engine", "Resource", "quote-engine:live")
	s.metric("AWS/Lambda", "Invocations", "Count", "sum", ld, func(t time.Time) float64 { return get(t).n })
	s.metric("AWS/Lambda", "Duration", "Milliseconds", "gauge", ld, func(t time.Time) float64 { m := get(t); return m.dur / (m.n + 0.001) })
	s.countOf("AWS/Lambda", "Errors", ld, func(t time.Time) float64 { return math.Round(get(t).n * 0.004) }, func(t time.Time) float64 { return get(t).n })
	s.metric("AWS/Lambda", "ProvisionedConcurrencySpilloverInvocations", "Count", "sum", ld, func(t time.Time) float64 {
		if !t.Before(effective.Truncate(time.Minute)) {
			return math.NaN()
		}
		return get(t).spill
	})
	s.metric("AWS/Lambda", "ProvisionedConcurrencyUtilization", "None", "gauge", ld, func(t time.Time) float64 {
		if !t.Before(effective.Truncate(time.Minute)) {
			return math.NaN()
		}
		return math.Min(1, get(t).pcUsed/60*0.25/10)
	})
	s.metric("AWS/Lambda", "ConcurrentExecutions", "Count", "gauge", dims("FunctionName", "quote-engine"), func(t time.Time) float64 {
		m := get(t)
		return math.Round(m.n/60*0.25 + m.initN*7.6/60 + 1)
	})
	s.metric("AWS/Lambda", "Duration", "Milliseconds", "gauge", dims("FunctionName", "quote-pdf-renderer"), func(t time.Time) float64 { return s.jit(900, 0.2) })
	fire, reason := fireMofN(s, func(t time.Time) float64 { return get(t).maxLat }, 5000, 2, 3, onset)
	s.alarm("pricing-api-prod-latency-max", "pricing-api prod: requests slower than 5 s in 2 of 3 minutes (partner SLA is 5 s)", "AWS/ApiGateway", "Latency", "Maximum", ad, 60, 3, 5000, "GreaterThanThreshold", time.Time{}, fire, reason, "notBreaching")
	s.alarms[len(s.alarms)-1]["DatapointsToAlarm"] = 2
	s.okAlarm("pricing-api-prod-5xx-rate", "AWS/ApiGateway", "5XXError", "Sum", ad, 25, "GreaterThanThreshold")
	s.okAlarm("quote-engine-throttles", "AWS/Lambda", "Throttles", "Sum", dims("FunctionName", "quote-engine"), 5, "GreaterThanThreshold")

	sweeper := s.role("finops-idle-capacity-sweeper", "finops-idle-capacity-sweeper", "35.88.14.201", "Boto3/1.35.40 md/Botocore#1.35.40 ua/2.0 os/linux#5.10.227-239.830.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.35.40", false)
	cd := s.role("github-actions-deploy", "GitHubActions", "20.171.44.9", "aws-sdk-js/3.682.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/lambda#3.682.0", false)
	oncall := s.role("AWSReservedSSO_OnCall_2f8e1d7c6b5a4930", "priya.raman@example-corp.com", "192.0.2.200", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", true)
	s.baseNoise(470, "quote-pdf-renderer", []noiseOp{
		{p: sweeper, source: "lambda.amazonaws.com", name: "ListFunctions20150331", ro: true, weight: 3},
		{p: sweeper, source: "lambda.amazonaws.com", name: "ListProvisionedConcurrencyConfigs", ro: true, weight: 3, req: func() any {
			return map[string]any{"functionName": s.pick("quote-engine", "quote-pdf-renderer", "rates-sync", "partner-webhooks")}
		}},
		{p: sweeper, source: "monitoring.amazonaws.com", name: "GetMetricStatistics", ro: true, weight: 6},
		{p: cd, source: "lambda.amazonaws.com", name: "GetFunction20150331v2", ro: true, weight: 2},
		{p: s.service("apigateway.amazonaws.com"), source: "sts.amazonaws.com", name: "AssumeRole", ro: true, weight: 4},
	})
	// the sweeper looks at utilisation first, then deletes
	s.trail(change.Add(-9*time.Second), sweeper, "lambda.amazonaws.com", "GetProvisionedConcurrencyConfig", map[string]any{"functionName": "quote-engine", "qualifier": "live"}, nil, true)
	s.trail(change, sweeper, "lambda.amazonaws.com", "DeleteProvisionedConcurrencyConfig", map[string]any{"functionName": "quote-engine", "qualifier": "live"}, nil, false)
	d1 := ts("2026-11-19T15:58:12Z")
	s.trail(d1, cd, "lambda.amazonaws.com", "PublishVersion20150331",
		map[string]any{"functionName": "quote-pdf-renderer", "codeSha256": "pT1uV0x3yQ9cZk2mFh8sGd4jLw7nRb6aEo5iKq1XeYc=", "description": "release 2026.11.19-3"},
		map[string]any{"functionName": "quote-pdf-renderer", "functionArn": "arn:aws:lambda:us-west-2:559083127746:function:quote-pdf-renderer:112", "version": "112", "runtime": "nodejs20.x", "state": "Active"}, false)
	d2 := ts("2026-11-19T15:58:31Z")
	s.trail(d2, cd, "lambda.amazonaws.com", "UpdateAlias20150331",
		map[string]any{"functionName": "quote-pdf-renderer", "name": "live", "functionVersion": "112"},
		map[string]any{"aliasArn": "arn:aws:lambda:us-west-2:559083127746:function:quote-pdf-renderer:live", "name": "live", "functionVersion": "112"}, false)
	d3 := ts("2026-11-19T16:12:20Z")
	s.trail(d3, oncall, "lambda.amazonaws.com", "PutFunctionConcurrency20171031",
		map[string]any{"functionName": "quote-engine", "reservedConcurrentExecutions": 400},
		map[string]any{"reservedConcurrentExecutions": 400}, false)
	s.truth = map[string]any{"name": s.Name, "kind": "cold-starts", "alarm": "pricing-api-prod-latency-max",
		"root_cause": map[string]any{"event_name": "DeleteProvisionedConcurrencyConfig", "event_time": change.Format(time.RFC3339), "resource": "quote-engine:live"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{decoy("PublishVersion20150331", d1), decoy("UpdateAlias20150331", d2), decoy("PutFunctionConcurrency20171031", d3)},
		"signals":    []string{"Endpoint request timed out", "Init Duration"}}
	s.write()
}
