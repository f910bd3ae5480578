package investigate

import (
	"regexp"
	"sort"
	"strings"
)

// A resource is implicated when the failure evidence names it: a table,
// queue, function, role, security group, key, secret, task definition,
// service or log group that appears in the failing traces, the new error
// templates, the departed metrics' dimensions or the fired alarms'.

// implication says where the failure evidence names a resource.
type implication struct {
	// name is the identifier as found ("checkout-api", "orders", "sg-0ab…").
	name string
	// ref is the evidence item that names it; weight how strongly that
	// evidence speaks for the failure (new faults and errors 1, a departed
	// metric 0.8, an alarm's dimension 0.7, background 0.2).
	ref    *item
	weight float64
	what   string // "failing traces", "new error template", …
}

// implicated collects identifiers and where they come from.
type implicated struct {
	byName map[string][]implication
	order  []string
	// denials are the AccessDenied messages among the new errors.
	denials []denial
	// awsCallsFail: new failing traces end in an AWS SDK call.
	awsCallsFail bool
	// failingMetrics are the names of the failure metrics that rose
	// (WriteThrottleEvents): which side of a resource failed.
	failingMetrics []string
}

func newImplicated() *implicated { return &implicated{byName: map[string][]implication{}} }

// add records every identifier of text as named by ref.
func (im *implicated) add(text string, ref *item, weight float64, what string) {
	for _, id := range identifiers(text) {
		im.addName(id, ref, weight, what)
	}
}

// addName records one identifier, as given (a dimension value, a service).
func (im *implicated) addName(name string, ref *item, weight float64, what string) {
	name = strings.ToLower(strings.TrimSpace(name))
	if !usefulIdentifier(name) && !(hostName(name) && !genericNames[name]) {
		return
	}
	for _, e := range im.byName[name] {
		if e.ref == ref {
			return
		}
	}
	if _, ok := im.byName[name]; !ok {
		im.order = append(im.order, name)
	}
	im.byName[name] = append(im.byName[name], implication{name: name, ref: ref, weight: weight, what: what})
}

// link is an identifier of a change found in the failure evidence.
type link struct {
	token string
	via   []implication
	// exact: some implicated name equals the token, not merely holds it
	// or is held by it.
	exact bool
	// word, with the implicated name that holds it, when the link is
	// only a word of the name (linkByWords).
	word, wordOf string
}

// partialMatch is how much a name held inside another ("checkout-api" in
// "checkout-api-tg") counts next to an exact match: clearly less, so
// that a change to the very resource that fails outranks one to a
// longer-named neighbour.
const partialMatch = 0.8

// linkTo finds which of tokens the failure evidence names. A token matches
// an implicated identifier when they are equal or one holds the other as a
// whole part ("checkout-api" in "targetgroup/checkout-api-tg/…").
func (im *implicated) linkTo(tokens []string) []link {
	var out []link
	for _, tok := range tokens {
		var via []implication
		exact := false
		for _, name := range im.order {
			switch {
			case sameResource(tok, name):
				exact = true
				via = append(via, im.byName[name]...)
			case partOf(tok, name) || partOf(name, tok):
				for _, v := range im.byName[name] {
					v.weight *= partialMatch
					via = append(via, v)
				}
			}
		}
		if len(via) > 0 {
			out = append(out, link{token: tok, via: via, exact: exact})
		}
	}
	return out
}

// linkVia finds the changes' names that the architecture ties to
// implicated ones: another name of the same thing (a security group that is
// the cache's) counts nearly in full; a name of the same clause counts
// fully only for credentials (a secret holding the failing user's
// password), and otherwise too little to make a change likely on its own.
func (im *implicated) linkVia(arch architecture, tokens []string, credential bool, direct []link) []link {
	if len(arch) == 0 {
		return nil
	}
	linked := map[string]bool{}
	for _, l := range direct {
		linked[l.token] = true
	}
	var out []link
	for _, tok := range tokens {
		if linked[tok] {
			continue
		}
		var via []implication
		exact := false
		for _, rel := range arch.related(tok) {
			factor := 0.55
			switch {
			case rel.alias:
				factor = 0.9
			case credential:
				factor = 0.8
			}
			if rel.partial {
				factor *= partialMatch
			}
			for _, l := range im.linkTo([]string{rel.name}) {
				// Another name of the very thing that fails (the cache's
				// security group) is as exact as its own name.
				exact = exact || l.exact && !rel.partial && (rel.alias || credential)
				for _, v := range l.via {
					v.weight *= factor
					v.what += " (per the architecture, " + rel.name + ")"
					via = append(via, v)
				}
			}
		}
		if len(via) > 0 {
			out = append(out, link{token: tok, via: via, exact: exact})
		}
	}
	return out
}

// strongly reports whether failure evidence other than departed metrics
// (failing traces, error templates, alarms) names one of the tokens with
// weight: what makes a metric's resource part of the failure.
func (im *implicated) strongly(tokens []string) bool {
	for _, l := range im.linkTo(tokens) {
		for _, v := range l.via {
			if v.weight >= 0.7 && v.ref != nil && v.ref.source != srcMetrics {
				return true
			}
		}
	}
	return false
}

// wordMatch is how much a word a credential's name shares with a failing
// login's user or database counts next to the name itself.
const wordMatch = 0.75

// linkByWords ties a credential to a failed login by the words of its
// name: a secret is named after what it opens (prod/billing/mysql holds
// the billing database's login), so a distinctive word it shares with the
// failing user or database ties it, more weakly than a name would. Only
// strong failure evidence counts, and generic words (prod, mysql) never.
func (im *implicated) linkByWords(tokens []string, direct []link) []link {
	linked := map[string]bool{}
	for _, l := range direct {
		linked[l.token] = true
	}
	var out []link
	for _, tok := range tokens {
		if linked[tok] {
			continue
		}
		var via []implication
		word, wordOf := "", ""
		for _, w := range nameWords(tok) {
			for _, name := range im.order {
				shares := false
				for _, nw := range nameWords(name) {
					shares = shares || nw == w
				}
				if !shares {
					continue
				}
				for _, v := range im.byName[name] {
					if v.weight < 0.7 || v.ref == nil || v.ref.source == srcMetrics {
						continue
					}
					v.weight *= wordMatch
					via = append(via, v)
					if word == "" || len(name) < len(wordOf) {
						word, wordOf = w, name
					}
				}
			}
		}
		if len(via) > 0 {
			out = append(out, link{token: tok, via: via, word: word, wordOf: wordOf})
		}
	}
	return out
}

// nameWords are the distinctive words of a name: split at separators,
// at least four letters, no digits (random suffixes), not generic or a
// qualifier (prod, mysql, staging).
func nameWords(name string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if len(w) < 4 || hasDigit(w) || genericNames[w] || qualifiers[w] || commonWords[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// commonWords appear in many resource names and tie nothing.
var commonWords = map[string]bool{
	"aws": true, "arn": true, "secret": true, "secrets": true, "password": true, "credentials": true, "creds": true,
	"database": true, "postgres": true, "aurora": true, "redis": true, "rds": true, "instance": true, "cluster": true,
	"user": true, "users": true, "admin": true, "master": true, "root": true, "service": true, "key": true, "keys": true,
	"amazonaws": true, "secretsmanager": true, "error": true, "errors": true, "logs": true, "ecs": true, "lambda": true,
}

// names lists the implicated identifiers, strongest first.
func (im *implicated) names(max int) []string {
	type nw struct {
		n string
		w float64
	}
	var all []nw
	for _, n := range im.order {
		w := 0.0
		for _, e := range im.byName[n] {
			w += e.weight
		}
		if w >= 0.7 {
			all = append(all, nw{n, w})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].w > all[j].w })
	var out []string
	for _, x := range all {
		if len(out) >= max {
			break
		}
		out = append(out, x.n)
	}
	return out
}

// partOf reports whether small occurs in big as a whole part: bounded by
// the ends or by characters that are not letters or digits. Short plain
// words never match inside longer names.
func partOf(small, big string) bool {
	return occurs(small, big, false) && !ecsCluster(small, big)
}

// ecsServicePath finds an ECS service's or task's "service/<cluster>/<name>"
// in an ARN or path.
var ecsServicePath = regexp.MustCompile(`(?:^|[:/])(?:service|task)/([^/:]+)/[^/:]+`)

// ecsCluster reports small being the cluster part of an ECS service's or
// task's name in big: every service of the cluster holds it, so it does
// not tie big to whatever else runs there.
func ecsCluster(small, big string) bool {
	if !strings.Contains(big, "service/") && !strings.Contains(big, "task/") {
		return false
	}
	for _, m := range ecsServicePath.FindAllStringSubmatch(big, -1) {
		if strings.EqualFold(m[1], small) {
			// Unless small also names more of big (the service itself).
			return !strings.Contains(strings.ToLower(strings.Replace(big, m[1], "", 1)), strings.ToLower(small))
		}
	}
	return false
}

// sameResource reports whether two names are one resource: equal, or one
// is the other plus only numbers and ids — a node, revision or random
// suffix (sessions-cache-0001-001, checkout-api:42, secret-hq27lx) — not
// plus words (checkout-api-tg is the service's target group).
func sameResource(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if !partOf(a, b) {
		return false
	}
	i := strings.Index(b, a)
	for _, w := range strings.FieldsFunc(b[:i]+" "+b[i+len(a):], func(r rune) bool { return !(r < 128 && alnum(byte(r))) }) {
		if !hasDigit(w) {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// siblings reports whether one name is the other joined to a qualifier
// (ledger-sync and ledger-sync-dlq): related, yet different resources.
func siblings(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a != b && occurs(a, b, true) && !occurs(a, b, false)
}

// occurs finds small in big as a whole part; qualified occurrences count
// only when withQualifier is set.
func occurs(small, big string, withQualifier bool) bool {
	if small == big {
		return true
	}
	if len(small) < 4 || len(small) >= len(big) {
		return false
	}
	// A plain word ("checkout") is a name only as a whole segment of a
	// path or ARN, not as the first word of "checkout-api".
	plain := !strings.ContainsAny(small, "-_/.:")
	bound := func(c byte) bool {
		if plain {
			return c == '/' || c == ':'
		}
		return !alnum(c)
	}
	for i := 0; ; {
		j := strings.Index(big[i:], small)
		if j < 0 {
			return false
		}
		s, e := i+j, i+j+len(small)
		if (s == 0 || bound(big[s-1])) && (e == len(big) || bound(big[e])) && (withQualifier || !qualified(big, s, e)) {
			return true
		}
		i = s + 1
	}
}

// qualifiers are words that, joined to a name, make another resource of
// the same family: ledger-sync-dlq is not ledger-sync, web-frontend-canary-tg
// not web-frontend-tg, staging-orders not orders.
var qualifiers = map[string]bool{
	"dlq": true, "deadletter": true, "dead": true, "canary": true, "logs": true, "log": true, "preview": true,
	"staging": true, "stage": true, "stg": true, "test": true, "tests": true, "testing": true, "dev": true,
	"qa": true, "uat": true, "sandbox": true, "backup": true, "backups": true, "bak": true, "replica": true,
	"replicas": true, "ro": true, "readonly": true, "reader": true, "standby": true, "secondary": true,
	"archive": true, "archived": true, "old": true, "legacy": true, "shadow": true, "mirror": true,
	"copy": true, "tmp": true, "temp": true, "blue": true, "green": true, "dr": true, "failover": true,
	"audit": true, "access-logs": true, "retry": true, "retries": true, "errors": true, "error": true,
	"snapshot": true, "snap": true, "clone": true, "restored": true, "final": true, "beta": true, "alpha": true,
	"demo": true, "perf": true, "loadtest": true, "sbx": true, "nonprod": true,
}

// qualified reports whether the occurrence big[s:e] is joined by a
// separator to a qualifier word, making big a sibling resource rather than
// a longer name of the same one.
func qualified(big string, s, e int) bool {
	joined := func(c byte) bool { return c == '-' || c == '_' || c == '.' }
	if e < len(big) && joined(big[e]) {
		k := e + 1
		for k < len(big) && alnum(big[k]) {
			k++
		}
		if qualifiers[strings.ToLower(big[e+1:k])] {
			return true
		}
	}
	if s > 0 && joined(big[s-1]) {
		k := s - 1
		for k > 0 && alnum(big[k-1]) {
			k--
		}
		if qualifiers[strings.ToLower(big[k:s-1])] {
			return true
		}
	}
	return false
}

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tokenRE finds identifier-like runs: names with dashes, underscores,
// slashes, dots and colons, ARNs included.
var tokenRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._/:@+=-]*[A-Za-z0-9]`)

// quotedRE finds quoted names: user "checkout_app", table 'orders'.
var quotedRE = regexp.MustCompile(`["'\x60]([A-Za-z0-9][A-Za-z0-9._/:-]{2,80})["'\x60]`)

// identifiers pulls the names a text may refer to resources by: ARNs and
// their parts, and tokens that look like names rather than prose (they
// hold a dash, underscore, slash or digit, or are quoted).
func identifiers(text string) []string {
	if len(text) > 8192 {
		text = text[:8192]
	}
	seen := map[string]bool{}
	var out []string
	addHost := func(s string) {
		if !seen[s] && len(s) <= 256 && !genericNames[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	addTok := func(s string) {
		s = strings.ToLower(strings.Trim(s, ".:/-_"))
		if !seen[s] && usefulIdentifier(s) {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, m := range quotedRE.FindAllStringSubmatch(text, -1) {
		// A quoted plain word is more often a JSON key ("level") than a
		// name; quoted names with a separator or digit are kept.
		if !strings.ContainsAny(m[1], "-_/.:") && !hasDigitAndLetter(m[1]) {
			continue
		}
		addTok(m[1])
		for _, p := range arnParts(m[1]) {
			addTok(p)
		}
	}
	for _, tok := range tokenRE.FindAllString(text, -1) {
		if strings.HasPrefix(tok, "arn:") {
			addTok(tok)
			for _, p := range arnParts(tok) {
				addTok(p)
			}
			continue
		}
		if ipLike.MatchString(tok) {
			continue
		}
		if k, v, ok := strings.Cut(tok, "="); ok && k != "" && v != "" && !strings.ContainsAny(k, "/:") {
			// key=value (logfmt, query strings): the value is the name;
			// a plain one counts when its key says it names something.
			tok = v
			if !strings.ContainsAny(v, "-_/") && !hasDigitAndLetter(v) && namingKey(k) && !hostName(strings.TrimRight(v, ".")) {
				addTok(v)
				continue
			}
		}
		if hostName(strings.TrimRight(tok, ".")) {
			// A DNS name (api.paygate.example.com, as Route 53 writes it
			// with a final dot) names an endpoint, dashes or not.
			addHost(strings.ToLower(strings.TrimRight(tok, ".")))
		}
		if strings.ContainsAny(tok, "-_/") || hasDigitAndLetter(tok) {
			addTok(tok)
			// "checkout-api:42" names checkout-api; "host.domain" its host.
			if i := strings.IndexAny(tok, ":"); i > 0 {
				addTok(tok[:i])
			}
			if strings.Contains(tok, ".") && !strings.Contains(tok, "/") {
				// A host's first label names it when it reads as a name
				// ("checkout-db" of checkout-db.cluster-…), not a logger's
				// first word ("billing" of billing.db).
				if head := strings.SplitN(tok, ".", 2)[0]; strings.ContainsAny(head, "-_") || hasDigitAndLetter(head) {
					addTok(head)
				}
			}
			if strings.Contains(tok, "/") {
				// A path-like name: its last part, and the name without
				// leading separators (log group /ecs/checkout-api).
				parts := strings.Split(tok, "/")
				addTok(parts[len(parts)-1])
			}
		}
	}
	return out
}

// topLevel are the last labels that make a dotted word a host name rather
// than a package or a logger (com.acme.orders ends in a word).
var topLevel = map[string]bool{"com": true, "net": true, "org": true, "io": true, "internal": true, "local": true,
	"cloud": true, "dev": true, "app": true, "co": true, "us": true, "eu": true, "uk": true, "jp": true, "de": true,
	"fr": true, "au": true, "ca": true, "in": true, "info": true, "biz": true, "corp": true, "lan": true, "intra": true,
	"example": true, "test": true, "home": true, "svc": true, "consul": true, "private": true}

// hostName reports a DNS name of three labels or more ending in a
// top-level domain; amazonaws.com endpoints are left to the other rules.
func hostName(tok string) bool {
	labels := strings.Split(strings.ToLower(tok), ".")
	if len(labels) < 3 || !topLevel[labels[len(labels)-1]] || topLevel[labels[0]] || strings.HasSuffix(tok, "amazonaws.com") {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	return true
}

// namingKey reports a key whose value names a resource: table=orders,
// queue=jobs, function_name=resize, bucket=exports.
func namingKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"name", "table", "queue", "topic", "bucket", "function", "service", "cluster", "host", "db", "database", "stream", "secret", "key_id", "keyid", "role", "group"} {
		if strings.HasSuffix(k, w) {
			return true
		}
	}
	return false
}

// arnParts splits an ARN's resource into names: the resource id and, for
// "type/name/…", each part after the type.
func arnParts(arn string) []string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return nil
	}
	res := parts[5]
	var out []string
	out = append(out, res)
	segs := strings.FieldsFunc(res, func(r rune) bool { return r == '/' || r == ':' })
	for i, s := range segs {
		if i == 0 && len(segs) > 1 && parts[2] != "s3" {
			continue // the resource type; an S3 object ARN starts with its bucket
		}
		if i == 1 && len(segs) > 2 && parts[2] == "ecs" && (segs[0] == "service" || segs[0] == "task" || segs[0] == "container-instance") {
			continue // the cluster the service or task runs in, shared by all of them
		}
		out = append(out, s)
		// Secrets Manager appends "-XXXXXX" to secret names.
		if parts[2] == "secretsmanager" && len(s) > 7 && s[len(s)-7] == '-' {
			out = append(out, s[:len(s)-7])
		}
	}
	if len(segs) > 2 && !(parts[2] == "ecs" && (segs[0] == "service" || segs[0] == "task" || segs[0] == "container-instance")) {
		out = append(out, strings.Join(segs[1:], "/"))
	}
	return out
}

func hasDigitAndLetter(s string) bool {
	d, l := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			d = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			l = true
		}
	}
	return d && l
}

// genericNames are tokens too common to tie a change to a failure.
var genericNames = map[string]bool{
	"prod": true, "production": true, "staging": true, "stage": true, "test": true, "dev": true, "default": true,
	"true": true, "false": true, "null": true, "none": true, "enabled": true, "disabled": true, "latest": true,
	"http": true, "https": true, "tcp": true, "udp": true, "aws": true, "arn": true, "amazonaws.com": true, "amazonaws": true,
	"service": true, "services": true, "cluster": true, "task": true, "function": true, "table": true, "role": true,
	"policy": true, "secret": true, "queue": true, "topic": true, "bucket": true, "instance": true, "user": true,
	"application/json": true, "text/plain": true, "utf-8": true, "x-amzn-trace-id": true, "content-type": true,
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true, "eu-west-1": true, "eu-central-1": true,
	"ap-northeast-1": true, "ap-southeast-1": true, "ap-southeast-2": true, "ap-northeast-2": true, "eu-west-2": true,
	"awsservicerole": true, "request_id": true, "requestid": true, "trace_id": true, "org.springframework": true,
	"java.lang": true, "utc": true, "gmt": true, "info": true, "error": true, "warn": true, "debug": true,
	"post": true, "get": true, "put": true, "delete": true, "patch": true, "status": true, "duration_ms": true,
	"resource-based": true, "identity-based": true,
	// ARN resource types: every task definition's ARN holds "task-definition".
	"task-definition": true, "container-instance": true, "targetgroup": true, "loadbalancer": true, "listener": true,
	"log-group": true, "log-stream": true, "certificate": true, "parameter": true, "distribution": true, "alias": true,
	"index": true, "stream": true, "volume": true, "snapshot": true, "subnet": true, "security-group": true,
	"stateMachine": true, "statemachine": true, "execution": true, "container": true, "cluster/": true,
	// CPU architectures and operating systems every function or task of a
	// kind shares.
	"arm64": true, "x86_64": true, "amd64": true, "aarch64": true, "linux": true, "linux/arm64": true, "linux/amd64": true,
	"sql": true, "postgresql": true, "mysql": true, "main": true, "api": true, "app": true, "web": true, "v1": true, "v2": true,
}

// usefulIdentifier keeps names specific enough to link evidence: at least
// four characters with a letter, not a number, date, account id or
// generic word.
func usefulIdentifier(s string) bool {
	if len(s) < 4 || len(s) > 256 || genericNames[s] {
		return false
	}
	if strings.HasPrefix(s, "arn:") {
		// A whole ARN names one resource however many digits its account
		// and id hold (a KMS key's, a certificate's); the head of one cut
		// at a template's placeholder ("arn:aws:ecs") names a service.
		return strings.Count(s, ":") >= 5
	}
	letters, digits := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9':
			digits++
		}
	}
	if letters < 3 {
		return false
	}
	// ids such as "1-6b0017ae-516bb15c…", uuids and hashes are not names.
	if digits > letters && digits > 6 {
		return false
	}
	if runtimeName.MatchString(s) {
		return false // python3.12, nodejs20.x, provided.al2023: every function of that language
	}
	if looksLikeTime(s) || hexID.MatchString(s) || (uuidLike.MatchString(s) && !strings.HasPrefix(s, "arn:")) || codeFile.MatchString(s) || packageName.MatchString(s) || iamAction.MatchString(s) {
		return false
	}
	return true
}

var (
	ipLike = regexp.MustCompile(`\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}`)
	hexID  = regexp.MustCompile(`^[0-9a-f]{8,}$`)
	// runtimeName is a Lambda runtime identifier.
	runtimeName = regexp.MustCompile(`^(python|nodejs|java|dotnet|ruby|go|provided)[0-9.]*(\.x)?(\.al2(023)?)?$`)
	codeFile    = regexp.MustCompile(`\.(java|kt|scala|py|go|js|mjs|cjs|ts|rb|cs|cpp|c|h|php|rs)(:\d+)*$`)
	// uuidLike: request and trace ids hold uuids; an ARN that does (a KMS
	// key's) still names its resource.
	uuidLike    = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	packageName = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z][a-z0-9$]*){2,}$`)
	// iamAction is an action in a policy or an AccessDenied message
	// ("s3:putobject", "kms:decrypt", "dynamodb:*"): it names what was
	// done, not a resource, and every policy of that service shares it.
	iamAction = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}:[a-z*]+\*?$`)
)

var timeish = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}`)

func looksLikeTime(s string) bool { return timeish.MatchString(s) }
