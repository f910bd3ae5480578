package main

import (
	"fmt"
	"time"
)

// s3RegionalDegradation: nothing in the account changed. S3 in us-west-2
// returns 503 SlowDown / InternalError and slow first bytes for about 25
// minutes, to every bucket the account touches. The thumbnailer (Python)
// and the export worker (Go) both fail; the account meanwhile goes about its
// business: a CI deploy, a lifecycle rule on a log bucket, autoscaling.
func s3RegionalDegradation() *Inc {
	in := newInc("s3-regional-degradation", 305, "us-west-2", "557013284469", time.Date(2026, 6, 11, 19, 0, 0, 0, time.UTC), 90)
	in.Title = "thumbnailer failure rate high"
	in.Arch = "media pipeline: SQS queue thumbnail-jobs feeds thumbnailer (Python 3.11 on ECS Fargate, cluster media) which reads originals from S3 bucket " +
		"acme-media-originals and writes to acme-media-thumbs; export-worker (Go, ECS) writes CSV exports to acme-exports. search-indexer (ECS) reads " +
		"DynamoDB table assets. Logs of the ALB and apps land in acme-app-logs."
	onset := in.at("19:46:20")
	recover := in.at("20:12:40")
	lifecycle := in.at("19:39:02")
	ciAt := in.at("19:43:10")
	scale := in.at("19:52:40")
	iamAttach := in.at("19:30:18")

	thumb := in.role("thumbnailer-task-role", in.hex(32), "10.50.2.19", "Boto3/1.34.90 md/Botocore#1.34.90 ua/2.0 os/linux#5.10.216 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE cfg/retry-mode#standard Botocore/1.34.90")
	export := in.role("export-worker-task-role", in.hex(32), "10.50.6.88", "aws-sdk-go-v2/1.27.0 os/linux lang/go#1.22.3 md/GOOS#linux md/GOARCH#amd64 api/s3#1.54.2")
	indexer := in.role("search-indexer-task-role", in.hex(32), "10.50.10.3", "aws-sdk-java/2.25.50 Linux/5.10 OpenJDK_64-Bit_Server_VM/21")
	ops := in.role("AWSReservedSSO_PlatformOps_6a2c8e0f4b1d3957", "j.alvarez", "98.51.100.23", "aws-cli/2.16.1 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/command#s3api.put-bucket-lifecycle-configuration")
	iamAdmin := in.role("AWSReservedSSO_IdentityAdmin_0b9d7f5e3c1a8642", "r.kim", "98.51.100.61", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15")
	iamAdmin.console = true
	monitor := in.role("DatadogIntegrationRole", "DatadogAWSIntegration", "44.236.8.3", "Datadog")
	ci := in.role("github-actions-deploy", "GitHubActions", "140.82.112.21", "aws-sdk-js/3.590.0 api/ecs#3.590.0")
	in.routineCT(routine{
		appRoles: []*Principal{thumb, export, indexer}, kmsKey: "4e6a8c0b-2d4f-4a6b-9c8d-0e1f2a3b4c5d",
		params:  []string{"/media/prod/thumb-sizes", "/media/prod/export/batch-size", "/media/prod/indexer/es-endpoint"},
		secrets: []string{"media/prod/es-credentials-Ux19", "media/prod/cdn-signing-key-9Pq2"}, monitor: monitor, ci: ci,
		ciDeploys:  []deploy{{ciAt, "search-indexer", "search-indexer", 318}, {in.at("19:08:55"), "export-worker", "export-worker", 57}},
		ecsCluster: "media", assumeFrom: "ecs-tasks.amazonaws.com", lambdaFns: []string{"cdn-invalidator"},
		assumeRoles: []string{"thumbnailer-task-role", "export-worker-task-role", "search-indexer-task-role"}, readsPerMin: 5, metricSpaces: []string{"Media/Thumbnailer"},
	})
	in.ev(lifecycle, ops, "s3", "PutBucketLifecycleConfiguration",
		map[string]any{"bucketName": "acme-app-logs", "Host": "acme-app-logs.s3.us-west-2.amazonaws.com", "lifecycle": "", "LifecycleConfiguration": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
			"Rule": []map[string]any{{"ID": "expire-alb-logs-90d", "Status": "Enabled", "Filter": map[string]any{"Prefix": "alb/"}, "Expiration": map[string]any{"Days": 90}}, {"ID": "ia-after-30d", "Status": "Enabled", "Filter": map[string]any{"Prefix": "app/"}, "Transition": map[string]any{"Days": 30, "StorageClass": "STANDARD_IA"}}}}},
		nil, map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::acme-app-logs"}},
			"additionalEventData": map[string]any{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 412, "AuthenticationMethod": "AuthHeader", "x-amz-id-2": in.alnum(60), "bytesTransferredOut": 0}})
	in.ev(lifecycle.Add(20*time.Second), ops, "s3", "GetBucketLifecycle", map[string]any{"bucketName": "acme-app-logs", "Host": "acme-app-logs.s3.us-west-2.amazonaws.com", "lifecycle": ""}, nil)
	in.ev(iamAttach, iamAdmin, "iam", "AttachRolePolicy", map[string]any{"roleName": "external-auditor", "policyArn": "arn:aws:iam::aws:policy/SecurityAudit"}, nil, map[string]any{"awsRegion": "us-east-1"})
	in.ev(scale, in.svc("ecs.application-autoscaling.amazonaws.com"), "ecs", "UpdateService", map[string]any{"cluster": "media", "service": "thumbnailer", "desiredCount": 10},
		map[string]any{"service": map[string]any{"serviceName": "thumbnailer", "desiredCount": 10, "runningCount": 6}},
		map[string]any{"sourceIPAddress": "ecs.application-autoscaling.amazonaws.com", "userAgent": "ecs.application-autoscaling.amazonaws.com"})
	in.ev(recover.Add(17*time.Minute), in.svc("ecs.application-autoscaling.amazonaws.com"), "ecs", "UpdateService", map[string]any{"cluster": "media", "service": "thumbnailer", "desiredCount": 6},
		map[string]any{"service": map[string]any{"serviceName": "thumbnailer", "desiredCount": 6, "runningCount": 10}},
		map[string]any{"sourceIPAddress": "ecs.application-autoscaling.amazonaws.com", "userAgent": "ecs.application-autoscaling.amazonaws.com"})

	degraded := func(t time.Time) bool { return !t.Before(onset) && t.Before(recover) }
	// ---- thumbnailer: Python logging to stdout ----
	tTasks := []string{in.hex(32), in.hex(32), in.hex(32), in.hex(32)}
	in.every(in.Start, in.End, 1100*time.Millisecond, func(t time.Time) {
		task := tTasks[in.rng.IntN(4)]
		s := "thumbnailer/thumbnailer/" + task
		key := fmt.Sprintf("uploads/2026/06/%s/%s.jpg", in.hex(2), in.hex(20))
		job := in.uuid()
		trace := in.traceID(t)
		dur := 180 + in.rng.ExpFloat64()*80
		fail := degraded(t) && in.chance(0.42)
		status := 200
		var errText string
		if fail {
			switch in.rng.IntN(3) {
			case 0:
				errText = "An error occurred (SlowDown) when calling the GetObject operation (reached max retries: 2): Please reduce your request rate."
				status = 503
			case 1:
				errText = "An error occurred (InternalError) when calling the GetObject operation (reached max retries: 2): We encountered an internal error. Please try again."
				status = 500
			default:
				errText = fmt.Sprintf("Read timeout on endpoint URL: \"https://acme-media-originals.s3.us-west-2.amazonaws.com/%s\"", key)
				status = 0
			}
			dur = 2500 + in.rng.Float64()*9000
			in.log("/ecs/thumbnailer", s, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("%s ERROR thumbnailer.worker job=%s key=%s failed: %s", t.Add(time.Duration(dur)*time.Millisecond).Format("2006-01-02 15:04:05,000"), job, key, errText))
		} else {
			if degraded(t) {
				dur += 900 + in.rng.Float64()*1500
			}
			in.log("/ecs/thumbnailer", s, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("%s INFO thumbnailer.worker job=%s key=%s sizes=64,256,1024 took=%dms", t.Add(time.Duration(dur)*time.Millisecond).Format("2006-01-02 15:04:05,000"), job, key, int(dur)))
		}
		if in.chance(0.08) {
			end := t.Add(time.Duration(dur) * time.Millisecond)
			get := map[string]any{"id": in.hex(16), "name": "S3", "namespace": "aws", "start_time": epoch(t.Add(3 * time.Millisecond)), "end_time": epoch(t.Add(time.Duration(dur*0.6) * time.Millisecond)),
				"aws":  map[string]any{"operation": "GetObject", "region": "us-west-2", "request_id": in.alnum(16), "id_2": in.alnum(56), "bucket_name": "acme-media-originals", "key": key, "retries": 0},
				"http": map[string]any{"response": map[string]any{"status": 200, "content_length": 300000 + in.rng.IntN(4000000)}}}
			seg := map[string]any{"id": in.hex(16), "name": "thumbnailer", "start_time": epoch(t), "end_time": epoch(end), "origin": "AWS::ECS::Container",
				"aws": map[string]any{"xray": map[string]any{"sdk": "X-Ray for Python", "sdk_version": "2.13.0"}, "ecs": map[string]any{"container": "ip-10-50-2-19"}}, "annotations": map[string]any{"job_id": job}}
			subs := []map[string]any{get}
			if fail {
				get["aws"].(map[string]any)["retries"] = 2
				if status > 0 {
					get["http"] = map[string]any{"response": map[string]any{"status": status}}
				} else {
					delete(get, "http")
				}
				get["fault"] = true
				typ := map[int]string{503: "ClientError", 500: "ClientError", 0: "ReadTimeoutError"}[status]
				get["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": in.hex(16), "message": errText, "type": typ, "remote": true}}}
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": in.hex(16), "message": errText, "type": typ}}}
			} else {
				subs = append(subs, map[string]any{"id": in.hex(16), "name": "S3", "namespace": "aws", "start_time": epoch(end.Add(-60 * time.Millisecond)), "end_time": epoch(end.Add(-5 * time.Millisecond)),
					"aws": map[string]any{"operation": "PutObject", "region": "us-west-2", "request_id": in.alnum(16), "bucket_name": "acme-media-thumbs"}, "http": map[string]any{"response": map[string]any{"status": 200}}})
			}
			seg["subsegments"] = subs
			in.addTrace(trace, end.Sub(t), seg)
		}
	})
	// thumbnailer's own chronic errors: corrupt uploads.
	in.every(in.Start, in.End, 7*time.Second, func(t time.Time) {
		s := "thumbnailer/thumbnailer/" + tTasks[in.rng.IntN(4)]
		in.log("/ecs/thumbnailer", s, t, fmt.Sprintf("%s ERROR thumbnailer.worker job=%s key=uploads/2026/06/%s/%s.heic failed: PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7f%s>", t.Format("2006-01-02 15:04:05,000"), in.uuid(), in.hex(2), in.hex(20), in.hex(10)))
	})
	// export-worker: Go, JSON via slog.
	in.every(in.Start, in.End, 8*time.Second, func(t time.Time) {
		s := "export-worker/export-worker/9f1e2d3c4b5a69788796a5b4c3d2e1f0"
		if degraded(t) && in.chance(0.5) {
			in.log("/ecs/export-worker", s, t, fmt.Sprintf(`{"time":"%s","level":"ERROR","msg":"upload failed","bucket":"acme-exports","key":"tenant-%d/%s.csv","err":"operation error S3: PutObject, exceeded maximum number of attempts, 3, https response error StatusCode: 503, RequestID: %s, HostID: %s, api error SlowDown: Please reduce your request rate."}`, t.Format(time.RFC3339Nano), 100+in.rng.IntN(800), in.hex(12), in.alnum(16), in.alnum(56)))
			return
		}
		in.log("/ecs/export-worker", s, t, fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"export uploaded","bucket":"acme-exports","key":"tenant-%d/%s.csv","bytes":%d}`, t.Format(time.RFC3339Nano), 100+in.rng.IntN(800), in.hex(12), 10000+in.rng.IntN(900000)))
	})
	// search-indexer: deployed during the window; its new version logs a new warning.
	in.every(in.Start, in.End, 4*time.Second, func(t time.Time) {
		s := "search-indexer/search-indexer/" + map[bool]string{true: "1b2c3d4e5f60718293a4b5c6d7e8f901", false: "0a1b2c3d4e5f60718293a4b5c6d7e8f9"}[t.After(ciAt.Add(90*time.Second))]
		in.log("/ecs/search-indexer", s, t, fmt.Sprintf("%s INFO  [indexer-%d] c.a.search.Indexer - indexed %d assets in %d ms", t.Format("2006-01-02 15:04:05.000"), 1+in.rng.IntN(4), 20+in.rng.IntN(200), 30+in.rng.IntN(300)))
		if t.After(ciAt.Add(90*time.Second)) && in.chance(0.2) {
			in.log("/ecs/search-indexer", s, t.Add(time.Millisecond), fmt.Sprintf("%s WARN  [indexer-%d] c.a.search.Indexer - field 'legacy_tags' is deprecated in mapping v7; ignoring", t.Format("2006-01-02 15:04:05.000"), 1+in.rng.IntN(4)))
		}
	})

	// ---- metrics ----
	dg := func(t time.Time) float64 {
		return ramp(t, onset.Add(-30*time.Second), onset.Add(90*time.Second)) - ramp(t, recover, recover.Add(2*time.Minute))
	}
	one := func(time.Time) float64 { return 1 }
	bucket := func(b string) [][2]string { return [][2]string{{"BucketName", b}, {"FilterId", "EntireBucket"}} }
	in.metric(series{ns: "AWS/S3", name: "5xxErrors", unit: "Count", dims: bucket("acme-media-originals"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(in.rng.IntN(2)) + 95*dg(t)*in.noise(1, 0.3) }})
	in.metric(series{ns: "AWS/S3", name: "FirstByteLatency", unit: "Milliseconds", dims: bucket("acme-media-originals"), stats: []string{"Average", "Maximum"}, fn: func(t time.Time) float64 { return in.noise(38, 0.15) + 900*dg(t)*in.noise(1, 0.3) }})
	in.metric(series{ns: "AWS/S3", name: "GetRequests", unit: "Count", dims: bucket("acme-media-originals"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(260, 0.08) * (1 + 0.5*dg(t)) }})
	in.metric(series{ns: "AWS/S3", name: "5xxErrors", unit: "Count", dims: bucket("acme-exports"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return 4 * dg(t) * in.noise(1, 0.5) }})
	in.metric(series{ns: "Media/Thumbnailer", name: "JobsFailed", unit: "Count", dims: [][2]string{{"Service", "thumbnailer"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(8.5, 0.2) + 24*dg(t) }})
	in.metric(series{ns: "Media/Thumbnailer", name: "JobsProcessed", unit: "Count", dims: [][2]string{{"Service", "thumbnailer"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(55, 0.08) }})
	in.metric(series{ns: "AWS/SQS", name: "ApproximateNumberOfMessagesVisible", unit: "Count", dims: [][2]string{{"QueueName", "thumbnail-jobs"}}, stats: []string{"Maximum"}, fn: func(t time.Time) float64 {
		return in.noise(30, 0.3) + 4000*ramp(t, onset, recover) - 4000*ramp(t, recover, recover.Add(12*time.Minute))
	}})
	in.metric(series{ns: "AWS/ECS", name: "CPUUtilization", unit: "Percent", dims: [][2]string{{"ClusterName", "media"}, {"ServiceName", "thumbnailer"}}, fn: func(t time.Time) float64 { return in.noise(62, 0.08) + 14*dg(t) }})
	in.metric(series{ns: "AWS/ECS", name: "MemoryUtilization", unit: "Percent", dims: [][2]string{{"ClusterName", "media"}, {"ServiceName", "search-indexer"}}, fn: func(t time.Time) float64 {
		return in.noise(40, 0.05) + 22*ramp(t, ciAt.Add(time.Minute), ciAt.Add(4*time.Minute))
	}})
	in.metric(series{ns: "AWS/DynamoDB", name: "ConsumedReadCapacityUnits", unit: "Count", dims: [][2]string{{"TableName", "assets"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(900, 0.1) }})

	// ---- alarms ----
	at := in.at("19:49:31")
	in.metricAlarm(map[string]any{
		"AlarmName": "thumbnailer-failure-rate", "AlarmDescription": "More than 15% of thumbnail jobs fail", "EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": 15.0, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing",
		"Metrics": []map[string]any{
			{"Id": "rate", "Expression": "100 * failed / (failed + processed)", "Label": "failure %", "ReturnData": true},
			{"Id": "failed", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "Media/Thumbnailer", "MetricName": "JobsFailed", "Dimensions": dims("Service", "thumbnailer")}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
			{"Id": "processed", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "Media/Thumbnailer", "MetricName": "JobsProcessed", "Dimensions": dims("Service", "thumbnailer")}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
		}}, "OK", in.at("20:16:31"), "Threshold Crossed: 3 out of the last 3 datapoints [13.1, 12.9, 12.7] were not greater than the threshold (15.0).", nil)
	in.stateChange("thumbnailer-failure-rate", "MetricAlarm", at, "OK", "ALARM", "Threshold Crossed: 3 out of the last 3 datapoints [36.2 (11/06/26 19:48:00), 35.8 (11/06/26 19:47:00), 22.0 (11/06/26 19:46:00)] were greater than the threshold (15.0).", nil)
	in.stateChange("thumbnailer-failure-rate", "MetricAlarm", in.at("20:16:31"), "ALARM", "OK", "Threshold Crossed: 3 out of the last 3 datapoints were not greater than the threshold (15.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "thumbnail-jobs-backlog", "Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible", "Dimensions": dims("QueueName", "thumbnail-jobs"), "Statistic": "Maximum", "Period": 300, "EvaluationPeriods": 2, "Threshold": 1000.0, "ComparisonOperator": "GreaterThanThreshold"},
		"ALARM", in.at("19:58:02"), "Threshold Crossed: 2 out of the last 2 datapoints [1870.0, 1102.0] were greater than the threshold (1000.0).", nil)
	in.stateChange("thumbnail-jobs-backlog", "MetricAlarm", in.at("19:58:02"), "OK", "ALARM", "Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (1000.0).", nil)

	in.setTruth("dependency", "thumbnailer-failure-rate", "", time.Time{}, "", onset,
		[][2]any{{"PutBucketLifecycleConfiguration", lifecycle}, {"UpdateService", ciAt}, {"UpdateService", scale}},
		"SlowDown", "GetObject", "acme-media-originals", "We encountered an internal error")
	return in
}
