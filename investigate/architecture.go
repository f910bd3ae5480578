package investigate

import (
	"regexp"
	"strings"
)

// The workload's architecture (the configuration's free text, or a
// snapshot's manifest) says which names belong together: a security
// group that is a cache's, a secret that holds a database user's password.
// A change to one is then a change to the other, which the failure
// evidence may name instead.

// relation is another name of the same thing (alias) or a name in the same
// clause of the architecture.
type relation struct {
	name  string
	alias bool
	// partial: found through a name that holds tok or is held by it,
	// not tok itself.
	partial bool
}

// architecture maps each name the text mentions to the names related to it.
type architecture map[string][]relation

// parenthesised finds "name (details)": the details describe the name.
var parenthesised = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._/:@-]*[A-Za-z0-9])\s*\(([^()]{1,300})\)`)

// clauseSplit cuts text into clauses: sentences and ";"-separated parts.
var clauseSplit = regexp.MustCompile(`[.;]\s+|;`)

func parseArchitecture(text string) architecture {
	arch := architecture{}
	if strings.TrimSpace(text) == "" {
		return arch
	}
	add := func(a, b string, alias bool) {
		if a == b {
			return
		}
		for _, r := range arch[a] {
			if r.name == b {
				if alias && !r.alias {
					break // upgrade below
				}
				return
			}
		}
		arch[a] = append(arch[a], relation{name: b, alias: alias})
	}
	for _, m := range parenthesised.FindAllStringSubmatch(text, -1) {
		head := strings.ToLower(m[1])
		if !usefulIdentifier(head) {
			continue
		}
		for _, id := range identifiers(m[2]) {
			// "ledger-sync (redrive to ledger-sync-dlq)" describes a
			// sibling, not another name of the queue: the clause ties them.
			if siblings(head, id) {
				continue
			}
			add(head, id, true)
			add(id, head, true)
		}
	}
	for _, clause := range clauseSplit.Split(text, -1) {
		ids := identifiers(clause)
		for _, a := range ids {
			for _, b := range ids {
				add(a, b, false)
			}
		}
	}
	return arch
}

// related returns the names tied to tok by the architecture.
func (arch architecture) related(tok string) []relation {
	var out []relation
	for name, rels := range arch {
		switch {
		case sameResource(name, tok):
			out = append(out, rels...)
		case partOf(tok, name) || partOf(name, tok):
			for _, r := range rels {
				r.partial = true
				out = append(out, r)
			}
		}
	}
	return out
}
