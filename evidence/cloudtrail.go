package evidence

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	json "github.com/segmentio/encoding/json"

	"github.com/fa2/fa2/telemetry"
)

// CloudTrailRecord is one CloudTrail event as delivered to S3 and as
// LookupEvents returns it in CloudTrailEvent. Only the fields fa2 reads are
// decoded.
type CloudTrailRecord struct {
	EventTime       string `json:"eventTime"`
	EventID         string `json:"eventID"`
	EventSource     string `json:"eventSource"`
	EventName       string `json:"eventName"`
	AWSRegion       string `json:"awsRegion"`
	SourceIPAddress string `json:"sourceIPAddress"`
	UserAgent       string `json:"userAgent"`
	ErrorCode       string `json:"errorCode"`
	ErrorMessage    string `json:"errorMessage"`
	// ReadOnly is a JSON boolean in S3 files; LookupEvents and Athena carry
	// it as a string, so it is decoded loosely.
	ReadOnly      json.RawMessage `json:"readOnly"`
	EventCategory string          `json:"eventCategory"`
	EventType     string          `json:"eventType"`
	// SessionCredentialFromConsole is "true" on calls made in the console
	// (a record field since eventVersion 1.08; older records have it in
	// userIdentity.sessionContext).
	SessionCredentialFromConsole string `json:"sessionCredentialFromConsole"`
	RecipientAccountID           string `json:"recipientAccountId"`
	UserIdentity                 struct {
		Type        string `json:"type"`
		PrincipalID string `json:"principalId"`
		ARN         string `json:"arn"`
		AccountID   string `json:"accountId"`
		UserName    string `json:"userName"`
		InvokedBy   string `json:"invokedBy"`
		SessionCtxt struct {
			SessionIssuer struct {
				ARN      string `json:"arn"`
				UserName string `json:"userName"`
			} `json:"sessionIssuer"`
			// SessionCredentialFromConsole is "true" for calls made in the
			// console with temporary credentials.
			SessionCredentialFromConsole string `json:"sessionCredentialFromConsole"`
		} `json:"sessionContext"`
	} `json:"userIdentity"`
	Resources         []CloudTrailResource `json:"resources"`
	RequestParameters json.RawMessage      `json:"requestParameters"`
	// ResponseElements is read for sign-in outcomes ({"ConsoleLogin":
	// "Failure"}, which carry no errorCode) and for what a call did when
	// the request only names it (the rule a RevokeSecurityGroupIngress by
	// rule id removed).
	ResponseElements json.RawMessage `json:"responseElements"`
	// InsightDetails holds a CloudTrail Insights event's name and source.
	InsightDetails *struct {
		State          string `json:"state"`
		EventSource    string `json:"eventSource"`
		EventName      string `json:"eventName"`
		InsightType    string `json:"insightType"`
		InsightContext struct {
			Statistics struct {
				Baseline struct {
					Average *float64 `json:"average"`
				} `json:"baseline"`
				Insight struct {
					Average *float64 `json:"average"`
				} `json:"insight"`
			} `json:"statistics"`
		} `json:"insightContext"`
	} `json:"insightDetails"`
}

// CloudTrailResource is one entry of an event's resources.
type CloudTrailResource struct {
	ARN  string `json:"ARN"`
	Type string `json:"type"`
}

// ParseCloudTrailRecord decodes one event and checks it has what fa2 needs.
func ParseCloudTrailRecord(raw []byte) (*CloudTrailRecord, error) {
	var r CloudTrailRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	if _, err := r.Time(); err != nil {
		return nil, err
	}
	// Insights events carry the API they are about under insightDetails.
	if d := r.InsightDetails; d != nil {
		if r.EventName == "" {
			r.EventName = d.EventName
		}
		if r.EventSource == "" {
			r.EventSource = d.EventSource
		}
		if r.EventCategory == "" {
			r.EventCategory = "Insight"
		}
	}
	if r.EventName == "" || r.EventSource == "" {
		return nil, fmt.Errorf("no eventName or eventSource")
	}
	return &r, nil
}

// Time is the event's time.
func (r *CloudTrailRecord) Time() (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, r.EventTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("eventTime %q is not RFC 3339", r.EventTime)
	}
	return t.UTC(), nil
}

// IsReadOnly reads the readOnly flag in any of its encodings. Events with no
// flag (some service events) count as writes: better a false suspect than a
// missed change.
func (r *CloudTrailRecord) IsReadOnly() bool {
	s := strings.Trim(strings.TrimSpace(string(r.ReadOnly)), `"`)
	return strings.EqualFold(s, "true")
}

// Principal is the caller's ARN, or the best name there is without one:
// another account's caller is "account 444455556666" (with its principal
// id when CloudTrail gives one).
func (r *CloudTrailRecord) Principal() string {
	u := r.UserIdentity
	switch {
	case u.ARN != "":
		return u.ARN
	case u.UserName != "":
		return u.UserName
	case u.Type == "AWSAccount" && u.AccountID != "":
		if u.PrincipalID != "" {
			return "account " + u.AccountID + " (" + u.PrincipalID + ")"
		}
		return "account " + u.AccountID
	case u.InvokedBy != "":
		return u.InvokedBy
	case u.Type == "" && r.InsightDetails != nil:
		return "CloudTrail Insights"
	}
	return u.Type
}

// consoleInvokers are invokedBy values that mean a person in the AWS
// Management Console, not a service acting on its own: the console signs
// such requests through the sign-in service or as "AWS Internal".
var consoleInvokers = map[string]bool{
	"signin.amazonaws.com": true, "console.amazonaws.com": true, "aws internal": true,
}

// Actor says who made the call beyond the principal: a person in the
// console, an AWS service (its own principal, or invokedBy naming a
// service that acted for the principal, such as CloudFormation or Auto
// Scaling), or "" for a direct API, SDK or CLI call.
func (r *CloudTrailRecord) Actor() string {
	u := r.UserIdentity
	inv := strings.ToLower(strings.TrimSpace(u.InvokedBy))
	switch {
	case consoleInvokers[inv], strings.EqualFold(r.SessionCredentialFromConsole, "true"),
		strings.EqualFold(u.SessionCtxt.SessionCredentialFromConsole, "true"):
		return telemetry.ActorConsole
	case u.Type == "AWSService", inv != "":
		return telemetry.ActorAWSService
	case consoleAgent(r.UserAgent):
		return telemetry.ActorConsole
	}
	return ""
}

// consoleAgent reports whether a user agent is the console's: "AWS
// Internal", "signin.amazonaws.com", or a service console such as
// "console.ec2.amazonaws.com".
func consoleAgent(ua string) bool {
	ua = strings.ToLower(strings.TrimSpace(ua))
	return ua == "aws internal" || ua == "signin.amazonaws.com" ||
		(strings.HasPrefix(ua, "console.") && strings.HasSuffix(ua, ".amazonaws.com"))
}

// Failed reports whether the call failed: an errorCode, or a sign-in
// whose outcome is in responseElements ({"ConsoleLogin": "Failure"}), as
// failed console sign-ins, CheckMfa and SwitchRole are recorded.
func (r *CloudTrailRecord) Failed() bool {
	return r.ErrorCode != "" || r.outcome() == "Failure"
}

// outcome is responseElements[eventName] when it is a string.
func (r *CloudTrailRecord) outcome() string {
	if len(r.ResponseElements) == 0 || r.ResponseElements[0] != '{' {
		return ""
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(r.ResponseElements, &m) != nil {
		return ""
	}
	var v string
	if json.Unmarshal(m[r.EventName], &v) != nil {
		return ""
	}
	return v
}

// Event reduces the record to a telemetry.CloudTrailEvent, with request
// parameters flattened into at most maxParamBytes.
func (r *CloudTrailRecord) Event(maxParamBytes int) telemetry.CloudTrailEvent {
	t, _ := r.Time()
	ev := telemetry.CloudTrailEvent{
		Time: t, ID: r.EventID, Source: r.EventSource, Name: r.EventName,
		ReadOnly: r.IsReadOnly(), Category: r.EventCategory,
		Principal: r.Principal(), PrincipalType: r.UserIdentity.Type, InvokedBy: r.UserIdentity.InvokedBy,
		SourceIP: r.SourceIPAddress, UserAgent: clipString(r.UserAgent, 120), Region: r.AWSRegion,
		Account: r.RecipientAccountID, ErrorCode: r.ErrorCode, ErrorMessage: clipString(r.ErrorMessage, 300),
	}
	if ev.Account == "" {
		ev.Account = r.UserIdentity.AccountID
	}
	if a := r.UserIdentity.AccountID; a != "" && a != ev.Account {
		ev.CallerAccount = a
	}
	ev.Actor = r.Actor()
	if ev.ErrorCode == "" && r.Failed() {
		ev.ErrorCode = r.EventName + "Failure"
		if ev.ErrorMessage == "" {
			ev.ErrorMessage = r.EventName + ": Failure"
		}
	}
	if d := r.InsightDetails; d != nil {
		ev.Insight = strings.TrimSpace(d.InsightType + " " + d.State)
		st := d.InsightContext.Statistics
		if st.Insight.Average != nil && st.Baseline.Average != nil {
			ev.Insight += fmt.Sprintf(": %.3g/min against a baseline of %.3g/min", *st.Insight.Average, *st.Baseline.Average)
		}
	}
	for _, res := range r.Resources {
		if res.ARN != "" {
			ev.Resources = append(ev.Resources, res.ARN)
		}
	}
	ev.Request = FlattenParams(r.RequestParameters, maxParamBytes)
	// What the call did, within half the budget again; a bare return
	// flag or request id says nothing.
	for _, leaf := range FlattenParams(r.ResponseElements, maxParamBytes/2) {
		if strings.HasPrefix(leaf, "…") || strings.HasPrefix(leaf, "_return=") || strings.HasPrefix(leaf, "requestId=") {
			continue
		}
		ev.Response = append(ev.Response, leaf)
	}
	return ev
}

// Matches applies every filter of q to the record. Sources that cannot push
// a filter to AWS apply it here, so all backends agree on what matches.
func (r *CloudTrailRecord) Matches(q telemetry.CloudTrailQuery) bool {
	if t, err := r.Time(); err != nil || !q.Window.Contains(t) {
		return false
	}
	if q.OnlyMutating && r.IsReadOnly() {
		return false
	}
	if q.ErrorsOnly && !r.Failed() {
		return false
	}
	if len(q.EventNames) > 0 && !slices.ContainsFunc(q.EventNames, equalFold(r.EventName)) {
		return false
	}
	if len(q.EventSources) > 0 && !slices.ContainsFunc(q.EventSources, equalFold(r.EventSource)) {
		return false
	}
	if len(q.Principals) > 0 {
		ok := false
		for _, p := range q.Principals {
			if r.principalIs(p) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if q.Resource != "" && !r.mentions(q.Resource) {
		return false
	}
	return true
}

// principalIs reports whether p (a user or role name, or an ARN) names the
// caller. A role name or role ARN matches every session of that role.
func (r *CloudTrailRecord) principalIs(p string) bool {
	u := r.UserIdentity
	if p == "" {
		return false
	}
	for _, s := range []string{u.ARN, u.UserName, u.SessionCtxt.SessionIssuer.ARN, u.SessionCtxt.SessionIssuer.UserName, u.InvokedBy, u.PrincipalID} {
		if s != "" && strings.EqualFold(s, p) {
			return true
		}
	}
	// A 12-digit account id matches every caller from that account, the
	// way to follow a cross-account principal (type AWSAccount).
	if isAccountID(p) {
		return u.AccountID == p || (u.AccountID == "" && accountOf(u.ARN) == p)
	}
	name := p
	if strings.HasPrefix(p, "arn:") {
		if strings.Contains(p, ":assumed-role/") {
			return false // a session ARN only matches itself, checked above
		}
		name = lastSegment(p)
	}
	kind, role, session := splitPrincipalARN(u.ARN)
	switch kind {
	case "assumed-role":
		return strings.EqualFold(name, role) || strings.EqualFold(name, session)
	case "user", "role":
		return strings.EqualFold(name, role)
	}
	return false
}

// splitPrincipalARN reads "arn:aws:sts::1:assumed-role/R/S" as
// ("assumed-role", R, S) and "arn:aws:iam::1:user/path/U" as ("user", U, "").
func splitPrincipalARN(arn string) (kind, name, session string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return "", "", ""
	}
	res := strings.Split(parts[5], "/")
	kind = res[0]
	switch {
	case kind == "assumed-role" && len(res) >= 3:
		return kind, res[1], res[len(res)-1]
	case len(res) >= 2:
		return kind, res[len(res)-1], ""
	}
	return kind, "", ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// accountOf is the account field of an ARN.
func accountOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 {
		return parts[4]
	}
	return ""
}

func lastSegment(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	res := parts[len(parts)-1]
	if i := strings.LastIndexAny(res, "/:"); i >= 0 {
		return res[i+1:]
	}
	return res
}

// mentions reports whether the resource name or ARN appears among the
// event's resources or in its request parameters.
func (r *CloudTrailRecord) mentions(resource string) bool {
	for _, res := range r.Resources {
		if strings.Contains(res.ARN, resource) {
			return true
		}
	}
	return strings.Contains(string(r.RequestParameters), resource)
}

// tellingKeys rank request-parameter keys by how much they usually say
// about what a change did; the first tier is kept first when the
// parameters must be cut, then the second, then the rest.
var tellingKeys = [][]string{
	{"secret", "valuefrom", "password", "policy", "effect", "cidr"},
	{"image", "taskdefinition", "desiredcount", "role", "port", "groupid", "environment", "version", "enabled", "state", "action", "name"},
}

func tellingRank(key string) int {
	key = strings.ToLower(key)
	for tier, words := range tellingKeys {
		for _, w := range words {
			if strings.Contains(key, w) {
				return tier
			}
		}
	}
	return len(tellingKeys)
}

// MaxParamBytes bounds the flattened request parameters kept per event.
// Generous, because the investigation links a change by every name in its
// request (a WAF rule added at the end of a list of twenty); tools trim
// what they show on their own.
const MaxParamBytes = 4096

// FlattenParams turns request parameters into "path=value" lines such as
// "containerDefinitions[0].secrets[0].valueFrom=arn:...", telling keys
// first, until maxBytes is used; a last line counts what was left out.
func FlattenParams(raw json.RawMessage, maxBytes int) []string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || v == nil {
		return nil
	}
	var leaves []string
	flatten("", v, &leaves)
	rank := func(s string) int { return tellingRank(s[:strings.IndexByte(s, '=')]) }
	sort.SliceStable(leaves, func(i, j int) bool { return rank(leaves[i]) < rank(leaves[j]) })
	var out []string
	used := 0
	for i, l := range leaves {
		if used+len(l) > maxBytes && len(out) > 0 {
			out = append(out, fmt.Sprintf("…%d more parameters", len(leaves)-i))
			break
		}
		out = append(out, l)
		used += len(l)
	}
	return out
}

// flatten walks a decoded JSON value; arrays keep their first 20 items.
func flatten(path string, v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flatten(p, x[k], out)
		}
	case []any:
		for i, item := range x {
			if i == 20 {
				*out = append(*out, fmt.Sprintf("%s[…]=%d more items", path, len(x)-20))
				break
			}
			flatten(fmt.Sprintf("%s[%d]", path, i), item, out)
		}
	case nil:
	default:
		s := fmt.Sprint(x)
		if f, ok := x.(float64); ok {
			s = fmt.Sprintf("%g", f)
		}
		*out = append(*out, path+"="+clipString(s, 200))
	}
}

// CloudTrailGroup counts the calls of one source, name and principal.
type CloudTrailGroup struct {
	Source    string    `json:"source"`
	Name      string    `json:"name"`
	Principal string    `json:"principal"`
	Count     int       `json:"count"`
	Errors    int       `json:"errors,omitempty"`
	Mutating  bool      `json:"mutating,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// SummarizeCloudTrail groups events by source, name and principal; write
// calls first, then the busiest.
func SummarizeCloudTrail(events []telemetry.CloudTrailEvent) []CloudTrailGroup {
	byKey := map[[3]string]*CloudTrailGroup{}
	var order []*CloudTrailGroup
	for _, ev := range events {
		k := [3]string{ev.Source, ev.Name, ev.Principal}
		g := byKey[k]
		if g == nil {
			g = &CloudTrailGroup{Source: ev.Source, Name: ev.Name, Principal: ev.Principal, FirstSeen: ev.Time, LastSeen: ev.Time, Mutating: !ev.ReadOnly}
			byKey[k] = g
			order = append(order, g)
		}
		g.Count++
		if ev.ErrorCode != "" {
			g.Errors++
		}
		if ev.Time.Before(g.FirstSeen) {
			g.FirstSeen = ev.Time
		}
		if ev.Time.After(g.LastSeen) {
			g.LastSeen = ev.Time
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].Mutating != order[j].Mutating {
			return order[i].Mutating
		}
		if order[i].Count != order[j].Count {
			return order[i].Count > order[j].Count
		}
		return order[i].LastSeen.After(order[j].LastSeen)
	})
	out := make([]CloudTrailGroup, len(order))
	for i, g := range order {
		out[i] = *g
	}
	return out
}

// notChanges are write-flagged calls that change nothing an incident could
// come from: signing in and getting credentials.
var notChanges = map[string]bool{
	"ConsoleLogin": true, "AssumeRole": true, "AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true,
	"GetSessionToken": true, "GetFederationToken": true, "StartSession": true, "CreateLogStream": true,
	"GetRoleCredentials": true, "Federate": true, "CheckMfa": true, "SwitchRole": true,
}

// readPrefixes begin the names of calls that only read, whatever a record
// says of itself (a trail written by hand or by a tool may flag a Describe
// as a write).
var readPrefixes = []string{"Describe", "Get", "List", "Head", "Lookup", "Search", "BatchGet", "Scan", "Select", "Preview", "Estimate", "Simulate"}

// pushSteps are the parts of an image push; the push is its PutImage.
var pushSteps = map[string]bool{"InitiateLayerUpload": true, "UploadLayerPart": true, "CompleteLayerUpload": true, "BatchCheckLayerAvailability": true}

// NotAChange reports write-flagged calls that change nothing an incident
// could come from, such as signing in or getting credentials, reads a
// record flags as writes, and the steps of an image push.
func NotAChange(eventName string) bool {
	if notChanges[eventName] || pushSteps[eventName] {
		return true
	}
	for _, p := range readPrefixes {
		if rest, ok := strings.CutPrefix(eventName, p); ok && (rest == "" || rest[0] >= 'A' && rest[0] <= 'Z') {
			return true
		}
	}
	return false
}

// RecentChanges picks the successful write calls nearest before end, the
// first suspects. People's changes (console, CLI, SDK, pipelines) come
// first, newest first; changes AWS services made (a rotation, a scaling
// action, a CloudFormation update) follow, labelled by Actor, in at most
// half of the n places unless nothing else changed, so a busy service
// cannot hide the change a person made. Sign-ins, credentials, data events and
// Insights events are not changes.
func RecentChanges(events []telemetry.CloudTrailEvent, end time.Time, n int) []telemetry.CloudTrailEvent {
	people, services := []telemetry.CloudTrailEvent{}, []telemetry.CloudTrailEvent{}
	for _, ev := range events {
		if ev.ReadOnly || ev.ErrorCode != "" || ev.Category == "Data" || ev.Category == "Insight" || ev.Insight != "" ||
			NotAChange(ev.Name) || ev.Time.After(end) {
			continue
		}
		if ev.Actor == "" && (ev.InvokedBy != "" || ev.PrincipalType == "AWSService") {
			ev.Actor = telemetry.ActorAWSService // events reduced elsewhere
		}
		if ev.Actor == telemetry.ActorAWSService {
			services = append(services, ev)
		} else {
			people = append(people, ev)
		}
	}
	newest := func(evs []telemetry.CloudTrailEvent) {
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.After(evs[j].Time) })
	}
	newest(people)
	newest(services)
	quota := max(n/2, 1)
	if len(people) < n-quota {
		quota = n - len(people)
	}
	if len(services) > quota {
		services = services[:quota]
	}
	if len(people) > n-len(services) {
		people = people[:n-len(services)]
	}
	return append(people, services...)
}

// clipString shortens s to n bytes on a rune boundary, marking the cut.
func clipString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// equalFold matches strings equal to s in any case, for slices.ContainsFunc.
func equalFold(s string) func(string) bool {
	return func(v string) bool { return strings.EqualFold(v, s) }
}
