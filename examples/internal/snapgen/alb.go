package snapgen

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// LoadBalancer is one ALB and the access-log lines it wrote.
type LoadBalancer struct {
	Account, Region string
	Name, ID        string // app/<Name>/<ID>
	Domain, CertARN string
	Nodes           []string // the ALB's own node IPs, one file each
	entries         []albEntry
}

type albEntry struct {
	at   time.Time
	node string
	line string
}

// Request is one request as the ALB saw it. Target is "ip:port" or "" when
// the ALB answered itself; negative times are written as -1, as ALB does
// when it could not reach a target.
type Request struct {
	Created                   time.Time
	Client                    string
	Target                    string
	RequestTime, TargetTime   float64
	ResponseTime              float64
	ELBStatus                 int
	TargetStatus              string // "-" when no target answered
	Method, URL, Proto, Agent string
	TargetGroupARN            string
	Received, Sent            int
	Actions                   string // actions_executed, "forward" when empty
	Error                     string // error_reason, "-" when empty
}

// Add formats one entry in the documented field order.
func (lb *LoadBalancer) Add(r *rand.Rand, q Request) {
	done := q.Created.Add(time.Duration((max(q.RequestTime, 0) + max(q.TargetTime, 0) + max(q.ResponseTime, 0)) * float64(time.Second)))
	typ := "h2"
	if q.Proto != "HTTP/2.0" {
		typ = "https"
	}
	target, tg, code := q.Target, q.TargetGroupARN, q.TargetStatus
	if target == "" {
		target = "-"
	}
	if tg == "" {
		tg = "-"
	}
	if code == "" {
		code = "-"
	}
	actions := q.Actions
	if actions == "" {
		actions = "forward"
	}
	reason := q.Error
	if reason == "" {
		reason = "-"
	}
	line := fmt.Sprintf(`%s %s app/%s/%s %s:%d %s %s %s %s %d %s %d %d "%s %s %s" "%s" %s %s %s "Root=1-%08x-%s" "%s" "%s" %d %s "%s" "-" "%s" "%s" "%s" "-" "-" TID_%s`,
		typ, done.Format("2006-01-02T15:04:05.000000Z"), lb.Name, lb.ID, q.Client, 1024+r.Intn(64000), target,
		Secs(q.RequestTime), Secs(q.TargetTime), Secs(q.ResponseTime), q.ELBStatus, code, q.Received, q.Sent,
		q.Method, q.URL, q.Proto, strings.ReplaceAll(q.Agent, `"`, `\"`), "TLS_AES_128_GCM_SHA256", "TLSv1.3", tg,
		q.Created.Unix(), HexID(r, 24), lb.Domain, lb.CertARN, 0, q.Created.Format("2006-01-02T15:04:05.000000Z"),
		actions, reason, target, code, HexID(r, 32))
	lb.entries = append(lb.entries, albEntry{at: done, node: lb.Nodes[r.Intn(len(lb.Nodes))], line: line})
}

// Requests is how many lines were added.
func (lb *LoadBalancer) Requests() int { return len(lb.entries) }

// Secs formats an ALB processing time: seconds to the millisecond, or -1
// when there was none (no target answered).
func Secs(v float64) string {
	if v < 0 {
		return "-1"
	}
	return fmt.Sprintf("%.3f", v)
}

// Write writes one gzipped file per node and five minutes under dir/alb,
// named as ALB names them.
func (lb *LoadBalancer) Write(dir string) error {
	sort.SliceStable(lb.entries, func(i, j int) bool { return lb.entries[i].at.Before(lb.entries[j].at) })
	files := map[string][]string{}
	var names []string
	for _, e := range lb.entries {
		end := e.at.Truncate(5 * time.Minute).Add(5 * time.Minute)
		name := fmt.Sprintf("%s_elasticloadbalancing_%s_app.%s.%s_%s_%s_%s.log.gz", lb.Account, lb.Region, lb.Name, lb.ID, end.Format("20060102T1504Z"), e.node, HexID(NewRand(end.Unix()+int64(len(e.node))), 8))
		if _, ok := files[name]; !ok {
			names = append(names, name)
		}
		files[name] = append(files[name], e.line)
	}
	for _, name := range names {
		if err := WriteGzip(filepath.Join(dir, "alb", name), []byte(strings.Join(files[name], "\n")+"\n")); err != nil {
			return err
		}
	}
	return nil
}
