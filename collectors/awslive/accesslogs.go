package awslive

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/fa2/fa2/telemetry"
)

// pathKeySQL is evidence.PathKey in SQL: every path segment holding a digit
// becomes "*", so /api/cart/crt-3fa2b1 and /api/cart/crt-99 group together.
const pathKeySQL = `coalesce(regexp_replace(url_extract_path(request_url), '/[^/]*[0-9][^/]*', '/*'), '-')`

// targetKeySQL is evidence.TargetKey in SQL: "ip:port", else what answered
// without a target address: a redirect, a fixed response, a Lambda target
// group (timed by ALB) or a target group with no target.
const targetKeySQL = `CASE WHEN target_ip IS NOT NULL AND target_ip NOT IN ('', '-') THEN target_ip || ':' || CAST(target_port AS varchar)
    WHEN contains(split(coalesce(actions_executed, ''), ','), 'redirect') THEN '(redirect)'
    WHEN contains(split(coalesce(actions_executed, ''), ','), 'fixed-response') THEN '(fixed-response)'
    WHEN target_group_arn IS NOT NULL AND target_group_arn NOT IN ('', '-') THEN 'tg/' || split_part(split_part(target_group_arn, ':targetgroup/', 2), '/', 1) ||
      CASE WHEN target_processing_time >= 0 THEN ' (Lambda)' ELSE ' (no target)' END
    ELSE '-' END`

// latencySQL is target_processing_time when a target (an address or a
// Lambda function) answered; redirects and fixed responses log 0.
const latencySQL = `CASE WHEN target_processing_time >= 0 AND ((target_ip IS NOT NULL AND target_ip NOT IN ('', '-')) OR
      (target_group_arn IS NOT NULL AND target_group_arn NOT IN ('', '-') AND NOT contains(split(coalesce(actions_executed, ''), ','), 'redirect')
       AND NOT contains(split(coalesce(actions_executed, ''), ','), 'fixed-response'))) THEN target_processing_time END`

// AccessLogStats implements collectors.AccessLogSource with Athena over the
// ALB access-log table (AWS's documented DDL). Grouping, 4xx/5xx counts and
// percentiles are computed by Athena in one scan; raw rows, when asked
// for, take a second query.
func (c *Client) AccessLogStats(ctx context.Context, q telemetry.AccessLogQuery) (*telemetry.AccessLogStats, error) {
	table, err := c.athenaTable("athena.alb_table", c.settings.Athena.ALBTable)
	if err != nil {
		return nil, err
	}
	info, err := c.tableInfo(ctx, "athena.alb_table", c.settings.Athena.ALBTable)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	where, params := albWhere(info, q, c.region)
	sql := albAggregateSQL(table, where, q.GroupBy, limit)
	r, err := c.runAthena(ctx, athenaQuery{sql: sql, params: params, progress: q.Progress, maxRows: 3*limit + 10})
	if err != nil {
		return nil, err
	}
	res := albStatsFromRows(r, q.GroupBy)
	res.Stats.BytesScanned = float64(r.bytesScanned)
	if q.IncludeRows > 0 {
		rq := albRowsSQL(table, info, where, q.IncludeRows)
		rr, err := c.runAthena(ctx, athenaQuery{sql: rq, params: params, maxRows: q.IncludeRows, progress: q.Progress})
		if err != nil {
			return nil, err
		}
		res.Rows = albRows(rr)
		res.Stats.BytesScanned += float64(rr.bytesScanned)
	}
	res.Stats.RecordsMatched = float64(res.Totals.Requests)
	return res, nil
}

// albWhere builds the filter shared by both queries; every user value is a
// parameter.
func albWhere(info *tableInfo, q telemetry.AccessLogQuery, region string) (string, []string) {
	where := []string{"from_iso8601_timestamp(time) BETWEEN from_iso8601_timestamp(?) AND from_iso8601_timestamp(?)"}
	params := []string{sqlTime(q.Window.Start), sqlTime(q.Window.End)}
	pc, pp := partitionFilter(info, q.Window, region)
	where, params = append(where, pc...), append(params, pp...)
	if q.StatusMin > 0 {
		where = append(where, "elb_status_code >= ?")
		params = append(params, strconv.Itoa(q.StatusMin))
	}
	if len(q.StatusCodes) > 0 {
		marks := make([]string, len(q.StatusCodes))
		for i, code := range q.StatusCodes {
			marks[i] = "?"
			params = append(params, strconv.Itoa(code))
		}
		where = append(where, "elb_status_code IN ("+strings.Join(marks, ", ")+")")
	}
	if q.PathPrefix != "" {
		where = append(where, "starts_with(url_extract_path(request_url), ?)")
		params = append(params, sqlString(q.PathPrefix))
	}
	if q.Method != "" {
		where = append(where, "upper(request_verb) = ?")
		params = append(params, sqlString(strings.ToUpper(q.Method)))
	}
	if q.Target != "" {
		where = append(where, "(target_ip = ? OR "+targetKeySQL+" = ? OR 'tg/' || split_part(split_part(target_group_arn, ':targetgroup/', 2), '/', 1) = ?)")
		params = append(params, sqlString(q.Target), sqlString(q.Target), sqlString(q.Target))
	}
	if q.ClientIP != "" {
		where = append(where, "client_ip = ?")
		params = append(params, sqlString(q.ClientIP))
	}
	return strings.Join(where, "\n  AND "), params
}

// groupKeySQL is the grouping expression; group_by was validated by the tool.
func groupKeySQL(groupBy string) (expr, order string) {
	switch groupBy {
	case telemetry.GroupByPath:
		return pathKeySQL, "requests DESC"
	case telemetry.GroupByTarget:
		return targetKeySQL, "requests DESC"
	case telemetry.GroupByMinute:
		return "substr(time, 1, 16)", "key ASC"
	}
	return "CAST(elb_status_code AS varchar)", "key ASC"
}

// albAggregateSQL computes, in one scan, the chosen grouping, every path and
// target (ranked by failures), and the totals, with GROUPING SETS; a window
// function keeps the top rows of each kind and counts them all.
func albAggregateSQL(table, where, groupBy string, limit int) string {
	key, order := groupKeySQL(groupBy)
	return `WITH req AS (
  SELECT ` + key + ` AS group_key, ` + pathKeySQL + ` AS path_key, ` + targetKeySQL + ` AS target_key,
    elb_status_code, TRY_CAST(target_status_code AS integer) AS tsc,
    ` + latencySQL + ` AS tpt
  FROM ` + table + `
  WHERE ` + where + `
), agg AS (
  SELECT CASE WHEN grouping(group_key) = 0 THEN 'group' WHEN grouping(path_key) = 0 THEN 'path'
              WHEN grouping(target_key) = 0 THEN 'target' ELSE 'total' END AS kind,
    coalesce(CASE WHEN grouping(group_key) = 0 THEN group_key WHEN grouping(path_key) = 0 THEN path_key
                  WHEN grouping(target_key) = 0 THEN target_key END, '-') AS key,
    count(*) AS requests,
    count_if(elb_status_code BETWEEN 400 AND 499) AS elb_4xx, count_if(elb_status_code >= 500) AS elb_5xx,
    count_if(tsc BETWEEN 400 AND 499) AS target_4xx, count_if(tsc >= 500) AS target_5xx,
    approx_percentile(tpt, 0.5) AS p50, approx_percentile(tpt, 0.9) AS p90, approx_percentile(tpt, 0.99) AS p99
  FROM req
  GROUP BY GROUPING SETS ((group_key), (path_key), (target_key), ())
), ranked AS (
  SELECT agg.*, count(*) OVER (PARTITION BY kind) AS kind_total,
    row_number() OVER (PARTITION BY kind ORDER BY
      CASE WHEN kind = 'group' THEN 0 ELSE greatest(elb_5xx, target_5xx) END DESC,
      CASE WHEN kind = 'group' THEN 0 ELSE elb_4xx + target_4xx END DESC, ` + order + `) AS rn
  FROM agg
)
SELECT kind, key, requests, elb_4xx, elb_5xx, target_4xx, target_5xx, p50, p90, p99, kind_total
FROM ranked
WHERE rn <= ` + strconv.Itoa(limit) + `
ORDER BY kind, rn`
}

// albStatsFromRows turns the aggregate rows back into the result.
func albStatsFromRows(r *athenaResult, groupBy string) *telemetry.AccessLogStats {
	res := &telemetry.AccessLogStats{GroupBy: groupBy, Groups: []telemetry.AccessLogGroup{}}
	get := func(row []any, name string) any {
		if i := r.col(name); i >= 0 && i < len(row) {
			return row[i]
		}
		return nil
	}
	for _, row := range r.rows {
		g := telemetry.AccessLogGroup{Key: asString(get(row, "key")), AccessLogCounts: telemetry.AccessLogCounts{
			Requests: asInt(get(row, "requests")), ELB4xx: asInt(get(row, "elb_4xx")), ELB5xx: asInt(get(row, "elb_5xx")),
			Target4xx: asInt(get(row, "target_4xx")), Target5xx: asInt(get(row, "target_5xx")),
		}}
		p50, ok50 := asFloat(get(row, "p50"))
		p90, _ := asFloat(get(row, "p90"))
		p99, _ := asFloat(get(row, "p99"))
		if ok50 {
			g.Latency = &telemetry.Latency{P50: p50, P90: p90, P99: p99}
		}
		failing := g.ELB5xx+g.Target5xx+g.ELB4xx+g.Target4xx > 0
		switch asString(get(row, "kind")) {
		case "total":
			res.Totals, res.Latency = g.AccessLogCounts, g.Latency
		case "group":
			res.Groups = append(res.Groups, g)
			res.TotalGroups = int(asInt(get(row, "kind_total")))
		case "path":
			if failing {
				res.TopFailingPaths = append(res.TopFailingPaths, g)
			}
		case "target":
			if failing {
				res.TopFailingTargets = append(res.TopFailingTargets, g)
			}
		}
	}
	return res
}

// albRowsSQL selects the newest raw requests; optional columns are read
// only when the table has them.
func albRowsSQL(table string, info *tableInfo, where string, n int) string {
	cols := []string{"time", "client_ip", "client_port", "target_ip", "target_port", "request_verb", "request_url",
		"elb_status_code", "target_status_code", "target_processing_time", "user_agent", "trace_id", "actions_executed", "target_group_arn"}
	for _, opt := range []string{"lambda_error_reason", "error_reason", "classification"} {
		if info.has(opt) {
			cols = append(cols, opt)
		}
	}
	return "SELECT " + strings.Join(cols, ", ") + "\nFROM " + table + "\nWHERE " + where + "\nORDER BY time DESC\nLIMIT " + strconv.Itoa(n)
}

func albRows(r *athenaResult) []telemetry.AccessLogRow {
	var out []telemetry.AccessLogRow
	for _, row := range r.rows {
		get := func(name string) any {
			if i := r.col(name); i >= 0 && i < len(row) {
				return row[i]
			}
			return nil
		}
		t, _ := parseTime(asString(get("time")))
		tt, _ := asFloat(get("target_processing_time"))
		row := telemetry.AccessLogRow{
			Time: t, Client: fmt.Sprintf("%s:%d", asString(get("client_ip")), asInt(get("client_port"))),
			Method: asString(get("request_verb")), URL: asString(get("request_url")), ELBStatus: int(asInt(get("elb_status_code"))),
			TargetStatus: strings.Trim(asString(get("target_status_code")), "-"), TargetTime: tt, UserAgent: asString(get("user_agent")),
			TraceID: asString(get("trace_id")), ActionsExecuted: asString(get("actions_executed")), Classification: asString(get("classification")),
			TargetGroup: asString(get("target_group_arn")), ErrorReason: asString(get("lambda_error_reason")) + asString(get("error_reason")),
		}
		if ip := asString(get("target_ip")); ip != "" && ip != "-" {
			row.Target = fmt.Sprintf("%s:%d", ip, asInt(get("target_port")))
		}
		out = append(out, row)
	}
	return out
}
