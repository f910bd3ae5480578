package main

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// permissionsBoundary: the security team's Terraform attaches a new
// permissions boundary to the notification-dispatcher task role; the
// boundary has no sqs:* statement, so SendMessage is denied "with an
// explicit deny in a permissions boundary" and every POST /v1/notifications
// fails with 500.
func permissionsBoundary(root string) {
	start, end := T("2026-07-21T16:00:00Z"), T("2026-07-21T17:30:00Z")
	s := NewSnap(root, "iam-permissions-boundary-sqs", "us-west-2", "731905226418", 403, start, end)
	s.Title = "notification-dispatcher 5xx (ALB internal-notify)"
	s.Arch = "notification-dispatcher is a Go service on EKS (IRSA role notification-dispatcher-task) behind the internal ALB internal-notify. " +
		"POST /v1/notifications validates a request, renders a template and enqueues it on the SQS queue email-outbound; the worker mailer-worker consumes it and sends through an SMTP relay. " +
		"IAM is managed by the security team's Terraform (role terraform-security-baseline) and by service teams' Terraform."
	queueURL := "https://sqs.us-west-2.amazonaws.com/" + s.Acct + "/email-outbound"
	queueArn := "arn:aws:sqs:us-west-2:" + s.Acct + ":email-outbound"
	lbID := "app/internal-notify/8c02f9d1e4a7b365"
	tg := "arn:aws:elasticloadbalancing:us-west-2:" + s.Acct + ":targetgroup/notify-dispatcher/0f6a3b8e1c5d2947"

	putRolePolicy := T("2026-07-21T16:42:40Z")
	createPolicyVersion := T("2026-07-21T16:49:03Z")
	attachSimilar := T("2026-07-21T16:51:52Z")
	cause := T("2026-07-21T16:52:40Z")
	onset := T("2026-07-21T16:52:47Z")
	alarmAt := T("2026-07-21T16:57:31Z")

	s.CTStart = start.Add(-10 * time.Minute)
	s.RoutineCT(Routine{PerMin: 3, KeyID: "a3c9e417-2b60-4d8f-b51e-0d7f93c6a8e2",
		Monitor: s.RoleActor("cloudwatch-exporter", "yace", "aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 api/cloudwatch#1.40.3", "10.12.40.18"),
		Workloads: []Workload{
			{Role: "notification-dispatcher-task", Principal: "pods.eks.amazonaws.com", Params: []string{"/notify/dispatcher/templates-bucket", "/notify/dispatcher/rate-limits"}, Secret: "notify/provider-api-key"},
			{Role: "mailer-worker-task", Principal: "pods.eks.amazonaws.com", Params: []string{"/notify/mailer/smtp-host"}, Secret: "notify/smtp-credentials"},
			{Role: "billing-api-task", Principal: "pods.eks.amazonaws.com", Params: []string{"/billing/api/config"}},
		}})
	// IRSA: AssumeRoleWithWebIdentity from the EKS OIDC provider, hourly per pod.
	oidc := "oidc.eks.us-west-2.amazonaws.com/id/5E1A9C04B7D2F36E81A0C4B9D7E2F1A3"
	for _, role := range []string{"notification-dispatcher-task", "mailer-worker-task", "billing-api-task"} {
		for t := start.Add(time.Duration(s.R.Intn(600)) * time.Second); t.Before(end); t = t.Add(time.Duration(14+s.R.Intn(6)) * time.Minute) {
			sub := "system:serviceaccount:" + map[string]string{"notification-dispatcher-task": "notify", "mailer-worker-task": "notify", "billing-api-task": "billing"}[role] + ":" + role[:len(role)-5]
			s.CT(t, Actor{Ident: map[string]any{"type": "WebIdentityUser", "principalId": "arn:aws:iam::" + s.Acct + ":oidc-provider/" + oidc + ":sts.amazonaws.com:" + sub, "userName": sub, "identityProvider": "arn:aws:iam::" + s.Acct + ":oidc-provider/" + oidc},
				UA: "aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#arm64 api/sts#1.33.2", IP: fmt.Sprintf("10.12.%d.%d", 64+s.R.Intn(30), 5+s.R.Intn(200))},
				"sts.amazonaws.com", "AssumeRoleWithWebIdentity",
				map[string]any{"roleArn": "arn:aws:iam::" + s.Acct + ":role/" + role, "roleSessionName": fmt.Sprint(t.UnixNano())},
				map[string]any{"subjectFromWebIdentityToken": sub, "audience": "sts.amazonaws.com", "provider": "arn:aws:iam::" + s.Acct + ":oidc-provider/" + oidc}, ReadOnly)
		}
	}
	svcTF := s.RoleActor("terraform-notify-team", "tfc-run-"+s.alnum(16, false), "APN/1.0 HashiCorp/1.0 Terraform/1.9.2 (+https://www.terraform.io) terraform-provider-aws/5.58.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.1 ua/2.0 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64 api/iam#1.34.1", "44.233.58.19")
	secTF := s.RoleActor("terraform-security-baseline", "tfc-run-"+s.alnum(16, false), "APN/1.0 HashiCorp/1.0 Terraform/1.10.1 (+https://www.terraform.io) terraform-provider-aws/5.80.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/iam#1.38.2", "44.233.58.21")
	tfReads := func(a Actor, t time.Time, role string) {
		for i, n := range []string{"GetRole", "ListRolePolicies", "ListAttachedRolePolicies", "GetRolePolicy"} {
			req := map[string]any{"roleName": role}
			if n == "GetRolePolicy" {
				req["policyName"] = "xray-write"
			}
			s.CT(t.Add(time.Duration(i*700)*time.Millisecond), a, "iam.amazonaws.com", n, req, nil, ReadOnly)
		}
	}
	polJSON := func(stmts ...map[string]any) string {
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
		return string(b)
	}
	tfReads(svcTF, putRolePolicy.Add(-25*time.Second), "notification-dispatcher-task")
	s.CT(putRolePolicy, svcTF, "iam.amazonaws.com", "PutRolePolicy", map[string]any{"roleName": "notification-dispatcher-task", "policyName": "xray-write",
		"policyDocument": polJSON(map[string]any{"Sid": "XRayWrite", "Effect": "Allow", "Action": []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"}, "Resource": "*"})}, nil)
	s.CT(createPolicyVersion.Add(-4*time.Second), svcTF, "iam.amazonaws.com", "GetPolicy", map[string]any{"policyArn": "arn:aws:iam::" + s.Acct + ":policy/ci-artifacts-read"}, nil, ReadOnly)
	s.CT(createPolicyVersion, svcTF, "iam.amazonaws.com", "CreatePolicyVersion", map[string]any{"policyArn": "arn:aws:iam::" + s.Acct + ":policy/ci-artifacts-read", "setAsDefault": true,
		"policyDocument": polJSON(map[string]any{"Effect": "Allow", "Action": []string{"s3:GetObject", "s3:ListBucket"}, "Resource": []string{"arn:aws:s3:::notify-ci-artifacts", "arn:aws:s3:::notify-ci-artifacts/*"}})},
		map[string]any{"policyVersion": map[string]any{"versionId": "v7", "isDefaultVersion": true, "createDate": createPolicyVersion.Format("Jan 2, 2006, 3:04:05 PM")}})
	s.CT(createPolicyVersion.Add(2*time.Second), svcTF, "iam.amazonaws.com", "DeletePolicyVersion", map[string]any{"policyArn": "arn:aws:iam::" + s.Acct + ":policy/ci-artifacts-read", "versionId": "v2"}, nil)
	tfReads(secTF, attachSimilar.Add(-20*time.Second), "notification-dispatcher-task-staging")
	s.CT(attachSimilar, secTF, "iam.amazonaws.com", "AttachRolePolicy", map[string]any{"roleName": "notification-dispatcher-task-staging", "policyArn": "arn:aws:iam::aws:policy/AmazonSQSFullAccess"}, nil)
	tfReads(secTF, cause.Add(-30*time.Second), "notification-dispatcher-task")
	s.CT(cause, secTF, "iam.amazonaws.com", "PutRolePermissionsBoundary", map[string]any{"roleName": "notification-dispatcher-task", "permissionsBoundary": "arn:aws:iam::" + s.Acct + ":policy/boundaries/workload-boundary-v2"}, nil)
	s.CT(cause.Add(2*time.Second), secTF, "iam.amazonaws.com", "GetRole", map[string]any{"roleName": "notification-dispatcher-task"}, nil, ReadOnly)
	s.CT(cause.Add(90*time.Second), secTF, "iam.amazonaws.com", "PutRolePermissionsBoundary", map[string]any{"roleName": "billing-api-task", "permissionsBoundary": "arn:aws:iam::" + s.Acct + ":policy/boundaries/workload-boundary-v2"}, nil)
	s.CT(T("2026-07-21T16:15:30Z"), secTF, "iam.amazonaws.com", "CreatePolicyVersion", map[string]any{"policyArn": "arn:aws:iam::" + s.Acct + ":policy/boundaries/workload-boundary-v2", "setAsDefault": true,
		"policyDocument": polJSON(
			map[string]any{"Sid": "AllowWorkloadServices", "Effect": "Allow", "Action": []string{"s3:*", "dynamodb:*", "kms:Decrypt", "ssm:GetParameter*", "secretsmanager:GetSecretValue", "xray:*", "logs:*", "cloudwatch:PutMetricData"}, "Resource": "*"},
			map[string]any{"Sid": "DenyIAMChanges", "Effect": "Deny", "Action": []string{"iam:*", "organizations:*"}, "Resource": "*"})},
		map[string]any{"policyVersion": map[string]any{"versionId": "v3", "isDefaultVersion": true}})
	// the billing team's deploy and a mailer restart elsewhere
	s.CT(T("2026-07-21T16:31:12Z"), svcTF, "sqs.amazonaws.com", "SetQueueAttributes", map[string]any{"queueUrl": "https://sqs.us-west-2.amazonaws.com/" + s.Acct + "/sms-outbound", "attributes": map[string]string{"VisibilityTimeout": "120"}}, nil)
	eksCI := s.RoleActor("argocd-image-updater", "argocd", "aws-sdk-go/1.50.8 (go1.21.6; linux; amd64)", "10.12.70.4")
	s.Every(s.CTStart, end, 0.6, func(t time.Time) {
		s.CT(t, eksCI, "ecr.amazonaws.com", "GetAuthorizationToken", map[string]any{}, nil, ReadOnly)
	})

	// ---- requests
	pods := []string{"notification-dispatcher-6d9f7c8b54-" + s.alnum(5, false), "notification-dispatcher-6d9f7c8b54-" + s.alnum(5, false), "notification-dispatcher-6d9f7c8b54-" + s.alnum(5, false)}
	group := "/eks/notify/notification-dispatcher"
	podIDs := map[string]string{}
	for _, p := range pods {
		podIDs[p] = s.hex(64)
	}
	jlog := func(t time.Time, pod, level, msg string, kv ...any) {
		m := map[string]any{"time": t.Format("2006-01-02T15:04:05.000000000Z"), "level": level, "msg": msg}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		b, _ := json.Marshal(m)
		s.Log(group, "fluent-bit-kube.var.log.containers."+pod+"_notify_dispatcher-"+podIDs[pod]+".log", t, string(b))
	}
	sent := map[time.Time]float64{}
	fails := map[time.Time]float64{}
	var traced int
	s.Every(start, end, 36, func(t time.Time) {
		pod := pods[s.R.Intn(len(pods))]
		tid := s.TraceID(t)
		nid := "ntf_" + s.alnum(14, false)
		tmpl := []string{"order-shipped", "password-reset", "weekly-digest", "invoice-ready"}[s.R.Intn(4)]
		status := 202
		denied := t.After(onset)
		dur := time.Duration(s.jitter(38, 0.4) * float64(time.Millisecond))
		switch k := s.R.Intn(40); {
		case k == 0:
			jlog(t, pod, "ERROR", "template render failed", "notification_id", nid, "template", "weekly-digest", "error", "template: weekly-digest:14:22: executing \"weekly-digest\" at <.User.FirstName>: map has no entry for key \"FirstName\"", "trace_id", tid)
			status = 422
		case k < 3:
			jlog(t, pod, "WARN", "provider rate limited, falling back to queue", "notification_id", nid, "provider", "sendgrid", "retry_after", "2s")
		}
		if status == 202 {
			if denied {
				reqID := s.uuid()
				jlog(t.Add(dur), pod, "ERROR", "enqueue failed", "notification_id", nid, "queue", "email-outbound", "trace_id", tid,
					"error", fmt.Sprintf("operation error SQS: SendMessage, https response error StatusCode: 403, RequestID: %s, api error AccessDenied: User: arn:aws:sts::%s:assumed-role/notification-dispatcher-task/%d is not authorized to perform: sqs:sendmessage on resource: %s with an explicit deny in a permissions boundary", reqID, s.Acct, 1784650000000000000+int64(s.R.Intn(1e9)), queueArn))
				jlog(t.Add(dur+time.Millisecond), pod, "ERROR", "request failed", "method", "POST", "path", "/v1/notifications", "status", 500, "duration_ms", dur.Milliseconds(), "trace_id", tid)
				status = 500
				fails[t.Truncate(time.Minute)]++
			} else {
				sent[t.Truncate(time.Minute)]++
				jlog(t.Add(dur), pod, "INFO", "notification enqueued", "notification_id", nid, "template", tmpl, "queue", "email-outbound", "message_id", s.uuid())
				jlog(t.Add(dur+time.Millisecond), pod, "INFO", "request completed", "method", "POST", "path", "/v1/notifications", "status", 202, "duration_ms", dur.Milliseconds())
			}
		}
		// ALB
		ip := fmt.Sprintf("10.12.%d.%d:8080", 64+s.R.Intn(30), 5+s.R.Intn(200))
		st := fmt.Sprint(status)
		s.ALB(fmt.Sprintf("%s_elasticloadbalancing_%s_app.internal-notify.8c02f9d1e4a7b365", s.Acct, s.Region), t, s.ALBLine(t.Add(dur), ALBEntry{Scheme: "http", LB: lbID,
			Client: fmt.Sprintf("10.12.%d.%d:%d", 100+s.R.Intn(20), 5+s.R.Intn(200), 30000+s.R.Intn(30000)), Target: ip, Req: 0, TargetT: dur.Seconds(), Resp: 0,
			ELBStatus: st, TargetStatus: st, Recv: 820 + s.R.Intn(400), Sent: 160, Request: "POST http://internal-notify.svc.acme-notify.internal:80/v1/notifications HTTP/1.1",
			UA: "Go-http-client/1.1", TG: tg, TraceID: "Root=" + tid, Domain: "-"}))
		// X-Ray: sampled
		if s.R.Intn(20) == 0 && status != 422 {
			traced++
			seg := s.Seg("notification-dispatcher", t, dur)
			seg["origin"] = "AWS::EKS::Container"
			seg["http"] = map[string]any{"request": map[string]any{"method": "POST", "url": "http://internal-notify.svc.acme-notify.internal/v1/notifications", "client_ip": ip[:len(ip)-5]}, "response": map[string]any{"status": status}}
			seg["aws"] = map[string]any{"eks": map[string]any{"cluster_name": "notify-prod", "pod": pod, "container_id": s.hex(64)}, "xray": map[string]any{"sdk_version": "1.8.4", "sdk": "opentelemetry for go"}}
			ssm := s.AWSSub("SSM", "GetParameter", t.Add(time.Millisecond), 4*time.Millisecond, 200, nil)
			tpl := s.Seg("render-template", t.Add(6*time.Millisecond), 5*time.Millisecond)
			subStatus := 200
			if status == 500 {
				subStatus = 403
			}
			sqs := s.AWSSub("SQS", "SendMessage", t.Add(12*time.Millisecond), dur-14*time.Millisecond, subStatus, map[string]any{"queue_url": queueURL})
			if status == 500 {
				sqs["error"] = true
				s.Cause(sqs, "AccessDenied", fmt.Sprintf("User: arn:aws:sts::%s:assumed-role/notification-dispatcher-task/17846 is not authorized to perform: sqs:sendmessage on resource: %s with an explicit deny in a permissions boundary", s.Acct, queueArn), true)
				seg["fault"] = true
				seg["cause"] = map[string]any{"working_directory": "/app", "exceptions": []any{map[string]any{"id": s.hex(16), "type": "*smithy.OperationError", "message": "enqueue failed: operation error SQS: SendMessage, api error AccessDenied"}}}
			}
			seg["subsegments"] = []any{ssm, tpl, sqs}
			s.Trace(tid, dur.Seconds(), seg)
		}
	})
	// mailer-worker keeps consuming what is left, and its own loud SMTP warnings.
	mgroup := "/eks/notify/mailer-worker"
	s.Every(start, end, 20, func(t time.Time) {
		msg := fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"message delivered","relay":"smtp-relay.acme-notify.internal:587","latency_ms":%d}`, t.Format("2006-01-02T15:04:05.000000000Z"), 200+s.R.Intn(500))
		if s.R.Intn(8) == 0 {
			msg = fmt.Sprintf(`{"time":"%s","level":"WARN","msg":"smtp relay slow","relay":"smtp-relay.acme-notify.internal:587","latency_ms":%d}`, t.Format("2006-01-02T15:04:05.000000000Z"), 2500+s.R.Intn(2500))
		}
		if s.R.Intn(15) == 0 {
			msg = fmt.Sprintf(`{"time":"%s","level":"ERROR","msg":"delivery failed","error":"550 5.1.1 <%s@example.org>: Recipient address rejected: User unknown"}`, t.Format("2006-01-02T15:04:05.000000000Z"), s.alnum(8, false))
		}
		s.Log(mgroup, "fluent-bit-kube.var.log.containers.mailer-worker-7b5c9d6f48-"+s.alnum(5, false)[:1]+"_notify_worker.log", t, msg)
	})

	// ---- metrics
	qd := [][2]string{{"QueueName", "email-outbound"}}
	s.MetricPeriod("AWS/SQS", "NumberOfMessagesSent", qd, "Count", []string{"Sum"}, 5*time.Minute, func(t time.Time) float64 {
		n := 0.0
		for i := 0; i < 5; i++ {
			n += sent[t.Add(time.Duration(i)*time.Minute)]
		}
		return n
	})
	s.MetricPeriod("AWS/SQS", "ApproximateNumberOfMessagesVisible", qd, "Count", []string{"Average"}, 5*time.Minute, func(t time.Time) float64 {
		return math.Round(ramp(t, onset, onset.Add(10*time.Minute), s.jitter(40, 0.3), 0))
	})
	s.MetricPeriod("AWS/SQS", "NumberOfMessagesSent", [][2]string{{"QueueName", "sms-outbound"}}, "Count", []string{"Sum"}, 5*time.Minute, func(t time.Time) float64 { return math.Round(s.jitter(420, 0.2)) })
	tgd := [][2]string{{"TargetGroup", "targetgroup/notify-dispatcher/0f6a3b8e1c5d2947"}, {"LoadBalancer", lbID}}
	s.Metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tgd, "Count", []string{"Sum"}, func(t time.Time) float64 {
		if fails[t] == 0 {
			return math.NaN()
		}
		return fails[t]
	})
	s.Metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", tgd, "Count", []string{"Sum"}, func(t time.Time) float64 { return float64(s.R.Intn(3)) })
	s.Metric("AWS/ApplicationELB", "RequestCount", tgd, "Count", []string{"Sum"}, func(t time.Time) float64 { return math.Round(s.jitter(45, 0.15)) })
	s.Metric("AWS/ApplicationELB", "TargetResponseTime", tgd, "Seconds", []string{"Average"}, func(t time.Time) float64 { return s.jitter(0.038, 0.2) })
	s.Metric("ContainerInsights", "pod_cpu_utilization", [][2]string{{"ClusterName", "notify-prod"}, {"Namespace", "notify"}, {"PodName", "notification-dispatcher"}}, "Percent", []string{"Average"}, func(t time.Time) float64 { return s.jitter(12, 0.2) })
	s.Metric("ContainerInsights", "pod_cpu_utilization", [][2]string{{"ClusterName", "notify-prod"}, {"Namespace", "billing"}, {"PodName", "billing-api"}}, "Percent", []string{"Average"}, func(t time.Time) float64 {
		return ramp(t, T("2026-07-21T17:02:00Z"), T("2026-07-21T17:10:00Z"), s.jitter(22, 0.1), s.jitter(58, 0.1))
	})

	// ---- alarms
	topic := "arn:aws:sns:us-west-2:" + s.Acct + ":notify-oncall"
	reason := "Threshold Crossed: 2 out of the last 3 datapoints [41.0 (21/07/26 16:56:00), 44.0 (21/07/26 16:55:00)] were greater than or equal to the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."
	s.SimpleAlarm("notify-dispatcher-5xx", "notification-dispatcher returns 5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", tgd, 60, 3, 2, 10, "GreaterThanOrEqualToThreshold", "ALARM", alarmAt, reason, topic)
	s.FireAlarm("notify-dispatcher-5xx", alarmAt, reason, []float64{44, 41}, 10, topic)
	s.SimpleAlarm("email-outbound-age", "Oldest message in email-outbound", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", qd, 300, 2, 2, 900, "GreaterThanThreshold", "OK", T("2026-07-20T10:05:00Z"), "Threshold Crossed: 2 datapoints were not greater than the threshold (900.0).", topic)
	s.guardDuty = []map[string]any{{
		"AccountId": s.Acct, "Arn": "arn:aws:guardduty:us-west-2:" + s.Acct + ":detector/6ec4f1b2a9d3e807c5b1f2a4d6e8c0b9/finding/" + s.hex(32), "Id": s.hex(32),
		"CreatedAt": "2026-07-19T04:12:55.201Z", "UpdatedAt": "2026-07-21T16:20:11.873Z", "Partition": "aws", "Region": "us-west-2", "SchemaVersion": "2.0",
		"Severity": 2, "Title": "Unprotected port on EC2 instance i-0a1b2c3d4e5f60789 is being probed.", "Type": "Recon:EC2/PortProbeUnprotectedPort",
		"Description": "EC2 instance has an unprotected port which is being probed by a known malicious host.",
		"Resource":    map[string]any{"ResourceType": "Instance", "InstanceDetails": map[string]any{"InstanceId": "i-0a1b2c3d4e5f60789", "InstanceType": "t3.small", "Tags": []any{map[string]string{"Key": "Name", "Value": "bastion"}}}},
		"Service": map[string]any{"ServiceName": "guardduty", "DetectorId": "6ec4f1b2a9d3e807c5b1f2a4d6e8c0b9", "Count": 311, "Archived": false,
			"EventFirstSeen": "2026-07-19T04:02:13.000Z", "EventLastSeen": "2026-07-21T16:14:40.000Z",
			"Action": map[string]any{"ActionType": "PORT_PROBE", "PortProbeAction": map[string]any{"Blocked": false, "PortProbeDetails": []any{map[string]any{"LocalPortDetails": map[string]any{"Port": 22, "PortName": "SSH"}, "RemoteIpDetails": map[string]any{"IpAddressV4": "45.148.10.81"}}}}}},
	}}

	s.Truth = truth(s.Name, "iam-permissions-boundary", "notify-dispatcher-5xx",
		map[string]any{"event_name": "PutRolePermissionsBoundary", "event_time": cause.Format(ts), "resource": "notification-dispatcher-task"}, onset,
		[][2]any{{"PutRolePolicy", putRolePolicy}, {"CreatePolicyVersion", createPolicyVersion}, {"AttachRolePolicy", attachSimilar}, {"PutRolePermissionsBoundary", cause.Add(90 * time.Second)}},
		"explicit deny in a permissions boundary", "sqs:sendmessage", "PutRolePermissionsBoundary", "notification-dispatcher-task")
	s.Write()
}
