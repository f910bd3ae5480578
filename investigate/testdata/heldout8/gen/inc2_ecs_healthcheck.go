package main

import (
	"fmt"
	"time"
)

// ecsHealthcheck: CI registers billing-api:88 whose container health check
// curls /health (the app serves /healthz) and rolls it out. With
// minimumHealthyPercent 50 ECS stops two of four tasks at once; the new
// tasks serve for a minute, fail their container health check, are
// stopped and replaced, in a loop. The two old tasks carry all traffic and
// shed load (503), stopping tasks cut requests (502). The app's own log
// shows nothing about it except a few "GET /health 404" lines from curl.
// Decoys: a PutScalingPolicy on billing-api 29 min earlier, ledger-worker's
// deploy in the same cluster 3 min later.
func ecsHealthcheck(s *snap) {
	s.region, s.account = "us-west-2", "730514862297"
	s.start = time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	s.end = s.start.Add(2 * time.Hour)
	s.albID = "app/prod-core-alb/5f2c9e1b7a3d4e60"
	s.title = "billing API 5xx"
	s.arch = "ALB prod-core-alb -> ECS service billing-api (Fargate, 4 tasks, Go, port 8080) in cluster prod-core; ledger-worker (SQS consumer) runs in the same cluster. ECS task state changes go to CloudWatch Logs through an EventBridge rule. Deploys by GitHub Actions (register task definition, update service)."

	cluster := "prod-core"
	clusterArn := fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", s.region, s.account, cluster)
	svcArn := func(n string) string {
		return fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s/%s", s.region, s.account, cluster, n)
	}
	tdArn := func(f string, r int) string {
		return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", s.region, s.account, f, r)
	}
	ci := s.role("gha-ecs-deploy", "GitHubActions", "52.160.81.22", "aws-sdk-js/3.693.0 ua/2.1 os/linux#6.8.0-1017-azure lang/js md/nodejs#20.18.0 api/ecs#3.693.0 m/E,N")
	sre := s.sso("SRE-Admin", "tomasz.kowalczyk@ledgerly.com", "73.93.141.12")
	reader := s.sso("Developer", "amara.nwosu@ledgerly.com", "73.93.141.40")
	s.noise(noiseCfg{ci: ci, humans: []principal{sre, reader}, taskRoles: []string{"billing-api-task", "ledger-worker-task", "ecsTaskExecutionRole"},
		ecrRepos: []string{"billing-api", "ledger-worker", "statements-renderer"}, logGroups: []string{"/ecs/billing-api", "/ecs/ledger-worker"},
		secretReads: []string{"prod/billing/stripe-key", "prod/ledger/db"}, monitoring: true, eventsPerMin: 9})

	scaleAt := time.Date(2026, 11, 19, 9, 38, 5, 0, time.UTC)
	regAt := time.Date(2026, 11, 19, 10, 7, 12, 0, time.UTC)
	rootAt := regAt.Add(8 * time.Second)
	ledgerAt := rootAt.Add(3*time.Minute + 4*time.Second)

	s.event(scaleAt, sre, "autoscaling.amazonaws.com", "PutScalingPolicy", false,
		map[string]any{"policyName": "billing-api-cpu-target", "serviceNamespace": "ecs", "resourceId": "service/prod-core/billing-api", "scalableDimension": "ecs:service:DesiredCount", "policyType": "TargetTrackingScaling",
			"targetTrackingScalingPolicyConfiguration": map[string]any{"targetValue": 55.0, "predefinedMetricSpecification": map[string]any{"predefinedMetricType": "ECSServiceAverageCPUUtilization"}, "scaleOutCooldown": 60, "scaleInCooldown": 300}},
		map[string]any{"policyARN": fmt.Sprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:resource/ecs/service/prod-core/billing-api:policyName/billing-api-cpu-target", s.region, s.account, s.uuid())})
	s.ct[len(s.ct)-1]["eventSource"] = "application-autoscaling.amazonaws.com"

	container := func(name, image string, hc []string, port int) map[string]any {
		c := map[string]any{"name": name, "image": image, "cpu": 0, "essential": true, "portMappings": []any{map[string]any{"containerPort": port, "hostPort": port, "protocol": "tcp"}},
			"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{"awslogs-group": "/ecs/" + name, "awslogs-region": s.region, "awslogs-stream-prefix": name}},
			"environment":      []any{map[string]any{"name": "APP_ENV", "value": "production"}}}
		if hc != nil {
			c["healthCheck"] = map[string]any{"command": hc, "interval": 15, "timeout": 5, "retries": 3, "startPeriod": 30}
		}
		return c
	}
	register := func(at time.Time, fam, image string, rev int, hc []string) {
		req := map[string]any{"family": fam, "taskRoleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s-task", s.account, fam), "executionRoleArn": fmt.Sprintf("arn:aws:iam::%s:role/ecsTaskExecutionRole", s.account),
			"networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"}, "cpu": "1024", "memory": "2048",
			"containerDefinitions": []any{container(fam, image, hc, 8080)}}
		resp := map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": tdArn(fam, rev), "family": fam, "revision": rev, "status": "ACTIVE", "containerDefinitions": req["containerDefinitions"], "registeredAt": isoMs(at)}}
		s.event(at, ci, "ecs.amazonaws.com", "RegisterTaskDefinition", false, req, resp)
	}
	update := func(at time.Time, p principal, svc string, td string, extra map[string]any) {
		req := map[string]any{"cluster": cluster, "service": svc, "forceNewDeployment": false}
		if td != "" {
			req["taskDefinition"] = td
		}
		for k, v := range extra {
			req[k] = v
		}
		resp := map[string]any{"service": map[string]any{"serviceArn": svcArn(svc), "serviceName": svc, "clusterArn": clusterArn, "status": "ACTIVE", "desiredCount": 4, "taskDefinition": td,
			"deploymentConfiguration": map[string]any{"deploymentCircuitBreaker": map[string]any{"enable": false, "rollback": false}, "maximumPercent": 100, "minimumHealthyPercent": 50},
			"deployments":             []any{map[string]any{"id": "ecs-svc/" + fmt.Sprint(1000000000000000000+s.rng.Int63n(8000000000000000000)), "status": "PRIMARY", "taskDefinition": td, "desiredCount": 4, "rolloutState": "IN_PROGRESS", "rolloutStateReason": "ECS deployment ecs-svc/" + s.hex(19) + " in progress."}}}}
		s.event(at, p, "ecs.amazonaws.com", "UpdateService", false, req, resp)
	}
	// An earlier, healthy deploy of statements-renderer and its image push.
	register(s.start.Add(22*time.Minute), "statements-renderer", s.account+".dkr.ecr.us-west-2.amazonaws.com/statements-renderer:git-5e0a9c1", 213, []string{"CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"})
	update(s.start.Add(22*time.Minute+9*time.Second), ci, "statements-renderer", tdArn("statements-renderer", 213), nil)
	// The cause.
	register(regAt, "billing-api", s.account+".dkr.ecr.us-west-2.amazonaws.com/billing-api:git-b71d2e4", 88, []string{"CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"})
	update(rootAt, ci, "billing-api", tdArn("billing-api", 88), nil)
	// Decoy: ledger-worker's deploy three minutes later (healthy).
	register(ledgerAt.Add(-7*time.Second), "ledger-worker", s.account+".dkr.ecr.us-west-2.amazonaws.com/ledger-worker:git-0c93fa1", 141, []string{"CMD-SHELL", "test -f /tmp/ready || exit 1"})
	update(ledgerAt, ci, "ledger-worker", tdArn("ledger-worker", 141), nil)
	// Application Auto Scaling adjusts ledger-worker through UpdateService.
	aas := s.svcRole("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling-UpdateService", "ecs.application-autoscaling.amazonaws.com")
	for _, m := range []int{14, 47, 83, 101} {
		update(s.start.Add(time.Duration(m)*time.Minute+17*time.Second), aas, "ledger-worker", "", map[string]any{"desiredCount": 3 + m%3})
	}
	s.responders(sre, rootAt.Add(9*time.Minute))

	// The rollout: generations of two new tasks serving ~50 s each.
	t1 := rootAt.Add(15 * time.Second) // two old tasks told to stop
	type task struct {
		id, ip          string
		serveFrom, stop time.Time
		rev             int
	}
	var tasks []task
	oldIPs := []string{"10.30.11.24", "10.30.12.91", "10.30.13.57", "10.30.11.140"}
	for i, ip := range oldIPs {
		st := s.end.Add(time.Hour)
		if i >= 2 {
			st = t1
		}
		tasks = append(tasks, task{s.hex(32), ip, s.start.Add(-baseline - time.Hour), st, 87})
	}
	for g := 0; ; g++ {
		base := t1.Add(time.Duration(g) * 112 * time.Second)
		if base.After(s.end) {
			break
		}
		for k := 0; k < 2; k++ {
			from := base.Add(time.Duration(48+s.rng.Intn(12)) * time.Second)
			tasks = append(tasks, task{s.hex(32), fmt.Sprintf("10.30.%d.%d", 11+s.rng.Intn(3), 20+s.rng.Intn(200)), from, from.Add(time.Duration(50+s.rng.Intn(6)) * time.Second), 88})
		}
	}
	evGroup := "/aws/events/ecs/prod-core"
	ecsEvent := func(at time.Time, detailType string, detail map[string]any, resources []string) {
		s.log(evGroup, "ecs-events-to-logs-"+s.hex(8), at, mustJSON(map[string]any{"version": "0", "id": s.uuid(), "detail-type": detailType, "source": "aws.ecs", "account": s.account, "time": iso(at), "region": s.region, "resources": resources, "detail": detail}))
	}
	ecsEvent(rootAt.Add(2*time.Second), "ECS Deployment State Change", map[string]any{"eventType": "INFO", "eventName": "SERVICE_DEPLOYMENT_IN_PROGRESS", "deploymentId": "ecs-svc/4310028765312290817", "updatedAt": isoMs(rootAt.Add(2 * time.Second)), "reason": "ECS deployment ecs-svc/4310028765312290817 in progress."}, []string{svcArn("billing-api")})
	ecsEvent(ledgerAt.Add(2*time.Second), "ECS Deployment State Change", map[string]any{"eventType": "INFO", "eventName": "SERVICE_DEPLOYMENT_IN_PROGRESS", "deploymentId": "ecs-svc/8812093317625409982", "updatedAt": isoMs(ledgerAt.Add(2 * time.Second)), "reason": "ECS deployment ecs-svc/8812093317625409982 in progress."}, []string{svcArn("ledger-worker")})
	ecsEvent(ledgerAt.Add(3*time.Minute+11*time.Second), "ECS Deployment State Change", map[string]any{"eventType": "INFO", "eventName": "SERVICE_DEPLOYMENT_COMPLETED", "deploymentId": "ecs-svc/8812093317625409982", "updatedAt": isoMs(ledgerAt.Add(3*time.Minute + 11*time.Second)), "reason": "ECS deployment ecs-svc/8812093317625409982 completed."}, []string{svcArn("ledger-worker")})
	stopped := func(tk task, at time.Time, reason, code string, health string, svc string, exit any) {
		tArn := fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/%s", s.region, s.account, cluster, tk.id)
		ecsEvent(at, "ECS Task State Change", map[string]any{"clusterArn": clusterArn, "taskArn": tArn, "taskDefinitionArn": tdArn(svc, tk.rev), "group": "service:" + svc, "launchType": "FARGATE",
			"lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stoppedReason": reason, "stopCode": code, "healthStatus": health, "stoppedAt": isoMs(at), "connectivity": "CONNECTED", "cpu": "1024", "memory": "2048",
			"containers": []any{map[string]any{"name": svc, "lastStatus": "STOPPED", "healthStatus": health, "exitCode": exit, "taskArn": tArn, "networkInterfaces": []any{map[string]any{"privateIpv4Address": tk.ip}}}}, "version": 6}, []string{tArn})
	}
	for _, tk := range tasks {
		if tk.rev == 87 && tk.stop.Before(s.end) {
			stopped(tk, tk.stop.Add(31*time.Second), "Scaling activity initiated by (deployment ecs-svc/4310028765312290817)", "ServiceSchedulerInitiated", "HEALTHY", "billing-api", 0)
		}
		if tk.rev == 88 {
			stopped(tk, tk.stop.Add(30*time.Second), "Task failed container health checks", "ServiceSchedulerInitiated", "UNHEALTHY", "billing-api", 143)
		}
	}
	// Pre-existing: ledger-worker is OOM-killed now and then.
	for _, m := range []int{11, 46, 79, 112} {
		stopped(task{id: s.hex(32), ip: "10.30.14.77", rev: 140}, s.start.Add(time.Duration(m)*time.Minute+23*time.Second), "Essential container in task exited", "EssentialContainerExited", "UNKNOWN", "ledger-worker", 137)
	}

	app := "/ecs/billing-api"
	tgArn := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/billing-api-tg/8a1b2c3d4e5f6071", s.region, s.account)
	cert := fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "3c8e1f20-7a4b-4d9e-b1c2-5f6a7b8c9d0e")
	reqs, t5, e5, e5tg, rt, healthy, unhealthy, cpu := series{}, series{}, series{}, series{}, series{}, series{}, series{}, series{}
	var onset time.Time
	zap := func(tk task, at time.Time, level, msg string, kv map[string]any) {
		m := map[string]any{"level": level, "ts": float64(at.UnixMicro()) / 1e6, "caller": "httpx/middleware.go:88", "msg": msg}
		for k, v := range kv {
			m[k] = v
		}
		s.log(app, "billing-api/billing-api/"+tk.id, at, mustJSON(m))
	}
	paths := []string{"/v1/invoices/inv_%s", "/v1/customers/cus_%s/balance", "/v1/invoices?status=open&page=%s", "/v1/payments/pi_%s", "/v1/statements/%s"}
	s.sim(time.Second, func(t time.Time) {
		var serving []task
		for _, tk := range tasks {
			if !t.Before(tk.serveFrom) && t.Before(tk.stop) {
				serving = append(serving, tk)
			}
		}
		overloaded := len(serving) <= 2
		h := float64(len(serving))
		u := 0.0
		if overloaded && s.rng.Intn(7) == 0 {
			u, h = 1, h-1
		}
		healthy.add(t, h)
		unhealthy.add(t, u)
		for _, tk := range serving {
			c := 31 + s.rng.Float64()*6
			if overloaded {
				c = 88 + s.rng.Float64()*10
			}
			cpu.add(t, c)
			if t.Second()%10 == 0 {
				zap(tk, t, "debug", "request", map[string]any{"method": "GET", "path": "/healthz", "status": 200, "duration_ms": 0.4, "user_agent": "ELB-HealthChecker/2.0", "remote": "10.30.0." + fmt.Sprint(10+t.Minute()%3)})
			}
			if tk.rev == 88 && t.Second()%15 == 7 && t.After(tk.serveFrom.Add(-15*time.Second)) {
				zap(tk, t, "info", "request", map[string]any{"method": "GET", "path": "/health", "status": 404, "duration_ms": 0.2, "user_agent": "curl/8.5.0", "remote": "127.0.0.1"})
			}
		}
		for i := s.poisson(1.6); i > 0; i-- {
			at := s.jitter(t, time.Second)
			tk := serving[s.rng.Intn(len(serving))]
			p := fmt.Sprintf(paths[s.rng.Intn(len(paths))], s.hex(14))
			method := "GET"
			if s.rng.Intn(5) == 0 {
				method = "POST"
			}
			ms := s.lognormal(38, 0.5)
			elb, tst := 200, 200
			if overloaded {
				ms *= 3.2
			}
			switch {
			case tk.rev == 88 && tk.stop.Sub(at) < time.Duration(ms*float64(time.Millisecond))+800*time.Millisecond:
				elb, tst, ms = 502, 0, -1 // the container is stopped with the request in flight
			case overloaded && s.rng.Intn(6) == 0:
				elb, tst, ms = 503, 503, 0.4
			case s.rng.Intn(250) == 0:
				elb, tst = 500, 500 // pre-existing: a rare handler bug
			}
			if (elb == 502 || elb == 503) && !at.Before(rootAt) && onset.IsZero() {
				onset = at
			}
			reqs.inc(at)
			if tst >= 500 {
				t5.inc(at)
			}
			if elb == 502 {
				e5.inc(at)
				e5tg.inc(at)
			}
			if ms >= 0 {
				rt.add(at, ms/1000)
			}
			target := tk.ip + ":8080"
			s.albLog(albReq{at: at, client: s.clientIP(), target: target, method: method, host: "api.ledgerly.com", path: p, ua: s.pick("ledgerly-node/4.2.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "okhttp/4.12.0"),
				tgArn: tgArn, certArn: cert, targetTime: ms / 1000, elbStatus: elb, targetStatus: tst, recv: 300 + s.rng.Intn(600), sent: 200 + s.rng.Intn(4000), rulePriority: "10"})
			rid := s.hex(16)
			switch {
			case tst == 503:
				zap(tk, at, "warn", "shedding load", map[string]any{"inflight": 64, "limit": 64, "path": p, "request_id": rid})
			case tst == 500:
				zap(tk, at, "error", "handler panic recovered", map[string]any{"error": "runtime error: invalid memory address or nil pointer dereference", "path": p, "request_id": rid, "stacktrace": "github.com/ledgerly/billing-api/internal/invoices.(*Handler).Get\n\t/src/internal/invoices/handler.go:117"})
			case ms >= 0 && s.rng.Intn(3) == 0:
				zap(tk, at, "info", "request", map[string]any{"method": method, "path": p, "status": tst, "duration_ms": round3(ms), "request_id": rid, "remote": "10.30.0." + fmt.Sprint(10+s.rng.Intn(3))})
			}
		}
	})

	lb := [][2]string{{"LoadBalancer", s.albID}}
	tg := [][2]string{{"TargetGroup", "targetgroup/billing-api-tg/8a1b2c3d4e5f6071"}, {"LoadBalancer", s.albID}}
	gaugeOf := func(m series) func(t time.Time) (dp, bool) {
		return func(t time.Time) (dp, bool) {
			d, ok := m.statDP(t)
			d.p99 = 0
			return d, ok
		}
	}
	s.metric("AWS/ApplicationELB", "RequestCount", tg, "Count", reqs.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, "Count", t5.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", e5.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", lb, "Count", e5.countDP)
	s.metric("AWS/ApplicationELB", "TargetResponseTime", tg, "Seconds", rt.statDP)
	s.metric("AWS/ApplicationELB", "HealthyHostCount", tg, "Count", gaugeOf(healthy))
	s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Count", gaugeOf(unhealthy))
	s.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", cluster}, {"ServiceName", "billing-api"}}, "Percent", gaugeOf(cpu))
	s.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", cluster}, {"ServiceName", "ledger-worker"}}, "Percent", func(t time.Time) (dp, bool) {
		v := 40 + 15*s.rng.Float64()
		if t.After(ledgerAt) && t.Before(ledgerAt.Add(4*time.Minute)) {
			v += 25 // the new ledger-worker tasks warm their caches
		}
		return gauge(60, v, v-8, v+9), true
	})
	s.metric("AWS/ECS", "MemoryUtilization", [][2]string{{"ClusterName", cluster}, {"ServiceName", "billing-api"}}, "Percent", func(t time.Time) (dp, bool) { v := 46 + 3*s.rng.Float64(); return gauge(60, v, v-2, v+2), true })

	fired, recent := firstBreach(t5.sum, s.start, s.end, 3, 2, 5, false, 52*time.Second)
	s.alarm(alarmSpec{name: "billing-api-target-5xx", desc: "billing-api 5xx > 5/min in 2 of 3 minutes", ns: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", stat: "Sum", op: "GreaterThanThreshold",
		dims: tg, period: 60, evals: 3, toAlarm: 2, threshold: 5, firedAt: fired, recent: recent, actions: []string{"arn:aws:sns:us-west-2:730514862297:pagerduty-billing"}})
	s.okAlarm("ledger-worker-queue-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", "GreaterThanThreshold", [][2]string{{"QueueName", "ledger-events"}}, 600)
	s.okAlarm("billing-api-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", "Minimum", "GreaterThanOrEqualToThreshold", tg, 2)

	s.truth = map[string]any{"name": s.name, "kind": "deploy", "alarm": "billing-api-target-5xx",
		"root_cause": map[string]any{"event_name": "UpdateService", "event_time": iso(rootAt), "resource": "billing-api"},
		"onset":      iso(onset.Truncate(time.Minute)),
		"decoys": []map[string]any{
			{"event_name": "PutScalingPolicy", "event_time": iso(scaleAt)},
			{"event_name": "UpdateService", "event_time": iso(ledgerAt)},
			{"event_name": "RegisterTaskDefinition", "event_time": iso(ledgerAt.Add(-7 * time.Second))},
		},
		"signals": []string{"Task failed container health checks", "billing-api"}}
}
