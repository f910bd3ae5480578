package logmine

// maxVal bounds the bytes kept per tracked variable value, so the stats of a
// template have a fixed size whatever the input.
const maxVal = 48

// topEntry is one counter of a space-saving sketch (Metwally et al.): c is
// an upper bound of the value's count, c-err a lower bound.
type topEntry struct {
	h      uint64
	c, err uint32
	n      uint8
	b      [maxVal]byte
}

// topk is a fixed-size space-saving sketch: the k most frequent values of a
// variable are kept exactly enough for a report, in constant memory and
// without allocating per observation.
type topk []topEntry

func (t topk) add(v string, h uint64, w uint32) {
	mi := 0
	for i := range t {
		if t[i].h == h && t[i].c != 0 {
			t[i].c += w
			return
		}
		if t[i].c < t[mi].c {
			mi = i
		}
	}
	if len(t) == 0 {
		return
	}
	e := &t[mi]
	e.err = e.c
	e.c += w
	e.h = h
	n := len(v)
	if n > maxVal {
		n = maxVal
		for n > 0 && v[n]&0xC0 == 0x80 { // do not cut a UTF-8 sequence
			n--
		}
	}
	e.n = uint8(copy(e.b[:n], v))
}
