package gen

import (
	"fmt"
	"net/url"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// orderAPITasks are the ECS tasks of order-api: the ALB's targets.
var orderAPITasks = []struct{ id, ip string }{
	{"5e0c2d7a9b1f4c83a6d4e2f1b0c9a8d7", "10.0.11.21"},
	{"a7d3f1c9e8b24b6a9c5d3e1f0a2b4c68", "10.0.12.34"},
	{"c2b9e4f7a1d34e5c8b7a6f5e4d3c2b19", "10.0.13.47"},
}

// permissionChange: a Terraform apply rewrites the inline policy of
// order-api's task role and drops dynamodb:PutItem (a refactor meant to
// split read and write access). Reads keep working; every new order fails
// with AccessDenied from DynamoDB, wrapped by the application in its own
// exception, and X-Ray shows the 400 PutItem under the 500. The same apply
// rewrites another role's policy two seconds later (a decoy of the same
// kind), and Secrets Manager rotates an unrelated secret on schedule.
func permissionChange(w *world) {
	onset := time.Date(2026, 11, 25, 14, 7, 20, 0, time.UTC)
	w.init(202, onset)
	w.title = "order-api fails to create orders (HTTP 500)"
	w.architecture = "Internet-facing ALB orders-prod routes /api/orders* to ECS Fargate service order-api (cluster prod, Java 21, Spring Boot, AWS SDK for Java v2) with task role order-api-task; orders are stored in DynamoDB table orders, whose stream feeds Lambda order-events-fanout. IAM is managed by Terraform from CI (role terraform-apply)."
	policyAt := onset.Add(-20 * time.Second)
	permissionStory(w, policyAt, 0.4)
	w.truth.Signals = []string{"not authorized to perform: dynamodb:PutItem", "order-api-task", "PutRolePolicy", "orders"}
}

// permissionStory builds the order-api incident; the benchmark reuses it
// at larger rates (rate multiplies the traffic).
func permissionStory(w *world, policyAt time.Time, rate float64) {
	r := w.r
	lb := w.alb("orders-prod", "7f3a9c2e1b5d4a68", "api.acme-orders.example")
	tg := "targetgroup/order-api-tg/3c5e7a9b1d2f4e60"
	tgARN := "arn:aws:elasticloadbalancing:us-east-1:123456789012:" + tg
	lbDim := "app/orders-prod/7f3a9c2e1b5d4a68"
	requests := w.metric("AWS/ApplicationELB", "RequestCount", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	t5xx := w.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", true, "TargetGroup", tg, "LoadBalancer", lbDim)
	latency := w.metric("AWS/ApplicationELB", "TargetResponseTime", "Seconds", false, "TargetGroup", tg, "LoadBalancer", lbDim)
	wcu := w.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Count", true, "TableName", "orders")
	rcu := w.metric("AWS/DynamoDB", "ConsumedReadCapacityUnits", "Count", true, "TableName", "orders")
	putLatency := w.metric("AWS/DynamoDB", "SuccessfulRequestLatency", "Milliseconds", false, "TableName", "orders", "Operation", "PutItem")
	userErrors := w.metric("AWS/DynamoDB", "UserErrors", "Count", true)
	cpu := w.metric("AWS/ECS", "CPUUtilization", "Percent", false, "ClusterName", "prod", "ServiceName", "order-api")
	fanout := w.lambda("order-events-fanout", "python3.12", 256)
	pending := 0

	denied := func(task string) string {
		return fmt.Sprintf("User: arn:aws:sts::123456789012:assumed-role/order-api-task/%s is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders because no identity-based policy allows the dynamodb:PutItem action (Service: DynamoDb, Status Code: 400, Request ID: %s)", task, snapgen.HexUpper(r, 52))
	}
	group := "/ecs/order-api"
	line := func(t time.Time, level, thread, logger, msg string) string {
		return fmt.Sprintf("%s %5s 1 --- [order-api] [%15s] [%s-%s] %-40s : %s", t.Format("2006-01-02T15:04:05.000Z"), level, thread, snapgen.HexID(r, 24), snapgen.HexID(r, 16), logger, msg)
	}
	agents := []string{"acme-pos/4.2.0 okhttp/4.12.0", "acme-web/2026.11.3", "python-requests/2.32.3"}
	w.arrivals(1.3*rate, func(at time.Time) {
		tk := orderAPITasks[r.Intn(len(orderAPITasks))]
		stream := "ecs/order-api/" + tk.id
		th := fmt.Sprintf("nio-8080-exec-%d", 1+r.Intn(20))
		client := fmt.Sprintf("%d.%d.%d.%d", []int{203, 198, 192}[r.Intn(3)], r.Intn(256), r.Intn(256), 1+r.Intn(254))
		req := snapgen.Request{Created: at, Client: client, Target: tk.ip + ":8080", RequestTime: 0.001, ResponseTime: 0, Proto: "HTTP/1.1",
			Agent: agents[r.Intn(len(agents))], TargetGroupARN: tgARN, Received: 420 + r.Intn(300)}
		requests.Add(at, 1)
		traced := r.Float64() < 0.17
		if r.Intn(100) < 15 { // POST /api/orders
			order := "ord-" + snapgen.HexID(r, 12)
			req.Method, req.URL = "POST", "https://api.acme-orders.example:443/api/orders"
			if at.After(policyAt.Add(4 * time.Second)) {
				d := time.Duration(25+r.Intn(30)) * time.Millisecond
				msg := denied(tk.id)
				w.logs.Add(group, stream, at.Add(d-time.Millisecond), line(at.Add(d-time.Millisecond), "ERROR", th, "c.a.orders.web.OrderController",
					"Failed to create order "+order+"\ncom.acme.orders.OrderPersistenceException: Failed to create order\n\tat com.acme.orders.repo.OrderRepository.save(OrderRepository.java:88)\n\tat com.acme.orders.service.OrderService.create(OrderService.java:52)\nCaused by: software.amazon.awssdk.services.dynamodb.model.DynamoDbException: "+msg+"\n\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n\t... 74 common frames omitted"))
				w.logs.Add(group, stream, at.Add(d), line(at.Add(d), "INFO", th, "c.a.orders.web.AccessLog", fmt.Sprintf("POST /api/orders 500 %dms", d.Milliseconds())))
				req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = d.Seconds(), 500, "500", 180
				t5xx.Add(at, 1)
				userErrors.Add(at, 1)
				w.fail(at)
				latency.Add(at, d.Seconds())
				if traced {
					w.orderTrace(at, d, tk.id, tk.ip, "POST", "/api/orders", 500, msg)
				}
			} else {
				d := time.Duration(40+r.Intn(60)) * time.Millisecond
				w.logs.Add(group, stream, at.Add(d-2*time.Millisecond), line(at.Add(d-2*time.Millisecond), "INFO", th, "c.a.orders.service.OrderService", fmt.Sprintf("Created order %s for customer cus-%s total=%d.%02d", order, snapgen.HexID(r, 8), 5+r.Intn(400), r.Intn(100))))
				w.logs.Add(group, stream, at.Add(d), line(at.Add(d), "INFO", th, "c.a.orders.web.AccessLog", fmt.Sprintf("POST /api/orders 201 %dms", d.Milliseconds())))
				req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = d.Seconds(), 201, "201", 310
				wcu.Add(at, 1)
				putLatency.Add(at, float64(6+r.Intn(6)))
				latency.Add(at, d.Seconds())
				pending++
				if traced {
					w.orderTrace(at, d, tk.id, tk.ip, "POST", "/api/orders", 201, "")
				}
			}
		} else {
			d := time.Duration(8+r.Intn(25)) * time.Millisecond
			status := 200
			if r.Intn(25) == 0 {
				status = 404
			}
			path := "/api/orders/ord-" + snapgen.HexID(r, 12)
			req.Method, req.URL = "GET", "https://api.acme-orders.example:443"+path
			w.logs.Add(group, stream, at.Add(d), line(at.Add(d), "INFO", th, "c.a.orders.web.AccessLog", fmt.Sprintf("GET /api/orders/{id} %d %dms", status, d.Milliseconds())))
			req.TargetTime, req.ELBStatus, req.TargetStatus, req.Sent = d.Seconds(), status, fmt.Sprint(status), 250+r.Intn(900)
			rcu.Add(at, 0.5)
			latency.Add(at, d.Seconds())
			if traced {
				w.orderTrace(at, d, tk.id, tk.ip, "GET", path, status, "")
			}
		}
		lb.Add(r, req)
	})
	// The stream consumer runs in batches; it goes quiet when no order is written.
	w.every(10*time.Second, 4*time.Second, func(at time.Time) {
		if pending == 0 {
			return
		}
		d := time.Duration(30+pending*4+r.Intn(20)) * time.Millisecond
		w.invoke(fanout, at, d, false, logLine{d - 5*time.Millisecond, "INFO", fmt.Sprintf("Published %d order events to EventBridge bus orders", pending)})
		pending = 0
	})
	w.every(time.Minute, 0, func(at time.Time) {
		busy := 22.0
		cpu.Add(at, busy+r.Float64()*4)
	})
	// Spring Boot's scheduled cache refresh: routine lines on every task.
	w.every(30*time.Second, 7*time.Second, func(at time.Time) {
		for _, tk := range orderAPITasks {
			t := at.Add(snapgen.Jitter(r, time.Second))
			w.logs.Add(group, "ecs/order-api/"+tk.id, t, line(t, "DEBUG", "scheduling-1", "c.a.orders.cache.PriceCache", fmt.Sprintf("Refreshed price cache: %d entries", 1200+r.Intn(40))))
		}
	})

	// The cause: Terraform rewrites the inline policy of the task role.
	tf := w.trail.AssumedRole("terraform-apply", "gha-terraform-"+snapgen.HexID(r, 6), "")
	newPolicy := `{"Version":"2012-10-17","Statement":[{"Sid":"OrdersRead","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:BatchGetItem"],"Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/orders","arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/*"]}]}`
	rec := w.trail.Add(policyAt, "iam.amazonaws.com", "PutRolePolicy", tf, "140.82.112.4", tfAgent, false,
		map[string]any{"roleName": "order-api-task", "policyName": "orders-table-access", "policyDocument": url.QueryEscape(newPolicy)}, nil)
	w.cause(rec, "order-api-task")
	reporting := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::acme-reporting-raw","arn:aws:s3:::acme-reporting-raw/*"]}]}`
	w.decoy(w.trail.Add(policyAt.Add(2*time.Second), "iam.amazonaws.com", "PutRolePolicy", tf, "140.82.112.4", tfAgent, false,
		map[string]any{"roleName": "reporting-glue-job", "policyName": "raw-bucket-read", "policyDocument": url.QueryEscape(reporting)}, nil))
	w.decoy(w.rotateSecret(policyAt.Add(-5*time.Minute-31*time.Second), "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/reporting/redshift-Yt62Wd", "reporting-redshift-rotation"))
	w.trailNoise(6)
	w.alarm(snapgen.Alarm{Name: "order-api-5xx", Description: "order-api targets return more than 5 errors a minute for 3 minutes. Runbook: https://wiki.example.com/runbooks/order-api",
		Series: t5xx, Statistic: "Sum", Threshold: 5 * rate * w.scale})
	w.securityHubControl("ECS.5", "ECS containers should be limited to read-only access to root filesystems", "HIGH", "AwsEcsTaskDefinition", "arn:aws:ecs:us-east-1:123456789012:task-definition/order-api:117", policyAt.Add(-7*time.Hour))
	w.securityHubControl("DynamoDB.6", "DynamoDB tables should have deletion protection enabled", "MEDIUM", "AwsDynamoDbTable", "arn:aws:dynamodb:us-east-1:123456789012:table/orders-archive", policyAt.Add(-5*time.Hour))
}

// orderTrace is one order-api request as the X-Ray SDK for Java records
// it; a denied PutItem is a 400 subsegment under the 500 segment.
func (w *world) orderTrace(at time.Time, d time.Duration, task, ip, method, path string, status int, denied string) {
	r := w.r
	id := snapgen.TraceID(r, at)
	seg := snapgen.Doc{"id": snapgen.HexID(r, 16), "trace_id": id, "name": "order-api", "origin": "AWS::ECS::Container",
		"start_time": snapgen.EpochSec(at), "end_time": snapgen.EpochSec(at.Add(d)),
		"http": snapgen.Doc{"request": snapgen.Doc{"method": method, "url": "https://api.acme-orders.example" + path, "client_ip": "203.0.113." + fmt.Sprint(1+r.Intn(250)), "x_forwarded_for": true},
			"response": snapgen.Doc{"status": status}},
		"aws": snapgen.Doc{"ecs": snapgen.Doc{"container": "ip-" + ip, "task_arn": "arn:aws:ecs:us-east-1:123456789012:task/prod/" + task}, "xray": snapgen.Doc{"sdk": "X-Ray for Java", "sdk_version": "2.18.2"}}}
	op, q := "GetItem", time.Duration(3+r.Intn(6))*time.Millisecond
	if method == "POST" {
		op = "PutItem"
	}
	call := snapgen.AWSCall(r, "DynamoDb", at.Add(3*time.Millisecond), q, 200, snapgen.Doc{"operation": op, "region": region, "table_name": "orders", "request_id": snapgen.HexUpper(r, 52), "retries": 0})
	switch {
	case denied != "":
		call = snapgen.AWSCall(r, "DynamoDb", at.Add(3*time.Millisecond), q, 400, snapgen.Doc{"operation": op, "region": region, "table_name": "orders", "request_id": snapgen.HexUpper(r, 52), "retries": 0})
		call["cause"] = snapgen.Cause(r, "/app", "software.amazon.awssdk.services.dynamodb.model.DynamoDbException", denied, true)
		seg["fault"] = true
		seg["cause"] = snapgen.Cause(r, "/app", "com.acme.orders.OrderPersistenceException", "Failed to create order", false)
	case status >= 400:
		seg["error"] = true
	}
	seg["subsegments"] = []snapgen.Doc{call}
	w.traces = append(w.traces, snapgen.NewTrace(id, at, d, seg))
}
