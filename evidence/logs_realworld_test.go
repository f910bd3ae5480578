package evidence

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// minedFixture reads testdata/logs/<name> (see its README) the way a log
// source does (severity from the message) and mines it.
func minedFixture(t *testing.T, name string) map[string]telemetry.LogPattern {
	t.Helper()
	raw, err := os.ReadFile("testdata/logs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var evs []telemetry.LogEvent
	for i, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		evs = append(evs, telemetry.LogEvent{Timestamp: time.Unix(1764583200+int64(i), 0), Message: l, Severity: Severity(l)})
	}
	out := map[string]telemetry.LogPattern{}
	for _, p := range MinePatterns(evs) {
		out[p.Template] = p
	}
	return out
}

// find is the pattern whose template holds every part.
func find(ps map[string]telemetry.LogPattern, parts ...string) (telemetry.LogPattern, bool) {
	for tpl, p := range ps {
		ok := true
		for _, part := range parts {
			ok = ok && strings.Contains(tpl, part)
		}
		if ok {
			return p, true
		}
	}
	return telemetry.LogPattern{}, false
}

// RDS for PostgreSQL lines (RDS's log_line_prefix): the level after the
// prefix is the severity, and lines differing only in client, pid and
// time share a template.
func TestRDSPostgreSQLLines(t *testing.T) {
	ps := minedFixture(t, "rds-postgresql.log")
	dup, ok := find(ps, "ERROR:", `duplicate key value violates unique constraint "orders_pkey"`)
	if !ok || dup.Count != 2 || dup.Severity != SevError {
		t.Errorf("duplicate key = %+v (%v)", dup, ok)
	}
	slots, ok := find(ps, "FATAL:", "remaining connection slots are reserved")
	if !ok || slots.Count != 2 || slots.Severity != SevFatal {
		t.Errorf("connection slots = %+v", slots)
	}
	if auth, ok := find(ps, "password authentication failed"); !ok || auth.Severity != SevFatal {
		t.Errorf("auth failure = %+v", auth)
	}
	if len(ps) > 9 {
		t.Errorf("%d templates for 12 lines of 9 kinds: %v", len(ps), ps)
	}
}

// VPC flow records: one template per action and log status, never one
// per connection.
func TestVPCFlowLogLines(t *testing.T) {
	ps := minedFixture(t, "vpc-flow.log")
	acc, ok1 := find(ps, "ACCEPT OK")
	rej, ok2 := find(ps, "REJECT OK")
	if !ok1 || !ok2 || acc.Count != 4 || rej.Count != 2 {
		t.Errorf("accept %+v reject %+v", acc, rej)
	}
	if _, ok := find(ps, "NODATA"); !ok {
		t.Errorf("NODATA records lost: %v", ps)
	}
	if len(ps) != 4 {
		t.Errorf("%d templates, want 4: %v", len(ps), ps)
	}
}

// API Gateway execution-log lines keyed by request id group by message.
func TestAPIGatewayLines(t *testing.T) {
	ps := minedFixture(t, "apigateway.log")
	if p, ok := find(ps, "Method completed with status:"); !ok || p.Count != 3 {
		t.Errorf("method completed = %+v", p)
	}
	if p, ok := find(ps, "Execution failed due to configuration error: Malformed Lambda proxy response"); !ok || p.Count != 2 {
		t.Errorf("execution failed = %+v", p)
	}
	if p, ok := find(ps, `"POST /orders HTTP/`); !ok || p.Count != 2 {
		t.Errorf("CLF access lines = %+v (%v)", p, ps)
	}
}
