package cli

import (
	"runtime/debug"
	"slices"
)

// The garbage collector's settings for a short-lived command. A plan reads a
// file and a page, builds its objects once and exits: with Go's default
// (GOGC=100) the collector runs every time the heap doubles from 4 MB, and
// took 15–19% of a 5,000-subscriber plan's CPU. Letting the heap grow five
// times its live size before collecting, capped by a soft memory limit,
// cuts that CPU while keeping the peak heap bounded:
//   - with little live data the heap stays under the limit (a
//     5,000-subscriber plan peaks near 100 MB);
//   - once five times the live data would pass the limit, the limit sets
//     when the collector runs, so the peak heap is the limit, or the live
//     data if that is larger (a 100,000-subscriber plan: 440 MB against
//     360 MB with the defaults).
const (
	shortLivedGCPercent   = 400
	shortLivedMemoryLimit = 512 << 20
)

// longRunning are the commands that serve until stopped: they keep Go's
// defaults.
var longRunning = []string{"emulator", "demo"}

// TuneGC sets the garbage collector for a short-lived command run with args
// (os.Args[1:]), unless the user set GOGC or GOMEMLIMIT (then the runtime
// already follows them) or the command is one that serves until stopped.
// It returns a function that restores the previous settings.
func TuneGC(args []string, getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" || slices.ContainsFunc(args, func(a string) bool {
		return slices.Contains(longRunning, a)
	}) {
		return func() {}
	}
	percent := debug.SetGCPercent(shortLivedGCPercent)
	limit := debug.SetMemoryLimit(shortLivedMemoryLimit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
