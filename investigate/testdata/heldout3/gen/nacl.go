package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// naclEphemeralRedis: a network engineer replaces an inbound rule on the
// NACL of the private application subnets with a deny on TCP 1024-65535 from
// the data subnets. NACLs are stateless, so Redis's replies to the ECS
// tasks' ephemeral ports are dropped: checkout-api's cache calls time out.
func naclEphemeralRedis() *Inc {
	in := newInc("nacl-ephemeral-redis", 301, "eu-central-1", "318204561927", time.Date(2026, 2, 17, 13, 0, 0, 0, time.UTC), 90)
	in.Title = "checkout-api 5xx rate above 5% (eu-central-1)"
	in.Arch = "checkout-api: Go service on ECS Fargate (cluster retail-prod) in private subnets 10.40.0.0/19 behind ALB checkout-alb; " +
		"cache is ElastiCache Redis replication group orders-cache (primary 10.40.33.21) in data subnets 10.40.32.0/20; catalog-api (ECS) and " +
		"catalog-db (RDS PostgreSQL) serve the product pages. VPC flow logs go to /vpc/flowlogs/retail-prod."
	in.albName = "app.checkout-alb.50dc6c495c0c9188"
	in.albNodes = []string{"10.40.0.14", "10.40.8.201"}
	lbID := "app/checkout-alb/50dc6c495c0c9188"
	tg := "arn:aws:elasticloadbalancing:eu-central-1:318204561927:targetgroup/checkout-api-tg/73e2d6bc24d8a067"

	change := in.at("13:51:07")
	onset := in.at("13:51:31")
	decoySG := in.at("13:46:32")
	decoyRG := in.at("13:49:40")

	// ---- CloudTrail ----
	priya := in.role("AWSReservedSSO_NetworkAdmin_4c1f9e2a7b3d5e60", "priya.raman@acme-retail.com", "84.17.52.190",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36")
	priya.console = true
	terraform := in.role("terraform-cloud-apply", "terraform-run-Xy7aK2pQ", "52.86.200.106", "APN/1.0 HashiCorp/1.0 Terraform/1.7.3 (+https://www.terraform.io) terraform-provider-aws/5.37.0")
	checkoutRole := in.role("checkout-api-task-role", in.hex(32), "10.40.3.17", "aws-sdk-go-v2/1.25.0 os/linux lang/go#1.22.0 md/GOOS#linux md/GOARCH#arm64 api/ssm#1.49.0")
	catalogRole := in.role("catalog-api-task-role", in.hex(32), "10.40.9.44", "aws-sdk-java/2.25.6 Linux/5.10 OpenJDK_64-Bit_Server_VM/21")
	mailerRole := in.role("email-dispatcher-role", "email-dispatcher", "3.122.40.1", "aws-sdk-nodejs/3.515.0 linux/v20.11.0 exec-env/AWS_Lambda_nodejs20.x")
	datadog := in.role("DatadogIntegrationRole", "DatadogAWSIntegration", "3.233.146.54", "Datadog")
	ci := in.role("github-actions-deploy", "GitHubActions", "140.82.112.4", "aws-sdk-js/3.590.0 ua/2.0 os/linux lang/js md/nodejs#20.14.0 api/ecs#3.590.0")
	in.routineCT(routine{
		appRoles: []*Principal{checkoutRole, catalogRole, mailerRole}, kmsKey: "5d1f0a7e-8c2b-4e39-9a61-0f3b7c2d4e18",
		params:  []string{"/retail/prod/checkout/feature-flags", "/retail/prod/catalog/db-host", "/retail/prod/shared/stripe-publishable"},
		secrets: []string{"retail/prod/catalog-db-Hk2x9P", "retail/prod/checkout-redis-auth-1Qw8sd"}, monitor: datadog, ci: ci,
		ciDeploys: []deploy{{in.at("13:22:10"), "catalog-api", "catalog-api", 412}, {in.at("13:58:44"), "wishlist-api", "wishlist-api", 77}},
		lambdaFns: []string{"email-dispatcher"}, ecsCluster: "retail-prod", assumeFrom: "ecs-tasks.amazonaws.com",
		assumeRoles: []string{"checkout-api-task-role", "catalog-api-task-role", "wishlist-api-task-role"}, readsPerMin: 5,
		metricSpaces: []string{"Retail/Checkout", "Retail/Catalog"},
	})
	// Priya's console session: browsing the VPC console, then two changes.
	for i, n := range []string{"DescribeVpcs", "DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeNetworkInterfaces"} {
		in.ev(decoySG.Add(-time.Duration(90-i*17)*time.Second), priya, "ec2", n, map[string]any{"filterSet": map[string]any{"items": []map[string]any{{"name": "vpc-id", "valueSet": map[string]any{"items": []map[string]any{{"value": "vpc-0b18e6c4a2f9d7035"}}}}}}}, nil)
	}
	in.ev(decoySG, priya, "ec2", "AuthorizeSecurityGroupIngress",
		map[string]any{"groupId": "sg-07d3b1e9a0c4f2586", "ipPermissions": map[string]any{"items": []map[string]any{{"ipProtocol": "tcp", "fromPort": 5439, "toPort": 5439, "groups": map[string]any{}, "ipRanges": map[string]any{"items": []map[string]any{{"cidrIp": "10.60.0.0/16", "description": "BI tools VPC"}}}, "ipv6Ranges": map[string]any{}, "prefixListIds": map[string]any{}}}}},
		map[string]any{"requestId": in.uuid(), "_return": true, "securityGroupRuleSet": map[string]any{"items": []map[string]any{{"groupOwnerId": in.Account, "groupId": "sg-07d3b1e9a0c4f2586", "securityGroupRuleId": "sgr-0e4a91c7b3d258f60", "isEgress": false, "ipProtocol": "tcp", "fromPort": 5439, "toPort": 5439, "cidrIpv4": "10.60.0.0/16", "description": "BI tools VPC"}}}})
	for i, n := range []string{"DescribeNetworkAcls", "DescribeSubnets", "DescribeNetworkAcls", "DescribeVpcs"} {
		in.ev(change.Add(-time.Duration(100-i*21)*time.Second), priya, "ec2", n, map[string]any{"networkAclIdSet": map[string]any{"items": []map[string]any{{"networkAclId": "acl-0c4e81f2b9d6a3057"}}}}, nil)
	}
	in.ev(change, priya, "ec2", "ReplaceNetworkAclEntry",
		map[string]any{"networkAclId": "acl-0c4e81f2b9d6a3057", "ruleNumber": 120, "egress": false, "ruleAction": "deny", "icmpTypeCode": map[string]any{}, "portRange": map[string]any{"from": 1024, "to": 65535}, "aclProtocol": "6", "cidrBlock": "10.40.32.0/20"},
		map[string]any{"requestId": in.uuid(), "_return": true})
	in.ev(change.Add(19*time.Second), priya, "ec2", "DescribeNetworkAcls", map[string]any{"networkAclIdSet": map[string]any{"items": []map[string]any{{"networkAclId": "acl-0c4e81f2b9d6a3057"}}}}, nil)
	// Terraform run that only moves the snapshot window of the cache.
	in.ev(decoyRG.Add(-20*time.Second), terraform, "elasticache", "DescribeReplicationGroups", map[string]any{"replicationGroupId": "orders-cache"}, nil)
	in.ev(decoyRG, terraform, "elasticache", "ModifyReplicationGroup",
		map[string]any{"replicationGroupId": "orders-cache", "snapshotWindow": "02:30-03:30", "applyImmediately": true},
		map[string]any{"replicationGroupId": "orders-cache", "description": "orders cart cache", "status": "modifying", "memberClusters": []string{"orders-cache-001", "orders-cache-002"}, "snapshotWindow": "02:30-03:30", "snapshotRetentionLimit": 3, "clusterEnabled": false, "cacheNodeType": "cache.r7g.large", "transitEncryptionEnabled": true, "atRestEncryptionEnabled": true, "automaticFailover": "enabled", "multiAZ": "enabled"})
	for i := 1; i <= 4; i++ {
		in.ev(decoyRG.Add(time.Duration(i*20)*time.Second), terraform, "elasticache", "DescribeReplicationGroups", map[string]any{"replicationGroupId": "orders-cache"}, nil)
	}
	// Scaling of the checkout service reacting to its CPU, made by AWS.
	in.ev(in.at("13:12:40"), in.svc("ecs.application-autoscaling.amazonaws.com"), "ecs", "UpdateService",
		map[string]any{"cluster": "retail-prod", "service": "catalog-api", "desiredCount": 5}, map[string]any{"service": map[string]any{"serviceName": "catalog-api", "desiredCount": 5}},
		map[string]any{"sourceIPAddress": "ecs.application-autoscaling.amazonaws.com", "userAgent": "ecs.application-autoscaling.amazonaws.com"})

	// ---- requests: app logs, ALB logs, traces ----
	tasks := []struct{ ip, id string }{{"10.40.3.17", in.hex(32)}, {"10.40.9.44", in.hex(32)}, {"10.40.17.102", in.hex(32)}}
	paths := []string{"GET /v1/cart/%d", "POST /v1/cart/%d/items", "GET /v1/cart/%d/summary", "DELETE /v1/cart/%d/items/%d", "POST /v1/checkout/%d"}
	poolExhausted := onset.Add(95 * time.Second)
	in.every(in.Start, in.End, 1500*time.Millisecond, func(t time.Time) {
		task := tasks[in.rng.IntN(len(tasks))]
		stream := "checkout-api/checkout-api/" + task.id
		cart := 100000 + in.rng.IntN(900000)
		tmpl := paths[in.rng.IntN(len(paths))]
		p := fmt.Sprintf(tmpl, cart)
		if strings.Count(tmpl, "%d") == 2 {
			p = fmt.Sprintf(tmpl, cart, 1+in.rng.IntN(40))
		}
		method, path, _ := strings.Cut(p, " ")
		rid := in.hex(16)
		trace := in.traceID(t)
		failing := !t.Before(onset) && in.chance(0.86)
		dur := 8 + in.rng.ExpFloat64()*20
		status := 200
		if method == "POST" && path[len(path)-5:] == "items" {
			status = 201
		}
		port := 32768 + in.rng.IntN(28000)
		redisIP := "10.40.33.21"
		if failing {
			var errText string
			if t.Before(poolExhausted) || in.chance(0.3) {
				dur = 3000 + in.rng.Float64()*40
				errText = fmt.Sprintf("read tcp %s:%d->%s:6379: i/o timeout", task.ip, port, redisIP)
			} else {
				dur = 4000 + in.rng.Float64()*15
				errText = "redis: connection pool timeout"
			}
			in.log("/ecs/checkout-api", stream, t.Add(time.Duration(dur)*time.Millisecond),
				fmt.Sprintf(`time=%s level=error msg="cache read failed" op=GET key=cart:%d err="%s" request_id=%s`, iso(t.Add(time.Duration(dur)*time.Millisecond)), cart, errText, rid))
			status = 503
			dur += 2
		}
		end := t.Add(time.Duration(dur * float64(time.Millisecond)))
		lvl := "info"
		if status >= 500 {
			lvl = "warn"
		}
		in.log("/ecs/checkout-api", stream, end, fmt.Sprintf(`time=%s level=%s msg="request completed" method=%s path=%s status=%d dur_ms=%.1f request_id=%s trace_id=%s`, iso(end), lvl, method, path, status, dur, rid, trace))
		in.albLog(albReq{t: t.Add(-2 * time.Millisecond), client: fmt.Sprintf("%d.%d.%d.%d:%d", 31+in.rng.IntN(180), in.rng.IntN(255), in.rng.IntN(255), in.rng.IntN(255), 1024+in.rng.IntN(60000)),
			target: task.ip + ":8080", reqT: 0.001, targetT: dur / 1000, rsT: 0, elbStatus: status, targetStatus: fmt.Sprint(status), method: method,
			url: "https://shop-api.acme-retail.eu:443" + path, agent: in.pick("Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15", "okhttp/4.12.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/121.0"),
			tgArn: tg, traceID: "Root=" + trace, domain: "shop-api.acme-retail.eu", cert: "arn:aws:acm:eu-central-1:318204561927:certificate/9b2d4e61-7a3c-4f08-b1e5-2c6d8f0a9e13", recv: 400 + in.rng.IntN(900), sent: 300 + in.rng.IntN(4000)}, lbID)
		if in.chance(0.08) {
			seg := map[string]any{"id": in.hex(16), "name": "checkout-api", "start_time": epoch(t), "end_time": epoch(end), "origin": "AWS::ECS::Container",
				"http":        map[string]any{"request": map[string]any{"method": method, "url": "https://shop-api.acme-retail.eu" + path, "client_ip": "31.4.1.1", "x_forwarded_for": true}, "response": map[string]any{"status": status}},
				"aws":         map[string]any{"ecs": map[string]any{"container": "ip-" + task.ip, "container_id": task.id}, "xray": map[string]any{"sdk": "X-Ray for Go", "sdk_version": "1.8.3"}},
				"subsegments": []map[string]any{}}
			redisSub := map[string]any{"id": in.hex(16), "name": "orders-cache.x3k2ab.ng.0001.euc1.cache.amazonaws.com", "namespace": "remote", "start_time": epoch(t.Add(time.Millisecond)), "end_time": epoch(t.Add(3 * time.Millisecond)),
				"metadata": map[string]any{"redis": map[string]any{"command": "GET", "db": 0}}}
			if failing {
				redisSub["end_time"] = epoch(end.Add(-2 * time.Millisecond))
				redisSub["fault"] = true
				redisSub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": in.hex(16), "type": "*net.OpError", "message": fmt.Sprintf("read tcp %s:%d->%s:6379: i/o timeout", task.ip, port, redisIP), "remote": true}}}
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": in.hex(16), "type": "*errors.errorString", "message": "cart unavailable: cache read failed"}}}
			}
			subs := []map[string]any{redisSub}
			if in.chance(0.3) {
				subs = append(subs, map[string]any{"id": in.hex(16), "name": "promotions.internal", "namespace": "remote", "start_time": epoch(t.Add(4 * time.Millisecond)), "end_time": epoch(t.Add(9 * time.Millisecond)),
					"http": map[string]any{"request": map[string]any{"method": "GET", "url": "http://promotions.internal/v2/codes/SPRING24"}, "response": map[string]any{"status": 404}}, "error": true})
			}
			seg["subsegments"] = subs
			in.addTrace(trace, end.Sub(t), seg)
		}
	})
	// Loud pre-existing errors and warnings at a steady rate.
	in.every(in.Start, in.End, 4*time.Second, func(t time.Time) {
		task := tasks[in.rng.IntN(len(tasks))]
		in.log("/ecs/checkout-api", "checkout-api/checkout-api/"+task.id, t, fmt.Sprintf(`time=%s level=error msg="promotion lookup failed" code=SPRING24 err="promotions: GET http://promotions.internal/v2/codes/SPRING24: 404 Not Found" request_id=%s`, iso(t), in.hex(16)))
	})
	in.every(in.Start, in.End, 11*time.Second, func(t time.Time) {
		task := tasks[in.rng.IntN(len(tasks))]
		in.log("/ecs/checkout-api", "checkout-api/checkout-api/"+task.id, t, fmt.Sprintf(`time=%s level=warn msg="deprecated client header" header=X-Client-Version value=%s`, iso(t), in.pick("3.8.1", "3.9.0", "4.0.2")))
	})
	in.every(in.Start, in.End, 60*time.Second, func(t time.Time) {
		for _, task := range tasks {
			in.log("/ecs/checkout-api", "checkout-api/checkout-api/"+task.id, t.Add(time.Duration(in.rng.IntN(900))*time.Millisecond), fmt.Sprintf(`time=%s level=info msg="redis pool stats" hits=%d misses=%d timeouts=0 total_conns=%d idle_conns=%d`, iso(t), 4000+in.rng.IntN(300), in.rng.IntN(9), 10, 8+in.rng.IntN(3)))
		}
	})

	// catalog-api: JSON logs, unaffected, with its own noise.
	catalogTasks := []string{in.hex(32), in.hex(32), in.hex(32), in.hex(32)}
	in.every(in.Start, in.End, 2200*time.Millisecond, func(t time.Time) {
		s := "catalog-api/catalog-api/" + catalogTasks[in.rng.IntN(4)]
		in.log("/ecs/catalog-api", s, t, fmt.Sprintf(`{"@timestamp":"%s","level":"INFO","logger":"c.a.catalog.web.ProductController","thread":"http-nio-8080-exec-%d","message":"GET /v2/products/%d 200 %dms"}`, iso(t), 1+in.rng.IntN(40), 1000+in.rng.IntN(90000), 4+in.rng.IntN(40)))
	})
	in.every(in.Start, in.End, 9*time.Second, func(t time.Time) {
		s := "catalog-api/catalog-api/" + catalogTasks[in.rng.IntN(4)]
		in.log("/ecs/catalog-api", s, t, fmt.Sprintf(`{"@timestamp":"%s","level":"ERROR","logger":"c.a.catalog.image.ImageResolver","thread":"http-nio-8080-exec-%d","message":"Image not found for sku %d, falling back to placeholder","exception":"java.io.FileNotFoundException: s3://acme-retail-media/sku/%d.webp"}`, iso(t), 1+in.rng.IntN(40), 50000+in.rng.IntN(9000), 50000+in.rng.IntN(9000)))
	})

	// VPC flow logs (default format v2), aggregated per minute.
	enis := map[string]string{"10.40.3.17": "eni-0f18c2a9d4b7e3065", "10.40.9.44": "eni-03b7d1e6a9c2f4058", "10.40.17.102": "eni-0a9e2c4f1b6d8e307"}
	in.every(in.Start, in.End, 2500*time.Millisecond, func(t time.Time) {
		task := tasks[in.rng.IntN(len(tasks))]
		eni := enis[task.ip]
		st := t.Truncate(time.Minute)
		var rec string
		switch in.rng.IntN(5) {
		case 0, 1: // cache replies into the task
			action := "ACCEPT"
			if !t.Before(change.Add(3 * time.Second)) {
				action = "REJECT"
			}
			rec = fmt.Sprintf("2 %s %s 10.40.33.21 %s 6379 %d 6 %d %d %d %d %s OK", in.Account, eni, task.ip, 32768+in.rng.IntN(28000), 2+in.rng.IntN(30), 200+in.rng.IntN(9000), st.Unix(), st.Unix()+59, action)
		case 2:
			rec = fmt.Sprintf("2 %s %s %s 10.40.52.%d %d 5432 6 %d %d %d %d ACCEPT OK", in.Account, eni, task.ip, 10+in.rng.IntN(4), 32768+in.rng.IntN(28000), 4+in.rng.IntN(40), 800+in.rng.IntN(20000), st.Unix(), st.Unix()+59)
		case 3:
			rec = fmt.Sprintf("2 %s eni-0c71e9a3f2b8d5041 %d.%d.%d.%d 10.40.0.14 %d %s 6 1 44 %d %d REJECT OK", in.Account, 45+in.rng.IntN(150), in.rng.IntN(255), in.rng.IntN(255), in.rng.IntN(255), 1024+in.rng.IntN(60000), in.pick("22", "3389", "23", "445", "5900"), st.Unix(), st.Unix()+59)
		case 4:
			rec = fmt.Sprintf("2 %s %s %s 52.219.%d.%d %d 443 6 %d %d %d %d ACCEPT OK", in.Account, eni, task.ip, in.rng.IntN(255), in.rng.IntN(255), 32768+in.rng.IntN(28000), 5+in.rng.IntN(50), 1200+in.rng.IntN(50000), st.Unix(), st.Unix()+59)
		}
		in.log("/vpc/flowlogs/retail-prod", eni+"-all", t.Add(70*time.Second), rec)
	})

	// email-dispatcher Lambda: routine runs.
	in.every(in.Start, in.End, 20*time.Second, func(t time.Time) {
		rid := in.uuid()
		s := t.Format("2006/01/02") + "/[$LATEST]" + "7c1e0f3a9b2d4c658e1f0a2b3c4d5e6f"
		in.log("/aws/lambda/email-dispatcher", s, t, "START RequestId: "+rid+" Version: $LATEST")
		in.log("/aws/lambda/email-dispatcher", s, t.Add(40*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tsent %d messages from email-outbox", iso(t.Add(40*time.Millisecond)), rid, in.rng.IntN(12)))
		in.log("/aws/lambda/email-dispatcher", s, t.Add(90*time.Millisecond), "END RequestId: "+rid)
		in.log("/aws/lambda/email-dispatcher", s, t.Add(91*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: %d MB", rid, 80+in.rng.Float64()*30, 100, 88+in.rng.IntN(6)))
	})

	// ---- metrics ----
	fail := func(t time.Time) float64 { return ramp(t, onset.Add(-30*time.Second), onset.Add(30*time.Second)) }
	alb := [][2]string{{"LoadBalancer", lbID}}
	in.metric(series{ns: "AWS/ApplicationELB", name: "RequestCount", unit: "Count", dims: alb, stats: []string{"Sum"}, samples: func(time.Time) float64 { return 1 }, fn: func(t time.Time) float64 { return in.noise(40, 0.1) }})
	in.metric(series{ns: "AWS/ApplicationELB", name: "HTTPCode_Target_5XX_Count", unit: "Count", dims: alb, stats: []string{"Sum"}, samples: func(time.Time) float64 { return 1 }, fn: func(t time.Time) float64 {
		if fail(t) == 0 {
			if in.chance(0.85) {
				return math.NaN()
			}
			return 1
		}
		return math.Round(in.noise(34, 0.08) * fail(t))
	}})
	in.metric(series{ns: "AWS/ApplicationELB", name: "TargetResponseTime", unit: "Seconds", dims: alb, stats: []string{"Average", "Maximum"}, fn: func(t time.Time) float64 { return in.noise(0.021, 0.2) + 3.1*fail(t) }})
	cache := [][2]string{{"CacheClusterId", "orders-cache-001"}}
	in.metric(series{ns: "AWS/ElastiCache", name: "CacheHits", unit: "Count", dims: cache, stats: []string{"Sum"}, samples: func(time.Time) float64 { return 1 }, fn: func(t time.Time) float64 { return in.noise(7400, 0.07) * (1 - 0.97*fail(t)) }})
	in.metric(series{ns: "AWS/ElastiCache", name: "NewConnections", unit: "Count", dims: cache, stats: []string{"Sum"}, samples: func(time.Time) float64 { return 1 }, fn: func(t time.Time) float64 { return float64(in.rng.IntN(2)) + 36*fail(t)*in.noise(1, 0.3) }})
	in.metric(series{ns: "AWS/ElastiCache", name: "EngineCPUUtilization", unit: "Percent", dims: cache, fn: func(t time.Time) float64 { return in.noise(11, 0.1) * (1 - 0.7*fail(t)) }})
	in.metric(series{ns: "AWS/ElastiCache", name: "CurrConnections", unit: "Count", dims: cache, fn: func(t time.Time) float64 { return math.Round(in.noise(31, 0.05) + 25*fail(t)) }})
	in.metric(series{ns: "AWS/ECS", name: "CPUUtilization", unit: "Percent", dims: [][2]string{{"ClusterName", "retail-prod"}, {"ServiceName", "checkout-api"}}, fn: func(t time.Time) float64 { return in.noise(34, 0.08) - 12*fail(t) }})
	in.metric(series{ns: "AWS/ECS", name: "CPUUtilization", unit: "Percent", dims: [][2]string{{"ClusterName", "retail-prod"}, {"ServiceName", "catalog-api"}}, fn: func(t time.Time) float64 {
		return in.noise(41, 0.1) + 18*ramp(t, in.at("13:20:00"), in.at("13:24:00")) - 18*ramp(t, in.at("13:35:00"), in.at("13:38:00"))
	}})
	in.metric(series{ns: "AWS/SQS", name: "ApproximateNumberOfMessagesVisible", unit: "Count", dims: [][2]string{{"QueueName", "email-outbox"}}, stats: []string{"Average", "Maximum"}, period: 5 * time.Minute, fn: func(t time.Time) float64 {
		return 40 + 2200*ramp(t, in.at("13:55:00"), in.at("14:05:00")) - 2200*ramp(t, in.at("14:10:00"), in.at("14:25:00"))
	}})
	in.metric(series{ns: "AWS/RDS", name: "CPUUtilization", unit: "Percent", dims: [][2]string{{"DBInstanceIdentifier", "catalog-db"}}, stats: []string{"Average"}, fn: func(t time.Time) float64 {
		return in.noise(22, 0.1) + 45*(ramp(t, in.at("13:58:00"), in.at("13:59:00"))-ramp(t, in.at("14:06:00"), in.at("14:07:00")))
	}})

	// ---- alarms ----
	alarmAt := in.at("13:54:12")
	in.metricAlarm(map[string]any{
		"AlarmName": "checkout-api-5xx-rate", "AlarmDescription": "More than 5% of checkout requests return 5xx for 3 minutes. Runbook: https://wiki.acme-retail.eu/runbooks/checkout",
		"EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": 5.0, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
		"Metrics": []map[string]any{
			{"Id": "rate", "Expression": "100*(FILL(m5xx,0)/reqs)", "Label": "5xx %", "ReturnData": true},
			{"Id": "m5xx", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": dims("LoadBalancer", lbID)}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
			{"Id": "reqs", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": dims("LoadBalancer", lbID)}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
		},
	}, "ALARM", alarmAt, "Threshold Crossed: 3 out of the last 3 datapoints [85.4 (17/02/26 13:53:00), 86.1 (17/02/26 13:52:00), 71.9 (17/02/26 13:51:00)] were greater than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).",
		map[string]any{"version": "1.0", "queryDate": "2026-02-17T13:54:12.214+0000", "startDate": "2026-02-17T13:51:00.000+0000", "period": 60, "recentDatapoints": []float64{71.9, 86.1, 85.4}, "threshold": 5.0, "evaluatedDatapoints": []map[string]any{{"timestamp": "2026-02-17T13:53:00.000+0000", "value": 85.4}}})
	in.stateChange("checkout-api-5xx-rate", "MetricAlarm", alarmAt, "OK", "ALARM", "Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (5.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "orders-cache-engine-cpu-high", "Namespace": "AWS/ElastiCache", "MetricName": "EngineCPUUtilization", "Dimensions": dims("CacheClusterId", "orders-cache-001"), "Statistic": "Average", "Period": 300, "EvaluationPeriods": 2, "Threshold": 80.0, "ComparisonOperator": "GreaterThanThreshold"},
		"OK", in.Start.Add(-9*24*time.Hour), "Threshold Crossed: 1 datapoint [11.2] was not greater than the threshold (80.0).", nil)
	in.metricAlarm(map[string]any{"AlarmName": "email-outbox-backlog", "Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible", "Dimensions": dims("QueueName", "email-outbox"), "Statistic": "Maximum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1000.0, "ComparisonOperator": "GreaterThanThreshold"},
		"OK", in.at("14:21:03"), "Threshold Crossed: 1 datapoint [812.0] was not greater than the threshold (1000.0).", nil)
	in.stateChange("email-outbox-backlog", "MetricAlarm", in.at("14:01:03"), "OK", "ALARM", "Threshold Crossed: 1 datapoint [1544.0] was greater than the threshold (1000.0).", nil)
	in.stateChange("email-outbox-backlog", "MetricAlarm", in.at("14:21:03"), "ALARM", "OK", "Threshold Crossed: 1 datapoint [812.0] was not greater than the threshold (1000.0).", nil)

	// Security Hub: a standing finding about the SG opened to 10.60/16.
	in.hub = append(in.hub, map[string]any{
		"SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:eu-central-1:318204561927:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.18/finding/" + in.uuid(),
		"ProductArn": "arn:aws:securityhub:eu-central-1::product/aws/securityhub", "ProductName": "Security Hub", "CompanyName": "AWS",
		"GeneratorId": "aws-foundational-security-best-practices/v/1.0.0/EC2.18", "AwsAccountId": in.Account, "Region": "eu-central-1",
		"Types":           []string{"Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"},
		"FirstObservedAt": "2025-11-03T08:12:44.120Z", "LastObservedAt": "2026-02-17T13:12:09.581Z", "CreatedAt": "2025-11-03T08:12:44.120Z", "UpdatedAt": "2026-02-17T13:12:09.581Z",
		"Severity":    map[string]any{"Label": "HIGH", "Normalized": 70, "Original": "HIGH"},
		"Title":       "EC2.18 Security groups should only allow unrestricted incoming traffic for authorized ports",
		"Description": "This control checks whether the security groups allow unrestricted incoming traffic for unauthorized ports.",
		"Resources":   []map[string]any{{"Type": "AwsEc2SecurityGroup", "Id": "arn:aws:ec2:eu-central-1:318204561927:security-group/sg-0d2e6b9a1c7f43085", "Partition": "aws", "Region": "eu-central-1"}},
		"Compliance":  map[string]any{"Status": "FAILED"}, "Workflow": map[string]any{"Status": "NEW"}, "RecordState": "ACTIVE",
	})

	in.setTruth("network", "checkout-api-5xx-rate", "ReplaceNetworkAclEntry", change, "acl-0c4e81f2b9d6a3057", onset,
		[][2]any{{"AuthorizeSecurityGroupIngress", decoySG}, {"ModifyReplicationGroup", decoyRG}},
		"ReplaceNetworkAclEntry", "acl-0c4e81f2b9d6a3057", "i/o timeout", "redis: connection pool timeout")
	return in
}
