// Package patternscli is the body of "fa2 patterns": it reduces a log file
// (or stdin) to templates with the logmine miner.
package patternscli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/fa2/fa2/evidence/logmine"
)

const usage = `usage: fa2 patterns [--format summary|jsonl] [--max-templates N] [FILE]

Reduces every line of FILE (stdin when absent or "-") to a template: the
constant text of the line with its variable parts as placeholders (<num>,
<ip>, <host>, <ts>, <uuid>, <hex>, <path>, <url>, <arn>, <dur>, or <*>).
A value written in several tokens ("<1 sec", "chrome.exe *64", a list) is
one placeholder; JSON lines keep their keys.

  --format summary  (default) templates, most frequent first, each with its
                    count, a sample line and the most frequent values of
                    its variable parts
  --format jsonl    one JSON object per input line, in input order:
                    {"line":N,"template_id":"ID","template":"..."}. The
                    file is read in full first, so the template is the
                    final one (after all generalisation), the same for all
                    lines of a group.
  --max-templates N cap on templates kept at once (default 10000); the
                    least used are then folded into "<other>"
`

// RunPatterns runs "fa2 patterns" with args (without the command name) and
// returns the exit code: 0 on success, 2 on bad usage or an unreadable
// input.
func RunPatterns(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("patterns", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "summary", "")
	maxT := fs.Int("max-templates", 0, "")
	// flags may come before or after the file name
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usage)
				return 0
			}
			fmt.Fprintf(stderr, "fa2 patterns: %v\n%s", err, usage)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *format != "summary" && *format != "jsonl" {
		fmt.Fprintf(stderr, "fa2 patterns: unknown --format %q (want summary or jsonl)\n", *format)
		return 2
	}
	if *maxT < 0 {
		fmt.Fprintf(stderr, "fa2 patterns: --max-templates must be positive\n")
		return 2
	}
	if len(files) > 1 {
		fmt.Fprintf(stderr, "fa2 patterns: one file at most, got %d\n%s", len(files), usage)
		return 2
	}
	in := stdin
	name := "stdin"
	if len(files) == 1 && files[0] != "-" {
		name = files[0]
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "fa2 patterns: %v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	if in == nil {
		in = strings.NewReader("")
	}
	m := logmine.New(logmine.Config{MaxTemplates: *maxT})
	var ids []int32
	keep := *format == "jsonl"
	n, cut, err := eachLine(in, func(line []byte) {
		id := m.AddBytes(line)
		if keep {
			ids = append(ids, int32(id))
		}
	})
	if err != nil {
		fmt.Fprintf(stderr, "fa2 patterns: reading %s: %v\n", name, err)
		return 2
	}
	if cut > 0 {
		fmt.Fprintf(stderr, "fa2 patterns: %d lines longer than %d bytes were mined from their first %d bytes\n", cut, maxLineBytes, maxLineBytes)
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	if keep {
		writeJSONL(w, m, ids)
	} else {
		writeSummary(w, m, n)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "fa2 patterns: %v\n", err)
		return 1
	}
	return 0
}

// maxLineBytes bounds the part of one line that is mined: a template is
// decided by a line's start, and a 200 MB line must not cost 200 MB.
const maxLineBytes = 64 << 10

// eachLine calls fn for every line of r (without its line ending) from a
// large reused buffer; the slice is only valid during the call. Lines over
// maxLineBytes are passed cut to that length, and counted in cut.
func eachLine(r io.Reader, fn func([]byte)) (n, cut int, err error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var long []byte // the head of a line longer than the buffer
	inLong, overLong := false, false
	for {
		b, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long, overLong = appendCapped(long, b, overLong)
			inLong = true
			continue
		}
		if inLong {
			long, overLong = appendCapped(long, b, overLong)
			b = long
		}
		if len(b) > maxLineBytes {
			b, overLong = b[:maxLineBytes], true
		}
		if len(b) > 0 {
			if b[len(b)-1] == '\n' {
				b = b[:len(b)-1]
			}
			if len(b) > 0 && b[len(b)-1] == '\r' {
				b = b[:len(b)-1]
			}
			fn(b)
			n++
		} else if err == nil {
			fn(b)
			n++
		}
		if overLong {
			cut++
		}
		long, inLong, overLong = long[:0], false, false
		if err == io.EOF {
			return n, cut, nil
		}
		if err != nil {
			return n, cut, err
		}
	}
}

// appendCapped appends b to long up to maxLineBytes, reporting whether
// anything was dropped (now or before).
func appendCapped(long, b []byte, dropped bool) ([]byte, bool) {
	room := maxLineBytes - len(long)
	if room <= 0 {
		return long, dropped || len(b) > 0
	}
	if len(b) > room {
		return append(long, b[:room]...), true
	}
	return append(long, b...), dropped
}

func writeJSONL(w *bufio.Writer, m *logmine.Miner, ids []int32) {
	enc := map[int][]byte{} // template id -> `,"template_id":"..","template":".."}` + "\n"
	buf := make([]byte, 0, 64)
	for i, raw := range ids {
		id := m.Resolve(int(raw))
		tail, ok := enc[id]
		if !ok {
			var sb strings.Builder
			e := json.NewEncoder(&sb)
			e.SetEscapeHTML(false)
			e.Encode(m.Template(id)) // ends with a newline
			t := strings.TrimSuffix(sb.String(), "\n")
			tail = []byte(`,"template_id":"` + strconv.Itoa(id) + `","template":` + t + "}\n")
			enc[id] = tail
		}
		buf = append(buf[:0], `{"line":`...)
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		w.Write(buf)
		w.Write(tail)
	}
}

const (
	valuesShown = 5
	valueWidth  = 40
)

func writeSummary(w *bufio.Writer, m *logmine.Miner, n int) {
	cl := m.Clusters()
	fmt.Fprintf(w, "%d lines, %d templates\n", n, len(cl))
	for _, c := range cl {
		t := c.Template
		if t == "" {
			t = "<empty line>"
		}
		fmt.Fprintf(w, "\n%8d  %s\n", c.Count, oneLine(t, 0))
		if c.Sample != "" {
			fmt.Fprintf(w, "          e.g. %s\n", oneLine(c.Sample, 300))
		}
		for i, v := range c.Vars {
			if len(v.Values) == 0 {
				continue
			}
			var sb strings.Builder
			for j, x := range v.Values {
				if j == valuesShown {
					fmt.Fprintf(&sb, ", ... (%d more tracked)", len(v.Values)-j)
					break
				}
				if j > 0 {
					sb.WriteString(", ")
				}
				fmt.Fprintf(&sb, "%s x%d", strconv.Quote(oneLine(x.Text, valueWidth)), x.Count)
			}
			fmt.Fprintf(w, "          %d %s: %s\n", i+1, v.Type, sb.String())
		}
	}
}

// oneLine keeps a text on one terminal line: control characters are
// escaped, and it is cut at max bytes when max > 0.
func oneLine(s string, max int) string {
	if max > 0 && len(s) > max {
		s = s[:max] + "..."
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
