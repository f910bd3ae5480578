package awslive

import "github.com/aws/aws-sdk-go-v2/aws"

// stallGuard notices a listing that stopped advancing: an empty page whose
// NextToken is the token that asked for it. The SDK's paginators follow such
// a token forever (StopOnDuplicateToken defaults to false), and loops bounded
// only by the items they collect never end on empty pages. Pages that carry
// items are not judged, since those loops end at their item cap anyway.
type stallGuard struct{ prev string }

// stalled records a page's NextToken and reports whether the listing is stuck.
func (g *stallGuard) stalled(next *string, items int) bool {
	n := aws.ToString(next)
	stuck := items == 0 && n != "" && n == g.prev
	g.prev = n
	return stuck
}
