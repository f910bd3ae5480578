package investigate

import (
	"strings"
	"testing"

	"github.com/fa2/fa2/evidence"
)

// When nothing changed and a finite resource ran out before the failures,
// the verdict names it; an incident caused by a change gets no mechanism.
func TestExhaustionIsTheMechanism(t *testing.T) {
	b := investigateDir(t, "testdata/heldout/cpu-credits-exhausted", Request{Budget: DefaultBudget})
	if !strings.Contains(b.Verdict, "Mechanism: AWS/EC2/CPUCreditBalance") || !strings.Contains(b.Verdict, "ran out") {
		t.Errorf("the verdict does not name the exhausted credits: %s", b.Verdict)
	}
	b = investigateDir(t, "testdata/heldout/aurora-failover", Request{Budget: DefaultBudget})
	if !strings.Contains(b.Verdict, "At the onset: AWS/RDS/DatabaseConnections{DBClusterIdentifier=catalog-aurora}") {
		t.Errorf("the verdict does not name the database whose connections collapsed: %s", b.Verdict)
	}
	b = investigateDir(t, "testdata/heldout/kms-key-disabled", Request{Budget: DefaultBudget})
	if strings.Contains(b.Verdict, "Mechanism") || strings.Contains(b.Verdict, "At the onset") {
		t.Errorf("a change's incident got a mechanism: %s", b.Verdict)
	}
}

func TestCollapsed(t *testing.T) {
	mean := 64.0
	sum := evidence.SeriesSummary{BaselineMean: &mean}
	if !collapsed(&evidence.Interval{Points: 2, Direction: "below", Peak: 3}, sum) {
		t.Error("connections from 64 to 3 for two minutes is not a collapse")
	}
	if collapsed(&evidence.Interval{Points: 2, Direction: "below", Peak: 40}, sum) {
		t.Error("a dip from 64 to 40 is a collapse")
	}
	if collapsed(&evidence.Interval{Points: 1, Direction: "below", Peak: 0}, sum) {
		t.Error("one missing point is a collapse")
	}
}
