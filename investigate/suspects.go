package investigate

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// suspect is a change with what ties it to the failure.
type suspect struct {
	ev        telemetry.CloudTrailEvent
	links     []link
	kind      string   // the failure kind it could cause, when nothing names it
	tokens    []string // the names it touches
	linkScore float64
	timeScore float64
	potency   float64
	automatic bool
	score     float64
	raw       float64 // score before rounding, plus a little per linked name
	likely    string
	ref       *item
	// exact: the change touches a resource the failure evidence names
	// strongly by that very name, not a longer or shorter one.
	exact bool
	// fits: the change is of the kind an AccessDenied message points at
	// (the denied resource's policy, the caller's role).
	fits bool
	// mech is how the change's class agrees with the failure's
	// signatures (mechanism.go); class and matched say which.
	mech    fit
	class   *changeClass
	matched string
	// rolledOutBy is the rollout that put this staged change into effect;
	// rollsOut the staged change this rollout put into effect, with the
	// names its request ties to the failure (see rollouts). Copies, not
	// pointers: the suspects are sorted afterwards.
	rolledOutBy, rollsOut *telemetry.CloudTrailEvent
	stagedNames           []string
	// note is what a rule of timing adds to the why (see timingRules).
	note string
	// unrolled: a staged change (an image, a task definition) nothing in
	// the trail put into effect.
	unrolled bool
}

// changeEvents keeps the calls that changed something: successful, not
// sign-ins or credential fetches. AWS services' own changes (a secret
// rotation, a scaling action) stay: they change things too.
func changeEvents(events []telemetry.CloudTrailEvent) (changes []telemetry.CloudTrailEvent, failed int) {
	for _, ev := range events {
		if ev.ReadOnly {
			continue
		}
		if ev.ErrorCode != "" {
			failed++
			continue
		}
		if evidence.NotAChange(ev.Name) {
			continue
		}
		changes = append(changes, ev)
	}
	return changes, failed
}

// routineKey groups the calls one principal repeats.
type routineKey struct{ name, principal string }

// routineCalls finds the calls a principal repeats on a schedule (an SSM
// agent's UpdateInstanceInformation every 40 s, a scaler's heartbeat): at
// least three before the window and, in the window, no more than three
// times as often, and the same request each time unless the call rarely
// breaks anything. They are the account's background, not suspects; a call
// that only began, sped up or changed its request with the incident stays
// a suspect.
func routineCalls(changes []telemetry.CloudTrailEvent, lookbackStart time.Time, win telemetry.Window) map[routineKey]bool {
	before, during := map[routineKey]int{}, map[routineKey]int{}
	// A potent call stays a suspect unless it repeats the very same request
	// (a scheduled apply that changed a value this time is a change).
	firstReq, varies := map[routineKey]string{}, map[routineKey]bool{}
	for _, ev := range changes {
		k := routineKey{ev.Name, ev.Principal}
		req := strings.Join(ev.Request, "\x00")
		if r, ok := firstReq[k]; !ok {
			firstReq[k] = req
		} else if r != req && potency(ev) >= 1 {
			varies[k] = true
		}
		switch {
		case ev.Time.Before(lookbackStart):
		case ev.Time.Before(win.Start):
			before[k]++
		case !ev.Time.After(win.End):
			during[k]++
		}
	}
	beforeSpan := win.Start.Sub(lookbackStart).Minutes()
	winSpan := win.Duration().Minutes()
	out := map[routineKey]bool{}
	for k, n := range before {
		if n < 3 || beforeSpan <= 0 || winSpan <= 0 || varies[k] {
			continue
		}
		// Routine is steady: spread over the time before, not one burst.
		if float64(during[k])/winSpan <= 3*float64(n)/beforeSpan && n+during[k] >= 6 {
			out[k] = true
		}
	}
	return out
}

// potency says how able an API call is to break a running system.
func potency(ev telemetry.CloudTrailEvent) float64 {
	n := ev.Name
	switch {
	case ev.Category == "Data":
		return 0.3
	case hasAnyPrefix(n, "Tag", "Untag", "CreateTags", "DeleteTags", "AddTags", "RemoveTags", "PutMetricData", "CreateLogStream", "PutLogEvents", "StartQuery", "SendCommand", "UpdateInstanceInformation", "CreateGrant", "RetireGrant", "GenerateDataKey", "Decrypt", "Encrypt", "PutEvaluations", "PutInsightSelectors"):
		return 0.2
	case n == "CreateDeployment" || n == "StartDeployment" || n == "StartInstanceRefresh" || n == "ExecuteChangeSet" || n == "CreateTaskSet" || n == "UpdateServicePrimaryTaskSet":
		return 1 // rollouts: they put staged changes into effect
	case hasAnyPrefix(n, "Update", "Put", "Attach", "Detach", "Delete", "Revoke", "Authorize", "Modify", "Register", "Deregister", "Rotate", "Replace", "Disable", "Enable", "Set", "Stop", "Terminate", "Reboot", "Remove", "Change", "Restore", "Reset", "Cancel", "Deactivate", "Publish"):
		return 1
	}
	return 0.6
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// automatic reports changes an AWS service made on its own (not on a
// person's behalf through a console): usually reactions to the incident
// (targets deregistered, tasks replaced), except for credentials and keys.
func automatic(ev telemetry.CloudTrailEvent) bool {
	return ev.PrincipalType == "AWSService" || strings.Contains(ev.Principal, ":assumed-role/AWSServiceRole")
}

// credentialChange is a change to secrets or keys, which AWS services make
// on a schedule and which break clients all the same.
func credentialChange(ev telemetry.CloudTrailEvent) bool {
	n := ev.Name
	return strings.Contains(n, "Secret") || strings.Contains(n, "Rotate") || strings.Contains(n, "Key") || strings.Contains(n, "Certificate") || strings.Contains(n, "Password") || strings.Contains(n, "AccessKey")
}

// changeTokens are the names a change touches: its resources and the
// values of its request parameters.
func changeTokens(ev telemetry.CloudTrailEvent) []string {
	seen := map[string]bool{}
	var out []string
	add := func(text string) {
		for _, id := range identifiers(text) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	for _, r := range ev.Resources {
		add(r)
	}
	for _, p := range append(append([]string(nil), ev.Request...), ev.Response...) {
		if i := strings.IndexByte(p, '='); i >= 0 {
			v := p[i+1:]
			if ecsScope(ev, p[:i]) || proseKey(p[:i]) {
				continue
			}
			add(v)
			// Plain single-word values of naming keys still name things:
			// tableName=orders, functionName=payments.
			k := strings.ToLower(p[:i])
			if !strings.ContainsAny(v, " /:-_") && (strings.HasSuffix(k, "name") || strings.HasSuffix(k, "id") || strings.HasSuffix(k, "arn") || strings.HasSuffix(k, "service") || strings.HasSuffix(k, "family") || strings.HasSuffix(k, "cluster") || strings.HasSuffix(k, "queueurl")) {
				v = strings.ToLower(strings.Trim(v, `"`))
				if usefulIdentifier(v) && !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// otherSide reports a capacity change to one side of a table or stream
// (reads) while only the other side's failure metrics rose (writes): a
// read scaling policy does not throttle writes.
func otherSide(ev telemetry.CloudTrailEvent, failing []string) bool {
	if len(failing) == 0 {
		return false
	}
	var read, write bool
	for _, p := range ev.Request {
		lp := strings.ToLower(p)
		read = read || strings.Contains(lp, "read")
		write = write || strings.Contains(lp, "write")
	}
	if read == write {
		return false
	}
	sided := false
	for _, m := range failing {
		ml := strings.ToLower(m)
		if read && strings.Contains(ml, "read") || write && strings.Contains(ml, "write") {
			return false
		}
		sided = sided || strings.Contains(ml, "read") || strings.Contains(ml, "write")
	}
	return sided
}

// proseKey reports a request key whose value is prose for people (a
// secret's or a rule's description): the names in it are mentioned, not
// touched.
func proseKey(key string) bool {
	k := strings.ToLower(key)
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	return k == "description" || k == "comment" || k == "comments" || k == "note" || k == "notes"
}

// ecsScope reports an ECS request or response key that names the cluster a
// service runs in: every service of the cluster shares it, so it says
// nothing about which service a change touched.
func ecsScope(ev telemetry.CloudTrailEvent, key string) bool {
	if ev.Source != "ecs.amazonaws.com" {
		return false
	}
	k := strings.ToLower(key)
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	return (k == "cluster" || k == "clusterarn") && !strings.Contains(ev.Name, "Cluster")
}

// traceSuspects, when a test sets it, sees the suspects after scoring and
// after the rules: how a change came to its likelihood.
var traceSuspects func(stage string, ss []suspect)

// scoreSuspects ranks the changes by how plausibly they caused the
// incident: how shortly before the onset they came, and whether the
// resources they touch are implicated by the failure evidence. A change
// that touches nothing implicated is never likely, however well timed.
func scoreSuspects(changes []telemetry.CloudTrailEvent, im *implicated, arch architecture, seen map[string]bool, onset *time.Time, sc *scope) []suspect {
	var out []suspect
	for _, ev := range changes {
		s := suspect{ev: ev, potency: potency(ev), automatic: automatic(ev)}
		tokens := changeTokens(ev)
		s.tokens = tokens
		s.mech, s.class, s.matched = mechanismFit(ev, seen)
		if s.mech != fitMismatch && (privateOnlyRoute(ev) && im.failsAtPublicHosts() || ingressChange(ev) && im.failsLeavingTheVPC() || otherSide(ev, im.failingMetrics) || im.otherRecords(ev)) {
			s.mech, s.matched = fitMismatch, "" // see routes.go
		}
		s.links = im.linkTo(tokens)
		s.links = append(s.links, im.linkVia(arch, tokens, credentialChange(ev), s.links)...)
		if s.mech == fitMatch && s.matched == sigAuthentication {
			// A credential's name says what it opens.
			s.links = append(s.links, im.linkByWords(tokens, s.links)...)
		}
		s.linkScore = linkScore(s.links)
		s.exact = exactLink(s.links)
		for _, d := range im.denials {
			s.fits = s.fits || fitsDenial(ev, tokens, d)
		}
		if s.linkScore < kindWeight && s.mech == fitMatch {
			s.kind, s.linkScore = s.matched, kindWeight
		}
		s.timeScore = timeScore(ev.Time, onset, sc)
		if delayedEffect(ev) && s.timeScore < 0.8 && onset != nil && ev.Time.Before(*onset) && onset.Sub(ev.Time) <= delayedLookback {
			s.timeScore = 0.8 // it acts hours later by design
		}
		s.score = (0.55*s.linkScore + 0.35*s.timeScore + 0.10*s.potency) * fitFactor[s.mech]
		if s.automatic && !credentialChange(ev) {
			s.score *= 0.6
		}
		if s.potency < 0.5 {
			s.score *= 0.6
		}
		afterOnset := onset != nil && ev.Time.Sub(*onset) > onsetGrace(onset)
		if afterOnset {
			s.score *= 0.5 // it may be the fix, not the cause
		}
		s.raw = s.score + 0.01*float64(len(s.links))
		if s.mech == fitMatch {
			s.raw += 0.05
		}
		if s.exact {
			s.raw += 0.05
		}
		if s.fits {
			s.raw += 0.1
		}
		s.score = math.Round(s.score*100) / 100
		// A certificate that expired was expired by time: a change that
		// only can cause certificate errors is not why.
		timeDidIt := s.mech == fitPlausible && s.matched == sigExpired
		switch {
		case timeDidIt && s.score >= 0.35 && !afterOnset:
			s.likely = Possible
		case s.linkScore >= 0.7 && s.timeScore >= 0.5 && s.score >= 0.6 && s.potency >= 0.5 && (!s.automatic || credentialChange(ev)) && s.mech != fitMismatch:
			s.likely = Likely
		case s.score >= 0.35 && !afterOnset && !(s.automatic && !credentialChange(ev) && onset != nil && ev.Time.After(*onset)):
			// An AWS service acting after the failures began is reacting
			// to them (targets deregistered, tasks replaced).
			s.likely = Possible
		default:
			s.likely = Unlikely
		}
		out = append(out, s)
	}
	if traceSuspects != nil {
		traceSuspects("scored", out)
	}
	for _, rule := range []struct {
		name  string
		apply func([]suspect)
	}{
		{"rollouts", rollouts},
		{"stack steps", stackSteps},
		{"scheduled runs", func(ss []suspect) { scheduledRuns(ss, onset) }},
		{"follow-ups", demoteFollowUps},
		{"weaker links", demoteWeakerLinks},
		{"specific requests", preferSpecificRequests},
		{"timing", func(ss []suspect) { timingRules(ss, onset) }},
		{"unrolled", yieldUnrolled},
	} {
		rule.apply(out)
		if traceSuspects != nil {
			traceSuspects(rule.name, out)
		}
	}
	sortSuspects(out)
	return out
}

// sortSuspects orders suspects by likelihood, then by their evidence.
func sortSuspects(out []suspect) {
	rankLikelihood := map[string]int{Likely: 0, Possible: 1, Unlikely: 2}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rankLikelihood[a.likely] != rankLikelihood[b.likely] {
			return rankLikelihood[a.likely] < rankLikelihood[b.likely]
		}
		if a.raw != b.raw {
			return a.raw > b.raw
		}
		// Equal evidence: the first change of a chain (code before alias,
		// task definition before service) is the cause.
		return a.ev.Time.Before(b.ev.Time)
	})
}

// loadExplains makes possible the likely changes that can but do not
// typically cause what failed, when what failed is throttling, slowness or
// exhaustion and the load rose — before the change, or at any time when
// the load is another resource's: more work arriving explains a rate
// limit's 429s without a deploy that happened to come in between.
func loadExplains(ss []suspect, m *metricMove) {
	changed := false
	for i := range ss {
		s := &ss[i]
		// A change made before the load rose may have caused it (a retry
		// storm), unless the load is another resource's (a batch job's).
		if s.likely != Likely || s.mech != fitPlausible || s.ev.Time.Before(m.dep.Start) && touchesMetric(s, m) {
			continue
		}
		switch s.matched {
		case sigThrottling, sigLatency, sigExhaustion, sigBacklog:
			s.likely = Possible
			s.note = fmt.Sprintf("the load rose with the failures (%s from %.4g to %.4g), which explains %s", evidence.MetricKey(m.stat.Metric), *m.summary.BaselineMean, m.dep.Peak, s.matched)
			changed = true
		}
	}
	if changed {
		sortSuspects(ss)
	}
}

// dependencyExplains makes possible the likely changes that can but do not
// typically cause what failed and do not touch the dependency whose own
// latency rose: it slowed down on its side.
func dependencyExplains(ss []suspect, m *metricMove) {
	changed := false
	for i := range ss {
		s := &ss[i]
		if s.likely != Likely || s.mech != fitPlausible || touchesMetric(s, m) {
			continue
		}
		s.likely = Possible
		s.note = fmt.Sprintf("%s rose on AWS's side with the failures (from %.4g to %.4g): the dependency slowed down", evidence.MetricKey(m.stat.Metric), *m.summary.BaselineMean, m.dep.Peak)
		changed = true
	}
	if changed {
		sortSuspects(ss)
	}
}

// touchesMetric reports a change that names one of a metric's dimension
// values: the metric is about what the change changed.
func touchesMetric(s *suspect, m *metricMove) bool {
	for _, d := range m.stat.Metric.Dimensions {
		v := strings.ToLower(d.Value)
		for _, tok := range s.tokens {
			if sameResource(tok, v) || partOf(tok, v) || partOf(v, tok) {
				return true
			}
		}
	}
	return false
}

// notBeforeRunningOut makes possible the likely changes made after a finite
// resource had begun to run out (free storage falling for hours, credits
// draining): what was already running out was not run out by them.
func notBeforeRunningOut(ss []suspect, m *metricMove, since time.Time) {
	for i := range ss {
		if s := &ss[i]; s.likely == Likely && s.ev.Time.After(since) {
			s.likely = Possible
			s.note = fmt.Sprintf("%s was already running out since %s", evidence.MetricKey(m.stat.Metric), since.UTC().Format("15:04"))
		}
	}
	sortSuspects(ss)
}

// Timing, as an SRE weighs it: the cause of a failure usually acts within
// minutes. Beyond closeNow of the onset a change needs more to stay likely.
const (
	// closeNow is how near before the onset a change counts as right
	// before it.
	closeNow = 15 * time.Minute
	// longBefore is how far before the onset a change is old news when a
	// likely change came right before it.
	longBefore = 25 * time.Minute
	// settleTime is how long a change that acts at once (see
	// changeClass.immediate) may precede the onset and still be its
	// cause, when a likely change came nearer to it.
	settleTime = 5 * time.Minute
)

// timingRules adjusts likelihood where the scores cannot:
//   - among likely changes, one of a kind that typically causes what
//     failed makes those that only can possible;
//   - a change of a kind that can but does not typically cause what
//     failed is likely only right before the onset;
//   - a likely change long before the onset, while another likely one came
//     right before it, is possible: the nearer explanation wins (a
//     function's timeout raised 40 minutes earlier, then its table name
//     changed 20 seconds before the errors);
//   - when no change is likely, the one change right before the onset of
//     the kind that typically causes what failed is likely, though no
//     evidence names its resource: network rules and routes are rarely
//     named by the applications they cut off. Two such changes, and
//     neither is.
func timingRules(ss []suspect, onset *time.Time) {
	if onset == nil {
		return
	}
	before := func(s *suspect) time.Duration { return onset.Sub(s.ev.Time) }
	// A change that typically causes what failed outranks, among the
	// likely, one that only can: a new access key does not disable the
	// old one that AWS now rejects.
	typicalLikely := false
	for i := range ss {
		typicalLikely = typicalLikely || ss[i].likely == Likely && ss[i].mech == fitMatch
	}
	for i := range ss {
		if s := &ss[i]; typicalLikely && s.likely == Likely && s.mech == fitPlausible {
			s.likely = Possible
		}
	}
	near := func(s *suspect) bool { d := before(s); return d > -onsetGrace(onset) && d <= closeNow }
	for i := range ss {
		s := &ss[i]
		if s.likely == Likely && s.mech == fitPlausible && !near(s) {
			s.likely = Possible
			s.note = "long before the onset for a change that does not typically cause " + s.matched
		}
	}
	var nearLikely *suspect
	for i := range ss {
		if s := &ss[i]; s.likely == Likely && !s.unrolled && near(s) && (nearLikely == nil || s.raw > nearLikely.raw) {
			nearLikely = s
		}
	}
	if nearLikely != nil {
		for i := range ss {
			s := &ss[i]
			// A change that acts at once (a route, a rule, a policy) and
			// broke nothing for minutes did not break it now.
			settled := s.class != nil && s.class.immediate && before(s) > before(nearLikely)+settleTime
			if s != nearLikely && s.likely == Likely && (before(s) > longBefore || settled) {
				s.likely = Possible
				s.note = fmt.Sprintf("the %s came %s before the onset", nearLikely.ev.Name, humanDur(max(before(nearLikely), 0)))
				if settled && before(s) <= longBefore {
					s.note = fmt.Sprintf("a %s change acts at once, yet nothing failed until the %s came %s before the onset", s.class.name, nearLikely.ev.Name, humanDur(max(before(nearLikely), 0)))
				}
			}
		}
		return
	}
	for i := range ss {
		if ss[i].likely == Likely && !ss[i].unrolled {
			return
		}
	}
	var cands []*suspect
	for i := range ss {
		s := &ss[i]
		// An AWS service's change counts only when it is a credential's (a
		// scheduled rotation): its other changes react to the incident.
		if s.mech != fitMatch || strongLinks(s.links) || s.automatic && !credentialChange(s.ev) || s.potency < 0.5 || s.rolledOutBy != nil || s.unrolled || !near(s) {
			continue
		}
		cands = append(cands, s)
	}
	cands = firstSteps(cands)
	if len(cands) > 1 {
		// Several of the kind: the one background evidence names (a
		// secret sharing a word with the failing login, a group named in
		// a start-up line) over those nothing names.
		var named []*suspect
		for _, s := range cands {
			if len(s.links) > 0 {
				named = append(named, s)
			}
		}
		cands = named
	}
	var only *suspect
	if len(cands) == 1 {
		only = cands[0]
	}
	if only != nil {
		only.likely = Likely
		only.note = fmt.Sprintf("no other change of that kind came in the %.0f minutes before the onset", closeNow.Minutes())
		if len(only.links) > 0 && only.class != nil {
			// The why names only background links: say the kind here.
			only.note = article(only.class.name) + " change is what typically causes " + only.matched + ", and " + only.note
		}
	}
}

// firstSteps keeps, of changes that are steps of one (a rotation's
// RotateSecret and PutSecretValue seconds apart on the same secret), the
// first.
func firstSteps(cands []*suspect) []*suspect {
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].ev.Time.Before(cands[j].ev.Time) })
	var out []*suspect
	for _, s := range cands {
		step := false
		for _, f := range out {
			step = step || s.ev.Time.Sub(f.ev.Time) <= time.Minute && shareToken(s.tokens, f.tokens)
		}
		if !step {
			out = append(out, s)
		}
	}
	return out
}

// strongLinks reports a link by failure evidence, not only background.
func strongLinks(links []link) bool {
	for _, l := range links {
		if strongLink(l) {
			return true
		}
	}
	return false
}

// wordLink is the link by a word of the name when every link is one.
func wordLink(links []link) *link {
	var w *link
	for i := range links {
		if links[i].word == "" {
			return nil
		}
		if w == nil {
			w = &links[i]
		}
	}
	return w
}

// strongLink reports a link by failure evidence, not background.
func strongLink(l link) bool {
	for _, v := range l.via {
		if v.weight >= 0.7 {
			return true
		}
	}
	return false
}

// exactLink reports whether some link names the change's resource exactly
// and strongly.
func exactLink(links []link) bool {
	for _, l := range links {
		if !l.exact {
			continue
		}
		for _, v := range l.via {
			if v.weight >= 0.7 {
				return true
			}
		}
	}
	return false
}

// demoteFollowUps ranks the first change of a chain above the ones that
// follow it: the same principal touching the same resource within minutes
// (code then alias, task definition then service), or one service's burst
// of calls on it (a secret rotation's steps), is one change, and its first
// step is where it went wrong.
func demoteFollowUps(ss []suspect) {
	for j := range ss {
		for i := range ss {
			a, b := &ss[i], &ss[j]
			if i == j || !a.ev.Time.Before(b.ev.Time) {
				continue
			}
			gap := b.ev.Time.Sub(a.ev.Time)
			samePrincipal := a.ev.Principal == b.ev.Principal && gap <= 5*time.Minute
			// A workflow's burst: a rotation's steps come from different
			// principals but the same service, seconds apart.
			sameBurst := a.ev.Source == b.ev.Source && gap <= time.Minute
			if !samePrincipal && !sameBurst {
				continue
			}
			// The step whose mechanism matches the failure is the cause,
			// whatever came first (a TTL setting, then the capacity change
			// in one apply); a rollout is ranked by rollouts.
			if b.mech > a.mech || b.rollsOut != nil || a.rolledOutBy != nil {
				continue
			}
			if shareToken(a.tokens, b.tokens) {
				b.raw -= 0.05
				break
			}
		}
	}
}

// preparation is a change that stages something without running it (a
// task definition, a function version, a launch template version) and
// the calls that put it into effect, which must name what they roll out
// (a task definition, a version, a launch template) in their request.
type preparation struct {
	staged, rollout *regexp.Regexp
	names           string // the request key word a rollout names it by
	// when narrows the staged calls (an UpdateAutoScalingGroup that only
	// points at a new launch template); nil: all.
	when func(ev telemetry.CloudTrailEvent) bool
	// inert: staged, it changes nothing that runs until rolled out (an
	// image pushed, a layer published), so it is never likely alone.
	inert bool
}

var preparations = []preparation{
	{staged: regexp.MustCompile(`^RegisterTaskDefinition$`), rollout: regexp.MustCompile(`^(UpdateService|CreateService|CreateTaskSet|RunTask|StartTask)$`), names: "taskdefinition"},
	{staged: regexp.MustCompile(`^PublishVersion$`), rollout: regexp.MustCompile(`^(UpdateAlias|CreateAlias|PutProvisionedConcurrencyConfig)$`), names: "functionversion"},
	{staged: regexp.MustCompile(`^CreateLaunchTemplateVersion$`), rollout: regexp.MustCompile(`^(UpdateAutoScalingGroup|CreateAutoScalingGroup|ModifyLaunchTemplate|StartInstanceRefresh)$`), names: "launchtemplate"},
	{staged: regexp.MustCompile(`^CreateApplicationVersion$`), rollout: regexp.MustCompile(`^UpdateEnvironment$`), names: "versionlabel"},
	{staged: regexp.MustCompile(`^CreateChangeSet$`), rollout: regexp.MustCompile(`^ExecuteChangeSet$`), names: "changeset"},
	{staged: regexp.MustCompile(`^CreateHostedConfigurationVersion$`), rollout: regexp.MustCompile(`^StartDeployment$`), names: "configurationversion"},
	{staged: regexp.MustCompile(`^RegisterJobDefinition$`), rollout: regexp.MustCompile(`^SubmitJob$`), names: "jobdefinition"},
	// An image pushed runs once a task definition or a function names it;
	// a layer once a function's configuration lists it.
	{staged: regexp.MustCompile(`^PutImage$`), rollout: regexp.MustCompile(`^(RegisterTaskDefinition|UpdateFunctionCode|CreateFunction)$`), names: "image", inert: true},
	{staged: regexp.MustCompile(`^PublishLayerVersion$`), rollout: regexp.MustCompile(`^(UpdateFunctionConfiguration|CreateFunction)$`), names: "layers", inert: true},
	// An API's integrations and methods take effect when deployed to a stage.
	{staged: regexp.MustCompile(`^(Put|Update|Delete)(Integration|IntegrationResponse|Method|MethodResponse)$|^(Create|Update|Delete)Resource$`), rollout: regexp.MustCompile(`^CreateDeployment$`), names: "restapiid"},
	// A certificate imported or requested anew is used once a listener,
	// a distribution or a domain names it (a re-import over an existing
	// ARN takes effect at once, and is not staged).
	{staged: regexp.MustCompile(`^(ImportCertificate|RequestCertificate)$`), rollout: regexp.MustCompile(`^(ModifyListener|AddListenerCertificates|CreateListener|UpdateDistribution|CreateDomainName|UpdateDomainName)$`), names: "certificate", inert: true,
		when: func(ev telemetry.CloudTrailEvent) bool {
			return ev.Name == "RequestCertificate" || !requestHas(ev, "certificatearn")
		}},
	// A stack update changes what its template says through calls
	// CloudFormation makes (see stackSteps), not by itself.
	// A group pointed at a new launch template replaces no running
	// instance until an instance refresh (or scaling) does.
	{staged: regexp.MustCompile(`^UpdateAutoScalingGroup$`), rollout: regexp.MustCompile(`^StartInstanceRefresh$`), names: "autoscalinggroupname",
		when: func(ev telemetry.CloudTrailEvent) bool {
			return requestHas(ev, "launchtemplate", "mixedinstancespolicy") && !requestHas(ev, "desiredcapacity", "minsize", "maxsize")
		}},
}

// rollouts ranks the change that took effect above the one that only
// staged it: a new task definition changes nothing until UpdateService
// rolls it out. The rollout gets at least the preparation's standing and
// its why names the preparation; the preparation ranks below it and is
// not likely on its own.
func rollouts(ss []suspect) {
	// Earliest first, so that standing flows down a chain: a launch template
	// version, the group pointed at it, the instance refresh that rolls it.
	order := make([]int, len(ss))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ss[order[a]].ev.Time.Before(ss[order[b]].ev.Time) })
	for _, i := range order {
		p := &ss[i]
		name := versionSuffix.ReplaceAllString(p.ev.Name, "")
		for _, prep := range preparations {
			if !prep.staged.MatchString(name) || prep.when != nil && !prep.when(p.ev) {
				continue
			}
			var r *suspect
			for j := range ss {
				c := &ss[j]
				cn := versionSuffix.ReplaceAllString(c.ev.Name, "")
				if j == i || !prep.rollout.MatchString(cn) || c.ev.Time.Before(p.ev.Time) || c.ev.Time.Sub(p.ev.Time) > 6*time.Hour ||
					!requestHas(c.ev, prep.names) || !shareToken(p.tokens, c.tokens) {
					continue
				}
				if r == nil || c.ev.Time.Before(r.ev.Time) {
					r = c
				}
			}
			if r == nil {
				p.unrolled = true
				if prep.inert && p.likely == Likely {
					p.likely = Possible // pushed, deployed by nothing
				}
				continue
			}
			pev, rev := p.ev, r.ev
			p.rolledOutBy, r.rollsOut = &rev, &pev
			have := map[string]bool{}
			for _, l := range r.links {
				have[l.token] = true
			}
			var staged []string
			for _, l := range p.links {
				if !have[l.token] && strongLink(l) {
					staged = append(staged, l.token)
				}
			}
			// The shortest names read best; hosts and ARNs repeat them.
			sort.SliceStable(staged, func(i, j int) bool { return len(staged[i]) < len(staged[j]) })
			r.stagedNames = staged[:min(len(staged), 2)]
			rank := map[string]int{Likely: 0, Possible: 1, Unlikely: 2}
			if rank[p.likely] < rank[r.likely] && r.mech != fitMismatch {
				r.likely = p.likely
			}
			if p.score > r.score {
				r.score = p.score
			}
			if p.raw >= r.raw {
				r.raw = p.raw + 0.01
			}
			if len(r.links) == 0 {
				r.links = p.links
			}
			if p.likely == Likely {
				p.likely = Possible
			}
			// It took effect only through the rollout.
			p.score = math.Round(math.Min(p.score, r.score)*0.9*100) / 100
			p.raw = math.Min(p.raw, r.raw-0.02)
		}
	}
}

// stackSteps credits a stack update with the changes CloudFormation made
// for it: a function's configuration updated by cloudformation.amazonaws.com
// minutes after an UpdateStack is that update's doing. The update takes the
// step's standing; the step is possible, as a preparation is.
func stackSteps(ss []suspect) {
	for i := range ss {
		st := &ss[i]
		if n := versionSuffix.ReplaceAllString(st.ev.Name, ""); n != "UpdateStack" && n != "ExecuteChangeSet" && n != "CreateStack" {
			continue
		}
		for j := range ss {
			c := &ss[j]
			if j == i || !strings.Contains(c.ev.InvokedBy+" "+c.ev.UserAgent, "cloudformation") || c.ev.Time.Before(st.ev.Time) || c.ev.Time.Sub(st.ev.Time) > 30*time.Minute {
				continue
			}
			rank := map[string]int{Likely: 0, Possible: 1, Unlikely: 2}
			if rank[c.likely] < rank[st.likely] {
				st.likely = c.likely
			}
			st.score = math.Max(st.score, c.score)
			st.raw = math.Max(st.raw, c.raw+0.01)
			if len(st.links) == 0 {
				st.links = c.links
			}
			if c.likely == Likely {
				c.likely = Possible
			}
			c.note = fmt.Sprintf("made by CloudFormation for the %s at %s", st.ev.Name, st.ev.Time.UTC().Format("15:04:05"))
			c.raw = math.Min(c.raw, st.raw-0.02)
		}
	}
}

// scheduledRuns credits a scheduled action with the scaling it made: an
// AWS service's capacity change right at the onset, on what the failure
// names, that a PutScheduledAction earlier set up. The schedule is the
// change a person made; the scaling is its run.
func scheduledRuns(ss []suspect, onset *time.Time) {
	if onset == nil {
		return
	}
	for i := range ss {
		run := &ss[i]
		if !run.automatic || run.mech != fitMatch || run.linkScore < 0.5 || run.class == nil || run.class.name != "capacity" {
			continue
		}
		if d := onset.Sub(run.ev.Time); d > closeNow || d < -onsetGrace(onset) {
			continue
		}
		for j := range ss {
			p := &ss[j]
			n := p.ev.Name
			if n != "PutScheduledAction" && n != "PutScheduledUpdateGroupAction" && n != "BatchPutScheduledUpdateGroupAction" || !p.ev.Time.Before(run.ev.Time) || !shareToken(p.tokens, run.tokens) {
				continue
			}
			p.likely = Likely
			p.mech, p.matched = run.mech, run.matched
			p.score = math.Max(p.score, run.score)
			p.raw = math.Max(p.raw, run.raw+0.01)
			if len(p.links) == 0 {
				p.links = run.links
			}
			p.note = fmt.Sprintf("its schedule ran as the %s at %s", run.ev.Name, run.ev.Time.UTC().Format("15:04:05"))
		}
	}
}

// yieldUnrolled makes a staged change that nothing put into effect
// possible when another change is likely: pushed or registered, it changed
// nothing that runs. Alone it keeps its standing, as the rollout may be
// missing from the trail (another region, a tool that is not logged).
func yieldUnrolled(ss []suspect) {
	other := false
	for _, s := range ss {
		other = other || s.likely == Likely && !s.unrolled
	}
	for i := range ss {
		s := &ss[i]
		if !s.unrolled {
			continue
		}
		if s.note == "" && s.linkScore >= 0.7 {
			s.note = "staged only: nothing in the trail put it into effect"
		}
		if other && s.likely == Likely {
			s.likely = Possible
		}
	}
}

func shareToken(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if partOf(x, y) || partOf(y, x) {
				return true
			}
		}
	}
	return false
}

// demoteWeakerLinks keeps "likely" for the changes the evidence ties most
// closely: when one change touches the failing resource by its exact name,
// a change tied only through a longer or shorter name, or through clearly
// weaker evidence (an alarm's dimension against the failing resource in
// the error), is possible, not likely. Scores near the top otherwise tie
// the cause, a decoy and an old change.
func demoteWeakerLinks(out []suspect) {
	best, bestFits := 0.0, false
	for _, s := range out {
		if s.unrolled {
			continue // staged, never run: it sets no bar for the others
		}
		if s.likely == Likely && s.exact && s.linkScore > best {
			best = s.linkScore
		}
		// Only a change that typically denies says the others are not it:
		// a policy attached to the caller grants more, it fits only in kind.
		bestFits = bestFits || s.likely == Likely && s.exact && s.fits && s.mech == fitMatch
	}
	if best == 0 {
		return
	}
	for i := range out {
		s := &out[i]
		if s.likely != Likely {
			continue
		}
		// An AccessDenied message that says which kind of policy refused
		// the call points at one change; others on the same role are not it.
		if !s.exact || s.linkScore < best-0.25 || bestFits && !s.fits {
			s.likely = Possible
		}
	}
}

// preferSpecificRequests keeps "likely" for the one of two calls of the
// same API on the same resource whose request names more of what failed:
// two edits of one web ACL both name the ACL, but only the one that added
// the rule the blocked requests name put it there (an edit that resends
// the whole list repeats the earlier rules). The other is possible.
func preferSpecificRequests(out []suspect) {
	strong := func(s *suspect) map[string]bool {
		m := map[string]bool{}
		for _, l := range s.links {
			if l.exact && strongLink(l) {
				m[l.token] = true
			}
		}
		return m
	}
	for i := range out {
		a := &out[i]
		if a.likely != Likely {
			continue
		}
		as := strong(a)
		for j := range out {
			b := &out[j]
			if i == j || b.likely != Likely || b.ev.Name != a.ev.Name {
				continue
			}
			bs := strong(b)
			if len(bs) <= len(as) || !subset(as, bs) {
				continue
			}
			extra := ""
			for t := range bs {
				if !as[t] && (extra == "" || t < extra) {
					extra = t
				}
			}
			a.likely = Possible
			a.note = fmt.Sprintf("the %s at %s also names %s, which the failure evidence names; this one does not", b.ev.Name, b.ev.Time.UTC().Format("15:04:05"), extra)
			break
		}
	}
}

// subset reports whether every key of small is in big, and they share one.
func subset(small, big map[string]bool) bool {
	if len(small) == 0 {
		return false
	}
	for k := range small {
		if !big[k] {
			return false
		}
	}
	return true
}

// linkScore is the strongest evidence naming the change's resources, with a
// little more for each further kind of evidence that agrees.
func linkScore(links []link) float64 {
	best := 0.0
	kinds := map[string]bool{}
	tokens := 0
	for _, l := range links {
		strongToken := false
		for _, v := range l.via {
			best = math.Max(best, v.weight)
			if v.weight >= 0.7 {
				kinds[v.what] = true
				strongToken = true
			}
		}
		if strongToken {
			tokens++
		}
	}
	if best == 0 {
		return 0
	}
	extra := 0.1*float64(max(len(kinds)-1, 0)) + 0.05*float64(max(tokens-1, 0))
	return math.Min(1, best+math.Min(extra, 0.3))
}

// timeScore is 1 for a change in the hour before the onset (or within its
// first bin: onsets are dated to the minute), falling off further back,
// and near 0 for a change after the onset, which cannot have caused it.
func timeScore(t time.Time, onset *time.Time, sc *scope) float64 {
	ref := sc.window.End
	if onset != nil {
		ref = *onset
	}
	d := ref.Sub(t)
	switch {
	case d < -onsetGrace(onset):
		return 0.05
	case d < 0:
		return 0.9 // after the onset, within the onset's own minute
	case d <= 30*time.Minute:
		// Nearer the onset is a little more plausible, all else equal.
		return 1 - 0.1*d.Minutes()/30
	case d <= 6*time.Hour:
		return math.Max(0.3, 1-(d-30*time.Minute).Hours()/6)
	}
	return 0.2
}

// onsetGrace is how long after the onset a change still counts as before
// it: an onset dated only to its minute may precede the change that
// caused it by up to that minute; one dated to the first failing event
// leaves only clock skew.
func onsetGrace(onset *time.Time) time.Duration {
	if onset != nil && onset.Second() == 0 && onset.Nanosecond() == 0 {
		return 90 * time.Second
	}
	return 15 * time.Second
}

// why says in words what ties a suspect to the failure, naming the
// evidence ids; ids are resolved when the bundle is rendered, and evidence
// left out of the bundle is named without one.
func (s suspect) why(onset *time.Time) string {
	var parts []string
	if len(s.links) == 0 {
		if s.kind != "" {
			parts = append(parts, "touches nothing the failure evidence names, but "+article(s.class.name)+" change is what typically causes "+s.kind)
		} else {
			parts = append(parts, "touches nothing the failure evidence names")
		}
	} else {
		// The evidence that names the change, strongest first, each once.
		type named struct {
			label  string
			weight float64
		}
		var tokens []string
		var refs []named
		seen := map[*item]int{}
		labelSeen := map[string]bool{}
		for _, l := range s.links {
			linked := false
			for _, v := range l.via {
				if v.weight < 0.5 {
					continue
				}
				linked = true
				label := v.what
				key := v.ref
				if v.ref != nil && v.ref.id != "" {
					label += " " + v.ref.id
				} else {
					key = nil // left out of the bundle: one mention per kind
					if labelSeen[label] {
						continue
					}
					labelSeen[label] = true
					seen[nil] = -1
				}
				if i, ok := seen[key]; ok && key != nil {
					if v.weight > refs[i].weight {
						refs[i] = named{label, v.weight}
					}
					continue
				}
				if key != nil {
					seen[key] = len(refs)
				}
				refs = append(refs, named{label, v.weight})
			}
			if linked {
				tokens = append(tokens, l.token)
			}
		}
		// The shortest names read best; ARNs repeat them.
		sort.SliceStable(tokens, func(i, j int) bool { return len(tokens[i]) < len(tokens[j]) })
		if len(tokens) > 3 {
			tokens = tokens[:3]
		}
		if len(refs) == 0 {
			for i, l := range s.links {
				if i < 3 {
					tokens = append(tokens, l.token)
				}
			}
			parts = append(parts, "touches "+strings.Join(tokens, ", ")+", named only by background evidence")
		} else {
			sort.SliceStable(refs, func(i, j int) bool { return refs[i].weight > refs[j].weight })
			var labels []string
			for _, r := range refs {
				labels = append(labels, r.label)
			}
			what := "touches " + strings.Join(tokens, ", ")
			if w := wordLink(s.links); w != nil {
				// Tied only by a word of its name: say which, and to what.
				what = fmt.Sprintf("its name shares the word %s with %s", w.word, w.wordOf)
			}
			parts = append(parts, what+", named by "+strings.Join(clipList(labels, 4), ", "))
		}
	}
	if s.fits {
		parts = append(parts, "the kind of change the AccessDenied message points at")
	}
	switch {
	case s.mech == fitMatch && s.kind == "":
		parts = append(parts, article(s.class.name)+" change matches the "+s.matched)
	case s.mech == fitPlausible:
		parts = append(parts, article(s.class.name)+" change can cause the "+s.matched)
	case s.mech == fitMismatch:
		parts = append(parts, article(s.class.name)+" change cannot cause what failed")
	}
	if s.rollsOut != nil {
		p := fmt.Sprintf("rolls out the %s of %s", s.rollsOut.Name, s.rollsOut.Time.UTC().Format("15:04:05"))
		if len(s.stagedNames) > 0 {
			p += ", whose request names " + strings.Join(s.stagedNames, ", ")
		}
		parts = append(parts, p)
	}
	if s.rolledOutBy != nil {
		parts = append(parts, fmt.Sprintf("staged only: the %s at %s put it into effect", s.rolledOutBy.Name, s.rolledOutBy.Time.UTC().Format("15:04:05")))
	}
	if onset != nil {
		d := onset.Sub(s.ev.Time)
		switch {
		case d >= 0:
			parts = append(parts, fmt.Sprintf("%s before the onset", humanDur(d)))
		case d > -onsetGrace(onset):
			parts = append(parts, "as the failures began")
		default:
			parts = append(parts, fmt.Sprintf("%s after the onset", humanDur(-d)))
		}
	}
	if s.note != "" {
		parts = append(parts, s.note)
	}
	if s.automatic {
		parts = append(parts, "made by an AWS service")
	}
	if s.potency < 0.5 {
		parts = append(parts, "a call that rarely breaks anything")
	}
	return strings.Join(parts, "; ")
}

// article puts "a" or "an" before a word.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

func humanDur(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
