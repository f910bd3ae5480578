package investigate

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/fa2/fa2/telemetry"
)

// item is one piece of evidence before rendering: ids are given in order of
// priority once everything is known, so E1 is the most important.
type item struct {
	source    string
	title     string
	text      string
	reproduce string
	priority  float64
	id        string
}

// reproduce writes the `fa2 run` call that shows the same data.
func reproduce(tool string, args map[string]any) string {
	b, err := json.Marshal(args)
	if err != nil {
		return "fa2 run " + tool
	}
	return "fa2 run " + tool + " --json '" + strings.ReplaceAll(string(b), "'", `'\''`) + "'"
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func windowArgs(w telemetry.Window) map[string]any {
	return map[string]any{"start": rfc(w.Start), "end": rfc(w.End)}
}
