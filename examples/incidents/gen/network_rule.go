package gen

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// networkRule: tidying up security groups in the console, an engineer
// removes the rule that lets the web tier reach the ElastiCache Redis
// cluster that holds sessions. Connections already open keep working until
// gunicorn recycles its workers, so failures ramp up over a few minutes:
// each request that needs a new connection waits for the 5-second connect
// timeout and returns 500. A few minutes earlier the same engineer opened
// SSH on the bastion's group (a decoy by the same hand), and EC2 Auto
// Scaling launched an instance in an unrelated group.
func networkRule(w *world) {
	onset := time.Date(2026, 11, 27, 9, 13, 0, 0, time.UTC)
	w.init(404, onset)
	w.title = "web returns 500 and is slow"
	w.architecture = "ALB web-prod forwards to an EC2 Auto Scaling group web-asg (Amazon Linux 2023, nginx + gunicorn + Django 5) in security group web-sg (sg-0e4a1b2c3d4e5f607). Sessions live in ElastiCache for Redis cluster sessions-cache (security group sessions-cache-sg, sg-0c7d8e9f0a1b2c3d4, port 6379); data in RDS for MySQL web-db. A batch-workers Auto Scaling group runs nightly jobs."
	revokeAt := onset.Add(-35 * time.Second)
	r := w.r
	lb := w.alb("web-prod", "2c4e6a8b0d1f3a5c", "www.acme-travel.example")
	tg := "targetgroup/web-tg/6e8a0c2e4f6b8d1a"
	tgARN := "arn:aws:elasticloadbalancing:us-east-1:123456789012:" + tg
	lbDim := "app/web-prod/2c4e6a8b0d1f3a5c"
	t5xx := w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	latency := w.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", false, "TargetGroup", tg, "LoadBalancer", lbDim)
	requests := w.metric("AWS/ApplicationELB", "RequestCount", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	currConns := w.metric("AWS/ElastiCache", "CurrConnections", "Count", false, "CacheClusterId", "sessions-cache-0001-001")
	newConns := w.metric("AWS/ElastiCache", "NewConnections", "Count", true, "CacheClusterId", "sessions-cache-0001-001")
	cacheCPU := w.metric("AWS/ElastiCache", "EngineCPUUtilization", "Percent", false, "CacheClusterId", "sessions-cache-0001-001")
	dbConns := w.metric("AWS/RDS", "DatabaseConnections", "Count", false, "DBInstanceIdentifier", "web-db")
	ec2CPU := w.metric("AWS/EC2", "CPUUtilization", "Percent", false, "AutoScalingGroupName", "web-asg")

	hosts := []struct{ id, ip string }{{"i-0a3f5c7e9b1d2f468", "10.0.21.14"}, {"i-0b4e6d8f0a2c4e579", "10.0.22.27"}, {"i-0c5f7e9a1b3d5f68a", "10.0.23.39"}}
	// Each gunicorn worker recycles after a random number of requests; a
	// recycled worker must open a new Redis connection, which can no
	// longer be made. broken says whether a worker's connection is gone.
	broken := func(at time.Time) float64 {
		if at.Before(revokeAt) {
			return 0
		}
		return math.Min(1, at.Sub(revokeAt).Seconds()/240)
	}
	pages := []string{"/", "/trips/", "/account/bookings/", "/search/?dest=", "/static/css/site.3f2a1.css"}
	w.arrivals(0.5, func(at time.Time) {
		h := hosts[r.Intn(len(hosts))]
		p := pages[r.Intn(len(pages))]
		if p == "/trips/" || p == "/search/?dest=" {
			p += []string{"lisbon", "kyoto", "oslo", "lima", "cairo"}[r.Intn(5)]
		}
		requests.Add(at, 1)
		req := snapgen.Request{Created: at, Client: fmt.Sprintf("%d.%d.%d.%d", []int{203, 198, 100}[r.Intn(3)], r.Intn(256), r.Intn(256), 1+r.Intn(254)),
			Target: h.ip + ":80", RequestTime: 0.001, Method: "GET", URL: "https://www.acme-travel.example:443" + p, Proto: "HTTP/2.0",
			Agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", TargetGroupARN: tgARN, Received: 500 + r.Intn(300)}
		stream := h.id + "/gunicorn"
		static := strings.HasPrefix(p, "/static")
		if !static && r.Float64() < broken(at) {
			d := 5.0 + float64(10+r.Intn(60))/1000
			end := at.Add(time.Duration(d * float64(time.Second)))
			w.logs.Add("/web/django", h.id+"/django", end, fmt.Sprintf("%s ERROR django.request Internal Server Error: %s\nTraceback (most recent call last):\n  File \"/srv/web/.venv/lib/python3.12/site-packages/redis/connection.py\", line 357, in connect\n    sock = self.retry.call_with_retry(\n  File \"/srv/web/.venv/lib/python3.12/site-packages/redis/connection.py\", line 699, in _connect\n    raise err\nTimeoutError: timed out\n\nDuring handling of the above exception, another exception occurred:\n\nredis.exceptions.TimeoutError: Timeout connecting to server sessions-cache.k3x9qe.ng.0001.use1.cache.amazonaws.com:6379",
				end.Format("2006-01-02 15:04:05,000"), p))
			w.logs.Add("/web/gunicorn", stream, end, fmt.Sprintf(`%s - - [%s] "GET %s HTTP/1.1" 500 145 "-" "Mozilla/5.0" %dms`, req.Client, end.Format("02/Jan/2006:15:04:05 +0000"), p, int(d*1000)))
			req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = snapgen.Round3(d), 500, "500", 290
			t5xx.Add(at, 1)
			latency.Add(at, d)
			w.fail(at)
		} else {
			d := float64(30+r.Intn(120)) / 1000
			if static {
				d = float64(1+r.Intn(3)) / 1000
			}
			end := at.Add(time.Duration(d * float64(time.Second)))
			w.logs.Add("/web/gunicorn", stream, end, fmt.Sprintf(`%s - - [%s] "GET %s HTTP/1.1" 200 %d "-" "Mozilla/5.0" %dms`, req.Client, end.Format("02/Jan/2006:15:04:05 +0000"), p, 3000+r.Intn(40000), int(d*1000)))
			req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = snapgen.Round3(d), 200, "200", 3000+r.Intn(40000)
			latency.Add(at, d)
		}
		lb.Add(r, req)
	})
	w.every(time.Minute, 0, func(at time.Time) {
		b := broken(at.Add(30 * time.Second))
		currConns.Add(at, math.Round(48*(1-b))+2)
		newConns.Add(at, math.Round(3*(1-b)+float64(r.Intn(2))))
		cacheCPU.Add(at, 3+r.Float64()*(1-b)*2)
		dbConns.Add(at, 24+float64(r.Intn(3)))
		ec2CPU.Add(at, 18+r.Float64()*5)
	})
	// Django's periodic housekeeping and nginx's health checks.
	w.every(30*time.Second, 0, func(at time.Time) {
		for _, h := range hosts {
			t := at.Add(snapgen.Jitter(r, 900*time.Millisecond))
			w.logs.Add("/web/gunicorn", h.id+"/gunicorn", t, fmt.Sprintf(`10.0.0.11 - - [%s] "GET /healthz HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0" 1ms`, t.Format("02/Jan/2006:15:04:05 +0000")))
		}
	})

	carol := w.trail.ConsoleUser("carol", onset.Add(-25*time.Minute))
	w.decoy(w.trail.Add(onset.Add(-4*time.Minute-50*time.Second), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", carol, "198.51.100.24", consoleAgent, false,
		map[string]any{"groupId": "sg-0f1e2d3c4b5a69788", "ipPermissions": map[string]any{"items": []map[string]any{{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
			"ipRanges": map[string]any{"items": []map[string]any{{"cidrIp": "198.51.100.24/32", "description": "carol home office"}}}}}}},
		map[string]any{"_return": true, "securityGroupRuleSet": map[string]any{"items": []map[string]any{{"groupId": "sg-0f1e2d3c4b5a69788", "securityGroupRuleId": "sgr-0a9b8c7d6e5f40312", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "198.51.100.24/32", "isEgress": false}}}}))
	rec := w.trail.Add(revokeAt, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", carol, "198.51.100.24", consoleAgent, false,
		map[string]any{"groupId": "sg-0c7d8e9f0a1b2c3d4", "securityGroupRuleIds": map[string]any{"items": []map[string]string{{"securityGroupRuleId": "sgr-04f5e6d7c8b9a0123"}}}},
		map[string]any{"_return": true, "revokedSecurityGroupRuleSet": map[string]any{"items": []map[string]any{{"groupId": "sg-0c7d8e9f0a1b2c3d4", "securityGroupRuleId": "sgr-04f5e6d7c8b9a0123", "ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379, "referencedGroupInfo": map[string]string{"groupId": "sg-0e4a1b2c3d4e5f607", "userId": account}, "isEgress": false}}}})
	w.cause(rec, "sg-0c7d8e9f0a1b2c3d4")
	asg := w.trail.ServiceLinkedRole("AWSServiceRoleForAutoScaling", "AutoScaling", "autoscaling.amazonaws.com")
	run := w.trail.Add(onset.Add(-50*time.Second), "ec2.amazonaws.com", "RunInstances", asg, "autoscaling.amazonaws.com", "autoscaling.amazonaws.com", false,
		map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"minCount": 1, "maxCount": 1}}}, "launchTemplate": map[string]string{"launchTemplateId": "lt-0d1e2f3a4b5c6d7e8", "version": "7"},
			"tagSpecificationSet": map[string]any{"items": []map[string]any{{"resourceType": "instance", "tags": []map[string]string{{"key": "aws:autoscaling:groupName", "value": "batch-workers"}}}}}},
		map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": "i-0e9d8c7b6a5f43210", "instanceType": "c7g.large", "privateIpAddress": "10.0.31.77"}}}})
	w.decoy(run)
	w.trailNoise(5)

	w.alarm(snapgen.Alarm{Name: "web-5xx", Description: "web targets return more than 3 errors a minute for 2 minutes",
		Series: t5xx, Statistic: "Sum", Threshold: 3, Periods: 2})
	w.securityHubControl("EC2.18", "Security groups should only allow unrestricted incoming traffic for authorized ports", "HIGH", "AwsEc2SecurityGroup", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0f1e2d3c4b5a69788", onset.Add(-26*time.Hour))
	w.truth.Signals = []string{"RevokeSecurityGroupIngress", "sg-0c7d8e9f0a1b2c3d4", "Timeout connecting to server", "6379"}
}
