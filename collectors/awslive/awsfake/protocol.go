package awsfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// protocol is one AWS wire protocol: how a request names its operation and
// encodes its parameters, and how answers and errors must look for the SDK
// to decode them.
type protocol int

const (
	awsJSON   protocol = iota // JSON 1.0/1.1 with X-Amz-Target
	restJSON                  // REST-JSON: operation in method and path
	rpcv2CBOR                 // Smithy RPC v2 CBOR
	awsQuery                  // AWS Query (SNS): form-encoded Action, XML answers
	restXML                   // REST-XML (S3): operation in method and path, XML answers
)

func protocolOf(r *http.Request) protocol {
	switch {
	case r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor":
		return rpcv2CBOR
	case r.Header.Get("X-Amz-Target") != "":
		return awsJSON
	case r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		return awsQuery
	case r.Header.Get("X-Amz-Content-Sha256") != "":
		// Only S3 signs its payload hash in a header.
		return restXML
	}
	return restJSON
}

// decode names the call's operation and decodes its parameters. An error
// means the SDK sent something its protocol does not allow.
func (p protocol) decode(r *http.Request) (Call, error) {
	raw, _ := io.ReadAll(r.Body)
	c := Call{Params: map[string]any{}, Query: r.URL.Query(), Header: r.Header.Clone()}
	switch p {
	case awsQuery:
		return decodeQuery(raw)
	case restXML:
		c.Op = r.Method + " " + r.URL.Path
		c.Params["Body"] = string(raw)
		return c, nil
	}
	var err error
	switch p {
	case awsJSON:
		target := r.Header.Get("X-Amz-Target")
		c.Service, c.Op, _ = strings.Cut(target, ".")
		if ct := r.Header.Get("Content-Type"); r.Method != http.MethodPost || !strings.HasPrefix(ct, "application/x-amz-json-1.") {
			err = fmt.Errorf("%s: %s with Content-Type %q, want POST of application/x-amz-json-1.x", c.Op, r.Method, ct)
		}
	case rpcv2CBOR:
		var svc string
		svc, c.Op, _ = strings.Cut(r.URL.Path, "/operation/")
		c.Service = strings.TrimPrefix(svc, "/service/")
		if r.Method != http.MethodPost || c.Op == "" {
			err = fmt.Errorf("not an RPC v2 CBOR call: %s %s", r.Method, r.URL.Path)
		}
	default:
		c.Op = r.Method + " " + r.URL.Path
	}
	if len(raw) == 0 || err != nil {
		return c, err
	}
	if p == rpcv2CBOR {
		v, derr := cbor.Decode(raw)
		if derr != nil {
			return c, fmt.Errorf("%s: body is not CBOR: %v", c.Op, derr)
		}
		if m, ok := fromCBOR(v).(map[string]any); ok {
			c.Params = m
		}
		return c, nil
	}
	if derr := json.Unmarshal(raw, &c.Params); derr != nil {
		return c, fmt.Errorf("%s: body is not a JSON object: %v: %s", c.Op, derr, raw)
	}
	return c, nil
}

// write sends the reply as the protocol wants it: JSON errors carry the
// code in the body's __type, REST-JSON ones in the X-Amzn-ErrorType header
// (real services send both), CBOR ones in the CBOR body's __type.
func (p protocol) write(w http.ResponseWriter, r *http.Request, reply Reply) error {
	switch p {
	case awsQuery:
		return writeQuery(w, r, reply)
	case restXML:
		return writeRestXML(w, reply)
	}
	body := reply.Body
	if reply.Code != "" {
		body = reply.errorBody()
	}
	if body == nil {
		body = map[string]any{}
	}
	if reply.QueryError != "" {
		w.Header().Set("X-Amzn-Query-Error", reply.QueryError)
	}
	switch p {
	case rpcv2CBOR:
		v, err := toCBOR(body)
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return err
		}
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		w.WriteHeader(reply.status())
		_, _ = w.Write(cbor.Encode(v))
		return nil
	case awsJSON:
		w.Header().Set("Content-Type", r.Header.Get("Content-Type")) // 1.0 or 1.1, as asked
	default:
		w.Header().Set("Content-Type", "application/json")
		if reply.Code != "" {
			w.Header().Set("X-Amzn-ErrorType", reply.Code)
		}
	}
	out, err := json.Marshal(body)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return err
	}
	w.WriteHeader(reply.status())
	_, _ = w.Write(out)
	return nil
}
