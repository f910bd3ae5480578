package snapshot

import (
	"sort"
	"time"

	"github.com/golang/snappy"

	"github.com/fa2/fa2/telemetry"
)

// A snapshot's logs are the largest thing fa2 keeps while it investigates:
// hundreds of thousands of lines, most of their bytes message text that a
// query reads once, if at all. A log group is therefore kept column by
// column: times, streams, severities and message lengths as small arrays
// (enough for histograms and windows), and the messages themselves
// snappy-compressed in blocks, unpacked only for the blocks a query needs.
// Log text shrinks about four times and unpacks at memory speed.

// logBlockSize is how many events' messages share a compressed block.
const logBlockSize = 1024

// logGroup is one log group's events, oldest first.
type logGroup struct {
	name    string
	times   []int64  // Unix milliseconds
	streams []uint32 // into logIndex.streamNames
	sevs    []uint16 // into logIndex.sevNames
	lens    []uint32 // message lengths in bytes
	blocks  [][]byte // snappy-compressed messages, logBlockSize events each

	pending []byte // messages of the block being filled
	scratch []byte // compression buffer
}

func (g *logGroup) len() int { return len(g.times) }

// add appends an event; the group must be finished before it is read.
func (g *logGroup) add(ms int64, stream uint32, sev uint16, msg string) {
	g.times = append(g.times, ms)
	g.streams = append(g.streams, stream)
	g.sevs = append(g.sevs, sev)
	g.lens = append(g.lens, uint32(len(msg)))
	g.pending = append(g.pending, msg...)
	if len(g.times)%logBlockSize == 0 {
		g.flush()
	}
}

func (g *logGroup) flush() {
	if len(g.blocks)*logBlockSize < len(g.times) {
		// Encode returns a slice of a worst-case buffer: keep an exact copy.
		g.scratch = snappy.Encode(g.scratch[:cap(g.scratch)], g.pending)
		g.blocks = append(g.blocks, append([]byte(nil), g.scratch...))
	}
	g.pending = g.pending[:0]
}

// finish closes the last block and puts the events in time order (files
// usually are; checking is linear, sorting is the rare case).
func (g *logGroup) finish(idx *logIndex) {
	g.flush()
	g.pending, g.scratch = nil, nil
	if sort.SliceIsSorted(g.times, func(i, j int) bool { return g.times[i] < g.times[j] }) {
		return
	}
	events := make([]telemetry.LogEvent, 0, g.len())
	for ev := range idx.events(g, 0, g.len(), true) {
		events = append(events, ev)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Timestamp.Before(events[j].Timestamp) })
	fresh := &logGroup{name: g.name}
	for _, ev := range events {
		fresh.add(ev.Timestamp.UnixMilli(), idx.stream(ev.LogStream), idx.severity(ev.Severity), ev.Message)
	}
	fresh.flush()
	fresh.pending, fresh.scratch = nil, nil
	*g = *fresh
}

// search returns the first event at or after t.
func (g *logGroup) search(t time.Time) int {
	ms := t.UnixMilli()
	if t.Before(time.UnixMilli(ms)) {
		ms-- // t has a fraction of a millisecond: round down, then step over
	}
	i := sort.Search(len(g.times), func(i int) bool { return g.times[i] >= ms })
	for i < len(g.times) && time.UnixMilli(g.times[i]).Before(t) {
		i++
	}
	return i
}

// events yields events [lo, hi) in order; without messages, no block is
// unpacked and Message is empty.
func (idx *logIndex) events(g *logGroup, lo, hi int, messages bool) func(yield func(telemetry.LogEvent) bool) {
	return func(yield func(telemetry.LogEvent) bool) {
		var text string // the unpacked block of event i
		off, cur := 0, -1
		for i := lo; i < hi; i++ {
			ev := telemetry.LogEvent{
				Timestamp: time.UnixMilli(g.times[i]).UTC(),
				LogGroup:  g.name,
				LogStream: idx.streamNames[g.streams[i]],
				Severity:  idx.sevNames[g.sevs[i]],
			}
			if messages {
				if b := i / logBlockSize; b != cur {
					cur = b
					raw, err := snappy.Decode(nil, g.blocks[b])
					if err != nil {
						panic("snapshot: a log block fa2 packed itself does not unpack: " + err.Error())
					}
					text = string(raw)
					off = 0
					for k := b * logBlockSize; k < i; k++ {
						off += int(g.lens[k])
					}
				}
				n := int(g.lens[i])
				ev.Message = text[off : off+n]
				off += n
			}
			if !yield(ev) {
				return
			}
		}
	}
}

// internStream returns the one copy kept of a stream name.
func (idx *logIndex) internStream(b []byte) string {
	if i, ok := idx.streamIDs[string(b)]; ok {
		return idx.streamNames[i]
	}
	return idx.streamNames[idx.stream(string(b))]
}

// stream and severity intern a stream name or severity label.
func (idx *logIndex) stream(name string) uint32 {
	if i, ok := idx.streamIDs[name]; ok {
		return i
	}
	if idx.streamIDs == nil {
		idx.streamIDs = map[string]uint32{}
	}
	i := uint32(len(idx.streamNames))
	idx.streamIDs[name] = i
	idx.streamNames = append(idx.streamNames, name)
	return i
}

func (idx *logIndex) severity(label string) uint16 {
	for i, s := range idx.sevNames {
		if s == label {
			return uint16(i)
		}
	}
	idx.sevNames = append(idx.sevNames, label)
	return uint16(len(idx.sevNames) - 1)
}
