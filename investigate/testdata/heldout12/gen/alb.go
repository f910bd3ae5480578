package main

import (
	"fmt"
	"time"
)

// albEgress: a network clean-up revokes the ALB security group's egress
// rule to the app's group on 8080. The ALB can no longer open connections
// to its targets: 504s after the 10 s connect timeout, a few 502s, health
// checks fail; the app itself logs nothing wrong, it just stops getting
// requests.
func albEgress(root string) {
	day := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	at := func(h, m, sec int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
	}
	s := newSnap("alb-sg-egress-to-targets-revoked", 1203, "902775410386", "us-west-2", at(16, 40, 0), at(18, 25, 0))
	s.albName, s.albID, s.certID = "storefront-alb", "9c3e51ab07d24f18", "0e7b2c4d-1a9f-4b3e-8c6d-5f2a1b9e7c30"
	s.title = "storefront 5xx and unhealthy targets"
	s.arch = "storefront-alb (internet-facing ALB, security group sg-0a41c7e2d9b35f108 storefront-alb-sg) forwards to target group storefront-web (ECS Fargate tasks on port 8080, security group sg-0c77e1b04a6d29e35 storefront-app-sg). storefront-web is Go and logs logfmt; it calls inventory-api."
	change := at(17, 42, 16)
	onset := at(17, 42, 30)
	fired := at(17, 46, 0)
	albSG, appSG := "sg-0a41c7e2d9b35f108", "sg-0c77e1b04a6d29e35"
	tgArn := "arn:aws:elasticloadbalancing:us-west-2:902775410386:targetgroup/storefront-web/5e0f7a3c9b1d2e48"
	marco := s.sso("NetworkAdmin", "marco.bianchi@trailhead.shop", "93.41.200.18")
	lena := s.role("terraform-apply", "tf-"+s.hex(8), "44.231.9.201", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 terraform-provider-aws/5.74.0 aws-sdk-go-v2/1.32.2 api/elasticloadbalancingv2#1.41.0")
	s.routineTrail([]string{"storefront-web-task", "inventory-api-task"}, []string{"storefront-web", "inventory-api"}, []who{marco, s.sso("Developer", "lena.w@trailhead.shop", "24.6.88.12")})
	for i := 0; i < 25; i++ {
		t := at(17, 30, 0).Add(time.Duration(i*37) * time.Second)
		s.trail(t, marco, "ec2.amazonaws.com", []string{"DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeNetworkInterfaces", "DescribeVpcs"}[i%4], true, map[string]any{"filterSet": map[string]any{}}, nil, nil)
	}
	tgT := at(17, 26, 3)
	s.trail(tgT, lena, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", false, map[string]any{"targetGroupArn": tgArn, "attributes": []map[string]any{{"key": "stickiness.enabled", "value": "true"}, {"key": "stickiness.type", "value": "lb_cookie"}, {"key": "stickiness.lb_cookie.duration_seconds", "value": "3600"}}}, nil, nil)
	ingT := at(17, 37, 50)
	s.trail(ingT, marco, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", false, map[string]any{"groupId": albSG, "ipPermissions": map[string]any{"items": []map[string]any{{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": map[string]any{}, "ipRanges": map[string]any{"items": []map[string]any{{"cidrIp": "198.51.100.0/24", "description": "Milan office (new ISP)"}}}, "ipv6Ranges": map[string]any{}, "prefixListIds": map[string]any{}}}}},
		map[string]any{"requestId": s.uuid(), "_return": true, "securityGroupRuleSet": map[string]any{"items": []map[string]any{{"groupOwnerId": s.account, "groupId": albSG, "securityGroupRuleId": "sgr-0" + s.hex(16), "isEgress": false, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "198.51.100.0/24"}}}}, nil)
	s.trail(change, marco, "ec2.amazonaws.com", "RevokeSecurityGroupEgress", false, map[string]any{"groupId": albSG, "ipPermissions": map[string]any{"items": []map[string]any{{"ipProtocol": "tcp", "fromPort": 8080, "toPort": 8080, "groups": map[string]any{"items": []map[string]any{{"groupId": appSG}}}, "ipRanges": map[string]any{}, "ipv6Ranges": map[string]any{}, "prefixListIds": map[string]any{}}}}},
		map[string]any{"requestId": s.uuid(), "_return": true}, nil)
	s.trail(at(17, 44, 51), marco, "ec2.amazonaws.com", "RevokeSecurityGroupEgress", false, map[string]any{"groupId": "sg-05d1e9a7c3b2f4086", "ipPermissions": map[string]any{"items": []map[string]any{{"ipProtocol": "-1", "groups": map[string]any{}, "ipRanges": map[string]any{"items": []map[string]any{{"cidrIp": "0.0.0.0/0"}}}, "ipv6Ranges": map[string]any{}, "prefixListIds": map[string]any{}}}}},
		map[string]any{"requestId": s.uuid(), "_return": true}, nil)

	targets := []string{"10.30.11.5:8080", "10.30.12.19:8080", "10.30.13.44:8080"}
	streams := []string{"ecs/storefront-web/61b0c2d3", "ecs/storefront-web/a7e4f9c1", "ecs/storefront-web/3d2c8b0e"}
	paths := []string{"/", "/api/cart", "/api/products?page=2", "/api/products/4411", "/checkout", "/api/recommendations"}
	uas := []string{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"}
	elb5, e502, e504, reqs, t5 := map[int64]int{}, map[int64]int{}, map[int64]int{}, map[int64]int{}, map[int64]int{}
	logfmt := func(t time.Time, i int, lvl, msg, rest string) {
		s.log("/ecs/storefront-web", streams[i], t, fmt.Sprintf("time=%s level=%s msg=%q %s", t.Format("2006-01-02T15:04:05.000Z07:00"), lvl, msg, rest))
	}
	s.every(1100*time.Millisecond, func(t time.Time) {
		if t.After(at(17, 0, 0)) && t.Before(at(17, 20, 0)) && s.rng.Intn(3) == 0 {
			return // a marketing mail at 17:00 brings a third more traffic (extra calls below)
		}
		i := s.rng.Intn(3)
		m := t.Truncate(time.Minute).Unix()
		reqs[m]++
		client := fmt.Sprintf("%d.%d.%d.%d:%d", 20+s.rng.Intn(180), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(250), 30000+s.rng.Intn(30000))
		p := paths[s.rng.Intn(len(paths))]
		ua := uas[s.rng.Intn(2)]
		broken := !t.Before(change.Add(8 * time.Second))
		// Pooled keep-alive connections survive the revoke for a little while.
		if broken && (t.After(change.Add(70*time.Second)) || s.rng.Intn(3) > 0) {
			if s.rng.Intn(9) == 0 {
				s.albLog(t.Add(time.Duration(s.rng.Intn(300))*time.Millisecond), client, targets[i], -1, -1, -1, "502", "-", 380, 272, "GET", "www.trailhead.shop", p, ua, tgArn, "-")
				e502[m]++
			} else {
				s.albLog(t.Add(10*time.Second), client, targets[i], -1, -1, -1, "504", "-", 380, 300, "GET", "www.trailhead.shop", p, ua, tgArn, "-")
				e504[t.Add(10*time.Second).Truncate(time.Minute).Unix()]++
			}
			elb5[m]++
			return
		}
		dur := 0.008 + s.rng.Float64()*0.05
		st := "200"
		if s.rng.Intn(250) == 0 {
			st = "500"
			t5[m]++
			logfmt(t, i, "ERROR", "inventory lookup failed", fmt.Sprintf(`path=%s err="Get \"http://inventory-api.internal:9000/v1/stock/4411\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"`, p))
			dur = 2.0
		} else if s.rng.Intn(500) == 0 {
			s.albLog(t, client, "-", -1, -1, -1, "460", "-", 120, 0, "GET", "www.trailhead.shop", p, ua, tgArn, "-")
			return
		}
		s.albLog(t.Add(time.Duration(dur*float64(time.Second))), client, targets[i], 0.000, dur, 0.000, st, st, 380, 2400+s.rng.Intn(9000), "GET", "www.trailhead.shop", p, ua, tgArn, "-")
		logfmt(t, i, "INFO", "request", fmt.Sprintf("method=GET path=%s status=%s dur=%.1fms remote=10.30.%d.%d", p, st, dur*1000, 1+s.rng.Intn(3), s.rng.Intn(250)))
	})
	// health checks and background jobs
	for i := range targets {
		for t := s.start.Add(time.Duration(i*7) * time.Second); t.Before(s.end); t = t.Add(15 * time.Second) {
			if t.Before(change) {
				logfmt(t, i, "DEBUG", "request", "method=GET path=/healthz status=200 dur=0.3ms user_agent=ELB-HealthChecker/2.0")
			}
		}
		for t := s.start.Add(time.Duration(20+i*11) * time.Second); t.Before(s.end); t = t.Add(time.Minute) {
			logfmt(t, i, "INFO", "price cache refreshed", fmt.Sprintf("items=%d took=%dms", 18000+s.rng.Intn(300), 200+s.rng.Intn(100)))
		}
	}
	lb := []dim{{"LoadBalancer", "app/storefront-alb/9c3e51ab07d24f18"}}
	tg := []dim{{"TargetGroup", "targetgroup/storefront-web/5e0f7a3c9b1d2e48"}, {"LoadBalancer", "app/storefront-alb/9c3e51ab07d24f18"}}
	cnt := func(mm map[int64]int) func(time.Time) (float64, float64, bool) {
		return func(t time.Time) (float64, float64, bool) { v := mm[t.Unix()]; return float64(v), 1, v > 0 }
	}
	s.series("AWS/ApplicationELB", "RequestCount", lb, "Count", func(t time.Time) (float64, float64, bool) {
		v := reqs[t.Unix()]
		if t.After(at(17, 0, 0)) && t.Before(at(17, 20, 0)) {
			v = v * 3 / 2
		}
		return float64(v), 1, true
	})
	s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", cnt(elb5))
	s.series("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", lb, "Count", cnt(e504))
	s.series("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", lb, "Count", cnt(e502))
	s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", cnt(t5))
	s.series("AWS/ApplicationELB", "TargetConnectionErrorCount", lb, "Count", func(t time.Time) (float64, float64, bool) {
		v := e504[t.Unix()] + e502[t.Unix()]
		if !t.Before(change.Truncate(time.Minute)) {
			v += 12 // health checks
		}
		return float64(v), 1, v > 0
	})
	s.series("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Count", func(t time.Time) (float64, float64, bool) {
		if t.Before(change.Add(45 * time.Second).Truncate(time.Minute)) {
			return 0, 1, true
		}
		if t.Before(change.Add(105 * time.Second).Truncate(time.Minute)) {
			return 2, 1, true
		}
		return 3, 1, true
	})
	s.series("AWS/ApplicationELB", "HealthyHostCount", tg, "Count", func(t time.Time) (float64, float64, bool) {
		if t.Before(change.Add(45 * time.Second).Truncate(time.Minute)) {
			return 3, 1, true
		}
		if t.Before(change.Add(105 * time.Second).Truncate(time.Minute)) {
			return 1, 1, true
		}
		return 0, 1, true
	})
	s.series("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", func(t time.Time) (float64, float64, bool) {
		if !t.Before(change.Add(2 * time.Minute).Truncate(time.Minute)) {
			return 0, 0, false
		}
		return s.noise(0.034, 0.25), float64(reqs[t.Unix()]), true
	})
	s.series("AWS/ECS", "CPUUtilization", []dim{{"ClusterName", "web"}, {"ServiceName", "storefront-web"}}, "Percent", func(t time.Time) (float64, float64, bool) {
		v := s.noise(31, 0.15)
		if !t.Before(change.Add(time.Minute)) {
			v = s.noise(6, 0.2)
		}
		return v, 1, true
	})
	s.alarm("storefront-web-unhealthy-hosts", "storefront-web has unhealthy targets for 3 minutes", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", tg, 2, "GreaterThanOrEqualToThreshold", 3, at(11, 3, 0), fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [3.0 (19/11/26 17:45:00), 3.0 (19/11/26 17:44:00), 2.0 (19/11/26 17:43:00)] were greater than or equal to the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.okAlarm("storefront-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 25, "GreaterThanOrEqualToThreshold")
	s.write(root, map[string]any{
		"kind": "security-group-egress", "alarm": "storefront-web-unhealthy-hosts",
		"root_cause": map[string]any{"event_name": "RevokeSecurityGroupEgress", "event_time": ts(change), "resource": albSG},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "AuthorizeSecurityGroupIngress", "event_time": ts(ingT)}, {"event_name": "ModifyTargetGroupAttributes", "event_time": ts(tgT)}, {"event_name": "RevokeSecurityGroupEgress", "event_time": ts(at(17, 44, 51))}},
		"signals":    []string{"504", "UnHealthyHostCount"},
	})
}
