package cachetv3_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cachetsync/cachetsync/adapter/cachetv3"
	"github.com/cachetsync/cachetsync/cachet/cachettest"
	"github.com/cachetsync/cachetsync/cachet3"
	"github.com/cachetsync/cachetsync/internal/benchpage"
	"github.com/cachetsync/cachetsync/plan"
	"github.com/cachetsync/cachetsync/spec"
)

// benchLatency is the time the emulator takes to answer every request in
// the plan benchmark: a Cachet across a continent.
const benchLatency = 20 * time.Millisecond

// chainTransport counts the requests sent through it and the longest chain
// of them that ran one after another: a request's depth is one more than
// the deepest request that had finished when it started. Each link of the
// chain waits a full latency, so wall time is at least chain × latency.
type chainTransport struct {
	next http.RoundTripper

	mu       sync.Mutex
	requests int
	finished int // the deepest finished request
	longest  int
}

func (t *chainTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.requests++
	depth := t.finished + 1
	t.mu.Unlock()
	resp, err := t.next.RoundTrip(r)
	t.mu.Lock()
	t.finished = max(t.finished, depth)
	t.longest = max(t.longest, depth)
	t.mu.Unlock()
	return resp, err
}

func (t *chainTransport) reset() {
	t.mu.Lock()
	t.requests, t.finished, t.longest = 0, 0, 0
	t.mu.Unlock()
}

// BenchmarkPlanNoChange3 reads a Cachet 3.x page of 20,000 subscribers,
// 2,000 components and 100 groups that matches its file and plans it
// (token check, ReadLive, Compute: an empty plan), against the 3.x
// emulator answering every request after 20 ms. Metrics per plan:
// requests, round-trips (the longest chain of requests one after another,
// as sent), wall-ms, limit-ms (round-trips × 20 ms: what the latency alone
// costs) and x-limit (wall over limit).
//
// Variants: the default read-ahead, wider ones, subscribers with every
// other id (every page boundary then needs a check), and the server's
// default limit of 300 requests a minute with the client's matching
// limiter ("limit=300"; each plan starts in a fresh minute, as a plan run
// alone does). limit300-wait-s is what that limit adds to a plan alone:
// a minute for every 300 requests after the first 300. A dense page of
// 20,000 subscribers needs fewer, so the limit costs it nothing; sparse
// ids need more. "latency=0" runs the default read against an emulator
// that answers at once: its wall time is this process's work alone (the
// emulator, the client's decoding and Compute, on the same cores), the
// floor under the other variants' wall time besides the latency. Short
// mode reads 2,000 subscribers, default settings.
func BenchmarkPlanNoChange3(b *testing.B) {
	sh := benchpage.Shape{Groups: 100, PerGroup: 20, Subscribers: 20_000}
	type variant struct {
		readAhead int
		sparse    bool
		limited   bool
		instant   bool // no latency
	}
	variants := []variant{{readAhead: cachet3.DefaultReadAhead}}
	if testing.Short() {
		sh = benchpage.Shape{Groups: 10, PerGroup: 20, Subscribers: 2_000}
	} else {
		variants = append(variants, variant{readAhead: 8}, variant{readAhead: 32},
			variant{readAhead: cachet3.DefaultReadAhead, sparse: true},
			variant{readAhead: cachet3.DefaultReadAhead, limited: true},
			variant{readAhead: cachet3.DefaultReadAhead, sparse: true, limited: true},
			variant{readAhead: cachet3.DefaultReadAhead, instant: true})
	}
	want := benchpage.Spec3(sh)
	s, err := spec.Parse("bench.yaml", benchpage.YAML(want))
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range variants {
		ids := "dense"
		if v.sparse {
			ids = "sparse"
		}
		limit := "unlimited"
		if v.limited {
			limit = fmt.Sprintf("limit=%d", cachet3.DefaultRateLimit)
		}
		latency := benchLatency
		if v.instant {
			latency, limit = 0, "latency=0"
		}
		b.Run(fmt.Sprintf("subscribers=%d/ids=%s/readahead=%d/%s", sh.Subscribers, ids, v.readAhead, limit), func(b *testing.B) {
			srv := cachettest.Start(b, cachettest.WithVersion("3"), cachettest.WithLatency(latency, 0))
			benchpage.Seed3(srv.Emulator, want, v.sparse)
			tr := &chainTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
			tr.next.(*http.Transport).MaxIdleConnsPerHost = 64
			newClient := func(limited bool) *cachet3.Client {
				opts := []cachet3.Option{cachet3.WithReadOnly(), cachet3.WithReadAhead(v.readAhead),
					cachet3.WithHTTPClient(&http.Client{Transport: tr})}
				if !limited {
					opts = append(opts, cachet3.WithRateLimit(0, 0))
				}
				c, err := cachet3.New(srv.URL, srv.Token(), opts...)
				if err != nil {
					b.Fatal(err)
				}
				return c
			}
			planOnce := func(c *cachet3.Client) {
				live, err := cachetv3.New(c).ReadLive(context.Background(), false)
				if err != nil {
					b.Fatal(err)
				}
				if len(live.Subscribers) != sh.Subscribers {
					b.Fatalf("read %d subscribers, want %d", len(live.Subscribers), sh.Subscribers)
				}
				p, err := plan.Compute(s, live, plan.Policy{})
				if err != nil {
					b.Fatal(err)
				}
				if !p.Empty() {
					b.Fatalf("plan of an unchanged page has %d operations, the first %+v", len(p.Ops), p.Ops[0])
				}
			}
			srv.SetRateLimit(0)
			planOnce(newClient(false)) // warm connections, off both limits
			b.ResetTimer()
			var wall time.Duration
			requests, rt := 0, 0
			for range b.N {
				b.StopTimer()
				if v.limited {
					srv.SetRateLimit(cachet3.DefaultRateLimit) // a fresh minute
				}
				c := newClient(v.limited) // a fresh client limiter, as a new process has
				tr.reset()
				b.StartTimer()
				start := time.Now()
				planOnce(c)
				wall += time.Since(start)
				requests, rt = tr.requests, tr.longest
			}
			n := float64(b.N)
			wallMS := float64(wall.Microseconds()) / 1000 / n
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(rt), "round-trips/op")
			b.ReportMetric(wallMS, "wall-ms/op")
			if latency > 0 {
				limitMS := float64(rt) * float64(latency.Milliseconds())
				b.ReportMetric(limitMS, "limit-ms")
				b.ReportMetric(wallMS/limitMS, "x-limit")
			}
			// Under the server's default limit, a plan alone sends its
			// first 300 requests at once and waits a minute for each 300
			// after them.
			windows := (requests + cachet3.DefaultRateLimit - 1) / cachet3.DefaultRateLimit
			b.ReportMetric(float64(max(windows-1, 0)*60), "limit300-wait-s")
		})
	}
}
