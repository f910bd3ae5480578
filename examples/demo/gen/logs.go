package main

import (
	"fmt"
	"math/rand"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

func init() { generators = append(generators, generator{"logs", genLogs}) }

func genLogs(dir string) error {
	book := snapgen.LogBook{}
	r := newRand(42)
	checkoutLogs(book, r)
	cartLogs(book, r)
	postgresCheckpoints(book)
	return book.Write(dir)
}

func springLine(t time.Time, level, thread, logger, msg string) string {
	return fmt.Sprintf("%s %5s 1 --- [%15s] %-40s : %s", t.Format("2006-01-02 15:04:05.000"), level, thread, logger, msg)
}

const psqlAuthTrace = `org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection
	at org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)
	at org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)
	at com.example.checkout.repo.OrderRepository.insert(OrderRepository.java:57)
	at com.example.checkout.service.OrderService.placeOrder(OrderService.java:112)
	at com.example.checkout.web.CheckoutController.checkout(CheckoutController.java:48)
Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "checkout_app"
	at org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)
	at org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)
	at com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:477)
	... 58 common frames omitted`

// checkoutLogs writes the checkout-api application log and, for every
// database connection attempt, PostgreSQL's side of it.
func checkoutLogs(b snapgen.LogBook, r *rand.Rand) {
	stream := func(tk task) string { return "ecs/checkout-api/" + tk.id }
	// Start-up of every task that begins inside the window.
	for _, tk := range tasks {
		if tk.from.Before(windowStart) || tk.from.After(windowEnd) {
			continue
		}
		t := tk.from.Add(-11 * time.Second)
		b.Add(checkoutGroup, stream(tk), t, springLine(t, "INFO", "main", "c.e.checkout.CheckoutApplication", "Starting CheckoutApplication v2.14.0 using Java 21.0.5 with PID 1"))
		t = t.Add(600 * time.Millisecond)
		b.Add(checkoutGroup, stream(tk), t, springLine(t, "INFO", "main", "c.e.checkout.CheckoutApplication", `The following 1 profile is active: "prod"`))
		t = t.Add(4 * time.Second)
		b.Add(checkoutGroup, stream(tk), t, springLine(t, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."))
		t = t.Add(300 * time.Millisecond)
		if tk.taskDef == badTaskDef {
			b.Add(checkoutGroup, stream(tk), t, springLine(t, "ERROR", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Exception during pool initialization.\norg.postgresql.util.PSQLException: FATAL: password authentication failed for user \"checkout_app\"\n\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)\n\tat com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:562)"))
			pgAuthFailure(b, r, t, tk.ip)
		} else {
			b.Add(checkoutGroup, stream(tk), t, springLine(t, "INFO", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@"+hexID(r, 8)))
			b.Add(checkoutGroup, stream(tk), t.Add(40*time.Millisecond), springLine(t.Add(40*time.Millisecond), "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."))
		}
		t = tk.from.Add(-200 * time.Millisecond)
		b.Add(checkoutGroup, stream(tk), t, springLine(t, "INFO", "main", "c.e.checkout.CheckoutApplication", fmt.Sprintf("Started CheckoutApplication in %.3f seconds (process running for %.3f)", 9.2+r.Float64(), 10.1+r.Float64())))
	}
	execThread := func() string { return fmt.Sprintf("nio-8080-exec-%d", 1+r.Intn(10)) }
	for t := windowStart; t.Before(windowEnd); t = t.Add(time.Second) {
		serving := servingTasks(t)
		if len(serving) == 0 {
			continue
		}
		// ALB health checks: every 15 s per task.
		if t.Second()%15 == 0 {
			for _, tk := range serving {
				ht := t.Add(time.Duration(r.Intn(900)) * time.Millisecond)
				if tk.taskDef == badTaskDef {
					b.Add(checkoutGroup, stream(tk), ht, springLine(ht, "WARN", execThread(), "o.s.b.a.jdbc.DataSourceHealthIndicator", "DataSource health check failed\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"checkout_app\""))
					b.Add(checkoutGroup, stream(tk), ht.Add(4*time.Millisecond), springLine(ht.Add(4*time.Millisecond), "INFO", execThread(), "c.e.checkout.web.RequestLogFilter", fmt.Sprintf("GET /actuator/health status=503 duration=%dms client=10.0.0.%d", 40+r.Intn(30), 10+r.Intn(4))))
					pgAuthFailure(b, r, ht, tk.ip)
				} else {
					b.Add(checkoutGroup, stream(tk), ht, springLine(ht, "INFO", execThread(), "c.e.checkout.web.RequestLogFilter", fmt.Sprintf("GET /actuator/health status=200 duration=%dms client=10.0.0.%d", 2+r.Intn(4), 10+r.Intn(4))))
				}
			}
		}
		// Checkout traffic: about 0.9 requests per second.
		for n := poisson(r, 0.9); n > 0; n-- {
			tk := serving[r.Intn(len(serving))]
			rt := t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
			th := execThread()
			cart := "crt-" + hexID(r, 6)
			if tk.taskDef == badTaskDef {
				d := 35 + r.Intn(40)
				et := rt.Add(time.Duration(d) * time.Millisecond)
				b.Add(checkoutGroup, stream(tk), et, springLine(et, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: "+psqlAuthTrace[:75]+"] with root cause\n"+psqlAuthTrace))
				b.Add(checkoutGroup, stream(tk), et.Add(time.Millisecond), springLine(et.Add(time.Millisecond), "INFO", th, "c.e.checkout.web.RequestLogFilter", fmt.Sprintf("POST /api/checkout status=500 duration=%dms cart=%s", d+1, cart)))
				pgAuthFailure(b, r, rt.Add(5*time.Millisecond), tk.ip)
				continue
			}
			d := 60 + r.Intn(90)
			if r.Intn(40) == 0 {
				d += 900 + r.Intn(600) // the slow-query outlier, before and after the incident alike
				wt := rt.Add(time.Duration(d-5) * time.Millisecond)
				b.Add(checkoutGroup, stream(tk), wt, springLine(wt, "WARN", th, "c.e.checkout.repo.InventoryRepository", fmt.Sprintf("Slow query: %d ms for SELECT sku, reserved FROM inventory_reservations WHERE cart_id = ? (rows=%d)", d-20, 1+r.Intn(12))))
			}
			order := "ord-" + hexID(r, 8)
			ot := rt.Add(time.Duration(d-2) * time.Millisecond)
			b.Add(checkoutGroup, stream(tk), ot, springLine(ot, "INFO", th, "c.e.checkout.service.OrderService", fmt.Sprintf("Order %s placed for cart %s total=%d.%02d USD items=%d", order, cart, 10+r.Intn(190), r.Intn(100), 1+r.Intn(5))))
			b.Add(checkoutGroup, stream(tk), rt.Add(time.Duration(d)*time.Millisecond), springLine(rt.Add(time.Duration(d)*time.Millisecond), "INFO", th, "c.e.checkout.web.RequestLogFilter", fmt.Sprintf("POST /api/checkout status=200 duration=%dms cart=%s", d, cart)))
			notifierInvocation(b, r, rt.Add(time.Duration(d+150+r.Intn(400))*time.Millisecond), order)
		}
	}
}

// pgAuthFailure is PostgreSQL's log of one refused connection.
func pgAuthFailure(b snapgen.LogBook, r *rand.Rand, t time.Time, clientIP string) {
	pid := 20000 + r.Intn(9000)
	port := 40000 + r.Intn(20000)
	prefix := fmt.Sprintf("%s UTC:%s(%d):%s@checkout:[%d]:", t.UTC().Format("2006-01-02 15:04:05"), clientIP, port, dbUser, pid)
	stream := "checkout-db-instance-1.0"
	b.Add(postgresGroup, stream, t, prefix+`FATAL:  password authentication failed for user "checkout_app"`)
	b.Add(postgresGroup, stream, t, prefix+`DETAIL:  Connection matched pg_hba.conf line 13: "host all all 0.0.0.0/0 md5"`)
}

// postgresCheckpoints is the database's routine background chatter.
func postgresCheckpoints(b snapgen.LogBook) {
	r := newRand(7)
	for t := windowStart.Add(2 * time.Minute); t.Before(windowEnd); t = t.Add(5 * time.Minute) {
		prefix := t.Format("2006-01-02 15:04:05") + " UTC::@:[412]:"
		b.Add(postgresGroup, "checkout-db-instance-1.0", t, prefix+"LOG:  checkpoint starting: time")
		d := t.Add(time.Duration(20+r.Intn(20)) * time.Second)
		buffers := 200 + r.Intn(2000)
		b.Add(postgresGroup, "checkout-db-instance-1.0", d, fmt.Sprintf("%s UTC::@:[412]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled; write=%.3f s, sync=0.004 s, total=%.3f s", d.Format("2006-01-02 15:04:05"), buffers, float64(buffers)/1600, 19+r.Float64()*10, 20+r.Float64()*10))
	}
}

// notifierInvocation is the order-notifier Lambda handling one order event.
func notifierInvocation(b snapgen.LogBook, r *rand.Rand, t time.Time, order string) {
	id := uuid(r)
	stream := t.Format("2006/01/02") + "/[$LATEST]" + hexID(newRand(int64(t.Minute()/20)), 32)
	d := 40 + r.Float64()*120
	b.Add(notifierGroup, stream, t, fmt.Sprintf("START RequestId: %s Version: $LATEST", id))
	b.Add(notifierGroup, stream, t.Add(time.Duration(d*0.8)*time.Millisecond), fmt.Sprintf(`{"level":"INFO","requestId":"%s","message":"customer notified","orderId":"%s","channel":"email"}`, id, order))
	end := t.Add(time.Duration(d) * time.Millisecond)
	b.Add(notifierGroup, stream, end, fmt.Sprintf("END RequestId: %s", id))
	b.Add(notifierGroup, stream, end, fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 256 MB\tMax Memory Used: %d MB", id, d, int(d)+1, 80+r.Intn(12)))
}

// cartLogs is the healthy cart API, in logfmt, with a rare Redis retry.
func cartLogs(b snapgen.LogBook, r *rand.Rand) {
	streams := []string{"ecs/cart-api/0d1c2b3a4f5e46d7a8b9c0d1e2f3a4b5", "ecs/cart-api/6f5e4d3c2b1a40f9e8d7c6b5a4f3e2d1"}
	for t := windowStart; t.Before(windowEnd); t = t.Add(time.Second) {
		for n := poisson(r, 1.3); n > 0; n-- {
			rt := t.Add(time.Duration(r.Intn(1000)) * time.Millisecond)
			s := streams[r.Intn(2)]
			method, path, status := "GET", "/api/cart/crt-"+hexID(r, 6), 200
			switch r.Intn(10) {
			case 0, 1:
				method = "POST"
				path += "/items"
				status = 201
			case 2:
				status = 404
			}
			if r.Intn(500) == 0 {
				b.Add(cartGroup, s, rt, fmt.Sprintf(`time=%s level=warn msg="redis: connection pool timeout, retrying" attempt=1 addr=cart-cache.x1y2z3.0001.use1.cache.amazonaws.com:6379`, rt.Format(time.RFC3339Nano)))
			}
			b.Add(cartGroup, s, rt, fmt.Sprintf(`time=%s level=info msg="request served" method=%s path=%s status=%d duration_ms=%d request_id=%s`, rt.Format(time.RFC3339Nano), method, path, status, 3+r.Intn(25), uuid(r)))
		}
	}
}
