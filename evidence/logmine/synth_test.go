package logmine

import (
	"fmt"
	"math/rand"
)

// syntheticLines makes a deterministic mix of log families (used when the
// loghub data is absent, and by tests).
func syntheticLines(n int) []string {
	r := rand.New(rand.NewSource(42))
	users := []string{"alice", "bob", "carol", "dave", "erin", "frank"}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var l string
		switch r.Intn(8) {
		case 0:
			l = fmt.Sprintf("Connection to 10.0.%d.%d:%d refused after %d ms (pool exhausted)", r.Intn(255), r.Intn(255), 1024+r.Intn(60000), r.Intn(5000))
		case 1:
			l = fmt.Sprintf("level=info msg=\"request done\" method=GET path=/api/v1/items/%d status=200 latency=%.1fms", r.Intn(1e6), r.Float64()*100)
		case 2:
			l = fmt.Sprintf(`{"level":"error","ts":"2024-05-0%dT09:02:%02dZ","msg":"timeout calling dynamodb","table":"orders","attempt":%d}`, 1+r.Intn(9), r.Intn(60), r.Intn(5))
		case 3:
			l = fmt.Sprintf("User %s logged in from 192.168.%d.%d", users[r.Intn(len(users))], r.Intn(255), r.Intn(255))
		case 4:
			l = fmt.Sprintf("\tat com.example.service.OrderHandler.handle(OrderHandler.java:%d)", 10+r.Intn(400))
		case 5:
			l = fmt.Sprintf("AccessDenied: arn:aws:iam::%012d:role/app-%d is not authorized to perform: s3:GetObject on resource arn:aws:s3:::bucket-%d/key", r.Int63n(1e12), r.Intn(9), r.Intn(9))
		case 6:
			l = fmt.Sprintf(`10.1.%d.%d - - [04/Dec/2005:04:%02d:44 +0000] "GET /index.html HTTP/1.1" %d %d`, r.Intn(255), r.Intn(255), r.Intn(60), []int{200, 404, 500}[r.Intn(3)], r.Intn(10000))
		default:
			l = fmt.Sprintf("Task %08x-%04x-4%03x-a%03x-%012x finished in %.2fs", r.Uint32(), r.Intn(65536), r.Intn(4096), r.Intn(4096), r.Int63n(1<<48), r.Float64()*10)
		}
		out = append(out, l)
	}
	return out
}
