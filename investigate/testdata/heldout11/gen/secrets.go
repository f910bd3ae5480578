package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// lambdaStream is a Lambda log stream name.
func (s *snap) lambdaStream(t time.Time, version string) string {
	return t.Format("2006/01/02") + "/[" + version + "]" + s.hex(32)
}

func (s *snap) lambdaReport(group, stream string, t time.Time, reqID string, dur float64, mem, used int, initMs float64, status string) {
	billed := int(dur) + 1
	line := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t", reqID, dur, billed, mem, used)
	if initMs > 0 {
		line += fmt.Sprintf("Init Duration: %.2f ms\t", initMs)
	}
	if status != "" {
		line += "Status: " + status + "\tError Type: Runtime.Unknown\t"
	}
	s.log(group, stream, t, line)
}

// secretsPolicyDeny: a resource policy put on a secret denies principals
// outside one organisation path; the statement renderer's role is outside
// it, so every cold start fails to read its signing key.
func secretsPolicyDeny(root string) {
	start := time.Date(2026, 11, 24, 12, 45, 0, 0, time.UTC)
	end := time.Date(2026, 11, 24, 14, 55, 0, 0, time.UTC)
	s := newSnap("secret-resource-policy-deny", 1101, start, end)
	s.title = "statements-api 5xx: statement-render failing"
	s.arch = "HTTP API (API Gateway v2, api 8x2kq4vd1m, stage prod) → Lambda statement-render (python3.12) renders PDF statements signed with a key read from Secrets Manager (prod/statements/pdf-signing-key) at cold start; statement-notify (nodejs20.x) mails them through SES."
	change := time.Date(2026, 11, 24, 14, 22, 9, 0, time.UTC)
	onset := time.Date(2026, 11, 24, 14, 24, 37, 0, time.UTC)
	fired := time.Date(2026, 11, 24, 14, 31, 12, 0, time.UTC)
	secretArn := "arn:aws:secretsmanager:us-east-1:" + acct + ":secret:prod/statements/pdf-signing-key-Xb7k2Q"
	smtpArn := "arn:aws:secretsmanager:us-east-1:" + acct + ":secret:prod/statements/smtp-relay-creds-9dLq0e"
	roleArnSess := "arn:aws:sts::" + acct + ":assumed-role/statement-render-role/statement-render"
	denyMsg := "User: " + roleArnSess + " is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/statements/pdf-signing-key because no resource-based policy allows the secretsmanager:GetSecretValue action"
	_ = denyMsg
	explicit := "User: " + roleArnSess + " is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/statements/pdf-signing-key with an explicit deny in a resource-based policy"

	render := "/aws/lambda/statement-render"
	notify := "/aws/lambda/statement-notify"
	apiLog := "/aws/apigateway/statements-api-prod"
	lam := who{awsService("lambda.amazonaws.com"), "lambda.amazonaws.com", "lambda.amazonaws.com"}
	renderWho := who{assumed("statement-render-role", "statement-render", "AROAWB3KJ7QFSTMTRNDR2", start), "3.88.121.40", "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.35.54"}

	type env struct {
		stream string
		born   time.Time
	}
	var warm []env
	errs := map[time.Time]float64{}
	inv := map[time.Time]float64{}
	dur := map[time.Time]float64{}
	api5 := map[time.Time]float64{}
	coldStart := func(t time.Time) (env, bool) {
		e := env{s.lambdaStream(t, "$LATEST"), t}
		initMs := 1650 + s.rng.Float64()*500
		s.log(render, e.stream, t, "INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:4c39e1b1e8d54b8b1e8aa3c2f0e6a9d6f1b87f7bb2f4e4f3a1d3c5e7b9a0c2d4")
		ok := t.Before(change)
		if ok {
			s.ct(t.Add(700*time.Millisecond), "secretsmanager.amazonaws.com", "GetSecretValue", renderWho, map[string]any{"secretId": "prod/statements/pdf-signing-key"}, nil, true)
			s.log(render, e.stream, t.Add(900*time.Millisecond), fmt.Sprintf(`{"level":"INFO","location":"load_signing_key:41","message":"signing key loaded","timestamp":"%s","service":"statement-render","cold_start":true,"secret_version":"v42"}`, t.Add(900*time.Millisecond).Format("2006-01-02 15:04:05,000+0000")))
			return e, true
		}
		rec := s.ct(t.Add(700*time.Millisecond), "secretsmanager.amazonaws.com", "GetSecretValue", renderWho, map[string]any{"secretId": "prod/statements/pdf-signing-key"}, nil, true)
		rec["errorCode"] = "AccessDenied"
		rec["errorMessage"] = explicit
		s.log(render, e.stream, t.Add(950*time.Millisecond), fmt.Sprintf("[ERROR] ClientError: An error occurred (AccessDeniedException) when calling the GetSecretValue operation: %s\nTraceback (most recent call last):\n  File \"/var/lang/lib/python3.12/importlib/__init__.py\", line 90, in import_module\n    return _bootstrap._gcd_import(name[level:], package, level)\n  File \"<frozen importlib._bootstrap>\", line 1387, in _gcd_import\n  File \"<frozen importlib._bootstrap_external>\", line 999, in exec_module\n  File \"/var/task/handler.py\", line 22, in <module>\n    SIGNING_KEY = load_signing_key()\n  File \"/var/task/statements/keys.py\", line 38, in load_signing_key\n    resp = _sm.get_secret_value(SecretId=SECRET_ID)\n  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 569, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 1023, in _make_api_call\n    raise error_class(parsed_response, operation_name)\n", explicit))
		s.log(render, e.stream, t.Add(1000*time.Millisecond), fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown", initMs*0.6))
		return e, false
	}

	s.minutes(func(m time.Time) {
		// traffic follows the morning statement run
		rate := 22 + 6*float64(m.Sub(start).Minutes())/130
		n := s.poisson(rate)
		for len(warm) < 4 && m.Before(change) {
			t := s.jitter(m, 60000)
			if e, ok := coldStart(t); ok {
				warm = append(warm, e)
			}
		}
		// environments are recycled and new ones added under load
		if s.rng.Float64() < 0.22 && len(warm) > 2 {
			warm = append(warm[:0:0], warm[1:]...)
		}
		fail := 0.0
		if !m.Before(onset.Truncate(time.Minute)) {
			fail = 0.06 + 0.03*m.Sub(onset).Minutes()
			if fail > 0.45 {
				fail = 0.45
			}
		}
		for i := 0; i < n; i++ {
			t := s.jitter(m, 60000)
			req := s.uuid()
			if m.Equal(onset.Truncate(time.Minute)) && i == 0 {
				t = onset
			}
			needCold := (t.Before(change) && s.rng.Float64() < 0.015) || (!t.Before(onset) && s.rng.Float64() < fail) || (m.Equal(onset.Truncate(time.Minute)) && i == 0)
			inv[m]++
			if needCold && !t.Before(change) {
				e, _ := coldStart(t.Add(-1100 * time.Millisecond))
				s.log(render, e.stream, t, "START RequestId: "+req+" Version: $LATEST")
				s.log(render, e.stream, t.Add(1200*time.Millisecond), "INIT_REPORT Init Duration: 1180.44 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown")
				s.log(render, e.stream, t.Add(1210*time.Millisecond), "END RequestId: "+req)
				s.lambdaReport(render, e.stream, t.Add(1211*time.Millisecond), req, 1203.7, 1024, 96, 0, "error")
				errs[m]++
				dur[m] += 1203
				api5[m]++
				s.log(apiLog, "8x2kq4vd1m_prod", t.Add(1300*time.Millisecond), fmt.Sprintf(`{"requestId":"%s","ip":"%d.%d.%d.%d","requestTime":"%s","httpMethod":"GET","routeKey":"GET /v1/statements/{id}/pdf","status":"502","protocol":"HTTP/1.1","responseLength":"35","integrationError":"The Lambda function returned the following error: Runtime.Unknown","integrationLatency":"1214"}`, s.upper(14)+"=", 10+s.rng.Intn(200), s.rng.Intn(255), s.rng.Intn(255), s.rng.Intn(255), t.Format("02/Jan/2006:15:04:05 +0000")))
				continue
			}
			if needCold && len(warm) < 12 {
				if e, ok := coldStart(t.Add(-1800 * time.Millisecond)); ok {
					warm = append(warm, e)
				}
			}
			e := warm[s.rng.Intn(len(warm))]
			s.log(render, e.stream, t, "START RequestId: "+req+" Version: $LATEST")
			d := 420 + s.rng.ExpFloat64()*380
			status := "200"
			switch r := s.rng.Float64(); {
			case r < 0.004:
				d = 29030
				s.log(render, e.stream, t.Add(29*time.Second), fmt.Sprintf("%s Task timed out after 29.03 seconds", t.Add(29*time.Second).Format("2006-01-02T15:04:05.000Z")))
				errs[m]++
				status = "504"
			case r < 0.03:
				s.log(render, e.stream, t.Add(200*time.Millisecond), fmt.Sprintf(`{"level":"WARNING","location":"render_pdf:118","message":"Ignored font-feature-settings: unknown property","timestamp":"%s","service":"statement-render","cold_start":false,"function_request_id":"%s"}`, t.Add(200*time.Millisecond).Format("2006-01-02 15:04:05,000+0000"), req))
			case r < 0.045:
				status = "404"
				s.log(render, e.stream, t.Add(80*time.Millisecond), fmt.Sprintf(`{"level":"WARNING","location":"handler:57","message":"statement not found","timestamp":"%s","service":"statement-render","statement_id":"st_%s","function_request_id":"%s"}`, t.Add(80*time.Millisecond).Format("2006-01-02 15:04:05,000+0000"), s.hex(10), req))
			default:
				if s.rng.Float64() < 0.3 {
					s.log(render, e.stream, t.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf(`{"level":"INFO","location":"handler:71","message":"statement rendered","timestamp":"%s","service":"statement-render","pages":%d,"bytes":%d,"function_request_id":"%s"}`, t.Add(time.Duration(d)*time.Millisecond).Format("2006-01-02 15:04:05,000+0000"), 1+s.rng.Intn(6), 40000+s.rng.Intn(300000), req))
				}
			}
			s.log(render, e.stream, t.Add(time.Duration(d)*time.Millisecond), "END RequestId: "+req)
			s.lambdaReport(render, e.stream, t.Add(time.Duration(d+1)*time.Millisecond), req, d, 1024, 180+s.rng.Intn(60), 0, "")
			dur[m] += d
			if status == "504" {
				api5[m]++
			}
			if s.rng.Float64() < 0.5 || status != "200" {
				s.log(apiLog, "8x2kq4vd1m_prod", t.Add(time.Duration(d+30)*time.Millisecond), fmt.Sprintf(`{"requestId":"%s","ip":"%d.%d.%d.%d","requestTime":"%s","httpMethod":"GET","routeKey":"GET /v1/statements/{id}/pdf","status":"%s","protocol":"HTTP/1.1","responseLength":"%d","integrationError":"-","integrationLatency":"%d"}`, s.upper(14)+"=", 10+s.rng.Intn(200), s.rng.Intn(255), s.rng.Intn(255), s.rng.Intn(255), t.Format("02/Jan/2006:15:04:05 +0000"), status, 40000+s.rng.Intn(200000), int(d)))
			}
		}
		// statement-notify: pino JSON, its own SES throttling errors all along
		ns := "2026/11/24/[$LATEST]7d2f0c9e4b1a48e6a3c5d7f9b1e3a5c7"
		for i := 0; i < s.poisson(5); i++ {
			t := s.jitter(m, 60000)
			s.log(notify, ns, t, fmt.Sprintf(`%s	%s	INFO	{"level":30,"time":%d,"pid":8,"hostname":"169.254.12.1","msg":"statement mail queued","statementId":"st_%s","template":"monthly-statement"}`, t.Format("2006-01-02T15:04:05.000Z"), s.uuid(), t.UnixMilli(), s.hex(10)))
			if s.rng.Float64() < 0.06 {
				s.log(notify, ns, t.Add(40*time.Millisecond), fmt.Sprintf(`%s	%s	ERROR	{"level":50,"time":%d,"pid":8,"hostname":"169.254.12.1","err":{"type":"Throttling","message":"Maximum sending rate exceeded.","name":"Throttling","$fault":"client","$metadata":{"httpStatusCode":400,"attempts":3}},"msg":"SendEmail failed, message returned to queue"}`, t.Format("2006-01-02T15:04:05.000Z"), s.uuid(), t.UnixMilli()))
			}
		}
	})

	// changes: a rotation writes a new version of another secret, the
	// secret is tagged for the compliance sweep, then the resource policy.
	grafana, ci, sso, _, _ := s.actors()
	_ = grafana
	_ = sso
	sec := who{assumed("AWSReservedSSO_SecurityEngineering_0c7a91d3e5f2b846", "dev.raman@acme.io", "AROAWB3KJ7QFSECENG77", change.Add(-50*time.Minute)), "81.2.69.144", "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off command/secretsmanager.put-resource-policy"}
	rot := who{assumed("smtp-relay-rotation", "smtp-relay-rotator", "AROAWB3KJ7QFROTATE01", change.Add(-20*time.Minute)), "lambda.amazonaws.com", "Boto3/1.35.54 md/Botocore#1.35.54 exec-env/AWS_Lambda_python3.12"}
	t1 := time.Date(2026, 11, 24, 14, 5, 31, 0, time.UTC)
	s.ct(t1, "secretsmanager.amazonaws.com", "PutSecretValue", rot, map[string]any{"secretId": smtpArn, "clientRequestToken": s.uuid(), "versionStages": []string{"AWSPENDING"}}, map[string]any{"arn": smtpArn, "name": "prod/statements/smtp-relay-creds", "versionId": s.uuid(), "versionStages": []string{"AWSPENDING"}}, false)
	s.ct(t1.Add(4*time.Second), "secretsmanager.amazonaws.com", "UpdateSecretVersionStage", rot, map[string]any{"secretId": smtpArn, "versionStage": "AWSCURRENT"}, map[string]any{"arn": smtpArn, "name": "prod/statements/smtp-relay-creds"}, false)
	t2 := time.Date(2026, 11, 24, 14, 20, 44, 0, time.UTC)
	s.ct(t2.Add(-30*time.Second), "secretsmanager.amazonaws.com", "DescribeSecret", sec, map[string]any{"secretId": "prod/statements/pdf-signing-key"}, nil, true)
	s.ct(t2, "secretsmanager.amazonaws.com", "TagResource", sec, map[string]any{"secretId": "prod/statements/pdf-signing-key", "tags": []map[string]string{{"key": "data-classification", "value": "restricted"}, {"key": "owner", "value": "payments-platform"}}}, nil, false)
	s.ct(change.Add(-40*time.Second), "secretsmanager.amazonaws.com", "GetResourcePolicy", sec, map[string]any{"secretId": "prod/statements/pdf-signing-key"}, nil, true)
	policy, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Sid": "DenyOutsideProdPaymentsOU", "Effect": "Deny", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
		"Condition": map[string]any{"ForAllValues:StringNotLike": map[string]any{"aws:PrincipalOrgPaths": []string{"o-7hq2x9k4mz/r-3c1d/ou-3c1d-pmtsprod/*"}}},
	}}})
	s.ct(change, "secretsmanager.amazonaws.com", "PutResourcePolicy", sec, map[string]any{"secretId": "prod/statements/pdf-signing-key", "resourcePolicy": string(policy), "blockPublicPolicy": true}, map[string]any{"arn": secretArn, "name": "prod/statements/pdf-signing-key"}, false)
	s.ct(change.Add(25*time.Second), "secretsmanager.amazonaws.com", "ValidateResourcePolicy", sec, map[string]any{"secretId": "prod/statements/pdf-signing-key", "resourcePolicy": string(policy)}, map[string]any{"policyValidationPassed": true, "validationErrors": []any{}}, true)
	// on call looks around after the page
	s.ct(fired.Add(3*time.Minute), "lambda.amazonaws.com", "GetFunction20150331v2", sso, map[string]any{"functionName": "statement-render"}, nil, true)
	s.ct(fired.Add(4*time.Minute), "logs.amazonaws.com", "StartQuery", sso, map[string]any{"logGroupNames": []string{render}, "queryString": "fields @timestamp, @message | filter @message like /ERROR/"}, nil, true)
	_ = ci
	_ = lam
	s.noiseTrail([]string{"statement-render-role", "statement-notify-role", "ledger-sync-task"}, []string{"statement-render", "ledger-sync", "web-portal"}, []string{render, notify, "/ecs/ledger-sync"})

	fn := []dim{{"FunctionName", "statement-render"}}
	s.count("AWS/Lambda", "Invocations", fn, func(m time.Time) float64 { return inv[m] })
	s.count("AWS/Lambda", "Errors", fn, func(m time.Time) float64 { return errs[m] })
	s.metric("AWS/Lambda", "Duration", fn, "Milliseconds", func(m time.Time) (float64, float64, float64, float64, bool) {
		if inv[m] == 0 {
			return 0, 0, 0, 0, false
		}
		return dur[m], inv[m], 180, 1900 + s.rng.Float64()*900, true
	})
	s.gauge("AWS/Lambda", "ConcurrentExecutions", fn, "Count", 1, func(m time.Time) float64 { return 5 + inv[m]/12 })
	s.count("AWS/Lambda", "Invocations", []dim{{"FunctionName", "statement-notify"}}, func(m time.Time) float64 { return 5 })
	api := []dim{{"ApiId", "8x2kq4vd1m"}, {"Stage", "prod"}}
	s.count("AWS/ApiGateway", "5xx", api, func(m time.Time) float64 { return api5[m] })
	s.count("AWS/ApiGateway", "4xx", api, func(m time.Time) float64 { return 1.4 })
	s.count("AWS/ApiGateway", "Count", api, func(m time.Time) float64 { return inv[m] + 2 })
	// SES sending is busier late in the window for its own reasons
	s.count("AWS/SES", "Send", nil, func(m time.Time) float64 {
		if m.After(change.Add(-40 * time.Minute)) {
			return 9
		}
		return 5
	})

	s.alarm("statement-render-errors", "statement-render Lambda errors ≥ 5/min for 3 minutes", "AWS/Lambda", "Errors", fn, "Sum", 5, "GreaterThanOrEqualToThreshold", 3, fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [9.0 (24/11/26 14:30:00), 7.0 (24/11/26 14:29:00), 6.0 (24/11/26 14:28:00)] were greater than or equal to the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).", "ALARM")
	s.alarm("statements-api-4xx", "client errors on the statements API", "AWS/ApiGateway", "4xx", api, "Sum", 40, "GreaterThanThreshold", 5, start, "Threshold Crossed: no datapoints were above the threshold", "OK")

	s.write(root, truth{
		Name: s.name, Kind: "secret-resource-policy-deny", Alarm: "statement-render-errors",
		RootCause: &rootCause{"PutResourcePolicy", change, secretArn},
		Onset:     onset,
		Decoys:    []decoy{{"PutSecretValue", t1}, {"TagResource", t2}},
		Signals:   []string{"AccessDeniedException", "explicit deny in a resource-based policy", "GetSecretValue"},
	})
}
