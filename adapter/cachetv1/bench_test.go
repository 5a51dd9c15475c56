package cachetv1_test

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/internal/benchpage"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// benchLatency is the round trip the emulator adds to every request in the
// read benchmarks: a Cachet across a continent.
const benchLatency = 20 * time.Millisecond

// benchServer is an emulator behind httptest that counts the TCP
// connections it accepts.
type benchServer struct {
	*cachettest.Emulator
	url   string
	conns atomic.Int64
	srv   *httptest.Server
}

func newBenchServer(opts ...cachettest.Option) *benchServer {
	bs := &benchServer{Emulator: cachettest.New(opts...)}
	bs.srv = httptest.NewUnstartedServer(bs.Emulator)
	bs.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			bs.conns.Add(1)
		}
	}
	bs.srv.Start()
	bs.url = bs.srv.URL + "/api/v1"
	return bs
}

// roundTrips is the fewest sequential requests ReadLive needs for n objects
// of one kind: the first page, then the rest conc at a time.
func roundTrips(n, pageSize, conc int) int {
	pages := max(1, (n+pageSize-1)/pageSize)
	return 1 + (pages-1+conc-1)/conc
}

// BenchmarkPlanNoChange reads a page that matches its spec and plans it:
// ReadLive plus Compute, against the emulator with 20 ms of latency, over
// page sizes and read concurrencies. The limit is two round trips: the
// first pages of the three kinds together, then every remaining page at
// once. The emulator-only variants run without latency, to show what the
// emulator and the client cost on their own.
func BenchmarkPlanNoChange(b *testing.B) {
	sh := benchpage.Shape{Groups: 100, PerGroup: 20, Subscribers: 20_000}
	type variant struct {
		latency         time.Duration
		pageSize, conc  int
		name            string
		emulatorOnlyRun bool
	}
	var variants []variant
	if testing.Short() {
		sh = benchpage.Shape{Groups: 10, PerGroup: 20, Subscribers: 2_000}
		variants = append(variants, variant{latency: benchLatency, pageSize: cachetv1.DefaultPageSize, conc: cachetv1.DefaultReadConcurrency})
	} else {
		for _, lat := range []time.Duration{benchLatency, 0} {
			for _, size := range []int{250, 500, 1000} {
				for _, conc := range []int{4, 8} {
					variants = append(variants, variant{latency: lat, pageSize: size, conc: conc, emulatorOnlyRun: lat == 0})
				}
			}
		}
	}
	liveModel, want := benchpage.Synth(sh)
	data := benchpage.YAML(want)
	start := time.Now()
	s, err := spec.Parse("bench.yaml", data)
	parseMS := float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		b.Fatal(err)
	}
	servers := map[time.Duration]*benchServer{}
	defer func() {
		for _, bs := range servers {
			bs.srv.Close()
		}
	}()
	for _, v := range variants {
		name := fmt.Sprintf("latency=%s/page=%d/conc=%d", v.latency, v.pageSize, v.conc)
		if v.emulatorOnlyRun {
			name = fmt.Sprintf("emulator-only/page=%d/conc=%d", v.pageSize, v.conc)
		}
		b.Run(name, func(b *testing.B) {
			bs := servers[v.latency]
			if bs == nil {
				bs = newBenchServer(cachettest.WithLatency(v.latency, 0))
				benchpage.Seed(bs.Emulator, liveModel)
				servers[v.latency] = bs
			}
			c, err := cachet.New(bs.url, bs.Token(), cachet.WithReadOnly())
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			opts := cachetv1.ReadOptions{PageSize: v.pageSize, Concurrency: v.conc}
			bs.ResetStats()
			conns0 := bs.conns.Load()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				live, err := cachetv1.ReadLive(ctx, c, opts)
				if err != nil {
					b.Fatal(err)
				}
				p, err := plan.Compute(s, live, plan.Policy{})
				if err != nil {
					b.Fatal(err)
				}
				if !p.Empty() {
					b.Fatalf("plan of an unchanged page has %d operations, the first %+v", len(p.Ops), p.Ops[0])
				}
			}
			b.StopTimer()
			n := float64(b.N)
			wallMS := float64(b.Elapsed().Microseconds()) / 1000 / n
			b.ReportMetric(float64(bs.Stats().Requests["GET"])/n, "requests/op")
			b.ReportMetric(float64(bs.conns.Load()-conns0)/n, "conns/op")
			b.ReportMetric(wallMS, "wall-ms/op")
			b.ReportMetric(parseMS, "parse-ms")
			if v.latency > 0 {
				rt := max(roundTrips(sh.Groups, v.pageSize, v.conc), roundTrips(sh.Components(), v.pageSize, v.conc),
					roundTrips(sh.Subscribers, v.pageSize, v.conc))
				limitMS := float64(2 * v.latency.Milliseconds())
				b.ReportMetric(float64(rt), "round-trips/op")
				b.ReportMetric(limitMS, "limit-ms")
				b.ReportMetric(wallMS/limitMS, "x-limit")
			}
		})
	}
}

// BenchmarkPlanNoChangeLarge reads and plans the page of BenchmarkCompute
// (100,000 subscribers, 5,000 components, 250 groups) through the emulator
// without latency and with the default read options: the CPU and memory of a
// whole plan at the scale. peak-heap-MB is how much the heap
// grew at its highest (sampled every millisecond) over the heap before
// it, garbage not yet collected included. Skipped in short mode.
func BenchmarkPlanNoChangeLarge(b *testing.B) {
	if testing.Short() {
		b.Skip("full size only")
	}
	liveModel, s := benchpage.Synth(benchpage.Shape{Groups: 250, PerGroup: 20, Subscribers: 100_000})
	bs := newBenchServer()
	defer bs.srv.Close()
	benchpage.Seed(bs.Emulator, liveModel)
	liveModel = nil
	c, err := cachet.New(bs.url, bs.Token(), cachet.WithReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := benchpage.WatchHeap()
	bs.ResetStats()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		live, err := cachetv1.ReadLive(context.Background(), c, cachetv1.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		p, err := plan.Compute(s, live, plan.Policy{})
		if err != nil {
			b.Fatal(err)
		}
		if !p.Empty() {
			b.Fatalf("plan of an unchanged page has %d operations", len(p.Ops))
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	n := float64(b.N)
	b.ReportMetric(float64(bs.Stats().Requests["GET"])/n, "requests/op")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/n, "wall-ms/op")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n/1e6, "alloc-MB/op")
	b.ReportMetric(float64(peak()-before.HeapAlloc)/1e6, "peak-heap-MB")
}

func BenchmarkEmulatorPages(b *testing.B) {
	sh := benchpage.Shape{Groups: 100, PerGroup: 20, Subscribers: 20_000}
	if testing.Short() {
		sh = benchpage.Shape{Groups: 10, PerGroup: 20, Subscribers: 2_000}
	}
	liveModel, _ := benchpage.Synth(sh)
	e := cachettest.New()
	benchpage.Seed(e, liveModel)
	var urls []string
	for _, kind := range []struct {
		path string
		n    int
	}{{"components/groups", sh.Groups}, {"components", sh.Components()}, {"subscribers", sh.Subscribers}} {
		pages := (kind.n + cachetv1.DefaultPageSize - 1) / cachetv1.DefaultPageSize
		for p := 1; p <= pages; p++ {
			urls = append(urls, fmt.Sprintf("/api/v1/%s?per_page=%d&page=%d&sort=id", kind.path, cachetv1.DefaultPageSize, p))
		}
	}
	var bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, u := range urls {
			req := httptest.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("X-Cachet-Token", e.Token())
			w := &countingWriter{h: http.Header{}}
			e.ServeHTTP(w, req)
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("GET %s: status %d", u, w.status)
			}
			bytes += w.n
		}
	}
	b.StopTimer()
	n := float64(b.N)
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(len(urls)), "pages/op")
	b.ReportMetric(float64(len(urls))*n/sec, "pages/s")
	b.ReportMetric(float64(bytes)/n/1e6, "MB/op")
	b.ReportMetric(float64(bytes)/sec/1e6, "MB/s")
	b.ReportMetric(sec*1000/n/float64(len(urls)), "ms/page")
}

// countingWriter is a ResponseWriter that only counts the body.
type countingWriter struct {
	h      http.Header
	status int
	n      int64
}

func (w *countingWriter) Header() http.Header { return w.h }
func (w *countingWriter) WriteHeader(s int)   { w.status = s }
func (w *countingWriter) Write(b []byte) (int, error) {
	w.n += int64(len(b))
	return len(b), nil
}

// allUpdates changes every declared object so that each needs an update:
// groups fold differently, components get a new description and status,
// subscribers lose a subscription or, with only one, follow another
// component (a replace).
func allUpdates(s *spec.Spec) {
	nComp := 0
	for gi := range s.Groups {
		g := &s.Groups[gi]
		g.Collapsed = cachet.Ptr((*g.Collapsed + 1) % 3)
		for ci := range g.Components {
			c := &g.Components[ci]
			c.Description = cachet.Ptr(*c.Description + " (changed)")
			c.Status = cachet.Ptr(1 + *c.Status%4)
			nComp++
		}
	}
	for i := range s.Subscribers {
		sub := &s.Subscribers[i]
		if len(sub.Components) > 1 {
			sub.Components = sub.Components[:len(sub.Components)-1]
		} else {
			k := (benchpage.SubscribedTo(i, nComp)[0] + 1) % nComp
			sub.Components = []string{fmt.Sprintf("Service %05d", k)}
		}
	}
}

// BenchmarkCompute plans 100,000 subscribers, 5,000 components and 250
// groups built in memory: no network, Compute only. "no-change" plans an
// identical page, "all-updates" one where every object differs.
func BenchmarkCompute(b *testing.B) {
	sh := benchpage.Shape{Groups: 250, PerGroup: 20, Subscribers: 100_000}
	if testing.Short() {
		sh = benchpage.Shape{Groups: 25, PerGroup: 20, Subscribers: 10_000}
	}
	for _, changed := range []bool{false, true} {
		name := "no-change"
		if changed {
			name = "all-updates"
		}
		b.Run(name, func(b *testing.B) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			live, s := benchpage.Synth(sh)
			if changed {
				allUpdates(s)
			}
			var inputs runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&inputs)
			wantOps := 0
			if changed {
				wantOps = sh.Groups + sh.Components() + sh.Subscribers
			}
			b.ReportAllocs()
			b.ResetTimer()
			var p *plan.Plan
			for range b.N {
				var err error
				if p, err = plan.Compute(s, live, plan.Policy{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if len(p.Ops) != wantOps {
				b.Fatalf("%d operations, want %d", len(p.Ops), wantOps)
			}
			n := float64(b.N)
			inputMB := float64(inputs.HeapAlloc-before.HeapAlloc) / 1e6
			allocMB := float64(after.TotalAlloc-inputs.TotalAlloc) / n / 1e6
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/n, "cpu-ms/op")
			b.ReportMetric(inputMB, "input-MB")
			b.ReportMetric(allocMB, "alloc-MB/op")
			b.ReportMetric(inputMB+allocMB, "peak-bound-MB")
			runtime.KeepAlive(p)
			runtime.KeepAlive(live)
		})
	}
}

// TestComputeScalesLinearly guards against quadratic planning without
// timing anything: Compute's allocations (count and bytes) on a page four
// times larger must grow about four times, not sixteen. It catches work
// that allocates per pair of objects; a nested scan that allocates nothing
// is left to BenchmarkCompute.
func TestComputeScalesLinearly(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation skews allocation counts")
	}
	small := benchpage.Shape{Groups: 5, PerGroup: 20, Subscribers: 1_000}
	large := benchpage.Shape{Groups: 20, PerGroup: 20, Subscribers: 4_000}
	for _, changed := range []bool{false, true} {
		measure := func(sh benchpage.Shape) (allocs, bytes float64) {
			live, s := benchpage.Synth(sh)
			if changed {
				allUpdates(s)
			}
			run := func() {
				if _, err := plan.Compute(s, live, plan.Policy{}); err != nil {
					t.Fatal(err)
				}
			}
			allocs = testing.AllocsPerRun(3, run)
			// The fewest bytes of three runs: anything else the process
			// allocates meanwhile (a finalizer, a timer) only adds.
			bytes = math.Inf(1)
			for range 3 {
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				run()
				runtime.ReadMemStats(&m1)
				bytes = min(bytes, float64(m1.TotalAlloc-m0.TotalAlloc))
			}
			return allocs, bytes
		}
		a1, b1 := measure(small)
		a4, b4 := measure(large)
		t.Logf("changed=%v: allocs %.0f -> %.0f (x%.2f), bytes %.0f -> %.0f (x%.2f)", changed, a1, a4, a4/a1, b1, b4, b4/b1)
		// Linear growth gives about 4 (bytes up to 5, as maps and slices
		// grow in doublings); quadratic about 16. 8 keeps a margin on both.
		if a4/a1 > 8 || b4/b1 > 8 {
			t.Errorf("changed=%v: four times the page costs x%.1f allocations and x%.1f bytes: planning is not linear", changed, a4/a1, b4/b1)
		}
	}
}

// BenchmarkReadLiveServerModels reads the live page only (ReadLive, no
// file, no Compute) over page sizes and read concurrencies, against both
// server models: 10 ms of latency on an instant server, and
// cachettest.DefaultPHPModel (5 PHP-FPM workers, no latency). The reads
// are mostly waiting, so their wall time shows what each setting costs on
// each server with little noise from this machine's CPU. limit-ms is the
// server's floor: round trips × 10 ms, or on the PHP model its work
// divided by its workers. Short mode measures the defaults at 5,000
// subscribers only.
func BenchmarkReadLiveServerModels(b *testing.B) {
	type setting struct{ pageSize, conc int }
	settings := []setting{{cachetv1.DefaultPageSize, cachetv1.DefaultReadConcurrency}}
	sizes := []int{5_000}
	if !testing.Short() {
		settings = nil
		for _, size := range []int{250, 500, 1000, 2000} {
			for _, conc := range []int{4, 8} {
				settings = append(settings, setting{size, conc})
			}
		}
		sizes = append(sizes, 20_000)
	}
	models := []struct {
		name string
		opts []cachettest.Option
	}{
		{"latency10ms", []cachettest.Option{cachettest.WithLatency(10*time.Millisecond, 0)}},
		{"php", []cachettest.Option{cachettest.WithPHPModel(cachettest.DefaultPHPModel)}},
	}
	for _, subs := range sizes {
		sh := benchpage.Shape{Groups: 50, PerGroup: 10, Subscribers: subs}
		if subs > 5_000 {
			sh = benchpage.Shape{Groups: 100, PerGroup: 20, Subscribers: subs}
		}
		liveModel, _ := benchpage.Synth(sh)
		subscriptions := 0
		for _, s := range liveModel.Subscribers {
			subscriptions += len(s.Subscriptions)
		}
		for _, m := range models {
			bs := newBenchServer(m.opts...)
			benchpage.Seed(bs.Emulator, liveModel)
			for _, st := range settings {
				b.Run(fmt.Sprintf("model=%s/subscribers=%d/page=%d/conc=%d", m.name, subs, st.pageSize, st.conc), func(b *testing.B) {
					c, err := cachet.New(bs.url, bs.Token(), cachet.WithReadOnly())
					if err != nil {
						b.Fatal(err)
					}
					opts := cachetv1.ReadOptions{PageSize: st.pageSize, Concurrency: st.conc}
					bs.ResetStats()
					work0 := bs.PHPStats().Work
					b.ResetTimer()
					for range b.N {
						if _, err := cachetv1.ReadLive(context.Background(), c, opts); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					n := float64(b.N)
					wallMS := float64(b.Elapsed().Microseconds()) / 1000 / n
					rt := max(roundTrips(sh.Groups, st.pageSize, st.conc), roundTrips(sh.Components(), st.pageSize, st.conc),
						roundTrips(sh.Subscribers, st.pageSize, st.conc))
					limitMS := float64(rt) * 10
					if m.name == "php" {
						work := (bs.PHPStats().Work - work0) / time.Duration(b.N)
						limitMS = float64((work / time.Duration(cachettest.DefaultPHPModel.Workers)).Microseconds()) / 1000
					}
					b.ReportMetric(wallMS, "wall-ms/op")
					b.ReportMetric(float64(bs.Stats().Requests["GET"])/n, "requests/op")
					b.ReportMetric(float64(rt), "round-trips/op")
					b.ReportMetric(limitMS, "limit-ms")
					b.ReportMetric(wallMS/limitMS, "x-limit")
				})
			}
			bs.srv.Close()
		}
	}
}
