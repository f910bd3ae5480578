package evidence

import "testing"

// Reads a record flags as writes, sign-ins and the steps of an image push
// are not changes; writes are, whatever their prefix-like words.
func TestNotAChange(t *testing.T) {
	for _, n := range []string{"DescribeStreamSummary", "GetParameter", "ListTagsForResource", "BatchGetItem", "ConsoleLogin", "AssumeRole", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"} {
		if !NotAChange(n) {
			t.Errorf("%s counted as a change", n)
		}
	}
	for _, n := range []string{"PutImage", "UpdateShardCount", "DeleteRoute", "Getaway", "ListenerUpdate", "SetQueueAttributes", "DescribedBy"} {
		if NotAChange(n) {
			t.Errorf("%s not counted as a change", n)
		}
	}
}
