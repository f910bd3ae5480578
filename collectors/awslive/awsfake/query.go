package awsfake

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
)

// The AWS Query protocol (SNS) posts form-encoded parameters with Action
// naming the operation and answers in XML; REST-XML (S3) names the
// operation by method and path and answers in XML, errors as <Error>.
//
// A handler of a Query operation returns its result members as an XML
// fragment in Body (a string), which the server wraps in
// <OpResponse><OpResult>…</OpResult></OpResponse>. A REST-XML handler
// returns the whole body (a string, possibly empty) and may set Header.

// XMLResult answers a Query operation with the members of its result.
func XMLResult(members string) Reply { return Reply{Body: members} }

// decodeQuery reads Action and the flattened parameters
// (MessageAttributes.entry.1.Name …) as they were sent.
func decodeQuery(raw []byte) (Call, error) {
	c := Call{Params: map[string]any{}}
	vals, err := url.ParseQuery(string(raw))
	if err != nil {
		return c, fmt.Errorf("query body is not form-encoded: %v", err)
	}
	c.Op = vals.Get("Action")
	c.Service = "" // Query operations are named plainly
	for k, v := range vals {
		if k != "Action" && len(v) > 0 {
			c.Params[k] = v[0]
		}
	}
	if c.Op == "" {
		return c, fmt.Errorf("query request without Action: %s", raw)
	}
	return c, nil
}

func writeQuery(w http.ResponseWriter, r *http.Request, reply Reply) error {
	_ = r
	w.Header().Set("Content-Type", "text/xml")
	if reply.Code != "" {
		w.WriteHeader(reply.status())
		_, err := fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>awsfake-1</RequestId></ErrorResponse>`,
			html.EscapeString(reply.Code), html.EscapeString(reply.Message))
		return err
	}
	op := queryOp(r)
	members, _ := reply.Body.(string)
	w.WriteHeader(reply.status())
	_, err := fmt.Fprintf(w, `<%sResponse xmlns="https://fake.amazonaws.com/doc/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>awsfake-1</RequestId></ResponseMetadata></%sResponse>`,
		op, op, members, op, op)
	return err
}

// queryOp is the operation serve noted on the request (decode consumed
// the body that named it).
func queryOp(r *http.Request) string {
	if op := r.Header.Get("X-Awsfake-Action"); op != "" {
		return op
	}
	return "Operation"
}

func writeRestXML(w http.ResponseWriter, reply Reply) error {
	w.Header().Set("Content-Type", "application/xml")
	if reply.Code != "" {
		w.WriteHeader(reply.status())
		_, err := fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>awsfake-1</RequestId></Error>`,
			html.EscapeString(reply.Code), html.EscapeString(reply.Message))
		return err
	}
	w.WriteHeader(reply.status())
	body, _ := reply.Body.(string)
	_, err := w.Write([]byte(strings.TrimSpace(body)))
	return err
}
