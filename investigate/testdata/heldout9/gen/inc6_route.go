package main

import (
	"fmt"
	"math"
	"time"
)

// routeTableAssociation: ReplaceRouteTableAssociation moves the private
// subnet in eu-central-1b onto the isolated (no NAT) route table; the
// payments-gateway tasks in that AZ can no longer reach the payment
// provider: connect timeouts, a third of checkouts fail.
func routeTableAssociation() {
	onset := ts("2026-10-27T11:18:31Z")
	s := newS("route-table-association-no-nat", "eu-central-1", "927416358203", 9606, onset)
	s.Title = "payments-gateway 5XX rate"
	s.Arch = "VPC vpc-0c4a7e19d2b3f5a86 with private subnets per AZ (subnet-0a1c… eu-central-1a, subnet-0b7e… eu-central-1b, subnet-0c3d… eu-central-1c), each with its own route table whose default route goes to the NAT gateway in that AZ. ECS Fargate service 'payments-gateway' (Python 3.12, gunicorn, python-json-logger, X-Ray SDK) runs 6 tasks spread over the three AZs behind ALB 'checkout-prod' and calls the payment provider at checkout-live.adyenpayments.com; AWS APIs are reached through VPC endpoints."
	change := ts("2026-10-27T11:18:22Z")
	app := "/ecs/payments-gateway"
	type task struct{ id, ip, az string }
	tasks := []task{
		{s.hex(32), "10.40.4.57", "eu-central-1a"}, {s.hex(32), "10.40.11.203", "eu-central-1a"},
		{s.hex(32), "10.40.37.18", "eu-central-1b"}, {s.hex(32), "10.40.52.140", "eu-central-1b"},
		{s.hex(32), "10.40.70.91", "eu-central-1c"}, {s.hex(32), "10.40.88.6", "eu-central-1c"},
	}
	tg := "arn:aws:elasticloadbalancing:eu-central-1:927416358203:targetgroup/payments-gateway-tg/2f6a9c1e7d3b5048"
	type minute struct{ req, c5, lat, natB, natA float64 }
	per := map[int64]*minute{}
	get := func(t time.Time) *minute {
		k := t.Truncate(time.Minute).Unix()
		if per[k] == nil {
			per[k] = &minute{}
		}
		return per[k]
	}
	paths := []string{"/v1/payments", "/v1/payments", "/v1/payments/%s/capture", "/v1/refunds"}
	s.seconds(func(t time.Time) {
		mn := get(t)
		rate := 2.4 + 0.6*math.Sin(float64(t.Unix()%2700)/2700*2*math.Pi)
		for i := s.poissonish(rate); i > 0; i-- {
			at := t.Add(time.Duration(s.r.Intn(1000)) * time.Millisecond)
			k := s.r.Intn(len(tasks))
			tk := tasks[k]
			p := paths[s.r.Intn(len(paths))]
			if p == "/v1/payments/%s/capture" {
				p = fmt.Sprintf(p, "psp_"+s.alnum(16, true))
			}
			lat := s.jit(0.32, 0.4)
			status := 200
			broken := tk.az == "eu-central-1b" && !at.Before(change.Add(8*time.Second))
			if p == "/v1/payments/health" {
				broken = false
			}
			rid := s.uuid()
			stream := "payments-gateway/app/" + tk.id
			if broken {
				status, lat = 502, 15.1+s.jit(0.05, 1)
				mn.c5++
				s.log(app, stream, at.Add(5*time.Second), fmt.Sprintf(`{"asctime": "%s", "levelname": "WARNING", "name": "urllib3.connectionpool", "message": "Retrying (Retry(total=1, connect=1, read=2, redirect=None, status=None)) after connection broken by 'ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f%s>, 'Connection to checkout-live.adyenpayments.com timed out. (connect timeout=5)')': %s"}`,
					at.Add(5*time.Second).Format("2006-01-02 15:04:05,000"), s.hex(10), "/checkout/v71/payments"))
				if s.chance(0.7) {
					s.log(app, stream, at.Add(15*time.Second), fmt.Sprintf(`{"asctime": "%s", "levelname": "ERROR", "name": "payments.psp", "message": "authorise failed", "request_id": "%s", "exc_info": "Traceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/urllib3/connection.py\", line 198, in _new_conn\n    sock = connection.create_connection(\n  File \"/usr/local/lib/python3.12/site-packages/urllib3/util/connection.py\", line 73, in create_connection\n    sock.connect(sa)\nTimeoutError: timed out\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/requests/adapters.py\", line 667, in send\n    resp = conn.urlopen(\nurllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='checkout-live.adyenpayments.com', port=443): Max retries exceeded with url: /checkout/v71/payments (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f%s>, 'Connection to checkout-live.adyenpayments.com timed out. (connect timeout=5)'))\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/app/payments/psp.py\", line 112, in authorise\n    resp = self.session.post(url, json=body, timeout=(5, 20))\n  File \"/usr/local/lib/python3.12/site-packages/requests/adapters.py\", line 688, in send\n    raise ConnectTimeout(e, request=request)\nrequests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='checkout-live.adyenpayments.com', port=443): Max retries exceeded with url: /checkout/v71/payments (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f%s>, 'Connection to checkout-live.adyenpayments.com timed out. (connect timeout=5)'))"}`,
						at.Add(15*time.Second).Format("2006-01-02 15:04:05,000"), rid, s.hex(10), s.hex(10)))
				}
			} else {
				if s.chance(0.012) { // pre-existing: refused by the provider
					status = 422
					s.log(app, stream, at.Add(time.Duration(lat*1e9)), fmt.Sprintf(`{"asctime": "%s", "levelname": "WARNING", "name": "payments.psp", "message": "payment refused by provider", "request_id": "%s", "psp_status": 422, "errorCode": "%s", "psp_message": "%s"}`,
						at.Add(time.Duration(lat*1e9)).Format("2006-01-02 15:04:05,000"), rid, s.pick("101", "103", "129"), s.pick("Invalid card number", "CVC Declined", "Expiry Date not valid")))
				}
				if status == 200 && s.chance(0.003) { // pre-existing: provider slowness
					status, lat = 504, 20.2
					mn.c5++
					s.log(app, stream, at.Add(20*time.Second), fmt.Sprintf(`{"asctime": "%s", "levelname": "ERROR", "name": "payments.psp", "message": "provider read timeout", "request_id": "%s", "error": "HTTPSConnectionPool(host='checkout-live.adyenpayments.com', port=443): Read timed out. (read timeout=20)"}`, at.Add(20*time.Second).Format("2006-01-02 15:04:05,000"), rid))
				}
				if tk.az == "eu-central-1b" {
					mn.natB++
				} else {
					mn.natA++
				}
			}
			mn.req++
			mn.lat += lat
			if s.chance(0.15) {
				s.log(app, stream, at.Add(time.Duration(lat*1e9)), fmt.Sprintf(`%s - - [%s] "POST %s HTTP/1.1" %d %d "-" "checkout-web/4.12.0"`, "10.40.0.12", at.Add(time.Duration(lat*1e9)).Format("02/Jan/2006:15:04:05 -0700"), p, status, 80+s.r.Intn(600)))
			}
			elb := status
			s.albLog("checkout-prod", at, fmt.Sprintf("10.40.%d.12:%d", 1+s.r.Intn(3), 40000+s.r.Intn(8)), tk.ip+":8000", 0.001, lat, 0.000, elb, status, "POST", "https://pay.example-shop.de:443"+p, "checkout-web/4.12.0 (+node-fetch)", tg, s.traceID(at), "-", 120+s.r.Intn(900))
			if s.chance(0.04) || (broken && s.chance(0.1)) {
				tid := s.traceID(at)
				sub := s.sub("checkout-live.adyenpayments.com", "remote", at.Add(20*time.Millisecond), time.Duration((lat-0.03)*1e9), broken, "ConnectTimeout", "HTTPSConnectionPool(host='checkout-live.adyenpayments.com', port=443): Max retries exceeded with url: /checkout/v71/payments (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object>, 'Connection to checkout-live.adyenpayments.com timed out. (connect timeout=5)'))",
					map[string]any{"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://checkout-live.adyenpayments.com/checkout/v71/payments"}}})
				if !broken {
					sub["http"].(map[string]any)["response"] = map[string]any{"status": map[bool]int{true: 422, false: 200}[status == 422]}
				}
				seg := s.seg(tid, "payments-gateway", "AWS::ECS::Container", at, time.Duration(lat*1e9), status, map[string]any{
					"http": map[string]any{"request": map[string]any{"method": "POST", "url": "https://pay.example-shop.de" + p, "client_ip": "10.40.0.12"}, "response": map[string]any{"status": status}},
					"aws":  map[string]any{"ecs": map[string]any{"container": "ip-" + tk.ip, "availability_zone": tk.az}}}, sub)
				s.addTrace(tid, time.Duration(lat*1e9), seg)
			}
		}
		if t.Second()%30 == 0 {
			for _, tk := range tasks {
				s.albLog("checkout-prod", t, "10.40.0.5:11000", tk.ip+":8000", 0.0, 0.002, 0.0, 200, 200, "GET", "https://pay.example-shop.de:443/healthz", "ELB-HealthChecker/2.0", tg, s.traceID(t), "-", 2)
			}
		}
		if s.chance(0.002) {
			tk := tasks[s.r.Intn(6)]
			s.log(app, "payments-gateway/app/"+tk.id, t, fmt.Sprintf("[%s +0000] [%d] [INFO] Booting worker with pid: %d", t.Format("2006-01-02 15:04:05"), 7, 100+s.r.Intn(400)))
		}
	})
	at := func(t time.Time) *minute {
		if m := per[t.Unix()]; m != nil {
			return m
		}
		return &minute{}
	}
	lb := dims("LoadBalancer", "app/checkout-prod/"+s.albID["checkout-prod"], "TargetGroup", "targetgroup/payments-gateway-tg/2f6a9c1e7d3b5048")
	s.albCount("RequestCount", lb, func(t time.Time) float64 { return at(t).req })
	s.albCount("HTTPCode_Target_5XX_Count", lb, func(t time.Time) float64 { return at(t).c5 })
	s.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", "gauge", lb, func(t time.Time) float64 { return at(t).lat / (at(t).req + 0.001) })
	s.metric("AWS/ApplicationELB", "HealthyHostCount", "Count", "gauge", lb, func(t time.Time) float64 { return 6 })
	for _, n := range []struct{ id, az string }{{"nat-0a9f3c1e7b5d2e481", "a"}, {"nat-0b2e8d4f6a1c3e597", "b"}, {"nat-0c7d1a5e9f3b2c604", "c"}} {
		n := n
		nd := dims("NatGatewayId", n.id)
		s.metric("AWS/NATGateway", "ConnectionEstablishedCount", "Count", "sum", nd, func(t time.Time) float64 {
			if n.az == "b" {
				return at(t).natB*1.1 + math.Round(s.jit(3, 1))
			}
			return at(t).natA/2*1.1 + math.Round(s.jit(3, 1))
		})
		s.metric("AWS/NATGateway", "BytesOutToDestination", "Bytes", "sum", nd, func(t time.Time) float64 {
			if n.az == "b" {
				return at(t).natB*4200 + s.jit(20000, 0.5)
			}
			return at(t).natA/2*4200 + s.jit(20000, 0.5)
		})
	}
	s.metric("AWS/ECS", "CPUUtilization", "Percent", "gauge", dims("ClusterName", "payments-prod", "ServiceName", "payments-gateway"), func(t time.Time) float64 { return s.jit(17, 0.2) })
	s.metric("AWS/ECS", "CPUUtilization", "Percent", "gauge", dims("ClusterName", "payments-prod", "ServiceName", "ledger-writer"), func(t time.Time) float64 {
		v := s.jit(30, 0.15)
		if t.After(onset.Add(-50*time.Minute)) && t.Before(onset.Add(-41*time.Minute)) {
			v += 40 // month-end reconciliation batch
		}
		return v
	})
	fire, reason := fireAt(s, func(t time.Time) float64 { return at(t).c5 }, 20, 3, onset)
	s.alarm("payments-gateway-5xx", "payments-gateway target 5XX above 20/min for 3 minutes: checkouts failing", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb, 60, 3, 20, "GreaterThanThreshold", time.Time{}, fire, reason, "notBreaching")
	s.okAlarm("payments-gateway-latency", "AWS/ApplicationELB", "TargetResponseTime", "Average", lb, 5, "GreaterThanThreshold")

	net := s.role("AWSReservedSSO_NetworkAdmin_8d3b6f0a2c9e1475", "d.weber@example-corp.com", "192.0.2.33", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", true)
	tf := s.role("terraform-apply", "atlantis-network", "3.121.55.8", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.72.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.182.0", false)
	s.baseNoise(500, "payments-gateway", []noiseOp{
		{p: net, source: "ec2.amazonaws.com", name: "DescribeRouteTables", ro: true, weight: 4},
		{p: net, source: "ec2.amazonaws.com", name: "DescribeSubnets", ro: true, weight: 3},
		{p: net, source: "ec2.amazonaws.com", name: "DescribeNatGateways", ro: true, weight: 2},
		{p: tf, source: "ec2.amazonaws.com", name: "DescribeVpcs", ro: true, weight: 3},
		{p: s.service("ecs.amazonaws.com"), source: "ec2.amazonaws.com", name: "DescribeNetworkInterfaces", ro: true, weight: 3},
	})
	d1 := ts("2026-10-27T11:12:08Z")
	s.trail(d1, net, "ec2.amazonaws.com", "CreateRoute",
		map[string]any{"routeTableId": "rtb-05e1b9c7a3d2f4086", "destinationCidrBlock": "10.50.0.0/16", "vpcPeeringConnectionId": "pcx-0e6a2d9c4b1f3a758"},
		map[string]any{"requestId": s.uuid(), "_return": true}, false)
	d2 := ts("2026-10-27T11:14:51Z")
	s.trail(d2, tf, "ec2.amazonaws.com", "ModifySubnetAttribute",
		map[string]any{"subnetId": "subnet-0f4e2a8c6d1b3e975", "mapPublicIpOnLaunch": map[string]any{"value": false}},
		map[string]any{"requestId": s.uuid(), "_return": true}, false)
	s.trail(change, net, "ec2.amazonaws.com", "ReplaceRouteTableAssociation",
		map[string]any{"associationId": "rtbassoc-0b5d7e3a9c2f1e864", "routeTableId": "rtb-0e8c4a1f7d3b9e625"},
		map[string]any{"requestId": s.uuid(), "newAssociationId": "rtbassoc-0d1a6c8e4f2b7a953", "associationState": map[string]any{"state": "associated"}}, false)
	s.truth = map[string]any{"name": s.Name, "kind": "network-egress", "alarm": "payments-gateway-5xx",
		"root_cause": map[string]any{"event_name": "ReplaceRouteTableAssociation", "event_time": change.Format(time.RFC3339), "resource": "rtbassoc-0b5d7e3a9c2f1e864"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{decoy("CreateRoute", d1), decoy("ModifySubnetAttribute", d2)},
		"signals":    []string{"checkout-live.adyenpayments.com", "timed out"}}
	s.write()
}
