package main

import (
	"fmt"
	"time"
)

// secretRotation: the first scheduled rotation of prod/orders/mysql-app
// (enabled a week ago) runs. The rotation function creates AWSPENDING,
// sets the new password in Aurora MySQL and tests it, then fails in
// finishSecret: its role may not call UpdateSecretVersionStage. AWSCURRENT
// keeps the old password the database no longer accepts. Existing pooled
// connections keep working; every new connection gets "Access denied for
// user 'orders_app'". Decoys: a description change of the same secret by
// Terraform 29 min earlier, a PutSecretValue of another secret 8 min before.
func secretRotation(s *snap) {
	s.region, s.account = "ap-southeast-2", "264918305771"
	s.start = time.Date(2026, 11, 24, 3, 15, 0, 0, time.UTC)
	s.end = s.start.Add(2 * time.Hour)
	s.title = "orders: settlement failures and checkout errors"
	s.arch = "orders-api (Spring Boot 3, ECS Fargate, 3 tasks, HikariCP pool 10, maxLifetime 30 min) and the orders-settlement Lambda (python3.11, pymysql) use Aurora MySQL cluster orders-prod with credentials from Secrets Manager secret prod/orders/mysql-app (rotation by Lambda orders-mysql-rotation, single-user strategy)."

	secName := "prod/orders/mysql-app"
	secArn := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-Qm3vX9", s.region, s.account, secName)
	rotFn := "orders-mysql-rotation"
	rot := s.role("orders-mysql-rotation-role", rotFn, "13.54.211.80", "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython exec-env/AWS_Lambda_python3.11 cfg/retry-mode#legacy Botocore/1.34.144")
	tf := s.role("atlantis-apply", "atlantis-orders-"+s.hex(6), "10.40.2.19", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/secretsmanager#1.34.5")
	human := s.sso("DeveloperAccess", "lachlan.brooks@parcelpoint.com.au", "203.219.46.12")
	ops := s.sso("AdministratorAccess", "mei.tanaka@parcelpoint.com.au", "203.219.46.30")
	ci := s.role("buildkite-deploy", "buildkite-"+s.hex(8), "54.206.10.5", "aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.1.115 md/arch#x86_64 lang/python#3.12.7 exec-env/buildkite")
	s.noise(noiseCfg{ci: ci, humans: []principal{human, ops}, lambdaRoles: []string{"orders-settlement-role", "orders-mysql-rotation-role", "label-printer-role"}, taskRoles: []string{"orders-api-task", "ecsTaskExecutionRole"},
		ecrRepos: []string{"orders-api", "label-printer", "tracking-web"}, logGroups: []string{"/aws/lambda/orders-settlement", "/aws/lambda/label-printer"},
		instances: []string{"i-0a7c3e91f2b4d5068"}, secretReads: []string{"prod/orders/mysql-app", "prod/tracking/redis"}, monitoring: true, eventsPerMin: 6})

	descAt := time.Date(2026, 11, 24, 3, 31, 22, 0, time.UTC)
	otherAt := time.Date(2026, 11, 24, 3, 52, 40, 0, time.UTC)
	rootAt := time.Date(2026, 11, 24, 4, 0, 7, 0, time.UTC)
	setAt := rootAt.Add(5 * time.Second) // ALTER USER committed
	secRes := [2]string{"AWS::SecretsManager::Secret", secArn}

	s.event(descAt, tf, "secretsmanager.amazonaws.com", "UpdateSecret", false, map[string]any{"secretId": secArn, "description": "Aurora MySQL orders-prod application user (rotated weekly, single-user)"}, map[string]any{"arn": secArn, "name": secName}, secRes)
	s.event(descAt.Add(3*time.Second), tf, "secretsmanager.amazonaws.com", "TagResource", false, map[string]any{"secretId": secArn, "tags": []any{map[string]any{"key": "owner", "value": "orders-team"}}}, nil, secRes)
	other := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/notify/sendgrid-api-key-L8pT2c", s.region, s.account)
	s.event(otherAt, human, "secretsmanager.amazonaws.com", "PutSecretValue", false, map[string]any{"secretId": other, "clientRequestToken": s.uuid()}, map[string]any{"arn": other, "name": "prod/notify/sendgrid-api-key", "versionId": s.uuid(), "versionStages": []string{"AWSCURRENT"}}, [2]string{"AWS::SecretsManager::Secret", other})

	rotate := func(at time.Time, token string, first bool) {
		if first {
			s.event(at, service("secretsmanager.amazonaws.com"), "secretsmanager.amazonaws.com", "RotateSecret", false, map[string]any{"secretId": secArn, "clientRequestToken": token}, map[string]any{"arn": secArn, "name": secName, "versionId": token}, secRes)
		}
		r := s.event(at.Add(time.Second), service("secretsmanager.amazonaws.com"), "secretsmanager.amazonaws.com", "RotationStarted", false, nil, nil, secRes)
		r["eventType"], r["serviceEventDetails"] = "AwsServiceEvent", map[string]any{"secretId": secArn}
		delete(r, "requestID")
		c := at.Add(2 * time.Second)
		s.event(c, rot, "secretsmanager.amazonaws.com", "DescribeSecret", true, map[string]any{"secretId": secArn}, nil, secRes)
		s.event(c.Add(300*time.Millisecond), rot, "secretsmanager.amazonaws.com", "GetSecretValue", true, map[string]any{"secretId": secArn, "versionStage": "AWSCURRENT"}, nil, secRes)
		if first {
			s.event(c.Add(600*time.Millisecond), rot, "secretsmanager.amazonaws.com", "GetRandomPassword", true, map[string]any{"excludeCharacters": "/@\"'\\"}, nil)
			s.event(c.Add(900*time.Millisecond), rot, "secretsmanager.amazonaws.com", "PutSecretValue", false, map[string]any{"secretId": secArn, "clientRequestToken": token, "versionStages": []string{"AWSPENDING"}},
				map[string]any{"arn": secArn, "name": secName, "versionId": token, "versionStages": []string{"AWSPENDING"}}, secRes)
		} else {
			s.event(c.Add(600*time.Millisecond), rot, "secretsmanager.amazonaws.com", "GetSecretValue", true, map[string]any{"secretId": secArn, "versionId": token, "versionStage": "AWSPENDING"}, nil, secRes)
		}
		s.event(c.Add(3*time.Second), rot, "secretsmanager.amazonaws.com", "GetSecretValue", true, map[string]any{"secretId": secArn, "versionId": token, "versionStage": "AWSPENDING"}, nil, secRes)
		s.event(c.Add(6*time.Second), rot, "secretsmanager.amazonaws.com", "GetSecretValue", true, map[string]any{"secretId": secArn, "versionId": token, "versionStage": "AWSPENDING"}, nil, secRes)
		s.event(c.Add(8*time.Second), rot, "secretsmanager.amazonaws.com", "DescribeSecret", true, map[string]any{"secretId": secArn}, nil, secRes)
		d := s.event(c.Add(8500*time.Millisecond), rot, "secretsmanager.amazonaws.com", "UpdateSecretVersionStage", false, map[string]any{"secretId": secArn, "versionStage": "AWSCURRENT", "moveToVersionId": token, "removeFromVersionId": "0b7e2f41-93c8-4d1a-a6e5-1f2c3d4e5f60"}, nil, secRes)
		d["errorCode"] = "AccessDenied"
		d["errorMessage"] = fmt.Sprintf("User: arn:aws:sts::%s:assumed-role/orders-mysql-rotation-role/%s is not authorized to perform: secretsmanager:UpdateSecretVersionStage on resource: %s because no identity-based policy allows the secretsmanager:UpdateSecretVersionStage action", s.account, rotFn, secArn)
		f := s.event(c.Add(10*time.Second), service("secretsmanager.amazonaws.com"), "secretsmanager.amazonaws.com", "RotationFailed", false, nil, nil, secRes)
		f["eventType"], f["serviceEventDetails"] = "AwsServiceEvent", map[string]any{"secretId": secArn}
		delete(f, "requestID")

		// The rotation function's own log (the AWS template's messages).
		g := "/aws/lambda/" + rotFn
		st := at.Format("2006/01/02") + "/[$LATEST]" + s.hex(32)
		step := func(t time.Time, name string, lines ...string) {
			rid := s.uuid()
			s.log(g, st, t, "START RequestId: "+rid+" Version: $LATEST")
			for i, l := range lines {
				s.log(g, st, t.Add(time.Duration(100+i*200)*time.Millisecond), fmt.Sprintf(l, rid))
			}
			s.log(g, st, t.Add(time.Second), "END RequestId: "+rid)
			s.log(g, st, t.Add(time.Second+time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: 78 MB\t", rid, 812.4+s.rng.Float64()*300, 813+s.rng.Intn(300)))
			_ = name
		}
		ts := func(t time.Time) string { return isoMs(t) }
		if first {
			step(c, "createSecret", "[INFO]\t"+ts(c)+"\t%s\tcreateSecret: Successfully put secret for ARN "+secArn+" and version "+token+".")
		} else {
			step(c, "createSecret", "[INFO]\t"+ts(c)+"\t%s\tcreateSecret: Successfully retrieved secret for "+secArn+".")
		}
		step(c.Add(3*time.Second), "setSecret", "[INFO]\t"+ts(c.Add(3*time.Second))+"\t%s\tsetSecret: Successfully set password for user orders_app in MySQL DB for secret arn "+secArn+".")
		step(c.Add(6*time.Second), "testSecret", "[INFO]\t"+ts(c.Add(6*time.Second))+"\t%s\ttestSecret: Successfully signed into MySQL DB with AWSPENDING secret in "+secArn+".")
		step(c.Add(8*time.Second), "finishSecret",
			"[ERROR] ClientError: An error occurred (AccessDeniedException) when calling the UpdateSecretVersionStage operation: "+d["errorMessage"].(string)+"\nTraceback (most recent call last):\n  File \"/var/task/lambda_function.py\", line 95, in lambda_handler\n    finish_secret(service_client, arn, token)\n  File \"/var/task/lambda_function.py\", line 273, in finish_secret\n    service_client.update_secret_version_stage(SecretId=arn, VersionStage=\"AWSCURRENT\", MoveToVersionId=token, RemoveFromVersionId=current_version)\n  File \"/var/lang/lib/python3.11/site-packages/botocore/client.py\", line 565, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n  File \"/var/lang/lib/python3.11/site-packages/botocore/client.py\", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)")
	}
	token := s.uuid()
	rotate(rootAt, token, true)
	rotate(rootAt.Add(31*time.Minute+12*time.Second), token, false) // Secrets Manager retries

	// orders-settlement Lambda: a new connection per execution environment.
	lg := "/aws/lambda/orders-settlement"
	inv, errs := series{}, series{}
	var onset time.Time
	type env struct {
		stream string
		broken bool
	}
	envs := []env{}
	for i := 0; i < 4; i++ {
		envs = append(envs, env{stream: s.start.Format("2006/01/02") + "/[$LATEST]" + s.hex(32)})
	}
	s.sim(time.Second, func(t time.Time) {
		if s.rng.Float64() > 0.09 {
			return
		}
		at := s.jitter(t, time.Second)
		rid := s.uuid()
		i := s.rng.Intn(len(envs))
		cold := s.rng.Intn(14) == 0
		if cold {
			e := env{stream: at.Format("2006/01/02") + "/[$LATEST]" + s.hex(32), broken: at.After(setAt)}
			envs[i] = e
			s.log(lg, e.stream, at.Add(-400*time.Millisecond), "INIT_START Runtime Version: python:3.11.v52\tRuntime Version ARN: arn:aws:lambda:ap-southeast-2::runtime:7c9b1f0e4d2a")
		}
		e := envs[i]
		inv.inc(at)
		batch := 880000 + s.rng.Intn(9000)
		s.log(lg, e.stream, at, "START RequestId: "+rid+" Version: $LATEST")
		dur := 180 + s.rng.Float64()*400
		switch {
		case e.broken:
			// A failed connect is not cached: the environment stays broken.
			if onset.IsZero() {
				onset = at
			}
			errs.inc(at)
			dur = 40 + s.rng.Float64()*20
			ip := fmt.Sprintf("10.40.%d.%d", 33+i, 12+i*7)
			s.log(lg, e.stream, at.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("[ERROR] OperationalError: (1045, \"Access denied for user 'orders_app'@'%s' (using password: YES)\")\nTraceback (most recent call last):\n  File \"/var/task/settlement/handler.py\", line 34, in handler\n    conn = db.connect()\n  File \"/var/task/settlement/db.py\", line 19, in connect\n    return pymysql.connect(host=cfg[\"host\"], user=cfg[\"username\"], password=cfg[\"password\"], database=\"orders\", connect_timeout=5)\n  File \"/var/task/pymysql/connections.py\", line 361, in __init__\n    self.connect()\n  File \"/var/task/pymysql/connections.py\", line 669, in connect\n    self._request_authentication()\n  File \"/var/task/pymysql/connections.py\", line 957, in _request_authentication\n    auth_packet = self._read_packet()\n  File \"/var/task/pymysql/connections.py\", line 775, in _read_packet\n    packet.raise_for_error()\n  File \"/var/task/pymysql/protocol.py\", line 219, in raise_for_error\n    err.raise_mysql_exception(self._data)\n  File \"/var/task/pymysql/err.py\", line 150, in raise_mysql_exception\n    raise errorclass(errno, errval)", ip))
		case s.rng.Intn(25) == 0:
			s.log(lg, e.stream, at.Add(50*time.Millisecond), fmt.Sprintf("[WARNING]\t%s\t%s\tsettlement batch %d has 0 rows, skipping", isoMs(at.Add(50*time.Millisecond)), rid, batch))
		default:
			s.log(lg, e.stream, at.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tsettled batch %d: %d parcels, carrier=%s", isoMs(at.Add(time.Duration(dur)*time.Millisecond)), rid, batch, 5+s.rng.Intn(200), s.pick("auspost", "startrack", "couriersplease", "aramex")))
		}
		s.log(lg, e.stream, at.Add(time.Duration(dur+2)*time.Millisecond), "END RequestId: "+rid)
		s.log(lg, e.stream, at.Add(time.Duration(dur+3)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", rid, dur, int(dur)+1, 96+s.rng.Intn(30)))
	})

	// orders-api: Spring Boot, HikariCP connections retire after 30 min and
	// cannot be replaced; requests fail once a task's pool runs dry.
	ag := "/ecs/orders-api"
	req5, reqs, dbconn, loginFail := series{}, series{}, series{}, series{}
	type pool struct {
		stream, ip string
		expiry     []time.Time
	}
	var pools []pool
	for k := 0; k < 3; k++ {
		p := pool{stream: "orders-api/orders-api/" + s.hex(32), ip: fmt.Sprintf("10.40.%d.%d", 12+k, 77+k*9)}
		for c := 0; c < 10; c++ {
			p.expiry = append(p.expiry, s.start.Add(-baseline).Add(time.Duration(s.rng.Intn(1800))*time.Second))
		}
		pools = append(pools, p)
	}
	spring := func(p pool, at time.Time, level, thread, logger, msg string) {
		s.log(ag, p.stream, at, fmt.Sprintf("%s %5s 1 --- [orders-api] [%15s] %-40s : %s", isoMs(at), level, thread, logger, msg))
	}
	s.sim(time.Second, func(t time.Time) {
		total := 0
		for k := range pools {
			p := &pools[k]
			for c := range p.expiry {
				if p.expiry[c].IsZero() {
					continue
				}
				if !t.Before(p.expiry[c]) {
					if t.After(setAt) {
						p.expiry[c] = time.Time{} // retired; the replacement is refused
						loginFail.inc(t)
						continue
					}
					p.expiry[c] = t.Add(30*time.Minute - time.Duration(s.rng.Intn(40))*time.Second)
				}
			}
			live := 0
			for _, e := range p.expiry {
				if !e.IsZero() {
					live++
				}
			}
			total += live
			if t.After(setAt) && live < 10 && t.Second()%30 == k*7 {
				loginFail.inc(t) // Hikari's housekeeper tries to refill minimumIdle
			}
			for i := s.poisson(0.9); i > 0; i-- {
				at := s.jitter(t, time.Second)
				reqs.inc(at)
				thread := fmt.Sprintf("nio-8080-exec-%d", 1+s.rng.Intn(20))
				busy := 10 - live
				if live == 0 || busy > 0 && s.rng.Intn(12) < busy-3 {
					req5.inc(at)
					if onset.IsZero() {
						onset = at
					}
					spring(*p, at.Add(30*time.Second), "WARN", thread, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: 08001")
					spring(*p, at.Add(30*time.Second+time.Millisecond), "ERROR", thread, "o.h.engine.jdbc.spi.SqlExceptionHelper", "HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=2)")
					spring(*p, at.Add(30*time.Second+3*time.Millisecond), "ERROR", thread, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", fmt.Sprintf("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.orm.jpa.JpaSystemException: Unable to acquire JDBC Connection [HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=2)] [n/a]] with root cause\n\njava.sql.SQLException: Access denied for user 'orders_app'@'%s' (using password: YES)\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:121)\n\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)\n\tat com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)\n\tat com.mysql.cj.jdbc.ConnectionImpl.<init>(ConnectionImpl.java:438)\n\tat com.mysql.cj.jdbc.ConnectionImpl.getInstance(ConnectionImpl.java:241)\n\tat com.mysql.cj.jdbc.NonRegisteringDriver.connect(NonRegisteringDriver.java:189)\n\tat com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:137)\n\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)\n\tat com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:202)\n\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:461)\n\tat com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)\n\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)", p.ip))
					continue
				}
				switch {
				case s.rng.Intn(300) == 0:
					spring(*p, at, "WARN", thread, "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 1213, SQLState: 40001")
					spring(*p, at, "ERROR", thread, "o.h.engine.jdbc.spi.SqlExceptionHelper", "Deadlock found when trying to get lock; try restarting transaction")
					req5.inc(at)
				case s.rng.Intn(6) == 0:
					spring(*p, at, "INFO", thread, "c.p.orders.web.OrderController", fmt.Sprintf("order PP%08d status=%s carrier=%s", s.rng.Intn(99999999), s.pick("LABELLED", "IN_TRANSIT", "DELIVERED"), s.pick("auspost", "startrack")))
				}
			}
		}
		dbconn.add(t, float64(total+6))
	})
	s.metric("AWS/Lambda", "Invocations", [][2]string{{"FunctionName", "orders-settlement"}}, "Count", inv.countDP)
	s.metric("AWS/Lambda", "Errors", [][2]string{{"FunctionName", "orders-settlement"}}, "Count", ratioDP(errs, inv))
	s.metric("AWS/Lambda", "Errors", [][2]string{{"FunctionName", rotFn}}, "Count", func(t time.Time) (dp, bool) {
		for _, x := range []time.Time{rootAt, rootAt.Add(31*time.Minute + 12*time.Second)} {
			if t.Equal(x.Truncate(time.Minute)) {
				return dp{n: 4, sum: 1, max: 1}, true
			}
		}
		return dp{}, false
	})
	tg := [][2]string{{"TargetGroup", "targetgroup/orders-api/2b9d4f6a8c0e1a3b"}, {"LoadBalancer", "app/orders-alb/7c2e9a4b1d3f5e60"}}
	s.metric("AWS/ApplicationELB", "RequestCount", tg, "Count", reqs.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, "Count", req5.countDP)
	db := [][2]string{{"DBClusterIdentifier", "orders-prod"}}
	s.metric("AWS/RDS", "DatabaseConnections", db, "Count", func(t time.Time) (dp, bool) {
		d, ok := dbconn.statDP(t)
		d.p99 = 0
		return d, ok
	})
	s.metric("AWS/RDS", "LoginFailures", db, "Count/Second", func(t time.Time) (dp, bool) { v := loginFail.sum(t) / 60; return gauge(1, v, v, v), true })
	s.metric("AWS/RDS", "CPUUtilization", db, "Percent", func(t time.Time) (dp, bool) {
		v := 22 + 6*s.rng.Float64()
		if t.Minute() >= 20 && t.Minute() < 26 {
			v += 30 // the hourly reporting job
		}
		return gauge(1, v, v, v), true
	})

	fired, recent := firstBreach(errs.sum, s.start, s.end, 3, 3, 1, false, 48*time.Second)
	s.alarm(alarmSpec{name: "orders-settlement-errors", desc: "orders-settlement Lambda errors > 1/min for 3 minutes", ns: "AWS/Lambda", metric: "Errors", stat: "Sum", op: "GreaterThanThreshold",
		dims: [][2]string{{"FunctionName", "orders-settlement"}}, period: 60, evals: 3, toAlarm: 3, threshold: 1, firedAt: fired, recent: recent, actions: []string{"arn:aws:sns:ap-southeast-2:264918305771:orders-oncall"}})
	s.okAlarm("orders-prod-cpu-high", "AWS/RDS", "CPUUtilization", "Average", "GreaterThanThreshold", db, 80)
	s.responders(ops, fired)

	s.truth = map[string]any{"name": s.name, "kind": "secret-rotation", "alarm": "orders-settlement-errors",
		"root_cause": map[string]any{"event_name": "RotateSecret", "event_time": iso(rootAt), "resource": secName},
		"onset":      iso(onset.Truncate(time.Minute)),
		"decoys": []map[string]any{
			{"event_name": "UpdateSecret", "event_time": iso(descAt)},
			{"event_name": "TagResource", "event_time": iso(descAt.Add(3 * time.Second))},
			{"event_name": "PutSecretValue", "event_time": iso(otherAt)},
		},
		"signals": []string{"Access denied for user 'orders_app'", secName}}
}
