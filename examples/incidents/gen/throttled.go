package gen

import (
	"fmt"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// throttledBeforeRunning: an engineer caps report-builder's concurrency in
// the console to protect a database, and a minute later sets the reserved
// concurrency of image-resizer to 0 — the function's "throttle" button —
// thinking it was the staging copy. Every invocation is throttled before it
// runs, so image-resizer writes no error at all: its logs simply stop. The
// cause is visible only in CloudTrail and in metrics (Throttles up,
// Invocations down to 0, API Gateway 5XXError up). Nearby: Application
// Auto Scaling adjusts provisioned concurrency of an unrelated function.
func throttledBeforeRunning(w *world) {
	onset := time.Date(2026, 11, 30, 12, 5, 0, 0, time.UTC)
	w.init(707, onset)
	w.title = "media-api returns 500 for image uploads"
	w.architecture = "API Gateway REST API media-api (stage prod) invokes Lambda image-resizer (Python 3.12) synchronously for POST /images; image-resizer writes thumbnails to S3 bucket acme-media-thumbs. Lambda report-builder (nightly reports) and checkout-fn (alias live, provisioned concurrency managed by Application Auto Scaling) run in the same account."
	r := w.r
	throttleAt := onset.Add(-12 * time.Second)
	resizer := w.lambda("image-resizer", "python3.12", 1024)
	checkout := w.lambda("checkout-fn", "nodejs20.x", 512)
	count := w.metric("AWS/ApiGateway", "Count", "Count", true, "ApiName", "media-api", "Stage", "prod")
	api5xx := w.metric("AWS/ApiGateway", "5XXError", "Count", true, "ApiName", "media-api", "Stage", "prod")
	apiLatency := w.metric("AWS/ApiGateway", "Latency", "Milliseconds", false, "ApiName", "media-api", "Stage", "prod")
	concurrent := w.metric("AWS/Lambda", "ConcurrentExecutions", "Count", false, "FunctionName", "image-resizer")
	s3puts := w.metric("AWS/S3", "PutRequests", "Count", true, "BucketName", "acme-media-thumbs", "FilterId", "EntireBucket")

	w.arrivals(0.7, func(at time.Time) {
		count.Add(at, 1)
		if !at.Before(throttleAt.Add(2 * time.Second)) {
			// Lambda rejects the invocation (429 TooManyRequestsException);
			// API Gateway answers 500 and nothing runs.
			resizer.throttles.Add(at, 1)
			api5xx.Add(at, 1)
			apiLatency.Add(at, float64(12+r.Intn(10)))
			w.fail(at)
			return
		}
		d := time.Duration(350+r.Intn(900)) * time.Millisecond
		key := fmt.Sprintf("uploads/%s/%s.jpg", at.Format("2006/01/02"), snapgen.HexID(r, 12))
		w.invoke(resizer, at, d, false,
			logLine{20 * time.Millisecond, "INFO", fmt.Sprintf("Resizing s3://acme-media-uploads/%s (%d KB)", key, 200+r.Intn(4000))},
			logLine{d - 30*time.Millisecond, "INFO", fmt.Sprintf("Wrote 3 thumbnails for %s", key)})
		apiLatency.Add(at, float64(d.Milliseconds()+25))
		s3puts.Add(at, 3)
	})
	w.every(time.Minute, 0, func(at time.Time) {
		c := 0.0
		if at.Before(throttleAt) {
			c = float64(1 + r.Intn(2))
		}
		concurrent.Add(at, c)
	})
	w.arrivals(0.2, func(at time.Time) {
		d := time.Duration(60+r.Intn(120)) * time.Millisecond
		checkout.version = "live"
		w.invoke(checkout, at, d, false, logLine{d - 5*time.Millisecond, "INFO", fmt.Sprintf(`{"msg":"checkout session created","cart":"c_%s"}`, snapgen.HexID(r, 8))})
	})

	erin := w.trail.ConsoleUser("erin", onset.Add(-18*time.Minute))
	w.decoy(w.trail.Add(onset.Add(-75*time.Second), "lambda.amazonaws.com", "PutFunctionConcurrency20171031", erin, "198.51.100.140", consoleAgent, false,
		map[string]any{"functionName": "report-builder", "reservedConcurrentExecutions": 5}, map[string]any{"reservedConcurrentExecutions": 5}))
	rec := w.trail.Add(throttleAt, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", erin, "198.51.100.140", consoleAgent, false,
		map[string]any{"functionName": "image-resizer", "reservedConcurrentExecutions": 0}, map[string]any{"reservedConcurrentExecutions": 0})
	w.cause(rec, "image-resizer")
	aas := w.autoscalingRole("LambdaConcurrency")
	w.decoy(w.trail.Add(onset.Add(-2*time.Minute-30*time.Second), "lambda.amazonaws.com", "PutProvisionedConcurrencyConfig20190930", aas, "application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com", false,
		map[string]any{"functionName": "checkout-fn", "qualifier": "live", "provisionedConcurrentExecutions": 12},
		map[string]any{"requestedProvisionedConcurrentExecutions": 12, "allocatedProvisionedConcurrentExecutions": 10, "status": "IN_PROGRESS"}))
	w.trailNoise(5)

	w.alarm(snapgen.Alarm{Name: "media-api-5xx", Description: "media-api returns more than 5 server errors a minute for 3 minutes",
		Series: api5xx, Statistic: "Sum", Threshold: 5})
	w.securityHubControl("Lambda.3", "Lambda functions should be in a VPC", "LOW", "AwsLambdaFunction", "arn:aws:lambda:us-east-1:123456789012:function:report-builder", onset.Add(-50*time.Hour))
	w.truth.Signals = []string{"PutFunctionConcurrency20171031", "image-resizer", "Throttles", "Invocations"}
}
