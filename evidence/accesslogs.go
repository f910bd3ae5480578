package evidence

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fa2/fa2/evidence/alblog"
	"github.com/fa2/fa2/telemetry"
)

// MatchAccessLog applies q's filters (not its window) to one request.
func MatchAccessLog(q telemetry.AccessLogQuery, e *alblog.Entry) bool {
	if q.StatusMin > 0 && e.ELBStatusCode < q.StatusMin {
		return false
	}
	if len(q.StatusCodes) > 0 {
		ok := false
		for _, c := range q.StatusCodes {
			if c == e.ELBStatusCode {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if q.Method != "" && !strings.EqualFold(q.Method, e.Method) {
		return false
	}
	if q.PathPrefix != "" && !strings.HasPrefix(URLPath(e.URL), q.PathPrefix) {
		return false
	}
	if q.Target != "" && q.Target != e.TargetIP && q.Target != e.Target() && q.Target != TargetKey(e) &&
		(e.TargetGroupARN == "" || q.Target != "tg/"+TargetGroupName(e.TargetGroupARN)) {
		return false
	}
	if q.ClientIP != "" && q.ClientIP != e.ClientIP {
		return false
	}
	return true
}

// URLPath is the path of a request URL as ALB logs it
// ("https://host:443/api/checkout?x=1" → "/api/checkout").
func URLPath(raw string) string {
	// The common case, "scheme://host:port/path?query" with nothing
	// escaped in the path, needs no parser: ALB writes one per request.
	if i := strings.Index(raw, "://"); i > 0 && plainScheme(raw[:i]) {
		rest := raw[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 && !strings.ContainsAny(rest[:j], "?#") {
			p := rest[j:]
			if k := strings.IndexAny(p, "?#"); k >= 0 {
				p = p[:k]
			}
			if !strings.ContainsAny(p, "%; \t") && utf8.ValidString(p) {
				return p
			}
		}
	}
	return parsedURLPath(raw)
}

// parsedURLPath is URLPath by the URL parser, and by a plain cut when the
// parser refuses the URL.
func parsedURLPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		if i := strings.Index(raw, "://"); i >= 0 {
			raw = raw[i+3:]
			if j := strings.IndexByte(raw, '/'); j >= 0 {
				raw = raw[j:]
			} else {
				return "/"
			}
		}
		if j := strings.IndexAny(raw, "?#"); j >= 0 {
			raw = raw[:j]
		}
		return raw
	}
	return u.Path
}

// plainScheme reports whether s is a URL scheme as RFC 3986 spells it.
func plainScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// PathKey groups paths that differ only by identifiers: every segment that
// holds a digit becomes "*" ("/api/cart/crt-3fa2b1" → "/api/cart/*"). The
// Athena query applies the same rule in SQL.
func PathKey(path string) string {
	if !strings.ContainsAny(path, "0123456789") {
		return path
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.ContainsAny(s, "0123456789") {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/")
}

// pathGroup is the path key of a request; "-" when ALB could not read
// the request (as the Athena query writes it).
func pathGroup(e *alblog.Entry) string {
	if k := PathKey(URLPath(e.URL)); k != "" {
		return k
	}
	return "-"
}

// Target keys for requests no target address answered. ALB writes "-" as
// the target of a Lambda function, of a redirect, of a fixed response and
// of a request it could not forward; telling them apart is what makes
// group_by target useful on those load balancers.
const (
	TargetRedirect      = "(redirect)"
	TargetFixedResponse = "(fixed-response)"
	TargetNone          = "-"
)

// TargetKey names what answered a request: "ip:port" of the target; for a
// Lambda target group "tg/NAME (Lambda)"; for a target group that had no
// target to send to (a 503 without target) "tg/NAME (no target)"; a
// redirect or fixed-response action by that name; "-" otherwise (a request
// ALB rejected or could not read).
func TargetKey(e *alblog.Entry) string {
	if t := e.Target(); t != "" {
		return t
	}
	switch {
	case hasAction(e.ActionsExecuted, "redirect"):
		return TargetRedirect
	case hasAction(e.ActionsExecuted, "fixed-response"):
		return TargetFixedResponse
	case e.TargetGroupARN != "":
		if lambdaTarget(e) {
			return "tg/" + TargetGroupName(e.TargetGroupARN) + " (Lambda)"
		}
		return "tg/" + TargetGroupName(e.TargetGroupARN) + " (no target)"
	}
	return TargetNone
}

// lambdaTarget reports whether a request forwarded to a target group
// without a target address reached a Lambda function: ALB times the
// function (target_processing_time >= 0) or names its failure.
func lambdaTarget(e *alblog.Entry) bool {
	return e.TargetIP == "" && e.TargetGroupARN != "" &&
		(e.TargetProcessingTime >= 0 || strings.HasPrefix(e.ErrorReason, "Lambda"))
}

// servedByTarget reports whether a target (an address or a Lambda
// function) answered, so its processing time is a latency.
func servedByTarget(e *alblog.Entry) bool {
	return e.TargetProcessingTime >= 0 && (e.TargetIP != "" ||
		(lambdaTarget(e) && !hasAction(e.ActionsExecuted, "redirect") && !hasAction(e.ActionsExecuted, "fixed-response")))
}

// hasAction reports whether actions_executed ("waf,forward") holds action.
func hasAction(actions, action string) bool {
	for actions != "" {
		var a string
		a, actions, _ = strings.Cut(actions, ",")
		if a == action {
			return true
		}
	}
	return false
}

// TargetGroupName is the name in a target group ARN
// ("arn:…:targetgroup/my-targets/73e2d6bc24d8a067" → "my-targets").
func TargetGroupName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":targetgroup/")
	if !ok {
		return arn
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// AccessLogAggregator accumulates requests into the result of
// query_access_logs. The zero value is not usable; use NewAccessLogAggregator.
type AccessLogAggregator struct {
	q        telemetry.AccessLogQuery
	totals   telemetry.AccessLogCounts
	latency  []float64
	groups   map[string]*aggGroup
	paths    map[string]*aggGroup
	targets  map[string]*aggGroup
	rows     []telemetry.AccessLogRow
	rowLimit int
	// minute caches the last minute's key: requests come in time order,
	// and formatting a time for each one is a measurable share of a scan.
	minute    int64
	minuteKey string
}

type aggGroup struct {
	counts  telemetry.AccessLogCounts
	latency []float64
}

// NewAccessLogAggregator prepares to aggregate for q.
func NewAccessLogAggregator(q telemetry.AccessLogQuery) *AccessLogAggregator {
	return &AccessLogAggregator{q: q, groups: map[string]*aggGroup{}, paths: map[string]*aggGroup{}, targets: map[string]*aggGroup{}, rowLimit: q.IncludeRows}
}

// GroupKey is the key of e under the grouping.
func GroupKey(groupBy string, e *alblog.Entry) string {
	switch groupBy {
	case telemetry.GroupByPath:
		return pathGroup(e)
	case telemetry.GroupByTarget:
		return TargetKey(e)
	case telemetry.GroupByMinute:
		return e.Time.Format("2006-01-02T15:04")
	}
	if e.ELBStatusCode == 0 {
		return "-"
	}
	return strconv.Itoa(e.ELBStatusCode)
}

// groupKey is GroupKey, with the minute's key reused while it lasts.
func (a *AccessLogAggregator) groupKey(e *alblog.Entry) string {
	if a.q.GroupBy != telemetry.GroupByMinute {
		return GroupKey(a.q.GroupBy, e)
	}
	if m := e.Time.Unix() / 60; m != a.minute || a.minuteKey == "" {
		a.minute, a.minuteKey = m, GroupKey(a.q.GroupBy, e)
	}
	return a.minuteKey
}

// Add counts one matching request.
func (a *AccessLogAggregator) Add(e *alblog.Entry) {
	add := func(m map[string]*aggGroup, key string) {
		g := m[key]
		if g == nil {
			g = &aggGroup{}
			m[key] = g
		}
		count(&g.counts, e)
		if servedByTarget(e) {
			g.latency = append(g.latency, e.TargetProcessingTime)
		}
	}
	count(&a.totals, e)
	if servedByTarget(e) {
		a.latency = append(a.latency, e.TargetProcessingTime)
	}
	add(a.groups, a.groupKey(e))
	add(a.paths, pathGroup(e))
	add(a.targets, TargetKey(e))
	if a.rowLimit > 0 {
		a.rows = append(a.rows, RowFromEntry(e))
		// Keep only the newest rows, trimming in batches to stay linear.
		if len(a.rows) >= 4*a.rowLimit+64 {
			a.rows = newestRows(a.rows, a.rowLimit)
		}
	}
}

func count(c *telemetry.AccessLogCounts, e *alblog.Entry) {
	c.Requests++
	switch {
	case e.ELBStatusCode >= 500:
		c.ELB5xx++
	case e.ELBStatusCode >= 400:
		c.ELB4xx++
	}
	if ts, err := strconv.Atoi(e.TargetStatusCode); err == nil {
		switch {
		case ts >= 500:
			c.Target5xx++
		case ts >= 400:
			c.Target4xx++
		}
	}
}

// RowFromEntry keeps the fields of a request an investigation reads.
func RowFromEntry(e *alblog.Entry) telemetry.AccessLogRow {
	return telemetry.AccessLogRow{
		Time: e.Time, Client: e.ClientIP + ":" + strconv.Itoa(e.ClientPort), Target: e.Target(),
		Method: e.Method, URL: clipString(e.URL, 300), ELBStatus: e.ELBStatusCode, TargetStatus: e.TargetStatusCode,
		TargetTime: e.TargetProcessingTime, UserAgent: clipString(e.UserAgent, 120), ErrorReason: e.ErrorReason,
		TraceID: e.TraceID, ActionsExecuted: e.ActionsExecuted, Classification: e.Classification, TargetGroup: e.TargetGroupARN,
	}
}

func newestRows(rows []telemetry.AccessLogRow, n int) []telemetry.AccessLogRow {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Time.After(rows[j].Time) })
	if len(rows) > n {
		rows = rows[:n]
	}
	return rows
}

// Result ranks and bounds what was added. Groups by minute come in time
// order, by status in code order, others busiest first; failing paths and
// targets rank by 5xx, then 4xx, and only those with failures are listed.
func (a *AccessLogAggregator) Result() *telemetry.AccessLogStats {
	limit := a.q.Limit
	if limit <= 0 {
		limit = 20
	}
	res := &telemetry.AccessLogStats{GroupBy: a.q.GroupBy, Totals: a.totals, Latency: Percentiles(a.latency), TotalGroups: len(a.groups)}
	res.Groups = finish(a.groups)
	switch a.q.GroupBy {
	case telemetry.GroupByMinute, telemetry.GroupByStatus:
		sort.SliceStable(res.Groups, func(i, j int) bool { return res.Groups[i].Key < res.Groups[j].Key })
	default:
		sort.SliceStable(res.Groups, func(i, j int) bool { return res.Groups[i].Requests > res.Groups[j].Requests })
	}
	if len(res.Groups) > limit {
		res.Groups = res.Groups[:limit]
	}
	res.TopFailingPaths = TopFailing(finish(a.paths), limit)
	res.TopFailingTargets = TopFailing(finish(a.targets), limit)
	res.Rows = newestRows(a.rows, a.rowLimit)
	return res
}

func finish(m map[string]*aggGroup) []telemetry.AccessLogGroup {
	out := make([]telemetry.AccessLogGroup, 0, len(m))
	for k, g := range m {
		out = append(out, telemetry.AccessLogGroup{Key: k, AccessLogCounts: g.counts, Latency: Percentiles(g.latency)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// TopFailing keeps the groups with any 4xx or 5xx, worst first.
func TopFailing(groups []telemetry.AccessLogGroup, n int) []telemetry.AccessLogGroup {
	var out []telemetry.AccessLogGroup
	for _, g := range groups {
		if failures5(g) > 0 || g.ELB4xx+g.Target4xx > 0 {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := failures5(out[i]), failures5(out[j]); a != b {
			return a > b
		}
		return out[i].ELB4xx+out[i].Target4xx > out[j].ELB4xx+out[j].Target4xx
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func failures5(g telemetry.AccessLogGroup) int64 { return max(g.ELB5xx, g.Target5xx) }

// Percentiles computes p50/p90/p99 by the nearest-rank method; nil for no data.
func Percentiles(values []float64) *telemetry.Latency {
	if len(values) == 0 {
		return nil
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	at := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(v)))) - 1
		if i < 0 {
			i = 0
		}
		return v[i]
	}
	return &telemetry.Latency{P50: at(0.50), P90: at(0.90), P99: at(0.99)}
}
