package main

import (
	"fmt"
	"math"
	"time"
)

// fargateSpot: no change in the account. Fargate Spot reclaims four of
// search-api's eight tasks; replacements cannot be placed on Spot for a
// while; the remaining tasks shed load with 503s and latency climbs.
func fargateSpot() {
	onset := ts("2026-07-09T19:32:10Z")
	s := newS("fargate-spot-reclaimed", "us-east-2", "140927365518", 9505, onset)
	s.Title = "search-api 5XX"
	s.Arch = "ECS cluster 'storefront-prod' on Fargate. 'search-api' (Go, logfmt) runs 8 tasks with capacity provider strategy FARGATE base 2 / FARGATE_SPOT weight 3, behind ALB 'storefront-public' target group 'search-api-tg'; it queries OpenSearch. 'cart-api' is deployed by CodePipeline. ECS events are routed by EventBridge to the log group /aws/events/ecs-storefront-prod."
	warn := ts("2026-07-09T19:31:58Z")
	cluster := "arn:aws:ecs:us-east-2:140927365518:cluster/storefront-prod"
	app := "/ecs/search-api"
	evg := "/aws/events/ecs-storefront-prod"
	type task struct {
		id, ip string
		spot   bool
		from   time.Time
		to     time.Time
	}
	var tasks []*task
	for i := 0; i < 8; i++ {
		tasks = append(tasks, &task{id: s.hex(32), ip: fmt.Sprintf("10.30.%d.%d", []int{16, 32, 48}[i%3], 20+s.r.Intn(200)), spot: i >= 2, from: s.Start.Add(-5 * time.Hour), to: s.End.Add(time.Hour)})
	}
	// four spot tasks reclaimed; SIGTERM at the warning, gone ~15 s later (deregistration)
	reclaimed := []int{2, 4, 5, 7}
	for _, i := range reclaimed {
		tasks[i].to = onset.Add(time.Duration(s.r.Intn(8)) * time.Second)
	}
	// one replacement on FARGATE after placement failures, healthy at 19:41; another at 19:44
	tasks = append(tasks, &task{id: s.hex(32), ip: "10.30.32.141", from: ts("2026-07-09T19:41:20Z"), to: s.End.Add(time.Hour)},
		&task{id: s.hex(32), ip: "10.30.16.77", from: ts("2026-07-09T19:44:05Z"), to: s.End.Add(time.Hour)})
	tg := "arn:aws:elasticloadbalancing:us-east-2:140927365518:targetgroup/search-api-tg/6d2c8a1e4f0b9e37"
	type minute struct{ req, c5, e5, lat, healthy, running float64 }
	per := map[int64]*minute{}
	get := func(t time.Time) *minute {
		k := t.Truncate(time.Minute).Unix()
		if per[k] == nil {
			per[k] = &minute{}
		}
		return per[k]
	}
	const perTaskCap = 1.05 // requests/second a task serves before shedding
	s.seconds(func(t time.Time) {
		mn := get(t)
		var live []*task
		for _, tk := range tasks {
			if !t.Before(tk.from) && t.Before(tk.to) {
				live = append(live, tk)
			}
		}
		if t.Second() == 0 {
			mn.healthy = float64(len(live))
		}
		rate := 5.2 + 0.8*math.Sin(float64(t.Unix()%3600)/3600*2*math.Pi)
		load := rate / float64(len(live))
		for i := s.poissonish(rate); i > 0; i-- {
			at := t.Add(time.Duration(s.r.Intn(1000)) * time.Millisecond)
			tk := live[s.r.Intn(len(live))]
			lat := s.jit(0.06, 0.5)
			status := 200
			if load > perTaskCap {
				over := (load - perTaskCap) / load
				lat *= 1 + 8*over
				if s.chance(over * 1.3) {
					status, lat = 503, s.jit(0.002, 0.5)
				}
			}
			if status == 200 && s.chance(0.003) {
				status, lat = 504, 3.0
				s.log(app, "search-api/app/"+tk.id, at.Add(3*time.Second), fmt.Sprintf(`time=%s level=error msg="opensearch query failed" err="context deadline exceeded" index=products-v7 took_ms=3000`, at.Add(3*time.Second).Format(time.RFC3339Nano)))
			}
			mn.req++
			mn.lat += lat
			if status >= 500 {
				mn.c5++
			}
			q := s.pick("sneakers", "rain+jacket", "usb-c+hub", "espresso", "yoga+mat", "desk+lamp", "kids+bike")
			if status == 503 && s.chance(0.5) {
				s.log(app, "search-api/app/"+tk.id, at, fmt.Sprintf(`time=%s level=warn msg="shedding request" inflight=64 limit=64 path=/v1/search`, at.Format(time.RFC3339Nano)))
			} else if s.chance(0.15) {
				s.log(app, "search-api/app/"+tk.id, at.Add(time.Duration(lat*1e9)), fmt.Sprintf(`time=%s level=info msg=request method=GET path=/v1/search status=%d dur=%.1fms hits=%d`, at.Add(time.Duration(lat*1e9)).Format(time.RFC3339Nano), status, lat*1000, s.r.Intn(400)))
			}
			{
				s.albLog("storefront-public", at, fmt.Sprintf("130.176.%d.%d:%d", 30+s.r.Intn(4), 100+s.r.Intn(3), 52000+s.r.Intn(6)), tk.ip+":8080", 0.000, lat, 0.000, status, status, "GET",
					"https://shop.example-store.com:443/api/v1/search?q="+q, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", tg, s.traceID(at), "-", 400+s.r.Intn(20000))
			}
		}
		// in-flight requests on reclaimed tasks are cut
		for _, i := range reclaimed {
			if t.Equal(tasks[i].to.Truncate(time.Second)) {
				for k := 0; k < 3; k++ {
					s.albLog("storefront-public", t.Add(-time.Duration(200+s.r.Intn(600))*time.Millisecond), "73.12.44.9:51234", tasks[i].ip+":8080", 0.0, -1, -1, 502, 0, "GET", "https://shop.example-store.com:443/api/v1/search?q=boots", "Mozilla/5.0", tg, s.traceID(t), "-", 272)
					mn.e5++
				}
			}
		}
		if t.Second()%30 == 0 {
			for _, tk := range live {
				if s.chance(0.15) {
					s.log(app, "search-api/app/"+tk.id, t, fmt.Sprintf(`time=%s level=info msg="index alias refreshed" alias=products index=products-v7 docs=%d`, t.Format(time.RFC3339Nano), 1_204_000+s.r.Intn(900)))
				}
			}
		}
	})
	// SIGTERM handling in the reclaimed tasks
	for _, i := range reclaimed {
		tk := tasks[i]
		at := warn.Add(time.Duration(s.r.Intn(900)) * time.Millisecond)
		s.log(app, "search-api/app/"+tk.id, at, fmt.Sprintf(`time=%s level=info msg="received signal, draining" signal=terminated`, at.Format(time.RFC3339Nano)))
		s.log(app, "search-api/app/"+tk.id, tk.to.Add(-time.Second), fmt.Sprintf(`time=%s level=info msg="http server stopped" inflight=0`, tk.to.Add(-time.Second).Format(time.RFC3339Nano)))
	}
	// EventBridge ECS events
	ev := func(t time.Time, detailType string, detail map[string]any, resources []string) {
		b := ebEvent{"0", s.uuid(), detailType, "aws.ecs", s.Account, t.Format(time.RFC3339), s.Region, resources, detail}
		raw := mustJSON(b)
		s.log(evg, s.hex(32), t.Add(2*time.Second), raw)
	}
	taskArn := func(id string) string { return "arn:aws:ecs:us-east-2:140927365518:task/storefront-prod/" + id }
	for _, i := range reclaimed {
		tk := tasks[i]
		ev(warn.Add(time.Duration(s.r.Intn(1500))*time.Millisecond), "ECS Task State Change", map[string]any{
			"clusterArn": cluster, "taskArn": taskArn(tk.id), "taskDefinitionArn": "arn:aws:ecs:us-east-2:140927365518:task-definition/search-api:88",
			"group": "service:search-api", "launchType": "FARGATE", "capacityProviderName": "FARGATE_SPOT", "availabilityZone": "us-east-2b",
			"lastStatus": "RUNNING", "desiredStatus": "STOPPED", "stopCode": "SpotInterruption", "stoppedReason": "Your Spot Task was interrupted.",
			"stoppingAt": warn.Format("2006-01-02T15:04:05.000Z"), "version": 5, "cpu": "1024", "memory": "2048",
			"containers": []any{map[string]any{"name": "search-api", "lastStatus": "RUNNING", "image": "140927365518.dkr.ecr.us-east-2.amazonaws.com/search-api:2026.07.02-1"}},
		}, []string{taskArn(tk.id)})
		ev(tk.to.Add(20*time.Second), "ECS Task State Change", map[string]any{
			"clusterArn": cluster, "taskArn": taskArn(tk.id), "taskDefinitionArn": "arn:aws:ecs:us-east-2:140927365518:task-definition/search-api:88",
			"group": "service:search-api", "launchType": "FARGATE", "capacityProviderName": "FARGATE_SPOT", "availabilityZone": "us-east-2b",
			"lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "SpotInterruption", "stoppedReason": "Your Spot Task was interrupted.",
			"stoppedAt": tk.to.Add(20 * time.Second).Format("2006-01-02T15:04:05.000Z"), "version": 7, "cpu": "1024", "memory": "2048",
			"containers": []any{map[string]any{"name": "search-api", "lastStatus": "STOPPED", "exitCode": 0}},
		}, []string{taskArn(tk.id)})
	}
	for _, t := range []time.Time{ts("2026-07-09T19:33:40Z"), ts("2026-07-09T19:35:12Z"), ts("2026-07-09T19:37:30Z")} {
		ev(t, "ECS Service Action", map[string]any{"eventType": "WARN", "eventName": "SERVICE_TASK_PLACEMENT_FAILURE", "clusterArn": cluster,
			"capacityProviderArns": []string{"arn:aws:ecs:us-east-2:140927365518:capacity-provider/FARGATE_SPOT"}, "reason": "RESOURCE:FARGATE", "desiredCount": 8, "createdAt": t.Format("2006-01-02T15:04:05.000Z")},
			[]string{"arn:aws:ecs:us-east-2:140927365518:service/storefront-prod/search-api"})
		s.log(evg, s.hex(32), t.Add(3*time.Second), mustJSON(ebEvent{"0", s.uuid(), "ECS Deployment State Change", "aws.ecs", s.Account, t.Format(time.RFC3339), s.Region,
			[]string{"arn:aws:ecs:us-east-2:140927365518:service/storefront-prod/search-api"},
			map[string]any{"eventType": "INFO", "eventName": "SERVICE_STEADY_STATE_LOST", "reason": "(service search-api) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone."}}))
	}
	// the decoy deploy's task churn, and routine task events of other services
	deploy := ts("2026-07-09T19:27:40Z")
	for k := 0; k < 4; k++ {
		t := deploy.Add(time.Duration(40+k*35) * time.Second)
		id := s.hex(32)
		ev(t, "ECS Task State Change", map[string]any{"clusterArn": cluster, "taskArn": taskArn(id), "taskDefinitionArn": "arn:aws:ecs:us-east-2:140927365518:task-definition/cart-api:214", "group": "service:cart-api", "launchType": "FARGATE", "capacityProviderName": "FARGATE", "lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 3}, []string{taskArn(id)})
		old := s.hex(32)
		ev(t.Add(30*time.Second), "ECS Task State Change", map[string]any{"clusterArn": cluster, "taskArn": taskArn(old), "taskDefinitionArn": "arn:aws:ecs:us-east-2:140927365518:task-definition/cart-api:213", "group": "service:cart-api", "launchType": "FARGATE", "capacityProviderName": "FARGATE", "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated", "stoppedReason": "Scaling activity initiated by (deployment ecs-svc/" + s.hex(19) + ")", "version": 6}, []string{taskArn(old)})
	}
	// a pre-existing spot interruption of a batch task an hour earlier (not user-facing)
	early := onset.Add(-47 * time.Minute)
	bid := s.hex(32)
	ev(early, "ECS Task State Change", map[string]any{"clusterArn": cluster, "taskArn": taskArn(bid), "taskDefinitionArn": "arn:aws:ecs:us-east-2:140927365518:task-definition/feed-exporter:41", "group": "family:feed-exporter", "launchType": "FARGATE", "capacityProviderName": "FARGATE_SPOT", "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "SpotInterruption", "stoppedReason": "Your Spot Task was interrupted.", "version": 6}, []string{taskArn(bid)})

	at := func(t time.Time) *minute {
		if m := per[t.Unix()]; m != nil {
			return m
		}
		return &minute{}
	}
	lb := dims("LoadBalancer", "app/storefront-public/"+s.albID["storefront-public"], "TargetGroup", "targetgroup/search-api-tg/6d2c8a1e4f0b9e37")
	s.albCount("RequestCount", lb, func(t time.Time) float64 { return at(t).req })
	s.albCount("HTTPCode_Target_5XX_Count", lb, func(t time.Time) float64 { return at(t).c5 })
	s.albCount("HTTPCode_ELB_5XX_Count", lb, func(t time.Time) float64 { return at(t).e5 + math.Round(s.jit(0.5, 1)) })
	s.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", "gauge", lb, func(t time.Time) float64 { return at(t).lat / (at(t).req + 0.001) })
	s.metric("AWS/ApplicationELB", "HealthyHostCount", "Count", "gauge", lb, func(t time.Time) float64 { return at(t).healthy })
	ed := dims("ClusterName", "storefront-prod", "ServiceName", "search-api")
	s.metric("ECS/ContainerInsights", "RunningTaskCount", "Count", "gauge", ed, func(t time.Time) float64 { return at(t).healthy })
	s.metric("ECS/ContainerInsights", "DesiredTaskCount", "Count", "gauge", ed, func(t time.Time) float64 {
		if !t.Before(ts("2026-07-09T19:38:00Z")) {
			return 12
		}
		return 8
	})
	s.metric("AWS/ECS", "CPUUtilization", "Percent", "gauge", ed, func(t time.Time) float64 {
		return math.Min(100, at(t).req/60/(at(t).healthy+0.01)*13+s.jit(3, 1))
	})
	cd := dims("ClusterName", "storefront-prod", "ServiceName", "cart-api")
	s.metric("AWS/ECS", "CPUUtilization", "Percent", "gauge", cd, func(t time.Time) float64 {
		v := s.jit(22, 0.15)
		if t.After(deploy) && t.Before(deploy.Add(5*time.Minute)) {
			v += 25 // JIT warm-up of the new revision
		}
		return v
	})
	fire, reason := fireAt(s, func(t time.Time) float64 { return at(t).c5 }, 12, 3, onset)
	s.alarm("search-api-5xx", "search-api target 5XX above 12/min for 3 minutes", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 60, 3, 12, "GreaterThanThreshold", time.Time{}, fire, reason, "notBreaching")
	s.okAlarm("cart-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", dims("LoadBalancer", "app/storefront-public/"+s.albID["storefront-public"], "TargetGroup", "targetgroup/cart-api-tg/1a7f3c9e5b2d4068"), 30, "GreaterThanThreshold")

	pipeline := s.role("codepipeline-ecs-deploy", "1720553251023", "codepipeline.amazonaws.com", "codepipeline.amazonaws.com", false)
	pipeline.invoked = "codepipeline.amazonaws.com"
	pipeline.identity["invokedBy"] = "codepipeline.amazonaws.com"
	aas := s.role("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling", "ecs.application-autoscaling.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", false)
	aas.invoked = "ecs.application-autoscaling.amazonaws.com"
	aas.identity["invokedBy"] = "ecs.application-autoscaling.amazonaws.com"
	s.baseNoise(560, "search-api", []noiseOp{
		{p: aas, source: "ecs.amazonaws.com", name: "DescribeServices", ro: true, weight: 14, req: func() any {
			return map[string]any{"cluster": "storefront-prod", "services": []string{s.pick("search-api", "cart-api", "checkout-api")}}
		}},
		{p: aas, source: "monitoring.amazonaws.com", name: "DescribeAlarms", ro: true, weight: 6},
		{p: s.service("ecs.amazonaws.com"), source: "ec2.amazonaws.com", name: "CreateNetworkInterface", ro: false, weight: 1},
		{p: s.service("ecs.amazonaws.com"), source: "ec2.amazonaws.com", name: "DeleteNetworkInterface", ro: false, weight: 1},
		{p: s.service("ecs.amazonaws.com"), source: "elasticloadbalancing.amazonaws.com", name: "DescribeTargetHealth", ro: true, weight: 3},
	})
	d0 := ts("2026-07-09T19:27:22Z")
	s.trail(d0, pipeline, "ecs.amazonaws.com", "RegisterTaskDefinition", map[string]any{"family": "cart-api", "cpu": "512", "memory": "1024", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"},
		"containerDefinitions": []any{map[string]any{"name": "cart-api", "image": "140927365518.dkr.ecr.us-east-2.amazonaws.com/cart-api:2026.07.09-4", "essential": true}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:us-east-2:140927365518:task-definition/cart-api:214", "revision": 214, "status": "ACTIVE"}}, false)
	s.trail(deploy, pipeline, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "storefront-prod", "service": "cart-api", "taskDefinition": "cart-api:214", "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceName": "cart-api", "status": "ACTIVE", "desiredCount": 4, "taskDefinition": "arn:aws:ecs:us-east-2:140927365518:task-definition/cart-api:214"}}, false)
	d2 := ts("2026-07-09T19:37:05Z")
	s.trail(d2, aas, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "storefront-prod", "service": "search-api", "desiredCount": 12},
		map[string]any{"service": map[string]any{"serviceName": "search-api", "status": "ACTIVE", "desiredCount": 12, "runningCount": 4, "pendingCount": 0}}, false)
	s.truth = map[string]any{"name": s.Name, "kind": "capacity-reclaimed", "alarm": "search-api-5xx", "no_change": true,
		"onset":   onset.Format(time.RFC3339),
		"decoys":  []any{decoy("RegisterTaskDefinition", d0), decoy("UpdateService", deploy), decoy("UpdateService", d2)},
		"signals": []string{"Your Spot Task was interrupted", "search-api"}}
	s.write()
}

// ebEvent keeps EventBridge's field order.
type ebEvent struct {
	Version    string         `json:"version"`
	ID         string         `json:"id"`
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Account    string         `json:"account"`
	Time       string         `json:"time"`
	Region     string         `json:"region"`
	Resources  []string       `json:"resources"`
	Detail     map[string]any `json:"detail"`
}

func mustJSON(v any) string {
	raw, err := jsonMarshalNoEscape(v)
	must(err)
	return raw
}
