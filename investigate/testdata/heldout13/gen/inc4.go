package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// ddbAZ: nothing changed in the account. DynamoDB requests from one
// Availability Zone slow down on AWS's side; the tasks there time out.
func ddbAZ() *snap {
	onset := time.Date(2026, 7, 22, 3, 14, 8, 0, time.UTC)
	s := newSnap("dynamodb-latency-one-az-no-change", 1304, onset, 74*time.Minute, 26*time.Minute)
	s.title = "session-api 5xx"
	s.arch = "session-api (Python 3.12, gunicorn, python-json-logger; ECS Fargate cluster identity, six tasks over use1-az1, use1-az2, use1-az4) behind ALB identity-public; sessions in DynamoDB table user-sessions (on-demand), reached through the gateway endpoint. boto3 read_timeout 1s, 2 retries."
	table := "user-sessions"
	// decoys: a deploy of session-api 9 minutes before, and a backup setting
	dep := time.Date(2026, 7, 22, 3, 5, 2, 0, time.UTC)
	s.deploy(dep, "identity", "session-api", 214)
	d2 := time.Date(2026, 7, 22, 2, 51, 26, 0, time.UTC)
	s.event(d2, s.tfUser(), "dynamodb.amazonaws.com", "UpdateContinuousBackups", map[string]any{"tableName": table, "pointInTimeRecoverySpecification": map[string]any{"pointInTimeRecoveryEnabled": true, "recoveryPeriodInDays": 14}},
		map[string]any{"continuousBackupsDescription": map[string]any{"continuousBackupsStatus": "ENABLED", "pointInTimeRecoveryDescription": map[string]any{"pointInTimeRecoveryStatus": "ENABLED"}}}, false, nil)
	s.event(d2.Add(-20*time.Second), s.tfUser(), "dynamodb.amazonaws.com", "DescribeContinuousBackups", map[string]any{"tableName": table}, nil, true, nil)
	s.noise([]string{"session-api", "token-service"}, []string{"session-api", "token-service"}, "identity")
	s.aasUpdateService(time.Date(2026, 7, 22, 2, 30, 40, 0, time.UTC), "identity", "session-api", 6)

	type task struct{ id, ip, az string }
	old := []task{{"3b1f", "10.70.1.21", "use1-az1"}, {"8c2e", "10.70.1.88", "use1-az1"}, {"a91d", "10.70.2.14", "use1-az2"}, {"f07a", "10.70.2.160", "use1-az2"}, {"55c3", "10.70.3.40", "use1-az4"}, {"d4e8", "10.70.3.203", "use1-az4"}}
	neu := []task{{"71ab", "10.70.1.132", "use1-az1"}, {"c6d0", "10.70.1.9", "use1-az1"}, {"0e4f", "10.70.2.77", "use1-az2"}, {"b2a7", "10.70.2.41", "use1-az2"}, {"e93c", "10.70.3.118", "use1-az4"}, {"6f15", "10.70.3.66", "use1-az4"}}
	total, t5 := map[time.Time]int{}, map[time.Time]int{}
	lat := map[time.Time][]float64{}
	ua := "okhttp/4.12.0"
	s.minutes(func(m time.Time) {
		for i := s.poisson(70); i > 0; i-- {
			t := s.in(m)
			k := s.rng.Intn(6)
			tk := old[k]
			if t.After(dep.Add(time.Duration(90+k*25) * time.Second)) {
				tk = neu[k]
			}
			stream := "session-api/app/" + tk.id + "e0c1b2a3948576f8d9e0a1b2c3d4"
			total[m]++
			path := []string{"/v1/sessions/validate", "/v1/sessions/refresh", "/v1/sessions"}[s.rng.Intn(3)]
			slow := tk.az == "use1-az4" && t.After(onset.Add(-2*time.Second)) && s.rng.Intn(100) < 93
			d := 0.006 + s.rng.Float64()*0.01
			rec := map[string]any{"asctime": t.Format("2006-01-02 15:04:05,000"), "name": "session_api.store", "levelname": "INFO", "request_id": s.uuid(), "path": path, "az": tk.az}
			code := 200
			if slow {
				d = 3.1 + s.rng.Float64()*0.3
				code = 504
				rec["levelname"] = "ERROR"
				rec["name"] = "session_api.handlers"
				rec["message"] = "session lookup failed"
				rec["exc_info"] = "Traceback (most recent call last):\n  File \"/app/session_api/store.py\", line 52, in get_session\n    resp = self.table.get_item(Key={\"session_id\": sid}, ConsistentRead=False)\n  File \"/usr/local/lib/python3.12/site-packages/botocore/httpsession.py\", line 499, in send\n    raise ReadTimeoutError(endpoint_url=request.url, error=e)\nbotocore.exceptions.ReadTimeoutError: Read timeout on endpoint URL: \"https://dynamodb.us-east-1.amazonaws.com/\""
				t5[m]++
			} else if s.rng.Intn(60) == 0 {
				code = 401
				rec["levelname"] = "WARNING"
				rec["message"] = "session expired"
			} else if s.rng.Intn(400) == 0 {
				code = 500
				rec["levelname"] = "ERROR"
				rec["message"] = "session write failed"
				rec["exc_info"] = "Traceback (most recent call last):\n  File \"/app/session_api/store.py\", line 77, in put_session\n    self.table.put_item(Item=item, ConditionExpression=\"attribute_not_exists(session_id)\")\nbotocore.errorfactory.ConditionalCheckFailedException: An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed"
				t5[m]++
			} else {
				rec["message"] = "session ok"
			}
			lat[m] = append(lat[m], d)
			b, _ := json.Marshal(rec)
			s.log("/ecs/session-api", stream, t.Add(time.Duration(d*float64(time.Second))), string(b))
			s.albLine(t.Add(time.Duration(d*float64(time.Second))), "identity-public", "session-api-tg", "52.4.19."+fmt.Sprint(s.rng.Intn(250)), tk.ip+":8000", 0.001, d, 0, fmt.Sprint(code), fmt.Sprint(code), path, "POST", ua, "-")
			if s.rng.Intn(9) == 0 {
				s.trace(t, d, tk, path, code, slow, table)
			}
		}
		if m.Minute()%1 == 0 {
			for _, tk := range neu[:2] {
				s.log("/ecs/session-api", "session-api/app/"+tk.id+"e0c1b2a3948576f8d9e0a1b2c3d4", s.in(m), fmt.Sprintf("[%s] [7] [INFO] Booting worker with pid: %d", m.Format("2006-01-02 15:04:05 +0000"), 7+s.rng.Intn(40)))
				break
			}
		}
	})
	lb := []dim{{"LoadBalancer", "app/identity-public/5f3a9c1e7d2b4a60"}}
	s.count("AWS/ApplicationELB", "RequestCount", lb, func(m time.Time) float64 { return float64(total[m]) })
	s.count("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, func(m time.Time) float64 { return float64(t5[m]) })
	s.series("AWS/ApplicationELB", "TargetResponseTime", "Seconds", lb, func(m time.Time) []float64 { return lat[m] })
	for _, op := range []string{"GetItem", "PutItem"} {
		s.series("AWS/DynamoDB", "SuccessfulRequestLatency", "Milliseconds", []dim{{"TableName", table}, {"Operation", op}}, func(m time.Time) []float64 {
			v := []float64{}
			for i := 0; i < 40; i++ {
				x := 3 + s.rng.Float64()*3
				if m.After(onset.Add(-time.Minute)) && i%3 == 0 {
					x = 40 + s.rng.Float64()*900
				}
				v = append(v, x)
			}
			return v
		})
	}
	s.count("AWS/DynamoDB", "ConsumedReadCapacityUnits", []dim{{"TableName", table}}, func(m time.Time) float64 { return float64(total[m]) * 0.5 })
	s.count("AWS/DynamoDB", "SystemErrors", []dim{{"TableName", table}, {"Operation", "GetItem"}}, func(m time.Time) float64 { return 0 })
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "identity"}, {"ServiceName", "session-api"}}, func(m time.Time) []float64 {
		if m.After(dep) && m.Before(dep.Add(5*time.Minute)) {
			return []float64{48 + 10*s.rng.Float64()}
		}
		return []float64{18 + 6*s.rng.Float64()}
	})
	s.alarm("session-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 25, "GreaterThanThreshold", 3, time.Date(2026, 7, 22, 3, 18, 10, 0, time.UTC), "session-api 5xx")
	s.okAlarm("user-sessions-throttles", "AWS/DynamoDB", "ReadThrottleEvents", "Sum", []dim{{"TableName", table}}, 0)
	s.truth = map[string]any{"kind": "no-change-aws-side", "alarm": "session-api-5xx", "no_change": true,
		"onset":   ts(onset),
		"decoys":  []map[string]any{{"event_name": "UpdateService", "event_time": ts(dep.Add(3 * time.Second))}, {"event_name": "RegisterTaskDefinition", "event_time": ts(dep)}, {"event_name": "UpdateContinuousBackups", "event_time": ts(d2)}},
		"signals": []string{"Read timeout on endpoint URL"}}
	return s
}

func (s *snap) trace(t time.Time, d float64, tk struct{ id, ip, az string }, path string, code int, slow bool, table string) {
	tid := fmt.Sprintf("1-%08x-%s", t.Unix(), s.hex(24))
	st := float64(t.UnixNano()) / 1e9
	sub := map[string]any{"id": s.hex(16), "name": "DynamoDB", "namespace": "aws", "start_time": st + 0.001, "end_time": st + d - 0.001,
		"http": map[string]any{"response": map[string]any{"status": 200, "content_length": 180}},
		"aws":  map[string]any{"operation": "GetItem", "region": region, "table_name": table, "request_id": s.hex(20), "retries": 0}}
	seg := map[string]any{"id": s.hex(16), "name": "session-api", "trace_id": tid, "start_time": st, "end_time": st + d, "origin": "AWS::ECS::Container",
		"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://identity.acme-corp.example" + path, "client_ip": "52.4.19.8"}, "response": map[string]any{"status": code}},
		"aws":  map[string]any{"ecs": map[string]any{"container": "ip-" + tk.ip, "availability_zone": tk.az}, "xray": map[string]any{"sdk": "X-Ray for Python", "sdk_version": "2.14.0"}}}
	if slow {
		sub["aws"].(map[string]any)["retries"] = 2
		delete(sub, "http")
		sub["fault"] = true
		sub["cause"] = map[string]any{"working_directory": "/app", "exceptions": []map[string]any{{"id": s.hex(16), "message": "Read timeout on endpoint URL: \"https://dynamodb.us-east-1.amazonaws.com/\"", "type": "ReadTimeoutError", "remote": true}}}
		seg["fault"] = true
	} else if code >= 500 {
		seg["fault"] = true
	} else if code >= 400 {
		seg["error"] = true
	}
	seg["subsegments"] = []any{sub}
	b, _ := json.Marshal(seg)
	s.traces = append(s.traces, map[string]any{"Id": tid, "Duration": round(d), "LimitExceeded": false, "Segments": []map[string]any{{"Id": seg["id"], "Document": string(b)}}})
}
