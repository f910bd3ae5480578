package main

import (
	"fmt"
	"time"
)

// ddbStream: a Terraform apply of the catalog module (PITR enabled, stream
// block dropped in a refactor) disables the DynamoDB stream on
// catalog-items. The Lambda that projects items into OpenSearch is simply
// never invoked again: no errors anywhere, invocations and IteratorAge
// vanish, and search serves stale prices until a freshness canary alarms.
func ddbStream(s *snap) {
	s.setup("us-west-2", "240917733051", ts("2026-11-26T15:40:00Z"), 90,
		"catalog search index lag high",
		"catalog-api (Kotlin/Spring Boot on ECS) writes items to DynamoDB table catalog-items; its stream (NEW_AND_OLD_IMAGES) triggers Lambda catalog-search-indexer (Python 3.12, python-json-logger) which bulk-indexes into OpenSearch domain catalog-search; search-api (Node, pino) serves /search. A canary Lambda catalog-search-freshness writes a probe item every minute and publishes Catalog/Search IndexLagSeconds.")
	table := "catalog-items"
	tableARN := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", s.region, s.account, table)
	change := ts("2026-11-26T16:31:18Z")
	pitr := ts("2026-11-26T16:31:09Z")
	ttl := ts("2026-11-26T16:12:44Z")
	onset := ts("2026-11-26T16:32:00Z")
	last := change.Add(9 * time.Second) // last batch from the closed shards
	indexer := "/aws/lambda/catalog-search-indexer"
	canary := "/aws/lambda/catalog-search-freshness"
	invocations := map[time.Time]float64{}
	writes := map[time.Time]float64{}
	lagAt := func(t time.Time) float64 {
		if t.Before(last) {
			return 2 + s.rng.Float64()*3
		}
		return t.Sub(last).Seconds()
	}
	istreams := []string{"2026/11/26/[$LATEST]" + "4c2e8a0b6d1f43e5a7c9b1d3f5e7a9c1", "2026/11/26/[$LATEST]" + "9e1a3c5b7d9f41a3c5e7b9d1f3a5c7e9"}
	s.minutes(func(m time.Time) {
		w := s.jitter(140, 0.2)
		if m.After(ts("2026-11-26T16:02:00Z")) && m.Before(ts("2026-11-26T16:09:00Z")) {
			w *= 3 // supplier price feed import
		}
		writes[m] = w
		// Indexer invocations: batches every few seconds while the stream runs.
		if m.Before(last) {
			nb := int(s.jitter(14, 0.2) * w / 140)
			for i := 0; i < nb; i++ {
				t := s.at(m)
				if !t.Before(last) {
					continue
				}
				invocations[m]++
				rid := s.uuid()
				st := istreams[s.rng.Intn(2)]
				recs := 1 + s.rng.Intn(30)
				dur := 60 + s.rng.Float64()*240
				s.log(indexer, st, t, "START RequestId: "+rid+" Version: $LATEST")
				s.log(indexer, st, t.Add(20*time.Millisecond), js(map[string]any{"asctime": t.Format("2006-01-02 15:04:05,000"), "levelname": "INFO", "name": "indexer", "message": "bulk indexed", "records": recs, "index": "catalog-items-v7", "aws_request_id": rid}))
				if s.rng.Float64() < 0.05 {
					s.log(indexer, st, t.Add(30*time.Millisecond), js(map[string]any{"asctime": t.Format("2006-01-02 15:04:05,000"), "levelname": "WARNING", "name": "indexer", "message": "bulk item rejected, retrying", "error": "es_rejected_execution_exception: rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=48213, max_coordinating_and_primary_bytes=53687091]", "aws_request_id": rid}))
				}
				s.log(indexer, st, t.Add(time.Duration(dur)*time.Millisecond), "END RequestId: "+rid)
				s.log(indexer, st, t.Add(time.Duration(dur)*time.Millisecond), fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t", rid, dur, int(dur)+1, 88+s.rng.Intn(20)))
			}
		}
		// Canary: writes a probe, checks search 50s later.
		t := m.Add(time.Duration(2000+s.rng.Intn(500)) * time.Millisecond)
		rid := s.uuid()
		cst := "2026/11/26/[$LATEST]d0b2f4a6c8e04a2c6e8a0c2e4a6c8e0a"
		lag := lagAt(t)
		s.log(canary, cst, t, "START RequestId: "+rid+" Version: $LATEST")
		if t.Before(last) {
			s.log(canary, cst, t.Add(51*time.Second), fmt.Sprintf("[INFO]\t%s\t%s\tprobe probe-%d visible in search after %.1fs", t.Add(51*time.Second).Format("2006-01-02T15:04:05.000Z"), rid, m.Unix(), lag))
		} else {
			s.log(canary, cst, t.Add(51*time.Second), fmt.Sprintf("[WARNING]\t%s\t%s\tprobe probe-%d not found in index catalog-items-v7 after 50s; newest indexed document is %ds old", t.Add(51*time.Second).Format("2006-01-02T15:04:05.000Z"), rid, m.Unix(), int(lag)+51))
		}
		s.log(canary, cst, t.Add(52*time.Second), "END RequestId: "+rid)
		s.log(canary, cst, t.Add(52*time.Second), fmt.Sprintf("REPORT RequestId: %s\tDuration: 50412.33 ms\tBilled Duration: 50413 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\t", rid))
		// catalog-api (Spring Boot plain text) and search-api (pino).
		for i := 0; i < 14; i++ {
			t := s.at(m)
			th := fmt.Sprintf("http-nio-8080-exec-%d", 1+s.rng.Intn(40))
			line := t.Format("2006-01-02T15:04:05.000Z") + "  INFO 1 --- [catalog-api] [" + th + "] c.o.catalog.web.ItemController         : " + s.pick("PUT /items/sku-"+fmt.Sprint(100000+s.rng.Intn(90000))+" 200 "+fmt.Sprint(8+s.rng.Intn(30))+"ms", "GET /items/sku-"+fmt.Sprint(100000+s.rng.Intn(90000))+" 200 "+fmt.Sprint(3+s.rng.Intn(10))+"ms")
			if s.rng.Float64() < 0.03 {
				line = t.Format("2006-01-02T15:04:05.000Z") + " ERROR 1 --- [catalog-api] [" + th + "] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception\n" +
					"software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException: The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: " + s.alnum(52) + ")\n" +
					"\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n" +
					"\tat com.outfitly.catalog.store.ItemStore.putIfVersion(ItemStore.kt:88)\n\tat com.outfitly.catalog.web.ItemController.update(ItemController.kt:54)"
			}
			s.log("/ecs/catalog-api", "catalog-api/app/"+s.pick("1a3c5e7b9d2f4a6c8e0b2d4f6a8c0e2b", "7c9e1a3b5d7f49a1c3e5b7d9f1a3c5e7"), t, line)
		}
		for i := 0; i < 20; i++ {
			t := s.at(m)
			lvl, msg := 30, "search served"
			rec := map[string]any{"time": t.UnixMilli(), "pid": 1, "hostname": "ip-10-70-" + fmt.Sprint(10+s.rng.Intn(3)) + "-" + fmt.Sprint(s.rng.Intn(250)) + ".us-west-2.compute.internal",
				"q": s.pick("running shoes", "rain jacket", "merino", "trail pack 30l", "headlamp"), "hits": s.rng.Intn(300), "tookMs": 12 + s.rng.Intn(60)}
			if m.After(ts("2026-11-26T15:58:00Z")) && m.Before(ts("2026-11-26T16:04:00Z")) && s.rng.Float64() < 0.3 {
				lvl, msg = 40, "opensearch slow response"
				rec["tookMs"] = 900 + s.rng.Intn(1500)
			}
			if s.rng.Float64() < 0.01 {
				lvl, msg = 50, "search failed"
				rec["err"] = map[string]any{"type": "ResponseError", "message": "search_phase_execution_exception: [query_shard_exception] Reason: failed to create query: maxClauseCount is set to 1024"}
			}
			rec["level"], rec["msg"] = lvl, msg
			s.log("/ecs/search-api", "search-api/app/"+s.pick("0e2c4a6b8d0f42e4a6c8e0b2d4f6a8c1", "5b7d9f1a3c5e47b9d1f3a5c7e9b1d3f6"), t, js(rec))
		}
	})

	fn := []dim{{"FunctionName", "catalog-search-indexer"}}
	s.counter("AWS/Lambda", "Invocations", fn, func(m time.Time) (float64, bool) {
		v := invocations[m]
		return v, v > 0
	})
	s.counter("AWS/Lambda", "Errors", fn, func(m time.Time) (float64, bool) { return 0, invocations[m] > 0 })
	s.series("AWS/Lambda", "IteratorAge", "Milliseconds", fn, func(m time.Time) (float64, float64, bool) {
		if invocations[m] == 0 {
			return 0, 0, false
		}
		return s.jitter(1400, 0.4), invocations[m], true
	})
	s.series("AWS/Lambda", "Duration", "Milliseconds", fn, func(m time.Time) (float64, float64, bool) {
		if invocations[m] == 0 {
			return 0, 0, false
		}
		return s.jitter(170, 0.3), invocations[m], true
	})
	s.counter("AWS/DynamoDB", "ReturnedRecordsCount", []dim{{"Operation", "GetRecords"}, {"StreamLabel", "2025-06-12T18:22:41.115"}, {"TableName", table}}, func(m time.Time) (float64, bool) {
		if m.After(last) {
			return 0, false
		}
		return writes[m], true
	})
	s.series("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Count", []dim{{"TableName", table}}, func(m time.Time) (float64, float64, bool) {
		return writes[m] * 1.6, 1, true
	})
	s.series("AWS/DynamoDB", "SuccessfulRequestLatency", "Milliseconds", []dim{{"Operation", "PutItem"}, {"TableName", table}}, func(m time.Time) (float64, float64, bool) {
		return s.jitter(5.5, 0.2), writes[m], true
	})
	s.series("AWS/ES", "CPUUtilization", "Percent", []dim{{"DomainName", "catalog-search"}, {"ClientId", s.account}}, func(m time.Time) (float64, float64, bool) {
		v := s.jitter(34, 0.15)
		if m.After(ts("2026-11-26T15:58:00Z")) && m.Before(ts("2026-11-26T16:09:00Z")) {
			v = s.jitter(78, 0.08)
		}
		if m.After(last) {
			v = s.jitter(21, 0.15) // no more bulk indexing
		}
		return v, 3, true
	})
	lagDims := []dim{{"Index", "catalog-items-v7"}}
	s.series("Catalog/Search", "IndexLagSeconds", "Seconds", lagDims, func(m time.Time) (float64, float64, bool) {
		return lagAt(m.Add(30 * time.Second)), 1, true
	})
	s.alarm("catalog-search-index-lag-high", "Catalog/Search", "IndexLagSeconds", "Maximum", lagDims, 300, "GreaterThanThreshold", 3, ts("2026-11-26T16:39:58Z"),
		"Threshold Crossed: 3 out of the last 3 datapoints [470.0 (26/11/26 16:39:00), 410.0 (26/11/26 16:38:00), 350.0 (26/11/26 16:37:00)] were greater than the threshold (300.0) (minimum 3 datapoints for OK -> ALARM transition).")
	s.okAlarm("catalog-search-indexer-errors", "AWS/Lambda", "Errors", fn, 5)
	s.okAlarm("catalog-search-indexer-iterator-age", "AWS/Lambda", "IteratorAge", fn, 60000)

	// CloudTrail.
	s.noise(430, []string{"catalog-api-task", "search-api-task", "catalog-search-indexer-role", "ecsTaskExecutionRole"}, []string{"outfitly-tf-state", "outfitly-catalog-images"})
	tf := s.role("terraform-apply", "atlantis-catalog-1187", "35.161.22.140", "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/dynamodb#1.36.2")
	nora := s.role("AWSReservedSSO_Developer_3f8a1c6e9b2d4075", "nora.kaplan@outfitly.com", "71.212.9.44", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15")
	res := map[string]any{"accountId": s.account, "type": "AWS::DynamoDB::Table", "ARN": tableARN}
	s.ct(ttl, nora, "dynamodb.amazonaws.com", "UpdateTimeToLive", false, map[string]any{"tableName": table, "timeToLiveSpecification": map[string]any{"enabled": true, "attributeName": "expiresAt"}},
		map[string]any{"timeToLiveSpecification": map[string]any{"enabled": true, "attributeName": "expiresAt"}}, res)
	// Terraform plan refresh: reads, then the apply.
	for i, op := range []string{"DescribeTable", "DescribeContinuousBackups", "DescribeTimeToLive", "ListTagsOfResource", "DescribeTable", "DescribeKinesisStreamingDestination"} {
		s.ct(ts("2026-11-26T16:29:40Z").Add(time.Duration(i*3)*time.Second), tf, "dynamodb.amazonaws.com", op, true, map[string]any{"tableName": table}, nil, res)
		s.ct(ts("2026-11-26T16:30:55Z").Add(time.Duration(i*2)*time.Second), tf, "dynamodb.amazonaws.com", op, true, map[string]any{"tableName": table}, nil, res)
	}
	s.ct(pitr, tf, "dynamodb.amazonaws.com", "UpdateContinuousBackups", false, map[string]any{"tableName": table, "pointInTimeRecoverySpecification": map[string]any{"pointInTimeRecoveryEnabled": true}},
		map[string]any{"continuousBackupsDescription": map[string]any{"continuousBackupsStatus": "ENABLED", "pointInTimeRecoveryDescription": map[string]any{"pointInTimeRecoveryStatus": "ENABLED"}}}, res)
	s.ct(change, tf, "dynamodb.amazonaws.com", "UpdateTable", false, map[string]any{"tableName": table, "streamSpecification": map[string]any{"streamEnabled": false}},
		map[string]any{"tableDescription": map[string]any{"tableName": table, "tableStatus": "UPDATING", "tableArn": tableARN, "latestStreamLabel": "2025-06-12T18:22:41.115",
			"latestStreamArn": tableARN + "/stream/2025-06-12T18:22:41.115", "billingModeSummary": map[string]any{"billingMode": "PAY_PER_REQUEST"}}}, res)
	for i := 0; i < 6; i++ {
		s.ct(change.Add(time.Duration(3+i*4)*time.Second), tf, "dynamodb.amazonaws.com", "DescribeTable", true, map[string]any{"tableName": table}, nil, res)
	}
	s.ct(change.Add(31*time.Second), tf, "dynamodb.amazonaws.com", "TagResource", false, map[string]any{"resourceArn": tableARN, "tags": []map[string]any{{"key": "backup-tier", "value": "pitr"}}}, nil, res)
	// Lambda service polling the stream until it closes (data-plane reads show as management describe calls).
	for t := s.start.Add(90 * time.Second); t.Before(s.end); t = t.Add(time.Duration(4+s.rng.Intn(4)) * time.Minute) {
		s.ct(t, s.service("lambda.amazonaws.com"), "dynamodb.amazonaws.com", "DescribeStream", true, map[string]any{"streamArn": tableARN + "/stream/2025-06-12T18:22:41.115"}, nil)
	}
	s.ct(ts("2026-11-26T16:05:12Z"), s.service("application-autoscaling.amazonaws.com"), "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "catalog", "service": "catalog-api", "desiredCount": 5}, nil)
	s.ct(ts("2026-11-26T16:22:40Z"), s.service("application-autoscaling.amazonaws.com"), "ecs.amazonaws.com", "UpdateService", false, map[string]any{"cluster": "catalog", "service": "catalog-api", "desiredCount": 3}, nil)

	s.truth = truth{Kind: "dynamodb-stream-disabled", Alarm: "catalog-search-index-lag-high",
		RootCause: &rootCause{"UpdateTable", change, table}, Onset: onset,
		Decoys:  []decoy{{"UpdateTimeToLive", ttl}, {"UpdateContinuousBackups", pitr}, {"TagResource", change.Add(31 * time.Second)}},
		Signals: []string{"catalog-search-indexer", "catalog-items"}}
}
