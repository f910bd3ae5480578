package ownbody

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// closingBody behaves like smithy-go's safeWriteToReadCloser: once closed,
// WriteTo fails with io.EOF.
type closingBody struct {
	mu     sync.Mutex
	r      *strings.Reader
	closed bool
}

func (b *closingBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, io.EOF
	}
	return b.r.Read(p)
}

func (b *closingBody) WriteTo(w io.Writer) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, io.EOF
	}
	return b.r.WriteTo(w)
}

func (b *closingBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}

type recordingDoer struct{ got *http.Request }

func (d *recordingDoer) Do(r *http.Request) (*http.Response, error) {
	d.got = r
	return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
}

// The transport must be able to finish reading its body after the SDK has
// closed the body it built — the moment net/http's writeLoop would otherwise
// fail and close the connection.
func TestTransportBodySurvivesTheSDKClosingItsOwn(t *testing.T) {
	sdkBody := &closingBody{r: strings.NewReader(`{"logGroupName":"/ecs/api"}`)}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", sdkBody)
	req.ContentLength = 27
	next := &recordingDoer{}
	if _, err := Wrap(next).Do(req); err != nil {
		t.Fatal(err)
	}
	_ = sdkBody.Close() // what smithy-go's ClientHandler does after Do returns
	if _, err := io.Copy(io.Discard, sdkBody); err == nil {
		t.Fatal("the stand-in for the SDK body should fail after Close, or this test proves nothing")
	}
	got, err := io.ReadAll(next.got.Body)
	if err != nil || string(got) != `{"logGroupName":"/ecs/api"}` {
		t.Fatalf("transport body = %q, %v", got, err)
	}
	if next.got.ContentLength != 27 || next.got.GetBody == nil {
		t.Errorf("ContentLength %d, GetBody set %v", next.got.ContentLength, next.got.GetBody != nil)
	}
	if next.got == req {
		t.Error("the original request was passed on; the transport would share the SDK's body")
	}
}

func TestRequestsWithoutABodyPassThrough(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	next := &recordingDoer{}
	if _, err := Wrap(next).Do(req); err != nil {
		t.Fatal(err)
	}
	if next.got != req {
		t.Error("a bodiless request should be passed on unchanged")
	}
}
