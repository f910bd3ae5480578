package main

import (
	"fmt"
	"time"
)

// s3Ownership: a security engineer hardens mediahub-prod-uploads: tags it,
// sets Object Ownership to BucketOwnerEnforced (ACLs disabled), sets default
// encryption. The modern media-api uploads without ACLs and keeps working
// (thousands of lines); the legacy feed-sync job on EC2 still sends
// ACL=public-read and every one of its PutObject calls now fails with
// AccessControlListNotSupported — a few lines every two minutes.
// Decoys: PutBucketTagging and PutBucketEncryption on the same bucket by the
// same person (the second one closer to the onset), PutBucketPolicy on the
// logs bucket five minutes before the onset.
func s3Ownership(s *snap) {
	s.region, s.account = "ca-central-1", "807216593348"
	s.start = time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)
	s.end = s.start.Add(2 * time.Hour)
	s.title = "partner images missing from the site"
	s.arch = "media-api (ECS Fargate, Go) stores user uploads in S3 bucket mediahub-prod-uploads; the legacy feed-sync job (EC2 i-0d3b8e1f7a2c94650, cron every 2 min, Python/boto3) copies partner feed images into the same bucket as public-read objects served through CloudFront. Lambda media-thumbnailer runs on ObjectCreated events."

	bucket := "mediahub-prod-uploads"
	sec := s.sso("SecurityEngineer", "nadia.haddad@mediahub.ca", "142.116.9.77")
	dev := s.sso("Developer", "felix.gagnon@mediahub.ca", "142.116.9.81")
	ci := s.role("gitlab-runner-deploy", "gitlab-"+s.hex(8), "35.203.17.40", "aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.1.0-26-cloud-amd64 md/arch#x86_64 lang/python#3.12.7 exec-env/gitlab-ci")
	s.noise(noiseCfg{ci: ci, humans: []principal{sec, dev}, lambdaRoles: []string{"media-thumbnailer-role", "media-moderation-role"}, taskRoles: []string{"media-api-task", "ecsTaskExecutionRole"},
		ecrRepos: []string{"media-api", "web", "moderation"}, logGroups: []string{"/aws/lambda/media-thumbnailer"}, instances: []string{"i-0d3b8e1f7a2c94650"},
		secretReads: []string{"prod/media/cdn-signing-key"}, monitoring: true, eventsPerMin: 7})
	// Config and Access Analyzer read bucket settings.
	cfg := s.svcRole("AWSServiceRoleForConfig", "AWSConfig-BucketConfigHandler", "config.amazonaws.com")
	s.every(4*time.Minute, func(t time.Time) {
		at := s.jitter(t, 4*time.Minute)
		b := s.pick(bucket, "mediahub-prod-logs", "mediahub-prod-backups", "mediahub-web-assets")
		for _, op := range []string{"GetBucketAcl", "GetBucketPolicy", "GetBucketOwnershipControls", "GetBucketVersioning"} {
			s.event(at, cfg, "s3.amazonaws.com", op, true, map[string]any{"bucketName": b, "Host": b + ".s3." + s.region + ".amazonaws.com"}, nil, [2]string{"AWS::S3::Bucket", "arn:aws:s3:::" + b})
			at = at.Add(150 * time.Millisecond)
		}
	})

	tagAt := time.Date(2026, 11, 30, 17, 41, 10, 0, time.UTC)
	rootAt := time.Date(2026, 11, 30, 17, 43, 55, 0, time.UTC)
	encAt := time.Date(2026, 11, 30, 17, 44, 38, 0, time.UTC)
	polAt := time.Date(2026, 11, 30, 17, 40, 2, 0, time.UTC)
	s3ev := func(at time.Time, p principal, b, op string, ro bool, extra map[string]any) map[string]any {
		req := map[string]any{"bucketName": b, "Host": b + ".s3." + s.region + ".amazonaws.com"}
		for k, v := range extra {
			req[k] = v
		}
		r := s.event(at, p, "s3.amazonaws.com", op, ro, req, nil, [2]string{"AWS::S3::Bucket", "arn:aws:s3:::" + b})
		r["additionalEventData"] = map[string]any{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader", "x-amz-id-2": s.hex(60), "bytesTransferredOut": 0}
		return r
	}
	for i, op := range []string{"GetBucketTagging", "GetBucketOwnershipControls", "GetBucketAcl", "GetBucketEncryption", "GetBucketPolicyStatus"} {
		s3ev(tagAt.Add(-time.Duration(90-i*12)*time.Second), sec, bucket, op, true, nil)
	}
	s3ev(tagAt, sec, bucket, "PutBucketTagging", false, map[string]any{"tagging": "", "Tagging": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "TagSet": map[string]any{"Tag": []any{map[string]any{"Key": "data-classification", "Value": "public-content"}, map[string]any{"Key": "owner", "Value": "media-platform"}}}}})
	s3ev(polAt, dev, "mediahub-prod-logs", "PutBucketPolicy", false, map[string]any{"policy": "", "bucketPolicy": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Sid": "AWSLogDeliveryWrite", "Effect": "Allow", "Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::mediahub-prod-logs/cloudfront/*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": s.account}}}}}})
	s3ev(rootAt, sec, bucket, "PutBucketOwnershipControls", false, map[string]any{"ownershipControls": "", "OwnershipControls": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}})
	s3ev(encAt, sec, bucket, "PutBucketEncryption", false, map[string]any{"encryption": "", "ServerSideEncryptionConfiguration": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": map[string]any{"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": true}}})
	s3ev(encAt.Add(25*time.Second), sec, bucket, "GetBucketOwnershipControls", true, nil)
	// Security Hub finding that prompted the change, closed by the engineer.
	s.event(encAt.Add(3*time.Minute), sec, "securityhub.amazonaws.com", "BatchUpdateFindings", false, map[string]any{"findingIdentifiers": []any{map[string]any{"id": fmt.Sprintf("arn:aws:securityhub:%s:%s:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.12/finding/%s", s.region, s.account, s.uuid())}}, "workflow": map[string]any{"status": "RESOLVED"}}, nil)

	// media-api: logfmt, the modern path without ACLs.
	mg := "/ecs/media-api"
	puts, s4xx, all, thumbs := series{}, series{}, series{}, series{}
	mstreams := []string{"media-api/media-api/" + s.hex(32), "media-api/media-api/" + s.hex(32), "media-api/media-api/" + s.hex(32)}
	s.sim(time.Second, func(t time.Time) {
		load := 0.35 + 0.1*float64(t.Hour()-15)
		for i := s.poisson(load); i > 0; i-- {
			at := s.jitter(t, time.Second)
			st := mstreams[s.rng.Intn(3)]
			key := fmt.Sprintf("u/%d/%s.%s", 10000+s.rng.Intn(90000), s.hex(20), s.pick("jpg", "png", "webp", "mp4"))
			ms := s.lognormal(85, 0.4)
			all.inc(at)
			puts.inc(at)
			switch {
			case s.rng.Intn(350) == 0:
				s.log(mg, st, at, fmt.Sprintf(`time=%s level=error msg="upload failed" bucket=%s key=%s err="operation error S3: PutObject, https response error StatusCode: 400, RequestID: %s, HostID: %s, api error RequestTimeout: Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed."`, isoMs(at), bucket, key, s.hex(16), s.hex(40)))
				s4xx.inc(at)
			case s.rng.Intn(60) == 0:
				s.log(mg, st, at, fmt.Sprintf(`time=%s level=warn msg="client aborted upload" key=%s bytes_read=%d`, isoMs(at), key, s.rng.Intn(400000)))
			default:
				s.log(mg, st, at, fmt.Sprintf(`time=%s level=info msg="object stored" bucket=%s key=%s size=%d content_type=%s duration_ms=%.1f`, isoMs(at), bucket, key, 20000+s.rng.Intn(4000000), s.pick("image/jpeg", "image/png", "image/webp", "video/mp4"), ms))
				thumbs.inc(at)
			}
			// GETs: the bucket's 4xx has always been busy with 403/404 from expired links.
			for j := s.poisson(2.5); j > 0; j-- {
				all.inc(at)
				if s.rng.Intn(14) == 0 {
					s4xx.inc(at)
				}
			}
		}
	})
	// The thumbnailer Lambda mirrors the modern uploads.
	tg := "/aws/lambda/media-thumbnailer"
	tst := s.start.Format("2006/01/02") + "/[$LATEST]" + s.hex(32)
	s.every(time.Minute, func(t time.Time) {
		for i := 0; i < int(thumbs.sum(t)/3); i++ {
			at := s.jitter(t, time.Minute)
			rid := s.uuid()
			s.log(tg, tst, at, fmt.Sprintf("%s\t%s\tINFO\tthumbnail written\t{\"key\":\"thumbs/%s.webp\",\"w\":320}", isoMs(at), rid, s.hex(20)))
		}
	})

	// feed-sync: Python logging on EC2 via the CloudWatch agent.
	fg := "/legacy/feed-sync"
	fst := "i-0d3b8e1f7a2c94650"
	failures := series{}
	var onset time.Time
	py := func(at time.Time, level, msg string) {
		s.log(fg, fst, at, fmt.Sprintf("%s,%03d %s feed_sync: %s", at.Format("2006-01-02 15:04:05"), at.Nanosecond()/1e6, level, msg))
	}
	s.sim(2*time.Minute, func(t time.Time) {
		run := t.Add(time.Minute + 5*time.Second)
		if run.Before(s.start) {
			return
		}
		py(run, "INFO", fmt.Sprintf("run started pid=%d", 20000+s.rng.Intn(9000)))
		at := run.Add(300 * time.Millisecond)
		for _, partner := range []string{"northwind-media", "acme-wire", "maple-photo"} {
			if partner == "acme-wire" && s.rng.Intn(9) == 0 {
				py(at, "ERROR", "partner=acme-wire fetch failed: HTTPSConnectionPool(host='feeds.acmewire.example', port=443): Read timed out. (read timeout=10)")
				at = at.Add(10 * time.Second)
				continue
			}
			n := s.rng.Intn(3)
			py(at, "INFO", fmt.Sprintf("partner=%s fetched %d new items", partner, n))
			for i := 0; i < n; i++ {
				at = at.Add(time.Duration(200+s.rng.Intn(600)) * time.Millisecond)
				key := fmt.Sprintf("partners/%s/%s/img_%d.jpg", partner, at.Format("2006/01/02"), 10000+s.rng.Intn(90000))
				if at.After(rootAt.Add(2 * time.Second)) {
					failures.inc(at)
					if onset.IsZero() {
						onset = at
					}
					py(at, "ERROR", fmt.Sprintf("upload failed for %s\nTraceback (most recent call last):\n  File \"/opt/feed-sync/feed_sync/uploader.py\", line 77, in upload\n    s3.put_object(Bucket=BUCKET, Key=key, Body=body, ACL=\"public-read\", ContentType=ctype, CacheControl=\"max-age=86400\")\n  File \"/opt/feed-sync/venv/lib/python3.9/site-packages/botocore/client.py\", line 535, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n  File \"/opt/feed-sync/venv/lib/python3.9/site-packages/botocore/client.py\", line 980, in _make_api_call\n    raise error_class(parsed_response, operation_name)\nbotocore.exceptions.ClientError: An error occurred (AccessControlListNotSupported) when calling the PutObject operation: The bucket does not allow ACLs", key))
					s4xx.inc(at)
				} else {
					py(at, "INFO", fmt.Sprintf("uploaded s3://%s/%s (public-read)", bucket, key))
				}
				all.inc(at)
				puts.inc(at)
			}
			at = at.Add(time.Second)
		}
		py(at, "INFO", "run finished")
	})

	bd := [][2]string{{"BucketName", bucket}, {"FilterId", "EntireBucket"}}
	s.metric("AWS/S3", "PutRequests", bd, "Count", puts.countDP)
	s.metric("AWS/S3", "AllRequests", bd, "Count", all.countDP)
	s.metric("AWS/S3", "4xxErrors", bd, "Count", s4xx.countDP)
	s.metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", "media-thumbnailer"}}, "Count", thumbs.countDP)
	s.metric("MediaHub/FeedSync", "UploadFailures", nil, "Count", failures.countDP)
	s.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "media-prod"}, {"ServiceName", "media-api"}}, "Percent", func(t time.Time) (dp, bool) {
		v := 30 + 8*s.rng.Float64()
		if t.Minute()%30 < 4 {
			v += 25 // the half-hourly transcode sweep
		}
		return gauge(60, v, v-5, v+7), true
	})

	fired, recent := firstBreach(failures.sum, s.start, s.end, 5, 3, 1, true, 44*time.Second)
	s.alarm(alarmSpec{name: "feed-sync-upload-failures", desc: "Metric filter \"upload failed\" on /legacy/feed-sync", ns: "MediaHub/FeedSync", metric: "UploadFailures", stat: "Sum", op: "GreaterThanOrEqualToThreshold",
		period: 60, evals: 5, toAlarm: 3, threshold: 1, firedAt: fired, recent: recent, actions: []string{"arn:aws:sns:ca-central-1:807216593348:media-oncall"}})
	s.okAlarm("media-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold", [][2]string{{"LoadBalancer", "app/media-prod/4b7e1c9d2a3f5e06"}}, 25)
	s.okAlarm("uploads-4xx-high", "AWS/S3", "4xxErrors", "Sum", "GreaterThanThreshold", bd, 400)
	s.responders(dev, fired)

	s.truth = map[string]any{"name": s.name, "kind": "config-change", "alarm": "feed-sync-upload-failures",
		"root_cause": map[string]any{"event_name": "PutBucketOwnershipControls", "event_time": iso(rootAt), "resource": bucket},
		"onset":      iso(onset.Truncate(time.Minute)),
		"decoys": []map[string]any{
			{"event_name": "PutBucketTagging", "event_time": iso(tagAt)},
			{"event_name": "PutBucketPolicy", "event_time": iso(polAt)},
			{"event_name": "PutBucketEncryption", "event_time": iso(encAt)},
		},
		"signals": []string{"AccessControlListNotSupported", "The bucket does not allow ACLs"}}
}
