package awsfake

import "net/http"

// Reply is a handler's answer. The server encodes it in the protocol of
// the request, so the same Reply works for every service.
type Reply struct {
	// Status is the HTTP status; 0 means 200, or 400 for an error.
	Status int
	// Body is the answer (nil for {}). For an error, members of a
	// map[string]any Body are added to the error body (e.g. Logs'
	// queryCompileError).
	Body any
	// Code, when set, makes the reply an AWS error of that shape
	// ("ThrottlingException"); Message is its message.
	Code    string
	Message string
	// QueryError is the X-Amzn-Query-Error header ("Code;Sender") that
	// services with the awsQueryCompatible trait, such as CloudWatch, send
	// with an error so the SDK reports the old query-protocol code (smithy-go
	// transport/http/protocol/rpcv2: ParseQueryError, ErrorCodeOverride).
	QueryError string
}

// OK answers 200 with body.
func OK(body any) Reply { return Reply{Body: body} }

// Error answers an AWS error with status 400, the status AWS uses for
// throttling, access denied and validation errors alike.
func Error(code, message string) Reply { return Reply{Code: code, Message: message} }

// QueryCompatible answers an error of a query-compatible service: code is
// the shape in the body, queryCode;fault the header the SDK prefers.
func QueryCompatible(code, queryCode, fault, message string) Reply {
	return Reply{Code: code, Message: message, QueryError: queryCode + ";" + fault}
}

// WithStatus returns the reply with another HTTP status (401, 403, 500...).
func (r Reply) WithStatus(status int) Reply {
	r.Status = status
	return r
}

// Throttled is a throttling error; services name it differently
// ("Throttling", "ThrottlingException", "ThrottledException").
func Throttled(code string) Reply { return Error(code, "Rate exceeded") }

// Denied is an IAM access-denied error.
func Denied() Reply {
	return Error("AccessDeniedException", "User: arn:aws:iam::123456789012:user/t is not authorized to perform this action")
}

func (r Reply) status() int {
	switch {
	case r.Status != 0:
		return r.Status
	case r.Code != "":
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// errorBody is the error body of the JSON and CBOR protocols: __type is a
// qualified shape id, as AWS sends it (the SDK strips the namespace).
func (r Reply) errorBody() map[string]any {
	out := map[string]any{"__type": "com.amazonaws.fake#" + r.Code, "message": r.Message}
	if extra, ok := r.Body.(map[string]any); ok {
		for k, v := range extra {
			out[k] = v
		}
	}
	return out
}
