package main

import (
	"fmt"
	"math"
	"time"
)

// elasticacheDownsize: ModifyReplicationGroup moves catalog-cache from
// cache.r6g.large to cache.t4g.small with ApplyImmediately; when the
// node replacement completes ~11 minutes later, the working set no longer
// fits: evictions, OOM on writes, hit rate collapse, DB load, latency.
func elasticacheDownsize() {
	onset := ts("2026-09-03T09:52:10Z")
	s := newS("elasticache-node-downsize", "eu-west-1", "702961834455", 9202, onset)
	s.Title = "catalog-api: p99-ish latency high"
	s.Arch = "ECS Fargate service 'catalog-api' (Node.js 20, pino) behind the public ALB 'storefront-prod'; read-through cache in ElastiCache Redis replication group 'catalog-cache' (primary catalog-cache-001, replica catalog-cache-002); source of truth RDS PostgreSQL 'catalog-db'. A second Redis group 'sessions-redis' holds web sessions."
	change := ts("2026-09-03T09:41:18Z")
	done := ts("2026-09-03T09:52:10Z") // node replacement completes, failover to the resized nodes
	app := "/ecs/catalog-api"
	pg := "/aws/rds/instance/catalog-db/postgresql"
	streams := []string{"catalog-api/app/" + s.hex(32), "catalog-api/app/" + s.hex(32), "catalog-api/app/" + s.hex(32), "catalog-api/app/" + s.hex(32)}
	hosts := []string{"ip-10-20-11-37.eu-west-1.compute.internal", "ip-10-20-12-201.eu-west-1.compute.internal", "ip-10-20-13-88.eu-west-1.compute.internal", "ip-10-20-11-154.eu-west-1.compute.internal"}
	targets := []string{"10.20.11.37:3000", "10.20.12.201:3000", "10.20.13.88:3000", "10.20.11.154:3000"}
	tg := "arn:aws:elasticloadbalancing:eu-west-1:702961834455:targetgroup/catalog-api-tg/4e1b7c9d2a6f8e03"
	urls := []string{"/api/products/%d", "/api/products/%d/availability", "/api/categories/%d/products?page=1", "/api/search?q=%d"}
	type minute struct {
		req, hit, miss, evict, oom, c5, lat float64
		db                                  float64
	}
	per := map[int64]*minute{}
	// hit ratio after the resize decays as the small node thrashes
	hitP := func(t time.Time) float64 {
		if t.Before(done) {
			return 0.93
		}
		m := t.Sub(done).Minutes()
		return 0.93 - 0.55*(1-math.Exp(-m/2.5))
	}
	s.seconds(func(t time.Time) {
		key := t.Truncate(time.Minute).Unix()
		mn := per[key]
		if mn == nil {
			mn = &minute{}
			per[key] = mn
		}
		rate := 4.5 + 1*math.Sin(float64(t.Unix()%3600)/3600*2*math.Pi)
		for i := s.poissonish(rate); i > 0; i-- {
			at := t.Add(time.Duration(s.r.Intn(1000)) * time.Millisecond)
			k := s.r.Intn(4)
			u := fmt.Sprintf(urls[s.r.Intn(len(urls))], 1000+s.r.Intn(90000))
			hit := s.chance(hitP(at))
			lat := s.jit(18, 0.5)
			status := 200
			mn.req++
			if hit {
				mn.hit++
			} else {
				mn.miss++
				dbLat := s.jit(45, 0.5)
				if !at.Before(done) {
					dbLat = s.jit(45+800*(1-hitP(at))/0.55, 0.6) // the DB saturates with the misses
				}
				lat += dbLat
				mn.db++
				// write back to the cache
				if !at.Before(done) && s.chance(0.35) {
					mn.oom++
					if s.chance(0.4) {
						s.log(app, streams[k], at.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf(`{"level":40,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%s","key":"product:%s","err":{"type":"ReplyError","message":"OOM command not allowed when used memory > 'maxmemory'.","stack":"ReplyError: OOM command not allowed when used memory > 'maxmemory'.\n    at parseError (/app/node_modules/redis-parser/lib/parser.js:179:12)\n    at parseType (/app/node_modules/redis-parser/lib/parser.js:302:14)","command":{"name":"set","args":["product:%s","[Object]","EX","3600"]}},"msg":"cache write failed; serving from database"}`,
							ms(at)+int64(lat), hosts[k], s.alnum(5, false), u[14:18], u[14:18]))
					}
				}
				if dbLat > 900 && s.chance(0.5) {
					status = 503
					lat = 5000
				}
			}
			if status == 200 && s.chance(0.003) {
				status = 500 // pre-existing: pricing-svc timeouts
				lat = 2000 + s.jit(40, 0.5)
				s.log(app, streams[k], at.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%s","err":{"type":"TimeoutError","message":"upstream pricing-svc timed out after 2000ms","stack":"TimeoutError: upstream pricing-svc timed out after 2000ms\n    at Timeout._onTimeout (/app/dist/clients/pricing.js:88:23)\n    at listOnTimeout (node:internal/timers:594:17)"},"msg":"request failed"}`, ms(at)+int64(lat), hosts[k], s.alnum(5, false)))
			}
			if status == 503 {
				mn.c5++
				s.log(app, streams[k], at.Add(5*time.Second), fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%s","err":{"type":"KnexTimeoutError","message":"Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?"},"msg":"request failed"}`, ms(at)+5000, hosts[k], s.alnum(5, false)))
			} else if status == 500 {
				mn.c5++
			}
			mn.lat += lat
			if s.chance(0.08) || status != 200 {
				s.log(app, streams[k], at.Add(time.Duration(lat)*time.Millisecond), fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","reqId":"req-%s","res":{"statusCode":%d},"responseTime":%.1f,"cache":"%s","msg":"request completed"}`,
					ms(at)+int64(lat), hosts[k], s.alnum(5, false), status, lat, map[bool]string{true: "hit", false: "miss"}[hit]))
			}
			{
				elbCode := status
				s.albLog("storefront-prod", at, fmt.Sprintf("130.176.%d.%d:%d", 10+s.r.Intn(4), 20+s.r.Intn(3), 41000+s.r.Intn(6)), targets[k], 0.001, lat/1000, 0.0, elbCode, status, "GET", "https://www.shopfront.example:443"+u,
					s.pick("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"),
					tg, s.traceID(at), "-", 300+s.r.Intn(8000))
			}
		}
		// the failover at the end of the modification: connections reset once
		if t.Equal(done) || t.Equal(done.Add(time.Second)) {
			for k := range streams {
				s.log(app, streams[k], t.Add(time.Duration(s.r.Intn(900))*time.Millisecond), fmt.Sprintf(`{"level":40,"time":%d,"pid":1,"hostname":"%s","msg":"[ioredis] Unhandled error event: Error: read ECONNRESET\n    at TCP.onStreamRead (node:internal/stream_base_commons:218:20)"}`, ms(t)+200, hosts[k]))
				s.log(app, streams[k], t.Add(1500*time.Millisecond), fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"redis reconnected","host":"catalog-cache.x3k1ab.ng.0001.euw1.cache.amazonaws.com"}`, ms(t)+1500, hosts[k]))
			}
		}
		if t.Second() == 30 && t.Minute()%15 == 0 {
			for k := range streams {
				s.log(app, streams[k], t, fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"%s","msg":"feature flags refreshed","flags":37}`, ms(t), hosts[k]))
			}
		}
	})
	// postgres: slow statements, and checkpoints; a nightly-style report job early in the window
	s.seconds(func(t time.Time) {
		mn := per[t.Truncate(time.Minute).Unix()]
		slowRate := 0.01
		if mn != nil && !t.Before(done) {
			slowRate = 0.02 + 0.5*(1-hitP(t)/0.93)
		}
		job := t.After(s.Start.Add(12*time.Minute)) && t.Before(s.Start.Add(21*time.Minute))
		if job {
			slowRate += 0.2
		}
		if s.chance(slowRate) {
			pid := 20000 + s.r.Intn(9000)
			stmt := fmt.Sprintf("execute <unnamed>: SELECT p.id, p.sku, p.title, p.attributes, i.qty FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.id = $1")
			if job {
				stmt = "statement: SELECT date_trunc('hour', o.created_at), count(*) FROM order_lines o GROUP BY 1 ORDER BY 1"
			}
			s.log(pg, "catalog-db.0", t, fmt.Sprintf("%s UTC:10.20.%d.%d(%d):catalog_app@catalog:[%d]:LOG:  duration: %.3f ms  %s", t.Format("2006-01-02 15:04:05"), 11+s.r.Intn(3), 10+s.r.Intn(240), 40000+s.r.Intn(20000), pid, s.jit(1400, 0.6), stmt))
		}
		if t.Second() == 0 && t.Minute()%5 == 0 {
			s.log(pg, "catalog-db.0", t, fmt.Sprintf("%s UTC::@:[412]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled; write=%.3f s, sync=0.004 s, total=%.3f s", t.Format("2006-01-02 15:04:05"), 300+s.r.Intn(900), s.jit(1.2, 0.5), s.jit(26, 0.3), s.jit(27, 0.3)))
		}
	})
	get := func(t time.Time) *minute {
		if m := per[t.Unix()]; m != nil {
			return m
		}
		return &minute{}
	}
	for _, node := range []string{"catalog-cache-001", "catalog-cache-002"} {
		nd := dims("CacheClusterId", node, "CacheNodeId", "0001")
		primary := node == "catalog-cache-001"
		s.metric("AWS/ElastiCache", "CacheHitRate", "Percent", "gauge", nd, func(t time.Time) float64 {
			m := get(t)
			return 100 * m.hit / (m.hit + m.miss + 0.001)
		})
		s.metric("AWS/ElastiCache", "Evictions", "Count", "sum", nd, func(t time.Time) float64 {
			if t.Before(done.Truncate(time.Minute)) {
				return 0
			}
			return math.Round(get(t).miss * s.jit(4, 0.3))
		})
		s.metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Percent", "gauge", nd, func(t time.Time) float64 {
			if t.Before(done.Truncate(time.Minute)) {
				return s.jit(61, 0.02)
			}
			return s.jit(99.2, 0.005)
		})
		s.metric("AWS/ElastiCache", "EngineCPUUtilization", "Percent", "gauge", nd, func(t time.Time) float64 {
			v := s.jit(9, 0.3)
			if !t.Before(done.Truncate(time.Minute)) {
				v = s.jit(34, 0.3)
			}
			if !primary {
				v *= 0.4
			}
			return v
		})
		s.metric("AWS/ElastiCache", "CurrConnections", "Count", "gauge", nd, func(t time.Time) float64 {
			if t.Equal(done.Truncate(time.Minute)) {
				return 6 // the failover drops connections
			}
			return math.Round(s.jit(44, 0.05))
		})
	}
	sd := dims("CacheClusterId", "sessions-redis-001", "CacheNodeId", "0001")
	s.metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Percent", "gauge", sd, func(t time.Time) float64 { return 38 + t.Sub(s.Start).Minutes()*0.04 })
	s.metric("AWS/ElastiCache", "CacheHitRate", "Percent", "gauge", sd, func(t time.Time) float64 { return s.jit(97, 0.01) })
	db := dims("DBInstanceIdentifier", "catalog-db")
	s.metric("AWS/RDS", "CPUUtilization", "Percent", "gauge", db, func(t time.Time) float64 {
		v := 12 + get(t).db/60*1.1
		if t.After(s.Start.Add(12*time.Minute)) && t.Before(s.Start.Add(21*time.Minute)) {
			v += 45
		}
		return s.jit(v, 0.08)
	})
	s.metric("AWS/RDS", "ReadIOPS", "Count/Second", "gauge", db, func(t time.Time) float64 { return s.jit(120+get(t).db/60*30, 0.1) })
	s.metric("AWS/RDS", "DatabaseConnections", "Count", "gauge", db, func(t time.Time) float64 {
		if !t.Before(done.Truncate(time.Minute)) {
			return 80 // pool maxed
		}
		return math.Round(s.jit(22, 0.2))
	})
	lb := dims("LoadBalancer", "app/storefront-prod/"+s.albID["storefront-prod"], "TargetGroup", "targetgroup/catalog-api-tg/4e1b7c9d2a6f8e03")
	s.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", "gauge", lb, func(t time.Time) float64 { m := get(t); return m.lat / (m.req + 0.001) / 1000 })
	s.albCount("RequestCount", lb, func(t time.Time) float64 { return get(t).req })
	s.albCount("HTTPCode_Target_5XX_Count", lb, func(t time.Time) float64 { return get(t).c5 })
	fire, reason := fireAt(s, func(t time.Time) float64 { m := get(t); return m.lat / (m.req + 0.001) / 1000 }, 0.25, 3, onset)
	s.alarm("catalog-api-latency-high", "catalog-api average target response time above 250 ms for 3 minutes", "AWS/ApplicationELB", "TargetResponseTime", "Average", lb, 60, 3, 0.25, "GreaterThanThreshold", time.Time{}, fire, reason, "missing")
	s.okAlarm("catalog-db-cpu-high", "AWS/RDS", "CPUUtilization", "Average", db, 85, "GreaterThanThreshold")
	s.okAlarm("sessions-redis-memory", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Average", sd, 85, "GreaterThanThreshold")

	tf := s.role("terraform-apply", "gha-infra-live-run-11734", "20.62.14.201", "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/elasticache#1.43.0", false)
	console := s.role("AWSReservedSSO_DataPlatform_7e2a0c9b3d5f1468", "anja.berg@example-corp.com", "192.0.2.61", "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0", true)
	s.baseNoise(480, "catalog-api", []noiseOp{
		{p: tf, source: "elasticache.amazonaws.com", name: "DescribeReplicationGroups", ro: true, weight: 5, req: func() any { return map[string]any{"replicationGroupId": s.pick("catalog-cache", "sessions-redis")} }},
		{p: tf, source: "elasticache.amazonaws.com", name: "ListTagsForResource", ro: true, weight: 3},
		{p: tf, source: "rds.amazonaws.com", name: "DescribeDBInstances", ro: true, weight: 3},
		{p: s.role("elasticache-snapshot-audit", "audit", "10.20.9.4", "Boto3/1.35.40 md/Botocore#1.35.40 ua/2.0 os/linux#5.10.226 md/arch#x86_64 lang/python#3.12.6 exec-env/AWS_Lambda_python3.12", false), source: "elasticache.amazonaws.com", name: "DescribeSnapshots", ro: true, weight: 4},
		{p: tf, source: "elasticache.amazonaws.com", name: "DescribeCacheClusters", ro: true, weight: 4, req: func() any { return map[string]any{"showCacheNodeInfo": true} }},
	})
	d1 := ts("2026-09-03T09:28:04Z")
	s.trail(d1, console, "elasticache.amazonaws.com", "ModifyReplicationGroup",
		map[string]any{"replicationGroupId": "catalog-cache", "applyImmediately": false, "snapshotWindow": "03:00-04:00", "snapshotRetentionLimit": 7},
		map[string]any{"replicationGroupId": "catalog-cache", "status": "available", "snapshotWindow": "03:00-04:00", "snapshotRetentionLimit": 7, "cacheNodeType": "cache.r6g.large", "clusterEnabled": false, "multiAZ": "enabled", "automaticFailover": "enabled"}, false)
	s.trail(change, tf, "elasticache.amazonaws.com", "ModifyReplicationGroup",
		map[string]any{"replicationGroupId": "catalog-cache", "applyImmediately": true, "cacheNodeType": "cache.t4g.small"},
		map[string]any{"replicationGroupId": "catalog-cache", "status": "modifying", "pendingModifiedValues": map[string]any{}, "cacheNodeType": "cache.r6g.large", "clusterEnabled": false, "multiAZ": "enabled", "automaticFailover": "enabled",
			"memberClusters": []string{"catalog-cache-001", "catalog-cache-002"}}, false)
	d2 := ts("2026-09-03T09:47:50Z")
	s.trail(d2, tf, "elasticache.amazonaws.com", "ModifyCacheParameterGroup",
		map[string]any{"cacheParameterGroupName": "sessions-redis7", "parameterNameValues": []any{map[string]any{"parameterName": "timeout", "parameterValue": "300"}, map[string]any{"parameterName": "maxmemory-policy", "parameterValue": "volatile-lru"}}},
		map[string]any{"cacheParameterGroupName": "sessions-redis7"}, false)
	s.truth = map[string]any{"name": s.Name, "kind": "cache-capacity", "alarm": "catalog-api-latency-high",
		"root_cause": map[string]any{"event_name": "ModifyReplicationGroup", "event_time": change.Format(time.RFC3339), "resource": "catalog-cache"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{decoy("ModifyReplicationGroup", d1), decoy("ModifyCacheParameterGroup", d2)},
		"signals":    []string{"OOM command not allowed", "catalog-cache"}}
	s.write()
}
