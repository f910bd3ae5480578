package main

import (
	"fmt"
	"math"
	"time"
)

// promoSpike: a marketing push quadruples traffic; one promo code is a hot
// partition key on an on-demand table. Nothing in the account changed.
func promoSpike(base string) *X {
	x := newX(base, "promo-push-hot-partition", "us-east-1", "847362019558", time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC), 100, 505)
	push, onset, fired := x.at("17:00:00"), x.at("17:01:10"), x.at("17:04:00")
	x.manifest = map[string]any{"format": "fa2-snapshot/1", "region": x.region,
		"window":       map[string]any{"start": x.t0.Format(time.RFC3339), "end": x.t1.Format(time.RFC3339)},
		"title":        "claim-promo: throttling and slow promo claims",
		"architecture": "Mobile app -> API Gateway REST API promo-api -> Lambda claim-promo -> DynamoDB table promo-claims (on-demand; partition key promo_code, sort key user_id) and promo-ledger. Marketing sends push campaigns from a third-party engagement platform (outside AWS). catalog-api and storefront-api run on ECS with service auto scaling; CI deploys from GitHub Actions.",
	}
	load := func(t time.Time) float64 {
		if t.Before(push) {
			return 1
		}
		m := t.Sub(push).Minutes()
		return 1 + 4.5*math.Exp(-m/40)*math.Min(1, m/1.5+0.3)
	}
	hot := func(t time.Time) bool { return !t.Before(onset) && load(t) > 3 }
	x.lambdaNoise("claim-promo", func(t time.Time) float64 { return 40 * load(t) }, func(t time.Time) float64 {
		if hot(t) {
			return 95 + 450*(load(t)-3)
		}
		return 95
	}, func(t time.Time, r string) []string {
		code := x.pick("BF26-EARLY", "BF26-EARLY", "BF26-EARLY", "WELCOME10", "FREESHIP")
		if hot(t) && code == "BF26-EARLY" && x.r.Intn(10) < 4 {
			msg := "ProvisionedThroughputExceededException: Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
			if x.r.Intn(3) == 0 {
				return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tERROR\t" + js(map[string]any{"message": "claim failed after 3 retries", "promo_code": code, "table": "promo-claims", "error": msg})}
			}
			return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tWARN\t" + js(map[string]any{"message": "PutItem throttled, retrying", "promo_code": code, "table": "promo-claims", "attempt": 1 + x.r.Intn(2), "error": msg})}
		}
		if x.r.Intn(120) == 0 {
			return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tERROR\t" + js(map[string]any{"message": "claim rejected", "promo_code": code, "error": "ConditionalCheckFailedException: The conditional request failed"})}
		}
		return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tINFO\t" + js(map[string]any{"message": "promo claimed", "promo_code": code})}
	})
	x.each(x.t0, x.t1, func(t time.Time) float64 { return 60 * load(t) }, func(t time.Time) {
		if x.r.Intn(4) > 0 {
			return
		}
		st := 200
		if hot(t) && x.r.Intn(12) == 0 {
			st = 502
		}
		x.log("API-Gateway-Execution-Logs_k3v9q2x7dm/prod", x.hex(32), t, fmt.Sprintf("(%s) Method completed with status: %d", x.uuid(), st))
	})
	cat := x.ecsStreams("catalog-api", 3)
	x.noise("/ecs/catalog-api", cat, 15,
		func() string { return "INFO  c.e.catalog.Http - GET /products/" + fmt.Sprint(x.r.Intn(99999)) + " 200" },
		func() string { return "WARN  c.e.catalog.Cache - near cache miss ratio 0.31" },
		func() string {
			return "ERROR c.e.catalog.Images - thumbnail missing for product " + fmt.Sprint(x.r.Intn(99999))
		})
	x.noise("/aws/lambda/newsletter-render", []string{x.t0.Format("2006/01/02") + "/[$LATEST]" + x.hex(32)}, 2,
		func() string { return "INFO rendered template newsletter-2026-48" })

	x.metric("AWS/ApiGateway", "Count", "Count", []string{"ApiName", "promo-api", "Stage", "prod"}, func(t time.Time) float64 { return x.wobble(60*load(t), 0.06) })
	x.metric("AWS/Lambda", "Invocations", "Count", []string{"FunctionName", "claim-promo"}, func(t time.Time) float64 { return x.wobble(40*load(t), 0.06) })
	x.metric("AWS/Lambda", "Duration", "Milliseconds", []string{"FunctionName", "claim-promo"}, func(t time.Time) float64 {
		if hot(t) {
			return x.wobble(95+450*(load(t)-3), 0.1)
		}
		return x.wobble(95, 0.08)
	})
	x.metric("AWS/DynamoDB", "WriteThrottleEvents", "Count", []string{"TableName", "promo-claims"}, func(t time.Time) float64 {
		if !hot(t) {
			return -1
		}
		return x.wobble(14*(load(t)-2.5), 0.2)
	})
	x.metric("AWS/DynamoDB", "ThrottledRequests", "Count", []string{"TableName", "promo-claims", "Operation", "PutItem"}, func(t time.Time) float64 {
		if !hot(t) {
			return -1
		}
		return x.wobble(12*(load(t)-2.5), 0.2)
	})
	x.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Count", []string{"TableName", "promo-claims"}, func(t time.Time) float64 { return x.wobble(55*math.Min(load(t), 3.2), 0.05) })
	x.metric("AWS/ECS", "CPUUtilization", "Percent", []string{"ClusterName", "shop", "ServiceName", "storefront-api"}, func(t time.Time) float64 {
		v := 40 * load(t) * 0.6
		if t.After(x.at("17:07:00")) {
			v *= 0.6
		}
		return x.wobble(math.Max(v, 30), 0.08)
	})
	x.metric("AWS/Lambda", "Duration", "Milliseconds", []string{"FunctionName", "newsletter-render"}, func(t time.Time) float64 { return x.wobble(2300, 0.3) })
	x.alarm("promo-claims-throttles", "Write throttles on promo-claims", "AWS/DynamoDB", "WriteThrottleEvents", "Sum", []string{"TableName", "promo-claims"}, 10, "GreaterThanThreshold", 2, fired,
		"Threshold Crossed: 2 out of the last 2 datapoints [31.0 (27/11/26 17:03:00), 27.0 (27/11/26 17:02:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).")
	x.alarm("claim-promo-duration-p99", "claim-promo slow", "AWS/Lambda", "Duration", "Average", []string{"FunctionName", "claim-promo"}, 800, "GreaterThanThreshold", 3, x.at("17:05:00"),
		"Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (800.0).")

	x.routineTrail(450, 110)
	ci := x.role("github-actions-deploy", "GitHubActions")
	d1 := x.at("16:44:31")
	x.ev(d1, ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", map[string]any{"functionName": "newsletter-render", "s3Bucket": "ci-artifacts-" + x.acct, "s3Key": "newsletter-render/" + x.hex(40) + ".zip", "publish": true},
		map[string]any{"functionName": "newsletter-render", "version": "58", "lastUpdateStatus": "InProgress"}, false)
	d2 := x.at("16:58:12")
	x.ev(d2, ci, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "shop", "service": "catalog-api", "taskDefinition": "catalog-api:412", "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": "catalog-api", "desiredCount": 3, "taskDefinition": "arn:aws:ecs:us-east-1:" + x.acct + ":task-definition/catalog-api:412"}}, false)
	as := x.role("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling")
	d3 := x.at("17:03:44")
	r := x.ev(d3, as, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "shop", "service": "storefront-api", "desiredCount": 8},
		map[string]any{"service": map[string]any{"serviceName": "storefront-api", "desiredCount": 8}}, false)
	r["sourceIPAddress"], r["userAgent"] = "application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com"
	r["userIdentity"].(map[string]any)["invokedBy"] = "application-autoscaling.amazonaws.com"
	d4 := x.at("17:06:02")
	cl := x.ev(d4, x.sso("AdministratorAccess", "sam.okafor@example.com"), "signin.amazonaws.com", "ConsoleLogin", nil, map[string]any{"ConsoleLogin": "Success"}, false)
	cl["eventType"], cl["additionalEventData"] = "AwsConsoleSignIn", map[string]any{"MobileVersion": "No", "MFAUsed": "No"}
	delete(cl, "requestID")
	for _, t := range []string{"17:06:40", "17:07:15", "17:08:02", "17:09:30"} {
		x.ev(x.at(t), x.sso("AdministratorAccess", "sam.okafor@example.com"), "dynamodb.amazonaws.com", x.pick("DescribeTable", "DescribeContributorInsights", "ListTables"), map[string]any{"tableName": "promo-claims"}, nil, true)
	}
	x.truth = map[string]any{"kind": "load-spike-no-change", "alarm": "promo-claims-throttles", "root_cause": nil,
		"no_change": true, "onset": onset.Format(time.RFC3339),
		"decoys":  []any{decoy("UpdateFunctionCode20150331v2", d1), decoy("UpdateService", d2), decoy("UpdateService", d3), decoy("ConsoleLogin", d4)},
		"signals": []string{"Throughput exceeds the current capacity", "promo-claims", "WriteThrottleEvents"},
	}
	return x
}

// accessKeyDeactivated: the old key of an on-prem exporter's IAM user is
// switched off before the new one was deployed.
func accessKeyDeactivated(base string) *X {
	x := newX(base, "iam-access-key-deactivated", "us-east-1", "390475612839", time.Date(2026, 11, 30, 7, 30, 0, 0, time.UTC), 90, 506)
	other, create, change := x.at("08:19:44"), x.at("08:27:03"), x.at("08:32:18")
	onset, fired := x.at("08:33:00"), x.at("08:35:00")
	user, oldKey, newKey := "svc-ledger-exporter", "AKIAVW3Q"+x.upper(12), "AKIAVW3Q"+x.upper(12)
	x.manifest = map[string]any{"format": "fa2-snapshot/1", "region": x.region,
		"window":       map[string]any{"start": x.t0.Format(time.RFC3339), "end": x.t1.Format(time.RFC3339)},
		"title":        "ledger-exporter: exports to S3 stopped",
		"architecture": "ledger-exporter runs on-prem (Python 3.11, boto3) and uploads one Parquet file a minute from the finance ledger to s3://ledger-exports-prod using the long-term access key of IAM user svc-ledger-exporter. Its logs are shipped to CloudWatch Logs group /onprem/ledger-exporter by the CloudWatch agent, which uses a separate IAM user (svc-cwagent-onprem). New objects trigger Lambda ledger-ingest, which loads them into Redshift. finance-api (ECS) serves reports from Redshift.",
	}
	hosts := []string{"ledger-exp-01.dc1.example.internal"}
	seq := 0
	x.each(x.t0, x.t1, func(t time.Time) float64 {
		if t.Second() == 0 {
			return 60
		}
		return 0
	}, func(t time.Time) {
		seq++
		b := fmt.Sprintf("batch-%s-%04d", t.Format("20060102T1504"), seq)
		if t.Before(onset) {
			x.log("/onprem/ledger-exporter", hosts[0], t, fmt.Sprintf("%s INFO ledger_export.extract: extracted 4%03d ledger rows for %s", t.Format("2006-01-02 15:04:05,000"), x.r.Intn(1000), b))
			x.log("/onprem/ledger-exporter", hosts[0], t.Add(2*time.Second), fmt.Sprintf("%s INFO ledger_export.upload: uploaded s3://ledger-exports-prod/%s/%s.parquet (%.1f MB)", t.Add(2*time.Second).Format("2006-01-02 15:04:05,000"), t.Format("2006/01/02"), b, 1.5+x.r.Float64()))
			return
		}
		ts := t.Add(2 * time.Second).Format("2006-01-02 15:04:05,000")
		x.log("/onprem/ledger-exporter", hosts[0], t, fmt.Sprintf("%s INFO ledger_export.extract: extracted 4%03d ledger rows for %s", t.Format("2006-01-02 15:04:05,000"), x.r.Intn(1000), b))
		x.log("/onprem/ledger-exporter", hosts[0], t.Add(2*time.Second), ts+" ERROR ledger_export.upload: credential check failed: An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.")
		x.log("/onprem/ledger-exporter", hosts[0], t.Add(2*time.Second), ts+" ERROR ledger_export.upload: upload of "+b+" failed: An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records.")
		x.log("/onprem/ledger-exporter", hosts[0], t.Add(3*time.Second), ts+" WARN ledger_export.spool: "+b+" kept in local spool (/var/spool/ledger-export), spool now holds "+fmt.Sprint(int(t.Sub(onset).Minutes())+1)+" batches")
	})
	x.noiseT("/onprem/ledger-exporter", hosts, 1.2,
		func(t time.Time) string {
			return t.Format("2006-01-02 15:04:05,000") + " WARN ledger_export.extract: row " + fmt.Sprint(x.r.Intn(999999)) + " skipped: missing currency code"
		},
		func(t time.Time) string {
			return t.Format("2006-01-02 15:04:05,000") + " ERROR ledger_export.db: cx_Oracle.DatabaseError: ORA-03113: end-of-file on communication channel; reconnecting"
		})
	x.lambdaNoise("ledger-ingest", func(t time.Time) float64 {
		if t.Second() == 5 && t.Before(onset) {
			return 60
		}
		return 0
	}, flat(3100), func(t time.Time, r string) []string {
		return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tINFO\tCOPY ledger_staging FROM s3://ledger-exports-prod/... 4,2xx rows"}
	})
	fa := x.ecsStreams("finance-api", 2)
	x.noise("/ecs/finance-api", fa, 10,
		func() string { return "level=INFO msg=\"GET /reports/daily 200\"" },
		func() string {
			return "level=WARN msg=\"redshift query queued\" wlm_queue=reports wait_ms=" + fmt.Sprint(800+x.r.Intn(2000))
		},
		func() string { return "level=ERROR msg=\"report export failed\" err=\"context canceled\"" })

	x.metric("AWS/S3", "PutRequests", "Count", []string{"BucketName", "ledger-exports-prod", "FilterId", "EntireBucket"}, func(t time.Time) float64 {
		if t.Before(onset) {
			return 1
		}
		return -1
	})
	x.metric("LogMetrics", "LedgerExporterErrors", "Count", []string{}, func(t time.Time) float64 {
		if t.Before(onset) {
			return x.wobble(0.6, 1)
		}
		return x.wobble(2.6, 0.2)
	})
	x.metric("AWS/Lambda", "Invocations", "Count", []string{"FunctionName", "ledger-ingest"}, func(t time.Time) float64 {
		if t.Before(onset) {
			return 1
		}
		return -1
	})
	x.metric("AWS/Redshift", "CPUUtilization", "Percent", []string{"ClusterIdentifier", "finance-dw"}, func(t time.Time) float64 {
		if t.After(x.at("07:50:00")) && t.Before(x.at("08:15:00")) {
			return x.wobble(82, 0.08)
		}
		return x.wobble(35, 0.1)
	})
	x.metric("AWS/NATGateway", "BytesOutToDestination", "Bytes", []string{"NatGatewayId", "nat-0" + x.hex(16)}, func(t time.Time) float64 { return x.wobble(4.2e7, 0.3) })
	x.alarm("ledger-exporter-errors", "Metric filter on /onprem/ledger-exporter: ERROR lines", "LogMetrics", "LedgerExporterErrors", "Sum", nil, 2, "GreaterThanThreshold", 2, fired,
		"Threshold Crossed: 2 out of the last 2 datapoints [3.0 (30/11/26 08:34:00), 3.0 (30/11/26 08:33:00)] were greater than the threshold (2.0) (minimum 2 datapoints for OK -> ALARM transition).")
	x.alarm("finance-dw-cpu", "Redshift CPU", "AWS/Redshift", "CPUUtilization", "Average", []string{"ClusterIdentifier", "finance-dw"}, 90, "GreaterThanThreshold", 10, time.Time{}, "")

	x.routineTrail(380, 80)
	admin := x.sso("IAMAdmin", "priya.raman@example.com")
	x.ev(other, admin, "iam.amazonaws.com", "UpdateAccessKey", map[string]any{"userName": "jenkins-legacy", "accessKeyId": "AKIAVW3Q" + x.upper(12), "status": "Inactive"}, nil, false)
	x.ev(create, admin, "iam.amazonaws.com", "CreateAccessKey", map[string]any{"userName": user},
		map[string]any{"accessKey": map[string]any{"userName": user, "accessKeyId": newKey, "status": "Active", "createDate": create.Format("Jan 2, 2006, 3:04:05 PM")}}, false)
	x.ev(change, admin, "iam.amazonaws.com", "UpdateAccessKey", map[string]any{"userName": user, "accessKeyId": oldKey, "status": "Inactive"}, nil, false)
	for _, t := range []string{"08:18:02", "08:19:10", "08:26:20", "08:26:41", "08:31:50", "08:32:02", "08:41:15"} {
		n := x.pick("ListAccessKeys", "GetAccessKeyLastUsed", "GetUser", "ListUsers")
		x.ev(x.at(t), admin, "iam.amazonaws.com", n, map[string]any{"userName": user}, nil, true)
	}
	sv := x.at("08:28:30")
	x.ev(sv, admin, "secretsmanager.amazonaws.com", "PutSecretValue", map[string]any{"secretId": "onprem/ledger-exporter/aws-key", "clientRequestToken": x.uuid()}, map[string]any{"name": "onprem/ledger-exporter/aws-key", "versionId": x.uuid()}, false)
	x.truth = map[string]any{"kind": "iam-access-key-deactivated", "alarm": "ledger-exporter-errors",
		"root_cause": map[string]any{"event_name": "UpdateAccessKey", "event_time": change.Format(time.RFC3339), "resource": user},
		"no_change":  false, "onset": onset.Format(time.RFC3339),
		"decoys":  []any{decoy("UpdateAccessKey", other), decoy("CreateAccessKey", create), decoy("PutSecretValue", sv)},
		"signals": []string{"InvalidClientTokenId", "The security token included in the request is invalid", "UpdateAccessKey", user},
	}
	return x
}
