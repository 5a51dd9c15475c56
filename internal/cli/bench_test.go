package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/benchpage"
	"github.com/cachetsync/cachetsync/internal/cli"
)

// emulatorChildEnv carries the page and server model to the emulator
// process BenchmarkPlanCLI starts: "subscribers model".
const emulatorChildEnv = "CACHETSYNC_BENCH_EMULATOR"

// benchShape is the page benchmarked for a number of subscribers: the
// issue's 5,000-subscriber page has 500 components in 50 groups.
func benchShape(subscribers int) benchpage.Shape {
	switch {
	case subscribers <= 5_000:
		return benchpage.Shape{Groups: 50, PerGroup: 10, Subscribers: subscribers}
	case subscribers <= 20_000:
		return benchpage.Shape{Groups: 100, PerGroup: 20, Subscribers: subscribers}
	}
	return benchpage.Shape{Groups: 250, PerGroup: 20, Subscribers: subscribers}
}

// serverModels are the two servers benchmarked: pure network latency, and
// a local PHP-FPM server (cachettest.DefaultPHPModel) with no latency.
var serverModels = map[string][]cachettest.Option{
	"latency10ms": {cachettest.WithLatency(10*time.Millisecond, 0)},
	"php":         {cachettest.WithPHPModel(cachettest.DefaultPHPModel)},
}

// TestBenchEmulatorChild is not a test: it is the emulator process of
// BenchmarkPlanCLI (its CPU and heap must not count as the plan's), run by
// re-executing the test binary. It serves until its stdin closes.
func TestBenchEmulatorChild(t *testing.T) {
	arg := os.Getenv(emulatorChildEnv)
	if arg == "" {
		t.Skip("only run by BenchmarkPlanCLI")
	}
	var subs int
	var model string
	if _, err := fmt.Sscan(arg, &subs, &model); err != nil {
		t.Fatal(err)
	}
	live, _ := benchpage.Synth(benchShape(subs))
	srv := cachettest.NewServer(serverModels[model]...)
	defer srv.Close()
	benchpage.Seed(srv.Emulator, live)
	fmt.Printf("URL %s\n", srv.URL)
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

// startEmulatorProcess starts the emulator of a page in its own process.
func startEmulatorProcess(b *testing.B, subs int, model string) (url string) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchEmulatorChild$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d %s", emulatorChildEnv, subs, model))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "URL "); ok {
			go func() { // drain the rest
				for sc.Scan() {
				}
			}()
			return u
		}
	}
	b.Fatalf("the emulator process did not start: %v", sc.Err())
	return ""
}

// emulatorGETs reads the emulator's GET count from /_emulator/stats.
func emulatorGETs(b *testing.B, url string) int {
	resp, err := http.Get(strings.TrimSuffix(url, "/api/v1") + "/_emulator/stats")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	s := buf.String()
	i := strings.Index(s, `"GET":`)
	if i < 0 {
		b.Fatalf("stats: %s", s)
	}
	n, _ := strconv.Atoi(strings.TrimLeft(strings.SplitN(s[i+6:], ",", 2)[0], " "))
	return n
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPlanCLI runs `cachetsync plan` in-process (flags, file parse and
// check, reads, Compute, rendering "No changes") on a page that matches its
// file, against an emulator in another process, for both server models
// (latency10ms: 10 ms per request, an instant server; php:
// cachettest.DefaultPHPModel, no latency) and 5,000, 20,000 and 100,000
// subscribers (only 5,000 in short mode; 100,000 not in short mode).
//
// Metrics per plan: wall-ms, requests, round-trips (the longest chain of
// requests one after another: the first pages together, then the rest of
// each list read-concurrency at a time), cpu-ms (this process: the CLI
// alone), peak-heap-MB (the heap's highest sample over the heap before),
// limit-ms and x-limit. The limit is the server's floor plus cpu-ms: at
// 10 ms latency round-trips × 10 ms; on the PHP model the server's work
// divided by its workers, or the chain of requests if longer.
func BenchmarkPlanCLI(b *testing.B) {
	sizes := []int{5_000, 20_000, 100_000}
	if testing.Short() {
		sizes = []int{5_000}
	}
	pageSize, conc := cachetv1.DefaultPageSize, cachetv1.DefaultReadConcurrency
	if v, err := strconv.Atoi(os.Getenv("CACHETSYNC_BENCH_PAGE_SIZE")); err == nil {
		pageSize = v
	}
	if v, err := strconv.Atoi(os.Getenv("CACHETSYNC_BENCH_READ_CONCURRENCY")); err == nil {
		conc = v
	}
	for _, model := range []string{"latency10ms", "php"} {
		for _, subs := range sizes {
			b.Run(fmt.Sprintf("model=%s/subscribers=%d", model, subs), func(b *testing.B) {
				sh := benchShape(subs)
				_, want := benchpage.Synth(sh)
				file := filepath.Join(b.TempDir(), "status.yaml")
				if err := os.WriteFile(file, benchpage.YAML(want), 0o600); err != nil {
					b.Fatal(err)
				}
				want = nil
				url := startEmulatorProcess(b, subs, model)
				args := []string{"plan", "-f", file, "--endpoint", url, "--token", cachettest.DefaultToken,
					"--page-size", strconv.Itoa(pageSize), "--read-concurrency", strconv.Itoa(conc)}
				runPlan := func() {
					var out, errOut bytes.Buffer
					code := cli.Run(args, &cli.Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""),
						Getenv: func(string) string { return "" }, Context: context.Background()})
					if code != 0 || !strings.Contains(out.String(), "No changes") {
						b.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
					}
				}
				// As main runs it (GOGC and GOMEMLIMIT are those of the
				// benchmark's environment, so setting them there wins).
				defer cli.TuneGC(args, os.Getenv)()
				runPlan() // warm the emulator and this process
				gets0 := emulatorGETs(b, url)
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				peak := benchpage.WatchHeap()
				cpu0 := cpuTime()
				b.ResetTimer()
				for range b.N {
					runPlan()
				}
				b.StopTimer()
				cpu := cpuTime() - cpu0
				peakMB := float64(peak()-before.HeapAlloc) / 1e6
				n := float64(b.N)
				gets := float64(emulatorGETs(b, url)-gets0) / n
				wallMS := float64(b.Elapsed().Microseconds()) / 1000 / n
				cpuMS := float64(cpu.Microseconds()) / 1000 / n
				rt := max(readRoundTrips(sh.Groups, pageSize, conc), readRoundTrips(sh.Components(), pageSize, conc),
					readRoundTrips(sh.Subscribers, pageSize, conc))
				var serverMS float64
				if model == "php" {
					m := cachettest.DefaultPHPModel
					subscriptions := 0
					for i := range sh.Subscribers {
						subscriptions += len(benchpage.SubscribedTo(i, sh.Components()))
					}
					objects := sh.Groups + sh.Components() + sh.Subscribers
					work := time.Duration(gets)*m.PerRequest + time.Duration(objects)*m.PerRow + time.Duration(subscriptions)*m.PerRelated
					// The longest chain is the subscribers' pages, each with
					// its subscribers' subscriptions.
					pageRows := min(pageSize, sh.Subscribers)
					chain := time.Duration(rt) * m.Cost(pageRows, subscriptions*pageRows/max(1, sh.Subscribers))
					serverMS = float64(max(work/time.Duration(m.Workers), chain).Microseconds()) / 1000
				} else {
					serverMS = float64(rt) * 10
				}
				limitMS := serverMS + cpuMS
				b.ReportMetric(wallMS, "wall-ms/op")
				b.ReportMetric(gets, "requests/op")
				b.ReportMetric(float64(rt), "round-trips/op")
				b.ReportMetric(cpuMS, "cpu-ms/op")
				b.ReportMetric(peakMB, "peak-heap-MB")
				b.ReportMetric(limitMS, "limit-ms")
				b.ReportMetric(wallMS/limitMS, "x-limit")
			})
		}
	}
}

// readRoundTrips is the fewest sequential requests for n objects of one
// kind: the first page, then the rest conc at a time.
func readRoundTrips(n, pageSize, conc int) int {
	pages := max(1, (n+pageSize-1)/pageSize)
	return 1 + (pages-1+conc-1)/conc
}
