package main

import (
	"fmt"
	"time"
)

// mysqlLock: nothing changed in the account. An engineer runs a one-off
// backfill UPDATE on the accounts table from a bastion with the mysql
// client; it holds row locks on the whole table for 26 minutes. Writers in
// three services hit "Lock wait timeout exceeded", connection pools fill,
// the API returns 5xx. A deploy 6 minutes earlier and a manual DB snapshot
// are decoys.
func mysqlLock(root string) {
	day := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	at := func(h, m, sec int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
	}
	s := newSnap("mysql-migration-holds-table-lock", 1205, "273004918265", "us-east-2", at(13, 10, 0), at(15, 5, 0))
	s.albName, s.albID, s.certID = "accounts-alb", "2d7f90c1e8a34b65", "b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d"
	s.title = "accounts-api 5xx and latency"
	s.arch = "accounts-api (Java 21, Spring Boot, HikariCP pool of 20, ECS behind accounts-alb), billing-worker (Python, pymysql) and notifications (Go, go-sql-driver/mysql) share the RDS MySQL 8.0 instance accounts-db. Engineers reach the database from a bastion host with the mysql client."
	migStart := at(14, 31, 40)
	migEnd := at(14, 58, 2)
	onset := at(14, 32, 0)
	fired := at(14, 36, 0)
	deployRegT, deployT := at(14, 25, 31), at(14, 25, 40)
	snapT := at(14, 12, 5)
	ci := s.role("github-actions-deploy", "GitHubActions", "20.55.14.201", "aws-cli/2.17.50 Python/3.12.6 Linux/6.5.0-1025-azure exe/x86_64.ubuntu.22 command/ecs.update-service")
	ana := s.sso("DBA", "ana.r@payroute.io", "177.92.40.3")
	s.routineTrail([]string{"accounts-api-task", "billing-worker-task", "notifications-task"}, []string{"accounts-api", "billing-worker", "notifications"}, []who{ana, s.sso("Developer", "kenji.s@payroute.io", "126.77.3.91")})
	s.trail(snapT, ana, "rds.amazonaws.com", "CreateDBSnapshot", false, map[string]any{"dBSnapshotIdentifier": "accounts-db-pre-backfill-20261121", "dBInstanceIdentifier": "accounts-db"},
		map[string]any{"dBSnapshotIdentifier": "accounts-db-pre-backfill-20261121", "dBInstanceIdentifier": "accounts-db", "engine": "mysql", "status": "creating", "engineVersion": "8.0.39", "snapshotType": "manual"}, nil)
	for i := 0; i < 8; i++ {
		s.trail(snapT.Add(time.Duration(60+i*90)*time.Second), ana, "rds.amazonaws.com", "DescribeDBSnapshots", true, map[string]any{"dBSnapshotIdentifier": "accounts-db-pre-backfill-20261121"}, nil, nil)
	}
	s.trail(deployRegT, ci, "ecs.amazonaws.com", "RegisterTaskDefinition", false, map[string]any{"family": "accounts-api", "containerDefinitions": []map[string]any{{"name": "app", "image": "273004918265.dkr.ecr.us-east-2.amazonaws.com/accounts-api:sha-4e1b9a2", "cpu": 1024, "memory": 2048}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:us-east-2:273004918265:task-definition/accounts-api:212", "revision": 212}}, nil)
	s.trail(deployT, ci, "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "payments", "service": "accounts-api", "taskDefinition": "accounts-api:212", "forceNewDeployment": false}, nil, nil)

	// accounts-api: logback lines, Spring stack traces.
	oldStreams := []string{"ecs/app/0c1d5e7a9b", "ecs/app/7f2e4a1c3d"}
	newStreams := []string{"ecs/app/b84d2f0e61", "ecs/app/e19a7c3b52"}
	deployed := at(14, 27, 10)
	stream := func(t time.Time) string {
		if t.Before(deployed) {
			return oldStreams[s.rng.Intn(2)]
		}
		return newStreams[s.rng.Intn(2)]
	}
	jlog := func(t time.Time, lvl, logger, msg string) {
		s.log("/ecs/accounts-api", stream(t), t, fmt.Sprintf("%s %-5s 1 --- [nio-8080-exec-%d] %s : %s", t.Format("2006-01-02T15:04:05.000Z"), lvl, 1+s.rng.Intn(200), logger, msg))
	}
	for i, st := range newStreams {
		t := at(14, 26, 20).Add(time.Duration(i*25) * time.Second)
		s.log("/ecs/accounts-api", st, t, fmt.Sprintf("%s INFO  1 --- [           main] c.p.accounts.AccountsApplication         : Started AccountsApplication in 14.%d seconds (process running for 15.9)", t.Format("2006-01-02T15:04:05.000Z"), 2+i))
	}
	lockTrace := func(sql string) string {
		return fmt.Sprintf("Request processing failed: org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL [%s]; Lock wait timeout exceeded; try restarting transaction\n\tat org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:266)\n\tat org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator.translate(AbstractFallbackSQLExceptionTranslator.java:107)\n\tat org.springframework.jdbc.core.JdbcTemplate.translateException(JdbcTemplate.java:1548)\n\tat org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:1005)\n\tat io.payroute.accounts.repo.AccountRepository.touch(AccountRepository.java:88)\n\tat io.payroute.accounts.web.AccountController.update(AccountController.java:61)\nCaused by: com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Lock wait timeout exceeded; try restarting transaction\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:123)\n\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)\n\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:912)\n\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeUpdateInternal(ClientPreparedStatement.java:1054)\n\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)\n\t... 58 common frames omitted", sql)
	}
	targets := []string{"10.40.21.14:8080", "10.40.22.87:8080"}
	reqs, t5, lat := map[int64]int{}, map[int64]int{}, map[int64][]float64{}
	locked := func(t time.Time) bool { return !t.Before(migStart) && t.Before(migEnd) }
	waiting := 0
	s.every(1400*time.Millisecond, func(t time.Time) {
		client := fmt.Sprintf("10.40.%d.%d:%d", 1+s.rng.Intn(3), s.rng.Intn(250), 40000+s.rng.Intn(20000))
		write := s.rng.Intn(3) == 0
		path := fmt.Sprintf("/v2/accounts/%d", 100000+s.rng.Intn(900000))
		method := "GET"
		if write {
			method = "PUT"
		}
		dur := 0.012 + s.rng.Float64()*0.03
		st := "200"
		end := t
		switch {
		case locked(t) && write:
			dur, st = 50.0+s.rng.Float64()*0.2, "500"
			end = t.Add(50 * time.Second)
			if end.After(migEnd) {
				dur, st = migEnd.Sub(t).Seconds()+0.02, "200"
				end = migEnd
			} else {
				jlog(end, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]    ", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception ["+lockTrace("UPDATE accounts SET display_name = ?, updated_at = ? WHERE id = ?")+"]")
			}
		case locked(t) && t.After(migStart.Add(90*time.Second)) && s.rng.Intn(3) > 0:
			// the pool is full of writers waiting on the lock
			dur, st = 30.0+s.rng.Float64()*0.1, "500"
			end = t.Add(30 * time.Second)
			jlog(end, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]    ", "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting="+fmt.Sprint(30+s.rng.Intn(25))+")\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)")
		case write && s.rng.Intn(500) == 0:
			st = "500"
			jlog(t, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]    ", "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: org.springframework.dao.DeadlockLoserDataAccessException: PreparedStatementCallback; SQL [UPDATE accounts SET balance_cents = ? WHERE id = ?]; Deadlock found when trying to get lock; try restarting transaction] with root cause\ncom.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Deadlock found when trying to get lock; try restarting transaction\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:123)")
		}
		if end.Equal(t) {
			end = t.Add(time.Duration(dur * float64(time.Second)))
		}
		m := end.Truncate(time.Minute).Unix()
		reqs[t.Truncate(time.Minute).Unix()]++
		lat[m] = append(lat[m], dur)
		if st == "500" {
			t5[m]++
		}
		s.albLog(end, client, targets[s.rng.Intn(2)], 0.001, dur, 0.000, st, st, 420, 880, method, "accounts.internal.payroute.io", path, "okhttp/4.12.0", "arn:aws:elasticloadbalancing:us-east-2:273004918265:targetgroup/accounts-api/71c0e4d9a2b3f815", "-")
		if st == "200" && s.rng.Intn(4) == 0 {
			jlog(end, "INFO", "i.p.accounts.web.AccessLog               ", fmt.Sprintf("%s %s -> %s in %.0fms", method, path, st, dur*1000))
		}
	})
	_ = waiting
	// deploy: a few connection resets while old tasks drain
	for i := 0; i < 3; i++ {
		t := at(14, 26, 31).Add(time.Duration(i*9) * time.Second)
		s.albLog(t, "10.40.2.11:51234", targets[0], -1, -1, -1, "502", "-", 420, 272, "GET", "accounts.internal.payroute.io", "/v2/accounts/418822", "okhttp/4.12.0", "arn:aws:elasticloadbalancing:us-east-2:273004918265:targetgroup/accounts-api/71c0e4d9a2b3f815", "-")
	}
	// billing-worker: python logging with tracebacks
	s.every(6*time.Second, func(t time.Time) {
		inv := 700000 + s.rng.Intn(99999)
		if locked(t) && s.rng.Intn(2) == 0 {
			e := t.Add(50 * time.Second)
			if e.After(migEnd) {
				return
			}
			s.log("/ecs/billing-worker", "ecs/billing-worker/3a9d", e, fmt.Sprintf("%s ERROR billing.worker: charge %d failed, will retry\nTraceback (most recent call last):\n  File \"/app/billing/worker.py\", line 142, in settle\n    cur.execute(\"UPDATE accounts SET balance_cents = balance_cents - %%s WHERE id = %%s\", (amount, account_id))\n  File \"/usr/local/lib/python3.12/site-packages/pymysql/cursors.py\", line 153, in execute\n    result = self._query(query)\n  File \"/usr/local/lib/python3.12/site-packages/pymysql/connections.py\", line 575, in _read_query_result\n    result.read()\n  File \"/usr/local/lib/python3.12/site-packages/pymysql/err.py\", line 150, in raise_mysql_exception\n    raise errorclass(errno, errval)\npymysql.err.OperationalError: (1205, 'Lock wait timeout exceeded; try restarting transaction')", e.Format("2006-01-02 15:04:05,000"), inv))
			return
		}
		s.log("/ecs/billing-worker", "ecs/billing-worker/3a9d", t, fmt.Sprintf("%s INFO billing.worker: settled invoice %d in %dms", t.Format("2006-01-02 15:04:05,000"), inv, 20+s.rng.Intn(80)))
	})
	// a nightly-batch straggler hit one lock timeout at 13:41, long before
	s.log("/ecs/billing-worker", "ecs/billing-worker/3a9d", at(13, 41, 7), at(13, 41, 7).Format("2006-01-02 15:04:05,000")+" ERROR billing.worker: charge 712044 failed, will retry\nTraceback (most recent call last):\n  File \"/app/billing/worker.py\", line 142, in settle\n    cur.execute(\"UPDATE accounts SET balance_cents = balance_cents - %s WHERE id = %s\", (amount, account_id))\npymysql.err.OperationalError: (1205, 'Lock wait timeout exceeded; try restarting transaction')")
	// notifications: zap JSON
	s.every(9*time.Second, func(t time.Time) {
		f := map[string]any{"level": "info", "ts": float64(t.UnixNano()) / 1e9, "caller": "notify/store.go:77", "msg": "marked notification sent", "account_id": 100000 + s.rng.Intn(900000)}
		if locked(t) && s.rng.Intn(3) == 0 {
			e := t.Add(50 * time.Second)
			if e.After(migEnd) {
				return
			}
			f = map[string]any{"level": "error", "ts": float64(e.UnixNano()) / 1e9, "caller": "notify/store.go:81", "msg": "update last_notified_at", "error": "Error 1205 (HY000): Lock wait timeout exceeded; try restarting transaction", "stacktrace": "main.(*Store).MarkSent\n\t/src/notify/store.go:81\nmain.(*Worker).run\n\t/src/notify/worker.go:54"}
			t = e
		}
		s.log("/ecs/notifications", "ecs/notifications/9e01", t, js(f))
	})
	// The slow query log names the statement once it ends (killed by the DBA).
	s.log("/aws/rds/instance/accounts-db/slowquery", "accounts-db", migEnd, fmt.Sprintf("# Time: %s\n# User@Host: migrator[migrator] @  [10.40.3.17]  Id: 88213\n# Query_time: 1582.330551  Lock_time: 0.000142 Rows_sent: 0  Rows_examined: 48211904\nuse accounts;\nSET timestamp=%d;\nUPDATE accounts SET region_code = (SELECT r.code FROM regions r WHERE r.country = accounts.country) WHERE region_code IS NULL;", migEnd.Format("2006-01-02T15:04:05.000000Z"), migStart.Unix()))
	s.every(4*time.Minute, func(t time.Time) {
		s.log("/aws/rds/instance/accounts-db/slowquery", "accounts-db", t, fmt.Sprintf("# Time: %s\n# User@Host: reporting[reporting] @  [10.40.9.2]  Id: %d\n# Query_time: %.6f  Lock_time: 0.000051 Rows_sent: 120  Rows_examined: 1842210\nSET timestamp=%d;\nSELECT country, COUNT(*) FROM accounts GROUP BY country;", t.Format("2006-01-02T15:04:05.000000Z"), 80000+s.rng.Intn(9000), 2.1+s.rng.Float64(), t.Unix()))
	})

	db := []dim{{"DBInstanceIdentifier", "accounts-db"}}
	s.series("AWS/RDS", "DatabaseConnections", db, "Count", func(t time.Time) (float64, float64, bool) {
		v := s.noise(46, 0.08)
		if locked(t) {
			v = 46 + 100*minf(t.Sub(migStart).Minutes()/3, 1) + s.rng.Float64()*6
		}
		return v, 1, true
	})
	s.series("AWS/RDS", "CPUUtilization", db, "Percent", func(t time.Time) (float64, float64, bool) {
		v := s.noise(24, 0.15)
		if locked(t) {
			v = s.noise(58, 0.1)
		}
		return v, 1, true
	})
	s.series("AWS/RDS", "ReadIOPS", db, "Count/Second", func(t time.Time) (float64, float64, bool) {
		v := s.noise(420, 0.2)
		if t.After(snapT) && t.Before(snapT.Add(4*time.Minute)) {
			v = s.noise(1900, 0.1)
		}
		return v, 1, true
	})
	s.series("AWS/RDS", "WriteLatency", db, "Seconds", func(t time.Time) (float64, float64, bool) {
		v := s.noise(0.0012, 0.2)
		if t.After(snapT) && t.Before(snapT.Add(4*time.Minute)) {
			v = s.noise(0.006, 0.2)
		}
		return v, 1, true
	})
	lb := []dim{{"LoadBalancer", "app/accounts-alb/2d7f90c1e8a34b65"}}
	s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", func(t time.Time) (float64, float64, bool) { v := t5[t.Unix()]; return float64(v), 1, v > 0 })
	s.series("AWS/ApplicationELB", "RequestCount", lb, "Count", func(t time.Time) (float64, float64, bool) { return float64(reqs[t.Unix()]), 1, true })
	s.series("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", func(t time.Time) (float64, float64, bool) {
		l := lat[t.Unix()]
		if len(l) == 0 {
			return 0, 0, false
		}
		sum := 0.0
		for _, x := range l {
			sum += x
		}
		return sum / float64(len(l)), float64(len(l)), true
	})
	s.alarm("accounts-api-5xx", "accounts-api: target 5xx >= 5 a minute for 3 minutes", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 5, "GreaterThanOrEqualToThreshold", 3, at(2, 10, 0), fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [24.0 (21/11/26 14:35:00), 21.0 (21/11/26 14:34:00), 16.0 (21/11/26 14:33:00)] were greater than or equal to the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.okAlarm("accounts-db-cpu", "AWS/RDS", "CPUUtilization", "Average", db, 80, "GreaterThanOrEqualToThreshold")
	s.write(root, map[string]any{
		"kind": "database-lock-no-change", "alarm": "accounts-api-5xx", "no_change": true,
		"onset":   ts(onset),
		"decoys":  []map[string]any{{"event_name": "UpdateService", "event_time": ts(deployT)}, {"event_name": "RegisterTaskDefinition", "event_time": ts(deployRegT)}, {"event_name": "CreateDBSnapshot", "event_time": ts(snapT)}},
		"signals": []string{"Lock wait timeout exceeded"},
	})
}

func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}
