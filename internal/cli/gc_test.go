package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// gcSettings reads the collector's percent and memory limit without
// changing them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// TestTuneGC proves that a short-lived command collects less often under a
// memory limit, that a GOGC or GOMEMLIMIT of the user's, or a command that
// serves until stopped, keeps the runtime's settings, and that restore puts
// the previous ones back.
func TestTuneGC(t *testing.T) {
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
	noEnv := func(string) string { return "" }
	restore := TuneGC([]string{"plan", "-f", "status.yaml"}, noEnv)
	if p, l := gcSettings(); p != shortLivedGCPercent || l != shortLivedMemoryLimit {
		t.Errorf("plan: GOGC %d, limit %d; want %d, %d", p, l, shortLivedGCPercent, shortLivedMemoryLimit)
	}
	restore()
	if p, l := gcSettings(); p != 100 || l != math.MaxInt64 {
		t.Errorf("after restore: GOGC %d, limit %d; want the defaults", p, l)
	}
	for _, c := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"GOGC set", []string{"plan"}, map[string]string{"GOGC": "100"}},
		{"GOMEMLIMIT set", []string{"validate"}, map[string]string{"GOMEMLIMIT": "1GiB"}},
		{"emulator", []string{"emulator", "--latency", "10ms"}, nil},
		{"demo", []string{"--debug", "demo"}, nil},
	} {
		restore := TuneGC(c.args, func(k string) string { return c.env[k] })
		if p, l := gcSettings(); p != 100 || l != math.MaxInt64 {
			t.Errorf("%s: GOGC %d, limit %d; want the runtime's own", c.name, p, l)
		}
		restore()
	}
}
