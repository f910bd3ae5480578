package main

import (
	"io"

	"github.com/fa2/fa2/evidence/logmine/patternscli"
)

// cmdPatterns mines log templates from a file or stdin.
func cmdPatterns(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return patternscli.RunPatterns(args, stdin, stdout, stderr)
}
