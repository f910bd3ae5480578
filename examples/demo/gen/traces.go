package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

func init() { generators = append(generators, generator{"traces", genTraces}) }

// X-Ray samples about one request in ten in this story's sampling rule.
const traceSampleRate = 0.1

func sqlInfo(query string) snapgen.Doc {
	return snapgen.Doc{"url": "jdbc:postgresql://" + dbEndpoint + ":5432/checkout", "database_type": "PostgreSQL", "database_version": "16.4",
		"driver_version": "PostgreSQL JDBC Driver 42.7.4", "user": dbUser, "sanitized_query": query}
}

// checkoutTrace is one POST /api/checkout served by task tk.
func checkoutTrace(r *rand.Rand, t time.Time, tk task) (snapgen.Trace, bool) {
	traceID := snapgen.TraceID(r, t)
	revision := tk.taskDef[len(tk.taskDef)-2:]
	root := snapgen.Doc{
		"id": hexID(r, 16), "trace_id": traceID, "name": serviceName, "origin": "AWS::ECS::Container",
		"start_time":  epochSec(t),
		"aws":         snapgen.Doc{"ecs": snapgen.Doc{"container": "ip-" + tk.ip, "task_arn": "arn:aws:ecs:" + region + ":" + accountID + ":task/" + clusterName + "/" + tk.id}, "xray": snapgen.Doc{"sdk": "X-Ray for Java", "sdk_version": "2.18.2"}},
		"annotations": snapgen.Doc{"task_revision": revision},
		"http":        snapgen.Doc{"request": snapgen.Doc{"method": "POST", "url": "https://shop.example.com/api/checkout", "client_ip": fmt.Sprintf("203.0.113.%d", 1+r.Intn(250)), "x_forwarded_for": true}},
	}
	var subs []snapgen.Doc
	cur := t.Add(time.Duration(1+r.Intn(3)) * time.Millisecond)
	failed := tk.taskDef == badTaskDef
	if failed {
		// HikariCP tries to open a connection; PostgreSQL refuses the password.
		d := time.Duration(30+r.Intn(35)) * time.Millisecond
		db := snapgen.Sub(r, dbCluster, cur.Add(time.Millisecond), d-2*time.Millisecond, snapgen.Doc{"namespace": "remote", "fault": true, "sql": sqlInfo(""),
			"cause": snapgen.Cause(r, "/app", "PSQLException", `FATAL: password authentication failed for user "checkout_app"`, true)})
		delete(db["sql"].(snapgen.Doc), "sanitized_query")
		pool := snapgen.Sub(r, "HikariPool-1.getConnection", cur, d, snapgen.Doc{"fault": true, "subsegments": []snapgen.Doc{db},
			"cause": snapgen.Cause(r, "/app", "CannotGetJdbcConnectionException", "Failed to obtain JDBC Connection", false)})
		subs = append(subs, pool)
		cur = cur.Add(d + 2*time.Millisecond)
		root["fault"] = true
		root["http"].(snapgen.Doc)["response"] = snapgen.Doc{"status": 500, "content_length": 112}
		root["cause"] = snapgen.Cause(r, "/app", "CannotGetJdbcConnectionException", "Failed to obtain JDBC Connection", false)
	} else {
		subs = append(subs, snapgen.Sub(r, "HikariPool-1.getConnection", cur, time.Duration(200+r.Intn(900))*time.Microsecond, nil))
		cur = cur.Add(2 * time.Millisecond)
		q := time.Duration(5+r.Intn(15)) * time.Millisecond
		if r.Intn(40) == 0 {
			q += time.Duration(900+r.Intn(600)) * time.Millisecond // the slow query seen in the logs
		}
		subs = append(subs, snapgen.Sub(r, dbCluster, cur, q, snapgen.Doc{"namespace": "remote", "sql": sqlInfo("SELECT sku, reserved FROM inventory_reservations WHERE cart_id = ?")}))
		cur = cur.Add(q + time.Millisecond)
		q = time.Duration(3+r.Intn(8)) * time.Millisecond
		subs = append(subs, snapgen.Sub(r, dbCluster, cur, q, snapgen.Doc{"namespace": "remote", "sql": sqlInfo("INSERT INTO orders (id, cart_id, total, status) VALUES (?, ?, ?, ?)")}))
		cur = cur.Add(q + time.Millisecond)
		q = time.Duration(6+r.Intn(10)) * time.Millisecond
		subs = append(subs, snapgen.Sub(r, "SQS", cur, q, snapgen.Doc{"namespace": "aws", "http": snapgen.Doc{"response": snapgen.Doc{"status": 200}},
			"aws": snapgen.Doc{"operation": "SendMessage", "region": region, "queue_url": "https://sqs." + region + ".amazonaws.com/" + accountID + "/" + sqsQueue, "retries": 0}}))
		cur = cur.Add(q + time.Duration(20+r.Intn(60))*time.Millisecond)
		root["http"].(snapgen.Doc)["response"] = snapgen.Doc{"status": 200, "content_length": 245}
	}
	root["end_time"] = epochSec(cur)
	root["subsegments"] = subs
	return snapgen.NewTrace(traceID, t, cur.Sub(t), root), !failed
}

// cartTrace is one cart-api request, with its Redis call.
func cartTrace(r *rand.Rand, t time.Time) snapgen.Trace {
	traceID := snapgen.TraceID(r, t)
	method, path, status := "GET", "/api/cart/crt-"+hexID(r, 6), 200
	switch r.Intn(10) {
	case 0, 1:
		method, path, status = "POST", path+"/items", 201
	case 2:
		status = 404
	}
	redis := time.Duration(500+r.Intn(2500)) * time.Microsecond
	end := t.Add(redis + time.Duration(2+r.Intn(20))*time.Millisecond)
	root := snapgen.Doc{
		"id": hexID(r, 16), "trace_id": traceID, "name": "cart-api", "origin": "AWS::ECS::Container",
		"start_time": epochSec(t), "end_time": epochSec(end),
		"http":        snapgen.Doc{"request": snapgen.Doc{"method": method, "url": "https://shop.example.com" + path}, "response": snapgen.Doc{"status": status}},
		"subsegments": []snapgen.Doc{snapgen.Sub(r, "cart-cache", t.Add(time.Millisecond), redis, snapgen.Doc{"namespace": "remote"})},
	}
	if status == 404 {
		root["error"] = true
	}
	return snapgen.NewTrace(traceID, t, end.Sub(t), root)
}

// notifierTrace is the order-notifier Lambda handling one order event.
func notifierTrace(r *rand.Rand, t time.Time) snapgen.Trace {
	traceID := snapgen.TraceID(r, t)
	ses := time.Duration(30+r.Intn(80)) * time.Millisecond
	end := t.Add(ses + time.Duration(10+r.Intn(40))*time.Millisecond)
	root := snapgen.Doc{
		"id": hexID(r, 16), "trace_id": traceID, "name": notifierFn, "origin": "AWS::Lambda::Function",
		"start_time": epochSec(t), "end_time": epochSec(end),
		"aws":         snapgen.Doc{"function_arn": "arn:aws:lambda:" + region + ":" + accountID + ":function:" + notifierFn},
		"subsegments": []snapgen.Doc{snapgen.Sub(r, "SES", t.Add(5*time.Millisecond), ses, snapgen.Doc{"namespace": "aws", "aws": snapgen.Doc{"operation": "SendEmail", "region": region}})},
	}
	return snapgen.NewTrace(traceID, t, end.Sub(t), root)
}

func genTraces(dir string) error {
	r := newRand(97)
	var traces []snapgen.Trace
	for t := windowStart; t.Before(windowEnd); t = t.Add(time.Second) {
		serving := servingTasks(t)
		for n := poisson(r, checkoutRate); n > 0 && len(serving) > 0; n-- {
			tk := serving[r.Intn(len(serving))]
			rt := t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
			if r.Float64() >= traceSampleRate {
				continue
			}
			tr, ordered := checkoutTrace(r, rt, tk)
			traces = append(traces, tr)
			if ordered {
				traces = append(traces, notifierTrace(r, rt.Add(time.Duration(300+r.Intn(500))*time.Millisecond)))
			}
		}
		for n := poisson(r, 1.3); n > 0; n-- {
			if r.Float64() < traceSampleRate {
				traces = append(traces, cartTrace(r, t.Add(time.Duration(r.Intn(1000))*time.Millisecond)))
			}
		}
	}
	b, err := json.Marshal(map[string]any{"Traces": traces, "UnprocessedTraceIds": []string{}})
	if err != nil {
		return err
	}
	return writeGzip(filepath.Join(dir, "xray", "traces.json.gz"), b)
}
