package awslive

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	athenatypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/fa2/fa2/telemetry"
)

// Athena runs the SQL behind query_access_logs and the CloudTrail "athena"
// backend. User input never enters the SQL text: every value is passed in
// ExecutionParameters (as a SQL literal, which is how Athena expects them),
// and table names come from configuration, checked against a strict pattern.

// defaultAthenaTimeout bounds one query, polling included.
const defaultAthenaTimeout = 4 * time.Minute

// athenaCatalog is the Glue catalog Athena tables live in.
const athenaCatalog = "AwsDataCatalog"

// athenaState caches table metadata and holds the query deadline.
type athenaState struct {
	mu     sync.Mutex
	tables map[string]*tableInfo
	// timeout bounds one query; zero means defaultAthenaTimeout.
	timeout time.Duration
}

// tableInfo is what fa2 needs to know about a table: its columns (to use
// optional ones only when present) and its partition keys.
type tableInfo struct {
	columns    map[string]string // name → type, lower case
	partitions map[string]string
}

func (t *tableInfo) has(col string) bool { _, ok := t.columns[col]; return ok }

// athenaQuery is one SQL statement and its positional parameters.
type athenaQuery struct {
	sql    string
	params []string
	// maxRows bounds the rows read back.
	maxRows  int
	progress telemetry.Progress
}

// athenaResult holds typed rows: int64, float64, bool, time.Time, string or nil.
type athenaResult struct {
	columns      []string
	rows         [][]any
	bytesScanned int64
	truncated    bool
	queryID      string
}

// col returns the index of a column, or -1.
func (r *athenaResult) col(name string) int {
	for i, c := range r.columns {
		if c == name {
			return i
		}
	}
	return -1
}

var identPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,254}$`)

// quoteIdent validates a configured identifier and quotes it for SQL.
func quoteIdent(key, name string) (string, error) {
	if !identPattern.MatchString(name) {
		return "", telemetry.Errorf(telemetry.KindInvalidInput, "configuration %s = %q is not a valid Athena identifier.", key, name).WithHint(fmt.Sprintf("Set %s to a Glue name made of letters, digits and underscores.", key))
	}
	return `"` + name + `"`, nil
}

// sqlString makes a value a SQL string literal for ExecutionParameters.
// Doubling quotes is the only escape SQL string literals have, so the value
// cannot end the literal early.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlTime is a time as a CloudTrail/ALB style ISO 8601 string literal.
func sqlTime(t time.Time) string { return sqlString(t.UTC().Format("2006-01-02T15:04:05Z")) }

// athenaTable returns the quoted "database"."table" for a configured table.
func (c *Client) athenaTable(key, table string) (string, error) {
	a := c.settings.Athena
	if a.Database == "" || table == "" {
		return "", telemetry.Errorf(telemetry.KindUnsupported, "no Athena table is configured for this query.").WithHint(fmt.Sprintf("Set athena.database and %s (see the README's Athena section).", key))
	}
	if a.OutputLocation == "" && a.Workgroup == "" {
		return "", telemetry.Errorf(telemetry.KindUnsupported, "Athena needs somewhere to write query results.").WithHint("Set athena.output_location (s3://...) or an athena.workgroup that has one.")
	}
	db, err := quoteIdent("athena.database", a.Database)
	if err != nil {
		return "", err
	}
	tb, err := quoteIdent(key, table)
	if err != nil {
		return "", err
	}
	return db + "." + tb, nil
}

// tableInfo reads (once) a table's columns and partition keys; key names
// the setting that holds the table, for the error when it does not exist.
func (c *Client) tableInfo(ctx context.Context, key, table string) (*tableInfo, error) {
	st := &c.athenaState
	st.mu.Lock()
	if info, ok := st.tables[table]; ok {
		st.mu.Unlock()
		return info, nil
	}
	st.mu.Unlock()
	in := &athena.GetTableMetadataInput{CatalogName: aws.String(athenaCatalog), DatabaseName: aws.String(c.settings.Athena.Database), TableName: aws.String(table)}
	if wg := c.settings.Athena.Workgroup; wg != "" {
		in.WorkGroup = aws.String(wg)
	}
	out, err := c.athena.GetTableMetadata(ctx, in)
	if err != nil {
		return nil, tableMetadataError(err, key, c.settings.Athena.Database, table)
	}
	info := &tableInfo{columns: map[string]string{}, partitions: map[string]string{}}
	if md := out.TableMetadata; md != nil {
		for _, col := range md.Columns {
			info.columns[strings.ToLower(aws.ToString(col.Name))] = strings.ToLower(aws.ToString(col.Type))
		}
		for _, col := range md.PartitionKeys {
			name, typ := strings.ToLower(aws.ToString(col.Name)), strings.ToLower(aws.ToString(col.Type))
			info.partitions[name] = typ
			info.columns[name] = typ
		}
	}
	st.mu.Lock()
	if st.tables == nil {
		st.tables = map[string]*tableInfo{}
	}
	st.tables[table] = info
	st.mu.Unlock()
	return info, nil
}

// tableMetadataError maps a GetTableMetadata failure. Glue reports a missing
// database or table as MetadataException (EntityNotFoundException inside),
// which is a setting to correct rather than an outage to retry.
func tableMetadataError(err error, key, database, table string) error {
	mapped := mapError("athena:GetTableMetadata", err)
	var meta *athenatypes.MetadataException
	e, ok := telemetry.AsError(mapped)
	if !ok || !errors.As(err, &meta) {
		return mapped
	}
	e.Kind = telemetry.KindNotFound
	e.Msg = fmt.Sprintf("Athena cannot read table %q in database %q: %s.", table, database, strings.TrimSuffix(aws.ToString(meta.Message), "."))
	e.Hint = fmt.Sprintf("Check athena.database and %s against the Glue catalog in this region (aws athena list-table-metadata --catalog-name AwsDataCatalog --database-name %s).", key, database)
	return e
}

// partitionFilter prunes partitions for the window: a "timestamp" or "day"
// partition (yyyy/MM/dd, as AWS's partition-projection examples for
// CloudTrail and ALB use), year/month/day partitions, and "region". Only
// string partitions are used, since their format is the documented one.
func partitionFilter(info *tableInfo, w telemetry.Window, region string) (clauses, params []string) {
	isString := func(name string) bool {
		t, ok := info.partitions[name]
		return ok && (t == "string" || strings.HasPrefix(t, "varchar"))
	}
	from, to := sqlString(w.Start.UTC().Format("2006/01/02")), sqlString(w.End.UTC().Format("2006/01/02"))
	switch {
	case isString("timestamp"):
		clauses = append(clauses, `"timestamp" BETWEEN ? AND ?`)
		params = append(params, from, to)
	case isString("year") && isString("month") && isString("day"):
		clauses = append(clauses, `concat("year", '/', "month", '/', "day") BETWEEN ? AND ?`)
		params = append(params, from, to)
	case isString("day"):
		clauses = append(clauses, `"day" BETWEEN ? AND ?`)
		params = append(params, from, to)
	}
	if isString("region") && region != "" {
		clauses = append(clauses, `"region" = ?`)
		params = append(params, sqlString(region))
	}
	return clauses, params
}

// runAthena starts a query, waits for it with backoff and a deadline, and
// reads its typed results. A cancelled call or a passed deadline stops the
// query in Athena too, so nobody pays for a scan no one will read.
func (c *Client) runAthena(ctx context.Context, q athenaQuery) (*athenaResult, error) {
	a := c.settings.Athena
	in := &athena.StartQueryExecutionInput{
		QueryString:           aws.String(q.sql),
		QueryExecutionContext: &athenatypes.QueryExecutionContext{Catalog: aws.String(athenaCatalog), Database: aws.String(a.Database)},
	}
	if len(q.params) > 0 {
		in.ExecutionParameters = q.params
	}
	if a.Workgroup != "" {
		in.WorkGroup = aws.String(a.Workgroup)
	}
	if a.OutputLocation != "" {
		in.ResultConfiguration = &athenatypes.ResultConfiguration{OutputLocation: aws.String(a.OutputLocation)}
	}
	started, err := c.athena.StartQueryExecution(ctx, in)
	if err != nil {
		return nil, startQueryExecutionError(err, a.Workgroup, a.OutputLocation)
	}
	id := aws.ToString(started.QueryExecutionId)
	timeout := c.athenaState.timeout
	if timeout <= 0 {
		timeout = defaultAthenaTimeout
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stop := func() {
		// The call's context is done, so stopping needs a fresh one.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = c.athena.StopQueryExecution(sctx, &athena.StopQueryExecutionInput{QueryExecutionId: aws.String(id)})
	}
	ended := func() error {
		stop()
		if err := ctx.Err(); err != nil {
			return err
		}
		return telemetry.Errorf(telemetry.KindTimeout, "Athena query %s did not finish within %s and was stopped.", id, timeout).WithHint("Narrow the time window or add filters so Athena scans less, and try again.")
	}
	res := &athenaResult{queryID: id}
	wait := c.pollInterval
	start := time.Now()
	for {
		out, err := c.athena.GetQueryExecution(dctx, &athena.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			if dctx.Err() != nil {
				return nil, ended()
			}
			if e, ok := telemetry.AsError(mapError("athena:GetQueryExecution", err)); ok && e.Kind == telemetry.KindThrottled {
				// Polling too fast for the account: slow down and keep waiting.
				wait = min(wait*2, c.maxPollInterval)
			} else {
				stop()
				return nil, mapError("athena:GetQueryExecution", err)
			}
		} else if qe := out.QueryExecution; qe != nil && qe.Status != nil {
			if qe.Statistics != nil {
				res.bytesScanned = aws.ToInt64(qe.Statistics.DataScannedInBytes)
			}
			switch qe.Status.State {
			case athenatypes.QueryExecutionStateSucceeded:
				q.progress.Report(1, 1, "Athena query finished")
				return res, c.athenaResults(dctx, q, res, ended)
			case athenatypes.QueryExecutionStateFailed, athenatypes.QueryExecutionStateCancelled:
				return nil, athenaFailure(id, qe.Status)
			}
			q.progress.Report(0, 1, fmt.Sprintf("Athena query %s %s for %s, %d bytes scanned", id, strings.ToLower(string(qe.Status.State)), time.Since(start).Round(time.Second), res.bytesScanned))
		}
		t := time.NewTimer(wait)
		select {
		case <-dctx.Done():
			t.Stop()
			return nil, ended()
		case <-t.C:
		}
		wait = min(wait*2, c.maxPollInterval)
	}
}

// startQueryExecutionError maps a StartQueryExecution failure. A missing
// result location is the usual first-run failure: Athena answers it with a
// plain InvalidRequestException, so it gets its own message naming the
// setting to fill.
func startQueryExecutionError(err error, workgroup, output string) error {
	mapped := mapError("athena:StartQueryExecution", err)
	var invalid *athenatypes.InvalidRequestException
	e, ok := telemetry.AsError(mapped)
	if !ok || !errors.As(err, &invalid) || !strings.Contains(strings.ToLower(aws.ToString(invalid.Message)), "output location") {
		return mapped
	}
	wg := "the primary workgroup"
	if workgroup != "" {
		wg = fmt.Sprintf("workgroup %q", workgroup)
	}
	where := "athena.output_location is not set"
	if output != "" {
		where = fmt.Sprintf("athena.output_location is %q", output)
	}
	e.Kind = telemetry.KindUnsupported
	e.Msg = fmt.Sprintf("Athena has nowhere to write query results: %s has no result location and %s (AWS said: %s).",
		wg, where, strings.TrimSuffix(aws.ToString(invalid.Message), "."))
	e.Hint = "Set athena.output_location (FA2_ATHENA_OUTPUT_LOCATION) to an s3:// path the caller may write to, or give the workgroup a query result location."
	return e
}

// athenaFailure reports a FAILED or CANCELLED query with Athena's reason.
func athenaFailure(id string, st *athenatypes.QueryExecutionStatus) error {
	reason := aws.ToString(st.StateChangeReason)
	if reason == "" {
		reason = "no reason given"
	}
	if st.State == athenatypes.QueryExecutionStateCancelled {
		return telemetry.Errorf(telemetry.KindUnavailable, "Athena query %s was cancelled: %s.", id, strings.TrimSuffix(reason, ".")).WithHint("Someone or something cancelled it; run the call again.")
	}
	kind, hint := telemetry.KindUnavailable, "Retry; if it keeps failing, run the query in the Athena console to see the full error."
	// Category 2 is a user error: usually the table does not have the
	// columns fa2 expects (a DDL other than AWS's documented one).
	if st.AthenaError != nil && aws.ToInt32(st.AthenaError.ErrorCategory) == 2 {
		kind, hint = telemetry.KindInvalidInput, "Check that the configured table uses AWS's documented DDL for these logs and that fa2 may read its S3 data."
	}
	return telemetry.Errorf(kind, "Athena query %s failed: %s.", id, strings.TrimSuffix(reason, ".")).WithHint(hint)
}

// athenaResults pages through GetQueryResults, typing each value by the
// result metadata. The first row of the first page is the header.
func (c *Client) athenaResults(ctx context.Context, q athenaQuery, res *athenaResult, ended func() error) error {
	var token *string
	var types []string
	first := true
	for {
		out, err := c.athena.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: aws.String(res.queryID), NextToken: token, MaxResults: aws.Int32(1000)})
		if err != nil {
			if ctx.Err() != nil {
				return ended()
			}
			return mapError("athena:GetQueryResults", err)
		}
		rs := out.ResultSet
		if rs == nil {
			return nil
		}
		if types == nil && rs.ResultSetMetadata != nil {
			for _, ci := range rs.ResultSetMetadata.ColumnInfo {
				res.columns = append(res.columns, aws.ToString(ci.Name))
				types = append(types, strings.ToLower(aws.ToString(ci.Type)))
			}
		}
		rows := rs.Rows
		if first && len(rows) > 0 {
			rows = rows[1:]
		}
		first = false
		for _, r := range rows {
			if q.maxRows > 0 && len(res.rows) >= q.maxRows {
				res.truncated = true
				return nil
			}
			vals := make([]any, len(types))
			for i := range types {
				if i < len(r.Data) {
					vals[i] = typed(types[i], r.Data[i].VarCharValue)
				}
			}
			res.rows = append(res.rows, vals)
		}
		token = out.NextToken
		if token == nil {
			return nil
		}
	}
}

// typed converts one result value by its Athena type.
func typed(typ string, v *string) any {
	if v == nil {
		return nil
	}
	s := *v
	switch {
	case typ == "tinyint" || typ == "smallint" || typ == "integer" || typ == "int" || typ == "bigint":
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case typ == "double" || typ == "float" || typ == "real" || strings.HasPrefix(typ, "decimal"):
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	case typ == "boolean":
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	case strings.HasPrefix(typ, "timestamp"):
		for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999 MST", time.RFC3339Nano} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
	}
	return s
}

func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	}
	return 0, false
}

// parseTime reads an ISO 8601 time as ALB and CloudTrail write them.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err
}
