package main

import (
	"fmt"
	"time"
)

// dbResize: to cut cost, an engineer resizes the self-managed PostgreSQL
// primary (EC2) from r6i.2xlarge to r6i.large in the middle of the APAC
// business day: StopInstances, ModifyInstanceAttribute instanceType,
// StartInstances. About four minutes of refused/timed-out connections, then
// the smaller instance swaps, the OOM killer hits a backend and queries
// crawl.
func dbResize(s *snap) {
	s.setup("ap-southeast-2", "771902345618", ts("2026-11-24T01:30:00Z"), 90,
		"ledger-api 5xx high",
		"ledger-api (Python 3.12, FastAPI + psycopg2, structlog JSON) on ECS behind ALB ledger-prod; settlement-worker (Go, pgx, logfmt) on ECS; both use a self-managed PostgreSQL 16 primary on EC2 i-0a3f9c1d2e4b5a678 (Name pg-ledger-primary, 10.40.3.17) with a streaming replica i-07d2e9b4c1a6f8035. PostgreSQL and syslog shipped by the CloudWatch agent to /ec2/pg-ledger/postgresql and /ec2/pg-ledger/messages.")
	inst, other, vol := "i-0a3f9c1d2e4b5a678", "i-0e5b8c3a7d1f92460", "vol-04c7e2a9f1b3d5e68"
	stop := ts("2026-11-24T02:10:12Z")
	modify := ts("2026-11-24T02:12:40Z")
	start := ts("2026-11-24T02:13:05Z")
	onset := ts("2026-11-24T02:10:15Z")    // sessions terminated by the shutdown
	pgDown := stop.Add(4 * time.Second)    // fast shutdown, refused from here
	hostGone := stop.Add(38 * time.Second) // OS off: timeouts
	hostUp := start.Add(52 * time.Second)  // OS booted, postgres not yet
	pgUp := start.Add(101 * time.Second)   // ready to accept connections
	oom1 := ts("2026-11-24T02:27:48Z")     // first OOM kill under small RAM
	oom2 := ts("2026-11-24T02:44:19Z")
	lb := "app/ledger-prod/2b6f0d8e4c1a9357"
	tg := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/ledger-api-8000/9c3e1a7b5d2f0486", s.region, s.account)
	cert := fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "0b5d2e8f-1c4a-4f73-9e6b-3a8d7c2f1e05")
	dom := "ledger.api.finch-pay.com.au"
	targets := []string{"10.40.21.18:8000", "10.40.22.94:8000", "10.40.23.61:8000"}
	apiStreams := []string{"ledger-api/app/41a7c9e2b5d84f01a3c6e8b0d2f4a6c8", "ledger-api/app/9d2f4b6e8a0c42e4b6d8f0a2c4e6b8d0", "ledger-api/app/c6e8a0b2d4f64807a9cbed0f1a3c5e7f"}
	state := func(t time.Time) string {
		switch {
		case t.Before(pgDown):
			return "up"
		case t.Before(hostGone):
			return "refused"
		case t.Before(hostUp):
			return "timeout"
		case t.Before(pgUp):
			return "refused"
		}
		return "small"
	}
	slowFactor := func(t time.Time) float64 {
		if state(t) != "small" {
			return 1
		}
		f := 10 + 10*s.rng.Float64()
		if (t.After(oom1) && t.Before(oom1.Add(70*time.Second))) || (t.After(oom2) && t.Before(oom2.Add(70*time.Second))) {
			f = 45
		}
		return f
	}

	e5 := map[time.Time]float64{}
	lat := map[time.Time][]float64{}
	s.minutes(func(m time.Time) {
		n := int(s.jitter(48, 0.15))
		for i := 0; i < n; i++ {
			t := s.at(m)
			k := s.rng.Intn(len(targets))
			stream := apiStreams[k]
			path := s.pick("/v1/accounts/acc_"+s.hex(8)+"/balance", "/v1/transfers", "/v1/transfers/tr_"+s.hex(12), "/v1/accounts/acc_"+s.hex(8)+"/statements?month=2026-11", "/healthz")
			method := "GET"
			if path == "/v1/transfers" {
				method = "POST"
			}
			code := 200
			d := (0.015 + s.rng.ExpFloat64()*0.03) * slowFactor(t)
			st := state(t)
			if path == "/healthz" {
				d = 0.002
			} else {
				switch st {
				case "refused":
					code, d = 500, 0.004
					s.log("/ecs/ledger-api", stream, t, js(map[string]any{"event": "unhandled exception", "level": "error", "logger": "ledger.api", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "path": path, "method": method,
						"exception": "Traceback (most recent call last):\n  File \"/app/ledger/db.py\", line 41, in connection\n    conn = self._pool.getconn()\n  File \"/usr/local/lib/python3.12/site-packages/psycopg2/pool.py\", line 94, in _getconn\n    return self._connect(key)\n  File \"/usr/local/lib/python3.12/site-packages/psycopg2/__init__.py\", line 122, in connect\n    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\npsycopg2.OperationalError: connection to server at \"10.40.3.17\", port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?"}))
				case "timeout":
					code, d = 504, 10+s.rng.Float64()*0.2
					if s.rng.Float64() < 0.5 {
						code, d = 500, 5.0+s.rng.Float64()*0.1
						s.log("/ecs/ledger-api", stream, t, js(map[string]any{"event": "unhandled exception", "level": "error", "logger": "ledger.api", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "path": path, "method": method,
							"exception": "Traceback (most recent call last):\n  File \"/app/ledger/db.py\", line 41, in connection\n    conn = self._pool.getconn()\n  File \"/usr/local/lib/python3.12/site-packages/psycopg2/__init__.py\", line 122, in connect\n    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\npsycopg2.OperationalError: connection to server at \"10.40.3.17\", port 5432 failed: timeout expired"}))
					}
				case "small":
					if d > 5 {
						code = 504
						if d > 10 {
							d = 10.001
						}
					}
					if d > 1.5 && s.rng.Float64() < 0.5 {
						s.log("/ecs/ledger-api", stream, t, js(map[string]any{"event": "slow request", "level": "warning", "logger": "ledger.api.timing", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "path": path, "method": method, "duration_ms": int(d * 1000)}))
					}
				default:
					if s.rng.Float64() < 0.01 {
						code = 409
						s.log("/ecs/ledger-api", stream, t, js(map[string]any{"event": "transfer rejected", "level": "warning", "logger": "ledger.api.transfers", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "reason": "idempotency key reused with different body"}))
					}
				}
			}
			if code >= 500 {
				e5[m]++
			}
			lat[m] = append(lat[m], d)
			if code == 200 && s.rng.Float64() < 0.2 {
				s.log("/ecs/ledger-api", stream, t, js(map[string]any{"event": "request", "level": "info", "logger": "uvicorn.access", "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "path": path, "method": method, "status": code, "duration_ms": int(d * 1000)}))
			}
			elb, tgt := code, code
			if code == 504 && d >= 10 {
				tgt = 0
			}
			s.albLog(lb, tg, dom, cert, albReq{t: t.Add(time.Duration(d * 1e9)), client: s.clientIP(), target: targets[k], reqT: 0, tgtT: d, respT: 0, elb: elb, tgt: tgt,
				rcvd: 300 + s.rng.Intn(600), sent: 200 + s.rng.Intn(2000), method: method, url: "https://" + dom + ":443" + path, ua: s.pick("finch-mobile/5.12.0 (iOS 18.1)", "finch-mobile/5.12.0 (Android 14)", "okhttp/4.12.0", "python-requests/2.32.3")})
		}
		// settlement-worker (Go, pgx, logfmt) polling every ~5s.
		for i := 0; i < 12; i++ {
			t := m.Add(time.Duration(i*5)*time.Second + time.Duration(s.rng.Intn(900))*time.Millisecond)
			st := state(t)
			w := "settlement-worker/worker/5a1c3e7b9d2f4068a1c3e5b7d9f1a3c5"
			switch st {
			case "refused":
				s.log("/ecs/settlement-worker", w, t, fmt.Sprintf(`time=%s level=ERROR msg="poll batch failed" err="failed to connect to `+"`"+`user=settlement database=ledger`+"`"+`: 10.40.3.17:5432 (10.40.3.17): dial error: dial tcp 10.40.3.17:5432: connect: connection refused" attempt=%d`, t.Format(time.RFC3339Nano), 1+s.rng.Intn(5)))
			case "timeout":
				s.log("/ecs/settlement-worker", w, t, fmt.Sprintf(`time=%s level=ERROR msg="poll batch failed" err="failed to connect to `+"`"+`user=settlement database=ledger`+"`"+`: 10.40.3.17:5432 (10.40.3.17): dial error: timeout: context deadline exceeded" attempt=%d`, t.Format(time.RFC3339Nano), 1+s.rng.Intn(5)))
			default:
				if s.rng.Float64() < 0.35 {
					dur := int(s.jitter(40, 0.5) * slowFactor(t))
					s.log("/ecs/settlement-worker", w, t, fmt.Sprintf(`time=%s level=INFO msg="batch settled" batch=%d transfers=%d duration=%dms`, t.Format(time.RFC3339Nano), 4410000+s.rng.Intn(9999), 5+s.rng.Intn(40), dur))
				}
				if s.rng.Float64() < 0.02 {
					s.log("/ecs/settlement-worker", w, t, fmt.Sprintf(`time=%s level=WARN msg="bank file rejected, will retry" bank=ANZ code=ERR_CUTOFF`, t.Format(time.RFC3339Nano)))
				}
			}
		}
		// PostgreSQL log (stderr prefix '%m [%p] '), only while it runs.
		pgl := func(t time.Time, msg string) {
			s.log("/ec2/pg-ledger/postgresql", inst, t, t.Format("2006-01-02 15:04:05.000 MST")+fmt.Sprintf(" [%d] ", 1000+s.rng.Intn(30000))+msg)
		}
		for i := 0; i < 3; i++ {
			t := s.at(m)
			if st := state(t); st == "up" || st == "small" {
				if s.rng.Float64() < 0.3 {
					pgl(t, "LOG:  checkpoint starting: time")
				}
				if st == "small" && s.rng.Float64() < 0.8 {
					pgl(t, fmt.Sprintf("LOG:  duration: %.3f ms  statement: SELECT t.id, t.amount_cents, t.status FROM transfers t WHERE t.account_id = $1 AND t.created_at >= $2 ORDER BY t.created_at DESC LIMIT 200", 1500+s.rng.Float64()*6000))
				} else if s.rng.Float64() < 0.05 {
					pgl(t, fmt.Sprintf("LOG:  duration: %.3f ms  statement: SELECT * FROM statements_month_v WHERE account_id = $1", 1100+s.rng.Float64()*400))
				}
				if s.rng.Float64() < 0.03 {
					pgl(t, `ERROR:  duplicate key value violates unique constraint "transfers_idempotency_key_key"`)
				}
			}
		}
	})
	pg := func(t time.Time, msg string) {
		s.log("/ec2/pg-ledger/postgresql", inst, t, t.Format("2006-01-02 15:04:05.000 MST")+" [1187] "+msg)
	}
	pg(stop.Add(2*time.Second), "LOG:  received fast shutdown request")
	pg(stop.Add(2*time.Second), "LOG:  aborting any active transactions")
	pg(stop.Add(3*time.Second), "FATAL:  terminating connection due to administrator command")
	pg(stop.Add(3*time.Second), "LOG:  background worker \"logical replication launcher\" (PID 1201) exited with exit code 1")
	pg(stop.Add(4*time.Second), "LOG:  shutting down")
	pg(stop.Add(9*time.Second), "LOG:  database system is shut down")
	pg(pgUp.Add(-6*time.Second), "LOG:  starting PostgreSQL 16.6 on x86_64-pc-linux-gnu, compiled by gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2), 64-bit")
	pg(pgUp.Add(-6*time.Second), "LOG:  listening on IPv4 address \"0.0.0.0\", port 5432")
	pg(pgUp.Add(-5*time.Second), "LOG:  database system was shut down at 2026-11-24 02:10:21 UTC")
	pg(pgUp, "LOG:  database system is ready to accept connections")
	for _, o := range []time.Time{oom1, oom2} {
		pg(o.Add(time.Second), "LOG:  server process (PID 23188) was terminated by signal 9: Killed")
		pg(o.Add(time.Second), "DETAIL:  Failed process was running: SELECT a.id, sum(e.amount_cents) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id GROUP BY a.id")
		pg(o.Add(time.Second), "LOG:  terminating any other active server processes")
		pg(o.Add(2*time.Second), "LOG:  all server processes terminated; reinitializing")
		pg(o.Add(3*time.Second), "LOG:  database system was interrupted; last known up at "+o.Add(-4*time.Minute).Format("2006-01-02 15:04:05 MST"))
		pg(o.Add(9*time.Second), "LOG:  database system is ready to accept connections")
		s.log("/ec2/pg-ledger/messages", inst, o, o.Format("Jan _2 15:04:05")+" ip-10-40-3-17 kernel: postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
		s.log("/ec2/pg-ledger/messages", inst, o, o.Format("Jan _2 15:04:05")+" ip-10-40-3-17 kernel: Out of memory: Killed process 23188 (postgres) total-vm:9321456kB, anon-rss:2210044kB, file-rss:4kB, shmem-rss:6812300kB, UID:26 pgtables:17120kB oom_score_adj:0")
	}
	// syslog noise.
	s.minutes(func(m time.Time) {
		if st := state(m); st == "timeout" {
			return
		}
		for i := 0; i < 2; i++ {
			t := s.at(m)
			s.log("/ec2/pg-ledger/messages", inst, t, t.Format("Jan _2 15:04:05")+" ip-10-40-3-17 "+s.pick("systemd[1]: Started Session "+fmt.Sprint(4000+s.rng.Intn(999))+" of User ec2-user.", "amazon-ssm-agent[2114]: INFO [ssm-agent-worker] [MessageService] SendReply Completed", "chronyd[812]: Selected source 169.254.169.123", "dhclient[1544]: XMT: Solicit on eth0, interval 117280ms."))
		}
	})
	s.log("/ec2/pg-ledger/messages", inst, hostUp.Add(-20*time.Second), hostUp.Add(-20*time.Second).Format("Jan _2 15:04:05")+" ip-10-40-3-17 kernel: Memory: 15812340K/16383068K available (16384K kernel code, 9412K rwdata)")
	s.log("/ec2/pg-ledger/messages", inst, pgUp.Add(-7*time.Second), pgUp.Add(-7*time.Second).Format("Jan _2 15:04:05")+" ip-10-40-3-17 systemd[1]: Starting postgresql-16.service - PostgreSQL 16 database server...")

	// Metrics.
	idim := []dim{{"InstanceId", inst}}
	down := func(m time.Time) bool {
		return !m.Before(stop.Truncate(time.Minute).Add(time.Minute)) && m.Before(hostUp.Truncate(time.Minute))
	}
	s.series("AWS/EC2", "CPUUtilization", "Percent", idim, func(m time.Time) (float64, float64, bool) {
		if down(m) {
			return 0, 0, false
		}
		if !m.Before(pgUp) {
			return s.jitter(71, 0.15), 1, true
		}
		return s.jitter(24, 0.2), 1, true
	})
	s.series("CWAgent", "mem_used_percent", "Percent", []dim{{"InstanceId", inst}, {"InstanceType", "r6i.2xlarge"}}, func(m time.Time) (float64, float64, bool) {
		if !m.Before(stop.Truncate(time.Minute).Add(time.Minute)) {
			return 0, 0, false
		}
		return s.jitter(58, 0.03), 6, true
	})
	s.series("CWAgent", "mem_used_percent", "Percent", []dim{{"InstanceId", inst}, {"InstanceType", "r6i.large"}}, func(m time.Time) (float64, float64, bool) {
		if m.Before(hostUp) {
			return 0, 0, false
		}
		return s.jitter(94, 0.04), 6, true
	})
	s.series("CWAgent", "swap_used_percent", "Percent", []dim{{"InstanceId", inst}, {"InstanceType", "r6i.large"}}, func(m time.Time) (float64, float64, bool) {
		if m.Before(hostUp) {
			return 0, 0, false
		}
		return s.jitter(38, 0.3), 6, true
	})
	s.series("AWS/EC2", "CPUUtilization", "Percent", []dim{{"InstanceId", "i-07d2e9b4c1a6f8035"}}, func(m time.Time) (float64, float64, bool) {
		v := s.jitter(12, 0.2)
		if m.After(ts("2026-11-24T01:45:00Z")) && m.Before(ts("2026-11-24T01:58:00Z")) {
			v = s.jitter(64, 0.1) // nightly pg_dump from the replica
		}
		return v, 1, true
	})
	albd := []dim{{"LoadBalancer", lb}}
	s.counter("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", albd, func(m time.Time) (float64, bool) { return e5[m], true })
	s.series("AWS/ApplicationELB", "TargetResponseTime", "Seconds", albd, func(m time.Time) (float64, float64, bool) {
		sum := 0.0
		for _, v := range lat[m] {
			sum += v
		}
		return sum / float64(len(lat[m])), float64(len(lat[m])), true
	})
	s.alarm("ledger-api-5xx-high", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", albd, 10, "GreaterThanThreshold", 2, ts("2026-11-24T02:13:36Z"),
		"Threshold Crossed: 2 out of the last 2 datapoints [41.0 (24/11/26 02:12:00), 38.0 (24/11/26 02:11:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).")
	s.okAlarm("pg-ledger-replica-cpu-high", "AWS/EC2", "CPUUtilization", []dim{{"InstanceId", "i-07d2e9b4c1a6f8035"}}, 85)

	// CloudTrail.
	s.noise(450, []string{"ledger-api-task", "settlement-worker-task", "pg-ledger-ec2", "ecsTaskExecutionRole"}, []string{"finch-pg-backups", "finch-alb-logs"})
	liam := s.role("AWSReservedSSO_DatabaseAdmin_1d7f3b9e5a2c4680", "liam.nguyen@finch-pay.com.au", "120.148.33.9", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#ec2.stop-instances")
	ops := s.role("AWSReservedSSO_Operations_6b2e8d4f0a1c3957", "sophie.tran@finch-pay.com.au", "120.148.33.14", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")
	ec2res := map[string]any{"accountId": s.account, "type": "AWS::EC2::Instance", "ARN": fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", s.region, s.account, inst)}
	snapT := ts("2026-11-24T01:53:27Z")
	s.ct(snapT, liam, "ec2.amazonaws.com", "CreateSnapshot", false, map[string]any{"volumeId": vol, "description": "pre-resize pg-ledger-primary data volume",
		"tagSpecificationSet": map[string]any{"items": []map[string]any{{"resourceType": "snapshot", "tags": []map[string]any{{"key": "Name", "value": "pg-ledger-primary-pre-resize"}}}}}},
		map[string]any{"snapshotId": "snap-0d81b5e3c7a9f2046", "volumeId": vol, "status": "pending", "startTime": snapT.UnixMilli(), "progress": "", "volumeSize": 500, "encrypted": true})
	for _, t := range []string{"2026-11-24T01:55:10Z", "2026-11-24T02:01:44Z", "2026-11-24T02:06:02Z", "2026-11-24T02:09:31Z", "2026-11-24T02:11:50Z", "2026-11-24T02:13:40Z", "2026-11-24T02:15:12Z"} {
		s.ct(ts(t), liam, "ec2.amazonaws.com", s.pick("DescribeSnapshots", "DescribeInstances", "DescribeInstanceStatus"), true, map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": inst}}}}, nil)
	}
	protT := ts("2026-11-24T01:59:05Z")
	s.ct(protT, ops, "ec2.amazonaws.com", "ModifyInstanceAttribute", false, map[string]any{"instanceId": other, "disableApiTermination": map[string]any{"value": true}}, map[string]any{"_return": true})
	s.ct(stop, liam, "ec2.amazonaws.com", "StopInstances", false, map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": inst}}}, "force": false},
		map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": inst, "currentState": map[string]any{"code": 64, "name": "stopping"}, "previousState": map[string]any{"code": 16, "name": "running"}}}}}, ec2res)
	liam.ua = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#ec2.modify-instance-attribute"
	s.ct(modify, liam, "ec2.amazonaws.com", "ModifyInstanceAttribute", false, map[string]any{"instanceId": inst, "instanceType": map[string]any{"value": "r6i.large"}}, map[string]any{"_return": true}, ec2res)
	liam.ua = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#ec2.start-instances"
	s.ct(start, liam, "ec2.amazonaws.com", "StartInstances", false, map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": inst}}}},
		map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": inst, "currentState": map[string]any{"code": 0, "name": "pending"}, "previousState": map[string]any{"code": 80, "name": "stopped"}}}}}, ec2res)
	// Backup lifecycle and the SSM agent re-registering after boot.
	s.ct(ts("2026-11-24T01:41:00Z"), s.service("dlm.amazonaws.com"), "ec2.amazonaws.com", "DeleteSnapshot", false, map[string]any{"snapshotId": "snap-0a61c4e8b2d9f3750"}, map[string]any{"_return": true})
	s.ct(hostUp.Add(20*time.Second), s.role("pg-ledger-ec2", inst, "10.40.3.17", "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0"), "ssm.amazonaws.com", "UpdateInstanceInformation", false,
		map[string]any{"instanceId": inst, "agentVersion": "3.3.1142.0", "platformType": "Linux", "agentStatus": "Active"}, nil)

	s.truth = truth{Kind: "ec2-database-resize", Alarm: "ledger-api-5xx-high",
		RootCause: &rootCause{"StopInstances", stop, inst}, Onset: onset,
		Decoys:  []decoy{{"CreateSnapshot", snapT}, {"ModifyInstanceAttribute", protT}, {"DeleteSnapshot", ts("2026-11-24T01:41:00Z")}},
		Signals: []string{"Connection refused", "10.40.3.17"}}
}
