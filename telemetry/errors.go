package telemetry

import (
	"errors"
	"fmt"
)

// Kind classifies failures the caller can act on.
type Kind string

const (
	KindInvalidInput Kind = "invalid_input" // the request itself is wrong
	KindNotFound     Kind = "not_found"     // a named resource does not exist
	KindThrottled    Kind = "throttled"     // AWS rate limits; retry later or narrow
	KindLimit        Kind = "limit"         // a service quota such as concurrent queries
	KindAccessDenied Kind = "access_denied" // IAM permissions are missing
	KindUnsupported  Kind = "unsupported"   // this backend cannot do it
	KindTimeout      Kind = "timeout"       // the deadline passed before results came
	KindUnavailable  Kind = "unavailable"   // the service failed or could not be reached
)

// Error is a failure worth showing to the user or model: it says what went
// wrong and what to do next. Tools turn it into an isError tool result.
type Error struct {
	Kind Kind
	// Msg says what happened, in one sentence.
	Msg string
	// Hint says what to do next, in one sentence.
	Hint string
	// Err is the underlying cause, kept for logs and errors.Is.
	Err error
	// Op is the call that failed, such as "logs:StartQuery" (for AWS, also
	// the IAM action it needs), or "" when the failure is not one call's.
	// Like net.OpError's Op it is kept out of Msg and put before it by Error.
	Op string
}

func (e *Error) Error() string {
	s := e.Msg
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Hint == "" {
		return s
	}
	return s + " " + e.Hint
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error of the given kind; the message reads first, and
// WithHint adds what to do next:
//
//	telemetry.Errorf(telemetry.KindNotFound, "log group %q is not in this snapshot.", name).
//		WithHint("Use one of the snapshot's log groups.")
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// WithHint sets what the reader should do next and returns e.
func (e *Error) WithHint(hint string) *Error {
	e.Hint = hint
	return e
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
