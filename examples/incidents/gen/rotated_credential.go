package gen

import (
	"fmt"
	"time"

	"github.com/fa2/fa2/examples/internal/snapgen"
)

// rotatedCredential: Secrets Manager rotates the billing database's secret
// on its 30-day schedule at night. The rotation function changes the
// MySQL password, but billing-worker read the password once at start-up:
// connections that are already open keep working, and each task fails only
// when MySQL closes its idle connection and it must log in again. A task
// that cannot log in retries with exponential backoff, so the cause shows
// in a dozen log lines among tens of thousands of routine ones, while the
// queue backs up. Nearby: auto scaling adds an invoice-api task and an
// engineer flips a billing feature flag in Parameter Store.
func rotatedCredential(w *world) {
	onset := time.Date(2026, 11, 28, 3, 14, 0, 0, time.UTC)
	w.init(505, onset)
	w.title = "invoice-jobs queue backs up, billing-worker stops processing"
	w.architecture = "ECS service invoice-api (cluster billing, Python 3.12, FastAPI) enqueues invoice jobs on SQS queue invoice-jobs; ECS service billing-worker (3 tasks) consumes them and writes to Aurora MySQL cluster billing-db as user billing_app, whose password is in Secrets Manager secret prod/billing/mysql (rotated every 30 days by Lambda billing-mysql-rotation) and is read when a task starts."
	r := w.r
	secret := "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/billing/mysql-Hq27Lx"
	rotateAt := onset.Add(-45 * time.Second)

	type worker struct {
		id, ip   string
		breaksAt time.Time // MySQL closes its idle connection after the password changed
		retries  []time.Time
	}
	workers := []*worker{
		{id: "0f3e5d7c9b1a4e2c8d6f4a2b0c9e8d71", ip: "10.0.41.12", breaksAt: onset},
		{id: "6a8c0e2f4b6d4f8a1c3e5a7b9d1f3a52", ip: "10.0.42.57", breaksAt: onset.Add(2*time.Minute + 40*time.Second)},
		{id: "b1d3f5a7c9e14b3d5f7a9c1e3b5d7f90", ip: "10.0.43.33", breaksAt: onset.Add(5*time.Minute + 10*time.Second)},
	}
	for _, wk := range workers {
		backoff := 5 * time.Second
		for t := wk.breaksAt; t.Before(w.end); t = t.Add(backoff) {
			wk.retries = append(wk.retries, t)
			backoff = min(backoff*2, 5*time.Minute)
		}
	}
	up := func(wk *worker, t time.Time) bool { return t.Before(wk.breaksAt) }

	visible := w.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Count", false, "QueueName", "invoice-jobs")
	age := w.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", "Seconds", false, "QueueName", "invoice-jobs")
	deleted := w.metric("AWS/SQS", "NumberOfMessagesDeleted", "Count", true, "QueueName", "invoice-jobs")
	sent := w.metric("AWS/SQS", "NumberOfMessagesSent", "Count", true, "QueueName", "invoice-jobs")
	dbConns := w.metric("AWS/RDS", "DatabaseConnections", "Count", false, "DBClusterIdentifier", "billing-db")
	loginFailures := w.metric("AWS/RDS", "LoginFailures", "Count", true, "DBClusterIdentifier", "billing-db")
	workerCPU := w.metric("AWS/ECS", "CPUUtilization", "Percent", false, "ClusterName", "billing", "ServiceName", "billing-worker")
	apiCPU := w.metric("AWS/ECS", "CPUUtilization", "Percent", false, "ClusterName", "billing", "ServiceName", "invoice-api")

	type job struct {
		id string
		at time.Time
	}
	var queue []job
	apiStreams := []string{"ecs/invoice-api/7c9e1a3b5d7f4a6c8e0b2d4f6a8c0e1d", "ecs/invoice-api/2e4a6c8e0b2d4f6a8c0e2b4d6f8a1c3e"}
	w.seconds(func(t time.Time) {
		for n := snapgen.Poisson(r, 1.8*w.scale); n > 0; n-- {
			at := t.Add(snapgen.Jitter(r, time.Second))
			id := "inv_" + snapgen.HexID(r, 10)
			queue = append(queue, job{id, at})
			sent.Add(at, 1)
			w.logs.Add("/ecs/invoice-api", apiStreams[r.Intn(2)], at, fmt.Sprintf(`INFO:     10.0.0.%d:%d - "POST /v1/invoices HTTP/1.1" 202 Accepted job=%s`, 11+r.Intn(2), 30000+r.Intn(30000), id))
		}
		// Each healthy task processes up to 0.9 jobs a second.
		for _, wk := range workers {
			if !up(wk, t) {
				continue
			}
			for n := snapgen.Poisson(r, 0.9*w.scale); n > 0 && len(queue) > 0; n-- {
				j := queue[0]
				queue = queue[1:]
				at := t.Add(snapgen.Jitter(r, time.Second))
				deleted.Add(at, 1)
				w.logs.Add("/ecs/billing-worker", "ecs/billing-worker/"+wk.id, at, fmt.Sprintf("%s INFO billing.worker processed invoice %s customer=cus_%s lines=%d total=%d.%02d EUR in %dms",
					at.Format("2006-01-02 15:04:05,000"), j.id, snapgen.HexID(r, 8), 1+r.Intn(30), 20+r.Intn(2000), r.Intn(100), 40+r.Intn(160)))
			}
		}
		if t.Second() == 0 {
			visible.Add(t, float64(len(queue)))
			a := 0.0
			if len(queue) > 0 {
				a = t.Sub(queue[0].at).Seconds()
			}
			age.Add(t, float64(int(a)))
			n := 3.0
			for _, wk := range workers {
				if up(wk, t) {
					n += 2
				}
			}
			dbConns.Add(t, n)
			workerCPU.Add(t, 9+r.Float64()*4)
			apiCPU.Add(t, 14+r.Float64()*3)
		}
	})
	for _, wk := range workers {
		for i, t := range wk.retries {
			at := t.Add(time.Duration(r.Intn(400)) * time.Millisecond)
			w.fail(at)
			loginFailures.Add(at, 1)
			w.logs.Add("/ecs/billing-worker", "ecs/billing-worker/"+wk.id, at, fmt.Sprintf(`%s ERROR billing.db could not connect to billing-db (attempt %d), retrying in %ds: (pymysql.err.OperationalError) (1045, "Access denied for user 'billing_app'@'%s' (using password: YES)")`,
				at.Format("2006-01-02 15:04:05,000"), i+1, int(min(5*time.Second<<i, 5*time.Minute).Seconds()), wk.ip))
			w.logs.Add("/aws/rds/cluster/billing-db/error", "billing-db-instance-1", at, fmt.Sprintf("%s %d [Note] [MY-010926] [Server] Access denied for user 'billing_app'@'%s' (using password: YES)", at.Format("2006-01-02T15:04:05.000000Z"), 88000+r.Intn(9000), wk.ip))
		}
	}
	// The database's routine error-log chatter.
	w.every(10*time.Minute, 3*time.Minute, func(at time.Time) {
		w.logs.Add("/aws/rds/cluster/billing-db/error", "billing-db-instance-1", at, fmt.Sprintf("%s 0 [Note] [MY-011953] [InnoDB] Page cleaner took %dms to flush %d and evict 0 pages", at.Format("2006-01-02T15:04:05.000000Z"), 4000+r.Intn(900), 100+r.Intn(300)))
	})

	rec := w.rotateSecret(rotateAt, secret, "billing-mysql-rotation")
	w.cause(rec, "prod/billing/mysql")
	rot := w.lambda("billing-mysql-rotation", "python3.12", 128)
	for i, step := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
		at := rotateAt.Add(time.Duration(1+i*2) * time.Second)
		w.invoke(rot, at, time.Duration(300+r.Intn(600))*time.Millisecond, false,
			logLine{50 * time.Millisecond, "INFO", fmt.Sprintf("%s: successfully completed step for secret %s version %s", step, secret, snapgen.UUID(snapgen.NewRand(55)))})
	}
	w.decoy(w.ecsAutoscale(onset.Add(-4*time.Minute-10*time.Second), "billing", "invoice-api", 3))
	ops := w.trail.IAMUser("grace")
	w.decoy(w.trail.Add(onset.Add(-7*time.Minute-30*time.Second), "ssm.amazonaws.com", "PutParameter", ops, "198.51.100.130", cliAgent+"ssm.put-parameter", false,
		map[string]any{"name": "/billing/feature-flags/new-tax-engine", "type": "String", "overwrite": true, "tier": "Standard"},
		map[string]any{"version": 12, "tier": "Standard"}))
	w.trailNoise(4)

	w.alarm(snapgen.Alarm{Name: "invoice-jobs-backlog", Description: "Oldest invoice job waits more than 5 minutes",
		Series: age, Statistic: "Maximum", Threshold: 300})
	w.securityHubControl("SecretsManager.4", "Secrets Manager secrets should be rotated within a specified number of days", "MEDIUM", "AwsSecretsManagerSecret", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/legacy/ftp-Ab12Cd", onset.Add(-30*time.Hour))
	w.truth.Signals = []string{"Access denied for user 'billing_app'", "RotateSecret", "prod/billing/mysql", "ApproximateAgeOfOldestMessage"}
}
