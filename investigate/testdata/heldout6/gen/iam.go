package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// iamTrustDropped: a security engineer tidies the trust policy of
// ledger-export-reader in the prod account, replacing the data account's
// MWAA execution role with the old airflow-scheduler role she believed was
// the one in use. The next run of the ledger_export_sync DAG in the data
// account cannot assume the role. The snapshot holds the organization
// trail (both accounts) and the data account's MWAA task logs.
func iamTrustDropped() *inc {
	start, end := ts("2026-11-24T02:00:00Z"), ts("2026-11-24T03:20:00Z")
	prod, data := "583920147615", "739204551876"
	i := newInc("iam-trust-principal-dropped", 6505, "us-east-1", prod, start, end,
		"warehouse: ledger_entries not loaded",
		"The prod account (583920147615) runs ledger-exporter (ECS Fargate), which writes ledger exports to s3://northwind-ledger-exports every 5 minutes. The data account (739204551876) runs Amazon MWAA environment warehouse-prod; its DAG ledger_export_sync (every 5 minutes) assumes the prod role ledger-export-reader with its execution role mwaa-warehouse-prod-exec, reads the new export files and loads them into Snowflake table LEDGER_ENTRIES. Other DAGs: orders_snapshot, marketing_spend_sync. CloudTrail is the organization trail (both accounts). Freshness metrics are published by the DAGs to the DataPlatform/WarehouseSync namespace.")
	reader := "arn:aws:iam::" + prod + ":role/ledger-export-reader"
	mwaaRole := "arn:aws:iam::" + data + ":role/mwaa-warehouse-prod-exec"
	change := ts("2026-11-24T02:41:09Z")

	i.noise(noiseCfg{lambdaRoles: []string{"ledger-audit-role"}, taskRoles: []string{"ledger-exporter-task", "ledger-api-task"},
		ecrRepos: []string{"ledger-exporter", "ledger-api"}, secrets: []string{"prod/ledger/db"}})
	sec := i.sso("SecurityEngineer", "t.brennan@northwind-retail.com")
	iam := func(t time.Time, name string, req any) {
		i.ct(ev{t: t, who: sec, source: "iam.amazonaws.com", name: name, req: req, ip: "92.40.187.16", agent: "AWS Internal"})
	}
	doc := func(v any) string { b, _ := json.MarshalIndent(v, "", "    "); return string(b) }
	for _, t := range []string{"02:33:05", "02:35:51", "02:38:12", "02:40:27", "02:42:31"} {
		i.ct(ev{t: ts("2026-11-24T" + t + "Z"), who: sec, source: "iam.amazonaws.com", name: i.pick("GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies"), readOnly: true,
			ip: "92.40.187.16", agent: "AWS Internal", req: map[string]any{"roleName": i.pick("ledger-export-reader", "github-actions-deploy")}})
	}
	iam(ts("2026-11-24T02:36:40Z"), "UpdateAssumeRolePolicy", map[string]any{"roleName": "github-actions-deploy", "policyDocument": doc(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"Federated": "arn:aws:iam::" + prod + ":oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
		"Condition": map[string]any{"StringEquals": map[string]any{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": map[string]any{"token.actions.githubusercontent.com:sub": []string{"repo:northwind/ledger-exporter:ref:refs/heads/main", "repo:northwind/ledger-api:ref:refs/heads/main"}}}}}})})
	iam(change, "UpdateAssumeRolePolicy", map[string]any{"roleName": "ledger-export-reader", "policyDocument": doc(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "EcsTasks", "Effect": "Allow", "Principal": map[string]any{"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"},
		map[string]any{"Sid": "DataPlatformAirflow", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + data + ":role/airflow-scheduler"}, "Action": "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": "ledger-export-sync"}}}}})})
	iam(ts("2026-11-24T02:42:55Z"), "PutRolePolicy", map[string]any{"roleName": "ledger-export-reader", "policyName": "read-ledger-exports", "policyDocument": doc(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": []string{"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"}, "Resource": []string{"arn:aws:s3:::northwind-ledger-exports", "arn:aws:s3:::northwind-ledger-exports/*"}}}})})
	dataEng := i.role(data, "aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataEngineer_5f2c81d07a9be344", "l.moreau@northwind-retail.com")
	i.ct(ev{t: ts("2026-11-24T02:19:47Z"), who: dataEng, source: "iam.amazonaws.com", name: "AttachRolePolicy", ip: "86.245.3.190", agent: "AWS Internal",
		req: map[string]any{"roleName": "mwaa-warehouse-prod-exec", "policyArn": "arn:aws:iam::" + data + ":policy/snowflake-stage-write"}, extra: map[string]any{"recipientAccountId": data}})

	// who assumes what, from the data account
	mwaaSession := i.role(data, "mwaa-warehouse-prod-exec", "AmazonMWAA-airflow")
	jenkins := i.role(data, "jenkins-agent", "i-0"+i.hex(16))
	assume := func(t time.Time, caller who, role, session string, denied bool) {
		callerArn := caller["arn"].(string)
		req := map[string]any{"roleArn": role, "roleSessionName": session}
		e := ev{t: t, who: caller, source: "sts.amazonaws.com", name: "AssumeRole", readOnly: true, req: req, ip: "3.231.17." + fmt.Sprint(40+i.r.Intn(20)), agent: "Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131"}
		if denied {
			e.errCode = "AccessDenied"
			e.errMsg = fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", callerArn, role)
		} else {
			e.resp = map[string]any{"credentials": map[string]any{"accessKeyId": "ASIA" + i.upper(16), "sessionToken": "IQoJb3JpZ2luX2VjE" + i.alnum(12), "expiration": t.Add(time.Hour).Format("Jan 2, 2006, 3:04:05 PM")},
				"assumedRoleUser": map[string]any{"assumedRoleId": "AROA" + i.upper(17) + ":" + session, "arn": "arn:aws:sts::" + prod + ":assumed-role/" + role[len("arn:aws:iam::"+prod+":role/"):] + "/" + session}}
		}
		// the caller's account and the role's account both record the call
		e.extra = map[string]any{"recipientAccountId": data}
		i.ct(e)
		e2 := e
		e2.who = who{"type": "AWSAccount", "principalId": caller["principalId"].(string), "accountId": data}
		e2.extra = map[string]any{"recipientAccountId": prod, "sharedEventID": i.uuid()}
		i.ct(e2)
	}

	tg := "airflow-warehouse-prod-Task"
	var onset time.Time
	failed, loaded := map[time.Time]float64{}, map[time.Time]float64{}
	lastLoad := start.Add(-3 * time.Minute)
	since := map[time.Time]float64{}
	af := func(t time.Time, src, level, msg string) string {
		return fmt.Sprintf("[%s] {%s} %s - %s", t.Format("2006-01-02T15:04:05.000-0700"), src, level, msg)
	}
	for run := start; run.Before(end); run = run.Add(5 * time.Minute) {
		runID := "scheduled__" + run.Add(-5*time.Minute).Format("2006-01-02T15:04:05+00:00")
		for attempt := 1; attempt <= 3; attempt++ {
			t0 := run.Add(time.Duration(attempt-1)*70*time.Second + time.Duration(1800+i.r.Intn(1500))*time.Millisecond)
			if !t0.Before(end) {
				break
			}
			stream := fmt.Sprintf("dag_id=ledger_export_sync/run_id=%s/task_id=load_ledger_entries/attempt=%d.log", runID, attempt)
			i.log(tg, stream, t0, af(t0, "taskinstance.py:2614", "INFO", fmt.Sprintf("Starting attempt %d of 3", attempt)))
			i.log(tg, stream, t0.Add(40*time.Millisecond), af(t0.Add(40*time.Millisecond), "taskinstance.py:2637", "INFO", fmt.Sprintf("Executing <Task(PythonOperator): load_ledger_entries> on %s", run.Add(-5*time.Minute).Format("2006-01-02 15:04:05+00:00"))))
			ta := t0.Add(600 * time.Millisecond)
			if ta.After(change) {
				assume(ta, mwaaSession, reader, "ledger-export-sync", true)
				if onset.IsZero() || ta.Before(onset) {
					onset = ta
				}
				msg := fmt.Sprintf("Task failed with exception\nTraceback (most recent call last):\n  File \"/usr/local/airflow/.local/lib/python3.11/site-packages/airflow/models/taskinstance.py\", line 465, in _execute_task\n    result = _execute_callable(context=context, **execute_callable_kwargs)\n  File \"/usr/local/airflow/dags/ledger_export_sync.py\", line 38, in load_ledger_entries\n    creds = sts.assume_role(RoleArn=READER_ROLE, RoleSessionName=\"ledger-export-sync\")[\"Credentials\"]\n  File \"/usr/local/airflow/.local/lib/python3.11/site-packages/botocore/client.py\", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)\nbotocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::%s:assumed-role/mwaa-warehouse-prod-exec/AmazonMWAA-airflow is not authorized to perform: sts:AssumeRole on resource: %s", data, reader)
				te := ta.Add(180 * time.Millisecond)
				i.log(tg, stream, te, af(te, "taskinstance.py:3311", "ERROR", msg))
				final := "UP_FOR_RETRY"
				if attempt == 3 {
					final = "FAILED"
				}
				i.log(tg, stream, te.Add(20*time.Millisecond), af(te.Add(20*time.Millisecond), "taskinstance.py:1225", "INFO", fmt.Sprintf("Marking task as %s. dag_id=ledger_export_sync, task_id=load_ledger_entries, run_id=%s, execution_date=%s, start_date=%s, end_date=%s", final, runID, run.Add(-5*time.Minute).Format("20060102T150405"), t0.Format("20060102T150405"), te.Format("20060102T150405"))))
				failed[te.Truncate(time.Minute)]++
				continue
			}
			assume(ta, mwaaSession, reader, "ledger-export-sync", false)
			rows := 1700 + i.r.Intn(400)
			td := t0.Add(time.Duration(9+i.r.Intn(5)) * time.Second)
			i.log(tg, stream, ta.Add(300*time.Millisecond), af(ta.Add(300*time.Millisecond), "ledger_export_sync.py:52", "INFO", fmt.Sprintf("Found 1 new export file(s) under s3://northwind-ledger-exports/dt=%s/hour=%s/", run.Format("2006-01-02"), run.Format("15"))))
			if i.r.Intn(6) == 0 {
				i.log(tg, stream, td.Add(-2*time.Second), af(td.Add(-2*time.Second), "connection.py:1121", "WARNING", "Snowflake query queued for 1840 ms: warehouse LOAD_WH is resuming"))
			}
			i.log(tg, stream, td, af(td, "ledger_export_sync.py:71", "INFO", fmt.Sprintf("COPY INTO LEDGER_ENTRIES loaded %d rows", rows)))
			i.log(tg, stream, td.Add(30*time.Millisecond), af(td.Add(30*time.Millisecond), "taskinstance.py:1225", "INFO", fmt.Sprintf("Marking task as SUCCESS. dag_id=ledger_export_sync, task_id=load_ledger_entries, run_id=%s", runID)))
			loaded[td.Truncate(time.Minute)] += float64(rows)
			lastLoad = td
			break
		}
		for m := run; m.Before(run.Add(5 * time.Minute)); m = m.Add(time.Minute) {
			since[m] = float64(int(m.Add(time.Minute).Sub(lastLoad).Minutes()))
		}
	}
	// other DAGs, one of them failing all along
	for run := start.Add(2 * time.Minute); run.Before(end); run = run.Add(10 * time.Minute) {
		runID := "scheduled__" + run.Add(-10*time.Minute).Format("2006-01-02T15:04:05+00:00")
		s := "dag_id=orders_snapshot/run_id=" + runID + "/task_id=copy_orders/attempt=1.log"
		i.log(tg, s, run.Add(2*time.Second), af(run.Add(2*time.Second), "taskinstance.py:2614", "INFO", "Starting attempt 1 of 3"))
		i.log(tg, s, run.Add(31*time.Second), af(run.Add(31*time.Second), "taskinstance.py:1225", "INFO", "Marking task as SUCCESS. dag_id=orders_snapshot, task_id=copy_orders, run_id="+runID))
		s2 := "dag_id=marketing_spend_sync/run_id=" + runID + "/task_id=load_spend/attempt=1.log"
		t := run.Add(3*time.Minute + 4*time.Second)
		i.log(tg, s2, t, af(t, "taskinstance.py:2614", "INFO", "Starting attempt 1 of 1"))
		i.log(tg, s2, t.Add(3*time.Second), af(t.Add(3*time.Second), "taskinstance.py:3311", "ERROR", "Task failed with exception\nTraceback (most recent call last):\n  File \"/usr/local/airflow/dags/marketing_spend_sync.py\", line 64, in load_spend\n    cur.execute(COPY_SQL)\n  File \"/usr/local/airflow/.local/lib/python3.11/site-packages/snowflake/connector/cursor.py\", line 1080, in execute\n    Error.errorhandler_wrapper(self.connection, self, error_class, errvalue)\nsnowflake.connector.errors.ProgrammingError: 000606 (57P03): No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command."))
		i.log(tg, s2, t.Add(3*time.Second+20*time.Millisecond), af(t.Add(3*time.Second+20*time.Millisecond), "taskinstance.py:1225", "INFO", "Marking task as FAILED. dag_id=marketing_spend_sync, task_id=load_spend, run_id="+runID))
	}
	// the decommissioned Jenkins still tries an old role every 15 minutes
	for t := start.Add(6*time.Minute + 13*time.Second); t.Before(end); t = t.Add(15 * time.Minute) {
		assume(t, jenkins, "arn:aws:iam::"+prod+":role/legacy-ledger-reader", "jenkins-nightly", true)
	}
	// the exporter in prod: plain text, no level
	eg := "/ecs/ledger-exporter"
	es := "ledger-exporter/exporter/" + i.hex(32)
	for t := start.Add(1 * time.Second); t.Before(end); t = t.Add(5 * time.Minute) {
		tt := t.Add(time.Duration(i.r.Intn(900)) * time.Millisecond)
		i.log(eg, es, tt, fmt.Sprintf("%s starting export window %s..%s", tt.Format("2006-01-02 15:04:05,000"), t.Add(-5*time.Minute).Format("15:04"), t.Format("15:04")))
		if i.r.Intn(8) == 0 {
			i.log(eg, es, tt.Add(1200*time.Millisecond), fmt.Sprintf("%s retrying query after psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update", tt.Add(1200*time.Millisecond).Format("2006-01-02 15:04:05,000")))
		}
		i.log(eg, es, tt.Add(3*time.Second), fmt.Sprintf("%s exported %d ledger entries to s3://northwind-ledger-exports/dt=%s/hour=%s/part-%s.parquet", tt.Add(3*time.Second).Format("2006-01-02 15:04:05,000"), 1700+i.r.Intn(400), t.Format("2006-01-02"), t.Format("15"), t.Format("1504")))
	}

	i.truth = map[string]any{"kind": "iam-trust", "alarm": "ledger-entries-freshness",
		"root_cause": map[string]any{"event_name": "UpdateAssumeRolePolicy", "event_time": change.Format(time.RFC3339), "resource": "ledger-export-reader"},
		"onset":      onset.Format(time.RFC3339),
		"decoys":     []any{change0("UpdateAssumeRolePolicy", "2026-11-24T02:36:40Z"), change0("PutRolePolicy", "2026-11-24T02:42:55Z"), change0("AttachRolePolicy", "2026-11-24T02:19:47Z")},
		"signals":    []string{"is not authorized to perform: sts:AssumeRole", "ledger-export-reader"}}
	_ = mwaaRole

	dg := dims("Dag", "ledger_export_sync")
	i.metric("DataPlatform/WarehouseSync", "FailedSyncs", "Count", dg, func(m time.Time) (float64, float64) {
		if failed[m] == 0 && m.Minute()%5 != 0 {
			return 0, 0
		}
		return failed[m], 1
	})
	i.metric("DataPlatform/WarehouseSync", "RowsLoaded", "Count", dg, func(m time.Time) (float64, float64) {
		if loaded[m] == 0 {
			return 0, 0
		}
		return loaded[m], 1
	})
	fr := dims("Table", "LEDGER_ENTRIES")
	i.metric("DataPlatform/WarehouseSync", "MinutesSinceLastLoad", "None", fr, func(m time.Time) (float64, float64) { return since[m], 1 })
	i.metric("AmazonMWAA", "CPUUtilization", "Percent", dims("Cluster", "BaseWorker", "Environment", "warehouse-prod"), func(m time.Time) (float64, float64) {
		base := 31.0
		if m.Minute()%10 >= 3 && m.Minute()%10 <= 4 {
			base = 58
		}
		return i.noisy(base, 0.1), 1
	})
	var fired time.Time
	var val float64
	for m := start; m.Before(end); m = m.Add(time.Minute) {
		if since[m] > 12 && fired.IsZero() {
			fired, val = m.Add(time.Minute+27*time.Second), since[m]
		}
	}
	i.alarm(alarmSpec{name: "ledger-entries-freshness", desc: "LEDGER_ENTRIES in Snowflake has not been loaded for more than 12 minutes (DAG ledger_export_sync).", ns: "DataPlatform/WarehouseSync", metric: "MinutesSinceLastLoad", stat: "Maximum",
		cmp: "GreaterThanThreshold", unit: "None", dims: fr, threshold: 12, period: 60, evalPeriods: 1, datapoints: 1, fired: fired, value: val,
		actions: []string{"arn:aws:sns:us-east-1:" + prod + ":data-platform-oncall"}})
	return i
}
