package investigate

import (
	"strings"
	"testing"
)

// When nothing changed and a finite resource ran out before the failures,
// the verdict names it; an incident caused by a change gets no mechanism.
func TestExhaustionIsTheMechanism(t *testing.T) {
	b := investigateDir(t, "testdata/heldout/cpu-credits-exhausted", Request{Budget: DefaultBudget})
	if !strings.Contains(b.Verdict, "Mechanism: AWS/EC2/CPUCreditBalance") || !strings.Contains(b.Verdict, "ran out") {
		t.Errorf("the verdict does not name the exhausted credits: %s", b.Verdict)
	}
	b = investigateDir(t, "testdata/heldout/kms-key-disabled", Request{Budget: DefaultBudget})
	if strings.Contains(b.Verdict, "Mechanism") {
		t.Errorf("a change's incident got a mechanism: %s", b.Verdict)
	}
}
