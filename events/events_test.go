package events

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/rs/zerolog"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/slack-go/slack"

	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/bedrock/conversefake"
	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/investigate"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseDocumentedSamples(t *testing.T) {
	a, err := ParseAlarm(sample(t, "alarm-state-change.json"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "ServerCpuTooHigh" || a.State != "ALARM" || a.Previous != "OK" || a.ARN != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh" ||
		!a.Changed.Equal(time.Date(2019, 10, 2, 17, 4, 40, 989e6, time.UTC)) || !a.Starts() || a.Description == "" {
		t.Fatalf("parsed %+v", a)
	}
	c, err := ParseAlarm(sample(t, "composite-alarm-state-change.json"))
	if err != nil || c.Name != "ServiceAggregatedAlarm" || !c.Starts() || !c.Changed.Equal(time.Date(2022, 7, 22, 15, 57, 45, 394e6, time.UTC)) {
		t.Fatalf("composite: %+v %v", c, err)
	}
	if _, err := ParseAlarm([]byte(`{"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{}}`)); err == nil || !strings.Contains(err.Error(), "not a CloudWatch alarm state change") {
		t.Fatalf("another event type: %v", err)
	}
	// The same event inside an SQS batch and inside an SNS envelope.
	body, _ := json.Marshal(string(sample(t, "alarm-state-change.json")))
	batch := []byte(`{"Records":[{"messageId":"1","body":` + string(body) + `}]}`)
	snsWrapped := []byte(`{"Type":"Notification","MessageId":"m","Message":` + string(body) + `}`)
	for _, raw := range [][]byte{batch, snsWrapped} {
		evs := Unwrap(raw)
		if len(evs) != 1 {
			t.Fatalf("unwrap: %d events", len(evs))
		}
		if got, err := ParseAlarm(evs[0]); err != nil || got.Key() != a.Key() {
			t.Fatalf("unwrapped event: %v %v", got, err)
		}
	}
}

// demoEvent is AWS's documented sample with the demo's alarm and times,
// so the real engine investigates the demo snapshot.
func demoEvent(t *testing.T, state, stamp string) []byte {
	s := string(sample(t, "alarm-state-change.json"))
	s = strings.ReplaceAll(s, "ServerCpuTooHigh", "checkout-api-5xx-high")
	s = strings.Replace(s, `"timestamp": "2019-10-02T17:04:40.989+0000",
            "value": "ALARM"`, `"timestamp": "`+stamp+`",
            "value": "`+state+`"`, 1)
	if state == "OK" {
		s = strings.Replace(s, `"value": "OK"`, `"value": "ALARM"`, 1) // previousState
	}
	return []byte(s)
}

type world struct {
	fake         *awsfake.Server
	handler      *Handler
	investigated atomic.Int32
	mu           sync.Mutex
	objects      map[string]string
}

func newWorld(t *testing.T, s3Claims bool) *world {
	w := &world{fake: awsfake.New(t), objects: map[string]string{}}
	w.fake.Handle("Publish", awsfake.Always(awsfake.XMLResult("<MessageId>1a2b3c</MessageId>")))
	w.fake.Handle("PUT *", func(c awsfake.Call) awsfake.Reply {
		w.mu.Lock()
		defer w.mu.Unlock()
		key := strings.TrimPrefix(c.Op, "PUT ")
		if c.Header.Get("If-None-Match") == "*" {
			if _, ok := w.objects[key]; ok {
				return awsfake.Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold").WithStatus(412)
			}
		}
		w.objects[key] = c.Str("Body")
		return awsfake.OK("")
	})
	cfgAWS := w.fake.Config()
	s3c := s3.NewFromConfig(cfgAWS, func(o *s3.Options) { o.UsePathStyle = true })
	store := &S3Store{Client: s3c, Presign: s3.NewPresignClient(s3c), Bucket: "fa2-reports", Prefix: "fa2", Expiry: 6 * time.Hour}

	snap, err := snapshot.Open(filepath.Join("..", "examples", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Architecture = snap.Manifest().Architecture
	w.handler = &Handler{
		Investigate: func(ctx context.Context, a Alarm) (*investigate.Bundle, error) {
			w.investigated.Add(1)
			return investigate.Run(ctx, snap.Sources(), &cfg, investigate.Request{AlarmName: a.Name})
		},
		Publisher: SNSPublisher{Client: sns.NewFromConfig(cfgAWS), TopicARN: "arn:aws:sns:us-east-1:123456789012:fa2-notifications"},
		Store:     store,
		Claims:    &MemoryClaims{},
		Timeout:   time.Minute,
		Log:       zerolog.Nop(),
	}
	if s3Claims {
		w.handler.Claims = store
	}
	return w
}

func validateNotification(t *testing.T, msg string) map[string]any {
	t.Helper()
	c := jsonschema.NewCompiler()
	schema, err := jsonschema.UnmarshalJSON(strings.NewReader(string(sample(t, "custom-notification.schema.json"))))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("custom-notification.json", schema); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("custom-notification.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(msg))
	if err != nil {
		t.Fatalf("SNS message is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the message is not a valid custom notification: %v\n%s", err, msg)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(msg), &m)
	return m
}

func TestAlarmEventIsInvestigatedAndPublished(t *testing.T) {
	w := newWorld(t, false)
	outs, err := w.handler.Handle(context.Background(), demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000"))
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || !outs[0].Published || w.investigated.Load() != 1 {
		t.Fatalf("outcome %+v, investigations %d", outs, w.investigated.Load())
	}
	pubs := w.fake.Calls("Publish")
	if len(pubs) != 1 || pubs[0].Str("TopicArn") != "arn:aws:sns:us-east-1:123456789012:fa2-notifications" {
		t.Fatalf("publishes: %v", w.fake.Ops())
	}
	n := validateNotification(t, pubs[0].Str("Message"))
	content := n["content"].(map[string]any)
	desc := content["description"].(string)
	if len(desc) > maxDescription || !strings.Contains(desc, "RegisterTaskDefinition") || !strings.Contains(desc, "[PDF](http") {
		t.Fatalf("description:\n%s", desc)
	}
	if n["metadata"].(map[string]any)["threadId"] != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-high" {
		t.Fatalf("metadata %v", n["metadata"])
	}
	// The full set is in S3 and the links are presigned for the expiry.
	var names []string
	for k := range w.objects {
		names = append(names, k)
	}
	for _, want := range []string{"/fa2-reports/fa2/2026-11-20/checkout-api-5xx-high-092600/report.md", "/report.pdf", "/diagram.png", "/chart-1-"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("S3 lacks %s: %v", want, names)
		}
	}
	if len(outs[0].Links) < 3 {
		t.Fatalf("links %v", outs[0].Links)
	}
	u, err := url.Parse(outs[0].Links[0])
	if err != nil || u.Query().Get("X-Amz-Expires") != "21600" || u.Query().Get("X-Amz-Signature") == "" || !strings.HasSuffix(u.Path, "/report.md") {
		t.Fatalf("not a presigned link for 6h: %s", outs[0].Links[0])
	}
	if strings.Contains(w.objects["/fa2-reports/fa2/2026-11-20/checkout-api-5xx-high-092600/report.md"], "```mermaid") == false {
		t.Fatal("the stored report has no diagram")
	}
}

func TestOKEventIsOnlyNoted(t *testing.T) {
	w := newWorld(t, false)
	outs, err := w.handler.Handle(context.Background(), demoEvent(t, "OK", "2026-11-20T09:53:00.000+0000"))
	if err != nil {
		t.Fatal(err)
	}
	if w.investigated.Load() != 0 || len(w.fake.Calls("")) != 0 || !strings.Contains(outs[0].Skipped, "noted") {
		t.Fatalf("an OK transition did work: %+v, calls %v", outs, w.fake.Ops())
	}
}

func TestSameTransitionTwiceIsOneInvestigation(t *testing.T) {
	for _, viaS3 := range []bool{false, true} {
		w := newWorld(t, viaS3)
		ev := demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000")
		first, err := w.handler.Handle(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		second, err := w.handler.Handle(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if w.investigated.Load() != 1 || len(w.fake.Calls("Publish")) != 1 || !strings.Contains(second[0].Skipped, "already handled") || first[0].Key != second[0].Key {
			t.Fatalf("S3 claims %v: investigations %d, publishes %d, second %+v", viaS3, w.investigated.Load(), len(w.fake.Calls("Publish")), second)
		}
		// A later transition of the same alarm is a new one.
		if _, err := w.handler.Handle(context.Background(), demoEvent(t, "ALARM", "2026-11-20T11:00:00.000+0000")); err != nil {
			t.Fatal(err)
		}
		if w.investigated.Load() != 2 {
			t.Fatalf("a new transition was skipped")
		}
	}
}

func TestDeadlineKeepsAMarginAndSaysWhatDidNotFinish(t *testing.T) {
	w := newWorld(t, false)
	w.handler.Margin = 200 * time.Millisecond
	w.handler.Investigate = func(ctx context.Context, a Alarm) (*investigate.Bundle, error) {
		<-ctx.Done() // an investigation that would never end
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	outs, err := w.handler.Handle(ctx, demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000"))
	if err != nil {
		t.Fatalf("the notification was not published before the deadline: %v", err)
	}
	msg := w.fake.Calls("Publish")[0].Str("Message")
	validateNotification(t, msg)
	if !strings.Contains(msg, "did not finish") || !outs[0].Published {
		t.Fatalf("the notification does not say what did not finish: %s", msg)
	}
}

func TestLambdaHandlerThroughAWSLambdaGo(t *testing.T) {
	w := newWorld(t, false)
	h := lambda.NewHandler(LambdaHandler(w.handler))
	// EventBridge invokes with the event; an SQS event source with a batch.
	resp, err := h.Invoke(context.Background(), demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000"))
	if err != nil {
		t.Fatal(err)
	}
	var outs []Outcome
	if err := json.Unmarshal(resp, &outs); err != nil || len(outs) != 1 || !outs[0].Published {
		t.Fatalf("lambda response %s: %v", resp, err)
	}
	body, _ := json.Marshal(string(demoEvent(t, "OK", "2026-11-20T09:53:00.000+0000")))
	resp, err = h.Invoke(context.Background(), []byte(`{"Records":[{"messageId":"1","body":`+string(body)+`}]}`))
	if err != nil || !strings.Contains(string(resp), "noted") {
		t.Fatalf("batch: %s %v", resp, err)
	}
	// An unpublishable notification fails the invocation, so Lambda retries.
	w.fake.Handle("Publish", awsfake.Always(awsfake.Error("AuthorizationError", "not authorized to perform SNS:Publish").WithStatus(403)))
	_, err = h.Invoke(context.Background(), demoEvent(t, "ALARM", "2026-11-20T12:00:00.000+0000"))
	if err == nil || !strings.Contains(err.Error(), "Grant sns:Publish") {
		t.Fatalf("want the denied publish to fail the invocation naming the grant, got %v", err)
	}
}

func TestSQSPollerDeletesHandledMessages(t *testing.T) {
	w := newWorld(t, false)
	ev := string(demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000"))
	w.fake.Handle("ReceiveMessage", awsfake.Always(awsfake.OK(map[string]any{"Messages": []map[string]any{
		{"MessageId": "m1", "ReceiptHandle": "r1", "Body": ev},
		{"MessageId": "m2", "ReceiptHandle": "r2", "Body": ev},
		{"MessageId": "m3", "ReceiptHandle": "r3", "Body": `{"detail-type":"Scheduled Event","source":"aws.events","detail":{}}`},
	}})))
	w.fake.Handle("DeleteMessage", awsfake.Always(awsfake.OK(nil)))
	p := &Poller{Client: sqs.NewFromConfig(w.fake.Config()), QueueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/fa2-alarms", Handler: w.handler, Once: true}
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := w.fake.Calls("ReceiveMessage")[0]
	if rec.Num("WaitTimeSeconds") != 20 || rec.Num("VisibilityTimeout") < 60 {
		t.Fatalf("receive %v", rec.Params)
	}
	if del := w.fake.Calls("DeleteMessage"); len(del) != 3 || w.investigated.Load() != 1 || len(w.fake.Calls("Publish")) != 1 {
		t.Fatalf("deletes %d, investigations %d", len(del), w.investigated.Load())
	}
}

func TestLongReportsAreCutAtALineKeepingTheLinks(t *testing.T) {
	var notes []string
	for i := 0; i < 60; i++ {
		notes = append(notes, strings.Repeat("a source could not be read ", 4))
	}
	links := []Link{{"report.md", "https://b.s3.amazonaws.com/r.md?X-Amz-Signature=" + strings.Repeat("f", 64)}, {"report.pdf", "https://b.s3.amazonaws.com/r.pdf?X-Amz-Signature=" + strings.Repeat("e", 64)}}
	b := &investigate.Bundle{Verdict: strings.Repeat("Likely cause: a deploy. ", 30)}
	n := BuildNotification(Alarm{Name: "a", State: "ALARM", ARN: "arn:aws:cloudwatch:us-east-1:1:alarm:a"}, nil, b, notes, links, nil)
	d := n.Content.Description
	if len([]rune(d)) > maxDescription || !strings.Contains(d, "(cut; the full report has the rest)") {
		t.Fatalf("description of %d characters, not cut:\n%s", len([]rune(d)), d)
	}
	if !strings.HasSuffix(d, "[PDF]("+links[1].URL+")") || !strings.Contains(d, "[full report]("+links[0].URL+")") {
		t.Fatalf("links lost in the cut:\n%s", d)
	}
	// Cut between lines, never inside one.
	for _, line := range strings.Split(d, "\n") {
		if line != "" && !strings.HasPrefix(line, "Likely") && !strings.HasPrefix(line, "Note:") && !strings.HasPrefix(line, "…") && !strings.HasPrefix(line, "[full report]") {
			t.Fatalf("a line was cut: %q", line)
		}
	}
	b2, _ := json.Marshal(n)
	validateNotification(t, string(b2))
}

func TestAnalysisWhenAModelIsConfigured(t *testing.T) {
	w := newWorld(t, false)
	var analyzed atomic.Int32
	w.handler.Analyze = func(ctx context.Context, a Alarm) (*analysis.Report, error) {
		analyzed.Add(1)
		b, err := w.handler.Investigate(ctx, a)
		if err != nil {
			return nil, err
		}
		return &analysis.Report{Title: "checkout-api reads the staging database secret", Summary: "Revision 42 points DB_PASSWORD at the staging secret.",
			RootCause: analysis.RootCause{Text: "The task definition's secret ARN.", Confidence: analysis.High},
			Actions:   analysis.Actions{Mitigate: []string{"Roll back to checkout-api:41"}}, Bundle: b}, nil
	}
	if _, err := w.handler.Handle(context.Background(), demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000")); err != nil {
		t.Fatal(err)
	}
	n := validateNotification(t, w.fake.Calls("Publish")[0].Str("Message"))
	c := n["content"].(map[string]any)
	steps, _ := json.Marshal(c["nextSteps"])
	if analyzed.Load() != 1 || w.investigated.Load() != 1 || c["title"] != "fa2: checkout-api reads the staging database secret" ||
		!strings.Contains(c["description"].(string), "Root cause (high confidence)") || !strings.Contains(string(steps), "Roll back to checkout-api:41") {
		t.Fatalf("analysis not published: %v", c)
	}

	// A model that fails leaves the engine's evidence, and says so.
	w2 := newWorld(t, false)
	w2.handler.Analyze = func(ctx context.Context, a Alarm) (*analysis.Report, error) {
		return nil, errors.New("ThrottlingException: too many requests")
	}
	if _, err := w2.handler.Handle(context.Background(), demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000")); err != nil {
		t.Fatal(err)
	}
	msg := w2.fake.Calls("Publish")[0].Str("Message")
	if w2.investigated.Load() != 1 || !strings.Contains(msg, "analysis did not finish") || !strings.Contains(msg, "RegisterTaskDefinition") {
		t.Fatalf("fallback notification: %s", msg)
	}
}

// The model fails (Bedrock denies it) with the evidence in hand: the
// notification is the engine's answer, marked in its title and first line,
// with what to fix among the next steps; posted to Slack, the warning leads.
func TestDegradedAnalysisIsPublishedWithTheNotice(t *testing.T) {
	w := newWorld(t, false)
	model := conversefake.New(t, conversefake.FailFrom(0, conversefake.AccessDenied, conversefake.Sequence()))
	client := bedrock.New(model.AWSConfig(), config.Default().Bedrock, zerolog.Nop())
	w.handler.Analyze = func(ctx context.Context, a Alarm) (*analysis.Report, error) {
		b, err := w.handler.Investigate(ctx, a)
		if err != nil {
			return nil, err
		}
		return client.Analyze(ctx, b, bedrock.Request{Mode: bedrock.ModeOneShot, Alarm: a.Name})
	}
	if _, err := w.handler.Handle(context.Background(), demoEvent(t, "ALARM", "2026-11-20T09:26:00.000+0000")); err != nil {
		t.Fatal(err)
	}
	msg := w.fake.Calls("Publish")[0].Str("Message")
	n := validateNotification(t, msg)
	c := n["content"].(map[string]any)
	title, desc := c["title"].(string), c["description"].(string)
	steps, _ := json.Marshal(c["nextSteps"])
	if !strings.HasPrefix(title, "⚠ fa2: ") || !strings.Contains(title, "the model failed") {
		t.Errorf("title: %q", title)
	}
	if !strings.HasPrefix(desc, "**⚠ Evidence only: the model failed") || !strings.Contains(strings.SplitN(desc, "\n", 2)[0], "Bedrock denied access") {
		t.Errorf("description does not lead with the notice:\n%s", desc)
	}
	if !strings.Contains(desc, "Root cause (low confidence): UpdateService") || strings.Contains(desc, "analysis did not finish") {
		t.Errorf("description:\n%s", desc)
	}
	if !strings.Contains(string(steps), "bedrock:InvokeModel") || !strings.Contains(string(steps), "Check whether UpdateService") {
		t.Errorf("next steps: %s", steps)
	}
	if w.investigated.Load() != 1 {
		t.Errorf("investigated %d times, want once (the report carries its bundle)", w.investigated.Load())
	}
	if testing.Verbose() {
		t.Logf("%s\n%s\nnext steps: %s", title, strings.SplitN(desc, "\n\n[", 2)[0], steps)
	}

	chat := &slackChat{}
	srv := chat.server(t)
	p := SlackPublisher{API: slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/")), Channel: "C0ALARMS"}
	if err := p.Publish(context.Background(), []byte(msg)); err != nil {
		t.Fatal(err)
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(chat.posts[0].Get("blocks")), &blocks); err != nil || len(blocks) < 2 {
		t.Fatalf("blocks %s (%v)", chat.posts[0].Get("blocks"), err)
	}
	first, _ := json.Marshal(blocks[1])
	if !strings.Contains(string(first), `"text":"*⚠ Evidence only: the model failed`) {
		t.Errorf("the first section is not the warning: %s", first)
	}
}
