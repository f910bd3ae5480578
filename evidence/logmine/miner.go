package logmine

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unsafe"
)

// Config sets the few limits of a Miner. The zero value is ready to use; the
// method itself has no per-source knobs.
type Config struct {
	// MaxTemplates caps the templates kept at once (default 10000). When a
	// new template would exceed it, the least used sixteenth of the
	// templates (lowest count, then least recently seen) is evicted into one
	// "<other>" cluster; their ids then Resolve to that cluster.
	MaxTemplates int
	// MaxTokens caps the whitespace-separated fields looked at per line
	// (default 48, at most 64); the rest of a longer line is one "<...>"
	// variable.
	MaxTokens int
	// TopValues is how many values are tracked per variable (default 8).
	TopValues int
}

// Value is a variable value and how many lines had it (a lower bound: the
// counts come from a fixed-size sketch).
type Value struct {
	Text  string
	Count int
}

// VarStats describes one placeholder of a template, in template order.
type VarStats struct {
	Type   string  // the placeholder as shown in the template, e.g. "<ip>"
	Values []Value // most frequent first
}

// Cluster is one template and what was seen of it.
type Cluster struct {
	ID       int
	Template string
	Count    int
	Sample   string // the first line of the template (cut at 1 KiB)
	Vars     []VarStats
}

// varSentinel marks a variable inside a stored field skeleton; it is
// replaced by the slot's placeholder when a template is rendered.
const varSentinel = 0x00

// genHash is the field hash of a generalised field ("<*>" as a whole).
const genHash = 0x9E3779B97F4A7C15

// minSiblings is how many templates, identical but for one constant word at
// the same place, it takes to turn that word into a variable. Two is too
// few: "Connection opened"/"Connection closed" are different events. With
// three or more distinct words in one slot and everything else equal, the
// slot behaves like a value (user names, host names, states).
const minSiblings = 3

type cfield struct {
	skel string // field text with varSentinel for each variable
	h    uint64
	gen  bool // generalised: the whole field is one variable
	glue bool // rendered without a space before it (JSON members)
	// mixed: the lines of this wildcard field had values of different
	// shapes ("00:01" and "<1 sec"); it is shown as "<*>".
	mixed bool
	nvar  int32
}

type slot struct {
	typ uint8
	top topk
}

type cluster struct {
	id     int32
	fields []cfield
	mask   uint64 // generalised field positions
	count  int64
	last   uint64
	sample string
	slots  []slot
	tmpl   string
	dirty  bool
}

type maskRef struct {
	mask uint64
	refs int
}

// Miner mines templates from a stream of messages. It is not safe for
// concurrent use.
type Miner struct {
	cfg   Config
	tk    tokenizer
	cl    []*cluster // by id; nil once merged or evicted
	alias []int32    // alias[id] == id while the cluster is live
	cache map[uint64]int32
	gen   map[uint64]int32
	sib   map[uint64][]int32
	masks map[int][]maskRef
	live  int
	other int32
	seq   uint64
	cap   int
}

// New returns an empty Miner.
func New(cfg Config) *Miner {
	if cfg.MaxTemplates <= 0 {
		cfg.MaxTemplates = 10000
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 48
	}
	if cfg.MaxTokens > 64 {
		cfg.MaxTokens = 64
	}
	if cfg.TopValues <= 0 {
		cfg.TopValues = 8
	}
	return &Miner{
		cfg:   cfg,
		cache: make(map[uint64]int32),
		gen:   make(map[uint64]int32),
		sib:   make(map[uint64][]int32),
		masks: make(map[int][]maskRef),
		other: -1,
		cap:   8*cfg.MaxTemplates + 1024,
	}
}

func mix(p int, h uint64) uint64 {
	x := h + uint64(p+1)*0xBF58476D1CE4E5B9
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

func lenKey(n int) uint64 { return mix(-1, uint64(n)*0x2545F4914F6CDD1D) }

// AddBytes is Add for a line in a reused buffer: msg is not retained.
func (m *Miner) AddBytes(msg []byte) int {
	if len(msg) == 0 {
		return m.Add("")
	}
	return m.Add(unsafe.String(&msg[0], len(msg)))
}

// Add assigns msg to a template and returns the template's id. Ids are
// stable: a template created by Add keeps its id until it is merged into
// another or evicted, and Resolve maps an old id to the live one. Add
// copies what it keeps of msg (the sample, bounded variable values), so
// msg may live in a buffer that is reused afterwards.
func (m *Miner) Add(msg string) int {
	m.tk.run(msg, m.cfg.MaxTokens)
	f := m.tk.fields
	n := len(f)
	k := lenKey(n)
	for p := range f {
		k += mix(p, f[p].h)
	}
	m.seq++
	if id, ok := m.cache[k]; ok {
		r := m.find(id)
		if c := m.cl[r]; c != nil && r != m.other && len(c.fields) == n {
			m.observe(c, msg)
			return int(r)
		}
		delete(m.cache, k)
	}
	// A generalised template with the same constant fields? A template
	// may absorb a constant word into a placeholder only when at least half
	// of its fields stay constant.
	for _, mr := range m.masks[n] {
		gk := k
		absorbs := false
		for b := mr.mask; b != 0; b &= b - 1 {
			p := bits.TrailingZeros64(b)
			if f[p].h != genHash {
				gk += mix(p, genHash) - mix(p, f[p].h)
				absorbs = true
			}
		}
		if absorbs && !enoughContext(n, bits.OnesCount64(mr.mask)) {
			continue
		}
		if id, ok := m.gen[gk]; ok && m.cl[id] != nil {
			m.remember(k, id)
			m.observe(m.cl[id], msg)
			return int(id)
		}
	}
	if id := m.siblings(msg, k); id >= 0 {
		return int(id)
	}
	return int(m.create(msg, k))
}

func (m *Miner) remember(k uint64, id int32) {
	if len(m.cache) >= m.cap {
		clear(m.cache)
	}
	m.cache[k] = id
}

// enoughContext: a template of n fields with g placeholders fields keeps
// at least half of its fields constant; one that is mostly placeholders
// says nothing and would swallow unrelated lines.
func enoughContext(n, g int) bool { return n-g >= (n+1)/2 }

// siblings handles a line whose skeleton matches no template. Two kinds of
// evidence turn a constant field into a placeholder:
//   - the line has a variable (say a number) where templates that are
//     otherwise equal have a constant word ("user 0" vs "user admin");
//   - minSiblings templates (with the line) are equal but for one
//     constant word in the same field ("user root", "user guest", ...).
//
// The templates then merge into one with that field generalised.
func (m *Miner) siblings(msg string, k uint64) int32 {
	f := m.tk.fields
	n := len(f)
	// the line's own bare variables are placeholders of the merged
	// template too
	var bare uint64
	for p := 0; p < n && p < 64; p++ {
		if f[p].h == genHash {
			bare |= 1 << uint(p)
		}
	}
	try := func(mask uint64) int32 {
		if !enoughContext(n, bits.OnesCount64(mask|bare)) {
			return -1
		}
		gk := k
		for b := mask; b != 0; b &= b - 1 {
			p := bits.TrailingZeros64(b)
			gk += mix(p, genHash) - mix(p, f[p].h)
		}
		for p := 0; p < n && p < 64; p++ {
			if mask&(1<<uint(p)) != 0 || m.tk.isTail(p) {
				continue
			}
			sk := gk + mix(p, genHash) - mix(p, f[p].h)
			l := m.sib[sk]
			if len(l) == 0 {
				continue
			}
			// members that differ from the line at p (when the line has a
			// bare variable at p, the list also holds templates that
			// differ elsewhere)
			var same []int32
			evidence := f[p].h == genHash
			var fr uint64
			for _, id := range l {
				if len(m.cl[id].fields) != n {
					continue // a hash collision, not a sibling
				}
				c := m.cl[id].fields[p]
				if c.h != f[p].h {
					same = append(same, id)
					if c.h == genHash {
						evidence = true
					} else if !evidence && (c.nvar > 0 || f[p].v1 > f[p].v0) {
						if fr == 0 {
							fr = m.tk.frame(msg, p)
						}
						evidence = frameOf(c.skel) == fr
					} else if !evidence {
						evidence = emptyAndFilled(c.skel, msg[f[p].s:f[p].e])
					}
				}
			}
			if !enoughContext(n, bits.OnesCount64(mask|bare|1<<uint(p))) {
				continue
			}
			if len(same) > 0 && (evidence || len(same)+1 >= minSiblings && m.wordSlot(p, same, msg[f[p].s:f[p].e])) {
				return m.merge(same, p, msg, k)
			}
		}
		return -1
	}
	seenEmpty := false
	for _, mr := range m.masks[n] {
		if mr.mask == 0 {
			seenEmpty = true
		}
		if id := try(mr.mask); id >= 0 {
			return id
		}
	}
	if !seenEmpty {
		return try(0)
	}
	return -1
}

// wordSlot: may the differing words at field p of these templates and
// the line be values of one slot? Not the first word of a message (after
// any leading values such as a timestamp): it
// names the event or its source ("cupsd startup succeeded", "DMA zone:",
// "boot (command 12)"). Not when every one of the words is a state word
// (see stateWord): programs choose those from a short list ("VM
// Started", "VM Stopped"; "LOOKING", "FOLLOWING"; "action.SCREEN_ON"),
// while the names that fill a value slot (users, hosts, packages,
// CamelCase identifiers) are mostly not, and one of them among the words
// is enough.
func (m *Miner) wordSlot(p int, ids []int32, word string) bool {
	first := true // only variables before p ("<ts> cupsd startup ...")
	for q := 0; q < p && first; q++ {
		first = m.tk.fields[q].h == genHash
	}
	if first {
		return false
	}
	if !stateWord(word) {
		return true
	}
	for _, id := range ids {
		if !stateWord(m.cl[id].fields[p].skel) {
			return true
		}
	}
	return false
}

// stateWord: the word (the last part of a dotted word) is upper case
// ("LOOKING", "SCREEN_ON") or capitalised with no other capital
// ("Started"); lower-case words and CamelCase identifiers
// ("PutObject", "WindowsUpdateAgent") are names.
func stateWord(w string) bool {
	if i := strings.LastIndexByte(strings.TrimRight(w, ".,;:"), '.'); i >= 0 {
		w = w[i+1:]
	}
	upper, lower, first := 0, 0, byte(0)
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		default:
			continue
		}
		if first == 0 {
			first = c
		}
	}
	if upper == 0 {
		return false
	}
	return lower == 0 || upper == 1 && first >= 'A' && first <= 'Z'
}

// frame hashes the constant text of field p, without its variables:
// "rhost=" and "rhost=<ip>" have the same frame, "(<*>)" and "()" too.
func (t *tokenizer) frame(line string, p int) uint64 {
	f := &t.fields[p]
	h := uint64(fnvOffset)
	pos := f.s
	for _, v := range t.vars[f.v0:f.v1] {
		h = hashBytes(h, line[pos:v.s])
		pos = v.e
	}
	return hashBytes(h, line[pos:f.e]) | 1
}

// emptyAndFilled: one field is an empty pair of brackets or quotes and the
// other the same brackets with something in them ("[]" and "[/api]",
// or an empty and a filled quoted string): the brackets hold a value.
func emptyAndFilled(a, b string) bool {
	a, b = strings.TrimRight(a, ",;:"), strings.TrimRight(b, ",;:")
	if len(a) > len(b) {
		a, b = b, a
	}
	return isEmptyPair(a) && len(b) > 2 && b[0] == a[0] && b[len(b)-1] == a[1]
}

func frameOf(skel string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(skel); i++ {
		if skel[i] != varSentinel {
			h = (h ^ uint64(skel[i])) * fnvPrime
		}
	}
	return h | 1
}

func (t *tokenizer) isTail(p int) bool {
	f := &t.fields[p]
	return f.whole && t.vars[f.v0].typ == tTail
}

// create makes a new template from the tokenised line.
func (m *Miner) create(msg string, k uint64) int32 {
	if m.live >= m.cfg.MaxTemplates {
		m.evict()
	}
	f := m.tk.fields
	c := &cluster{id: int32(len(m.cl)), fields: make([]cfield, len(f)), dirty: true}
	var sb strings.Builder
	for p := range f {
		sb.Reset()
		x := &f[p]
		pos := int(x.s)
		for _, v := range m.tk.vars[x.v0:x.v1] {
			writeSpaced(&sb, msg[pos:v.s])
			sb.WriteByte(varSentinel)
			pos = int(v.e)
		}
		writeSpaced(&sb, msg[pos:x.e])
		c.fields[p] = cfield{skel: sb.String(), h: x.h, nvar: x.v1 - x.v0, glue: x.glue}
		if x.h == genHash && p < 64 {
			c.fields[p].gen = true
			c.mask |= 1 << uint(p)
			if x.v1-x.v0 > 1 && framed(c.fields[p].skel) {
				// a span with punctuation ("chrome.exe *64",
				// "a-1, b-2") is one value, counted whole; a run of
				// bare values ("200 1234") keeps a slot each
				c.fields[p].mixed = true
				c.fields[p].nvar = 1
				c.slots = append(c.slots, slot{typ: tAny, top: make(topk, m.cfg.TopValues)})
				continue
			}
		}
		for _, v := range m.tk.vars[x.v0:x.v1] {
			c.slots = append(c.slots, slot{typ: v.typ, top: make(topk, m.cfg.TopValues)})
		}
	}
	s := msg
	if len(s) > 1024 {
		s = s[:1024]
	}
	c.sample = strings.Clone(s)
	m.cl = append(m.cl, c)
	m.alias = append(m.alias, c.id)
	m.live++
	m.register(c)
	m.remember(k, c.id)
	m.observe(c, msg)
	return c.id
}

func (c *cluster) gkey() uint64 {
	k := lenKey(len(c.fields))
	for p := range c.fields {
		k += mix(p, c.fields[p].h)
	}
	return k
}

func (m *Miner) register(c *cluster) {
	g := c.gkey()
	m.gen[g] = c.id
	n := len(c.fields)
	l := m.masks[n]
	found := false
	for i := range l {
		if l[i].mask == c.mask {
			l[i].refs++
			found = true
		}
	}
	if !found {
		m.masks[n] = append(l, maskRef{c.mask, 1})
	}
	for p := range c.fields {
		if c.fields[p].gen {
			continue
		}
		sk := g + mix(p, genHash) - mix(p, c.fields[p].h)
		m.sib[sk] = append(m.sib[sk], c.id)
	}
}

func (m *Miner) unregister(c *cluster) {
	g := c.gkey()
	if m.gen[g] == c.id {
		delete(m.gen, g)
	}
	n := len(c.fields)
	l := m.masks[n]
	for i := range l {
		if l[i].mask == c.mask {
			l[i].refs--
			if l[i].refs == 0 {
				l = append(l[:i], l[i+1:]...)
				if len(l) == 0 {
					delete(m.masks, n)
				} else {
					m.masks[n] = l
				}
			}
			break
		}
	}
	for p := range c.fields {
		if c.fields[p].gen {
			continue
		}
		sk := g + mix(p, genHash) - mix(p, c.fields[p].h)
		l := m.sib[sk]
		for i, id := range l {
			if id == c.id {
				l[i] = l[len(l)-1]
				l = l[:len(l)-1]
				break
			}
		}
		if len(l) == 0 {
			delete(m.sib, sk)
		} else {
			m.sib[sk] = l
		}
	}
}

// merge folds the templates in list into the oldest of them, with field p
// generalised, then adds the line.
//
// The templates are not equal but at p. A sibling bucket is keyed by the
// line with a mask of fields generalised, so one member may have a
// constant where another has a placeholder (one was filed under p, the
// other under a masked field), and two placeholders of one field may
// hold a different number of values (a run of two bare values, or a span
// observe has made one slot). Every template lays out its slots by its
// own fields, so fuse maps them field by field.
func (m *Miner) merge(list []int32, p int, msg string, k uint64) int32 {
	surv := list[0]
	for _, id := range list {
		surv = min(surv, id)
	}
	s := m.cl[surv]
	members := make([]*cluster, 1, len(list))
	members[0] = s
	for _, id := range list {
		c := m.cl[id]
		if id == surv || c == nil || len(c.fields) != len(s.fields) || slices.Contains(members, c) {
			continue
		}
		members = append(members, c)
	}
	for _, c := range members {
		m.unregister(c)
	}
	m.fuse(members, p)
	for _, c := range members[1:] {
		m.retire(c, s)
	}
	// A template with exactly the generalised skeleton may exist already
	// (it could not take the line's constant word): fold it in too.
	if id, ok := m.gen[s.gkey()]; ok && id != surv && m.cl[id] != nil && len(m.cl[id].fields) == len(s.fields) {
		o := m.cl[id]
		m.unregister(o)
		m.fuse([]*cluster{s, o}, -1)
		m.retire(o, s)
	}
	m.register(s)
	m.remember(k, surv)
	m.observe(s, msg)
	return surv
}

// fuse rewrites cs[0] as the union of the templates cs (all of one field
// count): a field stays as it is where every template has it alike (same
// skeleton, same number of slots), and becomes one placeholder where
// they differ, and at field p (-1 for none). The placeholder's values are
// each template's former text of the field, or the values of its one
// slot. The other templates' slot values are added to the matching
// slots; counts and registration are the caller's.
func (m *Miner) fuse(cs []*cluster, p int) {
	s := cs[0]
	off := make([]int, len(cs)) // each template's first slot of field q
	fields := make([]cfield, len(s.fields))
	slots := make([]slot, 0, len(s.slots)+1)
	var mask uint64
	for q := range s.fields {
		sf := s.fields[q]
		alike := q != p
		for _, c := range cs[1:] {
			cf := &c.fields[q]
			if !alike || cf.h != sf.h || cf.nvar != sf.nvar || cf.gen != sf.gen || cf.mixed != sf.mixed {
				alike = false
				break
			}
		}
		if alike {
			base := len(slots)
			slots = append(slots, s.slots[off[0]:off[0]+int(sf.nvar)]...)
			for i, c := range cs[1:] {
				for j := range int(sf.nvar) {
					foldSlot(&slots[base+j], &c.slots[off[i+1]+j])
				}
			}
			fields[q] = sf
		} else {
			g := slot{typ: tAny, top: make(topk, m.cfg.TopValues)}
			for i, c := range cs {
				cf := &c.fields[q]
				own := c.slots[off[i] : off[i]+int(cf.nvar)]
				if cf.gen && len(own) == 1 {
					foldSlot(&g, &own[0])
					continue
				}
				txt := renderField(cf.skel, own)
				g.top.add(txt, hashBytes(fnvOffset, txt), uint32(min(c.count, 1<<31)))
			}
			slots = append(slots, g)
			fields[q] = cfield{skel: sentinelSkel, h: genHash, gen: true, nvar: 1, glue: sf.glue}
		}
		if fields[q].gen && q < 64 {
			mask |= 1 << uint(q)
		}
		for i, c := range cs {
			off[i] += int(c.fields[q].nvar)
		}
	}
	s.fields, s.slots, s.mask, s.dirty = fields, slots, mask, true
}

// sentinelSkel is the skeleton of a field that is one placeholder.
const sentinelSkel = string(rune(varSentinel))

// foldSlot adds the values src has seen to dst.
func foldSlot(dst, src *slot) {
	if dst.typ != src.typ {
		dst.typ = tAny
	}
	for _, e := range src.top {
		if e.c > 0 {
			dst.top.add(string(e.b[:e.n]), e.h, e.c-e.err)
		}
	}
}

// retire folds o's counts into into and resolves o's id to it.
func (m *Miner) retire(o, into *cluster) {
	into.count += o.count
	into.last = max(into.last, o.last)
	m.cl[o.id] = nil
	m.alias[o.id] = into.id
	m.live--
}

// evict drops the least used templates into the "<other>" cluster.
func (m *Miner) evict() {
	if m.other < 0 {
		o := &cluster{id: int32(len(m.cl)), tmpl: "<other>", sample: ""}
		m.other = o.id
		m.cl = append(m.cl, o)
		m.alias = append(m.alias, o.id)
	}
	o := m.cl[m.other]
	var live []*cluster
	for _, c := range m.cl {
		if c != nil && c.id != m.other {
			live = append(live, c)
		}
	}
	sort.Slice(live, func(i, j int) bool {
		if live[i].count != live[j].count {
			return live[i].count < live[j].count
		}
		return live[i].last < live[j].last
	})
	nEvict := max(1, m.cfg.MaxTemplates/16)
	for _, c := range live[:min(nEvict, len(live))] {
		m.unregister(c)
		o.count += c.count
		o.last = max(o.last, c.last)
		if o.sample == "" {
			o.sample = c.sample
		}
		m.cl[c.id] = nil
		m.alias[c.id] = m.other
		m.live--
	}
}

func (m *Miner) find(id int32) int32 {
	r := id
	for m.alias[r] != r {
		r = m.alias[r]
	}
	for m.alias[id] != r {
		id, m.alias[id] = m.alias[id], r
	}
	return r
}

// Resolve maps an id returned by Add to the id of the live template that
// now holds its lines (templates merge as they generalise, or are evicted
// into the "<other>" cluster). Unknown ids are returned unchanged.
func (m *Miner) Resolve(id int) int {
	if id < 0 || id >= len(m.alias) {
		return id
	}
	return int(m.find(int32(id)))
}

// observe counts the line in c and updates the variable statistics.
func (m *Miner) observe(c *cluster, msg string) {
	c.count++
	c.last = m.seq
	f := m.tk.fields
	vars := m.tk.vars
	si := 0
	for p := range f {
		if p >= len(c.fields) {
			break
		}
		if cf := &c.fields[p]; cf.gen && (cf.mixed || cf.nvar != f[p].v1-f[p].v0 || !sameFrame(cf, &f[p], vars, msg)) {
			// a value span of another shape than the template's: from
			// now on the whole span is one value, in one slot
			if !cf.mixed {
				cf.mixed = true
				c.dirty = true
				if n := int(cf.nvar); n > 1 && si+n <= len(c.slots) {
					c.slots = append(c.slots[:si+1], c.slots[si+n:]...)
					cf.nvar = 1
					// its values so far were parts of a span; the slot
					// now counts whole spans (counts are lower bounds)
					clear(c.slots[si].top)
				}
			}
			if si < len(c.slots) {
				sl := &c.slots[si]
				if sl.typ != tAny {
					sl.typ = tAny
					c.dirty = true
				}
				v := msg[f[p].s:f[p].e]
				sl.top.add(v, hashBytes(fnvOffset, v), 1)
			}
			si += max(int(cf.nvar), 1)
			continue
		}
		for _, v := range vars[f[p].v0:f[p].v1] {
			if si >= len(c.slots) {
				return
			}
			sl := &c.slots[si]
			if sl.typ != v.typ && sl.typ != tAny {
				sl.typ = tAny
				c.dirty = true
			}
			x := msg[v.s:v.e]
			sl.top.add(x, hashBytes(fnvOffset, x), 1)
			si++
		}
	}
}

// sameFrame: the line's field has as much constant text around its
// values as the template's ("<1 sec" and "00:02" do not; a cheap test
// that runs only on wildcard fields).
func sameFrame(cf *cfield, f *ftok, vars []vtok, msg string) bool {
	n, pos := 0, int(f.s)
	for _, v := range vars[f.v0:f.v1] {
		n += spacedLen(msg[pos:v.s])
		pos = int(v.e)
	}
	n += spacedLen(msg[pos:f.e])
	return n == len(cf.skel)-int(cf.nvar)
}

// framed: a skeleton has constant text other than spaces between or
// around its values.
func framed(skel string) bool {
	for i := 0; i < len(skel); i++ {
		if skel[i] != varSentinel && skel[i] != ' ' {
			return true
		}
	}
	return false
}

// writeSpaced writes s with each run of white space as one space (and a
// NUL as SUB, 0x1A, since NUL marks a variable in a skeleton): a
// wildcard field that spans several fields keeps one space between them,
// as the template does between fields.
func writeSpaced(sb *strings.Builder, s string) {
	sp := false
	for i := 0; i < len(s); i++ {
		if cls[s[i]]&cSpace != 0 {
			if !sp {
				sb.WriteByte(' ')
			}
			sp = true
			continue
		}
		sp = false
		if s[i] == varSentinel {
			// a NUL in the line is text, not a placeholder: keep the
			// skeleton's sentinels one per slot
			sb.WriteByte(0x1A)
			continue
		}
		sb.WriteByte(s[i])
	}
}

// spacedLen is the length writeSpaced writes for s.
func spacedLen(s string) int {
	n, sp := 0, false
	for i := 0; i < len(s); i++ {
		if cls[s[i]]&cSpace != 0 {
			if !sp {
				n++
			}
			sp = true
			continue
		}
		sp = false
		n++
	}
	return n
}

func renderField(skel string, slots []slot) string {
	if strings.IndexByte(skel, varSentinel) < 0 {
		return skel
	}
	var sb strings.Builder
	i := 0
	for j := 0; j < len(skel); j++ {
		if skel[j] == varSentinel {
			t := uint8(tAny)
			if i < len(slots) {
				t = slots[i].typ
			}
			sb.WriteString(typeNames[t])
			i++
		} else {
			sb.WriteByte(skel[j])
		}
	}
	return sb.String()
}

func (c *cluster) template() string {
	if !c.dirty {
		return c.tmpl
	}
	var sb strings.Builder
	si := 0
	for p := range c.fields {
		if p > 0 && !c.fields[p].glue {
			sb.WriteByte(' ')
		}
		n := int(c.fields[p].nvar)
		if c.fields[p].mixed {
			sb.WriteString(typeNames[tAny])
		} else {
			sb.WriteString(renderField(c.fields[p].skel, c.slots[si:min(si+n, len(c.slots))]))
		}
		si += n
	}
	c.tmpl = sb.String()
	c.dirty = false
	return c.tmpl
}

// Template returns the current template text of the cluster that id
// resolves to ("" for an unknown id). Variable parts are shown as typed
// placeholders (<num>, <ip>, ...) or <*>.
func (m *Miner) Template(id int) string {
	if id < 0 || id >= len(m.alias) {
		return ""
	}
	c := m.cl[m.find(int32(id))]
	if c == nil {
		return ""
	}
	return c.template()
}

// Len returns the number of live templates.
func (m *Miner) Len() int { return m.live }

// Clusters returns the live templates, most frequent first.
func (m *Miner) Clusters() []Cluster {
	var out []Cluster
	for _, c := range m.cl {
		if c == nil || c.count == 0 {
			continue
		}
		x := Cluster{ID: int(c.id), Template: c.template(), Count: int(c.count), Sample: c.sample}
		for _, s := range c.slots {
			vs := VarStats{Type: typeNames[s.typ]}
			for _, e := range s.top {
				if e.c > 0 {
					vs.Values = append(vs.Values, Value{Text: string(e.b[:e.n]), Count: int(e.c - e.err)})
				}
			}
			sort.SliceStable(vs.Values, func(i, j int) bool { return vs.Values[i].Count > vs.Values[j].Count })
			x.Vars = append(x.Vars, vs)
		}
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].ID < out[j].ID
	})
	return out
}
