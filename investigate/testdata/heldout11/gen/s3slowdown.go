package main

import (
	"fmt"
	"time"
)

// s3SlowdownBatch: nothing in the account changed. The nightly reindex,
// started by EventBridge Scheduler (its invocation is a data event, not in
// the management trail), hammers the incoming/ prefix and S3 answers the
// uploader's PutObject calls with 503 SlowDown.
func s3SlowdownBatch(root string) {
	start := time.Date(2026, 11, 26, 1, 40, 0, 0, time.UTC)
	end := time.Date(2026, 11, 26, 3, 40, 0, 0, time.UTC)
	s := newSnap("s3-slowdown-batch-hotspot", 1105, start, end)
	s.title = "media-uploader 5xx"
	s.arch = "Mobile apps upload photos through ALB prod-edge to media-uploader (Go, ECS Fargate, aws-sdk-go-v2), which writes them to s3://acme-media-ingest-prod/incoming/<date>/. A nightly reindex Lambda (ingest-reindex, python3.12, invoked by EventBridge Scheduler schedule daily-reindex at 03:00 UTC) copies and re-tags objects under the same prefix."
	batch := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	onset := time.Date(2026, 11, 26, 3, 1, 12, 0, time.UTC)
	batchEnd := time.Date(2026, 11, 26, 3, 24, 40, 0, time.UTC)
	fired := time.Date(2026, 11, 26, 3, 5, 40, 0, time.UTC)
	_, ci, sso, _, _ := s.actors()
	ci.agent = "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/ecs#3.693.0 exec-env/GitHubActions"
	regAt := time.Date(2026, 11, 26, 2, 53, 58, 0, time.UTC)
	up := s.ecsDeploy(ci, regAt, "media-uploader", "media-uploader-task", "media-uploader:sha-0c4e7b2", 212)
	lc := time.Date(2026, 11, 26, 2, 57, 40, 0, time.UTC)
	ops := who{assumed("AWSReservedSSO_PlatformAdmin_4be2a7c19d03f58e", "akira.sato@acme.io", "AROAWB3KJ7QFPLATADM9", lc.Add(-40*time.Minute)), "81.2.69.133", "[aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 command/s3api.put-bucket-lifecycle-configuration]"}
	s.ct(lc, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", ops, map[string]any{"bucketName": "acme-logs-archive", "Host": "acme-logs-archive.s3.us-east-1.amazonaws.com", "lifecycle": "",
		"LifecycleConfiguration": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": map[string]any{"ID": "expire-alb-logs-400d", "Status": "Enabled", "Filter": map[string]any{"Prefix": "alb/"}, "Expiration": map[string]any{"Days": 400}}}}, nil, false)
	_ = sso

	upl := "/ecs/media-uploader"
	rx := "/aws/lambda/ingest-reindex"
	ts := func(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }
	oldTask := "ecs/app/2b7d9f1c3e5a4b6d8f0a2c4e6b8d0f1a"
	newTask := "ecs/app/e91c7a5b3d1f4e2c8a6b4d2f0e8c6a4b"
	s5 := map[time.Time]float64{}
	tgt5 := map[time.Time]float64{}
	puts := map[time.Time]float64{}
	rt := map[time.Time]float64{}
	reqs := map[time.Time]float64{}
	// the reindex: copies ramp up, peak, and finish
	load := func(t time.Time) float64 {
		if t.Before(batch) || t.After(batchEnd) {
			return 0
		}
		x := t.Sub(batch).Minutes()
		if x < 1.2 {
			return x / 1.2 * 0.5
		}
		return 1
	}
	s.minutes(func(m time.Time) {
		stream := oldTask
		if m.After(up.Add(100 * time.Second)) {
			stream = newTask
		}
		if m.Equal(up.Truncate(time.Minute).Add(time.Minute)) {
			t := m.Add(35 * time.Second)
			s.log(upl, newTask, t, fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"cmd/uploader/main.go:48","msg":"starting media-uploader","version":"v2.31.0","commit":"0c4e7b2","s3_bucket":"acme-media-ingest-prod"}`, ts(t)))
			s.log(upl, oldTask, t.Add(20*time.Second), fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"cmd/uploader/main.go:91","msg":"received SIGTERM, draining connections","in_flight":3}`, ts(t.Add(20*time.Second))))
		}
		for i := 0; i < s.poisson(38); i++ {
			t := s.jitter(m, 60000)
			if m.Equal(onset.Truncate(time.Minute)) && i == 0 {
				t = onset
			}
			reqs[m]++
			key := fmt.Sprintf("incoming/2026-11-26/%s.jpg", s.hex(16))
			l := load(t)
			fail := t.Equal(onset) || (!t.Before(onset) && s.rng.Float64() < 0.38*l)
			slowRetry := !fail && (s.rng.Float64() < 0.004 || s.rng.Float64() < 0.3*l)
			tt := 0.08 + s.rng.ExpFloat64()*0.12
			status := 201
			puts[m]++
			switch {
			case fail:
				tt = 1.6 + s.rng.Float64()*2.2
				status = 503
				s5[m] += 3
				tgt5[m]++
				rid := s.upper(16)
				s.log(upl, stream, t.Add(time.Duration(tt*1e9)), fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"upload/handler.go:133","msg":"store upload","key":"%s","bytes":%d,"error":"operation error S3: PutObject, exceeded maximum number of attempts, 3, https response error StatusCode: 503, RequestID: %s, HostID: %s, api error SlowDown: Please reduce your request rate.","stacktrace":"github.com/acme/media-uploader/upload.(*Handler).ServeHTTP\n\t/src/upload/handler.go:133\nnet/http.serverHandler.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:3210"}`, ts(t.Add(time.Duration(tt*1e9))), key, 200000+s.rng.Intn(3000000), rid, s.hex(56)))
			case slowRetry:
				tt = 0.6 + s.rng.Float64()*0.9
				s5[m]++
				s.log(upl, stream, t.Add(time.Duration(tt*1e9)), fmt.Sprintf(`{"level":"warn","ts":%.6f,"caller":"upload/s3.go:71","msg":"PutObject retried","key":"%s","attempt":2,"cause":"api error SlowDown: Please reduce your request rate."}`, ts(t.Add(time.Duration(tt*1e9))), key))
			default:
				if s.rng.Float64() < 0.02 {
					status = 413
					tt = 0.002
					s.log(upl, stream, t, fmt.Sprintf(`{"level":"warn","ts":%.6f,"caller":"upload/handler.go:58","msg":"upload rejected","reason":"body exceeds 25 MiB","bytes":%d}`, ts(t), 26214400+s.rng.Intn(9000000)))
				} else if s.rng.Float64() < 0.2 {
					s.log(upl, stream, t.Add(time.Duration(tt*1e9)), fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"upload/handler.go:151","msg":"stored","key":"%s","etag":"\"%s\"","ms":%d}`, ts(t.Add(time.Duration(tt*1e9))), key, s.hex(32), int(tt*1000)))
				}
			}
			rt[m] += tt
			tgtStatus := status
			s.albLog(t.Add(time.Duration(tt*1e9)), "prod-edge", uploaderTarget(t.After(up.Add(100*time.Second)), s.rng.Intn(3)), 0.001, tt, 0.0, status, tgtStatus, 300000+s.rng.Intn(2000000), 180, "POST", "https://upload.acme-photos.com:443/v1/uploads", "AcmePhotos/7.12.1 (iPhone; iOS 18.1; Scale/3.00)",
				"arn:aws:elasticloadbalancing:us-east-1:"+acct+":targetgroup/media-uploader/3e9a7c1b5d2f4a60")
		}
		// the batch's own log: an orchestrator summarising each minute
		if l := load(m.Add(30 * time.Second)); l > 0 {
			rs := "2026/11/26/[$LATEST]5c7e9a1b3d5f4e6a8c0b2d4f6a8c0e2b"
			if m.Equal(batch) {
				s.log(rx, rs, batch.Add(180*time.Millisecond), "START RequestId: 0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d Version: $LATEST")
				s.log(rx, rs, batch.Add(410*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d\treindex run started schedule=daily-reindex prefix=incoming/ objects=1843220 workers=400", batch.Add(410*time.Millisecond).Format("2006-01-02T15:04:05.000Z")))
			}
			t := m.Add(50 * time.Second)
			s.log(rx, rs, t, fmt.Sprintf("[INFO]\t%s\t0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d\tprogress copied=%d retried=%d failed=%d", t.Format("2006-01-02T15:04:05.000Z"), int(m.Sub(batch).Minutes()+1)*79000, int(m.Sub(batch).Minutes()+1)*2100, int(m.Sub(batch).Minutes())*12))
			if m.After(batch) {
				s.log(rx, rs, t.Add(time.Second), fmt.Sprintf("[WARNING]\t%s\t0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d\tcopy failed, will retry next run: An error occurred (SlowDown) when calling the CopyObject operation (reached max retries: 4): Please reduce your request rate.", t.Add(time.Second).Format("2006-01-02T15:04:05.000Z")))
			}
		}
		if m.Equal(batchEnd.Truncate(time.Minute)) {
			rs := "2026/11/26/[$LATEST]5c7e9a1b3d5f4e6a8c0b2d4f6a8c0e2b"
			s.log(rx, rs, batchEnd, fmt.Sprintf("[INFO]\t%s\t0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d\treindex run finished copied=1843220 failed=281 seconds=1480", batchEnd.Format("2006-01-02T15:04:05.000Z")))
			s.log(rx, rs, batchEnd.Add(20*time.Millisecond), "END RequestId: 0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d")
			s.lambdaReport(rx, rs, batchEnd.Add(30*time.Millisecond), "0f3b6d9e-2a4c-4e8f-b1d3-5a7c9e1f3b5d", 1480412.6, 2048, 611, 0, "")
		}
	})
	b := []dim{{"BucketName", "acme-media-ingest-prod"}, {"FilterId", "EntireBucket"}}
	s.count("AWS/S3", "5xxErrors", b, func(m time.Time) float64 { return s5[m] + 400*load(m.Add(30*time.Second)) + 0.1 })
	s.count("AWS/S3", "AllRequests", b, func(m time.Time) float64 { return puts[m]*1.4 + 120 + 9000*load(m.Add(30*time.Second)) })
	s.count("AWS/S3", "PutRequests", b, func(m time.Time) float64 { return puts[m] + 20 })
	s.count("AWS/S3", "4xxErrors", b, func(m time.Time) float64 { return 0.8 })
	lb := []dim{{"LoadBalancer", "app/prod-edge/7c1f9a2be35d4e08"}}
	s.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, func(m time.Time) float64 { return tgt5[m] })
	s.count("AWS/ApplicationELB", "RequestCount", lb, func(m time.Time) float64 { return reqs[m] })
	s.metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", func(m time.Time) (float64, float64, float64, float64, bool) {
		if reqs[m] == 0 {
			return 0, 0, 0, 0, false
		}
		return rt[m], reqs[m], 0.02, rt[m] / reqs[m] * 6, true
	})
	s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "prod-core"}, {"ServiceName", "media-uploader"}}, "Percent", 1, func(m time.Time) float64 {
		if m.After(up) && m.Before(up.Add(3*time.Minute)) {
			return 52
		}
		return 28
	})
	s.count("AWS/Lambda", "Invocations", []dim{{"FunctionName", "ingest-reindex"}}, func(m time.Time) float64 {
		if m.Equal(batch) {
			return 1
		}
		return 0
	})
	s.alarm("media-uploader-target-5xx", "media-uploader 5xx through prod-edge > 8/min for 2 minutes", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 8, "GreaterThanThreshold", 2, fired,
		"Threshold Crossed: 2 out of the last 2 datapoints [14.0 (26/11/26 03:04:00), 11.0 (26/11/26 03:03:00)] were greater than the threshold (8.0) (minimum 2 datapoints for OK -> ALARM transition).", "ALARM")
	s.noiseTrail([]string{"media-uploader-task", "ingest-reindex-role", "ecsTaskExecutionRole"}, []string{"media-uploader", "thumbnailer"}, []string{upl, rx})
	s.write(root, truth{
		Name: s.name, Kind: "s3-prefix-hotspot-no-change", Alarm: "media-uploader-target-5xx",
		NoChange: true,
		Onset:    onset,
		Decoys:   []decoy{{"UpdateService", up}, {"RegisterTaskDefinition", regAt}, {"PutBucketLifecycleConfiguration", lc}},
		Signals:  []string{"SlowDown", "Please reduce your request rate", "ingest-reindex"},
	})
}

// uploaderTarget is one of the three tasks behind the target group, before
// or after the deploy replaced them.
func uploaderTarget(afterDeploy bool, i int) string {
	if afterDeploy {
		return []string{"10.40.20.171:8080", "10.40.21.38:8080", "10.40.22.94:8080"}[i]
	}
	return []string{"10.40.20.57:8080", "10.40.21.161:8080", "10.40.22.132:8080"}[i]
}
