// Command gen writes the bundled demo snapshot (examples/demo) from the
// incident story below, deterministically: run it from the repository root
// with `go run ./examples/demo/gen` after changing the story.
//
// The story: at 09:20 a deploy pipeline registers checkout-api task
// definition revision 42, whose DB_PASSWORD secret points at the *staging*
// database secret, and updates the ECS service to it. The new tasks start
// fine but every connection to the production Aurora PostgreSQL cluster is
// refused with "password authentication failed", so checkout requests fail
// with 500s, the ALB target group's 5xx alarm fires at 09:26, and an engineer
// rolls back to revision 41 at 09:47. Around it runs healthy noise: the cart
// API, an order-notifier Lambda, database checkpoints, a slow-query warning
// that was there before the incident, and unrelated security findings.
package main

import (
	"time"
)

// Shared facts of the story. Every source's generator uses these, so logs,
// traces, metrics, alarms, CloudTrail and ALB logs tell one consistent tale.
var (
	windowStart = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	windowEnd   = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

	registerTaskDefAt = time.Date(2026, 11, 20, 9, 20, 5, 0, time.UTC)
	updateServiceAt   = time.Date(2026, 11, 20, 9, 20, 41, 0, time.UTC)
	// badTasksStart: the first task of revision 42 serves traffic; from
	// oldTasksGone on, only revision 42 tasks remain.
	badTasksStart = time.Date(2026, 11, 20, 9, 22, 50, 0, time.UTC)
	oldTasksGone  = time.Date(2026, 11, 20, 9, 24, 30, 0, time.UTC)
	alarmAt       = time.Date(2026, 11, 20, 9, 26, 0, 0, time.UTC)
	rollbackAt    = time.Date(2026, 11, 20, 9, 47, 30, 0, time.UTC)
	// recoveredAt: revision 41 tasks serve all traffic again.
	recoveredAt = time.Date(2026, 11, 20, 9, 49, 40, 0, time.UTC)
	alarmOKAt   = time.Date(2026, 11, 20, 9, 53, 0, 0, time.UTC)
)

const (
	region    = "us-east-1"
	accountID = "123456789012"

	clusterName   = "prod"
	serviceName   = "checkout-api"
	goodTaskDef   = "checkout-api:41"
	badTaskDef    = "checkout-api:42"
	goodSecretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db-Xk29Qa"
	badSecretARN  = "arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/checkout/db-Lm71Pc"
	dbCluster     = "checkout-db"
	dbEndpoint    = "checkout-db.cluster-c8x2kq1vz0ab.us-east-1.rds.amazonaws.com"
	dbUser        = "checkout_app"
	loadBalancer  = "app/prod-web/50dc6c495c0c9188"
	targetGroup   = "targetgroup/checkout-api-tg/6d0ecf831eec9f09"
	deployRoleARN = "arn:aws:sts::123456789012:assumed-role/deploy-pipeline/codebuild-checkout-api-7781"
	rollbackUser  = "arn:aws:iam::123456789012:user/alice"
	alarmName     = "checkout-api-5xx-high"
	checkoutGroup = "/ecs/checkout-api"
	cartGroup     = "/ecs/cart-api"
	notifierGroup = "/aws/lambda/order-notifier"
	postgresGroup = "/aws/rds/cluster/checkout-db/postgresql"
	architecture  = "Public ALB prod-web routes /api/checkout* to ECS Fargate service checkout-api (Java 21, Spring Boot, HikariCP) and /api/cart* to cart-api (Go). checkout-api reads its database credentials from Secrets Manager through the task definition and stores orders in Aurora PostgreSQL cluster checkout-db; placed orders go to SQS queue order-events, consumed by Lambda order-notifier. Deploys run from a CodeBuild pipeline (role deploy-pipeline)."
	manifestTitle = "checkout-api returns 5xx after deploying task definition checkout-api:42"
)

// Task identities. A task's private IP is the ALB target and the database
// client address seen in PostgreSQL's log.
type task struct {
	id, ip  string
	taskDef string
	from    time.Time // serving from
	until   time.Time // serving until
}

var tasks = []task{
	{"3f9c1a7e2b8d4c65a0e1f2d3c4b5a697", "10.0.1.23", goodTaskDef, windowStart.Add(-6 * time.Hour), oldTasksGone},
	{"8e2d4b6a1c3f4e5d9b7a6c5d4e3f2a18", "10.0.2.57", goodTaskDef, windowStart.Add(-6 * time.Hour), oldTasksGone.Add(-50 * time.Second)},
	{"c41a9e7d3b2f4a1c8e6d5b4a3c2f1e09", "10.0.1.88", badTaskDef, badTasksStart, recoveredAt},
	{"5b7e3d1f9a8c4b2e6d4f3a2c1b0e9d87", "10.0.2.104", badTaskDef, badTasksStart.Add(35 * time.Second), recoveredAt.Add(-40 * time.Second)},
	{"a9d8c7b6e5f44a3b2c1d0e9f8a7b6c54", "10.0.1.131", goodTaskDef, rollbackAt.Add(95 * time.Second), windowEnd.Add(time.Hour)},
	{"e1f2a3b4c5d64e7f8a9b0c1d2e3f4a65", "10.0.2.149", goodTaskDef, recoveredAt, windowEnd.Add(time.Hour)},
}

// servingTasks returns the tasks that take traffic at t.
func servingTasks(t time.Time) []task {
	var out []task
	for _, tk := range tasks {
		if !t.Before(tk.from) && t.Before(tk.until) {
			out = append(out, tk)
		}
	}
	return out
}
