package awslive

import (
	"strings"
	"testing"

	"github.com/fa2/fa2/collectors/awslive/awsfake"
	"github.com/fa2/fa2/telemetry"
)

// errorCase is an AWS error reply and what a collector must turn it into:
// a telemetry.Error of kind whose text mentions hint.
type errorCase struct {
	reply awsfake.Reply
	kind  telemetry.Kind
	hint  string
}

// checkErrors answers op with each case's error on a fresh fake and checks
// what call returns: each service has its own table, the check is the same.
func checkErrors(t *testing.T, op string, cases []errorCase, call func(*Client) error) {
	t.Helper()
	for _, tc := range cases {
		s := awsfake.New(t)
		s.Handle(op, awsfake.Always(tc.reply))
		err := call(fakeClient(s, nil))
		if e, ok := telemetry.AsError(err); !ok || e.Kind != tc.kind || !strings.Contains(e.Error(), tc.hint) {
			t.Errorf("%s answering %s: got %v, want kind %s with %q", op, tc.reply.Code, err, tc.kind, tc.hint)
		}
	}
}

// wantKind fails unless err is a telemetry.Error of kind k with a hint.
func wantKind(t *testing.T, err error, k telemetry.Kind) *telemetry.Error {
	t.Helper()
	e, ok := telemetry.AsError(err)
	if !ok {
		t.Fatalf("error = %v (%T), want a telemetry.Error of kind %s", err, err, k)
	}
	if e.Kind != k {
		t.Fatalf("kind = %s, want %s (error: %v)", e.Kind, k, e)
	}
	if e.Hint == "" {
		t.Errorf("error %q has no hint", e.Msg)
	}
	return e
}
