package main

import (
	"fmt"
	"time"
)

// ecsBadDeploy: Jenkins registers checkout-web:143, whose container
// definition lost PAYMENTS_API_URL, and rolls it out with
// minimumHealthyPercent 50. ECS stops half the old tasks at once; the new
// ones crash on boot (KeyError) and are replaced again and again, while the
// two old tasks left drown in traffic.
func ecsBadDeploy() *world {
	w := newWorld("ecs-bad-deploy-missing-env", 3303, "us-east-2", "219384756102", ts("2026-11-05T16:00:00Z"), 75)
	w.title = "checkout 502/504 spike"
	w.arch = "ALB shop-prod-alb → ECS (EC2 capacity provider) service checkout-web (Python 3.12, Flask under gunicorn gthread, 4 tasks) in cluster shop-prod; checkout-worker (Go) consumes SQS order-events. Deploys by Jenkins (IAM user jenkins-ci) with aws-cli: register-task-definition then update-service. Service auto scaling on CPU."
	regTD := ts("2026-11-05T16:41:55Z")
	change := ts("2026-11-05T16:42:03Z")
	stopOld := change.Add(19 * time.Second)
	onset := stopOld.Add(31 * time.Second) // first request on the two survivors
	alarmAt := ts("2026-11-05T16:45:03Z")
	scaleOut := ts("2026-11-05T16:46:41Z")
	lb := "app/shop-prod-alb/b61e03d9f7a24c58"
	w.albName = lb
	tg := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/checkout-web-tg/5a3c8e1f0b7d2946", w.region, w.account)
	old := w.tasks(4)
	survivors := old[2:]
	group := "/ecs/checkout-web"
	stream := func(t ecsTask) string { return "checkout-web/web/" + t.id }
	nodes := []string{"172.31.7.90_ck91xp2a", "172.31.33.14_ck91xp2a", "172.31.80.5_ck91xp2a"}
	gts := func(t time.Time) string { return t.UTC().Format("[2006-01-02 15:04:05 +0000]") }

	paths := []string{"/cart", "/cart/items", "/checkout", "/checkout/shipping", "/checkout/payment", "/static/app.js", "/api/cart/count"}
	for t := w.start; t.Before(w.end); t = t.Add(450*time.Millisecond + w.jitter(900*time.Millisecond)) {
		live := old
		if !t.Before(onset) {
			live = survivors
		}
		task := live[w.r.Intn(len(live))]
		p := paths[w.r.Intn(len(paths))]
		method := "GET"
		if p == "/checkout/payment" || p == "/cart/items" {
			method = "POST"
		}
		dur := time.Duration(25+w.r.Intn(120)) * time.Millisecond
		elb, tgt := "200", "200"
		target := task.ip + ":8000"
		reqT, tgtT, respT := 0.001, dur.Seconds(), 0.0
		overloaded := len(live) == 2 && t.Before(scaleOut.Add(3*time.Minute))
		if overloaded {
			dur = time.Duration(800+w.r.Intn(4000)) * time.Millisecond
			tgtT = dur.Seconds()
			switch x := w.r.Float64(); {
			case x < 0.22:
				elb, tgt, tgtT, respT = "502", "-", -1, -1
				dur = time.Duration(w.r.Intn(30000)) * time.Millisecond
				w.log(group, stream(task), t, fmt.Sprintf("%s [1] [CRITICAL] WORKER TIMEOUT (pid:%d)", gts(t), 8+w.r.Intn(12)))
			case x < 0.30:
				elb, tgt, tgtT, respT = "504", "-", -1, -1
				dur = 60 * time.Second
			}
		}
		if elb == "200" {
			w.log(group, stream(task), t.Add(dur), fmt.Sprintf(`%s - - [%s] "%s %s HTTP/1.1" 200 %d "-" "%s"`, w.ip10(), t.Add(dur).UTC().Format("02/Jan/2006:15:04:05 +0000"), method, p, 300+w.r.Intn(9000), w.pick("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36")))
		}
		sent := 250 + w.r.Intn(9000)
		if elb != "200" {
			sent = 272 // the ALB's own error page
		}
		w.albLog(nodes[w.r.Intn(3)], albReq{t: t.Add(dur), client: w.publicIP() + fmt.Sprintf(":%d", 1024+w.r.Intn(60000)), target: target,
			reqT: reqT, tgtT: tgtT, respT: respT, elbCode: elb, tgtCode: tgt, recv: 500 + w.r.Intn(800), sent: sent,
			method: method, url: "https://shop.brightcart.com:443" + p, proto: "HTTP/2.0", ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
			tg: tg, traceID: w.traceID(t), domain: "shop.brightcart.com"})
	}
	// Old, steady noise on every live task.
	for i, task := range old {
		until := w.end
		if i < 2 {
			until = stopOld.Add(30 * time.Second)
			w.log(group, stream(task), stopOld.Add(31*time.Second), fmt.Sprintf("%s [1] [INFO] Handling signal: term", gts(stopOld.Add(31*time.Second))))
			w.log(group, stream(task), stopOld.Add(32*time.Second), fmt.Sprintf("%s [1] [INFO] Shutting down: Master", gts(stopOld.Add(32*time.Second))))
		}
		w.each(w.start, until, 50*time.Second, func(t time.Time) {
			w.log(group, stream(task), t, fmt.Sprintf("%s [%d] [ERROR] checkout.coupons: coupon service returned 404 for code=%s", gts(t), 8+w.r.Intn(12), w.pick("WELCOME10", "BF2026", "FREESHIP", "VIP15")))
		})
		w.each(w.start, until, 6*time.Minute, func(t time.Time) {
			w.log(group, stream(task), t, fmt.Sprintf("%s [%d] [WARNING] checkout.webhooks: stripe signature mismatch, event evt_%s ignored", gts(t), 8+w.r.Intn(12), w.upperAlnum(24)))
		})
	}
	// Crash loop: each replacement task is a new log stream with a traceback.
	launch := change.Add(24 * time.Second)
	for n := 0; launch.Before(w.end); n++ {
		for k := 0; k < 2; k++ {
			task := w.tasks(1)[0]
			t0 := launch.Add(time.Duration(k)*3*time.Second + w.jitter(4*time.Second))
			s := stream(task)
			lines := []string{
				gts(t0) + " [1] [INFO] Starting gunicorn 22.0.0",
				gts(t0) + " [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
				gts(t0) + " [1] [INFO] Using worker: gthread",
				gts(t0) + " [7] [INFO] Booting worker with pid: 7",
				gts(t0.Add(time.Second)) + " [7] [ERROR] Exception in worker process",
				"Traceback (most recent call last):",
				`  File "/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker`,
				"    worker.init_process()",
				`  File "/usr/local/lib/python3.12/site-packages/gunicorn/workers/gthread.py", line 95, in init_process`,
				"    super().init_process()",
				`  File "/usr/local/lib/python3.12/site-packages/gunicorn/workers/base.py", line 134, in init_process`,
				"    self.load_wsgi()",
				`  File "/usr/local/lib/python3.12/site-packages/gunicorn/app/wsgiapp.py", line 58, in load_wsgi`,
				"    return self.wsgi",
				`  File "/usr/local/lib/python3.12/site-packages/gunicorn/util.py", line 371, in import_app`,
				"    mod = importlib.import_module(module)",
				`  File "/app/checkout/app.py", line 9, in <module>`,
				"    from checkout.config import settings",
				`  File "/app/checkout/config.py", line 23, in <module>`,
				`    PAYMENTS_API_URL = os.environ["PAYMENTS_API_URL"]`,
				"                       ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^",
				`  File "<frozen os>", line 714, in __getitem__`,
				"KeyError: 'PAYMENTS_API_URL'",
				gts(t0.Add(time.Second)) + " [7] [INFO] Worker exiting (pid: 7)",
				gts(t0.Add(2*time.Second)) + " [1] [ERROR] Worker (pid:7) exited with code 3",
				gts(t0.Add(2*time.Second)) + " [1] [ERROR] Shutting down: Master",
				gts(t0.Add(2*time.Second)) + " [1] [ERROR] Reason: Worker failed to boot.",
			}
			for i, l := range lines {
				off := time.Duration(i) * 20 * time.Millisecond
				if i >= 4 {
					off += time.Second
				}
				w.log(group, s, t0.Add(off), l)
			}
		}
		launch = launch.Add(time.Duration(60+n*15)*time.Second + w.jitter(20*time.Second))
	}

	// checkout-worker (Go, logfmt).
	workers := w.tasks(2)
	for _, task := range workers {
		w.each(w.start, w.end, 4*time.Second, func(t time.Time) {
			w.log("/ecs/checkout-worker", "checkout-worker/worker/"+task.id, t, fmt.Sprintf(`time=%s level=INFO msg="processed batch" queue=order-events n=%d took=%dms`, t.UTC().Format(time.RFC3339Nano), 1+w.r.Intn(10), 10+w.r.Intn(200)))
		})
		w.each(w.start, w.end, 2*time.Minute, func(t time.Time) {
			w.log("/ecs/checkout-worker", "checkout-worker/worker/"+task.id, t, fmt.Sprintf(`time=%s level=ERROR msg="invoice email failed" order=ord_%s err="smtp: 451 4.7.1 Greylisted, please try again later"`, t.UTC().Format(time.RFC3339Nano), w.hex(12)))
		})
	}

	// Metrics.
	dimLB := [][2]string{{"LoadBalancer", lb}}
	dimTG := [][2]string{{"TargetGroup", "targetgroup/checkout-web-tg/5a3c8e1f0b7d2946"}, {"LoadBalancer", lb}}
	over := func(t time.Time) float64 {
		if t.Before(onset.Truncate(time.Minute)) || t.After(scaleOut.Add(3*time.Minute)) {
			return 0
		}
		return 1
	}
	w.metric("AWS/ApplicationELB", "RequestCount", dimLB, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(85 + w.r.Intn(20))), true })
	w.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		if over(t) == 0 {
			return stat{}, false
		}
		return countStat(float64(20 + w.r.Intn(12))), true
	})
	w.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		if over(t) == 0 {
			return stat{}, false
		}
		return countStat(float64(15 + w.r.Intn(9))), true
	})
	w.metric("AWS/ApplicationELB", "HealthyHostCount", dimTG, "Count", 60, func(t time.Time) (stat, bool) {
		v := 4.0
		if t.After(stopOld) {
			v = 2
		}
		if t.After(scaleOut.Add(2 * time.Minute)) {
			v = 2 // the scale-out tasks use the same broken revision
		}
		return gaugeStat(v, 0, 3), true
	})
	w.metric("AWS/ApplicationELB", "UnHealthyHostCount", dimTG, "Count", 60, func(t time.Time) (stat, bool) {
		v := 0.0
		if t.After(change.Add(40 * time.Second)) {
			v = float64(w.r.Intn(3))
		}
		return gaugeStat(v, 0, 3), true
	})
	w.metric("AWS/ApplicationELB", "TargetResponseTime", dimTG, "Seconds", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(0.09+over(t)*2.6+w.r.Float64()*0.03, 0.05+over(t)*2, 80), true
	})
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "shop-prod"}, {"ServiceName", "checkout-web"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(34+over(t)*50+w.r.Float64()*6, 5, 4), true
	})
	w.metric("ECS/ContainerInsights", "RunningTaskCount", [][2]string{{"ClusterName", "shop-prod"}, {"ServiceName", "checkout-web"}}, "Count", 60, func(t time.Time) (stat, bool) {
		v := 4.0
		if t.After(stopOld) {
			v = 2 + float64(w.r.Intn(2))
		}
		return gaugeStat(v, 0, 1), true
	})
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", [][2]string{{"QueueName", "order-events"}}, "Count", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(float64(w.r.Intn(30)), 3, 1), true
	})
	w.metric("AWS/ECS", "CPUUtilization", [][2]string{{"ClusterName", "shop-prod"}, {"ServiceName", "checkout-worker"}}, "Percent", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(12+w.r.Float64()*20, 6, 2), true
	})

	w.alarm("checkout-web-elb-5xx", "ELB 5xx on shop-prod-alb", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", dimLB, 60, 2, 20, "GreaterThanOrEqualToThreshold", w.start.Add(-50*time.Hour), alarmAt, 27, fmt.Sprintf("arn:aws:sns:%s:%s:shop-pagerduty", w.region, w.account))
	w.okAlarm("checkout-web-latency-p99", "AWS/ApplicationELB", "TargetResponseTime", "Average", dimTG, 1.5, "GreaterThanThreshold")
	// The decoy alarm edit shows in the alarm history as a configuration update.
	w.history = append(w.history, map[string]any{
		"AlarmName": "checkout-web-latency-p99", "AlarmType": "MetricAlarm", "Timestamp": ts("2026-11-05T16:40:10Z").Format("2006-01-02T15:04:05.000000+00:00"),
		"HistoryItemType": "ConfigurationUpdate", "HistorySummary": "Alarm \"checkout-web-latency-p99\" updated",
		"HistoryData": `{"version":"1.0","type":"Update","updatedAlarm":{"threshold":1.5,"evaluationPeriods":3,"comparisonOperator":"GreaterThanThreshold"},"originalAlarm":{"threshold":2.0,"evaluationPeriods":5,"comparisonOperator":"GreaterThanThreshold"}}`,
	})

	// CloudTrail.
	jenkins := w.iamUser("jenkins-ci", "3.145.220.71", "aws-cli/1.33.10 Python/3.9.18 Linux/5.15.0-1061-aws botocore/1.34.128")
	sre := w.ssoUser("SRE", "p.nakamura@brightcart.com", "73.162.88.201")
	aas := w.serviceRole("AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling", "ecs.application-autoscaling.amazonaws.com")
	ecsSvc := w.serviceRole("AWSServiceRoleForECS", "ecs-service-scheduler", "ecs.amazonaws.com")
	webRole := w.roleActor("checkout-web-task-role", old[0].id, old[0].ip, "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36")
	w.routine(9, []func(time.Time){
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "checkout-web-task-role"),
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "checkout-worker-task-role"),
		w.getSecret(webRole, fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/checkout/stripe-Qw3rTy", w.region, w.account)),
		w.readCall(webRole, "ssm.amazonaws.com", "GetParametersByPath", map[string]any{"path": "/checkout/prod/", "recursive": true, "withDecryption": true}),
		w.readCall(jenkins, "ecs.amazonaws.com", "DescribeServices", map[string]any{"cluster": "shop-prod", "services": []string{w.pick("checkout-web", "checkout-worker", "catalog-web")}}),
		w.readCall(ecsSvc, "elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", map[string]any{"targetGroupArn": tg}),
		w.readCall(ecsSvc, "ec2.amazonaws.com", "DescribeNetworkInterfaces", map[string]any{"networkInterfaceIdSet": map[string]any{}, "filterSet": map[string]any{}}),
		w.putMetricData(webRole, "checkout"),
		w.ecrAuth(w.roleActor("ecsInstanceRole", "i-0"+w.hex(16), "172.31.40.12", "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64)")),
		w.createLogStream(serviceActor("ecs.amazonaws.com"), "/ecs/checkout-worker"),
	})
	// Decoy: SRE adds a scaling policy to checkout-worker.
	w.call(ts("2026-11-05T16:37:30Z"), sre, ct{source: "application-autoscaling.amazonaws.com", name: "PutScalingPolicy",
		req:  map[string]any{"policyName": "checkout-worker-queue-depth", "serviceNamespace": "ecs", "resourceId": "service/shop-prod/checkout-worker", "scalableDimension": "ecs:service:DesiredCount", "policyType": "TargetTrackingScaling", "targetTrackingScalingPolicyConfiguration": map[string]any{"targetValue": 100.0, "customizedMetricSpecification": map[string]any{"metricName": "ApproximateNumberOfMessagesVisible", "namespace": "AWS/SQS", "dimensions": []any{map[string]any{"name": "QueueName", "value": "order-events"}}, "statistic": "Average"}}},
		resp: map[string]any{"policyARN": fmt.Sprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:resource/ecs/service/shop-prod/checkout-worker:policyName/checkout-worker-queue-depth", w.region, w.account, w.uuid())}})
	// Decoy: SRE tightens a similarly named alarm.
	w.call(ts("2026-11-05T16:40:10Z"), sre, ct{source: "monitoring.amazonaws.com", name: "PutMetricAlarm",
		req: map[string]any{"alarmName": "checkout-web-latency-p99", "metricName": "TargetResponseTime", "namespace": "AWS/ApplicationELB", "statistic": "Average", "period": 60, "evaluationPeriods": 3, "threshold": 1.5, "comparisonOperator": "GreaterThanThreshold", "actionsEnabled": true, "alarmActions": []string{fmt.Sprintf("arn:aws:sns:%s:%s:ops-low-priority", w.region, w.account)}}})
	// Root cause pair: the new revision and the rollout.
	env := []any{map[string]any{"name": "DJANGO_SETTINGS_MODULE", "value": "checkout.settings.prod"}, map[string]any{"name": "ORDERS_QUEUE_URL", "value": fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/order-events", w.region, w.account)}, map[string]any{"name": "LOG_LEVEL", "value": "INFO"}, map[string]any{"name": "GUNICORN_CMD_ARGS", "value": "--workers 3 --threads 4 --timeout 30"}}
	w.call(regTD, jenkins, ct{source: "ecs.amazonaws.com", name: "RegisterTaskDefinition",
		req: map[string]any{"family": "checkout-web", "taskRoleArn": fmt.Sprintf("arn:aws:iam::%s:role/checkout-web-task-role", w.account), "executionRoleArn": fmt.Sprintf("arn:aws:iam::%s:role/ecsTaskExecutionRole", w.account), "networkMode": "bridge",
			"containerDefinitions": []any{map[string]any{"name": "web", "image": w.account + ".dkr.ecr.us-east-2.amazonaws.com/checkout-web:2026.11.05-1638-a3f9e21", "cpu": 512, "memoryReservation": 768, "portMappings": []any{map[string]any{"containerPort": 8000, "hostPort": 0, "protocol": "tcp"}}, "essential": true, "environment": env,
				"secrets":          []any{map[string]any{"name": "STRIPE_API_KEY", "valueFrom": fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:prod/checkout/stripe-Qw3rTy", w.region, w.account)}},
				"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{"awslogs-group": "/ecs/checkout-web", "awslogs-region": w.region, "awslogs-stream-prefix": "checkout-web"}}}}},
		resp: map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/checkout-web:143", w.region, w.account), "family": "checkout-web", "revision": 143, "status": "ACTIVE"}}})
	w.call(change, jenkins, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "shop-prod", "service": "checkout-web", "taskDefinition": "checkout-web:143", "deploymentConfiguration": map[string]any{"maximumPercent": 200, "minimumHealthyPercent": 50}, "forceNewDeployment": false},
		resp: map[string]any{"service": map[string]any{"serviceArn": fmt.Sprintf("arn:aws:ecs:%s:%s:service/shop-prod/checkout-web", w.region, w.account), "serviceName": "checkout-web", "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/checkout-web:143", w.region, w.account), "desiredCount": 4, "runningCount": 4, "deploymentConfiguration": map[string]any{"deploymentCircuitBreaker": map[string]any{"enable": false, "rollback": false}, "maximumPercent": 200, "minimumHealthyPercent": 50}}}})
	// ECS itself registers/deregisters targets for the rollout.
	for i, t := range []time.Time{stopOld, stopOld.Add(time.Second)} {
		w.call(t, ecsSvc, ct{source: "elasticloadbalancing.amazonaws.com", name: "DeregisterTargets",
			req: map[string]any{"targetGroupArn": tg, "targets": []any{map[string]any{"id": "i-0" + w.hex(16), "port": 32768 + i*7}}}})
	}
	// Decoy: service auto scaling adds tasks (same API, same service, later).
	w.call(scaleOut, aas, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "shop-prod", "service": "checkout-web", "desiredCount": 6},
		resp: map[string]any{"service": map[string]any{"serviceName": "checkout-web", "desiredCount": 6, "runningCount": 2, "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/checkout-web:143", w.region, w.account)}}})
	// An earlier, healthy Jenkins deploy of another service.
	w.call(ts("2026-11-05T16:12:44Z"), jenkins, ct{source: "ecs.amazonaws.com", name: "UpdateService",
		req:  map[string]any{"cluster": "shop-prod", "service": "catalog-web", "taskDefinition": "catalog-web:391"},
		resp: map[string]any{"service": map[string]any{"serviceName": "catalog-web", "desiredCount": 3, "taskDefinition": fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/catalog-web:391", w.region, w.account)}}})

	w.truth = map[string]any{
		"name": w.name, "kind": "deploy", "alarm": "checkout-web-elb-5xx",
		"root_cause": map[string]any{"event_name": "UpdateService", "event_time": change, "resource": "checkout-web"},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "PutScalingPolicy", "event_time": ts("2026-11-05T16:37:30Z")},
			{"event_name": "PutMetricAlarm", "event_time": ts("2026-11-05T16:40:10Z")},
			{"event_name": "UpdateService", "event_time": scaleOut},
			{"event_name": "UpdateService", "event_time": ts("2026-11-05T16:12:44Z")},
		},
		"signals": []string{"UpdateService", "checkout-web:143", "KeyError: 'PAYMENTS_API_URL'", "Worker failed to boot"},
	}
	return w
}
