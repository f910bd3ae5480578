package report

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/investigate"
)

// Node kinds of the hypothesis diagram.
const (
	NodeComponent = "component" // a service or resource of the workload
	NodeChange    = "change"    // a suspect change
)

// Node is a box of the hypothesis diagram.
type Node struct {
	ID    string
	Name  string
	Kind  string
	Lines []string // extra lines under the name (counts, type)
	// Failing marks the component where requests fail; Suspect a change
	// (or the component it touched) that may have caused it.
	Failing bool
	Suspect bool
}

// Edge styles.
const (
	EdgeCall    = "call"    // seen by X-Ray
	EdgeFailing = "failing" // the failing path
	EdgeArch    = "arch"    // from the architecture text only
	EdgeChange  = "change"  // a suspect change touched the target
)

// Edge is an arrow of the diagram.
type Edge struct {
	From, To string // node ids
	Label    string
	Style    string
	// Weak draws the edge faint: a change ranked unlikely.
	Weak bool
}

// Diagram is the failing path of the workload with the suspects that
// touched it: deterministic, built from the bundle alone.
type Diagram struct {
	// Font is report.font, used when labels need CJK glyphs.
	Font  string
	Title string
	Nodes []Node
	Edges []Edge
}

// maxDiagramSuspects bounds the change boxes; the chart legend and the
// report list the rest.
const maxDiagramSuspects = 3

// BuildDiagram derives the hypothesis diagram from a bundle: the
// components and calls X-Ray saw, the components and flows the
// architecture text names, the failing path of the largest trace failure
// group, and the suspect changes with the components they touched. It
// returns nil when the bundle names no component at all.
func BuildDiagram(b *investigate.Bundle, loc *time.Location) *Diagram {
	d := &Diagram{Title: "Failing path and suspect changes"}
	ids := map[string]string{} // normalised name → node id
	node := func(name string) *Node {
		key := normName(name)
		if id, ok := ids[key]; ok {
			return d.node(id)
		}
		id := fmt.Sprintf("n%d", len(ids)+1)
		ids[key] = id
		d.Nodes = append(d.Nodes, Node{ID: id, Name: name, Kind: NodeComponent})
		return &d.Nodes[len(d.Nodes)-1]
	}
	edge := func(from, to, label, style string) {
		if from == to {
			return
		}
		for i := range d.Edges {
			e := &d.Edges[i]
			if e.From == from && e.To == to {
				if rankStyle(style) > rankStyle(e.Style) {
					e.Style = style
				}
				if label != "" && e.Label == "" {
					e.Label = label
				}
				return
			}
		}
		d.Edges = append(d.Edges, Edge{From: from, To: to, Label: label, Style: style})
	}

	if t := b.Topology; t != nil {
		for _, s := range t.Services {
			n := node(s.Name)
			if s.Total > 0 {
				n.Lines = append(n.Lines, fmt.Sprintf("%d requests", s.Total))
			}
			if s.Faults > 0 {
				n.Lines = append(n.Lines, fmt.Sprintf("%d faults", s.Faults))
			}
		}
		for _, c := range t.Calls {
			label := ""
			if c.Faults > 0 {
				label = fmt.Sprintf("%d faults", c.Faults)
			}
			edge(node(c.From).ID, node(c.To).ID, label, EdgeCall)
		}
	}
	for _, f := range architectureFlows(b.Architecture) {
		edge(node(f.from).ID, node(f.to).ID, "", EdgeArch)
	}
	// The failing path: the services the requests crossed, then the
	// failing service's own call down to what failed.
	if t := b.Topology; t != nil && len(t.Failures) > 0 {
		f := topFailure(t.Failures)
		path := append([]string(nil), f.Services...)
		if len(path) == 0 || normName(path[len(path)-1]) != normName(f.Service) {
			path = append(path, f.Service)
		}
		target, via := failingTarget(f)
		for i := 1; i < len(path); i++ {
			edge(node(path[i-1]).ID, node(path[i]).ID, "", EdgeFailing)
		}
		last := node(f.Service)
		label := fmt.Sprintf("%s ×%d", f.Kind, f.Count)
		if f.Exception != "" {
			label += ": " + f.Exception
		}
		if via != "" {
			label = via + "\n" + label
		}
		if target != "" {
			tn := node(target)
			tn.Failing = true
			edge(last.ID, tn.ID, label, EdgeFailing)
		} else {
			last.Failing = true
			last.Lines = append(last.Lines, label)
		}
	}
	for i, s := range rankedSuspects(b.Suspects) {
		if i == maxDiagramSuspects {
			break
		}
		id := fmt.Sprintf("c%d", i+1)
		d.Nodes = append(d.Nodes, Node{ID: id, Kind: NodeChange, Suspect: s.Likelihood == investigate.Likely,
			Name:  fmt.Sprintf("C%d %s %s", i+1, clock(s.EventTime, loc), s.EventName),
			Lines: []string{"by " + shortPrincipal(s.Principal), s.Likelihood}})
		linked := 0
		for _, r := range touched(s) {
			target := matchComponent(d, ids, r.value)
			if target == "" {
				// A named resource gets its own box; a parameter that
				// names nothing on the diagram stays in the report.
				if !r.declared {
					continue
				}
				target = node(shortResource(r.value)).ID
			}
			label := ""
			if normName(d.node(target).Name) != normName(shortResource(r.value)) && !strings.HasPrefix(normName(shortResource(r.value)), normName(d.node(target).Name)+":") {
				label = shortResource(r.value)
			}
			before := len(d.Edges)
			edge(id, target, label, EdgeChange)
			if len(d.Edges) > before {
				linked++
				if s.Likelihood == investigate.Unlikely {
					d.Edges[len(d.Edges)-1].Weak = true
				}
			}
			if s.Likelihood == investigate.Likely {
				d.node(target).Suspect = true
			}
			if linked == 2 {
				break
			}
		}
	}
	if len(d.Nodes) == 0 {
		return nil
	}
	d.prune()
	return d
}

func (d *Diagram) node(id string) *Node {
	for i := range d.Nodes {
		if d.Nodes[i].ID == id {
			return &d.Nodes[i]
		}
	}
	return nil
}

// prune drops components nothing connects and that neither fail nor were
// touched by a change: a lone box says nothing about the failure.
func (d *Diagram) prune() {
	linked := map[string]bool{}
	for _, e := range d.Edges {
		linked[e.From], linked[e.To] = true, true
	}
	kept := d.Nodes[:0]
	for _, n := range d.Nodes {
		if linked[n.ID] || n.Failing || n.Suspect {
			kept = append(kept, n)
		}
	}
	d.Nodes = kept
}

func rankStyle(s string) int {
	switch s {
	case EdgeFailing:
		return 3
	case EdgeCall:
		return 2
	case EdgeChange:
		return 1
	}
	return 0
}

// topFailure is the largest fault group (faults before errors before
// throttles, as the engine sorts them; the order is kept on ties).
func topFailure(fs []investigate.FailurePath) investigate.FailurePath {
	best := fs[0]
	rank := map[string]int{"fault": 0, "error": 1, "throttle": 2}
	for _, f := range fs[1:] {
		if rank[f.Kind] < rank[best.Kind] || (rank[f.Kind] == rank[best.Kind] && f.Count > best.Count) {
			best = f
		}
	}
	return best
}

// failingTarget splits an entity path (service > subsegment > … > callee)
// into the component that failed and the call that reached it. A path
// that ends inside the service (no callee) gives no target.
func failingTarget(f investigate.FailurePath) (target, via string) {
	p := f.Path
	if len(p) > 0 && normName(p[0]) == normName(f.Service) {
		p = p[1:]
	}
	if len(p) == 0 {
		return "", ""
	}
	target = p[len(p)-1]
	// "checkout-db (SQL PostgreSQL)" names checkout-db.
	if i := strings.Index(target, " ("); i > 0 {
		target = target[:i]
	}
	if len(p) > 1 {
		via = strings.Join(p[:len(p)-1], " > ")
	}
	return target, via
}

// matchComponent finds the node a resource (ARN or name) belongs to: by
// its short name, else by its service (a secret ARN → the "Secrets
// Manager" box the architecture names).
func matchComponent(d *Diagram, ids map[string]string, resource string) string {
	short := shortResource(resource)
	if id, ok := ids[normName(short)]; ok {
		return id
	}
	// checkout-api:42 is a revision of checkout-api.
	if i := strings.LastIndexByte(short, ':'); i > 0 {
		if id, ok := ids[normName(short[:i])]; ok {
			return id
		}
	}
	if strings.HasPrefix(resource, "arn:") {
		svc := strings.SplitN(resource, ":", 4)[2]
		for _, alias := range serviceAliases[svc] {
			if id, ok := ids[normName(alias)]; ok {
				return id
			}
		}
	}
	return ""
}

// touchedResource is something a change touched: a resource CloudTrail
// named, or a parameter value that names one.
type touchedResource struct {
	value    string
	declared bool // from the event's resources, not its parameters
}

// resourceKeys are request parameters whose value names a resource.
var resourceKeys = []string{"service", "functionname", "tablename", "queueurl", "topicarn", "family", "clusteridentifier",
	"dbinstanceidentifier", "dbclusteridentifier", "secretid", "loadbalancerarn", "targetgrouparn", "bucketname", "groupid", "rolename", "name"}

// touched lists what a suspect change touched, the resources first.
func touched(s investigate.Suspect) []touchedResource {
	var out []touchedResource
	seen := map[string]bool{}
	add := func(v string, declared bool) {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, touchedResource{v, declared})
		}
	}
	for _, r := range s.Resources {
		add(r, true)
	}
	for _, p := range s.Parameters {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.HasPrefix(k, "response.") {
			continue
		}
		leaf := strings.ToLower(k[strings.LastIndexAny(k, ".]")+1:])
		if strings.HasPrefix(v, "arn:") {
			add(v, false)
			continue
		}
		for _, rk := range resourceKeys {
			// "name" only at the top level: containerDefinitions[0].name is
			// a container, not a resource.
			if leaf == rk && (rk != "name" || k == "name") {
				add(v, false)
			}
		}
	}
	return out
}

// serviceAliases are the names people write for an ARN's service.
var serviceAliases = map[string][]string{
	"secretsmanager": {"Secrets Manager", "AWS Secrets Manager"},
	"ssm":            {"Parameter Store", "SSM Parameter Store"},
	"kms":            {"KMS", "AWS KMS"},
	"sqs":            {"SQS"},
	"sns":            {"SNS"},
	"dynamodb":       {"DynamoDB"},
	"s3":             {"S3"},
}

func normName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// flow is a directed relation the architecture text states.
type flow struct{ from, to string }

var (
	clauseSplit = regexp.MustCompile(`[.;]\s+|[.;]$|\n`)
	// identifier is a resource-like name: lower-case words joined by - or _,
	// or a word with digits (prod-web, checkout-api, order_events, db1).
	identifier = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+\b`)
	// namedServices are AWS services people name without an identifier.
	namedServices = []string{"Secrets Manager", "Parameter Store", "DynamoDB", "ElastiCache", "S3", "SNS", "SQS", "KMS", "Cognito", "API Gateway", "EventBridge"}
)

// architectureFlows reads who-talks-to-whom out of the free-text
// architecture, clause by clause. In a clause the first component named as
// a subject (not after to/into/in/from/on) talks to every other one; a
// component named after "by" (consumed by, invoked by) is reached from
// the component named just before it; a clause without a subject
// continues the previous clause's. Names that appear only once and never
// in a flow are left out, so prose stays prose.
func architectureFlows(text string) []flow {
	var out []flow
	subject := ""
	for _, clause := range clauseSplit.Split(text, -1) {
		type mention struct {
			name string
			at   int
		}
		var ms []mention
		for _, loc := range identifier.FindAllStringIndex(clause, -1) {
			ms = append(ms, mention{clause[loc[0]:loc[1]], loc[0]})
		}
		for _, s := range namedServices {
			if i := strings.Index(clause, s); i >= 0 && !followedByIdentifier(clause[i+len(s):]) {
				ms = append(ms, mention{s, i})
			}
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i].at < ms[j].at })
		if len(ms) == 0 {
			continue
		}
		clauseSubject := ""
		if !afterPreposition(clause[:ms[0].at]) {
			clauseSubject = ms[0].name
			ms = ms[1:]
		} else {
			clauseSubject = subject
		}
		prev := clauseSubject
		for _, m := range ms {
			from := clauseSubject
			if afterBy(clause[:m.at]) && prev != "" {
				from = prev
			}
			if from != "" && from != m.name && !strings.Contains(lastWords(clause[:m.at], 2), "role") {
				out = append(out, flow{from, m.name})
			}
			prev = m.name
		}
		if clauseSubject != "" {
			subject = clauseSubject
		}
	}
	return out
}

func followedByIdentifier(rest string) bool {
	rest = strings.TrimSpace(rest)
	for _, w := range []string{"queue ", "topic ", "table ", "bucket ", "cluster ", "secret "} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// lastWords is the last n words before a mention.
func lastWords(s string, n int) string {
	f := strings.Fields(strings.ToLower(s))
	if len(f) > n {
		f = f[len(f)-n:]
	}
	return strings.Join(f, " ")
}

// afterPreposition reports whether the words just before a mention make
// it an object ("… to SQS queue order-events").
func afterPreposition(before string) bool {
	for _, w := range strings.Fields(lastWords(before, 4)) {
		switch w {
		case "to", "into", "in", "from", "on", "onto", "via":
			return true
		}
	}
	return false
}

func afterBy(before string) bool {
	for _, w := range strings.Fields(lastWords(before, 3)) {
		if w == "by" {
			return true
		}
	}
	return false
}
