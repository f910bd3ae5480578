package tools

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fa2/fa2/telemetry"
)

// Bounds on what a caller may send. Tools do work in proportion to their
// input (a filter expression is parsed and evaluated per record, a regex is
// compiled), so every free-text argument is capped before any work starts:
// the cap is the class fix for inputs that would make fa2 work without
// bound, whichever tool receives them.
const (
	// MaxArgsBytes caps a call's whole argument object.
	MaxArgsBytes = 64 << 10
	// MaxTextArg caps any one string argument unless its field sets
	// `maxlen:"N"` (queries and descriptions allow more).
	MaxTextArg = 2048
	// MaxListArg caps the items of any list argument.
	MaxListArg = 100
	// excerptChars is how much of an input an error message may quote.
	excerptChars = 80
)

// checkArgBounds walks the decoded input and rejects any string or list
// over its cap, naming the argument and its size (never echoing it).
func checkArgBounds(in any) error {
	return boundValue(reflect.ValueOf(in), "", MaxTextArg)
}

func boundValue(v reflect.Value, name string, maxLen int) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return boundValue(v.Elem(), name, maxLen)
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fieldName := name
			if !f.Anonymous {
				fieldName = strings.Split(f.Tag.Get("json"), ",")[0]
				if fieldName == "" {
					fieldName = f.Name
				}
			}
			limit := MaxTextArg
			if s := f.Tag.Get("maxlen"); s != "" {
				if n, err := strconv.Atoi(s); err == nil && n > 0 {
					limit = n
				}
			}
			if err := boundValue(v.Field(i), fieldName, limit); err != nil {
				return err
			}
		}
	case reflect.String:
		if n := utf8.RuneCountInString(v.String()); n > maxLen {
			return telemetry.Errorf(telemetry.KindInvalidInput, "argument %q is %d characters long, more than the %d allowed.", name, n, maxLen).
				WithHint("Shorten it: narrow the filter or query to what identifies the records you need.")
		}
	case reflect.Slice, reflect.Array:
		if v.Len() > MaxListArg {
			return telemetry.Errorf(telemetry.KindInvalidInput, "argument %q has %d items, more than the %d allowed.", name, v.Len(), MaxListArg).
				WithHint("Pass fewer items, or use a prefix ending in * where the argument accepts one.")
		}
		for i := 0; i < v.Len(); i++ {
			if err := boundValue(v.Index(i), name, maxLen); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Len() > MaxListArg {
			return telemetry.Errorf(telemetry.KindInvalidInput, "argument %q has %d entries, more than the %d allowed.", name, v.Len(), MaxListArg)
		}
		for _, k := range v.MapKeys() {
			if err := boundValue(v.MapIndex(k), name, maxLen); err != nil {
				return err
			}
		}
	}
	return nil
}

// excerpt quotes at most excerptChars runes of s for an error message, so a
// huge input is never echoed back whole.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptChars {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return strconv.Quote(string(r[:excerptChars])) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
