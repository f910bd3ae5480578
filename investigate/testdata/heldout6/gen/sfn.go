package main

import (
	"fmt"
	"math"
	"time"
)

// sfnBadDefinition: a Terraform apply (Atlantis) renames a field in the
// refund-orchestrator definition: the partial-refund ledger step now reads
// $.refund.amountCents while the PSP adapter still returns amount_cents.
// Every partial refund fails at WriteLedgerPartial with States.Runtime
// after the money went back to the card; full refunds keep working. The
// same apply tags the state machine and updates chargeback-orchestrator.
func sfnBadDefinition() *inc {
	start, end := ts("2026-11-20T04:40:00Z"), ts("2026-11-20T05:50:00Z")
	acct := "771203948556"
	i := newInc("stepfunctions-bad-jsonpath", 6303, "ap-southeast-2", acct, start, end,
		"refund-orchestrator executions failing",
		"refunds-api (ECS Fargate, logfmt logs) starts one execution of the Step Functions state machine refund-orchestrator (STANDARD) per refund. The definition: ValidateRefund (Lambda refund-validator) → IssueRefund (Lambda refund-psp-adapter, Java 21, calls the card processor) → Choice on $.refund.type → WriteLedgerFull or WriteLedgerPartial (Lambda refund-ledger-writer, Go) → NotifyCustomer (SNS). Execution logging at level ERROR goes to /aws/vendedlogs/states/refund-orchestrator-Logs. chargeback-orchestrator is a second state machine of the same team. Infrastructure is applied by Atlantis (role atlantis-apply).")
	smArn := "arn:aws:states:ap-southeast-2:" + acct + ":stateMachine:refund-orchestrator"
	cbArn := "arn:aws:states:ap-southeast-2:" + acct + ":stateMachine:chargeback-orchestrator"
	change := ts("2026-11-20T05:20:41Z")

	i.noise(noiseCfg{lambdaRoles: []string{"refund-validator-role", "refund-psp-adapter-role", "refund-ledger-writer-role"}, taskRoles: []string{"refunds-api-task"},
		ecrRepos: []string{"refunds-api", "chargebacks-api"}, secrets: []string{"prod/refunds/psp-api-key"}})
	atl := i.role(acct, "atlantis-apply", "atlantis-refunds-infra-412")
	tf := func(t time.Time, name string, req, resp any) {
		i.ct(ev{t: t, who: atl, source: "states.amazonaws.com", name: name, req: req, resp: resp, ip: "10.21.4.77",
			agent: "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.78.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.5 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/sfn#1.34.1"})
	}
	for _, t := range []string{"05:20:33", "05:20:34", "05:20:35"} {
		tf(ts("2026-11-20T"+t+"Z"), "DescribeStateMachine", map[string]any{"stateMachineArn": smArn}, nil)
	}
	tf(change, "UpdateStateMachine", map[string]any{"stateMachineArn": smArn, "definition": "HIDDEN_DUE_TO_SECURITY_REASONS", "roleArn": "arn:aws:iam::" + acct + ":role/refund-orchestrator-sfn",
		"loggingConfiguration": map[string]any{"level": "ERROR", "includeExecutionData": true, "destinations": []any{map[string]any{"cloudWatchLogsLogGroup": map[string]any{"logGroupArn": "arn:aws:logs:ap-southeast-2:" + acct + ":log-group:/aws/vendedlogs/states/refund-orchestrator-Logs:*"}}}},
		"tracingConfiguration": map[string]any{"enabled": false}, "publish": false},
		map[string]any{"updateDate": "Nov 20, 2026, 5:20:41 AM", "revisionId": i.uuid()})
	tf(ts("2026-11-20T05:20:43Z"), "TagResource", map[string]any{"resourceArn": smArn, "tags": []any{map[string]any{"key": "cost-center", "value": "payments-ops"}}}, nil)
	tf(ts("2026-11-20T05:20:46Z"), "UpdateStateMachine", map[string]any{"stateMachineArn": cbArn, "definition": "HIDDEN_DUE_TO_SECURITY_REASONS", "roleArn": "arn:aws:iam::" + acct + ":role/chargeback-orchestrator-sfn", "publish": false},
		map[string]any{"updateDate": "Nov 20, 2026, 5:20:46 AM", "revisionId": i.uuid()})
	i.ct(ev{t: ts("2026-11-20T05:08:12Z"), who: i.sso("PaymentsEngineer", "s.whitford@northwind-retail.com"), source: "lambda.amazonaws.com", name: "UpdateFunctionConfiguration20150331v2",
		ip: "101.188.67.23", agent: "AWS Internal", req: map[string]any{"functionName": "refund-psp-adapter", "memorySize": 1024},
		resp: map[string]any{"functionName": "refund-psp-adapter", "runtime": "java21", "memorySize": 1024, "lastUpdateStatus": "InProgress"}})

	api := "/ecs/refunds-api"
	sfl := "/aws/vendedlogs/states/refund-orchestrator-Logs"
	psp := "/aws/lambda/refund-psp-adapter"
	ldg := "/aws/lambda/refund-ledger-writer"
	apiTasks := []string{"refunds-api/app/" + i.hex(32), "refunds-api/app/" + i.hex(32)}
	pspEnv := []string{"2026/11/20/[$LATEST]" + i.hex(32), "2026/11/20/[$LATEST]" + i.hex(32)}
	ldgEnv := []string{"2026/11/20/[$LATEST]" + i.hex(32), "2026/11/20/[$LATEST]" + i.hex(32)}
	started, failed, succeeded, execTime := map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}
	ldgInv := map[time.Time]float64{}
	var onset time.Time
	sfnRole := i.role(acct, "refunds-api-task", i.hex(32))
	i.everyMinute(func(m time.Time) {
		for k := 0; k < int(i.poisson(6.5)); k++ {
			t0 := i.jitter(m, time.Minute)
			execID := i.uuid()
			execArn := "arn:aws:states:ap-southeast-2:" + acct + ":execution:refund-orchestrator:" + execID
			order := fmt.Sprintf("AU-%07d", 3100000+i.r.Intn(900000))
			typ := "full"
			if i.r.Intn(100) < 36 {
				typ = "partial"
			}
			cents := 1500 + i.r.Intn(30000)
			i.log(api, apiTasks[i.r.Intn(2)], t0.Add(-40*time.Millisecond), fmt.Sprintf(`time=%s level=info msg="refund requested" order_id=%s type=%s amount_cents=%d`, t0.Add(-40*time.Millisecond).Format(time.RFC3339Nano), order, typ, cents))
			i.ct(ev{t: t0, who: sfnRole, source: "states.amazonaws.com", name: "StartExecution", req: map[string]any{"stateMachineArn": smArn, "name": execID, "input": "HIDDEN_DUE_TO_SECURITY_REASONS"},
				resp: map[string]any{"executionArn": execArn, "startDate": t0.Format("Jan 2, 2006, 3:04:05 PM")}})
			i.log(api, apiTasks[i.r.Intn(2)], t0.Add(60*time.Millisecond), fmt.Sprintf(`time=%s level=info msg="execution started" order_id=%s execution_arn=%s`, t0.Add(60*time.Millisecond).Format(time.RFC3339Nano), order, execArn))
			started[m]++
			tIssue := t0.Add(time.Duration(300+i.r.Intn(200)) * time.Millisecond)
			pspD := time.Duration(900+i.r.Intn(1400)) * time.Millisecond
			ps := pspEnv[i.r.Intn(2)]
			pid := i.uuid()
			i.log(psp, ps, tIssue, fmt.Sprintf("START RequestId: %s Version: $LATEST", pid))
			tDone := tIssue.Add(pspD)
			if i.r.Intn(33) == 0 {
				// pre-existing: the processor refuses, the execution fails with States.TaskFailed
				i.log(psp, ps, tDone, fmt.Sprintf("%s ERROR [main] c.n.r.p.RefundHandler - refund rejected by processor order=%s\ncom.northwind.refunds.psp.PspDeclinedException: refund exceeds captured amount (code=amount_too_large)\n\tat com.northwind.refunds.psp.PspClient.refund(PspClient.java:142)\n\tat com.northwind.refunds.psp.RefundHandler.handleRequest(RefundHandler.java:61)\n\tat com.northwind.refunds.psp.RefundHandler.handleRequest(RefundHandler.java:28)", tDone.Format("2006-01-02 15:04:05.000"), order))
				i.log(psp, ps, tDone.Add(time.Millisecond), fmt.Sprintf("END RequestId: %s", pid))
				i.log(psp, ps, tDone.Add(2*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.00 ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: 212 MB", pid, pspD.Milliseconds(), pspD.Milliseconds()+1))
				cause := `{\"errorMessage\":\"refund exceeds captured amount (code=amount_too_large)\",\"errorType\":\"com.northwind.refunds.psp.PspDeclinedException\",\"stackTrace\":[\"com.northwind.refunds.psp.PspClient.refund(PspClient.java:142)\"]}`
				i.log(sfl, "states/refund-orchestrator/"+t0.Format("2006-01-02-15-04")+"/"+i.hex(8), tDone.Add(20*time.Millisecond), fmt.Sprintf(`{"id":"8","type":"TaskFailed","details":{"cause":"%s","error":"com.northwind.refunds.psp.PspDeclinedException","resource":"invoke","resourceType":"lambda"},"previous_event_id":"7","event_timestamp":"%d","execution_arn":"%s","redrive_count":"0"}`, cause, tDone.Add(20*time.Millisecond).UnixMilli(), execArn))
				i.log(sfl, "states/refund-orchestrator/"+t0.Format("2006-01-02-15-04")+"/"+i.hex(8), tDone.Add(30*time.Millisecond), fmt.Sprintf(`{"id":"9","type":"ExecutionFailed","details":{"cause":"%s","error":"com.northwind.refunds.psp.PspDeclinedException"},"previous_event_id":"8","event_timestamp":"%d","execution_arn":"%s","redrive_count":"0"}`, cause, tDone.Add(30*time.Millisecond).UnixMilli(), execArn))
				failed[tDone.Truncate(time.Minute)]++
				i.log(api, apiTasks[i.r.Intn(2)], tDone.Add(400*time.Millisecond), fmt.Sprintf(`time=%s level=warn msg="refund execution failed" order_id=%s error=com.northwind.refunds.psp.PspDeclinedException`, tDone.Add(400*time.Millisecond).Format(time.RFC3339Nano), order))
				continue
			}
			psref := "re_" + i.alnum(24)
			i.log(psp, ps, tDone, fmt.Sprintf("%s INFO  [main] c.n.r.p.RefundHandler - refund issued psp_ref=%s order=%s amount_cents=%d", tDone.Format("2006-01-02 15:04:05.000"), psref, order, cents))
			i.log(psp, ps, tDone.Add(time.Millisecond), fmt.Sprintf("END RequestId: %s", pid))
			i.log(psp, ps, tDone.Add(2*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.00 ms\tBilled Duration: %d ms\tMemory Size: 1024 MB\tMax Memory Used: 208 MB", pid, pspD.Milliseconds(), pspD.Milliseconds()+1))
			tLedger := tDone.Add(time.Duration(60+i.r.Intn(60)) * time.Millisecond)
			if typ == "partial" && t0.After(change) {
				input := fmt.Sprintf(`{\"orderId\":\"%s\",\"refund\":{\"type\":\"partial\",\"amount_cents\":%d,\"currency\":\"AUD\",\"psp_ref\":\"%s\"}}`, order, cents, psref)
				cause := fmt.Sprintf("An error occurred while executing the state 'WriteLedgerPartial' (entered at the event id #13). The JSONPath '$.refund.amountCents' specified for the field 'amount.$' could not be found in the input '%s'", input)
				i.log(sfl, "states/refund-orchestrator/"+t0.Format("2006-01-02-15-04")+"/"+i.hex(8), tLedger, fmt.Sprintf(`{"id":"14","type":"ExecutionFailed","details":{"cause":"%s","error":"States.Runtime"},"previous_event_id":"13","event_timestamp":"%d","execution_arn":"%s","redrive_count":"0"}`, cause, tLedger.UnixMilli(), execArn))
				failed[tLedger.Truncate(time.Minute)]++
				execTime[tLedger.Truncate(time.Minute)] += float64(tLedger.Sub(t0).Milliseconds())
				if onset.IsZero() || tLedger.Before(onset) {
					onset = tLedger
				}
				i.log(api, apiTasks[i.r.Intn(2)], tLedger.Add(500*time.Millisecond), fmt.Sprintf(`time=%s level=warn msg="refund execution failed" order_id=%s error=States.Runtime`, tLedger.Add(500*time.Millisecond).Format(time.RFC3339Nano), order))
				continue
			}
			ls := ldgEnv[i.r.Intn(2)]
			lid := i.uuid()
			ld := time.Duration(25+i.r.Intn(40)) * time.Millisecond
			i.log(ldg, ls, tLedger, fmt.Sprintf("START RequestId: %s Version: $LATEST", lid))
			i.log(ldg, ls, tLedger.Add(ld), fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"ledger/writer.go:88","msg":"ledger entry written","order_id":"%s","kind":"refund_%s","amount_cents":%d,"psp_ref":"%s"}`, float64(tLedger.Add(ld).UnixMicro())/1e6, order, typ, cents, psref))
			if i.r.Intn(20) == 0 {
				i.log(ldg, ls, tLedger.Add(ld-3*time.Millisecond), fmt.Sprintf(`{"level":"warn","ts":%.6f,"caller":"ledger/writer.go:61","msg":"conditional write retried","order_id":"%s","error":"ConditionalCheckFailedException: The conditional request failed"}`, float64(tLedger.Add(ld).UnixMicro())/1e6, order))
			}
			i.log(ldg, ls, tLedger.Add(ld+time.Millisecond), fmt.Sprintf("END RequestId: %s", lid))
			i.log(ldg, ls, tLedger.Add(ld+2*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.00 ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: 31 MB", lid, ld.Milliseconds(), ld.Milliseconds()+1))
			ldgInv[tLedger.Truncate(time.Minute)]++
			tEnd := tLedger.Add(ld + 180*time.Millisecond)
			succeeded[tEnd.Truncate(time.Minute)]++
			execTime[tEnd.Truncate(time.Minute)] += float64(tEnd.Sub(t0).Milliseconds())
			i.log(api, apiTasks[i.r.Intn(2)], tEnd.Add(300*time.Millisecond), fmt.Sprintf(`time=%s level=info msg="refund completed" order_id=%s psp_ref=%s`, tEnd.Add(300*time.Millisecond).Format(time.RFC3339Nano), order, psref))
		}
		// the Step Functions service assumes its role now and then
		if i.r.Intn(3) == 0 {
			i.ct(ev{t: i.jitter(m, time.Minute), who: service("states.amazonaws.com"), source: "sts.amazonaws.com", name: "AssumeRole", readOnly: true,
				req: map[string]any{"roleArn": "arn:aws:iam::" + acct + ":role/refund-orchestrator-sfn", "roleSessionName": i.hex(32)}})
		}
	})
	i.truth = map[string]any{"kind": "stepfunctions", "alarm": "refund-orchestrator-executions-failed",
		"root_cause": map[string]any{"event_name": "UpdateStateMachine", "event_time": change.Format(time.RFC3339), "resource": "refund-orchestrator"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{change0("TagResource", "2026-11-20T05:20:43Z"), change0("UpdateStateMachine", "2026-11-20T05:20:46Z"), change0("UpdateFunctionConfiguration20150331v2", "2026-11-20T05:08:12Z")},
		"signals":    []string{"States.Runtime", "could not be found in the input", "refund-orchestrator"}}

	sm := dims("StateMachineArn", smArn)
	i.metric("AWS/States", "ExecutionsStarted", "Count", sm, func(m time.Time) (float64, float64) { return started[m], 1 })
	i.metric("AWS/States", "ExecutionsFailed", "Count", sm, func(m time.Time) (float64, float64) { return failed[m], 1 })
	i.metric("AWS/States", "ExecutionsSucceeded", "Count", sm, func(m time.Time) (float64, float64) { return succeeded[m], 1 })
	i.metric("AWS/States", "ExecutionTime", "Milliseconds", sm, func(m time.Time) (float64, float64) {
		return execTime[m], math.Max(succeeded[m]+failed[m], 1)
	})
	i.metric("AWS/States", "ExecutionsFailed", "Count", dims("StateMachineArn", cbArn), func(m time.Time) (float64, float64) {
		if m.After(ts("2026-11-20T04:53:00Z")) && m.Before(ts("2026-11-20T04:58:00Z")) {
			return 2 + i.poisson(1), 1 // a card-network outage window, before
		}
		return i.poisson(0.05), 1
	})
	i.metric("AWS/Lambda", "Invocations", "Count", dims("FunctionName", "refund-ledger-writer"), func(m time.Time) (float64, float64) { return ldgInv[m], 1 })
	i.metric("AWS/Lambda", "Duration", "Milliseconds", dims("FunctionName", "refund-psp-adapter"), func(m time.Time) (float64, float64) {
		base := 1650.0
		if m.After(ts("2026-11-20T05:08:12Z")) {
			base = 1480 // more memory, more CPU
		}
		return i.noisy(base, 0.12) * 6, 6
	})
	var fired time.Time
	var val float64
	for p := start; p.Before(end); p = p.Add(5 * time.Minute) {
		var s float64
		for q := p; q.Before(p.Add(5 * time.Minute)); q = q.Add(time.Minute) {
			s += failed[q]
		}
		if s >= 5 && fired.IsZero() {
			fired, val = p.Add(5*time.Minute+52*time.Second), s
		}
	}
	i.alarm(alarmSpec{name: "refund-orchestrator-executions-failed", desc: "Refund executions failing. Check /aws/vendedlogs/states/refund-orchestrator-Logs.", ns: "AWS/States", metric: "ExecutionsFailed", stat: "Sum",
		cmp: "GreaterThanOrEqualToThreshold", unit: "Count", dims: sm, threshold: 5, period: 300, evalPeriods: 1, datapoints: 1, fired: fired, value: val,
		actions: []string{"arn:aws:sns:ap-southeast-2:" + acct + ":payments-oncall"}})
	return i
}
