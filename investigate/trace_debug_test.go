package investigate

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestTraceSuspects prints how each change of one incident came to its
// likelihood: FA2_TRACE_DIR=testdata/heldout6/x go test ./investigate -run TraceSuspects -v
func TestTraceSuspects(t *testing.T) {
	dir := os.Getenv("FA2_TRACE_DIR")
	if dir == "" {
		t.Skip("set FA2_TRACE_DIR to an incident's snapshot")
	}
	traceSuspects = func(stage string, ss []suspect) {
		for _, s := range ss {
			var ls []string
			for _, l := range s.links {
				ls = append(ls, fmt.Sprintf("%s(exact=%v strong=%v)", l.token, l.exact, strongLink(l)))
			}
			t.Logf("%s %s %s %s link=%.2f time=%.2f pot=%.2f auto=%v mech=%v/%s score=%.2f note=%q links=%s", stage, s.ev.Name, s.ev.Time.Format("15:04:05"), s.likely, s.linkScore, s.timeScore, s.potency, s.automatic, s.mech, s.matched, s.score, s.note, strings.Join(ls, " "))
		}
	}
	defer func() { traceSuspects = nil }()
	b := investigateDir(t, dir, Request{Budget: DefaultBudget})
	t.Logf("onset %v (%s); verdict %s", b.Onset, b.OnsetSignal, b.Verdict)
}
