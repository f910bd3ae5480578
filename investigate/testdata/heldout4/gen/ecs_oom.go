package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// ecsMemoryOOM: a CI deploy registers checkout-api revision 58 with the
// container's hard memory limit halved (1536 -> 768 MiB) while the JVM keeps
// -Xmx1g; under load the containers are OOM-killed (exit 137) and the ALB
// answers 502 for requests in flight.
func ecsMemoryOOM(root string) {
	start, end := T("2026-10-13T13:00:00Z"), T("2026-10-13T14:30:00Z")
	s := NewSnap(root, "ecs-task-memory-oom", "us-east-1", "418273645091", 401, start, end)
	s.Title = "checkout-5xx-rate in ALARM (shop-public ALB, checkout-api)"
	s.Arch = "Public ALB shop-public fronts two ECS services on EC2 capacity in cluster shop-prod: checkout-api (Spring Boot, Java 21) and catalog-api. " +
		"checkout-api calls payments-gateway (external) and the Aurora cluster shop-db. Deploys run from GitHub Actions through the role github-actions-deploy. " +
		"ECS task state changes are forwarded by EventBridge to the log group /aws/events/ecs-task-state. Service auto scaling tracks CPU on checkout-api."
	lbID := "app/shop-public/5f1c2a9e0d3b7c41"
	tgCheckout := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/checkout-api-tg/9a3e61f0b2c4d587", s.Region, s.Acct)
	tgCatalog := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/catalog-api-tg/1d7b4c0e9f2a6e33", s.Region, s.Acct)
	cluster := fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/shop-prod", s.Region, s.Acct)

	deployCatalog := T("2026-10-13T13:38:40Z")
	registerCheckout := T("2026-10-13T13:41:05Z")
	cause := T("2026-10-13T13:41:32Z")
	alarmEdit := T("2026-10-13T13:44:50Z")
	onset := T("2026-10-13T13:46:21Z")
	scaleOut := T("2026-10-13T13:55:10Z")

	// ---- CloudTrail
	s.CTStart = start.Add(-20 * time.Minute)
	s.RoutineCT(Routine{PerMin: 3.2, KeyID: "0b6f2c8e-41d7-4a39-9e0c-7f5a2d1b8c64",
		Monitor: s.RoleActor("grafana-cloudwatch-reader", "grafana", "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)", "34.201.17.88"),
		Workloads: []Workload{
			{Role: "checkout-api-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/shop/checkout/payments-url", "/shop/checkout/feature-flags"}, Secret: "prod/shop-db/checkout"},
			{Role: "catalog-api-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/shop/catalog/search-endpoint"}, Secret: "prod/shop-db/catalog"},
			{Role: "email-digest-lambda", Principal: "lambda.amazonaws.com", Params: []string{"/shop/email/sender"}, LogGroup: "/aws/lambda/email-digest"},
		}})
	ecsAgent := s.RoleActor("ecsInstanceRole", "i-0"+s.hex(16), "Go-http-client/1.1 ecs-agent/1.88.0 (+https://github.com/aws/amazon-ecs-agent)", "10.40.12.77")
	s.Every(s.CTStart, end, 1.2, func(t time.Time) {
		s.CT(t, ecsAgent, "ecs.amazonaws.com", "DiscoverPollEndpoint", map[string]any{"containerInstance": cluster + "/" + s.hex(32), "cluster": "shop-prod"}, nil, ReadOnly)
	})
	ciActor := s.RoleActor("github-actions-deploy", "GitHubActions", "aws-cli/2.22.10 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1017-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#ecs.update-service", "172.183.71.9")
	webID := func(t time.Time, repo string) {
		s.CT(t, Actor{Ident: map[string]any{"type": "WebIdentityUser", "principalId": "arn:aws:iam::" + s.Acct + ":oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme-shop/" + repo + ":ref:refs/heads/main",
			"userName": "repo:acme-shop/" + repo + ":ref:refs/heads/main", "identityProvider": "arn:aws:iam::" + s.Acct + ":oidc-provider/token.actions.githubusercontent.com"},
			UA: "aws-sdk-nodejs/2.1692.0 linux/v20.18.0 configure-aws-credentials-for-github-actions promise", IP: "172.183.71.9"},
			"sts.amazonaws.com", "AssumeRoleWithWebIdentity",
			map[string]any{"roleArn": "arn:aws:iam::" + s.Acct + ":role/github-actions-deploy", "roleSessionName": "GitHubActions", "durationSeconds": 3600},
			map[string]any{"subjectFromWebIdentityToken": "repo:acme-shop/" + repo + ":ref:refs/heads/main", "audience": "sts.amazonaws.com",
				"provider": "arn:aws:iam::" + s.Acct + ":oidc-provider/token.actions.githubusercontent.com"}, ReadOnly)
	}
	taskDef := func(fam string, rev int, mem int, image string, env []map[string]string) (map[string]any, map[string]any) {
		cdef := map[string]any{"name": fam, "image": image, "cpu": 512, "memory": mem, "memoryReservation": mem / 2, "essential": true,
			"portMappings":     []any{map[string]any{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}},
			"environment":      env,
			"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]string{"awslogs-group": "/ecs/" + fam, "awslogs-region": s.Region, "awslogs-stream-prefix": fam}}}
		req := map[string]any{"family": fam, "taskRoleArn": "arn:aws:iam::" + s.Acct + ":role/" + fam + "-task", "executionRoleArn": "arn:aws:iam::" + s.Acct + ":role/ecsTaskExecutionRole",
			"networkMode": "bridge", "containerDefinitions": []any{cdef}, "requiresCompatibilities": []string{"EC2"}}
		resp := map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", s.Region, s.Acct, fam, rev),
			"containerDefinitions": []any{cdef}, "family": fam, "revision": rev, "status": "ACTIVE", "compatibilities": []string{"EXTERNAL", "EC2"},
			"requiresCompatibilities": []string{"EC2"}, "registeredAt": "", "registeredBy": "arn:aws:sts::" + s.Acct + ":assumed-role/github-actions-deploy/GitHubActions"}}
		return req, resp
	}
	updateService := func(t time.Time, a Actor, svc string, req map[string]any, desired int, td string) {
		req["cluster"], req["service"] = "shop-prod", svc
		s.CT(t, a, "ecs.amazonaws.com", "UpdateService", req, map[string]any{"service": map[string]any{
			"serviceArn": fmt.Sprintf("arn:aws:ecs:%s:%s:service/shop-prod/%s", s.Region, s.Acct, svc), "serviceName": svc, "clusterArn": cluster,
			"status": "ACTIVE", "desiredCount": desired, "runningCount": 4, "pendingCount": 0, "launchType": "EC2", "taskDefinition": td,
			"deploymentConfiguration": map[string]any{"deploymentCircuitBreaker": map[string]any{"enable": false, "rollback": false}, "maximumPercent": 200, "minimumHealthyPercent": 100},
			"deployments":             []any{map[string]any{"id": "ecs-svc/" + fmt.Sprint(s.R.Int63()), "status": "PRIMARY", "taskDefinition": td, "desiredCount": desired, "rolloutState": "IN_PROGRESS"}},
		}})
	}
	// An earlier deploy elsewhere, the catalog deploy three minutes before.
	webID(T("2026-10-13T13:11:40Z"), "search-indexer")
	updateService(T("2026-10-13T13:12:22Z"), ciActor, "search-indexer", map[string]any{"taskDefinition": "search-indexer:31", "forceNewDeployment": false}, 2, "arn:aws:ecs:us-east-1:"+s.Acct+":task-definition/search-indexer:31")
	webID(deployCatalog.Add(-70*time.Second), "catalog-api")
	req, resp := taskDef("catalog-api", 112, 1024, s.Acct+".dkr.ecr.us-east-1.amazonaws.com/catalog-api:2026.10.13-4c1e9a2", []map[string]string{{"name": "SPRING_PROFILES_ACTIVE", "value": "prod"}, {"name": "JAVA_TOOL_OPTIONS", "value": "-XX:MaxRAMPercentage=70"}})
	resp["taskDefinition"].(map[string]any)["registeredAt"] = deployCatalog.Add(-28 * time.Second).Format(ts)
	s.CT(deployCatalog.Add(-28*time.Second), ciActor, "ecs.amazonaws.com", "RegisterTaskDefinition", req, resp)
	updateService(deployCatalog, ciActor, "catalog-api", map[string]any{"taskDefinition": "catalog-api:112", "forceNewDeployment": false}, 3, "arn:aws:ecs:us-east-1:"+s.Acct+":task-definition/catalog-api:112")
	webID(registerCheckout.Add(-40*time.Second), "checkout-api")
	req, resp = taskDef("checkout-api", 58, 768, s.Acct+".dkr.ecr.us-east-1.amazonaws.com/checkout-api:2026.10.13-b77d03f", []map[string]string{{"name": "SPRING_PROFILES_ACTIVE", "value": "prod"}, {"name": "JAVA_OPTS", "value": "-Xms512m -Xmx1g -XX:+UseG1GC"}})
	resp["taskDefinition"].(map[string]any)["registeredAt"] = registerCheckout.Format(ts)
	s.CT(registerCheckout, ciActor, "ecs.amazonaws.com", "RegisterTaskDefinition", req, resp)
	s.CT(registerCheckout.Add(9*time.Second), ciActor, "ecs.amazonaws.com", "DescribeServices", map[string]any{"cluster": "shop-prod", "services": []string{"checkout-api"}}, nil, ReadOnly)
	updateService(cause, ciActor, "checkout-api", map[string]any{"taskDefinition": "checkout-api:58", "forceNewDeployment": false}, 4, "arn:aws:ecs:us-east-1:"+s.Acct+":task-definition/checkout-api:58")
	for i := 0; i < 6; i++ {
		s.CT(cause.Add(time.Duration(20+i*15)*time.Second), ciActor, "ecs.amazonaws.com", "DescribeServices", map[string]any{"cluster": "shop-prod", "services": []string{"checkout-api"}}, nil, ReadOnly)
	}
	sre := s.SSOActor("SREAccess", "priya.raman@acme-shop.com", "73.42.118.206")
	alarmReq := map[string]any{"alarmName": "checkout-api-p99-latency", "metricName": "TargetResponseTime", "namespace": "AWS/ApplicationELB", "extendedStatistic": "p99",
		"dimensions": []any{map[string]string{"name": "TargetGroup", "value": "targetgroup/checkout-api-tg/9a3e61f0b2c4d587"}, map[string]string{"name": "LoadBalancer", "value": lbID}},
		"period":     60, "evaluationPeriods": 5, "datapointsToAlarm": 4, "threshold": 2.0, "comparisonOperator": "GreaterThanThreshold", "treatMissingData": "notBreaching",
		"alarmActions": []string{"arn:aws:sns:us-east-1:" + s.Acct + ":shop-oncall"}}
	s.CT(alarmEdit, sre, "monitoring.amazonaws.com", "PutMetricAlarm", alarmReq, nil)
	s.CT(alarmEdit.Add(-50*time.Second), sre, "monitoring.amazonaws.com", "DescribeAlarms", map[string]any{"alarmNames": []string{"checkout-api-p99-latency"}}, nil, ReadOnly)
	asActor := s.ServiceRoleActor("AWSServiceRoleForApplicationAutoScaling_ECSService", "aws-service-role/ecs.application-autoscaling.amazonaws.com/", "AutoScaling", "application-autoscaling.amazonaws.com")
	s.CT(scaleOut.Add(-2*time.Second), asActor, "ecs.amazonaws.com", "DescribeServices", map[string]any{"cluster": "shop-prod", "services": []string{"checkout-api"}}, nil, ReadOnly)
	updateService(scaleOut, asActor, "checkout-api", map[string]any{"desiredCount": 6}, 6, "arn:aws:ecs:us-east-1:"+s.Acct+":task-definition/checkout-api:58")
	webID(T("2026-10-13T14:08:02Z"), "email-digest")
	s.CT(T("2026-10-13T14:08:31Z"), ciActor, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
		map[string]any{"functionName": "email-digest", "s3Bucket": "acme-shop-artifacts", "s3Key": "email-digest/2026.10.13-77aa01c.zip", "publish": true},
		map[string]any{"functionName": "email-digest", "functionArn": "arn:aws:lambda:us-east-1:" + s.Acct + ":function:email-digest", "runtime": "python3.12", "version": "44", "lastUpdateStatus": "InProgress"})

	// ---- tasks: old revision 57 tasks replaced 13:42-13:44; revision 58
	// tasks are OOM-killed once their heap grows past 768 MiB.
	type task struct {
		id      string
		rev     int
		from    time.Time
		to      time.Time
		oomKill bool
	}
	var tasks []*task
	for i := 0; i < 4; i++ {
		tasks = append(tasks, &task{id: s.hex(32), rev: 57, from: start.Add(-3 * time.Hour), to: cause.Add(time.Duration(70+i*35) * time.Second)})
	}
	// replacement chains: each slot restarts after every OOM kill.
	lifetimes := []time.Duration{5*time.Minute + 10*time.Second, 6*time.Minute + 40*time.Second, 5*time.Minute + 50*time.Second, 7*time.Minute + 20*time.Second, 6 * time.Minute, 5*time.Minute + 25*time.Second}
	for slot := 0; slot < 6; slot++ {
		t0 := cause.Add(time.Duration(55+slot*30) * time.Second)
		if slot >= 4 {
			t0 = scaleOut.Add(time.Duration(40+slot*5) * time.Second)
		}
		for k := 0; t0.Before(end); k++ {
			life := lifetimes[(slot+k)%len(lifetimes)] + time.Duration(s.R.Intn(50))*time.Second
			if slot == 0 && k == 0 {
				t0 = onset.Add(-life)
			}
			tk := &task{id: s.hex(32), rev: 58, from: t0, to: t0.Add(life), oomKill: true}
			tasks = append(tasks, tk)
			t0 = tk.to.Add(time.Duration(35+s.R.Intn(30)) * time.Second) // scheduler places a new task
		}
	}
	taskAt := func(t time.Time) *task {
		var live []*task
		for _, tk := range tasks {
			if !t.Before(tk.from.Add(25*time.Second)) && t.Before(tk.to) {
				live = append(live, tk)
			}
		}
		if len(live) == 0 {
			return nil
		}
		return live[s.R.Intn(len(live))]
	}
	killedNear := func(t time.Time) bool {
		for _, tk := range tasks {
			if tk.oomKill && !t.Before(tk.to.Add(-2*time.Second)) && t.Before(tk.to.Add(400*time.Millisecond)) {
				return true
			}
		}
		return false
	}

	// ---- ECS task state change events (EventBridge -> CloudWatch Logs)
	evGroup := "/aws/events/ecs-task-state"
	evStream := "ecs-task-state-" + s.hex(8)
	taskEvent := func(t time.Time, fam string, rev int, id, last, desired, stopCode, stopped, reason string, exit any) {
		cont := map[string]any{"containerArn": fmt.Sprintf("arn:aws:ecs:%s:%s:container/shop-prod/%s/%s", s.Region, s.Acct, id, s.uuid()),
			"lastStatus": last, "name": fam, "image": s.Acct + ".dkr.ecr.us-east-1.amazonaws.com/" + fam, "taskArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task/shop-prod/%s", s.Region, s.Acct, id),
			"cpu": "512", "memory": map[bool]string{true: "768", false: "1536"}[rev == 58]}
		if exit != nil {
			cont["exitCode"] = exit
		}
		if reason != "" {
			cont["reason"] = reason
		}
		det := map[string]any{"clusterArn": cluster, "containers": []any{cont}, "desiredStatus": desired, "lastStatus": last, "launchType": "EC2",
			"group": "service:" + fam, "taskArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task/shop-prod/%s", s.Region, s.Acct, id),
			"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", s.Region, s.Acct, fam, rev), "updatedAt": t.Format("2006-01-02T15:04:05.000Z"), "version": 4}
		if stopCode != "" {
			det["stopCode"], det["stoppedReason"], det["stoppedAt"] = stopCode, stopped, t.Format("2006-01-02T15:04:05.000Z")
		}
		ev := map[string]any{"version": "0", "id": s.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs", "account": s.Acct,
			"time": t.Format(ts), "region": s.Region, "resources": []string{det["taskArn"].(string)}, "detail": det}
		b, _ := json.Marshal(ev)
		s.Log(evGroup, evStream, t.Add(time.Duration(s.R.Intn(900))*time.Millisecond), string(b))
	}
	for _, tk := range tasks {
		if tk.rev == 57 {
			taskEvent(tk.to, "checkout-api", 57, tk.id, "STOPPED", "STOPPED", "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment ecs-svc/5930271188412290133)", "", 143)
			continue
		}
		if !tk.from.Before(start) {
			taskEvent(tk.from, "checkout-api", 58, tk.id, "PENDING", "RUNNING", "", "", "", nil)
			taskEvent(tk.from.Add(14*time.Second), "checkout-api", 58, tk.id, "RUNNING", "RUNNING", "", "", "", nil)
		}
		if tk.to.Before(end) {
			taskEvent(tk.to.Add(2*time.Second), "checkout-api", 58, tk.id, "STOPPED", "STOPPED", "EssentialContainerExited", "Essential container in task exited", "OutOfMemoryError: Container killed due to memory usage", 137)
		}
	}
	for i := 0; i < 3; i++ { // catalog deploy replaced its tasks cleanly
		id := s.hex(32)
		taskEvent(deployCatalog.Add(time.Duration(60+i*40)*time.Second), "catalog-api", 112, id, "RUNNING", "RUNNING", "", "", "", nil)
		taskEvent(deployCatalog.Add(time.Duration(95+i*40)*time.Second), "catalog-api", 111, s.hex(32), "STOPPED", "STOPPED", "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment ecs-svc/8812093312876540921)", "", 143)
	}
	// A scheduled report worker fails every run, before and during: a loud, old error.
	for t := start.Add(2 * time.Minute); t.Before(end); t = t.Add(10 * time.Minute) {
		id := s.hex(32)
		taskEvent(t, "report-worker", 19, id, "RUNNING", "RUNNING", "", "", "", nil)
		taskEvent(t.Add(47*time.Second), "report-worker", 19, id, "STOPPED", "STOPPED", "EssentialContainerExited", "Essential container in task exited", "", 1)
	}

	// ---- application logs
	stream := func(fam, id string) string { return fam + "/" + fam + "/" + id }
	jl := func(t time.Time, level, thread, logger, msg string) string {
		return fmt.Sprintf("%s %5s 1 --- [checkout-api] [%15s] %-40s : %s", t.Format("2006-01-02T15:04:05.000Z"), level, thread, logger, msg)
	}
	for _, tk := range tasks {
		if tk.rev == 58 && !tk.from.Before(start) && tk.from.Before(end) {
			s.Log("/ecs/checkout-api", stream("checkout-api", tk.id), tk.from.Add(4*time.Second), jl(tk.from.Add(4*time.Second), "INFO", "main", "c.a.checkout.CheckoutApplication", "Starting CheckoutApplication v2026.10.13-b77d03f using Java 21.0.4 with PID 1"))
			s.Log("/ecs/checkout-api", stream("checkout-api", tk.id), tk.from.Add(22*time.Second), jl(tk.from.Add(22*time.Second), "INFO", "main", "c.a.checkout.CheckoutApplication", fmt.Sprintf("Started CheckoutApplication in %.3f seconds (process running for %.3f)", 17+s.R.Float64()*3, 19+s.R.Float64()*3)))
		}
	}
	oomLines := 0
	s.Every(start, end, 48, func(t time.Time) {
		tk := taskAt(t)
		if tk == nil {
			return
		}
		st := stream("checkout-api", tk.id)
		th := fmt.Sprintf("nio-8080-exec-%d", 1+s.R.Intn(40))
		switch k := s.R.Intn(100); {
		case k < 45:
			s.Log("/ecs/checkout-api", st, t, jl(t, "INFO", th, "c.a.checkout.web.CheckoutController", fmt.Sprintf("POST /api/checkout completed status=200 cartItems=%d took=%dms", 1+s.R.Intn(6), 40+s.R.Intn(120))))
		case k < 80:
			s.Log("/ecs/checkout-api", st, t, jl(t, "INFO", th, "c.a.checkout.cart.CartService", fmt.Sprintf("cart %s loaded items=%d", s.hex(12), 1+s.R.Intn(9))))
		case k < 90:
			s.Log("/ecs/checkout-api", st, t, jl(t, "DEBUG", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Pool stats (total=10, active=2, idle=8, waiting=0)"))
		case k < 95:
			s.Log("/ecs/checkout-api", st, t, jl(t, "WARN", th, "c.a.checkout.payments.PaymentGatewayClient", fmt.Sprintf("retry %d/3 calling payments-gateway after java.net.SocketTimeoutException: Read timed out", 1+s.R.Intn(2))))
		default:
			s.Log("/ecs/checkout-api", st, t, jl(t, "ERROR", th, "c.a.checkout.promo.PromoService", "promo lookup failed code="+[]string{"AUTUMN10", "FREESHIP", "VIP20"}[s.R.Intn(3)]+" io.acme.promo.PromoExpiredException: promotion has expired"))
		}
		if tk.oomKill && tk.to.Sub(t) < 40*time.Second && tk.to.Sub(t) > 0 && oomLines < 4 && s.R.Intn(6) == 0 {
			oomLines++
			s.Log("/ecs/checkout-api", st, t.Add(time.Second), fmt.Sprintf("Exception in thread \"%s\" java.lang.OutOfMemoryError: Java heap space", th))
		}
	})
	catStreams := []string{s.hex(32), s.hex(32), s.hex(32)}
	s.Every(start, end, 14, func(t time.Time) {
		st := stream("catalog-api", catStreams[s.R.Intn(3)])
		switch k := s.R.Intn(20); {
		case k < 17:
			s.Log("/ecs/catalog-api", st, t, fmt.Sprintf(`{"@timestamp":"%s","level":"INFO","logger":"c.a.catalog.ProductController","message":"GET /api/products/%d 200 %dms"}`, t.Format("2006-01-02T15:04:05.000Z"), 10000+s.R.Intn(90000), 5+s.R.Intn(40)))
		default:
			s.Log("/ecs/catalog-api", st, t, fmt.Sprintf(`{"@timestamp":"%s","level":"WARN","logger":"c.a.catalog.search.OpenSearchClient","message":"search took %dms, above the 500ms budget"}`, t.Format("2006-01-02T15:04:05.000Z"), 520+s.R.Intn(400)))
		}
	})

	// ---- ALB access logs
	prefix := fmt.Sprintf("%s_elasticloadbalancing_%s_app.shop-public.5f1c2a9e0d3b7c41", s.Acct, s.Region)
	paths := []string{"POST /api/checkout", "GET /api/cart", "POST /api/cart/items"}
	s.Every(start, end, 42, func(t time.Time) {
		tk := taskAt(t)
		e := ALBEntry{Scheme: "https", LB: lbID, Client: fmt.Sprintf("%d.%d.%d.%d:%d", 24+s.R.Intn(150), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(254), 1024+s.R.Intn(60000)),
			Req: 0.001, Resp: 0.0, TG: tgCheckout, TraceID: "Root=" + s.TraceID(t), Domain: "shop.acme-shop.com",
			Cert: "arn:aws:acm:us-east-1:" + s.Acct + ":certificate/2f1d7b9c-5a4e-4c61-8b0f-3e9a7d6c2b15", UA: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15"}
		p := paths[s.R.Intn(len(paths))]
		e.Request = fmt.Sprintf("%s https://shop.acme-shop.com:443%s HTTP/2.0", p[:len(p)-len(p[len(p)-len(p)+indexSpace(p)+1:])-1], p[indexSpace(p)+1:])
		e.Scheme = "h2"
		ip := fmt.Sprintf("10.40.%d.%d:%d", 10+s.R.Intn(4), 10+s.R.Intn(200), 32768+s.R.Intn(28000))
		switch {
		case tk != nil && killedNear(t):
			e.Target, e.TargetT, e.ELBStatus, e.TargetStatus, e.Recv, e.Sent = ip, -1, "502", "-", 612, 272
			e.Resp = -1
		case tk == nil:
			e.TargetT, e.ELBStatus, e.TargetStatus, e.Recv, e.Sent = -1, "503", "-", 598, 272
		default:
			st := "200"
			if s.R.Intn(120) == 0 {
				st = "500"
			}
			e.Target, e.TargetT, e.ELBStatus, e.TargetStatus, e.Recv, e.Sent = ip, s.jitter(0.09, 0.5), st, st, 640, 1800+s.R.Intn(900)
		}
		s.ALB(prefix, t, s.ALBLine(t, e))
	})
	s.Every(start, end, 14, func(t time.Time) {
		s.ALB(prefix, t, s.ALBLine(t, ALBEntry{Scheme: "h2", LB: lbID, Client: fmt.Sprintf("%d.%d.%d.%d:%d", 24+s.R.Intn(150), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(254), 1024+s.R.Intn(60000)),
			Target: fmt.Sprintf("10.40.%d.%d:%d", 10+s.R.Intn(4), 10+s.R.Intn(200), 32768+s.R.Intn(28000)), Req: 0.001, TargetT: s.jitter(0.03, 0.6), Resp: 0,
			ELBStatus: "200", TargetStatus: "200", Recv: 410, Sent: 5200 + s.R.Intn(3000), Request: fmt.Sprintf("GET https://shop.acme-shop.com:443/api/products/%d HTTP/2.0", 10000+s.R.Intn(90000)),
			UA: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36", TG: tgCatalog, TraceID: "Root=" + s.TraceID(t), Domain: "shop.acme-shop.com",
			Cert: "arn:aws:acm:us-east-1:" + s.Acct + ":certificate/2f1d7b9c-5a4e-4c61-8b0f-3e9a7d6c2b15"}))
	})

	// ---- metrics (per minute)
	kills := func(t time.Time) float64 {
		n := 0.0
		for _, tk := range tasks {
			if tk.oomKill && !tk.to.Before(t) && tk.to.Before(t.Add(time.Minute)) {
				n++
			}
		}
		return n
	}
	running := func(t time.Time) float64 {
		n := 0.0
		for _, tk := range tasks {
			if !t.Before(tk.from.Add(25*time.Second)) && t.Before(tk.to) {
				n++
			}
		}
		return math.Min(n, 8)
	}
	tgDim := [][2]string{{"TargetGroup", "targetgroup/checkout-api-tg/9a3e61f0b2c4d587"}, {"LoadBalancer", lbID}}
	reqs := func(t time.Time) float64 { return math.Round(s.jitter(3300, 0.06)) }
	s.Metric("AWS/ApplicationELB", "RequestCount", tgDim, "Count", []string{"Sum"}, reqs)
	s.Metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tgDim, "Count", []string{"Sum"}, func(t time.Time) float64 {
		return float64(s.R.Intn(30)) + 8*kills(t)*0 // the app's own 500s: constant
	})
	s.Metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", [][2]string{{"LoadBalancer", lbID}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if k := kills(t); k > 0 {
			return math.Round(k * s.jitter(95, 0.3))
		}
		return math.NaN()
	})
	s.Metric("AWS/ApplicationELB", "TargetResponseTime", tgDim, "Seconds", []string{"Average"}, func(t time.Time) float64 {
		if t.After(onset) {
			return s.jitter(0.16, 0.3)
		}
		return s.jitter(0.09, 0.15)
	})
	s.Metric("AWS/ApplicationELB", "HealthyHostCount", tgDim, "Count", []string{"Minimum"}, running)
	svcDim := [][2]string{{"ClusterName", "shop-prod"}, {"ServiceName", "checkout-api"}}
	s.Metric("AWS/ECS", "MemoryUtilization", svcDim, "Percent", []string{"Average", "Maximum"}, func(t time.Time) float64 {
		return ramp(t, cause.Add(60*time.Second), cause.Add(4*time.Minute), s.jitter(52, 0.04), s.jitter(93, 0.05))
	})
	s.Metric("AWS/ECS", "CPUUtilization", svcDim, "Percent", []string{"Average", "Maximum"}, func(t time.Time) float64 {
		return ramp(t, onset, onset.Add(5*time.Minute), s.jitter(38, 0.1), s.jitter(51, 0.15))
	})
	s.Metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "shop-prod"}, {"ServiceName", "catalog-api"}}, "Percent", []string{"Average", "Maximum"}, func(t time.Time) float64 {
		if t.After(deployCatalog) && t.Before(deployCatalog.Add(6*time.Minute)) {
			return s.jitter(64, 0.15)
		}
		return s.jitter(27, 0.1)
	})
	s.Metric("ECS/ContainerInsights", "RunningTaskCount", svcDim, "Count", []string{"Average"}, running)
	s.Metric("AWS/RDS", "DatabaseConnections", [][2]string{{"DBClusterIdentifier", "shop-db"}}, "Count", []string{"Average"}, func(t time.Time) float64 {
		return math.Round(s.jitter(46, 0.12))
	})
	s.Metric("AWS/ApplicationELB", "RequestCount", [][2]string{{"TargetGroup", "targetgroup/catalog-api-tg/1d7b4c0e9f2a6e33"}, {"LoadBalancer", lbID}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		return math.Round(s.jitter(1500+600*math.Sin(float64(t.Unix())/1200), 0.05))
	})

	// ---- alarms
	topic := "arn:aws:sns:us-east-1:" + s.Acct + ":shop-oncall"
	alarmAt := T("2026-10-13T13:50:43Z")
	s.MetricAlarm(map[string]any{"AlarmName": "checkout-5xx-rate", "AlarmDescription": "5xx responses above 2% of checkout requests (target 5xx plus ELB 502/503)",
		"ActionsEnabled": true, "OKActions": []string{topic}, "AlarmActions": []string{topic}, "InsufficientDataActions": []string{},
		"StateValue": "ALARM", "StateReason": "Threshold Crossed: 3 out of the last 3 datapoints [4.81 (13/10/26 13:49:00), 3.37 (13/10/26 13:48:00), 2.95 (13/10/26 13:47:00)] were greater than the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition).",
		"StateUpdatedTimestamp": alarmAt.Format("2006-01-02T15:04:05.000Z"), "StateTransitionedTimestamp": alarmAt.Format("2006-01-02T15:04:05.000Z"),
		"AlarmConfigurationUpdatedTimestamp": "2026-08-02T09:12:44.511Z", "EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": 2.0,
		"ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
		"Metrics": []any{
			map[string]any{"Id": "rate", "Expression": "100*(FILL(t5xx,0)+FILL(e502,0)+FILL(e503,0))/req", "Label": "checkout 5xx %", "ReturnData": true},
			map[string]any{"Id": "t5xx", "ReturnData": false, "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": []any{map[string]string{"Name": "TargetGroup", "Value": "targetgroup/checkout-api-tg/9a3e61f0b2c4d587"}, map[string]string{"Name": "LoadBalancer", "Value": lbID}}}, "Period": 60, "Stat": "Sum"}},
			map[string]any{"Id": "e502", "ReturnData": false, "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_ELB_502_Count", "Dimensions": []any{map[string]string{"Name": "LoadBalancer", "Value": lbID}}}, "Period": 60, "Stat": "Sum"}},
			map[string]any{"Id": "e503", "ReturnData": false, "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_ELB_503_Count", "Dimensions": []any{map[string]string{"Name": "LoadBalancer", "Value": lbID}}}, "Period": 60, "Stat": "Sum"}},
			map[string]any{"Id": "req", "ReturnData": false, "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": []any{map[string]string{"Name": "TargetGroup", "Value": "targetgroup/checkout-api-tg/9a3e61f0b2c4d587"}, map[string]string{"Name": "LoadBalancer", "Value": lbID}}}, "Period": 60, "Stat": "Sum"}},
		}})
	s.MetricAlarm(map[string]any{"AlarmName": "checkout-api-p99-latency", "AlarmDescription": "p99 latency of checkout-api", "ActionsEnabled": true,
		"OKActions": []string{}, "AlarmActions": []string{topic}, "InsufficientDataActions": []string{}, "StateValue": "OK",
		"StateReason":           "Threshold Crossed: 4 out of the last 5 datapoints were not greater than the threshold (2.0) (minimum 1 datapoint for ALARM -> OK transition).",
		"StateUpdatedTimestamp": "2026-10-12T22:41:09.882Z", "AlarmConfigurationUpdatedTimestamp": alarmEdit.Format("2006-01-02T15:04:05.000Z"),
		"MetricName": "TargetResponseTime", "Namespace": "AWS/ApplicationELB", "ExtendedStatistic": "p99",
		"Dimensions": []any{map[string]string{"Name": "TargetGroup", "Value": "targetgroup/checkout-api-tg/9a3e61f0b2c4d587"}, map[string]string{"Name": "LoadBalancer", "Value": lbID}},
		"Period":     60, "EvaluationPeriods": 5, "DatapointsToAlarm": 4, "Threshold": 2.0, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"})
	s.MetricAlarm(map[string]any{"AlarmName": "shop-db-cpu-high", "ActionsEnabled": true, "OKActions": []string{}, "AlarmActions": []string{topic}, "InsufficientDataActions": []string{},
		"StateValue": "OK", "StateReason": "Threshold Crossed: 1 datapoint [22.4 (13/10/26 12:55:00)] was not greater than the threshold (80.0).",
		"StateUpdatedTimestamp": "2026-10-09T03:10:51.002Z", "MetricName": "CPUUtilization", "Namespace": "AWS/RDS", "Statistic": "Average",
		"Dimensions": []any{map[string]string{"Name": "DBClusterIdentifier", "Value": "shop-db"}}, "Period": 300, "EvaluationPeriods": 3, "Threshold": 80.0, "ComparisonOperator": "GreaterThanThreshold"})
	s.CompositeAlarm(map[string]any{"AlarmName": "checkout-customer-impact", "AlarmRule": `ALARM("checkout-5xx-rate") OR ALARM("checkout-api-p99-latency")`,
		"ActionsEnabled": true, "AlarmActions": []string{"arn:aws:sns:us-east-1:" + s.Acct + ":shop-pager"}, "OKActions": []string{}, "InsufficientDataActions": []string{},
		"StateValue": "ALARM", "StateReason": "arn:aws:cloudwatch:us-east-1:" + s.Acct + ":alarm:checkout-5xx-rate transitioned to ALARM at Tuesday 13 October, 2026 13:50:43 UTC",
		"StateUpdatedTimestamp": alarmAt.Add(2 * time.Second).Format("2006-01-02T15:04:05.000Z"), "StateTransitionedTimestamp": alarmAt.Add(2 * time.Second).Format("2006-01-02T15:04:05.000Z")})
	s.StateChange("checkout-5xx-rate", "MetricAlarm", alarmAt, "OK", "ALARM", "Threshold Crossed: 3 out of the last 3 datapoints [4.81 (13/10/26 13:49:00), 3.37 (13/10/26 13:48:00), 2.95 (13/10/26 13:47:00)] were greater than the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition).",
		map[string]any{"version": "1.0", "queryDate": alarmAt.Format("2006-01-02T15:04:05.000+0000"), "startDate": "2026-10-13T13:47:00.000+0000", "period": 60, "recentDatapoints": []float64{2.95, 3.37, 4.81}, "threshold": 2.0, "evaluatedDatapoints": []any{map[string]any{"timestamp": "2026-10-13T13:49:00.000+0000", "value": 4.81}}})
	s.Action("checkout-5xx-rate", "MetricAlarm", alarmAt, topic)
	s.StateChange("checkout-customer-impact", "CompositeAlarm", alarmAt.Add(2*time.Second), "OK", "ALARM", "arn:aws:cloudwatch:us-east-1:"+s.Acct+":alarm:checkout-5xx-rate transitioned to ALARM at Tuesday 13 October, 2026 13:50:43 UTC", nil)
	s.ConfigChange("checkout-api-p99-latency", "MetricAlarm", alarmEdit, "Alarm \"checkout-api-p99-latency\" updated", map[string]any{"type": "Update", "version": "1.0",
		"originalUpdatedAlarm": map[string]any{"threshold": 1.5, "evaluationPeriods": 5}, "updatedAlarm": map[string]any{"threshold": 2.0, "evaluationPeriods": 5}})
	s.StateChange("shop-db-cpu-high", "MetricAlarm", T("2026-10-13T12:40:00Z"), "ALARM", "OK", "Threshold Crossed: 1 datapoint [22.4] was not greater than the threshold (80.0).", nil)

	s.Truth = truth(s.Name, "ecs-task-memory-limit", "checkout-5xx-rate",
		map[string]any{"event_name": "UpdateService", "event_time": cause.Format(ts), "resource": "checkout-api"}, onset,
		[][2]any{{"UpdateService", deployCatalog}, {"PutMetricAlarm", alarmEdit}, {"UpdateService", scaleOut}, {"UpdateService", T("2026-10-13T13:12:22Z")}},
		"OutOfMemoryError: Container killed due to memory usage", "checkout-api", "UpdateService", "502")
	s.Write()
}

func indexSpace(p string) int {
	for i := range p {
		if p[i] == ' ' {
			return i
		}
	}
	return -1
}
