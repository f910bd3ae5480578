package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
)

// TestMain lets a test start this very binary as fa2 (FA2_TEST_AS_FA2=1),
// the way the Lambda runtime starts bootstrap: no arguments.
func TestMain(m *testing.M) {
	if os.Getenv("FA2_TEST_AS_FA2") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// fakeRuntime is the Lambda Runtime API (2018-06-01) for one invocation:
// it hands out the event, then waits for the function's response.
type fakeRuntime struct {
	event    []byte
	response chan []byte
	served   bool
}

func (f *fakeRuntime) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/2018-06-01/runtime/invocation/next" && !f.served:
		f.served = true
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(2*time.Minute).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:fa2")
		_, _ = w.Write(f.event)
	case r.URL.Path == "/2018-06-01/runtime/invocation/next":
		<-r.Context().Done() // no second invocation; the test kills the process
	case strings.HasSuffix(r.URL.Path, "/response") || strings.HasSuffix(r.URL.Path, "/error"):
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		f.response <- append([]byte(r.URL.Path+" "), b...)
	default:
		http.NotFound(w, r)
	}
}

func TestLambdaRuntimeStartsWithoutArguments(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the binary")
	}
	event, err := os.ReadFile("../../events/testdata/alarm-state-change.json")
	if err != nil {
		t.Fatal(err)
	}
	ev := strings.ReplaceAll(string(event), "ServerCpuTooHigh", "checkout-api-5xx-high")
	ev = strings.Replace(ev, "2019-10-02T17:04:40.989+0000", "2026-11-20T09:26:00.000+0000", 1)

	rt := &fakeRuntime{event: []byte(ev), response: make(chan []byte, 1)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = http.Serve(ln, rt) }()

	aws := awsfake.New(t)
	aws.Handle("Publish", awsfake.Always(awsfake.XMLResult("<MessageId>m-1</MessageId>")))

	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FA2_TEST_AS_FA2=1", "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String(),
		"FA2_SNAPSHOT="+demoSnapshot, "FA2_BEDROCK_MODEL_ID=", "FA2_OUTPUT_SNS_TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:fa2",
		"AWS_ENDPOINT_URL_SNS="+aws.URL, "AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=SECRET", "AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE="+t.TempDir()+"/none", "AWS_SHARED_CREDENTIALS_FILE="+t.TempDir()+"/none", "AWS_EC2_METADATA_DISABLED=true")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	select {
	case resp := <-rt.response:
		s := string(resp)
		if !strings.HasPrefix(s, "/2018-06-01/runtime/invocation/req-1/response ") || !strings.Contains(s, `"published":true`) {
			t.Fatalf("runtime got %s\nstderr: %s", s, stderr.String())
		}
	case <-time.After(90 * time.Second):
		t.Fatalf("no response from the function; stderr: %s", stderr.String())
	}
	if pubs := aws.Calls("Publish"); len(pubs) != 1 || !strings.Contains(pubs[0].Str("Message"), `"source":"custom"`) {
		t.Fatalf("publishes: %v", aws.Ops())
	}
}

func TestServeHostsTheEventPollerWhenAQueueIsSet(t *testing.T) {
	aws := awsfake.New(t)
	received := make(chan struct{}, 1)
	aws.Handle("ReceiveMessage", func(c awsfake.Call) awsfake.Reply {
		select {
		case received <- struct{}{}:
		default:
		}
		return awsfake.OK(map[string]any{"Messages": []any{}})
	})
	for k, v := range map[string]string{"AWS_ENDPOINT_URL_SQS": aws.URL, "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_REGION": "us-east-1",
		"AWS_CONFIG_FILE": t.TempDir() + "/none", "AWS_SHARED_CREDENTIALS_FILE": t.TempDir() + "/none", "AWS_EC2_METADATA_DISABLED": "true",
		"FA2_EVENTS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/fa2-alarms", "FA2_BEDROCK_MODEL_ID": ""} {
		t.Setenv(k, v)
	}
	cf := commonFlags{snapshot: demoSnapshot, logLevel: "error"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env, err := cf.env(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := startEventPoller(ctx, env); err != nil {
		t.Fatal(err)
	}
	select {
	case <-received:
	case <-time.After(30 * time.Second):
		t.Fatal("the poller never read the queue")
	}
	if got := aws.Calls("ReceiveMessage")[0].Str("QueueUrl"); got != "https://sqs.us-east-1.amazonaws.com/123456789012/fa2-alarms" {
		t.Fatalf("queue %q", got)
	}
}
