Reviewed against Amazon Athena (Trino engine v3) documentation and the ALB access log table of
"Querying Application Load Balancer logs" (columns time, request_url, elb_status_code,
target_status_code, target_ip, target_port, target_processing_time...):
- ? placeholders are execution parameters (StartQueryExecution ExecutionParameters), filled in order.
- GROUPING SETS and grouping(): Trino GROUP BY; approx_percentile(x, p): Trino aggregate.
- count(*) OVER (PARTITION BY ...): Trino window function; identifiers double-quoted.
Group by target, limit 20, a "day" string partition.
--- query ---
WITH req AS (
  SELECT CASE WHEN target_ip IS NOT NULL AND target_ip NOT IN ('', '-') THEN target_ip || ':' || CAST(target_port AS varchar)
    WHEN contains(split(coalesce(actions_executed, ''), ','), 'redirect') THEN '(redirect)'
    WHEN contains(split(coalesce(actions_executed, ''), ','), 'fixed-response') THEN '(fixed-response)'
    WHEN target_group_arn IS NOT NULL AND target_group_arn NOT IN ('', '-') THEN 'tg/' || split_part(split_part(target_group_arn, ':targetgroup/', 2), '/', 1) ||
      CASE WHEN target_processing_time >= 0 THEN ' (Lambda)' ELSE ' (no target)' END
    ELSE '-' END AS group_key, coalesce(regexp_replace(url_extract_path(request_url), '/[^/]*[0-9][^/]*', '/*'), '-') AS path_key, CASE WHEN target_ip IS NOT NULL AND target_ip NOT IN ('', '-') THEN target_ip || ':' || CAST(target_port AS varchar)
    WHEN contains(split(coalesce(actions_executed, ''), ','), 'redirect') THEN '(redirect)'
    WHEN contains(split(coalesce(actions_executed, ''), ','), 'fixed-response') THEN '(fixed-response)'
    WHEN target_group_arn IS NOT NULL AND target_group_arn NOT IN ('', '-') THEN 'tg/' || split_part(split_part(target_group_arn, ':targetgroup/', 2), '/', 1) ||
      CASE WHEN target_processing_time >= 0 THEN ' (Lambda)' ELSE ' (no target)' END
    ELSE '-' END AS target_key,
    elb_status_code, TRY_CAST(target_status_code AS integer) AS tsc,
    CASE WHEN target_processing_time >= 0 AND ((target_ip IS NOT NULL AND target_ip NOT IN ('', '-')) OR
      (target_group_arn IS NOT NULL AND target_group_arn NOT IN ('', '-') AND NOT contains(split(coalesce(actions_executed, ''), ','), 'redirect')
       AND NOT contains(split(coalesce(actions_executed, ''), ','), 'fixed-response'))) THEN target_processing_time END AS tpt
  FROM "logs"."alb_logs"
  WHERE "day" BETWEEN ? AND ?
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
      CASE WHEN kind = 'group' THEN 0 ELSE elb_4xx + target_4xx END DESC, requests DESC) AS rn
  FROM agg
)
SELECT kind, key, requests, elb_4xx, elb_5xx, target_4xx, target_5xx, p50, p90, p99, kind_total
FROM ranked
WHERE rn <= 20
ORDER BY kind, rn
