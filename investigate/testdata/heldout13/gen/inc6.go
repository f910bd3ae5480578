package main

import (
	"fmt"
	"time"
)

// ecsScheduled: a scheduled action created two days earlier (meant for
// staging) scales the production storefront service to zero at 19:00.
func ecsScheduled() *snap {
	onset := time.Date(2026, 5, 5, 19, 0, 41, 0, time.UTC)
	s := newSnap("ecs-scheduled-action-scales-to-zero", 1306, onset, 76*time.Minute, 25*time.Minute)
	s.title = "storefront 503"
	s.arch = "storefront-web (node 20, logfmt, ECS Fargate cluster retail-prod, target tracking on CPU between 4 and 12 tasks) behind ALB retail-public; catalog-api (Go) is another service in the cluster. Application Auto Scaling manages desired counts."
	cluster, svc := "retail-prod", "storefront-web"
	rid := "service/" + cluster + "/" + svc
	// the scheduled action, two days before
	put := time.Date(2026, 5, 3, 11, 0, 14, 0, time.UTC)
	ops := role("AWSReservedSSO_PowerUser_9a2e71b0c4d5e6f7", "jonas.berg@acme-corp.example", cliAgent+"application-autoscaling.put-scheduled-action", "198.51.100.201")
	s.event(put.Add(-25*time.Second), ops, "autoscaling.amazonaws.com", "DescribeScalableTargets", map[string]any{"serviceNamespace": "ecs", "resourceIds": []string{rid}}, nil, true, nil)["eventSource"] = "application-autoscaling.amazonaws.com"
	s.event(put, ops, "application-autoscaling.amazonaws.com", "PutScheduledAction", map[string]any{"serviceNamespace": "ecs", "scheduledActionName": "nightly-scale-down", "resourceId": rid,
		"scalableDimension": "ecs:service:DesiredCount", "schedule": "cron(0 19 ? * MON-FRI *)", "timezone": "Etc/UTC", "scalableTargetAction": map[string]any{"minCapacity": 0, "maxCapacity": 0}}, nil, false, nil)
	// decoys
	d1 := time.Date(2026, 5, 5, 18, 2, 37, 0, time.UTC)
	s.event(d1, s.tfUser(), "application-autoscaling.amazonaws.com", "PutScalingPolicy", map[string]any{"serviceNamespace": "ecs", "resourceId": rid, "scalableDimension": "ecs:service:DesiredCount", "policyName": "storefront-cpu-target", "policyType": "TargetTrackingScaling",
		"targetTrackingScalingPolicyConfiguration": map[string]any{"targetValue": 55.0, "predefinedMetricSpecification": map[string]any{"predefinedMetricType": "ECSServiceAverageCPUUtilization"}, "scaleOutCooldown": 60, "scaleInCooldown": 300}},
		map[string]any{"policyARN": "arn:aws:autoscaling:" + region + ":" + acct + ":scalingPolicy:3e1f0a2b-7c6d-4e5f-9a8b-1c2d3e4f5a6b:resource/ecs/" + rid + ":policyName/storefront-cpu-target",
			"alarms": []map[string]string{{"alarmName": "TargetTracking-" + rid + "-AlarmHigh-5b0e", "alarmARN": "arn:aws:cloudwatch:" + region + ":" + acct + ":alarm:TargetTracking-" + rid + "-AlarmHigh-5b0e"}}}, false, nil)
	cwAAS := service("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling-ECS-Service", "application-autoscaling.amazonaws.com")
	s.event(d1.Add(2*time.Second), cwAAS, "monitoring.amazonaws.com", "PutMetricAlarm", map[string]any{"alarmName": "TargetTracking-" + rid + "-AlarmHigh-5b0e", "metricName": "CPUUtilization", "namespace": "AWS/ECS", "threshold": 55.0}, nil, false, nil)
	s.event(d1.Add(3*time.Second), cwAAS, "monitoring.amazonaws.com", "PutMetricAlarm", map[string]any{"alarmName": "TargetTracking-" + rid + "-AlarmLow-8c4d", "metricName": "CPUUtilization", "namespace": "AWS/ECS", "threshold": 49.5}, nil, false, nil)
	d2 := time.Date(2026, 5, 5, 18, 47, 9, 0, time.UTC)
	s.deploy(d2, cluster, "catalog-api", 88)
	s.noise([]string{"storefront-web", "catalog-api"}, []string{"storefront-web", "catalog-api"}, cluster)
	s.aasUpdateService(time.Date(2026, 5, 5, 18, 21, 52, 0, time.UTC), cluster, svc, 7)
	s.aasUpdateService(time.Date(2026, 5, 5, 18, 33, 15, 0, time.UTC), cluster, svc, 8)
	scale := time.Date(2026, 5, 5, 19, 0, 3, 0, time.UTC)
	s.aasUpdateService(scale, cluster, svc, 0)
	opsNow := role("AWSReservedSSO_PowerUser_9a2e71b0c4d5e6f7", "aiko.tanaka@acme-corp.example", consoleAgent, "203.0.113.90")
	s.event(time.Date(2026, 5, 5, 19, 6, 40, 0, time.UTC), opsNow, "ecs.amazonaws.com", "DescribeServices", map[string]any{"cluster": cluster, "services": []string{svc}}, nil, true, nil)

	tasks := []string{"41ad", "9c0e", "b7f2", "2d58", "e613", "70ba", "c4e9", "5f21"}
	ips := []string{"10.90.1.12", "10.90.2.45", "10.90.3.77", "10.90.1.140", "10.90.2.9", "10.90.3.201", "10.90.1.66", "10.90.2.188"}
	stopAt := map[int]time.Time{}
	for k := range tasks {
		stopAt[k] = onset.Add(-time.Duration(s.rng.Intn(9)) * time.Second) // all drained within 30s of 19:00:03
	}
	active := func(t time.Time) int {
		switch {
		case t.Before(time.Date(2026, 5, 5, 18, 23, 0, 0, time.UTC)):
			return 6
		case t.Before(time.Date(2026, 5, 5, 18, 34, 30, 0, time.UTC)):
			return 7
		}
		return 8
	}
	var first time.Time
	total, e5, t5 := map[time.Time]int{}, map[time.Time]int{}, map[time.Time]int{}
	ua := "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
	s.minutes(func(m time.Time) {
		for i := s.poisson(90); i > 0; i-- {
			t := s.in(m)
			total[m]++
			path := []string{"/", "/products/" + s.hex(6), "/cart", "/search?q=" + s.hex(4), "/static/app." + s.hex(8) + ".js"}[s.rng.Intn(5)]
			k := s.rng.Intn(active(t))
			if t.After(stopAt[k]) && t.After(onset.Add(-10*time.Second)) {
				e5[m]++
				if first.IsZero() || t.Before(first) {
					first = t
				}
				s.albLine(t, "retail-public", "storefront-web-tg", "81.2.69."+fmt.Sprint(s.rng.Intn(250)), "-", -1, -1, -1, "503", "-", path, "GET", ua, "-")
				continue
			}
			code := "200"
			if s.rng.Intn(200) == 0 {
				code = "500"
				t5[m]++
				s.log("/ecs/storefront-web", "storefront-web/web/"+tasks[k]+"a0b1c2d3e4f5", t, fmt.Sprintf(`level=error ts=%s msg="render failed" route=%s err="TypeError: Cannot read properties of undefined (reading 'price')"`, t.Format(time.RFC3339Nano), path))
			} else if s.rng.Intn(40) == 0 {
				code = "404"
			}
			if s.rng.Intn(6) == 0 {
				s.log("/ecs/storefront-web", "storefront-web/web/"+tasks[k]+"a0b1c2d3e4f5", t, fmt.Sprintf(`level=info ts=%s msg="request" method=GET path=%s status=%s dur_ms=%d`, t.Format(time.RFC3339Nano), path, code, 15+s.rng.Intn(140)))
			}
			s.albLine(t, "retail-public", "storefront-web-tg", "81.2.69."+fmt.Sprint(s.rng.Intn(250)), ips[k]+":3000", 0.001, 0.015+s.rng.Float64()*0.15, 0, code, code, path, "GET", ua, "-")
		}
	})
	for k := range tasks {
		st := "storefront-web/web/" + tasks[k] + "a0b1c2d3e4f5"
		t := scale.Add(time.Duration(1+s.rng.Intn(3)) * time.Second)
		s.log("/ecs/storefront-web", st, t, fmt.Sprintf(`level=info ts=%s msg="SIGTERM received, draining connections" inflight=%d`, t.Format(time.RFC3339Nano), s.rng.Intn(6)))
		s.log("/ecs/storefront-web", st, stopAt[k], fmt.Sprintf(`level=info ts=%s msg="server closed"`, stopAt[k].Format(time.RFC3339Nano)))
	}
	// catalog-api (plain Go log) restarted by its deploy
	s.minutes(func(m time.Time) {
		for i := s.poisson(8); i > 0; i-- {
			t := s.in(m)
			msg := fmt.Sprintf("%s GET /v1/items/%s 200 %dms", t.Format("2006/01/02 15:04:05"), s.hex(6), 3+s.rng.Intn(30))
			if s.rng.Intn(50) == 0 {
				msg = fmt.Sprintf("%s pq: canceling statement due to statement timeout", t.Format("2006/01/02 15:04:05"))
			}
			s.log("/ecs/catalog-api", "catalog-api/api/88e1d2c3", t, msg)
		}
		if m.Equal(d2.Truncate(time.Minute).Add(2 * time.Minute)) {
			s.log("/ecs/catalog-api", "catalog-api/api/91f0a1b2", s.in(m), m.Format("2006/01/02 15:04:05")+" catalog-api v2.31.0 listening on :8080")
		}
	})
	lb := []dim{{"LoadBalancer", "app/retail-public/5f3a9c1e7d2b4a60"}}
	tg := []dim{{"TargetGroup", "targetgroup/storefront-web-tg/8d2e4f6a1b3c5d7e"}, {"LoadBalancer", "app/retail-public/5f3a9c1e7d2b4a60"}}
	s.count("AWS/ApplicationELB", "RequestCount", lb, func(m time.Time) float64 { return float64(total[m]) })
	s.count("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, func(m time.Time) float64 { return float64(e5[m]) })
	s.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, func(m time.Time) float64 { return float64(t5[m]) })
	s.series("AWS/ApplicationELB", "HealthyHostCount", "Count", tg, func(m time.Time) []float64 {
		n := float64(active(m))
		if m.After(onset.Add(-time.Minute)) {
			n = 0
		}
		return []float64{n}
	})
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", cluster}, {"ServiceName", svc}}, func(m time.Time) []float64 {
		if m.After(onset) {
			return nil
		}
		return []float64{48 + 15*s.rng.Float64()}
	})
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", cluster}, {"ServiceName", "catalog-api"}}, func(m time.Time) []float64 {
		if m.After(d2) && m.Before(d2.Add(4*time.Minute)) {
			return []float64{70 + 10*s.rng.Float64()}
		}
		return []float64{25 + 10*s.rng.Float64()}
	})
	s.alarm("retail-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", lb, 50, "GreaterThanThreshold", 2, time.Date(2026, 5, 5, 19, 3, 12, 0, time.UTC), "storefront 5xx at the load balancer")
	s.okAlarm("TargetTracking-"+rid+"-AlarmHigh-5b0e", "AWS/ECS", "CPUUtilization", "Average", []dim{{"ClusterName", cluster}, {"ServiceName", svc}}, 55)
	s.truth = map[string]any{"kind": "ecs-scheduled-scaling", "alarm": "retail-public-elb-5xx",
		"root_cause": map[string]any{"event_name": "PutScheduledAction", "event_time": ts(put), "resource": rid},
		"onset":      ts(first.Truncate(time.Second)),
		"decoys":     []map[string]any{{"event_name": "PutScalingPolicy", "event_time": ts(d1)}, {"event_name": "UpdateService", "event_time": ts(d2.Add(3 * time.Second))}},
		"signals":    []string{"503", "nightly-scale-down"}}
	return s
}
