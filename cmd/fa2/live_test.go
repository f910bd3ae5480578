package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

// TestRunAgainstLiveAWSEndpoint drives `fa2 run` down the live path — the
// SDK's default credential chain, the region flag and an
// AWS_ENDPOINT_URL_CLOUDWATCH_LOGS override — against a local fake Logs
// endpoint, the way a user would point fa2 at LocalStack or a VPC endpoint.
func TestRunAgainstLiveAWSEndpoint(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("StartQuery", awsfake.Always(awsfake.OK(map[string]any{"queryId": "q-1"})))
	s.Handle("GetQueryResults", awsfake.Always(awsfake.OK(map[string]any{
		"status": "Complete",
		"results": [][]map[string]string{{
			{"field": "@timestamp", "value": "2026-11-20 09:23:10.000"},
			{"field": "@message", "value": "ERROR connection refused"},
			{"field": "@logStream", "value": "s-1"},
			{"field": "@log", "value": "123456789012:/ecs/api"},
		}},
		"statistics": map[string]float64{"recordsMatched": 42, "recordsScanned": 1000, "bytesScanned": 5e4},
	})))
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", s.URL)
	offlineAWS(t)

	code, out, errOut := runCLI(t, "run", "query_logs", "--region", "eu-west-1",
		"--json", `{"mode":"events","log_groups":["/ecs/api"],"filter":"ERROR","start":"-1h","limit":5}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Source  string `json:"source"`
		Matched int    `json:"matched"`
		Events  []struct {
			LogGroup string `json:"log_group"`
			Message  string `json:"message"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Source != "aws eu-west-1" || res.Matched != 42 || len(res.Events) != 1 || res.Events[0].LogGroup != "/ecs/api" {
		t.Errorf("result = %+v", res)
	}
	sent := s.Calls("StartQuery")
	if len(sent) != 1 || !strings.Contains(sent[0].Str("queryString"), `filter @message like "ERROR"`) {
		t.Errorf("StartQuery calls = %+v", sent)
	}
}

func TestRunReportsThrottlingAsAToolError(t *testing.T) {
	s := awsfake.New(t)
	s.Handle("StartQuery", awsfake.Always(awsfake.Throttled("ThrottlingException")))
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", s.URL)
	offlineAWS(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "1") // the SDK retries throttling itself; one attempt keeps the test fast
	code, out, errOut := runCLI(t, "run", "query_logs", "--region", "eu-west-1", "--json", `{"log_groups":["/ecs/api"]}`)
	if code != 1 || out != "" || !strings.Contains(errOut, "ThrottlingException") || !strings.Contains(errOut, "wait") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and an actionable throttling message", code, out, errOut)
	}
}
