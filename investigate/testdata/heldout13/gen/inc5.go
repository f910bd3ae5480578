package main

import (
	"fmt"
	"time"
)

// s3KMS: the landing bucket's default encryption becomes SSE-KMS with a
// customer key the loader's role cannot use. Objects written before the
// change still read fine; only the new ones fail on kms:Decrypt.
func s3KMS() *snap {
	onset := time.Date(2026, 6, 10, 11, 31, 47, 0, time.UTC)
	s := newSnap("s3-default-encryption-kms-key-denied", 1305, onset, 80*time.Minute, 24*time.Minute)
	s.title = "ledger-loader DLQ not empty"
	s.arch = "ingest-gateway (Go, logfmt) writes partner files to s3://acme-ingest-landing/incoming/ and sends an S3 event to SQS ledger-loader-events; ledger-loader (Python, ECS service, role ledger-loader-task-role) reads each object and loads it; it is also re-reading last month's objects for a backfill. Failed messages go to ledger-loader-dlq after 3 receives."
	bucket := "acme-ingest-landing"
	key := "arn:aws:kms:us-east-1:" + acct + ":key/7f3c2a91-5d4e-4b8a-9c61-2e0f8d7b3a15"
	cause := time.Date(2026, 6, 10, 11, 31, 5, 0, time.UTC)
	sec := role("AWSReservedSSO_SecurityEngineer_2d3e4f5a6b7c8d9e", "noor.aziz@acme-corp.example", cliAgent+"s3api.put-bucket-encryption", "198.51.100.88")
	s.event(cause.Add(-35*time.Second), sec, "s3.amazonaws.com", "GetBucketEncryption", map[string]any{"bucketName": bucket, "Host": bucket + ".s3.us-east-1.amazonaws.com", "encryption": ""}, nil, true, nil)
	s.event(cause, sec, "s3.amazonaws.com", "PutBucketEncryption", map[string]any{"bucketName": bucket, "Host": bucket + ".s3.us-east-1.amazonaws.com", "encryption": "",
		"ServerSideEncryptionConfiguration": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": map[string]any{"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}, "BucketKeyEnabled": false}}},
		nil, false, map[string]any{"additionalEventData": map[string]any{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 312, "AuthenticationMethod": "AuthHeader", "x-amz-id-2": s.hex(40), "bytesTransferredOut": 0}})
	d1 := time.Date(2026, 6, 10, 11, 12, 33, 0, time.UTC)
	s.event(d1, sec, "s3.amazonaws.com", "PutBucketVersioning", map[string]any{"bucketName": bucket, "Host": bucket + ".s3.us-east-1.amazonaws.com", "versioning": "",
		"VersioningConfiguration": map[string]any{"Status": "Enabled", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}}, nil, false, nil)
	d2 := time.Date(2026, 6, 10, 11, 24, 50, 0, time.UTC)
	s.event(d2, s.tfUser(), "kms.amazonaws.com", "PutKeyPolicy", map[string]any{"keyId": "arn:aws:kms:us-east-1:" + acct + ":key/0b9e8d7c-6f5a-4e3d-8c2b-1a0f9e8d7c6b", "policyName": "default", "bypassPolicyLockoutSafetyCheck": false,
		"policy": `{"Version":"2012-10-17","Id":"audit-logs-key","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"kms:*","Resource":"*"},{"Sid":"CloudTrail","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}]}`}, nil, false, nil)
	s.noise([]string{"ingest-gateway", "ledger-loader"}, []string{"ingest-gateway", "ledger-loader"}, "ingest")

	gw := "/ecs/ingest-gateway"
	ll := "/ecs/ledger-loader"
	type obj struct {
		key     string
		written time.Time
	}
	var pending []obj
	var first time.Time
	dlq := map[time.Time]int{}
	reads, fails := map[time.Time]int{}, map[time.Time]int{}
	producer := role("ingest-gateway-task-role", "a1c4e7f0b2d5", "aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22.6 api/s3#1.61.0", "10.80.1.33")
	producer.invokedBy = "s3.amazonaws.com"
	producer.ip = "s3.amazonaws.com"
	loader := role("ledger-loader-task-role", "9e8d7c6b5a4f", "s3.amazonaws.com", "s3.amazonaws.com")
	loader.invokedBy = "s3.amazonaws.com"
	s.minutes(func(m time.Time) {
		// producer
		for i := s.poisson(4); i > 0; i-- {
			t := s.in(m)
			k := fmt.Sprintf("incoming/%s/partner-%02d/%s.csv.gz", t.Format("2006/01/02"), 1+s.rng.Intn(14), s.hex(12))
			s.log(gw, "ingest-gateway/gw/6a7b8c9d", t, fmt.Sprintf(`time=%s level=info msg="stored upload" bucket=%s key=%s bytes=%d partner_ip=%s`, t.Format(time.RFC3339Nano), bucket, k, 20000+s.rng.Intn(900000), "198.18.7."+fmt.Sprint(s.rng.Intn(250))))
			pending = append(pending, obj{k, t})
			if t.After(cause) {
				s.event(t, producer, "kms.amazonaws.com", "GenerateDataKey", map[string]any{"keyId": key, "keySpec": "AES_256", "encryptionContext": map[string]any{"aws:s3:arn": "arn:aws:s3:::" + bucket + "/" + k}}, nil, true, nil)
			}
		}
		if s.rng.Intn(12) == 0 {
			t := s.in(m)
			s.log(gw, "ingest-gateway/gw/6a7b8c9d", t, fmt.Sprintf(`time=%s level=warn msg="upload rejected" reason="checksum mismatch" partner=partner-%02d`, t.Format(time.RFC3339Nano), 1+s.rng.Intn(14)))
		}
		// loader: backfill of old objects, thousands of reads
		for i := s.poisson(55); i > 0; i-- {
			t := s.in(m)
			k := fmt.Sprintf("incoming/2026/05/%02d/partner-%02d/%s.csv.gz", 1+s.rng.Intn(30), 1+s.rng.Intn(14), s.hex(12))
			s.log(ll, "ledger-loader/loader/c0ffee12", t, fmt.Sprintf("%s INFO ledger_loader.backfill: loaded s3://%s/%s rows=%d", t.Format("2006-01-02 15:04:05,000"), bucket, k, 100+s.rng.Intn(5000)))
			reads[m]++
		}
		if s.rng.Intn(7) == 0 {
			t := s.in(m)
			s.log(ll, "ledger-loader/loader/c0ffee12", t, fmt.Sprintf("%s WARNING ledger_loader.rows: skipped %d rows with unknown currency code", t.Format("2006-01-02 15:04:05,000"), 1+s.rng.Intn(4)))
		}
		// loader: new objects, about 30s after they land
		var keep []obj
		for _, o := range pending {
			t := o.written.Add(time.Duration(25+s.rng.Intn(10)) * time.Second)
			if !t.Before(m.Add(time.Minute)) {
				keep = append(keep, o)
				continue
			}
			reads[m]++
			if o.written.After(cause) {
				if first.IsZero() || t.Before(first) {
					first = t
				}
				fails[m]++
				sess := "arn:aws:sts::" + acct + ":assumed-role/ledger-loader-task-role/9e8d7c6b5a4f"
				s.log(ll, "ledger-loader/loader/c0ffee12", t, fmt.Sprintf("%s ERROR ledger_loader.consumer: failed to load s3://%s/%s\nTraceback (most recent call last):\n  File \"/app/ledger_loader/consumer.py\", line 64, in handle\n    body = s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n  File \"/usr/local/lib/python3.12/site-packages/botocore/client.py\", line 1023, in _make_api_call\n    raise error_class(parsed_response, operation_name)\nbotocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: User: %s is not authorized to perform: kms:Decrypt on resource: %s because no resource-based policy allows the kms:Decrypt action",
					t.Format("2006-01-02 15:04:05,000"), bucket, o.key, sess, key))
				s.event(t, loader, "kms.amazonaws.com", "Decrypt", map[string]any{"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": map[string]any{"aws:s3:arn": "arn:aws:s3:::" + bucket + "/" + o.key}}, nil, true,
					map[string]any{"errorCode": "AccessDenied", "errorMessage": "User: " + sess + " is not authorized to perform: kms:Decrypt on resource: " + key + " because no resource-based policy allows the kms:Decrypt action"})
				dlq[t.Add(4*time.Minute).Truncate(time.Minute)]++
				continue
			}
			s.log(ll, "ledger-loader/loader/c0ffee12", t, fmt.Sprintf("%s INFO ledger_loader.consumer: loaded s3://%s/%s rows=%d", t.Format("2006-01-02 15:04:05,000"), bucket, o.key, 100+s.rng.Intn(5000)))
		}
		pending = keep
	})
	cum := 0
	s.count("AWS/SQS", "ApproximateNumberOfMessagesVisible", []dim{{"QueueName", "ledger-loader-dlq"}}, func(m time.Time) float64 { cum += dlq[m]; return float64(cum) })
	s.count("AWS/SQS", "NumberOfMessagesReceived", []dim{{"QueueName", "ledger-loader-events"}}, func(m time.Time) float64 { return float64(3 + s.rng.Intn(4)) })
	s.count("AWS/S3", "GetRequests", []dim{{"BucketName", bucket}, {"FilterId", "EntireBucket"}}, func(m time.Time) float64 { return float64(reads[m]) })
	s.count("AWS/S3", "4xxErrors", []dim{{"BucketName", bucket}, {"FilterId", "EntireBucket"}}, func(m time.Time) float64 { return float64(fails[m] + s.rng.Intn(3)) })
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "ingest"}, {"ServiceName", "ledger-loader"}}, func(m time.Time) []float64 {
		return []float64{55 + 20*s.rng.Float64()}
	})
	s.series("AWS/ECS", "MemoryUtilization", "Percent", []dim{{"ClusterName", "ingest"}, {"ServiceName", "ledger-loader"}}, func(m time.Time) []float64 {
		return []float64{40 + float64(m.Sub(s.start)/time.Minute)*0.3}
	})
	s.alarm("ledger-loader-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", []dim{{"QueueName", "ledger-loader-dlq"}}, 1, "GreaterThanOrEqualToThreshold", 1, time.Date(2026, 6, 10, 11, 36, 58, 0, time.UTC), "messages the loader could not process")
	s.truth = map[string]any{"kind": "s3-sse-kms-denied", "alarm": "ledger-loader-dlq-not-empty",
		"root_cause": map[string]any{"event_name": "PutBucketEncryption", "event_time": ts(cause), "resource": bucket},
		"onset":      ts(first.Truncate(time.Second)),
		"decoys":     []map[string]any{{"event_name": "PutBucketVersioning", "event_time": ts(d1)}, {"event_name": "PutKeyPolicy", "event_time": ts(d2)}},
		"signals":    []string{"kms:Decrypt"}}
	return s
}
