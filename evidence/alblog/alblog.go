// Package alblog parses Application Load Balancer access log lines in the
// format AWS documents: space-separated fields, some of them quoted, in a
// fixed order. AWS adds fields at the end over time and tells readers to
// ignore trailing fields they do not know, so a line may carry more (or,
// from older load balancers, fewer) fields than Entry has.
package alblog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Entry is one request. Unset values ("-" in the log) are zero values,
// except the processing times, which ALB writes as -1 when it could not
// dispatch the request or the target did not answer.
type Entry struct {
	Type                   string
	Time                   time.Time
	ELB                    string
	ClientIP               string
	ClientPort             int
	TargetIP               string // "" when no target was chosen
	TargetPort             int
	RequestProcessingTime  float64
	TargetProcessingTime   float64
	ResponseProcessingTime float64
	ELBStatusCode          int    // 0 when "-"
	TargetStatusCode       string // "" when "-" (no response from a target)
	ReceivedBytes          int64
	SentBytes              int64
	Method                 string
	URL                    string
	Protocol               string
	UserAgent              string
	SSLCipher              string
	SSLProtocol            string
	TargetGroupARN         string
	TraceID                string
	DomainName             string
	ChosenCertARN          string
	MatchedRulePriority    string
	RequestCreationTime    time.Time
	ActionsExecuted        string
	RedirectURL            string
	ErrorReason            string
	TargetPortList         string
	TargetStatusCodeList   string
	Classification         string
	ClassificationReason   string
	ConnTraceID            string
}

// Target returns "ip:port" of the target, or "" when there was none.
func (e *Entry) Target() string {
	if e.TargetIP == "" {
		return ""
	}
	return e.TargetIP + ":" + strconv.Itoa(e.TargetPort)
}

// fieldNames are the documented fields in order; the index is the field's
// position on the line, used in error messages.
var fieldNames = []string{
	"type", "time", "elb", "client:port", "target:port",
	"request_processing_time", "target_processing_time", "response_processing_time",
	"elb_status_code", "target_status_code", "received_bytes", "sent_bytes",
	"request", "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn",
	"trace_id", "domain_name", "chosen_cert_arn", "matched_rule_priority",
	"request_creation_time", "actions_executed", "redirect_url", "error_reason",
	"target:port_list", "target_status_code_list", "classification",
	"classification_reason", "conn_trace_id",
}

// minYear bounds request times from below (ALB launched in 2016).
const minYear = 2000

// minFields is the number of fields every ALB log line has had since the
// format began (through "request"); later ones are optional.
const minFields = 13

// ParseLine parses one access-log line.
func ParseLine(line string) (Entry, error) {
	var e Entry
	var fields [32]string // on the stack: ALB writes 30 fields today
	f, err := split(fields[:0], strings.TrimRight(line, "\r\n"))
	if err != nil {
		return e, err
	}
	if len(f) < minFields {
		return e, fmt.Errorf("%d fields, want at least %d (type through \"request\")", len(f), minFields)
	}
	bad := func(i int, why string) error {
		return fmt.Errorf("field %d (%s) %q: %s", i+1, fieldNames[i], f[i], why)
	}
	e.Type = f[0]
	if e.Type == "" || e.Type == "-" {
		return e, bad(0, "empty request type")
	}
	if e.Time, err = time.Parse(time.RFC3339Nano, f[1]); err != nil {
		return e, bad(1, "not an ISO 8601 time")
	}
	// Go reads "0001-01-01T0:00:00Z" as the zero time; no load balancer
	// logged a request before Application Load Balancers existed.
	if e.Time.Year() < minYear {
		return e, bad(1, fmt.Sprintf("a time before %d", minYear))
	}
	e.Time = e.Time.UTC()
	e.ELB = f[2]
	if e.ClientIP, e.ClientPort, err = hostPort(f[3]); err != nil || e.ClientIP == "" {
		return e, bad(3, "not ip:port")
	}
	if e.TargetIP, e.TargetPort, err = hostPort(f[4]); err != nil {
		return e, bad(4, "not ip:port or -")
	}
	for i, dst := range []*float64{&e.RequestProcessingTime, &e.TargetProcessingTime, &e.ResponseProcessingTime} {
		if *dst, err = seconds(f[5+i]); err != nil {
			return e, bad(5+i, "not a number of seconds or -1")
		}
	}
	if f[8] != "-" {
		if e.ELBStatusCode, err = strconv.Atoi(f[8]); err != nil || e.ELBStatusCode < 100 || e.ELBStatusCode > 999 {
			return e, bad(8, "not an HTTP status code")
		}
	}
	if f[9] != "-" {
		if n, err := strconv.Atoi(f[9]); err != nil || n < 100 || n > 999 {
			return e, bad(9, "not an HTTP status code or -")
		}
		e.TargetStatusCode = f[9]
	}
	if e.ReceivedBytes, err = count(f[10]); err != nil {
		return e, bad(10, "not a byte count")
	}
	if e.SentBytes, err = count(f[11]); err != nil {
		return e, bad(11, "not a byte count")
	}
	e.Method, e.URL, e.Protocol = request(f[12])
	opt := func(i int) string {
		if i >= len(f) || f[i] == "-" {
			return ""
		}
		return f[i]
	}
	e.UserAgent = opt(13)
	e.SSLCipher = opt(14)
	e.SSLProtocol = opt(15)
	e.TargetGroupARN = opt(16)
	e.TraceID = opt(17)
	e.DomainName = opt(18)
	e.ChosenCertARN = opt(19)
	e.MatchedRulePriority = opt(20)
	if s := opt(21); s != "" {
		if e.RequestCreationTime, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return e, bad(21, "not an ISO 8601 time")
		}
		e.RequestCreationTime = e.RequestCreationTime.UTC()
	}
	e.ActionsExecuted = opt(22)
	e.RedirectURL = opt(23)
	e.ErrorReason = opt(24)
	e.TargetPortList = opt(25)
	e.TargetStatusCodeList = opt(26)
	e.Classification = opt(27)
	e.ClassificationReason = opt(28)
	e.ConnTraceID = opt(29)
	return e, nil
}

// split appends to out the fields of line, cut at single spaces. A field that starts with
// a double quote runs to the next unescaped double quote; inside it, \" is
// a quote and \\ a backslash, the two escapes ALB writes.
func split(out []string, line string) ([]string, error) {
	i := 0
	for i < len(line) {
		if line[i] == '"' {
			// Most quoted values have no backslash: they are a plain
			// slice of the line, with no copy.
			if k := strings.IndexByte(line[i+1:], '"'); k >= 0 && strings.IndexByte(line[i+1:i+1+k], '\\') < 0 {
				j := i + 1 + k + 1
				if j < len(line) && line[j] != ' ' {
					return nil, fmt.Errorf("field %d: text right after a closing quote", len(out)+1)
				}
				out = append(out, line[i+1:i+1+k])
				i = j + 1
				continue
			}
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(line) {
				c := line[j]
				if c == '\\' && j+1 < len(line) && (line[j+1] == '"' || line[j+1] == '\\') {
					b.WriteByte(line[j+1])
					j += 2
					continue
				}
				if c == '"' {
					closed = true
					j++
					break
				}
				b.WriteByte(c)
				j++
			}
			if !closed {
				return nil, fmt.Errorf("field %d: unterminated quoted value", len(out)+1)
			}
			if j < len(line) && line[j] != ' ' {
				return nil, fmt.Errorf("field %d: text right after a closing quote", len(out)+1)
			}
			out = append(out, b.String())
			i = j + 1
			continue
		}
		j := strings.IndexByte(line[i:], ' ')
		if j < 0 {
			out = append(out, line[i:])
			break
		}
		if j == 0 {
			return nil, fmt.Errorf("field %d: empty (two spaces in a row)", len(out)+1)
		}
		out = append(out, line[i:i+j])
		i += j + 1
	}
	return out, nil
}

// hostPort splits "ip:port" (the port follows the last colon, so IPv6
// addresses work); "-" is no address.
func hostPort(s string) (string, int, error) {
	if s == "-" {
		return "", 0, nil
	}
	k := strings.LastIndexByte(s, ':')
	if k <= 0 {
		return "", 0, fmt.Errorf("no port")
	}
	port, err := strconv.Atoi(s[k+1:])
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("bad port")
	}
	host := s[:k]
	// An IPv6 address may come bracketed ("[2001:db8::1]:443"); keep the
	// address alone so filters compare it as ALB's other fields write it.
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return host, port, nil
}

func seconds(s string) (float64, error) {
	if s == "-" || s == "-1" {
		return -1, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bad seconds")
	}
	if v < 0 {
		if v != -1 {
			return 0, fmt.Errorf("bad seconds")
		}
		return -1, nil // "-1.000" as some exporters write ALB's -1
	}
	return v, nil
}

func count(s string) (int64, error) {
	if s == "-" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad count")
	}
	return n, nil
}

// request splits "METHOD URL PROTOCOL". ALB writes "- - - " when it could
// not parse the request; those parts come back empty.
func request(s string) (method, url, proto string) {
	s = strings.TrimSpace(s)
	first := strings.IndexByte(s, ' ')
	last := strings.LastIndexByte(s, ' ')
	if first < 0 {
		return dash(s), "", ""
	}
	method, proto = s[:first], s[last+1:]
	if last > first {
		url = s[first+1 : last]
	} else {
		proto = ""
		url = s[first+1:]
	}
	return dash(method), dash(url), dash(proto)
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
