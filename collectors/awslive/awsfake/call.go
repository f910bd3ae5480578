package awsfake

import (
	"net/http"
	"net/url"
	"strconv"
)

// Call is one request the fake received, decoded whatever its protocol.
type Call struct {
	// Op is the operation ("StartQuery", "DescribeAlarms") or, for
	// REST-JSON, "METHOD /path" ("POST /TraceSummaries").
	Op string
	// Service is the X-Amz-Target prefix ("Logs_20140328") or the CBOR
	// service ("GraniteServiceVersion20100801"); "" for REST-JSON.
	Service string
	// N numbers the call among the calls to Op, from 1: handlers use it to
	// answer differently over time (RUNNING, then SUCCEEDED).
	N int
	// Params is the decoded body. Numbers are float64 in every protocol;
	// CBOR timestamps are time.Time (JSON ones stay epoch-second numbers).
	Params map[string]any
	// Query holds REST-JSON query-string parameters.
	Query url.Values
	// Header holds the request's headers (S3 conditions such as If-None-Match).
	Header http.Header
}

// is reports whether the call is to op, named plainly ("GetQueryResults")
// or qualified by its service ("AmazonAthena.GetQueryResults").
func (c Call) is(op string) bool {
	return op == c.Op || c.Service != "" && op == c.Service+"."+c.Op
}

// Get digs a value out of Params: strings index maps, ints index lists.
// It returns nil when any step is missing.
func (c Call) Get(path ...any) any {
	var v any = c.Params
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k < 0 || k >= len(l) {
				return nil
			}
			v = l[k]
		default:
			return nil
		}
	}
	return v
}

// Str returns the value at path as text: strings as they are, numbers and
// booleans as JSON writes them (so "50" for MaxResults), "" when absent.
func (c Call) Str(path ...any) string {
	switch v := c.Get(path...).(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// Num returns the number at path, 0 when absent.
func (c Call) Num(path ...any) float64 {
	n, _ := c.Get(path...).(float64)
	return n
}

// Strings returns the list of strings at path.
func (c Call) Strings(path ...any) []string {
	l, _ := c.Get(path...).([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}
