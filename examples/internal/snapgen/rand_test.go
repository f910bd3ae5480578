package snapgen

import (
	"math"
	"testing"
)

// TestPoissonMeans checks small and large means: a large mean once made
// the product-of-uniforms loop run forever (e^-48 from a 30-term series).
func TestPoissonMeans(t *testing.T) {
	for _, lambda := range []float64{0.3, 4, 48, 480} {
		r := NewRand(1)
		const n = 4000
		sum := 0
		for i := 0; i < n; i++ {
			sum += Poisson(r, lambda)
		}
		if mean := float64(sum) / n; math.Abs(mean-lambda) > 0.1*lambda+0.05 {
			t.Errorf("Poisson(%g): mean %g", lambda, mean)
		}
	}
}
