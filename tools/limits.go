package tools

import (
	"fmt"

	"github.com/fa2/fa2/telemetry"
)

// countArg resolves a count argument such as limit: 0 (absent) means def,
// and anything outside 1..max is an error naming the argument.
func countArg(name string, got, def, max int) (int, error) {
	if got == 0 {
		return def, nil
	}
	if got < 1 || got > max {
		return 0, telemetry.Errorf(telemetry.KindInvalidInput, "%s %d is out of range.", name, got).WithHint(fmt.Sprintf("Use %s between 1 and %d, or leave it out for %d.", name, max, def))
	}
	return got, nil
}
