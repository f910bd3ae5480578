package investigate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fa2/fa2/collectors/snapshot"
	"github.com/fa2/fa2/config"
)

// truth is an incident fixture's truth.json.
type truth struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Alarm     string `json:"alarm"`
	RootCause *struct {
		EventName string    `json:"event_name"`
		EventTime time.Time `json:"event_time"`
		Resource  string    `json:"resource"`
	} `json:"root_cause"`
	NoChange bool      `json:"no_change"`
	Onset    time.Time `json:"onset"`
	Decoys   []struct {
		EventName string    `json:"event_name"`
		EventTime time.Time `json:"event_time"`
	} `json:"decoys"`
	Signals []string `json:"signals"`
}

// incidentDirs lists every snapshot with a truth.json: the incidents built
// by examples/incidents and this package's own fixtures.
func incidentDirs(t *testing.T) []string {
	var dirs []string
	for _, pattern := range []string{"../examples/incidents/*/truth.json", "testdata/*/truth.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	if len(dirs) == 0 {
		t.Fatal("no incident fixtures found")
	}
	return dirs
}

func readTruth(t *testing.T, dir string) truth {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatalf("%s/truth.json: %v", dir, err)
	}
	return tr
}

func investigateDir(t *testing.T, dir string, req Request) *Bundle {
	t.Helper()
	s, err := snapshot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Architecture = s.Manifest().Architecture
	b, err := Run(context.Background(), s.Sources(), &cfg, req)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return b
}

// TestIncidents checks the engine on every incident fixture at the default
// budget: the root-cause signals are in the bundle, the true change is the
// top suspect and likely, no decoy is likely, an incident with no change
// says so and suspects nothing, and the onset is within two minutes.
func TestIncidents(t *testing.T) {
	for _, dir := range incidentDirs(t) {
		tr := readTruth(t, dir)
		t.Run(tr.Name, func(t *testing.T) {
			b := investigateDir(t, dir, Request{Budget: DefaultBudget})
			md := b.Markdown()
			raw, _ := json.Marshal(b)
			if b.Tokens > DefaultBudget {
				t.Errorf("bundle is %d tokens, over the %d budget", b.Tokens, DefaultBudget)
			}
			for _, sig := range tr.Signals {
				if !strings.Contains(md, sig) {
					t.Errorf("the Markdown lacks the signal %q", sig)
				}
				if !strings.Contains(string(raw), jsonEscaped(sig)) {
					t.Errorf("the JSON lacks the signal %q", sig)
				}
			}
			if b.Onset == nil {
				t.Errorf("no onset found; truth %s", tr.Onset.Format(time.RFC3339))
			} else if d := b.Onset.Sub(tr.Onset); d > 2*time.Minute || d < -2*time.Minute {
				t.Errorf("onset %s (%s), truth %s", b.Onset.Format(time.RFC3339), b.OnsetSignal, tr.Onset.Format(time.RFC3339))
			}
			for _, s := range b.Suspects {
				for _, d := range tr.Decoys {
					if s.EventName == d.EventName && s.EventTime.Equal(d.EventTime) && s.Likelihood == Likely {
						t.Errorf("decoy %s at %s is likely: %s", d.EventName, d.EventTime.Format(time.RFC3339), s.Why)
					}
				}
			}
			if tr.NoChange {
				for _, s := range b.Suspects {
					if s.Likelihood == Likely {
						t.Errorf("nothing changed, yet %s at %s is likely: %s", s.EventName, s.EventTime.Format(time.RFC3339), s.Why)
					}
				}
				if !strings.Contains(b.Verdict, "No change in the account is tied to the failure") && !strings.Contains(b.Verdict, "Nothing changed in the account") {
					t.Errorf("the verdict must say nothing changed: %s", b.Verdict)
				}
				return
			}
			if len(b.Suspects) == 0 {
				t.Fatalf("no suspects; want %s at %s", tr.RootCause.EventName, tr.RootCause.EventTime.Format(time.RFC3339))
			}
			top := b.Suspects[0]
			if top.EventName != tr.RootCause.EventName || !top.EventTime.Equal(tr.RootCause.EventTime) || top.Likelihood != Likely {
				t.Errorf("top suspect %s at %s (%s %.2f: %s), want %s at %s likely", top.EventName, top.EventTime.Format(time.RFC3339), top.Likelihood, top.Score, top.Why,
					tr.RootCause.EventName, tr.RootCause.EventTime.Format(time.RFC3339))
				for _, s := range b.Suspects {
					t.Logf("  %s %s %.2f %s", s.EventName, s.EventTime.Format(time.RFC3339), s.Score, s.Likelihood)
				}
			}
			if t.Failed() {
				os.WriteFile(filepath.Join(t.TempDir(), "bundle.md"), []byte(md), 0o644)
				t.Logf("bundle:\n%s", md)
			}
		})
	}
}

func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// Without the architecture text the names that tie a change to the
// failure are fewer (a security group id appears in no log), but the
// true change must still rank first, and no decoy may become likely.
func TestIncidentsWithoutArchitecture(t *testing.T) {
	for _, dir := range incidentDirs(t) {
		tr := readTruth(t, dir)
		t.Run(tr.Name, func(t *testing.T) {
			s, err := snapshot.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			cfg := config.Default() // no architecture
			b, err := Run(context.Background(), s.Sources(), &cfg, Request{})
			if err != nil {
				t.Fatal(err)
			}
			for _, su := range b.Suspects {
				for _, d := range tr.Decoys {
					if su.EventName == d.EventName && su.EventTime.Equal(d.EventTime) && su.Likelihood == Likely {
						t.Errorf("decoy %s is likely: %s", d.EventName, su.Why)
					}
				}
				if tr.NoChange && su.Likelihood == Likely {
					t.Errorf("nothing changed, yet %s is likely", su.EventName)
				}
			}
			if tr.NoChange {
				return
			}
			if len(b.Suspects) == 0 || b.Suspects[0].EventName != tr.RootCause.EventName || !b.Suspects[0].EventTime.Equal(tr.RootCause.EventTime) || b.Suspects[0].Likelihood == Unlikely {
				t.Errorf("top suspect %+v, want %s at %s", b.Suspects, tr.RootCause.EventName, tr.RootCause.EventTime)
			}
		})
	}
}
