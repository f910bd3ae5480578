package main

import (
	"fmt"
	"time"
)

// sfnRole: the invoice-pipeline state machine's role loses the managed
// policy that let it invoke its Lambdas; every execution fails at the
// first Task state with Lambda.AWSLambdaException.
func sfnRole(root string) {
	day := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	at := func(h, m, sec int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
	}
	s := newSnap("sfn-role-lost-lambda-invoke", 1202, "640218837519", "eu-west-1", at(13, 20, 0), at(15, 5, 0))
	s.title = "invoice-pipeline executions failing"
	s.arch = "billing-scheduler (Go, ECS) starts one invoice-pipeline Step Functions execution per invoice; the state machine (role invoice-pipeline-sfn-role) invokes Lambdas invoice-validate, invoice-render and invoice-deliver. refund-pipeline is a second state machine with its own role."
	change := at(14, 21, 47)
	onset := at(14, 21, 58)
	fired := at(14, 27, 0)
	smArn := "arn:aws:states:eu-west-1:640218837519:stateMachine:invoice-pipeline"
	roleName := "invoice-pipeline-sfn-role"
	policyArn := "arn:aws:iam::640218837519:policy/invoice-pipeline-invoke-lambdas"
	ops := s.role("terraform-apply", "tf-"+s.hex(8), "34.241.77.102", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/iam#1.37.2")
	priya := s.sso("DataEngineer", "priya.n@ledgerly.eu", "185.44.12.60")
	s.routineTrail([]string{"billing-scheduler-task", "ledger-api-task"}, []string{"billing-scheduler", "ledger-api"}, []who{priya, s.sso("ReadOnly", "sam.o@ledgerly.eu", "81.2.69.160")})

	// Terraform run: many reads, one attach on another role, the detach, a state machine update.
	for i := 0; i < 30; i++ {
		t := at(14, 19, 10).Add(time.Duration(i*4) * time.Second)
		rs := []string{"GetRole", "GetPolicy", "GetPolicyVersion", "ListAttachedRolePolicies", "ListRolePolicies"}
		s.trail(t, ops, "iam.amazonaws.com", rs[i%len(rs)], true, map[string]any{"roleName": []string{roleName, "analytics-readonly", "refund-pipeline-sfn-role"}[i%3]}, nil, nil)
	}
	attT := at(14, 1, 12)
	s.trail(attT, priya, "iam.amazonaws.com", "AttachRolePolicy", false, map[string]any{"roleName": "analytics-readonly", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, nil, nil)
	updT := at(14, 15, 40)
	s.trail(updT, ops, "states.amazonaws.com", "UpdateStateMachine", false, map[string]any{"stateMachineArn": "arn:aws:states:eu-west-1:640218837519:stateMachine:refund-pipeline", "definition": "HIDDEN_DUE_TO_SECURITY_REASONS", "roleArn": "arn:aws:iam::640218837519:role/refund-pipeline-sfn-role"},
		map[string]any{"updateDate": updT.Format("Jan 2, 2006, 3:04:05 PM"), "revisionId": s.uuid()}, nil)
	s.trail(change, ops, "iam.amazonaws.com", "DetachRolePolicy", false, map[string]any{"roleName": roleName, "policyArn": policyArn}, nil, nil)
	s.trail(at(14, 21, 49), ops, "iam.amazonaws.com", "PutRolePolicy", false, map[string]any{"roleName": roleName, "policyName": "xray-and-logs", "policyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["xray:PutTraceSegments","xray:PutTelemetryRecords","logs:CreateLogDelivery","logs:GetLogDelivery","logs:UpdateLogDelivery","logs:DescribeLogGroups"],"Resource":"*"}]}`}, nil, nil)

	started, failed, succeeded := map[int64]int{}, map[int64]int{}, map[int64]int{}
	sfnLog := "/aws/vendedlogs/states/invoice-pipeline-Logs"
	stream := "states/invoice-pipeline/2026-11-18-14-00/" + s.hex(8)
	zap := func(t time.Time, lvl, msg string, f map[string]any) {
		f["level"], f["ts"], f["caller"], f["msg"] = lvl, fmt.Sprintf("%.6f", float64(t.UnixNano())/1e9), "scheduler/run.go:97", msg
		s.log("/ecs/billing-scheduler", "ecs/billing-scheduler/c41d2e9a", t, js(f))
	}
	lambda := func(fn string, t time.Time, dur float64, extra string) {
		rid := s.uuid()
		g := "/aws/lambda/" + fn
		st := "2026/11/18/[$LATEST]" + s.hex(32)
		s.log(g, st, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
		if extra != "" {
			s.log(g, st, t.Add(time.Duration(dur/2)*time.Millisecond), extra)
		}
		s.log(g, st, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
		s.log(g, st, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: %d MB\t", rid, dur, int(dur)+1, 140+s.rng.Intn(60)))
	}
	s.every(18*time.Second, func(t time.Time) {
		m := t.Truncate(time.Minute).Unix()
		inv := fmt.Sprintf("INV-2026-%06d", 100000+s.rng.Intn(900000))
		exec := s.uuid()
		execArn := "arn:aws:states:eu-west-1:640218837519:execution:invoice-pipeline:" + exec
		started[m]++
		zap(t, "info", "started execution", map[string]any{"invoice": inv, "executionArn": execArn})
		ev := func(tt time.Time, id int, typ string, details map[string]any) {
			s.log(sfnLog, stream, tt, js(map[string]any{"id": fmt.Sprint(id), "type": typ, "details": details, "previous_event_id": fmt.Sprint(id - 1), "event_timestamp": fmt.Sprint(tt.UnixMilli()), "execution_arn": execArn, "redrive_count": "0"}))
		}
		ev(t, 1, "ExecutionStarted", map[string]any{"input": js(map[string]any{"invoiceId": inv}), "inputDetails": map[string]any{"truncated": false}, "roleArn": "arn:aws:iam::640218837519:role/" + roleName})
		if !t.Before(onset) {
			cause := fmt.Sprintf("User: arn:aws:sts::640218837519:assumed-role/%s/%s is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-west-1:640218837519:function:invoice-validate because no identity-based policy allows the lambda:InvokeFunction action (Service: Lambda, Status Code: 403, Request ID: %s)", roleName, s.upper(32), s.uuid())
			tt := t.Add(120 * time.Millisecond)
			ev(tt, 4, "TaskFailed", map[string]any{"cause": cause, "error": "Lambda.AWSLambdaException", "resource": "invoke", "resourceType": "lambda"})
			ev(tt.Add(20*time.Millisecond), 5, "ExecutionFailed", map[string]any{"cause": cause, "error": "Lambda.AWSLambdaException"})
			failed[t.Add(time.Second).Truncate(time.Minute).Unix()]++
			if s.rng.Intn(3) == 0 {
				zap(t.Add(2*time.Second), "warn", "execution did not succeed", map[string]any{"invoice": inv, "executionArn": execArn, "status": "FAILED", "error": "Lambda.AWSLambdaException", "retry_in": "15m"})
			}
			return
		}
		lambda("invoice-validate", t.Add(50*time.Millisecond), 40+s.rng.Float64()*30, "")
		if s.rng.Intn(45) == 0 { // a malformed invoice has always failed now and then
			tt := t.Add(2 * time.Second)
			lambda("invoice-render", t.Add(200*time.Millisecond), 1700, fmt.Sprintf("[ERROR] PdfRenderError: template 'eu-vat-v3' missing field 'buyer.vat_id'\nTraceback (most recent call last):\n  File \"/var/task/render.py\", line 61, in handler\n    pdf = render(invoice)\n  File \"/var/task/render.py\", line 33, in render\n    raise PdfRenderError(f\"template {tpl!r} missing field {f!r}\")"))
			ev(tt, 10, "TaskFailed", map[string]any{"cause": `{"errorMessage":"template 'eu-vat-v3' missing field 'buyer.vat_id'","errorType":"PdfRenderError","requestId":"` + s.uuid() + `","stackTrace":["  File \"/var/task/render.py\", line 61, in handler\n"]}`, "error": "PdfRenderError", "resource": "invoke", "resourceType": "lambda"})
			ev(tt.Add(15*time.Millisecond), 11, "ExecutionFailed", map[string]any{"cause": "template 'eu-vat-v3' missing field 'buyer.vat_id'", "error": "PdfRenderError"})
			failed[tt.Truncate(time.Minute).Unix()]++
			zap(tt.Add(time.Second), "warn", "execution did not succeed", map[string]any{"invoice": inv, "executionArn": execArn, "status": "FAILED", "error": "PdfRenderError", "retry_in": "15m"})
			return
		}
		lambda("invoice-render", t.Add(200*time.Millisecond), 900+s.rng.Float64()*800, "")
		lambda("invoice-deliver", t.Add(2200*time.Millisecond), 150+s.rng.Float64()*200, "")
		tt := t.Add(2600 * time.Millisecond)
		ev(tt, 14, "ExecutionSucceeded", map[string]any{"output": js(map[string]any{"invoiceId": inv, "delivered": true}), "outputDetails": map[string]any{"truncated": false}})
		succeeded[tt.Truncate(time.Minute).Unix()]++
	})
	// ledger-api: structlog-ish plain text with its own noise.
	s.every(1500*time.Millisecond, func(t time.Time) {
		lvl := "INFO"
		msg := fmt.Sprintf("GET /ledger/accounts/%d 200 %dms", 1000+s.rng.Intn(5000), 5+s.rng.Intn(30))
		if s.rng.Intn(300) == 0 {
			lvl, msg = "ERROR", "psycopg2.OperationalError: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request."
		}
		s.log("/ecs/ledger-api", "ecs/ledger-api/0a9e", t, fmt.Sprintf("%s %s [ledger.api] %s", t.Format("2006-01-02 15:04:05,000"), lvl, msg))
	})
	sm := []dim{{"StateMachineArn", smArn}}
	cnt := func(mm map[int64]int) func(time.Time) (float64, float64, bool) {
		return func(t time.Time) (float64, float64, bool) { v := mm[t.Unix()]; return float64(v), 1, v > 0 }
	}
	s.series("AWS/States", "ExecutionsStarted", sm, "Count", cnt(started))
	s.series("AWS/States", "ExecutionsFailed", sm, "Count", cnt(failed))
	s.series("AWS/States", "ExecutionsSucceeded", sm, "Count", cnt(succeeded))
	s.series("AWS/States", "ExecutionTime", sm, "Milliseconds", func(t time.Time) (float64, float64, bool) {
		if !t.Before(onset.Truncate(time.Minute)) {
			return s.noise(160, 0.1), float64(started[t.Unix()]), true
		}
		return s.noise(2600, 0.1), float64(started[t.Unix()]), true
	})
	for _, fn := range []string{"invoice-validate", "invoice-render", "invoice-deliver"} {
		s.series("AWS/Lambda", "Invocations", []dim{{"FunctionName", fn}}, "Count", func(t time.Time) (float64, float64, bool) {
			if !t.Before(onset.Truncate(time.Minute).Add(time.Minute)) {
				return 0, 0, false
			}
			return float64(started[t.Unix()]), 1, true
		})
	}
	s.series("AWS/Lambda", "Duration", []dim{{"FunctionName", "refund-notify"}}, "Milliseconds", func(t time.Time) (float64, float64, bool) {
		v := s.noise(300, 0.2)
		if t.After(at(14, 16, 0)) {
			v = s.noise(520, 0.2) // the refund-pipeline update added a step
		}
		return v, 3, true
	})
	s.alarm("invoice-pipeline-executions-failed", "invoice-pipeline: 5 or more failed executions in a minute, 3 minutes running", "AWS/States", "ExecutionsFailed", "Sum", sm, 2, "GreaterThanOrEqualToThreshold", 3, at(9, 12, 0), fired,
		"Threshold Crossed: 3 out of the last 3 datapoints [3.0 (18/11/26 14:26:00), 4.0 (18/11/26 14:25:00), 3.0 (18/11/26 14:24:00)] were greater than or equal to the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.okAlarm("refund-pipeline-executions-failed", "AWS/States", "ExecutionsFailed", "Sum", []dim{{"StateMachineArn", "arn:aws:states:eu-west-1:640218837519:stateMachine:refund-pipeline"}}, 2, "GreaterThanOrEqualToThreshold")
	s.write(root, map[string]any{
		"kind": "iam-role-lost-permission", "alarm": "invoice-pipeline-executions-failed",
		"root_cause": map[string]any{"event_name": "DetachRolePolicy", "event_time": ts(change), "resource": roleName},
		"onset":      ts(onset),
		"decoys":     []map[string]any{{"event_name": "AttachRolePolicy", "event_time": ts(attT)}, {"event_name": "UpdateStateMachine", "event_time": ts(updT)}},
		"signals":    []string{"Lambda.AWSLambdaException", "lambda:InvokeFunction"},
	})
}
