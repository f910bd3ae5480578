package main

import (
	"fmt"
	"time"
)

// firehosePolicy: a bucket policy meant to force writes through the VPC
// endpoint denies the Firehose role's PutObject (Firehose does not use the
// endpoint). No application error: deliveries fail, DataFreshness climbs.
func firehosePolicy(root string) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	at := func(h, m, sec int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
	}
	s := newSnap("firehose-bucket-policy-denies-delivery", 1204, "517306284941", "eu-central-1", at(5, 45, 0), at(7, 40, 0))
	s.title = "clickstream-to-s3 data freshness"
	s.arch = "clickstream-collector (Node.js, ECS) PutRecordBatch to Firehose stream clickstream-to-s3 (role firehose-clickstream-role), which delivers to S3 bucket nimbus-clickstream-raw; sessionizer (Python, hourly) reads the bucket. Firehose error logging goes to /aws/kinesisfirehose/clickstream-to-s3."
	bufT := at(6, 21, 30)
	assetsT := at(6, 40, 10)
	change := at(6, 51, 44)
	onset := at(6, 52, 20)
	fired := at(7, 3, 0)
	bucket := "nimbus-clickstream-raw"
	streamArn := "arn:aws:firehose:eu-central-1:517306284941:deliverystream/clickstream-to-s3"
	sec := s.sso("SecurityEngineer", "r.haas@nimbus-analytics.de", "91.64.133.7")
	dev := s.sso("DataEngineer", "t.brandt@nimbus-analytics.de", "87.123.40.9")
	s.routineTrail([]string{"clickstream-collector-task", "sessionizer-task"}, []string{"clickstream-collector", "sessionizer"}, []who{sec, dev})
	s.trail(bufT, dev, "firehose.amazonaws.com", "UpdateDestination", false, map[string]any{"deliveryStreamName": "clickstream-to-s3", "currentDeliveryStreamVersionId": "3", "destinationId": "destinationId-000000000001",
		"extendedS3DestinationUpdate": map[string]any{"bufferingHints": map[string]any{"sizeInMBs": 64, "intervalInSeconds": 60}}}, nil, nil)
	policy := func(b string, extra ...map[string]any) map[string]any {
		st := []map[string]any{{"Sid": "AllowDataLakeRead", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::517306284941:role/sessionizer-task"}, "Action": []string{"s3:GetObject", "s3:ListBucket"}, "Resource": []string{"arn:aws:s3:::" + b, "arn:aws:s3:::" + b + "/*"}},
			{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": []string{"arn:aws:s3:::" + b, "arn:aws:s3:::" + b + "/*"}, "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}}
		st = append(st, extra...)
		return map[string]any{"bucketName": b, "Host": b + ".s3.eu-central-1.amazonaws.com", "policy": "", "bucketPolicy": map[string]any{"Version": "2012-10-17", "Statement": st}}
	}
	s3extra := map[string]any{"additionalEventData": map[string]any{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 912, "AuthenticationMethod": "AuthHeader", "x-amz-id-2": s.hex(40), "bytesTransferredOut": 0}, "resources": []map[string]any{{"accountId": s.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + bucket}}}
	s.trail(assetsT, sec, "s3.amazonaws.com", "PutBucketPolicy", false, policy("nimbus-web-assets", map[string]any{"Sid": "CloudFrontOAC", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::nimbus-web-assets/*", "Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": "arn:aws:cloudfront::517306284941:distribution/E2QWRUHAPOMQZL"}}}), nil,
		map[string]any{"resources": []map[string]any{{"accountId": s.account, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::nimbus-web-assets"}}})
	s.trail(change, sec, "s3.amazonaws.com", "PutBucketPolicy", false, policy(bucket, map[string]any{"Sid": "DenyWritesOutsideVpce", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::" + bucket + "/*", "Condition": map[string]any{"StringNotEquals": map[string]any{"aws:SourceVpce": "vpce-0b17c42e9d85a3f61"}}}), nil, s3extra)
	s.trail(at(6, 52, 30), sec, "s3.amazonaws.com", "GetBucketPolicy", true, map[string]any{"bucketName": bucket, "policy": "", "Host": bucket + ".s3.eu-central-1.amazonaws.com"}, nil, nil)
	for i := 0; i < 14; i++ {
		s.trail(at(6, 35, 0).Add(time.Duration(i*61)*time.Second), sec, "s3.amazonaws.com", []string{"GetBucketPolicy", "GetBucketAcl", "GetBucketEncryption", "GetBucketPublicAccessBlock"}[i%4], true, map[string]any{"bucketName": []string{bucket, "nimbus-web-assets", "nimbus-logs"}[i%3]}, nil, nil)
	}
	// Firehose assumes its role to deliver.
	for t := s.start.Add(3 * time.Minute); t.Before(s.end); t = t.Add(time.Duration(50+s.rng.Intn(20)) * time.Minute / 4) {
		s.trail(t, s.service("firehose.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", true, map[string]any{"roleArn": "arn:aws:iam::517306284941:role/firehose-clickstream-role", "roleSessionName": "AWSFirehoseToS3", "externalId": s.account}, nil, nil)
	}

	incoming := map[int64]float64{}
	s.every(4*time.Second, func(t time.Time) {
		n := 180 + s.rng.Intn(120)
		if t.After(at(6, 30, 0)) {
			n += 120 // the morning
		}
		incoming[t.Truncate(time.Minute).Unix()] += float64(n)
		f := map[string]any{"level": 30, "time": t.UnixMilli(), "pid": 7, "hostname": "ip-10-4-22-" + fmt.Sprint(10+s.rng.Intn(3)) + ".eu-central-1.compute.internal", "stream": "clickstream-to-s3", "records": n, "msg": "batch flushed"}
		if s.rng.Intn(120) == 0 {
			f["level"], f["failedPutCount"], f["errorCode"], f["msg"] = 40, 1+s.rng.Intn(4), "ServiceUnavailableException", "partial batch failure, retrying failed records"
		}
		s.log("/ecs/clickstream-collector", "ecs/clickstream-collector/"+s.hex(4), t, js(f))
	})
	// Deliveries: every 300 s until the buffering change, every 60 s after.
	success := map[int64][2]float64{}
	fresh := map[int64]float64{}
	lastOK := s.start
	interval := 300 * time.Second
	for t := s.start.Add(17 * time.Second); t.Before(s.end); t = t.Add(interval) {
		if !t.Before(bufT) {
			interval = 60 * time.Second
		}
		m := t.Truncate(time.Minute).Unix()
		if t.Before(change) {
			success[m] = [2]float64{1, 1}
			lastOK = t
			fresh[m] = interval.Seconds() + s.rng.Float64()*8
		} else {
			success[m] = [2]float64{0, 1}
			if t.Sub(onset) < 2*time.Minute || s.rng.Intn(5) == 0 {
				s.log("/aws/kinesisfirehose/clickstream-to-s3", "DestinationDelivery", t.Add(2*time.Second), js(map[string]any{"deliveryStreamARN": streamArn, "destination": "arn:aws:s3:::" + bucket, "deliveryStreamVersionId": 4,
					"message": "Access was denied. Ensure that the trust policy for the provided IAM role allows Firehose to assume the role, and the access policy allows access to the S3 bucket.", "errorCode": "S3.AccessDenied"}))
			}
		}
		_ = lastOK
	}
	sd := []dim{{"DeliveryStreamName", "clickstream-to-s3"}}
	s.series("AWS/Firehose", "IncomingRecords", sd, "Count", func(t time.Time) (float64, float64, bool) { return incoming[t.Unix()], 15, true })
	s.series("AWS/Firehose", "IncomingBytes", sd, "Bytes", func(t time.Time) (float64, float64, bool) { return incoming[t.Unix()] * 612, 15, true })
	s.series("AWS/Firehose", "DeliveryToS3.Success", sd, "None", func(t time.Time) (float64, float64, bool) {
		v, ok := success[t.Unix()]
		return v[0], v[1], ok
	})
	s.series("AWS/Firehose", "DeliveryToS3.Records", sd, "Count", func(t time.Time) (float64, float64, bool) {
		v, ok := success[t.Unix()]
		if !ok || v[0] == 0 {
			return 0, 0, false
		}
		return incoming[t.Unix()] * 1.0, 1, true
	})
	s.series("AWS/Firehose", "DeliveryToS3.DataFreshness", sd, "Seconds", func(t time.Time) (float64, float64, bool) {
		if !t.Before(onset.Truncate(time.Minute)) {
			return t.Sub(at(6, 51, 20)).Seconds() + 55, 4, true
		}
		if v, ok := fresh[t.Unix()]; ok {
			return v, 4, true
		}
		if t.Before(bufT) {
			return float64(60 + (t.Minute()*60)%300), 4, true
		}
		return 62 + s.rng.Float64()*5, 4, true
	})
	// sessionizer: hourly, plain python-json-logger lines.
	for h := 6; h <= 7; h++ {
		t := at(h, 5, 12)
		found := 12
		if h == 6 {
			found = 41
		}
		lvl := "INFO"
		msg := fmt.Sprintf("hour 2026/11/20/%02d: %d objects, sessionized", h-1, found)
		if h == 7 {
			lvl, msg = "WARNING", "hour 2026/11/20/06: 12 objects, expected at least 40; sessionizing what is there"
		}
		s.log("/ecs/sessionizer", "ecs/sessionizer/"+s.hex(6), t, js(map[string]any{"asctime": t.Format("2006-01-02 15:04:05,000"), "levelname": lvl, "name": "sessionizer.job", "message": msg}))
	}
	s.alarm("clickstream-to-s3-freshness", "Firehose clickstream-to-s3: data older than 10 minutes not delivered", "AWS/Firehose", "DeliveryToS3.DataFreshness", "Maximum", sd, 600, "GreaterThanOrEqualToThreshold", 1, at(5, 3, 0), fired,
		"Threshold Crossed: 1 out of the last 1 datapoints [675.0 (20/11/26 07:02:00)] was greater than or equal to the threshold (600.0) (minimum 1 datapoint for OK -> ALARM transition).")
	s.okAlarm("clickstream-collector-errors", "AWS/Firehose", "ThrottledRecords", "Sum", sd, 100, "GreaterThanOrEqualToThreshold")
	s.write(root, map[string]any{
		"kind": "s3-bucket-policy-denies-writer", "alarm": "clickstream-to-s3-freshness",
		"root_cause": map[string]any{"event_name": "PutBucketPolicy", "event_time": ts(change), "resource": bucket},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "UpdateDestination", "event_time": ts(bufT)}, {"event_name": "PutBucketPolicy", "event_time": ts(assetsT)}},
		"signals":    []string{"DeliveryToS3.DataFreshness", "S3.AccessDenied"},
	})
}
