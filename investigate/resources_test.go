package investigate

import "testing"

func TestNameMatching(t *testing.T) {
	cases := []struct {
		a, b             string
		part, same, sibl bool
	}{
		{"ledger-sync", "ledger-sync-dlq", false, false, true},
		{"web-frontend-tg", "web-frontend-canary-tg", false, false, false},
		{"web-frontend", "web-frontend-canary-tg", false, false, true},
		{"acme-reports-exports", "acme-reports-exports-logs", false, false, true},
		{"orders", "staging-orders", false, false, false}, // a plain word matches only as a path segment
		{"checkout-api", "staging-checkout-api", false, false, true},
		{"checkout-api", "checkout-api-tg", true, false, false},
		{"sessions-cache", "sessions-cache-0001-001", true, true, false},
		{"prod/billing/mysql", "prod/billing/mysql-hq27lx", true, true, false},
		{"checkout-api", "checkout-api", true, true, false},
	}
	for _, c := range cases {
		if got := partOf(c.a, c.b); got != c.part {
			t.Errorf("partOf(%q, %q) = %v, want %v", c.a, c.b, got, c.part)
		}
		if got := sameResource(c.a, c.b); got != c.same {
			t.Errorf("sameResource(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
		if got := siblings(c.a, c.b); got != c.sibl {
			t.Errorf("siblings(%q, %q) = %v, want %v", c.a, c.b, got, c.sibl)
		}
	}
}

func TestPolicyActionsAreNotNames(t *testing.T) {
	ids := identifiers(`{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::acme-exports/*"} not authorized to perform: kms:Decrypt`)
	for _, id := range ids {
		if id == "s3:putobject" || id == "kms:decrypt" {
			t.Errorf("identifiers kept the action %q", id)
		}
	}
	found := false
	for _, id := range identifiers("arn:aws:s3:::acme-exports/2026/t-1.csv") {
		found = found || id == "acme-exports"
	}
	if !found {
		t.Error("an S3 object ARN does not name its bucket")
	}
}

func TestArchitectureSiblingIsNotAlias(t *testing.T) {
	arch := parseArchitecture("Workers long-poll SQS queue ledger-sync (redrive to ledger-sync-dlq after 10 receives). Cache sessions-cache (security group sg-0abc1234def).")
	for _, r := range arch.related("ledger-sync-dlq") {
		if r.name == "ledger-sync" && r.alias {
			t.Error("ledger-sync-dlq is an alias of ledger-sync")
		}
	}
	alias := false
	for _, r := range arch.related("sg-0abc1234def") {
		alias = alias || r.name == "sessions-cache" && r.alias
	}
	if !alias {
		t.Error("the security group in parentheses is not an alias of sessions-cache")
	}
}

func TestLogfmtValuesAreNames(t *testing.T) {
	ids := identifiers(`level=error msg="insert failed" table=orders queue=ledger-sync attempt=3 pool=primary`)
	has := map[string]bool{}
	for _, id := range ids {
		has[id] = true
	}
	for _, want := range []string{"orders", "ledger-sync"} {
		if !has[want] {
			t.Errorf("identifiers lack %q: %v", want, ids)
		}
	}
	for _, not := range []string{"queue=ledger-sync", "primary", "pool=primary"} {
		if has[not] {
			t.Errorf("identifiers hold %q: %v", not, ids)
		}
	}
}
