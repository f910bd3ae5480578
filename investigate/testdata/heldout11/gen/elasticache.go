package main

import (
	"fmt"
	"time"
)

// elasticacheSGReplaced: the session/catalogue Redis replication group is
// moved onto a new security group that only admits the bastion; clients
// reconnecting after Redis closes idle connections time out, reads fall
// through to Postgres and latency climbs.
func elasticacheSGReplaced(root string) {
	start := time.Date(2026, 11, 30, 11, 35, 0, 0, time.UTC)
	end := time.Date(2026, 11, 30, 13, 40, 0, 0, time.UTC)
	s := newSnap("elasticache-sg-replaced", 1106, start, end)
	s.title = "catalog-api latency high"
	s.arch = "catalog-api (Node.js 20, ioredis, pg) on ECS behind ALB prod-edge caches product pages in ElastiCache Redis replication group catalog-cache (primary catalog-cache-001, replica catalog-cache-002) in front of RDS Postgres catalog-pg; price-sync (Python 3.12, redis-py) warms the cache. Redis closes idle client connections after 300 s (parameter group timeout)."
	snapWin := time.Date(2026, 11, 30, 12, 31, 5, 0, time.UTC)
	newSG := time.Date(2026, 11, 30, 12, 58, 12, 0, time.UTC)
	unrelated := time.Date(2026, 11, 30, 13, 3, 10, 0, time.UTC)
	change := time.Date(2026, 11, 30, 13, 5, 41, 0, time.UTC)
	onset := time.Date(2026, 11, 30, 13, 7, 2, 0, time.UTC)
	fired := time.Date(2026, 11, 30, 13, 12, 20, 0, time.UTC)
	rgArn := "arn:aws:elasticache:us-east-1:" + acct + ":replicationgroup:catalog-cache"
	host := "catalog-cache.x7kq2p.ng.0001.use1.cache.amazonaws.com"

	plat := who{assumed("AWSReservedSSO_PlatformAdmin_4be2a7c19d03f58e", "olu.adeyemi@acme.io", "AROAWB3KJ7QFPLATADM9", snapWin.Add(-30*time.Minute)), "81.2.69.158", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard command/elasticache.modify-replication-group"}
	s.ct(snapWin.Add(-15*time.Second), "elasticache.amazonaws.com", "DescribeReplicationGroups", plat, map[string]any{"replicationGroupId": "catalog-cache"}, nil, true)
	s.ct(snapWin, "elasticache.amazonaws.com", "ModifyReplicationGroup", plat, map[string]any{"replicationGroupId": "catalog-cache", "applyImmediately": false, "snapshotWindow": "04:00-05:00", "snapshotRetentionLimit": 7},
		map[string]any{"replicationGroupId": "catalog-cache", "status": "available", "snapshotWindow": "04:00-05:00", "snapshotRetentionLimit": 7, "arn": rgArn}, false)
	sec := who{assumed("terraform-apply", "terraform-run-4502", "AROAWB3KJ7QFTFAPPLY5", newSG.Add(-2*time.Minute)), "20.42.11.51", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.187.0"}
	s.ct(newSG, "ec2.amazonaws.com", "CreateSecurityGroup", sec, map[string]any{"groupName": "catalog-cache-restricted", "groupDescription": "catalog-cache: bastion only (hardening ticket SEC-2291)", "vpcId": "vpc-0a3c5e7f9b1d2f4a6"},
		map[string]any{"_return": true, "groupId": "sg-0d4f1a7c9e2b83a56"}, false)
	s.ct(newSG.Add(6*time.Second), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", sec, map[string]any{"groupId": "sg-0d4f1a7c9e2b83a56", "ipPermissions": map[string]any{"items": []any{map[string]any{"ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379, "groups": map[string]any{"items": []any{map[string]any{"groupId": "sg-07b1e3d5f7a9c2e41", "description": "bastion"}}}}}}},
		map[string]any{"_return": true, "securityGroupRuleSet": map[string]any{"items": []any{map[string]any{"groupId": "sg-0d4f1a7c9e2b83a56", "securityGroupRuleId": "sgr-0" + s.hex(16), "isEgress": false, "ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379}}}}, false)
	mon := who{assumed("AWSReservedSSO_Observability_91c3e5a7b9d2f4e6", "hana.kimura@acme.io", "AROAWB3KJ7QFOBSERV06", unrelated.Add(-10*time.Minute)), "81.2.69.175", "console.amazonaws.com"}
	s.ct(unrelated, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", mon, map[string]any{"groupId": "sg-0f2a4c6e8b1d3f5a7", "ipPermissions": map[string]any{"items": []any{map[string]any{"ipProtocol": "tcp", "fromPort": 9100, "toPort": 9100, "groups": map[string]any{"items": []any{map[string]any{"groupId": "sg-05c7e9a1b3d5f7a92", "description": "prometheus scrape node-exporter"}}}}}}},
		map[string]any{"_return": true}, false)
	s.ct(change.Add(-45*time.Second), "elasticache.amazonaws.com", "DescribeReplicationGroups", sec, map[string]any{"replicationGroupId": "catalog-cache"}, nil, true)
	s.ct(change, "elasticache.amazonaws.com", "ModifyReplicationGroup", sec, map[string]any{"replicationGroupId": "catalog-cache", "applyImmediately": true, "securityGroupIds": []string{"sg-0d4f1a7c9e2b83a56"}},
		map[string]any{"replicationGroupId": "catalog-cache", "status": "modifying", "arn": rgArn, "memberClusters": []string{"catalog-cache-001", "catalog-cache-002"}}, false)
	for i := 0; i < 4; i++ {
		s.ct(change.Add(time.Duration(10+15*i)*time.Second), "elasticache.amazonaws.com", "DescribeReplicationGroups", sec, map[string]any{"replicationGroupId": "catalog-cache"}, nil, true)
	}

	api := "/ecs/catalog-api"
	ps := "/ecs/price-sync"
	conn := map[time.Time]float64{}
	hits := map[time.Time]float64{}
	misses := map[time.Time]float64{}
	reqs := map[time.Time]float64{}
	rt := map[time.Time]float64{}
	t5 := map[time.Time]float64{}
	dbq := map[time.Time]float64{}
	streams := []string{"ecs/app/1f3b5d7e9a2c4e6f8b0d2f4a6c8e0b2d", "ecs/app/7a9c1e3f5b7d4a6c8e0f2b4d6a8c0e1f", "ecs/app/c2e4a6b8d0f1e3a5c7b9d1f3e5a7c9b0"}
	iso := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z") }
	// share of catalog-api's connections already re-established (and so lost)
	lost := func(t time.Time) float64 {
		if t.Before(onset) {
			return 0
		}
		x := t.Sub(onset).Minutes()/5 + 0.08
		if x > 0.97 {
			return 0.97
		}
		return x
	}
	s.minutes(func(m time.Time) {
		for i := 0; i < s.poisson(70); i++ {
			t := s.jitter(m, 60000)
			if m.Equal(onset.Truncate(time.Minute)) && i == 0 {
				t = onset
			}
			st := streams[s.rng.Intn(3)]
			reqs[m]++
			path := fmt.Sprintf("/v2/products/%d", 10000+s.rng.Intn(50000))
			tt := 0.012 + s.rng.ExpFloat64()*0.02
			status := 200
			bad := t.Equal(onset) || s.rng.Float64() < lost(t)
			if bad {
				misses[m]++
				dbq[m]++
				tt = 1.0 + 0.15 + s.rng.ExpFloat64()*0.25*(1+3*lost(t))
				if s.rng.Float64() < 0.08 || t.Equal(onset) {
					s.log(api, st, t.Add(time.Second), fmt.Sprintf("%s [catalog-api] ERROR [ioredis] Unhandled error event: Error: connect ETIMEDOUT\n    at Socket.<anonymous> (/app/node_modules/ioredis/built/Redis.js:170:41)\n    at Object.onceWrapper (node:events:633:28)\n    at Socket.emit (node:events:519:28)\n    at Socket._onTimeout (node:net:609:8)\n    at listOnTimeout (node:internal/timers:594:17)\n    at process.processTimers (node:internal/timers:529:7) {\n  errorno: 'ETIMEDOUT',\n  code: 'ETIMEDOUT',\n  syscall: 'connect'\n}", iso(t.Add(time.Second))))
				}
				if s.rng.Float64() < 0.15 {
					s.log(api, st, t.Add(time.Duration(tt*1e9)), fmt.Sprintf("%s [catalog-api] WARN cache unavailable for %s, served from postgres in %dms", iso(t.Add(time.Duration(tt*1e9))), path, int(tt*1000)))
				}
				if s.rng.Float64() < 0.03*lost(t) {
					status = 500
					t5[m]++
					s.log(api, st, t.Add(time.Duration(tt*1e9)), fmt.Sprintf("%s [catalog-api] ERROR GET %s failed: Error: timeout exceeded when trying to connect\n    at /app/node_modules/pg-pool/index.js:45:11\n    at async ProductRepo.byId (/app/dist/repo/product.js:31:20)", iso(t.Add(time.Duration(tt*1e9))), path))
				}
			} else {
				if s.rng.Float64() < 0.12 {
					misses[m]++
					dbq[m]++
					tt += 0.03 + s.rng.ExpFloat64()*0.04
					if s.rng.Float64() < 0.3 {
						s.log(api, st, t.Add(time.Duration(tt*1e9)), fmt.Sprintf("%s [catalog-api] INFO cache miss %s, filled from postgres (%dms)", iso(t.Add(time.Duration(tt*1e9))), path, int(tt*1000)))
					}
				} else {
					hits[m]++
				}
				if s.rng.Float64() < 0.1 {
					s.log(api, st, t.Add(time.Duration(tt*1e9)), fmt.Sprintf("%s [catalog-api] INFO GET %s 200 %dms", iso(t.Add(time.Duration(tt*1e9))), path, int(tt*1000)))
				}
				if s.rng.Float64() < 0.004 {
					status = 500
					t5[m]++
					s.log(api, st, t.Add(time.Duration(tt*1e9)), fmt.Sprintf("%s [catalog-api] ERROR GET %s failed: TypeError: Cannot read properties of undefined (reading 'variants')\n    at mapProduct (/app/dist/mappers/product.js:22:31)\n    at ProductService.get (/app/dist/services/product.js:48:16)", iso(t.Add(time.Duration(tt*1e9))), path))
				}
			}
			rt[m] += tt
			s.albLog(t.Add(time.Duration(tt*1e9)), "prod-edge", []string{"10.40.30.41:3000", "10.40.31.122:3000", "10.40.32.7:3000"}[s.rng.Intn(3)], 0.001, tt, 0.0, status, status, 420+s.rng.Intn(300), 2000+s.rng.Intn(30000), "GET", "https://api.acme-outdoor.com:443"+path, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
				"arn:aws:elasticloadbalancing:us-east-1:"+acct+":targetgroup/catalog-api/8b2d4f6a1c3e5a70")
		}
		// a replica blip at 12:10 long before: one reset, reconnected
		if m.Equal(time.Date(2026, 11, 30, 12, 10, 0, 0, time.UTC)) {
			t := m.Add(17 * time.Second)
			s.log(api, streams[1], t, fmt.Sprintf("%s [catalog-api] ERROR [ioredis] Unhandled error event: Error: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:218:20) {\n  errno: -104,\n  code: 'ECONNRESET',\n  syscall: 'read'\n}", iso(t)))
			s.log(api, streams[1], t.Add(80*time.Millisecond), fmt.Sprintf("%s [catalog-api] INFO [ioredis] reconnected to %s:6379", iso(t.Add(80*time.Millisecond)), host))
		}
		// price-sync: python-json-logger, every minute
		t := m.Add(time.Duration(5+s.rng.Intn(10)) * time.Second)
		pst := "ecs/app/4e6a8c0b2d4f6a8c0e2b4d6f8a0c2e4b"
		if !t.Before(onset.Add(40 * time.Second)) {
			s.log(ps, pst, t.Add(10*time.Second), fmt.Sprintf(`{"asctime": "%s", "levelname": "ERROR", "name": "price_sync.cache", "message": "cache warm failed, will retry next cycle", "exc_info": "Traceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/redis/connection.py\", line 357, in connect\n    sock = self.retry.call_with_retry(\n  File \"/usr/local/lib/python3.12/site-packages/redis/connection.py\", line 732, in _connect\n    raise err\nTimeoutError: timed out\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/app/price_sync/cache.py\", line 64, in warm\n    pipe.execute()\n  File \"/usr/local/lib/python3.12/site-packages/redis/connection.py\", line 363, in connect\n    raise TimeoutError(\"Timeout connecting to server\")\nredis.exceptions.ConnectionError: Error 110 connecting to %s:6379. Connection timed out."}`, t.Add(10*time.Second).Format("2006-01-02 15:04:05,000"), host))
		} else {
			s.log(ps, pst, t, fmt.Sprintf(`{"asctime": "%s", "levelname": "INFO", "name": "price_sync.cache", "message": "warmed price keys", "keys": %d, "ms": %d}`, t.Format("2006-01-02 15:04:05,000"), 1800+s.rng.Intn(400), 120+s.rng.Intn(80)))
		}
		if s.rng.Float64() < 0.05 {
			s.log(ps, pst, t.Add(20*time.Second), fmt.Sprintf(`{"asctime": "%s", "levelname": "WARNING", "name": "price_sync.feed", "message": "supplier feed stale", "supplier": "ridgeline", "age_s": %d}`, t.Add(20*time.Second).Format("2006-01-02 15:04:05,000"), 900+s.rng.Intn(600)))
		}
		conn[m] = 214 * (1 - lost(m.Add(30*time.Second)))
	})
	c1 := []dim{{"CacheClusterId", "catalog-cache-001"}}
	s.gauge("AWS/ElastiCache", "CurrConnections", c1, "Count", 1, func(m time.Time) float64 { return conn[m] + 4 })
	s.perMinute("AWS/ElastiCache", "NewConnections", c1, func(m time.Time) float64 {
		if m.Before(onset) {
			return 2.5
		}
		return 0
	})
	s.perMinute("AWS/ElastiCache", "CacheHits", c1, func(m time.Time) float64 { return hits[m] * 3 })
	s.perMinute("AWS/ElastiCache", "CacheMisses", c1, func(m time.Time) float64 { return misses[m] * 0.4 })
	s.gauge("AWS/ElastiCache", "EngineCPUUtilization", c1, "Percent", 1, func(m time.Time) float64 { return 3 + 8*(1-lost(m)) })
	db := []dim{{"DBInstanceIdentifier", "catalog-pg"}}
	s.gauge("AWS/RDS", "CPUUtilization", db, "Percent", 1, func(m time.Time) float64 {
		v := 18 + dbq[m]*0.9
		if m.Hour() == 12 && m.Minute() < 14 {
			v += 25 // the nightly-ish report query at noon
		}
		return v
	})
	s.gauge("AWS/RDS", "DatabaseConnections", db, "Count", 1, func(m time.Time) float64 { return 22 + dbq[m]*0.5 })
	s.gauge("AWS/RDS", "ReadLatency", db, "Seconds", 1, func(m time.Time) float64 { return 0.0009 + dbq[m]*0.00004 })
	lb := []dim{{"LoadBalancer", "app/prod-edge/7c1f9a2be35d4e08"}, {"TargetGroup", "targetgroup/catalog-api/8b2d4f6a1c3e5a70"}}
	s.metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", func(m time.Time) (float64, float64, float64, float64, bool) {
		if reqs[m] == 0 {
			return 0, 0, 0, 0, false
		}
		return rt[m], reqs[m], 0.004, rt[m] / reqs[m] * 5, true
	})
	s.count("AWS/ApplicationELB", "RequestCount", lb, func(m time.Time) float64 { return reqs[m] })
	s.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, func(m time.Time) float64 { return t5[m] })
	s.alarm("catalog-api-latency-high", "catalog-api average target response time > 0.5 s for 3 minutes", "AWS/ApplicationELB", "TargetResponseTime", lb, "Average", 0.5, "GreaterThanThreshold", 3, fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [1.21 (30/11/26 13:11:00), 0.98 (30/11/26 13:10:00), 0.71 (30/11/26 13:09:00)] were greater than the threshold (0.5) (minimum 3 datapoints for OK -> ALARM transition).", "ALARM")
	s.alarm("catalog-pg-cpu-high", "catalog-pg CPU > 80%", "AWS/RDS", "CPUUtilization", db, "Average", 80, "GreaterThanThreshold", 5, start, "Threshold Crossed: no datapoints above the threshold", "OK")
	s.noiseTrail([]string{"catalog-api-task", "price-sync-task", "ecsTaskExecutionRole"}, []string{"catalog-api", "price-sync"}, []string{api, ps})
	s.write(root, truth{
		Name: s.name, Kind: "elasticache-security-group-replaced", Alarm: "catalog-api-latency-high",
		RootCause: &rootCause{"ModifyReplicationGroup", change, rgArn},
		Onset:     onset,
		Decoys:    []decoy{{"ModifyReplicationGroup", snapWin}, {"AuthorizeSecurityGroupIngress", unrelated}},
		Signals:   []string{"ETIMEDOUT", "Connection timed out", "catalog-cache"},
	})
}
