// Command mutate checks that the test suite catches small bugs in critical
// code: it applies each mutant of mutants.go, one at a time, to a temporary
// copy of the repository, runs the packages that should notice, and reports
// which mutants the tests caught. The working tree is never modified.
//
//	go run ./scripts/mutate              # the working tree as it is
//	go run ./scripts/mutate -rev HEAD~3  # a commit, e.g. before a test change
//	go run ./scripts/mutate -only guardduty
//
// It exits 1 when a mutant survives (the tests passed with the bug in) or
// does not apply (its code changed: update mutants.go).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	rev := flag.String("rev", "", "mutate this commit instead of the working tree")
	only := flag.String("only", "", "run only mutants whose name contains this")
	verbose := flag.Bool("v", false, "print the test output of surviving mutants")
	flag.Parse()
	if err := run(*rev, *only, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func run(rev, only string, verbose bool) error {
	root, err := output("", "git", "rev-parse", "--show-toplevel")
	if err != nil {
		return err
	}
	root = strings.TrimSpace(root)
	tmp, err := os.MkdirTemp("", "fa2-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := copyTree(root, rev, tmp); err != nil {
		return err
	}
	var list []mutant
	for _, m := range mutants {
		if strings.Contains(m.name, only) {
			list = append(list, m)
		}
	}
	// The unmutated packages must pass, or a failure says nothing.
	pkgs := map[string]bool{}
	for _, m := range list {
		for _, p := range m.pkgs {
			pkgs[p] = true
		}
	}
	all := make([]string, 0, len(pkgs))
	for p := range pkgs {
		all = append(all, p)
	}
	sort.Strings(all)
	if out, ok := goTest(tmp, all); !ok {
		return fmt.Errorf("the unmutated packages fail; fix them first:\n%s", out)
	}
	what := "working tree"
	if rev != "" {
		what = rev
	}
	fmt.Printf("mutating %s: %d mutants\n", what, len(list))
	caught, bad := 0, 0
	for _, m := range list {
		start := time.Now()
		verdict, out := try(tmp, m)
		switch verdict {
		case "caught":
			caught++
		default:
			bad++
		}
		fmt.Printf("%-8s %-34s %5.1fs  %s\n", verdict, m.name, time.Since(start).Seconds(), m.why)
		if verdict == "SURVIVED" && verbose {
			fmt.Println(out)
		}
	}
	fmt.Printf("caught %d of %d mutants\n", caught, len(list))
	if bad > 0 {
		return fmt.Errorf("%d mutants survived or did not apply", bad)
	}
	return nil
}

// try applies m, runs its packages and restores the file.
func try(dir string, m mutant) (verdict, out string) {
	path := filepath.Join(dir, m.file)
	orig, err := os.ReadFile(path)
	if err != nil {
		return "NOAPPLY", err.Error()
	}
	if n := bytes.Count(orig, []byte(m.from)); n != 1 {
		return "NOAPPLY", fmt.Sprintf("%q occurs %d times in %s", m.from, n, m.file)
	}
	mutated := bytes.Replace(orig, []byte(m.from), []byte(m.to), 1)
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		return "NOAPPLY", err.Error()
	}
	defer os.WriteFile(path, orig, 0o644)
	out, ok := goTest(dir, m.pkgs)
	switch {
	case ok:
		return "SURVIVED", out
	case strings.Contains(out, "[build failed]") || strings.Contains(out, "[setup failed]"):
		return "NOBUILD", out // an invalid mutant proves nothing
	}
	return "caught", out
}

func goTest(dir string, pkgs []string) (string, bool) {
	// A mutant can make a test wait forever; a timeout is a failure too.
	args := append([]string{"test", "-count=1", "-failfast", "-timeout=3m"}, pkgs...)
	out, err := output(dir, "go", args...)
	return out, err == nil
}

func output(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// copyTree copies the repository's files (tracked and untracked, not
// ignored) or, with rev, that commit's files into dst.
func copyTree(root, rev, dst string) error {
	if rev != "" {
		cmd := exec.Command("sh", "-c", `git archive --format=tar "$1" | tar -x -C "$2"`, "sh", rev, dst)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git archive %s: %v: %s", rev, err, out)
		}
		return nil
	}
	list, err := output(root, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return err
	}
	for _, rel := range strings.Split(list, "\x00") {
		if rel == "" {
			continue
		}
		if err := copyFile(filepath.Join(root, rel), filepath.Join(dst, rel)); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if os.IsNotExist(err) {
		return nil // deleted but not yet committed
	}
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil || st.IsDir() {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
