package main

import (
	"fmt"
	"time"
)

// ecsDeploy writes the RegisterTaskDefinition + UpdateService pair a CI
// pipeline makes, and returns the UpdateService time.
func (s *snap) ecsDeploy(w who, at time.Time, family, role, image string, rev int) time.Time {
	tdArn := fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", region, acct, family, rev)
	roleArn := fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, role)
	container := map[string]any{"name": "app", "image": fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", acct, region, image), "cpu": 0, "essential": true,
		"portMappings": []any{}, "environment": []map[string]string{{"name": "APP_ENV", "value": "prod"}},
		"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]string{"awslogs-group": "/ecs/" + family, "awslogs-region": region, "awslogs-stream-prefix": "ecs", "awslogs-multiline-pattern": "^\\d{4}-\\d{2}-\\d{2}"}}}
	s.ct(at, "ecs.amazonaws.com", "RegisterTaskDefinition", w, map[string]any{
		"family": family, "taskRoleArn": roleArn, "executionRoleArn": fmt.Sprintf("arn:aws:iam::%s:role/ecsTaskExecutionRole", acct),
		"networkMode": "awsvpc", "containerDefinitions": []any{container}, "requiresCompatibilities": []string{"FARGATE"}, "cpu": "1024", "memory": "2048",
	}, map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": tdArn, "family": family, "revision": rev, "taskRoleArn": roleArn, "status": "ACTIVE",
		"registeredAt": at.Format("Jan 2, 2006, 3:04:05 PM"), "registeredBy": fmt.Sprintf("arn:aws:sts::%s:assumed-role/github-actions-deploy/GitHubActions", acct)}}, false)
	up := at.Add(time.Duration(12+s.rng.Intn(6)) * time.Second)
	s.ct(up, "ecs.amazonaws.com", "UpdateService", w, map[string]any{"cluster": "prod-core", "service": family, "taskDefinition": tdArn, "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceArn": fmt.Sprintf("arn:aws:ecs:%s:%s:service/prod-core/%s", region, acct, family), "serviceName": family, "taskDefinition": tdArn, "desiredCount": 3,
			"deployments": []any{map[string]any{"id": "ecs-svc/" + fmt.Sprint(1000000000000000000+s.rng.Int63n(8000000000000000000)), "status": "PRIMARY", "taskDefinition": tdArn, "rolloutState": "IN_PROGRESS"}}}}, false)
	return up
}

// ecsTaskRoleSwapped: the archiver's new task definition carries the
// renderer's task role; its tasks can no longer write invoices to S3.
func ecsTaskRoleSwapped(root string) {
	start := time.Date(2026, 11, 19, 8, 10, 0, 0, time.UTC)
	end := time.Date(2026, 11, 19, 10, 15, 0, 0, time.UTC)
	s := newSnap("ecs-task-role-swapped", 1102, start, end)
	s.title = "invoice-archive queue backing up"
	s.arch = "ECS Fargate cluster prod-core. invoice-renderer (Go) renders invoice PDFs and sends a message to SQS invoice-archive; invoice-archiver (Java 21, Spring Boot, AWS SDK v2) consumes it and writes the PDF to S3 bucket acme-invoices-archive-prod. Each service has its own task role."
	regAt := time.Date(2026, 11, 19, 9, 41, 37, 0, time.UTC)
	onset := time.Date(2026, 11, 19, 9, 43, 21, 0, time.UTC)
	fired := time.Date(2026, 11, 19, 9, 49, 30, 0, time.UTC)
	_, ci, sso, _, _ := s.actors()
	ci.agent = "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/ecs#3.693.0 m/E,O,e exec-env/GitHubActions"
	early := s.ecsDeploy(ci, time.Date(2026, 11, 19, 8, 32, 5, 0, time.UTC), "invoice-archiver", "invoice-archiver-task", "invoice-archiver:sha-5b81c0e", 57)
	_ = early
	up := s.ecsDeploy(ci, regAt, "invoice-archiver", "invoice-renderer-task", "invoice-archiver:sha-e24a9d1", 58)
	decoyUp := s.ecsDeploy(ci, time.Date(2026, 11, 19, 9, 43, 40, 0, time.UTC), "invoice-renderer", "invoice-renderer-task", "invoice-renderer:sha-91fd3a7", 131)
	// application autoscaling adjusts the renderer all along
	aas := who{awsService("application-autoscaling.amazonaws.com"), "application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com"}
	for _, at := range []time.Time{time.Date(2026, 11, 19, 8, 55, 12, 0, time.UTC), time.Date(2026, 11, 19, 9, 27, 40, 0, time.UTC)} {
		s.ct(at, "ecs.amazonaws.com", "UpdateService", aas, map[string]any{"cluster": "prod-core", "service": "invoice-renderer", "desiredCount": 4 + s.rng.Intn(3)}, map[string]any{"service": map[string]any{"serviceName": "invoice-renderer"}}, false)
	}
	oncall := who{assumed("AWSReservedSSO_PlatformAdmin_4be2a7c19d03f58e", "lukas.brandt@acme.io", "AROAWB3KJ7QFPLATADM9", fired), "81.2.69.171", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 command/iam.put-role-policy"}
	prp := time.Date(2026, 11, 19, 9, 53, 10, 0, time.UTC)
	s.ct(prp.Add(-50*time.Second), "iam.amazonaws.com", "GetRolePolicy", oncall, map[string]any{"roleName": "invoice-archiver-task", "policyName": "archive-bucket-write"}, nil, true)
	s.ct(prp, "iam.amazonaws.com", "PutRolePolicy", oncall, map[string]any{"roleName": "invoice-archiver-task", "policyName": "archive-bucket-write",
		"policyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectTagging","s3:AbortMultipartUpload"],"Resource":"arn:aws:s3:::acme-invoices-archive-prod/*"}]}`}, nil, false)
	s.ct(time.Date(2026, 11, 19, 9, 51, 2, 0, time.UTC), "ecs.amazonaws.com", "DescribeTaskDefinition", oncall, map[string]any{"taskDefinition": "invoice-archiver"}, nil, true)
	_ = sso

	arch := "/ecs/invoice-archiver"
	rend := "/ecs/invoice-renderer"
	type task struct {
		id          string
		from, until time.Time
		bad         bool
	}
	var tasks []task
	for i := 0; i < 3; i++ {
		tasks = append(tasks, task{s.hex(32), start.Add(-time.Hour), time.Date(2026, 11, 19, 8, 34, 10+20*i, 0, time.UTC), false})
		tasks = append(tasks, task{s.hex(32), time.Date(2026, 11, 19, 8, 33, 30+15*i, 0, time.UTC), time.Date(2026, 11, 19, 9, 44, 5+40*i, 0, time.UTC), false})
		tasks = append(tasks, task{s.hex(32), onset.Add(time.Duration(i*25) * time.Second), end.Add(time.Hour), true})
	}
	ts := func(t time.Time) string { return t.Format("2006-01-02 15:04:05.000") }
	for _, tk := range tasks {
		st := "ecs/app/" + tk.id
		if tk.from.After(start) {
			b := tk.from.Add(-40 * time.Second)
			s.log(arch, st, b, fmt.Sprintf("%s  INFO 1 --- [invoice-archiver] [           main] c.a.i.InvoiceArchiverApplication         : Starting InvoiceArchiverApplication v3.14.%d using Java 21.0.5 with PID 1", ts(b), s.rng.Intn(9)))
			s.log(arch, st, b.Add(9*time.Second), fmt.Sprintf("%s  INFO 1 --- [invoice-archiver] [           main] i.a.a.s.s.a.SqsAutoConfiguration         : Listening on queue https://sqs.us-east-1.amazonaws.com/%s/invoice-archive", ts(b.Add(9*time.Second)), acct))
			s.log(arch, st, b.Add(11*time.Second), fmt.Sprintf("%s  INFO 1 --- [invoice-archiver] [           main] c.a.i.InvoiceArchiverApplication         : Started InvoiceArchiverApplication in 10.812 seconds (process running for 11.93)", ts(b.Add(11*time.Second))))
		}
		if tk.until.Before(end) {
			u := tk.until
			s.log(arch, st, u, fmt.Sprintf("%s  INFO 1 --- [invoice-archiver] [ionShutdownHook] o.s.c.support.DefaultLifecycleProcessor  : Shutdown phase 2147482623 ends", ts(u)))
			s.log(arch, st, u.Add(2*time.Second), fmt.Sprintf("%s  INFO 1 --- [invoice-archiver] [ionShutdownHook] a.c.s.l.AbstractMessageListenerContainer : Container invoice-archive-listener stopped", ts(u.Add(2*time.Second))))
		}
	}
	failures := map[time.Time]float64{}
	deleted := map[time.Time]float64{}
	oldest := map[time.Time]float64{}
	backlog := 0.0
	var firstStuck time.Time
	s.minutes(func(m time.Time) {
		n := s.poisson(28)
		for i := 0; i < n; i++ {
			t := s.jitter(m, 60000)
			if m.Equal(onset.Truncate(time.Minute)) && i == 0 {
				t = onset
			}
			var live []task
			for _, tk := range tasks {
				if !tk.from.After(t) && tk.until.After(t) {
					live = append(live, tk)
				}
			}
			tk := live[s.rng.Intn(len(live))]
			if t.Equal(onset) {
				tk = tasks[2]
			}
			st := "ecs/app/" + tk.id
			inv := fmt.Sprintf("INV-2026-%06d", 400000+s.rng.Intn(90000))
			th := fmt.Sprintf("[invoice-archiver] [ntContainer#0-%d]", 1+s.rng.Intn(8))
			if tk.bad && !t.Before(onset) {
				failures[m]++
				backlog++
				reqID := s.upper(16)
				s.log(arch, st, t, fmt.Sprintf("%s ERROR 1 --- %s c.a.i.archive.ArchiveListener           : failed to archive %s (messageId=%s), leaving it on the queue\nsoftware.amazon.awssdk.services.s3.model.S3Exception: User: arn:aws:sts::%s:assumed-role/invoice-renderer-task/%s is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::acme-invoices-archive-prod/2026/11/19/%s.pdf\" because no identity-based policy allows the s3:PutObject action (Service: S3, Status Code: 403, Request ID: %s, Extended Request ID: %s)\n\tat software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)\n\tat software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:58)\n\tat software.amazon.awssdk.protocols.xml.internal.unmarshall.AwsXmlPredicatedResponseHandler.handleErrorResponse(AwsXmlPredicatedResponseHandler.java:156)\n\tat software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage.execute(RetryableStage.java:50)\n\tat software.amazon.awssdk.services.s3.DefaultS3Client.putObject(DefaultS3Client.java:11349)\n\tat com.acme.invoice.archive.S3Archive.store(S3Archive.java:61)\n\tat com.acme.invoice.archive.ArchiveListener.onMessage(ArchiveListener.java:44)\n\tat io.awspring.cloud.sqs.listener.adapter.MessagingMessageListenerAdapter.onMessage(MessagingMessageListenerAdapter.java:51)\n\t... 14 common frames omitted",
					ts(t), th, inv, s.uuid(), acct, tk.id, inv, reqID, s.hex(40)+"="))
				continue
			}
			deleted[m]++
			switch r := s.rng.Float64(); {
			case r < 0.035:
				s.log(arch, st, t, fmt.Sprintf("%s  WARN 1 --- %s c.a.i.tax.TaxLookupClient               : tax-service lookup for %s timed out, using cached rate\njava.net.SocketTimeoutException: Read timed out\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)\n\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)\n\tat com.acme.invoice.tax.TaxLookupClient.rate(TaxLookupClient.java:88)", ts(t), th, inv))
			case r < 0.05:
				s.log(arch, st, t, fmt.Sprintf("%s ERROR 1 --- %s c.a.i.archive.ArchiveListener           : rejected %s: com.acme.invoice.InvoiceValidationException: currency mismatch (EUR vs GBP) on line 3; sent to invoice-archive-dlq", ts(t), th, inv))
			case r < 0.5:
				s.log(arch, st, t, fmt.Sprintf("%s  INFO 1 --- %s c.a.i.archive.ArchiveListener           : archived %s to s3://acme-invoices-archive-prod/2026/11/19/%s.pdf (%d bytes)", ts(t), th, inv, inv, 60000+s.rng.Intn(250000)))
			}
		}
		// messages left on the queue age until a good task takes them
		if backlog > 0 && firstStuck.IsZero() {
			firstStuck = m
		}
		age := 20 + s.rng.Float64()*25
		if !firstStuck.IsZero() {
			age = m.Sub(firstStuck).Seconds() + 60
		}
		oldest[m] = age
		// renderer: zap JSON
		rs := "ecs/app/" + "5e0b7c2a91d84f36a7e1c3b5d9f2a4c6"
		if m.After(decoyUp.Add(90 * time.Second)) {
			rs = "ecs/app/" + "c83d1f0e6a2b47959e0d8c7b6a5f4e3d"
		}
		for i := 0; i < s.poisson(9); i++ {
			t := s.jitter(m, 60000)
			s.log(rend, rs, t, fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"render/pdf.go:214","msg":"invoice rendered","invoice":"INV-2026-%06d","pages":%d,"ms":%d}`, float64(t.UnixMicro())/1e6, 400000+s.rng.Intn(90000), 1+s.rng.Intn(4), 90+s.rng.Intn(400)))
			if s.rng.Float64() < 0.04 {
				s.log(rend, rs, t.Add(5*time.Millisecond), fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"render/fonts.go:57","msg":"glyph fallback failed","font":"NotoSans-Regular","error":"font: no glyph for U+200B","stacktrace":"github.com/acme/invoice-renderer/render.(*Renderer).shape\n\t/src/render/fonts.go:57"}`, float64(t.UnixMicro())/1e6))
			}
		}
		if m.Equal(decoyUp.Truncate(time.Minute).Add(time.Minute)) {
			s.log(rend, rs, m.Add(20*time.Second), fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"cmd/renderer/main.go:66","msg":"starting invoice-renderer","version":"sha-91fd3a7"}`, float64(m.Add(20*time.Second).UnixMicro())/1e6))
		}
	})
	svcA := []dim{{"QueueName", "invoice-archive"}}
	s.gauge("AWS/SQS", "ApproximateAgeOfOldestMessage", svcA, "Seconds", 1, func(m time.Time) float64 { return oldest[m] })
	s.perMinute("AWS/SQS", "NumberOfMessagesDeleted", svcA, func(m time.Time) float64 { return deleted[m] })
	s.perMinute("AWS/SQS", "NumberOfMessagesSent", svcA, func(m time.Time) float64 { return 28 })
	s.perMinute("AWS/SQS", "NumberOfMessagesReceived", svcA, func(m time.Time) float64 { return deleted[m] + failures[m] })
	s.count("InvoiceArchiver", "ArchiveFailures", []dim{{"Service", "invoice-archiver"}}, func(m time.Time) float64 { return failures[m] + 0.15 })
	for _, svc := range []string{"invoice-archiver", "invoice-renderer"} {
		svc := svc
		s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "prod-core"}, {"ServiceName", svc}}, "Percent", 1, func(m time.Time) float64 {
			v := 22.0
			if svc == "invoice-renderer" {
				v = 41
				if m.After(decoyUp) && m.Before(decoyUp.Add(4*time.Minute)) {
					v = 63
				}
			}
			if svc == "invoice-archiver" && m.After(up) && m.Before(up.Add(4*time.Minute)) {
				v = 35
			}
			return v
		})
	}
	s.alarm("invoice-archive-age-of-oldest", "invoice-archive queue: oldest message older than 5 minutes", "AWS/SQS", "ApproximateAgeOfOldestMessage", svcA, "Maximum", 300, "GreaterThanThreshold", 1, fired,
		"Threshold Crossed: 1 out of the last 1 datapoints [372.0 (19/11/26 09:48:00)] was greater than the threshold (300.0) (minimum 1 datapoint for OK -> ALARM transition).", "ALARM")
	s.alarm("invoice-archive-dlq-not-empty", "messages in the archive DLQ", "AWS/SQS", "ApproximateNumberOfMessagesVisible", []dim{{"QueueName", "invoice-archive-dlq"}}, "Maximum", 25, "GreaterThanThreshold", 1, start, "Threshold Crossed: 1 datapoint [3.0] was not greater than the threshold (25.0).", "OK")
	s.noiseTrail([]string{"invoice-archiver-task", "invoice-renderer-task", "ecsTaskExecutionRole"}, []string{"invoice-archiver", "invoice-renderer", "tax-service"}, []string{arch, rend})
	s.write(root, truth{
		Name: s.name, Kind: "ecs-task-role-swapped", Alarm: "invoice-archive-age-of-oldest",
		RootCause: &rootCause{"UpdateService", up, "arn:aws:ecs:us-east-1:" + acct + ":service/prod-core/invoice-archiver"},
		Onset:     onset,
		Decoys:    []decoy{{"UpdateService", decoyUp}, {"PutRolePolicy", prp}, {"RegisterTaskDefinition", time.Date(2026, 11, 19, 9, 43, 40, 0, time.UTC)}},
		Signals:   []string{"invoice-renderer-task", "s3:PutObject", "invoice-archiver"},
	})
}
