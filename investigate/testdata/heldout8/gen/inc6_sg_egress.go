package main

import (
	"fmt"
	"math"
	"time"
)

// sgEgress: a network engineer "tightens" claims-app-sg: revokes an old SSH
// rule on another group, narrows an ingress rule on this one, then revokes
// its egress 0.0.0.0/0:443. Calls that go through VPC endpoints (SQS,
// Secrets Manager, S3 gateway via its prefix-list rule) keep working; calls
// to public endpoints (DynamoDB, Textract, SNS) hang as pooled connections
// are replaced: the ALB answers 504 after 60 s, Node logs "connect
// ETIMEDOUT" minutes later, botocore ConnectTimeoutError. Decoys: the same
// person's AuthorizeSecurityGroupIngress on the same group a minute
// earlier, RevokeSecurityGroupIngress on the bastion group, and the ELB
// service's ModifyNetworkInterfaceAttribute two minutes after.
func sgEgress(s *snap) {
	s.region, s.account = "eu-central-1", "350921746618"
	s.start = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s.end = s.start.Add(2 * time.Hour)
	s.albID = "app/claims-prod/9d3e5f7a1b2c4d68"
	s.title = "claims API timeouts"
	s.arch = "VPC vpc-0c1d2e3f4a5b69780 (10.50.0.0/16), private subnets with a NAT gateway. ALB claims-prod -> ECS service claims-api (Node 20, AWS SDK v3; DynamoDB table claims, SQS claims-intake). claims-processor (ECS, Python/boto3) reads claims-intake, calls Textract and SNS. Interface endpoints: sqs, secretsmanager, logs, ecr.api, ecr.dkr; S3 gateway endpoint. No DynamoDB endpoint. Both services use security group claims-app-sg (sg-0a4c7e19b3d2f5860). VPC flow logs to CloudWatch Logs."

	sg := "sg-0a4c7e19b3d2f5860"
	net := s.sso("NetworkAdmin", "lukas.becker@versicherung-digital.de", "91.64.118.23")
	dev := s.sso("Developer", "sofia.marino@versicherung-digital.de", "91.64.118.40")
	ci := s.role("github-oidc-deploy", "gha-claims-"+s.hex(6), "4.231.7.19", "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/ecr#1.36.5")
	s.noise(noiseCfg{ci: ci, humans: []principal{net, dev}, taskRoles: []string{"claims-api-task", "claims-processor-task", "ecsTaskExecutionRole"},
		ecrRepos: []string{"claims-api", "claims-processor", "portal"}, logGroups: []string{"/aws/lambda/claims-export"}, lambdaRoles: []string{"claims-export-role"},
		instances: []string{"i-0f2a9c4e7b1d38560"}, secretReads: []string{"prod/claims/api-keys"}, monitoring: true, eventsPerMin: 7})

	bastionAt := time.Date(2026, 12, 1, 8, 50, 44, 0, time.UTC)
	ingressAt := time.Date(2026, 12, 1, 8, 52, 30, 0, time.UTC)
	rootAt := time.Date(2026, 12, 1, 8, 53, 31, 0, time.UTC)
	eniAt := rootAt.Add(2*time.Minute + 14*time.Second)
	perm := func(proto string, from, to int, cidr, desc string) map[string]any {
		return map[string]any{"items": []any{map[string]any{"ipProtocol": proto, "fromPort": from, "toPort": to, "groups": map[string]any{}, "ipRanges": map[string]any{"items": []any{map[string]any{"cidrIp": cidr, "description": desc}}}, "ipv6Ranges": map[string]any{}, "prefixListIds": map[string]any{}}}}
	}
	sgRes := func(id string) [2]string {
		return [2]string{"AWS::EC2::SecurityGroup", fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", s.region, s.account, id)}
	}
	s.event(bastionAt, net, "ec2.amazonaws.com", "DescribeSecurityGroupRules", true, map[string]any{"filterSet": map[string]any{"items": []any{map[string]any{"name": "group-id", "valueSet": map[string]any{"items": []any{map[string]any{"value": sg}}}}}}}, nil)
	s.event(bastionAt.Add(20*time.Second), net, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", false, map[string]any{"groupId": "sg-07b1e3d5f9a2c4680", "ipPermissions": perm("tcp", 22, 22, "0.0.0.0/0", "")}, map[string]any{"requestId": s.uuid(), "_return": true}, sgRes("sg-07b1e3d5f9a2c4680"))
	bastionAt = bastionAt.Add(20 * time.Second)
	s.event(ingressAt, net, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", false, map[string]any{"groupId": sg, "ipPermissions": perm("tcp", 8080, 8080, "10.50.0.0/20", "ALB subnets only")},
		map[string]any{"requestId": s.uuid(), "_return": true, "securityGroupRuleSet": map[string]any{"items": []any{map[string]any{"groupOwnerId": s.account, "isEgress": false, "ipProtocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrIpv4": "10.50.0.0/20", "securityGroupRuleId": "sgr-0" + s.hex(16), "groupId": sg}}}}, sgRes(sg))
	s.event(ingressAt.Add(25*time.Second), net, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", false, map[string]any{"groupId": sg, "ipPermissions": perm("tcp", 8080, 8080, "10.50.0.0/16", "")}, map[string]any{"requestId": s.uuid(), "_return": true}, sgRes(sg))
	s.event(rootAt, net, "ec2.amazonaws.com", "RevokeSecurityGroupEgress", false, map[string]any{"groupId": sg, "ipPermissions": perm("tcp", 443, 443, "0.0.0.0/0", "")},
		map[string]any{"requestId": s.uuid(), "_return": true, "revokedSecurityGroupRuleSet": map[string]any{"items": []any{map[string]any{"groupOwnerId": s.account, "isEgress": true, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0", "securityGroupRuleId": "sgr-0" + s.hex(16), "groupId": sg}}}}, sgRes(sg))
	s.event(rootAt.Add(48*time.Second), net, "ec2.amazonaws.com", "CreateTags", false, map[string]any{"resourcesSet": map[string]any{"items": []any{map[string]any{"resourceId": sg}}}, "tagSet": map[string]any{"items": []any{map[string]any{"key": "last-reviewed", "value": "2026-12-01"}}}}, map[string]any{"requestId": s.uuid(), "_return": true})
	elb := s.svcRole("AWSServiceRoleForElasticLoadBalancing", "ElasticLoadBalancing", "elasticloadbalancing.amazonaws.com")
	for _, at := range []time.Time{s.start.Add(19 * time.Minute), eniAt, s.start.Add(101 * time.Minute)} {
		s.event(at, elb, "ec2.amazonaws.com", "ModifyNetworkInterfaceAttribute", false, map[string]any{"networkInterfaceId": "eni-0" + s.hex(16), "description": map[string]any{"value": "ELB " + s.albID}}, map[string]any{"requestId": s.uuid(), "_return": true})
	}

	// How much of the traffic to public endpoints needs a new connection.
	fresh := func(t time.Time) float64 {
		if t.Before(rootAt) {
			return 0
		}
		return 0.04 + 0.96*(1-math.Exp(-t.Sub(rootAt).Seconds()/140))
	}
	blocked := func(t time.Time) bool { return t.After(rootAt) && s.rng.Float64() < fresh(t) }

	ag := "/ecs/claims-api"
	astreams := []string{"claims-api/claims-api/" + s.hex(32), "claims-api/claims-api/" + s.hex(32)}
	tgArn := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/claims-api/3f4e5d6c7b8a9012", s.region, s.account)
	cert := fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
	reqs, e504, t5, rt, natAttempts, natEst, qAge, qVis := series{}, series{}, series{}, series{}, series{}, series{}, series{}, series{}
	targets := []string{"10.50.17.44:8080", "10.50.18.203:8080"}
	var onset time.Time
	s.sim(time.Second, func(t time.Time) {
		for i := s.poisson(1.9); i > 0; i-- {
			at := s.jitter(t, time.Second)
			k := s.rng.Intn(2)
			tgt := targets[k]
			post := s.rng.Intn(4) == 0
			id := fmt.Sprintf("CLM-%06d", s.rng.Intn(999999))
			path, method := "/claims/"+id, "GET"
			if post {
				path, method = "/claims", "POST"
			}
			natAttempts.inc(at)
			reqs.inc(at)
			ms := s.lognormal(32, 0.4)
			status := 200
			if post {
				status = 201
			}
			tid := s.traceID(at)
			ip := fmt.Sprintf("52.94.%d.%d", 136+s.rng.Intn(8), 1+s.rng.Intn(250))
			if blocked(at) {
				if onset.IsZero() {
					onset = at
				}
				e504.inc(at.Add(60 * time.Second))
				s.albLog(albReq{at: at, client: s.clientIP(), target: tgt, method: method, host: "claims.versicherung-digital.de", path: path, ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
					tgArn: tgArn, certArn: cert, targetTime: -1, waited: 60, elbStatus: 504, recv: 420, sent: 0, rulePriority: "5"})
				// SDK v3: three attempts, each ended by the kernel's SYN retries (~127 s).
				done := at.Add(time.Duration(381+s.rng.Intn(5)) * time.Second)
				s.log(ag, astreams[k], done, fmt.Sprintf("%s ERROR %s %s failed after 3 attempts Error: connect ETIMEDOUT %s:443\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {\n  errno: -110,\n  code: 'ETIMEDOUT',\n  syscall: 'connect',\n  address: '%s',\n  port: 443,\n  '$metadata': { attempts: 3, totalRetryDelay: 241 }\n}", isoMs(done), method, path, ip, ip))
				if s.rng.Intn(6) == 0 {
					s.trace(tid,
						map[string]any{"id": s.hex(16), "name": "claims-api", "origin": "AWS::ECS::Container", "start_time": epoch(at), "end_time": epoch(done), "fault": true,
							"http":  map[string]any{"request": map[string]any{"method": method, "url": "https://claims.versicherung-digital.de" + path}, "response": map[string]any{"status": 500}},
							"cause": map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": s.hex(16), "message": "connect ETIMEDOUT " + ip + ":443", "type": "Error"}}},
							"subsegments": []any{map[string]any{"id": s.hex(16), "name": "DynamoDB", "namespace": "aws", "start_time": epoch(at.Add(2 * time.Millisecond)), "end_time": epoch(done), "fault": true,
								"aws":   map[string]any{"operation": map[bool]string{true: "PutItem", false: "GetItem"}[post], "table_name": "claims", "region": s.region, "retries": 2},
								"cause": map[string]any{"exceptions": []any{map[string]any{"id": s.hex(16), "message": "connect ETIMEDOUT " + ip + ":443", "type": "Error", "remote": true}}}}}})
				}
				continue
			}
			natEst.inc(at)
			if s.rng.Intn(250) == 0 {
				status = 409 // pre-existing: duplicate claim submissions
				s.log(ag, astreams[k], at.Add(time.Duration(ms)*time.Millisecond), fmt.Sprintf("%s WARN %s %s ConditionalCheckFailedException: The conditional request failed", isoMs(at.Add(time.Duration(ms)*time.Millisecond)), method, path))
			}
			if s.rng.Intn(400) == 0 {
				status = 500
				t5.inc(at)
				s.log(ag, astreams[k], at.Add(time.Duration(ms)*time.Millisecond), fmt.Sprintf("%s ERROR %s %s TypeError: Cannot read properties of undefined (reading 'policyNumber')\n    at mapClaim (/app/dist/claims/mapper.js:41:33)\n    at /app/dist/claims/routes.js:88:24", isoMs(at.Add(time.Duration(ms)*time.Millisecond)), method, path))
			}
			rt.add(at, ms/1000)
			s.albLog(albReq{at: at, client: s.clientIP(), target: tgt, method: method, host: "claims.versicherung-digital.de", path: path, ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
				tgArn: tgArn, certArn: cert, targetTime: ms / 1000, elbStatus: status, targetStatus: status, recv: 420, sent: 300 + s.rng.Intn(2000), rulePriority: "5"})
			if s.rng.Intn(2) == 0 {
				s.log(ag, astreams[k], at.Add(time.Duration(ms)*time.Millisecond), fmt.Sprintf("%s %s %s %d %dms", isoMs(at.Add(time.Duration(ms)*time.Millisecond)), method, path, status, int(ms)))
			}
			if s.rng.Intn(12) == 0 {
				end := at.Add(time.Duration(ms) * time.Millisecond)
				subs := []any{map[string]any{"id": s.hex(16), "name": "DynamoDB", "namespace": "aws", "start_time": epoch(at.Add(2 * time.Millisecond)), "end_time": epoch(end.Add(-3 * time.Millisecond)),
					"aws": map[string]any{"operation": map[bool]string{true: "PutItem", false: "GetItem"}[post], "table_name": "claims", "region": s.region}, "http": map[string]any{"response": map[string]any{"status": 200}}}}
				if post {
					subs = append(subs, map[string]any{"id": s.hex(16), "name": "SQS", "namespace": "aws", "start_time": epoch(end.Add(-3 * time.Millisecond)), "end_time": epoch(end.Add(-time.Millisecond)),
						"aws": map[string]any{"operation": "SendMessage", "queue_url": fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/claims-intake", s.region, s.account), "region": s.region}, "http": map[string]any{"response": map[string]any{"status": 200}}})
				}
				s.trace(tid, map[string]any{"id": s.hex(16), "name": "claims-api", "origin": "AWS::ECS::Container", "start_time": epoch(at), "end_time": epoch(end),
					"http": map[string]any{"request": map[string]any{"method": method, "url": "https://claims.versicherung-digital.de" + path}, "response": map[string]any{"status": status}}, "subsegments": subs})
			}
		}
		// Health checks never touch AWS: targets stay healthy.
	})

	// claims-processor: python-json-logger lines; SQS via endpoint works, Textract does not.
	pg := "/ecs/claims-processor"
	pst := "claims-processor/claims-processor/" + s.hex(32)
	backlog, oldest := 0.0, time.Time{}
	pyj := func(at time.Time, level, msg string, extra map[string]any) {
		m := map[string]any{"asctime": at.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d", at.Nanosecond()/1e6), "levelname": level, "name": "claims.processor", "message": msg}
		for k, v := range extra {
			m[k] = v
		}
		s.log(pg, pst, at, mustJSON(m))
	}
	s.sim(time.Minute, func(t time.Time) {
		in := float64(s.poisson(28))
		backlog += in
		done := 0.0
		for i := 0; i < int(backlog) && i < 40; i++ {
			at := t.Add(time.Duration(i*1400) * time.Millisecond)
			natAttempts.inc(at)
			claim := fmt.Sprintf("CLM-%06d", s.rng.Intn(999999))
			if blocked(at) {
				at2 := at.Add(22 * time.Second)
				pyj(at2, "ERROR", "textract analyze failed, message left for redelivery", map[string]any{"claim_id": claim, "exc_info": "Traceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/urllib3/connection.py\", line 198, in _new_conn\n    sock = connection.create_connection(\nTimeoutError: timed out\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/app/claims/processor.py\", line 64, in handle\n    result = textract.analyze_document(Document={\"S3Object\": {\"Bucket\": BUCKET, \"Name\": key}}, FeatureTypes=[\"FORMS\"])\n  File \"/usr/local/lib/python3.12/site-packages/botocore/client.py\", line 569, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n  File \"/usr/local/lib/python3.12/site-packages/botocore/endpoint.py\", line 383, in _send\n    return self.http_session.send(request)\n  File \"/usr/local/lib/python3.12/site-packages/botocore/httpsession.py\", line 499, in send\n    raise ConnectTimeoutError(endpoint_url=request.url, error=e)\nbotocore.exceptions.ConnectTimeoutError: Connect timeout on endpoint URL: \"https://textract.eu-central-1.amazonaws.com/\""})
				if onset.IsZero() {
					onset = at
				}
				continue
			}
			natEst.inc(at)
			done++
			if s.rng.Intn(90) == 0 {
				pyj(at.Add(2*time.Second), "WARNING", "unsupported document, sent to manual review", map[string]any{"claim_id": claim, "error": "An error occurred (UnsupportedDocumentException) when calling the AnalyzeDocument operation: Request has unsupported document format"})
				continue
			}
			pyj(at.Add(2*time.Second), "INFO", "claim processed", map[string]any{"claim_id": claim, "pages": 1 + s.rng.Intn(6), "sns_topic": "claims-processed"})
		}
		backlog -= done
		if backlog < 0 {
			backlog = 0
		}
		qVis.add(t, math.Round(backlog))
		if backlog > 40 {
			if oldest.IsZero() {
				oldest = t
			}
			qAge.add(t, t.Sub(oldest).Seconds()+90)
		} else {
			oldest = time.Time{}
			qAge.add(t, float64(5+s.rng.Intn(40)))
		}
	})

	// VPC flow logs (version 2 default format), a sample of the app ENIs' flows.
	fg := "/vpc/flow-logs/prod-vpc"
	enis := []string{"eni-0c7d1e9f3a5b28460", "eni-0e2f4a6c8b1d39570"}
	s.every(time.Minute, func(t time.Time) {
		for j := 0; j < 14; j++ {
			eni := enis[s.rng.Intn(2)]
			src := fmt.Sprintf("10.50.%d.%d", 17+s.rng.Intn(2), 44+s.rng.Intn(160))
			var dst string
			port := 443
			switch s.rng.Intn(4) {
			case 0:
				dst = fmt.Sprintf("10.50.%d.%d", 4+s.rng.Intn(3), 10+s.rng.Intn(200)) // interface endpoints
			case 1:
				dst = fmt.Sprintf("3.5.%d.%d", 134+s.rng.Intn(4), 1+s.rng.Intn(250)) // S3 via gateway endpoint
			default:
				dst = fmt.Sprintf("52.94.%d.%d", 136+s.rng.Intn(8), 1+s.rng.Intn(250)) // DynamoDB / Textract public
			}
			action := "ACCEPT"
			if dst[:4] == "52.9" && blocked(t) {
				action = "REJECT"
			}
			pk := 2 + s.rng.Intn(40)
			if action == "REJECT" {
				pk = 1 + s.rng.Intn(3)
			}
			st := t.Unix()
			s.log(fg, eni+"-all", t.Add(time.Duration(s.rng.Intn(60))*time.Second), fmt.Sprintf("2 %s %s %s %s %d %d 6 %d %d %d %d %s OK", s.account, eni, src, dst, 32768+s.rng.Intn(28000), port, pk, pk*(60+s.rng.Intn(1400)), st, st+60, action))
		}
		// Pre-existing: internet scanners rejected at the ALB's ENI.
		for j := s.poisson(1.5); j > 0; j-- {
			st := t.Unix()
			s.log(fg, "eni-0a9b8c7d6e5f41320-all", t.Add(time.Duration(s.rng.Intn(60))*time.Second), fmt.Sprintf("2 %s eni-0a9b8c7d6e5f41320 %d.%d.%d.%d 10.50.1.%d %d %s 6 1 44 %d %d REJECT OK", s.account, 45+s.rng.Intn(150), s.rng.Intn(255), s.rng.Intn(255), 1+s.rng.Intn(250), 10+s.rng.Intn(40), 40000+s.rng.Intn(20000), s.pick("23", "22", "3389", "8080", "5900"), st, st+60))
		}
	})

	lbd := [][2]string{{"LoadBalancer", s.albID}}
	tgd := [][2]string{{"TargetGroup", "targetgroup/claims-api/3f4e5d6c7b8a9012"}, {"LoadBalancer", s.albID}}
	s.metric("AWS/ApplicationELB", "RequestCount", lbd, "Count", reqs.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, "Count", e504.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_ELB_504_Count", lbd, "Count", e504.countDP)
	s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tgd, "Count", t5.countDP)
	s.metric("AWS/ApplicationELB", "TargetResponseTime", tgd, "Seconds", rt.statDP)
	s.metric("AWS/ApplicationELB", "HealthyHostCount", tgd, "Count", func(t time.Time) (dp, bool) { return gauge(60, 2, 2, 2), true })
	nat := [][2]string{{"NatGatewayId", "nat-0b3c5d7e9f1a24680"}}
	s.metric("AWS/NATGateway", "ConnectionAttemptCount", nat, "Count", func(t time.Time) (dp, bool) { return count(natEst.sum(t)*0.35 + float64(s.poisson(30))), true })
	s.metric("AWS/NATGateway", "ConnectionEstablishedCount", nat, "Count", func(t time.Time) (dp, bool) { return count(natEst.sum(t)*0.35 + float64(s.poisson(30))), true })
	qd := [][2]string{{"QueueName", "claims-intake"}}
	g := func(m series) func(t time.Time) (dp, bool) {
		return func(t time.Time) (dp, bool) { v := m.sum(t); return gauge(1, v, v, v), true }
	}
	s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", qd, "Seconds", g(qAge))
	s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", qd, "Count", g(qVis))

	fired, recent := firstBreach(e504.sum, s.start, s.end, 3, 2, 10, false, 47*time.Second)
	s.alarm(alarmSpec{name: "claims-prod-elb-5xx", desc: "claims-prod ALB 5xx > 10/min (2 of 3)", ns: "AWS/ApplicationELB", metric: "HTTPCode_ELB_5XX_Count", stat: "Sum", op: "GreaterThanThreshold",
		dims: lbd, period: 60, evals: 3, toAlarm: 2, threshold: 10, firedAt: fired, recent: recent, actions: []string{"arn:aws:sns:eu-central-1:350921746618:claims-oncall"}})
	s.okAlarm("claims-api-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", "GreaterThanThreshold", tgd, 0)
	s.okAlarm("claims-intake-dlq", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", "GreaterThanThreshold", [][2]string{{"QueueName", "claims-intake-dlq"}}, 0)
	s.responders(dev, fired)

	s.truth = map[string]any{"name": s.name, "kind": "network", "alarm": "claims-prod-elb-5xx",
		"root_cause": map[string]any{"event_name": "RevokeSecurityGroupEgress", "event_time": iso(rootAt), "resource": sg},
		"onset":      iso(onset.Truncate(time.Minute)),
		"decoys": []map[string]any{
			{"event_name": "AuthorizeSecurityGroupIngress", "event_time": iso(ingressAt)},
			{"event_name": "RevokeSecurityGroupIngress", "event_time": iso(ingressAt.Add(25 * time.Second))},
			{"event_name": "RevokeSecurityGroupIngress", "event_time": iso(bastionAt)},
			{"event_name": "ModifyNetworkInterfaceAttribute", "event_time": iso(eniAt)},
		},
		"signals": []string{"connect ETIMEDOUT", "ConnectTimeoutError", sg}}
}
