// Package conversefake is a strict Amazon Bedrock Converse endpoint for
// tests: an httptest server speaking the REST-JSON wire format that the real
// SDK client talks to. It rejects, with Bedrock's ValidationException, the
// requests Bedrock rejects (tool blocks without toolConfig, an unanswered
// toolUse, an empty error toolResult, roles that do not alternate,
// temperature together with topP, …), records every request, and answers
// from a script the test writes. Slack, deploy and analysis tests share it.
package conversefake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Request is a Converse request as it arrived on the wire.
type Request struct {
	ModelID         string          `json:"-"`
	Messages        []Message       `json:"messages"`
	System          []Block         `json:"system,omitempty"`
	InferenceConfig *Inference      `json:"inferenceConfig,omitempty"`
	ToolConfig      *ToolConfig     `json:"toolConfig,omitempty"`
	Additional      json.RawMessage `json:"additionalModelRequestFields,omitempty"`
}

// Message is one turn.
type Message struct {
	Role    string  `json:"role"`
	Content []Block `json:"content"`
}

// Block is a content block; exactly one field is set.
type Block struct {
	Text       *string     `json:"text,omitempty"`
	ToolUse    *ToolUse    `json:"toolUse,omitempty"`
	ToolResult *ToolResult `json:"toolResult,omitempty"`
	CachePoint *CachePoint `json:"cachePoint,omitempty"`
	Other      bool        `json:"-"`
}

// ToolUse is the model asking for a tool.
type ToolUse struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
}

// ToolResult answers a ToolUse.
type ToolResult struct {
	ToolUseID string        `json:"toolUseId"`
	Content   []ResultBlock `json:"content"`
	Status    string        `json:"status,omitempty"`
}

// ResultBlock is a part of a tool result.
type ResultBlock struct {
	Text *string         `json:"text,omitempty"`
	JSON json.RawMessage `json:"json,omitempty"`
}

// CachePoint marks a prompt-cache boundary.
type CachePoint struct {
	Type string `json:"type"`
}

// Inference is inferenceConfig.
type Inference struct {
	MaxTokens     *int     `json:"maxTokens,omitempty"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

// ToolConfig is toolConfig.
type ToolConfig struct {
	Tools      []ToolEntry     `json:"tools"`
	ToolChoice json.RawMessage `json:"toolChoice,omitempty"`
}

// ToolEntry is a tool definition or a cache point.
type ToolEntry struct {
	ToolSpec *struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		InputSchema struct {
			JSON json.RawMessage `json:"json"`
		} `json:"inputSchema"`
	} `json:"toolSpec,omitempty"`
	CachePoint *CachePoint `json:"cachePoint,omitempty"`
}

// Text returns every text block of the request (system and messages),
// joined, for assertions on what reached the model.
func (r *Request) Text() string {
	var b strings.Builder
	for _, s := range r.System {
		if s.Text != nil {
			b.WriteString(*s.Text + "\n")
		}
	}
	for _, m := range r.Messages {
		for _, c := range m.Content {
			if c.Text != nil {
				b.WriteString(*c.Text + "\n")
			}
			if c.ToolResult != nil {
				for _, rc := range c.ToolResult.Content {
					if rc.Text != nil {
						b.WriteString(*rc.Text + "\n")
					}
					if rc.JSON != nil {
						b.Write(rc.JSON)
						b.WriteString("\n")
					}
				}
			}
		}
	}
	return b.String()
}

// ToolNames lists the toolSpec names offered.
func (r *Request) ToolNames() []string {
	if r.ToolConfig == nil {
		return nil
	}
	var out []string
	for _, t := range r.ToolConfig.Tools {
		if t.ToolSpec != nil {
			out = append(out, t.ToolSpec.Name)
		}
	}
	return out
}

// LastResults returns the tool results of the last user message.
func (r *Request) LastResults() []ToolResult {
	if len(r.Messages) == 0 {
		return nil
	}
	var out []ToolResult
	for _, c := range r.Messages[len(r.Messages)-1].Content {
		if c.ToolResult != nil {
			out = append(out, *c.ToolResult)
		}
	}
	return out
}

// ResultText joins a tool result's text.
func (t ToolResult) ResultText() string {
	var parts []string
	for _, c := range t.Content {
		if c.Text != nil {
			parts = append(parts, *c.Text)
		}
		if c.JSON != nil {
			parts = append(parts, string(c.JSON))
		}
	}
	return strings.Join(parts, "\n")
}

// Reply is what the scripted model answers: a message, or an error.
type Reply struct {
	Text       string
	ToolUses   []ToolUse
	StopReason string // default end_turn, or tool_use when ToolUses are set
	// Err, when set, is returned instead of a message.
	Err *Error
	// InputTokens overrides the estimate of the request's input tokens.
	InputTokens  int
	OutputTokens int
	CacheRead    int
}

// Error is an AWS error reply.
type Error struct {
	Status int
	Type   string // e.g. ThrottlingException
	Msg    string
}

// Script decides the reply to the call-th request (0-based).
type Script func(call int, req *Request) Reply

// Server is the fake endpoint.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	script   Script
	requests []*Request
	rejected []string
	// Lenient turns validation failures into test log lines instead of
	// ValidationException replies (never used by fa2's own tests).
	Lenient bool
}

// New starts a fake that answers with script; it is closed with the test.
func New(t testing.TB, script Script) *Server {
	s := &Server{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

// AWSConfig returns an aws.Config pointing the SDK at the fake with static
// credentials, as tests of the real client need.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(s.URL),
	}
}

// Requests returns the requests that passed validation, in order.
func (s *Server) Requests() []*Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Request(nil), s.requests...)
}

// Rejected returns the validation messages of requests the fake refused.
func (s *Server) Rejected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rejected...)
}

var conversePath = regexp.MustCompile(`^/model/([^/]+)/converse$`)

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	m := conversePath.FindStringSubmatch(r.URL.EscapedPath())
	if r.Method != http.MethodPost || m == nil {
		writeError(w, &Error{Status: 404, Type: "UnknownOperationException", Msg: "only POST /model/{modelId}/converse is served"})
		return
	}
	modelID, _ := url.PathUnescape(m[1])
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, &Error{Status: 400, Type: "ValidationException", Msg: err.Error()})
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		writeError(w, &Error{Status: 403, Type: "UnrecognizedClientException", Msg: "The security token included in the request is invalid."})
		return
	}
	var req Request
	if err := decodeRequest(body, &req); err != nil {
		writeError(w, &Error{Status: 400, Type: "ValidationException", Msg: err.Error()})
		return
	}
	req.ModelID = modelID
	if problem := Validate(&req); problem != "" {
		s.mu.Lock()
		s.rejected = append(s.rejected, problem)
		s.mu.Unlock()
		if !s.Lenient {
			writeError(w, &Error{Status: 400, Type: "ValidationException", Msg: problem})
			return
		}
	}
	s.mu.Lock()
	call := len(s.requests)
	s.requests = append(s.requests, &req)
	s.mu.Unlock()
	reply := s.script(call, &req)
	if reply.Err != nil {
		writeError(w, reply.Err)
		return
	}
	writeReply(w, &req, len(body), reply)
}

// decodeRequest reads the body, noting blocks of kinds this fake does not
// model so validation can still see them.
func decodeRequest(body []byte, req *Request) error {
	if err := json.Unmarshal(body, req); err != nil {
		return fmt.Errorf("request body is not valid Converse JSON: %v", err)
	}
	var raw struct {
		Messages []struct {
			Content []map[string]json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	_ = json.Unmarshal(body, &raw)
	for i, m := range raw.Messages {
		for j, c := range m.Content {
			known := false
			for _, k := range []string{"text", "toolUse", "toolResult", "cachePoint"} {
				if _, ok := c[k]; ok {
					known = true
				}
			}
			if !known && i < len(req.Messages) && j < len(req.Messages[i].Content) {
				req.Messages[i].Content[j].Other = true
			}
		}
	}
	return nil
}

func writeError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.Type+":http://internal.amazon.com/coral/com.amazon.bedrock/")
	w.Header().Set("X-Amzn-RequestId", "fake-request")
	status := e.Status
	if status == 0 {
		status = 400
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": e.Msg})
}

func writeReply(w http.ResponseWriter, req *Request, bodyLen int, reply Reply) {
	var content []map[string]any
	if reply.Text != "" {
		content = append(content, map[string]any{"text": reply.Text})
	}
	for _, u := range reply.ToolUses {
		input := u.Input
		if len(input) == 0 {
			input = json.RawMessage("{}")
		}
		content = append(content, map[string]any{"toolUse": map[string]any{"toolUseId": u.ToolUseID, "name": u.Name, "input": input}})
	}
	if len(content) == 0 {
		content = append(content, map[string]any{"text": "(no answer)"})
	}
	stop := reply.StopReason
	if stop == "" {
		stop = "end_turn"
		if len(reply.ToolUses) > 0 {
			stop = "tool_use"
		}
	}
	in := reply.InputTokens
	if in == 0 {
		in = bodyLen / 4 // roughly what a tokenizer makes of JSON-wrapped English
	}
	out := reply.OutputTokens
	if out == 0 {
		out = (len(reply.Text) + 40*len(reply.ToolUses)) / 4
	}
	usage := map[string]any{"inputTokens": in, "outputTokens": out, "totalTokens": in + out}
	if reply.CacheRead > 0 {
		usage["cacheReadInputTokens"] = reply.CacheRead
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": content}},
		"stopReason": stop,
		"usage":      usage,
		"metrics":    map[string]any{"latencyMs": 5},
	})
}

// Sequence scripts the replies in order; past the end it repeats the last.
func Sequence(replies ...Reply) Script {
	return func(call int, _ *Request) Reply {
		if len(replies) == 0 {
			return Reply{Text: "(no script)"}
		}
		return replies[min(call, len(replies)-1)]
	}
}

// FailFrom answers requests from the n-th (0-based) on with e, and the
// earlier ones with script: a model that works for a while, then loses its
// access, is throttled or goes down in the middle of an analysis. Retries
// of the failing call fail too, as they do when Bedrock keeps refusing.
func FailFrom(n int, e *Error, script Script) Script {
	return func(call int, req *Request) Reply {
		if call >= n {
			return Reply{Err: e}
		}
		return script(call, req)
	}
}

// Bedrock's errors as Converse returns them (status and type as in the
// Converse API reference), with the messages it sends.
var (
	AccessDenied  = &Error{Status: 403, Type: "AccessDeniedException", Msg: "You don't have access to the model with the specified model ID."}
	Throttling    = &Error{Status: 429, Type: "ThrottlingException", Msg: "Too many tokens, please wait before trying again."}
	ModelNotReady = &Error{Status: 429, Type: "ModelNotReadyException", Msg: "Model is not ready for inference. Wait and try your request again."}
	Unavailable   = &Error{Status: 503, Type: "ServiceUnavailableException", Msg: "Bedrock is unable to process your request."}
)
