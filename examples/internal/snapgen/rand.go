package snapgen

import (
	"math"
	"math/rand"
	"time"
)

// NewRand gives a generator its own deterministic stream.
func NewRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }

// HexID is n random lower-case hex digits.
func HexID(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.Intn(16)]
	}
	return string(b)
}

// HexUpper is n random characters of the alphabet AWS uses in key and
// principal ids.
func HexUpper(r *rand.Rand, n int) string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	out := make([]byte, n)
	for i := range out {
		out[i] = digits[r.Intn(len(digits))]
	}
	return string(out)
}

// UUID is a random version-4 UUID.
func UUID(r *rand.Rand) string {
	h := HexID(r, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// Poisson draws a Poisson-distributed count with mean lambda. Means of 10
// and more use the normal approximation: the product-of-uniforms method
// needs e^-lambda, which the series below only gives for small means.
func Poisson(r *rand.Rand, lambda float64) int {
	if lambda >= 10 {
		return int(math.Max(0, math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	n := 0
	for p := r.Float64(); p > expNeg(lambda); p *= r.Float64() {
		n++
	}
	return n
}

func expNeg(x float64) float64 {
	// e^-x by its series is plenty for the small means used here.
	sum, term := 1.0, 1.0
	for i := 1; i < 30; i++ {
		term *= -x / float64(i)
		sum += term
	}
	return sum
}

// Count draws a Poisson-like count with mean lambda; large means use the
// normal approximation (Poisson's series for e^-x only suits small means).
func Count(r *rand.Rand, lambda float64) float64 {
	if lambda < 10 {
		return float64(Poisson(r, lambda))
	}
	return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64()))
}

// Round3 rounds to three decimals, as CloudWatch and X-Ray print numbers.
func Round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// EpochSec is t in fractional epoch seconds, X-Ray's time format.
func EpochSec(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// Jitter is a random offset in [0, d).
func Jitter(r *rand.Rand, d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(r.Int63n(int64(d)))
}
