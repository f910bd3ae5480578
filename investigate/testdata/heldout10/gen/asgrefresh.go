package main

import (
	"fmt"
	"math"
	"time"
)

// asgRefresh: the infra pipeline publishes launch template version 14 of
// web-checkout (a new base AMI whose image lacks /opt/checkout/bin, so the
// user data fails), points web-checkout-asg at $Latest and starts an
// instance refresh. The ASG uses EC2 health checks, so the refresh marches
// on while every new instance fails the ALB health check; healthy capacity
// shrinks one instance every 2.5 minutes, and errors grow as the survivors
// overload, until the ALB fails open onto dead targets.
func asgRefresh(s *snap) {
	s.setup("us-east-2", "419530228806", ts("2026-12-01T10:15:00Z"), 90,
		"checkout target group unhealthy hosts",
		"checkout.parcelwise.com: ALB checkout-prod -> target group checkout-web-8080 -> EC2 Auto Scaling group web-checkout-asg (launch template web-checkout lt-0c2e9a71f4b3d5e68, Spring Boot on Amazon Linux, HealthCheckType EC2) -> RDS PostgreSQL. App logs via CloudWatch agent to /ec2/web-checkout/app, cloud-init output to /ec2/web-checkout/cloud-init-output. A second ASG web-catalog-asg serves the catalog.")
	asg, lt := "web-checkout-asg", "lt-0c2e9a71f4b3d5e68"
	clv := ts("2026-12-01T11:02:10Z")
	upd := ts("2026-12-01T11:03:02Z")
	refresh := ts("2026-12-01T11:03:40Z")
	onset := ts("2026-12-01T11:11:15Z") // fourth healthy instance drained: survivors overload
	desired := ts("2026-12-01T10:31:12Z")
	sched := ts("2026-12-01T10:48:30Z")
	lb := "app/checkout-prod/4f8b2d6a0c1e3579"
	tgName := "targetgroup/checkout-web-8080/8a0c2e4b6d1f3a57"
	tg := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:%s", s.region, s.account, tgName)
	cert := fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "9c1e3a5b-7d9f-4b1c-a3e5-c7e9a1b3d5f7")
	dom := "checkout.parcelwise.com"

	type inst struct {
		id, ip          string
		up, down        time.Time // serving window (healthy in the target group)
		launched        time.Time
		bad             bool
		registered, end time.Time
	}
	var fleet []*inst
	mk := func(bad bool, launched time.Time) *inst {
		i := &inst{id: "i-0" + s.hex(16), ip: fmt.Sprintf("10.60.%d.%d", 1+s.rng.Intn(3), 10+s.rng.Intn(240)), launched: launched, bad: bad, end: s.end.Add(time.Hour)}
		i.registered = launched.Add(time.Duration(70+s.rng.Intn(15)) * time.Second)
		if bad {
			i.up = s.end.Add(time.Hour) // never healthy
		} else {
			i.up = i.registered.Add(25 * time.Second)
		}
		i.down = s.end.Add(time.Hour)
		fleet = append(fleet, i)
		return i
	}
	var olds []*inst
	for k := 0; k < 6; k++ {
		olds = append(olds, mk(false, s.start.Add(-72*time.Hour)))
	}
	olds = append(olds, mk(false, desired.Add(20*time.Second)), mk(false, desired.Add(21*time.Second)))
	var news []*inst
	steps := []time.Time{}
	for k := 0; k < 8; k++ {
		step := refresh.Add(5*time.Second + time.Duration(k*150)*time.Second)
		steps = append(steps, step)
		olds[k].down = step // deregistered (draining) then terminated
		olds[k].end = step.Add(30 * time.Second)
		news = append(news, mk(true, step.Add(35*time.Second)))
	}
	healthy := func(t time.Time) []*inst {
		var h []*inst
		for _, i := range fleet {
			if !t.Before(i.up) && t.Before(i.down) {
				h = append(h, i)
			}
		}
		return h
	}
	registeredBad := func(t time.Time) []*inst {
		var b []*inst
		for _, i := range news {
			if !t.Before(i.registered) {
				b = append(b, i)
			}
		}
		return b
	}
	loadAt := func(t time.Time) float64 { // requests per second
		x := t.Sub(s.start).Minutes()
		return 120 + 70*math.Min(1, x/30)
	}
	const capPer = 40.0
	e5 := map[time.Time]float64{}
	reqs := map[time.Time]float64{}
	lat := map[time.Time][]float64{}
	const sample = 0.012 // ALB log lines written per real request (keeps the snapshot small)

	s.minutes(func(m time.Time) {
		n := int(s.jitter(loadAt(m)*60*sample, 0.08))
		reqs[m] = float64(n) / sample
		for r := 0; r < n; r++ {
			t := s.at(m)
			h := healthy(t)
			path := s.pick("/checkout", "/api/cart", "/api/cart/items", "/api/shipping/quote", "/api/payment/intent", "/static/js/app."+s.hex(8)+".js", "/api/address/validate")
			method := "GET"
			if path == "/api/payment/intent" || path == "/api/cart/items" {
				method = "POST"
			}
			req := albReq{t: t, client: s.clientIP(), reqT: 0.001, respT: 0, rcvd: 400 + s.rng.Intn(1200), sent: 300 + s.rng.Intn(9000), method: method, url: "https://" + dom + ":443" + path, ua: s.browser()}
			if len(h) == 0 {
				// Fail-open: the ALB routes to unhealthy targets, which refuse.
				b := registeredBad(t)
				i := b[s.rng.Intn(len(b))]
				req.target, req.elb, req.tgtT, req.sent = i.ip+":8080", 502, -1, 272
				e5[m]++
				s.albLog(lb, tg, dom, cert, req)
				continue
			}
			i := h[s.rng.Intn(len(h))]
			u := loadAt(t) / (capPer * float64(len(h)))
			d := 0.04 + s.rng.ExpFloat64()*0.05
			if u > 0.85 {
				d *= 1 + 6*(u-0.85)
			}
			req.target = i.ip + ":8080"
			code := 200
			if path == "/api/payment/intent" && s.rng.Float64() < 0.02 {
				code = 402 // card declined (pre-existing)
			}
			if path == "/api/shipping/quote" && s.rng.Float64() < 0.015 {
				code, d = 500, 0.2 // carrier API hiccup (pre-existing)
			}
			if u > 1 && s.rng.Float64() < 1-1/u {
				if s.rng.Float64() < 0.6 {
					code, d = 504, 30.0
					req.tgt = 0
					req.target = i.ip + ":8080"
					req.tgtT = -1
				} else {
					code, d = 502, 0.3+s.rng.Float64()
					req.tgt = 0
					req.tgtT = -1
				}
				e5[m]++
				if s.rng.Float64() < 0.3 {
					s.log("/ec2/web-checkout/app", i.id, t, t.Format("2006-01-02 15:04:05.000")+"  WARN 2417 --- [nio-8080-exec-"+fmt.Sprint(1+s.rng.Intn(200))+"] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Connection is not available, request timed out after 30001ms (total=20, active=20, idle=0, waiting="+fmt.Sprint(30+s.rng.Intn(90))+")")
				}
				if s.rng.Float64() < 0.1 {
					s.log("/ec2/web-checkout/app", i.id, t, t.Format("2006-01-02 15:04:05.000")+" ERROR 2417 --- [nio-8080-exec-"+fmt.Sprint(1+s.rng.Intn(200))+"] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection] with root cause\n\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30001ms (total=20, active=20, idle=0, waiting=64)\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n\tat com.parcelwise.checkout.cart.CartRepository.load(CartRepository.java:57)")
				}
			} else if req.tgt == 0 {
				req.tgt = code
			}
			req.elb = code
			if req.tgt == 0 && code < 500 {
				req.tgt = code
			}
			if code < 502 {
				req.tgtT = d
			}
			if code == 500 {
				e5[m]++
				s.log("/ec2/web-checkout/app", i.id, t, t.Format("2006-01-02 15:04:05.000")+" ERROR 2417 --- [nio-8080-exec-"+fmt.Sprint(1+s.rng.Intn(200))+"] c.p.checkout.shipping.QuoteController    : carrier quote failed\n\norg.springframework.web.client.HttpServerErrorException$BadGateway: 502 Bad Gateway: \"{\"error\":\"carrier_unavailable\"}\"\n\tat org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:171)\n\tat com.parcelwise.checkout.shipping.CarrierClient.quote(CarrierClient.java:88)")
			}
			lat[m] = append(lat[m], d)
			req.t = t.Add(time.Duration(d * 1e9))
			s.albLog(lb, tg, dom, cert, req)
			if code == 200 && s.rng.Float64() < 0.25 {
				s.log("/ec2/web-checkout/app", i.id, t, t.Format("2006-01-02 15:04:05.000")+"  INFO 2417 --- [nio-8080-exec-"+fmt.Sprint(1+s.rng.Intn(200))+"] c.p.checkout.web.RequestLoggingFilter    : "+method+" "+path+" status=200 took="+fmt.Sprint(int(d*1000))+"ms")
			}
		}
		// Pre-existing noise on healthy instances.
		if s.rng.Float64() < 0.15 {
			t := s.at(m)
			if h := healthy(t); len(h) > 0 {
				i := h[s.rng.Intn(len(h))]
				s.log("/ec2/web-checkout/app", i.id, t, t.Format("2006-01-02 15:04:05.000")+" ERROR 2417 --- [nio-8080-exec-"+fmt.Sprint(1+s.rng.Intn(200))+"] c.p.checkout.promo.PromoCodeService      : promo lookup failed\n\njava.lang.NullPointerException: Cannot invoke \"com.parcelwise.checkout.promo.Campaign.getRules()\" because \"campaign\" is null\n\tat com.parcelwise.checkout.promo.PromoCodeService.apply(PromoCodeService.java:112)\n\tat com.parcelwise.checkout.cart.CartService.reprice(CartService.java:204)")
			}
		}
	})
	// cloud-init output on the new instances.
	for _, i := range news {
		if i.launched.After(s.end) {
			continue
		}
		c := func(dt time.Duration, msg string) {
			s.log("/ec2/web-checkout/cloud-init-output", i.id, i.launched.Add(dt), msg)
		}
		t0 := i.launched.Add(31 * time.Second)
		c(31*time.Second, "Cloud-init v. 22.2.2 running 'modules:final' at "+t0.Format("Mon, 02 Jan 2006 15:04:05 -0700")+". Up 19.87 seconds.")
		c(32*time.Second, "+ export CHECKOUT_ENV=prod")
		c(32*time.Second, "+ /opt/checkout/bin/render-config --env prod --out /etc/checkout/application.yml")
		c(32*time.Second, "/var/lib/cloud/instance/scripts/part-001: line 14: /opt/checkout/bin/render-config: No such file or directory")
		c(33*time.Second, t0.Add(2*time.Second).Format("2006-01-02 15:04:05,000")+" - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)")
		c(33*time.Second, t0.Add(2*time.Second).Format("2006-01-02 15:04:05,000")+" - util.py[WARNING]: Running module scripts-user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3.9/site-packages/cloudinit/config/cc_scripts_user.py'>) failed")
		c(34*time.Second, "Cloud-init v. 22.2.2 finished at "+t0.Add(3*time.Second).Format("Mon, 02 Jan 2006 15:04:05 -0700")+". Datasource DataSourceEc2.  Up 22.41 seconds")
	}
	// cloud-init of the two instances added by hand earlier (old, good version).
	for _, i := range olds[6:] {
		t0 := i.launched.Add(31 * time.Second)
		s.log("/ec2/web-checkout/cloud-init-output", i.id, t0, "Cloud-init v. 22.2.2 running 'modules:final' at "+t0.Format("Mon, 02 Jan 2006 15:04:05 -0700")+". Up 20.12 seconds.")
		s.log("/ec2/web-checkout/cloud-init-output", i.id, t0.Add(time.Second), "+ /opt/checkout/bin/render-config --env prod --out /etc/checkout/application.yml")
		s.log("/ec2/web-checkout/cloud-init-output", i.id, t0.Add(2*time.Second), "rendered /etc/checkout/application.yml (41 keys)")
		s.log("/ec2/web-checkout/cloud-init-output", i.id, t0.Add(3*time.Second), "Cloud-init v. 22.2.2 finished at "+t0.Add(3*time.Second).Format("Mon, 02 Jan 2006 15:04:05 -0700")+". Datasource DataSourceEc2.  Up 23.05 seconds")
		s.log("/ec2/web-checkout/app", i.id, t0.Add(40*time.Second), t0.Add(40*time.Second).Format("2006-01-02 15:04:05.000")+"  INFO 2417 --- [           main] c.p.checkout.CheckoutApplication         : Started CheckoutApplication in 31.822 seconds (process running for 33.104)")
	}

	tgd := []dim{{"TargetGroup", tgName}, {"LoadBalancer", lb}}
	s.series("AWS/ApplicationELB", "HealthyHostCount", "Count", tgd, func(m time.Time) (float64, float64, bool) {
		return float64(len(healthy(m.Add(30 * time.Second)))), 6, true
	})
	s.series("AWS/ApplicationELB", "UnHealthyHostCount", "Count", tgd, func(m time.Time) (float64, float64, bool) {
		n := 0
		for _, i := range news {
			if !m.Add(30 * time.Second).Before(i.registered.Add(30 * time.Second)) {
				n++
			}
		}
		return float64(n), 6, true
	})
	lbd := []dim{{"LoadBalancer", lb}}
	s.counter("AWS/ApplicationELB", "RequestCount", lbd, func(m time.Time) (float64, bool) { return reqs[m], true })
	s.counter("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, func(m time.Time) (float64, bool) { return e5[m] / sample, true })
	s.series("AWS/ApplicationELB", "TargetResponseTime", "Seconds", lbd, func(m time.Time) (float64, float64, bool) {
		sum := 0.0
		for _, v := range lat[m] {
			sum += v
		}
		if len(lat[m]) == 0 {
			return 0, 0, false
		}
		return sum / float64(len(lat[m])), reqs[m], true
	})
	ad := []dim{{"AutoScalingGroupName", asg}}
	s.series("AWS/AutoScaling", "GroupInServiceInstances", "None", ad, func(m time.Time) (float64, float64, bool) {
		if m.Before(desired) {
			return 6, 1, true
		}
		return 8, 1, true
	})
	s.series("AWS/EC2", "CPUUtilization", "Percent", ad, func(m time.Time) (float64, float64, bool) {
		h := len(healthy(m))
		v := 30.0
		if h > 0 {
			v = math.Min(97, 100*loadAt(m)/(capPer*float64(h))*0.7)
		}
		return s.jitter(v, 0.05), 8, true
	})
	s.series("AWS/EC2", "CPUUtilization", "Percent", []dim{{"AutoScalingGroupName", "web-catalog-asg"}}, func(m time.Time) (float64, float64, bool) {
		return s.jitter(41, 0.12), 4, true
	})
	s.series("AWS/RDS", "DatabaseConnections", "Count", []dim{{"DBInstanceIdentifier", "checkout-pg"}}, func(m time.Time) (float64, float64, bool) {
		return float64(20*len(healthy(m))) + s.jitter(6, 0.5), 1, true
	})
	s.alarm("checkout-tg-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", tgd, 2, "GreaterThanThreshold", 3, ts("2026-12-01T11:13:52Z"),
		"Threshold Crossed: 3 out of the last 3 datapoints [4.0 (01/12/26 11:12:00), 3.0 (01/12/26 11:11:00), 3.0 (01/12/26 11:10:00)] were greater than the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.alarm("checkout-alb-5xx-high", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", lbd, 300, "GreaterThanThreshold", 2, ts("2026-12-01T11:15:40Z"),
		"Threshold Crossed: 2 out of the last 2 datapoints [2412.0 (01/12/26 11:14:00), 1380.0 (01/12/26 11:13:00)] were greater than the threshold (300.0) (minimum 2 datapoints for OK -> ALARM transition).")

	// CloudTrail.
	s.noise(500, []string{"web-checkout-ec2", "web-catalog-ec2", "ecsTaskExecutionRole"}, []string{"parcelwise-artifacts", "parcelwise-alb-logs"})
	infra := s.role("infra-pipeline-deployer", "codebuild-web-checkout-ami-rollout-1432", "3.19.88.201", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.1 os/linux#5.10.228-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/AWS_ECS_EC2 cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off md/command#autoscaling.start-instance-refresh")
	marta := s.role("AWSReservedSSO_SRE_2a6c0e4b8d1f3579", "marta.silva@parcelwise.com", "98.14.201.60", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
	ben := s.role("AWSReservedSSO_SRE_2a6c0e4b8d1f3579", "ben.howell@parcelwise.com", "98.14.201.66", "aws-cli/2.21.1 md/awscrt#0.22.0 ua/2.1 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/command#autoscaling.put-scheduled-update-group-action")
	asSvc := principal{kind: "AssumedRole", role: "AWSServiceRoleForAutoScaling", session: "AutoScaling", ip: "autoscaling.amazonaws.com", ua: "autoscaling.amazonaws.com", roleID: "AROA" + s.alnum(17), keyID: "ASIA" + s.alnum(16)}
	asgARN := fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s", s.region, s.account, s.uuid(), asg)
	asgRes := map[string]any{"accountId": s.account, "type": "AWS::AutoScaling::AutoScalingGroup", "ARN": asgARN}
	s.ct(desired, marta, "autoscaling.amazonaws.com", "SetDesiredCapacity", false, map[string]any{"autoScalingGroupName": asg, "desiredCapacity": 8, "honorCooldown": false}, nil, asgRes)
	launch := func(t time.Time, i *inst, ver string) {
		s.ct(t, asSvc, "ec2.amazonaws.com", "RunInstances", false, map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"minCount": 1, "maxCount": 1}}},
			"launchTemplate": map[string]any{"launchTemplateId": lt, "version": ver}, "subnetId": "subnet-0" + s.hex(16)},
			map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": i.id, "privateIpAddress": i.ip, "instanceState": map[string]any{"code": 0, "name": "pending"}}}}})
		s.ct(i.registered, asSvc, "elasticloadbalancing.amazonaws.com", "RegisterTargets", false, map[string]any{"targetGroupArn": tg, "targets": []map[string]any{{"id": i.id, "port": 8080}}}, nil)
	}
	launch(olds[6].launched, olds[6], "13")
	launch(olds[7].launched, olds[7], "13")
	s.ct(sched, ben, "autoscaling.amazonaws.com", "PutScheduledUpdateGroupAction", false, map[string]any{"autoScalingGroupName": "web-catalog-asg", "scheduledActionName": "catalog-black-friday-week-scale-up",
		"recurrence": "0 6 * * 1-5", "minSize": 4, "maxSize": 16, "desiredCapacity": 8, "timeZone": "America/New_York"}, nil)
	s.ct(clv, infra, "ec2.amazonaws.com", "CreateLaunchTemplateVersion", false, map[string]any{"CreateLaunchTemplateVersionRequest": map[string]any{
		"LaunchTemplateId": lt, "SourceVersion": "13", "VersionDescription": "base AMI al2023-2026.11.28 (pipeline run 1432)",
		"LaunchTemplateData": map[string]any{"ImageId": "ami-0f3e8b1d5a7c92e46", "UserData": "<sensitiveDataRemoved>"}}},
		map[string]any{"CreateLaunchTemplateVersionResponse": map[string]any{"launchTemplateVersion": map[string]any{"launchTemplateId": lt, "launchTemplateName": "web-checkout", "versionNumber": 14, "defaultVersion": false,
			"versionDescription": "base AMI al2023-2026.11.28 (pipeline run 1432)", "createTime": clv.Format("2006-01-02T15:04:05.000Z")}}})
	s.ct(upd, infra, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", false, map[string]any{"autoScalingGroupName": asg, "launchTemplate": map[string]any{"launchTemplateId": lt, "version": "$Latest"}}, nil, asgRes)
	s.ct(refresh, infra, "autoscaling.amazonaws.com", "StartInstanceRefresh", false, map[string]any{"autoScalingGroupName": asg, "strategy": "Rolling",
		"preferences": map[string]any{"minHealthyPercentage": 85, "instanceWarmup": 120, "skipMatching": true, "autoRollback": false}},
		map[string]any{"instanceRefreshId": s.uuid()}, asgRes)
	for k, st := range steps {
		if st.After(s.end) {
			continue
		}
		s.ct(st, asSvc, "elasticloadbalancing.amazonaws.com", "DeregisterTargets", false, map[string]any{"targetGroupArn": tg, "targets": []map[string]any{{"id": olds[k].id, "port": 8080}}}, nil)
		s.ct(olds[k].end, asSvc, "ec2.amazonaws.com", "TerminateInstances", false, map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": olds[k].id}}}},
			map[string]any{"instancesSet": map[string]any{"items": []map[string]any{{"instanceId": olds[k].id, "currentState": map[string]any{"code": 32, "name": "shutting-down"}}}}})
		launch(news[k].launched, news[k], "$Latest")
	}
	for t := refresh.Add(30 * time.Second); t.Before(s.end); t = t.Add(time.Duration(90+s.rng.Intn(60)) * time.Second) {
		s.ct(t, infra, "autoscaling.amazonaws.com", "DescribeInstanceRefreshes", true, map[string]any{"autoScalingGroupName": asg}, nil)
	}
	for _, t := range []string{"2026-12-01T11:14:40Z", "2026-12-01T11:15:22Z", "2026-12-01T11:17:05Z"} {
		s.ct(ts(t), marta, s.pick("elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com"), s.pick("DescribeTargetHealth", "DescribeAutoScalingGroups", "DescribeScalingActivities"), true, map[string]any{"targetGroupArn": tg}, nil)
	}

	s.truth = truth{Kind: "asg-instance-refresh-bad-launch-template", Alarm: "checkout-tg-unhealthy-hosts",
		RootCause: &rootCause{"StartInstanceRefresh", refresh, asg}, Onset: onset,
		Decoys:  []decoy{{"SetDesiredCapacity", desired}, {"PutScheduledUpdateGroupAction", sched}},
		Signals: []string{"web-checkout-asg", "render-config"}}
}
