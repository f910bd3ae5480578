package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// demoDir finds the bundled demo snapshot: next to the working directory
// (a checkout) or next to the binary.
func demoDir() (string, error) {
	candidates := []string{filepath.Join("examples", "demo")}
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, filepath.Join(filepath.Dir(exe), "examples", "demo"), filepath.Join(filepath.Dir(exe), "..", "examples", "demo"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(filepath.Join(c, "manifest.json")); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("the demo snapshot examples/demo was not found; run fa2 demo from the repository root or pass --snapshot DIR")
}

// cmdDemo runs fa2's tools on the bundled demo incident and prints what it finds.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 demo", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if cf.snapshot == "" {
		dir, err := demoDir()
		if err != nil {
			return fail(stderr, err)
		}
		cf.snapshot = dir
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	return runDemo(ctx, env, stdout, stderr)
}
