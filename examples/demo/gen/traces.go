package main

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"time"
)

func init() { generators = append(generators, generator{"traces", genTraces}) }

// X-Ray samples about one request in ten in this story's sampling rule.
const traceSampleRate = 0.1

// xrayTrace is one trace of BatchGetTraces output.
type xrayTrace struct {
	ID       string        `json:"Id"`
	Duration float64       `json:"Duration"`
	Segments []xraySegment `json:"Segments"`
}

// xraySegment holds a segment document as a JSON string, as X-Ray does.
type xraySegment struct {
	ID       string `json:"Id"`
	Document string `json:"Document"`
}

// doc is a segment or subsegment document.
type doc map[string]any

type traceBuilder struct {
	r       *rand.Rand
	traceID string
}

func (b *traceBuilder) sub(name string, start time.Time, d time.Duration, extra doc) doc {
	s := doc{"id": hexID(b.r, 16), "name": name, "start_time": epochSec(start), "end_time": epochSec(start.Add(d))}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

func (b *traceBuilder) exception(typ, msg string, remote bool) doc {
	e := doc{"id": hexID(b.r, 16), "type": typ, "message": msg}
	if remote {
		e["remote"] = true
	}
	return doc{"working_directory": "/app", "exceptions": []doc{e}}
}

func newTraceID(r *rand.Rand, t time.Time) string {
	return fmt.Sprintf("1-%08x-%s", t.Unix(), hexID(r, 24))
}

func sqlInfo(query string) doc {
	return doc{"url": "jdbc:postgresql://" + dbEndpoint + ":5432/checkout", "database_type": "PostgreSQL", "database_version": "16.4",
		"driver_version": "PostgreSQL JDBC Driver 42.7.4", "user": dbUser, "sanitized_query": query}
}

// checkoutTrace is one POST /api/checkout served by task tk.
func checkoutTrace(r *rand.Rand, t time.Time, tk task) (xrayTrace, bool) {
	b := &traceBuilder{r: r, traceID: newTraceID(r, t)}
	revision := tk.taskDef[len(tk.taskDef)-2:]
	root := doc{
		"id": hexID(r, 16), "trace_id": b.traceID, "name": serviceName, "origin": "AWS::ECS::Container",
		"start_time":  epochSec(t),
		"aws":         doc{"ecs": doc{"container": "ip-" + tk.ip, "task_arn": "arn:aws:ecs:" + region + ":" + accountID + ":task/" + clusterName + "/" + tk.id}, "xray": doc{"sdk": "X-Ray for Java", "sdk_version": "2.18.2"}},
		"annotations": doc{"task_revision": revision},
		"http":        doc{"request": doc{"method": "POST", "url": "https://shop.example.com/api/checkout", "client_ip": fmt.Sprintf("203.0.113.%d", 1+r.Intn(250)), "x_forwarded_for": true}},
	}
	var subs []doc
	cur := t.Add(time.Duration(1+r.Intn(3)) * time.Millisecond)
	failed := tk.taskDef == badTaskDef
	if failed {
		// HikariCP tries to open a connection; PostgreSQL refuses the password.
		d := time.Duration(30+r.Intn(35)) * time.Millisecond
		db := b.sub(dbCluster, cur.Add(time.Millisecond), d-2*time.Millisecond, doc{"namespace": "remote", "fault": true, "sql": sqlInfo(""),
			"cause": b.exception("PSQLException", `FATAL: password authentication failed for user "checkout_app"`, true)})
		delete(db["sql"].(doc), "sanitized_query")
		pool := b.sub("HikariPool-1.getConnection", cur, d, doc{"fault": true, "subsegments": []doc{db},
			"cause": b.exception("CannotGetJdbcConnectionException", "Failed to obtain JDBC Connection", false)})
		subs = append(subs, pool)
		cur = cur.Add(d + 2*time.Millisecond)
		root["fault"] = true
		root["http"].(doc)["response"] = doc{"status": 500, "content_length": 112}
		root["cause"] = b.exception("CannotGetJdbcConnectionException", "Failed to obtain JDBC Connection", false)
	} else {
		subs = append(subs, b.sub("HikariPool-1.getConnection", cur, time.Duration(200+r.Intn(900))*time.Microsecond, nil))
		cur = cur.Add(2 * time.Millisecond)
		q := time.Duration(5+r.Intn(15)) * time.Millisecond
		if r.Intn(40) == 0 {
			q += time.Duration(900+r.Intn(600)) * time.Millisecond // the slow query seen in the logs
		}
		subs = append(subs, b.sub(dbCluster, cur, q, doc{"namespace": "remote", "sql": sqlInfo("SELECT sku, reserved FROM inventory_reservations WHERE cart_id = ?")}))
		cur = cur.Add(q + time.Millisecond)
		q = time.Duration(3+r.Intn(8)) * time.Millisecond
		subs = append(subs, b.sub(dbCluster, cur, q, doc{"namespace": "remote", "sql": sqlInfo("INSERT INTO orders (id, cart_id, total, status) VALUES (?, ?, ?, ?)")}))
		cur = cur.Add(q + time.Millisecond)
		q = time.Duration(6+r.Intn(10)) * time.Millisecond
		subs = append(subs, b.sub("SQS", cur, q, doc{"namespace": "aws", "http": doc{"response": doc{"status": 200}},
			"aws": doc{"operation": "SendMessage", "region": region, "queue_url": "https://sqs." + region + ".amazonaws.com/" + accountID + "/" + sqsQueue, "retries": 0}}))
		cur = cur.Add(q + time.Duration(20+r.Intn(60))*time.Millisecond)
		root["http"].(doc)["response"] = doc{"status": 200, "content_length": 245}
	}
	root["end_time"] = epochSec(cur)
	root["subsegments"] = subs
	return xrayTrace{ID: b.traceID, Duration: round3(cur.Sub(t).Seconds()), Segments: []xraySegment{{root["id"].(string), mustJSON(root)}}}, !failed
}

// cartTrace is one cart-api request, with its Redis call.
func cartTrace(r *rand.Rand, t time.Time) xrayTrace {
	b := &traceBuilder{r: r, traceID: newTraceID(r, t)}
	method, path, status := "GET", "/api/cart/crt-"+hexID(r, 6), 200
	switch r.Intn(10) {
	case 0, 1:
		method, path, status = "POST", path+"/items", 201
	case 2:
		status = 404
	}
	redis := time.Duration(500+r.Intn(2500)) * time.Microsecond
	end := t.Add(redis + time.Duration(2+r.Intn(20))*time.Millisecond)
	root := doc{
		"id": hexID(r, 16), "trace_id": b.traceID, "name": "cart-api", "origin": "AWS::ECS::Container",
		"start_time": epochSec(t), "end_time": epochSec(end),
		"http":        doc{"request": doc{"method": method, "url": "https://shop.example.com" + path}, "response": doc{"status": status}},
		"subsegments": []doc{b.sub("cart-cache", t.Add(time.Millisecond), redis, doc{"namespace": "remote"})},
	}
	if status == 404 {
		root["error"] = true
	}
	return xrayTrace{ID: b.traceID, Duration: round3(end.Sub(t).Seconds()), Segments: []xraySegment{{root["id"].(string), mustJSON(root)}}}
}

// notifierTrace is the order-notifier Lambda handling one order event.
func notifierTrace(r *rand.Rand, t time.Time) xrayTrace {
	b := &traceBuilder{r: r, traceID: newTraceID(r, t)}
	ses := time.Duration(30+r.Intn(80)) * time.Millisecond
	end := t.Add(ses + time.Duration(10+r.Intn(40))*time.Millisecond)
	root := doc{
		"id": hexID(r, 16), "trace_id": b.traceID, "name": notifierFn, "origin": "AWS::Lambda::Function",
		"start_time": epochSec(t), "end_time": epochSec(end),
		"aws":         doc{"function_arn": "arn:aws:lambda:" + region + ":" + accountID + ":function:" + notifierFn},
		"subsegments": []doc{b.sub("SES", t.Add(5*time.Millisecond), ses, doc{"namespace": "aws", "aws": doc{"operation": "SendEmail", "region": region}})},
	}
	return xrayTrace{ID: b.traceID, Duration: round3(end.Sub(t).Seconds()), Segments: []xraySegment{{root["id"].(string), mustJSON(root)}}}
}

func genTraces(dir string) error {
	r := newRand(97)
	var traces []xrayTrace
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
	b, err := jsonBytes(map[string]any{"Traces": traces, "UnprocessedTraceIds": []string{}})
	if err != nil {
		return err
	}
	return writeGzip(filepath.Join(dir, "xray", "traces.json.gz"), b)
}
