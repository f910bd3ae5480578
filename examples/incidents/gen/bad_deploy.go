package gen

import (
	"fmt"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// badDeploy: a GitHub Actions workflow publishes order-intake 2.31.0, a
// Node.js Lambda behind API Gateway. The new code reads the currency's
// minor units from a table that lacks JPY, so only orders in yen fail — a
// few a minute among many good ones. Near it, an engineer raises the memory
// of an unrelated function (the same kind of API call) and DynamoDB auto
// scaling resizes an analytics table.
func badDeploy(w *world) {
	onset := time.Date(2026, 11, 24, 10, 21, 40, 0, time.UTC)
	w.init(101, onset)
	w.title = "order-intake Lambda errors after a code deploy"
	w.architecture = "API Gateway REST API shop-api (stage prod) invokes Lambda order-intake (Node.js 20) for POST /orders; order-intake validates the order, writes it to DynamoDB table orders and sends it to SQS queue order-events. Lambda stock-sync runs every minute from EventBridge Scheduler. Deploys run from GitHub Actions through the gha-deploy role (OIDC)."
	deployAt := onset.Add(-50 * time.Second)

	intake := w.lambda("order-intake", "nodejs20.x", 512)
	sync := w.lambda("stock-sync", "python3.12", 256)
	apiCount := w.metric("AWS/ApiGateway", "Count", "Count", true, "ApiName", "shop-api", "Stage", "prod")
	api5xx := w.metric("AWS/ApiGateway", "5XXError", "Count", true, "ApiName", "shop-api", "Stage", "prod")
	api4xx := w.metric("AWS/ApiGateway", "4XXError", "Count", true, "ApiName", "shop-api", "Stage", "prod")
	apiLatency := w.metric("AWS/ApiGateway", "Latency", "Milliseconds", false, "ApiName", "shop-api", "Stage", "prod")
	wcu := w.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Count", true, "TableName", "orders")
	sent := w.metric("AWS/SQS", "NumberOfMessagesSent", "Count", true, "QueueName", "order-events")

	currencies := []string{"USD", "USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY", "CAD", "AUD"}
	w.arrivals(0.6, func(at time.Time) {
		apiCount.Add(at, 1)
		cur := currencies[w.r.Intn(len(currencies))]
		order := "ord_" + snapgen.HexID(w.r, 10)
		newCode := at.After(deployAt.Add(8 * time.Second))
		if newCode {
			intake.version = "58"
		} else {
			intake.version = "57"
		}
		if newCode && cur == "JPY" {
			d := time.Duration(18+w.r.Intn(12)) * time.Millisecond
			stack := `{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'minorUnits')","stack":["TypeError: Cannot read properties of undefined (reading 'minorUnits')","    at toMinorUnits (/var/task/src/money.js:14:38)","    at validateOrder (/var/task/src/validate.js:41:19)","    at Runtime.handler (/var/task/index.js:27:17)"]}`
			w.invoke(intake, at, d, true,
				logLine{2 * time.Millisecond, "INFO", fmt.Sprintf(`{"msg":"order received","orderId":"%s","currency":"%s","items":%d}`, order, cur, 1+w.r.Intn(4))},
				logLine{d - time.Millisecond, "ERROR", "Invoke Error \t" + stack})
			api5xx.Add(at, 1)
			w.fail(at)
			apiLatency.Add(at, float64(d.Milliseconds()+9))
			w.lambdaTrace(intake, at, d, order, true)
			return
		}
		if w.r.Intn(60) == 0 { // a malformed order: a client error, before and after alike
			d := time.Duration(6+w.r.Intn(6)) * time.Millisecond
			w.invoke(intake, at, d, false, logLine{3 * time.Millisecond, "WARN", fmt.Sprintf(`{"msg":"order rejected","reason":"missing shippingAddress.postalCode","orderId":"%s"}`, order)})
			api4xx.Add(at, 1)
			apiLatency.Add(at, float64(d.Milliseconds()+8))
			return
		}
		d := time.Duration(45+w.r.Intn(60)) * time.Millisecond
		w.invoke(intake, at, d, false,
			logLine{2 * time.Millisecond, "INFO", fmt.Sprintf(`{"msg":"order received","orderId":"%s","currency":"%s","items":%d}`, order, cur, 1+w.r.Intn(4))},
			logLine{d - 3*time.Millisecond, "INFO", fmt.Sprintf(`{"msg":"order accepted","orderId":"%s","total":%d.%02d}`, order, 10+w.r.Intn(300), w.r.Intn(100))})
		apiLatency.Add(at, float64(d.Milliseconds()+11))
		wcu.Add(at, 2)
		sent.Add(at, 1)
		w.lambdaTrace(intake, at, d, order, false)
	})
	w.every(time.Minute, 3*time.Second, func(at time.Time) {
		n := 20 + w.r.Intn(40)
		d := time.Duration(800+w.r.Intn(700)) * time.Millisecond
		w.invoke(sync, at, d, false,
			logLine{5 * time.Millisecond, "INFO", "Fetching stock levels from warehouse feed"},
			logLine{d - 10*time.Millisecond, "INFO", fmt.Sprintf("Updated %d SKUs, %d unchanged", n, 400-n)})
	})

	// The deploy: GitHub Actions assumes gha-deploy through OIDC and
	// uploads the new code, publishing version 58.
	gha := w.trail.AssumedRole("gha-deploy", "GitHubActions", "")
	oidc := w.trail.Add(deployAt.Add(-9*time.Second), "sts.amazonaws.com", "AssumeRoleWithWebIdentity",
		map[string]any{"type": "WebIdentityUser", "principalId": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/shop:ref:refs/heads/main", "userName": "repo:acme/shop:ref:refs/heads/main", "identityProvider": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
		"140.82.112.4", ghaAgent+"sts.assume-role-with-web-identity", true,
		map[string]any{"roleArn": "arn:aws:iam::123456789012:role/gha-deploy", "roleSessionName": "GitHubActions", "durationSeconds": 3600}, nil)
	oidc.Resources = []map[string]string{{"accountId": account, "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::123456789012:role/gha-deploy"}}
	deploy := w.trail.Add(deployAt, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", gha, "140.82.112.4", ghaAgent+"lambda.update-function-code", false,
		map[string]any{"functionName": "order-intake", "publish": true, "dryRun": false},
		map[string]any{"functionName": "order-intake", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:order-intake:58", "runtime": "nodejs20.x",
			"handler": "index.handler", "codeSize": 1843211, "version": "58", "codeSha256": "q8Yb2rK0T7uW1e3vXh9cZ4mN6pLs5fDa0jGi8oEwRkQ=", "lastUpdateStatus": "InProgress",
			"description": "order-intake 2.31.0 (acme/shop@4f2c9e1)"})
	w.cause(deploy, "order-intake")
	w.trail.Add(deployAt.Add(6*time.Second), "lambda.amazonaws.com", "GetFunction20150331v2", gha, "140.82.112.4", ghaAgent+"lambda.wait", true, map[string]any{"functionName": "order-intake"}, nil)
	w.trail.Add(deployAt.Add(11*time.Second), "lambda.amazonaws.com", "UpdateAlias20150331", gha, "140.82.112.4", ghaAgent+"lambda.update-alias", false,
		map[string]any{"functionName": "order-intake", "name": "live", "functionVersion": "58"},
		map[string]any{"aliasArn": "arn:aws:lambda:us-east-1:123456789012:function:order-intake:live", "name": "live", "functionVersion": "58"})

	// Decoys.
	bob := w.trail.IAMUser("bob")
	w.decoy(w.trail.Add(onset.Add(-4*time.Minute-12*time.Second), "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", bob, "198.51.100.77", cliAgent+"lambda.update-function-configuration", false,
		map[string]any{"functionName": "stock-sync", "memorySize": 512},
		map[string]any{"functionName": "stock-sync", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:stock-sync", "memorySize": 512, "lastUpdateStatus": "InProgress"}))
	w.decoy(w.dynamoAutoscale(onset.Add(70*time.Second), "analytics-events", 40, 300))
	w.trailNoise(6)

	w.alarm(snapgen.Alarm{Name: "order-intake-errors", Description: "order-intake Lambda reports errors in 3 consecutive minutes",
		Series: intake.errors, Statistic: "Sum", Threshold: 0})
	w.alarm(snapgen.Alarm{Name: "stock-sync-errors", Description: "stock-sync failed", Series: sync.errors, Statistic: "Sum", Threshold: 0, Periods: 1})
	w.securityHubControl("Lambda.2", "Lambda functions should use supported runtimes", "MEDIUM", "AwsLambdaFunction", "arn:aws:lambda:us-east-1:123456789012:function:legacy-importer", onset.Add(-3*time.Hour))
	w.truth.Signals = []string{"Cannot read properties of undefined (reading 'minorUnits')", "order-intake", "UpdateFunctionCode20150331v2"}
}

// lambdaTrace is an active-tracing trace of one invocation: the Lambda
// service segment and the function segment with its AWS calls.
func (w *world) lambdaTrace(f *fn, at time.Time, d time.Duration, order string, failed bool) {
	if w.r.Float64() >= 0.1 {
		return
	}
	r := w.r
	id := snapgen.TraceID(r, at)
	fnArn := "arn:aws:lambda:us-east-1:123456789012:function:" + f.name
	svc := snapgen.Doc{"id": snapgen.HexID(r, 16), "trace_id": id, "name": f.name, "origin": "AWS::Lambda",
		"start_time": snapgen.EpochSec(at), "end_time": snapgen.EpochSec(at.Add(d + 4*time.Millisecond)),
		"http": snapgen.Doc{"response": snapgen.Doc{"status": 200}},
		"aws":  snapgen.Doc{"request_id": snapgen.UUID(r)}}
	fnSeg := snapgen.Doc{"id": snapgen.HexID(r, 16), "trace_id": id, "parent_id": svc["id"], "name": f.name, "origin": "AWS::Lambda::Function",
		"start_time": snapgen.EpochSec(at.Add(time.Millisecond)), "end_time": snapgen.EpochSec(at.Add(d)),
		"aws": snapgen.Doc{"function_arn": fnArn, "resource_names": []string{f.name}, "account_id": account}}
	inv := snapgen.Sub(r, "Invocation", at.Add(time.Millisecond), d-2*time.Millisecond, nil)
	if failed {
		inv["fault"] = true
		inv["cause"] = snapgen.Cause(r, "/var/task", "TypeError", "Cannot read properties of undefined (reading 'minorUnits')", false)
		fnSeg["fault"] = true
		svc["fault"] = true
	} else {
		q := time.Duration(8+r.Intn(10)) * time.Millisecond
		put := snapgen.AWSCall(r, "DynamoDB", at.Add(10*time.Millisecond), q, 200, snapgen.Doc{"operation": "PutItem", "region": region, "table_name": "orders", "request_id": snapgen.HexUpper(r, 52), "retries": 0})
		sqs := snapgen.AWSCall(r, "SQS", at.Add(12*time.Millisecond+q), 9*time.Millisecond, 200, snapgen.Doc{"operation": "SendMessage", "region": region, "queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/order-events", "request_id": snapgen.UUID(r), "retries": 0})
		inv["subsegments"] = []snapgen.Doc{put, sqs}
	}
	fnSeg["subsegments"] = []snapgen.Doc{inv}
	w.traces = append(w.traces, snapgen.NewTrace(id, at, d+4*time.Millisecond, svc, fnSeg))
}
