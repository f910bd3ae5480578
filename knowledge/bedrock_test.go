package knowledge

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// fakeBedrock speaks the Retrieve REST-JSON wire format on httptest.
func fakeBedrock(t *testing.T, handler func(w http.ResponseWriter, body map[string]any)) aws.Config {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/knowledgebases/KB12345678/retrieve" {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
		if !strings.Contains(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256") {
			t.Error("request not signed")
		}
		b, _ := io.ReadAll(r.Body)
		var body map[string]any
		json.Unmarshal(b, &body)
		w.Header().Set("Content-Type", "application/json")
		handler(w, body)
	}))
	t.Cleanup(srv.Close)
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), RetryMaxAttempts: 1}
}

func TestBedrockKBRetrieve(t *testing.T) {
	var got map[string]any
	cfg := fakeBedrock(t, func(w http.ResponseWriter, body map[string]any) {
		got = body
		io.WriteString(w, `{"retrievalResults":[
			{"content":{"text":"Restore the  dynamodb:PutItem\nstatement.","type":"TEXT"},"location":{"type":"S3","s3Location":{"uri":"s3://acme-runbooks/dynamodb/access-denied.md"}},"score":0.61},
			{"content":{"text":"Past incident: order-api lost PutItem after a Terraform apply."},"location":{"type":"WEB","webLocation":{"url":"https://wiki.example.com/pm/2026-09"}},"score":0.83,"metadata":{"x-amz-bedrock-kb-chunk-id":"c1"}}
		]}`)
	})
	res, err := NewBedrockKB(cfg, "KB12345678").Search(context.Background(), "AccessDenied dynamodb:PutItem", 4)
	if err != nil {
		t.Fatal(err)
	}
	if q := got["retrievalQuery"].(map[string]any)["text"]; q != "AccessDenied dynamodb:PutItem" {
		t.Errorf("query sent %v", q)
	}
	if n := got["retrievalConfiguration"].(map[string]any)["vectorSearchConfiguration"].(map[string]any)["numberOfResults"]; n != 4.0 {
		t.Errorf("numberOfResults %v", n)
	}
	if len(res) != 2 || res[0].URI != "https://wiki.example.com/pm/2026-09" || res[0].Score != 0.83 || res[0].Title != "2026-09" || res[0].Source != "bedrock" {
		t.Fatalf("results %+v: want best score first with its URI", res)
	}
	if res[1].Passage != "Restore the dynamodb:PutItem statement." || res[1].Title != "access-denied.md" {
		t.Errorf("second result %+v", res[1])
	}
}

func TestBedrockKBErrorsSayWhatToDo(t *testing.T) {
	cfg := fakeBedrock(t, func(w http.ResponseWriter, body map[string]any) {
		w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"User is not authorized to perform: bedrock:Retrieve"}`)
	})
	_, err := NewBedrockKB(cfg, "KB12345678").Search(context.Background(), "x", 3)
	if err == nil || !strings.Contains(err.Error(), "grant bedrock:Retrieve") {
		t.Errorf("err = %v", err)
	}
	// Multi keeps the local answer when the knowledge base fails.
	l, _ := NewLocal(runbooks(t))
	t.Cleanup(func() { l.Close() })
	res, err := Multi{l, NewBedrockKB(cfg, "KB12345678")}.Search(context.Background(), "security group inbound 6379", 3)
	if err == nil || len(res) == 0 || res[0].Source != "local" {
		t.Errorf("multi: %+v, %v", res, err)
	}
}
