// Command cmd regenerates the committed incident fixtures: run it from the
// repository root with `go run ./examples/incidents/gen/cmd`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fa2/fa2/examples/incidents/gen"
)

func main() {
	out := flag.String("out", "examples/incidents", "`dir` that holds one folder per incident")
	flag.Parse()
	if err := gen.WriteAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
