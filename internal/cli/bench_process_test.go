package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/benchpage"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// planProcessEnv carries the plan's arguments to the process
// BenchmarkPlanProcess starts, one per line.
const planProcessEnv = "CACHETSYNC_BENCH_PLAN_ARGS"

// TestPlanProcessChild is not a test: it is the process of
// BenchmarkPlanProcess, which runs one plan as main does and exits.
func TestPlanProcessChild(t *testing.T) {
	arg := os.Getenv(planProcessEnv)
	if arg == "" {
		t.Skip("only run by BenchmarkPlanProcess")
	}
	args := strings.Split(arg, "\n")
	cli.TuneGC(args, os.Getenv)
	os.Exit(cli.Run(args, &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: strings.NewReader(""), Getenv: os.Getenv}))
}

// BenchmarkPlanProcess times a no-change plan as a whole process (start,
// flags, file, reads, plan, output, exit: what a user or CI waits for) on
// BenchmarkPlanCLI's page at 10 ms latency, 5,000 subscribers (20,000 too
// when not in short mode). The process is this test binary run again,
// which links what cachetsync links. Metrics per plan: wall-ms, cpu-ms
// (user and system time of the process), max-rss-MB, limit-ms (round trips
// × 10 ms plus cpu-ms) and x-limit.
func BenchmarkPlanProcess(b *testing.B) {
	sizes := []int{5_000, 20_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	pageSize, conc := cachetv1.DefaultPageSize, cachetv1.DefaultReadConcurrency
	for _, subs := range sizes {
		b.Run(fmt.Sprintf("model=latency10ms/subscribers=%d", subs), func(b *testing.B) {
			sh := benchShape(subs)
			_, want := benchpage.Synth(sh)
			file := filepath.Join(b.TempDir(), "status.yaml")
			if err := os.WriteFile(file, benchpage.YAML(want), 0o600); err != nil {
				b.Fatal(err)
			}
			want = nil
			url := startEmulatorProcess(b, subs, "latency10ms")
			args := []string{"plan", "-f", file, "--endpoint", url, "--token", cachettest.DefaultToken}
			env := append(os.Environ(), planProcessEnv+"="+strings.Join(args, "\n"))
			var cpu, maxRSS int64
			runPlan := func() {
				cmd := exec.Command(os.Args[0], "-test.run=^TestPlanProcessChild$", "-test.bench=^$")
				cmd.Env = env
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Run(); err != nil || !strings.Contains(out.String(), "No changes") {
					b.Fatalf("%v\n%s", err, out.String())
				}
				cpu += (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Microseconds()
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					maxRSS = max(maxRSS, int64(ru.Maxrss)) // KiB on Linux
				}
			}
			runPlan() // warm the emulator and the page cache
			cpu, maxRSS = 0, 0
			b.ResetTimer()
			for range b.N {
				runPlan()
			}
			b.StopTimer()
			n := float64(b.N)
			wallMS := float64(b.Elapsed().Microseconds()) / 1000 / n
			cpuMS := float64(cpu) / 1000 / n
			rt := max(readRoundTrips(sh.Groups, pageSize, conc), readRoundTrips(sh.Components(), pageSize, conc),
				readRoundTrips(sh.Subscribers, pageSize, conc))
			limitMS := float64(rt)*10 + cpuMS
			b.ReportMetric(wallMS, "wall-ms/op")
			b.ReportMetric(cpuMS, "cpu-ms/op")
			b.ReportMetric(float64(maxRSS)/1024, "max-rss-MB")
			b.ReportMetric(limitMS, "limit-ms")
			b.ReportMetric(wallMS/limitMS, "x-limit")
		})
	}
}
