package awslive

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/telemetry"
)

const hostile = "x' OR 1=1 --"

func athenaSettings() *config.Config {
	s := config.Default()
	s.Athena = config.Athena{Database: "logs", Workgroup: "fa2", OutputLocation: "s3://results-bucket/fa2/", ALBTable: "alb_logs", CloudTrailTable: "cloudtrail_logs"}
	return &s
}

// fakeAthena answers what every query does before polling: the table's
// metadata (with the given partition keys) and StartQueryExecution, which
// hands out id. Tests add GetQueryExecution, GetQueryResults and, where
// they expect it, StopQueryExecution.
func fakeAthena(t *testing.T, id string, partitions ...map[string]any) *awsfake.Server {
	s := awsfake.New(t)
	s.Handle("GetTableMetadata", awsfake.Always(awsfake.OK(map[string]any{"TableMetadata": map[string]any{
		"Name": "t", "Columns": []any{column("time", "string"), column("classification", "string")}, "PartitionKeys": partitions}})))
	s.Handle("StartQueryExecution", awsfake.Always(awsfake.OK(map[string]any{"QueryExecutionId": id})))
	return s
}

// queryState is a GetQueryExecution answer.
func queryState(state string, extra map[string]any) awsfake.Reply {
	status := map[string]any{"State": state}
	for k, v := range extra {
		status[k] = v
	}
	return awsfake.OK(map[string]any{"QueryExecution": map[string]any{"Status": status}})
}

// column and row build GetQueryResults bodies.
func column(name, typ string) map[string]any { return map[string]any{"Name": name, "Type": typ} }

func row(values ...any) map[string]any {
	var data []any
	for _, v := range values {
		if v == nil {
			data = append(data, map[string]any{})
			continue
		}
		data = append(data, map[string]any{"VarCharValue": v})
	}
	return map[string]any{"Data": data}
}

var albColumns = []any{column("kind", "varchar"), column("key", "varchar"), column("requests", "bigint"), column("elb_4xx", "bigint"), column("elb_5xx", "bigint"),
	column("target_4xx", "bigint"), column("target_5xx", "bigint"), column("p50", "double"), column("p90", "double"), column("p99", "double"), column("kind_total", "bigint")}

func TestAccessLogStatsAthenaSendsParametersAndReadsTypedPages(t *testing.T) {
	rs := fakeAthena(t, "q-1", map[string]any{"Name": "day", "Type": "string"})
	rs.Handle("GetQueryExecution", func(call awsfake.Call) awsfake.Reply {
		state := "RUNNING"
		if call.N >= 2 {
			state = "SUCCEEDED"
		}
		return awsfake.OK(map[string]any{"QueryExecution": map[string]any{"QueryExecutionId": "q-1", "Status": map[string]any{"State": state}, "Statistics": map[string]any{"DataScannedInBytes": 123456}}})
	})
	rs.Handle("GetQueryResults", func(call awsfake.Call) awsfake.Reply {
		if call.Str("NextToken") == "" {
			return awsfake.OK(map[string]any{"NextToken": "t2", "ResultSet": map[string]any{"ResultSetMetadata": map[string]any{"ColumnInfo": albColumns}, "Rows": []any{
				row("kind", "key", "requests", "elb_4xx", "elb_5xx", "target_4xx", "target_5xx", "p50", "p90", "p99", "kind_total"), // header
				row("group", "500", "1391", "0", "1391", "0", "1391", "0.055", "0.071", "0.074", "4"),
				row("path", "/api/checkout", "3178", "0", "1391", "0", "1391", "0.07", "0.13", "0.15", "3"),
			}}})
		}
		return awsfake.OK(map[string]any{"ResultSet": map[string]any{"ResultSetMetadata": map[string]any{"ColumnInfo": albColumns}, "Rows": []any{
			row("target", "10.0.1.88:8080", "705", "0", "705", "0", "705", "0.05", "0.07", "0.07", "6"),
			row("target", "10.0.1.45:8080", "2353", "0", "0", "0", "0", nil, nil, nil, "6"),
			row("total", "-", "7944", "503", "1391", "494", "1391", "0.024", "0.112", "0.147", "1"),
		}}})
	})
	c := fakeClient(rs, athenaSettings())
	q := telemetry.AccessLogQuery{Window: trailWindow, StatusMin: 500, PathPrefix: "/api/" + hostile, Method: "post", Target: "10.0.1.88", GroupBy: telemetry.GroupByStatus, Limit: 20}
	res, err := c.AccessLogStats(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Totals.Requests != 7944 || res.Totals.ELB5xx != 1391 || res.Latency == nil || res.Latency.P99 != 0.147 {
		t.Errorf("totals = %+v latency %+v", res.Totals, res.Latency)
	}
	if len(res.Groups) != 1 || res.Groups[0].Key != "500" || res.TotalGroups != 4 {
		t.Errorf("groups = %+v (total %d), want the 500 group of 4 (the header row must be skipped)", res.Groups, res.TotalGroups)
	}
	if len(res.TopFailingTargets) != 1 || res.TopFailingTargets[0].Key != "10.0.1.88:8080" {
		t.Errorf("failing targets = %+v, want only the failing one", res.TopFailingTargets)
	}
	if res.Stats.BytesScanned != 123456 {
		t.Errorf("bytes scanned = %v", res.Stats.BytesScanned)
	}
	start := rs.Calls("StartQueryExecution")[0]
	sql := start.Str("QueryString")
	params := start.Strings("ExecutionParameters")
	if strings.Contains(sql, "1=1") || strings.Contains(sql, "/api/") || strings.Contains(sql, "10.0.1.88") {
		t.Errorf("user input leaked into the SQL text:\n%s", sql)
	}
	if got := strings.Count(sql, "?"); got != len(params) {
		t.Errorf("%d placeholders but %d parameters: %v", got, len(params), params)
	}
	want := map[string]bool{"'/api/x'' OR 1=1 --'": false, "500": false, "'POST'": false, "'2026/11/20'": false, "'10.0.1.88'": false, "'2026-11-20T09:00:00Z'": false}
	for _, p := range params {
		if _, ok := want[p]; ok {
			want[p] = true
		}
	}
	for p, seen := range want {
		if !seen {
			t.Errorf("parameter %s not sent; sent %v", p, params)
		}
	}
	if !strings.Contains(sql, `"day" BETWEEN ? AND ?`) || !strings.Contains(sql, `FROM "logs"."alb_logs"`) || !strings.Contains(sql, "approx_percentile") {
		t.Errorf("SQL lacks the partition filter, table or percentiles:\n%s", sql)
	}
	if start.Str("WorkGroup") != "fa2" || start.Str("ResultConfiguration", "OutputLocation") != "s3://results-bucket/fa2/" || start.Str("QueryExecutionContext", "Database") != "logs" {
		t.Errorf("workgroup, output location or database not sent: %v", start.Params)
	}
	if n := len(rs.Calls("GetQueryResults")); n != 2 {
		t.Errorf("GetQueryResults calls = %d, want 2 pages", n)
	}
}

func TestAthenaFailureReportsReason(t *testing.T) {
	s := fakeAthena(t, "q-2")
	s.Handle("GetQueryExecution", awsfake.Always(queryState("FAILED", map[string]any{
		"StateChangeReason": "COLUMN_NOT_FOUND: line 3:5: Column 'request_verb' cannot be resolved", "AthenaError": map[string]any{"ErrorCategory": 2}})))
	_, err := fakeClient(s, athenaSettings()).AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: trailWindow, GroupBy: "status"})
	e, isErr := telemetry.AsError(err)
	if !isErr || e.Kind != telemetry.KindInvalidInput || !strings.Contains(e.Error(), "request_verb") || !strings.Contains(e.Error(), "q-2") {
		t.Fatalf("err = %v, want an invalid-input error with Athena's reason and the query id", err)
	}
}

func TestAthenaCancellationStopsTheQuery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rs := fakeAthena(t, "q-3")
	rs.Handle("StopQueryExecution", awsfake.Always(awsfake.OK(nil)))
	rs.Handle("GetQueryExecution", func(call awsfake.Call) awsfake.Reply {
		if call.N == 2 {
			cancel() // the caller goes away while the query runs
		}
		return queryState("RUNNING", nil)
	})
	_, err := fakeClient(rs, athenaSettings()).AccessLogStats(ctx, telemetry.AccessLogQuery{Window: trailWindow, GroupBy: "status"})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	stops := rs.Calls("StopQueryExecution")
	if len(stops) != 1 || stops[0].Str("QueryExecutionId") != "q-3" {
		t.Fatalf("StopQueryExecution calls = %v, want one for q-3", stops)
	}
}

func TestAthenaDeadlineStopsTheQuery(t *testing.T) {
	rs := fakeAthena(t, "q-4")
	rs.Handle("StopQueryExecution", awsfake.Always(awsfake.OK(nil)))
	rs.Handle("GetQueryExecution", awsfake.Always(queryState("QUEUED", nil)))
	c := fakeClient(rs, athenaSettings())
	c.athenaState.timeout = 30e6 // 30ms
	_, err := c.AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: trailWindow, GroupBy: "status"})
	if e, isErr := telemetry.AsError(err); !isErr || e.Kind != telemetry.KindTimeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if len(rs.Calls("StopQueryExecution")) != 1 {
		t.Fatalf("calls %v: want StopQueryExecution after the deadline", rs.Ops())
	}
}

func TestCloudTrailAthenaBackend(t *testing.T) {
	s := athenaSettings()
	s.CloudTrail.Backend = "athena"
	cols := []any{column("eventtime", "varchar"), column("eventid", "varchar"), column("eventsource", "varchar"), column("eventname", "varchar"),
		column("readonly", "varchar"), column("eventcategory", "varchar"), column("principal_type", "varchar"), column("principal_arn", "varchar"),
		column("principal_account", "varchar"), column("principal_user", "varchar"), column("invoked_by", "varchar"), column("issuer_arn", "varchar"),
		column("issuer_user", "varchar"), column("sourceipaddress", "varchar"), column("useragent", "varchar"), column("errorcode", "varchar"),
		column("errormessage", "varchar"), column("awsregion", "varchar"), column("recipientaccountid", "varchar"), column("resource_arns", "varchar"),
		column("requestparameters", "varchar")}
	rs := fakeAthena(t, "q-5", map[string]any{"Name": "region", "Type": "string"}, map[string]any{"Name": "timestamp", "Type": "string"})
	rs.Handle("GetQueryExecution", awsfake.Always(awsfake.OK(map[string]any{"QueryExecution": map[string]any{
		"Status": map[string]any{"State": "SUCCEEDED"}, "Statistics": map[string]any{"DataScannedInBytes": 42}}})))
	rs.Handle("GetQueryResults", awsfake.Always(awsfake.OK(map[string]any{"ResultSet": map[string]any{"ResultSetMetadata": map[string]any{"ColumnInfo": cols}, "Rows": []any{
		row("eventtime"),
		row("2026-11-20T09:20:05Z", "e1", "ecs.amazonaws.com", "RegisterTaskDefinition", "false", nil, "AssumedRole",
			"arn:aws:sts::123456789012:assumed-role/deploy-pipeline/cb-7781", "123456789012", nil, nil, "arn:aws:iam::123456789012:role/deploy-pipeline",
			"deploy-pipeline", "3.91.171.22", "aws-cli/2", nil, nil, "us-east-1", "123456789012", "",
			`{"containerDefinitions":[{"secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/checkout/db"}]}]}`),
	}}})))
	c := fakeClient(rs, s)
	res, err := c.CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{
		Window: trailWindow, EventNames: []string{"RegisterTaskDefinition"}, Principals: []string{"deploy-pipeline", hostile}, Resource: hostile + "staging",
		OnlyMutating: true, Limit: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	start := rs.Calls("StartQueryExecution")[0]
	sql := start.Str("QueryString")
	params := start.Strings("ExecutionParameters")
	if strings.Contains(sql, "1=1") || strings.Contains(sql, "deploy-pipeline") || strings.Contains(sql, "RegisterTaskDefinition") {
		t.Errorf("user input leaked into the SQL text:\n%s", sql)
	}
	if strings.Count(sql, "?") != len(params) {
		t.Errorf("%d placeholders, %d parameters", strings.Count(sql, "?"), len(params))
	}
	for _, want := range []string{`"timestamp" BETWEEN ? AND ?`, `"region" = ?`, "readonly = 'false'", `FROM "logs"."cloudtrail_logs"`, "LIMIT 100"} {
		if !strings.Contains(sql, want) {
			t.Errorf("SQL lacks %s:\n%s", want, sql)
		}
	}
	joined := strings.Join(params, "|") + "|"
	for _, want := range []string{"'x'' OR 1=1 --'", "'2026/11/20'", "'us-east-1'", "'RegisterTaskDefinition'", "'deploy-pipeline'"} {
		if !strings.Contains(joined, want+"|") {
			t.Errorf("parameter %s not sent: %s", want, joined)
		}
	}
	// The resource filter does not match the row, so the local re-check drops it...
	if len(res.Events) != 0 {
		t.Errorf("events = %+v, want none: the local filter must agree with the SQL", res.Events)
	}
	// ...and with a matching resource the row comes back reduced.
	res, err = c.CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: trailWindow, Principals: []string{"deploy-pipeline"}, Resource: "staging/checkout", OnlyMutating: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 1 || res.Events[0].ReadOnly || res.Stats.BytesScanned != 42 || !strings.Contains(strings.Join(res.Events[0].Request, " "), "staging/checkout/db") {
		t.Fatalf("events = %+v stats %+v", res.Events, res.Stats)
	}
}

func TestAthenaRejectsUnsafeIdentifiers(t *testing.T) {
	s := athenaSettings()
	s.Athena.ALBTable = `alb"; DROP TABLE x; --`
	rs := awsfake.New(t) // no handlers: any call fails the test
	_, err := fakeClient(rs, s).AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: trailWindow, GroupBy: "status"})
	if e, isErr := telemetry.AsError(err); !isErr || e.Kind != telemetry.KindInvalidInput || !strings.Contains(e.Error(), "athena.alb_table") {
		t.Fatalf("err = %v, want invalid input naming athena.alb_table", err)
	}
	if len(rs.Ops()) != 0 {
		t.Errorf("no request may be sent with a bad identifier, sent %v", rs.Ops())
	}
}

func TestTypedValues(t *testing.T) {
	s := func(v string) *string { return &v }
	if v := typed("bigint", s("42")); v != int64(42) {
		t.Errorf("bigint → %#v", v)
	}
	if v := typed("double", s("0.5")); v != 0.5 {
		t.Errorf("double → %#v", v)
	}
	if v := typed("boolean", s("true")); v != true {
		t.Errorf("boolean → %#v", v)
	}
	if v := typed("varchar", nil); v != nil {
		t.Errorf("null → %#v", v)
	}
	if v := typed("array(varchar)", s("[a, b]")); v != "[a, b]" {
		t.Errorf("array → %#v", v)
	}
}

// athenaFirstRun is the configuration of a first run: a database, a
// workgroup and a table, but no athena.output_location.
func athenaFirstRun() *config.Config {
	s := config.Default()
	s.Athena = config.Athena{Database: "logs", Workgroup: "analysts", ALBTable: "alb_logs"}
	return &s
}

// A workgroup without a result location (and no athena.output_location)
// makes StartQueryExecution fail with InvalidRequestException. The user must
// be told which setting to fill, not "fix the request".
func TestAthenaMissingOutputLocationSaysWhatToConfigure(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("GetTableMetadata", awsfake.Always(awsfake.OK(map[string]any{"TableMetadata": map[string]any{"Name": "alb_logs", "Columns": []any{column("time", "string")}}})))
	s.Handle("StartQueryExecution", awsfake.Always(awsfake.Error("InvalidRequestException",
		"No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.")))
	_, err := fakeClient(s, athenaFirstRun()).AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: trailWindow})
	e, ok := telemetry.AsError(err)
	if !ok || e.Kind != telemetry.KindUnsupported {
		t.Fatalf("err = %v, want an unsupported (configuration) telemetry.Error", err)
	}
	text := e.Msg + " " + e.Hint
	for _, want := range []string{"athena.output_location", `"analysts"`, "No output location provided"} {
		if !strings.Contains(text, want) {
			t.Errorf("error %q does not mention %q", text, want)
		}
	}
	if n := len(s.Calls("StopQueryExecution")); n != 0 {
		t.Errorf("%d StopQueryExecution calls for a query that never started", n)
	}
}

// GetTableMetadata answers a missing database or table with
// MetadataException; that is a configuration error to fix, not an AWS outage
// to retry.
func TestAthenaMissingTableIsNotFound(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("GetTableMetadata", awsfake.Always(awsfake.Error("MetadataException",
		"Table alb_logs not found. (Service: AWSGlue; Status Code: 400; Error Code: EntityNotFoundException)")))
	_, err := fakeClient(s, athenaFirstRun()).AccessLogStats(context.Background(), telemetry.AccessLogQuery{Window: trailWindow})
	e, ok := telemetry.AsError(err)
	if !ok || e.Kind != telemetry.KindNotFound {
		t.Fatalf("err = %v, want a not_found telemetry.Error", err)
	}
	text := e.Msg + " " + e.Hint
	for _, want := range []string{"athena.alb_table", "athena.database", "Table alb_logs not found"} {
		if !strings.Contains(text, want) {
			t.Errorf("error %q does not mention %q", text, want)
		}
	}
}

// Issue 18 items 1 and 7 on the Athena backend: a failed console sign-in
// (no errorcode, responseelements {"ConsoleLogin":"Failure"}) is an error,
// the console marks a change, and an account id selects cross-account callers.
func TestCloudTrailAthenaConsoleAndAccounts(t *testing.T) {
	s := athenaSettings()
	s.CloudTrail.Backend = "athena"
	rs := awsfake.New(t)
	rs.Handle("GetTableMetadata", awsfake.Always(awsfake.OK(map[string]any{"TableMetadata": map[string]any{
		"Name": "cloudtrail_logs", "Columns": []any{column("eventtime", "string"), column("responseelements", "string"), column("sessioncredentialfromconsole", "string")}}})))
	rs.Handle("StartQueryExecution", awsfake.Always(awsfake.OK(map[string]any{"QueryExecutionId": "q-ct"})))
	rs.Handle("GetQueryExecution", awsfake.Always(awsfake.OK(map[string]any{"QueryExecution": map[string]any{"Status": map[string]any{"State": "SUCCEEDED"}}})))
	cols := []any{column("eventtime", "varchar"), column("eventid", "varchar"), column("eventsource", "varchar"), column("eventname", "varchar"),
		column("readonly", "varchar"), column("principal_type", "varchar"), column("principal_arn", "varchar"), column("principal_account", "varchar"),
		column("principal_user", "varchar"), column("errormessage", "varchar"), column("recipientaccountid", "varchar"),
		column("responseelements", "varchar"), column("sessioncredentialfromconsole", "varchar")}
	rs.Handle("GetQueryResults", awsfake.Always(awsfake.OK(map[string]any{"ResultSet": map[string]any{"ResultSetMetadata": map[string]any{"ColumnInfo": cols}, "Rows": []any{
		row("eventtime"),
		row("2026-11-20T09:20:05Z", "e1", "signin.amazonaws.com", "ConsoleLogin", "false", "IAMUser", nil, "444455556666", "JaneDoe",
			"Failed authentication", "123456789012", `{"ConsoleLogin":"Failure"}`, nil),
		row("2026-11-20T09:21:05Z", "e2", "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "false", "AssumedRole",
			"arn:aws:sts::444455556666:assumed-role/Admin/jane", "444455556666", nil, nil, "123456789012", `{"_return":true}`, "true"),
	}}})))
	res, err := fakeClient(rs, s).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: trailWindow, Principals: []string{"444455556666"}, ErrorsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	start := rs.Calls("StartQueryExecution")[0]
	sql := start.Str("QueryString")
	if !strings.Contains(sql, "useridentity.accountid = ?") || !strings.Contains(sql, `strpos(coalesce(responseelements, ''), '"Failure"') > 0`) ||
		!strings.Contains(sql, "responseelements AS responseelements") {
		t.Errorf("SQL:\n%s", sql)
	}
	if len(res.Events) != 1 || res.Events[0].Name != "ConsoleLogin" || res.Events[0].ErrorCode != "ConsoleLoginFailure" || res.Events[0].CallerAccount != "444455556666" {
		t.Fatalf("errors = %+v", res.Events)
	}
	res, err = fakeClient(rs, s).CloudTrailEvents(context.Background(), telemetry.CloudTrailQuery{Window: trailWindow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 2 || res.Events[1].Actor != telemetry.ActorConsole {
		t.Errorf("events = %+v", res.Events)
	}
}

// A window over several days prunes to partitions from its start day to its
// end day inclusive, for each documented partition layout. (A one-day window
// cannot tell the start day from the end day.)
func TestPartitionFilterSpansTheWindowsDays(t *testing.T) {
	w := telemetry.Window{Start: time.Date(2026, 11, 18, 22, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 1, 30, 0, 0, time.UTC)}
	for _, tc := range []struct {
		name       string
		partitions map[string]string
		clause     string
	}{
		{"projection timestamp", map[string]string{"timestamp": "string"}, `"timestamp" BETWEEN ? AND ?`},
		{"year/month/day", map[string]string{"year": "string", "month": "string", "day": "string"}, `concat("year", '/', "month", '/', "day") BETWEEN ? AND ?`},
		{"day", map[string]string{"day": "varchar(10)"}, `"day" BETWEEN ? AND ?`},
	} {
		clauses, params := partitionFilter(&tableInfo{partitions: tc.partitions}, w, "")
		if len(clauses) != 1 || clauses[0] != tc.clause {
			t.Errorf("%s: clauses %q, want %q", tc.name, clauses, tc.clause)
		}
		if want := []string{"'2026/11/18'", "'2026/11/20'"}; !reflect.DeepEqual(params, want) {
			t.Errorf("%s: params %q, want %q (start day to end day)", tc.name, params, want)
		}
	}
	// A non-string partition's format is not documented: no pruning on it.
	if clauses, _ := partitionFilter(&tableInfo{partitions: map[string]string{"day": "date"}}, w, ""); len(clauses) != 0 {
		t.Errorf("date-typed day partition pruned with %q", clauses)
	}
}
