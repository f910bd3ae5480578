package logmine

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// checkLayout verifies the invariants every live template keeps, and that
// merge and observe rely on: its slots are laid out field by field, so
// there are as many slots as the fields' nvar add up to; a placeholder
// field hashes as one, holds at least one slot and is in the mask; a field
// that is not a mixed span has one sentinel per slot in its skeleton.
func checkLayout(t testing.TB, m *Miner) {
	t.Helper()
	for _, c := range m.cl {
		if c == nil || c.id == m.other {
			continue
		}
		n := 0
		var mask uint64
		for q, f := range c.fields {
			n += int(f.nvar)
			if f.gen {
				if f.h != genHash || f.nvar < 1 {
					t.Fatalf("template %d field %d: placeholder with hash %x and %d slots", c.id, q, f.h, f.nvar)
				}
				if q < 64 {
					mask |= 1 << uint(q)
				}
			}
			if s := strings.Count(f.skel, string(rune(varSentinel))); !f.mixed && s != int(f.nvar) {
				t.Fatalf("template %d field %d: skeleton %q has %d sentinels for %d slots", c.id, q, f.skel, s, f.nvar)
			}
		}
		if n != len(c.slots) {
			t.Fatalf("template %d (%q): %d slots for fields that hold %d", c.id, c.template(), len(c.slots), n)
		}
		if mask != c.mask {
			t.Fatalf("template %d: mask %b, placeholder fields %b", c.id, c.mask, mask)
		}
	}
}

// A sibling bucket holds templates that differ from the line at different
// fields: here one template has the path generalised and a request id
// with a digit, another a constant path and the id generalised. The line
// with a new path and an id without a digit meets both; merging them once
// sliced every template's slots at the oldest one's offsets and panicked
// (a CloudFront log group of 35-field JSON records, record 1663).
func TestMergeTemplatesOfDifferentLayouts(t *testing.T) {
	rec := func(stem, id string) string {
		return fmt.Sprintf(`{"c-ip":"10.0.0.1","cs-method":"GET","cs-uri-stem":"%s","sc-status":"200","x-edge-request-id":"%s","x-edge-result-type":"Hit"}`, stem, id)
	}
	m := New(Config{})
	ids := addAll(m,
		rec("/products/oak-desk", "OB5LXIHD_3XGEL63SKNE3=="),
		rec("/", "NFWXCPGU_BTOHVSINOLEL=="),
		rec("/", "GILVMZJC_UREIOWHQINEV=="),
		rec("/products/linen-sofa", "BQCUUWPK_ONDENTBLO4Y4=="),
		rec("/", "QENBIU6H_5X2RYZDTDNUA=="),
		rec("/", "UUOVVPLA_HVLFADGYIXUG=="),
		rec("/collections/outdoor", "GSQBKWPV_YRIAFODZLNLH=="),
	)
	checkLayout(t, m)
	if ids[4] != ids[6] || ids[5] != ids[6] {
		t.Errorf("the last line should fold both templates it meets: ids %v\n  %q\n  %q\n  %q", ids,
			m.Template(ids[4]), m.Template(ids[5]), m.Template(ids[6]))
	}
	want := `{"c-ip":"<ip>","cs-method":"GET",<*>"sc-status":"<num>",<*>"x-edge-result-type":"Hit"}`
	if got := m.Template(ids[6]); got != want {
		t.Errorf("template\n got %q\nwant %q", got, want)
	}
	// the values of the fused fields come from every template that had them
	var stems []string
	for _, c := range m.Clusters() {
		if c.ID == ids[6] {
			for _, v := range c.Vars[1].Values {
				stems = append(stems, v.Text)
			}
		}
	}
	for _, s := range []string{"/products/oak-desk", "/collections/outdoor"} {
		found := false
		for _, v := range stems {
			found = found || strings.Contains(v, s)
		}
		if !found {
			t.Errorf("path slot lost %q: %q", s, stems)
		}
	}
}

// wideRecords writes n log lines of a few wide shapes — JSON objects of
// 35 members, key=value lines of 20 pairs, access-log lines with value
// spans of different lengths — whose fields switch between a word from a
// short list, an id with or without a digit, and numbers, so that
// templates generalise at different fields in different orders.
func wideRecords(seed int64, n int) []string {
	r := rand.New(rand.NewSource(seed))
	id := func() string {
		const up = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		const dig = "0123456789"
		b := make([]byte, 8+r.Intn(12))
		for i := range b {
			b[i] = up[r.Intn(len(up))]
			if r.Intn(12) == 0 {
				b[i] = dig[r.Intn(len(dig))]
			}
		}
		return string(b) + pick(r, "==", "", "_x")
	}
	member := func(k int) string {
		switch k % 7 {
		case 0:
			return pick(r, "/", "/products/oak-desk", "/products/linen-sofa", "/collections/outdoor", "/cart", "/api/v1/items")
		case 1:
			return id()
		case 2:
			return fmt.Sprint(r.Intn(100000))
		case 3:
			return pick(r, "Hit", "Miss", "Error", "RefreshHit", "-")
		case 4:
			return pick(r, "GET", "POST", "GET")
		case 5:
			return fmt.Sprintf("%d.%d.%d.%d", 10+r.Intn(200), r.Intn(256), r.Intn(256), r.Intn(256))
		default:
			return pick(r, "alpha", "beta", "gamma", "delta", "epsilon")
		}
	}
	span := func() string {
		switch r.Intn(4) {
		case 0:
			return "<1 sec"
		case 1:
			return fmt.Sprintf("%d ms", r.Intn(900))
		case 2:
			return fmt.Sprintf("%d %d %d", r.Intn(9), r.Intn(9), r.Intn(9))
		default:
			return pick(r, "fast", "slow", "stalled", "queued")
		}
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var b strings.Builder
		switch r.Intn(3) {
		case 0:
			b.WriteByte('{')
			for k := 0; k < 35; k++ {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `"k%d":"%s"`, k, member(k))
			}
			b.WriteByte('}')
		case 1:
			b.WriteString("level=info msg=\"request done\"")
			for k := 0; k < 20; k++ {
				fmt.Fprintf(&b, " f%d=%s", k, member(k))
			}
		default:
			fmt.Fprintf(&b, "%s %s %s took %s then %s for %s via %s status %s", member(5), member(4), member(0),
				span(), span(), member(6), member(1), span())
		}
		out = append(out, b.String())
	}
	return out
}

// Wide records that generalise in any order keep every template's slot
// layout intact, and every line stays readable from its template.
func TestMergeKeepsSlotLayoutOnWideRecords(t *testing.T) {
	for seed := int64(1); seed <= 12; seed++ {
		m := New(Config{MaxTemplates: 200})
		for i, l := range wideRecords(seed, 1500) {
			id := m.Add(l)
			if i%50 == 0 {
				checkLayout(t, m)
			}
			if m.Template(id) == "" {
				t.Fatalf("seed %d: no template for %q", seed, l)
			}
		}
		checkLayout(t, m)
		for _, c := range m.Clusters() {
			if c.Template == "" {
				t.Fatalf("seed %d: empty template %d", seed, c.ID)
			}
		}
	}
}
