package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// phzDisassociated: the private hosted zone internal.example is
// disassociated from the production VPC; internal names stop resolving.
func phzDisassociated() *snap {
	onset := time.Date(2026, 8, 19, 16, 7, 2, 0, time.UTC)
	s := newSnap("route53-private-zone-disassociated", 1303, onset, 70*time.Minute, 25*time.Minute)
	s.title = "checkout 5xx and pricing-worker failures"
	s.arch = "VPC vpc-0c41d7a9e2b35f816 (prod) runs checkout (node 20, pino, ECS service behind ALB shop-public) and pricing-worker (Go, zap). They reach inventory.internal.example, redis.internal.example and pricing-db.internal.example through the Route 53 private hosted zone internal.example (Z04817263KQ9XEXAMPLE). The analytics VPC vpc-09be2f3c1d4a56e70 shares the zone. example.com is the public zone."
	zone := "Z04817263KQ9XEXAMPLE"
	cause := time.Date(2026, 8, 19, 16, 6, 31, 0, time.UTC)
	net := role("AWSReservedSSO_NetworkAdmin_7c1d2e3f4a5b6c7d", "omar.haddad@acme-corp.example", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36", "198.51.100.140")
	net.agent = "AWS Internal"
	ev := func(t time.Time, w who, name string, req, resp map[string]any, ro bool) {
		r := s.event(t, w, "route53.amazonaws.com", name, req, resp, ro, nil)
		r["awsRegion"] = "us-east-1"
	}
	ev(cause.Add(-75*time.Second), net, "GetHostedZone", map[string]any{"id": zone}, nil, true)
	ev(cause.Add(-40*time.Second), net, "ListHostedZonesByVPC", map[string]any{"vPCId": "vpc-0c41d7a9e2b35f816", "vPCRegion": "us-east-1"}, nil, true)
	ev(cause, net, "DisassociateVPCFromHostedZone", map[string]any{"hostedZoneId": zone, "vPC": map[string]any{"vPCRegion": "us-east-1", "vPCId": "vpc-0c41d7a9e2b35f816"}, "comment": "cleanup old vpc association"},
		map[string]any{"changeInfo": map[string]any{"id": "/change/C0" + "39117QZ4TXEXAMPLE", "status": "PENDING", "submittedAt": cause.Format("Jan 2, 2006 3:04:05 PM"), "comment": "cleanup old vpc association"}}, false)
	ev(cause.Add(12*time.Second), net, "GetChange", map[string]any{"id": "C039117QZ4TXEXAMPLE"}, nil, true)
	d1 := time.Date(2026, 8, 19, 15, 52, 18, 0, time.UTC)
	ev(d1, s.tfUser(), "ChangeResourceRecordSets", map[string]any{"hostedZoneId": "Z2FDTNDATAQYW2EXAMPLE", "changeBatch": map[string]any{"changes": []map[string]any{{"action": "UPSERT", "resourceRecordSet": map[string]any{"name": "status.example.com.", "type": "CNAME", "tTL": 300, "resourceRecords": []map[string]string{{"value": "acme.statuspage.io"}}}}}}},
		map[string]any{"changeInfo": map[string]any{"id": "/change/C1022EXAMPLE", "status": "PENDING"}}, false)
	d2 := time.Date(2026, 8, 19, 15, 19, 47, 0, time.UTC)
	ev(d2, net, "AssociateVPCWithHostedZone", map[string]any{"hostedZoneId": zone, "vPC": map[string]any{"vPCRegion": "us-east-1", "vPCId": "vpc-09be2f3c1d4a56e70"}, "comment": "analytics needs internal names"},
		map[string]any{"changeInfo": map[string]any{"id": "/change/C0771EXAMPLE", "status": "PENDING"}}, false)
	ev(time.Date(2026, 8, 19, 15, 21, 2, 0, time.UTC), net, "ListVPCAssociationAuthorizations", map[string]any{"hostedZoneId": zone}, nil, true)
	s.noise([]string{"checkout", "pricing-worker"}, []string{"checkout", "pricing-worker"}, "shop")
	s.aasUpdateService(time.Date(2026, 8, 19, 15, 40, 12, 0, time.UTC), "shop", "checkout", 7)
	s.event(time.Date(2026, 8, 19, 15, 33, 40, 0, time.UTC), s.tfUser(), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", map[string]any{"groupId": "sg-0a7e1c2d3b4f50617", "ipPermissions": map[string]any{"items": []map[string]any{{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "groups": map[string]any{"items": []map[string]string{{"groupId": "sg-0ffe19a2b3c4d5e6f"}}}}}}},
		map[string]any{"_return": true}, false, nil)

	ips := []string{"10.60.1.45", "10.60.2.19", "10.60.3.112", "10.60.1.77", "10.60.2.230"}
	tasks := []string{"e1f2a3b4c5d6", "0a9b8c7d6e5f", "1122aabb3344", "99ffee88dd77", "5c4b3a291807"}
	failing := func(t time.Time, k int) bool {
		// each task's resolver cache expires at its own moment
		return t.After(onset.Add(time.Duration(k*9) * time.Second))
	}
	total, t5 := map[time.Time]int{}, map[time.Time]int{}
	ua := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"
	s.minutes(func(m time.Time) {
		for i := s.poisson(60); i > 0; i-- {
			t := s.in(m)
			k := s.rng.Intn(len(ips))
			stream := "checkout/checkout/" + tasks[k] + "9f8e7d6c5b4a3f2e1d0c"
			total[m]++
			path := []string{"/api/cart", "/api/checkout/submit", "/api/cart/items", "/health"}[s.rng.Intn(4)]
			if path == "/health" {
				s.albLine(t, "shop-public", "checkout-tg", "10.60.0."+fmt.Sprint(s.rng.Intn(250)), ips[k]+":3000", 0, 0.001, 0, "200", "200", path, "GET", "ELB-HealthChecker/2.0", "-")
				continue
			}
			code := 200
			lvl, msg := 30, "request completed"
			extra := map[string]any{}
			if failing(t, k) && path != "/api/cart" {
				code, lvl, msg = 503, 50, "inventory reservation failed"
				extra["err"] = map[string]any{"type": "Error", "message": "getaddrinfo ENOTFOUND inventory.internal.example", "stack": "Error: getaddrinfo ENOTFOUND inventory.internal.example\n    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:120:26)", "errno": -3008, "code": "ENOTFOUND", "syscall": "getaddrinfo", "hostname": "inventory.internal.example"}
			} else if s.rng.Intn(90) == 0 {
				code, lvl, msg = 502, 50, "payment provider error"
				extra["err"] = map[string]any{"type": "AxiosError", "message": "Request failed with status code 502", "code": "ERR_BAD_RESPONSE"}
			} else if s.rng.Intn(20) == 0 {
				code, lvl, msg = 409, 40, "cart version conflict"
			}
			rec := map[string]any{"level": lvl, "time": t.UnixMilli(), "pid": 1, "hostname": "ip-" + ips[k], "req": map[string]any{"id": s.hex(8), "method": "POST", "url": path}, "res": map[string]any{"statusCode": code}, "responseTime": 20 + s.rng.Intn(120), "msg": msg}
			for a, b := range extra {
				rec[a] = b
			}
			b, _ := json.Marshal(rec)
			s.log("/ecs/checkout", stream, t, string(b))
			if code >= 500 {
				t5[m]++
			}
			s.albLine(t, "shop-public", "checkout-tg", "88.12.4."+fmt.Sprint(s.rng.Intn(250)), ips[k]+":3000", 0.001, 0.02+s.rng.Float64()*0.12, 0, fmt.Sprint(code), fmt.Sprint(code), path, "POST", ua, "-")
		}
	})
	// pricing-worker (zap, production config)
	hits := map[time.Time]float64{}
	s.minutes(func(m time.Time) {
		for i := 0; i < 6; i++ {
			t := m.Add(time.Duration(i*10)*time.Second + time.Duration(s.rng.Intn(900))*time.Millisecond)
			ft := float64(t.UnixNano()) / 1e9
			if t.After(onset.Add(31 * time.Second)) {
				s.log("/ecs/pricing-worker", "pricing-worker/worker/4d3c2b1a", t, fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"cache/redis.go:73","msg":"refresh price cache","error":"dial tcp: lookup redis.internal.example on 10.60.0.2:53: no such host","stacktrace":"main.(*refresher).run\n\t/src/cmd/pricing-worker/main.go:118"}`, ft))
				continue
			}
			hits[m]++
			if s.rng.Intn(40) == 0 {
				s.log("/ecs/pricing-worker", "pricing-worker/worker/4d3c2b1a", t, fmt.Sprintf(`{"level":"warn","ts":%.6f,"caller":"feed/vendor.go:212","msg":"vendor feed stale","vendor":"nordwind","age_s":%d}`, ft, 600+s.rng.Intn(300)))
			} else {
				s.log("/ecs/pricing-worker", "pricing-worker/worker/4d3c2b1a", t, fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"cache/redis.go:88","msg":"price cache refreshed","keys":%d,"took_ms":%d}`, ft, 4000+s.rng.Intn(300), 30+s.rng.Intn(40)))
			}
		}
	})
	lb := []dim{{"LoadBalancer", "app/shop-public/5f3a9c1e7d2b4a60"}}
	s.count("AWS/ApplicationELB", "RequestCount", lb, func(m time.Time) float64 { return float64(total[m]) })
	s.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, func(m time.Time) float64 { return float64(t5[m]) })
	s.count("AWS/ApplicationELB", "HealthyHostCount", []dim{{"TargetGroup", "targetgroup/checkout-tg/8d2e4f6a1b3c5d7e"}, {"LoadBalancer", "app/shop-public/5f3a9c1e7d2b4a60"}}, func(m time.Time) float64 {
		if m.After(time.Date(2026, 8, 19, 15, 40, 0, 0, time.UTC)) {
			return 5
		}
		return 4
	})
	s.count("AWS/Route53Resolver", "InboundQueryVolume", []dim{{"EndpointId", "rslvr-in-3f2e1d0c9b8a7f6e5"}}, func(m time.Time) float64 { return float64(900 + s.rng.Intn(200)) })
	s.series("AWS/ElastiCache", "CurrConnections", "Count", []dim{{"CacheClusterId", "pricing-cache-001"}}, func(m time.Time) []float64 {
		if m.After(onset) {
			return []float64{float64(14 + s.rng.Intn(3))}
		}
		return []float64{float64(22 + s.rng.Intn(4))}
	})
	s.alarm("checkout-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 20, "GreaterThanThreshold", 3, time.Date(2026, 8, 19, 16, 11, 40, 0, time.UTC), "checkout 5xx")
	s.truth = map[string]any{"kind": "dns-private-zone", "alarm": "checkout-target-5xx",
		"root_cause": map[string]any{"event_name": "DisassociateVPCFromHostedZone", "event_time": ts(cause), "resource": zone},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "ChangeResourceRecordSets", "event_time": ts(d1)}, {"event_name": "AssociateVPCWithHostedZone", "event_time": ts(d2)}},
		"signals":    []string{"ENOTFOUND inventory.internal.example"}}
	return s
}
