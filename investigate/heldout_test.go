package investigate

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The held-out incidents (testdata/heldout, written by
// testdata/heldout/gen) were authored apart from examples/incidents, in
// other services, log formats, principals and timings, to measure whether
// the engine generalises. Each check below is one property an on-call
// engineer needs from the bundle.
const (
	checkTop      = "top suspect is the true change, likely"
	checkDecoys   = "no decoy is likely"
	checkNoChange = "nothing changed: no likely suspect, the verdict says so"
	checkOnset    = "onset within 2 minutes"
	checkSignals  = "signals in the Markdown at budget 8000"
)

// heldoutGaps are the checks the engine fails today, by incident. The
// default test asserts every other check, so a regression fails the suite
// while the gaps stay visible; FA2_HELDOUT_STRICT=1 asserts them all.
// Remove an entry once the engine passes it (the test logs when it does).
// Add an entry only for a new incident whose gap is known and explained.
var heldoutGaps = map[string][]string{
	// Cold starts after the provisioned concurrency was removed come in
	// bursts; the first (16:06:50) is too thin for any signal, and the
	// error-line rate dates the onset at 16:12, after the PutFunctionConcurrency
	// someone made in response, which then reads as likely. Dating it needs
	// Init Duration in REPORT lines read as a latency signal.
	"lambda-provisioned-concurrency-removed": {checkOnset, checkDecoys},
	// An instance refresh replaces instances over twenty minutes: the
	// unhealthy hosts it causes date the onset at 11:06, five minutes before
	// users were hurt (the truth dates the 5xx); the cloud-init lines that
	// say why (render-config) rank below the budget.
	"asg-refresh-bad-launch-template": {checkOnset, checkSignals},
	// The partner's 403s are found and the resource policy change is the
	// likely cause, but the access-log template hides the denial's wording
	// ("with an explicit deny") and the partner's addresses behind
	// placeholders: the Markdown names neither.
	"apigw-resource-policy-denies-partner": {checkSignals},
}

// heldoutResult runs the engine on one held-out incident and returns, per
// check, what went wrong (no entry: the check passed).
func heldoutResult(t *testing.T, dir string) (truth, map[string][]string, *Bundle) {
	tr := readTruth(t, dir)
	b := investigateDir(t, dir, Request{Budget: DefaultBudget})
	md := b.Markdown()
	fails := map[string][]string{}
	fail := func(check, format string, args ...any) {
		fails[check] = append(fails[check], fmt.Sprintf(format, args...))
	}

	for _, sig := range tr.Signals {
		if !strings.Contains(md, sig) {
			fail(checkSignals, "the Markdown lacks %q", sig)
		}
	}
	if b.Onset == nil {
		fail(checkOnset, "no onset found; truth %s", tr.Onset.Format(time.RFC3339))
	} else if d := b.Onset.Sub(tr.Onset); d > 2*time.Minute || d < -2*time.Minute {
		fail(checkOnset, "onset %s (%s) is %s off truth %s", b.Onset.Format(time.RFC3339), b.OnsetSignal, d, tr.Onset.Format(time.RFC3339))
	}
	for _, s := range b.Suspects {
		for _, d := range tr.Decoys {
			if s.EventName == d.EventName && s.EventTime.Equal(d.EventTime) && s.Likelihood == Likely {
				fail(checkDecoys, "decoy %s at %s is likely: %s", d.EventName, d.EventTime.Format(time.RFC3339), s.Why)
			}
		}
	}
	if tr.NoChange {
		for _, s := range b.Suspects {
			if s.Likelihood == Likely {
				fail(checkNoChange, "%s at %s is likely: %s", s.EventName, s.EventTime.Format(time.RFC3339), s.Why)
			}
		}
		if !strings.Contains(b.Verdict, "No change in the account is tied to the failure") && !strings.Contains(b.Verdict, "Nothing changed in the account") {
			fail(checkNoChange, "the verdict does not say nothing changed: %s", b.Verdict)
		}
		return tr, fails, b
	}
	if len(b.Suspects) == 0 {
		fail(checkTop, "no suspects; want %s at %s", tr.RootCause.EventName, tr.RootCause.EventTime.Format(time.RFC3339))
		return tr, fails, b
	}
	if top := b.Suspects[0]; top.EventName != tr.RootCause.EventName || !top.EventTime.Equal(tr.RootCause.EventTime) || top.Likelihood != Likely {
		rank := "absent"
		for i, s := range b.Suspects {
			if s.EventName == tr.RootCause.EventName && s.EventTime.Equal(tr.RootCause.EventTime) {
				rank = fmt.Sprintf("#%d %s %.2f", i+1, s.Likelihood, s.Score)
			}
		}
		fail(checkTop, "top suspect %s at %s (%s %.2f: %s); the true %s at %s is %s", top.EventName, top.EventTime.Format(time.RFC3339), top.Likelihood, top.Score, top.Why,
			tr.RootCause.EventName, tr.RootCause.EventTime.Format(time.RFC3339), rank)
	}
	return tr, fails, b
}

func heldoutDirs(t *testing.T) []string {
	// testdata/heldout3 was written by a third author, after the engine
	// had been fitted to the first two sets, as a check of what generalised.
	var dirs []string
	for _, pattern := range []string{"testdata/heldout/*/truth.json", "testdata/heldout3/*/truth.json", "testdata/heldout4/*/truth.json", "testdata/heldout5/*/truth.json", "testdata/heldout6/*/truth.json", "testdata/heldout7/*/truth.json", "testdata/heldout8/*/truth.json", "testdata/heldout9/*/truth.json", "testdata/heldout10/*/truth.json", "testdata/heldout11/*/truth.json", "testdata/heldout12/*/truth.json", "testdata/heldout13/*/truth.json", "testdata/heldout14/*/truth.json"} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, found...)
	}
	if len(dirs) < 89 {
		t.Fatalf("found %d held-out incidents, want 89; run the generators in testdata/heldout/gen, gen2 and testdata/heldout3 to 14/gen", len(dirs))
	}
	for i := range dirs {
		dirs[i] = filepath.Dir(dirs[i])
	}
	return dirs
}

// TestHeldOutIncidents asserts every check the engine passes today on the
// held-out incidents; the gaps listed in heldoutGaps are logged instead.
func TestHeldOutIncidents(t *testing.T) { runHeldOut(t, false) }

// TestHeldOutIncidentsStrict asserts every check, gaps included: the bar
// the engine is meant to clear. Run it with FA2_HELDOUT_STRICT=1.
func TestHeldOutIncidentsStrict(t *testing.T) {
	if os.Getenv("FA2_HELDOUT_STRICT") != "1" {
		t.Skip("set FA2_HELDOUT_STRICT=1 to assert the known gaps too")
	}
	runHeldOut(t, true)
}

func runHeldOut(t *testing.T, strict bool) {
	for _, dir := range heldoutDirs(t) {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			tr, fails, b := heldoutResult(t, dir)
			if tr.Name != name {
				t.Fatalf("truth.json names %q, the directory %q", tr.Name, name)
			}
			if b.Onset != nil {
				t.Logf("onset %s (%s off the truth) from %s", b.Onset.Format(time.RFC3339), b.Onset.Sub(tr.Onset), b.OnsetSignal)
			}
			gaps := map[string]bool{}
			for _, g := range heldoutGaps[name] {
				gaps[g] = true
			}
			checks := make([]string, 0, len(fails))
			for c := range fails {
				checks = append(checks, c)
			}
			sort.Strings(checks)
			for _, c := range checks {
				for _, msg := range fails[c] {
					if gaps[c] && !strict {
						t.Logf("known gap [%s]: %s", c, msg)
					} else {
						t.Errorf("[%s] %s", c, msg)
					}
				}
			}
			for g := range gaps {
				if _, failing := fails[g]; !failing {
					t.Logf("the engine now passes %q: remove it from heldoutGaps[%q]", g, name)
				}
			}
			if t.Failed() || len(fails) > 0 && testing.Verbose() {
				for i, s := range b.Suspects {
					t.Logf("  suspect %d: %s %s %s %.2f — %s", i+1, s.EventName, s.EventTime.Format(time.RFC3339), s.Likelihood, s.Score, s.Why)
				}
			}
			// FA2_HELDOUT_DUMP=DIR keeps every bundle for reading.
			if d := os.Getenv("FA2_HELDOUT_DUMP"); d != "" {
				if err := os.WriteFile(filepath.Join(d, name+".md"), []byte(b.Markdown()), 0o644); err != nil {
					t.Log(err)
				}
			}
		})
	}
}
