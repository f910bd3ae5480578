package main

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

func init() { generators = append(generators, generator{"alb", genALB}) }

// albRequest is one request through the prod-web load balancer.
type albRequest struct {
	at   time.Time // response sent
	line string
	node string
}

const (
	albID       = "50dc6c495c0c9188"
	domain      = "shop.example.com"
	certARN     = "arn:aws:acm:us-east-1:123456789012:certificate/0f8e2a4c-6b1d-4e9a-8c3f-5d7e9a1b2c4d"
	cartTGARN   = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/cart-api-tg/9a2c4e6f8b0d1e3f"
	checkoutURL = "https://" + domain + ":443/api/checkout"
)

var (
	albNodes    = []string{"10.0.0.11", "10.0.1.12"}
	cartTargets = []string{"10.0.1.45", "10.0.2.76"}
	userAgents  = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
		"AcmeShop/5.3.1 (iOS 18.1; iPhone15,2)",
		"AcmeShop/5.3.0 (Android 15; Pixel 8)",
	}
)

// genALB writes the load balancer's access logs: checkout requests answered
// 200 by revision 41 tasks, 500 by revision 42 tasks (their IPs are the
// targets), healthy cart traffic, and a scanner the ALB answers itself.
// Health checks are not in access logs, so there are none.
func genALB(dir string) error {
	r := newRand(11)
	clients := make([]string, 60)
	for i := range clients {
		clients[i] = fmt.Sprintf("%d.%d.%d.%d", []int{203, 198, 192, 100}[i%4], 10+r.Intn(200), r.Intn(256), 1+r.Intn(254))
	}
	var reqs []albRequest
	for t := windowStart; t.Before(windowEnd); t = t.Add(time.Second) {
		for n := poisson(r, 0.9); n > 0; n-- {
			if serving := servingTasks(t); len(serving) > 0 {
				reqs = append(reqs, checkoutRequest(r, t, serving[r.Intn(len(serving))], clients))
			}
		}
		for n := poisson(r, 1.3); n > 0; n-- {
			reqs = append(reqs, cartRequest(r, t, clients))
		}
		if r.Intn(400) == 0 {
			reqs = append(reqs, scannerRequest(r, t))
		}
	}
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].at.Before(reqs[j].at) })
	// One file per node and five minutes, named as ALB names them.
	files := map[string][]string{}
	for _, q := range reqs {
		end := q.at.Truncate(5 * time.Minute).Add(5 * time.Minute)
		name := fmt.Sprintf("%s_elasticloadbalancing_%s_app.prod-web.%s_%s_%s_%s.log.gz", accountID, region, albID, end.Format("20060102T1504Z"), q.node, hexID(newRand(end.Unix()+int64(len(q.node))), 8))
		files[name] = append(files[name], q.line)
	}
	for name, lines := range files {
		if err := writeGzip(filepath.Join(dir, "alb", name), []byte(strings.Join(lines, "\n")+"\n")); err != nil {
			return err
		}
	}
	return nil
}

// albLine formats one entry in the documented field order.
func albLine(r *rand.Rand, typ string, created time.Time, client, target string, reqT, targetT, respT float64, elbCode int, targetCode, method, url, proto, agent, tg string, priority int, actions string, received, sent int) albRequest {
	done := created.Add(time.Duration((max(reqT, 0) + max(targetT, 0) + max(respT, 0)) * float64(time.Second)))
	trace := fmt.Sprintf("Root=1-%08x-%s", created.Unix(), hexID(r, 24))
	tgField, targetList, codeList := tg, target, targetCode
	if tg == "" {
		tgField = "-"
	}
	ssl := "TLS_AES_128_GCM_SHA256 TLSv1.3"
	line := fmt.Sprintf(`%s %s app/prod-web/%s %s:%d %s %s %s %s %d %s %d %d "%s %s %s" "%s" %s %s "%s" "%s" "%s" %d %s "%s" "-" "-" "%s" "%s" "-" "-" TID_%s`,
		typ, done.Format("2006-01-02T15:04:05.000000Z"), albID, client, 1024+r.Intn(64000), target,
		snapgen.Secs(reqT), snapgen.Secs(targetT), snapgen.Secs(respT), elbCode, targetCode, received, sent, method, url, proto,
		strings.ReplaceAll(agent, `"`, `\"`), ssl, tgField, trace, domain, certARN, priority,
		created.Format("2006-01-02T15:04:05.000000Z"), actions, targetList, codeList, hexID(r, 32))
	return albRequest{at: done, line: line, node: albNodes[r.Intn(len(albNodes))]}
}

func checkoutRequest(r *rand.Rand, t time.Time, tk task, clients []string) albRequest {
	created := t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
	agent := userAgents[r.Intn(len(userAgents))]
	typ, proto := "h2", "HTTP/2.0"
	if strings.HasPrefix(agent, "AcmeShop") {
		typ, proto = "https", "HTTP/1.1"
	}
	target := tk.ip + ":8080"
	if tk.taskDef == badTaskDef {
		d := float64(35+r.Intn(40)) / 1000
		return albLine(r, typ, created, clients[r.Intn(len(clients))], target, 0.001, d, 0, 500, "500", "POST", checkoutURL, proto, agent, checkoutTGARN, 10, "forward", 600+r.Intn(400), 310+r.Intn(20))
	}
	d := float64(60+r.Intn(90)) / 1000
	if r.Intn(40) == 0 {
		d += float64(900+r.Intn(600)) / 1000 // the slow query that was there all along
	}
	return albLine(r, typ, created, clients[r.Intn(len(clients))], target, 0.001, d, 0, 200, "200", "POST", checkoutURL, proto, agent, checkoutTGARN, 10, "forward", 600+r.Intn(400), 420+r.Intn(80))
}

func cartRequest(r *rand.Rand, t time.Time, clients []string) albRequest {
	created := t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
	agent := userAgents[r.Intn(len(userAgents))]
	typ, proto := "h2", "HTTP/2.0"
	if strings.HasPrefix(agent, "AcmeShop") {
		typ, proto = "https", "HTTP/1.1"
	}
	method, url, code := "GET", "https://"+domain+":443/api/cart/crt-"+hexID(r, 6), 200
	switch r.Intn(10) {
	case 0, 1:
		method, url, code = "POST", url+"/items", 201
	case 2:
		code = 404
	}
	d := float64(3+r.Intn(25)) / 1000
	return albLine(r, typ, created, clients[r.Intn(len(clients))], cartTargets[r.Intn(2)]+":8080", 0.001, d, 0, code, fmt.Sprint(code), method, url, proto, agent, cartTGARN, 20, "forward", 300+r.Intn(300), 200+r.Intn(900))
}

// scannerRequest is a bot probing for files; a fixed-response rule answers
// it without a target.
func scannerRequest(r *rand.Rand, t time.Time) albRequest {
	paths := []string{"/.env", "/wp-login.php", "/.git/config", "/phpmyadmin/index.php"}
	created := t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
	return albLine(r, "https", created, fmt.Sprintf("45.148.10.%d", 2+r.Intn(250)), "-", 0, -1, 0, 404, "-", "GET", "https://"+domain+":443"+paths[r.Intn(len(paths))], "HTTP/1.1",
		`Mozilla/5.0 (compatible; "scanner"/1.0)`, "", 1, "fixed-response", 180, 163)
}
