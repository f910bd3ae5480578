package main

import (
	"fmt"
	"time"
)

// route53Record: a network admin repoints an internal CNAME at a cluster
// that no longer exists; resolvers keep the old answer for its TTL, so
// the failures start minutes later and one task at a time.
func route53Record() *world {
	day := "2026-12-03"
	w := newWorld("route53-record-change", at(day, "15:50:00"), at(day, "16:30:00"))
	w.title = "settlement batches failing"
	w.arch = "ECS service settlement (Go, logfmt logs) settles merchant batches every few seconds against Aurora PostgreSQL cluster payments-db-v2, reached through the private Route 53 name payments-db.corp.internal (zone corp.internal, Z0INTERNAL4821KQ). settlement-ui is its admin front end. Public zone acme-pay.example is Z07PUBLIC9913XY."
	change := at(day, "16:05:30")
	var onset first
	tasks := []string{"settlement/settlement/" + w.hex(32), "settlement/settlement/" + w.hex(32), "settlement/settlement/" + w.hex(32), "settlement/settlement/" + w.hex(32)}
	expiry := []time.Duration{268 * time.Second, 291 * time.Second, 300 * time.Second, 322 * time.Second}
	lf := func(t time.Time, s, level, msg, kv string) {
		w.log("/ecs/settlement", s, t, fmt.Sprintf(`time=%s level=%s msg=%q %s`, t.Format("2006-01-02T15:04:05.000Z07:00"), level, msg, kv))
	}
	w.poisson(w.from, w.end, 1200*time.Millisecond, func(t time.Time) {
		i := w.rng.Intn(len(tasks))
		s := tasks[i]
		if t.After(change.Add(expiry[i])) {
			onset.see(t)
			lf(t, s, "error", "db connect failed", `err="dial tcp: lookup payments-db.corp.internal on 10.0.0.2:53: no such host" pool=primary attempt=3`)
			lf(t.Add(5*time.Millisecond), s, "warn", "batch deferred", fmt.Sprintf("batch_id=b-%s merchants=%d", w.hex(10), 1+w.rng.Intn(40)))
			return
		}
		lf(t, s, "info", "batch settled", fmt.Sprintf("batch_id=b-%s merchants=%d amount_cents=%d duration=%dms", w.hex(10), 1+w.rng.Intn(40), w.rng.Intn(9000000), 40+w.rng.Intn(300)))
	})
	w.poisson(w.from, w.end, 30*time.Second, func(t time.Time) {
		s := tasks[w.rng.Intn(len(tasks))]
		if w.rng.Intn(2) == 0 {
			lf(t, s, "warn", "slow query", fmt.Sprintf(`query=settle_batch duration=%dms threshold=1000ms`, 1000+w.rng.Intn(2500)))
		} else {
			lf(t, s, "error", "webhook delivery failed", fmt.Sprintf(`merchant=m-%05d err="Post \"https://hooks.merchant-%d.example/settled\": context deadline exceeded"`, w.rng.Intn(99999), w.rng.Intn(900)))
		}
	})
	ui := "ui/settlement-ui/" + w.hex(32)
	w.poisson(w.from, w.end, 5*time.Second, func(t time.Time) {
		w.log("/ecs/settlement-ui", ui, t, fmt.Sprintf(`%s GET /admin/batches?page=%d 200 %dms`, t.Format(time.RFC3339), w.rng.Intn(30), 10+w.rng.Intn(90)))
	})
	failAt := change.Add(270 * time.Second)
	w.metric("Settlement", "BatchFailures", "Count", []dim{{"Service", "settlement"}}, 0.2, func(t time.Time) float64 { return 48 * ramp(t, failAt, failAt.Add(time.Minute)) })
	w.metric("Settlement", "BatchesSettled", "Count", []dim{{"Service", "settlement"}}, 0.1, func(t time.Time) float64 { return 50 - 50*ramp(t, failAt, change.Add(330*time.Second)) })
	w.metric("AWS/RDS", "DatabaseConnections", "Count", []dim{{"DBClusterIdentifier", "payments-db-v2"}}, 0.05, func(t time.Time) float64 {
		return 4 + 36*(1-ramp(t, failAt, change.Add(330*time.Second)))
	})
	w.metric("AWS/RDS", "CPUUtilization", "Percent", []dim{{"DBClusterIdentifier", "payments-db-v2"}}, 0.1, func(t time.Time) float64 { return 31 - 25*ramp(t, failAt, failAt.Add(time.Minute)) })
	w.metric("AWS/Route53Resolver", "InboundQueryVolume", "Count", []dim{{"EndpointId", "rslvr-in-0f1e2d3c4b5a69788"}}, 0.1, func(time.Time) float64 { return 1200 })

	w.routineTrail("ec2-ssm-core", []string{"i-06a8c0e2f4b6d8193"}, []string{"settlement-task", "settlement-ui-task"})
	maria := ssoUser("NetworkAdministrator", "maria.g@acme.example", "198.51.100.203")
	rrs := func(zone, name, typ, value string) map[string]any {
		return map[string]any{"hostedZoneId": zone, "changeBatch": map[string]any{"comment": "", "changes": []any{map[string]any{"action": "UPSERT",
			"resourceRecordSet": map[string]any{"name": name, "type": typ, "tTL": 300, "resourceRecords": []any{map[string]any{"value": value}}}}}}}
	}
	w.ct(at(day, "16:03:12"), "route53.amazonaws.com", "ChangeResourceRecordSets", maria, rrs("Z07PUBLIC9913XY", "status.acme-pay.example.", "CNAME", "acme-pay.statuspage.io"),
		response(map[string]any{"changeInfo": map[string]any{"status": "PENDING", "id": "/change/C0" + w.hex(10)}}))
	w.ct(change, "route53.amazonaws.com", "ChangeResourceRecordSets", maria, rrs("Z0INTERNAL4821KQ", "payments-db.corp.internal.", "CNAME", "payments-db-v1.cluster-c9xk2mq4ab7d.us-east-1.rds.amazonaws.com"),
		response(map[string]any{"changeInfo": map[string]any{"status": "PENDING", "id": "/change/C0" + w.hex(10)}}))
	backup := at(day, "16:06:40")
	w.ct(backup, "rds.amazonaws.com", "CreateDBClusterSnapshot", serviceRole("AWSServiceRoleForBackup", "AWSBackup-AWSServiceRoleForBackup", "backup.amazonaws.com"),
		map[string]any{"dBClusterIdentifier": "payments-db-v2", "dBClusterSnapshotIdentifier": "awsbackup:job-" + w.uuid()})
	ui2 := at(day, "16:08:15")
	w.ct(ui2, "ecs.amazonaws.com", "UpdateService", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.33", "aws-cli/2.15.30"),
		map[string]any{"cluster": "payments", "service": "settlement-ui", "taskDefinition": "settlement-ui:58"})

	w.alarm("settlement-batch-failures", "Settlement batches are failing.", "Settlement", "BatchFailures", "Sum", []dim{{"Service", "settlement"}}, 10, 2, at(day, "16:12:20"), []float64{47, 31})
	w.truth = truth{Kind: "dns", Alarm: "settlement-batch-failures",
		RootCause: &event{EventName: "ChangeResourceRecordSets", EventTime: change, Resource: "payments-db.corp.internal"},
		Onset:     onset.String(),
		Decoys:    []event{ev("ChangeResourceRecordSets", at(day, "16:03:12")), ev("CreateDBClusterSnapshot", backup), ev("UpdateService", ui2)},
		Signals:   []string{"no such host", "payments-db.corp.internal", "ChangeResourceRecordSets"}}
	return w
}

// s3BucketPolicy: a security remediation Lambda tightens a bucket policy;
// the batch job that writes there only runs again 38 minutes later, and a
// new revision of that very job was registered a few minutes before it.
func s3BucketPolicy() *world {
	day := "2026-12-05"
	w := newWorld("s3-bucket-policy", at(day, "01:30:00"), at(day, "02:10:00"))
	w.title = "nightly report export failed"
	w.arch = "AWS Batch job nightly-export (Java 21, Spring Boot, AWS SDK v2) runs every 45 minutes on Fargate, reads the reporting replica and writes per-tenant CSVs to S3 bucket acme-reports-exports. ECS service reports-web serves them. The security team's Lambda security-guardrails-remediator rewrites bucket policies it finds non-compliant."
	change := at(day, "01:12:04")
	var onset first
	group := "/aws/batch/job"
	java := func(t time.Time, level, thread, logger, msg string) string {
		return fmt.Sprintf("%s %5s 1 --- [%15s] %-40s : %s", t.Format("2006-01-02 15:04:05.000"), level, thread, logger, msg)
	}
	run := func(startAt time.Time) {
		s := "nightly-export/default/" + w.hex(32)
		runID := w.hex(8)
		t := startAt.Add(2 * time.Second)
		w.log(group, s, t, java(t, "INFO", "main", "c.a.reports.ExportApplication", "Started ExportApplication in 3.912 seconds (process running for 4.8)"))
		w.log(group, s, t, java(t, "INFO", "main", "c.a.reports.ExportJob", "starting export run="+runID+" tenants=240"))
		t = t.Add(38 * time.Second)
		for tenant := 1; tenant <= 240; tenant++ {
			t = t.Add(time.Duration(200+w.rng.Intn(900)) * time.Millisecond)
			key := fmt.Sprintf("%s/%s/t-%04d.csv.gz", startAt.Format("2006-01-02"), startAt.Format("1504"), tenant)
			if t.After(change) {
				onset.see(t)
				w.log(group, s, t, java(t, "ERROR", "main", "c.a.reports.ExportJob", fmt.Sprintf("upload failed for tenant t-%04d", tenant)))
				w.log(group, s, t, fmt.Sprintf(`software.amazon.awssdk.services.s3.model.S3Exception: User: arn:aws:sts::%s:assumed-role/reports-export-job/%s is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::acme-reports-exports/%s" with an explicit deny in a resource-based policy (Service: S3, Status Code: 403, Request ID: %s, Extended Request ID: %s)
	at software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)
	at software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)
	at software.amazon.awssdk.services.s3.DefaultS3Client.putObject(DefaultS3Client.java:11883)
	at com.acme.reports.S3Sink.write(S3Sink.java:61)
	at com.acme.reports.ExportJob.exportTenant(ExportJob.java:148)
	at com.acme.reports.ExportJob.run(ExportJob.java:97)`, account, w.hex(32), key, w.hex(16), w.hex(40)))
				w.log(group, s, t.Add(50*time.Millisecond), java(t.Add(50*time.Millisecond), "ERROR", "main", "o.s.boot.SpringApplication", "Application run failed: export run="+runID+" aborted after 1 failed tenant"))
				return
			}
			w.log(group, s, t, java(t, "INFO", "main", "c.a.reports.ExportJob", fmt.Sprintf("exported tenant t-%04d rows=%d -> s3://acme-reports-exports/%s", tenant, 100+w.rng.Intn(40000), key)))
			if w.rng.Intn(50) == 0 {
				w.log(group, s, t, java(t, "WARN", "main", "c.a.reports.ReplicaReader", fmt.Sprintf("replica lag %d ms above 500 ms, continuing", 500+w.rng.Intn(2000))))
			}
		}
		w.log(group, s, t, java(t, "INFO", "main", "c.a.reports.ExportJob", "export finished run="+runID))
	}
	for _, r := range []string{"00:20:00", "01:05:00", "01:50:00"} {
		run(at(day, r))
	}
	web := "web/reports-web/" + w.hex(32)
	w.poisson(w.from, w.end, 1500*time.Millisecond, func(t time.Time) {
		w.log("/ecs/reports-web", web, t, java(t, "INFO", fmt.Sprintf("nio-8080-exec-%d", 1+w.rng.Intn(10)), "c.a.reports.web.AccessLog", fmt.Sprintf("GET /reports/t-%04d/latest 200 %dms", 1+w.rng.Intn(240), 5+w.rng.Intn(60))))
	})
	failedRun := at(day, "01:50:00")
	w.metric("Reports", "ExportFailures", "Count", []dim{{"Job", "nightly-export"}}, 0, func(t time.Time) float64 {
		if t.Truncate(time.Minute).Equal(failedRun.Add(time.Minute)) {
			return 1
		}
		return 0
	})
	w.metric("AWS/S3", "4xxErrors", "Count", []dim{{"BucketName", "acme-reports-exports"}, {"FilterId", "EntireBucket"}}, 0, func(t time.Time) float64 {
		if t.Truncate(time.Minute).Equal(failedRun.Add(time.Minute)) {
			return 1
		}
		return 0
	})
	w.metric("AWS/S3", "PutRequests", "Count", []dim{{"BucketName", "acme-reports-exports"}, {"FilterId", "EntireBucket"}}, 0.2, func(t time.Time) float64 {
		for _, r := range []string{"00:20:00", "01:05:00"} {
			if s := at(day, r); !t.Before(s) && t.Before(s.Add(4*time.Minute)) {
				return 60
			}
		}
		return 0
	})

	w.routineTrail("ec2-ssm-core", []string{"i-0f9e8d7c6b5a41320"}, []string{"reports-export-job", "reports-web-task"})
	remediator := role("security-guardrails-remediator", "security-guardrails-remediator", "44.201.18.77", "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux lang/python#3.12.4 exec-env/AWS_Lambda_python3.12")
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideVpce","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::%s/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0a1b2c3d4e5f60718"}}}]}`
	w.ct(change, "s3.amazonaws.com", "PutBucketPolicy", remediator, map[string]any{"bucketName": "acme-reports-exports", "bucketPolicy": fmt.Sprintf(policy, "acme-reports-exports"), "Host": "acme-reports-exports.s3.amazonaws.com", "policy": ""},
		resources("arn:aws:s3:::acme-reports-exports"))
	w.ct(at(day, "01:13:30"), "s3.amazonaws.com", "PutBucketPolicy", remediator, map[string]any{"bucketName": "acme-reports-exports-logs", "bucketPolicy": fmt.Sprintf(policy, "acme-reports-exports-logs"), "Host": "acme-reports-exports-logs.s3.amazonaws.com", "policy": ""},
		resources("arn:aws:s3:::acme-reports-exports-logs"))
	jobdef := at(day, "01:44:12")
	w.ct(jobdef, "batch.amazonaws.com", "RegisterJobDefinition", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.40", "aws-cli/2.15.30 md/command#batch.register-job-definition"),
		map[string]any{"jobDefinitionName": "nightly-export", "type": "container", "platformCapabilities": []string{"FARGATE"},
			"containerProperties": map[string]any{"image": account + ".dkr.ecr.us-east-1.amazonaws.com/nightly-export:2026.12.04-3", "jobRoleArn": "arn:aws:iam::" + account + ":role/reports-export-job"}},
		response(map[string]any{"jobDefinitionName": "nightly-export", "revision": 42}))
	runTask := at(day, "01:49:55")
	w.ct(runTask, "ecs.amazonaws.com", "RunTask", serviceRole("AWSServiceRoleForBatch", "aws-batch", "batch.amazonaws.com"),
		map[string]any{"cluster": "AWSBatch-reports-fargate", "taskDefinition": "nightly-export:42", "launchType": "FARGATE"})

	w.alarm("nightly-export-failed", "The nightly report export failed. Runbook: https://runbooks.acme.example/reports/export", "Reports", "ExportFailures", "Sum", []dim{{"Job", "nightly-export"}}, 0, 1, at(day, "01:52:30"), []float64{1})
	w.truth = truth{Kind: "permission", Alarm: "nightly-export-failed",
		RootCause: &event{EventName: "PutBucketPolicy", EventTime: change, Resource: "acme-reports-exports"},
		Onset:     onset.String(),
		Decoys:    []event{ev("PutBucketPolicy", at(day, "01:13:30")), ev("RegisterJobDefinition", jobdef), ev("RunTask", runTask)},
		Signals:   []string{"explicit deny", "PutBucketPolicy", "acme-reports-exports"}}
	return w
}

// auroraFailover: AWS fails the writer over after a host problem; no one
// changed anything (AWS-initiated failovers leave no CloudTrail call). A
// backup snapshot of the same cluster and two routine changes sit near
// the onset.
func auroraFailover() *world {
	day := "2026-12-06"
	w := newWorld("aurora-failover", at(day, "11:00:00"), at(day, "11:40:00"))
	w.title = "catalog API errors spike"
	w.arch = "ALB shop-internal forwards to ECS service catalog-api (Node.js, pino JSON logs, node-postgres) on Aurora PostgreSQL cluster catalog-aurora (writer + one reader, cluster endpoint). ECS service catalog-search indexes into OpenSearch."
	failover := at(day, "11:18:21")
	var onset first
	streams := []string{"catalog/catalog-api/" + w.hex(32), "catalog/catalog-api/" + w.hex(32), "catalog/catalog-api/" + w.hex(32)}
	pino := func(t time.Time, s string, level int, rest string) {
		w.log("/ecs/catalog-api", s, t, fmt.Sprintf(`{"level":%d,"time":%d,"pid":1,"hostname":"ip-10-0-3-%d.ec2.internal",%s}`, level, t.UnixMilli(), 10+len(s)%200, rest))
	}
	w.poisson(w.from, w.end, 250*time.Millisecond, func(t time.Time) {
		s := streams[w.rng.Intn(3)]
		id := w.rng.Intn(90000)
		since := t.Sub(failover)
		switch {
		case since >= 3*time.Second && since < 34*time.Second && w.rng.Float64() < 0.8:
			onset.see(t)
			msg := w.pick(`"err":{"type":"DatabaseError","message":"terminating connection due to administrator command","code":"57P01"}`,
				`"err":{"type":"Error","message":"Connection terminated unexpectedly"}`,
				`"err":{"type":"Error","message":"connect ECONNREFUSED 10.0.3.41:5432","code":"ECONNREFUSED"}`)
			pino(t, s, 50, msg+fmt.Sprintf(`,"req":{"method":"GET","url":"/v1/products/%d"},"msg":"query failed"`, id))
			return
		case since >= 34*time.Second && since < 150*time.Second && w.rng.Float64() < 0.12:
			pino(t, s, 50, fmt.Sprintf(`"err":{"type":"DatabaseError","message":"cannot execute UPDATE in a read-only transaction","code":"25006"},"req":{"method":"PUT","url":"/v1/products/%d/stock"},"msg":"query failed"`, id))
			return
		}
		pino(t, s, 30, fmt.Sprintf(`"req":{"method":"GET","url":"/v1/products/%d"},"res":{"statusCode":200},"responseTime":%d,"msg":"request completed"`, id, 3+w.rng.Intn(30)))
	})
	w.poisson(w.from, w.end, 40*time.Second, func(t time.Time) {
		pino(t, streams[w.rng.Intn(3)], 40, fmt.Sprintf(`"msg":"slow request","req":{"method":"GET","url":"/v1/search?q=%s"},"responseTime":%d`, w.pick("boots", "lamp", "desk"), 1200+w.rng.Intn(900)))
	})
	search := "search/catalog-search/" + w.hex(32)
	w.poisson(w.from, w.end, 6*time.Second, func(t time.Time) {
		w.log("/ecs/catalog-search", search, t, fmt.Sprintf("%s INFO indexed batch size=%d took=%dms", t.Format(time.RFC3339), 50+w.rng.Intn(200), 80+w.rng.Intn(300)))
	})
	in := func(t time.Time, from, to time.Duration) bool { d := t.Sub(failover); return d >= from && d < to }
	w.metric("AWS/RDS", "DatabaseConnections", "Count", []dim{{"DBClusterIdentifier", "catalog-aurora"}}, 0.05, func(t time.Time) float64 {
		if in(t, -30*time.Second, 60*time.Second) {
			return 3
		}
		return 64
	})
	w.metric("AWS/RDS", "CPUUtilization", "Percent", []dim{{"DBClusterIdentifier", "catalog-aurora"}}, 0.1, func(time.Time) float64 { return 22 })
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", []dim{{"TargetGroup", "targetgroup/catalog-api-tg/4e6f8a0b2c4d6e81"}, {"LoadBalancer", "app/shop-internal/9a8b7c6d5e4f3a21"}}, 0.1,
		func(t time.Time) float64 {
			switch {
			case in(t, -30*time.Second, 30*time.Second):
				return 190
			case in(t, 30*time.Second, 150*time.Second):
				return 25
			}
			return 0
		})
	w.metric("AWS/ApplicationELB", "RequestCount", "Count", []dim{{"TargetGroup", "targetgroup/catalog-api-tg/4e6f8a0b2c4d6e81"}, {"LoadBalancer", "app/shop-internal/9a8b7c6d5e4f3a21"}}, 0.1, func(time.Time) float64 { return 240 })

	w.routineTrail("ec2-ssm-core", []string{"i-03c5e7a9b1d3f5072"}, []string{"catalog-api-task", "catalog-search-task"})
	w.ct(at(day, "11:14:50"), "logs.amazonaws.com", "PutRetentionPolicy", consoleUser("r.mendes", "203.0.113.90"), map[string]any{"logGroupName": "/ecs/catalog-search", "retentionInDays": 30})
	w.ct(at(day, "11:16:30"), "ecs.amazonaws.com", "UpdateService", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.12", "aws-cli/2.15.30"),
		map[string]any{"cluster": "shop", "service": "catalog-search", "taskDefinition": "catalog-search:131"})
	snap := at(day, "11:17:55")
	w.ct(snap, "rds.amazonaws.com", "CreateDBClusterSnapshot", serviceRole("AWSServiceRoleForBackup", "AWSBackup-AWSServiceRoleForBackup", "backup.amazonaws.com"),
		map[string]any{"dBClusterIdentifier": "catalog-aurora", "dBClusterSnapshotIdentifier": "awsbackup:job-" + w.uuid()})

	w.alarm("catalog-api-5xx", "catalog-api returns 5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum",
		[]dim{{"TargetGroup", "targetgroup/catalog-api-tg/4e6f8a0b2c4d6e81"}, {"LoadBalancer", "app/shop-internal/9a8b7c6d5e4f3a21"}}, 50, 1, at(day, "11:19:40"), []float64{190})
	w.truth = truth{Kind: "dependency-failover", Alarm: "catalog-api-5xx", NoChange: true,
		Onset:   onset.String(),
		Decoys:  []event{ev("PutRetentionPolicy", at(day, "11:14:50")), ev("UpdateService", at(day, "11:16:30")), ev("CreateDBClusterSnapshot", snap)},
		Signals: []string{"terminating connection due to administrator command", "catalog-aurora"}}
	return w
}

// cpuCredits: a burstable instance spends its CPU credits over hours and
// is throttled to its baseline; nothing changed but the balance. A tag,
// a parameter and an SSM inventory run are the changes nearby.
func cpuCredits() *world {
	day := "2026-12-07"
	w := newWorld("cpu-credits-exhausted", at(day, "19:05:00"), at(day, "19:45:00"))
	w.title = "billing portal slow and timing out"
	w.arch = "ALB billing-internal forwards to one EC2 t3.large instance i-0c4d6e8f0a2b4c6d8 running nginx + php-fpm (billing-portal, standard CPU credits). nginx error and access logs go to CloudWatch Logs through the CloudWatch agent."
	inst := "i-0c4d6e8f0a2b4c6d8"
	empty := at(day, "19:26:00")
	var onset first
	errStream, accStream := inst+"/nginx-error", inst+"/nginx-access"
	w.poisson(w.from, w.end, 700*time.Millisecond, func(t time.Time) {
		slow := ramp(t, empty, empty.Add(4*time.Minute))
		rt := 0.08 + w.rng.ExpFloat64()*0.2 + slow*w.rng.Float64()*70
		status := 200
		path := fmt.Sprintf("/invoices/%d", 100000+w.rng.Intn(99999))
		if rt > 60 {
			status, rt = 504, 60
			onset.see(t.Add(60 * time.Second))
			w.log("/ec2/billing-portal/nginx", errStream, t.Add(60*time.Second), fmt.Sprintf(`%s [error] 2211#2211: *%d upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.%d, server: billing.acme.internal, request: "GET %s HTTP/1.1", upstream: "fastcgi://unix:/run/php-fpm/www.sock:", host: "billing.acme.internal"`,
				t.Add(60*time.Second).Format("2006/01/02 15:04:05"), w.rng.Intn(999999), 10+w.rng.Intn(40), path))
		}
		w.log("/ec2/billing-portal/nginx", accStream, t.Add(time.Duration(rt*1000)*time.Millisecond), fmt.Sprintf(`10.0.0.%d - - [%s] "GET %s HTTP/1.1" %d %d "-" "Mozilla/5.0" %.3f`, 10+w.rng.Intn(40), t.Format("02/Jan/2006:15:04:05 -0700"), path, status, 2000+w.rng.Intn(30000), rt))
	})
	w.poisson(w.from, w.end, 50*time.Second, func(t time.Time) {
		w.log("/ec2/billing-portal/nginx", errStream, t, fmt.Sprintf(`%s [warn] 2211#2211: *%d an upstream response is buffered to a temporary file /var/cache/nginx/fastcgi_temp/%d while reading upstream`, t.Format("2006/01/02 15:04:05"), w.rng.Intn(999999), w.rng.Intn(99)))
	})
	w.poisson(empty.Add(90*time.Second), w.end, 20*time.Second, func(t time.Time) {
		w.log("/ec2/billing-portal/php-fpm", inst, t, fmt.Sprintf("[%s] WARNING: [pool www] server reached pm.max_children setting (20), consider raising it", t.Format("02-Jan-2006 15:04:05")))
	})
	w.poisson(w.from, w.end, 120*time.Second, func(t time.Time) {
		w.log("/ec2/billing-portal/php-fpm", inst, t, fmt.Sprintf("[%s] NOTICE: [pool www] child %d exited with code 0 after %.6f seconds from start", t.Format("02-Jan-2006 15:04:05"), 3000+w.rng.Intn(5000), 3600+w.rng.Float64()*100))
	})
	idim := []dim{{"InstanceId", inst}}
	w.metric("AWS/EC2", "CPUCreditBalance", "Count", idim, 0, func(t time.Time) float64 {
		if !t.Before(empty) {
			return 0
		}
		return empty.Sub(t).Minutes() * 1.1
	})
	w.metric("AWS/EC2", "CPUUtilization", "Percent", idim, 0.05, func(t time.Time) float64 { return 96 - 66*ramp(t, empty, empty.Add(time.Minute)) })
	w.metric("AWS/EC2", "CPUCreditUsage", "Count", idim, 0.05, func(t time.Time) float64 { return 1.9 - 1.3*ramp(t, empty, empty.Add(time.Minute)) })
	lbDims := []dim{{"LoadBalancer", "app/billing-internal/5d4c3b2a19f8e7d6"}}
	w.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", lbDims, 0.1, func(t time.Time) float64 { return 0.3 + 24*ramp(t, empty, empty.Add(4*time.Minute)) })
	w.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Count", lbDims, 0.2, func(t time.Time) float64 { return 30 * ramp(t, empty.Add(2*time.Minute), empty.Add(5*time.Minute)) })
	w.metric("AWS/ApplicationELB", "RequestCount", "Count", lbDims, 0.1, func(time.Time) float64 { return 85 })

	w.routineTrail("ec2-ssm-core", []string{inst, "i-0a1b2c3d4e5f60718"}, []string{"billing-portal-instance"})
	tags := at(day, "19:20:14")
	w.ct(tags, "ec2.amazonaws.com", "CreateTags", consoleUser("a.ivanova", "203.0.113.140"),
		map[string]any{"resourcesSet": map[string]any{"items": []any{map[string]any{"resourceId": inst}}}, "tagSet": map[string]any{"items": []any{map[string]any{"key": "CostCenter", "value": "fin-204"}}}})
	w.ct(at(day, "19:23:40"), "ssm.amazonaws.com", "PutParameter", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.77", "aws-cli/2.15.30"),
		map[string]any{"name": "/billing-reports/pdf-export-enabled", "type": "String", "overwrite": true})
	inv := at(day, "19:25:02")
	w.ct(inv, "ssm.amazonaws.com", "SendCommand", service("ssm.amazonaws.com"),
		map[string]any{"documentName": "AWS-GatherSoftwareInventory", "instanceIds": []string{inst}, "associationId": "4f6a8c0e-2b4d-4e6f-8a0c-2e4f6a8c0e2b"})

	w.alarm("billing-portal-latency", "billing portal is slow", "AWS/ApplicationELB", "TargetResponseTime", "Average", lbDims, 5, 3, at(day, "19:31:10"), []float64{24.3, 18.1, 12.2})
	onset.see(empty) // throttled from here: latency climbs before the first timeout
	w.truth = truth{Kind: "resource-exhaustion", Alarm: "billing-portal-latency", NoChange: true,
		Onset:   onset.String(),
		Decoys:  []event{ev("CreateTags", tags), ev("PutParameter", at(day, "19:23:40")), ev("SendCommand", inv)},
		Signals: []string{"CPUCreditBalance", "upstream timed out"}}
	return w
}
