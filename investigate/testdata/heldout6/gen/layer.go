package main

import (
	"fmt"
	"math"
	"time"
)

// lambdaLayerImport: CI attaches a new version of the shared Python
// dependency layer to pricing-quote-api. The layer was built on an x86
// runner for an arm64 function, so pydantic_core's compiled extension
// cannot load. Environments that were warm before the update keep serving
// until Lambda reclaims them; every new environment fails its init, so the
// errors start as a trickle on cold starts and grow as the old ones go.
func lambdaLayerImport() *inc {
	start, end := ts("2026-11-19T13:00:00Z"), ts("2026-11-19T14:12:00Z")
	acct := "604118833291"
	i := newInc("lambda-layer-import-error", 6202, "us-east-2", acct, start, end,
		"pricing-api: intermittent 502 on POST /quotes",
		"pricing-api (API Gateway REST API, stage prod) proxies POST /quotes to the Lambda function pricing-quote-api (Python 3.12, arm64, 1024 MB) whose dependencies (pydantic, httpx, structlog) come from the layer py-deps-pricing. pricing-quote-api reads exchange and tax rates from an internal rates service over HTTPS and caches them in memory. pricing-rules-sync (Lambda, every 5 minutes) refreshes the rules table in DynamoDB. Functions and layers are published by GitHub Actions through the role github-actions-deploy.")
	fnArn := "arn:aws:lambda:us-east-2:" + acct + ":function:pricing-quote-api"
	layer14 := "arn:aws:lambda:us-east-2:" + acct + ":layer:py-deps-pricing:14"
	layer15 := "arn:aws:lambda:us-east-2:" + acct + ":layer:py-deps-pricing:15"
	change := ts("2026-11-19T13:52:30Z")
	ready := change.Add(6 * time.Second) // LastUpdateStatus Successful

	i.noise(noiseCfg{lambdaRoles: []string{"pricing-quote-api-role", "pricing-rules-sync-role"}, ecrRepos: []string{"storefront-web", "pricing-admin"},
		secrets: []string{"prod/pricing/rates-api-token"}, taskRoles: []string{"storefront-web-task"}})
	ci := i.role(acct, "github-actions-deploy", "GitHubActions")
	gh := func(t time.Time, name string, req, resp any) {
		i.ct(ev{t: t, who: ci, source: "lambda.amazonaws.com", name: name, req: req, resp: resp, ip: "20.85.183.7", agent: "aws-cli/2.22.5 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exe-cmd/lambda"})
	}
	cfg := func(layers []string, status string, env map[string]string) map[string]any {
		var ls []any
		for _, l := range layers {
			ls = append(ls, map[string]any{"arn": l, "codeSize": 41893312})
		}
		return map[string]any{"functionName": "pricing-quote-api", "functionArn": fnArn, "runtime": "python3.12", "role": "arn:aws:iam::" + acct + ":role/pricing-quote-api-role",
			"handler": "app.handler", "codeSize": 48211, "timeout": 6, "memorySize": 1024, "lastModified": "", "version": "$LATEST", "layers": ls,
			"state": "Active", "lastUpdateStatus": status, "architectures": []string{"arm64"}, "environment": map[string]any{"variables": env}}
	}
	env := map[string]string{"RATES_URL": "https://rates.internal.northwind-retail.com", "LOG_LEVEL": "info", "POWERTOOLS_SERVICE_NAME": "pricing"}
	// an ordinary code deploy of the same function, 34 min earlier
	gh(ts("2026-11-19T13:18:44Z"), "UpdateFunctionCode20150331v2", map[string]any{"functionName": "pricing-quote-api", "s3Bucket": "northwind-lambda-artifacts-us-east-2", "s3Key": "pricing-quote-api/4f1c2a9.zip", "publish": false}, cfg([]string{layer14}, "InProgress", env))
	// the layer version, then the configuration that attaches it
	gh(ts("2026-11-19T13:49:02Z"), "PublishLayerVersion20181031", map[string]any{"layerName": "py-deps-pricing", "description": "pydantic 2.10.3, httpx 0.28.0, structlog 24.4.0 (build 1187)", "content": map[string]any{"s3Bucket": "northwind-lambda-artifacts-us-east-2", "s3Key": "layers/py-deps-pricing-1187.zip"}, "compatibleRuntimes": []string{"python3.12"}, "compatibleArchitectures": []string{"arm64"}},
		map[string]any{"layerArn": "arn:aws:lambda:us-east-2:" + acct + ":layer:py-deps-pricing", "layerVersionArn": layer15, "version": 15, "compatibleRuntimes": []string{"python3.12"}, "compatibleArchitectures": []string{"arm64"}})
	gh(ts("2026-11-19T13:49:05Z"), "GetLayerVersion20181031", map[string]any{"layerName": "py-deps-pricing", "versionNumber": 15}, nil)
	gh(change, "UpdateFunctionConfiguration20150331v2", map[string]any{"functionName": "pricing-quote-api", "layers": []string{layer15}}, cfg([]string{layer15}, "InProgress", env))
	// a person changes another function's environment, closer to the onset
	i.ct(ev{t: ts("2026-11-19T13:53:04Z"), who: i.sso("PricingDevelopers", "m.haddad@northwind-retail.com"), source: "lambda.amazonaws.com", name: "UpdateFunctionConfiguration20150331v2",
		ip: "73.162.40.19", agent: "AWS Internal",
		req:  map[string]any{"functionName": "pricing-rules-sync", "environment": map[string]any{"variables": map[string]string{"RULES_TABLE": "pricing-rules-v3", "DRY_RUN": "false"}}},
		resp: map[string]any{"functionName": "pricing-rules-sync", "runtime": "python3.12", "lastUpdateStatus": "InProgress"}})
	i.ct(ev{t: ts("2026-11-19T14:06:51Z"), who: i.sso("PricingDevelopers", "m.haddad@northwind-retail.com"), source: "lambda.amazonaws.com", name: "GetFunction20150331v2",
		readOnly: true, ip: "73.162.40.19", agent: "AWS Internal", req: map[string]any{"functionName": "pricing-quote-api"}})
	i.truth = map[string]any{"kind": "lambda-config", "alarm": "pricing-api-5xx",
		"root_cause": map[string]any{"event_name": "UpdateFunctionConfiguration20150331v2", "event_time": change.Format(time.RFC3339), "resource": "pricing-quote-api"},
		"decoys":     []any{change0("UpdateFunctionCode20150331v2", "2026-11-19T13:18:44Z"), change0("PublishLayerVersion20181031", "2026-11-19T13:49:02Z"), change0("UpdateFunctionConfiguration20150331v2", "2026-11-19T13:53:04Z")},
		"signals":    []string{"Runtime.ImportModuleError", "No module named 'pydantic_core._pydantic_core'", "pricing-quote-api"}}

	lg := "/aws/lambda/pricing-quote-api"
	acc := "/aws/apigateway/pricing-api-access"
	type env0 struct {
		stream string
		until  time.Time
	}
	// warm environments from before the update and when Lambda reclaims them
	old := []env0{}
	for _, u := range []string{"13:57:40", "14:03:10", "14:08:55", "14:16:20", "14:24:05"} {
		old = append(old, env0{"2026/11/19/[$LATEST]" + i.hex(32), ts("2026-11-19T" + u + "Z")})
	}
	inv, errs, dur, gw5, gwN, lat := map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}
	var onset time.Time
	slowRates := func(t time.Time) bool { // the rates service has a slow spell, before the change
		return t.After(ts("2026-11-19T13:27:00Z")) && t.Before(ts("2026-11-19T13:36:00Z"))
	}
	i.everyMinute(func(m time.Time) {
		n := int(i.poisson(24))
		for k := 0; k < n; k++ {
			t0 := i.jitter(m, time.Minute)
			rid := i.uuid()
			apiID := i.uuid()
			ip := fmt.Sprintf("%d.%d.%d.%d", 20+i.r.Intn(180), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255))
			inv[m]++
			gwN[m]++
			alive := []env0{}
			for _, e := range old {
				if t0.Before(e.until) {
					alive = append(alive, e)
				}
			}
			cold := i.r.Intn(100) < 4
			if !t0.Before(ready) && (len(alive) == 0 || cold || i.r.Intn(len(old)) >= len(alive)) {
				// a new environment on the new configuration: init fails
				s := "2026/11/19/[$LATEST]" + i.hex(32)
				initD := 280 + i.r.Float64()*90
				msg := "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'pydantic_core._pydantic_core'\nTraceback (most recent call last):"
				i.log(lg, s, t0, msg)
				i.log(lg, s, t0.Add(time.Duration(initD)*time.Millisecond), fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError", initD))
				t1 := t0.Add(time.Duration(initD+5) * time.Millisecond)
				i.log(lg, s, t1, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
				i.log(lg, s, t1.Add(250*time.Millisecond), msg)
				i.log(lg, s, t1.Add(260*time.Millisecond), fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError", 250+i.r.Float64()*30))
				i.log(lg, s, t1.Add(262*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
				i.log(lg, s, t1.Add(263*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: 41 MB\tStatus: error\tError Type: Runtime.ImportModuleError", rid, 261.3+i.r.Float64()*10, 262+i.r.Intn(10)))
				errs[m]++
				gw5[m]++
				dur[m] += 262
				lat[m] += initD + 270
				if onset.IsZero() || t0.Before(onset) {
					onset = t0
				}
				i.log(acc, "1b2c"+i.hex(28), t1.Add(270*time.Millisecond), fmt.Sprintf(`{"requestId":"%s","ip":"%s","requestTime":"%s","httpMethod":"POST","resourcePath":"/quotes","status":"502","protocol":"HTTP/1.1","responseLength":"36","integrationStatus":"200","integrationLatency":"%d","errorMessage":"Internal server error"}`,
					apiID, ip, t0.Format("02/Jan/2006:15:04:05 -0700"), int(initD+265)))
				continue
			}
			var s string
			if len(alive) > 0 && !cold {
				s = alive[i.r.Intn(len(alive))].stream
			} else {
				s = "2026/11/19/[$LATEST]" + i.hex(32)
				if t0.Before(change) {
					i.log(lg, s, t0, fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms", 610+i.r.Float64()*120))
					t0 = t0.Add(700 * time.Millisecond)
				}
			}
			d := 35 + i.r.Float64()*60
			if slowRates(t0) {
				d += 900 + i.r.Float64()*2500
			}
			i.log(lg, s, t0, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			tt := t0.Add(time.Duration(d) * time.Millisecond)
			status := "200"
			switch {
			case slowRates(t0) && i.r.Intn(9) == 0:
				status = "500"
				i.log(lg, s, tt, fmt.Sprintf(`{"event": "rates lookup failed", "level": "error", "timestamp": "%s", "request_id": "%s", "exception": "Traceback (most recent call last):\n  File \"/var/task/rates.py\", line 44, in fetch_rates\n    r = client.get(f\"{RATES_URL}/v2/fx\", timeout=2.0)\n  File \"/opt/python/httpx/_client.py\", line 1066, in get\n    return self.request(\n  File \"/opt/python/httpx/_transports/default.py\", line 117, in map_httpcore_exceptions\n    raise mapped_exc(message) from exc\nhttpx.ReadTimeout: The read operation timed out"}`, tt.Format("2006-01-02T15:04:05.000000Z"), rid))
				gw5[m]++
			case i.r.Intn(10) == 0:
				i.log(lg, s, tt.Add(-20*time.Millisecond), fmt.Sprintf(`{"event": "rates cache miss", "level": "warning", "timestamp": "%s", "request_id": "%s", "currency": "%s"}`, tt.Format("2006-01-02T15:04:05.000000Z"), rid, i.pick("EUR", "GBP", "CAD", "JPY")))
				fallthrough
			default:
				i.log(lg, s, tt, fmt.Sprintf(`{"event": "quote computed", "level": "info", "timestamp": "%s", "request_id": "%s", "sku_count": %d, "currency": "%s", "total_cents": %d}`, tt.Format("2006-01-02T15:04:05.000000Z"), rid, 1+i.r.Intn(6), i.pick("USD", "USD", "EUR", "GBP"), 1200+i.r.Intn(40000)))
			}
			i.log(lg, s, tt.Add(time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
			i.log(lg, s, tt.Add(2*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: %d MB", rid, d, int(d)+1, 118+i.r.Intn(9)))
			dur[m] += d
			lat[m] += d + 18
			i.log(acc, "1b2c"+i.hex(28), tt.Add(15*time.Millisecond), fmt.Sprintf(`{"requestId":"%s","ip":"%s","requestTime":"%s","httpMethod":"POST","resourcePath":"/quotes","status":"%s","protocol":"HTTP/1.1","responseLength":"%d","integrationStatus":"200","integrationLatency":"%d","errorMessage":"-"}`,
				apiID, ip, t0.Format("02/Jan/2006:15:04:05 -0700"), status, 380+i.r.Intn(600), int(d)))
		}
		// an occasional timeout while the rates service is slow
		if slowRates(m) && i.r.Intn(4) == 0 {
			rid := i.uuid()
			s := "2026/11/19/[$LATEST]" + i.hex(32)
			t0 := i.jitter(m, 30*time.Second)
			i.log(lg, s, t0, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			i.log(lg, s, t0.Add(6*time.Second), fmt.Sprintf("%s %s Task timed out after 6.00 seconds", t0.Add(6*time.Second).Format("2006-01-02T15:04:05.000Z"), rid))
			i.log(lg, s, t0.Add(6*time.Second+time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
			i.log(lg, s, t0.Add(6*time.Second+2*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: 6000.00 ms\tBilled Duration: 6000 ms\tMemory Size: 1024 MB\tMax Memory Used: 131 MB\tStatus: timeout", rid))
			inv[m]++
			errs[m]++
			gw5[m]++
			gwN[m]++
			dur[m] += 6000
		}
	})
	i.truth["onset"] = onset.Format(time.RFC3339)

	// the rules sync runs every five minutes, unaffected
	for t := start.Add(90 * time.Second); t.Before(end); t = t.Add(5 * time.Minute) {
		rid := i.uuid()
		s := "2026/11/19/[$LATEST]" + i.hex(32)
		i.log("/aws/lambda/pricing-rules-sync", s, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
		i.log("/aws/lambda/pricing-rules-sync", s, t.Add(1400*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tsynced %d pricing rules to %s", t.Format("2006-01-02T15:04:05.000Z"), rid, 1800+i.r.Intn(30), map[bool]string{true: "pricing-rules-v3", false: "pricing-rules-v2"}[t.After(ts("2026-11-19T13:53:04Z"))]))
		i.log("/aws/lambda/pricing-rules-sync", s, t.Add(1402*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
	}

	fn := dims("FunctionName", "pricing-quote-api")
	api := dims("ApiName", "pricing-api", "Stage", "prod")
	i.metric("AWS/Lambda", "Invocations", "Count", fn, func(m time.Time) (float64, float64) { return inv[m], 1 })
	i.metric("AWS/Lambda", "Errors", "Count", fn, func(m time.Time) (float64, float64) { return errs[m], 1 })
	i.metric("AWS/Lambda", "Duration", "Milliseconds", fn, func(m time.Time) (float64, float64) { return dur[m], math.Max(inv[m], 1) })
	i.metric("AWS/Lambda", "ConcurrentExecutions", "Count", fn, func(m time.Time) (float64, float64) { return i.noisy(3, 0.4), 1 })
	i.metric("AWS/ApiGateway", "5XXError", "Count", api, func(m time.Time) (float64, float64) { return gw5[m], 1 })
	i.metric("AWS/ApiGateway", "Count", "Count", api, func(m time.Time) (float64, float64) { return gwN[m], 1 })
	i.metric("AWS/ApiGateway", "Latency", "Milliseconds", api, func(m time.Time) (float64, float64) { return lat[m] + 18*gwN[m], math.Max(gwN[m], 1) })
	i.metric("AWS/Lambda", "Duration", "Milliseconds", dims("FunctionName", "pricing-rules-sync"), func(m time.Time) (float64, float64) {
		if m.Minute()%5 != 1 {
			return 0, 0
		}
		return i.noisy(1400, 0.1), 1
	})
	// the alarm: 5XXError Sum >= 10 over five minutes
	var fired time.Time
	var val float64
	flapped := false
	for p := start; p.Before(end); p = p.Add(5 * time.Minute) {
		var s float64
		for q := p; q.Before(p.Add(5 * time.Minute)); q = q.Add(time.Minute) {
			s += gw5[q]
		}
		if s >= 10 && !p.After(change) && !flapped {
			flapped = true // the slow rates spell tripped it before, and it recovered
			i.flap("pricing-api-5xx", p.Add(5*time.Minute+48*time.Second), 10*time.Minute)
		}
		if s >= 10 && p.After(change) {
			fired, val = p.Add(5*time.Minute+48*time.Second), s
			break
		}
	}
	i.alarm(alarmSpec{name: "pricing-api-5xx", desc: "pricing-api returns 5xx (API Gateway). Owner: pricing team.", ns: "AWS/ApiGateway", metric: "5XXError", stat: "Sum",
		cmp: "GreaterThanOrEqualToThreshold", unit: "Count", dims: api, threshold: 10, period: 300, evalPeriods: 1, datapoints: 1, fired: fired, value: val,
		actions: []string{"arn:aws:sns:us-east-2:" + acct + ":pricing-oncall"}})
	return i
}
