// Command gen writes the third set of held-out incidents under
// investigate/testdata/heldout3. Each incident is a fa2-snapshot/1
// directory built from the shapes AWS itself emits (CloudTrail S3 delivery
// files, BatchGetTraces, GetMetricStatistics, DescribeAlarms, ALB access
// logs, FilterLogEvents) plus a truth.json that says what really happened.
//
// The author wrote these from AWS's documented output formats without
// reading the engine, so they measure whether it generalises. Output is
// deterministic: every random choice comes from a seeded generator.
//
//	go run ./investigate/testdata/heldout3/gen
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	root := "investigate/testdata/heldout3"
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	for _, build := range []func() *Inc{
		naclEphemeralRedis,
		kmsKeyPolicyDecrypt,
		apigwStageThrottle,
		rdsInstanceDownsized,
		s3RegionalDegradation,
		lambdaEnvWrongTable,
	} {
		inc := build()
		dir := filepath.Join(root, inc.Name)
		if err := os.RemoveAll(dir); err != nil {
			fail(err)
		}
		if err := inc.write(dir); err != nil {
			fail(err)
		}
		fmt.Printf("%-28s %5d log events, %4d CloudTrail records, %3d traces, %3d ALB lines\n",
			inc.Name, inc.logCount(), len(inc.ct), len(inc.traces), len(inc.alb))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// Inc is one incident being built.
type Inc struct {
	Name, Title, Arch string
	Region, Account   string
	Start, End        time.Time
	rng               *rand.Rand

	logs     map[string][]logEvent
	streams  map[string]string
	ct       []map[string]any
	metrics  []map[string]any
	traces   []map[string]any
	alarms   []map[string]any
	composit []map[string]any
	history  []map[string]any
	alb      []albLine
	albName  string
	albNodes []string
	hub      []map[string]any
	gd       []map[string]any
	truth    map[string]any
}

type logEvent struct {
	group, stream string
	t             time.Time
	msg           string
}

type albLine struct {
	t    time.Time
	line string
	node string
}

func newInc(name string, seed uint64, region, account string, start time.Time, minutes int) *Inc {
	return &Inc{
		Name: name, Region: region, Account: account,
		Start: start, End: start.Add(time.Duration(minutes) * time.Minute),
		rng:  rand.New(rand.NewPCG(seed, seed*7919+13)),
		logs: map[string][]logEvent{},
	}
}

// ---- random helpers ----

func (in *Inc) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[in.rng.IntN(16)]
	}
	return string(b)
}

func (in *Inc) alnum(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[in.rng.IntN(len(a))]
	}
	return string(b)
}

func (in *Inc) lower(n int) string {
	const a = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[in.rng.IntN(len(a))]
	}
	return string(b)
}

func (in *Inc) uuid() string {
	return in.hex(8) + "-" + in.hex(4) + "-4" + in.hex(3) + "-" + []string{"8", "9", "a", "b"}[in.rng.IntN(4)] + in.hex(3) + "-" + in.hex(12)
}

func (in *Inc) pick(xs ...string) string { return xs[in.rng.IntN(len(xs))] }

func (in *Inc) chance(p float64) bool { return in.rng.Float64() < p }

// jitter returns d scaled by a factor in [1-f, 1+f].
func (in *Inc) jitter(d time.Duration, f float64) time.Duration {
	return time.Duration(float64(d) * (1 - f + 2*f*in.rng.Float64()))
}

// poisson-ish stream: calls fn at times from..to spaced around every.
func (in *Inc) every(from, to time.Time, every time.Duration, fn func(t time.Time)) {
	for t := from.Add(in.jitter(every, 0.9)); t.Before(to); t = t.Add(in.jitter(every, 0.8)) {
		fn(t)
	}
}

func (in *Inc) at(hhmmss string) time.Time {
	d := in.Start.Format("2006-01-02")
	t, err := time.Parse(time.RFC3339, d+"T"+hhmmss+"Z")
	if err != nil {
		fail(err)
	}
	return t
}

// ---- logs ----

func (in *Inc) log(group, stream string, t time.Time, msg string) {
	if t.Before(in.Start) || !t.Before(in.End) {
		return
	}
	in.logs[group] = append(in.logs[group], logEvent{group, stream, t, msg})
}

func (in *Inc) logCount() int {
	n := 0
	for _, l := range in.logs {
		n += len(l)
	}
	return n
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// cliTime is how the AWS CLI v2 prints timestamps in JSON output.
func cliTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000-07:00") }

func ctTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// ---- CloudTrail ----

// Principal is who made a call, as CloudTrail writes userIdentity.
type Principal struct {
	kind      string // AssumedRole, AWSService, IAMUser
	role      string
	session   string
	roleID    string
	service   string
	ip        string
	agent     string
	console   bool
	webIdFed  map[string]any
	accessKey string
}

func (in *Inc) role(role, session, ip, agent string) *Principal {
	return &Principal{kind: "AssumedRole", role: role, session: session, roleID: "AROA" + in.alnum(17), ip: ip, agent: agent, accessKey: "ASIA" + in.alnum(16)}
}

func (in *Inc) svc(service string) *Principal {
	return &Principal{kind: "AWSService", service: service, ip: service, agent: service}
}

func (in *Inc) identity(p *Principal, t time.Time) map[string]any {
	switch p.kind {
	case "AWSService":
		return map[string]any{"type": "AWSService", "invokedBy": p.service}
	case "IAMUser":
		return map[string]any{"type": "IAMUser", "principalId": p.roleID, "arn": "arn:aws:iam::" + in.Account + ":user/" + p.role, "accountId": in.Account, "accessKeyId": p.accessKey, "userName": p.role}
	}
	roleArn := "arn:aws:iam::" + in.Account + ":role/" + p.role
	if strings.HasPrefix(p.role, "aws-reserved/") {
		roleArn = "arn:aws:iam::" + in.Account + ":role/" + p.role
	}
	short := p.role[strings.LastIndex(p.role, "/")+1:]
	sc := map[string]any{
		"sessionIssuer": map[string]any{"type": "Role", "principalId": p.roleID, "arn": roleArn, "accountId": in.Account, "userName": short},
		"attributes":    map[string]any{"creationDate": ctTime(t.Add(-time.Duration(7+int(t.Unix()%40)) * time.Minute)), "mfaAuthenticated": "false"},
	}
	if p.webIdFed != nil {
		sc["webIdFederationData"] = p.webIdFed
	} else {
		sc["webIdFederationData"] = map[string]any{}
	}
	return map[string]any{
		"type": "AssumedRole", "principalId": p.roleID + ":" + p.session,
		"arn":       "arn:aws:sts::" + in.Account + ":assumed-role/" + short + "/" + p.session,
		"accountId": in.Account, "accessKeyId": p.accessKey, "sessionContext": sc,
	}
}

var readPrefixes = []string{"Get", "Describe", "List", "Decrypt", "GenerateDataKey", "AssumeRole", "Lookup", "Head", "BatchGet", "Search", "Query", "Scan", "Select", "Test"}

func readOnly(name string) bool {
	for _, p := range readPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// ev appends one CloudTrail record. source is the short service name
// ("ec2"), expanded to ec2.amazonaws.com.
func (in *Inc) ev(t time.Time, p *Principal, source, name string, req, resp any, extra ...map[string]any) map[string]any {
	r := map[string]any{
		"eventVersion":       "1.09",
		"userIdentity":       in.identity(p, t),
		"eventTime":          ctTime(t),
		"eventSource":        source + ".amazonaws.com",
		"eventName":          name,
		"awsRegion":          in.Region,
		"sourceIPAddress":    p.ip,
		"userAgent":          p.agent,
		"requestParameters":  req,
		"responseElements":   resp,
		"requestID":          in.uuid(),
		"eventID":            in.uuid(),
		"readOnly":           readOnly(name),
		"eventType":          "AwsApiCall",
		"managementEvent":    true,
		"recipientAccountId": in.Account,
		"eventCategory":      "Management",
	}
	if p.kind == "AWSService" {
		r["eventType"] = "AwsApiCall"
		if req == nil {
			delete(r, "requestParameters")
		}
	} else {
		r["tlsDetails"] = map[string]any{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": source + "." + in.Region + ".amazonaws.com"}
	}
	if p.console {
		r["sessionCredentialFromConsole"] = "true"
	}
	for _, e := range extra {
		for k, v := range e {
			if v == nil {
				delete(r, k)
			} else {
				r[k] = v
			}
		}
	}
	in.ct = append(in.ct, r)
	return r
}

// ---- metrics ----

type series struct {
	ns, name, unit string
	dims           [][2]string
	stats          []string // which statistics the request asked for
	period         time.Duration
	fn             func(t time.Time) float64
	samples        func(t time.Time) float64 // SampleCount; default 1 per period
}

func (in *Inc) metric(s series) {
	if s.period == 0 {
		s.period = time.Minute
	}
	if len(s.stats) == 0 {
		s.stats = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}
	}
	var dps []map[string]any
	for t := in.Start; t.Before(in.End); t = t.Add(s.period) {
		v := s.fn(t)
		if math.IsNaN(v) {
			continue // missing datapoint, as CloudWatch omits empty periods
		}
		n := 60.0
		if s.samples != nil {
			n = s.samples(t)
		}
		dp := map[string]any{"Timestamp": t.UTC().Format("2006-01-02T15:04:05-07:00"), "Unit": s.unit}
		for _, st := range s.stats {
			switch st {
			case "SampleCount":
				dp[st] = n
			case "Average":
				dp[st] = round(v, 4)
			case "Sum":
				dp[st] = round(v*n, 4)
			case "Minimum":
				dp[st] = round(v*(0.55+0.3*in.rng.Float64()), 4)
			case "Maximum":
				dp[st] = round(v*(1.2+0.9*in.rng.Float64()), 4)
			}
		}
		dps = append(dps, dp)
	}
	// GetMetricStatistics returns datapoints in no particular order.
	in.rng.Shuffle(len(dps), func(i, j int) { dps[i], dps[j] = dps[j], dps[i] })
	dims := []map[string]any{}
	for _, d := range s.dims {
		dims = append(dims, map[string]any{"Name": d[0], "Value": d[1]})
	}
	in.metrics = append(in.metrics, map[string]any{
		"Namespace": s.ns, "MetricName": s.name, "Dimensions": dims, "Label": s.name, "Datapoints": dps,
	})
}

func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// noise returns v * (1 ± f).
func (in *Inc) noise(v, f float64) float64 { return v * (1 - f + 2*f*in.rng.Float64()) }

// ramp is 0 before a, 1 after b, linear between.
func ramp(t, a, b time.Time) float64 {
	if t.Before(a) {
		return 0
	}
	if !t.Before(b) {
		return 1
	}
	return float64(t.Sub(a)) / float64(b.Sub(a))
}

// ---- alarms ----

func (in *Inc) alarmArn(name string) string {
	return "arn:aws:cloudwatch:" + in.Region + ":" + in.Account + ":alarm:" + name
}

func (in *Inc) snsTopic(name string) string {
	return "arn:aws:sns:" + in.Region + ":" + in.Account + ":" + name
}

// stateChange records an alarm transition in the history and returns
// the reason text.
func (in *Inc) stateChange(name, typ string, t time.Time, from, to, reason string, data map[string]any) {
	newState := map[string]any{"stateValue": to, "stateReason": reason}
	if data != nil {
		newState["stateReasonData"] = data
	}
	hd, _ := json.Marshal(map[string]any{"version": "1.0", "oldState": map[string]any{"stateValue": from, "stateReason": "previous"}, "newState": newState})
	in.history = append(in.history, map[string]any{
		"AlarmName": name, "AlarmType": typ, "Timestamp": cliTime(t), "HistoryItemType": "StateUpdate",
		"HistorySummary": fmt.Sprintf("Alarm updated from %s to %s", from, to), "HistoryData": string(hd),
	})
	if to == "ALARM" {
		act, _ := json.Marshal(map[string]any{"actionState": "Succeeded", "stateUpdateTimestamp": t.UnixMilli(), "notificationResource": in.snsTopic("oncall-page"), "publishedMessage": map[string]any{"default": "{\"AlarmName\":\"" + name + "\"}"}})
		in.history = append(in.history, map[string]any{
			"AlarmName": name, "AlarmType": typ, "Timestamp": cliTime(t.Add(180 * time.Millisecond)), "HistoryItemType": "Action",
			"HistorySummary": "Successfully executed action " + in.snsTopic("oncall-page"), "HistoryData": string(act),
		})
	}
}

// metricAlarm builds a DescribeAlarms MetricAlarms entry.
func (in *Inc) metricAlarm(a map[string]any, state string, stateAt time.Time, reason string, reasonData map[string]any) {
	name := a["AlarmName"].(string)
	base := map[string]any{
		"AlarmArn":                           in.alarmArn(name),
		"AlarmConfigurationUpdatedTimestamp": cliTime(in.Start.Add(-41 * 24 * time.Hour)),
		"ActionsEnabled":                     true,
		"OKActions":                          []string{in.snsTopic("oncall-page")},
		"AlarmActions":                       []string{in.snsTopic("oncall-page")},
		"InsufficientDataActions":            []string{},
		"StateValue":                         state,
		"StateReason":                        reason,
		"StateUpdatedTimestamp":              cliTime(stateAt),
		"StateTransitionedTimestamp":         cliTime(stateAt),
		"TreatMissingData":                   "missing",
	}
	if reasonData != nil {
		b, _ := json.Marshal(reasonData)
		base["StateReasonData"] = string(b)
	}
	for k, v := range a {
		base[k] = v
	}
	in.alarms = append(in.alarms, base)
}

func (in *Inc) compositeAlarm(name, rule, desc, state string, stateAt time.Time, reason string) {
	in.composit = append(in.composit, map[string]any{
		"ActionsEnabled": true, "AlarmActions": []string{in.snsTopic("oncall-page")}, "AlarmArn": in.alarmArn(name),
		"AlarmConfigurationUpdatedTimestamp": cliTime(in.Start.Add(-90 * 24 * time.Hour)), "AlarmDescription": desc,
		"AlarmName": name, "AlarmRule": rule, "InsufficientDataActions": []string{}, "OKActions": []string{},
		"StateReason": reason, "StateUpdatedTimestamp": cliTime(stateAt), "StateValue": state,
		"StateTransitionedTimestamp": cliTime(stateAt), "ActionsSuppressedBy": "None",
	})
}

func dims(kv ...string) []map[string]any {
	var out []map[string]any
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, map[string]any{"Name": kv[i], "Value": kv[i+1]})
	}
	return out
}

// ---- X-Ray ----

func (in *Inc) traceID(t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), in.hex(24))
}

func epoch(t time.Time) float64 { return round(float64(t.UnixNano())/1e9, 6) }

// addTrace stores a BatchGetTraces entry; segments are documents.
func (in *Inc) addTrace(id string, dur time.Duration, segs ...map[string]any) {
	var out []map[string]any
	for _, s := range segs {
		s["trace_id"] = id
		b, _ := json.Marshal(s)
		out = append(out, map[string]any{"Id": s["id"], "Document": string(b)})
	}
	in.traces = append(in.traces, map[string]any{"Id": id, "Duration": round(dur.Seconds(), 3), "LimitExceeded": false, "Segments": out})
}

// ---- writing ----

func (in *Inc) write(dir string) error {
	must := func(err error) {
		if err != nil {
			fail(err)
		}
	}
	must(os.MkdirAll(dir, 0o755))
	man := map[string]any{
		"format": "fa2-snapshot/1", "region": in.Region,
		"window": map[string]string{"start": in.Start.Format(time.RFC3339), "end": in.End.Format(time.RFC3339)},
		"title":  in.Title, "architecture": in.Arch,
	}
	must(writeJSON(filepath.Join(dir, "manifest.json"), man, false))
	must(writeJSON(filepath.Join(dir, "truth.json"), in.truth, false))

	// logs: one file per group, sorted by time as FilterLogEvents interleaves streams.
	groups := make([]string, 0, len(in.logs))
	for g := range in.logs {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		evs := in.logs[g]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].t.Before(evs[j].t) })
		var buf bytes.Buffer
		for _, e := range evs {
			line, _ := json.Marshal(map[string]any{
				"logStreamName": e.stream, "timestamp": ms(e.t), "message": e.msg,
				"ingestionTime": ms(e.t) + 200 + int64(in.rng.IntN(2500)), "eventId": fmt.Sprintf("%d%s", ms(e.t)*1000, in.digits(36)),
			})
			buf.Write(line)
			buf.WriteByte('\n')
		}
		name := filepath.Join(dir, "logs", url.PathEscape(g)+".jsonl")
		must(writeBytes(name, buf.Bytes(), buf.Len() > 150_000))
	}

	// CloudTrail: delivered in files of about five minutes per region.
	if len(in.ct) > 0 {
		files := map[string][]map[string]any{}
		var keys []string
		for _, r := range in.ct {
			t, _ := time.Parse(time.RFC3339, r["eventTime"].(string))
			key := t.Truncate(5 * time.Minute).Add(5 * time.Minute).Add(time.Duration(in.rng.IntN(4)) * time.Minute).Format("20060102T1504Z")
			if _, ok := files[key]; !ok {
				keys = append(keys, key)
			}
			files[key] = append(files[key], r)
		}
		sort.Strings(keys)
		for _, k := range keys {
			recs := files[k]
			// Records inside a delivery file are not sorted by time.
			in.rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
			name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json", in.Account, in.Region, k, in.lower(16))
			must(writeJSON(filepath.Join(dir, "cloudtrail", name), map[string]any{"Records": recs}, true))
		}
	}

	for _, m := range in.metrics {
		var parts []string
		for _, d := range m["Dimensions"].([]map[string]any) {
			parts = append(parts, d["Value"].(string))
		}
		n := strings.NewReplacer("/", "_", ":", "_").Replace(m["Namespace"].(string) + "__" + m["MetricName"].(string) + "__" + strings.Join(parts, "_"))
		must(writeJSON(filepath.Join(dir, "metrics", n+".json"), m, false))
	}

	if len(in.traces) > 0 {
		// BatchGetTraces takes at most 5 ids per call; a snapshot of many
		// calls is stored as pages of traces.
		const page = 50
		for i := 0; i < len(in.traces); i += page {
			j := min(i+page, len(in.traces))
			must(writeJSON(filepath.Join(dir, "xray", fmt.Sprintf("traces-%03d.json", i/page+1)), map[string]any{"Traces": in.traces[i:j], "UnprocessedTraceIds": []string{}}, j-i > 20))
		}
	}

	if len(in.alarms)+len(in.composit) > 0 {
		must(writeJSON(filepath.Join(dir, "alarms.json"), map[string]any{"MetricAlarms": nonNil(in.alarms), "CompositeAlarms": nonNil(in.composit)}, false))
	}
	if len(in.history) > 0 {
		h := in.history
		sort.SliceStable(h, func(i, j int) bool { return h[i]["Timestamp"].(string) > h[j]["Timestamp"].(string) })
		must(writeJSON(filepath.Join(dir, "alarm-history.json"), map[string]any{"AlarmHistoryItems": h}, false))
	}

	if len(in.alb) > 0 {
		// ALB writes one file per load balancer node every five minutes.
		files := map[string][]albLine{}
		for _, l := range in.alb {
			k := l.t.Truncate(5*time.Minute).Add(5*time.Minute).Format("20060102T1504Z") + "|" + l.node
			files[k] = append(files[k], l)
		}
		keys := make([]string, 0, len(files))
		for k := range files {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ls := files[k]
			sort.SliceStable(ls, func(i, j int) bool { return ls[i].t.Before(ls[j].t) })
			var buf bytes.Buffer
			for _, l := range ls {
				buf.WriteString(l.line)
				buf.WriteByte('\n')
			}
			parts := strings.SplitN(k, "|", 2)
			name := fmt.Sprintf("%s_elasticloadbalancing_%s_%s_%s_%s_%s.log.gz", in.Account, in.Region, in.albName, parts[0], parts[1], in.lower(8))
			must(writeBytes(filepath.Join(dir, "alb", strings.TrimSuffix(name, ".gz")), buf.Bytes(), true))
		}
	}
	if len(in.hub) > 0 {
		must(writeJSON(filepath.Join(dir, "securityhub.json"), map[string]any{"Findings": in.hub}, false))
	}
	if len(in.gd) > 0 {
		must(writeJSON(filepath.Join(dir, "guardduty.json"), map[string]any{"Findings": in.gd}, false))
	}
	return nil
}

func nonNil(x []map[string]any) []map[string]any {
	if x == nil {
		return []map[string]any{}
	}
	return x
}

func (in *Inc) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + in.rng.IntN(10))
	}
	return string(b)
}

func writeJSON(path string, v any, gz bool) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if gz {
		b, err = json.Marshal(v)
		if err != nil {
			return err
		}
	}
	return writeBytes(path, append(b, '\n'), gz)
}

func writeBytes(path string, b []byte, gz bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if !gz {
		return os.WriteFile(path, b, 0o644)
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	// A fixed header keeps the output byte-for-byte reproducible.
	w.ModTime = time.Time{}
	w.Write(b)
	w.Close()
	return os.WriteFile(path+".gz", buf.Bytes(), 0o644)
}

// ---- truth ----

func (in *Inc) setTruth(kind, alarm string, rcName string, rcTime time.Time, rcResource string, onset time.Time, decoys [][2]any, signals ...string) {
	var ds []map[string]any
	for _, d := range decoys {
		ds = append(ds, map[string]any{"event_name": d[0], "event_time": ctTime(d[1].(time.Time))})
	}
	tr := map[string]any{
		"name": in.Name, "kind": kind, "alarm": alarm, "no_change": rcName == "",
		"onset": ctTime(onset), "decoys": ds, "signals": signals,
	}
	if rcName != "" {
		tr["root_cause"] = map[string]any{"event_name": rcName, "event_time": ctTime(rcTime), "resource": rcResource}
	} else {
		tr["root_cause"] = nil
	}
	in.truth = tr
}

// ---- ALB access logs ----

type albReq struct {
	t                  time.Time // when the request arrived
	client, target     string    // ip:port
	reqT, targetT, rsT float64   // seconds; -1 when the target never answered
	elbStatus          int
	targetStatus       string // "-" when none
	method, url        string
	agent              string
	tgArn, traceID     string
	domain, cert       string
	errorReason        string
	recv, sent         int
}

func (in *Inc) albLog(r albReq, lbID string) {
	total := r.reqT + math.Max(r.targetT, 0) + math.Max(r.rsT, 0)
	end := r.t.Add(time.Duration(total * float64(time.Second)))
	f := func(x float64) string {
		if x < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", x)
	}
	target, tstatus := r.target, r.targetStatus
	if target == "" {
		target = "-"
	}
	if tstatus == "" {
		tstatus = "-"
	}
	reason := r.errorReason
	if reason == "" {
		reason = "-"
	}
	line := fmt.Sprintf(`https %s %s %s %s %s %s %s %d %s %d %d "%s %s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "%s" "%s" "%s" 0 %s "forward" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		end.UTC().Format("2006-01-02T15:04:05.000000Z"), lbID, r.client, target, f(r.reqT), f(r.targetT), f(r.rsT),
		r.elbStatus, tstatus, r.recv, r.sent, r.method, r.url, r.agent, r.tgArn, r.traceID, r.domain, r.cert,
		r.t.UTC().Format("2006-01-02T15:04:05.000000Z"), reason, target, tstatus, in.hex(32))
	node := in.albNodes[in.rng.IntN(len(in.albNodes))]
	in.alb = append(in.alb, albLine{t: end, line: line, node: node})
}

func nanv() float64 { return math.NaN() }

func atoi(s string) int {
	n := 0
	fmt.Sscanf(s, "%d", &n)
	return n
}
