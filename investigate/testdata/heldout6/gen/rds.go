package main

import (
	"fmt"
	"math"
	"time"
)

// rdsStorageFull: nothing changed. A logical replication slot left behind
// by a DMS task stopped last week keeps every WAL segment, and the RDS
// PostgreSQL instance's free storage falls steadily for hours until
// inserts fail with "could not extend file ... No space left on device".
// Storage autoscaling is off and no alarm watches free storage; the page
// comes from the ALB 5xx alarm. The account sees a parameter-group tweak,
// a manual snapshot, deploys and, after the page, a new alarm.
func rdsStorageFull() *inc {
	start, end := ts("2026-11-25T19:00:00Z"), ts("2026-11-26T00:05:00Z")
	acct := "265108437920"
	i := newInc("rds-storage-full", 6606, "eu-central-1", acct, start, end,
		"orders-api: order creation failing with 500",
		"orders-api (ECS Fargate, Java 21 / Spring Boot, behind ALB orders-alb) stores orders in the RDS for PostgreSQL 16 instance orders-pg-prod (db.r6g.xlarge, 200 GiB gp3, storage autoscaling off, parameter group orders-pg16-params). A DMS task (orders-cdc-to-redshift) replicated changes to Redshift through a logical replication slot until it was stopped on 2026-11-18. Deploys come from GitHub Actions (role github-actions-deploy).")
	db := "orders-pg-prod"
	full := ts("2026-11-25T23:41:10Z")    // free storage reaches the floor
	freeAt := func(t time.Time) float64 { // bytes
		gb := 14.6 * (1 - t.Sub(start).Seconds()/full.Sub(start).Seconds())
		return math.Max(gb*1e9, 38e6+float64(i.r.Intn(20e6)))
	}

	i.noise(noiseCfg{lambdaRoles: []string{"orders-outbox-relay-role"}, taskRoles: []string{"orders-api-task"}, ecrRepos: []string{"orders-api", "orders-admin"},
		secrets: []string{"prod/orders/db-credentials"}, perMinute: 1})
	dba := i.sso("DatabaseAdministrator", "h.schulz@northwind-retail.com")
	i.ct(ev{t: ts("2026-11-25T19:12:40Z"), who: dba, source: "rds.amazonaws.com", name: "ModifyDBParameterGroup", ip: "62.157.88.21", agent: "AWS Internal",
		req:  map[string]any{"dBParameterGroupName": "orders-pg16-params", "parameters": []any{map[string]any{"parameterName": "idle_in_transaction_session_timeout", "parameterValue": "600000", "applyMethod": "immediate"}}},
		resp: map[string]any{"dBParameterGroupName": "orders-pg16-params"}})
	i.ct(ev{t: ts("2026-11-25T22:31:05Z"), who: dba, source: "rds.amazonaws.com", name: "CreateDBSnapshot", ip: "62.157.88.21", agent: "AWS Internal",
		req:  map[string]any{"dBSnapshotIdentifier": "orders-pg-prod-pre-migration-20261125", "dBInstanceIdentifier": db},
		resp: map[string]any{"dBSnapshotIdentifier": "orders-pg-prod-pre-migration-20261125", "dBInstanceIdentifier": db, "status": "creating", "allocatedStorage": 200, "engine": "postgres", "engineVersion": "16.4"}})
	for _, t := range []string{"19:11:58", "19:13:30", "22:30:12", "22:47:51", "23:47:02", "23:49:40"} {
		i.ct(ev{t: ts("2026-11-25T" + t + "Z"), who: dba, source: "rds.amazonaws.com", name: i.pick("DescribeDBInstances", "DescribeDBParameters", "DescribeDBSnapshots", "DescribeEvents"), readOnly: true,
			ip: "62.157.88.21", agent: "AWS Internal", req: map[string]any{"dBInstanceIdentifier": db}})
	}
	ci := i.role(acct, "github-actions-deploy", "GitHubActions")
	for k, t := range []string{"2026-11-25T20:14:22Z", "2026-11-25T23:28:44Z"} {
		d := ts(t)
		td := fmt.Sprintf("arn:aws:ecs:eu-central-1:%s:task-definition/orders-api:%d", acct, 311+k)
		i.ct(ev{t: d.Add(-4 * time.Second), who: ci, source: "ecs.amazonaws.com", name: "RegisterTaskDefinition", ip: "4.210.177.3",
			req: map[string]any{"family": "orders-api", "cpu": "1024", "memory": "2048"}, resp: map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": td, "revision": 311 + k}}})
		i.ct(ev{t: d, who: ci, source: "ecs.amazonaws.com", name: "UpdateService", ip: "4.210.177.3",
			req:  map[string]any{"cluster": "orders-prod", "service": "orders-api", "taskDefinition": td},
			resp: map[string]any{"service": map[string]any{"serviceName": "orders-api", "desiredCount": 4}}})
	}
	oncall := i.sso("PowerUserAccess", "b.adeyemi@northwind-retail.com")
	i.ct(ev{t: ts("2026-11-25T23:52:18Z"), who: oncall, source: "monitoring.amazonaws.com", name: "PutMetricAlarm", ip: "31.16.202.77", agent: "AWS Internal",
		req: map[string]any{"alarmName": "orders-pg-prod-free-storage-low", "metricName": "FreeStorageSpace", "namespace": "AWS/RDS", "statistic": "Minimum", "period": 300, "threshold": 2.0e10,
			"comparisonOperator": "LessThanThreshold", "evaluationPeriods": 1, "dimensions": []any{map[string]any{"name": "DBInstanceIdentifier", "value": db}}}})
	i.truth = map[string]any{"kind": "no-change", "alarm": "orders-api-target-5xx", "no_change": true,
		"decoys": []any{change0("ModifyDBParameterGroup", "2026-11-25T19:12:40Z"), change0("CreateDBSnapshot", "2026-11-25T22:31:05Z"),
			change0("UpdateService", "2026-11-25T23:28:44Z"), change0("UpdateService", "2026-11-25T20:14:22Z"), change0("PutMetricAlarm", "2026-11-25T23:52:18Z")},
		"signals": []string{"No space left on device", "could not extend file", db}}

	pg := "/aws/rds/instance/orders-pg-prod/postgresql"
	pgStream := "orders-pg-prod.0"
	app := "/ecs/orders-api"
	tasks := []struct{ stream, ip string }{}
	for k := 0; k < 4; k++ {
		tasks = append(tasks, struct{ stream, ip string }{"orders-api/app/" + i.hex(32), fmt.Sprintf("10.31.%d.%d", 12+k%3, 40+k*9)})
	}
	lbID := "app/orders-alb/1f6a2d9c04be7731"
	tg := "arn:aws:elasticloadbalancing:eu-central-1:" + acct + ":targetgroup/orders-api-tg/03c7e55b9a1d4f28"
	cert := "arn:aws:acm:eu-central-1:" + acct + ":certificate/2d9e4f71-6c3a-4b8e-9f05-e1a7c3d2b640"
	pgPrefix := func(t time.Time, ip string, pid int) string {
		return fmt.Sprintf("%s:%s(%d):orders_app@orders:[%d]:", t.Format("2006-01-02 15:04:05 UTC"), ip, 40000+i.r.Intn(20000), pid)
	}
	fail5, reqs, writes := map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}
	var onset time.Time
	rel := "2770834"
	i.everyMinute(func(m time.Time) {
		n := int(i.poisson(18 + 6*math.Sin(m.Sub(start).Minutes()/40)))
		for k := 0; k < n; k++ {
			tk := tasks[i.r.Intn(len(tasks))]
			t0 := i.jitter(m, time.Minute)
			pid := 20000 + i.r.Intn(15000)
			order := fmt.Sprintf("DE-%08d", 41000000+i.r.Intn(999999))
			reqs[m]++
			free := freeAt(t0)
			// near the floor, some relation extensions fail first, then all
			failP := 0.0
			if free < 400e6 {
				failP = math.Min(1, (400e6-free)/360e6)
			}
			d := time.Duration(40+i.r.Intn(80)) * time.Millisecond
			client := fmt.Sprintf("%d.%d.%d.%d:%d", 80+i.r.Intn(100), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255), 30000+i.r.Intn(30000))
			if i.r.Float64() < failP {
				te := t0.Add(d)
				pfx := pgPrefix(te, tk.ip, pid)
				i.log(pg, pgStream, te, pfx+`ERROR:  could not extend file "base/16401/`+rel+`": No space left on device`)
				i.log(pg, pgStream, te, pfx+"HINT:  Check free disk space.")
				i.log(pg, pgStream, te, pfx+"STATEMENT:  insert into order_events (created_at,order_id,payload,type,id) values ($1,$2,$3,$4,$5)")
				i.log(app, tk.stream, te.Add(3*time.Millisecond), fmt.Sprintf(`%s ERROR 1 --- [orders-api] [nio-8080-exec-%d] o.h.engine.jdbc.spi.SqlExceptionHelper   : ERROR: could not extend file "base/16401/%s": No space left on device
  Hint: Check free disk space.`, te.Format("2006-01-02T15:04:05.000Z"), 1+i.r.Intn(20), rel))
				i.log(app, tk.stream, te.Add(5*time.Millisecond), fmt.Sprintf(`%s ERROR 1 --- [orders-api] [nio-8080-exec-%d] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataAccessResourceFailureException: could not execute statement [ERROR: could not extend file "base/16401/%s": No space left on device
  Hint: Check free disk space.] [insert into order_events (created_at,order_id,payload,type,id) values (?,?,?,?,?)]; SQL [insert into order_events (created_at,order_id,payload,type,id) values (?,?,?,?,?)]] with root cause

org.postgresql.util.PSQLException: ERROR: could not extend file "base/16401/%s": No space left on device
  Hint: Check free disk space.
	at org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)
	at org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2420)
	at org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)
	at com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)
	at com.northwind.orders.OrderService.create(OrderService.java:87)`, te.Format("2006-01-02T15:04:05.000Z"), 1+i.r.Intn(20), rel, rel))
				fail5[te.Truncate(time.Minute)]++
				if onset.IsZero() || te.Before(onset) {
					onset = te
				}
				i.albLog(lbID, t0, client, tk.ip+":8080", 0.001, d.Seconds()+0.004, 0, 500, 500, 1650, 388, "POST https://api.northwind-retail.de:443/v1/orders HTTP/2.0", "okhttp/4.12.0", tg, i.traceID(t0), "api.northwind-retail.de", cert, "forward", "-")
				continue
			}
			writes[m]++
			te := t0.Add(d)
			if i.r.Intn(40) == 0 { // a client retries with the same key, before and during
				pfx := pgPrefix(te, tk.ip, pid)
				i.log(pg, pgStream, te, pfx+`ERROR:  duplicate key value violates unique constraint "orders_idempotency_key_key"`)
				i.log(pg, pgStream, te, pfx+`DETAIL:  Key (idempotency_key)=(`+i.uuid()+`) already exists.`)
				i.log(app, tk.stream, te.Add(2*time.Millisecond), fmt.Sprintf("%s  WARN 1 --- [orders-api] [nio-8080-exec-%d] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: 23505", te.Format("2006-01-02T15:04:05.000Z"), 1+i.r.Intn(20)))
				i.albLog(lbID, t0, client, tk.ip+":8080", 0.001, d.Seconds(), 0, 409, 409, 1650, 210, "POST https://api.northwind-retail.de:443/v1/orders HTTP/2.0", "okhttp/4.12.0", tg, i.traceID(t0), "api.northwind-retail.de", cert, "forward", "-")
				continue
			}
			i.log(app, tk.stream, te, fmt.Sprintf("%s  INFO 1 --- [orders-api] [nio-8080-exec-%d] c.n.orders.OrderController               : order created id=%s items=%d total=%d.%02d EUR", te.Format("2006-01-02T15:04:05.000Z"), 1+i.r.Intn(20), order, 1+i.r.Intn(5), 10+i.r.Intn(300), i.r.Intn(100)))
			i.albLog(lbID, t0, client, tk.ip+":8080", 0.001, d.Seconds(), 0, 201, 201, 1650, 512, "POST https://api.northwind-retail.de:443/v1/orders HTTP/2.0", "okhttp/4.12.0", tg, i.traceID(t0), "api.northwind-retail.de", cert, "forward", "-")
		}
		for k := 0; k < int(i.poisson(14)); k++ {
			tk := tasks[i.r.Intn(len(tasks))]
			t0 := i.jitter(m, time.Minute)
			d := time.Duration(8+i.r.Intn(30)) * time.Millisecond
			if m.After(ts("2026-11-25T21:00:00Z")) && m.Before(ts("2026-11-25T21:20:00Z")) {
				d += time.Duration(200+i.r.Intn(900)) * time.Millisecond // the finance export slows reads
			}
			reqs[m]++
			i.albLog(lbID, t0, fmt.Sprintf("%d.%d.%d.%d:%d", 80+i.r.Intn(100), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255), 30000+i.r.Intn(30000)), tk.ip+":8080", 0.001, d.Seconds(), 0, 200, 200, 380, 2890, "GET https://api.northwind-retail.de:443/v1/orders/"+fmt.Sprintf("DE-%08d", 41000000+i.r.Intn(999999))+" HTTP/2.0", "okhttp/4.12.0", tg, i.traceID(t0), "api.northwind-retail.de", cert, "forward", "-")
		}
		// postgres housekeeping and pre-existing errors
		if m.Minute()%5 == 0 {
			t := m.Add(time.Duration(i.r.Intn(3000)) * time.Millisecond)
			i.log(pg, pgStream, t, fmt.Sprintf("%s::@:[%d]:LOG:  checkpoint starting: time", t.Format("2006-01-02 15:04:05 UTC"), 412))
			t2 := t.Add(time.Duration(150+i.r.Intn(90)) * time.Second)
			i.log(pg, pgStream, t2, fmt.Sprintf("%s::@:[%d]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=%.3f s, sync=0.004 s, total=%.3f s; sync files=%d, longest=0.002 s, average=0.001 s; distance=%d kB, estimate=%d kB; lsn=5A/%X, redo lsn=5A/%X",
				t2.Format("2006-01-02 15:04:05 UTC"), 412, 1800+i.r.Intn(1200), 1.2+i.r.Float64(), i.r.Intn(3), 150+i.r.Float64()*80, 150.2+i.r.Float64()*80, 40+i.r.Intn(30), 160000+i.r.Intn(60000), 190000+i.r.Intn(20000), i.r.Uint32(), i.r.Uint32()))
		}
		if i.r.Intn(9) == 0 {
			t := i.jitter(m, time.Minute)
			pfx := pgPrefix(t, "10.31.12.40", 20000+i.r.Intn(15000))
			i.log(pg, pgStream, t, pfx+"ERROR:  canceling statement due to statement timeout")
			i.log(pg, pgStream, t, pfx+"STATEMENT:  select o.id, o.status, sum(l.amount) from orders o join order_lines l on l.order_id = o.id where o.created_at > $1 group by o.id, o.status")
		}
		if m.Minute()%20 == 7 {
			t := m.Add(time.Duration(i.r.Intn(50)) * time.Second)
			i.log(pg, pgStream, t, fmt.Sprintf("%s::@:[%d]:LOG:  automatic vacuum of table \"orders.public.order_events\": index scans: 1", t.Format("2006-01-02 15:04:05 UTC"), 30000+i.r.Intn(2000)))
		}
	})
	// the HikariCP pool runs dry once during the finance export
	t := ts("2026-11-25T21:09:41.512Z")
	i.log(app, tasks[2].stream, t, t.Format("2006-01-02T15:04:05.000Z")+"  WARN 1 --- [orders-api] [nio-8080-exec-14] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: 08001")
	i.log(app, tasks[2].stream, t.Add(time.Millisecond), t.Format("2006-01-02T15:04:05.000Z")+" ERROR 1 --- [orders-api] [nio-8080-exec-14] o.h.engine.jdbc.spi.SqlExceptionHelper   : HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=11)")
	i.truth["onset"] = onset.Format(time.RFC3339)

	dbd := dims("DBInstanceIdentifier", db)
	i.metric("AWS/RDS", "FreeStorageSpace", "Bytes", dbd, func(m time.Time) (float64, float64) { return freeAt(m.Add(30 * time.Second)), 1 })
	i.metric("AWS/RDS", "TransactionLogsDiskUsage", "Bytes", dbd, func(m time.Time) (float64, float64) {
		return 171.2e9 + (14.6e9-math.Max(freeAt(m), 0))*0.97, 1
	})
	i.metric("AWS/RDS", "OldestReplicationSlotLag", "Bytes", dbd, func(m time.Time) (float64, float64) {
		return 170.9e9 + (14.6e9 - math.Max(freeAt(m), 0)), 1
	})
	i.metric("AWS/RDS", "CPUUtilization", "Percent", dbd, func(m time.Time) (float64, float64) {
		base := 18.0
		if m.After(ts("2026-11-25T21:00:00Z")) && m.Before(ts("2026-11-25T21:20:00Z")) {
			base = 71
		}
		return i.noisy(base, 0.12), 1
	})
	i.metric("AWS/RDS", "WriteIOPS", "Count/Second", dbd, func(m time.Time) (float64, float64) { return 140 + writes[m]*6*(0.8+0.4*i.r.Float64()), 1 })
	i.metric("AWS/RDS", "DatabaseConnections", "Count", dbd, func(m time.Time) (float64, float64) { return float64(78 + i.r.Intn(6)), 1 })
	alb := dims("LoadBalancer", lbID)
	i.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", alb, func(m time.Time) (float64, float64) { return fail5[m], 1 })
	i.metric("AWS/ApplicationELB", "RequestCount", "Count", alb, func(m time.Time) (float64, float64) { return reqs[m], 1 })
	var fired time.Time
	var val float64
	run := 0
	for m := start; m.Before(end); m = m.Add(time.Minute) {
		if fail5[m] > 10 {
			run++
		} else {
			run = 0
		}
		if run == 2 && fired.IsZero() {
			fired, val = m.Add(time.Minute+41*time.Second), fail5[m]
		}
	}
	i.alarm(alarmSpec{name: "orders-api-target-5xx", desc: "orders-api 5xx through orders-alb", ns: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", stat: "Sum",
		cmp: "GreaterThanThreshold", unit: "Count", dims: alb, threshold: 10, period: 60, evalPeriods: 2, datapoints: 2, fired: fired, value: val,
		actions: []string{"arn:aws:sns:eu-central-1:" + acct + ":orders-oncall"}})
	return i
}
