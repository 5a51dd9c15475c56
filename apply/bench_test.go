package apply_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv1"
	"github.com/cachetsync/cachetsync/apply"
	"github.com/cachetsync/cachetsync/cachet"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// benchLatency is the round trip the emulator adds to every request.
const benchLatency = 20 * time.Millisecond

// createsSpec declares groups of 20 components each, none of which exist.
func createsSpec(groups int) []byte {
	var b strings.Builder
	b.WriteString("groups:\n")
	for g := 0; g < groups; g++ {
		fmt.Fprintf(&b, "  - name: Group %03d\n    components:\n", g)
		for j := 0; j < 20; j++ {
			fmt.Fprintf(&b, "      - name: Service %05d\n        description: Service number %d\n        status: operational\n", g*20+j, g*20+j)
		}
	}
	return []byte(b.String())
}

// BenchmarkApplyCreates applies a plan of 2,000 component creates into
// existing groups against the emulator with 20 ms of latency, at several
// parallelisms. Each iteration gets a fresh emulator, seeded and planned
// with the timer stopped. The limit is the fewest round trips at that
// parallelism, ceil(creates/parallelism); the ideal limit is one round trip.
func BenchmarkApplyCreates(b *testing.B) {
	groups := 100
	parallelisms := []int{4, 16, 64}
	if testing.Short() {
		groups = 5
		parallelisms = []int{4}
	}
	creates := groups * 20
	s, err := spec.Parse("bench.yaml", createsSpec(groups))
	if err != nil {
		b.Fatal(err)
	}
	for _, parallelism := range parallelisms {
		b.Run(fmt.Sprintf("parallelism=%d", parallelism), func(b *testing.B) {
			ctx := context.Background()
			var posts, conns int64
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				e := cachettest.New(cachettest.WithLatency(benchLatency, 0))
				for g := 0; g < groups; g++ {
					e.SeedGroup(cachet.ComponentGroup{Name: fmt.Sprintf("Group %03d", g), Order: g + 1, Visible: cachet.GroupPublic})
				}
				var accepted atomic.Int64
				ts := httptest.NewUnstartedServer(e)
				ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
					if s == http.StateNew {
						accepted.Add(1)
					}
				}
				ts.Start()
				c, err := cachet.New(ts.URL+"/api/v1", e.Token())
				if err != nil {
					b.Fatal(err)
				}
				live, err := cachetv1.ReadLive(ctx, c, cachetv1.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				p, err := plan.Compute(s, live, plan.Policy{})
				if err != nil {
					b.Fatal(err)
				}
				accepted.Store(0) // count the connections of the apply alone
				if len(p.Ops) != creates {
					b.Fatalf("plan has %d operations, want %d creates", len(p.Ops), creates)
				}
				b.StartTimer()
				res := apply.Run(ctx, cachetv1.New(c, cachetv1.ReadOptions{}), p, apply.Options{Parallelism: parallelism})
				b.StopTimer()
				if res.Applied != creates || res.Err() != nil {
					b.Fatalf("%s %v", res.Summary(), res.Err())
				}
				posts += int64(e.Stats().Requests["POST"])
				ts.Close()
				conns += accepted.Load()
				b.StartTimer()
			}
			b.StopTimer()
			n := float64(b.N)
			wallMS := float64(b.Elapsed().Microseconds()) / 1000 / n
			lat := float64(benchLatency.Microseconds()) / 1000
			limitMS := lat * float64((creates+parallelism-1)/parallelism)
			b.ReportMetric(float64(posts)/n, "requests/op")
			b.ReportMetric(float64(conns)/n, "conns/op")
			b.ReportMetric(wallMS, "wall-ms/op")
			b.ReportMetric(limitMS, "limit-ms")
			b.ReportMetric(wallMS/limitMS, "x-limit")
			b.ReportMetric(wallMS/lat, "x-limit-ideal")
		})
	}
}
