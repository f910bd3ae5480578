// Package ownbody hands net/http a request body that the AWS SDK cannot close
// under it.
//
// Why: smithy-go's ClientHandler closes the request body as soon as
// http.Client.Do returns (transport/http/client.go, "HTTP RoundTripper
// *should* close the request body…"). net/http's writeLoop may still be
// inside transferWriter.writeBody at that moment: after copying
// ContentLength bytes it copies the rest of the body to io.Discard to check
// the length (net/http/transfer.go). The SDK's closed body answers that copy
// with io.EOF as an error (smithy-go transport/http/internal/io/safe.go,
// safeWriteToReadCloser.WriteTo), the writeLoop treats it as a write failure
// and closes the connection — while the response body is still being read.
// The SDK then reports "StatusCode: 200 … failed to decode response body …
// use of closed network connection" (aws/aws-sdk-go-v2#1825, #2737). A fast
// server, such as a local endpoint or the tests' fake, loses that race often.
//
// Giving the transport its own in-memory copy of the body removes the race:
// the SDK closes its body, the transport reads from the copy. fa2's requests
// are small JSON/CBOR documents the SDK already holds in memory, so the copy
// costs nothing worth measuring.
package ownbody

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// Doer is the SDK's HTTP client interface (aws.HTTPClient).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Client sends each request with a private copy of its body.
type Client struct {
	Next Doer
}

// Wrap returns next behind a Client; a nil next means http.DefaultClient.
func Wrap(next Doer) *Client {
	if next == nil {
		next = http.DefaultClient
	}
	return &Client{Next: next}
}

// Do reads the body into memory and sends a clone of req carrying the copy.
// The original body is closed here, as a RoundTripper would.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.Next.Do(req)
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(b))
	clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	clone.ContentLength = int64(len(b))
	return c.Next.Do(clone)
}
