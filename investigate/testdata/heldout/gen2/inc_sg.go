package main

import (
	"fmt"
	"time"
)

// sgIngressRevoked: a network admin tidies security groups and revokes the
// rule that lets the orders-api tasks reach the Aurora PostgreSQL cluster on
// 5432. Pooled connections keep working until HikariCP retires them; new
// ones time out.
func sgIngressRevoked() *world {
	w := newWorld("sg-ingress-revoked", 1401, "eu-central-1", "482915037164", ts("2026-10-14T13:20:00Z"), 95)
	w.title = "orders-api returning 500s, checkout failing"
	w.arch = "Internet-facing ALB orders-alb → ECS Fargate service orders-api (Spring Boot 3, Java 21, HikariCP pool of 10) in cluster prod-core → Aurora PostgreSQL cluster orders-db (writer orders-db-instance-1) inside VPC prod-vpc. catalog-api (Node.js) and notifications-worker run in the same cluster. Security groups: orders-api-tasks (sg-07b1e5d9a3c2f4e68) → orders-db-sg (sg-0c4e2a9b7d1f35a86) on 5432. VPC flow logs to /vpc/prod-vpc/flowlogs."
	change := ts("2026-10-14T14:21:47Z")
	onset := ts("2026-10-14T14:25:29Z")
	alarmAt := ts("2026-10-14T14:28:04Z")

	appSG, dbSG, bastionSG := "sg-07b1e5d9a3c2f4e68", "sg-0c4e2a9b7d1f35a86", "sg-0a9d4f2c81e7b3056"
	dbHost := "orders-db.cluster-c8xk2lq1mzrt.eu-central-1.rds.amazonaws.com"
	dbIP := "10.20.8.54"
	lb := "app/orders-alb/9f3c1a7e52d04b68"
	w.albName = lb
	tg := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/orders-api-tg/2b7e4c9d1a6f3085", w.region, w.account)
	tasks := w.tasks(3)
	for i := range tasks {
		tasks[i].ip = fmt.Sprintf("10.20.%d.%d", 1+i, 17+i*23)
	}

	// ---- orders-api traffic: ALB log, app log, X-Ray ----
	group := "/ecs/orders-api"
	paths := []struct{ m, p string }{{"GET", "/v1/orders/%d"}, {"POST", "/v1/orders"}, {"GET", "/v1/orders?customer=C-%d"}, {"PUT", "/v1/orders/%d/address"}}
	for t := w.start; t.Before(w.end); t = t.Add(1100*time.Millisecond + w.jitter(1200*time.Millisecond)) {
		task := tasks[w.r.Intn(len(tasks))]
		stream := "orders-api/orders-api/" + task.id
		p := paths[w.r.Intn(len(paths))]
		path := p.p
		if p.p != "/v1/orders" {
			path = fmt.Sprintf(p.p, 100000+w.r.Intn(900000))
		}
		// After the rule is gone, a request fails when it needs a fresh
		// connection; the share grows as Hikari retires pooled ones.
		failP := 0.0
		if !t.Before(onset) {
			failP = 0.25 + 0.6*ramp(t, onset, onset.Add(9*time.Minute))
		}
		fails := w.r.Float64() < failP
		dur := time.Duration(30+w.r.Intn(90)) * time.Millisecond
		status := 200
		if p.m == "POST" {
			status = 201
		}
		if w.r.Float64() < 0.01 {
			status = 404
		}
		if fails {
			dur = 30*time.Second + time.Duration(w.r.Intn(40))*time.Millisecond
			status = 500
		}
		end := t.Add(dur)
		tid := w.traceID(t)
		thread := fmt.Sprintf("nio-8080-exec-%d", 1+w.r.Intn(40))
		if fails {
			w.logLines(group, stream, end, springDBFailure(end, thread, dbHost))
		} else {
			w.log(group, stream, end, fmt.Sprintf("%s  INFO 1 --- [orders-api] [%15s] c.n.orders.web.OrderController           : %s %s -> %d in %dms", end.UTC().Format("2006-01-02T15:04:05.000Z"), thread, p.m, path, status, dur.Milliseconds()))
		}
		w.albLog(fmt.Sprintf("10.20.0.%d_%s", 11+w.r.Intn(2)*16, "2f8k1c9z"), albReq{t: end, client: w.publicIP() + fmt.Sprintf(":%d", 1024+w.r.Intn(60000)), target: task.ip + ":8080",
			reqT: 0, tgtT: dur.Seconds(), respT: 0, elbCode: fmt.Sprint(status), tgtCode: fmt.Sprint(status), recv: 300 + w.r.Intn(900), sent: 200 + w.r.Intn(3000),
			method: p.m, url: "https://api.northwind-logistics.com:443" + path, proto: "HTTP/1.1", ua: w.pick("okhttp/4.12.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", "NorthwindCheckout/5.3.1 (Android 15)"),
			tg: tg, traceID: tid, domain: "api.northwind-logistics.com"})
		if w.r.Float64() < 0.06 || (fails && w.r.Float64() < 0.25) {
			seg := map[string]any{"id": w.hex(16), "name": "orders-api", "start_time": secs(t), "end_time": secs(end), "origin": "AWS::ECS::Container",
				"http":    map[string]any{"request": map[string]any{"method": p.m, "url": "https://api.northwind-logistics.com" + path, "client_ip": w.publicIP(), "x_forwarded_for": true, "user_agent": "okhttp/4.12.0"}, "response": map[string]any{"status": status, "content_length": 180 + w.r.Intn(2000)}},
				"aws":     map[string]any{"ecs": map[string]any{"container": "ip-" + task.ip, "container_id": task.id + "-1734" + w.hex(6), "task_arn": fmt.Sprintf("arn:aws:ecs:%s:%s:task/prod-core/%s", w.region, w.account, task.id), "cluster": "prod-core"}, "xray": map[string]any{"sdk_version": "2.18.1", "sdk": "X-Ray for Java"}},
				"service": map[string]any{"runtime": "OpenJDK 64-Bit Server VM", "runtime_version": "21.0.5"}}
			sub := map[string]any{"id": w.hex(16), "name": "orders@" + dbHost, "start_time": secs(t.Add(3 * time.Millisecond)), "end_time": secs(end.Add(-2 * time.Millisecond)), "namespace": "remote",
				"sql": map[string]any{"url": "jdbc:postgresql://" + dbHost + ":5432/orders", "database_type": "PostgreSQL", "database_version": "15.7", "driver_version": "PostgreSQL JDBC Driver 42.7.4", "user": "orders_app", "preparation": "prepared"}}
			if fails {
				e := w.exc("java.net.SocketTimeoutException", "Connect timed out", true, "sun.nio.ch.NioSocketImpl.timedFinishConnect NioSocketImpl.java:546", "org.postgresql.core.PGStream.createSocket PGStream.java:243", "com.zaxxer.hikari.pool.HikariPool.createPoolEntry HikariPool.java:476")
				sub["fault"] = true
				sub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{e}}
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{w.exc("org.springframework.jdbc.CannotGetJdbcConnectionException", "Failed to obtain JDBC Connection", false, "org.springframework.jdbc.datasource.DataSourceUtils.getConnection DataSourceUtils.java:84")}}
			}
			seg["subsegments"] = []any{sub}
			w.trace(tid, dur.Seconds(), seg)
		}
		// Health checks from both ALB nodes.
	}
	for _, task := range tasks {
		stream := "orders-api/orders-api/" + task.id
		w.each(w.start, w.end, 11*time.Minute, func(t time.Time) {
			w.log(group, stream, t, fmt.Sprintf("%s  WARN 1 --- [orders-api] [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m%ds%dms).", t.UTC().Format("2006-01-02T15:04:05.000Z"), 1+w.r.Intn(9), w.r.Intn(999)))
		})
		// Loud, old: the carrier's quote API fails and we fall back.
		w.each(w.start, w.end, 70*time.Second, func(t time.Time) {
			th := fmt.Sprintf("nio-8080-exec-%d", 1+w.r.Intn(40))
			w.logLines(group, stream, t, []string{
				fmt.Sprintf("%s ERROR 1 --- [orders-api] [%15s] c.n.orders.shipping.CarrierQuoteClient   : carrier quote failed for %s, falling back to flat rate", t.UTC().Format("2006-01-02T15:04:05.000Z"), th, w.pick("DHL", "DPD", "GLS")),
				"org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable: \"{\"error\":\"upstream rate limited\"}\"",
				"\tat org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:114)",
				"\tat org.springframework.web.client.StatusHandler.lambda$fromStatusCode$1(StatusHandler.java:71)",
				"\tat org.springframework.web.client.DefaultRestClient$DefaultResponseSpec.toEntityInternal(DefaultRestClient.java:653)",
				"\tat com.northwind.orders.shipping.CarrierQuoteClient.quote(CarrierQuoteClient.java:58)",
				"\tat com.northwind.orders.service.OrderService.price(OrderService.java:131)",
				"\t... 87 common frames omitted",
			})
		})
		w.each(w.start, w.end, 5*time.Minute, func(t time.Time) {
			w.log(group, stream, t, fmt.Sprintf("%s  INFO 1 --- [orders-api] [   scheduling-1] c.n.orders.outbox.OutboxRelay            : relayed %d outbox events to notifications", t.UTC().Format("2006-01-02T15:04:05.000Z"), w.r.Intn(60)))
		})
	}
	// Hikari notices the broken pool a little after the first request does.
	for i, task := range tasks {
		stream := "orders-api/orders-api/" + task.id
		w.each(onset.Add(time.Duration(20+i*40)*time.Second), w.end, 45*time.Second, func(t time.Time) {
			w.log(group, stream, t, fmt.Sprintf("%s  WARN 1 --- [orders-api] [onnection adder] com.zaxxer.hikari.pool.PoolBase          : HikariPool-1 - Pool is empty, failed to create/setup connection (2cf1%s)", t.UTC().Format("2006-01-02T15:04:05.000Z"), w.hex(4)))
		})
	}

	// ---- catalog-api (Node) and its deploy (decoy) ----
	catDeploy := ts("2026-10-14T14:23:10Z")
	oldCat, newCat := w.tasks(2), w.tasks(2)
	for t := w.start; t.Before(w.end); t = t.Add(900*time.Millisecond + w.jitter(1400*time.Millisecond)) {
		set := oldCat
		if t.After(catDeploy.Add(95 * time.Second)) {
			set = newCat
		}
		task := set[w.r.Intn(2)]
		w.log("/ecs/catalog-api", "catalog/catalog-api/"+task.id, t, fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"ip-%s","req":{"method":"GET","url":"/catalog/items/%d"},"res":{"statusCode":200},"responseTime":%d,"msg":"request completed"}`, t.UnixMilli(), task.ip, 1000+w.r.Intn(8000), 3+w.r.Intn(30)))
	}
	for _, task := range newCat {
		t0 := catDeploy.Add(70*time.Second + w.jitter(20*time.Second))
		w.log("/ecs/catalog-api", "catalog/catalog-api/"+task.id, t0, fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"ip-%s","msg":"catalog-api v2.31.0 listening on :3000"}`, t0.UnixMilli(), task.ip))
		w.log("/ecs/catalog-api", "catalog/catalog-api/"+task.id, t0.Add(2*time.Second), fmt.Sprintf(`{"level":40,"time":%d,"pid":1,"hostname":"ip-%s","msg":"cache warmup skipped: redis not ready, retrying in 5s"}`, t0.Add(2*time.Second).UnixMilli(), task.ip))
	}

	// ---- Aurora PostgreSQL log ----
	pg := "/aws/rds/cluster/orders-db/postgresql"
	pgStream := "orders-db-instance-1.0"
	w.each(w.start, w.end, 5*time.Minute, func(t time.Time) {
		w.log(pg, pgStream, t, t.UTC().Format("2006-01-02 15:04:05 UTC")+"::@:[571]:LOG:  checkpoint starting: time")
		w.log(pg, pgStream, t.Add(27*time.Second), t.Add(27*time.Second).UTC().Format("2006-01-02 15:04:05 UTC")+fmt.Sprintf("::@:[571]:LOG:  checkpoint complete: wrote %d buffers (0.%d%%); 0 WAL file(s) added, 0 removed, %d recycled; write=26.%03d s, sync=0.00%d s, total=27.0%02d s", 200+w.r.Intn(2000), w.r.Intn(9), w.r.Intn(3), w.r.Intn(999), w.r.Intn(9), w.r.Intn(99)))
	})
	w.each(w.start, w.end, 3*time.Minute, func(t time.Time) {
		pid := 20000 + w.r.Intn(9000)
		w.log(pg, pgStream, t, fmt.Sprintf("%s:10.20.5.44(%d):report_ro@orders:[%d]:ERROR:  canceling statement due to statement timeout", t.UTC().Format("2006-01-02 15:04:05 UTC"), 40000+w.r.Intn(20000), pid))
		w.log(pg, pgStream, t, fmt.Sprintf("%s:10.20.5.44(%d):report_ro@orders:[%d]:STATEMENT:  SELECT o.*, l.* FROM orders o JOIN order_lines l USING (order_id) WHERE o.created_at > now() - interval '30 days'", t.UTC().Format("2006-01-02 15:04:05 UTC"), 40000+w.r.Intn(20000), pid))
	})
	// New connections from orders-api arrive while the rule exists.
	w.each(w.start, change, 40*time.Second, func(t time.Time) {
		task := tasks[w.r.Intn(len(tasks))]
		port := 30000 + w.r.Intn(30000)
		w.log(pg, pgStream, t, fmt.Sprintf("%s:%s(%d):[unknown]@[unknown]:[%d]:LOG:  connection received: host=%s port=%d", t.UTC().Format("2006-01-02 15:04:05 UTC"), task.ip, port, 30000+w.r.Intn(9000), task.ip, port))
		w.log(pg, pgStream, t.Add(8*time.Millisecond), fmt.Sprintf("%s:%s(%d):orders_app@orders:[%d]:LOG:  connection authorized: user=orders_app database=orders application_name=PostgreSQL JDBC Driver SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)", t.UTC().Format("2006-01-02 15:04:05 UTC"), task.ip, port, 30000+w.r.Intn(9000)))
	})

	// ---- VPC flow logs (default format v2), sampled ----
	fl := "/vpc/prod-vpc/flowlogs"
	dbEni := "eni-04c7e1a9b2d35f860"
	w.each(w.start, w.end, 4*time.Second, func(t time.Time) {
		st := t.Unix() - 60
		switch w.r.Intn(5) {
		case 0:
			w.log(fl, "eni-0b3e8d27f1c4a9056-all", t, fmt.Sprintf("2 %s eni-0b3e8d27f1c4a9056 %s 10.20.0.11 %d 443 6 %d %d %d %d REJECT OK", w.account, w.publicIP(), 1024+w.r.Intn(60000), 1+w.r.Intn(3), 40+w.r.Intn(80), st, st+60))
		case 1:
			w.log(fl, "eni-07d2a4c9e1b8f3065-all", t, fmt.Sprintf("2 %s eni-07d2a4c9e1b8f3065 %s 10.20.0.27 %d %s 6 1 44 %d %d REJECT OK", w.account, w.publicIP(), 1024+w.r.Intn(60000), w.pick("22", "3389", "23", "5900"), st, st+60))
		default:
			task := tasks[w.r.Intn(len(tasks))]
			if t.Before(change) || w.r.Intn(4) > 0 {
				w.log(fl, dbEni+"-all", t, fmt.Sprintf("2 %s %s %s %s %d 5432 6 %d %d %d %d ACCEPT OK", w.account, dbEni, task.ip, dbIP, 30000+w.r.Intn(30000), 10+w.r.Intn(400), 2000+w.r.Intn(90000), st, st+60))
			} else {
				w.log(fl, dbEni+"-all", t, fmt.Sprintf("2 %s %s %s %s %d 5432 6 %d %d %d %d REJECT OK", w.account, dbEni, task.ip, dbIP, 30000+w.r.Intn(30000), 1+w.r.Intn(4), 60+w.r.Intn(180), st, st+60))
			}
		}
	})

	// ---- metrics ----
	dimLB := [][2]string{{"LoadBalancer", lb}}
	fail := func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) {
			return 0
		}
		return 0.25 + 0.6*ramp(t, onset, onset.Add(9*time.Minute))
	}
	w.metric("AWS/ApplicationELB", "RequestCount", dimLB, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(32 + w.r.Intn(10))), true })
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		v := fail(t) * 36
		if v == 0 && w.r.Intn(6) > 0 {
			return stat{}, false
		}
		return countStat(float64(int(v)) + float64(w.r.Intn(2))), true
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(w.r.Intn(4))), true })
	w.metric("AWS/ApplicationELB", "TargetResponseTime", dimLB, "Seconds", 60, func(t time.Time) (stat, bool) {
		f := fail(t)
		return gaugeStat(0.07*(1-f)+30*f, 0.05+30*f, 110), true
	})
	w.metric("AWS/RDS", "DatabaseConnections", [][2]string{{"DBClusterIdentifier", "orders-db"}}, "Count", 60, func(t time.Time) (stat, bool) {
		base := 34.0 - 24*ramp(t, onset.Add(-2*time.Minute), onset.Add(12*time.Minute))
		return gaugeStat(base+float64(w.r.Intn(3)), 1, 1), true
	})
	w.metric("AWS/RDS", "CPUUtilization", [][2]string{{"DBClusterIdentifier", "orders-db"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(21-12*ramp(t, onset, onset.Add(8*time.Minute))+w.r.Float64()*4, 2, 1), true
	})
	w.metric("AWS/RDS", "CPUUtilization", [][2]string{{"DBClusterIdentifier", "analytics-aurora"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		v := 35 + w.r.Float64()*10
		if t.After(ts("2026-10-14T14:17:30Z")) {
			v += 20 // the reporting team's parameter change lets more parallel workers run
		}
		return gaugeStat(v, 5, 1), true
	})
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "prod-core"}, {"ServiceName", "orders-api"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(38-20*fail(t)+w.r.Float64()*6, 4, 3), true
	})
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "prod-core"}, {"ServiceName", "catalog-api"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		v := 22 + w.r.Float64()*5
		if t.After(catDeploy) && t.Before(catDeploy.Add(4*time.Minute)) {
			v += 30
		}
		return gaugeStat(v, 4, 2), true
	})
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", [][2]string{{"QueueName", "notifications-outbox"}}, "Count", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(float64(w.r.Intn(40)), 5, 1), true
	})

	// ---- alarms ----
	w.alarm("orders-api-target-5xx", "orders-api targets return 5xx (pages on-call)", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", dimLB, 60, 2, 25, "GreaterThanOrEqualToThreshold", w.start.Add(-20*time.Hour), alarmAt, 61, fmt.Sprintf("arn:aws:sns:%s:%s:orders-oncall", w.region, w.account))
	w.okAlarm("orders-db-cpu-high", "AWS/RDS", "CPUUtilization", "Average", [][2]string{{"DBClusterIdentifier", "orders-db"}}, 80, "GreaterThanThreshold")
	w.okAlarm("catalog-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", [][2]string{{"LoadBalancer", "app/catalog-alb/5d0e2b8f7c1a3946"}}, 20, "GreaterThanOrEqualToThreshold")

	// ---- CloudTrail ----
	admin := w.ssoUser("NetworkAdmin", "m.okafor@northwind-logistics.com", "81.173.42.19")
	dba := w.ssoUser("DatabaseAdmin", "s.brandt@northwind-logistics.com", "91.64.211.7")
	gha := w.roleActor("github-actions-deploy", "GitHubActions", "20.119.44.103", "aws-sdk-js/3.687.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/ecs#3.687.0 m/E,N")
	appRole := w.roleActor("orders-api-task-role", tasks[0].id, tasks[0].ip, "aws-sdk-java/2.29.6 Linux/5.10.227-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard")
	config := w.serviceRole("AWSServiceRoleForConfig", "AWSConfig-Describe", "config.amazonaws.com")
	dd := w.roleActor("DatadogIntegrationRole", "DatadogAWSIntegration", "3.233.146.18", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)")
	w.routine(9, []func(time.Time){
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "orders-api-task-role"),
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "catalog-api-task-role"),
		w.getSecret(appRole, fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/orders/db-AbC12d", w.region, w.account)),
		w.decrypt(serviceActor("secretsmanager.amazonaws.com"), "6f1d2c3b-8a9e-4f70-b1c2-d3e4f5a6b7c8", map[string]any{"SecretARN": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/orders/db-AbC12d", w.region, w.account), "SecretVersionId": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}),
		w.readCall(config, "ec2.amazonaws.com", "DescribeSecurityGroups", map[string]any{"securityGroupSet": map[string]any{}, "securityGroupIdSet": map[string]any{"items": []any{map[string]any{"groupId": dbSG}}}, "filterSet": map[string]any{}}),
		w.readCall(dd, "rds.amazonaws.com", "DescribeDBClusters", map[string]any{"includeShared": false}),
		w.readCall(dd, "elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", map[string]any{"targetGroupArn": tg}),
		w.readCall(dd, "ec2.amazonaws.com", "DescribeInstances", map[string]any{"instancesSet": map[string]any{}, "filterSet": map[string]any{}}),
		w.putMetricData(appRole, "orders-api"),
		w.createLogStream(serviceActor("ecs-tasks.amazonaws.com"), "/ecs/orders-api"),
		w.ecrAuth(gha),
	})
	sgRule := func(proto string, port int, src map[string]any) map[string]any {
		p := map[string]any{"ipProtocol": proto, "fromPort": port, "toPort": port, "groups": map[string]any{}, "ipRanges": map[string]any{}, "ipv6Ranges": map[string]any{}, "prefixListIds": map[string]any{}}
		for k, v := range src {
			p[k] = v
		}
		return map[string]any{"items": []any{p}}
	}
	// Decoy: same admin opens SSH on the bastion SG.
	w.call(ts("2026-10-14T14:19:02Z"), admin, ct{source: "ec2.amazonaws.com", name: "AuthorizeSecurityGroupIngress",
		req:  map[string]any{"groupId": bastionSG, "ipPermissions": sgRule("tcp", 22, map[string]any{"ipRanges": map[string]any{"items": []any{map[string]any{"cidrIp": "81.173.42.19/32", "description": "m.okafor home office"}}}})},
		resp: map[string]any{"requestId": w.uuid(), "_return": true, "securityGroupRuleSet": map[string]any{"items": []any{map[string]any{"groupOwnerId": w.account, "groupId": bastionSG, "securityGroupRuleId": "sgr-0e4f1a7c2b9d38056", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "81.173.42.19/32", "description": "m.okafor home office"}}}}})
	w.call(ts("2026-10-14T14:20:31Z"), admin, ct{source: "ec2.amazonaws.com", name: "DescribeSecurityGroupRules", readOnly: true,
		req: map[string]any{"DescribeSecurityGroupRulesRequest": map[string]any{"Filter": map[string]any{"Name": "group-id", "Value": map[string]any{"content": dbSG, "tag": 1}, "tag": 1}, "MaxResults": 50}}})
	// Root cause: the rule from the app SG to the DB SG on 5432.
	w.call(change, admin, ct{source: "ec2.amazonaws.com", name: "RevokeSecurityGroupIngress",
		req:  map[string]any{"groupId": dbSG, "ipPermissions": sgRule("tcp", 5432, map[string]any{"groups": map[string]any{"items": []any{map[string]any{"groupId": appSG, "description": "orders-api tasks"}}}})},
		resp: map[string]any{"requestId": w.uuid(), "_return": true}})
	// Decoy: DBA edits the analytics cluster's parameter group.
	w.call(ts("2026-10-14T14:17:30Z"), dba, ct{source: "rds.amazonaws.com", name: "ModifyDBClusterParameterGroup",
		req:  map[string]any{"dBClusterParameterGroupName": "analytics-aurora-pg15", "parameters": []any{map[string]any{"parameterName": "max_parallel_workers_per_gather", "parameterValue": "4", "applyMethod": "immediate", "isModifiable": false}}},
		resp: map[string]any{"dBClusterParameterGroupName": "analytics-aurora-pg15"}})
	// Decoy: CI deploys catalog-api in the same cluster.
	w.call(catDeploy.Add(-6*time.Second), gha, ct{source: "ecs.amazonaws.com", name: "RegisterTaskDefinition",
		req:  map[string]any{"family": "catalog-api", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "512", "memory": "1024", "containerDefinitions": []any{map[string]any{"name": "catalog-api", "image": w.account + ".dkr.ecr.eu-central-1.amazonaws.com/catalog-api:v2.31.0", "essential": true}}},
		resp: map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/catalog-api:214", w.region, w.account), "family": "catalog-api", "revision": 214, "status": "ACTIVE"}}})
	w.call(catDeploy, gha, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "prod-core", "service": "catalog-api", "taskDefinition": "catalog-api:214", "forceNewDeployment": false},
		resp: map[string]any{"service": map[string]any{"serviceName": "catalog-api", "clusterArn": fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/prod-core", w.region, w.account), "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/catalog-api:214", w.region, w.account), "desiredCount": 2, "status": "ACTIVE"}}})
	// Application Auto Scaling adds an orders-api task as latency grows.
	aas := w.serviceRole("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling", "ecs.application-autoscaling.amazonaws.com")
	w.call(ts("2026-10-14T14:31:16Z"), aas, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "prod-core", "service": "orders-api", "desiredCount": 4},
		resp: map[string]any{"service": map[string]any{"serviceName": "orders-api", "desiredCount": 4, "runningCount": 3, "status": "ACTIVE"}}})
	// Earlier: AWS Backup snapshots the orders cluster.
	backup := w.serviceRole("AWSServiceRoleForBackup", "AWSBackup-AWSServiceRoleForBackup", "backup.amazonaws.com")
	w.call(ts("2026-10-14T13:31:02Z"), backup, ct{source: "rds.amazonaws.com", name: "CreateDBClusterSnapshot",
		req:  map[string]any{"dBClusterIdentifier": "orders-db", "dBClusterSnapshotIdentifier": "awsbackup:job-" + w.uuid(), "tags": []any{}},
		resp: map[string]any{"dBClusterIdentifier": "orders-db", "status": "creating", "engine": "aurora-postgresql"}})

	// ---- Security Hub: standing findings ----
	w.securityhub = []map[string]any{
		w.asff("EC2.19", "Security groups should not allow unrestricted access to ports with high risk", "HIGH", "AwsEc2SecurityGroup", fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/sg-07d2a4c9e1b8f3065", w.region, w.account), w.start.Add(-40*24*time.Hour)),
		w.asff("RDS.14", "Amazon Aurora clusters should have backtracking enabled", "MEDIUM", "AwsRdsDbCluster", fmt.Sprintf("arn:aws:rds:%s:%s:cluster:orders-db", w.region, w.account), w.start.Add(-90*24*time.Hour)),
		w.asff("ECS.5", "ECS containers should be limited to read-only access to root filesystems", "HIGH", "AwsEcsTaskDefinition", fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/orders-api:87", w.region, w.account), w.start.Add(-12*24*time.Hour)),
	}

	w.truth = map[string]any{
		"name": w.name, "kind": "network-security-group", "alarm": "orders-api-target-5xx",
		"root_cause": map[string]any{"event_name": "RevokeSecurityGroupIngress", "event_time": change, "resource": dbSG},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "AuthorizeSecurityGroupIngress", "event_time": ts("2026-10-14T14:19:02Z")},
			{"event_name": "ModifyDBClusterParameterGroup", "event_time": ts("2026-10-14T14:17:30Z")},
			{"event_name": "UpdateService", "event_time": catDeploy},
			{"event_name": "UpdateService", "event_time": ts("2026-10-14T14:31:16Z")},
		},
		"signals": []string{"RevokeSecurityGroupIngress", dbSG, "Connect timed out", "orders-api"},
	}
	return w
}

// springDBFailure is the stack trace Spring Boot logs when Hikari cannot
// open a PostgreSQL connection, one CloudWatch event per line.
func springDBFailure(t time.Time, thread, host string) []string {
	return []string{
		fmt.Sprintf("%s ERROR 1 --- [orders-api] [%15s] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause", t.UTC().Format("2006-01-02T15:04:05.000Z"), thread),
		"",
		"java.net.SocketTimeoutException: Connect timed out",
		"\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:546)",
		"\tat java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:597)",
		"\tat java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:327)",
		"\tat java.base/java.net.Socket.connect(Socket.java:751)",
		"\tat org.postgresql.core.PGStream.createSocket(PGStream.java:243)",
		"\tat org.postgresql.core.PGStream.<init>(PGStream.java:98)",
		"\tat org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:132)",
		"\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)",
		"\tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)",
		"\tat org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:273)",
		"\tat org.postgresql.Driver.makeConnection(Driver.java:446)",
		"\tat org.postgresql.Driver.connect(Driver.java:298)",
		"\tat com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:137)",
		"\tat com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)",
		"\tat com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:202)",
		"\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)",
		"\tat com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:733)",
		"\tat com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:712)",
		"\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)",
		"\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
		"\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
		"\tat java.base/java.lang.Thread.run(Thread.java:1583)",
	}
}
