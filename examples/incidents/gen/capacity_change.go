package gen

import (
	"fmt"
	"math"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// capacityChange: an engineer scales what they think is the staging
// catalog-api down from 6 tasks to 2 with the CLI, but their profile points
// at production. The two remaining tasks saturate: CPU near 100%, latency
// from tens of milliseconds to seconds, and requests past the ALB's
// 5-second target timeout come back 504. Nothing in the application logs
// says why. Near it, Application Auto Scaling scales another ECS service
// (the same API call, made by AWS) and someone changes a log group's
// retention.
func capacityChange(w *world) {
	onset := time.Date(2026, 11, 26, 16, 42, 0, 0, time.UTC)
	w.init(303, onset)
	w.title = "catalog-api slow and returning 504"
	w.architecture = "ALB storefront-prod routes /v1/products* and /v1/search* to ECS service catalog-api (cluster prod, Go 1.23, 6 tasks on Fargate) backed by Aurora PostgreSQL catalog-db and ElastiCache Redis catalog-cache. ECS service search-indexer (cluster prod) consumes product updates and scales with Application Auto Scaling."
	scaleAt := onset.Add(-70 * time.Second)
	r := w.r
	lb := w.alb("storefront-prod", "4b8e2d6f0a1c3e57", "shop.acme.example")
	tg := "targetgroup/catalog-api-tg/8d1f3b5c7e9a2c40"
	tgARN := "arn:aws:elasticloadbalancing:us-east-1:123456789012:" + tg
	lbDim := "app/storefront-prod/4b8e2d6f0a1c3e57"
	t5xx := w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	elb5xx := w.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	latency := w.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", false, "TargetGroup", tg, "LoadBalancer", lbDim)
	requests := w.metric("AWS/ApplicationELB", "RequestCount", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	healthy := w.metric("AWS/ApplicationELB", "HealthyHostCount", "Count", false, "TargetGroup", tg, "LoadBalancer", lbDim)
	cpu := w.metric("AWS/ECS", "CPUUtilization", "Percent", false, "ClusterName", "prod", "ServiceName", "catalog-api")
	mem := w.metric("AWS/ECS", "MemoryUtilization", "Percent", false, "ClusterName", "prod", "ServiceName", "catalog-api")
	running := w.metric("ECS/ContainerInsights", "RunningTaskCount", "Count", false, "ClusterName", "prod", "ServiceName", "catalog-api")
	dbCPU := w.metric("AWS/RDS", "CPUUtilization", "Percent", false, "DBClusterIdentifier", "catalog-db")
	indexerCPU := w.metric("AWS/ECS", "CPUUtilization", "Percent", false, "ClusterName", "prod", "ServiceName", "search-indexer")

	type task struct{ id, ip string }
	var tasks []task
	for i := 0; i < 6; i++ {
		tasks = append(tasks, task{snapgen.HexID(snapgen.NewRand(int64(300+i)), 32), fmt.Sprintf("10.0.%d.%d", 21+i%3, 30+i*11)})
	}
	// Tasks stop one by one after the change (ECS drains them).
	stopped := func(i int) time.Time { return scaleAt.Add(time.Duration(25+i*12) * time.Second) }
	serving := func(t time.Time) []task {
		var out []task
		for i, tk := range tasks {
			if i < 2 || t.Before(stopped(i)) {
				out = append(out, tk)
			}
		}
		return out
	}
	// load is the share of capacity each serving task uses.
	load := func(t time.Time) float64 { return 0.32 * 6 / float64(len(serving(t))) }
	paths := []string{"/v1/products/", "/v1/products/", "/v1/products/", "/v1/search?q="}
	w.arrivals(0.45, func(at time.Time) {
		sv := serving(at)
		tk := sv[r.Intn(len(sv))]
		p := paths[r.Intn(len(paths))] + snapgen.HexID(r, 6)
		u := load(at)
		base := float64(20+r.Intn(40)) / 1000
		d := base
		if u > 0.7 { // queueing: the wait grows sharply as utilisation nears 1
			d = base + math.Min(9, 0.05/math.Max(1-math.Min(u, 0.985), 0.015)*r.ExpFloat64())
		}
		requests.Add(at, 1)
		req := snapgen.Request{Created: at, Client: fmt.Sprintf("%d.%d.%d.%d", []int{203, 198, 100}[r.Intn(3)], r.Intn(256), r.Intn(256), 1+r.Intn(254)),
			Target: tk.ip + ":8080", RequestTime: 0.001, Method: "GET", URL: "https://shop.acme.example:443" + p, Proto: "HTTP/2.0",
			Agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", TargetGroupARN: tgARN, Received: 300 + r.Intn(200)}
		stream := "ecs/catalog-api/" + tk.id
		if d > 5 {
			// The ALB gives up at its 5 s target timeout; the task finishes later.
			req.TargetTime, req.ResponseTime, req.RequestTime, req.ELBStatus, req.TargetStatus, req.Sent = -1, -1, -1, 504, "-", 246
			req.Target = tk.ip + ":8080"
			req.Created = at
			req.Error = "TargetResponseTimeout"
			elb5xx.Add(at, 1)
			latency.Add(at, 5)
			w.fail(at)
			w.logs.Add("/ecs/catalog-api", stream, at.Add(time.Duration(d*float64(time.Second))), fmt.Sprintf(`{"time":"%s","level":"WARN","msg":"client went away before response","path":"%s","duration_ms":%d,"err":"write tcp %s:8080->10.0.0.11:%d: write: broken pipe"}`,
				at.Add(time.Duration(d*float64(time.Second))).Format(time.RFC3339Nano), p, int(d*1000), tk.ip, 30000+r.Intn(30000)))
		} else {
			if d > 1 {
				w.fail(at)
			}
			req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = snapgen.Round3(d), 200, "200", 2000+r.Intn(9000)
			latency.Add(at, d)
			w.logs.Add("/ecs/catalog-api", stream, at.Add(time.Duration(d*float64(time.Second))), fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"request","method":"GET","path":"%s","status":200,"duration_ms":%d,"cache":"%s"}`,
				at.Add(time.Duration(d*float64(time.Second))).Format(time.RFC3339Nano), p, int(d*1000), []string{"hit", "hit", "miss"}[r.Intn(3)]))
		}
		lb.Add(r, req)
	})
	w.every(time.Minute, 0, func(at time.Time) {
		n := float64(len(serving(at.Add(59 * time.Second))))
		u := load(at.Add(30 * time.Second))
		cpu.Add(at, math.Min(99.6, u*100*(0.95+r.Float64()*0.1)))
		mem.Add(at, 38+r.Float64()*3)
		running.Add(at, n)
		healthy.Add(at, n)
		dbCPU.Add(at, 17+r.Float64()*4)
		indexerCPU.Add(at, 51+r.Float64()*8)
		t5xx.Add(at, 0)
	})
	w.every(time.Minute, 17*time.Second, func(at time.Time) {
		w.logs.Add("/ecs/search-indexer", "ecs/search-indexer/"+snapgen.HexID(snapgen.NewRand(9), 32), at, fmt.Sprintf(`{"level":"info","ts":%d,"msg":"indexed batch","docs":%d,"took_ms":%d}`, at.UnixMilli(), 180+r.Intn(60), 900+r.Intn(400)))
	})

	dave := w.trail.IAMUser("dave")
	rec := w.trail.Add(scaleAt, "ecs.amazonaws.com", "UpdateService", dave, "198.51.100.61", cliAgent+"ecs.update-service", false,
		map[string]any{"cluster": "prod", "service": "catalog-api", "desiredCount": 2},
		map[string]any{"service": map[string]any{"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/prod/catalog-api", "serviceName": "catalog-api", "desiredCount": 2, "runningCount": 6, "status": "ACTIVE"}})
	w.cause(rec, "catalog-api")
	ecsRole := w.trail.ServiceLinkedRole("AWSServiceRoleForECS", "ecs-service-scheduler", "ecs.amazonaws.com")
	for i := 2; i < 6; i++ {
		w.trail.Add(stopped(i).Add(-20*time.Second), "elasticloadbalancing.amazonaws.com", "DeregisterTargets", ecsRole, "ecs.amazonaws.com", "ecs.amazonaws.com", false,
			map[string]any{"targetGroupArn": tgARN, "targets": []map[string]any{{"id": tasks[i].ip, "port": 8080}}}, nil)
	}
	w.decoy(w.ecsAutoscale(onset.Add(-3*time.Minute-40*time.Second), "prod", "search-indexer", 4))
	console := w.trail.ConsoleUser("frank", onset.Add(-40*time.Minute))
	w.decoy(w.trail.Add(onset.Add(-1*time.Minute-5*time.Second), "logs.amazonaws.com", "PutRetentionPolicy", console, "198.51.100.92", consoleAgent, false,
		map[string]any{"logGroupName": "/ecs/search-indexer", "retentionInDays": 14}, nil))
	w.trailNoise(5)

	w.alarm(snapgen.Alarm{Name: "catalog-api-latency-high", Description: "catalog-api average target response time above 1 s for 3 minutes",
		Series: latency, Statistic: "Average", Threshold: 1})
	w.securityHubControl("ELB.4", "Application Load Balancer should be configured to drop invalid HTTP headers", "MEDIUM", "AwsElbv2LoadBalancer", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/storefront-prod/4b8e2d6f0a1c3e57", onset.Add(-9*time.Hour))
	w.truth.Signals = []string{"UpdateService", "catalog-api", "desiredCount", "TargetResponseTime", "CPUUtilization"}
}
