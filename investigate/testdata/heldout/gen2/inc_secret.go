package main

import (
	"fmt"
	"time"
)

// secretRotationCachedPassword: a DBA presses "Rotate secret immediately"
// on the reporting database secret. The single-user rotation Lambda changes
// the MySQL password; reporting-api read the password once at start-up, so
// every new pooled connection is refused from then on.
func secretRotationCachedPassword() *world {
	w := newWorld("secret-rotation-cached-password", 7707, "ca-central-1", "647382910573", ts("2026-10-27T14:00:00Z"), 80)
	w.title = "reports page errors, exports failing"
	w.arch = "Internal ALB reporting-int → ECS Fargate service reporting-api (Python 3.11, Flask + SQLAlchemy 2 / PyMySQL, pool_recycle=600, DB password read from Secrets Manager at start-up) → RDS for MySQL 8.0 instance reporting-db. Secret prod/reporting/mysql rotated by Lambda SecretsManagerRDSMySQLRotationSingleUser. analytics-etl reads prod/analytics/redshift (rotated by its own Lambda). KMS key alias/reporting-exports encrypts S3 exports."
	change := ts("2026-10-27T14:47:21Z")
	onset := ts("2026-10-27T14:49:58Z")
	alarmAt := ts("2026-10-27T14:53:05Z")
	otherRot := ts("2026-10-27T14:21:03Z")
	secret := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/reporting/mysql-9fQ2xL", w.region, w.account)
	rsSecret := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/analytics/redshift-Hq7Vb3", w.region, w.account)
	rotFn := "SecretsManagerRDSMySQLRotationSingleUser"
	tasks := w.tasks(3)
	for i := range tasks {
		tasks[i].ip = fmt.Sprintf("10.30.%d.%d", 2+i, 57+i*11)
	}
	group := "/ecs/reporting-api"
	pyts := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05,000") }

	// Share of requests that need a fresh connection (and fail) after the change.
	failP := func(t time.Time) float64 {
		if t.Before(onset) {
			return 0
		}
		return 0.12 + 0.7*ramp(t, onset, onset.Add(10*time.Minute))
	}
	for t := w.start; t.Before(w.end); t = t.Add(800*time.Millisecond + w.jitter(1600*time.Millisecond)) {
		task := tasks[w.r.Intn(3)]
		s := "reporting/reporting-api/" + task.id
		path := w.pick("/api/reports", "/api/reports/rpt_"+w.hex(8), "/api/reports/rpt_"+w.hex(8)+"/export", "/api/dashboards/sales", "/api/dashboards/churn")
		if w.r.Float64() < failP(t) {
			lines := []string{
				fmt.Sprintf("%s ERROR [reporting.app] Exception on %s [GET]", pyts(t), path),
				"Traceback (most recent call last):",
				`  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 146, in __init__`,
				"    self._dbapi_connection = engine.raw_connection()",
				`  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/pool/base.py", line 674, in __connect`,
				"    self.dbapi_connection = connection = pool._invoke_creator(self)",
				`  File "/usr/local/lib/python3.11/site-packages/pymysql/connections.py", line 361, in __init__`,
				"    self.connect()",
				`  File "/usr/local/lib/python3.11/site-packages/pymysql/connections.py", line 669, in connect`,
				"    self._request_authentication()",
				`  File "/usr/local/lib/python3.11/site-packages/pymysql/err.py", line 150, in raise_mysql_exception`,
				"    raise errorclass(errno, errval)",
				fmt.Sprintf(`sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1045, "Access denied for user 'reporting_app'@'%s' (using password: YES)")`, task.ip),
				"(Background on this error at: https://sqlalche.me/e/20/e3q8)",
			}
			w.logLines(group, s, t, lines)
			w.log("/aws/rds/instance/reporting-db/error", "reporting-db", t.Add(-5*time.Millisecond), fmt.Sprintf("%s %d [Note] [MY-010926] [Server] Access denied for user 'reporting_app'@'%s' (using password: YES)", t.Add(-5*time.Millisecond).UTC().Format("2006-01-02T15:04:05.000000Z"), 48000+w.r.Intn(9000), task.ip))
			w.log(group, s, t.Add(3*time.Millisecond), fmt.Sprintf(`%s - - [%s] "GET %s HTTP/1.1" 500 265 "-" "python-requests/2.32.3"`, w.ip10(), t.UTC().Format("02/Jan/2006:15:04:05 +0000"), path))
			continue
		}
		w.log(group, s, t, fmt.Sprintf(`%s - - [%s] "GET %s HTTP/1.1" 200 %d "-" "%s"`, w.ip10(), t.UTC().Format("02/Jan/2006:15:04:05 +0000"), path, 400+w.r.Intn(40000), w.pick("python-requests/2.32.3", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0")))
	}
	for _, task := range tasks {
		s := "reporting/reporting-api/" + task.id
		w.each(w.start, w.end, 80*time.Second, func(t time.Time) {
			w.log(group, s, t, fmt.Sprintf("%s ERROR [reporting.pdf] wkhtmltopdf exited with code 1 for rpt_%s: QPainter::begin(): Returned false; Exit with code 1 due to network error: ContentNotFoundError", pyts(t), w.hex(8)))
		})
		w.each(w.start, w.end, 4*time.Minute, func(t time.Time) {
			w.log(group, s, t, fmt.Sprintf("%s WARNING [reporting.export] report rpt_%s took %.1fs (slow query on fact_orders)", pyts(t), w.hex(8), 20+w.r.Float64()*30))
		})
	}

	// RDS MySQL error log: routine warnings, an old job with a wrong password.
	rds := "/aws/rds/instance/reporting-db/error"
	w.each(w.start, w.end, 2*time.Minute, func(t time.Time) {
		w.log(rds, "reporting-db", t, fmt.Sprintf("%s %d [Note] [MY-010914] [Server] Aborted connection %d to db: 'reporting' user: 'bi_reader' host: '10.30.5.21' (Got timeout reading communication packets).", t.UTC().Format("2006-01-02T15:04:05.000000Z"), 47000+w.r.Intn(9000), 47000+w.r.Intn(9000)))
	})
	w.each(w.start, w.end, 5*time.Minute, func(t time.Time) {
		w.log(rds, "reporting-db", t, fmt.Sprintf("%s %d [Note] [MY-010926] [Server] Access denied for user 'legacy_etl'@'10.30.7.3' (using password: YES)", t.UTC().Format("2006-01-02T15:04:05.000000Z"), 47000+w.r.Intn(9000)))
	})
	w.each(w.start, w.end, 7*time.Minute, func(t time.Time) {
		w.log(rds, "reporting-db", t, fmt.Sprintf("%s 0 [Warning] [MY-010055] [Server] IP address '10.30.%d.%d' could not be resolved: Name or service not known", t.UTC().Format("2006-01-02T15:04:05.000000Z"), w.r.Intn(8), 2+w.r.Intn(200)))
	})

	// Rotation Lambdas.
	rotation := func(fn, group, secretArn string, at time.Time, db string) {
		id := w.uuid()
		ver := w.uuid()
		s := at.UTC().Format("2006/01/02") + "/[$LATEST]" + w.hex(32)
		lts := func(d time.Duration) string { return at.Add(d).UTC().Format("2006-01-02T15:04:05.000Z") }
		step := func(d time.Duration, msg string) {
			w.log(group, s, at.Add(d), fmt.Sprintf("[INFO]\t%s\t%s\t%s", lts(d), id, msg))
		}
		for i, stepName := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
			rid := w.uuid()
			d := time.Duration(i) * 1500 * time.Millisecond
			w.log(group, s, at.Add(d), fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			id = rid
			switch stepName {
			case "createSecret":
				step(d+300*time.Millisecond, fmt.Sprintf("createSecret: Successfully put secret for ARN %s and version %s.", secretArn, ver))
			case "setSecret":
				step(d+200*time.Millisecond, fmt.Sprintf("setSecret: Successfully set password for user %s in %s DB for secret arn %s.", map[string]string{"MySQL": "reporting_app", "Redshift": "etl_loader"}[db], db, secretArn))
			case "testSecret":
				step(d+250*time.Millisecond, fmt.Sprintf("testSecret: Successfully signed into %s DB with AWSPENDING secret in %s.", db, secretArn))
			case "finishSecret":
				step(d+150*time.Millisecond, fmt.Sprintf("finishSecret: Successfully set AWSCURRENT stage to version %s for secret %s.", ver, secretArn))
			}
			w.log(group, s, at.Add(d+400*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
			w.log(group, s, at.Add(d+400*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: %d MB\t", rid, 300+w.r.Float64()*90, 300+w.r.Intn(90), 74+w.r.Intn(6)))
		}
	}
	rotation(rotFn, "/aws/lambda/"+rotFn, secret, change.Add(1200*time.Millisecond), "MySQL")
	rotation("SecretsManagerRedshiftRotationSingleUser", "/aws/lambda/SecretsManagerRedshiftRotationSingleUser", rsSecret, otherRot.Add(900*time.Millisecond), "Redshift")
	// analytics-etl (Node) is unaffected by its own rotation: it re-reads the secret.
	w.each(w.start, w.end, 20*time.Second, func(t time.Time) {
		w.log("/ecs/analytics-etl", "etl/analytics-etl/8f1c2d3e4b5a69788796a5b4c3d2e1f0", t, fmt.Sprintf("%s info: loaded %d rows into stg_orders (batch %d)", t.UTC().Format("2006-01-02T15:04:05.000Z"), 1000+w.r.Intn(9000), t.Unix()%100000))
	})
	w.log("/ecs/analytics-etl", "etl/analytics-etl/8f1c2d3e4b5a69788796a5b4c3d2e1f0", otherRot.Add(95*time.Second), otherRot.Add(95*time.Second).UTC().Format("2006-01-02T15:04:05.000Z")+" warn: redshift auth failed, refreshing credentials from Secrets Manager and retrying")

	// Metrics.
	lb := "app/reporting-int/6a2d8f0c4e1b3957"
	dimLB := [][2]string{{"LoadBalancer", lb}}
	on := func(t time.Time) bool { return !t.Before(onset.Truncate(time.Minute)) }
	w.metric("Reporting", "DbErrors", [][2]string{}, "None", 60, func(t time.Time) (stat, bool) {
		if !on(t) {
			return stat{n: 1, sum: 0}, true
		}
		v := float64(int(failP(t.Add(30*time.Second)) * 40))
		return stat{n: v, sum: v, min: 1, max: 1}, true
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		if !on(t) {
			return stat{}, false
		}
		return countStat(float64(int(failP(t.Add(30*time.Second)) * 40))), true
	})
	w.metric("AWS/ApplicationELB", "RequestCount", dimLB, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(35 + w.r.Intn(15))), true })
	w.metric("AWS/RDS", "DatabaseConnections", [][2]string{{"DBInstanceIdentifier", "reporting-db"}}, "Count", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(42-26*ramp(t, onset, onset.Add(12*time.Minute))+float64(w.r.Intn(3)), 2, 1), true
	})
	w.metric("AWS/RDS", "CPUUtilization", [][2]string{{"DBInstanceIdentifier", "reporting-db"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(33+w.r.Float64()*15, 8, 1), true
	})
	w.metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", rotFn}}, "Count", 60, func(t time.Time) (stat, bool) {
		if t.Equal(change.Truncate(time.Minute)) {
			return countStat(4), true
		}
		return stat{}, false
	})
	w.metric("AWS/Redshift", "DatabaseConnections", [][2]string{{"ClusterIdentifier", "analytics-rs"}}, "Count", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(float64(12+w.r.Intn(6)), 2, 1), true
	})

	w.alarm("reporting-db-errors", "reporting-api database errors (log metric filter on OperationalError)", "Reporting", "DbErrors", "Sum", [][2]string{}, 60, 2, 10, "GreaterThanThreshold", w.start.Add(-5*24*time.Hour), alarmAt, 19, fmt.Sprintf("arn:aws:sns:%s:%s:data-platform-oncall", w.region, w.account))
	w.okAlarm("reporting-db-cpu", "AWS/RDS", "CPUUtilization", "Average", [][2]string{{"DBInstanceIdentifier", "reporting-db"}}, 85, "GreaterThanThreshold")

	// CloudTrail.
	dba := w.ssoUser("DatabaseAdmin", "l.fournier@northpeak.ca", "142.116.28.93")
	sec := w.ssoUser("SecurityEngineer", "d.okonkwo@northpeak.ca", "70.52.101.14")
	rotRole := func(fn string) actor {
		return w.roleActor(fn+"Role", fn, "35.183.44."+fmt.Sprint(10+w.r.Intn(200)), "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.226-235.879.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.5 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145")
	}
	app := w.roleActor("reporting-api-task-role", tasks[0].id, tasks[0].ip, "Boto3/1.35.44 md/Botocore#1.35.44 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.44")
	etl := w.roleActor("analytics-etl-task-role", "8f1c2d3e4b5a69788796a5b4c3d2e1f0", "10.30.6.40", "aws-sdk-js/3.679.0 ua/2.1 os/linux#5.10.227 lang/js md/nodejs#20.18.0 api/secrets-manager#3.679.0")
	smSvc := actor{id: map[string]any{"accountId": w.account, "invokedBy": "secretsmanager.amazonaws.com"}, ip: "secretsmanager.amazonaws.com", ua: "secretsmanager.amazonaws.com"}
	backup := w.serviceRole("AWSServiceRoleForBackup", "AWSBackup-AWSServiceRoleForBackup", "backup.amazonaws.com")
	w.routine(8, []func(time.Time){
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "reporting-api-task-role"),
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "analytics-etl-task-role"),
		w.getSecret(etl, rsSecret),
		w.decrypt(app, "c0ffee12-3456-4789-abcd-ef0123456789", map[string]any{"aws:s3:arn": "arn:aws:s3:::northpeak-report-exports/exports/" + w.hex(8) + ".pdf"}),
		w.readCall(dba, "rds.amazonaws.com", "DescribeDBInstances", map[string]any{"dBInstanceIdentifier": "reporting-db"}),
		w.readCall(sec, "kms.amazonaws.com", "ListAliases", map[string]any{}),
		w.putMetricData(app, "Reporting"),
		w.readCall(w.serviceRole("AWSServiceRoleForConfig", "AWSConfig-Describe", "config.amazonaws.com"), "secretsmanager.amazonaws.com", "DescribeSecret", map[string]any{"secretId": w.pick(secret, rsSecret)}),
	})
	// reporting-api read its secret once, at start-up, well before the window.
	svcEvent := func(t time.Time, name, secretArn string) {
		w.call(t, smSvc, ct{source: "secretsmanager.amazonaws.com", name: name, eventType: "AwsServiceEvent", readOnly: false,
			additional: map[string]any{"SecretId": secretArn}, req: nil, resp: nil})
	}
	rotCalls := func(at time.Time, fn, secretArn string) {
		r := rotRole(fn)
		ver := w.uuid()
		w.call(at.Add(400*time.Millisecond), r, ct{source: "secretsmanager.amazonaws.com", name: "DescribeSecret", readOnly: true, req: map[string]any{"secretId": secretArn}})
		w.call(at.Add(900*time.Millisecond), r, ct{source: "secretsmanager.amazonaws.com", name: "GetRandomPassword", readOnly: true, req: map[string]any{"excludeCharacters": "/@\"'\\", "excludePunctuation": false}})
		w.call(at.Add(1100*time.Millisecond), r, ct{source: "secretsmanager.amazonaws.com", name: "PutSecretValue",
			req:  map[string]any{"secretId": secretArn, "clientRequestToken": ver, "versionStages": []string{"AWSPENDING"}},
			resp: map[string]any{"arn": secretArn, "versionId": ver, "versionStages": []string{"AWSPENDING"}}})
		w.call(at.Add(2600*time.Millisecond), r, ct{source: "secretsmanager.amazonaws.com", name: "GetSecretValue", readOnly: true, req: map[string]any{"secretId": secretArn, "versionStage": "AWSPENDING"}})
		w.call(at.Add(5700*time.Millisecond), r, ct{source: "secretsmanager.amazonaws.com", name: "UpdateSecretVersionStage",
			req:  map[string]any{"secretId": secretArn, "versionStage": "AWSCURRENT", "moveToVersionId": ver, "removeFromVersionId": w.uuid()},
			resp: map[string]any{"arn": secretArn, "name": secretArn[len(secretArn)-29:]}})
	}
	// Decoy: the scheduled rotation of another secret the same hour.
	svcEvent(otherRot, "RotationStarted", rsSecret)
	rotCalls(otherRot, "SecretsManagerRedshiftRotationSingleUser", rsSecret)
	svcEvent(otherRot.Add(7*time.Second), "RotationSucceeded", rsSecret)
	// Decoy: a KMS key policy edit 3.5 minutes before.
	w.call(ts("2026-10-27T14:43:50Z"), sec, ct{source: "kms.amazonaws.com", name: "PutKeyPolicy",
		req:       map[string]any{"keyId": "c0ffee12-3456-4789-abcd-ef0123456789", "policyName": "default", "bypassPolicyLockoutSafetyCheck": false, "policy": "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"reporting-exports\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::647382910573:root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  }, {\n    \"Sid\" : \"AllowReportingApi\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::647382910573:role/reporting-api-task-role\"\n    },\n    \"Action\" : [ \"kms:Decrypt\", \"kms:GenerateDataKey\" ],\n    \"Resource\" : \"*\"\n  } ]\n}"},
		resources: w.res("AWS::KMS::Key", fmt.Sprintf("arn:aws:kms:%s:%s:key/c0ffee12-3456-4789-abcd-ef0123456789", w.region, w.account))})
	// Root cause: the DBA's rotate-now, then the Lambda's calls.
	w.call(change, dba, ct{source: "secretsmanager.amazonaws.com", name: "RotateSecret",
		req:  map[string]any{"secretId": secret, "clientRequestToken": w.uuid(), "rotateImmediately": true},
		resp: map[string]any{"arn": secret, "name": "prod/reporting/mysql", "versionId": w.uuid()}})
	svcEvent(change.Add(800*time.Millisecond), "RotationStarted", secret)
	rotCalls(change.Add(time.Second), rotFn, secret)
	svcEvent(change.Add(8*time.Second), "RotationSucceeded", secret)
	w.call(change.Add(9*time.Second), serviceActor("secretsmanager.amazonaws.com"), ct{source: "lambda.amazonaws.com", name: "Invoke", data: true,
		req: map[string]any{"functionName": fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", w.region, w.account, rotFn)}})
	w.call(ts("2026-10-27T14:05:00Z"), backup, ct{source: "rds.amazonaws.com", name: "CreateDBSnapshot",
		req:  map[string]any{"dBInstanceIdentifier": "reporting-db", "dBSnapshotIdentifier": "awsbackup:job-" + w.uuid()},
		resp: map[string]any{"dBInstanceIdentifier": "reporting-db", "status": "creating", "engine": "mysql", "engineVersion": "8.0.39"}})

	w.securityhub = []map[string]any{
		w.asff("SecretsManager.4", "Secrets Manager secrets should be rotated within a specified number of days", "MEDIUM", "AwsSecretsManagerSecret", fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:legacy/etl/mysql-Ab12Cd", w.region, w.account), w.start.Add(-60*24*time.Hour)),
		w.asff("RDS.13", "RDS automatic minor version upgrades should be enabled", "HIGH", "AwsRdsDbInstance", fmt.Sprintf("arn:aws:rds:%s:%s:db:reporting-db", w.region, w.account), w.start.Add(-200*24*time.Hour)),
		w.asff("KMS.4", "AWS KMS key rotation should be enabled", "MEDIUM", "AwsKmsKey", fmt.Sprintf("arn:aws:kms:%s:%s:key/c0ffee12-3456-4789-abcd-ef0123456789", w.region, w.account), w.start.Add(-30*24*time.Hour)),
	}

	w.truth = map[string]any{
		"name": w.name, "kind": "credential-rotation", "alarm": "reporting-db-errors",
		"root_cause": map[string]any{"event_name": "RotateSecret", "event_time": change, "resource": "prod/reporting/mysql"},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "PutKeyPolicy", "event_time": ts("2026-10-27T14:43:50Z")},
			{"event_name": "RotationStarted", "event_time": otherRot},
			{"event_name": "PutSecretValue", "event_time": otherRot.Add(1100 * time.Millisecond).Truncate(time.Second)},
			{"event_name": "UpdateSecretVersionStage", "event_time": otherRot.Add(5700 * time.Millisecond).Truncate(time.Second)},
		},
		"signals": []string{"RotateSecret", "prod/reporting/mysql", "Access denied for user 'reporting_app'"},
	}
	return w
}
