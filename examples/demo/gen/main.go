package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// generator writes one source's files into the snapshot directory.
type generator struct {
	name string
	run  func(dir string) error
}

// generators is filled by each source's file, in its init.
var generators []generator

func main() {
	out := flag.String("out", "examples/demo", "snapshot `dir` to write")
	flag.Parse()
	sort.Slice(generators, func(i, j int) bool { return generators[i].name < generators[j].name })
	if err := writeManifest(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, g := range generators {
		if err := g.run(*out); err != nil {
			fmt.Fprintf(os.Stderr, "gen %s: %v\n", g.name, err)
			os.Exit(1)
		}
	}
}

func writeManifest(dir string) error {
	m := map[string]any{
		"format":       "fa2-snapshot/1",
		"region":       region,
		"window":       map[string]string{"start": windowStart.Format("2006-01-02T15:04:05Z"), "end": windowEnd.Format("2006-01-02T15:04:05Z")},
		"title":        manifestTitle,
		"architecture": architecture,
	}
	return writeJSON(filepath.Join(dir, "manifest.json"), m)
}
