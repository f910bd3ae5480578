package investigate

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/fa2/fa2/evidence"
	"github.com/fa2/fa2/telemetry"
)

// Template statuses against the baseline.
const (
	statusNew    = "new"
	statusRisen  = "risen"
	statusSteady = "steady"
	statusFell   = "fell"
)

// logTemplate is one log template of the window compared with the baseline.
type logTemplate struct {
	group     string
	p         telemetry.LogPattern
	baseCount int64
	// ratio is the window's rate over the baseline's (0 when new).
	ratio     float64
	status    string
	severity  int // evidence.SeverityRank, raised for failure words
	score     float64
	sustained bool
}

// vanished is a baseline template that stopped in the window.
type vanished struct {
	group    string
	template string
	count    int64
}

// failureWords mark a line as a failure even when it names no level: an
// incident's cause is often an INFO or unlabelled line.
var failureWords = regexp.MustCompile(`(?i)\b(timed? ?out|timeout|refused|denied|unauthori[sz]ed|forbidden|throttl\w*|exceeded|failed|failure|unable|cannot|can't|could not|exception|panic|killed|oom|unreachable|unavailable|rejected|invalid|expired|not authorized|reset by peer|broken pipe)\b`)

// refusalLine is a record of a request or packet turned away: a WAF log's
// terminating BLOCK, a firewall's DENY or DROP, a VPC flow log's REJECT.
// Such logs carry no level, yet each line is a refusal someone felt.
var refusalLine = regexp.MustCompile(`"action"\s*:\s*"(BLOCK|DENY|DROP|REJECT)"|\baction=(BLOCK|DENY|DROP|REJECT)\b|\sREJECT\s+(OK|NODATA|SKIPDATA)\b`)

// failedRecord is a structured record of something that failed, written
// by a service with no level: a Step Functions history event
// ("type":"TaskFailed"), a Firehose delivery error ("errorCode":
// "S3.AccessDenied").
var failedRecord = regexp.MustCompile(`"type"\s*:\s*"\w*(Failed|TimedOut|Aborted)"|"(errorCode|error_code|errorType)"\s*:\s*"[A-Za-z<]`)

// exceptionLine is a line that starts with an exception's class and a
// colon, as runtimes print the error that ended a stack trace.
var exceptionLine = regexp.MustCompile(`^\s*([a-z_][\w]*\.)*[A-Z]\w*(Error|Exception|Fault|Panic)(:|$)`)

// placeholder matches a template's variable: <num>, <*>, <ip>, <...>.
var placeholder = regexp.MustCompile(`<[a-z*.]{1,8}>`)

// compareTemplates compares each group's window templates with its
// baseline: new, risen, steady or fell, ranked so that a handful of lines
// never seen before is not drowned by a loud template.
func compareTemplates(sets []patternSet, winSpan, baseSpan time.Duration) ([]logTemplate, []vanished) {
	var out []logTemplate
	var gone []vanished
	// A group silent in the baseline while others logged (a delivery
	// stream's or a firewall's log, written only when something fails)
	// had nothing to say then: what it says now is new.
	anyBase := false
	for _, set := range sets {
		anyBase = anyBase || set.base != nil && set.base.Matched > 0
	}
	for _, set := range sets {
		if set.win == nil {
			continue
		}
		var base []telemetry.LogPattern
		baseHasData := anyBase
		if set.base != nil {
			base = set.base.Patterns
		}
		idx := newTemplateIndex(base)
		matchedBase := map[int]bool{}
		for _, p := range set.win.Patterns {
			t := logTemplate{group: set.group, p: p, severity: evidence.SeverityRank(p.Severity)}
			switch {
			case t.severity < 4 && exceptionLine.MatchString(p.Template):
				// The last line of a traceback, logged as its own event
				// (KeyError: 'X', botocore.exceptions.ClientError: …): the
				// error itself, whatever level the line lacks.
				t.severity = 4
			case t.severity < 3 && (failureWords.MatchString(p.Template) || refusalLine.MatchString(p.Template) || failedRecord.MatchString(p.Template)):
				t.severity = 3 // at least a warning
			}
			bi := idx.match(p)
			switch {
			case bi >= 0:
				matchedBase[bi] = true
				t.baseCount = base[bi].Count
				t.ratio = rate(p.Count, winSpan) / rate(base[bi].Count, baseSpan)
				switch {
				case baseSpan <= 0:
					t.status = statusSteady
				case t.ratio >= 3 && p.Count >= 5:
					t.status = statusRisen
				case t.ratio <= 1.0/3 && base[bi].Count >= 10:
					t.status = statusFell
				default:
					t.status = statusSteady
				}
			case baseHasData && baseSpan > 0:
				t.status = statusNew
			default:
				t.status = statusSteady // nothing to compare with
			}
			t.sustained = p.Count >= 3 && (p.LastSeen.Sub(p.FirstSeen) >= 2*time.Minute || p.FirstSeen.IsZero())
			t.score = templateScore(t)
			out = append(out, t)
		}
		// Templates that stopped: a vanished "order placed" says as much
		// as a new error.
		var winKeys, winSamples []string
		for i, b := range base {
			if matchedBase[i] || b.Count < 10 {
				continue
			}
			if winKeys == nil {
				for _, w := range set.win.Patterns {
					winKeys = append(winKeys, templateKey(w.Template))
					winSamples = append(winSamples, normalizeSpace(w.Sample))
				}
			}
			if matchedByWindow(b, winKeys, winSamples) < 0 {
				gone = append(gone, vanished{group: set.group, template: b.Template, count: b.Count})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].p.Count > out[j].p.Count
	})
	sort.SliceStable(gone, func(i, j int) bool { return gone[i].count > gone[j].count })
	return out, gone
}

// templateScore ranks a template: novelty first, then severity (which
// counts fully only when the template is new or rose: steady errors are
// routine noise), then a little volume.
func templateScore(t logTemplate) float64 {
	sev := 0.0
	switch {
	case t.severity >= 4:
		sev = 3
	case t.severity == 3:
		sev = 1.5
	}
	novelty := 0.0
	switch t.status {
	case statusNew:
		novelty = 3
	case statusRisen:
		novelty = 1.5 + math.Min(math.Log2(math.Max(t.ratio, 1))/4, 1)
	case statusFell:
		novelty = 0.5
		sev = 0
	default:
		sev *= 0.4
	}
	return novelty + sev + 0.3*math.Log10(float64(t.p.Count)+1)
}

// notable reports whether a template belongs in the bundle at all.
func (t logTemplate) notable() bool {
	switch t.status {
	case statusNew, statusRisen:
		return true
	case statusSteady:
		return t.severity >= 4
	}
	return false
}

func (t logTemplate) errorLike() bool { return t.severity >= 3 }

// failureLike reports a template that shows a failure: an error, or a
// warning that says something failed. A warning that only reports a state
// ("index has 1 unassigned replica shard", "deprecated setting") at a
// service's start-up does not tie that service to an incident.
func (t logTemplate) failureLike() bool {
	return t.severity >= 4 || t.severity == 3 && (failureWords.MatchString(t.p.Template) || failedRecord.MatchString(t.p.Template) || len(signaturesOf(t.p.Template)) > 0)
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return math.Max(float64(n), 0.5) / d.Minutes()
}

// templateIndex finds a window template among the baseline's: by the
// template with every placeholder alike, else by matching one side's
// sample against the other side's template (two mining runs may
// generalise a template differently).
type templateIndex struct {
	base    []telemetry.LogPattern
	byKey   map[string]int
	globs   [][]string
	samples []string
}

func newTemplateIndex(base []telemetry.LogPattern) *templateIndex {
	ix := &templateIndex{base: base, byKey: map[string]int{}, globs: make([][]string, len(base)), samples: make([]string, len(base))}
	for i, b := range base {
		k := templateKey(b.Template)
		if _, ok := ix.byKey[k]; !ok {
			ix.byKey[k] = i
		}
		ix.globs[i] = globPieces(b.Template)
		ix.samples[i] = normalizeSpace(b.Sample)
	}
	return ix
}

func (ix *templateIndex) match(p telemetry.LogPattern) int {
	if i, ok := ix.byKey[templateKey(p.Template)]; ok {
		return i
	}
	sample := normalizeSpace(p.Sample)
	for i := range ix.base {
		if globMatch(ix.globs[i], sample) {
			return i
		}
	}
	own := globPieces(p.Template)
	for i := range ix.base {
		if globMatch(own, ix.samples[i]) {
			return i
		}
	}
	return -1
}

// matchedByWindow finds whether a baseline template still occurs among
// the window's templates (it may have been matched to another one).
func matchedByWindow(b telemetry.LogPattern, winKeys, winSamples []string) int {
	k := templateKey(b.Template)
	g := globPieces(b.Template)
	for i := range winKeys {
		if winKeys[i] == k || globMatch(g, winSamples[i]) {
			return i
		}
	}
	return -1
}

func templateKey(t string) string {
	return placeholder.ReplaceAllString(normalizeSpace(t), "<*>")
}

func normalizeSpace(s string) string {
	if len(s) > 4096 {
		s = s[:4096]
	}
	return strings.Join(strings.Fields(s), " ")
}

// globPieces splits a template at its placeholders: the constant pieces
// a line must hold, in order. A leading or trailing "" anchors nothing.
func globPieces(t string) []string {
	return placeholder.Split(normalizeSpace(t), -1)
}

func globMatch(pieces []string, s string) bool {
	if len(pieces) == 0 {
		return false
	}
	constant := 0
	for _, p := range pieces {
		constant += len(strings.TrimSpace(p))
	}
	if constant < 8 {
		return false // mostly placeholders: would match anything
	}
	if !strings.HasPrefix(s, pieces[0]) {
		return false
	}
	pos := len(pieces[0])
	for i, p := range pieces[1:] {
		if p == "" {
			continue
		}
		last := i == len(pieces)-2
		j := strings.Index(s[pos:], p)
		if j < 0 {
			return false
		}
		if last && !strings.HasSuffix(s, p) {
			// the last piece must end the line unless it is cut
			k := strings.LastIndex(s, p)
			if k < pos || k+len(p) != len(s) {
				return false
			}
		}
		pos += j + len(p)
	}
	return true
}

// hiddenValue is what a template's "<*>" hides in sample, the most telling
// one (the longest with words: an error message, not an id). aligned is
// false when the sample does not line up with the template.
func hiddenValue(template, sample string) (value string, aligned bool) {
	t, s := normalizeSpace(template), normalizeSpace(sample)
	marks := placeholder.FindAllStringIndex(t, -1)
	if len(marks) == 0 {
		return "", false
	}
	pieces := placeholder.Split(t, -1)
	if !strings.HasPrefix(s, pieces[0]) {
		return "", false
	}
	pos := len(pieces[0])
	for i, m := range marks {
		next := pieces[i+1]
		var v string
		switch {
		case next == "" && i == len(marks)-1:
			v = s[pos:]
			pos = len(s)
		case next == "":
			continue // two placeholders in a row: no boundary between them
		default:
			j := strings.Index(s[pos:], next)
			if j < 0 {
				return value, false
			}
			v = s[pos : pos+j]
			pos += j + len(next)
		}
		if t[m[0]:m[1]] == "<*>" && strings.Contains(v, " ") && wordy(v) && len(v) > len(value) {
			value = v
		}
	}
	return value, true
}

// wordy reports text with a word of four letters or more in it.
func wordy(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			run++
			if run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
