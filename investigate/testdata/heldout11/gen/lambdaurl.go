package main

import (
	"fmt"
	"time"
)

// lambdaURLAuthIAM: Terraform flips the quote widget's function URL to
// AWS_IAM; browsers cannot sign requests, so they get 403 Forbidden from
// the URL and the function stops being invoked at all.
func lambdaURLAuthIAM(root string) {
	start := time.Date(2026, 11, 27, 14, 40, 0, 0, time.UTC)
	end := time.Date(2026, 11, 27, 16, 40, 0, 0, time.UTC)
	s := newSnap("lambda-url-auth-iam", 1103, start, end)
	s.title = "storefront quotes shown dropped"
	s.arch = "Storefront (Next.js on ECS, service storefront-web) embeds a shipping-quote widget; browsers call the Lambda function URL of quote-widget (nodejs20.x) directly with fetch() and report client errors back to storefront-web /api/beacon."
	mem := time.Date(2026, 11, 27, 15, 48, 3, 0, time.UTC)
	pub := time.Date(2026, 11, 27, 16, 1, 30, 0, time.UTC)
	change := time.Date(2026, 11, 27, 16, 8, 14, 0, time.UTC)
	onset := time.Date(2026, 11, 27, 16, 8, 19, 0, time.UTC)
	fired := time.Date(2026, 11, 27, 16, 13, 5, 0, time.UTC)
	url := "https://k3x7qz2mvd5r4w6hnb7yfa4ulq0gkytc.lambda-url.us-east-1.on.aws/"
	fnArn := "arn:aws:lambda:us-east-1:" + acct + ":function:quote-widget"

	dev := who{assumed("AWSReservedSSO_Developer_7e3b2d91a0c4f56e", "noor.haddad@acme.io", "AROAWB3KJ7QFDEVLPR03", mem.Add(-30*time.Minute)), "81.2.69.190", "console.amazonaws.com"}
	tf := who{assumed("terraform-apply", "terraform-run-4471", "AROAWB3KJ7QFTFAPPLY5", pub.Add(-3*time.Minute)), "20.42.11.51", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/lambda#1.66.0"}
	s.ct(mem.Add(-20*time.Second), "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", dev, map[string]any{"functionName": "quote-widget"}, nil, true)
	s.ct(mem, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", dev, map[string]any{"functionName": "quote-widget", "memorySize": 1024},
		map[string]any{"functionName": "quote-widget", "functionArn": fnArn, "runtime": "nodejs20.x", "memorySize": 1024, "timeout": 10, "lastUpdateStatus": "InProgress", "state": "Active", "version": "$LATEST"}, false)
	for i, op := range []string{"GetFunction20150331v2", "ListVersionsByFunction20150331", "GetFunctionUrlConfig20211031", "GetPolicy20150331v2"} {
		s.ct(pub.Add(time.Duration(-40+i*5)*time.Second), "lambda.amazonaws.com", op, tf, map[string]any{"functionName": "quote-widget"}, nil, true)
	}
	s.ct(pub, "lambda.amazonaws.com", "PublishVersion20150331", tf, map[string]any{"functionName": "quote-widget", "description": "release 2026.11.27-2"},
		map[string]any{"functionName": "quote-widget", "functionArn": fnArn + ":37", "version": "37", "memorySize": 1024, "state": "Active"}, false)
	s.ct(pub.Add(6*time.Second), "lambda.amazonaws.com", "UpdateAlias20150331", tf, map[string]any{"functionName": "quote-widget", "name": "live", "functionVersion": "37"}, map[string]any{"aliasArn": fnArn + ":live", "functionVersion": "37"}, false)
	for i, op := range []string{"GetFunction20150331v2", "GetFunctionUrlConfig20211031"} {
		s.ct(change.Add(time.Duration(-30+i*8)*time.Second), "lambda.amazonaws.com", op, tf, map[string]any{"functionName": "quote-widget"}, nil, true)
	}
	cors := map[string]any{"allowOrigins": []string{"https://www.acme-outdoor.com", "https://shop.acme-outdoor.com"}, "allowMethods": []string{"GET", "POST"}, "allowHeaders": []string{"content-type"}, "maxAge": 600}
	s.ct(change, "lambda.amazonaws.com", "UpdateFunctionUrlConfig20211031", tf, map[string]any{"functionName": "quote-widget", "authType": "AWS_IAM", "cors": cors},
		map[string]any{"functionUrl": url, "functionArn": fnArn, "authType": "AWS_IAM", "cors": cors, "creationTime": "2025-06-03T09:12:44.100551Z", "lastModifiedTime": change.Format("2006-01-02T15:04:05.000000Z"), "invokeMode": "BUFFERED"}, false)
	_, _, sso, _, _ := s.actors()
	s.ct(fired.Add(2*time.Minute), "lambda.amazonaws.com", "GetFunction20150331v2", sso, map[string]any{"functionName": "quote-widget"}, nil, true)

	fnG := "/aws/lambda/quote-widget"
	web := "/ecs/storefront-web"
	inv := map[time.Time]float64{}
	u4 := map[time.Time]float64{}
	shown := map[time.Time]float64{}
	durs := map[time.Time]float64{}
	stream := s.lambdaStream(start, "$LATEST")
	webStream := "ecs/storefront-web/9a1c3e5f7b2d4f6a8c0e2b4d6f8a1c3e"
	s.minutes(func(m time.Time) {
		if m.Sub(start)%(37*time.Minute) == 0 {
			stream = s.lambdaStream(m, "37")
		}
		rate := 30.0
		if m.Hour() == 15 && m.Minute() > 30 {
			rate = 36
		}
		n := s.poisson(rate)
		for i := 0; i < n; i++ {
			t := s.jitter(m, 60000)
			if !t.Before(onset) || (m.Equal(onset.Truncate(time.Minute)) && i == 0) {
				if m.Equal(onset.Truncate(time.Minute)) && i == 0 {
					t = onset
				}
				// the request never reaches the function
				u4[m]++
				if s.rng.Float64() < 0.22 || t.Equal(onset) {
					s.log(web, webStream, t.Add(400*time.Millisecond), fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"ip-10-40-12-77.ec2.internal","route":"/api/beacon","component":"QuoteWidget","kind":"fetch","status":403,"statusText":"Forbidden","body":"{\"Message\":\"Forbidden\"}","url":"%squote?postcode=%d","ua":"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)","msg":"client error beacon"}`, t.Add(400*time.Millisecond).UnixMilli(), url, 10000+s.rng.Intn(89999)))
				}
				continue
			}
			inv[m]++
			req := s.uuid()
			d := 180 + s.rng.ExpFloat64()*140
			if t.After(mem) {
				d *= 0.62
			}
			durs[m] += d
			s.log(fnG, stream, t, "START RequestId: "+req+" Version: $LATEST")
			switch r := s.rng.Float64(); {
			case r < 0.025:
				u4[m]++
				s.log(fnG, stream, t.Add(20*time.Millisecond), fmt.Sprintf("%s\t%s\tWARN\t%s", t.Add(20*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), req, fmt.Sprintf(`{"level":40,"time":%d,"msg":"invalid quote request","err":{"type":"ZodError","message":"[{\"code\":\"invalid_string\",\"path\":[\"postcode\"],\"message\":\"Invalid\"}]"}}`, t.UnixMilli())))
			case r < 0.032:
				s.log(fnG, stream, t.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf("%s\t%s\tERROR\t%s", t.Format("2006-01-02T15:04:05.000Z"), req, fmt.Sprintf(`{"level":50,"time":%d,"msg":"carrier rate lookup failed, serving table rate","err":{"type":"FetchError","message":"request to https://rates.carrier-hub.example/v2/quote failed, reason: socket hang up","code":"ECONNRESET"}}`, t.UnixMilli())))
				shown[m]++
			default:
				shown[m]++
				if s.rng.Float64() < 0.35 {
					s.log(fnG, stream, t.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\t%s", t.Add(time.Duration(d)*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), req, fmt.Sprintf(`{"level":30,"time":%d,"msg":"quote served","carrier":"%s","cents":%d,"ms":%d}`, t.UnixMilli(), []string{"ups", "dhl", "usps"}[s.rng.Intn(3)], 500+s.rng.Intn(3000), int(d))))
				}
			}
			s.log(fnG, stream, t.Add(time.Duration(d)*time.Millisecond), "END RequestId: "+req)
			mm := 512
			if t.After(mem) {
				mm = 1024
			}
			s.lambdaReport(fnG, stream, t.Add(time.Duration(d+1)*time.Millisecond), req, d, mm, 88+s.rng.Intn(20), 0, "")
		}
		// storefront's own traffic and other widgets' beacons
		for i := 0; i < s.poisson(14); i++ {
			t := s.jitter(m, 60000)
			s.log(web, webStream, t, fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"ip-10-40-12-77.ec2.internal","req":{"method":"GET","url":"/p/%d"},"res":{"statusCode":200},"responseTime":%d,"msg":"request completed"}`, t.UnixMilli(), 1000+s.rng.Intn(9000), 40+s.rng.Intn(200)))
		}
		if s.rng.Float64() < 0.3 {
			t := s.jitter(m, 60000)
			s.log(web, webStream, t, fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"ip-10-40-12-77.ec2.internal","route":"/api/beacon","component":"ReviewsCarousel","kind":"error","message":"ChunkLoadError: Loading chunk 812 failed.","ua":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)","msg":"client error beacon"}`, t.UnixMilli()))
		}
		if s.rng.Float64() < 0.12 {
			t := s.jitter(m, 60000)
			s.log(web, webStream, t, fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"ip-10-40-12-77.ec2.internal","route":"/api/beacon","component":"StockBadge","kind":"fetch","status":503,"statusText":"Service Unavailable","url":"https://api.acme-outdoor.com/stock/%d","msg":"client error beacon"}`, t.UnixMilli(), 1000+s.rng.Intn(9000)))
		}
	})
	fn := []dim{{"FunctionName", "quote-widget"}}
	s.count("AWS/Lambda", "Invocations", fn, func(m time.Time) float64 { return inv[m] })
	s.count("AWS/Lambda", "Errors", fn, func(m time.Time) float64 { return 0.05 })
	s.metric("AWS/Lambda", "Duration", fn, "Milliseconds", func(m time.Time) (float64, float64, float64, float64, bool) {
		if inv[m] == 0 {
			return 0, 0, 0, 0, false
		}
		return durs[m], inv[m], 90, 900, true
	})
	url4 := []dim{{"FunctionName", "quote-widget"}, {"Resource", "quote-widget"}}
	s.count("AWS/Lambda", "UrlRequestCount", url4, func(m time.Time) float64 { return inv[m] + u4[m] })
	s.count("AWS/Lambda", "Url4xxCount", url4, func(m time.Time) float64 { return u4[m] })
	s.count("AWS/Lambda", "Url5xxCount", url4, func(m time.Time) float64 { return 0.02 })
	s.count("Storefront", "QuotesShown", []dim{{"Widget", "quote"}}, func(m time.Time) float64 { return shown[m] })
	s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "storefront"}, {"ServiceName", "storefront-web"}}, "Percent", 1, func(m time.Time) float64 {
		if m.Hour() == 15 && m.Minute() > 30 {
			return 48
		}
		return 35
	})
	s.alarm("storefront-quotes-shown-low", "shipping quotes shown to shoppers < 20/min for 3 minutes", "Storefront", "QuotesShown", []dim{{"Widget", "quote"}}, "Sum", 20, "LessThanThreshold", 3, fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [0.0 (27/11/26 16:12:00), 0.0 (27/11/26 16:11:00), 0.0 (27/11/26 16:10:00)] were less than the threshold (20.0) (minimum 3 datapoints for OK -> ALARM transition).", "ALARM")
	s.noiseTrail([]string{"quote-widget-role", "storefront-web-task", "ecsTaskExecutionRole"}, []string{"storefront-web", "quote-widget"}, []string{web, fnG})
	s.write(root, truth{
		Name: s.name, Kind: "lambda-function-url-auth-changed", Alarm: "storefront-quotes-shown-low",
		RootCause: &rootCause{"UpdateFunctionUrlConfig20211031", change, fnArn},
		Onset:     onset,
		Decoys:    []decoy{{"UpdateFunctionConfiguration20150331v2", mem}, {"PublishVersion20150331", pub}},
		Signals:   []string{"quote-widget", "Forbidden", "403"},
	})
}
