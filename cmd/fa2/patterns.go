package main

import (
	"fmt"
	"io"
)

// cmdPatterns mines log templates from a file or stdin.
func cmdPatterns(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "fa2 patterns: the template miner is not in this build yet")
	return 1
}
