package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// s3LifecycleExpiry: a data engineer adds a lifecycle rule meant for
// temporary exports, but with the prefix current/, Expiration 1 day. S3
// applies lifecycle rules asynchronously: nearly four hours later it removes
// the week-old price books under current/ (the hourly fx-rates object is
// younger than a day and survives), and quote-engine gets NoSuchKey.
func s3LifecycleExpiry(root string) {
	start, end := T("2026-05-14T09:10:00Z"), T("2026-05-14T10:50:00Z")
	s := NewSnap(root, "s3-lifecycle-expired-objects", "eu-central-1", "284716093552", 405, start, end)
	s.Title = "quotes-api 5XXError in ALARM"
	s.Arch = "API Gateway REST API quotes-api (stage prod) invokes the Lambda quote-engine (Node.js 20, active tracing). quote-engine reads price books and FX rates from " +
		"s3://acme-pricing-feeds-prod/current/ (price-book-eu.json and price-book-uk.json are published weekly by pricing-feed-publisher, fx-rates.json hourly) and caches them for five minutes per execution environment. " +
		"Handled errors return HTTP 500 to API Gateway. CloudTrail records management events only (no S3 data events)."
	bucket := "acme-pricing-feeds-prod"
	change := T("2026-05-14T06:12:31Z")
	policy := T("2026-05-14T09:24:48Z")
	tagging := T("2026-05-14T09:51:10Z")
	versioning := T("2026-05-14T09:58:02Z")
	onset := T("2026-05-14T10:04:48Z")
	ukGone := T("2026-05-14T10:11:20Z")
	alarmAt := T("2026-05-14T10:09:52Z")

	s.CTStart = T("2026-05-14T05:40:00Z")
	s.RoutineCT(Routine{PerMin: 1.3, KeyID: "3f7a9c20-1e5b-4d84-b6a2-9c0e8d7f5a31",
		Monitor: s.RoleActor("observability-readonly", "grafana-"+s.alnum(6, false), "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) Grafana/11.2.0", "3.122.40.8"),
		Workloads: []Workload{
			{Role: "quote-engine-role", Principal: "lambda.amazonaws.com", Params: []string{"/quotes/engine/config"}, LogGroup: "/aws/lambda/quote-engine"},
			{Role: "pricing-feed-publisher-role", Principal: "lambda.amazonaws.com", Params: []string{"/pricing/publisher/sources"}, Secret: "pricing/fx-provider-token", LogGroup: "/aws/lambda/pricing-feed-publisher"},
			{Role: "quote-archiver-role", Principal: "lambda.amazonaws.com", Params: []string{"/quotes/archiver/config"}},
		}})
	s3ua := "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.225-191.878.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.422-b05 java/1.8.0_422 vendor/Oracle_Corporation cfg/retry-mode/standard]"
	eng := s.SSOActor("DataEngineer", "jonas.weber@acme-pricing.de", "93.184.12.55")
	eng.UA = s3ua
	s3ev := func(t time.Time, a Actor, b, name string, req map[string]any, opts ...Opt) {
		req["bucketName"], req["Host"] = b, b+".s3.eu-central-1.amazonaws.com"
		opts = append([]Opt{Res("AWS::S3::Bucket", "arn:aws:s3:::"+b), Extra("additionalEventData", map[string]any{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
			"bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader", "x-amz-id-2": s.alnum(60, false) + "=", "bytesTransferredOut": 0})}, opts...)
		r := s.CT(t, a, "s3.amazonaws.com", name, req, nil, opts...)
		r["tlsDetails"].(map[string]any)["clientProvidedHostHeader"] = b + ".s3.eu-central-1.amazonaws.com"
	}
	s3ev(change.Add(-95*time.Second), eng, bucket, "GetBucketLifecycle", map[string]any{"lifecycle": ""}, ReadOnly, Err("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"))
	s3ev(change.Add(-80*time.Second), eng, bucket, "ListObjects", map[string]any{"list-type": "2", "prefix": "current/", "delimiter": "/"}, ReadOnly)
	s3ev(change, eng, bucket, "PutBucketLifecycle", map[string]any{"lifecycle": "", "LifecycleConfiguration": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
		"Rule": map[string]any{"ID": "expire-temp-exports", "Status": "Enabled", "Filter": map[string]any{"Prefix": "current/"}, "Expiration": map[string]any{"Days": 1},
			"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 1}}}})
	s3ev(change.Add(6*time.Second), eng, bucket, "GetBucketLifecycle", map[string]any{"lifecycle": ""}, ReadOnly)
	s3ev(change.Add(3*time.Minute), eng, "acme-pricing-exports", "GetBucketLifecycle", map[string]any{"lifecycle": ""}, ReadOnly, Err("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"))
	tf := s.RoleActor("terraform-data-platform", "spacelift-"+s.alnum(12, false), "APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.61.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/s3#1.58.3", "18.197.61.204")
	for _, n := range []string{"GetBucketPolicy", "GetBucketAcl", "GetBucketCors", "GetBucketWebsite", "GetBucketVersioning", "GetBucketLogging", "GetBucketTagging"} {
		s3ev(policy.Add(-time.Duration(20+s.R.Intn(20))*time.Second), tf, bucket, n, map[string]any{map[bool]string{true: "policy", false: "acl"}[n == "GetBucketPolicy"]: ""}, ReadOnly)
	}
	pol, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": []string{"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"}, "Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}}},
		map[string]any{"Sid": "AnalyticsReadOnly", "Effect": "Allow", "Principal": map[string]string{"AWS": "arn:aws:iam::" + s.Acct + ":role/analytics-athena"}, "Action": []string{"s3:GetObject", "s3:ListBucket"}, "Resource": []string{"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"}},
	}})
	var polDoc map[string]any
	json.Unmarshal(pol, &polDoc)
	s3ev(policy, tf, bucket, "PutBucketPolicy", map[string]any{"policy": "", "bucketPolicy": polDoc})
	s3ev(tagging, tf, bucket, "PutBucketTagging", map[string]any{"tagging": "", "Tagging": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "TagSet": map[string]any{"Tag": []any{
		map[string]string{"Key": "data-classification", "Value": "internal"}, map[string]string{"Key": "owner", "Value": "data-platform"}}}}})
	s3ev(versioning, tf, "acme-pricing-exports", "PutBucketVersioning", map[string]any{"versioning": "", "VersioningConfiguration": map[string]any{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Status": "Enabled"}})
	ci := s.RoleActor("github-oidc-deploy", "GitHubActions", "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.9 md/command#lambda.update-function-code", "20.55.14.92")
	s.CT(T("2026-05-14T07:48:14Z"), ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", map[string]any{"functionName": "quote-archiver", "zipFile": "HIDDEN_DUE_TO_SECURITY_REASONS", "publish": true},
		map[string]any{"functionName": "quote-archiver", "runtime": "nodejs20.x", "version": "31", "lastUpdateStatus": "InProgress"})
	s.CT(T("2026-05-14T09:33:40Z"), ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", map[string]any{"functionName": "pricing-feed-publisher", "zipFile": "HIDDEN_DUE_TO_SECURITY_REASONS", "publish": true},
		map[string]any{"functionName": "pricing-feed-publisher", "runtime": "python3.12", "version": "58", "lastUpdateStatus": "InProgress"})
	apigwActor := s.SSOActor("Developer", "eva.schmidt@acme-pricing.de", "93.184.12.71")
	s.CT(T("2026-05-14T09:41:05Z"), apigwActor, "apigateway.amazonaws.com", "GetStages", map[string]any{"restApiId": "k3x9q2m7ab"}, nil, ReadOnly)

	// ---- requests
	streams := []string{s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start), s.LambdaStream(start)}
	cacheAge := map[string]time.Time{}
	gone := func(key string, t time.Time) bool {
		switch key {
		case "current/price-book-eu.json":
			return !t.Before(onset)
		case "current/price-book-uk.json":
			return !t.Before(ukGone)
		}
		return false
	}
	api5xx := map[time.Time]float64{}
	apiCount := map[time.Time]float64{}
	var firstFail time.Time
	s.Every(start, end, 26, func(t time.Time) {
		st := streams[s.R.Intn(len(streams))]
		market := []string{"eu", "eu", "uk"}[s.R.Intn(3)]
		key := "current/price-book-" + market + ".json"
		status := 200
		dur := s.jitter(60, 0.4)
		reqID := ""
		var s3Status int
		s.LambdaInvoke("/aws/lambda/quote-engine", st, t, dur, 1024, 160+s.R.Intn(20), func(id string, t time.Time) {
			reqID = id
			pfx := t.Format("2006-01-02T15:04:05.000Z") + "\t" + id + "\t"
			ck := st + key
			if t.Sub(cacheAge[ck]) > 5*time.Minute {
				if gone(key, t) {
					s3Status = 404
					s.Log("/aws/lambda/quote-engine", st, t.Add(30*time.Millisecond), pfx+"ERROR\tfailed to load "+key+" from "+bucket+" NoSuchKey: The specified key does not exist.\n    at de_NoSuchKeyRes (/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:4856:21)\n    at de_CommandError (/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:4781:19) {\n  '$fault': 'client',\n  '$metadata': { httpStatusCode: 404, requestId: '"+s.alnum(16, true)+"', attempts: 1 },\n  Code: 'NoSuchKey',\n  Key: '"+key+"'\n}")
					status = 500
					if firstFail.IsZero() {
						firstFail = t
					}
					return
				}
				s3Status = 200
				cacheAge[ck] = t
				s.Log("/aws/lambda/quote-engine", st, t.Add(40*time.Millisecond), pfx+"INFO\trefreshed "+key+" etag="+s.hex(32))
			}
			switch k := s.R.Intn(30); {
			case k < 2:
				s.Log("/aws/lambda/quote-engine", st, t.Add(45*time.Millisecond), pfx+"ERROR\tquote rejected: SKU "+fmt.Sprint(100000+s.R.Intn(900000))+" has no price in price book "+market+" (PriceNotFoundError)")
				status = 422
			case k < 4:
				s.Log("/aws/lambda/quote-engine", st, t.Add(45*time.Millisecond), pfx+"WARN\tfx-rates.json is "+fmt.Sprint(61+s.R.Intn(20))+" minutes old, using it anyway")
			default:
				s.Log("/aws/lambda/quote-engine", st, t.Add(45*time.Millisecond), pfx+"INFO\tquote q_"+s.alnum(10, false)+" market="+market+" lines="+fmt.Sprint(1+s.R.Intn(12))+" total="+fmt.Sprintf("%.2f", 20+s.R.Float64()*900))
			}
		})
		m := t.Truncate(time.Minute)
		apiCount[m]++
		if status == 500 {
			api5xx[m]++
		}
		acc, _ := json.Marshal(map[string]any{"requestId": s.uuid(), "ip": fmt.Sprintf("%d.%d.%d.%d", 80+s.R.Intn(100), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(254)), "requestTime": t.Format("02/Jan/2006:15:04:05 -0700"),
			"httpMethod": "POST", "resourcePath": "/quotes", "status": fmt.Sprint(status), "protocol": "HTTP/1.1", "responseLength": fmt.Sprint(map[bool]int{true: 36, false: 800 + s.R.Intn(900)}[status == 500]),
			"integrationLatency": fmt.Sprint(int(dur) + 8), "integrationStatus": "200", "integrationRequestId": reqID})
		s.Log("/aws/apigateway/quotes-api-prod-access", "k3x9q2m7ab_prod_"+s.hex(8)[:2], t.Add(time.Duration(dur+10)*time.Millisecond), string(acc))
		if s.R.Intn(14) == 0 {
			lam := s.Seg("quote-engine", t, time.Duration(dur*float64(time.Millisecond)))
			lam["origin"] = "AWS::Lambda"
			lam["http"] = map[string]any{"response": map[string]any{"status": 200}}
			lam["aws"] = map[string]any{"request_id": reqID}
			fn := s.Seg("quote-engine", t.Add(2*time.Millisecond), time.Duration((dur-3)*float64(time.Millisecond)))
			fn["origin"] = "AWS::Lambda::Function"
			fn["parent_id"] = lam["id"]
			fn["aws"] = map[string]any{"function_arn": "arn:aws:lambda:eu-central-1:" + s.Acct + ":function:quote-engine", "resource_names": []string{"quote-engine"}, "account_id": s.Acct}
			var subs []any
			if s3Status != 0 {
				sub := s.AWSSub("S3", "GetObject", t.Add(5*time.Millisecond), 25*time.Millisecond, s3Status, map[string]any{"bucket_name": bucket, "key": key})
				if s3Status == 404 {
					sub["error"] = true
					s.Cause(sub, "NoSuchKey", "The specified key does not exist.", true)
					fn["error"] = true
				}
				subs = append(subs, sub)
			}
			subs = append(subs, s.AWSSub("DynamoDB", "PutItem", t.Add(35*time.Millisecond), 8*time.Millisecond, 200, map[string]any{"table_name": "quotes"}))
			fn["subsegments"] = subs
			gw := s.Seg("quotes-api/prod", t.Add(-6*time.Millisecond), time.Duration((dur+12)*float64(time.Millisecond)))
			gw["origin"] = "AWS::ApiGateway::Stage"
			gw["resource_arn"] = "arn:aws:apigateway:eu-central-1::/restapis/k3x9q2m7ab/stages/prod"
			gw["http"] = map[string]any{"request": map[string]any{"method": "POST", "url": "https://k3x9q2m7ab.execute-api.eu-central-1.amazonaws.com/prod/quotes"}, "response": map[string]any{"status": status}}
			if status == 500 {
				gw["fault"] = true
			}
			lam["parent_id"] = gw["id"]
			s.Trace(s.TraceID(t), (dur+12)/1000, gw, lam, fn)
		}
	})
	pubStream := s.LambdaStream(start)
	for t := T("2026-05-14T09:00:07Z"); t.Before(end); t = t.Add(time.Hour) {
		s.LambdaInvoke("/aws/lambda/pricing-feed-publisher", pubStream, t, s.jitter(3100, 0.2), 512, 140, func(id string, t time.Time) {
			s.Log("/aws/lambda/pricing-feed-publisher", pubStream, t.Add(time.Second), fmt.Sprintf("[INFO]\t%s\t%s\twrote s3://%s/current/fx-rates.json (%d currencies)", t.Format("2006-01-02T15:04:05.000Z"), id, bucket, 38))
		})
	}
	arcStream := s.LambdaStream(start)
	s.Every(start, end, 2, func(t time.Time) {
		s.LambdaInvoke("/aws/lambda/quote-archiver", arcStream, t, s.jitter(400, 0.3), 256, 90, func(id string, t time.Time) {
			if s.R.Intn(3) == 0 {
				s.Log("/aws/lambda/quote-archiver", arcStream, t, t.Format("2006-01-02T15:04:05.000Z")+"\t"+id+"\tERROR\tProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded. (batch will be retried)")
			} else {
				s.Log("/aws/lambda/quote-archiver", arcStream, t, t.Format("2006-01-02T15:04:05.000Z")+"\t"+id+"\tINFO\tarchived "+fmt.Sprint(10+s.R.Intn(40))+" quotes")
			}
		})
	})

	// ---- metrics
	apiDims := [][2]string{{"ApiName", "quotes-api"}, {"Stage", "prod"}}
	s.Metric("AWS/ApiGateway", "5XXError", apiDims, "Count", []string{"Sum", "Average"}, func(t time.Time) float64 { return api5xx[t] })
	s.Metric("AWS/ApiGateway", "Count", apiDims, "Count", []string{"Sum"}, func(t time.Time) float64 { return apiCount[t] })
	s.Metric("AWS/ApiGateway", "Latency", apiDims, "Milliseconds", []string{"Average"}, func(t time.Time) float64 { return s.jitter(72, 0.2) })
	s.Metric("AWS/Lambda", "Errors", [][2]string{{"FunctionName", "quote-engine"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return 0 })
	s.Metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", "quote-engine"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return apiCount[t] })
	s.Metric("AWS/Lambda", "Duration", [][2]string{{"FunctionName", "pricing-feed-publisher"}}, "Milliseconds", []string{"Average"}, func(t time.Time) float64 {
		if t.Minute() == 0 {
			return s.jitter(3100, 0.2)
		}
		return math.NaN()
	})
	s.MetricPeriod("AWS/S3", "NumberOfObjects", [][2]string{{"BucketName", bucket}, {"StorageType", "AllStorageTypes"}}, "Count", []string{"Average"}, 24*time.Hour, func(t time.Time) float64 { return 1184 })
	s.Metric("AWS/DynamoDB", "WriteThrottleEvents", [][2]string{{"TableName", "quotes-archive"}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return float64(s.R.Intn(6)) })

	topic := "arn:aws:sns:eu-central-1:" + s.Acct + ":pricing-alerts"
	reason := "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (14/05/26 10:08:00), 6.0 (14/05/26 10:07:00)] were greater than or equal to the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition)."
	s.SimpleAlarm("quotes-api-5xx", "quotes-api prod 5XXError", "AWS/ApiGateway", "5XXError", "Sum", apiDims, 60, 3, 2, 5, "GreaterThanOrEqualToThreshold", "ALARM", alarmAt, reason, topic)
	s.FireAlarm("quotes-api-5xx", alarmAt, reason, []float64{6, 5}, 5, topic)
	s.SimpleAlarm("quote-engine-errors", "quote-engine unhandled errors", "AWS/Lambda", "Errors", "Sum", [][2]string{{"FunctionName", "quote-engine"}}, 60, 3, 2, 1, "GreaterThanOrEqualToThreshold", "OK", T("2026-05-02T14:00:00Z"), "Threshold Crossed: 3 datapoints [0.0, 0.0, 0.0] were not greater than or equal to the threshold (1.0).", topic)
	s.SimpleAlarm("quotes-archive-throttles", "archiver throttled", "AWS/DynamoDB", "WriteThrottleEvents", "Sum", [][2]string{{"TableName", "quotes-archive"}}, 300, 1, 1, 50, "GreaterThanThreshold", "OK", T("2026-05-13T22:00:00Z"), "Threshold Crossed: 1 datapoint [12.0] was not greater than the threshold (50.0).", topic)

	s.Truth = truth(s.Name, "s3-lifecycle-expiration", "quotes-api-5xx",
		map[string]any{"event_name": "PutBucketLifecycle", "event_time": change.Format(ts), "resource": bucket}, firstFail.Truncate(time.Second),
		[][2]any{{"PutBucketPolicy", policy}, {"PutBucketTagging", tagging}, {"PutBucketVersioning", versioning}, {"UpdateFunctionCode20150331v2", T("2026-05-14T09:33:40Z")}},
		"NoSuchKey", "PutBucketLifecycle", bucket, "current/price-book-eu.json")
	s.Write()
}
