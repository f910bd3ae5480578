package logmine

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// loghubDir finds shared/loghub-2k by walking up from the test's directory
// (the repository sits next to shared/). The data is research-only
// licensed and is read in place, never copied. Missing data skips the test
// on a developer's machine but fails it in CI (CI=true), where the data
// is provided beside the clone: a silent skip there would hide a
// regression.
func loghubDir(t testing.TB) string {
	d := loghubDirNoSkip()
	if d == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("loghub-2k not found next to the repository in CI: put shared/loghub-2k beside it")
		}
		t.Skip("loghub-2k not found next to the repository")
	}
	return d
}

func loghubDirNoSkip() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "loghub-2k")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

type labelled struct {
	content, event []string
}

func readLoghub(t testing.TB, path string) labelled {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ci, ei := -1, -1
	for i, h := range recs[0] {
		switch h {
		case "Content":
			ci = i
		case "EventId":
			ei = i
		}
	}
	if ci < 0 || ei < 0 {
		t.Fatalf("%s: no Content/EventId columns", path)
	}
	var l labelled
	for _, rec := range recs[1:] {
		l.content = append(l.content, rec[ci])
		l.event = append(l.event, rec[ei])
	}
	return l
}

// groupingAccuracy: a line is correct when the set of lines grouped with
// it equals its ground-truth group exactly.
func groupingAccuracy(pred []int, truth []string) float64 {
	type key struct {
		p int
		t string
	}
	np := map[int]int{}
	nt := map[string]int{}
	both := map[key]int{}
	for i := range pred {
		np[pred[i]]++
		nt[truth[i]]++
		both[key{pred[i], truth[i]}]++
	}
	ok := 0
	for k, n := range both {
		if np[k.p] == n && nt[k.t] == n {
			ok += n
		}
	}
	return float64(ok) / float64(len(pred))
}

func mineAll(lines []string) ([]int, *Miner) {
	m := New(Config{})
	ids := make([]int, len(lines))
	for i, l := range lines {
		ids[i] = m.Add(l)
	}
	for i := range ids {
		ids[i] = m.Resolve(ids[i])
	}
	return ids, m
}

func TestGALoghub(t *testing.T) {
	dir := loghubDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*_structured.csv"))
	// Every dataset must be there and each must reach its floor: a good
	// average must not hide one format the miner gets wrong. Floors are a
	// little under the accuracy measured when they were set (Nov 2026:
	// 0.986 to 1.000).
	floors := map[string]float64{
		"Apache_2k.log": 0.99, "BGL_2k.log": 0.98, "HDFS_2k.log": 0.99, "Hadoop_2k.log": 0.98,
		"Linux_2k.log": 0.98, "OpenSSH_2k.log": 0.99, "Spark_2k.log": 0.99, "Zookeeper_2k.log": 0.98,
	}
	if len(files) != len(floors) {
		t.Fatalf("found %d datasets in %s, want the %d with floors", len(files), dir, len(floors))
	}
	sort.Strings(files)
	sum := 0.0
	for _, f := range files {
		d := readLoghub(t, f)
		ids, m := mineAll(d.content)
		ga := groupingAccuracy(ids, d.event)
		sum += ga
		name := strings.TrimSuffix(filepath.Base(f), "_structured.csv")
		t.Logf("%-22s GA %.4f  templates %d", name, ga, m.Len())
		if floor, ok := floors[name]; !ok || ga < floor {
			t.Errorf("%s: GA %.4f under its floor %.2f (or no floor set)", name, ga, floor)
		}
		if out := os.Getenv("LOGMINE_GA_DEBUG"); out != "" {
			dumpErrors(t, filepath.Join(out, name+".txt"), d, ids, m)
		}
	}
	avg := sum / float64(len(files))
	t.Logf("average GA %.4f over %d datasets", avg, len(files))
	if avg < loghubAverage {
		t.Errorf("average GA %.4f < %.2f", avg, loghubAverage)
	}
}

// The bars the miner is held to on the Loghub sets: each data set and the
// average. They are the project's acceptance bars, not the current scores.
const (
	loghubFloor   = 0.98
	loghubAverage = 0.98
)

// TestGAHeldOut measures grouping accuracy on the corpus of families the
// miner was not developed on (corpus_test.go), per family.
func TestGAHeldOut(t *testing.T) {
	sum, worst := 0.0, 1.0
	for i, fam := range corpus {
		content, truth := fam.lines(400, int64(1000+i))
		ids, m := mineAll(content)
		ga := groupingAccuracy(ids, truth)
		sum += ga
		worst = min(worst, ga)
		t.Logf("%-14s GA %.4f  templates %3d  events %d", fam.name, ga, m.Len(), len(fam.events))
		floor := heldOutFloor
		if fam.name == "Proxifier" {
			floor = heldOutProxifierFloor
		}
		if ga < floor {
			t.Errorf("%s: GA %.4f < %.2f", fam.name, ga, floor)
		}
		if out := os.Getenv("LOGMINE_GA_DEBUG"); out != "" {
			dumpErrors(t, filepath.Join(out, "corpus-"+fam.name+".txt"), labelled{content, truth}, ids, m)
		}
	}
	avg := sum / float64(len(corpus))
	t.Logf("average GA %.4f over %d families, lowest %.4f", avg, len(corpus), worst)
	if avg < heldOutAverage {
		t.Errorf("average GA %.4f < %.2f", avg, heldOutAverage)
	}
}

// The held-out corpus is harder than Loghub on purpose: it labels a slot
// of two words ("GET"/"POST", "orders"/"billing", "true"/"false" aside)
// as a value where Loghub's labels usually make two events, and it has
// multi-word names ("Google Chrome He") no token rule can see. These bars
// guard against regressions (the scores when they were first set: average
// 0.67, lowest 0.48; 0.48 and 0.03 before value spans were handled).
//
// Its Proxifier family labels every shape of a "close" line as one event
// ("0 bytes sent" and "1190 bytes (1.2 KB) sent"); Loghub's own labels,
// which the miner is measured on, keep those shapes apart. The miner now
// follows Loghub (on the Loghub-labelled corpus, loghubstyle_test.go,
// Proxifier goes from 0.46 to 1.00), so this family fell from 0.70 to
// 0.25 and has its own bar, and the average bar moved down by about what
// it lost. The state-word rule (capitalised words are not values by count
// alone, loghubstyle_test.go) costs the families here that label
// "UP"/"DOWN" or "GatewayApplication" slots as values a little more
// (average 0.68 -> 0.61 in all).
const (
	heldOutFloor          = 0.40
	heldOutProxifierFloor = 0.20
	heldOutAverage        = 0.58
)

// dumpErrors writes, for analysis outside the repository, the truth groups
// that were split or merged.
func dumpErrors(t testing.TB, path string, d labelled, ids []int, m *Miner) {
	var sb strings.Builder
	byTruth := map[string]map[int]int{}
	byPred := map[int]map[string]int{}
	for i := range ids {
		if byTruth[d.event[i]] == nil {
			byTruth[d.event[i]] = map[int]int{}
		}
		byTruth[d.event[i]][ids[i]]++
		if byPred[ids[i]] == nil {
			byPred[ids[i]] = map[string]int{}
		}
		byPred[ids[i]][d.event[i]]++
	}
	for ev, ps := range byTruth {
		if len(ps) > 1 {
			fmt.Fprintf(&sb, "SPLIT %s:\n", ev)
			for p, n := range ps {
				fmt.Fprintf(&sb, "   %5d  %s\n", n, m.Template(p))
			}
		}
	}
	for p, evs := range byPred {
		if len(evs) > 1 {
			fmt.Fprintf(&sb, "MERGED %s:\n", m.Template(p))
			for ev, n := range evs {
				ex := ""
				for i := range ids {
					if ids[i] == p && d.event[i] == ev {
						ex = d.content[i]
						break
					}
				}
				fmt.Fprintf(&sb, "   %5d  %s  e.g. %s\n", n, ev, ex)
			}
		}
	}
	os.WriteFile(path, []byte(sb.String()), 0o644)
}
