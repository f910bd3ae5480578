package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// kmsKeyPolicyDecrypt: a security engineer tidies the key policy of the
// invoice PII key and drops invoice-renderer-role from the "use of the key"
// statement. The function caches decrypted data keys for five minutes
// (Encryption SDK caching CMM), so failures start a few minutes later, as
// each cache entry expires.
func kmsKeyPolicyDecrypt() *Inc {
	in := newInc("kms-keypolicy-decrypt", 302, "eu-west-1", "604381927735", time.Date(2026, 3, 9, 8, 30, 0, 0, time.UTC), 90)
	in.Title = "invoicing pipeline degraded"
	in.Arch = "SQS queue invoice-requests triggers Lambda invoice-renderer (Python 3.12, X-Ray active) which decrypts the customer tax id " +
		"with KMS key alias/invoice-pii, renders a PDF and writes it to S3 bucket acme-invoices-prod. Failed messages go to invoice-requests-dlq " +
		"after 3 receives. payments-webhook uses KMS key alias/payments-data; report-exporter is a scheduled export job."
	keyID := "2f7c1a90-6b3e-4d58-a1c9-7e0f4b2d8a63"
	keyArn := "arn:aws:kms:eu-west-1:604381927735:key/" + keyID
	otherKey := "8e41b7d2-0c9a-4f63-b5e8-3a1d6c9f2e70"
	otherArn := "arn:aws:kms:eu-west-1:604381927735:key/" + otherKey

	rotation := in.at("09:12:05")
	change := in.at("09:14:22")
	codeUpdate := in.at("09:15:10")
	otherPolicy := in.at("09:16:40")
	onset := in.at("09:17:00")

	okafor := in.role("AWSReservedSSO_SecurityAdmin_91ac3e5f0d2b7468", "d.okafor", "81.2.69.160",
		"aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.3.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#kms.put-key-policy")
	renderer := in.role("invoice-renderer-role", "invoice-renderer", "34.251.18.77", "Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#5.10.209-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.34")
	apiRole := in.role("invoice-api-role", in.hex(32), "10.12.4.31", "aws-sdk-java/2.25.6 Linux/5.10 OpenJDK_64-Bit_Server_VM/21")
	webhook := in.role("payments-webhook-role", "payments-webhook", "52.17.4.9", "Boto3/1.34.34 md/Botocore#1.34.34 exec-env/AWS_Lambda_python3.12")
	ci := in.role("gitlab-ci-deployer", "gitlab-"+in.digits(9), "35.231.145.151", "aws-cli/2.15.30 md/command#lambda.update-function-code")
	monitor := in.role("NewRelicInfrastructure-Integrations", "NewRelicInfrastructure-Integrations", "162.247.241.2", "aws-sdk-go/1.50.8 (go1.21.6; linux; amd64)")
	in.routineCT(routine{
		appRoles: []*Principal{apiRole, webhook, renderer}, kmsKey: otherKey,
		params:  []string{"/invoicing/prod/pdf-engine-url", "/invoicing/prod/locale-default", "/payments/prod/webhook-tolerance"},
		secrets: []string{"payments/prod/stripe-webhook-Qe81", "invoicing/prod/smtp-Ab12x"}, monitor: monitor, ci: ci,
		lambdaFns: []string{"invoice-renderer", "payments-webhook", "report-exporter"}, ecsCluster: "invoicing", assumeFrom: "lambda.amazonaws.com",
		assumeRoles: []string{"invoice-renderer-role", "payments-webhook-role", "report-exporter-role"}, readsPerMin: 4,
	})

	// The renderer's own Decrypts, one per cache refill, then denied.
	in.every(in.Start, in.End, 50*time.Second, func(t time.Time) {
		ctx := map[string]any{"aws-crypto-public-key": "A" + in.alnum(43), "purpose": "invoice-tax-id"}
		res := map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::KMS::Key", "ARN": keyArn}}}
		if t.Before(onset) {
			in.ev(t, renderer, "kms", "Decrypt", map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": ctx}, nil, res)
			return
		}
		for i := 0; i < 3; i++ {
			tt := t.Add(time.Duration(i*13) * time.Second)
			in.ev(tt, renderer, "kms", "Decrypt", map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": ctx}, nil, res,
				map[string]any{"errorCode": "AccessDenied", "errorMessage": "User: arn:aws:sts::604381927735:assumed-role/invoice-renderer-role/invoice-renderer is not authorized to perform: kms:Decrypt on resource: " + keyArn + " because no resource-based policy allows the kms:Decrypt action"})
		}
	})
	in.every(in.Start, in.End, 40*time.Second, func(t time.Time) {
		in.ev(t, apiRole, "kms", "GenerateDataKey", map[string]any{"keyId": "alias/invoice-pii", "encryptionContext": map[string]any{"purpose": "invoice-tax-id"}, "numberOfBytes": 32}, nil,
			map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::KMS::Key", "ARN": keyArn}}})
	})

	policy := func(id string, users []string) string {
		var arns []string
		for _, u := range users {
			arns = append(arns, "arn:aws:iam::604381927735:role/"+u)
		}
		p := map[string]any{"Version": "2012-10-17", "Id": id, "Statement": []map[string]any{
			{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::604381927735:root"}, "Action": "kms:*", "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalAccount": "604381927735"}, "Bool": map[string]any{"kms:GrantIsForAWSResource": "false"}}},
			{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::604381927735:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_SecurityAdmin_91ac3e5f0d2b7468"}, "Action": []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"}, "Resource": "*"},
			{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": map[string]any{"AWS": arns}, "Action": []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, "Resource": "*"},
		}}
		b, _ := json.MarshalIndent(p, "", "  ")
		return string(b)
	}
	in.ev(rotation.Add(-70*time.Second), okafor, "kms", "DescribeKey", map[string]any{"keyId": "alias/invoice-pii"}, nil)
	in.ev(rotation.Add(-50*time.Second), okafor, "kms", "GetKeyRotationStatus", map[string]any{"keyId": keyID}, nil)
	in.ev(rotation, okafor, "kms", "EnableKeyRotation", map[string]any{"keyId": keyID, "rotationPeriodInDays": 365}, nil,
		map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::KMS::Key", "ARN": keyArn}}})
	in.ev(change.Add(-80*time.Second), okafor, "kms", "GetKeyPolicy", map[string]any{"keyId": keyID, "policyName": "default"}, nil)
	in.ev(change, okafor, "kms", "PutKeyPolicy", map[string]any{"keyId": keyID, "policyName": "default", "policy": policy("key-invoice-pii", []string{"invoice-api-role", "invoice-archiver-role"}), "bypassPolicyLockoutSafetyCheck": false}, nil,
		map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::KMS::Key", "ARN": keyArn}}})
	in.ev(otherPolicy.Add(-60*time.Second), okafor, "kms", "GetKeyPolicy", map[string]any{"keyId": otherKey, "policyName": "default"}, nil)
	in.ev(otherPolicy, okafor, "kms", "PutKeyPolicy", map[string]any{"keyId": otherKey, "policyName": "default", "policy": policy("key-payments-data", []string{"payments-webhook-role", "payments-ledger-role"}), "bypassPolicyLockoutSafetyCheck": false}, nil,
		map[string]any{"resources": []map[string]any{{"accountId": in.Account, "type": "AWS::KMS::Key", "ARN": otherArn}}})
	// Deploy of the scheduled exporter.
	in.ev(codeUpdate, ci, "lambda", "UpdateFunctionCode20150331v2", map[string]any{"functionName": "report-exporter", "s3Bucket": "acme-lambda-artifacts-eu-west-1", "s3Key": "report-exporter/2026-03-09/" + in.hex(12) + ".zip", "publish": true, "dryRun": false},
		map[string]any{"functionName": "report-exporter", "functionArn": "arn:aws:lambda:eu-west-1:604381927735:function:report-exporter:15", "runtime": "python3.12", "role": "arn:aws:iam::604381927735:role/report-exporter-role", "handler": "app.handler", "codeSize": 8412331, "timeout": 300, "memorySize": 1024, "version": "15", "codeSha256": in.alnum(43) + "=", "state": "Pending", "lastUpdateStatus": "InProgress", "revisionId": in.uuid()})
	in.ev(codeUpdate.Add(35*time.Second), ci, "lambda", "GetFunction20150331v2", map[string]any{"functionName": "report-exporter"}, nil)
	in.ev(codeUpdate.Add(48*time.Second), ci, "lambda", "UpdateAlias20150331", map[string]any{"functionName": "report-exporter", "name": "live", "functionVersion": "15"},
		map[string]any{"aliasArn": "arn:aws:lambda:eu-west-1:604381927735:function:report-exporter:live", "name": "live", "functionVersion": "15"})

	// ---- logs: invoice-renderer (Python text format) ----
	streams := []string{}
	for i := 0; i < 6; i++ {
		streams = append(streams, "2026/03/09/[$LATEST]"+in.hex(32))
	}
	lg := "/aws/lambda/invoice-renderer"
	denied := "An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:sts::604381927735:assumed-role/invoice-renderer-role/invoice-renderer is not authorized to perform: kms:Decrypt on resource: " + keyArn + " because no resource-based policy allows the kms:Decrypt action"
	// Each environment's cache expires at its own time after the change.
	expiry := map[string]time.Time{}
	for i, s := range streams {
		expiry[s] = onset.Add(time.Duration(i*47+in.rng.IntN(20)) * time.Second)
	}
	in.every(in.Start, in.End, 2500*time.Millisecond, func(t time.Time) {
		s := streams[in.rng.IntN(len(streams))]
		rid := in.uuid()
		n := 1 + in.rng.IntN(4)
		in.log(lg, s, t, "START RequestId: "+rid+" Version: $LATEST")
		failing := !t.Before(expiry[s])
		trace := in.traceID(t)
		dur := 0.0
		for i := 0; i < n; i++ {
			inv := fmt.Sprintf("INV-2026-%07d", 400000+in.rng.IntN(99999))
			tt := t.Add(time.Duration(20+i*300) * time.Millisecond)
			if failing {
				in.log(lg, s, tt, fmt.Sprintf("[ERROR]\t%s\t%s\tFailed to render invoice %s: %s\rTraceback (most recent call last):\r  File \"/var/task/app.py\", line 88, in handle_record\r    tax_id = decrypt_tax_id(body[\"taxIdCiphertext\"])\r  File \"/var/task/crypto.py\", line 31, in decrypt_tax_id\r    plaintext, _ = client.decrypt(source=blob, materials_manager=CACHE_CMM)\r  File \"/opt/python/botocore/client.py\", line 1021, in _make_api_call\r    raise error_class(parsed_response, operation_name)\rbotocore.exceptions.ClientError: %s", iso(tt), rid, inv, denied, denied))
				dur += 60
			} else {
				in.log(lg, s, tt, fmt.Sprintf("[INFO]\t%s\t%s\trendered %s pages=%d bytes=%d key=s3://acme-invoices-prod/2026/03/%s.pdf", iso(tt), rid, inv, 1+in.rng.IntN(3), 40000+in.rng.IntN(90000), inv))
				dur += 250 + in.rng.Float64()*100
			}
		}
		end := t.Add(time.Duration(dur+30) * time.Millisecond)
		if failing {
			in.log(lg, s, end.Add(-time.Millisecond), fmt.Sprintf("[ERROR] ClientError: %s\rTraceback (most recent call last):\r  File \"/var/task/app.py\", line 52, in handler\r    raise BatchFailed(failures)\r", denied))
		}
		in.log(lg, s, end, "END RequestId: "+rid)
		in.log(lg, s, end.Add(time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t\nXRAY TraceId: %s\tSegmentId: %s\tSampled: true\t", rid, dur+30, int(dur+31), 140+in.rng.IntN(20), trace, in.hex(16)))
		if in.chance(0.12) {
			fnSeg := map[string]any{"id": in.hex(16), "name": "invoice-renderer", "start_time": epoch(t), "end_time": epoch(end), "origin": "AWS::Lambda::Function",
				"aws": map[string]any{"function_arn": "arn:aws:lambda:eu-west-1:604381927735:function:invoice-renderer", "resource_names": []string{"invoice-renderer"}, "account_id": in.Account}}
			kmsSub := map[string]any{"id": in.hex(16), "name": "KMS", "namespace": "aws", "start_time": epoch(t.Add(22 * time.Millisecond)), "end_time": epoch(t.Add(48 * time.Millisecond)),
				"aws":  map[string]any{"operation": "Decrypt", "region": "eu-west-1", "request_id": in.uuid(), "retries": 0, "key_id": keyID},
				"http": map[string]any{"response": map[string]any{"status": 200, "content_length": 160}}}
			subs := []map[string]any{}
			if failing {
				kmsSub["http"] = map[string]any{"response": map[string]any{"status": 400, "content_length": 331}}
				kmsSub["error"] = true
				kmsSub["cause"] = map[string]any{"working_directory": "/var/task", "exceptions": []map[string]any{{"id": in.hex(16), "message": denied, "type": "AccessDeniedException", "remote": true}}}
				fnSeg["fault"] = true
				fnSeg["cause"] = map[string]any{"working_directory": "/var/task", "exceptions": []map[string]any{{"id": in.hex(16), "message": denied, "type": "ClientError"}}}
				subs = append(subs, kmsSub)
			} else {
				subs = append(subs, kmsSub, map[string]any{"id": in.hex(16), "name": "S3", "namespace": "aws", "start_time": epoch(t.Add(200 * time.Millisecond)), "end_time": epoch(t.Add(240 * time.Millisecond)),
					"aws": map[string]any{"operation": "PutObject", "region": "eu-west-1", "request_id": in.alnum(16), "bucket_name": "acme-invoices-prod", "key": "2026/03/INV.pdf"}, "http": map[string]any{"response": map[string]any{"status": 200}}})
			}
			fnSeg["subsegments"] = []map[string]any{{"id": in.hex(16), "name": "Invocation", "start_time": epoch(t), "end_time": epoch(end), "subsegments": subs}}
			svc := map[string]any{"id": in.hex(16), "name": "invoice-renderer", "start_time": epoch(t.Add(-3 * time.Millisecond)), "end_time": epoch(end.Add(time.Millisecond)), "origin": "AWS::Lambda",
				"http": map[string]any{"response": map[string]any{"status": 200}}, "aws": map[string]any{"request_id": rid}}
			if failing {
				svc["error"] = true
			}
			in.addTrace(trace, end.Sub(t), svc, fnSeg)
		}
	})
	// Pre-existing errors at a steady rate.
	in.every(in.Start, in.End, 14*time.Second, func(t time.Time) {
		s := streams[in.rng.IntN(len(streams))]
		in.log(lg, s, t, fmt.Sprintf("[ERROR]\t%s\t%s\tTemplateNotFound: invoice_%s.html missing, falling back to invoice_en.html", iso(t), in.uuid(), in.pick("fr_CA", "pt_BR", "de_AT")))
	})
	in.every(in.Start, in.End, 23*time.Second, func(t time.Time) {
		s := streams[in.rng.IntN(len(streams))]
		in.log(lg, s, t, fmt.Sprintf("[WARNING]\t%s\t%s\tslow PDF render %.1fs for %d line items", iso(t), in.uuid(), 2+in.rng.Float64()*3, 80+in.rng.IntN(200)))
	})
	// payments-webhook: noisy 4xx from bad signatures.
	pw := "/aws/lambda/payments-webhook"
	ps := "2026/03/09/[$LATEST]" + in.hex(32)
	in.every(in.Start, in.End, 6*time.Second, func(t time.Time) {
		rid := in.uuid()
		in.log(pw, ps, t, "START RequestId: "+rid+" Version: 42")
		if in.chance(0.25) {
			in.log(pw, ps, t.Add(5*time.Millisecond), fmt.Sprintf("[ERROR]\t%s\t%s\tSignatureVerificationError: No signatures found matching the expected signature for payload", iso(t), rid))
		} else {
			in.log(pw, ps, t.Add(5*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tprocessed event evt_%s type=%s", iso(t), rid, in.alnum(24), in.pick("charge.succeeded", "invoice.paid", "payment_intent.created")))
		}
		in.log(pw, ps, t.Add(30*time.Millisecond), "END RequestId: "+rid)
		in.log(pw, ps, t.Add(31*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\t", rid, 20+in.rng.Float64()*9, 30))
	})
	// report-exporter runs every 5 minutes; its new version logs differently.
	re := "/aws/lambda/report-exporter"
	in.every(in.Start, in.End, 5*time.Minute, func(t time.Time) {
		rid := in.uuid()
		ver := "14"
		if t.After(codeUpdate.Add(50 * time.Second)) {
			ver = "15"
		}
		s := "2026/03/09/[" + ver + "]" + in.hex(32)
		in.log(re, s, t, "START RequestId: "+rid+" Version: "+ver)
		in.log(re, s, t.Add(2*time.Second), fmt.Sprintf("[INFO]\t%s\t%s\texported %d rows to s3://acme-reports-prod/daily/ (exporter v%s)", iso(t), rid, 12000+in.rng.IntN(3000), ver))
		if ver == "15" {
			in.log(re, s, t.Add(2100*time.Millisecond), fmt.Sprintf("[WARNING]\t%s\t%s\tcolumn 'legacy_region' is deprecated and will be dropped", iso(t), rid))
		}
		in.log(re, s, t.Add(9*time.Second), "END RequestId: "+rid)
		in.log(re, s, t.Add(9*time.Second), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: 610 MB\t", rid, 9000.0, 9000))
	})

	// ---- metrics ----
	fr := func(t time.Time) float64 { return ramp(t, onset, onset.Add(5*time.Minute)) }
	fn := func(name string) [][2]string { return [][2]string{{"FunctionName", name}} }
	one := func(time.Time) float64 { return 1 }
	in.metric(series{ns: "AWS/Lambda", name: "Errors", unit: "Count", dims: fn("invoice-renderer"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(int(24 * fr(t) * in.noise(1, 0.1))) }})
	in.metric(series{ns: "AWS/Lambda", name: "Invocations", unit: "Count", dims: fn("invoice-renderer"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(24, 0.1) * (1 + 0.4*fr(t)) }})
	in.metric(series{ns: "AWS/Lambda", name: "Duration", unit: "Milliseconds", dims: fn("invoice-renderer"), stats: []string{"Average", "Maximum"}, fn: func(t time.Time) float64 { return in.noise(720, 0.1) * (1 - 0.85*fr(t)) }})
	in.metric(series{ns: "AWS/Lambda", name: "Duration", unit: "Milliseconds", dims: fn("report-exporter"), stats: []string{"Average", "Maximum"}, period: 5 * time.Minute, fn: func(t time.Time) float64 {
		return in.noise(9000, 0.05) + 4000*ramp(t, codeUpdate, codeUpdate.Add(5*time.Minute))
	}})
	in.metric(series{ns: "AWS/SQS", name: "ApproximateAgeOfOldestMessage", unit: "Seconds", dims: [][2]string{{"QueueName", "invoice-requests"}}, stats: []string{"Maximum"}, fn: func(t time.Time) float64 {
		if t.Before(onset) {
			return in.noise(6, 0.5)
		}
		return 6 + t.Sub(onset).Seconds()
	}})
	in.metric(series{ns: "AWS/SQS", name: "ApproximateNumberOfMessagesVisible", unit: "Count", dims: [][2]string{{"QueueName", "invoice-requests-dlq"}}, stats: []string{"Maximum"}, period: 5 * time.Minute, fn: func(t time.Time) float64 {
		return 3 + 240*ramp(t, onset.Add(15*time.Minute), onset.Add(45*time.Minute))
	}})
	in.metric(series{ns: "AWS/SQS", name: "NumberOfMessagesDeleted", unit: "Count", dims: [][2]string{{"QueueName", "invoice-requests"}}, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return in.noise(60, 0.1) * (1 - fr(t)) }})
	in.metric(series{ns: "AWS/Lambda", name: "Errors", unit: "Count", dims: fn("payments-webhook"), stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 { return float64(2 + in.rng.IntN(4)) }})
	in.metric(series{ns: "AWS/Lambda", name: "ConcurrentExecutions", unit: "Count", dims: fn("payments-webhook"), stats: []string{"Maximum"}, fn: func(t time.Time) float64 {
		return in.noise(3, 0.3) + 9*(ramp(t, in.at("09:00:00"), in.at("09:03:00"))-ramp(t, in.at("09:06:00"), in.at("09:09:00")))
	}})

	// ---- alarms ----
	errAt := in.at("09:20:31")
	ageAt := in.at("09:28:05")
	in.metricAlarm(map[string]any{"AlarmName": "invoice-renderer-errors", "Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": dims("FunctionName", "invoice-renderer"), "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": 5.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching"},
		"ALARM", errAt, "Threshold Crossed: 3 out of the last 3 datapoints [22.0 (09/03/26 09:19:00), 17.0 (09/03/26 09:18:00), 9.0 (09/03/26 09:17:00)] were greater than or equal to the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).", nil)
	in.stateChange("invoice-renderer-errors", "MetricAlarm", errAt, "OK", "ALARM", "Threshold Crossed: 3 out of the last 3 datapoints were greater than or equal to the threshold (5.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "invoice-requests-oldest-message-age", "Namespace": "AWS/SQS", "MetricName": "ApproximateAgeOfOldestMessage", "Dimensions": dims("QueueName", "invoice-requests"), "Statistic": "Maximum", "Period": 300, "EvaluationPeriods": 2, "Threshold": 300.0, "ComparisonOperator": "GreaterThanThreshold"},
		"ALARM", ageAt, "Threshold Crossed: 2 out of the last 2 datapoints [631.0 (09/03/26 09:23:00), 331.0 (09/03/26 09:18:00)] were greater than the threshold (300.0).", nil)
	in.stateChange("invoice-requests-oldest-message-age", "MetricAlarm", ageAt, "OK", "ALARM", "Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (300.0).", nil)
	in.compositeAlarm("invoicing-pipeline-degraded", `ALARM("invoice-renderer-errors") OR ALARM("invoice-requests-oldest-message-age")`, "Invoices are not being produced. Page the invoicing on-call.",
		"ALARM", errAt.Add(600*time.Millisecond), `arn:aws:cloudwatch:eu-west-1:604381927735:alarm:invoice-renderer-errors transitioned to ALARM at Monday 09 March, 2026 09:20:31 UTC`)
	in.stateChange("invoicing-pipeline-degraded", "CompositeAlarm", errAt.Add(600*time.Millisecond), "OK", "ALARM", "arn:aws:cloudwatch:eu-west-1:604381927735:alarm:invoice-renderer-errors transitioned to ALARM", nil)
	in.metricAlarm(map[string]any{"AlarmName": "payments-webhook-errors", "Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": dims("FunctionName", "payments-webhook"), "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 50.0, "ComparisonOperator": "GreaterThanThreshold"},
		"OK", in.Start.Add(-3*24*time.Hour), "Threshold Crossed: 1 datapoint [17.0] was not greater than the threshold (50.0).", nil)

	// GuardDuty: an unrelated low-severity finding during the window.
	in.gd = append(in.gd, map[string]any{
		"AccountId": in.Account, "Arn": "arn:aws:guardduty:eu-west-1:604381927735:detector/b4c6a8e0f2d4b6a8c0e2f4a6b8d0e2f4/finding/" + in.hex(32), "CreatedAt": "2026-03-09T08:52:13.612Z", "UpdatedAt": "2026-03-09T08:52:13.612Z",
		"Description": "API GetBucketAcl was invoked from a remote host potentially associated with Tor.", "Id": in.hex(32), "Partition": "aws", "Region": "eu-west-1", "SchemaVersion": "2.0",
		"Resource": map[string]any{"ResourceType": "AccessKey", "AccessKeyDetails": map[string]any{"AccessKeyId": "AKIA" + in.alnum(16), "PrincipalId": "AIDA" + in.alnum(17), "UserName": "legacy-backup-user", "UserType": "IAMUser"}},
		"Service": map[string]any{"Action": map[string]any{"ActionType": "AWS_API_CALL", "AwsApiCallAction": map[string]any{"Api": "GetBucketAcl", "CallerType": "Remote IP", "ServiceName": "s3.amazonaws.com", "RemoteIpDetails": map[string]any{"IpAddressV4": "185.220.101.4", "Organization": map[string]any{"Asn": "208294"}}}},
			"Archived": false, "Count": 1, "DetectorId": "b4c6a8e0f2d4b6a8c0e2f4a6b8d0e2f4", "EventFirstSeen": "2026-03-09T08:47:55Z", "EventLastSeen": "2026-03-09T08:47:55Z", "ResourceRole": "TARGET", "ServiceName": "guardduty"},
		"Severity": 2, "Title": "API GetBucketAcl was invoked from a Tor exit node.", "Type": "Recon:IAMUser/TorIPCaller",
	})

	in.setTruth("permissions", "invoicing-pipeline-degraded", "PutKeyPolicy", change, keyID, onset,
		[][2]any{{"EnableKeyRotation", rotation}, {"PutKeyPolicy", otherPolicy}, {"UpdateFunctionCode20150331v2", codeUpdate}},
		"PutKeyPolicy", "kms:Decrypt", "AccessDeniedException", "invoice-renderer")
	return in
}
