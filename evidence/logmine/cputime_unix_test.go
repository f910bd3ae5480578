//go:build unix

package logmine

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system). On a
// machine shared with other work, lines per CPU second is a steadier
// measure of the miner than lines per wall-clock second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
