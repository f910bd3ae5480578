package gen

import (
	"fmt"
	"math"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// dependencySlowdown: the third-party shipping-rates API that quote-api
// calls for every quote slows from ~150 ms to several seconds; quote-api's
// 3-second client timeout turns most quotes into 502s. Nothing in the
// account changed: CloudTrail holds only unrelated changes (a deploy of
// another service, a scheduled secret rotation, DynamoDB auto scaling).
func dependencySlowdown(w *world) {
	onset := time.Date(2026, 11, 29, 18, 31, 0, 0, time.UTC)
	w.init(606, onset)
	w.title = "quote-api returns 502 for shipping quotes"
	w.architecture = "ALB logistics-prod routes /api/quotes* to ECS service quote-api (cluster logistics, Node.js 20, Express, AWS X-Ray SDK) which calls the third-party shipping-rates API https://api.shipfast.example/v2/rates over the internet (through NAT gateways) with a 3 s timeout, and caches results in ElastiCache cluster quote-cache. ECS service label-printer (same cluster) prints shipping labels."
	r := w.r
	lb := w.alb("logistics-prod", "9a1c3e5b7d0f2a4c", "api.acme-logistics.example")
	tg := "targetgroup/quote-api-tg/1f3b5d7a9c2e4f60"
	tgARN := "arn:aws:elasticloadbalancing:us-east-1:123456789012:" + tg
	lbDim := "app/logistics-prod/9a1c3e5b7d0f2a4c"
	t5xx := w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	latency := w.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", false, "TargetGroup", tg, "LoadBalancer", lbDim)
	requests := w.metric("AWS/ApplicationELB", "RequestCount", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	cpu := w.metric("AWS/ECS", "CPUUtilization", "Percent", false, "ClusterName", "logistics", "ServiceName", "quote-api")
	natOut := w.metric("AWS/NATGateway", "ActiveConnectionCount", "Count", false, "NatGatewayId", "nat-0a1b2c3d4e5f67890")
	cacheHits := w.metric("AWS/ElastiCache", "CacheHits", "Count", true, "CacheClusterId", "quote-cache-0001-001")

	// upstream is the shipping API's latency at t: a slow ramp from the onset.
	upstream := func(t time.Time) float64 {
		base := 0.09 + r.Float64()*0.12
		if t.Before(onset) {
			return base
		}
		ramp := math.Min(1, t.Sub(onset).Seconds()/90)
		return base + ramp*(1.5+r.ExpFloat64()*3)
	}
	tasks := []struct{ id, ip string }{{"d4f6a8c0e2b44d6f8a0c2e4b6d8f0a13", "10.0.51.18"}, {"e5a7c9e1b3d54f7a9c1e3b5d7f9a1c24", "10.0.52.29"}}
	w.arrivals(0.55, func(at time.Time) {
		tk := tasks[r.Intn(2)]
		requests.Add(at, 1)
		stream := "ecs/quote-api/" + tk.id
		req := snapgen.Request{Created: at, Client: fmt.Sprintf("%d.%d.%d.%d", []int{203, 198}[r.Intn(2)], r.Intn(256), r.Intn(256), 1+r.Intn(254)),
			Target: tk.ip + ":3000", RequestTime: 0.001, Method: "POST", URL: "https://api.acme-logistics.example:443/api/quotes", Proto: "HTTP/1.1",
			Agent: "acme-checkout/3.8.2 node-fetch/3.3.2", TargetGroupARN: tgARN, Received: 600 + r.Intn(200)}
		cached := r.Intn(5) == 0
		var up float64
		if !cached {
			up = upstream(at)
		}
		quote := "q_" + snapgen.HexID(r, 10)
		if up > 3 {
			d := 3.0 + float64(5+r.Intn(20))/1000
			end := at.Add(time.Duration(d * float64(time.Second)))
			w.logs.Add("/ecs/quote-api", stream, end, fmt.Sprintf(`{"level":50,"time":%d,"pid":1,"hostname":"ip-%s","reqId":"%s","err":{"type":"TimeoutError","message":"Shipping rates request timed out after 3000 ms","code":"ETIMEDOUT"},"upstream":"https://api.shipfast.example/v2/rates","msg":"quote failed"}`,
				end.UnixMilli(), tk.ip, quote))
			w.logs.Add("/ecs/quote-api", stream, end, fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"ip-%s","reqId":"%s","res":{"statusCode":502},"responseTime":%d,"msg":"request completed"}`, end.UnixMilli(), tk.ip, quote, int(d*1000)))
			req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = snapgen.Round3(d), 502, "502", 210
			t5xx.Add(at, 1)
			latency.Add(at, d)
			w.fail(at)
			w.quoteTrace(at, d, 3, tk.ip, true)
		} else {
			d := up + float64(8+r.Intn(25))/1000
			end := at.Add(time.Duration(d * float64(time.Second)))
			w.logs.Add("/ecs/quote-api", stream, end, fmt.Sprintf(`{"level":30,"time":%d,"pid":1,"hostname":"ip-%s","reqId":"%s","res":{"statusCode":200},"responseTime":%d,"msg":"request completed"}`, end.UnixMilli(), tk.ip, quote, int(d*1000)))
			req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = snapgen.Round3(d), 200, "200", 900+r.Intn(400)
			latency.Add(at, d)
			if cached {
				cacheHits.Add(at, 1)
			} else {
				w.quoteTrace(at, d, up, tk.ip, false)
			}
		}
		lb.Add(r, req)
	})
	w.every(time.Minute, 0, func(at time.Time) {
		cpu.Add(at, 11+r.Float64()*3)
		slow := 0.0
		if at.After(onset) {
			slow = 40
		}
		natOut.Add(at, 130+slow+float64(r.Intn(20)))
	})
	w.every(2*time.Minute, 41*time.Second, func(at time.Time) {
		w.logs.Add("/ecs/label-printer", "ecs/label-printer/8b0d2f4a6c8e4a0c2e4f6b8d0a2c4e68", at, fmt.Sprintf("%s [main] INFO  c.a.labels.PrintQueue - printed %d labels, queue empty", at.Format("2006-01-02 15:04:05.000"), 3+r.Intn(20)))
	})

	deployer := w.trail.AssumedRole("codepipeline-deploy", "label-printer-"+snapgen.HexID(r, 8), "")
	w.decoy(w.trail.Add(onset.Add(-2*time.Minute-15*time.Second), "ecs.amazonaws.com", "UpdateService", deployer, "codepipeline.amazonaws.com", "codepipeline.amazonaws.com", false,
		map[string]any{"cluster": "logistics", "service": "label-printer", "taskDefinition": "label-printer:88", "forceNewDeployment": false},
		map[string]any{"service": map[string]any{"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/logistics/label-printer", "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/label-printer:88", "desiredCount": 1}}))
	w.decoy(w.rotateSecret(onset.Add(-6*time.Minute-20*time.Second), "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/crm/salesforce-token-Zq83Mb", "crm-token-rotation"))
	w.decoy(w.dynamoAutoscale(onset.Add(50*time.Second), "carrier-invoices", 25, 100))
	w.trailNoise(5)

	w.alarm(snapgen.Alarm{Name: "quote-api-5xx", Description: "quote-api targets return more than 5 errors a minute for 3 minutes",
		Series: t5xx, Statistic: "Sum", Threshold: 5})
	w.securityHubControl("ECR.3", "ECR repositories should have at least one lifecycle policy configured", "LOW", "AwsEcrRepository", "arn:aws:ecr:us-east-1:123456789012:repository/label-printer", onset.Add(-11*time.Hour))
	w.truth.Signals = []string{"api.shipfast.example", "timed out", "TargetResponseTime"}
}

// quoteTrace is one quote request as the X-Ray SDK for Node.js records it:
// the call to the shipping API is a remote subsegment that faults on
// timeout.
func (w *world) quoteTrace(at time.Time, d, upstream float64, ip string, timedOut bool) {
	r := w.r
	if r.Float64() >= 0.08 {
		return
	}
	id := snapgen.TraceID(r, at)
	dur := time.Duration(d * float64(time.Second))
	call := snapgen.Sub(r, "api.shipfast.example", at.Add(4*time.Millisecond), time.Duration(math.Min(upstream, 3)*float64(time.Second)), snapgen.Doc{"namespace": "remote",
		"http": snapgen.Doc{"request": snapgen.Doc{"method": "POST", "url": "https://api.shipfast.example/v2/rates"}}})
	seg := snapgen.Doc{"id": snapgen.HexID(r, 16), "trace_id": id, "name": "quote-api", "origin": "AWS::ECS::Container",
		"start_time": snapgen.EpochSec(at), "end_time": snapgen.EpochSec(at.Add(dur)),
		"http": snapgen.Doc{"request": snapgen.Doc{"method": "POST", "url": "https://api.acme-logistics.example/api/quotes"}, "response": snapgen.Doc{"status": 200}},
		"aws":  snapgen.Doc{"ecs": snapgen.Doc{"container": "ip-" + ip}, "xray": snapgen.Doc{"sdk": "X-Ray for Node.js", "sdk_version": "3.10.1", "package": "aws-xray-sdk"}}}
	if timedOut {
		call["fault"] = true
		call["cause"] = snapgen.Cause(r, "/usr/src/app", "TimeoutError", "Shipping rates request timed out after 3000 ms", true)
		seg["fault"] = true
		seg["http"].(snapgen.Doc)["response"] = snapgen.Doc{"status": 502}
		seg["cause"] = snapgen.Cause(r, "/usr/src/app", "UpstreamError", "quote failed", false)
	} else {
		call["http"].(snapgen.Doc)["response"] = snapgen.Doc{"status": 200, "content_length": 1184}
	}
	seg["subsegments"] = []snapgen.Doc{call}
	w.traces = append(w.traces, snapgen.NewTrace(id, at, dur, seg))
}
