package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// 4. While debugging a duplicate-order report, a developer pauses the SQS
// trigger of the order consumer and forgets it. Nothing errors: the consumer
// simply stops being invoked and the queue ages until the alarm fires.
func esmDisabledQueueAge() {
	s := newSnap("esm-disabled-queue-age", "ap-southeast-2", "639102857346", at("2026-11-29T15:40:00Z"), at("2026-11-29T17:10:00Z"))
	change := at("2026-11-29T16:40:22Z")
	onset := change
	fn := "order-events-consumer"
	queueArn := "arn:aws:sqs:ap-southeast-2:639102857346:order-events"
	esmUUID := "a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e1b"
	dev := s.role("AWSReservedSSO_DeveloperAccess_91c2e7f0a3b4d5e6", "aws-reserved/sso.amazonaws.com/ap-southeast-2/", "priya.raman@tideline.io", "AWS Internal", "203.59.118.24")
	ci := s.role("tideline-gha-deploy", "", "GitHubActions", "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.8.0-1017-azure lang/js md/nodejs#20.18.0 api/lambda#3.693.0 m/N,E", "13.70.81.5")
	tf := s.role("tideline-terraform", "", "atlantis", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 terraform-provider-aws/5.76.0 aws-sdk-go-v2/1.32.4 api/sqs#1.36.4", "13.54.20.190")
	debugOn, debugOff := at("2026-11-29T16:31:05Z"), at("2026-11-29T16:44:10Z")

	type minute struct{ sent, recv, inv, errs int }
	mins := map[time.Time]*minute{}
	bump := func(t time.Time) *minute {
		k := t.Truncate(time.Minute)
		if mins[k] == nil {
			mins[k] = &minute{}
		}
		return mins[k]
	}
	var oldestPending []time.Time
	g := "/aws/lambda/" + fn
	stream := func(t time.Time) string {
		if t.Before(debugOn) {
			return "2026/11/29/[$LATEST]4e6a8c0e2b1d4f3a5c7e9b0d2f4a6c8e"
		}
		return "2026/11/29/[$LATEST]9b1d3f5a7c0e4b2d6f8a0c2e4b6d8f1a"
	}
	// Orders arrive at the API and are queued; the consumer polls in batches.
	s.every(s.start, s.end, func(t time.Time) float64 { return 38 + 8*math.Sin(t.Sub(s.start).Minutes()/14) }, func(t time.Time) {
		bump(t).sent++
		oid := "ord_" + s.hex(10)
		st := 201
		if s.rng.Intn(60) == 0 {
			st = 400
			s.log("/ecs/order-api", "order-api/order-api/2f4a6c8e0b1d4f3a", t, jsonLine(map[string]any{"level": 40, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-8-2-41.ap-southeast-2.compute.internal", "msg": "validation failed", "err": map[string]any{"type": "ValidationError", "message": `"shipping.postcode" is not allowed to be empty`}}))
		}
		s.log("/ecs/order-api", "order-api/order-api/2f4a6c8e0b1d4f3a", t, jsonLine(map[string]any{"level": 30, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-8-2-41.ap-southeast-2.compute.internal", "req": map[string]any{"method": "POST", "url": "/v1/orders"}, "res": map[string]any{"statusCode": st}, "orderId": oid, "responseTime": 20 + s.rng.Intn(40), "msg": "request completed"}))
		if st == 201 {
			oldestPending = append(oldestPending, t)
		}
	})
	// Consumer: a batch every ~6 s while the mapping is enabled.
	for t := s.start.Add(3 * time.Second); t.Before(change); t = t.Add(time.Duration(5000+s.rng.Intn(2500)) * time.Millisecond) {
		var batch []time.Time
		for len(oldestPending) > 0 && !oldestPending[0].After(t) && len(batch) < 10 {
			batch = append(batch, oldestPending[0])
			oldestPending = oldestPending[1:]
		}
		if len(batch) == 0 {
			continue
		}
		m := bump(t)
		m.inv++
		m.recv += len(batch)
		rid := s.uuid()
		st := stream(t)
		s.log(g, st, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
		if !t.Before(debugOn) {
			s.log(g, st, t.Add(3*time.Millisecond), fmt.Sprintf("%s\t%s\tDEBUG\treceived batch records=%d eventSourceARN=%s", t.Format("2006-01-02T15:04:05.000Z"), rid, len(batch), queueArn))
		}
		dur := 120 + s.rng.Float64()*160
		if s.rng.Intn(45) == 0 {
			m.errs++
			s.log(g, st, t.Add(90*time.Millisecond), fmt.Sprintf("%s\t%s\tERROR\tInvoke Error \t{\"errorType\":\"Error\",\"errorMessage\":\"connect ETIMEDOUT 10.8.4.21:5432\",\"code\":\"ETIMEDOUT\",\"stack\":[\"Error: connect ETIMEDOUT 10.8.4.21:5432\",\"    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)\"]}", t.Add(90*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), rid))
		} else {
			s.log(g, st, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tprocessed batch records=%d orders_written=%d duplicates_skipped=%d", t.Format("2006-01-02T15:04:05.000Z"), rid, len(batch), len(batch), s.rng.Intn(2)))
		}
		s.log(g, st, t.Add(time.Duration(dur+2)*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
		s.log(g, st, t.Add(time.Duration(dur+3)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB", rid, dur, int(dur)+1, 92+s.rng.Intn(20)))
	}
	// Other functions keep their own noise.
	s.every(s.start, s.end, flat(1), func(t time.Time) {
		rid := s.uuid()
		ng := "/aws/lambda/order-notifier"
		st := "2026/11/29/[$LATEST]0d2f4a6c8e1b3d5f7a9c0e2b4d6f8a1c"
		s.log(ng, st, t, fmt.Sprintf("START RequestId: %s Version: 14", rid))
		if s.rng.Intn(12) == 0 {
			s.log(ng, st, t.Add(400*time.Millisecond), fmt.Sprintf("[ERROR]\t%s\t%s\tSES send failed: An error occurred (Throttling) when calling the SendEmail operation (reached max retries: 2): Maximum sending rate exceeded.", t.Format("2006-01-02T15:04:05.000Z"), rid))
		} else {
			s.log(ng, st, t.Add(300*time.Millisecond), fmt.Sprintf("[INFO]\t%s\t%s\tdigest sent to %d recipients", t.Format("2006-01-02T15:04:05.000Z"), rid, 1+s.rng.Intn(30)))
		}
		s.log(ng, st, t.Add(410*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
		s.log(ng, st, t.Add(411*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: 81 MB", rid, 400+s.rng.Float64()*20, 401+s.rng.Intn(20)))
	})

	get := func(t time.Time) *minute {
		if m := mins[t]; m != nil {
			return m
		}
		return &minute{}
	}
	q := []dim{{"QueueName", "order-events"}}
	s.counter("AWS/SQS", "NumberOfMessagesSent", q, "Count", func(t time.Time) (float64, bool) { return float64(get(t).sent), true })
	s.counter("AWS/SQS", "NumberOfMessagesReceived", q, "Count", func(t time.Time) (float64, bool) { return float64(get(t).recv), true })
	s.counter("AWS/SQS", "NumberOfMessagesDeleted", q, "Count", func(t time.Time) (float64, bool) { return float64(get(t).recv - get(t).errs*5), true })
	s.gauge("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", func(t time.Time) (float64, bool) {
		if t.Before(change.Truncate(time.Minute)) {
			return float64(s.rng.Intn(9)), true
		}
		n := 0
		for k, m := range mins {
			if !k.Before(change.Truncate(time.Minute)) && !k.After(t) {
				n += m.sent
			}
		}
		return float64(n), true
	})
	s.gauge("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", func(t time.Time) (float64, bool) {
		if t.Before(change.Truncate(time.Minute)) {
			return float64(3 + s.rng.Intn(8)), true
		}
		return math.Max(5, t.Add(time.Minute).Sub(change).Seconds()), true
	})
	fd := []dim{{"FunctionName", fn}}
	s.counter("AWS/Lambda", "Invocations", fd, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.inv), m.inv > 0 })
	s.counter("AWS/Lambda", "Errors", fd, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.errs), m.inv > 0 })
	s.gauge("AWS/Lambda", "Duration", fd, "Milliseconds", func(t time.Time) (float64, bool) { return s.noisy(190, 0.2), get(t).inv > 0 })
	s.gauge("AWS/Lambda", "ConcurrentExecutions", fd, "Count", func(t time.Time) (float64, bool) { return 1, get(t).inv > 0 })
	s.gauge("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "tideline-prod"}, {"ServiceName", "order-api"}}, "Percent", func(t time.Time) (float64, bool) {
		if t.After(at("2026-11-29T16:38:50Z")) && t.Before(at("2026-11-29T16:43:00Z")) {
			return s.noisy(58, 0.1), true // the order-api deploy's warm-up
		}
		return s.noisy(24, 0.15), true
	})
	s.alarm(alarmSpec{name: "order-events-oldest-message-age", desc: "Orders waiting in order-events for more than 15 minutes. Runbook: https://tideline.atlassian.net/wiki/spaces/OPS/pages/order-events", ns: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage", stat: "Maximum",
		cmp: "GreaterThanThreshold", dims: q, threshold: 900, period: 60, evals: 1, state: "ALARM", at: at("2026-11-29T16:56:31Z"), topic: "arn:aws:sns:ap-southeast-2:639102857346:tideline-oncall",
		reason: "Threshold Crossed: 1 out of the last 1 datapoints [938.0 (29/11/26 16:55:00)] was greater than the threshold (900.0) (minimum 1 datapoint for OK -> ALARM transition)."})
	s.alarm(alarmSpec{name: "order-events-consumer-errors", desc: "Consumer errors", ns: "AWS/Lambda", metric: "Errors", stat: "Sum", cmp: "GreaterThanThreshold", dims: fd, threshold: 5, period: 300, evals: 1,
		state: "OK", at: at("2026-11-28T22:10:00Z"), topic: "arn:aws:sns:ap-southeast-2:639102857346:tideline-oncall", reason: "Threshold Crossed: 1 datapoint [1.0 (28/11/26 22:05:00)] was not greater than the threshold (5.0)."})

	s.noise(noiseSpec{taskRoles: []string{"order-api-task", "ops-dashboard-task"}, logGroups: []string{"/ecs/order-api", g, "/aws/lambda/order-notifier"},
		monitor: s.role("DatadogIntegrationRole", "", "DatadogAWSIntegration", "Datadog/1.0 aws-sdk-go/1.44.327", "3.233.147.21"), ci: ci, repos: []string{"order-api"},
		humans: []who{dev, s.role("AWSReservedSSO_OpsReadOnly_5d7f9b1c3e0a2b4d", "aws-reserved/sso.amazonaws.com/ap-southeast-2/", "liam.nguyen@tideline.io", "AWS Internal", "101.188.67.3")}, perMinute: 3.5,
		extraReads: []string{"lambda.amazonaws.com:ListFunctions20150331", "lambda.amazonaws.com:GetFunction20150331v2", "sqs.amazonaws.com:GetQueueAttributes"}})
	lam := "lambda.amazonaws.com"
	fnArn := "arn:aws:lambda:ap-southeast-2:639102857346:function:" + fn
	s.ct(at("2026-11-29T16:05:40Z"), "sqs.amazonaws.com", "SetQueueAttributes", tf, false,
		map[string]any{"queueUrl": "https://sqs.ap-southeast-2.amazonaws.com/639102857346/order-events", "attributes": map[string]any{"VisibilityTimeout": "90"}}, nil)
	s.ct(at("2026-11-29T16:24:12Z"), lam, "ListEventSourceMappings20150331", dev, true, map[string]any{"functionName": fn}, nil)
	s.ct(at("2026-11-29T16:24:30Z"), lam, "GetFunctionConfiguration20150331v2", dev, true, map[string]any{"functionName": fn}, nil)
	envResp := func(level string, t time.Time) map[string]any {
		return map[string]any{"functionName": fn, "functionArn": fnArn, "runtime": "nodejs20.x", "handler": "index.handler", "memorySize": 512, "timeout": 60,
			"environment": map[string]any{}, "lastModified": t.Format("2006-01-02T15:04:05.000+0000"), "state": "Active", "lastUpdateStatus": "InProgress", "version": "$LATEST"}
	}
	s.ct(debugOn, lam, "UpdateFunctionConfiguration20150331v2", dev, false,
		map[string]any{"functionName": fn, "environment": map[string]any{}}, envResp("debug", debugOn))
	s.ct(at("2026-11-29T16:38:50Z"), lam, "UpdateFunctionCode20150331v2", ci, false,
		map[string]any{"functionName": "order-api-authorizer", "publish": true, "s3Bucket": "tideline-artifacts-ap-southeast-2", "s3Key": "order-api-authorizer/sha-7c1e9a4.zip"},
		map[string]any{"functionName": "order-api-authorizer", "runtime": "nodejs20.x", "version": "37", "state": "Active", "lastUpdateStatus": "InProgress"})
	s.ct(at("2026-11-29T16:39:05Z"), "ecs.amazonaws.com", "UpdateService", ci, false,
		map[string]any{"cluster": "tideline-prod", "service": "order-api", "taskDefinition": "order-api:412", "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": "order-api", "desiredCount": 2, "taskDefinition": "arn:aws:ecs:ap-southeast-2:639102857346:task-definition/order-api:412"}})
	s.ct(change, lam, "UpdateEventSourceMapping20150331", dev, false,
		map[string]any{"uUID": esmUUID, "enabled": false},
		map[string]any{"uUID": esmUUID, "batchSize": 10, "maximumBatchingWindowInSeconds": 0, "eventSourceArn": queueArn, "functionArn": fnArn,
			"lastModified": change.Format("Jan 2, 2006, 3:04:05 PM"), "state": "Disabling", "stateTransitionReason": "USER_INITIATED", "functionResponseTypes": []string{"ReportBatchItemFailures"}})
	s.ct(at("2026-11-29T16:41:02Z"), lam, "GetEventSourceMapping20150331", dev, true, map[string]any{"uUID": esmUUID}, nil)
	s.ct(debugOff, lam, "UpdateFunctionConfiguration20150331v2", dev, false,
		map[string]any{"functionName": fn, "environment": map[string]any{}}, envResp("info", debugOff))

	s.write("order-events backlog growing", "Orders are accepted by order-api (Node.js on ECS, pino) and queued on SQS order-events. The Lambda order-events-consumer (Node.js 20) is triggered by an SQS event source mapping (batch 10, ReportBatchItemFailures) and writes orders to Aurora PostgreSQL; order-notifier is a scheduled Python Lambda. Developers have DeveloperAccess in production for debugging.",
		truth{Kind: "event-source-mapping-disabled", Alarm: "order-events-oldest-message-age",
			RootCause: &rootCause{EventName: "UpdateEventSourceMapping20150331", EventTime: change, Resource: esmUUID},
			Onset:     onset,
			Decoys: []decoy{
				{"SetQueueAttributes", at("2026-11-29T16:05:40Z"), "Terraform raises the same queue's visibility timeout"},
				{"UpdateFunctionConfiguration20150331v2", debugOn, "same person, same function: debug logging on; the consumer keeps working (and logs more)"},
				{"UpdateFunctionCode20150331v2", at("2026-11-29T16:38:50Z"), "CI deploys another function 90 s before the onset"},
				{"UpdateService", at("2026-11-29T16:39:05Z"), "CI deploys order-api, the producer, 77 s before the onset; it keeps queuing"},
				{"UpdateFunctionConfiguration20150331v2", debugOff, "same person turns debug logging off after the onset"},
			},
			Signals: []string{"order-events", "ApproximateAgeOfOldestMessage"}})
}

// 5. A DBA caps max_connections on the production MySQL parameter group to
// rein in a reporting job. The parameter is dynamic: existing connections
// stay, but every new one beyond the cap is refused, so whichever instance
// needs a new connection fails while others carry on.
func rdsMaxConnections() {
	s := newSnap("rds-max-connections", "us-east-2", "118274650392", at("2026-11-30T12:10:00Z"), at("2026-11-30T13:40:00Z"))
	change := at("2026-11-30T13:12:40Z")
	onset := at("2026-11-30T13:12:58Z")
	pg := "ledger-mysql80-prod"
	db := "ledger-mysql-prod"
	dba := s.role("AWSReservedSSO_DatabaseAdmin_0a7f3c9e2b1d4e58", "aws-reserved/sso.amazonaws.com/us-east-2/", "hiro.tanaka@fernpay.com", "AWS Internal", "126.74.201.55")
	tf := s.role("fernpay-terraform-ci", "", "buildkite-8841", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 terraform-provider-aws/5.76.0 aws-sdk-go-v2/1.32.4 api/rds#1.91.0", "3.16.44.201")
	lb := "app/ledger-prod/5d2b8f0e6a4c1937"

	type minute struct{ req, t5, conns int }
	mins := map[time.Time]*minute{}
	bump := func(t time.Time) *minute {
		k := t.Truncate(time.Minute)
		if mins[k] == nil {
			mins[k] = &minute{}
		}
		return mins[k]
	}
	// Which pods are short of connections after the cap: pods whose Hikari
	// connections retire after the change and cannot be replaced.
	apiPods := []string{"ledger-api-7c9f5d8b6-2xkqp", "ledger-api-7c9f5d8b6-8mzfw", "ledger-api-7c9f5d8b6-c4hvn", "ledger-api-7c9f5d8b6-hl2tr", "ledger-api-7c9f5d8b6-qw7jd", "ledger-api-7c9f5d8b6-v5nbx"}
	starved := map[string]time.Time{apiPods[1]: at("2026-11-30T13:13:31Z"), apiPods[4]: at("2026-11-30T13:15:02Z")}
	s.every(s.start, s.end, flat(110), func(t time.Time) {
		m := bump(t)
		m.req++
		pod := apiPods[s.rng.Intn(len(apiPods))]
		st := "ledger-api/" + pod
		path := []string{"/v1/accounts/acct_%s/balance", "/v1/transfers", "/v1/ledger/entries?account=acct_%s"}[s.rng.Intn(3)]
		if strings.Contains(path, "%s") {
			path = fmt.Sprintf(path, s.hex(8))
		}
		status := 200
		if since, ok := starved[pod]; ok && !t.Before(since) && s.rng.Intn(3) > 0 {
			status = 500
			m.t5++
			ts := t.Format("2006-01-02 15:04:05.000")
			s.log("/eks/ledger-prod/ledger-api", st, t, fmt.Sprintf(`%s ERROR 1 --- [ledger-api] [nio-8080-exec-%d] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception
org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction
	at org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:466)
Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=4, active=4, idle=0, waiting=9)
	at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)
Caused by: java.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  message from server: "Too many connections"
	at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:112)
	at com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:815)
	at com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)`, ts, 1+s.rng.Intn(40)))
		} else if s.rng.Intn(400) == 0 {
			status = 500
			m.t5++
			s.log("/eks/ledger-prod/ledger-api", st, t, fmt.Sprintf(`%s ERROR 1 --- [ledger-api] [nio-8080-exec-%d] c.f.ledger.transfer.TransferService    : transfer failed, rolled back
org.springframework.dao.CannotAcquireLockException: could not execute statement; SQL [n/a]
Caused by: java.sql.SQLTransactionRollbackException: Deadlock found when trying to get lock; try restarting transaction
	at com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:123)`, t.Format("2006-01-02 15:04:05.000"), 1+s.rng.Intn(40)))
		}
		dur := 0.008 + s.rng.Float64()*0.04
		if status == 500 {
			dur = 30.0
		}
		s.albLog(lb, albReq{t: t.Add(time.Duration(dur * float64(time.Second))), proto: "https", client: fmt.Sprintf("10.60.%d.%d:%d", s.rng.Intn(4), 2+s.rng.Intn(250), 30000+s.rng.Intn(30000)),
			target: fmt.Sprintf("10.60.%d.%d:8080", 1+len(pod)%3, 10+int(pod[len(pod)-1])), reqT: 0.001, tgtT: dur, respT: 0, elbStatus: fmt.Sprint(status), tgtStatus: fmt.Sprint(status),
			recv: 400, sent: 300 + s.rng.Intn(600), method: "GET", url: "https://ledger.internal.fernpay.com:443" + path, ua: "payments-gateway/2.31.0 okhttp/4.12.0",
			tgArn: "arn:aws:elasticloadbalancing:us-east-2:118274650392:targetgroup/ledger-api/9a1c3e5b7d2f4068", rulePriority: "0", actions: "forward",
			cert: "arn:aws:acm:us-east-2:118274650392:certificate/0c2e4a6b-8d1f-4e3a-9c5b-7d9f1b3e5a70"})
	})
	// payout-worker opens a connection per job (PyMySQL), so it is refused first.
	s.every(s.start, s.end, flat(14), func(t time.Time) {
		job := "po_" + s.hex(12)
		st := "payout-worker/payout-worker-5b8d4c7f9-" + []string{"jt6wq", "n2xkc", "r8pmv"}[s.rng.Intn(3)]
		ts := t.Format("2006-01-02 15:04:05,000")
		if !t.Before(onset) && s.rng.Intn(10) < 6 {
			s.log("/eks/ledger-prod/payout-worker", st, t, fmt.Sprintf(`%s ERROR payouts.worker job %s failed, requeued
Traceback (most recent call last):
  File "/app/payouts/worker.py", line 88, in run_job
    with db.connect() as conn:
  File "/app/.venv/lib/python3.12/site-packages/pymysql/connections.py", line 361, in __init__
    self.connect()
  File "/app/.venv/lib/python3.12/site-packages/pymysql/connections.py", line 669, in connect
    self._request_authentication()
  File "/app/.venv/lib/python3.12/site-packages/pymysql/err.py", line 150, in raise_mysql_exception
    raise errorclass(errno, errval)
pymysql.err.OperationalError: (1040, 'Too many connections')`, ts, job))
			return
		}
		if s.rng.Intn(120) == 0 {
			s.log("/eks/ledger-prod/payout-worker", st, t, fmt.Sprintf(`%s ERROR payouts.worker job %s failed, requeued
Traceback (most recent call last):
  File "/app/payouts/worker.py", line 97, in run_job
    cur.execute(LOCK_BATCH_SQL, (batch_id,))
pymysql.err.OperationalError: (1205, 'Lock wait timeout exceeded; try restarting transaction')`, ts, job))
			return
		}
		s.log("/eks/ledger-prod/payout-worker", st, t, fmt.Sprintf(`%s INFO payouts.worker job %s done payouts=%d amount_minor=%d in %.2fs`, ts, job, 1+s.rng.Intn(30), 10000+s.rng.Intn(9000000), 0.2+s.rng.Float64()))
	})
	// recon (Go) runs every minute with a small pool.
	s.every(s.start, s.end, flat(2), func(t time.Time) {
		if !t.Before(at("2026-11-30T13:16:10Z")) && s.rng.Intn(4) == 0 {
			s.log("/eks/ledger-prod/recon", "recon/recon-6f8b9d7c5-kx2mp", t, fmt.Sprintf(`{"level":"error","ts":"%s","caller":"recon/run.go:77","msg":"reconcile window failed","window":"%s","error":"Error 1040 (08004): Too many connections"}`, t.Format(time.RFC3339Nano), t.Add(-5*time.Minute).Format("15:04")))
			return
		}
		if s.rng.Intn(50) == 0 {
			s.log("/eks/ledger-prod/recon", "recon/recon-6f8b9d7c5-kx2mp", t, fmt.Sprintf(`{"level":"warn","ts":"%s","caller":"recon/run.go:91","msg":"bank statement fetch slow","error":"context deadline exceeded"}`, t.Format(time.RFC3339Nano)))
			return
		}
		s.log("/eks/ledger-prod/recon", "recon/recon-6f8b9d7c5-kx2mp", t, fmt.Sprintf(`{"level":"info","ts":"%s","caller":"recon/run.go:64","msg":"reconciled","entries":%d,"mismatches":0}`, t.Format(time.RFC3339Nano), 100+s.rng.Intn(900)))
	})

	get := func(t time.Time) *minute {
		if m := mins[t]; m != nil {
			return m
		}
		return &minute{}
	}
	// X-Ray: ledger-api (Java agent) with its JDBC subsegment.
	s.every(s.start, s.end, flat(1.5), func(t time.Time) {
		pod := apiPods[s.rng.Intn(len(apiPods))]
		since, isStarved := starved[pod]
		fail := isStarved && !t.Before(since) && s.rng.Intn(3) > 0
		end := t.Add(time.Duration(20+s.rng.Intn(30)) * time.Millisecond)
		sub := map[string]any{"id": s.hex(16), "name": "ledger@ledger-mysql-prod.c9x2k4m1p0qz.us-east-2.rds.amazonaws.com", "namespace": "remote", "start_time": epoch(t.Add(2 * time.Millisecond)), "end_time": epoch(end.Add(-time.Millisecond)),
			"sql": map[string]any{"url": "jdbc:mysql://ledger-mysql-prod.c9x2k4m1p0qz.us-east-2.rds.amazonaws.com:3306/ledger", "database_type": "MySQL", "database_version": "8.0.39", "driver_version": "MySQL Connector/J 8.4.0", "user": "ledger_app"}}
		seg := map[string]any{"id": s.hex(16), "name": "ledger-api", "start_time": epoch(t), "end_time": epoch(end), "origin": "AWS::EKS::Container",
			"http": map[string]any{"request": map[string]any{"method": "GET", "url": "https://ledger.internal.fernpay.com/v1/transfers"}, "response": map[string]any{"status": 200}},
			"aws":  map[string]any{"eks": map[string]any{"pod": pod, "cluster_name": "ledger-prod"}}, "subsegments": []any{sub}}
		if fail {
			end = t.Add(30 * time.Second)
			seg["end_time"], sub["end_time"] = epoch(end), epoch(end.Add(-time.Millisecond))
			sub["fault"] = true
			outer, inner := s.hex(16), s.hex(16)
			sub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": outer, "type": "java.sql.SQLTransientConnectionException", "message": "HikariPool-1 - Connection is not available, request timed out after 30000ms (total=4, active=4, idle=0, waiting=9)", "cause": inner},
				map[string]any{"id": inner, "type": "java.sql.SQLNonTransientConnectionException", "message": `Data source rejected establishment of connection,  message from server: "Too many connections"`, "remote": true}}}
			seg["fault"] = true
			seg["http"].(map[string]any)["response"] = map[string]any{"status": 500}
		}
		s.addTrace(s.traceID(t), seg)
	})
	lbDim := dim{"LoadBalancer", lb}
	s.counter("AWS/ApplicationELB", "RequestCount", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { return float64(get(t).req), true })
	s.counter("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", []dim{lbDim}, "Count", func(t time.Time) (float64, bool) { m := get(t); return float64(m.t5), m.t5 > 0 })
	dbd := []dim{{"DBInstanceIdentifier", db}}
	s.gauge("AWS/RDS", "DatabaseConnections", dbd, "Count", func(t time.Time) (float64, bool) {
		if !t.Before(change.Truncate(time.Minute).Add(time.Minute)) {
			return 121, true
		}
		return s.noisy(163, 0.06), true
	})
	s.gauge("AWS/RDS", "CPUUtilization", dbd, "Percent", func(t time.Time) (float64, bool) {
		if t.After(at("2026-11-30T12:28:00Z")) && t.Before(at("2026-11-30T12:52:00Z")) {
			return s.noisy(71, 0.08), true // the month-end reporting query the DBA was chasing
		}
		return s.noisy(34, 0.12), true
	})
	s.gauge("AWS/RDS", "FreeableMemory", dbd, "Bytes", func(t time.Time) (float64, bool) { return s.noisy(9.1e9, 0.02), true })
	s.gauge("AWS/RDS", "ReadLatency", dbd, "Seconds", func(t time.Time) (float64, bool) { return s.noisy(0.0011, 0.3), true })
	s.counter("FernPay/Payouts", "PayoutJobsFailed", []dim{{"Service", "payout-worker"}}, "Count", func(t time.Time) (float64, bool) {
		if t.Before(change.Truncate(time.Minute)) {
			return float64(s.rng.Intn(2)), true
		}
		return s.noisy(8, 0.3), true
	})
	s.alarm(alarmSpec{name: "ledger-api-5xx", desc: "ledger-api answering 5xx (payments-gateway depends on it)", ns: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", stat: "Sum", cmp: "GreaterThanThreshold",
		dims: []dim{lbDim}, threshold: 10, period: 60, evals: 3, state: "ALARM", at: at("2026-11-30T13:19:08Z"), topic: "arn:aws:sns:us-east-2:118274650392:ledger-pager",
		reason: "Threshold Crossed: 3 out of the last 3 datapoints [27.0 (30/11/26 13:18:00), 24.0 (30/11/26 13:17:00), 19.0 (30/11/26 13:16:00)] were greater than the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition)."})
	s.alarm(alarmSpec{name: "ledger-mysql-prod-cpu", desc: "DB CPU", ns: "AWS/RDS", metric: "CPUUtilization", stat: "Average", cmp: "GreaterThanThreshold", dims: dbd, threshold: 80, period: 300, evals: 2,
		state: "OK", at: at("2026-11-30T12:55:00Z"), topic: "arn:aws:sns:us-east-2:118274650392:ledger-pager", reason: "Threshold Crossed: 2 datapoints were not greater than the threshold (80.0)."})

	s.noise(noiseSpec{taskRoles: []string{"ledger-api-irsa", "payout-worker-irsa", "recon-irsa"}, logGroups: []string{"/eks/ledger-prod/ledger-api", "/eks/ledger-prod/payout-worker", "/eks/ledger-prod/recon"},
		monitor: s.role("grafana-cloudwatch", "", "grafana-datasource", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) Grafana/11.3.0", "18.188.9.144"),
		ci:      s.role("buildkite-ecr-push", "", "buildkite-8839", "aws-cli/2.18.4 md/command#ecr.put-image", "3.16.44.201"), repos: []string{"ledger-api", "payout-worker", "recon"},
		humans: []who{dba, s.role("AWSReservedSSO_Engineer_3c5e7a9b1d0f2e4a", "aws-reserved/sso.amazonaws.com/us-east-2/", "maria.santos@fernpay.com", "AWS Internal", "177.92.40.6")}, perMinute: 4,
		extraReads: []string{"rds.amazonaws.com:DescribeDBInstances", "rds.amazonaws.com:DescribeDBParameters", "pi.amazonaws.com:GetResourceMetrics", "rds.amazonaws.com:DescribeDBLogFiles"}})
	rds := "rds.amazonaws.com"
	s.ct(at("2026-11-30T12:41:07Z"), rds, "ModifyDBParameterGroup", dba, false,
		map[string]any{"dBParameterGroupName": pg, "parameters": []any{map[string]any{"parameterName": "long_query_time", "parameterValue": "1", "applyMethod": "immediate"}, map[string]any{"parameterName": "slow_query_log", "parameterValue": "1", "applyMethod": "immediate"}}},
		map[string]any{"dBParameterGroupName": pg})
	s.ct(at("2026-11-30T13:09:44Z"), rds, "CreateDBSnapshot", dba, false, map[string]any{"dBSnapshotIdentifier": "ledger-mysql-prod-before-conn-cap", "dBInstanceIdentifier": db},
		map[string]any{"dBSnapshotIdentifier": "ledger-mysql-prod-before-conn-cap", "dBInstanceIdentifier": db, "status": "creating", "engine": "mysql", "engineVersion": "8.0.39", "snapshotType": "manual"})
	s.ct(change, rds, "ModifyDBParameterGroup", dba, false,
		map[string]any{"dBParameterGroupName": pg, "parameters": []any{map[string]any{"parameterName": "max_connections", "parameterValue": "120", "applyMethod": "immediate"}}},
		map[string]any{"dBParameterGroupName": pg})
	s.ct(at("2026-11-30T13:14:30Z"), rds, "ModifyDBInstance", tf, false,
		map[string]any{"dBInstanceIdentifier": "ledger-mysql-prod-replica-1", "performanceInsightsRetentionPeriod": 31, "applyImmediately": true},
		map[string]any{"dBInstanceIdentifier": "ledger-mysql-prod-replica-1", "dBInstanceStatus": "available", "engine": "mysql", "dBParameterGroups": []any{map[string]any{"dBParameterGroupName": pg, "parameterApplyStatus": "in-sync"}}})

	s.write("ledger-api 5xx and payouts failing", "FernPay's ledger runs on EKS (cluster ledger-prod) in us-east-2 against RDS for MySQL 8.0 ledger-mysql-prod (db.r6g.2xlarge, parameter group ledger-mysql80-prod, one read replica). ledger-api is Spring Boot with HikariCP (up to 20 connections per pod, maxLifetime 30 min, 6 pods) behind the internal ALB ledger-prod; payout-worker (Python, PyMySQL) opens a connection per job; recon (Go, database/sql) reconciles bank statements every minute. Normal load holds 150-170 connections.",
		truth{Kind: "rds-parameter-group", Alarm: "ledger-api-5xx",
			RootCause: &rootCause{EventName: "ModifyDBParameterGroup", EventTime: change, Resource: pg},
			Onset:     onset,
			Decoys: []decoy{
				{"ModifyDBParameterGroup", at("2026-11-30T12:41:07Z"), "same person, same parameter group, slow-query logging"},
				{"CreateDBSnapshot", at("2026-11-30T13:09:44Z"), "same person snapshots the same instance 3 minutes before"},
				{"ModifyDBInstance", at("2026-11-30T13:14:30Z"), "Terraform changes the replica's Performance Insights retention after the onset"},
			},
			Signals: []string{"Too many connections", "max_connections"}})
}

// 6. A CDN pipeline "hardens" the web origin to HTTPS-only. The origin is the
// ALB's DNS name, whose certificate covers *.harborline.com only, so every
// cache miss fails the TLS handshake and CloudFront answers 502, while the
// 96% of requests served from cache keep working.
func cloudfrontOriginSSL() {
	s := newSnap("cloudfront-origin-https-only", "us-east-1", "402817365940", at("2026-12-01T18:15:00Z"), at("2026-12-01T19:45:00Z"))
	change := at("2026-12-01T19:05:31Z")
	onset := at("2026-12-01T19:06:52Z") // the distribution finished deploying to the first edges
	dist := "E3KXQ2L9T7M4VB"
	inval := at("2026-12-01T19:06:05Z")
	ci := s.role("harborline-cdn-deploy", "", "gha-harborline-infra-4471", "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.8.0-1017-azure lang/js md/nodejs#20.18.0 api/cloudfront#3.693.0", "172.183.90.12")
	web := s.role("harborline-web-deploy", "", "gha-harborline-web-9120", "aws-cli/2.18.4 md/command#cloudfront.create-invalidation", "20.161.77.45")
	lg := "/aws/cloudfront/harborline-www"
	pops := []string{"IAD89-P1", "JFK52-P3", "LHR61-P2", "FRA56-P5", "ORD58-P4", "SFO53-P6"}
	paths := []struct {
		p     string
		ttlOK float64 // hit ratio
		ctype string
	}{{"/", 0.93, "text/html"}, {"/products/oak-desk", 0.9, "text/html"}, {"/products/linen-sofa", 0.9, "text/html"}, {"/collections/outdoor", 0.92, "text/html"},
		{"/_next/static/chunks/main-4f1c2a9d.js", 0.995, "application/javascript"}, {"/_next/static/css/app-8b2e.css", 0.995, "text/css"}, {"/images/hero-winter.webp", 0.99, "image/webp"}, {"/favicon.ico", 0.999, "image/x-icon"}}
	type minute struct{ req, e5, e4, miss int }
	mins := map[time.Time]*minute{}
	bump := func(t time.Time) *minute {
		k := t.Truncate(time.Minute)
		if mins[k] == nil {
			mins[k] = &minute{}
		}
		return mins[k]
	}
	// Logs are a sample (1 in ~300); metrics carry the full volume.
	const sample = 300.0
	s.every(s.start, s.end, flat(140), func(t time.Time) {
		m := bump(t)
		m.req++
		p := paths[s.rng.Intn(len(paths))]
		hit := s.rng.Float64() < p.ttlOK
		if !t.Before(inval) && t.Before(inval.Add(6*time.Minute)) && p.ctype == "text/html" {
			hit = s.rng.Float64() < 0.6 // the deploy's invalidation empties the HTML cache for a while
		}
		res, detailed, status, ttfb, bytes := "Hit", "Hit", 200, 0.002+s.rng.Float64()*0.01, 3000+s.rng.Intn(90000)
		if !hit {
			res, detailed, ttfb = "Miss", "Miss", 0.08+s.rng.Float64()*0.25
			m.miss++
		}
		if s.rng.Intn(90) == 0 {
			status, res, detailed, bytes = 404, "Error", "Error", 1200
			m.e4++
		} else if !hit && !t.Before(onset) {
			status, res, detailed, ttfb, bytes = 502, "Error", "OriginCommError", 0.03+s.rng.Float64()*0.05, 915
			m.e5++
		} else if !hit && s.rng.Intn(400) == 0 {
			status, res, detailed, ttfb, bytes = 504, "Error", "OriginError", 30, 915
			m.e5++
		}
		pop := pops[s.rng.Intn(len(pops))]
		s.log(lg, "CloudFront_"+dist, t, jsonLine(map[string]any{
			"timestamp": fmt.Sprintf("%.3f", float64(t.UnixMilli())/1000), "DistributionId": dist, "date": t.Format("2006-01-02"), "time": t.Format("15:04:05"),
			"x-edge-location": pop, "sc-bytes": fmt.Sprint(bytes), "c-ip": fmt.Sprintf("%d.%d.%d.%d", 24+s.rng.Intn(180), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(254)),
			"cs-method": "GET", "cs(Host)": "d1x7q3kz9w2mfa.cloudfront.net", "cs-uri-stem": p.p, "sc-status": fmt.Sprint(status), "cs(Referer)": "https://www.harborline.com/",
			"cs(User-Agent)": "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/131.0.0.0%20Safari/537.36",
			"cs-uri-query":   "-", "cs(Cookie)": "-", "x-edge-result-type": res, "x-edge-request-id": s.upperAlnum(8) + "_" + s.upperAlnum(12) + "==",
			"x-host-header": "www.harborline.com", "cs-protocol": "https", "cs-bytes": fmt.Sprint(300 + s.rng.Intn(400)), "time-taken": fmt.Sprintf("%.3f", ttfb+0.001),
			"x-forwarded-for": "-", "ssl-protocol": "TLSv1.3", "ssl-cipher": "TLS_AES_128_GCM_SHA256", "x-edge-response-result-type": res, "cs-protocol-version": "HTTP/2.0",
			"fle-status": "-", "fle-encrypted-fields": "-", "c-port": fmt.Sprint(30000 + s.rng.Intn(30000)), "time-to-first-byte": fmt.Sprintf("%.3f", ttfb),
			"x-edge-detailed-result-type": detailed, "sc-content-type": p.ctype, "sc-content-len": fmt.Sprint(bytes), "sc-range-start": "-", "sc-range-end": "-"}))
	})
	// The origin (Next.js on ECS behind the ALB) logs plain lines without a level.
	s.every(s.start, s.end, func(t time.Time) float64 {
		if t.Before(onset) {
			return 40
		}
		return 2
	}, func(t time.Time) {
		p := paths[s.rng.Intn(4)]
		s.log("/ecs/harborline-web", "web/harborline-web/6a8c0e2b4d1f4a3c", t, fmt.Sprintf("GET %s 200 in %dms", p.p, 40+s.rng.Intn(200)))
	})
	s.every(s.start, s.end, flat(0.12), func(t time.Time) {
		s.log("/ecs/harborline-web", "web/harborline-web/6a8c0e2b4d1f4a3c", t, ` ⨯ TypeError: fetch failed
    at node:internal/deps/undici/undici:13502:13
    at async getInventory (/app/.next/server/chunks/412.js:1:8841) {
  [cause]: [Error: read ECONNRESET] { errno: -104, code: 'ECONNRESET', syscall: 'read' }
}`)
	})

	get := func(t time.Time) *minute {
		if m := mins[t]; m != nil {
			return m
		}
		return &minute{}
	}
	dd := []dim{{"DistributionId", dist}, {"Region", "Global"}}
	s.counter("AWS/CloudFront", "Requests", dd, "None", func(t time.Time) (float64, bool) { return float64(get(t).req) * sample, true })
	rate := func(n, d int) float64 {
		if d == 0 {
			return 0
		}
		return 100 * float64(n) / float64(d)
	}
	s.gauge("AWS/CloudFront", "5xxErrorRate", dd, "Percent", func(t time.Time) (float64, bool) { m := get(t); return rate(m.e5, m.req), true })
	s.gauge("AWS/CloudFront", "4xxErrorRate", dd, "Percent", func(t time.Time) (float64, bool) { m := get(t); return rate(m.e4, m.req), true })
	s.gauge("AWS/CloudFront", "TotalErrorRate", dd, "Percent", func(t time.Time) (float64, bool) { m := get(t); return rate(m.e4+m.e5, m.req), true })
	s.gauge("AWS/CloudFront", "CacheHitRate", dd, "Percent", func(t time.Time) (float64, bool) { m := get(t); return 100 - rate(m.miss, m.req), true })
	s.gauge("AWS/CloudFront", "OriginLatency", dd, "Milliseconds", func(t time.Time) (float64, bool) {
		if !t.Before(onset.Truncate(time.Minute)) {
			return s.noisy(38, 0.2), true
		}
		return s.noisy(190, 0.2), true
	})
	s.counter("AWS/CloudFront", "BytesDownloaded", dd, "None", func(t time.Time) (float64, bool) { return float64(get(t).req) * sample * 41000, true })
	albd := []dim{{"LoadBalancer", "app/harborline-web-prod/1849372651a0c3e5"}}
	s.counter("AWS/ApplicationELB", "RequestCount", albd, "Count", func(t time.Time) (float64, bool) {
		if !t.Before(onset.Truncate(time.Minute)) {
			return float64(6 + s.rng.Intn(4)), true // uptime checks only
		}
		return float64(get(t).miss)*sample + float64(s.rng.Intn(20)), true
	})
	s.alarm(alarmSpec{name: "harborline-www-5xx-rate", desc: "CloudFront 5xx error rate on www.harborline.com", ns: "AWS/CloudFront", metric: "5xxErrorRate", stat: "Average", cmp: "GreaterThanThreshold",
		dims: dd, threshold: 2, period: 60, evals: 3, state: "ALARM", at: at("2026-12-01T19:10:41Z"), topic: "arn:aws:sns:us-east-1:402817365940:web-oncall",
		reason: "Threshold Crossed: 3 out of the last 3 datapoints [3.5 (01/12/26 19:09:00), 4.2 (01/12/26 19:08:00), 6.9 (01/12/26 19:07:00)] were greater than the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition)."})
	s.alarm(alarmSpec{name: "harborline-www-4xx-rate", desc: "CloudFront 4xx error rate", ns: "AWS/CloudFront", metric: "4xxErrorRate", stat: "Average", cmp: "GreaterThanThreshold",
		dims: dd, threshold: 5, period: 300, evals: 2, state: "OK", at: at("2026-11-30T03:20:00Z"), topic: "arn:aws:sns:us-east-1:402817365940:web-oncall", reason: "Threshold Crossed: 2 datapoints were not greater than the threshold (5.0)."})

	s.noise(noiseSpec{taskRoles: []string{"harborline-web-task", "harborline-api-task"}, logGroups: []string{"/ecs/harborline-web", "/ecs/harborline-api"},
		monitor: s.role("DatadogIntegrationRole", "", "DatadogAWSIntegration", "Datadog/1.0 aws-sdk-go/1.44.327", "3.233.147.21"), ci: web, repos: []string{"harborline-web", "harborline-api"},
		humans: []who{s.role("AWSReservedSSO_WebPlatform_7b9d1f3a5c0e2d4b", "aws-reserved/sso.amazonaws.com/", "noah.berg@harborline.com", "AWS Internal", "64.71.22.190")}, perMinute: 4,
		extraReads: []string{"cloudfront.amazonaws.com:GetDistribution2020_05_31", "cloudfront.amazonaws.com:ListDistributions2020_05_31", "cloudfront.amazonaws.com:GetInvalidation2020_05_31"}})
	cfg := func(protocol string, assetsTTL int) map[string]any {
		return map[string]any{"id": dist, "ifMatch": "E" + s.upperAlnum(13), "distributionConfig": map[string]any{
			"callerReference": "terraform-20250314091522873400000001", "aliases": map[string]any{"quantity": 1, "items": []string{"www.harborline.com"}}, "defaultRootObject": "",
			"origins": map[string]any{"quantity": 2, "items": []any{
				map[string]any{"id": "web-origin", "domainName": "harborline-web-prod-1849372651.us-east-1.elb.amazonaws.com", "originPath": "", "customHeaders": map[string]any{"quantity": 1},
					"customOriginConfig": map[string]any{"hTTPPort": 80, "hTTPSPort": 443, "originProtocolPolicy": protocol, "originSslProtocols": map[string]any{"quantity": 1, "items": []string{"TLSv1.2"}}, "originReadTimeout": 30, "originKeepaliveTimeout": 5},
					"connectionAttempts": 3, "connectionTimeout": 10, "originShield": map[string]any{"enabled": false}},
				map[string]any{"id": "api-origin", "domainName": "api.harborline.com", "originPath": "", "customHeaders": map[string]any{"quantity": 0},
					"customOriginConfig": map[string]any{"hTTPPort": 80, "hTTPSPort": 443, "originProtocolPolicy": "https-only", "originSslProtocols": map[string]any{"quantity": 1, "items": []string{"TLSv1.2"}}, "originReadTimeout": 30, "originKeepaliveTimeout": 5},
					"connectionAttempts": 3, "connectionTimeout": 10, "originShield": map[string]any{"enabled": false}}}},
			"defaultCacheBehavior": map[string]any{"targetOriginId": "web-origin", "viewerProtocolPolicy": "redirect-to-https", "compress": true, "cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
				"functionAssociations": map[string]any{"quantity": 1, "items": []any{map[string]any{"functionARN": "arn:aws:cloudfront::402817365940:function/www-redirects", "eventType": "viewer-request"}}}},
			"cacheBehaviors": map[string]any{"quantity": 2, "items": []any{
				map[string]any{"pathPattern": "/api/*", "targetOriginId": "api-origin", "viewerProtocolPolicy": "https-only", "cachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "originRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac"},
				map[string]any{"pathPattern": "/_next/static/*", "targetOriginId": "web-origin", "viewerProtocolPolicy": "redirect-to-https", "minTTL": 0, "defaultTTL": assetsTTL, "maxTTL": 31536000, "compress": true}}},
			"comment": "www.harborline.com", "logging": map[string]any{"enabled": false, "includeCookies": false, "bucket": "", "prefix": ""}, "priceClass": "PriceClass_100", "enabled": true,
			"viewerCertificate": map[string]any{"aCMCertificateArn": "arn:aws:acm:us-east-1:402817365940:certificate/3e5a7c9b-1d2f-4a6c-8e0b-2d4f6a8c0e1b", "sSLSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"},
			"httpVersion":       "http2and3", "isIPV6Enabled": true, "webACLId": "arn:aws:wafv2:us-east-1:402817365940:global/webacl/harborline-www/1a3c5e7b-9d0f-4b2d-8c6e-0a2c4e6b8d1f"}}
	}
	resp := func(t time.Time) map[string]any {
		return map[string]any{"distribution": map[string]any{"id": dist, "aRN": "arn:aws:cloudfront::402817365940:distribution/" + dist, "status": "InProgress", "lastModifiedTime": t.Format("Jan 2, 2006, 3:04:05 PM"), "domainName": "d1x7q3kz9w2mfa.cloudfront.net"}, "eTag": "E" + s.upperAlnum(13)}
	}
	cf := "cloudfront.amazonaws.com"
	put := func(t time.Time, name string, w who, req, rsp map[string]any) {
		r := s.ct(t, cf, name, w, false, req, rsp)
		r["awsRegion"] = "us-east-1"
	}
	put(at("2026-12-01T18:41:12Z"), "UpdateDistribution2020_05_31", ci, cfg("http-only", 604800), resp(at("2026-12-01T18:41:12Z")))
	put(at("2026-12-01T19:04:10Z"), "UpdateFunction2020_05_31", ci, map[string]any{"name": "www-redirects", "ifMatch": "E" + s.upperAlnum(13), "functionConfig": map[string]any{"comment": "legacy /shop/* redirects", "runtime": "cloudfront-js-2.0"}, "functionCode": "HIDDEN_DUE_TO_SECURITY_REASONS"}, map[string]any{"functionSummary": map[string]any{"name": "www-redirects", "status": "UNPUBLISHED"}})
	put(at("2026-12-01T19:04:31Z"), "PublishFunction2020_05_31", ci, map[string]any{"name": "www-redirects", "ifMatch": "E" + s.upperAlnum(13)}, map[string]any{"functionSummary": map[string]any{"name": "www-redirects", "status": "UNASSOCIATED", "functionMetadata": map[string]any{"stage": "LIVE"}}})
	put(change, "UpdateDistribution2020_05_31", ci, cfg("https-only", 604800), resp(change))
	put(inval, "CreateInvalidation2020_05_31", web, map[string]any{"distributionId": dist, "invalidationBatch": map[string]any{"paths": map[string]any{"quantity": 3, "items": []string{"/", "/products/*", "/collections/*"}}, "callerReference": "deploy-" + s.hex(8)}},
		map[string]any{"location": "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + dist + "/invalidation/I" + s.upperAlnum(12), "invalidation": map[string]any{"status": "InProgress"}})

	s.write("www.harborline.com intermittent 502", "www.harborline.com is served by CloudFront distribution E3KXQ2L9T7M4VB (standard logging v2 to CloudWatch Logs; this snapshot keeps about 1 in 300 edge log records, the metrics carry the full volume). Origins: web-origin, the internet-facing ALB harborline-web-prod (Next.js on ECS, certificate *.harborline.com), and api-origin api.harborline.com for /api/*. About 96% of requests are cache hits. The distribution and its CloudFront Function are managed from GitHub Actions; web deploys invalidate HTML paths.",
		truth{Kind: "cloudfront-origin", Alarm: "harborline-www-5xx-rate",
			RootCause: &rootCause{EventName: "UpdateDistribution2020_05_31", EventTime: change, Resource: dist},
			Onset:     onset,
			Decoys: []decoy{
				{"UpdateDistribution2020_05_31", at("2026-12-01T18:41:12Z"), "same pipeline, same distribution, 25 minutes earlier"},
				{"UpdateFunction2020_05_31", at("2026-12-01T19:04:10Z"), "the viewer-request function's code, 81 s before the real change"},
				{"PublishFunction2020_05_31", at("2026-12-01T19:04:31Z"), "publishing it to LIVE, a minute before the real change"},
				{"CreateInvalidation2020_05_31", inval, "a web deploy's invalidation 47 s before the onset; it raises the miss rate and so the number of 502s"},
			},
			Signals: []string{"https-only", "OriginCommError", "502"}})
}
