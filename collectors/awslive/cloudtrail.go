package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

const (
	// defaultTrailLimit bounds events read when the query gives no limit.
	defaultTrailLimit = 500
	// lookupPageSize is LookupEvents' maximum page.
	lookupPageSize = 50
	// maxThrottleRetries bounds retries of one throttled LookupEvents call.
	maxThrottleRetries = 4
	// maxLookupPages bounds the LookupEvents pages one call reads (5,000
	// events, under a minute at 2 calls a second). Filters LookupEvents cannot
	// apply (errors, principals by plain name, resources) run locally, so
	// without a bound a busy account would be scanned page after page.
	maxLookupPages = 100
	// lookupRetention is how far back LookupEvents reaches.
	lookupRetention = 90 * 24 * time.Hour
)

// trailLimits paces LookupEvents for the whole client, since the limit is
// per account and region. Zero fields mean the defaults.
type trailLimits struct {
	once sync.Once
	pace *pacer
	// interval is the least time between calls (default 500ms: 2 per second).
	interval time.Duration
	// backoff is the first wait after a ThrottlingException (default 1s); it doubles.
	backoff time.Duration
}

func (t *trailLimits) pacer() *pacer {
	t.once.Do(func() {
		every := t.interval
		if every <= 0 {
			every = 500 * time.Millisecond
		}
		t.pace = &pacer{every: every}
	})
	return t.pace
}

// CloudTrailEvents implements collectors.CloudTrailSource with LookupEvents
// (the default) or, when cloudtrail.backend is athena, the CloudTrail table.
func (c *Client) CloudTrailEvents(ctx context.Context, q telemetry.CloudTrailQuery) (*telemetry.CloudTrailEvents, error) {
	if q.Limit <= 0 {
		q.Limit = defaultTrailLimit
	}
	if c.settings.CloudTrail.Backend == "athena" {
		return c.cloudTrailAthena(ctx, q)
	}
	return c.lookupEvents(ctx, q)
}

// lookupPlan is the one attribute LookupEvents filters on, with the values
// to look up one call each; everything else is filtered locally.
type lookupPlan struct {
	key    cttypes.LookupAttributeKey
	values []string
}

// planLookup picks the most selective attribute LookupEvents can match
// exactly. Event names come first (a handful of calls among thousands),
// then user names (only from ARNs, where the name CloudTrail records is
// certain: a plain name could be a role, whose events carry the session
// name), then event sources, then ReadOnly=false. Resource names are not
// used: LookupEvents matches them exactly against the event's resource
// list, which would miss events that mention the resource only in their
// parameters, as the other backends count them.
func planLookup(q telemetry.CloudTrailQuery) lookupPlan {
	if len(q.EventNames) > 0 {
		return lookupPlan{cttypes.LookupAttributeKeyEventName, dedupe(q.EventNames)}
	}
	if len(q.Principals) > 0 {
		var names []string
		for _, p := range q.Principals {
			n := usernameOf(p)
			if n == "" {
				names = nil
				break
			}
			names = append(names, n)
		}
		if names != nil {
			return lookupPlan{cttypes.LookupAttributeKeyUsername, dedupe(names)}
		}
	}
	if len(q.EventSources) > 0 {
		return lookupPlan{cttypes.LookupAttributeKeyEventSource, dedupe(q.EventSources)}
	}
	if q.OnlyMutating {
		return lookupPlan{cttypes.LookupAttributeKeyReadOnly, []string{"false"}}
	}
	return lookupPlan{values: []string{""}}
}

// usernameOf is the Username LookupEvents records for an IAM user ARN or
// an assumed-role session ARN; "" when it cannot be known.
func usernameOf(p string) string {
	parts := strings.SplitN(p, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	res := strings.Split(parts[5], "/")
	switch {
	case res[0] == "user" && len(res) >= 2:
		return res[len(res)-1]
	case res[0] == "assumed-role" && len(res) >= 3:
		return res[len(res)-1]
	}
	return ""
}

func dedupe(values []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// lookupEvents runs one paginated LookupEvents per planned value, paced
// and retried on throttling, then merges, de-duplicates and orders.
func (c *Client) lookupEvents(ctx context.Context, q telemetry.CloudTrailQuery) (*telemetry.CloudTrailEvents, error) {
	res := &telemetry.CloudTrailEvents{Events: []telemetry.CloudTrailEvent{}}
	// LookupEvents covers the last 90 days ("Lookup supports ... the last 90
	// days", CloudTrail API reference, LookupEvents); asked for older days it
	// answers with nothing, which must not read as "nothing happened".
	oldest := c.now().Add(-lookupRetention)
	if !q.Window.End.After(oldest) {
		return nil, telemetry.Errorf(telemetry.KindUnsupported,
			"CloudTrail's event history (LookupEvents) keeps only the last 90 days, since %s; the window %s..%s is older.",
			oldest.Format(time.RFC3339), q.Window.Start.Format(time.RFC3339), q.Window.End.Format(time.RFC3339)).
			WithHint("Query the trail's S3 logs instead: set cloudtrail.backend: athena with athena.database and athena.cloudtrail_table (see the README).")
	}
	if q.Window.Start.Before(oldest) {
		res.Stats.Warnings = append(res.Stats.Warnings, fmt.Sprintf(
			"LookupEvents keeps only the last 90 days: events before %s were not read; the athena backend reads older ones.", oldest.Format(time.RFC3339)))
		q.Window.Start = oldest
	}
	plan := planLookup(q)
	seen := map[string]bool{}
	var records []*evidence.CloudTrailRecord
	partial, budgetHit := false, false
	pages := 0
values:
	for vi, value := range plan.values {
		in := &cloudtrail.LookupEventsInput{StartTime: aws.Time(q.Window.Start), EndTime: aws.Time(q.Window.End), MaxResults: aws.Int32(lookupPageSize)}
		if plan.key != "" {
			in.LookupAttributes = []cttypes.LookupAttribute{{AttributeKey: plan.key, AttributeValue: aws.String(value)}}
		}
		kept := 0
		for {
			out, err := c.lookupPage(ctx, in)
			if err != nil {
				return nil, err
			}
			pages++
			q.Progress.Report(float64(vi), float64(len(plan.values)), fmt.Sprintf("LookupEvents: %d pages read", pages))
			for _, ev := range out.Events {
				res.Stats.RecordsScanned++
				r, err := evidence.ParseCloudTrailRecord([]byte(aws.ToString(ev.CloudTrailEvent)))
				if err != nil {
					if len(res.Stats.Warnings) < 5 {
						res.Stats.Warnings = append(res.Stats.Warnings, fmt.Sprintf("event %s skipped: %v", aws.ToString(ev.EventId), err))
					}
					continue
				}
				if !r.Matches(q) || seen[r.EventID] {
					continue
				}
				seen[r.EventID] = true
				records = append(records, r)
				kept++
			}
			// A token handed back unchanged would return the same page forever.
			if out.NextToken == nil || aws.ToString(out.NextToken) == "" ||
				(in.NextToken != nil && aws.ToString(out.NextToken) == aws.ToString(in.NextToken)) {
				break
			}
			if kept >= q.Limit {
				partial = true
				break
			}
			if pages >= maxLookupPages {
				budgetHit = true
				break values
			}
			in.NextToken = out.NextToken
		}
	}
	sort.SliceStable(records, func(i, j int) bool {
		a, _ := records[i].Time()
		b, _ := records[j].Time()
		return a.After(b)
	})
	if len(records) > q.Limit {
		records, partial = records[:q.Limit], true
	}
	for _, r := range records {
		res.Events = append(res.Events, r.Event(evidence.MaxParamBytes))
	}
	res.Stats.RecordsMatched = float64(len(res.Events))
	switch {
	case budgetHit:
		res.Stats.Partial = fmt.Sprintf("stopped after %d pages (%d events) of LookupEvents (newest first); the rest were not read. Narrow the window, or add event_names or principal ARNs, which LookupEvents can filter on.",
			pages, int(res.Stats.RecordsScanned))
	case partial:
		res.Stats.Partial = fmt.Sprintf("more events matched than the %d read (newest first); narrow the window or add event_names.", q.Limit)
	}
	if plan.key == cttypes.LookupAttributeKeyReadOnly || plan.key == "" {
		res.Stats.Warnings = append(res.Stats.Warnings, "LookupEvents covers management events of the last 90 days only; data events (S3 objects, Lambda invokes) need the athena backend.")
	}
	return res, nil
}

// lookupPage makes one paced LookupEvents call, backing off and retrying
// when CloudTrail throttles.
func (c *Client) lookupPage(ctx context.Context, in *cloudtrail.LookupEventsInput) (*cloudtrail.LookupEventsOutput, error) {
	backoff := c.trail.backoff
	if backoff <= 0 {
		backoff = time.Second
	}
	for attempt := 0; ; attempt++ {
		if err := c.trail.pacer().wait(ctx); err != nil {
			return nil, err
		}
		out, err := c.cloudtrail.LookupEvents(ctx, in)
		if err == nil {
			return out, nil
		}
		mapped := mapError("cloudtrail:LookupEvents", err)
		if e, ok := telemetry.AsError(mapped); !ok || e.Kind != telemetry.KindThrottled || attempt >= maxThrottleRetries {
			return nil, mapped
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		backoff *= 2
	}
}

// cloudTrailAthena queries the CloudTrail table. Filters run in SQL with
// every user value as an execution parameter; the same filters then run
// locally too, which makes principal matching exact.
func (c *Client) cloudTrailAthena(ctx context.Context, q telemetry.CloudTrailQuery) (*telemetry.CloudTrailEvents, error) {
	table, err := c.athenaTable("athena.cloudtrail_table", c.settings.Athena.CloudTrailTable)
	if err != nil {
		return nil, err
	}
	info, err := c.tableInfo(ctx, "athena.cloudtrail_table", c.settings.Athena.CloudTrailTable)
	if err != nil {
		return nil, err
	}
	sql, params := cloudTrailSQL(table, info, q, c.region)
	r, err := c.runAthena(ctx, athenaQuery{sql: sql, params: params, maxRows: q.Limit, progress: q.Progress})
	if err != nil {
		return nil, err
	}
	res := &telemetry.CloudTrailEvents{Events: []telemetry.CloudTrailEvent{}, Stats: telemetry.QueryStats{BytesScanned: float64(r.bytesScanned)}}
	for _, row := range r.rows {
		res.Stats.RecordsScanned++
		rec := recordFromRow(r, row)
		if _, err := rec.Time(); err != nil || !rec.Matches(q) {
			continue
		}
		res.Events = append(res.Events, rec.Event(evidence.MaxParamBytes))
	}
	res.Stats.RecordsMatched = float64(len(res.Events))
	if r.truncated || len(r.rows) >= q.Limit {
		res.Stats.Partial = fmt.Sprintf("the query returned its maximum of %d events (newest first); narrow the window or add filters.", q.Limit)
	}
	return res, nil
}

// cloudTrailSQL builds the query on AWS's documented CloudTrail table. The
// SQL text holds only fa2's own constants and configured identifiers.
func cloudTrailSQL(table string, info *tableInfo, q telemetry.CloudTrailQuery, region string) (string, []string) {
	where := []string{"eventtime >= ?", "eventtime <= ?"}
	params := []string{sqlTime(q.Window.Start), sqlTime(q.Window.End)}
	pc, pp := partitionFilter(info, q.Window, region)
	where, params = append(where, pc...), append(params, pp...)
	if q.OnlyMutating {
		where = append(where, "readonly = 'false'")
	}
	if q.ErrorsOnly {
		// A failed console sign-in has no errorcode, only
		// responseElements {"ConsoleLogin":"Failure"}.
		if info.has("responseelements") {
			where = append(where, "(errorcode IS NOT NULL OR strpos(coalesce(responseelements, ''), '\"Failure\"') > 0)")
		} else {
			where = append(where, "errorcode IS NOT NULL")
		}
	}
	in := func(col string, values []string) {
		marks := make([]string, len(values))
		for i, v := range values {
			marks[i] = "?"
			params = append(params, sqlString(v))
		}
		where = append(where, col+" IN ("+strings.Join(marks, ", ")+")")
	}
	if len(q.EventNames) > 0 {
		in("eventname", q.EventNames)
	}
	if len(q.EventSources) > 0 {
		in("eventsource", q.EventSources)
	}
	if len(q.Principals) > 0 {
		var ors []string
		for _, p := range q.Principals {
			// The last comparison lets a 12-digit account id select a
			// cross-account caller (userIdentity type AWSAccount).
			ors = append(ors, "useridentity.arn = ? OR useridentity.username = ? OR useridentity.sessioncontext.sessionissuer.arn = ? OR useridentity.sessioncontext.sessionissuer.username = ? OR split_part(useridentity.arn, '/', 3) = ? OR useridentity.accountid = ?")
			for i := 0; i < 6; i++ {
				params = append(params, sqlString(nameForSQL(p, i)))
			}
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if q.Resource != "" {
		where = append(where, "(strpos(coalesce(requestparameters, ''), ?) > 0 OR strpos(array_join(transform(coalesce(resources, ARRAY[]), r -> r.arn), ' '), ?) > 0)")
		params = append(params, sqlString(q.Resource), sqlString(q.Resource))
	}
	category := "CAST(NULL AS varchar)"
	if info.has("eventcategory") {
		category = "eventcategory"
	}
	response := "CAST(NULL AS varchar)"
	if info.has("responseelements") {
		response = "responseelements"
	}
	console := "CAST(NULL AS varchar)"
	if info.has("sessioncredentialfromconsole") {
		console = "sessioncredentialfromconsole"
	}
	sql := "SELECT eventtime, eventid, eventsource, eventname, readonly, " + category + " AS eventcategory, " +
		"useridentity.type AS principal_type, useridentity.arn AS principal_arn, useridentity.accountid AS principal_account, " +
		"useridentity.username AS principal_user, useridentity.invokedby AS invoked_by, " +
		"useridentity.sessioncontext.sessionissuer.arn AS issuer_arn, useridentity.sessioncontext.sessionissuer.username AS issuer_user, " +
		"sourceipaddress, useragent, errorcode, errormessage, awsregion, recipientaccountid, " +
		"array_join(transform(coalesce(resources, ARRAY[]), r -> r.arn), ' ') AS resource_arns, requestparameters, " + response + " AS responseelements, " + console + " AS sessioncredentialfromconsole\n" +
		"FROM " + table + "\nWHERE " + strings.Join(where, "\n  AND ") +
		"\nORDER BY eventtime DESC\nLIMIT " + strconv.Itoa(q.Limit)
	return sql, params
}

// nameForSQL gives each principal comparison its value: names compare
// against user and role names, ARNs against ARNs; a role ARN also yields
// its role name for the session-issuer comparison.
func nameForSQL(p string, i int) string {
	if !strings.HasPrefix(p, "arn:") || i == 0 || i == 2 {
		return p
	}
	if strings.Contains(p, ":assumed-role/") {
		return p
	}
	parts := strings.SplitN(p, ":", 6)
	res := parts[len(parts)-1]
	if j := strings.LastIndexByte(res, '/'); j >= 0 {
		return res[j+1:]
	}
	return p
}

// recordFromRow rebuilds a CloudTrail record from a result row, so every
// backend reduces events the same way.
func recordFromRow(r *athenaResult, row []any) *evidence.CloudTrailRecord {
	get := func(name string) string {
		if i := r.col(name); i >= 0 && i < len(row) {
			return asString(row[i])
		}
		return ""
	}
	rec := &evidence.CloudTrailRecord{
		EventTime: get("eventtime"), EventID: get("eventid"), EventSource: get("eventsource"), EventName: get("eventname"),
		AWSRegion: get("awsregion"), SourceIPAddress: get("sourceipaddress"), UserAgent: get("useragent"),
		ErrorCode: get("errorcode"), ErrorMessage: get("errormessage"), EventCategory: get("eventcategory"),
		RecipientAccountID: get("recipientaccountid"),
	}
	rec.ReadOnly = json.RawMessage(strconv.Quote(get("readonly")))
	u := &rec.UserIdentity
	u.Type, u.ARN, u.AccountID, u.UserName, u.InvokedBy = get("principal_type"), get("principal_arn"), get("principal_account"), get("principal_user"), get("invoked_by")
	u.SessionCtxt.SessionIssuer.ARN, u.SessionCtxt.SessionIssuer.UserName = get("issuer_arn"), get("issuer_user")
	for _, arn := range strings.Fields(get("resource_arns")) {
		rec.Resources = append(rec.Resources, evidence.CloudTrailResource{ARN: arn})
	}
	if p := get("requestparameters"); json.Valid([]byte(p)) {
		rec.RequestParameters = json.RawMessage(p)
	}
	rec.SessionCredentialFromConsole = get("sessioncredentialfromconsole")
	if p := get("responseelements"); json.Valid([]byte(p)) {
		rec.ResponseElements = json.RawMessage(p)
	}
	return rec
}
