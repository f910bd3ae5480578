package main

import (
	"math"
	"sort"
	"time"
)

// series collects samples per minute so metrics agree with the logs.
type series map[time.Time][]float64

func (m series) add(t time.Time, v float64) { k := t.Truncate(time.Minute); m[k] = append(m[k], v) }

// inc counts one occurrence in t's minute (a sample of 1).
func (m series) inc(t time.Time) { m.add(t, 1) }

func (m series) sum(t time.Time) float64 {
	v := 0.0
	for _, x := range m[t] {
		v += x
	}
	return v
}

// countDP is a counter datapoint; present says whether to emit zero minutes.
func (m series) countDP(t time.Time) (dp, bool) { return count(m.sum(t)), true }

// statDP is a distribution datapoint with p99; no samples means no datapoint.
func (m series) statDP(t time.Time) (dp, bool) {
	xs := append([]float64(nil), m[t]...)
	if len(xs) == 0 {
		return dp{}, false
	}
	sort.Float64s(xs)
	d := dp{n: float64(len(xs)), min: xs[0], max: xs[len(xs)-1]}
	for _, x := range xs {
		d.sum += x
	}
	d.p99 = xs[int(math.Ceil(0.99*float64(len(xs))))-1]
	return d, true
}

// firstBreach finds when an alarm on per-minute values fires: the first
// minute m whose window of `evals` minutes ending at m has `need` values
// above (or at) threshold; the alarm state changes about 40 s after that
// period closes. It returns the fire time and the breaching values.
func firstBreach(vals func(t time.Time) float64, from, to time.Time, evals, need int, threshold float64, orEqual bool, delay time.Duration) (time.Time, []float64) {
	for m := from; m.Before(to); m = m.Add(time.Minute) {
		var win []float64
		n := 0
		for i := evals - 1; i >= 0; i-- {
			v := vals(m.Add(-time.Duration(i) * time.Minute))
			win = append(win, v)
			if v > threshold || orEqual && v == threshold {
				n++
			}
		}
		if n >= need {
			return m.Add(time.Minute + delay), win
		}
	}
	panic("alarm never fires")
}

// ratioDP is an error counter published with every request as a sample
// (0 or 1), as API Gateway's 5XXError and Lambda's Errors are: Sum is the
// count of errors, SampleCount the requests, Average the error rate.
func ratioDP(errs, total series) func(t time.Time) (dp, bool) {
	return func(t time.Time) (dp, bool) {
		n, e := total.sum(t), errs.sum(t)
		if n == 0 {
			return dp{}, false
		}
		d := dp{n: n, sum: e}
		if e > 0 {
			d.max = 1
		}
		if e == n {
			d.min = 1
		}
		return d, true
	}
}
