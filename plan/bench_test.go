package plan_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// benchLatency is the round trip the emulator adds to every request in the
// read benchmarks: a Cachet across a continent.
const benchLatency = 20 * time.Millisecond

// pageShape is the size of a synthetic status page.
type pageShape struct {
	groups, perGroup, subscribers int
}

func (s pageShape) components() int { return s.groups * s.perGroup }

// synthPage builds a page in memory: the live state as ReadLive returns it
// from a Cachet 2.4 (ids from 1) and the spec that declares it exactly, so
// that their plan is empty. Some components are disabled, some tagged, some
// carry meta or a link; every subscriber is subscribed to one to three
// components.
func synthPage(sh pageShape) (*plan.Live, *spec.Spec) {
	live := &plan.Live{Complete: true, Version: "2.4"}
	s := &spec.Spec{Prune: spec.Prune{Groups: true, Components: true, Subscribers: true}}
	nComp := sh.components()
	for g := 0; g < sh.groups; g++ {
		lg := cachet.ComponentGroup{ID: g + 1, Name: fmt.Sprintf("Group %03d", g), Order: g + 1,
			Collapsed: cachet.GroupCollapsed(g % 3), Visible: cachet.GroupPublic, HasVisibility: true}
		if g%10 == 9 {
			lg.Visible = cachet.GroupLoggedInOnly
		}
		live.Groups = append(live.Groups, lg)
		sg := spec.Group{Name: lg.Name, Visible: cachet.Ptr(lg.Visible == cachet.GroupPublic), Collapsed: cachet.Ptr(lg.Collapsed)}
		for j := 0; j < sh.perGroup; j++ {
			k := g*sh.perGroup + j
			lc := cachet.Component{ID: k + 1, Name: fmt.Sprintf("Service %05d", k), Description: fmt.Sprintf("Service number %d", k),
				Status: cachet.ComponentStatus(1 + k%4), Order: j + 1, GroupID: g + 1, Enabled: k%7 != 0, Tags: cachet.Tags{}, Meta: cachet.Meta{}}
			sc := spec.Component{Name: lc.Name, Description: cachet.Ptr(lc.Description), Enabled: cachet.Ptr(lc.Enabled), Status: cachet.Ptr(lc.Status)}
			if k%5 == 0 {
				lc.Link = fmt.Sprintf("https://status.example.com/s/%d", k)
				sc.Link = cachet.Ptr(lc.Link)
			}
			if k%3 == 0 {
				sc.Tags = []string{"production", "eu-west"}
				for _, t := range sc.Tags {
					lc.Tags.Add(t)
				}
			}
			if k%10 == 0 {
				owner := fmt.Sprintf("team-%d", k%13)
				lc.Meta["owner"] = owner
				sc.Meta = map[string]any{"owner": owner}
			}
			live.Components = append(live.Components, lc)
			sg.Components = append(sg.Components, sc)
		}
		s.Groups = append(s.Groups, sg)
	}
	subID := 0
	for i := 0; i < sh.subscribers; i++ {
		ls := cachet.Subscriber{ID: i + 1, Email: fmt.Sprintf("subscriber%06d@example.com", i)}
		ss := spec.Subscriber{Email: ls.Email}
		for _, k := range subscribedTo(i, nComp) {
			subID++
			ls.Subscriptions = append(ls.Subscriptions, cachet.Subscription{ID: subID, SubscriberID: ls.ID, ComponentID: k + 1})
			ss.Components = append(ss.Components, live.Components[k].Name)
		}
		live.Subscribers = append(live.Subscribers, ls)
		s.Subscribers = append(s.Subscribers, ss)
	}
	return live, s
}

// subscribedTo returns the distinct component indexes subscriber i follows:
// one to three of them.
func subscribedTo(i, nComp int) []int {
	n := min(1+i%3, nComp)
	step := nComp/3 + 1
	out := make([]int, n)
	for t := range out {
		out[t] = (i*7 + t*step) % nComp
	}
	return out
}

// specYAML writes s in the file format, so that benchmarks read the spec
// through spec.Parse as the CLI does.
func specYAML(s *spec.Spec) []byte {
	var b strings.Builder
	q := strconv.Quote
	b.WriteString("groups:\n")
	for _, g := range s.Groups {
		fmt.Fprintf(&b, "  - name: %s\n    visible: %t\n    collapsed: %d\n    components:\n", q(g.Name), *g.Visible, int(*g.Collapsed))
		for _, c := range g.Components {
			fmt.Fprintf(&b, "      - name: %s\n        description: %s\n        enabled: %t\n        status: %d\n",
				q(c.Name), q(*c.Description), *c.Enabled, int(*c.Status))
			if c.Link != nil {
				fmt.Fprintf(&b, "        link: %s\n", q(*c.Link))
			}
			if c.Tags != nil {
				quoted := make([]string, len(c.Tags))
				for i, t := range c.Tags {
					quoted[i] = q(t)
				}
				fmt.Fprintf(&b, "        tags: [%s]\n", strings.Join(quoted, ", "))
			}
			if c.Meta != nil {
				fmt.Fprintf(&b, "        meta: {owner: %s}\n", q(c.Meta["owner"].(string)))
			}
		}
	}
	b.WriteString("subscribers:\n")
	for _, sub := range s.Subscribers {
		quoted := make([]string, len(sub.Components))
		for i, n := range sub.Components {
			quoted[i] = q(n)
		}
		fmt.Fprintf(&b, "  - email: %s\n    components: [%s]\n", sub.Email, strings.Join(quoted, ", "))
	}
	b.WriteString("prune: {groups: true, components: true, subscribers: true}\n")
	return []byte(b.String())
}

// seedEmulator stores the live page in e. Subscribers get the emulator's
// own ids; everything else keeps the ids of live.
func seedEmulator(e *cachettest.Emulator, live *plan.Live) {
	for _, g := range live.Groups {
		e.SeedGroup(g)
	}
	for _, c := range live.Components {
		e.SeedComponent(c)
	}
	for _, s := range live.Subscribers {
		e.SeedSubscriber(s.Email, s.ComponentIDs()...)
	}
}

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
	sh := pageShape{groups: 100, perGroup: 20, subscribers: 20_000}
	type variant struct {
		latency         time.Duration
		pageSize, conc  int
		name            string
		emulatorOnlyRun bool
	}
	var variants []variant
	if testing.Short() {
		sh = pageShape{groups: 10, perGroup: 20, subscribers: 2_000}
		variants = append(variants, variant{latency: benchLatency, pageSize: plan.DefaultPageSize, conc: plan.DefaultReadConcurrency})
	} else {
		for _, lat := range []time.Duration{benchLatency, 0} {
			for _, size := range []int{250, 500, 1000} {
				for _, conc := range []int{4, 8} {
					variants = append(variants, variant{latency: lat, pageSize: size, conc: conc, emulatorOnlyRun: lat == 0})
				}
			}
		}
	}
	liveModel, want := synthPage(sh)
	data := specYAML(want)
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
				seedEmulator(bs.Emulator, liveModel)
				servers[v.latency] = bs
			}
			c, err := cachet.New(bs.url, bs.Token(), cachet.WithReadOnly())
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			opts := plan.ReadOptions{PageSize: v.pageSize, Concurrency: v.conc}
			bs.ResetStats()
			conns0 := bs.conns.Load()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				live, err := plan.ReadLive(ctx, c, opts)
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
				rt := max(roundTrips(sh.groups, v.pageSize, v.conc), roundTrips(sh.components(), v.pageSize, v.conc),
					roundTrips(sh.subscribers, v.pageSize, v.conc))
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
	liveModel, s := synthPage(pageShape{groups: 250, perGroup: 20, subscribers: 100_000})
	bs := newBenchServer()
	defer bs.srv.Close()
	seedEmulator(bs.Emulator, liveModel)
	liveModel = nil
	c, err := cachet.New(bs.url, bs.Token(), cachet.WithReadOnly())
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := watchHeap()
	bs.ResetStats()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		live, err := plan.ReadLive(context.Background(), c, plan.ReadOptions{})
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

// watchHeap samples the heap's object bytes every millisecond until the
// returned function is called, which returns the highest sample.
func watchHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				result <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}

func BenchmarkEmulatorPages(b *testing.B) {
	sh := pageShape{groups: 100, perGroup: 20, subscribers: 20_000}
	if testing.Short() {
		sh = pageShape{groups: 10, perGroup: 20, subscribers: 2_000}
	}
	liveModel, _ := synthPage(sh)
	e := cachettest.New()
	seedEmulator(e, liveModel)
	var urls []string
	for _, kind := range []struct {
		path string
		n    int
	}{{"components/groups", sh.groups}, {"components", sh.components()}, {"subscribers", sh.subscribers}} {
		pages := (kind.n + plan.DefaultPageSize - 1) / plan.DefaultPageSize
		for p := 1; p <= pages; p++ {
			urls = append(urls, fmt.Sprintf("/api/v1/%s?per_page=%d&page=%d&sort=id", kind.path, plan.DefaultPageSize, p))
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
			k := (subscribedTo(i, nComp)[0] + 1) % nComp
			sub.Components = []string{fmt.Sprintf("Service %05d", k)}
		}
	}
}

// BenchmarkCompute plans 100,000 subscribers, 5,000 components and 250
// groups built in memory: no network, Compute only. "no-change" plans an
// identical page, "all-updates" one where every object differs.
func BenchmarkCompute(b *testing.B) {
	sh := pageShape{groups: 250, perGroup: 20, subscribers: 100_000}
	if testing.Short() {
		sh = pageShape{groups: 25, perGroup: 20, subscribers: 10_000}
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
			live, s := synthPage(sh)
			if changed {
				allUpdates(s)
			}
			var inputs runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&inputs)
			wantOps := 0
			if changed {
				wantOps = sh.groups + sh.components() + sh.subscribers
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
	small := pageShape{groups: 5, perGroup: 20, subscribers: 1_000}
	large := pageShape{groups: 20, perGroup: 20, subscribers: 4_000}
	for _, changed := range []bool{false, true} {
		measure := func(sh pageShape) (allocs, bytes float64) {
			live, s := synthPage(sh)
			if changed {
				allUpdates(s)
			}
			run := func() {
				if _, err := plan.Compute(s, live, plan.Policy{}); err != nil {
					t.Fatal(err)
				}
			}
			allocs = testing.AllocsPerRun(3, run)
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			run()
			runtime.ReadMemStats(&m1)
			return allocs, float64(m1.TotalAlloc - m0.TotalAlloc)
		}
		a1, b1 := measure(small)
		a4, b4 := measure(large)
		t.Logf("changed=%v: allocs %.0f -> %.0f (x%.2f), bytes %.0f -> %.0f (x%.2f)", changed, a1, a4, a4/a1, b1, b4, b4/b1)
		// Linear growth gives about 4; quadratic about 16.
		if a4/a1 > 6 || b4/b1 > 6 {
			t.Errorf("changed=%v: four times the page costs x%.1f allocations and x%.1f bytes: planning is not linear", changed, a4/a1, b4/b1)
		}
	}
}
