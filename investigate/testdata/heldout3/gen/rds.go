package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// rdsInstanceDownsized: a DBA right-sizing after a cost review takes a
// snapshot, moves the replica's backup window, then downsizes the primary
// from db.r6g.2xlarge to db.r6g.large with ApplyImmediately. RDS applies it
// on the Multi-AZ standby first and fails over about six minutes later; from
// then on the smaller writer runs at 100 % CPU and billing-service's
// connection pool starves.
func rdsInstanceDownsized() *Inc {
	in := newInc("rds-instance-downsized", 304, "ap-southeast-2", "209884716530", time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC), 105)
	in.Title = "billing-api p99 latency above 2 s"
	in.Arch = "billing-service (Java 21, Spring Boot, HikariCP pool of 40) on ECS Fargate cluster finance behind ALB billing-alb; writes to RDS for PostgreSQL " +
		"instance billing-db (Multi-AZ) with read replica billing-db-replica-1 for reports. ledger-db is a separate Aurora PostgreSQL cluster (ledger-cluster) " +
		"used by ledger-service. RDS events are forwarded by EventBridge to the log group /aws/events/rds."
	in.albName = "app.billing-alb.1f7e3c9a5b2d8e40"
	in.albNodes = []string{"10.20.0.37", "10.20.16.142"}
	lbID := "app/billing-alb/1f7e3c9a5b2d8e40"
	tg := "arn:aws:elasticloadbalancing:ap-southeast-2:209884716530:targetgroup/billing-svc-tg/9a4c7e1b3d5f2a68"

	snapshot := in.at("02:35:15")
	replica := in.at("02:38:40")
	change := in.at("02:41:09")
	paramGroup := in.at("02:44:30")
	failover := in.at("02:47:05")
	onset := in.at("02:47:08")
	failoverDone := in.at("02:47:41")

	dba := in.role("AWSReservedSSO_DatabaseAdmin_2e8c5a7f1b3d9046", "s.nguyen@acme-finance.com.au", "110.174.22.8",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0")
	dba.console = true
	terraform := in.role("atlantis-apply", "atlantis-ledger-"+in.digits(6), "13.54.10.9", "APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.48.0")
	billing := in.role("billing-service-task-role", in.hex(32), "10.20.3.44", "aws-sdk-java/2.25.40 Linux/5.10 OpenJDK_64-Bit_Server_VM/21.0.3")
	ledger := in.role("ledger-service-task-role", in.hex(32), "10.20.9.12", "aws-sdk-java/2.25.40 Linux/5.10 OpenJDK_64-Bit_Server_VM/21.0.3")
	monitor := in.role("DynatraceMonitoringRole", "dynatrace-"+in.digits(10), "35.158.2.9", "aws-sdk-java/1.12.700 Linux/5.15 OpenJDK_64-Bit_Server_VM/17")
	ci := in.role("buildkite-deployer", "buildkite-"+in.digits(7), "52.64.1.20", "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 api/ecs#1.41.7")
	in.routineCT(routine{
		appRoles: []*Principal{billing, ledger}, kmsKey: "7b3e9f1a-2c4d-4e6f-8a0b-1c2d3e4f5a6b",
		params:  []string{"/finance/prod/billing/db-endpoint", "/finance/prod/billing/pool-size", "/finance/prod/ledger/db-endpoint"},
		secrets: []string{"rds!db-3f8e1c2a-9b7d-4e6f-a1b2-c3d4e5f6a7b8", "finance/prod/ledger-db-Lk20"}, monitor: monitor, ci: ci,
		ciDeploys:  []deploy{{in.at("02:12:30"), "ledger-service", "ledger-service", 96}, {in.at("03:21:05"), "statements-renderer", "statements-renderer", 141}},
		ecsCluster: "finance", assumeFrom: "ecs-tasks.amazonaws.com",
		assumeRoles: []string{"billing-service-task-role", "ledger-service-task-role", "statements-renderer-task-role"}, readsPerMin: 3,
	})
	rdsArn := func(id string) string { return "arn:aws:rds:ap-southeast-2:209884716530:db:" + id }
	for i, id := range []string{"billing-db", "billing-db-replica-1", "billing-db"} {
		in.ev(snapshot.Add(-time.Duration(120-i*30)*time.Second), dba, "rds", "DescribeDBInstances", map[string]any{"dBInstanceIdentifier": id}, nil)
	}
	in.ev(snapshot, dba, "rds", "CreateDBSnapshot", map[string]any{"dBSnapshotIdentifier": "billing-db-pre-resize-20260506", "dBInstanceIdentifier": "billing-db"},
		map[string]any{"dBSnapshotIdentifier": "billing-db-pre-resize-20260506", "dBInstanceIdentifier": "billing-db", "engine": "postgres", "allocatedStorage": 500, "status": "creating", "port": 5432,
			"availabilityZone": "ap-southeast-2a", "vpcId": "vpc-02c4e6a8b0d1f3579", "instanceCreateTime": "Aug 14, 2024, 3:12:09 AM", "masterUsername": "billing_admin", "engineVersion": "15.6",
			"licenseModel": "postgresql-license", "snapshotType": "manual", "iops": 12000, "encrypted": true, "kmsKeyId": "arn:aws:kms:ap-southeast-2:209884716530:key/7b3e9f1a-2c4d-4e6f-8a0b-1c2d3e4f5a6b",
			"dBSnapshotArn": "arn:aws:rds:ap-southeast-2:209884716530:snapshot:billing-db-pre-resize-20260506", "storageType": "io1", "percentProgress": 0},
		map[string]any{"resources": []map[string]any{{"ARN": rdsArn("billing-db"), "type": "AWS::RDS::DBInstance"}}})
	in.ev(replica, dba, "rds", "ModifyDBInstance", map[string]any{"dBInstanceIdentifier": "billing-db-replica-1", "preferredBackupWindow": "16:00-16:30", "applyImmediately": true, "allowMajorVersionUpgrade": false},
		map[string]any{"dBInstanceIdentifier": "billing-db-replica-1", "dBInstanceClass": "db.r6g.xlarge", "engine": "postgres", "dBInstanceStatus": "available", "preferredBackupWindow": "16:00-16:30",
			"readReplicaSourceDBInstanceIdentifier": "billing-db", "multiAZ": false, "engineVersion": "15.6", "pendingModifiedValues": map[string]any{}, "dBInstanceArn": rdsArn("billing-db-replica-1")},
		map[string]any{"resources": []map[string]any{{"ARN": rdsArn("billing-db-replica-1"), "type": "AWS::RDS::DBInstance"}}})
	in.ev(change.Add(-55*time.Second), dba, "rds", "DescribeOrderableDBInstanceOptions", map[string]any{"engine": "postgres", "engineVersion": "15.6", "vpc": true}, nil)
	in.ev(change, dba, "rds", "ModifyDBInstance", map[string]any{"dBInstanceIdentifier": "billing-db", "dBInstanceClass": "db.r6g.large", "applyImmediately": true, "allowMajorVersionUpgrade": false},
		map[string]any{"dBInstanceIdentifier": "billing-db", "dBInstanceClass": "db.r6g.2xlarge", "engine": "postgres", "dBInstanceStatus": "available", "multiAZ": true, "engineVersion": "15.6",
			"endpoint":              map[string]any{"address": "billing-db.c9x2kq1mzp4v.ap-southeast-2.rds.amazonaws.com", "port": 5432, "hostedZoneId": "Z32T0VRHXEXS0V"},
			"pendingModifiedValues": map[string]any{"dBInstanceClass": "db.r6g.large"}, "readReplicaDBInstanceIdentifiers": []string{"billing-db-replica-1"}, "dBInstanceArn": rdsArn("billing-db")},
		map[string]any{"resources": []map[string]any{{"ARN": rdsArn("billing-db"), "type": "AWS::RDS::DBInstance"}}})
	in.ev(paramGroup, terraform, "rds", "ModifyDBClusterParameterGroup", map[string]any{"dBClusterParameterGroupName": "ledger-apg15", "parameters": []map[string]any{{"parameterName": "log_min_duration_statement", "parameterValue": "500", "applyMethod": "immediate"}, {"parameterName": "idle_in_transaction_session_timeout", "parameterValue": "600000", "applyMethod": "immediate"}}},
		map[string]any{"dBClusterParameterGroupName": "ledger-apg15"})
	// RDS itself reports the class change through EventBridge.
	rdsEvent := func(t time.Time, id, msg, code, cat string) {
		b, _ := json.Marshal(map[string]any{"version": "0", "id": in.uuid(), "detail-type": "RDS DB Instance Event", "source": "aws.rds", "account": in.Account, "time": ctTime(t), "region": in.Region,
			"resources": []string{rdsArn(id)}, "detail": map[string]any{"EventCategories": []string{cat}, "SourceType": "DB_INSTANCE", "SourceArn": rdsArn(id), "Date": iso(t), "Message": msg, "SourceIdentifier": id, "EventID": code}})
		in.log("/aws/events/rds", "ecf8b2e0-"+in.hex(4)+"-3d8c-9a1e-"+in.hex(12), t.Add(2*time.Second), string(b))
	}
	rdsEvent(snapshot.Add(4*time.Second), "billing-db", "Creating manual snapshot", "RDS-EVENT-0091", "backup")
	rdsEvent(snapshot.Add(6*time.Minute+11*time.Second), "billing-db", "Manual snapshot created", "RDS-EVENT-0042", "backup")
	rdsEvent(replica.Add(3*time.Second), "billing-db-replica-1", "Updated backup window to 16:00-16:30", "RDS-EVENT-0016", "configuration change")
	rdsEvent(change.Add(21*time.Second), "billing-db", "Applying modification to database instance class", "RDS-EVENT-0014", "configuration change")
	rdsEvent(failover, "billing-db", "Multi-AZ instance failover started.", "RDS-EVENT-0013", "failover")
	rdsEvent(failoverDone, "billing-db", "Multi-AZ instance failover completed", "RDS-EVENT-0049", "failover")
	rdsEvent(in.at("02:53:27"), "billing-db", "Finished applying modification to DB instance class", "RDS-EVENT-0015", "configuration change")
	in.every(in.Start, in.End, 14*time.Minute, func(t time.Time) {
		rdsEvent(t, "ledger-cluster-instance-1", "Finished updating DB parameter group", "RDS-EVENT-0078", "configuration change")
	})

	// ---- app traffic ----
	tasks := []struct{ ip, id string }{{"10.20.3.44", in.hex(32)}, {"10.20.11.7", in.hex(32)}, {"10.20.19.201", in.hex(32)}}
	ops := [][3]string{{"GET", "/api/v2/accounts/%d/balance", "AccountQueryService.balance"}, {"POST", "/api/v2/invoices", "InvoiceService.create"}, {"GET", "/api/v2/invoices/%d", "InvoiceQueryService.get"}, {"POST", "/api/v2/payments/%d/allocate", "PaymentAllocator.allocate"}}
	in.every(in.Start, in.End, 1300*time.Millisecond, func(t time.Time) {
		task := tasks[in.rng.IntN(3)]
		s := "billing-service/billing-service/" + task.id
		op := ops[in.rng.IntN(len(ops))]
		path := op[1]
		if len(path) > 0 && containsVerb(path) {
			path = fmt.Sprintf(path, 100000+in.rng.IntN(800000))
		}
		thread := fmt.Sprintf("http-nio-8080-exec-%d", 1+in.rng.IntN(60))
		trace := in.traceID(t)
		dur := 25 + in.rng.ExpFloat64()*30
		status := 200
		if op[0] == "POST" {
			status = 201
		}
		switch {
		case !t.Before(failover) && t.Before(failoverDone):
			dur = 100 + in.rng.Float64()*50
			status = 500
			in.log("/ecs/billing-service", s, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("%s ERROR 1 --- [%s] o.h.engine.jdbc.spi.SqlExceptionHelper   : An I/O error occurred while sending to the backend.\norg.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.\n\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:395)\nCaused by: java.io.EOFException: null", t.Format("2006-01-02T15:04:05.000Z"), thread))
		case !t.Before(failoverDone):
			sat := ramp(t, failoverDone, failoverDone.Add(4*time.Minute))
			if in.chance(0.15 + 0.55*sat) {
				status = 500
				if in.chance(0.6) {
					dur = 30000 + in.rng.Float64()*40
					in.log("/ecs/billing-service", s, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("%s  WARN 1 --- [%s] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Connection is not available, request timed out after 30000ms (total=40, active=40, idle=0, waiting=%d)", t.Format("2006-01-02T15:04:05.000Z"), thread, 20+in.rng.IntN(90)))
					in.log("/ecs/billing-service", s, t.Add(time.Duration(dur+1)*time.Millisecond), fmt.Sprintf("%s ERROR 1 --- [%s] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=40, active=40, idle=0, waiting=%d)", t.Format("2006-01-02T15:04:05.000Z"), thread, 20+in.rng.IntN(90)))
				} else {
					dur = 15000 + in.rng.Float64()*30
					in.log("/ecs/billing-service", s, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("%s ERROR 1 --- [%s] o.h.engine.jdbc.spi.SqlExceptionHelper   : ERROR: canceling statement due to statement timeout\norg.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout\n\tat %s", t.Format("2006-01-02T15:04:05.000Z"), thread, op[2]))
				}
			} else {
				dur = 800 + in.rng.Float64()*4000*sat
			}
		}
		end := t.Add(time.Duration(dur) * time.Millisecond)
		in.log("/ecs/billing-service", s, end, fmt.Sprintf("%s  INFO 1 --- [%s] c.a.billing.web.AccessLog                : %s %s %d %dms trace=%s", end.Format("2006-01-02T15:04:05.000Z"), thread, op[0], path, status, int(dur), trace))
		in.albLog(albReq{t: t, client: fmt.Sprintf("10.20.%d.%d:%d", in.rng.IntN(30), in.rng.IntN(250), 1024+in.rng.IntN(60000)), target: task.ip + ":8080", reqT: 0.001, targetT: dur / 1000, rsT: 0,
			elbStatus: status, targetStatus: fmt.Sprint(status), method: op[0], url: "https://billing.internal.acme-finance.com.au:443" + path, agent: in.pick("statements-renderer/3.2", "ledger-service/8.1 (Java/21)", "python-requests/2.31.0"),
			tgArn: tg, traceID: "Root=" + trace, domain: "billing.internal.acme-finance.com.au", cert: "arn:aws:acm:ap-southeast-2:209884716530:certificate/1d3f5a7c-9e2b-4d6f-8a1c-3e5f7a9b1d2e", recv: 300 + in.rng.IntN(600), sent: 200 + in.rng.IntN(3000)}, lbID)
		if in.chance(0.07) {
			seg := map[string]any{"id": in.hex(16), "name": "billing-service", "start_time": epoch(t), "end_time": epoch(end), "origin": "AWS::ECS::Container",
				"http": map[string]any{"request": map[string]any{"method": op[0], "url": "https://billing.internal.acme-finance.com.au" + path}, "response": map[string]any{"status": status}},
				"aws":  map[string]any{"xray": map[string]any{"sdk": "X-Ray for Java", "sdk_version": "2.15.1"}}}
			sql := map[string]any{"id": in.hex(16), "name": "billing@billing-db.c9x2kq1mzp4v.ap-southeast-2.rds.amazonaws.com", "namespace": "remote", "start_time": epoch(t.Add(2 * time.Millisecond)), "end_time": epoch(end.Add(-time.Millisecond)),
				"sql": map[string]any{"url": "jdbc:postgresql://billing-db.c9x2kq1mzp4v.ap-southeast-2.rds.amazonaws.com:5432/billing", "database_type": "PostgreSQL", "database_version": "15.6", "driver_version": "PostgreSQL JDBC Driver 42.7.3", "user": "billing_app", "sanitized_query": "SELECT * FROM invoices WHERE account_id = ?"}}
			if status == 500 {
				seg["fault"] = true
				sql["fault"] = true
				msg := "HikariPool-1 - Connection is not available, request timed out after 30000ms"
				if dur < 20000 {
					msg = "ERROR: canceling statement due to statement timeout"
				}
				sql["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": in.hex(16), "type": "org.postgresql.util.PSQLException", "message": msg, "remote": true}}}
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": in.hex(16), "type": "org.springframework.jdbc.CannotGetJdbcConnectionException", "message": "Failed to obtain JDBC Connection"}}}
			}
			seg["subsegments"] = []map[string]any{sql}
			in.addTrace(trace, end.Sub(t), seg)
		}
	})
	// Pre-existing: a noisy scheduled job fails on one account every few seconds.
	in.every(in.Start, in.End, 5*time.Second, func(t time.Time) {
		s := "billing-service/billing-service/" + tasks[in.rng.IntN(3)].id
		in.log("/ecs/billing-service", s, t, fmt.Sprintf("%s ERROR 1 --- [scheduling-1] c.a.billing.dunning.DunningJob           : Dunning failed for account 448120: com.acme.billing.CurrencyMismatchException: invoice currency NZD does not match account currency AUD", t.Format("2006-01-02T15:04:05.000Z")))
	})
	// PostgreSQL log of billing-db.
	pglog := "/aws/rds/instance/billing-db/postgresql"
	in.every(in.Start, in.End, 6*time.Second, func(t time.Time) {
		pid := 20000 + in.rng.IntN(9000)
		host := tasks[in.rng.IntN(3)].ip
		stream := "billing-db"
		switch {
		case !t.Before(failoverDone) && in.chance(0.8):
			in.log(pglog, stream, t, fmt.Sprintf("%s UTC:%s(%d):billing_app@billing:[%d]:LOG:  duration: %.3f ms  execute <unnamed>: SELECT i.id, i.total, i.status FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE i.account_id = $1 ORDER BY i.issued_at DESC LIMIT 50", t.Format("2006-01-02 15:04:05"), host, 40000+in.rng.IntN(20000), pid, 2000+in.rng.Float64()*12000))
			if in.chance(0.3) {
				in.log(pglog, stream, t.Add(time.Millisecond), fmt.Sprintf("%s UTC:%s(%d):billing_app@billing:[%d]:ERROR:  canceling statement due to statement timeout", t.Format("2006-01-02 15:04:05"), host, 40000+in.rng.IntN(20000), pid))
			}
		case in.chance(0.3):
			in.log(pglog, stream, t, fmt.Sprintf("%s UTC::@:[%d]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled", t.Format("2006-01-02 15:04:05"), 412, 3000+in.rng.IntN(4000), 1+in.rng.Float64()*3, 2+in.rng.IntN(5)))
		default:
			in.log(pglog, stream, t, fmt.Sprintf("%s UTC:%s(%d):billing_app@billing:[%d]:LOG:  duration: %.3f ms  execute <unnamed>: UPDATE payment_allocations SET state = $1 WHERE id = $2", t.Format("2006-01-02 15:04:05"), host, 40000+in.rng.IntN(20000), pid, 500+in.rng.Float64()*300))
		}
	})
	in.every(in.Start, in.End, 40*time.Second, func(t time.Time) {
		in.log(pglog, "billing-db", t, fmt.Sprintf("%s UTC::@:[412]:LOG:  checkpoints are occurring too frequently (%d seconds apart)", t.Format("2006-01-02 15:04:05"), 18+in.rng.IntN(10)))
	})
	// failover: connections are cut
	in.log(pglog, "billing-db", failoverDone.Add(3*time.Second), failoverDone.Add(3*time.Second).Format("2006-01-02 15:04:05")+" UTC::@:[398]:LOG:  database system is ready to accept connections")
	// ledger-service, unaffected.
	in.every(in.Start, in.End, 3*time.Second, func(t time.Time) {
		in.log("/ecs/ledger-service", "ledger-service/ledger-service/"+tasks[0].id[:8]+"ab12cd34ef56ab78cd90ef12ab34", t, fmt.Sprintf(`{"ts":"%s","level":"info","msg":"posted journal batch","batch":%d,"entries":%d,"ms":%d}`, iso(t), 90000+in.rng.IntN(9999), 10+in.rng.IntN(200), 20+in.rng.IntN(80)))
	})

	// ---- metrics ----
	small := func(t time.Time) float64 { return ramp(t, failoverDone, failoverDone.Add(90*time.Second)) }
	db := func(id string) [][2]string { return [][2]string{{"DBInstanceIdentifier", id}} }
	in.metric(series{ns: "AWS/RDS", name: "CPUUtilization", unit: "Percent", dims: db("billing-db"), fn: func(t time.Time) float64 {
		if !t.Before(failover.Truncate(time.Minute)) && t.Before(failoverDone) {
			return nanv()
		}
		return min(99.7, in.noise(31, 0.08)+67*small(t))
	}})
	in.metric(series{ns: "AWS/RDS", name: "DatabaseConnections", unit: "Count", dims: db("billing-db"), fn: func(t time.Time) float64 { return in.noise(96, 0.05) + 24*small(t) }})
	in.metric(series{ns: "AWS/RDS", name: "ReadLatency", unit: "Seconds", dims: db("billing-db"), fn: func(t time.Time) float64 { return in.noise(0.0011, 0.2) + 0.012*small(t)*in.noise(1, 0.3) }})
	in.metric(series{ns: "AWS/RDS", name: "FreeableMemory", unit: "Bytes", dims: db("billing-db"), stats: []string{"Average", "Minimum"}, fn: func(t time.Time) float64 { return in.noise(2.1e10, 0.01) - 1.75e10*small(t) }})
	in.metric(series{ns: "AWS/RDS", name: "CPUUtilization", unit: "Percent", dims: db("billing-db-replica-1"), fn: func(t time.Time) float64 {
		return in.noise(12, 0.1) + 40*(ramp(t, in.at("03:00:00"), in.at("03:02:00"))-ramp(t, in.at("03:15:00"), in.at("03:17:00")))
	}})
	in.metric(series{ns: "AWS/RDS", name: "CPUUtilization", unit: "Percent", dims: [][2]string{{"DBClusterIdentifier", "ledger-cluster"}}, fn: func(t time.Time) float64 { return in.noise(24, 0.1) }})
	alb := [][2]string{{"LoadBalancer", lbID}}
	one := func(time.Time) float64 { return 1 }
	in.metric(series{ns: "AWS/ApplicationELB", name: "TargetResponseTime", unit: "Seconds", dims: alb, stats: []string{"Average", "Maximum"}, fn: func(t time.Time) float64 { return in.noise(0.045, 0.2) + 14*small(t) }})
	in.metric(series{ns: "AWS/ApplicationELB", name: "HTTPCode_Target_5XX_Count", unit: "Count", dims: alb, stats: []string{"Sum"}, samples: one, fn: func(t time.Time) float64 {
		if t.Before(failover.Truncate(time.Minute)) {
			return nanv()
		}
		return float64(int(in.noise(30, 0.2) * (0.3 + 0.7*small(t))))
	}})
	in.metric(series{ns: "AWS/ECS", name: "CPUUtilization", unit: "Percent", dims: [][2]string{{"ClusterName", "finance"}, {"ServiceName", "statements-renderer"}}, fn: func(t time.Time) float64 {
		return in.noise(18, 0.1) + 50*ramp(t, in.at("03:21:00"), in.at("03:24:00"))
	}})

	// ---- alarms ----
	p99At := in.at("02:50:20")
	cpuAt := in.at("02:51:04")
	in.metricAlarm(map[string]any{"AlarmName": "billing-api-p99-latency", "AlarmDescription": "p99 of billing-alb target response time above 2 s", "Namespace": "AWS/ApplicationELB", "MetricName": "TargetResponseTime", "Dimensions": dims("LoadBalancer", lbID),
		"ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Threshold": 2.0, "ComparisonOperator": "GreaterThanThreshold", "Unit": "Seconds"},
		"ALARM", p99At, "Threshold Crossed: 2 out of the last 3 datapoints [30.04 (06/05/26 02:49:00), 29.87 (06/05/26 02:48:00)] were greater than the threshold (2.0) (minimum 2 datapoints for OK -> ALARM transition).", nil)
	in.stateChange("billing-api-p99-latency", "MetricAlarm", p99At, "OK", "ALARM", "Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold (2.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "billing-db-cpu-high", "Namespace": "AWS/RDS", "MetricName": "CPUUtilization", "Dimensions": dims("DBInstanceIdentifier", "billing-db"), "Statistic": "Average", "Period": 60, "EvaluationPeriods": 3, "Threshold": 90.0, "ComparisonOperator": "GreaterThanThreshold"},
		"ALARM", cpuAt, "Threshold Crossed: 3 out of the last 3 datapoints [99.7 (06/05/26 02:50:00), 99.6 (06/05/26 02:49:00), 97.1 (06/05/26 02:48:00)] were greater than the threshold (90.0).", nil)
	in.stateChange("billing-db-cpu-high", "MetricAlarm", cpuAt, "OK", "ALARM", "Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (90.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "billing-db-replica-lag", "Namespace": "AWS/RDS", "MetricName": "ReplicaLag", "Dimensions": dims("DBInstanceIdentifier", "billing-db-replica-1"), "Statistic": "Maximum", "Period": 60, "EvaluationPeriods": 5, "Threshold": 300.0, "ComparisonOperator": "GreaterThanThreshold"},
		"OK", in.Start.Add(-5*24*time.Hour), "Threshold Crossed: 5 datapoints were not greater than the threshold (300.0).", nil)

	in.setTruth("capacity", "billing-api-p99-latency", "ModifyDBInstance", change, "billing-db", onset,
		[][2]any{{"CreateDBSnapshot", snapshot}, {"ModifyDBInstance", replica}, {"ModifyDBClusterParameterGroup", paramGroup}},
		"ModifyDBInstance", "db.r6g.large", "Connection is not available, request timed out after 30000ms", "billing-db")
	return in
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 'd' {
			return true
		}
	}
	return false
}
