package main

import (
	"fmt"
	"time"
)

// cognito: a console edit of the storefront's Cognito app client (to add a
// sign-out URL) drops the "profile" OAuth scope the web app asks for. The
// hosted UI redirects every browser sign-in back to /auth/callback with
// error=invalid_scope; the app answers 400 and sign-ins drop.
func cognito(s *snap) {
	s.setup("eu-west-1", "318654027719", ts("2026-11-17T13:00:00Z"), 100,
		"Storefront sign-ins dropping (SignInSuccesses low)",
		"shop.hollowaygoods.co.uk: ALB storefront-prod -> ECS service storefront-web (Node 20, Next.js + express, pino logs) -> storefront-api (Python, structlog). Sign-in via Amazon Cognito user pool eu-west-1_Xk7pQ2mRd, hosted UI hollowaygoods.auth.eu-west-1.amazoncognito.com, app client storefront-web (authorization code flow). Mobile app uses a separate client with SRP auth.")
	pool, client, mobile := "eu-west-1_Xk7pQ2mRd", "6q1ce0ab3h7t2vd8k9mfl4p5rj", "3hv2o8d1n5q6r0c7kjab94ts1m"
	poolARN := fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", s.region, s.account, pool)
	change := ts("2026-11-17T14:02:37Z")
	onset := ts("2026-11-17T14:02:48Z") // first callback with error=invalid_scope
	lb := "app/storefront-prod/7d1c9e4f2a8b3c60"
	tg := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/storefront-web-3000/4e1b7a9c0d2f6a18", s.region, s.account)
	cert := fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", s.region, s.account, "a7c1e0d4-2b9f-4c61-8e3a-5f0d7b2c9e41")
	dom := "shop.hollowaygoods.co.uk"
	targets := []string{"10.20.11.34:3000", "10.20.12.201:3000", "10.20.13.87:3000", "10.20.11.150:3000"}
	tasks := []string{"storefront-web/web/3f9c1b2a7d8e4f60a1b2c3d4e5f60718", "storefront-web/web/9a8b7c6d5e4f30211203f4e5d6c7b8a9", "storefront-web/web/0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5", "storefront-web/web/7e6d5c4b3a2f41e0d9c8b7a6f5e4d3c2"}
	hosts := []string{"ip-10-20-11-34.eu-west-1.compute.internal", "ip-10-20-12-201.eu-west-1.compute.internal", "ip-10-20-13-87.eu-west-1.compute.internal", "ip-10-20-11-150.eu-west-1.compute.internal"}

	signins := map[time.Time]float64{}
	fail := map[time.Time]float64{}
	// Traffic: page views, API calls, and sign-in callbacks.
	s.minutes(func(m time.Time) {
		hour := float64(m.Sub(s.start).Minutes())
		load := 1.0 + 0.15*float64(int(hour)%17)/17
		if m.After(ts("2026-11-17T13:35:00Z")) && m.Before(ts("2026-11-17T13:44:00Z")) {
			load *= 1.6 // newsletter campaign
		}
		nPages := int(55 * load)
		for i := 0; i < nPages; i++ {
			t := s.at(m)
			k := s.rng.Intn(len(targets))
			path := s.pick("/", "/collections/outdoor", "/products/linen-throw-"+fmt.Sprint(100+s.rng.Intn(80)), "/cart", "/api/cart", "/api/recommendations", "/search?q=lamp", "/_next/static/chunks/"+s.hex(8)+".js", "/account/orders")
			code, lat := 200, 0.02+s.rng.ExpFloat64()*0.06
			if path == "/api/recommendations" && s.rng.Float64() < 0.06 {
				code, lat = 504, 5.0 // recommendations service timeouts (pre-existing)
			}
			if s.rng.Float64() < 0.01 {
				code, path = 404, "/products/discontinued-"+fmt.Sprint(s.rng.Intn(50))
			}
			s.albLog(lb, tg, dom, cert, albReq{t: t, client: s.clientIP(), target: targets[k], reqT: 0.001, tgtT: lat, respT: 0, elb: code, tgt: code,
				rcvd: 400 + s.rng.Intn(900), sent: 2000 + s.rng.Intn(40000), method: "GET", url: "https://" + dom + ":443" + path, ua: s.browser()})
			if code == 504 {
				s.log("/ecs/storefront-web", "ecs/web/"+tasks[k][len("storefront-web/web/"):], t, js(map[string]any{"level": 40, "time": t.UnixMilli(), "pid": 1, "hostname": hosts[k],
					"req": map[string]any{"id": s.uuid(), "method": "GET", "url": "/api/recommendations"}, "err": map[string]any{"type": "TimeoutError", "message": "The operation was aborted due to timeout", "stack": "TimeoutError: The operation was aborted due to timeout\n    at new DOMException (node:internal/per_context/domexception:53:5)\n    at AbortSignal.timeout (node:internal/abort_controller:141:9)"},
					"msg": "recommendations upstream timed out"}))
			} else if s.rng.Float64() < 0.25 {
				s.log("/ecs/storefront-web", "ecs/web/"+tasks[k][len("storefront-web/web/"):], t, js(map[string]any{"level": 30, "time": t.UnixMilli(), "pid": 1, "hostname": hosts[k],
					"req": map[string]any{"id": s.uuid(), "method": "GET", "url": path}, "res": map[string]any{"statusCode": code}, "responseTime": int(lat * 1000), "msg": "request completed"}))
			}
		}
		// Browser sign-ins through the hosted UI.
		nSign := int(s.jitter(30*load, 0.2))
		ok := 0
		for i := 0; i < nSign; i++ {
			t := s.at(m)
			k := s.rng.Intn(len(targets))
			stream := "ecs/web/" + tasks[k][len("storefront-web/web/"):]
			state := s.hex(22)
			broken := !t.Before(change.Add(9 * time.Second))
			var path, errCode string
			code := 302
			switch {
			case broken && s.rng.Float64() < 0.97:
				errCode = "invalid_scope"
			case s.rng.Float64() < 0.03:
				errCode = "access_denied" // user cancelled at Google (pre-existing)
			case s.rng.Float64() < 0.02:
				errCode = "invalid_grant" // back button replays a used code (pre-existing)
			}
			if errCode == "" || errCode == "invalid_grant" {
				path = "/auth/callback?code=" + s.uuid() + "&state=" + state
			} else {
				path = "/auth/callback?error=" + errCode + "&state=" + state
			}
			lat := 0.08 + s.rng.Float64()*0.12
			switch errCode {
			case "":
				ok++
			case "invalid_grant":
				code = 401
				s.log("/ecs/storefront-web", stream, t, js(map[string]any{"level": 40, "time": t.UnixMilli(), "pid": 1, "hostname": hosts[k],
					"req": map[string]any{"id": s.uuid(), "method": "GET", "url": "/auth/callback"}, "err": map[string]any{"type": "OPError", "message": "invalid_grant", "error": "invalid_grant"},
					"msg": "token exchange failed"}))
			case "access_denied":
				code = 302
				s.log("/ecs/storefront-web", stream, t, js(map[string]any{"level": 30, "time": t.UnixMilli(), "pid": 1, "hostname": hosts[k],
					"req": map[string]any{"id": s.uuid(), "method": "GET", "url": "/auth/callback"}, "msg": "sign-in cancelled by user", "oauthError": "access_denied"}))
			case "invalid_scope":
				code = 400
				lat = 0.004 + s.rng.Float64()*0.01
				s.log("/ecs/storefront-web", stream, t, js(map[string]any{"level": 50, "time": t.UnixMilli(), "pid": 1, "hostname": hosts[k],
					"req": map[string]any{"id": s.uuid(), "method": "GET", "url": "/auth/callback?error=invalid_scope&state=" + state},
					"err": map[string]any{"type": "OPError", "message": "invalid_scope", "error": "invalid_scope", "stack": "OPError: invalid_scope\n    at processResponse (/app/node_modules/openid-client/lib/helpers/process_response.js:38:13)\n    at Client.callback (/app/node_modules/openid-client/lib/client.js:484:7)\n    at /app/dist/server/auth.js:91:36"},
					"msg": "OAuth callback returned error"}))
			}
			s.albLog(lb, tg, dom, cert, albReq{t: t, client: s.clientIP(), target: targets[k], reqT: 0.001, tgtT: lat, respT: 0, elb: code, tgt: code,
				rcvd: 1200 + s.rng.Intn(400), sent: 300 + s.rng.Intn(900), method: "GET", url: "https://" + dom + ":443" + path, ua: s.browser()})
		}
		signins[m] = float64(ok)
		fail[m] = float64(nSign - ok)
		// storefront-api (structlog) background noise.
		for i := 0; i < 12; i++ {
			t := s.at(m)
			lvl, ev := "info", s.pick("cart.updated", "order.listed", "inventory.checked", "price.resolved")
			extra := map[string]any{}
			if s.rng.Float64() < 0.04 {
				lvl, ev = "warning", "inventory.stale_cache"
				extra["age_s"] = 60 + s.rng.Intn(400)
			}
			if s.rng.Float64() < 0.015 {
				lvl, ev = "error", "payment.webhook_signature_invalid"
				extra["provider"] = "stripe"
			}
			rec := map[string]any{"event": ev, "level": lvl, "timestamp": t.Format("2006-01-02T15:04:05.000000Z"), "logger": "storefront_api.handlers", "request_id": s.uuid()}
			for k, v := range extra {
				rec[k] = v
			}
			s.log("/ecs/storefront-api", "ecs/api/"+s.pick("5d1e2f3a4b5c4d6e8f9a0b1c2d3e4f50", "8a7b6c5d4e3f42a1b0c9d8e7f6a5b4c3"), t, js(rec))
		}
	})

	// Metrics.
	dims := []dim{{"UserPool", pool}, {"UserPoolClient", client}}
	s.counter("AWS/Cognito", "SignInSuccesses", dims, func(m time.Time) (float64, bool) { return signins[m], true })
	s.counter("AWS/Cognito", "SignInSuccesses", []dim{{"UserPool", pool}, {"UserPoolClient", mobile}}, func(m time.Time) (float64, bool) {
		return s.jitter(18, 0.3), true
	})
	s.counter("AWS/Cognito", "TokenRefreshSuccesses", []dim{{"UserPool", pool}, {"UserPoolClient", client}}, func(m time.Time) (float64, bool) {
		return s.jitter(44, 0.2), true
	})
	albDims := []dim{{"LoadBalancer", lb}}
	s.counter("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", albDims, func(m time.Time) (float64, bool) { return fail[m]*0.97 + s.jitter(1, 0.9), true })
	s.counter("AWS/ApplicationELB", "RequestCount", albDims, func(m time.Time) (float64, bool) { return s.jitter(90, 0.1), true })
	s.series("AWS/ApplicationELB", "TargetResponseTime", "Seconds", albDims, func(m time.Time) (float64, float64, bool) {
		v := s.jitter(0.09, 0.2)
		if m.After(ts("2026-11-17T13:35:00Z")) && m.Before(ts("2026-11-17T13:44:00Z")) {
			v *= 2.4
		}
		return v, 90, true
	})
	s.series("AWS/ECS", "CPUUtilization", "Percent", []dim{{"ClusterName", "storefront-prod"}, {"ServiceName", "storefront-web"}}, func(m time.Time) (float64, float64, bool) {
		v := s.jitter(31, 0.15)
		if m.After(ts("2026-11-17T13:35:00Z")) && m.Before(ts("2026-11-17T13:44:00Z")) {
			v = s.jitter(58, 0.1)
		}
		return v, 4, true
	})
	s.alarm("storefront-web-signin-successes-low", "AWS/Cognito", "SignInSuccesses", "Sum", dims, 12, "LessThanThreshold", 3, ts("2026-11-17T14:07:41Z"),
		"Threshold Crossed: 3 out of the last 3 datapoints [0.0 (17/11/26 14:05:00), 1.0 (17/11/26 14:04:00), 0.0 (17/11/26 14:03:00)] were less than the threshold (12.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.okAlarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", albDims, 50)

	// CloudTrail.
	s.noise(520, []string{"storefront-web-task", "storefront-api-task", "ecsTaskExecutionRole"}, []string{"hollowaygoods-assets", "hollowaygoods-alb-logs"})
	kemi := s.role("AWSReservedSSO_PowerUserAccess_5c1f0e9a7b3d2468", "kemi.adeyemi@hollowaygoods.co.uk", "86.14.201.77", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
	tom := s.role("AWSReservedSSO_PowerUserAccess_5c1f0e9a7b3d2468", "tom.ashworth@hollowaygoods.co.uk", "86.14.201.80", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
	support := s.role("support-tools-lambda", "support-bulk-invite", "cognito-idp.amazonaws.com", "aws-sdk-js/3.693.0 ua/2.1 os/linux#5.10.228-240.930.amzn2.x86_64 lang/js md/nodejs#20.18.0 api/cognito-identity-provider#3.693.0 exec-env/AWS_Lambda_nodejs20.x")
	support.ip = "52.48.17.203"
	res := map[string]any{"accountId": s.account, "type": "AWS::Cognito::UserPool", "ARN": poolARN}
	// Console reads around the edits.
	for _, t := range []string{"2026-11-17T13:38:02Z", "2026-11-17T13:38:40Z", "2026-11-17T14:01:12Z", "2026-11-17T14:01:55Z", "2026-11-17T14:02:41Z", "2026-11-17T14:11:20Z"} {
		s.ct(ts(t), kemi, "cognito-idp.amazonaws.com", s.pick("DescribeUserPool", "DescribeUserPoolClient", "ListUserPoolClients"), true,
			map[string]any{"userPoolId": pool, "clientId": client}, nil, res)
	}
	decoy1 := ts("2026-11-17T13:39:18Z")
	s.ct(decoy1, tom, "cognito-idp.amazonaws.com", "UpdateUserPool", false, map[string]any{
		"userPoolId": pool, "autoVerifiedAttributes": []string{"email"},
		"verificationMessageTemplate": map[string]any{"defaultEmailOption": "CONFIRM_WITH_CODE", "emailSubject": "Your Holloway Goods verification code", "emailMessage": "HIDDEN_DUE_TO_SECURITY_REASONS"},
		"emailVerificationSubject":    "Your Holloway Goods verification code", "emailVerificationMessage": "HIDDEN_DUE_TO_SECURITY_REASONS",
		"emailConfiguration": map[string]any{"emailSendingAccount": "DEVELOPER", "sourceArn": fmt.Sprintf("arn:aws:ses:%s:%s:identity/hollowaygoods.co.uk", s.region, s.account), "from": "Holloway Goods <no-reply@hollowaygoods.co.uk>"},
		"mfaConfiguration":   "OPTIONAL",
	}, nil, res)
	// AdminCreateUser burst from the support tool (B2B accounts onboarding).
	decoy2 := ts("2026-11-17T13:51:04Z")
	for i := 0; i < 24; i++ {
		t := decoy2.Add(time.Duration(i*7+s.rng.Intn(5)) * time.Second)
		if i == 0 {
			t = decoy2
		}
		s.ct(t, support, "cognito-idp.amazonaws.com", "AdminCreateUser", false,
			map[string]any{"userPoolId": pool, "username": "HIDDEN_DUE_TO_SECURITY_REASONS", "userAttributes": "HIDDEN_DUE_TO_SECURITY_REASONS", "desiredDeliveryMediums": []string{"EMAIL"}},
			map[string]any{"user": map[string]any{"username": "HIDDEN_DUE_TO_SECURITY_REASONS", "userCreateDate": t.Format("Jan 2, 2006, 3:04:05 PM"), "enabled": true, "userStatus": "FORCE_CHANGE_PASSWORD"}}, res)
		s.ct(t.Add(2*time.Second), support, "cognito-idp.amazonaws.com", "AdminAddUserToGroup", false,
			map[string]any{"userPoolId": pool, "username": "HIDDEN_DUE_TO_SECURITY_REASONS", "groupName": "trade-accounts"}, nil, res)
	}
	s.ct(change, kemi, "cognito-idp.amazonaws.com", "UpdateUserPoolClient", false, map[string]any{
		"userPoolId": pool, "clientId": client, "clientName": "storefront-web",
		"refreshTokenValidity": 30, "accessTokenValidity": 60, "idTokenValidity": 60,
		"tokenValidityUnits":         map[string]any{"accessToken": "minutes", "idToken": "minutes", "refreshToken": "days"},
		"readAttributes":             []string{"email", "email_verified", "given_name", "family_name"},
		"explicitAuthFlows":          []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"},
		"supportedIdentityProviders": []string{"COGNITO", "Google"},
		"callbackURLs":               []string{"https://shop.hollowaygoods.co.uk/auth/callback"},
		"logoutURLs":                 []string{"https://shop.hollowaygoods.co.uk/", "https://shop.hollowaygoods.co.uk/account/signed-out"},
		"allowedOAuthFlows":          []string{"code"}, "allowedOAuthScopes": []string{"email", "openid"},
		"allowedOAuthFlowsUserPoolClient": true, "preventUserExistenceErrors": "ENABLED", "enableTokenRevocation": true,
	}, map[string]any{"userPoolClient": map[string]any{"userPoolId": pool, "clientName": "storefront-web", "clientId": client, "clientSecret": "HIDDEN_DUE_TO_SECURITY_REASONS",
		"lastModifiedDate": change.Format("Jan 2, 2006, 3:04:05 PM"), "creationDate": "Mar 3, 2025, 10:12:44 AM",
		"callbackURLs": []string{"https://shop.hollowaygoods.co.uk/auth/callback"}, "allowedOAuthFlows": []string{"code"}, "allowedOAuthScopes": []string{"email", "openid"}}}, res)
	// ECS autoscaling during the campaign.
	asvc := s.service("ecs.application-autoscaling.amazonaws.com")
	s.ct(ts("2026-11-17T13:37:30Z"), asvc, "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "storefront-prod", "service": "storefront-web", "desiredCount": 6}, nil)
	s.ct(ts("2026-11-17T13:58:30Z"), asvc, "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "storefront-prod", "service": "storefront-web", "desiredCount": 4}, nil)

	s.truth = truth{Kind: "cognito-app-client-scope", Alarm: "storefront-web-signin-successes-low",
		RootCause: &rootCause{"UpdateUserPoolClient", change, pool + "/" + client}, Onset: onset,
		Decoys:  []decoy{{"UpdateUserPool", decoy1}, {"AdminCreateUser", decoy2}, {"UpdateService", ts("2026-11-17T13:58:30Z")}},
		Signals: []string{"invalid_scope", "/auth/callback"}}
}
