package main

import (
	"fmt"
	"math"
	"time"
)

// dynamoGSIDeleted: an engineer tidying "unused" indexes deletes the GSI
// by-customer of customer-orders from the console. The index is unusable as
// soon as it is DELETING: every "list a customer's orders" request fails
// with ValidationException, while GetItem-based requests keep working.
func dynamoGSIDeleted(root string) {
	start, end := T("2026-06-03T13:10:00Z"), T("2026-06-03T14:50:00Z")
	s := NewSnap(root, "dynamodb-gsi-deleted", "us-east-2", "903187426651", 406, start, end)
	s.Title = "order-history-5xx in ALARM"
	s.Arch = "order-history (Python 3.12, Flask on gunicorn, ECS Fargate, X-Ray SDK) behind the public ALB customer-portal serves GET /orders/<id> (GetItem on DynamoDB table customer-orders) " +
		"and GET /customers/<id>/orders (Query on customer-orders). It enriches orders from loyalty-service over HTTP. profile-service uses table customer-profiles. Deploys come from Jenkins (role jenkins-deployer)."
	table := "customer-orders"
	tableArn := "arn:aws:dynamodb:us-east-2:" + s.Acct + ":table/" + table
	deploy := T("2026-06-03T12:20:14Z")
	protect := T("2026-06-03T13:56:40Z")
	backups := T("2026-06-03T14:05:12Z")
	cause := T("2026-06-03T14:21:40Z")
	alarmAt := T("2026-06-03T14:25:31Z")
	lbID := "app/customer-portal/7e2b9c41d0a3f865"
	tg := "arn:aws:elasticloadbalancing:us-east-2:" + s.Acct + ":targetgroup/order-history/3c8d1f0a7b6e2594"

	s.CTStart = T("2026-06-03T12:00:00Z")
	s.RoutineCT(Routine{PerMin: 2.4, KeyID: "c71f0e2d-8a94-4b3e-a5d6-20b9e4f7c813",
		Monitor: s.RoleActor("dynatrace-monitoring", "dynatrace", "aws-sdk-java/2.25.60 Linux/5.10 OpenJDK_64-Bit_Server_VM/21.0.3", "18.219.50.112"),
		Workloads: []Workload{
			{Role: "order-history-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/order-history/loyalty-url", "/order-history/page-size"}},
			{Role: "profile-service-task", Principal: "ecs-tasks.amazonaws.com", Params: []string{"/profile/config"}, Secret: "profile/crm-api-key"},
			{Role: "orders-stream-processor", Principal: "lambda.amazonaws.com", Params: []string{"/orders/stream/config"}, LogGroup: "/aws/lambda/orders-stream-processor"},
		}})
	jenkins := s.RoleActor("jenkins-deployer", "jenkins-order-history-412", "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.15.0-1066-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144", "3.136.88.201")
	s.CT(deploy.Add(-30*time.Second), jenkins, "ecs.amazonaws.com", "RegisterTaskDefinition", map[string]any{"family": "order-history", "cpu": "512", "memory": "1024", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"},
		"containerDefinitions": []any{map[string]any{"name": "order-history", "image": s.Acct + ".dkr.ecr.us-east-2.amazonaws.com/order-history:4.18.2", "essential": true,
			"environment": []any{map[string]string{"name": "ORDERS_TABLE", "value": table}, map[string]string{"name": "ORDERS_BY_CUSTOMER_INDEX", "value": "by-customer"}}}}},
		map[string]any{"taskDefinition": map[string]any{"taskDefinitionArn": "arn:aws:ecs:us-east-2:" + s.Acct + ":task-definition/order-history:96", "revision": 96, "status": "ACTIVE"}})
	s.CT(deploy, jenkins, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "portal", "service": "order-history", "taskDefinition": "order-history:96"},
		map[string]any{"service": map[string]any{"serviceName": "order-history", "taskDefinition": "arn:aws:ecs:us-east-2:" + s.Acct + ":task-definition/order-history:96", "desiredCount": 3}})
	s.CT(T("2026-06-03T13:38:02Z"), jenkins, "ecs.amazonaws.com", "UpdateService", map[string]any{"cluster": "portal", "service": "profile-service", "taskDefinition": "profile-service:51"},
		map[string]any{"service": map[string]any{"serviceName": "profile-service", "taskDefinition": "arn:aws:ecs:us-east-2:" + s.Acct + ":task-definition/profile-service:51", "desiredCount": 2}})

	user := s.UserActor("d.okafor", "console.amazonaws.com", "98.14.201.77")
	ddb := func(t time.Time, name string, req, resp map[string]any, opts ...Opt) {
		opts = append(opts, Res("AWS::DynamoDB::Table", "arn:aws:dynamodb:us-east-2:"+s.Acct+":table/"+fmt.Sprint(req["tableName"])))
		s.CT(t, user, "dynamodb.amazonaws.com", name, req, resp, opts...)
	}
	tableDesc := func(status string, protection bool, gsiStatus string) map[string]any {
		d := map[string]any{"tableName": table, "tableStatus": status, "tableArn": tableArn, "tableId": "5b1e0c93-7a2d-4f68-b4c1-d29e8a07f6b3",
			"attributeDefinitions": []any{map[string]string{"attributeName": "orderId", "attributeType": "S"}, map[string]string{"attributeName": "customerId", "attributeType": "S"}, map[string]string{"attributeName": "createdAt", "attributeType": "S"}},
			"keySchema":            []any{map[string]string{"attributeName": "orderId", "keyType": "HASH"}}, "creationDateTime": "Mar 3, 2025, 9:12:40 AM",
			"provisionedThroughput": map[string]any{"numberOfDecreasesToday": 0, "readCapacityUnits": 0, "writeCapacityUnits": 0}, "tableSizeBytes": 18234910244, "itemCount": 41298337,
			"billingModeSummary":  map[string]any{"billingMode": "PAY_PER_REQUEST", "lastUpdateToPayPerRequestDateTime": "Mar 3, 2025, 9:12:40 AM"},
			"streamSpecification": map[string]any{"streamEnabled": true, "streamViewType": "NEW_AND_OLD_IMAGES"}, "latestStreamLabel": "2025-03-03T09:12:40.772", "deletionProtectionEnabled": protection}
		if gsiStatus != "" {
			d["globalSecondaryIndexes"] = []any{map[string]any{"indexName": "by-customer", "keySchema": []any{map[string]string{"attributeName": "customerId", "keyType": "HASH"}, map[string]string{"attributeName": "createdAt", "keyType": "RANGE"}},
				"projection": map[string]any{"projectionType": "ALL"}, "indexStatus": gsiStatus, "provisionedThroughput": map[string]any{"numberOfDecreasesToday": 0, "readCapacityUnits": 0, "writeCapacityUnits": 0},
				"indexSizeBytes": 17990042211, "itemCount": 41298337, "indexArn": tableArn + "/index/by-customer"}}
		}
		return map[string]any{"tableDescription": d}
	}
	ddb(protect.Add(-2*time.Minute), "ListTables", map[string]any{"tableName": table}, nil, ReadOnly)
	ddb(protect.Add(-100*time.Second), "DescribeTable", map[string]any{"tableName": table}, nil, ReadOnly)
	ddb(protect, "UpdateTable", map[string]any{"tableName": table, "deletionProtectionEnabled": true}, tableDesc("ACTIVE", true, "ACTIVE"))
	ddb(backups.Add(-40*time.Second), "DescribeContinuousBackups", map[string]any{"tableName": "customer-profiles"}, nil, ReadOnly)
	ddb(backups, "UpdateContinuousBackups", map[string]any{"tableName": "customer-profiles", "pointInTimeRecoverySpecification": map[string]any{"pointInTimeRecoveryEnabled": true, "recoveryPeriodInDays": 35}},
		map[string]any{"continuousBackupsDescription": map[string]any{"continuousBackupsStatus": "ENABLED", "pointInTimeRecoveryDescription": map[string]any{"pointInTimeRecoveryStatus": "ENABLED", "recoveryPeriodInDays": 35}}})
	for i, n := range []string{"DescribeTable", "DescribeContributorInsights", "DescribeTimeToLive", "DescribeKinesisStreamingDestination"} {
		ddb(cause.Add(-time.Duration(95-i*12)*time.Second), n, map[string]any{"tableName": table}, nil, ReadOnly)
	}
	ddb(cause, "UpdateTable", map[string]any{"tableName": table, "globalSecondaryIndexUpdates": []any{map[string]any{"delete": map[string]any{"indexName": "by-customer"}}}}, tableDesc("UPDATING", true, "DELETING"))
	ddb(cause.Add(5*time.Second), "DescribeTable", map[string]any{"tableName": table}, nil, ReadOnly)
	ddb(T("2026-06-03T14:33:10Z"), "DescribeTable", map[string]any{"tableName": "customer-profiles"}, nil, ReadOnly)
	// DynamoDB's own service-linked application auto scaling on another table
	as := s.ServiceRoleActor("AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", "aws-service-role/dynamodb.application-autoscaling.amazonaws.com/", "AutoScaling", "application-autoscaling.amazonaws.com")
	for _, t := range []time.Time{T("2026-06-03T13:24:03Z"), T("2026-06-03T14:29:45Z")} {
		s.CT(t, as, "dynamodb.amazonaws.com", "UpdateTable", map[string]any{"tableName": "loyalty-ledger", "provisionedThroughput": map[string]any{"readCapacityUnits": 400 + s.R.Intn(100), "writeCapacityUnits": 120}}, nil)
	}

	// ---- requests
	streams := []string{"order-history/order-history/" + s.hex(32), "order-history/order-history/" + s.hex(32), "order-history/order-history/" + s.hex(32)}
	pyl := func(t time.Time, lvl, logger, msg string) string {
		return fmt.Sprintf("%s,%03d %s [%s] %s", t.Format("2006-01-02 15:04:05"), t.Nanosecond()/1e6, lvl, logger, msg)
	}
	fails := map[time.Time]float64{}
	gsiReads := map[time.Time]float64{}
	var first time.Time
	s.Every(start, end, 40, func(t time.Time) {
		st := streams[s.R.Intn(3)]
		list := s.R.Intn(100) < 35
		cust := fmt.Sprintf("c-%07d", s.R.Intn(9999999))
		status := 200
		dur := s.jitter(0.035, 0.4)
		path := "/orders/o-" + s.alnum(10, false)
		if list {
			path = "/customers/" + cust + "/orders"
		}
		failed := list && !t.Before(cause.Add(1500*time.Millisecond))
		switch {
		case failed:
			status = 500
			dur = s.jitter(0.012, 0.3)
			fails[t.Truncate(time.Minute)]++
			if first.IsZero() {
				first = t
			}
			s.Log("/ecs/order-history", st, t.Add(time.Duration(dur*1e9)), pyl(t, "ERROR", "order_history.app", "Exception on "+path+" [GET]\nTraceback (most recent call last):\n"+
				"  File \"/usr/local/lib/python3.12/site-packages/flask/app.py\", line 1473, in wsgi_app\n    response = self.full_dispatch_request()\n"+
				"  File \"/app/order_history/views.py\", line 58, in customer_orders\n    page = repo.orders_for_customer(customer_id, limit=page_size)\n"+
				"  File \"/app/order_history/repo.py\", line 41, in orders_for_customer\n    resp = self.table.query(IndexName=self.by_customer_index, KeyConditionExpression=Key(\"customerId\").eq(customer_id), ScanIndexForward=False, Limit=limit)\n"+
				"  File \"/usr/local/lib/python3.12/site-packages/botocore/client.py\", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)\n"+
				"botocore.exceptions.ClientError: An error occurred (ValidationException) when calling the Query operation: The table does not have the specified index: by-customer"))
		case s.R.Intn(30) == 0 && !list:
			status = 404
			s.Log("/ecs/order-history", st, t, pyl(t, "ERROR", "order_history.views", "GET "+path+" -> 404: order not found"))
		default:
			if list {
				gsiReads[t.Truncate(time.Minute)] += 4
			}
			if s.R.Intn(18) == 0 {
				s.Log("/ecs/order-history", st, t, pyl(t, "WARNING", "order_history.enrich", "loyalty-service timed out after 250ms for "+cust+"; returning orders without points"))
			}
		}
		s.Log("/ecs/order-history", st, t.Add(time.Duration(dur*1e9)), fmt.Sprintf(`10.60.%d.%d - - [%s] "GET %s HTTP/1.1" %d %d "-" "ELB-HealthChecker/2.0"`, 1+s.R.Intn(3), 10+s.R.Intn(200), t.Format("02/Jan/2006:15:04:05 +0000"), path, status, 200+s.R.Intn(3000))[:0]+
			fmt.Sprintf(`[%s] [1] [INFO] %s GET %s %d %.0fms`, t.Format("2006-01-02 15:04:05 +0000"), fmt.Sprintf("10.60.%d.%d", 1+s.R.Intn(3), 10+s.R.Intn(200)), path, status, dur*1000))
		s.ALB(fmt.Sprintf("%s_elasticloadbalancing_%s_app.customer-portal.7e2b9c41d0a3f865", s.Acct, s.Region), t, s.ALBLine(t.Add(time.Duration(dur*1e9)), ALBEntry{Scheme: "h2", LB: lbID,
			Client: fmt.Sprintf("%d.%d.%d.%d:%d", 60+s.R.Intn(100), s.R.Intn(255), s.R.Intn(255), 1+s.R.Intn(254), 1024+s.R.Intn(60000)), Target: fmt.Sprintf("10.60.%d.%d:8000", 1+s.R.Intn(3), 10+s.R.Intn(200)),
			Req: 0.001, TargetT: dur, Resp: 0, ELBStatus: fmt.Sprint(status), TargetStatus: fmt.Sprint(status), Recv: 380, Sent: 900 + s.R.Intn(4000),
			Request: "GET https://portal.example-retail.com:443/api" + path + " HTTP/2.0", UA: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", TG: tg, TraceID: "Root=" + s.TraceID(t), Domain: "portal.example-retail.com",
			Cert: "arn:aws:acm:us-east-2:" + s.Acct + ":certificate/a9e3c1d7-5b20-4f86-8e4a-61d0b7c2f953"}))
		if s.R.Intn(15) == 0 && status != 404 {
			seg := s.Seg("order-history", t, time.Duration(dur*1e9))
			seg["origin"] = "AWS::ECS::Container"
			seg["http"] = map[string]any{"request": map[string]any{"method": "GET", "url": "https://portal.example-retail.com/api" + path, "client_ip": "10.60.2.11", "x_forwarded_for": true}, "response": map[string]any{"status": status}}
			seg["aws"] = map[string]any{"ecs": map[string]any{"container": "ip-10-60-2-11.us-east-2.compute.internal", "container_id": s.hex(12)}, "xray": map[string]any{"sdk": "X-Ray for Python", "sdk_version": "2.14.0"}}
			op, extra := "GetItem", map[string]any{"table_name": table}
			if list {
				op, extra = "Query", map[string]any{"table_name": table, "index_name": "by-customer"}
			}
			st := 200
			if failed {
				st = 400
			}
			sub := s.AWSSub("DynamoDB", op, t.Add(2*time.Millisecond), time.Duration(dur*0.7*1e9), st, extra)
			subs := []any{sub}
			if failed {
				sub["error"] = true
				s.Cause(sub, "ClientError", "An error occurred (ValidationException) when calling the Query operation: The table does not have the specified index: by-customer", true)
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": sub["cause"].(map[string]any)["exceptions"].([]any)[0].(map[string]any)["id"], "type": "ClientError",
					"message": "An error occurred (ValidationException) when calling the Query operation: The table does not have the specified index: by-customer",
					"stack":   []any{map[string]any{"path": "/app/order_history/repo.py", "line": 41, "label": "orders_for_customer"}, map[string]any{"path": "/app/order_history/views.py", "line": 58, "label": "customer_orders"}}}}}
			} else {
				loy := s.Seg("loyalty-service", t.Add(time.Duration(dur*0.75*1e9)), time.Duration(dur*0.2*1e9))
				loy["namespace"] = "remote"
				loy["http"] = map[string]any{"request": map[string]any{"method": "GET", "url": "http://loyalty.internal:8080/points/" + cust}, "response": map[string]any{"status": 200}}
				subs = append(subs, loy)
			}
			seg["subsegments"] = subs
			s.Trace(s.TraceID(t), dur, seg)
		}
	})
	psStream := "profile-service/profile-service/" + s.hex(32)
	s.Every(start, end, 10, func(t time.Time) {
		msg := fmt.Sprintf(`{"ts":"%s","level":"info","msg":"profile fetched","customer":"c-%07d"}`, t.Format("2006-01-02T15:04:05.000Z"), s.R.Intn(9999999))
		if s.R.Intn(6) == 0 {
			msg = fmt.Sprintf(`{"ts":"%s","level":"error","msg":"crm sync failed","error":"ConditionalCheckFailedException: The conditional request failed"}`, t.Format("2006-01-02T15:04:05.000Z"))
		}
		s.Log("/ecs/profile-service", psStream, t, msg)
	})

	// ---- metrics
	s.Metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", [][2]string{{"TableName", table}, {"GlobalSecondaryIndexName", "by-customer"}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if gsiReads[t] == 0 {
			return math.NaN()
		}
		return gsiReads[t] * 30
	})
	s.Metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", [][2]string{{"TableName", table}}, "Count", []string{"Sum"}, func(t time.Time) float64 { return math.Round(s.jitter(2400, 0.1)) })
	s.Metric("AWS/DynamoDB", "UserErrors", nil, "Count", []string{"Sum"}, func(t time.Time) float64 { return float64(s.R.Intn(4)) + fails[t]*30 })
	s.Metric("AWS/DynamoDB", "SuccessfulRequestLatency", [][2]string{{"TableName", table}, {"Operation", "Query"}}, "Milliseconds", []string{"Average"}, func(t time.Time) float64 {
		if gsiReads[t] == 0 {
			return math.NaN()
		}
		return s.jitter(6.2, 0.2)
	})
	tgd := [][2]string{{"TargetGroup", "targetgroup/order-history/3c8d1f0a7b6e2594"}, {"LoadBalancer", lbID}}
	s.Metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tgd, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if fails[t] == 0 {
			return math.NaN()
		}
		return fails[t] * 30
	})
	s.Metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", tgd, "Count", []string{"Sum"}, func(t time.Time) float64 { return math.Round(s.jitter(40, 0.3)) })
	s.Metric("AWS/ApplicationELB", "TargetResponseTime", tgd, "Seconds", []string{"Average"}, func(t time.Time) float64 { return s.jitter(0.035, 0.15) })
	s.Metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", [][2]string{{"TableName", "customer-profiles"}}, "Count", []string{"Sum"}, func(t time.Time) float64 {
		return ramp(t, T("2026-06-03T13:40:00Z"), T("2026-06-03T13:50:00Z"), s.jitter(300, 0.1), s.jitter(820, 0.1))
	})

	topic := "arn:aws:sns:us-east-2:" + s.Acct + ":portal-oncall"
	reason := "Threshold Crossed: 3 out of the last 3 datapoints [402.0 (03/06/26 14:24:00), 418.0 (03/06/26 14:23:00), 371.0 (03/06/26 14:22:00)] were greater than the threshold (25.0) (minimum 3 datapoints for OK -> ALARM transition)."
	s.SimpleAlarm("order-history-5xx", "order-history 5xx from customer-portal", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", tgd, 60, 3, 3, 25, "GreaterThanThreshold", "ALARM", alarmAt, reason, topic)
	s.FireAlarm("order-history-5xx", alarmAt, reason, []float64{371, 418, 402}, 25, topic)
	s.SimpleAlarm("dynamodb-user-errors", "Account-wide DynamoDB user errors", "AWS/DynamoDB", "UserErrors", "Sum", nil, 300, 1, 1, 500, "GreaterThanThreshold", "ALARM", T("2026-06-03T14:30:00Z"), "Threshold Crossed: 1 datapoint [1890.0 (03/06/26 14:25:00)] was greater than the threshold (500.0).", topic)
	s.StateChange("dynamodb-user-errors", "MetricAlarm", T("2026-06-03T14:30:00Z"), "OK", "ALARM", "Threshold Crossed: 1 datapoint [1890.0 (03/06/26 14:25:00)] was greater than the threshold (500.0).", nil)

	s.Truth = truth(s.Name, "dynamodb-gsi-deleted", "order-history-5xx",
		map[string]any{"event_name": "UpdateTable", "event_time": cause.Format(ts), "resource": table}, first.Truncate(time.Second),
		[][2]any{{"UpdateTable", protect}, {"UpdateContinuousBackups", backups}, {"UpdateService", deploy}, {"UpdateService", T("2026-06-03T13:38:02Z")}, {"UpdateTable", T("2026-06-03T14:29:45Z")}},
		"The table does not have the specified index: by-customer", "ValidationException", "UpdateTable", "customer-orders")
	s.Write()
}
