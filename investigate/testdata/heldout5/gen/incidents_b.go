package main

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// sqsRedrive: maxReceiveCount 5 -> 1 sends every message whose first
// attempt hits a routine transient failure straight to the DLQ.
func sqsRedrive(base string) *X {
	x := newX(base, "sqs-redrive-max-receive", "eu-west-1", "264019837452", time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC), 110, 503)
	tag, change := x.at("10:03:48"), x.at("10:03:51")
	onset, fired := x.at("10:06:05"), x.at("10:11:00") // visibility timeout 120s: the second receive moves the message
	q := "invoice-render-jobs"
	qurl := "https://sqs.eu-west-1.amazonaws.com/" + x.acct + "/" + q
	x.manifest = map[string]any{"format": "fa2-snapshot/1", "region": x.region,
		"window":       map[string]any{"start": x.t0.Format(time.RFC3339), "end": x.t1.Format(time.RFC3339)},
		"title":        "invoice-render-jobs DLQ filling; customers missing invoices",
		"architecture": "billing-api (ECS) enqueues one message per order on SQS queue invoice-render-jobs (visibility timeout 120s, redrive to invoice-render-jobs-dlq). Lambda invoice-renderer consumes it (batch size 1) and calls the internal pdf-service, which returns 503 on a few percent of calls under normal load; failed messages are retried by SQS redelivery. invoice-reconciler (scheduled Lambda, every 5 min) checks that every order older than 10 min has a rendered invoice in S3. Queue email-outbound feeds the mailer service.",
	}
	dlqDepth := 0.0
	dlqAt := []time.Time{}
	x.lambdaNoise("invoice-renderer", flat(50), flat(850), func(t time.Time, r string) []string {
		order := fmt.Sprintf("ORD-%07d", x.r.Intn(9999999))
		if x.r.Intn(100) < 6 { // pdf-service's routine transient failures
			if !t.Before(change) {
				dlqAt = append(dlqAt, t.Add(120*time.Second+time.Duration(x.r.Intn(20))*time.Second))
			}
			return []string{
				t.Format(time.RFC3339Nano) + "\t" + r + "\tWARN\ttransient error rendering invoice for " + order + ": pdf-service returned 503 Service Unavailable; leaving message for redelivery",
				t.Format(time.RFC3339Nano) + "\t" + r + "\tERROR\tInvoke Error \t{\"errorType\":\"TransientRenderError\",\"errorMessage\":\"pdf-service returned 503\",\"stack\":[\"TransientRenderError: pdf-service returned 503\",\"    at render (/var/task/render.js:88:11)\"]}",
			}
		}
		return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tINFO\trendered invoice for " + order + " -> s3://billing-invoices-prod/" + t.Format("2006/01/02") + "/" + order + ".pdf"}
	})
	x.lambdaNoise("invoice-reconciler", func(t time.Time) float64 {
		if t.Second() < 2 && t.Minute()%5 == 0 {
			return 30
		}
		return 0
	}, flat(2400), func(t time.Time, r string) []string {
		n := 0
		for _, d := range dlqAt {
			if d.Before(t.Add(-6 * time.Minute)) {
				n++
			}
		}
		if n == 0 {
			return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tINFO\treconcile: all orders older than 10m have invoices"}
		}
		return []string{t.Format(time.RFC3339Nano) + "\t" + r + "\tERROR\treconcile: " + fmt.Sprint(n) + " orders older than 10m have no rendered invoice (e.g. ORD-" + fmt.Sprintf("%07d", x.r.Intn(9999999)) + ")"}
	})
	bs := x.ecsStreams("billing-api", 3)
	x.noise("/ecs/billing-api", bs, 20,
		func() string {
			return "level=info msg=\"enqueued invoice job\" queue=" + q + " order=ORD-" + fmt.Sprintf("%07d", x.r.Intn(9999999))
		},
		func() string {
			return "level=info msg=\"GET /v1/invoices/ORD-" + fmt.Sprintf("%07d", x.r.Intn(9999999)) + " 200\""
		},
		func() string {
			return "level=warn msg=\"tax provider slow\" latency_ms=" + fmt.Sprint(1200+x.r.Intn(800))
		},
		func() string {
			return "level=error msg=\"GET /v1/invoices/ORD-" + fmt.Sprintf("%07d", x.r.Intn(9999999)) + " 404\" err=\"invoice not rendered yet\""
		})
	ms := x.ecsStreams("mailer", 2)
	x.noise("/ecs/mailer", ms, 10,
		func() string { return "INFO sent message via SES to customer" },
		func() string { return "WARN SES MessageRejected: Email address is not verified (sandbox recipient)" })

	sort.Slice(dlqAt, func(i, j int) bool { return dlqAt[i].Before(dlqAt[j]) })
	onset = dlqAt[0].Truncate(time.Second)
	x.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", []string{"QueueName", q + "-dlq"}, func(t time.Time) float64 {
		n := 0
		for _, d := range dlqAt {
			if !d.After(t) {
				n++
			}
		}
		dlqDepth = float64(n)
		return math.Max(dlqDepth, 0.0001) - 0.0001
	})
	x.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", "Seconds", []string{"QueueName", q + "-dlq"}, func(t time.Time) float64 {
		if len(dlqAt) == 0 || t.Before(dlqAt[0]) {
			return 0
		}
		return t.Sub(dlqAt[0]).Seconds()
	})
	x.metric("AWS/SQS", "NumberOfMessagesReceived", "Count", []string{"QueueName", q}, func(t time.Time) float64 {
		if t.Before(change) {
			return x.wobble(53, 0.08)
		}
		return x.wobble(50, 0.08)
	})
	x.metric("AWS/SQS", "NumberOfMessagesSent", "Count", []string{"QueueName", q}, func(time.Time) float64 { return x.wobble(50, 0.08) })
	x.metric("AWS/Lambda", "Errors", "Count", []string{"FunctionName", "invoice-renderer"}, func(time.Time) float64 { return x.wobble(3, 0.5) })
	x.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", []string{"QueueName", "email-outbound"}, func(t time.Time) float64 {
		m := float64(t.Sub(x.t0).Minutes())
		return 40 + 35*math.Sin(m/9)
	})
	x.metric("AWS/ECS", "MemoryUtilization", "Percent", []string{"ClusterName", "billing", "ServiceName", "billing-api"}, func(t time.Time) float64 {
		return 48 + 10*float64(t.Sub(x.t0).Minutes())/110
	})
	x.alarm("invoice-render-dlq-not-empty", "Messages in invoice-render-jobs-dlq: invoices are not being rendered", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", []string{"QueueName", q + "-dlq"}, 5, "GreaterThanOrEqualToThreshold", 1, fired,
		"Threshold Crossed: 1 datapoint [7.0 (19/11/26 10:10:00)] was greater than or equal to the threshold (5.0).")
	x.alarm("email-outbound-backlog", "mailer backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", []string{"QueueName", "email-outbound"}, 500, "GreaterThanThreshold", 3, time.Time{}, "")

	x.routineTrail(400, 90)
	tf := x.role("terraform-apply", "atlantis-apply-billing")
	dlqArn := "arn:aws:sqs:eu-west-1:" + x.acct + ":" + q + "-dlq"
	vis := x.at("09:47:26")
	x.ev(vis, tf, "sqs.amazonaws.com", "SetQueueAttributes", map[string]any{"queueUrl": "https://sqs.eu-west-1.amazonaws.com/" + x.acct + "/email-outbound", "attributes": map[string]any{"VisibilityTimeout": "300"}}, nil, false)
	for _, t := range []string{"09:46:58", "09:47:02", "10:03:20", "10:03:24", "10:03:31"} {
		x.ev(x.at(t), tf, "sqs.amazonaws.com", x.pick("GetQueueAttributes", "ListQueueTags"), map[string]any{"queueUrl": qurl, "attributeNames": []string{"All"}}, nil, true)
	}
	x.ev(tag, tf, "sqs.amazonaws.com", "TagQueue", map[string]any{"queueUrl": qurl, "tags": map[string]any{"cost-center": "billing-302", "owner": "billing-platform"}}, nil, false)
	x.ev(change, tf, "sqs.amazonaws.com", "SetQueueAttributes", map[string]any{"queueUrl": qurl, "attributes": map[string]any{
		"RedrivePolicy": "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}"}}, nil, false)
	x.ev(x.at("10:18:40"), x.sso("ReadOnlyAccess", "li.wei@example.com"), "sqs.amazonaws.com", "GetQueueAttributes", map[string]any{"queueUrl": qurl, "attributeNames": []string{"All"}}, nil, true)
	x.truth = map[string]any{"kind": "sqs-redrive-policy", "alarm": "invoice-render-dlq-not-empty",
		"root_cause": map[string]any{"event_name": "SetQueueAttributes", "event_time": change.Format(time.RFC3339), "resource": q},
		"no_change":  false, "onset": onset.Format(time.RFC3339),
		"decoys":  []any{decoy("SetQueueAttributes", vis), decoy("TagQueue", tag)},
		"signals": []string{"SetQueueAttributes", "invoice-render-jobs-dlq", "maxReceiveCount", "ApproximateNumberOfMessagesVisible"},
	}
	return x
}

// redisNoEviction: maxmemory-policy flipped to noeviction on a cache that
// lives at its memory limit; SETs fail once the headroom is used up.
func redisNoEviction(base string) *X {
	x := newX(base, "elasticache-noeviction", "us-west-2", "519283746001", time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC), 100, 504)
	mw, change, other := x.at("18:49:50"), x.at("19:00:22"), x.at("19:05:41")
	full, fired := x.at("19:10:45"), x.at("19:14:00")
	x.manifest = map[string]any{"format": "fa2-snapshot/1", "region": x.region,
		"window":       map[string]any{"start": x.t0.Format(time.RFC3339), "end": x.t1.Format(time.RFC3339)},
		"title":        "web-sessions: login and cart updates failing with 500",
		"architecture": "web-sessions (Node.js 20, Express, ioredis, ECS Fargate) behind ALB web-public stores user sessions in ElastiCache for Redis replication group session-cache (Redis 7.1, cache.r6g.large, parameter group session-cache-redis7). The cache normally runs full and evicts least-recently-used sessions. A second replication group, rate-limiter (parameter group rate-limiter-redis7), backs the API rate limiter.",
	}
	streams := x.ecsStreams("web-sessions", 4)
	lb := "app.web-public.c04f9e2d71b8a365"
	tg := "arn:aws:elasticloadbalancing:us-west-2:" + x.acct + ":targetgroup/web-sessions/5a7e0c2f4d91b386"
	x.each(x.t0, x.t1, flat(70), func(t time.Time) {
		path := x.pick("/login", "/cart/items", "/session/refresh", "/account", "/cart")
		method := "POST"
		if path == "/account" || path == "/cart" {
			method = "GET"
		}
		code := "200"
		if method == "POST" && !t.Before(full) && x.r.Intn(10) < 8 {
			code = "500"
			x.log("/ecs/web-sessions", streams[x.r.Intn(4)], t, js(map[string]any{"level": 50, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-" + x.privIP(), "msg": "failed to persist session",
				"err": map[string]any{"type": "ReplyError", "message": "OOM command not allowed when used memory > 'maxmemory'.", "stack": "ReplyError: OOM command not allowed when used memory > 'maxmemory'.\n    at parseError (/app/node_modules/redis-parser/lib/parser.js:179:12)\n    at parseType (/app/node_modules/redis-parser/lib/parser.js:302:14)",
					"command": map[string]any{"name": "set", "args": []any{"sess:" + x.alnum(32), "[object Object]", "EX", "86400"}}}, "req": map[string]any{"method": method, "url": path}}))
		} else if x.r.Intn(300) == 0 {
			code = "502"
		}
		x.albReq(lb, x.region, req{t: t, client: x.ip(), target: x.privIP() + ":8080", reqT: 0.001, tgtT: 0.004 + 0.03*x.r.Float64(), respT: 0, elb: code, tgt: code, method: method, url: "https://www.example.com:443" + path, ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", host: "www.example.com", tg: tg, actions: "forward", rcv: 600, sent: 900})
		if x.r.Intn(4) == 0 {
			x.log("/ecs/web-sessions", streams[x.r.Intn(4)], t, js(map[string]any{"level": 30, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-" + x.privIP(), "req": map[string]any{"method": method, "url": path}, "res": map[string]any{"statusCode": code}, "msg": "request completed"}))
		}
	})
	x.noise("/ecs/web-sessions", streams, 4,
		func() string {
			return js(map[string]any{"level": 40, "pid": 1, "msg": "session not found, issuing new session", "reason": "expired or evicted"})
		},
		func() string {
			return js(map[string]any{"level": 50, "pid": 1, "msg": "recaptcha verification failed", "err": map[string]any{"type": "FetchError", "message": "request to https://www.google.com/recaptcha/api/siteverify failed, reason: socket hang up"}})
		})
	rl := x.ecsStreams("rate-limiter", 2)
	x.noise("/ecs/api-gateway-proxy", rl, 12,
		func() string { return "INFO proxy: GET /v2/products 200 12ms" },
		func() string {
			return "WARN ratelimit: client key k_" + x.alnum(8) + " exceeded 600/min, returning 429"
		})
	x.noiseT("/aws/elasticache/session-cache/engine-log", []string{"session-cache-001", "session-cache-002"}, 0.3,
		func(t time.Time) string {
			return "1:M " + t.Format("02 Jan 2006 15:04:05.000") + " * 10000 changes in 60 seconds. Saving..."
		},
		func(t time.Time) string {
			return "1:M " + t.Format("02 Jan 2006 15:04:05.000") + " * Background saving terminated with success"
		})

	mins := func(t time.Time) float64 { return t.Sub(change).Minutes() }
	x.metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Percent", []string{"CacheClusterId", "session-cache-001"}, func(t time.Time) float64 {
		if t.Before(change) {
			return 97 + x.r.Float64()
		}
		return math.Min(100, 97.5+mins(t)*0.25)
	})
	x.metric("AWS/ElastiCache", "Evictions", "Count", []string{"CacheClusterId", "session-cache-001"}, func(t time.Time) float64 {
		if t.Before(change) {
			return x.wobble(140, 0.2)
		}
		return 0
	})
	x.metric("AWS/ElastiCache", "SetTypeCmds", "Count", []string{"CacheClusterId", "session-cache-001"}, func(t time.Time) float64 { return x.wobble(2400, 0.08) })
	x.metric("AWS/ElastiCache", "EngineCPUUtilization", "Percent", []string{"CacheClusterId", "rate-limiter-001"}, func(t time.Time) float64 {
		return 18 + 12*math.Sin(t.Sub(x.t0).Minutes()/7)
	})
	x.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", []string{"LoadBalancer", "app/web-public/c04f9e2d71b8a365"}, func(t time.Time) float64 {
		if t.Before(full.Truncate(time.Minute)) {
			return x.wobble(0.3, 1)
		}
		return x.wobble(30, 0.15)
	})
	x.metric("AWS/ECS", "CPUUtilization", "Percent", []string{"ClusterName", "web", "ServiceName", "web-sessions"}, func(t time.Time) float64 { return x.wobble(35, 0.1) })
	x.alarm("web-sessions-5xx", "5XX from web-sessions targets", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", []string{"LoadBalancer", "app/web-public/c04f9e2d71b8a365"}, 10, "GreaterThanThreshold", 3, fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [31.0 (26/11/26 19:13:00), 29.0 (26/11/26 19:12:00), 33.0 (26/11/26 19:11:00)] were greater than the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition).")
	x.alarm("session-cache-memory-high", "Memory above 99% on session-cache (expected near full with LRU)", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Maximum", []string{"CacheClusterId", "session-cache-001"}, 99.5, "GreaterThanThreshold", 5, x.at("19:13:00"),
		"Threshold Crossed: 5 out of the last 5 datapoints were greater than the threshold (99.5).")

	x.routineTrail(360, 80)
	dba := x.sso("PlatformAdmin", "tomasz.nowak@example.com")
	x.ev(mw, dba, "elasticache.amazonaws.com", "ModifyReplicationGroup", map[string]any{"replicationGroupId": "session-cache", "preferredMaintenanceWindow": "sun:09:00-sun:10:00", "applyImmediately": true},
		map[string]any{"replicationGroupId": "session-cache", "status": "available", "description": "web sessions"}, false)
	x.ev(change, dba, "elasticache.amazonaws.com", "ModifyCacheParameterGroup", map[string]any{"cacheParameterGroupName": "session-cache-redis7",
		"parameterNameValues": []any{map[string]any{"parameterName": "maxmemory-policy", "parameterValue": "noeviction"}}}, map[string]any{"cacheParameterGroupName": "session-cache-redis7"}, false)
	x.ev(other, dba, "elasticache.amazonaws.com", "ModifyCacheParameterGroup", map[string]any{"cacheParameterGroupName": "rate-limiter-redis7",
		"parameterNameValues": []any{map[string]any{"parameterName": "timeout", "parameterValue": "300"}}}, map[string]any{"cacheParameterGroupName": "rate-limiter-redis7"}, false)
	for _, t := range []string{"18:48:30", "18:59:10", "18:59:40", "19:05:02", "19:16:20", "19:17:05"} {
		x.ev(x.at(t), dba, "elasticache.amazonaws.com", x.pick("DescribeCacheParameters", "DescribeReplicationGroups", "DescribeCacheParameterGroups"), map[string]any{"cacheParameterGroupName": "session-cache-redis7"}, nil, true)
	}
	x.truth = map[string]any{"kind": "elasticache-parameter", "alarm": "web-sessions-5xx",
		"root_cause": map[string]any{"event_name": "ModifyCacheParameterGroup", "event_time": change.Format(time.RFC3339), "resource": "session-cache-redis7"},
		"no_change":  false, "onset": full.Format(time.RFC3339),
		"decoys":  []any{decoy("ModifyReplicationGroup", mw), decoy("ModifyCacheParameterGroup", other)},
		"signals": []string{"OOM command not allowed when used memory > 'maxmemory'", "ModifyCacheParameterGroup", "session-cache-redis7", "Evictions"},
	}
	return x
}
