package awsfake

import (
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// toCBOR converts a Go answer to CBOR. time.Time becomes an epoch-seconds
// timestamp (tag 1), which is how RPC v2 CBOR sends timestamps; any slice
// becomes a list and any string-keyed map a map, so handlers can use
// []time.Time, []float64, []map[string]any... as they please.
func toCBOR(v any) (cbor.Value, error) {
	switch x := v.(type) {
	case nil:
		return &cbor.Nil{}, nil
	case cbor.Value:
		return x, nil
	case time.Time:
		return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(x.UnixMilli()) / 1000)}, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return cbor.String(rv.String()), nil
	case reflect.Bool:
		return cbor.Bool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n := rv.Int(); n < 0 {
			return cbor.NegInt(uint64(-n)), nil
		}
		return cbor.Uint(uint64(rv.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return cbor.Uint(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return cbor.Float64(rv.Float()), nil
	case reflect.Slice, reflect.Array:
		l := make(cbor.List, rv.Len())
		for i := range l {
			e, err := toCBOR(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			l[i] = e
		}
		return l, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		m := cbor.Map{}
		for it := rv.MapRange(); it.Next(); {
			e, err := toCBOR(it.Value().Interface())
			if err != nil {
				return nil, err
			}
			m[it.Key().String()] = e
		}
		return m, nil
	}
	return nil, fmt.Errorf("cannot encode %T as CBOR", v)
}

// fromCBOR converts a decoded CBOR request to plain Go values: numbers
// become float64 (as encoding/json gives them for the other protocols) and
// timestamps time.Time.
func fromCBOR(v cbor.Value) any {
	switch x := v.(type) {
	case cbor.String:
		return string(x)
	case cbor.Bool:
		return bool(x)
	case cbor.Uint:
		return float64(x)
	case cbor.NegInt:
		return -float64(x)
	case cbor.Float32:
		return float64(x)
	case cbor.Float64:
		return float64(x)
	case *cbor.Tag:
		if x.ID == 1 {
			f, _ := cbor.AsFloat64(x.Value)
			sec, frac := math.Modf(f)
			return time.Unix(int64(sec), int64(frac*1e9)).UTC()
		}
		return fromCBOR(x.Value)
	case cbor.List:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromCBOR(e)
		}
		return out
	case cbor.Map:
		out := map[string]any{}
		for k, e := range x {
			out[k] = fromCBOR(e)
		}
		return out
	}
	return nil
}
