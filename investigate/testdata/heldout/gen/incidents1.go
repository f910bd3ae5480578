package main

import (
	"fmt"
	"strings"
	"time"
)

// first keeps the earliest time it is given: an incident's onset is its
// first failure as generated, not a number written down beforehand.
type first struct{ t time.Time }

func (f *first) see(t time.Time) {
	if f.t.IsZero() || t.Before(f.t) {
		f.t = t
	}
}

func (f *first) String() string { return f.t.UTC().Format(time.RFC3339) }

func ev(name string, t time.Time) event { return event{EventName: name, EventTime: t.UTC()} }

// kmsKeyDisabled: a console user disables the customer key a Python
// worker unwraps its data keys with; the worker's cached data key lasts
// ninety seconds, then every job fails with a traceback. The alarm is on
// a dead-letter queue, not on the worker.
func kmsKeyDisabled() *world {
	day := "2026-11-28"
	w := newWorld("kms-key-disabled", at(day, "09:55:00"), at(day, "10:35:00"))
	w.title = "invoice PDFs are not being rendered"
	w.arch = "SQS queue invoice-render-jobs feeds ECS Fargate service invoice-renderer (Python 3.12, boto3), which unwraps per-invoice data keys with KMS customer key alias/invoice-pdf (envelope encryption) and writes PDFs to S3 bucket acme-invoice-pdfs; failed jobs go to DLQ invoice-render-dlq. ECS service invoice-api (Node.js) serves the PDFs."
	keyID := "5c1e8a2d-7b43-4f0e-9d61-2a8b3c4d5e6f"
	keyARN := "arn:aws:kms:us-east-1:" + account + ":key/" + keyID
	archiveKey := "9d0f44b1-2c6e-4a18-8b3f-71e2d5c9a604"
	change := at(day, "10:14:37")
	cacheExpiry := change.Add(88 * time.Second)
	var onset first

	streams := []string{"renderer/invoice-renderer/1f0c" + w.hex(28), "renderer/invoice-renderer/7a2b" + w.hex(28), "renderer/invoice-renderer/c93e" + w.hex(28)}
	job := 88000
	pyTime := func(t time.Time) string {
		return t.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d", t.Nanosecond()/1e6)
	}
	w.poisson(w.from, w.end, 1400*time.Millisecond, func(t time.Time) {
		job++
		s := streams[w.rng.Intn(3)]
		worker := fmt.Sprintf("worker-%d", w.rng.Intn(4))
		// Each task caches its data key; expiries are staggered.
		failing := t.After(cacheExpiry.Add(time.Duration(strings.Index("17c", s[len("renderer/invoice-renderer/"):][:1])) * 9 * time.Second))
		if failing && w.rng.Float64() < 0.93 {
			onset.see(t)
			w.log("/ecs/invoice-renderer", s, t, fmt.Sprintf(`%s ERROR [%s] job %d failed for invoice INV-2026-%06d
Traceback (most recent call last):
  File "/app/renderer/jobs.py", line 142, in run
    data_key = self.envelope.unwrap(job.wrapped_key)
  File "/app/renderer/crypto.py", line 57, in unwrap
    resp = self.kms.decrypt(CiphertextBlob=blob, KeyId=self.key_id)
  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 565, in _api_call
    return self._make_api_call(operation_name, kwargs)
  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call
    raise error_class(parsed_response, operation_name)
botocore.errorfactory.DisabledException: An error occurred (DisabledException) when calling the Decrypt operation: %s is disabled.`, pyTime(t), worker, job, job*7%999999, keyARN))
			w.log("/ecs/invoice-renderer", s, t.Add(30*time.Millisecond), fmt.Sprintf("%s WARNING [%s] message %s moved to invoice-render-dlq after 3 receives", pyTime(t.Add(30*time.Millisecond)), worker, w.uuid()))
			if w.rng.Intn(3) == 0 {
				w.ct(t, "kms.amazonaws.com", "Decrypt", role("invoice-renderer-task", w.hex(32), "10.0.2.51", "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux lang/python#3.12.4"),
					map[string]any{"keyId": keyID, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, readOnly, failed("DisabledException", keyARN+" is disabled."), resources(keyARN))
			}
			return
		}
		pages := 1 + w.rng.Intn(6)
		w.log("/ecs/invoice-renderer", s, t, fmt.Sprintf("%s INFO [%s] rendered invoice INV-2026-%06d (%d pages) in %d ms -> s3://acme-invoice-pdfs/2026/11/INV-2026-%06d.pdf", pyTime(t), worker, job*7%999999, pages, 180+w.rng.Intn(400)+pages*60, job*7%999999))
	})
	// Routine noise the baseline already has.
	w.poisson(w.from, w.end, 45*time.Second, func(t time.Time) {
		s := streams[w.rng.Intn(3)]
		switch w.rng.Intn(3) {
		case 0:
			w.log("/ecs/invoice-renderer", s, t, pyTime(t)+" WARNING [fontcache] glyph cache miss for NotoSansJP-Regular, rebuilding (312 glyphs)")
		case 1:
			w.log("/ecs/invoice-renderer", s, t, pyTime(t)+" ERROR [uploader] upload retry 1/5 after ReadTimeoutError: Read timeout on endpoint URL: \"https://acme-invoice-pdfs.s3.amazonaws.com/\"")
		default:
			w.log("/ecs/invoice-renderer", s, t, pyTime(t)+" INFO [sqs] long poll returned 0 messages")
		}
	})
	apiStreams := []string{"api/invoice-api/" + w.hex(32), "api/invoice-api/" + w.hex(32)}
	w.poisson(w.from, w.end, 900*time.Millisecond, func(t time.Time) {
		status, path := 200, fmt.Sprintf("/v2/invoices/INV-2026-%06d/pdf", w.rng.Intn(999999))
		if w.rng.Intn(25) == 0 {
			status = 404
		}
		w.log("/ecs/invoice-api", apiStreams[w.rng.Intn(2)], t, fmt.Sprintf("%s [invoice-api] %s GET %s %d %dms", t.Format(time.RFC3339Nano), w.hex(16), path, status, 4+w.rng.Intn(40)))
	})

	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", []dim{{"QueueName", "invoice-render-dlq"}}, 0, func(t time.Time) float64 {
		if t.Before(cacheExpiry) {
			return 0
		}
		return float64(t.Sub(cacheExpiry)/time.Minute+1) * 38
	})
	w.metric("AWS/SQS", "NumberOfMessagesSent", "Count", []dim{{"QueueName", "invoice-render-jobs"}}, 0.15, func(time.Time) float64 { return 43 })
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", []dim{{"QueueName", "invoice-render-jobs"}}, 0.3, func(time.Time) float64 { return 6 })
	w.metric("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "billing"}, {"ServiceName", "invoice-renderer"}}, 0.1, func(t time.Time) float64 {
		return 41 - 30*ramp(t, cacheExpiry, cacheExpiry.Add(2*time.Minute))
	})
	w.metric("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "billing"}, {"ServiceName", "invoice-api"}}, 0.1, func(time.Time) float64 { return 18 })
	w.metric("AWS/KMS", "SecondsUntilKeyMaterialExpiration", "Seconds", []dim{{"KeyId", archiveKey}}, 0, func(t time.Time) float64 { return 2.6e7 - t.Sub(w.from).Seconds() })

	w.routineTrail("ec2-ssm-core", []string{"i-0a41c2e9d7f3b6185", "i-07d3e8f1a2b4c6950"}, []string{"invoice-renderer-task", "invoice-api-task"})
	okafor := consoleUser("j.okafor", "203.0.113.58")
	w.ct(at(day, "10:09:41"), "signin.amazonaws.com", "ConsoleLogin", okafor, nil, response(map[string]any{"ConsoleLogin": "Success"}))
	w.ct(at(day, "10:11:02"), "kms.amazonaws.com", "ListAliases", okafor, map[string]any{"limit": 100}, readOnly)
	w.ct(at(day, "10:12:02"), "ecs.amazonaws.com", "UpdateService", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.21", "aws-cli/2.15.30 md/command#ecs.update-service"),
		map[string]any{"cluster": "billing", "service": "invoice-api", "taskDefinition": "invoice-api:212", "forceNewDeployment": false})
	w.ct(at(day, "10:13:20"), "kms.amazonaws.com", "RotateKey", service("kms.amazonaws.com"), nil, resources("arn:aws:kms:us-east-1:"+account+":key/2b8e6f10-4d3a-4c57-a9e2-55f0c1d3b7a8"))
	w.ct(change, "kms.amazonaws.com", "DisableKey", okafor, map[string]any{"keyId": keyID}, resources(keyARN))
	w.ct(at(day, "10:15:10"), "kms.amazonaws.com", "EnableKeyRotation", okafor, map[string]any{"keyId": archiveKey, "rotationPeriodInDays": 365}, resources("arn:aws:kms:us-east-1:"+account+":key/"+archiveKey))

	w.alarm("invoice-render-dlq-not-empty", "Invoices are failing to render and landing in the DLQ. Runbook: https://runbooks.acme.example/billing/invoice-renderer",
		"AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", []dim{{"QueueName", "invoice-render-dlq"}}, 50, 2, at(day, "10:18:40"), []float64{114, 76})
	w.truth = truth{Kind: "encryption-key", Alarm: "invoice-render-dlq-not-empty",
		RootCause: &event{EventName: "DisableKey", EventTime: change, Resource: keyID},
		Onset:     onset.String(),
		Decoys:    []event{ev("UpdateService", at(day, "10:12:02")), ev("RotateKey", at(day, "10:13:20")), ev("EnableKeyRotation", at(day, "10:15:10"))},
		Signals:   []string{"DisabledException", "DisableKey", keyID, "invoice-renderer"}}
	return w
}

// sqsVisibilityTimeout: an infrastructure pipeline lowers a queue's
// visibility timeout below the time a message takes to process. Nothing
// fails: messages are delivered again and again, and the backlog shows
// only in the age of the oldest message.
func sqsVisibilityTimeout() *world {
	day := "2026-11-29"
	w := newWorld("sqs-visibility-timeout", at(day, "03:30:00"), at(day, "04:15:00"))
	w.title = "ledger sync is falling behind"
	w.arch = "ECS service ledger-sync-worker (Go) long-polls SQS queue ledger-sync (redrive to ledger-sync-dlq after 10 receives) and posts journal entries to the general-ledger API; each message takes 15-30 s. ECS service ledger-api (Go) enqueues. Infrastructure is applied by Atlantis (role atlantis-apply)."
	queueURL := "https://sqs.us-east-1.amazonaws.com/" + account + "/ledger-sync"
	change := at(day, "03:41:12")
	backlog := change.Add(6*time.Minute + 20*time.Second) // the first messages seen twice
	var onset first

	streams := []string{"worker/ledger-sync-worker/" + w.hex(32), "worker/ledger-sync-worker/" + w.hex(32)}
	jlog := func(t time.Time, s, level, caller, msg string, kv string) {
		w.log("/ecs/ledger-sync-worker", s, t, fmt.Sprintf(`{"level":%q,"ts":%.3f,"caller":%q,"msg":%q%s}`, level, float64(t.UnixMilli())/1000, caller, msg, kv))
	}
	w.poisson(w.from, w.end, 2200*time.Millisecond, func(t time.Time) {
		s := streams[w.rng.Intn(2)]
		receives := 1
		if t.After(backlog) && w.rng.Float64() < 0.55+0.3*ramp(t, backlog, w.end) {
			receives = 2 + w.rng.Intn(4)
			onset.see(t)
			jlog(t.Add(-time.Second), s, "info", "worker/consume.go:141", "entry already posted, skipping", fmt.Sprintf(`,"queue":"ledger-sync","message_id":%q,"approximate_receive_count":%d`, w.uuid(), receives))
			return
		}
		jlog(t, s, "info", "worker/consume.go:163", "journal entry posted", fmt.Sprintf(`,"queue":"ledger-sync","message_id":%q,"approximate_receive_count":%d,"duration_ms":%d,"ledger":"GL-%d"`, w.uuid(), receives, 15000+w.rng.Intn(15000), 1000+w.rng.Intn(40)))
	})
	w.poisson(w.from, w.end, 20*time.Second, func(t time.Time) {
		s := streams[w.rng.Intn(2)]
		if w.rng.Intn(4) == 0 {
			jlog(t, s, "warn", "glclient/client.go:77", "general-ledger API slow", fmt.Sprintf(`,"endpoint":"/v3/journal","latency_ms":%d`, 2000+w.rng.Intn(3000)))
		} else {
			jlog(t, s, "debug", "worker/poll.go:52", "receive", fmt.Sprintf(`,"queue":"ledger-sync","messages":%d,"wait_s":20`, w.rng.Intn(10)))
		}
	})
	apiStream := "api/ledger-api/" + w.hex(32)
	w.poisson(w.from, w.end, 1100*time.Millisecond, func(t time.Time) {
		w.log("/ecs/ledger-api", apiStream, t, fmt.Sprintf(`{"level":"info","ts":%.3f,"msg":"request","method":"POST","path":"/v1/transactions","status":202,"latency_ms":%d}`, float64(t.UnixMilli())/1000, 3+w.rng.Intn(20)))
	})

	w.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", "Seconds", []dim{{"QueueName", "ledger-sync"}}, 0.2, func(t time.Time) float64 {
		if t.Before(backlog) {
			return 45
		}
		return 45 + t.Sub(backlog).Seconds()*0.95
	})
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", []dim{{"QueueName", "ledger-sync"}}, 0.3, func(t time.Time) float64 { return 9 + 14*ramp(t, backlog, w.end) })
	w.metric("AWS/SQS", "NumberOfMessagesReceived", "Count", []dim{{"QueueName", "ledger-sync"}}, 0.1, func(t time.Time) float64 { return 27 * (1 + 1.6*ramp(t, backlog, backlog.Add(5*time.Minute))) })
	w.metric("AWS/SQS", "NumberOfMessagesDeleted", "Count", []dim{{"QueueName", "ledger-sync"}}, 0.1, func(t time.Time) float64 { return 27 })
	w.metric("AWS/SQS", "NumberOfMessagesSent", "Count", []dim{{"QueueName", "ledger-sync"}}, 0.1, func(time.Time) float64 { return 27 })
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", []dim{{"QueueName", "ledger-sync-dlq"}}, 0, func(time.Time) float64 { return 2 })
	w.metric("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "finance"}, {"ServiceName", "ledger-sync-worker"}}, 0.1, func(time.Time) float64 { return 23 })

	w.routineTrail("ec2-ssm-core", []string{"i-0e5b7c1d93a2f4086"}, []string{"ledger-sync-worker-task", "ledger-api-task"})
	atlantis := role("atlantis-apply", "atlantis-"+w.hex(12), "10.0.9.14", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0")
	w.ct(at(day, "03:33:05"), "ecs.amazonaws.com", "UpdateService", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.4", "aws-cli/2.15.30"),
		map[string]any{"cluster": "finance", "service": "ledger-api", "taskDefinition": "ledger-api:77"})
	w.ct(at(day, "03:41:02"), "sqs.amazonaws.com", "GetQueueAttributes", atlantis, map[string]any{"queueUrl": queueURL, "attributeNames": []string{"All"}}, readOnly)
	w.ct(change, "sqs.amazonaws.com", "SetQueueAttributes", atlantis, map[string]any{"queueUrl": queueURL, "attributes": map[string]any{"VisibilityTimeout": "10"}})
	w.ct(at(day, "03:41:30"), "sqs.amazonaws.com", "SetQueueAttributes", atlantis, map[string]any{"queueUrl": queueURL + "-dlq", "attributes": map[string]any{"MessageRetentionPeriod": "1209600"}})
	scaled := backlog.Add(6*time.Minute + 10*time.Second)
	w.ct(scaled, "ecs.amazonaws.com", "UpdateService", serviceRole("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling", "application-autoscaling.amazonaws.com"),
		map[string]any{"cluster": "finance", "service": "ledger-sync-worker", "desiredCount": 6})

	w.alarm("ledger-sync-oldest-message-age", "Ledger sync is more than 10 minutes behind.", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum",
		[]dim{{"QueueName", "ledger-sync"}}, 600, 3, backlog.Add(13*time.Minute), []float64{780, 721, 665})
	w.truth = truth{Kind: "queue-config", Alarm: "ledger-sync-oldest-message-age",
		RootCause: &event{EventName: "SetQueueAttributes", EventTime: change, Resource: "ledger-sync"},
		Onset:     onset.String(),
		Decoys:    []event{ev("UpdateService", at(day, "03:33:05")), ev("SetQueueAttributes", at(day, "03:41:30")), ev("UpdateService", scaled)},
		Signals:   []string{"ApproximateAgeOfOldestMessage", "SetQueueAttributes", "ledger-sync", "VisibilityTimeout"}}
	return w
}

// lambdaMemoryReduced: a cost-saving console change shrinks a function's
// memory; most invocations still fit, a few large images kill the
// runtime. CloudTrail names the call UpdateFunctionConfiguration20150331v2.
func lambdaMemoryReduced() *world {
	day := "2026-11-30"
	w := newWorld("lambda-memory-reduced", at(day, "14:05:00"), at(day, "14:45:00"))
	w.title = "thumbnail errors on uploads"
	w.arch = "S3 bucket acme-user-uploads notifies Lambda function thumbnailer (Node.js 20, sharp) which writes variants to acme-user-thumbs; thumbnailer-preview renders previews for the web editor; image-metadata-indexer writes EXIF to OpenSearch. Functions are deployed by GitHub Actions (role gha-deploy); people use IAM Identity Center."
	fn := "thumbnailer"
	change := at(day, "14:22:48")
	var onset first
	group := "/aws/lambda/" + fn
	stream := func(t time.Time) string {
		return t.Format("2006/01/02") + "/[$LATEST]" + w.hex(32)
	}
	streams := []string{stream(w.from), stream(w.from), stream(w.from)}
	newStreams := []string{}
	w.poisson(w.from, w.end, 1500*time.Millisecond, func(t time.Time) {
		mem := 1536
		if t.After(change.Add(20 * time.Second)) {
			mem = 512
		}
		var s string
		if mem == 512 {
			if len(newStreams) < 3 && (len(newStreams) == 0 || w.rng.Intn(40) == 0) {
				s = stream(t)
				newStreams = append(newStreams, s)
				w.log(group, s, t.Add(-400*time.Millisecond), "INIT_START Runtime Version: nodejs:20.v33\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4")
			} else {
				s = newStreams[w.rng.Intn(len(newStreams))]
			}
		} else {
			s = streams[w.rng.Intn(3)]
		}
		id := w.uuid()
		w.log(group, s, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
		key := fmt.Sprintf("uploads/u%05d/IMG_%04d.jpg", w.rng.Intn(90000), w.rng.Intn(9999))
		megapixels := 2 + w.rng.ExpFloat64()*6
		used := 180 + int(megapixels*38)
		dur := 300 + megapixels*90 + w.rng.Float64()*100
		if mem == 512 && used > 505 {
			onset.see(t.Add(time.Duration(dur) * time.Millisecond))
			end := t.Add(time.Duration(dur) * time.Millisecond)
			w.log(group, s, end, fmt.Sprintf("END RequestId: %s", id))
			w.log(group, s, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB", id, dur, int(dur)+1))
			w.log(group, s, end, fmt.Sprintf("RequestId: %s Error: Runtime exited with error: signal: killed\nRuntime.ExitError", id))
			return
		}
		if w.rng.Intn(60) == 0 {
			w.log(group, s, t.Add(40*time.Millisecond), fmt.Sprintf("%s\t%s\tERROR\tNoSuchKey: The specified key does not exist. key=%s (deleted before processing)", t.Format("2006-01-02T15:04:05.000Z"), id, key))
		} else {
			w.log(group, s, t.Add(time.Duration(dur*0.8)*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tresized %s (%.1f MP) -> 3 variants in acme-user-thumbs", t.Format("2006-01-02T15:04:05.000Z"), id, key, megapixels))
		}
		end := t.Add(time.Duration(dur) * time.Millisecond)
		w.log(group, s, end, fmt.Sprintf("END RequestId: %s", id))
		w.log(group, s, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB", id, dur, int(dur)+1, mem, min(used, mem)))
	})
	// The neighbouring functions, healthy.
	for _, other := range []string{"thumbnailer-preview", "image-metadata-indexer"} {
		s := stream(w.from)
		w.poisson(w.from, w.end, 4*time.Second, func(t time.Time) {
			id := w.uuid()
			w.log("/aws/lambda/"+other, s, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
			w.log("/aws/lambda/"+other, s, t.Add(90*time.Millisecond), fmt.Sprintf(`{"timestamp":%q,"level":"INFO","requestId":%q,"message":"done","items":%d}`, t.Format("2006-01-02T15:04:05.000Z"), id, 1+w.rng.Intn(5)))
			w.log("/aws/lambda/"+other, s, t.Add(100*time.Millisecond), fmt.Sprintf("END RequestId: %s", id))
			w.log("/aws/lambda/"+other, s, t.Add(100*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: %d MB", id, 95.3, 96, 80+w.rng.Intn(20)))
		})
	}

	fdim := []dim{{"FunctionName", fn}}
	w.metric("AWS/Lambda", "Invocations", "Count", fdim, 0.1, func(time.Time) float64 { return 40 })
	w.metric("AWS/Lambda", "Errors", "Count", fdim, 0.5, func(t time.Time) float64 {
		if t.Before(change.Add(time.Minute)) {
			return 0
		}
		return 2.2
	})
	w.metric("AWS/Lambda", "Duration", "Milliseconds", fdim, 0.1, func(time.Time) float64 { return 830 })
	w.metric("AWS/Lambda", "Throttles", "Count", fdim, 0, func(time.Time) float64 { return 0 })
	w.metric("AWS/Lambda", "Errors", "Count", []dim{{"FunctionName", "thumbnailer-preview"}}, 0, func(time.Time) float64 { return 0 })
	w.metric("AWS/Lambda", "Duration", "Milliseconds", []dim{{"FunctionName", "thumbnailer-preview"}}, 0.1, func(t time.Time) float64 { return 95 + 20*ramp(t, at(day, "14:21:00"), at(day, "14:22:00")) })

	w.routineTrail("ec2-ssm-core", []string{"i-0b7f2e4d6a8c1359e"}, []string{"thumbnailer-role", "image-metadata-indexer-role"})
	silva := ssoUser("PowerUserAccess", "d.silva@acme.example", "198.51.100.140")
	fnARN := func(name string) string { return "arn:aws:lambda:us-east-1:" + account + ":function:" + name }
	w.ct(at(day, "14:16:20"), "lambda.amazonaws.com", "GetFunctionConfiguration", silva, map[string]any{"functionName": fn}, readOnly)
	w.ct(at(day, "14:17:10"), "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", silva, map[string]any{"functionName": "image-metadata-indexer", "timeout": 60},
		response(map[string]any{"functionName": "image-metadata-indexer", "functionArn": fnARN("image-metadata-indexer"), "timeout": 60, "memorySize": 256, "lastUpdateStatus": "InProgress"}))
	w.ct(at(day, "14:20:55"), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", role("gha-deploy", "GitHubActions-"+w.hex(10), "140.82.112.9", "aws-cli/2.15.30 md/command#lambda.update-function-code"),
		map[string]any{"functionName": "thumbnailer-preview", "s3Bucket": "acme-lambda-artifacts", "s3Key": "thumbnailer-preview/9f2c1ab.zip", "publish": true})
	w.ct(change, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", silva, map[string]any{"functionName": fn, "memorySize": 512},
		response(map[string]any{"functionName": fn, "functionArn": fnARN(fn), "memorySize": 512, "timeout": 30, "runtime": "nodejs20.x", "lastUpdateStatus": "InProgress"}))
	eni := change.Add(77 * time.Second)
	w.ct(eni, "ec2.amazonaws.com", "CreateNetworkInterface", service("lambda.amazonaws.com"), map[string]any{"subnetId": "subnet-0c1d2e3f4a5b6c7d8", "description": "AWS Lambda VPC ENI-thumbnailer"})

	w.alarm("thumbnailer-errors", "thumbnailer is failing invocations", "AWS/Lambda", "Errors", "Sum", fdim, 1, 3, at(day, "14:28:10"), []float64{3, 2, 2})
	w.truth = truth{Kind: "capacity", Alarm: "thumbnailer-errors",
		RootCause: &event{EventName: "UpdateFunctionConfiguration20150331v2", EventTime: change, Resource: fn},
		Onset:     onset.String(),
		Decoys:    []event{ev("UpdateFunctionConfiguration20150331v2", at(day, "14:17:10")), ev("UpdateFunctionCode20150331v2", at(day, "14:20:55")), ev("CreateNetworkInterface", eni)},
		Signals:   []string{"Runtime exited with error: signal: killed", "UpdateFunctionConfiguration20150331v2", "thumbnailer"}}
	return w
}

// targetGroupHealthCheck: a pipeline points the target group's health
// check at a path the app does not serve. The app logs nothing but 404s
// to the health checker; the load balancer turns away clients.
func targetGroupHealthCheck() *world {
	day := "2026-12-01"
	w := newWorld("target-group-health-check", at(day, "09:15:00"), at(day, "09:55:00"))
	w.title = "website returning 502/503"
	w.arch = "Internet-facing ALB web-public forwards to target group web-frontend-tg (ECS service web-frontend: nginx + Next.js, 3 tasks); a canary target group web-frontend-canary-tg takes 0% of traffic. Infrastructure is applied from GitLab CI with role gitlab-terraform."
	tgARN := "arn:aws:elasticloadbalancing:us-east-1:" + account + ":targetgroup/web-frontend-tg/8c1d5e7f9a2b4c63"
	canaryARN := "arn:aws:elasticloadbalancing:us-east-1:" + account + ":targetgroup/web-frontend-canary-tg/1a3c5e7f9b2d4f60"
	lb := "app/web-public/2b7e40c1d9f3a856"
	change := at(day, "09:31:20")
	unhealthy := change.Add(95 * time.Second)
	var onset first
	targets := []string{"10.0.11.23", "10.0.12.87", "10.0.13.142"}
	streams := map[string]string{}
	for _, ip := range targets {
		streams[ip] = "nginx/web-frontend/" + w.hex(32)
	}
	nginx := func(t time.Time, ip, client, req string, status, bytes int, agent string, rt float64) {
		w.log("/ecs/web-frontend", streams[ip], t, fmt.Sprintf(`%s - - [%s] "%s" %d %d "-" "%s" rt=%.3f`, client, t.Format("02/Jan/2006:15:04:05 -0700"), req, status, bytes, agent, rt))
	}
	// Health checks: every 30 s from each of two load balancer nodes.
	for _, ip := range targets {
		for _, node := range []string{"10.0.0.21", "10.0.1.37"} {
			for t := w.from.Add(time.Duration(w.rng.Intn(30000)) * time.Millisecond); t.Before(w.end); t = t.Add(30 * time.Second) {
				if t.After(change.Add(10 * time.Second)) {
					nginx(t, ip, node, "GET /health HTTP/1.1", 404, 153, "ELB-HealthChecker/2.0", 0.001)
				} else {
					nginx(t, ip, node, "GET /healthz HTTP/1.1", 200, 2, "ELB-HealthChecker/2.0", 0.001)
				}
			}
		}
	}
	paths := []string{"/", "/products", "/products/%d", "/cart", "/_next/static/chunks/%d.js", "/api/search?q=shoes&page=%d"}
	w.poisson(w.from, w.end, 330*time.Millisecond, func(t time.Time) {
		client := fmt.Sprintf("%d.%d.%d.%d:%d", 20+w.rng.Intn(180), w.rng.Intn(255), w.rng.Intn(255), 1+w.rng.Intn(254), 1024+w.rng.Intn(60000))
		path := paths[w.rng.Intn(len(paths))]
		if strings.Contains(path, "%d") {
			path = fmt.Sprintf(path, w.rng.Intn(5000))
		}
		if w.rng.Intn(40) == 0 {
			path = w.pick("/wp-login.php", "/.env", "/favicon.ico")
		}
		ip := targets[w.rng.Intn(3)]
		status, tstat, rt := 200, "200", 0.01+w.rng.ExpFloat64()*0.05
		if strings.HasPrefix(path, "/wp") || strings.HasPrefix(path, "/.env") {
			status, tstat = 404, "404"
		}
		target := ip + ":3000"
		reqT, respT := "0.000", fmt.Sprintf("%.3f", rt)
		if t.After(unhealthy) {
			// Tasks are stopped for failing health checks and replaced; the
			// load balancer has nothing healthy to send to.
			switch r := w.rng.Float64(); {
			case r < 0.42:
				onset.see(t)
				status, tstat, target, reqT, respT = 503, "-", "-", "-1", "-1"
			case r < 0.55:
				onset.see(t)
				status, tstat, respT = 502, "-", "-1"
			}
		}
		agent := w.pick("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
		req := fmt.Sprintf("GET https://www.acme-shop.example:443%s HTTP/2.0", path)
		w.alb = append(w.alb, albLine{t, fmt.Sprintf(`h2 %s %s %s %s 0.000 %s 0.000 %d %s 310 %d "%s" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "Root=1-%08x-%s" "www.acme-shop.example" "arn:aws:acm:us-east-1:%s:certificate/3f9e1d2c-5b4a-4e8f-9c7d-6a5b4c3d2e1f" 0 %s "forward" "-" "-" "%s" "%s" "-" "-" TID_%s`,
			t.Format("2006-01-02T15:04:05.000000Z"), lb, client, target, respT, status, tstat, 800+w.rng.Intn(9000), req, agent, tgARN, t.Unix(), w.hex(24), account,
			t.Add(-time.Duration(rt*1000)*time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), strings.Replace(target, "-", "-", 1), tstat, w.hex(32))})
		_ = reqT
		if status < 500 || status == 502 {
			nginx(t, ip, "10.0.0.21", strings.Replace(req, "https://www.acme-shop.example:443", "", 1), status, 800+w.rng.Intn(9000), agent, rt)
		}
	})
	tgDims := []dim{{"TargetGroup", "targetgroup/web-frontend-tg/8c1d5e7f9a2b4c63"}, {"LoadBalancer", lb}}
	w.metric("AWS/ApplicationELB", "UnHealthyHostCount", "Count", tgDims, 0, func(t time.Time) float64 { return 3 * ramp(t, unhealthy.Add(-time.Minute), unhealthy.Add(time.Minute)) })
	w.metric("AWS/ApplicationELB", "HealthyHostCount", "Count", tgDims, 0, func(t time.Time) float64 {
		return 3 - 3*ramp(t, unhealthy.Add(-time.Minute), unhealthy.Add(time.Minute))
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Count", []dim{{"LoadBalancer", lb}}, 0.15, func(t time.Time) float64 {
		return 100 * ramp(t, unhealthy, unhealthy.Add(time.Minute))
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", tgDims, 0, func(time.Time) float64 { return 0 })
	w.metric("AWS/ApplicationELB", "RequestCount", "Count", tgDims, 0.1, func(time.Time) float64 { return 180 })
	w.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", tgDims, 0.1, func(time.Time) float64 { return 0.06 })
	w.metric("AWS/ApplicationELB", "UnHealthyHostCount", "Count", []dim{{"TargetGroup", "targetgroup/web-frontend-canary-tg/1a3c5e7f9b2d4f60"}, {"LoadBalancer", lb}}, 0, func(time.Time) float64 { return 0 })

	w.routineTrail("ec2-ssm-core", []string{"i-0d2c4b6a8e1f3a579"}, []string{"web-frontend-task"})
	gitlab := role("gitlab-terraform", "gitlab-ci-pipeline-88311", "34.74.90.64", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 terraform-provider-aws/5.74.0")
	w.ct(at(day, "09:24:10"), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", consoleUser("p.nowak", "203.0.113.19"),
		map[string]any{"groupId": "sg-0bastion7a1c2e3f4", "ipPermissions": map[string]any{"items": []any{map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": map[string]any{"items": []any{map[string]any{"cidrIp": "203.0.113.19/32"}}}}}}})
	w.ct(at(day, "09:30:44"), "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", gitlab,
		map[string]any{"targetGroupArn": canaryARN, "attributes": []any{map[string]any{"key": "deregistration_delay.timeout_seconds", "value": "30"}}}, resources(canaryARN))
	w.ct(change, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", gitlab,
		map[string]any{"targetGroupArn": tgARN, "healthCheckPath": "/health", "healthCheckIntervalSeconds": 30, "unhealthyThresholdCount": 3}, resources(tgARN))
	ecsRole := serviceRole("AWSServiceRoleForECS", "ecs-service-scheduler", "ecs.amazonaws.com")
	var reactions []time.Time
	for i, ip := range targets {
		t := unhealthy.Add(time.Duration(40+i*25) * time.Second)
		reactions = append(reactions, t)
		w.ct(t, "elasticloadbalancing.amazonaws.com", "DeregisterTargets", ecsRole, map[string]any{"targetGroupArn": tgARN, "targets": []any{map[string]any{"id": ip, "port": 3000}}})
		w.ct(t.Add(70*time.Second), "elasticloadbalancing.amazonaws.com", "RegisterTargets", ecsRole, map[string]any{"targetGroupArn": tgARN, "targets": []any{map[string]any{"id": fmt.Sprintf("10.0.1%d.%d", i+1, 30+w.rng.Intn(200)), "port": 3000}}})
	}

	w.alarm("web-public-elb-5xx", "The public website load balancer is returning 5xx.", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", []dim{{"LoadBalancer", lb}}, 20, 3, unhealthy.Add(3*time.Minute+40*time.Second), []float64{104, 98, 71})
	w.truth = truth{Kind: "health-check", Alarm: "web-public-elb-5xx",
		RootCause: &event{EventName: "ModifyTargetGroup", EventTime: change, Resource: "web-frontend-tg"},
		Onset:     onset.String(),
		Decoys:    []event{ev("AuthorizeSecurityGroupIngress", at(day, "09:24:10")), ev("ModifyTargetGroupAttributes", at(day, "09:30:44")), ev("DeregisterTargets", reactions[0])},
		Signals:   []string{"ModifyTargetGroup", "web-frontend-tg", "UnHealthyHostCount", "/health"}}
	return w
}
