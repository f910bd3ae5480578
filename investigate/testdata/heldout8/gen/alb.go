package main

import (
	"fmt"
	"time"
)

// albReq is one request through an Application Load Balancer.
type albReq struct {
	at           time.Time // request creation
	client       string
	target       string // ip:port or "" when no target was chosen
	method, host string
	path, ua     string
	tgArn        string
	certArn      string
	targetTime   float64 // seconds; -1 when the target never answered
	elbStatus    int
	targetStatus int // 0: "-"
	recv, sent   int
	rulePriority string
	errorReason  string
	waited       float64 // seconds the load balancer waited before giving up (504 idle timeout)
	classReason  string
}

// albLog renders the line in the documented field order of ALB access logs.
func (s *snap) albLog(r albReq) {
	dash := func(v string) string {
		if v == "" {
			return "-"
		}
		return v
	}
	reqT, tgtT, respT := 0.001+float64(s.rng.Intn(3))/1000, r.targetTime, 0.000
	target, tstat, actions := dash(r.target), "-", "forward"
	if r.targetStatus > 0 {
		tstat = fmt.Sprint(r.targetStatus)
	}
	if r.targetTime < 0 {
		respT = -1
	}
	done := r.at.Add(time.Duration((reqT + max(tgtT, 0) + max(respT, 0) + r.waited) * float64(time.Second)))
	secs := func(v float64) string {
		if v < 0 {
			return "-1"
		}
		return fmt.Sprintf("%.3f", v)
	}
	line := fmt.Sprintf(`https %s %s %s %s %s %s %s %d %s %d %d "%s https://%s:443%s HTTP/1.1" "%s" TLS_AES_128_GCM_SHA256 TLSv1.3 %s "Root=%s" "%s" "%s" %s %s "%s" "-" "%s" "%s" "%s" "-" "%s" TID_%s`,
		done.UTC().Format("2006-01-02T15:04:05.000000Z"), s.albID, r.client, target, secs(reqT), secs(tgtT), secs(respT), r.elbStatus, tstat, r.recv, r.sent,
		r.method, r.host, r.path, r.ua, r.tgArn, s.traceID(r.at), r.host, r.certArn, dash(r.rulePriority), r.at.UTC().Format("2006-01-02T15:04:05.000000Z"),
		actions, dash(r.errorReason), target, tstat, dash(r.classReason), s.hex(32))
	if done.Before(s.start) || !done.Before(s.end) {
		return
	}
	s.alb = append(s.alb, albLine{done, line})
}

func (s *snap) clientIP() string {
	return fmt.Sprintf("%d.%d.%d.%d:%d", []int{81, 92, 145, 176, 188, 203, 213, 86}[s.rng.Intn(8)], s.rng.Intn(256), s.rng.Intn(256), 1+s.rng.Intn(254), 1024+s.rng.Intn(60000))
}
