package main

import (
	"fmt"
	"time"
)

// consumerASGScaledToZero: an ops engineer sets min 0 / desired 0 on the
// production shipment consumer group from the CLI (meant for staging).
// Auto Scaling terminates the three consumers; nothing errors, the queue
// just grows and the age-of-oldest-message alarm fires 17 minutes later.
func consumerASGScaledToZero() *world {
	w := newWorld("consumer-asg-scaled-to-zero", 8808, "eu-west-2", "829104756318", ts("2026-06-10T10:00:00Z"), 110)
	w.title = "shipments not being created, label backlog"
	w.arch = "order-service (Node.js, ECS) publishes ShipmentRequested messages to SQS queue shipment-events; Auto Scaling group shipment-consumer-asg (EC2, Spring Boot consumers, logs via CloudWatch agent to /shipment/consumer) creates carrier labels; failed messages go to shipment-events-dlq after 5 receives. Staging has shipment-consumer-asg-stg in the same account. label-printer-asg scales on a schedule."
	change := ts("2026-06-10T10:58:33Z")
	onset := ts("2026-06-10T10:59:08Z")
	alarmAt := ts("2026-06-10T11:16:00Z")
	consumers := []struct{ id, ip string }{{"i-0a4f7c2e9b1d83506", "10.40.1.77"}, {"i-0d2b8e6f4a1c97053", "10.40.2.15"}, {"i-06e9c1a3f7b2d4805", "10.40.3.201"}}
	cg := "/shipment/consumer"
	jts := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000") }

	for i, c := range consumers {
		stop := onset.Add(-time.Duration(i*9) * time.Second)
		w.each(w.start, stop, 3*time.Second, func(t time.Time) {
			w.log(cg, c.id, t, fmt.Sprintf("%s  INFO 2231 --- [sqs-poller-%d] c.f.shipping.ShipmentConsumer          : processed batch size=%d queue=shipment-events in %d ms", jts(t), 1+w.r.Intn(4), 1+w.r.Intn(10), 80+w.r.Intn(400)))
		})
		w.each(w.start, stop, 35*time.Second, func(t time.Time) {
			w.log(cg, c.id, t, fmt.Sprintf("%s ERROR 2231 --- [sqs-poller-%d] c.f.shipping.carrier.CarrierClient      : label create failed for shp_%s: HTTP 429 Too Many Requests from api.parcelroute.co.uk, leaving message for redelivery (receive count %d)", jts(t), 1+w.r.Intn(4), w.hex(10), 1+w.r.Intn(4)))
		})
		w.each(w.start, stop, 6*time.Minute, func(t time.Time) {
			w.log(cg, c.id, t, fmt.Sprintf("%s  WARN 2231 --- [sqs-poller-%d] c.f.shipping.ShipmentConsumer          : extending visibility of %d in-flight messages by 120 s (carrier slow)", jts(t), 1+w.r.Intn(4), 1+w.r.Intn(5)))
		})
		w.log(cg, c.id, stop.Add(400*time.Millisecond), fmt.Sprintf("%s  INFO 2231 --- [ionShutdownHook] o.s.b.w.e.tomcat.GracefulShutdown        : Commencing graceful shutdown. Waiting for active requests to complete", jts(stop.Add(400*time.Millisecond))))
		w.log(cg, c.id, stop.Add(900*time.Millisecond), fmt.Sprintf("%s  INFO 2231 --- [tomcat-shutdown] o.s.b.w.e.tomcat.GracefulShutdown        : Graceful shutdown complete", jts(stop.Add(900*time.Millisecond))))
		w.log(cg, c.id, stop.Add(1100*time.Millisecond), fmt.Sprintf("%s  INFO 2231 --- [ionShutdownHook] c.f.shipping.ShipmentConsumer          : stopped %d SQS pollers", jts(stop.Add(1100*time.Millisecond)), 4))
	}
	// order-service keeps publishing (winston JSON).
	for t := w.start; t.Before(w.end); t = t.Add(700*time.Millisecond + w.jitter(1400*time.Millisecond)) {
		w.log("/ecs/order-service", "order-service/app/3c9e1a7f5b2d48069e1f3a5c7b9d2e40", t, fmt.Sprintf(`{"level":"info","message":"published ShipmentRequested","orderId":"ord_%s","shipmentId":"shp_%s","queue":"shipment-events","timestamp":"%s"}`, w.hex(10), w.hex(10), t.UTC().Format("2006-01-02T15:04:05.000Z")))
	}
	w.each(w.start, w.end, 2*time.Minute, func(t time.Time) {
		w.log("/ecs/order-service", "order-service/app/3c9e1a7f5b2d48069e1f3a5c7b9d2e40", t, fmt.Sprintf(`{"level":"error","message":"address validation failed","orderId":"ord_%s","error":"Request failed with status code 422","timestamp":"%s"}`, w.hex(10), t.UTC().Format("2006-01-02T15:04:05.000Z")))
	})
	// label-printer (Python) scales up on its schedule at 11:00.
	lp := []string{"i-0c7a2e4f6b8d13590", "i-09b1d3f5a7c2e4680"}
	lpNew := []string{"i-0e3f5a7c9b1d24681", "i-01a3c5e7f9b2d4683"}
	for _, id := range append(lp, lpNew...) {
		from := w.start
		if id == lpNew[0] || id == lpNew[1] {
			from = ts("2026-06-10T11:02:10Z")
			w.log("/label-printer/app", id, from, from.UTC().Format("2006-01-02 15:04:05,000")+" INFO label_printer.main: worker started, polling print-jobs")
		}
		w.each(from, w.end, 25*time.Second, func(t time.Time) {
			w.log("/label-printer/app", id, t, fmt.Sprintf("%s INFO label_printer.worker: printed %d labels on zebra-%02d", t.UTC().Format("2006-01-02 15:04:05,000"), 1+w.r.Intn(8), 1+w.r.Intn(12)))
		})
		w.each(from, w.end, 5*time.Minute, func(t time.Time) {
			w.log("/label-printer/app", id, t, fmt.Sprintf("%s WARNING label_printer.worker: printer zebra-%02d offline, job requeued", t.UTC().Format("2006-01-02 15:04:05,000"), 1+w.r.Intn(12)))
		})
	}

	// Metrics (SQS at 1-minute resolution).
	q := [][2]string{{"QueueName", "shipment-events"}}
	stopped := func(t time.Time) bool { return !t.Before(onset.Truncate(time.Minute).Add(time.Minute)) }
	sent := func() float64 { return float64(48 + w.r.Intn(14)) }
	w.metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", 60, func(t time.Time) (stat, bool) { return countStat(sent()), true })
	w.metric("AWS/SQS", "NumberOfMessagesReceived", q, "Count", 60, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return countStat(0), true
		}
		return countStat(sent() + 4), true
	})
	w.metric("AWS/SQS", "NumberOfMessagesDeleted", q, "Count", 60, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return countStat(0), true
		}
		return countStat(sent() - 1), true
	})
	w.metric("AWS/SQS", "NumberOfEmptyReceives", q, "Count", 60, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return countStat(0), true
		}
		return countStat(float64(150 + w.r.Intn(40))), true
	})
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", 60, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return gaugeStat(float64(t.Sub(onset).Minutes())*54, 20, 1), true
		}
		return gaugeStat(float64(3+w.r.Intn(20)), 4, 1), true
	})
	w.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", 60, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return gaugeStat(t.Sub(onset).Seconds(), 0, 1), true
		}
		return gaugeStat(float64(20+w.r.Intn(200)), 0, 1), true // 429 retries linger
	})
	w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", [][2]string{{"QueueName", "shipment-events-dlq"}}, "Count", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(float64(212+int(t.Sub(w.start).Minutes()/9)), 0, 1), true
	})
	asgDim := func(n string) [][2]string { return [][2]string{{"AutoScalingGroupName", n}} }
	w.metric("AWS/AutoScaling", "GroupInServiceInstances", asgDim("shipment-consumer-asg"), "None", 60, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return gaugeStat(0, 0, 1), true
		}
		return gaugeStat(3, 0, 1), true
	})
	w.metric("AWS/AutoScaling", "GroupDesiredCapacity", asgDim("shipment-consumer-asg"), "None", 60, func(t time.Time) (stat, bool) {
		if !t.Before(change.Truncate(time.Minute)) {
			return gaugeStat(0, 0, 1), true
		}
		return gaugeStat(3, 0, 1), true
	})
	w.metric("AWS/AutoScaling", "GroupDesiredCapacity", asgDim("label-printer-asg"), "None", 60, func(t time.Time) (stat, bool) {
		if !t.Before(ts("2026-06-10T11:00:00Z")) {
			return gaugeStat(4, 0, 1), true
		}
		return gaugeStat(2, 0, 1), true
	})
	w.metric("AWS/EC2", "CPUUtilization", asgDim("shipment-consumer-asg"), "Percent", 300, func(t time.Time) (stat, bool) {
		if stopped(t) {
			return stat{}, false
		}
		return gaugeStat(28+w.r.Float64()*8, 6, 3), true
	})
	w.metric("AWS/EC2", "CPUUtilization", asgDim("label-printer-asg"), "Percent", 300, func(t time.Time) (stat, bool) {
		return gaugeStat(44+w.r.Float64()*10, 8, 2), true
	})

	w.alarm("shipment-events-age", "oldest shipment message older than 15 minutes", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", q, 60, 1, 900, "GreaterThanThreshold", w.start.Add(-9*24*time.Hour), alarmAt, 932, fmt.Sprintf("arn:aws:sns:%s:%s:fulfilment-oncall", w.region, w.account))
	w.okAlarm("shipment-events-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", [][2]string{{"QueueName", "shipment-events-dlq"}}, 500, "GreaterThanThreshold")
	w.okAlarm("order-service-errors", "AWS/Logs", "IncomingLogEvents", "Sum", [][2]string{{"LogGroupName", "/ecs/order-service"}}, 100000, "GreaterThanThreshold")

	// CloudTrail.
	ops := w.ssoCLI("OpsEngineer", "k.ahmed@fernway.co.uk", "86.12.205.77")
	ops.ua = "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0-35-generic md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#autoscaling.update-auto-scaling-group"
	ops2 := w.ssoUser("OpsEngineer", "e.brennan@fernway.co.uk", "81.108.33.140")
	ci := w.roleActor("gitlab-ci-infra", "gitlab-ci-"+fmt.Sprint(88123451), "35.231.145.151", "APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.53.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.27.2 ua/2.0 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.163.0")
	asg := w.serviceRole("AWSServiceRoleForAutoScaling", "AutoScaling", "autoscaling.amazonaws.com")
	cons := w.roleActor("shipment-consumer-instance-role", consumers[0].id, consumers[0].ip, "aws-sdk-java/2.25.60 Linux/6.1.92-99.174.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. io/async http/NettyNio cfg/retry-mode/legacy")
	w.routine(7, []func(time.Time){
		w.assumeRoleBySvc("ec2.amazonaws.com", "shipment-consumer-instance-role"),
		w.assumeRoleBySvc("ecs-tasks.amazonaws.com", "order-service-task-role"),
		w.readCall(asg, "ec2.amazonaws.com", "DescribeInstanceStatus", map[string]any{"instancesSet": map[string]any{}, "filterSet": map[string]any{}, "includeAllInstances": false}),
		w.readCall(ops, "autoscaling.amazonaws.com", "DescribeAutoScalingGroups", map[string]any{"autoScalingGroupNames": []string{w.pick("shipment-consumer-asg", "shipment-consumer-asg-stg")}}),
		w.readCall(ci, "ec2.amazonaws.com", "DescribeLaunchTemplateVersions", map[string]any{"DescribeLaunchTemplateVersionsRequest": map[string]any{"LaunchTemplateName": "shipment-consumer-lt"}}),
		w.readCall(cons, "sqs.amazonaws.com", "GetQueueAttributes", map[string]any{"queueUrl": fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/shipment-events", w.region, w.account), "attributeNames": []string{"ApproximateNumberOfMessages"}}),
		w.putMetricData(cons, "CWAgent"),
		w.decrypt(cons, "7d6c5b4a-3928-4716-a5b4-c3d2e1f0a9b8", map[string]any{"aws:sqs:arn": fmt.Sprintf("arn:aws:sqs:%s:%s:shipment-events", w.region, w.account)}),
	})
	// Decoy: Terraform publishes a new launch template version (no instance refresh).
	w.call(ts("2026-06-10T10:49:14Z"), ci, ct{source: "ec2.amazonaws.com", name: "CreateLaunchTemplateVersion",
		req:  map[string]any{"CreateLaunchTemplateVersionRequest": map[string]any{"LaunchTemplateId": "lt-0b5e7a9c1d3f24680", "SourceVersion": "11", "LaunchTemplateData": map[string]any{"ImageId": "ami-0e8d4c2a6b1f37950"}}},
		resp: map[string]any{"CreateLaunchTemplateVersionResponse": map[string]any{"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": w.uuid(), "launchTemplateVersion": map[string]any{"launchTemplateId": "lt-0b5e7a9c1d3f24680", "launchTemplateName": "shipment-consumer-lt", "versionNumber": 12, "defaultVersion": false}}}})
	// Decoy: another engineer schedules label-printer capacity.
	w.call(ts("2026-06-10T10:52:40Z"), ops2, ct{source: "autoscaling.amazonaws.com", name: "PutScheduledUpdateGroupAction",
		req: map[string]any{"autoScalingGroupName": "label-printer-asg", "scheduledActionName": "lunch-peak", "startTime": "Jun 10, 2026, 11:00:00 AM", "desiredCapacity": 4, "minSize": 2, "maxSize": 6}})
	// Decoy: same engineer, same API, the staging group, 2m23s earlier.
	w.call(ts("2026-06-10T10:56:10Z"), ops, ct{source: "autoscaling.amazonaws.com", name: "UpdateAutoScalingGroup",
		req: map[string]any{"autoScalingGroupName": "shipment-consumer-asg-stg", "maxSize": 2}})
	// Root cause.
	w.call(change, ops, ct{source: "autoscaling.amazonaws.com", name: "UpdateAutoScalingGroup",
		req: map[string]any{"autoScalingGroupName": "shipment-consumer-asg", "minSize": 0, "desiredCapacity": 0}})
	// Auto Scaling acts on it.
	var ids []any
	for _, c := range consumers {
		ids = append(ids, map[string]any{"instanceId": c.id})
	}
	w.call(change.Add(2*time.Second), asg, ct{source: "ec2.amazonaws.com", name: "TerminateInstances",
		req: map[string]any{"instancesSet": map[string]any{"items": ids}}, resp: map[string]any{"requestId": w.uuid()}})
	w.call(ts("2026-06-10T11:00:05Z"), asg, ct{source: "ec2.amazonaws.com", name: "RunInstances",
		req:  map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{"minCount": 2, "maxCount": 2}}}, "launchTemplate": map[string]any{"launchTemplateId": "lt-04a6c8e0b2d4f6183", "version": "7"}},
		resp: map[string]any{"requestId": w.uuid(), "instancesSet": map[string]any{"items": []any{map[string]any{"instanceId": lpNew[0]}, map[string]any{"instanceId": lpNew[1]}}}}})

	w.guardduty = []map[string]any{
		w.gdFinding("Recon:EC2/Portscan", "Unusual outbound port scan from EC2 instance i-09b1d3f5a7c2e4680.", "EC2 instance i-09b1d3f5a7c2e4680 is performing outbound port scans against remote hosts.", 5,
			map[string]any{"ResourceType": "Instance", "InstanceDetails": map[string]any{"InstanceId": "i-09b1d3f5a7c2e4680", "InstanceType": "t3.medium", "Tags": []any{map[string]any{"Key": "aws:autoscaling:groupName", "Value": "label-printer-asg"}}}},
			map[string]any{"ActionType": "NETWORK_CONNECTION", "NetworkConnectionAction": map[string]any{"ConnectionDirection": "OUTBOUND", "Protocol": "TCP", "Blocked": false, "RemotePortDetails": map[string]any{"Port": 9100, "PortName": "Unknown"}}},
			w.start.Add(-5*24*time.Hour), w.start.Add(-2*time.Hour), 77),
	}

	w.truth = map[string]any{
		"name": w.name, "kind": "capacity-removed", "alarm": "shipment-events-age",
		"root_cause": map[string]any{"event_name": "UpdateAutoScalingGroup", "event_time": change, "resource": "shipment-consumer-asg"},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "UpdateAutoScalingGroup", "event_time": ts("2026-06-10T10:56:10Z")},
			{"event_name": "CreateLaunchTemplateVersion", "event_time": ts("2026-06-10T10:49:14Z")},
			{"event_name": "PutScheduledUpdateGroupAction", "event_time": ts("2026-06-10T10:52:40Z")},
			{"event_name": "RunInstances", "event_time": ts("2026-06-10T11:00:05Z")},
		},
		"signals": []string{"UpdateAutoScalingGroup", "shipment-consumer-asg", "ApproximateAgeOfOldestMessage"},
	}
	return w
}
