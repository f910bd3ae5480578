package main

import (
	"fmt"
	"math"
	"time"
)

// saasThrottle: nothing changed in the account. A Black Friday campaign
// grows the email volume gradually; once notify-email-sender's sends pass
// the SendGrid API key's rate limit (300/min), SendGrid answers 429 Too
// Many Requests, in-function retries stretch durations, messages return
// to notify-email-jobs and, after five receives, land in the DLQ. Decoys:
// CI deployed notify-email-sender itself ten minutes before the first 429;
// a person changed another queue's visibility timeout five minutes before.
func saasThrottle(s *snap) {
	s.region, s.account = "us-east-2", "591837264055"
	s.start = time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
	s.end = s.start.Add(2 * time.Hour)
	s.title = "order confirmation emails delayed, DLQ filling"
	s.arch = "campaign-scheduler (ECS, Python) and checkout enqueue email jobs on SQS notify-email-jobs (visibility 60 s, maxReceiveCount 5, DLQ notify-email-jobs-dlq). Lambda notify-email-sender (nodejs20.x, batch 50, 5 s batching window, partial batch responses) sends each through the SendGrid v3 API (api.sendgrid.com, over NAT). X-Ray active tracing."

	fn := "notify-email-sender"
	fnArn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.region, s.account, fn)
	ci := s.role("circleci-deployer", "circleci-"+s.hex(8), "34.75.62.201", "aws-sdk-js/3.699.0 ua/2.1 os/linux#5.15.0-1057-aws lang/js md/nodejs#20.18.1 api/lambda#3.699.0 m/E,N serverless-framework/4.4.14")
	dev := s.sso("PlatformEngineer", "jordan.alvarez@shopwell.com", "98.207.33.140")
	mkt := s.sso("ReadOnly", "hannah.ivers@shopwell.com", "98.207.33.151")
	s.noise(noiseCfg{ci: ci, humans: []principal{dev, mkt}, lambdaRoles: []string{"notify-email-sender-role", "order-events-role", "image-resizer-role"}, taskRoles: []string{"campaign-scheduler-task", "checkout-task"},
		ecrRepos: []string{"checkout", "campaign-scheduler", "storefront"}, logGroups: []string{"/aws/lambda/notify-email-sender", "/aws/lambda/order-events"},
		instances: []string{"i-0b5e2d8a1c7f93046", "i-04f1a9c3e6b2d7085", "i-0e7c1b4a9d2f36581"}, secretReads: []string{"prod/notify/sendgrid-api-key", "prod/checkout/db"}, monitoring: true, eventsPerMin: 8})
	// Routine autoscaling of the storefront fleet for the campaign.
	asg := s.svcRole("AWSServiceRoleForAutoScaling", "AutoScaling", "autoscaling.amazonaws.com")
	for _, m := range []int{12, 38, 61, 84} {
		s.event(s.start.Add(time.Duration(m)*time.Minute+41*time.Second), asg, "ec2.amazonaws.com", "RunInstances", false,
			map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{"imageId": "ami-0c9f1e2d3b4a59687", "minCount": 1, "maxCount": 1}}}, "instanceType": "c7g.xlarge", "launchTemplate": map[string]any{"launchTemplateId": "lt-0a1b2c3d4e5f60718", "version": "14"}},
			map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{"instanceId": "i-0" + s.hex(16), "instanceState": map[string]any{"code": 0, "name": "pending"}}}}})
	}

	limit := 300.0
	base, slope, rampFrom := 120.0, 5.2, s.start.Add(-20*time.Minute)
	demand := func(t time.Time) float64 {
		v := base * (1 + 0.05*math.Sin(float64(t.Unix())/600))
		if t.After(rampFrom) {
			v += math.Min(slope*t.Sub(rampFrom).Minutes(), 300)
		}
		return v
	}
	// Minute-level queue model: messages by receive count.
	type bucket struct{ n [6]float64 }
	var q bucket
	sent, recv, visible, age, dlqVis, deleted, throttled, durs, inv, landing := series{}, series{}, series{}, series{}, series{}, series{}, series{}, series{}, series{}, series{}
	dlq := 0.0
	var first429 time.Time
	oldestSince := time.Time{}
	lg := "/aws/lambda/" + fn
	deployAt := time.Date(2026, 11, 26, 14, 2, 27, 0, time.UTC)
	streams := []string{s.start.Format("2006/01/02") + "/[41]" + s.hex(32), s.start.Format("2006/01/02") + "/[41]" + s.hex(32)}
	s.sim(time.Minute, func(t time.Time) {
		newMsgs := float64(s.poisson(demand(t)))
		sent.add(t, newMsgs)
		landing.add(t, float64(s.poisson(demand(t)*9.5)))
		avail := newMsgs
		for i := range q.n {
			avail += q.n[i]
		}
		ok := math.Min(avail, limit+float64(s.rng.Intn(8)))
		failFrac := 0.0
		if avail > 0 {
			failFrac = (avail - ok) / avail
		}
		var next bucket
		// receive count 1 for new messages, i+1 for retried ones
		moveFailed := func(rc int, n float64) {
			f := n * failFrac
			if rc >= 5 {
				dlq += f
			} else {
				next.n[rc] += f
			}
		}
		moveFailed(1, newMsgs)
		for i := 1; i < 5; i++ {
			moveFailed(i+1, q.n[i])
		}
		q = next
		recv.add(t, avail)
		deleted.add(t, ok)
		nThr := math.Round((avail - ok) * 3)
		throttled.add(t, nThr)
		if nThr > 0 && first429.IsZero() && !t.Before(s.start) {
			first429 = t
		}
		backlog := 0.0
		for i := range q.n {
			backlog += q.n[i]
		}
		visible.add(t, math.Round(backlog))
		if backlog >= 1 {
			if oldestSince.IsZero() {
				oldestSince = t
			}
			age.add(t, t.Sub(oldestSince).Seconds()+60)
		} else {
			oldestSince = time.Time{}
			age.add(t, float64(20+s.rng.Intn(25)))
		}
		dlqVis.add(t, math.Floor(dlq))
		batches := int(math.Ceil(avail / 50))
		inv.add(t, float64(batches))
		// Durations: ~1.1 s a batch; throttled sends back off 1 s then 2 s.
		for b := 0; b < batches; b++ {
			d := s.lognormal(1100, 0.2)
			thr := 0
			for i := 0; i < 50; i++ {
				if s.rng.Float64() < failFrac {
					thr++
				}
			}
			if thr > 0 {
				d += 3000 + s.rng.Float64()*900
			}
			durs.add(t, d)
			if t.Before(s.start) {
				continue
			}
			at := s.jitter(t, time.Minute)
			rid := s.uuid()
			ver := "41"
			if at.After(deployAt.Add(20 * time.Second)) {
				ver = "42"
			}
			st := streams[s.rng.Intn(len(streams))]
			pino := func(at time.Time, level int, msg string, kv map[string]any) {
				m := map[string]any{"level": level, "time": at.UnixMilli(), "pid": 8, "hostname": "169.254.76.1", "awsRequestId": rid, "msg": msg, "version": ver}
				for k, v := range kv {
					m[k] = v
				}
				s.log(lg, st, at, mustJSON(m))
			}
			s.log(lg, st, at, "START RequestId: "+rid+" Version: "+ver)
			if thr > 0 {
				// One line per batch: the first error and how many sends gave up.
				ts := at.Add(time.Duration(3000+s.rng.Intn(800)) * time.Millisecond)
				pino(ts, 40, "sendgrid send failed, returning messages to queue", map[string]any{"failed": thr, "messageId": s.uuid(), "template": "order-confirmation", "host": "api.sendgrid.com", "attempts": 3,
					"err": map[string]any{"type": "ResponseError", "message": "Too Many Requests", "code": 429, "stack": "ResponseError: Too Many Requests\n    at /var/task/node_modules/@sendgrid/client/src/classes/client.js:167:29\n    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
						"response": map[string]any{"headers": map[string]any{"x-ratelimit-limit": "300", "x-ratelimit-remaining": "0", "x-ratelimit-reset": fmt.Sprint(ts.Truncate(time.Minute).Add(time.Minute).Unix())}, "body": map[string]any{"errors": []any{map[string]any{"field": nil, "message": "too many requests"}}}}}})
			}
			if s.rng.Intn(15) == 0 {
				pino(at.Add(400*time.Millisecond), 50, "sendgrid send failed, dropping message", map[string]any{"messageId": s.uuid(), "template": "order-confirmation", "host": "api.sendgrid.com",
					"err": map[string]any{"type": "ResponseError", "message": "Bad Request", "code": 400, "response": map[string]any{"body": map[string]any{"errors": []any{map[string]any{"field": "from", "message": "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements"}}}}}})
			}
			pino(at.Add(time.Duration(d)*time.Millisecond), 30, "batch done", map[string]any{"received": 50, "sent": 50 - thr, "batchItemFailures": thr})
			s.log(lg, st, at.Add(time.Duration(d+1)*time.Millisecond), "END RequestId: "+rid)
			s.log(lg, st, at.Add(time.Duration(d+2)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", rid, d, int(d)+1, 120+s.rng.Intn(40)))
			if s.rng.Intn(3) == 0 {
				tid := s.traceID(at)
				lid, fid := s.hex(16), s.hex(16)
				end := at.Add(time.Duration(d) * time.Millisecond)
				var subs []map[string]any
				cur := at.Add(30 * time.Millisecond)
				for i := 0; i < 4; i++ {
					status := 202
					if i < thr {
						status = 429
					}
					e := cur.Add(time.Duration(120+s.rng.Intn(90)) * time.Millisecond)
					sub := map[string]any{"id": s.hex(16), "name": "api.sendgrid.com", "namespace": "remote", "start_time": epoch(cur), "end_time": epoch(e),
						"http": map[string]any{"request": map[string]any{"url": "https://api.sendgrid.com/v3/mail/send", "method": "POST"}, "response": map[string]any{"status": status, "content_length": 0}}}
					if status == 429 {
						sub["throttle"], sub["error"] = true, true
					}
					subs = append(subs, sub)
					cur = e
				}
				s.trace(tid,
					map[string]any{"id": lid, "name": fn, "origin": "AWS::Lambda", "start_time": epoch(at), "end_time": epoch(end), "http": map[string]any{"response": map[string]any{"status": 200}}, "aws": map[string]any{"request_id": rid}},
					map[string]any{"id": fid, "parent_id": lid, "name": fn, "origin": "AWS::Lambda::Function", "start_time": epoch(at.Add(5 * time.Millisecond)), "end_time": epoch(end), "subsegments": subs, "aws": map[string]any{"function_arn": fnArn}})
			}
		}
	})

	// campaign-scheduler: structlog key=value lines showing the ramp.
	cg := "/ecs/campaign-scheduler"
	s.every(time.Minute, func(t time.Time) {
		at := t.Add(time.Duration(2+s.rng.Intn(5)) * time.Second)
		s.log(cg, "campaign-scheduler/app/"+"5d1e0c7b9a2f4e83b6c1d0a9e8f7b6c5", at, fmt.Sprintf("%s [info     ] enqueued email jobs            campaign=bf-2026-early-access segment=%s queued=%d queue=notify-email-jobs", at.Format("2006-01-02T15:04:05.000000Z"), s.pick("vip", "lapsed-90d", "newsletter-a", "newsletter-b"), int(sent.sum(t)*0.7)))
		if s.rng.Intn(15) == 0 {
			s.log(cg, "campaign-scheduler/app/"+"5d1e0c7b9a2f4e83b6c1d0a9e8f7b6c5", at.Add(time.Second), fmt.Sprintf("%s [warning  ] segment query slow             segment=lapsed-90d elapsed_ms=%d", at.Format("2006-01-02T15:04:05.000000Z"), 4000+s.rng.Intn(3000)))
		}
	})

	// The decoys: the same function's deploy ten minutes before the first 429, another queue's attribute.
	nRes := [2]string{"AWS::Lambda::Function", fnArn}
	cfg := map[string]any{"functionName": fn, "functionArn": fnArn, "runtime": "nodejs20.x", "timeout": 60, "memorySize": 512, "version": "$LATEST", "state": "Active", "lastUpdateStatus": "InProgress", "codeSha256": "c1H0mZP9f3vKq2L4wYt8bR6nA5sE7uD0gJ1xW3oT9iQ="}
	s.event(deployAt, ci, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, map[string]any{"functionName": fn, "s3Bucket": "shopwell-serverless-deploys-us-east-2", "s3Key": "serverless/notify/prod/1764168012000-2026-11-26T14:40:12.000Z/notify.zip", "publish": false}, cfg, nRes)
	s.event(deployAt.Add(6*time.Second), ci, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", false, map[string]any{"functionName": fn, "environment": map[string]any{"variables": "HIDDEN_DUE_TO_SECURITY_REASONS"}, "timeout": 60, "memorySize": 512}, cfg, nRes)
	s.event(deployAt.Add(14*time.Second), ci, "lambda.amazonaws.com", "PublishVersion20150331", false, map[string]any{"functionName": fn, "codeSha256": "c1H0mZP9f3vKq2L4wYt8bR6nA5sE7uD0gJ1xW3oT9iQ="}, map[string]any{"functionName": fn, "version": "42"}, nRes)
	s.event(deployAt.Add(17*time.Second), ci, "cloudformation.amazonaws.com", "UpdateStack", false, map[string]any{"stackName": "notify-prod", "capabilities": []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}}, map[string]any{"stackId": fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/notify-prod/%s", s.region, s.account, s.uuid())})
	sqsAt := first429.Add(-5*time.Minute + 12*time.Second)
	qurl := fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/billing-events", s.region, s.account)
	s.event(sqsAt, dev, "sqs.amazonaws.com", "SetQueueAttributes", false, map[string]any{"queueUrl": qurl, "attributes": map[string]any{"VisibilityTimeout": "180"}}, nil, [2]string{"AWS::SQS::Queue", fmt.Sprintf("arn:aws:sqs:%s:%s:billing-events", s.region, s.account)})
	s.event(sqsAt.Add(-40*time.Second), dev, "sqs.amazonaws.com", "GetQueueAttributes", true, map[string]any{"queueUrl": qurl, "attributeNames": []string{"All"}}, nil)

	qd := [][2]string{{"QueueName", "notify-email-jobs"}}
	dd := [][2]string{{"QueueName", "notify-email-jobs-dlq"}}
	g := func(m series) func(t time.Time) (dp, bool) {
		return func(t time.Time) (dp, bool) { v := m.sum(t); return gauge(1, v, v, v), true }
	}
	s.metric("AWS/SQS", "NumberOfMessagesSent", qd, "Count", g(sent))
	s.metric("AWS/SQS", "NumberOfMessagesReceived", qd, "Count", g(recv))
	s.metric("AWS/SQS", "NumberOfMessagesDeleted", qd, "Count", g(deleted))
	s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", qd, "Count", g(visible))
	s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", qd, "Seconds", g(age))
	s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dd, "Count", g(dlqVis))
	fd := [][2]string{{"FunctionName", fn}}
	s.metric("AWS/Lambda", "Invocations", fd, "Count", inv.countDP)
	s.metric("AWS/Lambda", "Errors", fd, "Count", func(t time.Time) (dp, bool) { return dp{n: inv.sum(t)}, inv.sum(t) > 0 })
	s.metric("AWS/Lambda", "Duration", fd, "Milliseconds", durs.statDP)
	s.metric("AWS/ApplicationELB", "RequestCount", [][2]string{{"LoadBalancer", "app/storefront-prod/0e4d7c2b9a1f3e58"}}, "Count", landing.countDP)

	fired, recent := firstBreach(dlqVis.sum, s.start, s.end, 1, 1, 0, false, 35*time.Second)
	s.alarm(alarmSpec{name: "notify-email-jobs-dlq-not-empty", desc: "Messages in notify-email-jobs-dlq: emails are failing permanently", ns: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", stat: "Maximum", op: "GreaterThanThreshold",
		dims: dd, period: 60, evals: 1, toAlarm: 1, threshold: 0, firedAt: fired, recent: recent, actions: []string{"arn:aws:sns:us-east-2:591837264055:notify-alerts"}})
	s.okAlarm("notify-email-sender-errors", "AWS/Lambda", "Errors", "Sum", "GreaterThanThreshold", fd, 5)
	s.okAlarm("storefront-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold", [][2]string{{"LoadBalancer", "app/storefront-prod/0e4d7c2b9a1f3e58"}}, 50)
	s.responders(dev, fired)

	s.truth = map[string]any{"name": s.name, "kind": "upstream-throttling", "alarm": "notify-email-jobs-dlq-not-empty", "no_change": true,
		"onset": iso(first429),
		"decoys": []map[string]any{
			{"event_name": "UpdateFunctionCode20150331v2", "event_time": iso(deployAt)},
			{"event_name": "UpdateFunctionConfiguration20150331v2", "event_time": iso(deployAt.Add(6 * time.Second))},
			{"event_name": "UpdateStack", "event_time": iso(deployAt.Add(17 * time.Second))},
			{"event_name": "SetQueueAttributes", "event_time": iso(sqsAt)},
		},
		"signals": []string{"Too Many Requests", fn}}
}
