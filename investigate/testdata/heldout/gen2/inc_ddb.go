package main

import (
	"fmt"
	"time"
)

// dynamoProvisionedSwitch: a Terraform apply (cost work) switches the
// inventory-items table from on-demand to provisioned with 25 RCU / 10 WCU.
// Burst capacity hides it for a few minutes; then writes throttle, the Go
// SDK exhausts its retries and the service answers 500 for some requests.
// The same apply also sets TTL on the same table.
func dynamoProvisionedSwitch() *world {
	w := newWorld("dynamodb-provisioned-switch", 5505, "us-west-2", "318274659013", ts("2026-07-22T03:00:00Z"), 90)
	w.title = "inventory reservations failing intermittently"
	w.arch = "ALB inventory-alb → Auto Scaling group inventory-svc-asg (EC2, Go 1.23 service inventory-svc behind nginx, logs via CloudWatch agent) → DynamoDB tables inventory-items (stock per SKU; GetItem/UpdateItem) and inventory-audit; X-Ray daemon on each instance. Infrastructure is applied by Atlantis (Terraform) with role atlantis-apply."
	ttlChange := ts("2026-07-22T03:58:02Z")
	change := ts("2026-07-22T03:58:09Z")
	onset := ts("2026-07-22T04:02:31Z")
	alarmAt := ts("2026-07-22T04:05:02Z")
	backupAt := ts("2026-07-22T04:00:00Z")
	table := "inventory-items"
	tableArn := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", w.region, w.account, table)
	instances := []struct{ id, ip string }{{"i-0f3a8c2e71b94d605", "10.12.1.44"}, {"i-02c7e9b4d1a86f357", "10.12.2.108"}, {"i-0b91d4e6a3c27f810", "10.12.3.19"}}
	group := "/inventory/app"
	ng := "/inventory/nginx/access"

	throttleP := func(t time.Time) float64 {
		if t.Before(onset) {
			return 0
		}
		return 0.08 + 0.10*ramp(t, onset, onset.Add(6*time.Minute))
	}
	for t := w.start; t.Before(w.end); t = t.Add(350*time.Millisecond + w.jitter(700*time.Millisecond)) {
		in := instances[w.r.Intn(3)]
		sku := fmt.Sprintf("SKU-%05d", w.r.Intn(60000))
		write := w.r.Intn(3) > 0
		method, path, op := "GET", "/v2/items/"+sku, "GetItem"
		if write {
			method, path, op = "POST", "/v2/items/"+sku+"/reservations", "UpdateItem"
		}
		dur := time.Duration(6+w.r.Intn(25)) * time.Millisecond
		status := 200
		throttled := write && w.r.Float64() < throttleP(t)*2
		slow := write && !throttled && w.r.Float64() < throttleP(t)*3
		if slow {
			dur += time.Duration(80+w.r.Intn(400)) * time.Millisecond // retried, then succeeded
		}
		reqID := w.upperAlnum(52)
		if throttled {
			dur = time.Duration(300+w.r.Intn(900)) * time.Millisecond
			status = 500
			errText := fmt.Sprintf("operation error DynamoDB: UpdateItem, exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: %s, ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.", reqID)
			if w.r.Intn(4) == 0 {
				errText = "operation error DynamoDB: UpdateItem, failed to get rate limit token, retry quota exceeded, 0 available, 5 requested"
			}
			w.log(group, in.id, t.Add(dur), fmt.Sprintf(`time=%s level=ERROR msg="reserve stock" sku=%s qty=%d err="%s"`, t.Add(dur).UTC().Format("2006-01-02T15:04:05.000Z07:00"), sku, 1+w.r.Intn(4), escapeLogfmt(errText)))
		}
		w.log(group, in.id, t.Add(dur), fmt.Sprintf(`time=%s level=INFO msg=request method=%s path=%s status=%d dur=%s`, t.Add(dur).UTC().Format("2006-01-02T15:04:05.000Z07:00"), method, path, status, dur))
		w.log(ng, in.id, t.Add(dur), fmt.Sprintf(`%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "inventory-client/2.4 (store-api)" rt=%.3f uct="0.000" urt="%.3f"`, w.ip10(), t.Add(dur).UTC().Format("02/Jan/2006:15:04:05 +0000"), method, path, status, 60+w.r.Intn(400), dur.Seconds(), dur.Seconds()-0.001))
		if w.r.Float64() < 0.05 || ((throttled || slow) && w.r.Float64() < 0.3) {
			tid := w.traceID(t)
			seg := map[string]any{"id": w.hex(16), "name": "inventory-svc", "start_time": secs(t), "end_time": secs(t.Add(dur)), "origin": "AWS::EC2::Instance",
				"http": map[string]any{"request": map[string]any{"method": method, "url": "http://inventory.internal" + path, "client_ip": w.ip10(), "user_agent": "inventory-client/2.4 (store-api)"}, "response": map[string]any{"status": status}},
				"aws":  map[string]any{"ec2": map[string]any{"instance_id": in.id, "availability_zone": "us-west-2" + w.pick("a", "b", "c"), "instance_size": "c7g.large", "ami_id": "ami-0c5d8a1f3e7b92046"}, "xray": map[string]any{"sdk_version": "1.8.4", "sdk": "X-Ray for Go"}}}
			var exc map[string]any
			st := 200
			if throttled {
				st = 400
				exc = w.exc("ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.", true)
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/opt/inventory", "exceptions": []any{w.exc("*smithy.OperationError", "operation error DynamoDB: UpdateItem, exceeded maximum number of attempts, 3", false)}}
			}
			sub := w.ddbSub(t.Add(time.Millisecond), dur-2*time.Millisecond, op, table, st, exc)
			if slow {
				sub["aws"].(map[string]any)["retries"] = 1 + w.r.Intn(2)
			}
			seg["subsegments"] = []any{sub}
			w.trace(tid, dur.Seconds(), seg)
		}
	}
	for _, in := range instances {
		w.each(w.start, w.end, 45*time.Second, func(t time.Time) {
			w.log(group, in.id, t, fmt.Sprintf(`time=%s level=ERROR msg="supplier feed sync failed" supplier=%s err="Get \"https://feeds.acme-supply.com/v1/stock?since=%d\": dial tcp: lookup feeds.acme-supply.com on 10.12.0.2:53: read udp 10.12.1.44:%d->10.12.0.2:53: i/o timeout"`, t.UTC().Format("2006-01-02T15:04:05.000Z07:00"), w.pick("acme", "northwind"), t.Unix()-300, 30000+w.r.Intn(30000)))
		})
		w.each(w.start, w.end, 4*time.Minute, func(t time.Time) {
			w.log(group, in.id, t, fmt.Sprintf(`time=%s level=WARN msg="audit write slow" table=inventory-audit dur=%dms`, t.UTC().Format("2006-01-02T15:04:05.000Z07:00"), 200+w.r.Intn(600)))
		})
		w.each(w.start, w.end, 10*time.Second, func(t time.Time) {
			w.log(ng, in.id, t, fmt.Sprintf(`10.12.%d.%d - - [%s] "GET /healthz HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0" rt=0.000 uct="0.000" urt="0.001"`, 0+w.r.Intn(3), 10+w.r.Intn(200), t.UTC().Format("02/Jan/2006:15:04:05 +0000")))
		})
	}

	// Metrics.
	lb := "app/inventory-alb/7c2f9e1a4b6d8053"
	dimLB := [][2]string{{"LoadBalancer", lb}}
	tbl := [][2]string{{"TableName", table}}
	on := func(t time.Time) bool { return !t.Before(onset.Truncate(time.Minute)) }
	w.metric("AWS/ApplicationELB", "RequestCount", dimLB, "Count", 60, func(t time.Time) (stat, bool) { return countStat(float64(105 + w.r.Intn(20))), true })
	w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimLB, "Count", 60, func(t time.Time) (stat, bool) {
		if !on(t) {
			return stat{}, false
		}
		return countStat(float64(int(throttleP(t)*2*70)) + float64(w.r.Intn(4))), true
	})
	w.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", tbl, "Count", 60, func(t time.Time) (stat, bool) {
		v := float64(2400 + w.r.Intn(500))
		if on(t) {
			v = 600 + float64(w.r.Intn(60)) // 10 WCU once the burst credit is gone
		}
		return stat{n: 70, sum: v, min: 1, max: 4}, true
	})
	w.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", tbl, "Count", 300, func(t time.Time) (stat, bool) {
		if t.Before(change) {
			return stat{}, false
		}
		return gaugeStat(10, 0, 1), true
	})
	w.metric("AWS/DynamoDB", "WriteThrottleEvents", tbl, "Count", 60, func(t time.Time) (stat, bool) {
		if !on(t) {
			return stat{}, false
		}
		return countStat(float64(300 + w.r.Intn(200))), true
	})
	w.metric("AWS/DynamoDB", "ThrottledRequests", [][2]string{{"TableName", table}, {"Operation", "UpdateItem"}}, "Count", 60, func(t time.Time) (stat, bool) {
		if !on(t) {
			return stat{}, false
		}
		return countStat(float64(250 + w.r.Intn(150))), true
	})
	w.metric("AWS/DynamoDB", "SuccessfulRequestLatency", [][2]string{{"TableName", table}, {"Operation", "GetItem"}}, "Milliseconds", 60, func(t time.Time) (stat, bool) {
		return gaugeStat(2.8+w.r.Float64()*0.6, 1.5, 40), true
	})
	w.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", [][2]string{{"TableName", "inventory-audit"}}, "Count", 60, func(t time.Time) (stat, bool) {
		return stat{n: 70, sum: float64(1200 + w.r.Intn(300)), min: 1, max: 2}, true
	})
	w.metric("AWS/AutoScaling", "GroupInServiceInstances", [][2]string{{"AutoScalingGroupName", "inventory-svc-asg"}}, "None", 60, func(t time.Time) (stat, bool) {
		v := 4.0
		if t.After(ts("2026-07-22T03:31:40Z")) {
			v = 3
		}
		return gaugeStat(v, 0, 1), true
	})
	w.metric("AWS/EC2", "CPUUtilization", [][2]string{{"AutoScalingGroupName", "inventory-svc-asg"}}, "Percent", 300, func(t time.Time) (stat, bool) {
		v := 24.0
		if t.After(ts("2026-07-22T03:31:40Z")) {
			v = 31
		}
		return gaugeStat(v+w.r.Float64()*5, 6, 3), true
	})

	w.alarm("inventory-svc-5xx", "inventory-svc answering 5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", dimLB, 60, 3, 5, "GreaterThanOrEqualToThreshold", w.start.Add(-6*24*time.Hour), alarmAt, 14, fmt.Sprintf("arn:aws:sns:%s:%s:inventory-pager", w.region, w.account))
	w.alarm("inventory-items-write-throttles", "writes to inventory-items throttled", "AWS/DynamoDB", "WriteThrottleEvents", "Sum", tbl, 300, 1, 100, "GreaterThanThreshold", time.Time{}, ts("2026-07-22T04:08:11Z"), 1688, fmt.Sprintf("arn:aws:sns:%s:%s:inventory-pager", w.region, w.account))
	w.okAlarm("inventory-svc-asg-cpu-high", "AWS/EC2", "CPUUtilization", "Average", [][2]string{{"AutoScalingGroupName", "inventory-svc-asg"}}, 70, "GreaterThanThreshold")

	// CloudTrail.
	tfUA := "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.64.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/dynamodb#1.34.5"
	atl := w.roleActor("atlantis-apply", "atlantis-inventory-prod-1724", "44.239.18.201", tfUA)
	app := w.roleActor("inventory-svc-instance-role", instances[0].id, instances[0].ip, "aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#arm64 api/dynamodb#1.36.2")
	asg := w.serviceRole("AWSServiceRoleForAutoScaling", "AutoScaling", "autoscaling.amazonaws.com")
	backup := w.serviceRole("AWSServiceRoleForBackup", "AWSBackup-AWSServiceRoleForBackup", "backup.amazonaws.com")
	w.routine(8, []func(time.Time){
		w.assumeRoleBySvc("ec2.amazonaws.com", "inventory-svc-instance-role"),
		w.readCall(atl, "dynamodb.amazonaws.com", "DescribeTable", map[string]any{"tableName": w.pick(table, "inventory-audit")}),
		w.readCall(atl, "dynamodb.amazonaws.com", "DescribeContinuousBackups", map[string]any{"tableName": w.pick(table, "inventory-audit")}),
		w.readCall(atl, "dynamodb.amazonaws.com", "ListTagsOfResource", map[string]any{"resourceArn": tableArn}),
		w.readCall(app, "ssm.amazonaws.com", "GetParameter", map[string]any{"name": "/inventory/prod/feature-flags", "withDecryption": false}),
		w.putMetricData(w.roleActor("inventory-svc-instance-role", instances[1].id, instances[1].ip, "aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 api/cloudwatch#1.42.0"), "CWAgent"),
		w.readCall(asg, "ec2.amazonaws.com", "DescribeInstanceStatus", map[string]any{"instancesSet": map[string]any{}, "filterSet": map[string]any{}, "includeAllInstances": false}),
		w.decrypt(serviceActor("dynamodb.amazonaws.com"), "b3c1d2e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", map[string]any{"aws:dynamodb:tableName": table, "aws:dynamodb:subscriberId": w.account}),
	})
	// Terraform apply: TTL (decoy, same table), PITR on the audit table
	// (decoy, similar name), billing mode (root cause), tags.
	w.call(ttlChange, atl, ct{source: "dynamodb.amazonaws.com", name: "UpdateTimeToLive",
		req:  map[string]any{"tableName": table, "timeToLiveSpecification": map[string]any{"enabled": true, "attributeName": "expires_at"}},
		resp: map[string]any{"timeToLiveSpecification": map[string]any{"enabled": true, "attributeName": "expires_at"}}, resources: w.res("AWS::DynamoDB::Table", tableArn)})
	w.call(ts("2026-07-22T03:58:05Z"), atl, ct{source: "dynamodb.amazonaws.com", name: "UpdateContinuousBackups",
		req:  map[string]any{"tableName": "inventory-audit", "pointInTimeRecoverySpecification": map[string]any{"pointInTimeRecoveryEnabled": true}},
		resp: map[string]any{"continuousBackupsDescription": map[string]any{"continuousBackupsStatus": "ENABLED", "pointInTimeRecoveryDescription": map[string]any{"pointInTimeRecoveryStatus": "ENABLED"}}}})
	w.call(change, atl, ct{source: "dynamodb.amazonaws.com", name: "UpdateTable",
		req: map[string]any{"tableName": table, "billingMode": "PROVISIONED", "provisionedThroughput": map[string]any{"readCapacityUnits": 25, "writeCapacityUnits": 10}},
		resp: map[string]any{"tableDescription": map[string]any{"tableName": table, "tableArn": tableArn, "tableStatus": "UPDATING", "tableId": "4f7e2a1b-9c3d-4e8f-a6b5-c7d8e9f0a1b2",
			"billingModeSummary":    map[string]any{"billingMode": "PROVISIONED", "lastUpdateToPayPerRequestDateTime": "Jan 14, 2025, 7:12:40 PM"},
			"provisionedThroughput": map[string]any{"readCapacityUnits": 25, "writeCapacityUnits": 10, "numberOfDecreasesToday": 0},
			"itemCount":             58213, "tableSizeBytes": 19804477, "deletionProtectionEnabled": true}},
		resources: w.res("AWS::DynamoDB::Table", tableArn)})
	w.call(change.Add(3*time.Second), atl, ct{source: "dynamodb.amazonaws.com", name: "TagResource",
		req: map[string]any{"resourceArn": tableArn, "tags": []any{map[string]any{"key": "billing", "value": "provisioned"}}}})
	// Decoy: AWS Backup's hourly backup of the same table, 2.5 min before onset.
	w.call(backupAt, backup, ct{source: "dynamodb.amazonaws.com", name: "CreateBackup",
		req:       map[string]any{"tableName": table, "backupName": "awsbackup:job-" + w.uuid()},
		resp:      map[string]any{"backupDetails": map[string]any{"backupArn": tableArn + "/backup/01784692800000-" + w.hex(8), "backupName": "awsbackup:job", "backupStatus": "CREATING", "backupType": "AWS_BACKUP", "backupCreationDateTime": "Jul 22, 2026, 4:00:00 AM"}},
		resources: w.res("AWS::DynamoDB::Table", tableArn)})
	// Routine: the ASG scales in at 03:31 (scheduled night capacity).
	w.call(ts("2026-07-22T03:31:02Z"), asg, ct{source: "ec2.amazonaws.com", name: "TerminateInstances",
		req:  map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{"instanceId": "i-07e4a2c9b1d35f860"}}}},
		resp: map[string]any{"requestId": w.uuid(), "instancesSet": map[string]any{"items": []any{map[string]any{"instanceId": "i-07e4a2c9b1d35f860", "currentState": map[string]any{"code": 32, "name": "shutting-down"}, "previousState": map[string]any{"code": 16, "name": "running"}}}}}})

	w.truth = map[string]any{
		"name": w.name, "kind": "capacity-throttling", "alarm": "inventory-svc-5xx",
		"root_cause": map[string]any{"event_name": "UpdateTable", "event_time": change, "resource": table},
		"no_change":  false, "onset": onset,
		"decoys": []map[string]any{
			{"event_name": "UpdateTimeToLive", "event_time": ttlChange},
			{"event_name": "UpdateContinuousBackups", "event_time": ts("2026-07-22T03:58:05Z")},
			{"event_name": "CreateBackup", "event_time": backupAt},
			{"event_name": "TerminateInstances", "event_time": ts("2026-07-22T03:31:02Z")},
		},
		"signals": []string{"UpdateTable", "ProvisionedThroughputExceededException", "inventory-items"},
	}
	return w
}

func escapeLogfmt(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '"' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}
