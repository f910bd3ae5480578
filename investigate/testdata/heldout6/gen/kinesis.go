package main

import (
	"fmt"
	"math"
	"time"
)

// kinesisScaleDown: a FinOps engineer shrinks clickstream-events from four
// shards to one to cut cost, after doing the same to the quiet
// audit-events stream. The merges finish about two minutes later and the
// producer's ~2,600 records/s no longer fit: PutRecords partially fails
// with ProvisionedThroughputExceededException, the producer retries and
// drops, and the consumer (one batch per shard) falls behind.
func kinesisScaleDown() *inc {
	start, end := ts("2026-11-21T20:30:00Z"), ts("2026-11-21T21:45:00Z")
	acct := "430915276684"
	i := newInc("kinesis-shard-scale-down", 6404, "us-west-2", acct, start, end,
		"clickstream: consumer lag and producer throttling",
		"clickstream-collector (ECS Fargate, Go, 6 tasks) receives page-view beacons and writes them with PutRecords (batches of up to 500) to the Kinesis data stream clickstream-events (provisioned mode). clickstream-enricher (Lambda, Node.js 20, event source mapping, one concurrent batch per shard) enriches them and writes to Firehose for the data lake. audit-events is a separate low-volume stream of admin actions.")
	stream := "clickstream-events"
	streamArn := "arn:aws:kinesis:us-west-2:" + acct + ":stream/" + stream
	change := ts("2026-11-21T21:07:13Z")
	halved := ts("2026-11-21T21:08:51Z")    // 4 → 2 shards
	single := ts("2026-11-21T21:11:34Z")    // 2 → 1
	capacity := func(t time.Time) float64 { // records/s the stream accepts
		switch {
		case t.Before(halved):
			return 4000
		case t.Before(single):
			return 2000
		}
		return 1000
	}
	shards := func(t time.Time) []string {
		switch {
		case t.Before(halved):
			return []string{"shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003"}
		case t.Before(single):
			return []string{"shardId-000000000004", "shardId-000000000005"}
		}
		return []string{"shardId-000000000006"}
	}

	i.noise(noiseCfg{lambdaRoles: []string{"clickstream-enricher-role", "audit-forwarder-role"}, taskRoles: []string{"clickstream-collector-task"},
		ecrRepos: []string{"clickstream-collector", "beacon-edge"}, secrets: []string{"prod/clickstream/geoip-license"}})
	finops := i.sso("FinOpsEngineer", "p.novak@northwind-retail.com")
	cli := func(t time.Time, name string, req, resp any) {
		i.ct(ev{t: t, who: finops, source: "kinesis.amazonaws.com", name: name, req: req, resp: resp, ip: "88.103.77.204",
			agent: "aws-cli/2.22.12 md/awscrt#0.23.4 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#kinesis"})
	}
	for _, t := range []string{"20:49:58", "20:51:40", "21:03:12", "21:06:44", "21:09:30", "21:12:02"} {
		cli(ts("2026-11-21T"+t+"Z"), "DescribeStreamSummary", map[string]any{"streamName": i.pick(stream, "audit-events")}, nil)
	}
	cli(ts("2026-11-21T20:52:10Z"), "DecreaseStreamRetentionPeriod", map[string]any{"streamName": stream, "retentionPeriodHours": 24}, nil)
	cli(ts("2026-11-21T21:04:37Z"), "UpdateShardCount", map[string]any{"streamName": "audit-events", "targetShardCount": 1, "scalingType": "UNIFORM_SCALING"},
		map[string]any{"streamName": "audit-events", "currentShardCount": 2, "targetShardCount": 1, "streamARN": "arn:aws:kinesis:us-west-2:" + acct + ":stream/audit-events"})
	cli(change, "UpdateShardCount", map[string]any{"streamName": stream, "targetShardCount": 1, "scalingType": "UNIFORM_SCALING"},
		map[string]any{"streamName": stream, "currentShardCount": 4, "targetShardCount": 1, "streamARN": streamArn})
	oncall := i.sso("DataPlatformAdmin", "k.osei@northwind-retail.com")
	i.ct(ev{t: ts("2026-11-21T21:19:26Z"), who: oncall, source: "lambda.amazonaws.com", name: "UpdateEventSourceMapping20150331", ip: "24.17.201.9", agent: "AWS Internal",
		req:  map[string]any{"uUID": "6f1d0c2e-4b7a-4d55-9a43-2c8e1b07f3aa", "batchSize": 500, "parallelizationFactor": 1},
		resp: map[string]any{"uUID": "6f1d0c2e-4b7a-4d55-9a43-2c8e1b07f3aa", "batchSize": 500, "eventSourceArn": streamArn, "functionArn": "arn:aws:lambda:us-west-2:" + acct + ":function:clickstream-enricher", "state": "Updating"}})
	aas := i.role(acct, "aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService", "AutoScaling")
	scale := ts("2026-11-21T21:14:08Z")
	i.ct(ev{t: scale, who: aas, source: "ecs.amazonaws.com", name: "UpdateService", ip: "ecs.application-autoscaling.amazonaws.com", agent: "ecs.application-autoscaling.amazonaws.com",
		req:  map[string]any{"cluster": "analytics", "service": "clickstream-collector", "desiredCount": 8},
		resp: map[string]any{"service": map[string]any{"serviceName": "clickstream-collector", "desiredCount": 8, "runningCount": 6}}})
	i.ct(ev{t: ts("2026-11-21T20:37:40Z"), who: aas, source: "ecs.amazonaws.com", name: "UpdateService", ip: "ecs.application-autoscaling.amazonaws.com", agent: "ecs.application-autoscaling.amazonaws.com",
		req:  map[string]any{"cluster": "analytics", "service": "clickstream-collector", "desiredCount": 6},
		resp: map[string]any{"service": map[string]any{"serviceName": "clickstream-collector", "desiredCount": 6, "runningCount": 5}}})

	// producer
	tasks := []string{}
	for k := 0; k < 8; k++ {
		tasks = append(tasks, "clickstream-collector/collector/"+i.hex(32))
	}
	pg := "/ecs/clickstream-collector"
	incoming, throttled, cpu := map[time.Time]float64{}, map[time.Time]float64{}, map[time.Time]float64{}
	backlog := 0.0 // records the consumer has not read, in seconds of traffic
	ageMax := map[time.Time]float64{}
	readRate := map[time.Time]float64{}
	var onset time.Time
	hot := func(t time.Time) bool { // a bot hammering one partition key, before
		return t.After(ts("2026-11-21T20:41:00Z")) && t.Before(ts("2026-11-21T20:44:30Z"))
	}
	i.everyMinute(func(m time.Time) {
		rate := 2600 + 350*math.Sin(float64(m.Sub(start).Minutes())/9) // records/s offered
		nTasks := 6
		if m.After(scale.Add(90 * time.Second)) {
			nTasks = 8
		}
		for s := 0; s < 60; s += 10 {
			t := m.Add(time.Duration(s) * time.Second)
			offered := rate * 10
			accepted := math.Min(offered*1.04, capacity(t)*10) // retries add load
			thr := math.Max(0, offered*1.04-accepted)
			if hot(t) {
				thr += 40 + float64(i.r.Intn(120))
			}
			incoming[m] += offered - math.Max(0, thr-offered*0.04)
			throttled[m] += thr
			for k := 0; k < nTasks; k++ {
				tt := t.Add(time.Duration(i.r.Intn(9000)) * time.Millisecond)
				per := int(offered / float64(nTasks))
				fail := int(thr / float64(nTasks))
				line := fmt.Sprintf(`{"level":"info","ts":%.6f,"caller":"producer/batch.go:118","msg":"flushed batches","stream":"clickstream-events","records":%d,"batches":%d,"failed":%d}`, float64(tt.UnixMicro())/1e6, per, per/500+1, fail)
				i.log(pg, tasks[k], tt, line)
				if fail > 0 && (thr > offered*0.02 || i.r.Intn(3) == 0) {
					sh := shards(t)
					shard := sh[i.r.Intn(len(sh))]
					if hot(t) {
						shard = "shardId-000000000002"
					}
					i.log(pg, tasks[k], tt.Add(3*time.Millisecond), fmt.Sprintf(`{"level":"warn","ts":%.6f,"caller":"producer/batch.go:142","msg":"PutRecords partial failure, retrying","stream":"clickstream-events","failed":%d,"total":500,"attempt":%d,"error_code":"ProvisionedThroughputExceededException","error_message":"Rate exceeded for shard %s in stream clickstream-events under account %s."}`,
						float64(tt.UnixMicro())/1e6+0.003, min(fail/(per/500+1)+1, 500), 1+i.r.Intn(3), shard, acct))
					if !t.Before(change) && (onset.IsZero() || tt.Before(onset)) {
						onset = tt
					}
					if !t.Before(halved) && i.r.Intn(2) == 0 {
						i.log(pg, tasks[k], tt.Add(900*time.Millisecond), fmt.Sprintf(`{"level":"error","ts":%.6f,"caller":"producer/batch.go:171","msg":"dropping records after max retries","stream":"clickstream-events","dropped":%d,"error":"ProvisionedThroughputExceededException: Rate exceeded for shard %s in stream clickstream-events under account %s.","stacktrace":"main.(*Producer).flush\n\t/src/producer/batch.go:171\nmain.(*Producer).loop\n\t/src/producer/batch.go:96"}`,
							float64(tt.UnixMicro())/1e6+0.9, fail/4+i.r.Intn(20), shard, acct))
					}
				}
			}
		}
		// pre-existing noise: beacons with bad JSON, a GeoIP miss
		if i.r.Intn(2) == 0 {
			i.log(pg, tasks[i.r.Intn(6)], i.jitter(m, time.Minute), fmt.Sprintf(`{"level":"warn","ts":%.6f,"caller":"http/beacon.go:54","msg":"rejecting beacon","error":"invalid character '}' looking for beginning of object key string","remote":"%d.%d.%d.%d"}`, float64(m.UnixMicro())/1e6+i.r.Float64()*60, 60+i.r.Intn(100), i.r.Intn(255), i.r.Intn(255), i.r.Intn(255)))
		}
		cpu[m] = i.noisy(38, 0.08) + 30*throttled[m]/math.Max(incoming[m], 1)*6/float64(nTasks)
		// consumer: one batch at a time per shard, ~900 records/s each;
		// after a merge the children wait until the parents are drained
		written := math.Min(rate*1.04, capacity(m))
		if m.Equal(halved.Truncate(time.Minute)) || m.Equal(single.Truncate(time.Minute)) {
			backlog += written * 25
		}
		read := math.Min(float64(len(shards(m)))*900, written+backlog/60)
		backlog = math.Max(0, backlog+(written-read)*60)
		readRate[m] = read
		ageMax[m] = 800 + i.r.Float64()*600 + backlog/math.Max(read, 1)*1000
	})
	i.truth = map[string]any{"kind": "kinesis-capacity", "alarm": "clickstream-enricher-iterator-age",
		"root_cause": map[string]any{"event_name": "UpdateShardCount", "event_time": change.Format(time.RFC3339), "resource": stream},
		"onset":      onset.Format(time.RFC3339),
		"decoys": []any{change0("UpdateShardCount", "2026-11-21T21:04:37Z"), change0("DecreaseStreamRetentionPeriod", "2026-11-21T20:52:10Z"),
			change0("UpdateEventSourceMapping20150331", "2026-11-21T21:19:26Z"), change0("UpdateService", "2026-11-21T21:14:08Z")},
		"signals": []string{"ProvisionedThroughputExceededException", "clickstream-events"}}

	// consumer logs (Node.js runtime format)
	cg := "/aws/lambda/clickstream-enricher"
	var envs []string
	for k := 0; k < 4; k++ {
		envs = append(envs, "2026/11/21/[$LATEST]"+i.hex(32))
	}
	inv := map[time.Time]float64{}
	i.everyMinute(func(m time.Time) {
		n := len(shards(m)) * 25
		for k := 0; k < n; k++ {
			t0 := m.Add(time.Duration(k) * time.Minute / time.Duration(n)).Add(time.Duration(i.r.Intn(900)) * time.Millisecond)
			env := envs[k%len(envs)]
			rid := i.uuid()
			d := 1900 + i.r.Float64()*500
			i.log(cg, env, t0, fmt.Sprintf("START RequestId: %s Version: $LATEST", rid))
			if i.r.Intn(15) == 0 {
				i.log(cg, env, t0.Add(700*time.Millisecond), fmt.Sprintf("%s\t%s\tWARN\tgeoip lookup failed for 2 records: AddressNotFoundError: The address 10.0.0.1 is not in the database.", t0.Add(700*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), rid))
			}
			i.log(cg, env, t0.Add(time.Duration(d)*time.Millisecond), fmt.Sprintf("%s\t%s\tINFO\tenriched batch records=%d shard=%s lagMs=%d", t0.Add(time.Duration(d)*time.Millisecond).Format("2006-01-02T15:04:05.000Z"), rid, int(readRate[m]*60)/n, shards(m)[k%len(shards(m))], int(ageMax[m]*(0.6+0.4*i.r.Float64()))))
			i.log(cg, env, t0.Add(time.Duration(d+2)*time.Millisecond), fmt.Sprintf("END RequestId: %s", rid))
			i.log(cg, env, t0.Add(time.Duration(d+3)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: 143 MB", rid, d, int(d)+1))
			inv[m]++
		}
	})

	sd := dims("StreamName", stream)
	i.metric("AWS/Kinesis", "IncomingRecords", "Count", sd, func(m time.Time) (float64, float64) { return incoming[m], 1 })
	i.metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", "Count", sd, func(m time.Time) (float64, float64) { return throttled[m], 1 })
	i.metric("AWS/Kinesis", "PutRecords.ThrottledRecords", "Count", sd, func(m time.Time) (float64, float64) { return throttled[m], 1 })
	i.metric("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "Milliseconds", sd, func(m time.Time) (float64, float64) { return ageMax[m], 1 })
	i.metric("AWS/Kinesis", "IncomingRecords", "Count", dims("StreamName", "audit-events"), func(m time.Time) (float64, float64) { return i.poisson(40), 1 })
	fn := dims("FunctionName", "clickstream-enricher")
	i.metric("AWS/Lambda", "IteratorAge", "Milliseconds", fn, func(m time.Time) (float64, float64) { return ageMax[m], 1 })
	i.metric("AWS/Lambda", "Invocations", "Count", fn, func(m time.Time) (float64, float64) { return inv[m], 1 })
	i.metric("AWS/ECS", "CPUUtilization", "Percent", dims("ClusterName", "analytics", "ServiceName", "clickstream-collector"), func(m time.Time) (float64, float64) { return cpu[m], 1 })
	var fired time.Time
	var val float64
	run := 0
	for m := start; m.Before(end); m = m.Add(time.Minute) {
		if ageMax[m] > 60000 {
			run++
		} else {
			run = 0
		}
		if run == 3 && fired.IsZero() {
			fired, val = m.Add(time.Minute+35*time.Second), math.Round(ageMax[m])
		}
	}
	i.alarm(alarmSpec{name: "clickstream-enricher-iterator-age", desc: "clickstream-enricher is more than a minute behind clickstream-events.", ns: "AWS/Lambda", metric: "IteratorAge", stat: "Maximum",
		cmp: "GreaterThanThreshold", unit: "Milliseconds", dims: fn, threshold: 60000, period: 60, evalPeriods: 3, datapoints: 3, fired: fired, value: val,
		actions: []string{"arn:aws:sns:us-west-2:" + acct + ":data-platform-oncall"}})
	return i
}
