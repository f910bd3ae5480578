package awslive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// This file runs Logs Insights queries: it splits log groups into batches
// StartQuery accepts, runs the batches concurrently under the client's bound,
// polls each until it completes, and stops queries the caller no longer
// waits for, so they do not keep scanning (and billing) in the background.

const (
	// maxGroupsPerQuery is StartQuery's limit on log groups.
	maxGroupsPerQuery = 50
	// maxInsightsRows is the most rows fa2 asks of one query. GetQueryResults
	// returns at most 10,000 per call; a result that fills it was cut.
	maxInsightsRows = 10_000
	// defaultMaxConcurrentQueries applies when the settings leave it unset.
	defaultMaxConcurrentQueries = 4
	// stopQueryTimeout bounds the StopQuery sent after the caller gave up.
	stopQueryTimeout = 5 * time.Second
)

// insightsQuery is one Logs Insights query over any number of log groups.
type insightsQuery struct {
	groups   []string
	window   telemetry.Window
	text     string
	limit    int // rows asked of each batch, at most maxInsightsRows
	progress telemetry.Progress
	// raw marks a query the user wrote, so a syntax error is theirs to fix.
	raw bool
	// what names a query fa2 built ("histogram query") in error messages;
	// filter is the user's part of it, the only part a syntax error can be
	// the user's fault; modeHint adds what else may make this mode fail.
	what, filter, modeHint string
}

// batchResult is what one StartQuery over at most 50 log groups returned.
type batchResult struct {
	groups []string
	rows   [][]types.ResultField
	stats  types.QueryStatistics
}

// insightsResult is every batch of one insightsQuery, plus summed stats.
type insightsResult struct {
	batches []batchResult
	stats   telemetry.QueryStats
}

// rowCount is the number of rows of all batches.
func (r *insightsResult) rowCount() int {
	n := 0
	for _, b := range r.batches {
		n += len(b.rows)
	}
	return n
}

// logSlotsChan returns the semaphore that bounds Logs Insights queries in
// flight across every call on this client: the account's quota on concurrent
// queries is shared with other people, and fa2 must leave them some.
func (c *Client) logSlotsChan() chan struct{} {
	c.logSlotsOnce.Do(func() {
		n := defaultMaxConcurrentQueries
		if c.settings != nil && c.settings.Logs.MaxConcurrentQueries > 0 {
			n = c.settings.Logs.MaxConcurrentQueries
		}
		c.logSlots = make(chan struct{}, n)
	})
	return c.logSlots
}

// runInsights runs q in batches of at most 50 log groups and waits for all of
// them. The first failure stops the other batches.
func (c *Client) runInsights(ctx context.Context, q insightsQuery) (*insightsResult, error) {
	if !q.window.End.After(q.window.Start) {
		return nil, telemetry.Errorf(telemetry.KindInvalidInput, "the time window %s..%s is empty.", q.window.Start.Format(time.RFC3339), q.window.End.Format(time.RFC3339)).WithHint("Give an end time after the start time.")
	}
	if q.limit <= 0 || q.limit > maxInsightsRows {
		q.limit = maxInsightsRows
	}
	batches := splitBatches(q.groups, maxGroupsPerQuery)
	track := newProgressTracker(q.progress, len(batches))
	track.report()

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]batchResult, len(batches))
	errs := make([]error, len(batches))
	var wg sync.WaitGroup
	for i, groups := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.runBatch(runCtx, q, groups, i, track)
			if err != nil {
				errs[i] = err
				cancel() // one failure is the answer; stop the others
				return
			}
			results[i] = res
			track.batchDone(i, res.stats)
		}()
	}
	wg.Wait()
	if err := firstError(ctx, errs); err != nil {
		return nil, err
	}

	out := &insightsResult{batches: results}
	cut := 0
	for _, b := range results {
		out.stats.RecordsMatched += b.stats.RecordsMatched
		out.stats.RecordsScanned += b.stats.RecordsScanned
		out.stats.BytesScanned += b.stats.BytesScanned
		if len(b.rows) >= maxInsightsRows {
			cut++
		}
	}
	if cut > 0 {
		out.stats.Partial = fmt.Sprintf("Logs Insights returned its maximum of %d rows for %d of %d queries, so rows are missing; narrow the time window, the log groups or the filter.",
			maxInsightsRows, cut, len(results))
	}
	return out, nil
}

// firstError picks the error to report: the caller's own cancellation or
// deadline first, then the failure that made runInsights stop the others
// (whose "context canceled" errors are only echoes of it).
func firstError(ctx context.Context, errs []error) error {
	if ctx.Err() != nil {
		return contextError(ctx)
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// contextError explains why the caller's context ended. A passed deadline is
// something the user can act on (narrow the query); a cancellation is the
// caller's own decision and stays context.Canceled.
func contextError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &telemetry.Error{Kind: telemetry.KindTimeout, Err: ctx.Err(),
			Msg:  "the Logs Insights query did not finish before the deadline, so fa2 stopped it.",
			Hint: "Narrow the time window, the log groups or the filter and try again."}
	}
	return ctx.Err()
}

// splitBatches cuts groups into slices of at most n.
func splitBatches(groups []string, n int) [][]string {
	var out [][]string
	for len(groups) > n {
		out = append(out, groups[:n:n])
		groups = groups[n:]
	}
	if len(groups) > 0 {
		out = append(out, groups)
	}
	return out
}

// runBatch runs one StartQuery and polls it to completion. It waits for a
// slot first, so at most MaxConcurrentQueries of fa2's queries run at once.
func (c *Client) runBatch(ctx context.Context, q insightsQuery, groups []string, idx int, track *progressTracker) (batchResult, error) {
	slots := c.logSlotsChan()
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return batchResult{}, ctx.Err()
	}
	defer func() { <-slots }()

	in := &cloudwatchlogs.StartQueryInput{
		StartTime:   aws.Int64(q.window.Start.Unix()),
		EndTime:     aws.Int64(ceilUnix(q.window.End)),
		QueryString: aws.String(q.text),
		Limit:       aws.Int32(int32(q.limit)),
	}
	// logGroupIdentifiers takes names and ARNs alike (ARNs are needed for a
	// source account's groups from a monitoring account); the two lists
	// cannot be combined, so a batch with an ARN sends everything there.
	if hasARN(groups) {
		in.LogGroupIdentifiers = groups
	} else {
		in.LogGroupNames = groups
	}
	start, err := c.logs.StartQuery(ctx, in)
	if err != nil {
		if ctx.Err() != nil {
			return batchResult{}, ctx.Err()
		}
		return batchResult{}, startQueryError(err, groups, q)
	}
	id := aws.ToString(start.QueryId)

	wait := c.pollInterval
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			c.stopQuery(id)
			return batchResult{}, ctx.Err()
		case <-timer.C:
		}
		res, err := c.logs.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{
			QueryId:  aws.String(id),
			MaxItems: aws.Int32(int32(q.limit)),
		})
		if err != nil {
			// The query keeps running server-side unless told otherwise.
			c.stopQuery(id)
			if ctx.Err() != nil {
				return batchResult{}, ctx.Err()
			}
			return batchResult{}, mapError("logs:GetQueryResults", err)
		}
		var stats types.QueryStatistics
		if res.Statistics != nil {
			stats = *res.Statistics
		}
		switch res.Status {
		case types.QueryStatusComplete:
			return batchResult{groups: groups, rows: res.Results, stats: stats}, nil
		case types.QueryStatusRunning, types.QueryStatusScheduled:
			track.batchRunning(idx, stats)
		default:
			return batchResult{}, queryStatusError(id, res.Status, groups)
		}
		if wait *= 2; wait > c.maxPollInterval {
			wait = c.maxPollInterval
		}
		timer.Reset(wait)
	}
}

// stopQuery asks Logs Insights to stop a query whose results nobody will
// read. The caller's context may be done already, so it gets its own short
// deadline. A failure only means the query ends on its own; it is ignored.
func (c *Client) stopQuery(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), stopQueryTimeout)
	defer cancel()
	_, _ = c.logs.StopQuery(ctx, &cloudwatchlogs.StopQueryInput{QueryId: aws.String(id)})
}

// ceilUnix is t in epoch seconds, rounded up so the whole window is covered
// (StartQuery's end time is inclusive and whole seconds).
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// queryStatusError explains a query that ended without results.
func queryStatusError(id string, status types.QueryStatus, groups []string) error {
	what := fmt.Sprintf("the Logs Insights query %s over %s", id, describeGroups(groups))
	switch status {
	case types.QueryStatusTimeout:
		return telemetry.Errorf(telemetry.KindTimeout, "%s ran into Logs Insights' 60-minute limit.", what).WithHint("Narrow the time window or the log groups, or add a filter, and try again.")
	case types.QueryStatusCancelled:
		return telemetry.Errorf(telemetry.KindUnavailable, "%s was cancelled before it finished.", what).WithHint("Run the query again; if it keeps being cancelled, check who stops queries in this account.")
	case types.QueryStatusFailed:
		return telemetry.Errorf(telemetry.KindUnavailable, "%s failed inside Logs Insights.", what).WithHint("Retry; if it fails again, narrow the window or simplify the query, and check the CloudWatch service health.")
	default:
		return telemetry.Errorf(telemetry.KindUnavailable, "%s ended with status %q.", what, string(status)).WithHint("Retry in a minute; if it persists, check the CloudWatch service health.")
	}
}

// startQueryError maps a StartQuery failure, naming the log group AWS did not
// find and, for a query the user wrote, pointing at its syntax.
func startQueryError(err error, groups []string, q insightsQuery) error {
	mapped := mapError("logs:StartQuery", err)
	e, ok := telemetry.AsError(mapped)
	if !ok {
		return mapped
	}
	var notFound *types.ResourceNotFoundException
	var malformed *types.MalformedQueryException
	switch {
	case errors.As(err, &notFound) || e.Kind == telemetry.KindNotFound:
		e.Kind = telemetry.KindNotFound
		e.Msg = fmt.Sprintf("log group %s does not exist (AWS said: %s).", missingGroup(e.Msg, groups), strings.TrimSuffix(awsMessage(err), "."))
		e.Hint = "Check the name and the region, or pass a prefix ending in * to search the groups that exist."
	case errors.As(err, &malformed):
		msg := strings.TrimSuffix(aws.ToString(malformed.Message), ".")
		if ce := malformed.QueryCompileError; ce != nil && aws.ToString(ce.Message) != "" {
			msg += ": " + strings.TrimSuffix(aws.ToString(ce.Message), ".")
		}
		e.Kind = telemetry.KindInvalidInput
		if q.raw {
			e.Msg = fmt.Sprintf("Logs Insights rejected the query: %s.", msg)
			e.Hint = "Fix the query syntax (see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html) and try again."
		} else {
			e.Msg, e.Hint = builtQueryRejected(q, msg)
		}
	}
	return e
}

// builtQueryRejected explains a MalformedQueryException for a query fa2
// wrote. Only a /regex/ filter is the user's text inside it; a plain
// substring is quoted by quoteString and cannot break the query, so then the
// fault is fa2's and the user is told so, not sent to fix a regex they never
// wrote.
func builtQueryRejected(q insightsQuery, awsMsg string) (msg, hint string) {
	what := q.what
	if what == "" {
		what = "query"
	}
	if evidence.IsRegexFilter(q.filter) {
		msg = fmt.Sprintf("Logs Insights could not compile the %s built from your filter %s: %s.", what, q.filter, awsMsg)
		hint = "Check the /regex/ syntax (Logs Insights regular expressions), or pass a plain substring instead."
	} else {
		msg = fmt.Sprintf("Logs Insights rejected the %s fa2 built: %s.", what, awsMsg)
		hint = "This is a fault in fa2's query, not in your input: please report it with this message."
	}
	if q.modeHint != "" {
		hint += " " + q.modeHint
	}
	return msg, hint
}

// awsMessage is the message AWS sent with an API error.
func awsMessage(err error) string {
	var apiErr interface{ ErrorMessage() string }
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	return err.Error()
}

// missingGroup names the log group an error message is about: the batch's
// group that the message mentions, else the only group, else the batch.
func missingGroup(msg string, groups []string) string {
	for _, g := range groups {
		if strings.Contains(msg, g) {
			return fmt.Sprintf("%q", g)
		}
	}
	if len(groups) == 1 {
		return fmt.Sprintf("%q", groups[0])
	}
	return "among " + describeGroups(groups)
}

// describeGroups names up to three log groups and counts the rest.
func describeGroups(groups []string) string {
	const shown = 3
	if len(groups) <= shown {
		return strings.Join(quoteAll(groups), ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(quoteAll(groups[:shown]), ", "), len(groups)-shown)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// progressTracker turns batch states into progress reports: done counts
// finished batches, and the message adds the records scanned so far.
type progressTracker struct {
	mu       sync.Mutex
	progress telemetry.Progress
	total    int
	done     map[int]bool
	scanned  map[int]float64
}

func newProgressTracker(p telemetry.Progress, total int) *progressTracker {
	return &progressTracker{progress: p, total: total, done: map[int]bool{}, scanned: map[int]float64{}}
}

func (t *progressTracker) batchRunning(idx int, s types.QueryStatistics) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.scanned[idx] = s.RecordsScanned
	t.reportLocked()
}

func (t *progressTracker) batchDone(idx int, s types.QueryStatistics) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done[idx] = true
	t.scanned[idx] = s.RecordsScanned
	t.reportLocked()
}

func (t *progressTracker) report() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reportLocked()
}

// reportLocked sends one report; the lock keeps reports in order.
func (t *progressTracker) reportLocked() {
	var scanned float64
	for _, n := range t.scanned {
		scanned += n
	}
	t.progress.Report(float64(len(t.done)), float64(t.total),
		fmt.Sprintf("Logs Insights: %d of %d queries done, %.0f records scanned", len(t.done), t.total, scanned))
}
